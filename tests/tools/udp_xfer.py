#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""UDP datagrams whose every byte is checked, for the TUN offload test.

  udp_xfer.py recv IFNAME PORT COUNT IDLE_S
      bind 0.0.0.0:PORT to IFNAME (SO_BINDTODEVICE); write "ready" to
      stdout; take datagrams until COUNT have come or none for IDLE_S
      seconds; print "received N corrupt C duplicate D sizes S1,S2,...".
      A datagram is: sequence number and length (4 bytes each), then
      bytes that follow from both; corrupt: any of that disagrees.
  udp_xfer.py send ADDR PORT COUNT
      send COUNT datagrams in bursts of 32 back to back (one size per
      burst, the burst's last one shorter), a short pause between bursts.
"""
import socket
import struct
import sys
import time

SIZES = (1464, 1000, 333, 64, 9)
BURST = 32


def body(seq, n):
    """the n bytes of datagram seq: header, then a pattern of both"""
    head = struct.pack("!II", seq, n)
    if n <= len(head):
        return head[:n]
    k = (seq * 2654435761 + n) & 0xFF
    return head + bytes((k + i * 7) & 0xFF for i in range(n - len(head)))


def size_of(seq):
    burst, i = divmod(seq, BURST)
    n = SIZES[burst % len(SIZES)]
    return max(8, n // 2) if i == BURST - 1 else n


def recv(ifname, port, count, idle):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    s.bind(("0.0.0.0", port))
    s.settimeout(idle)
    print("ready", flush=True)
    seen = set()
    corrupt = dup = 0
    sizes = set()
    while len(seen) < count:
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if len(d) < 8:
            corrupt += 1
            continue
        seq, n = struct.unpack("!II", d[:8])
        if n != len(d) or seq >= count or size_of(seq) != n or d != body(seq, n):
            corrupt += 1
            continue
        if seq in seen:
            dup += 1
        seen.add(seq)
        sizes.add(n)
    print("received %d corrupt %d duplicate %d sizes %s" %
          (len(seen), corrupt, dup, ",".join(map(str, sorted(sizes)))))


def send(addr, port, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for seq in range(count):
        s.sendto(body(seq, size_of(seq)), (addr, port))
        if seq % BURST == BURST - 1:
            time.sleep(0.002)


def main(argv):
    if len(argv) == 6 and argv[1] == "recv":
        recv(argv[2], int(argv[3]), int(argv[4]), float(argv[5]))
    elif len(argv) == 5 and argv[1] == "send":
        send(argv[2], int(argv[3]), int(argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
