#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of fuzz_lcp (LCP from Req-Sent onwards)."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppp_corpus import *  # noqa: E402,F403

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "lcp")
MRU = opt(1, b"\x05\xd4")
MAGIC = opt(5, b"PPPP")
CONFREQ = pkt(1, 1, MRU + MAGIC)

SEEDS = {
    "empty": seq(0),
    "up": seq(CFG_DNS, rec(LCP, CONFREQ), rec(ACK_LCP)),
    "up_echo": seq(CFG_ECHO | CFG_ECHO_FAIL, rec(LCP, CONFREQ), rec(ACK_LCP),
                   rec(LCP, pkt(9, 7, b"PPPPdata")), rec(LCP, pkt(10, 1, b"PPPP")),
                   advance(30), advance(30), advance(30), advance(30)),
    "up_then_term": seq(0, rec(LCP, CONFREQ), rec(ACK_LCP), rec(LCP, pkt(5, 3)), advance()),
    "close_acked": seq(0, rec(LCP, CONFREQ), rec(ACK_LCP), rec(CLOSE),
                       rec(ID_LCP, pkt(6, 0))),
    "mschap_nak": seq(0, rec(LCP, pkt(1, 2, MRU + opt(3, b"\xc2\x23\x81") + MAGIC))),
    "eap_nak_loop": seq(CFG_TIGHT, *[rec(LCP, pkt(1, i, opt(3, b"\xc2\x27"))) for i in range(4)]),
    "rfc2516_rej": seq(0, rec(LCP, pkt(1, 3, opt(2, bytes(4)) + opt(7) + opt(8)
                                        + opt(9, b"\x02") + opt(4, b"\xc0\x25")))),
    "mru_big": seq(CFG_MAXPAYLOAD | CFG_MRU1500, rec(LCP, pkt(1, 4, opt(1, b"\x05\xdc"))),
                   rec(LCP, pkt(1, 5, opt(1, b"\x23\x28")))),
    "mru_small": seq(0, rec(LCP, pkt(1, 4, opt(1, b"\x00\x10")))),
    "magic_zero": seq(0, rec(LCP, pkt(1, 4, opt(5, bytes(4))))),
    "nak_ours": seq(0, rec(NAK_LCP, opt(1, b"\x05\x78") + opt(5, b"QQQQ")), rec(ACK_LCP)),
    "rej_ours": seq(0, rec(NAK_LCP | REJ, opt(5, b"QQQQ")), rec(NAK_LCP | REJ, opt(1, b"\x05\xd4"))),
    "rej_bogus": seq(0, rec(NAK_LCP | REJ, opt(3, b"\xc0\x23"))),
    "ack_wrong": seq(0, rec(ID_LCP, pkt(2, 0, MRU))),
    "coderej": seq(0, rec(LCP, CONFREQ), rec(ACK_LCP),
                   rec(LCP, pkt(7, 9, pkt(9, 1, b"PPPP"))),
                   rec(LCP, pkt(7, 10, pkt(1, 1)))),
    "protrej": seq(0, rec(LCP, CONFREQ), rec(ACK_LCP),
                   rec(LCP, pkt(8, 11, b"\x80\x21" + pkt(1, 1))),
                   rec(LCP, pkt(8, 12, b"\xc0\x21"))),
    "unknown_code": seq(0, rec(LCP, pkt(0x20, 1, b"zz"))),
    "discard": seq(0, rec(LCP, CONFREQ), rec(ACK_LCP), rec(LCP, pkt(11, 1, b"PPPP"))),
    "ipv6cp": seq(0, rec(IPV6CP, pkt(1, 1)), rec(LCP, CONFREQ), rec(ACK_LCP),
                  rec(IPV6CP, pkt(1, 1, opt(1, bytes(8)))), rec(RAWPROTO, b"\x00\x57abc")),
    "timeout": seq(CFG_TIGHT, advance(10), advance(10), advance(10), advance(10)),
    "reopen": seq(0, rec(LCP, CONFREQ), rec(ACK_LCP), rec(REOPEN), rec(LCP, CONFREQ)),
    "renegotiate": seq(0, rec(LCP, CONFREQ), rec(ACK_LCP), rec(LCP, pkt(1, 9, MRU)),
                       rec(ACK_LCP)),
    # malformed
    "trunc": seq(0, rec(LCP, b"\x01\x01\x00")),
    "len_big": seq(0, rec(LCP, pkt(1, 1, MRU, length=200))),
    "len_small": seq(0, rec(LCP, pkt(1, 1, MRU, length=2))),
    "opt_len0": seq(0, rec(LCP, pkt(1, 1, opt(1, b"\x05\xd4", length=0)))),
    "opt_len1": seq(0, rec(LCP, pkt(1, 1, opt(5, b"PPPP", length=1)))),
    "opt_past_end": seq(0, rec(LCP, pkt(1, 1, MRU + opt(5, b"PP", length=6)))),
    "opt_half": seq(0, rec(LCP, pkt(1, 1, MRU + b"\x05"))),
    "opt_oversize": seq(0, rec(LCP, pkt(1, 1, opt(0x42, b"A" * 253)))),
    "auth_short": seq(0, rec(LCP, pkt(1, 1, opt(3, b"\xc0")))),
    "echo_short": seq(0, rec(LCP, CONFREQ), rec(ACK_LCP), rec(LCP, pkt(9, 1, b"PP"))),
}

# One input per hostile case of issue 5, fed in Req-Sent and once more on
# an opened link (the renegotiation path parses the same options).
for name, bad in cp_cases(MRU).items():
    SEEDS[name] = seq(0, rec(LCP, bad), rec(LCP, CONFREQ), rec(ACK_LCP), rec(LCP, bad))

# auth = pap (0x40), chap (0x80), mschapv2 (0xc0): the AC asks for another
# protocol (Nak), comes round or drops the option, then ends the link.
AUTH_PAP, AUTH_CHAP, AUTH_MSCHAPV2 = 0x40, 0x80, 0xc0
SEEDS.update({
    "auth_pap_nak_mschap": seq(AUTH_PAP, rec(LCP, pkt(1, 2, MRU + opt(3, b"\xc2\x23\x81") + MAGIC)),
                               rec(LCP, pkt(1, 3, MRU + opt(3, b"\xc0\x23") + MAGIC)), rec(ACK_LCP)),
    "auth_mschap_nak_pap_term": seq(AUTH_MSCHAPV2, rec(LCP, pkt(1, 2, opt(3, b"\xc0\x23"))),
                                    rec(LCP, pkt(5, 3)), rec(LCP, CONFREQ), rec(ACK_LCP),
                                    rec(LCP, pkt(5, 4)), advance()),
    "auth_chap_drop": seq(AUTH_CHAP, rec(LCP, pkt(1, 2, opt(3, b"\xc2\x23\x81"))),
                          rec(LCP, CONFREQ), rec(ACK_LCP), rec(LCP, pkt(5, 9)), advance()),
})

if __name__ == "__main__":
    write(OUT, SEEDS)
