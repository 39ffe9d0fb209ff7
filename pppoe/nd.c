// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nd.c - Router Solicitation and Router Advertisement (RFC 4861), the
 * Prefix Information option for SLAAC (RFC 4862) and RDNSS (RFC 8106).
 */
#include <errno.h>
#include <string.h>

#include "pppoe/ip6.h"
#include "pppoe/nd.h"

#define ND_RA_HLEN 12 /* after type, code, checksum */

static inline uint32_t nd_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t nd_rs_build(uint8_t *buf, size_t cap, const uint8_t src[16])
{
	static const uint8_t reserved[4];

	return ip6_icmp_build(buf, cap, src, ip6_all_routers, 255, ND_RS, 0, reserved,
			      sizeof(reserved));
}

/* nd_prefix_opt - one 32-byte Prefix Information option (RFC 4861 4.6.2) */
static void nd_prefix_opt(const uint8_t *o, size_t olen, struct nd_ra *ra)
{
	struct nd_prefix *p;
	uint8_t plen = o[2];
	uint32_t valid, preferred;
	unsigned int i;

	if (olen != 32 || plen > 128) {
		ra->ignored++;
		return;
	}
	valid = nd_get32(o + 4);
	preferred = nd_get32(o + 8);
	/* RFC 4862 5.5.3 b) and c) */
	if (ip6_is_linklocal(o + 16) || preferred > valid) {
		ra->ignored++;
		return;
	}
	if (ra->nprefix >= ND_MAX_PREFIXES) {
		ra->ignored++;
		return;
	}
	p = &ra->prefix[ra->nprefix++];
	memset(p, 0, sizeof(*p));
	p->len = plen;
	/* Bits past the length are not part of the prefix. */
	memcpy(p->prefix, o + 16, 16);
	for (i = 0; i < 16; i++) {
		if (i * 8 >= plen)
			p->prefix[i] = 0;
		else if (i * 8 + 8 > plen)
			p->prefix[i] &= (uint8_t)(0xff00 >> (plen - i * 8));
	}
	p->onlink = o[3] & 0x80;
	p->autonomous = o[3] & 0x40;
	p->valid = valid;
	p->preferred = preferred;
}

/* nd_rdnss_opt - Recursive DNS Server option (RFC 8106 5.1) */
static void nd_rdnss_opt(const uint8_t *o, size_t olen, struct nd_ra *ra)
{
	size_t off;

	/* Length is 1 + 2 * servers: at least 3, odd. */
	if (olen < 24 || (olen - 8) % 16)
		return;
	if (!ra->nrdnss)
		ra->rdnss_lifetime = nd_get32(o + 4);
	for (off = 8; off + 16 <= olen && ra->nrdnss < ND_MAX_RDNSS; off += 16)
		memcpy(ra->rdnss[ra->nrdnss++], o + off, 16);
}

int nd_ra_parse(const uint8_t *pkt, size_t len, struct nd_ra *out)
{
	struct ip6_icmp ic;
	const uint8_t *o, *end;
	size_t olen;
	int ret;

	ret = ip6_icmp_parse(pkt, len, &ic);
	if (ret)
		return ret;
	if (ic.type != ND_RA)
		return -EPROTONOSUPPORT;
	if (ic.hop_limit != 255 || ic.code != 0 || !ip6_is_linklocal(ic.src))
		return -EINVAL;
	if (ic.blen < ND_RA_HLEN)
		return -EMSGSIZE;
	/* Every option must have a non-zero length and end within the
	 * packet, or the whole RA is invalid: check before using any. */
	end = ic.body + ic.blen;
	for (o = ic.body + ND_RA_HLEN; o < end; o += olen) {
		if (end - o < 2)
			return -EMSGSIZE;
		olen = (size_t)o[1] * 8;
		if (!olen)
			return -EINVAL;
		if (olen > (size_t)(end - o))
			return -EMSGSIZE;
	}
	memset(out, 0, sizeof(*out));
	memcpy(out->router, ic.src, 16);
	out->cur_hop_limit = ic.body[0];
	out->managed = ic.body[1] & 0x80;
	out->other = ic.body[1] & 0x40;
	out->router_lifetime = (uint16_t)(ic.body[2] << 8 | ic.body[3]);
	out->reachable_ms = nd_get32(ic.body + 4);
	out->retrans_ms = nd_get32(ic.body + 8);
	for (o = ic.body + ND_RA_HLEN; o < end; o += olen) {
		olen = (size_t)o[1] * 8;
		switch (o[0]) {
		case ND_OPT_PREFIX:
			nd_prefix_opt(o, olen, out);
			break;
		case ND_OPT_MTU:
			if (olen == 8)
				out->mtu = nd_get32(o + 4);
			break;
		case ND_OPT_RDNSS:
			nd_rdnss_opt(o, olen, out);
			break;
		default:
			break;
		}
	}
	return 0;
}
