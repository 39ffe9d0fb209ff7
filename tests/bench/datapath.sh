#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Data path benchmark (root), issue 13: UDP packet rates each way and both
# at once, through one session and over 100, at 64/512/1400-byte payloads;
# TCP through one session; ping and LCP echo RTT idle and under load; and,
# in the same run, the ceilings they are held against:
#   veth   the kernel's UDP/TCP over the same veth pair, no PPPoE
#   mech   xsk-tunfwd: TUN <-> AF_XDP with a fixed header, no PPP work
#   acsim  the test AC alone (acsim-server --tun, no daemon behind it)
#   mechac xsk-tunfwd in the daemon's place: session 1 into the test AC
# Writes "KEY VALUE" lines to $1 (tests/bench/report.py makes the table);
# prints progress. Figures only, nothing asserted; exits nonzero only when
# the run itself broke.
#
#   BENCH_WINDOW     seconds of load per figure                 [3]
#   BENCH_DP_SESSIONS sessions for the spread figures           [100]
#   BENCH_SIZES      UDP payload sizes                          [64 512 1400]
#   BENCH_TCP_SECS   iperf3 seconds                             [5]
#   BENCH_WORKERS    workers for the "over NS sessions" figures again [2]
#
# The daemon runs with its defaults except lcp_echo_interval = 1 and
# lcp_echo_adaptive = no (documented keys): with the defaults a busy link
# sends no echoes, and there would be no echo RTT under load to show.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/integration/lab.sh"

OUT=${1:?usage: datapath.sh RESULTS_FILE}
W=${BENCH_WINDOW:-3}
NS=${BENCH_DP_SESSIONS:-100}
SIZES=${BENCH_SIZES:-64 512 1400}
TCP_SECS=${BENCH_TCP_SECS:-5}
T=$ROOT/build/tests/tools
ACSIM=$T/acsim-server
HZ=$(getconf CLK_TCK)
ACSIM_PID=
FWD_PID=
IPERF_PID=
VETH_CL=192.168.250.2 VETH_AC=192.168.250.1
MX_CL=10.201.0.2 MX_AC=10.201.0.1
PORT_UP=5001 PORT_DOWN=5002

fail() { echo "bench datapath: $*" >&2; exit 1; }
put() { echo "$1 $2" >>"$OUT"; }
say() { printf '  %-44s %s\n' "$1" "$2"; }

# fwd_start LOCAL_MAC REMOTE_MAC SID ADDR PEER: xsk-tunfwd -T mx0 on cl0 as
# session SID, mx0 up with ADDR (peer PEER); FWD_PID. fwd_stop ends it.
fwd_start() {
	: >"$LAB_DIR/fwd.out" # not the READY of an earlier run
	ip netns exec "$LAB_CL" "$T/xsk-tunfwd" -i cl0 -l "$1" -r "$2" -s "$3" -t 100000 -T mx0 \
		>"$LAB_DIR/fwd.out" 2>"$LAB_DIR/fwd.err" &
	FWD_PID=$!
	wait_for 5 grep -q READY "$LAB_DIR/fwd.out" || fail "xsk-tunfwd did not start: $(cat "$LAB_DIR/fwd.err")"
	ip -n "$LAB_CL" addr add "$4" peer "$5" dev mx0 || fail "mx0: cannot add $4"
	ip -n "$LAB_CL" link set mx0 up || fail "mx0: cannot set it up"
}

fwd_stop() {
	kill -0 "$FWD_PID" 2>/dev/null || fail "xsk-tunfwd died"
	kill -TERM "$FWD_PID"
	wait "$FWD_PID"
	FWD_PID=
}

dp_cleanup() {
	local rc=$?
	[[ -n $FWD_PID ]] && kill -TERM "$FWD_PID" 2>/dev/null && wait "$FWD_PID" 2>/dev/null
	iperf_stop
	if [[ -n $ACSIM_PID ]] && kill -0 "$ACSIM_PID" 2>/dev/null; then
		kill -TERM "$ACSIM_PID" 2>/dev/null
		wait "$ACSIM_PID" 2>/dev/null
	fi
	if [[ $rc -ne 0 ]]; then
		echo "---- acsim-server log (last 20 lines)" >&2
		tail -n 20 "$LAB_DIR/acsim.log" >&2 2>/dev/null
	fi
	(exit "$rc")
	lab_cleanup
}

cpu_ticks() { local s; s=$(<"/proc/$1/stat"); s=${s##*) }; set -- $s; echo $((${12} + ${13})); }
# if_count NS DEV rx|tx: packets through the interface so far
if_count() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3_packets"; }
mac_of() { ip netns exec "$1" cat "/sys/class/net/$2/address"; }
px() { "$PPPOE_XDP" -s "$CTL" "$@"; }
# px_field FIELD [NAME]: FIELD of session NAME (all sessions' sum without)
px_field() {
	px status --json | python3 -c '
import json, sys
f, name = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None
ss = [s for s in json.load(sys.stdin)["sessions"] if name is None or s["name"] == name]
if name is not None:
    print(ss[0].get(f) if ss and ss[0].get(f) is not None else "")
else:
    print(sum(s.get(f) or 0 for s in ss))' "$@"
}
px_pkts() { echo $(($(px_field tx_packets) + $(px_field rx_packets))); }

# ---- one UDP window ---------------------------------------------------------
# udp_window KEY SIZE: runs the flows set in UP_SEND/DOWN_SEND (command
# lines, empty = no flow) for W seconds. UP_RECV/DOWN_RECV say how
# delivery is counted: "udp NS PORT" (udpblast recv) or "if NS DEV rx|tx"
# (interface counter: nothing listens there). Writes
# KEY.{up,down}.{sent,recv}_pps and .loss, KEY.up.wire_pps (frames out of
# cl0: TUN->wire as it reached the wire), and with DAEMON_PID/ACSIM_PID
# set, KEY.cpu_ns (daemon CPU per packet it moved, its own counters) and
# the CPU share of each over the window.
udp_window() {
	local key=$1 size=$2 d f rp=() c0=() c1=() p0=0 p1=0 pid i
	local -A cnt0=()
	for d in up down; do
		local v=${d^^}_SEND snd rcv
		snd=${!v} v=${d^^}_RECV rcv=${!v}
		[[ -n $snd ]] || continue
		set -- $rcv
		if [[ $1 = udp ]]; then
			ip netns exec "$2" "$T/udpblast" recv "$3" $((W + 5)) 500 >"$LAB_DIR/recv.$d" &
			rp+=($!)
		else
			cnt0[$d]=$(if_count "$2" "$3" "$4")
		fi
	done
	# What left cl0: TUN->wire as it reached the wire (before the AC)
	local w0 w1
	w0=$(if_count "$LAB_CL" cl0 tx)
	sleep 0.3
	for pid in ${DAEMON_PID:-} ${ACSIM_PID:-}; do c0+=("$(cpu_ticks "$pid")"); done
	[[ -n ${DAEMON_PID:-} ]] && p0=$(px_pkts)
	local sp=()
	for d in up down; do
		v=${d^^}_SEND snd=${!v}
		[[ -n $snd ]] || continue
		eval "${snd//SIZE/$size}" >"$LAB_DIR/send.$d" 2>>"$LAB_DIR/send.err" &
		sp+=($!)
	done
	wait "${sp[@]}"
	for pid in ${DAEMON_PID:-} ${ACSIM_PID:-}; do c1+=("$(cpu_ticks "$pid")"); done
	[[ -n ${DAEMON_PID:-} ]] && p1=$(px_pkts)
	w1=$(if_count "$LAB_CL" cl0 tx)
	((${#rp[@]})) && wait "${rp[@]}" 2>/dev/null
	for d in up down; do
		v=${d^^}_SEND snd=${!v} v=${d^^}_RECV rcv=${!v}
		[[ -n $snd ]] || continue
		local sent secs recvd rpps
		read -r sent secs < <(awk '/^sent / { print $2, $4; f = 1 }
			/xsk_tx/ { for (i = 1; i < NF; i++) { v[$i] = $(i + 1) } print v["xsk_tx"], v["secs"]; f = 1 }
			END { if (!f) print 0, 1 }' "$LAB_DIR/send.$d")
		set -- $rcv
		if [[ $1 = udp ]]; then
			read -r recvd rpps < <(awk '/^received/ { print $2, $6; f = 1 } END { if (!f) print 0, 0 }' \
				"$LAB_DIR/recv.$d")
		else
			recvd=$(($(if_count "$2" "$3" "$4") - cnt0[$d]))
			rpps=$(awk -v n="$recvd" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
		fi
		f=$key.$d
		put "$f.sent_pps" "$(awk -v n="$sent" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')"
		put "$f.recv_pps" "$rpps"
		[[ $d = up ]] && put "$f.wire_pps" "$(awk -v n=$((w1 - w0)) -v s="$secs" 'BEGIN { printf "%.0f", n / s }')"
		put "$f.loss" "$(awk -v s="$sent" -v r="$recvd" 'BEGIN { l = s ? 1 - r / s : 0; printf "%.4f", l < 0 ? 0 : l }')"
		say "$f" "sent $(awk -v n="$sent" -v s="$secs" 'BEGIN { printf "%.0f", n / s / 1000 }') kpps, delivered $((rpps / 1000)) kpps"
	done
	i=0
	if [[ -n ${DAEMON_PID:-} ]]; then
		put "$key.cpu_ns" "$(awk -v t=$((c1[i] - c0[i])) -v hz="$HZ" -v p=$((p1 - p0)) \
			'BEGIN { if (p > 0) printf "%.0f", t / hz * 1e9 / p; else print "" }')"
		put "$key.daemon_cpu_pct" "$(awk -v t=$((c1[i] - c0[i])) -v hz="$HZ" -v w="$W" \
			'BEGIN { printf "%.0f", t / hz / w * 100 }')"
		i=$((i + 1))
	fi
	if [[ -n ${ACSIM_PID:-} ]]; then
		put "$key.acsim_cpu_pct" "$(awk -v t=$((c1[i] - c0[i])) -v hz="$HZ" -v w="$W" \
			'BEGIN { printf "%.0f", t / hz / w * 100 }')"
		i=$((i + 1))
	fi
}

# dp_sessions_up WHAT: wait for the NS sessions, then SESS (one line per
# session: ifname, address, MAC, AC MAC, session id, by ifname), session 1's
# IF1 IP1 MAC1 ACMAC1 SID1, and ALL_IFS, ALL_IPS
dp_sessions_up() {
	wait_for 60 bash -c "[ \$('$PPPOE_XDP' -s '$CTL' status --json 2>/dev/null | grep -o '\"state\": *\"up\"' | wc -l) -ge $NS ]" ||
		fail "not all $NS sessions up$1"
	mapfile -t SESS < <(px status --json | python3 -c '
import json, sys
for s in sorted(json.load(sys.stdin)["sessions"], key=lambda s: int(s["ifname"][3:])):
    print(s["ifname"], s["local"], s["mac"], s["ac_mac"], s["session_id"])')
	read -r IF1 IP1 MAC1 ACMAC1 SID1 <<<"${SESS[0]}"
	ALL_IFS=$(printf '%s\n' "${SESS[@]}" | awk '{ print $1 }' | paste -sd,)
	ALL_IPS=$(printf '%s\n' "${SESS[@]}" | awk '{ print $2 }' | paste -sd,)
}

# udp_matrix KIND SESSION_DESC: the three directions at every size, with
# the flows given as UPF/DOWNF (commands) and UPR/DOWNR (receivers).
udp_matrix() {
	local kind=$1 size
	for size in $SIZES; do
		UP_SEND=$UPF UP_RECV=$UPR DOWN_SEND= DOWN_RECV=
		udp_window "udp.$kind.up.$size" "$size"
		UP_SEND= UP_RECV= DOWN_SEND=$DOWNF DOWN_RECV=$DOWNR
		udp_window "udp.$kind.down.$size" "$size"
		UP_SEND=$UPF UP_RECV=$UPR DOWN_SEND=$DOWNF DOWN_RECV=$DOWNR
		udp_window "udp.$kind.both.$size" "$size"
	done
}

# ping_stats NS ARGS...: 200 pings 10 ms apart; p50 and p99 in µs
ping_stats() {
	local ns=$1
	shift
	ip netns exec "$ns" ping -n -q -c 1 -W 1 "$@" >/dev/null 2>&1
	ip netns exec "$ns" ping -n -c 200 -i 0.01 -W 1 "$@" 2>/dev/null |
		sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -g | awk '{ v[NR] = $1 * 1000 }
		END { if (!NR) { print "", ""; exit } i50 = int(NR * 0.5 + 0.5); i99 = int(NR * 0.99 + 0.5)
		      if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1; printf "%.0f %.0f\n", v[i50], v[i99] }'
}

# iperf_start NS ADDR PORT: an iperf3 server in the background
iperf_start() {
	ip netns exec "$1" iperf3 -s -B "$2" -p "$3" >"$LAB_DIR/iperf-$3.log" 2>&1 &
	IPERF_PID=$!
	sleep 0.5
}

iperf_stop() {
	[[ -n $IPERF_PID ]] || return 0
	kill -TERM "$IPERF_PID" 2>/dev/null
	wait "$IPERF_PID" 2>/dev/null
	IPERF_PID=
}

# iperf_gbps NS ARGS...: one iperf3 client run, Gbit/s received
iperf_gbps() {
	local ns=$1
	shift
	ip netns exec "$ns" iperf3 -J -t "$TCP_SECS" "$@" 2>/dev/null | python3 -c '
import json, sys
try:
    print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))
except Exception:
    print("")'
}

if [[ $(id -u) -ne 0 ]]; then
	echo "bench: must run as root" >&2
	exit 1
fi
command -v iperf3 >/dev/null || echo "bench datapath: iperf3 missing (make deps): no TCP figures" >&2
lab_setup || exit 1
trap dp_cleanup EXIT
CTL=$LAB_DIR/ctl.sock
CLMAC=$(mac_of "$LAB_CL" cl0)
ACMAC=$(mac_of "$LAB_AC" ac0)
put meta.window_s "$W"
put meta.sessions "$NS"

# ---- ceiling (a): kernel UDP/TCP over the veth, no PPPoE ----------------------
echo "bench datapath: ceiling: kernel UDP over the veth"
ip -n "$LAB_CL" addr add "$VETH_CL/24" dev cl0
ip -n "$LAB_AC" addr add "$VETH_AC/24" dev ac0
UPF="ip netns exec $LAB_CL $T/udpblast send $VETH_AC $PORT_UP SIZE $W"
UPR="udp $LAB_AC $PORT_UP"
DOWNF="ip netns exec $LAB_AC $T/udpblast send $VETH_CL $PORT_DOWN SIZE $W"
DOWNR="udp $LAB_CL $PORT_DOWN"
udp_matrix veth
if command -v iperf3 >/dev/null; then
	iperf_start "$LAB_AC" "$VETH_AC" 5201
	put tcp.veth.up.gbps "$(iperf_gbps "$LAB_CL" -c "$VETH_AC" -p 5201)"
	put tcp.veth.down.gbps "$(iperf_gbps "$LAB_CL" -c "$VETH_AC" -p 5201 -R)"
	iperf_stop
	say "tcp.veth up/down (Gbit/s)" "$(grep '^tcp.veth' "$OUT" | awk '{ printf "%s ", $2 }')"
fi
read -r p50 p99 < <(ping_stats "$LAB_CL" -I cl0 "$VETH_AC")
put lat.veth.idle.p50_us "$p50"
put lat.veth.idle.p99_us "$p99"
UP_SEND="ip netns exec $LAB_CL $T/udpblast send $VETH_AC $PORT_UP 1400 $((W + 2))"
DOWN_SEND="ip netns exec $LAB_AC $T/udpblast send $VETH_CL $PORT_DOWN 1400 $((W + 2))"
eval "$UP_SEND" >/dev/null & l1=$!
eval "$DOWN_SEND" >/dev/null & l2=$!
sleep 0.5
read -r p50 p99 < <(ping_stats "$LAB_CL" -I cl0 "$VETH_AC")
wait $l1 $l2
put lat.veth.load.p50_us "$p50"
put lat.veth.load.p99_us "$p99"
say "ping over the veth idle / loaded (p50 p99 µs)" \
	"$(grep '^lat.veth' "$OUT" | awk '{ printf "%s ", $2 }')"
ip -n "$LAB_CL" addr flush dev cl0
ip -n "$LAB_AC" addr flush dev ac0

# ---- ceiling (b): the mechanism, TUN <-> AF_XDP with no PPP work -------------
echo "bench datapath: ceiling: xsk-tunfwd (TUN <-> AF_XDP, no PPP)"
fwd_start "$CLMAC" "$ACMAC" 1 "$MX_CL" "$MX_AC"
# Up: datagrams into mx0, counted as they leave cl0 (nothing listens at
# the AC end). Down: PPPoE frames generated by a second xsk-tunfwd on ac0.
UPF="ip netns exec $LAB_CL $T/udpblast send $MX_AC $PORT_UP SIZE $W mx0"
UPR="if $LAB_CL cl0 tx"
DOWNF="ip netns exec $LAB_AC $T/xsk-tunfwd -i ac0 -l $ACMAC -r $CLMAC -s 1 -t $W -g $MX_AC,$MX_CL,$PORT_DOWN,SIZE"
DOWNR="udp $LAB_CL $PORT_DOWN"
# xsk-tunfwd's own CPU per packet: from its counters at the end of each window.
for size in $SIZES; do
	for dir in up down both; do
		f0=$(cpu_ticks "$FWD_PID")
		kill -0 "$FWD_PID" 2>/dev/null || fail "xsk-tunfwd died"
		case $dir in
		up) UP_SEND=$UPF UP_RECV=$UPR DOWN_SEND= DOWN_RECV= ;;
		down) UP_SEND= UP_RECV= DOWN_SEND=$DOWNF DOWN_RECV=$DOWNR ;;
		both) UP_SEND=$UPF UP_RECV=$UPR DOWN_SEND=$DOWNF DOWN_RECV=$DOWNR ;;
		esac
		t0=$(ip netns exec "$LAB_CL" cat /sys/class/net/mx0/statistics/tx_packets)
		r0=$(ip netns exec "$LAB_CL" cat /sys/class/net/mx0/statistics/rx_packets)
		udp_window "udp.mech.$dir.$size" "$size"
		f1=$(cpu_ticks "$FWD_PID")
		t1=$(ip netns exec "$LAB_CL" cat /sys/class/net/mx0/statistics/tx_packets)
		r1=$(ip netns exec "$LAB_CL" cat /sys/class/net/mx0/statistics/rx_packets)
		# mx0 tx = read by the tool, rx = written by it
		put "udp.mech.$dir.$size.cpu_ns" "$(awk -v t=$((f1 - f0)) -v hz="$HZ" -v p=$((t1 - t0 + r1 - r0)) \
			'BEGIN { if (p > 0) printf "%.0f", t / hz * 1e9 / p }')"
	done
done
fwd_stop

# ---- ours: the daemon, one session and NS sessions ---------------------------
echo "bench datapath: pppoe-xdp, $NS sessions against acsim-server --tun"
ip netns exec "$LAB_AC" "$ACSIM" -i ac0 -a pap -N $((NS + 64)) -U "$NS" -u 'u%d' -p x \
	--pool 10.100.0.0 --echo 0 --tun actun 2>"$LAB_DIR/acsim.log" &
ACSIM_PID=$!
wait_for 5 grep -q "ready on ac0" "$LAB_DIR/acsim.log" || fail "acsim-server did not start"
ip -n "$LAB_AC" addr add 10.100.0.1/16 dev actun
ip -n "$LAB_AC" link set actun up
conf=$(lab_conf dp.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
dial_rate = 0

[session line]
count = $NS
user = u%d
password = x
ifname = ppx%d
lcp_echo_interval = 1
lcp_echo_adaptive = no
EOF
)
daemon_start "$conf"
dp_sessions_up ""
NAME1=$(px status --json | python3 -c '
import json, sys
print([s["name"] for s in json.load(sys.stdin)["sessions"] if s["ifname"] == sys.argv[1]][0])' "$IF1")

UPR="udp $LAB_AC $PORT_UP"
DOWNR="udp $LAB_CL $PORT_DOWN"
UPF="ip netns exec $LAB_CL $T/udpblast send 10.100.0.1 $PORT_UP SIZE $W $IF1"
DOWNF="ip netns exec $LAB_AC $T/udpblast send $IP1 $PORT_DOWN SIZE $W"
udp_matrix ours1
UPF="ip netns exec $LAB_CL $T/udpblast send 10.100.0.1 $PORT_UP SIZE $W $ALL_IFS"
DOWNF="ip netns exec $LAB_AC $T/udpblast send $ALL_IPS $PORT_DOWN SIZE $W"
udp_matrix ours$NS
kill -0 "$DAEMON_PID" 2>/dev/null || fail "daemon died under load"

if command -v iperf3 >/dev/null; then
	iperf_start "$LAB_AC" 10.100.0.1 5202
	put tcp.ours.up.gbps "$(iperf_gbps "$LAB_CL" -c 10.100.0.1 -p 5202 --bind-dev "$IF1")"
	put tcp.ours.down.gbps "$(iperf_gbps "$LAB_CL" -c 10.100.0.1 -p 5202 --bind-dev "$IF1" -R)"
	iperf_stop
	say "tcp.ours up/down (Gbit/s)" "$(grep '^tcp.ours' "$OUT" | awk '{ printf "%s ", $2 }')"
fi

# Latency: ping and the LCP echo, idle, then with 1400-byte UDP both ways
# through the same session (echo_rtt_us sampled while the load runs).
sleep 2
e=$(px_field echo_rtt_us "$NAME1")
put echo.idle_us "${e:-0}"
read -r p50 p99 < <(ping_stats "$LAB_CL" -I "$IF1" 10.100.0.1)
put lat.ours.idle.p50_us "$p50"
put lat.ours.idle.p99_us "$p99"
L=$((W + 3))
ip netns exec "$LAB_CL" "$T/udpblast" send 10.100.0.1 "$PORT_UP" 1400 "$L" "$IF1" >/dev/null &
l1=$!
ip netns exec "$LAB_AC" "$T/udpblast" send "$IP1" "$PORT_DOWN" 1400 "$L" >/dev/null &
l2=$!
(
	while kill -0 $l1 2>/dev/null; do
		px_field echo_rtt_us "$NAME1"
		sleep 0.5
	done
) >"$LAB_DIR/echo.samples" 2>/dev/null &
l3=$!
sleep 0.5
read -r p50 p99 < <(ping_stats "$LAB_CL" -I "$IF1" 10.100.0.1)
wait $l1 $l2 $l3
mapfile -t echo_s <"$LAB_DIR/echo.samples"
put lat.ours.load.p50_us "$p50"
put lat.ours.load.p99_us "$p99"
# echo_rtt_us counts whole milliseconds: null (0) is an RTT under 1 ms.
put echo.load_us "$(printf '%s\n' "${echo_s[@]}" | awk '{ v = $1 + 0; if (v > m) m = v } END { print m + 0 }')"
put echo.load_samples "$(printf '%s\n' "${echo_s[@]}" | paste -sd/)"
say "ping through $IF1 idle / loaded (p50 p99 µs)" \
	"$(grep '^lat.ours' "$OUT" | awk '{ printf "%s ", $2 }')"
say "LCP echo RTT idle / loaded max (µs)" "$(grep '^echo\.' "$OUT" | awk '{ printf "%s ", $2 }')"
put meta.xdp_mode "$(grep -o 'XDP attached in [a-z]* mode' "$DAEMON_LOG" | head -n 1 | awk '{ print $4 }')"
put meta.xsk_rx_dropped "$(px metrics 2>/dev/null | awk '$1 == "pppoe_xdp_xsk_rx_dropped_total" { print $2 }')"

# ---- ours with workers: the same NS sessions, workers = BENCH_WORKERS --------
# A clean stop (PADT for every session), then a start with workers = N and
# otherwise the same configuration; the NS-session figures again.
WK=${BENCH_WORKERS:-2}
if ((WK > 1)); then
	echo "bench datapath: pppoe-xdp, $NS sessions, workers = $WK"
	kill -TERM "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=
	conf=$(sed "s/^dial_rate = 0$/dial_rate = 0\nworkers = $WK/" "$conf" | lab_conf dpw.conf)
	daemon_start "$conf"
	dp_sessions_up " with workers = $WK"
	put meta.workers "$WK"
	UPF="ip netns exec $LAB_CL $T/udpblast send 10.100.0.1 $PORT_UP SIZE $W $ALL_IFS"
	DOWNF="ip netns exec $LAB_AC $T/udpblast send $ALL_IPS $PORT_DOWN SIZE $W"
	udp_matrix "ours${NS}w"
	kill -0 "$DAEMON_PID" 2>/dev/null || fail "daemon died under load (workers = $WK)"
fi

# ---- ceiling (c): the test AC alone ------------------------------------------
# SIGKILL leaves the sessions up at acsim (no echoes from it). Up: frames
# of session 1 generated on cl0 by xsk-tunfwd (AF_PACKET -> acsim -> TUN ->
# udpblast recv); down: udpblast into actun, counted as acsim puts them on
# ac0 (AF_PACKET TX; nothing on cl0 takes them).
echo "bench datapath: ceiling: acsim-server --tun alone"
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
UPF="ip netns exec $LAB_CL $T/xsk-tunfwd -i cl0 -l $MAC1 -r $ACMAC1 -s $SID1 -t $W -g $IP1,10.100.0.1,$PORT_UP,SIZE"
UPR="udp $LAB_AC $PORT_UP"
DOWNF="ip netns exec $LAB_AC $T/udpblast send $IP1 $PORT_DOWN SIZE $W"
DOWNR="if $LAB_AC ac0 tx"
udp_matrix acsim

# ---- ceiling (d): the mechanism in the daemon's place ------------------------
# Ceiling (b) with the far end ours has: xsk-tunfwd on cl0 carries session
# 1 (its MACs and id, its address on the TUN) to and from the test AC, and
# the same flows as "ours, 1 session" run through it, counted the same way.
# It differs from the daemon by the PPP work and the sessions, and by what
# xsk-tunfwd does not do: no vnet header on its TUN (no TSO/USO, no GRO).
echo "bench datapath: ceiling: xsk-tunfwd into the test AC, as session 1"
# The killed daemon's XDP program is gone already (xsk-tunfwd replaces a
# stale one); its TUN for session 1 still holds IP1.
ip -n "$LAB_CL" link del "$IF1" 2>/dev/null
fwd_start "$MAC1" "$ACMAC1" "$SID1" "$IP1" 10.100.0.1
UPF="ip netns exec $LAB_CL $T/udpblast send 10.100.0.1 $PORT_UP SIZE $W mx0"
UPR="udp $LAB_AC $PORT_UP"
DOWNF="ip netns exec $LAB_AC $T/udpblast send $IP1 $PORT_DOWN SIZE $W"
DOWNR="udp $LAB_CL $PORT_DOWN"
udp_matrix mechac
fwd_stop
# the AF_XDP mode it ran in (READY) and its counters over the whole matrix
sed -n 's/^/  xsk-tunfwd as session 1: /p' "$LAB_DIR/fwd.out"
kill -TERM "$ACSIM_PID" && wait "$ACSIM_PID"
ACSIM_PID=
sed -n 's/^acsim: /  acsim: /p' "$LAB_DIR/acsim.log" | grep -v ready
exit 0
