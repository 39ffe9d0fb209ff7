// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ppp.c - the RFC 1661 phase machine for one PPP link over PPPoE:
 * Dead -> Establish (LCP) -> Authenticate (PAP/CHAP) -> Network (IPCP)
 * -> Terminate -> Dead.
 *
 * ops->dead() is called exactly once per ppp_open(), and always as the
 * last thing the call chain does with @ppp, so the owner may reuse it
 * (ppp_open() again) from inside the callback. The other ops callbacks
 * must not call back into this module.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "pppoe/cp.h"
#include "pppoe/log.h"
#include "pppoe/ppp_int.h"
#include "pppoe/wire.h"

const char *ppp_phase_name(enum ppp_phase p)
{
	switch (p) {
	case PPP_PHASE_DEAD:
		return "dead";
	case PPP_PHASE_ESTABLISH:
		return "establish";
	case PPP_PHASE_AUTHENTICATE:
		return "authenticate";
	case PPP_PHASE_NETWORK:
		return "network";
	case PPP_PHASE_TERMINATE:
		return "terminate";
	}
	return "?";
}

const char *ppp_reason_name(enum ppp_reason r)
{
	switch (r) {
	case PPP_R_NONE:
		return "none";
	case PPP_R_ADMIN:
		return "admin";
	case PPP_R_PEER_TERM:
		return "peer-terminate";
	case PPP_R_AUTH_FAIL:
		return "auth-fail";
	case PPP_R_ECHO_TIMEOUT:
		return "echo-timeout";
	case PPP_R_NEG_FAIL:
		return "negotiation-fail";
	case PPP_R_LOOPBACK:
		return "loopback";
	case PPP_R_LOWER_DOWN:
		return "lower-down";
	}
	return "?";
}

static void ppp_set_phase(struct ppp *ppp, enum ppp_phase p)
{
	if (ppp->phase != p)
		sl_debug(ppp->label, "phase %s -> %s", ppp_phase_name(ppp->phase),
			 ppp_phase_name(p));
	ppp->phase = p;
}

int ppp_send(void *owner, uint16_t proto, const uint8_t *data, size_t len)
{
	struct ppp *ppp = owner;

	return ppp->ops->output(ppp, proto, data, len);
}

/* ppp_seed - seed for magic numbers; getrandom is not network I/O */
static uint64_t ppp_seed(const struct ppp *ppp)
{
	uint64_t seed = 0;
	const char *s;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed)) {
		/* No entropy yet: mix what tells sessions apart. */
		seed = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)ppp ^ ppp->wheel->now;
		for (s = ppp->label; s && *s; s++)
			seed = (seed ^ (uint8_t)*s) * 1099511628211ULL;
	}
	return seed ? seed : 0x2545f4914f6cdd1dULL;
}

/* ppp_init - a dead link bound to its owner, config, ops and wheel */
void ppp_init(struct ppp *ppp, const struct ppp_conf *conf, const struct ppp_ops *ops,
	      struct tw_wheel *wheel, const char *label, void *ctx)
{
	memset(ppp, 0, sizeof(*ppp));
	ppp->conf = conf;
	ppp->ops = ops;
	ppp->wheel = wheel;
	ppp->label = label;
	ppp->ctx = ctx;
	ppp->phase = PPP_PHASE_DEAD;
	ppp->peer_mru_limit = PPPOE_MRU;
	ppp->lcp.rng = ppp_seed(ppp);
	lcp_init(ppp);
	ipcp_init(ppp);
	ipv6cp_init(ppp);
	auth_init(ppp);
}

/* ppp_link_reset - every sublayer fresh for a new link over @max_payload */
static void ppp_link_reset(struct ppp *ppp, uint16_t max_payload)
{
	const struct ppp_conf *c = ppp->conf;

	ppp->peer_mru_limit = max_payload ? max_payload : PPPOE_MRU;
	ppp->reason = PPP_R_NONE;
	ppp->net_up = false;
	memset(&ppp->net, 0, sizeof(ppp->net));
	ppp->net6_up = false;
	ppp->ipv6_unavailable = false;
	memset(&ppp->net6, 0, sizeof(ppp->net6));
	ppp->echo_rtt_us = 0;
	auth_stop(ppp);
	lcp_start(ppp);
	fsm_reset(&ppp->ipcp.fsm);
	fsm_reset(&ppp->ipv6cp.fsm);
	fsm_set_limits(&ppp->ipv6cp.fsm, c->restart_ms, c->max_configure, c->max_terminate,
		       c->max_failure);
	fsm_set_limits(&ppp->lcp.fsm, c->restart_ms, c->max_configure, c->max_terminate,
		       c->max_failure);
	fsm_set_limits(&ppp->ipcp.fsm, c->restart_ms, c->max_configure, c->max_terminate,
		       c->max_failure);
	/* An AC answers PADS at once and may take many seconds to start the
	 * PPP side of the session, and a busy one as long again to start
	 * IPCP after authentication: back off while it says nothing. */
	fsm_set_backoff(&ppp->lcp.fsm, c->restart_backoff_ms ? c->restart_backoff_ms
							     : 4 * ppp->lcp.fsm.restart_ms);
	fsm_set_backoff(&ppp->ipcp.fsm, ppp->lcp.fsm.backoff_max_ms);
	ppp->last_rx_ms = ppp->wheel->now;
	ppp->ipcp.fsm.mtu = ppp_mru_limit(ppp);
	ppp->ipv6cp.fsm.mtu = ppp_mru_limit(ppp);
}

/* ppp_ipv6_start - open IPv6CP beside IPCP, when the config asks for IPv6 */
static void ppp_ipv6_start(struct ppp *ppp)
{
	if (!ppp->conf->ipv6)
		return;
	fsm_open(&ppp->ipv6cp.fsm);
	fsm_lowerup(&ppp->ipv6cp.fsm);
}

/* ppp_ipv6_stop - IPv6CP down with the link (no packets: LCP is going) */
static void ppp_ipv6_stop(struct ppp *ppp)
{
	fsm_lowerdown(&ppp->ipv6cp.fsm);
	fsm_reset(&ppp->ipv6cp.fsm);
}

/* ppp_open - a fresh link: every sublayer reset, LCP Open + Up */
void ppp_open(struct ppp *ppp, uint16_t max_payload)
{
	if (ppp->lcp.active) {
		sl_warn(ppp->label, "ppp_open on a live link ignored");
		return;
	}
	ppp_link_reset(ppp, max_payload);
	ppp->lcp.active = true;
	ppp_set_phase(ppp, PPP_PHASE_ESTABLISH);
	sl_debug(ppp->label, "starting LCP, MRU limit %u", ppp_mru_limit(ppp));
	fsm_open(&ppp->lcp.fsm);
	fsm_lowerup(&ppp->lcp.fsm);
}

/*
 * ppp_resume - carry on a link an earlier run negotiated: LCP and IPCP
 * Opened with what they agreed, the network up, echoes on. An
 * Echo-Request goes out at once: until the peer answers it the link is
 * unconfirmed (lcp.confirming), and a peer that has forgotten the session
 * fails it after echo_failure probes, with no allowance for a busy peer.
 */
int ppp_resume(struct ppp *ppp, const struct ppp_resume *r)
{
	struct lcp *lcp = &ppp->lcp;
	struct ipcp *ipcp = &ppp->ipcp;
	uint16_t limit;

	if (ppp->lcp.active)
		return -EBUSY;
	if (!r->net.local || !r->net.peer || r->peer_mru < LCP_MIN_MRU || r->mru < LCP_MIN_MRU)
		return -EINVAL;
	ppp_link_reset(ppp, r->max_payload);
	limit = ppp_mru_limit(ppp);
	lcp->magic = r->magic;
	lcp->peer_magic = r->peer_magic;
	lcp->mru = r->mru;
	lcp->peer_mru = r->peer_mru;
	lcp->auth_proto = r->auth_proto;
	lcp->chap_alg = r->chap_alg;
	auth_resume(ppp, r->auth_proto);
	lcp->fsm.mtu = lcp->peer_mru < limit ? lcp->peer_mru : limit;
	ipcp->fsm.mtu = lcp->fsm.mtu;
	ppp->ipv6cp.fsm.mtu = lcp->fsm.mtu;
	ipcp->addr = r->net.local;
	ipcp->peer_addr = r->net.peer;
	ipcp->dns1 = r->net.dns1;
	ipcp->dns2 = r->net.dns2;
	ppp->net = r->net;
	ppp->net_up = true;
	ppp->last_rx_ms = r->last_rx_ms;
	fsm_resume_opened(&lcp->fsm);
	fsm_resume_opened(&ipcp->fsm);
	lcp->active = true;
	ppp_set_phase(ppp, PPP_PHASE_NETWORK);
	lcp_echo_confirm(ppp);
	/* IPv6CP is not recorded: negotiate it afresh (the AC renegotiates an
	 * Opened IPv6CP on our Configure-Request, RFC 1661). */
	ppp_ipv6_start(ppp);
	return 0;
}

void ppp_quiesce(struct ppp *ppp)
{
	auth_stop(ppp);
	lcp_echo_stop(ppp);
	fsm_reset(&ppp->ipv6cp.fsm);
	fsm_reset(&ppp->ipcp.fsm);
	fsm_reset(&ppp->lcp.fsm);
	ppp->lcp.active = false;
	ppp->net_up = false;
	ppp->net6_up = false;
}

/* ppp_fail - record the first reason, LCP Close (Terminate-Request) */
void ppp_fail(struct ppp *ppp, enum ppp_reason why, const char *msg)
{
	if (!ppp->lcp.active)
		return;
	if (ppp->reason == PPP_R_NONE)
		ppp->reason = why;
	sl_info(ppp->label, "closing link: %s", msg);
	ppp_set_phase(ppp, PPP_PHASE_TERMINATE);
	fsm_close(&ppp->lcp.fsm);
}

void ppp_close(struct ppp *ppp, const char *why)
{
	ppp_fail(ppp, PPP_R_ADMIN, why ? why : "administrative close");
}

/* ppp_report_dead - the end of one ppp_open(): must be the caller's last act */
static void ppp_report_dead(struct ppp *ppp)
{
	if (ppp->reason == PPP_R_NONE)
		ppp->reason = PPP_R_NEG_FAIL;
	ppp->lcp.active = false;
	ppp_set_phase(ppp, PPP_PHASE_DEAD);
	sl_info(ppp->label, "link dead (%s)", ppp_reason_name(ppp->reason));
	if (ppp->ops->dead)
		ppp->ops->dead(ppp, ppp->reason);
}

/* ppp_lowerdown - PPPoE is gone: LCP Down, everything stops, dead() */
void ppp_lowerdown(struct ppp *ppp)
{
	if (!ppp->lcp.active)
		return;
	if (ppp->reason == PPP_R_NONE)
		ppp->reason = PPP_R_LOWER_DOWN;
	auth_stop(ppp);
	/* Down event: LCP's tld takes IPCP (and the network) down. */
	fsm_lowerdown(&ppp->lcp.fsm);
	fsm_lowerdown(&ppp->ipcp.fsm);
	ppp_ipv6_stop(ppp);
	fsm_reset(&ppp->ipcp.fsm);
	fsm_reset(&ppp->lcp.fsm);
	lcp_echo_stop(ppp);
	ppp_report_dead(ppp);
}

/* ppp_network - enter the Network phase: start IPCP */
static void ppp_network(struct ppp *ppp)
{
	ppp_set_phase(ppp, PPP_PHASE_NETWORK);
	fsm_open(&ppp->ipcp.fsm);
	fsm_lowerup(&ppp->ipcp.fsm);
	ppp_ipv6_start(ppp);
}

/* ppp_lcp_up - LCP Opened: authenticate if the peer asked, else network */
void ppp_lcp_up(struct ppp *ppp)
{
	struct lcp *lcp = &ppp->lcp;
	uint16_t mtu = lcp->peer_mru < ppp_mru_limit(ppp) ? lcp->peer_mru : ppp_mru_limit(ppp);
	char name[AUTH_NAME_MAX];

	lcp->fsm.mtu = mtu;
	ppp->ipcp.fsm.mtu = mtu;
	ppp->ipv6cp.fsm.mtu = mtu;
	sl_info(ppp->label, "LCP up: MRU %u, peer MRU %u, magic 0x%08x, auth %s", lcp->mru,
		lcp->peer_mru, lcp->magic,
		!lcp->auth_proto ? "none" :
		auth_name(name, lcp->auth_proto, lcp->auth_proto == PPP_CHAP ? lcp->chap_alg : -1));
	if (lcp->auth_proto) {
		ppp_set_phase(ppp, PPP_PHASE_AUTHENTICATE);
		auth_start(ppp, lcp->auth_proto, lcp->chap_alg);
		return;
	}
	/* A client cannot make the AC authenticate it (pppd cannot either):
	 * say so when the config expected it to. */
	if (lcp->auth_refused)
		sl_warn(ppp->label, "the AC gave up asking for %s (%s) and asks for no "
			"authentication", auth_name(name, lcp->auth_refused,
						    lcp->auth_refused == PPP_CHAP ?
						    lcp->auth_refused_alg : -1),
			auth_pref_conf(ppp->conf->auth));
	else if (ppp->conf->auth != PPP_AUTH_AUTO)
		sl_info(ppp->label, "the AC asks for no authentication (%s applies only when "
			"it asks)", auth_pref_conf(ppp->conf->auth));
	ppp_network(ppp);
}

/* ppp_lcp_down - LCP left Opened: NCPs down, renegotiate or terminate */
void ppp_lcp_down(struct ppp *ppp)
{
	auth_stop(ppp);
	fsm_lowerdown(&ppp->ipcp.fsm);
	fsm_lowerdown(&ppp->ipv6cp.fsm);
	if (ppp->lcp.fsm.peer_term && ppp->reason == PPP_R_NONE) {
		sl_info(ppp->label, "peer terminated the link");
		ppp->reason = PPP_R_PEER_TERM;
	}
	/* Without a reason to go down this is a renegotiation. */
	ppp_set_phase(ppp, ppp->reason == PPP_R_NONE ? PPP_PHASE_ESTABLISH
						     : PPP_PHASE_TERMINATE);
}

/* ppp_lcp_finished - LCP this-layer-finished: the link is dead */
void ppp_lcp_finished(struct ppp *ppp)
{
	if (!ppp->lcp.active)
		return;
	auth_stop(ppp);
	fsm_lowerdown(&ppp->ipcp.fsm);
	ppp_ipv6_stop(ppp);
	fsm_reset(&ppp->ipcp.fsm);
	ppp_report_dead(ppp);
}

void ppp_auth_done(struct ppp *ppp, bool ok)
{
	if (!ok) {
		ppp_fail(ppp, PPP_R_AUTH_FAIL, "authentication failed");
		return;
	}
	if (ppp->phase == PPP_PHASE_AUTHENTICATE)
		ppp_network(ppp);
}

void ppp_ipcp_finished(struct ppp *ppp)
{
	if (ppp->phase == PPP_PHASE_NETWORK)
		ppp_fail(ppp, PPP_R_NEG_FAIL, "IPCP negotiation failed");
}

/*
 * ppp_auth_refused_term - the peer sends Terminate-Request after we Nak'd
 * its authentication protocol, before the network came up: it requires
 * that protocol (pppd, asked for a protocol it does not allow, drops the
 * option and then ends the link once LCP is up: "peer refused to
 * authenticate"). An authentication failure, and the log says which.
 */
static void ppp_auth_refused_term(struct ppp *ppp)
{
	const struct lcp *lcp = &ppp->lcp;
	char name[AUTH_NAME_MAX];

	if (!lcp->auth_refused || ppp->net_up || ppp->reason != PPP_R_NONE)
		return;
	ppp->reason = PPP_R_AUTH_FAIL;
	sl_err(ppp->label, "the AC ends the link: it requires %s, which %s",
	       auth_name(name, lcp->auth_refused,
			 lcp->auth_refused == PPP_CHAP ? lcp->auth_refused_alg : -1),
	       ppp->conf->auth == PPP_AUTH_AUTO ? "pppoe-xdp does not do"
	       : ppp->conf->auth == PPP_AUTH_PAP ? "auth = pap refuses"
	       : ppp->conf->auth == PPP_AUTH_CHAP ? "auth = chap refuses"
	       : "auth = mschapv2 refuses");
}

/* ppp_input - demultiplex one received PPP packet by protocol */
void ppp_input(struct ppp *ppp, uint16_t proto, const uint8_t *data, size_t len)
{
	bool confreq;

	if (!ppp->lcp.active)
		return;
	switch (proto) {
	case PPP_LCP:
		/* A Configure-Request never reaches this-layer-finished, so
		 * @ppp is still ours after it (see dead() above). */
		confreq = len >= 1 && data[0] == CP_CONF_REQ;
		if (len >= CP_HDR_LEN && data[0] == CP_TERM_REQ)
			ppp_auth_refused_term(ppp);
		fsm_input(&ppp->lcp.fsm, data, len);
		if (confreq && ppp->lcp.looped) {
			ppp->lcp.looped = false;
			ppp_fail(ppp, PPP_R_LOOPBACK, "link is looped back");
		}
		break;
	case PPP_PAP:
	case PPP_CHAP:
		if (ppp->phase == PPP_PHASE_AUTHENTICATE || ppp->phase == PPP_PHASE_NETWORK)
			auth_input(ppp, proto, data, len);
		break;
	case PPP_IPCP:
		/* RFC 1661 3.5: NCP packets before the Network phase are
		 * silently discarded. */
		if (ppp->phase == PPP_PHASE_NETWORK)
			fsm_input(&ppp->ipcp.fsm, data, len);
		else
			sl_debug(ppp->label, "IPCP packet in %s phase dropped",
				 ppp_phase_name(ppp->phase));
		break;
	case PPP_IPV6CP:
		if (!ppp->conf->ipv6)
			goto unknown; /* not configured: a protocol we do not run */
		if (ppp->phase == PPP_PHASE_NETWORK)
			fsm_input(&ppp->ipv6cp.fsm, data, len);
		else
			sl_debug(ppp->label, "IPv6CP packet in %s phase dropped",
				 ppp_phase_name(ppp->phase));
		break;
	case PPP_IPV6:
		if (!ppp->conf->ipv6)
			goto unknown;
		break; /* the session's data path */
	case PPP_IP:
		/* Datagrams belong to the session's data path, not here. */
		break;
	default:
unknown:
		if (ppp->lcp.fsm.state == FSM_OPENED)
			lcp_send_protrej(ppp, proto, data, len);
		break;
	}
}

bool ppp_resume_get(const struct ppp *ppp, struct ppp_resume *r)
{
	memset(r, 0, sizeof(*r));
	if (!ppp->lcp.active || ppp->phase != PPP_PHASE_NETWORK || !ppp->net_up ||
	    ppp->lcp.fsm.state != FSM_OPENED)
		return false;
	r->magic = ppp->lcp.magic;
	r->peer_magic = ppp->lcp.peer_magic;
	r->mru = ppp->lcp.mru;
	r->peer_mru = ppp->lcp.peer_mru;
	r->max_payload = ppp->peer_mru_limit == PPPOE_MRU ? 0 : ppp->peer_mru_limit;
	r->auth_proto = ppp->lcp.auth_proto;
	r->chap_alg = ppp->lcp.chap_alg;
	r->net = ppp->net;
	r->last_rx_ms = ppp->last_rx_ms;
	return true;
}
