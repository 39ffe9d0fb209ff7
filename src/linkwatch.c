// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * linkwatch.c - follow the interface over rtnetlink: link up ends holdoffs
 * at once, a new MAC redials the sessions dialing from the interface's
 * MAC, a lower MTU redials the sessions that no longer fit, a removed
 * interface ends the daemon, and an XDP program someone detached is
 * attached again.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

#include "pppoe/log.h"
#include "pppoe/util.h"
#include "src/daemon_int.h"
#include "src/xsk_io.h"
#include "tun/netcfg.h"

/*
 * linkwatch_mac - the interface's MAC changed: sessions dialing from it
 * have a session the AC knows under the old address. PADT (from the old
 * address, the only one the AC knows), then dial again from the new one.
 */
static void linkwatch_mac(struct daemon *d, const uint8_t mac[6])
{
	struct dsession *ds;
	char old[LOG_MAC_LEN], new[LOG_MAC_LEN];
	size_t i;

	pr_warn("%s: MAC changed %s -> %s", d->conf->interface, log_mac(old, d->if_mac),
		log_mac(new, mac));
	memcpy(d->if_mac, mac, 6);
	for_each_dsession(d, i, ds) {
		bool was_up = ds->s.admin_up;

		if (ds->conf.s.mac_mode != SESSION_MAC_INTERFACE)
			continue;
		session_abort(&ds->s, "interface MAC changed");
		dsession_mac_release(ds);
		session_set_mac(&ds->s, mac);
		if (dsession_mac_claim(ds))
			sl_err(ds->s.label, "cannot receive on the new MAC");
		if (was_up)
			session_start(&ds->s);
	}
}

/*
 * linkwatch_mtu - the interface's MTU changed. A session whose frames no
 * longer fit redials (LCP then asks for an MRU that fits); a bigger MTU
 * takes effect at each session's next dial, without dropping anyone.
 */
static void linkwatch_mtu(struct daemon *d, unsigned int mtu)
{
	struct dsession *ds;
	unsigned int limit;
	size_t i;
	char why[64];

	pr_warn("%s: MTU changed %u -> %u", d->conf->interface, d->if_mtu, mtu);
	d->if_mtu = mtu;
	snprintf(why, sizeof(why), "interface MTU now %u", mtu);
	for_each_dsession(d, i, ds) {
		ds->s.lower_mtu = mtu;
		if (ds->s.ppp.phase == PPP_PHASE_DEAD)
			continue;
		/* Up: what was agreed must fit both ways (the MTU we send, the
		 * MRU the AC sends us). Negotiating: LCP started with the old
		 * limit, start over with the new one. */
		limit = session_mru_limit(&ds->s, ds->s.disc.max_payload);
		if (ds->s.ppp.net_up ? ds->s.ppp.net.mtu > limit || ds->s.ppp.lcp.mru > limit
				     : ds->s.ppp.peer_mru_limit > limit)
			session_redial(&ds->s, why);
	}
}

/* linkwatch_check - compare the interface with what we saw last */
static void linkwatch_check(struct daemon *d)
{
	struct netcfg_link_state st;
	struct dsession *ds;
	size_t i;
	int ret;

	ret = netcfg_link_query(d->nc, d->if_index, &st);
	if (ret == -ENODEV) {
		pr_err("%s: interface removed", d->conf->interface);
		d->link_gone = true;
		daemon_begin_shutdown(d, "interface removed");
		/* No wire left to wait for Terminate-Acks on. */
		for_each_dsession(d, i, ds)
			session_abort(&ds->s, "interface removed");
		return;
	}
	if (ret)
		return;
	if (st.up != d->link_up) {
		d->link_up = st.up;
		if (st.up) {
			pr_info("%s: link up", d->conf->interface);
			for_each_dsession(d, i, ds)
				session_link_up(&ds->s);
		} else {
			/* Sessions stay: a short flap should not cost them. LCP
			 * echoes decide whether they survived it. */
			pr_warn("%s: link down", d->conf->interface);
		}
	}
	if (d->stopping)
		return;
	xsk_io_xdp_ensure(d->io);
	if (memcmp(st.mac, d->if_mac, 6))
		linkwatch_mac(d, st.mac);
	if (st.mtu != d->if_mtu)
		linkwatch_mtu(d, st.mtu);
}

/* linkwatch_event - rtnetlink told us something about a link */
static void linkwatch_event(struct ev_src *src, uint32_t events)
{
	struct daemon *d = container_of(src, struct daemon, watch_ev);

	(void)events;
	if (netcfg_watch_read(d->watch, d->if_index))
		linkwatch_check(d);
}

/* linkwatch_open - follow the interface: up/down, MAC, MTU, removal */
int linkwatch_open(struct daemon *d)
{
	struct netcfg_link_state st;
	int ret;

	ret = netcfg_link_query(d->nc, d->if_index, &st);
	if (ret) {
		pr_err("%s: %s", d->conf->interface, strerror(-ret));
		return ret;
	}
	d->link_up = st.up;
	d->if_mtu = st.mtu;
	if (!st.up)
		pr_warn("%s: link is down; sessions keep trying", d->conf->interface);
	ret = netcfg_watch_open(&d->watch);
	if (ret)
		return ret;
	d->watch_ev.fn = linkwatch_event;
	return evloop_add(&d->loop, netcfg_watch_fd(d->watch), EPOLLIN, &d->watch_ev);
}
