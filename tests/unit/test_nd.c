// SPDX-License-Identifier: GPL-2.0-or-later
/* test_nd.c - IPv6 + UDP/ICMPv6 codecs (pppoe/ip6.c) and Router
 * Solicitation / Advertisement (pppoe/nd.c, RFC 4861, RFC 4862, RFC 8106) */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pppoe/ip6.h"
#include "pppoe/nd.h"

static const uint8_t ll_ac[16] = { 0xfe, 0x80, [15] = 0x01 };
static const uint8_t ll_us[16] = { 0xfe, 0x80, [8] = 0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
				   0x77 };

static void a6(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

/* A known answer: the RS's checksum as the RFC 8200 8.1 sum gives it, and
 * every byte of the packet. */
static void test_rs(void **state)
{
	uint8_t pkt[64], small[47];
	size_t n;

	(void)state;
	n = nd_rs_build(pkt, sizeof(pkt), ll_us);
	assert_int_equal(n, 48);
	assert_memory_equal(pkt, ((const uint8_t[]){ 0x60, 0, 0, 0, 0, 8, 58, 255 }), 8);
	assert_memory_equal(pkt + 8, ll_us, 16);
	assert_memory_equal(pkt + 24, ip6_all_routers, 16);
	assert_int_equal(pkt[40], 133);
	assert_int_equal(pkt[41], 0);
	/* The checksum verifies (sum over everything is 0) and is not 0. */
	assert_int_equal(ip6_l4_csum(ll_us, ip6_all_routers, 58, pkt + 40, 8), 0);
	assert_false(pkt[42] == 0 && pkt[43] == 0);
	/* Hand computation: pseudo header + 0x8500 + checksum field 0. */
	{
		uint32_t sum = 0;
		unsigned int i;

		for (i = 0; i < 16; i += 2)
			sum += (uint32_t)(ll_us[i] << 8 | ll_us[i + 1]);
		sum += 0xff02 + 0x0002 + 8 + 58 + 0x8500;
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		assert_int_equal(pkt[42] << 8 | pkt[43], (uint16_t)~sum);
	}
	assert_int_equal(nd_rs_build(small, sizeof(small), ll_us), 0);
}

struct ra_opt {
	uint8_t b[512];
	size_t n;
};

static void put_prefix(struct ra_opt *o, const char *prefix, uint8_t plen, uint8_t flags,
		       uint32_t valid, uint32_t preferred)
{
	uint8_t *p = o->b + o->n;

	memset(p, 0, 32);
	p[0] = 3;
	p[1] = 4;
	p[2] = plen;
	p[3] = flags;
	p[4] = (uint8_t)(valid >> 24), p[5] = (uint8_t)(valid >> 16);
	p[6] = (uint8_t)(valid >> 8), p[7] = (uint8_t)valid;
	p[8] = (uint8_t)(preferred >> 24), p[9] = (uint8_t)(preferred >> 16);
	p[10] = (uint8_t)(preferred >> 8), p[11] = (uint8_t)preferred;
	a6(prefix, p + 16);
	o->n += 32;
}

/* build_ra - a whole IPv6 RA packet from @src, hop limit @hop */
static size_t build_ra(uint8_t *pkt, size_t cap, const uint8_t src[16], uint8_t hop,
		       uint8_t flags, uint16_t lifetime, const struct ra_opt *o)
{
	uint8_t body[600] = { 64, flags, (uint8_t)(lifetime >> 8), (uint8_t)lifetime,
			      0, 0, 0, 0, 0, 0, 0, 0 };

	memcpy(body + 12, o->b, o->n);
	return ip6_icmp_build(pkt, cap, src, ip6_all_nodes, hop, ND_RA, 0, body, 12 + o->n);
}

static void test_ra_valid(void **state)
{
	struct ra_opt o = { .n = 0 };
	uint8_t pkt[400], want[16];
	struct nd_ra ra;
	size_t n;

	(void)state;
	put_prefix(&o, "2001:db8:1:2::", 64, 0xc0, 86400, 14400);
	put_prefix(&o, "2001:db8:ffff::", 48, 0xc0, 3600, 1800);   /* not a /64 */
	put_prefix(&o, "2001:db8:3::", 64, 0x80, 3600, 1800);      /* no A flag */
	/* MTU option */
	memcpy(o.b + o.n, ((const uint8_t[]){ 5, 1, 0, 0, 0, 0, 0x05, 0xd4 }), 8);
	o.n += 8;
	/* RDNSS with two servers, lifetime 600 */
	memcpy(o.b + o.n, ((const uint8_t[]){ 25, 5, 0, 0, 0, 0, 0x02, 0x58 }), 8);
	a6("2001:db8::53", o.b + o.n + 8);
	a6("2001:db8::54", o.b + o.n + 24);
	o.n += 40;
	/* An unknown option is skipped. */
	memcpy(o.b + o.n, ((const uint8_t[]){ 200, 1, 1, 2, 3, 4, 5, 6 }), 8);
	o.n += 8;
	n = build_ra(pkt, sizeof(pkt), ll_ac, 255, 0x80 | 0x40, 1800, &o);
	assert_int_equal(nd_ra_parse(pkt, n, &ra), 0);
	assert_memory_equal(ra.router, ll_ac, 16);
	assert_true(ra.managed);
	assert_true(ra.other);
	assert_int_equal(ra.router_lifetime, 1800);
	assert_int_equal(ra.cur_hop_limit, 64);
	assert_int_equal(ra.nprefix, 3);
	a6("2001:db8:1:2::", want);
	assert_memory_equal(ra.prefix[0].prefix, want, 16);
	assert_int_equal(ra.prefix[0].len, 64);
	assert_true(ra.prefix[0].autonomous);
	assert_true(ra.prefix[0].onlink);
	assert_int_equal(ra.prefix[0].valid, 86400);
	assert_int_equal(ra.prefix[0].preferred, 14400);
	assert_int_equal(ra.prefix[1].len, 48);
	assert_false(ra.prefix[2].autonomous);
	assert_int_equal(ra.mtu, 1492);
	assert_int_equal(ra.nrdnss, 2);
	assert_int_equal(ra.rdnss_lifetime, 600);
	a6("2001:db8::54", want);
	assert_memory_equal(ra.rdnss[1], want, 16);
	/* Padding after the packet (Ethernet minimum, PPPoE) is ignored. */
	memset(pkt + n, 0xee, 8);
	assert_int_equal(nd_ra_parse(pkt, n + 8, &ra), 0);
	/* An RA with no options at all, router lifetime 0 */
	o.n = 0;
	n = build_ra(pkt, sizeof(pkt), ll_ac, 255, 0, 0, &o);
	assert_int_equal(nd_ra_parse(pkt, n, &ra), 0);
	assert_int_equal(ra.router_lifetime, 0);
	assert_false(ra.managed);
	assert_int_equal(ra.nprefix, 0);
}

/* RFC 4861 6.1.2: each check alone makes the RA invalid. */
static void test_ra_invalid(void **state)
{
	struct ra_opt o = { .n = 0 };
	uint8_t pkt[400], global[16];
	struct nd_ra ra;
	size_t n;

	(void)state;
	put_prefix(&o, "2001:db8:1:2::", 64, 0xc0, 86400, 14400);
	n = build_ra(pkt, sizeof(pkt), ll_ac, 255, 0, 1800, &o);
	assert_int_equal(nd_ra_parse(pkt, n, &ra), 0);
	/* bad checksum */
	pkt[42] ^= 0x01;
	assert_int_equal(nd_ra_parse(pkt, n, &ra), -EINVAL);
	pkt[42] ^= 0x01;
	/* hop limit not 255 (checksum does not cover it) */
	pkt[7] = 254;
	assert_int_equal(nd_ra_parse(pkt, n, &ra), -EINVAL);
	pkt[7] = 255;
	/* not from a link-local source */
	a6("2001:db8::1", global);
	n = build_ra(pkt, sizeof(pkt), global, 255, 0, 1800, &o);
	assert_int_equal(nd_ra_parse(pkt, n, &ra), -EINVAL);
	/* code not 0 */
	n = build_ra(pkt, sizeof(pkt), ll_ac, 255, 0, 1800, &o);
	pkt[41] = 1;
	pkt[42] = pkt[43] = 0;
	{
		uint16_t c = ip6_l4_csum(pkt + 8, pkt + 24, 58, pkt + 40, n - 40);

		pkt[42] = (uint8_t)(c >> 8);
		pkt[43] = (uint8_t)c;
	}
	assert_int_equal(nd_ra_parse(pkt, n, &ra), -EINVAL);
	/* truncated: the IPv6 payload length says more than there is */
	n = build_ra(pkt, sizeof(pkt), ll_ac, 255, 0, 1800, &o);
	assert_int_equal(nd_ra_parse(pkt, n - 1, &ra), -EMSGSIZE);
	assert_int_equal(nd_ra_parse(pkt, 39, &ra), -EMSGSIZE);
	/* an option running past the end (Length 5 for 4 units) */
	o.b[1] = 5;
	n = build_ra(pkt, sizeof(pkt), ll_ac, 255, 0, 1800, &o);
	assert_int_equal(nd_ra_parse(pkt, n, &ra), -EMSGSIZE);
	/* a zero-length option (RFC 4861 4.6: the RA must be discarded) */
	o.b[1] = 0;
	n = build_ra(pkt, sizeof(pkt), ll_ac, 255, 0, 1800, &o);
	assert_int_equal(nd_ra_parse(pkt, n, &ra), -EINVAL);
	/* a partial option header at the end */
	o.n = 1;
	o.b[0] = 3;
	n = build_ra(pkt, sizeof(pkt), ll_ac, 255, 0, 1800, &o);
	assert_int_equal(nd_ra_parse(pkt, n, &ra), -EMSGSIZE);
	/* ICMP body shorter than the RA's 12 bytes */
	n = ip6_icmp_build(pkt, sizeof(pkt), ll_ac, ip6_all_nodes, 255, ND_RA, 0,
			   (const uint8_t[]){ 64, 0, 0 }, 3);
	assert_int_equal(nd_ra_parse(pkt, n, &ra), -EMSGSIZE);
	/* not an RA: an RS, and not ICMPv6 */
	n = nd_rs_build(pkt, sizeof(pkt), ll_ac);
	assert_int_equal(nd_ra_parse(pkt, n, &ra), -EPROTONOSUPPORT);
	n = ip6_udp_build(pkt, sizeof(pkt), ll_ac, ll_us, 547, 546, NULL, 0);
	assert_int_equal(nd_ra_parse(pkt, n, &ra), -EPROTONOSUPPORT);
}

/* Prefixes RFC 4862 5.5.3 and RFC 4861 4.6.2 say to skip, and lifetimes. */
static void test_ra_prefixes(void **state)
{
	struct ra_opt o = { .n = 0 };
	uint8_t pkt[700], want[16];
	struct nd_ra ra;
	unsigned int i;
	size_t n;

	(void)state;
	put_prefix(&o, "fe80::", 64, 0xc0, 3600, 1800);            /* link-local: skipped */
	put_prefix(&o, "2001:db8:1::", 64, 0xc0, 100, 200);         /* preferred > valid */
	put_prefix(&o, "2001:db8:2::", 64, 0xc0, ND_INFINITE, ND_INFINITE);
	put_prefix(&o, "2001:db8:3:4:ffff::", 56, 0x40, 0, 0);      /* host bits cleared */
	/* A prefix option of the wrong length (24 bytes) is skipped alone. */
	memcpy(o.b + o.n, ((const uint8_t[]){ 3, 3, 64, 0xc0 }), 4);
	memset(o.b + o.n + 4, 0, 20);
	o.n += 24;
	n = build_ra(pkt, sizeof(pkt), ll_ac, 255, 0, 1800, &o);
	assert_int_equal(nd_ra_parse(pkt, n, &ra), 0);
	assert_int_equal(ra.nprefix, 2);
	assert_int_equal(ra.ignored, 3);
	assert_int_equal(ra.prefix[0].valid, ND_INFINITE);
	a6("2001:db8:3::", want);
	assert_memory_equal(ra.prefix[1].prefix, want, 16);
	assert_int_equal(ra.prefix[1].len, 56);
	assert_int_equal(ra.prefix[1].valid, 0);
	/* At most ND_MAX_PREFIXES kept, the rest counted. */
	o.n = 0;
	for (i = 0; i < ND_MAX_PREFIXES + 2; i++)
		put_prefix(&o, "2001:db8:5::", 64, 0xc0, 60, 60);
	n = build_ra(pkt, sizeof(pkt), ll_ac, 255, 0, 1800, &o);
	assert_int_equal(nd_ra_parse(pkt, n, &ra), 0);
	assert_int_equal(ra.nprefix, ND_MAX_PREFIXES);
	assert_int_equal(ra.ignored, 2);
}

/* IPv6 + UDP round trip, and what ip6_udp_parse refuses. */
static void test_udp(void **state)
{
	static const uint8_t payload[] = { 1, 2, 3, 4, 5 };
	uint8_t pkt[128];
	struct ip6_udp u;
	size_t n;

	(void)state;
	n = ip6_udp_build(pkt, sizeof(pkt), ll_us, ip6_all_dhcp_agents, 546, 547, payload,
			  sizeof(payload));
	assert_int_equal(n, 40 + 8 + 5);
	assert_int_equal(pkt[6], 17);
	assert_int_equal(ip6_udp_parse(pkt, n, &u), 0);
	assert_memory_equal(u.src, ll_us, 16);
	assert_memory_equal(u.dst, ip6_all_dhcp_agents, 16);
	assert_int_equal(u.sport, 546);
	assert_int_equal(u.dport, 547);
	assert_int_equal(u.plen, 5);
	assert_memory_equal(u.payload, payload, 5);
	assert_int_equal(ip6_peek_udp_dport(pkt, n), 547);
	assert_int_equal(ip6_peek_icmp_type(pkt, n), -1);
	/* trailing bytes are padding */
	assert_int_equal(ip6_udp_parse(pkt, n + 3, &u), 0);
	assert_int_equal(u.plen, 5);
	/* bad checksum, zero checksum, bad UDP length, truncation */
	pkt[50] ^= 0xff;
	assert_int_equal(ip6_udp_parse(pkt, n, &u), -EINVAL);
	pkt[50] ^= 0xff;
	{
		uint8_t c0 = pkt[46], c1 = pkt[47];

		pkt[46] = pkt[47] = 0;
		assert_int_equal(ip6_udp_parse(pkt, n, &u), -EINVAL);
		pkt[46] = c0;
		pkt[47] = c1;
	}
	pkt[45]++;
	assert_int_equal(ip6_udp_parse(pkt, n, &u), -EINVAL);
	pkt[45]--;
	assert_int_equal(ip6_udp_parse(pkt, n - 1, &u), -EMSGSIZE);
	assert_int_equal(ip6_udp_parse(pkt, 47, &u), -EMSGSIZE);
	pkt[0] = 0x45;
	assert_int_equal(ip6_udp_parse(pkt, n, &u), -EPROTONOSUPPORT);
	/* too small a buffer */
	assert_int_equal(ip6_udp_build(pkt, 52, ll_us, ll_ac, 1, 2, payload, 5), 0);
	assert_int_equal(ip6_udp_build(pkt, 53, ll_us, ll_ac, 1, 2, payload, 5), 53);
	/* an empty payload */
	n = ip6_udp_build(pkt, sizeof(pkt), ll_us, ll_ac, 1, 2, NULL, 0);
	assert_int_equal(ip6_udp_parse(pkt, n, &u), 0);
	assert_int_equal(u.plen, 0);
}

static void test_ll(void **state)
{
	static const uint8_t iid[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t a[16];
	char s[IP6_STRLEN];

	(void)state;
	ip6_ll_from_iid(a, iid);
	assert_string_equal(ip6_ntop(a, s, sizeof(s)), "fe80::102:304:506:708");
	assert_true(ip6_is_linklocal(a));
	assert_false(ip6_is_linklocal(ip6_all_routers));
	assert_string_equal(ip6_ntop(ip6_all_dhcp_agents, s, sizeof(s)), "ff02::1:2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rs),
		cmocka_unit_test(test_ra_valid),
		cmocka_unit_test(test_ra_invalid),
		cmocka_unit_test(test_ra_prefixes),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_ll),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
