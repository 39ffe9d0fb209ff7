#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""One long-lived TCP connection for restart tests.

  tcp_echo.py server ADDR PORT
      echo every byte back, one thread per connection, until killed
  tcp_echo.py client IFNAME ADDR PORT DIR ROUNDS
      connect bound to IFNAME (SO_BINDTODEVICE, like curl --interface) and
      write DIR/connected; then for round 1..ROUNDS wait for DIR/goN, send
      a line, wait up to 60 s for its echo and write DIR/okN (or DIR/failN
      with the reason). The same connection throughout: a restart of the
      daemon in between must not break it.
"""
import os
import socket
import sys
import threading
import time


def serve(addr, port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(8)

    def echo(c):
        with c:
            while True:
                data = c.recv(4096)
                if not data:
                    return
                c.sendall(data)

    while True:
        c, _ = s.accept()
        threading.Thread(target=echo, args=(c,), daemon=True).start()


def client(ifname, addr, port, d, rounds):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    s.settimeout(30)
    s.connect((addr, port))
    local = s.getsockname()
    with open(os.path.join(d, "connected"), "w") as f:
        f.write("%s:%d\n" % local)
    for n in range(1, rounds + 1):
        go = os.path.join(d, "go%d" % n)
        deadline = time.monotonic() + 900
        while not os.path.exists(go):
            if time.monotonic() > deadline:
                return 1  # the test gave up: do not keep its netns alive
            time.sleep(0.1)
        line = ("round %d from %s:%d\n" % (n, local[0], local[1])).encode()
        try:
            s.settimeout(60)
            s.sendall(line)
            got = b""
            while len(got) < len(line):
                chunk = s.recv(len(line) - len(got))
                if not chunk:
                    raise OSError("connection closed by the peer")
                got += chunk
            result, text = ("ok", "") if got == line else ("fail", "echo %r" % got)
        except OSError as e:
            result, text = "fail", str(e)
        with open(os.path.join(d, "%s%d" % (result, n)), "w") as f:
            f.write(text + "\n")
        if result == "fail":
            return 1
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "server":
        serve(argv[2], int(argv[3]))
        return 0
    if len(argv) == 7 and argv[1] == "client":
        return client(argv[2], argv[3], int(argv[4]), argv[5], int(argv[6]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
