// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_wire.c - libFuzzer target for the Ethernet/PPPoE framing codec.
 * Input: one raw Ethernet frame, untagged or behind VLAN tags. Besides
 * crashes, it checks that a decoded frame never points outside the input,
 * that at most two tags were taken, and that re-encoding a session header
 * (with the same tags) gives back the same fields.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pppoe/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_wire_check - the invariants every successful decode must keep */
static void fuzz_wire_check(const uint8_t *data, size_t size, const struct pppoe_frame *f)
{
	uint8_t hdr[PPPOE_SESS_HLEN + PPPOE_VLAN_MAX_TAGS * VLAN_HLEN_];
	struct pppoe_frame g;
	size_t hl = pppoe_vlan_hlen(&f->vlan) + PPPOE_HLEN + PPP_PROTO_LEN, i;
	const uint8_t *pd;
	uint16_t proto;
	size_t dlen;
	int err;

	if (f->vlan.ntags > PPPOE_VLAN_MAX_TAGS)
		abort();
	if (f->payload != data + pppoe_vlan_hlen(&f->vlan) + PPPOE_HLEN ||
	    f->payload + f->payload_len > data + size)
		abort();
	for (i = 0; i < f->vlan.ntags; i++)
		if (f->vlan.vid[i] > 0x0fff)
			abort();
	if (f->ethertype != ETH_P_PPP_DISC_ && f->ethertype != ETH_P_PPP_SES_)
		abort();
	if (f->ethertype != ETH_P_PPP_SES_)
		return;
	if (f->code != 0)
		abort();

	err = ppp_proto_decode(f->payload, f->payload_len, &proto, &pd, &dlen);
	if (err) {
		if (err != -EMSGSIZE && err != -EINVAL)
			abort();
		return;
	}
	if (pd != f->payload + 2 || dlen + 2 != f->payload_len)
		abort();
	if (!(proto & 1) || (proto & 0x100))
		abort();

	/* Re-encode and decode again: the same header must come back. */
	if (pppoe_sess_hdr_encode_vlan(hdr, f->dst, f->src, &f->vlan, f->session_id, proto,
				       (uint16_t)dlen) != hl)
		abort();
	if (pppoe_frame_decode(hdr, hl, &g) != (dlen ? -EMSGSIZE : 0))
		abort();
	if (!dlen && (!pppoe_vlan_same(&g.vlan, &f->vlan) || g.session_id != f->session_id))
		abort();
	/* Untagged, or tags as we send them (TPIDs, priority 0): the frame's
	 * headers are exactly what we encode. */
	if (!f->vlan.ntags && memcmp(hdr, data, hl))
		abort();
	if (f->vlan.ntags && !memcmp(hdr, data, 12 + 4 * f->vlan.ntags) &&
	    memcmp(hdr, data, hl))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pppoe_frame f;
	int err;

	err = pppoe_frame_decode(data, size, &f);
	switch (err) {
	case 0:
		fuzz_wire_check(data, size, &f);
		break;
	case -EMSGSIZE:
	case -EINVAL:
	case -EPROTONOSUPPORT:
		break;
	default:
		abort();
	}
	return 0;
}
