#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_flood.sh - bad input never hurts: 16 live sessions against
# acsim-server, then FLOOD_SECS (10) s of malformed and hostile frames from
# tests/tools/pppoe-flood on the AC side of the veth, to the session MACs
# and to broadcast: truncated frames, LENGTH too large/small, VER/TYPE not
# 1, broken and oversize discovery tags, PADS with session id 0/0xffff,
# PADO/PADS not asked for, LCP/IPCP/PAP/CHAP with bad lengths and 0/1-byte
# options (malformed ones from the AC, well-formed ones from wrong MACs),
# frames for stale session ids, PADT from strangers and for stale ids,
# runts, 802.1Q/QinQ-tagged frames, frames for one session sent to
# another's MAC. Afterwards the daemon must be alive, every session up with
# the session id, AC MAC and dial count it had before (no redial; acsim
# created no new session), a ping must pass through every TUN, the
# daemon's malformed/unknown counters must show the flood arrived, and the
# log must hold no sanitizer report. Run it with PPPOE_XDP pointing at an
# ASan build as well.
#
#   PPPOE_XDP     the daemon                      [build/pppoe-xdp]
#   ACSIM, PPPOE_FLOOD  the tools  [next to PPPOE_XDP in tests/tools/, else build/]
#   FLOOD_SECS, FLOOD_RATE  duration (s) and frames per second  [10, 2000]
#   FLOOD_MAC     the sessions' "mac =": auto (one MAC each) or interface
#                 (all share cl0's MAC)                                [auto]
#   FLOOD_KINDS   only these pppoe-flood kinds (-k, comma-separated)   [all]
set -u
. "$(dirname "$0")/lab.sh"
. "$(dirname "$0")/acsim.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "test_flood: needs root (network namespaces, XDP)"
	exit 77
fi
N=16
FLOOD_SECS=${FLOOD_SECS:-10}
FLOOD_RATE=${FLOOD_RATE:-2000}
FLOOD=${PPPOE_FLOOD:-$(lab_tool pppoe-flood)}
for b in "$PPPOE_XDP" "$ACSIM" "$FLOOD"; do
	if [ ! -x "$b" ]; then
		echo "test_flood: $b not built (make all test-tools)" >&2
		exit 1
	fi
done

acsim_lab_setup || exit 1

# The AC probes every client each second: a client that stops answering
# under the flood loses its session and the test sees it.
acsim_start -a pap -N 64 -U 64 -u 'u%d' -p x --pool 10.100.0.0 --echo 1 || {
	echo "acsim-server did not start" >&2
	exit 1
}

conf=$(lab_conf flood.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
dial_rate = 0
holdoff = 1

[session line]
count = $N
user = u%d
password = x
mac = ${FLOOD_MAC:-auto}
ifname = ppx%d
lcp_echo_interval = 1
lcp_echo_failure = 3
EOF
)

# snapshot: one line per session, sorted by name:
#   name state session_id mac ac_mac dials redials downs
# then a last line "global rx_malformed rx_unknown".
snapshot() {
	px status --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
for s in sorted(d["sessions"], key=lambda s: s["name"]):
    print(s["name"], s["state"], s["session_id"], s["mac"], s["ac_mac"],
          s["dials"], s["redials"], s["downs"])
print("global", d.get("rx_malformed", 0), d.get("rx_unknown", 0))'
}
n_up() { snapshot | awk '$2 == "up"' | wc -l; }
all_up() { [ "$(n_up)" -eq $N ]; }
ping_dev() { ip netns exec "$LAB_CL" ping -c 3 -i 0.3 -W 2 -I "$1" 10.100.0.1 >/dev/null; }
ping_all() {
	local i pids=() rc=0
	for i in $(seq 1 $N); do ping_dev "ppx$i" & pids+=($!); done
	for i in "${pids[@]}"; do wait "$i" || rc=1; done
	return $rc
}

daemon_start "$conf"
check "all $N sessions come up" wait_for 30 all_up
snapshot >"$LAB_DIR/before" || exit 1
created0=$(acsim_stat created)
padt0=$(acsim_stat rx.padt)
check "acsim created exactly $N sessions" test "$created0" = $N
check "ping through every TUN before the flood" ping_all

ac_mac=$(awk 'NR == 1 { print $5 }' "$LAB_DIR/before")
targets=$(awk '$1 != "global" { print $4 ":" $3 }' "$LAB_DIR/before")
echo "  AC $ac_mac, sessions (MAC:SID): $(paste -sd, <<<"$targets")"

# One session keeps pinging through the flood.
ip netns exec "$LAB_CL" ping -c $((FLOOD_SECS * 5)) -i 0.2 -W 1 -I ppx1 10.100.0.1 \
	>"$LAB_DIR/ping-during" 2>&1 &
pingpid=$!
t0=$(date +%s%N)
# shellcheck disable=SC2086
ip netns exec "$LAB_AC" "$FLOOD" -i ac0 -a "$ac_mac" -r "$FLOOD_RATE" -d "$FLOOD_SECS" -v \
	${FLOOD_KINDS:+-k "$FLOOD_KINDS"} $targets >"$LAB_DIR/flood.out" 2>&1
flood_rc=$?
flood_ms=$((($(date +%s%N) - t0) / 1000000))
wait "$pingpid"
sed 's/^/  /' "$LAB_DIR/flood.out" | head -n 1
check "pppoe-flood ran (exit 0)" test $flood_rc -eq 0
# Let in-flight echoes and retransmissions settle before judging.
sleep 2

snapshot >"$LAB_DIR/after"
check "daemon alive after the flood" kill -0 "$DAEMON_PID"
sessions_same() {
	# The same state, session id, MACs, dial and down counts for every session.
	diff <(grep -v '^global' "$LAB_DIR/before") <(grep -v '^global' "$LAB_DIR/after")
}
check "all $N sessions up with the same session id, MACs, dials, downs" sessions_same
check "acsim created no new session (still $created0) and has $N up" \
	bash -c "[ \"\$1\" = $created0 ] && [ \"\$2\" = $N ]" _ "$(acsim_stat created)" "$(acsim_stat up)"
flood_arrived() {
	local m0 u0 m1 u1
	read -r _ m0 u0 < <(grep '^global' "$LAB_DIR/before")
	read -r _ m1 u1 < <(grep '^global' "$LAB_DIR/after")
	echo "rx_malformed $m0 -> $m1, rx_unknown $u0 -> $u1"
	[ "$m1" -gt "$m0" ] && [ "$u1" -gt "$u0" ]
}
check "the flood reached the daemon (malformed and unknown counters grew)" flood_arrived
check "ppx1 passed traffic during the flood (>= 90% of pings)" \
	bash -c "awk '/packets transmitted/ { exit !(\$4 * 10 >= \$1 * 9) }' '$LAB_DIR/ping-during'"
check "ping through every TUN after the flood" ping_all
padt1=$(acsim_stat rx.padt)
check "daemon exits 0 on SIGTERM" daemon_stop 10
no_sanitizer() { ! grep -E 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$DAEMON_LOG"; }
check "no sanitizer report in the daemon log" no_sanitizer
read -r _ m1 u1 < <(grep '^global' "$LAB_DIR/after")
echo "  flood: $(head -n 1 "$LAB_DIR/flood.out" | sed 's/^flood: //'), wall ${flood_ms} ms"
echo "  daemon: rx_malformed $m1, rx_unknown $u1; PADTs the AC got meanwhile: $((padt1 - padt0))"
lab_done
