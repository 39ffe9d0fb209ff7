// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mschapv2.c - MS-CHAPv2's arithmetic (RFC 2759 section 8) and its Success
 * and Failure messages (sections 5, 6). nettle supplies MD4, SHA-1 and
 * DES. Every buffer that held the password or a hash of it is wiped before
 * it goes out of scope: the NT hash is as good as the password to anyone
 * who wants to log in.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/sha1.h>

#include "pppoe/mschapv2.h"

/* mschapv2_utf8_next - one code point of @s (@len > 0); its length in @n */
static uint32_t mschapv2_utf8_next(const uint8_t *s, size_t len, size_t *n)
{
	uint32_t c = s[0], min;
	size_t need, i;

	if (c < 0x80) {
		*n = 1;
		return c;
	}
	if ((c & 0xe0) == 0xc0) {
		need = 1;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		need = 2;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		need = 3;
		c &= 0x07;
		min = 0x10000;
	} else {
		goto raw;
	}
	if (need >= len)
		goto raw;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto raw;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are no UTF-8. */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto raw;
	*n = need + 1;
	return c;
raw:
	*n = 1;
	return s[0];
}

int mschapv2_utf16le(const uint8_t *pw, size_t len, uint8_t *out, size_t cap)
{
	size_t o = 0, n, chars = 0;
	uint32_t c;

	while (len) {
		c = mschapv2_utf8_next(pw, len, &n);
		pw += n;
		len -= n;
		if (++chars > MSCHAPV2_PW_MAX)
			return -EINVAL;
		if (c >= 0x10000) {
			/* A surrogate pair: two UTF-16 units. */
			if (cap - o < 4)
				return -ENOSPC;
			c -= 0x10000;
			out[o++] = (uint8_t)((0xd800 | c >> 10) & 0xff);
			out[o++] = (uint8_t)((0xd800 | c >> 10) >> 8);
			out[o++] = (uint8_t)((0xdc00 | (c & 0x3ff)) & 0xff);
			out[o++] = (uint8_t)((0xdc00 | (c & 0x3ff)) >> 8);
		} else {
			if (cap - o < 2)
				return -ENOSPC;
			out[o++] = (uint8_t)(c & 0xff);
			out[o++] = (uint8_t)(c >> 8);
		}
	}
	return (int)o;
}

/* NtPasswordHash (RFC 2759 8.3): MD4 of the password in UTF-16LE. */
int mschapv2_nt_password_hash(const uint8_t *pw, size_t len, uint8_t hash[MSCHAPV2_HASH_LEN])
{
	/* Two units per character at most, four for a surrogate pair. */
	uint8_t u[4 * MSCHAPV2_PW_MAX];
	struct md4_ctx ctx;
	int n;

	n = mschapv2_utf16le(pw, len, u, sizeof(u));
	if (n < 0) {
		explicit_bzero(u, sizeof(u));
		return -EINVAL;
	}
	md4_init(&ctx);
	md4_update(&ctx, (size_t)n, u);
	md4_digest(&ctx, MSCHAPV2_HASH_LEN, hash);
	explicit_bzero(u, sizeof(u));
	explicit_bzero(&ctx, sizeof(ctx));
	return 0;
}

/* HashNtPasswordHash (RFC 2759 8.4) */
void mschapv2_hash_nt_password_hash(const uint8_t hash[MSCHAPV2_HASH_LEN],
				    uint8_t out[MSCHAPV2_HASH_LEN])
{
	struct md4_ctx ctx;

	md4_init(&ctx);
	md4_update(&ctx, MSCHAPV2_HASH_LEN, hash);
	md4_digest(&ctx, MSCHAPV2_HASH_LEN, out);
	explicit_bzero(&ctx, sizeof(ctx));
}

const uint8_t *mschapv2_user_name(const uint8_t *user, size_t len, size_t *out_len)
{
	size_t i;

	for (i = len; i > 0; i--) {
		if (user[i - 1] == '\\') {
			*out_len = len - i;
			return user + i;
		}
	}
	*out_len = len;
	return user;
}

/* ChallengeHash (RFC 2759 8.2) */
void mschapv2_challenge_hash(const uint8_t peer[MSCHAPV2_CHAL_LEN],
			     const uint8_t auth[MSCHAPV2_CHAL_LEN], const uint8_t *user,
			     size_t user_len, uint8_t out[MSCHAPV2_CHALLENGE_LEN])
{
	uint8_t d[SHA1_DIGEST_SIZE];
	struct sha1_ctx ctx;

	sha1_init(&ctx);
	sha1_update(&ctx, MSCHAPV2_CHAL_LEN, peer);
	sha1_update(&ctx, MSCHAPV2_CHAL_LEN, auth);
	sha1_update(&ctx, user_len, user);
	sha1_digest(&ctx, sizeof(d), d);
	memcpy(out, d, MSCHAPV2_CHALLENGE_LEN);
}

/* The 56 key bits of @in, seven to a byte, the low bit left for parity. */
void mschapv2_des_key(const uint8_t in[7], uint8_t out[8])
{
	out[0] = in[0];
	out[1] = (uint8_t)(in[0] << 7 | in[1] >> 1);
	out[2] = (uint8_t)(in[1] << 6 | in[2] >> 2);
	out[3] = (uint8_t)(in[2] << 5 | in[3] >> 3);
	out[4] = (uint8_t)(in[3] << 4 | in[4] >> 4);
	out[5] = (uint8_t)(in[4] << 3 | in[5] >> 5);
	out[6] = (uint8_t)(in[5] << 2 | in[6] >> 6);
	out[7] = (uint8_t)(in[6] << 1);
	des_fix_parity(8, out, out);
}

/* DesEncrypt (RFC 2759 8.6) */
static void mschapv2_des(const uint8_t clear[8], const uint8_t key7[7], uint8_t out[8])
{
	struct des_ctx ctx;
	uint8_t key[8];

	mschapv2_des_key(key7, key);
	/* 0 means a weak key; the schedule is set all the same, and the
	 * protocol has no choice of key: the hash decides it. */
	(void)des_set_key(&ctx, key);
	des_encrypt(&ctx, 8, out, clear);
	explicit_bzero(&ctx, sizeof(ctx));
	explicit_bzero(key, sizeof(key));
}

/* ChallengeResponse (RFC 2759 8.5) */
void mschapv2_challenge_response(const uint8_t challenge[MSCHAPV2_CHALLENGE_LEN],
				 const uint8_t hash[MSCHAPV2_HASH_LEN],
				 uint8_t out[MSCHAPV2_NT_RESP_LEN])
{
	uint8_t z[21];

	memset(z, 0, sizeof(z));
	memcpy(z, hash, MSCHAPV2_HASH_LEN);
	mschapv2_des(challenge, z, out);
	mschapv2_des(challenge, z + 7, out + 8);
	mschapv2_des(challenge, z + 14, out + 16);
	explicit_bzero(z, sizeof(z));
}

/* GenerateNTResponse (RFC 2759 8.1) */
int mschapv2_nt_response(const uint8_t auth[MSCHAPV2_CHAL_LEN],
			 const uint8_t peer[MSCHAPV2_CHAL_LEN], const uint8_t *user,
			 size_t user_len, const uint8_t *pw, size_t pw_len,
			 uint8_t out[MSCHAPV2_NT_RESP_LEN])
{
	uint8_t chal[MSCHAPV2_CHALLENGE_LEN], hash[MSCHAPV2_HASH_LEN];

	if (user_len > MSCHAPV2_USER_MAX || mschapv2_nt_password_hash(pw, pw_len, hash))
		return -EINVAL;
	mschapv2_challenge_hash(peer, auth, user, user_len, chal);
	mschapv2_challenge_response(chal, hash, out);
	explicit_bzero(hash, sizeof(hash));
	return 0;
}

/* GenerateAuthenticatorResponse (RFC 2759 8.7) */
int mschapv2_auth_response(const uint8_t *pw, size_t pw_len,
			   const uint8_t nt_resp[MSCHAPV2_NT_RESP_LEN],
			   const uint8_t peer[MSCHAPV2_CHAL_LEN],
			   const uint8_t auth[MSCHAPV2_CHAL_LEN], const uint8_t *user,
			   size_t user_len, uint8_t out[MSCHAPV2_AUTH_RESP_LEN])
{
	static const uint8_t magic1[39] = "Magic server to client signing constant";
	static const uint8_t magic2[41] = "Pad to make it do more than one iteration";
	uint8_t hash[MSCHAPV2_HASH_LEN], hh[MSCHAPV2_HASH_LEN], chal[MSCHAPV2_CHALLENGE_LEN];
	uint8_t d[SHA1_DIGEST_SIZE];
	struct sha1_ctx ctx;

	if (user_len > MSCHAPV2_USER_MAX || mschapv2_nt_password_hash(pw, pw_len, hash))
		return -EINVAL;
	mschapv2_hash_nt_password_hash(hash, hh);
	explicit_bzero(hash, sizeof(hash));

	sha1_init(&ctx);
	sha1_update(&ctx, sizeof(hh), hh);
	sha1_update(&ctx, MSCHAPV2_NT_RESP_LEN, nt_resp);
	sha1_update(&ctx, sizeof(magic1), magic1);
	sha1_digest(&ctx, sizeof(d), d);
	explicit_bzero(hh, sizeof(hh));

	mschapv2_challenge_hash(peer, auth, user, user_len, chal);
	sha1_init(&ctx);
	sha1_update(&ctx, sizeof(d), d);
	sha1_update(&ctx, sizeof(chal), chal);
	sha1_update(&ctx, sizeof(magic2), magic2);
	sha1_digest(&ctx, MSCHAPV2_AUTH_RESP_LEN, out);
	explicit_bzero(d, sizeof(d));
	explicit_bzero(&ctx, sizeof(ctx));
	return 0;
}

static int mschapv2_hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * mschapv2_check_success - the Message of a Success packet (RFC 2759 5):
 *
 *   S=<auth_string> M=<message>
 *
 * auth_string is 40 hex digits, upper case per the RFC; any case is taken.
 */
int mschapv2_check_success(const uint8_t *buf, size_t len,
			   const uint8_t want[MSCHAPV2_AUTH_RESP_LEN], const uint8_t **msg,
			   size_t *msg_len)
{
	uint8_t got[MSCHAPV2_AUTH_RESP_LEN], diff = 0;
	size_t i, o = 2 + 2 * MSCHAPV2_AUTH_RESP_LEN;
	int hi, lo;

	*msg = NULL;
	*msg_len = 0;
	if (len < o || buf[0] != 'S' || buf[1] != '=')
		return -EBADMSG;
	for (i = 0; i < MSCHAPV2_AUTH_RESP_LEN; i++) {
		hi = mschapv2_hexval(buf[2 + 2 * i]);
		lo = mschapv2_hexval(buf[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return -EBADMSG;
		got[i] = (uint8_t)(hi << 4 | lo);
	}
	if (len > o) {
		/* " M=..." (pppd, Windows); a bare space or anything else
		 * right after the digits is not the RFC's format. */
		if (len < o + 3 || buf[o] != ' ' || buf[o + 1] != 'M' || buf[o + 2] != '=')
			return -EBADMSG;
		*msg = buf + o + 3;
		*msg_len = len - o - 3;
	}
	for (i = 0; i < MSCHAPV2_AUTH_RESP_LEN; i++)
		diff |= got[i] ^ want[i];
	return diff ? -EACCES : 0;
}

/* mschapv2_number - decimal digits at @p (at most @len), -1 if none */
static long mschapv2_number(const uint8_t *p, size_t len)
{
	long v = 0;
	size_t i;

	for (i = 0; i < len && p[i] >= '0' && p[i] <= '9'; i++) {
		if (v > 100000000L)
			return -1; /* ten digits at most (RFC 2759 6) */
		v = v * 10 + (p[i] - '0');
	}
	return i ? v : -1;
}

/*
 * mschapv2_parse_failure - the Message of a Failure packet (RFC 2759 6):
 *
 *   E=eeeeeeeeee R=r C=cccccccccccccccccccccccccccccccc V=vvvvvvvvvv M=<msg>
 *
 * Fields are separated by single spaces; M= runs to the end. Unknown
 * fields are skipped.
 */
int mschapv2_parse_failure(const uint8_t *buf, size_t len, struct mschapv2_failure *out)
{
	size_t i = 0, end;

	out->error = -1;
	out->retry = -1;
	out->version = -1;
	out->msg = NULL;
	out->msg_len = 0;
	while (i < len) {
		while (i < len && buf[i] == ' ')
			i++;
		if (len - i >= 2 && buf[i] == 'M' && buf[i + 1] == '=') {
			out->msg = buf + i + 2;
			out->msg_len = len - i - 2;
			break;
		}
		for (end = i; end < len && buf[end] != ' '; end++)
			;
		if (end - i >= 3 && buf[i + 1] == '=') {
			long v = mschapv2_number(buf + i + 2, end - i - 2);

			switch (buf[i]) {
			case 'E':
				out->error = v;
				break;
			case 'R':
				out->retry = v < 0 ? -1 : v != 0;
				break;
			case 'V':
				out->version = v > 1000 ? 1000 : (int)v;
				break;
			default:
				break;
			}
		}
		i = end;
	}
	return out->error < 0 ? -EBADMSG : 0;
}

const char *mschapv2_error_name(long error)
{
	switch (error) {
	case 646:
		return "restricted logon hours";
	case 647:
		return "account disabled";
	case 648:
		return "password expired";
	case 649:
		return "no dial-in permission";
	case 691:
		return "authentication failure";
	case 709:
		return "error changing password";
	default:
		return "unknown error";
	}
}
