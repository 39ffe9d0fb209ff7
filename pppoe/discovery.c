// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * discovery.c - PPPoE Discovery client machine (RFC 2516 section 5).
 *
 *   Idle --start--> PADI-Sent --PADO--> PADR-Sent --PADS--> Session
 *                     ^  |                  |                  |
 *                     |  +-- padi_tries ----|--> failed()      +-- PADT --> Idle
 *                     +--- padr_tries ------+
 *
 * No I/O of its own: frames go out through ops->output, time comes from
 * the shared timer wheel. Callbacks are always the last thing a handler
 * does, so an owner may restart or free the machine from inside them.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "pppoe/discovery.h"
#include "pppoe/log.h"
#include "pppoe/util.h"
#include "pppoe/wire.h"


/*
 * Defaults. RFC 2516 section 7 only says "double the waiting period" and
 * retry "as many times as desired"; 1 s first wait, capped at 16 s, gives
 * 1+2+4+8+16+16 = 47 s of PADI before we report failure.
 */
#define DISC_DEF_TIMEOUT_MS     1000
#define DISC_DEF_TIMEOUT_MAX_MS 16000
#define DISC_DEF_PADI_TRIES     6
#define DISC_DEF_PADR_TRIES     5

#define DISC_FRAME_MAX (ETH_HLEN_ + PPPOE_VLAN_MAX_TAGS * VLAN_HLEN_ + 1500)
#define DISC_SESSION_RESERVED 0xffff /* RFC 2516 section 4: reserved */

static const uint8_t disc_bcast[ETH_ALEN_] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

const char *disc_state_name(enum disc_state s)
{
	switch (s) {
	case DISC_IDLE:
		return "Idle";
	case DISC_PADI_SENT:
		return "PADI-Sent";
	case DISC_PADR_SENT:
		return "PADR-Sent";
	case DISC_SESSION:
		return "Session";
	}
	return "?";
}

static const char *disc_code_name(uint8_t code)
{
	switch (code) {
	case DISC_PADI:
		return "PADI";
	case DISC_PADO:
		return "PADO";
	case DISC_PADR:
		return "PADR";
	case DISC_PADS:
		return "PADS";
	case DISC_PADT:
		return "PADT";
	}
	return "unknown";
}

static unsigned int disc_timeout0(const struct disc *d)
{
	return d->conf->timeout_ms ? d->conf->timeout_ms : DISC_DEF_TIMEOUT_MS;
}

static unsigned int disc_timeout_max(const struct disc *d)
{
	unsigned int max = d->conf->timeout_max_ms ? d->conf->timeout_max_ms
						   : DISC_DEF_TIMEOUT_MAX_MS;

	/* A cap below the first timeout would make the first wait the longest. */
	return max < disc_timeout0(d) ? disc_timeout0(d) : max;
}

static unsigned int disc_padi_tries(const struct disc *d)
{
	return d->conf->padi_tries ? d->conf->padi_tries : DISC_DEF_PADI_TRIES;
}

static unsigned int disc_padr_tries(const struct disc *d)
{
	return d->conf->padr_tries ? d->conf->padr_tries : DISC_DEF_PADR_TRIES;
}

static const char *disc_service(const struct disc *d)
{
	return d->conf->service ? d->conf->service : "";
}

/* disc_hu_len - our Host-Uniq length, never more than the array holds */
static size_t disc_hu_len(const struct disc *d)
{
	return d->host_uniq_len < sizeof(d->host_uniq) ? d->host_uniq_len
						       : sizeof(d->host_uniq);
}

static void disc_set_state(struct disc *d, enum disc_state s)
{
	if (d->state == s)
		return;
	sl_debug(d->label, "discovery: %s -> %s", disc_state_name(d->state),
		 disc_state_name(s));
	d->state = s;
}

/* disc_forget_ac - drop everything learnt from the previous AC */
static void disc_forget_ac(struct disc *d)
{
	memset(d->ac_mac, 0, sizeof(d->ac_mac));
	d->session_id = 0;
	d->max_payload = 0;
	d->ac_cookie_len = 0;
	d->has_ac_cookie = false;
	d->relay_id_len = 0;
	d->has_relay_id = false;
	d->ac_name[0] = '\0';
}

static void disc_blob_from(struct disc_blob *b, const void *ptr, size_t len)
{
	b->ptr = ptr;
	b->len = (uint16_t)len;
	b->present = true;
}

/* disc_send - frame @p for @dst and hand it to the owner */
static int disc_send(struct disc *d, const uint8_t *dst, const struct disc_pkt *p)
{
	uint8_t frame[DISC_FRAME_MAX];
	size_t hl;
	int n, err;

	hl = pppoe_eth_hdr_encode_vlan(frame, dst, d->our_mac, &d->vlan, ETH_P_PPP_DISC_);
	n = disc_encode(frame + hl, sizeof(frame) - hl, p);
	if (n < 0) {
		sl_err(d->label, "discovery: %s does not fit in one frame",
		       disc_code_name(p->code));
		return n;
	}
	err = d->ops->output(d, frame, hl + (size_t)n);
	if (err < 0)
		/* Not fatal: the retransmit timer tries again. */
		sl_debug(d->label, "discovery: sending %s failed: %d",
			 disc_code_name(p->code), err);
	return err;
}

/* disc_base_pkt - tags every client packet carries: Service-Name, Host-Uniq */
static void disc_base_pkt(const struct disc *d, struct disc_pkt *p, uint8_t code)
{
	const char *svc = disc_service(d);

	memset(p, 0, sizeof(*p));
	p->code = code;
	disc_blob_from(&p->service_name, svc, strlen(svc));
	if (disc_hu_len(d))
		disc_blob_from(&p->host_uniq, d->host_uniq, disc_hu_len(d));
	/* RFC 4638: PADI and PADR say how large a payload we can take. */
	if (code != DISC_PADT && d->ask_max_payload > PPPOE_MRU) {
		p->has_max_payload = true;
		p->max_payload = d->ask_max_payload;
	}
}

static void disc_send_padi(struct disc *d)
{
	struct disc_pkt p;

	disc_base_pkt(d, &p, DISC_PADI);
	sl_debug(d->label, "discovery: send PADI (try %u, wait %u ms)", d->tries,
		 d->timeout_ms);
	disc_send(d, disc_bcast, &p);
}

static void disc_send_padr(struct disc *d)
{
	struct disc_pkt p;

	disc_base_pkt(d, &p, DISC_PADR);
	/* Cookie and relay id go back byte for byte (RFC 2516 appendix A). */
	if (d->has_ac_cookie)
		disc_blob_from(&p.ac_cookie, d->ac_cookie, d->ac_cookie_len);
	if (d->has_relay_id)
		disc_blob_from(&p.relay_session_id, d->relay_id, d->relay_id_len);
	sl_debug(d->label, "discovery: send PADR (try %u, wait %u ms)", d->tries,
		 d->timeout_ms);
	disc_send(d, d->ac_mac, &p);
}

/* disc_begin_padi - (re)start the PADI phase with a fresh retry budget */
static void disc_begin_padi(struct disc *d)
{
	disc_forget_ac(d);
	disc_set_state(d, DISC_PADI_SENT);
	d->tries = 1;
	d->timeout_ms = disc_timeout0(d);
	disc_send_padi(d);
	tw_arm(d->wheel, &d->timer, d->timeout_ms);
}

static void disc_backoff(struct disc *d)
{
	unsigned int max = disc_timeout_max(d);

	d->tries++;
	d->timeout_ms = d->timeout_ms > max / 2 ? max : d->timeout_ms * 2;
}

/* disc_timeout - retransmit PADI/PADR, or give up on this phase */
static void disc_timeout(struct tw_timer *t)
{
	struct disc *d = container_of(t, struct disc, timer);

	switch (d->state) {
	case DISC_PADI_SENT:
		if (d->tries >= disc_padi_tries(d)) {
			sl_warn(d->label, "discovery: no usable PADO after %u PADIs",
				d->tries);
			disc_set_state(d, DISC_IDLE);
			d->ops->failed(d, DISC_FAIL_TIMEOUT);
			return;
		}
		if (d->ops->retry)
			d->ops->retry(d);
		disc_backoff(d);
		disc_send_padi(d);
		tw_arm(d->wheel, &d->timer, d->timeout_ms);
		break;
	case DISC_PADR_SENT:
		if (d->tries >= disc_padr_tries(d)) {
			/* RFC 2516 section 7: no PADS, start over with PADI. */
			sl_warn(d->label, "discovery: no PADS from AC '%s' after %u PADRs, "
				"back to PADI", d->ac_name, d->tries);
			disc_begin_padi(d);
			return;
		}
		if (d->ops->retry)
			d->ops->retry(d);
		disc_backoff(d);
		disc_send_padr(d);
		tw_arm(d->wheel, &d->timer, d->timeout_ms);
		break;
	case DISC_IDLE:
	case DISC_SESSION:
		break;
	}
}

void disc_init(struct disc *d, const struct disc_conf *conf, const struct disc_ops *ops,
	       struct tw_wheel *wheel, const uint8_t our_mac[6], const char *label, void *ctx)
{
	memset(d, 0, sizeof(*d));
	d->conf = conf;
	d->ops = ops;
	d->wheel = wheel;
	d->label = label;
	d->ctx = ctx;
	memcpy(d->our_mac, our_mac, ETH_ALEN_);
	tw_timer_init(&d->timer, disc_timeout);
	d->state = DISC_IDLE;
}

void disc_start(struct disc *d)
{
	tw_cancel(d->wheel, &d->timer);
	disc_begin_padi(d);
}

int disc_resume(struct disc *d, const uint8_t ac_mac[6], uint16_t session_id,
		const char *ac_name)
{
	if (d->state != DISC_IDLE)
		return -EBUSY;
	if (!session_id || session_id == DISC_SESSION_RESERVED || (ac_mac[0] & 1))
		return -EINVAL;
	disc_forget_ac(d);
	memcpy(d->ac_mac, ac_mac, ETH_ALEN_);
	d->session_id = session_id;
	d->max_payload = 0;
	snprintf(d->ac_name, sizeof(d->ac_name), "%s", ac_name ? ac_name : "");
	disc_set_state(d, DISC_SESSION);
	return 0;
}

void disc_stop(struct disc *d)
{
	tw_cancel(d->wheel, &d->timer);
	disc_set_state(d, DISC_IDLE);
	disc_forget_ac(d);
}

static bool disc_mac_eq(const uint8_t *a, const uint8_t *b)
{
	return !memcmp(a, b, ETH_ALEN_);
}

static bool disc_host_uniq_ok(const struct disc *d, const struct disc_pkt *p)
{
	/* Without a Host-Uniq of ours there is nothing to match against. */
	if (!disc_hu_len(d))
		return true;
	return p->host_uniq.present && p->host_uniq.len == disc_hu_len(d) &&
	       !memcmp(p->host_uniq.ptr, d->host_uniq, disc_hu_len(d));
}

/* disc_log_error - log one error tag if present (its text is peer data) */
static bool disc_log_error(const struct disc *d, const char *what, const char *name,
			   const struct disc_blob *b)
{
	char esc[256];

	if (!b->present)
		return false;
	sl_warn(d->label, "discovery: %s with %s \"%s\"", what, name,
		log_escape(esc, sizeof(esc), b->ptr, b->len));
	return true;
}

/* disc_log_errors - log every error tag of @p; true if there was one */
static bool disc_log_errors(const struct disc *d, const struct disc_pkt *p, const char *what)
{
	bool any = false;

	any |= disc_log_error(d, what, "Service-Name-Error", &p->service_name_error);
	any |= disc_log_error(d, what, "AC-System-Error", &p->ac_system_error);
	any |= disc_log_error(d, what, "Generic-Error", &p->generic_error);
	return any;
}

/* disc_rx_pado - PADI-Sent: take the first acceptable offer, send PADR */
static void disc_rx_pado(struct disc *d, const uint8_t *src, const struct disc_pkt *p)
{
	const char *svc = disc_service(d);
	size_t svc_len = strlen(svc);
	char mac[LOG_MAC_LEN];

	if (src[0] & 1) {
		sl_debug(d->label, "discovery: PADO from a multicast source, ignored");
		return;
	}
	if (!disc_host_uniq_ok(d, p)) {
		sl_debug(d->label, "discovery: PADO for another Host-Uniq, ignored");
		return;
	}
	if (d->conf->has_ac_mac && !disc_mac_eq(src, d->conf->ac_mac)) {
		sl_debug(d->label, "discovery: PADO from %s, not the AC configured, ignored",
			 log_mac(mac, src));
		return;
	}
	if (!p->ac_name.present) {
		sl_debug(d->label, "discovery: PADO without AC-Name, ignored");
		return;
	}
	if (d->conf->ac_name &&
	    (p->ac_name.len != strlen(d->conf->ac_name) ||
	     memcmp(p->ac_name.ptr, d->conf->ac_name, p->ac_name.len))) {
		sl_debug(d->label, "discovery: PADO from another AC-Name, ignored");
		return;
	}
	/* Only now: errors from ACs we would not pick anyway are not news. */
	if (disc_log_errors(d, p, "PADO"))
		return;
	/* An AC may list several services; any one equal to ours will do. */
	if (svc_len && !disc_pkt_has_tag(p, TAG_SERVICE_NAME, svc, svc_len)) {
		sl_debug(d->label, "discovery: PADO does not offer our Service-Name");
		return;
	}
	if ((p->ac_cookie.present && p->ac_cookie.len > DISC_MAX_TAG) ||
	    (p->relay_session_id.present && p->relay_session_id.len > DISC_MAX_TAG)) {
		/* Echoing a truncated cookie would be wrong: skip this AC. */
		sl_warn(d->label, "discovery: PADO with AC-Cookie (%u) or "
			"Relay-Session-Id (%u) over %d bytes, ignored",
			p->ac_cookie.len, p->relay_session_id.len, DISC_MAX_TAG);
		return;
	}

	memcpy(d->ac_mac, src, ETH_ALEN_);
	d->has_ac_cookie = p->ac_cookie.present;
	d->ac_cookie_len = p->ac_cookie.len;
	if (p->ac_cookie.len)
		memcpy(d->ac_cookie, p->ac_cookie.ptr, p->ac_cookie.len);
	d->has_relay_id = p->relay_session_id.present;
	d->relay_id_len = p->relay_session_id.len;
	if (p->relay_session_id.len)
		memcpy(d->relay_id, p->relay_session_id.ptr, p->relay_session_id.len);
	log_escape(d->ac_name, sizeof(d->ac_name), p->ac_name.ptr, p->ac_name.len);
	sl_debug(d->label, "discovery: PADO from AC '%s' (%s) accepted", d->ac_name,
		 log_mac(mac, src));

	tw_cancel(d->wheel, &d->timer);
	disc_set_state(d, DISC_PADR_SENT);
	d->tries = 1;
	d->timeout_ms = disc_timeout0(d);
	disc_send_padr(d);
	tw_arm(d->wheel, &d->timer, d->timeout_ms);
}

/*
 * disc_agreed_payload - RFC 4638: a payload above 1492 only if we asked for
 * it and the PADS answers with the tag; never more than we asked, nor less
 * than 1492 (0 = plain 1492). A tag we did not ask for is ignored.
 */
static uint16_t disc_agreed_payload(const struct disc *d, const struct disc_pkt *p)
{
	if (d->ask_max_payload <= PPPOE_MRU || !p->has_max_payload ||
	    p->max_payload <= PPPOE_MRU)
		return 0;
	return p->max_payload < d->ask_max_payload ? p->max_payload : d->ask_max_payload;
}

/* disc_rx_pads - PADR-Sent: the AC confirms (or refuses) our session */
static void disc_rx_pads(struct disc *d, const uint8_t *src, const struct disc_pkt *p)
{
	char mac[LOG_MAC_LEN];
	bool errs;

	if (!disc_mac_eq(src, d->ac_mac)) {
		sl_debug(d->label, "discovery: PADS from another AC, ignored");
		return;
	}
	if (!disc_host_uniq_ok(d, p)) {
		sl_debug(d->label, "discovery: PADS for another Host-Uniq, ignored");
		return;
	}
	errs = disc_log_errors(d, p, "PADS");
	if (errs || p->session_id == 0 || p->session_id == DISC_SESSION_RESERVED) {
		if (!errs)
			sl_warn(d->label, "discovery: PADS with invalid session id 0x%04x",
				p->session_id);
		tw_cancel(d->wheel, &d->timer);
		disc_set_state(d, DISC_IDLE);
		d->ops->failed(d, DISC_FAIL_ERROR_TAG);
		return;
	}
	tw_cancel(d->wheel, &d->timer);
	d->session_id = p->session_id;
	d->max_payload = disc_agreed_payload(d, p);
	disc_set_state(d, DISC_SESSION);
	sl_info(d->label, "PPPoE session 0x%04x with AC '%s' (%s)", d->session_id, d->ac_name,
		log_mac(mac, d->ac_mac));
	if (d->ask_max_payload > PPPOE_MRU && d->max_payload)
		sl_info(d->label, "discovery: PPP-Max-Payload %u agreed (RFC 4638)", d->max_payload);
	else if (d->ask_max_payload > PPPOE_MRU)
		sl_info(d->label, "discovery: the AC did not agree to PPP-Max-Payload %u "
			"(%s): MRU %u", d->ask_max_payload,
			p->has_max_payload ? "it answered a smaller value" : "no tag in its PADS",
			PPPOE_MRU);
	d->ops->established(d);
}

/* disc_rx_padt - Session: the AC tears our session down */
static void disc_rx_padt(struct disc *d, const uint8_t *src, const struct disc_pkt *p)
{
	char esc[256], mac[LOG_MAC_LEN];

	if (!disc_mac_eq(src, d->ac_mac) || p->session_id != d->session_id) {
		sl_debug(d->label, "discovery: PADT for session 0x%04x from %s is not ours, ignored",
			 p->session_id, log_mac(mac, src));
		return;
	}
	sl_info(d->label, "PPPoE session 0x%04x terminated by the AC%s%s%s",
		d->session_id, p->generic_error.present ? ": \"" : "",
		p->generic_error.present ?
		log_escape(esc, sizeof(esc), p->generic_error.ptr, p->generic_error.len) : "",
		p->generic_error.present ? "\"" : "");
	tw_cancel(d->wheel, &d->timer);
	disc_set_state(d, DISC_IDLE);
	/* session_id/ac_mac stay readable in the callback; disc_start clears them. */
	d->ops->terminated(d);
}

/*
 * disc_rx_unwanted_pads - a PADS we no longer wait for: an AC that is slow
 * to answer opens one session per PADR we retransmitted. Each of them holds
 * a session (and a pppd) at the AC until it times out, which slows the AC
 * further; a PADT releases it at once. Our own current session is never
 * released this way, and neither is anything a PADS with another Host-Uniq
 * names: with one MAC for many sessions, a forged PADS naming a sibling's
 * session id would otherwise make us end the sibling's session.
 */
static void disc_rx_unwanted_pads(struct disc *d, const uint8_t *src, const struct disc_pkt *p)
{
	struct disc_pkt t;
	uint8_t frame[DISC_FRAME_MAX];
	size_t hl;
	int n;

	if (!p->session_id || p->session_id == DISC_SESSION_RESERVED || !p->host_uniq.present)
		return;
	/* Only an answer to one of our own PADRs: a whole Host-Uniq, nonce
	 * included, that a forger sharing our MAC's demux cannot guess. */
	if (p->host_uniq.len != d->host_uniq_len ||
	    memcmp(p->host_uniq.ptr, d->host_uniq, d->host_uniq_len))
		return;
	if (d->state == DISC_SESSION && p->session_id == d->session_id &&
	    disc_mac_eq(src, d->ac_mac))
		return;
	memset(&t, 0, sizeof(t));
	t.code = DISC_PADT;
	t.session_id = p->session_id;
	disc_blob_from(&t.host_uniq, p->host_uniq.ptr, p->host_uniq.len);
	disc_blob_from(&t.generic_error, "duplicate session", 17);
	hl = pppoe_eth_hdr_encode_vlan(frame, src, d->our_mac, &d->vlan, ETH_P_PPP_DISC_);
	n = disc_encode(frame + hl, sizeof(frame) - hl, &t);
	if (n < 0)
		return;
	sl_info(d->label, "discovery: PADS for session 0x%04x not wanted (state %s): released "
		"with PADT", p->session_id, disc_state_name(d->state));
	d->ops->output(d, frame, hl + (size_t)n);
}

void disc_input(struct disc *d, const struct pppoe_frame *f, const struct disc_pkt *p)
{
	/* Every packet we accept is unicast to this machine's own MAC. */
	if (!disc_mac_eq(f->dst, d->our_mac)) {
		sl_debug(d->label, "discovery: %s not addressed to us, ignored",
			 disc_code_name(p->code));
		return;
	}
	/* The same MAC may dial on several VLANs: another VLAN's answer is
	 * not ours, even with our Host-Uniq (RFC 2516 knows no VLANs). */
	if (!pppoe_vlan_same(&f->vlan, &d->vlan)) {
		sl_debug(d->label, "discovery: %s on another VLAN, ignored",
			 disc_code_name(p->code));
		return;
	}

	if (d->state == DISC_PADI_SENT && p->code == DISC_PADO)
		disc_rx_pado(d, f->src, p);
	else if (d->state == DISC_PADR_SENT && p->code == DISC_PADS)
		disc_rx_pads(d, f->src, p);
	else if (d->state == DISC_SESSION && p->code == DISC_PADT)
		disc_rx_padt(d, f->src, p);
	else if (p->code == DISC_PADS)
		disc_rx_unwanted_pads(d, f->src, p);
	else
		sl_debug(d->label, "discovery: %s in state %s, ignored",
			 disc_code_name(p->code), disc_state_name(d->state));
}

void disc_send_padt(struct disc *d, const char *reason)
{
	struct disc_pkt p;

	if (d->state != DISC_SESSION)
		return;
	memset(&p, 0, sizeof(p));
	p.code = DISC_PADT;
	p.session_id = d->session_id;
	if (disc_hu_len(d))
		disc_blob_from(&p.host_uniq, d->host_uniq, disc_hu_len(d));
	/* A relay needs its id to route the PADT back to the AC. */
	if (d->has_relay_id)
		disc_blob_from(&p.relay_session_id, d->relay_id, d->relay_id_len);
	if (reason && *reason)
		disc_blob_from(&p.generic_error, reason, strnlen(reason, 255));
	sl_debug(d->label, "discovery: send PADT for session 0x%04x", d->session_id);
	disc_send(d, d->ac_mac, &p);
	tw_cancel(d->wheel, &d->timer);
	disc_set_state(d, DISC_IDLE);
	disc_forget_ac(d);
}
