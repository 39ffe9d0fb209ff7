/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ppp_int.h - the phase machine's hooks for its sublayers (lcp.c, auth.c,
 * ipcp.c). Not for the session code: it uses ppp.h only.
 */
#ifndef PPPOE_PPP_INT_H
#define PPPOE_PPP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe/ppp.h"
#include "pppoe/wire.h"

/* ppp_send - fsm/auth send function: hand one packet to ops->output */
int ppp_send(void *owner, uint16_t proto, const uint8_t *data, size_t len);
/* ppp_fail - take the link down for @why (first reason wins) */
void ppp_fail(struct ppp *ppp, enum ppp_reason why, const char *msg);
/* LCP this-layer-up/down/finished, as seen by the phase machine */
void ppp_lcp_up(struct ppp *ppp);
void ppp_lcp_down(struct ppp *ppp);
void ppp_lcp_finished(struct ppp *ppp);
/* ppp_auth_done - the peer accepted (@ok) or refused us */
void ppp_auth_done(struct ppp *ppp, bool ok);
/* ppp_ipcp_finished - IPCP gave up */
void ppp_ipcp_finished(struct ppp *ppp);

/* ppp_mru_limit - largest MRU the lower layer carries */
static inline uint16_t ppp_mru_limit(const struct ppp *ppp)
{
	return ppp->peer_mru_limit ? ppp->peer_mru_limit : PPPOE_MRU;
}

#endif
