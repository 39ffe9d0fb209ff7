// SPDX-License-Identifier: GPL-2.0-or-later
/* test_ipcp.c - IPCP with the RFC 1877 DNS options, exact bytes */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ppp_harness.h"

static int setup(void **state)
{
	h_setup();
	return 0;
}

static uint32_t ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void test_full(void **state)
{
	h_lcp_up(NULL, 0);
	h_ipcp_up();
	h_none();
	assert_int_equal(h.up_calls, 1);
	assert_int_equal(h.net.local, ip("10.0.0.1"));
	assert_int_equal(h.net.peer, ip("10.0.0.254"));
	assert_int_equal(h.net.dns1, ip("8.8.8.8"));
	assert_int_equal(h.net.dns2, ip("8.8.4.4"));
	assert_int_equal(h.net.mtu, 1492);
	assert_memory_equal(&h.net, &h.ppp.net, sizeof(h.net));
	/* IPCP packets while Opened still work: peer Terminate-Request */
	h_rx(PPP_IPCP, B(0x05, 0x09, 0x00, 0x04));
	h_expect(PPP_IPCP, B(0x06, 0x09, 0x00, 0x04));
	assert_int_equal(h.down_calls, 1);
	assert_false(ppp_ip_ok(&h.ppp));
}

static void test_dns_rejected(void **state)
{
	uint8_t id;

	h_lcp_up(NULL, 0);
	id = h_next_id(PPP_IPCP, CP_CONF_REQ);
	h_rx_wrong_ids(&h.ppp.ipcp.fsm, PPP_IPCP, B(0x04, H_ID, 0x00, 0x10, 0x81, 0x06, 0, 0, 0, 0,
						    0x83, 0x06, 0, 0, 0, 0), id);
	h_rx(PPP_IPCP, B(0x04, id, 0x00, 0x10, 0x81, 0x06, 0, 0, 0, 0, 0x83, 0x06, 0, 0, 0, 0));
	id = h_expect_id(PPP_IPCP, B(0x01, H_ID, 0x00, 0x0a, 0x03, 0x06, 0, 0, 0, 0));
	h_rx(PPP_IPCP, B(0x03, id, 0x00, 0x0a, 0x03, 0x06, 192, 0, 2, 7));
	id = h_expect_id(PPP_IPCP, B(0x01, H_ID, 0x00, 0x0a, 0x03, 0x06, 192, 0, 2, 7));
	h_rx_wrong_ids(&h.ppp.ipcp.fsm, PPP_IPCP, B(0x02, H_ID, 0x00, 0x0a, 0x03, 0x06, 192, 0, 2,
						    7), id);
	h_rx(PPP_IPCP, B(0x02, id, 0x00, 0x0a, 0x03, 0x06, 192, 0, 2, 7));
	/* The AC asks nothing of us: an empty request is Acked */
	h_rx(PPP_IPCP, B(0x01, 0x02, 0x00, 0x04));
	h_expect(PPP_IPCP, B(0x02, 0x02, 0x00, 0x04));
	assert_true(ppp_ip_ok(&h.ppp));
	assert_int_equal(h.net.local, ip("192.0.2.7"));
	assert_int_equal(h.net.peer, 0);
	assert_int_equal(h.net.dns1, 0);
	assert_int_equal(h.net.dns2, 0);
	h_none();
}

static void test_only_secondary_rejected(void **state)
{
	uint8_t id;

	h_lcp_up(NULL, 0);
	id = h_next_id(PPP_IPCP, CP_CONF_REQ);
	h_rx(PPP_IPCP, B(0x04, id, 0x00, 0x0a, 0x83, 0x06, 0, 0, 0, 0));
	assert_int_not_equal(h_expect_id(PPP_IPCP, B(0x01, H_ID, 0x00, 0x10, 0x03, 0x06, 0, 0, 0, 0,
						     0x81, 0x06, 0, 0, 0, 0)), id);
}

static void test_no_dns_wanted(void **state)
{
	h.conf.want_dns = false;
	h_lcp_up(NULL, 0);
	h_expect_id(PPP_IPCP, B(0x01, H_ID, 0x00, 0x0a, 0x03, 0x06, 0, 0, 0, 0));
}

static void test_peer_request(void **state)
{
	h_lcp_up(NULL, 0);
	h_next();
	/* VJ compression and an unknown option: Rejected, address not Acked yet */
	h_rx(PPP_IPCP, B(0x01, 0x03, 0x00, 0x14, 0x02, 0x06, 0x00, 0x2d, 0x0f, 0x01, 0x03, 0x06,
			 10, 0, 0, 254, 0x99, 0x04, 0xaa, 0xbb));
	h_expect(PPP_IPCP, B(0x04, 0x03, 0x00, 0x0e, 0x02, 0x06, 0x00, 0x2d, 0x0f, 0x01, 0x99,
			     0x04, 0xaa, 0xbb));
	assert_int_equal(h.ppp.ipcp.fsm.state, FSM_REQ_SENT);
	/* The AC wants an address from us (0.0.0.0): we have none, Reject */
	h_rx(PPP_IPCP, B(0x01, 0x04, 0x00, 0x0a, 0x03, 0x06, 0, 0, 0, 0));
	h_expect(PPP_IPCP, B(0x04, 0x04, 0x00, 0x0a, 0x03, 0x06, 0, 0, 0, 0));
	/* DNS asked of us, and the old IP-Addresses option: Reject */
	h_rx(PPP_IPCP, B(0x01, 0x05, 0x00, 0x14, 0x01, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8, 0x81, 0x06,
			 0, 0, 0, 0));
	h_expect(PPP_IPCP, B(0x04, 0x05, 0x00, 0x14, 0x01, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8, 0x81,
			     0x06, 0, 0, 0, 0));
	/* A short IP-Address: Reject */
	h_rx(PPP_IPCP, B(0x01, 0x06, 0x00, 0x08, 0x03, 0x04, 10, 0));
	h_expect(PPP_IPCP, B(0x04, 0x06, 0x00, 0x08, 0x03, 0x04, 10, 0));
	/* malformed option list: discarded without answer */
	h_rx(PPP_IPCP, B(0x01, 0x07, 0x00, 0x07, 0x03, 0x06, 10));
	h_none();
	/* finally a good one */
	h_rx(PPP_IPCP, B(0x01, 0x08, 0x00, 0x0a, 0x03, 0x06, 10, 0, 0, 254));
	h_expect(PPP_IPCP, B(0x02, 0x08, 0x00, 0x0a, 0x03, 0x06, 10, 0, 0, 254));
	assert_int_equal(h.ppp.ipcp.peer_addr, ip("10.0.0.254"));
	assert_int_equal(h.ppp.ipcp.fsm.state, FSM_ACK_SENT);
}

static void test_nak_zero_address(void **state)
{
	uint8_t id;

	h_lcp_up(NULL, 0);
	id = h_next_id(PPP_IPCP, CP_CONF_REQ);
	/* A Nak of 0.0.0.0 teaches nothing; the DNS hint is taken */
	h_rx(PPP_IPCP, B(0x03, id, 0x00, 0x10, 0x03, 0x06, 0, 0, 0, 0, 0x81, 0x06, 1, 1, 1, 1));
	id = h_expect_id(PPP_IPCP, B(0x01, H_ID, 0x00, 0x16, 0x03, 0x06, 0, 0, 0, 0, 0x81, 0x06, 1,
				     1, 1, 1, 0x83, 0x06, 0, 0, 0, 0));
	/* An Ack of 0.0.0.0 would leave us addressless: the link fails */
	h_rx(PPP_IPCP, B(0x01, 0x01, 0x00, 0x04));
	h_next();
	h_rx(PPP_IPCP, B(0x02, id, 0x00, 0x16, 0x03, 0x06, 0, 0, 0, 0, 0x81, 0x06, 1, 1, 1, 1,
			 0x83, 0x06, 0, 0, 0, 0));
	assert_int_equal(h.up_calls, 0);
	assert_int_equal(h.ppp.reason, PPP_R_NEG_FAIL);
	assert_int_equal(h_next()->d[0], CP_TERM_REQ);
}

static void test_before_network_phase(void **state)
{
	static const uint8_t pap[] = { 0x03, 0x04, 0xc0, 0x23 };

	/* LCP up with PAP: Authenticate phase, IPCP must be ignored */
	h_lcp_up(pap, sizeof(pap));
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	assert_int_equal(h_next()->proto, PPP_PAP);
	h_rx(PPP_IPCP, B(0x01, 0x01, 0x00, 0x0a, 0x03, 0x06, 10, 0, 0, 254));
	h_none();
	assert_int_equal(h.ppp.ipcp.fsm.state, FSM_INITIAL);
	/* Before LCP is up too */
	h_setup();
	ppp_open(&h.ppp, 0);
	h_next();
	h_rx(PPP_IPCP, B(0x01, 0x01, 0x00, 0x0a, 0x03, 0x06, 10, 0, 0, 254));
	h_none();
}

static void test_max_configure(void **state)
{
	unsigned int i;

	h.conf.max_configure = 3;
	h_lcp_up(NULL, 0);
	/* The peer's IPCP says nothing: the interval doubles (3, 6, 12 s). */
	for (i = 0; i < 3; i++) {
		assert_int_equal(h_next()->proto, PPP_IPCP);
		h_advance(3000u << i);
	}
	/* IPCP gave up: LCP terminates the link */
	/* Stopped, then Starting when LCP went down under it */
	assert_int_equal(h.ppp.ipcp.fsm.state, FSM_STARTING);
	assert_int_equal(h.ppp.reason, PPP_R_NEG_FAIL);
	h_expect_id(PPP_LCP, B(0x05, H_ID, 0x00, 0x04));
	h_advance(3000);
	h_expect_id(PPP_LCP, B(0x05, H_ID, 0x00, 0x04));
	h_advance(3000);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_NEG_FAIL);
	h_none();
}

static void test_mtu(void **state)
{
	uint8_t id;

	/* The peer's MRU 1400 is what we may send: the MTU follows it */
	ppp_open(&h.ppp, 0);
	id = h_next_id(PPP_LCP, CP_CONF_REQ);
	h_rx(PPP_LCP, B(0x01, 0x01, 0x00, 0x08, 0x01, 0x04, 0x05, 0x78));
	h_next();
	h_rx(PPP_LCP, B(0x02, id, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06,
			U32(h_magic())));
	h_ipcp_up();
	assert_int_equal(h.net.mtu, 1400);
}

static void test_code_reject(void **state)
{
	uint8_t id;

	h_lcp_up(NULL, 0);
	id = h_next_id(PPP_IPCP, CP_CONF_REQ);
	/* IPCP has codes 1-7 only: Echo-Request is unknown there; the
	 * Code-Reject has an identifier of its own */
	h_rx(PPP_IPCP, B(0x09, 0x01, 0x00, 0x08, 1, 2, 3, 4));
	assert_int_not_equal(h_expect_id(PPP_IPCP, B(0x07, H_ID, 0x00, 0x0c, 0x09, 0x01, 0x00, 0x08,
						     1, 2, 3, 4)), id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_full, setup),
		cmocka_unit_test_setup(test_dns_rejected, setup),
		cmocka_unit_test_setup(test_only_secondary_rejected, setup),
		cmocka_unit_test_setup(test_no_dns_wanted, setup),
		cmocka_unit_test_setup(test_peer_request, setup),
		cmocka_unit_test_setup(test_nak_zero_address, setup),
		cmocka_unit_test_setup(test_before_network_phase, setup),
		cmocka_unit_test_setup(test_max_configure, setup),
		cmocka_unit_test_setup(test_mtu, setup),
		cmocka_unit_test_setup(test_code_reject, setup),
	};

	log_threshold = LOG_LVL_WARN;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
