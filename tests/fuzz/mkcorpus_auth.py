#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of fuzz_auth. Config byte bit 7 set: PAP; bit 6:
MS-CHAPv2; else CHAP-MD5.

The same input also goes (minus the config byte) to pap_decode/chap_decode,
so some seeds are bare packets."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppp_corpus import *  # noqa: E402,F403

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "auth")
PAPCFG = 0x80 | CFG_DNS
CHAL = pkt(1, 0x2a, bytes([16]) + bytes(range(16)) + b"bng")

SEEDS = {
    "chap_ok": seq(CFG_DNS, rec(CHAP, CHAL), rec(ID_AUTH, pkt(3, 0, b"Welcome"))),
    "chap_retx": seq(CFG_DNS, rec(CHAP, CHAL), rec(CHAP, CHAL), rec(ID_AUTH, pkt(3, 0))),
    "chap_fail": seq(CFG_DNS, rec(CHAP, CHAL), rec(ID_AUTH, pkt(4, 0, b"E=691 R=0"))),
    "chap_rechallenge": seq(CFG_DNS, rec(CHAP, CHAL), rec(ID_AUTH, pkt(3, 0)),
                            rec(CHAP, pkt(1, 0x2b, b"\x04abcd")), rec(ID_AUTH, pkt(4, 0))),
    "chap_timeout": seq(CFG_DNS, advance(20), advance(20)),
    "chap_wrong_id": seq(CFG_DNS, rec(CHAP, CHAL), rec(CHAP, pkt(3, 0x99))),
    "chap_response": seq(CFG_DNS, rec(CHAP, pkt(2, 1, b"\x01a"))),
    "pap_ok": seq(PAPCFG, rec(ID_AUTH, pkt(2, 0, b"\x02ok"))),
    "pap_nak": seq(PAPCFG, rec(ID_AUTH, pkt(3, 0, b"\x04nope"))),
    "pap_ack_empty": seq(PAPCFG, rec(ID_AUTH, pkt(2, 0))),
    "pap_timeout": seq(PAPCFG, advance(2), advance(2), advance(2), advance(2)),
    "pap_protrej": seq(PAPCFG, rec(LCP, pkt(8, 1, b"\xc0\x23"))),
    # bare packets for the decoders (first byte is the config byte)
    "raw_chal": b"\x00" + CHAL,
    "raw_pap_ack": b"\x80" + pkt(2, 1, b"\x02ok"),
    # malformed
    "chap_vs0": seq(CFG_DNS, rec(CHAP, pkt(1, 1, b"\x00"))),
    "chap_vs_past": seq(CFG_DNS, rec(CHAP, pkt(1, 1, b"\x10ab"))),
    "chap_novs": seq(CFG_DNS, rec(CHAP, pkt(1, 1))),
    "chap_trunc": seq(CFG_DNS, rec(CHAP, b"\x01\x01\x00")),
    "chap_len_big": seq(CFG_DNS, rec(CHAP, pkt(1, 1, b"\x01a", length=90))),
    "pap_msg_past": seq(PAPCFG, rec(ID_AUTH, pkt(3, 0, b"\x09ab"))),
    "pap_len_small": seq(PAPCFG, rec(PAP, pkt(2, 1, length=3))),
    "raw_bad_chal": b"\x00" + pkt(1, 1, b"\x05ab"),
    "raw_pap_past": b"\x80" + pkt(3, 1, b"\x07x"),
}

# One input per hostile case of issue 5 for each of PAP and CHAP; each ends
# with a good answer so the fuzzer also starts from a link that survived.
CHAL_OK = rec(CHAP, CHAL), rec(ID_AUTH, pkt(3, 0))
PAP_OK = rec(ID_AUTH, pkt(2, 0, b"\x02ok")),
SEEDS.update({
    "case_chap_truncated": seq(CFG_DNS, rec(CHAP, CHAL[:3]), *CHAL_OK),
    "case_chap_len_too_big": seq(CFG_DNS, rec(CHAP, pkt(1, 1, CHAL[4:], length=len(CHAL) + 9)),
                                 *CHAL_OK),
    "case_chap_len_too_small": seq(CFG_DNS, rec(CHAP, pkt(1, 1, CHAL[4:], length=6)), *CHAL_OK),
    "case_chap_value_len0": seq(CFG_DNS, rec(CHAP, pkt(1, 1, b"\x00bng")), *CHAL_OK),
    "case_chap_value_len1": seq(CFG_DNS, rec(CHAP, pkt(1, 1, b"\x01")), *CHAL_OK),
    "case_chap_oversize": seq(CFG_DNS, rec(CHAP, pkt(1, 1, b"\xff" + b"v" * 255 + b"n" * 1200)),
                              *CHAL_OK),
    "case_chap_success_len_small": seq(CFG_DNS, rec(CHAP, CHAL),
                                       rec(ID_AUTH, pkt(3, 0, b"Welcome", length=3))),
    "case_pap_truncated": seq(PAPCFG, rec(ID_AUTH, pkt(2, 0, b"\x02ok")[:3]), *PAP_OK),
    "case_pap_len_too_big": seq(PAPCFG, rec(ID_AUTH, pkt(2, 0, b"\x02ok", length=60)), *PAP_OK),
    "case_pap_len_too_small": seq(PAPCFG, rec(ID_AUTH, pkt(2, 0, b"\x02ok", length=5)),
                                  *PAP_OK),
    "case_pap_msg_len0": seq(PAPCFG, rec(ID_AUTH, pkt(3, 0, b"\x00junk")), *PAP_OK),
    "case_pap_msg_len1": seq(PAPCFG, rec(ID_AUTH, pkt(2, 0, b"\x01")), *PAP_OK),
    "case_pap_oversize": seq(PAPCFG, rec(ID_AUTH, pkt(3, 0, b"\xff" + b"m" * 1400)), *PAP_OK),
})

# MS-CHAPv2: the RFC 2759 9.2 challenge; Successes right (for user "user",
# password "pass" the S= differs, so the "ok" seeds exercise the mismatch
# path too), malformed, and Failures.
MSCFG = 0x40 | CFG_DNS
MSCHAL = pkt(1, 0x2a, bytes([16]) + bytes.fromhex("5B5D7C7D7B3F2F3E3C2C602132262628") + b"bng")
S_RFC = b"S=407A5589115FD0D6209F510FE9C04566932CDA56"
SEEDS.update({
    "ms_success": seq(MSCFG, rec(CHAP, MSCHAL), rec(ID_AUTH, pkt(3, 0, S_RFC + b" M=Access granted"))),
    "ms_success_lower": seq(MSCFG, rec(CHAP, MSCHAL), rec(ID_AUTH, pkt(3, 0, S_RFC.lower()))),
    "ms_success_no_s": seq(MSCFG, rec(CHAP, MSCHAL), rec(ID_AUTH, pkt(3, 0, b"M=Access granted"))),
    "ms_success_short": seq(MSCFG, rec(CHAP, MSCHAL), rec(ID_AUTH, pkt(3, 0, S_RFC[:30]))),
    "ms_success_junk": seq(MSCFG, rec(CHAP, MSCHAL), rec(ID_AUTH, pkt(3, 0, S_RFC + b"xM="))),
    "ms_failure": seq(MSCFG, rec(CHAP, MSCHAL),
                      rec(ID_AUTH, pkt(4, 0, b"E=691 R=0 C=0123456789ABCDEF0123456789ABCDEF V=3 M=no"))),
    "ms_failure_bad": seq(MSCFG, rec(CHAP, MSCHAL), rec(ID_AUTH, pkt(4, 0, b"E=x R=9999999999999"))),
    "ms_retx": seq(MSCFG, rec(CHAP, MSCHAL), rec(CHAP, MSCHAL), rec(ID_AUTH, pkt(3, 0, S_RFC))),
    "ms_chal_short": seq(MSCFG, rec(CHAP, pkt(1, 1, b"\x08abcdefghbng"))),
    "ms_rechallenge": seq(MSCFG, rec(CHAP, MSCHAL), rec(ID_AUTH, pkt(3, 0, S_RFC)),
                          rec(CHAP, pkt(1, 0x2b, bytes([16]) + bytes(16))), rec(ID_AUTH, pkt(3, 0, S_RFC))),
    "raw_ms_success": b"\x40" + S_RFC + b" M=hello",
    "raw_ms_failure": b"\x40E=0000000691 R=1 C=00 V=3 M=x y z",
    "raw_ms_utf8": b"\x40" + "pässwörd€😀".encode() + b"\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80",
})

if __name__ == "__main__":
    write(OUT, SEEDS)
