/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vnet.h - TUN offloads as pure code: the virtio_net_hdr a TUN opened with
 * IFF_VNET_HDR puts in front of each packet, checksum completion,
 * segmentation of the super-packets a TUN with TUNSETOFFLOAD hands us
 * (TSO4/TSO6, USO), and coalescing of received TCP segments into one
 * super-packet to write to the TUN (GRO). No syscalls, no allocation:
 * the caller owns every buffer and every length is checked.
 *
 * Byte order of the header: the TUN's legacy virtio header is in the
 * device's vnet byte order, which is host order unless TUNSETVNETBE/LE
 * says otherwise; this module reads and writes it little-endian, the host
 * order of x86 and arm64. A big-endian host must set TUNSETVNETLE.
 */
#ifndef PPPOE_TUN_VNET_H
#define PPPOE_TUN_VNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/virtio_net.h>

#define VNET_HDR_LEN 10 /* sizeof(struct virtio_net_hdr), without num_buffers */

/* Older uapi headers lack USO (Linux 6.2). */
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5
#endif

/* ---- checksums (RFC 1071) --------------------------------------------
 * A partial sum is a uint32_t of 16-bit big-endian words added without
 * folding; regions must start at an even offset of the checksummed data
 * (an odd last byte is padded with zero). vnet_csum_fold folds a sum to 16
 * bits (not complemented); the checksum field takes ~fold.
 */
uint32_t vnet_csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t vnet_csum_fold(uint32_t sum);
/*
 * vnet_csum_pseudo - the pseudo-header sum of IP packet @ip (IPv4: RFC 793
 * source, destination, protocol, length; IPv6: RFC 8200 8.1) for upper
 * layer @proto of @l4len bytes. @ip must hold the whole fixed IP header.
 */
uint32_t vnet_csum_pseudo(const uint8_t *ip, uint8_t proto, uint32_t l4len);

/* ---- the header ------------------------------------------------------
 * A decoded struct virtio_net_hdr holds host-order values.
 */
/* vnet_hdr_decode - the header at @buf (@len bytes): 0, or -EINVAL if short */
int vnet_hdr_decode(const uint8_t *buf, size_t len, struct virtio_net_hdr *h);
/* vnet_hdr_encode - write @h as the 10 bytes the TUN expects at @buf */
void vnet_hdr_encode(uint8_t *buf, const struct virtio_net_hdr *h);

/*
 * vnet_csum_complete - what a NIC does for VIRTIO_NET_HDR_F_NEEDS_CSUM:
 * sum @pkt from csum_start to the end (the field at csum_start +
 * csum_offset holds the pseudo-header sum the kernel left there and is
 * included, as in the kernel's skb_checksum_help) and store the complement
 * there. A UDP field (csum_offset 6) never gets 0, which means "none":
 * 0xffff instead, its equal in one's complement. 0 (also when the flag is
 * not set), or -EINVAL if the offsets do not fit @len.
 */
int vnet_csum_complete(const struct virtio_net_hdr *h, uint8_t *pkt, size_t len);

/* ---- segmentation (TUN -> wire) ----------------------------------------
 * One packet read from the TUN (after its vnet header) becomes one or more
 * wire packets, each written whole into a caller buffer, e.g. a UMEM frame
 * behind room for Ethernet, PPPoE and PPP:
 *
 *	if (vnet_gso_init(&it, &h, pkt, len) < 0) drop;
 *	while ((n = vnet_gso_next(&it, frame + PPPOE_SESS_HLEN, cap)))
 *		send;
 *	if (it.err) drop the rest;
 *
 * GSO_NONE: the packet copied, its checksum completed if NEEDS_CSUM.
 * TCPV4/TCPV6 (with or without the ECN bit): every segment carries the IP
 * and TCP headers (options included) with IPv4 total length, ID + i and
 * header checksum, or IPv6 payload length; sequence number advanced; FIN
 * and PSH on the last segment only, CWR on the first only; the TCP
 * checksum computed in full. UDP_L4 (USO): one datagram per gso_size
 * bytes, each with its UDP length and checksum. The last segment may be
 * short; gso_size at least the payload gives one segment.
 *
 * Refused by vnet_gso_init: GSO with gso_size 0 (-EINVAL, as the kernel
 * refuses it), UFO (-EOPNOTSUPP), truncated headers, IPv4 total length or
 * IPv6 payload length other than @len, IPv4 fragments, a transport
 * protocol or IP version other than the gso_type names, IPv6 extension
 * headers (-EPROTONOSUPPORT), NEEDS_CSUM pointing anywhere but the TCP/UDP
 * checksum, hdr_len beyond @len (-EINVAL). hdr_len is otherwise only a
 * hint: Linux has long filled in the length of the skb's linear part,
 * which may be more or less than the headers (newer kernels the headers'
 * length), so the header lengths come from the packet itself.
 */
struct vnet_gso {
	const uint8_t *pkt;
	size_t len;	/* of @pkt */
	size_t l3len;	/* IP header */
	size_t hlen;	/* IP + TCP/UDP header */
	size_t off;	/* where the next segment's payload starts in @pkt */
	size_t mss;	/* payload per segment */
	struct virtio_net_hdr h;
	uint32_t seq;	/* TCP sequence number of the first byte */
	uint16_t id;	/* IPv4 ID of the first segment */
	unsigned int i;	/* next segment's index */
	unsigned int n;	/* segments in all */
	uint8_t proto;	/* IPPROTO_TCP, IPPROTO_UDP, 0 for GSO_NONE */
	int err;	/* 0, or why vnet_gso_next stopped early */
};

int vnet_gso_init(struct vnet_gso *it, const struct virtio_net_hdr *h, const uint8_t *pkt,
		  size_t len);
/*
 * vnet_gso_next - write the next segment to @out (@cap bytes) and return
 * its length; 0 when done. If @cap is too small, returns 0 with it->err
 * -EMSGSIZE and stays on that segment: clearing it->err retries it
 * (vnet_gso_seg_max says what fits every segment).
 */
size_t vnet_gso_next(struct vnet_gso *it, uint8_t *out, size_t cap);
/* vnet_gso_seg_max - the largest segment this iteration writes */
size_t vnet_gso_seg_max(const struct vnet_gso *it);

/* ---- coalescing (wire -> TUN) -------------------------------------------
 * Consecutive in-order TCP segments of one flow are copied into one
 * super-packet in a caller buffer, which starts with room for the vnet
 * header: after vnet_gro_flush, write(tun_fd, g->buf, n) sends it. One
 * flow at a time; the caller flushes at the end of each RX batch:
 *
 *	r = vnet_gro_add(&g, ip, len, 0);
 *	if (r == VNET_GRO_FLUSH) {
 *		write(fd, g.buf, vnet_gro_flush(&g));
 *		r = vnet_gro_add(&g, ip, len, 0);	(HELD or PASS now)
 *	}
 *	if (r == VNET_GRO_PASS)
 *		write zero header + ip;
 *	...
 *	at the end of the batch: if ((n = vnet_gro_flush(&g))) write(fd, g.buf, n);
 *
 * Packets leave in the order they came: anything that does not join the
 * held super-packet (another flow, a SYN) makes it flush first.
 *
 * UDP datagrams merge too when the caller says the TUN took USO
 * (VNET_GRO_UDP4/VNET_GRO_UDP6 in the flags): consecutive datagrams of
 * one flow (addresses, ports and the IP fields below), every one but the
 * last of the first one's size, at most VNET_GRO_UDP_SEGS of them, go out
 * as one GSO_UDP_L4 super-packet that the kernel splits into the same
 * datagrams again (the UDP length field of each is the one the sender
 * wrote). An IPv4 datagram without a checksum may merge (the kernel gives
 * each a checksum then); checksum errors never do.
 *
 * Segments merge when, as the kernel's own GRO requires: same IP version,
 * addresses, ports; IPv4 version/IHL, TOS, DF/fragment field, TTL,
 * options equal and the ID one more than the previous one's (or, with DF
 * set, the same in all of them: RFC 6864's atomic datagrams); IPv6 first
 * word (traffic class, flow label) and hop limit equal, TCP directly
 * after the fixed header; TCP sequence number exactly following, ACK
 * number, window, urgent pointer, data offset and option bytes equal
 * (timestamps included: a later segment with a newer timestamp starts a
 * new super-packet, as in Linux); flags ACK or ACK|PSH only (SYN, FIN,
 * RST, URG, CWR, ECE segments are never merged) and a PSH ends the
 * super-packet after it; every segment but the last of the first one's
 * payload size, the last no larger (a shorter one ends it); IPv4 total
 * length (IPv6 payload length) at most 65535 and the whole within the
 * buffer. Fragments, IPv4 header checksum errors and TCP checksum errors
 * (unless the caller says it verified the checksum) are never merged.
 *
 * The super-packet goes out with NEEDS_CSUM, csum_start at the TCP
 * header, csum_offset 16 and the TCP checksum field holding the
 * pseudo-header sum of its full length (not complemented): the form the
 * kernel itself hands a TUN reader and virtio_net_hdr_to_skb accepts for
 * a GSO packet (CHECKSUM_PARTIAL: local delivery trusts it, forwarding
 * computes each segment's checksum). gso_type TCPV4/TCPV6 and gso_size
 * when more than one segment was merged, GSO_NONE otherwise (the kernel
 * takes a "GSO" packet no longer than gso_size as a plain one anyway).
 * IPv4 keeps the first segment's ID, gets the total length and a new
 * header checksum; IPv6 gets the payload length.
 */
enum vnet_gro_res {
	VNET_GRO_HELD,	/* taken: started or extended the held super-packet */
	VNET_GRO_FLUSH,	/* cannot join what is held: vnet_gro_flush, write that, add again */
	VNET_GRO_PASS,	/* nothing held and not for GRO: write it as it is,
			 * behind an all-zero vnet header */
};

#define VNET_GRO_CSUM_OK 0x1 /* the caller verified the TCP (UDP) checksum */
#define VNET_GRO_UDP4    0x2 /* merge IPv4 UDP too: the TUN took TUN_F_USO4 */
#define VNET_GRO_UDP6    0x4 /* merge IPv6 UDP too: the TUN took TUN_F_USO6 */
/* at most this many datagrams in one UDP super-packet: the kernel refuses
 * (virtio_net_hdr_to_skb) more than UDP_MAX_SEGMENTS, 64 before Linux 6.x */
#define VNET_GRO_UDP_SEGS 64

struct vnet_gro {
	uint8_t *buf;	/* the caller's: vnet header, then the super-packet */
	size_t cap;	/* of @buf */
	size_t len;	/* IP bytes held at buf + VNET_HDR_LEN; 0: none */
	size_t l3len;	/* IP header of what is held */
	size_t hlen;	/* IP + TCP header of what is held */
	uint32_t next_seq;
	uint16_t gso_size;
	uint16_t next_id;
	bool fixed_id;	/* IPv4 DF segments all with the first one's ID */
	uint8_t proto;	/* IPPROTO_TCP or IPPROTO_UDP */
	unsigned int segs;
	bool closed;	/* PSH or a short segment: nothing more joins */
};

/* vnet_gro_init - empty state over @buf of @cap bytes (VNET_GRO_BUF fits
 * the largest super-packet; a smaller buffer merges less) */
#define VNET_GRO_BUF (VNET_HDR_LEN + 40 + 65535)
void vnet_gro_init(struct vnet_gro *g, uint8_t *buf, size_t cap);
/* vnet_gro_add - offer IP packet @pkt (@len bytes, as carried in PPP) */
enum vnet_gro_res vnet_gro_add(struct vnet_gro *g, const uint8_t *pkt, size_t len,
			       unsigned int flags);
/*
 * vnet_gro_flush - finish what is held: fill in the vnet header at g->buf
 * and the headers behind it, return the bytes to write from g->buf (vnet
 * header included), and start empty. 0 if nothing was held.
 */
size_t vnet_gro_flush(struct vnet_gro *g);
static inline bool vnet_gro_pending(const struct vnet_gro *g)
{
	return g->len != 0;
}

#endif
