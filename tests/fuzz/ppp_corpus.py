# SPDX-License-Identifier: GPL-2.0-or-later
"""Building blocks for the seed corpora of the stateful PPP fuzz targets.

An input is one config byte, then records [selector, length(2, big
endian), bytes] as tests/fuzz/ppp_fuzz.h reads them.
"""
import os
import struct

LCP, PAP, CHAP, IPCP, IPV6CP, RAWPROTO = 0, 1, 2, 3, 4, 5
ADVANCE, ACK_LCP, ACK_IPCP, CLOSE, REOPEN = 6, 7, 8, 9, 10
NAK_LCP, NAK_IPCP, ID_LCP, ID_IPCP, ID_AUTH = 11, 12, 13, 14, 15
REJ = 0x10  # with NAK_LCP / NAK_IPCP: a Configure-Reject instead

CFG_DNS, CFG_ECHO, CFG_ECHO_FAIL, CFG_MRU1500, CFG_TIGHT, CFG_MAXPAYLOAD = 1, 2, 4, 8, 16, 32


def pkt(code, ident, data=b"", length=None):
    if length is None:
        length = 4 + len(data)
    return struct.pack("!BBH", code, ident, length) + data


def opt(t, v=b"", length=None):
    return bytes([t, 2 + len(v) if length is None else length]) + v


def rec(sel, data=b""):
    return struct.pack("!BH", sel, len(data)) + data


def advance(units=60):
    """Move the fake clock by units * 50 ms."""
    return rec(ADVANCE, bytes([units]))


def seq(cfg, *records):
    return bytes([cfg]) + b"".join(records)


def write(directory, seeds):
    os.makedirs(directory, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)


def cp_cases(good_opt):
    """The hostile cases of issue 5 as control packets (Configure-Request
    around @good_opt), one per case, keyed by case name."""
    t = good_opt[0]
    return {
        "case_truncated": pkt(1, 1, good_opt)[:3],
        "case_len_too_big": pkt(1, 1, good_opt, length=4 + len(good_opt) + 60),
        "case_len_too_small": pkt(1, 1, good_opt + good_opt, length=4 + len(good_opt) - 1),
        "case_opt_len0": pkt(1, 1, good_opt + opt(t, good_opt[2:], length=0)),
        "case_opt_len1": pkt(1, 1, good_opt + opt(t, good_opt[2:], length=1)),
        "case_opt_partial_hdr": pkt(1, 1, good_opt + bytes([t])),
        "case_opt_oversize": pkt(1, 1, opt(t, b"\xff" * 253)),
        "case_nak_opt_len0": pkt(3, 1, opt(t, good_opt[2:], length=0)),
        "case_rej_opt_len1": pkt(4, 1, opt(t, good_opt[2:], length=1)),
    }
