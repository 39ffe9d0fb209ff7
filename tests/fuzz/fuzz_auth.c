// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_auth.c - the PAP and CHAP decoders on the raw input, then the
 * authentication machines through a live link (PAP or CHAP by the first
 * byte's top bit).
 */
#include <stdint.h>

#include "pppoe/auth.h"
#include "ppp_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pap_reply pr;
	struct chap_pkt c;

	if (size > 1) {
		if (!pap_decode(data + 1, size - 1, &pr) && pr.msg_len &&
		    (pr.msg < data + 1 || pr.msg + pr.msg_len > data + size))
			abort();
		if (!chap_decode(data + 1, size - 1, &c)) {
			if (c.value_len && (c.value < data + 1 || c.value + c.value_len > data + size))
				abort();
			if (c.name_len && c.name + c.name_len > data + size)
				abort();
			if (c.msg_len && c.msg + c.msg_len > data + size)
				abort();
		}
	}
	return pf_run(data, size, size && data[0] & 0x80 ? PF_START_PAP : PF_START_CHAP);
}
