// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_cp.c - the control packet codec: header, option walk, and a
 * re-encode of every option that must reproduce the input bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/cp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[CP_MAX_PKT + 300];
	struct cp_opt_iter it;
	struct cp_opt o;
	struct cp_pkt p;
	struct cp_buf b;
	size_t seen = 0;
	int r, valid;

	if (cp_decode(data, size, &p))
		return 0;
	if (p.len < CP_HDR_LEN || p.len > size || p.dlen != (size_t)p.len - CP_HDR_LEN)
		abort();
	valid = cp_opts_valid(p.data, p.dlen);
	cp_buf_init(&b, out, sizeof(out), p.code, p.id);
	cp_opt_iter_init(&it, p.data, p.dlen);
	while ((r = cp_opt_next(&it, &o)) > 0) {
		if (o.len < 2 || o.vlen != (size_t)o.len - 2 || seen + o.len > p.dlen)
			abort();
		seen += o.len;
		cp_put_opt(&b, o.type, o.val, o.vlen);
	}
	if ((r == 0) != (valid == 0))
		abort();
	if (r == 0 && p.len <= sizeof(out)) {
		/* A well-formed list re-encodes to the very same packet. */
		if (seen != p.dlen || cp_finish(&b) != (int)p.len ||
		    memcmp(out, data, p.len))
			abort();
	}
	return 0;
}
