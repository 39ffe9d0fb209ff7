#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Interop with a real access concentrator (pppd with require-mschap-v2),
# three sessions in one daemon: one with the right password comes up,
# checks the AC's authenticator response and passes traffic; one with a
# wrong password fails with the AC's E=691 logged (retried after a holdoff,
# never logged in clear); one with auth = pap Naks MS-CHAPv2, and the AC's
# refusal ends it as a clear authentication failure instead of a hang.
# Then an AC that asks for no authentication: a session with
# auth = mschapv2 comes up all the same, and says so.
set -u
. "$(dirname "$0")/lab.sh"
lab_setup || exit 1

ac_start "$LAB_AC" ac0 AC_AUTH=mschap-v2 AC_USERS="dave:Ms-Pass-1 erin:correct-pw" || exit 1

conf=$(lab_conf mschap.conf <<EOF
[global]
interface = cl0
holdoff = 1
holdoff_max = 2

[session good]
user = dave
password = Ms-Pass-1
ifname = pppx1

[session bad]
user = erin
password = canary-Wrong-Ms-Pw-42
ifname = pppx2

[session papped]
user = dave
password = Ms-Pass-1
auth = pap
ifname = pppx3
EOF
)
daemon_start "$conf" -v

check "MS-CHAPv2 session comes up" daemon_wait_up pppx1 30
check "the AC asked for MS-CHAPv2" ac_wait_log -t 5 "auth chap MS-v2"
check "the AC authenticated dave" ac_wait_log -f "$AC_EVENTS" -t 5 "auth-up .*peer=dave"
check "the AC's authenticator response (S=) was checked" \
	grep -q "good/pppx1\] MS-CHAPv2: authenticated, and the AC proved it knows the password" \
	"$DAEMON_LOG"
check "LCP agreed on MS-CHAPv2" grep -q "good/pppx1\] LCP up: .*auth MS-CHAPv2" "$DAEMON_LOG"
check "ping -I pppx1 peer" ip netns exec "$LAB_CL" ping -c 3 -i 0.2 -W 2 -I pppx1 10.64.0.1

check "wrong password: the AC's E=691 logged" \
	wait_for 20 grep -q "bad/pppx2\] MS-CHAPv2: authentication failed: E=691" "$DAEMON_LOG"
check "wrong password: retried after holdoff" \
	wait_for 30 bash -c "[ \$(grep -c 'bad/pppx2\] MS-CHAPv2: authentication failed' $DAEMON_LOG) -ge 2 ]"
check "wrong password: pppx2 has no address" bash -c \
	"ip -n $LAB_CL link show pppx2 >/dev/null && ! ip -n $LAB_CL -4 addr show dev pppx2 | grep -q inet"

check "auth = pap: MS-CHAPv2 Nak'd with PAP" \
	wait_for 20 grep -q "papped/pppx3\] LCP: the AC asks for MS-CHAPv2; auth = pap: Nak, suggesting PAP" \
	"$DAEMON_LOG"
check "auth = pap: the AC's refusal is a clear authentication failure" \
	wait_for 20 grep -q "papped/pppx3\] the AC ends the link: it requires MS-CHAPv2, which auth = pap refuses" \
	"$DAEMON_LOG"
check "auth = pap: the link is dead as auth-fail" \
	wait_for 20 grep -q "papped/pppx3\] link dead (auth-fail)" "$DAEMON_LOG"
check "auth = pap: retried after holdoff, failing the same way" \
	wait_for 30 bash -c "[ \$(grep -c 'papped/pppx3\] the AC ends the link' $DAEMON_LOG) -ge 2 ]"
check "auth = pap: no PAP request reached the AC" bash -c "! grep -qa 'PAP peer auth' $AC_LOG"
check "auth = pap: pppx3 has no address" bash -c \
	"ip -n $LAB_CL link show pppx3 >/dev/null && ! ip -n $LAB_CL -4 addr show dev pppx3 | grep -q inet"
check "status shows both failures as auth-fail" bash -c \
	"ip netns exec $LAB_CL $PPPOE_XDP status -c $conf | grep -E '^(bad|papped) ' | grep -c auth-fail | grep -qx 2"

check "the good session kept working" ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -I pppx1 10.64.0.1
check "the daemon is still running" kill -0 "$DAEMON_PID"
check "no password in the log" bash -c "! grep -q -e canary-Wrong-Ms-Pw-42 -e Ms-Pass-1 $DAEMON_LOG"

check "SIGTERM: exit status 0 within 5 s" daemon_stop 5
check "the AC sees every session end" ac_wait_sessions 0 10
ac_stop

# An AC that asks for no authentication, and a client configured for
# MS-CHAPv2: it cannot make the AC authenticate it, so it goes on.
ac_start "$LAB_AC" ac0 AC_AUTH=none || exit 1
conf=$(lab_conf noauth.conf <<EOF
[global]
interface = cl0

[session open]
user = nobody
password = canary-Unused-Pw-7
auth = mschapv2
ifname = pppx1
EOF
)
daemon_start "$conf" -v
check "no authentication asked: the session comes up" daemon_wait_up pppx1 30
check "LCP up with auth none" grep -q "open/pppx1\] LCP up: .*auth none" "$DAEMON_LOG"
check "it says the AC asked for none" \
	grep -q "open/pppx1\] the AC asks for no authentication (auth = mschapv2 applies only when it asks)" \
	"$DAEMON_LOG"
check "ping -I pppx1 peer" ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -I pppx1 10.64.0.1
check "no password in the log" bash -c "! grep -q canary-Unused-Pw-7 $DAEMON_LOG"
check "SIGTERM: exit status 0 within 5 s" daemon_stop 5
lab_done
