/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * setup.h - the setup window: how many sessions may be in setup (from PADI
 * until IPCP opens or the attempt fails) at once. Congestion control for
 * session setup, in the spirit of TCP's: the window grows while setups
 * complete promptly (by one per completed setup below the threshold, by
 * one per window's worth above it) and halves on the signals of an access
 * concentrator that cannot keep up (PADO or PADS missing, Configure-Requests
 * unanswered, setup time rising far above the best seen, frames dropped
 * before our RX ring). Like TCP's recovery point, a sign from a session
 * that began its setup before the last decrease does not decrease again:
 * it was started under the old window, so one burst of late answers counts
 * once. Pure: no I/O; time is passed in, tests use a fake clock.
 */
#ifndef PPPOE_XDP_SETUP_H
#define PPPOE_XDP_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#define SETUP_WIN_INIT      8    /* window at start (auto) */
#define SETUP_WIN_MIN       2    /* never below: one late AC must not stall everything */
#define SETUP_WIN_AUTO_MAX  256  /* max_starting = auto: upper bound */
#define SETUP_SLOW_FLOOR_MS 2000 /* setup times below this are never "slow" */
#define SETUP_IDLE_RESET_MS 30000 /* nothing in setup this long: start afresh */

/* Why the window last changed: shown in status and metrics. */
enum setup_reason {
	SETUP_R_START,      /* initial window */
	SETUP_R_GROWING,    /* setups complete promptly */
	SETUP_R_HOLD,       /* setup time rising: not growing */
	SETUP_R_CAP,        /* at max_starting (or the auto limit) */
	SETUP_R_FIXED,      /* max_starting = N: no adaptation */
	SETUP_R_PADO_LOSS,  /* a PADI went unanswered */
	SETUP_R_PADS_LOSS,  /* a PADR went unanswered */
	SETUP_R_LCP_LOSS,   /* Configure-Requests unanswered after PADS */
	SETUP_R_SLOW,       /* setup time far above the best seen */
	SETUP_R_RX_DROP,    /* frames dropped before our RX ring */
	SETUP_R_MAX
};

struct setup_win {
	unsigned int cap;         /* upper bound of the window */
	bool fixed;               /* max_starting = N: the window is N */
	uint32_t cwnd_milli;      /* window in thousandths of a session */
	unsigned int ssthresh;    /* grow by 1 per setup below, 1/cwnd above */
	unsigned int inflight;    /* sessions in setup now */
	enum setup_reason reason;
	uint64_t recover_ms;      /* last decrease: signs from setups begun before it are old news */
	uint64_t best_ms;         /* fastest recent setup (slowly forgotten) */
	uint64_t srtt_ms;         /* smoothed setup time (EWMA, 1/8) */
	/* Counters for status and metrics. */
	uint64_t last_end_ms;     /* when the last setup ended */
	uint64_t started, completed, failed, expired;
	uint64_t decreases[SETUP_R_MAX];
};

/* setup_win_init - @max_starting 0 = auto, else a fixed window of that many */
void setup_win_init(struct setup_win *w, unsigned int max_starting);
/* setup_win_configure - change max_starting (reload), keeping what was learnt */
void setup_win_configure(struct setup_win *w, unsigned int max_starting);
/* setup_win_size - sessions that may be in setup at once now */
unsigned int setup_win_size(const struct setup_win *w);
/* setup_win_may_start - is there room for one more setup? */
bool setup_win_may_start(const struct setup_win *w);
/* setup_win_start - a session begins its setup (its PADI goes out) at
 * @now_ms. After SETUP_IDLE_RESET_MS with nothing in setup, what was learnt
 * is stale (an AC restarted, a line came back): the window starts afresh. */
void setup_win_start(struct setup_win *w, uint64_t now_ms);
/* setup_win_done - a setup ended: @ok (IPCP opened, after @ms) or failed */
void setup_win_done(struct setup_win *w, uint64_t now_ms, bool ok, uint64_t ms);
/* setup_win_expire - a setup that began at @began_ms ran past its time: its
 * place is given back, and that is a sign of overload */
void setup_win_expire(struct setup_win *w, uint64_t now_ms, uint64_t began_ms);
/* setup_win_signal - a sign of overload at @now_ms from a setup that began
 * at @began_ms: multiplicative decrease, unless it began before the last one */
void setup_win_signal(struct setup_win *w, uint64_t now_ms, enum setup_reason why,
		      uint64_t began_ms);
const char *setup_reason_name(enum setup_reason r);

#endif
