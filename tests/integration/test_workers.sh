#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Workers (workers = 2, issue 13) against acsim-server --tun --ipv6, eight
# sessions with ipv6 = yes, otherwise the default configuration:
#   - two data-path threads start (logged, status --json, metrics);
#   - all eight sessions come up; the AC numbers their session ids in
#     order, so both workers own some (pppoe_xdp_worker_sessions, and each
#     session's "worker" in status --json is its session id % 2);
#   - every session pings the AC's kernel stack through its TUN, and the
#     XDP program gave data frames to worker 1's sockets;
#   - the RAs, which ride as IPv6 data on the workers' sockets, are handed
#     to the control side: every session gets its SLAAC address
#     (pppoe_xdp_worker_control_handoffs_total grows);
#   - TCP_XFER_MIB (20) MiB each way through two sessions on different
#     workers at the same time, every byte checked (sha256);
#   - redials (down, up) give a session a new id of the other worker: its
#     TUN moves to that worker and pings again;
#   - SIGTERM: exit 0, a PADT for every session (none left at the AC), no
#     TUN left; under a sanitizer (ASan in CI, ThreadSanitizer with
#     make check-tsan), no report;
#   - liveness, in a second daemon with one session (1 s echoes): with the
#     AC answering no echo, the session carrying data through a worker
#     has none due; idle, it misses them.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
[[ -d /proc/sys/net/ipv6 ]] || { echo "SKIP: the kernel has no IPv6"; exit 77; }
MIB=${TCP_XFER_MIB:-20}
XFER=tests/tools/tcp_xfer.py
N=8
acsim_lab_setup || exit 1
acsim_start -a pap -N 16 -U 16 -u 'u%d' -p x --pool 10.100.0.0 --tun acx --ipv6 ||
	{ echo "acsim-server did not start"; exit 1; }
ip -n "$LAB_AC" addr add 10.100.0.1/16 dev acx && ip -n "$LAB_AC" link set acx up ||
	{ echo "cannot configure acx"; exit 1; }

xfer_server_start "$MIB"

conf=$(lab_conf workers.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
workers = 2

[session w]
count = $N
user = u%d
password = x
ifname = ppw%d
ipv6 = yes

EOF
)
NT=$N
metric() { px metrics | awk -v m="$1" '$1 == m { print $2 }'; }
json() { px status --json | python3 -c "import json, sys; d = json.load(sys.stdin); $1"; }
n_up() { [ "$(px status | awk '$2 == "up"' | wc -l)" -eq "$1" ]; }
slaac_of() { ip -n "$LAB_CL" -6 -o addr show dev "$1" scope global | awk '{ print $4 }' | cut -d/ -f1; }
all_slaac() {
	local i
	for ((i = 1; i <= N; i++)); do [[ -n $(slaac_of ppw$i) ]] || return 1; done
}
# worker_of NAME / sid_of NAME: from status --json
worker_of() { json "print([s['worker'] for s in d['sessions'] if s['name'] == '$1'][0])"; }
sid_of() { json "print([s['session_id'] for s in d['sessions'] if s['name'] == '$1'][0])"; }
xfer() { ip netns exec "$LAB_CL" python3 "$XFER" client "$1" 10.100.0.1 5001 "$2" "$LAB_DIR/blob"; }
moved() { [[ $(cat "$1") == "sha256 $SUM bytes $((MIB << 20)) "* ]]; }

daemon_start "$conf"
check "$NT sessions up" wait_for 40 n_up $NT
check "two workers started (logged)" grep -q "2 workers move the data" "$DAEMON_LOG"
check "status --json: workers 2" eval '[[ $(json "print(d[\"workers\"])") == 2 ]]'
check "metrics: pppoe_xdp_workers 2" eval '[[ $(metric pppoe_xdp_workers) == 2 ]]'
w0=$(metric 'pppoe_xdp_worker_sessions{worker="0"}')
w1=$(metric 'pppoe_xdp_worker_sessions{worker="1"}')
echo "  worker sessions: $w0 + $w1"
check "both workers own sessions, $NT in all" eval '(( w0 > 0 && w1 > 0 && w0 + w1 == NT ))'
check "each session's worker is its session id % 2" json "
assert all(s['worker'] == s['session_id'] % 2 for s in d['sessions']), d['sessions']"

x0=$(metric pppoe_xdp_xdp_worker_packets_total)
for ((i = 1; i <= N; i++)); do
	check "ppw$i pings the AC's stack" ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -I ppw$i 10.100.0.1
done
check "the XDP program gave data to worker 1's sockets" \
	eval '(( $(metric pppoe_xdp_xdp_worker_packets_total) > x0 ))'

check "every session has its SLAAC address (RAs handed from the workers)" wait_for 20 all_slaac
h=$(( $(metric 'pppoe_xdp_worker_control_handoffs_total{worker="0"}') +
      $(metric 'pppoe_xdp_worker_control_handoffs_total{worker="1"}') ))
check "the workers handed control frames over ($h)" eval '(( h >= N ))'

# two sessions on different workers, a transfer each way on each at once
a=$(json "print([s['ifname'] for s in d['sessions'] if s['worker'] == 0][0])")
b=$(json "print([s['ifname'] for s in d['sessions'] if s['worker'] == 1][0])")
xfer "$a" up >"$LAB_DIR/x1" 2>&1 & p1=$!
xfer "$b" up >"$LAB_DIR/x2" 2>&1 & p2=$!
xfer "$a" down >"$LAB_DIR/x3" 2>&1 & p3=$!
xfer "$b" down >"$LAB_DIR/x4" 2>&1 & p4=$!
wait $p1 $p2 $p3 $p4
for k in 1 2 3 4; do echo "    xfer $k: $(cat "$LAB_DIR/x$k")"; done
check "$MIB MiB up and down through $a (worker 0) and $b (worker 1) at once, sha256 equal" \
	eval 'moved "$LAB_DIR/x1" && moved "$LAB_DIR/x2" && moved "$LAB_DIR/x3" && moved "$LAB_DIR/x4"'

# redial w1 until its new session id belongs to the other worker (the
# AC hands out ids in order: one or two redials)
sid0=$(sid_of w1)
for try in 1 2 3; do
	px down w1 >/dev/null
	daemon_wait_down ppw1 10 || break
	px up w1 >/dev/null
	daemon_wait_up ppw1 20 || break
	sid1=$(sid_of w1)
	echo "  w1: session id $sid0 -> $sid1"
	(( sid1 % 2 != sid0 % 2 )) && break
done
check "w1 redialled to a session id of the other worker" eval '(( sid1 % 2 != sid0 % 2 ))'
check "w1's TUN moved to the worker of its new id" eval '[[ $(worker_of w1) == $((sid1 % 2)) ]]'
check "and pings" ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -I ppw1 10.100.0.1
check "the worker session counts still add up" eval '(( $(metric "pppoe_xdp_worker_sessions{worker=\"0\"}") + $(metric "pppoe_xdp_worker_sessions{worker=\"1\"}") == NT ))'


check "SIGTERM: exit status 0" daemon_stop 10
check "a PADT for every session: none left at the AC" eval '[[ $(acsim_stat sessions) == 0 ]]'
check "no TUN left" eval '! ip -n "$LAB_CL" link show | grep -q ppw'
# under ASan (make check-integration-san) or TSan (make check-tsan)
check "no sanitizer report" eval '! grep -E "Sanitizer|runtime error:" "$DAEMON_LOG"'

# Liveness: data counts as much as echoes, also when a worker moves it
# (the main thread, which checks the echoes, sleeps meanwhile: a worker
# must stamp the peer's last frame with the real time, not the main
# loop's). A daemon (-v: each missed echo logged) with one session e,
# workers = 2, an echo each idle second; the AC answers no echo. For 20 s
# e carries data (pings): no echo is due, none is missed. Then e idles:
# its echoes are missed, so the AC really drops them.
conf2=$(lab_conf live.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
workers = 2

[session e]
user = u13
password = x
ifname = ppe
lcp_echo_interval = 1
lcp_echo_failure = 3
EOF
)
: >"$DAEMON_LOG"
daemon_start "$conf2" -v
check "e up" daemon_wait_up ppe 20
acsim_ctl set drop_tx lcp-echo-reply 100000 >/dev/null
ip netns exec "$LAB_CL" ping -q -c 100 -i 0.2 -W 1 -I ppe 10.100.0.1 >/dev/null 2>&1
check "e, carrying data (worker $(worker_of e)) for 20 s: no echo due, none missed" \
	eval '! grep "\[e/ppe\] LCP: Echo-Reply missing" "$DAEMON_LOG"'
check "e, idle: its echoes go unanswered" \
	wait_for 10 grep -q "\[e/ppe\] LCP: Echo-Reply missing" "$DAEMON_LOG"
acsim_ctl set drop_tx lcp-echo-reply 0 >/dev/null
check "SIGTERM: exit status 0" daemon_stop 10
check "no sanitizer report" eval '! grep -E "Sanitizer|runtime error:" "$DAEMON_LOG"'
lab_done
