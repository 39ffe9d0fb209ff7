// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vnet.c - TUN offloads: the vnet header, checksum completion, TSO
 * and USO segmentation and TCP coalescing. Every checksum is checked
 * against a plain byte-by-byte sum written here; segments against the
 * super-packet they came from; coalesced packets against the super-packet
 * the segments were cut from (round trips both ways).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tun/vnet.h"

#define FIN 0x01
#define SYN 0x02
#define RST 0x04
#define PSH 0x08
#define ACK 0x10
#define URG 0x20
#define ECE 0x40
#define CWR 0x80

/* ---- reference arithmetic ------------------------------------------- */

/* ref_sum - one's complement sum of @len bytes, big-endian words */
static uint32_t ref_sum(uint32_t s, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return s;
}

static uint16_t ref_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static uint16_t g16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t g32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void p16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static size_t ref_l3(const uint8_t *ip)
{
	return ip[0] >> 4 == 4 ? (size_t)(ip[0] & 15) * 4 : 40;
}

static size_t ref_len(const uint8_t *ip)
{
	return ip[0] >> 4 == 4 ? g16(ip + 2) : 40 + (size_t)g16(ip + 4);
}

static uint8_t ref_proto(const uint8_t *ip)
{
	return ip[0] >> 4 == 4 ? ip[9] : ip[6];
}

/* ref_pseudo - pseudo-header sum, byte by byte */
static uint32_t ref_pseudo(const uint8_t *ip, uint32_t l4len)
{
	uint32_t s = ref_proto(ip) + (l4len >> 16) + (l4len & 0xffff);

	return ip[0] >> 4 == 4 ? ref_sum(s, ip + 12, 8) : ref_sum(s, ip + 8, 32);
}

/* ref_l4_ok - the TCP/UDP checksum of @ip verifies */
static int ref_l4_ok(const uint8_t *ip)
{
	size_t l3 = ref_l3(ip), tot = ref_len(ip);

	return ref_fold(ref_sum(ref_pseudo(ip, (uint32_t)(tot - l3)), ip + l3, tot - l3)) == 0xffff;
}

static int ref_ip4_ok(const uint8_t *ip)
{
	return ref_fold(ref_sum(0, ip, ref_l3(ip))) == 0xffff;
}

/* ---- packet builders ------------------------------------------------- */

/* the byte carried at stream position @seq: segments and super-packets agree */
static uint8_t stream_byte(uint32_t seq)
{
	return (uint8_t)(seq * 131u + (seq >> 8) * 7u + 1u);
}

struct spec {
	int ver;
	uint8_t proto;
	const uint8_t *ipopt;
	size_t ipolen;	/* multiple of 4 */
	const uint8_t *topt;
	size_t tolen;	/* multiple of 4 */
	uint32_t seq;
	uint8_t flags;
	uint16_t id;
	uint8_t tos;
	uint8_t ttl;
	size_t pay;
};

enum csum_mode { CS_FULL, CS_PARTIAL, CS_NONE };

static void set_l4_csum(uint8_t *ip, enum csum_mode mode)
{
	size_t l3 = ref_l3(ip), tot = ref_len(ip), at = l3 + (ref_proto(ip) == 6 ? 16 : 6);
	uint16_t c;

	ip[at] = ip[at + 1] = 0;
	if (mode == CS_NONE)
		return;
	if (mode == CS_PARTIAL) {
		p16(ip + at, ref_fold(ref_pseudo(ip, (uint32_t)(tot - l3))));
		return;
	}
	c = (uint16_t)~ref_fold(ref_sum(ref_pseudo(ip, (uint32_t)(tot - l3)), ip + l3, tot - l3));
	p16(ip + at, c);
}

/* build - the packet @s describes into @ip; returns its length */
static size_t build(uint8_t *ip, const struct spec *s, enum csum_mode mode)
{
	size_t l3 = s->ver == 4 ? 20 + s->ipolen : 40;
	size_t l4 = s->proto == 6 ? 20 + s->tolen : 8;
	size_t tot = l3 + l4 + s->pay, i;
	uint8_t *t = ip + l3;

	memset(ip, 0, l3 + l4);
	if (s->ver == 4) {
		ip[0] = (uint8_t)(0x40 | l3 / 4);
		ip[1] = s->tos;
		p16(ip + 2, (uint16_t)tot);
		p16(ip + 4, s->id);
		ip[6] = 0x40; /* DF */
		ip[8] = s->ttl ? s->ttl : 64;
		ip[9] = s->proto;
		memcpy(ip + 12, (uint8_t[]){ 10, 64, 0, 100, 198, 51, 100, 7 }, 8);
		if (s->ipolen)
			memcpy(ip + 20, s->ipopt, s->ipolen);
		p16(ip + 10, (uint16_t)~ref_fold(ref_sum(0, ip, l3)));
	} else {
		ip[0] = (uint8_t)(0x60 | s->tos >> 4);
		ip[1] = (uint8_t)(s->tos << 4 | 0x0a);
		ip[2] = 0xbc;
		ip[3] = 0xde;
		p16(ip + 4, (uint16_t)(tot - 40));
		ip[6] = s->proto;
		ip[7] = s->ttl ? s->ttl : 64;
		ip[8] = 0x20;
		ip[9] = 0x01;
		ip[10] = 0x0d;
		ip[11] = 0xb8;
		ip[23] = 1;
		ip[24] = 0x20;
		ip[25] = 0x01;
		ip[26] = 0x0d;
		ip[27] = 0xb8;
		ip[39] = 2;
	}
	p16(t, 50001);
	p16(t + 2, 443);
	if (s->proto == 6) {
		t[4] = (uint8_t)(s->seq >> 24);
		t[5] = (uint8_t)(s->seq >> 16);
		t[6] = (uint8_t)(s->seq >> 8);
		t[7] = (uint8_t)s->seq;
		memcpy(t + 8, (uint8_t[]){ 0xa1, 0xb2, 0xc3, 0xd4 }, 4);
		t[12] = (uint8_t)(l4 / 4 << 4);
		t[13] = s->flags;
		p16(t + 14, 501);
		if (s->tolen)
			memcpy(t + 20, s->topt, s->tolen);
	} else {
		p16(t + 4, (uint16_t)(8 + s->pay));
	}
	for (i = 0; i < s->pay; i++)
		ip[l3 + l4 + i] = stream_byte(s->seq + (uint32_t)i);
	set_l4_csum(ip, mode);
	return tot;
}

static const uint8_t IPOPT[8] = { 0x94, 0x04, 0, 0, 0x01, 0x01, 0x01, 0x00 }; /* router alert, NOPs, EOL */
static const uint8_t TSOPT[12] = { 1, 1, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0x56, 0x78 };

static struct virtio_net_hdr tso_hdr(const uint8_t *ip, size_t len, uint16_t mss)
{
	struct virtio_net_hdr h = { 0 };
	size_t l3 = ref_l3(ip);

	h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	if (ref_proto(ip) == 6) {
		h.gso_type = ip[0] >> 4 == 4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
		h.hdr_len = (uint16_t)(l3 + (ip[l3 + 12] >> 4) * 4);
		h.csum_offset = 16;
	} else {
		h.gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
		h.hdr_len = (uint16_t)(l3 + 8);
		h.csum_offset = 6;
	}
	h.gso_size = mss;
	h.csum_start = (uint16_t)l3;
	(void)len;
	return h;
}

static uint8_t super[VNET_GRO_BUF];
static uint8_t seg[70000];
static uint8_t grobuf[VNET_GRO_BUF];
static uint8_t segs[64][2048];
static size_t seglen[64];

/* ---- checksum helpers ------------------------------------------------ */

static void test_csum_matches_reference(void **state)
{
	uint8_t buf[300];
	size_t i, len, off;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 151 + 3);
	for (len = 0; len <= 260; len++)
		for (off = 0; off < 4; off++)
			assert_int_equal(vnet_csum_fold(vnet_csum_add(7, buf + off, len)),
					 ref_fold(ref_sum(7, buf + off, len)));
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(vnet_csum_fold(vnet_csum_add(0, buf, 299)),
			 ref_fold(ref_sum(0, buf, 299)));
}

static void test_csum_pseudo(void **state)
{
	struct spec s4 = { .ver = 4, .proto = 6, .pay = 10 };
	struct spec s6 = { .ver = 6, .proto = 17, .pay = 11 };
	uint8_t ip[100];

	(void)state;
	build(ip, &s4, CS_FULL);
	assert_int_equal(vnet_csum_fold(vnet_csum_pseudo(ip, 6, 30)),
			 ref_fold(ref_pseudo(ip, 30)));
	build(ip, &s6, CS_FULL);
	assert_int_equal(vnet_csum_fold(vnet_csum_pseudo(ip, 17, 70000)),
			 ref_fold(ref_pseudo(ip, 70000)));
}

/* ---- the header ------------------------------------------------------ */

static void test_hdr_roundtrip(void **state)
{
	struct virtio_net_hdr h = { .flags = 1, .gso_type = 4, .hdr_len = 0x1234,
				    .gso_size = 1440, .csum_start = 40, .csum_offset = 16 }, d;
	uint8_t b[VNET_HDR_LEN];

	(void)state;
	vnet_hdr_encode(b, &h);
	assert_memory_equal(b, ((uint8_t[]){ 1, 4, 0x34, 0x12, 0xa0, 0x05, 40, 0, 16, 0 }), 10);
	assert_int_equal(vnet_hdr_decode(b, sizeof(b), &d), 0);
	assert_memory_equal(&d, &h, sizeof(h));
	assert_int_equal(vnet_hdr_decode(b, 9, &d), -EINVAL);
}

/* ---- checksum completion --------------------------------------------- */

static void test_csum_complete(void **state)
{
	struct spec u = { .ver = 4, .proto = 17, .pay = 333 };
	struct spec t = { .ver = 6, .proto = 6, .pay = 1001, .topt = TSOPT, .tolen = 12 };
	struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 20,
				    .csum_offset = 6 };
	uint8_t ip[2000];
	size_t n;

	(void)state;
	n = build(ip, &u, CS_PARTIAL);
	assert_int_equal(vnet_csum_complete(&h, ip, n), 0);
	assert_true(ref_l4_ok(ip));
	n = build(ip, &t, CS_PARTIAL);
	h.csum_start = 40;
	h.csum_offset = 16;
	assert_int_equal(vnet_csum_complete(&h, ip, n), 0);
	assert_true(ref_l4_ok(ip));
	/* offsets outside the packet */
	h.csum_start = (uint16_t)(n - 1);
	h.csum_offset = 0;
	assert_int_equal(vnet_csum_complete(&h, ip, n), -EINVAL);
	h.csum_start = 40;
	h.csum_offset = (uint16_t)(n - 41);
	assert_int_equal(vnet_csum_complete(&h, ip, n), -EINVAL);
	/* no flag: nothing done */
	h.flags = 0;
	assert_int_equal(vnet_csum_complete(&h, NULL, 0), 0);
}

/* a UDP datagram whose checksum computes to 0 gets 0xffff */
static void test_csum_complete_udp_zero(void **state)
{
	struct spec u = { .ver = 4, .proto = 17, .pay = 20 };
	struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 20,
				    .csum_offset = 6 };
	uint8_t ip[100];
	size_t n = build(ip, &u, CS_FULL);
	uint16_t c = g16(ip + 26);

	(void)state;
	/* the last payload word set to the checksum: the new sum is ~0 */
	ip[26] = ip[27] = 0;
	p16(ip + n - 2, 0);
	c = (uint16_t)~ref_fold(ref_sum(ref_pseudo(ip, (uint32_t)(n - 20)), ip + 20, n - 20));
	p16(ip + n - 2, c);
	set_l4_csum(ip, CS_PARTIAL);
	assert_int_equal(vnet_csum_complete(&h, ip, n), 0);
	assert_int_equal(g16(ip + 26), 0xffff);
	assert_true(ref_l4_ok(ip));
}

/* ---- segmentation ---------------------------------------------------- */

/*
 * check_segments - cut super-packet @ip (@len) with @h and check every
 * segment against it: headers, lengths, IDs, sequence numbers, flags,
 * checksums by the reference, payload in order. Returns the count.
 */
static unsigned int check_segments(const uint8_t *ip, size_t len, const struct virtio_net_hdr *h,
				   size_t cap)
{
	struct vnet_gso it;
	size_t l3 = ref_l3(ip), hl, n, off, pay, mss = h->gso_size;
	uint8_t proto = ref_proto(ip);
	unsigned int i = 0, count;
	int v4 = ip[0] >> 4 == 4;

	hl = l3 + (proto == 6 ? (size_t)(ip[l3 + 12] >> 4) * 4 : 8);
	assert_int_equal(vnet_gso_init(&it, h, ip, len), 0);
	count = (unsigned int)((len - hl + mss - 1) / mss);
	if (!count)
		count = 1;
	off = hl;
	while ((n = vnet_gso_next(&it, seg, cap))) {
		pay = len - off < mss ? len - off : mss;
		assert_true(i < count);
		assert_int_equal(n, hl + pay);
		assert_true(n <= cap);
		assert_int_equal(ref_len(seg), n);
		if (v4) {
			assert_true(ref_ip4_ok(seg));
			assert_int_equal(g16(seg + 4), (uint16_t)(g16(ip + 4) + i));
			/* all but length, ID and checksum as in the super-packet */
			assert_memory_equal(seg + 6, ip + 6, 4);
			assert_memory_equal(seg + 12, ip + 12, l3 - 12);
			assert_memory_equal(seg, ip, 2);
		} else {
			assert_memory_equal(seg, ip, 4);
			assert_memory_equal(seg + 6, ip + 6, 34);
		}
		assert_true(ref_l4_ok(seg));
		if (proto == 6) {
			uint8_t fl = ip[l3 + 13];

			assert_int_equal(g32(seg + l3 + 4), g32(ip + l3 + 4) + (uint32_t)(off - hl));
			if (i + 1 < count)
				fl &= (uint8_t)~(FIN | PSH);
			if (i)
				fl &= (uint8_t)~CWR;
			assert_int_equal(seg[l3 + 13], fl);
			assert_memory_equal(seg + l3, ip + l3, 4);
			assert_memory_equal(seg + l3 + 8, ip + l3 + 8, 5);
			assert_memory_equal(seg + l3 + 14, ip + l3 + 14, 2);
			assert_memory_equal(seg + l3 + 18, ip + l3 + 18, hl - l3 - 18);
		} else {
			assert_int_equal(g16(seg + l3 + 4), n - l3);
			assert_memory_equal(seg + l3, ip + l3, 4);
		}
		assert_memory_equal(seg + hl, ip + off, pay);
		if (i < 64) {
			memcpy(segs[i], seg, n < sizeof(segs[i]) ? n : sizeof(segs[i]));
			seglen[i] = n;
		}
		off += pay;
		i++;
	}
	assert_int_equal(it.err, 0);
	assert_int_equal(off, len);
	assert_int_equal(i, count);
	return i;
}

static void test_gso_tcp4_options(void **state)
{
	struct spec s = { .ver = 4, .proto = 6, .ipopt = IPOPT, .ipolen = 8, .topt = TSOPT,
			  .tolen = 12, .seq = 0xfffff000, .flags = ACK | PSH | FIN | CWR, .id = 0xfffe,
			  .pay = 10001 };
	struct virtio_net_hdr h;
	size_t n = build(super, &s, CS_PARTIAL);

	(void)state;
	h = tso_hdr(super, n, 1428);
	h.gso_type |= VIRTIO_NET_HDR_GSO_ECN;
	/* 10001 = 7 * 1428 + 5: eight segments, the last of 5 bytes; the
	 * sequence number and the IPv4 ID wrap on the way */
	assert_int_equal(check_segments(super, n, &h, 1500), 8);
	assert_int_equal(seglen[7], 20 + 8 + 20 + 12 + 5);
	assert_int_equal(segs[0][20 + 8 + 13], ACK | CWR);
	assert_int_equal(segs[1][20 + 8 + 13], ACK);
	assert_int_equal(segs[7][20 + 8 + 13], ACK | PSH | FIN);
}

static void test_gso_tcp6_odd(void **state)
{
	struct spec s = { .ver = 6, .proto = 6, .seq = 1, .flags = ACK | PSH, .pay = 4001,
			  .tos = 0xb8 };
	struct virtio_net_hdr h;
	size_t n = build(super, &s, CS_PARTIAL);

	(void)state;
	h = tso_hdr(super, n, 1000);
	assert_int_equal(check_segments(super, n, &h, 2048), 5);
	assert_int_equal(seglen[4], 61);
	/* gso_size above the payload: one segment, its checksum made whole */
	h.gso_size = 60000;
	assert_int_equal(check_segments(super, n, &h, 8000), 1);
	/* a TSO packet of headers only */
	s.pay = 0;
	n = build(super, &s, CS_PARTIAL);
	h = tso_hdr(super, n, 1000);
	assert_int_equal(check_segments(super, n, &h, 2048), 1);
}

static void test_gso_tcp_64k(void **state)
{
	struct spec s = { .ver = 4, .proto = 6, .topt = TSOPT, .tolen = 12, .seq = 77,
			  .flags = ACK, .pay = 65535 - 52 };
	struct virtio_net_hdr h;
	size_t n = build(super, &s, CS_PARTIAL);

	(void)state;
	h = tso_hdr(super, n, 1440);
	assert_int_equal(check_segments(super, n, &h, 1492), (65535 - 52 + 1439) / 1440);
}

static void test_gso_uso(void **state)
{
	struct spec s4 = { .ver = 4, .proto = 17, .ipopt = IPOPT, .ipolen = 8, .id = 9,
			   .pay = 3000 };
	struct spec s6 = { .ver = 6, .proto = 17, .pay = 2999 };
	struct virtio_net_hdr h;
	size_t n;

	(void)state;
	n = build(super, &s4, CS_PARTIAL);
	h = tso_hdr(super, n, 1000);
	assert_int_equal(check_segments(super, n, &h, 1500), 3);
	n = build(super, &s6, CS_PARTIAL);
	h = tso_hdr(super, n, 1452);
	assert_int_equal(check_segments(super, n, &h, 1500), 3);
	assert_int_equal(seglen[2], 40 + 8 + 95);
}

static void test_gso_none(void **state)
{
	struct spec s = { .ver = 4, .proto = 17, .pay = 101 };
	struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 20,
				    .csum_offset = 6 };
	struct vnet_gso it;
	size_t n = build(super, &s, CS_PARTIAL);

	(void)state;
	assert_int_equal(vnet_gso_init(&it, &h, super, n), 0);
	assert_int_equal(vnet_gso_seg_max(&it), n);
	assert_int_equal(vnet_gso_next(&it, seg, n - 1), 0);
	assert_int_equal(it.err, -EMSGSIZE);
	it.err = 0;
	assert_int_equal(vnet_gso_next(&it, seg, n), n);
	assert_true(ref_l4_ok(seg));
	assert_int_equal(vnet_gso_next(&it, seg, n), 0);
	assert_int_equal(it.err, 0);
	/* a plain packet: copied as it is */
	h.flags = 0;
	h.csum_start = 0xffff;
	assert_int_equal(vnet_gso_init(&it, &h, super, n), 0);
	assert_int_equal(vnet_gso_next(&it, seg, sizeof(seg)), n);
	assert_memory_equal(seg, super, n);
	/* checksum offsets past the end */
	h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h.csum_start = (uint16_t)(n - 1);
	assert_int_equal(vnet_gso_init(&it, &h, super, n), -EINVAL);
}

static void test_gso_small_cap(void **state)
{
	struct spec s = { .ver = 4, .proto = 6, .flags = ACK, .pay = 3000 };
	struct virtio_net_hdr h;
	struct vnet_gso it;
	size_t n = build(super, &s, CS_PARTIAL);

	(void)state;
	h = tso_hdr(super, n, 1400);
	assert_int_equal(vnet_gso_init(&it, &h, super, n), 0);
	assert_int_equal(vnet_gso_seg_max(&it), 1440);
	assert_int_equal(vnet_gso_next(&it, seg, 1440), 1440);
	assert_int_equal(vnet_gso_next(&it, seg, 1439), 0);
	assert_int_equal(it.err, -EMSGSIZE);
	assert_int_equal(vnet_gso_next(&it, seg, 2000), 0); /* stays stopped */
}

static void test_gso_malformed(void **state)
{
	struct spec s4 = { .ver = 4, .proto = 6, .topt = TSOPT, .tolen = 12, .flags = ACK,
			   .pay = 3000 };
	struct spec s6 = { .ver = 6, .proto = 6, .flags = ACK, .pay = 3000 };
	struct virtio_net_hdr h, b;
	struct vnet_gso it;
	uint8_t ip[4000];
	size_t n = build(ip, &s4, CS_PARTIAL), i;

	(void)state;
	h = tso_hdr(ip, n, 1400);
	assert_int_equal(vnet_gso_init(&it, &h, ip, n), 0);
	/* every truncation: the total length disagrees */
	for (i = 0; i < n; i++)
		assert_int_equal(vnet_gso_init(&it, &h, ip, i), -EINVAL);
	b = h;
	b.gso_size = 0;
	assert_int_equal(vnet_gso_init(&it, &b, ip, n), -EINVAL);
	b = h;
	b.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
	assert_int_equal(vnet_gso_init(&it, &b, ip, n), -EINVAL);
	b.gso_type = VIRTIO_NET_HDR_GSO_UDP_L4; /* but it is TCP */
	b.csum_offset = 6;
	assert_int_equal(vnet_gso_init(&it, &b, ip, n), -EINVAL);
	b.gso_type = VIRTIO_NET_HDR_GSO_UDP;
	assert_int_equal(vnet_gso_init(&it, &b, ip, n), -EOPNOTSUPP);
	b.gso_type = 7;
	assert_int_equal(vnet_gso_init(&it, &b, ip, n), -EINVAL);
	b = h;
	b.hdr_len = (uint16_t)(n + 1);
	assert_int_equal(vnet_gso_init(&it, &b, ip, n), -EINVAL);
	b = h;
	b.csum_start = 21;
	assert_int_equal(vnet_gso_init(&it, &b, ip, n), -EINVAL);
	b = h;
	b.csum_offset = 6;
	assert_int_equal(vnet_gso_init(&it, &b, ip, n), -EINVAL);
	/* hdr_len is a hint: larger or smaller than the headers is fine */
	b = h;
	b.hdr_len = 100;
	assert_int_equal(vnet_gso_init(&it, &b, ip, n), 0);
	b.hdr_len = 0;
	assert_int_equal(vnet_gso_init(&it, &b, ip, n), 0);
	/* TCP data offset past the end, and below 5 */
	s4.tolen = 0;
	s4.pay = 0;
	n = build(ip, &s4, CS_PARTIAL);
	h = tso_hdr(ip, n, 1400);
	assert_int_equal(vnet_gso_init(&it, &h, ip, n), 0);
	ip[20 + 12] = 0x60;
	assert_int_equal(vnet_gso_init(&it, &h, ip, n), -EINVAL);
	ip[20 + 12] = 0x40;
	assert_int_equal(vnet_gso_init(&it, &h, ip, n), -EINVAL);
	s4.tolen = 12;
	s4.pay = 3000;
	h = tso_hdr(ip, n, 1400);
	/* a fragment; IHL below 5 */
	n = build(ip, &s4, CS_PARTIAL);
	ip[7] = 1;
	assert_int_equal(vnet_gso_init(&it, &h, ip, n), -EINVAL);
	ip[7] = 0;
	ip[0] = 0x44;
	assert_int_equal(vnet_gso_init(&it, &h, ip, n), -EINVAL);
	/* IPv6: payload length, extension header, wrong transport */
	n = build(ip, &s6, CS_PARTIAL);
	h = tso_hdr(ip, n, 1400);
	assert_int_equal(vnet_gso_init(&it, &h, ip, n), 0);
	assert_int_equal(vnet_gso_init(&it, &h, ip, n - 1), -EINVAL);
	ip[6] = 0; /* hop-by-hop */
	assert_int_equal(vnet_gso_init(&it, &h, ip, n), -EPROTONOSUPPORT);
	ip[6] = 17;
	assert_int_equal(vnet_gso_init(&it, &h, ip, n), -EINVAL);
	ip[6] = 6;
	ip[0] = 0x45; /* not IPv6 at all */
	assert_int_equal(vnet_gso_init(&it, &h, ip, n), -EINVAL);
	assert_int_equal(vnet_gso_init(&it, &h, ip, 0), -EINVAL);
}

/* ---- coalescing ------------------------------------------------------ */

/* seg_at - a full-checksum segment of flow @s at stream offset @k*@mss */
static size_t mkseg(uint8_t *ip, struct spec s, size_t k, size_t mss, size_t pay, uint8_t flags)
{
	s.seq += (uint32_t)(k * mss);
	s.id = (uint16_t)(s.id + k);
	s.pay = pay;
	s.flags = flags;
	return build(ip, &s, CS_FULL);
}

/* check_gro_out - @n bytes at grobuf: a vnet header saying @segs
 * segments of @mss, and a super-packet equal to @want except the TCP
 * checksum, which holds the pseudo-header sum */
static void check_gro_out(size_t n, const uint8_t *want, size_t wlen, unsigned int nsegs,
			  uint16_t mss)
{
	struct virtio_net_hdr h;
	const uint8_t *ip = grobuf + VNET_HDR_LEN;
	size_t l3 = ref_l3(want);
	uint8_t w[VNET_GRO_BUF];

	assert_int_equal(n, VNET_HDR_LEN + wlen);
	assert_int_equal(vnet_hdr_decode(grobuf, n, &h), 0);
	assert_int_equal(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(h.csum_start, l3);
	assert_int_equal(h.csum_offset, 16);
	assert_int_equal(h.hdr_len, l3 + (want[l3 + 12] >> 4) * 4);
	if (nsegs > 1) {
		assert_int_equal(h.gso_type, want[0] >> 4 == 4 ? VIRTIO_NET_HDR_GSO_TCPV4
							       : VIRTIO_NET_HDR_GSO_TCPV6);
		assert_int_equal(h.gso_size, mss);
	} else {
		assert_int_equal(h.gso_type, VIRTIO_NET_HDR_GSO_NONE);
		assert_int_equal(h.gso_size, 0);
	}
	memcpy(w, want, wlen);
	set_l4_csum(w, CS_PARTIAL);
	assert_memory_equal(ip, w, wlen);
	if (want[0] >> 4 == 4)
		assert_true(ref_ip4_ok(ip));
}

static void test_gro_merge(void **state)
{
	struct spec s = { .ver = 4, .proto = 6, .topt = TSOPT, .tolen = 12, .seq = 1000, .id = 5 };
	struct vnet_gro g;
	uint8_t ip[2000];
	size_t n, k;

	(void)state;
	vnet_gro_init(&g, grobuf, sizeof(grobuf));
	assert_false(vnet_gro_pending(&g));
	assert_int_equal(vnet_gro_flush(&g), 0);
	for (k = 0; k < 4; k++) {
		n = mkseg(ip, s, k, 1400, 1400, ACK);
		assert_int_equal(vnet_gro_add(&g, ip, n, 0), VNET_GRO_HELD);
	}
	n = mkseg(ip, s, 4, 1400, 33, ACK | PSH); /* short and PSH: the end */
	assert_int_equal(vnet_gro_add(&g, ip, n, 0), VNET_GRO_HELD);
	assert_true(vnet_gro_pending(&g));
	n = mkseg(ip, s, 5, 1400, 1400, ACK);
	assert_int_equal(vnet_gro_add(&g, ip, n, 0), VNET_GRO_FLUSH);
	s.pay = 4 * 1400 + 33;
	s.flags = ACK | PSH;
	build(super, &s, CS_FULL);
	check_gro_out(vnet_gro_flush(&g), super, 40 + 12 + s.pay, 5, 1400);
	assert_false(vnet_gro_pending(&g));
	/* and the refused one starts the next */
	assert_int_equal(vnet_gro_add(&g, ip, n, 0), VNET_GRO_HELD);
	check_gro_out(vnet_gro_flush(&g), ip, n, 1, 0);
}

/* segments whose flags say "deliver this alone" */
static void test_gro_flags_not_merged(void **state)
{
	static const uint8_t bad[] = { SYN | ACK, FIN | ACK, RST | ACK, URG | ACK, CWR | ACK,
				       ECE | ACK, PSH, 0, SYN };
	struct spec s = { .ver = 6, .proto = 6, .seq = 1 };
	struct vnet_gro g;
	uint8_t ip[2000], a[2000];
	size_t n, na, i;

	(void)state;
	vnet_gro_init(&g, grobuf, sizeof(grobuf));
	for (i = 0; i < sizeof(bad); i++) {
		n = mkseg(ip, s, 0, 1000, 1000, bad[i]);
		assert_int_equal(vnet_gro_add(&g, ip, n, 0), VNET_GRO_PASS);
		/* behind a held segment of the same flow: flush first */
		na = mkseg(a, s, 0, 1000, 1000, ACK);
		assert_int_equal(vnet_gro_add(&g, a, na, 0), VNET_GRO_HELD);
		n = mkseg(ip, s, 1, 1000, 1000, bad[i]);
		assert_int_equal(vnet_gro_add(&g, ip, n, 0), VNET_GRO_FLUSH);
		check_gro_out(vnet_gro_flush(&g), a, na, 1, 0);
		assert_int_equal(vnet_gro_add(&g, ip, n, 0), VNET_GRO_PASS);
	}
	/* a pure ACK carries nothing to merge */
	n = mkseg(ip, s, 0, 1000, 0, ACK);
	assert_int_equal(vnet_gro_add(&g, ip, n, 0), VNET_GRO_PASS);
}

static void test_gro_out_of_order(void **state)
{
	struct spec s = { .ver = 4, .proto = 6, .seq = 5, .id = 1 };
	struct vnet_gro g;
	uint8_t a[2000], b[2000], c[2000];
	size_t na, nb, nc;

	(void)state;
	vnet_gro_init(&g, grobuf, sizeof(grobuf));
	na = mkseg(a, s, 0, 1000, 1000, ACK);
	nb = mkseg(b, s, 1, 1000, 1000, ACK);
	nc = mkseg(c, s, 2, 1000, 1000, ACK);
	assert_int_equal(vnet_gro_add(&g, a, na, 0), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, c, nc, 0), VNET_GRO_FLUSH); /* a gap */
	check_gro_out(vnet_gro_flush(&g), a, na, 1, 0);
	assert_int_equal(vnet_gro_add(&g, c, nc, 0), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, 0), VNET_GRO_FLUSH); /* behind */
	vnet_gro_flush(&g);
	/* a retransmission of the same segment */
	assert_int_equal(vnet_gro_add(&g, a, na, 0), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, a, na, 0), VNET_GRO_FLUSH);
}

/* one header field differs from the held segment's: no merge */
static void test_gro_header_mismatch(void **state)
{
	struct spec s = { .ver = 4, .proto = 6, .topt = TSOPT, .tolen = 12, .seq = 5, .id = 1 };
	/* offsets into the second segment, and what is done to them */
	static const struct {
		size_t at;
		uint8_t x;
	} poke[] = {
		{ 1, 0x01 },	     /* TOS (ECN bits) */
		{ 4, 0x01 },	     /* ID not one more */
		{ 6, 0x40 },	     /* DF cleared */
		{ 8, 0x01 },	     /* TTL */
		{ 12, 0x01 },	     /* source address */
		{ 19, 0x01 },	     /* destination address */
		{ 20, 0x01 },	     /* source port */
		{ 23, 0x01 },	     /* destination port */
		{ 28, 0x01 },	     /* ACK number */
		{ 34, 0x01 },	     /* window */
		{ 38, 0x01 },	     /* urgent pointer */
		{ 40 + 11, 0x01 },   /* timestamp echo reply */
		{ 40 + 7, 0x01 },    /* timestamp value */
	};
	struct vnet_gro g;
	uint8_t a[2000], b[2000];
	size_t na, nb, i;

	(void)state;
	vnet_gro_init(&g, grobuf, sizeof(grobuf));
	na = mkseg(a, s, 0, 1000, 1000, ACK);
	for (i = 0; i < sizeof(poke) / sizeof(poke[0]); i++) {
		nb = mkseg(b, s, 1, 1000, 1000, ACK);
		b[poke[i].at] ^= poke[i].x;
		b[10] = b[11] = 0;
		p16(b + 10, (uint16_t)~ref_fold(ref_sum(0, b, 20)));
		set_l4_csum(b, CS_FULL);
		assert_int_equal(vnet_gro_add(&g, a, na, 0), VNET_GRO_HELD);
		assert_int_equal(vnet_gro_add(&g, b, nb, 0), VNET_GRO_FLUSH);
		check_gro_out(vnet_gro_flush(&g), a, na, 1, 0);
	}
	/* other TCP options length; a segment larger than the first */
	assert_int_equal(vnet_gro_add(&g, a, na, 0), VNET_GRO_HELD);
	s.tolen = 0;
	nb = mkseg(b, s, 1, 1000, 1000, ACK);
	assert_int_equal(vnet_gro_add(&g, b, nb, 0), VNET_GRO_FLUSH);
	s.tolen = 12;
	nb = mkseg(b, s, 1, 1000, 1001, ACK);
	assert_int_equal(vnet_gro_add(&g, b, nb, 0), VNET_GRO_FLUSH);
	vnet_gro_flush(&g);
}

/* a different flow in between flushes; non-TCP too */
static void test_gro_other_flow(void **state)
{
	struct spec s = { .ver = 4, .proto = 6, .seq = 5, .id = 1 };
	struct spec o = { .ver = 6, .proto = 6, .seq = 5, .id = 1 };
	struct spec u = { .ver = 4, .proto = 17, .pay = 100 };
	struct vnet_gro g;
	uint8_t a[2000], b[2000], x[2000];
	size_t na, nb, nx;

	(void)state;
	vnet_gro_init(&g, grobuf, sizeof(grobuf));
	na = mkseg(a, s, 0, 1000, 1000, ACK);
	nb = mkseg(b, s, 1, 1000, 1000, ACK);
	nx = mkseg(x, o, 0, 1000, 1000, ACK);
	assert_int_equal(vnet_gro_add(&g, a, na, 0), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, x, nx, 0), VNET_GRO_FLUSH);
	check_gro_out(vnet_gro_flush(&g), a, na, 1, 0);
	assert_int_equal(vnet_gro_add(&g, x, nx, 0), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, 0), VNET_GRO_FLUSH);
	check_gro_out(vnet_gro_flush(&g), x, nx, 1, 0);
	assert_int_equal(vnet_gro_add(&g, b, nb, 0), VNET_GRO_HELD);
	nx = build(x, &u, CS_FULL);
	assert_int_equal(vnet_gro_add(&g, x, nx, 0), VNET_GRO_FLUSH);
	vnet_gro_flush(&g);
	assert_int_equal(vnet_gro_add(&g, x, nx, 0), VNET_GRO_PASS);
	assert_int_equal(vnet_gro_add(&g, x, 3, 0), VNET_GRO_PASS);
	assert_int_equal(vnet_gro_add(&g, x, 0, 0), VNET_GRO_PASS);
}

static void test_gro_checksums(void **state)
{
	struct spec s = { .ver = 6, .proto = 6, .seq = 5 };
	struct spec s4 = { .ver = 4, .proto = 6, .seq = 5 };
	struct vnet_gro g;
	uint8_t a[2000], b[2000];
	size_t na, nb;

	(void)state;
	vnet_gro_init(&g, grobuf, sizeof(grobuf));
	na = mkseg(a, s, 0, 1000, 1000, ACK);
	nb = mkseg(b, s, 1, 1000, 1000, ACK);
	b[200] ^= 1; /* corrupt payload */
	assert_int_equal(vnet_gro_add(&g, b, nb, 0), VNET_GRO_PASS);
	assert_false(vnet_gro_pending(&g));
	assert_int_equal(vnet_gro_add(&g, a, na, 0), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, 0), VNET_GRO_FLUSH);
	vnet_gro_flush(&g);
	assert_int_equal(vnet_gro_add(&g, b, nb, 0), VNET_GRO_PASS);
	/* the caller vouches for it: taken (its word is trusted) */
	assert_int_equal(vnet_gro_add(&g, a, na, VNET_GRO_CSUM_OK), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, VNET_GRO_CSUM_OK), VNET_GRO_HELD);
	vnet_gro_flush(&g);
	/* an IPv4 header checksum error is never merged */
	na = mkseg(a, s4, 0, 1000, 1000, ACK);
	a[10] ^= 1;
	assert_int_equal(vnet_gro_add(&g, a, na, VNET_GRO_CSUM_OK), VNET_GRO_PASS);
	/* a fragment neither */
	na = mkseg(a, s4, 0, 1000, 1000, ACK);
	a[6] = 0x20;
	a[10] = a[11] = 0;
	p16(a + 10, (uint16_t)~ref_fold(ref_sum(0, a, 20)));
	assert_int_equal(vnet_gro_add(&g, a, na, 0), VNET_GRO_PASS);
	/* trailing bytes after the IP packet are left behind */
	na = mkseg(a, s4, 0, 1000, 1000, ACK);
	a[na] = 0xee;
	assert_int_equal(vnet_gro_add(&g, a, na + 1, 0), VNET_GRO_HELD);
	check_gro_out(vnet_gro_flush(&g), a, na, 1, 0);
}

/* at most 65535 bytes of IPv4, or what the buffer holds */
static void test_gro_size_limit(void **state)
{
	struct spec s = { .ver = 4, .proto = 6, .topt = TSOPT, .tolen = 12, .seq = 5, .id = 1 };
	struct spec s6 = { .ver = 6, .proto = 6, .seq = 5 };
	struct vnet_gro g;
	uint8_t ip[2000];
	size_t n, k, held;

	(void)state;
	vnet_gro_init(&g, grobuf, sizeof(grobuf));
	for (k = 0;; k++) {
		n = mkseg(ip, s, k, 1440, 1440, ACK);
		if (vnet_gro_add(&g, ip, n, 0) != VNET_GRO_HELD)
			break;
	}
	held = (65535 - 52) / 1440;
	assert_int_equal(k, held);
	assert_int_equal(vnet_gro_flush(&g), VNET_HDR_LEN + 52 + held * 1440);
	/* IPv6: the payload length is the limit */
	for (k = 0;; k++) {
		n = mkseg(ip, s6, k, 1000, 1000, ACK);
		if (vnet_gro_add(&g, ip, n, 0) != VNET_GRO_HELD)
			break;
	}
	assert_int_equal(k, (65535 - 20) / 1000);
	vnet_gro_flush(&g);
	/* a small buffer */
	vnet_gro_init(&g, grobuf, VNET_HDR_LEN + 3000);
	for (k = 0;; k++) {
		n = mkseg(ip, s6, k, 1000, 1000, ACK);
		if (vnet_gro_add(&g, ip, n, 0) != VNET_GRO_HELD)
			break;
	}
	assert_int_equal(k, 2);
	vnet_gro_flush(&g);
	vnet_gro_init(&g, grobuf, VNET_HDR_LEN + 100);
	assert_int_equal(vnet_gro_add(&g, ip, n, 0), VNET_GRO_PASS);
	vnet_gro_init(&g, grobuf, 3);
	assert_int_equal(vnet_gro_add(&g, ip, n, 0), VNET_GRO_PASS);
}

/* ---- round trips ----------------------------------------------------- */

/*
 * roundtrip - cut @s's super-packet in segments of @mss, feed them to GRO
 * and get the same super-packet back; then cut that one again and get the
 * same segments.
 */
static void roundtrip(const struct spec *s, uint16_t mss)
{
	const unsigned int fl = VNET_GRO_UDP4 | VNET_GRO_UDP6; /* no effect on TCP */
	struct virtio_net_hdr h, gh;
	struct vnet_gro g;
	struct vnet_gso it;
	unsigned int nseg, i;
	size_t n = build(super, s, CS_PARTIAL), out, m;

	h = tso_hdr(super, n, mss);
	nseg = check_segments(super, n, &h, 2048);
	assert_true(nseg <= 64);
	vnet_gro_init(&g, grobuf, sizeof(grobuf));
	for (i = 0; i < nseg; i++)
		assert_int_equal(vnet_gro_add(&g, segs[i], seglen[i], fl), VNET_GRO_HELD);
	out = vnet_gro_flush(&g);
	assert_int_equal(out, VNET_HDR_LEN + n);
	assert_memory_equal(grobuf + VNET_HDR_LEN, super, n);
	assert_int_equal(vnet_hdr_decode(grobuf, out, &gh), 0);
	if (nseg > 1) {
		assert_int_equal(gh.gso_type, h.gso_type & ~VIRTIO_NET_HDR_GSO_ECN);
		assert_int_equal(gh.gso_size, mss);
	}
	assert_int_equal(gh.csum_start, h.csum_start);
	assert_int_equal(gh.hdr_len, h.hdr_len);
	if (nseg == 1)
		return;
	assert_int_equal(vnet_gso_init(&it, &gh, grobuf + VNET_HDR_LEN, n), 0);
	for (i = 0; (m = vnet_gso_next(&it, seg, sizeof(seg))); i++) {
		assert_int_equal(m, seglen[i]);
		assert_memory_equal(seg, segs[i], m);
	}
	assert_int_equal(i, nseg);
}

static void test_roundtrip(void **state)
{
	struct spec s4 = { .ver = 4, .proto = 6, .ipopt = IPOPT, .ipolen = 8, .topt = TSOPT,
			   .tolen = 12, .seq = 0xffffff00, .flags = ACK | PSH, .id = 0xfff0,
			   .tos = 0x02, .pay = 30001 };
	struct spec s6 = { .ver = 6, .proto = 6, .topt = TSOPT, .tolen = 12, .seq = 42,
			   .flags = ACK, .tos = 0x28, .pay = 1440 * 20 };
	struct spec one = { .ver = 4, .proto = 6, .seq = 1, .flags = ACK, .pay = 999 };

	(void)state;
	roundtrip(&s4, 1400);
	s4.pay = 50;
	roundtrip(&s4, 1);
	s4.pay = 30001;
	roundtrip(&s6, 1440);
	roundtrip(&s6, 1439);
	roundtrip(&one, 1400);
}

/* UDP (USO): datagrams cut from a super-packet merge back into it, and
 * the kernel's segmentation of what we write gives them again */
static void test_gro_udp_roundtrip(void **state)
{
	struct spec u4 = { .ver = 4, .proto = 17, .ipopt = IPOPT, .ipolen = 8, .id = 0xfffe,
			   .tos = 0x10, .pay = 3000 };
	struct spec u6 = { .ver = 6, .proto = 17, .tos = 0x28, .pay = 2999 };
	struct spec small = { .ver = 4, .proto = 17, .id = 7, .pay = 64 * VNET_GRO_UDP_SEGS };

	(void)state;
	roundtrip(&u4, 1000);
	roundtrip(&u4, 1472);
	roundtrip(&u6, 1452);
	roundtrip(&small, 64); /* the most datagrams one super-packet takes */
	u6.pay = 1;
	roundtrip(&u6, 1452);
}

/* mkdgram - datagram @k of a flow of @pay-byte datagrams (its own bytes) */
static size_t mkdgram(uint8_t *ip, struct spec s, size_t k, size_t pay)
{
	s.seq += (uint32_t)(k * 7919);
	s.id = (uint16_t)(s.id + k);
	s.pay = pay;
	return build(ip, &s, CS_FULL);
}

static void test_gro_udp_rules(void **state)
{
	struct spec s = { .ver = 4, .proto = 17, .id = 100 };
	struct spec s6 = { .ver = 6, .proto = 17 };
	struct vnet_gro g;
	const unsigned int fl = VNET_GRO_UDP4 | VNET_GRO_UDP6;
	struct virtio_net_hdr h;
	uint8_t a[2000], b[2000], c[2000];
	size_t na, nb, nc, n, k;

	(void)state;
	vnet_gro_init(&g, grobuf, sizeof(grobuf));
	na = mkdgram(a, s, 0, 200);
	nb = mkdgram(b, s, 1, 200);
	/* not without the caller's word that the TUN took USO, per family */
	assert_int_equal(vnet_gro_add(&g, a, na, 0), VNET_GRO_PASS);
	assert_int_equal(vnet_gro_add(&g, a, na, VNET_GRO_UDP6), VNET_GRO_PASS);
	assert_false(vnet_gro_pending(&g));
	/* two datagrams: one super-packet, UDP_L4, checksum at offset 6, the
	 * UDP length field covering both */
	assert_int_equal(vnet_gro_add(&g, a, na, VNET_GRO_UDP4), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, VNET_GRO_UDP4), VNET_GRO_HELD);
	n = vnet_gro_flush(&g);
	assert_int_equal(n, VNET_HDR_LEN + 20 + 8 + 400);
	assert_int_equal(vnet_hdr_decode(grobuf, n, &h), 0);
	assert_int_equal(h.gso_type, VIRTIO_NET_HDR_GSO_UDP_L4);
	assert_int_equal(h.gso_size, 200);
	assert_int_equal(h.hdr_len, 28);
	assert_int_equal(h.csum_start, 20);
	assert_int_equal(h.csum_offset, 6);
	assert_int_equal(g16(grobuf + VNET_HDR_LEN + 24), 408);
	assert_true(ref_ip4_ok(grobuf + VNET_HDR_LEN));
	assert_memory_equal(grobuf + VNET_HDR_LEN + 28 + 200, b + 28, 200);

	/* another port, a TCP segment: not the same flow */
	na = mkdgram(a, s, 0, 200);
	nb = mkdgram(b, s, 1, 200);
	p16(b + 22, 444);
	p16(b + 26, 0);
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, fl), VNET_GRO_FLUSH);
	vnet_gro_flush(&g);
	nc = mkseg(c, (struct spec){ .ver = 4, .proto = 6, .id = 101 }, 0, 200, 200, ACK);
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, c, nc, fl), VNET_GRO_FLUSH);
	vnet_gro_flush(&g);

	/* a shorter datagram ends it; a longer one never joins */
	na = mkdgram(a, s, 0, 200);
	nb = mkdgram(b, s, 1, 100);
	nc = mkdgram(c, s, 2, 100);
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, fl), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, c, nc, fl), VNET_GRO_FLUSH);
	vnet_gro_flush(&g);
	nb = mkdgram(b, s, 1, 201);
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, fl), VNET_GRO_FLUSH);
	vnet_gro_flush(&g);

	/* the IPv4 ID must follow on */
	nb = mkdgram(b, s, 2, 200);
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, fl), VNET_GRO_FLUSH);
	vnet_gro_flush(&g);

	/* ... or, with DF set (build sets it), stay the same in all of them,
	 * as Linux sends atomic datagrams of unconnected sockets (ID 0) */
	na = mkdgram(a, s, 0, 200);
	nb = mkdgram(b, (struct spec){ .ver = 4, .proto = 17, .id = 100, .seq = 1 }, 0, 200);
	nc = mkdgram(c, (struct spec){ .ver = 4, .proto = 17, .id = 100, .seq = 2 }, 0, 200);
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, fl), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, c, nc, fl), VNET_GRO_HELD);
	assert_int_equal(g.segs, 3);
	/* but not the two mixed: 100, 100, then 101 */
	nb = mkdgram(b, s, 1, 200);
	assert_int_equal(vnet_gro_add(&g, b, nb, fl), VNET_GRO_FLUSH);
	vnet_gro_flush(&g);
	/* and not without DF */
	na = mkdgram(a, s, 0, 200);
	nb = mkdgram(b, (struct spec){ .ver = 4, .proto = 17, .id = 100, .seq = 1 }, 0, 200);
	a[6] = b[6] = 0;
	a[10] = a[11] = b[10] = b[11] = 0;
	p16(a + 10, (uint16_t)~ref_fold(ref_sum(0, a, 20)));
	p16(b + 10, (uint16_t)~ref_fold(ref_sum(0, b, 20)));
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, fl), VNET_GRO_FLUSH);
	vnet_gro_flush(&g);

	/* a checksum error: never merged */
	nb = mkdgram(b, s, 1, 200);
	b[100] ^= 4;
	assert_int_equal(vnet_gro_add(&g, b, nb, fl), VNET_GRO_PASS);
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, fl), VNET_GRO_FLUSH);
	vnet_gro_flush(&g);

	/* IPv4 without a checksum merges (the kernel gives each one); IPv6
	 * without one is passed on as it is */
	na = mkdgram(a, s, 0, 200);
	nb = mkdgram(b, s, 1, 200);
	set_l4_csum(a, CS_NONE);
	set_l4_csum(b, CS_NONE);
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_HELD);
	assert_int_equal(vnet_gro_add(&g, b, nb, fl), VNET_GRO_HELD);
	assert_int_equal(g.segs, 2);
	vnet_gro_flush(&g);
	na = mkdgram(a, s6, 0, 200);
	set_l4_csum(a, CS_NONE);
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_PASS);

	/* a UDP length field that disagrees with IP's, or says no payload */
	na = mkdgram(a, s, 0, 200);
	p16(a + 24, 207);
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_PASS);
	na = mkdgram(a, s, 0, 0);
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_PASS);

	/* at most VNET_GRO_UDP_SEGS datagrams */
	for (k = 0; k < VNET_GRO_UDP_SEGS; k++) {
		na = mkdgram(a, s, k, 10);
		assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_HELD);
	}
	na = mkdgram(a, s, k, 10);
	assert_int_equal(vnet_gro_add(&g, a, na, fl), VNET_GRO_FLUSH);
	assert_int_equal(vnet_gro_flush(&g), VNET_HDR_LEN + 28 + 10 * VNET_GRO_UDP_SEGS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csum_matches_reference),
		cmocka_unit_test(test_csum_pseudo),
		cmocka_unit_test(test_hdr_roundtrip),
		cmocka_unit_test(test_csum_complete),
		cmocka_unit_test(test_csum_complete_udp_zero),
		cmocka_unit_test(test_gso_tcp4_options),
		cmocka_unit_test(test_gso_tcp6_odd),
		cmocka_unit_test(test_gso_tcp_64k),
		cmocka_unit_test(test_gso_uso),
		cmocka_unit_test(test_gso_none),
		cmocka_unit_test(test_gso_small_cap),
		cmocka_unit_test(test_gso_malformed),
		cmocka_unit_test(test_gro_merge),
		cmocka_unit_test(test_gro_flags_not_merged),
		cmocka_unit_test(test_gro_out_of_order),
		cmocka_unit_test(test_gro_header_mismatch),
		cmocka_unit_test(test_gro_other_flow),
		cmocka_unit_test(test_gro_checksums),
		cmocka_unit_test(test_gro_size_limit),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_gro_udp_roundtrip),
		cmocka_unit_test(test_gro_udp_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
