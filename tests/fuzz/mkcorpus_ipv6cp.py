#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of fuzz_ipv6cp (IPv6CP beside IPCP, LCP up, no auth)."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppp_corpus import *  # noqa: E402,F403

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "ipv6cp")
PEER = opt(1, bytes.fromhex("0abbccddeeff0001"))
OURS_NAK = opt(1, bytes.fromhex("0908070605040302"))
ZERO = opt(1, bytes(8))
NAK6, ACK6, ID6 = NAK_IPCP, ACK_IPCP, ID_IPCP  # act on IPv6CP in this target

SEEDS = {
    "empty": seq(0),
    "up": seq(0, rec(IPV6CP, pkt(1, 1, PEER)), rec(ACK6)),
    "nak_ours": seq(0, rec(IPV6CP, pkt(1, 1, PEER)), rec(NAK6, OURS_NAK), rec(ACK6)),
    "nak_zero": seq(0, rec(NAK6, ZERO), rec(NAK6, PEER), rec(ACK6)),
    "rej_iid": seq(0, rec(NAK6 | REJ, opt(1, bytes(8))), rec(ACK6)),
    "rej_other": seq(0, rec(NAK6 | REJ, opt(2, b"\x00\x4f"))),
    "peer_empty": seq(0, rec(IPV6CP, pkt(1, 3)), rec(ACK6)),
    "peer_zero": seq(0, rec(IPV6CP, pkt(1, 3, ZERO)), rec(IPV6CP, pkt(1, 4, ZERO))),
    "peer_comp": seq(0, rec(IPV6CP, pkt(1, 3, PEER + opt(2, b"\x00\x4f")))),
    "peer_short_iid": seq(0, rec(IPV6CP, pkt(1, 3, opt(1, b"\x01\x02")))),
    "max_failure": seq(CFG_TIGHT, rec(IPV6CP, pkt(1, 3, ZERO)), rec(IPV6CP, pkt(1, 4, ZERO)),
                       rec(IPV6CP, pkt(1, 5, ZERO))),
    "term": seq(0, rec(IPV6CP, pkt(1, 1, PEER)), rec(ACK6), rec(IPV6CP, pkt(5, 4)),
                advance(), advance()),
    "renegotiate": seq(0, rec(IPV6CP, pkt(1, 1, PEER)), rec(ACK6), rec(IPV6CP, pkt(1, 2, PEER))),
    "protrej": seq(0, rec(LCP, pkt(8, 1, b"\x80\x57" + pkt(1, 1, PEER)))),
    "no_answer": seq(CFG_TIGHT, advance(3), advance(3), advance(3), advance(3)),
    "ipv6_data": seq(0, rec(IPV6CP, pkt(1, 1, PEER)), rec(ACK6),
                     rec(RAWPROTO, b"\x00\x57" + bytes([0x60]) + bytes(39))),
    "lcp_down": seq(0, rec(IPV6CP, pkt(1, 1, PEER)), rec(ACK6), rec(REOPEN)),
    "right_id_nak": seq(0, rec(ID6, pkt(3, 0, OURS_NAK)), rec(ID6, pkt(2, 0, OURS_NAK))),
}
for name, bad in cp_cases(PEER).items():
    SEEDS[name] = seq(0, rec(IPV6CP, bad), rec(IPV6CP, pkt(1, 1, PEER)), rec(ACK6))

if __name__ == "__main__":
    write(OUT, SEEDS)
