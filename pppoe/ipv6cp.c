// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipv6cp.c - IPv6CP (RFC 5072), client side.
 *
 * We ask for our Interface-Identifier (stable per session name). A Nak
 * carrying another non-zero identifier, different from the peer's, is
 * taken; a Reject stops us asking (we then keep our tentative identifier
 * for the link-local address, as RFC 5072 4.1 leaves us to). The peer's
 * request is judged as RFC 5072 4.1 says: a non-zero identifier different
 * from ours is Acked; zero gets a Nak suggesting one; one equal to ours
 * gets a Nak suggesting a different one; zero when ours is zero too (never:
 * ours is never zero) would be Rejected. IPv6-Compression-Protocol and
 * unknown options are Rejected. After Max-Failure Naks, Naks become
 * Rejects (RFC 1661).
 *
 * IPv6CP never takes the link down: the session's network phase is IPCP's.
 * An AC that rejects the protocol or never answers leaves us on IPv4.
 */
#include <errno.h>
#include <string.h>

#include "pppoe/cp.h"
#include "pppoe/ip6.h"
#include "pppoe/ipv6cp.h"
#include "pppoe/log.h"
#include "pppoe/ppp_int.h"
#include "pppoe/wire.h"

/* Naks of our identifier we follow before keeping our own. */
#define IPV6CP_MAX_NAKS_OF_OURS 5

static inline struct ipv6cp *ipv6cp_of(struct fsm *f)
{
	return container_of(f, struct ipv6cp, fsm);
}

static inline struct ppp *ppp_of(struct fsm *f)
{
	return f->owner;
}

bool ipv6cp_iid_is_zero(const uint8_t iid[IPV6CP_IID_LEN])
{
	static const uint8_t zero[IPV6CP_IID_LEN];

	return !memcmp(iid, zero, IPV6CP_IID_LEN);
}

/* ipv6cp_iid_from_u64 - eight bytes, big-endian, U/L bit cleared, never zero */
static void ipv6cp_iid_from_u64(uint64_t h, uint8_t iid[IPV6CP_IID_LEN])
{
	int i;

	for (i = IPV6CP_IID_LEN - 1; i >= 0; i--, h >>= 8)
		iid[i] = (uint8_t)h;
	iid[0] &= (uint8_t)~0x02;
	if (ipv6cp_iid_is_zero(iid))
		iid[7] = 1;
}

void ipv6cp_iid_from_name(const char *name, uint8_t iid[IPV6CP_IID_LEN])
{
	uint64_t h = 14695981039346656037ULL;
	const char *p;

	for (p = "pppoe-xdp ipv6cp "; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ULL;
	for (p = name; p && *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ULL;
	ipv6cp_iid_from_u64(h, iid);
}

/* ipv6cp_suggest - an identifier for the peer: reproducible from ours,
 * never zero, never ours (RFC 5072 4.1) */
static void ipv6cp_suggest(const struct ipv6cp *v, uint8_t out[IPV6CP_IID_LEN])
{
	uint64_t h = 14695981039346656037ULL;
	int i;

	for (i = 0; i < IPV6CP_IID_LEN; i++)
		h = (h ^ v->iid[i]) * 1099511628211ULL;
	h = (h ^ 0x7065) * 1099511628211ULL;
	ipv6cp_iid_from_u64(h, out);
	if (!memcmp(out, v->iid, IPV6CP_IID_LEN))
		out[7] ^= 0x01;
}

static void ipv6cp_resetci(struct fsm *f)
{
	struct ipv6cp *v = ipv6cp_of(f);

	if (ipv6cp_iid_is_zero(v->pref_iid))
		ipv6cp_iid_from_name(f->label, v->pref_iid);
	memcpy(v->iid, v->pref_iid, IPV6CP_IID_LEN);
	memset(v->peer_iid, 0, IPV6CP_IID_LEN);
	v->ask_iid = true;
	v->naks_of_ours = 0;
	v->protrej = false;
}

static int ipv6cp_addci(struct fsm *f, uint8_t *buf, size_t cap)
{
	struct ipv6cp *v = ipv6cp_of(f);
	struct cp_buf b;

	cp_buf_opts(&b, buf, cap);
	if (v->ask_iid)
		cp_put_opt(&b, IPV6CP_OPT_IID, v->iid, IPV6CP_IID_LEN);
	return cp_finish(&b);
}

/* ipv6cp_nakci - the peer suggests another identifier for us */
static int ipv6cp_nakci(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipv6cp *v = ipv6cp_of(f);
	struct cp_opt_iter it;
	struct cp_opt o;
	int r;

	if (cp_opts_valid(opts, len))
		return -EINVAL;
	cp_opt_iter_init(&it, opts, len);
	while ((r = cp_opt_next(&it, &o)) > 0) {
		if (o.type != IPV6CP_OPT_IID || o.vlen != IPV6CP_IID_LEN || !v->ask_iid)
			continue;
		/* Zero, or the peer's own, cannot be ours. */
		if (ipv6cp_iid_is_zero(o.val) || !memcmp(o.val, v->peer_iid, IPV6CP_IID_LEN))
			continue;
		if (++v->naks_of_ours > IPV6CP_MAX_NAKS_OF_OURS) {
			sl_warn(f->label, "IPv6CP: the peer keeps Naking our Interface-Identifier");
			continue;
		}
		memcpy(v->iid, o.val, IPV6CP_IID_LEN);
		sl_debug(f->label, "IPv6CP: the peer suggests our Interface-Identifier");
	}
	return r;
}

/* ipv6cp_rejci - the peer will not negotiate identifiers */
static int ipv6cp_rejci(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipv6cp *v = ipv6cp_of(f);
	struct cp_opt_iter it;
	struct cp_opt o;
	int r;

	if (cp_opts_valid(opts, len))
		return -EINVAL;
	cp_opt_iter_init(&it, opts, len);
	while ((r = cp_opt_next(&it, &o)) > 0) {
		if (o.type != IPV6CP_OPT_IID || !v->ask_iid)
			return -EINVAL;
	}
	if (r == 0 && len) {
		sl_info(f->label, "IPv6CP: peer rejects Interface-Identifier, using our own");
		v->ask_iid = false;
	}
	return r;
}

/* ipv6cp_reqci - judge the peer's Configure-Request (RFC 5072 4.1) */
static int ipv6cp_reqci(struct fsm *f, const uint8_t *opts, size_t len, uint8_t *out,
			size_t outcap, size_t *outlen, bool reject_if_disagree)
{
	struct ipv6cp *v = ipv6cp_of(f);
	struct cp_buf rej, nak;
	struct cp_opt_iter it;
	struct cp_opt o;
	uint8_t peer[IPV6CP_IID_LEN] = { 0 }, sugg[IPV6CP_IID_LEN];
	uint8_t nakbuf[CP_MAX_PKT];
	int r, code;

	if (cp_opts_valid(opts, len))
		return -EINVAL;
	cp_buf_opts(&rej, out, outcap);
	cp_buf_opts(&nak, nakbuf, sizeof(nakbuf) < outcap ? sizeof(nakbuf) : outcap);
	cp_opt_iter_init(&it, opts, len);
	while ((r = cp_opt_next(&it, &o)) > 0) {
		if (o.type != IPV6CP_OPT_IID || o.vlen != IPV6CP_IID_LEN) {
			cp_put(&rej, o.val - CP_OPT_HDR_LEN, o.len);
			continue;
		}
		if (!ipv6cp_iid_is_zero(o.val) && memcmp(o.val, v->iid, IPV6CP_IID_LEN)) {
			memcpy(peer, o.val, IPV6CP_IID_LEN);
			continue;
		}
		if (ipv6cp_iid_is_zero(o.val) && ipv6cp_iid_is_zero(v->iid)) {
			/* Both zero: no unique identifier can be negotiated. */
			cp_put(&rej, o.val - CP_OPT_HDR_LEN, o.len);
			continue;
		}
		/* Zero (give me one), or equal to ours: suggest another. */
		if (reject_if_disagree) {
			cp_put(&rej, o.val - CP_OPT_HDR_LEN, o.len);
			continue;
		}
		ipv6cp_suggest(v, sugg);
		cp_put_opt(&nak, IPV6CP_OPT_IID, sugg, IPV6CP_IID_LEN);
		sl_debug(f->label, "IPv6CP: peer's Interface-Identifier is %s: Nak",
			 ipv6cp_iid_is_zero(o.val) ? "zero" : "equal to ours");
	}
	if (r < 0)
		return -EINVAL;
	code = cp_conf_verdict(&rej, &nak, opts, len);
	if (code < 0)
		return code;
	*outlen = rej.len;
	if (code == CP_CONF_ACK)
		memcpy(v->peer_iid, peer, IPV6CP_IID_LEN);
	return code;
}

/* ipv6cp_up - this-layer-up: the link-local addresses are agreed */
static void ipv6cp_up(struct fsm *f)
{
	struct ipv6cp *v = ipv6cp_of(f);
	struct ppp *ppp = ppp_of(f);
	char l[IP6_STRLEN], p[IP6_STRLEN];

	memcpy(ppp->net6.local_iid, v->iid, IPV6CP_IID_LEN);
	memcpy(ppp->net6.peer_iid, v->peer_iid, IPV6CP_IID_LEN);
	ip6_ll_from_iid(ppp->net6.local, v->iid);
	if (ipv6cp_iid_is_zero(v->peer_iid))
		memset(ppp->net6.peer, 0, 16);
	else
		ip6_ll_from_iid(ppp->net6.peer, v->peer_iid);
	ppp->net6_up = true;
	sl_info(ppp->label, "IPv6CP up: local %s peer %s", ip6_ntop(ppp->net6.local, l, sizeof(l)),
		ipv6cp_iid_is_zero(v->peer_iid) ? "unknown" : ip6_ntop(ppp->net6.peer, p, sizeof(p)));
	if (ppp->ops->network6_up)
		ppp->ops->network6_up(ppp, &ppp->net6);
}

static void ipv6cp_down(struct fsm *f)
{
	struct ppp *ppp = ppp_of(f);

	if (!ppp->net6_up)
		return;
	ppp->net6_up = false;
	sl_info(ppp->label, "IPv6CP down");
	if (ppp->ops->network6_down)
		ppp->ops->network6_down(ppp);
}

/* ipv6cp_finished - the peer rejected IPv6CP, never answered or closed it */
static void ipv6cp_finished(struct fsm *f)
{
	struct ppp *ppp = ppp_of(f);

	if (ppp->phase == PPP_PHASE_NETWORK && ppp->lcp.fsm.state == FSM_OPENED)
		sl_warn(ppp->label, "IPv6 unavailable: the AC %s; IPv4 only",
			ppp->ipv6cp.protrej ? "rejects IPv6CP (Protocol-Reject)"
			: !f->heard ? "never answered IPv6CP" : "ended IPv6CP");
	ppp->ipv6_unavailable = true;
}

const struct fsm_callbacks ipv6cp_callbacks = {
	.name = "IPv6CP",
	.proto = PPP_IPV6CP,
	.resetci = ipv6cp_resetci,
	.addci = ipv6cp_addci,
	.nakci = ipv6cp_nakci,
	.rejci = ipv6cp_rejci,
	.reqci = ipv6cp_reqci,
	.up = ipv6cp_up,
	.down = ipv6cp_down,
	.finished = ipv6cp_finished,
};

void ipv6cp_init(struct ppp *ppp)
{
	uint8_t pref[IPV6CP_IID_LEN];

	memcpy(pref, ppp->ipv6cp.pref_iid, sizeof(pref));
	memset(&ppp->ipv6cp, 0, sizeof(ppp->ipv6cp));
	memcpy(ppp->ipv6cp.pref_iid, pref, sizeof(pref));
	fsm_init(&ppp->ipv6cp.fsm, &ipv6cp_callbacks, ppp, ppp_send, ppp->wheel, ppp->label);
}
