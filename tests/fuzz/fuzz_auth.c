// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_auth.c - the PAP, CHAP and MS-CHAPv2 message decoders on the raw
 * input, then the authentication machines through a live link (the first
 * byte's top bits: 0x80 PAP, 0x40 MS-CHAPv2, else CHAP-MD5).
 */
#include <errno.h>
#include <stdint.h>

#include "pppoe/auth.h"
#include "pppoe/mschapv2.h"
#include "ppp_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t want[MSCHAPV2_AUTH_RESP_LEN];
	struct mschapv2_failure f;
	struct pap_reply pr;
	struct chap_pkt c;
	const uint8_t *m;
	uint8_t u[1100];
	size_t ml;
	int n;

	if (size > 1) {
		if (mschapv2_check_success(data + 1, size - 1, want, &m, &ml) != -EBADMSG && ml &&
		    (m < data + 1 || m + ml > data + size))
			abort();
		if (!mschapv2_parse_failure(data + 1, size - 1, &f) && f.msg_len &&
		    (f.msg < data + 1 || f.msg + f.msg_len > data + size))
			abort();
		n = mschapv2_utf16le(data + 1, size - 1, u, sizeof(u));
		if (n > (int)sizeof(u) || (n >= 0 && (size_t)n > 4 * (size - 1)))
			abort();
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
	return pf_run(data, size, !size ? PF_START_CHAP : data[0] & 0x80 ? PF_START_PAP :
				  data[0] & 0x40 ? PF_START_MSCHAP : PF_START_CHAP);
}
