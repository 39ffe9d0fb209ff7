#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mkcorpus_dhcp6.py - write the seed corpus of fuzz_dhcp6.

Byte 0 of each input picks the mode (see tests/fuzz/fuzz_dhcp6.c):
0x80 = codec mode (the rest is one DHCPv6 message), otherwise machine mode
with config bits (1 IA_NA, 2 IA_PD, 4 Rapid Commit, 8 prefix length hint)
followed by a script of operations."""
import os
import struct
import sys

SOLICIT, ADVERTISE, REQUEST, RENEW, REBIND, REPLY, RELEASE = 1, 2, 3, 5, 6, 7, 8
CLIENTID, SERVERID, IA_NA, IAADDR, ORO, PREF, ELAPSED = 1, 2, 3, 5, 6, 7, 8
UNICAST, STATUS, RAPID, DNS, DOMAINS, IA_PD, IAPREFIX, SOLMAXRT = 12, 13, 14, 23, 24, 25, 26, 82
IAID = 0x11223344
DUID = bytes.fromhex("0003000102aabbccdd01")
SRV = bytes.fromhex("00021111")
SRV2 = bytes.fromhex("00022222")
A5 = bytes.fromhex("20010db8000000000000000000000005")
P1 = bytes.fromhex("20010db8000100000000000000000000")
P2 = bytes.fromhex("20010db8000200000000000000000000")


def opt(code, val=b""):
    return struct.pack(">HH", code, len(val)) + val


def status(code, text=b""):
    return opt(STATUS, struct.pack(">H", code) + text)


def iaaddr(a, pref, valid, sub=b""):
    return opt(IAADDR, a + struct.pack(">II", pref, valid) + sub)


def iaprefix(p, plen, pref, valid, sub=b""):
    return opt(IAPREFIX, struct.pack(">IIB", pref, valid, plen) + p + sub)


def ia_na(t1, t2, sub=b"", iaid=IAID):
    return opt(IA_NA, struct.pack(">III", iaid, t1, t2) + sub)


def ia_pd(t1, t2, sub=b"", iaid=IAID):
    return opt(IA_PD, struct.pack(">III", iaid, t1, t2) + sub)


def msg(mtype, opts, xid=0x123456):
    return bytes([mtype]) + xid.to_bytes(3, "big") + opts


NA_OK = ia_na(100, 160, iaaddr(A5, 200, 300))
PD_OK = ia_pd(100, 160, iaprefix(P1, 56, 400, 500))
# Server messages for op 1 (the harness adds xid and our Client ID).
ADV = msg(ADVERTISE, opt(SERVERID, SRV) + opt(PREF, b"\xff") + NA_OK + PD_OK)
ADV0 = msg(ADVERTISE, opt(SERVERID, SRV2) + NA_OK + PD_OK + opt(UNICAST, A5))
REP = msg(REPLY, opt(SERVERID, SRV) + NA_OK + PD_OK + opt(DNS, A5) + opt(DOMAINS, b"\x03lab\x00"))
REP_NOB = msg(REPLY, opt(SERVERID, SRV) + NA_OK + ia_pd(0, 0, status(3, b"no binding")))
REP_ZERO = msg(REPLY, opt(SERVERID, SRV) + ia_na(0, 0, iaaddr(A5, 0, 0)) +
               ia_pd(0, 0, iaprefix(P1, 56, 0, 0) + iaprefix(P2, 56, 10, 20)))
REP_UNSPEC = msg(REPLY, opt(SERVERID, SRV) + status(1, b"busy"))
REP_MCAST = msg(REPLY, opt(SERVERID, SRV) + status(5))
REP_RAPID = msg(REPLY, opt(SERVERID, SRV) + opt(RAPID) + NA_OK + PD_OK)
REP_NOADDR = msg(REPLY, opt(SERVERID, SRV) + ia_na(0, 0, status(2)) + PD_OK)


def op_raw(m):
    return b"\x00" + struct.pack(">H", len(m)) + m


def op_srv(m):
    return b"\x01" + struct.pack(">H", len(m)) + m


def op_ms(units):
    return bytes([0x02, units])


def op_jump(times):
    """run to the next armed timer, times (1..8) times"""
    return bytes([0x03, times - 1])


BIND = op_ms(12) + op_srv(ADV) + op_srv(REP)

CODEC = {
    "c_reply": msg(REPLY, opt(CLIENTID, DUID) + opt(SERVERID, SRV) + opt(PREF, b"\x07") +
                   opt(DNS, A5 * 2) + NA_OK + ia_pd(0, 0, iaprefix(P1, 56, 400, 500, status(0, b"ok")))),
    "c_solicit": msg(SOLICIT, opt(CLIENTID, DUID) + opt(ELAPSED, b"\0\0") +
                     opt(ORO, b"\x00\x17\x00\x18\x00\x52") + ia_na(0, 0) +
                     ia_pd(0, 0, iaprefix(bytes(16), 56, 0, 0)) + opt(RAPID)),
    "c_advertise": msg(ADVERTISE, opt(CLIENTID, DUID) + opt(SERVERID, SRV) + opt(PREF, b"\xff") +
                       opt(UNICAST, A5) + opt(SOLMAXRT, b"\0\0\0\x3c") + NA_OK + PD_OK),
    "c_status": msg(REPLY, opt(CLIENTID, DUID) + opt(SERVERID, SRV) + status(2, b"none") +
                    ia_na(1, 2, status(3)) + ia_pd(1, 2, status(6, b"x"))),
    "c_many": msg(REPLY, ia_na(1, 2, b"".join(iaaddr(A5[:15] + bytes([i]), 1, 2) for i in range(6))) +
                  ia_na(3, 4) + opt(0x7777, b"??") + opt(DNS, A5 * 6)),
    "c_bad_len": msg(REPLY, opt(PREF, b"\x01\x02")),
    "c_trunc": msg(REPLY, opt(CLIENTID, DUID))[:-3],
    "c_bad_plen": msg(REPLY, ia_pd(0, 0, iaprefix(P1, 129, 1, 2))),
    "c_relay": bytes([13, 0, 0, 0]) + opt(9, b"x"),
}

MACHINE = {
    "m_bind": (3, BIND + op_jump(1) + op_srv(REP) + op_jump(2)),
    "m_collect": (3, op_ms(12) + op_srv(ADV0) + op_ms(12) + op_srv(REP)),
    "m_rebind": (3, BIND + op_jump(5) + op_srv(REP) + op_jump(8) + op_jump(8)),
    "m_nobinding": (3, BIND + op_jump(1) + op_srv(REP_NOB) + op_srv(REP)),
    "m_zero": (3, BIND + op_jump(1) + op_srv(REP_ZERO) + op_jump(3)),
    "m_statuses": (3, op_ms(12) + op_srv(ADV) + op_srv(REP_UNSPEC) + op_srv(REP_MCAST) +
                   op_ms(20) + op_srv(REP_NOADDR)),
    "m_rapid": (7, op_ms(12) + op_srv(REP_RAPID) + op_jump(1) + op_srv(REP)),
    "m_redial": (11, BIND + b"\x04" + BIND + b"\x05" + b"\x06" + op_ms(12)),
    "m_pd_only": (2 | 8, op_ms(12) + op_srv(ADV) + op_srv(REP) + op_jump(8) + op_jump(8)),
    "m_raw": (1, op_ms(12) + op_raw(ADV) + op_raw(REP)),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "dhcp6")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(CODEC.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(b"\x80" + data)
    for name, (cfg, script) in sorted(MACHINE.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([cfg]) + script)


if __name__ == "__main__":
    main()
