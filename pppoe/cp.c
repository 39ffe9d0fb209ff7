// SPDX-License-Identifier: GPL-2.0-or-later
/* cp.c - PPP control packet header and option list codec (RFC 1661 5, 6) */
#include <errno.h>
#include <string.h>

#include "pppoe/cp.h"

/*
 * cp_decode - parse a control packet header.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Data ...
 * +-+-+-+-+
 *
 * Length counts the header. A packet longer than Length carries padding,
 * which RFC 1661 says to ignore; a shorter one is truncated and dropped.
 */
int cp_decode(const uint8_t *buf, size_t len, struct cp_pkt *out)
{
	uint16_t plen;

	if (len < CP_HDR_LEN)
		return -EMSGSIZE;
	plen = cp_get_u16(buf + 2);
	if (plen < CP_HDR_LEN)
		return -EINVAL;
	if (plen > len)
		return -EMSGSIZE;
	out->code = buf[0];
	out->id = buf[1];
	out->len = plen;
	out->data = buf + CP_HDR_LEN;
	out->dlen = plen - CP_HDR_LEN;
	return 0;
}

void cp_opt_iter_init(struct cp_opt_iter *it, const uint8_t *buf, size_t len)
{
	it->p = buf;
	it->left = len;
}

/*
 * cp_opt_next - one Configuration Option.
 *
 *  0                   1
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |    Length     |    Data ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Length counts Type and Length, so 0 and 1 are malformed (and 0 would
 * loop forever in a naive walker).
 */
int cp_opt_next(struct cp_opt_iter *it, struct cp_opt *out)
{
	uint8_t olen;

	if (!it->left)
		return 0;
	if (it->left < CP_OPT_HDR_LEN)
		return -EINVAL;
	olen = it->p[1];
	if (olen < CP_OPT_HDR_LEN || olen > it->left)
		return -EINVAL;
	out->type = it->p[0];
	out->len = olen;
	out->val = it->p + CP_OPT_HDR_LEN;
	out->vlen = olen - CP_OPT_HDR_LEN;
	it->p += olen;
	it->left -= olen;
	return 1;
}

int cp_opts_valid(const uint8_t *buf, size_t len)
{
	struct cp_opt_iter it;
	struct cp_opt o;
	int r;

	cp_opt_iter_init(&it, buf, len);
	while ((r = cp_opt_next(&it, &o)) > 0)
		;
	return r;
}

void cp_buf_init(struct cp_buf *b, uint8_t *buf, size_t cap, uint8_t code, uint8_t id)
{
	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	b->err = 0;
	b->hdr = true;
	if (cap < CP_HDR_LEN) {
		b->err = -EMSGSIZE;
		return;
	}
	buf[0] = code;
	buf[1] = id;
	buf[2] = 0;
	buf[3] = 0;
	b->len = CP_HDR_LEN;
}

void cp_buf_opts(struct cp_buf *b, uint8_t *buf, size_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	b->err = 0;
	b->hdr = false;
}

int cp_conf_verdict(struct cp_buf *rej, const struct cp_buf *nak, const uint8_t *opts, size_t len)
{
	int code;

	if (rej->err || (nak && nak->err))
		return -EINVAL;
	if (rej->len) {
		code = CP_CONF_REJ;
	} else if (nak && nak->len) {
		code = CP_CONF_NAK;
		cp_put(rej, nak->buf, nak->len);
	} else {
		code = CP_CONF_ACK;
		cp_put(rej, opts, len);
	}
	return rej->err ? -EINVAL : code;
}

int cp_put(struct cp_buf *b, const void *p, size_t n)
{
	if (b->err)
		return b->err;
	if (n > b->cap - b->len) {
		b->err = -EMSGSIZE;
		return b->err;
	}
	if (n)
		memcpy(b->buf + b->len, p, n);
	b->len += n;
	return 0;
}

int cp_put_u8(struct cp_buf *b, uint8_t v)
{
	return cp_put(b, &v, 1);
}

int cp_put_u16(struct cp_buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return cp_put(b, x, sizeof(x));
}

int cp_put_u32(struct cp_buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	return cp_put(b, x, sizeof(x));
}

int cp_put_opt(struct cp_buf *b, uint8_t type, const void *val, size_t vlen)
{
	uint8_t h[2];

	if (vlen > 255 - CP_OPT_HDR_LEN) {
		if (!b->err)
			b->err = -EMSGSIZE;
		return b->err;
	}
	if (b->err)
		return b->err;
	if (CP_OPT_HDR_LEN + vlen > b->cap - b->len) {
		b->err = -EMSGSIZE;
		return b->err;
	}
	h[0] = type;
	h[1] = (uint8_t)(CP_OPT_HDR_LEN + vlen);
	cp_put(b, h, sizeof(h));
	return cp_put(b, val, vlen);
}

int cp_put_opt_u16(struct cp_buf *b, uint8_t type, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return cp_put_opt(b, type, x, sizeof(x));
}

int cp_put_opt_u32(struct cp_buf *b, uint8_t type, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	return cp_put_opt(b, type, x, sizeof(x));
}

int cp_finish(struct cp_buf *b)
{
	if (b->err)
		return b->err;
	if (b->len > 0xffff)
		return -EMSGSIZE;
	if (b->hdr) {
		b->buf[2] = (uint8_t)(b->len >> 8);
		b->buf[3] = (uint8_t)b->len;
	}
	return (int)b->len;
}

const char *cp_code_name(uint8_t code)
{
	static const char *const names[] = {
		[CP_CONF_REQ] = "Configure-Request",
		[CP_CONF_ACK] = "Configure-Ack",
		[CP_CONF_NAK] = "Configure-Nak",
		[CP_CONF_REJ] = "Configure-Reject",
		[CP_TERM_REQ] = "Terminate-Request",
		[CP_TERM_ACK] = "Terminate-Ack",
		[CP_CODE_REJ] = "Code-Reject",
		[CP_PROT_REJ] = "Protocol-Reject",
		[CP_ECHO_REQ] = "Echo-Request",
		[CP_ECHO_REP] = "Echo-Reply",
		[CP_DISC_REQ] = "Discard-Request",
	};

	if (code < sizeof(names) / sizeof(names[0]) && names[code])
		return names[code];
	return "unknown";
}
