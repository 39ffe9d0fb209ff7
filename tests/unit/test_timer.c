// SPDX-License-Identifier: GPL-2.0-or-later
/* test_timer.c - the timer wheel under a fake clock */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pppoe/timer.h"
#include "pppoe/util.h"

struct probe {
	struct tw_timer t;
	int fired;
	uint64_t fired_at;
	struct tw_wheel *w;
	uint64_t rearm_ms; /* re-arm from the callback when nonzero */
	struct probe *other;     /* the callback re-arms (other_ms) or cancels it */
	uint64_t other_ms;
};

static void probe_fn(struct tw_timer *t)
{
	struct probe *p = container_of(t, struct probe, t);

	p->fired++;
	p->fired_at = p->w->now;
	if (p->rearm_ms)
		tw_arm(p->w, &p->t, p->rearm_ms);
	if (p->other && p->other_ms)
		tw_arm(p->w, &p->other->t, p->other_ms);
	else if (p->other)
		tw_cancel(p->w, &p->other->t);
}

static void probe_init(struct probe *p, struct tw_wheel *w)
{
	*p = (struct probe){ .w = w };
	tw_timer_init(&p->t, probe_fn);
}

static void test_fires_once_on_time(void **state)
{
	struct tw_wheel w;
	struct probe p;

	(void)state;
	tw_init(&w, 1000);
	probe_init(&p, &w);
	tw_arm(&w, &p.t, 250);
	assert_true(tw_pending(&p.t));
	tw_advance(&w, 1249);
	assert_int_equal(p.fired, 0);
	tw_advance(&w, 1250);
	assert_int_equal(p.fired, 1);
	assert_false(tw_pending(&p.t));
	tw_advance(&w, 100000);
	assert_int_equal(p.fired, 1);
	assert_int_equal(tw_next_ms(&w), -1);
}

static void test_cancel(void **state)
{
	struct tw_wheel w;
	struct probe a, b;

	(void)state;
	tw_init(&w, 0);
	probe_init(&a, &w);
	probe_init(&b, &w);
	tw_arm(&w, &a.t, 100);
	tw_arm(&w, &b.t, 100);
	tw_cancel(&w, &a.t);
	tw_cancel(&w, &a.t); /* twice is harmless */
	tw_advance(&w, 200);
	assert_int_equal(a.fired, 0);
	assert_int_equal(b.fired, 1);
	assert_int_equal(w.count, 0);
}

static void test_long_timer_waits_rounds(void **state)
{
	struct tw_wheel w;
	struct probe p;
	uint64_t t;

	(void)state;
	tw_init(&w, 0);
	probe_init(&p, &w);
	/* Longer than one turn of the wheel (40.96 s). */
	tw_arm(&w, &p.t, 100000);
	for (t = 0; t < 99990; t += 10) {
		tw_advance(&w, t);
		assert_int_equal(p.fired, 0);
	}
	tw_advance(&w, 100000);
	assert_int_equal(p.fired, 1);
	assert_int_equal(p.fired_at, 100000);
}

static void test_rearm_from_callback_and_next(void **state)
{
	struct tw_wheel w;
	struct probe p;

	(void)state;
	tw_init(&w, 0);
	probe_init(&p, &w);
	p.rearm_ms = 1000;
	tw_arm(&w, &p.t, 1000);
	assert_int_equal(tw_next_ms(&w), 1000);
	tw_advance(&w, 1000);
	assert_int_equal(p.fired, 1);
	assert_true(tw_pending(&p.t));
	assert_int_equal(tw_next_ms(&w), 1000);
	tw_advance(&w, 1500);
	assert_int_equal(tw_next_ms(&w), 500);
	/* A jump far past several periods fires once, then re-arms. */
	tw_advance(&w, 10000);
	assert_int_equal(p.fired, 2);
}

/*
 * Timers due in the same tick whose callbacks re-arm or cancel each other
 * (a holdoff that queues a dial re-arms the pacer, due in the same tick):
 * each fires once, when it is due, and none is lost.
 */
static void test_callback_touches_due_timer(void **state)
{
	struct tw_wheel w;
	struct probe p[6];
	int i, order;

	(void)state;
	for (order = 0; order < 2; order++) {
		tw_init(&w, 0);
		for (i = 0; i < 6; i++)
			probe_init(&p[i], &w);
		/* Every pair re-arms or cancels its partner, whichever of the
		 * two the wheel runs first. */
		for (i = 0; i < 6; i += 2) {
			struct probe *x = &p[i + order], *y = &p[i + 1 - order];

			x->other = y;
			x->other_ms = i == 2 ? 0 : 500;
			y->other = x;
			y->other_ms = i == 2 ? 0 : 500;
		}
		for (i = 0; i < 6; i++)
			tw_arm(&w, &p[i].t, 100);
		tw_advance(&w, 100);
		/* One of each pair ran and re-armed or cancelled the other. */
		for (i = 0; i < 6; i += 2)
			assert_int_equal(p[i].fired + p[i + 1].fired, 1);
		assert_int_equal(w.count, 2); /* the two re-armed ones */
		tw_advance(&w, 599);
		for (i = 0; i < 6; i++)
			assert_true(p[i].fired <= 1);
		tw_advance(&w, 600);
		for (i = 0; i < 6; i += 2)
			assert_int_equal(p[i].fired + p[i + 1].fired, i == 2 ? 1 : 2);
	}
}

static void test_zero_delay_runs_next_tick(void **state)
{
	struct tw_wheel w;
	struct probe p;

	(void)state;
	tw_init(&w, 5);
	probe_init(&p, &w);
	tw_arm(&w, &p.t, 0);
	tw_advance(&w, 5);
	assert_int_equal(p.fired, 0);
	assert_true(tw_next_ms(&w) <= TW_TICK_MS);
	tw_advance(&w, 5 + TW_TICK_MS);
	assert_int_equal(p.fired, 1);
}

static void test_many_timers(void **state)
{
	static struct probe ps[5000];
	struct tw_wheel w;
	unsigned int i, fired = 0;

	(void)state;
	tw_init(&w, 0);
	for (i = 0; i < 5000; i++) {
		probe_init(&ps[i], &w);
		tw_arm(&w, &ps[i].t, (i * 37) % 60000 + 1);
	}
	for (i = 0; i < 2500; i += 2)
		tw_cancel(&w, &ps[i].t);
	tw_advance(&w, 60001);
	for (i = 0; i < 5000; i++) {
		fired += (unsigned int)ps[i].fired;
		if (i < 2500 && i % 2 == 0)
			assert_int_equal(ps[i].fired, 0);
		else
			assert_int_equal(ps[i].fired, 1);
	}
	assert_int_equal(fired, 5000 - 1250);
	assert_int_equal(w.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fires_once_on_time),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_long_timer_waits_rounds),
		cmocka_unit_test(test_rearm_from_callback_and_next),
		cmocka_unit_test(test_callback_touches_due_timer),
		cmocka_unit_test(test_zero_delay_runs_next_tick),
		cmocka_unit_test(test_many_timers),
	};

	return cmocka_run_group_tests_name("timer", tests, NULL, NULL);
}
