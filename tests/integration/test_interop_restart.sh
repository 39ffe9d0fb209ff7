#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Crash recovery against the real access concentrator: 16 sessions, then
# SIGKILL (nothing can clean up), then a new start must replace the stale
# XDP program, send PADT for every session the state file lists (so the AC
# does not hold them open), bring every session back, and exit cleanly.
set -u
. "$(dirname "$0")/lab.sh"
lab_setup || exit 1
N=16
CTL=$LAB_DIR/ctl.sock

ac_start "$LAB_AC" ac0 AC_AUTH=pap AC_USERS="*:" AC_MAX_SESSIONS=100 AC_MEM=512M \
	AC_LCP_ECHO_INTERVAL=0 || exit 1
conf=$(lab_conf restart.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
route_table_range = 1000-1999
holdoff = 1
password = any

[session line]
count = $N
user = line%d@isp
ifname = ppx%d
route_table = auto
EOF
)
all_up() { [ "$("$PPPOE_XDP" -s "$CTL" status 2>/dev/null | awk '$2 == "up"' | wc -l)" -eq $N ]; }

daemon_start "$conf"
check "$N sessions come up" wait_for 120 all_up
check "the AC has $N sessions" ac_wait_sessions $N 30
sids_before=$(ac_sessions | grep -o 'sid=[0-9]*' | sort)

kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
check "after SIGKILL the TUNs are gone with the process" bash -c "! ip -n $LAB_CL link show ppx1 2>/dev/null"
check "the stale XDP program is still attached" bash -c "ip -n $LAB_CL link show cl0 | grep -q xdp"
check "the state file lists the open sessions" test -s "$LAB_DIR/state"
check "the AC still holds the $N sessions" ac_wait_sessions $N 5
check "the rules of the crashed run are still there" bash -c "ip -n $LAB_CL rule | grep -q 'lookup 1[0-9][0-9][0-9]'"

echo "--- restart" >>"$DAEMON_LOG"
daemon_start "$conf"
check "restart: PADT for every session left open" wait_for 20 bash -c \
	"[ \$(grep -c 'sent PADT .* left by an earlier run' $DAEMON_LOG) -eq $N ]"
check "restart: the stale rules are removed" grep -q "removed $N routing rule(s) left by an earlier run" "$DAEMON_LOG"
check "restart: all sessions come back" wait_for 180 all_up
check "restart: the AC dropped every old session" bash -c \
	"[ -z \"\$(comm -12 <(echo '$sids_before') <(. tests/ac/ac.sh; AC_DIR=$AC_DIR ac_sessions | grep -o 'sid=[0-9]*' | sort))\" ]"
check "restart: the AC holds exactly $N sessions" ac_wait_sessions $N 30
check "ping through ppx9 after restart" ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -I ppx9 10.64.0.1

check "SIGTERM: exit 0 within 2 s" daemon_stop 2
check "the AC sees every session end" ac_wait_sessions 0 30
check "no TUN left" bash -c "! ip -n $LAB_CL link | grep -q ppx"
check "no XDP program left" bash -c "! ip -n $LAB_CL link show cl0 | grep -q xdp"
check "no rule left" bash -c "! ip -n $LAB_CL rule | grep -q 'lookup 1[0-9][0-9][0-9]'"
check "state file removed on clean exit" test ! -e "$LAB_DIR/state"
lab_done
