// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pppoe-flood - throw malformed and hostile PPPoE frames at a client.
 *
 *   pppoe-flood -i IFACE -a AC_MAC [-r FRAMES_PER_S] [-d SECONDS]
 *               [-s STRANGER_MAC] [-k KIND,...] [-v] MAC:SID...
 *
 * Each MAC:SID names one live session of the client under test (its MAC,
 * its PPPoE session id) with the AC at AC_MAC. The tool sends, through one
 * AF_PACKET socket on IFACE, round after round of every frame kind below
 * to every session, at about FRAMES_PER_S (default 2000) for SECONDS
 * (default 10). Even rounds go to the session MACs, odd rounds to the
 * broadcast address (kinds about a specific destination keep theirs).
 * -k sends only the named kinds (see flood_kinds[], or -v's list).
 *
 * None of these frames is something the real AC could send for the live
 * session: a robust client drops every one of them and keeps its sessions.
 * Exits 0 and prints "flood: sent N frames in T s (K kinds, S sessions),
 * M send errors" plus, with -v, the count per kind. Test helper only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tests/tools/tool_util.h"

#define FLOOD_MAX_TARGETS 1024
#define FLOOD_FRAME_MAX 1514
#define FLOOD_BIG 1400 /* an oversize tag value: most of a 1500-byte MTU */

#define ETH_P_DISC 0x8863
#define ETH_P_SESS 0x8864
#define PADO 0x07
#define PADS 0x65
#define PADT 0xa7
#define TAG_SN 0x0101
#define TAG_ACN 0x0102
#define TAG_HU 0x0103
#define TAG_COOKIE 0x0104
#define TAG_GENERR 0x0203
#define PPP_LCP 0xc021
#define PPP_PAP 0xc023
#define PPP_CHAP 0xc223
#define PPP_IPCP 0x8021

struct flood_target {
	uint8_t mac[6];
	uint16_t sid;
};

/* Where a frame is being built, and for whom. */
struct flood_ctx {
	uint8_t buf[FLOOD_FRAME_MAX];
	size_t len;
	const struct flood_target *t;  /* the session the frame is about */
	const struct flood_target *t2; /* another session (for "other MAC" kinds) */
	const uint8_t *dst;            /* the session's MAC or broadcast */
	unsigned int round;
	unsigned int idx;              /* a session index for Host-Uniq */
};

static uint8_t flood_ac[6];
static uint8_t flood_stranger[6] = { 0x02, 0x66, 0x66, 0x66, 0x66, 0x66 };
static const uint8_t flood_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static struct flood_target flood_targets[FLOOD_MAX_TARGETS];
static unsigned int flood_ntargets;
static volatile sig_atomic_t flood_stop;

/* ---- frame building ---------------------------------------------------- */

static void flood_put(struct flood_ctx *c, const void *p, size_t n)
{
	if (c->len + n > sizeof(c->buf))
		n = sizeof(c->buf) - c->len;
	memcpy(c->buf + c->len, p, n);
	c->len += n;
}

static void flood_u8(struct flood_ctx *c, uint8_t v)
{
	flood_put(c, &v, 1);
}

static void flood_u16(struct flood_ctx *c, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	flood_put(c, b, 2);
}

static void flood_set16(struct flood_ctx *c, size_t off, uint16_t v)
{
	c->buf[off] = (uint8_t)(v >> 8);
	c->buf[off + 1] = (uint8_t)v;
}

static void flood_fill(struct flood_ctx *c, uint8_t byte, size_t n)
{
	while (n--)
		flood_u8(c, byte);
}

static void flood_eth(struct flood_ctx *c, const uint8_t *dst, const uint8_t *src,
		      uint16_t ethertype)
{
	c->len = 0;
	flood_put(c, dst, 6);
	flood_put(c, src, 6);
	flood_u16(c, ethertype);
}

/* flood_pppoe - PPPoE header with LENGTH 0; returns its offset for fixing */
static size_t flood_pppoe(struct flood_ctx *c, uint8_t vt, uint8_t code, uint16_t sid)
{
	size_t off = c->len;

	flood_u8(c, vt);
	flood_u8(c, code);
	flood_u16(c, sid);
	flood_u16(c, 0);
	return off;
}

/* flood_fix_len - LENGTH = bytes after the header, plus @delta */
static void flood_fix_len(struct flood_ctx *c, size_t hoff, int delta)
{
	flood_set16(c, hoff + 4, (uint16_t)((int)(c->len - hoff - 6) + delta));
}

static void flood_tag(struct flood_ctx *c, uint16_t type, const void *v, size_t n)
{
	flood_u16(c, type);
	flood_u16(c, (uint16_t)n);
	flood_put(c, v, n);
}

/* flood_sn_any - an empty Service-Name tag ("any service") */
static void flood_sn_any(struct flood_ctx *c)
{
	flood_u16(c, TAG_SN);
	flood_u16(c, 0);
}

static void flood_tag_fill(struct flood_ctx *c, uint16_t type, uint8_t byte, size_t n)
{
	flood_u16(c, type);
	flood_u16(c, (uint16_t)n);
	flood_fill(c, byte, n);
}

/* flood_host_uniq - the daemon's layout: session index, then a nonce */
static void flood_host_uniq(struct flood_ctx *c)
{
	uint8_t hu[8] = { (uint8_t)(c->idx >> 24), (uint8_t)(c->idx >> 16),
			  (uint8_t)(c->idx >> 8), (uint8_t)c->idx, 0xf1, 0x00, 0xd0,
			  (uint8_t)c->round };

	flood_tag(c, TAG_HU, hu, sizeof(hu));
}

/* flood_stale - a session id no listed session uses (never 0 or 0xffff) */
static uint16_t flood_stale(const struct flood_ctx *c)
{
	uint16_t sid = (uint16_t)(c->t->sid + 1 + c->round % 7);
	unsigned int i;

again:
	if (!sid || sid == 0xffff)
		sid = 1;
	for (i = 0; i < flood_ntargets; i++) {
		if (flood_targets[i].sid == sid) {
			sid++;
			goto again;
		}
	}
	return sid;
}

/* flood_session - an Ethernet + PPPoE session header + PPP protocol */
static size_t flood_session(struct flood_ctx *c, const uint8_t *dst, const uint8_t *src,
			    uint16_t sid, uint16_t proto)
{
	size_t h;

	flood_eth(c, dst, src, ETH_P_SESS);
	h = flood_pppoe(c, 0x11, 0, sid);
	flood_u16(c, proto);
	return h;
}

/* flood_cp - control packet header; returns the offset of its Length */
static size_t flood_cp(struct flood_ctx *c, uint8_t code, uint8_t id)
{
	size_t off;

	flood_u8(c, code);
	flood_u8(c, id);
	off = c->len;
	flood_u16(c, 0);
	return off;
}

static void flood_cp_fix(struct flood_ctx *c, size_t loff, int delta)
{
	flood_set16(c, loff, (uint16_t)((int)(c->len - loff + 2) + delta));
}

/*
 * flood_bad_cp - the @n-th malformed control packet (of 10) after a session
 * header: bad Length fields, 0- and 1-byte option lengths, a half option
 * header, PAP and CHAP with lengths past the end. Protocol chosen by @n.
 */
static void flood_bad_cp(struct flood_ctx *c, const uint8_t *src, uint16_t sid, unsigned int n)
{
	static const uint16_t protos[] = { PPP_LCP, PPP_LCP, PPP_LCP, PPP_LCP, PPP_LCP,
					   PPP_IPCP, PPP_IPCP, PPP_PAP, PPP_CHAP, PPP_CHAP };
	size_t h, l;

	n %= sizeof(protos) / sizeof(protos[0]);
	h = flood_session(c, c->dst, src, sid, protos[n]);
	switch (n) {
	case 0: /* Configure-Request, an option of length 0 */
		l = flood_cp(c, 1, 0xe0);
		flood_put(c, "\x01\x04\x05\xd4\x05\x00\x00\x00", 8);
		flood_cp_fix(c, l, 0);
		break;
	case 1: /* Configure-Request, an option of length 1 */
		l = flood_cp(c, 1, 0xe1);
		flood_put(c, "\x05\x01\x01\x02\x03\x04", 6);
		flood_cp_fix(c, l, 0);
		break;
	case 2: /* Configure-Request ending in half an option header */
		l = flood_cp(c, 1, 0xe2);
		flood_put(c, "\x01\x04\x05\xd4\x03", 5);
		flood_cp_fix(c, l, 0);
		break;
	case 3: /* Terminate-Request whose Length runs past the packet */
		l = flood_cp(c, 5, 0xe3);
		flood_put(c, "bye", 3);
		flood_cp_fix(c, l, 40);
		break;
	case 4: /* Terminate-Request with Length 3 (< the 4-byte header) */
		l = flood_cp(c, 5, 0xe4);
		flood_set16(c, l, 3);
		break;
	case 5: /* IPCP Configure-Request, address option of length 0 */
		l = flood_cp(c, 1, 0xe5);
		flood_put(c, "\x03\x00\x0a\x00\x00\x01", 6);
		flood_cp_fix(c, l, 0);
		break;
	case 6: /* IPCP Configure-Nak, option of length 1 */
		l = flood_cp(c, 3, 0xe6);
		flood_put(c, "\x81\x01", 2);
		flood_cp_fix(c, l, 0);
		break;
	case 7: /* PAP Authenticate-Nak, Msg-Length past the end */
		l = flood_cp(c, 3, 0xe7);
		flood_put(c, "\x30no", 3);
		flood_cp_fix(c, l, 0);
		break;
	case 8: /* CHAP Challenge, Value-Size past the end */
		l = flood_cp(c, 1, 0xe8);
		flood_put(c, "\x10\x01\x02\x03", 4);
		flood_cp_fix(c, l, 0);
		break;
	case 9: /* CHAP Failure whose Length runs past the packet */
		l = flood_cp(c, 4, 0xe9);
		flood_put(c, "E=691", 5);
		flood_cp_fix(c, l, 100);
		break;
	}
	flood_fix_len(c, h, 0);
}

/*
 * flood_good_cp - the @n-th well-formed control packet (of 6) that would
 * hurt if accepted: Terminate-Requests, a renegotiating Configure-Request,
 * PAP Nak, CHAP Failure, an Echo-Request (answering would leak).
 */
static void flood_good_cp(struct flood_ctx *c, const uint8_t *src, uint16_t sid, unsigned int n)
{
	static const uint16_t protos[] = { PPP_LCP, PPP_LCP, PPP_IPCP, PPP_PAP, PPP_CHAP,
					   PPP_LCP };
	size_t h, l;

	n %= sizeof(protos) / sizeof(protos[0]);
	h = flood_session(c, c->dst, src, sid, protos[n]);
	switch (n) {
	case 0:
		l = flood_cp(c, 5, 0xd0);
		flood_put(c, "flood", 5);
		break;
	case 1:
		l = flood_cp(c, 1, 0xd1);
		flood_put(c, "\x01\x04\x05\xd4\x05\x06\x0b\xad\xf0\x0d", 10);
		break;
	case 2:
		l = flood_cp(c, 5, 0xd2);
		break;
	case 3:
		l = flood_cp(c, 3, 0xd3);
		flood_put(c, "\x04nope", 5);
		break;
	case 4:
		l = flood_cp(c, 4, 0xd4);
		flood_put(c, "E=691", 5);
		break;
	default:
		l = flood_cp(c, 9, 0xd5);
		flood_put(c, "\x0b\xad\xf0\x0d", 4);
		break;
	}
	flood_cp_fix(c, l, 0);
	flood_fix_len(c, h, 0);
}

/* flood_disc - discovery header from @src; returns the PPPoE header offset */
static size_t flood_disc(struct flood_ctx *c, const uint8_t *src, uint8_t code, uint16_t sid)
{
	flood_eth(c, c->dst, src, ETH_P_DISC);
	return flood_pppoe(c, 0x11, code, sid);
}

/* ---- the frame kinds ---------------------------------------------------- */

static void k_trunc_pppoe(struct flood_ctx *c)
{
	flood_eth(c, c->dst, flood_ac, c->round & 2 ? ETH_P_DISC : ETH_P_SESS);
	flood_put(c, "\x11\x00\x00", 3);
}

static void k_trunc_eth(struct flood_ctx *c)
{
	/* An Ethernet header and nothing else (AF_PACKET refuses less). */
	flood_eth(c, c->dst, flood_ac, c->round & 2 ? ETH_P_DISC : ETH_P_SESS);
}

static void k_len_too_big(struct flood_ctx *c)
{
	size_t h;

	if (c->round & 2) {
		h = flood_disc(c, flood_ac, PADT, c->t->sid);
		flood_fix_len(c, h, 0xfff0);
		return;
	}
	flood_good_cp(c, flood_ac, c->t->sid, c->round / 4);
	flood_fix_len(c, ETH_HLEN, 1 + (int)(c->round % 64));
}

static void k_len_too_small(struct flood_ctx *c)
{
	/* The packet stops inside the PPP protocol or the control header. */
	flood_good_cp(c, flood_ac, c->t->sid, c->round / 4);
	flood_set16(c, ETH_HLEN + 4, (uint16_t)(c->round % 6));
}

static void k_ver_type(struct flood_ctx *c)
{
	static const uint8_t vt[] = { 0x21, 0x12, 0x22, 0x00, 0xff, 0x10 };

	if (c->round & 2) {
		flood_disc(c, flood_ac, PADT, c->t->sid);
		c->buf[ETH_HLEN] = vt[c->round % 6];
		return;
	}
	flood_good_cp(c, flood_ac, c->t->sid, 0);
	c->buf[ETH_HLEN] = vt[c->round % 6];
}

static void k_tags_partial(struct flood_ctx *c)
{
	size_t h = flood_disc(c, flood_ac, c->round & 2 ? PADS : PADO,
			      c->round & 2 ? c->t->sid : 0);

	flood_sn_any(c);
	flood_host_uniq(c);
	/* 1 to 3 bytes of a next tag header. */
	flood_put(c, "\x01\x02\x00", 1 + c->round % 3);
	flood_fix_len(c, h, 0);
}

static void k_tag_past_end(struct flood_ctx *c)
{
	size_t h = flood_disc(c, flood_ac, c->round & 2 ? PADS : PADO,
			      c->round & 2 ? c->t->sid : 0);

	flood_sn_any(c);
	flood_host_uniq(c);
	flood_u16(c, TAG_ACN);
	flood_u16(c, 200);
	flood_put(c, "short", 5);
	flood_fix_len(c, h, 0);
}

static void k_oversize_tags(struct flood_ctx *c)
{
	static const uint16_t big[] = { TAG_HU, TAG_COOKIE, TAG_ACN };
	uint16_t which = big[c->round % 3];
	size_t h = flood_disc(c, flood_ac, c->round & 4 ? PADS : PADO,
			      c->round & 4 ? flood_stale(c) : 0);

	flood_sn_any(c);
	if (which != TAG_HU)
		flood_host_uniq(c);
	flood_tag_fill(c, which, 'o', FLOOD_BIG);
	flood_fix_len(c, h, 0);
}

static void k_pads_sid0(struct flood_ctx *c)
{
	size_t h = flood_disc(c, flood_ac, PADS, 0);

	flood_sn_any(c);
	flood_host_uniq(c);
	flood_fix_len(c, h, 0);
}

static void k_pads_sid_ffff(struct flood_ctx *c)
{
	size_t h = flood_disc(c, flood_ac, PADS, 0xffff);

	flood_sn_any(c);
	flood_host_uniq(c);
	flood_fix_len(c, h, 0);
}

static void k_pado_unasked(struct flood_ctx *c)
{
	size_t h = flood_disc(c, c->round & 2 ? flood_stranger : flood_ac, PADO, 0);

	flood_sn_any(c);
	flood_tag(c, TAG_ACN, "rogue", 5);
	flood_host_uniq(c);
	flood_tag(c, TAG_COOKIE, "cookie", 6);
	flood_fix_len(c, h, 0);
}

static void k_pads_unasked(struct flood_ctx *c)
{
	/* From the AC for a stale id, or from a stranger for the live one. */
	size_t h = c->round & 2 ? flood_disc(c, flood_stranger, PADS, c->t->sid)
				: flood_disc(c, flood_ac, PADS, flood_stale(c));

	flood_sn_any(c);
	flood_host_uniq(c);
	flood_fix_len(c, h, 0);
}

/*
 * k_pads_sibling - a PADS from the AC, with a Host-Uniq the daemon routes to
 * session A, offering the live session id of session B. A must not
 * "release" B's session: with one MAC for all sessions, a PADT for B's id
 * from that MAC ends B at the AC.
 */
static void k_pads_sibling(struct flood_ctx *c)
{
	size_t h = flood_disc(c, flood_ac, PADS, c->t2->sid);

	flood_sn_any(c);
	flood_host_uniq(c);
	flood_fix_len(c, h, 0);
}

static void k_cp_wrong_src(struct flood_ctx *c)
{
	const uint8_t *src = c->round & 2 ? flood_stranger : c->t2->mac;

	if (c->round & 1)
		flood_bad_cp(c, src, c->t->sid, c->round / 2);
	else
		flood_good_cp(c, src, c->t->sid, c->round / 2);
}

static void k_cp_malformed_ac(struct flood_ctx *c)
{
	flood_bad_cp(c, flood_ac, c->t->sid, c->round);
}

static void k_stale_sid(struct flood_ctx *c)
{
	flood_good_cp(c, flood_ac, flood_stale(c), c->round);
}

static void k_padt_stranger(struct flood_ctx *c)
{
	size_t h = flood_disc(c, c->round & 2 ? flood_stranger : c->t2->mac, PADT, c->t->sid);

	flood_tag(c, TAG_GENERR, "flood", 5);
	flood_fix_len(c, h, 0);
}

static void k_padt_stale_ac(struct flood_ctx *c)
{
	size_t h = flood_disc(c, flood_ac, PADT, flood_stale(c));

	flood_fix_len(c, h, 0);
}

static void k_runt(struct flood_ctx *c)
{
	/* Well-formed but short of the 60-byte minimum, no padding. */
	if (c->round & 2) {
		size_t h = flood_disc(c, flood_stranger, PADT, c->t->sid);

		flood_fix_len(c, h, 0);
	} else {
		flood_good_cp(c, flood_stranger, c->t->sid, 0);
	}
	if (c->len > 40)
		c->len = 40;
}

static void k_vlan(struct flood_ctx *c)
{
	uint8_t inner[FLOOD_FRAME_MAX];
	size_t n;

	if (c->round & 2) {
		size_t h = flood_disc(c, flood_ac, PADT, c->t->sid);

		flood_fix_len(c, h, 0);
	} else {
		flood_good_cp(c, flood_ac, c->t->sid, 0);
	}
	/* Move the EtherType and payload behind one or two tags. */
	n = c->len - 12;
	memcpy(inner, c->buf + 12, n);
	c->len = 12;
	switch (c->round % 3) {
	case 0:
		flood_put(c, "\x81\x00\x00\x64", 4);
		break;
	case 1:
		flood_put(c, "\x88\xa8\x00\x0a\x81\x00\x00\x64", 8);
		break;
	default: /* three tags: more than the XDP program looks through */
		flood_put(c, "\x88\xa8\x00\x0a\x81\x00\x00\x64\x81\x00\x00\x65", 12);
		break;
	}
	flood_put(c, inner, n);
}

static void k_vlan_trunc(struct flood_ctx *c)
{
	flood_eth(c, c->dst, flood_ac, c->round & 2 ? 0x88a8 : 0x8100);
	flood_put(c, "\x00\x64\x81\x00\x00", 1 + c->round % 5);
}

static void k_other_mac(struct flood_ctx *c)
{
	/* For session A, from the AC, but to session B's MAC. */
	static const uint8_t not_ours[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	const uint8_t *dst = c->dst;

	/* Sessions sharing one MAC (mac = interface), or a single session:
	 * there is no other MAC of ours, take one nobody has. */
	c->dst = memcmp(c->t2->mac, c->t->mac, 6) ? c->t2->mac : not_ours;
	if (c->round & 2) {
		size_t h = flood_disc(c, flood_ac, PADT, c->t->sid);

		flood_fix_len(c, h, 0);
	} else {
		flood_good_cp(c, flood_ac, c->t->sid, c->round / 4);
	}
	c->dst = dst;
}

static void k_bcast_from_ac(struct flood_ctx *c)
{
	/* Live session id from the AC, to broadcast: not addressed to us. */
	const uint8_t *dst = c->dst;

	c->dst = flood_bcast;
	if (c->round & 2) {
		size_t h = flood_disc(c, flood_ac, PADT, c->t->sid);

		flood_fix_len(c, h, 0);
	} else {
		flood_good_cp(c, flood_ac, c->t->sid, c->round / 4);
	}
	c->dst = dst;
}

struct flood_kind {
	const char *name;
	void (*build)(struct flood_ctx *c);
	unsigned long sent;
	bool off; /* not picked by -k */
};

static struct flood_kind flood_kinds[] = {
	{ "trunc-pppoe", k_trunc_pppoe, 0, false },
	{ "trunc-eth", k_trunc_eth, 0, false },
	{ "len-too-big", k_len_too_big, 0, false },
	{ "len-too-small", k_len_too_small, 0, false },
	{ "ver-type", k_ver_type, 0, false },
	{ "tags-partial-hdr", k_tags_partial, 0, false },
	{ "tag-past-end", k_tag_past_end, 0, false },
	{ "oversize-tags", k_oversize_tags, 0, false },
	{ "pads-sid0", k_pads_sid0, 0, false },
	{ "pads-sid-ffff", k_pads_sid_ffff, 0, false },
	{ "pado-unasked", k_pado_unasked, 0, false },
	{ "pads-unasked", k_pads_unasked, 0, false },
	{ "pads-sibling", k_pads_sibling, 0, false },
	{ "cp-wrong-src", k_cp_wrong_src, 0, false },
	{ "cp-malformed-ac", k_cp_malformed_ac, 0, false },
	{ "stale-sid", k_stale_sid, 0, false },
	{ "padt-stranger", k_padt_stranger, 0, false },
	{ "padt-stale-ac", k_padt_stale_ac, 0, false },
	{ "runt", k_runt, 0, false },
	{ "vlan", k_vlan, 0, false },
	{ "vlan-trunc", k_vlan_trunc, 0, false },
	{ "other-mac", k_other_mac, 0, false },
	{ "bcast-from-ac", k_bcast_from_ac, 0, false },
};

#define FLOOD_NKINDS (sizeof(flood_kinds) / sizeof(flood_kinds[0]))

/* ---- main ------------------------------------------------------------------ */

/* flood_pick - -k: only the kinds named in the comma-separated @list */
static int flood_pick(const char *list)
{
	char buf[512], *tok, *save;
	unsigned int i;
	bool found;

	snprintf(buf, sizeof(buf), "%s", list);
	for (i = 0; i < FLOOD_NKINDS; i++)
		flood_kinds[i].off = true;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		found = false;
		for (i = 0; i < FLOOD_NKINDS; i++) {
			if (!strcmp(tok, flood_kinds[i].name)) {
				flood_kinds[i].off = false;
				found = true;
			}
		}
		if (!found) {
			fprintf(stderr, "pppoe-flood: no frame kind %s\n", tok);
			return -EINVAL;
		}
	}
	return 0;
}

/* flood_parse_target - "MAC:SID", SID decimal or 0x hex */
static int flood_parse_target(const char *s, struct flood_target *t)
{
	unsigned long sid;
	const char *rest;
	char *end;

	if (tool_parse_mac(s, t->mac, &rest) || *rest != ':' || !rest[1])
		return -EINVAL;
	errno = 0;
	sid = strtoul(rest + 1, &end, 0);
	if (errno || *end || !sid || sid >= 0xffff)
		return -EINVAL;
	t->sid = (uint16_t)sid;
	return 0;
}

/* flood_advance - every kind for one session, then the next session */
static void flood_advance(unsigned int *k, unsigned int *ti, unsigned int *round)
{
	if (++*k < FLOOD_NKINDS)
		return;
	*k = 0;
	if (++*ti < flood_ntargets)
		return;
	*ti = 0;
	++*round;
}

static void flood_on_signal(int sig)
{
	(void)sig;
	flood_stop = 1;
}

static void flood_usage(FILE *f)
{
	fprintf(f, "usage: pppoe-flood -i IFACE -a AC_MAC [-r FRAMES_PER_S] [-d SECONDS]\n"
		   "                   [-s STRANGER_MAC] [-k KIND,...] [-v] MAC:SID...\n");
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned long sent = 0, errors = 0, due;
	const char *ifname = NULL;
	double rate = 2000, secs = 10, t0, now;
	struct flood_ctx c = { 0 };
	unsigned int k = 0, ti = 0, i;
	bool verbose = false, have_ac = false;
	int fd, opt;

	while ((opt = getopt(argc, argv, "i:a:r:d:s:k:vh")) != -1) {
		switch (opt) {
		case 'i':
			ifname = optarg;
			break;
		case 'a':
			if (tool_parse_mac(optarg, flood_ac, NULL)) {
				fprintf(stderr, "pppoe-flood: bad AC MAC %s\n", optarg);
				return 2;
			}
			have_ac = true;
			break;
		case 'r':
			rate = atof(optarg);
			break;
		case 'd':
			secs = atof(optarg);
			break;
		case 's':
			if (tool_parse_mac(optarg, flood_stranger, NULL)) {
				fprintf(stderr, "pppoe-flood: bad MAC %s\n", optarg);
				return 2;
			}
			break;
		case 'k':
			if (flood_pick(optarg))
				return 2;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			flood_usage(stdout);
			return 0;
		default:
			flood_usage(stderr);
			return 2;
		}
	}
	if (!ifname || !have_ac || optind == argc || rate <= 0 || secs <= 0) {
		flood_usage(stderr);
		return 2;
	}
	for (; optind < argc; optind++) {
		if (flood_ntargets == FLOOD_MAX_TARGETS ||
		    flood_parse_target(argv[optind], &flood_targets[flood_ntargets])) {
			fprintf(stderr, "pppoe-flood: bad target %s (MAC:SID)\n", argv[optind]);
			return 2;
		}
		flood_ntargets++;
	}

	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "pppoe-flood: no interface %s\n", ifname);
		return 1;
	}
	sll.sll_halen = 6;
	/* Protocol 0: send only, never receive (no copy of every frame). */
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "pppoe-flood: AF_PACKET on %s: %s\n", ifname, strerror(errno));
		return 1;
	}
	signal(SIGINT, flood_on_signal);
	signal(SIGTERM, flood_on_signal);

	t0 = tool_now_s();
	while (!flood_stop) {
		now = tool_now_s();
		if (now - t0 >= secs)
			break;
		due = (unsigned long)((now - t0) * rate) + 1;
		if (sent + errors >= due) {
			usleep(1000);
			continue;
		}
		while (sent + errors < due) {
			while (flood_kinds[k].off)
				flood_advance(&k, &ti, &c.round);
			c.t = &flood_targets[ti];
			c.t2 = flood_ntargets < 2 ? c.t :
				&flood_targets[(ti + 1 + c.round % (flood_ntargets - 1)) %
					       flood_ntargets];
			c.dst = c.round & 1 ? flood_bcast : c.t->mac;
			c.idx = (ti + c.round) % flood_ntargets;
			c.len = 0;
			flood_kinds[k].build(&c);
			memcpy(sll.sll_addr, c.buf, 6);
			if (send(fd, c.buf, c.len, 0) < 0) {
				errors++;
				if (errno != ENOBUFS && errno != EAGAIN && errors < 5)
					fprintf(stderr, "pppoe-flood: %s: %s (%zu bytes)\n",
						flood_kinds[k].name, strerror(errno), c.len);
			} else {
				sent++;
				flood_kinds[k].sent++;
			}
			flood_advance(&k, &ti, &c.round);
		}
	}
	now = tool_now_s();
	close(fd);
	printf("flood: sent %lu frames in %.1f s (%zu kinds, %u sessions, %u rounds), "
	       "%lu send errors\n", sent, now - t0, FLOOD_NKINDS, flood_ntargets, c.round, errors);
	if (verbose)
		for (i = 0; i < FLOOD_NKINDS; i++)
			printf("  %-18s %lu\n", flood_kinds[i].name, flood_kinds[i].sent);
	return sent ? 0 : 1;
}
