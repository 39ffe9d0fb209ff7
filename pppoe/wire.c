// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wire.c - Ethernet and PPPoE framing (RFC 2516 section 4), pure codecs.
 *
 * Nothing here trusts a length field before comparing it with the bytes
 * actually received: every frame comes straight from the wire.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pppoe/wire.h"

#define PPPOE_VER_TYPE 0x11 /* VER = 1, TYPE = 1 (RFC 2516 section 4) */

/*
 * wire_eth_decode - parse the Ethernet header and up to two VLAN tags,
 * return the offset of the layer-3 header and its EtherType.
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
 * | TPID 0x88a8 / 0x8100 (opt.)   | PCP |D|  VLAN ID (12 bits)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | TPID 0x8100 (optional)        | PCP |D|  VLAN ID (12 bits)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    ETHER_TYPE (0x8863/0x8864) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * A tag is 4 bytes: TPID, then PCP (3 bits), DEI (1) and the VLAN ID (12).
 * After two tags whatever EtherType follows is returned as it is: a third
 * tag is then "not PPPoE", as in the XDP program, which parses two.
 */
static int wire_eth_decode(const uint8_t *buf, size_t len, uint16_t *ethertype,
			   struct pppoe_vlan *vlan, size_t *off)
{
	uint16_t et;
	size_t o = ETH_HLEN_;

	memset(vlan, 0, sizeof(*vlan));
	if (len < ETH_HLEN_)
		return -EMSGSIZE;
	et = pppoe_get16(buf + 2 * ETH_ALEN_);
	while ((et == ETH_P_8021Q_ || et == ETH_P_8021AD_) && vlan->ntags < PPPOE_VLAN_MAX_TAGS) {
		if (len - o < VLAN_HLEN_)
			return -EMSGSIZE;
		if (!vlan->ntags)
			vlan->tpid = et;
		vlan->vid[vlan->ntags++] = pppoe_get16(buf + o) & 0x0fff;
		et = pppoe_get16(buf + o + 2);
		o += VLAN_HLEN_;
	}
	*ethertype = et;
	*off = o;
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

	err = wire_eth_decode(buf, len, &ethertype, &f->vlan, &off);
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
	return pppoe_eth_hdr_encode_vlan(buf, dst, src, NULL, ethertype);
}

size_t pppoe_eth_hdr_encode_vlan(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
				 const struct pppoe_vlan *vlan, uint16_t ethertype)
{
	size_t o = 2 * ETH_ALEN_;
	unsigned int i, n = vlan ? vlan->ntags : 0;

	memcpy(buf, dst, ETH_ALEN_);
	memcpy(buf + ETH_ALEN_, src, ETH_ALEN_);
	if (n > PPPOE_VLAN_MAX_TAGS)
		n = PPPOE_VLAN_MAX_TAGS;
	for (i = 0; i < n; i++) {
		/* QinQ: the outer tag has the configured TPID; a single tag
		 * and the inner one are always 802.1Q C-tags. */
		pppoe_put16(buf + o, n == 2 && i == 0 && vlan->tpid ? vlan->tpid : ETH_P_8021Q_);
		pppoe_put16(buf + o + 2, vlan->vid[i] & 0x0fff);
		o += VLAN_HLEN_;
	}
	pppoe_put16(buf + o, ethertype);
	return o + 2;
}

size_t pppoe_sess_hdr_encode(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
			     uint16_t session_id, uint16_t proto, uint16_t data_len)
{
	return pppoe_sess_hdr_encode_vlan(buf, dst, src, NULL, session_id, proto, data_len);
}

size_t pppoe_sess_hdr_encode_vlan(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
				  const struct pppoe_vlan *vlan, uint16_t session_id,
				  uint16_t proto, uint16_t data_len)
{
	size_t el = pppoe_eth_hdr_encode_vlan(buf, dst, src, vlan, ETH_P_PPP_SES_);
	uint8_t *h = buf + el;

	h[0] = PPPOE_VER_TYPE;
	h[1] = 0;
	pppoe_put16(h + 2, session_id);
	/* LENGTH covers the PPP protocol field plus the information field. */
	pppoe_put16(h + 4, (uint16_t)(data_len + PPP_PROTO_LEN));
	pppoe_put16(h + PPPOE_HLEN, proto);
	return el + PPPOE_HLEN + PPP_PROTO_LEN;
}

char *pppoe_vlan_format(const struct pppoe_vlan *v, char *buf, size_t cap)
{
	if (!cap)
		return buf;
	if (v->ntags == 2)
		snprintf(buf, cap, "%u.%u", v->vid[0], v->vid[1]);
	else if (v->ntags == 1)
		snprintf(buf, cap, "%u", v->vid[0]);
	else
		buf[0] = '\0';
	return buf;
}

/* wire_vlan_id - one VLAN ID, 1..4094 in plain decimal, ending at @end */
static int wire_vlan_id(const char *s, const char *end, uint16_t *id)
{
	unsigned int x = 0;

	if (s == end || end - s > 4 || *s == '0')
		return -EINVAL;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		x = x * 10 + (unsigned int)(*s - '0');
	}
	if (x < 1 || x > PPPOE_VLAN_ID_MAX)
		return -EINVAL;
	*id = (uint16_t)x;
	return 0;
}

int pppoe_vlan_parse(const char *s, struct pppoe_vlan *v)
{
	const char *dot = strchr(s, '.');
	uint16_t a, b;

	if (!dot) {
		if (wire_vlan_id(s, s + strlen(s), &a))
			return -EINVAL;
		v->ntags = 1;
		v->vid[0] = a;
		v->vid[1] = 0;
		return 0;
	}
	/* S-VLAN equal to C-VLAN (7.7) is a pair like any other. */
	if (wire_vlan_id(s, dot, &a) || wire_vlan_id(dot + 1, dot + 1 + strlen(dot + 1), &b))
		return -EINVAL;
	v->ntags = 2;
	v->vid[0] = a;
	v->vid[1] = b;
	return 0;
}
