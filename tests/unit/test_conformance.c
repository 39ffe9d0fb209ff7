// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_conformance.c - RFC conformance of the client session against the
 * acsim access concentrator (harness: tests/unit/session_harness.h).
 *
 * Every test asserts what is seen on the wire: acsim's counters, and the
 * bytes and times of every frame in both directions (captured by the
 * harness taps). The packets are taken apart here with a few lines of
 * our own, not with the client's codecs, so a client bug cannot hide in
 * a shared decoder. Limits (restart timer, Max-Configure, ...) are set
 * to values other than the defaults, so a hard-coded constant in the
 * client would show.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "pppoe/discovery.h"
#include "tests/unit/session_harness.h"

#define CAP_MAX 2048
#define CAP_FRAME 1600
#define RFC2516_MRU 1492 /* RFC 2516 7 */

/* Control protocol codes (RFC 1661 5). */
enum {
	C_CONFREQ = 1,
	C_CONFACK,
	C_CONFNAK,
	C_CONFREJ,
	C_TERMREQ,
	C_TERMACK,
	C_CODEREJ,
	C_PROTREJ,
	C_ECHOREQ,
};

enum { OPT_MRU = 1, OPT_MAGIC = 5 };

/* One captured frame. */
struct cap {
	uint64_t when;
	enum acsim_pkt kind;
	size_t len;
	uint8_t d[CAP_FRAME];
};

static struct {
	struct cap c[CAP_MAX]; /* client -> AC */
	unsigned int nc;
	struct cap a[CAP_MAX]; /* AC -> client, as the client got it */
	unsigned int na;
	/* relay agent */
	uint8_t relay[16];
	size_t relay_len;
	bool relay_pado, relay_pads;
	uint16_t max_payload; /* PPP-Max-Payload the relay puts in PADO/PADS */
} k;

static void cap_put(struct cap *arr, unsigned int *n, const uint8_t *frame, size_t len)
{
	struct cap *c;

	assert_true(*n < CAP_MAX);
	c = &arr[(*n)++];
	c->when = t.wheel.now;
	c->kind = acsim_classify(frame, len);
	c->len = len < CAP_FRAME ? len : CAP_FRAME;
	memcpy(c->d, frame, c->len);
}

static void tap_client(unsigned int sess, const uint8_t *frame, size_t len)
{
	cap_put(k.c, &k.nc, frame, len);
}

static void tap_ac(const uint8_t *frame, size_t len)
{
	cap_put(k.a, &k.na, frame, len);
}

/* csetup - the harness, taps on, and limits that differ from the defaults */
static void csetup(enum acsim_auth auth)
{
	memset(&k, 0, sizeof(k));
	setup(auth, 1);
	t.c_tap = tap_client;
	t.a_tap = tap_ac;
}

/* ---- taking captured frames apart -------------------------------------- */

/* cap_ppp - the PPP protocol and information field of a session frame */
static const uint8_t *cap_ppp(const struct cap *c, uint16_t *proto, size_t *len,
			      uint16_t *sid)
{
	uint16_t plen;

	if (c->len < PPPOE_SESS_HLEN || pppoe_get16(c->d + 12) != ETH_P_PPP_SES_)
		return NULL;
	plen = pppoe_get16(c->d + 18);
	if (plen < 2 || (size_t)plen + ETH_HLEN_ + PPPOE_HLEN > c->len)
		return NULL;
	if (sid)
		*sid = pppoe_get16(c->d + 16);
	*proto = pppoe_get16(c->d + 20);
	*len = plen - 2u;
	return c->d + PPPOE_SESS_HLEN;
}

/* cap_cp - a control packet (header included) of protocol @proto, or NULL */
static const uint8_t *cap_cp(const struct cap *c, uint16_t proto, size_t *len)
{
	const uint8_t *p;
	uint16_t pr, l;
	size_t n;

	p = cap_ppp(c, &pr, &n, NULL);
	if (!p || pr != proto || n < 4)
		return NULL;
	l = pppoe_get16(p + 2);
	if (l < 4 || l > n)
		return NULL;
	*len = l;
	return p;
}

/* cp_opt - the value of option @type in Configure-* packet @p, or NULL */
static const uint8_t *cp_opt(const uint8_t *p, size_t len, uint8_t type, size_t *vlen)
{
	size_t off = 4;

	while (off + 2 <= len) {
		if (p[off + 1] < 2 || off + p[off + 1] > len)
			return NULL;
		if (p[off] == type) {
			*vlen = p[off + 1] - 2u;
			return p + off + 2;
		}
		off += p[off + 1];
	}
	return NULL;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* cap_disc - decode a captured discovery frame */
static void cap_disc(const struct cap *c, struct disc_pkt *p)
{
	assert_true(c->len > ETH_HLEN_);
	assert_int_equal(pppoe_get16(c->d + 12), ETH_P_PPP_DISC_);
	assert_int_equal(disc_decode(c->d + ETH_HLEN_, c->len - ETH_HLEN_, p), 0);
}

/* nth - index of the @n-th (0-based) frame of @kind in @arr from @from, or -1 */
static int nth(const struct cap *arr, unsigned int cnt, enum acsim_pkt kind, unsigned int from,
	       unsigned int n)
{
	unsigned int i;

	for (i = from; i < cnt; i++)
		if (arr[i].kind == kind && !n--)
			return (int)i;
	return -1;
}

static unsigned int count(const struct cap *arr, unsigned int cnt, enum acsim_pkt kind,
			  unsigned int from)
{
	unsigned int i, n = 0;

	for (i = from; i < cnt; i++)
		n += arr[i].kind == kind;
	return n;
}

/* client_sess_frames - client session frames for @sid from capture @from on */
static unsigned int client_sess_frames(uint16_t sid, unsigned int from)
{
	unsigned int i, n = 0;
	uint16_t proto, s;
	size_t len;

	for (i = from; i < k.nc; i++)
		if (cap_ppp(&k.c[i], &proto, &len, &s) && s == sid)
			n++;
	return n;
}

/* assert_interval - @got lies in [@want, @want + one tick] */
static void assert_interval(uint64_t got, uint64_t want, const char *what)
{
	if (got < want || got > want + STEP_MS)
		fail_msg("%s: %llu ms, wanted %llu", what, (unsigned long long)got,
			 (unsigned long long)want);
}

/* ac_inject_ppp - a session frame from the AC's MAC for @sid, bypassing its state */
static void ac_inject_ppp(uint16_t sid, uint16_t proto, const uint8_t *data, size_t len)
{
	uint8_t frame[PPPOE_SESS_HLEN + 1500];

	assert_true(len <= 1500);
	pppoe_sess_hdr_encode(frame, S(0)->mac, t.ac->mac, sid, proto, (uint16_t)len);
	memcpy(frame + PPPOE_SESS_HLEN, data, len);
	assert_int_equal(acsim_inject(t.ac, frame, PPPOE_SESS_HLEN + len), 0);
	pump();
}

/* ---- RFC 1661 counters and timers ---------------------------------------- */

/* Lost Configure-Acks: retransmissions every restart interval, same request. */
static void test_restart_timer(void **state)
{
	const uint8_t *p0, *p;
	size_t l0, l;
	int i, prev;

	csetup(ACSIM_AUTH_PAP);
	t.conf.ppp.restart_ms = 1700;
	t.ac->knobs.drop_tx[ACSIM_LCP_CONFACK] = 3;
	bring_up(0);
	assert_int_equal(t.ac->stats.tx_dropped[ACSIM_LCP_CONFACK], 3);
	/* The first request and three retransmissions, 1.7 s apart. */
	prev = nth(k.c, k.nc, ACSIM_LCP_CONFREQ, 0, 0);
	assert_true(prev >= 0);
	p0 = cap_cp(&k.c[prev], PPP_LCP, &l0);
	assert_non_null(p0);
	for (i = 1; i <= 3; i++) {
		int cur = nth(k.c, k.nc, ACSIM_LCP_CONFREQ, 0, (unsigned int)i);

		assert_true(cur > prev);
		assert_interval(k.c[cur].when - k.c[prev].when, 1700, "restart interval");
		/* A retransmission repeats the options (RFC 1661 4.6, scr). */
		p = cap_cp(&k.c[cur], PPP_LCP, &l);
		assert_int_equal(l, l0);
		assert_memory_equal(p + 4, p0 + 4, l - 4);
		prev = cur;
	}
	assert_int_equal(count(k.c, k.nc, ACSIM_LCP_CONFREQ, 0), 4);
}

/* No answer at all: Max-Configure requests, then down, PADT and a redial. */
static void test_max_configure(void **state)
{
	int first, last, padt;

	csetup(ACSIM_AUTH_PAP);
	t.conf.ppp.restart_ms = 1200;
	t.conf.ppp.restart_backoff_ms = 1200; /* no backoff: the plain RFC timer */
	t.conf.ppp.max_configure = 4;
	t.ac->knobs.drop_rx[ACSIM_LCP_CONFREQ] = ACSIM_FOREVER;
	t.ac->knobs.drop_tx[ACSIM_LCP_CONFREQ] = ACSIM_FOREVER;
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 30000));
	assert_int_equal(count(k.c, k.nc, ACSIM_LCP_CONFREQ, 0), 4);
	first = nth(k.c, k.nc, ACSIM_LCP_CONFREQ, 0, 0);
	last = nth(k.c, k.nc, ACSIM_LCP_CONFREQ, 0, 3);
	assert_interval(k.c[last].when - k.c[first].when, 3 * 1200, "3 restart intervals");
	/* TO- one restart interval after the last request, then PADT. */
	padt = nth(k.c, k.nc, ACSIM_PADT, 0, 0);
	assert_true(padt > last);
	assert_interval(k.c[padt].when - k.c[last].when, 1200, "TO- after the last request");
	assert_int_equal(count(k.c, k.nc, ACSIM_PADT, 0), 1);
	assert_int_equal(S(0)->ppp.reason, PPP_R_NEG_FAIL);
	assert_int_equal(t.ts[0].up_calls, 0);
	/* And the session dials again. */
	assert_true(RUN_UNTIL(count(k.c, k.nc, ACSIM_PADI, 0) == 2, 10000));
	assert_int_equal(acsim_sessions(t.ac), 1);
}

/* The AC never acks our Terminate-Request: Max-Terminate of them, then done. */
static void test_max_terminate(void **state)
{
	unsigned int mark;
	int first, last, padt;
	uint16_t sid;

	csetup(ACSIM_AUTH_PAP);
	t.conf.ppp.restart_ms = 1300;
	t.conf.ppp.max_terminate = 3;
	bring_up(0);
	sid = S(0)->disc.session_id;
	t.ac->knobs.drop_rx[ACSIM_LCP_TERMREQ] = ACSIM_FOREVER;
	mark = k.nc;
	session_stop(S(0), "admin");
	assert_true(RUN_UNTIL(S(0)->state == SESS_IDLE, 30000));
	assert_int_equal(count(k.c, k.nc, ACSIM_LCP_TERMREQ, mark), 3);
	first = nth(k.c, k.nc, ACSIM_LCP_TERMREQ, mark, 0);
	last = nth(k.c, k.nc, ACSIM_LCP_TERMREQ, mark, 2);
	assert_interval(k.c[last].when - k.c[first].when, 2 * 1300, "2 restart intervals");
	padt = nth(k.c, k.nc, ACSIM_PADT, mark, 0);
	assert_true(padt > last);
	assert_interval(k.c[padt].when - k.c[last].when, 1300, "TO- after the last request");
	assert_int_equal(count(k.c, k.nc, ACSIM_PADT, mark), 1);
	assert_int_equal(acsim_sessions(t.ac), 0);
	assert_int_equal(t.ts[0].down_calls, 1);
	/* Quiet afterwards. */
	mark = k.nc;
	run_ms(20000);
	assert_int_equal(k.nc, mark);
	assert_int_equal(client_sess_frames(sid, (unsigned int)padt), 0);
}

/*
 * The AC insists on an MRU of 1500, which PPPoE cannot carry: the client
 * Naks it Max-Failure times, then rejects it (RFC 1661 4.6, Max-Failure).
 */
static void test_max_failure(void **state)
{
	unsigned int naks = 0, i;
	const uint8_t *p, *v;
	bool rejected = false;
	size_t l, vl;

	csetup(ACSIM_AUTH_PAP);
	t.conf.ppp.max_failure = 3;
	t.ac->conf.mru = 1500;
	bring_up(0);
	for (i = 0; i < k.nc && !rejected; i++) {
		p = cap_cp(&k.c[i], PPP_LCP, &l);
		if (!p)
			continue;
		if (p[0] == C_CONFACK) {
			v = cp_opt(p, l, OPT_MRU, &vl);
			assert_true(!v || pppoe_get16(v) <= RFC2516_MRU);
		}
		if (p[0] == C_CONFNAK) {
			v = cp_opt(p, l, OPT_MRU, &vl);
			assert_non_null(v);
			assert_int_equal(vl, 2);
			assert_true(pppoe_get16(v) <= RFC2516_MRU);
			naks++;
		}
		if (p[0] == C_CONFREJ) {
			/* The rejected option, verbatim. */
			v = cp_opt(p, l, OPT_MRU, &vl);
			assert_non_null(v);
			assert_int_equal(pppoe_get16(v), 1500);
			rejected = true;
		}
	}
	assert_true(rejected);
	assert_int_equal(naks, 3);
	/* With the MRU left at its default, the client still sends <= 1492. */
	assert_true(t.ts[0].net.mtu <= RFC2516_MRU);
}

/* ---- Code-Reject and Protocol-Reject ---------------------------------------- */

/* up_peer_mru_1400 - one session up with an AC whose MRU is below 1492,
 * so that truncation to it is visible */
static void up_peer_mru_1400(void)
{
	csetup(ACSIM_AUTH_PAP);
	t.ac->conf.mru = 1400;
	bring_up(0);
}

/* reject_of - the AC sends @len bytes of @proto; the client's one answer
 * of @kind, a @rproto packet of @l bytes */
static const uint8_t *reject_of(uint16_t proto, const uint8_t *pkt, size_t len,
				enum acsim_pkt kind, uint16_t rproto, size_t *l)
{
	unsigned int mark = k.nc;
	const uint8_t *p;
	int r;

	assert_int_equal(acsim_send_ppp(ac_of(0), proto, pkt, len), 0);
	pump();
	r = nth(k.c, k.nc, kind, mark, 0);
	assert_true(r >= 0);
	assert_int_equal(count(k.c, k.nc, kind, mark), 1);
	p = cap_cp(&k.c[r], rproto, l);
	assert_non_null(p);
	return p;
}

/* check_coderej - send @proto packets of an unknown code, check the Code-Rejects */
static void check_coderej(uint16_t proto, enum acsim_pkt rejkind)
{
	uint8_t pkt[1480];
	const uint8_t *p;
	size_t l, i;

	up_peer_mru_1400();

	/* Small: copied whole. */
	pkt[0] = 0x42;
	pkt[1] = 0x77;
	pppoe_put16(pkt + 2, 24);
	for (i = 4; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 7);
	p = reject_of(proto, pkt, 24, rejkind, proto, &l);
	assert_int_equal(p[0], C_CODEREJ);
	assert_int_equal(l, 4 + 24);
	assert_memory_equal(p + 4, pkt, 24);

	/* A code only LCP knows (Echo-Request) is unknown to IPCP. */
	if (proto == PPP_IPCP) {
		pkt[0] = C_ECHOREQ;
		pppoe_put16(pkt + 2, 8);
		p = reject_of(proto, pkt, 8, rejkind, proto, &l);
		assert_int_equal(l, 4 + 8);
		assert_memory_equal(p + 4, pkt, 8);
	}

	/* Large: truncated to the peer's MRU (1400). */
	pkt[0] = 0x43;
	pppoe_put16(pkt + 2, sizeof(pkt));
	p = reject_of(proto, pkt, sizeof(pkt), rejkind, proto, &l);
	assert_int_equal(l, 1400);
	assert_memory_equal(p + 4, pkt, 1400 - 4);
	/* Neither touched the link. */
	assert_up(0);
	assert_int_equal(t.ts[0].down_calls, 0);
}

static void test_coderej_lcp(void **state)
{
	check_coderej(PPP_LCP, ACSIM_LCP_CODEREJ);
}

static void test_coderej_ipcp(void **state)
{
	check_coderej(PPP_IPCP, ACSIM_IPCP_CODEREJ);
}

/* Unknown protocols: ignored before LCP is Opened, Protocol-Rejected after. */
static void test_protrej_only_opened(void **state)
{
	static const uint8_t v6cp[] = { 0x01, 0x05, 0x00, 0x0e, 0x01, 0x0a,
					0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
	static const uint8_t junk[] = { 0xde, 0xad, 0xbe, 0xef, 0x00 };
	const uint8_t *p;
	unsigned int mark;
	size_t l;
	int r;

	csetup(ACSIM_AUTH_PAP);
	/* Keep the client negotiating: the AC never acks. */
	t.ac->knobs.drop_tx[ACSIM_LCP_CONFACK] = ACSIM_FOREVER;
	session_start(S(0));
	assert_true(RUN_UNTIL(ac_of(0) && count(k.c, k.nc, ACSIM_LCP_CONFREQ, 0), 10000));
	mark = k.nc;
	assert_int_equal(acsim_send_ppp(ac_of(0), PPP_IPV6CP, v6cp, sizeof(v6cp)), 0);
	assert_int_equal(acsim_send_ppp(ac_of(0), 0x4021, junk, sizeof(junk)), 0);
	run_ms(500);
	assert_int_equal(count(k.c, k.nc, ACSIM_LCP_PROTREJ, mark), 0);
	assert_int_equal(count(k.c, k.nc, ACSIM_OTHER, mark), 0);

	t.ac->knobs.drop_tx[ACSIM_LCP_CONFACK] = 0;
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 20000));
	mark = k.nc;
	assert_int_equal(acsim_send_ppp(ac_of(0), PPP_IPV6CP, v6cp, sizeof(v6cp)), 0);
	pump();
	r = nth(k.c, k.nc, ACSIM_LCP_PROTREJ, mark, 0);
	assert_true(r >= 0);
	p = cap_cp(&k.c[r], PPP_LCP, &l);
	assert_non_null(p);
	assert_int_equal(l, 4 + 2 + sizeof(v6cp));
	assert_int_equal(pppoe_get16(p + 4), PPP_IPV6CP);
	assert_memory_equal(p + 6, v6cp, sizeof(v6cp));

	mark = k.nc;
	assert_int_equal(acsim_send_ppp(ac_of(0), 0x4021, junk, sizeof(junk)), 0);
	pump();
	r = nth(k.c, k.nc, ACSIM_LCP_PROTREJ, mark, 0);
	assert_true(r >= 0);
	p = cap_cp(&k.c[r], PPP_LCP, &l);
	assert_int_equal(pppoe_get16(p + 4), 0x4021);
	assert_memory_equal(p + 6, junk, sizeof(junk));
	/* Distinct identifiers for distinct packets. */
	assert_int_not_equal(p[1], cap_cp(&k.c[nth(k.c, k.nc, ACSIM_LCP_PROTREJ, 0, 0)],
					  PPP_LCP, &l)[1]);
	assert_up(0);
}

/* A Protocol-Reject is truncated to the peer's MRU (RFC 1661 5.7). */
static void test_protrej_truncated(void **state)
{
	uint8_t pkt[1480];
	const uint8_t *p;
	size_t l, i;

	up_peer_mru_1400();
	for (i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 13);
	p = reject_of(PPP_IPV6, pkt, sizeof(pkt), ACSIM_LCP_PROTREJ, PPP_LCP, &l);
	assert_int_equal(l, 1400);
	assert_int_equal(pppoe_get16(p + 4), PPP_IPV6);
	assert_memory_equal(p + 6, pkt, 1400 - 6);
	assert_up(0);
}

/* ---- magic number loopback ------------------------------------------------- */

/* A looped-back line (RFC 1661 6.4): detected, never up, retried with new magic. */
static void test_loopback(void **state)
{
	uint32_t last_req_magic = 0, prev_magic = 0;
	unsigned int reqs = 0, naks = 0, i;
	const uint8_t *p, *v;
	size_t l, vl;

	csetup(ACSIM_AUTH_PAP);
	t.conf.holdoff = 1;
	t.ac->knobs.loopback = true;
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 60000));
	assert_int_equal(t.ts[0].up_calls, 0);
	assert_int_equal(S(0)->ppp.reason, PPP_R_LOOPBACK);
	assert_true(t.ac->stats.looped_back > 0);
	/* Our side of the loop: the PADT after giving up. */
	assert_int_equal(count(k.c, k.nc, ACSIM_PADT, 0), 1);
	for (i = 0; i < k.nc; i++) {
		p = cap_cp(&k.c[i], PPP_LCP, &l);
		if (!p)
			continue;
		/* It never agrees with its own request. */
		assert_int_not_equal(p[0], C_CONFACK);
		v = cp_opt(p, l, OPT_MAGIC, &vl);
		if (p[0] == C_CONFREQ) {
			assert_non_null(v);
			/* Each new request carries a new magic number. */
			if (reqs)
				assert_int_not_equal(get32(v), prev_magic);
			prev_magic = last_req_magic = get32(v);
			reqs++;
		} else if (p[0] == C_CONFNAK) {
			/* The Nak suggests a magic other than the one seen. */
			assert_non_null(v);
			assert_int_not_equal(get32(v), last_req_magic);
			naks++;
		}
	}
	assert_true(reqs >= 2);
	assert_true(naks >= 1);

	/* The line is fixed: the next dial comes up. */
	t.ac->knobs.loopback = false;
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 60000));
	assert_up(0);
}

/* ---- Configure-Ack identifiers ------------------------------------------------ */

/*
 * check_ack_id - the AC's Configure-Ack of our last @proto request is lost;
 * an Ack with the request's options but the identifiers either side of the
 * one on the wire must be discarded (RFC 1661 5.2), the right one taken.
 * Call after csetup(), which makes S(0) and its FSM @f.
 */
static void check_ack_id(uint16_t proto, enum acsim_pkt req_kind, enum acsim_pkt ack_kind,
			 const struct fsm *f)
{
	static const int delta[] = { 1, -1, 0 };
	uint8_t ack[256];
	unsigned int i, n, mark;
	const uint8_t *p;
	size_t l;
	int last;

	t.ac->knobs.drop_tx[ack_kind] = 1;
	session_start(S(0));
	assert_true(RUN_UNTIL(t.ac->stats.tx_dropped[ack_kind] == 1 && f->state == FSM_ACK_SENT,
			      10000));
	n = count(k.c, k.nc, req_kind, 0);
	assert_true(n > 0);
	last = nth(k.c, k.nc, req_kind, 0, n - 1);
	p = cap_cp(&k.c[last], proto, &l);
	assert_non_null(p);
	assert_true(l <= sizeof(ack));
	memcpy(ack, p, l);
	ack[0] = C_CONFACK;
	for (i = 0; i < sizeof(delta) / sizeof(delta[0]); i++) {
		mark = k.nc;
		ack[1] = (uint8_t)(p[1] + delta[i]);
		ac_inject_ppp(S(0)->disc.session_id, proto, ack, l);
		if (delta[i]) {
			/* Discarded: no state change, nothing sent. */
			assert_int_equal(f->state, FSM_ACK_SENT);
			assert_int_equal(k.nc, mark);
		}
	}
	assert_int_equal(f->state, FSM_OPENED);
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 10000));
	assert_up(0);
}

static void test_lcp_ack_id(void **state)
{
	csetup(ACSIM_AUTH_PAP);
	check_ack_id(PPP_LCP, ACSIM_LCP_CONFREQ, ACSIM_LCP_CONFACK, &S(0)->ppp.lcp.fsm);
}

static void test_ipcp_ack_id(void **state)
{
	csetup(ACSIM_AUTH_PAP);
	check_ack_id(PPP_IPCP, ACSIM_IPCP_CONFREQ, ACSIM_IPCP_CONFACK, &S(0)->ppp.ipcp.fsm);
}

/* ---- CHAP identifiers ----------------------------------------------------------- */

/* chap_pkt_of - the CHAP packet of captured frame @c */
static const uint8_t *chap_pkt_of(const struct cap *c, size_t *l)
{
	const uint8_t *p = cap_cp(c, PPP_CHAP, l);

	assert_non_null(p);
	return p;
}

/* Responses carry the Challenge's id; a repeated Challenge, the same Response. */
static void test_chap_identifiers(void **state)
{
	const uint8_t *c0, *c1, *r0, *r1, *c2, *r2;
	size_t lc0, lc1, lr0, lr1, lc2, lr2;
	unsigned int mark_a, mark_c;

	csetup(ACSIM_AUTH_CHAP);
	/* Our first Response is lost: acsim repeats its Challenge. */
	t.ac->knobs.drop_rx[ACSIM_CHAP_RESPONSE] = 1;
	bring_up(0);
	assert_int_equal(count(k.a, k.na, ACSIM_CHAP_CHALLENGE, 0), 2);
	assert_int_equal(count(k.c, k.nc, ACSIM_CHAP_RESPONSE, 0), 2);
	c0 = chap_pkt_of(&k.a[nth(k.a, k.na, ACSIM_CHAP_CHALLENGE, 0, 0)], &lc0);
	c1 = chap_pkt_of(&k.a[nth(k.a, k.na, ACSIM_CHAP_CHALLENGE, 0, 1)], &lc1);
	r0 = chap_pkt_of(&k.c[nth(k.c, k.nc, ACSIM_CHAP_RESPONSE, 0, 0)], &lr0);
	r1 = chap_pkt_of(&k.c[nth(k.c, k.nc, ACSIM_CHAP_RESPONSE, 0, 1)], &lr1);
	/* The same Challenge twice... */
	assert_int_equal(lc0, lc1);
	assert_memory_equal(c0, c1, lc0);
	/* ...gets the same Response, with its identifier. */
	assert_int_equal(r0[1], c0[1]);
	assert_int_equal(lr0, lr1);
	assert_memory_equal(r0, r1, lr0);

	/* A rechallenge on the opened link: answered, the link stays up. */
	mark_a = k.na;
	mark_c = k.nc;
	assert_int_equal(acsim_chap_rechallenge(ac_of(0)), 0);
	pump();
	c2 = chap_pkt_of(&k.a[nth(k.a, k.na, ACSIM_CHAP_CHALLENGE, mark_a, 0)], &lc2);
	r2 = chap_pkt_of(&k.c[nth(k.c, k.nc, ACSIM_CHAP_RESPONSE, mark_c, 0)], &lr2);
	assert_int_not_equal(c2[1], c0[1]);
	assert_int_equal(r2[1], c2[1]);
	assert_int_equal(t.ac->stats.auth_ok, 2);
	assert_int_equal(count(k.a, k.na, ACSIM_CHAP_SUCCESS, mark_a), 1);
	run_ms(5000);
	assert_up(0);
	assert_int_equal(t.ts[0].down_calls, 0);
	assert_int_equal(t.ts[0].up_calls, 1);
}

/* Success and Failure with the wrong identifier are silently ignored. */
static void test_chap_wrong_id(void **state)
{
	uint8_t pkt[16];
	unsigned int mark;
	uint8_t id;

	csetup(ACSIM_AUTH_CHAP);
	t.ac->knobs.drop_tx[ACSIM_CHAP_SUCCESS] = 1;
	session_start(S(0));
	assert_true(RUN_UNTIL(t.ac->stats.tx_dropped[ACSIM_CHAP_SUCCESS] == 1, 10000));
	id = ac_of(0)->chap_id;
	mark = k.nc;

	/* Failure, wrong id: ignored. */
	pkt[0] = 4;
	pkt[1] = (uint8_t)(id + 1);
	pppoe_put16(pkt + 2, 8);
	memcpy(pkt + 4, "nope", 4);
	assert_int_equal(acsim_send_ppp(ac_of(0), PPP_CHAP, pkt, 8), 0);
	run_ms(1000);
	assert_int_equal(S(0)->ppp.phase, PPP_PHASE_AUTHENTICATE);
	assert_int_equal(count(k.c, k.nc, ACSIM_LCP_TERMREQ, mark), 0);
	assert_int_equal(count(k.c, k.nc, ACSIM_PADT, mark), 0);

	/* Success, wrong id: ignored too. */
	pkt[0] = 3;
	pkt[1] = (uint8_t)(id - 1);
	assert_int_equal(acsim_send_ppp(ac_of(0), PPP_CHAP, pkt, 8), 0);
	run_ms(1000);
	assert_int_equal(S(0)->ppp.phase, PPP_PHASE_AUTHENTICATE);
	assert_int_equal(count(k.c, k.nc, ACSIM_IPCP_CONFREQ, mark), 0);
	assert_int_equal(t.ts[0].up_calls, 0);

	/* Success with the Response's id: on to IPCP. */
	pkt[1] = id;
	assert_int_equal(acsim_send_ppp(ac_of(0), PPP_CHAP, pkt, 8), 0);
	pump();
	assert_int_equal(S(0)->ppp.phase, PPP_PHASE_NETWORK);
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 10000));
	assert_up(0);
}


/* ---- MS-CHAPv2 ------------------------------------------------------------------- */

/* acsim's own MS-CHAPv2 arithmetic agrees with RFC 2759 9.2, so what it
 * accepts below is the RFC's and not merely the client's. */
static void test_mschapv2_acsim_rfc(void **state)
{
	static const uint8_t auth[16] = { 0x5b, 0x5d, 0x7c, 0x7d, 0x7b, 0x3f, 0x2f, 0x3e,
					  0x3c, 0x2c, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28 };
	static const uint8_t peer[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5e, 0x26, 0x2a,
					  0x28, 0x29, 0x5f, 0x2b, 0x3a, 0x33, 0x7c, 0x7e };
	static const uint8_t nt[24] = { 0x82, 0x30, 0x9e, 0xcd, 0x8d, 0x70, 0x8b, 0x5e,
					0xa0, 0x8f, 0xaa, 0x39, 0x81, 0xcd, 0x83, 0x54,
					0x42, 0x33, 0x11, 0x4a, 0x3d, 0x85, 0xd6, 0xdf };
	static const uint8_t ar[20] = { 0x40, 0x7a, 0x55, 0x89, 0x11, 0x5f, 0xd0, 0xd6, 0x20, 0x9f,
					0x51, 0x0f, 0xe9, 0xc0, 0x45, 0x66, 0x93, 0x2c, 0xda, 0x56 };
	uint8_t out[24];

	(void)state;
	acsim_mschapv2_nt_response(auth, peer, "User", "clientPass", out);
	assert_memory_equal(out, nt, sizeof(nt));
	acsim_mschapv2_auth_response(auth, peer, "User", "clientPass", nt, out);
	assert_memory_equal(out, ar, sizeof(ar));
	/* DOMAIN\user: the hashes use the name without the domain */
	acsim_mschapv2_nt_response(auth, peer, "EXAMPLE\\User", "clientPass", out);
	assert_memory_equal(out, nt, sizeof(nt));
}

/*
 * The Response on the wire (RFC 2759 4): the Challenge's identifier, Value-Size
 * 49, our 16-byte challenge, 8 zero bytes, the NT-Response acsim's own code
 * computes from the two challenges on the wire, flags 0, Name = user. A
 * repeated Challenge gets the very same Response; a rechallenge a fresh
 * challenge of ours, and the link stays up.
 */
static void test_mschapv2_wire(void **state)
{
	static const uint8_t zero[8];
	const uint8_t *c0, *c1, *r0, *r1, *c2, *r2;
	size_t lc0, lc1, lr0, lr1, lc2, lr2;
	unsigned int mark_a, mark_c;
	uint8_t want[24];

	csetup(ACSIM_AUTH_MSCHAPV2);
	t.ac->knobs.drop_rx[ACSIM_CHAP_RESPONSE] = 1;
	bring_up(0);
	assert_int_equal(count(k.a, k.na, ACSIM_CHAP_CHALLENGE, 0), 2);
	assert_int_equal(count(k.c, k.nc, ACSIM_CHAP_RESPONSE, 0), 2);
	c0 = chap_pkt_of(&k.a[nth(k.a, k.na, ACSIM_CHAP_CHALLENGE, 0, 0)], &lc0);
	c1 = chap_pkt_of(&k.a[nth(k.a, k.na, ACSIM_CHAP_CHALLENGE, 0, 1)], &lc1);
	r0 = chap_pkt_of(&k.c[nth(k.c, k.nc, ACSIM_CHAP_RESPONSE, 0, 0)], &lr0);
	r1 = chap_pkt_of(&k.c[nth(k.c, k.nc, ACSIM_CHAP_RESPONSE, 0, 1)], &lr1);
	assert_int_equal(lc0, lc1);
	assert_memory_equal(c0, c1, lc0);
	assert_int_equal(c0[4], 16);
	assert_int_equal(r0[1], c0[1]);
	assert_int_equal(lr0, 4 + 1 + 49 + strlen("alice"));
	assert_int_equal(r0[4], 49);
	assert_memory_equal(r0 + 5 + 16, zero, 8);
	assert_int_equal(r0[5 + 48], 0);
	assert_memory_equal(r0 + 5 + 49, "alice", 5);
	acsim_mschapv2_nt_response(c0 + 5, r0 + 5, "alice", "secret", want);
	assert_memory_equal(r0 + 5 + 24, want, 24);
	assert_int_equal(lr0, lr1);
	assert_memory_equal(r0, r1, lr0);

	mark_a = k.na;
	mark_c = k.nc;
	assert_int_equal(acsim_chap_rechallenge(ac_of(0)), 0);
	pump();
	c2 = chap_pkt_of(&k.a[nth(k.a, k.na, ACSIM_CHAP_CHALLENGE, mark_a, 0)], &lc2);
	r2 = chap_pkt_of(&k.c[nth(k.c, k.nc, ACSIM_CHAP_RESPONSE, mark_c, 0)], &lr2);
	assert_int_equal(r2[1], c2[1]);
	assert_memory_not_equal(r2 + 5, r0 + 5, 16);
	acsim_mschapv2_nt_response(c2 + 5, r2 + 5, "alice", "secret", want);
	assert_memory_equal(r2 + 5 + 24, want, 24);
	assert_int_equal(t.ac->stats.auth_ok, 2);
	run_ms(5000);
	assert_up(0);
	assert_int_equal(t.ts[0].down_calls, 0);

	/* A rechallenge answered with a bad authenticator response: down. */
	t.ac->knobs.mschap_bad_s = true;
	assert_int_equal(acsim_chap_rechallenge(ac_of(0)), 0);
	pump();
	assert_int_equal(S(0)->ppp.reason, PPP_R_AUTH_FAIL);
	assert_int_equal(t.ts[0].down_calls, 1);
}

/* Success with the wrong identifier is ignored, even with the right S=;
 * with the Response's identifier (taken from the wire) it is checked. */
static void test_mschapv2_wrong_id(void **state)
{
	const uint8_t *r;
	uint8_t pkt[64];
	size_t lr, n;
	uint8_t id;

	csetup(ACSIM_AUTH_MSCHAPV2);
	t.ac->knobs.drop_tx[ACSIM_CHAP_SUCCESS] = 1;
	session_start(S(0));
	assert_true(RUN_UNTIL(t.ac->stats.tx_dropped[ACSIM_CHAP_SUCCESS] == 1, 10000));
	r = chap_pkt_of(&k.c[nth(k.c, k.nc, ACSIM_CHAP_RESPONSE, 0, 0)], &lr);
	id = r[1];
	n = (size_t)snprintf((char *)pkt + 4, sizeof(pkt) - 4, "S=");
	for (unsigned int i = 0; i < 20; i++)
		n += (size_t)snprintf((char *)pkt + 4 + n, sizeof(pkt) - 4 - n, "%02X",
				      ac_of(0)->ms_auth_resp[i]);
	pkt[0] = 3;
	pkt[1] = (uint8_t)(id + 1);
	pppoe_put16(pkt + 2, (uint16_t)(4 + n));
	assert_int_equal(acsim_send_ppp(ac_of(0), PPP_CHAP, pkt, 4 + n), 0);
	run_ms(1000);
	assert_int_equal(S(0)->ppp.phase, PPP_PHASE_AUTHENTICATE);
	pkt[1] = id;
	assert_int_equal(acsim_send_ppp(ac_of(0), PPP_CHAP, pkt, 4 + n), 0);
	pump();
	assert_int_equal(S(0)->ppp.phase, PPP_PHASE_NETWORK);
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 10000));
}

/* ---- discovery ------------------------------------------------------------------- */

/* No PADO: PADIs with a doubling wait, capped (RFC 2516 7), then failure. */
static void test_padi_backoff(void **state)
{
	uint64_t gap, prev = 0;
	unsigned int i;
	int a, b;

	csetup(ACSIM_AUTH_PAP);
	t.conf.disc.timeout_ms = 700;
	t.conf.disc.timeout_max_ms = 3000;
	t.conf.disc.padi_tries = 7;
	t.ac->knobs.drop_tx[ACSIM_PADO] = ACSIM_FOREVER;
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 60000));
	assert_int_equal(count(k.c, k.nc, ACSIM_PADI, 0), 7);
	for (i = 1; i < 7; i++) {
		a = nth(k.c, k.nc, ACSIM_PADI, 0, i - 1);
		b = nth(k.c, k.nc, ACSIM_PADI, 0, i);
		gap = k.c[b].when - k.c[a].when;
		if (i == 1)
			assert_interval(gap, 700, "first PADI timeout");
		else
			assert_interval(gap, prev * 2 < 3000 ? prev * 2 : 3000, "PADI backoff");
		assert_true(gap >= prev);
		assert_true(gap <= 3000 + STEP_MS);
		prev = gap;
	}
	assert_interval(prev, 3000, "cap");
	/* The failure comes one (capped) wait after the last PADI. */
	assert_int_equal(S(0)->disc.state, DISC_IDLE);
	assert_int_equal(count(k.c, k.nc, ACSIM_PADR, 0), 0);
}

/* No PADS: PADR retries with backoff, then back to PADI, which works. */
static void test_padr_retries(void **state)
{
	int r[3], padi2, i;

	csetup(ACSIM_AUTH_PAP);
	t.conf.disc.timeout_ms = 800;
	t.conf.disc.timeout_max_ms = 10000;
	t.conf.disc.padr_tries = 3;
	t.ac->knobs.drop_rx[ACSIM_PADR] = 3;
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 30000));
	for (i = 0; i < 3; i++) {
		r[i] = nth(k.c, k.nc, ACSIM_PADR, 0, (unsigned int)i);
		assert_true(r[i] >= 0);
	}
	assert_interval(k.c[r[1]].when - k.c[r[0]].when, 800, "PADR timeout");
	assert_interval(k.c[r[2]].when - k.c[r[1]].when, 1600, "PADR backoff");
	/* After the third, one more wait and a fresh PADI. */
	padi2 = nth(k.c, k.nc, ACSIM_PADI, 0, 1);
	assert_true(padi2 > r[2]);
	assert_interval(k.c[padi2].when - k.c[r[2]].when, 3200, "back to PADI");
	assert_int_equal(nth(k.c, k.nc, ACSIM_PADR, r[2] + 1, 0) > padi2, 1);
	assert_int_equal(count(k.c, k.nc, ACSIM_PADI, 0), 2);
	assert_int_equal(count(k.c, k.nc, ACSIM_PADR, 0), 4);
	assert_int_equal(t.ac->stats.sessions_created, 1);
}

/* relay_rewrite - a relay agent adding Relay-Session-Id / PPP-Max-Payload */
static size_t relay_rewrite(uint8_t *frame, size_t len, size_t cap)
{
	struct pppoe_frame f;
	struct disc_pkt p;
	int n;

	if (pppoe_frame_decode(frame, len, &f) || f.ethertype != ETH_P_PPP_DISC_)
		return len;
	if (!((f.code == DISC_PADO && k.relay_pado) || (f.code == DISC_PADS && k.relay_pads)))
		return len;
	assert_int_equal(disc_decode(frame + ETH_HLEN_, len - ETH_HLEN_, &p), 0);
	if (k.relay_len) {
		p.relay_session_id.ptr = k.relay;
		p.relay_session_id.len = (uint16_t)k.relay_len;
		p.relay_session_id.present = true;
	}
	if (k.max_payload) {
		p.has_max_payload = true;
		p.max_payload = k.max_payload;
	}
	{
		uint8_t out[1500];

		n = disc_encode(out, sizeof(out), &p);
		assert_true(n > 0);
		assert_true(ETH_HLEN_ + (size_t)n <= cap);
		memcpy(frame + ETH_HLEN_, out, (size_t)n);
	}
	return ETH_HLEN_ + (size_t)n;
}

static void assert_blob(const struct disc_blob *got, const struct disc_blob *want)
{
	assert_true(got->present);
	assert_true(want->present);
	assert_int_equal(got->len, want->len);
	assert_memory_equal(got->ptr, want->ptr, want->len);
}

/* AC-Cookie and Relay-Session-Id go back byte for byte (RFC 2516 5.2, 5.3, 5.5). */
static void test_tags_echoed(void **state)
{
	static const uint8_t relay[] = { 0x00, 0xff, 'r', 'l', 0x00, 0x7f, 0x80, 0x01, 0x02 };
	struct disc_pkt padi, pado, padr, padt;
	unsigned int mark;

	csetup(ACSIM_AUTH_PAP);
	memcpy(k.relay, relay, sizeof(relay));
	k.relay_len = sizeof(relay);
	k.relay_pado = true;
	t.a_rewrite = relay_rewrite;
	bring_up(0);
	cap_disc(&k.c[nth(k.c, k.nc, ACSIM_PADI, 0, 0)], &padi);
	cap_disc(&k.a[nth(k.a, k.na, ACSIM_PADO, 0, 0)], &pado);
	cap_disc(&k.c[nth(k.c, k.nc, ACSIM_PADR, 0, 0)], &padr);
	assert_true(pado.ac_cookie.len > 0);
	assert_blob(&padr.ac_cookie, &pado.ac_cookie);
	assert_blob(&padr.relay_session_id, &pado.relay_session_id);
	assert_int_equal(padr.relay_session_id.len, sizeof(relay));
	assert_blob(&padr.host_uniq, &padi.host_uniq);
	assert_int_equal(t.ac->stats.bad_cookie, 0);

	/* Our PADT carries our Host-Uniq and the relay's id for routing. */
	mark = k.nc;
	session_stop(S(0), "admin");
	assert_true(RUN_UNTIL(S(0)->state == SESS_IDLE, 20000));
	cap_disc(&k.c[nth(k.c, k.nc, ACSIM_PADT, mark, 0)], &padt);
	assert_blob(&padt.host_uniq, &padi.host_uniq);
	assert_blob(&padt.relay_session_id, &pado.relay_session_id);
}

/* check_confreq_mru - every client LCP Configure-Request asks for an MRU <= @limit */
static unsigned int check_confreq_mru(unsigned int from, uint16_t limit)
{
	unsigned int i, n = 0;
	const uint8_t *p, *v;
	size_t l, vl;

	for (i = from; i < k.nc; i++) {
		p = cap_cp(&k.c[i], PPP_LCP, &l);
		if (!p || p[0] != C_CONFREQ)
			continue;
		/* Without the option the peer would assume 1500 (RFC 1661 6.1). */
		v = cp_opt(p, l, OPT_MRU, &vl);
		assert_non_null(v);
		assert_int_equal(vl, 2);
		if (pppoe_get16(v) > limit)
			fail_msg("Configure-Request with MRU %u > %u", pppoe_get16(v), limit);
		n++;
	}
	return n;
}

/* MRU <= 1492 unless PPP-Max-Payload was agreed (RFC 2516 7, RFC 4638). */
static void test_mru_limit(void **state)
{
	struct disc_pkt padi, pads;
	uint16_t limit = RFC2516_MRU;
	unsigned int mark;

	csetup(ACSIM_AUTH_PAP);
	/* Configured too large, and an unsolicited PPP-Max-Payload in PADO/PADS. */
	t.conf.ppp.mru = 1500;
	k.max_payload = 1500;
	k.relay_pado = k.relay_pads = true;
	t.a_rewrite = relay_rewrite;
	/* An AC that Naks our MRU up to 1500 for a while. */
	t.ac->knobs.lcp_nak_mru = 1500;
	session_start(S(0));
	assert_true(RUN_UNTIL(count(k.a, k.na, ACSIM_LCP_CONFNAK, 0) >= 3, 30000));
	cap_disc(&k.c[nth(k.c, k.nc, ACSIM_PADI, 0, 0)], &padi);
	cap_disc(&k.a[nth(k.a, k.na, ACSIM_PADS, 0, 0)], &pads);
	assert_true(pads.has_max_payload);
	/* Agreed only if we asked for it and the AC answered (RFC 4638 4). */
	if (padi.has_max_payload && pads.has_max_payload)
		limit = padi.max_payload < pads.max_payload ? padi.max_payload
							    : pads.max_payload;
	assert_true(check_confreq_mru(0, limit) >= 3);

	mark = k.nc;
	t.ac->knobs.lcp_nak_mru = 0;
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 60000));
	check_confreq_mru(mark, limit);
	assert_true(t.ts[0].net.mtu <= limit);
	assert_true(ac_of(0)->peer_mru <= limit);
}

/* session_frames_after_padt - bring up, end the session by @ac_side PADT, probe */
static void check_quiet_after_padt(bool ac_side)
{
	static const uint8_t echo[] = { C_ECHOREQ, 0x31, 0x00, 0x08, 0x12, 0x34, 0x56, 0x78 };
	static const uint8_t term[] = { C_TERMREQ, 0x32, 0x00, 0x04 };
	static const uint8_t creq[] = { C_CONFREQ, 0x33, 0x00, 0x0a, 0x05, 0x06,
					0x12, 0x34, 0x56, 0x78 };
	unsigned int mark;
	uint16_t sid;
	int padt;

	csetup(ACSIM_AUTH_PAP);
	t.conf.ppp.echo_interval = 1;
	t.conf.ppp.echo_failure = 3;
	t.conf.holdoff = 5;
	t.conf.holdoff_max = 5;
	bring_up(0);
	sid = S(0)->disc.session_id;
	run_ms(2500);
	assert_true(count(k.c, k.nc, ACSIM_LCP_ECHOREQ, 0) >= 2);
	if (ac_side) {
		assert_int_equal(acsim_send_padt(ac_of(0), "bye"), 0);
		pump();
		padt = nth(k.a, k.na, ACSIM_PADT, 0, 0);
		assert_true(padt >= 0);
		mark = k.nc;
		/* Nothing in between: the PADT was handled in the same pump. */
		assert_int_equal(count(k.c, k.nc, ACSIM_PADT, 0), 0);
	} else {
		session_stop(S(0), "admin");
		assert_true(RUN_UNTIL(S(0)->state == SESS_IDLE, 20000));
		padt = nth(k.c, k.nc, ACSIM_PADT, 0, 0);
		assert_true(padt >= 0);
		mark = (unsigned int)padt + 1;
	}
	/* The AC (or something spoofing it) still talks on the old session. */
	ac_inject_ppp(sid, PPP_LCP, echo, sizeof(echo));
	ac_inject_ppp(sid, PPP_LCP, term, sizeof(term));
	ac_inject_ppp(sid, PPP_LCP, creq, sizeof(creq));
	run_ms(4000);
	ac_inject_ppp(sid, PPP_LCP, echo, sizeof(echo));
	run_ms(20000);
	assert_int_equal(client_sess_frames(sid, mark), 0);
	if (ac_side) {
		/* The client's next session is another one, and it came up. */
		assert_int_equal(S(0)->state, SESS_UP);
		assert_int_not_equal(S(0)->disc.session_id, sid);
		assert_int_equal(count(k.c, k.nc, ACSIM_PADT, 0), 0);
	} else {
		assert_int_equal(S(0)->state, SESS_IDLE);
		assert_int_equal(k.nc, mark);
	}
}

static void test_quiet_after_ac_padt(void **state)
{
	check_quiet_after_padt(true);
}

static void test_quiet_after_own_padt(void **state)
{
	check_quiet_after_padt(false);
}

/* A PADO with an error tag is no offer: keep asking until a good one comes. */
static void test_pado_error_tag(void **state)
{
	static const uint16_t tags[] = { TAG_SERVICE_NAME_ERROR, TAG_AC_SYSTEM_ERROR,
					 TAG_GENERIC_ERROR };
	unsigned int i;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		csetup(ACSIM_AUTH_PAP);
		t.ac->knobs.pado_error_tag = tags[i];
		session_start(S(0));
		run_ms(4000);
		assert_true(t.ac->stats.tx[ACSIM_PADO] >= 2);
		assert_true(count(k.c, k.nc, ACSIM_PADI, 0) >= 2);
		assert_int_equal(count(k.c, k.nc, ACSIM_PADR, 0), 0);
		assert_int_equal(S(0)->state, SESS_DISCOVERY);
		t.ac->knobs.pado_error_tag = 0;
		assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 60000));
		assert_int_equal(count(k.c, k.nc, ACSIM_PADR, 0), 1);
		teardown(NULL);
	}
}

/* An AC answering one PADI in three still gets us up. */
static void test_padi_throttled(void **state)
{
	csetup(ACSIM_AUTH_PAP);
	t.ac->knobs.padi_every = 3;
	bring_up(0);
	assert_int_equal(t.ac->stats.padi_throttled, 2);
	assert_int_equal(t.ac->stats.rx[ACSIM_PADI], 3);
	assert_int_equal(t.ac->stats.tx[ACSIM_PADO], 1);
	assert_int_equal(count(k.c, k.nc, ACSIM_PADI, 0), 3);
}

/* PADO and LCP Acks late by more than a retransmission interval. */
static void test_delayed_answers(void **state)
{
	csetup(ACSIM_AUTH_PAP);
	t.conf.disc.timeout_ms = 1000;
	t.conf.ppp.restart_ms = 1000;
	t.ac->knobs.delay_tx_ms[ACSIM_PADO] = 2500;
	t.ac->knobs.delay_tx_ms[ACSIM_LCP_CONFACK] = 2500;
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 30000));
	assert_up(0);
	assert_true(t.ac->stats.tx_delayed[ACSIM_PADO] >= 2);
	assert_true(t.ac->stats.tx_delayed[ACSIM_LCP_CONFACK] >= 1);
	/* Retransmitted while waiting... */
	assert_true(count(k.c, k.nc, ACSIM_PADI, 0) >= 2);
	assert_true(count(k.c, k.nc, ACSIM_LCP_CONFREQ, 0) >= 3);
	/* ...but the late PADOs made no second PADR, the late Acks no reset. */
	assert_int_equal(count(k.c, k.nc, ACSIM_PADR, 0), 1);
	assert_int_equal(t.ac->stats.sessions_created, 1);
	/* The first PADO came 2.5 s after the first PADI. */
	assert_interval(k.a[nth(k.a, k.na, ACSIM_PADO, 0, 0)].when -
			k.c[nth(k.c, k.nc, ACSIM_PADI, 0, 0)].when, 2500, "PADO delay");
	run_ms(10000);
	assert_up(0);
	assert_int_equal(t.ts[0].up_calls, 1);
}

/*
 * A slow PADS: the client retransmits its PADR, the AC's LCP (started at
 * the first PADR) talks before the PADS arrives, the repeated PADSs for
 * the same session come late. One session, up once.
 */
static void test_delayed_pads(void **state)
{
	csetup(ACSIM_AUTH_PAP);
	t.conf.disc.timeout_ms = 1000;
	t.ac->knobs.delay_tx_ms[ACSIM_PADS] = 2500;
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 30000));
	assert_up(0);
	assert_true(count(k.c, k.nc, ACSIM_PADR, 0) >= 2);
	assert_true(t.ac->stats.tx_delayed[ACSIM_PADS] >= 2);
	assert_int_equal(t.ac->stats.sessions_created, 1);
	/* The late copies of the PADS were for our own session: no PADT. */
	run_ms(10000);
	assert_int_equal(count(k.c, k.nc, ACSIM_PADT, 0), 0);
	assert_up(0);
	assert_int_equal(t.ts[0].up_calls, 1);
}

/*
 * A peer that renegotiates LCP whenever it is Opened. RFC 1661 has no
 * counter for this (every round passes irc), so the client must follow
 * the table each time: RCR in Opened is tld, scr, sca. One fresh
 * Configure-Request and one Ack per round, network down each time, no
 * Terminate-Request or PADT of its own, and up again once the peer stops.
 */
static void test_lcp_confreq_loop(void **state)
{
	unsigned int mark, loops, reqs, acks;
	int diff;

	csetup(ACSIM_AUTH_PAP);
	t.ac->knobs.lcp_confreq_loop = true;
	session_start(S(0));
	assert_true(RUN_UNTIL(t.ac->stats.lcp_loops >= 5, 10000));
	mark = k.nc;
	loops = t.ac->stats.lcp_loops;
	run_ms(2000);
	loops = t.ac->stats.lcp_loops - loops;
	reqs = count(k.c, k.nc, ACSIM_LCP_CONFREQ, mark);
	acks = count(k.c, k.nc, ACSIM_LCP_CONFACK, mark);
	assert_true(loops >= 50);
	diff = (int)reqs - (int)loops;
	assert_true(diff >= -1 && diff <= 1);
	diff = (int)acks - (int)loops;
	assert_true(diff >= -1 && diff <= 1);
	assert_int_equal(count(k.c, k.nc, ACSIM_LCP_TERMREQ, 0), 0);
	assert_int_equal(count(k.c, k.nc, ACSIM_PADT, 0), 0);
	assert_int_equal(S(0)->dials, 1);
	/* Network up and down strictly alternate. */
	diff = (int)t.ts[0].up_calls - (int)t.ts[0].down_calls;
	assert_true(diff == 0 || diff == 1);
	assert_int_equal(diff == 1, S(0)->state == SESS_UP);
	assert_int_equal(diff == 1, ppp_ip_ok(&S(0)->ppp));

	t.ac->knobs.lcp_confreq_loop = false;
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 10000));
	mark = k.nc;
	run_ms(5000);
	assert_int_equal(count(k.c, k.nc, ACSIM_LCP_CONFREQ, mark), 0);
	assert_up(0);
}

/* Echo-Requests nobody answers end the link after echo_failure of them. */
static void test_echo_silent(void **state)
{
	unsigned int mark;

	csetup(ACSIM_AUTH_PAP);
	t.conf.ppp.echo_interval = 2;
	t.conf.ppp.echo_failure = 3;
	bring_up(0);
	mark = k.nc;
	t.ac->knobs.echo_silent = true;
	assert_true(RUN_UNTIL(S(0)->state != SESS_UP, 30000));
	assert_int_equal(count(k.c, k.nc, ACSIM_LCP_ECHOREQ, mark), 3);
	assert_int_equal(t.ac->stats.echo_ignored, 3);
	assert_int_equal(S(0)->ppp.reason, PPP_R_ECHO_TIMEOUT);
	assert_int_equal(t.echo_missed, 1); /* the first miss of the run is reported */ /* the first miss of the run is reported */
}

/* ---- patience with a slow AC, fast and quiet liveness ----------------------- */

/*
 * An AC that answers PADS at once and starts the PPP side 30 s later (a
 * pppd forked after many others): our Configure-Requests back off (3, 6,
 * 12 s) instead of running out after 30 s, and the first packet from the
 * AC brings a retransmission at once. One dial, no PADT, no redial.
 */
static void test_lcp_backoff_slow_ac(void **state)
{
	int i, prev, cur;

	csetup(ACSIM_AUTH_PAP);
	t.ac->knobs.spawn_ms = 30000;
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 60000));
	assert_int_equal(S(0)->dials, 1);
	assert_int_equal(count(k.c, k.nc, ACSIM_PADT, 0), 0);
	assert_true(t.ac->stats.rx_unspawned >= 4);
	/* Intervals double while the AC says nothing: sent at 0, 3, 9, 21 s. */
	prev = nth(k.c, k.nc, ACSIM_LCP_CONFREQ, 0, 0);
	for (i = 1; i <= 3; i++) {
		cur = nth(k.c, k.nc, ACSIM_LCP_CONFREQ, 0, (unsigned int)i);
		assert_true(cur > prev);
		assert_interval(k.c[cur].when - k.c[prev].when, i == 1 ? 3000 : i == 2 ? 6000 : 12000,
				"backed-off restart interval");
		prev = cur;
	}
	/* The AC starts at 30 s and is heard: our request goes again a
	 * restart interval after the last one (at once: it is 9 s old), not
	 * 12 s after it. */
	cur = nth(k.c, k.nc, ACSIM_LCP_CONFREQ, 0, 4);
	assert_true(k.c[cur].when - k.c[prev].when <= 9000 + 2 * STEP_MS);
	assert_int_equal(count(k.c, k.nc, ACSIM_LCP_CONFREQ, 0), 5);
	assert_int_equal(t.setup_ev[SESSION_SETUP_BEGIN], 1);
	assert_int_equal(t.setup_ev[SESSION_SETUP_OK], 1);
	assert_int_equal(t.setup_ev[SESSION_SETUP_FAILED], 0);
	/* Three unanswered (21 s) are a sign of overload, told once. */
	assert_int_equal(t.setup_ev[SESSION_SETUP_LCP_LATE], 1);
}

/*
 * Max-Configure is spent and the AC was never heard: without word that the
 * AC is alive the session gives up (PADT, redial); while the owner says the
 * AC is alive and working, it keeps waiting, a bounded number of rounds.
 */
static void test_lcp_patience(void **state)
{
	csetup(ACSIM_AUTH_PAP);
	t.ac->knobs.spawn_ms = 150000; /* beyond one round of 3+6+12*8 s */
	session_start(S(0));
	assert_true(RUN_UNTIL(count(k.c, k.nc, ACSIM_PADT, 0) == 1, 200000));
	assert_true(t.wheel.now - 1000000 >= 105000);
	assert_int_equal(S(0)->ppp.reason, PPP_R_NEG_FAIL);

	teardown(NULL);
	csetup(ACSIM_AUTH_PAP);
	t.ac_alive = true;
	t.ac->knobs.spawn_ms = 150000;
	session_start(S(0));
	assert_true(RUN_UNTIL(S(0)->state == SESS_UP, 400000));
	assert_int_equal(S(0)->dials, 1);
	assert_int_equal(count(k.c, k.nc, ACSIM_PADT, 0), 0);
	assert_int_equal(S(0)->lcp_patience, 1);

	/* Patience is bounded: a session the AC never starts gives up after
	 * three rounds even while the AC is said to be alive. */
	teardown(NULL);
	csetup(ACSIM_AUTH_PAP);
	t.ac_alive = true;
	t.ac->knobs.spawn_ms = 1000000;
	session_start(S(0));
	assert_true(RUN_UNTIL(count(k.c, k.nc, ACSIM_PADT, 0) == 1, 600000));
	assert_int_equal(count(k.c, k.nc, ACSIM_LCP_CONFREQ, 0), 30);
}

/*
 * Echoes go unanswered on this link while the AC answers on others (an AC
 * busy forking pppds for a burst of new sessions): keep probing, up to 60 s
 * from the first unanswered echo, then the link is dead after all.
 */
static void test_echo_busy_peer(void **state)
{
	uint64_t t0;

	csetup(ACSIM_AUTH_PAP);
	t.conf.ppp.echo_interval = 10;
	t.conf.ppp.echo_failure = 4;
	bring_up(0);
	t.ac_alive = true;
	t.ac->knobs.echo_silent = true;
	t0 = t.wheel.now;
	run_for(40000);
	assert_int_equal(S(0)->state, SESS_UP); /* not dead at 18 s */
	assert_true(RUN_UNTIL(S(0)->state != SESS_UP, 60000));
	/* first echo at 10 s, then dead 60 s after it (within a probe) */
	assert_true(t.wheel.now - t0 >= 10000 + LCP_ECHO_BUSY_MAX_MS);
	assert_true(t.wheel.now - t0 <= 10000 + LCP_ECHO_BUSY_MAX_MS + 2000 + STEP_MS);
	assert_int_equal(S(0)->ppp.reason, PPP_R_ECHO_TIMEOUT);
}

/* A single lost Echo-Reply drops nobody: the probe that follows is answered. */
static void test_echo_single_loss(void **state)
{
	unsigned int mark;

	csetup(ACSIM_AUTH_PAP);
	t.conf.ppp.echo_interval = 10;
	t.conf.ppp.echo_failure = 4;
	t.conf.ppp.echo_probe_ms = 2000;
	bring_up(0);
	mark = k.nc;
	t.ac->knobs.drop_tx[ACSIM_LCP_ECHOREP] = 1;
	run_for(60000);
	assert_int_equal(S(0)->state, SESS_UP);
	assert_int_equal(t.ts[0].down_calls, 0);
	assert_int_equal(S(0)->dials, 1);
	assert_int_equal(t.ac->stats.tx_dropped[ACSIM_LCP_ECHOREP], 1);
	assert_int_equal(t.echo_missed, 1);
	/* At 10 s (its reply lost), the probe at 12 s, then every 10 s from
	 * the answered probe: 22, 32, 42, 52. */
	assert_int_equal(count(k.c, k.nc, ACSIM_LCP_ECHOREQ, mark), 6);
}

/*
 * Data from the peer counts as an answer (echo_adaptive): a busy link
 * sends no echoes; an AC that dies is found within 30 s with the default
 * settings (10 s idle, then 4 probes 2 s apart: 18 s).
 */
static void test_echo_adaptive_and_dead_peer(void **state)
{
	static const uint8_t ping[] = { 0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0,
					10, 64, 0, 1, 10, 64, 0, 100 };
	unsigned int mark, i;
	uint64_t dead_at;

	csetup(ACSIM_AUTH_PAP);
	t.conf.ppp.echo_interval = 10;
	t.conf.ppp.echo_failure = 4;
	t.conf.ppp.echo_adaptive = true;
	bring_up(0);
	mark = k.nc;
	for (i = 0; i < 30; i++) {
		acsim_send_ip(acsim_find(t.ac, S(0)->mac, 0), ping, sizeof(ping));
		run_for(1000);
	}
	assert_int_equal(count(k.c, k.nc, ACSIM_LCP_ECHOREQ, mark), 0);
	assert_int_equal(t.ts[0].ip_rx, 30);
	/* Now the AC goes silent. */
	t.ac->knobs.echo_silent = true;
	dead_at = t.wheel.now;
	assert_true(RUN_UNTIL(t.ts[0].down_calls > 0, 40000));
	assert_true(t.wheel.now - dead_at <= 19000);
	assert_true(count(k.c, k.nc, ACSIM_LCP_ECHOREQ, mark) >= 4);
}

/*
 * A restarted AC that refuses our session with a PADT (or a PADS error)
 * sends the session straight to a redial: no holdoff on the first failure
 * (with the owner's pacing, which spreads such redials).
 */
static void test_padt_unknown_session_redials_now(void **state)
{
	uint64_t t0;

	csetup(ACSIM_AUTH_PAP);
	S(0)->ops = &c_ops_paced;
	t.conf.holdoff = 30;
	t.conf.holdoff_max = 60;
	t.conf.ppp.echo_interval = 10;
	bring_up(0);
	run_for(SESSION_FAST_REDIAL_MIN_UP_MS);
	acsim_restart(t.ac);
	t.ac->knobs.padt_unknown_session = true;
	t0 = t.wheel.now;
	/* Our next echo meets the PADT; up again right after, not 15-30 s later. */
	assert_true(RUN_UNTIL(S(0)->dials == 2 && S(0)->state == SESS_UP, 20000));
	assert_true(t.wheel.now - t0 <= 11000);
	assert_int_equal(t.ts[0].down_calls, 1);

	assert_int_equal(count(k.c, k.nc, ACSIM_PADT, 0), 0); /* it was the AC's PADT */

	/* Cut short right after it came up (a duplicate-login policy): no
	 * fast redial, the holdoff (15-30 s here) applies. */
	acsim_send_padt(acsim_find(t.ac, S(0)->mac, 0), "duplicate login");
	run_for(10000);
	assert_int_equal(S(0)->dials, 2);
	assert_int_equal(S(0)->state, SESS_HOLDOFF);

	/* A fresh dial refused with a PADS error: the redial goes at once;
	 * a second refusal in a row waits out the holdoff. */
	teardown(NULL);
	csetup(ACSIM_AUTH_PAP);
	S(0)->ops = &c_ops_paced;
	t.conf.holdoff = 30;
	t.conf.holdoff_max = 60;
	t.ac->knobs.pads_error_tag = TAG_AC_SYSTEM_ERROR;
	session_start(S(0));
	t0 = t.wheel.now;
	assert_true(RUN_UNTIL(S(0)->state == SESS_HOLDOFF, 5000));
	assert_int_equal(S(0)->dials, 2);
	assert_true(t.wheel.now - t0 <= 1000);
	run_for(10000);
	assert_int_equal(S(0)->dials, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_restart_timer, teardown),
		cmocka_unit_test_teardown(test_max_configure, teardown),
		cmocka_unit_test_teardown(test_max_terminate, teardown),
		cmocka_unit_test_teardown(test_max_failure, teardown),
		cmocka_unit_test_teardown(test_coderej_lcp, teardown),
		cmocka_unit_test_teardown(test_coderej_ipcp, teardown),
		cmocka_unit_test_teardown(test_protrej_only_opened, teardown),
		cmocka_unit_test_teardown(test_protrej_truncated, teardown),
		cmocka_unit_test_teardown(test_loopback, teardown),
		cmocka_unit_test_teardown(test_lcp_ack_id, teardown),
		cmocka_unit_test_teardown(test_ipcp_ack_id, teardown),
		cmocka_unit_test_teardown(test_chap_identifiers, teardown),
		cmocka_unit_test_teardown(test_chap_wrong_id, teardown),
		cmocka_unit_test(test_mschapv2_acsim_rfc),
		cmocka_unit_test_teardown(test_mschapv2_wire, teardown),
		cmocka_unit_test_teardown(test_mschapv2_wrong_id, teardown),
		cmocka_unit_test_teardown(test_padi_backoff, teardown),
		cmocka_unit_test_teardown(test_padr_retries, teardown),
		cmocka_unit_test_teardown(test_tags_echoed, teardown),
		cmocka_unit_test_teardown(test_mru_limit, teardown),
		cmocka_unit_test_teardown(test_quiet_after_ac_padt, teardown),
		cmocka_unit_test_teardown(test_quiet_after_own_padt, teardown),
		cmocka_unit_test_teardown(test_pado_error_tag, teardown),
		cmocka_unit_test_teardown(test_padi_throttled, teardown),
		cmocka_unit_test_teardown(test_delayed_answers, teardown),
		cmocka_unit_test_teardown(test_delayed_pads, teardown),
		cmocka_unit_test_teardown(test_lcp_confreq_loop, teardown),
		cmocka_unit_test_teardown(test_echo_silent, teardown),
		cmocka_unit_test_teardown(test_lcp_backoff_slow_ac, teardown),
		cmocka_unit_test_teardown(test_lcp_patience, teardown),
		cmocka_unit_test_teardown(test_echo_single_loss, teardown),
		cmocka_unit_test_teardown(test_echo_busy_peer, teardown),
		cmocka_unit_test_teardown(test_echo_adaptive_and_dead_peer, teardown),
		cmocka_unit_test_teardown(test_padt_unknown_session_redials_now, teardown),
	};
	const char *dbg = getenv("TEST_DEBUG");

	log_threshold = dbg && *dbg ? LOG_LVL_DEBUG : LOG_LVL_ERR;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
