#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (root): pppoe-xdp with BENCH_SESSIONS (4000) sessions against
# acsim-server in the lab. Prints figures, asserts nothing; exits nonzero
# only when the run itself broke (sessions never all up, daemon died, bad
# exit status or no exit after SIGTERM).
#
#   BENCH_SESSIONS  number of sessions                        [4000]
#   BENCH_AUTH      pap | chap                                [pap]
#   BENCH_UP_SECS   give up waiting for "all up" after this   [60 + N/20]
#   BENCH_IDLE_SECS idle measurement window                   [10]
#   BENCH_STOP_SECS SIGKILL if not gone this long after SIGTERM [60 + N/25]
#   BENCH_VERBOSE   1 = run the daemon with -v                [0]
#   BENCH_GLOBAL    extra [global] lines, e.g. "max_starting = 64" []
#   BENCH_ACSIM_ARGS extra acsim-server arguments, e.g. --ipv6 []
#                   (with "ipv6 = yes" in BENCH_GLOBAL it also prints the
#                   time until every session has its SLAAC address)
#   BENCH_LOG_DIR   copy daemon.log and acsim.log here at the end []
#   BENCH_STRACE_STOP  strace -T the daemon's shutdown into this file []
#   BENCH_RESTART   0 = skip the SIGKILL-and-resume phase      [1]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/integration/lab.sh"

N=${BENCH_SESSIONS:-4000}
AUTH=${BENCH_AUTH:-pap}
UP_SECS=${BENCH_UP_SECS:-$((60 + N / 20))}
IDLE_SECS=${BENCH_IDLE_SECS:-10}
STOP_SECS=${BENCH_STOP_SECS:-$((60 + N / 25))}
ACSIM=${ACSIM:-$ROOT/build/tests/tools/acsim-server}
ACSIM_PID=
HZ=$(getconf CLK_TCK)

if [[ $(id -u) -ne 0 ]]; then
	echo "bench: must run as root" >&2
	exit 1
fi
make -s -C "$ROOT" build/tests/tools/acsim-server build/pppoe-xdp || exit 1

bench_cleanup() {
	local rc=$?
	if [[ -n $ACSIM_PID ]] && kill -0 "$ACSIM_PID" 2>/dev/null; then
		kill -TERM "$ACSIM_PID" 2>/dev/null
		wait "$ACSIM_PID" 2>/dev/null
	fi
	if [[ -n ${BENCH_LOG_DIR:-} ]]; then
		mkdir -p "$BENCH_LOG_DIR"
		cp "$DAEMON_LOG" "$LAB_DIR/acsim.log" "$BENCH_LOG_DIR"/ 2>/dev/null
	fi
	if [[ $rc -ne 0 ]]; then
		echo "---- acsim-server log (last 20 lines)" >&2
		tail -n 20 "$LAB_DIR/acsim.log" >&2 2>/dev/null
	fi
	(exit "$rc")
	lab_cleanup
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# cpu_ticks PID: utime + stime (fields 14, 15; comm may hold spaces)
cpu_ticks() { local s; s=$(<"/proc/$1/stat"); s=${s##*) }; set -- $s; echo $((${12} + ${13})); }
# ctxsw PID: voluntary context switches over every thread
ctxsw() { awk '/^voluntary_ctxt_switches/ { n += $2 } END { print n + 0 }' /proc/"$1"/task/*/status; }
n_up() { "$PPPOE_XDP" -s "$CTL" status --json 2>/dev/null | grep -o '"state": *"up"' | wc -l; }
fail() { echo "bench: $*" >&2; exit 1; }

lab_setup || exit 1
trap bench_cleanup EXIT
CTL=$LAB_DIR/ctl.sock

ip netns exec "$LAB_AC" "$ACSIM" -i ac0 -a "$AUTH" -N $((N + 64)) -U "$N" -u 'u%d' -p x \
	--pool 10.100.0.0 --echo 0 ${BENCH_ACSIM_ARGS:-} 2>"$LAB_DIR/acsim.log" &
ACSIM_PID=$!
wait_for 5 grep -q "ready on ac0" "$LAB_DIR/acsim.log" || fail "acsim-server did not start"

conf=$(lab_conf bench.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
dial_rate = 0
lcp_echo_interval = 30
${BENCH_GLOBAL:-}

[session line]
count = $N
user = u%d
password = x
ifname = ppx%d
EOF
)

opts=()
[[ ${BENCH_VERBOSE:-0} = 1 ]] && opts=(-v)
echo "bench: $N sessions, $AUTH, dial_rate 0, lcp_echo_interval 30"
t0=$(now_ms)
daemon_start "$conf" "${opts[@]}"

# ---- dial: time until 50 %, 90 %, 100 % are up -----------------------------
half=$(((N + 1) / 2))
ninety=$(((N * 9 + 9) / 10))
t50=- t90=- t100=-
last=-1
end=$((t0 + UP_SECS * 1000))
while :; do
	kill -0 "$DAEMON_PID" 2>/dev/null || fail "daemon died while dialing"
	up=$(n_up)
	t=$(($(now_ms) - t0))
	[[ $t50 = - && $up -ge $half ]] && t50=$t
	[[ $t90 = - && $up -ge $ninety ]] && t90=$t
	if [[ $up -ge $N ]]; then
		t100=$t
		break
	fi
	if [[ $up -ne $last && $((t / 1000)) -ne ${last_s:--1} ]]; then
		echo "  ${t} ms: $up up"
		last=$up last_s=$((t / 1000))
	fi
	(($(now_ms) > end)) && break
	sleep 0.05
done
echo "  ${t} ms: $up up"
if [[ $t100 = - ]]; then
	"$PPPOE_XDP" -s "$CTL" status 2>/dev/null | awk 'NR > 1 { print $2 }' | sort | uniq -c >&2
	fail "only $up of $N sessions up after ${UP_SECS} s"
fi

# ---- IPv6 (ipv6 = yes): time until every session has its SLAAC address -----
t6=-
n_v6() {
	"$PPPOE_XDP" -s "$CTL" status --json 2>/dev/null | python3 -c '
import json, sys
print(sum(1 for s in json.load(sys.stdin)["sessions"] if (s.get("ipv6") or {}).get("addresses")))'
}
if [[ ${BENCH_GLOBAL:-} == *"ipv6 = yes"* ]]; then
	while (($(now_ms) < end + 60000)); do
		if [[ $(n_v6) -ge $N ]]; then
			t6=$(($(now_ms) - t0))
			break
		fi
		sleep 0.2
	done
	echo "  ${t6} ms: $N with a SLAAC address"
fi

# ---- idle: CPU and wakeups over IDLE_SECS, RSS ------------------------------
c0=$(cpu_ticks "$DAEMON_PID") w0=$(ctxsw "$DAEMON_PID") i0=$(now_ms)
sleep "$IDLE_SECS"
c1=$(cpu_ticks "$DAEMON_PID") w1=$(ctxsw "$DAEMON_PID") i1=$(now_ms)
idle_ms=$((i1 - i0))
cpu=$(awk -v t=$((c1 - c0)) -v hz="$HZ" -v ms="$idle_ms" \
	'BEGIN { printf "%.2f", t / hz * 1000 / ms * 100 }')
wake=$(awk -v w=$((w1 - w0)) -v ms="$idle_ms" 'BEGIN { printf "%.1f", w * 1000 / ms }')
rss=$(awk '/^VmRSS/ { print $2 " " $3 }' "/proc/$DAEMON_PID/status")
up_after=$(n_up)
# Frames lost before user space (AF_XDP RX ring full, no fill ring entry).
metrics=$("$PPPOE_XDP" -s "$CTL" metrics 2>/dev/null)
xsk_drop=$(awk '$1 == "pppoe_xdp_xsk_rx_dropped_total" { print $2 }' <<<"$metrics")
win=$(awk '$1 == "pppoe_xdp_setup_window" { print $2 }' <<<"$metrics")
setup_fail=$(awk '$1 == "pppoe_xdp_setups_total{result=\"failed\"}" { print $2 }' <<<"$metrics")
win_dec=$(awk '$1 ~ /^pppoe_xdp_setup_window_decreases_total/ { n += $2 } END { print n + 0 }' <<<"$metrics")
# From the first PADS to the last session up, out of the daemon's log.
dial_ms=$(awk '/PPPoE session 0x/ && !f { f = $1 } / up: local / { l = $1 }
	function ms(t) { split(substr(t, 12), a, ":"); return (a[1] * 3600 + a[2] * 60 + a[3]) * 1000 }
	END { if (f && l) printf "%d", ms(l) - ms(f); else print "?" }' "$DAEMON_LOG")

# ---- SIGKILL, then a start that resumes every session --------------------------
# Persistent TUNs: the kill leaves them (nothing for the kernel to tear
# down); the new start must resume every session from the state file, with
# no dial, and each must pass traffic again (a ping through every TUN).
kill_ms=- resume_ms=- traffic_ms=- resume_dials=- resumed=- ping_res=-
if [[ ${BENCH_RESTART:-1} = 1 ]]; then
	tuns=$(ip -n "$LAB_CL" -4 -o addr show | awk '$2 ~ /^ppx/ { sub("/.*", "", $6); print $2, $6 }')
	k0=$(now_ms)
	kill -KILL "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null
	kill_ms=$(($(now_ms) - k0))
	line=$(($(wc -l <"$DAEMON_LOG") + 1))
	echo "--- restart after SIGKILL" >>"$DAEMON_LOG"
	r0=$(now_ms)
	daemon_start "$conf" "${opts[@]}"
	ip netns exec "$LAB_CL" python3 "$ROOT/tests/tools/pingall.py" 60 <<<"$tuns" \
		>"$LAB_DIR/pingall.out" 2>&1
	traffic_ms=$(($(now_ms) - r0))
	ping_res=$(head -n 1 "$LAB_DIR/pingall.out")
	wait_for 30 bash -c "[ \$(tail -n +$line '$DAEMON_LOG' | grep -c 'resumed session confirmed') -ge $N ]"
	resumed=$(tail -n +"$line" "$DAEMON_LOG" | grep -c 'resumed session confirmed')
	resume_ms=$(tail -n +"$line" "$DAEMON_LOG" | awk '/resumed session confirmed/ { l = $1 }
		function ms(t) { split(substr(t, 12), a, ":"); return (a[1] * 3600 + a[2] * 60 + a[3]) * 1000 }
		NR == 2 { f = $1 } END { if (f && l) printf "%d", ms(l) - ms(f); else print "?" }')
	resume_dials=$("$PPPOE_XDP" -s "$CTL" status --json | python3 -c \
		"import json,sys; print(sum(s['dials'] for s in json.load(sys.stdin)['sessions']))")
fi

# ---- SIGTERM to exit ---------------------------------------------------------
if [[ -n ${BENCH_STRACE_STOP:-} ]]; then
	strace -f -tt -T -o "$BENCH_STRACE_STOP" -p "$DAEMON_PID" 2>/dev/null &
	sleep 1
fi
s0=$(now_ms)
kill -TERM "$DAEMON_PID"
stop_end=$((s0 + STOP_SECS * 1000))
while kill -0 "$DAEMON_PID" 2>/dev/null && (($(now_ms) < stop_end)); do
	sleep 0.01
done
if kill -0 "$DAEMON_PID" 2>/dev/null; then
	stop_ms=">$((STOP_SECS * 1000))"
	kill -KILL "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null
	exit_rc=killed
else
	stop_ms=$(($(now_ms) - s0))
	wait "$DAEMON_PID"
	exit_rc=$?
fi
DAEMON_PID=
kill -TERM "$ACSIM_PID" && wait "$ACSIM_PID"
ACSIM_PID=

echo
echo "---- acsim-server"
sed -n 's/^acsim: /  /p' "$LAB_DIR/acsim.log" | grep -v ready
echo
echo "---- pppoe-xdp, $N sessions ($AUTH)"
printf '  %-34s %s\n' \
	"time to 50 % up (ms)" "$t50" \
	"time to 90 % up (ms)" "$t90" \
	"time to 100 % up (ms)" "$t100" \
	"time to 100 % SLAAC (ms, ipv6 = yes)" "$t6" \
	"sessions up before SIGTERM" "$up_after / $N" \
	"idle CPU over ${idle_ms} ms (% core)" "$cpu" \
	"idle wakeups (voluntary csw/s)" "$wake" \
	"RSS" "$rss" \
	"frames dropped before the XSK ring" "${xsk_drop:-?}" \
	"first PADS to all up (ms)" "$dial_ms" \
	"setup window at the end" "${win:-?}" \
	"setup window decreases" "$win_dec" \
	"setups failed (redials)" "${setup_fail:-?}" \
	"SIGKILL to process gone (ms)" "$kill_ms" \
	"restart: sessions resumed and confirmed" "$resumed / $N" \
	"restart: first log line to last confirm (ms)" "$resume_ms" \
	"restart: start to every TUN answering (ms)" "$traffic_ms ($ping_res)" \
	"restart: dials (redials) after the start" "$resume_dials" \
	"SIGTERM to exit (ms)" "$stop_ms" \
	"exit status" "$exit_rc"
echo "---- daemon log: $(wc -l <"$DAEMON_LOG") lines, warnings/errors:"
awk '$2 == "error" || $2 == "warn" { n++ } END { print n + 0 }' "$DAEMON_LOG" | sed 's/^/  /'
awk '$2 == "error" || $2 == "warn"' "$DAEMON_LOG" | head -n 5 | sed 's/^/  | /'

[[ $exit_rc = 0 && $stop_ms != ">"* ]] || exit 1
exit 0
