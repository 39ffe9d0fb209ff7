/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wire.h - Ethernet and PPPoE framing (RFC 2516 section 4), pure codecs.
 */
#ifndef PPPOE_WIRE_H
#define PPPOE_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define ETH_ALEN_       6
#define ETH_HLEN_       14
#define ETH_P_PPP_DISC_ 0x8863
#define ETH_P_PPP_SES_  0x8864
#define PPPOE_HLEN      6                   /* VER/TYPE, CODE, SESSION_ID, LENGTH */
#define PPP_PROTO_LEN   2
#define PPPOE_SESS_HLEN (ETH_HLEN_ + PPPOE_HLEN + PPP_PROTO_LEN) /* 22 */
#define PPPOE_MAX_PAYLOAD 1494              /* 1500 - PPPoE header, RFC 2516 */
#define PPPOE_MRU       1492                /* 1500 - PPPoE - PPP headers, RFC 2516 section 7 */
#define ETH_P_8021Q_    0x8100              /* IEEE 802.1Q C-tag */
#define ETH_P_8021AD_   0x88a8              /* IEEE 802.1ad S-tag */
#define VLAN_HLEN_      4                   /* TPID + TCI */
#define PPPOE_VLAN_MAX_TAGS 2
#define PPPOE_VLAN_ID_MAX 4094              /* 0 and 4095 are reserved (802.1Q) */

/* PPP protocol numbers used by the client. */
#define PPP_IP    0x0021
#define PPP_IPV6  0x0057
#define PPP_IPCP  0x8021
#define PPP_IPV6CP 0x8057
#define PPP_LCP   0xc021
#define PPP_PAP   0xc023
#define PPP_CHAP  0xc223

/* Network byte order helpers for every codec. */
static inline uint16_t pppoe_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void pppoe_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * The VLAN tags of a frame, outermost first. A session sends with these
 * tags: one 802.1Q tag (TPID 0x8100), or two (QinQ), the outer with @tpid
 * (0x8100 or 0x88a8) and the inner 0x8100. Only 16-bit fields: configs
 * holding it are compared with memcmp, so it has no padding.
 */
struct pppoe_vlan {
	uint16_t ntags;          /* 0 untagged, 1 or 2 */
	uint16_t tpid;           /* TPID of the outer tag of QinQ (received: of the first tag) */
	uint16_t vid[PPPOE_VLAN_MAX_TAGS]; /* VLAN IDs, vid[0] outermost; unused ones 0 */
};

/* pppoe_vlan_same - do two tag sets name the same VLAN(s)? The IDs
 * decide; TPIDs and priority bits do not (as in the XDP program). */
static inline int pppoe_vlan_same(const struct pppoe_vlan *a, const struct pppoe_vlan *b)
{
	return a->ntags == b->ntags && (a->ntags < 1 || a->vid[0] == b->vid[0]) &&
	       (a->ntags < 2 || a->vid[1] == b->vid[1]);
}

/* pppoe_vlan_hlen - bytes of Ethernet header, tags included */
static inline size_t pppoe_vlan_hlen(const struct pppoe_vlan *v)
{
	return ETH_HLEN_ + (size_t)v->ntags * VLAN_HLEN_;
}

/*
 * pppoe_vlan_format - "7", "100.7" or "" (untagged) into @buf (at least
 * 10 bytes). Returns @buf.
 */
char *pppoe_vlan_format(const struct pppoe_vlan *v, char *buf, size_t cap);
#define PPPOE_VLAN_STRLEN 10

/*
 * pppoe_vlan_parse - "ID" or "OUTER.INNER", each 1..4094 in decimal, into
 * @v (ntags and vid; tpid untouched). 0 or -EINVAL.
 */
int pppoe_vlan_parse(const char *s, struct pppoe_vlan *v);

/* One received PPPoE frame; pointers point into the caller's buffer. */
struct pppoe_frame {
	const uint8_t *dst;      /* destination MAC */
	const uint8_t *src;      /* source MAC */
	struct pppoe_vlan vlan;  /* its tags (0x8100 or 0x88a8), at most two */
	uint16_t ethertype;      /* ETH_P_PPP_DISC_ or ETH_P_PPP_SES_ */
	uint8_t code;            /* PPPoE CODE: 0 for session data */
	uint16_t session_id;
	const uint8_t *payload;  /* tags (discovery) or PPP protocol + data */
	uint16_t payload_len;    /* PPPoE LENGTH, checked against the frame */
};

/*
 * pppoe_frame_decode - parse Ethernet (with up to two VLAN tags, TPID
 * 0x8100 or 0x88a8) + PPPoE header of @buf.
 * Returns 0, -EPROTONOSUPPORT for another EtherType (a third tag
 * included), -EINVAL for a bad
 * VER/TYPE or a session frame (0x8864) with CODE != 0, or -EMSGSIZE when the frame is shorter than its headers or its
 * LENGTH. Trailing bytes (Ethernet padding) are ignored.
 */
int pppoe_frame_decode(const uint8_t *buf, size_t len, struct pppoe_frame *f);

/*
 * ppp_proto_decode - split a PPPoE session payload into the PPP protocol
 * number and its information field. Returns 0, -EMSGSIZE when shorter
 * than 2 bytes, or -EINVAL for a number RFC 1661 section 2 forbids (low
 * octet even or high octet odd).
 */
int ppp_proto_decode(const uint8_t *payload, size_t len, uint16_t *proto,
		     const uint8_t **data, size_t *dlen);

/*
 * pppoe_sess_hdr_encode - write Ethernet + PPPoE session + PPP protocol
 * headers (PPPOE_SESS_HLEN bytes) for a PPP information field of
 * @data_len bytes. Returns PPPOE_SESS_HLEN.
 */
size_t pppoe_sess_hdr_encode(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
			     uint16_t session_id, uint16_t proto, uint16_t data_len);

/*
 * pppoe_sess_hdr_encode_vlan - the same behind @vlan's tags (NULL:
 * untagged): pppoe_vlan_hlen(vlan) + PPPOE_HLEN + PPP_PROTO_LEN bytes,
 * which it returns.
 */
size_t pppoe_sess_hdr_encode_vlan(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
				  const struct pppoe_vlan *vlan, uint16_t session_id,
				  uint16_t proto, uint16_t data_len);

/*
 * pppoe_eth_hdr_encode - write an untagged Ethernet header (ETH_HLEN_
 * bytes). Returns ETH_HLEN_.
 */
size_t pppoe_eth_hdr_encode(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
			    uint16_t ethertype);

/*
 * pppoe_eth_hdr_encode_vlan - an Ethernet header with @vlan's tags (NULL
 * or no tags: untagged), priority 0. Returns its length,
 * pppoe_vlan_hlen(vlan).
 */
size_t pppoe_eth_hdr_encode_vlan(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
				 const struct pppoe_vlan *vlan, uint16_t ethertype);

#endif
