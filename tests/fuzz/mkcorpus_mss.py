#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mkcorpus_mss.py - write the seed corpus of fuzz_mss: two bytes of MSS
limit, then one IP datagram (TCP SYNs of IPv4 and IPv6 with right
checksums, and the malformed cases)."""
import os
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(">%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def tcp(opts, flags=0x02, data=b""):
    return struct.pack(">HHIIBBHHH", 50001, 80, 0x1234, 0, (20 + len(opts)) // 4 << 4,
                       flags, 64240, 0, 0) + opts + data


def v4(seg, frag=0x4000):
    src, dst = bytes([10, 64, 0, 100]), bytes([198, 51, 100, 7])
    c = csum(src + dst + struct.pack(">HH", 6, len(seg)) + seg)
    seg = seg[:16] + struct.pack(">H", c) + seg[18:]
    return struct.pack(">BBHHHBBH", 0x45, 0, 20 + len(seg), 1, frag, 64, 6, 0) + src + dst + seg


def v6(seg, nh=6):
    src = bytes.fromhex("20010db8000000000000000000000001")
    dst = bytes.fromhex("20010db8000000000000000000000002")
    c = csum(src + dst + struct.pack(">IxxxB", len(seg), 6) + seg)
    seg = seg[:16] + struct.pack(">H", c) + seg[18:]
    return struct.pack(">IHBB", 0x60000000, len(seg), nh, 64) + src + dst + seg


LINUX = bytes([2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7])
ODD = bytes([1, 2, 4, 0x23, 0x28, 1, 1, 0])
L = struct.pack(">H", 1452)

CASES = {
    "v4_syn": L + v4(tcp(LINUX)),
    "v4_synack": L + v4(tcp(LINUX, 0x12)),
    "v4_odd": L + v4(tcp(ODD)),
    "v4_ack": L + v4(tcp(LINUX, 0x10, b"data")),
    "v4_frag": L + v4(tcp(LINUX), frag=0x0001),
    "v4_opt_len0": L + v4(tcp(bytes([3, 0, 2, 4, 5, 0xb4, 0, 0]))),
    "v4_trunc": L + v4(tcp(LINUX))[:50],
    "v6_syn": L + v6(tcp(LINUX)),
    "v6_hbh": L + v6(tcp(LINUX), nh=0),
    "zero_limit": b"\0\0" + v4(tcp(LINUX)),
    "empty": L,
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "mss")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(CASES.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
