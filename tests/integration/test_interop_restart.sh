#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Restarts against the real access concentrator, 16 sessions, default
# settings:
#  1. SIGKILL, then a new start resumes every session: the same PPPoE
#     session id at the AC, the same TUN ifindex and address, no PADI, no
#     PADT, and a TCP connection bound to a TUN (opened before the kill)
#     still carries data;
#  2. the same after `stop --keep` (the upgrade path);
#  3. SIGKILL, the AC restarted meanwhile (it forgot every session), then a
#     start: the resumed sessions find out by echo, PADT, and dial again;
#  4. SIGTERM ends everything: PADT, no TUN, rule, XDP program or state file.
set -u
. "$(dirname "$0")/lab.sh"
lab_setup || exit 1
N=16
CTL=$LAB_DIR/ctl.sock
TCPD=$LAB_DIR/tcp
pxctl() { "$PPPOE_XDP" -s "$CTL" "$@"; }
sum() { pxctl status --json | python3 -c "import json,sys; print(sum(s['$1'] for s in json.load(sys.stdin)['sessions']))"; }
all_up() { [ "$(pxctl status 2>/dev/null | awk '$2 == "up"' | wc -l)" -eq $N ]; }
# What must not change across a resume: ifindex and address of every TUN.
tuns() { ip -n "$LAB_CL" -4 -o addr show | awk '$2 ~ /^ppx/ { print $1, $2, $4 }' | sort -k2; }
ac_sids() { ac_sessions | grep -o 'sid=[0-9]* mac=[^ ]*' | sort; }
resumed_since() { [ "$(tail -n +"$1" "$DAEMON_LOG" | grep -c 'resumed session confirmed')" -eq $N ]; }
AC_ARGS=(AC_AUTH=pap AC_USERS="*:" AC_MAX_SESSIONS=100 AC_MEM=512M)

ac_start "$LAB_AC" ac0 "${AC_ARGS[@]}" || exit 1
conf=$(lab_conf restart.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
route_table_range = 1000-1999
password = any

[session line]
count = $N
user = line%d@isp
ifname = ppx%d
route_table = auto
EOF
)

daemon_start "$conf"
check "$N sessions come up" wait_for 300 all_up
check "the AC has $N sessions" ac_wait_sessions $N 60
sids0=$(ac_sids)
tuns0=$(tuns)
check "the state file is written" wait_for 5 test -s "$LAB_DIR/state"

# A TCP connection through ppx5 to a server on the AC, open across restarts.
mkdir -p "$TCPD"
ac_exec "setsid python3 $PWD/tests/tools/tcp_echo.py server 10.64.0.1 7777 >/dev/null 2>&1 &" ||
	echo "  (could not start the TCP server on the AC)"
sleep 2
ip netns exec "$LAB_CL" python3 tests/tools/tcp_echo.py client ppx5 10.64.0.1 7777 "$TCPD" 3 \
	>"$TCPD/client.log" 2>&1 &
TCP_PID=$!
check "a TCP connection through ppx5 is open" wait_for 30 test -e "$TCPD/connected"
touch "$TCPD/go1"
check "TCP carries data before any restart" wait_for 30 test -e "$TCPD/ok1"

# --- 1. SIGKILL and start again: everything resumed.
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
check "after SIGKILL every TUN is still there" test "$(tuns)" = "$tuns0"
check "the AC still holds the $N sessions" ac_wait_sessions $N 5
line=$(($(wc -l <"$DAEMON_LOG") + 1))
echo "--- restart after SIGKILL" >>"$DAEMON_LOG"
t0=$(date +%s%N)
daemon_start "$conf"
check "SIGKILL restart: every session resumed and confirmed by the AC" wait_for 30 resumed_since "$line"
t1=$(date +%s%N)
echo "  (start to $N sessions confirmed: $(((t1 - t0) / 1000000)) ms)"
check "SIGKILL restart: all $N up" all_up
check "SIGKILL restart: no PADI (no dial at all)" test "$(sum dials)" -eq 0
check "SIGKILL restart: status --json says every session was resumed" test "$(sum resumed)" -eq $N
check "SIGKILL restart: no PADT" bash -c "! tail -n +$line '$DAEMON_LOG' | grep -q 'sent PADT'"
check "SIGKILL restart: the same session ids at the AC" test "$(ac_sids)" = "$sids0"
check "SIGKILL restart: the same TUN ifindexes and addresses" test "$(tuns)" = "$tuns0"
check "SIGKILL restart: the rules are kept" bash -c \
	"[ \$(ip -n $LAB_CL rule | grep -c 'lookup 1[0-9][0-9][0-9]') -eq $N ]"
touch "$TCPD/go2"
check "SIGKILL restart: the TCP connection opened before still carries data" \
	wait_for 60 test -e "$TCPD/ok2"
check "ping through ppx9" ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -I ppx9 10.64.0.1

# --- 2. stop --keep, then start: the upgrade path.
check "stop --keep returns once the daemon has exited" pxctl stop --keep
check "stop --keep: the daemon is gone" bash -c "! kill -0 $DAEMON_PID 2>/dev/null"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
check "stop --keep: every TUN is still there" test "$(tuns)" = "$tuns0"
check "stop --keep: the AC holds the $N sessions" ac_wait_sessions $N 5
check "stop --keep: the state file stays" test -s "$LAB_DIR/state"
line=$(($(wc -l <"$DAEMON_LOG") + 1))
echo "--- start after stop --keep" >>"$DAEMON_LOG"
daemon_start "$conf"
check "after stop --keep: every session resumed and confirmed" wait_for 30 resumed_since "$line"
check "after stop --keep: no PADI" test "$(sum dials)" -eq 0
check "after stop --keep: the same session ids at the AC" test "$(ac_sids)" = "$sids0"
check "after stop --keep: the same TUN ifindexes and addresses" test "$(tuns)" = "$tuns0"
touch "$TCPD/go3"
check "after stop --keep: the TCP connection still carries data" wait_for 60 test -e "$TCPD/ok3"
wait "$TCP_PID" 2>/dev/null
[ -e "$TCPD/ok3" ] || cat "$TCPD"/fail* "$TCPD/client.log" 2>/dev/null

# --- 3. SIGKILL, the AC restarts meanwhile: echo, PADT, dial.
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
ac_stop
ac_start "$LAB_AC" ac0 "${AC_ARGS[@]}" || { echo "FAIL: the new AC did not boot"; exit 1; }
line=$(($(wc -l <"$DAEMON_LOG") + 1))
echo "--- start after the AC restarted" >>"$DAEMON_LOG"
daemon_start "$conf"
check "AC restarted: no session is confirmed; every one ends with PADT" wait_for 60 bash -c \
	"[ \$(tail -n +$line '$DAEMON_LOG' | grep -c 'echo requests unanswered, link is dead') -eq $N ]"
check "AC restarted: every session dials again and comes up" wait_for 300 all_up
check "AC restarted: each session dialed once" test "$(sum dials)" -eq $N
check "AC restarted: no session was confirmed" bash -c \
	"! tail -n +$line '$DAEMON_LOG' | grep -q 'resumed session confirmed'"
check "AC restarted: the new AC holds exactly $N sessions" ac_wait_sessions $N 60
check "AC restarted: the TUNs kept their ifindex" test \
	"$(tuns | awk '{ print $1, $2 }')" = "$(awk '{ print $1, $2 }' <<<"$tuns0")"
check "ping through ppx9 on the new AC" ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -I ppx9 10.64.0.1

# --- 4. SIGTERM ends everything.
check "SIGTERM: exit 0 within 2 s" daemon_stop 2
check "the AC sees every session end" ac_wait_sessions 0 60
check "no TUN left" bash -c "! ip -n $LAB_CL link | grep -q ppx"
check "no XDP program left" bash -c "! ip -n $LAB_CL link show cl0 | grep -q xdp"
check "no rule left" bash -c "! ip -n $LAB_CL rule | grep -q 'lookup 1[0-9][0-9][0-9]'"
check "state file removed on clean exit" test ! -e "$LAB_DIR/state"
kill "$TCP_PID" 2>/dev/null
lab_done
