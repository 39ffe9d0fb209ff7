#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make demo: pppoe-xdp against a real access concentrator in a lab of two
# network namespaces. Shows the session's interface, a ping and an HTTP
# fetch through it, then shuts down cleanly. Needs root.
set -u
if [ "$(id -u)" -ne 0 ]; then
	echo "make demo needs root (network namespaces, XDP, TUN): sudo make demo" >&2
	exit 1
fi
. "$(dirname "$0")/integration/lab.sh"
lab_setup || exit 1
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

www=$LAB_DIR/www
mkdir -p "$www"
echo "Hello through PPPoE, served by the access concentrator." >"$www/hello.txt"

say "Booting the access concentrator (rp-pppoe pppoe-server + pppd in User-mode Linux)"
ac_start "$LAB_AC" ac0 AC_AUTH=chap AC_USERS="demo:demo-secret" AC_HTTP_DIR="$www" || exit 1
echo "AC ready in ${AC_BOOT_SECS}s, MAC $AC_MAC"

conf=$(lab_conf demo.conf <<EOF
[global]
interface = cl0

[session isp]
user = demo
password = demo-secret
ifname = pppx1
EOF
)
say "Config ($conf)"
sed 's/^password = .*/password = ********/' "$conf"

say "Starting: pppoe-xdp run -c $conf"
daemon_start "$conf"
if ! daemon_wait_up pppx1 30; then
	echo "the session did not come up; log:" >&2
	cat "$DAEMON_LOG" >&2
	exit 1
fi
cat "$DAEMON_LOG"

say "ip addr show pppx1"
ip -n "$LAB_CL" addr show pppx1
say "ping -I pppx1 10.64.0.1"
ip netns exec "$LAB_CL" ping -c 3 -i 0.3 -I pppx1 10.64.0.1
say "curl --interface pppx1 http://10.64.0.1/hello.txt"
ip netns exec "$LAB_CL" curl -sS --max-time 10 --interface pppx1 http://10.64.0.1/hello.txt

say "SIGTERM: PADT, TUN removed, XDP detached"
daemon_stop 5 && echo "pppoe-xdp exited with status 0"
tail -n 3 "$DAEMON_LOG"
ip -n "$LAB_CL" link show pppx1 2>/dev/null || echo "pppx1 is gone"
