#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of fuzz_ipcp (IPCP once LCP is up, no auth)."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppp_corpus import *  # noqa: E402,F403

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "ipcp")
ADDR = opt(3, bytes([10, 0, 0, 254]))
NAK = opt(3, bytes([10, 0, 0, 1])) + opt(129, bytes([8, 8, 8, 8])) + opt(131, bytes([8, 8, 4, 4]))

SEEDS = {
    "empty": seq(CFG_DNS),
    "up": seq(CFG_DNS, rec(IPCP, pkt(1, 1, ADDR)), rec(NAK_IPCP, NAK), rec(ACK_IPCP)),
    "up_nodns": seq(0, rec(IPCP, pkt(1, 1, ADDR)), rec(NAK_IPCP, opt(3, bytes([10, 0, 0, 1]))),
                    rec(ACK_IPCP)),
    "dns_rej": seq(CFG_DNS, rec(NAK_IPCP | REJ, opt(129, bytes(4)) + opt(131, bytes(4))),
                   rec(NAK_IPCP, opt(3, bytes([1, 2, 3, 4]))), rec(ACK_IPCP),
                   rec(IPCP, pkt(1, 2))),
    "addr_rej": seq(CFG_DNS, rec(NAK_IPCP | REJ, opt(3, bytes(4))), rec(ACK_IPCP)),
    "ack_zero": seq(CFG_DNS, rec(IPCP, pkt(1, 1)), rec(ACK_IPCP), advance()),
    "peer_comp": seq(CFG_DNS, rec(IPCP, pkt(1, 3, opt(2, b"\x00\x2d\x0f\x01") + ADDR))),
    "peer_zero": seq(CFG_DNS, rec(IPCP, pkt(1, 3, opt(3, bytes(4))))),
    "peer_old": seq(CFG_DNS, rec(IPCP, pkt(1, 3, opt(1, bytes(8)) + opt(130, bytes(4))))),
    "term": seq(CFG_DNS, rec(IPCP, pkt(1, 1, ADDR)), rec(NAK_IPCP, NAK), rec(ACK_IPCP),
                rec(IPCP, pkt(5, 4)), advance(), advance()),
    "renegotiate": seq(CFG_DNS, rec(IPCP, pkt(1, 1, ADDR)), rec(NAK_IPCP, NAK), rec(ACK_IPCP),
                       rec(IPCP, pkt(1, 2, ADDR))),
    "lcp_reneg": seq(CFG_DNS, rec(IPCP, pkt(1, 1, ADDR)), rec(NAK_IPCP, NAK), rec(ACK_IPCP),
                     rec(LCP, pkt(1, 7, opt(5, b"RRRR"))), rec(ACK_LCP)),
    "max_configure": seq(CFG_TIGHT | CFG_DNS, advance(3), advance(3), advance(3), advance(3)),
    "code_unknown": seq(CFG_DNS, rec(IPCP, pkt(9, 1, b"abcd"))),
    "protrej_ipcp": seq(CFG_DNS, rec(LCP, pkt(8, 1, b"\x80\x21" + pkt(1, 1)))),
    "nak_bad": seq(CFG_DNS, rec(NAK_IPCP, opt(3, b"\x01"))),
    # malformed
    "trunc": seq(CFG_DNS, rec(IPCP, b"\x01\x01")),
    "len_big": seq(CFG_DNS, rec(IPCP, pkt(1, 1, ADDR, length=99))),
    "opt_len0": seq(CFG_DNS, rec(IPCP, pkt(1, 1, opt(3, bytes(4), length=0)))),
    "opt_len1": seq(CFG_DNS, rec(IPCP, pkt(1, 1, opt(3, bytes(4), length=1)))),
    "opt_past_end": seq(CFG_DNS, rec(IPCP, pkt(1, 1, opt(3, bytes(2), length=6)))),
    "opt_oversize": seq(CFG_DNS, rec(IPCP, pkt(1, 1, opt(3, bytes(250))))),
    "rej_past_end": seq(CFG_DNS, rec(NAK_IPCP | REJ, opt(129, bytes(2), length=6))),
}

# One input per hostile case of issue 5, before and after IPCP opened.
for name, bad in cp_cases(ADDR).items():
    SEEDS[name] = seq(CFG_DNS, rec(IPCP, bad), rec(IPCP, pkt(1, 1, ADDR)), rec(NAK_IPCP, NAK),
                      rec(ACK_IPCP), rec(IPCP, bad))

if __name__ == "__main__":
    write(OUT, SEEDS)
