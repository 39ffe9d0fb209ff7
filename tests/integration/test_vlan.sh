#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# VLAN and QinQ sessions against acsim (one acsim-server per VLAN on one
# veth), all dialed by one daemon over one interface with the default
# configuration plus `vlan = ...`:
#   - untagged, VLAN 7 (two sessions: the interface's MAC and their own),
#     VLAN 8, QinQ 100.7 with an 802.1ad outer tag, QinQ 7.7 (S-VLAN equal
#     to C-VLAN): all up at once, each pinging its AC through its TUN;
#   - the VLAN 7 and VLAN 8 ACs share one MAC and hand out the same
#     session id, and the two sessions on them share our MAC: only the
#     VLAN tells them apart;
#   - status --json, the status table and the hook environment show each
#     session's VLAN;
#   - frames reaching the client's interface that are not for a session
#     reach the kernel: untagged IPv4 (a ping over the veth keeps working)
#     and PPPoE for our MAC on VLAN 9, which no session dials (seen by a
#     packet socket in the client's namespace, and counted by the XDP
#     program as pass_vlan_not_ours);
#   - stop --keep, then a start: the state file kept each session's VLAN,
#     so every session is resumed and confirmed on its own VLAN (no PADI),
#     except q77, whose VLAN the config now changes: not resumed, its PADT
#     goes out on the recorded VLAN 7.7 (the 7.7 AC frees it);
#   - reload: removing one of the two VLAN 7 sessions keeps VLAN 7 steered
#     to us (the other still pings), removing the VLAN 8 session hands VLAN
#     8 back to the kernel;
#   - SIGTERM: every session ends with PADT on its own VLAN, exit 0.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
acsim_lab_setup || exit 1
RAW="python3 tests/tools/rawsock.py"

# One acsim-server per VLAN, each with its own control socket.
declare -A SRV_PID
srv_start() { # NAME ARGS...
	local name=$1
	shift
	ip netns exec "$LAB_AC" "$ACSIM" -i ac0 --ctl "$LAB_DIR/$name.sock" "$@" \
		2>"$LAB_DIR/acsim-$name.log" &
	SRV_PID[$name]=$!
	wait_for 5 grep -q "ready on ac0" "$LAB_DIR/acsim-$name.log"
}
srv_ctl() { local n=$1; shift; "$ACSIM" -C "$LAB_DIR/$n.sock" "$@"; }
srv_stat() { srv_ctl "$1" stats | awk -v k="$2" '$1 == k { print $2 }'; }
srv_stop_all() {
	local n
	for n in "${!SRV_PID[@]}"; do
		kill -TERM "${SRV_PID[$n]}" 2>/dev/null
		wait "${SRV_PID[$n]}" 2>/dev/null
	done
	SRV_PID=()
}
trap 'rc=$?; srv_stop_all; (exit $rc); _acsim_cleanup' EXIT

SHARED_AC=02:ac:51:00:00:07
srv_start untagged --pool 10.100.0.0 -u 'u%d' -U 8 -p x ||
	{ echo "acsim (untagged) did not start"; exit 1; }
srv_start v7 --vlan 7 --ac-mac $SHARED_AC --pool 10.107.0.0 -u 'u%d' -U 8 -p x ||
	{ echo "acsim (VLAN 7) did not start"; exit 1; }
srv_start v8 --vlan 8 --ac-mac $SHARED_AC --pool 10.108.0.0 -u 'u%d' -U 8 -p x ||
	{ echo "acsim (VLAN 8) did not start"; exit 1; }
srv_start q100 --vlan 100.7 --vlan-tpid 0x88a8 --pool 10.110.0.0 -u 'u%d' -U 8 -p x ||
	{ echo "acsim (QinQ 100.7) did not start"; exit 1; }
srv_start q77 --vlan 7.7 --pool 10.77.0.0 -u 'u%d' -U 8 -p x ||
	{ echo "acsim (QinQ 7.7) did not start"; exit 1; }

cat >"$LAB_DIR/hook.sh" <<EOF
#!/bin/sh
echo "\$SESSION VLAN=[\$VLAN]" >>$LAB_DIR/hook.out
EOF
chmod 700 "$LAB_DIR/hook.sh"

write_conf() { # with or without the sessions a reload removes
	cat <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
up_script = $LAB_DIR/hook.sh

[session plain]
user = u1
password = x
ifname = pxplain

[session v7]
user = u1
password = x
ifname = pxv7
vlan = 7
mac = interface
EOF
	if [[ $1 = all ]]; then
		cat <<EOF

[session v7b]
user = u2
password = x
ifname = pxv7b
vlan = 7

[session v8]
user = u1
password = x
ifname = pxv8
vlan = 8
mac = interface
EOF
	fi
	cat <<EOF

[session q100]
user = u1
password = x
ifname = pxq100
vlan = 100.7
vlan_tpid = 0x88a8

[session q77]
user = u1
password = x
ifname = pxq77
vlan = 7.7
EOF
}
conf=$(write_conf all | lab_conf vlan.conf)
N=6

all_up() { [[ $(px_n_up) -eq $1 ]]; }
xdp_counter() {
	px metrics | awk -v r="result=\"$1\"" 'index($0, "pppoe_xdp_xdp_packets_total{" r "}") == 1 { print $2 }'
}
ping_via() { ip netns exec "$LAB_CL" ping -c 2 -i 0.3 -W 2 -I "$1" "$2"; }

daemon_start "$conf"
check "all $N sessions up (untagged, VLAN 7 x2, VLAN 8, QinQ 100.7, QinQ 7.7)" \
	wait_for 30 all_up $N || lab_done

check "ping through the untagged session" ping_via pxplain 10.100.0.1
check "ping through VLAN 7 (the interface's MAC)" ping_via pxv7 10.107.0.1
check "ping through VLAN 7 (own MAC)" ping_via pxv7b 10.107.0.1
check "ping through VLAN 8" ping_via pxv8 10.108.0.1
check "ping through QinQ 100.7 (802.1ad)" ping_via pxq100 10.110.0.1
check "ping through QinQ 7.7" ping_via pxq77 10.77.0.1
check "full-size packets on VLAN 7 (1492 bytes, DF)" \
	ip netns exec "$LAB_CL" ping -c 2 -i 0.3 -W 2 -M do -s 1464 -I pxv7 10.107.0.1

# QinQ's second tag: a full-size frame is 1522 bytes, 4 more than a veth
# delivers at MTU 1500 (it allows one tag beyond MTU + header): cl0 needs
# MTU 1504 to receive it (README, "VLAN and QinQ"). ac0 needs 1508 for
# acsim's packet socket, which allows no tag beyond the MTU for an 802.1ad
# outer TPID.
qinq_full() { ip netns exec "$LAB_CL" ping -c 2 -i 0.3 -W 2 -M do -s 1464 -I pxq100 10.110.0.1; }
ip -n "$LAB_AC" link set ac0 mtu 1508
lost_at_1500() { ! qinq_full; }
check "full-size packets on QinQ 100.7 lost while cl0 has MTU 1500" lost_at_1500
ip -n "$LAB_CL" link set cl0 mtu 1504
check "full-size packets on QinQ 100.7 both ways with cl0 at MTU 1504" qinq_full
check "... and MRU/TUN MTU still 1492" bash -c "ip -n $LAB_CL link show pxq100 | grep -q 'mtu 1492'"

json() { px_sessions "$@"; }
json_vlans() {
	local out
	out=$(json vlan)
	echo "$out"
	grep -qx "plain None" <<<"$out" && grep -qx "v7 7" <<<"$out" &&
		grep -qx "v7b 7" <<<"$out" && grep -qx "v8 8" <<<"$out" &&
		grep -qx "q100 100.7" <<<"$out" && grep -qx "q77 7.7" <<<"$out"
}
check "status --json: each session's VLAN" json_vlans
same_ids() {
	local a b
	a=$(json session_id ac_mac mac | awk '$1 == "v7"  { print $2, $3, $4 }')
	b=$(json session_id ac_mac mac | awk '$1 == "v8"  { print $2, $3, $4 }')
	echo "v7: $a / v8: $b"
	[[ -n $a && $a = "$b" ]]
}
check "VLAN 7 and VLAN 8 sessions share session id, AC MAC and our MAC" same_ids
check "each AC served its own VLAN only (no session frame to the wrong AC)" bash -c '
	for s in untagged v7 v8 q100 q77; do
		n=$("$0" -C "'"$LAB_DIR"'/$s.sock" stats | awk "\$1 == \"rx_no_session\" { print \$2 }")
		echo "$s rx_no_session=$n"; [[ $n = 0 ]] || exit 1
	done' "$ACSIM"
check "status table has a VLAN column" bash -c '
	out=$("$@" status); echo "$out"
	grep -q "^NAME .* VLAN " <<<"$out" && grep -Eq "^q100 +up +pxq100 +100\.7 " <<<"$out"' _ "$PPPOE_XDP" -s "$CTL"
check "up_script saw VLAN=7, VLAN=100.7, VLAN= for untagged" bash -c '
	f='"$LAB_DIR"'/hook.out
	for l in "v7 VLAN=[7]" "q100 VLAN=[100.7]" "q77 VLAN=[7.7]" "plain VLAN=[]"; do
		grep -qxF "$l" "$f" || { cat "$f"; exit 1; }
	done'

# Untagged IPv4 over the veth itself: the kernel's.
ip -n "$LAB_AC" addr add 10.99.0.1/24 dev ac0
ip -n "$LAB_CL" addr add 10.99.0.2/24 dev cl0
check "untagged IPv4 over cl0 still reaches the kernel (ping)" \
	ip netns exec "$LAB_CL" ping -c 2 -i 0.3 -W 2 10.99.0.1

# PPPoE (a PADO) for our interface's MAC on VLAN 9 and on VLAN 8 after
# the reload: the kernel's, seen by a packet socket on cl0.
CL_MAC=$(ip -n "$LAB_CL" link show cl0 | awk '/link\/ether/ { print $2 }')
pado_on_vlan() { # VID: hex of a PADO to CL_MAC on that VLAN
	printf '%s%s8100%04x8863110700000004' "${CL_MAC//:/}" 02ac51000099 "$1"
	printf '01010000'
}
kernel_sees_vlan() { # VID NAME
	local cap=$LAB_DIR/$2.cap before after
	before=$(xdp_counter pass_vlan_not_ours)
	ip netns exec "$LAB_CL" $RAW recv cl0 5 1 >"$cap" 2>&1 &
	local pid=$!
	wait_for 3 grep -q READY "$cap"
	ip netns exec "$LAB_AC" $RAW send ac0 "$(pado_on_vlan "$1")"
	wait "$pid"
	after=$(xdp_counter pass_vlan_not_ours)
	echo "capture: $(grep -c '^RX' "$cap") frame(s); pass_vlan_not_ours $before -> $after"
	grep -q "^RX .*8100$(printf %04x "$1")8863" "$cap" && ((after == before + 1))
}
check "PPPoE for our MAC on VLAN 9 (not dialed) reaches the kernel" kernel_sees_vlan 9 v9
v8_not_kernel() { ! kernel_sees_vlan 8 v8pre; }
check "PPPoE for our MAC on VLAN 8 (dialed) goes to the daemon, not the kernel" v8_not_kernel

# stop --keep, then a start with q77 moved to VLAN 7.8.
mark() { echo $(($(wc -l <"$DAEMON_LOG") + 1)); }
padi0=$(( $(srv_stat v7 rx.padi) + $(srv_stat v8 rx.padi) + $(srv_stat q100 rx.padi) ))
check "stop --keep" px stop --keep
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
check "the 7.7 AC still holds its session" test "$(srv_stat q77 sessions)" = 1
write_conf all | sed 's/^vlan = 7\.7$/vlan = 7.8/' >"$conf"
line=$(mark)
daemon_start "$conf"
resumed_confirmed() { [ "$(tail -n +"$line" "$DAEMON_LOG" | grep -c 'resumed session confirmed')" -eq 5 ]; }
check "5 sessions resumed and confirmed by their ACs" wait_for 20 resumed_confirmed
check "q77 (VLAN changed) not resumed: PADT on VLAN 7.7" bash -c "
	tail -n +$line '$DAEMON_LOG' | grep -q 'q77/pxq77.*not resumed (its VLAN changed)' &&
	tail -n +$line '$DAEMON_LOG' | grep -q 'sent PADT for session .*VLAN 7.7)'"
check "the 7.7 AC freed the session" wait_for 5 test "$(srv_stat q77 sessions)" = 0
check "no PADI on VLANs 7, 8, 100.7 since the start" \
	test $(( $(srv_stat v7 rx.padi) + $(srv_stat v8 rx.padi) + $(srv_stat q100 rx.padi) )) -eq "$padi0"
check "resumed: ping through VLAN 7, VLAN 8 and QinQ 100.7" bash -c "
	for a in 'pxv7 10.107.0.1' 'pxv8 10.108.0.1' 'pxq100 10.110.0.1'; do
		set -- \$a; ip netns exec $LAB_CL ping -c 1 -W 2 -I \$1 \$2 >/dev/null || exit 1
	done"
write_conf all >"$conf"
check "reload with q77 on 7.7 again" px reload
check "all $N up again" wait_for 20 all_up $N

# Reload without v7b and v8.
write_conf some >"$conf"
check "reload" px reload
check "4 sessions left, all up" wait_for 10 all_up 4
check "VLAN 7 still ours: the other VLAN 7 session pings" ping_via pxv7 10.107.0.1
check "VLAN 8 handed back: its PPPoE reaches the kernel" kernel_sees_vlan 8 v8post
v7_not_kernel() { ! kernel_sees_vlan 7 v7post; }
check "VLAN 7 not handed back" v7_not_kernel

check "SIGTERM: clean exit" daemon_stop 10
check "every AC saw its session end with PADT on its VLAN" bash -c '
	for s in untagged v7 q100 q77; do
		n=$("$0" -C "'"$LAB_DIR"'/$s.sock" stats | awk "\$1 == \"sessions\" { print \$2 }")
		echo "$s sessions=$n"; [[ $n = 0 ]] || exit 1
	done' "$ACSIM"
lab_done
