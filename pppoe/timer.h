/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timer.h - one hashed timer wheel for every session's timers.
 *
 * O(1) arm and cancel. The wheel owns no clock: the event loop passes the
 * current monotonic time in milliseconds to tw_advance(), tests pass a fake
 * one. tw_next_ms() tells the loop how long it may sleep, so an idle daemon
 * wakes only when some timer is due.
 */
#ifndef PPPOE_TIMER_H
#define PPPOE_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#define TW_TICK_MS 10
#define TW_SLOTS   4096 /* one turn = 40.96 s; longer timers wait rounds */

struct tw_timer {
	struct tw_timer *next;
	struct tw_timer **pprev; /* NULL when not armed */
	uint64_t expires;        /* absolute, ms */
	void (*fn)(struct tw_timer *t);
};

struct tw_wheel {
	uint64_t now;  /* ms, time of the last tw_advance() */
	uint64_t tick; /* last tick processed */
	unsigned int count;
	uint64_t bitmap[TW_SLOTS / 64];
	struct tw_timer *slots[TW_SLOTS];
	/* Due timers of the slot being run. They stay armed here until each
	 * fires, so a callback that cancels or re-arms one of them unlinks it
	 * from this list like from any slot. */
	struct tw_timer *expired;
};

void tw_init(struct tw_wheel *w, uint64_t now_ms);
void tw_timer_init(struct tw_timer *t, void (*fn)(struct tw_timer *t));
/* tw_arm - (re)arm @t to fire @delay_ms from the wheel's current time */
void tw_arm(struct tw_wheel *w, struct tw_timer *t, uint64_t delay_ms);
void tw_cancel(struct tw_wheel *w, struct tw_timer *t);

static inline bool tw_pending(const struct tw_timer *t)
{
	return t->pprev != 0;
}

/* tw_advance - move time to @now_ms and run every timer that is due */
void tw_advance(struct tw_wheel *w, uint64_t now_ms);
/* tw_next_ms - ms until the wheel next needs tw_advance(), -1 if no timers */
int64_t tw_next_ms(const struct tw_wheel *w);

#endif
