// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * auth.c - authenticate ourselves to the access concentrator: PAP
 * (RFC 1334 section 2), CHAP with MD5 (RFC 1994) or MS-CHAPv2 (RFC 2759),
 * whichever the peer asked for in its LCP Configure-Request (and
 * conf->auth allowed, lcp.c).
 *
 * PAP retransmits the Authenticate-Request every auth_timeout_ms, at most
 * auth_tries times. CHAP is driven by the peer's Challenges (the
 * authenticator retransmits, RFC 1994 4.1), so we only bound the whole
 * exchange: auth_timeout_ms * auth_tries without Success fails it, the
 * same total time PAP gets.
 *
 * MS-CHAPv2 is CHAP with algorithm 0x81: the Response carries a challenge
 * of ours and the NT-Response, and the Success must carry the
 * authenticator response ("S=" and 40 hex digits) that only someone who
 * knows the password can compute. A Success without it, or with a wrong
 * one, fails the link like a Failure: whoever sent it is not the AC we
 * share the password with. A Failure ("E=691 R=0 ...") fails it too, even
 * one that offers a retry (R=1): the password will not be any better on
 * the second try, and the session's holdoff paces the next attempt.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/md5.h>

#include "pppoe/auth.h"
#include "pppoe/cp.h"
#include "pppoe/log.h"
#include "pppoe/mschapv2.h"
#include "pppoe/ppp_int.h"
#include "pppoe/wire.h"

/*
 * pap_decode - a PAP packet from the authenticator (RFC 1334 2.2.2).
 *
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Msg-Length   |  Message  ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Some ACs leave out Msg-Length altogether in an Ack; that is accepted as
 * an empty message. Codes other than Ack/Nak give -EOPNOTSUPP.
 */
int pap_decode(const uint8_t *buf, size_t len, struct pap_reply *out)
{
	struct cp_pkt p;
	int r;

	r = cp_decode(buf, len, &p);
	if (r)
		return r;
	out->code = p.code;
	out->id = p.id;
	out->msg = NULL;
	out->msg_len = 0;
	if (p.code != PAP_AUTH_ACK && p.code != PAP_AUTH_NAK)
		return -EOPNOTSUPP;
	if (!p.dlen)
		return 0;
	if ((size_t)p.data[0] > p.dlen - 1)
		return -EINVAL;
	out->msg = p.data + 1;
	out->msg_len = p.data[0];
	return 0;
}

/*
 * pap_encode_req - Authenticate-Request (RFC 1334 2.2.1).
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Peer-ID Length|  Peer-Id ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Passwd-Length |  Password ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
int pap_encode_req(uint8_t *buf, size_t cap, uint8_t id, const char *user,
		   const char *password)
{
	size_t ul = user ? strlen(user) : 0, pl = password ? strlen(password) : 0;
	struct cp_buf b;

	if (ul > 255 || pl > 255)
		return -EINVAL;
	cp_buf_init(&b, buf, cap, PAP_AUTH_REQ, id);
	cp_put_u8(&b, (uint8_t)ul);
	cp_put(&b, user, ul);
	cp_put_u8(&b, (uint8_t)pl);
	cp_put(&b, password, pl);
	return cp_finish(&b);
}

/*
 * chap_decode - any CHAP packet (RFC 1994 4.1, 4.2).
 *
 * Challenge and Response:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Value-Size   |  Value ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Name ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Success and Failure: the header, then a Message of Length - 4 bytes.
 * A Value-Size of zero or one running past Length is malformed.
 */
int chap_decode(const uint8_t *buf, size_t len, struct chap_pkt *out)
{
	struct cp_pkt p;
	size_t vs;
	int r;

	r = cp_decode(buf, len, &p);
	if (r)
		return r;
	memset(out, 0, sizeof(*out));
	out->code = p.code;
	out->id = p.id;
	switch (p.code) {
	case CHAP_CHALLENGE:
	case CHAP_RESPONSE:
		if (p.dlen < 1)
			return -EINVAL;
		vs = p.data[0];
		if (!vs || vs > p.dlen - 1)
			return -EINVAL;
		out->value = p.data + 1;
		out->value_len = vs;
		out->name = p.data + 1 + vs;
		out->name_len = p.dlen - 1 - vs;
		return 0;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		out->msg = p.data;
		out->msg_len = p.dlen;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

void chap_md5_response(uint8_t out[CHAP_MD5_LEN], uint8_t id, const char *secret,
		       const uint8_t *challenge, size_t challenge_len)
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, 1, &id);
	if (secret)
		md5_update(&ctx, strlen(secret), (const uint8_t *)secret);
	md5_update(&ctx, challenge_len, challenge);
	md5_digest(&ctx, CHAP_MD5_LEN, out);
	/* The context held the secret. */
	explicit_bzero(&ctx, sizeof(ctx));
}

int chap_encode_resp(uint8_t *buf, size_t cap, uint8_t id, const uint8_t *value,
		     size_t value_len, const char *name)
{
	size_t nl = name ? strlen(name) : 0;
	struct cp_buf b;

	if (!value_len || value_len > 255)
		return -EINVAL;
	cp_buf_init(&b, buf, cap, CHAP_RESPONSE, id);
	cp_put_u8(&b, (uint8_t)value_len);
	cp_put(&b, value, value_len);
	cp_put(&b, name, nl);
	return cp_finish(&b);
}

const char *auth_name(char buf[AUTH_NAME_MAX], uint16_t proto, int alg)
{
	if (proto == PPP_PAP && alg < 0)
		return "PAP";
	if (proto == PPP_CHAP && alg == CHAP_MD5)
		return "CHAP-MD5";
	if (proto == PPP_CHAP && alg == CHAP_MSCHAPV2)
		return "MS-CHAPv2";
	if (proto == PPP_CHAP && alg == 0x80)
		return "MS-CHAP";
	if (proto == 0xc227)
		return "EAP";
	if (proto == PPP_CHAP && alg >= 0)
		snprintf(buf, AUTH_NAME_MAX, "CHAP algorithm 0x%02x", (unsigned int)alg);
	else
		snprintf(buf, AUTH_NAME_MAX, "protocol 0x%04x", proto);
	return buf;
}

const char *auth_pref_name(enum ppp_auth_pref p)
{
	switch (p) {
	case PPP_AUTH_PAP:
		return "PAP";
	case PPP_AUTH_CHAP:
		return "CHAP-MD5";
	case PPP_AUTH_MSCHAPV2:
		return "MS-CHAPv2";
	default:
		return "any";
	}
}

const char *auth_pref_conf(enum ppp_auth_pref p)
{
	switch (p) {
	case PPP_AUTH_PAP:
		return "auth = pap";
	case PPP_AUTH_CHAP:
		return "auth = chap";
	case PPP_AUTH_MSCHAPV2:
		return "auth = mschapv2";
	default:
		return "auth = auto";
	}
}

/* auth_chap_name - the log prefix of the CHAP flavour in use */
static const char *auth_chap_name(const struct auth *a)
{
	return a->alg == CHAP_MSCHAPV2 ? "MS-CHAPv2" : "CHAP";
}

static unsigned int auth_timeout_ms(const struct ppp *ppp)
{
	return ppp->conf->auth_timeout_ms ? ppp->conf->auth_timeout_ms : AUTH_DEF_TIMEOUT_MS;
}

static unsigned int auth_tries(const struct ppp *ppp)
{
	return ppp->conf->auth_tries ? ppp->conf->auth_tries : AUTH_DEF_TRIES;
}

/* auth_forget - wipe what an exchange left that derives from the password */
static void auth_forget(struct auth *a)
{
	a->resp_out = false;
	explicit_bzero(a->ms_auth_chal, sizeof(a->ms_auth_chal));
	explicit_bzero(a->ms_peer_chal, sizeof(a->ms_peer_chal));
	explicit_bzero(a->ms_auth_resp, sizeof(a->ms_auth_resp));
}

/* auth_finish - report the verdict once */
static void auth_finish(struct ppp *ppp, bool ok)
{
	struct auth *a = &ppp->auth;

	tw_cancel(ppp->wheel, &a->timer);
	auth_forget(a);
	a->state = ok ? AUTH_DONE : AUTH_FAILED;
	a->succeeded = ok;
	ppp_auth_done(ppp, ok);
}

/* pap_send - (re)send Authenticate-Request with a fresh identifier */
static void pap_send(struct ppp *ppp)
{
	struct auth *a = &ppp->auth;
	uint8_t buf[CP_HDR_LEN + 2 + 255 + 255];
	int n;

	a->id++;
	n = pap_encode_req(buf, sizeof(buf), a->id, ppp->conf->user, ppp->conf->password);
	if (n < 0) {
		sl_err(ppp->label, "PAP: user name or password longer than 255 bytes");
		explicit_bzero(buf, sizeof(buf));
		auth_finish(ppp, false);
		return;
	}
	a->tries++;
	tw_arm(ppp->wheel, &a->timer, auth_timeout_ms(ppp));
	ppp_send(ppp, PPP_PAP, buf, (size_t)n);
	/* The request carried the password in clear. */
	explicit_bzero(buf, sizeof(buf));
}

/* auth_timeout - PAP retransmission, or the end of our patience */
static void auth_timeout(struct tw_timer *t)
{
	struct auth *a = container_of(t, struct auth, timer);
	struct ppp *ppp = container_of(a, struct ppp, auth);

	switch (a->state) {
	case AUTH_PAP_SENT:
		if (a->tries < auth_tries(ppp)) {
			pap_send(ppp);
			return;
		}
		sl_warn(ppp->label, "PAP: no answer to %u Authenticate-Requests", a->tries);
		break;
	case AUTH_CHAP_WAIT:
	case AUTH_CHAP_SENT:
		sl_warn(ppp->label, "%s: no Success within %u ms", auth_chap_name(a),
			auth_timeout_ms(ppp) * auth_tries(ppp));
		break;
	default:
		return;
	}
	auth_finish(ppp, false);
}

void auth_init(struct ppp *ppp)
{
	memset(&ppp->auth, 0, sizeof(ppp->auth));
	tw_timer_init(&ppp->auth.timer, auth_timeout);
}

void auth_start(struct ppp *ppp, uint16_t proto, uint8_t alg)
{
	struct auth *a = &ppp->auth;

	tw_cancel(ppp->wheel, &a->timer);
	auth_forget(a);
	a->proto = proto;
	a->alg = proto == PPP_CHAP ? alg : 0;
	a->tries = 0;
	a->succeeded = false;
	switch (proto) {
	case PPP_PAP:
		sl_info(ppp->label, "PAP: authenticating as \"%s\"", ppp->conf->user);
		a->state = AUTH_PAP_SENT;
		pap_send(ppp);
		break;
	case PPP_CHAP:
		sl_info(ppp->label, "%s: waiting for the challenge", auth_chap_name(a));
		a->state = AUTH_CHAP_WAIT;
		tw_arm(ppp->wheel, &a->timer,
		       (uint64_t)auth_timeout_ms(ppp) * auth_tries(ppp));
		break;
	default:
		a->state = AUTH_IDLE;
		break;
	}
}

void auth_stop(struct ppp *ppp)
{
	tw_cancel(ppp->wheel, &ppp->auth.timer);
	auth_forget(&ppp->auth);
	ppp->auth.state = AUTH_IDLE;
	ppp->auth.proto = 0;
	ppp->auth.alg = 0;
}

void auth_resume(struct ppp *ppp, uint16_t proto)
{
	struct auth *a = &ppp->auth;

	auth_stop(ppp);
	if (proto != PPP_PAP && proto != PPP_CHAP)
		return;
	a->proto = proto;
	a->state = AUTH_DONE;
	a->succeeded = true;
}

/* pap_input - Authenticate-Ack/Nak for our current request */
static void pap_input(struct ppp *ppp, const uint8_t *data, size_t len)
{
	struct auth *a = &ppp->auth;
	struct pap_reply rep;
	char msg[256];

	if (pap_decode(data, len, &rep)) {
		sl_debug(ppp->label, "PAP: malformed or unexpected packet dropped");
		return;
	}
	/* A busy AC may answer an earlier copy of our request after we sent
	 * the next one: any id of this exchange is an answer to it. */
	if (a->state != AUTH_PAP_SENT || (uint8_t)(a->id - rep.id) >= a->tries) {
		sl_debug(ppp->label, "PAP: reply id %u not for request %u, dropped", rep.id,
			 a->id);
		return;
	}
	log_escape(msg, sizeof(msg), rep.msg, rep.msg_len);
	if (rep.code == PAP_AUTH_ACK) {
		sl_info(ppp->label, "PAP: authenticated (\"%s\")", msg);
		auth_finish(ppp, true);
	} else {
		sl_err(ppp->label, "PAP: authentication failed: \"%s\"", msg);
		auth_finish(ppp, false);
	}
}

/* auth_random - @len unpredictable bytes: the owner's source, or the kernel's */
static void auth_random(struct ppp *ppp, uint8_t *buf, size_t len)
{
	ssize_t n;
	size_t i;

	if (ppp->ops->random) {
		ppp->ops->random(ppp, buf, len);
		return;
	}
	n = getrandom(buf, len, GRND_NONBLOCK);
	if (n == (ssize_t)len)
		return;
	/* The kernel's pool is not ready this early after boot: the magic
	 * number generator, seeded from what tells links apart, is better
	 * than nothing (a predictable peer challenge weakens only the mutual
	 * part of the check, and only against an attacker on the line). */
	sl_warn(ppp->label, "no entropy from the kernel yet: peer challenge from a weaker source");
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(lcp_magic_next(&ppp->lcp) ^ ppp->wheel->now);
}

/* chap_md5_value - the Response value of CHAP-MD5 for Challenge @c */
static int chap_md5_value(struct ppp *ppp, const struct chap_pkt *c, uint8_t *val)
{
	chap_md5_response(val, c->id, ppp->conf->password, c->value, c->value_len);
	return CHAP_MD5_LEN;
}

/*
 * chap_ms_value - the Response value of MS-CHAPv2 (RFC 2759 4):
 *
 * | Peer-Challenge (16) | Reserved, zero (8) | NT-Response (24) | Flags (1) |
 *
 * A retransmitted Challenge (same id, same value) gets the same answer,
 * our challenge included: the AC may already have verified our first
 * Response, and its Success carries the authenticator response of that
 * one. Returns the length, or -EINVAL when the Challenge is not 16 bytes
 * or the user name or password are too long for MS-CHAPv2.
 */
static int chap_ms_value(struct ppp *ppp, const struct chap_pkt *c, uint8_t *val)
{
	struct auth *a = &ppp->auth;
	const char *user = ppp->conf->user ? ppp->conf->user : "";
	const char *pw = ppp->conf->password ? ppp->conf->password : "";
	const uint8_t *name;
	size_t name_len;
	int r;

	if (c->value_len != MSCHAPV2_CHAL_LEN)
		return -EINVAL;
	if (!(a->resp_out || a->state == AUTH_DONE) || c->id != a->id ||
	    memcmp(a->ms_auth_chal, c->value, MSCHAPV2_CHAL_LEN))
		auth_random(ppp, a->ms_peer_chal, MSCHAPV2_CHAL_LEN);
	memcpy(a->ms_auth_chal, c->value, MSCHAPV2_CHAL_LEN);
	name = mschapv2_user_name((const uint8_t *)user, strlen(user), &name_len);
	memcpy(val, a->ms_peer_chal, MSCHAPV2_CHAL_LEN);
	memset(val + MSCHAPV2_CHAL_LEN, 0, 8);
	r = mschapv2_nt_response(c->value, a->ms_peer_chal, name, name_len, (const uint8_t *)pw,
				 strlen(pw), val + MSCHAPV2_CHAL_LEN + 8);
	if (!r)
		r = mschapv2_auth_response((const uint8_t *)pw, strlen(pw),
					   val + MSCHAPV2_CHAL_LEN + 8, a->ms_peer_chal, c->value,
					   name, name_len, a->ms_auth_resp);
	if (r)
		return -EINVAL;
	val[MSCHAPV2_RESP_LEN - 1] = 0; /* Flags */
	return MSCHAPV2_RESP_LEN;
}

/* chap_respond - answer one Challenge: 1 sent, 0 dropped, -EINVAL when it
 * can never be answered (the link must fail) */
static int chap_respond(struct ppp *ppp, const struct chap_pkt *c)
{
	struct auth *a = &ppp->auth;
	uint8_t buf[CP_MAX_PKT], val[MSCHAPV2_RESP_LEN];
	int n, vlen;

	if (a->alg == CHAP_MSCHAPV2)
		vlen = chap_ms_value(ppp, c, val);
	else
		vlen = chap_md5_value(ppp, c, val);
	if (vlen < 0) {
		explicit_bzero(val, sizeof(val));
		if (c->value_len != MSCHAPV2_CHAL_LEN) {
			sl_debug(ppp->label, "MS-CHAPv2: challenge of %zu bytes, not 16: dropped",
				 c->value_len);
			return 0;
		}
		sl_err(ppp->label, "MS-CHAPv2: user name or password longer than 256 characters");
		return -EINVAL;
	}
	n = chap_encode_resp(buf, sizeof(buf), c->id, val, (size_t)vlen, ppp->conf->user);
	explicit_bzero(val, sizeof(val));
	if (n < 0) {
		sl_err(ppp->label, "%s: cannot build Response (%d)", auth_chap_name(a), n);
		return 0;
	}
	a->id = c->id;
	a->resp_out = true;
	a->rx_challenges++;
	ppp_send(ppp, PPP_CHAP, buf, (size_t)n);
	/* A digest of the secret: material for an offline dictionary attack. */
	explicit_bzero(buf, (size_t)n);
	return 1;
}

/* chap_ms_success - check the authenticator response of a Success */
static bool chap_ms_success(struct ppp *ppp, const struct chap_pkt *c)
{
	struct auth *a = &ppp->auth;
	const uint8_t *m;
	size_t ml;
	char msg[256];
	int r;

	r = mschapv2_check_success(c->msg, c->msg_len, a->ms_auth_resp, &m, &ml);
	if (r == 0) {
		log_escape(msg, sizeof(msg), m, ml);
		if (a->state == AUTH_DONE)
			sl_debug(ppp->label, "MS-CHAPv2: rechallenge passed (\"%s\")", msg);
		else
			sl_info(ppp->label, "MS-CHAPv2: authenticated, and the AC proved it "
				"knows the password (\"%s\")", msg);
		return true;
	}
	log_escape(msg, sizeof(msg), c->msg, c->msg_len);
	if (r == -EACCES)
		sl_err(ppp->label, "MS-CHAPv2: the AC's Success carries a wrong authenticator "
		       "response: it does not know our password (\"%s\")", msg);
	else
		sl_err(ppp->label, "MS-CHAPv2: the AC's Success carries no authenticator "
		       "response (S=): it did not prove it knows our password (\"%s\")", msg);
	return false;
}

/* chap_ms_failure - log a Failure's error code and message */
static void chap_ms_failure(struct ppp *ppp, const struct chap_pkt *c)
{
	struct mschapv2_failure f;
	char msg[256];

	if (mschapv2_parse_failure(c->msg, c->msg_len, &f)) {
		log_escape(msg, sizeof(msg), c->msg, c->msg_len);
		sl_err(ppp->label, "MS-CHAPv2: authentication failed: \"%s\"", msg);
		return;
	}
	log_escape(msg, sizeof(msg), f.msg, f.msg_len);
	sl_err(ppp->label, "MS-CHAPv2: authentication failed: E=%ld (%s)%s: \"%s\"", f.error,
	       mschapv2_error_name(f.error),
	       f.retry == 1 ? ", retry offered but not taken" : "", msg);
}

/* chap_input - Challenge (also rechallenges), Success, Failure */
static void chap_input(struct ppp *ppp, const uint8_t *data, size_t len)
{
	struct auth *a = &ppp->auth;
	const char *name = auth_chap_name(a);
	struct chap_pkt c;
	char msg[256];
	bool ok;
	int r;

	if (chap_decode(data, len, &c)) {
		sl_debug(ppp->label, "%s: malformed or unexpected packet dropped", name);
		return;
	}
	switch (c.code) {
	case CHAP_CHALLENGE:
		if (a->state != AUTH_CHAP_WAIT && a->state != AUTH_CHAP_SENT &&
		    a->state != AUTH_DONE)
			return;
		log_escape(msg, sizeof(msg), c.name, c.name_len);
		sl_debug(ppp->label, "%s: challenge id %u from \"%s\"%s", name, c.id, msg,
			 a->state == AUTH_DONE ? " (rechallenge)" : "");
		r = chap_respond(ppp, &c);
		if (r < 0) {
			auth_finish(ppp, false);
			return;
		}
		/* A rechallenge on an up link keeps it up until Failure. */
		if (r > 0 && a->state == AUTH_CHAP_WAIT)
			a->state = AUTH_CHAP_SENT;
		break;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		if ((a->state != AUTH_CHAP_SENT && a->state != AUTH_DONE) || c.id != a->id) {
			sl_debug(ppp->label, "%s: %s id %u not for response %u, dropped", name,
				 c.code == CHAP_SUCCESS ? "Success" : "Failure", c.id, a->id);
			return;
		}
		if (c.code == CHAP_SUCCESS) {
			/* A second Success for one Response (ours crossed a
			 * retransmitted Challenge) changes nothing. */
			if (!a->resp_out)
				return;
			a->resp_out = false;
			if (a->alg == CHAP_MSCHAPV2) {
				ok = chap_ms_success(ppp, &c);
				if (!ok || a->state == AUTH_DONE) {
					if (!ok)
						auth_finish(ppp, false);
					return;
				}
			} else {
				if (a->state == AUTH_DONE)
					return;
				log_escape(msg, sizeof(msg), c.msg, c.msg_len);
				sl_info(ppp->label, "CHAP: authenticated (\"%s\")", msg);
			}
			auth_finish(ppp, true);
		} else {
			a->resp_out = false;
			if (a->alg == CHAP_MSCHAPV2) {
				chap_ms_failure(ppp, &c);
			} else {
				log_escape(msg, sizeof(msg), c.msg, c.msg_len);
				sl_err(ppp->label, "CHAP: authentication failed: \"%s\"", msg);
			}
			auth_finish(ppp, false);
		}
		break;
	default:
		/* Responses are for authenticators; we are none. */
		break;
	}
}

void auth_input(struct ppp *ppp, uint16_t proto, const uint8_t *data, size_t len)
{
	if (proto != ppp->auth.proto) {
		sl_debug(ppp->label, "auth: protocol 0x%04x not negotiated, dropped", proto);
		return;
	}
	if (proto == PPP_PAP)
		pap_input(ppp, data, len);
	else
		chap_input(ppp, data, len);
}
