/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vnet_fuzz.h - what the vnet fuzz targets share: a reference checksum
 * computed byte by byte (independent of tun/vnet.c's word-wise one), and
 * a comparison of two IP packets that takes 0x0000 and 0xffff in a
 * checksum field as the same value (they are, in one's complement).
 */
#ifndef PPPOE_TEST_VNET_FUZZ_H
#define PPPOE_TEST_VNET_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline uint32_t vf_sum(uint32_t s, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return s;
}

static inline uint16_t vf_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static inline uint16_t vf_g16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void vf_p16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* vf_l4_sum - pseudo-header plus the @l4len bytes at @l4 of packet @ip */
static inline uint32_t vf_l4_sum(const uint8_t *ip, uint8_t proto, const uint8_t *l4, size_t l4len)
{
	uint32_t s = proto + (uint32_t)(l4len >> 16) + (uint32_t)(l4len & 0xffff);

	s = ip[0] >> 4 == 4 ? vf_sum(s, ip + 12, 8) : vf_sum(s, ip + 8, 32);
	return vf_sum(s, l4, l4len);
}

/*
 * vf_ip_shape - IP header length, total length and protocol of @ip (@len
 * bytes) if it is a whole IPv4 or IPv6 (no extension headers) packet;
 * 0 if not
 */
static inline int vf_ip_shape(const uint8_t *ip, size_t len, size_t *l3, size_t *tot,
			      uint8_t *proto)
{
	if (len >= 20 && ip[0] >> 4 == 4) {
		*l3 = (size_t)(ip[0] & 15) * 4;
		*tot = vf_g16(ip + 2);
		*proto = ip[9];
		return *l3 >= 20 && *tot >= *l3 && *tot <= len;
	}
	if (len >= 40 && ip[0] >> 4 == 6) {
		*l3 = 40;
		*tot = 40 + (size_t)vf_g16(ip + 4);
		*proto = ip[6];
		return *tot <= len;
	}
	return 0;
}

/* vf_l4_ok - the TCP or UDP checksum of whole packet @ip verifies */
static inline int vf_l4_ok(const uint8_t *ip, size_t len)
{
	size_t l3, tot;
	uint8_t proto;

	if (!vf_ip_shape(ip, len, &l3, &tot, &proto))
		return 0;
	return vf_fold(vf_l4_sum(ip, proto, ip + l3, tot - l3)) == 0xffff;
}

/* vf_csum_eq - checksum fields @a and @b hold the same one's complement value */
static inline int vf_csum_eq(const uint8_t *a, const uint8_t *b)
{
	uint16_t x = vf_g16(a), y = vf_g16(b);

	return x == y || ((x == 0 || x == 0xffff) && (y == 0 || y == 0xffff));
}

/*
 * vf_same - packets @a and @b (@len bytes each) are equal, the checksum
 * fields at @c1 and @c2 (offsets, or (size_t)-1) compared as values
 */
static inline int vf_same(const uint8_t *a, const uint8_t *b, size_t len, size_t c1, size_t c2)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((i == c1 || i == c2) && i + 1 < len) {
			if (!vf_csum_eq(a + i, b + i))
				return 0;
			i++;
			continue;
		}
		if (a[i] != b[i])
			return 0;
	}
	return 1;
}

#endif
