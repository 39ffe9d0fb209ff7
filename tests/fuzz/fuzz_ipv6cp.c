// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_ipv6cp.c - IPv6CP (RFC 5072) negotiation beside IPCP, LCP already up:
 * the Interface-Identifier options decoder (Configure-Request, Nak, Reject) */
#include <stdint.h>

#include "ppp_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pf_run(data, size, PF_START_NETWORK6);
}
