/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * session_harness.h - client sessions (pppoe/session.c with the real
 * discovery and PPP code) against the acsim access concentrator, in
 * process, under a fake clock. Shared by test_session.c and
 * test_conformance.c; include once, after cmocka.h.
 *
 * Both sides share one timer wheel. Frames never go straight from one
 * side into the other: they are queued and delivered by pump() between
 * clock steps, so no handler ever runs inside another's output call.
 * Frames from acsim reach every session whose MAC is the destination
 * (each session has its own MAC), so the session's own filters are what
 * is tested, not a daemon-side demux. t.log records the kind and time of
 * every client frame; t.c_tap/t.a_tap see the bytes of both directions.
 */
#ifndef PPPOE_TEST_SESSION_HARNESS_H
#define PPPOE_TEST_SESSION_HARNESS_H

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pppoe/log.h"
#include "pppoe/session.h"
#include "pppoe/timer.h"
#include "pppoe/wire.h"
#include "tests/acsim/acsim.h"

#define T0_MS 1000000
#define STEP_MS TW_TICK_MS
#define LOG_MAX 16384
#define PUMP_MAX 1000000 /* frames per pump() before we call it a storm */

struct qframe {
	struct qframe *next;
	size_t len;
	uint8_t d[];
};

struct queue {
	struct qframe *head, **tail;
	unsigned int n;
};

/* One client session and what its callbacks saw. */
struct tsess {
	struct session s;
	unsigned int up_calls, down_calls, bound_calls, unbound_calls;
	struct ppp_net net;
	uint8_t ip[2048];
	size_t iplen;
	unsigned int ip_rx;
};

/* One frame the clients sent, for ordering and timing assertions. */
struct txlog {
	uint64_t when;
	enum acsim_pkt kind;
	unsigned int sess;
};

static struct {
	struct tw_wheel wheel;
	struct acsim_conf acconf;
	struct acsim *ac;
	struct session_conf conf;
	struct tsess *ts;
	unsigned int n;
	struct queue c2a, a2c;
	struct txlog log[LOG_MAX];
	unsigned int nlog;
	/* Optional taps: every frame a client sends / acsim delivers. */
	void (*c_tap)(unsigned int sess, const uint8_t *frame, size_t len);
	void (*a_tap)(const uint8_t *frame, size_t len);
	/* Optional man in the middle for acsim's frames (a relay agent):
	 * rewrite @frame in place (room for @cap bytes), return the new
	 * length, or 0 to drop it. Runs before a_tap. */
	size_t (*a_rewrite)(uint8_t *frame, size_t len, size_t cap);
	/* What the owner's optional callbacks saw / answer. */
	bool ac_alive;                 /* ops->ac_alive's answer */
	unsigned int setup_ev[SESSION_SETUP_EXPIRED + 1];
	unsigned int echo_missed;
} t;

static const struct acsim_user users[] = {
	{ "alice", "secret" },
	{ "bob", "hunter2" },
};

/* ---- queues ------------------------------------------------------------- */

static inline void q_push(struct queue *q, const uint8_t *d, size_t len)
{
	struct qframe *f = malloc(sizeof(*f) + len);

	assert_non_null(f);
	f->next = NULL;
	f->len = len;
	memcpy(f->d, d, len);
	*q->tail = f;
	q->tail = &f->next;
	q->n++;
}

static inline struct qframe *q_pop(struct queue *q)
{
	struct qframe *f = q->head;

	if (!f)
		return NULL;
	q->head = f->next;
	if (!q->head)
		q->tail = &q->head;
	q->n--;
	return f;
}

static inline void q_init(struct queue *q)
{
	q->head = NULL;
	q->tail = &q->head;
	q->n = 0;
}

static inline void q_flush(struct queue *q)
{
	struct qframe *f;

	while ((f = q_pop(q)))
		free(f);
}

/* ---- callbacks ------------------------------------------------------------- */

static inline int c_output(struct session *s, const uint8_t *frame, size_t len)
{
	struct tsess *ts = s->ctx;

	if (t.nlog < LOG_MAX) {
		t.log[t.nlog].when = t.wheel.now;
		t.log[t.nlog].kind = acsim_classify(frame, len);
		t.log[t.nlog].sess = (unsigned int)(ts - t.ts);
		t.nlog++;
	}
	if (t.c_tap)
		t.c_tap((unsigned int)(ts - t.ts), frame, len);
	q_push(&t.c2a, frame, len);
	return 0;
}

static inline void c_net_up(struct session *s, const struct ppp_net *net)
{
	struct tsess *ts = s->ctx;

	ts->net = *net;
	ts->up_calls++;
}

static inline void c_net_down(struct session *s)
{
	struct tsess *ts = s->ctx;

	ts->down_calls++;
}

static inline void c_bound(struct session *s)
{
	struct tsess *ts = s->ctx;

	ts->bound_calls++;
}

static inline void c_unbound(struct session *s)
{
	struct tsess *ts = s->ctx;

	ts->unbound_calls++;
}

static inline void c_setup(struct session *s, enum session_setup_ev ev)
{
	(void)s;
	t.setup_ev[ev]++;
}

static inline bool c_ac_alive(struct session *s)
{
	(void)s;
	return t.ac_alive;
}

static inline void c_echo_missed(struct session *s)
{
	(void)s;
	t.echo_missed++;
}

static inline bool c_ac_heard_since(struct session *s, uint64_t since_ms)
{
	(void)s;
	(void)since_ms;
	return t.ac_alive;
}

static const struct session_ops c_ops = {
	.output = c_output,
	.net_up = c_net_up,
	.net_down = c_net_down,
	.bound = c_bound,
	.unbound = c_unbound,
	.setup = c_setup,
	.ac_alive = c_ac_alive,
	.echo_missed = c_echo_missed,
	.ac_heard_since = c_ac_heard_since,
};

/* Pacing that lets every dial go at once: what an owner with a pacer
 * looks like to the session (a test sets S(i)->ops = &c_ops_paced). */
static inline void c_dial_request(struct session *s)
{
	session_dial_go(s);
}

static inline void c_dial_cancel(struct session *s)
{
	(void)s;
}

static const struct session_ops c_ops_paced = {
	.output = c_output,
	.net_up = c_net_up,
	.net_down = c_net_down,
	.bound = c_bound,
	.unbound = c_unbound,
	.dial_request = c_dial_request,
	.dial_cancel = c_dial_cancel,
	.setup = c_setup,
	.ac_alive = c_ac_alive,
	.echo_missed = c_echo_missed,
	.ac_heard_since = c_ac_heard_since,
};

static inline int ac_output(void *ctx, const uint8_t *frame, size_t len)
{
	q_push(&t.a2c, frame, len);
	return 0;
}

/* ---- the wire and the clock ----------------------------------------------- */

/* deliver - one frame from the AC to every session owning its destination */
static inline void deliver(const uint8_t *frame, size_t len)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct pppoe_frame f;
	struct disc_pkt p;
	const uint8_t *ip;
	size_t iplen;
	unsigned int i;

	if (disc_rx_decode(frame, len, &f, &p))
		return;
	for (i = 0; i < t.n; i++) {
		struct tsess *ts = &t.ts[i];

		if (memcmp(f.dst, ts->s.mac, 6) && memcmp(f.dst, bcast, 6))
			continue;
		if (session_rx(&ts->s, &f, f.ethertype == ETH_P_PPP_DISC_ ? &p : NULL, &ip, &iplen) == 1) {
			assert_true(iplen <= sizeof(ts->ip));
			memcpy(ts->ip, ip, iplen);
			ts->iplen = iplen;
			ts->ip_rx++;
		}
	}
}

/* pump_one - one frame from the AC through the rewriter and tap to the clients */
static inline void pump_one(const struct qframe *f)
{
	uint8_t buf[2048];
	size_t len = f->len;

	if (!t.a_rewrite || len > sizeof(buf)) {
		if (t.a_tap)
			t.a_tap(f->d, len);
		deliver(f->d, len);
		return;
	}
	memcpy(buf, f->d, len);
	len = t.a_rewrite(buf, len, sizeof(buf));
	if (!len)
		return;
	if (t.a_tap)
		t.a_tap(buf, len);
	deliver(buf, len);
}

/* pump - deliver queued frames both ways until the wire is quiet */
static inline void pump(void)
{
	struct qframe *f;
	unsigned int n = 0;

	while (t.c2a.n || t.a2c.n) {
		assert_true(++n < PUMP_MAX);
		f = q_pop(&t.c2a);
		if (f) {
			acsim_input(t.ac, f->d, f->len);
			free(f);
		}
		f = q_pop(&t.a2c);
		if (f) {
			pump_one(f);
			free(f);
		}
	}
}

static inline void step(void)
{
	tw_advance(&t.wheel, t.wheel.now + STEP_MS);
	pump();
}

/* run_for - let @ms of fake time pass, delivering frames as they go */
static inline void run_for(uint64_t ms)
{
	uint64_t end = t.wheel.now + ms;

	pump();
	while (t.wheel.now < end)
		step();
}

static inline void run_ms(uint64_t ms)
{
	uint64_t end = t.wheel.now + ms;

	pump();
	while (t.wheel.now < end)
		step();
}

/* RUN_UNTIL - step the clock until @cond holds or @max_ms pass; yields @cond */
#define RUN_UNTIL(cond, max_ms) ({ \
	uint64_t end_ = t.wheel.now + (max_ms); \
	pump(); \
	while (!(cond) && t.wheel.now < end_) \
		step(); \
	(cond); \
})

/* ---- setup ------------------------------------------------------------------ */

static inline void setup(enum acsim_auth auth, unsigned int n)
{
	unsigned int i;
	uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x00 };

	memset(&t, 0, sizeof(t));
	q_init(&t.c2a);
	q_init(&t.a2c);
	tw_init(&t.wheel, T0_MS);

	acsim_conf_default(&t.acconf);
	t.acconf.auth = auth;
	t.acconf.users = users;
	t.acconf.n_users = sizeof(users) / sizeof(users[0]);
	t.acconf.output = ac_output;
	t.ac = acsim_new(&t.acconf, &t.wheel);
	assert_non_null(t.ac);

	snprintf(t.conf.name, sizeof(t.conf.name), "s");
	snprintf(t.conf.ifname, sizeof(t.conf.ifname), "ppp0");
	snprintf(t.conf.user, sizeof(t.conf.user), "alice");
	snprintf(t.conf.password, sizeof(t.conf.password), "secret");
	t.conf.mac_mode = SESSION_MAC_FIXED;
	t.conf.holdoff = 2;
	t.conf.holdoff_max = 10;
	t.conf.disc.service = t.conf.service;
	t.conf.ppp.user = t.conf.user;
	t.conf.ppp.password = t.conf.password;
	t.conf.ppp.mru = 1492;
	t.conf.ppp.want_dns = true;

	t.n = n;
	t.ts = calloc(n, sizeof(*t.ts));
	assert_non_null(t.ts);
	for (i = 0; i < n; i++) {
		mac[4] = (uint8_t)(i >> 8);
		mac[5] = (uint8_t)i;
		session_init(&t.ts[i].s, &t.conf, &c_ops, &t.wheel, mac, i, &t.ts[i]);
	}
}

static inline int teardown(void **state)
{
	q_flush(&t.c2a);
	q_flush(&t.a2c);
	acsim_free(t.ac);
	free(t.ts);
	memset(&t, 0, sizeof(t));
	return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

static inline struct session *S(unsigned int i)
{
	return &t.ts[i].s;
}

/* ac_of - the AC's side of client session @i */
static inline struct acsim_sess *ac_of(unsigned int i)
{
	return acsim_find(t.ac, S(i)->mac, S(i)->disc.session_id);
}

/* client_send_ip - what the daemon does with a TUN packet */
static inline void client_send_ip(unsigned int i, const uint8_t *ip, size_t len)
{
	struct session *s = S(i);
	uint8_t frame[PPPOE_SESS_HLEN + 8 + 2048];
	size_t hl;

	assert_true(ppp_ip_ok(&s->ppp));
	hl = pppoe_sess_hdr_encode_vlan(frame, s->disc.ac_mac, s->mac, &s->disc.vlan,
					s->disc.session_id, PPP_IP, (uint16_t)len);
	memcpy(frame + hl, ip, len);
	c_output(s, frame, hl + len);
	pump();
}

/* log_find - index of the first client frame of @kind sent at or after @from */
static inline int log_find(enum acsim_pkt kind, unsigned int from)
{
	unsigned int i;

	for (i = from; i < t.nlog; i++)
		if (t.log[i].kind == kind)
			return (int)i;
	return -1;
}

static inline void assert_up(unsigned int i)
{
	struct tsess *ts = &t.ts[i];

	assert_int_equal(ts->s.state, SESS_UP);
	assert_true(ppp_ip_ok(&ts->s.ppp));
	assert_true(acsim_sess_up(ac_of(i)));
}

static inline void assert_net(unsigned int i, uint32_t local)
{
	const struct ppp_net *net = &t.ts[i].net;

	assert_int_equal(net->local, htonl(local));
	assert_int_equal(net->peer, htonl(ACSIM_IP4(10, 64, 0, 1)));
	assert_int_equal(net->dns1, htonl(ACSIM_IP4(10, 64, 0, 53)));
	assert_int_equal(net->dns2, htonl(ACSIM_IP4(10, 64, 0, 54)));
	assert_int_equal(net->mtu, 1492);
}

/* bring_up - start session @i and wait until its network is up */
static inline void bring_up(unsigned int i)
{
	session_start(S(i));
	if (!RUN_UNTIL(S(i)->state == SESS_UP, 10000))
		fail_msg("session %u stuck in %s (%s)", i, session_state_name(S(i)->state),
			 S(i)->last_error);
	assert_up(i);
}

/* wait_holdoff - from HOLDOFF, the time until the next dial, in ms */
static inline uint64_t wait_holdoff(unsigned int i)
{
	unsigned int dials = S(i)->dials;
	uint64_t t0 = t.wheel.now;

	/* Count dials, not states: a whole failed attempt fits in one pump(). */
	assert_int_equal(S(i)->state, SESS_HOLDOFF);
	assert_true(RUN_UNTIL(S(i)->dials != dials, 120000));
	assert_int_equal(S(i)->dials, dials + 1);
	return t.wheel.now - t0;
}

/* assert_jitter - a holdoff wait lies in [base/2, base] (plus one tick) */
static inline void assert_jitter(uint64_t waited, uint64_t base_ms)
{
	if (waited < base_ms / 2 || waited > base_ms + STEP_MS)
		fail_msg("holdoff waited %llu ms, wanted [%llu, %llu]",
			 (unsigned long long)waited, (unsigned long long)(base_ms / 2),
			 (unsigned long long)base_ms);
}

#endif
