// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session6.c - a session's IPv6 once IPCP and IPv6CP are both Opened:
 * Router Solicitation (RFC 4861 6.3.7), Router Advertisements consumed in
 * process, SLAAC addresses from their prefixes (RFC 4862 5.5.3), the
 * default router, and expiry of both on the session's timer wheel.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "pppoe/log.h"
#include "pppoe/session.h"
#include "pppoe/util.h"
#include "pppoe/wire.h"

#define SESSION6_DHCP6_CLIENT_PORT 546

static uint64_t session6_until(const struct session *s, uint32_t lifetime)
{
	return lifetime == ND_INFINITE ? UINT64_MAX : s->wheel->now + (uint64_t)lifetime * 1000;
}

/* session6_left_s - seconds left until @until (wheel time), rounded up */
static uint32_t session6_left_s(const struct session *s, uint64_t until)
{
	if (until == UINT64_MAX)
		return ND_INFINITE;
	if (until <= s->wheel->now)
		return 0;
	return (uint32_t)((until - s->wheel->now + 999) / 1000);
}

static void session6_send_rs(struct session *s)
{
	uint8_t pkt[64];
	size_t n = nd_rs_build(pkt, sizeof(pkt), s->v6.local);

	if (n && !session_send_ip6(s, pkt, n)) {
		s->v6.tx_rs++;
		sl_debug(s->label, "IPv6: Router Solicitation %u", s->v6.rs_sent + 1);
	}
	s->v6.rs_sent++;
}

static void session6_rs_timer(struct tw_timer *t)
{
	struct session *s = container_of(t, struct session, v6.rs_timer);

	if (!s->v6.up || s->v6.ra_seen)
		return;
	if (s->v6.rs_sent >= ND_RS_MAX) {
		sl_info(s->label, "IPv6: no Router Advertisement after %u solicitations: "
			"link-local only", s->v6.rs_sent);
		return;
	}
	session6_send_rs(s);
	tw_arm(s->wheel, &s->v6.rs_timer, ND_RS_INTERVAL_MS);
}

/* session6_rearm - the expiry timer at the earliest address or router end */
static void session6_rearm(struct session *s)
{
	uint64_t next = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < s->v6.naddr; i++)
		if (s->v6.addr[i].valid_until_ms < next)
			next = s->v6.addr[i].valid_until_ms;
	if (s->v6.router_set && s->v6.router_until_ms < next)
		next = s->v6.router_until_ms;
	tw_cancel(s->wheel, &s->v6.expire_timer);
	if (next != UINT64_MAX)
		tw_arm(s->wheel, &s->v6.expire_timer,
		       next > s->wheel->now ? next - s->wheel->now : 0);
}

static void session6_router_drop(struct session *s)
{
	if (!s->v6.router_set)
		return;
	s->v6.router_set = false;
	if (s->ops->net6_router)
		s->ops->net6_router(s, false);
}

static void session6_expire(struct tw_timer *t)
{
	struct session *s = container_of(t, struct session, v6.expire_timer);
	char a[IP6_STRLEN];
	unsigned int i = 0;

	while (i < s->v6.naddr) {
		struct session_v6_addr *x = &s->v6.addr[i];

		if (x->valid_until_ms > s->wheel->now) {
			i++;
			continue;
		}
		sl_info(s->label, "IPv6: address %s expired", ip6_ntop(x->addr, a, sizeof(a)));
		if (s->ops->net6_addr)
			s->ops->net6_addr(s, x, false);
		*x = s->v6.addr[--s->v6.naddr];
	}
	if (s->v6.router_set && s->v6.router_until_ms <= s->wheel->now) {
		sl_info(s->label, "IPv6: default router lifetime over");
		session6_router_drop(s);
	}
	session6_rearm(s);
}

void session6_init(struct session *s)
{
	tw_timer_init(&s->v6.rs_timer, session6_rs_timer);
	tw_timer_init(&s->v6.expire_timer, session6_expire);
}

/* session6_start - IPv6 goes on the interface: link-local, then RS */
void session6_start(struct session *s)
{
	const struct ppp_net6 *n = &s->ppp.net6;
	uint64_t tx_rs = s->v6.tx_rs, rx_ra = s->v6.rx_ra, bad = s->v6.rx_ra_bad;
	uint64_t ign = s->v6.slaac_ignored, drop = s->v6.tx_dropped;

	if (s->v6.up)
		return;
	tw_cancel(s->wheel, &s->v6.rs_timer);
	tw_cancel(s->wheel, &s->v6.expire_timer);
	memset(&s->v6, 0, sizeof(s->v6));
	session6_init(s);
	s->v6.tx_rs = tx_rs;
	s->v6.rx_ra = rx_ra;
	s->v6.rx_ra_bad = bad;
	s->v6.slaac_ignored = ign;
	s->v6.tx_dropped = drop;
	memcpy(s->v6.local, n->local, 16);
	memcpy(s->v6.peer, n->peer, 16);
	s->v6.up = true;
	if (s->ops->net6_up)
		s->ops->net6_up(s);
	session_dhcp6_event(s, SESSION_DHCP6_V6_UP);
	/* RFC 4861 6.3.7 allows a random delay of up to 1 s before the first
	 * RS; the point-to-point link has no other host to collide with. */
	session6_send_rs(s);
	tw_arm(s->wheel, &s->v6.rs_timer, ND_RS_INTERVAL_MS);
}

/* session6_stop - IPv6 off the interface: addresses, routes and rules go */
void session6_stop(struct session *s)
{
	if (!s->v6.up)
		return;
	tw_cancel(s->wheel, &s->v6.rs_timer);
	tw_cancel(s->wheel, &s->v6.expire_timer);
	s->v6.up = false;
	session_dhcp6_event(s, SESSION_DHCP6_V6_DOWN);
	if (s->ops->net6_down)
		s->ops->net6_down(s);
	s->v6.naddr = 0;
	s->v6.router_set = false;
	s->v6.ra_seen = false;
}

/*
 * session6_lifetime - RFC 4862 5.5.3 e): the valid lifetime an address
 * already configured takes from a new RA (a forged short lifetime cannot
 * kill it at once)
 */
static uint32_t session6_lifetime(const struct session *s, const struct session_v6_addr *x,
				  uint32_t valid)
{
	uint32_t left = session6_left_s(s, x->valid_until_ms);

	if (valid > SESSION_V6_TWO_HOURS || valid > left)
		return valid;
	if (left <= SESSION_V6_TWO_HOURS)
		return left;
	return SESSION_V6_TWO_HOURS;
}

/* session6_slaac - one Prefix Information option of a valid RA */
static void session6_slaac(struct session *s, const struct nd_prefix *p)
{
	struct session_v6_addr *x = NULL;
	uint8_t addr[16];
	char a[IP6_STRLEN];
	uint32_t valid;
	unsigned int i;

	if (!p->autonomous)
		return;
	if (p->len != 64) {
		/* RFC 4862 5.5.3 d): prefix + 64-bit identifier must be 128 bits */
		s->v6.slaac_ignored++;
		sl_info(s->label, "IPv6: prefix %s/%u is not a /64: no SLAAC address from it",
			ip6_ntop(p->prefix, a, sizeof(a)), p->len);
		return;
	}
	memcpy(addr, p->prefix, 8);
	memcpy(addr + 8, s->ppp.net6.local_iid, 8);
	for (i = 0; i < s->v6.naddr; i++)
		if (!memcmp(s->v6.addr[i].addr, addr, 16))
			x = &s->v6.addr[i];
	if (!x) {
		if (!p->valid)
			return; /* 5.5.3 d): a zero valid lifetime makes nothing */
		if (s->v6.naddr >= SESSION_V6_MAX_ADDRS) {
			s->v6.slaac_ignored++;
			return;
		}
		x = &s->v6.addr[s->v6.naddr++];
		memset(x, 0, sizeof(*x));
		memcpy(x->addr, addr, 16);
		x->plen = 64;
		valid = p->valid;
		sl_info(s->label, "IPv6: SLAAC address %s/64 (valid %u s, preferred %u s)",
			ip6_ntop(addr, a, sizeof(a)), p->valid, p->preferred);
	} else {
		valid = session6_lifetime(s, x, p->valid);
	}
	x->valid = valid;
	x->preferred = p->preferred < valid ? p->preferred : valid;
	x->valid_until_ms = session6_until(s, x->valid);
	x->preferred_until_ms = session6_until(s, x->preferred);
	if (s->ops->net6_addr)
		s->ops->net6_addr(s, x, true);
}

/* session6_ra - a Router Advertisement that passed nd_ra_parse */
static void session6_ra(struct session *s, const struct nd_ra *ra)
{
	char r[IP6_STRLEN];
	bool changed;
	unsigned int i;

	s->v6.rx_ra++;
	if (!s->v6.ra_seen)
		sl_info(s->label, "IPv6: Router Advertisement from %s: router lifetime %u s, "
			"%u prefix(es)%s%s", ip6_ntop(ra->router, r, sizeof(r)),
			ra->router_lifetime, ra->nprefix, ra->managed ? ", managed (M)" : "",
			ra->other ? ", other config (O)" : "");
	s->v6.ra_seen = true;
	tw_cancel(s->wheel, &s->v6.rs_timer);
	s->v6.ra_managed = ra->managed;
	s->v6.ra_other = ra->other;
	s->v6.ra_mtu = ra->mtu;
	s->v6.nrdnss = ra->nrdnss;
	memcpy(s->v6.rdnss, ra->rdnss, sizeof(s->v6.rdnss));
	for (i = 0; i < ra->nprefix; i++)
		session6_slaac(s, &ra->prefix[i]);
	if (ra->router_lifetime) {
		changed = !s->v6.router_set || memcmp(s->v6.router, ra->router, 16);
		if (changed)
			session6_router_drop(s);
		memcpy(s->v6.router, ra->router, 16);
		s->v6.router_lifetime = ra->router_lifetime;
		s->v6.router_until_ms = session6_until(s, ra->router_lifetime);
		if (changed) {
			s->v6.router_set = true;
			if (s->ops->net6_router)
				s->ops->net6_router(s, true);
		}
	} else {
		if (s->v6.router_set)
			sl_info(s->label, "IPv6: router lifetime 0: no default route");
		/* Keep the router's address for DHCPv6, drop the route. */
		memcpy(s->v6.router, ra->router, 16);
		s->v6.router_lifetime = 0;
		session6_router_drop(s);
	}
	session6_rearm(s);
	session_dhcp6_event(s, SESSION_DHCP6_RA);
}

/* session6_for_us - is @dst one of ours for DHCPv6: link-local, SLAAC, the
 * All_DHCP_Relay_Agents_and_Servers group or all-nodes */
static bool session6_for_us(const struct session *s, const uint8_t dst[16])
{
	unsigned int i;

	if (!memcmp(dst, s->v6.local, 16) || !memcmp(dst, ip6_all_dhcp_agents, 16) ||
	    !memcmp(dst, ip6_all_nodes, 16))
		return true;
	for (i = 0; i < s->v6.naddr; i++)
		if (!memcmp(dst, s->v6.addr[i].addr, 16))
			return true;
	return false;
}

enum session6_rx_kind session6_rx_kind(const struct session *s, const uint8_t *pkt, size_t len)
{
	struct ip6_udp u;
	struct nd_ra ra;

	if (ip6_peek_icmp_type(pkt, len) == ND_RA)
		return nd_ra_parse(pkt, len, &ra) ? SESSION6_RX_BAD_RA : SESSION6_RX_CONTROL;
	if (ip6_peek_udp_dport(pkt, len) == SESSION6_DHCP6_CLIENT_PORT &&
	    !ip6_udp_parse(pkt, len, &u) && session6_for_us(s, u.dst))
		return SESSION6_RX_CONTROL;
	return SESSION6_RX_DATA;
}

int session6_rx(struct session *s, const uint8_t *pkt, size_t len)
{
	struct ip6_udp u;
	struct nd_ra ra;

	if (ip6_peek_icmp_type(pkt, len) == ND_RA) {
		if (nd_ra_parse(pkt, len, &ra)) {
			/* RFC 4861 6.1.2: silently discarded */
			s->v6.rx_ra_bad++;
			s->stats.rx_dropped++;
			return 0;
		}
		session6_ra(s, &ra);
		return 0;
	}
	if (ip6_peek_udp_dport(pkt, len) == SESSION6_DHCP6_CLIENT_PORT &&
	    !ip6_udp_parse(pkt, len, &u) && session6_for_us(s, u.dst)) {
		session_dhcp6_rx(s, &u);
		return 0;
	}
	return 1;
}
