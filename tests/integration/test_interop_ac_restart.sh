#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The real access concentrator dies without a PADT (its guest is killed)
# and a fresh one boots in its place: with the DEFAULT echo settings every
# session notices (echoes, one session's miss probing the others), redials
# through the setup window, and is back, each down and up once more. The
# time from the new AC answering to every session back is printed (target
# 45 s), not asserted.
set -u
. "$(dirname "$0")/lab.sh"
lab_setup || exit 1
N=16
CTL=$LAB_DIR/ctl.sock
pxctl() { "$PPPOE_XDP" -s "$CTL" "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
sum() { pxctl status --json | python3 -c "import json,sys; print(sum(s['$1'] for s in json.load(sys.stdin)['sessions']))"; }
n_up() { pxctl status 2>/dev/null | awk '$2 == "up"' | wc -l; }
all_up() { [ "$(n_up)" -eq $N ]; }
all_back() { all_up && [ "$(sum ups)" -eq $((2 * N)) ]; }
AC_ARGS=(AC_AUTH=pap AC_USERS="*:" AC_MAX_SESSIONS=100 AC_MEM=512M AC_MAX_PER_MAC=1
	AC_LCP_ECHO_INTERVAL=0)

ac_start "$LAB_AC" ac0 "${AC_ARGS[@]}" || exit 1
conf=$(lab_conf acrestart.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
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
check "the AC has $N sessions" ac_wait_sessions $N 30

# The AC's guest is killed: no PADT, no Terminate, nothing.
t_kill=$(now_ms)
ac_stop
ac_start "$LAB_AC" ac0 "${AC_ARGS[@]}" || { echo "FAIL: the new AC did not boot"; exit 1; }
t_ready=$(now_ms)
echo "  (new AC ready $((t_ready - t_kill)) ms after the old one died)"
check "every session notices the dead AC" wait_for 60 bash -c \
	"[ \$($PPPOE_XDP -s $CTL status --json | python3 -c 'import json,sys; print(sum(s[\"downs\"] for s in json.load(sys.stdin)[\"sessions\"]))') -ge $N ]"
t_down=$(now_ms)
check "every session is back" wait_for 300 all_back
t_back=$(now_ms)
echo "  (all $N down $((t_down - t_kill)) ms after the AC died; all back $((t_back - t_ready)) ms" \
	"after the new AC was ready (target 45000))"
check "each session went down once" test "$(sum downs)" -eq $N
check "the new AC holds exactly $N sessions" ac_wait_sessions $N 30
probes=$(pxctl metrics | awk '$1 == "pppoe_xdp_echo_probes_total" { print $2 }')
echo "  (sessions probed together after a sibling missed an echo: $probes)"
check "one session's missed echo probed the others" test "${probes:-0}" -gt 0
check "ping through ppx5 on the new AC" ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -I ppx5 10.64.0.1

check "SIGTERM: exit 0 within 2 s" daemon_stop 2
check "the AC sees every session end" ac_wait_sessions 0 60
lab_done
