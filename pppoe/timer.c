// SPDX-License-Identifier: GPL-2.0-or-later
/* timer.c - hashed timer wheel (Varghese & Lauck scheme 6) */
#include <string.h>

#include "pppoe/timer.h"

static inline unsigned int slot_of(uint64_t tick)
{
	return (unsigned int)(tick % TW_SLOTS);
}

static void slot_mark(struct tw_wheel *w, unsigned int s)
{
	if (w->slots[s])
		w->bitmap[s / 64] |= 1ULL << (s % 64);
	else
		w->bitmap[s / 64] &= ~(1ULL << (s % 64));
}

void tw_init(struct tw_wheel *w, uint64_t now_ms)
{
	memset(w, 0, sizeof(*w));
	w->now = now_ms;
	w->tick = now_ms / TW_TICK_MS;
}

void tw_timer_init(struct tw_timer *t, void (*fn)(struct tw_timer *t))
{
	t->next = NULL;
	t->pprev = NULL;
	t->expires = 0;
	t->fn = fn;
}

static void link_timer(struct tw_timer **head, struct tw_timer *t);

static void unlink_timer(struct tw_wheel *w, struct tw_timer *t)
{
	/* tw_arm() keeps expires such that its ceiling tick is the slot's. */
	unsigned int s = slot_of((t->expires + TW_TICK_MS - 1) / TW_TICK_MS);

	*t->pprev = t->next;
	if (t->next)
		t->next->pprev = t->pprev;
	t->next = NULL;
	t->pprev = NULL;
	w->count--;
	slot_mark(w, s);
}

void tw_cancel(struct tw_wheel *w, struct tw_timer *t)
{
	if (tw_pending(t))
		unlink_timer(w, t);
}

void tw_arm(struct tw_wheel *w, struct tw_timer *t, uint64_t delay_ms)
{
	uint64_t tick;
	unsigned int s;

	tw_cancel(w, t);
	t->expires = w->now + delay_ms;
	tick = (t->expires + TW_TICK_MS - 1) / TW_TICK_MS;
	if (tick <= w->tick) {
		/* Due within the tick already processed: run on the next one. */
		tick = w->tick + 1;
		t->expires = tick * TW_TICK_MS;
	}
	s = slot_of(tick);
	link_timer(&w->slots[s], t);
	w->bitmap[s / 64] |= 1ULL << (s % 64);
	w->count++;
}

/* link_timer - put @t at the head of the list at @head */
static void link_timer(struct tw_timer **head, struct tw_timer *t)
{
	t->next = *head;
	if (t->next)
		t->next->pprev = &t->next;
	t->pprev = head;
	*head = t;
}

/*
 * run_slot - fire the timers of slot @s that are due by @now. They move to
 * w->expired first (callbacks may arm timers into this very slot), still
 * armed, and leave it one at a time just before they fire: a callback may
 * cancel or re-arm any of those still waiting, and none is lost or fired
 * twice.
 */
static void run_slot(struct tw_wheel *w, unsigned int s, uint64_t now)
{
	struct tw_timer *t, *next;

	for (t = w->slots[s]; t; t = next) {
		next = t->next;
		if (t->expires > now)
			continue;
		*t->pprev = t->next;
		if (t->next)
			t->next->pprev = t->pprev;
		link_timer(&w->expired, t);
	}
	slot_mark(w, s);
	while ((t = w->expired)) {
		*t->pprev = t->next;
		if (t->next)
			t->next->pprev = t->pprev;
		t->next = NULL;
		t->pprev = NULL;
		w->count--;
		t->fn(t);
	}
}

void tw_advance(struct tw_wheel *w, uint64_t now_ms)
{
	uint64_t target, tick;

	if (now_ms < w->now)
		return;
	w->now = now_ms;
	target = now_ms / TW_TICK_MS;
	if (target - w->tick > TW_SLOTS)
		w->tick = target - TW_SLOTS;
	for (tick = w->tick + 1; tick <= target; tick++) {
		w->tick = tick;
		if (w->count)
			run_slot(w, slot_of(tick), now_ms);
	}
}

int64_t tw_next_ms(const struct tw_wheel *w)
{
	unsigned int start, i, s, word;
	uint64_t bits;

	if (!w->count)
		return -1;
	start = slot_of(w->tick + 1);
	/* Scan the bitmap from the next tick's slot, wrapping once. */
	for (i = 0; i <= TW_SLOTS / 64; i++) {
		word = (start / 64 + i) % (TW_SLOTS / 64);
		bits = w->bitmap[word];
		if (i == 0)
			bits &= ~0ULL << (start % 64);
		if (!bits)
			continue;
		s = word * 64 + (unsigned int)__builtin_ctzll(bits);
		uint64_t dist = (s + TW_SLOTS - start) % TW_SLOTS + 1;
		uint64_t when = (w->tick + dist) * TW_TICK_MS;

		return when > w->now ? (int64_t)(when - w->now) : 0;
	}
	return 0;
}
