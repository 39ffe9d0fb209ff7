#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# IPv6 against the real access concentrator: pppd with +ipv6 (IPv6CP, RFC
# 5072) behind rp-pppoe's pppoe-server in the UML guest, radvd advertising
# a /64 on each session's ppp interface (tests/ac: AC_IPV6=1 AC_RADVD=1).
# With the default settings but ipv6 = yes and a routing table:
#   - IPv6CP up: the TUN has fe80::IID/64 (IID from the session name) and
#     the AC's pppd saw that very identifier as its peer's;
#   - ping6 to the AC's link-local through the TUN;
#   - SLAAC from radvd's RA: the address 2001:db8:64:0:IID/64, a default
#     route via the AC's link-local in the session's table, a rule from the
#     address to it; ping6 to the AC's global address from the SLAAC address
#     (routing by source address alone);
#   - a redial presents the same link-local (the AC's pppd sees the same
#     identifier) and gets the same IID in its new session's prefix;
#   - SIGTERM: no IPv6 rule left;
#   - against an AC without IPv6 (pppd noipv6, which Protocol-Rejects
#     IPv6CP): IPv4 up, "IPv6 unavailable" logged, no IPv6 on the TUN.
set -u
. "$(dirname "$0")/lab.sh"
command -v radvd >/dev/null || { echo "SKIP: radvd not installed (scripts/install-deps.sh)"; exit 77; }
lab_setup || exit 1
ac_start "$LAB_AC" ac0 AC_AUTH=pap AC_USERS="alice:wonderland" AC_IPV6=1 AC_RADVD=1 || exit 1

conf=$(lab_conf v6.conf <<EOF
[global]
interface = cl0
control_socket = $LAB_DIR/ctl.sock

[session wan6]
user = alice
password = wonderland
ifname = pppx6
route_table = 100
ipv6 = yes
EOF
)
daemon_start "$conf" -v

# ll_of NAME - the documented link-local of session NAME
ll_of() {
	python3 - "$1" <<'PY'
import ipaddress, sys
h = 14695981039346656037
for c in ("pppoe-xdp ipv6cp " + sys.argv[1]).encode():
    h = ((h ^ c) * 1099511628211) & (2**64 - 1)
b = bytearray(h.to_bytes(8, "big"))
b[0] &= 0xfd
print(ipaddress.IPv6Address(b"\xfe\x80" + b"\0" * 6 + bytes(b)))
PY
}
cl() { ip netns exec "$LAB_CL" "$@"; }
LL=$(ll_of wan6)
IID=${LL#fe80::}
SLAAC=2001:db8:64:0:$IID
has_ll() { ip -n "$LAB_CL" -6 -o addr show dev pppx6 scope link | grep -q " $LL/64 "; }
has_slaac() { ip -n "$LAB_CL" -6 -o addr show dev pppx6 scope global | grep -q " $SLAAC/64 "; }
# ac_ll - the AC's link-local as its pppd's ipv6-up reported it, in the
# canonical text form ip and the daemon print (pppd keeps leading zeros)
ac_ll() {
	python3 -c 'import ipaddress, sys; print(ipaddress.IPv6Address(sys.argv[1]))' \
		"$(awk '/^ipv6-up / { for (i = 3; i <= NF; i++) if ($i ~ /^local=/) l = substr($i, 7) } END { print l }' "$AC_DIR/rw/events")"
}

check "session comes up (IPv4)" daemon_wait_up pppx6 30
check "IPv6CP up (daemon log)" wait_for 15 grep -q "wan6/pppx6.*IPv6CP up: local $LL" "$DAEMON_LOG"
check "link-local $LL/64 on the TUN" wait_for 10 has_ll
check "the AC's pppd: IPv6CP up with our identifier as the peer's" \
	ac_wait_log -f "$AC_DIR/rw/events" -t 10 "^ipv6-up ppp[0-9]+ local=fe80::[0-9a-f:]+ peer=$LL\$"
acll=$(ac_ll)
check "ping6 the AC's link-local $acll through the TUN" cl ping -6 -c 3 -i 0.3 -W 2 "$acll%pppx6"
check "SLAAC from radvd's RA: $SLAAC/64" wait_for 30 has_slaac
check "   with the RA's lifetimes" bash -c \
	"ip -n $LAB_CL -6 addr show dev pppx6 scope global | grep -Eq 'valid_lft 86[34][0-9][0-9]sec preferred_lft 14[34][0-9][0-9]sec'"
check "default route via the AC's link-local in table 100" wait_for 5 bash -c \
	"ip -n $LAB_CL -6 route show table 100 | grep -q '^default via $acll dev pppx6'"
check "rule from $SLAAC lookup 100" bash -c "ip -n $LAB_CL -6 rule | grep -q 'from $SLAAC lookup 100'"
check "ping6 the AC's global address from the SLAAC address (routing by source)" \
	cl ping -6 -c 3 -i 0.3 -W 2 -I "$SLAAC" 2001:db8:64:ffff::1
check "status --json: IPv6 up with the address and the router" bash -c \
	"$PPPOE_XDP -s $LAB_DIR/ctl.sock status --json | python3 -c '
import json, sys
v = json.load(sys.stdin)[\"sessions\"][0][\"ipv6\"]
assert v[\"status\"] == \"up\" and v[\"local\"] == \"$LL\" and v[\"router\"] == \"$acll\", v
assert [a[\"address\"] for a in v[\"addresses\"]] == [\"$SLAAC\"], v'"

line=$(($(wc -l <"$DAEMON_LOG") + 1))
"$PPPOE_XDP" -s "$LAB_DIR/ctl.sock" redial wan6 >/dev/null
check "redial: IPv6CP up again with the same link-local" wait_for 40 bash -c \
	"tail -n +$line '$DAEMON_LOG' | grep -q 'IPv6CP up: local $LL '"
check "redial: the AC sees the same identifier again" \
	ac_wait_log -f "$AC_DIR/rw/events" -t 10 -n 2 "^ipv6-up ppp[0-9]+ local=fe80::[0-9a-f:]+ peer=$LL\$"
# The AC gives the new session the next free pppN, and radvd that unit's /64.
unit=$(awk '/^ipv6-up / { u = $2 } END { sub("ppp", "", u); printf "%x", u }' "$AC_DIR/rw/events")
SLAAC2=2001:db8:64:$unit:$IID
check "redial: link-local back, SLAAC address $SLAAC2 (the new ppp$unit's prefix, the same IID)" \
	wait_for 30 bash -c "$(declare -f has_ll has_slaac); LAB_CL=$LAB_CL LL=$LL SLAAC=$SLAAC2; has_ll && has_slaac"
if [[ $SLAAC2 != "$SLAAC" ]]; then
	check "redial: the old address and its rule are gone" bash -c \
		"! ip -n $LAB_CL -6 addr | grep -q ' $SLAAC/' && ! ip -n $LAB_CL -6 rule | grep -q 'from $SLAAC '"
fi
check "redial: ping6 by source again" wait_for 15 cl ping -6 -c 1 -W 2 -I "$SLAAC2" 2001:db8:64:ffff::1

check "SIGTERM" daemon_stop 5
check "nothing left: TUN, IPv6 rule" bash -c \
	"! ip -n $LAB_CL link show pppx6 2>/dev/null && ! ip -n $LAB_CL -6 rule | grep -q 'lookup 100'"
# The same session against an AC without IPv6 (pppd noipv6): pppd
# Protocol-Rejects IPv6CP; IPv4 comes up and the log says IPv6 is out.
ac_stop >/dev/null 2>&1
ac_start "$LAB_AC" ac0 AC_AUTH=pap AC_USERS="alice:wonderland" AC_IPV6=0 AC_RADVD=0 || exit 1
line=$(($(wc -l <"$DAEMON_LOG") + 1))
daemon_start "$conf" -v
check "AC without IPv6: the session comes up on IPv4" daemon_wait_up pppx6 30
check "   logged: IPv6 unavailable, the AC rejects IPv6CP" wait_for 10 bash -c \
	"tail -n +$line '$DAEMON_LOG' | grep -q 'wan6/pppx6.*IPv6 unavailable: the AC rejects IPv6CP (Protocol-Reject); IPv4 only'"
check "   no IPv6 on the TUN, ping over IPv4 works" bash -c \
	"[ \$(ip netns exec $LAB_CL cat /proc/sys/net/ipv6/conf/pppx6/disable_ipv6) = 1 ] &&
	 ip netns exec $LAB_CL ping -c 2 -i 0.3 -W 2 -I pppx6 10.64.0.1"
check "   status --json: ipv6 unavailable" bash -c \
	"$PPPOE_XDP -s $LAB_DIR/ctl.sock status --json | grep -q '\"ipv6\":{\"status\":\"unavailable\"'"
check "SIGTERM" daemon_stop 5

lab_done
