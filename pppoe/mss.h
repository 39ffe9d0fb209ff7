/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mss.h - TCP MSS clamping: the Maximum Segment Size option of a TCP SYN
 * lowered so segments fit the session's MTU. PPPoE's 1492 breaks sites
 * whose path-MTU discovery is blocked; routers clamp SYNs both ways.
 * Pure code over one IP datagram, bounds-checked, no allocation.
 */
#ifndef PPPOE_MSS_H
#define PPPOE_MSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The MSS that fits @mtu: IPv4 and TCP headers without options (RFC 879,
 * RFC 8200 for IPv6) */
#define MSS_FOR_MTU4(mtu) ((mtu) > 40 ? (mtu) - 40 : 0)
#define MSS_FOR_MTU6(mtu) ((mtu) > 60 ? (mtu) - 60 : 0)

/*
 * mss_clamp - if @ip (an IPv4 or IPv6 datagram of @len bytes, as read from
 * a TUN or carried in PPP) is a TCP segment with SYN set whose MSS option
 * is above @mss4 (IPv4) or @mss6 (IPv6), lower it to that and fix the TCP
 * checksum incrementally (RFC 1624). Returns true if the datagram changed.
 *
 * Left alone: anything that is not a first fragment of TCP with its whole
 * header in @len, IPv6 with extension headers before TCP, SYNs without an
 * MSS option, malformed option lists, and a limit of 0.
 */
bool mss_clamp(uint8_t *ip, size_t len, uint16_t mss4, uint16_t mss6);

#endif
