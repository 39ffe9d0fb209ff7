/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cp.h - PPP control-protocol packet codec (RFC 1661 section 5): the
 * Code/Identifier/Length header shared by LCP, IPCP, PAP and CHAP, walking
 * a Configuration Option list, and a bounded encoder. Pure functions.
 */
#ifndef PPPOE_CP_H
#define PPPOE_CP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CP_HDR_LEN 4
#define CP_OPT_HDR_LEN 2
/* Largest control packet we build: fits any MRU the PPPoE layer allows. */
#define CP_MAX_PKT 1500

/* RFC 1661 section 5 codes (LCP uses all, NCPs only 1-7). */
enum cp_code {
	CP_CONF_REQ = 1,
	CP_CONF_ACK = 2,
	CP_CONF_NAK = 3,
	CP_CONF_REJ = 4,
	CP_TERM_REQ = 5,
	CP_TERM_ACK = 6,
	CP_CODE_REJ = 7,
	CP_PROT_REJ = 8,
	CP_ECHO_REQ = 9,
	CP_ECHO_REP = 10,
	CP_DISC_REQ = 11,
};

/* A decoded control packet; data points into the caller's buffer. */
struct cp_pkt {
	uint8_t code;
	uint8_t id;
	uint16_t len;        /* Length field: header + data */
	const uint8_t *data; /* bytes after the header, up to Length */
	size_t dlen;         /* len - CP_HDR_LEN */
};

/* One Configuration Option; val points into the caller's buffer. */
struct cp_opt {
	uint8_t type;
	uint8_t len;         /* Length field: type + length + value */
	const uint8_t *val;
	size_t vlen;         /* len - CP_OPT_HDR_LEN */
};

/* Cursor over an option list, see cp_opt_next(). */
struct cp_opt_iter {
	const uint8_t *p;
	size_t left;
};

/*
 * cp_decode - parse the control packet header of @buf.
 * Returns 0, or -EMSGSIZE if @len < 4 or Length > @len, -EINVAL if
 * Length < 4. Bytes past Length are padding and ignored (RFC 1661 5).
 */
int cp_decode(const uint8_t *buf, size_t len, struct cp_pkt *out);

/* cp_opt_iter_init - start walking the option list @buf/@len */
void cp_opt_iter_init(struct cp_opt_iter *it, const uint8_t *buf, size_t len);

/*
 * cp_opt_next - fetch the next option. Returns 1 with @out filled, 0 at
 * the end of the list, -EINVAL for an option whose Length is below 2 or
 * runs past the end of the list (the rest of the list is then unusable).
 */
int cp_opt_next(struct cp_opt_iter *it, struct cp_opt *out);

/* cp_opts_valid - is @buf/@len a well-formed option list? 0 or -EINVAL */
int cp_opts_valid(const uint8_t *buf, size_t len);

/* Bounded writer for one control packet. Errors are sticky. */
struct cp_buf {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int err;             /* 0 or -EMSGSIZE once anything did not fit */
	bool hdr;            /* starts with a header whose Length cp_finish fills */
};

/* cp_buf_init - start a packet with @code/@id in @buf (cap >= 4) */
void cp_buf_init(struct cp_buf *b, uint8_t *buf, size_t cap, uint8_t code, uint8_t id);
/* cp_buf_opts - start a bare option list (no header) in @buf */
void cp_buf_opts(struct cp_buf *b, uint8_t *buf, size_t cap);
int cp_put(struct cp_buf *b, const void *p, size_t n);
/*
 * cp_conf_verdict - the reply to a Configure-Request (RFC 1661 5.2-5.4)
 * once its options are sorted: @rej holds the rejected ones (written into
 * the reply buffer), @nak (NULL: none) the suggestions. Configure-Reject
 * if anything was rejected; else Configure-Nak, the suggestions copied
 * into @rej; else Configure-Ack, the request's @opts (@len bytes) copied.
 * The reply's options are then @rej->len bytes at @rej->buf. The code, or
 * -EINVAL if a buffer overflowed.
 */
int cp_conf_verdict(struct cp_buf *rej, const struct cp_buf *nak, const uint8_t *opts, size_t len);
int cp_put_u8(struct cp_buf *b, uint8_t v);
int cp_put_u16(struct cp_buf *b, uint16_t v);
int cp_put_u32(struct cp_buf *b, uint32_t v);
/* cp_put_opt - append option @type with a @vlen-byte value (vlen <= 253) */
int cp_put_opt(struct cp_buf *b, uint8_t type, const void *val, size_t vlen);
int cp_put_opt_u16(struct cp_buf *b, uint8_t type, uint16_t v);
int cp_put_opt_u32(struct cp_buf *b, uint8_t type, uint32_t v);
/* cp_finish - write the Length field; returns total length or -EMSGSIZE */
int cp_finish(struct cp_buf *b);

static inline uint16_t cp_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t cp_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

const char *cp_code_name(uint8_t code);

#endif
