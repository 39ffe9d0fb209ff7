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
 *
 * TUN offloads (tun_offload = auto): the TUNs carry a virtio-net header.
 * A read may then bring a TSO/USO super-packet of up to 64 KiB: it is cut
 * into MSS-sized packets (tun/vnet.c), each written straight into its own
 * UMEM frame behind the headers, with its checksums. A packet that fits a
 * frame (the common case) is read into it directly, the header just in
 * front, where Ethernet and PPPoE go afterwards. The other way, segments
 * of one TCP flow in one RX batch are merged into one super-packet and
 * written with one syscall; everything else goes out behind a zero vnet
 * header written into the frame's own header room. The buffers for both
 * are per thread (struct dpath: the main thread's and each worker's), not
 * per session: the coalesced packet is flushed whenever the session
 * changes and at the end of every batch.
 *
 * Workers (workers.c): a worker's data socket brings it IPv4/IPv6 of its
 * sessions only; what a session consumes itself (an RA, a DHCPv6 reply)
 * or anything else is handed to the control side under the exclusive
 * lock (datapath_upgrade), at most DATAPATH_HANDOFF_RATE a second.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include <netinet/in.h>

#include "pppoe/discovery.h"
#include "pppoe/log.h"
#include "pppoe/mss.h"
#include "pppoe/util.h"
#include "pppoe/wire.h"
#include "src/daemon_int.h"
#include "src/xsk_io.h"
#include "tun/tun.h"

#define DATAPATH_BATCH 64 /* datagrams read from one TUN per event */
/* a read from a TUN with offloads: vnet header and a 64 KiB super-packet */
#define DATAPATH_TUN_BUF (VNET_HDR_LEN + 65535 + 64)

/* datapath_dp_init - data path @dp of @d, sending on port @w, with its buffers */
static int datapath_dp_init(struct daemon *d, struct dpath *dp, unsigned int w)
{
	dp->d = d;
	dp->w = w;
	if (d->conf->tun_offload_off)
		return 0;
	dp->tun_buf = malloc(DATAPATH_TUN_BUF);
	dp->gro_buf = malloc(VNET_GRO_BUF);
	if (!dp->tun_buf || !dp->gro_buf)
		return -ENOMEM;
	vnet_gro_init(&dp->gro, dp->gro_buf, VNET_GRO_BUF);
	return 0;
}

static void datapath_dp_free(struct dpath *dp)
{
	free(dp->tun_buf);
	free(dp->gro_buf);
	dp->tun_buf = dp->gro_buf = NULL;
	dp->gro_ds = NULL;
}

int datapath_offload_init(struct daemon *d)
{
	unsigned int i;
	int ret;

	ret = datapath_dp_init(d, &d->dp, 0);
	for (i = 0; !ret && i < d->nworkers; i++)
		ret = datapath_dp_init(d, &d->workers[i].dp, i);
	if (ret)
		datapath_offload_free(d);
	return ret;
}

void datapath_offload_free(struct daemon *d)
{
	unsigned int i;

	datapath_dp_free(&d->dp);
	for (i = 0; i < d->nworkers; i++)
		datapath_dp_free(&d->workers[i].dp);
}

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

/*
 * datapath_gro_flush - write the super-packet being coalesced to its
 * session's TUN (vnet header included)
 */
static void datapath_gro_flush(struct dpath *dp)
{
	struct dsession *ds = dp->gro_ds;
	unsigned int segs = dp->gro.segs;
	bool udp = dp->gro.proto == IPPROTO_UDP;
	uint64_t bytes = dp->gro_bytes;
	size_t n = vnet_gro_flush(&dp->gro);

	dp->gro_ds = NULL;
	dp->gro_bytes = 0;
	if (!n || !ds)
		return;
	if (tun_write(ds->tun_fd, dp->gro_buf, n) < 0) {
		ds->s.stats.rx_dropped += segs;
		return;
	}
	ds->s.stats.rx_packets += segs;
	ds->s.stats.rx_bytes += bytes;
	if (segs > 1) {
		dp->n.rx_super++;
		dp->n.rx_merged += segs;
		dp->n.rx_super_udp += udp;
	}
}

void datapath_forget(struct daemon *d, struct dsession *ds)
{
	/* the workers' buffers hold nothing outside their batches: only the
	 * daemon's own may hold a session's segments here */
	struct dpath *dp = &d->dp;

	if (dp->gro_ds == ds) {
		vnet_gro_flush(&dp->gro); /* dropped: its TUN is going */
		dp->gro_ds = NULL;
		dp->gro_bytes = 0;
	}
}

/*
 * datapath_rx_ip - IP packet @ip of @len bytes from the wire to the
 * session's TUN. @ip lies in our own UMEM frame (writable) behind at least
 * Ethernet, PPPoE and PPP headers: room for the vnet header in front.
 */
static void datapath_rx_ip(struct dpath *dp, struct dsession *ds, uint8_t *ip, size_t len)
{
	enum vnet_gro_res r;

	datapath_mss(ds, ip, len);
	if (!ds->vnet) {
		if (tun_write(ds->tun_fd, ip, len) < 0) {
			ds->s.stats.rx_dropped++;
			return;
		}
		ds->s.stats.rx_packets++;
		ds->s.stats.rx_bytes += len;
		return;
	}
	if (dp->gro_ds && dp->gro_ds != ds)
		datapath_gro_flush(dp);
	/* vnet_gro verifies each segment's TCP or UDP checksum before
	 * merging it; UDP only where the kernel takes USO from us */
	r = vnet_gro_add(&dp->gro, ip, len, dp->d->off.gro_flags);
	if (r == VNET_GRO_FLUSH) {
		datapath_gro_flush(dp);
		r = vnet_gro_add(&dp->gro, ip, len, dp->d->off.gro_flags);
	}
	if (r == VNET_GRO_HELD) {
		dp->gro_ds = ds;
		dp->gro_bytes += len;
		return;
	}
	/* on its own, behind an all-zero header: no offload asked */
	memset(ip - VNET_HDR_LEN, 0, VNET_HDR_LEN);
	if (tun_write(ds->tun_fd, ip - VNET_HDR_LEN, len + VNET_HDR_LEN) < 0) {
		ds->s.stats.rx_dropped++;
		return;
	}
	ds->s.stats.rx_packets++;
	ds->s.stats.rx_bytes += len;
}

/* datapath_rx_frame - one frame from an RX ring: decode it once, hand it on */
static void datapath_rx_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct dpath *dp = ctx;
	struct daemon *d = dp->d;
	struct pppoe_frame f;
	struct disc_pkt p;
	struct dsession *ds;
	const uint8_t *ip;
	size_t iplen;
	bool disc;

	if (disc_rx_decode(frame, len, &f, &p) < 0) {
		dp->n.rx_malformed++;
		return;
	}
	disc = f.ethertype == ETH_P_PPP_DISC_;
	ds = disc ? datapath_disc_owner(d, &f, &p)
		  : sessions_find_bound(d, f.session_id, f.src, f.dst, &f.vlan);
	if (!ds) {
		dp->n.rx_unknown++;
		return;
	}
	if (session_rx(&ds->s, &f, disc ? &p : NULL, &ip, &iplen) == 1) {
		/* @ip points into our own UMEM frame, which is writable, behind
		 * the Ethernet, PPPoE and PPP headers */
		_Static_assert(14 + PPPOE_HLEN + PPP_PROTO_LEN >= VNET_HDR_LEN, "vnet header room");
		datapath_rx_ip(dp, ds, (uint8_t *)(uintptr_t)ip, iplen);
	} else if (!disc) {
		/* A control frame: the AC's PPP side is running (its source
		 * matched the session's AC in sessions_find_bound). */
		acpeer_heard(&d->peers, f.src, d->loop.wheel.now);
	}
}

/*
 * datapath_worker_kind - what a worker, holding the world lock shared, may
 * do with session frame @f for @ds: hand it on (IPv4, and IPv6 the
 * session does not consume), drop an invalid RA as session6_rx would
 * (the session's own counters), or give it to the control side (an RA, a
 * DHCPv6 message to one of the session's addresses, anything not IP)
 */
static enum session6_rx_kind datapath_worker_kind(struct dsession *ds, const struct pppoe_frame *f)
{
	const uint8_t *data;
	uint16_t proto;
	size_t dlen;

	if (ppp_proto_decode(f->payload, f->payload_len, &proto, &data, &dlen) < 0)
		return SESSION6_RX_CONTROL;
	if (proto == PPP_IP)
		return SESSION6_RX_DATA;
	if (proto != PPP_IPV6 || !ds->s.conf->ppp.ipv6 || !session_ip6_ok(&ds->s))
		return SESSION6_RX_CONTROL;
	return session6_rx_kind(&ds->s, data, dlen);
}

/*
 * datapath_handoff_ok - a token for one hand-off to the control side: at
 * most DATAPATH_HANDOFF_RATE a second per worker (burst DATAPATH_HANDOFF_BURST),
 * so that datagrams from anywhere to a session's DHCPv6 port cannot keep
 * every worker waiting for the exclusive lock. RAs and DHCPv6 replies are
 * a few a minute; what is refused is dropped (and counted), as a lost
 * one is retransmitted.
 */
#define DATAPATH_HANDOFF_RATE  1000
#define DATAPATH_HANDOFF_BURST 64
static bool datapath_handoff_ok(struct dpath *dp)
{
	uint64_t add = (dp->now - dp->tb_ms) * DATAPATH_HANDOFF_RATE / 1000;

	if (add) {
		dp->tb_tokens = dp->tb_tokens + add > DATAPATH_HANDOFF_BURST
				? DATAPATH_HANDOFF_BURST : dp->tb_tokens + (unsigned int)add;
		dp->tb_ms = dp->now;
	}
	if (!dp->tb_tokens)
		return false;
	dp->tb_tokens--;
	return true;
}

/*
 * datapath_upgrade - a worker met a frame for the control side (the XDP
 * program sends none, but an RA or a DHCPv6 reply rides as IPv6 data):
 * handle it as the main thread would, holding the world lock exclusively,
 * then wake the main loop, whose timers it may have changed.
 */
static void datapath_upgrade(struct dpath *dp, const uint8_t *frame, size_t len)
{
	struct daemon *d = dp->d;
	struct worker *wk = &d->workers[dp->w];
	uint64_t one = 1;

	if (!datapath_handoff_ok(dp)) {
		wk->handoffs_dropped++;
		return;
	}
	if (dp->gro_ds)
		datapath_gro_flush(dp);
	pthread_rwlock_unlock(&d->world);
	pthread_rwlock_wrlock(&d->world);
	/* the main thread decided to exit meanwhile: it is alone from here */
	if (!__atomic_load_n(&wk->stop, __ATOMIC_ACQUIRE)) {
		evloop_advance(&d->loop);
		datapath_rx_frame(&d->dp, frame, len);
		if (d->dp.gro_ds)
			datapath_gro_flush(&d->dp);
		xsk_io_flush(d->io);
		wk->upgrades++;
	}
	pthread_rwlock_unlock(&d->world);
	if (write(d->wake_fd, &one, sizeof(one)) < 0) {
		/* the counter is full: the main loop is awake anyway */
	}
	pthread_rwlock_rdlock(&d->world);
}

/* datapath_rx_frame_worker - datapath_rx_frame on a worker's data socket */
static void datapath_rx_frame_worker(void *ctx, const uint8_t *frame, size_t len)
{
	struct dpath *dp = ctx;
	struct pppoe_frame f;
	struct disc_pkt p;
	struct dsession *ds;
	const uint8_t *ip;
	size_t iplen;
	int r;

	if (disc_rx_decode(frame, len, &f, &p) < 0) {
		dp->n.rx_malformed++;
		return;
	}
	if (f.ethertype == ETH_P_PPP_DISC_) {
		datapath_upgrade(dp, frame, len);
		return;
	}
	ds = sessions_find_bound(dp->d, f.session_id, f.src, f.dst, &f.vlan);
	if (!ds) {
		dp->n.rx_unknown++;
		return;
	}
	switch (datapath_worker_kind(ds, &f)) {
	case SESSION6_RX_CONTROL:
		datapath_upgrade(dp, frame, len);
		return;
	case SESSION6_RX_BAD_RA:
		/* RFC 4861 6.1.2: silently discarded, as session6_rx does */
		ds->s.v6.rx_ra_bad++;
		ds->s.stats.rx_dropped++;
		return;
	case SESSION6_RX_DATA:
		break;
	}
	r = session_rx(&ds->s, &f, NULL, &ip, &iplen);
	/* Liveness: session_rx stamps the main loop's wheel time, which
	 * stands still while the main thread sleeps; the worker's clock (the
	 * same monotonic one, read under the lock, so never ahead of what the
	 * main thread sees when it next runs) is the real time. */
	if (ds->s.disc.state == DISC_SESSION)
		ds->s.ppp.last_rx_ms = dp->now;
	if (r == 1)
		datapath_rx_ip(dp, ds, (uint8_t *)(uintptr_t)ip, iplen);
}

void datapath_rx_worker(struct dpath *dp, unsigned int q)
{
	xsk_io_rx_port(dp->d->io, q, dp->w, datapath_rx_frame_worker, dp);
	if (dp->gro_ds)
		datapath_gro_flush(dp);
}

/* datapath_xsk_event - an AF_XDP socket has frames: take a batch */
void datapath_xsk_event(struct ev_src *src, uint32_t events)
{
	struct daemon_xsk_ev *x = container_of(src, struct daemon_xsk_ev, ev);

	(void)events;
	xsk_io_rx(x->d->io, x->q, datapath_rx_frame, &x->d->dp);
	/* the batch is over: what was coalesced goes now, not with the next */
	if (x->d->dp.gro_ds)
		datapath_gro_flush(&x->d->dp);
}

/*
 * datapath_tx_proto - the PPP protocol for IP packet @ip (IFF_NO_PI: the
 * version nibble says): IPv4 while IPCP is open (the TUN is down
 * otherwise), IPv6 while IPv6CP is too; 0 if it may not go
 */
static uint16_t datapath_tx_proto(struct session *s, const uint8_t *ip)
{
	if (s->disc.state != DISC_SESSION)
		return 0;
	switch (ip[0] >> 4) {
	case 4:
		return ppp_ip_ok(&s->ppp) ? PPP_IP : 0;
	case 6:
		if (session_ip6_ok(s))
			return PPP_IPV6;
		s->v6.tx_dropped++;
		return 0;
	default:
		return 0;
	}
}

/* datapath_tx_commit - IP packet of @n bytes at @frame + @hl: clamp, wrap, queue */
static void datapath_tx_commit(struct dpath *dp, struct dsession *ds, uint8_t *frame, size_t hl,
			       uint16_t proto, size_t n)
{
	struct session *s = &ds->s;

	datapath_mss(ds, frame + hl, n);
	pppoe_sess_hdr_encode_vlan(frame, s->disc.ac_mac, s->mac, &s->disc.vlan,
				   s->disc.session_id, proto, (uint16_t)n);
	xsk_io_port_commit(dp->d->io, dp->w, frame, hl + n);
	s->stats.tx_packets++;
	s->stats.tx_bytes += (uint64_t)n;
}

/*
 * datapath_tx_gso - super-packet @pkt (@len bytes, header @h) cut into
 * segments, the first into @frame (reserved already), each into its own
 * frame; all of them or, when the TX frames for data do not suffice, none
 * (TCP takes one lost super-packet better than a hole in the middle of
 * one, and no cursor must survive in the shared buffer).
 */
static void datapath_tx_gso(struct dpath *dp, struct dsession *ds, const struct virtio_net_hdr *h,
			    const uint8_t *pkt, size_t len, uint16_t proto, uint8_t *frame,
			    size_t cap, size_t hl)
{
	struct session *s = &ds->s;
	struct vnet_gso it;
	size_t n;
	bool super = h->gso_type != VIRTIO_NET_HDR_GSO_NONE;

	if (vnet_gso_init(&it, h, pkt, len) < 0 || vnet_gso_seg_max(&it) > s->ppp.net.mtu ||
	    (it.n > 1 && !xsk_io_port_room(dp->d->io, dp->w, it.n - 1))) {
		xsk_io_port_commit(dp->d->io, dp->w, frame, 0);
		s->stats.tx_dropped++;
		if (super)
			dp->n.tx_super_dropped++;
		return;
	}
	if (super)
		dp->n.tx_super++;
	else if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		dp->n.tx_csum++;
	while (it.i < it.n) {
		if (!frame) {
			frame = xsk_io_port_reserve(dp->d->io, dp->w, &cap);
			if (!frame) {
				s->stats.tx_dropped++;
				return;
			}
		}
		n = cap > hl ? vnet_gso_next(&it, frame + hl, cap - hl) : 0;
		if (!n) {
			/* cannot happen after vnet_gso_seg_max; stop all the same */
			xsk_io_port_commit(dp->d->io, dp->w, frame, 0);
			s->stats.tx_dropped++;
			return;
		}
		datapath_tx_commit(dp, ds, frame, hl, proto, n);
		if (super)
			dp->n.tx_segs++;
		frame = NULL;
	}
	if (frame)
		xsk_io_port_commit(dp->d->io, dp->w, frame, 0);
}

/*
 * datapath_tun_readable_vnet - datapath_tun_readable for a TUN with a vnet
 * header. The read lands in a UMEM frame (the header in front of where the
 * IP packet goes) and, past the frame's end, in the daemon's super-packet
 * buffer: one syscall per (super-)packet either way.
 */
static void datapath_tun_readable_vnet(struct dpath *dp, struct dsession *ds)
{
	struct session *s = &ds->s;
	size_t hl = pppoe_vlan_hlen(&s->disc.vlan) + PPPOE_HLEN + PPP_PROTO_LEN;
	uint8_t *buf = dp->tun_buf, *frame, *ip;
	struct virtio_net_hdr h;
	struct iovec iov[2];
	size_t cap, first, len;
	uint16_t proto;
	ssize_t n;
	int i;

	for (i = 0; i < DATAPATH_BATCH; i++) {
		frame = xsk_io_port_reserve(dp->d->io, dp->w, &cap);
		if (!frame || cap < hl + 64) {
			if (frame)
				xsk_io_port_commit(dp->d->io, dp->w, frame, 0);
			/* No TX frame left for data: read and drop. */
			if (tun_read(ds->tun_fd, buf, DATAPATH_TUN_BUF) <= 0)
				break;
			s->stats.tx_dropped++;
			continue;
		}
		ip = frame + hl;
		first = cap - hl + VNET_HDR_LEN;
		iov[0].iov_base = ip - VNET_HDR_LEN;
		iov[0].iov_len = first;
		iov[1].iov_base = buf + first;
		iov[1].iov_len = DATAPATH_TUN_BUF - first;
		n = readv(ds->tun_fd, iov, 2);
		if (n <= 0) {
			xsk_io_port_commit(dp->d->io, dp->w, frame, 0);
			break;
		}
		if ((size_t)n <= VNET_HDR_LEN ||
		    vnet_hdr_decode(ip - VNET_HDR_LEN, VNET_HDR_LEN, &h) < 0 ||
		    !(proto = datapath_tx_proto(s, ip))) {
			xsk_io_port_commit(dp->d->io, dp->w, frame, 0);
			s->stats.tx_dropped++;
			continue;
		}
		len = (size_t)n - VNET_HDR_LEN;
		if (h.gso_type == VIRTIO_NET_HDR_GSO_NONE && (size_t)n <= first) {
			/* one packet, already where it goes */
			if (len > s->ppp.net.mtu || vnet_csum_complete(&h, ip, len) < 0) {
				xsk_io_port_commit(dp->d->io, dp->w, frame, 0);
				s->stats.tx_dropped++;
				continue;
			}
			if (h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
				dp->n.tx_csum++;
			datapath_tx_commit(dp, ds, frame, hl, proto, len);
			continue;
		}
		/* A super-packet: whole in the buffer, the frame kept for its
		 * first segment. */
		memcpy(buf, ip - VNET_HDR_LEN, (size_t)n < first ? (size_t)n : first);
		datapath_tx_gso(dp, ds, &h, buf + VNET_HDR_LEN, len, proto, frame, cap, hl);
	}
}

/*
 * datapath_tun_readable - drain a batch of datagrams from a session's TUN,
 * each read straight into a UMEM frame behind room for the headers.
 */
static void datapath_tun_readable(struct dpath *dp, struct dsession *ds)
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
		frame = xsk_io_port_reserve(dp->d->io, dp->w, &cap);
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
			xsk_io_port_commit(dp->d->io, dp->w, frame, 0);
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
			xsk_io_port_commit(dp->d->io, dp->w, frame, 0);
			s->stats.tx_dropped++;
			continue;
		}
		datapath_mss(ds, frame + hl, (size_t)n);
		pppoe_sess_hdr_encode_vlan(frame, s->disc.ac_mac, s->mac, &s->disc.vlan,
					   s->disc.session_id, proto, (uint16_t)n);
		xsk_io_port_commit(dp->d->io, dp->w, frame, hl + (size_t)n);
		s->stats.tx_packets++;
		s->stats.tx_bytes += (uint64_t)n;
	}
}

void datapath_tun_worker(struct dpath *dp, struct dsession *ds)
{
	if (ds->vnet)
		datapath_tun_readable_vnet(dp, ds);
	else
		datapath_tun_readable(dp, ds);
}

/* datapath_tun_event - the session's TUN has datagrams to send */
void datapath_tun_event(struct ev_src *src, uint32_t events)
{
	struct dsession *ds = container_of(src, struct dsession, ev);

	(void)events;
	/* -1: destroyed earlier in this batch */
	if (ds->tun_fd < 0)
		return;
	if (ds->vnet)
		datapath_tun_readable_vnet(&ds->d->dp, ds);
	else
		datapath_tun_readable(&ds->d->dp, ds);
}
