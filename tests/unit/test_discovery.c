// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_discovery.c - PPPoE Discovery: the tag codec against canned bytes,
 * and the client machine driven by a fake output and a fake clock.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pppoe/discovery.h"
#include "pppoe/log.h"
#include "pppoe/timer.h"
#include "pppoe/wire.h"

#define OUR_MAC_B  0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01
#define AC_MAC_B   0x00, 0x11, 0x22, 0x33, 0x44, 0x55
#define AC2_MAC_B  0x00, 0x11, 0x22, 0x33, 0x44, 0x66
#define BCAST_B    0xff, 0xff, 0xff, 0xff, 0xff, 0xff

static const uint8_t our_mac[6] = { OUR_MAC_B };
static const uint8_t other_mac[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x02 };
static const uint8_t ac_mac[6] = { AC_MAC_B };
static const uint8_t ac2_mac[6] = { AC2_MAC_B };
static const uint8_t bcast[6] = { BCAST_B };
static const uint8_t hu[4] = { 0xde, 0xad, 0xbe, 0xef };
static const uint8_t cookie[] = { 0xc0, 0x0c, 0x1e, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05 };
static const uint8_t relay[] = { 0x00, 0x00, 0x00, 0x2a, 0xff, 0x00 };

/* ---- codec --------------------------------------------------------- */

/* A PADO: Service-Name "isp", AC-Name "ac1", Host-Uniq, AC-Cookie 4, Relay 2. */
static const uint8_t pado_tags[] = {
	0x11, 0x07, 0x00, 0x00, 0x00, 0x24,
	0x01, 0x01, 0x00, 0x03, 'i', 's', 'p',
	0x01, 0x02, 0x00, 0x03, 'a', 'c', '1',
	0x01, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,
	0x01, 0x04, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04,
	0x01, 0x10, 0x00, 0x02, 0xab, 0xcd,
};

static void test_decode_pado(void **state)
{
	struct disc_pkt p;

	assert_int_equal(disc_decode(pado_tags, sizeof(pado_tags), &p), 0);
	assert_int_equal(p.code, DISC_PADO);
	assert_int_equal(p.session_id, 0);
	assert_true(p.service_name.present);
	assert_int_equal(p.service_name.len, 3);
	assert_ptr_equal(p.service_name.ptr, pado_tags + 10);
	assert_true(p.ac_name.present);
	assert_memory_equal(p.ac_name.ptr, "ac1", 3);
	assert_true(p.host_uniq.present);
	assert_memory_equal(p.host_uniq.ptr, hu, 4);
	assert_int_equal(p.ac_cookie.len, 4);
	assert_ptr_equal(p.ac_cookie.ptr, pado_tags + 32);
	assert_int_equal(p.relay_session_id.len, 2);
	assert_ptr_equal(p.relay_session_id.ptr, pado_tags + 40);
	assert_false(p.service_name_error.present);
	assert_false(p.ac_system_error.present);
	assert_false(p.generic_error.present);
	assert_false(p.has_max_payload);
	assert_ptr_equal(p.tags, pado_tags + 6);
	assert_int_equal(p.tags_len, 0x24);
}

static void test_decode_header_errors(void **state)
{
	uint8_t buf[sizeof(pado_tags)];
	struct disc_pkt p;
	size_t n;

	memcpy(buf, pado_tags, sizeof(buf));
	/* Truncated anywhere: header short, or LENGTH past the bytes. */
	for (n = 0; n < sizeof(buf); n++)
		assert_int_equal(disc_decode(buf, n, &p), -EMSGSIZE);
	buf[0] = 0x12;
	assert_int_equal(disc_decode(buf, sizeof(buf), &p), -EINVAL);
	buf[0] = 0x21;
	assert_int_equal(disc_decode(buf, sizeof(buf), &p), -EINVAL);
	buf[0] = 0x11;
	buf[5] = 0x25; /* LENGTH one larger than the data */
	assert_int_equal(disc_decode(buf, sizeof(buf), &p), -EMSGSIZE);
	buf[4] = 0xff;
	assert_int_equal(disc_decode(buf, sizeof(buf), &p), -EMSGSIZE);
}

static void test_decode_padding(void **state)
{
	/* LENGTH 7 covers the Service-Name; the rest (a bogus tag header) is padding. */
	static const uint8_t pkt[] = {
		0x11, 0x65, 0x12, 0x34, 0x00, 0x07,
		0x01, 0x01, 0x00, 0x03, 'i', 's', 'p',
		0x01, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00,
	};
	struct disc_pkt p;

	assert_int_equal(disc_decode(pkt, sizeof(pkt), &p), 0);
	assert_int_equal(p.code, DISC_PADS);
	assert_int_equal(p.session_id, 0x1234);
	assert_true(p.service_name.present);
	assert_false(p.ac_name.present);
	assert_int_equal(p.tags_len, 7);
	/* LENGTH 0: no tags at all, still valid. */
	assert_int_equal(disc_decode((const uint8_t[]){ 0x11, 0xa7, 0, 1, 0, 0, 0xee }, 7, &p),
			 0);
	assert_int_equal(p.code, DISC_PADT);
	assert_int_equal(p.session_id, 1);
	assert_false(p.service_name.present);
}

static void test_decode_partial_tag_header(void **state)
{
	/* 1, 2 and 3 bytes of a tag header after a valid tag, inside LENGTH. */
	uint8_t pkt[] = {
		0x11, 0x07, 0x00, 0x00, 0x00, 0x05,
		0x01, 0x01, 0x00, 0x00,
		0x01, 0x02, 0x00,
	};
	struct disc_pkt p;

	pkt[5] = 5;
	assert_int_equal(disc_decode(pkt, 11, &p), -EMSGSIZE);
	pkt[5] = 6;
	assert_int_equal(disc_decode(pkt, 12, &p), -EMSGSIZE);
	pkt[5] = 7;
	assert_int_equal(disc_decode(pkt, 13, &p), -EMSGSIZE);
	pkt[5] = 4;
	assert_int_equal(disc_decode(pkt, 13, &p), 0);
	assert_true(p.service_name.present);
	assert_int_equal(p.service_name.len, 0);
}

static void test_decode_tag_past_end(void **state)
{
	uint8_t pkt[] = {
		0x11, 0x07, 0x00, 0x00, 0x00, 0x0b,
		0x01, 0x01, 0x00, 0x00,
		0x01, 0x02, 0x00, 0x04, 'a', 'c', '1',
		'X', /* outside LENGTH, but inside the buffer */
	};
	struct disc_pkt p;

	/* AC-Name claims 4, only 3 are inside LENGTH: the byte after must not count. */
	assert_int_equal(disc_decode(pkt, sizeof(pkt), &p), -EMSGSIZE);
	pkt[13] = 3;
	assert_int_equal(disc_decode(pkt, sizeof(pkt), &p), 0);
	assert_int_equal(p.ac_name.len, 3);
	pkt[12] = 0xff;
	assert_int_equal(disc_decode(pkt, sizeof(pkt), &p), -EMSGSIZE);
	/* A very first tag running past the end. */
	pkt[8] = 0x01;
	assert_int_equal(disc_decode(pkt, sizeof(pkt), &p), -EMSGSIZE);
}

static void test_decode_end_of_list(void **state)
{
	/* After End-Of-List even a broken tag is not looked at. */
	uint8_t pkt[] = {
		0x11, 0x07, 0x00, 0x00, 0x00, 0x14,
		0x01, 0x02, 0x00, 0x02, 'a', 'c',
		0x00, 0x00, 0x00, 0x00,
		0x01, 0x01, 0x00, 0x03, 'i', 's', 'p',
		0x01, 0x04, 0xff,
	};
	struct disc_pkt p;

	assert_int_equal(disc_decode(pkt, sizeof(pkt), &p), 0);
	assert_true(p.ac_name.present);
	assert_false(p.service_name.present);
	assert_int_equal(p.tags_len, 6);
	/* The same bytes without End-Of-List: the partial header is an error. */
	pkt[12] = 0x01;
	pkt[13] = 0x05;
	assert_int_equal(disc_decode(pkt, sizeof(pkt), &p), -EMSGSIZE);
}

static void test_decode_duplicates_unknown(void **state)
{
	static const uint8_t pkt[] = {
		0x11, 0x07, 0x00, 0x00, 0x00, 0x2d,
		0x01, 0x05, 0x00, 0x04, 0x00, 0x00, 0x0d, 0xe9, /* Vendor-Specific */
		0x01, 0x02, 0x00, 0x02, 'a', '1',
		0x7f, 0x7f, 0x00, 0x01, 0x99, /* unknown */
		0x01, 0x02, 0x00, 0x02, 'a', '2',
		0x01, 0x20, 0x00, 0x02, 0x05, 0xdc,
		0x01, 0x20, 0x00, 0x02, 0x05, 0xd4,
		0x02, 0x03, 0x00, 0x00,
		0x01, 0x01, 0x00, 0x00,
	};
	struct disc_pkt p;

	assert_int_equal(disc_decode(pkt, sizeof(pkt), &p), 0);
	assert_memory_equal(p.ac_name.ptr, "a1", 2);
	assert_true(p.has_max_payload);
	assert_int_equal(p.max_payload, 1500);
	assert_true(p.generic_error.present);
	assert_int_equal(p.generic_error.len, 0);
	assert_true(p.service_name.present);
	assert_true(disc_pkt_has_tag(&p, TAG_AC_NAME, "a2", 2));
	assert_true(disc_pkt_has_tag(&p, TAG_AC_NAME, "a1", 2));
	assert_false(disc_pkt_has_tag(&p, TAG_AC_NAME, "a", 1));
	assert_true(disc_pkt_has_tag(&p, TAG_SERVICE_NAME, "", 0));
	assert_true(disc_pkt_has_tag(&p, 0x7f7f, (const uint8_t[]){ 0x99 }, 1));
}

static void test_decode_max_payload_len(void **state)
{
	uint8_t pkt[] = {
		0x11, 0x65, 0x00, 0x01, 0x00, 0x07,
		0x01, 0x20, 0x00, 0x03, 0x05, 0xdc, 0x00,
	};
	struct disc_pkt p;

	assert_int_equal(disc_decode(pkt, sizeof(pkt), &p), -EINVAL);
	pkt[9] = 1;
	pkt[5] = 5;
	assert_int_equal(disc_decode(pkt, 11, &p), -EINVAL);
	pkt[9] = 0;
	pkt[5] = 4;
	assert_int_equal(disc_decode(pkt, 10, &p), -EINVAL);
	pkt[9] = 2;
	pkt[5] = 6;
	assert_int_equal(disc_decode(pkt, 12, &p), 0);
	assert_int_equal(p.max_payload, 0x05dc);
}

static void test_encode_padi(void **state)
{
	static const uint8_t want[] = {
		0x11, 0x09, 0x00, 0x00, 0x00, 0x0c,
		0x01, 0x01, 0x00, 0x00,
		0x01, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,
	};
	struct disc_pkt in = { .code = DISC_PADI };
	uint8_t buf[64];
	size_t cap;

	in.host_uniq = (struct disc_blob){ hu, 4, true };
	assert_int_equal(disc_encode(buf, sizeof(buf), &in), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	/* Every smaller buffer is refused. */
	for (cap = 0; cap < sizeof(want); cap++)
		assert_int_equal(disc_encode(buf, cap, &in), -ENOSPC);
	assert_int_equal(disc_encode(buf, sizeof(want), &in), sizeof(want));
}

static void test_encode_order_roundtrip(void **state)
{
	/* Fields filled in an order unlike the wire order. */
	static const uint8_t want[] = {
		0x11, 0x19, 0x00, 0x00, 0x00, 0x2c,
		0x01, 0x01, 0x00, 0x03, 'i', 's', 'p',
		0x01, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,
		0x01, 0x04, 0x00, 0x02, 0xc0, 0x0c,
		0x01, 0x10, 0x00, 0x01, 0x42,
		0x01, 0x20, 0x00, 0x02, 0x05, 0xdc,
		0x01, 0x02, 0x00, 0x02, 'a', 'c',
		0x02, 0x03, 0x00, 0x02, 'n', 'o',
	};
	struct disc_pkt in = { .code = DISC_PADR }, out;
	uint8_t buf[128];
	int n;

	in.generic_error = (struct disc_blob){ (const uint8_t *)"no", 2, true };
	in.ac_name = (struct disc_blob){ (const uint8_t *)"ac", 2, true };
	in.has_max_payload = true;
	in.max_payload = 1500;
	in.relay_session_id = (struct disc_blob){ (const uint8_t *)"\x42", 1, true };
	in.ac_cookie = (struct disc_blob){ cookie, 2, true };
	in.host_uniq = (struct disc_blob){ hu, 4, true };
	in.service_name = (struct disc_blob){ (const uint8_t *)"isp", 3, true };
	n = disc_encode(buf, sizeof(buf), &in);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));

	assert_int_equal(disc_decode(buf, (size_t)n, &out), 0);
	assert_int_equal(out.code, DISC_PADR);
	assert_int_equal(out.relay_session_id.len, 1);
	assert_int_equal(out.max_payload, 1500);
	assert_memory_equal(out.generic_error.ptr, "no", 2);
	assert_int_equal(disc_encode(buf, sizeof(want) - 1, &in), -ENOSPC);
}

static void test_encode_padt(void **state)
{
	/* PADT: no implicit Service-Name, session id kept. */
	static const uint8_t want[] = { 0x11, 0xa7, 0xbe, 0xef, 0x00, 0x00 };
	struct disc_pkt in = { .code = DISC_PADT, .session_id = 0xbeef };
	uint8_t buf[16];

	assert_int_equal(disc_encode(buf, sizeof(buf), &in), 6);
	assert_memory_equal(buf, want, 6);
}

/* Oversize Host-Uniq, AC-Cookie and AC-Name: decoded whole, in bounds. */
static void test_decode_oversize_tags(void **state)
{
	static const uint16_t types[] = { TAG_HOST_UNIQ, TAG_AC_COOKIE, TAG_AC_NAME };
	static uint8_t buf[PPPOE_HLEN + 4 + 1400];
	const struct disc_blob *b;
	struct disc_pkt p;
	size_t i;

	for (i = 0; i < 3; i++) {
		memset(buf, 'o', sizeof(buf));
		memcpy(buf, "\x11\x07\x00\x00\x05\x7c", 6); /* LENGTH 1404 */
		buf[6] = (uint8_t)(types[i] >> 8);
		buf[7] = (uint8_t)types[i];
		buf[8] = 1400 >> 8;
		buf[9] = 1400 & 0xff;
		assert_int_equal(disc_decode(buf, sizeof(buf), &p), 0);
		b = types[i] == TAG_HOST_UNIQ ? &p.host_uniq :
		    types[i] == TAG_AC_COOKIE ? &p.ac_cookie : &p.ac_name;
		assert_true(b->present);
		assert_int_equal(b->len, 1400);
		assert_ptr_equal(b->ptr, buf + 10);
		/* One byte short of the value: the whole packet is refused. */
		assert_int_equal(disc_decode(buf, sizeof(buf) - 1, &p), -EMSGSIZE);
	}
}

/* ---- client machine ------------------------------------------------ */

#define MAX_OUT 64

struct out_frame {
	uint8_t b[1514];
	size_t len;
	uint64_t t;
};

static struct tctx {
	struct tw_wheel wheel;
	struct disc d;
	struct disc_conf conf;
	struct out_frame out[MAX_OUT];
	unsigned int nout;
	unsigned int established, failed, terminated;
	enum disc_fail why;
	bool restart_on_terminate;
} T;

static int fake_output(struct disc *d, const uint8_t *frame, size_t len)
{
	assert_ptr_equal(d, &T.d);
	assert_true(T.nout < MAX_OUT);
	assert_true(len <= sizeof(T.out[0].b));
	memcpy(T.out[T.nout].b, frame, len);
	T.out[T.nout].len = len;
	T.out[T.nout].t = T.wheel.now;
	T.nout++;
	return 0;
}

static void fake_established(struct disc *d)
{
	T.established++;
}

static void fake_failed(struct disc *d, enum disc_fail why)
{
	T.failed++;
	T.why = why;
}

static void fake_terminated(struct disc *d)
{
	T.terminated++;
	if (T.restart_on_terminate)
		disc_start(d);
}

static const struct disc_ops fake_ops = {
	.output = fake_output,
	.established = fake_established,
	.failed = fake_failed,
	.terminated = fake_terminated,
};

static int setup(void **state)
{
	memset(&T, 0, sizeof(T));
	tw_init(&T.wheel, 0);
	T.conf.service = "";
	disc_init(&T.d, &T.conf, &fake_ops, &T.wheel, our_mac, "test/eth0", &T);
	memcpy(T.d.host_uniq, hu, sizeof(hu));
	T.d.host_uniq_len = sizeof(hu);
	return 0;
}

/* run_until - advance the fake clock tick by tick so each timer fires on time */
static void run_until(uint64_t ms)
{
	uint64_t t;

	for (t = T.wheel.now + TW_TICK_MS; t <= ms; t += TW_TICK_MS)
		tw_advance(&T.wheel, t);
}

/* Frame builder for what the AC sends. */
struct fb {
	uint8_t b[1514];
	size_t len;
};

static void fb_init(struct fb *f, const uint8_t *dst, const uint8_t *src, uint8_t code,
		    uint16_t sid)
{
	memcpy(f->b, dst, 6);
	memcpy(f->b + 6, src, 6);
	f->b[12] = 0x88;
	f->b[13] = 0x63;
	f->b[14] = 0x11;
	f->b[15] = code;
	f->b[16] = sid >> 8;
	f->b[17] = sid & 0xff;
	f->b[18] = 0;
	f->b[19] = 0;
	f->len = 20;
}

static void fb_tag(struct fb *f, uint16_t type, const void *v, size_t len)
{
	size_t plen;

	f->b[f->len] = type >> 8;
	f->b[f->len + 1] = type & 0xff;
	f->b[f->len + 2] = (uint8_t)(len >> 8);
	f->b[f->len + 3] = (uint8_t)len;
	memcpy(f->b + f->len + 4, v, len);
	f->len += 4 + len;
	plen = f->len - 20;
	f->b[18] = (uint8_t)(plen >> 8);
	f->b[19] = (uint8_t)plen;
}

/* fb_input - decode the frame as the daemon does; a malformed one never
 * reaches the machine */
static void fb_input(struct fb *f)
{
	struct pppoe_frame pf;
	struct disc_pkt p;

	if (disc_rx_decode(f->b, f->len, &pf, &p) == 0 && pf.ethertype == ETH_P_PPP_DISC_)
		disc_input(&T.d, &pf, &p);
}

/* A good PADO from @src named @name (Service-Name "", our Host-Uniq). */
static void pado_std(struct fb *f, const uint8_t *src, const char *name)
{
	fb_init(f, our_mac, src, DISC_PADO, 0);
	fb_tag(f, TAG_SERVICE_NAME, "", 0);
	fb_tag(f, TAG_AC_NAME, name, strlen(name));
	fb_tag(f, TAG_HOST_UNIQ, hu, sizeof(hu));
}

static void pads_std(struct fb *f, uint16_t sid)
{
	fb_init(f, our_mac, ac_mac, DISC_PADS, sid);
	fb_tag(f, TAG_SERVICE_NAME, "", 0);
	fb_tag(f, TAG_HOST_UNIQ, hu, sizeof(hu));
}

/* Bring the machine to Session 0x1234 with AC "ac1" at ac_mac. */
static void to_session(void)
{
	struct fb f;

	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1");
	fb_input(&f);
	pads_std(&f, 0x1234);
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_SESSION);
	assert_int_equal(T.established, 1);
}

static void test_padi_bytes(void **state)
{
	static const uint8_t want[] = {
		BCAST_B, OUR_MAC_B, 0x88, 0x63,
		0x11, 0x09, 0x00, 0x00, 0x00, 0x0c,
		0x01, 0x01, 0x00, 0x00,
		0x01, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,
	};

	assert_int_equal(T.d.state, DISC_IDLE);
	disc_start(&T.d);
	assert_int_equal(T.d.state, DISC_PADI_SENT);
	assert_int_equal(T.nout, 1);
	assert_int_equal(T.out[0].len, sizeof(want));
	assert_memory_equal(T.out[0].b, want, sizeof(want));
	assert_true(tw_pending(&T.d.timer));
}

static void test_padi_service_no_hu(void **state)
{
	static const uint8_t want[] = {
		BCAST_B, OUR_MAC_B, 0x88, 0x63,
		0x11, 0x09, 0x00, 0x00, 0x00, 0x0c,
		0x01, 0x01, 0x00, 0x08, 'i', 'n', 't', 'e', 'r', 'n', 'e', 't',
	};

	T.conf.service = "internet";
	T.d.host_uniq_len = 0;
	disc_start(&T.d);
	assert_int_equal(T.nout, 1);
	assert_int_equal(T.out[0].len, sizeof(want));
	assert_memory_equal(T.out[0].b, want, sizeof(want));

	/* NULL service means "any" too: a zero-length Service-Name. */
	T.conf.service = NULL;
	disc_start(&T.d);
	assert_int_equal(T.nout, 2);
	assert_int_equal(T.out[1].len, 24);
	assert_int_equal(T.out[1].b[23], 0);
}

static void test_padi_retransmit_defaults(void **state)
{
	static const uint64_t when[] = { 0, 1000, 3000, 7000, 15000, 31000 };
	unsigned int i;

	disc_start(&T.d);
	run_until(46990);
	assert_int_equal(T.nout, 6);
	for (i = 0; i < 6; i++) {
		assert_int_equal(T.out[i].t, when[i]);
		/* Each retransmission is the same PADI. */
		assert_int_equal(T.out[i].len, T.out[0].len);
		assert_memory_equal(T.out[i].b, T.out[0].b, T.out[0].len);
	}
	assert_int_equal(T.failed, 0);
	assert_int_equal(T.d.state, DISC_PADI_SENT);
	run_until(47000);
	assert_int_equal(T.failed, 1);
	assert_int_equal(T.why, DISC_FAIL_TIMEOUT);
	assert_int_equal(T.d.state, DISC_IDLE);
	assert_false(tw_pending(&T.d.timer));
	run_until(200000);
	assert_int_equal(T.nout, 6);
	assert_int_equal(T.failed, 1);
}

static void test_padi_retransmit_cap(void **state)
{
	static const uint64_t when[] = { 0, 300, 900, 2100, 4100, 6100, 8100 };
	unsigned int i;

	T.conf.timeout_ms = 300;
	T.conf.timeout_max_ms = 2000;
	T.conf.padi_tries = 7;
	disc_start(&T.d);
	run_until(10090);
	assert_int_equal(T.nout, 7);
	for (i = 0; i < 7; i++)
		assert_int_equal(T.out[i].t, when[i]);
	assert_int_equal(T.failed, 0);
	run_until(10100);
	assert_int_equal(T.failed, 1);
	assert_int_equal(T.nout, 7);
}

static void test_padi_one_try(void **state)
{
	T.conf.padi_tries = 1;
	T.conf.timeout_ms = 500;
	disc_start(&T.d);
	run_until(490);
	assert_int_equal(T.failed, 0);
	run_until(500);
	assert_int_equal(T.failed, 1);
	assert_int_equal(T.nout, 1);
	/* The owner may start again after failure; the budget is fresh. */
	disc_start(&T.d);
	assert_int_equal(T.nout, 2);
	assert_int_equal(T.d.state, DISC_PADI_SENT);
	run_until(1000);
	assert_int_equal(T.failed, 2);
}

/* expect_ignored - @f must not change state nor send anything */
#define expect_ignored(f) expect_ignored_at(f, __LINE__)
static void expect_ignored_at(struct fb *f, int line)
{
	unsigned int n = T.nout;
	enum disc_state s = T.d.state;

	fb_input(f);
	if (T.nout != n)
		fail_msg("line %d: %u frame(s) sent", line, T.nout - n);
	assert_int_equal(T.d.state, s);
}

/*
 * expect_released - a PADS we do not want: state unchanged, and exactly
 * one PADT for its session id back to the AC that sent it, so the AC does
 * not keep a session (and its pppd) for a PADR we retransmitted.
 */
static void expect_released(struct fb *f, uint16_t sid)
{
	unsigned int n = T.nout;
	enum disc_state s = T.d.state;
	const uint8_t *o;

	fb_input(f);
	assert_int_equal(T.d.state, s);
	assert_int_equal(T.nout, n + 1);
	o = T.out[n].b;
	assert_memory_equal(o, f->b + 6, 6);     /* to the AC */
	assert_memory_equal(o + 6, our_mac, 6);  /* from us */
	assert_int_equal(o[12] << 8 | o[13], 0x8863);
	assert_int_equal(o[15], DISC_PADT);
	assert_int_equal(o[16] << 8 | o[17], sid);
}

static void test_pado_filter_host_uniq(void **state)
{
	static const uint8_t hu_bad[4] = { 0xde, 0xad, 0xbe, 0xee };
	struct fb f;

	disc_start(&T.d);
	fb_init(&f, our_mac, ac_mac, DISC_PADO, 0);
	fb_tag(&f, TAG_SERVICE_NAME, "", 0);
	fb_tag(&f, TAG_AC_NAME, "ac1", 3);
	expect_ignored(&f); /* no Host-Uniq at all */
	fb_tag(&f, TAG_HOST_UNIQ, hu_bad, 4);
	expect_ignored(&f);
	fb_init(&f, our_mac, ac_mac, DISC_PADO, 0);
	fb_tag(&f, TAG_AC_NAME, "ac1", 3);
	fb_tag(&f, TAG_HOST_UNIQ, hu, 3); /* a prefix of ours */
	expect_ignored(&f);
	fb_init(&f, our_mac, ac_mac, DISC_PADO, 0);
	fb_tag(&f, TAG_AC_NAME, "ac1", 3);
	fb_tag(&f, TAG_HOST_UNIQ, (const uint8_t[]){ 0xde, 0xad, 0xbe, 0xef, 0 }, 5);
	expect_ignored(&f);
	assert_int_equal(T.d.state, DISC_PADI_SENT);

	/* The first duplicate counts: ours then a wrong one is accepted. */
	fb_init(&f, our_mac, ac_mac, DISC_PADO, 0);
	fb_tag(&f, TAG_AC_NAME, "ac1", 3);
	fb_tag(&f, TAG_HOST_UNIQ, hu, 4);
	fb_tag(&f, TAG_HOST_UNIQ, hu_bad, 4);
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
}

static void test_pado_filter_addr(void **state)
{
	static const uint8_t mcast_src[6] = { 0x01, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct fb f;

	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1");
	memcpy(f.b, bcast, 6);
	expect_ignored(&f);
	memcpy(f.b, other_mac, 6);
	expect_ignored(&f);
	pado_std(&f, mcast_src, "ac1");
	expect_ignored(&f);
	/* Wrong EtherType (a session frame) and a bad VER/TYPE: dropped. */
	pado_std(&f, ac_mac, "ac1");
	f.b[13] = 0x64;
	expect_ignored(&f);
	pado_std(&f, ac_mac, "ac1");
	f.b[14] = 0x10;
	expect_ignored(&f);
	/* Malformed tags: AC-Name running past LENGTH. */
	pado_std(&f, ac_mac, "ac1");
	f.b[19] -= 1;
	expect_ignored(&f);
	/* Not a PADO at all, in PADI-Sent. */
	pado_std(&f, ac_mac, "ac1");
	f.b[15] = DISC_PADS;
	f.b[17] = 1;
	expect_released(&f, 1);
	f.b[15] = DISC_PADT;
	expect_ignored(&f);
	f.b[15] = DISC_PADI;
	expect_ignored(&f);
	assert_int_equal(T.established + T.failed + T.terminated, 0);

	pado_std(&f, ac_mac, "ac1");
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
}

static void test_pado_filter_ac_name(void **state)
{
	struct fb f;

	T.conf.ac_name = "ac1";
	disc_start(&T.d);
	fb_init(&f, our_mac, ac_mac, DISC_PADO, 0);
	fb_tag(&f, TAG_SERVICE_NAME, "", 0);
	fb_tag(&f, TAG_HOST_UNIQ, hu, 4);
	expect_ignored(&f); /* AC-Name missing */
	pado_std(&f, ac2_mac, "ac2");
	expect_ignored(&f);
	pado_std(&f, ac2_mac, "ac1x");
	expect_ignored(&f);
	pado_std(&f, ac2_mac, "ac");
	expect_ignored(&f);
	pado_std(&f, ac2_mac, "AC1");
	expect_ignored(&f);
	pado_std(&f, ac_mac, "ac1");
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
	assert_memory_equal(T.d.ac_mac, ac_mac, 6);
	assert_string_equal(T.d.ac_name, "ac1");
}

static void test_pado_missing_ac_name(void **state)
{
	struct fb f;

	disc_start(&T.d);
	fb_init(&f, our_mac, ac_mac, DISC_PADO, 0);
	fb_tag(&f, TAG_SERVICE_NAME, "", 0);
	fb_tag(&f, TAG_HOST_UNIQ, hu, 4);
	expect_ignored(&f);
	/* An empty AC-Name is still an AC-Name. */
	fb_tag(&f, TAG_AC_NAME, "", 0);
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
	assert_string_equal(T.d.ac_name, "");
}

static void test_pado_service_name(void **state)
{
	struct fb f;

	T.conf.service = "isp";
	disc_start(&T.d);
	fb_init(&f, our_mac, ac_mac, DISC_PADO, 0);
	fb_tag(&f, TAG_AC_NAME, "ac1", 3);
	fb_tag(&f, TAG_HOST_UNIQ, hu, 4);
	expect_ignored(&f); /* no Service-Name */
	fb_tag(&f, TAG_SERVICE_NAME, "other", 5);
	expect_ignored(&f);
	fb_tag(&f, TAG_SERVICE_NAME, "is", 2);
	expect_ignored(&f);
	/* The second Service-Name offered is ours. */
	fb_tag(&f, TAG_SERVICE_NAME, "isp", 3);
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
}

static void test_pado_error_tags(void **state)
{
	struct fb f;

	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1");
	fb_tag(&f, TAG_SERVICE_NAME_ERROR, "no such\nservice", 15);
	expect_ignored(&f);
	pado_std(&f, ac_mac, "ac1");
	fb_tag(&f, TAG_AC_SYSTEM_ERROR, "full", 4);
	expect_ignored(&f);
	pado_std(&f, ac_mac, "ac1");
	fb_tag(&f, TAG_GENERIC_ERROR, "", 0);
	expect_ignored(&f);
	assert_int_equal(T.failed, 0);
}

static void test_pado_big_cookie(void **state)
{
	uint8_t big[DISC_MAX_TAG + 1];
	struct fb f;

	memset(big, 0x77, sizeof(big));
	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1");
	fb_tag(&f, TAG_AC_COOKIE, big, sizeof(big));
	expect_ignored(&f);
	pado_std(&f, ac_mac, "ac1");
	fb_tag(&f, TAG_RELAY_SESSION_ID, big, sizeof(big));
	expect_ignored(&f);
	/* Exactly DISC_MAX_TAG fits, and is echoed whole. */
	pado_std(&f, ac_mac, "ac1");
	fb_tag(&f, TAG_AC_COOKIE, big, DISC_MAX_TAG);
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
	assert_int_equal(T.d.ac_cookie_len, DISC_MAX_TAG);
	assert_int_equal(T.out[1].len, 14 + 6 + 4 + 8 + 4 + DISC_MAX_TAG);
	assert_memory_equal(T.out[1].b + 14 + 6 + 4 + 8 + 4, big, DISC_MAX_TAG);
}

static void test_pado_wrong_state(void **state)
{
	struct fb f;

	/* Idle: nothing was asked for. */
	pado_std(&f, ac_mac, "ac1");
	expect_ignored(&f);
	assert_int_equal(T.d.state, DISC_IDLE);

	disc_start(&T.d);
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
	assert_int_equal(T.nout, 2);
	/* PADR-Sent: a later offer from another AC changes nothing. */
	pado_std(&f, ac2_mac, "ac2");
	expect_ignored(&f);
	assert_memory_equal(T.d.ac_mac, ac_mac, 6);
	assert_string_equal(T.d.ac_name, "ac1");
	/* Session: neither. */
	pads_std(&f, 0x1234);
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_SESSION);
	pado_std(&f, ac_mac, "ac1");
	expect_ignored(&f);
	assert_int_equal(T.d.session_id, 0x1234);
}

static void test_padr_bytes(void **state)
{
	static const uint8_t want[] = {
		AC_MAC_B, OUR_MAC_B, 0x88, 0x63,
		0x11, 0x19, 0x00, 0x00, 0x00, 0x26,
		0x01, 0x01, 0x00, 0x03, 'i', 's', 'p',
		0x01, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,
		0x01, 0x04, 0x00, 0x09, 0xc0, 0x0c, 0x1e, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
		0x01, 0x10, 0x00, 0x06, 0x00, 0x00, 0x00, 0x2a, 0xff, 0x00,
	};
	struct fb f;

	T.conf.service = "isp";
	disc_start(&T.d);
	run_until(1500); /* one PADI retransmission first */
	assert_int_equal(T.nout, 2);
	/* Tags in an unusual order, a vendor tag and padding to 60+ bytes. */
	fb_init(&f, our_mac, ac_mac, DISC_PADO, 0);
	fb_tag(&f, TAG_RELAY_SESSION_ID, relay, sizeof(relay));
	fb_tag(&f, TAG_AC_COOKIE, cookie, sizeof(cookie));
	fb_tag(&f, TAG_VENDOR_SPECIFIC, "\0\0\x0d\xe9xyz", 7);
	fb_tag(&f, TAG_AC_NAME, "BRAS-1 \"east\"\x01", 14);
	fb_tag(&f, TAG_SERVICE_NAME, "isp", 3);
	fb_tag(&f, TAG_HOST_UNIQ, hu, sizeof(hu));
	memset(f.b + f.len, 0, 8);
	f.len += 8;
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
	assert_int_equal(T.nout, 3);
	assert_int_equal(T.out[2].t, 1500);
	assert_int_equal(T.out[2].len, sizeof(want));
	assert_memory_equal(T.out[2].b, want, sizeof(want));
	/* The AC-Name kept for logs is escaped. */
	assert_string_equal(T.d.ac_name, "BRAS-1 \\x22east\\x22\\x01");
	assert_true(T.d.has_ac_cookie);
	assert_true(T.d.has_relay_id);
}

static void test_padr_empty_cookie_echoed(void **state)
{
	static const uint8_t tail[] = {
		0x01, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,
		0x01, 0x04, 0x00, 0x00,
	};
	struct fb f;

	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1");
	fb_tag(&f, TAG_AC_COOKIE, "", 0);
	fb_input(&f);
	assert_int_equal(T.nout, 2);
	assert_int_equal(T.out[1].len, 14 + 6 + 4 + sizeof(tail));
	assert_int_equal(T.out[1].b[19], 4 + sizeof(tail));
	assert_memory_equal(T.out[1].b + 24, tail, sizeof(tail));
}

static void test_padr_retry_back_to_padi(void **state)
{
	static const uint64_t padr_at[] = { 100, 1100, 3100, 7100, 15100 };
	struct fb f;
	unsigned int i;

	disc_start(&T.d);
	run_until(100);
	pado_std(&f, ac_mac, "ac1");
	fb_tag(&f, TAG_AC_COOKIE, cookie, sizeof(cookie));
	fb_input(&f);
	run_until(31090);
	assert_int_equal(T.nout, 6);
	for (i = 0; i < 5; i++) {
		assert_int_equal(T.out[1 + i].t, padr_at[i]);
		assert_int_equal(T.out[1 + i].b[15], DISC_PADR);
		assert_memory_equal(T.out[1 + i].b, ac_mac, 6);
		assert_memory_equal(T.out[1 + i].b, T.out[1].b, T.out[1].len);
	}
	assert_int_equal(T.d.state, DISC_PADR_SENT);
	run_until(31100);
	/* Start over: a fresh PADI, broadcast, the AC forgotten. */
	assert_int_equal(T.d.state, DISC_PADI_SENT);
	assert_int_equal(T.nout, 7);
	assert_int_equal(T.out[6].t, 31100);
	assert_int_equal(T.out[6].len, T.out[0].len);
	assert_memory_equal(T.out[6].b, T.out[0].b, T.out[0].len);
	assert_false(T.d.has_ac_cookie);
	assert_int_equal(T.failed, 0);
	/* Its retry budget and backoff start again from the first timeout. */
	run_until(32100);
	assert_int_equal(T.nout, 8);
	assert_int_equal(T.out[7].t, 32100);
	assert_int_equal(T.out[7].b[15], DISC_PADI);

	/* The PADS of the forgotten AC no longer counts: released. */
	pads_std(&f, 0x1234);
	expect_released(&f, 0x1234);
	assert_int_equal(T.established, 0);
}

static void test_padr_tries_conf(void **state)
{
	struct fb f;

	T.conf.padr_tries = 2;
	T.conf.timeout_ms = 200;
	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1");
	fb_input(&f);
	run_until(590);
	assert_int_equal(T.nout, 3); /* PADI, PADR @0, PADR @200 */
	assert_int_equal(T.out[2].t, 200);
	run_until(600);
	assert_int_equal(T.nout, 4);
	assert_int_equal(T.out[3].b[15], DISC_PADI);
}

static void test_pads_success(void **state)
{
	struct fb f;

	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1");
	fb_input(&f);
	run_until(1500);
	assert_int_equal(T.nout, 3);
	pads_std(&f, 0x1234);
	fb_tag(&f, TAG_PPP_MAX_PAYLOAD, "\x05\xdc", 2); /* not asked for: ignored */
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_SESSION);
	assert_int_equal(T.d.session_id, 0x1234);
	assert_int_equal(T.d.max_payload, 0);
	assert_memory_equal(T.d.ac_mac, ac_mac, 6);
	assert_int_equal(T.established, 1);
	assert_false(tw_pending(&T.d.timer));
	run_until(100000);
	assert_int_equal(T.nout, 3);
	/* A PADS for another session while in Session: released. */
	pads_std(&f, 0x4321);
	expect_released(&f, 0x4321);
	/* The PADS of our own session repeated: nothing at all. */
	pads_std(&f, 0x1234);
	expect_ignored(&f);
	assert_int_equal(T.d.session_id, 0x1234);
	assert_int_equal(T.established, 1);
	/* Another Host-Uniq (a sibling's, or a forger's guess at it) is not
	 * released: the session it names may be a sibling's live one. */
	fb_init(&f, our_mac, ac_mac, DISC_PADS, 0x4444);
	fb_tag(&f, TAG_HOST_UNIQ, "\x01\x02\x03\x04", 4);
	expect_ignored(&f);
	fb_init(&f, our_mac, ac_mac, DISC_PADS, 0x4444);
	fb_tag(&f, TAG_HOST_UNIQ, hu, sizeof(hu) - 1);
	expect_ignored(&f);
	assert_int_equal(T.d.session_id, 0x1234);
}

/* out_tag - the value of tag @type in sent frame @i, or NULL */
static const uint8_t *out_tag(unsigned int i, uint16_t type, uint16_t *len)
{
	struct pppoe_frame pf;
	struct disc_pkt p;
	size_t off;

	assert_int_equal(disc_rx_decode(T.out[i].b, T.out[i].len, &pf, &p), 0);
	for (off = 0; off + 4 <= p.tags_len;) {
		uint16_t t = (uint16_t)(p.tags[off] << 8 | p.tags[off + 1]);
		uint16_t l = (uint16_t)(p.tags[off + 2] << 8 | p.tags[off + 3]);

		if (t == type) {
			*len = l;
			return p.tags + off + 4;
		}
		off += 4 + (size_t)l;
	}
	return NULL;
}

/* RFC 4638: PADI and PADR ask for 1500; the PADS decides */
static void rfc4638_to_pads(uint16_t ask, const char *pads_tag, size_t tag_len)
{
	const uint8_t *v;
	uint16_t len;
	struct fb f;

	T.d.ask_max_payload = ask;
	disc_start(&T.d);
	v = out_tag(0, TAG_PPP_MAX_PAYLOAD, &len);
	if (ask > 1492) {
		assert_non_null(v);
		assert_int_equal(len, 2);
		assert_int_equal(v[0] << 8 | v[1], ask);
	} else {
		assert_null(v);
	}
	pado_std(&f, ac_mac, "ac1");
	fb_input(&f);
	assert_int_equal(T.nout, 2);
	v = out_tag(1, TAG_PPP_MAX_PAYLOAD, &len);
	assert_true(ask > 1492 ? v != NULL : v == NULL);
	pads_std(&f, 0x1234);
	if (pads_tag)
		fb_tag(&f, TAG_PPP_MAX_PAYLOAD, pads_tag, tag_len);
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_SESSION);
}

static void test_rfc4638_echoed(void **state)
{
	rfc4638_to_pads(1500, "\x05\xdc", 2);
	assert_int_equal(T.d.max_payload, 1500);
}

static void test_rfc4638_not_echoed(void **state)
{
	rfc4638_to_pads(1500, NULL, 0);
	assert_int_equal(T.d.max_payload, 0);
}

static void test_rfc4638_larger_answer(void **state)
{
	/* never more than we asked for */
	rfc4638_to_pads(1500, "\x06\x40", 2); /* 1600 */
	assert_int_equal(T.d.max_payload, 1500);
}

static void test_rfc4638_smaller_answer(void **state)
{
	rfc4638_to_pads(1600, "\x05\xdc", 2); /* 1500 */
	assert_int_equal(T.d.max_payload, 1500);
}

static void test_rfc4638_answer_below_1492(void **state)
{
	rfc4638_to_pads(1500, "\x05\x00", 2); /* 1280: means nothing above 1492 */
	assert_int_equal(T.d.max_payload, 0);
}

static void test_rfc4638_not_asked(void **state)
{
	rfc4638_to_pads(0, "\x05\xdc", 2);
	assert_int_equal(T.d.max_payload, 0);
}

static void test_pado_filter_ac_mac(void **state)
{
	struct fb f;

	memcpy(T.conf.ac_mac, ac2_mac, 6);
	T.conf.has_ac_mac = true;
	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1"); /* first, but not the one configured */
	expect_ignored(&f);
	pado_std(&f, ac2_mac, "ac2");
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
	assert_memory_equal(T.d.ac_mac, ac2_mac, 6);
	/* the PADR goes to that AC */
	assert_memory_equal(T.out[T.nout - 1].b, ac2_mac, 6);
}

static void test_pado_filter_ac_mac_and_name(void **state)
{
	struct fb f;

	memcpy(T.conf.ac_mac, ac2_mac, 6);
	T.conf.has_ac_mac = true;
	T.conf.ac_name = "ac1";
	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1"); /* right name, wrong MAC */
	expect_ignored(&f);
	pado_std(&f, ac2_mac, "ac2"); /* right MAC, wrong name */
	expect_ignored(&f);
	pado_std(&f, ac2_mac, "ac1");
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
}

static void test_pado_first_wins(void **state)
{
	struct fb f;

	disc_start(&T.d);
	pado_std(&f, ac2_mac, "ac2");
	fb_input(&f);
	pado_std(&f, ac_mac, "ac1"); /* later: not taken */
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
	assert_memory_equal(T.d.ac_mac, ac2_mac, 6);
	assert_string_equal(T.d.ac_name, "ac2");
}

static void test_pads_filter(void **state)
{
	struct fb f;

	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1");
	fb_input(&f);
	fb_init(&f, our_mac, ac2_mac, DISC_PADS, 0x1234);
	fb_tag(&f, TAG_HOST_UNIQ, hu, 4);
	expect_ignored(&f); /* another AC */
	fb_init(&f, our_mac, ac_mac, DISC_PADS, 0x1234);
	fb_tag(&f, TAG_HOST_UNIQ, "\x01\x02\x03\x04", 4);
	expect_ignored(&f); /* another Host-Uniq */
	pads_std(&f, 0x1234);
	memcpy(f.b, other_mac, 6);
	expect_ignored(&f); /* another of our MACs */
	/* Errors from a stranger are not ours either. */
	fb_init(&f, our_mac, ac2_mac, DISC_PADS, 0);
	fb_tag(&f, TAG_HOST_UNIQ, hu, 4);
	fb_tag(&f, TAG_GENERIC_ERROR, "x", 1);
	expect_ignored(&f);
	assert_int_equal(T.failed + T.established, 0);
	pads_std(&f, 0x0001);
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_SESSION);
	assert_int_equal(T.d.session_id, 1);
}

static void pads_fails(uint16_t sid, uint16_t tag, const char *text)
{
	struct fb f;

	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1");
	fb_input(&f);
	pads_std(&f, sid);
	if (tag)
		fb_tag(&f, tag, text, strlen(text));
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_IDLE);
	assert_int_equal(T.failed, 1);
	assert_int_equal(T.why, DISC_FAIL_ERROR_TAG);
	assert_int_equal(T.established, 0);
	assert_false(tw_pending(&T.d.timer));
	run_until(T.wheel.now + 100000);
	assert_int_equal(T.nout, 2);
}

static void test_pads_session_zero(void **state)
{
	pads_fails(0, 0, NULL);
}

static void test_pads_session_ffff(void **state)
{
	pads_fails(0xffff, 0, NULL);
}

static void test_pads_service_name_error(void **state)
{
	pads_fails(0x1234, TAG_SERVICE_NAME_ERROR, "bad \"service\"\xff");
}

static void test_pads_ac_system_error(void **state)
{
	pads_fails(0, TAG_AC_SYSTEM_ERROR, "out of sessions");
}

static void test_pads_generic_error(void **state)
{
	pads_fails(0x0042, TAG_GENERIC_ERROR, "");
}

static void test_padt_filter(void **state)
{
	struct fb f;

	to_session();
	fb_init(&f, our_mac, ac2_mac, DISC_PADT, 0x1234);
	expect_ignored(&f); /* stranger MAC */
	fb_init(&f, our_mac, ac_mac, DISC_PADT, 0x1235);
	expect_ignored(&f); /* another session */
	fb_init(&f, other_mac, ac_mac, DISC_PADT, 0x1234);
	expect_ignored(&f); /* to another of our MACs */
	fb_init(&f, bcast, ac_mac, DISC_PADT, 0x1234);
	expect_ignored(&f);
	assert_int_equal(T.terminated, 0);
	assert_int_equal(T.d.state, DISC_SESSION);

	fb_init(&f, our_mac, ac_mac, DISC_PADT, 0x1234);
	fb_tag(&f, TAG_GENERIC_ERROR, "admin\x07reset", 11);
	fb_input(&f);
	assert_int_equal(T.terminated, 1);
	assert_int_equal(T.d.state, DISC_IDLE);
	assert_false(tw_pending(&T.d.timer));
	/* A second PADT for the dead session is ignored. */
	expect_ignored(&f);
	assert_int_equal(T.terminated, 1);
	run_until(100000);
	assert_int_equal(T.nout, 2);
}

/* Oversize tags in a PADO: a long AC-Name is kept escaped and bounded. */
static void test_pado_oversize_tags(void **state)
{
	static uint8_t big[1400];
	struct fb f;

	memset(big, 'n', sizeof(big));
	disc_start(&T.d);
	/* A Host-Uniq that starts like ours but goes on is not ours. */
	fb_init(&f, our_mac, ac_mac, DISC_PADO, 0);
	fb_tag(&f, TAG_AC_NAME, "ac1", 3);
	memcpy(big, hu, sizeof(hu));
	fb_tag(&f, TAG_HOST_UNIQ, big, sizeof(big));
	expect_ignored(&f);
	memset(big, 'n', sizeof(big));
	pado_std(&f, ac_mac, "x");
	f.len = 20;
	fb_tag(&f, TAG_SERVICE_NAME, "", 0);
	fb_tag(&f, TAG_AC_NAME, big, sizeof(big));
	fb_tag(&f, TAG_HOST_UNIQ, hu, sizeof(hu));
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
	assert_true(strlen(T.d.ac_name) < sizeof(T.d.ac_name));
}

/*
 * In Session, nothing but a PADT from our AC for our session id to our MAC
 * may end it: malformed frames, PADS with session id 0/0xffff or from a
 * stranger, unasked PADOs, PADT with VER/TYPE 2, truncated or for a stale
 * id, from a stranger. And no answer to any of them is a PADT to our AC
 * for our own session.
 */
static void test_session_hostile(void **state)
{
	unsigned int n0, i;
	struct fb f;

	to_session();
	n0 = T.nout;
	pads_std(&f, 0);
	expect_ignored(&f);
	pads_std(&f, 0xffff);
	expect_ignored(&f);
	pado_std(&f, ac_mac, "ac1");
	expect_ignored(&f);
	pads_std(&f, 0x1234);
	memcpy(f.b + 6, ac2_mac, 6);
	fb_input(&f); /* from a stranger: may be released, never ends ours */
	fb_init(&f, our_mac, ac_mac, DISC_PADT, 0x1234);
	f.b[14] = 0x21; /* VER 2 */
	expect_ignored(&f);
	f.b[14] = 0x12; /* TYPE 2 */
	expect_ignored(&f);
	f.b[14] = 0x11;
	f.b[19] = 8; /* LENGTH past the frame */
	expect_ignored(&f);
	fb_init(&f, our_mac, ac_mac, DISC_PADT, 0x1234);
	fb_tag(&f, TAG_GENERIC_ERROR, "x", 1);
	f.b[f.len - 3] = 9; /* tag value past LENGTH */
	expect_ignored(&f);
	fb_init(&f, our_mac, ac_mac, DISC_PADT, 0x1234);
	f.len = 17; /* runt cut inside the PPPoE header */
	expect_ignored(&f);
	fb_init(&f, our_mac, ac2_mac, DISC_PADT, 0x1234);
	expect_ignored(&f);
	fb_init(&f, our_mac, ac_mac, DISC_PADT, 0x1233);
	expect_ignored(&f);
	assert_int_equal(T.d.state, DISC_SESSION);
	assert_int_equal(T.d.session_id, 0x1234);
	assert_int_equal(T.terminated + T.failed, 0);
	for (i = n0; i < T.nout; i++)
		assert_false(!memcmp(T.out[i].b, ac_mac, 6) && T.out[i].b[15] == DISC_PADT &&
			     T.out[i].b[16] == 0x12 && T.out[i].b[17] == 0x34);
}

static void test_padt_wrong_state(void **state)
{
	struct fb f;

	fb_init(&f, our_mac, ac_mac, DISC_PADT, 0);
	expect_ignored(&f);
	disc_start(&T.d);
	expect_ignored(&f);
	pado_std(&f, ac_mac, "ac1");
	fb_input(&f);
	fb_init(&f, our_mac, ac_mac, DISC_PADT, 0);
	expect_ignored(&f);
	assert_int_equal(T.terminated, 0);
	assert_int_equal(T.d.state, DISC_PADR_SENT);
}

static void test_padt_restart_from_callback(void **state)
{
	struct fb f;

	to_session();
	T.restart_on_terminate = true;
	fb_init(&f, our_mac, ac_mac, DISC_PADT, 0x1234);
	fb_input(&f);
	assert_int_equal(T.terminated, 1);
	assert_int_equal(T.d.state, DISC_PADI_SENT);
	assert_int_equal(T.nout, 3);
	assert_int_equal(T.out[2].b[15], DISC_PADI);
	assert_int_equal(T.d.session_id, 0);
	assert_true(tw_pending(&T.d.timer));
}

static void test_send_padt_bytes(void **state)
{
	static const uint8_t want[] = {
		AC_MAC_B, OUR_MAC_B, 0x88, 0x63,
		0x11, 0xa7, 0x12, 0x34, 0x00, 0x1b,
		0x01, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,
		0x01, 0x10, 0x00, 0x06, 0x00, 0x00, 0x00, 0x2a, 0xff, 0x00,
		0x02, 0x03, 0x00, 0x05, 'a', 'd', 'm', 'i', 'n',
	};
	struct fb f;

	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1");
	fb_tag(&f, TAG_RELAY_SESSION_ID, relay, sizeof(relay));
	fb_tag(&f, TAG_AC_COOKIE, cookie, sizeof(cookie));
	fb_input(&f);
	pads_std(&f, 0x1234);
	fb_input(&f);
	assert_int_equal(T.d.state, DISC_SESSION);
	disc_send_padt(&T.d, "admin");
	assert_int_equal(T.nout, 3);
	assert_int_equal(T.out[2].len, sizeof(want));
	assert_memory_equal(T.out[2].b, want, sizeof(want));
	assert_int_equal(T.d.state, DISC_IDLE);
	assert_int_equal(T.terminated, 0);
	/* Idle: nothing more to tear down. */
	disc_send_padt(&T.d, "again");
	assert_int_equal(T.nout, 3);
}

static void test_send_padt_no_reason(void **state)
{
	static const uint8_t want[] = {
		AC_MAC_B, OUR_MAC_B, 0x88, 0x63,
		0x11, 0xa7, 0x12, 0x34, 0x00, 0x08,
		0x01, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef,
	};

	to_session();
	disc_send_padt(&T.d, NULL);
	assert_int_equal(T.out[2].len, sizeof(want));
	assert_memory_equal(T.out[2].b, want, sizeof(want));
}

static void test_send_padt_not_in_session(void **state)
{
	struct fb f;

	disc_send_padt(&T.d, "x");
	assert_int_equal(T.nout, 0);
	disc_start(&T.d);
	disc_send_padt(&T.d, "x");
	assert_int_equal(T.d.state, DISC_PADI_SENT);
	pado_std(&f, ac_mac, "ac1");
	fb_input(&f);
	disc_send_padt(&T.d, "x");
	assert_int_equal(T.d.state, DISC_PADR_SENT);
	assert_int_equal(T.nout, 2);
}

static void test_stop(void **state)
{
	struct fb f;

	disc_start(&T.d);
	pado_std(&f, ac_mac, "ac1");
	fb_input(&f);
	disc_stop(&T.d);
	assert_int_equal(T.d.state, DISC_IDLE);
	assert_false(tw_pending(&T.d.timer));
	run_until(100000);
	assert_int_equal(T.nout, 2);
	assert_int_equal(T.failed + T.established + T.terminated, 0);
	/* A late PADS after stop: the AC's session is released. */
	pads_std(&f, 0x1234);
	expect_released(&f, 0x1234);

	to_session();
	disc_stop(&T.d);
	assert_int_equal(T.d.state, DISC_IDLE);
	assert_int_equal(T.d.session_id, 0);
	assert_int_equal(T.terminated, 0);
}

static void test_state_names(void **state)
{
	assert_string_equal(disc_state_name(DISC_IDLE), "Idle");
	assert_string_equal(disc_state_name(DISC_PADI_SENT), "PADI-Sent");
	assert_string_equal(disc_state_name(DISC_PADR_SENT), "PADR-Sent");
	assert_string_equal(disc_state_name(DISC_SESSION), "Session");
}

#define T_(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_pado),
		cmocka_unit_test(test_decode_header_errors),
		cmocka_unit_test(test_decode_padding),
		cmocka_unit_test(test_decode_partial_tag_header),
		cmocka_unit_test(test_decode_tag_past_end),
		cmocka_unit_test(test_decode_end_of_list),
		cmocka_unit_test(test_decode_duplicates_unknown),
		cmocka_unit_test(test_decode_max_payload_len),
		cmocka_unit_test(test_decode_oversize_tags),
		cmocka_unit_test(test_encode_padi),
		cmocka_unit_test(test_encode_order_roundtrip),
		cmocka_unit_test(test_encode_padt),
		T_(test_padi_bytes),
		T_(test_padi_service_no_hu),
		T_(test_padi_retransmit_defaults),
		T_(test_padi_retransmit_cap),
		T_(test_padi_one_try),
		T_(test_pado_filter_host_uniq),
		T_(test_pado_filter_addr),
		T_(test_pado_filter_ac_name),
		T_(test_pado_missing_ac_name),
		T_(test_pado_service_name),
		T_(test_pado_error_tags),
		T_(test_pado_big_cookie),
		T_(test_pado_wrong_state),
		T_(test_padr_bytes),
		T_(test_padr_empty_cookie_echoed),
		T_(test_padr_retry_back_to_padi),
		T_(test_padr_tries_conf),
		T_(test_pads_success),
		T_(test_pads_filter),
		T_(test_rfc4638_echoed),
		T_(test_rfc4638_not_echoed),
		T_(test_rfc4638_larger_answer),
		T_(test_rfc4638_smaller_answer),
		T_(test_rfc4638_answer_below_1492),
		T_(test_rfc4638_not_asked),
		T_(test_pado_filter_ac_mac),
		T_(test_pado_filter_ac_mac_and_name),
		T_(test_pado_first_wins),
		T_(test_pads_session_zero),
		T_(test_pads_session_ffff),
		T_(test_pads_service_name_error),
		T_(test_pads_ac_system_error),
		T_(test_pads_generic_error),
		T_(test_padt_filter),
		T_(test_pado_oversize_tags),
		T_(test_session_hostile),
		T_(test_padt_wrong_state),
		T_(test_padt_restart_from_callback),
		T_(test_send_padt_bytes),
		T_(test_send_padt_no_reason),
		T_(test_send_padt_not_in_session),
		T_(test_stop),
		cmocka_unit_test(test_state_names),
	};

	/* Run the debug lines too, so their formatting is exercised. */
	log_threshold = LOG_LVL_DEBUG;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
