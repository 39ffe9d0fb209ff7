/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipcp.h - IP Control Protocol (RFC 1332) with the DNS options of
 * RFC 1877, client side: we ask for an address and DNS servers.
 */
#ifndef PPPOE_IPCP_H
#define PPPOE_IPCP_H

#include <stdbool.h>
#include <stdint.h>

#include "pppoe/fsm.h"

enum ipcp_opt {
	IPCP_OPT_ADDRS = 1,      /* deprecated IP-Addresses */
	IPCP_OPT_COMP = 2,       /* IP-Compression-Protocol */
	IPCP_OPT_ADDR = 3,       /* IP-Address */
	IPCP_OPT_DNS1 = 129,     /* Primary DNS (RFC 1877) */
	IPCP_OPT_NBNS1 = 130,
	IPCP_OPT_DNS2 = 131,     /* Secondary DNS */
	IPCP_OPT_NBNS2 = 132,
};

struct ppp;

/* Addresses are kept in network byte order, as in struct ppp_net. */
struct ipcp {
	struct fsm fsm;
	bool ask_addr;
	bool ask_dns1;
	bool ask_dns2;
	uint32_t addr;           /* our address: 0 until the peer Naks one */
	uint32_t dns1;
	uint32_t dns2;
	uint32_t peer_addr;      /* from the peer's Configure-Request */
};

/* ipcp_init - set up the IPCP FSM of @ppp (called by ppp_init) */
void ipcp_init(struct ppp *ppp);

extern const struct fsm_callbacks ipcp_callbacks;

#endif
