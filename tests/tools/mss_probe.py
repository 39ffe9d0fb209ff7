#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mss_probe.py - TCP SYNs with a given MSS, sent or seen, for test_mss.sh
(stdlib only).

  mss_probe.py send-tun IFACE SRC DST MSS
        send one IPv4 TCP SYN (MSS option MSS, a right checksum) out of
        IFACE through a raw IP socket bound to it
  mss_probe.py pppoe DST_MAC SRC_MAC SID SRC DST MSS
        print the hex of an Ethernet PPPoE session frame carrying a TCP
        SYN-ACK from SRC to DST with that MSS (for acsim's inject)
  mss_probe.py watch IFACE SECONDS [pppoe]
        print "READY", then "MSS n csum ok|bad" for each TCP SYN seen on
        IFACE (an IP interface such as a TUN, or with "pppoe" the Ethernet
        PPPoE session frames of an access line) until SECONDS pass
"""
import socket
import struct
import sys
import time


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def syn(src, dst, mss, flags=0x02):
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    opts = struct.pack("!BBH", 2, 4, mss) + bytes([1, 1, 4, 2])  # MSS, NOP NOP SACK-OK
    tcp = struct.pack("!HHIIBBHHH", 40000, 80, 1000, 0 if flags == 0x02 else 7,
                      (20 + len(opts)) // 4 << 4, flags, 64240, 0, 0) + opts
    c = csum(s + d + struct.pack("!BBH", 0, 6, len(tcp)) + tcp)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, s, d)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp


def tcp_mss(ip):
    """(mss, checksum ok) of an IPv4 TCP SYN, or None"""
    if len(ip) < 40 or ip[0] >> 4 != 4 or ip[9] != 6:
        return None
    ihl = (ip[0] & 15) * 4
    tot = struct.unpack("!H", ip[2:4])[0]
    tcp = ip[ihl:tot]
    if len(tcp) < 20 or not tcp[13] & 0x02:
        return None
    doff = (tcp[12] >> 4) * 4
    off, mss = 20, None
    while off < doff:
        if tcp[off] == 0:
            break
        if tcp[off] == 1:
            off += 1
            continue
        if tcp[off] == 2 and tcp[off + 1] == 4:
            mss = struct.unpack("!H", tcp[off + 2:off + 4])[0]
        off += max(tcp[off + 1], 2)
    ok = csum(ip[12:20] + struct.pack("!BBH", 0, 6, len(tcp)) + tcp) == 0
    return mss, ok


def main():
    a = sys.argv[1:]
    if a[:1] == ["send-tun"] and len(a) == 5:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a[1].encode())
        s.sendto(syn(a[2], a[3], int(a[4])), (a[3], 0))
    elif a[:1] == ["pppoe"] and len(a) == 7:
        ip = syn(a[4], a[5], int(a[6]), flags=0x12)
        ppp = b"\x00\x21" + ip
        fr = (bytes.fromhex(a[1].replace(":", "")) + bytes.fromhex(a[2].replace(":", "")) +
              b"\x88\x64" + struct.pack("!BBHH", 0x11, 0, int(a[3], 0), len(ppp)) + ppp)
        print(fr.hex())
    elif a[:1] == ["watch"] and len(a) in (3, 4):
        pppoe = len(a) == 4 and a[3] == "pppoe"
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW if pppoe else socket.SOCK_DGRAM,
                          socket.htons(0x0003))
        s.bind((a[1], 0))
        s.settimeout(0.2)
        print("READY", flush=True)
        end = time.time() + float(a[2])
        while time.time() < end:
            try:
                data = s.recv(65535)
            except socket.timeout:
                continue
            if pppoe:
                if len(data) < 22 or data[12:14] != b"\x88\x64" or data[20:22] != b"\x00\x21":
                    continue
                data = data[22:]
            r = tcp_mss(data)
            if r and r[0] is not None:
                print("MSS %d csum %s" % (r[0], "ok" if r[1] else "bad"), flush=True)
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
