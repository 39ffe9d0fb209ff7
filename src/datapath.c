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
#include "pppoe/log.h"
#include "pppoe/mss.h"
#include "pppoe/util.h"
#include "pppoe/wire.h"
#include "src/daemon_int.h"
#include "src/xsk_io.h"
#include "tun/tun.h"

#define DATAPATH_BATCH 64 /* datagrams read from one TUN per event */

/*
 * datapath_mss - mss_clamp of the session (auto: what its MTU carries) on
 * one datagram @ip of @len bytes, either way: the SYNs of hosts behind us
 * and the SYN-ACKs of the sites they reach
 */
static inline void datapath_mss(const struct dsession *ds, uint8_t *ip, size_t len)
{
	uint16_t c = ds->conf.mss_clamp, mtu = ds->s.ppp.net.mtu;

	if (c)
		mss_clamp(ip, len, c == CONF_MSS_AUTO ? MSS_FOR_MTU4(mtu) : c,
			  c == CONF_MSS_AUTO ? MSS_FOR_MTU6(mtu) : c);
}

/*
 * datapath_vlan_stripped - an answer to a session on a VLAN came with
 * fewer tags than it was sent with: most likely something before the XDP
 * program took the tag out of the frame (RX VLAN offload the daemon could
 * not turn off, or a veth whose peer passes tags as metadata). Say so once.
 */
static void datapath_vlan_stripped(struct daemon *d, const struct dsession *ds,
				   const struct pppoe_frame *f)
{
	char want[PPPOE_VLAN_STRLEN];

	if (d->vlan_strip_warned || f->vlan.ntags >= ds->s.disc.vlan.ntags)
		return;
	d->vlan_strip_warned = true;
	sl_warn(ds->s.label, "discovery answer for VLAN %s arrived with %u tag(s) of %u: VLAN "
		"tags are stripped before the XDP program sees the frame (RX VLAN offload; on a "
		"veth, the peer's tx-vlan-offload passes them as metadata): turn that off",
		pppoe_vlan_format(&ds->s.disc.vlan, want, sizeof(want)), f->vlan.ntags,
		ds->s.disc.vlan.ntags);
}

/* datapath_disc_owner - the session a discovery packet @p is for */
static struct dsession *datapath_disc_owner(struct daemon *d, const struct pppoe_frame *f,
					    const struct disc_pkt *p)
{
	uint32_t idx;

	if (f->code == DISC_PADT)
		return sessions_find_bound(d, f->session_id, f->src, f->dst, &f->vlan);
	/* A PADS naming a session that is already one of ours is a replay or
	 * a forgery: whoever the Host-Uniq points at must not act on it. */
	if (f->code == DISC_PADS && sessions_find_bound(d, f->session_id, f->src, f->dst, &f->vlan))
		return NULL;
	/* PADO and PADS carry our Host-Uniq: the session slot comes first. */
	if (session_host_uniq_index(p, &idx))
		return NULL;
	if (idx >= d->nslots || !d->sessions[idx] || memcmp(d->sessions[idx]->s.mac, f->dst, 6))
		return NULL;
	/* An answer on another VLAN than the session dials on is not its own. */
	if (!pppoe_vlan_same(&d->sessions[idx]->s.disc.vlan, &f->vlan)) {
		d->rx_wrong_vlan++;
		datapath_vlan_stripped(d, d->sessions[idx], f);
		return NULL;
	}
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
		  : sessions_find_bound(d, f.session_id, f.src, f.dst, &f.vlan);
	if (!ds) {
		d->rx_unknown++;
		return;
	}
	if (session_rx(&ds->s, &f, disc ? &p : NULL, &ip, &iplen) == 1) {
		/* @ip points into our own UMEM frame, which is writable */
		datapath_mss(ds, (uint8_t *)(uintptr_t)ip, iplen);
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
	size_t hl = pppoe_vlan_hlen(&s->disc.vlan) + PPPOE_HLEN + PPP_PROTO_LEN;
	uint8_t scratch[2048];
	uint8_t *frame;
	uint16_t proto;
	size_t cap;
	ssize_t n;
	bool ok;
	int i;

	for (i = 0; i < DATAPATH_BATCH; i++) {
		frame = xsk_io_tx_reserve_data(d->io, &cap);
		if (!frame || cap < hl + 64) {
			/* No TX frame left for data: read and drop, or the TUN
			 * stays readable and the loop spins. */
			if (tun_read(ds->tun_fd, scratch, sizeof(scratch)) <= 0)
				break;
			s->stats.tx_dropped++;
			continue;
		}
		n = tun_read(ds->tun_fd, frame + hl, cap - hl);
		if (n <= 0) {
			xsk_io_tx_commit(d->io, frame, 0);
			break;
		}
		/* IFF_NO_PI: the version nibble says which protocol. IPv4
		 * while IPCP is open (the TUN is down otherwise), IPv6 while
		 * IPv6CP is too. */
		switch (frame[hl] >> 4) {
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
		datapath_mss(ds, frame + hl, (size_t)n);
		pppoe_sess_hdr_encode_vlan(frame, s->disc.ac_mac, s->mac, &s->disc.vlan,
					   s->disc.session_id, proto, (uint16_t)n);
		xsk_io_tx_commit(d->io, frame, hl + (size_t)n);
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
