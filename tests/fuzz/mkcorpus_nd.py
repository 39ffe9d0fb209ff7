#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of fuzz_nd: Router Advertisements (good and each
RFC 4861 6.1.2 failure), IPv6 + UDP (DHCPv6) and other IPv6 packets."""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "nd")
LL_AC = bytes.fromhex("fe800000000000000000000000000001")
LL_US = bytes.fromhex("fe800000000000000211223344556677")
ALL_NODES = bytes.fromhex("ff020000000000000000000000000001")
DHCP = bytes.fromhex("ff020000000000000000000000010002")


def csum(src, dst, nh, l4):
    data = src + dst + struct.pack("!IxxxB", len(l4), nh) + l4
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip6(src, dst, nh, l4, hop=255, csum_at=2, fix=True):
    if fix:
        c = csum(src, dst, nh, l4)
        l4 = l4[:csum_at] + struct.pack("!H", c) + l4[csum_at + 2:]
    return struct.pack("!IHBB", 0x60000000, len(l4), nh, hop) + src + dst + l4


def prefix(p, plen=64, flags=0xc0, valid=86400, pref=14400, length=4):
    return struct.pack("!BBBBII4x", 3, length, plen, flags, valid, pref) + bytes.fromhex(p)


def ra(opts=b"", flags=0, life=1800, src=LL_AC, hop=255, code=0, fix=True):
    body = struct.pack("!BBBBHII", 134, code, 0, 64, life, 0, 0)
    body = body[:4] + bytes([64, flags]) + struct.pack("!H", life) + body[8:]
    return ip6(src, ALL_NODES, 58, body + opts, hop=hop, fix=fix)


P64 = prefix("20010db8000100020000000000000000")
MTU = struct.pack("!BBxxI", 5, 1, 1492)
RDNSS = struct.pack("!BBxxI", 25, 5, 600) + bytes.fromhex("20010db8" + "0" * 22 + "53") * 2


def udp(sport, dport, payload, src=LL_AC, dst=LL_US):
    l4 = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    return ip6(src, dst, 17, l4, hop=1, csum_at=6)


SEEDS = {
    "ra": ra(P64 + MTU + RDNSS, flags=0xc0),
    "ra_bare": ra(),
    "ra_life0": ra(P64, life=0),
    "ra_not64": ra(prefix("20010db8ff0000000000000000000000", plen=48)),
    "ra_ll_prefix": ra(prefix("fe800000000000000000000000000000")),
    "ra_pref_gt_valid": ra(prefix("20010db8000100020000000000000000", valid=10, pref=20)),
    "ra_prefix_len3": ra(P64[:24].replace(b"\x03\x04", b"\x03\x03", 1)),
    "ra_many": ra(P64 * 10),
    "ra_badsum": ra(P64, fix=False),
    "ra_hop64": ra(P64, hop=64),
    "ra_global_src": ra(P64, src=bytes.fromhex("20010db8000000000000000000000001")),
    "ra_code1": ra(P64, code=1),
    "ra_opt_len0": ra(bytes([3, 0]) + P64[2:]),
    "ra_opt_past_end": ra(bytes([3, 5]) + P64[2:]),
    "ra_opt_partial": ra(P64 + b"\x03"),
    "ra_trunc": ra(P64)[:-4],
    "ra_short_body": ip6(LL_AC, ALL_NODES, 58, bytes([134, 0, 0, 0, 64, 0])),
    "rdnss_odd": ra(struct.pack("!BBxxI", 25, 2, 600) + bytes(8)),
    "dhcp6_reply": udp(547, 546, bytes([7, 1, 2, 3]) + bytes(20)),
    "dhcp6_solicit": udp(546, 547, bytes([1, 9, 9, 9]), src=LL_US, dst=DHCP),
    "udp_badlen": udp(547, 546, b"abcd")[:44] + b"\x00\x05" + udp(547, 546, b"abcd")[46:],
    "udp_zero_sum": udp(547, 546, b"abcd")[:46] + b"\0\0" + b"abcd",
    "udp_trunc": udp(547, 546, b"abcdefgh")[:50],
    "echo": ip6(LL_US, LL_AC, 58, bytes([128, 0, 0, 0, 0, 1, 0, 1]) + b"hi", hop=64),
    "ipv4": bytes([0x45]) + bytes(39),
    "empty": b"",
}

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
