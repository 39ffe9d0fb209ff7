// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_lcp.c - LCP negotiation, echoes and rejects through a live link */
#include <stdint.h>

#include "ppp_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pf_run(data, size, PF_START_ESTABLISH);
}
