// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemon.c - wires the layers together.
 *
 * Wire -> app: an XSK RX batch is parsed, each frame is matched to its
 * session (by PPPoE session id and AC MAC, or by Host-Uniq during
 * discovery); IPv4 goes straight to the session's TUN, control packets to
 * its state machines. App -> wire: a readable TUN is drained in a batch,
 * each datagram is framed and queued on the TX ring, one kick per loop.
 * Timers: the wheel tells epoll_wait how long it may sleep, so an idle
 * daemon wakes only when a timer is due.
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include "pppoe/log.h"
#include "pppoe/session.h"
#include "pppoe/wire.h"
#include "src/config.h"
#include "src/daemon.h"
#include "src/xsk_io.h"
#include "tun/netcfg.h"
#include "tun/tun.h"

#define DAEMON_BATCH        64
#define DAEMON_SHUTDOWN_MS  1500 /* wait for Terminate-Ack before PADT anyway */
#define SID_BUCKETS         4096

enum ev_kind {
	EV_XSK,
	EV_TUN,
	EV_SIGNAL,
};

/* What an epoll event points at. */
struct ev_src {
	enum ev_kind kind;
	unsigned int q;     /* XSK queue */
	void *ptr;          /* struct dsession for EV_TUN */
};

struct daemon;

/* A session as the daemon holds it: protocol state plus its interface. */
struct dsession {
	struct session s;
	struct daemon *d;
	struct ev_src ev;
	int tun_fd;
	int ifindex;
	bool addr_set;
	uint32_t local, peer;
	struct dsession *sid_next;  /* chain in daemon.by_sid */
};

struct daemon {
	struct conf *conf;
	struct xsk_io *io;
	struct netcfg *nc;
	struct tw_wheel wheel;
	int epfd;
	int sigfd;
	struct ev_src sig_ev;
	struct ev_src *xsk_ev;
	uint8_t if_mac[6];
	struct dsession *sessions;
	size_t nsessions;
	struct dsession *by_sid[SID_BUCKETS];
	bool stopping;
	uint64_t stop_deadline;
	uint64_t rx_unknown;   /* frames for no session */
	uint64_t rx_malformed;
};

static uint64_t daemon_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

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

	head = &ds->d->by_sid[sid_hash(s->disc.session_id, s->disc.ac_mac)];
	ds->sid_next = *head;
	*head = ds;
}

static void dsession_unbound(struct session *s)
{
	struct dsession *ds = s->ctx, **pp;

	for (pp = &ds->d->by_sid[sid_hash(s->disc.session_id, s->disc.ac_mac)]; *pp;
	     pp = &(*pp)->sid_next) {
		if (*pp == ds) {
			*pp = ds->sid_next;
			ds->sid_next = NULL;
			return;
		}
	}
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
	ret = netcfg_link_set(ds->d->nc, ds->ifindex, false, net->mtu);
	if (!ret)
		ret = netcfg_addr_add(ds->d->nc, ds->ifindex, net->local, net->peer);
	if (!ret) {
		ds->addr_set = true;
		ds->local = net->local;
		ds->peer = net->peer;
		ret = netcfg_link_set(ds->d->nc, ds->ifindex, true, 0);
	}
	if (ret)
		sl_err(s->label, "configuring %s failed: %s", s->conf->ifname, strerror(-ret));
}

static void dsession_unconfigure(struct dsession *ds)
{
	if (ds->addr_set) {
		netcfg_addr_del(ds->d->nc, ds->ifindex, ds->local, ds->peer);
		ds->addr_set = false;
	}
	netcfg_link_set(ds->d->nc, ds->ifindex, false, 0);
}

static void dsession_net_down(struct session *s)
{
	struct dsession *ds = s->ctx;

	sl_info(s->label, "down");
	dsession_unconfigure(ds);
}

static const struct session_ops dsession_ops = {
	.output = dsession_output,
	.net_up = dsession_net_up,
	.net_down = dsession_net_down,
	.bound = dsession_bound,
	.unbound = dsession_unbound,
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
	/* PADO and PADS carry our Host-Uniq: the session index comes first. */
	if (!pkt.host_uniq.present || pkt.host_uniq.len != 8)
		return NULL;
	idx = (uint32_t)pkt.host_uniq.ptr[0] << 24 | (uint32_t)pkt.host_uniq.ptr[1] << 16 |
	      (uint32_t)pkt.host_uniq.ptr[2] << 8 | pkt.host_uniq.ptr[3];
	if (idx >= d->nsessions || memcmp(d->sessions[idx].s.mac, f->dst, 6))
		return NULL;
	return &d->sessions[idx];
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
	}
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

/* ---- setup and teardown -------------------------------------------------- */

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

static int daemon_epoll_add(struct daemon *d, int fd, struct ev_src *src)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = src };

	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static int daemon_setup_sessions(struct daemon *d)
{
	size_t i;
	int ret;

	d->sessions = calloc(d->conf->nsessions, sizeof(*d->sessions));
	if (!d->sessions)
		return -ENOMEM;
	for (i = 0; i < d->conf->nsessions; i++) {
		struct session_conf *sc = &d->conf->sessions[i];
		struct dsession *ds = &d->sessions[i];
		const uint8_t *mac = sc->mac_mode == SESSION_MAC_FIXED ? sc->mac : d->if_mac;

		ds->d = d;
		ds->tun_fd = -1;
		session_init(&ds->s, sc, &dsession_ops, &d->wheel, mac, (uint32_t)i, ds);
		d->nsessions = i + 1;
		tun_remove_stale(sc->ifname);
		ret = tun_open(sc->ifname, &ds->ifindex);
		if (ret < 0) {
			pr_err("%s: cannot create TUN %s: %s", sc->name, sc->ifname, strerror(-ret));
			return ret;
		}
		ds->tun_fd = ret;
		ds->ev = (struct ev_src){ .kind = EV_TUN, .ptr = ds };
		ret = daemon_epoll_add(d, ds->tun_fd, &ds->ev);
		if (ret)
			return ret;
		if (sc->mac_mode == SESSION_MAC_FIXED) {
			ret = xsk_io_add_mac(d->io, sc->mac);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int daemon_setup(struct daemon *d)
{
	struct xsk_io_conf xc = { .ifname = d->conf->interface };
	sigset_t mask;
	unsigned int q;
	int ret;

	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->epfd < 0)
		return -errno;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return -errno;
	d->sig_ev.kind = EV_SIGNAL;
	ret = daemon_epoll_add(d, d->sigfd, &d->sig_ev);
	if (ret)
		return ret;

	ret = daemon_if_mac(d->conf->interface, d->if_mac);
	if (ret) {
		pr_err("%s: cannot read MAC address: %s", d->conf->interface, strerror(-ret));
		return ret;
	}
	switch (d->conf->xdp_mode) {
	case CONF_XDP_NATIVE: xc.mode = XSK_IO_MODE_NATIVE; break;
	case CONF_XDP_SKB: xc.mode = XSK_IO_MODE_SKB; break;
	default: xc.mode = XSK_IO_MODE_AUTO; break;
	}
	ret = xsk_io_open(&d->io, &xc);
	if (ret)
		return ret;
	ret = xsk_io_add_mac(d->io, d->if_mac);
	if (ret)
		return ret;
	d->xsk_ev = calloc(xsk_io_nqueues(d->io), sizeof(*d->xsk_ev));
	if (!d->xsk_ev)
		return -ENOMEM;
	for (q = 0; q < xsk_io_nqueues(d->io); q++) {
		d->xsk_ev[q] = (struct ev_src){ .kind = EV_XSK, .q = q };
		ret = daemon_epoll_add(d, xsk_io_fd(d->io, q), &d->xsk_ev[q]);
		if (ret)
			return ret;
	}
	pr_info("%s: XDP attached in %s mode, %u queue(s)", d->conf->interface,
		xsk_io_mode_name(d->io), xsk_io_nqueues(d->io));
	ret = netcfg_open(&d->nc);
	if (ret)
		return ret;
	return daemon_setup_sessions(d);
}

static void daemon_teardown(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->nsessions; i++) {
		struct dsession *ds = &d->sessions[i];

		if (ds->tun_fd >= 0) {
			if (d->nc)
				dsession_unconfigure(ds);
			/* Non-persistent TUN: closing it removes the device. */
			tun_close(ds->tun_fd);
		}
	}
	free(d->sessions);
	if (d->nc)
		netcfg_close(d->nc);
	if (d->io)
		xsk_io_close(d->io);
	free(d->xsk_ev);
	if (d->sigfd >= 0)
		close(d->sigfd);
	if (d->epfd >= 0)
		close(d->epfd);
}

/* ---- the loop ------------------------------------------------------------ */

static void daemon_begin_shutdown(struct daemon *d, const char *why)
{
	size_t i;

	if (d->stopping)
		return;
	pr_info("%s: terminating %zu session(s)", why, d->nsessions);
	d->stopping = true;
	d->stop_deadline = d->wheel.now + DAEMON_SHUTDOWN_MS;
	for (i = 0; i < d->nsessions; i++)
		session_stop(&d->sessions[i].s, why);
}

static bool daemon_all_quiet(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->nsessions; i++)
		if (!session_is_quiet(&d->sessions[i].s))
			return false;
	return true;
}

static void daemon_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			pr_info("SIGHUP: reload is not supported yet, ignoring");
		else
			daemon_begin_shutdown(d, si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
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
	struct epoll_event evs[DAEMON_BATCH];
	size_t i;
	int n, k, timeout;
	int64_t next;

	for (i = 0; i < d->nsessions; i++)
		session_start(&d->sessions[i].s);
	for (;;) {
		tw_advance(&d->wheel, daemon_now_ms());
		if (d->stopping) {
			if (daemon_all_quiet(d))
				break;
			if (d->wheel.now >= d->stop_deadline) {
				for (i = 0; i < d->nsessions; i++)
					session_abort(&d->sessions[i].s, "shutdown");
				break;
			}
		}
		xsk_io_flush(d->io);
		next = tw_next_ms(&d->wheel);
		timeout = next < 0 ? -1 : (int)(next > 60000 ? 60000 : next);
		/* The device queue was busy: come back soon to push the rest. */
		if (xsk_io_tx_outstanding(d->io) && (timeout < 0 || timeout > 1))
			timeout = 1;
		if (d->stopping) {
			int64_t left = (int64_t)(d->stop_deadline - d->wheel.now);

			if (timeout < 0 || timeout > left)
				timeout = (int)left;
		}
		n = epoll_wait(d->epfd, evs, DAEMON_BATCH, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			pr_err("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		tw_advance(&d->wheel, daemon_now_ms());
		for (k = 0; k < n; k++) {
			struct ev_src *src = evs[k].data.ptr;

			switch (src->kind) {
			case EV_XSK:
				xsk_io_rx(d->io, src->q, daemon_rx_frame, d);
				break;
			case EV_TUN:
				daemon_tun_readable(d, src->ptr);
				break;
			case EV_SIGNAL:
				daemon_signal(d);
				break;
			}
		}
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
	d->epfd = -1;
	d->sigfd = -1;
	tw_init(&d->wheel, daemon_now_ms());
	ret = daemon_setup(d);
	if (!ret)
		ret = daemon_loop(d);
	daemon_teardown(d);
	free(d);
	if (!ret)
		pr_info("clean shutdown");
	return ret ? 1 : 0;
}
