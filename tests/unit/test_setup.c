// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_setup.c - the setup window as a pure module under a fake clock:
 * it grows while setups complete promptly, halves (once per round) on
 * signs of overload, holds when setup time rises, stays within its bounds,
 * and, driven through the pacer, never starves a queued session.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "src/acpeer.h"
#include "src/pacer.h"
#include "src/setup.h"

/* complete - start and finish @n setups of @ms each at @now */
static void complete(struct setup_win *w, uint64_t now, unsigned int n, uint64_t ms)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		setup_win_start(w, now);
		setup_win_done(w, now, true, ms);
	}
}

static void test_starts_at_initial_window(void **state)
{
	struct setup_win w;
	unsigned int i;

	(void)state;
	setup_win_init(&w, 0);
	assert_int_equal(setup_win_size(&w), SETUP_WIN_INIT);
	assert_string_equal(setup_reason_name(w.reason), "start");
	for (i = 0; i < SETUP_WIN_INIT; i++) {
		assert_true(setup_win_may_start(&w));
		setup_win_start(&w, 0);
	}
	assert_false(setup_win_may_start(&w));
	assert_int_equal(w.inflight, SETUP_WIN_INIT);
}

static void test_grows_while_setups_are_prompt(void **state)
{
	struct setup_win w;

	(void)state;
	setup_win_init(&w, 0);
	/* Slow start: one more per completed setup. */
	complete(&w, 1000, 8, 50);
	assert_int_equal(setup_win_size(&w), SETUP_WIN_INIT + 8);
	assert_string_equal(setup_reason_name(w.reason), "growing");
	complete(&w, 1000, 1000, 50);
	assert_int_equal(setup_win_size(&w), SETUP_WIN_AUTO_MAX);
	assert_string_equal(setup_reason_name(w.reason), "at-limit");
	assert_int_equal(w.inflight, 0);
	assert_int_equal(w.completed, 1008);
}

static void test_halves_once_per_round(void **state)
{
	struct setup_win w;

	(void)state;
	setup_win_init(&w, 0);
	complete(&w, 0, 56, 1500); /* window 64, srtt 1.5 s */
	assert_int_equal(setup_win_size(&w), 64);
	setup_win_signal(&w, 10000, SETUP_R_PADO_LOSS, 9000);
	assert_int_equal(setup_win_size(&w), 32);
	assert_string_equal(setup_reason_name(w.reason), "pado-missing");
	/* Late answers to setups begun before that decrease count once, however
	 * long they take to show (the first cohort's LCP after 9 s). */
	setup_win_signal(&w, 10100, SETUP_R_PADO_LOSS, 9000);
	setup_win_signal(&w, 19000, SETUP_R_LCP_LOSS, 9999);
	assert_int_equal(setup_win_size(&w), 32);
	/* A setup begun after it may decrease again. */
	setup_win_signal(&w, 11600, SETUP_R_PADS_LOSS, 10000);
	assert_int_equal(setup_win_size(&w), 16);
	assert_int_equal(w.decreases[SETUP_R_PADO_LOSS], 1);
	assert_int_equal(w.decreases[SETUP_R_PADS_LOSS], 1);
	assert_int_equal(w.decreases[SETUP_R_LCP_LOSS], 0);
	/* Above the threshold it grows by about one per window. */
	complete(&w, 20000, 17, 1500);
	assert_int_equal(setup_win_size(&w), 17);
}

static void test_never_below_minimum(void **state)
{
	struct setup_win w;
	uint64_t t;

	(void)state;
	setup_win_init(&w, 0);
	for (t = 0; t < 100000; t += 1000)
		setup_win_signal(&w, t, SETUP_R_RX_DROP, t);
	assert_int_equal(setup_win_size(&w), SETUP_WIN_MIN);
	assert_true(setup_win_may_start(&w));
}

static void test_rising_setup_time_holds_then_shrinks(void **state)
{
	struct setup_win w;
	unsigned int before;

	(void)state;
	setup_win_init(&w, 0);
	complete(&w, 0, 4, 2500); /* best 2.5 s: window 12 */
	before = setup_win_size(&w);
	assert_int_equal(before, 12);
	/* Setups now take three times as long: growth stops once the
	 * smoothed time has passed twice the best (six samples). */
	complete(&w, 1000, 20, 7500);
	assert_true(setup_win_size(&w) <= before + 6);
	assert_string_equal(setup_reason_name(w.reason), "setup-time-rising");
	before = setup_win_size(&w);
	/* Six times as long: that is overload, halve. */
	complete(&w, 60000, 20, 15000);
	assert_true(setup_win_size(&w) <= before / 2);
	assert_true(w.decreases[SETUP_R_SLOW] >= 1);
}

static void test_fast_ac_is_never_slow(void **state)
{
	struct setup_win w;

	(void)state;
	setup_win_init(&w, 0);
	/* 2 ms at best, 400 ms under load: far more than 4x, but below the
	 * floor where the time is our own CPU, not the AC. */
	complete(&w, 0, 1, 2);
	complete(&w, 0, 500, 400);
	assert_int_equal(w.decreases[SETUP_R_SLOW], 0);
	assert_int_equal(setup_win_size(&w), SETUP_WIN_AUTO_MAX);
}

static void test_fixed_window(void **state)
{
	struct setup_win w;

	(void)state;
	setup_win_init(&w, 3);
	assert_int_equal(setup_win_size(&w), 3);
	setup_win_signal(&w, 5000, SETUP_R_PADO_LOSS, 5000);
	complete(&w, 5000, 100, 10);
	assert_int_equal(setup_win_size(&w), 3);
	assert_string_equal(setup_reason_name(w.reason), "fixed");
	/* max_starting = 1 really is one at a time. */
	setup_win_configure(&w, 1);
	setup_win_start(&w, 5000);
	assert_false(setup_win_may_start(&w));
	/* Back to auto on reload: adapting again from the initial window. */
	setup_win_done(&w, 6000, false, 0);
	setup_win_configure(&w, 0);
	assert_int_equal(setup_win_size(&w), SETUP_WIN_INIT);
	assert_int_equal(w.failed, 1);
}

/* After a quiet spell what was learnt is stale: the window starts afresh. */
static void test_idle_reset(void **state)
{
	struct setup_win w;
	uint64_t t;

	(void)state;
	setup_win_init(&w, 0);
	for (t = 0; t < 20000; t += 1000)
		setup_win_signal(&w, t, SETUP_R_PADO_LOSS, t);
	assert_int_equal(setup_win_size(&w), SETUP_WIN_MIN);
	setup_win_start(&w, 20000);
	setup_win_done(&w, 21000, false, 0);
	/* Soon after: still small. */
	setup_win_start(&w, 22000);
	assert_int_equal(setup_win_size(&w), SETUP_WIN_MIN);
	setup_win_done(&w, 23000, false, 0);
	/* 30 s with nothing in setup: back to the initial window, and slow
	 * start all the way up again. */
	setup_win_start(&w, 23000 + SETUP_IDLE_RESET_MS);
	assert_int_equal(setup_win_size(&w), SETUP_WIN_INIT);
	assert_string_equal(setup_reason_name(w.reason), "start");
	assert_int_equal(w.ssthresh, SETUP_WIN_AUTO_MAX);
}

/* A setup that runs past its time gives its place back and counts as overload. */
static void test_expire(void **state)
{
	struct setup_win w;

	(void)state;
	setup_win_init(&w, 0);
	setup_win_start(&w, 1000);
	setup_win_start(&w, 1000);
	setup_win_expire(&w, 121000, 1000);
	assert_int_equal(w.inflight, 1);
	assert_int_equal(w.expired, 1);
	assert_int_equal(setup_win_size(&w), SETUP_WIN_INIT / 2);
	assert_int_equal(w.decreases[SETUP_R_SLOW], 1);
}

/* ---- per-AC liveness ---------------------------------------------------- */

static void test_acpeer(void **state)
{
	static const uint8_t a[6] = { 2, 0, 0, 0, 0, 1 }, b[6] = { 2, 0, 0, 0, 0, 2 };
	struct acpeers t;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_false(acpeer_alive(&t, a, 1000));
	acpeer_progress(&t, a, 1000);
	assert_true(acpeer_alive(&t, a, 1000 + ACPEER_ALIVE_MS));
	assert_false(acpeer_alive(&t, a, 1001 + ACPEER_ALIVE_MS));
	assert_false(acpeer_alive(&t, b, 1000)); /* another AC knows nothing */
	/* A first miss probes a sample; a second miss of that AC right after
	 * the round probes all; within a probe time nothing; much later a
	 * sample again. */
	assert_int_equal(acpeer_probe_scope(&t, a, 10000), ACPEER_PROBE_SOME);
	assert_int_equal(acpeer_probe_scope(&t, a, 11000), ACPEER_PROBE_NONE);
	assert_int_equal(acpeer_probe_scope(&t, b, 11000), ACPEER_PROBE_SOME);
	assert_int_equal(acpeer_probe_scope(&t, a, 12000), ACPEER_PROBE_ALL);
	assert_int_equal(acpeer_probe_scope(&t, a, 60000), ACPEER_PROBE_SOME);
	acpeers_free(&t);
}

/* ---- through the pacer: nobody starves -------------------------------- */

#define NQ 200
static struct tw_wheel wheel;
static struct setup_win win;
static struct pacer_entry entries[NQ];
static uint8_t macs[NQ][6];
static int went[NQ], order[NQ], norder;

static void on_go(struct pacer *p, struct pacer_entry *e)
{
	int i = (int)(e - entries);

	(void)p;
	assert_true(setup_win_may_start(&win)); /* the pacer asked first */
	went[i]++;
	order[norder++] = i;
	setup_win_start(&win, wheel.now);
}

static void test_queue_never_starves(void **state)
{
	struct pacer p;
	uint64_t t;
	int i, done = 0, nrun = 0;

	(void)state;
	memset(went, 0, sizeof(went));
	norder = 0;
	tw_init(&wheel, 1000);
	setup_win_init(&win, 0);
	pacer_init(&p, &wheel, 0, on_go);
	p.win = &win;
	for (i = 0; i < NQ; i++) {
		macs[i][0] = 0x02;
		macs[i][4] = (uint8_t)(i >> 8);
		macs[i][5] = (uint8_t)i;
		entries[i].mac = macs[i];
		pacer_request(&p, &entries[i]);
	}
	tw_advance(&wheel, 1000 + TW_TICK_MS);
	assert_int_equal(norder, SETUP_WIN_INIT);
	/* Every 100 ms the oldest running setup ends, every third one as a
	 * failure with an overload signal: the window shrinks to its minimum
	 * and still every queued session gets its turn, in order. */
	for (t = 1100; done < NQ && t < 1000000; t += 100) {
		nrun = norder;
		if (done < nrun) {
			bool ok = done % 3 != 0;

			if (!ok)
				setup_win_signal(&win, t, SETUP_R_LCP_LOSS, t);
			setup_win_done(&win, t, ok, 5000);
			done++;
			pacer_kick(&p);
		}
		tw_advance(&wheel, t);
	}
	assert_int_equal(done, NQ);
	for (i = 0; i < NQ; i++) {
		assert_int_equal(went[i], 1);
		assert_int_equal(order[i], i);
	}
	assert_int_equal(p.queued, 0);
	pacer_free(&p);
}

/* A full window parks the pacer: no timer spins while nothing can go. */
static void test_full_window_does_not_spin(void **state)
{
	struct pacer p;
	int i;

	(void)state;
	memset(went, 0, sizeof(went));
	norder = 0;
	tw_init(&wheel, 1000);
	setup_win_init(&win, 2);
	pacer_init(&p, &wheel, 0, on_go);
	p.win = &win;
	for (i = 0; i < 5; i++) {
		macs[i][0] = 0x02;
		macs[i][5] = (uint8_t)i;
		entries[i].mac = macs[i];
		pacer_request(&p, &entries[i]);
	}
	tw_advance(&wheel, 1000 + TW_TICK_MS);
	assert_int_equal(norder, 2);
	assert_false(tw_pending(&p.timer));
	setup_win_done(&win, 1010, true, 1);
	pacer_kick(&p);
	tw_advance(&wheel, 1000 + 2 * TW_TICK_MS);
	assert_int_equal(norder, 3);
	assert_int_equal(order[2], 2);
	pacer_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starts_at_initial_window),
		cmocka_unit_test(test_grows_while_setups_are_prompt),
		cmocka_unit_test(test_halves_once_per_round),
		cmocka_unit_test(test_never_below_minimum),
		cmocka_unit_test(test_rising_setup_time_holds_then_shrinks),
		cmocka_unit_test(test_fast_ac_is_never_slow),
		cmocka_unit_test(test_fixed_window),
		cmocka_unit_test(test_idle_reset),
		cmocka_unit_test(test_expire),
		cmocka_unit_test(test_acpeer),
		cmocka_unit_test(test_queue_never_starves),
		cmocka_unit_test(test_full_window_does_not_spin),
	};

	return cmocka_run_group_tests_name("setup", tests, NULL, NULL);
}
