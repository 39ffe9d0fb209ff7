// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dhcp6.c - DHCPv6 client machine (RFC 8415 section 18) for IA_NA and IA_PD.
 *
 *   Idle --start--> Solicit --Advertise--> Request --Reply--> Bound
 *                     ^  ^                    |                 | T1
 *                     |  +--- nothing bound --+               Renew --Reply--> Bound
 *                     |                                         | T2   ^
 *                     |                                       Rebind-+
 *                     +---- every lease expired (or revoked) ---+
 *   A NoBinding answer to Renew/Rebind sends a Request for the IAs.
 *
 * Retransmission follows section 15 (IRT, MRT, MRC, MRD, RAND in +-0.1)
 * with a per-client xorshift; all timing is on the shared timer wheel.
 * Callbacks are the last thing a handler does, so the owner may stop or
 * restart the client from inside them.
 *
 * Over 700 lines: one machine, whose states share the lease bookkeeping;
 * the message codec is apart in dhcp6_codec.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pppoe/dhcp6.h"
#include "pppoe/log.h"
#include "pppoe/util.h"

/* RFC 8415 section 7.6, in ms */
#define SOL_MAX_DELAY 1000
#define SOL_TIMEOUT   1000
#define SOL_MAX_RT    3600000
#define REQ_TIMEOUT   1000
#define REQ_MAX_RT    30000
#define REQ_MAX_RC    10
#define REN_TIMEOUT   10000
#define REN_MAX_RT    600000
#define REB_TIMEOUT   10000
#define REB_MAX_RT    600000

/* A Solicit restarted after a Request that bound nothing waits this much
 * longer per consecutive failure (capped), so a server that advertises
 * and then refuses is not hammered. */
#define D6_FAIL_BACKOFF_MS  2000
#define D6_FAIL_BACKOFF_MAX 64000

#define D6_NEVER UINT64_MAX

static const char *const d6_state_names[] = {
	[DHCP6_ST_IDLE] = "Idle",       [DHCP6_ST_SOLICIT] = "Solicit",
	[DHCP6_ST_REQUEST] = "Request", [DHCP6_ST_BOUND] = "Bound",
	[DHCP6_ST_RENEW] = "Renew",     [DHCP6_ST_REBIND] = "Rebind",
};

const char *dhcp6_state_name(enum dhcp6_state s)
{
	if ((unsigned int)s < ARRAY_SIZE(d6_state_names))
		return d6_state_names[s];
	return "?";
}

static uint32_t d6_rand(struct dhcp6 *c)
{
	uint32_t x = c->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	c->rng = x ? x : 1;
	return c->rng;
}

/* d6_jitter - RAND * @rt with RAND uniform in [-0.1, +0.1] (section 15) */
static int64_t d6_jitter(struct dhcp6 *c, uint64_t rt)
{
	uint64_t span = rt / 5;

	if (!span)
		return 0;
	return (int64_t)(d6_rand(c) % (span + 1)) - (int64_t)(span / 2);
}

static void d6_set_state(struct dhcp6 *c, enum dhcp6_state s)
{
	if (c->state == s)
		return;
	sl_debug(c->label, "dhcpv6: %s -> %s", dhcp6_state_name(c->state), dhcp6_state_name(s));
	c->state = s;
}

static const char *d6_fmt(char *out, size_t cap, const struct dhcp6_lease_entry *e)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(AF_INET6, e->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(out, cap, "%s/%u", a, e->plen);
	return out;
}

static void d6_log_status(const struct dhcp6 *c, const char *what, const struct dhcp6_status *st)
{
	char esc[128];

	sl_info(c->label, "dhcpv6: %s: %s (%u) \"%s\"", what, dhcp6_status_name(st->code),
		st->code, log_escape(esc, sizeof(esc), st->msg.ptr, st->msg.len));
}

/* ---- sending ------------------------------------------------------- */

/* d6_put_entries - copy lease entries into an outgoing IA (lifetimes 0, 21.6) */
static void d6_put_entries(struct dhcp6_ia *ia, const struct dhcp6_lease_entry *e, uint8_t n)
{
	uint8_t i;

	for (i = 0; i < n && ia->n < DHCP6_IA_MAX; i++) {
		memcpy(ia->e[ia->n].addr, e[i].addr, 16);
		ia->e[ia->n].plen = e[i].plen;
		ia->n++;
	}
}

/* d6_build - the message for the current state (or a Release) into @buf */
static int d6_build(struct dhcp6 *c, uint8_t type, uint8_t *buf, size_t cap)
{
	const struct dhcp6_lease *src = NULL;
	struct dhcp6_msg m;
	uint64_t el;
	bool na = false, pd = false;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.xid = c->xid;
	m.client_id.present = true;
	m.client_id.ptr = c->duid;
	m.client_id.len = c->duid_len;
	if (type != DHCP6_SOLICIT && type != DHCP6_REBIND) {
		m.server_id.present = true;
		m.server_id.ptr = c->server_id;
		m.server_id.len = c->server_id_len;
	}
	m.has_elapsed = true;
	el = c->count > 1 ? (c->wheel->now - c->start_ms) / 10 : 0;
	m.elapsed = el > 0xffff ? 0xffff : (uint16_t)el;
	if (type != DHCP6_RELEASE) {
		m.has_oro = true;
		m.oro[m.n_oro++] = DHCP6_OPT_DNS_SERVERS;
		m.oro[m.n_oro++] = DHCP6_OPT_DOMAIN_LIST;
		/* Section 21.24: a client MUST ask for SOL_MAX_RT. */
		m.oro[m.n_oro++] = DHCP6_OPT_SOL_MAX_RT;
	}
	switch (type) {
	case DHCP6_SOLICIT:
		src = &c->hint;
		na = c->want_na;
		pd = c->want_pd;
		m.rapid_commit = c->rapid_commit;
		break;
	case DHCP6_REQUEST:
		src = &c->adv;
		na = c->want_na;
		pd = c->want_pd;
		break;
	default: /* Renew, Rebind, Release: the IAs we hold */
		src = &c->lease;
		na = c->lease.n_addr > 0;
		pd = c->lease.n_prefix > 0;
		break;
	}
	if (na) {
		m.ia_na.present = true;
		m.ia_na.iaid = c->iaid;
		d6_put_entries(&m.ia_na, src->addr, src->n_addr);
	}
	if (pd) {
		m.ia_pd.present = true;
		m.ia_pd.iaid = c->iaid;
		d6_put_entries(&m.ia_pd, src->prefix, src->n_prefix);
		if (!m.ia_pd.n && c->pd_len_hint && type == DHCP6_SOLICIT) {
			/* Section 18.2.1: a prefix-length hint, the prefix :: */
			m.ia_pd.e[0].plen = c->pd_len_hint;
			m.ia_pd.n = 1;
		}
	}
	return dhcp6_encode(buf, cap, &m);
}

static const uint8_t *d6_dst(const struct dhcp6 *c, uint8_t type)
{
	if (type == DHCP6_SOLICIT || type == DHCP6_REBIND || !c->has_unicast)
		return NULL;
	return c->unicast;
}

static void d6_send(struct dhcp6 *c, uint8_t type)
{
	uint8_t buf[DHCP6_MSG_MAX];
	int n, err;

	n = d6_build(c, type, buf, sizeof(buf));
	if (n < 0) {
		sl_err(c->label, "dhcpv6: cannot build %s: %d", dhcp6_msg_name(type), n);
		return;
	}
	switch (type) {
	case DHCP6_SOLICIT:
		c->stats.solicits++;
		break;
	case DHCP6_REQUEST:
		c->stats.requests++;
		break;
	case DHCP6_RENEW:
		c->stats.renews++;
		break;
	case DHCP6_REBIND:
		c->stats.rebinds++;
		break;
	case DHCP6_RELEASE:
		c->stats.releases++;
		break;
	}
	sl_debug(c->label, "dhcpv6: send %s xid 0x%06x (try %u, next in %u ms)",
		 dhcp6_msg_name(type), c->xid, c->count, c->rt);
	err = c->ops->send(c, buf, (size_t)n, d6_dst(c, type));
	if (err < 0)
		/* Not fatal: retransmission tries again. */
		sl_debug(c->label, "dhcpv6: sending %s failed: %d", dhcp6_msg_name(type), err);
}

static uint8_t d6_state_msg(enum dhcp6_state s)
{
	switch (s) {
	case DHCP6_ST_SOLICIT:
		return DHCP6_SOLICIT;
	case DHCP6_ST_REQUEST:
		return DHCP6_REQUEST;
	case DHCP6_ST_RENEW:
		return DHCP6_RENEW;
	case DHCP6_ST_REBIND:
		return DHCP6_REBIND;
	default:
		return 0;
	}
}

/* ---- exchanges ----------------------------------------------------- */

static void d6_exchange_failed(struct dhcp6 *c);

/*
 * d6_transmit - send (or resend) the current state's message and arm the
 * next retransmission: RT = IRT + RAND*IRT first (strictly above IRT for
 * Solicit), then 2*RT + RAND*RT, kept near MRT, never past MRD.
 */
static void d6_transmit(struct dhcp6 *c)
{
	uint64_t now = c->wheel->now, rt, wait;

	if ((c->mrc && c->count >= c->mrc) || (c->mrd_at && now >= c->mrd_at)) {
		d6_exchange_failed(c);
		return;
	}
	if (!c->count) {
		c->start_ms = now;
		if (c->state == DHCP6_ST_SOLICIT)
			rt = c->irt + 1 + d6_rand(c) % (c->irt / 10 ? c->irt / 10 : 1);
		else
			rt = (uint64_t)((int64_t)c->irt + d6_jitter(c, c->irt));
	} else {
		rt = (uint64_t)((int64_t)(2 * (uint64_t)c->rt) + d6_jitter(c, c->rt));
	}
	if (c->mrt && rt > c->mrt)
		rt = (uint64_t)((int64_t)c->mrt + d6_jitter(c, c->mrt));
	c->rt = (uint32_t)rt;
	wait = rt;
	if (c->mrd_at && now + wait > c->mrd_at)
		wait = c->mrd_at - now;
	c->count++;
	d6_send(c, d6_state_msg(c->state));
	tw_arm(c->wheel, &c->rt_timer, wait);
}

/* d6_exchange - begin a new exchange in @s: new transaction id, fresh counters */
static void d6_exchange(struct dhcp6 *c, enum dhcp6_state s, uint32_t irt, uint32_t mrt,
			uint32_t mrc, uint64_t mrd_at)
{
	d6_set_state(c, s);
	c->xid = d6_rand(c) & 0xffffff;
	c->irt = irt;
	c->mrt = mrt;
	c->mrc = mrc;
	c->mrd_at = mrd_at;
	c->count = 0;
	c->rt = 0;
}

/* d6_solicit - start server discovery after @delay_ms plus the random
 * SOL_MAX_DELAY wait of section 18.2.1 */
static void d6_solicit(struct dhcp6 *c, uint64_t delay_ms)
{
	tw_cancel(c->wheel, &c->t_timer);
	c->adv_valid = false;
	d6_exchange(c, DHCP6_ST_SOLICIT, SOL_TIMEOUT, c->sol_max_rt, 0, 0);
	tw_arm(c->wheel, &c->rt_timer, delay_ms + d6_rand(c) % (SOL_MAX_DELAY + 1));
}

static void d6_solicit_after_failure(struct dhcp6 *c)
{
	uint64_t d = (uint64_t)D6_FAIL_BACKOFF_MS << (c->fails < 6 ? c->fails : 6);

	c->fails++;
	d6_solicit(c, d > D6_FAIL_BACKOFF_MAX ? D6_FAIL_BACKOFF_MAX : d);
}

static void d6_request(struct dhcp6 *c)
{
	tw_cancel(c->wheel, &c->t_timer);
	d6_exchange(c, DHCP6_ST_REQUEST, REQ_TIMEOUT, REQ_MAX_RT, REQ_MAX_RC, 0);
	d6_transmit(c);
}

/* d6_take_adv - the chosen Advertise's server becomes ours: Request */
static void d6_take_adv(struct dhcp6 *c)
{
	memcpy(c->server_id, c->adv_server_id, c->adv_server_id_len);
	c->server_id_len = c->adv_server_id_len;
	c->has_unicast = c->adv_has_unicast;
	memcpy(c->unicast, c->adv_unicast, 16);
	c->adv_valid = false;
	d6_request(c);
}

static bool d6_has_lease(const struct dhcp6 *c)
{
	return c->lease.n_addr || c->lease.n_prefix;
}

/* d6_renew_or_rebind - T1 (Renew until T2) or T2 passed (Rebind) */
static void d6_renew_or_rebind(struct dhcp6 *c)
{
	uint64_t now = c->wheel->now;

	tw_cancel(c->wheel, &c->t_timer);
	if (c->t2_at != D6_NEVER && now >= c->t2_at) {
		/* Section 18.2.5: no MRD of its own; the expiry of the
		 * last lease ends it (d6_expire). */
		d6_exchange(c, DHCP6_ST_REBIND, REB_TIMEOUT, REB_MAX_RT, 0, 0);
	} else {
		d6_exchange(c, DHCP6_ST_RENEW, REN_TIMEOUT, REN_MAX_RT, 0,
			    c->t2_at == D6_NEVER ? 0 : c->t2_at);
	}
	d6_transmit(c);
}

/* d6_exchange_failed - MRC or MRD reached */
static void d6_exchange_failed(struct dhcp6 *c)
{
	switch (c->state) {
	case DHCP6_ST_REQUEST:
		sl_warn(c->label, "dhcpv6: no Reply to %u Requests, back to Solicit", c->count);
		d6_solicit_after_failure(c);
		break;
	case DHCP6_ST_RENEW:
		sl_info(c->label, "dhcpv6: no Reply to Renew by T2, Rebind");
		d6_renew_or_rebind(c);
		break;
	default:
		break;
	}
}

static void d6_rt_fire(struct tw_timer *t)
{
	struct dhcp6 *c = container_of(t, struct dhcp6, rt_timer);

	/* The first RT of a Solicit over: the best Advertise collected wins. */
	if (c->state == DHCP6_ST_SOLICIT && c->count && c->adv_valid) {
		d6_take_adv(c);
		return;
	}
	if (c->state == DHCP6_ST_IDLE || c->state == DHCP6_ST_BOUND)
		return;
	d6_transmit(c);
}

static void d6_t_fire(struct tw_timer *t)
{
	struct dhcp6 *c = container_of(t, struct dhcp6, t_timer);

	if (c->state == DHCP6_ST_BOUND)
		d6_renew_or_rebind(c);
}

/* ---- the lease ----------------------------------------------------- */

static uint64_t d6_until(uint64_t now, uint32_t s)
{
	return s == DHCP6_INFINITY ? D6_NEVER : now + (uint64_t)s * 1000;
}

static void d6_arm_at(struct dhcp6 *c, struct tw_timer *t, uint64_t at)
{
	if (at == D6_NEVER)
		tw_cancel(c->wheel, t);
	else
		tw_arm(c->wheel, t, at > c->wheel->now ? at - c->wheel->now : 0);
}

static void d6_arm_expiry(struct dhcp6 *c)
{
	uint64_t at = D6_NEVER;
	uint8_t i;

	for (i = 0; i < c->lease.n_addr; i++)
		if (c->lease.addr[i].valid_until < at)
			at = c->lease.addr[i].valid_until;
	for (i = 0; i < c->lease.n_prefix; i++)
		if (c->lease.prefix[i].valid_until < at)
			at = c->lease.prefix[i].valid_until;
	d6_arm_at(c, &c->exp_timer, at);
}

/* d6_drop_expired - remove entries whose valid lifetime ended; how many */
static unsigned int d6_drop_expired(struct dhcp6_lease_entry *e, uint8_t *n, uint64_t now)
{
	unsigned int gone = 0;
	uint8_t i = 0;

	while (i < *n) {
		if (e[i].valid_until <= now) {
			e[i] = e[*n - 1];
			(*n)--;
			gone++;
		} else {
			i++;
		}
	}
	return gone;
}

static void d6_lease_lost(struct dhcp6 *c, const char *why)
{
	sl_warn(c->label, "dhcpv6: lease lost (%s), back to Solicit", why);
	tw_cancel(c->wheel, &c->rt_timer);
	tw_cancel(c->wheel, &c->t_timer);
	d6_solicit(c, 0);
}

static void d6_exp_fire(struct tw_timer *t)
{
	struct dhcp6 *c = container_of(t, struct dhcp6, exp_timer);
	uint64_t now = c->wheel->now;
	unsigned int gone;

	gone = d6_drop_expired(c->lease.addr, &c->lease.n_addr, now);
	gone += d6_drop_expired(c->lease.prefix, &c->lease.n_prefix, now);
	d6_arm_expiry(c);
	if (!gone)
		return;
	sl_info(c->label, "dhcpv6: %u lease%s expired", gone, gone > 1 ? "s" : "");
	if (!d6_has_lease(c) && c->state != DHCP6_ST_SOLICIT && c->state != DHCP6_ST_REQUEST)
		d6_lease_lost(c, "every valid lifetime ran out");
	c->ops->lease(c, &c->lease, DHCP6_LEASE_EXPIRED);
}

/* d6_entry_ok - an address/prefix the server gives that we may use */
static bool d6_entry_ok(const struct dhcp6 *c, const struct dhcp6_iaentry *e, bool pd)
{
	static const uint8_t zero[16];

	if (e->status.present && e->status.code != DHCP6_ST_SUCCESS)
		return false;
	/* Section 21.6 / 21.22: preferred above valid: discard. */
	if (e->preferred > e->valid)
		return false;
	if (pd)
		return e->plen >= 1 && e->plen <= 128;
	return memcmp(e->addr, zero, 16) && e->addr[0] != 0xff &&
	       !(e->addr[0] == 0xfe && (e->addr[1] & 0xc0) == 0x80);
}

/* d6_ia_ok - an IA of ours that is not to be discarded (section 21.4/21.21) */
static const struct dhcp6_ia *d6_ia_ok(const struct dhcp6 *c, const struct dhcp6_ia *ia)
{
	if (!ia->present || ia->iaid != c->iaid)
		return NULL;
	if (ia->t1 && ia->t2 && ia->t1 > ia->t2) {
		sl_info(c->label, "dhcpv6: IA with T1 %u > T2 %u, ignored", ia->t1, ia->t2);
		return NULL;
	}
	return ia;
}

static void d6_entry_from(struct dhcp6_lease_entry *le, const struct dhcp6_iaentry *e,
			  uint64_t now)
{
	unsigned int b;

	memset(le, 0, sizeof(*le));
	memcpy(le->addr, e->addr, 16);
	le->plen = e->plen;
	/* A prefix keeps only its prefix bits. */
	for (b = e->plen; b < 128; b++)
		le->addr[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
	le->preferred = e->preferred;
	le->valid = e->valid;
	le->preferred_until = d6_until(now, e->preferred);
	le->valid_until = d6_until(now, e->valid);
}

/*
 * d6_ia_times - effective T1/T2 of an IA (s): the server's, or when 0,
 * 0.5 and 0.8 of the shortest preferred lifetime (section 21.4; the valid
 * lifetime if every preferred one is 0), never below 1 s.
 */
static void d6_ia_times(const struct dhcp6_ia *ia, const struct dhcp6_lease_entry *e,
			uint8_t n, uint32_t *t1, uint32_t *t2)
{
	uint32_t pref = DHCP6_INFINITY, valid = DHCP6_INFINITY, base;
	uint8_t i;

	for (i = 0; i < n; i++) {
		if (e[i].preferred < pref)
			pref = e[i].preferred;
		if (e[i].valid < valid)
			valid = e[i].valid;
	}
	base = pref ? pref : valid;
	*t1 = ia->t1;
	*t2 = ia->t2;
	if (!*t1)
		*t1 = base == DHCP6_INFINITY ? DHCP6_INFINITY : base / 2;
	if (!*t2)
		*t2 = base == DHCP6_INFINITY ? DHCP6_INFINITY
					     : (uint32_t)((uint64_t)base * 4 / 5);
	if (*t1 > *t2)
		*t1 = *t2;
	if (!*t1)
		*t1 = 1;
	if (*t2 < *t1)
		*t2 = *t1;
}

/* d6_set_times - T1/T2 of the binding: the earliest of the IAs answered */
static void d6_set_times(struct dhcp6 *c, uint32_t t1, uint32_t t2)
{
	uint64_t now = c->wheel->now;

	c->lease.t1 = t1;
	c->lease.t2 = t2;
	c->t1_at = d6_until(now, t1);
	c->t2_at = d6_until(now, t2);
}

static void d6_copy_dns(struct dhcp6_lease *l, const struct dhcp6_msg *m)
{
	if (!m->n_dns)
		return;
	l->n_dns = m->n_dns;
	memcpy(l->dns, m->dns, sizeof(l->dns));
}

static void d6_log_lease(const struct dhcp6 *c, const char *what)
{
	char line[512], one[64];
	size_t off = 0;
	uint8_t i;

	line[0] = '\0';
	for (i = 0; i < c->lease.n_addr && off < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, " addr %s",
					d6_fmt(one, sizeof(one), &c->lease.addr[i]));
	for (i = 0; i < c->lease.n_prefix && off < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, " prefix %s",
					d6_fmt(one, sizeof(one), &c->lease.prefix[i]));
	sl_info(c->label, "dhcpv6: %s:%s (T1 %u s, T2 %u s)", what, line, c->lease.t1,
		c->lease.t2);
}

/* d6_enter_bound - the lease is current: wait for T1 */
static void d6_enter_bound(struct dhcp6 *c, const struct dhcp6_msg *m)
{
	memcpy(c->server_id, m->server_id.ptr, m->server_id.len);
	c->server_id_len = m->server_id.len;
	if (m->has_unicast) {
		c->has_unicast = true;
		memcpy(c->unicast, m->unicast, 16);
	}
	tw_cancel(c->wheel, &c->rt_timer);
	d6_set_state(c, DHCP6_ST_BOUND);
	d6_arm_at(c, &c->t_timer, c->t1_at);
	d6_arm_expiry(c);
	c->fails = 0;
	c->hint = c->lease;
}

/* d6_top_status - act on a top-level status; true if the Reply is done with */
static bool d6_top_status(struct dhcp6 *c, const struct dhcp6_msg *m)
{
	if (!m->status.present || m->status.code == DHCP6_ST_SUCCESS)
		return false;
	d6_log_status(c, "Reply", &m->status);
	switch (m->status.code) {
	case DHCP6_ST_USE_MULTICAST:
		/* Section 18.2.10: resend by multicast (the retransmission does). */
		c->has_unicast = false;
		return true;
	case DHCP6_ST_NOT_ON_LINK:
		if (c->state == DHCP6_ST_REQUEST || c->state == DHCP6_ST_SOLICIT) {
			/* Our hints are wrong here: solicit without them. */
			memset(&c->hint, 0, sizeof(c->hint));
			d6_solicit(c, 0);
		}
		return true;
	case DHCP6_ST_UNSPEC_FAIL:
	default:
		/* Keep retransmitting (rate-limited by the backoff). Servers of
		 * RFC 3315 put NoAddrsAvail here: the IAs below tell more. */
		return m->status.code != DHCP6_ST_NO_ADDRS_AVAIL &&
		       m->status.code != DHCP6_ST_NO_PREFIX_AVAIL;
	}
}

/*
 * d6_take_ia - a Reply to Request: the IA's usable entries replace what we
 * held for it. Returns the status to record, or -1 if the IA was absent.
 * *@granted is set when it brought at least one entry.
 */
static int d6_take_ia(struct dhcp6 *c, const struct dhcp6_msg *m, const struct dhcp6_ia *raw,
		      bool pd, bool *granted, uint32_t *t1, uint32_t *t2)
{
	const struct dhcp6_ia *ia = d6_ia_ok(c, raw);
	struct dhcp6_lease_entry *dst = pd ? c->lease.prefix : c->lease.addr;
	uint8_t *n = pd ? &c->lease.n_prefix : &c->lease.n_addr;
	struct dhcp6_lease_entry tmp[DHCP6_IA_MAX];
	uint8_t i, k = 0;
	uint32_t a, b;

	*granted = false;
	if (!ia) {
		sl_info(c->label, "dhcpv6: Reply without our %s", pd ? "IA_PD" : "IA_NA");
		return -1;
	}
	if (ia->status.present && ia->status.code != DHCP6_ST_SUCCESS) {
		d6_log_status(c, pd ? "IA_PD" : "IA_NA", &ia->status);
		return ia->status.code;
	}
	for (i = 0; i < ia->n; i++)
		if (d6_entry_ok(c, &ia->e[i], pd) && ia->e[i].valid)
			d6_entry_from(&tmp[k++], &ia->e[i], c->wheel->now);
	if (!k) {
		sl_info(c->label, "dhcpv6: %s without a usable %s", pd ? "IA_PD" : "IA_NA",
			pd ? "prefix" : "address");
		return pd ? DHCP6_ST_NO_PREFIX_AVAIL : DHCP6_ST_NO_ADDRS_AVAIL;
	}
	memcpy(dst, tmp, sizeof(tmp[0]) * k);
	*n = k;
	d6_ia_times(ia, dst, k, &a, &b);
	if (a < *t1)
		*t1 = a;
	if (b < *t2)
		*t2 = b;
	*granted = true;
	return DHCP6_ST_SUCCESS;
}

/* d6_rx_reply_request - Reply to Request (or to a Rapid Commit Solicit) */
static void d6_rx_reply_request(struct dhcp6 *c, const struct dhcp6_msg *m)
{
	uint32_t t1 = DHCP6_INFINITY, t2 = DHCP6_INFINITY;
	bool got_na = false, got_pd = false;
	bool not_on_link;

	if (d6_top_status(c, m))
		return;
	if (c->want_na)
		c->lease.na_status = d6_take_ia(c, m, &m->ia_na, false, &got_na, &t1, &t2);
	if (c->want_pd)
		c->lease.pd_status = d6_take_ia(c, m, &m->ia_pd, true, &got_pd, &t1, &t2);
	not_on_link = c->lease.na_status == DHCP6_ST_NOT_ON_LINK ||
		      c->lease.pd_status == DHCP6_ST_NOT_ON_LINK;
	if (!got_na && !got_pd) {
		if (not_on_link) {
			memset(&c->hint, 0, sizeof(c->hint));
			d6_solicit(c, 0);
			return;
		}
		sl_warn(c->label, "dhcpv6: the Reply binds nothing, back to Solicit");
		d6_solicit_after_failure(c);
		return;
	}
	c->stats.bound++;
	c->lease.updated_ms = c->wheel->now;
	d6_copy_dns(&c->lease, m);
	d6_set_times(c, t1, t2);
	d6_enter_bound(c, m);
	d6_log_lease(c, "bound");
	c->ops->lease(c, &c->lease, DHCP6_LEASE_BOUND);
}

/*
 * d6_merge_ia - a Reply to Renew/Rebind for an IA we hold (section
 * 18.2.10.1): new entries are added, known ones get their lifetimes,
 * valid lifetime 0 removes one, the rest stays as it was.
 */
static void d6_merge_ia(struct dhcp6 *c, const struct dhcp6_ia *ia, bool pd, uint32_t *t1,
			uint32_t *t2)
{
	struct dhcp6_lease_entry *dst = pd ? c->lease.prefix : c->lease.addr;
	uint8_t *n = pd ? &c->lease.n_prefix : &c->lease.n_addr;
	struct dhcp6_lease_entry le, upd[DHCP6_IA_MAX];
	uint8_t i, j, nu = 0;
	uint32_t a, b;
	char s[64];

	for (i = 0; i < ia->n; i++) {
		if (!d6_entry_ok(c, &ia->e[i], pd))
			continue;
		d6_entry_from(&le, &ia->e[i], c->wheel->now);
		for (j = 0; j < *n; j++)
			if (dst[j].plen == le.plen && !memcmp(dst[j].addr, le.addr, 16))
				break;
		if (!le.valid) {
			if (j < *n) {
				sl_info(c->label, "dhcpv6: server withdrew %s",
					d6_fmt(s, sizeof(s), &dst[j]));
				dst[j] = dst[*n - 1];
				(*n)--;
			}
			continue;
		}
		if (j == *n) {
			if (*n == DHCP6_IA_MAX)
				continue;
			(*n)++;
		}
		dst[j] = le;
		if (nu < DHCP6_IA_MAX)
			upd[nu++] = le;
	}
	if (nu) {
		d6_ia_times(ia, upd, nu, &a, &b);
		if (a < *t1)
			*t1 = a;
		if (b < *t2)
			*t2 = b;
	}
}

/* d6_rx_reply_renew - Reply to Renew or Rebind */
static void d6_rx_reply_renew(struct dhcp6 *c, const struct dhcp6_msg *m)
{
	uint32_t t1 = DHCP6_INFINITY, t2 = DHCP6_INFINITY;
	bool sent_na = c->lease.n_addr > 0, sent_pd = c->lease.n_prefix > 0;
	bool nobinding = false, all = true, any = false;
	const struct dhcp6_ia *ia;
	int pass;

	if (d6_top_status(c, m))
		return;
	for (pass = 0; pass < 2; pass++) {
		bool pd = pass == 1;

		if (!(pd ? sent_pd : sent_na))
			continue;
		ia = d6_ia_ok(c, pd ? &m->ia_pd : &m->ia_na);
		if (!ia) {
			all = false;
			continue;
		}
		if (ia->status.present && ia->status.code != DHCP6_ST_SUCCESS) {
			d6_log_status(c, pd ? "IA_PD" : "IA_NA", &ia->status);
			if (pd)
				c->lease.pd_status = ia->status.code;
			else
				c->lease.na_status = ia->status.code;
			if (ia->status.code == DHCP6_ST_NO_BINDING)
				nobinding = true;
			else
				all = false; /* not renewed: retransmit, it may change */
			continue;
		}
		d6_merge_ia(c, ia, pd, &t1, &t2);
		any = true;
	}
	if (nobinding) {
		/* Section 18.2.10.1: a Request for the IAs, never taken as success. */
		c->stats.nobinding++;
		sl_warn(c->label, "dhcpv6: server has no binding for our IA, Request");
		memcpy(c->server_id, m->server_id.ptr, m->server_id.len);
		c->server_id_len = m->server_id.len;
		c->adv = c->lease;
		d6_request(c);
		if (any) {
			c->lease.updated_ms = c->wheel->now;
			c->ops->lease(c, &c->lease, DHCP6_LEASE_RENEWED);
		}
		return;
	}
	if (!any) {
		sl_debug(c->label, "dhcpv6: Reply renews nothing, keep trying");
		return;
	}
	c->lease.updated_ms = c->wheel->now;
	d6_copy_dns(&c->lease, m);
	if (!d6_has_lease(c)) {
		d6_lease_lost(c, "the server withdrew everything");
		c->ops->lease(c, &c->lease, DHCP6_LEASE_EXPIRED);
		return;
	}
	c->stats.renewed++;
	if (all) {
		if (sent_na)
			c->lease.na_status = DHCP6_ST_SUCCESS;
		if (sent_pd)
			c->lease.pd_status = DHCP6_ST_SUCCESS;
		d6_set_times(c, t1, t2);
		d6_enter_bound(c, m);
		d6_log_lease(c, "renewed");
	} else {
		/* Section 18.2.10.1: an IA left out: keep retransmitting. */
		d6_arm_expiry(c);
		sl_info(c->label, "dhcpv6: Reply renews only part of the lease");
	}
	c->ops->lease(c, &c->lease, DHCP6_LEASE_RENEWED);
}

/* d6_offer_score - how much of what we want an Advertise offers */
static unsigned int d6_offer_score(struct dhcp6 *c, const struct dhcp6_msg *m,
				   struct dhcp6_lease *offer)
{
	const struct dhcp6_ia *ia;
	unsigned int score = 0;
	uint8_t i;

	memset(offer, 0, sizeof(*offer));
	offer->na_status = offer->pd_status = -1;
	if (c->want_na && (ia = d6_ia_ok(c, &m->ia_na))) {
		if (ia->status.present && ia->status.code != DHCP6_ST_SUCCESS)
			d6_log_status(c, "Advertise IA_NA", &ia->status);
		else
			for (i = 0; i < ia->n; i++)
				if (d6_entry_ok(c, &ia->e[i], false) && offer->n_addr < DHCP6_IA_MAX)
					d6_entry_from(&offer->addr[offer->n_addr++], &ia->e[i], 0);
	}
	if (c->want_pd && (ia = d6_ia_ok(c, &m->ia_pd))) {
		if (ia->status.present && ia->status.code != DHCP6_ST_SUCCESS)
			d6_log_status(c, "Advertise IA_PD", &ia->status);
		else
			for (i = 0; i < ia->n; i++)
				if (d6_entry_ok(c, &ia->e[i], true) && offer->n_prefix < DHCP6_IA_MAX)
					d6_entry_from(&offer->prefix[offer->n_prefix++], &ia->e[i], 0);
	}
	score += offer->n_addr ? 1 : 0;
	score += offer->n_prefix ? 1 : 0;
	return score;
}

static void d6_rx_advertise(struct dhcp6 *c, const struct dhcp6_msg *m)
{
	struct dhcp6_lease offer;
	unsigned int score;
	uint8_t pref = m->has_preference ? m->preference : 0;

	if (!c->count)
		return; /* nothing sent yet in this exchange */
	if (m->status.present && m->status.code != DHCP6_ST_SUCCESS)
		d6_log_status(c, "Advertise", &m->status);
	score = d6_offer_score(c, m, &offer);
	if (!score) {
		/* Section 18.2.9: no address and no prefix: ignore it. */
		sl_debug(c->label, "dhcpv6: Advertise offers nothing we asked for, ignored");
		return;
	}
	c->stats.advertises++;
	if (c->adv_valid &&
	    (pref < c->adv_pref || (pref == c->adv_pref && score <= c->adv_score)))
		return;
	c->adv_valid = true;
	c->adv_pref = pref;
	c->adv_score = score;
	memcpy(c->adv_server_id, m->server_id.ptr, m->server_id.len);
	c->adv_server_id_len = m->server_id.len;
	c->adv_has_unicast = m->has_unicast;
	memcpy(c->adv_unicast, m->unicast, 16);
	c->adv = offer;
	/* Preference 255, or the first RT already over: take it now. */
	if (pref == 255 || c->count > 1)
		d6_take_adv(c);
}

void dhcp6_input(struct dhcp6 *c, const uint8_t *buf, size_t len)
{
	struct dhcp6_msg m;
	int err;

	if (c->state == DHCP6_ST_IDLE || c->state == DHCP6_ST_BOUND)
		return;
	err = dhcp6_decode(buf, len, &m);
	if (err) {
		c->stats.dropped++;
		sl_debug(c->label, "dhcpv6: malformed message (%d), dropped", err);
		return;
	}
	/* Section 16.3/16.10: ours only if the transaction id and Client
	 * Identifier match and a Server Identifier is there. */
	if ((m.type != DHCP6_ADVERTISE && m.type != DHCP6_REPLY) || m.xid != c->xid ||
	    !m.client_id.present || m.client_id.len != c->duid_len ||
	    memcmp(m.client_id.ptr, c->duid, c->duid_len) || !m.server_id.present) {
		c->stats.dropped++;
		sl_debug(c->label, "dhcpv6: %s xid 0x%06x not for us, dropped",
			 dhcp6_msg_name(m.type), m.xid);
		return;
	}
	sl_debug(c->label, "dhcpv6: got %s in %s", dhcp6_msg_name(m.type),
		 dhcp6_state_name(c->state));
	/* Section 21.24: SOL_MAX_RT counts from any Advertise or Reply. */
	if (m.has_sol_max_rt && m.sol_max_rt >= 60 && m.sol_max_rt <= 86400) {
		c->sol_max_rt = m.sol_max_rt * 1000;
		if (c->state == DHCP6_ST_SOLICIT)
			c->mrt = c->sol_max_rt;
	}
	if (m.type == DHCP6_ADVERTISE) {
		if (c->state == DHCP6_ST_SOLICIT)
			d6_rx_advertise(c, &m);
		return;
	}
	switch (c->state) {
	case DHCP6_ST_SOLICIT:
		if (!c->rapid_commit || !m.rapid_commit || !c->count)
			return;
		c->stats.replies++;
		d6_rx_reply_request(c, &m);
		break;
	case DHCP6_ST_REQUEST:
		c->stats.replies++;
		d6_rx_reply_request(c, &m);
		break;
	case DHCP6_ST_RENEW:
	case DHCP6_ST_REBIND:
		c->stats.replies++;
		d6_rx_reply_renew(c, &m);
		break;
	default:
		break;
	}
}

/* ---- control ------------------------------------------------------- */

void dhcp6_set_id(struct dhcp6 *c, const uint8_t *duid, size_t duid_len, uint32_t iaid)
{
	if (duid_len > DHCP6_DUID_MAX)
		duid_len = DHCP6_DUID_MAX;
	memcpy(c->duid, duid, duid_len);
	c->duid_len = (uint16_t)duid_len;
	c->iaid = iaid;
}

void dhcp6_init(struct dhcp6 *c, const struct dhcp6_ops *ops, struct tw_wheel *wheel,
		const uint8_t *duid, size_t duid_len, uint32_t iaid, uint32_t seed,
		const char *label, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->wheel = wheel;
	c->label = label;
	c->ctx = ctx;
	dhcp6_set_id(c, duid, duid_len, iaid);
	c->rng = (seed ^ iaid ^ 0x9e3779b9u) ? (seed ^ iaid ^ 0x9e3779b9u) : 1;
	c->sol_max_rt = SOL_MAX_RT;
	c->lease.na_status = c->lease.pd_status = -1;
	tw_timer_init(&c->rt_timer, d6_rt_fire);
	tw_timer_init(&c->t_timer, d6_t_fire);
	tw_timer_init(&c->exp_timer, d6_exp_fire);
	c->state = DHCP6_ST_IDLE;
}

static void d6_cancel_all(struct dhcp6 *c)
{
	tw_cancel(c->wheel, &c->rt_timer);
	tw_cancel(c->wheel, &c->t_timer);
	tw_cancel(c->wheel, &c->exp_timer);
}

/* d6_forget - the lease becomes the hints for the next start */
static void d6_forget(struct dhcp6 *c)
{
	if (d6_has_lease(c))
		c->hint = c->lease;
	memset(&c->lease, 0, sizeof(c->lease));
	c->lease.na_status = c->lease.pd_status = -1;
	c->adv_valid = false;
	c->has_unicast = false;
	c->t1_at = c->t2_at = D6_NEVER;
}

int dhcp6_start(struct dhcp6 *c, bool na, bool pd, uint8_t pd_len)
{
	if (!na && !pd)
		return -EINVAL;
	if (pd_len > 128)
		return -EINVAL;
	d6_cancel_all(c);
	d6_forget(c);
	c->want_na = na;
	c->want_pd = pd;
	c->pd_len_hint = pd_len;
	c->fails = 0;
	sl_debug(c->label, "dhcpv6: start (IA_NA %s, IA_PD %s)", na ? "yes" : "no",
		 pd ? "yes" : "no");
	d6_solicit(c, 0);
	return 0;
}

void dhcp6_stop(struct dhcp6 *c, bool release)
{
	if (c->state == DHCP6_ST_IDLE)
		return;
	d6_cancel_all(c);
	if (release && d6_has_lease(c) && c->server_id_len) {
		/* One Release, no retransmission: the link is going away. */
		c->xid = d6_rand(c) & 0xffffff;
		c->count = 1;
		c->rt = 0;
		d6_send(c, DHCP6_RELEASE);
	}
	d6_forget(c);
	d6_set_state(c, DHCP6_ST_IDLE);
}
