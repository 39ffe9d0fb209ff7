// SPDX-License-Identifier: GPL-2.0-or-later
/* test_cp.c - control packet header and option list codec */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pppoe/cp.h"

static void test_decode_ok(void **state)
{
	/* LCP Configure-Request id 7: MRU 1492, Magic 0x01020304, 2 bytes padding */
	static const uint8_t pkt[] = { 0x01, 0x07, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4,
				       0x05, 0x06, 0x01, 0x02, 0x03, 0x04, 0xee, 0xee };
	struct cp_pkt p;

	assert_int_equal(cp_decode(pkt, sizeof(pkt), &p), 0);
	assert_int_equal(p.code, CP_CONF_REQ);
	assert_int_equal(p.id, 7);
	assert_int_equal(p.len, 14);
	assert_ptr_equal(p.data, pkt + 4);
	/* Padding past Length is not part of the data. */
	assert_int_equal(p.dlen, 10);
}

static void test_decode_bad(void **state)
{
	static const uint8_t short3[] = { 0x01, 0x01, 0x00 };
	static const uint8_t len3[] = { 0x01, 0x01, 0x00, 0x03 };
	static const uint8_t len0[] = { 0x01, 0x01, 0x00, 0x00 };
	static const uint8_t toolong[] = { 0x01, 0x01, 0x00, 0x09, 0x01, 0x04, 0x05, 0xd4 };
	static const uint8_t exact[] = { 0x05, 0x02, 0x00, 0x04 };
	struct cp_pkt p;

	assert_int_equal(cp_decode(short3, sizeof(short3), &p), -EMSGSIZE);
	assert_int_equal(cp_decode(short3, 0, &p), -EMSGSIZE);
	assert_int_equal(cp_decode(len3, sizeof(len3), &p), -EINVAL);
	assert_int_equal(cp_decode(len0, sizeof(len0), &p), -EINVAL);
	assert_int_equal(cp_decode(toolong, sizeof(toolong), &p), -EMSGSIZE);
	assert_int_equal(cp_decode(exact, sizeof(exact), &p), 0);
	assert_int_equal(p.code, CP_TERM_REQ);
	assert_int_equal(p.dlen, 0);
}

static void test_opts_walk(void **state)
{
	static const uint8_t opts[] = { 0x01, 0x04, 0x05, 0xd4, 0x03, 0x05, 0xc2, 0x23,
					0x05, 0x07, 0x02, 0x08, 0x02 };
	struct cp_opt_iter it;
	struct cp_opt o;

	cp_opt_iter_init(&it, opts, sizeof(opts));
	assert_int_equal(cp_opt_next(&it, &o), 1);
	assert_int_equal(o.type, 1);
	assert_int_equal(o.len, 4);
	assert_int_equal(o.vlen, 2);
	assert_int_equal(cp_get_u16(o.val), 1492);
	assert_int_equal(cp_opt_next(&it, &o), 1);
	assert_int_equal(o.type, 3);
	assert_int_equal(o.vlen, 3);
	assert_int_equal(cp_get_u16(o.val), 0xc223);
	assert_int_equal(o.val[2], 5);
	assert_int_equal(cp_opt_next(&it, &o), 1);
	assert_int_equal(o.type, 7);
	assert_int_equal(o.vlen, 0);
	assert_int_equal(cp_opt_next(&it, &o), 1);
	assert_int_equal(o.type, 8);
	assert_int_equal(cp_opt_next(&it, &o), 0);
	assert_int_equal(cp_opt_next(&it, &o), 0);
	assert_int_equal(cp_opts_valid(opts, sizeof(opts)), 0);
	assert_int_equal(cp_opts_valid(opts, 0), 0);
}

static void test_opts_bad(void **state)
{
	static const uint8_t len0[] = { 0x01, 0x00, 0x05, 0xd4 };
	static const uint8_t len1[] = { 0x01, 0x01, 0x05, 0xd4 };
	static const uint8_t past[] = { 0x01, 0x04, 0x05, 0xd4, 0x05, 0x06, 0x01, 0x02 };
	static const uint8_t half[] = { 0x01, 0x04, 0x05, 0xd4, 0x05 };
	struct cp_opt_iter it;
	struct cp_opt o;

	assert_int_equal(cp_opts_valid(len0, sizeof(len0)), -EINVAL);
	assert_int_equal(cp_opts_valid(len1, sizeof(len1)), -EINVAL);
	assert_int_equal(cp_opts_valid(past, sizeof(past)), -EINVAL);
	assert_int_equal(cp_opts_valid(half, sizeof(half)), -EINVAL);
	/* The good first option still comes out before the error. */
	cp_opt_iter_init(&it, past, sizeof(past));
	assert_int_equal(cp_opt_next(&it, &o), 1);
	assert_int_equal(o.type, 1);
	assert_int_equal(cp_opt_next(&it, &o), -EINVAL);
}

static void test_encode(void **state)
{
	static const uint8_t want[] = { 0x01, 0x2a, 0x00, 0x0e, 0x01, 0x04, 0x05, 0xd4,
					0x05, 0x06, 0xde, 0xad, 0xbe, 0xef };
	uint8_t buf[64];
	struct cp_buf b;

	cp_buf_init(&b, buf, sizeof(buf), CP_CONF_REQ, 42);
	assert_int_equal(cp_put_opt_u16(&b, 1, 1492), 0);
	assert_int_equal(cp_put_opt_u32(&b, 5, 0xdeadbeef), 0);
	assert_int_equal(cp_finish(&b), (int)sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void test_encode_overflow(void **state)
{
	uint8_t buf[8], big[300], src[253];
	struct cp_buf b;

	cp_buf_init(&b, buf, 3, CP_CONF_REQ, 1);
	assert_int_equal(cp_finish(&b), -EMSGSIZE);

	cp_buf_init(&b, buf, sizeof(buf), CP_CONF_REQ, 1);
	assert_int_equal(cp_put_opt_u16(&b, 1, 1492), 0);
	/* 6 more bytes do not fit into the remaining 0: sticky error */
	assert_int_equal(cp_put_opt_u32(&b, 5, 1), -EMSGSIZE);
	assert_int_equal(cp_put_u8(&b, 1), -EMSGSIZE);
	assert_int_equal(cp_finish(&b), -EMSGSIZE);

	/* An option value above 253 bytes cannot be encoded. */
	memset(big, 0, sizeof(big));
	cp_buf_opts(&b, big, sizeof(big));
	assert_int_equal(cp_put_opt(&b, 1, big, 254), -EMSGSIZE);
	cp_buf_opts(&b, big, sizeof(big));
	memset(src, 0xab, sizeof(src));
	assert_int_equal(cp_put_opt(&b, 1, src, sizeof(src)), 0);
	assert_int_equal(cp_finish(&b), 255);
	assert_int_equal(big[1], 255);
}

static void test_bare_opts(void **state)
{
	uint8_t buf[16];
	struct cp_buf b;

	/* A bare option list has no Length to fill in. */
	cp_buf_opts(&b, buf, sizeof(buf));
	cp_put_opt_u32(&b, 3, 0x0a000001);
	assert_int_equal(cp_finish(&b), 6);
	assert_int_equal(buf[0], 3);
	assert_int_equal(buf[1], 6);
	assert_int_equal(buf[2], 10);
	assert_int_equal(buf[5], 1);
}

/* cp_conf_verdict: Reject over Nak over Ack, the reply's options in rej */
static void test_conf_verdict(void **state)
{
	static const uint8_t req[] = { 1, 4, 0x05, 0xd4, 5, 6, 1, 2, 3, 4 };
	uint8_t out[16], nb[16];
	struct cp_buf rej, nak;

	(void)state;
	/* nothing rejected or nak'd: Ack with the request's options */
	cp_buf_opts(&rej, out, sizeof(out));
	cp_buf_opts(&nak, nb, sizeof(nb));
	assert_int_equal(cp_conf_verdict(&rej, &nak, req, sizeof(req)), CP_CONF_ACK);
	assert_int_equal(rej.len, sizeof(req));
	assert_memory_equal(out, req, sizeof(req));
	/* and without a Nak list at all */
	cp_buf_opts(&rej, out, sizeof(out));
	assert_int_equal(cp_conf_verdict(&rej, NULL, req, sizeof(req)), CP_CONF_ACK);
	/* a suggestion: Nak with it */
	cp_buf_opts(&rej, out, sizeof(out));
	cp_buf_opts(&nak, nb, sizeof(nb));
	cp_put_opt_u16(&nak, 1, 1492);
	assert_int_equal(cp_conf_verdict(&rej, &nak, req, sizeof(req)), CP_CONF_NAK);
	assert_int_equal(rej.len, 4);
	assert_memory_equal(out, ((uint8_t[]){ 1, 4, 0x05, 0xd4 }), 4);
	/* a rejected option wins over the suggestion */
	cp_buf_opts(&rej, out, sizeof(out));
	cp_put(&rej, req + 4, 6);
	assert_int_equal(cp_conf_verdict(&rej, &nak, req, sizeof(req)), CP_CONF_REJ);
	assert_int_equal(rej.len, 6);
	assert_memory_equal(out, req + 4, 6);
	/* an overflow anywhere: no reply */
	cp_buf_opts(&rej, out, 8);
	assert_int_equal(cp_conf_verdict(&rej, NULL, req, sizeof(req)), -EINVAL);
	cp_buf_opts(&rej, out, sizeof(out));
	cp_buf_opts(&nak, nb, 2);
	cp_put_opt_u16(&nak, 1, 1492);
	assert_int_equal(cp_conf_verdict(&rej, &nak, req, sizeof(req)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_ok),
		cmocka_unit_test(test_decode_bad),
		cmocka_unit_test(test_opts_walk),
		cmocka_unit_test(test_opts_bad),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_encode_overflow),
		cmocka_unit_test(test_bare_opts),
		cmocka_unit_test(test_conf_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
