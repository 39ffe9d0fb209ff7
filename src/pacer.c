// SPDX-License-Identifier: GPL-2.0-or-later
/* pacer.c - global token bucket plus a per-MAC minimum interval */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/util.h"
#include "src/pacer.h"
#include "src/setup.h"


/* When a MAC last dialed. */
struct pacer_mac {
	struct pacer_mac *next;
	uint8_t mac[6];
	uint64_t last_ms;
};

static unsigned int pacer_mac_hash(const uint8_t *mac)
{
	return ((unsigned int)mac[3] << 16 ^ (unsigned int)mac[4] << 8 ^ mac[5] ^ mac[2] * 31u) %
	       PACER_MAC_BUCKETS;
}

static struct pacer_mac *pacer_mac_get(struct pacer *p, const uint8_t *mac, bool create)
{
	unsigned int h = pacer_mac_hash(mac);
	struct pacer_mac *m;

	for (m = p->macs[h]; m; m = m->next)
		if (!memcmp(m->mac, mac, 6))
			return m;
	if (!create)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL; /* no memory: the MAC limit is not enforced */
	memcpy(m->mac, mac, 6);
	m->next = p->macs[h];
	p->macs[h] = m;
	return m;
}

static void pacer_refill(struct pacer *p)
{
	uint64_t now = p->wheel->now;

	if (p->rate && now > p->last_ms) {
		p->credit += (now - p->last_ms) * p->rate;
		if (p->credit > p->credit_max)
			p->credit = p->credit_max;
	}
	p->last_ms = now;
}

static void pacer_unlink(struct pacer *p, struct pacer_entry *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = NULL;
	e->queued = false;
	p->queued--;
}

/*
 * pacer_run - let as many queued dials go as the bucket and the per-MAC
 * interval allow, in FIFO order (a MAC that must wait does not hold up
 * the others), then sleep until the next one can.
 */
static void pacer_run(struct pacer *p)
{
	struct pacer_entry *e, *next;
	uint64_t now = p->wheel->now, wait = UINT64_MAX;
	struct pacer_mac *m;
	bool window_full = false;

	pacer_refill(p);
	for (e = p->head.next; e != &p->head; e = next) {
		next = e->next;
		if (p->rate && p->credit < 1000)
			break;
		if (p->win && !setup_win_may_start(p->win)) {
			window_full = true; /* pacer_kick() comes when a setup ends */
			break;
		}
		m = pacer_mac_get(p, e->mac, true);
		if (m && m->last_ms && now < m->last_ms + PACER_MAC_INTERVAL_MS) {
			if (m->last_ms + PACER_MAC_INTERVAL_MS - now < wait)
				wait = m->last_ms + PACER_MAC_INTERVAL_MS - now;
			continue;
		}
		if (m)
			m->last_ms = now ? now : 1;
		if (p->rate)
			p->credit -= 1000;
		pacer_unlink(p, e);
		p->go(p, e); /* may queue or cancel entries, but only behind us */
		/* go() may have removed the entry we planned to visit next. */
		if (next != &p->head && !next->queued)
			next = p->head.next;
	}
	if (!p->queued || (window_full && wait == UINT64_MAX)) {
		tw_cancel(p->wheel, &p->timer);
		return;
	}
	if (p->rate && p->credit < 1000 && !window_full) {
		uint64_t need = (1000 - p->credit + p->rate - 1) / p->rate;

		if (need < wait)
			wait = need;
	}
	if (wait == UINT64_MAX)
		wait = 1;
	tw_arm(p->wheel, &p->timer, wait);
}

static void pacer_timer(struct tw_timer *t)
{
	pacer_run(container_of(t, struct pacer, timer));
}

void pacer_init(struct pacer *p, struct tw_wheel *wheel, unsigned int rate,
		void (*go)(struct pacer *p, struct pacer_entry *e))
{
	memset(p, 0, sizeof(*p));
	p->wheel = wheel;
	p->go = go;
	p->head.next = p->head.prev = &p->head;
	p->last_ms = wheel->now;
	tw_timer_init(&p->timer, pacer_timer);
	pacer_set_rate(p, rate);
	p->credit = p->credit_max;
}

void pacer_set_rate(struct pacer *p, unsigned int rate)
{
	pacer_refill(p);
	p->rate = rate;
	/* A burst of a tenth of a second's worth keeps the pace smooth. */
	p->credit_max = (uint64_t)(rate / 10 > 1 ? rate / 10 : 1) * 1000;
	if (p->credit > p->credit_max)
		p->credit = p->credit_max;
}

void pacer_free(struct pacer *p)
{
	struct pacer_mac *m, *next;
	unsigned int i;

	tw_cancel(p->wheel, &p->timer);
	for (i = 0; i < PACER_MAC_BUCKETS; i++) {
		for (m = p->macs[i]; m; m = next) {
			next = m->next;
			free(m);
		}
		p->macs[i] = NULL;
	}
	while (p->head.next != &p->head)
		pacer_unlink(p, p->head.next);
}

void pacer_request(struct pacer *p, struct pacer_entry *e)
{
	if (e->queued)
		return;
	e->queued = true;
	e->prev = p->head.prev;
	e->next = &p->head;
	p->head.prev->next = e;
	p->head.prev = e;
	p->queued++;
	/* Run from the timer, never from inside the caller's state change. */
	if (!tw_pending(&p->timer))
		tw_arm(p->wheel, &p->timer, 0);
}

void pacer_cancel(struct pacer *p, struct pacer_entry *e)
{
	if (e->queued)
		pacer_unlink(p, e);
}

void pacer_kick(struct pacer *p)
{
	if (p->queued)
		tw_arm(p->wheel, &p->timer, 0);
}
