#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Ping through many interfaces at once until each has answered once.

  pingall.py TIMEOUT_S < LIST

LIST has one "IFNAME ADDRESS" per line. One raw ICMP socket per interface
(SO_BINDTODEVICE); an Echo-Request goes out on every interface that has not
answered yet, every 200 ms. Prints "answered A/N in MS ms" (MS from the
start to the last first answer) and exits 0 when all answered before
TIMEOUT_S, 1 otherwise (listing up to 10 silent interfaces).
"""
import os
import resource
import select
import socket
import struct
import sys
import time


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def echo(ident, seq):
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    payload = b"pppoe-xdp pingall"
    return struct.pack("!BBHHH", 8, 0, csum(hdr + payload), ident, seq) + payload


def main(argv):
    timeout = float(argv[1]) if len(argv) > 1 else 30.0
    targets = [l.split() for l in sys.stdin if l.strip()]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = len(targets) + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard) if hard > 0 else want, hard))
    socks = {}
    for i, (ifname, addr) in enumerate(targets):
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
        s.setblocking(False)
        socks[s.fileno()] = (s, i, ifname, addr)
    ep = select.epoll()
    for fd in socks:
        ep.register(fd, select.EPOLLIN)
    pending = set(socks)
    t0 = time.monotonic()
    last = t0
    seq = 0
    next_send = t0
    while pending and time.monotonic() - t0 < timeout:
        now = time.monotonic()
        if now >= next_send:
            seq = (seq + 1) & 0xffff
            for fd in pending:
                s, i, ifname, addr = socks[fd]
                try:
                    s.sendto(echo(i & 0xffff, seq), (addr, 0))
                except OSError:
                    pass  # no route yet (the session is not up): next round
            next_send = now + 0.2
        for fd, _ in ep.poll(max(0.0, next_send - time.monotonic())):
            s, i, _, _ = socks[fd]
            while True:
                try:
                    pkt = s.recv(2048)
                except BlockingIOError:
                    break
                ihl = (pkt[0] & 0x0f) * 4
                if len(pkt) < ihl + 8:
                    continue
                typ, _, _, ident, _ = struct.unpack("!BBHHH", pkt[ihl:ihl + 8])
                if typ == 0 and ident == (i & 0xffff) and fd in pending:
                    pending.discard(fd)
                    last = time.monotonic()
    n = len(socks)
    print("answered %d/%d in %d ms" % (n - len(pending), n, int((last - t0) * 1000)))
    if pending:
        print("silent: " + " ".join(socks[fd][2] for fd in list(pending)[:10]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
