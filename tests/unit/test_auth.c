// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_auth.c - PAP, CHAP-MD5 and MS-CHAPv2 clients. The MD5 vectors were
 * computed independently with python3 hashlib.md5(bytes([id]) + secret +
 * challenge); the MS-CHAPv2 exchange runs RFC 2759 9.2's example through
 * the whole client, and the password is checked never to reach the log.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

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


/* ---- MS-CHAPv2 ---------------------------------------------------------- */

static const uint8_t opt_mschap[] = { 0x03, 0x05, 0xc2, 0x23, 0x81 };
/* RFC 2759 9.2 */
static const uint8_t rfc_auth_chal[16] = { 0x5b, 0x5d, 0x7c, 0x7d, 0x7b, 0x3f, 0x2f, 0x3e,
					   0x3c, 0x2c, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28 };
static const uint8_t rfc_peer_chal[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5e, 0x26, 0x2a,
					   0x28, 0x29, 0x5f, 0x2b, 0x3a, 0x33, 0x7c, 0x7e };
static const uint8_t rfc_nt_resp[24] = { 0x82, 0x30, 0x9e, 0xcd, 0x8d, 0x70, 0x8b, 0x5e,
					 0xa0, 0x8f, 0xaa, 0x39, 0x81, 0xcd, 0x83, 0x54,
					 0x42, 0x33, 0x11, 0x4a, 0x3d, 0x85, 0xd6, 0xdf };
#define RFC_S "S=407A5589115FD0D6209F510FE9C04566932CDA56"

static int setup_ms(void **state)
{
	h_setup();
	h.conf.user = "User";
	h.conf.password = "clientPass";
	memcpy(h.rand, rfc_peer_chal, sizeof(h.rand));
	return 0;
}

/* ms_challenge - a 16-byte Challenge @id with value @val from "BNG" */
static void ms_challenge(uint8_t id, const uint8_t val[16])
{
	chap_challenge(id, val, 16);
}

/* ms_expect_resp - the next packet is the Response @id: @peer as our
 * challenge, eight zeros, @nt, flags 0, Name @user */
static void ms_expect_resp(uint8_t id, const uint8_t peer[16], const uint8_t nt[24],
			   const char *user)
{
	uint8_t want[128];
	size_t ul = strlen(user), n = 5 + 49 + ul;

	want[0] = CHAP_RESPONSE;
	want[1] = id;
	want[2] = 0;
	want[3] = (uint8_t)n;
	want[4] = 49;
	memcpy(want + 5, peer, 16);
	memset(want + 21, 0, 8);
	memcpy(want + 29, nt, 24);
	want[53] = 0;
	memcpy(want + 54, user, ul);
	h_expect(PPP_CHAP, want, n);
}

/* ms_result - a Success or Failure @id with message @msg */
static void ms_result(uint8_t code, uint8_t id, const char *msg)
{
	uint8_t buf[256];
	size_t n = strlen(msg);

	buf[0] = code;
	buf[1] = id;
	buf[2] = 0;
	buf[3] = (uint8_t)(4 + n);
	memcpy(buf + 4, msg, n);
	h_rx(PPP_CHAP, buf, 4 + n);
}

/* RFC 2759 9.2 on the wire: the Response bytes, then its Success. */
static void test_mschapv2_rfc_exchange(void **state)
{
	h_lcp_up(opt_mschap, sizeof(opt_mschap));
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	assert_int_equal(h.ppp.auth.alg, CHAP_MSCHAPV2);
	h_none();
	ms_challenge(0x2a, rfc_auth_chal);
	ms_expect_resp(0x2a, rfc_peer_chal, rfc_nt_resp, "User");
	/* Success for another identifier: ignored */
	ms_result(CHAP_SUCCESS, 0x29, RFC_S " M=Access granted");
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	ms_result(CHAP_SUCCESS, 0x2a, RFC_S " M=Access granted");
	assert_int_equal(h.ppp.phase, PPP_PHASE_NETWORK);
	assert_true(h.ppp.auth.succeeded);
	h_ipcp_up();
	h_none();
}

/* Lower case hex and no M= are fine too. */
static void test_mschapv2_success_variants(void **state)
{
	h_lcp_up(opt_mschap, sizeof(opt_mschap));
	ms_challenge(0x07, rfc_auth_chal);
	h_next();
	ms_result(CHAP_SUCCESS, 0x07, "S=407a5589115fd0d6209f510fe9c04566932cda56");
	assert_int_equal(h.ppp.phase, PPP_PHASE_NETWORK);
}

/* A Success with a wrong authenticator response, or none, fails the link
 * as a Failure would: whoever sent it does not know our password. */
static void test_mschapv2_bad_success(void **state)
{
	static const char *const bad[] = {
		"S=407A5589115FD0D6209F510FE9C04566932CDA57 M=Access granted", /* one bit */
		"M=Access granted",                                           /* no S= */
		"",                                                           /* nothing */
		"S=407A5589115FD0D6209F510FE9C04566932CDA5",                  /* short */
		"Welcome",                                                    /* CHAP-MD5 style */
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setup_ms(state);
		h_lcp_up(opt_mschap, sizeof(opt_mschap));
		ms_challenge(0x2a, rfc_auth_chal);
		ms_expect_resp(0x2a, rfc_peer_chal, rfc_nt_resp, "User");
		ms_result(CHAP_SUCCESS, 0x2a, bad[i]);
		if (h.ppp.reason != PPP_R_AUTH_FAIL)
			fail_msg("Success \"%s\" was taken", bad[i]);
		assert_false(h.ppp.auth.succeeded);
		assert_int_not_equal(h.ppp.phase, PPP_PHASE_NETWORK);
		h_expect_id(PPP_LCP, B(0x05, H_ID, 0x00, 0x04));
		/* a correct Success after the wrong one changes nothing */
		ms_result(CHAP_SUCCESS, 0x2a, RFC_S);
		assert_int_equal(h.ppp.phase, PPP_PHASE_TERMINATE);
		assert_int_equal(h.up_calls, 0);
	}
}

static void test_mschapv2_failure(void **state)
{
	h_lcp_up(opt_mschap, sizeof(opt_mschap));
	ms_challenge(0x2a, rfc_auth_chal);
	h_next();
	/* a Failure for another identifier: ignored */
	ms_result(CHAP_FAILURE, 0x2b, "E=691 R=0");
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	/* even one offering a retry fails the link: the password is wrong */
	ms_result(CHAP_FAILURE, 0x2a,
		  "E=691 R=1 C=0123456789ABCDEF0123456789ABCDEF V=3 M=Authentication failure");
	assert_int_equal(h.ppp.reason, PPP_R_AUTH_FAIL);
	h_expect_id(PPP_LCP, B(0x05, H_ID, 0x00, 0x04));
	/* a malformed Failure fails it just the same */
	setup_ms(state);
	h_lcp_up(opt_mschap, sizeof(opt_mschap));
	ms_challenge(0x2a, rfc_auth_chal);
	h_next();
	ms_result(CHAP_FAILURE, 0x2a, "\x01nonsense\"");
	assert_int_equal(h.ppp.reason, PPP_R_AUTH_FAIL);
}

/*
 * The AC retransmits its Challenge (our Response crossed it, or was lost):
 * the same answer, our challenge included, so the Success the AC computed
 * for the first copy still checks. A new Challenge gets a new challenge of
 * ours.
 */
static void test_mschapv2_retransmitted_challenge(void **state)
{
	static const uint8_t other[16] = { 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
					   0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5 };
	uint8_t first[128];
	size_t first_len;

	h_lcp_up(opt_mschap, sizeof(opt_mschap));
	ms_challenge(0x2a, rfc_auth_chal);
	ms_expect_resp(0x2a, rfc_peer_chal, rfc_nt_resp, "User");
	assert_int_equal(h.random_calls, 1);
	memset(h.rand, 0x11, sizeof(h.rand)); /* a new draw would show */
	ms_challenge(0x2a, rfc_auth_chal);
	ms_expect_resp(0x2a, rfc_peer_chal, rfc_nt_resp, "User");
	assert_int_equal(h.random_calls, 1);
	/* the same id with another value is a new challenge */
	ms_challenge(0x2a, other);
	assert_int_equal(h.random_calls, 2);
	memcpy(first, h_next()->d, sizeof(first));
	first_len = h.pkts[h.rd - 1].len;
	assert_int_equal(first_len, 5 + 49 + 4);
	assert_memory_equal(first + 5, h.rand, 16);
	/* and its Success must carry that exchange's response, not RFC_S */
	ms_result(CHAP_SUCCESS, 0x2a, RFC_S);
	assert_int_equal(h.ppp.reason, PPP_R_AUTH_FAIL);
}

/* "DOMAIN\User": the Name field carries it whole, the hashes use "User". */
static void test_mschapv2_domain_user(void **state)
{
	h.conf.user = "EXAMPLE\\User";
	h_lcp_up(opt_mschap, sizeof(opt_mschap));
	ms_challenge(0x01, rfc_auth_chal);
	ms_expect_resp(0x01, rfc_peer_chal, rfc_nt_resp, "EXAMPLE\\User");
	ms_result(CHAP_SUCCESS, 0x01, RFC_S " M=ok");
	assert_int_equal(h.ppp.phase, PPP_PHASE_NETWORK);
}

/* A rechallenge on an up link: a right Success keeps it up, a wrong one
 * takes it down. */
static void test_mschapv2_rechallenge(void **state)
{
	static const uint8_t chal[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	uint8_t nt[24], ar[20];
	char okmsg[64];
	unsigned int i;

	h_lcp_up(opt_mschap, sizeof(opt_mschap));
	ms_challenge(0x2a, rfc_auth_chal);
	h_next();
	ms_result(CHAP_SUCCESS, 0x2a, RFC_S);
	h_ipcp_up();
	ms_challenge(0x2b, chal);
	assert_int_equal(mschapv2_nt_response(chal, rfc_peer_chal, (const uint8_t *)"User", 4,
					      (const uint8_t *)"clientPass", 10, nt), 0);
	ms_expect_resp(0x2b, rfc_peer_chal, nt, "User");
	assert_int_equal(mschapv2_auth_response((const uint8_t *)"clientPass", 10, nt,
						rfc_peer_chal, chal, (const uint8_t *)"User", 4,
						ar), 0);
	strcpy(okmsg, "S=");
	for (i = 0; i < 20; i++)
		sprintf(okmsg + 2 + 2 * i, "%02X", ar[i]);
	/* the first exchange's Success is not this one's */
	ms_result(CHAP_SUCCESS, 0x2b, okmsg);
	assert_true(ppp_ip_ok(&h.ppp));
	assert_int_equal(h.down_calls, 0);
	h_none();
	/* the next rechallenge answered by a Success that does not check */
	ms_challenge(0x2c, chal);
	h_next();
	ms_result(CHAP_SUCCESS, 0x2c, RFC_S);
	assert_int_equal(h.ppp.reason, PPP_R_AUTH_FAIL);
	assert_int_equal(h.down_calls, 1);
}

static void test_mschapv2_malformed(void **state)
{
	char pw[300];

	h_lcp_up(opt_mschap, sizeof(opt_mschap));
	/* an 8-byte challenge is no MS-CHAPv2 challenge: dropped */
	chap_challenge(0x2a, chal2, sizeof(chal2));
	h_none();
	assert_int_equal(h.ppp.auth.state, AUTH_CHAP_WAIT);
	/* a Success before any Response: ignored */
	ms_result(CHAP_SUCCESS, 0x2a, RFC_S);
	assert_int_equal(h.ppp.auth.state, AUTH_CHAP_WAIT);
	/* a password MS-CHAPv2 cannot carry (over 256 characters) fails */
	setup_ms(state);
	memset(pw, 'p', sizeof(pw) - 1);
	pw[sizeof(pw) - 1] = '\0';
	h.conf.password = pw;
	h_lcp_up(opt_mschap, sizeof(opt_mschap));
	ms_challenge(0x2a, rfc_auth_chal);
	assert_int_equal(h.ppp.reason, PPP_R_AUTH_FAIL);
	h_expect_id(PPP_LCP, B(0x05, H_ID, 0x00, 0x04));
}

/* ---- the password never reaches the log --------------------------------- */

#define CANARY "Canary-pw-7f3e"

/*
 * log_capture - run @fn with the log at debug level into a file; fail if
 * the password is in it (or, for CHAP and MS-CHAPv2, anything else that
 * was only ever in memory, like a hex dump of a Response)
 */
static void log_capture(void (*fn)(void))
{
	char path[] = "/tmp/test_auth_log_XXXXXX", buf[65536];
	int fd = mkstemp(path), saved;
	enum log_level lvl = log_threshold;
	ssize_t n;

	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	log_threshold = LOG_LVL_DEBUG;
	fn();
	fflush(stderr);
	log_threshold = lvl;
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	unlink(path);
	assert_true(n > 0);
	buf[n] = '\0';
	/* The run did log what it did. */
	assert_non_null(strstr(buf, "authentication failed"));
	if (strstr(buf, CANARY) || strstr(buf, "Canary"))
		fail_msg("the password is in the log:\n%s", buf);
}

static void canary_pap(void)
{
	h_setup();
	h.conf.password = CANARY;
	h_lcp_up(opt_pap, sizeof(opt_pap));
	h_next();
	h_rx(PPP_PAP, B(0x03, 0x01, 0x00, 0x05, 0x00));
}

static void canary_chap(void)
{
	h_setup();
	h.conf.password = CANARY;
	h_lcp_up(opt_chap, sizeof(opt_chap));
	chap_challenge(0x2a, chal1, sizeof(chal1));
	h_next();
	h_rx(PPP_CHAP, B(0x04, 0x2a, 0x00, 0x08, 'n', 'o', 'p', 'e'));
}

static void canary_mschapv2(void)
{
	h_setup();
	h.conf.user = "User";
	h.conf.password = CANARY;
	h_lcp_up(opt_mschap, sizeof(opt_mschap));
	ms_challenge(0x2a, rfc_auth_chal);
	h_next();
	/* a wrong Success, then (fresh link) a Failure */
	ms_result(CHAP_SUCCESS, 0x2a, "S=0000000000000000000000000000000000000000 M=hi");
	h_setup();
	h.conf.user = "User";
	h.conf.password = CANARY;
	h_lcp_up(opt_mschap, sizeof(opt_mschap));
	ms_challenge(0x2a, rfc_auth_chal);
	h_next();
	ms_result(CHAP_FAILURE, 0x2a, "E=691 R=0 V=3 M=Authentication failed");
}

static void test_password_not_logged(void **state)
{
	log_capture(canary_pap);
	log_capture(canary_chap);
	log_capture(canary_mschapv2);
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
		cmocka_unit_test_setup(test_mschapv2_rfc_exchange, setup_ms),
		cmocka_unit_test_setup(test_mschapv2_success_variants, setup_ms),
		cmocka_unit_test_setup(test_mschapv2_bad_success, setup_ms),
		cmocka_unit_test_setup(test_mschapv2_failure, setup_ms),
		cmocka_unit_test_setup(test_mschapv2_retransmitted_challenge, setup_ms),
		cmocka_unit_test_setup(test_mschapv2_domain_user, setup_ms),
		cmocka_unit_test_setup(test_mschapv2_rechallenge, setup_ms),
		cmocka_unit_test_setup(test_mschapv2_malformed, setup_ms),
		cmocka_unit_test(test_password_not_logged),
	};

	log_threshold = LOG_LVL_WARN;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
