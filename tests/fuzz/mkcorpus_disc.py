#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mkcorpus_disc.py - write the seed corpus of fuzz_disc.

Byte 0 of each input picks the mode (see tests/fuzz/fuzz_disc.c):
0x80|x = codec mode (the rest is one PPPoE discovery packet), otherwise
machine mode with config bits (1 Host-Uniq, 2 Service-Name "isp",
4 AC-Name "ac1", 8 two tries, 0x10 VLAN 7, 0x20 QinQ 100.7) followed by a
script of operations."""
import os
import struct
import sys

OUR = bytes.fromhex("02aabbccdd01")
AC = bytes.fromhex("001122334455")
HU = bytes.fromhex("deadbeef")

PADI, PADO, PADR, PADS, PADT = 0x09, 0x07, 0x19, 0x65, 0xa7
SN, ACN, HUT, COOKIE, VENDOR, RELAY, MAXP = 0x0101, 0x0102, 0x0103, 0x0104, 0x0105, 0x0110, 0x0120
SNERR, SYSERR, GENERR = 0x0201, 0x0202, 0x0203


def tag(t, v=b""):
    return struct.pack(">HH", t, len(v)) + v


def pkt(code, tags=b"", sid=0, length=None, vt=0x11, pad=b""):
    if length is None:
        length = len(tags)
    return struct.pack(">BBHH", vt, code, sid, length) + tags + pad


def op_pppoe(p, ac2=False, vlan=None):
    """vlan: None untagged, "ours" on the session's VLAN, "other" on VLAN 8"""
    op = (0x09 if ac2 else 0x01) | {None: 0, "ours": 0x10, "other": 0x20}[vlan]
    return bytes([op]) + struct.pack(">H", len(p)) + p


def op_raw(frame):
    return b"\x00" + struct.pack(">H", len(frame)) + frame


def op_time(units):
    return bytes([0x02, units])


PADO_OK = pkt(PADO, tag(SN, b"isp") + tag(ACN, b"ac1") + tag(HUT, HU) +
              tag(COOKIE, bytes(range(16))) + tag(RELAY, b"\x00\x00\x00\x2a"))
PADS_OK = pkt(PADS, tag(SN, b"isp") + tag(HUT, HU), sid=0x1234)
PADT_OK = pkt(PADT, tag(GENERR, b"bye"), sid=0x1234)

CODEC = {
    "c_pado": PADO_OK,
    "c_pads": PADS_OK,
    "c_padt": PADT_OK,
    "c_padi": pkt(PADI, tag(SN) + tag(HUT, HU)),
    "c_padr_no_sn": pkt(PADR, tag(HUT, HU) + tag(COOKIE, b"c")),
    "c_all_tags": pkt(PADO, tag(GENERR, b"g") + tag(SYSERR, b"s") + tag(SNERR) +
                      tag(MAXP, b"\x05\xdc") + tag(VENDOR, b"\0\0\x0d\xe9x") +
                      tag(0x7777, b"?") + tag(ACN, b"a") + tag(SN)),
    "c_dups": pkt(PADO, tag(ACN, b"a1") + tag(ACN, b"a2") + tag(MAXP, b"\x05\xdc") +
                  tag(MAXP, b"\x05\xd4")),
    "c_eol_then_garbage": pkt(PADO, tag(ACN, b"a") + tag(0) + b"\x01\x01\xff"),
    "c_partial_hdr": pkt(PADO, tag(SN) + b"\x01\x02\x00"),
    "c_tag_past_end": pkt(PADO, tag(SN) + b"\x01\x02\x00\x09abc"),
    "c_maxp_len3": pkt(PADS, tag(MAXP, b"\x05\xdc\x00"), sid=1),
    "c_maxp_len1": pkt(PADS, tag(MAXP, b"\x05"), sid=1),
    "c_len_too_big": pkt(PADO, tag(SN), length=40),
    "c_ver_bad": pkt(PADO, tag(SN), vt=0x12),
    "c_padded": pkt(PADO, tag(SN), pad=b"\0" * 30),
    "c_short": b"\x11\x07\x00",
}

MACHINE = {
    "m_happy": (1, op_pppoe(PADO_OK) + op_pppoe(PADS_OK) + op_pppoe(PADT_OK)),
    "m_happy_send_padt": (1, op_pppoe(PADO_OK) + op_pppoe(PADS_OK) + b"\x03"),
    "m_service_acname": (7, op_pppoe(PADO_OK) + op_pppoe(PADS_OK)),
    "m_padi_timeout": (0, op_time(255) * 8),
    "m_padr_retry": (9, op_pppoe(PADO_OK) + op_time(10) * 12 + op_pppoe(PADO_OK)),
    "m_pads_error": (1, op_pppoe(PADO_OK) +
                     op_pppoe(pkt(PADS, tag(HUT, HU) + tag(SNERR, b"no\nsvc"), sid=0))),
    "m_pads_ffff": (1, op_pppoe(PADO_OK) + op_pppoe(pkt(PADS, tag(HUT, HU), sid=0xffff))),
    "m_padt_stranger": (1, op_pppoe(PADO_OK) + op_pppoe(PADS_OK) + op_pppoe(PADT_OK, True) +
                        op_pppoe(pkt(PADT, sid=0x4321))),
    "m_raw_frames": (0, op_raw(OUR + AC + b"\x88\x63" + PADO_OK) +
                     op_raw(b"\xff" * 6 + AC + b"\x88\x63" + PADO_OK) +
                     op_raw(OUR + AC + b"\x88\x64" + PADS_OK)),
    "m_restart": (1, op_pppoe(PADO_OK) + b"\x04\x05" + op_pppoe(PADO_OK) +
                  op_pppoe(PADS_OK) + b"\x05" + op_time(30)),
    "m_pado_errors": (0, op_pppoe(pkt(PADO, tag(ACN, b"x") + tag(SYSERR, b"busy"))) +
                      op_pppoe(pkt(PADO, tag(SN))) +
                      op_pppoe(pkt(PADO, tag(ACN, b"y") + tag(COOKIE, b"k" * 65)))),
}


STRANGER = bytes.fromhex("026666666666")
BIG = 1400  # a tag value that fills most of an Ethernet frame

# One input per hostile case of issue 5: codec mode ...
CODEC.update({
    "case_truncated": PADO_OK[:9],
    "case_len_too_big": pkt(PADO, tag(SN) + tag(ACN, b"ac1"), length=0x0fff),
    "case_len_too_small": pkt(PADO, tag(SN) + tag(ACN, b"ac1"), length=6),
    "case_partial_tag_hdr": pkt(PADO, tag(SN) + tag(ACN, b"ac1") + b"\x01\x03"),
    "case_oversize_host_uniq": pkt(PADO, tag(SN) + tag(ACN, b"ac1") + tag(HUT, b"h" * BIG)),
    "case_oversize_ac_cookie": pkt(PADO, tag(SN) + tag(ACN, b"ac1") + tag(HUT, HU) +
                                   tag(COOKIE, b"c" * BIG)),
    "case_oversize_ac_name": pkt(PADO, tag(SN) + tag(ACN, b"n" * BIG) + tag(HUT, HU)),
    "case_ver_type_not_1": pkt(PADS, tag(SN) + tag(HUT, HU), sid=0x1234, vt=0x21),
    "case_pads_sid0": pkt(PADS, tag(SN) + tag(HUT, HU), sid=0),
    "case_pads_sid_ffff": pkt(PADS, tag(SN) + tag(HUT, HU), sid=0xffff),
    "case_runt": pkt(PADT, sid=0x1234),
})

# ... and machine mode, where the state of the client matters: the same
# cases thrown at a client in PADI-Sent, PADR-Sent and Session.
MACHINE.update({
    "case_truncated_machine": (1, op_raw((OUR + AC + b"\x88\x63" + PADO_OK)[:21]) +
                               op_pppoe(PADO_OK) + op_pppoe(PADS_OK[:10])),
    "case_len_too_big_machine": (1, op_pppoe(pkt(PADO, PADO_OK[6:], length=len(PADO_OK) + 4))),
    "case_len_too_small_machine": (1, op_pppoe(pkt(PADO, PADO_OK[6:], length=10))),
    "case_partial_tag_hdr_machine": (1, op_pppoe(pkt(PADO, PADO_OK[6:] + b"\x01"))),
    "case_oversize_host_uniq_machine": (1, op_pppoe(pkt(PADO, tag(ACN, b"a") +
                                                        tag(HUT, HU + b"h" * BIG)))),
    "case_oversize_ac_cookie_machine": (1, op_pppoe(pkt(PADO, tag(ACN, b"a") + tag(HUT, HU) +
                                                        tag(COOKIE, b"c" * BIG))) +
                                        op_pppoe(PADS_OK)),
    "case_oversize_ac_name_machine": (1, op_pppoe(pkt(PADO, tag(ACN, b"n" * BIG) +
                                                      tag(HUT, HU))) + op_pppoe(PADS_OK)),
    "case_ver_type_not_1_machine": (1, op_pppoe(pkt(PADO, PADO_OK[6:], vt=0x12)) +
                                    op_pppoe(PADO_OK) +
                                    op_pppoe(pkt(PADS, PADS_OK[6:], sid=0x1234, vt=0x21))),
    "case_pads_sid0_machine": (1, op_pppoe(PADO_OK) + op_pppoe(pkt(PADS, tag(HUT, HU), sid=0))),
    "case_pads_sid_ffff_machine": (1, op_pppoe(PADO_OK) +
                                   op_pppoe(pkt(PADS, tag(HUT, HU), sid=0xffff))),
    "case_runt_machine": (1, op_pppoe(PADO_OK) + op_pppoe(PADS_OK) +
                          op_raw(OUR + AC + b"\x88\x63" + pkt(PADT, sid=0x1234))),
    "case_wrong_mac": (1, op_raw(b"\xff" * 6 + AC + b"\x88\x63" + PADO_OK) +
                       op_raw(OUR[:5] + b"\x02" + AC + b"\x88\x63" + PADO_OK) +
                       op_pppoe(PADO_OK) + op_pppoe(PADS_OK, True) +
                       op_raw(OUR + STRANGER + b"\x88\x63" + PADS_OK) + op_pppoe(PADS_OK)),
    "case_stale_sid": (1, op_pppoe(PADO_OK) + op_pppoe(PADS_OK) +
                       op_pppoe(pkt(PADT, sid=0x1233)) + op_pppoe(pkt(PADT, sid=0x1235)) +
                       op_pppoe(pkt(PADS, tag(HUT, HU), sid=0x1235))),
    "case_padt_stranger": (1, op_pppoe(PADO_OK) + op_pppoe(PADS_OK) +
                           op_raw(OUR + STRANGER + b"\x88\x63" + PADT_OK) +
                           op_raw(b"\xff" * 6 + AC + b"\x88\x63" + PADT_OK) +
                           op_pppoe(PADT_OK, True)),
    "case_pado_pads_unasked": (1, op_pppoe(PADS_OK) + op_pppoe(PADO_OK) + op_pppoe(PADS_OK) +
                               op_pppoe(PADO_OK) + op_pppoe(PADS_OK, True)),
    # Sessions on VLANs: answers on the session's VLAN are taken, those on
    # another VLAN or untagged are not, Host-Uniq or not.
    "vlan7_up": (0x11, op_pppoe(PADO_OK, vlan="ours") + op_pppoe(PADS_OK, vlan="ours") +
                 op_time(10) + op_pppoe(PADT_OK, vlan="ours")),
    "vlan7_wrong_vlan": (0x11, op_pppoe(PADO_OK, vlan="other") + op_pppoe(PADO_OK) +
                         op_pppoe(PADO_OK, vlan="ours") + op_pppoe(PADS_OK, vlan="other") +
                         op_pppoe(PADS_OK) + op_pppoe(PADS_OK, vlan="ours") +
                         op_pppoe(PADT_OK, vlan="other") + op_pppoe(PADT_OK)),
    "qinq_up": (0x31, op_pppoe(PADO_OK, vlan="ours") + op_pppoe(PADS_OK, vlan="ours") +
                op_pppoe(pkt(PADS, tag(HUT, HU), sid=0x1235), vlan="ours") + op_time(50) +
                bytes([0x03])),
    "qinq_wrong_vlan": (0x21, op_pppoe(PADO_OK, vlan="other") + op_pppoe(PADO_OK) +
                        op_raw(OUR + AC + bytes.fromhex("88a80064" "81000008" "8863") + PADO_OK) +
                        op_raw(OUR + AC + bytes.fromhex("88a80064" "81000007" "8863") + PADO_OK) +
                        op_pppoe(PADS_OK, vlan="ours")),
})


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "disc")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(CODEC.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(b"\x80" + data)
    for name, (cfg, script) in sorted(MACHINE.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([cfg]) + script)


if __name__ == "__main__":
    main()
