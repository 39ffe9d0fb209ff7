/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lcp.h - PPP Link Control Protocol (RFC 1661) for a PPPoE client
 * (RFC 2516 section 7): MRU, Magic-Number, the peer's choice of
 * Authentication-Protocol, echoes for link supervision.
 */
#ifndef PPPOE_LCP_H
#define PPPOE_LCP_H

#include <stdbool.h>
#include <stdint.h>

#include "pppoe/fsm.h"
#include "pppoe/timer.h"

/* LCP Configuration Option types (RFC 1661 6, RFC 1570, RFC 1990). */
enum lcp_opt {
	LCP_OPT_MRU = 1,
	LCP_OPT_ACCM = 2,
	LCP_OPT_AUTH = 3,
	LCP_OPT_QUALITY = 4,
	LCP_OPT_MAGIC = 5,
	LCP_OPT_PFC = 7,
	LCP_OPT_ACFC = 8,
	LCP_OPT_FCS_ALT = 9,
};

#define LCP_DEFAULT_MRU 1500  /* RFC 1661: what applies if MRU is not negotiated */
#define LCP_MIN_MRU 128       /* smaller peer MRUs are Nak'd up to this */
#define LCP_LOOPBACK_FAIL 5   /* own magic seen this often: looped back */
#define LCP_ECHO_PROBE_MS 2000 /* default: Echo-Reply due within, and probe interval */
#define LCP_CONFIRM_FAILURE 3  /* resumed link, lcp_echo_failure = 0: unanswered
				* confirmation echoes that end it */
/* echo_failure echoes unanswered while the peer answers on other links: a
 * busy peer (an AC forking pppds for other sessions); keep probing up to
 * this long after the first unanswered echo before declaring the link dead */
#define LCP_ECHO_BUSY_MAX_MS 60000
#define CHAP_MD5 5            /* CHAP algorithm number (RFC 1994) */

struct ppp;

struct lcp {
	struct fsm fsm;

	/* Our side of the negotiation. */
	uint16_t want_mru;       /* MRU we ask for (clamped to the lower layer) */
	bool ask_mru;            /* peer has not rejected MRU */
	bool ask_magic;          /* peer has not rejected Magic-Number */
	uint32_t magic;          /* our Magic-Number, 0 when not negotiated */
	uint16_t mru;            /* MRU the peer acked: what we receive */

	/* The peer's side (committed when we Ack its request). */
	uint16_t peer_mru;       /* what we may send, 1500 if it did not say */
	uint32_t peer_magic;
	uint16_t auth_proto;     /* PPP_PAP, PPP_CHAP or 0: how we must authenticate */
	uint8_t chap_alg;        /* CHAP_MD5 or CHAP_MSCHAPV2 */
	/* The last authentication protocol of the peer's we Nak'd (not ours
	 * to do, or not what conf->auth allows), 0 if none or the peer then
	 * agreed to one we do: a Terminate-Request after it is an
	 * authentication failure, not a peer's whim. */
	uint16_t auth_refused;
	uint8_t auth_refused_alg;
	unsigned int loop_seen;  /* Configure-Requests carrying our own magic */
	bool looped;             /* loop_seen reached LCP_LOOPBACK_FAIL */

	/* Echo supervision (RFC 1661 5.8). */
	struct tw_timer echo_timer;
	unsigned int echo_pending; /* Echo-Requests sent since the last Reply */
	uint8_t echo_id;
	uint64_t echo_sent_ms;
	uint64_t echo_first_ms;  /* the first unanswered echo of the current run */
	unsigned int rx_echo_req;
	unsigned int rx_echo_rep;
	bool confirming;         /* resumed link not yet answered: no busy-peer grace */

	uint64_t rng;            /* xorshift64 state for magic numbers */

	/* Link bookkeeping of the phase machine (lives here so ppp.h stays
	 * as the lead wrote it): true from ppp_open() until dead(). */
	bool active;
};

/* lcp_init - set up the LCP FSM of @ppp (called by ppp_init) */
void lcp_init(struct ppp *ppp);
/* lcp_start - fresh negotiation values for a new link (called by ppp_open) */
void lcp_start(struct ppp *ppp);
/* lcp_magic_next - next nonzero pseudo-random magic number */
uint32_t lcp_magic_next(struct lcp *lcp);
/* lcp_echo_stop - stop link supervision */
void lcp_echo_stop(struct ppp *ppp);
/* lcp_echo_confirm - resumed link: echoes on, one sent now; echo_failure
 * unanswered ones (no busy-peer grace) fail the link */
void lcp_echo_confirm(struct ppp *ppp);
/* lcp_echo_probe - send an Echo-Request now unless one is out or the peer
 * was heard within the probe time (another session of the AC missed one);
 * true if it was sent */
bool lcp_echo_probe(struct ppp *ppp);
/* lcp_send_protrej - Protocol-Reject a packet of @proto (LCP must be Opened) */
int lcp_send_protrej(struct ppp *ppp, uint16_t proto, const uint8_t *data, size_t len);

extern const struct fsm_callbacks lcp_callbacks;

#endif
