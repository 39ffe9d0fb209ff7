// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dsession6.c - a session's IPv6 as the daemon runs it: the session_ops
 * callbacks that put IPv6CP's link-local, SLAAC addresses, the default
 * routes via the AC's router and the DHCPv6 lease (an IA_NA address, the
 * delegated prefix's unreachable route) on the TUN and in the session's
 * table, and run up_script again when the prefix changes. The IPv4 side
 * and the session's life are dsession.c's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/ip6.h"
#include "pppoe/log.h"
#include "pppoe/nd.h"
#include "src/daemon_int.h"
#include "src/hooks.h"
#include "tun/netcfg.h"
#include "tun/tun.h"

/* ---- IPv6 -------------------------------------------------------------- */

static const uint8_t dsession_any6[16];

/* dsession_default6 - the IPv6 default routes via @gw: the session's table
 * and, with defaultroute, the main one */
static void dsession_default6(struct dsession *ds, const uint8_t gw[16], bool add)
{
	struct netcfg *nc = ds->d->nc;

	if (ds->table)
		(add ? netcfg_route6_add : netcfg_route6_del)(nc, ds->ifindex, dsession_any6, 0, gw,
							      ds->table, 0);
	if (ds->conf.defaultroute)
		(add ? netcfg_route6_add : netcfg_route6_del)(nc, ds->ifindex, dsession_any6, 0, gw,
							      MAIN_TABLE,
							      ds->conf.defaultroute_metric);
}

/* dsession_net6_up - IPv6 on the TUN: no kernel autoconfiguration (we do
 * SLAAC ourselves), our link-local fe80::IID/64 */
void dsession_net6_up(struct session *s)
{
	struct dsession *ds = s->ctx;
	const char *ifn = ds->conf.s.ifname;
	char l[IP6_STRLEN];
	int ret;

	if (ds->tun_mtu && ds->tun_mtu < 1280) {
		/* RFC 8200 5: the kernel refuses IPv6 on a smaller link */
		sl_err(s->label, "IPv6 needs an MTU of 1280 or more, %s has %u: IPv6 left off",
		       ifn, ds->tun_mtu);
		return;
	}
	ret = netcfg_link_addr_gen_mode_none(ds->d->nc, ds->ifindex);
	if (!ret)
		ret = tun_ipv6_sysctl(ifn, "accept_ra", "0");
	if (!ret)
		ret = tun_ipv6_sysctl(ifn, "autoconf", "0");
	if (!ret)
		ret = tun_ipv6_sysctl(ifn, "disable_ipv6", "0");
	if (!ret)
		ret = netcfg_addr6_add(ds->d->nc, ds->ifindex, s->v6.local, 64, ND_INFINITE,
				       ND_INFINITE);
	if (ret) {
		sl_err(s->label, "enabling IPv6 on %s failed: %s", ifn, strerror(-ret));
		return;
	}
	ds->v6_set = true;
	sl_info(s->label, "IPv6 up: %s/64 on %s", ip6_ntop(s->v6.local, l, sizeof(l)), ifn);
}

/* dsession_net6_down - every IPv6 address, route and rule of the session
 * goes: the rules by hand, the rest with IPv6 turned off on the TUN */
void dsession_net6_down(struct session *s)
{
	struct dsession *ds = s->ctx;
	unsigned int i;

	if (!ds->v6_set)
		return;
	ds->v6_set = false;
	if (ds->table)
		for (i = 0; i < s->v6.naddr; i++)
			netcfg_rule6_del(ds->d->nc, s->v6.addr[i].addr, ds->table,
					 ds->conf.rule_priority);
	if (ds->d->stopping)
		return; /* the TUN goes, and its addresses and routes with it */
	if (s->v6.router_set)
		dsession_default6(ds, ds->v6_router, false);
	tun_ipv6_sysctl(ds->conf.s.ifname, "disable_ipv6", "1");
	sl_info(s->label, "IPv6 down");
}

/* dsession_net6_addr - a SLAAC address (lifetimes refreshed by each RA:
 * the kernel expires it) and its source rule, or their removal */
void dsession_net6_addr(struct session *s, const struct session_v6_addr *a, bool add)
{
	struct dsession *ds = s->ctx;
	struct netcfg *nc = ds->d->nc;

	if (!ds->v6_set)
		return;
	if (!add) {
		if (ds->table)
			netcfg_rule6_del(nc, a->addr, ds->table, ds->conf.rule_priority);
		netcfg_addr6_del(nc, ds->ifindex, a->addr, a->plen);
		return;
	}
	if (netcfg_addr6_add(nc, ds->ifindex, a->addr, a->plen, a->valid, a->preferred))
		return;
	if (ds->table)
		netcfg_rule6_add(nc, a->addr, ds->table, ds->conf.rule_priority);
}

void dsession_net6_router(struct session *s, bool add)
{
	struct dsession *ds = s->ctx;
	char r[IP6_STRLEN];

	if (!ds->v6_set)
		return;
	if (add) {
		memcpy(ds->v6_router, s->v6.router, 16);
		dsession_default6(ds, ds->v6_router, true);
		sl_info(s->label, "IPv6 default route via %s%s%s", ip6_ntop(ds->v6_router, r, sizeof(r)),
			ds->table ? " in the session's table" : "",
			ds->conf.defaultroute ? (ds->table ? " and the main table" : " in the main table")
			: "");
		/* up_script again, now with IPv6 in its environment */
		if (ds->hook_up)
			dsession_hook(ds, HOOKS_UP, ds->conf.up_script);
	} else {
		dsession_default6(ds, ds->v6_router, false);
	}
}

/* ---- DHCPv6 ------------------------------------------------------------- */

/* dsession_left_s - seconds from now to @until (wheel time), the kernel's
 * lifetime for an address the client holds */
uint32_t dsession_left_s(const struct session *s, uint64_t until)
{
	if (until == UINT64_MAX)
		return ND_INFINITE;
	if (until <= s->wheel->now)
		return 0;
	return (uint32_t)((until - s->wheel->now + 999) / 1000);
}

static bool dsession_d6_has(const struct dhcp6_lease_entry *e, uint8_t n,
			    const struct dhcp6_lease_entry *x)
{
	uint8_t i;

	for (i = 0; i < n; i++)
		if (e[i].plen == x->plen && !memcmp(e[i].addr, x->addr, 16))
			return true;
	return false;
}

/* dsession_d6_table - where a delegated prefix's unreachable route goes */
static uint32_t dsession_d6_table(const struct dsession *ds)
{
	return ds->table ? ds->table : MAIN_TABLE;
}

/*
 * dsession_dhcp6_lease - the DHCPv6 lease changed or was renewed: what went
 * goes, everything held is (re)installed. An IA_NA address is a /128 on the
 * TUN with its lifetimes and a source rule like a SLAAC address; a
 * delegated prefix stays off the TUN (it is for the LAN behind us): an
 * unreachable route for it in the session's table (main without one), so
 * traffic for parts of it that no LAN carries is refused, not sent back
 * to the AC. up_script runs again when the prefixes changed (not when
 * the session or its IPv6 goes down).
 */
void dsession_dhcp6_lease(struct session *s, const struct dhcp6_lease *l,
			  enum dhcp6_lease_ev ev)
{
	struct dsession *ds = s->ctx;
	struct netcfg *nc = ds->d->nc;
	const struct dhcp6_lease *old = &ds->d6;
	uint32_t t = dsession_d6_table(ds);
	char a[IP6_STRLEN];
	bool changed;
	uint8_t i;

	for (i = 0; i < old->n_addr; i++) {
		const struct dhcp6_lease_entry *e = &old->addr[i];

		if (dsession_d6_has(l->addr, l->n_addr, e))
			continue;
		if (ds->table)
			netcfg_rule6_del(nc, e->addr, ds->table, ds->conf.rule_priority);
		if (ds->v6_set && !ds->d->stopping)
			netcfg_addr6_del(nc, ds->ifindex, e->addr, e->plen);
		sl_info(s->label, "DHCPv6 address %s removed", ip6_ntop(e->addr, a, sizeof(a)));
	}
	for (i = 0; i < old->n_prefix; i++) {
		const struct dhcp6_lease_entry *e = &old->prefix[i];

		if (dsession_d6_has(l->prefix, l->n_prefix, e))
			continue;
		netcfg_route6_unreach_del(nc, e->addr, e->plen, t, 0);
		sl_info(s->label, "delegated prefix %s/%u removed", ip6_ntop(e->addr, a, sizeof(a)),
			e->plen);
	}
	for (i = 0; ds->v6_set && i < l->n_addr; i++) {
		const struct dhcp6_lease_entry *e = &l->addr[i];

		if (netcfg_addr6_add(nc, ds->ifindex, e->addr, 128,
				     dsession_left_s(s, e->valid_until),
				     dsession_left_s(s, e->preferred_until)))
			continue;
		if (ds->table)
			netcfg_rule6_add(nc, e->addr, ds->table, ds->conf.rule_priority);
	}
	/* Every time, Renew and Rebind included: the route must be there
	 * whatever removed it since. */
	for (i = 0; i < l->n_prefix; i++)
		netcfg_route6_unreach_add(nc, l->prefix[i].addr, l->prefix[i].plen, t, 0);
	changed = l->n_prefix != old->n_prefix;
	for (i = 0; !changed && i < l->n_prefix; i++)
		changed = !dsession_d6_has(old->prefix, old->n_prefix, &l->prefix[i]);
	for (i = 0; i < l->n_prefix; i++)
		if (!dsession_d6_has(old->prefix, old->n_prefix, &l->prefix[i]))
			sl_info(s->label, "delegated prefix %s/%u (valid %u s, preferred %u s): "
				"unreachable route in table %u", ip6_ntop(l->prefix[i].addr, a,
				sizeof(a)), l->prefix[i].plen, l->prefix[i].valid,
				l->prefix[i].preferred, t);
	ds->d6 = *l;
	if (ev == DHCP6_LEASE_RENEWED)
		ds->d6_renewed++;
	/* Not for a session going down: down_script follows. */
	if (changed && ds->hook_up && ev != DHCP6_LEASE_STOPPED)
		dsession_hook(ds, HOOKS_UP, ds->conf.up_script);
}
