// SPDX-License-Identifier: GPL-2.0-or-later
/* test_ipv6cp.c - IPv6CP (RFC 5072) on the shared automaton, exact bytes */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ppp_harness.h"
#include "pppoe/ip6.h"

#define A(...) ((const uint8_t[]){ __VA_ARGS__ })
#define OURS 0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77
#define PEER 0x0a, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x01

static unsigned int up6, down6;
static struct ppp_net6 net6;

static void t_network6_up(struct ppp *ppp, const struct ppp_net6 *n)
{
	assert_true(ppp_ip6_ok(ppp));
	net6 = *n;
	up6++;
}

static void t_network6_down(struct ppp *ppp)
{
	assert_false(ppp_ip6_ok(ppp));
	down6++;
}

static struct ppp_ops t_ops;

static int setup(void **state)
{
	static const uint8_t ours[8] = { OURS };

	(void)state;
	h_setup();
	h.conf.ipv6 = true;
	t_ops = h_ops;
	t_ops.network6_up = t_network6_up;
	t_ops.network6_down = t_network6_down;
	h.ppp.ops = &t_ops;
	memcpy(h.ppp.ipv6cp.pref_iid, ours, 8);
	up6 = down6 = 0;
	memset(&net6, 0, sizeof(net6));
	return 0;
}

/* next6 - the next IPv6CP packet sent (IPCP's are skipped) */
static struct h_pkt *next6(void)
{
	struct h_pkt *p;

	do
		p = h_next();
	while (p->proto == PPP_IPCP);
	assert_int_equal(p->proto, PPP_IPV6CP);
	return p;
}

/* expect6 - the next IPv6CP packet is @want (identifier returned if H_ID) */
static uint8_t expect6(const uint8_t *want, size_t len)
{
	(void)next6();
	h.rd--;
	return h_expect_id(PPP_IPV6CP, want, len);
}

/* drop6 - take the IPv6CP packets still queued out of the queue, so the
 * IPv4 harness sees IPCP's alone */
static void drop6(void)
{
	unsigned int i, j = h.rd;

	for (i = h.rd; i < h.n; i++)
		if (h.pkts[i].proto != PPP_IPV6CP)
			h.pkts[j++] = h.pkts[i];
	h.n = j;
}

static void none6(void)
{
	while (h.rd < h.n) {
		if (h.pkts[h.rd].proto == PPP_IPV6CP) {
			h_dump("unexpected IPv6CP", h.pkts[h.rd].d, h.pkts[h.rd].len);
			fail();
		}
		h.rd++;
	}
}

/* Both identifiers Acked: up with fe80::OURS and fe80::PEER. */
static void test_ack(void **state)
{
	static const uint8_t ll[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, OURS };
	static const uint8_t pl[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, PEER };
	uint8_t id;

	h_lcp_up(NULL, 0);
	id = expect6(B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x0a, OURS));
	h_rx(PPP_IPV6CP, B(0x01, 0x07, 0x00, 0x0e, 0x01, 0x0a, PEER));
	h_expect(PPP_IPV6CP, B(0x02, 0x07, 0x00, 0x0e, 0x01, 0x0a, PEER));
	h_rx_wrong_ids(&h.ppp.ipv6cp.fsm, PPP_IPV6CP, B(0x02, H_ID, 0x00, 0x0e, 0x01, 0x0a, OURS),
		       id);
	assert_int_equal(up6, 0);
	h_rx(PPP_IPV6CP, B(0x02, id, 0x00, 0x0e, 0x01, 0x0a, OURS));
	assert_int_equal(up6, 1);
	assert_memory_equal(net6.local, ll, 16);
	assert_memory_equal(net6.peer, pl, 16);
	assert_true(ppp_ip6_ok(&h.ppp));
	/* IPv6CP up does not make the network phase: IPCP still owns it. */
	assert_false(ppp_ip_ok(&h.ppp));
	assert_int_equal(h.up_calls, 0);
	/* The peer's Terminate-Request: IPv6 down, the link stays. */
	h_rx(PPP_IPV6CP, B(0x05, 0x08, 0x00, 0x04));
	h_expect(PPP_IPV6CP, B(0x06, 0x08, 0x00, 0x04));
	assert_int_equal(down6, 1);
	assert_false(ppp_ip6_ok(&h.ppp));
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_OPENED);
	assert_int_equal(h.dead_calls, 0);
}

/* The peer Naks our identifier: its suggestion is taken (RFC 5072 4.1). */
static void test_nak_ours(void **state)
{
	static const uint8_t ll[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 9, 8, 7, 6, 5, 4, 3, 2 };
	uint8_t id;

	h_lcp_up(NULL, 0);
	id = expect6(B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x0a, OURS));
	h_rx(PPP_IPV6CP, B(0x01, 0x01, 0x00, 0x0e, 0x01, 0x0a, PEER));
	h_expect(PPP_IPV6CP, B(0x02, 0x01, 0x00, 0x0e, 0x01, 0x0a, PEER));
	h_rx(PPP_IPV6CP, B(0x03, id, 0x00, 0x0e, 0x01, 0x0a, 9, 8, 7, 6, 5, 4, 3, 2));
	id = expect6(B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x0a, 9, 8, 7, 6, 5, 4, 3, 2));
	h_rx(PPP_IPV6CP, B(0x02, id, 0x00, 0x0e, 0x01, 0x0a, 9, 8, 7, 6, 5, 4, 3, 2));
	assert_int_equal(up6, 1);
	assert_memory_equal(net6.local, ll, 16);
}

/* A Nak suggesting zero, or the peer's own identifier, is not taken. */
static void test_nak_unusable(void **state)
{
	uint8_t id;

	h_lcp_up(NULL, 0);
	id = expect6(B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x0a, OURS));
	h_rx(PPP_IPV6CP, B(0x01, 0x01, 0x00, 0x0e, 0x01, 0x0a, PEER));
	h_expect(PPP_IPV6CP, B(0x02, 0x01, 0x00, 0x0e, 0x01, 0x0a, PEER));
	h_rx(PPP_IPV6CP, B(0x03, id, 0x00, 0x0e, 0x01, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0));
	id = expect6(B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x0a, OURS));
	h_rx(PPP_IPV6CP, B(0x03, id, 0x00, 0x0e, 0x01, 0x0a, PEER));
	id = expect6(B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x0a, OURS));
	h_rx(PPP_IPV6CP, B(0x02, id, 0x00, 0x0e, 0x01, 0x0a, OURS));
	assert_int_equal(up6, 1);
}

/* A peer that sends no identifier is Acked; its link-local is unknown. */
static void test_peer_without_iid(void **state)
{
	static const uint8_t zero[16];
	uint8_t id;

	h_lcp_up(NULL, 0);
	id = expect6(B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x0a, OURS));
	h_rx(PPP_IPV6CP, B(0x01, 0x03, 0x00, 0x04));
	h_expect(PPP_IPV6CP, B(0x02, 0x03, 0x00, 0x04));
	h_rx(PPP_IPV6CP, B(0x02, id, 0x00, 0x0e, 0x01, 0x0a, OURS));
	assert_int_equal(up6, 1);
	assert_memory_equal(net6.peer, zero, 16);
}

/* A zero identifier from the peer gets a Nak suggesting one: non-zero, not
 * ours, the same every time; equal identifiers too (RFC 5072 4.1). */
static void test_peer_zero_and_equal(void **state)
{
	static const uint8_t ours[8] = { OURS }, zero[8];
	struct h_pkt *p;
	uint8_t sugg[8];

	h_lcp_up(NULL, 0);
	(void)expect6(B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x0a, OURS));
	h_rx(PPP_IPV6CP, B(0x01, 0x04, 0x00, 0x0e, 0x01, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0));
	p = next6();
	assert_int_equal(p->len, 14);
	assert_memory_equal(p->d, A(0x03, 0x04, 0x00, 0x0e, 0x01, 0x0a), 6);
	memcpy(sugg, p->d + 6, 8);
	assert_memory_not_equal(sugg, zero, 8);
	assert_memory_not_equal(sugg, ours, 8);
	/* Equal to ours: a Nak with a different one (the same suggestion). */
	h_rx(PPP_IPV6CP, B(0x01, 0x05, 0x00, 0x0e, 0x01, 0x0a, OURS));
	p = next6();
	assert_memory_equal(p->d, A(0x03, 0x05, 0x00, 0x0e, 0x01, 0x0a), 6);
	assert_memory_equal(p->d + 6, sugg, 8);
	/* The peer takes it: Ack. */
	h_rx(PPP_IPV6CP, B(0x01, 0x06, 0x00, 0x0e, 0x01, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0));
	p = next6();
	assert_memory_equal(p->d + 6, sugg, 8);
	assert_int_equal(up6, 0);
}

/* The peer rejects the option: ask without it, keep our own identifier. */
static void test_reject(void **state)
{
	static const uint8_t ll[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, OURS };
	uint8_t id;

	h_lcp_up(NULL, 0);
	id = expect6(B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x0a, OURS));
	/* A Reject of what we did not ask for is bogus: discarded. */
	h_rx(PPP_IPV6CP, B(0x04, id, 0x00, 0x08, 0x02, 0x04, 0x00, 0x4f));
	none6();
	h_rx(PPP_IPV6CP, B(0x04, id, 0x00, 0x0e, 0x01, 0x0a, OURS));
	id = expect6(B(0x01, H_ID, 0x00, 0x04));
	h_rx(PPP_IPV6CP, B(0x01, 0x02, 0x00, 0x0e, 0x01, 0x0a, PEER));
	h_expect(PPP_IPV6CP, B(0x02, 0x02, 0x00, 0x0e, 0x01, 0x0a, PEER));
	h_rx(PPP_IPV6CP, B(0x02, id, 0x00, 0x04));
	assert_int_equal(up6, 1);
	assert_memory_equal(net6.local, ll, 16);
}

/* IPv6-Compression-Protocol and unknown options are Rejected; a bad
 * option length discards the request. */
static void test_reject_options(void **state)
{
	h_lcp_up(NULL, 0);
	(void)expect6(B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x0a, OURS));
	h_rx(PPP_IPV6CP, B(0x01, 0x09, 0x00, 0x14, 0x01, 0x0a, PEER, 0x02, 0x04, 0x00, 0x4f,
			   0x07, 0x02));
	h_expect(PPP_IPV6CP, B(0x04, 0x09, 0x00, 0x0a, 0x02, 0x04, 0x00, 0x4f, 0x07, 0x02));
	h_rx(PPP_IPV6CP, B(0x01, 0x0a, 0x00, 0x0e, 0x01, 0x0b, PEER));
	/* An identifier of the wrong size is an unknown form: Rejected. */
	h_rx(PPP_IPV6CP, B(0x01, 0x0b, 0x00, 0x08, 0x01, 0x04, 1, 2));
	h_expect(PPP_IPV6CP, B(0x04, 0x0b, 0x00, 0x08, 0x01, 0x04, 1, 2));
	none6();
}

/* The AC Protocol-Rejects IPv6CP: IPv4 carries on, IPv6 is unavailable. */
static void test_protocol_reject(void **state)
{
	unsigned int i;

	h_lcp_up(NULL, 0);
	drop6();
	h_rx(PPP_LCP, B(0x08, 0x31, 0x00, 0x12, 0x80, 0x57, 0x01, 0x01, 0x00, 0x0e, 0x01, 0x0a,
			OURS));
	assert_int_equal(h.ppp.ipv6cp.fsm.state, FSM_STOPPED);
	assert_true(h.ppp.ipv6_unavailable);
	h_ipcp_up();
	assert_int_equal(h.up_calls, 1);
	assert_int_equal(h.dead_calls, 0);
	assert_int_equal(up6, 0);
	/* No further IPv6CP request, ever. */
	for (i = 0; i < 60; i++)
		h_advance(1000);
	none6();
}

/* An AC that never answers IPv6CP: Max-Configure requests, then IPv4 only. */
static void test_no_answer(void **state)
{
	unsigned int reqs = 0, i;

	h_lcp_up(NULL, 0);
	drop6();
	h_ipcp_up();
	h.rd = 0;
	for (i = 0; i < 120; i++)
		h_advance(1000);
	for (i = 0; i < h.n; i++)
		if (h.pkts[i].proto == PPP_IPV6CP)
			reqs++;
	assert_int_equal(reqs, 10 - 1); /* the first was dropped above */
	assert_true(h.ppp.ipv6_unavailable);
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_OPENED);
	assert_true(ppp_ip_ok(&h.ppp));
	assert_int_equal(h.dead_calls, 0);
}

/* ipv6 = no: no IPv6CP of ours; the AC's is Protocol-Rejected (RFC 1661),
 * and so are IPv6 datagrams. */
static void test_ipv6_off(void **state)
{
	h.conf.ipv6 = false;
	h_lcp_up(NULL, 0);
	h.rd = h.n;
	h_rx(PPP_IPV6CP, B(0x01, 0x01, 0x00, 0x0e, 0x01, 0x0a, PEER));
	{
		struct h_pkt *p = h_next();

		assert_int_equal(p->proto, PPP_LCP);
		assert_int_equal(p->d[0], CP_PROT_REJ);
		assert_memory_equal(p->d + 4, A(0x80, 0x57, 0x01, 0x01), 4);
	}
	h_rx(PPP_IPV6, B(0x60, 0, 0, 0));
	{
		struct h_pkt *p = h_next();

		assert_int_equal(p->d[0], CP_PROT_REJ);
		assert_memory_equal(p->d + 4, A(0x00, 0x57), 2);
	}
	h_none();
	assert_int_equal(up6, 0);
}

/* Opened IPv6CP is renegotiated on the peer's new request; LCP down takes
 * it down without the link going. */
static void test_renegotiate(void **state)
{
	uint8_t id;

	h_lcp_up(NULL, 0);
	id = expect6(B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x0a, OURS));
	h_rx(PPP_IPV6CP, B(0x01, 0x01, 0x00, 0x0e, 0x01, 0x0a, PEER));
	h_expect(PPP_IPV6CP, B(0x02, 0x01, 0x00, 0x0e, 0x01, 0x0a, PEER));
	h_rx(PPP_IPV6CP, B(0x02, id, 0x00, 0x0e, 0x01, 0x0a, OURS));
	assert_int_equal(up6, 1);
	h_rx(PPP_IPV6CP, B(0x01, 0x02, 0x00, 0x0e, 0x01, 0x0a, PEER));
	assert_int_equal(down6, 1);
	id = expect6(B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x0a, OURS));
	h_expect(PPP_IPV6CP, B(0x02, 0x02, 0x00, 0x0e, 0x01, 0x0a, PEER));
	h_rx(PPP_IPV6CP, B(0x02, id, 0x00, 0x0e, 0x01, 0x0a, OURS));
	assert_int_equal(up6, 2);
	ppp_lowerdown(&h.ppp);
	assert_int_equal(down6, 2);
	assert_false(ppp_ip6_ok(&h.ppp));
}

/* The identifier is stable per name, never zero, locally administered. */
static void test_iid_from_name(void **state)
{
	uint8_t a[8], b[8], c[8];
	char name[16];
	unsigned int i;

	(void)state;
	ipv6cp_iid_from_name("wan1", a);
	ipv6cp_iid_from_name("wan1", b);
	ipv6cp_iid_from_name("wan2", c);
	assert_memory_equal(a, b, 8);
	assert_memory_not_equal(a, c, 8);
	for (i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "line%u", i);
		ipv6cp_iid_from_name(name, a);
		assert_false(ipv6cp_iid_is_zero(a));
		assert_int_equal(a[0] & 0x02, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ack, setup),
		cmocka_unit_test_setup(test_nak_ours, setup),
		cmocka_unit_test_setup(test_nak_unusable, setup),
		cmocka_unit_test_setup(test_peer_without_iid, setup),
		cmocka_unit_test_setup(test_peer_zero_and_equal, setup),
		cmocka_unit_test_setup(test_reject, setup),
		cmocka_unit_test_setup(test_reject_options, setup),
		cmocka_unit_test_setup(test_protocol_reject, setup),
		cmocka_unit_test_setup(test_no_answer, setup),
		cmocka_unit_test_setup(test_ipv6_off, setup),
		cmocka_unit_test_setup(test_renegotiate, setup),
		cmocka_unit_test(test_iid_from_name),
	};

	log_threshold = LOG_LVL_ERR;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
