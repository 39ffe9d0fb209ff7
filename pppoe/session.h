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

#include "pppoe/dhcp6.h"
#include "pppoe/discovery.h"
#include "pppoe/ip6.h"
#include "pppoe/nd.h"
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

/* dhcpv6 = auto | yes | no (with ipv6 = yes), see session_dhcp6_event */
enum session_dhcp6_mode {
	SESSION_DHCP6_AUTO, /* after the first RA: IA_NA if it says M or O, IA_PD always */
	SESSION_DHCP6_YES,  /* as soon as IPv6 is up: IA_NA and IA_PD */
	SESSION_DHCP6_NO,
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
	enum session_dhcp6_mode dhcpv6;
	bool dhcpv6_pd;            /* ask for a delegated prefix (IA_PD) */
	unsigned int dhcpv6_pd_len; /* its prefix length hint, 0 = none */
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

/* ---- IPv6 (conf.ppp.ipv6) ---------------------------------------------
 *
 * IPv6 is on the interface while IPCP *and* IPv6CP are Opened (the network
 * phase stays IPCP's): then s->v6.up, the owner's net6_up has run, and a
 * Router Solicitation goes out (RFC 4861: up to ND_RS_MAX, ND_RS_INTERVAL_MS
 * apart, until an RA arrives). Each valid RA (nd_ra_parse) is consumed by
 * the session, never written to the interface: its /64 prefixes with the A
 * flag give SLAAC addresses prefix + our Interface-Identifier (RFC 4862,
 * lifetimes by 5.5.3 e), its router lifetime the default router. The owner
 * is told through net6_addr / net6_router and expires nothing itself: the
 * session's expiry timer does, on the wheel.
 */
#define SESSION_V6_MAX_ADDRS 4
#define SESSION_V6_TWO_HOURS 7200 /* RFC 4862 5.5.3 e) */

/* One SLAAC address. Lifetimes in s as last applied; ND_INFINITE = for ever. */
struct session_v6_addr {
	uint8_t addr[16];
	uint8_t plen;               /* 64 */
	uint32_t valid, preferred;
	uint64_t valid_until_ms;    /* wheel time; UINT64_MAX for ever */
	uint64_t preferred_until_ms;
};

struct session_v6 {
	bool up;                    /* IPv6 on the interface (IPCP and IPv6CP Opened) */
	uint8_t local[16];          /* our link-local, fe80::IID */
	uint8_t peer[16];           /* the AC's, from IPv6CP (:: if it sent no IID) */
	unsigned int rs_sent;       /* Router Solicitations this time up */
	struct tw_timer rs_timer;
	struct tw_timer expire_timer;
	/* What the AC's last RA said; the DHCPv6 client reads these. */
	bool ra_seen;
	bool ra_managed;            /* M flag */
	bool ra_other;              /* O flag */
	uint8_t router[16];         /* the AC's link-local, the RA's source */
	uint16_t router_lifetime;   /* s, from the last RA */
	uint64_t router_until_ms;   /* wheel time the default route expires */
	bool router_set;            /* the owner has the default route */
	uint32_t ra_mtu;            /* MTU option, 0 if none */
	unsigned int nrdnss;
	uint8_t rdnss[ND_MAX_RDNSS][16];
	unsigned int naddr;
	struct session_v6_addr addr[SESSION_V6_MAX_ADDRS];
	/* Counters. */
	uint64_t tx_rs, rx_ra, rx_ra_bad, slaac_ignored;
	uint64_t tx_dropped;        /* IPv6 from the interface while IPv6CP is not Opened */
};

/* Events the DHCPv6 client (session_dhcp6_event) hears about. */
enum session_dhcp6_ev {
	SESSION_DHCP6_V6_UP,        /* IPv6 on the interface: link-local usable */
	SESSION_DHCP6_RA,           /* an RA arrived: s->v6.ra_managed/ra_other/router */
	SESSION_DHCP6_V6_DOWN,      /* IPv6CP or the session went down */
};

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
	/* Optional (ipv6): IPv6 on / off the interface: enable it with the
	 * link-local s->v6.local (peer s->v6.peer), or remove every IPv6
	 * address, route and rule of the session and disable it. */
	void (*net6_up)(struct session *s);
	void (*net6_down)(struct session *s);
	/* Optional (ipv6): add or refresh (@add, with a->valid/preferred) or
	 * remove a SLAAC address (and its source rule). */
	void (*net6_addr)(struct session *s, const struct session_v6_addr *a, bool add);
	/* Optional (ipv6): the default route via s->v6.router, add/replace or
	 * remove. */
	void (*net6_router)(struct session *s, bool add);
	/* Optional (DHCPv6): the addresses/prefixes the client holds changed
	 * or were renewed (re-install them all: routes after every Renew and
	 * Rebind); an empty lease removes everything it had given
	 * (DHCP6_LEASE_STOPPED: because IPv6 or the session goes down). */
	void (*dhcp6_lease)(struct session *s, const struct dhcp6_lease *l,
			    enum dhcp6_lease_ev ev);
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
	struct session_v6 v6;
	struct dhcp6 dhcp6;         /* the DHCPv6 client (pppoe/session_dhcp6.c) */
	struct tw_timer dhcp6_wait; /* dhcpv6 = auto: how long to wait for an RA */
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
 * @ip/@iplen when the frame carries an IPv4 or IPv6 datagram for the
 * interface. IPv6 the session consumes itself (Router Advertisements, and
 * DHCPv6 to the client's port 546, see session_dhcp6_rx) returns 0.
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

/* session_ip6_ok - may IPv6 datagrams flow (IPv6 on the interface)? */
static inline bool session_ip6_ok(const struct session *s)
{
	return s->v6.up;
}

/*
 * ---- hook points for the DHCPv6 client (RFC 8415) ----------------------
 *
 * session_send_ip6 - send one whole IPv6 packet (e.g. from ip6_udp_build,
 * source s->v6.local) to the AC as PPP protocol 0x0057. 0, -ENOTCONN
 * unless IPv6 is up (s->v6.up), -EMSGSIZE if it exceeds the link's MTU.
 */
int session_send_ip6(struct session *s, const uint8_t *pkt, size_t len);
/*
 * session_dhcp6_rx - a checked UDP datagram to port 546 addressed to us
 * (our link-local, a SLAAC address of ours, or ff02::1:2 / ff02::1) that
 * arrived from the AC: consumed here, never written to the interface.
 * DHCPv6 CLIENT: replace the body (pppoe/session.c); a no-op until then.
 */
void session_dhcp6_rx(struct session *s, const struct ip6_udp *u);
/*
 * session_dhcp6_event - IPv6 came up (the link-local is usable), an RA
 * arrived (s->v6.ra_managed, ra_other and router are current) or IPv6 went
 * down (the session dropped, IPv6CP closed, a redial). DHCPv6 CLIENT:
 * replace the body (pppoe/session.c); a no-op until then.
 */
void session_dhcp6_event(struct session *s, enum session_dhcp6_ev ev);

/* session_dhcp6_init - the client, once, from session_init */
void session_dhcp6_init(struct session *s);
/* session_dhcp6_stop - stop the client; @release sends a Release first (an
 * admin stop). The owner's lease goes (dhcp6_lease with an empty lease)
 * unless @quiet (session_quiesce: nothing may be called). */
void session_dhcp6_stop(struct session *s, bool release, bool quiet);

/* session6_* - the IPv6 side of a session (pppoe/session6.c), for session.c */
void session6_init(struct session *s);
void session6_start(struct session *s);
void session6_stop(struct session *s);
/* What session6_rx would do with an IPv6 datagram, without doing it (reads @s only) */
enum session6_rx_kind {
	SESSION6_RX_DATA,	/* for the interface */
	SESSION6_RX_CONTROL,	/* consumed: an RA, a DHCPv6 message to one of our addresses */
	SESSION6_RX_BAD_RA,	/* an invalid RA: dropped and counted (rx_ra_bad) */
};
enum session6_rx_kind session6_rx_kind(const struct session *s, const uint8_t *pkt, size_t len);
/* session6_rx - an IPv6 datagram from the AC: 1 for the interface, 0 consumed */
int session6_rx(struct session *s, const uint8_t *pkt, size_t len);

#endif
