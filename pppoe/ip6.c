// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ip6.c - building and checking the IPv6 + UDP / ICMPv6 packets the
 * session itself sends and consumes (RFC 8200, RFC 768, RFC 4443).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "pppoe/ip6.h"

const uint8_t ip6_all_routers[16] = { 0xff, 0x02, [15] = 0x02 };
const uint8_t ip6_all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };
const uint8_t ip6_all_dhcp_agents[16] = { 0xff, 0x02, [13] = 0x01, [15] = 0x02 };

static inline uint16_t ip6_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void ip6_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t ip6_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t ip6_l4_csum(const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
		     const uint8_t *l4, size_t len)
{
	uint32_t sum = 0;

	sum = ip6_sum(sum, src, 16);
	sum = ip6_sum(sum, dst, 16);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	sum += nh;
	sum = ip6_sum(sum, l4, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* ip6_hdr - the fixed header for @plen bytes of @nh */
static void ip6_hdr(uint8_t *buf, const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
		    uint8_t hop_limit, size_t plen)
{
	buf[0] = 0x60;
	buf[1] = buf[2] = buf[3] = 0;
	ip6_put16(buf + 4, (uint16_t)plen);
	buf[6] = nh;
	buf[7] = hop_limit;
	memcpy(buf + 8, src, 16);
	memcpy(buf + 24, dst, 16);
}

size_t ip6_udp_build(uint8_t *buf, size_t cap, const uint8_t src[16], const uint8_t dst[16],
		     uint16_t sport, uint16_t dport, const uint8_t *payload, size_t plen)
{
	size_t ulen = IP6_UDP_HLEN + plen;
	uint8_t *u = buf + IP6_HLEN;
	uint16_t c;

	if (plen > 0xffff - IP6_UDP_HLEN || cap < IP6_HLEN || cap - IP6_HLEN < ulen)
		return 0;
	ip6_hdr(buf, src, dst, IP6_NH_UDP, 1, ulen);
	ip6_put16(u, sport);
	ip6_put16(u + 2, dport);
	ip6_put16(u + 4, (uint16_t)ulen);
	u[6] = u[7] = 0;
	if (plen)
		memmove(u + IP6_UDP_HLEN, payload, plen);
	c = ip6_l4_csum(src, dst, IP6_NH_UDP, u, ulen);
	ip6_put16(u + 6, c ? c : 0xffff); /* RFC 8200 8.1: 0 goes out as all ones */
	return IP6_HLEN + ulen;
}

/* ip6_split - the fixed header of @pkt: upper-layer start and length */
static int ip6_split(const uint8_t *pkt, size_t len, uint8_t nh, const uint8_t **l4,
		     size_t *l4len)
{
	size_t plen;

	if (len < IP6_HLEN)
		return -EMSGSIZE;
	if ((pkt[0] >> 4) != 6 || pkt[6] != nh)
		return -EPROTONOSUPPORT;
	plen = ip6_get16(pkt + 4);
	if (plen > len - IP6_HLEN)
		return -EMSGSIZE;
	*l4 = pkt + IP6_HLEN;
	*l4len = plen;
	return 0;
}

int ip6_udp_parse(const uint8_t *pkt, size_t len, struct ip6_udp *out)
{
	const uint8_t *u;
	size_t ulen;
	int ret;

	ret = ip6_split(pkt, len, IP6_NH_UDP, &u, &ulen);
	if (ret)
		return ret;
	if (ulen < IP6_UDP_HLEN)
		return -EMSGSIZE;
	if (ip6_get16(u + 4) != ulen)
		return -EINVAL;
	/* RFC 8200 8.1: a zero UDP checksum is not allowed over IPv6. */
	if (ip6_get16(u + 6) == 0 || ip6_l4_csum(pkt + 8, pkt + 24, IP6_NH_UDP, u, ulen) != 0)
		return -EINVAL;
	memcpy(out->src, pkt + 8, 16);
	memcpy(out->dst, pkt + 24, 16);
	out->hop_limit = pkt[7];
	out->sport = ip6_get16(u);
	out->dport = ip6_get16(u + 2);
	out->payload = u + IP6_UDP_HLEN;
	out->plen = ulen - IP6_UDP_HLEN;
	return 0;
}

size_t ip6_icmp_build(uint8_t *buf, size_t cap, const uint8_t src[16], const uint8_t dst[16],
		      uint8_t hop_limit, uint8_t type, uint8_t code, const uint8_t *body,
		      size_t blen)
{
	size_t ilen = IP6_ICMP_HLEN + blen;
	uint8_t *c = buf + IP6_HLEN;

	if (blen > 0xffff - IP6_ICMP_HLEN || cap < IP6_HLEN || cap - IP6_HLEN < ilen)
		return 0;
	ip6_hdr(buf, src, dst, IP6_NH_ICMP6, hop_limit, ilen);
	c[0] = type;
	c[1] = code;
	c[2] = c[3] = 0;
	if (blen)
		memmove(c + IP6_ICMP_HLEN, body, blen);
	ip6_put16(c + 2, ip6_l4_csum(src, dst, IP6_NH_ICMP6, c, ilen));
	return IP6_HLEN + ilen;
}

int ip6_icmp_parse(const uint8_t *pkt, size_t len, struct ip6_icmp *out)
{
	const uint8_t *c;
	size_t clen;
	int ret;

	ret = ip6_split(pkt, len, IP6_NH_ICMP6, &c, &clen);
	if (ret)
		return ret;
	if (clen < IP6_ICMP_HLEN)
		return -EMSGSIZE;
	if (ip6_l4_csum(pkt + 8, pkt + 24, IP6_NH_ICMP6, c, clen) != 0)
		return -EINVAL;
	memcpy(out->src, pkt + 8, 16);
	memcpy(out->dst, pkt + 24, 16);
	out->hop_limit = pkt[7];
	out->type = c[0];
	out->code = c[1];
	out->body = c + IP6_ICMP_HLEN;
	out->blen = clen - IP6_ICMP_HLEN;
	return 0;
}

int ip6_peek_udp_dport(const uint8_t *pkt, size_t len)
{
	if (len < IP6_HLEN + IP6_UDP_HLEN || (pkt[0] >> 4) != 6 || pkt[6] != IP6_NH_UDP)
		return -1;
	return ip6_get16(pkt + IP6_HLEN + 2);
}

int ip6_peek_icmp_type(const uint8_t *pkt, size_t len)
{
	if (len < IP6_HLEN + IP6_ICMP_HLEN || (pkt[0] >> 4) != 6 || pkt[6] != IP6_NH_ICMP6)
		return -1;
	return pkt[IP6_HLEN];
}

void ip6_ll_from_iid(uint8_t out[16], const uint8_t iid[8])
{
	memset(out, 0, 8);
	out[0] = 0xfe;
	out[1] = 0x80;
	memcpy(out + 8, iid, 8);
}

char *ip6_ntop(const uint8_t a[16], char *buf, size_t cap)
{
	if (!inet_ntop(AF_INET6, a, buf, (socklen_t)cap) && cap)
		buf[0] = '\0';
	return buf;
}
