// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * acsim.c - a scriptable PPPoE access concentrator for tests (see acsim.h).
 *
 * Deliberately its own small implementation of the PPP side: a reduced
 * RFC 1661 automaton shared by LCP and IPCP, PAP, CHAP-MD5 and MS-CHAPv2
 * as the authenticator. It is strict where the client could be sloppy (Acks must
 * copy our request exactly, replies must carry our identifier) and says so
 * in its counters instead of guessing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>

#include "pppoe/discovery.h"
#include "pppoe/log.h"
#include "pppoe/util.h"
#include "pppoe/wire.h"
#include "tests/acsim/acsim.h"

#define as_debug(s, fmt, ...) \
	pr_debug("acsim[%u]: " fmt, (unsigned int)(s)->sid, ##__VA_ARGS__)
#define as_info(s, fmt, ...) \
	pr_info("acsim[%u]: " fmt, (unsigned int)(s)->sid, ##__VA_ARGS__)

#define ACSIM_FRAME_MAX (ETH_HLEN_ + PPPOE_VLAN_MAX_TAGS * VLAN_HLEN_ + 1700 + 64)
#define ACSIM_CP_HLEN 4
#define ACSIM_COOKIE_LEN 16
#define ACSIM_CHAL_LEN 16
#define ACSIM_MIN_MRU 128
#define ACSIM_DEFAULT_PEER_MRU 1500 /* RFC 1661 6.1: when the peer does not say */

/* Control protocol codes (RFC 1661 5). */
enum {
	ACSIM_C_CONFREQ = 1,
	ACSIM_C_CONFACK = 2,
	ACSIM_C_CONFNAK = 3,
	ACSIM_C_CONFREJ = 4,
	ACSIM_C_TERMREQ = 5,
	ACSIM_C_TERMACK = 6,
	ACSIM_C_CODEREJ = 7,
	ACSIM_C_PROTREJ = 8,
	ACSIM_C_ECHOREQ = 9,
	ACSIM_C_ECHOREP = 10,
	ACSIM_C_DISCREQ = 11,
};

/* LCP (RFC 1661 6) and IPCP (RFC 1332, RFC 1877) option types. */
enum {
	ACSIM_LCP_MRU = 1,
	ACSIM_LCP_AUTH = 3,
	ACSIM_LCP_MAGIC = 5,
	ACSIM_IPCP_ADDR = 3,
	ACSIM_IPCP_DNS1 = 129,
	ACSIM_IPCP_DNS2 = 131,
	ACSIM_IPV6CP_IID = 1,     /* RFC 5072 4.1 */
};

/* PAP (RFC 1334 2.2) and CHAP (RFC 1994 4) codes. */
enum {
	ACSIM_PAP_C_REQ = 1,
	ACSIM_PAP_C_ACK = 2,
	ACSIM_PAP_C_NAK = 3,
	ACSIM_CHAP_C_CHALLENGE = 1,
	ACSIM_CHAP_C_RESPONSE = 2,
	ACSIM_CHAP_C_SUCCESS = 3,
	ACSIM_CHAP_C_FAILURE = 4,
};

#define ACSIM_CHAP_ALG_MD5 5
#define ACSIM_CHAP_ALG_MSCHAPV2 0x81
#define ACSIM_MSCHAP_RESP_LEN 49

static const uint8_t acsim_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* A frame held back by knobs.delay_tx_ms. */
struct acsim_delayed {
	uint64_t due;               /* wheel time, ms */
	uint64_t seq;               /* ties at one due time go out in send order */
	enum acsim_pkt kind;
	size_t len;
	uint8_t frame[ACSIM_FRAME_MAX];
};

static const char *const acsim_pkt_names[ACSIM_PKT_MAX] = {
	[ACSIM_OTHER] = "other",
	[ACSIM_PADI] = "PADI",
	[ACSIM_PADO] = "PADO",
	[ACSIM_PADR] = "PADR",
	[ACSIM_PADS] = "PADS",
	[ACSIM_PADT] = "PADT",
	[ACSIM_LCP_CONFREQ] = "LCP Configure-Request",
	[ACSIM_LCP_CONFACK] = "LCP Configure-Ack",
	[ACSIM_LCP_CONFNAK] = "LCP Configure-Nak",
	[ACSIM_LCP_CONFREJ] = "LCP Configure-Reject",
	[ACSIM_LCP_TERMREQ] = "LCP Terminate-Request",
	[ACSIM_LCP_TERMACK] = "LCP Terminate-Ack",
	[ACSIM_LCP_CODEREJ] = "LCP Code-Reject",
	[ACSIM_LCP_PROTREJ] = "LCP Protocol-Reject",
	[ACSIM_LCP_ECHOREQ] = "LCP Echo-Request",
	[ACSIM_LCP_ECHOREP] = "LCP Echo-Reply",
	[ACSIM_LCP_DISCREQ] = "LCP Discard-Request",
	[ACSIM_PAP_REQ] = "PAP Authenticate-Request",
	[ACSIM_PAP_ACK] = "PAP Authenticate-Ack",
	[ACSIM_PAP_NAK] = "PAP Authenticate-Nak",
	[ACSIM_CHAP_CHALLENGE] = "CHAP Challenge",
	[ACSIM_CHAP_RESPONSE] = "CHAP Response",
	[ACSIM_CHAP_SUCCESS] = "CHAP Success",
	[ACSIM_CHAP_FAILURE] = "CHAP Failure",
	[ACSIM_IPCP_CONFREQ] = "IPCP Configure-Request",
	[ACSIM_IPCP_CONFACK] = "IPCP Configure-Ack",
	[ACSIM_IPCP_CONFNAK] = "IPCP Configure-Nak",
	[ACSIM_IPCP_CONFREJ] = "IPCP Configure-Reject",
	[ACSIM_IPCP_TERMREQ] = "IPCP Terminate-Request",
	[ACSIM_IPCP_TERMACK] = "IPCP Terminate-Ack",
	[ACSIM_IPCP_CODEREJ] = "IPCP Code-Reject",
	[ACSIM_IP] = "IPv4",
	[ACSIM_IPV6CP_CONFREQ] = "IPv6CP Configure-Request",
	[ACSIM_IPV6CP_CONFACK] = "IPv6CP Configure-Ack",
	[ACSIM_IPV6CP_CONFNAK] = "IPv6CP Configure-Nak",
	[ACSIM_IPV6CP_CONFREJ] = "IPv6CP Configure-Reject",
	[ACSIM_IPV6CP_TERMREQ] = "IPv6CP Terminate-Request",
	[ACSIM_IPV6CP_TERMACK] = "IPv6CP Terminate-Ack",
	[ACSIM_IPV6CP_CODEREJ] = "IPv6CP Code-Reject",
	[ACSIM_IP6] = "IPv6",
};

const char *acsim_pkt_name(enum acsim_pkt k)
{
	return (unsigned int)k < ACSIM_PKT_MAX && acsim_pkt_names[k] ? acsim_pkt_names[k] : "?";
}

const char *acsim_cp_state_name(enum acsim_cp_state st)
{
	switch (st) {
	case ACSIM_CP_INITIAL:
		return "Initial";
	case ACSIM_CP_REQ_SENT:
		return "Req-Sent";
	case ACSIM_CP_ACK_RCVD:
		return "Ack-Rcvd";
	case ACSIM_CP_ACK_SENT:
		return "Ack-Sent";
	case ACSIM_CP_OPENED:
		return "Opened";
	case ACSIM_CP_CLOSING:
		return "Closing";
	case ACSIM_CP_STOPPED:
		return "Stopped";
	}
	return "?";
}

static const char *acsim_cp_name(const struct acsim_cp *cp)
{
	return cp->proto == PPP_LCP ? "LCP" : "IPCP";
}

static uint32_t acsim_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void acsim_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static bool acsim_mac_eq(const uint8_t *a, const uint8_t *b)
{
	return !memcmp(a, b, 6);
}

/* acsim_rand - xorshift64*: reproducible from conf.seed, good enough for tests */
static uint64_t acsim_rand(struct acsim *ac)
{
	uint64_t x = ac->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	ac->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static uint32_t acsim_rand_magic(struct acsim *ac, uint32_t avoid)
{
	uint32_t m;

	do
		m = (uint32_t)(acsim_rand(ac) >> 32);
	while (!m || m == avoid);
	return m;
}

/* ---- classification and output ----------------------------------------- */

enum acsim_pkt acsim_classify(const uint8_t *frame, size_t len)
{
	struct pppoe_frame f;
	const uint8_t *d;
	uint16_t proto;
	size_t dl;
	uint8_t c;

	if (pppoe_frame_decode(frame, len, &f))
		return ACSIM_OTHER;
	if (f.ethertype == ETH_P_PPP_DISC_) {
		switch (f.code) {
		case DISC_PADI:
			return ACSIM_PADI;
		case DISC_PADO:
			return ACSIM_PADO;
		case DISC_PADR:
			return ACSIM_PADR;
		case DISC_PADS:
			return ACSIM_PADS;
		case DISC_PADT:
			return ACSIM_PADT;
		}
		return ACSIM_OTHER;
	}
	if (ppp_proto_decode(f.payload, f.payload_len, &proto, &d, &dl))
		return ACSIM_OTHER;
	if (proto == PPP_IP)
		return ACSIM_IP;
	if (proto == PPP_IPV6)
		return ACSIM_IP6;
	if (dl < 1)
		return ACSIM_OTHER;
	c = d[0];
	switch (proto) {
	case PPP_LCP:
		if (c >= 1 && c <= ACSIM_C_DISCREQ)
			return (enum acsim_pkt)(ACSIM_LCP_CONFREQ + c - 1);
		break;
	case PPP_PAP:
		if (c >= 1 && c <= ACSIM_PAP_C_NAK)
			return (enum acsim_pkt)(ACSIM_PAP_REQ + c - 1);
		break;
	case PPP_CHAP:
		if (c >= 1 && c <= ACSIM_CHAP_C_FAILURE)
			return (enum acsim_pkt)(ACSIM_CHAP_CHALLENGE + c - 1);
		break;
	case PPP_IPCP:
		if (c >= 1 && c <= ACSIM_C_CODEREJ)
			return (enum acsim_pkt)(ACSIM_IPCP_CONFREQ + c - 1);
		break;
	case PPP_IPV6CP:
		if (c >= 1 && c <= ACSIM_C_CODEREJ)
			return (enum acsim_pkt)(ACSIM_IPV6CP_CONFREQ + c - 1);
		break;
	}
	return ACSIM_OTHER;
}

/* acsim_knob_take - consume one unit of a drop knob; true if it fired */
static bool acsim_knob_take(unsigned int *knob)
{
	if (!*knob)
		return false;
	if (*knob != ACSIM_FOREVER)
		(*knob)--;
	return true;
}

/* acsim_delay_rearm - point delay_timer at the earliest held frame */
static void acsim_delay_rearm(struct acsim *ac)
{
	uint64_t due = UINT64_MAX, now = ac->wheel->now;
	unsigned int i;

	for (i = 0; i < ac->n_delayed; i++)
		if (ac->delayq[i].due < due)
			due = ac->delayq[i].due;
	if (due == UINT64_MAX)
		tw_cancel(ac->wheel, &ac->delay_timer);
	else
		tw_arm(ac->wheel, &ac->delay_timer, due > now ? due - now : 0);
}

/* acsim_delay_fire - hand every due frame to conf->output, oldest first */
static void acsim_delay_fire(struct tw_timer *t)
{
	struct acsim *ac = container_of(t, struct acsim, delay_timer);
	struct acsim_delayed *d;
	unsigned int i, best;

	for (;;) {
		best = ac->n_delayed;
		for (i = 0; i < ac->n_delayed; i++) {
			d = &ac->delayq[i];
			if (d->due > ac->wheel->now)
				continue;
			if (best == ac->n_delayed || d->due < ac->delayq[best].due ||
			    (d->due == ac->delayq[best].due && d->seq < ac->delayq[best].seq))
				best = i;
		}
		if (best == ac->n_delayed)
			break;
		d = &ac->delayq[best];
		ac->stats.tx[d->kind]++;
		ac->conf.output(ac->conf.ctx, d->frame, d->len);
		/* Order lives in (due, seq), so the last entry may fill the hole. */
		if (best != --ac->n_delayed)
			*d = ac->delayq[ac->n_delayed];
	}
	acsim_delay_rearm(ac);
}

/* acsim_delay - hold @frame for knobs.delay_tx_ms[@k], never ahead of its kind */
static int acsim_delay(struct acsim *ac, enum acsim_pkt k, const uint8_t *frame, size_t len)
{
	uint64_t due = ac->wheel->now + ac->knobs.delay_tx_ms[k];
	struct acsim_delayed *d;

	if (ac->n_delayed >= ACSIM_DELAY_MAX || len > sizeof(d->frame)) {
		ac->stats.tx_delay_overflow++;
		ac->stats.tx_dropped[k]++;
		pr_debug("acsim: delay queue full, dropping outgoing %s", acsim_pkt_name(k));
		return 0;
	}
	/* A shorter delay set later must not overtake frames already held. */
	if (due < ac->delay_last[k])
		due = ac->delay_last[k];
	ac->delay_last[k] = due;
	d = &ac->delayq[ac->n_delayed++];
	d->due = due;
	d->seq = ac->delay_seq++;
	d->kind = k;
	d->len = len;
	memcpy(d->frame, frame, len);
	ac->stats.tx_delayed[k]++;
	acsim_delay_rearm(ac);
	return 0;
}

/* acsim_xmit - every frame acsim sends passes here: drop and delay knobs, counters */
static int acsim_xmit(struct acsim *ac, const uint8_t *frame, size_t len)
{
	enum acsim_pkt k = acsim_classify(frame, len);

	if (acsim_knob_take(&ac->knobs.drop_tx[k])) {
		ac->stats.tx_dropped[k]++;
		pr_debug("acsim: dropping outgoing %s (knob)", acsim_pkt_name(k));
		return 0;
	}
	/* Frames of a kind still held keep later ones behind them. */
	if (ac->knobs.delay_tx_ms[k] || ac->delay_last[k] >= ac->wheel->now)
		return acsim_delay(ac, k, frame, len);
	ac->stats.tx[k]++;
	return ac->conf.output(ac->conf.ctx, frame, len);
}

static void acsim_blob(struct disc_blob *b, const void *ptr, size_t len)
{
	b->ptr = ptr;
	b->len = (uint16_t)len;
	b->present = true;
}

static int acsim_disc_send(struct acsim *ac, const uint8_t *src, const uint8_t *dst,
			   const struct disc_pkt *p)
{
	uint8_t frame[ACSIM_FRAME_MAX];
	size_t hl;
	int n;

	hl = pppoe_eth_hdr_encode_vlan(frame, dst, src ? src : ac->mac, &ac->conf.vlan,
				       ETH_P_PPP_DISC_);
	n = disc_encode(frame + hl, 1500, p);
	if (n < 0)
		return n;
	return acsim_xmit(ac, frame, hl + (size_t)n);
}

static int acsim_ppp_out(struct acsim_sess *s, uint16_t proto, const uint8_t *data, size_t len)
{
	uint8_t frame[ACSIM_FRAME_MAX];
	size_t hl;

	if (len > (size_t)(s->mru > PPPOE_MRU ? s->mru : PPPOE_MRU) ||
	    len > sizeof(frame) - PPPOE_SESS_HLEN - PPPOE_VLAN_MAX_TAGS * VLAN_HLEN_)
		return -EMSGSIZE;
	hl = pppoe_sess_hdr_encode_vlan(frame, s->mac, s->ac->mac, &s->ac->conf.vlan, s->sid, proto,
					(uint16_t)len);
	memcpy(frame + hl, data, len);
	return acsim_xmit(s->ac, frame, hl + len);
}

/* acsim_cp_out - Code, Identifier, Length, then @data (RFC 1661 5) */
static int acsim_cp_out(struct acsim_sess *s, uint16_t proto, uint8_t code, uint8_t id,
			const uint8_t *data, size_t len)
{
	uint8_t pkt[ACSIM_FRAME_MAX];

	if (len > PPPOE_MAX_PAYLOAD - PPP_PROTO_LEN - ACSIM_CP_HLEN)
		return -EMSGSIZE;
	pkt[0] = code;
	pkt[1] = id;
	pppoe_put16(pkt + 2, (uint16_t)(len + ACSIM_CP_HLEN));
	if (len)
		memcpy(pkt + ACSIM_CP_HLEN, data, len);
	return acsim_ppp_out(s, proto, pkt, len + ACSIM_CP_HLEN);
}

static uint8_t acsim_next_id(struct acsim_sess *s)
{
	return ++s->next_id;
}

/* ---- address pool and cookies ----------------------------------------- */

/* acsim_pool_get - give @s the lowest free pool address (other than its own) */
static bool acsim_pool_get(struct acsim_sess *s)
{
	struct acsim *ac = s->ac;
	uint32_t old = s->peer_ip;
	unsigned int i;

	for (i = 0; i < ac->conf.pool_size; i++) {
		if (ac->pool_owner[i])
			continue;
		ac->pool_owner[i] = s;
		s->peer_ip = ac->conf.pool_start + i;
		if (old)
			ac->pool_owner[old - ac->conf.pool_start] = NULL;
		return true;
	}
	return false;
}

static void acsim_pool_put(struct acsim_sess *s)
{
	if (s->peer_ip)
		s->ac->pool_owner[s->peer_ip - s->ac->conf.pool_start] = NULL;
	s->peer_ip = 0;
}

/* acsim_cookie - MD5(secret || client MAC): checkable without keeping state */
static void acsim_cookie(const struct acsim *ac, const uint8_t mac[6],
			 uint8_t out[ACSIM_COOKIE_LEN])
{
	struct md5_ctx c;

	md5_init(&c);
	md5_update(&c, sizeof(ac->cookie_secret), ac->cookie_secret);
	md5_update(&c, 6, mac);
	md5_digest(&c, ACSIM_COOKIE_LEN, out);
}

static void acsim_new_secret(struct acsim *ac)
{
	uint64_t a = acsim_rand(ac), b = acsim_rand(ac);

	memcpy(ac->cookie_secret, &a, 8);
	memcpy(ac->cookie_secret + 8, &b, 8);
}

/* ---- sessions ---------------------------------------------------------- */

static void acsim_cp_timeout(struct tw_timer *t);
static void acsim_echo_fire(struct tw_timer *t);
static void acsim_spawn_fire(struct tw_timer *t);
static void acsim_auth_timeout(struct tw_timer *t);

static void acsim_cp_init(struct acsim_sess *s, struct acsim_cp *cp, uint16_t proto)
{
	cp->sess = s;
	cp->proto = proto;
	cp->state = ACSIM_CP_INITIAL;
	tw_timer_init(&cp->timer, acsim_cp_timeout);
}

/* acsim_sess_alloc - the next free session id after the last one given out */
static struct acsim_sess *acsim_sess_alloc(struct acsim *ac, const uint8_t mac[6])
{
	unsigned int i, slot = 0, max = ac->conf.max_sessions;
	struct acsim_sess *s;

	for (i = 0; i < max; i++) {
		slot = (ac->next_slot + i) % max;
		if (!ac->sess[slot].used)
			break;
	}
	if (i == max)
		return NULL;
	/* Ids go round before being reused, as a real AC's do. */
	ac->next_slot = (slot + 1) % max;
	s = &ac->sess[slot];
	memset(s, 0, sizeof(*s));
	s->ac = ac;
	s->used = true;
	s->mru = ac->conf.mru;
	s->sid = (uint16_t)(slot + 1);
	memcpy(s->mac, mac, 6);
	acsim_cp_init(s, &s->lcp, PPP_LCP);
	acsim_cp_init(s, &s->ipcp, PPP_IPCP);
	acsim_cp_init(s, &s->ipv6cp, PPP_IPV6CP);
	tw_timer_init(&s->echo_timer, acsim_echo_fire);
	tw_timer_init(&s->auth_timer, acsim_auth_timeout);
	tw_timer_init(&s->spawn_timer, acsim_spawn_fire);
	s->magic = acsim_rand_magic(ac, 0);
	s->next_id = (uint8_t)acsim_rand(ac);
	s->auth = ac->conf.auth;
	ac->n_used++;
	ac->stats.sessions_created++;
	return s;
}

/* acsim_sess_release - forget @s without telling the client */
static void acsim_sess_release(struct acsim_sess *s, const char *why)
{
	struct acsim *ac = s->ac;

	as_debug(s, "session released: %s", why);
	tw_cancel(ac->wheel, &s->lcp.timer);
	tw_cancel(ac->wheel, &s->ipcp.timer);
	tw_cancel(ac->wheel, &s->ipv6cp.timer);
	tw_cancel(ac->wheel, &s->echo_timer);
	tw_cancel(ac->wheel, &s->auth_timer);
	tw_cancel(ac->wheel, &s->spawn_timer);
	acsim_pool_put(s);
	memset(s, 0, sizeof(*s));
	s->ac = ac;
	ac->n_used--;
	ac->stats.sessions_freed++;
}

struct acsim_sess *acsim_sess_by_id(struct acsim *ac, uint16_t sid)
{
	if (!sid || sid > ac->conf.max_sessions || !ac->sess[sid - 1].used)
		return NULL;
	return &ac->sess[sid - 1];
}

struct acsim_sess *acsim_find(struct acsim *ac, const uint8_t mac[6], uint16_t sid)
{
	struct acsim_sess *s;
	unsigned int i;

	if (sid) {
		s = acsim_sess_by_id(ac, sid);
		return s && acsim_mac_eq(s->mac, mac) ? s : NULL;
	}
	for (i = 0; i < ac->conf.max_sessions; i++)
		if (ac->sess[i].used && acsim_mac_eq(ac->sess[i].mac, mac))
			return &ac->sess[i];
	return NULL;
}

bool acsim_sess_up6(const struct acsim_sess *s)
{
	return s->used && s->ipv6cp.state == ACSIM_CP_OPENED;
}

bool acsim_sess_up(const struct acsim_sess *s)
{
	return s && s->used && s->ipcp.state == ACSIM_CP_OPENED;
}

unsigned int acsim_sessions(const struct acsim *ac)
{
	return ac->n_used;
}

unsigned int acsim_sessions_up(const struct acsim *ac)
{
	unsigned int i, n = 0;

	for (i = 0; i < ac->conf.max_sessions; i++)
		n += acsim_sess_up(&ac->sess[i]);
	return n;
}

/* ---- the control protocol automaton (LCP and IPCP) -------------------- */

static void acsim_cp_set_state(struct acsim_cp *cp, enum acsim_cp_state st)
{
	if (cp->state == st)
		return;
	as_debug(cp->sess, "%s %s -> %s", acsim_cp_name(cp), acsim_cp_state_name(cp->state),
		 acsim_cp_state_name(st));
	cp->state = st;
}

/* acsim_cp_opts - our Configure-Request options; returns their length */
static size_t acsim_cp_opts(struct acsim_cp *cp, uint8_t *buf)
{
	struct acsim_sess *s = cp->sess;
	const struct acsim_conf *c = &s->ac->conf;
	size_t n = 0;

	if (cp->proto == PPP_IPV6CP) {
		if (s->ask_iid) {
			buf[n++] = ACSIM_IPV6CP_IID;
			buf[n++] = 10;
			memcpy(buf + n, c->ipv6_iid, 8);
			n += 8;
		}
		return n;
	}
	if (cp->proto == PPP_IPCP) {
		if (s->ask_addr) {
			buf[n++] = ACSIM_IPCP_ADDR;
			buf[n++] = 6;
			acsim_put32(buf + n, c->local_ip);
			n += 4;
		}
		return n;
	}
	if (s->ask_mru) {
		buf[n++] = ACSIM_LCP_MRU;
		buf[n++] = 4;
		pppoe_put16(buf + n, s->mru);
		n += 2;
	}
	if (s->auth_dropped) {
		/* knobs.auth_drop_on_nak: asking for nothing, for now */
	} else if (s->auth == ACSIM_AUTH_PAP) {
		buf[n++] = ACSIM_LCP_AUTH;
		buf[n++] = 4;
		pppoe_put16(buf + n, PPP_PAP);
		n += 2;
	} else if (s->auth == ACSIM_AUTH_CHAP || s->auth == ACSIM_AUTH_MSCHAPV2) {
		buf[n++] = ACSIM_LCP_AUTH;
		buf[n++] = 5;
		pppoe_put16(buf + n, PPP_CHAP);
		n += 2;
		buf[n++] = s->auth == ACSIM_AUTH_CHAP ? ACSIM_CHAP_ALG_MD5 : ACSIM_CHAP_ALG_MSCHAPV2;
	}
	if (s->ask_magic) {
		buf[n++] = ACSIM_LCP_MAGIC;
		buf[n++] = 6;
		acsim_put32(buf + n, s->magic);
		n += 4;
	}
	return n;
}

/* acsim_cp_scr - send a Configure-Request (fresh id) and arm the restart timer */
static void acsim_cp_scr(struct acsim_cp *cp)
{
	struct acsim_sess *s = cp->sess;

	cp->req_len = acsim_cp_opts(cp, cp->req);
	cp->id = acsim_next_id(s);
	cp->count++;
	acsim_cp_out(s, cp->proto, ACSIM_C_CONFREQ, cp->id, cp->req, cp->req_len);
	tw_arm(s->ac->wheel, &cp->timer, s->ac->conf.restart_ms);
}

/* acsim_cp_str - send a Terminate-Request and arm the restart timer */
static void acsim_cp_str(struct acsim_cp *cp, const char *msg)
{
	struct acsim_sess *s = cp->sess;

	cp->id = acsim_next_id(s);
	cp->count++;
	acsim_cp_out(s, cp->proto, ACSIM_C_TERMREQ, cp->id, (const uint8_t *)msg,
		     msg ? strlen(msg) : 0);
	tw_arm(s->ac->wheel, &cp->timer, s->ac->conf.restart_ms);
}

/* acsim_cp_open - start negotiating: first Configure-Request */
static void acsim_cp_open(struct acsim_cp *cp)
{
	cp->count = 0;
	acsim_cp_set_state(cp, ACSIM_CP_REQ_SENT);
	acsim_cp_scr(cp);
}

static void acsim_lcp_up(struct acsim_sess *s);
static void acsim_lcp_down(struct acsim_sess *s);
static int acsim_lcp_close(struct acsim_sess *s, const char *msg);

/* acsim_cp_up - this-layer-up */
static void acsim_cp_up(struct acsim_cp *cp)
{
	struct acsim_sess *s = cp->sess;
	uint32_t a = s->peer_ip;

	tw_cancel(s->ac->wheel, &cp->timer);
	if (cp->proto == PPP_LCP) {
		/* The looping peer renegotiates from the restart timer, one
		 * tick later, so each round costs virtual time. */
		if (s->ac->knobs.lcp_confreq_loop)
			tw_arm(s->ac->wheel, &cp->timer, 0);
		acsim_lcp_up(s);
		return;
	}
	if (cp->proto == PPP_IPV6CP) {
		s->ac->stats.ipv6cp_up++;
		as_info(s, "IPv6CP up");
		return;
	}
	s->ac->stats.ipcp_up++;
	as_info(s, "IPCP up: client %u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
		a & 0xff);
}

/* acsim_cp_down - this-layer-down */
static void acsim_cp_down(struct acsim_cp *cp)
{
	if (cp->proto == PPP_LCP)
		acsim_lcp_down(cp->sess);
	else
		as_debug(cp->sess, "IPCP down");
}

/* acsim_cp_finished - this-layer-finished: the protocol is closed for good */
static void acsim_cp_finished(struct acsim_cp *cp)
{
	struct acsim_sess *s = cp->sess;

	tw_cancel(s->ac->wheel, &cp->timer);
	acsim_cp_set_state(cp, ACSIM_CP_STOPPED);
	if (cp->proto == PPP_IPV6CP)
		return; /* IPv4 carries on */
	if (cp->proto == PPP_IPCP) {
		acsim_lcp_close(s, "IPCP finished");
		return;
	}
	/* As pppd behind pppoe-server: the link is over, so is the session. */
	if (!s->ac->knobs.no_padt_after_term)
		acsim_send_padt(s, "LCP terminated");
}

/*
 * acsim_conf_refuse - the reply to a Configure-Request with rejected
 * (@rej, @nr bytes) or nak'd (@nak, @nn bytes) options: Configure-Reject
 * if any were rejected, else Configure-Nak, the options copied to @out
 */
static int acsim_conf_refuse(uint8_t *out, size_t *outlen, const uint8_t *rej, size_t nr,
			     const uint8_t *nak, size_t nn)
{
	if (nr) {
		memcpy(out, rej, nr);
		*outlen = nr;
		return ACSIM_C_CONFREJ;
	}
	memcpy(out, nak, nn);
	*outlen = nn;
	return ACSIM_C_CONFNAK;
}

/*
 * acsim_lcp_reqci - judge the client's LCP Configure-Request.
 *
 * Options are Type, Length, Data (RFC 1661 6). The client must not ask us
 * to authenticate and, on PPPoE, must not negotiate ACCM, PFC or ACFC
 * (RFC 2516 7): all of those, and anything unknown, are rejected. Values
 * are committed only when the whole request is acked.
 */
static int acsim_lcp_reqci(struct acsim_sess *s, const uint8_t *opts, size_t len,
			   uint8_t *out, size_t *outlen)
{
	const struct acsim_knobs *k = &s->ac->knobs;
	uint16_t mru = 0, want_mru, v16;
	uint8_t nak[ACSIM_FRAME_MAX], rej[ACSIM_FRAME_MAX];
	size_t nn = 0, nr = 0, off;
	uint32_t magic = 0, v32;
	const uint8_t *o;

	for (off = 0; off < len; off += o[1]) {
		o = opts + off;
		if (len - off < 2 || o[1] < 2 || o[1] > len - off)
			return -EINVAL;
		if (k->lcp_reject[o[0]])
			goto reject;
		switch (o[0]) {
		case ACSIM_LCP_MRU:
			if (o[1] != 4)
				goto reject;
			v16 = pppoe_get16(o + 2);
			want_mru = v16;
			if (k->lcp_nak_mru)
				want_mru = k->lcp_nak_mru;
			else if (v16 > s->mru || v16 < ACSIM_MIN_MRU)
				want_mru = s->mru;
			if (v16 != want_mru) {
				nak[nn++] = ACSIM_LCP_MRU;
				nak[nn++] = 4;
				pppoe_put16(nak + nn, want_mru);
				nn += 2;
			} else {
				mru = v16;
			}
			continue;
		case ACSIM_LCP_MAGIC:
			if (o[1] != 6)
				goto reject;
			v32 = acsim_get32(o + 2);
			if (!v32 || v32 == s->magic || k->lcp_nak_loop) {
				nak[nn++] = ACSIM_LCP_MAGIC;
				nak[nn++] = 6;
				acsim_put32(nak + nn, acsim_rand_magic(s->ac, v32));
				nn += 4;
			} else {
				magic = v32;
			}
			continue;
		default:
			goto reject;
		}
reject:
		memcpy(rej + nr, o, o[1]);
		nr += o[1];
	}
	if (nr || nn)
		return acsim_conf_refuse(out, outlen, rej, nr, nak, nn);
	s->peer_mru = mru ? mru : ACSIM_DEFAULT_PEER_MRU;
	s->peer_magic = magic;
	memcpy(out, opts, len);
	*outlen = len;
	return ACSIM_C_CONFACK;
}

/* acsim_ipcp_dns - judge one DNS option against the configured server */
static bool acsim_ipcp_dns(const uint8_t *o, uint32_t dns, uint8_t *nak, size_t *nn)
{
	if (acsim_get32(o + 2) == dns)
		return true;
	nak[(*nn)++] = o[0];
	nak[(*nn)++] = 6;
	acsim_put32(nak + *nn, dns);
	*nn += 4;
	return false;
}

/*
 * acsim_ipcp_reqci - judge the client's IPCP Configure-Request: IP-Address
 * and the RFC 1877 DNS options are Nak'd until they carry what we assign,
 * everything else (IP-Compression, NBNS, the old IP-Addresses) rejected.
 */
static int acsim_ipcp_reqci(struct acsim_sess *s, const uint8_t *opts, size_t len,
			    uint8_t *out, size_t *outlen)
{
	const struct acsim_conf *c = &s->ac->conf;
	const struct acsim_knobs *k = &s->ac->knobs;
	uint8_t nak[ACSIM_FRAME_MAX], rej[ACSIM_FRAME_MAX];
	size_t nn = 0, nr = 0, off;
	const uint8_t *o;

	for (off = 0; off < len; off += o[1]) {
		o = opts + off;
		if (len - off < 2 || o[1] < 2 || o[1] > len - off)
			return -EINVAL;
		if (k->ipcp_reject[o[0]])
			goto reject;
		switch (o[0]) {
		case ACSIM_IPCP_ADDR:
			if (o[1] != 6)
				goto reject;
			if (!s->peer_ip && !acsim_pool_get(s)) {
				as_info(s, "IPCP: address pool exhausted");
				goto reject;
			}
			if (k->ipcp_nak_loop)
				acsim_pool_get(s);
			if (k->ipcp_nak_loop || acsim_get32(o + 2) != s->peer_ip) {
				nak[nn++] = ACSIM_IPCP_ADDR;
				nak[nn++] = 6;
				acsim_put32(nak + nn, s->peer_ip);
				nn += 4;
			}
			continue;
		case ACSIM_IPCP_DNS1:
		case ACSIM_IPCP_DNS2:
			if (o[1] != 6)
				goto reject;
			if (!(o[0] == ACSIM_IPCP_DNS1 ? c->dns1 : c->dns2))
				goto reject;
			acsim_ipcp_dns(o, o[0] == ACSIM_IPCP_DNS1 ? c->dns1 : c->dns2, nak, &nn);
			continue;
		default:
			goto reject;
		}
reject:
		memcpy(rej + nr, o, o[1]);
		nr += o[1];
	}
	if (nr || nn)
		return acsim_conf_refuse(out, outlen, rej, nr, nak, nn);
	memcpy(out, opts, len);
	*outlen = len;
	return ACSIM_C_CONFACK;
}

/*
 * acsim_ipv6cp_reqci - the client's IPv6CP request (RFC 5072 4.1): a
 * non-zero Interface-Identifier other than ours is Acked; zero or ours is
 * Nak'd with a suggestion; anything else Rejected.
 */
static int acsim_ipv6cp_reqci(struct acsim_sess *s, const uint8_t *opts, size_t len,
			      uint8_t *out, size_t *outlen)
{
	static const uint8_t zero[8];
	const struct acsim_conf *c = &s->ac->conf;
	uint8_t nak[ACSIM_FRAME_MAX], rej[ACSIM_FRAME_MAX], iid[8] = { 0 };
	size_t nn = 0, nr = 0, off;
	const uint8_t *o;

	for (off = 0; off < len; off += o[1]) {
		o = opts + off;
		if (len - off < 2 || o[1] < 2 || o[1] > len - off)
			return -EINVAL;
		if (o[0] != ACSIM_IPV6CP_IID || o[1] != 10) {
			memcpy(rej + nr, o, o[1]);
			nr += o[1];
			continue;
		}
		if (!memcmp(o + 2, zero, 8) || !memcmp(o + 2, c->ipv6_iid, 8) ||
		    (s->ac->knobs.ipv6cp_nak_iid && memcmp(o + 2, s->nak_iid, 8))) {
			/* a suggestion of ours: 0x0a then the session id, never ours */
			memset(s->nak_iid, 0, 8);
			s->nak_iid[0] = 0x0a;
			s->nak_iid[6] = (uint8_t)(s->sid >> 8);
			s->nak_iid[7] = (uint8_t)s->sid;
			nak[nn++] = ACSIM_IPV6CP_IID;
			nak[nn++] = 10;
			memcpy(nak + nn, s->nak_iid, 8);
			nn += 8;
			continue;
		}
		memcpy(iid, o + 2, 8);
	}
	if (nr || nn)
		return acsim_conf_refuse(out, outlen, rej, nr, nak, nn);
	memcpy(s->client_iid, iid, 8);
	memcpy(out, opts, len);
	*outlen = len;
	return ACSIM_C_CONFACK;
}

/* acsim_cp_rcr - Configure-Request from the client (RFC 1661 RCR+/RCR-) */
static void acsim_cp_rcr(struct acsim_cp *cp, uint8_t id, const uint8_t *opts, size_t len)
{
	struct acsim_sess *s = cp->sess;
	uint8_t out[ACSIM_FRAME_MAX];
	size_t outlen = 0;
	int code;

	if (cp->state == ACSIM_CP_CLOSING ||
	    (cp->state == ACSIM_CP_INITIAL && cp->proto != PPP_LCP)) {
		/* Closing: RFC 1661 says ignore. IPCP Initial: not in the
		 * network phase yet (RFC 1661 3.5), silently discarded. */
		s->ac->stats.rx_discarded++;
		return;
	}
	code = cp->proto == PPP_LCP  ? acsim_lcp_reqci(s, opts, len, out, &outlen)
	     : cp->proto == PPP_IPCP ? acsim_ipcp_reqci(s, opts, len, out, &outlen)
				     : acsim_ipv6cp_reqci(s, opts, len, out, &outlen);
	if (code < 0) {
		as_debug(s, "%s: malformed Configure-Request", acsim_cp_name(cp));
		s->ac->stats.rx_bad++;
		return;
	}
	switch (cp->state) {
	case ACSIM_CP_INITIAL:  /* LCP, passive: the client spoke first */
	case ACSIM_CP_STOPPED:
		acsim_cp_open(cp);
		break;
	case ACSIM_CP_OPENED:
		/* Renegotiation: tld, scr, then the reply. */
		acsim_cp_set_state(cp, ACSIM_CP_REQ_SENT);
		acsim_cp_down(cp);
		cp->count = 0;
		acsim_cp_scr(cp);
		break;
	default:
		break;
	}
	acsim_cp_out(s, cp->proto, (uint8_t)code, id, out, outlen);
	if (code == ACSIM_C_CONFACK) {
		if (cp->state == ACSIM_CP_ACK_RCVD) {
			acsim_cp_set_state(cp, ACSIM_CP_OPENED);
			acsim_cp_up(cp);
		} else {
			acsim_cp_set_state(cp, ACSIM_CP_ACK_SENT);
		}
	} else if (cp->state == ACSIM_CP_ACK_SENT) {
		acsim_cp_set_state(cp, ACSIM_CP_REQ_SENT);
	}
}

/* acsim_cp_rca - Configure-Ack: must be an exact copy of our last request */
static void acsim_cp_rca(struct acsim_cp *cp, uint8_t id, const uint8_t *opts, size_t len)
{
	struct acsim_sess *s = cp->sess;

	if (id != cp->id || len != cp->req_len || (len && memcmp(opts, cp->req, len))) {
		as_info(s, "%s: Configure-Ack does not match our request (id %u/%u), dropped",
			acsim_cp_name(cp), id, cp->id);
		s->ac->stats.rx_discarded++;
		return;
	}
	switch (cp->state) {
	case ACSIM_CP_REQ_SENT:
		cp->count = 0;
		acsim_cp_set_state(cp, ACSIM_CP_ACK_RCVD);
		break;
	case ACSIM_CP_ACK_SENT:
		cp->count = 0;
		acsim_cp_set_state(cp, ACSIM_CP_OPENED);
		acsim_cp_up(cp);
		break;
	case ACSIM_CP_ACK_RCVD:
		/* Two Acks for one request: start again (RFC 1661 table). */
		acsim_cp_set_state(cp, ACSIM_CP_REQ_SENT);
		acsim_cp_scr(cp);
		break;
	case ACSIM_CP_OPENED:
		acsim_cp_set_state(cp, ACSIM_CP_REQ_SENT);
		acsim_cp_down(cp);
		acsim_cp_scr(cp);
		break;
	default:
		s->ac->stats.rx_discarded++;
		break;
	}
}

/* acsim_lcp_nakrej - the client Nak'd/Rejected options of our LCP request */
static int acsim_lcp_nakrej(struct acsim_sess *s, uint8_t code, const uint8_t *opts,
			    size_t len)
{
	enum acsim_auth k;
	const uint8_t *o;
	size_t off;
	uint16_t v;

	for (off = 0; off < len; off += o[1]) {
		o = opts + off;
		if (len - off < 2 || o[1] < 2 || o[1] > len - off)
			return -EINVAL;
		switch (o[0]) {
		case ACSIM_LCP_MRU:
			v = o[1] == 4 ? pppoe_get16(o + 2) : 0;
			if (code == ACSIM_C_CONFREJ || v < ACSIM_MIN_MRU || v > s->mru)
				s->ask_mru = false;
			break;
		case ACSIM_LCP_MAGIC:
			if (code == ACSIM_C_CONFREJ)
				s->ask_magic = false;
			else
				s->magic = acsim_rand_magic(s->ac, s->magic);
			break;
		case ACSIM_LCP_AUTH:
			/* We take the client's suggestion only if configured
			 * to (conf.auth_also), or drop the option as pppd does
			 * (knobs.auth_drop_on_nak); otherwise no haggling. */
			k = ACSIM_AUTH_NONE;
			if (code == ACSIM_C_CONFNAK && o[1] == 4 && pppoe_get16(o + 2) == PPP_PAP)
				k = ACSIM_AUTH_PAP;
			else if (code == ACSIM_C_CONFNAK && o[1] == 5 &&
				 pppoe_get16(o + 2) == PPP_CHAP && o[4] == ACSIM_CHAP_ALG_MD5)
				k = ACSIM_AUTH_CHAP;
			else if (code == ACSIM_C_CONFNAK && o[1] == 5 &&
				 pppoe_get16(o + 2) == PPP_CHAP && o[4] == ACSIM_CHAP_ALG_MSCHAPV2)
				k = ACSIM_AUTH_MSCHAPV2;
			if (k != ACSIM_AUTH_NONE && (s->ac->conf.auth_also & ACSIM_AUTH_BIT(k))) {
				as_info(s, "LCP: client asks for auth %d instead of %d: taken", k,
					s->auth);
				s->auth = k;
				break;
			}
			if (s->ac->knobs.auth_drop_on_nak) {
				s->auth_dropped = true;
				break;
			}
			return -EACCES;
		default:
			break;
		}
	}
	return 0;
}

/* acsim_cp_rcn - Configure-Nak or Configure-Reject of our request */
static void acsim_cp_rcn(struct acsim_cp *cp, uint8_t code, uint8_t id, const uint8_t *opts,
			 size_t len)
{
	struct acsim_sess *s = cp->sess;
	int err = 0;

	if (id != cp->id || cp->state < ACSIM_CP_REQ_SENT || cp->state > ACSIM_CP_OPENED) {
		s->ac->stats.rx_discarded++;
		return;
	}
	if (cp->proto == PPP_LCP) {
		err = acsim_lcp_nakrej(s, code, opts, len);
	} else if (cp->proto == PPP_IPV6CP) {
		/* Our identifier is not negotiable; a Reject stops it. */
		if (code == ACSIM_C_CONFREJ && len >= 2 && opts[0] == ACSIM_IPV6CP_IID)
			s->ask_iid = false;
	} else {
		/* IPCP: our own address is not negotiable; a Reject stops it. */
		if (code == ACSIM_C_CONFREJ && len >= 2 && opts[0] == ACSIM_IPCP_ADDR)
			s->ask_addr = false;
	}
	if (err == -EINVAL) {
		s->ac->stats.rx_bad++;
		return;
	}
	if (err == -EACCES) {
		as_info(s, "LCP: client refuses our authentication protocol");
		acsim_lcp_close(s, "authentication required");
		return;
	}
	switch (cp->state) {
	case ACSIM_CP_OPENED:
		acsim_cp_set_state(cp, ACSIM_CP_REQ_SENT);
		acsim_cp_down(cp);
		break;
	case ACSIM_CP_ACK_RCVD:
		acsim_cp_set_state(cp, ACSIM_CP_REQ_SENT);
		break;
	default:
		break;
	}
	cp->count = 0;
	acsim_cp_scr(cp);
}

/* acsim_cp_rtr - Terminate-Request: always answered */
static void acsim_cp_rtr(struct acsim_cp *cp, uint8_t id)
{
	struct acsim_sess *s = cp->sess;

	acsim_cp_out(s, cp->proto, ACSIM_C_TERMACK, id, NULL, 0);
	switch (cp->state) {
	case ACSIM_CP_OPENED:
		/* Straight to Stopped: the client's PADT ends the session. */
		tw_cancel(s->ac->wheel, &cp->timer);
		acsim_cp_set_state(cp, ACSIM_CP_STOPPED);
		acsim_cp_down(cp);
		break;
	case ACSIM_CP_ACK_RCVD:
	case ACSIM_CP_ACK_SENT:
		acsim_cp_set_state(cp, ACSIM_CP_REQ_SENT);
		break;
	default:
		break;
	}
}

/* acsim_cp_rta - Terminate-Ack */
static void acsim_cp_rta(struct acsim_cp *cp)
{
	switch (cp->state) {
	case ACSIM_CP_CLOSING:
		acsim_cp_finished(cp);
		break;
	case ACSIM_CP_ACK_RCVD:
		acsim_cp_set_state(cp, ACSIM_CP_REQ_SENT);
		break;
	case ACSIM_CP_OPENED:
		acsim_cp_set_state(cp, ACSIM_CP_REQ_SENT);
		acsim_cp_down(cp);
		acsim_cp_scr(cp);
		break;
	default:
		break;
	}
}

/* acsim_cp_timeout - restart timer: retransmit, or give up (RFC 1661 TO+/TO-) */
static void acsim_cp_timeout(struct tw_timer *t)
{
	struct acsim_cp *cp = container_of(t, struct acsim_cp, timer);
	struct acsim_sess *s = cp->sess;
	const struct acsim_conf *c = &s->ac->conf;

	switch (cp->state) {
	case ACSIM_CP_REQ_SENT:
	case ACSIM_CP_ACK_RCVD:
	case ACSIM_CP_ACK_SENT:
		if (cp->count >= c->max_configure) {
			as_info(s, "%s: no agreement after %u Configure-Requests",
				acsim_cp_name(cp), cp->count);
			if (cp->proto == PPP_LCP)
				acsim_send_padt(s, "LCP negotiation failed");
			else
				acsim_cp_finished(cp);
			return;
		}
		if (cp->state == ACSIM_CP_ACK_RCVD)
			acsim_cp_set_state(cp, ACSIM_CP_REQ_SENT);
		acsim_cp_scr(cp);
		break;
	case ACSIM_CP_CLOSING:
		if (cp->count >= c->max_terminate) {
			acsim_cp_finished(cp);
			return;
		}
		acsim_cp_str(cp, NULL);
		break;
	case ACSIM_CP_OPENED:
		if (cp->proto == PPP_LCP && s->ac->knobs.lcp_confreq_loop) {
			s->ac->stats.lcp_loops++;
			acsim_renegotiate(s);
		}
		break;
	default:
		break;
	}
}

/* ---- LCP specifics ------------------------------------------------------- */

/* acsim_echo_fire - our periodic Echo-Request; we only count missing replies */
static void acsim_echo_fire(struct tw_timer *t)
{
	struct acsim_sess *s = container_of(t, struct acsim_sess, echo_timer);

	if (s->lcp.state != ACSIM_CP_OPENED)
		return;
	if (!acsim_send_echo(s))
		s->echo_pending++;
	tw_arm(s->ac->wheel, &s->echo_timer, s->ac->conf.echo_interval_ms);
}

static void acsim_chap_challenge(struct acsim_sess *s, bool fresh);

static void acsim_ipcp_start(struct acsim_sess *s)
{
	s->ask_addr = true;
	acsim_cp_open(&s->ipcp);
	if (s->ac->conf.ipv6 && !s->ac->knobs.ipv6cp_protrej && !s->ac->knobs.ipv6cp_silent) {
		s->ask_iid = true;
		acsim_cp_open(&s->ipv6cp);
	}
}

/* acsim_lcp_up - LCP opened: start echoes and the authentication phase */
static int acsim_lcp_close(struct acsim_sess *s, const char *msg);

static void acsim_lcp_up(struct acsim_sess *s)
{
	const struct acsim_conf *c = &s->ac->conf;

	as_debug(s, "LCP up: peer MRU %u, peer magic 0x%08x", s->peer_mru, s->peer_magic);
	s->echo_pending = 0;
	if (c->echo_interval_ms)
		tw_arm(s->ac->wheel, &s->echo_timer, c->echo_interval_ms);
	if (s->auth_dropped) {
		/* pppd's auth.c: "peer refused to authenticate: terminating link" */
		s->auth_state = ACSIM_AS_FAILED;
		s->ac->stats.auth_fail++;
		acsim_lcp_close(s, "peer refused to authenticate");
		return;
	}
	switch (s->auth) {
	case ACSIM_AUTH_NONE:
		s->auth_state = ACSIM_AS_OK;
		acsim_ipcp_start(s);
		break;
	case ACSIM_AUTH_PAP:
		s->auth_state = ACSIM_AS_WAIT;
		break;
	case ACSIM_AUTH_CHAP:
	case ACSIM_AUTH_MSCHAPV2:
		s->auth_state = ACSIM_AS_WAIT;
		acsim_chap_challenge(s, true);
		break;
	}
}

/* acsim_lcp_down - LCP left Opened: everything above it goes too */
static void acsim_lcp_down(struct acsim_sess *s)
{
	struct tw_wheel *w = s->ac->wheel;

	as_debug(s, "LCP down");
	tw_cancel(w, &s->echo_timer);
	tw_cancel(w, &s->auth_timer);
	s->auth_state = ACSIM_AS_IDLE;
	tw_cancel(w, &s->ipcp.timer);
	if (s->ipcp.state == ACSIM_CP_OPENED)
		acsim_cp_down(&s->ipcp);
	acsim_cp_set_state(&s->ipcp, ACSIM_CP_INITIAL);
	tw_cancel(w, &s->ipv6cp.timer);
	if (s->ipv6cp.state == ACSIM_CP_OPENED)
		acsim_cp_down(&s->ipv6cp);
	acsim_cp_set_state(&s->ipv6cp, ACSIM_CP_INITIAL);
}

/* acsim_lcp_close - Terminate-Request; the Ack (or the retries) end the session */
static int acsim_lcp_close(struct acsim_sess *s, const char *msg)
{
	struct acsim_cp *cp = &s->lcp;

	if (cp->state == ACSIM_CP_CLOSING)
		return 0;
	as_info(s, "LCP: closing: %s", msg ? msg : "");
	if (cp->state == ACSIM_CP_OPENED)
		acsim_lcp_down(s);
	acsim_cp_set_state(cp, ACSIM_CP_CLOSING);
	cp->count = 0;
	acsim_cp_str(cp, msg);
	return 0;
}

/* acsim_lcp_extcode - LCP codes beyond the automaton's (RFC 1661 5.7-5.9) */
static int acsim_lcp_extcode(struct acsim_sess *s, uint8_t code, uint8_t id,
			     const uint8_t *data, size_t len)
{
	uint8_t out[ACSIM_FRAME_MAX];

	switch (code) {
	case ACSIM_C_PROTREJ:
		if (len >= 2)
			as_info(s, "LCP: client rejects protocol 0x%04x", pppoe_get16(data));
		return 0;
	case ACSIM_C_ECHOREQ:
		if (s->lcp.state != ACSIM_CP_OPENED || len < 4) {
			s->ac->stats.rx_discarded++;
			return 0;
		}
		if (s->ac->knobs.echo_silent) {
			s->ac->stats.echo_ignored++;
			return 0;
		}
		/* Same identifier and data, our magic in front. */
		acsim_put32(out, s->magic);
		memcpy(out + 4, data + 4, len - 4);
		acsim_cp_out(s, PPP_LCP, ACSIM_C_ECHOREP, id, out, len);
		return 0;
	case ACSIM_C_ECHOREP:
		if (s->lcp.state != ACSIM_CP_OPENED || len < 4) {
			s->ac->stats.rx_discarded++;
			return 0;
		}
		s->rx_echo_rep++;
		s->echo_pending = 0;
		return 0;
	case ACSIM_C_DISCREQ:
		return 0;
	}
	return -EOPNOTSUPP;
}

/*
 * acsim_cp_input - one LCP or IPCP packet.
 *
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Data ...
 *
 * Bytes after Length are padding (RFC 1661 5) and ignored.
 */
static void acsim_cp_input(struct acsim_cp *cp, const uint8_t *data, size_t len)
{
	struct acsim_sess *s = cp->sess;
	const uint8_t *body;
	uint16_t plen;
	uint8_t code, id;
	size_t blen;

	if (len < ACSIM_CP_HLEN) {
		s->ac->stats.rx_bad++;
		return;
	}
	code = data[0];
	id = data[1];
	plen = pppoe_get16(data + 2);
	if (plen < ACSIM_CP_HLEN || plen > len) {
		s->ac->stats.rx_bad++;
		return;
	}
	body = data + ACSIM_CP_HLEN;
	blen = plen - ACSIM_CP_HLEN;
	switch (code) {
	case ACSIM_C_CONFREQ:
		acsim_cp_rcr(cp, id, body, blen);
		break;
	case ACSIM_C_CONFACK:
		acsim_cp_rca(cp, id, body, blen);
		break;
	case ACSIM_C_CONFNAK:
	case ACSIM_C_CONFREJ:
		acsim_cp_rcn(cp, code, id, body, blen);
		break;
	case ACSIM_C_TERMREQ:
		acsim_cp_rtr(cp, id);
		break;
	case ACSIM_C_TERMACK:
		acsim_cp_rta(cp);
		break;
	case ACSIM_C_CODEREJ:
		as_info(s, "%s: client sent Code-Reject", acsim_cp_name(cp));
		break;
	default:
		if (cp->proto == PPP_LCP && !acsim_lcp_extcode(s, code, id, body, blen))
			break;
		/* RFC 1661 5.6: Code-Reject carrying the offending packet. */
		if (plen > PPPOE_MAX_PAYLOAD - PPP_PROTO_LEN - ACSIM_CP_HLEN)
			plen = PPPOE_MAX_PAYLOAD - PPP_PROTO_LEN - ACSIM_CP_HLEN;
		acsim_cp_out(s, cp->proto, ACSIM_C_CODEREJ, acsim_next_id(s), data, plen);
		break;
	}
}

/* ---- authentication ---------------------------------------------------- */

static const struct acsim_user *acsim_user_find(const struct acsim *ac, const uint8_t *name,
						size_t len)
{
	unsigned int i;

	for (i = 0; i < ac->conf.n_users; i++)
		if (strlen(ac->conf.users[i].name) == len &&
		    !memcmp(ac->conf.users[i].name, name, len))
			return &ac->conf.users[i];
	return NULL;
}

/* acsim_auth_result - reply to PAP/CHAP and move on to IPCP, or close */
static void acsim_auth_result(struct acsim_sess *s, uint16_t proto, uint8_t id, bool ok)
{
	static const char ok_msg[] = "Login ok";
	static const char fail_msg[] = "Authentication failed";
	const char *msg = ok ? ok_msg : fail_msg;
	char ms_msg[128];
	uint8_t buf[160];
	size_t n = 0, i;
	uint8_t code;

	if (proto == PPP_CHAP && s->auth == ACSIM_AUTH_MSCHAPV2) {
		/* RFC 2759 5 and 6 */
		if (ok && s->ac->knobs.mschap_no_s) {
			snprintf(ms_msg, sizeof(ms_msg), "M=Access granted");
		} else if (ok) {
			uint8_t ar[20];

			memcpy(ar, s->ms_auth_resp, sizeof(ar));
			if (s->ac->knobs.mschap_bad_s)
				ar[19] ^= 1;
			n = (size_t)snprintf(ms_msg, sizeof(ms_msg), "S=");
			for (i = 0; i < sizeof(ar); i++)
				n += (size_t)snprintf(ms_msg + n, sizeof(ms_msg) - n, "%02X", ar[i]);
			snprintf(ms_msg + n, sizeof(ms_msg) - n, " M=Access granted");
		} else {
			n = (size_t)snprintf(ms_msg, sizeof(ms_msg), "E=691 R=0 C=");
			for (i = 0; i < ACSIM_CHAL_LEN; i++)
				n += (size_t)snprintf(ms_msg + n, sizeof(ms_msg) - n, "%02X",
						      s->chap_challenge[i]);
			snprintf(ms_msg + n, sizeof(ms_msg) - n, " V=3 M=Authentication failed");
		}
		msg = ms_msg;
		n = 0;
	}

	if (proto == PPP_PAP) {
		/* Ack/Nak carry Msg-Length + Message (RFC 1334 2.2.2). */
		code = ok ? ACSIM_PAP_C_ACK : ACSIM_PAP_C_NAK;
		buf[n++] = (uint8_t)strlen(msg);
	} else {
		/* Success/Failure carry the Message alone (RFC 1994 4.2). */
		code = ok ? ACSIM_CHAP_C_SUCCESS : ACSIM_CHAP_C_FAILURE;
	}
	memcpy(buf + n, msg, strlen(msg));
	n += strlen(msg);
	acsim_cp_out(s, proto, code, id, buf, n);
}

/* acsim_auth_done - record the verdict, answer, then IPCP or Terminate-Request */
static void acsim_auth_done(struct acsim_sess *s, uint16_t proto, uint8_t id, bool ok)
{
	tw_cancel(s->ac->wheel, &s->auth_timer);
	s->auth_state = ok ? ACSIM_AS_OK : ACSIM_AS_FAILED;
	if (ok)
		s->ac->stats.auth_ok++;
	else
		s->ac->stats.auth_fail++;
	as_info(s, "%s: user '%s' %s",
		proto == PPP_PAP ? "PAP" : s->auth == ACSIM_AUTH_MSCHAPV2 ? "MS-CHAPv2" : "CHAP",
		s->user, ok ? "authenticated" : "refused");
	acsim_auth_result(s, proto, id, ok);
	if (!ok) {
		/* As pppd does after a failed login. */
		acsim_lcp_close(s, "Authentication failed");
		return;
	}
	/* A passed rechallenge leaves a running IPCP alone. */
	if (s->ipcp.state == ACSIM_CP_INITIAL)
		acsim_ipcp_start(s);
}

/* acsim_copy_name - printable copy of a peer-supplied name */
static void acsim_copy_name(char *dst, size_t cap, const uint8_t *name, size_t len)
{
	log_escape(dst, cap, name, len);
}

/*
 * acsim_pap_input - Authenticate-Request (RFC 1334 2.2.1):
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Peer-ID Length|  Peer-Id ...  | Passwd-Length |  Password ...
 */
static void acsim_pap_input(struct acsim_sess *s, const uint8_t *data, size_t len)
{
	struct acsim *ac = s->ac;
	const struct acsim_user *u;
	const uint8_t *b, *user, *pw;
	size_t blen, ulen, pwlen;
	uint16_t plen;
	bool ok;

	plen = len >= ACSIM_CP_HLEN ? pppoe_get16(data + 2) : 0;
	if (plen < ACSIM_CP_HLEN || plen > len) {
		ac->stats.rx_bad++;
		return;
	}
	if (s->auth != ACSIM_AUTH_PAP || s->lcp.state != ACSIM_CP_OPENED ||
	    s->auth_state == ACSIM_AS_IDLE || data[0] != ACSIM_PAP_C_REQ) {
		ac->stats.rx_discarded++;
		return;
	}
	b = data + ACSIM_CP_HLEN;
	blen = plen - ACSIM_CP_HLEN;
	ulen = blen ? b[0] : 0;
	pwlen = ulen + 2 <= blen ? b[1 + ulen] : 0;
	if (ulen + 2 > blen || ulen + 2 + pwlen > blen) {
		ac->stats.rx_bad++;
		return;
	}
	/* A retransmitted request gets the same answer (our reply was lost). */
	if (s->auth_state == ACSIM_AS_OK || s->auth_state == ACSIM_AS_FAILED) {
		acsim_auth_result(s, PPP_PAP, data[1], s->auth_state == ACSIM_AS_OK);
		return;
	}
	user = b + 1;
	pw = b + 2 + ulen;
	acsim_copy_name(s->user, sizeof(s->user), user, ulen);
	u = acsim_user_find(ac, user, ulen);
	ok = u && !ac->knobs.auth_reject && strlen(u->password) == pwlen &&
	     !memcmp(u->password, pw, pwlen);
	acsim_auth_done(s, PPP_PAP, data[1], ok);
}

/*
 * acsim_chap_challenge - Challenge (RFC 1994 4.1): a fresh one, or the
 * same one again when the restart timer fires.
 *
 * | Code | Identifier | Length | Value-Size | Value ... | Name ...
 */
static void acsim_chap_challenge(struct acsim_sess *s, bool fresh)
{
	struct acsim *ac = s->ac;
	const char *name = ac->conf.ac_name;
	uint8_t buf[1 + ACSIM_CHAL_LEN + 255];
	size_t nlen = strnlen(name, 255), i;

	if (fresh) {
		s->chap_id = acsim_next_id(s);
		for (i = 0; i < ACSIM_CHAL_LEN; i++)
			s->chap_challenge[i] = (uint8_t)(acsim_rand(ac) >> 56);
		s->auth_count = 0;
	}
	s->auth_count++;
	buf[0] = ACSIM_CHAL_LEN;
	memcpy(buf + 1, s->chap_challenge, ACSIM_CHAL_LEN);
	memcpy(buf + 1 + ACSIM_CHAL_LEN, name, nlen);
	acsim_cp_out(s, PPP_CHAP, ACSIM_CHAP_C_CHALLENGE, s->chap_id, buf,
		     1 + ACSIM_CHAL_LEN + nlen);
	tw_arm(ac->wheel, &s->auth_timer, ac->conf.restart_ms);
}

/* acsim_auth_timeout - no CHAP Response yet: the same Challenge again, or give up */
static void acsim_auth_timeout(struct tw_timer *t)
{
	struct acsim_sess *s = container_of(t, struct acsim_sess, auth_timer);

	if (s->auth_state != ACSIM_AS_WAIT ||
	    (s->auth != ACSIM_AUTH_CHAP && s->auth != ACSIM_AUTH_MSCHAPV2))
		return;
	if (s->auth_count >= s->ac->conf.max_configure) {
		s->auth_state = ACSIM_AS_FAILED;
		s->ac->stats.auth_fail++;
		acsim_lcp_close(s, "No CHAP response");
		return;
	}
	acsim_chap_challenge(s, false);
}

/* ---- MS-CHAPv2 (RFC 2759 8), acsim's own ------------------------------- */

/* acsim_ms_nt_hash - MD4 of the password, each byte a UTF-16LE unit */
static void acsim_ms_nt_hash(const char *password, uint8_t out[16])
{
	struct md4_ctx c;
	uint8_t u[2];
	size_t i;

	md4_init(&c);
	for (i = 0; password[i]; i++) {
		u[0] = (uint8_t)password[i];
		u[1] = 0;
		md4_update(&c, 2, u);
	}
	md4_digest(&c, 16, out);
}

/* acsim_ms_challenge - SHA1(peer | auth | user without DOMAIN\)[0..8] */
static void acsim_ms_challenge(const uint8_t auth_chal[16], const uint8_t peer_chal[16],
			       const char *user, uint8_t out[8])
{
	const char *bs = strrchr(user, '\\');
	uint8_t d[SHA1_DIGEST_SIZE];
	struct sha1_ctx c;

	if (bs)
		user = bs + 1;
	sha1_init(&c);
	sha1_update(&c, 16, peer_chal);
	sha1_update(&c, 16, auth_chal);
	sha1_update(&c, strlen(user), (const uint8_t *)user);
	sha1_digest(&c, sizeof(d), d);
	memcpy(out, d, 8);
}

/* acsim_ms_des - DES of @clear under 56 key bits spread over 8 bytes, each
 * byte's low bit set for odd parity */
static void acsim_ms_des(const uint8_t k7[7], const uint8_t clear[8], uint8_t out[8])
{
	uint64_t bits = 0;
	struct des_ctx c;
	uint8_t key[8];
	int i, j, ones;

	for (i = 0; i < 7; i++)
		bits = bits << 8 | k7[i];
	for (i = 0; i < 8; i++) {
		key[i] = (uint8_t)((bits >> (49 - 7 * i)) & 0x7f) << 1;
		for (ones = 0, j = 1; j < 8; j++)
			ones += key[i] >> j & 1;
		key[i] |= !(ones & 1);
	}
	(void)des_set_key(&c, key);
	des_encrypt(&c, 8, out, clear);
}

void acsim_mschapv2_nt_response(const uint8_t auth_chal[16], const uint8_t peer_chal[16],
				const char *user, const char *password, uint8_t out[24])
{
	uint8_t h[21] = { 0 }, ch[8];

	acsim_ms_nt_hash(password, h);
	acsim_ms_challenge(auth_chal, peer_chal, user, ch);
	acsim_ms_des(h, ch, out);
	acsim_ms_des(h + 7, ch, out + 8);
	acsim_ms_des(h + 14, ch, out + 16);
}

void acsim_mschapv2_auth_response(const uint8_t auth_chal[16], const uint8_t peer_chal[16],
				  const char *user, const char *password,
				  const uint8_t nt_resp[24], uint8_t out[20])
{
	static const char m1[] = "Magic server to client signing constant";
	static const char m2[] = "Pad to make it do more than one iteration";
	uint8_t h[16], hh[16], d[SHA1_DIGEST_SIZE], ch[8];
	struct sha1_ctx c;
	struct md4_ctx m;

	acsim_ms_nt_hash(password, h);
	md4_init(&m);
	md4_update(&m, 16, h);
	md4_digest(&m, 16, hh);
	sha1_init(&c);
	sha1_update(&c, 16, hh);
	sha1_update(&c, 24, nt_resp);
	sha1_update(&c, strlen(m1), (const uint8_t *)m1);
	sha1_digest(&c, sizeof(d), d);
	acsim_ms_challenge(auth_chal, peer_chal, user, ch);
	sha1_init(&c);
	sha1_update(&c, sizeof(d), d);
	sha1_update(&c, 8, ch);
	sha1_update(&c, strlen(m2), (const uint8_t *)m2);
	sha1_digest(&c, 20, out);
}

/*
 * acsim_mschapv2_check - a Response Value (RFC 2759 4): peer challenge (16),
 * reserved (8, zero), NT-Response (24), flags (1, zero). Sets what our
 * Success will carry.
 */
static bool acsim_mschapv2_check(struct acsim_sess *s, const struct acsim_user *u,
				 const uint8_t *v)
{
	static const uint8_t zero[8];
	uint8_t want[24];

	if (memcmp(v + 16, zero, 8) || v[48]) {
		s->ac->stats.rx_bad++;
		return false;
	}
	acsim_mschapv2_nt_response(s->chap_challenge, v, u->name, u->password, want);
	if (memcmp(want, v + 24, 24))
		return false;
	acsim_mschapv2_auth_response(s->chap_challenge, v, u->name, u->password, v + 24,
				     s->ms_auth_resp);
	return true;
}

/* acsim_chap_input - Response (RFC 1994 4.1); MD5(id || secret || challenge) */
static void acsim_chap_input(struct acsim_sess *s, const uint8_t *data, size_t len)
{
	struct acsim *ac = s->ac;
	uint8_t want[MD5_DIGEST_SIZE];
	const struct acsim_user *u;
	const uint8_t *b;
	struct md5_ctx c;
	size_t blen, vlen;
	uint16_t plen;
	bool ok;

	plen = len >= ACSIM_CP_HLEN ? pppoe_get16(data + 2) : 0;
	if (plen < ACSIM_CP_HLEN || plen > len) {
		ac->stats.rx_bad++;
		return;
	}
	if ((s->auth != ACSIM_AUTH_CHAP && s->auth != ACSIM_AUTH_MSCHAPV2) ||
	    s->lcp.state != ACSIM_CP_OPENED ||
	    s->auth_state == ACSIM_AS_IDLE || data[0] != ACSIM_CHAP_C_RESPONSE ||
	    data[1] != s->chap_id) {
		ac->stats.rx_discarded++;
		return;
	}
	if (s->auth_state == ACSIM_AS_OK || s->auth_state == ACSIM_AS_FAILED) {
		acsim_auth_result(s, PPP_CHAP, data[1], s->auth_state == ACSIM_AS_OK);
		return;
	}
	b = data + ACSIM_CP_HLEN;
	blen = plen - ACSIM_CP_HLEN;
	vlen = blen ? b[0] : 0;
	if (!blen || vlen + 1 > blen) {
		ac->stats.rx_bad++;
		return;
	}
	acsim_copy_name(s->user, sizeof(s->user), b + 1 + vlen, blen - 1 - vlen);
	u = acsim_user_find(ac, b + 1 + vlen, blen - 1 - vlen);
	ok = false;
	if (s->auth == ACSIM_AUTH_MSCHAPV2) {
		ok = u && vlen == ACSIM_MSCHAP_RESP_LEN && !ac->knobs.auth_reject &&
		     acsim_mschapv2_check(s, u, b + 1);
	} else if (u && vlen == MD5_DIGEST_SIZE && !ac->knobs.auth_reject) {
		md5_init(&c);
		md5_update(&c, 1, &s->chap_id);
		md5_update(&c, strlen(u->password), (const uint8_t *)u->password);
		md5_update(&c, ACSIM_CHAL_LEN, s->chap_challenge);
		md5_digest(&c, MD5_DIGEST_SIZE, want);
		ok = !memcmp(want, b + 1, MD5_DIGEST_SIZE);
	}
	acsim_auth_done(s, PPP_CHAP, data[1], ok);
}

/* ---- discovery ----------------------------------------------------------- */

static bool acsim_service_ok(const struct acsim *ac, const struct disc_blob *b)
{
	const char *svc = ac->conf.service;

	return !b->len || !svc || !*svc || (strlen(svc) == b->len && !memcmp(svc, b->ptr, b->len));
}

/* acsim_disc_reply - a PADO/PADS skeleton echoing Host-Uniq and Relay id */
static void acsim_disc_reply(const struct disc_pkt *in, struct disc_pkt *o, uint8_t code)
{
	memset(o, 0, sizeof(*o));
	o->code = code;
	if (in->service_name.present)
		acsim_blob(&o->service_name, in->service_name.ptr, in->service_name.len);
	else
		acsim_blob(&o->service_name, "", 0);
	if (in->host_uniq.present)
		acsim_blob(&o->host_uniq, in->host_uniq.ptr, in->host_uniq.len);
	if (in->relay_session_id.present)
		acsim_blob(&o->relay_session_id, in->relay_session_id.ptr,
			   in->relay_session_id.len);
}

static void acsim_error_tag(struct disc_pkt *o, uint16_t tag, const char *msg);

/* acsim_max_payload - RFC 4638: echo the client's PPP-Max-Payload, capped
 * at conf.max_payload; the value agreed, or 0 for none */
static uint16_t acsim_max_payload(struct acsim *ac, const struct disc_pkt *in, struct disc_pkt *o)
{
	uint16_t v;

	if (!ac->conf.max_payload || !in->has_max_payload || in->max_payload <= 1492)
		return 0;
	v = in->max_payload < ac->conf.max_payload ? in->max_payload : ac->conf.max_payload;
	if (v <= 1492)
		return 0;
	o->has_max_payload = true;
	o->max_payload = v;
	return v;
}

/* acsim_rx_padi - offer ourselves: PADO with AC-Name, Service-Name, a cookie */
static void acsim_rx_padi(struct acsim *ac, const struct pppoe_frame *f,
			  const struct disc_pkt *p)
{
	uint8_t cookie[ACSIM_COOKIE_LEN];
	const char *svc = ac->conf.service;
	struct disc_pkt o;

	/* RFC 2516 5.1: exactly one Service-Name; we only check there is one. */
	if (!p->service_name.present || p->session_id || !acsim_service_ok(ac, &p->service_name)) {
		ac->stats.rx_discarded++;
		return;
	}
	if (ac->knobs.padi_every > 1 && ++ac->padi_count % ac->knobs.padi_every) {
		ac->stats.padi_throttled++;
		return;
	}
	acsim_disc_reply(p, &o, DISC_PADO);
	if (svc && *svc)
		acsim_blob(&o.service_name, svc, strlen(svc));
	acsim_blob(&o.ac_name, ac->conf.ac_name, strlen(ac->conf.ac_name));
	acsim_cookie(ac, f->src, cookie);
	acsim_blob(&o.ac_cookie, cookie, sizeof(cookie));
	acsim_max_payload(ac, p, &o);
	acsim_error_tag(&o, ac->knobs.pado_error_tag, "acsim: offer refused by knob");
	acsim_disc_send(ac, NULL, f->src, &o);
}

/* acsim_error_tag - add error tag @tag (0: none) carrying @msg to @o */
static void acsim_error_tag(struct disc_pkt *o, uint16_t tag, const char *msg)
{
	switch (tag) {
	case TAG_SERVICE_NAME_ERROR:
		acsim_blob(&o->service_name_error, msg, strlen(msg));
		break;
	case TAG_AC_SYSTEM_ERROR:
		acsim_blob(&o->ac_system_error, msg, strlen(msg));
		break;
	case TAG_GENERIC_ERROR:
		acsim_blob(&o->generic_error, msg, strlen(msg));
		break;
	default:
		break;
	}
}

/* acsim_send_pads_error - refuse a PADR: session id 0, optional error tag */
static void acsim_send_pads_error(struct acsim *ac, const uint8_t *dst,
				  const struct disc_pkt *p, uint16_t tag, const char *msg)
{
	struct disc_pkt o;

	acsim_disc_reply(p, &o, DISC_PADS);
	acsim_error_tag(&o, tag, msg);
	acsim_disc_send(ac, NULL, dst, &o);
}

/* acsim_find_pending - a session made for this very PADR (our PADS was lost) */
static struct acsim_sess *acsim_find_pending(struct acsim *ac, const uint8_t mac[6],
					     const struct disc_pkt *p)
{
	struct acsim_sess *s;
	unsigned int i;

	for (i = 0; i < ac->conf.max_sessions; i++) {
		s = &ac->sess[i];
		if (s->used && !s->ppp_seen && acsim_mac_eq(s->mac, mac) &&
		    s->has_host_uniq == p->host_uniq.present &&
		    s->host_uniq_len == p->host_uniq.len &&
		    (!p->host_uniq.len ||
		     !memcmp(s->host_uniq, p->host_uniq.ptr, p->host_uniq.len)))
			return s;
	}
	return NULL;
}

/* acsim_rx_padr - check the cookie, allocate a session, PADS, start LCP */
static void acsim_rx_padr(struct acsim *ac, const struct pppoe_frame *f,
			  const struct disc_pkt *p)
{
	uint8_t cookie[ACSIM_COOKIE_LEN];
	struct acsim_sess *s;
	struct disc_pkt o;
	bool fresh = false;

	if (p->session_id) {
		ac->stats.rx_discarded++;
		return;
	}
	if (!ac->knobs.no_cookie_check) {
		acsim_cookie(ac, f->src, cookie);
		if (!p->ac_cookie.present || p->ac_cookie.len != sizeof(cookie) ||
		    memcmp(p->ac_cookie.ptr, cookie, sizeof(cookie))) {
			pr_info("acsim: PADR with a bad AC-Cookie, dropped");
			ac->stats.bad_cookie++;
			return;
		}
	}
	if (!p->service_name.present || !acsim_service_ok(ac, &p->service_name)) {
		acsim_send_pads_error(ac, f->src, p, TAG_SERVICE_NAME_ERROR,
				      "acsim: service not offered");
		return;
	}
	if (p->host_uniq.len > ACSIM_TAG_MAX || p->relay_session_id.len > ACSIM_TAG_MAX ||
	    p->service_name.len > ACSIM_TAG_MAX) {
		ac->stats.rx_discarded++;
		return;
	}
	if (ac->knobs.pads_error_tag || ac->knobs.pads_session_zero) {
		acsim_send_pads_error(ac, f->src, p, ac->knobs.pads_error_tag,
				      "acsim: refused by knob");
		return;
	}
	s = acsim_find_pending(ac, f->src, p);
	if (!s) {
		s = acsim_sess_alloc(ac, f->src);
		if (!s) {
			acsim_send_pads_error(ac, f->src, p, TAG_AC_SYSTEM_ERROR,
					      "acsim: no free session");
			return;
		}
		fresh = true;
		s->has_host_uniq = p->host_uniq.present;
		s->host_uniq_len = p->host_uniq.len;
		if (p->host_uniq.len)
			memcpy(s->host_uniq, p->host_uniq.ptr, p->host_uniq.len);
		s->has_relay = p->relay_session_id.present;
		s->relay_len = p->relay_session_id.len;
		if (p->relay_session_id.len)
			memcpy(s->relay, p->relay_session_id.ptr, p->relay_session_id.len);
		memcpy(s->service, p->service_name.ptr, p->service_name.len);
		s->service[p->service_name.len] = '\0';
		s->ask_mru = true;
		s->ask_magic = true;
		s->ask_addr = true;
	}
	acsim_disc_reply(p, &o, DISC_PADS);
	o.session_id = s->sid;
	if (fresh) {
		uint16_t mp = acsim_max_payload(ac, p, &o);

		s->mru = mp ? mp : ac->conf.mru;
	} else if (s->mru > ac->conf.mru) {
		o.has_max_payload = true; /* the lost PADS again */
		o.max_payload = s->mru;
	}
	as_debug(s, "PADS to %02x:%02x:%02x:%02x:%02x:%02x", s->mac[0], s->mac[1], s->mac[2],
		 s->mac[3], s->mac[4], s->mac[5]);
	acsim_disc_send(ac, NULL, f->src, &o);
	if (fresh && ac->knobs.spawn_ms) {
		/* One PPP side after the other, like pppds forked in turn. */
		uint64_t now = ac->wheel->now;

		ac->spawn_free_ms = (ac->spawn_free_ms > now ? ac->spawn_free_ms : now) +
				    ac->knobs.spawn_ms;
		s->ppp_ready_ms = ac->spawn_free_ms;
		tw_arm(ac->wheel, &s->spawn_timer, s->ppp_ready_ms - now);
		return;
	}
	/* pppoe-server style: LCP starts as soon as the session exists. */
	if (fresh && !ac->knobs.lcp_passive && !ac->knobs.loopback)
		acsim_cp_open(&s->lcp);
}

/* acsim_spawn_fire - knobs.spawn_ms: the session's PPP side starts now */
static void acsim_spawn_fire(struct tw_timer *t)
{
	struct acsim_sess *s = container_of(t, struct acsim_sess, spawn_timer);

	as_debug(s, "PPP side started");
	if (!s->ac->knobs.lcp_passive && !s->ac->knobs.loopback)
		acsim_cp_open(&s->lcp);
}

static void acsim_rx_padt(struct acsim *ac, const struct pppoe_frame *f)
{
	struct acsim_sess *s = acsim_find(ac, f->src, f->session_id);

	if (!f->session_id || !s) {
		ac->stats.rx_no_session++;
		return;
	}
	s->rx[ACSIM_PADT]++;
	as_info(s, "PADT from the client");
	acsim_sess_release(s, "PADT from the client");
}

static void acsim_disc_input(struct acsim *ac, const struct pppoe_frame *f)
{
	struct disc_pkt p;

	if (disc_decode(f->payload - PPPOE_HLEN, PPPOE_HLEN + (size_t)f->payload_len, &p)) {
		ac->stats.rx_bad++;
		return;
	}
	switch (p.code) {
	case DISC_PADI:
		acsim_rx_padi(ac, f, &p);
		break;
	case DISC_PADR:
		acsim_rx_padr(ac, f, &p);
		break;
	case DISC_PADT:
		acsim_rx_padt(ac, f);
		break;
	default:
		ac->stats.rx_discarded++;
		break;
	}
}

/* ---- session data ---------------------------------------------------------- */

/* acsim_csum - the Internet checksum (RFC 1071) of @len bytes */
static uint16_t acsim_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* acsim_ping_reply - s->last_ip is an ICMP Echo Request: answer it */
static void acsim_ping_reply(struct acsim_sess *s)
{
	uint8_t *ip = s->last_ip;
	size_t len = s->last_ip_len, ihl, tot;
	uint16_t c;
	uint8_t a[4];

	if (len < 20 || ip[0] >> 4 != 4)
		return;
	ihl = (size_t)(ip[0] & 15) * 4;
	tot = (size_t)ip[2] << 8 | ip[3];
	/* ICMP (1), not a fragment, whole Echo Request header present */
	if (ihl < 20 || tot > len || tot < ihl + 8 || ip[9] != 1 || ip[ihl] != 8 ||
	    (ip[6] & 0x3f) || ip[7])
		return;
	memcpy(a, ip + 12, 4);
	memcpy(ip + 12, ip + 16, 4);
	memcpy(ip + 16, a, 4);
	ip[8] = 64;
	ip[10] = ip[11] = 0;
	c = acsim_csum(ip, ihl);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	ip[ihl] = 0; /* Echo Reply */
	ip[ihl + 2] = ip[ihl + 3] = 0;
	c = acsim_csum(ip + ihl, tot - ihl);
	ip[ihl + 2] = (uint8_t)(c >> 8);
	ip[ihl + 3] = (uint8_t)c;
	acsim_send_ip(s, ip, tot);
}

/* ---- IPv6: RS -> RA, Echo ------------------------------------------------ */

/* acsim_csum6_nh - the checksum of @l4 (@len bytes, next header @nh) over
 * the pseudo header of @src/@dst (RFC 8200 8.1) */
static uint16_t acsim_csum6_nh(const uint8_t *src, const uint8_t *dst, uint8_t nh,
			       const uint8_t *l4, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < 16; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) + (uint32_t)(dst[i] << 8 | dst[i + 1]);
	sum += (uint32_t)len + nh;
	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(l4[i] << 8 | l4[i + 1]);
	if (len & 1)
		sum += (uint32_t)l4[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* acsim_csum6 - the ICMPv6 checksum */
static uint16_t acsim_csum6(const uint8_t *src, const uint8_t *dst, const uint8_t *l4,
			    size_t len)
{
	return acsim_csum6_nh(src, dst, 58, l4, len);
}

void acsim_sess_prefix(const struct acsim_sess *s, uint8_t out[8])
{
	memcpy(out, s->ac->conf.ipv6_prefix, 6);
	out[6] = (uint8_t)(s->sid >> 8);
	out[7] = (uint8_t)s->sid;
}

int acsim_send_ra(struct acsim_sess *s, uint16_t lifetime, uint32_t valid, uint32_t preferred)
{
	const struct acsim_conf *c = &s->ac->conf;
	uint8_t p[40 + 16 + 32 + 8];
	uint8_t *ic = p + 40, *o;
	uint16_t sum;

	if (!acsim_sess_up6(s))
		return -ENOTCONN;
	memset(p, 0, sizeof(p));
	p[0] = 0x60;
	pppoe_put16(p + 4, sizeof(p) - 40);
	p[6] = 58;
	p[7] = 255;
	p[8] = 0xfe;
	p[9] = 0x80;
	memcpy(p + 16, c->ipv6_iid, 8);
	p[24] = 0xff;
	p[25] = 0x02;
	p[39] = 0x01;
	ic[0] = 134;
	ic[4] = 64;
	ic[5] = (uint8_t)((c->ra_managed ? 0x80 : 0) | (c->ra_other ? 0x40 : 0));
	pppoe_put16(ic + 6, lifetime);
	o = ic + 16;                 /* Prefix Information */
	o[0] = 3;
	o[1] = 4;
	o[2] = 64;
	o[3] = 0xc0;                 /* L, A */
	acsim_put32(o + 4, valid);
	acsim_put32(o + 8, preferred);
	acsim_sess_prefix(s, o + 16);
	o += 32;                     /* MTU */
	o[0] = 5;
	o[1] = 1;
	acsim_put32(o + 4, c->mru);
	sum = acsim_csum6(p + 8, p + 24, ic, sizeof(p) - 40);
	pppoe_put16(ic + 2, sum);
	s->ac->stats.tx_ra++;
	return acsim_ppp_out(s, PPP_IPV6, p, sizeof(p));
}

/* ---- DHCPv6 server (conf.dhcp6) ------------------------------------------- */

void acsim_d6_lease(unsigned int n, uint8_t addr[16], uint8_t prefix[16])
{
	static const uint8_t base[6] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0xd6 };

	memset(addr, 0, 16);
	memcpy(addr, base, 6);
	addr[14] = (uint8_t)(n >> 8);
	addr[15] = (uint8_t)n;
	memset(prefix, 0, 16);
	memcpy(prefix, base, 6);
	prefix[6] = (uint8_t)n;
}

/* acsim_d6_bind - the binding number of the client with DUID @d (1..) */
static unsigned int acsim_d6_bind(struct acsim *ac, const uint8_t *d, uint16_t len)
{
	unsigned int i;

	for (i = 0; i < ac->n_d6bind; i++)
		if (ac->d6bind[i].len == len && !memcmp(ac->d6bind[i].duid, d, len))
			return i + 1;
	if (ac->n_d6bind == ACSIM_D6_MAX)
		return ACSIM_D6_MAX;
	memcpy(ac->d6bind[ac->n_d6bind].duid, d, len);
	ac->d6bind[ac->n_d6bind].len = len;
	return ++ac->n_d6bind;
}

/* acsim_d6_opt - append option @code with @len bytes of @v at @o; the end */
static uint8_t *acsim_d6_opt(uint8_t *o, uint16_t code, const void *v, uint16_t len)
{
	pppoe_put16(o, code);
	pppoe_put16(o + 2, len);
	if (len && v)
		memcpy(o + 4, v, len);
	return o + 4 + len;
}

/* acsim_d6_ia - an IA_NA (@pd false) or IA_PD for @iaid: the lease of
 * binding @n, or only a Status Code @status when it is not 0 */
static uint8_t *acsim_d6_ia(uint8_t *o, const struct acsim_conf *c, bool pd, const uint8_t *iaid,
			    unsigned int n, uint16_t status)
{
	uint8_t *ia = o, *p = o + 16, addr[16], prefix[16];

	memcpy(o + 4, iaid, 4);
	acsim_put32(o + 8, status ? 0 : c->d6_t1);
	acsim_put32(o + 12, status ? 0 : c->d6_t2);
	acsim_d6_lease(n, addr, prefix);
	if (status) {
		uint8_t st[2] = { (uint8_t)(status >> 8), (uint8_t)status };

		p = acsim_d6_opt(p, 13, st, 2);
	} else if (pd) {
		pppoe_put16(p, 26);
		pppoe_put16(p + 2, 25);
		acsim_put32(p + 4, c->d6_preferred);
		acsim_put32(p + 8, c->d6_valid);
		p[12] = 56;
		memcpy(p + 13, prefix, 16);
		p += 29;
	} else {
		pppoe_put16(p, 5);
		pppoe_put16(p + 2, 24);
		memcpy(p + 4, addr, 16);
		acsim_put32(p + 20, c->d6_preferred);
		acsim_put32(p + 24, c->d6_valid);
		p += 28;
	}
	pppoe_put16(ia, pd ? 25 : 3);
	pppoe_put16(ia + 2, (uint16_t)(p - ia - 4));
	return p;
}

/*
 * acsim_d6_input - a UDP datagram to port 547 in s->last_ip (checked):
 * the client's message, answered as a small server would.
 */
static void acsim_d6_input(struct acsim_sess *s, const uint8_t *ip, size_t ulen)
{
	struct acsim *ac = s->ac;
	const struct acsim_conf *c = &ac->conf;
	const uint8_t *m = ip + 48, *cid = NULL, *na = NULL, *pd = NULL;
	size_t mlen = ulen - 8, off = 4;
	uint8_t out[40 + 8 + 512], *o, *u = out + 40, sid[10];
	uint16_t cid_len = 0, code, olen, sum;
	unsigned int n;
	uint8_t type;

	if (mlen < 4)
		return;
	while (off + 4 <= mlen) {
		code = pppoe_get16(m + off);
		olen = pppoe_get16(m + off + 2);
		if (olen > mlen - off - 4) {
			ac->stats.rx_bad++;
			return;
		}
		if (code == 1 && olen >= 1 && olen <= 130) {
			cid = m + off + 4;
			cid_len = olen;
		} else if (code == 3 && olen >= 12) {
			na = m + off + 4;
		} else if (code == 25 && olen >= 12) {
			pd = m + off + 4;
		}
		off += 4 + (size_t)olen;
	}
	type = m[0];
	if (type < 14)
		ac->stats.rx_d6[type]++;
	if (!cid || ac->knobs.d6_silent || (type == 5 && ac->knobs.d6_ignore_renew))
		return;
	if (type != 1 && type != 3 && type != 5 && type != 6 && type != 8)
		return;
	n = acsim_d6_bind(ac, cid, cid_len);
	o = u + 8;
	o[0] = type == 1 ? 2 : 7; /* Advertise, else Reply */
	memcpy(o + 1, m + 1, 3);
	o += 4;
	o = acsim_d6_opt(o, 1, cid, cid_len);
	pppoe_put16(sid, 3);      /* DUID-LL of our MAC */
	pppoe_put16(sid + 2, 1);
	memcpy(sid + 4, ac->mac, 6);
	o = acsim_d6_opt(o, 2, sid, sizeof(sid));
	if (type == 8) {
		uint8_t ok[2] = { 0, 0 };

		o = acsim_d6_opt(o, 13, ok, 2);
	} else {
		if (type == 1 && c->d6_preference)
			o = acsim_d6_opt(o, 7, &c->d6_preference, 1);
		if (na)
			o = acsim_d6_ia(o, c, false, na, n, ac->knobs.d6_no_addrs ? 2 : 0);
		if (pd) {
			bool nob = (type == 5 || type == 6) && ac->knobs.d6_nobinding;

			o = acsim_d6_ia(o, c, true, pd, n, nob ? 3 : 0);
			if (nob)
				ac->knobs.d6_nobinding = false;
		}
	}
	/* IPv6 + UDP from our link-local to the client's address. */
	memset(out, 0, 48);
	out[0] = 0x60;
	pppoe_put16(out + 4, (uint16_t)(o - u));
	out[6] = 17;
	out[7] = 64;
	out[8] = 0xfe;
	out[9] = 0x80;
	memcpy(out + 16, c->ipv6_iid, 8);
	memcpy(out + 24, ip + 8, 16);
	pppoe_put16(u, 547);
	pppoe_put16(u + 2, 546);
	pppoe_put16(u + 4, (uint16_t)(o - u));
	sum = acsim_csum6_nh(out + 8, out + 24, 17, u, (size_t)(o - u));
	pppoe_put16(u + 6, sum ? sum : 0xffff);
	ac->stats.tx_d6[u[8]]++;
	acsim_ppp_out(s, PPP_IPV6, out, (size_t)(o - out));
}

/* acsim_ip6_input - s->last_ip is an IPv6 datagram from the client: a
 * Router Solicitation gets an RA, an Echo Request (answer_ping) a Reply */
static void acsim_ip6_input(struct acsim_sess *s)
{
	uint8_t *ip = s->last_ip, a[16];
	size_t len = s->last_ip_len, plen;
	const struct acsim_conf *c = &s->ac->conf;
	uint16_t sum;

	if (len >= 48 && ip[0] >> 4 == 6 && ip[6] == 17 && c->dhcp6 &&
	    pppoe_get16(ip + 42) == 547) {
		plen = pppoe_get16(ip + 4);
		if (plen < 8 || plen > len - 40 || pppoe_get16(ip + 44) != plen ||
		    acsim_csum6_nh(ip + 8, ip + 24, 17, ip + 40, plen) != 0) {
			s->ac->stats.rx_bad++;
			return;
		}
		acsim_d6_input(s, ip, plen);
		return;
	}
	if (len < 44 || ip[0] >> 4 != 6 || ip[6] != 58)
		return;
	plen = pppoe_get16(ip + 4);
	if (plen < 4 || plen > len - 40 || acsim_csum6(ip + 8, ip + 24, ip + 40, plen) != 0) {
		s->ac->stats.rx_bad++;
		return;
	}
	if (ip[40] == 133 && ip[7] == 255 && ip[24] == 0xff && ip[25] == 0x02 && ip[39] == 2) {
		s->rx_rs++;
		s->ac->stats.rx_rs++;
		if (!s->ac->knobs.ra_silent)
			acsim_send_ra(s, c->ra_lifetime, c->ra_valid, c->ra_preferred);
		return;
	}
	if (ip[40] == 128 && c->answer_ping && !(ip[24] == 0xff)) {
		memcpy(a, ip + 8, 16);
		memcpy(ip + 8, ip + 24, 16);
		memcpy(ip + 24, a, 16);
		ip[7] = 64;
		ip[40] = 129;
		ip[42] = ip[43] = 0;
		sum = acsim_csum6(ip + 8, ip + 24, ip + 40, plen);
		pppoe_put16(ip + 42, sum);
		s->ac->stats.rx_ping6++;
		acsim_ppp_out(s, PPP_IPV6, ip, 40 + plen);
	}
}

/* acsim_send_protrej - LCP Protocol-Reject (RFC 1661 5.7), Opened only */
static void acsim_send_protrej(struct acsim_sess *s, uint16_t proto, const uint8_t *data,
			       size_t len)
{
	uint8_t out[ACSIM_FRAME_MAX];
	size_t room = PPPOE_MAX_PAYLOAD - PPP_PROTO_LEN - ACSIM_CP_HLEN - 2;

	if (s->lcp.state != ACSIM_CP_OPENED) {
		s->ac->stats.rx_discarded++;
		return;
	}
	if (len > room)
		len = room;
	pppoe_put16(out, proto);
	memcpy(out + 2, data, len);
	acsim_cp_out(s, PPP_LCP, ACSIM_C_PROTREJ, acsim_next_id(s), out, len + 2);
}

/* acsim_sess_input - a session frame: demux by (MAC, id), then by PPP protocol */
static void acsim_sess_input(struct acsim *ac, const struct pppoe_frame *f, enum acsim_pkt k)
{
	struct acsim_sess *s = f->session_id ? acsim_find(ac, f->src, f->session_id) : NULL;
	const uint8_t *data;
	uint16_t proto;
	size_t len;

	if (!s) {
		ac->stats.rx_no_session++;
		if (ac->knobs.padt_unknown_session && f->session_id)
			acsim_inject_padt(ac, NULL, f->src, f->session_id);
		return;
	}
	s->rx[k]++;
	s->ppp_seen = true;
	if (ac->wheel->now < s->ppp_ready_ms) {
		ac->stats.rx_unspawned++; /* no pppd yet to read it */
		return;
	}
	if (ppp_proto_decode(f->payload, f->payload_len, &proto, &data, &len)) {
		ac->stats.rx_bad++;
		return;
	}
	if (proto == PPP_LCP && ac->knobs.loopback) {
		/* The line hands the client its own packet back. */
		ac->stats.looped_back++;
		acsim_ppp_out(s, PPP_LCP, data, len);
		return;
	}
	switch (proto) {
	case PPP_LCP:
		acsim_cp_input(&s->lcp, data, len);
		break;
	case PPP_PAP:
		acsim_pap_input(s, data, len);
		break;
	case PPP_CHAP:
		acsim_chap_input(s, data, len);
		break;
	case PPP_IPCP:
		/* RFC 1661 3.5: NCPs only after authentication. */
		if (s->lcp.state == ACSIM_CP_OPENED && s->auth_state == ACSIM_AS_OK)
			acsim_cp_input(&s->ipcp, data, len);
		else
			ac->stats.rx_discarded++;
		break;
	case PPP_IPV6CP:
		if (!ac->conf.ipv6 || ac->knobs.ipv6cp_protrej) {
			acsim_send_protrej(s, proto, data, len);
			break;
		}
		if (ac->knobs.ipv6cp_silent) {
			ac->stats.rx_discarded++;
			break;
		}
		if (s->lcp.state == ACSIM_CP_OPENED && s->auth_state == ACSIM_AS_OK)
			acsim_cp_input(&s->ipv6cp, data, len);
		else
			ac->stats.rx_discarded++;
		break;
	case PPP_IPV6:
		if (!ac->conf.ipv6 || ac->knobs.ipv6cp_protrej) {
			acsim_send_protrej(s, proto, data, len);
			break;
		}
		if (!acsim_sess_up6(s) || len > sizeof(s->last_ip)) {
			ac->stats.rx_discarded++;
			break;
		}
		memcpy(s->last_ip, data, len);
		s->last_ip_len = len;
		s->rx_ip++;
		acsim_ip6_input(s);
		break;
	case PPP_IP:
		if (!acsim_sess_up(s) || len > sizeof(s->last_ip)) {
			ac->stats.rx_discarded++;
			break;
		}
		s->rx_ip++;
		if (ac->conf.ip_out) { /* the network behind us takes it */
			ac->conf.ip_out(ac->conf.ctx, data, len);
			break;
		}
		memcpy(s->last_ip, data, len);
		s->last_ip_len = len;
		if (ac->conf.answer_ping)
			acsim_ping_reply(s);
		break;
	default:
		acsim_send_protrej(s, proto, data, len);
		break;
	}
}

void acsim_input(struct acsim *ac, const uint8_t *frame, size_t len)
{
	struct pppoe_frame f;
	enum acsim_pkt k;
	int err;

	err = pppoe_frame_decode(frame, len, &f);
	if (err == -EPROTONOSUPPORT)
		return;
	if (err) {
		ac->stats.rx_bad++;
		return;
	}
	/* Another VLAN is another broadcast domain: not ours to answer. */
	if (!pppoe_vlan_same(&f.vlan, &ac->conf.vlan)) {
		ac->stats.rx_other_vlan++;
		return;
	}
	/* Unicast to us; PADI alone may be broadcast (RFC 2516 5.1). */
	if (!acsim_mac_eq(f.dst, ac->mac) &&
	    !(f.ethertype == ETH_P_PPP_DISC_ && f.code == DISC_PADI &&
	      acsim_mac_eq(f.dst, acsim_bcast))) {
		ac->stats.rx_not_ours++;
		return;
	}
	k = acsim_classify(frame, len);
	ac->stats.rx[k]++;
	if (acsim_knob_take(&ac->knobs.drop_rx[k])) {
		ac->stats.rx_dropped[k]++;
		pr_debug("acsim: ignoring incoming %s (knob)", acsim_pkt_name(k));
		return;
	}
	if (f.src[0] & 1) {
		ac->stats.rx_bad++;
		return;
	}
	if (f.ethertype == ETH_P_PPP_DISC_)
		acsim_disc_input(ac, &f);
	else
		acsim_sess_input(ac, &f, k);
}

/* ---- scripted actions ------------------------------------------------------ */

int acsim_send_padt(struct acsim_sess *s, const char *msg)
{
	struct acsim *ac = s->ac;
	struct disc_pkt o;
	int err;

	if (!s->used)
		return -ENOENT;
	memset(&o, 0, sizeof(o));
	o.code = DISC_PADT;
	o.session_id = s->sid;
	if (s->has_relay)
		acsim_blob(&o.relay_session_id, s->relay, s->relay_len);
	if (msg)
		acsim_blob(&o.generic_error, msg, strlen(msg));
	as_info(s, "sending PADT%s%s", msg ? ": " : "", msg ? msg : "");
	err = acsim_disc_send(ac, NULL, s->mac, &o);
	acsim_sess_release(s, "PADT sent");
	return err;
}

int acsim_send_termreq(struct acsim_sess *s, const char *msg)
{
	if (!s->used)
		return -ENOENT;
	return acsim_lcp_close(s, msg);
}

int acsim_renegotiate(struct acsim_sess *s)
{
	if (!s->used || s->lcp.state != ACSIM_CP_OPENED)
		return -ENOTCONN;
	as_info(s, "LCP: renegotiating");
	acsim_cp_set_state(&s->lcp, ACSIM_CP_REQ_SENT);
	acsim_lcp_down(s);
	s->lcp.count = 0;
	acsim_cp_scr(&s->lcp);
	return 0;
}

int acsim_ipcp_renegotiate(struct acsim_sess *s)
{
	if (!s->used || s->ipcp.state != ACSIM_CP_OPENED)
		return -ENOTCONN;
	as_info(s, "IPCP: renegotiating");
	acsim_cp_set_state(&s->ipcp, ACSIM_CP_REQ_SENT);
	acsim_cp_down(&s->ipcp);
	s->ipcp.count = 0;
	acsim_cp_scr(&s->ipcp);
	return 0;
}

int acsim_chap_rechallenge(struct acsim_sess *s)
{
	if (!s->used || s->lcp.state != ACSIM_CP_OPENED ||
	    (s->auth != ACSIM_AUTH_CHAP && s->auth != ACSIM_AUTH_MSCHAPV2) ||
	    s->auth_state != ACSIM_AS_OK)
		return -ENOTCONN;
	s->auth_state = ACSIM_AS_WAIT;
	acsim_chap_challenge(s, true);
	return 0;
}

int acsim_send_echo(struct acsim_sess *s)
{
	uint8_t data[4];

	if (!s->used || s->lcp.state != ACSIM_CP_OPENED)
		return -ENOTCONN;
	acsim_put32(data, s->magic);
	return acsim_cp_out(s, PPP_LCP, ACSIM_C_ECHOREQ, acsim_next_id(s), data, sizeof(data));
}

int acsim_send_ip(struct acsim_sess *s, const uint8_t *ip, size_t len)
{
	if (!acsim_sess_up(s))
		return -ENOTCONN;
	return acsim_ppp_out(s, PPP_IP, ip, len);
}

int acsim_ip_in(struct acsim *ac, const uint8_t *ip, size_t len)
{
	struct acsim_sess *s;
	uint32_t dst, off;

	if (len < 20 || ip[0] >> 4 != 4)
		return -EPROTONOSUPPORT;
	dst = acsim_get32(ip + 16);
	off = dst - ac->conf.pool_start;
	if (dst < ac->conf.pool_start || off >= ac->conf.pool_size)
		return -EHOSTUNREACH;
	s = ac->pool_owner[off];
	if (!s || !acsim_sess_up(s))
		return -EHOSTUNREACH;
	return acsim_send_ip(s, ip, len);
}

int acsim_send_ppp(struct acsim_sess *s, uint16_t proto, const uint8_t *data, size_t len)
{
	if (!s->used)
		return -ENOENT;
	return acsim_ppp_out(s, proto, data, len);
}

int acsim_inject(struct acsim *ac, const uint8_t *frame, size_t len)
{
	ac->stats.tx[acsim_classify(frame, len)]++;
	return ac->conf.output(ac->conf.ctx, frame, len);
}

int acsim_inject_padt(struct acsim *ac, const uint8_t *src, const uint8_t dst[6],
		      uint16_t sid)
{
	struct disc_pkt o;

	memset(&o, 0, sizeof(o));
	o.code = DISC_PADT;
	o.session_id = sid;
	return acsim_disc_send(ac, src, dst, &o);
}

void acsim_restart(struct acsim *ac)
{
	unsigned int i;

	pr_info("acsim: restart, forgetting %u sessions", ac->n_used);
	for (i = 0; i < ac->conf.max_sessions; i++)
		if (ac->sess[i].used)
			acsim_sess_release(&ac->sess[i], "restart");
	ac->next_slot = 0;
	ac->spawn_free_ms = 0;
	/* Cookies handed out before the reboot are no longer valid. */
	acsim_new_secret(ac);
}

void acsim_set_mac(struct acsim *ac, const uint8_t mac[6])
{
	memcpy(ac->mac, mac, 6);
}

/* ---- life cycle ------------------------------------------------------------ */

void acsim_conf_default(struct acsim_conf *conf)
{
	static const uint8_t mac[6] = { 0x02, 0xac, 0x51, 0x00, 0x00, 0x01 };

	memset(conf, 0, sizeof(*conf));
	memcpy(conf->mac, mac, 6);
	conf->ac_name = "acsim";
	conf->service = "";
	conf->auth = ACSIM_AUTH_PAP;
	conf->mru = 1492;
	conf->local_ip = ACSIM_IP4(10, 64, 0, 1);
	conf->pool_start = ACSIM_IP4(10, 64, 0, 100);
	conf->pool_size = 1024;
	conf->dns1 = ACSIM_IP4(10, 64, 0, 53);
	conf->dns2 = ACSIM_IP4(10, 64, 0, 54);
	conf->max_sessions = 1024;
	conf->restart_ms = 3000;
	conf->max_configure = 10;
	conf->max_terminate = 2;
	conf->seed = 0x5eed5eed5eed5eedULL;
	memcpy(conf->ipv6_prefix, (const uint8_t[]){ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x64, 0, 0 }, 8);
	memcpy(conf->ipv6_iid, (const uint8_t[]){ 0x02, 0xac, 0x51, 0xff, 0xfe, 0, 0, 0x01 }, 8);
	conf->ra_valid = 86400;
	conf->ra_preferred = 14400;
	conf->ra_lifetime = 1800;
	conf->d6_t1 = 100;
	conf->d6_t2 = 160;
	conf->d6_preferred = 200;
	conf->d6_valid = 300;
}

struct acsim *acsim_new(const struct acsim_conf *conf, struct tw_wheel *wheel)
{
	struct acsim *ac;

	if (!conf->output || conf->max_sessions > ACSIM_MAX_SESSIONS)
		return NULL;
	ac = calloc(1, sizeof(*ac));
	if (!ac)
		return NULL;
	ac->conf = *conf;
	if (!ac->conf.ac_name)
		ac->conf.ac_name = "acsim";
	if (!ac->conf.mru)
		ac->conf.mru = 1492;
	if (ac->conf.max_payload > ACSIM_IP_MAX) /* what our buffers hold */
		ac->conf.max_payload = ACSIM_IP_MAX;
	if (!ac->conf.max_sessions)
		ac->conf.max_sessions = 1024;
	if (!ac->conf.pool_size)
		ac->conf.pool_size = 1024;
	if (!ac->conf.restart_ms)
		ac->conf.restart_ms = 3000;
	if (!ac->conf.max_configure)
		ac->conf.max_configure = 10;
	if (!ac->conf.max_terminate)
		ac->conf.max_terminate = 2;
	ac->wheel = wheel;
	memcpy(ac->mac, conf->mac, 6);
	ac->rng = conf->seed ? conf->seed : 0x5eed5eed5eed5eedULL;
	ac->sess = calloc(ac->conf.max_sessions, sizeof(*ac->sess));
	ac->pool_owner = calloc(ac->conf.pool_size, sizeof(*ac->pool_owner));
	ac->delayq = calloc(ACSIM_DELAY_MAX, sizeof(*ac->delayq));
	tw_timer_init(&ac->delay_timer, acsim_delay_fire);
	if (!ac->sess || !ac->pool_owner || !ac->delayq) {
		free(ac->delayq);
		free(ac->pool_owner);
		free(ac->sess);
		free(ac);
		return NULL;
	}
	acsim_new_secret(ac);
	return ac;
}

void acsim_free(struct acsim *ac)
{
	unsigned int i;

	if (!ac)
		return;
	for (i = 0; i < ac->conf.max_sessions; i++)
		if (ac->sess[i].used)
			acsim_sess_release(&ac->sess[i], "shutdown");
	tw_cancel(ac->wheel, &ac->delay_timer);
	free(ac->delayq);
	free(ac->pool_owner);
	free(ac->sess);
	free(ac);
}
