// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * setup.c - the setup window (see setup.h).
 *
 * An access concentrator that forks a pppd per session, or a BRAS after an
 * outage, answers discovery at once and then takes seconds per session to
 * start its PPP side. Sessions dialed faster than that wait longer and
 * longer, time out, tear down work the AC already did and dial again: the
 * load grows exactly when the AC is slowest. The window keeps the number of
 * sessions in setup near what the AC completes without queueing: growth
 * stops once setups take twice as long as the best seen, and the window
 * halves when they take four times as long or when answers go missing.
 */
#include <string.h>

#include "src/setup.h"

static const char *const setup_reason_names[SETUP_R_MAX] = {
	[SETUP_R_START] = "start",
	[SETUP_R_GROWING] = "growing",
	[SETUP_R_HOLD] = "setup-time-rising",
	[SETUP_R_CAP] = "at-limit",
	[SETUP_R_FIXED] = "fixed",
	[SETUP_R_PADO_LOSS] = "pado-missing",
	[SETUP_R_PADS_LOSS] = "pads-missing",
	[SETUP_R_LCP_LOSS] = "lcp-unanswered",
	[SETUP_R_SLOW] = "setup-slow",
	[SETUP_R_RX_DROP] = "rx-drops",
};

const char *setup_reason_name(enum setup_reason r)
{
	return r < SETUP_R_MAX ? setup_reason_names[r] : "?";
}

void setup_win_init(struct setup_win *w, unsigned int max_starting)
{
	memset(w, 0, sizeof(*w));
	setup_win_configure(w, max_starting);
}

void setup_win_configure(struct setup_win *w, unsigned int max_starting)
{
	if (max_starting) {
		w->fixed = true;
		w->cap = max_starting;
		w->cwnd_milli = max_starting * 1000u;
		w->reason = SETUP_R_FIXED;
		return;
	}
	if (w->fixed || !w->cwnd_milli) {
		w->cwnd_milli = SETUP_WIN_INIT * 1000u;
		w->ssthresh = SETUP_WIN_AUTO_MAX;
		w->reason = SETUP_R_START;
	}
	w->fixed = false;
	w->cap = SETUP_WIN_AUTO_MAX;
	if (w->cwnd_milli > w->cap * 1000u)
		w->cwnd_milli = w->cap * 1000u;
}

unsigned int setup_win_size(const struct setup_win *w)
{
	unsigned int n = w->cwnd_milli / 1000;

	if (w->fixed)
		return w->cap;
	if (n > w->cap)
		n = w->cap;
	return n < SETUP_WIN_MIN ? SETUP_WIN_MIN : n;
}

bool setup_win_may_start(const struct setup_win *w)
{
	return w->inflight < setup_win_size(w);
}

void setup_win_start(struct setup_win *w, uint64_t now_ms)
{
	if (!w->fixed && !w->inflight && w->last_end_ms &&
	    now_ms - w->last_end_ms >= SETUP_IDLE_RESET_MS) {
		if (w->cwnd_milli < SETUP_WIN_INIT * 1000u)
			w->cwnd_milli = SETUP_WIN_INIT * 1000u;
		w->ssthresh = w->cap;
		w->reason = SETUP_R_START;
	}
	w->inflight++;
	w->started++;
}

/* setup_win_grow - one setup completed promptly */
static void setup_win_grow(struct setup_win *w)
{
	uint32_t cwnd = w->cwnd_milli;

	if (cwnd < w->ssthresh * 1000u)
		cwnd += 1000; /* a window's worth of completions doubles it */
	else
		cwnd += 1000u * 1000u / (cwnd ? cwnd : 1); /* one per window */
	if (cwnd >= w->cap * 1000u) {
		cwnd = w->cap * 1000u;
		w->reason = SETUP_R_CAP;
	} else {
		w->reason = SETUP_R_GROWING;
	}
	w->cwnd_milli = cwnd;
}

void setup_win_done(struct setup_win *w, uint64_t now_ms, bool ok, uint64_t ms)
{
	if (w->inflight)
		w->inflight--;
	w->last_end_ms = now_ms;
	if (!ok) {
		/* Failures carry their own signals (setup_win_signal); a
		 * session stopped by hand is no sign of anything. */
		w->failed++;
		return;
	}
	w->completed++;
	w->srtt_ms = w->srtt_ms ? (7 * w->srtt_ms + ms) / 8 : ms;
	/* The best time is forgotten slowly, so that an AC that has become
	 * slower for good does not look overloaded for ever. */
	if (!w->best_ms || ms < w->best_ms)
		w->best_ms = ms ? ms : 1;
	else
		w->best_ms += (ms - w->best_ms) / 1024;
	if (w->fixed)
		return;
	if (w->srtt_ms > SETUP_SLOW_FLOOR_MS && w->srtt_ms > 4 * w->best_ms) {
		setup_win_signal(w, now_ms, SETUP_R_SLOW, now_ms - ms);
		return;
	}
	if (w->srtt_ms > SETUP_SLOW_FLOOR_MS && w->srtt_ms > 2 * w->best_ms) {
		if (now_ms - ms >= w->recover_ms)
			w->reason = SETUP_R_HOLD;
		return;
	}
	setup_win_grow(w);
}

void setup_win_expire(struct setup_win *w, uint64_t now_ms, uint64_t began_ms)
{
	if (w->inflight)
		w->inflight--;
	w->last_end_ms = now_ms;
	w->expired++;
	setup_win_signal(w, now_ms, SETUP_R_SLOW, began_ms);
}

void setup_win_signal(struct setup_win *w, uint64_t now_ms, enum setup_reason why,
		      uint64_t began_ms)
{
	unsigned int half;

	if (w->fixed || (w->recover_ms && began_ms < w->recover_ms))
		return;
	half = setup_win_size(w) / 2;
	if (half < SETUP_WIN_MIN)
		half = SETUP_WIN_MIN;
	w->ssthresh = half;
	w->cwnd_milli = half * 1000u;
	w->reason = why;
	w->decreases[why]++;
	w->recover_ms = now_ms ? now_ms : 1;
}
