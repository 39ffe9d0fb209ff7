/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * auth.h - authenticating ourselves to the peer: PAP (RFC 1334), CHAP
 * with MD5 (RFC 1994) and MS-CHAPv2 (RFC 2759). Client side only: we
 * never ask the peer to authenticate. Small machines of their own, driven
 * by ppp.c.
 */
#ifndef PPPOE_AUTH_H
#define PPPOE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe/mschapv2.h"
#include "pppoe/timer.h"

/* auth = ...: what the client accepts to authenticate with (README
 * "Authentication"). A peer that asks for nothing is accepted whatever
 * the value: a client cannot make the peer authenticate it. */
enum ppp_auth_pref {
	PPP_AUTH_AUTO,      /* whatever the AC asks among PAP, CHAP-MD5, MS-CHAPv2 */
	PPP_AUTH_PAP,       /* only PAP */
	PPP_AUTH_CHAP,      /* only CHAP with MD5 */
	PPP_AUTH_MSCHAPV2,  /* only MS-CHAPv2 */
};

#define AUTH_NAME_MAX 32

enum pap_code {
	PAP_AUTH_REQ = 1,
	PAP_AUTH_ACK = 2,
	PAP_AUTH_NAK = 3,
};

enum chap_code {
	CHAP_CHALLENGE = 1,
	CHAP_RESPONSE = 2,
	CHAP_SUCCESS = 3,
	CHAP_FAILURE = 4,
};

#define CHAP_MD5_LEN 16
#define AUTH_DEF_TIMEOUT_MS 3000
#define AUTH_DEF_TRIES 10

enum auth_state {
	AUTH_IDLE,       /* not authenticating */
	AUTH_PAP_SENT,   /* Authenticate-Request out, waiting for Ack/Nak */
	AUTH_CHAP_WAIT,  /* waiting for a Challenge */
	AUTH_CHAP_SENT,  /* Response out, waiting for Success/Failure */
	AUTH_DONE,       /* peer accepted us (CHAP may still rechallenge) */
	AUTH_FAILED,
};

/* A decoded PAP Authenticate-Ack/Nak (RFC 1334 2.2.2). */
struct pap_reply {
	uint8_t code;
	uint8_t id;
	const uint8_t *msg;
	size_t msg_len;
};

/* A decoded CHAP packet (RFC 1994 4.1, 4.2). */
struct chap_pkt {
	uint8_t code;
	uint8_t id;
	const uint8_t *value;    /* Challenge/Response value */
	size_t value_len;
	const uint8_t *name;     /* Challenge/Response name */
	size_t name_len;
	const uint8_t *msg;      /* Success/Failure message */
	size_t msg_len;
};

struct ppp;

struct auth {
	uint16_t proto;          /* PPP_PAP, PPP_CHAP or 0 */
	uint8_t alg;             /* CHAP: CHAP_MD5 or CHAP_MSCHAPV2 */
	enum auth_state state;
	struct tw_timer timer;
	uint8_t id;              /* PAP: our request id; CHAP: last challenge id answered */
	unsigned int tries;      /* PAP requests sent */
	bool succeeded;          /* peer has accepted us on this link */
	bool resp_out;           /* CHAP: a Response waits for Success/Failure */
	unsigned int rx_challenges;
	/* MS-CHAPv2: the challenge answered last, our challenge in that
	 * answer, and the authenticator response its Success must carry. */
	uint8_t ms_auth_chal[MSCHAPV2_CHAL_LEN];
	uint8_t ms_peer_chal[MSCHAPV2_CHAL_LEN];
	uint8_t ms_auth_resp[MSCHAPV2_AUTH_RESP_LEN];
};

/* pap_decode - parse a PAP packet the peer may send us (Ack/Nak) */
int pap_decode(const uint8_t *buf, size_t len, struct pap_reply *out);
/* pap_encode_req - build Authenticate-Request; returns length or -errno */
int pap_encode_req(uint8_t *buf, size_t cap, uint8_t id, const char *user,
		   const char *password);
/* chap_decode - parse any CHAP packet */
int chap_decode(const uint8_t *buf, size_t len, struct chap_pkt *out);
/* chap_md5_response - MD5(id || secret || challenge) (RFC 1994 4.1) */
void chap_md5_response(uint8_t out[CHAP_MD5_LEN], uint8_t id, const char *secret,
		       const uint8_t *challenge, size_t challenge_len);
/* chap_encode_resp - build a Response with @value and @name; length or -errno */
int chap_encode_resp(uint8_t *buf, size_t cap, uint8_t id, const uint8_t *value,
		     size_t value_len, const char *name);

/* auth_name - "PAP", "CHAP-MD5", "MS-CHAPv2", "MS-CHAP", "EAP", "CHAP
 * algorithm 0xNN", "protocol 0xNNNN"; @alg < 0: the option had none */
const char *auth_name(char buf[AUTH_NAME_MAX], uint16_t proto, int alg);
/* auth_pref_name - "PAP", "CHAP-MD5", "MS-CHAPv2", or "any" for auto */
const char *auth_pref_name(enum ppp_auth_pref p);
/* auth_pref_conf - "auth = pap" and so on, for log lines */
const char *auth_pref_conf(enum ppp_auth_pref p);

/* auth_init - set up the authentication machine of @ppp (ppp_init) */
void auth_init(struct ppp *ppp);
/* auth_start - LCP is up: authenticate with @proto and CHAP algorithm @alg
 * (0: nothing to do) */
void auth_start(struct ppp *ppp, uint16_t proto, uint8_t alg);
/* auth_stop - LCP went down: forget everything, stop the timer */
void auth_stop(struct ppp *ppp);
/* auth_resume - a resumed link (ppp_resume): the peer accepted us with
 * @proto in an earlier run, so a CHAP rechallenge is answered as on any
 * authenticated link */
void auth_resume(struct ppp *ppp, uint16_t proto);
/* auth_input - one PAP or CHAP packet from the peer */
void auth_input(struct ppp *ppp, uint16_t proto, const uint8_t *data, size_t len);

#endif
