/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ip6.h - IPv6 packets the session builds and consumes itself: IPv6 + UDP
 * (DHCPv6) and IPv6 + ICMPv6 (Router Solicitation/Advertisement), with
 * their pseudo-header checksums (RFC 8200 8.1). Pure functions over
 * (buffer, length); nothing is read past the length given.
 *
 * Only packets whose Next Header is UDP or ICMPv6 directly are parsed: a
 * packet with extension headers is not one of the few we consume and goes
 * to the interface like any other.
 */
#ifndef PPPOE_IP6_H
#define PPPOE_IP6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IP6_HLEN        40
#define IP6_UDP_HLEN    8
#define IP6_ICMP_HLEN   4   /* type, code, checksum */
#define IP6_NH_UDP      17
#define IP6_NH_ICMP6    58

/* A received IPv6 + UDP packet; payload points into the caller's buffer. */
struct ip6_udp {
	uint8_t src[16];
	uint8_t dst[16];
	uint8_t hop_limit;
	uint16_t sport, dport;
	const uint8_t *payload;
	size_t plen;
};

/* A received IPv6 + ICMPv6 packet; body is what follows the checksum. */
struct ip6_icmp {
	uint8_t src[16];
	uint8_t dst[16];
	uint8_t hop_limit;
	uint8_t type, code;
	const uint8_t *body;
	size_t blen;
};

/*
 * ip6_udp_build - IPv6 header (hop limit 1 for link-local/multicast use,
 * 64 otherwise is the caller's business: 1 is DHCPv6's, RFC 8415 does not
 * forbid it and the AC is one hop away) + UDP header with checksum +
 * @payload into @buf. Returns the packet length, 0 if it does not fit in
 * @cap (or in a UDP length).
 */
size_t ip6_udp_build(uint8_t *buf, size_t cap, const uint8_t src[16], const uint8_t dst[16],
		     uint16_t sport, uint16_t dport, const uint8_t *payload, size_t plen);
/*
 * ip6_udp_parse - check and split an IPv6 + UDP packet: version 6, Payload
 * Length within @len (bytes past it are ignored), Next Header UDP, the UDP
 * length equal to the payload length, a non-zero checksum that verifies.
 * 0, -EMSGSIZE (truncated), -EPROTONOSUPPORT (not IPv6 or not UDP) or
 * -EINVAL (bad lengths or checksum).
 */
int ip6_udp_parse(const uint8_t *pkt, size_t len, struct ip6_udp *out);

/* ip6_icmp_build - IPv6 + ICMPv6 (@type, @code, @body) with checksum and
 * hop limit @hop_limit; the packet length, or 0 if it does not fit */
size_t ip6_icmp_build(uint8_t *buf, size_t cap, const uint8_t src[16], const uint8_t dst[16],
		      uint8_t hop_limit, uint8_t type, uint8_t code, const uint8_t *body,
		      size_t blen);
/* ip6_icmp_parse - as ip6_udp_parse, for ICMPv6 (checksum verified) */
int ip6_icmp_parse(const uint8_t *pkt, size_t len, struct ip6_icmp *out);

/* ip6_l4_csum - the RFC 8200 8.1 checksum over the pseudo-header and @l4
 * (the upper-layer packet, its checksum field zero or set: a correct one
 * sums to 0) */
uint16_t ip6_l4_csum(const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
		     const uint8_t *l4, size_t len);

/* ip6_peek_udp_dport - the UDP destination port of an IPv6 packet whose
 * Next Header is UDP, without checking anything else; -1 if not */
int ip6_peek_udp_dport(const uint8_t *pkt, size_t len);
/* ip6_peek_icmp_type - the ICMPv6 type likewise; -1 if not ICMPv6 */
int ip6_peek_icmp_type(const uint8_t *pkt, size_t len);

/* ip6_ll_from_iid - fe80::IID */
void ip6_ll_from_iid(uint8_t out[16], const uint8_t iid[8]);
/* ip6_is_linklocal - in fe80::/10 */
static inline bool ip6_is_linklocal(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}
static inline bool ip6_is_multicast(const uint8_t a[16])
{
	return a[0] == 0xff;
}
/* ip6_ntop - text form of @a into @buf (at least 46 bytes); returns @buf */
char *ip6_ntop(const uint8_t a[16], char *buf, size_t cap);
#define IP6_STRLEN 46

extern const uint8_t ip6_all_routers[16];        /* ff02::2 */
extern const uint8_t ip6_all_nodes[16];          /* ff02::1 */
extern const uint8_t ip6_all_dhcp_agents[16];    /* ff02::1:2 */

#endif
