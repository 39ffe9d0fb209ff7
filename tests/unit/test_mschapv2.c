// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_mschapv2.c - MS-CHAPv2's arithmetic against RFC 2759 section 9:
 * every intermediate value of the 9.2 example, the DES keys of 9.3, and
 * the Success/Failure message parsers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pppoe/mschapv2.h"

/* RFC 2759 9.2 */
static const uint8_t user[] = { 0x55, 0x73, 0x65, 0x72 }; /* "User" */
static const char password[] = "clientPass";
static const uint8_t password_u16[] = { 0x63, 0x00, 0x6c, 0x00, 0x69, 0x00, 0x65, 0x00, 0x6e,
					0x00, 0x74, 0x00, 0x50, 0x00, 0x61, 0x00, 0x73, 0x00,
					0x73, 0x00 };
static const uint8_t auth_chal[16] = { 0x5b, 0x5d, 0x7c, 0x7d, 0x7b, 0x3f, 0x2f, 0x3e,
				       0x3c, 0x2c, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28 };
static const uint8_t peer_chal[16] = { 0x21, 0x40, 0x23, 0x24, 0x25, 0x5e, 0x26, 0x2a,
				       0x28, 0x29, 0x5f, 0x2b, 0x3a, 0x33, 0x7c, 0x7e };
static const uint8_t challenge[8] = { 0xd0, 0x2e, 0x43, 0x86, 0xbc, 0xe9, 0x12, 0x26 };
static const uint8_t pw_hash[16] = { 0x44, 0xeb, 0xba, 0x8d, 0x53, 0x12, 0xb8, 0xd6,
				     0x11, 0x47, 0x44, 0x11, 0xf5, 0x69, 0x89, 0xae };
static const uint8_t nt_resp[24] = { 0x82, 0x30, 0x9e, 0xcd, 0x8d, 0x70, 0x8b, 0x5e,
				     0xa0, 0x8f, 0xaa, 0x39, 0x81, 0xcd, 0x83, 0x54,
				     0x42, 0x33, 0x11, 0x4a, 0x3d, 0x85, 0xd6, 0xdf };
static const uint8_t pw_hash_hash[16] = { 0x41, 0xc0, 0x0c, 0x58, 0x4b, 0xd2, 0xd9, 0x1c,
					  0x40, 0x17, 0xa2, 0xa1, 0x2f, 0xa5, 0x9f, 0x3f };
static const char auth_resp_str[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56";
static const uint8_t auth_resp[20] = { 0x40, 0x7a, 0x55, 0x89, 0x11, 0x5f, 0xd0,
				       0xd6, 0x20, 0x9f, 0x51, 0x0f, 0xe9, 0xc0,
				       0x45, 0x66, 0x93, 0x2c, 0xda, 0x56 };

#define PW (const uint8_t *)password, strlen(password)

static void test_rfc2759_9_2(void **state)
{
	uint8_t u16[64], h[16], hh[16], c[8], r[24], a[20];

	assert_int_equal(mschapv2_utf16le(PW, u16, sizeof(u16)), sizeof(password_u16));
	assert_memory_equal(u16, password_u16, sizeof(password_u16));
	mschapv2_challenge_hash(peer_chal, auth_chal, user, sizeof(user), c);
	assert_memory_equal(c, challenge, sizeof(challenge));
	assert_int_equal(mschapv2_nt_password_hash(PW, h), 0);
	assert_memory_equal(h, pw_hash, sizeof(pw_hash));
	mschapv2_challenge_response(challenge, pw_hash, r);
	assert_memory_equal(r, nt_resp, sizeof(nt_resp));
	memset(r, 0, sizeof(r));
	assert_int_equal(mschapv2_nt_response(auth_chal, peer_chal, user, sizeof(user), PW, r), 0);
	assert_memory_equal(r, nt_resp, sizeof(nt_resp));
	mschapv2_hash_nt_password_hash(pw_hash, hh);
	assert_memory_equal(hh, pw_hash_hash, sizeof(pw_hash_hash));
	assert_int_equal(mschapv2_auth_response(PW, nt_resp, peer_chal, auth_chal, user,
						sizeof(user), a), 0);
	assert_memory_equal(a, auth_resp, sizeof(auth_resp));
}

/* RFC 2759 9.3: password "MyPw", its hash and the first two DES keys. */
static void test_rfc2759_9_3(void **state)
{
	static const uint8_t hash[16] = { 0xfc, 0x15, 0x6a, 0xf7, 0xed, 0xcd, 0x6c, 0x0e,
					  0xdd, 0xe3, 0x33, 0x7d, 0x42, 0x7f, 0x4e, 0xac };
	static const uint8_t k1[8] = { 0xfd, 0x0b, 0x5b, 0x5e, 0x7f, 0x6e, 0x34, 0xd9 };
	static const uint8_t k2[8] = { 0x0e, 0x6e, 0x79, 0x67, 0x37, 0xea, 0x08, 0xfe };
	uint8_t h[16], k[8];
	int i, j, bits;

	assert_int_equal(mschapv2_nt_password_hash((const uint8_t *)"MyPw", 4, h), 0);
	assert_memory_equal(h, hash, sizeof(hash));
	mschapv2_des_key(hash, k);
	assert_memory_equal(k, k1, sizeof(k1));
	mschapv2_des_key(hash + 7, k);
	assert_memory_equal(k, k2, sizeof(k2));
	/* The third key, from the hash's last two bytes and five zeros: only
	 * its parity can be checked against the RFC's rule (odd in each byte). */
	mschapv2_des_key((const uint8_t[]){ 0x4e, 0xac, 0, 0, 0, 0, 0 }, k);
	for (i = 0; i < 8; i++) {
		for (bits = 0, j = 0; j < 8; j++)
			bits += k[i] >> j & 1;
		assert_int_equal(bits & 1, 1);
	}
}

static void test_user_name(void **state)
{
	size_t n;
	const uint8_t *u;

	u = mschapv2_user_name((const uint8_t *)"DOMAIN\\User", 11, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(u, "User", 4);
	u = mschapv2_user_name((const uint8_t *)"a\\b\\c", 5, &n);
	assert_int_equal(n, 1);
	assert_memory_equal(u, "c", 1);
	u = mschapv2_user_name((const uint8_t *)"user@isp", 8, &n);
	assert_int_equal(n, 8);
	u = mschapv2_user_name((const uint8_t *)"x\\", 2, &n);
	assert_int_equal(n, 0);
}

static void test_utf16le(void **state)
{
	uint8_t out[1100];
	char big[300];

	/* "é" (U+00E9) and "€" (U+20AC) in UTF-8; "😀" U+1F600 as a surrogate pair */
	assert_int_equal(mschapv2_utf16le((const uint8_t *)"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
					  9, out, sizeof(out)), 8);
	assert_memory_equal(out, ((const uint8_t[]){ 0xe9, 0x00, 0xac, 0x20, 0x3d, 0xd8, 0x00,
						    0xde }), 8);
	/* not UTF-8: each byte stands for itself, as in pppd */
	assert_int_equal(mschapv2_utf16le((const uint8_t *)"\xe9x\xc3", 3, out, sizeof(out)), 6);
	assert_memory_equal(out, ((const uint8_t[]){ 0xe9, 0, 'x', 0, 0xc3, 0 }), 6);
	/* overlong '/' and a UTF-8 encoded surrogate are not UTF-8 either */
	assert_int_equal(mschapv2_utf16le((const uint8_t *)"\xc0\xaf", 2, out, sizeof(out)), 4);
	assert_int_equal(mschapv2_utf16le((const uint8_t *)"\xed\xa0\x80", 3, out, sizeof(out)),
			 6);
	/* no room */
	assert_int_equal(mschapv2_utf16le((const uint8_t *)"abc", 3, out, 5), -ENOSPC);
	assert_int_equal(mschapv2_utf16le((const uint8_t *)"\xf0\x9f\x98\x80", 4, out, 3),
			 -ENOSPC);
	/* 256 characters at most */
	memset(big, 'a', sizeof(big));
	assert_int_equal(mschapv2_utf16le((const uint8_t *)big, 256, out, sizeof(out)), 512);
	assert_int_equal(mschapv2_utf16le((const uint8_t *)big, 257, out, sizeof(out)), -EINVAL);
	assert_int_equal(mschapv2_nt_password_hash((const uint8_t *)big, 257, out), -EINVAL);
	assert_int_equal(mschapv2_nt_response(auth_chal, peer_chal, user, sizeof(user),
					      (const uint8_t *)big, 257, out), -EINVAL);
}

#define S(str) (const uint8_t *)(str), strlen(str)

static void test_success_message(void **state)
{
	const uint8_t *m;
	size_t ml;

	assert_int_equal(mschapv2_check_success(S(auth_resp_str), auth_resp, &m, &ml), 0);
	assert_null(m);
	assert_int_equal(mschapv2_check_success(S("S=407A5589115FD0D6209F510FE9C04566932CDA56 "
						  "M=Access granted"), auth_resp, &m, &ml), 0);
	assert_int_equal(ml, 14);
	assert_memory_equal(m, "Access granted", 14);
	/* lower case hex is the same value */
	assert_int_equal(mschapv2_check_success(S("S=407a5589115fd0d6209f510fe9c04566932cda56"),
						auth_resp, &m, &ml), 0);
	/* one digit off: not our authenticator */
	assert_int_equal(mschapv2_check_success(S("S=407A5589115FD0D6209F510FE9C04566932CDA57 "
						  "M=x"), auth_resp, &m, &ml), -EACCES);
	/* no S= at all, too short, not hex, junk after the digits */
	assert_int_equal(mschapv2_check_success(S("M=Access granted"), auth_resp, &m, &ml),
			 -EBADMSG);
	assert_int_equal(mschapv2_check_success(S(""), auth_resp, &m, &ml), -EBADMSG);
	assert_int_equal(mschapv2_check_success(S("S=407A5589115FD0D6209F510FE9C04566932CDA5"),
						auth_resp, &m, &ml), -EBADMSG);
	assert_int_equal(mschapv2_check_success(S("S=407A5589115FD0D6209F510FE9C04566932CDAZ6"),
						auth_resp, &m, &ml), -EBADMSG);
	assert_int_equal(mschapv2_check_success(S("S=407A5589115FD0D6209F510FE9C04566932CDA56"
						  "0"), auth_resp, &m, &ml), -EBADMSG);
	assert_int_equal(mschapv2_check_success(S("S=407A5589115FD0D6209F510FE9C04566932CDA56 "
						  "M"), auth_resp, &m, &ml), -EBADMSG);
	assert_int_equal(mschapv2_check_success(S(" S=407A5589115FD0D6209F510FE9C04566932CDA56"),
						auth_resp, &m, &ml), -EBADMSG);
}

static void test_failure_message(void **state)
{
	struct mschapv2_failure f;

	assert_int_equal(mschapv2_parse_failure(S("E=691 R=0 C=00112233445566778899AABBCCDDEEFF "
						  "V=3 M=Authentication failed"), &f), 0);
	assert_int_equal(f.error, 691);
	assert_int_equal(f.retry, 0);
	assert_int_equal(f.version, 3);
	assert_int_equal(f.msg_len, 21);
	assert_memory_equal(f.msg, "Authentication failed", 21);
	assert_string_equal(mschapv2_error_name(f.error), "authentication failure");
	/* zero-padded to ten digits, R=1, no M= */
	assert_int_equal(mschapv2_parse_failure(S("E=0000000648 R=1 V=3"), &f), 0);
	assert_int_equal(f.error, 648);
	assert_int_equal(f.retry, 1);
	assert_null(f.msg);
	assert_string_equal(mschapv2_error_name(648), "password expired");
	assert_string_equal(mschapv2_error_name(1), "unknown error");
	/* M= keeps its spaces and anything that looks like a field */
	assert_int_equal(mschapv2_parse_failure(S("E=691 M=bad E=1 R=1"), &f), 0);
	assert_int_equal(f.error, 691);
	assert_int_equal(f.retry, -1);
	assert_int_equal(f.msg_len, 11);
	/* no E=, a bad number, too many digits, nothing at all */
	assert_int_equal(mschapv2_parse_failure(S("R=0 M=nope"), &f), -EBADMSG);
	assert_int_equal(mschapv2_parse_failure(S("E=x691"), &f), -EBADMSG);
	assert_int_equal(mschapv2_parse_failure(S("E=99999999999999999999"), &f), -EBADMSG);
	assert_int_equal(mschapv2_parse_failure(S(""), &f), -EBADMSG);
	assert_int_equal(mschapv2_parse_failure(S("M="), &f), -EBADMSG);
	assert_int_equal(f.msg_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc2759_9_2),
		cmocka_unit_test(test_rfc2759_9_3),
		cmocka_unit_test(test_user_name),
		cmocka_unit_test(test_utf16le),
		cmocka_unit_test(test_success_message),
		cmocka_unit_test(test_failure_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
