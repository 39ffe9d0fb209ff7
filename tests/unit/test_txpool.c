// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_txpool.c - the TX frame pool: data leaves the control reserve alone,
 * control may take every frame, frames come back.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/txpool.h"

#define FRAME 2048u

/* fill - a pool of @n frames, all free, as xsk_io sets it up */
static void fill(struct txpool *p, unsigned int n)
{
	unsigned int i;

	assert_int_equal(txpool_init(p, n), 0);
	for (i = 0; i < n; i++)
		txpool_put(p, (uint64_t)i * FRAME);
	assert_int_equal(p->nfree, n);
}

static void test_reserve_for_control(void **state)
{
	struct txpool p;
	uint64_t addr, *taken;
	bool *seen;
	unsigned int n = 2048, data = 0, ctl = 0, i;

	(void)state;
	fill(&p, n);
	/* The daemon's default pool: 2048 frames, 128 kept for control. */
	assert_int_equal(p.reserve, 128);
	assert_int_equal(txpool_avail(&p, TXPOOL_DATA), n - 128);
	assert_int_equal(txpool_avail(&p, TXPOOL_CONTROL), n);
	taken = calloc(n, sizeof(*taken));
	seen = calloc(n, sizeof(*seen));
	assert_non_null(taken);
	assert_non_null(seen);
	/* A saturated TUN: data takes what it may, then is refused. */
	while (txpool_take(&p, TXPOOL_DATA, &addr))
		taken[data++] = addr;
	assert_int_equal(data, n - 128);
	assert_int_equal(txpool_avail(&p, TXPOOL_DATA), 0);
	assert_false(txpool_take(&p, TXPOOL_DATA, &addr));
	/* Echo-Replies and PADTs still find frames, down to the last one. */
	while (txpool_take(&p, TXPOOL_CONTROL, &addr))
		taken[data + ctl++] = addr;
	assert_int_equal(ctl, 128);
	assert_int_equal(p.nfree, 0);
	/* Every frame handed out once. */
	for (i = 0; i < n; i++) {
		assert_int_equal(taken[i] % FRAME, 0);
		assert_true(taken[i] / FRAME < n);
		assert_false(seen[taken[i] / FRAME]);
		seen[taken[i] / FRAME] = true;
	}

	/* Completions trickle back: control gets them first... */
	txpool_put(&p, taken[0]);
	assert_false(txpool_take(&p, TXPOOL_DATA, &addr));
	assert_true(txpool_take(&p, TXPOOL_CONTROL, &addr));
	assert_int_equal(addr, taken[0]);
	/* ...and data only once more than the reserve are free again. */
	for (i = 0; i < 128; i++)
		txpool_put(&p, taken[i]);
	assert_int_equal(txpool_avail(&p, TXPOOL_DATA), 0);
	txpool_put(&p, taken[128]);
	assert_int_equal(txpool_avail(&p, TXPOOL_DATA), 1);
	assert_true(txpool_take(&p, TXPOOL_DATA, &addr));
	assert_int_equal(addr, taken[128]);
	assert_false(txpool_take(&p, TXPOOL_DATA, &addr));
	free(taken);
	free(seen);
	txpool_fini(&p);
}

static void test_sizes(void **state)
{
	struct txpool p;
	uint64_t addr;
	unsigned int n;

	(void)state;
	/* The smallest pool xsk_io makes (128 frames per queue, half TX). */
	fill(&p, 64);
	assert_int_equal(p.reserve, 4);
	for (n = 0; txpool_take(&p, TXPOOL_DATA, &addr); n++)
		;
	assert_int_equal(n, 60);
	txpool_fini(&p);
	/* Tiny pools keep one frame each way. */
	fill(&p, 2);
	assert_int_equal(p.reserve, 1);
	assert_true(txpool_take(&p, TXPOOL_DATA, &addr));
	assert_false(txpool_take(&p, TXPOOL_DATA, &addr));
	assert_true(txpool_take(&p, TXPOOL_CONTROL, &addr));
	assert_false(txpool_take(&p, TXPOOL_CONTROL, &addr));
	txpool_fini(&p);
	assert_int_equal(txpool_init(&p, 1), -EINVAL);
	txpool_fini(&p);
	/* Never more free frames than the pool holds. */
	fill(&p, 16);
	txpool_put(&p, 0);
	assert_int_equal(p.nfree, 16);
	txpool_fini(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserve_for_control),
		cmocka_unit_test(test_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
