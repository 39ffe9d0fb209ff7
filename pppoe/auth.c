// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * auth.c - authenticate ourselves to the access concentrator: PAP
 * (RFC 1334 section 2) or CHAP with MD5 (RFC 1994), whichever the peer
 * asked for in its LCP Configure-Request.
 *
 * PAP retransmits the Authenticate-Request every auth_timeout_ms, at most
 * auth_tries times. CHAP is driven by the peer's Challenges (the
 * authenticator retransmits, RFC 1994 4.1), so we only bound the whole
 * exchange: auth_timeout_ms * auth_tries without Success fails it, the
 * same total time PAP gets.
 */
#include <errno.h>
#include <string.h>

#include <nettle/md5.h>

#include "pppoe/auth.h"
#include "pppoe/cp.h"
#include "pppoe/log.h"
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

static unsigned int auth_timeout_ms(const struct ppp *ppp)
{
	return ppp->conf->auth_timeout_ms ? ppp->conf->auth_timeout_ms : AUTH_DEF_TIMEOUT_MS;
}

static unsigned int auth_tries(const struct ppp *ppp)
{
	return ppp->conf->auth_tries ? ppp->conf->auth_tries : AUTH_DEF_TRIES;
}

/* auth_finish - report the verdict once */
static void auth_finish(struct ppp *ppp, bool ok)
{
	struct auth *a = &ppp->auth;

	tw_cancel(ppp->wheel, &a->timer);
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
		sl_warn(ppp->label, "CHAP: no Success within %u ms",
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

void auth_start(struct ppp *ppp, uint16_t proto)
{
	struct auth *a = &ppp->auth;

	tw_cancel(ppp->wheel, &a->timer);
	a->proto = proto;
	a->tries = 0;
	a->succeeded = false;
	switch (proto) {
	case PPP_PAP:
		sl_info(ppp->label, "PAP: authenticating as \"%s\"", ppp->conf->user);
		a->state = AUTH_PAP_SENT;
		pap_send(ppp);
		break;
	case PPP_CHAP:
		sl_info(ppp->label, "CHAP: waiting for the challenge");
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
	ppp->auth.state = AUTH_IDLE;
	ppp->auth.proto = 0;
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

/* chap_respond - answer one Challenge */
static void chap_respond(struct ppp *ppp, const struct chap_pkt *c)
{
	struct auth *a = &ppp->auth;
	uint8_t buf[CP_MAX_PKT], digest[CHAP_MD5_LEN];
	int n;

	chap_md5_response(digest, c->id, ppp->conf->password, c->value, c->value_len);
	n = chap_encode_resp(buf, sizeof(buf), c->id, digest, sizeof(digest), ppp->conf->user);
	explicit_bzero(digest, sizeof(digest));
	if (n < 0) {
		sl_err(ppp->label, "CHAP: cannot build Response (%d)", n);
		return;
	}
	a->id = c->id;
	a->rx_challenges++;
	ppp_send(ppp, PPP_CHAP, buf, (size_t)n);
	/* A digest of the secret: material for an offline dictionary attack. */
	explicit_bzero(buf, (size_t)n);
}

/* chap_input - Challenge (also rechallenges), Success, Failure */
static void chap_input(struct ppp *ppp, const uint8_t *data, size_t len)
{
	struct auth *a = &ppp->auth;
	struct chap_pkt c;
	char msg[256];

	if (chap_decode(data, len, &c)) {
		sl_debug(ppp->label, "CHAP: malformed or unexpected packet dropped");
		return;
	}
	switch (c.code) {
	case CHAP_CHALLENGE:
		if (a->state != AUTH_CHAP_WAIT && a->state != AUTH_CHAP_SENT &&
		    a->state != AUTH_DONE)
			return;
		log_escape(msg, sizeof(msg), c.name, c.name_len);
		sl_debug(ppp->label, "CHAP: challenge id %u from \"%s\"%s", c.id, msg,
			 a->state == AUTH_DONE ? " (rechallenge)" : "");
		chap_respond(ppp, &c);
		/* A rechallenge on an up link keeps it up until Failure. */
		if (a->state == AUTH_CHAP_WAIT)
			a->state = AUTH_CHAP_SENT;
		break;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		if ((a->state != AUTH_CHAP_SENT && a->state != AUTH_DONE) || c.id != a->id) {
			sl_debug(ppp->label, "CHAP: %s id %u not for response %u, dropped",
				 c.code == CHAP_SUCCESS ? "Success" : "Failure", c.id, a->id);
			return;
		}
		log_escape(msg, sizeof(msg), c.msg, c.msg_len);
		if (c.code == CHAP_SUCCESS) {
			if (a->state == AUTH_DONE)
				return;
			sl_info(ppp->label, "CHAP: authenticated (\"%s\")", msg);
			auth_finish(ppp, true);
		} else {
			sl_err(ppp->label, "CHAP: authentication failed: \"%s\"", msg);
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
