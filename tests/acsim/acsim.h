/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acsim.h - a scriptable PPPoE access concentrator for tests.
 *
 * Pure like pppoe/: Ethernet frames come in through acsim_input(), go out
 * through conf->output, time comes from a shared timer wheel. It answers
 * discovery (RFC 2516), runs LCP (RFC 1661), PAP (RFC 1334), CHAP-MD5
 * (RFC 1994) or MS-CHAPv2 (RFC 2759) as the authenticator and IPCP (RFC
 * 1332, DNS from RFC 1877), with conf.ipv6 also IPv6CP (RFC 5072) and
 * Router Advertisements answering Router Solicitations (RFC 4861), and then
 * passes IPv4 and IPv6 datagrams. Many sessions at once, keyed by (client
 * MAC, session id).
 *
 * Its PPP side is written independently of the client's pppoe/fsm.c,
 * lcp.c, ipcp.c, auth.c and cp.c on purpose: an AC built on the client's
 * own codec would agree with the client's bugs. Only the framing
 * (pppoe/wire.h) and the discovery tag codec are shared.
 *
 * Misbehaviour is scripted through ac->knobs (plain fields a test sets at
 * any time) and the acsim_send_*()/acsim_inject*() functions. Counters in
 * ac->stats (per packet kind, both directions) let a test assert what the
 * client sent.
 */
#ifndef PPPOE_TESTS_ACSIM_H
#define PPPOE_TESTS_ACSIM_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe/timer.h"
#include "pppoe/wire.h"

#define ACSIM_FOREVER UINT_MAX      /* drop_tx/drop_rx: every packet, not just N */
#define ACSIM_MAX_SESSIONS 65534    /* session ids 1..0xfffe */
#define ACSIM_TAG_MAX 64            /* Host-Uniq / Relay-Session-Id kept per session */
#define ACSIM_IP_MAX 1500
#define ACSIM_OPTS_MAX 64           /* our own Configure-Request options */
#define ACSIM_DELAY_MAX 128         /* frames held back by knobs.delay_tx_ms */

/* Build a host-order IPv4 address: ACSIM_IP4(10, 64, 0, 1). */
#define ACSIM_IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/*
 * Every kind of packet either side may send. Counters and drop knobs are
 * indexed by it. Control protocol kinds follow the code numbers, so
 * ACSIM_LCP_CONFREQ + code - 1 is the kind of an LCP packet of @code.
 */
enum acsim_pkt {
	ACSIM_OTHER = 0, /* unknown protocol, code or discovery code */
	ACSIM_PADI,
	ACSIM_PADO,
	ACSIM_PADR,
	ACSIM_PADS,
	ACSIM_PADT,
	ACSIM_LCP_CONFREQ, /* LCP codes 1..11 */
	ACSIM_LCP_CONFACK,
	ACSIM_LCP_CONFNAK,
	ACSIM_LCP_CONFREJ,
	ACSIM_LCP_TERMREQ,
	ACSIM_LCP_TERMACK,
	ACSIM_LCP_CODEREJ,
	ACSIM_LCP_PROTREJ,
	ACSIM_LCP_ECHOREQ,
	ACSIM_LCP_ECHOREP,
	ACSIM_LCP_DISCREQ,
	ACSIM_PAP_REQ, /* PAP codes 1..3 */
	ACSIM_PAP_ACK,
	ACSIM_PAP_NAK,
	ACSIM_CHAP_CHALLENGE, /* CHAP codes 1..4 */
	ACSIM_CHAP_RESPONSE,
	ACSIM_CHAP_SUCCESS,
	ACSIM_CHAP_FAILURE,
	ACSIM_IPCP_CONFREQ, /* IPCP codes 1..7 */
	ACSIM_IPCP_CONFACK,
	ACSIM_IPCP_CONFNAK,
	ACSIM_IPCP_CONFREJ,
	ACSIM_IPCP_TERMREQ,
	ACSIM_IPCP_TERMACK,
	ACSIM_IPCP_CODEREJ,
	ACSIM_IP,
	ACSIM_IPV6CP_CONFREQ, /* IPv6CP codes 1..7 */
	ACSIM_IPV6CP_CONFACK,
	ACSIM_IPV6CP_CONFNAK,
	ACSIM_IPV6CP_CONFREJ,
	ACSIM_IPV6CP_TERMREQ,
	ACSIM_IPV6CP_TERMACK,
	ACSIM_IPV6CP_CODEREJ,
	ACSIM_IP6,
	ACSIM_PKT_MAX
};

enum acsim_auth {
	ACSIM_AUTH_NONE,
	ACSIM_AUTH_PAP,
	ACSIM_AUTH_CHAP, /* CHAP with MD5 */
	ACSIM_AUTH_MSCHAPV2,
};
#define ACSIM_AUTH_BIT(a) (1u << (a)) /* for acsim_conf.auth_also */

/* A reduced RFC 1661 automaton: enough states to be a strict peer. */
enum acsim_cp_state {
	ACSIM_CP_INITIAL,  /* not started (IPCP: not in the network phase yet) */
	ACSIM_CP_REQ_SENT,
	ACSIM_CP_ACK_RCVD,
	ACSIM_CP_ACK_SENT,
	ACSIM_CP_OPENED,
	ACSIM_CP_CLOSING,  /* our Terminate-Request is out */
	ACSIM_CP_STOPPED,  /* the client terminated; a Configure-Request restarts */
};

enum acsim_auth_state {
	ACSIM_AS_IDLE,     /* LCP not opened yet */
	ACSIM_AS_WAIT,     /* PAP: waiting for a request; CHAP: challenge out */
	ACSIM_AS_OK,
	ACSIM_AS_FAILED,
};

struct acsim;
struct acsim_sess;
struct acsim_delayed;

struct acsim_user {
	const char *name;
	const char *password;
};

struct acsim_conf {
	uint8_t mac[6];
	/* The VLAN(s) this AC serves (ntags 0: untagged): frames on any other
	 * VLAN are not for it (stats.rx_other_vlan), its own carry these tags. */
	struct pppoe_vlan vlan;
	const char *ac_name;
	const char *service;        /* "" or NULL: serve any Service-Name */
	enum acsim_auth auth;       /* what we ask for */
	/* ACSIM_AUTH_BIT()s of what we also take when the client Naks ours
	 * with it (0: we insist, and end the link on a Nak) */
	unsigned int auth_also;
	const struct acsim_user *users;
	unsigned int n_users;
	uint16_t mru;               /* our MRU, and the most we let the client ask */
	/* RFC 4638: a PPP-Max-Payload above 1492 in PADI/PADR is echoed in
	 * PADO/PADS, capped at this, and that session's MRUs may go up to it;
	 * 0 = ignore the tag, like an AC without RFC 4638 */
	uint16_t max_payload;
	uint32_t local_ip;          /* host order, as every address here */
	uint32_t pool_start;
	unsigned int pool_size;
	uint32_t dns1, dns2;        /* 0: Reject that option */
	unsigned int max_sessions;
	unsigned int restart_ms;    /* Configure-Request, Terminate-Request, Challenge */
	unsigned int max_configure;
	unsigned int max_terminate;
	unsigned int echo_interval_ms; /* our own Echo-Requests, 0 = none */
	uint64_t seed;              /* magic numbers, challenges, cookie secret */
	bool answer_ping;           /* answer ICMP Echo to any address, as "the network" */
	/* Optional: the network behind the AC. IPv4 from clients goes here
	 * (not answered); acsim_ip_in() carries the other way. Called from
	 * inside acsim_input(): queue or write, do not call back into acsim. */
	int (*ip_out)(void *ctx, const uint8_t *ip, size_t len);
	/* IPv6: IPv6CP (RFC 5072), then an RA (RFC 4861) for each Router
	 * Solicitation: the /64 prefix ipv6_prefix with bytes 6-7 replaced by
	 * the session id (2001:db8:64:SID::/64 by default), from
	 * fe80::ipv6_iid. Without it IPv6CP is Protocol-Rejected, as pppd
	 * without +ipv6 does. */
	bool ipv6;
	uint8_t ipv6_prefix[8];
	uint8_t ipv6_iid[8];
	uint32_t ra_valid, ra_preferred; /* s, the prefix's lifetimes */
	uint16_t ra_lifetime;       /* s, router lifetime */
	bool ra_managed, ra_other;  /* M and O flags */
	/* A minimal DHCPv6 server (RFC 8415) on port 547 of each session with
	 * IPv6, written apart from the client's pppoe/dhcp6*.c: Solicit gets
	 * an Advertise, Request/Renew/Rebind a Reply, Release a Reply. The
	 * client's DUID picks its binding N (1..ACSIM_D6_MAX, kept across
	 * sessions, so a redial gets the same lease): IA_NA 2001:db8:d6::N,
	 * IA_PD 2001:db8:d6:N00::/56, with these T1/T2 and lifetimes (s). */
	bool dhcp6;
	uint32_t d6_t1, d6_t2, d6_preferred, d6_valid;
	uint8_t d6_preference;      /* Preference option in Advertise, 0 = none */

	/* Send one Ethernet frame. Called from inside acsim_input() and the
	 * timers: queue it, do not call back into acsim from here. */
	int (*output)(void *ctx, const uint8_t *frame, size_t len);
	void *ctx;
};

/*
 * Misbehaviour. Zero means "behave". A test flips fields at any time;
 * acsim reads them at the moment a packet is handled.
 */
struct acsim_knobs {
	/* Lose the next N packets of a kind (ACSIM_FOREVER: all of them).
	 * drop_tx: packets acsim would send; drop_rx: packets from clients,
	 * counted in stats.rx but otherwise ignored. */
	unsigned int drop_tx[ACSIM_PKT_MAX];
	unsigned int drop_rx[ACSIM_PKT_MAX];

	bool auth_reject;           /* refuse every PAP/CHAP attempt */
	/* MS-CHAPv2 Success with a wrong authenticator response (one bit
	 * off), or with none at all ("M=Access granted" alone) */
	bool mschap_bad_s;
	bool mschap_no_s;
	/* pppd told to require a protocol the client Naks: drop the option
	 * from our requests, let LCP open, then end the link with "peer
	 * refused to authenticate" (instead of ending it on the Nak) */
	bool auth_drop_on_nak;
	uint16_t pads_error_tag;    /* PADS carries this error tag, session id 0 */
	bool pads_session_zero;     /* PADS with session id 0 and no error tag */
	bool no_cookie_check;       /* accept a PADR without our AC-Cookie */
	bool lcp_passive;           /* wait for the client's LCP request first */
	bool lcp_nak_loop;          /* Nak every LCP request (Magic-Number) */
	bool ipcp_nak_loop;         /* Nak every IPCP request (a new address each time) */
	uint16_t lcp_nak_mru;       /* Nak the client's MRU unless it is this value */
	bool lcp_reject[256];       /* Reject these LCP options of the client */
	bool ipcp_reject[256];      /* Reject these IPCP options of the client */
	bool padt_unknown_session;  /* answer session frames for no session with PADT */
	bool no_padt_after_term;    /* our Terminate-Request acked: keep the session */

	/* Hold every packet of a kind acsim sends for N ms before it goes
	 * out (after drop_tx; stats.tx counts it when it leaves). Order
	 * within a kind is kept, also when the knob changes; at most
	 * ACSIM_DELAY_MAX frames wait, more are dropped (tx_delay_overflow).
	 * Held frames are on the wire: acsim_restart() does not recall them. */
	unsigned int delay_tx_ms[ACSIM_PKT_MAX];
	/* Answer only every Nth PADI this AC receives (from anyone); the
	 * others are counted in padi_throttled. 0 or 1: answer them all. */
	unsigned int padi_every;
	bool echo_silent;           /* never answer LCP Echo-Requests (echo_ignored) */
	/* PADO carries this error tag (TAG_SERVICE_NAME_ERROR,
	 * TAG_AC_SYSTEM_ERROR or TAG_GENERIC_ERROR) with a message, besides
	 * the usual AC-Name and cookie. 0: none. */
	uint16_t pado_error_tag;
	/* Whenever our LCP reaches Opened, renegotiate one timer tick later
	 * with a fresh Configure-Request: a peer that loops forever. */
	bool lcp_confreq_loop;
	/* A looped-back line: every LCP packet of the client on a session is
	 * sent straight back to it unchanged (its own Configure-Request,
	 * magic number included); our own LCP stays silent. */
	bool loopback;
	/* An AC that forks a pppd per session, one after the other: the PPP
	 * side of each new session starts this many ms after the previous
	 * one's (so the wait grows with the number starting at once); until
	 * it starts, the session's frames go nowhere (stats.rx_unspawned). */
	unsigned int spawn_ms;
	bool ipv6cp_protrej;        /* Protocol-Reject IPv6CP even with conf.ipv6 */
	bool ipv6cp_silent;         /* ignore IPv6CP packets (an AC that never answers) */
	bool ra_silent;             /* answer no Router Solicitation */
	bool ipv6cp_nak_iid;        /* Nak every client Interface-Identifier, suggesting one */
	bool d6_silent;             /* answer no DHCPv6 message */
	bool d6_ignore_renew;       /* answer no Renew: the client has to Rebind */
	bool d6_nobinding;          /* NoBinding for IA_PD in the next Renew/Rebind Reply */
	bool d6_no_addrs;           /* NoAddrsAvail for every IA_NA */
};

struct acsim_stats {
	unsigned int rx[ACSIM_PKT_MAX];  /* frames from clients addressed to us */
	unsigned int tx[ACSIM_PKT_MAX];  /* frames handed to conf->output */
	unsigned int rx_dropped[ACSIM_PKT_MAX];
	unsigned int tx_dropped[ACSIM_PKT_MAX];
	unsigned int rx_bad;             /* malformed */
	unsigned int rx_not_ours;        /* unicast to another MAC */
	unsigned int rx_other_vlan;      /* PPPoE on a VLAN (or untagged) we do not serve */
	unsigned int rx_no_session;      /* session frame or PADT for no session */
	unsigned int rx_discarded;       /* well formed but not acceptable now */
	unsigned int bad_cookie;
	unsigned int sessions_created;
	unsigned int sessions_freed;
	unsigned int auth_ok;
	unsigned int auth_fail;
	unsigned int ipcp_up;            /* times a session reached IPCP Opened */
	unsigned int tx_delayed[ACSIM_PKT_MAX]; /* held back by delay_tx_ms */
	unsigned int tx_delay_overflow;  /* delay queue full: dropped (also in tx_dropped) */
	unsigned int padi_throttled;     /* PADIs left unanswered by padi_every */
	unsigned int echo_ignored;       /* Echo-Requests left unanswered by echo_silent */
	unsigned int lcp_loops;          /* renegotiations started by lcp_confreq_loop */
	unsigned int looped_back;        /* LCP packets reflected by loopback */
	unsigned int rx_unspawned;       /* session frames before the PPP side started */
	unsigned int ipv6cp_up;          /* times a session reached IPv6CP Opened */
	unsigned int rx_rs;              /* Router Solicitations (valid) */
	unsigned int tx_ra;              /* Router Advertisements sent */
	unsigned int rx_ping6;           /* ICMPv6 Echo Requests answered */
	unsigned int rx_d6[14];          /* DHCPv6 messages by type (valid UDP) */
	unsigned int tx_d6[14];          /* DHCPv6 messages sent by type */
};

/* One control protocol of one session (LCP or IPCP). */
struct acsim_cp {
	struct acsim_sess *sess;
	uint16_t proto;
	enum acsim_cp_state state;
	uint8_t id;                 /* of our last Configure- or Terminate-Request */
	uint8_t req[ACSIM_OPTS_MAX]; /* options of our last Configure-Request */
	size_t req_len;
	unsigned int count;         /* requests sent since the last reset */
	struct tw_timer timer;
};

struct acsim_sess {
	struct acsim *ac;
	bool used;
	uint16_t sid;
	uint8_t mac[6];             /* the client's */
	uint8_t host_uniq[ACSIM_TAG_MAX];
	uint16_t host_uniq_len;
	bool has_host_uniq;
	uint8_t relay[ACSIM_TAG_MAX];
	uint16_t relay_len;
	bool has_relay;
	char service[ACSIM_TAG_MAX + 1];
	bool ppp_seen;              /* a session frame arrived: PADR retries are over */
	uint64_t ppp_ready_ms;      /* knobs.spawn_ms: the PPP side starts then */
	struct tw_timer spawn_timer;

	/* LCP */
	struct acsim_cp lcp;
	uint8_t next_id;
	uint32_t magic;             /* ours */
	uint32_t peer_magic;
	uint16_t peer_mru;          /* 0 until acked */
	uint16_t mru;               /* our MRU and the most the client may ask: conf.mru,
				     * or the PPP-Max-Payload agreed in discovery */
	bool ask_mru, ask_magic;
	unsigned int rx_echo_rep;
	unsigned int echo_pending;  /* our Echo-Requests without a Reply */
	struct tw_timer echo_timer;

	/* Authentication */
	enum acsim_auth auth;       /* what this session asks for now */
	bool auth_dropped;          /* knobs.auth_drop_on_nak happened */
	enum acsim_auth_state auth_state;
	uint8_t chap_id;
	uint8_t chap_challenge[16];
	unsigned int auth_count;
	struct tw_timer auth_timer;
	char user[ACSIM_TAG_MAX + 1];
	uint8_t ms_auth_resp[20];   /* MS-CHAPv2: what our Success carries */

	/* IPCP */
	struct acsim_cp ipcp;
	bool ask_addr;
	uint32_t peer_ip;           /* pool address for the client, 0 until needed */

	/* IPv6CP */
	struct acsim_cp ipv6cp;
	bool ask_iid;
	uint8_t client_iid[8];      /* what the client's acked request carried */
	uint8_t nak_iid[8];         /* knobs.ipv6cp_nak_iid: what we suggest */
	unsigned int rx_rs;

	/* Data */
	uint8_t last_ip[ACSIM_IP_MAX];
	size_t last_ip_len;
	unsigned int rx_ip;

	unsigned int rx[ACSIM_PKT_MAX]; /* this session's share of stats.rx */
};

#define ACSIM_D6_MAX 64

/* A DHCPv6 client known by its DUID: binding number = index + 1. */
struct acsim_d6bind {
	uint8_t duid[130];
	uint16_t len;
};

struct acsim {
	struct acsim_conf conf;
	struct acsim_knobs knobs;
	struct acsim_stats stats;
	struct tw_wheel *wheel;
	uint8_t mac[6];             /* current; acsim_set_mac() changes it */
	struct acsim_sess *sess;    /* [max_sessions], session id = index + 1 */
	unsigned int n_used;
	unsigned int next_slot;
	struct acsim_sess **pool_owner; /* [pool_size]: who holds each address, NULL = free */
	uint8_t cookie_secret[16];
	uint64_t rng;
	unsigned int padi_count;    /* PADIs seen, for knobs.padi_every */
	uint64_t spawn_free_ms;     /* knobs.spawn_ms: when the next PPP side may start */

	/* Frames held back by knobs.delay_tx_ms, released by delay_timer. */
	struct acsim_delayed *delayq; /* [ACSIM_DELAY_MAX] */
	unsigned int n_delayed;
	uint64_t delay_seq;
	uint64_t delay_last[ACSIM_PKT_MAX]; /* due time of the last held frame per kind */
	struct tw_timer delay_timer;
	struct acsim_d6bind d6bind[ACSIM_D6_MAX];
	unsigned int n_d6bind;
};

/* acsim_conf_default - 10.64.0.1, pool 10.64.0.100+, MRU 1492, PAP, no users */
void acsim_conf_default(struct acsim_conf *conf);
/* acsim_new - allocate an AC; @conf is copied. NULL on -ENOMEM/-EINVAL. */
struct acsim *acsim_new(const struct acsim_conf *conf, struct tw_wheel *wheel);
void acsim_free(struct acsim *ac);
/* acsim_input - one Ethernet frame from the wire (any EtherType) */
void acsim_input(struct acsim *ac, const uint8_t *frame, size_t len);

/* acsim_find - the session of client @mac with id @sid (0: the first one) */
struct acsim_sess *acsim_find(struct acsim *ac, const uint8_t mac[6], uint16_t sid);
struct acsim_sess *acsim_sess_by_id(struct acsim *ac, uint16_t sid);
/* acsim_sess_up6 - IPv6CP opened: IPv6 datagrams flow */
bool acsim_sess_up6(const struct acsim_sess *s);
/* acsim_send_ra - an unsolicited Router Advertisement on @s now, with router
 * lifetime @lifetime and the prefix's @valid/@preferred (IPv6CP opened) */
int acsim_send_ra(struct acsim_sess *s, uint16_t lifetime, uint32_t valid, uint32_t preferred);
/* acsim_d6_lease - the address and /56 prefix of DHCPv6 binding @n (1..) */
void acsim_d6_lease(unsigned int n, uint8_t addr[16], uint8_t prefix[16]);
/* acsim_sess_prefix - the /64 prefix @s is given (8 bytes) */
void acsim_sess_prefix(const struct acsim_sess *s, uint8_t out[8]);
/* acsim_sess_up - IPCP opened: datagrams flow */
bool acsim_sess_up(const struct acsim_sess *s);
unsigned int acsim_sessions(const struct acsim *ac);
unsigned int acsim_sessions_up(const struct acsim *ac);

/* ---- scripted actions ------------------------------------------------ */

/* acsim_send_padt - PADT (with @msg as Generic-Error if not NULL), forget @s */
int acsim_send_padt(struct acsim_sess *s, const char *msg);
/* acsim_send_termreq - LCP Terminate-Request now; PADT when it is acked */
int acsim_send_termreq(struct acsim_sess *s, const char *msg);
/* acsim_renegotiate - a fresh LCP Configure-Request on an opened link */
int acsim_renegotiate(struct acsim_sess *s);
/* acsim_ipcp_renegotiate - a fresh IPCP Configure-Request on an opened IPCP */
int acsim_ipcp_renegotiate(struct acsim_sess *s);
/* acsim_chap_rechallenge - a new CHAP Challenge on an authenticated link
 * (RFC 1994 allows it at any time); a wrong answer closes the link */
int acsim_chap_rechallenge(struct acsim_sess *s);
/* acsim_send_echo - one LCP Echo-Request (LCP must be opened) */
int acsim_send_echo(struct acsim_sess *s);
/* acsim_send_ip - one IPv4 datagram to the client (IPCP must be opened) */
int acsim_send_ip(struct acsim_sess *s, const uint8_t *ip, size_t len);
/* acsim_ip_in - an IPv4 datagram from the network for the client that holds
 * its destination address: sent, or -EHOSTUNREACH (no such client up),
 * -EPROTONOSUPPORT (not IPv4) */
int acsim_ip_in(struct acsim *ac, const uint8_t *ip, size_t len);
/* acsim_send_ppp - any PPP packet on the session, no state checks */
int acsim_send_ppp(struct acsim_sess *s, uint16_t proto, const uint8_t *data, size_t len);
/* acsim_inject - any frame, as is (counted in stats.tx, never dropped) */
int acsim_inject(struct acsim *ac, const uint8_t *frame, size_t len);
/* acsim_inject_padt - PADT from @src (NULL: our MAC) to @dst for @sid, no state change */
int acsim_inject_padt(struct acsim *ac, const uint8_t *src, const uint8_t dst[6],
		      uint16_t sid);
/* acsim_restart - forget every session without a word, as a rebooted AC */
void acsim_restart(struct acsim *ac);
/* acsim_set_mac - answer from (and only listen to) another MAC from now on */
void acsim_set_mac(struct acsim *ac, const uint8_t mac[6]);

/*
 * acsim's own MS-CHAPv2 arithmetic (RFC 2759 8), written apart from the
 * client's pppoe/mschapv2.c; the password is taken as pppd takes it, one
 * byte per UTF-16 unit. test_conformance checks it against RFC 2759 9.2.
 */
void acsim_mschapv2_nt_response(const uint8_t auth_chal[16], const uint8_t peer_chal[16],
				const char *user, const char *password, uint8_t out[24]);
void acsim_mschapv2_auth_response(const uint8_t auth_chal[16], const uint8_t peer_chal[16],
				  const char *user, const char *password,
				  const uint8_t nt_resp[24], uint8_t out[20]);

/* acsim_classify - the kind of an Ethernet frame, for counters and taps */
enum acsim_pkt acsim_classify(const uint8_t *frame, size_t len);
const char *acsim_pkt_name(enum acsim_pkt k);
const char *acsim_cp_state_name(enum acsim_cp_state st);

#endif
