/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ppp_harness.h - fake transport and fake clock for the PPP tests: every
 * packet the link sends is captured, ops callbacks are counted, time only
 * moves through h_advance(). Include once, after cmocka.h.
 */
#ifndef PPPOE_TEST_PPP_HARNESS_H
#define PPPOE_TEST_PPP_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "pppoe/cp.h"
#include "pppoe/log.h"
#include "pppoe/ppp.h"
#include "pppoe/wire.h"

#define H_MAX_PKTS 128
#define H_T0 1000000 /* fake clock start, ms */

struct h_pkt {
	uint16_t proto;
	uint8_t d[1600];
	size_t len;
};

static struct {
	struct tw_wheel wheel;
	struct ppp ppp;
	struct ppp_conf conf;
	struct h_pkt pkts[H_MAX_PKTS];
	unsigned int n, rd;
	unsigned int up_calls, down_calls, dead_calls;
	struct ppp_net net;
	enum ppp_reason why;
	bool reopen;            /* h_dead redials at once */
	int ctx;
	uint8_t rand[16];       /* what ops->random hands out, over and over */
	unsigned int random_calls;
} h;

/* A byte array literal and its size, for h_expect()/h_rx(). */
#define B(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })
#define U32(v) (uint8_t)((v) >> 24), (uint8_t)((v) >> 16), (uint8_t)((v) >> 8), (uint8_t)(v)

static int h_output(struct ppp *ppp, uint16_t proto, const uint8_t *data, size_t len)
{
	assert_ptr_equal(ppp, &h.ppp);
	assert_true(h.n < H_MAX_PKTS);
	assert_true(len <= sizeof(h.pkts[0].d));
	h.pkts[h.n].proto = proto;
	memcpy(h.pkts[h.n].d, data, len);
	h.pkts[h.n].len = len;
	h.n++;
	return 0;
}

static void h_network_up(struct ppp *ppp, const struct ppp_net *net)
{
	assert_true(ppp_ip_ok(ppp));
	h.net = *net;
	h.up_calls++;
}

static void h_network_down(struct ppp *ppp)
{
	assert_false(ppp_ip_ok(ppp));
	h.down_calls++;
}

static void h_dead(struct ppp *ppp, enum ppp_reason why)
{
	assert_int_equal(ppp->phase, PPP_PHASE_DEAD);
	h.why = why;
	h.dead_calls++;
	if (h.reopen) {
		h.reopen = false;
		ppp_open(ppp, 0);
	}
}

static void h_random(struct ppp *ppp, uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = h.rand[i % sizeof(h.rand)];
	h.random_calls++;
}

static const struct ppp_ops h_ops = {
	.output = h_output,
	.network_up = h_network_up,
	.network_down = h_network_down,
	.dead = h_dead,
	.random = h_random,
};

static inline void h_setup(void)
{
	memset(&h, 0, sizeof(h));
	h.conf.user = "alice";
	h.conf.password = "secret";
	h.conf.want_dns = true;
	tw_init(&h.wheel, H_T0);
	ppp_init(&h.ppp, &h.conf, &h_ops, &h.wheel, "test/ppp0", &h.ctx);
	/* Deterministic magic numbers. */
	h.ppp.lcp.rng = 0x1234567887654321ULL;
}

static inline void h_dump(const char *what, const uint8_t *d, size_t len)
{
	size_t i;

	fprintf(stderr, "%s (%zu):", what, len);
	for (i = 0; i < len; i++)
		fprintf(stderr, " %02x", d[i]);
	fprintf(stderr, "\n");
}

/* h_next - the next packet the link sent, which must exist */
static inline struct h_pkt *h_next(void)
{
	if (h.rd >= h.n)
		fail_msg("expected another packet, only %u were sent", h.n);
	return &h.pkts[h.rd++];
}

/* h_check - @p is @proto/@want; its identifier (byte 1) too if @with_id */
static inline void h_check(const struct h_pkt *p, uint16_t proto, const uint8_t *want,
			   size_t len, bool with_id)
{
	bool same = p->proto == proto && p->len == len;
	size_t i;

	for (i = 0; same && i < len; i++)
		same = p->d[i] == want[i] || (i == 1 && !with_id);
	if (!same) {
		fprintf(stderr, "packet %u: proto 0x%04x, wanted 0x%04x\n", h.rd - 1, p->proto,
			proto);
		h_dump("got   ", p->d, p->len);
		h_dump("wanted", want, len);
		fail();
	}
}

/* h_expect - the next packet is exactly @proto/@want */
static inline void h_expect(uint16_t proto, const uint8_t *want, size_t len)
{
	h_check(h_next(), proto, want, len, true);
}

/*
 * Identifiers of the packets we originate (Configure-Request, Terminate-
 * Request, Echo-Request, Code-Reject) are the client's choice: a test
 * takes them from the packet on the wire, never from the client's own
 * state, so that the peer's reply carries what was really sent. Write
 * H_ID in the identifier byte of an expected packet whose identifier
 * h_expect_id() returns.
 */
#define H_ID 0x00

/* h_expect_id - the next packet is @proto/@want but for its identifier: return that */
static inline uint8_t h_expect_id(uint16_t proto, const uint8_t *want, size_t len)
{
	struct h_pkt *p = h_next();

	h_check(p, proto, want, len, false);
	assert_true(p->len >= 2);
	return p->d[1];
}

/* h_next_id - the next packet is one of @proto with @code: its identifier */
static inline uint8_t h_next_id(uint16_t proto, uint8_t code)
{
	struct h_pkt *p = h_next();

	assert_int_equal(p->proto, proto);
	assert_true(p->len >= 4);
	assert_int_equal(p->d[0], code);
	return p->d[1];
}

/* h_none - nothing more was sent */
static inline void h_none(void)
{
	if (h.rd < h.n) {
		h_dump("unexpected packet", h.pkts[h.rd].d, h.pkts[h.rd].len);
		fail_msg("%u unexpected packets", h.n - h.rd);
	}
}

static inline void h_rx(uint16_t proto, const uint8_t *d, size_t len)
{
	ppp_input(&h.ppp, proto, d, len);
}

static inline void h_advance(uint64_t ms)
{
	tw_advance(&h.wheel, h.wheel.now + ms);
}

/*
 * h_rx_wrong_ids - the peer's reply @pkt (Ack, Nak or Reject; its byte 1
 * is ignored) to our request @id arrives with the identifiers either side
 * of @id: @f must discard both, changing state and sending nothing.
 */
static inline void h_rx_wrong_ids(const struct fsm *f, uint16_t proto, const uint8_t *pkt,
				  size_t len, uint8_t id)
{
	static const int delta[] = { 1, -1 };
	enum fsm_state st = f->state;
	unsigned int n = h.n, up = h.up_calls, i;
	uint8_t buf[256];

	assert_true(len >= 4 && len <= sizeof(buf));
	memcpy(buf, pkt, len);
	for (i = 0; i < sizeof(delta) / sizeof(delta[0]); i++) {
		buf[1] = (uint8_t)(id + delta[i]);
		h_rx(proto, buf, len);
		if (f->state != st || h.n != n || h.up_calls != up)
			fail_msg("%s with id %u, not our request's %u, was taken",
				 cp_code_name(buf[0]), buf[1], id);
	}
}

static inline uint32_t h_magic(void)
{
	return h.ppp.lcp.magic;
}

#define PEER_MAGIC 0x50505050

/*
 * h_lcp_up - open the link and bring LCP up: our Configure-Request (MRU
 * 1492, magic), the peer's (MRU 1492, @auth option bytes, magic), Acks
 * both ways (ours only after Acks with wrong identifiers were discarded).
 * Leaves the packets after LCP's in the queue.
 */
static inline void h_lcp_up(const uint8_t *auth, size_t auth_len)
{
	uint8_t req[64];
	size_t n = 0;
	uint8_t id;

	ppp_open(&h.ppp, 0);
	id = h_expect_id(PPP_LCP, B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06,
				    U32(h_magic())));
	req[n++] = 0x01;
	req[n++] = 0x01;
	req[n++] = 0;
	req[n++] = 0;
	memcpy(req + n, (const uint8_t[]){ 0x01, 0x04, 0x05, 0xd4 }, 4);
	n += 4;
	if (auth_len) {
		memcpy(req + n, auth, auth_len);
		n += auth_len;
	}
	memcpy(req + n, (const uint8_t[]){ 0x05, 0x06, U32(PEER_MAGIC) }, 6);
	n += 6;
	req[3] = (uint8_t)n;
	h_rx(PPP_LCP, req, n);
	/* Configure-Ack: the same packet, code 2 */
	req[0] = 0x02;
	h_expect(PPP_LCP, req, n);
	h_rx_wrong_ids(&h.ppp.lcp.fsm, PPP_LCP, B(0x02, H_ID, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4,
						  0x05, 0x06, U32(h_magic())), id);
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_ACK_SENT);
	h_rx(PPP_LCP, B(0x02, id, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06,
			U32(h_magic())));
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_OPENED);
}

/* h_ipcp_up - from Network phase: IPCP with Naks to 10.0.0.1, DNS
 * 8.8.8.8 / 8.8.4.4, peer 10.0.0.254; a Nak and an Ack with wrong
 * identifiers are discarded on the way */
static inline void h_ipcp_up(void)
{
	uint8_t id, id2;

	id = h_expect_id(PPP_IPCP, B(0x01, H_ID, 0x00, 0x16, 0x03, 0x06, 0, 0, 0, 0, 0x81, 0x06,
				     0, 0, 0, 0, 0x83, 0x06, 0, 0, 0, 0));
	h_rx(PPP_IPCP, B(0x01, 0x01, 0x00, 0x0a, 0x03, 0x06, 10, 0, 0, 254));
	h_expect(PPP_IPCP, B(0x02, 0x01, 0x00, 0x0a, 0x03, 0x06, 10, 0, 0, 254));
	h_rx_wrong_ids(&h.ppp.ipcp.fsm, PPP_IPCP, B(0x03, H_ID, 0x00, 0x16, 0x03, 0x06, 10, 0, 0,
						    1, 0x81, 0x06, 8, 8, 8, 8, 0x83, 0x06, 8,
						    8, 4, 4), id);
	h_rx(PPP_IPCP, B(0x03, id, 0x00, 0x16, 0x03, 0x06, 10, 0, 0, 1, 0x81, 0x06, 8, 8, 8, 8,
			 0x83, 0x06, 8, 8, 4, 4));
	/* New options, new identifier (RFC 1661 5.1) */
	id2 = h_expect_id(PPP_IPCP, B(0x01, H_ID, 0x00, 0x16, 0x03, 0x06, 10, 0, 0, 1, 0x81, 0x06,
				      8, 8, 8, 8, 0x83, 0x06, 8, 8, 4, 4));
	assert_int_not_equal(id2, id);
	h_rx_wrong_ids(&h.ppp.ipcp.fsm, PPP_IPCP, B(0x02, H_ID, 0x00, 0x16, 0x03, 0x06, 10, 0, 0,
						    1, 0x81, 0x06, 8, 8, 8, 8, 0x83, 0x06, 8,
						    8, 4, 4), id2);
	h_rx(PPP_IPCP, B(0x02, id2, 0x00, 0x16, 0x03, 0x06, 10, 0, 0, 1, 0x81, 0x06, 8, 8, 8, 8,
			 0x83, 0x06, 8, 8, 4, 4));
	assert_int_equal(h.ppp.ipcp.fsm.state, FSM_OPENED);
	assert_true(ppp_ip_ok(&h.ppp));
}

#endif
