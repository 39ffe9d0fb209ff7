// SPDX-License-Identifier: GPL-2.0-or-later
/* test_wire.c - Ethernet/PPPoE framing codec against canned frames */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pppoe/wire.h"

#define AC_MAC   0x00, 0x11, 0x22, 0x33, 0x44, 0x55
#define OUR_MAC  0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01

/* An LCP Configure-Request (id 1, MRU 1492) in session 0x1234: 26 bytes. */
static const uint8_t sess_lcp[] = {
	OUR_MAC, AC_MAC, 0x88, 0x64,
	0x11, 0x00, 0x12, 0x34, 0x00, 0x0a,
	0xc0, 0x21,
	0x01, 0x01, 0x00, 0x08, 0x01, 0x04, 0x05, 0xd4,
};

/* A PADO carrying an empty Service-Name, padded to 60 bytes. */
static const uint8_t disc_padded[60] = {
	OUR_MAC, AC_MAC, 0x88, 0x63,
	0x11, 0x07, 0x00, 0x00, 0x00, 0x04,
	0x01, 0x01, 0x00, 0x00,
	/* zeros: Ethernet padding, not part of LENGTH */
};

static void test_decode_session(void **state)
{
	struct pppoe_frame f;

	assert_int_equal(pppoe_frame_decode(sess_lcp, sizeof(sess_lcp), &f), 0);
	assert_ptr_equal(f.dst, sess_lcp);
	assert_ptr_equal(f.src, sess_lcp + 6);
	assert_int_equal(f.ethertype, ETH_P_PPP_SES_);
	assert_int_equal(f.code, 0);
	assert_int_equal(f.session_id, 0x1234);
	assert_ptr_equal(f.payload, sess_lcp + 20);
	assert_int_equal(f.payload_len, 10);
}

static void test_decode_padding_ignored(void **state)
{
	struct pppoe_frame f;

	assert_int_equal(pppoe_frame_decode(disc_padded, sizeof(disc_padded), &f), 0);
	assert_int_equal(f.ethertype, ETH_P_PPP_DISC_);
	assert_int_equal(f.code, 0x07);
	assert_int_equal(f.session_id, 0);
	assert_int_equal(f.payload_len, 4);
	assert_ptr_equal(f.payload, disc_padded + 20);
}

static void test_decode_truncated(void **state)
{
	struct pppoe_frame f;
	size_t n;

	/* Every prefix shorter than Ethernet + PPPoE headers is too short. */
	for (n = 0; n < ETH_HLEN_ + PPPOE_HLEN; n++)
		assert_int_equal(pppoe_frame_decode(sess_lcp, n, &f), -EMSGSIZE);
	/* Headers complete but LENGTH (10) not: still too short. */
	for (; n < sizeof(sess_lcp); n++)
		assert_int_equal(pppoe_frame_decode(sess_lcp, n, &f), -EMSGSIZE);
	assert_int_equal(pppoe_frame_decode(sess_lcp, n, &f), 0);
}

static void test_decode_length(void **state)
{
	uint8_t buf[sizeof(sess_lcp)];
	struct pppoe_frame f;

	memcpy(buf, sess_lcp, sizeof(buf));
	/* LENGTH one more than the bytes there. */
	buf[19] = 11;
	assert_int_equal(pppoe_frame_decode(buf, sizeof(buf), &f), -EMSGSIZE);
	buf[18] = 0xff;
	buf[19] = 0xff;
	assert_int_equal(pppoe_frame_decode(buf, sizeof(buf), &f), -EMSGSIZE);
	/* LENGTH smaller than the data: the rest is padding. */
	buf[18] = 0;
	buf[19] = 2;
	assert_int_equal(pppoe_frame_decode(buf, sizeof(buf), &f), 0);
	assert_int_equal(f.payload_len, 2);
	buf[19] = 0;
	assert_int_equal(pppoe_frame_decode(buf, sizeof(buf), &f), 0);
	assert_int_equal(f.payload_len, 0);
	/* LENGTH 0 with nothing after the header is fine too. */
	assert_int_equal(pppoe_frame_decode(buf, 20, &f), 0);
}

static void test_decode_ethertype(void **state)
{
	static const uint16_t others[] = { 0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8, 0x8862,
					   0x8865, 0x6488 };
	uint8_t buf[sizeof(sess_lcp)];
	struct pppoe_frame f;
	size_t i;

	memcpy(buf, sess_lcp, sizeof(buf));
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		buf[12] = others[i] >> 8;
		buf[13] = others[i] & 0xff;
		assert_int_equal(pppoe_frame_decode(buf, sizeof(buf), &f), -EPROTONOSUPPORT);
	}
	/* The EtherType is judged before the PPPoE header: 14 bytes suffice. */
	assert_int_equal(pppoe_frame_decode(buf, ETH_HLEN_, &f), -EPROTONOSUPPORT);
}

static void test_decode_ver_type(void **state)
{
	static const uint8_t bad[] = { 0x00, 0x10, 0x01, 0x12, 0x21, 0x22, 0xff };
	uint8_t buf[sizeof(sess_lcp)];
	struct pppoe_frame f;
	size_t i;

	memcpy(buf, sess_lcp, sizeof(buf));
	for (i = 0; i < sizeof(bad); i++) {
		buf[14] = bad[i];
		assert_int_equal(pppoe_frame_decode(buf, sizeof(buf), &f), -EINVAL);
	}
}

static void test_decode_session_code(void **state)
{
	uint8_t buf[sizeof(sess_lcp)];
	struct pppoe_frame f;

	memcpy(buf, sess_lcp, sizeof(buf));
	buf[15] = 0xa7; /* PADT code on the session EtherType */
	assert_int_equal(pppoe_frame_decode(buf, sizeof(buf), &f), -EINVAL);
	buf[15] = 0x01;
	assert_int_equal(pppoe_frame_decode(buf, sizeof(buf), &f), -EINVAL);
	/* The same code on the discovery EtherType is the machine's business. */
	buf[13] = 0x63;
	buf[15] = 0xa7;
	assert_int_equal(pppoe_frame_decode(buf, sizeof(buf), &f), 0);
	assert_int_equal(f.code, 0xa7);
	/* And discovery with CODE 0 (not a valid code) still decodes. */
	buf[15] = 0x00;
	assert_int_equal(pppoe_frame_decode(buf, sizeof(buf), &f), 0);
}

/* wire_tagged - sess_lcp behind @ntags tags @tags (4 bytes each) into @buf */
static size_t wire_tagged(uint8_t *buf, const char *tags, size_t ntags)
{
	memcpy(buf, sess_lcp, 12);
	memcpy(buf + 12, tags, 4 * ntags);
	memcpy(buf + 12 + 4 * ntags, sess_lcp + 12, sizeof(sess_lcp) - 12);
	return sizeof(sess_lcp) + 4 * ntags;
}

/*
 * 802.1Q and QinQ tags: the tags are skipped and their VLAN IDs recorded
 * (priority and DEI bits dropped), with the outer TPID; the PPPoE header
 * behind them decodes as untagged.
 */
static void test_decode_vlan_tagged(void **state)
{
	uint8_t buf[sizeof(sess_lcp) + 12];
	struct pppoe_frame f;
	size_t n;

	(void)state;
	n = wire_tagged(buf, "\x81\x00\xe0\x07", 1); /* PCP 7, VLAN 7 */
	assert_int_equal(pppoe_frame_decode(buf, n, &f), 0);
	assert_int_equal(f.vlan.ntags, 1);
	assert_int_equal(f.vlan.tpid, 0x8100);
	assert_int_equal(f.vlan.vid[0], 7);
	assert_int_equal(f.session_id, 0x1234);
	assert_int_equal(f.ethertype, ETH_P_PPP_SES_);
	assert_ptr_equal(f.payload, buf + 24);
	assert_int_equal(f.payload_len, 10);

	/* QinQ with either outer TPID; S-VLAN equal to C-VLAN too. */
	n = wire_tagged(buf, "\x88\xa8\x00\x64\x81\x00\x10\x07", 2);
	assert_int_equal(pppoe_frame_decode(buf, n, &f), 0);
	assert_int_equal(f.vlan.ntags, 2);
	assert_int_equal(f.vlan.tpid, 0x88a8);
	assert_int_equal(f.vlan.vid[0], 100);
	assert_int_equal(f.vlan.vid[1], 7);
	assert_ptr_equal(f.payload, buf + 28);
	n = wire_tagged(buf, "\x81\x00\x0f\xfe\x81\x00\x0f\xfe", 2);
	assert_int_equal(pppoe_frame_decode(buf, n, &f), 0);
	assert_int_equal(f.vlan.ntags, 2);
	assert_int_equal(f.vlan.tpid, 0x8100);
	assert_int_equal(f.vlan.vid[0], 4094);
	assert_int_equal(f.vlan.vid[1], 4094);

	/* Untagged: no tags recorded. */
	assert_int_equal(pppoe_frame_decode(sess_lcp, sizeof(sess_lcp), &f), 0);
	assert_int_equal(f.vlan.ntags, 0);
}

/* Tags cut short, a third tag, and a tag of another TPID are refused. */
static void test_decode_vlan_bad(void **state)
{
	uint8_t buf[sizeof(sess_lcp) + 12];
	struct pppoe_frame f;
	size_t n, i;

	(void)state;
	n = wire_tagged(buf, "\x88\xa8\x00\x0a\x81\x00\x00\x64", 2);
	/* Every cut inside the tags or the PPPoE header: too short, never a
	 * tag read as a PPPoE header. */
	for (i = 0; i < 12 + 8 + 6; i++)
		assert_int_equal(pppoe_frame_decode(buf, i, &f), -EMSGSIZE);
	/* A third tag: not PPPoE after two tags (the XDP program agrees). */
	n = wire_tagged(buf, "\x88\xa8\x00\x0a\x81\x00\x00\x64\x81\x00\x00\x07", 3);
	assert_int_equal(pppoe_frame_decode(buf, n, &f), -EPROTONOSUPPORT);
	/* 0x9100 (pre-802.1ad QinQ) is no tag we know: another EtherType. */
	n = wire_tagged(buf, "\x91\x00\x00\x0a", 1);
	assert_int_equal(pppoe_frame_decode(buf, n, &f), -EPROTONOSUPPORT);
	/* A tag in front of something else than PPPoE. */
	n = wire_tagged(buf, "\x81\x00\x00\x07", 1);
	buf[16] = 0x08;
	buf[17] = 0x00;
	assert_int_equal(pppoe_frame_decode(buf, n, &f), -EPROTONOSUPPORT);
}

/* Encoding: the tags a session is configured with, and back again. */
static void test_encode_vlan(void **state)
{
	static const uint8_t dst[6] = { AC_MAC }, src[6] = { OUR_MAC };
	struct pppoe_vlan q = { .ntags = 2, .tpid = 0x88a8, .vid = { 100, 7 } };
	struct pppoe_vlan one = { .ntags = 1, .tpid = 0x88a8, .vid = { 7, 0 } };
	struct pppoe_vlan none = { .ntags = 0, .tpid = 0x8100 };
	uint8_t buf[64];
	struct pppoe_frame f;
	size_t n;

	(void)state;
	n = pppoe_sess_hdr_encode_vlan(buf, dst, src, &q, 0x1234, PPP_LCP, 4);
	assert_int_equal(n, 30);
	assert_memory_equal(buf + 12, "\x88\xa8\x00\x64\x81\x00\x00\x07\x88\x64", 10);
	memset(buf + n, 0, 4);
	assert_int_equal(pppoe_frame_decode(buf, n + 4, &f), 0);
	assert_true(pppoe_vlan_same(&f.vlan, &q));
	assert_int_equal(f.payload_len, 6);
	/* A single tag is always 0x8100, whatever vlan_tpid says. */
	n = pppoe_eth_hdr_encode_vlan(buf, dst, src, &one, ETH_P_PPP_DISC_);
	assert_int_equal(n, 18);
	assert_memory_equal(buf + 12, "\x81\x00\x00\x07\x88\x63", 6);
	/* QinQ with 0x8100 outside, and 7.7. */
	q.tpid = 0x8100;
	q.vid[0] = 7;
	n = pppoe_eth_hdr_encode_vlan(buf, dst, src, &q, ETH_P_PPP_DISC_);
	assert_memory_equal(buf + 12, "\x81\x00\x00\x07\x81\x00\x00\x07\x88\x63", 10);
	assert_int_equal(n, 22);
	assert_int_equal(pppoe_eth_hdr_encode_vlan(buf, dst, src, &none, ETH_P_PPP_DISC_), 14);
	assert_int_equal(pppoe_eth_hdr_encode_vlan(buf, dst, src, NULL, ETH_P_PPP_DISC_), 14);
	assert_memory_equal(buf + 12, "\x88\x63", 2);
}

/* Matching: VLAN IDs decide, not TPIDs; 7 is neither 7.7 nor 100.7. */
static void test_vlan_same_parse_format(void **state)
{
	struct pppoe_vlan a = { 0 }, b = { 0 };
	char s[PPPOE_VLAN_STRLEN];

	(void)state;
	assert_true(pppoe_vlan_same(&a, &b));
	assert_int_equal(pppoe_vlan_parse("7", &a), 0);
	assert_int_equal(a.ntags, 1);
	assert_false(pppoe_vlan_same(&a, &b));
	assert_int_equal(pppoe_vlan_parse("7.7", &b), 0);
	assert_int_equal(b.ntags, 2);
	assert_false(pppoe_vlan_same(&a, &b));
	assert_string_equal(pppoe_vlan_format(&b, s, sizeof(s)), "7.7");
	assert_int_equal(pppoe_vlan_parse("100.7", &a), 0);
	assert_false(pppoe_vlan_same(&a, &b));
	assert_string_equal(pppoe_vlan_format(&a, s, sizeof(s)), "100.7");
	a.tpid = 0x88a8;
	b.tpid = 0x8100;
	b.vid[0] = 100;
	assert_true(pppoe_vlan_same(&a, &b));
	assert_int_equal(pppoe_vlan_parse("4094.1", &a), 0);
	assert_string_equal(pppoe_vlan_format(&a, s, sizeof(s)), "4094.1");
	a.ntags = 0;
	assert_string_equal(pppoe_vlan_format(&a, s, sizeof(s)), "");
	/* Out of range, empty, signs, spaces, leading zeros, three IDs. */
	static const char *const bad[] = { "0", "4095", "4096", "", ".", "7.", ".7", "+7",
					   "-1", " 7", "7 ", "07", "7.0", "1.2.3", "0x7",
					   "99999", "7..7", "a" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (pppoe_vlan_parse(bad[i], &a) != -EINVAL)
			fail_msg("'%s' parsed as a VLAN", bad[i]);
}

/*
 * Frames under the 60-byte Ethernet minimum (a veth does not pad): decoded
 * on their own merits, nothing read past the end.
 */
static void test_decode_runt(void **state)
{
	static const uint8_t padt[20] = {
		OUR_MAC, AC_MAC, 0x88, 0x63, 0x11, 0xa7, 0x12, 0x34, 0x00, 0x00,
	};
	struct pppoe_frame f;

	assert_true(sizeof(sess_lcp) < 60);
	assert_int_equal(pppoe_frame_decode(sess_lcp, sizeof(sess_lcp), &f), 0);
	assert_ptr_equal(f.payload + f.payload_len, sess_lcp + sizeof(sess_lcp));
	assert_int_equal(pppoe_frame_decode(padt, sizeof(padt), &f), 0);
	assert_int_equal(f.payload_len, 0);
	assert_int_equal(pppoe_frame_decode(padt, sizeof(padt) - 1, &f), -EMSGSIZE);
}

static void test_proto_decode(void **state)
{
	static const uint8_t lcp[] = { 0xc0, 0x21, 0x01, 0x02, 0x03 };
	static const uint8_t ip[] = { 0x00, 0x21 };
	const uint8_t *data = NULL;
	uint16_t proto = 0;
	size_t dlen = 99;

	assert_int_equal(ppp_proto_decode(lcp, sizeof(lcp), &proto, &data, &dlen), 0);
	assert_int_equal(proto, PPP_LCP);
	assert_ptr_equal(data, lcp + 2);
	assert_int_equal(dlen, 3);

	assert_int_equal(ppp_proto_decode(ip, sizeof(ip), &proto, &data, &dlen), 0);
	assert_int_equal(proto, PPP_IP);
	assert_ptr_equal(data, ip + 2);
	assert_int_equal(dlen, 0);

	assert_int_equal(ppp_proto_decode(lcp, 1, &proto, &data, &dlen), -EMSGSIZE);
	assert_int_equal(ppp_proto_decode(lcp, 0, &proto, &data, &dlen), -EMSGSIZE);
}

static void test_proto_invalid(void **state)
{
	static const uint16_t bad[] = { 0x0020, 0xc020, 0x0000, 0x0121, 0xc121, 0xffff,
					0x0100 };
	static const uint16_t good[] = { 0x0021, 0x0057, 0x8021, 0x8057, 0xc021, 0xc023,
					 0xc223, 0x0001, 0xfeff };
	const uint8_t *data;
	uint8_t buf[2];
	uint16_t proto;
	size_t dlen, i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf[0] = bad[i] >> 8;
		buf[1] = bad[i] & 0xff;
		assert_int_equal(ppp_proto_decode(buf, 2, &proto, &data, &dlen), -EINVAL);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		buf[0] = good[i] >> 8;
		buf[1] = good[i] & 0xff;
		assert_int_equal(ppp_proto_decode(buf, 2, &proto, &data, &dlen), 0);
		assert_int_equal(proto, good[i]);
	}
}

static void test_sess_hdr_encode(void **state)
{
	static const uint8_t dst[] = { AC_MAC }, src[] = { OUR_MAC };
	static const uint8_t want[] = {
		AC_MAC, OUR_MAC, 0x88, 0x64,
		0x11, 0x00, 0xbe, 0xef, 0x05, 0xd6, /* LENGTH = 1492 + 2 */
		0x00, 0x21,
	};
	uint8_t buf[PPPOE_SESS_HLEN + 4];

	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(pppoe_sess_hdr_encode(buf, dst, src, 0xbeef, PPP_IP, 1492),
			 PPPOE_SESS_HLEN);
	assert_memory_equal(buf, want, sizeof(want));
	/* Nothing written past the headers. */
	assert_int_equal(buf[PPPOE_SESS_HLEN], 0x5a);
}

static void test_sess_hdr_roundtrip(void **state)
{
	static const uint8_t dst[] = { AC_MAC }, src[] = { OUR_MAC };
	static const uint8_t info[] = { 0x01, 0x01, 0x00, 0x08, 0x01, 0x04, 0x05, 0xd4 };
	uint8_t buf[64];
	struct pppoe_frame f;
	const uint8_t *data;
	uint16_t proto;
	size_t n, dlen;

	n = pppoe_sess_hdr_encode(buf, dst, src, 0x1234, PPP_LCP, sizeof(info));
	memcpy(buf + n, info, sizeof(info));
	n += sizeof(info);
	assert_int_equal(n, sizeof(sess_lcp));
	assert_memory_equal(buf, (const uint8_t[]){ AC_MAC }, 6);
	assert_memory_equal(buf + 12, sess_lcp + 12, n - 12);

	assert_int_equal(pppoe_frame_decode(buf, n, &f), 0);
	assert_int_equal(f.session_id, 0x1234);
	assert_int_equal(ppp_proto_decode(f.payload, f.payload_len, &proto, &data, &dlen), 0);
	assert_int_equal(proto, PPP_LCP);
	assert_int_equal(dlen, sizeof(info));
	assert_memory_equal(data, info, sizeof(info));

	/* An empty information field: LENGTH is just the protocol field. */
	n = pppoe_sess_hdr_encode(buf, dst, src, 1, PPP_IPCP, 0);
	assert_int_equal(buf[18], 0);
	assert_int_equal(buf[19], 2);
	assert_int_equal(pppoe_frame_decode(buf, n, &f), 0);
	assert_int_equal(f.payload_len, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_session),
		cmocka_unit_test(test_decode_padding_ignored),
		cmocka_unit_test(test_decode_truncated),
		cmocka_unit_test(test_decode_length),
		cmocka_unit_test(test_decode_ethertype),
		cmocka_unit_test(test_decode_ver_type),
		cmocka_unit_test(test_decode_session_code),
		cmocka_unit_test(test_decode_vlan_tagged),
		cmocka_unit_test(test_decode_vlan_bad),
		cmocka_unit_test(test_encode_vlan),
		cmocka_unit_test(test_vlan_same_parse_format),
		cmocka_unit_test(test_decode_runt),
		cmocka_unit_test(test_proto_decode),
		cmocka_unit_test(test_proto_invalid),
		cmocka_unit_test(test_sess_hdr_encode),
		cmocka_unit_test(test_sess_hdr_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
