// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_nd.c - the IPv6 packets the session parses itself: Router
 * Advertisements (nd_ra_parse), IPv6 + UDP (ip6_udp_parse, DHCPv6's way
 * in) and IPv6 + ICMPv6. The oracle: what a parser accepts obeys its
 * documented checks, and ip6_udp_build's output always parses back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/ip6.h"
#include "pppoe/nd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fz_check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1), out[1600];
	struct nd_ra ra;
	struct ip6_udp u;
	struct ip6_icmp ic;
	unsigned int i;
	size_t n;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	if (nd_ra_parse(copy, size, &ra) == 0) {
		fz_check(size >= 40 + 16);
		fz_check(copy[7] == 255 && ip6_is_linklocal(ra.router));
		fz_check(ra.nprefix <= ND_MAX_PREFIXES && ra.nrdnss <= ND_MAX_RDNSS);
		for (i = 0; i < ra.nprefix; i++) {
			fz_check(ra.prefix[i].len <= 128);
			fz_check(ra.prefix[i].preferred <= ra.prefix[i].valid);
			fz_check(!ip6_is_linklocal(ra.prefix[i].prefix));
		}
	}
	if (ip6_udp_parse(copy, size, &u) == 0) {
		fz_check(u.payload >= copy + 48 && u.payload + u.plen <= copy + size);
		/* What parses can be built again, byte for byte the same. */
		n = ip6_udp_build(out, sizeof(out), u.src, u.dst, u.sport, u.dport, u.payload,
				  u.plen);
		if (n) {
			fz_check(n == 48 + u.plen);
			fz_check(ip6_udp_parse(out, n, &u) == 0);
		}
	}
	if (ip6_icmp_parse(copy, size, &ic) == 0)
		fz_check(ic.body >= copy + 44 && ic.body + ic.blen <= copy + size);
	/* Any bytes as a UDP payload: the build parses back. */
	n = ip6_udp_build(out, sizeof(out), size >= 16 ? copy + size - 16 : ip6_all_nodes,
			  ip6_all_dhcp_agents, 546, 547, copy, size);
	if (n) {
		fz_check(ip6_udp_parse(out, n, &u) == 0);
		fz_check(u.plen == size && (!size || !memcmp(u.payload, copy, size)));
	} else {
		fz_check(size + 48 > sizeof(out));
	}
	free(copy);
	return 0;
}
