#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of fuzz_cp: control packets, good and malformed."""
import os
import struct
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "cp")


def pkt(code, ident, data=b"", length=None):
    if length is None:
        length = 4 + len(data)
    return struct.pack("!BBH", code, ident, length) + data


def opt(t, v=b"", length=None):
    return bytes([t, 2 + len(v) if length is None else length]) + v


SEEDS = {
    "lcp_confreq": pkt(1, 1, opt(1, b"\x05\xd4") + opt(5, b"\x01\x02\x03\x04")),
    "lcp_confreq_chap": pkt(1, 2, opt(1, b"\x05\xd4") + opt(3, b"\xc2\x23\x05")
                            + opt(5, b"PPPP")),
    "lcp_confack": pkt(2, 1, opt(1, b"\x05\xd4")),
    "lcp_confnak": pkt(3, 1, opt(1, b"\x05\x78")),
    "lcp_confrej": pkt(4, 1, opt(2, b"\0\0\0\0") + opt(7) + opt(8)),
    "termreq": pkt(5, 9),
    "termack": pkt(6, 9),
    "coderej": pkt(7, 3, pkt(0x20, 1, b"ab")),
    "protrej": pkt(8, 4, b"\x80\x57" + pkt(1, 1)),
    "echoreq": pkt(9, 5, b"\x01\x02\x03\x04hello"),
    "ipcp_confreq": pkt(1, 1, opt(3, bytes(4)) + opt(129, bytes(4)) + opt(131, bytes(4))),
    "padding": pkt(1, 1, opt(1, b"\x05\xd4")) + b"\0" * 10,
    "empty_opts": pkt(1, 1),
    # malformed
    "short_hdr": b"\x01\x01\x00",
    "len_lt4": pkt(1, 1, length=3),
    "len_zero": pkt(1, 1, b"xx", length=0),
    "len_past_end": pkt(1, 1, opt(1, b"\x05\xd4"), length=40),
    "opt_len0": pkt(1, 1, opt(1, b"\x05\xd4", length=0)),
    "opt_len1": pkt(1, 1, opt(1, b"\x05\xd4", length=1)),
    "opt_past_end": pkt(1, 1, opt(1, b"\x05\xd4") + opt(5, b"\x01\x02", length=6)),
    "opt_half_hdr": pkt(1, 1, opt(1, b"\x05\xd4") + b"\x05"),
    "opt_oversize": pkt(1, 1, opt(0x42, b"A" * 253)),
    "opt_255_past": pkt(1, 1, opt(0x42, b"A" * 100, length=255)),
}


sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ppp_corpus import cp_cases  # noqa: E402

# One input per hostile case of issue 5 (LCP options; IPCP ones in fuzz_ipcp).
SEEDS.update(cp_cases(opt(1, b"\x05\xd4")))


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
