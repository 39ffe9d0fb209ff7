// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mss.c - TCP MSS clamping (see mss.h).
 */
#include "pppoe/mss.h"

#define TCP_HLEN_MIN 20
#define TCP_FLAG_SYN 0x02
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2

/* csum_add - one's complement sum of @a and @b (RFC 1071) */
static uint16_t csum_add(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + b;

	return (uint16_t)((s & 0xffff) + (s >> 16));
}

/*
 * mss_tcp - clamp the MSS option of TCP header @tcp (@len bytes available)
 * to @mss. The checksum covers the segment in 16-bit words counted from
 * the TCP header; an option value at an odd offset straddles two words,
 * and its bytes then weigh swapped (RFC 1071 2(B)).
 */
static bool mss_tcp(uint8_t *tcp, size_t len, uint16_t mss)
{
	size_t doff, off, olen;
	uint16_t old, new, cs, m_old, m_new;

	if (!mss || len < TCP_HLEN_MIN || !(tcp[13] & TCP_FLAG_SYN))
		return false;
	doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < TCP_HLEN_MIN || doff > len)
		return false;
	for (off = TCP_HLEN_MIN; off < doff; off += olen) {
		if (tcp[off] == TCPOPT_EOL)
			return false;
		if (tcp[off] == TCPOPT_NOP) {
			olen = 1;
			continue;
		}
		if (doff - off < 2)
			return false;
		olen = tcp[off + 1];
		if (olen < 2 || olen > doff - off)
			return false;
		if (tcp[off] != TCPOPT_MSS)
			continue;
		if (olen != 4)
			return false;
		old = (uint16_t)(tcp[off + 2] << 8 | tcp[off + 3]);
		if (old <= mss)
			return false;
		new = mss;
		if ((off + 2) % 2 == 0) {
			m_old = old;
			m_new = new;
		} else {
			m_old = (uint16_t)(old << 8 | old >> 8);
			m_new = (uint16_t)(new << 8 | new >> 8);
		}
		/* RFC 1624 eqn 3: HC' = ~(~HC + ~m + m') */
		cs = (uint16_t)(tcp[16] << 8 | tcp[17]);
		cs = (uint16_t)~csum_add(csum_add((uint16_t)~cs, (uint16_t)~m_old), m_new);
		tcp[16] = (uint8_t)(cs >> 8);
		tcp[17] = (uint8_t)cs;
		tcp[off + 2] = (uint8_t)(new >> 8);
		tcp[off + 3] = (uint8_t)new;
		return true;
	}
	return false;
}

bool mss_clamp(uint8_t *ip, size_t len, uint16_t mss4, uint16_t mss6)
{
	size_t ihl, tot;

	if (len < 1)
		return false;
	switch (ip[0] >> 4) {
	case 4:
		if (len < 20)
			return false;
		ihl = (size_t)(ip[0] & 0x0f) * 4;
		tot = (size_t)(ip[2] << 8 | ip[3]);
		/* TCP, the first fragment (offset 0), header inside the datagram */
		if (ip[9] != 6 || ihl < 20 || tot < ihl || tot > len || (ip[6] & 0x1f) || ip[7])
			return false;
		return mss_tcp(ip + ihl, tot - ihl, mss4);
	case 6:
		if (len < 40)
			return false;
		tot = 40 + (size_t)(ip[4] << 8 | ip[5]);
		if (ip[6] != 6 || tot > len)
			return false;
		return mss_tcp(ip + 40, tot - 40, mss6);
	default:
		return false;
	}
}
