/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dhcp6.h - DHCPv6 client (RFC 8415) for one session: IA_NA (an address)
 * and IA_PD (a delegated prefix).
 *
 * The message codec (dhcp6_decode/dhcp6_encode) is pure. The client
 * machine (struct dhcp6) runs Solicit -> Advertise -> Request -> Reply,
 * then Renew at T1, Rebind at T2, and drops what expires. It never does
 * I/O: messages (the UDP payload only) go out through ops->send, the
 * lease it holds goes to the owner through ops->lease, time comes from the
 * shared timer wheel.
 */
#ifndef PPPOE_DHCP6_H
#define PPPOE_DHCP6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe/timer.h"

#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547

/* RFC 8415 section 7.3 */
enum dhcp6_msg_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_CONFIRM = 4,
	DHCP6_RENEW = 5,
	DHCP6_REBIND = 6,
	DHCP6_REPLY = 7,
	DHCP6_RELEASE = 8,
	DHCP6_DECLINE = 9,
	DHCP6_RECONFIGURE = 10,
	DHCP6_INFORMATION_REQUEST = 11,
	DHCP6_RELAY_FORW = 12,
	DHCP6_RELAY_REPL = 13,
};

/* RFC 8415 section 21, RFC 3646 */
enum dhcp6_opt_code {
	DHCP6_OPT_CLIENTID = 1,
	DHCP6_OPT_SERVERID = 2,
	DHCP6_OPT_IA_NA = 3,
	DHCP6_OPT_IAADDR = 5,
	DHCP6_OPT_ORO = 6,
	DHCP6_OPT_PREFERENCE = 7,
	DHCP6_OPT_ELAPSED_TIME = 8,
	DHCP6_OPT_UNICAST = 12,
	DHCP6_OPT_STATUS_CODE = 13,
	DHCP6_OPT_RAPID_COMMIT = 14,
	DHCP6_OPT_DNS_SERVERS = 23,
	DHCP6_OPT_DOMAIN_LIST = 24,
	DHCP6_OPT_IA_PD = 25,
	DHCP6_OPT_IAPREFIX = 26,
	DHCP6_OPT_SOL_MAX_RT = 82,
};

/* RFC 8415 section 21.13 */
enum dhcp6_status_code {
	DHCP6_ST_SUCCESS = 0,
	DHCP6_ST_UNSPEC_FAIL = 1,
	DHCP6_ST_NO_ADDRS_AVAIL = 2,
	DHCP6_ST_NO_BINDING = 3,
	DHCP6_ST_NOT_ON_LINK = 4,
	DHCP6_ST_USE_MULTICAST = 5,
	DHCP6_ST_NO_PREFIX_AVAIL = 6,
};

#define DHCP6_DUID_MAX  130 /* type (2) + up to 128 octets, RFC 8415 11.1 */
#define DHCP6_IA_MAX    4   /* addresses or prefixes kept per IA */
#define DHCP6_ORO_MAX   8
#define DHCP6_DNS_MAX   4
#define DHCP6_INFINITY  0xffffffffu /* lifetime that never runs out */
#define DHCP6_MSG_MAX   1024 /* largest message the client builds */

/* An option value inside a received message (points into the caller's buffer). */
struct dhcp6_blob {
	const uint8_t *ptr;
	uint16_t len;
	bool present;
};

struct dhcp6_status {
	bool present;
	uint16_t code;
	struct dhcp6_blob msg; /* UTF-8 text, not terminated */
};

/* One IAADDR (plen 128, not on the wire) or IAPREFIX of an IA. */
struct dhcp6_iaentry {
	uint8_t addr[16];
	uint8_t plen;
	uint32_t preferred, valid; /* s */
	struct dhcp6_status status;
};

struct dhcp6_ia {
	bool present;
	uint32_t iaid, t1, t2;
	struct dhcp6_status status;
	uint8_t n;                  /* entries kept in e[] */
	uint8_t dropped;            /* further entries past DHCP6_IA_MAX */
	struct dhcp6_iaentry e[DHCP6_IA_MAX];
};

/* One decoded message: the options the client uses; the rest is skipped. */
struct dhcp6_msg {
	uint8_t type;
	uint32_t xid;                  /* 24 bits */
	struct dhcp6_blob client_id, server_id;
	bool has_elapsed;
	uint16_t elapsed;              /* 1/100 s */
	bool has_preference;
	uint8_t preference;
	bool has_unicast;
	uint8_t unicast[16];
	bool rapid_commit;
	bool has_sol_max_rt;
	uint32_t sol_max_rt;           /* s */
	struct dhcp6_status status;    /* top level */
	uint8_t n_oro;                 /* codes kept in oro[] */
	bool has_oro;
	uint16_t oro[DHCP6_ORO_MAX];
	uint8_t n_dns;                 /* servers kept in dns[] */
	uint8_t dns[DHCP6_DNS_MAX][16];
	struct dhcp6_blob domains;     /* RFC 1035 wire format, unparsed */
	uint8_t n_ia_na, n_ia_pd;      /* IAs seen; the first of each is kept */
	struct dhcp6_ia ia_na, ia_pd;
};

/*
 * dhcp6_decode - parse one DHCPv6 client/server message (the UDP payload)
 * into @out. Returns 0, -EMSGSIZE (truncated: an option runs past the
 * message or the message is shorter than its header) or -EINVAL (an option
 * of a wrong length, a DUID out of bounds, a relay message). Never reads
 * past @len; blobs in @out point into @buf.
 */
int dhcp6_decode(const uint8_t *buf, size_t len, struct dhcp6_msg *out);

/*
 * dhcp6_encode - write @in as a message into @buf: every present option of
 * @in (a blob only when present). Returns the length or -ENOSPC / -EINVAL
 * (a value the wire cannot carry).
 */
int dhcp6_encode(uint8_t *buf, size_t cap, const struct dhcp6_msg *in);

const char *dhcp6_msg_name(uint8_t type);
const char *dhcp6_status_name(uint16_t code);

/* dhcp6_duid_ll - DUID-LL (RFC 8415 11.4) of Ethernet @mac into @out; its length (10) */
size_t dhcp6_duid_ll(uint8_t out[10], const uint8_t mac[6]);
/* dhcp6_iaid_from_name - a stable IAID for a session name (FNV-1a) */
uint32_t dhcp6_iaid_from_name(const char *name);

/* ---- client machine ------------------------------------------------ */

enum dhcp6_state {
	DHCP6_ST_IDLE,
	DHCP6_ST_SOLICIT,  /* Solicit sent (or its start delay running), Advertises collected */
	DHCP6_ST_REQUEST,  /* Request sent to the chosen server */
	DHCP6_ST_BOUND,    /* holding a lease, waiting for T1 */
	DHCP6_ST_RENEW,    /* T1 passed: Renew to our server */
	DHCP6_ST_REBIND,   /* T2 passed: Rebind to any server */
};

/* One address (plen 128) or delegated prefix the client holds. */
struct dhcp6_lease_entry {
	uint8_t addr[16];           /* a prefix has its host bits cleared */
	uint8_t plen;
	uint32_t preferred, valid;  /* s, as the server last gave them */
	uint64_t preferred_until;   /* wheel ms, UINT64_MAX = infinite */
	uint64_t valid_until;
};

enum dhcp6_lease_ev {
	DHCP6_LEASE_BOUND,   /* a Reply to Request (or Rapid Commit) */
	DHCP6_LEASE_RENEWED, /* a Reply to Renew or Rebind: re-install everything */
	DHCP6_LEASE_EXPIRED, /* some entry ran out (or all: n_addr = n_prefix = 0) */
	DHCP6_LEASE_STOPPED, /* not from the machine: its owner stopped it (IPv6 or
			      * the session going down), the lease is empty */
};

struct dhcp6_lease {
	uint8_t n_addr, n_prefix;
	struct dhcp6_lease_entry addr[DHCP6_IA_MAX];   /* IA_NA */
	struct dhcp6_lease_entry prefix[DHCP6_IA_MAX]; /* IA_PD */
	uint8_t n_dns;
	uint8_t dns[DHCP6_DNS_MAX][16];
	uint32_t t1, t2;            /* s, effective (defaults applied) */
	uint64_t updated_ms;        /* wheel time of the last Reply */
	/* The last status the server gave for each IA (DHCP6_ST_SUCCESS when
	 * it granted it), or -1 when not asked / not answered yet. */
	int na_status, pd_status;
};

struct dhcp6;

struct dhcp6_ops {
	/* Send one message (the UDP payload, port 546 -> 547) to @dst, or to
	 * All_DHCP_Relay_Agents_and_Servers (ff02::1:2) when @dst is NULL. */
	int (*send)(struct dhcp6 *c, const uint8_t *msg, size_t len, const uint8_t *dst);
	/* The set of addresses/prefixes or their lifetimes changed. Called
	 * after every accepted Reply (Renew and Rebind too, so the owner
	 * re-installs routes each time) and when entries expire. The lease is
	 * the whole current set; empty means everything is gone. */
	void (*lease)(struct dhcp6 *c, const struct dhcp6_lease *l, enum dhcp6_lease_ev ev);
};

struct dhcp6_stats {
	uint32_t solicits, requests, renews, rebinds, releases;
	uint32_t advertises, replies;   /* accepted */
	uint32_t bound, renewed;        /* Replies that bound / renewed a lease */
	uint32_t nobinding;             /* NoBinding answers to Renew/Rebind */
	uint32_t dropped;               /* messages ignored (malformed, not ours) */
};

struct dhcp6 {
	const struct dhcp6_ops *ops;
	void *ctx;                  /* owner */
	const char *label;          /* "session/ifname" for logs */
	struct tw_wheel *wheel;
	struct tw_timer rt_timer;   /* retransmission (and the Solicit start delay) */
	struct tw_timer t_timer;    /* T1 then T2 */
	struct tw_timer exp_timer;  /* the earliest valid lifetime */

	enum dhcp6_state state;
	bool want_na, want_pd;      /* what this run asks for */
	uint8_t pd_len_hint;        /* 0 = no prefix length hint */
	bool rapid_commit;          /* offer Rapid Commit in Solicit */
	uint8_t duid[DHCP6_DUID_MAX];
	uint16_t duid_len;
	uint32_t iaid;
	uint32_t rng;

	/* The exchange in progress (RFC 8415 section 15). */
	uint32_t xid;
	uint64_t start_ms;          /* first transmission */
	uint32_t rt, irt, mrt, mrc; /* ms, ms, ms, count */
	uint64_t mrd_at;            /* wheel ms, 0 = no limit */
	uint32_t count;             /* transmissions so far */
	uint32_t sol_max_rt;        /* ms, SOL_MAX_RT or the server's option */
	uint32_t fails;             /* consecutive Requests that bound nothing */

	/* The server we talk to. */
	uint8_t server_id[DHCP6_DUID_MAX];
	uint16_t server_id_len;
	bool has_unicast;
	uint8_t unicast[16];

	/* The best Advertise of the first RT. */
	bool adv_valid;
	uint8_t adv_pref;
	unsigned int adv_score;
	uint8_t adv_server_id[DHCP6_DUID_MAX];
	uint16_t adv_server_id_len;
	bool adv_has_unicast;
	uint8_t adv_unicast[16];
	struct dhcp6_lease adv;     /* what it offers: the Request's hints */

	struct dhcp6_lease lease;   /* what we hold */
	struct dhcp6_lease hint;    /* the last lease: asked for again after a restart */
	uint64_t t1_at, t2_at;      /* wheel ms, UINT64_MAX = never */
	struct dhcp6_stats stats;
};

/*
 * dhcp6_init - clear @c and bind it to its callbacks, wheel, DUID and
 * IAID (the same for IA_NA and IA_PD). @seed varies the transaction ids
 * and retransmission jitter between sessions.
 */
void dhcp6_init(struct dhcp6 *c, const struct dhcp6_ops *ops, struct tw_wheel *wheel,
		const uint8_t *duid, size_t duid_len, uint32_t iaid, uint32_t seed,
		const char *label, void *ctx);
/* dhcp6_set_id - a new DUID and IAID (e.g. the session's MAC changed); takes
 * effect with the next dhcp6_start */
void dhcp6_set_id(struct dhcp6 *c, const uint8_t *duid, size_t duid_len, uint32_t iaid);
/*
 * dhcp6_start - (re)start from Solicit asking for an address (@na) and/or
 * a prefix (@pd, with a prefix length hint @pd_len when not 0). What the
 * client held before is asked for again as hints. -EINVAL if neither.
 */
int dhcp6_start(struct dhcp6 *c, bool na, bool pd, uint8_t pd_len);
/*
 * dhcp6_stop - go idle: cancel every timer and forget the lease (kept as
 * hints for the next start). With @release and a lease, one Release goes
 * out first. No ops->lease call: the owner tears its own state down.
 */
void dhcp6_stop(struct dhcp6 *c, bool release);
/* dhcp6_input - one received message (UDP payload from port 547) */
void dhcp6_input(struct dhcp6 *c, const uint8_t *msg, size_t len);
const char *dhcp6_state_name(enum dhcp6_state s);

#endif
