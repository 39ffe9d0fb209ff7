#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mkcorpus_wire.py - write the seed corpus of fuzz_wire (one Ethernet frame
per file): valid session and discovery frames and each malformed case."""
import os
import struct
import sys

OUR = bytes.fromhex("02aabbccdd01")
AC = bytes.fromhex("001122334455")


def frame(ethertype, payload, vt=0x11, code=0, sid=0x1234, length=None, pad=0):
    if length is None:
        length = len(payload)
    return (OUR + AC + struct.pack(">H", ethertype) +
            struct.pack(">BBHH", vt, code, sid, length) + payload + b"\0" * pad)


LCP_CR = bytes.fromhex("c021" "01010008" "010405d4")
PADO = (struct.pack(">HH", 0x0101, 0) + struct.pack(">HH", 0x0102, 3) + b"ac1")

CASES = {
    "sess_lcp": frame(0x8864, LCP_CR),
    "sess_ip": frame(0x8864, bytes.fromhex("0021") + bytes(range(20))),
    "sess_proto_only": frame(0x8864, bytes.fromhex("8021")),
    "sess_bad_proto_even": frame(0x8864, bytes.fromhex("c020") + b"\1\2"),
    "sess_bad_proto_high": frame(0x8864, bytes.fromhex("0121")),
    "sess_one_byte": frame(0x8864, b"\xc0"),
    "sess_code_nonzero": frame(0x8864, LCP_CR, code=0xa7),
    "sess_padded": frame(0x8864, bytes.fromhex("c021") + b"\x09\x01\x00\x04", pad=30),
    "disc_pado_padded": frame(0x8863, PADO, code=0x07, sid=0, pad=20),
    "len_too_big": frame(0x8864, LCP_CR, length=len(LCP_CR) + 1),
    "len_ffff": frame(0x8864, LCP_CR, length=0xffff),
    "len_smaller": frame(0x8864, LCP_CR, length=4),
    "len_zero": frame(0x8864, b"", length=0),
    "ver_type_bad": frame(0x8864, LCP_CR, vt=0x12),
    "ethertype_ip": frame(0x0800, LCP_CR),
    "ethertype_vlan": OUR + AC + bytes.fromhex("8100000a8864") + frame(0x8864, LCP_CR)[14:],
    "trunc_eth": frame(0x8864, LCP_CR)[:13],
    "trunc_pppoe": frame(0x8864, LCP_CR)[:17],
    "empty": b"",
}

PADS_SN = struct.pack(">HH", 0x0101, 0) + struct.pack(">HH", 0x0103, 8) + bytes(8)

# One input per hostile case of issue 5 that the framing decoder sees; the
# cases that need a live session (wrong MAC, stale session id, PADT from a
# stranger) are in the fuzz_session corpus.
CASES.update({
    "case_truncated": frame(0x8864, LCP_CR)[:19],
    "case_len_too_big": frame(0x8864, LCP_CR, length=len(LCP_CR) + 40),
    "case_len_too_small": frame(0x8864, LCP_CR, length=1),
    "case_ver_type_not_1": frame(0x8864, LCP_CR, vt=0x22),
    "case_pads_sid0": frame(0x8863, PADS_SN, code=0x65, sid=0),
    "case_pads_sid_ffff": frame(0x8863, PADS_SN, code=0x65, sid=0xffff),
    "case_runt": frame(0x8864, bytes.fromhex("c021") + b"\x09\x01\x00\x08PPPP")[:30],
    "case_padt_stranger": OUR + bytes.fromhex("026666666666") + b"\x88\x63" +
    struct.pack(">BBHH", 0x11, 0xa7, 0x1234, 0),
    "case_vlan_8021q": OUR + AC + bytes.fromhex("81000064" "8863") +
    struct.pack(">BBHH", 0x11, 0xa7, 0x1234, 0),
    "case_vlan_qinq": OUR + AC + bytes.fromhex("88a8000a" "81000064" "8864") +
    frame(0x8864, LCP_CR)[14:],
    "case_vlan_truncated": OUR + AC + bytes.fromhex("8100"),
})

# Sessions on VLANs: one tag, QinQ with either outer TPID, S-VLAN = C-VLAN,
# priority bits set, a third tag, an unknown TPID, tags cut short.
def tagged(tags, ethertype=0x8864, payload=LCP_CR, code=0, sid=0x1234):
    return OUR + AC + bytes.fromhex(tags) + frame(ethertype, payload, code=code, sid=sid)[12:]


CASES.update({
    "vlan7_lcp": tagged("81000007"),
    "vlan7_ip": tagged("8100e007", payload=bytes.fromhex("0021") + bytes(range(20))),
    "vlan7_pado": tagged("81000007", 0x8863, PADO, code=0x07, sid=0),
    "qinq_88a8_100_7": tagged("88a80064" "81000007"),
    "qinq_8100_100_7": tagged("81000064" "81000007"),
    "qinq_7_7": tagged("81000007" "81000007", 0x8863, PADS_SN, code=0x65),
    "qinq_4094": tagged("88a80ffe" "81000ffe"),
    "vlan_three_tags": tagged("88a80064" "81000007" "81000008"),
    "vlan_tpid_9100": tagged("91000064"),
    "vlan_cut_inner": (OUR + AC + bytes.fromhex("88a80064" "8100")),
    "vlan_cut_pppoe": tagged("81000007")[:21],
})


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "wire")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(CASES.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
