// SPDX-License-Identifier: GPL-2.0-or-later
/* test_ppp.c - the phase machine against a scripted access concentrator */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ppp_harness.h"

static const uint8_t opt_chap[] = { 0x03, 0x05, 0xc2, 0x23, 0x05 };

static int setup(void **state)
{
	h_setup();
	return 0;
}

/*
 * A whole session: the AC first wants MS-CHAP (v1) and Naks our MRU, then
 * settles for CHAP-MD5; CHAP; IPCP with Naks; the AC hangs up.
 */
static void test_full_session(void **state)
{
	uint8_t id;

	ppp_open(&h.ppp, 0);
	assert_int_equal(h.ppp.phase, PPP_PHASE_ESTABLISH);
	id = h_expect_id(PPP_LCP, B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06,
				    U32(h_magic())));

	/* AC: Configure-Request MRU 1492, MS-CHAP (v1), magic -> our Nak */
	h_rx(PPP_LCP, B(0x01, 0x01, 0x00, 0x13, 0x01, 0x04, 0x05, 0xd4, 0x03, 0x05, 0xc2, 0x23,
			0x80, 0x05, 0x06, U32(PEER_MAGIC)));
	h_expect(PPP_LCP, B(0x03, 0x01, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x05));
	/* AC: Nak our MRU to 1480 -> new request */
	h_rx(PPP_LCP, B(0x03, id, 0x00, 0x08, 0x01, 0x04, 0x05, 0xc8));
	id = h_expect_id(PPP_LCP, B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xc8, 0x05, 0x06,
				    U32(h_magic())));
	/* AC: Configure-Request with CHAP-MD5 -> Ack */
	h_rx(PPP_LCP, B(0x01, 0x02, 0x00, 0x13, 0x01, 0x04, 0x05, 0xd4, 0x03, 0x05, 0xc2, 0x23,
			0x05, 0x05, 0x06, U32(PEER_MAGIC)));
	h_expect(PPP_LCP, B(0x02, 0x02, 0x00, 0x13, 0x01, 0x04, 0x05, 0xd4, 0x03, 0x05, 0xc2,
			    0x23, 0x05, 0x05, 0x06, U32(PEER_MAGIC)));
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_ACK_SENT);
	/* AC: Ack ours -> LCP Opened, Authenticate phase, waiting for CHAP */
	h_rx(PPP_LCP, B(0x02, id, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xc8, 0x05, 0x06,
			U32(h_magic())));
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_OPENED);
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	h_none();

	/* CHAP: md5(0x01 "secret" 00..0f) = 740e86463bda3a4d7017d6e0fba0699d */
	h_rx(PPP_CHAP, B(0x01, 0x01, 0x00, 0x17, 0x10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
			 13, 14, 15, 'b', 'n', 'g'));
	h_expect(PPP_CHAP, B(0x02, 0x01, 0x00, 0x1a, 0x10, 0x74, 0x0e, 0x86, 0x46, 0x3b, 0xda,
			     0x3a, 0x4d, 0x70, 0x17, 0xd6, 0xe0, 0xfb, 0xa0, 0x69, 0x9d, 'a', 'l',
			     'i', 'c', 'e'));
	/* IPCP from the AC before Success: still Authenticate phase, dropped */
	h_rx(PPP_IPCP, B(0x01, 0x01, 0x00, 0x0a, 0x03, 0x06, 10, 0, 0, 254));
	h_none();
	h_rx(PPP_CHAP, B(0x03, 0x01, 0x00, 0x06, 'O', 'K'));
	assert_int_equal(h.ppp.phase, PPP_PHASE_NETWORK);

	/* IPCP with Naks, both directions */
	h_ipcp_up();
	h_none();
	assert_int_equal(h.up_calls, 1);
	assert_int_equal(h.net.local, htonl(0x0a000001));
	assert_int_equal(h.net.peer, htonl(0x0a0000fe));
	assert_int_equal(h.net.dns1, htonl(0x08080808));
	assert_int_equal(h.net.dns2, htonl(0x08080404));
	/* min(our MRU 1480, peer MRU 1492) */
	assert_int_equal(h.net.mtu, 1480);

	/* The AC hangs up: Terminate-Ack, network down, dead after one
	 * restart period (RFC 1661 zrc) */
	h_rx(PPP_LCP, B(0x05, 0x07, 0x00, 0x04));
	h_expect(PPP_LCP, B(0x06, 0x07, 0x00, 0x04));
	assert_int_equal(h.down_calls, 1);
	assert_false(ppp_ip_ok(&h.ppp));
	assert_int_equal(h.ppp.phase, PPP_PHASE_TERMINATE);
	assert_int_equal(h.dead_calls, 0);
	h_advance(3000);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_PEER_TERM);
	assert_int_equal(h.ppp.phase, PPP_PHASE_DEAD);
	/* PADT follows: lowerdown after dead changes nothing */
	ppp_lowerdown(&h.ppp);
	h_advance(60000);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.down_calls, 1);
	h_none();
}

static void test_close(void **state)
{
	h_lcp_up(NULL, 0);
	h_ipcp_up();
	ppp_close(&h.ppp, "test");
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.ppp.phase, PPP_PHASE_TERMINATE);
	h_expect_id(PPP_LCP, B(0x05, H_ID, 0x00, 0x04));
	h_advance(2990);
	h_none();
	h_advance(10);
	/* Max-Terminate (2) requests, then dead */
	h_expect_id(PPP_LCP, B(0x05, H_ID, 0x00, 0x04));
	assert_int_equal(h.dead_calls, 0);
	h_advance(3000);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_ADMIN);
	h_advance(60000);
	h_none();
	/* a second close, input, lowerdown: nothing */
	ppp_close(&h.ppp, "again");
	h_rx(PPP_LCP, B(0x01, 0x01, 0x00, 0x04));
	ppp_lowerdown(&h.ppp);
	h_none();
	assert_int_equal(h.dead_calls, 1);
}

static void test_close_acked(void **state)
{
	h.conf.max_terminate = 5;
	h_lcp_up(NULL, 0);
	h_next();
	ppp_close(&h.ppp, NULL);
	h_rx(PPP_LCP, B(0x06, h_next_id(PPP_LCP, CP_TERM_REQ), 0x00, 0x04));
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_ADMIN);
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_CLOSED);
	h_none();
}

static void test_close_during_establish(void **state)
{
	ppp_open(&h.ppp, 0);
	h_next();
	ppp_close(&h.ppp, "shutdown");
	assert_int_equal(h_next()->d[0], CP_TERM_REQ);
	/* The peer's Configure-Request while Closing: ignored */
	h_rx(PPP_LCP, B(0x01, 0x01, 0x00, 0x04));
	h_none();
	h_advance(3000);
	assert_int_equal(h_next()->d[0], CP_TERM_REQ);
	h_advance(3000);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_ADMIN);
}

static void test_lowerdown(void **state)
{
	h.conf.echo_interval = 1;
	h_lcp_up(NULL, 0);
	h_ipcp_up();
	ppp_lowerdown(&h.ppp);
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_LOWER_DOWN);
	assert_int_equal(h.ppp.phase, PPP_PHASE_DEAD);
	/* no timer of the old link fires later */
	h_advance(60000);
	h_none();
	ppp_lowerdown(&h.ppp);
	assert_int_equal(h.dead_calls, 1);
}

/* A peer Terminate-Request, then PADT before the restart timer: dead
 * once, with the first reason. */
static void test_peer_term_then_padt(void **state)
{
	h_lcp_up(opt_chap, sizeof(opt_chap));
	h_rx(PPP_LCP, B(0x05, 0x03, 0x00, 0x04));
	h_expect(PPP_LCP, B(0x06, 0x03, 0x00, 0x04));
	assert_int_equal(h.ppp.reason, PPP_R_PEER_TERM);
	ppp_lowerdown(&h.ppp);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_PEER_TERM);
	h_advance(60000);
	assert_int_equal(h.dead_calls, 1);
	h_none();
}

/* The owner redials from inside dead(): the link starts over. */
static void test_redial_from_dead(void **state)
{
	h_lcp_up(NULL, 0);
	h_next();
	h.reopen = true;
	/* limits are taken at ppp_open: the redial gets one request only */
	h.conf.max_configure = 1;
	ppp_lowerdown(&h.ppp);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.ppp.phase, PPP_PHASE_ESTABLISH);
	assert_int_equal(h.ppp.reason, PPP_R_NONE);
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_REQ_SENT);
	assert_int_equal(h.ppp.ipcp.fsm.state, FSM_INITIAL);
	assert_int_equal(h_next()->d[0], CP_CONF_REQ);
	/* and from a timer-driven death too */
	h.reopen = true;
	h_advance(3000);
	assert_int_equal(h.dead_calls, 2);
	assert_int_equal(h.why, PPP_R_NEG_FAIL);
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_REQ_SENT);
	assert_int_equal(h.ppp.reason, PPP_R_NONE);
	assert_int_equal(h_next()->d[0], CP_CONF_REQ);
	h_none();
}

static void test_open_twice(void **state)
{
	ppp_open(&h.ppp, 0);
	h_next();
	ppp_open(&h.ppp, 0);
	h_none();
	assert_int_equal(h.ppp.phase, PPP_PHASE_ESTABLISH);
}

static void test_input_when_dead(void **state)
{
	h_rx(PPP_LCP, B(0x01, 0x01, 0x00, 0x04));
	h_rx(PPP_IPV6CP, B(0x01, 0x01, 0x00, 0x04));
	h_none();
	assert_int_equal(h.ppp.phase, PPP_PHASE_DEAD);
	ppp_close(&h.ppp, "nothing to close");
	assert_int_equal(h.dead_calls, 0);
}

static void test_defaults(void **state)
{
	ppp_open(&h.ppp, 0);
	assert_int_equal(h.ppp.lcp.fsm.restart_ms, 3000);
	assert_int_equal(h.ppp.lcp.fsm.max_configure, 10);
	assert_int_equal(h.ppp.lcp.fsm.max_terminate, 2);
	assert_int_equal(h.ppp.lcp.fsm.max_failure, 5);
	assert_int_equal(h.ppp.peer_mru_limit, 1492);
	/* A silent peer: ten Configure-Requests, the interval doubling from
	 * 3 s to 12 s (4 x restart), then the link is dead: 3+6+12*8 s. */
	assert_int_equal(h.ppp.lcp.fsm.backoff_max_ms, 12000);
	for (unsigned int i = 1; i < 10; i++) {
		h_advance(i == 1 ? 3000 : i == 2 ? 6000 : 12000);
		assert_int_equal(h.ppp.lcp.fsm.tx_confreq, i + 1);
	}
	h_advance(11990);
	assert_int_equal(h.dead_calls, 0);
	h_advance(10);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_NEG_FAIL);
	/* IPCP backs off the same way while the peer's IPCP is silent. */
	assert_int_equal(h.ppp.ipcp.fsm.backoff_max_ms, 12000);
}

static void test_names(void **state)
{
	assert_string_equal(ppp_phase_name(PPP_PHASE_DEAD), "dead");
	assert_string_equal(ppp_phase_name(PPP_PHASE_NETWORK), "network");
	assert_string_equal(ppp_reason_name(PPP_R_ECHO_TIMEOUT), "echo-timeout");
	assert_string_equal(ppp_reason_name(PPP_R_LOWER_DOWN), "lower-down");
	assert_string_equal(ppp_phase_name((enum ppp_phase)99), "?");
	assert_string_equal(fsm_state_name(FSM_ACK_RCVD), "Ack-Rcvd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_full_session, setup),
		cmocka_unit_test_setup(test_close, setup),
		cmocka_unit_test_setup(test_close_acked, setup),
		cmocka_unit_test_setup(test_close_during_establish, setup),
		cmocka_unit_test_setup(test_lowerdown, setup),
		cmocka_unit_test_setup(test_peer_term_then_padt, setup),
		cmocka_unit_test_setup(test_redial_from_dead, setup),
		cmocka_unit_test_setup(test_open_twice, setup),
		cmocka_unit_test_setup(test_input_when_dead, setup),
		cmocka_unit_test_setup(test_defaults, setup),
		cmocka_unit_test_setup(test_names, setup),
	};

	log_threshold = LOG_LVL_WARN;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
