#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Interop with a real access concentrator, CHAP-MD5, two sessions in one
# daemon: one with the right password comes up and passes traffic; one with
# a wrong password fails cleanly (logged with the AC's message, retried
# after a holdoff, never logged in clear) while the other keeps working.
set -u
. "$(dirname "$0")/lab.sh"
lab_setup || exit 1

ac_start "$LAB_AC" ac0 AC_AUTH=chap AC_USERS="bob:builder carol:correct-pw" || exit 1

conf=$(lab_conf chap.conf <<EOF
[global]
interface = cl0
holdoff = 1
holdoff_max = 2

[session good]
user = bob
password = builder
ifname = pppx1

[session bad]
user = carol
password = canary-Wrong-Pw-42
ifname = pppx2
EOF
)
daemon_start "$conf" -v

check "CHAP session comes up" daemon_wait_up pppx1 30
check "AC authenticated bob with CHAP" ac_wait_log -f "$AC_EVENTS" -t 5 "auth-up .*peer=bob"
check "ping -I pppx1 peer" ip netns exec "$LAB_CL" ping -c 3 -i 0.2 -W 2 -I pppx1 10.64.0.1
check "wrong password: authentication failure logged" \
	wait_for 20 grep -qi "auth.*fail" "$DAEMON_LOG"
check "wrong password: retried after holdoff" \
	wait_for 30 bash -c "[ \$(grep -ci 'auth.*fail' $DAEMON_LOG) -ge 2 ]"
check "wrong password: pppx2 exists but has no address" bash -c \
	"ip -n $LAB_CL link show pppx2 >/dev/null && ! ip -n $LAB_CL -4 addr show dev pppx2 | grep -q inet"
check "the good session kept working" ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -I pppx1 10.64.0.1
check "the daemon is still running" kill -0 "$DAEMON_PID"
check "no password in the log" bash -c "! grep -q -e canary-Wrong-Pw-42 -e builder $DAEMON_LOG"

check "SIGTERM: exit status 0 within 5 s" daemon_stop 5
check "the AC sees every session end" ac_wait_sessions 0 10
check "TUNs removed" bash -c "! ip -n $LAB_CL link show pppx1 2>/dev/null && ! ip -n $LAB_CL link show pppx2 2>/dev/null"
lab_done
