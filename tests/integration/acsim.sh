# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# acsim.sh - the acsim access concentrator (tests/acsim) in the lab, and
# probes of the daemon's state, for fault and soak tests. Sourced after
# lab.sh; needs LAB_AC, LAB_CL, LAB_DIR from lab_setup.
#
#   acsim_lab_setup           lab_setup, with acsim stopped by the EXIT trap
#   acsim_start [ARGS...]     acsim-server on ac0 with a control socket
#   acsim_stop                SIGTERM it (it prints its counters to acsim.log)
#   lab_tool NAME             path of a tests/tools program
#   acsim_ctl CMD...          one control command (see acsim-server.c)
#   acsim_stat KEY            one counter from "acsim_ctl stats"
#   px ARGS...                pppoe-xdp CLI against the daemon's socket ($CTL)
#   px_sessions FIELD...      "name f1 f2 ..." per session from status --json
#   px_n_up                   sessions in state up
#   px_sum FIELD              sum of a numeric field over every session
#   res_snapshot              "fds tuns rules routes xdp" of the lab right now
#   res_stable                a snapshot two reads 0.3 s apart agree on (a baseline)
#   res_settle BASE           wait (3 s at most) for res_snapshot to be BASE; RES_NOW
#   fd_targets                what the daemon's fds point at, sorted
#   daemon_rss_kb             the daemon's VmRSS
#   daemon_is_san             the daemon is built with ASan (RSS is no guide)
#   xfer_server_start MIB     a random file served over TCP behind acsim --tun

# lab_tool NAME: a test tool next to the daemon under test (an ASan build
# has its own), else the default build's
lab_tool() {
	local t
	t=$(dirname "$PPPOE_XDP")/tests/tools/$1
	[[ -x $t ]] || t=$_LAB_ROOT/build/tests/tools/$1
	echo "$t"
}

ACSIM=${ACSIM:-$(lab_tool acsim-server)}
ACSIM_PID=
CTL=

acsim_lab_setup() {
	lab_setup || return 1
	CTL=$LAB_DIR/ctl.sock
	trap _acsim_cleanup EXIT
}

_acsim_cleanup() {
	local rc=$?
	acsim_stop
	if [[ $rc -ne 0 || $LAB_FAILS -ne 0 ]]; then
		echo "---- acsim-server log (last 20 lines)" >&2
		tail -n 20 "$LAB_DIR/acsim.log" >&2 2>/dev/null
	fi
	(exit "$rc")
	lab_cleanup
}

acsim_start() {
	ACSIM_SOCK=$LAB_DIR/acsim.sock
	ip netns exec "$LAB_AC" "$ACSIM" -i ac0 --ctl "$ACSIM_SOCK" "$@" \
		2>"$LAB_DIR/acsim.log" &
	ACSIM_PID=$!
	wait_for 5 grep -q "ready on ac0" "$LAB_DIR/acsim.log"
}

acsim_stop() {
	[[ -n $ACSIM_PID ]] || return 0
	kill -TERM "$ACSIM_PID" 2>/dev/null
	wait "$ACSIM_PID" 2>/dev/null
	ACSIM_PID=
}

acsim_ctl() { "$ACSIM" -C "$ACSIM_SOCK" "$@"; }

acsim_stat() { acsim_ctl stats | awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }'; }

px() { "$PPPOE_XDP" -s "$CTL" "$@"; }

px_sessions() {
	px status --json | python3 -c '
import json, sys
fields = sys.argv[1:]
for s in json.load(sys.stdin)["sessions"]:
    print(s["name"], *[s.get(f) for f in fields])
' "$@"
}

px_n_up() { px_sessions state | awk '$2 == "up"' | wc -l; }

px_sum() { px_sessions "$1" | awk '{ n += $2 } END { print n + 0 }'; }

# res_snapshot: what a leak would grow. Rules and routes: only ours (tables
# other than main/local/default), so the lab's own do not count.
res_snapshot() {
	local fds tuns rules routes xdp
	fds=$(ls "/proc/$DAEMON_PID/fd" 2>/dev/null | wc -l)
	tuns=$(ip -n "$LAB_CL" -o link show type tun | wc -l)
	rules=$(ip -n "$LAB_CL" rule | grep -vc -e 'lookup local' -e 'lookup main' -e 'lookup default')
	routes=$(ip -n "$LAB_CL" route show table all | grep -v -e 'table local' -e '^fe80' \
		-e '^multicast' -e '^local' | wc -l)
	xdp=$(ip -n "$LAB_CL" -d link show cl0 | grep -c 'prog/xdp')
	echo "$fds $tuns $rules $routes $xdp"
}

# A snapshot can catch a moment: 200 ms after a session comes up (and every
# 30 s) the daemon rewrites its state file, holding one more fd through the
# fsync. A leak is what is still there after that.
#
# res_stable: a snapshot that two reads 0.3 s apart agree on (5 s at most),
# for a baseline
res_stable() {
	local a b i
	sleep 0.5
	a=$(res_snapshot)
	for ((i = 0; i < 15; i++)); do
		sleep 0.3
		b=$(res_snapshot)
		[[ $a == "$b" ]] && break
		a=$b
	done
	echo "$b"
}

# res_settle BASE: wait up to 3 s for res_snapshot to read BASE again;
# RES_NOW is the last snapshot read (the one judged: reading another after
# the wait would race the state file again)
res_settle() {
	local want=$1
	wait_for 3 eval 'RES_NOW=$(res_snapshot); [[ $RES_NOW == "$want" ]]'
}

# fd_targets: what the daemon's fds point at, one per line, sorted
fd_targets() { find "/proc/$DAEMON_PID/fd" -mindepth 1 -printf '%l\n' 2>/dev/null | sed 's/\[[0-9]*\]/[]/' | sort; }

daemon_rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$DAEMON_PID/status"; }

# daemon_is_san: the daemon is an ASan build. Its quarantine holds freed
# memory, so RSS says nothing about leaks; LeakSanitizer at exit does.
daemon_is_san() { grep -qa __asan_init "$PPPOE_XDP"; }

# xfer_server_start MIB: a file of MIB random MiB ($LAB_DIR/blob, its
# sha256 in SUM) served by tests/tools/tcp_xfer.py on 10.100.0.1:5001 in
# the AC's namespace (behind acsim-server --tun); SRV is its pid, killed
# on exit
xfer_server_start() {
	head -c $(($1 << 20)) /dev/urandom >"$LAB_DIR/blob"
	SUM=$(sha256sum "$LAB_DIR/blob" | cut -d' ' -f1)
	ip netns exec "$LAB_AC" python3 tests/tools/tcp_xfer.py server 10.100.0.1 5001 \
		"$LAB_DIR/blob" 2>"$LAB_DIR/xfer-server.log" &
	SRV=$!
	trap 'rc=$?; kill $SRV 2>/dev/null; (exit $rc); _acsim_cleanup' EXIT
}
