// SPDX-License-Identifier: GPL-2.0-or-later
/* test_pacer.c - dial pacing under a fake clock */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "pppoe/util.h"
#include "src/pacer.h"

#define N 64

struct dialer {
	struct pacer_entry e;
	uint8_t mac[6];
	uint64_t went_at;
	int went;
};

static struct tw_wheel wheel;
static struct dialer dialers[N];
static int order[N], norder;

static void on_go(struct pacer *p, struct pacer_entry *e)
{
	struct dialer *d = container_of(e, struct dialer, e);

	(void)p;
	d->went++;
	d->went_at = wheel.now;
	order[norder++] = (int)(d - dialers);
}

static void setup_dialers(bool shared_mac)
{
	int i;

	memset(dialers, 0, sizeof(dialers));
	norder = 0;
	for (i = 0; i < N; i++) {
		dialers[i].mac[0] = 0x02;
		dialers[i].mac[5] = shared_mac ? 1 : (uint8_t)i;
		dialers[i].mac[4] = shared_mac ? 0 : (uint8_t)(i >> 8);
		dialers[i].e.mac = dialers[i].mac;
	}
}

static void run_until(uint64_t t)
{
	uint64_t now;

	for (now = wheel.now; now <= t; now += 1)
		tw_advance(&wheel, now);
}

static void test_unlimited_rate_all_at_once(void **state)
{
	struct pacer p;
	int i;

	(void)state;
	tw_init(&wheel, 1000);
	setup_dialers(false);
	pacer_init(&p, &wheel, 0, on_go);
	for (i = 0; i < N; i++)
		pacer_request(&p, &dialers[i].e);
	run_until(1000 + TW_TICK_MS);
	for (i = 0; i < N; i++) {
		assert_int_equal(dialers[i].went, 1);
		assert_true(dialers[i].went_at <= 1000 + TW_TICK_MS);
		assert_int_equal(order[i], i); /* FIFO */
	}
	assert_int_equal(p.queued, 0);
	pacer_free(&p);
}

static void test_rate_limits_and_spreads(void **state)
{
	struct pacer p;
	int i, in_first_second = 0;

	(void)state;
	tw_init(&wheel, 0);
	setup_dialers(false);
	pacer_init(&p, &wheel, 20, on_go); /* 20/s, burst 2 */
	for (i = 0; i < N; i++)
		pacer_request(&p, &dialers[i].e);
	run_until(10000);
	for (i = 0; i < N; i++) {
		assert_int_equal(dialers[i].went, 1);
		if (dialers[i].went_at < 1000)
			in_first_second++;
	}
	/* burst of 2 plus 20 per second, give or take one tick of rounding */
	assert_in_range(in_first_second, 20, 23);
	/* the last of 64 goes after about (64 - 2) / 20 s */
	assert_in_range(dialers[N - 1].went_at, 3000, 3200);
	pacer_free(&p);
}

static void test_one_dial_per_second_per_mac(void **state)
{
	struct pacer p;
	int i;

	(void)state;
	tw_init(&wheel, 0);
	setup_dialers(true);
	pacer_init(&p, &wheel, 0, on_go);
	for (i = 0; i < 5; i++)
		pacer_request(&p, &dialers[i].e);
	run_until(4500);
	for (i = 0; i < 5; i++)
		assert_int_equal(dialers[i].went, 1);
	for (i = 1; i < 5; i++)
		assert_true(dialers[i].went_at - dialers[i - 1].went_at >= 1000);
	assert_true(dialers[4].went_at <= 4000 + 2 * TW_TICK_MS);
	pacer_free(&p);
}

static void test_blocked_mac_does_not_hold_up_others(void **state)
{
	struct pacer p;

	(void)state;
	tw_init(&wheel, 0);
	setup_dialers(false);
	memcpy(dialers[1].mac, dialers[0].mac, 6); /* 0 and 1 share a MAC */
	pacer_init(&p, &wheel, 0, on_go);
	pacer_request(&p, &dialers[0].e);
	pacer_request(&p, &dialers[1].e);
	pacer_request(&p, &dialers[2].e);
	run_until(100);
	assert_int_equal(dialers[0].went, 1);
	assert_int_equal(dialers[1].went, 0);
	assert_int_equal(dialers[2].went, 1);
	run_until(1100);
	assert_int_equal(dialers[1].went, 1);
	pacer_free(&p);
}

static void test_cancel(void **state)
{
	struct pacer p;
	int i;

	(void)state;
	tw_init(&wheel, 0);
	setup_dialers(false);
	pacer_init(&p, &wheel, 10, on_go);
	for (i = 0; i < 10; i++)
		pacer_request(&p, &dialers[i].e);
	pacer_request(&p, &dialers[3].e); /* twice: still one entry */
	assert_int_equal(p.queued, 10);
	pacer_cancel(&p, &dialers[3].e);
	pacer_cancel(&p, &dialers[3].e);
	run_until(5000);
	for (i = 0; i < 10; i++)
		assert_int_equal(dialers[i].went, i == 3 ? 0 : 1);
	assert_int_equal(p.queued, 0);
	assert_false(tw_pending(&p.timer));
	pacer_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unlimited_rate_all_at_once),
		cmocka_unit_test(test_rate_limits_and_spreads),
		cmocka_unit_test(test_one_dial_per_second_per_mac),
		cmocka_unit_test(test_blocked_mac_does_not_hold_up_others),
		cmocka_unit_test(test_cancel),
	};

	return cmocka_run_group_tests_name("pacer", tests, NULL, NULL);
}
