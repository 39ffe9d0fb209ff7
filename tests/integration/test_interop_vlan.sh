#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Interop with a real access concentrator on VLAN 7: rp-pppoe's pppoe-server
# on the VLAN device vec0.7 in the UML guest (tests/ac/ac.sh AC_VLAN=7: the
# guest's vec0 is a tap bridged with the veth, since the raw transport
# loses tags). The client runs the DEFAULT configuration plus `vlan = 7`.
#
#   1. RX VLAN offload: the daemon turns rx-vlan-hw-parse and
#      rx-vlan-stag-hw-parse off on its interface (logged) and on again at
#      exit. On a veth that is not enough: the AC side's bridge forwards
#      the tag as metadata (tx-vlan-offload of the AC's veth end), which no
#      XDP program sees without driver kfuncs (native mode) or at all (skb
#      mode): the PADOs look untagged, and with no untagged session the
#      XDP program leaves them to the kernel, counted apart; when the PADO
#      is late the daemon sees that count and says what is wrong, in both
#      modes, instead of failing silently.
#   2. With ac0's tx-vlan-offload off, the tags travel in the frame as on a
#      physical wire: the session comes up on VLAN 7 (the AC's log names
#      vec0.7), pings the AC through the TUN, in native and in skb mode;
#      status --json and the hook environment say VLAN 7.
#   3. Meanwhile the client's interface still gives the kernel what is not
#      ours: untagged IPv4 (a ping between addresses on the bridge and on
#      cl0), PPPoE for the session's MAC on VLAN 9 and untagged PPPoE for it
#      (no session is untagged) (captured by a packet socket on cl0, counted
#      as pass_vlan_not_ours / pass_untagged_not_ours by the XDP program).
#   4. SIGTERM: exit 0, the AC sees the session end.
set -u
. "$(dirname "$0")/lab.sh"
lab_setup || exit 1
RAW="python3 $_LAB_ROOT/tests/tools/rawsock.py"

command -v ethtool >/dev/null || { echo "SKIP: ethtool missing (scripts/install-deps.sh)"; exit 77; }
ac_start "$LAB_AC" ac0 AC_VLAN=7 AC_AUTH=pap AC_USERS="alice:wonderland" || exit 1

cat >"$LAB_DIR/up.sh" <<EOF
#!/bin/sh
echo "VLAN=[\$VLAN] IFNAME=\$IFNAME" >>$LAB_DIR/up.out
EOF
chmod 700 "$LAB_DIR/up.sh"

write_conf() { # XDP_MODE
	cat <<EOF
[global]
interface = cl0
control_socket = $LAB_DIR/ctl.sock
xdp_mode = $1

[session wan7]
user = alice
password = wonderland
ifname = pppx7
vlan = 7
up_script = $LAB_DIR/up.sh
EOF
}
conf=$LAB_DIR/vlan.conf
write_conf auto | lab_conf vlan.conf >/dev/null
px() { "$PPPOE_XDP" -s "$LAB_DIR/ctl.sock" "$@"; }
xdp_counter() {
	px metrics | awk -v r="result=\"$1\"" 'index($0, "pppoe_xdp_xdp_packets_total{" r "}") == 1 { print $2 }'
}
cl_offload() { ip netns exec "$LAB_CL" ethtool -k cl0 | awk -F': ' '$1 == "rx-vlan-offload" { print $2 }'; }

# ---- 1. tags as metadata (the AC's veth end keeps tx-vlan-offload) ----
check "cl0 starts with RX VLAN offload on" bash -c "[[ \$(ip netns exec $LAB_CL ethtool -k cl0 | awk -F': ' '\$1 == \"rx-vlan-offload\" { print \$2 }') == on ]]"
daemon_start "$conf" -v
check "daemon turns RX VLAN offload off on cl0, and says so" \
	wait_for 10 grep -q "cl0: RX VLAN offload (rx-vlan-hw-parse) turned off" "$DAEMON_LOG"
check "ethtool shows it off" bash -c "[[ \$(ip netns exec $LAB_CL ethtool -k cl0 | awk -F': ' '\$1 == \"rx-vlan-offload\" { print \$2 }') == off* ]]"
check "PADOs that lost their tag before XDP are reported, naming the cause" \
	wait_for 15 grep -q "stripped before the XDP program sees the frame" "$DAEMON_LOG"
check "... and left to the kernel (no session is untagged): pass_untagged_not_ours" bash -c \
	"'$PPPOE_XDP' -s '$LAB_DIR/ctl.sock' metrics | grep -Eq '^pppoe_xdp_xdp_packets_total\{result=\"pass_untagged_not_ours\"\} [1-9]'"
check "SIGTERM: exit 0" daemon_stop 5
check "RX VLAN offload on cl0 back on at exit" bash -c "[[ \$(ip netns exec $LAB_CL ethtool -k cl0 | awk -F': ' '\$1 == \"rx-vlan-offload\" { print \$2 }') == on ]]"
# skb (generic) mode sees no tag metadata at all: the same, reported too.
write_conf skb >"$conf"
: >"$DAEMON_LOG"
daemon_start "$conf" -v
check "skb mode: PADOs that lost their tag before XDP are reported" \
	wait_for 15 grep -q "stripped before the XDP program sees the frame" "$DAEMON_LOG"
check "skb mode: attached in skb mode" grep -q "XDP attached in skb mode" "$DAEMON_LOG"
check "skb mode: SIGTERM, exit 0" daemon_stop 5
write_conf auto >"$conf"

# ---- 2. tags in the frame, as on a wire ----
ip netns exec "$LAB_AC" ethtool -K ac0 txvlan off tx-vlan-stag-hw-insert off >/dev/null 2>&1
: >"$DAEMON_LOG"
daemon_start "$conf" -v
check "session on VLAN 7 comes up (default config + vlan = 7)" daemon_wait_up pppx7 40
check "the AC ran it on vec0.7" ac_wait_log -f "$AC_SYSLOG" -t 5 "Session [0-9]+ created for client .* on vec0\.7"
check "ping the AC through pppx7" ip netns exec "$LAB_CL" ping -c 3 -i 0.2 -W 2 -I pppx7 10.64.0.1
check "full-size ping (1492 bytes, DF) through pppx7" \
	ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -M do -s 1464 -I pppx7 10.64.0.1
check "status --json says VLAN 7" bash -c "'$PPPOE_XDP' -s '$LAB_DIR/ctl.sock' status --json | grep -q '\"vlan\":\"7\"'"
check "up_script got VLAN=7" wait_for 5 grep -qx "VLAN=\[7\] IFNAME=pppx7" "$LAB_DIR/up.out"
check "XDP saw the AC's frames with one tag" bash -c \
	"'$PPPOE_XDP' -s '$LAB_DIR/ctl.sock' metrics | grep -Eq '^pppoe_xdp_xdp_pppoe_packets_total\{vlan_tags=\"1\"\} [1-9]'"

# ---- 3. what is not ours still reaches the kernel ----
ip -n "$LAB_AC" addr add 10.99.0.1/24 dev pxacbr0
ip -n "$LAB_CL" addr add 10.99.0.2/24 dev cl0
check "untagged IPv4 on cl0 reaches the kernel (ping over the bridge)" \
	ip netns exec "$LAB_CL" ping -c 3 -i 0.2 -W 2 10.99.0.1
SMAC=$("$PPPOE_XDP" -s "$LAB_DIR/ctl.sock" status --json | python3 -c '
import json, sys
print(json.load(sys.stdin)["sessions"][0]["mac"])')
# A PADO for the session's MAC, on VLAN 9 which nobody here dials.
pado9=$(printf '%s%s81000009886311070000000401010000' "${SMAC//:/}" 02ac51000099)
vlan9_to_kernel() {
	local cap=$LAB_DIR/v9.cap before after pid
	before=$(xdp_counter pass_vlan_not_ours)
	ip netns exec "$LAB_CL" $RAW recv cl0 5 1 >"$cap" 2>&1 &
	pid=$!
	wait_for 3 grep -q READY "$cap"
	ip netns exec "$LAB_AC" $RAW send ac0 "$pado9"
	wait "$pid"
	after=$(xdp_counter pass_vlan_not_ours)
	echo "capture:"; cat "$cap"; echo "pass_vlan_not_ours $before -> $after"
	grep -q "^RX ${SMAC//:/}.*810000098863" "$cap" && ((after == before + 1))
}
check "PPPoE for our MAC on VLAN 9 reaches the kernel (packet socket on cl0)" vlan9_to_kernel
# Untagged PPPoE for the session's MAC: no session here is untagged.
pado9=$(printf '%s%s886311070000000401010000' "${SMAC//:/}" 02ac51000099)
untagged_to_kernel() {
	local cap=$LAB_DIR/u.cap before after pid
	before=$(xdp_counter pass_untagged_not_ours)
	ip netns exec "$LAB_CL" $RAW recv cl0 5 1 >"$cap" 2>&1 &
	pid=$!
	wait_for 3 grep -q READY "$cap"
	ip netns exec "$LAB_AC" $RAW send ac0 "$pado9"
	wait "$pid"
	after=$(xdp_counter pass_untagged_not_ours)
	echo "capture:"; cat "$cap"; echo "pass_untagged_not_ours $before -> $after"
	grep -q "^RX ${SMAC//:/}02ac510000998863" "$cap" && ((after == before + 1))
}
check "untagged PPPoE for our MAC reaches the kernel (no untagged session)" untagged_to_kernel
check "the session still pings" ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -I pppx7 10.64.0.1

check "SIGTERM: exit 0" daemon_stop 5
check "the AC sees the session end" ac_wait_sessions 0 15

# ---- 2b. the same in skb (generic) mode ----
write_conf skb >"$conf"
: >"$DAEMON_LOG"
daemon_start "$conf" -v
check "skb mode: session on VLAN 7 comes up" daemon_wait_up pppx7 40
check "skb mode: attached in skb mode" grep -q "XDP attached in skb mode" "$DAEMON_LOG"
check "skb mode: ping the AC through pppx7" \
	ip netns exec "$LAB_CL" ping -c 3 -i 0.2 -W 2 -I pppx7 10.64.0.1
check "skb mode: untagged IPv4 still reaches the kernel" \
	ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 10.99.0.1
check "skb mode: SIGTERM, exit 0" daemon_stop 5
check "skb mode: the AC sees the session end" ac_wait_sessions 0 15
lab_done
