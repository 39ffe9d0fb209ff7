/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * discovery.h - PPPoE Discovery stage (RFC 2516 section 5), client side.
 *
 * The tag codec (disc_decode/disc_encode) is pure. The client machine
 * (struct disc) sends PADI, picks a PADO, sends PADR, accepts PADS, and
 * sends/receives PADT. It never does I/O itself: frames go out through
 * ops->output, timers come from the shared timer wheel.
 */
#ifndef PPPOE_DISCOVERY_H
#define PPPOE_DISCOVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pppoe/timer.h"
#include "pppoe/wire.h"

enum disc_code {
	DISC_PADI = 0x09,
	DISC_PADO = 0x07,
	DISC_PADR = 0x19,
	DISC_PADS = 0x65,
	DISC_PADT = 0xa7,
};

enum disc_tag_type {
	TAG_END_OF_LIST = 0x0000,
	TAG_SERVICE_NAME = 0x0101,
	TAG_AC_NAME = 0x0102,
	TAG_HOST_UNIQ = 0x0103,
	TAG_AC_COOKIE = 0x0104,
	TAG_VENDOR_SPECIFIC = 0x0105,
	TAG_RELAY_SESSION_ID = 0x0110,
	TAG_PPP_MAX_PAYLOAD = 0x0120,
	TAG_SERVICE_NAME_ERROR = 0x0201,
	TAG_AC_SYSTEM_ERROR = 0x0202,
	TAG_GENERIC_ERROR = 0x0203,
};

/* A tag value inside a received packet (points into the caller's buffer). */
struct disc_blob {
	const uint8_t *ptr;
	uint16_t len;
	bool present;
};

/* Decoded discovery packet: the tags the client cares about. */
struct disc_pkt {
	uint8_t code;
	uint16_t session_id;
	struct disc_blob service_name;
	struct disc_blob ac_name;
	struct disc_blob host_uniq;
	struct disc_blob ac_cookie;
	struct disc_blob relay_session_id;
	struct disc_blob service_name_error;
	struct disc_blob ac_system_error;
	struct disc_blob generic_error;
	bool has_max_payload;
	uint16_t max_payload;
	/*
	 * The raw tag list up to End-Of-List, set by disc_decode (already
	 * bounds checked), ignored by disc_encode: lets callers look at
	 * repeated tags, e.g. the several Service-Names of one PADO.
	 */
	const uint8_t *tags;
	uint16_t tags_len;
};

/*
 * disc_pkt_has_tag - true if the decoded packet @p carries a tag of @type
 * whose value is exactly @val/@vlen (any occurrence, not just the first).
 */
bool disc_pkt_has_tag(const struct disc_pkt *p, uint16_t type, const void *val,
		      size_t vlen);

/*
 * disc_decode - parse the PPPoE header and tag list of a discovery
 * packet (@buf starts at the PPPoE header, after Ethernet). Returns 0 or a
 * negative errno; never reads past @len or past the PPPoE LENGTH field.
 */
int disc_decode(const uint8_t *buf, size_t len, struct disc_pkt *out);

struct pppoe_frame;
/*
 * disc_rx_decode - decode a received frame once for every layer: Ethernet
 * and PPPoE headers into @f and, for a discovery frame (0x8863), its tags
 * into @p. A session frame (0x8864) leaves @p untouched. Returns 0 or the
 * negative errno of pppoe_frame_decode() or disc_decode().
 */
int disc_rx_decode(const uint8_t *frame, size_t len, struct pppoe_frame *f, struct disc_pkt *p);

/*
 * disc_encode - write the PPPoE header and the present tags of @in into
 * @buf. Returns the number of bytes written or -ENOSPC.
 */
int disc_encode(uint8_t *buf, size_t cap, const struct disc_pkt *in);

/* ---- client machine ------------------------------------------------- */

enum disc_state {
	DISC_IDLE,
	DISC_PADI_SENT,
	DISC_PADR_SENT,
	DISC_SESSION,
};

enum disc_fail {
	DISC_FAIL_TIMEOUT,     /* no usable PADO/PADS after all retries */
	DISC_FAIL_ERROR_TAG,   /* PADS with an error tag or session id 0 */
};

#define DISC_MAX_TAG 64 /* cookies, relay ids and names we keep */

struct disc;

struct disc_ops {
	/* Send one complete Ethernet frame. */
	int (*output)(struct disc *d, const uint8_t *frame, size_t len);
	/* PADS accepted: d->session_id, d->ac_mac, d->ac_name are set. */
	void (*established)(struct disc *d);
	/* Discovery gave up; the owner decides when to start again. */
	void (*failed)(struct disc *d, enum disc_fail why);
	/* The AC sent PADT for our session. */
	void (*terminated)(struct disc *d);
	/* Optional: a PADI (state PADI_SENT) or PADR (PADR_SENT) went
	 * unanswered and is about to be sent again. */
	void (*retry)(struct disc *d);
};

struct disc_conf {
	const char *service;      /* Service-Name to ask for; "" = any */
	const char *ac_name;      /* accept only PADOs from this AC; NULL = any */
	uint8_t ac_mac[6];        /* with has_ac_mac: only PADOs from this MAC */
	bool has_ac_mac;
	unsigned int timeout_ms;  /* first PADI/PADR timeout, doubled each try */
	unsigned int timeout_max_ms; /* cap of the doubling */
	unsigned int padi_tries;  /* PADIs before giving up */
	unsigned int padr_tries;  /* PADRs before going back to PADI */
};

struct disc {
	const struct disc_conf *conf;
	const struct disc_ops *ops;
	void *ctx;                /* owner */
	const char *label;        /* "session/ifname" for logs */
	struct tw_wheel *wheel;
	struct tw_timer timer;

	enum disc_state state;
	unsigned int tries;
	unsigned int timeout_ms;

	uint8_t our_mac[6];
	struct pppoe_vlan vlan;   /* our tags: set by the owner after disc_init();
				   * frames on other VLANs are not ours */
	uint8_t ac_mac[6];
	uint16_t session_id;
	uint16_t max_payload;     /* PPP-Max-Payload agreed, 0 if none */
	uint16_t ask_max_payload; /* PPP-Max-Payload to ask for (> 1492), 0 = none;
				   * set by the owner before disc_start() */

	uint8_t host_uniq[8];     /* set by the owner before disc_start() */
	uint8_t host_uniq_len;

	uint8_t ac_cookie[DISC_MAX_TAG];
	uint16_t ac_cookie_len;
	bool has_ac_cookie;
	uint8_t relay_id[DISC_MAX_TAG];
	uint16_t relay_id_len;
	bool has_relay_id;
	char ac_name[DISC_MAX_TAG + 1];   /* printable copy of the chosen AC's name */
};

/*
 * disc_init - clear @d entirely (host_uniq included) and bind it to its
 * config, callbacks and wheel. Set host_uniq/host_uniq_len after this and
 * before disc_start(). Defaults for zero conf fields: timeout_ms 1000,
 * timeout_max_ms 16000, padi_tries 6, padr_tries 5.
 */
void disc_init(struct disc *d, const struct disc_conf *conf, const struct disc_ops *ops,
	       struct tw_wheel *wheel, const uint8_t our_mac[6], const char *label, void *ctx);
/* disc_start - begin discovery: send PADI, arm the retransmit timer */
void disc_start(struct disc *d);
/* disc_input - one received discovery frame, decoded by disc_rx_decode();
 * ignored unless addressed to our MAC on our VLAN(s) */
void disc_input(struct disc *d, const struct pppoe_frame *f, const struct disc_pkt *p);
/* disc_send_padt - send PADT for the current session (if any) and go idle */
void disc_send_padt(struct disc *d, const char *reason);
/* disc_resume - in session @session_id with @ac_mac at once: a session an
 * earlier run of the owner set up (nothing is sent). -EBUSY unless idle,
 * -EINVAL for a reserved id or a multicast MAC. */
int disc_resume(struct disc *d, const uint8_t ac_mac[6], uint16_t session_id,
		const char *ac_name);
/* disc_stop - go idle silently: cancel timers, forget the session */
void disc_stop(struct disc *d);
const char *disc_state_name(enum disc_state s);

#endif
