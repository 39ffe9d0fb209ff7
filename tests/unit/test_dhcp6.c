// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_dhcp6.c - DHCPv6 (RFC 8415): the message codec against canned bytes
 * and malformed input, and the client machine against a scripted server
 * under a fake clock.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pppoe/dhcp6.h"
#include "pppoe/log.h"
#include "pppoe/timer.h"

/* ---- codec --------------------------------------------------------- */

/* A Reply: Client ID (DUID-LL), Server ID, Preference 7, DNS server,
 * IA_NA with one IAADDR, IA_PD with one IAPREFIX /56 and a Status in it. */
static const uint8_t reply_bytes[] = {
	0x07, 0x12, 0x34, 0x56,
	0x00, 0x01, 0x00, 0x0a, 0x00, 0x03, 0x00, 0x01, 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01,
	0x00, 0x02, 0x00, 0x04, 0x00, 0x02, 0xab, 0xcd,
	0x00, 0x07, 0x00, 0x01, 0x07,
	0x00, 0x17, 0x00, 0x10, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53,
	/* IA_NA iaid 0x11223344 T1 100 T2 160, IAADDR 2001:db8::5 pref 200 valid 300 */
	0x00, 0x03, 0x00, 0x28, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 100, 0, 0, 0, 160,
	0x00, 0x05, 0x00, 0x18, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05,
	0, 0, 0, 200, 0, 0, 1, 0x2c,
	/* IA_PD iaid 0x11223344 T1 0 T2 0, IAPREFIX pref 400 valid 500 /56
	 * 2001:db8:1:: with a Status Success "ok" */
	0x00, 0x19, 0x00, 0x31, 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x1a, 0x00, 0x21, 0, 0, 1, 0x90, 0, 0, 1, 0xf4, 56,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x0d, 0x00, 0x04, 0x00, 0x00, 'o', 'k',
};

static void test_decode_reply(void **state)
{
	struct dhcp6_msg m;

	assert_int_equal(dhcp6_decode(reply_bytes, sizeof(reply_bytes), &m), 0);
	assert_int_equal(m.type, DHCP6_REPLY);
	assert_int_equal(m.xid, 0x123456);
	assert_true(m.client_id.present);
	assert_int_equal(m.client_id.len, 10);
	assert_ptr_equal(m.client_id.ptr, reply_bytes + 8);
	assert_int_equal(m.server_id.len, 4);
	assert_true(m.has_preference);
	assert_int_equal(m.preference, 7);
	assert_int_equal(m.n_dns, 1);
	assert_int_equal(m.dns[0][15], 0x53);
	assert_int_equal(m.n_ia_na, 1);
	assert_true(m.ia_na.present);
	assert_int_equal(m.ia_na.iaid, 0x11223344);
	assert_int_equal(m.ia_na.t1, 100);
	assert_int_equal(m.ia_na.t2, 160);
	assert_int_equal(m.ia_na.n, 1);
	assert_int_equal(m.ia_na.e[0].addr[15], 5);
	assert_int_equal(m.ia_na.e[0].plen, 128);
	assert_int_equal(m.ia_na.e[0].preferred, 200);
	assert_int_equal(m.ia_na.e[0].valid, 300);
	assert_true(m.ia_pd.present);
	assert_int_equal(m.ia_pd.n, 1);
	assert_int_equal(m.ia_pd.e[0].plen, 56);
	assert_int_equal(m.ia_pd.e[0].preferred, 400);
	assert_int_equal(m.ia_pd.e[0].valid, 500);
	assert_int_equal(m.ia_pd.e[0].addr[5], 1);
	assert_true(m.ia_pd.e[0].status.present);
	assert_int_equal(m.ia_pd.e[0].status.code, 0);
	assert_int_equal(m.ia_pd.e[0].status.msg.len, 2);
	assert_memory_equal(m.ia_pd.e[0].status.msg.ptr, "ok", 2);
	assert_false(m.status.present);
	assert_false(m.rapid_commit);
}

static void test_roundtrip(void **state)
{
	uint8_t buf[DHCP6_MSG_MAX];
	struct dhcp6_msg m, q;
	int n;

	assert_int_equal(dhcp6_decode(reply_bytes, sizeof(reply_bytes), &m), 0);
	n = dhcp6_encode(buf, sizeof(buf), &m);
	assert_true(n > 0);
	/* Same options in the same order: byte for byte. */
	assert_int_equal(n, sizeof(reply_bytes));
	assert_memory_equal(buf, reply_bytes, sizeof(reply_bytes));
	assert_int_equal(dhcp6_decode(buf, (size_t)n, &q), 0);
	assert_int_equal(q.ia_pd.e[0].plen, 56);
	/* Too small a buffer anywhere: -ENOSPC, never a partial success. */
	for (size_t cap = 0; cap < sizeof(reply_bytes); cap++)
		assert_int_equal(dhcp6_encode(buf, cap, &m), -ENOSPC);
	m.xid = 0x1000000;
	assert_int_equal(dhcp6_encode(buf, sizeof(buf), &m), -EINVAL);
}

static void test_decode_truncated(void **state)
{
	struct dhcp6_msg m;
	size_t n;
	int err;

	/* Every prefix either is a whole message (option boundary) or fails
	 * with -EMSGSIZE; none reads past its length (ASan would tell). */
	for (n = 0; n < sizeof(reply_bytes); n++) {
		err = dhcp6_decode(reply_bytes, n, &m);
		assert_true(err == 0 || err == -EMSGSIZE);
		if (n < 4 || n == 5 || n == 11)
			assert_int_equal(err, -EMSGSIZE);
	}
	assert_int_equal(dhcp6_decode(reply_bytes, 4, &m), 0);
	assert_int_equal(dhcp6_decode(reply_bytes, 18, &m), 0);
	assert_true(m.client_id.present);
}

/* msg_with - a 4-byte header and one option of @code with @len bytes of @v */
static size_t msg_with(uint8_t *buf, uint16_t code, const uint8_t *v, uint16_t len)
{
	buf[0] = DHCP6_REPLY;
	buf[1] = buf[2] = buf[3] = 1;
	buf[4] = (uint8_t)(code >> 8);
	buf[5] = (uint8_t)code;
	buf[6] = (uint8_t)(len >> 8);
	buf[7] = (uint8_t)len;
	memcpy(buf + 8, v, len);
	return 8u + len;
}

static void test_decode_malformed(void **state)
{
	uint8_t v[256] = { 0 }, buf[300];
	struct dhcp6_msg m;

	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_CLIENTID, v, 0), &m), -EINVAL);
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_SERVERID, v, 131), &m),
			 -EINVAL);
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_SERVERID, v, 130), &m), 0);
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_PREFERENCE, v, 2), &m),
			 -EINVAL);
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_ELAPSED_TIME, v, 3), &m),
			 -EINVAL);
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_STATUS_CODE, v, 1), &m),
			 -EINVAL);
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_ORO, v, 3), &m), -EINVAL);
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_DNS_SERVERS, v, 17), &m),
			 -EINVAL);
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_RAPID_COMMIT, v, 1), &m),
			 -EINVAL);
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_UNICAST, v, 15), &m),
			 -EINVAL);
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_IA_NA, v, 11), &m), -EINVAL);
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_IA_PD, v, 11), &m), -EINVAL);
	/* IA_NA with an IAADDR of 23 bytes. */
	v[12] = 0;
	v[13] = DHCP6_OPT_IAADDR;
	v[14] = 0;
	v[15] = 23;
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_IA_NA, v, 12 + 4 + 23), &m),
			 -EINVAL);
	/* ... whose length runs past the IA. */
	v[15] = 24;
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_IA_NA, v, 12 + 4 + 23), &m),
			 -EMSGSIZE);
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_IA_NA, v, 12 + 4 + 24), &m),
			 0);
	assert_int_equal(m.ia_na.n, 1);
	/* IA_PD with an IAPREFIX of prefix length 129. */
	v[13] = DHCP6_OPT_IAPREFIX;
	v[15] = 25;
	v[16 + 8] = 129;
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_IA_PD, v, 12 + 4 + 25), &m),
			 -EINVAL);
	v[16 + 8] = 128;
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_IA_PD, v, 12 + 4 + 25), &m),
			 0);
	assert_int_equal(m.ia_pd.e[0].plen, 128);
	/* Unknown options are skipped, relay messages refused. */
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, 0x7777, v, 5), &m), 0);
	buf[0] = DHCP6_RELAY_REPL;
	assert_int_equal(dhcp6_decode(buf, 8 + 5, &m), -EINVAL);
	buf[0] = 0;
	assert_int_equal(dhcp6_decode(buf, 8 + 5, &m), -EINVAL);
}

static void test_decode_many_entries(void **state)
{
	/* Six IAADDRs: four kept, two counted as dropped. */
	uint8_t v[12 + 6 * 28] = { 0 }, buf[400];
	struct dhcp6_msg m;
	int i;

	for (i = 0; i < 6; i++) {
		uint8_t *e = v + 12 + 28 * i;

		e[1] = DHCP6_OPT_IAADDR;
		e[3] = 24;
		e[4] = 0x20;
		e[4 + 15] = (uint8_t)(i + 1);
	}
	assert_int_equal(dhcp6_decode(buf, msg_with(buf, DHCP6_OPT_IA_NA, v, sizeof(v)), &m), 0);
	assert_int_equal(m.ia_na.n, DHCP6_IA_MAX);
	assert_int_equal(m.ia_na.dropped, 2);
	assert_int_equal(m.ia_na.e[3].addr[15], 4);
}

static void test_duid_iaid(void **state)
{
	static const uint8_t mac[6] = { 2, 0xaa, 0xbb, 0xcc, 0xdd, 1 };
	static const uint8_t want[10] = { 0, 3, 0, 1, 2, 0xaa, 0xbb, 0xcc, 0xdd, 1 };
	uint8_t d[10];

	assert_int_equal(dhcp6_duid_ll(d, mac), 10);
	assert_memory_equal(d, want, 10);
	assert_int_equal(dhcp6_iaid_from_name("s1"), dhcp6_iaid_from_name("s1"));
	assert_int_not_equal(dhcp6_iaid_from_name("s1"), dhcp6_iaid_from_name("s2"));
}

/* ---- client machine ------------------------------------------------ */

#define MAX_SENT 64
#define IAID 0x11223344u

struct sent {
	uint8_t buf[DHCP6_MSG_MAX];
	size_t len;
	bool mcast;
	uint8_t dst[16];
	uint64_t at;
	struct dhcp6_msg m;
};

static struct tw_wheel wheel;
static struct dhcp6 cl;
static struct sent sent[MAX_SENT];
static unsigned int nsent;
static struct dhcp6_lease last_lease;
static enum dhcp6_lease_ev last_ev;
static unsigned int nlease;
static uint64_t now_ms;

static const uint8_t duid[10] = { 0, 3, 0, 1, 2, 0xaa, 0xbb, 0xcc, 0xdd, 1 };
static const uint8_t srv1[4] = { 0, 2, 0x11, 0x11 };
static const uint8_t srv2[4] = { 0, 2, 0x22, 0x22 };
static const uint8_t addr5[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 };
static const uint8_t addr6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 6 };
static const uint8_t pfx1[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };
static const uint8_t pfx2[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2 };
static const uint8_t uni[16] = { 0xfe, 0x80, [15] = 1 };

static int fake_send(struct dhcp6 *c, const uint8_t *msg, size_t len, const uint8_t *dst)
{
	struct sent *s;

	assert_true(nsent < MAX_SENT);
	s = &sent[nsent++];
	assert_true(len <= sizeof(s->buf));
	memcpy(s->buf, msg, len);
	s->len = len;
	s->mcast = dst == NULL;
	if (dst)
		memcpy(s->dst, dst, 16);
	s->at = wheel.now;
	/* Everything the client sends decodes cleanly. */
	assert_int_equal(dhcp6_decode(s->buf, len, &s->m), 0);
	return 0;
}

static void fake_lease(struct dhcp6 *c, const struct dhcp6_lease *l, enum dhcp6_lease_ev ev)
{
	last_lease = *l;
	last_ev = ev;
	nlease++;
}

static const struct dhcp6_ops fake_ops = {
	.send = fake_send,
	.lease = fake_lease,
};

static int setup(void **state)
{
	now_ms = 1000000;
	tw_init(&wheel, now_ms);
	nsent = 0;
	nlease = 0;
	memset(&last_lease, 0, sizeof(last_lease));
	dhcp6_init(&cl, &fake_ops, &wheel, duid, sizeof(duid), IAID, 42, "t/ppp0", NULL);
	return 0;
}

static int teardown(void **state)
{
	dhcp6_stop(&cl, false);
	assert_int_equal(wheel.count, 0);
	return 0;
}

static void advance(uint64_t ms)
{
	uint64_t end = now_ms + ms;

	/* Step through every tick so each timer fires at its own time. */
	while (now_ms < end) {
		now_ms += TW_TICK_MS;
		if (now_ms > end)
			now_ms = end;
		tw_advance(&wheel, now_ms);
	}
}

/* run_until_sent - advance until the client has sent @n messages (or @max ms) */
static void run_until_sent(unsigned int n, uint64_t max)
{
	uint64_t end = now_ms + max;

	while (nsent < n && now_ms < end)
		advance(TW_TICK_MS);
	assert_true(nsent >= n);
}

static const struct sent *last_sent(void)
{
	assert_true(nsent > 0);
	return &sent[nsent - 1];
}

struct srv_ia {
	bool present;
	uint32_t iaid, t1, t2;
	int status; /* -1 none */
	uint8_t n;
	struct dhcp6_iaentry e[DHCP6_IA_MAX];
};

/* srv_msg - a server message answering @req (same xid, echoed Client ID) */
static size_t srv_msg(uint8_t *buf, uint8_t type, const struct dhcp6_msg *req,
		      const uint8_t *sid, uint8_t pref, const struct srv_ia *na,
		      const struct srv_ia *pd, int top_status)
{
	struct dhcp6_msg m;
	int n;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.xid = req->xid;
	m.client_id = req->client_id;
	m.server_id.present = true;
	m.server_id.ptr = sid;
	m.server_id.len = 4;
	if (pref) {
		m.has_preference = true;
		m.preference = pref;
	}
	if (top_status >= 0) {
		m.status.present = true;
		m.status.code = (uint16_t)top_status;
	}
	for (int k = 0; k < 2; k++) {
		const struct srv_ia *s = k ? pd : na;
		struct dhcp6_ia *ia = k ? &m.ia_pd : &m.ia_na;

		if (!s || !s->present)
			continue;
		ia->present = true;
		ia->iaid = s->iaid ? s->iaid : IAID;
		ia->t1 = s->t1;
		ia->t2 = s->t2;
		if (s->status >= 0) {
			ia->status.present = true;
			ia->status.code = (uint16_t)s->status;
		}
		ia->n = s->n;
		memcpy(ia->e, s->e, sizeof(ia->e));
	}
	n = dhcp6_encode(buf, DHCP6_MSG_MAX, &m);
	assert_true(n > 0);
	return (size_t)n;
}

static struct srv_ia na_ia(const uint8_t *a, uint32_t t1, uint32_t t2, uint32_t pref,
			   uint32_t valid)
{
	struct srv_ia s = { .present = true, .t1 = t1, .t2 = t2, .status = -1, .n = 1 };

	memcpy(s.e[0].addr, a, 16);
	s.e[0].plen = 128;
	s.e[0].preferred = pref;
	s.e[0].valid = valid;
	return s;
}

static struct srv_ia pd_ia(const uint8_t *p, uint8_t plen, uint32_t t1, uint32_t t2,
			   uint32_t pref, uint32_t valid)
{
	struct srv_ia s = na_ia(p, t1, t2, pref, valid);

	s.e[0].plen = plen;
	return s;
}

static struct srv_ia status_ia(int code)
{
	struct srv_ia s = { .present = true, .status = code };

	return s;
}

static void deliver(uint8_t type, const uint8_t *sid, uint8_t pref, const struct srv_ia *na,
		    const struct srv_ia *pd, int top)
{
	uint8_t buf[DHCP6_MSG_MAX];
	size_t n = srv_msg(buf, type, &last_sent()->m, sid, pref, na, pd, top);

	dhcp6_input(&cl, buf, n);
}

/* bind - Solicit/Advertise/Request/Reply with T1 100 s, T2 160 s */
static void bind(void)
{
	struct srv_ia na = na_ia(addr5, 100, 160, 200, 300);
	struct srv_ia pd = pd_ia(pfx1, 56, 100, 160, 400, 500);

	assert_int_equal(dhcp6_start(&cl, true, true, 0), 0);
	run_until_sent(nsent + 1, 1100);
	assert_int_equal(last_sent()->m.type, DHCP6_SOLICIT);
	deliver(DHCP6_ADVERTISE, srv1, 255, &na, &pd, -1);
	assert_int_equal(last_sent()->m.type, DHCP6_REQUEST);
	deliver(DHCP6_REPLY, srv1, 0, &na, &pd, -1);
	assert_int_equal(cl.state, DHCP6_ST_BOUND);
}

static void test_full_exchange(void **state)
{
	struct srv_ia na = na_ia(addr5, 100, 160, 200, 300);
	struct srv_ia pd = pd_ia(pfx1, 56, 100, 160, 400, 500);
	const struct sent *s;

	assert_int_equal(dhcp6_start(&cl, true, true, 0), 0);
	/* Section 18.2.1: the first Solicit waits a random 0..1 s. */
	assert_int_equal(nsent, 0);
	run_until_sent(1, 1100);
	s = last_sent();
	assert_true(s->mcast);
	assert_int_equal(s->m.type, DHCP6_SOLICIT);
	assert_int_equal(s->m.client_id.len, sizeof(duid));
	assert_memory_equal(s->m.client_id.ptr, duid, sizeof(duid));
	assert_false(s->m.server_id.present);
	assert_true(s->m.has_elapsed);
	assert_int_equal(s->m.elapsed, 0);
	assert_true(s->m.has_oro);
	assert_int_equal(s->m.oro[0], DHCP6_OPT_DNS_SERVERS);
	assert_int_equal(s->m.oro[1], DHCP6_OPT_DOMAIN_LIST);
	assert_int_equal(s->m.oro[2], DHCP6_OPT_SOL_MAX_RT);
	/* Both IAs asked for, no hints yet. */
	assert_true(s->m.ia_na.present);
	assert_int_equal(s->m.ia_na.iaid, IAID);
	assert_int_equal(s->m.ia_na.n, 0);
	assert_true(s->m.ia_pd.present);
	assert_int_equal(s->m.ia_pd.iaid, IAID);
	assert_int_equal(s->m.ia_pd.n, 0);
	assert_int_equal(cl.state, DHCP6_ST_SOLICIT);

	/* An Advertise of preference 0: collected until the first RT ends. */
	deliver(DHCP6_ADVERTISE, srv1, 0, &na, &pd, -1);
	assert_int_equal(nsent, 1);
	advance(1200);
	assert_int_equal(nsent, 2);
	s = last_sent();
	assert_int_equal(s->m.type, DHCP6_REQUEST);
	assert_true(s->m.server_id.present);
	assert_memory_equal(s->m.server_id.ptr, srv1, 4);
	/* The advertised address and prefix as hints, lifetimes 0. */
	assert_int_equal(s->m.ia_na.n, 1);
	assert_memory_equal(s->m.ia_na.e[0].addr, addr5, 16);
	assert_int_equal(s->m.ia_na.e[0].valid, 0);
	assert_int_equal(s->m.ia_pd.n, 1);
	assert_memory_equal(s->m.ia_pd.e[0].addr, pfx1, 16);
	assert_int_equal(s->m.ia_pd.e[0].plen, 56);
	assert_int_equal(s->m.elapsed, 0);
	assert_int_equal(cl.state, DHCP6_ST_REQUEST);

	/* A Reply for another transaction or client is not ours. */
	{
		uint8_t buf[DHCP6_MSG_MAX];
		struct dhcp6_msg fake = s->m;
		size_t n;

		fake.xid ^= 1;
		n = srv_msg(buf, DHCP6_REPLY, &fake, srv1, 0, &na, &pd, -1);
		dhcp6_input(&cl, buf, n);
		fake = s->m;
		fake.client_id.ptr = srv2;
		fake.client_id.len = 4;
		n = srv_msg(buf, DHCP6_REPLY, &fake, srv1, 0, &na, &pd, -1);
		dhcp6_input(&cl, buf, n);
		dhcp6_input(&cl, buf, 3);
		assert_int_equal(cl.state, DHCP6_ST_REQUEST);
		assert_int_equal(nlease, 0);
		assert_int_equal(cl.stats.dropped, 3);
	}

	deliver(DHCP6_REPLY, srv1, 0, &na, &pd, -1);
	assert_int_equal(cl.state, DHCP6_ST_BOUND);
	assert_int_equal(nlease, 1);
	assert_int_equal(last_ev, DHCP6_LEASE_BOUND);
	assert_int_equal(last_lease.n_addr, 1);
	assert_memory_equal(last_lease.addr[0].addr, addr5, 16);
	assert_int_equal(last_lease.addr[0].plen, 128);
	assert_int_equal(last_lease.addr[0].valid, 300);
	assert_int_equal(last_lease.addr[0].valid_until, now_ms + 300000);
	assert_int_equal(last_lease.n_prefix, 1);
	assert_memory_equal(last_lease.prefix[0].addr, pfx1, 16);
	assert_int_equal(last_lease.prefix[0].plen, 56);
	assert_int_equal(last_lease.prefix[0].preferred, 400);
	assert_int_equal(last_lease.t1, 100);
	assert_int_equal(last_lease.t2, 160);
	assert_int_equal(last_lease.na_status, DHCP6_ST_SUCCESS);
	assert_int_equal(last_lease.pd_status, DHCP6_ST_SUCCESS);
	/* Nothing more goes out until T1. */
	advance(99000);
	assert_int_equal(nsent, 2);
}

static void test_advertise_choice(void **state)
{
	struct srv_ia na = na_ia(addr5, 100, 160, 200, 300);
	struct srv_ia pd = pd_ia(pfx1, 56, 100, 160, 400, 500);
	struct srv_ia nopd = status_ia(DHCP6_ST_NO_PREFIX_AVAIL);

	assert_int_equal(dhcp6_start(&cl, true, true, 0), 0);
	run_until_sent(1, 1100);
	/* srv1 pref 10 with both IAs, srv2 pref 20 with only IA_NA, then
	 * srv1 again with pref 20 and both: the best (pref, then IAs) wins. */
	deliver(DHCP6_ADVERTISE, srv1, 10, &na, &pd, -1);
	deliver(DHCP6_ADVERTISE, srv2, 20, &na, &nopd, -1);
	/* One offering nothing at all is ignored (section 18.2.9). */
	{
		struct srv_ia nona = status_ia(DHCP6_ST_NO_ADDRS_AVAIL);

		deliver(DHCP6_ADVERTISE, srv1, 100, &nona, &nopd, -1);
	}
	assert_int_equal(nsent, 1);
	advance(1200);
	assert_int_equal(last_sent()->m.type, DHCP6_REQUEST);
	assert_memory_equal(last_sent()->m.server_id.ptr, srv2, 4);
}

static void test_preference_255(void **state)
{
	struct srv_ia na = na_ia(addr5, 100, 160, 200, 300);

	assert_int_equal(dhcp6_start(&cl, true, false, 0), 0);
	run_until_sent(1, 1100);
	deliver(DHCP6_ADVERTISE, srv2, 255, &na, NULL, -1);
	/* At once, without waiting for the first RT. */
	assert_int_equal(nsent, 2);
	assert_int_equal(last_sent()->m.type, DHCP6_REQUEST);
	assert_false(last_sent()->m.ia_pd.present);
	assert_memory_equal(last_sent()->m.server_id.ptr, srv2, 4);
}

static void test_late_advertise(void **state)
{
	struct srv_ia pd = pd_ia(pfx1, 56, 100, 160, 400, 500);

	assert_int_equal(dhcp6_start(&cl, false, true, 0), 0);
	run_until_sent(2, 3000);
	assert_int_equal(last_sent()->m.type, DHCP6_SOLICIT);
	/* After the first RT, the first valid Advertise is taken at once. */
	deliver(DHCP6_ADVERTISE, srv1, 0, NULL, &pd, -1);
	assert_int_equal(nsent, 3);
	assert_int_equal(last_sent()->m.type, DHCP6_REQUEST);
	assert_false(last_sent()->m.ia_na.present);
}

static void test_renew_at_t1(void **state)
{
	struct srv_ia na = na_ia(addr5, 200, 320, 400, 600);
	struct srv_ia pd = pd_ia(pfx1, 56, 200, 320, 400, 600);
	uint64_t bound_at;
	unsigned int n;

	bind();
	bound_at = now_ms;
	n = nsent;
	advance(100000 - 20);
	assert_int_equal(nsent, n);
	advance(40);
	assert_int_equal(nsent, n + 1);
	assert_int_equal(cl.state, DHCP6_ST_RENEW);
	assert_true(last_sent()->at >= bound_at + 100000 && last_sent()->at <= bound_at + 100010);
	assert_int_equal(last_sent()->m.type, DHCP6_RENEW);
	assert_memory_equal(last_sent()->m.server_id.ptr, srv1, 4);
	assert_int_equal(last_sent()->m.ia_na.n, 1);
	assert_memory_equal(last_sent()->m.ia_na.e[0].addr, addr5, 16);
	assert_int_equal(last_sent()->m.ia_pd.n, 1);
	assert_memory_equal(last_sent()->m.ia_pd.e[0].addr, pfx1, 16);
	/* A retransmission after REN_TIMEOUT (10 s +-10%) with elapsed time. */
	advance(11000);
	assert_int_equal(nsent, n + 2);
	assert_true(last_sent()->at - sent[n].at >= 9000 && last_sent()->at - sent[n].at <= 11000);
	assert_true(last_sent()->m.elapsed >= 900);
	/* The Reply: lease reported again (the owner re-installs routes), new T1. */
	nlease = 0;
	deliver(DHCP6_REPLY, srv1, 0, &na, &pd, -1);
	assert_int_equal(cl.state, DHCP6_ST_BOUND);
	assert_int_equal(nlease, 1);
	assert_int_equal(last_ev, DHCP6_LEASE_RENEWED);
	assert_int_equal(last_lease.n_prefix, 1);
	assert_int_equal(last_lease.prefix[0].valid, 600);
	assert_int_equal(last_lease.prefix[0].valid_until, now_ms + 600000);
	assert_int_equal(last_lease.t1, 200);
	assert_int_equal(cl.stats.renewed, 1);
	n = nsent;
	advance(199000);
	assert_int_equal(nsent, n);
	advance(1100);
	assert_int_equal(last_sent()->m.type, DHCP6_RENEW);
}

static void test_rebind_at_t2(void **state)
{
	struct srv_ia na = na_ia(addr6, 100, 160, 200, 300);
	struct srv_ia pd = pd_ia(pfx1, 56, 100, 160, 400, 500);
	uint64_t bound_at;
	unsigned int i, first_rebind = 0;

	bind();
	bound_at = now_ms;
	advance(160000 + 20);
	assert_int_equal(cl.state, DHCP6_ST_REBIND);
	for (i = 2; i < nsent; i++) {
		if (sent[i].m.type == DHCP6_RENEW) {
			/* Renews only between T1 and T2. */
			assert_true(sent[i].at >= bound_at + 100000);
			assert_true(sent[i].at < bound_at + 160000);
		} else if (!first_rebind) {
			first_rebind = i;
		}
	}
	assert_true(first_rebind > 2);
	assert_int_equal(sent[first_rebind].m.type, DHCP6_REBIND);
	assert_true(sent[first_rebind].at >= bound_at + 160000);
	/* Rebind goes to every server: multicast, no Server ID. */
	assert_true(sent[first_rebind].mcast);
	assert_false(sent[first_rebind].m.server_id.present);
	assert_int_equal(sent[first_rebind].m.ia_na.n, 1);
	/* Another server answers: it becomes ours; the address changed. */
	nlease = 0;
	deliver(DHCP6_REPLY, srv2, 0, &na, &pd, -1);
	assert_int_equal(cl.state, DHCP6_ST_BOUND);
	assert_int_equal(nlease, 1);
	assert_int_equal(last_ev, DHCP6_LEASE_RENEWED);
	/* The old address (not in the Reply) stays until it expires. */
	assert_int_equal(last_lease.n_addr, 2);
	assert_int_equal(cl.server_id_len, 4);
	assert_memory_equal(cl.server_id, srv2, 4);
	/* At T1 the Renew goes to the new server. */
	advance(100100);
	assert_int_equal(last_sent()->m.type, DHCP6_RENEW);
	assert_memory_equal(last_sent()->m.server_id.ptr, srv2, 4);
}

static void test_expiry(void **state)
{
	uint64_t bound_at;

	bind();
	bound_at = now_ms;
	/* No server answers any more: the address (valid 300 s) goes first. */
	advance(300000 - 20);
	assert_int_equal(nlease, 1);
	advance(40);
	assert_int_equal(nlease, 2);
	assert_int_equal(last_ev, DHCP6_LEASE_EXPIRED);
	assert_int_equal(last_lease.n_addr, 0);
	assert_int_equal(last_lease.n_prefix, 1);
	assert_int_equal(cl.state, DHCP6_ST_REBIND);
	/* Then the prefix (500 s): the lease is gone, back to Solicit. */
	advance(bound_at + 500000 + 20 - now_ms);
	assert_int_equal(nlease, 3);
	assert_int_equal(last_lease.n_addr, 0);
	assert_int_equal(last_lease.n_prefix, 0);
	assert_int_equal(cl.state, DHCP6_ST_SOLICIT);
	run_until_sent(nsent + 1, 1100);
	assert_int_equal(last_sent()->m.type, DHCP6_SOLICIT);
	/* It asks for what it had. */
	assert_int_equal(last_sent()->m.ia_pd.n, 1);
	assert_memory_equal(last_sent()->m.ia_pd.e[0].addr, pfx1, 16);
}

static void test_nobinding(void **state)
{
	struct srv_ia na = na_ia(addr5, 100, 160, 200, 300);
	struct srv_ia nob = status_ia(DHCP6_ST_NO_BINDING);
	struct srv_ia pd = pd_ia(pfx1, 56, 100, 160, 400, 500);

	bind();
	advance(100100);
	assert_int_equal(last_sent()->m.type, DHCP6_RENEW);
	nlease = 0;
	/* IA_NA renewed, IA_PD NoBinding: never a success for the prefix. */
	deliver(DHCP6_REPLY, srv1, 0, &na, &nob, -1);
	assert_int_equal(cl.state, DHCP6_ST_REQUEST);
	assert_int_equal(cl.stats.nobinding, 1);
	assert_int_equal(last_sent()->m.type, DHCP6_REQUEST);
	assert_memory_equal(last_sent()->m.server_id.ptr, srv1, 4);
	/* The Request asks for the prefix it held. */
	assert_int_equal(last_sent()->m.ia_pd.n, 1);
	assert_memory_equal(last_sent()->m.ia_pd.e[0].addr, pfx1, 16);
	assert_int_equal(last_lease.pd_status, DHCP6_ST_NO_BINDING);
	deliver(DHCP6_REPLY, srv1, 0, &na, &pd, -1);
	assert_int_equal(cl.state, DHCP6_ST_BOUND);
	assert_int_equal(last_ev, DHCP6_LEASE_BOUND);
	assert_int_equal(last_lease.pd_status, DHCP6_ST_SUCCESS);
	assert_int_equal(last_lease.n_prefix, 1);
}

static void test_lifetime_zero(void **state)
{
	struct srv_ia na = na_ia(addr5, 100, 160, 0, 0);
	struct srv_ia pd = pd_ia(pfx1, 56, 100, 160, 400, 500);

	bind();
	advance(100100);
	/* Valid lifetime 0 for the address, and a new prefix besides the old. */
	pd.n = 2;
	memcpy(pd.e[1].addr, pfx2, 16);
	pd.e[1].plen = 56;
	pd.e[1].preferred = 400;
	pd.e[1].valid = 500;
	pd.e[0].preferred = pd.e[0].valid = 0;
	deliver(DHCP6_REPLY, srv1, 0, &na, &pd, -1);
	assert_int_equal(last_ev, DHCP6_LEASE_RENEWED);
	assert_int_equal(last_lease.n_addr, 0);
	assert_int_equal(last_lease.n_prefix, 1);
	assert_memory_equal(last_lease.prefix[0].addr, pfx2, 16);
	assert_int_equal(cl.state, DHCP6_ST_BOUND);
	/* Renews now carry only the IA_PD. */
	advance(100100);
	assert_false(last_sent()->m.ia_na.present);
	assert_true(last_sent()->m.ia_pd.present);
	/* All withdrawn: the lease is lost, Solicit again. */
	pd.n = 1;
	memcpy(pd.e[0].addr, pfx2, 16);
	deliver(DHCP6_REPLY, srv1, 0, NULL, &pd, -1);
	assert_int_equal(last_lease.n_prefix, 0);
	assert_int_equal(cl.state, DHCP6_ST_SOLICIT);
}

static void test_partial_grant(void **state)
{
	struct srv_ia nona = status_ia(DHCP6_ST_NO_ADDRS_AVAIL);
	struct srv_ia pd = pd_ia(pfx1, 48, 0, 0, 1000, 2000);

	assert_int_equal(dhcp6_start(&cl, true, true, 0), 0);
	run_until_sent(1, 1100);
	deliver(DHCP6_ADVERTISE, srv1, 255, &nona, &pd, -1);
	assert_int_equal(last_sent()->m.type, DHCP6_REQUEST);
	/* Both IAs requested again. */
	assert_true(last_sent()->m.ia_na.present);
	deliver(DHCP6_REPLY, srv1, 0, &nona, &pd, -1);
	assert_int_equal(cl.state, DHCP6_ST_BOUND);
	assert_int_equal(last_lease.n_addr, 0);
	assert_int_equal(last_lease.n_prefix, 1);
	assert_int_equal(last_lease.na_status, DHCP6_ST_NO_ADDRS_AVAIL);
	assert_int_equal(last_lease.pd_status, DHCP6_ST_SUCCESS);
	/* T1/T2 0: 0.5 and 0.8 of the preferred lifetime (section 21.4). */
	assert_int_equal(last_lease.t1, 500);
	assert_int_equal(last_lease.t2, 800);
}

static void test_nothing_bound(void **state)
{
	struct srv_ia na = na_ia(addr5, 100, 160, 200, 300);
	struct srv_ia nona = status_ia(DHCP6_ST_NO_ADDRS_AVAIL);
	uint64_t t;

	assert_int_equal(dhcp6_start(&cl, true, false, 0), 0);
	run_until_sent(1, 1100);
	deliver(DHCP6_ADVERTISE, srv1, 255, &na, NULL, -1);
	/* UnspecFail: not an answer, the Request is retransmitted. */
	deliver(DHCP6_REPLY, srv1, 0, &na, NULL, DHCP6_ST_UNSPEC_FAIL);
	assert_int_equal(cl.state, DHCP6_ST_REQUEST);
	/* Nothing granted: back to Solicit after a backoff of at least 2 s. */
	deliver(DHCP6_REPLY, srv1, 0, &nona, NULL, -1);
	assert_int_equal(cl.state, DHCP6_ST_SOLICIT);
	assert_int_equal(nlease, 0);
	t = now_ms;
	run_until_sent(nsent + 1, 4000);
	assert_true(now_ms - t >= 2000);
	assert_int_equal(last_sent()->m.type, DHCP6_SOLICIT);
}

static void test_unicast_and_use_multicast(void **state)
{
	struct srv_ia na = na_ia(addr5, 100, 160, 200, 300);
	uint8_t buf[DHCP6_MSG_MAX];
	struct dhcp6_msg m;
	size_t n;

	assert_int_equal(dhcp6_start(&cl, true, false, 0), 0);
	run_until_sent(1, 1100);
	/* An Advertise with Server Unicast: the Request goes to it. */
	n = srv_msg(buf, DHCP6_ADVERTISE, &last_sent()->m, srv1, 255, &na, NULL, -1);
	assert_int_equal(dhcp6_decode(buf, n, &m), 0);
	m.has_unicast = true;
	memcpy(m.unicast, uni, 16);
	n = (size_t)dhcp6_encode(buf, sizeof(buf), &m);
	dhcp6_input(&cl, buf, n);
	assert_int_equal(last_sent()->m.type, DHCP6_REQUEST);
	assert_false(last_sent()->mcast);
	assert_memory_equal(last_sent()->dst, uni, 16);
	/* UseMulticast: the retransmission goes by multicast. */
	deliver(DHCP6_REPLY, srv1, 0, NULL, NULL, DHCP6_ST_USE_MULTICAST);
	run_until_sent(nsent + 1, 1200);
	assert_int_equal(last_sent()->m.type, DHCP6_REQUEST);
	assert_true(last_sent()->mcast);
}

static void test_bad_ia(void **state)
{
	struct srv_ia na = na_ia(addr5, 200, 100, 200, 300); /* T1 > T2 */
	struct srv_ia other = na_ia(addr5, 100, 160, 200, 300);
	struct srv_ia ok = na_ia(addr5, 100, 160, 200, 300);

	other.iaid = IAID + 1;
	assert_int_equal(dhcp6_start(&cl, true, false, 0), 0);
	run_until_sent(1, 1100);
	deliver(DHCP6_ADVERTISE, srv1, 255, &na, NULL, -1);
	deliver(DHCP6_ADVERTISE, srv1, 255, &other, NULL, -1);
	assert_int_equal(last_sent()->m.type, DHCP6_SOLICIT);
	/* Preferred above valid: that address is discarded. */
	ok.e[0].preferred = 400;
	deliver(DHCP6_ADVERTISE, srv1, 255, &ok, NULL, -1);
	assert_int_equal(last_sent()->m.type, DHCP6_SOLICIT);
	ok.e[0].preferred = 200;
	deliver(DHCP6_ADVERTISE, srv1, 255, &ok, NULL, -1);
	assert_int_equal(last_sent()->m.type, DHCP6_REQUEST);
}

static void test_retransmission_bounds(void **state)
{
	uint32_t seed;

	for (seed = 1; seed < 30; seed++) {
		unsigned int i;

		setup(NULL);
		dhcp6_init(&cl, &fake_ops, &wheel, duid, sizeof(duid), IAID, seed, "t", NULL);
		assert_int_equal(dhcp6_start(&cl, true, true, 0), 0);
		run_until_sent(1, 1100);
		/* Solicit: first RT in (1000, 1100], then 2RT +-10%; the
		 * transaction id stays the same across retransmissions. */
		run_until_sent(8, 400000);
		for (i = 1; i < 8; i++)
			assert_int_equal(sent[i].m.xid, sent[0].m.xid);
		{
			uint64_t rt = sent[1].at - sent[0].at, prev;

			assert_true(rt > 1000 && rt <= 1110);
			for (i = 2; i < 8; i++) {
				prev = rt;
				rt = sent[i].at - sent[i - 1].at;
				assert_true(rt >= prev * 2 - prev / 10 - 20);
				assert_true(rt <= prev * 2 + prev / 10 + 20);
			}
		}
		/* Elapsed time counts from the first Solicit, in 1/100 s. */
		assert_int_equal(sent[7].m.elapsed, (sent[7].at - sent[0].at) / 10);
		/* Request: at most REQ_MAX_RC (10) sends, RT capped near 30 s,
		 * then Solicit again. */
		{
			struct srv_ia na = na_ia(addr5, 100, 160, 200, 300);
			unsigned int first, nreq = 0;

			deliver(DHCP6_ADVERTISE, srv1, 255, &na, NULL, -1);
			first = nsent - 1;
			assert_int_not_equal(sent[first].m.xid, sent[0].m.xid);
			while (cl.state == DHCP6_ST_REQUEST)
				advance(100);
			for (i = first; i < nsent; i++)
				if (sent[i].m.type == DHCP6_REQUEST)
					nreq++;
			assert_int_equal(nreq, 10);
			for (i = first + 1; i < first + 10; i++)
				assert_true(sent[i].at - sent[i - 1].at <= 33000 + 20);
			assert_int_equal(cl.state, DHCP6_ST_SOLICIT);
		}
		dhcp6_stop(&cl, false);
	}
}

static void test_solicit_mrt(void **state)
{
	struct srv_ia nona = status_ia(DHCP6_ST_NO_ADDRS_AVAIL);
	unsigned int i;

	assert_int_equal(dhcp6_start(&cl, true, false, 0), 0);
	run_until_sent(1, 1100);
	/* SOL_MAX_RT 60 s from a server, even in an Advertise we ignore. */
	{
		uint8_t buf[DHCP6_MSG_MAX];
		struct dhcp6_msg m;
		size_t n = srv_msg(buf, DHCP6_ADVERTISE, &last_sent()->m, srv1, 0, &nona, NULL, -1);

		assert_int_equal(dhcp6_decode(buf, n, &m), 0);
		m.has_sol_max_rt = true;
		m.sol_max_rt = 60;
		n = (size_t)dhcp6_encode(buf, sizeof(buf), &m);
		dhcp6_input(&cl, buf, n);
	}
	assert_int_equal(cl.state, DHCP6_ST_SOLICIT);
	run_until_sent(12, 1000000);
	for (i = 8; i < 12; i++) {
		uint64_t rt = sent[i].at - sent[i - 1].at;

		assert_true(rt >= 54000 - 20 && rt <= 66000 + 20);
	}
}

static void test_restart_with_hints(void **state)
{
	const struct sent *s;

	bind();
	/* A redial: the session goes down (no Release), then up again. */
	dhcp6_stop(&cl, false);
	assert_int_equal(cl.state, DHCP6_ST_IDLE);
	assert_int_equal(wheel.count, 0);
	assert_int_equal(last_sent()->m.type, DHCP6_REQUEST);
	assert_int_equal(dhcp6_start(&cl, true, true, 0), 0);
	run_until_sent(nsent + 1, 1100);
	s = last_sent();
	assert_int_equal(s->m.type, DHCP6_SOLICIT);
	assert_int_equal(s->m.ia_na.n, 1);
	assert_memory_equal(s->m.ia_na.e[0].addr, addr5, 16);
	assert_int_equal(s->m.ia_pd.n, 1);
	assert_memory_equal(s->m.ia_pd.e[0].addr, pfx1, 16);
	assert_int_equal(s->m.ia_pd.e[0].plen, 56);
	/* Same DUID and IAID as before. */
	assert_memory_equal(s->m.client_id.ptr, duid, sizeof(duid));
	assert_int_equal(s->m.ia_pd.iaid, IAID);
	/* A clean stop of a bound client sends one Release to its server. */
	bind();
	dhcp6_stop(&cl, true);
	s = last_sent();
	assert_int_equal(s->m.type, DHCP6_RELEASE);
	assert_memory_equal(s->m.server_id.ptr, srv1, 4);
	assert_int_equal(s->m.ia_na.n, 1);
	assert_int_equal(s->m.ia_pd.n, 1);
	assert_false(s->m.has_oro);
	assert_int_equal(wheel.count, 0);
}

static void test_pd_length_hint(void **state)
{
	assert_int_equal(dhcp6_start(&cl, false, true, 56), 0);
	run_until_sent(1, 1100);
	assert_false(last_sent()->m.ia_na.present);
	assert_int_equal(last_sent()->m.ia_pd.n, 1);
	assert_int_equal(last_sent()->m.ia_pd.e[0].plen, 56);
	assert_int_equal(last_sent()->m.ia_pd.e[0].addr[0], 0);
	assert_int_equal(dhcp6_start(&cl, false, false, 0), -EINVAL);
	assert_int_equal(dhcp6_start(&cl, false, true, 129), -EINVAL);
}

static void test_renew_missing_ia(void **state)
{
	struct srv_ia pd = pd_ia(pfx1, 56, 100, 160, 400, 900);
	unsigned int n;

	bind();
	advance(100100);
	/* The Reply leaves IA_NA out: the prefix is renewed and reported,
	 * the client stays in Renew and retransmits. */
	nlease = 0;
	deliver(DHCP6_REPLY, srv1, 0, NULL, &pd, -1);
	assert_int_equal(nlease, 1);
	assert_int_equal(last_lease.prefix[0].valid, 900);
	assert_int_equal(cl.state, DHCP6_ST_RENEW);
	n = nsent;
	advance(12000);
	assert_true(nsent > n);
	assert_int_equal(last_sent()->m.type, DHCP6_RENEW);
}

static void test_rapid_commit(void **state)
{
	struct srv_ia na = na_ia(addr5, 100, 160, 200, 300);
	uint8_t buf[DHCP6_MSG_MAX];
	struct dhcp6_msg m;
	size_t n;

	cl.rapid_commit = true;
	assert_int_equal(dhcp6_start(&cl, true, false, 0), 0);
	run_until_sent(1, 1100);
	assert_true(last_sent()->m.rapid_commit);
	/* A Reply without Rapid Commit in Solicit is not an answer. */
	deliver(DHCP6_REPLY, srv1, 0, &na, NULL, -1);
	assert_int_equal(cl.state, DHCP6_ST_SOLICIT);
	n = srv_msg(buf, DHCP6_REPLY, &last_sent()->m, srv1, 0, &na, NULL, -1);
	assert_int_equal(dhcp6_decode(buf, n, &m), 0);
	m.rapid_commit = true;
	n = (size_t)dhcp6_encode(buf, sizeof(buf), &m);
	dhcp6_input(&cl, buf, n);
	assert_int_equal(cl.state, DHCP6_ST_BOUND);
	assert_int_equal(last_lease.n_addr, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_reply),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_decode_truncated),
		cmocka_unit_test(test_decode_malformed),
		cmocka_unit_test(test_decode_many_entries),
		cmocka_unit_test(test_duid_iaid),
		cmocka_unit_test_setup_teardown(test_full_exchange, setup, teardown),
		cmocka_unit_test_setup_teardown(test_advertise_choice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preference_255, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_advertise, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew_at_t1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebind_at_t2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nobinding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lifetime_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_grant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unicast_and_use_multicast, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ia, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retransmission_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_solicit_mrt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_with_hints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pd_length_hint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew_missing_ia, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rapid_commit, setup, teardown),
	};

	log_threshold = LOG_LVL_ERR;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
