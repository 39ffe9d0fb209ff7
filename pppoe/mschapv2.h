/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mschapv2.h - the arithmetic of MS-CHAPv2 (RFC 2759): pure functions over
 * (buffer, length), no state, no I/O. auth.c runs the protocol with them;
 * tests check them against RFC 2759 section 9.
 */
#ifndef PPPOE_MSCHAPV2_H
#define PPPOE_MSCHAPV2_H

#include <stddef.h>
#include <stdint.h>

#define CHAP_MSCHAPV2 0x81           /* CHAP algorithm number (RFC 2759 2) */
#define MSCHAPV2_CHAL_LEN 16         /* Authenticator and Peer-Challenge */
#define MSCHAPV2_HASH_LEN 16         /* PasswordHash, PasswordHashHash */
#define MSCHAPV2_CHALLENGE_LEN 8     /* ChallengeHash() output */
#define MSCHAPV2_NT_RESP_LEN 24      /* NT-Response */
#define MSCHAPV2_RESP_LEN 49         /* Response Value: peer challenge 16, reserved 8,
				      * NT-Response 24, flags 1 (RFC 2759 4) */
#define MSCHAPV2_AUTH_RESP_LEN 20    /* AuthenticatorResponse, binary */
#define MSCHAPV2_PW_MAX 256          /* characters (RFC 2759 8.1) */
#define MSCHAPV2_USER_MAX 256        /* octets of UserName in ChallengeHash */

/* What a Failure packet's message says (RFC 2759 6); numbers -1 if absent. */
struct mschapv2_failure {
	long error;            /* E=: 691 authentication failure, 646..649, 709 */
	int retry;             /* R=: 1 if the authenticator allows a retry */
	int version;           /* V=: 3 for MS-CHAPv2 */
	const uint8_t *msg;    /* M=: text to the end, or NULL */
	size_t msg_len;
};

/*
 * mschapv2_utf16le - a password of @len bytes of UTF-8 as UTF-16LE into
 * @out (@cap bytes). A byte that does not start a valid UTF-8 sequence
 * stands for itself (U+0000..U+00FF), as pppd treats every byte. Returns
 * the bytes written, or -EINVAL for more than MSCHAPV2_PW_MAX characters
 * or -ENOSPC when @out is too small.
 */
int mschapv2_utf16le(const uint8_t *pw, size_t len, uint8_t *out, size_t cap);
/* mschapv2_nt_password_hash - MD4 of the UTF-16LE password (RFC 2759 8.3); 0 or -EINVAL */
int mschapv2_nt_password_hash(const uint8_t *pw, size_t len, uint8_t hash[MSCHAPV2_HASH_LEN]);
/* mschapv2_hash_nt_password_hash - MD4 of the hash (RFC 2759 8.4) */
void mschapv2_hash_nt_password_hash(const uint8_t hash[MSCHAPV2_HASH_LEN],
				    uint8_t out[MSCHAPV2_HASH_LEN]);
/* mschapv2_user_name - the UserName the hashes use: @user without a
 * "DOMAIN\" prefix (RFC 2759 4: the user name without the domain) */
const uint8_t *mschapv2_user_name(const uint8_t *user, size_t len, size_t *out_len);
/* mschapv2_challenge_hash - SHA1(peer | authenticator | user)[0..8] (8.2) */
void mschapv2_challenge_hash(const uint8_t peer[MSCHAPV2_CHAL_LEN],
			     const uint8_t auth[MSCHAPV2_CHAL_LEN], const uint8_t *user,
			     size_t user_len, uint8_t out[MSCHAPV2_CHALLENGE_LEN]);
/* mschapv2_des_key - 7 key bytes spread over 8 with odd parity (8.6) */
void mschapv2_des_key(const uint8_t in[7], uint8_t out[8]);
/* mschapv2_challenge_response - DES of the challenge under the three keys
 * of the zero-padded 21-byte hash (RFC 2759 8.5) */
void mschapv2_challenge_response(const uint8_t challenge[MSCHAPV2_CHALLENGE_LEN],
				 const uint8_t hash[MSCHAPV2_HASH_LEN],
				 uint8_t out[MSCHAPV2_NT_RESP_LEN]);
/*
 * mschapv2_nt_response - GenerateNTResponse (RFC 2759 8.1) of the
 * authenticator's and our challenge, @user (domain already stripped, at
 * most MSCHAPV2_USER_MAX) and the UTF-8 password. 0 or -EINVAL.
 */
int mschapv2_nt_response(const uint8_t auth[MSCHAPV2_CHAL_LEN],
			 const uint8_t peer[MSCHAPV2_CHAL_LEN], const uint8_t *user,
			 size_t user_len, const uint8_t *pw, size_t pw_len,
			 uint8_t out[MSCHAPV2_NT_RESP_LEN]);
/* mschapv2_auth_response - GenerateAuthenticatorResponse (RFC 2759 8.7),
 * the 20 bytes behind "S=" in the Success message. 0 or -EINVAL. */
int mschapv2_auth_response(const uint8_t *pw, size_t pw_len,
			   const uint8_t nt_resp[MSCHAPV2_NT_RESP_LEN],
			   const uint8_t peer[MSCHAPV2_CHAL_LEN],
			   const uint8_t auth[MSCHAPV2_CHAL_LEN], const uint8_t *user,
			   size_t user_len, uint8_t out[MSCHAPV2_AUTH_RESP_LEN]);
/*
 * mschapv2_check_success - a Success message (RFC 2759 5):
 * "S=<40 hex digits>" then nothing, or " M=<message>" (any other text after
 * the digits is malformed). 0 when the digits, in either case, are @want,
 * -EACCES when they are not (the authenticator does not know our password:
 * not the AC we meant to reach), -EBADMSG when there is no well-formed S=.
 * @msg/@msg_len get the M= text (NULL, 0 without one).
 */
int mschapv2_check_success(const uint8_t *buf, size_t len,
			   const uint8_t want[MSCHAPV2_AUTH_RESP_LEN], const uint8_t **msg,
			   size_t *msg_len);
/* mschapv2_parse_failure - "E=eeeeeeeeee R=r C=... V=vvvvvvvvvv M=..."
 * (RFC 2759 6), leniently: fields may be missing; 0, or -EBADMSG with no E= */
int mschapv2_parse_failure(const uint8_t *buf, size_t len, struct mschapv2_failure *out);
/* mschapv2_error_name - what an E= code means, "unknown error" otherwise */
const char *mschapv2_error_name(long error);

#endif
