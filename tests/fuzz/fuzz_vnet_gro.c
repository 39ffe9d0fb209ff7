// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_vnet_gro.c - libFuzzer target for TCP and UDP coalescing. Input: a mode
 * byte, a capacity byte, then records [length (2 bytes, big endian),
 * flags byte, packet]. Mode bit 0 fixes each packet's IP length, IPv4
 * header checksum and TCP checksum, bit 1 also makes its sequence number
 * and IPv4 ID follow the previous packet's (so the fuzzer reaches long
 * merges), bit 2 gives GRO a buffer of (capacity byte * 256) bytes
 * instead of a full one. Flags bit 0 passes VNET_GRO_CSUM_OK, bit 1
 * VNET_GRO_UDP4 | VNET_GRO_UDP6 (UDP datagrams are fixed like TCP
 * segments: their length field and checksum).
 *
 * Besides crashes: FLUSH only while something is held, and never twice
 * for one packet; PASS only with nothing held; every super-packet fits
 * the buffer, carries a consistent vnet header, and cut again by
 * vnet_gso gives back exactly the segments that went in (checksum fields
 * compared as one's complement values; the TCP/UDP checksum only where
 * the input's was right; the IPv4 ID, which segmentation numbers on, not
 * where GRO took DF segments with one ID).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/vnet_fuzz.h"
#include "tun/vnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz_held {
	uint8_t *p;
	size_t len;
};

static struct fz_held *held;
static size_t nheld;

/* fz_fix - make @p (@len bytes) a consistent packet, continuing *@seq, *@id */
static void fz_fix(uint8_t *p, size_t len, int chain, uint32_t *seq, uint16_t *id)
{
	size_t l3, tot, doff;
	uint8_t proto;
	uint32_t s;

	if (len >= 20 && p[0] >> 4 == 4 && len <= 65535) {
		vf_p16(p + 2, (uint16_t)len);
		if (chain)
			vf_p16(p + 4, *id);
		if ((size_t)(p[0] & 15) * 4 <= len) {
			p[10] = p[11] = 0;
			vf_p16(p + 10, (uint16_t)~vf_fold(vf_sum(0, p, (size_t)(p[0] & 15) * 4)));
		}
	} else if (len >= 40 && p[0] >> 4 == 6 && len - 40 <= 65535) {
		vf_p16(p + 4, (uint16_t)(len - 40));
	}
	if (!vf_ip_shape(p, len, &l3, &tot, &proto))
		return;
	if (proto == 17 && tot - l3 >= 8) {
		vf_p16(p + l3 + 4, (uint16_t)(tot - l3));
		p[l3 + 6] = p[l3 + 7] = 0;
		vf_p16(p + l3 + 6, (uint16_t)~vf_fold(vf_l4_sum(p, 17, p + l3, tot - l3)));
		if (chain)
			*id = (uint16_t)(*id + 1);
		return;
	}
	if (proto != 6 || tot - l3 < 20)
		return;
	doff = (size_t)(p[l3 + 12] >> 4) * 4;
	if (chain) {
		s = *seq;
		p[l3 + 4] = (uint8_t)(s >> 24);
		p[l3 + 5] = (uint8_t)(s >> 16);
		p[l3 + 6] = (uint8_t)(s >> 8);
		p[l3 + 7] = (uint8_t)s;
		if (doff <= tot - l3)
			*seq = s + (uint32_t)(tot - l3 - doff);
		*id = (uint16_t)(*id + 1);
	}
	p[l3 + 16] = p[l3 + 17] = 0;
	vf_p16(p + l3 + 16, (uint16_t)~vf_fold(vf_l4_sum(p, 6, p + l3, tot - l3)));
}

/* fz_check_flush - flush, and the super-packet cut again is what was held */
static void fz_check_flush(struct vnet_gro *g)
{
	struct virtio_net_hdr h;
	struct vnet_gso it;
	uint8_t *seg;
	size_t n, m, i, l3, tot, co;
	uint8_t proto;
	bool udp = g->proto == 17, fixed_id = g->fixed_id;

	n = vnet_gro_flush(g);
	if (!nheld) {
		if (n)
			abort();
		return;
	}
	if (n <= VNET_HDR_LEN || n > g->cap || vnet_gro_pending(g) || vnet_hdr_decode(g->buf, n, &h))
		abort();
	co = udp ? 6 : 16;
	if (h.flags != VIRTIO_NET_HDR_F_NEEDS_CSUM || h.csum_offset != co)
		abort();
	if (nheld > 1 ? h.gso_type != (udp ? VIRTIO_NET_HDR_GSO_UDP_L4
				      : (g->buf[VNET_HDR_LEN] >> 4) == 4 ? VIRTIO_NET_HDR_GSO_TCPV4
									: VIRTIO_NET_HDR_GSO_TCPV6)
		      : h.gso_type != VIRTIO_NET_HDR_GSO_NONE)
		abort();
	if (udp && nheld > VNET_GRO_UDP_SEGS)
		abort();
	if (vnet_gso_init(&it, &h, g->buf + VNET_HDR_LEN, n - VNET_HDR_LEN) || it.n != nheld)
		abort();
	seg = malloc(vnet_gso_seg_max(&it));
	if (!seg)
		abort();
	for (i = 0; (m = vnet_gso_next(&it, seg, vnet_gso_seg_max(&it))); i++) {
		if (i >= nheld || !vf_ip_shape(held[i].p, held[i].len, &l3, &tot, &proto) ||
		    tot != m)
			abort();
		if (!vf_l4_ok(held[i].p, held[i].len))
			memcpy(held[i].p + l3 + co, seg + l3 + co, 2); /* vouched for, not right */
		if (fixed_id) {
			if (!(held[i].p[6] & 0x40) || vf_g16(held[i].p + 4) != vf_g16(held[0].p + 4) ||
			    vf_fold(vf_sum(0, seg, l3)) != 0xffff)
				abort();
			memcpy(held[i].p + 4, seg + 4, 2);
			memcpy(held[i].p + 10, seg + 10, 2);
		}
		if (!vf_same(seg, held[i].p, m, held[i].p[0] >> 4 == 4 ? 10 : (size_t)-1, l3 + co))
			abort();
	}
	if (it.err || i != nheld)
		abort();
	free(seg);
	for (i = 0; i < nheld; i++)
		free(held[i].p);
	nheld = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnet_gro g;
	enum vnet_gro_res r;
	uint8_t mode, *buf, *p;
	size_t cap, off = 2, len, i;
	unsigned int fl;
	uint32_t seq = 0;
	uint16_t id = 0;

	if (size < 2)
		return 0;
	mode = data[0];
	cap = mode & 4 ? (size_t)data[1] * 256 : VNET_GRO_BUF;
	buf = malloc(cap ? cap : 1);
	held = calloc(size / 3 + 1, sizeof(*held));
	if (!buf || !held)
		abort();
	nheld = 0;
	vnet_gro_init(&g, buf, cap);
	while (size - off >= 3) {
		len = vf_g16(data + off);
		fl = (data[off + 2] & 1 ? VNET_GRO_CSUM_OK : 0) |
		     (data[off + 2] & 2 ? VNET_GRO_UDP4 | VNET_GRO_UDP6 : 0);
		off += 3;
		if (len > size - off)
			len = size - off;
		p = malloc(len ? len : 1); /* exact size: ASan sees any overrun */
		if (!p)
			abort();
		memcpy(p, data + off, len);
		off += len;
		if (mode & 1)
			fz_fix(p, len, mode & 2, &seq, &id);
		r = vnet_gro_add(&g, p, len, fl);
		if (r == VNET_GRO_FLUSH) {
			if (!vnet_gro_pending(&g) || !nheld)
				abort();
			fz_check_flush(&g);
			r = vnet_gro_add(&g, p, len, fl);
			if (r == VNET_GRO_FLUSH)
				abort();
		}
		if (r == VNET_GRO_HELD) {
			if (!vnet_gro_pending(&g))
				abort();
			held[nheld].p = p;
			held[nheld].len = len;
			nheld++;
		} else {
			if (vnet_gro_pending(&g) || nheld)
				abort();
			free(p);
		}
	}
	fz_check_flush(&g);
	for (i = 0; i < nheld; i++)
		free(held[i].p);
	free(held);
	free(buf);
	return 0;
}
