// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lcp.c - LCP over a fake transport: exact bytes both ways */
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

/* Our request, the peer's, Acks both ways; no auth: straight to IPCP. */
static void test_negotiation(void **state)
{
	h_lcp_up(NULL, 0);
	assert_int_equal(h.ppp.phase, PPP_PHASE_NETWORK);
	assert_int_equal(h.ppp.lcp.mru, 1492);
	assert_int_equal(h.ppp.lcp.peer_mru, 1492);
	assert_int_equal(h.ppp.lcp.peer_magic, PEER_MAGIC);
	assert_int_equal(h.ppp.lcp.auth_proto, 0);
	assert_int_not_equal(h_magic(), 0);
	/* IPCP starts at once */
	assert_int_equal(h_next()->proto, PPP_IPCP);
	h_none();
}

static void test_our_mru_clamped(void **state)
{
	uint8_t id, id2;

	/* A configured 9000 is more than PPPoE carries: ask for 1492. */
	h.conf.mru = 9000;
	ppp_open(&h.ppp, 0);
	id = h_expect_id(PPP_LCP, B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06,
				    U32(h_magic())));
	/* The peer Naks MRU down to 1400: take it, in a request of its own. */
	h_rx_wrong_ids(&h.ppp.lcp.fsm, PPP_LCP, B(0x03, H_ID, 0x00, 0x08, 0x01, 0x04, 0x05, 0x78),
		       id);
	h_rx(PPP_LCP, B(0x03, id, 0x00, 0x08, 0x01, 0x04, 0x05, 0x78));
	id2 = h_expect_id(PPP_LCP, B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x04, 0x05, 0x78, 0x05, 0x06,
				     U32(h_magic())));
	assert_int_not_equal(id2, id);
	/* The Nak answered the old request: a second one for it is stale. */
	h_rx(PPP_LCP, B(0x03, id, 0x00, 0x08, 0x01, 0x04, 0x05, 0xdc));
	h_none();
	/* A Nak up to 1600 is beyond the limit: keep 1400. */
	h_rx(PPP_LCP, B(0x03, id2, 0x00, 0x08, 0x01, 0x04, 0x06, 0x40));
	id = h_expect_id(PPP_LCP, B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x04, 0x05, 0x78, 0x05, 0x06,
				    U32(h_magic())));
	assert_int_not_equal(id, id2);
	h_rx_wrong_ids(&h.ppp.lcp.fsm, PPP_LCP, B(0x02, H_ID, 0x00, 0x0e, 0x01, 0x04, 0x05, 0x78,
						  0x05, 0x06, U32(h_magic())), id);
	h_rx(PPP_LCP, B(0x02, id, 0x00, 0x0e, 0x01, 0x04, 0x05, 0x78, 0x05, 0x06,
			U32(h_magic())));
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_ACK_RCVD);
	assert_int_equal(h.ppp.lcp.mru, 1400);
	h_none();
}

static void test_peer_mru(void **state)
{
	uint8_t id;

	ppp_open(&h.ppp, 0);
	id = h_next_id(PPP_LCP, CP_CONF_REQ);
	/* 1500 is over the PPPoE limit: Nak with 1492 */
	h_rx(PPP_LCP, B(0x01, 0x07, 0x00, 0x08, 0x01, 0x04, 0x05, 0xdc));
	h_expect(PPP_LCP, B(0x03, 0x07, 0x00, 0x08, 0x01, 0x04, 0x05, 0xd4));
	/* absurdly small: Nak up to the minimum */
	h_rx(PPP_LCP, B(0x01, 0x08, 0x00, 0x08, 0x01, 0x04, 0x00, 0x10));
	h_expect(PPP_LCP, B(0x03, 0x08, 0x00, 0x08, 0x01, 0x04, 0x00, 0x80));
	/* malformed MRU length: Reject verbatim */
	h_rx(PPP_LCP, B(0x01, 0x09, 0x00, 0x09, 0x01, 0x05, 0x05, 0xd4, 0x00));
	h_expect(PPP_LCP, B(0x04, 0x09, 0x00, 0x09, 0x01, 0x05, 0x05, 0xd4, 0x00));
	/* 1400 is fine */
	h_rx(PPP_LCP, B(0x01, 0x0a, 0x00, 0x08, 0x01, 0x04, 0x05, 0x78));
	h_expect(PPP_LCP, B(0x02, 0x0a, 0x00, 0x08, 0x01, 0x04, 0x05, 0x78));
	h_rx(PPP_LCP, B(0x02, id, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06,
			U32(h_magic())));
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_OPENED);
	assert_int_equal(h.ppp.lcp.peer_mru, 1400);
	/* Code-Rejects and Protocol-Rejects are cut to the peer's MRU */
	assert_int_equal(h.ppp.lcp.fsm.mtu, 1400);
}

/* RFC 4638: with PPP-Max-Payload 1500 agreed, 1500 is acceptable. */
static void test_max_payload(void **state)
{
	h.conf.mru = 1500;
	ppp_open(&h.ppp, 1500);
	h_expect_id(PPP_LCP, B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xdc, 0x05, 0x06,
			       U32(h_magic())));
	h_rx(PPP_LCP, B(0x01, 0x07, 0x00, 0x08, 0x01, 0x04, 0x05, 0xdc));
	h_expect(PPP_LCP, B(0x02, 0x07, 0x00, 0x08, 0x01, 0x04, 0x05, 0xdc));
	h_rx(PPP_LCP, B(0x01, 0x08, 0x00, 0x08, 0x01, 0x04, 0x05, 0xdd));
	h_expect(PPP_LCP, B(0x03, 0x08, 0x00, 0x08, 0x01, 0x04, 0x05, 0xdc));
}

/* RFC 2516 7: ACCM, ACFC and FCS-Alternatives rejected; PFC, Quality and
 * unknown options too. Only the Reject goes out, even with a Nak due. */
static void test_reject_options(void **state)
{
	ppp_open(&h.ppp, 0);
	h_next();
	h_rx(PPP_LCP, B(0x01, 0x05, 0x00, 0x21,
			0x01, 0x04, 0x05, 0xdc,               /* MRU 1500: Nak due */
			0x02, 0x06, 0x00, 0x00, 0x00, 0x00,   /* ACCM */
			0x05, 0x06, U32(PEER_MAGIC),
			0x07, 0x02,                           /* PFC */
			0x08, 0x02,                           /* ACFC */
			0x09, 0x03, 0x02,                     /* FCS-Alternatives */
			0x04, 0x04, 0xc0, 0x25,               /* Quality: LQR */
			0x42, 0x02));                         /* unknown */
	h_expect(PPP_LCP, B(0x04, 0x05, 0x00, 0x17, 0x02, 0x06, 0x00, 0x00, 0x00, 0x00, 0x07,
			    0x02, 0x08, 0x02, 0x09, 0x03, 0x02, 0x04, 0x04, 0xc0, 0x25, 0x42,
			    0x02));
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_REQ_SENT);
}

static void test_auth_option(void **state)
{
	ppp_open(&h.ppp, 0);
	h_next();
	/* PAP: Ack */
	h_rx(PPP_LCP, B(0x01, 0x01, 0x00, 0x08, 0x03, 0x04, 0xc0, 0x23));
	h_expect(PPP_LCP, B(0x02, 0x01, 0x00, 0x08, 0x03, 0x04, 0xc0, 0x23));
	assert_int_equal(h.ppp.lcp.auth_proto, PPP_PAP);
	/* CHAP-MD5: Ack */
	h_rx(PPP_LCP, B(0x01, 0x02, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x05));
	h_expect(PPP_LCP, B(0x02, 0x02, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x05));
	assert_int_equal(h.ppp.lcp.auth_proto, PPP_CHAP);
	/* MS-CHAPv2: Ack */
	h_rx(PPP_LCP, B(0x01, 0x08, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x81));
	h_expect(PPP_LCP, B(0x02, 0x08, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x81));
	assert_int_equal(h.ppp.lcp.auth_proto, PPP_CHAP);
	assert_int_equal(h.ppp.lcp.chap_alg, 0x81);
	/* back to CHAP-MD5 (a renegotiation) */
	h_rx(PPP_LCP, B(0x01, 0x09, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x05));
	h_expect(PPP_LCP, B(0x02, 0x09, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x05));
	/* MS-CHAP (v1): Nak, suggesting CHAP-MD5 */
	h_rx(PPP_LCP, B(0x01, 0x03, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x80));
	h_expect(PPP_LCP, B(0x03, 0x03, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x05));
	/* EAP: Nak the same way */
	h_rx(PPP_LCP, B(0x01, 0x04, 0x00, 0x08, 0x03, 0x04, 0xc2, 0x27));
	h_expect(PPP_LCP, B(0x03, 0x04, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x05));
	/* PAP with trailing junk is not PAP */
	h_rx(PPP_LCP, B(0x01, 0x05, 0x00, 0x09, 0x03, 0x05, 0xc0, 0x23, 0x00));
	h_expect(PPP_LCP, B(0x03, 0x05, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x05));
	/* too short to name a protocol: Reject */
	h_rx(PPP_LCP, B(0x01, 0x06, 0x00, 0x07, 0x03, 0x03, 0xc0));
	h_expect(PPP_LCP, B(0x04, 0x06, 0x00, 0x07, 0x03, 0x03, 0xc0));
	/* The last Acked request said CHAP-MD5, Naks do not change it */
	assert_int_equal(h.ppp.lcp.auth_proto, PPP_CHAP);
	assert_int_equal(h.ppp.lcp.chap_alg, 0x05);
	/* A request without the option: no authentication */
	h_rx(PPP_LCP, B(0x01, 0x07, 0x00, 0x04));
	h_expect(PPP_LCP, B(0x02, 0x07, 0x00, 0x04));
	assert_int_equal(h.ppp.lcp.auth_proto, 0);
}

/* After Max-Failure (5) Naks, the sixth disagreement is a Reject. */
static void test_max_failure(void **state)
{
	unsigned int i;

	ppp_open(&h.ppp, 0);
	h_next();
	for (i = 0; i < 5; i++) {
		h_rx(PPP_LCP, B(0x01, (uint8_t)i, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x80));
		h_expect(PPP_LCP, B(0x03, (uint8_t)i, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x05));
	}
	h_rx(PPP_LCP, B(0x01, 0x05, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x80));
	h_expect(PPP_LCP, B(0x04, 0x05, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23, 0x80));
	h_none();
}

/* auth_req - the peer's Configure-Request with id @id and one
 * Authentication-Protocol option of @olen bytes (@alg only if @olen is 5) */
static void auth_req(uint8_t id, uint16_t proto, uint8_t olen, uint8_t alg)
{
	uint8_t b[9] = { 0x01, id, 0x00, (uint8_t)(4 + olen), 0x03, olen, (uint8_t)(proto >> 8),
			 (uint8_t)proto, alg };

	h_rx(PPP_LCP, b, 4 + olen);
}

/* auth_reply - our answer to auth_req(@id ...): @code with the option
 * @proto/@olen/@alg (the request's for an Ack, our suggestion for a Nak) */
static void auth_reply(uint8_t code, uint8_t id, uint16_t proto, uint8_t olen, uint8_t alg)
{
	uint8_t b[9] = { code, id, 0x00, (uint8_t)(4 + olen), 0x03, olen, (uint8_t)(proto >> 8),
			 (uint8_t)proto, alg };

	h_expect(PPP_LCP, b, 4 + olen);
}

/*
 * auth = pap | chap | mschapv2 accepts that protocol alone: the others,
 * supported or not, are Nak'd with the configured one. Each row is what
 * the AC asks and what we answer, for every value of auth.
 */
static void test_auth_restricted(void **state)
{
	static const struct {
		enum ppp_auth_pref pref;
		uint16_t ack_proto;
		uint8_t ack_len, ack_alg;
	} prefs[] = {
		{ PPP_AUTH_AUTO, 0, 0, 0 }, /* ack_*: the suggestion of a Nak */
		{ PPP_AUTH_PAP, PPP_PAP, 4, 0 },
		{ PPP_AUTH_CHAP, PPP_CHAP, 5, 0x05 },
		{ PPP_AUTH_MSCHAPV2, PPP_CHAP, 5, 0x81 },
	};
	static const struct {
		uint16_t proto;
		uint8_t len, alg;
		enum ppp_auth_pref kind; /* AUTO: none we do */
	} asks[] = {
		{ PPP_PAP, 4, 0, PPP_AUTH_PAP },
		{ PPP_CHAP, 5, 0x05, PPP_AUTH_CHAP },
		{ PPP_CHAP, 5, 0x81, PPP_AUTH_MSCHAPV2 },
		{ PPP_CHAP, 5, 0x80, PPP_AUTH_AUTO },  /* MS-CHAP v1 */
		{ 0xc227, 4, 0, PPP_AUTH_AUTO },       /* EAP */
	};
	unsigned int p, a;
	uint8_t id = 0x40;

	for (p = 0; p < sizeof(prefs) / sizeof(prefs[0]); p++) {
		h_setup();
		h.conf.auth = prefs[p].pref;
		ppp_open(&h.ppp, 0);
		h_next();
		for (a = 0; a < sizeof(asks) / sizeof(asks[0]); a++, id++) {
			bool ok = asks[a].kind != PPP_AUTH_AUTO &&
				  (prefs[p].pref == PPP_AUTH_AUTO || prefs[p].pref == asks[a].kind);

			auth_req(id, asks[a].proto, asks[a].len, asks[a].alg);
			if (ok) {
				auth_reply(0x02, id, asks[a].proto, asks[a].len, asks[a].alg);
				assert_int_equal(h.ppp.lcp.auth_proto, asks[a].proto);
				assert_int_equal(h.ppp.lcp.auth_refused, 0);
			} else if (prefs[p].pref == PPP_AUTH_AUTO) {
				auth_reply(0x03, id, PPP_CHAP, 5, 0x05);
				assert_int_equal(h.ppp.lcp.auth_refused, asks[a].proto);
			} else {
				auth_reply(0x03, id, prefs[p].ack_proto, prefs[p].ack_len,
					   prefs[p].ack_alg);
				assert_int_equal(h.ppp.lcp.auth_refused, asks[a].proto);
				assert_int_equal(h.ppp.lcp.auth_refused_alg, asks[a].alg);
			}
			/* a fresh FSM for the next row: Max-Failure must not
			 * turn Naks into Rejects */
			h.ppp.lcp.fsm.nakloops = 0;
		}
		/* no option at all: Acked whatever auth says */
		h_rx(PPP_LCP, B(0x01, 0x7f, 0x00, 0x04));
		h_expect(PPP_LCP, B(0x02, 0x7f, 0x00, 0x04));
		assert_int_equal(h.ppp.lcp.auth_proto, 0);
		h_none();
	}
}

/*
 * The AC asks for MS-CHAPv2, auth = pap Naks it with PAP, and the AC comes
 * round to PAP: Ack, and the link authenticates with PAP.
 */
static void test_auth_nak_taken(void **state)
{
	uint8_t id;

	h.conf.auth = PPP_AUTH_PAP;
	ppp_open(&h.ppp, 0);
	id = h_next_id(PPP_LCP, CP_CONF_REQ);
	auth_req(0x01, PPP_CHAP, 5, 0x81);
	auth_reply(0x03, 0x01, PPP_PAP, 4, 0);
	auth_req(0x02, PPP_PAP, 4, 0);
	auth_reply(0x02, 0x02, PPP_PAP, 4, 0);
	h_rx(PPP_LCP, B(0x02, id, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06, U32(h_magic())));
	assert_int_equal(h.ppp.phase, PPP_PHASE_AUTHENTICATE);
	assert_int_equal(h.ppp.auth.proto, PPP_PAP);
	assert_int_equal(h_next()->proto, PPP_PAP);
}

/*
 * pppd as the AC, told to require MS-CHAPv2 and Nak'd with PAP: it drops
 * the option, LCP opens without authentication, and then it ends the
 * link ("peer refused to authenticate"). That is an authentication
 * failure, not a peer's whim; the same for an AC that ends the link while
 * LCP is still negotiating.
 */
static void test_auth_refused_then_terminated(void **state)
{
	uint8_t id;

	h.conf.auth = PPP_AUTH_PAP;
	ppp_open(&h.ppp, 0);
	id = h_next_id(PPP_LCP, CP_CONF_REQ);
	auth_req(0x01, PPP_CHAP, 5, 0x81);
	auth_reply(0x03, 0x01, PPP_PAP, 4, 0);
	h_rx(PPP_LCP, B(0x01, 0x02, 0x00, 0x04));
	h_expect(PPP_LCP, B(0x02, 0x02, 0x00, 0x04));
	h_rx(PPP_LCP, B(0x02, id, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06, U32(h_magic())));
	assert_int_equal(h.ppp.phase, PPP_PHASE_NETWORK);
	assert_int_equal(h_next()->proto, PPP_IPCP);
	h_rx(PPP_LCP, B(0x05, 0x03, 0x00, 0x04));
	assert_int_equal(h.ppp.reason, PPP_R_AUTH_FAIL);
	h_expect(PPP_LCP, B(0x06, 0x03, 0x00, 0x04));
	h_advance(3000);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_AUTH_FAIL);

	/* Terminate-Request while LCP negotiates, then PADT */
	h_setup();
	h.conf.auth = PPP_AUTH_MSCHAPV2;
	ppp_open(&h.ppp, 0);
	h_next();
	auth_req(0x01, PPP_PAP, 4, 0);
	auth_reply(0x03, 0x01, PPP_CHAP, 5, 0x81);
	h_rx(PPP_LCP, B(0x05, 0x02, 0x00, 0x04));
	h_expect(PPP_LCP, B(0x06, 0x02, 0x00, 0x04));
	ppp_lowerdown(&h.ppp);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_AUTH_FAIL);

	/* The same AC after the network came up: a peer's Terminate, no more */
	h_setup();
	h.conf.auth = PPP_AUTH_PAP;
	h_lcp_up(NULL, 0);
	h_rx(PPP_LCP, B(0x05, 0x03, 0x00, 0x04));
	assert_int_equal(h.ppp.reason, PPP_R_PEER_TERM);
}

static void test_magic(void **state)
{
	uint32_t m, nm;
	uint8_t id;
	struct h_pkt *p;

	ppp_open(&h.ppp, 0);
	id = h_next_id(PPP_LCP, CP_CONF_REQ);
	m = h_magic();
	/* zero magic is illegal: Nak with a nonzero one */
	h_rx(PPP_LCP, B(0x01, 0x01, 0x00, 0x0a, 0x05, 0x06, 0, 0, 0, 0));
	p = h_next();
	assert_int_equal(p->len, 10);
	assert_int_equal(p->d[0], CP_CONF_NAK);
	assert_int_equal(p->d[4], 0x05);
	assert_int_not_equal(cp_get_u32(p->d + 6), 0);
	/* The peer Naks our magic: we pick another one */
	h_rx(PPP_LCP, B(0x03, id, 0x00, 0x0a, 0x05, 0x06, U32(m)));
	nm = h_magic();
	assert_int_not_equal(nm, m);
	assert_int_not_equal(nm, 0);
	id = h_expect_id(PPP_LCP, B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06,
				    U32(nm)));
	/* The peer rejects Magic-Number: stop sending it */
	h_rx_wrong_ids(&h.ppp.lcp.fsm, PPP_LCP, B(0x04, H_ID, 0x00, 0x0a, 0x05, 0x06, U32(nm)), id);
	h_rx(PPP_LCP, B(0x04, id, 0x00, 0x0a, 0x05, 0x06, U32(nm)));
	id = h_expect_id(PPP_LCP, B(0x01, H_ID, 0x00, 0x08, 0x01, 0x04, 0x05, 0xd4));
	/* a Reject of something we never asked for is bogus: ignored */
	h_rx(PPP_LCP, B(0x04, id, 0x00, 0x08, 0x03, 0x04, 0xc0, 0x23));
	h_none();
	h_rx(PPP_LCP, B(0x02, id, 0x00, 0x08, 0x01, 0x04, 0x05, 0xd4));
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_ACK_RCVD);
	assert_int_equal(h_magic(), 0);
}

/* Our own magic keeps coming back: a looped-back link. */
static void test_loopback(void **state)
{
	unsigned int i;
	uint32_t m;
	uint8_t id;
	struct h_pkt *p;

	ppp_open(&h.ppp, 0);
	id = h_next_id(PPP_LCP, CP_CONF_REQ);
	for (i = 0; i < LCP_LOOPBACK_FAIL; i++) {
		m = h_magic();
		h_rx(PPP_LCP, B(0x01, (uint8_t)(0x40 + i), 0x00, 0x0a, 0x05, 0x06, U32(m)));
		/* Nak with a different magic (RFC 1661 6.4) */
		p = h_next();
		assert_int_equal(p->d[0], CP_CONF_NAK);
		assert_int_equal(p->d[1], 0x40 + i);
		assert_int_not_equal(cp_get_u32(p->d + 6), m);
		assert_int_not_equal(cp_get_u32(p->d + 6), 0);
		if (i + 1 < LCP_LOOPBACK_FAIL) {
			assert_int_equal(h.ppp.phase, PPP_PHASE_ESTABLISH);
			/* ...which comes back to us as a Nak of our magic */
			h_rx(PPP_LCP, B(0x03, id, 0x00, 0x0a, 0x05, 0x06, p->d[6], p->d[7],
					p->d[8], p->d[9]));
			assert_int_not_equal(h_magic(), m);
			id = h_next_id(PPP_LCP, CP_CONF_REQ);
		}
	}
	/* declared looped: Terminate-Request, then dead */
	assert_int_equal(h.ppp.reason, PPP_R_LOOPBACK);
	p = h_next();
	assert_int_equal(p->d[0], CP_TERM_REQ);
	h_advance(3000);
	assert_int_equal(h_next()->d[0], CP_TERM_REQ);
	h_advance(3000);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_LOOPBACK);
	h_none();
}

static void test_echo(void **state)
{
	uint8_t id, id2;

	h.conf.echo_interval = 10;
	h.conf.echo_failure = 3;
	h_lcp_up(NULL, 0);
	h_ipcp_up();
	h_advance(9990);
	h_none();
	h_advance(10);
	id = h_expect_id(PPP_LCP, B(0x09, H_ID, 0x00, 0x08, U32(h_magic())));
	h_advance(30);
	h_rx(PPP_LCP, B(0x0a, id, 0x00, 0x08, U32(PEER_MAGIC)));
	assert_int_equal(h.ppp.echo_rtt_us, 30000);
	assert_int_equal(h.ppp.lcp.echo_pending, 0);
	assert_int_equal(h.ppp.lcp.rx_echo_rep, 1);
	/* A late reply to the previous request proves the peer alive but
	 * does not time the new one */
	h_advance(9970);
	id2 = h_expect_id(PPP_LCP, B(0x09, H_ID, 0x00, 0x08, U32(h_magic())));
	assert_int_not_equal(id2, id);
	h_advance(20);
	h_rx(PPP_LCP, B(0x0a, id, 0x00, 0x08, U32(PEER_MAGIC)));
	assert_int_equal(h.ppp.echo_rtt_us, 30000);
	assert_int_equal(h.ppp.lcp.echo_pending, 0);
	assert_int_equal(h.ppp.lcp.rx_echo_rep, 2);
	/* A reply carrying our own magic is a looped echo, not an answer */
	h_advance(9980);
	id = h_expect_id(PPP_LCP, B(0x09, H_ID, 0x00, 0x08, U32(h_magic())));
	h_rx(PPP_LCP, B(0x0a, id, 0x00, 0x08, U32(h_magic())));
	assert_int_equal(h.ppp.lcp.echo_pending, 1);
	/* Silence from now on: 3 unanswered, then the link is dead */
	h_advance(10000);
	assert_int_equal(h_next()->d[0], CP_ECHO_REQ);
	h_advance(10000);
	assert_int_equal(h_next()->d[0], CP_ECHO_REQ);
	assert_int_equal(h.ppp.lcp.echo_pending, 3);
	h_none();
	h_advance(10000);
	assert_int_equal(h.ppp.reason, PPP_R_ECHO_TIMEOUT);
	assert_int_equal(h.ppp.phase, PPP_PHASE_TERMINATE);
	assert_int_equal(h_next()->d[0], CP_TERM_REQ);
	assert_int_equal(h.dead_calls, 0);
	h_advance(3000);
	assert_int_equal(h_next()->d[0], CP_TERM_REQ);
	h_advance(3000);
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_ECHO_TIMEOUT);
	h_none();
}

static void test_echo_request(void **state)
{
	/* Not Opened: silently discarded */
	ppp_open(&h.ppp, 0);
	h_next();
	h_rx(PPP_LCP, B(0x09, 0x11, 0x00, 0x08, U32(PEER_MAGIC)));
	h_none();
	ppp_lowerdown(&h.ppp);
	h_setup();

	h_lcp_up(NULL, 0);
	h_next();
	h_rx(PPP_LCP, B(0x09, 0x11, 0x00, 0x0b, U32(PEER_MAGIC), 'a', 'b', 'c'));
	h_expect(PPP_LCP, B(0x0a, 0x11, 0x00, 0x0b, U32(h_magic()), 'a', 'b', 'c'));
	/* too short to carry a magic: dropped */
	h_rx(PPP_LCP, B(0x09, 0x12, 0x00, 0x06, 0x00, 0x00));
	/* Discard-Request: nothing */
	h_rx(PPP_LCP, B(0x0b, 0x13, 0x00, 0x08, U32(PEER_MAGIC)));
	h_none();
	assert_int_equal(h.ppp.lcp.rx_echo_req, 1);
}

static void test_protocol_reject(void **state)
{
	/* IPv6CP before LCP is Opened: dropped silently */
	ppp_open(&h.ppp, 0);
	h_next();
	h_rx(PPP_IPV6CP, B(0x01, 0x01, 0x00, 0x04));
	h_none();
	ppp_lowerdown(&h.ppp);
	h_setup();

	h_lcp_up(NULL, 0);
	h_next();
	h_rx(PPP_IPV6CP, B(0x01, 0x01, 0x00, 0x0e, 0x01, 0x0a, 0, 0, 0, 0, 0, 0, 0, 1));
	h_expect_id(PPP_LCP, B(0x08, H_ID, 0x00, 0x14, 0x80, 0x57, 0x01, 0x01, 0x00, 0x0e, 0x01,
			       0x0a, 0, 0, 0, 0, 0, 0, 0, 1));
	/* IP datagrams are not ours to reject */
	h_rx(PPP_IP, B(0x45, 0x00));
	h_none();
}

static void test_protocol_reject_truncated(void **state)
{
	uint8_t big[1600];
	struct h_pkt *p;

	memset(big, 0x5a, sizeof(big));
	h_lcp_up(NULL, 0);
	h_next();
	h_rx(0x0057 + 2, big, sizeof(big));
	p = h_next();
	/* 1492 - 4 header - 2 protocol bytes of rejected information */
	assert_int_equal(p->len, 1492);
	assert_int_equal(cp_get_u16(p->d + 2), 1492);
	assert_int_equal(cp_get_u16(p->d + 4), 0x0059);
	assert_int_equal(p->d[1491], 0x5a);
}

static void test_code_reject(void **state)
{
	uint8_t id;

	ppp_open(&h.ppp, 0);
	id = h_next_id(PPP_LCP, CP_CONF_REQ);
	/* Unknown code: Code-Reject, even before Opened, under an identifier
	 * of its own (not the outstanding request's) */
	h_rx(PPP_LCP, B(0x20, 0x33, 0x00, 0x06, 0xaa, 0xbb, 0xcc));
	assert_int_not_equal(h_expect_id(PPP_LCP, B(0x07, H_ID, 0x00, 0x0a, 0x20, 0x33, 0x00, 0x06,
						    0xaa, 0xbb)), id);
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_REQ_SENT);
}

static void test_peer_coderej_echo(void **state)
{
	uint8_t id;

	h.conf.echo_interval = 5;
	h_lcp_up(NULL, 0);
	h_ipcp_up();
	h_advance(5000);
	id = h_next_id(PPP_LCP, CP_ECHO_REQ);
	/* The peer does not know Echo-Request: RXJ+, echoes stop */
	h_rx(PPP_LCP, B(0x07, 0x44, 0x00, 0x0c, 0x09, id, 0x00, 0x08, U32(h_magic())));
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_OPENED);
	h_advance(60000);
	h_none();
}

/* The peer renegotiates LCP while we are up: the network goes down and
 * comes back after a fresh LCP exchange. */
static void test_renegotiation(void **state)
{
	uint8_t id;

	h_lcp_up(NULL, 0);
	h_ipcp_up();
	assert_int_equal(h.up_calls, 1);
	h_rx(PPP_LCP, B(0x01, 0x21, 0x00, 0x0a, 0x05, 0x06, U32(PEER_MAGIC + 1)));
	assert_int_equal(h.down_calls, 1);
	assert_false(ppp_ip_ok(&h.ppp));
	assert_int_equal(h.ppp.phase, PPP_PHASE_ESTABLISH);
	id = h_expect_id(PPP_LCP, B(0x01, H_ID, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06,
				    U32(h_magic())));
	h_expect(PPP_LCP, B(0x02, 0x21, 0x00, 0x0a, 0x05, 0x06, U32(PEER_MAGIC + 1)));
	h_rx_wrong_ids(&h.ppp.lcp.fsm, PPP_LCP, B(0x02, H_ID, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4,
						  0x05, 0x06, U32(h_magic())), id);
	h_rx(PPP_LCP, B(0x02, id, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06,
			U32(h_magic())));
	assert_int_equal(h.ppp.phase, PPP_PHASE_NETWORK);
	/* IPCP restarts from scratch */
	h_expect_id(PPP_IPCP, B(0x01, H_ID, 0x00, 0x16, 0x03, 0x06, 0, 0, 0, 0, 0x81, 0x06, 0, 0,
				0, 0, 0x83, 0x06, 0, 0, 0, 0));
	assert_int_equal(h.dead_calls, 0);
}

static void test_protrej_ipcp(void **state)
{
	uint8_t id;

	h_lcp_up(NULL, 0);
	h_next();
	/* The AC does not do IPCP: IPCP finishes, the link closes */
	h_rx(PPP_LCP, B(0x08, 0x50, 0x00, 0x0a, 0x80, 0x21, 0x01, 0x01, 0x00, 0x04));
	assert_int_equal(h.ppp.reason, PPP_R_NEG_FAIL);
	id = h_next_id(PPP_LCP, CP_TERM_REQ);
	/* Terminate-Ack ends it at once */
	h_rx(PPP_LCP, B(0x06, id, 0x00, 0x04));
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_NEG_FAIL);
	/* A Protocol-Reject before Opened is discarded */
	h_setup();
	ppp_open(&h.ppp, 0);
	h_rx(PPP_LCP, B(0x08, 0x50, 0x00, 0x06, 0xc0, 0x21));
	assert_int_equal(h.ppp.lcp.fsm.state, FSM_REQ_SENT);
}

static void test_lcp_max_configure(void **state)
{
	unsigned int i;

	h.conf.max_configure = 4;
	h.conf.restart_ms = 1000;
	h.conf.restart_backoff_ms = 1000; /* the plain RFC timer */
	ppp_open(&h.ppp, 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(h_next()->d[0], CP_CONF_REQ);
		h_advance(1000);
	}
	h_none();
	assert_int_equal(h.dead_calls, 1);
	assert_int_equal(h.why, PPP_R_NEG_FAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_negotiation, setup),
		cmocka_unit_test_setup(test_our_mru_clamped, setup),
		cmocka_unit_test_setup(test_peer_mru, setup),
		cmocka_unit_test_setup(test_max_payload, setup),
		cmocka_unit_test_setup(test_reject_options, setup),
		cmocka_unit_test_setup(test_auth_option, setup),
		cmocka_unit_test_setup(test_max_failure, setup),
		cmocka_unit_test_setup(test_auth_restricted, setup),
		cmocka_unit_test_setup(test_auth_nak_taken, setup),
		cmocka_unit_test_setup(test_auth_refused_then_terminated, setup),
		cmocka_unit_test_setup(test_magic, setup),
		cmocka_unit_test_setup(test_loopback, setup),
		cmocka_unit_test_setup(test_echo, setup),
		cmocka_unit_test_setup(test_echo_request, setup),
		cmocka_unit_test_setup(test_protocol_reject, setup),
		cmocka_unit_test_setup(test_protocol_reject_truncated, setup),
		cmocka_unit_test_setup(test_code_reject, setup),
		cmocka_unit_test_setup(test_peer_coderej_echo, setup),
		cmocka_unit_test_setup(test_renegotiation, setup),
		cmocka_unit_test_setup(test_protrej_ipcp, setup),
		cmocka_unit_test_setup(test_lcp_max_configure, setup),
	};

	log_threshold = LOG_LVL_WARN;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
