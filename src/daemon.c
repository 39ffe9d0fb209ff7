// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemon.c - wires the layers together.
 *
 * Wire -> app: an XSK RX batch is parsed, each frame is matched to its
 * session (by PPPoE session id and AC MAC, or by Host-Uniq during
 * discovery); IPv4 goes straight to the session's TUN, control packets to
 * its state machines. App -> wire: a readable TUN is drained in a batch,
 * each datagram is read straight into a UMEM frame behind room for the
 * headers and queued on the TX ring, one kick per loop.
 * Timers: the wheel tells epoll_wait how long it may sleep, so an idle
 * daemon wakes only when a timer is due (the epoll timeout plays the part
 * of a timerfd, without a syscall per re-arm).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "pppoe/util.h"
#include "pppoe/session.h"
#include "pppoe/wire.h"
#include "src/caps.h"
#include "src/config.h"
#include "src/ctl.h"
#include "src/daemon.h"
#include "src/daemon_ctl.h"
#include "src/daemon_int.h"
#include "src/hooks.h"
#include "src/metrics_http.h"
#include "src/statefile.h"
#include "src/xsk_io.h"
#include "tun/netcfg.h"
#include "tun/tun.h"

#define DAEMON_BATCH        64
#define DAEMON_SHUTDOWN_MS  1000 /* wait for Terminate-Ack before PADT anyway */
#define MAIN_TABLE          254
#define DAEMON_NOFILE_HARD  65536 /* hard open file limit we ask for */
#define DAEMON_LINK_GROUP_BASE 0x50580000u /* "PX" + the interface's ifindex */
#define DAEMON_DROP_SAMPLE_MS 100 /* RX drop sampling while sessions are in setup */

#define for_each_dsession(d, i, ds) \
	for ((i) = 0; (i) < (d)->nslots; (i)++) \
		if (((ds) = (d)->sessions[i]) != NULL)

static unsigned int sid_hash(uint16_t sid, const uint8_t *ac_mac)
{
	return (sid ^ ((unsigned int)ac_mac[4] << 8) ^ ac_mac[5]) % SID_BUCKETS;
}

/* daemon_find_bound - the session using PPPoE session @sid with AC @ac_mac */
static struct dsession *daemon_find_bound(struct daemon *d, uint16_t sid, const uint8_t *ac_mac,
					  const uint8_t *our_mac)
{
	struct dsession *ds;

	for (ds = d->by_sid[sid_hash(sid, ac_mac)]; ds; ds = ds->sid_next)
		if (ds->s.disc.session_id == sid && !memcmp(ds->s.disc.ac_mac, ac_mac, 6) &&
		    !memcmp(ds->s.mac, our_mac, 6))
			return ds;
	return NULL;
}

struct dsession *daemon_find(struct daemon *d, const char *name)
{
	struct dsession *ds;
	size_t i;

	for_each_dsession(d, i, ds)
		if (!strcmp(ds->conf.s.name, name))
			return ds;
	return NULL;
}

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
	struct dsession *ds = s->ctx, **head;

	/* Remember the bucket: by the time unbound() runs, discovery may
	 * already have forgotten the session id and AC MAC (PADT sent). */
	ds->sid_bucket = sid_hash(s->disc.session_id, s->disc.ac_mac);
	head = &ds->d->by_sid[ds->sid_bucket];
	ds->sid_next = *head;
	*head = ds;
	ds->in_sid_table = true;
	statefile_put(ds->d->state_fd, ds->slot, s->mac, s->disc.ac_mac, s->disc.session_id);
}

static void dsession_unbound(struct session *s)
{
	struct dsession *ds = s->ctx, **pp;

	statefile_clear(ds->d->state_fd, ds->slot);
	if (!ds->in_sid_table)
		return;
	for (pp = &ds->d->by_sid[ds->sid_bucket]; *pp; pp = &(*pp)->sid_next) {
		if (*pp == ds) {
			*pp = ds->sid_next;
			break;
		}
	}
	ds->sid_next = NULL;
	ds->in_sid_table = false;
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

/* daemon_rx_dropped - frames the kernel dropped before our RX rings so far */
static uint64_t daemon_rx_dropped(const struct daemon *d)
{
	struct xsk_io_stats st;

	xsk_io_get_stats(d->io, &st);
	return st.rx_dropped;
}

/* daemon_drop_sample - frames the kernel dropped before our RX ring are a
 * sign that more is arriving at once than we can take: shrink the window */
static void daemon_drop_sample(struct tw_timer *t)
{
	struct daemon *d = container_of(t, struct daemon, drop_timer);
	uint64_t dropped = daemon_rx_dropped(d);

	if (dropped > d->rx_dropped_seen) {
		pr_debug("%llu frames dropped before the RX ring during setup",
			 (unsigned long long)(dropped - d->rx_dropped_seen));
		/* Not tied to one setup: at most one decrease a second. */
		setup_win_signal(&d->win, d->loop.wheel.now, SETUP_R_RX_DROP,
				 d->loop.wheel.now > 1000 ? d->loop.wheel.now - 1000 : 0);
	}
	d->rx_dropped_seen = dropped;
	if (d->win.inflight)
		tw_arm(&d->loop.wheel, &d->drop_timer, DAEMON_DROP_SAMPLE_MS);
}

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
			d->rx_dropped_seen = daemon_rx_dropped(d);
			tw_arm(&d->loop.wheel, &d->drop_timer, DAEMON_DROP_SAMPLE_MS);
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

static void daemon_pacer_go(struct pacer *p, struct pacer_entry *e)
{
	struct dsession *ds = container_of(e, struct dsession, pace);

	(void)p;
	session_dial_go(&ds->s);
}

/*
 * dsession_hook - run up_script or down_script with pppd's environment
 * plus ours: IFNAME IPLOCAL IPREMOTE DNS1 DNS2 SESSION PPPOE_SESSION_ID
 * AC_MAC (and LINKNAME, like pppd's linkname).
 */
static void dsession_hook(struct dsession *ds, const char *script)
{
	struct session *s = &ds->s;
	char local[INET_ADDRSTRLEN], peer[INET_ADDRSTRLEN];
	char dns1[INET_ADDRSTRLEN], dns2[INET_ADDRSTRLEN];
	char env[9][96];
	char *envp[10];
	const char *argv_extra[6];
	const uint8_t *m = s->disc.ac_mac;
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
	snprintf(env[i++], sizeof(env[0]), "AC_MAC=%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	for (i = 0; i < 9; i++)
		envp[i] = env[i];
	envp[9] = NULL;
	/* pppd's ip-up arguments: interface tty speed local remote ipparam */
	argv_extra[0] = ds->conf.s.ifname;
	argv_extra[1] = "";
	argv_extra[2] = "0";
	argv_extra[3] = local;
	argv_extra[4] = peer;
	argv_extra[5] = NULL;
	hooks_run(ds->d->hooks, (const void *)(uintptr_t)ds->id, s->label, script, envp, argv_extra,
		  ds->conf.script_timeout * 1000);
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
	dsession_hook(ds, ds->conf.up_script);
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
	bool was_up = ds->addr_set;

	sl_info(s->label, "down");
	ds->downs++;
	dsession_unconfigure(ds);
	if (was_up)
		dsession_hook(ds, ds->conf.down_script);
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
};

/* ---- wire -> app -------------------------------------------------------- */

/* daemon_disc_owner - the session a discovery frame is for */
static struct dsession *daemon_disc_owner(struct daemon *d, const struct pppoe_frame *f,
					  const uint8_t *frame)
{
	struct disc_pkt pkt;
	uint32_t idx;

	if (disc_decode(frame + ETH_HLEN_, PPPOE_HLEN + (size_t)f->payload_len, &pkt) < 0)
		return NULL;
	if (f->code == DISC_PADT)
		return daemon_find_bound(d, f->session_id, f->src, f->dst);
	/* A PADS naming a session that is already one of ours is a replay or
	 * a forgery: whoever the Host-Uniq points at must not act on it. */
	if (f->code == DISC_PADS && daemon_find_bound(d, f->session_id, f->src, f->dst))
		return NULL;
	/* PADO and PADS carry our Host-Uniq: the session slot comes first. */
	if (!pkt.host_uniq.present || pkt.host_uniq.len != 8)
		return NULL;
	idx = (uint32_t)pkt.host_uniq.ptr[0] << 24 | (uint32_t)pkt.host_uniq.ptr[1] << 16 |
	      (uint32_t)pkt.host_uniq.ptr[2] << 8 | pkt.host_uniq.ptr[3];
	if (idx >= d->nslots || !d->sessions[idx] || memcmp(d->sessions[idx]->s.mac, f->dst, 6))
		return NULL;
	return d->sessions[idx];
}

static void daemon_rx_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct daemon *d = ctx;
	struct pppoe_frame f;
	struct dsession *ds;
	const uint8_t *ip;
	size_t iplen;

	if (pppoe_frame_decode(frame, len, &f) < 0) {
		d->rx_malformed++;
		return;
	}
	if (f.ethertype == ETH_P_PPP_SES_)
		ds = daemon_find_bound(d, f.session_id, f.src, f.dst);
	else
		ds = daemon_disc_owner(d, &f, frame);
	if (!ds) {
		d->rx_unknown++;
		return;
	}
	if (session_rx(&ds->s, &f, frame, len, &ip, &iplen) == 1) {
		if (tun_write(ds->tun_fd, ip, iplen) < 0) {
			ds->s.stats.rx_dropped++;
			return;
		}
		ds->s.stats.rx_packets++;
		ds->s.stats.rx_bytes += iplen;
	} else if (f.ethertype == ETH_P_PPP_SES_) {
		/* A control frame: the AC's PPP side is running (its source
		 * matched the session's AC in daemon_find_bound). */
		acpeer_heard(&d->peers, f.src, d->loop.wheel.now);
	}
}

/* daemon_xsk_event - an AF_XDP socket has frames: take a batch */
static void daemon_xsk_event(struct ev_src *src, uint32_t events)
{
	struct daemon_xsk_ev *x = container_of(src, struct daemon_xsk_ev, ev);

	(void)events;
	xsk_io_rx(x->d->io, x->q, daemon_rx_frame, x->d);
}

/* ---- app -> wire -------------------------------------------------------- */

/*
 * daemon_tun_readable - drain a batch of datagrams from a session's TUN,
 * each read straight into a UMEM frame behind room for the headers.
 */
static void daemon_tun_readable(struct daemon *d, struct dsession *ds)
{
	struct session *s = &ds->s;
	uint8_t scratch[2048];
	uint8_t *frame;
	size_t cap;
	ssize_t n;
	int i;

	for (i = 0; i < DAEMON_BATCH; i++) {
		frame = xsk_io_tx_reserve(d->io, &cap);
		if (!frame || cap < PPPOE_SESS_HLEN + 64) {
			/* TX ring full: read and drop, or the TUN stays readable
			 * and the loop spins. */
			if (tun_read(ds->tun_fd, scratch, sizeof(scratch)) <= 0)
				break;
			s->stats.tx_dropped++;
			continue;
		}
		n = tun_read(ds->tun_fd, frame + PPPOE_SESS_HLEN, cap - PPPOE_SESS_HLEN);
		if (n <= 0) {
			xsk_io_tx_commit(d->io, frame, 0);
			break;
		}
		/* Only IPv4 while IPCP is open; the TUN is down otherwise. */
		if (!ppp_ip_ok(&s->ppp) || s->disc.state != DISC_SESSION ||
		    (frame[PPPOE_SESS_HLEN] >> 4) != 4 || n > s->ppp.net.mtu) {
			xsk_io_tx_commit(d->io, frame, 0);
			s->stats.tx_dropped++;
			continue;
		}
		pppoe_sess_hdr_encode(frame, s->disc.ac_mac, s->mac, s->disc.session_id, PPP_IP,
				      (uint16_t)n);
		xsk_io_tx_commit(d->io, frame, PPPOE_SESS_HLEN + (size_t)n);
		s->stats.tx_packets++;
		s->stats.tx_bytes += (uint64_t)n;
	}
}

/* ---- sessions: create, destroy ------------------------------------------ */

/* dsession_tun_event - the session's TUN has datagrams to send */
static void dsession_tun_event(struct ev_src *src, uint32_t events)
{
	struct dsession *ds = container_of(src, struct dsession, ev);

	(void)events;
	/* -1: destroyed earlier in this batch */
	if (ds->tun_fd >= 0)
		daemon_tun_readable(ds->d, ds);
}

/* daemon_table_alloc - a free table of route_table_range for route_table = auto */
static uint32_t daemon_table_alloc(struct daemon *d)
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

static void daemon_table_free(struct daemon *d, uint32_t table)
{
	if (d->tables_used && table >= d->conf->route_table_min &&
	    table <= d->conf->route_table_max)
		d->tables_used[table - d->conf->route_table_min] = 0;
}

/* dsession_mac_claim - make frames to the session's MAC reach the XDP program */
static int dsession_mac_claim(struct dsession *ds)
{
	struct daemon *d = ds->d;
	bool on;
	int ret;

	ret = xsk_io_add_mac(d->io, ds->s.mac);
	if (ret)
		return ret;
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

static void dsession_mac_release(struct dsession *ds)
{
	struct daemon *d = ds->d;

	xsk_io_del_mac(d->io, ds->s.mac);
	if (ds->uc_added)
		netcfg_uc_del(d->nc, d->if_index, ds->s.mac);
	ds->uc_added = false;
}

/* dsession_create - a session in slot @slot: TUN, MAC, table; not dialing yet */
static int dsession_create(struct daemon *d, const struct conf_session *cs, size_t slot)
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
	ds->conf = *cs;
	conf_session_link(&ds->conf);
	ds->pace.mac = ds->s.mac;
	session_init(&ds->s, &ds->conf.s, &dsession_ops, &d->loop.wheel, mac, (uint32_t)slot, ds);
	ds->s.lower_mtu = d->if_mtu;

	ret = tun_open(cs->s.ifname, &ds->ifindex);
	if (ret < 0) {
		pr_err("%s: cannot create TUN %s: %s", cs->s.name, cs->s.ifname, strerror(-ret));
		goto err_free;
	}
	ds->tun_fd = ret;
	ret = tun_disable_ipv6(cs->s.ifname);
	if (ret && !d->ipv6_warned) {
		d->ipv6_warned = true; /* once: the next thousand would say the same */
		pr_warn("%s: cannot turn IPv6 off on %s: %s", cs->s.name, cs->s.ifname,
			strerror(-ret));
	}
	/* One link group for all our TUNs: the exit deletes them in one go. */
	netcfg_link_set_group(d->nc, ds->ifindex, d->link_group);
	ds->ev.fn = dsession_tun_event;
	ret = evloop_add(&d->loop, ds->tun_fd, EPOLLIN, &ds->ev);
	if (ret)
		goto err_tun;
	ret = dsession_mac_claim(ds);
	if (ret)
		goto err_tun;
	ds->table = cs->route_table_auto ? daemon_table_alloc(d) : cs->route_table;
	if (cs->route_table_auto && !ds->table)
		pr_warn("%s: route_table_range exhausted, no routing table", cs->s.name);
	d->sessions[slot] = ds;
	return 0;
err_tun:
	tun_close(ds->tun_fd);
err_free:
	explicit_bzero(&ds->conf, sizeof(ds->conf));
	free(ds);
	return ret;
}

/* dsession_destroy - forget a session (PADT if it is still open) */
static void dsession_destroy(struct dsession *ds)
{
	struct daemon *d = ds->d;

	session_abort(&ds->s, d->stopping ? "shutdown" : "removed");
	dsession_unconfigure(ds);
	dsession_mac_release(ds);
	if (ds->conf.route_table_auto)
		daemon_table_free(d, ds->table);
	/* Non-persistent TUN: closing it removes the device. */
	tun_close(ds->tun_fd);
	ds->tun_fd = -1;
	d->sessions[ds->slot] = NULL;
	explicit_bzero(&ds->conf, sizeof(ds->conf));
	/* Events of this epoll batch may still point at it (a reload asked
	 * for by a control client): free it once the batch is done. */
	ds->dead_next = d->graveyard;
	d->graveyard = ds;
}

/* daemon_bury - free the sessions destroyed during the last batch */
static void daemon_bury(struct daemon *d)
{
	struct dsession *ds;

	while ((ds = d->graveyard)) {
		d->graveyard = ds->dead_next;
		free(ds);
	}
}

/* daemon_grow - room for @n session slots */
static int daemon_grow(struct daemon *d, size_t n)
{
	struct dsession **ns;

	if (n <= d->nslots)
		return 0;
	ns = realloc(d->sessions, n * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	memset(ns + d->nslots, 0, (n - d->nslots) * sizeof(*ns));
	d->sessions = ns;
	d->nslots = n;
	return 0;
}

/* daemon_free_slot - the lowest empty slot, growing the table if needed */
static long daemon_free_slot(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->nslots; i++)
		if (!d->sessions[i])
			return (long)i;
	if (daemon_grow(d, d->nslots ? d->nslots * 2 : 16))
		return -ENOMEM;
	return (long)i;
}

/* ---- reload ---------------------------------------------------------------- */

static void daemon_raise_nofile(size_t sessions);

int daemon_reload(struct daemon *d)
{
	struct conf *nc, *old = d->conf;
	struct dsession *ds;
	size_t i, j, created = 0, removed = 0, changed = 0;
	long slot;
	int ret;

	nc = calloc(1, sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	ret = conf_load(old->path, nc, true);
	if (ret) {
		pr_err("reload: %s has errors, keeping the running configuration", old->path);
		free(nc);
		return ret;
	}
	if (strcmp(nc->interface, old->interface) || nc->xdp_mode != old->xdp_mode ||
	    strcmp(nc->control_socket, old->control_socket) ||
	    strcmp(nc->metrics_listen, old->metrics_listen) ||
	    strcmp(nc->state_file, old->state_file) || nc->hook_caps_all != old->hook_caps_all)
		pr_warn("reload: changes to interface, xdp_mode, control_socket, metrics_listen, "
			"state_file and hook_capabilities need a restart; ignored");
	nc->hook_caps_all = old->hook_caps_all;
	snprintf(nc->control_socket, sizeof(nc->control_socket), "%s", old->control_socket);
	snprintf(nc->metrics_listen, sizeof(nc->metrics_listen), "%s", old->metrics_listen);
	snprintf(nc->state_file, sizeof(nc->state_file), "%s", old->state_file);
	snprintf(nc->interface, sizeof(nc->interface), "%s", old->interface);
	nc->xdp_mode = old->xdp_mode;
	if (nc->route_table_min != old->route_table_min ||
	    nc->route_table_max != old->route_table_max) {
		/* Tables in use were handed out from the old range. */
		pr_err("reload: route_table_range changes need a restart; keeping the running configuration");
		conf_free(nc);
		free(nc);
		return -EINVAL;
	}

	/* Removed or changed: end them first, so names and ifnames are free. */
	for_each_dsession(d, i, ds) {
		for (j = 0; j < nc->nsessions; j++)
			if (!strcmp(nc->sessions[j].s.name, ds->conf.s.name))
				break;
		if (j < nc->nsessions && conf_session_equal(&nc->sessions[j], &ds->conf))
			continue;
		if (j < nc->nsessions)
			changed++;
		else
			removed++;
		sl_info(ds->s.label, "reload: %s", j < nc->nsessions ? "changed, redialing" : "removed");
		dsession_destroy(ds);
	}
	d->conf = nc;
	daemon_raise_nofile(nc->nsessions);
	pacer_set_rate(&d->pacer, nc->dial_rate);
	setup_win_configure(&d->win, nc->max_starting);
	pacer_kick(&d->pacer);
	for (j = 0; j < nc->nsessions; j++) {
		if (daemon_find(d, nc->sessions[j].s.name))
			continue;
		slot = daemon_free_slot(d);
		ret = slot < 0 ? (int)slot : dsession_create(d, &nc->sessions[j], (size_t)slot);
		if (ret) {
			pr_err("reload: session %s not started: %s", nc->sessions[j].s.name,
			       strerror(-ret));
			continue;
		}
		if (!d->stopping)
			session_start(&d->sessions[slot]->s);
		created++;
	}
	pr_info("reload: %zu removed, %zu changed, %zu started (new or changed), %zu sessions",
		removed, changed, created, nc->nsessions);
	conf_free(old);
	if (d->conf_owned)
		free(old);
	d->conf_owned = true;
	return 0;
}

/* ---- crash recovery -------------------------------------------------------- */

/* daemon_stale_padt - PADT for a session a crashed run left open */
static void daemon_stale_padt(void *ctx, const struct statefile_rec *rec)
{
	struct daemon *d = ctx;
	uint8_t frame[128];
	struct disc_pkt p = { .code = DISC_PADT, .session_id = rec->session_id };
	static const char reason[] = "pppoe-xdp restarted";
	int n;

	p.generic_error.ptr = (const uint8_t *)reason;
	p.generic_error.len = sizeof(reason) - 1;
	p.generic_error.present = true;
	pppoe_eth_hdr_encode(frame, rec->ac_mac, rec->our_mac, ETH_P_PPP_DISC_);
	n = disc_encode(frame + ETH_HLEN_, sizeof(frame) - ETH_HLEN_, &p);
	if (n > 0 && !xsk_io_send(d->io, frame, ETH_HLEN_ + (size_t)n))
		pr_info("sent PADT for session 0x%04x left by an earlier run "
			"(AC %02x:%02x:%02x:%02x:%02x:%02x)", rec->session_id,
			rec->ac_mac[0], rec->ac_mac[1], rec->ac_mac[2], rec->ac_mac[3],
			rec->ac_mac[4], rec->ac_mac[5]);
}

/* ---- setup and teardown ---------------------------------------------------- */

/*
 * daemon_flush_stale_rules - rules of ours a crashed run left behind: those
 * with a session's rule priority that look up one of our tables.
 */
static void daemon_flush_stale_rules(struct daemon *d)
{
	const struct conf *c = d->conf;
	uint32_t lo, hi, prio, last[3] = { 0, 0, 0 };
	int n = 0, r;
	size_t i;

	for (i = 0; i < c->nsessions; i++) {
		const struct conf_session *cs = &c->sessions[i];

		if (!cs->route_table_auto && !cs->route_table)
			continue;
		lo = cs->route_table_auto ? c->route_table_min : cs->route_table;
		hi = cs->route_table_auto ? c->route_table_max : cs->route_table;
		prio = cs->rule_priority;
		/* Sessions of one count section share all three: one dump each. */
		if (lo == last[0] && hi == last[1] && prio == last[2])
			continue;
		last[0] = lo;
		last[1] = hi;
		last[2] = prio;
		r = netcfg_rule_flush(d->nc, lo, hi, prio);
		n += r > 0 ? r : 0;
	}
	if (n)
		pr_info("removed %d routing rule(s) left by an earlier run", n);
}

/* ---- the interface changing under us ------------------------------------ */

static void daemon_begin_shutdown(struct daemon *d, const char *why);

/*
 * daemon_link_mac - the interface's MAC changed: sessions dialing from it
 * have a session the AC knows under the old address. PADT (from the old
 * address, the only one the AC knows), then dial again from the new one.
 */
static void daemon_link_mac(struct daemon *d, const uint8_t mac[6])
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
 * daemon_link_mtu - the interface's MTU changed. A session whose frames no
 * longer fit redials (LCP then asks for an MRU that fits); a bigger MTU
 * takes effect at each session's next dial, without dropping anyone.
 */
static void daemon_link_mtu(struct daemon *d, unsigned int mtu)
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
		/* Up: what was agreed must fit. Negotiating: LCP started with
		 * the old limit, start over with the new one. */
		limit = session_mru_limit(&ds->s, ds->s.disc.max_payload);
		if (ds->s.ppp.net_up ? ds->s.ppp.net.mtu > limit : ds->s.ppp.peer_mru_limit > limit)
			session_redial(&ds->s, why);
	}
}

/* daemon_link_check - compare the interface with what we saw last */
static void daemon_link_check(struct daemon *d)
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
		daemon_link_mac(d, st.mac);
	if (st.mtu != d->if_mtu)
		daemon_link_mtu(d, st.mtu);
}

/* daemon_link_event - rtnetlink told us something about a link */
static void daemon_link_event(struct ev_src *src, uint32_t events)
{
	struct daemon *d = container_of(src, struct daemon, watch_ev);

	(void)events;
	if (netcfg_watch_read(d->watch, d->if_index))
		daemon_link_check(d);
}

static int daemon_if_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int fd, ret = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		ret = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return ret;
}

static void daemon_signal_event(struct ev_src *src, uint32_t events);

static int daemon_setup_signals(struct daemon *d)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return -errno;
	d->sig_ev.fn = daemon_signal_event;
	return evloop_add(&d->loop, d->sigfd, EPOLLIN, &d->sig_ev);
}

static int daemon_setup_xsk(struct daemon *d)
{
	struct xsk_io_conf xc = { .ifname = d->conf->interface };
	unsigned int q;
	int ret;

	switch (d->conf->xdp_mode) {
	case CONF_XDP_NATIVE:
		xc.mode = XSK_IO_MODE_NATIVE;
		break;
	case CONF_XDP_SKB:
		xc.mode = XSK_IO_MODE_SKB;
		break;
	default:
		xc.mode = XSK_IO_MODE_AUTO;
		break;
	}
	ret = xsk_io_open(&d->io, &xc);
	if (ret)
		return ret;
	d->xsk_ev = calloc(xsk_io_nqueues(d->io), sizeof(*d->xsk_ev));
	if (!d->xsk_ev)
		return -ENOMEM;
	for (q = 0; q < xsk_io_nqueues(d->io); q++) {
		d->xsk_ev[q] = (struct daemon_xsk_ev){ .ev.fn = daemon_xsk_event, .d = d, .q = q };
		ret = evloop_add(&d->loop, xsk_io_fd(d->io, q), EPOLLIN, &d->xsk_ev[q].ev);
		if (ret)
			return ret;
	}
	/* xsk_io_open() has logged the mode and the sockets. */
	return 0;
}

/* daemon_raise_nofile - one TUN fd per session: thousands need more than 1024 */
static void daemon_raise_nofile(size_t sessions)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)sessions * 2 + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	if (rl.rlim_max < want) {
		/* Root may raise the hard limit too, but only before the
		 * capabilities are dropped (CAP_SYS_RESOURCE): leave room for
		 * reloads that add sessions later. */
		rl.rlim_max = want < DAEMON_NOFILE_HARD ? DAEMON_NOFILE_HARD : want;
		rl.rlim_cur = want;
	}
	if (setrlimit(RLIMIT_NOFILE, &rl))
		pr_warn("cannot raise the open file limit to %llu for %zu sessions: %s",
			(unsigned long long)want, sessions, strerror(errno));
}

/* daemon_setup_link - follow the interface: up/down, MAC, MTU, removal */
static int daemon_setup_link(struct daemon *d)
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
	d->watch_ev.fn = daemon_link_event;
	return evloop_add(&d->loop, netcfg_watch_fd(d->watch), EPOLLIN, &d->watch_ev);
}

static int daemon_setup(struct daemon *d)
{
	size_t i;
	int ret;

	daemon_raise_nofile(d->conf->nsessions);
	ret = daemon_setup_signals(d);
	if (ret)
		return ret;
	d->if_index = (int)if_nametoindex(d->conf->interface);
	ret = d->if_index ? daemon_if_mac(d->conf->interface, d->if_mac) : -ENODEV;
	if (ret) {
		pr_err("%s: %s", d->conf->interface, strerror(-ret));
		return ret;
	}
	/* The control socket first: it refuses to start a second daemon. */
	ret = ctl_open(&d->ctl, &d->loop, d->conf->control_socket, &daemon_ctl_ops, d);
	if (ret)
		return ret;
	if (d->conf->metrics_listen[0]) {
		ret = metrics_http_open(d->ctl, d->conf->metrics_listen);
		if (ret)
			return ret;
	}
	ret = daemon_setup_xsk(d);
	if (ret)
		return ret;
	ret = netcfg_open(&d->nc);
	if (ret)
		return ret;
	ret = hooks_new(&d->hooks, &d->loop);
	if (ret)
		return ret;
	ret = daemon_setup_link(d);
	if (ret)
		return ret;
	daemon_flush_stale_rules(d);
	/* TUNs of a killed run still being torn down by the kernel. */
	d->link_group = DAEMON_LINK_GROUP_BASE | ((uint32_t)d->if_index & 0xffff);
	netcfg_link_del_group(d->nc, d->link_group);
	if (d->conf->state_file[0]) {
		d->state_fd = statefile_open(d->conf->state_file);
		if (d->state_fd >= 0) {
			ret = statefile_recover(d->state_fd, daemon_stale_padt, d);
			if (ret > 0)
				xsk_io_flush(d->io);
		}
	}
	pacer_init(&d->pacer, &d->loop.wheel, d->conf->dial_rate, daemon_pacer_go);
	setup_win_init(&d->win, d->conf->max_starting);
	d->pacer.win = &d->win;
	ret = daemon_grow(d, d->conf->nsessions);
	if (ret)
		return ret;
	for (i = 0; i < d->conf->nsessions; i++) {
		ret = dsession_create(d, &d->conf->sessions[i], i);
		if (ret)
			return ret;
	}
	return 0;
}

static void daemon_drain_tx(struct daemon *d);

static void daemon_teardown(struct daemon *d)
{
	struct dsession *ds;
	size_t i;

	d->stopping = true;
	if (d->nc) {
		/* PADT for whatever is still open, then every TUN in one batch. */
		for_each_dsession(d, i, ds)
			session_abort(&ds->s, "shutdown");
		if (d->io)
			daemon_drain_tx(d);
		netcfg_link_del_group(d->nc, d->link_group);
		for_each_dsession(d, i, ds)
			dsession_destroy(ds);
		if (d->promisc_set)
			netcfg_set_promisc(d->nc, d->if_index, false);
	}
	daemon_bury(d);
	free(d->sessions);
	free(d->tables_used);
	if (d->hooks)
		hooks_free(d->hooks);
	if (d->pacer.wheel)
		pacer_free(&d->pacer);
	tw_cancel(&d->loop.wheel, &d->drop_timer);
	acpeers_free(&d->peers);
	ctl_close(d->ctl);
	netcfg_watch_close(d->watch);
	if (d->nc)
		netcfg_close(d->nc);
	if (d->io)
		xsk_io_close(d->io);
	free(d->xsk_ev);
	if (d->sigfd >= 0)
		close(d->sigfd);
	evloop_fini(&d->loop);
}

/* ---- the loop ------------------------------------------------------------ */

static void daemon_begin_shutdown(struct daemon *d, const char *why)
{
	struct dsession *ds;
	size_t i, n = 0;

	if (d->stopping)
		return;
	for_each_dsession(d, i, ds)
		n++;
	pr_info("%s: terminating %zu session(s)", why, n);
	d->stopping = true;
	d->stop_deadline = d->loop.wheel.now + DAEMON_SHUTDOWN_MS;
	for_each_dsession(d, i, ds)
		session_stop(&ds->s, why);
}

static bool daemon_all_quiet(struct daemon *d)
{
	struct dsession *ds;
	size_t i;

	for_each_dsession(d, i, ds)
		if (!session_is_quiet(&ds->s))
			return false;
	return true;
}

static void daemon_signal_event(struct ev_src *src, uint32_t events)
{
	struct daemon *d = container_of(src, struct daemon, sig_ev);
	struct signalfd_siginfo si;

	(void)events;
	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			pr_info("SIGHUP: reloading %s", d->conf->path);
			daemon_reload(d);
		} else {
			daemon_begin_shutdown(d, si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
		}
	}
}

/* daemon_drain_tx - give the kernel a moment to send the last PADTs */
static void daemon_drain_tx(struct daemon *d)
{
	int i;

	for (i = 0; i < 50 && xsk_io_tx_outstanding(d->io); i++) {
		xsk_io_flush(d->io);
		usleep(2000);
	}
}

static int daemon_loop(struct daemon *d)
{
	struct dsession *ds;
	size_t i;
	int ret, max_ms;

	for_each_dsession(d, i, ds)
		session_start(&ds->s);
	for (;;) {
		evloop_advance(&d->loop);
		if (d->stopping) {
			/* Done when the wire is quiet and the down scripts ran. */
			if (daemon_all_quiet(d) && !hooks_running(d->hooks))
				break;
			if (d->loop.wheel.now >= d->stop_deadline) {
				for_each_dsession(d, i, ds)
					session_abort(&ds->s, "shutdown");
				break;
			}
		}
		xsk_io_flush(d->io);
		/* The device queue was busy: come back soon to push the rest. */
		max_ms = xsk_io_tx_outstanding(d->io) ? 1 : -1;
		if (d->stopping) {
			int left = (int)(d->stop_deadline - d->loop.wheel.now);

			if (max_ms < 0 || max_ms > left)
				max_ms = left;
		}
		ret = evloop_run_once(&d->loop, max_ms);
		if (ret) {
			pr_err("epoll_wait: %s", strerror(-ret));
			return ret;
		}
		daemon_bury(d);
	}
	daemon_drain_tx(d);
	return 0;
}

int daemon_run(struct conf *conf)
{
	struct daemon *d;
	int ret;

	d = calloc(1, sizeof(*d));
	if (!d)
		return 1;
	d->conf = conf;
	d->sigfd = -1;
	d->state_fd = -1;
	if (evloop_init(&d->loop)) {
		pr_err("epoll_create1: %s", strerror(errno));
		free(d);
		return 1;
	}
	tw_timer_init(&d->drop_timer, daemon_drop_sample);
	d->started_ms = d->loop.wheel.now;
	ret = daemon_setup(d);
	if (!ret) /* setup done: keep CAP_NET_ADMIN and CAP_NET_RAW only */
		ret = caps_drop(!d->conf->hook_caps_all);
	if (!ret)
		ret = daemon_loop(d);
	if (!ret && d->link_gone)
		ret = -ENODEV;
	daemon_teardown(d);
	if (!ret)
		statefile_remove(d->state_fd, d->conf->state_file);
	else if (d->state_fd >= 0)
		close(d->state_fd);
	/* A reload may have replaced the caller's config. */
	if (d->conf_owned) {
		conf_free(d->conf);
		free(d->conf);
	}
	free(d);
	if (!ret)
		pr_info("clean shutdown");
	return ret ? 1 : 0;
}
