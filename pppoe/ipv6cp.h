/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipv6cp.h - IPv6 Control Protocol (RFC 5072), client side: one more user
 * of the RFC 1661 automaton (fsm.c), like IPCP. It negotiates the
 * Interface-Identifier each end forms its link-local address from.
 */
#ifndef PPPOE_IPV6CP_H
#define PPPOE_IPV6CP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe/fsm.h"

enum ipv6cp_opt {
	IPV6CP_OPT_IID = 1,      /* Interface-Identifier (RFC 5072 4.1) */
	IPV6CP_OPT_COMP = 2,     /* IPv6-Compression-Protocol: we do none */
};

#define IPV6CP_IID_LEN 8

struct ppp;

struct ipv6cp {
	struct fsm fsm;
	uint8_t pref_iid[IPV6CP_IID_LEN]; /* our tentative identifier, stable per session
					   * name (set by the owner, never zero) */
	uint8_t iid[IPV6CP_IID_LEN];      /* what we ask for now / agreed */
	uint8_t peer_iid[IPV6CP_IID_LEN]; /* the peer's, from its request; zero if it sent none */
	bool ask_iid;                     /* the peer has not rejected the option */
	unsigned int naks_of_ours;        /* Naks of our identifier this negotiation */
	bool protrej;                     /* the peer Protocol-Rejected IPv6CP */
};

/* ipv6cp_init - set up the IPv6CP FSM of @ppp (called by ppp_init) */
void ipv6cp_init(struct ppp *ppp);

/*
 * ipv6cp_iid_from_name - a stable, non-zero Interface-Identifier for the
 * session called @name (FNV-1a 64 of the name, the universal/local bit
 * cleared: RFC 4291 appendix A, it is not derived from an IEEE address),
 * so every dial of the session presents the same link-local address.
 */
void ipv6cp_iid_from_name(const char *name, uint8_t iid[IPV6CP_IID_LEN]);

/* ipv6cp_iid_is_zero - all eight bytes zero */
bool ipv6cp_iid_is_zero(const uint8_t iid[IPV6CP_IID_LEN]);

extern const struct fsm_callbacks ipv6cp_callbacks;

#endif
