// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * disc_codec.c - PPPoE Discovery packet codec (RFC 2516 section 5 and
 * appendix A): header plus TLV tag list. Pure functions, no I/O.
 */
#include <errno.h>
#include <string.h>

#include "pppoe/discovery.h"
#include "pppoe/wire.h"

#define DISC_VER_TYPE  0x11
#define DISC_TAG_HLEN  4

/* disc_blob_set - record a tag value unless an earlier copy was kept */
static void disc_blob_set(struct disc_blob *b, const uint8_t *ptr, uint16_t len)
{
	/* Duplicates: the first one wins, later ones cannot override it. */
	if (b->present)
		return;
	b->ptr = ptr;
	b->len = len;
	b->present = true;
}

/*
 * disc_decode - parse the PPPoE header and tag list of a discovery packet.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  VER  | TYPE  |      CODE     |          SESSION_ID           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            LENGTH             |          TAG_TYPE             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          TAG_LENGTH           |          TAG_VALUE ...        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * LENGTH bounds the tag list; bytes after it (Ethernet padding) are not
 * looked at. A tag whose header or value would cross LENGTH makes the
 * whole packet invalid (-EMSGSIZE) rather than being truncated: a
 * half-parsed cookie echoed back is worse than no answer.
 */
int disc_decode(const uint8_t *buf, size_t len, struct disc_pkt *out)
{
	const uint8_t *p, *end;
	uint16_t plen, type, tlen;

	memset(out, 0, sizeof(*out));
	if (len < PPPOE_HLEN)
		return -EMSGSIZE;
	if (buf[0] != DISC_VER_TYPE)
		return -EINVAL;
	plen = pppoe_get16(buf + 4);
	if (plen > len - PPPOE_HLEN)
		return -EMSGSIZE;
	out->code = buf[1];
	out->session_id = pppoe_get16(buf + 2);

	p = buf + PPPOE_HLEN;
	end = p + plen;
	out->tags = p;
	while (p < end) {
		if ((size_t)(end - p) < DISC_TAG_HLEN)
			return -EMSGSIZE;
		type = pppoe_get16(p);
		tlen = pppoe_get16(p + 2);
		if (type == TAG_END_OF_LIST)
			break;
		if (tlen > (size_t)(end - p) - DISC_TAG_HLEN)
			return -EMSGSIZE;
		switch (type) {
		case TAG_SERVICE_NAME:
			disc_blob_set(&out->service_name, p + 4, tlen);
			break;
		case TAG_AC_NAME:
			disc_blob_set(&out->ac_name, p + 4, tlen);
			break;
		case TAG_HOST_UNIQ:
			disc_blob_set(&out->host_uniq, p + 4, tlen);
			break;
		case TAG_AC_COOKIE:
			disc_blob_set(&out->ac_cookie, p + 4, tlen);
			break;
		case TAG_RELAY_SESSION_ID:
			disc_blob_set(&out->relay_session_id, p + 4, tlen);
			break;
		case TAG_SERVICE_NAME_ERROR:
			disc_blob_set(&out->service_name_error, p + 4, tlen);
			break;
		case TAG_AC_SYSTEM_ERROR:
			disc_blob_set(&out->ac_system_error, p + 4, tlen);
			break;
		case TAG_GENERIC_ERROR:
			disc_blob_set(&out->generic_error, p + 4, tlen);
			break;
		case TAG_PPP_MAX_PAYLOAD:
			/* RFC 4638: a 16-bit value, any other size is malformed. */
			if (tlen != 2)
				return -EINVAL;
			if (!out->has_max_payload) {
				out->has_max_payload = true;
				out->max_payload = pppoe_get16(p + 4);
			}
			break;
		default:
			/* Vendor-Specific and unknown tags are skipped. */
			break;
		}
		p += DISC_TAG_HLEN + tlen;
	}
	out->tags_len = (uint16_t)(p - out->tags);
	return 0;
}

bool disc_pkt_has_tag(const struct disc_pkt *pkt, uint16_t type, const void *val,
		      size_t vlen)
{
	const uint8_t *p = pkt->tags, *end;
	uint16_t t, tlen;

	if (!p)
		return false;
	end = p + pkt->tags_len;
	/* disc_decode validated this list; check again, it is cheap. */
	while ((size_t)(end - p) >= DISC_TAG_HLEN) {
		t = pppoe_get16(p);
		tlen = pppoe_get16(p + 2);
		if (t == TAG_END_OF_LIST || tlen > (size_t)(end - p) - DISC_TAG_HLEN)
			break;
		if (t == type && tlen == vlen && (!vlen || !memcmp(p + 4, val, vlen)))
			return true;
		p += DISC_TAG_HLEN + tlen;
	}
	return false;
}

/* disc_put_tag - append one tag at @*off, or -ENOSPC */
static int disc_put_tag(uint8_t *buf, size_t cap, size_t *off, uint16_t type,
			const uint8_t *val, uint16_t len)
{
	if (cap - *off < (size_t)DISC_TAG_HLEN + len)
		return -ENOSPC;
	pppoe_put16(buf + *off, type);
	pppoe_put16(buf + *off + 2, len);
	if (len)
		memcpy(buf + *off + 4, val, len);
	*off += DISC_TAG_HLEN + len;
	return 0;
}

static int disc_put_blob(uint8_t *buf, size_t cap, size_t *off, uint16_t type,
			 const struct disc_blob *b)
{
	if (!b->present)
		return 0;
	return disc_put_tag(buf, cap, off, type, b->ptr, b->len);
}

/*
 * disc_encode - write the PPPoE header and tags of @in.
 *
 * Fixed order (Service-Name first, as every AC expects to find it, then
 * Host-Uniq, AC-Cookie, Relay-Session-Id, PPP-Max-Payload, the rest) so the
 * bytes on the wire are predictable and testable. PADI and PADR always
 * carry a Service-Name (RFC 2516 5.1/5.3), zero-length meaning "any".
 */
int disc_encode(uint8_t *buf, size_t cap, const struct disc_pkt *in)
{
	uint8_t mp[2];
	size_t off = PPPOE_HLEN;
	int err = 0;

	if (cap < PPPOE_HLEN)
		return -ENOSPC;
	/* LENGTH is 16 bits: never produce more than it can describe. */
	if (cap > PPPOE_HLEN + (size_t)UINT16_MAX)
		cap = PPPOE_HLEN + (size_t)UINT16_MAX;

	if (in->service_name.present)
		err = disc_put_blob(buf, cap, &off, TAG_SERVICE_NAME, &in->service_name);
	else if (in->code == DISC_PADI || in->code == DISC_PADR)
		err = disc_put_tag(buf, cap, &off, TAG_SERVICE_NAME, NULL, 0);
	err = err ?: disc_put_blob(buf, cap, &off, TAG_HOST_UNIQ, &in->host_uniq);
	err = err ?: disc_put_blob(buf, cap, &off, TAG_AC_COOKIE, &in->ac_cookie);
	err = err ?: disc_put_blob(buf, cap, &off, TAG_RELAY_SESSION_ID,
				   &in->relay_session_id);
	if (!err && in->has_max_payload) {
		pppoe_put16(mp, in->max_payload);
		err = disc_put_tag(buf, cap, &off, TAG_PPP_MAX_PAYLOAD, mp, 2);
	}
	err = err ?: disc_put_blob(buf, cap, &off, TAG_AC_NAME, &in->ac_name);
	err = err ?: disc_put_blob(buf, cap, &off, TAG_SERVICE_NAME_ERROR,
				   &in->service_name_error);
	err = err ?: disc_put_blob(buf, cap, &off, TAG_AC_SYSTEM_ERROR,
				   &in->ac_system_error);
	err = err ?: disc_put_blob(buf, cap, &off, TAG_GENERIC_ERROR, &in->generic_error);
	if (err)
		return err;

	buf[0] = DISC_VER_TYPE;
	buf[1] = in->code;
	pppoe_put16(buf + 2, in->session_id);
	pppoe_put16(buf + 4, (uint16_t)(off - PPPOE_HLEN));
	return (int)off;
}

int disc_rx_decode(const uint8_t *frame, size_t len, struct pppoe_frame *f, struct disc_pkt *p)
{
	int err = pppoe_frame_decode(frame, len, f);

	if (err || f->ethertype != ETH_P_PPP_DISC_)
		return err;
	/* disc_decode wants the PPPoE header, which precedes the payload. */
	return disc_decode(f->payload - PPPOE_HLEN, PPPOE_HLEN + (size_t)f->payload_len, p);
}
