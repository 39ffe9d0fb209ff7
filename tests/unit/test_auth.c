// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_auth.c - PAP and CHAP-MD5 clients. The MD5 vectors were computed
 * independently with python3 hashlib.md5(bytes([id]) + secret + challenge).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ppp_harness.h"

static const uint8_t opt_pap[] = { 0x03, 0x04, 0xc0, 0x23 };
static const uint8_t opt_chap[] = { 0x03, 0x05, 0xc2, 0x23, 0x05 };

static int setup(void **state)
{
	h_setup();
	return 0;
}

static void test_md5_vector(void **state)
{
	static const uint8_t chal[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	static const uint8_t want[16] = { 0x74, 0x0e, 0x86, 0x46, 0x3b, 0xda, 0x3a, 0x4d,
					  0x70, 0x17, 0xd6, 0xe0, 0xfb, 0xa0, 0x69, 0x9d };
	uint8_t out[16];

	chap_md5_response(out, 1, "secret", chal, sizeof(chal));
	assert_memory_equal(out, want, sizeof(want));
}

static void test_pap_codec(void **state)
{
	static const uint8_t want[] = { 0x01, 0x07, 0x00, 0x11, 0x05, 'a', 'l', 'i', 'c', 'e',
					0x06, 's', 'e', 'c', 'r', 'e', 't' };
	char longname[300];
	uint8_t buf[600];
	struct pap_reply r;

	assert_int_equal(pap_encode_req(buf, sizeof(buf), 7, "alice", "secret"), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(pap_encode_req(buf, 10, 7, "alice", "secret"), -EMSGSIZE);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(pap_encode_req(buf, sizeof(buf), 7, longname, "x"), -EINVAL);

	assert_int_equal(pap_decode(B(0x02, 0x07, 0x00, 0x07, 0x02, 'o', 'k'), &r), 0);
	assert_int_equal(r.code, PAP_AUTH_ACK);
	assert_int_equal(r.id, 7);
	assert_int_equal(r.msg_len, 2);
	assert_memory_equal(r.msg, "ok", 2);
	/* no Msg-Length at all: an empty message */
	assert_int_equal(pap_decode(B(0x02, 0x07, 0x00, 0x04), &r), 0);
	assert_int_equal(r.msg_len, 0);
	/* Msg-Length past the packet */
	assert_int_equal(pap_decode(B(0x03, 0x07, 0x00, 0x06, 0x05, 'n'), &r), -EINVAL);
	/* Length past the buffer, Length below 4 */
	assert_int_equal(pap_decode(B(0x03, 0x07, 0x00, 0x09, 0x00), &r), -EMSGSIZE);
	assert_int_equal(pap_decode(B(0x03, 0x07, 0x00, 0x02), &r), -EINVAL);
	/* a request is not for us */
	assert_int_equal(pap_decode(want, sizeof(want), &r), -EOPNOTSUPP);
}

static void test_chap_codec(void **state)
{
	static const uint8_t val[4] = { 9, 8, 7, 6 };
	static const uint8_t want[] = { 0x02, 0x11, 0x00, 0x0e, 0x04, 9, 8, 7, 6,
					'a', 'l', 'i', 'c', 'e' };
	uint8_t buf[64];
	struct chap_pkt c;

	assert_int_equal(chap_encode_resp(buf, sizeof(buf), 0x11, val, 4, "alice"),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(chap_encode_resp(buf, sizeof(buf), 0x11, val, 0, "alice"), -EINVAL);

	assert_int_equal(chap_decode(B(0x01, 0x05, 0x00, 0x0a, 0x02, 0xaa, 0xbb, 'A', 'C', '1'),
				     &c), 0);
	assert_int_equal(c.code, CHAP_CHALLENGE);
	assert_int_equal(c.id, 5);
	assert_int_equal(c.value_len, 2);
	assert_int_equal(c.value[1], 0xbb);
	assert_int_equal(c.name_len, 3);
	assert_memory_equal(c.name, "AC1", 3);
	/* Value-Size zero, Value-Size past Length, no Value-Size at all */
	assert_int_equal(chap_decode(B(0x01, 0x05, 0x00, 0x05, 0x00), &c), -EINVAL);
	assert_int_equal(chap_decode(B(0x01, 0x05, 0x00, 0x07, 0x03, 0xaa, 0xbb, 0xcc), &c),
			 -EINVAL);
	assert_int_equal(chap_decode(B(0x01, 0x05, 0x00, 0x04), &c), -EINVAL);
	assert_int_equal(chap_decode(B(0x03, 0x05, 0x00, 0x06, 'h', 'i'), &c), 0);
	assert_int_equal(c.code, CHAP_SUCCESS);
	assert_int_equal(c.msg_len, 2);
	assert_int_equal(chap_decode(B(0x04, 0x05, 0x00, 0x04), &c), 0);
	assert_int_equal(c.msg_len, 0);
	assert_int_equal(chap_decode(B(0x09, 0x05, 0x00, 0x04), &c), -EOPNOTSUPP);
	assert_int_equal(chap_decode(B(0x01, 0x05, 0x00), &c), -EMSGSIZE);
}

static void test_pap_ack(void **state)
{
	h_lcp_up(opt_pap, sizeof(opt_pap));
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	h_expect(PPP_PAP, B(0x01, 0x01, 0x00, 0x11, 0x05, 'a', 'l', 'i', 'c', 'e', 0x06, 's',
			    'e', 'c', 'r', 'e', 't'));
	/* wrong identifier: ignored */
	h_rx(PPP_PAP, B(0x02, 0x02, 0x00, 0x05, 0x00));
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	/* CHAP was not negotiated: ignored */
	h_rx(PPP_CHAP, B(0x03, 0x01, 0x00, 0x04));
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	h_none();
	h_rx(PPP_PAP, B(0x02, 0x01, 0x00, 0x0d, 0x08, 'W', 'e', 'l', 'c', 'o', 'm', 'e', '\n'));
	assert_int_equal(h.ppp.phase, PPP_PHASE_NETWORK);
	assert_true(h.ppp.auth.succeeded);
	/* a late duplicate Ack changes nothing, and no more retransmissions */
	h_rx(PPP_PAP, B(0x02, 0x01, 0x00, 0x05, 0x00));
	h_ipcp_up();
	h_advance(30000);
	h_none();
}

/* A busy AC answers the first copy of our request after we retransmitted. */
static void test_pap_late_ack_of_earlier_request(void **state)
{
	h_lcp_up(opt_pap, sizeof(opt_pap));
	h_next(); /* request id 1 */
	h_advance(3000);
	h_next(); /* retransmission, id 2 */
	h_advance(3000);
	h_next(); /* id 3 */
	/* id 4 was never sent: not an answer */
	h_rx(PPP_PAP, B(0x02, 0x04, 0x00, 0x05, 0x00));
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	/* the Ack for id 1 still authenticates us */
	h_rx(PPP_PAP, B(0x02, 0x01, 0x00, 0x05, 0x00));
	assert_int_equal(h.ppp.phase, PPP_PHASE_NETWORK);
	assert_true(h.ppp.auth.succeeded);
}

static void test_pap_nak(void **state)
{
	h_lcp_up(opt_pap, sizeof(opt_pap));
	h_next();
	h_rx(PPP_PAP, B(0x03, 0x01, 0x00, 0x0c, 0x07, 'b', 'a', 'd', '"', 0x01, '\\', 'x'));
	assert_int_equal(h.ppp.reason, PPP_R_AUTH_FAIL);
	assert_int_equal(h.ppp.phase, PPP_PHASE_TERMINATE);
	h_rx(PPP_LCP, B(0x06, h_expect_id(PPP_LCP, B(0x05, H_ID, 0x00, 0x04)), 0x00, 0x04));
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_AUTH_FAIL);
	assert_int_equal(h.up_calls, 0);
}

static void test_pap_timeout(void **state)
{
	unsigned int i;

	h.conf.auth_tries = 3;
	h.conf.auth_timeout_ms = 2000;
	h_lcp_up(opt_pap, sizeof(opt_pap));
	for (i = 1; i <= 3; i++) {
		struct h_pkt *p = h_next();

		assert_int_equal(p->proto, PPP_PAP);
		/* each retransmission is a new request with a new id */
		assert_int_equal(p->d[1], i);
		h_advance(1990);
		h_none();
		h_advance(10);
	}
	/* no answer to 3 requests: failure */
	assert_int_equal(h.ppp.reason, PPP_R_AUTH_FAIL);
	assert_int_equal(h_next()->d[0], CP_TERM_REQ);
	h_advance(3000);
	h_next();
	h_advance(3000);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_AUTH_FAIL);
	/* the password went out in clear in PAP, but was wiped from the
	 * stack copy: nothing to check here beyond the packets sent */
	h_none();
}

static void chap_challenge(uint8_t id, const uint8_t *val, uint8_t vlen)
{
	uint8_t buf[64];

	buf[0] = CHAP_CHALLENGE;
	buf[1] = id;
	buf[2] = 0;
	buf[3] = (uint8_t)(5 + vlen + 3);
	buf[4] = vlen;
	memcpy(buf + 5, val, vlen);
	memcpy(buf + 5 + vlen, "BNG", 3);
	h_rx(PPP_CHAP, buf, 5 + vlen + 3);
}

static const uint8_t chal1[] = { 0xde, 0xad, 0xbe, 0xef, 0xca, 0xfe, 0xba, 0xbe,
				 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };
static const uint8_t chal2[] = { 1, 2, 3, 4, 5, 6, 7, 8 };

static void expect_resp1(void)
{
	/* md5(0x2a "secret" chal1) = be2dce66c7fab8161f0d1283ab4f25bd */
	h_expect(PPP_CHAP, B(0x02, 0x2a, 0x00, 0x1a, 0x10, 0xbe, 0x2d, 0xce, 0x66, 0xc7, 0xfa,
			     0xb8, 0x16, 0x1f, 0x0d, 0x12, 0x83, 0xab, 0x4f, 0x25, 0xbd, 'a', 'l',
			     'i', 'c', 'e'));
}

static void test_chap_success(void **state)
{
	h_lcp_up(opt_chap, sizeof(opt_chap));
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	assert_int_equal(h.ppp.lcp.chap_alg, CHAP_MD5);
	h_none();
	/* Success before any Response: ignored */
	h_rx(PPP_CHAP, B(0x03, 0x2a, 0x00, 0x04));
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	chap_challenge(0x2a, chal1, sizeof(chal1));
	expect_resp1();
	/* the authenticator retransmits: we answer the same again */
	chap_challenge(0x2a, chal1, sizeof(chal1));
	expect_resp1();
	/* Success for another identifier: ignored */
	h_rx(PPP_CHAP, B(0x03, 0x29, 0x00, 0x04));
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	h_none();
	h_rx(PPP_CHAP, B(0x03, 0x2a, 0x00, 0x0b, 'W', 'e', 'l', 'c', 'o', 'm', 'e'));
	assert_int_equal(h.ppp.phase, PPP_PHASE_NETWORK);
	assert_int_equal(h.ppp.auth.state, AUTH_DONE);
	h_ipcp_up();
	h_none();
}

static void test_chap_rechallenge(void **state)
{
	h_lcp_up(opt_chap, sizeof(opt_chap));
	chap_challenge(0x2a, chal1, sizeof(chal1));
	expect_resp1();
	h_rx(PPP_CHAP, B(0x03, 0x2a, 0x00, 0x04));
	h_ipcp_up();
	/* rechallenge while the network is up: answer, stay up */
	chap_challenge(0x2b, chal2, sizeof(chal2));
	/* md5(0x2b "secret" 0102030405060708) = b8075d5d0e3e378dcce64f99496cef17 */
	h_expect(PPP_CHAP, B(0x02, 0x2b, 0x00, 0x1a, 0x10, 0xb8, 0x07, 0x5d, 0x5d, 0x0e, 0x3e,
			     0x37, 0x8d, 0xcc, 0xe6, 0x4f, 0x99, 0x49, 0x6c, 0xef, 0x17, 'a', 'l',
			     'i', 'c', 'e'));
	h_rx(PPP_CHAP, B(0x03, 0x2b, 0x00, 0x04));
	assert_true(ppp_ip_ok(&h.ppp));
	assert_int_equal(h.down_calls, 0);
	assert_int_equal(h.ppp.phase, PPP_PHASE_NETWORK);
	/* no deadline runs once authenticated */
	h_advance(60000);
	h_none();
	/* a Failure after a later rechallenge takes the link down */
	chap_challenge(0x2c, chal2, sizeof(chal2));
	h_next();
	h_rx(PPP_CHAP, B(0x04, 0x2c, 0x00, 0x08, 'g', 'o', 'n', 'e'));
	assert_int_equal(h.ppp.reason, PPP_R_AUTH_FAIL);
	assert_int_equal(h.down_calls, 1);
	assert_int_equal(h_next()->d[0], CP_TERM_REQ);
}

static void test_chap_failure(void **state)
{
	h_lcp_up(opt_chap, sizeof(opt_chap));
	chap_challenge(0x2a, chal1, sizeof(chal1));
	expect_resp1();
	/* Failure with a non-matching identifier: ignored */
	h_rx(PPP_CHAP, B(0x04, 0x01, 0x00, 0x04));
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	h_rx(PPP_CHAP, B(0x04, 0x2a, 0x00, 0x0e, 'E', '=', '6', '9', '1', ' ', 'R', '=', 0x00,
			 0xff));
	assert_int_equal(h.ppp.reason, PPP_R_AUTH_FAIL);
	assert_int_equal(h.ppp.auth.state, AUTH_IDLE);
	h_expect_id(PPP_LCP, B(0x05, H_ID, 0x00, 0x04));
}

static void test_chap_timeout(void **state)
{
	h.conf.auth_timeout_ms = 1000;
	h.conf.auth_tries = 5;
	h_lcp_up(opt_chap, sizeof(opt_chap));
	chap_challenge(0x2a, chal1, sizeof(chal1));
	expect_resp1();
	h_advance(4990);
	assert_int_equal(h.ppp.reason, PPP_R_NONE);
	h_none();
	h_advance(10);
	assert_int_equal(h.ppp.reason, PPP_R_AUTH_FAIL);
	assert_int_equal(h_next()->d[0], CP_TERM_REQ);
}

static void test_chap_malformed(void **state)
{
	h_lcp_up(opt_chap, sizeof(opt_chap));
	/* Value-Size running past the packet: dropped */
	h_rx(PPP_CHAP, B(0x01, 0x2a, 0x00, 0x07, 0x10, 0xaa, 0xbb));
	/* A Response (we are no authenticator): dropped */
	h_rx(PPP_CHAP, B(0x02, 0x2a, 0x00, 0x06, 0x01, 0xaa));
	h_none();
	assert_int_equal(h.ppp.auth.state, AUTH_CHAP_WAIT);
}

static void test_no_auth(void **state)
{
	h_lcp_up(NULL, 0);
	assert_int_equal(h.ppp.phase, PPP_PHASE_NETWORK);
	assert_int_equal(h.ppp.auth.state, AUTH_IDLE);
	/* stray CHAP: ignored */
	h_rx(PPP_CHAP, B(0x01, 0x2a, 0x00, 0x06, 0x01, 0xaa));
	assert_int_equal(h_next()->proto, PPP_IPCP);
	h_none();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md5_vector),
		cmocka_unit_test(test_pap_codec),
		cmocka_unit_test(test_chap_codec),
		cmocka_unit_test_setup(test_pap_ack, setup),
		cmocka_unit_test_setup(test_pap_late_ack_of_earlier_request, setup),
		cmocka_unit_test_setup(test_pap_nak, setup),
		cmocka_unit_test_setup(test_pap_timeout, setup),
		cmocka_unit_test_setup(test_chap_success, setup),
		cmocka_unit_test_setup(test_chap_rechallenge, setup),
		cmocka_unit_test_setup(test_chap_failure, setup),
		cmocka_unit_test_setup(test_chap_timeout, setup),
		cmocka_unit_test_setup(test_chap_malformed, setup),
		cmocka_unit_test_setup(test_no_auth, setup),
	};

	log_threshold = LOG_LVL_WARN;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
