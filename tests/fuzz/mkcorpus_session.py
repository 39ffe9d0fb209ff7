#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mkcorpus_session.py - write the seed corpus of fuzz_session: one input
per hostile case of issue 5, thrown at a live session (see
tests/fuzz/fuzz_session.c for the record format and the forge selector).

The harness always brings the session up the same way, so acsim gives it
session id 1; forged frames name the session id relatively (ours, stale)."""
import os
import struct
import sys

OUR = bytes.fromhex("02005e000001")
OTHER = bytes.fromhex("02005e000002")
AC = bytes.fromhex("02ac51000001")
STRANGER = bytes.fromhex("026666666666")
BCAST = b"\xff" * 6
SID = 1

RAW, FORGE, CLOCK = 0, 1, 2
# forge selector fields
S_AC, S_STRANGER, S_OTHER, S_BCAST = 0, 1, 2, 3
D_OUR, D_BCAST, D_OTHER, D_AC = 0 << 2, 1 << 2, 2 << 2, 3 << 2
SID_OURS, SID_STALE, SID_0, SID_FFFF = 0 << 4, 1 << 4, 2 << 4, 3 << 4
DISC = 0x40
X = 0x80  # discovery: CODE from the payload; session: LENGTH one too large

PADO, PADS, PADT = 0x07, 0x65, 0xa7
SN, ACN, HUT, COOKIE = 0x0101, 0x0102, 0x0103, 0x0104
LCP, PAP, CHAP, IPCP = 0xc021, 0xc023, 0xc223, 0x8021
IPV6CP = 0x8057
IPV6 = struct.pack(">H", 0x0057)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import mkcorpus_nd as nd  # noqa: E402

ACLL = bytes.fromhex("fe8000000000000002ac51fffe000001")  # acsim's link-local


def rec(op, data=b""):
    return struct.pack(">BH", op, len(data)) + data


def forge(sel, payload=b""):
    return rec(FORGE, bytes([sel]) + payload)


def clock(units=20):
    return rec(CLOCK, bytes([units]))


def raw(frame):
    return rec(RAW, frame)


def eth(dst, src, ethertype):
    return dst + src + struct.pack(">H", ethertype)


def pppoe(code, sid, payload, length=None, vt=0x11):
    if length is None:
        length = len(payload)
    return struct.pack(">BBHH", vt, code, sid, length) + payload


def tag(t, v=b""):
    return struct.pack(">HH", t, len(v)) + v


def cp(proto, code, ident, data=b"", length=None):
    if length is None:
        length = 4 + len(data)
    return struct.pack(">HBBH", proto, code, ident, length) + data


def opt(t, v=b"", length=None):
    return bytes([t, 2 + len(v) if length is None else length]) + v


TERMREQ = cp(LCP, 5, 0x77, b"bye")
ECHOREQ = cp(LCP, 9, 0x78, b"\0\0\0\0ping")
LCP_REQ = cp(LCP, 1, 0x79, opt(1, b"\x05\xd4"))
BIG = 1400

CASES = {
    "case_truncated": raw(eth(OUR, AC, 0x8864) + pppoe(0, SID, TERMREQ)[:4]) +
    raw(eth(OUR, AC, 0x8863)[:10]) + forge(S_AC | X, cp(LCP, 5, 1)[:3]) + clock(),
    "case_len_too_big": forge(S_AC | X, TERMREQ) + forge(S_AC | X, LCP_REQ) +
    raw(eth(OUR, AC, 0x8864) + pppoe(0, SID, TERMREQ, length=0xffff)) + clock(),
    "case_len_too_small": raw(eth(OUR, AC, 0x8864) + pppoe(0, SID, TERMREQ, length=1)) +
    raw(eth(OUR, AC, 0x8864) + pppoe(0, SID, cp(LCP, 5, 1, b"xxxx", length=200))) + clock(),
    "case_opt_len0": forge(S_STRANGER, cp(LCP, 1, 2, opt(1, b"\x05\xd4", length=0))) +
    forge(S_AC, cp(IPCP, 1, 3, opt(3, bytes(4), length=0))) + clock(),
    "case_opt_len1": forge(S_STRANGER, cp(LCP, 1, 2, opt(5, b"PPPP", length=1))) +
    forge(S_AC, cp(IPCP, 1, 3, opt(3, bytes(4), length=1))) + clock(),
    "case_partial_tag_hdr": forge(S_AC | DISC | X, bytes([PADS]) + tag(SN) + b"\x01\x03\x00") +
    forge(S_STRANGER | DISC, tag(SN) + b"\x01"),
    "case_oversize_host_uniq": forge(S_AC | SID_STALE | DISC | X,
                                     bytes([PADS]) + tag(SN) + tag(HUT, b"h" * BIG)),
    "case_oversize_ac_cookie": forge(S_AC | DISC | X, bytes([PADO]) + tag(SN) + tag(ACN, b"a") +
                                     tag(COOKIE, b"c" * BIG)),
    "case_oversize_ac_name": forge(S_STRANGER | DISC | X, bytes([PADO]) + tag(SN) +
                                   tag(ACN, b"n" * BIG)),
    "case_ver_type_not_1": raw(eth(OUR, AC, 0x8864) + pppoe(0, SID, TERMREQ, vt=0x21)) +
    raw(eth(OUR, AC, 0x8863) + pppoe(PADT, SID, b"", vt=0x12)) + clock(),
    "case_pads_sid0": forge(S_AC | SID_0 | DISC | X, bytes([PADS]) + tag(SN) + tag(HUT, bytes(8))),
    "case_pads_sid_ffff": forge(S_AC | SID_FFFF | DISC | X,
                                bytes([PADS]) + tag(SN) + tag(HUT, bytes(8))),
    "case_runt": raw(eth(OUR, AC, 0x8864) + pppoe(0, SID, ECHOREQ)[:9]) +
    raw(eth(OUR, STRANGER, 0x8863) + pppoe(PADT, SID, b"")) + clock(),
    "case_wrong_mac": forge(S_STRANGER, TERMREQ) + forge(S_OTHER, LCP_REQ) +
    forge(S_BCAST, ECHOREQ) + forge(S_AC | D_BCAST, TERMREQ) + forge(S_AC | D_OTHER, TERMREQ) +
    forge(S_STRANGER, cp(PAP, 3, 1, b"\x04nope")) + forge(S_STRANGER, cp(CHAP, 4, 1)) +
    forge(S_STRANGER, cp(IPCP, 5, 1)) + clock(),
    "case_stale_sid": forge(S_AC | SID_STALE, TERMREQ) + forge(S_AC | SID_0, TERMREQ) +
    forge(S_AC | SID_FFFF, LCP_REQ) + forge(S_AC | SID_STALE | DISC) + clock(),
    "case_padt_stranger": forge(S_STRANGER | DISC, tag(0x0203, b"go away")) +
    forge(S_BCAST | DISC) + forge(S_OTHER | DISC) + forge(S_AC | D_BCAST | DISC) +
    forge(S_AC | D_OTHER | DISC) + clock(),
    "case_pado_pads_unasked": forge(S_AC | DISC | X, bytes([PADO]) + tag(SN) + tag(ACN, b"a")) +
    forge(S_AC | DISC | X, bytes([PADS]) + tag(SN)) +
    forge(S_AC | SID_STALE | DISC | X, bytes([PADS]) + tag(SN) + tag(HUT, bytes(8))) + clock(),
    "case_vlan": raw(eth(OUR, AC, 0x8100) + b"\x00\x64\x88\x64" + pppoe(0, SID, TERMREQ)) +
    raw(eth(OUR, AC, 0x88a8) + b"\x00\x0a\x81\x00\x00\x64\x88\x63" + pppoe(PADT, SID, b"")),
    "idle": clock(100) + clock(100),
    "ac_termreq": forge(S_AC, TERMREQ) + clock(50),
    "ac_padt": forge(S_AC | DISC) + clock(50),
    # IPv6 (the session has ipv6 = yes, acsim runs IPv6CP and answers RS)
    "ipv6_ra": forge(S_AC, IPV6 + nd.ra(nd.prefix("20010db8007700000000000000000000"), life=600,
                                         src=ACLL)) + clock(50),
    "ipv6_ra_expiring": forge(S_AC, IPV6 + nd.ra(nd.prefix("20010db8007800000000000000000000",
                                                           valid=5, pref=2), life=3,
                                                 src=ACLL)) + clock(100),
    "ipv6_ra_bad": forge(S_AC, IPV6 + nd.ra(nd.P64, hop=64, src=ACLL)),
    "ipv6_dhcp6": forge(S_AC, IPV6 + nd.udp(547, 546, bytes([7, 1, 2, 3]), src=ACLL,
                                            dst=nd.ALL_NODES)),
    "ipv6cp_termreq": forge(S_AC, struct.pack(">H", IPV6CP) + bytes([5, 9, 0, 4])) + clock(50),
    "ipv6cp_renegotiate": forge(S_AC, struct.pack(">H", IPV6CP) +
                                bytes([1, 9, 0, 14, 1, 10]) + bytes(8)) + clock(50),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "session")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(CASES.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
