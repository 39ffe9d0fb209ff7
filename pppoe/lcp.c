// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lcp.c - LCP for a PPPoE client: the callbacks the RFC 1661 automaton
 * needs, plus echoes, Protocol-Reject and Discard-Request.
 *
 * RFC 2516 section 7 decides the option policy:
 *  - we ask for MRU (conf->mru, default conf->mtu or 1492) and Magic-Number, nothing else;
 *  - the peer's MRU is Nak'd down to the lower layer limit (1492, or the
 *    PPP-Max-Payload of RFC 4638 when the session agreed one);
 *  - ACCM, ACFC and FCS-Alternatives MUST be rejected, so they are; PFC is
 *    "NOT RECOMMENDED" and the session layer reads a two-byte protocol
 *    field, so it is rejected as well;
 *  - the peer's Authentication-Protocol says how WE must authenticate: PAP,
 *    CHAP-MD5 and MS-CHAPv2 are Acked when conf->auth allows them (auto
 *    allows all three); anything else (MS-CHAP v1, EAP...) is Nak'd with
 *    the configured protocol, CHAP-MD5 for auto. A request without the
 *    option is Acked whatever conf->auth says: a client cannot make the
 *    AC authenticate it (pppd does the same). We never ask the peer to
 *    authenticate.
 */
#include <errno.h>
#include <string.h>

#include "pppoe/cp.h"
#include "pppoe/lcp.h"
#include "pppoe/log.h"
#include "pppoe/mschapv2.h"
#include "pppoe/ppp_int.h"
#include "pppoe/wire.h"

static inline struct lcp *lcp_of(struct fsm *f)
{
	return container_of(f, struct lcp, fsm);
}

static inline struct ppp *ppp_of(struct fsm *f)
{
	return f->owner;
}

uint32_t lcp_magic_next(struct lcp *lcp)
{
	uint32_t m;

	if (!lcp->rng)
		lcp->rng = 0x9e3779b97f4a7c15ULL;
	do {
		lcp->rng ^= lcp->rng << 13;
		lcp->rng ^= lcp->rng >> 7;
		lcp->rng ^= lcp->rng << 17;
		m = (uint32_t)(lcp->rng >> 32);
	} while (!m || m == lcp->magic);
	return m;
}

/* lcp_want_mru - the MRU we ask for: configured, but within the lower layer */
static uint16_t lcp_want_mru(const struct ppp *ppp)
{
	uint16_t mru = ppp_conf_mru(ppp->conf);

	if (mru > ppp_mru_limit(ppp))
		mru = ppp_mru_limit(ppp);
	if (mru < LCP_MIN_MRU)
		mru = LCP_MIN_MRU;
	return mru;
}

/* lcp_resetci - a fresh negotiation: MRU within the limit, new magic */
static void lcp_resetci(struct fsm *f)
{
	struct lcp *lcp = lcp_of(f);

	lcp->want_mru = lcp_want_mru(ppp_of(f));
	lcp->ask_mru = true;
	lcp->ask_magic = true;
	lcp->magic = lcp_magic_next(lcp);
	lcp->mru = LCP_DEFAULT_MRU;
}

static int lcp_addci(struct fsm *f, uint8_t *buf, size_t cap)
{
	struct lcp *lcp = lcp_of(f);
	struct cp_buf b;

	cp_buf_opts(&b, buf, cap);
	if (lcp->ask_mru)
		cp_put_opt_u16(&b, LCP_OPT_MRU, lcp->want_mru);
	if (lcp->ask_magic)
		cp_put_opt_u32(&b, LCP_OPT_MAGIC, lcp->magic);
	return cp_finish(&b);
}

static void lcp_ackci(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct lcp *lcp = lcp_of(f);

	lcp->mru = lcp->ask_mru ? lcp->want_mru : LCP_DEFAULT_MRU;
	if (!lcp->ask_magic)
		lcp->magic = 0;
}

/* lcp_nakci - take the peer's hints for MRU, pick a new magic */
static int lcp_nakci(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct lcp *lcp = lcp_of(f);
	struct ppp *ppp = ppp_of(f);
	struct cp_opt_iter it;
	struct cp_opt o;
	uint16_t mru;
	int r;

	if (cp_opts_valid(opts, len))
		return -EINVAL;
	cp_opt_iter_init(&it, opts, len);
	while ((r = cp_opt_next(&it, &o)) > 0) {
		switch (o.type) {
		case LCP_OPT_MRU:
			if (o.vlen != 2 || !lcp->ask_mru)
				break;
			mru = cp_get_u16(o.val);
			/* Never above what PPPoE carries; a peer that wants
			 * us to receive less is fine. */
			if (mru >= LCP_MIN_MRU && mru <= ppp_mru_limit(ppp))
				lcp->want_mru = mru;
			break;
		case LCP_OPT_MAGIC:
			if (o.vlen == 4 && lcp->ask_magic)
				lcp->magic = lcp_magic_next(lcp);
			break;
		default:
			/* Options we did not ask for: we have nothing to add. */
			break;
		}
	}
	return r;
}

/* lcp_rejci - stop asking for what the peer rejected */
static int lcp_rejci(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct lcp *lcp = lcp_of(f);
	struct cp_opt_iter it;
	struct cp_opt o;
	int r;

	if (cp_opts_valid(opts, len))
		return -EINVAL;
	/* A Reject must only list options of our request: check first. */
	cp_opt_iter_init(&it, opts, len);
	while ((r = cp_opt_next(&it, &o)) > 0) {
		if (!(o.type == LCP_OPT_MRU && lcp->ask_mru) &&
		    !(o.type == LCP_OPT_MAGIC && lcp->ask_magic))
			return -EINVAL;
	}
	cp_opt_iter_init(&it, opts, len);
	while ((r = cp_opt_next(&it, &o)) > 0) {
		if (o.type == LCP_OPT_MRU)
			lcp->ask_mru = false;
		else
			lcp->ask_magic = false;
	}
	return r;
}

/* lcp_auth_kind - which auth = value an Authentication-Protocol option is
 * (PPP_AUTH_AUTO: none we do) */
static enum ppp_auth_pref lcp_auth_kind(uint16_t proto, size_t vlen, uint8_t alg)
{
	if (proto == PPP_PAP && vlen == 2)
		return PPP_AUTH_PAP;
	if (proto == PPP_CHAP && vlen == 3 && alg == CHAP_MD5)
		return PPP_AUTH_CHAP;
	if (proto == PPP_CHAP && vlen == 3 && alg == CHAP_MSCHAPV2)
		return PPP_AUTH_MSCHAPV2;
	return PPP_AUTH_AUTO;
}

/* lcp_auth_hint - the option value a Nak suggests for @pref: the
 * configured protocol, CHAP-MD5 for auto (the one every AC has) */
static size_t lcp_auth_hint(enum ppp_auth_pref pref, uint8_t hint[3])
{
	switch (pref) {
	case PPP_AUTH_PAP:
		hint[0] = PPP_PAP >> 8;
		hint[1] = PPP_PAP & 0xff;
		return 2;
	case PPP_AUTH_MSCHAPV2:
		hint[0] = PPP_CHAP >> 8;
		hint[1] = PPP_CHAP & 0xff;
		hint[2] = CHAP_MSCHAPV2;
		return 3;
	default:
		hint[0] = PPP_CHAP >> 8;
		hint[1] = PPP_CHAP & 0xff;
		hint[2] = CHAP_MD5;
		return 3;
	}
}

/* lcp_put_verbatim - copy a received option into a Nak/Reject list */
static void lcp_put_verbatim(struct cp_buf *b, const struct cp_opt *o)
{
	cp_put(b, o->val - CP_OPT_HDR_LEN, o->len);
}

/*
 * lcp_reqci - judge the peer's Configure-Request.
 *
 * RFC 1661 5.3/5.4: if anything must be rejected, send only the Reject;
 * else if anything must be Nak'd, send only the Nak; else Ack a copy.
 * With @reject_if_disagree (Max-Failure Naks sent) Naks become Rejects.
 */
static int lcp_reqci(struct fsm *f, const uint8_t *opts, size_t len, uint8_t *out,
		     size_t outcap, size_t *outlen, bool reject_if_disagree)
{
	struct lcp *lcp = lcp_of(f);
	struct ppp *ppp = ppp_of(f);
	uint8_t nakbuf[CP_MAX_PKT];
	struct cp_buf rej, nak;
	struct cp_opt_iter it;
	struct cp_opt o;
	uint16_t new_mru = LCP_DEFAULT_MRU, new_auth = 0, proto;
	uint32_t new_magic = 0, m;
	uint8_t new_alg = 0, alg;
	enum ppp_auth_pref pref;
	uint32_t naked = 0;   /* option types already in the Nak */
	int r, code;

	if (cp_opts_valid(opts, len))
		return -EINVAL;
	cp_buf_opts(&rej, out, outcap);
	cp_buf_opts(&nak, nakbuf, sizeof(nakbuf));

	cp_opt_iter_init(&it, opts, len);
	while ((r = cp_opt_next(&it, &o)) > 0) {
		bool do_nak = false;
		uint8_t hint[4];
		size_t hlen = 0;

		switch (o.type) {
		case LCP_OPT_MRU:
			if (o.vlen != 2)
				goto reject;
			new_mru = cp_get_u16(o.val);
			if (new_mru > ppp_mru_limit(ppp) || new_mru < LCP_MIN_MRU) {
				uint16_t s = new_mru > ppp_mru_limit(ppp) ? ppp_mru_limit(ppp)
									 : LCP_MIN_MRU;

				hint[0] = (uint8_t)(s >> 8);
				hint[1] = (uint8_t)s;
				hlen = 2;
				do_nak = true;
			}
			break;
		case LCP_OPT_AUTH:
			if (o.vlen < 2)
				goto reject;
			proto = cp_get_u16(o.val);
			alg = o.vlen == 3 ? o.val[2] : 0;
			pref = lcp_auth_kind(proto, o.vlen, alg);
			if (pref != PPP_AUTH_AUTO &&
			    (ppp->conf->auth == PPP_AUTH_AUTO || ppp->conf->auth == pref)) {
				new_auth = proto;
				new_alg = alg;
				break;
			}
			/* Not ours to do, or not allowed: suggest what is. */
			hlen = lcp_auth_hint(ppp->conf->auth, hint);
			do_nak = true;
			if (!lcp->auth_refused || lcp->auth_refused != proto ||
			    lcp->auth_refused_alg != alg) {
				char asked[AUTH_NAME_MAX];

				sl_info(f->label, "LCP: the AC asks for %s; %s: Nak, suggesting %s",
					auth_name(asked, proto, o.vlen == 3 ? alg : -1),
					pref == PPP_AUTH_AUTO ? "pppoe-xdp does not do it"
							      : auth_pref_conf(ppp->conf->auth),
					auth_pref_name(ppp->conf->auth == PPP_AUTH_AUTO
						       ? PPP_AUTH_CHAP : ppp->conf->auth));
			}
			lcp->auth_refused = proto;
			lcp->auth_refused_alg = alg;
			break;
		case LCP_OPT_MAGIC:
			if (o.vlen != 4)
				goto reject;
			new_magic = cp_get_u32(o.val);
			if (new_magic && !(lcp->ask_magic && new_magic == lcp->magic))
				break;
			if (new_magic) {
				/* Our own magic: maybe a looped-back link. A Nak
				 * with another value tells (RFC 1661 6.4). */
				lcp->loop_seen++;
				sl_debug(f->label, "LCP: peer sent our magic 0x%08x (%u times)",
					 new_magic, lcp->loop_seen);
				if (lcp->loop_seen >= LCP_LOOPBACK_FAIL)
					lcp->looped = true;
			}
			m = lcp_magic_next(lcp);
			hint[0] = (uint8_t)(m >> 24);
			hint[1] = (uint8_t)(m >> 16);
			hint[2] = (uint8_t)(m >> 8);
			hint[3] = (uint8_t)m;
			hlen = 4;
			do_nak = true;
			break;
		default:
			/* ACCM, ACFC, FCS-Alternatives (RFC 2516 7: MUST
			 * reject), PFC, Quality-Protocol, and anything unknown. */
			goto reject;
		}
		if (!do_nak)
			continue;
		if (reject_if_disagree)
			goto reject;
		/* One hint per type keeps the Nak no longer than the request
		 * (a Nak for a 4-byte auth option is 5 bytes). */
		if (!(naked & 1u << o.type))
			cp_put_opt(&nak, o.type, hint, hlen);
		naked |= 1u << o.type;
		continue;
reject:
		lcp_put_verbatim(&rej, &o);
	}
	if (r < 0)
		return -EINVAL;
	code = cp_conf_verdict(&rej, &nak, opts, len);
	if (code < 0)
		return code;
	if (code == CP_CONF_ACK) {
		lcp->peer_mru = new_mru;
		lcp->peer_magic = new_magic;
		lcp->auth_proto = new_auth;
		lcp->chap_alg = new_alg;
		/* The peer came round to a protocol we do. */
		if (new_auth)
			lcp->auth_refused = 0;
	}
	*outlen = rej.len;
	return code;
}

static void lcp_echo_fire(struct tw_timer *t);

static uint64_t lcp_echo_interval_ms(const struct ppp *ppp)
{
	return (uint64_t)ppp->conf->echo_interval * 1000;
}

/* lcp_echo_probe_ms - how long an Echo-Reply may take, and the interval of
 * the echoes that follow a missed one */
static uint64_t lcp_echo_probe_ms(const struct ppp *ppp)
{
	uint64_t probe = ppp->conf->echo_probe_ms ? ppp->conf->echo_probe_ms : LCP_ECHO_PROBE_MS;

	/* Without supervision only a resumed link's confirmation echoes. */
	if (!ppp->conf->echo_interval)
		return probe;
	return probe < lcp_echo_interval_ms(ppp) ? probe : lcp_echo_interval_ms(ppp);
}

/* lcp_echo_failures - unanswered echoes that end the link, 0 = never; a
 * resumed link nobody confirmed yet ends after a few even without it */
static unsigned int lcp_echo_failures(const struct ppp *ppp)
{
	if (ppp->lcp.confirming && !ppp->conf->echo_failure)
		return LCP_CONFIRM_FAILURE;
	return ppp->conf->echo_failure;
}

/* lcp_echo_confirmed - the peer answered: a resumed link is its again */
static void lcp_echo_confirmed(struct ppp *ppp)
{
	if (!ppp->lcp.confirming)
		return;
	ppp->lcp.confirming = false;
	sl_info(ppp->label, "resumed session confirmed: the peer still holds it");
}

static void lcp_echo_start(struct ppp *ppp)
{
	struct lcp *lcp = &ppp->lcp;

	lcp->echo_pending = 0;
	lcp->echo_sent_ms = ppp->wheel->now; /* the interval counts from link up */
	if (ppp->conf->echo_interval)
		tw_arm(ppp->wheel, &lcp->echo_timer, lcp_echo_interval_ms(ppp));
}

void lcp_echo_stop(struct ppp *ppp)
{
	tw_cancel(ppp->wheel, &ppp->lcp.echo_timer);
	ppp->lcp.echo_pending = 0;
	ppp->lcp.confirming = false;
}

/* lcp_echo_send - one Echo-Request; an answer is due within the probe time */
static void lcp_echo_send(struct ppp *ppp)
{
	struct lcp *lcp = &ppp->lcp;
	uint8_t data[4];

	data[0] = (uint8_t)(lcp->magic >> 24);
	data[1] = (uint8_t)(lcp->magic >> 16);
	data[2] = (uint8_t)(lcp->magic >> 8);
	data[3] = (uint8_t)lcp->magic;
	lcp->echo_id = fsm_next_id(&lcp->fsm);
	lcp->echo_sent_ms = ppp->wheel->now;
	if (!lcp->echo_pending++)
		lcp->echo_first_ms = lcp->echo_sent_ms;
	fsm_sdata(&lcp->fsm, CP_ECHO_REQ, lcp->echo_id, data, sizeof(data));
	tw_arm(ppp->wheel, &lcp->echo_timer, lcp_echo_probe_ms(ppp));
}

/*
 * lcp_echo_fire - link supervision. An idle link gets an Echo-Request every
 * echo_interval; with echo_adaptive any frame from the peer (data too)
 * counts as an answer, so a busy link sends none. An echo not answered
 * within the probe time is a miss: the owner hears of it (it may probe the
 * AC's other sessions) and echoes follow at the probe interval until one
 * is answered or echo_failure of them are not.
 */
static void lcp_echo_fire(struct tw_timer *t)
{
	struct lcp *lcp = container_of(t, struct lcp, echo_timer);
	struct ppp *ppp = lcp->fsm.owner;
	uint64_t now = ppp->wheel->now;

	if (lcp->fsm.state != FSM_OPENED)
		return;
	if (!ppp->conf->echo_interval && !lcp->confirming)
		return; /* no supervision: a confirmed resumed link needs no more */
	if (lcp->echo_pending && ppp->conf->echo_adaptive && ppp->last_rx_ms > lcp->echo_sent_ms) {
		lcp->echo_pending = 0; /* the peer spoke since: alive */
		lcp_echo_confirmed(ppp);
	}
	if (!lcp->echo_pending) {
		if (!ppp->conf->echo_interval)
			return;
		/* Idle for a whole interval since our last echo (or, adaptive,
		 * since the peer last spoke)? */
		uint64_t since = lcp->echo_sent_ms;

		if (ppp->conf->echo_adaptive && ppp->last_rx_ms > since)
			since = ppp->last_rx_ms;
		if (now - since < lcp_echo_interval_ms(ppp)) {
			tw_arm(ppp->wheel, &lcp->echo_timer, lcp_echo_interval_ms(ppp) - (now - since));
			return;
		}
		lcp_echo_send(ppp);
		return;
	}
	if (lcp->echo_pending == 1) {
		sl_debug(ppp->label, "LCP: Echo-Reply missing after %llu ms, probing",
			 (unsigned long long)(now - lcp->echo_sent_ms));
		if (ppp->ops->echo_missed)
			ppp->ops->echo_missed(ppp); /* may call lcp_echo_probe() on us: harmless */
	}
	/* A resumed link nobody confirmed gets no grace: the peer may have
	 * dropped just this session while it answers on others. */
	if (lcp_echo_failures(ppp) && lcp->echo_pending >= lcp_echo_failures(ppp) &&
	    !lcp->confirming && now - lcp->echo_first_ms < LCP_ECHO_BUSY_MAX_MS &&
	    ppp->ops->peer_alive_since && ppp->ops->peer_alive_since(ppp, lcp->echo_first_ms)) {
		if (lcp->echo_pending == lcp_echo_failures(ppp))
			sl_info(ppp->label, "LCP: %u echo requests unanswered, but the peer "
				"answers on other sessions: busy, still probing", lcp->echo_pending);
		lcp_echo_send(ppp);
		return;
	}
	if (lcp_echo_failures(ppp) && lcp->echo_pending >= lcp_echo_failures(ppp)) {
		sl_info(ppp->label, "LCP: %u echo requests unanswered, link is dead",
			lcp->echo_pending);
		ppp_fail(ppp, PPP_R_ECHO_TIMEOUT, "peer not responding to LCP echoes");
		return;
	}
	lcp_echo_send(ppp);
}

/* lcp_echo_confirm - a resumed link: supervision on and an Echo-Request now */
void lcp_echo_confirm(struct ppp *ppp)
{
	/* Even without echo supervision configured: a session the AC dropped
	 * while we were away would otherwise swallow traffic for ever. */
	lcp_echo_start(ppp);
	ppp->lcp.confirming = true;
	lcp_echo_send(ppp);
}

bool lcp_echo_probe(struct ppp *ppp)
{
	struct lcp *lcp = &ppp->lcp;

	if (lcp->fsm.state != FSM_OPENED || !ppp->conf->echo_interval || lcp->echo_pending ||
	    ppp->wheel->now - ppp->last_rx_ms < lcp_echo_probe_ms(ppp))
		return false;
	lcp_echo_send(ppp);
	return true;
}

/*
 * lcp_rechoreq - answer an Echo-Request (RFC 1661 5.8).
 *
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic-Number                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Data ...
 */
static void lcp_rechoreq(struct fsm *f, uint8_t id, const uint8_t *data, size_t len)
{
	struct lcp *lcp = lcp_of(f);
	struct ppp *ppp = ppp_of(f);
	uint8_t out[CP_MAX_PKT];
	size_t room = lcp->peer_mru < ppp_mru_limit(ppp) ? lcp->peer_mru : ppp_mru_limit(ppp);

	if (room > sizeof(out))
		room = sizeof(out);
	if (len < 4) {
		f->rx_discarded++;
		return;
	}
	lcp->rx_echo_req++;
	if (lcp->magic && cp_get_u32(data) == lcp->magic) {
		sl_warn(f->label, "LCP: Echo-Request with our own magic: link looped back?");
		return;
	}
	room = room > CP_HDR_LEN ? room - CP_HDR_LEN : 0;
	if (len > room)
		len = room;
	if (len < 4)
		return;
	out[0] = (uint8_t)(lcp->magic >> 24);
	out[1] = (uint8_t)(lcp->magic >> 16);
	out[2] = (uint8_t)(lcp->magic >> 8);
	out[3] = (uint8_t)lcp->magic;
	memcpy(out + 4, data + 4, len - 4);
	fsm_sdata(f, CP_ECHO_REP, id, out, len);
}

/* lcp_rechorep - an answer to one of our Echo-Requests */
static void lcp_rechorep(struct fsm *f, uint8_t id, const uint8_t *data, size_t len)
{
	struct lcp *lcp = lcp_of(f);
	struct ppp *ppp = ppp_of(f);

	if (len < 4) {
		f->rx_discarded++;
		return;
	}
	if (lcp->magic && cp_get_u32(data) == lcp->magic) {
		sl_warn(f->label, "LCP: Echo-Reply with our own magic: link looped back?");
		return;
	}
	lcp->rx_echo_rep++;
	lcp_echo_confirmed(ppp);
	/* Any reply proves the peer alive; only the latest one times it. */
	if (id == lcp->echo_id && lcp->echo_pending)
		ppp->echo_rtt_us = (ppp->wheel->now - lcp->echo_sent_ms) * 1000;
	lcp->echo_pending = 0;
}

/* lcp_rprotrej - the peer does not speak @proto (RFC 1661 5.7) */
static void lcp_rprotrej(struct fsm *f, const uint8_t *data, size_t len)
{
	struct ppp *ppp = ppp_of(f);
	uint16_t proto;

	if (len < 2) {
		f->rx_discarded++;
		return;
	}
	proto = cp_get_u16(data);
	sl_info(f->label, "LCP: peer rejected protocol 0x%04x", proto);
	switch (proto) {
	case PPP_LCP:
		fsm_protreject(f);
		break;
	case PPP_IPCP:
		/* IPCP's RXJ-: it finishes, which ends the link. */
		fsm_protreject(&ppp->ipcp.fsm);
		break;
	case PPP_IPV6CP:
		/* RXJ- for IPv6CP alone: IPv4 carries on. */
		ppp->ipv6cp.protrej = true;
		fsm_protreject(&ppp->ipv6cp.fsm);
		break;
	case PPP_PAP:
	case PPP_CHAP:
		if (!ppp->auth.succeeded)
			ppp_fail(ppp, PPP_R_AUTH_FAIL, "peer rejected the authentication protocol");
		break;
	default:
		/* RXJ+: something we can live without. */
		break;
	}
}

/* lcp_extcode - LCP's codes beyond the automaton's 1-7 */
static int lcp_extcode(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data,
		       size_t len)
{
	switch (code) {
	case CP_PROT_REJ:
	case CP_ECHO_REQ:
	case CP_ECHO_REP:
	case CP_DISC_REQ:
		break;
	default:
		return -EOPNOTSUPP;
	}
	/* RFC 1661 5.7, 5.8: only meaningful in Opened, else silently dropped. */
	if (f->state != FSM_OPENED) {
		f->rx_discarded++;
		return 0;
	}
	switch (code) {
	case CP_PROT_REJ:
		lcp_rprotrej(f, data, len);
		break;
	case CP_ECHO_REQ:
		lcp_rechoreq(f, id, data, len);
		break;
	case CP_ECHO_REP:
		lcp_rechorep(f, id, data, len);
		break;
	default:
		/* Discard-Request: that is its whole purpose. */
		break;
	}
	return 0;
}

static void lcp_unanswered(struct fsm *f, unsigned int n)
{
	struct ppp *ppp = ppp_of(f);

	if (ppp->ops->lcp_unanswered)
		ppp->ops->lcp_unanswered(ppp, n);
}

static bool lcp_patient(struct fsm *f)
{
	struct ppp *ppp = ppp_of(f);

	return ppp->ops->lcp_patient && ppp->ops->lcp_patient(ppp);
}

static void lcp_coderej(struct fsm *f, uint8_t code)
{
	if (code == CP_ECHO_REQ) {
		sl_info(f->label, "LCP: peer rejects Echo-Request, link supervision off");
		lcp_echo_stop(ppp_of(f));
	}
}

/* lcp_up - this-layer-up: supervision on, next phase */
static void lcp_up(struct fsm *f)
{
	struct ppp *ppp = ppp_of(f);

	lcp_echo_start(ppp);
	ppp_lcp_up(ppp);
}

static void lcp_down(struct fsm *f)
{
	struct ppp *ppp = ppp_of(f);

	lcp_echo_stop(ppp);
	ppp_lcp_down(ppp);
}

static void lcp_finished(struct fsm *f)
{
	struct ppp *ppp = ppp_of(f);

	lcp_echo_stop(ppp);
	ppp_lcp_finished(ppp);
}

const struct fsm_callbacks lcp_callbacks = {
	.name = "LCP",
	.proto = PPP_LCP,
	.resetci = lcp_resetci,
	.addci = lcp_addci,
	.ackci = lcp_ackci,
	.nakci = lcp_nakci,
	.rejci = lcp_rejci,
	.reqci = lcp_reqci,
	.up = lcp_up,
	.down = lcp_down,
	.finished = lcp_finished,
	.extcode = lcp_extcode,
	.coderej = lcp_coderej,
	.unanswered = lcp_unanswered,
	.patient = lcp_patient,
};

void lcp_init(struct ppp *ppp)
{
	struct lcp *lcp = &ppp->lcp;
	uint64_t rng = lcp->rng;

	memset(lcp, 0, sizeof(*lcp));
	lcp->rng = rng;
	fsm_init(&lcp->fsm, &lcp_callbacks, ppp, ppp_send, ppp->wheel, ppp->label);
	tw_timer_init(&lcp->echo_timer, lcp_echo_fire);
}

void lcp_start(struct ppp *ppp)
{
	struct lcp *lcp = &ppp->lcp;

	fsm_reset(&lcp->fsm);
	lcp_echo_stop(ppp);
	lcp->loop_seen = 0;
	lcp->looped = false;
	lcp->peer_mru = LCP_DEFAULT_MRU;
	lcp->peer_magic = 0;
	lcp->auth_proto = 0;
	lcp->chap_alg = 0;
	lcp->auth_refused = 0;
	lcp->auth_refused_alg = 0;
	lcp->mru = LCP_DEFAULT_MRU;
	lcp->magic = 0;
	lcp->fsm.mtu = ppp_mru_limit(ppp);
}

/*
 * lcp_send_protrej - Protocol-Reject (RFC 1661 5.7).
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       Rejected-Protocol       |      Rejected-Information ...
 *
 * The rejected information is truncated to fit the peer's MRU.
 */
int lcp_send_protrej(struct ppp *ppp, uint16_t proto, const uint8_t *data, size_t len)
{
	struct lcp *lcp = &ppp->lcp;
	uint8_t out[CP_MAX_PKT];
	size_t room = lcp->peer_mru < ppp_mru_limit(ppp) ? lcp->peer_mru : ppp_mru_limit(ppp);

	if (lcp->fsm.state != FSM_OPENED)
		return -ENOTCONN;
	if (room > sizeof(out))
		room = sizeof(out);
	room -= CP_HDR_LEN + 2;
	if (len > room)
		len = room;
	out[0] = (uint8_t)(proto >> 8);
	out[1] = (uint8_t)proto;
	if (len)
		memcpy(out + 2, data, len);
	sl_debug(ppp->label, "LCP: Protocol-Reject for protocol 0x%04x", proto);
	return fsm_sdata(&lcp->fsm, CP_PROT_REJ, fsm_next_id(&lcp->fsm), out, len + 2);
}
