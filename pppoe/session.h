/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * session.h - one PPPoE client session: discovery, then a PPP link, then
 * redial with backoff when it fails. Pure protocol code like the rest of
 * pppoe/: frames leave through ops->output, the network interface is set
 * up and torn down by the owner through ops->net_up/net_down.
 */
#ifndef PPPOE_SESSION_H
#define PPPOE_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "pppoe/discovery.h"
#include "pppoe/ppp.h"
#include "pppoe/timer.h"

#define SESSION_NAME_MAX 64
#define SESSION_IFNAME_MAX 16 /* IFNAMSIZ */
#define SESSION_SECRET_MAX 256
#define SESSION_HOST_UNIQ_LEN 8 /* index (4) + nonce (4); see session_host_uniq_index */

enum session_mac_mode {
	SESSION_MAC_AUTO,      /* derived from the session name (stable) */
	SESSION_MAC_INTERFACE, /* the NIC's own address */
	SESSION_MAC_FIXED,     /* mac = XX:XX:... */
};

/* Everything the config file says about one session. */
struct session_conf {
	char name[SESSION_NAME_MAX];
	char ifname[SESSION_IFNAME_MAX];
	char user[SESSION_SECRET_MAX];
	char password[SESSION_SECRET_MAX];
	char service[SESSION_SECRET_MAX];
	char ac_name[SESSION_SECRET_MAX];
	bool has_ac_name;
	enum session_mac_mode mac_mode;
	uint8_t mac[6];
	struct pppoe_vlan vlan;    /* the tags every frame carries; ntags 0: untagged */
	unsigned int holdoff;      /* s, first redial delay */
	unsigned int holdoff_max;  /* s, cap of the backoff */
	unsigned int maxfail;      /* consecutive failures before giving up, 0 = never */
	struct disc_conf disc;
	struct ppp_conf ppp;
};

enum session_state {
	SESS_IDLE,        /* administratively down */
	SESS_QUEUED,      /* waiting for the owner's dial pacing */
	SESS_DISCOVERY,   /* PADI/PADR */
	SESS_PPP,         /* LCP, authentication, IPCP */
	SESS_UP,          /* IPCP opened, interface configured */
	SESS_TERMINATING, /* LCP Terminate in progress */
	SESS_HOLDOFF,     /* waiting to redial */
	SESS_FAILED,      /* maxfail reached */
};

struct session;

/* Setup progress, for the owner's setup window (src/setup.h). */
enum session_setup_ev {
	SESSION_SETUP_BEGIN,     /* a dial starts: its PADI goes out */
	SESSION_SETUP_OK,        /* IPCP opened: setup complete */
	SESSION_SETUP_FAILED,    /* the attempt ended without reaching the network */
	SESSION_SETUP_PADO_LATE, /* a PADI went unanswered: sending another */
	SESSION_SETUP_PADS_LATE, /* a PADR went unanswered: sending another */
	SESSION_SETUP_LCP_LATE,  /* after PADS, LCP Configure-Requests go unanswered */
	SESSION_SETUP_EXPIRED,   /* still in setup after SESSION_SETUP_SLOT_MS: the
				  * attempt goes on, but no longer counts as in setup */
};

/* A setup that has not ended after this long gives its place in the owner's
 * setup window back (an AC that answers PADO and never PADS, or patience
 * with a very slow one, must not hold the window for ever). */
#define SESSION_SETUP_SLOT_MS 120000
/* A session lost after being up this long redials without a holdoff. */
#define SESSION_FAST_REDIAL_MIN_UP_MS 30000

struct session_ops {
	/* Send one complete Ethernet frame. */
	int (*output)(struct session *s, const uint8_t *frame, size_t len);
	/* IPCP opened / closed: configure or unconfigure the interface. */
	void (*net_up)(struct session *s, const struct ppp_net *net);
	void (*net_down)(struct session *s);
	/* The PPPoE session id is assigned / released (owner's lookup table). */
	void (*bound)(struct session *s);
	void (*unbound)(struct session *s);
	/* Optional dial pacing: the session wants to send a PADI. The owner
	 * calls session_dial_go() when it may; dial_cancel() withdraws the
	 * request. Without dial_request the session dials at once. With it, a
	 * session lost after it was up, or refused with a PADS error, redials
	 * without a holdoff the first time (the pacing spreads the redials). */
	void (*dial_request)(struct session *s);
	void (*dial_cancel)(struct session *s);
	/* Optional: setup progress. BEGIN is followed by exactly one of OK,
	 * FAILED or EXPIRED; the LATE events come in between. */
	void (*setup)(struct session *s, enum session_setup_ev ev);
	/* Optional: is this session's AC (s->disc.ac_mac) known to be alive
	 * and working, e.g. other sessions of it progressing? LCP then keeps
	 * waiting past Max-Configure for a peer that is slow to start. */
	bool (*ac_alive)(struct session *s);
	/* Optional: an LCP Echo-Reply from this session's AC is overdue. */
	void (*echo_missed)(struct session *s);
	/* Optional: did this session's AC send a PPP control frame on any of
	 * the owner's sessions at or after @since_ms? */
	bool (*ac_heard_since)(struct session *s, uint64_t since_ms);
};

struct session_stats {
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
	uint64_t rx_dropped, tx_dropped;
};

struct session {
	const struct session_conf *conf;
	const struct session_ops *ops;
	void *ctx;                  /* owner */
	struct tw_wheel *wheel;
	char label[SESSION_NAME_MAX + SESSION_IFNAME_MAX + 2]; /* "name/ifname" */

	enum session_state state;
	bool admin_up;              /* dial, and redial after failures */
	bool bound;                 /* session id is in the owner's table */
	uint8_t mac[6];             /* our MAC for this session */
	uint32_t index;             /* owner's index, carried in Host-Uniq */
	unsigned int lower_mtu;     /* the Ethernet interface's MTU, 0 = 1500 */
	unsigned int mtu_warned;    /* interface MTU last reported too small for conf mtu */

	struct disc disc;
	struct ppp ppp;
	struct tw_timer holdoff_timer;

	bool in_setup;              /* between SESSION_SETUP_BEGIN and OK/FAILED */
	uint64_t setup_start_ms;    /* wheel time of BEGIN */
	struct tw_timer setup_timer; /* SESSION_SETUP_SLOT_MS after BEGIN */
	bool attempt_up;            /* the network came up in this attempt */
	bool redial_fast;           /* the next redial skips the holdoff (first failure) */
	unsigned int lcp_patience;  /* rounds of Max-Configure granted past the first */
	unsigned int failures;      /* consecutive, reset when network comes up */
	unsigned int redials;       /* total dials after the first */
	unsigned int dials;
	uint64_t up_since_ms;       /* wheel time of the last network up */
	uint32_t rng;               /* xorshift state for backoff jitter */
	struct session_stats stats;
	char last_error[128];
};

/* What a session in the network phase needs to carry on after the owner
 * restarts (crash, upgrade): the PPPoE session and the negotiated link. */
struct session_resume {
	uint8_t ac_mac[6];
	uint16_t session_id;
	char ac_name[DISC_MAX_TAG + 1];
	struct ppp_resume ppp;      /* last_rx_ms in this wheel's time */
	uint64_t up_since_ms;       /* wheel time the network came up */
};

void session_init(struct session *s, const struct session_conf *conf,
		  const struct session_ops *ops, struct tw_wheel *wheel,
		  const uint8_t mac[6], uint32_t index, void *ctx);
/* session_start - admin up: dial now */
void session_start(struct session *s);
/* session_stop - admin down: Terminate-Request and PADT, no redial */
void session_stop(struct session *s, const char *why);
/* session_abort - tear down at once (shutdown deadline): PADT, no waiting */
void session_abort(struct session *s, const char *why);
/* session_redial - drop the session (if any) and dial again now */
void session_redial(struct session *s, const char *why);
/*
 * session_rx - one received frame for this session, decoded once by
 * disc_rx_decode() into @f and, for discovery, @p (NULL for a session
 * frame). Control packets go to discovery or PPP; returns 1 and sets
 * @ip/@iplen when the frame carries an IPv4 datagram for the interface.
 */
struct pppoe_frame;
int session_rx(struct session *s, const struct pppoe_frame *f, const struct disc_pkt *p,
	       const uint8_t **ip, size_t *iplen);
/*
 * session_host_uniq_index - the session index carried by a Host-Uniq of
 * ours (see session_dial_now: 4 bytes of index, then a 4-byte nonce per
 * dial). 0 and @index set, or -ENOENT when @p has no Host-Uniq of that
 * layout. The owner looks the session up by it; the session itself then
 * checks the whole value, nonce included.
 */
int session_host_uniq_index(const struct disc_pkt *p, uint32_t *index);
/* session_link_up - the interface is back: a session waiting out its
 * holdoff dials now (failures are kept, so backoff still grows) */
void session_link_up(struct session *s);
/* session_set_mac - dial from @mac from now on; call only while quiet */
void session_set_mac(struct session *s, const uint8_t mac[6]);
/* session_mru_limit - the largest PPP frame the interface carries now */
unsigned int session_mru_limit(const struct session *s, uint16_t max_payload);
/* session_dial_go - the owner's pacing lets a queued session dial now */
void session_dial_go(struct session *s);
/* session_probe - another session of our AC missed an echo: check ours now */
bool session_probe(struct session *s);
/*
 * session_resume - an idle session carries on where an earlier run left
 * it: bound to its PPPoE session, the network up (ops->net_up is not
 * called: the owner's interface kept its configuration), an Echo-Request
 * on its way to confirm the AC still holds it. If the AC does not answer,
 * the link fails like any echo timeout: PADT, then a dial as usual.
 * 0, or -EBUSY (not idle) / -EINVAL (values that cannot be a session).
 */
int session_resume(struct session *s, const struct session_resume *r);
/* session_resume_get - what session_resume needs, of an up session; false
 * if it is not up (it cannot be resumed, only ended with a PADT) */
bool session_resume_get(const struct session *s, struct session_resume *r);
/*
 * session_quiesce - stop every timer of the session (discovery, LCP, IPCP,
 * echoes, authentication, holdoff, setup) and leave the pacer, sending
 * nothing and calling no op but dial_cancel: the owner exits and leaves
 * the PPPoE session up for the next run (stop --keep). Take what
 * session_resume_get reports first.
 */
void session_quiesce(struct session *s);
/* session_is_quiet - no PPPoE session on the wire and none being set up */
bool session_is_quiet(const struct session *s);
const char *session_state_name(enum session_state st);

#endif
