/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ppp.h - one PPP link over a PPPoE session: LCP, then PAP, CHAP-MD5 or
 * MS-CHAPv2 if the peer asks, then IPCP (RFC 1661 phases). Pure protocol
 * code: packets leave through ops->output, timers come from the shared
 * wheel, results are reported through ops callbacks. Nothing here is
 * global; a daemon holds thousands.
 */
#ifndef PPPOE_PPP_H
#define PPPOE_PPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe/timer.h"
#include "pppoe/fsm.h"
#include "pppoe/lcp.h"
#include "pppoe/ipcp.h"
#include "pppoe/ipv6cp.h"
#include "pppoe/auth.h"

enum ppp_phase {
	PPP_PHASE_DEAD,
	PPP_PHASE_ESTABLISH,
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,
	PPP_PHASE_TERMINATE,
};

/* Why the link went (or is going) down. */
enum ppp_reason {
	PPP_R_NONE,
	PPP_R_ADMIN,        /* we closed it (shutdown, CLI) */
	PPP_R_PEER_TERM,    /* peer sent Terminate-Request */
	PPP_R_AUTH_FAIL,    /* PAP/CHAP failure or timeout */
	PPP_R_ECHO_TIMEOUT, /* lcp_echo_failure echoes unanswered */
	PPP_R_NEG_FAIL,     /* Max-Configure/Max-Failure exhausted, or IPCP failed */
	PPP_R_LOOPBACK,     /* magic-number loopback detected */
	PPP_R_LOWER_DOWN,   /* PPPoE session lost (PADT) */
};

struct ppp_conf {
	const char *user;
	const char *password;     /* never logged */
	uint16_t mru;             /* MRU we ask for; default mtu */
	uint16_t mtu;             /* largest PPP payload wanted, 0 = 1492; above
				   * 1492 it is asked for with PPP-Max-Payload
				   * (RFC 4638) and used only if the AC agrees */
	unsigned int restart_ms;  /* RFC 1661 restart timer, default 3000 */
	unsigned int max_configure;  /* default 10 */
	unsigned int max_terminate;  /* default 2 */
	unsigned int max_failure;    /* default 5 */
	unsigned int echo_interval;  /* seconds between LCP echoes, 0 = off */
	unsigned int echo_failure;   /* unanswered echoes before the link is dead */
	unsigned int echo_probe_ms;  /* an Echo-Reply is due within this, and a missed one
				      * is followed by echoes this far apart; default 2000 */
	bool echo_adaptive;          /* any frame from the peer counts as an answer */
	unsigned int restart_backoff_ms; /* LCP, IPCP: cap of the restart timer backoff
					  * while the peer is silent; 0 = 4 * restart_ms */
	unsigned int auth_timeout_ms; /* PAP retransmit / CHAP wait, default 3000 */
	unsigned int auth_tries;      /* PAP requests before failing, default 10 */
	bool want_dns;               /* ask for DNS (RFC 1877), default yes */
	enum ppp_auth_pref auth;     /* what the AC may ask us to authenticate with */
	bool ipv6;                   /* negotiate IPv6CP (RFC 5072) beside IPCP */
};

/* ppp_conf_mtu - the most @c sends: mtu, else 1492 */
static inline uint16_t ppp_conf_mtu(const struct ppp_conf *c)
{
	return c->mtu ? c->mtu : 1492;
}

/* ppp_conf_mru - the MRU @c asks for: mru, else mtu, else 1492 */
static inline uint16_t ppp_conf_mru(const struct ppp_conf *c)
{
	return c->mru ? c->mru : c->mtu ? c->mtu : 1492;
}

/* What IPCP agreed on; addresses in network byte order. */
struct ppp_net {
	uint32_t local;
	uint32_t peer;
	uint32_t dns1;
	uint32_t dns2;
	uint16_t mtu;   /* min(our MRU, peer MRU) */
};

/* What IPv6CP agreed on: the link-local addresses fe80::IID. */
struct ppp_net6 {
	uint8_t local_iid[8];
	uint8_t peer_iid[8];   /* zero when the peer sent none */
	uint8_t local[16];     /* fe80::local_iid */
	uint8_t peer[16];      /* fe80::peer_iid, or :: when unknown */
};

/* What a negotiated link needs to carry on after the owner restarts. */
struct ppp_resume {
	uint32_t magic, peer_magic;  /* LCP Magic-Numbers, ours and the peer's */
	uint16_t mru, peer_mru;      /* what we receive, what we may send */
	uint16_t max_payload;        /* largest MRU the lower layer carried, 0 = 1492 */
	uint16_t auth_proto;         /* PPP_PAP, PPP_CHAP or 0 */
	uint8_t chap_alg;            /* with PPP_CHAP: the algorithm agreed */
	struct ppp_net net;          /* what IPCP agreed */
	uint64_t last_rx_ms;         /* wheel time of the peer's last frame */
};

struct ppp;

struct ppp_ops {
	/* Send one PPP packet: protocol number + information field. */
	int (*output)(struct ppp *ppp, uint16_t proto, const uint8_t *data, size_t len);
	/* IPCP reached Opened: configure the interface. */
	void (*network_up)(struct ppp *ppp, const struct ppp_net *net);
	/* IPCP left Opened: unconfigure the interface. */
	void (*network_down)(struct ppp *ppp);
	/* Optional. IPv6CP reached / left Opened (the network phase stays
	 * IPCP's: these add and remove IPv6 on the same interface). */
	void (*network6_up)(struct ppp *ppp, const struct ppp_net6 *net6);
	void (*network6_down)(struct ppp *ppp);
	/* The link is dead (LCP finished): the owner sends PADT and decides
	 * whether to redial. Called once per ppp_open(). */
	void (*dead)(struct ppp *ppp, enum ppp_reason why);
	/* Optional. LCP Configure-Requests timed out @n times without a word
	 * from the peer. */
	void (*lcp_unanswered)(struct ppp *ppp, unsigned int n);
	/* Optional. Max-Configure is spent without a word from the peer:
	 * true keeps LCP trying (the owner knows the AC is alive). */
	bool (*lcp_patient)(struct ppp *ppp);
	/* Optional. An LCP Echo-Reply is overdue (the first miss of a run). */
	void (*echo_missed)(struct ppp *ppp);
	/* Optional. Has the peer shown life at or after @since_ms on another
	 * link of the owner's (its PPP side answering)? Then echoes missing on
	 * this link mean a busy peer, not a dead one, for a while longer. */
	bool (*peer_alive_since)(struct ppp *ppp, uint64_t since_ms);
	/* Optional. @len unpredictable bytes (MS-CHAPv2's peer challenge);
	 * without it, getrandom(). Tests plug in fixed values. */
	void (*random)(struct ppp *ppp, uint8_t *buf, size_t len);
};

struct ppp {
	const struct ppp_conf *conf;
	const struct ppp_ops *ops;
	void *ctx;            /* owner (the session) */
	const char *label;    /* "session/ifname" for logs */
	struct tw_wheel *wheel;

	enum ppp_phase phase;
	enum ppp_reason reason;  /* first reason the link started going down */
	uint16_t peer_mru_limit; /* highest MRU the lower layer allows (1492 or PPP-Max-Payload) */

	struct lcp lcp;
	struct auth auth;
	struct ipcp ipcp;
	struct ppp_net net;     /* valid while network is up */
	bool net_up;
	struct ipv6cp ipv6cp;   /* used with conf->ipv6 */
	struct ppp_net6 net6;   /* valid while net6_up */
	bool net6_up;           /* IPv6CP Opened: IPv6 datagrams may flow */
	bool ipv6_unavailable;  /* IPv6CP finished without opening on this link */

	uint64_t echo_rtt_us;   /* last LCP echo round trip, 0 if unknown */
	uint64_t last_rx_ms;    /* wheel time of the last frame from the peer (owner sets it) */
};

void ppp_init(struct ppp *ppp, const struct ppp_conf *conf, const struct ppp_ops *ops,
	      struct tw_wheel *wheel, const char *label, void *ctx);
/* ppp_open - the PPPoE session is up: start LCP (RFC 1661 Open + Up) */
void ppp_open(struct ppp *ppp, uint16_t max_payload);
/* ppp_input - one PPP packet received on this session (any protocol) */
void ppp_input(struct ppp *ppp, uint16_t proto, const uint8_t *data, size_t len);
/* ppp_resume - a link an earlier run negotiated, straight into the Network
 * phase (no network_up: the owner's interface is already configured); an
 * Echo-Request confirms it. -EBUSY on a live link, -EINVAL on bad values. */
int ppp_resume(struct ppp *ppp, const struct ppp_resume *r);
/* ppp_resume_get - the values ppp_resume needs, of a link in the Network
 * phase with IPCP up; false otherwise */
bool ppp_resume_get(const struct ppp *ppp, struct ppp_resume *r);
/* ppp_quiesce - stop every timer and forget the link, sending nothing and
 * calling no op: the owner is about to go away and leave the link to the
 * next run (stop --keep) */
void ppp_quiesce(struct ppp *ppp);
/* ppp_close - administrative close: Terminate-Request, dead() when done */
void ppp_close(struct ppp *ppp, const char *why);
/* ppp_lowerdown - the PPPoE session is gone: stop at once, dead() follows */
void ppp_lowerdown(struct ppp *ppp);
/* ppp_ip_ok - may IPv4 datagrams flow (IPCP Opened)? */
static inline bool ppp_ip_ok(const struct ppp *ppp)
{
	return ppp->net_up;
}
/* ppp_ip6_ok - may IPv6 datagrams flow (IPv6CP Opened)? */
static inline bool ppp_ip6_ok(const struct ppp *ppp)
{
	return ppp->net6_up;
}
const char *ppp_phase_name(enum ppp_phase p);
const char *ppp_reason_name(enum ppp_reason r);

#endif
