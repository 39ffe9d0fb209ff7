#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Soak (issue 5): SOAK_SESSIONS sessions against acsim-server for SOAK_SECS
# seconds of random faults from the AC: restarts without PADT, PADTs,
# Terminate-Requests, LCP and IPCP renegotiations (NCP flaps), echo loss
# long enough to kill sessions, lost PADOs. Then the faults stop and every
# session must come back, with the daemon's file descriptors, TUNs, rules,
# routes and XDP programs as they were before the first fault, its memory
# flat, and no session left over at the AC.
#
#   SOAK_SECS      how long the faults go on           [45]
#   SOAK_SESSIONS  sessions                            [32]
#   SOAK_SEED      seed for the fault schedule         [random]
#
# CI runs this short version; "make soak SOAK_TIME=3600" runs a long one.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

SECS=${SOAK_SECS:-45}
N=${SOAK_SESSIONS:-32}
SEED=${SOAK_SEED:-$((RANDOM * 32768 + RANDOM))}
RANDOM=$SEED

[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
acsim_lab_setup || exit 1
# Session ids from 4097 - N/2 up to 4096 + 4 N, then from 1 again: ids 4096
# apart land in one bucket of the daemon's session id table, so its hash
# chains get exercised while sessions come and go.
acsim_start -a chap -N $((4096 + N * 4)) --first-sid $((4097 - N / 2)) -U "$N" -u 'u%d' -p x \
	--pool 10.100.0.0 --echo 0 --seed "$SEED" || { echo "acsim-server did not start"; exit 1; }

conf=$(lab_conf soak.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
dial_rate = 50
lcp_echo_interval = 1
lcp_echo_failure = 3
holdoff = 1
holdoff_max = 4
route_table_range = 1000-1999

[session s]
count = $N
user = u%d
password = x
ifname = pps%d
route_table = auto
EOF
)

all_up() { [[ $(px_n_up) -eq $N ]]; }

echo "  soak: $N sessions, $SECS s of faults, seed $SEED"
daemon_start "$conf"
wait_for 60 all_up || { echo "FAIL: the $N sessions did not come up"; exit 1; }
BASE=$(res_stable)
RSS0=$(daemon_rss_kb)
echo "  before: fds tuns rules routes xdp = $BASE, rss $RSS0 kB"

declare -A did
end=$((SECONDS + SECS))
rss_max=$RSS0
while ((SECONDS < end)); do
	k=$((1 + RANDOM % (N / 8 + 1)))
	case $((RANDOM % 16)) in
	0) f=restart; acsim_ctl restart >/dev/null ;;
	1 | 2) f=padt; acsim_ctl padt $k >/dev/null ;;
	3 | 4) f=termreq; acsim_ctl termreq $k >/dev/null ;;
	5 | 6 | 7) f=ipcp-flap; acsim_ctl ipcp $k >/dev/null ;;
	8 | 9) f=lcp-reneg; acsim_ctl lcp $k >/dev/null ;;
	10 | 11)
		f=echo-loss
		acsim_ctl set echo_silent 1 >/dev/null
		sleep $((2 + RANDOM % 3))
		acsim_ctl set echo_silent 0 >/dev/null
		;;
	12) f=pado-loss; acsim_ctl set drop_tx PADO $((1 + RANDOM % 8)) >/dev/null ;;
	*) f=pause ;;
	esac
	did[$f]=$((${did[$f]:-0} + 1))
	kill -0 "$DAEMON_PID" 2>/dev/null || break
	r=$(daemon_rss_kb)
	((r > rss_max)) && rss_max=$r
	sleep "0.$((2 + RANDOM % 8))"
done
acsim_ctl set drop_tx PADO 0 >/dev/null
summary=
for f in "${!did[@]}"; do summary+=" $f=${did[$f]}"; done
echo "  faults:$summary"

check "daemon survived the soak" kill -0 "$DAEMON_PID"
# Settled: every session up on both sides. A session the AC forgot in the
# last restart still looks up here until its echoes fail (3 s), and one
# whose echoes alone the AC stopped answering while it answers the other
# sessions gets the busy-AC grace first: probed for up to 60 s
# (LCP_ECHO_BUSY_MAX_MS), then a PADT, the holdoff and a dial (seen: 64 s
# after the last fault, seed 827532952). So up to 90 s.
settled() { all_up && [[ $(acsim_stat up) -eq $N && $(acsim_stat sessions) -eq $N ]]; }
t0=$SECONDS
sleep 4
check "every session is up again after the faults" wait_for 86 settled
echo "  settled $((SECONDS - t0)) s after the last fault; $(px_sum ups) ups, $(px_sum dials) dials"
res_settle "$BASE"
NOW=$RES_NOW
RSS1=$(daemon_rss_kb)
echo "  after: fds tuns rules routes xdp = $NOW, rss $RSS1 kB (max $rss_max kB)"
check "fds, TUNs, rules, routes and XDP programs as before" eval '[[ $NOW == "$BASE" ]]'
if ! daemon_is_san; then
	check "memory flat (rss grew < 2 MiB)" eval '((RSS1 - RSS0 < 2048))'
fi
if ! check "no session left over at the AC" eval '[[ $(acsim_stat sessions) -eq $N ]]'; then
	echo "  AC sessions (sid mac state) not held by the client:"
	px_sessions session_id mac | awk '{ printf "%d %s\n", $2, $3 }' | sort >"$LAB_DIR/cl.sids"
	acsim_ctl sessions | sort | while read -r sid mac st; do
		grep -qx "$sid $mac" "$LAB_DIR/cl.sids" || echo "    $sid $mac $st"
	done
fi
check "SIGTERM exits cleanly (with ASan: and leaks nothing)" daemon_stop 10
check "nothing left after exit" eval '[[ $(res_snapshot | cut -d" " -f2-) == "0 0 0 0" ]]'
check "no sanitizer report" eval '! grep -q "Sanitizer" "$DAEMON_LOG"'
lab_done
