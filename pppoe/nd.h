/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nd.h - the host side of IPv6 Neighbor Discovery a PPP link needs
 * (RFC 4861): Router Solicitation out, Router Advertisement in, with the
 * Prefix Information (RFC 4861 4.6.2, for SLAAC, RFC 4862), MTU and RDNSS
 * (RFC 8106) options. Pure functions; a point-to-point link has no
 * link-layer addresses, so no Source Link-Layer Address option is sent
 * and none received is needed.
 */
#ifndef PPPOE_ND_H
#define PPPOE_ND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ND_RS 133
#define ND_RA 134

#define ND_OPT_SLLA    1
#define ND_OPT_PREFIX  3
#define ND_OPT_MTU     5
#define ND_OPT_RDNSS   25

/* RFC 4861 10: MAX_RTR_SOLICITATIONS, RTR_SOLICITATION_INTERVAL */
#define ND_RS_MAX         3
#define ND_RS_INTERVAL_MS 4000

#define ND_MAX_PREFIXES 8
#define ND_MAX_RDNSS    3
#define ND_INFINITE     0xffffffffu

struct nd_prefix {
	uint8_t prefix[16];
	uint8_t len;              /* Prefix Length */
	bool onlink;              /* L flag */
	bool autonomous;          /* A flag: usable for SLAAC */
	uint32_t valid;           /* s; ND_INFINITE = for ever */
	uint32_t preferred;       /* s; never above valid */
};

/* A Router Advertisement that passed the checks of RFC 4861 6.1.2. */
struct nd_ra {
	uint8_t router[16];       /* its link-local source */
	uint8_t cur_hop_limit;
	bool managed;             /* M: addresses from DHCPv6 */
	bool other;               /* O: other configuration from DHCPv6 */
	uint16_t router_lifetime; /* s; 0: not a default router */
	uint32_t reachable_ms;
	uint32_t retrans_ms;
	uint32_t mtu;             /* MTU option, 0 if none */
	unsigned int nprefix;
	struct nd_prefix prefix[ND_MAX_PREFIXES]; /* the first ND_MAX_PREFIXES usable ones */
	unsigned int nrdnss;
	uint8_t rdnss[ND_MAX_RDNSS][16];
	uint32_t rdnss_lifetime;  /* s, of the first RDNSS option */
	unsigned int ignored;     /* prefix options skipped (bad length, link-local, preferred > valid) */
};

/*
 * nd_rs_build - an IPv6 Router Solicitation from @src (our link-local) to
 * ff02::2, hop limit 255, no options. Returns its length, 0 if @cap is
 * too small (48 bytes are enough).
 */
size_t nd_rs_build(uint8_t *buf, size_t cap, const uint8_t src[16]);

/*
 * nd_ra_parse - a whole IPv6 packet that may be a Router Advertisement.
 * Valid (RFC 4861 6.1.2) only with: Next Header ICMPv6, IP hop limit 255,
 * a correct ICMPv6 checksum, type 134, code 0, at least 16 bytes of ICMP,
 * a link-local source, and every option of non-zero length lying within
 * the packet. Prefix options that are not 32 bytes, carry a link-local
 * prefix or a preferred lifetime above the valid one are skipped (counted
 * in ignored), as are malformed MTU/RDNSS options; unknown options are
 * skipped. 0, -EPROTONOSUPPORT (not ICMPv6 or not an RA), -EMSGSIZE
 * (truncated) or -EINVAL (fails a check above).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Type      |     Code      |          Checksum             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | Cur Hop Limit |M|O|  Reserved |       Router Lifetime         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         Reachable Time                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                          Retrans Timer                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   Options ...  (Type, Length in units of 8 octets, value)
 */
int nd_ra_parse(const uint8_t *pkt, size_t len, struct nd_ra *out);

#endif
