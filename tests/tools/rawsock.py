#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""rawsock.py - send or capture raw Ethernet frames (stdlib AF_PACKET only).

  rawsock.py send IFACE HEX...        send each frame once
  rawsock.py recv IFACE SECONDS [COUNT] [--types 8863,8864]
        print "READY", then one "RX <hex>" line per received (not outgoing)
        frame whose EtherType (after any VLAN tags) is in --types (default
        8863,8864), until SECONDS pass or COUNT frames arrived.

VLAN tags the kernel moved into packet metadata are put back into the
printed frame, so output is what was on the wire.
"""
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 1 << 4
TP_STATUS_VLAN_TPID_VALID = 1 << 6


def inner_type(frame):
    off, et = 12, None
    for _ in range(4):
        if len(frame) < off + 2:
            return None
        et = struct.unpack("!H", frame[off:off + 2])[0]
        if et not in (0x8100, 0x88A8):
            return et
        off += 4
    return et


def restore_vlan(frame, anc):
    for level, typ, data in anc:
        if level != SOL_PACKET or typ != PACKET_AUXDATA or len(data) < 20:
            continue
        # struct tpacket_auxdata: status, len, snaplen, mac, net, tci, tpid
        status, _, _, _, _, tci, tpid = struct.unpack("IIIHHHH", data[:20])
        if status & TP_STATUS_VLAN_VALID:
            if not status & TP_STATUS_VLAN_TPID_VALID:
                tpid = 0x8100
            return frame[:12] + struct.pack("!HH", tpid, tci) + frame[12:]
    return frame


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, iface = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    if cmd == "send":
        for h in sys.argv[3:]:
            s.send(bytes.fromhex(h))
        return
    if cmd != "recv":
        sys.exit(__doc__)
    args = [a for a in sys.argv[3:] if not a.startswith("--")]
    types = {0x8863, 0x8864}
    for i, a in enumerate(sys.argv):
        if a == "--types":
            types = {int(t, 16) for t in sys.argv[i + 1].split(",")}
            args = [x for x in args if x != sys.argv[i + 1]]
    secs = float(args[0])
    count = int(args[1]) if len(args) > 1 else 0
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    # Bursts from the TX tests must not overflow the default buffer.
    SO_RCVBUFFORCE = 33
    try:
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
    s.settimeout(0.1)
    print("READY", flush=True)
    end, n = time.time() + secs, 0
    while time.time() < end and (not count or n < count):
        try:
            data, anc, _, addr = s.recvmsg(65536, socket.CMSG_SPACE(32))
        except socket.timeout:
            continue
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        data = restore_vlan(data, anc)
        if inner_type(data) in types:
            print("RX " + data.hex(), flush=True)
            n += 1


if __name__ == "__main__":
    main()
