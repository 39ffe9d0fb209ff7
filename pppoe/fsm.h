/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fsm.h - the RFC 1661 option negotiation automaton, written once and
 * shared by LCP and IPCP through a per-protocol callbacks table.
 *
 * One function per RFC event, each a switch over the ten states. An FSM
 * knows its owner (the session's struct ppp), its own restart timer on the
 * shared wheel and a send function; nothing is global.
 */
#ifndef PPPOE_FSM_H
#define PPPOE_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe/timer.h"
#include "pppoe/util.h"


/* Largest option list we send in one Configure-Request. */
#define FSM_MAX_OPTS 64

#define FSM_DEF_RESTART_MS 3000
#define FSM_DEF_MAX_CONFIGURE 10
#define FSM_DEF_MAX_TERMINATE 2
#define FSM_DEF_MAX_FAILURE 5

enum fsm_state {
	FSM_INITIAL,
	FSM_STARTING,
	FSM_CLOSED,
	FSM_STOPPED,
	FSM_CLOSING,
	FSM_STOPPING,
	FSM_REQ_SENT,
	FSM_ACK_RCVD,
	FSM_ACK_SENT,
	FSM_OPENED,
};

struct fsm;

/* What a protocol plugs into the automaton. NULL hooks are skipped. */
struct fsm_callbacks {
	const char *name;   /* "LCP", "IPCP": used in log lines */
	uint16_t proto;     /* PPP protocol number of its packets */

	/* Reset our wanted options before a fresh negotiation. */
	void (*resetci)(struct fsm *f);
	/* Write our option list into @buf; return its length or -errno. */
	int (*addci)(struct fsm *f, uint8_t *buf, size_t cap);
	/* The peer acked our request (the FSM checked it is an exact copy). */
	void (*ackci)(struct fsm *f, const uint8_t *opts, size_t len);
	/* The peer nak'd / rejected options of our request: adjust what we
	 * ask for next. 0, or -EINVAL for a bogus reply (discarded). */
	int (*nakci)(struct fsm *f, const uint8_t *opts, size_t len);
	int (*rejci)(struct fsm *f, const uint8_t *opts, size_t len);
	/* Judge the peer's Configure-Request: write the reply options into
	 * @out (cap @outcap), set *@outlen, return CP_CONF_ACK, CP_CONF_NAK
	 * or CP_CONF_REJ, or -EINVAL to discard a malformed request. With
	 * @reject_if_disagree (Max-Failure reached) Naks must become Rejects. */
	int (*reqci)(struct fsm *f, const uint8_t *opts, size_t len, uint8_t *out,
		     size_t outcap, size_t *outlen, bool reject_if_disagree);

	void (*up)(struct fsm *f);       /* this-layer-up */
	void (*down)(struct fsm *f);     /* this-layer-down */
	void (*starting)(struct fsm *f); /* this-layer-started */
	void (*finished)(struct fsm *f); /* this-layer-finished: f may be
					  * reset by the owner, the FSM does
					  * not touch it afterwards */

	/* Codes beyond 1-7 (LCP: Protocol-Reject, Echo, Discard). Return 0
	 * when handled, -EOPNOTSUPP to have the FSM send a Code-Reject. */
	int (*extcode)(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data,
		       size_t len);
	/* The peer Code-Rejected a code we can live without (RXJ+). */
	void (*coderej)(struct fsm *f, uint8_t code);

	/* The restart timer expired on a Configure-Request and nothing at
	 * all has come from the peer since the lower layer came up; @n such
	 * expiries so far. */
	void (*unanswered)(struct fsm *f, unsigned int n);
	/* Max-Configure is spent and the peer was never heard: return true to
	 * keep sending Configure-Requests for another Max-Configure (the
	 * owner knows the peer is alive, only slow to start). */
	bool (*patient)(struct fsm *f);
};

struct fsm {
	const struct fsm_callbacks *cb;
	void *owner;              /* the session's struct ppp */
	/* emit one packet of protocol @proto (PPP information field) */
	int (*send)(void *owner, uint16_t proto, const uint8_t *data, size_t len);
	struct tw_wheel *wheel;
	struct tw_timer timer;    /* restart timer */
	const char *label;        /* "session/ifname" */

	enum fsm_state state;
	uint8_t id;               /* last identifier we used */
	uint8_t reqid;            /* identifier of our outstanding Configure-Request */
	uint8_t termid;           /* identifier of our last Terminate-Request */
	bool reqid_valid;
	unsigned int restart;     /* RFC 1661 Restart counter */
	unsigned int nakloops;    /* Naks sent since our last Ack (Max-Failure) */
	unsigned int rnakloops;   /* Naks/Rejects received without an Ack */
	bool peer_term;           /* left Opened because of the peer's Terminate-Request */

	unsigned int restart_ms;
	unsigned int backoff_max_ms; /* 0: no backoff; else the restart interval doubles
				      * up to this while the peer has never been heard */
	unsigned int cur_restart_ms; /* the Configure-Request interval in use */
	bool heard;               /* a valid packet from the peer since lower Up */
	unsigned int unanswered;  /* restart expiries with the peer never heard */
	uint64_t last_scr_ms;     /* when our last Configure-Request went out */
	unsigned int max_configure;
	unsigned int max_terminate;
	unsigned int max_failure;
	uint16_t mtu;             /* largest packet the peer takes (Code-Reject truncation) */

	/* Our last Configure-Request options, to check the peer's Ack. */
	uint8_t req[FSM_MAX_OPTS];
	size_t reqlen;

	/* Counters, for the CLI and the tests. */
	unsigned int tx_confreq;
	unsigned int tx_termreq;
	unsigned int rx_discarded;
};

/* fsm_init - bind @f to protocol @cb, owner, send function and wheel; state Initial */
void fsm_init(struct fsm *f, const struct fsm_callbacks *cb, void *owner,
	      int (*send)(void *owner, uint16_t proto, const uint8_t *data, size_t len),
	      struct tw_wheel *wheel, const char *label);
/* fsm_set_limits - restart timer and counters; 0 picks the RFC default */
void fsm_set_limits(struct fsm *f, unsigned int restart_ms, unsigned int max_configure,
		    unsigned int max_terminate, unsigned int max_failure);
/*
 * fsm_set_backoff - while nothing has been heard from the peer since the
 * lower layer came up, double the Configure-Request interval after each
 * expiry up to @max_ms (0 = off). A peer that starts slowly, such as an AC
 * forking a pppd per session, is then not flooded, and the first packet
 * heard brings the interval back to restart_ms.
 */
void fsm_set_backoff(struct fsm *f, unsigned int max_ms);
/* fsm_reset - back to Initial with the timer stopped, no actions (reuse) */
void fsm_reset(struct fsm *f);

/* fsm_resume_opened - straight to Opened, no actions: a link an earlier run
 * negotiated and the peer still holds (see ppp_resume) */
void fsm_resume_opened(struct fsm *f);

/* RFC 1661 administrative and lower-layer events */
void fsm_open(struct fsm *f);
void fsm_close(struct fsm *f);
void fsm_lowerup(struct fsm *f);
void fsm_lowerdown(struct fsm *f);

/* fsm_input - one received packet of this protocol (header included) */
void fsm_input(struct fsm *f, const uint8_t *data, size_t len);

/* Receive events, called by fsm_input; exposed for LCP and the tests. */
void fsm_rconfreq(struct fsm *f, uint8_t id, const uint8_t *opts, size_t len);
void fsm_rconfack(struct fsm *f, uint8_t id, const uint8_t *opts, size_t len);
void fsm_rconfnakrej(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *opts,
		     size_t len);
void fsm_rtermreq(struct fsm *f, uint8_t id, const uint8_t *data, size_t len);
void fsm_rtermack(struct fsm *f, uint8_t id);
void fsm_rcoderej(struct fsm *f, const uint8_t *data, size_t len);
/* fsm_protreject - the peer Protocol-Rejected this protocol (RXJ-) */
void fsm_protreject(struct fsm *f);

/* fsm_sdata - send one packet of this protocol: header + @data */
int fsm_sdata(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);
/* fsm_next_id - a fresh identifier for packets outside the automaton (echo) */
uint8_t fsm_next_id(struct fsm *f);

const char *fsm_state_name(enum fsm_state s);

#endif
