// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * datapath.c - frames between the wire and the sessions.
 *
 * Wire -> app: an XSK RX batch is decoded once (Ethernet, PPPoE and, for
 * discovery, the tags), each frame is matched to its session (by PPPoE
 * session id and AC MAC, or by the Host-Uniq during discovery); IPv4 and
 * IPv6 go straight to the session's TUN (but the RAs and DHCPv6 replies the
 * session consumes), control packets to its state machines.
 * App -> wire: a readable TUN is drained in a batch, each datagram read
 * straight into a UMEM frame behind room for the headers and queued on the
 * TX ring; the event loop kicks the ring once per turn. Datagrams never
 * take the last TX frames, which are kept for control packets (Echo-Reply,
 * PADT): a saturated TUN cannot starve a session's keepalive.
 */
#include <string.h>

#include "pppoe/discovery.h"
#include "pppoe/util.h"
#include "pppoe/wire.h"
#include "src/daemon_int.h"
#include "src/xsk_io.h"
#include "tun/tun.h"

#define DATAPATH_BATCH 64 /* datagrams read from one TUN per event */

/* datapath_disc_owner - the session a discovery packet @p is for */
static struct dsession *datapath_disc_owner(struct daemon *d, const struct pppoe_frame *f,
					    const struct disc_pkt *p)
{
	uint32_t idx;

	if (f->code == DISC_PADT)
		return sessions_find_bound(d, f->session_id, f->src, f->dst);
	/* A PADS naming a session that is already one of ours is a replay or
	 * a forgery: whoever the Host-Uniq points at must not act on it. */
	if (f->code == DISC_PADS && sessions_find_bound(d, f->session_id, f->src, f->dst))
		return NULL;
	/* PADO and PADS carry our Host-Uniq: the session slot comes first. */
	if (session_host_uniq_index(p, &idx))
		return NULL;
	if (idx >= d->nslots || !d->sessions[idx] || memcmp(d->sessions[idx]->s.mac, f->dst, 6))
		return NULL;
	return d->sessions[idx];
}

/* datapath_rx_frame - one frame from an RX ring: decode it once, hand it on */
static void datapath_rx_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct daemon *d = ctx;
	struct pppoe_frame f;
	struct disc_pkt p;
	struct dsession *ds;
	const uint8_t *ip;
	size_t iplen;
	bool disc;

	if (disc_rx_decode(frame, len, &f, &p) < 0) {
		d->rx_malformed++;
		return;
	}
	disc = f.ethertype == ETH_P_PPP_DISC_;
	ds = disc ? datapath_disc_owner(d, &f, &p)
		  : sessions_find_bound(d, f.session_id, f.src, f.dst);
	if (!ds) {
		d->rx_unknown++;
		return;
	}
	if (session_rx(&ds->s, &f, disc ? &p : NULL, &ip, &iplen) == 1) {
		if (tun_write(ds->tun_fd, ip, iplen) < 0) {
			ds->s.stats.rx_dropped++;
			return;
		}
		ds->s.stats.rx_packets++;
		ds->s.stats.rx_bytes += iplen;
	} else if (!disc) {
		/* A control frame: the AC's PPP side is running (its source
		 * matched the session's AC in sessions_find_bound). */
		acpeer_heard(&d->peers, f.src, d->loop.wheel.now);
	}
}

/* datapath_xsk_event - an AF_XDP socket has frames: take a batch */
void datapath_xsk_event(struct ev_src *src, uint32_t events)
{
	struct daemon_xsk_ev *x = container_of(src, struct daemon_xsk_ev, ev);

	(void)events;
	xsk_io_rx(x->d->io, x->q, datapath_rx_frame, x->d);
}

/*
 * datapath_tun_readable - drain a batch of datagrams from a session's TUN,
 * each read straight into a UMEM frame behind room for the headers.
 */
static void datapath_tun_readable(struct daemon *d, struct dsession *ds)
{
	struct session *s = &ds->s;
	uint8_t scratch[2048];
	uint8_t *frame;
	uint16_t proto;
	size_t cap;
	ssize_t n;
	bool ok;
	int i;

	for (i = 0; i < DATAPATH_BATCH; i++) {
		frame = xsk_io_tx_reserve_data(d->io, &cap);
		if (!frame || cap < PPPOE_SESS_HLEN + 64) {
			/* No TX frame left for data: read and drop, or the TUN
			 * stays readable and the loop spins. */
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
		/* IFF_NO_PI: the version nibble says which protocol. IPv4
		 * while IPCP is open (the TUN is down otherwise), IPv6 while
		 * IPv6CP is too. */
		switch (frame[PPPOE_SESS_HLEN] >> 4) {
		case 4:
			proto = PPP_IP;
			ok = ppp_ip_ok(&s->ppp);
			break;
		case 6:
			proto = PPP_IPV6;
			ok = session_ip6_ok(s);
			if (!ok)
				s->v6.tx_dropped++;
			break;
		default:
			proto = 0;
			ok = false;
			break;
		}
		if (!ok || s->disc.state != DISC_SESSION || n > s->ppp.net.mtu) {
			xsk_io_tx_commit(d->io, frame, 0);
			s->stats.tx_dropped++;
			continue;
		}
		pppoe_sess_hdr_encode(frame, s->disc.ac_mac, s->mac, s->disc.session_id, proto,
				      (uint16_t)n);
		xsk_io_tx_commit(d->io, frame, PPPOE_SESS_HLEN + (size_t)n);
		s->stats.tx_packets++;
		s->stats.tx_bytes += (uint64_t)n;
	}
}

/* datapath_tun_event - the session's TUN has datagrams to send */
void datapath_tun_event(struct ev_src *src, uint32_t events)
{
	struct dsession *ds = container_of(src, struct dsession, ev);

	(void)events;
	/* -1: destroyed earlier in this batch */
	if (ds->tun_fd >= 0)
		datapath_tun_readable(ds->d, ds);
}
