// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_mss.c - TCP MSS clamping: SYNs of IPv4 and IPv6 lowered to the
 * limit, their checksum still right by a full recomputation, and every
 * datagram that must not be touched left byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pppoe/mss.h"

/* ref_sum - one's complement sum of @len bytes from @p, big-endian words */
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
	return (uint16_t)~s;
}

/* tcp_csum - the TCP checksum of @ip computed from scratch (0 = valid
 * when the checksum field is included) */
static uint16_t tcp_csum(const uint8_t *ip)
{
	uint32_t s = 0;
	size_t ihl, tlen;

	if (ip[0] >> 4 == 4) {
		ihl = (size_t)(ip[0] & 15) * 4;
		tlen = (size_t)(ip[2] << 8 | ip[3]) - ihl;
		s = ref_sum(s, ip + 12, 8);
		s += 6 + (uint32_t)tlen;
	} else {
		ihl = 40;
		tlen = (size_t)(ip[4] << 8 | ip[5]);
		s = ref_sum(s, ip + 8, 32);
		s += 6 + (uint32_t)tlen;
	}
	return ref_fold(ref_sum(s, ip + ihl, tlen));
}

/* set_csum - fill in a correct TCP checksum */
static void set_csum(uint8_t *ip)
{
	size_t ihl = ip[0] >> 4 == 4 ? (size_t)(ip[0] & 15) * 4 : 40;
	uint16_t c;

	ip[ihl + 16] = ip[ihl + 17] = 0;
	c = tcp_csum(ip);
	ip[ihl + 16] = (uint8_t)(c >> 8);
	ip[ihl + 17] = (uint8_t)c;
}

/*
 * syn4 - an IPv4 TCP segment with flags @flags, TCP options @opt (@olen,
 * a multiple of 4) and @data bytes of payload; returns its length
 */
static size_t syn4(uint8_t *ip, uint8_t flags, const uint8_t *opt, size_t olen, size_t data)
{
	size_t tot = 20 + 20 + olen + data, i;

	memset(ip, 0, tot);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\x0a\x40\x00\x64\xc6\x33\x64\x07", 8);
	ip[20] = 0xc3;
	ip[21] = 0x51; /* port 50001 */
	ip[23] = 80;
	ip[24] = 0x12;
	ip[25] = 0x34;
	ip[32] = (uint8_t)((20 + olen) / 4 << 4);
	ip[33] = flags;
	ip[34] = 0xfa;
	if (olen) /* opt may be NULL: memcpy wants a pointer even for 0 bytes */
		memcpy(ip + 40, opt, olen);
	for (i = 0; i < data; i++)
		ip[40 + olen + i] = (uint8_t)(i * 7 + 3);
	set_csum(ip);
	return tot;
}

static size_t syn6(uint8_t *ip, uint8_t flags, const uint8_t *opt, size_t olen)
{
	size_t plen = 20 + olen;

	memset(ip, 0, 40 + plen);
	ip[0] = 0x60;
	ip[4] = (uint8_t)(plen >> 8);
	ip[5] = (uint8_t)plen;
	ip[6] = 6;
	ip[7] = 64;
	ip[8] = 0x20;
	ip[9] = 0x01;
	ip[23] = 1;
	ip[24] = 0x20;
	ip[25] = 0x01;
	ip[39] = 2;
	ip[40] = 0x9c;
	ip[41] = 0x40;
	ip[42] = 443 >> 8;
	ip[43] = 443 & 0xff;
	ip[52] = (uint8_t)((20 + olen) / 4 << 4);
	ip[53] = flags;
	memcpy(ip + 60, opt, olen);
	set_csum(ip);
	return 40 + plen;
}

#define SYN 0x02
#define ACK 0x10

/* Linux's SYN options: MSS 1460, SACK-permitted, timestamps, NOP, wscale */
static const uint8_t linux_opts[20] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0,
					1, 3, 3, 7 };

static uint16_t mss_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void test_v4_syn_clamped(void **state)
{
	uint8_t ip[128], orig[128];
	size_t n;

	(void)state;
	n = syn4(ip, SYN, linux_opts, sizeof(linux_opts), 0);
	memcpy(orig, ip, n);
	assert_true(mss_clamp(ip, n, 1452, 1432));
	assert_int_equal(mss_at(ip + 42), 1452);
	assert_int_equal(tcp_csum(ip), 0); /* still valid */
	/* Only the MSS and the checksum changed. */
	assert_memory_equal(ip, orig, 36);
	assert_memory_equal(ip + 38, orig + 38, 4);
	assert_memory_equal(ip + 44, orig + 44, n - 44);
	/* Again: already small enough, nothing to do. */
	assert_false(mss_clamp(ip, n, 1452, 1432));
}

static void test_v4_synack_clamped(void **state)
{
	uint8_t ip[128];
	size_t n;

	(void)state;
	n = syn4(ip, SYN | ACK, linux_opts, sizeof(linux_opts), 0);
	assert_true(mss_clamp(ip, n, 1400, 0));
	assert_int_equal(mss_at(ip + 42), 1400);
	assert_int_equal(tcp_csum(ip), 0);
}

/* An MSS option at an odd offset (after one NOP) still gets a right sum. */
static void test_v4_odd_offset(void **state)
{
	static const uint8_t opts[8] = { 1, 2, 4, 0x23, 0x28, 1, 1, 0 }; /* MSS 9000 */
	uint8_t ip[128];
	size_t n;

	(void)state;
	n = syn4(ip, SYN, opts, sizeof(opts), 0);
	assert_true(mss_clamp(ip, n, 1452, 0));
	assert_int_equal(mss_at(ip + 43), 1452);
	assert_int_equal(tcp_csum(ip), 0);
}

/* Many values and payload sizes: the incremental sum equals a full one. */
static void test_v4_many_values(void **state)
{
	uint8_t opts[8] = { 2, 4, 0, 0, 1, 1, 1, 1 };
	uint8_t odd[8] = { 1, 2, 4, 0, 0, 1, 1, 0 };
	uint8_t ip[256];
	unsigned int v, d;
	size_t n;

	(void)state;
	for (v = 1; v < 65536; v += 257) {
		for (d = 0; d < 5; d++) {
			opts[2] = odd[3] = (uint8_t)(v >> 8);
			opts[3] = odd[4] = (uint8_t)v;
			n = syn4(ip, SYN, d & 1 ? odd : opts, 8, d * 3);
			assert_int_equal(mss_clamp(ip, n, 1000, 0), v > 1000);
			assert_int_equal(mss_at(ip + 42 + (d & 1)), v > 1000 ? 1000 : v);
			assert_int_equal(tcp_csum(ip), 0);
		}
	}
}

static void test_v6_syn_clamped(void **state)
{
	uint8_t ip[128];
	size_t n;

	(void)state;
	n = syn6(ip, SYN, linux_opts, sizeof(linux_opts));
	assert_true(mss_clamp(ip, n, 1452, 1432));
	assert_int_equal(mss_at(ip + 62), 1432);
	assert_int_equal(tcp_csum(ip), 0);
}

/* Datagrams that must come out byte for byte as they went in. */
static void test_left_alone(void **state)
{
	static const uint8_t bad_len0[8] = { 3, 0, 2, 4, 0x05, 0xb4, 0, 0 };
	static const uint8_t eol_first[8] = { 0, 0, 0, 0, 2, 4, 0x05, 0xb4 };
	static const uint8_t mss_len3[8] = { 2, 3, 0x05, 0xb4, 1, 1, 1, 1 };
	static const uint8_t opt_past_end[4] = { 8, 10, 0, 0 };
	uint8_t ip[128], orig[128];
	size_t n;

	(void)state;
#define UNTOUCHED(len)                                  \
	do {                                            \
		memcpy(orig, ip, (len));                \
		assert_false(mss_clamp(ip, (len), 536, 536)); \
		assert_memory_equal(ip, orig, (len));   \
	} while (0)
	n = syn4(ip, ACK, linux_opts, sizeof(linux_opts), 10); /* not a SYN */
	UNTOUCHED(n);
	n = syn4(ip, SYN, NULL, 0, 0); /* no options */
	UNTOUCHED(n);
	n = syn4(ip, SYN, bad_len0, 8, 0); /* an option of length 0 */
	UNTOUCHED(n);
	n = syn4(ip, SYN, eol_first, 8, 0); /* MSS after End-of-List */
	UNTOUCHED(n);
	n = syn4(ip, SYN, mss_len3, 8, 0);
	UNTOUCHED(n);
	n = syn4(ip, SYN, opt_past_end, 4, 0);
	UNTOUCHED(n);
	n = syn4(ip, SYN, linux_opts, sizeof(linux_opts), 0);
	UNTOUCHED(n - 1); /* truncated: total length says more */
	ip[7] = 1; /* a later fragment */
	UNTOUCHED(n);
	ip[7] = 0;
	ip[6] |= 0x20; /* more fragments, offset 0: the first fragment is clamped */
	set_csum(ip);
	assert_true(mss_clamp(ip, n, 536, 536));
	assert_int_equal(tcp_csum(ip), 0);
	n = syn4(ip, SYN, linux_opts, sizeof(linux_opts), 0);
	ip[9] = 17; /* UDP */
	UNTOUCHED(n);
	n = syn4(ip, SYN, linux_opts, sizeof(linux_opts), 0);
	ip[32] = 0xf0; /* data offset 60 > the segment */
	UNTOUCHED(n);
	ip[32] = 0x40; /* data offset 16 < 20 */
	UNTOUCHED(n);
	n = syn4(ip, SYN, linux_opts, sizeof(linux_opts), 0);
	ip[0] = 0x44; /* IHL 16 */
	UNTOUCHED(n);
	n = syn4(ip, SYN, linux_opts, sizeof(linux_opts), 0);
	assert_false(mss_clamp(ip, n, 0, 0)); /* no limit */
	n = syn6(ip, SYN, linux_opts, sizeof(linux_opts));
	ip[6] = 0; /* hop-by-hop options first: not walked */
	UNTOUCHED(n);
	n = syn6(ip, SYN, linux_opts, sizeof(linux_opts));
	UNTOUCHED(n - 1);
	UNTOUCHED(39);
	ip[0] = 0x50;
	UNTOUCHED(n);
	UNTOUCHED(0);
#undef UNTOUCHED
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_syn_clamped),
		cmocka_unit_test(test_v4_synack_clamped),
		cmocka_unit_test(test_v4_odd_offset),
		cmocka_unit_test(test_v4_many_values),
		cmocka_unit_test(test_v6_syn_clamped),
		cmocka_unit_test(test_left_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
