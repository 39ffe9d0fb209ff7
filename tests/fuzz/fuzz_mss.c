// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_mss.c - libFuzzer target for TCP MSS clamping. Input: two bytes of
 * limit, then one IP datagram. Besides crashes: a datagram left alone is
 * byte for byte the input; a clamped one differs in at most four bytes,
 * and if its TCP checksum was right before, it is right after (checked by
 * a full recomputation).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/mss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t fz_sum(uint32_t s, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return s;
}

/* fz_tcp_ok - the TCP checksum of a datagram mss_clamp could touch is right */
static int fz_tcp_ok(const uint8_t *ip, size_t len)
{
	uint32_t s;
	size_t ihl, tot;

	if (len >= 20 && ip[0] >> 4 == 4) {
		ihl = (size_t)(ip[0] & 15) * 4;
		tot = (size_t)(ip[2] << 8 | ip[3]);
		if (ihl < 20 || tot < ihl || tot > len)
			return 0;
		s = fz_sum(0, ip + 12, 8) + 6 + (uint32_t)(tot - ihl);
		s = fz_sum(s, ip + ihl, tot - ihl);
	} else if (len >= 40 && ip[0] >> 4 == 6) {
		tot = 40 + (size_t)(ip[4] << 8 | ip[5]);
		if (tot > len)
			return 0;
		s = fz_sum(0, ip + 8, 32) + 6 + (uint32_t)(tot - 40);
		s = fz_sum(s, ip + 40, tot - 40);
	} else {
		return 0;
	}
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s == 0xffff;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *ip;
	uint16_t lim;
	size_t len, i, diff = 0;
	int ok;

	if (size < 2)
		return 0;
	lim = (uint16_t)(data[0] << 8 | data[1]);
	len = size - 2;
	ip = malloc(len ? len : 1); /* exact size: ASan sees any overrun */
	if (!ip)
		return 0;
	memcpy(ip, data + 2, len);
	ok = fz_tcp_ok(ip, len);
	if (!mss_clamp(ip, len, lim, lim)) {
		if (memcmp(ip, data + 2, len))
			abort();
	} else {
		for (i = 0; i < len; i++)
			diff += ip[i] != data[2 + i];
		if (diff > 4 || (ok && !fz_tcp_ok(ip, len)))
			abort();
	}
	free(ip);
	return 0;
}
