// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wire.c - Ethernet and PPPoE framing (RFC 2516 section 4), pure codecs.
 *
 * Nothing here trusts a length field before comparing it with the bytes
 * actually received: every frame comes straight from the wire.
 */
#include <errno.h>
#include <string.h>

#include "pppoe/wire.h"

#define PPPOE_VER_TYPE 0x11 /* VER = 1, TYPE = 1 (RFC 2516 section 4) */

/*
 * wire_eth_decode - parse the Ethernet header, return the offset of the
 * layer-3 header and its EtherType.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               DESTINATION_ADDR (6 octets)                     |
 * |                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |  SOURCE_ADDR (6 octets)       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    ETHER_TYPE (0x8863/0x8864) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Kept separate so that one or two 802.1Q/802.1ad tags can later be
 * skipped here (loop while the EtherType is 0x8100/0x88a8, advancing the
 * offset by 4 and recording the VLAN ids) without touching the PPPoE part.
 */
static int wire_eth_decode(const uint8_t *buf, size_t len, uint16_t *ethertype,
			   size_t *off)
{
	if (len < ETH_HLEN_)
		return -EMSGSIZE;
	*ethertype = pppoe_get16(buf + 2 * ETH_ALEN_);
	*off = ETH_HLEN_;
	return 0;
}

/*
 * pppoe_frame_decode - parse Ethernet + PPPoE header of @buf.
 *
 * PPPoE header (RFC 2516 section 4):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  VER  | TYPE  |      CODE     |          SESSION_ID           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            LENGTH             |           payload             ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * LENGTH counts the payload only. Frames shorter than 60 bytes arrive
 * padded, so bytes after LENGTH are legal and ignored.
 */
int pppoe_frame_decode(const uint8_t *buf, size_t len, struct pppoe_frame *f)
{
	const uint8_t *h;
	uint16_t ethertype, plen;
	size_t off;
	int err;

	err = wire_eth_decode(buf, len, &ethertype, &off);
	if (err)
		return err;
	if (ethertype != ETH_P_PPP_DISC_ && ethertype != ETH_P_PPP_SES_)
		return -EPROTONOSUPPORT;
	if (len - off < PPPOE_HLEN)
		return -EMSGSIZE;
	h = buf + off;
	if (h[0] != PPPOE_VER_TYPE)
		return -EINVAL;
	/* Session data always carries CODE 0 (RFC 2516 section 6). */
	if (ethertype == ETH_P_PPP_SES_ && h[1] != 0)
		return -EINVAL;
	plen = pppoe_get16(h + 4);
	if (plen > len - off - PPPOE_HLEN)
		return -EMSGSIZE;

	f->dst = buf;
	f->src = buf + ETH_ALEN_;
	f->ethertype = ethertype;
	f->code = h[1];
	f->session_id = pppoe_get16(h + 2);
	f->payload = h + PPPOE_HLEN;
	f->payload_len = plen;
	return 0;
}

/*
 * ppp_proto_decode - split a PPPoE session payload into protocol + data.
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       PPP Protocol (2)        | Information ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RFC 1661 section 2: the least significant bit of the low octet is 1 and
 * that of the high octet is 0, so a number breaking either rule is not a
 * protocol at all. Protocol-Field-Compression is not used on PPPoE
 * (RFC 2516 section 7), so the field is always two octets.
 */
int ppp_proto_decode(const uint8_t *payload, size_t len, uint16_t *proto,
		     const uint8_t **data, size_t *dlen)
{
	uint16_t p;

	if (len < PPP_PROTO_LEN)
		return -EMSGSIZE;
	p = pppoe_get16(payload);
	if (!(p & 0x0001) || (p & 0x0100))
		return -EINVAL;
	*proto = p;
	*data = payload + PPP_PROTO_LEN;
	*dlen = len - PPP_PROTO_LEN;
	return 0;
}

size_t pppoe_eth_hdr_encode(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
			    uint16_t ethertype)
{
	memcpy(buf, dst, ETH_ALEN_);
	memcpy(buf + ETH_ALEN_, src, ETH_ALEN_);
	pppoe_put16(buf + 2 * ETH_ALEN_, ethertype);
	return ETH_HLEN_;
}

size_t pppoe_sess_hdr_encode(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
			     uint16_t session_id, uint16_t proto, uint16_t data_len)
{
	uint8_t *h = buf + pppoe_eth_hdr_encode(buf, dst, src, ETH_P_PPP_SES_);

	h[0] = PPPOE_VER_TYPE;
	h[1] = 0;
	pppoe_put16(h + 2, session_id);
	/* LENGTH covers the PPP protocol field plus the information field. */
	pppoe_put16(h + 4, (uint16_t)(data_len + PPP_PROTO_LEN));
	pppoe_put16(h + PPPOE_HLEN, proto);
	return PPPOE_SESS_HLEN;
}
