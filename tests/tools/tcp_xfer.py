#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Bulk TCP transfers with a checksum, for the TUN offload test.

  tcp_xfer.py server ADDR PORT FILE
      serve until killed, one connection at a time: a client's first byte
      says what it wants. 'U': read until the client shuts its side down,
      answer with the sha256 (hex) of what arrived and the byte count.
      'D': send FILE, then close.
  tcp_xfer.py client IFNAME ADDR PORT up|down FILE
      connect bound to IFNAME (SO_BINDTODEVICE) and upload FILE ('U') or
      download ('D'); print "sha256 HEX bytes N secs S mbit M", where the
      sha256 is the server's for an upload and of what arrived for a
      download.
"""
import hashlib
import os
import socket
import sys
import time

CHUNK = 1 << 20


def recv_all(c, h):
    n = 0
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    while True:
        k = c.recv_into(view)
        if not k:
            return n
        h.update(view[:k])
        n += k


def serve(addr, port, path):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(4)
    while True:
        c, _ = s.accept()
        with c:
            try:
                op = c.recv(1)
                if op == b"U":
                    h = hashlib.sha256()
                    n = recv_all(c, h)
                    c.sendall(f"{h.hexdigest()} {n}\n".encode())
                elif op == b"D":
                    with open(path, "rb") as f:
                        c.sendfile(f)
            except OSError as e:
                print(f"tcp_xfer server: {e}", file=sys.stderr)


def client(ifname, addr, port, way, path):
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    c.settimeout(120)
    c.connect((addr, port))
    t0 = time.monotonic()
    if way == "up":
        c.sendall(b"U")
        with open(path, "rb") as f:
            c.sendfile(f)
        c.shutdown(socket.SHUT_WR)
        ans = b""
        while not ans.endswith(b"\n"):
            k = c.recv(256)
            if not k:
                break
            ans += k
        digest, n = ans.decode().split()
        n = int(n)
    else:
        c.sendall(b"D")
        h = hashlib.sha256()
        n = recv_all(c, h)
        digest = h.hexdigest()
    secs = time.monotonic() - t0
    c.close()
    print(f"sha256 {digest} bytes {n} secs {secs:.3f} mbit {n * 8 / secs / 1e6:.0f}")


def main(argv):
    if len(argv) == 5 and argv[1] == "server":
        serve(argv[2], int(argv[3]), argv[4])
    elif len(argv) == 7 and argv[1] == "client" and argv[5] in ("up", "down"):
        client(argv[2], argv[3], int(argv[4]), argv[5], argv[6])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
