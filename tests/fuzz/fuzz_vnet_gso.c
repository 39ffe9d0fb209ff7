// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_vnet_gso.c - libFuzzer target for TUN super-packet segmentation.
 * Input: two bytes of output capacity (big endian), the 10-byte vnet
 * header, then the packet. Besides crashes: an error is one of the
 * documented ones; every segment fits the capacity, is a whole IP packet
 * of its own length with a valid IPv4 header checksum and a TCP/UDP
 * checksum that verifies by a byte-by-byte reference; the payloads
 * concatenated are the super-packet's; sequence numbers follow and FIN/PSH
 * are on the last segment only, CWR on the first only; a plain packet
 * comes out unchanged but for a completed checksum that verifies. Then
 * the TCP segments fed to GRO give back the super-packet.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/vnet_fuzz.h"
#include "tun/vnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fz_segment - check one TCP/UDP segment @out (@n bytes) of @it */
static void fz_segment(const struct vnet_gso *it, const uint8_t *out, size_t n, size_t off,
		       unsigned int i)
{
	const uint8_t *pkt = it->pkt;
	size_t l3, tot, pay = n - it->hlen;
	uint8_t proto, fl;
	uint32_t seq;

	if (!vf_ip_shape(out, n, &l3, &tot, &proto) || tot != n || l3 != it->l3len ||
	    proto != it->proto || !vf_l4_ok(out, n))
		abort();
	if (out[0] >> 4 == 4 && (vf_fold(vf_sum(0, out, l3)) != 0xffff ||
				 vf_g16(out + 4) != (uint16_t)(vf_g16(pkt + 4) + i)))
		abort();
	if (memcmp(out + it->hlen, pkt + off, pay))
		abort();
	if (proto == 6) {
		seq = (uint32_t)pkt[l3 + 4] << 24 | (uint32_t)pkt[l3 + 5] << 16 |
		      (uint32_t)pkt[l3 + 6] << 8 | pkt[l3 + 7];
		seq += (uint32_t)(off - it->hlen);
		if (out[l3 + 4] != (uint8_t)(seq >> 24) || out[l3 + 5] != (uint8_t)(seq >> 16) ||
		    out[l3 + 6] != (uint8_t)(seq >> 8) || out[l3 + 7] != (uint8_t)seq)
			abort();
		fl = pkt[l3 + 13];
		if (i + 1 < it->n)
			fl &= (uint8_t)~0x09;
		if (i)
			fl &= (uint8_t)~0x80;
		if (out[l3 + 13] != fl)
			abort();
	} else if (vf_g16(out + l3 + 4) != n - l3) {
		abort();
	}
}

/* fz_regro - the TCP segments of @pkt coalesced give @pkt back */
static void fz_regro(const struct virtio_net_hdr *h, const uint8_t *pkt, size_t len,
		     const struct vnet_gso *it)
{
	uint8_t *seg = malloc(vnet_gso_seg_max(it)), *buf = malloc(VNET_GRO_BUF), *ip;
	struct vnet_gso again;
	struct vnet_gro g;
	size_t n, l3 = it->l3len;
	uint32_t ps;

	if (!seg || !buf)
		abort();
	vnet_gro_init(&g, buf, VNET_GRO_BUF);
	if (vnet_gso_init(&again, h, pkt, len))
		abort();
	while ((n = vnet_gso_next(&again, seg, vnet_gso_seg_max(it))))
		if (vnet_gro_add(&g, seg, n, 0) != VNET_GRO_HELD)
			abort();
	if (again.err || vnet_gro_flush(&g) != VNET_HDR_LEN + len)
		abort();
	ps = pkt[0] >> 4 == 4 ? vf_sum(6 + (uint32_t)(len - l3), pkt + 12, 8)
			      : vf_sum(6 + (uint32_t)(len - l3), pkt + 8, 32);
	/* the TCP checksum field holds the pseudo-header sum and the IPv4
	 * header checksum is ours (valid whatever the input had); all other
	 * bytes are the input's */
	ip = buf + VNET_HDR_LEN;
	if (vf_g16(ip + l3 + 16) != vf_fold(ps) || memcmp(ip + l3 + 18, pkt + l3 + 18, len - l3 - 18))
		abort();
	if (pkt[0] >> 4 == 4 ? vf_fold(vf_sum(0, ip, l3)) != 0xffff || memcmp(ip, pkt, 10) ||
				       memcmp(ip + 12, pkt + 12, l3 + 4)
			     : memcmp(ip, pkt, l3 + 16) != 0)
		abort();
	free(buf);
	free(seg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct virtio_net_hdr h;
	struct vnet_gso it;
	uint8_t *pkt, *out;
	size_t cap, len, n, off;
	unsigned int i = 0;
	uint32_t s;
	int r;

	if (size < 2 + VNET_HDR_LEN)
		return 0;
	cap = vf_g16(data);
	if (vnet_hdr_decode(data + 2, VNET_HDR_LEN, &h))
		abort();
	len = size - 2 - VNET_HDR_LEN;
	pkt = malloc(len ? len : 1); /* exact size: ASan sees any overrun */
	out = malloc(cap ? cap : 1);
	if (!pkt || !out)
		abort();
	memcpy(pkt, data + 2 + VNET_HDR_LEN, len);
	r = vnet_gso_init(&it, &h, pkt, len);
	if (r) {
		if (r != -EINVAL && r != -EOPNOTSUPP && r != -EPROTONOSUPPORT)
			abort();
		goto out;
	}
	off = it.hlen;
	while ((n = vnet_gso_next(&it, out, cap))) {
		if (n > cap || i >= it.n)
			abort();
		if (!it.proto) {
			if (n != len)
				abort();
			if (h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
				size_t at = (size_t)h.csum_start + h.csum_offset;

				/* with the pseudo-header sum the field held, the
				 * completed region verifies (an odd offset has no
				 * meaning for TCP/UDP: only bounds then) */
				s = vf_sum(vf_g16(pkt + at), out + h.csum_start,
					   len - h.csum_start);
				if (!(h.csum_offset & 1) && vf_fold(s) != 0xffff)
					abort();
				/* all else unchanged */
				if (memcmp(out, pkt, at) ||
				    memcmp(out + at + 2, pkt + at + 2, len - at - 2))
					abort();
			} else if (memcmp(out, pkt, len)) {
				abort();
			}
		} else {
			fz_segment(&it, out, n, off, i);
			off += n - it.hlen;
		}
		i++;
	}
	if (it.err) {
		if (it.err != -EMSGSIZE || vnet_gso_seg_max(&it) <= cap)
			abort();
		goto out;
	}
	if (i != it.n || (it.proto && off != len))
		abort();
	if (it.proto == 6 && len > it.hlen && (pkt[it.l3len + 13] & 0xf7) == 0x10)
		fz_regro(&h, pkt, len, &it);
out:
	free(out);
	free(pkt);
	return 0;
}
