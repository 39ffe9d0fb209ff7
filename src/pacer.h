/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pacer.h - dial pacing: at most `rate` dials per second over the whole
 * daemon (a token bucket), and at most one dial per second per MAC
 * address, so a restart of thousands of sessions neither floods the access
 * concentrator nor gets the line throttled; and never more sessions in
 * setup at once than the setup window allows (src/setup.h). Pure: time
 * comes from the timer wheel; tests drive it with a fake clock.
 */
#ifndef PPPOE_XDP_PACER_H
#define PPPOE_XDP_PACER_H

#include <stdbool.h>
#include <stdint.h>

#include "pppoe/timer.h"

struct setup_win;

#define PACER_MAC_BUCKETS 1024
#define PACER_MAC_INTERVAL_MS 1000

struct pacer;

/* One waiting dial; embed it in the session. */
struct pacer_entry {
	struct pacer_entry *next, *prev;
	const uint8_t *mac;   /* the MAC the dial's PADI comes from */
	bool queued;
};

struct pacer_mac;

struct pacer {
	struct tw_wheel *wheel;
	struct tw_timer timer;
	unsigned int rate;    /* dials per second, 0 = unlimited */
	uint64_t credit;      /* in thousandths of a dial */
	uint64_t credit_max;
	uint64_t last_ms;
	struct pacer_entry head; /* FIFO sentinel */
	unsigned int queued;
	struct pacer_mac *macs[PACER_MAC_BUCKETS];
	struct setup_win *win;   /* the setup window, asked before each dial; may be NULL */
	void (*go)(struct pacer *p, struct pacer_entry *e);
};

void pacer_init(struct pacer *p, struct tw_wheel *wheel, unsigned int rate,
		void (*go)(struct pacer *p, struct pacer_entry *e));
void pacer_free(struct pacer *p);
/* pacer_set_rate - change the rate (config reload) */
void pacer_set_rate(struct pacer *p, unsigned int rate);
/* pacer_request - queue @e; go() is called when it may dial (maybe now) */
void pacer_request(struct pacer *p, struct pacer_entry *e);
/* pacer_cancel - withdraw @e if it is queued */
void pacer_cancel(struct pacer *p, struct pacer_entry *e);
/* pacer_kick - the setup window has room again: let queued dials go */
void pacer_kick(struct pacer *p);

#endif
