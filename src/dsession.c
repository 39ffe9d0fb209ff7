// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dsession.c - one session as the daemon runs it: the session_ops callbacks
 * through which the protocol layer reaches the world. Frames out through
 * AF_XDP; the network coming up or down configures the TUN (address, MTU,
 * routes, rule) and runs the hooks with pppd's environment; setup events
 * feed the setup window and the per-AC liveness; a missed echo probes the
 * siblings. Also creating and destroying a session: its TUN, its MAC in the
 * XDP filter and the NIC, its routing table.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "pppoe/ip6.h"
#include "pppoe/log.h"
#include "pppoe/util.h"
#include "pppoe/wire.h"
#include "src/daemon_int.h"
#include "src/ethfeat.h"
#include "src/hooks.h"
#include "src/statefile.h"
#include "src/xsk_io.h"
#include "tun/netcfg.h"
#include "tun/tun.h"
#include "xdp/pppoe_xdp.h"

#define DSESSION_DROP_SAMPLE_MS 100 /* RX drop sampling while sessions are in setup */

/* ---- session callbacks ------------------------------------------------- */

static int dsession_output(struct session *s, const uint8_t *frame, size_t len)
{
	struct dsession *ds = s->ctx;
	int ret = xsk_io_send(ds->d->io, frame, len);

	if (ret < 0)
		s->stats.tx_dropped++;
	return ret;
}

static void dsession_bound(struct session *s)
{
	struct dsession *ds = s->ctx;
	struct daemon *d = ds->d;
	size_t i = 0;

	sessions_sid_add(ds);
	workers_tun_attach(ds);
	/* The AC gave this very session (id and both MACs) to us again: an
	 * earlier run's record of it must not end it at the next start. */
	while (i < d->norphans) {
		const struct statefile_sess *o = &d->orphans[i];

		if (o->session_id == s->disc.session_id && !memcmp(o->ac_mac, s->disc.ac_mac, 6) &&
		    !memcmp(o->our_mac, s->mac, 6))
			d->orphans[i] = d->orphans[--d->norphans];
		else
			i++;
	}
	statekeep_dirty(d);
}

static void dsession_unbound(struct session *s)
{
	struct dsession *ds = s->ctx;

	statekeep_dirty(ds->d);
	sessions_sid_del(ds);
	workers_tun_detach(ds);
}

static void dsession_dial_request(struct session *s)
{
	struct dsession *ds = s->ctx;

	pacer_request(&ds->d->pacer, &ds->pace);
}

static void dsession_dial_cancel(struct session *s)
{
	struct dsession *ds = s->ctx;

	pacer_cancel(&ds->d->pacer, &ds->pace);
}

/* dsession_rx_dropped - frames the kernel dropped before our RX rings so far */
static uint64_t dsession_rx_dropped(const struct daemon *d)
{
	struct xsk_io_stats st;

	xsk_io_get_stats(d->io, &st);
	return st.rx_dropped;
}

/* dsession_drop_sample - frames the kernel dropped before our RX ring are a
 * sign that more is arriving at once than we can take: shrink the window */
void dsession_drop_sample(struct tw_timer *t)
{
	struct daemon *d = container_of(t, struct daemon, drop_timer);
	uint64_t dropped = dsession_rx_dropped(d);

	if (dropped > d->rx_dropped_seen) {
		pr_debug("%llu frames dropped before the RX ring during setup",
			 (unsigned long long)(dropped - d->rx_dropped_seen));
		/* Not tied to one setup: at most one decrease a second. */
		setup_win_signal(&d->win, d->loop.wheel.now, SETUP_R_RX_DROP,
				 d->loop.wheel.now > 1000 ? d->loop.wheel.now - 1000 : 0);
	}
	d->rx_dropped_seen = dropped;
	if (d->win.inflight)
		tw_arm(&d->loop.wheel, &d->drop_timer, DSESSION_DROP_SAMPLE_MS);
}

static void dsession_vlan_stripped(struct daemon *d, struct session *s);

static void dsession_setup(struct session *s, enum session_setup_ev ev)
{
	struct dsession *ds = s->ctx;
	struct daemon *d = ds->d;
	unsigned int before = setup_win_size(&d->win);
	uint64_t now = d->loop.wheel.now;

	switch (ev) {
	case SESSION_SETUP_BEGIN:
		setup_win_start(&d->win, now);
		if (!tw_pending(&d->drop_timer)) {
			d->rx_dropped_seen = dsession_rx_dropped(d);
			tw_arm(&d->loop.wheel, &d->drop_timer, DSESSION_DROP_SAMPLE_MS);
		}
		return;
	case SESSION_SETUP_OK:
		setup_win_done(&d->win, now, true, now - s->setup_start_ms);
		acpeer_progress(&d->peers, s->disc.ac_mac, now);
		break;
	case SESSION_SETUP_FAILED:
		setup_win_done(&d->win, now, false, 0);
		break;
	case SESSION_SETUP_PADO_LATE:
		setup_win_signal(&d->win, now, SETUP_R_PADO_LOSS, s->setup_start_ms);
		dsession_vlan_stripped(d, s);
		break;
	case SESSION_SETUP_PADS_LATE:
		setup_win_signal(&d->win, now, SETUP_R_PADS_LOSS, s->setup_start_ms);
		break;
	case SESSION_SETUP_LCP_LATE:
		setup_win_signal(&d->win, now, SETUP_R_LCP_LOSS, s->setup_start_ms);
		break;
	case SESSION_SETUP_EXPIRED:
		setup_win_expire(&d->win, now, s->setup_start_ms);
		break;
	}
	if (setup_win_size(&d->win) < before)
		pr_info("setup window %u -> %u (%s), %u in setup, %u queued", before,
			setup_win_size(&d->win), setup_reason_name(d->win.reason),
			d->win.inflight, d->pacer.queued);
	/* A slot may have opened (or the window grown): let queued dials go. */
	pacer_kick(&d->pacer);
}

static bool dsession_ac_heard_since(struct session *s, uint64_t since_ms)
{
	struct dsession *ds = s->ctx;

	return acpeer_heard_since(&ds->d->peers, s->disc.ac_mac, since_ms);
}

static bool dsession_ac_alive(struct session *s)
{
	struct dsession *ds = s->ctx;

	return acpeer_alive(&ds->d->peers, s->disc.ac_mac, ds->d->loop.wheel.now);
}

/*
 * dsession_echo_missed - one session's AC is late with an Echo-Reply. If the
 * AC died, all its sessions will find out; probe them all now rather than
 * each at its own echo time, so they notice within seconds of each other
 * (and the setup window then paces their redial).
 */
static void dsession_echo_missed(struct session *s)
{
	struct dsession *ds = s->ctx, *o;
	struct daemon *d = ds->d;
	char mac[LOG_MAC_LEN];
	enum acpeer_probe scope;
	unsigned int n = 0;
	size_t i;

	/* The AC answers on other sessions: it is alive, this one is late. */
	if (acpeer_heard_since(&d->peers, s->disc.ac_mac, s->ppp.lcp.echo_first_ms))
		return;
	scope = acpeer_probe_scope(&d->peers, s->disc.ac_mac, d->loop.wheel.now);
	if (scope == ACPEER_PROBE_NONE)
		return;
	for_each_dsession(d, i, o) {
		if (scope == ACPEER_PROBE_SOME && n >= ACPEER_PROBE_SAMPLE)
			break;
		if (o != ds && !memcmp(o->s.disc.ac_mac, s->disc.ac_mac, 6) && session_probe(&o->s))
			n++;
	}
	d->echo_probes += n;
	if (n)
		pr_info("AC %s: %s missed an echo, probing %s%u more session(s) of it",
			log_mac(mac, s->disc.ac_mac), s->label,
			scope == ACPEER_PROBE_ALL ? "all " : "", n);
}

void dsession_pacer_go(struct pacer *p, struct pacer_entry *e)
{
	struct dsession *ds = container_of(e, struct dsession, pace);

	(void)p;
	session_dial_go(&ds->s);
}


/*
 * dsession_hook - run up_script or down_script (@kind says which) with
 * pppd's environment plus ours: IFNAME IPLOCAL IPREMOTE DNS1 DNS2 SESSION
 * PPPOE_SESSION_ID AC_MAC VLAN (and LINKNAME, like pppd's linkname). The
 * runner coalesces what a flapping link asks for while a script runs.
 */
void dsession_hook(struct dsession *ds, enum hooks_kind kind, const char *script)
{
	struct session *s = &ds->s;
	char local[INET_ADDRSTRLEN], peer[INET_ADDRSTRLEN];
	char dns1[INET_ADDRSTRLEN], dns2[INET_ADDRSTRLEN];
	char env[17][96];
	char *envp[18];
	const struct dhcp6_lease *d6 = &ds->d6;
	char vlan[PPPOE_VLAN_STRLEN];
	char a6[IP6_STRLEN];
	int n;
	const char *argv_extra[6];
	char mac[LOG_MAC_LEN];
	int i = 0;

	if (!script[0] || !ds->d->hooks)
		return;
	inet_ntop(AF_INET, &ds->local, local, sizeof(local));
	inet_ntop(AF_INET, &ds->peer, peer, sizeof(peer));
	inet_ntop(AF_INET, &s->ppp.net.dns1, dns1, sizeof(dns1));
	inet_ntop(AF_INET, &s->ppp.net.dns2, dns2, sizeof(dns2));
	snprintf(env[i++], sizeof(env[0]), "IFNAME=%s", ds->conf.s.ifname);
	snprintf(env[i++], sizeof(env[0]), "IPLOCAL=%s", local);
	snprintf(env[i++], sizeof(env[0]), "IPREMOTE=%s", peer);
	snprintf(env[i++], sizeof(env[0]), "DNS1=%s", s->ppp.net.dns1 ? dns1 : "");
	snprintf(env[i++], sizeof(env[0]), "DNS2=%s", s->ppp.net.dns2 ? dns2 : "");
	snprintf(env[i++], sizeof(env[0]), "SESSION=%s", ds->conf.s.name);
	snprintf(env[i++], sizeof(env[0]), "LINKNAME=%s", ds->conf.s.name);
	snprintf(env[i++], sizeof(env[0]), "PPPOE_SESSION_ID=%u", s->disc.session_id);
	snprintf(env[i++], sizeof(env[0]), "AC_MAC=%s", log_mac(mac, s->disc.ac_mac));
	/* "7", "100.7" (QinQ, outer first) or empty: untagged */
	snprintf(env[i++], sizeof(env[0]), "VLAN=%s",
		 pppoe_vlan_format(&s->disc.vlan, vlan, sizeof(vlan)));
	/* IPv6 (ipv6 = yes): empty until IPv6CP opened / an RA gave an address. */
	snprintf(env[i++], sizeof(env[0]), "IPV6_LOCAL=%s",
		 s->v6.up ? ip6_ntop(s->v6.local, a6, sizeof(a6)) : "");
	snprintf(env[i++], sizeof(env[0]), "IPV6_REMOTE=%s",
		 s->v6.up ? ip6_ntop(s->v6.ra_seen ? s->v6.router : s->v6.peer, a6, sizeof(a6))
			  : "");
	snprintf(env[i++], sizeof(env[0]), "IPV6_ADDR=%s",
		 s->v6.up && s->v6.naddr ? ip6_ntop(s->v6.addr[0].addr, a6, sizeof(a6)) : "");
	/* DHCPv6: the first delegated prefix and IA_NA address, lifetimes left in s. */
	if (d6->n_prefix) {
		snprintf(env[i++], sizeof(env[0]), "IPV6_PREFIX=%s/%u",
			 ip6_ntop(d6->prefix[0].addr, a6, sizeof(a6)), d6->prefix[0].plen);
		snprintf(env[i++], sizeof(env[0]), "IPV6_PREFIX_VALID=%u",
			 dsession_left_s(s, d6->prefix[0].valid_until));
		snprintf(env[i++], sizeof(env[0]), "IPV6_PREFIX_PREFERRED=%u",
			 dsession_left_s(s, d6->prefix[0].preferred_until));
	} else {
		snprintf(env[i++], sizeof(env[0]), "IPV6_PREFIX=");
		snprintf(env[i++], sizeof(env[0]), "IPV6_PREFIX_VALID=");
		snprintf(env[i++], sizeof(env[0]), "IPV6_PREFIX_PREFERRED=");
	}
	snprintf(env[i++], sizeof(env[0]), "IPV6_NA_ADDR=%s",
		 d6->n_addr ? ip6_ntop(d6->addr[0].addr, a6, sizeof(a6)) : "");
	n = i;
	for (i = 0; i < n; i++)
		envp[i] = env[i];
	envp[n] = NULL;
	/* pppd's ip-up arguments: interface tty speed local remote ipparam */
	argv_extra[0] = ds->conf.s.ifname;
	argv_extra[1] = "";
	argv_extra[2] = "0";
	argv_extra[3] = local;
	argv_extra[4] = peer;
	argv_extra[5] = NULL;
	hooks_run(ds->d->hooks, (const void *)(uintptr_t)ds->id, kind, s->label, script, envp,
		  argv_extra, ds->conf.script_timeout * 1000);
}

/* dsession_routes - add (or remove) the session's routes and rule */
static int dsession_routes(struct dsession *ds, bool add)
{
	struct netcfg *nc = ds->d->nc;
	int ret = 0, r;

	if (ds->table) {
		r = add ? netcfg_route_add(nc, ds->ifindex, 0, 0, ds->table, 0)
			: netcfg_route_del(nc, ds->ifindex, 0, 0, ds->table, 0);
		ret = ret ? ret : r;
		r = add ? netcfg_rule_add(nc, ds->local, ds->table, ds->conf.rule_priority)
			: netcfg_rule_del(nc, ds->local, ds->table, ds->conf.rule_priority);
		ret = ret ? ret : r;
	}
	if (ds->conf.defaultroute) {
		r = add ? netcfg_route_add(nc, ds->ifindex, 0, 0, MAIN_TABLE,
					   ds->conf.defaultroute_metric)
			: netcfg_route_del(nc, ds->ifindex, 0, 0, MAIN_TABLE,
					   ds->conf.defaultroute_metric);
		ret = ret ? ret : r;
	}
	return ret;
}

static void dsession_net_up(struct session *s, const struct ppp_net *net)
{
	struct dsession *ds = s->ctx;
	char local[INET_ADDRSTRLEN], peer[INET_ADDRSTRLEN];
	char dns1[INET_ADDRSTRLEN], dns2[INET_ADDRSTRLEN];
	int ret;

	inet_ntop(AF_INET, &net->local, local, sizeof(local));
	inet_ntop(AF_INET, &net->peer, peer, sizeof(peer));
	inet_ntop(AF_INET, &net->dns1, dns1, sizeof(dns1));
	inet_ntop(AF_INET, &net->dns2, dns2, sizeof(dns2));
	sl_info(s->label, "up: local %s peer %s dns %s %s mtu %u, session 0x%04x",
		local, peer, dns1, dns2, net->mtu, s->disc.session_id);
	ds->ups++;
	/* Only a changed MTU is set: each change costs the kernel a walk. */
	ret = netcfg_link_set(ds->d->nc, ds->ifindex, false,
			      net->mtu != ds->tun_mtu ? net->mtu : 0);
	if (!ret)
		ds->tun_mtu = net->mtu;
	if (!ret)
		ret = netcfg_addr_add(ds->d->nc, ds->ifindex, net->local, net->peer);
	if (!ret) {
		ds->addr_set = true;
		ds->local = net->local;
		ds->peer = net->peer;
		ret = netcfg_link_set(ds->d->nc, ds->ifindex, true, 0);
	}
	if (!ret)
		ret = dsession_routes(ds, true);
	if (ret)
		sl_err(s->label, "configuring %s failed: %s", ds->conf.s.ifname, strerror(-ret));
	statekeep_dirty(ds->d);
	/* Like pppd's ip-up: run even if configuring failed, and then the
	 * down script runs when the session goes down. */
	ds->hook_up = true;
	dsession_hook(ds, HOOKS_UP, ds->conf.up_script);
}

/*
 * dsession_unconfigure - take the address, routes and rule away and set the
 * link down. When the daemon exits, closing the TUN removes the device and
 * with it its address and routes, so only the rule (not tied to a device)
 * is deleted: that keeps the exit of thousands of sessions within budget.
 */
static void dsession_unconfigure(struct dsession *ds)
{
	struct netcfg *nc = ds->d->nc;

	if (ds->d->stopping) {
		if (ds->addr_set && ds->table)
			netcfg_rule_del(nc, ds->local, ds->table, ds->conf.rule_priority);
		ds->addr_set = false;
		return;
	}
	if (ds->addr_set) {
		dsession_routes(ds, false);
		netcfg_addr_del(nc, ds->ifindex, ds->local, ds->peer);
		ds->addr_set = false;
	}
	netcfg_link_set(nc, ds->ifindex, false, 0);
}

static void dsession_net_down(struct session *s)
{
	struct dsession *ds = s->ctx;

	sl_info(s->label, "down");
	ds->downs++;
	dsession_unconfigure(ds);
	statekeep_dirty(ds->d);
	/* Only after an up, so the scripts' ups and downs alternate. */
	if (ds->hook_up)
		dsession_hook(ds, HOOKS_DOWN, ds->conf.down_script);
	ds->hook_up = false;
}

static const struct session_ops dsession_ops = {
	.output = dsession_output,
	.net_up = dsession_net_up,
	.net_down = dsession_net_down,
	.bound = dsession_bound,
	.unbound = dsession_unbound,
	.dial_request = dsession_dial_request,
	.dial_cancel = dsession_dial_cancel,
	.setup = dsession_setup,
	.ac_alive = dsession_ac_alive,
	.echo_missed = dsession_echo_missed,
	.ac_heard_since = dsession_ac_heard_since,
	.net6_up = dsession_net6_up,
	.net6_down = dsession_net6_down,
	.net6_addr = dsession_net6_addr,
	.net6_router = dsession_net6_router,
	.dhcp6_lease = dsession_dhcp6_lease,
};

/* dsession_table_alloc - a free table of route_table_range for route_table = auto */
static uint32_t dsession_table_alloc(struct daemon *d)
{
	uint32_t n = d->conf->route_table_max - d->conf->route_table_min + 1, i;

	if (!d->tables_used) {
		d->tables_used = calloc(n, 1);
		if (!d->tables_used)
			return 0;
	}
	for (i = 0; i < n; i++) {
		if (!d->tables_used[i]) {
			d->tables_used[i] = 1;
			return d->conf->route_table_min + i;
		}
	}
	return 0;
}

static void dsession_table_free(struct daemon *d, uint32_t table)
{
	if (d->tables_used && table >= d->conf->route_table_min &&
	    table <= d->conf->route_table_max)
		d->tables_used[table - d->conf->route_table_min] = 0;
}

/* The RX VLAN offloads that take a tag out of the frame (bit i of
 * daemon.vlan_offload_off is feature i). */
static const char *const dsession_vlan_feats[] = { "rx-vlan-hw-parse", "rx-vlan-stag-hw-parse" };

/*
 * dsession_vlan_offload_off - a session dials over a VLAN: its tags must
 * reach the XDP program in the frame. A NIC with RX VLAN offload takes
 * them out and hands them over as metadata, which XDP in skb mode never
 * sees, nor in native mode without the driver's metadata kfuncs: turn it
 * off (once, for the first such session), and back on at exit.
 */
static void dsession_vlan_offload_off(struct daemon *d)
{
	const char *ifn = d->conf->interface;
	bool on, fixed;
	size_t i;
	int ret;

	if (d->vlan_offload_checked)
		return;
	d->vlan_offload_checked = true;
	for (i = 0; i < sizeof(dsession_vlan_feats) / sizeof(dsession_vlan_feats[0]); i++) {
		const char *f = dsession_vlan_feats[i];

		ret = ethfeat_get(ifn, f, &on, &fixed);
		if (ret == -ENOENT || ret == -EOPNOTSUPP || (!ret && !on))
			continue;
		if (!ret && fixed)
			ret = -EOPNOTSUPP;
		if (!ret)
			ret = ethfeat_set(ifn, f, false);
		if (ret) {
			pr_warn("%s: RX VLAN offload (%s) is on and cannot be turned off (%s): "
				"tagged frames may reach XDP without their tags, and sessions on a VLAN "
				"then do not come up", ifn, f, strerror(-ret));
			continue;
		}
		d->vlan_offload_off |= (uint8_t)(1u << i);
		pr_info("%s: RX VLAN offload (%s) turned off, so that VLAN tags reach the XDP "
			"program in the frame; it is turned on again at exit", ifn, f);
	}
}

void dsession_vlan_offload_restore(struct daemon *d)
{
	size_t i;
	int ret;

	for (i = 0; i < sizeof(dsession_vlan_feats) / sizeof(dsession_vlan_feats[0]); i++) {
		if (!(d->vlan_offload_off & (1u << i)))
			continue;
		ret = ethfeat_set(d->conf->interface, dsession_vlan_feats[i], true);
		if (ret)
			pr_warn("%s: cannot turn RX VLAN offload (%s) on again: %s",
				d->conf->interface, dsession_vlan_feats[i], strerror(-ret));
		else
			pr_info("%s: RX VLAN offload (%s) on again", d->conf->interface,
				dsession_vlan_feats[i]);
	}
	d->vlan_offload_off = 0;
}

/*
 * dsession_vlan_stripped - a session on a VLAN got no PADO. If untagged
 * PPPoE for our MACs reached the XDP program meanwhile (which, with no
 * untagged session, it leaves to the kernel), the answers most likely lost
 * their tags before XDP: say so, once.
 */
static void dsession_vlan_stripped(struct daemon *d, struct session *s)
{
	uint64_t xdp[PPPOE_XDP_STAT_MAX];
	char v[PPPOE_VLAN_STRLEN];
	uint64_t n;

	if (!s->disc.vlan.ntags || d->vlan_strip_warned || !d->io)
		return;
	memset(xdp, 0, sizeof(xdp));
	if (xsk_io_get_xdp_stats(d->io, xdp, PPPOE_XDP_STAT_MAX) < 0)
		return;
	n = xdp[PPPOE_XDP_STAT_PASS_UNTAGGED_NOT_OURS];
	if (n <= d->untagged_seen)
		return;
	d->vlan_strip_warned = true;
	sl_warn(s->label, "no PADO on VLAN %s, but %" PRIu64 " untagged PPPoE frame(s) for our MACs "
		"arrived (left to the kernel: no session is untagged): VLAN tags are most likely "
		"stripped before the XDP program sees the frame (RX VLAN offload; on a veth, the "
		"peer's tx-vlan-offload passes them as metadata): turn that off",
		pppoe_vlan_format(&s->disc.vlan, v, sizeof(v)), n - d->untagged_seen);
	d->untagged_seen = n;
}

/* dsession_vlan_claim - steer (@on) or no longer steer the session's VLAN
 * (or untagged frames) to us in the XDP program (reference counted there) */
static int dsession_vlan_claim(struct dsession *ds, bool on)
{
	const struct pppoe_vlan *v = &ds->s.disc.vlan;
	unsigned int outer = v->ntags ? v->vid[0] : PPPOE_XDP_VLAN_NONE;
	unsigned int inner = v->ntags == 2 ? v->vid[1] : PPPOE_XDP_VLAN_NONE;

	/* Untagged sessions claim "untagged" the same way: while none runs,
	 * untagged PPPoE stays the kernel's, even to a MAC of ours. */
	if (on && v->ntags)
		dsession_vlan_offload_off(ds->d);
	return on ? xsk_io_add_vlan(ds->d->io, outer, inner)
		  : xsk_io_del_vlan(ds->d->io, outer, inner);
}

/* dsession_mac_claim - make frames to the session's MAC (and VLAN) reach
 * the XDP program */
int dsession_mac_claim(struct dsession *ds)
{
	struct daemon *d = ds->d;
	bool on;
	int ret;

	ret = xsk_io_add_mac(d->io, ds->s.mac);
	if (ret)
		return ret;
	ret = dsession_vlan_claim(ds, true);
	if (ret) {
		xsk_io_del_mac(d->io, ds->s.mac);
		return ret;
	}
	if (!memcmp(ds->s.mac, d->if_mac, 6))
		return 0;
	/* A real NIC filters unicast by destination: add the MAC to its
	 * filter, or fall back to promiscuous mode (a flag, not a count: turn
	 * it off at exit only if we turned it on). */
	if (!netcfg_uc_add(d->nc, d->if_index, ds->s.mac)) {
		ds->uc_added = true;
	} else if (!d->promisc_set && !netcfg_get_promisc(d->nc, d->if_index, &on) && !on) {
		if (!netcfg_set_promisc(d->nc, d->if_index, true)) {
			d->promisc_set = true;
			pr_info("%s: no unicast filter for session MACs, promiscuous mode on",
				d->conf->interface);
		}
	}
	return 0;
}

void dsession_mac_release(struct dsession *ds)
{
	struct daemon *d = ds->d;

	xsk_io_del_mac(d->io, ds->s.mac);
	dsession_vlan_claim(ds, false);
	if (ds->uc_added)
		netcfg_uc_del(d->nc, d->if_index, ds->s.mac);
	ds->uc_added = false;
}

static uint32_t dsession_hash_str(uint32_t h, const char *s)
{
	do
		h = (h ^ (uint8_t)*s) * 16777619u;
	while (*s++);
	return h;
}

uint32_t dsession_dial_hash(const struct dsession *ds)
{
	const struct session_conf *c = &ds->conf.s;
	uint32_t h = 2166136261u;
	unsigned int i;

	h = dsession_hash_str(h, c->user);
	h = dsession_hash_str(h, c->service);
	h = dsession_hash_str(h, c->has_ac_name ? c->ac_name : "\001any");
	h = (h ^ ppp_conf_mru(&c->ppp)) * 16777619u;
	for (i = 0; c->disc.has_ac_mac && i < 6; i++)
		h = (h ^ c->disc.ac_mac[i]) * 16777619u;
	if (c->ppp.mtu > PPPOE_MRU) /* RFC 4638: a dial of its own */
		h = (h ^ c->ppp.mtu) * 16777619u;
	/* Only when on, so records of sessions without IPv6 keep their hash. */
	if (c->ppp.ipv6)
		h = (h ^ 0x0057) * 16777619u;
	return h ? h : 1;
}

int dsession_resume(struct dsession *ds, const struct session_resume *r, uint32_t table)
{
	struct daemon *d = ds->d;
	int ret;

	/* The recorded table, not the one dsession_create picked: the
	 * config may have changed order since, and a session not resumed
	 * that holds it takes ours in exchange. */
	if (ds->conf.route_table_auto && table != ds->table) {
		struct dsession *o;
		size_t i;

		if (!d->tables_used)
			return -ENOMEM;
		if (d->tables_used[table - d->conf->route_table_min]) {
			for_each_dsession(d, i, o)
				if (o != ds && o->conf.route_table_auto && o->table == table)
					break;
			if (i == d->nslots || o->resumed)
				return -EADDRINUSE;
			o->table = ds->table;
			ds->table = table;
		} else {
			dsession_table_free(d, ds->table);
			d->tables_used[table - d->conf->route_table_min] = 1;
			ds->table = table;
		}
	}
	ret = session_resume(&ds->s, r);
	if (ret)
		return ret;
	ds->resumed = true;
	ds->hook_up = true; /* its up_script ran in the earlier run: down_script follows */
	ds->addr_set = true;
	ds->local = r->ppp.net.local;
	ds->peer = r->ppp.net.peer;
	ds->tun_mtu = r->ppp.net.mtu;
	/* The kernel kept all of it with the TUN; adds of what is there are
	 * no-ops, and put back what someone removed meanwhile. */
	ret = netcfg_addr_add(d->nc, ds->ifindex, ds->local, ds->peer);
	if (!ret)
		ret = netcfg_link_set(d->nc, ds->ifindex, true, 0);
	if (!ret)
		ret = dsession_routes(ds, true);
	if (ret)
		sl_err(ds->s.label, "restoring %s failed: %s", ds->conf.s.ifname, strerror(-ret));
	return 0;
}

/* dsession_offload_names - TUN_OFF_* bits as "csum tso4 ..." */
static const char *dsession_offload_names(unsigned int set, char *buf, size_t len)
{
	static const char *const names[] = { "csum", "tso4", "tso6", "uso4", "uso6" };
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && o < len; i++)
		if (set & (1u << i))
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? " " : "", names[i]);
	return o ? buf : "none";
}

/*
 * dsession_offload - TUNSETOFFLOAD on the session's TUN: every offload the
 * kernel takes with tun_offload = auto, none with off (an adopted TUN may
 * still have an earlier run's). What was enabled is logged once: all TUNs
 * of one kernel take the same.
 */
static void dsession_offload(struct dsession *ds)
{
	struct daemon *d = ds->d;
	unsigned int got = 0;
	char names[48];
	int ret;

	ret = tun_set_offload(ds->tun_fd, ds->vnet ? TUN_OFF_ALL : 0, &got);
	if (d->off.logged)
		return;
	d->off.logged = true;
	d->off.enabled = got;
	d->off.gro_flags = ((got & TUN_OFF_USO4) ? VNET_GRO_UDP4 : 0) |
			   ((got & TUN_OFF_USO6) ? VNET_GRO_UDP6 : 0);
	if (!ds->vnet)
		pr_info("TUN offloads off (tun_offload = off): one packet per TUN read and write");
	else if (ret)
		pr_warn("TUN offloads: the kernel took none (%s): one packet per TUN read and "
			"write, with a vnet header", strerror(-ret));
	else
		pr_info("TUN offloads: %s (super-packets up to 64 KiB both ways)",
			dsession_offload_names(got, names, sizeof(names)));
}

/* dsession_create - a session in slot @slot: TUN, MAC, table; not dialing yet */
int dsession_create(struct daemon *d, const struct conf_session *cs, size_t slot)
{
	const uint8_t *mac = cs->s.mac_mode == SESSION_MAC_INTERFACE ? d->if_mac : cs->s.mac;
	struct dsession *ds;
	int ret;

	ds = calloc(1, sizeof(*ds));
	if (!ds)
		return -ENOMEM;
	ds->d = d;
	ds->id = ++d->next_id; /* never reused, unlike the address of ds */
	ds->slot = slot;
	ds->tun_fd = -1;
	ds->worker = -1;
	ds->conf = *cs;
	conf_session_link(&ds->conf);
	ds->pace.mac = ds->s.mac;
	session_init(&ds->s, &ds->conf.s, &dsession_ops, &d->loop.wheel, mac, (uint32_t)slot, ds);
	ds->s.lower_mtu = d->if_mtu;

	/* tun_offload = auto: the daemon has the buffers (datapath_offload_init) */
	ds->vnet = d->dp.tun_buf != NULL;
	ret = tun_open_owned(d->nc, cs->s.ifname, d->link_group, DAEMON_LINK_GROUP_FAMILY,
			     ds->vnet, &ds->ifindex, &ds->adopted);
	if (ret < 0) {
		pr_err("%s: cannot create TUN %s: %s", cs->s.name, cs->s.ifname, strerror(-ret));
		goto err_free;
	}
	ds->tun_fd = ret;
	dsession_offload(ds);
	if (!ds->adopted) {
		/* IPv6 stays off until IPv6CP opens (ipv6 = yes). An adopted TUN
		 * keeps what it had: see recover.c for one whose session now
		 * has ipv6 = no. */
		ret = tun_disable_ipv6(cs->s.ifname);
		if (ret && !d->ipv6_warned) {
			d->ipv6_warned = true; /* once: the next thousand would say the same */
			pr_warn("%s: cannot turn IPv6 off on %s: %s", cs->s.name, cs->s.ifname,
				strerror(-ret));
		}
		/* One link group for all our TUNs: it marks them as ours for the
		 * next start, and a clean exit deletes them in one go. Persistent
		 * only once in the group, so a crash in between leaves nothing. */
		ret = netcfg_link_set_group(d->nc, ds->ifindex, d->link_group);
		if (!ret)
			ret = tun_set_persist(ds->tun_fd, true);
		if (ret) {
			pr_err("%s: cannot make TUN %s persistent: %s", cs->s.name, cs->s.ifname,
			       strerror(-ret));
			goto err_tun;
		}
	}
	/* with workers, the TUN goes to one once the session holds its id */
	ds->ev.fn = datapath_tun_event;
	ret = d->nworkers ? 0 : evloop_add(&d->loop, ds->tun_fd, EPOLLIN, &ds->ev);
	if (ret)
		goto err_tun;
	ret = dsession_mac_claim(ds);
	if (ret)
		goto err_tun;
	ds->table = cs->route_table_auto ? dsession_table_alloc(d) : cs->route_table;
	if (cs->route_table_auto && !ds->table)
		pr_warn("%s: route_table_range exhausted, no routing table", cs->s.name);
	d->sessions[slot] = ds;
	return 0;
err_tun:
	/* One we created goes; an earlier run's stays for the next start. */
	if (!ds->adopted)
		tun_set_persist(ds->tun_fd, false);
	tun_close(ds->tun_fd);
err_free:
	explicit_bzero(&ds->conf, sizeof(ds->conf));
	free(ds);
	return ret;
}

/* dsession_destroy - forget a session (PADT if it is still open) */
void dsession_destroy(struct dsession *ds)
{
	struct daemon *d = ds->d;

	if (d->keep) {
		/* stop --keep: the session, its TUN and its MAC stay for the next
		 * start; nothing of it may stay in the timer wheel. */
		datapath_forget(d, ds);
		session_quiesce(&ds->s);
		workers_tun_detach(ds);
		tun_close(ds->tun_fd);
		goto out;
	}
	datapath_forget(d, ds);
	session_abort(&ds->s, d->stopping ? "shutdown" : "removed");
	dsession_unconfigure(ds);
	dsession_mac_release(ds);
	if (ds->conf.route_table_auto)
		dsession_table_free(d, ds->table);
	/* No longer persistent: closing it removes the device (at exit the
	 * group delete already did). */
	tun_set_persist(ds->tun_fd, false);
	workers_tun_detach(ds);
	tun_close(ds->tun_fd);
out:
	ds->tun_fd = -1;
	d->sessions[ds->slot] = NULL;
	explicit_bzero(&ds->conf, sizeof(ds->conf));
	/* Events of this epoll batch may still point at it (a reload asked
	 * for by a control client): free it once the batch is done. */
	ds->dead_next = d->graveyard;
	d->graveyard = ds;
}
