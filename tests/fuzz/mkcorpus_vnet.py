#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mkcorpus_vnet.py - write the seed corpora of fuzz_vnet_gso (two bytes
of output capacity, a 10-byte little-endian virtio_net_hdr, a packet) and
fuzz_vnet_gro (a mode byte, a capacity byte, then records [length, flags,
packet]): TSO/USO super-packets of IPv4 and IPv6 with options, plain
packets, the malformed cases, and TCP streams to coalesce."""
import os
import struct
import sys

NEEDS_CSUM = 1
TCPV4, UDP, TCPV6, UDP_L4, ECN = 1, 3, 4, 5, 0x80
ACK, PSH, FIN, SYN, CWR = 0x10, 0x08, 0x01, 0x02, 0x80
SRC4, DST4 = bytes([10, 64, 0, 100]), bytes([198, 51, 100, 7])
SRC6 = bytes.fromhex("20010db8000000000000000000000001")
DST6 = bytes.fromhex("20010db8000000000000000000000002")
IPOPT = bytes([0x94, 4, 0, 0, 1, 1, 1, 0])
TSOPT = bytes([1, 1, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0x56, 0x78])


def fold(s):
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def sum16(data):
    if len(data) % 2:
        data += b"\0"
    return sum(struct.unpack(">%dH" % (len(data) // 2), data))


def pseudo(ver, proto, l4len):
    if ver == 4:
        return sum16(SRC4 + DST4 + struct.pack(">HH", proto, l4len))
    return sum16(SRC6 + DST6 + struct.pack(">IxxxB", l4len, proto))


def payload(seq, n):
    return bytes(((seq + i) * 131 + ((seq + i) >> 8) * 7 + 1) & 0xff for i in range(n))


def packet(ver=4, proto=6, pay=1000, seq=1000, flags=ACK, ident=1, ipopt=b"", topt=b"",
           csum="full", ttl=64):
    data = payload(seq, pay)
    if proto == 6:
        l4 = struct.pack(">HHIIBBHHH", 50001, 443, seq & 0xffffffff, 0xa1b2c3d4,
                         (20 + len(topt)) // 4 << 4, flags, 501, 0, 0) + topt + data
        at = 16
    else:
        l4 = struct.pack(">HHHH", 50001, 443, 8 + pay, 0) + data
        at = 6
    if csum == "full":
        c = ~fold(pseudo(ver, proto, len(l4)) + sum16(l4)) & 0xffff
    else:
        c = fold(pseudo(ver, proto, len(l4)))
    l4 = l4[:at] + struct.pack(">H", c) + l4[at + 2:]
    if ver == 4:
        ihl = 20 + len(ipopt)
        h = struct.pack(">BBHHHBBH", 0x40 | ihl // 4, 0, ihl + len(l4), ident & 0xffff, 0x4000,
                        ttl, proto, 0) + SRC4 + DST4 + ipopt
        h = h[:10] + struct.pack(">H", ~fold(sum16(h)) & 0xffff) + h[12:]
        return h + l4
    return struct.pack(">IHBB", 0x6000abcd, len(l4), proto, ttl) + SRC6 + DST6 + l4


def vnet(gso_type, gso_size, hdr_len, csum_start, csum_offset, flags=NEEDS_CSUM):
    return struct.pack("<BBHHHH", flags, gso_type, hdr_len, gso_size, csum_start, csum_offset)


def tso(pkt, mss, gso_type=None, cap=1500):
    ver = pkt[0] >> 4
    l3 = (pkt[0] & 15) * 4 if ver == 4 else 40
    proto = pkt[9] if ver == 4 else pkt[6]
    if gso_type is None:
        gso_type = UDP_L4 if proto == 17 else (TCPV4 if ver == 4 else TCPV6)
    l4 = (pkt[l3 + 12] >> 4) * 4 if proto == 6 else 8
    return struct.pack(">H", cap) + vnet(gso_type, mss, l3 + l4, l3, 16 if proto == 6 else 6) + pkt


def part(**kw):
    return packet(csum="partial", **kw)


GSO = {
    "tcp4_opts": tso(part(pay=5000, ipopt=IPOPT, topt=TSOPT, flags=ACK | PSH | FIN), 1428),
    "tcp4_ecn": tso(part(pay=3000, flags=ACK | CWR), 1400, TCPV4 | ECN),
    "tcp4_64k": tso(part(pay=65535 - 52, topt=TSOPT, seq=0xffff0000), 1440),
    "tcp4_mss1": tso(part(pay=40, flags=ACK | PSH), 1),
    "tcp4_full_csum": tso(packet(pay=40, flags=ACK | PSH), 1),
    "tcp4_big_mss": tso(part(pay=1000), 9000, cap=2000),
    "tcp4_small_cap": tso(part(pay=3000), 1400, cap=1000),
    "tcp6_odd": tso(part(ver=6, pay=3001, flags=ACK | PSH), 1000),
    "tcp6_hdr_only": tso(part(ver=6, pay=0), 1000),
    "uso4": tso(part(proto=17, pay=3000, ipopt=IPOPT), 1000),
    "uso6": tso(part(ver=6, proto=17, pay=2999), 1452),
    "none_udp_csum": struct.pack(">H", 1500) + vnet(0, 0, 0, 20, 6) + part(proto=17, pay=101),
    "none_plain": struct.pack(">H", 1500) + vnet(0, 0, 0, 0, 0, 0) + packet(pay=99),
    "none_bad_offset": struct.pack(">H", 1500) + vnet(0, 0, 0, 200, 6) + part(proto=17, pay=10),
    "gso_size0": tso(part(pay=3000), 0),
    "wrong_version": tso(part(pay=3000), 1400, TCPV6),
    "ufo": tso(part(proto=17, pay=3000), 1400, UDP),
    "truncated": tso(part(pay=3000), 1400)[:100],
    "v6_ext": tso(part(ver=6, pay=3000), 1400)[:12 + 6] + b"\0" + tso(part(ver=6, pay=3000), 1400)[12 + 7:],
    "hdr_len_long": struct.pack(">H", 1500) + vnet(TCPV4, 1400, 5000, 20, 16) + part(pay=1000),
    "empty": struct.pack(">H", 1500) + vnet(0, 0, 0, 0, 0, 0),
}


def rec(pkt, flags=0):
    return struct.pack(">HB", len(pkt), flags) + pkt


def stream(n, mss=1400, last=None, **kw):
    out = []
    for k in range(n):
        pay = last if last is not None and k == n - 1 else mss
        out.append(packet(seq=1000 + k * mss, ident=1 + k, pay=pay, **kw))
    return out


def gro(mode, cap, pkts, flags=0):
    return bytes([mode, cap]) + b"".join(rec(p, flags) for p in pkts)


S4 = stream(5, last=33, topt=TSOPT)
S6 = stream(4, mss=1000, ver=6)
BAD = bytearray(S4[2])
BAD[-1] ^= 1
GRO = {
    "v4_stream": gro(0, 0, S4),
    "v4_stream_psh": gro(0, 0, stream(3) + [packet(seq=1000 + 3 * 1400, ident=4, flags=ACK | PSH)] + stream(2)),
    "v4_opts": gro(0, 0, stream(4, ipopt=IPOPT, topt=TSOPT)),
    "v6_stream": gro(0, 0, S6),
    "fix_chain": gro(3, 0, stream(6, mss=500)),
    "out_of_order": gro(0, 0, [S4[0], S4[2], S4[1], S4[3]]),
    "other_flow": gro(0, 0, [S4[0], S6[0], S4[1], packet(proto=17, pay=50), S4[2]]),
    "bad_csum": gro(0, 0, [S4[0], S4[1], bytes(BAD), S4[3]]),
    "csum_ok": gro(0, 0, [S4[0], S4[1], bytes(BAD), S4[3]], flags=1),
    "flags": gro(0, 0, [packet(flags=f) for f in (SYN | ACK, FIN | ACK, CWR | ACK, 0x04, 0x20 | ACK)]),
    "small_cap": gro(4, 12, S4),
    "long": gro(3, 0, stream(50, mss=1300)),
    "junk": gro(1, 0, [b"\x45" + bytes(30), b"\x60" + bytes(50), b""]),
}


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus")
    for name, cases in (("vnet_gso", GSO), ("vnet_gro", GRO)):
        out = os.path.join(base, name)
        os.makedirs(out, exist_ok=True)
        for case, data in sorted(cases.items()):
            with open(os.path.join(out, case), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
