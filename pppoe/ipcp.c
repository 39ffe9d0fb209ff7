// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipcp.c - IPCP (RFC 1332) and its DNS options (RFC 1877), client side.
 *
 * We ask for IP-Address 0.0.0.0 (and the DNS servers 0.0.0.0 when
 * conf->want_dns) and adopt what the AC Naks back. Options the AC rejects
 * are not asked for again. The AC's own request: its IP-Address is Acked;
 * 0.0.0.0 there means "give me an address", which a client has none to
 * give, so that option is Rejected and the peer address stays unknown (0).
 * IP-Compression-Protocol (we do no Van Jacobson compression), the
 * deprecated IP-Addresses, DNS/NBNS asked of us and unknown options are
 * Rejected. We never Nak, so Max-Failure does not apply.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "pppoe/cp.h"
#include "pppoe/ipcp.h"
#include "pppoe/log.h"
#include "pppoe/ppp_int.h"
#include "pppoe/wire.h"

static inline struct ipcp *ipcp_of(struct fsm *f)
{
	return container_of(f, struct ipcp, fsm);
}

static inline struct ppp *ppp_of(struct fsm *f)
{
	return f->owner;
}

/* ipcp_addr - an address option value, kept in network byte order */
static uint32_t ipcp_addr(const uint8_t *p)
{
	uint32_t a;

	memcpy(&a, p, sizeof(a));
	return a;
}

static void ipcp_resetci(struct fsm *f)
{
	struct ipcp *ipcp = ipcp_of(f);
	struct ppp *ppp = ppp_of(f);

	ipcp->ask_addr = true;
	ipcp->ask_dns1 = ppp->conf->want_dns;
	ipcp->ask_dns2 = ppp->conf->want_dns;
	ipcp->addr = 0;
	ipcp->dns1 = 0;
	ipcp->dns2 = 0;
}

static int ipcp_addci(struct fsm *f, uint8_t *buf, size_t cap)
{
	struct ipcp *ipcp = ipcp_of(f);
	struct cp_buf b;

	cp_buf_opts(&b, buf, cap);
	if (ipcp->ask_addr)
		cp_put_opt(&b, IPCP_OPT_ADDR, &ipcp->addr, 4);
	if (ipcp->ask_dns1)
		cp_put_opt(&b, IPCP_OPT_DNS1, &ipcp->dns1, 4);
	if (ipcp->ask_dns2)
		cp_put_opt(&b, IPCP_OPT_DNS2, &ipcp->dns2, 4);
	return cp_finish(&b);
}

/* ipcp_nakci - the AC tells us our address and DNS servers */
static int ipcp_nakci(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipcp *ipcp = ipcp_of(f);
	struct cp_opt_iter it;
	struct cp_opt o;
	uint32_t a;
	int r;

	if (cp_opts_valid(opts, len))
		return -EINVAL;
	cp_opt_iter_init(&it, opts, len);
	while ((r = cp_opt_next(&it, &o)) > 0) {
		if (o.vlen != 4)
			continue;
		a = ipcp_addr(o.val);
		switch (o.type) {
		case IPCP_OPT_ADDR:
			if (ipcp->ask_addr && a)
				ipcp->addr = a;
			break;
		case IPCP_OPT_DNS1:
			if (ipcp->ask_dns1)
				ipcp->dns1 = a;
			break;
		case IPCP_OPT_DNS2:
			if (ipcp->ask_dns2)
				ipcp->dns2 = a;
			break;
		default:
			/* Hints for options we do not want. */
			break;
		}
	}
	return r;
}

/* ipcp_rejci - stop asking for what the AC rejected */
static int ipcp_rejci(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipcp *ipcp = ipcp_of(f);
	struct cp_opt_iter it;
	struct cp_opt o;
	int r;

	if (cp_opts_valid(opts, len))
		return -EINVAL;
	cp_opt_iter_init(&it, opts, len);
	while ((r = cp_opt_next(&it, &o)) > 0) {
		if (!(o.type == IPCP_OPT_ADDR && ipcp->ask_addr) &&
		    !(o.type == IPCP_OPT_DNS1 && ipcp->ask_dns1) &&
		    !(o.type == IPCP_OPT_DNS2 && ipcp->ask_dns2))
			return -EINVAL;
	}
	cp_opt_iter_init(&it, opts, len);
	while ((r = cp_opt_next(&it, &o)) > 0) {
		switch (o.type) {
		case IPCP_OPT_ADDR:
			sl_warn(f->label, "IPCP: peer rejects IP-Address");
			ipcp->ask_addr = false;
			break;
		case IPCP_OPT_DNS1:
			sl_info(f->label, "IPCP: peer rejects Primary-DNS, not asking again");
			ipcp->ask_dns1 = false;
			ipcp->dns1 = 0;
			break;
		default:
			sl_info(f->label, "IPCP: peer rejects Secondary-DNS, not asking again");
			ipcp->ask_dns2 = false;
			ipcp->dns2 = 0;
			break;
		}
	}
	return r;
}

/* ipcp_reqci - judge the AC's Configure-Request; we only Ack or Reject */
static int ipcp_reqci(struct fsm *f, const uint8_t *opts, size_t len, uint8_t *out,
		      size_t outcap, size_t *outlen, bool reject_if_disagree)
{
	struct ipcp *ipcp = ipcp_of(f);
	struct cp_buf rej;
	struct cp_opt_iter it;
	struct cp_opt o;
	uint32_t peer = 0;
	int r, code;

	if (cp_opts_valid(opts, len))
		return -EINVAL;
	cp_buf_opts(&rej, out, outcap);
	cp_opt_iter_init(&it, opts, len);
	while ((r = cp_opt_next(&it, &o)) > 0) {
		if (o.type == IPCP_OPT_ADDR && o.vlen == 4 && ipcp_addr(o.val)) {
			peer = ipcp_addr(o.val);
			continue;
		}
		cp_put(&rej, o.val - CP_OPT_HDR_LEN, o.len);
	}
	if (r < 0)
		return -EINVAL;
	code = cp_conf_verdict(&rej, NULL, opts, len);
	if (code < 0)
		return code;
	*outlen = rej.len;
	if (code == CP_CONF_ACK)
		ipcp->peer_addr = peer;
	return code;
}

/* ipcp_up - this-layer-up: hand the agreed addresses to the owner */
static void ipcp_up(struct fsm *f)
{
	struct ipcp *ipcp = ipcp_of(f);
	struct ppp *ppp = ppp_of(f);
	char l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN], d1[INET_ADDRSTRLEN], d2[INET_ADDRSTRLEN];
	uint16_t mtu;

	if (!ipcp->addr) {
		ppp_fail(ppp, PPP_R_NEG_FAIL, "IPCP opened without an address for us");
		return;
	}
	/* Send no more than the peer takes, expect no more than we asked. */
	mtu = ppp->lcp.mru < ppp->lcp.peer_mru ? ppp->lcp.mru : ppp->lcp.peer_mru;
	if (mtu > ppp_mru_limit(ppp))
		mtu = ppp_mru_limit(ppp);
	if (mtu > ppp_conf_mtu(ppp->conf)) /* mtu: the most we send */
		mtu = ppp_conf_mtu(ppp->conf);
	ppp->net.local = ipcp->addr;
	ppp->net.peer = ipcp->peer_addr;
	ppp->net.dns1 = ipcp->ask_dns1 ? ipcp->dns1 : 0;
	ppp->net.dns2 = ipcp->ask_dns2 ? ipcp->dns2 : 0;
	ppp->net.mtu = mtu;
	ppp->net_up = true;
	inet_ntop(AF_INET, &ppp->net.local, l, sizeof(l));
	inet_ntop(AF_INET, &ppp->net.peer, p, sizeof(p));
	inet_ntop(AF_INET, &ppp->net.dns1, d1, sizeof(d1));
	inet_ntop(AF_INET, &ppp->net.dns2, d2, sizeof(d2));
	sl_info(ppp->label, "IPCP up: local %s peer %s dns %s %s mtu %u", l, p, d1, d2, mtu);
	if (ppp->ops->network_up)
		ppp->ops->network_up(ppp, &ppp->net);
}

static void ipcp_down(struct fsm *f)
{
	struct ppp *ppp = ppp_of(f);

	if (!ppp->net_up)
		return;
	ppp->net_up = false;
	sl_info(ppp->label, "IPCP down");
	if (ppp->ops->network_down)
		ppp->ops->network_down(ppp);
}

static void ipcp_finished(struct fsm *f)
{
	ppp_ipcp_finished(ppp_of(f));
}

const struct fsm_callbacks ipcp_callbacks = {
	.name = "IPCP",
	.proto = PPP_IPCP,
	.resetci = ipcp_resetci,
	.addci = ipcp_addci,
	.nakci = ipcp_nakci,
	.rejci = ipcp_rejci,
	.reqci = ipcp_reqci,
	.up = ipcp_up,
	.down = ipcp_down,
	.finished = ipcp_finished,
};

void ipcp_init(struct ppp *ppp)
{
	memset(&ppp->ipcp, 0, sizeof(ppp->ipcp));
	fsm_init(&ppp->ipcp.fsm, &ipcp_callbacks, ppp, ppp_send, ppp->wheel, ppp->label);
}
