/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ppp_fuzz.h - a stateful driver for the PPP fuzz targets. The input is
 * a list of records [selector, length (2 bytes, big endian), bytes]; a
 * selector feeds a packet of some protocol, moves the fake clock, acks or
 * naks our outstanding request with the right identifier (so the fuzzer
 * can get past the identifier checks), or closes/reopens the link.
 *
 * The oracle: every packet the link sends must be a well-formed control
 * packet whose Length is its size, never larger than the lower layer
 * allows; network_up() must carry an address and a sane MTU; dead() comes
 * at most once per ppp_open().
 */
#ifndef PPPOE_TEST_PPP_FUZZ_H
#define PPPOE_TEST_PPP_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/cp.h"
#include "pppoe/log.h"
#include "pppoe/ppp.h"
#include "pppoe/wire.h"

enum pf_start {
	PF_START_ESTABLISH,  /* LCP Req-Sent */
	PF_START_NETWORK,    /* LCP Opened without auth, IPCP Req-Sent */
	PF_START_PAP,        /* LCP Opened, PAP request out */
	PF_START_CHAP,       /* LCP Opened, waiting for a Challenge */
	PF_START_MSCHAP,     /* the same with MS-CHAPv2 */
	PF_START_NETWORK6,   /* PF_START_NETWORK with ipv6: IPCP and IPv6CP Req-Sent;
			      * the NCP selectors (Ack, Nak/Reject, right id) act on IPv6CP */
};

static struct {
	struct tw_wheel wheel;
	struct ppp ppp;
	struct ppp_conf conf;
	unsigned int opens, deads;
	uint16_t limit;
	size_t in_len;          /* largest packet fed so far */
} pf;

static void pf_check(int ok)
{
	if (!ok)
		abort();
}

static int pf_output(struct ppp *ppp, uint16_t proto, const uint8_t *data, size_t len)
{
	struct cp_pkt p;

	/* Never above the lower layer, except for answers that copy what the
	 * peer sent (an Ack of an oversized request). */
	pf_check(len <= pf.limit || len <= pf.in_len);
	pf_check(cp_decode(data, len, &p) == 0);
	pf_check(p.len == len);
	if (proto == PPP_LCP || proto == PPP_IPCP || proto == PPP_IPV6CP) {
		if (p.code >= CP_CONF_REQ && p.code <= CP_CONF_REJ)
			pf_check(cp_opts_valid(p.data, p.dlen) == 0);
	}
	return 0;
}

static void pf_up(struct ppp *ppp, const struct ppp_net *net)
{
	pf_check(ppp_ip_ok(ppp));
	pf_check(net->local != 0);
	pf_check(net->mtu >= 128 && net->mtu <= pf.limit);
}

static void pf_down(struct ppp *ppp)
{
	pf_check(!ppp_ip_ok(ppp));
}

/* IPv6CP up: both link-locals fe80::/64 with our identifier never zero */
static void pf_up6(struct ppp *ppp, const struct ppp_net6 *n)
{
	static const uint8_t zero[8];

	pf_check(ppp_ip6_ok(ppp));
	pf_check(ppp->conf->ipv6);
	pf_check(n->local[0] == 0xfe && n->local[1] == 0x80);
	pf_check(memcmp(n->local_iid, zero, 8) != 0);
	pf_check(memcmp(n->local + 8, n->local_iid, 8) == 0);
}

static void pf_down6(struct ppp *ppp)
{
	pf_check(!ppp_ip6_ok(ppp));
}

static void pf_dead(struct ppp *ppp, enum ppp_reason why)
{
	pf.deads++;
	pf_check(pf.deads <= pf.opens);
	pf_check(why != PPP_R_NONE);
	pf_check(!ppp_ip_ok(ppp));
}

static const struct ppp_ops pf_ops = {
	.output = pf_output,
	.network_up = pf_up,
	.network_down = pf_down,
	.network6_up = pf_up6,
	.network6_down = pf_down6,
	.dead = pf_dead,
};

static void pf_send(uint16_t proto, const uint8_t *d, size_t len)
{
	/* An exact-size heap copy so ASan sees reads past the packet. */
	uint8_t *copy = malloc(len ? len : 1);

	if (!copy)
		abort();
	if (len > pf.in_len)
		pf.in_len = len;
	if (len)
		memcpy(copy, d, len);
	ppp_input(&pf.ppp, proto, copy, len);
	free(copy);
}

/* pf_reply - answer our outstanding request of @f with @code and @opts */
static void pf_reply(struct fsm *f, uint16_t proto, uint8_t code, const uint8_t *opts,
		     size_t len)
{
	uint8_t buf[CP_MAX_PKT];
	struct cp_buf b;
	int n;

	cp_buf_init(&b, buf, sizeof(buf), code, f->reqid);
	cp_put(&b, opts, len);
	n = cp_finish(&b);
	if (n > 0)
		pf_send(proto, buf, (size_t)n);
}

static void pf_open(void)
{
	pf.opens++;
	ppp_open(&pf.ppp, pf.limit);
}

static void pf_start(enum pf_start start)
{
	static const uint8_t req_none[] = { 0x01, 0x01, 0x00, 0x04 };
	static const uint8_t req_pap[] = { 0x01, 0x01, 0x00, 0x08, 0x03, 0x04, 0xc0, 0x23 };
	static const uint8_t req_chap[] = { 0x01, 0x01, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23,
					    0x05 };
	static const uint8_t req_mschap[] = { 0x01, 0x01, 0x00, 0x09, 0x03, 0x05, 0xc2, 0x23,
					      0x81 };

	pf_open();
	switch (start) {
	case PF_START_NETWORK:
	case PF_START_NETWORK6:
		pf_send(PPP_LCP, req_none, sizeof(req_none));
		break;
	case PF_START_PAP:
		pf_send(PPP_LCP, req_pap, sizeof(req_pap));
		break;
	case PF_START_CHAP:
		pf_send(PPP_LCP, req_chap, sizeof(req_chap));
		break;
	case PF_START_MSCHAP:
		pf_send(PPP_LCP, req_mschap, sizeof(req_mschap));
		break;
	default:
		return;
	}
	pf_reply(&pf.ppp.lcp.fsm, PPP_LCP, CP_CONF_ACK, pf.ppp.lcp.fsm.req,
		 pf.ppp.lcp.fsm.reqlen);
}

/* pf_run - one fuzz input: a config byte, then records */
static int pf_run(const uint8_t *data, size_t size, enum pf_start start)
{
	static const uint16_t protos[] = { PPP_LCP, PPP_PAP, PPP_CHAP, PPP_IPCP, PPP_IPV6CP };
	uint8_t cfg = size ? data[0] : 0;
	size_t off = 1;
	struct fsm *ncp;
	uint16_t ncp_proto;

	log_threshold = getenv("PPP_FUZZ_DEBUG") ? LOG_LVL_DEBUG : LOG_LVL_ERR;
	memset(&pf, 0, sizeof(pf));
	pf.conf.user = "user";
	pf.conf.password = "pass";
	pf.conf.want_dns = cfg & 1;
	pf.conf.echo_interval = cfg & 2 ? 1 : 0;
	pf.conf.echo_failure = cfg & 4 ? 2 : 0;
	pf.conf.mru = cfg & 8 ? 1500 : 0;
	pf.conf.max_configure = cfg & 16 ? 2 : 0;
	pf.conf.max_failure = cfg & 16 ? 1 : 0;
	pf.limit = cfg & 32 ? 1500 : 1492;
	pf.conf.restart_ms = 100;
	pf.conf.auth_timeout_ms = 100;
	pf.conf.auth_tries = 3;
	/* LCP's fuzzing: the top two config bits pick auth = auto, pap, chap
	 * or mschapv2 (the auth target uses them to pick the protocol). */
	if (start == PF_START_ESTABLISH)
		pf.conf.auth = (enum ppp_auth_pref)(cfg >> 6);
	tw_init(&pf.wheel, 1000);
	ppp_init(&pf.ppp, &pf.conf, &pf_ops, &pf.wheel, "fuzz/ppp0", NULL);
	pf.ppp.lcp.rng = 0x0123456789abcdefULL;
	pf.conf.ipv6 = start == PF_START_NETWORK6;
	ncp = start == PF_START_NETWORK6 ? &pf.ppp.ipv6cp.fsm : &pf.ppp.ipcp.fsm;
	ncp_proto = start == PF_START_NETWORK6 ? PPP_IPV6CP : PPP_IPCP;
	pf_start(start);

	while (off + 3 <= size) {
		uint8_t sel = data[off];
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];
		const uint8_t *p = data + off + 3;
		uint8_t buf[CP_MAX_PKT + 4];

		off += 3;
		if (len > size - off)
			len = size - off;
		off += len;
		switch (sel % 16) {
		case 0: case 1: case 2: case 3: case 4:
			pf_send(protos[sel % 16], p, len);
			break;
		case 5:
			if (len >= 2)
				pf_send(cp_get_u16(p), p + 2, len - 2);
			break;
		case 6:
			tw_advance(&pf.wheel, pf.wheel.now + (len ? p[0] : 1) * 50ULL);
			break;
		case 7:
			pf_reply(&pf.ppp.lcp.fsm, PPP_LCP, CP_CONF_ACK, pf.ppp.lcp.fsm.req,
				 pf.ppp.lcp.fsm.reqlen);
			break;
		case 8:
			pf_reply(ncp, ncp_proto, CP_CONF_ACK, ncp->req, ncp->reqlen);
			break;
		case 9:
			ppp_close(&pf.ppp, "fuzz");
			break;
		case 10:
			ppp_lowerdown(&pf.ppp);
			pf_open();
			break;
		case 11:
			pf_reply(&pf.ppp.lcp.fsm, PPP_LCP, sel & 0x10 ? CP_CONF_REJ : CP_CONF_NAK,
				 p, len);
			break;
		case 12:
			pf_reply(ncp, ncp_proto, sel & 0x10 ? CP_CONF_REJ : CP_CONF_NAK, p, len);
			break;
		case 13:
		case 14:
		case 15:
			/* the packet with the identifier the link expects */
			if (len < 2 || len > sizeof(buf))
				break;
			memcpy(buf, p, len);
			buf[1] = sel % 16 == 13 ? pf.ppp.lcp.fsm.reqid :
				 sel % 16 == 14 ? ncp->reqid : pf.ppp.auth.id;
			pf_send(sel % 16 == 13 ? PPP_LCP : sel % 16 == 14 ? ncp_proto :
				pf.ppp.auth.proto ? pf.ppp.auth.proto : PPP_CHAP, buf, len);
			break;
		}
	}
	/* The session ends: dead() exactly once per open from here on. */
	ppp_lowerdown(&pf.ppp);
	pf_check(pf.deads == pf.opens);
	pf_check(!ppp_ip6_ok(&pf.ppp) && !tw_pending(&pf.ppp.ipv6cp.fsm.timer));
	pf_check(!tw_pending(&pf.ppp.lcp.fsm.timer) && !tw_pending(&pf.ppp.ipcp.fsm.timer) &&
		 !tw_pending(&pf.ppp.auth.timer) && !tw_pending(&pf.ppp.lcp.echo_timer));
	return 0;
}

#endif
