#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults (issue 5): 9 sessions against acsim-server, then one fault at a
# time. After each, every session must be up again (or, where the fault
# should not cost a session, still up on the same dial), and nothing may
# have leaked: file descriptors, TUNs, routing rules and routes, XDP
# programs, memory.
#
#   AC restart without PADT      sessions notice by echo failure, redial
#   link flap (1 s)              sessions survive it
#   link down (6 s) and up       sessions die by echo, redial on link up
#   interface MAC change         the mac = interface session redials
#                                from the new MAC, the others are untouched
#   interface MTU 1400 and back  sessions redial with MRU 1392; growing
#                                again drops nobody
#   our XDP program removed      attached again at once, no session lost
#   AC throttling PADIs          sessions still come up (one PADI in two answered)
#   authentication refused       the session backs off, then comes up
#   a looped-back line           loopback detected, no session until it ends
#   a PADT injected as is        the session ends and redials
#   SIGKILL and restart          every session resumed (no PADT, no dial)
#   the interface deleted        the daemon exits with status 1, cleaned up
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
acsim_lab_setup || exit 1
acsim_start -a pap -N 256 -U 16 -u 'u%d' -p x --pool 10.100.0.0 --echo 0 ||
	{ echo "acsim-server did not start"; exit 1; }

NS=9 # 8 with auto MACs, 1 with the interface's MAC
conf=$(lab_conf faults.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
dial_rate = 0
lcp_echo_interval = 1
lcp_echo_failure = 3
holdoff = 1
holdoff_max = 4
route_table_range = 1000-1099

[session f]
count = 8
user = u%d
password = x
ifname = ppf%d
route_table = auto

[session m]
user = u9
password = x
ifname = ppm
mac = interface
EOF
)

all_up() { [[ $(px_n_up) -eq $NS ]]; }
ups() { px_sum ups; }
ups_of() { px_sessions ups | awk -v n="$1" '$1 == n { print $2 }'; }

daemon_start "$conf"
wait_for 30 all_up || { echo "FAIL: the $NS sessions did not come up"; exit 1; }
BASE=$(res_stable)
FDS0=$(fd_targets)
RSS0=$(daemon_rss_kb)
echo "  baseline: fds tuns rules routes xdp = $BASE, rss ${RSS0} kB"

# no_leak LABEL: the lab looks as it did with every session up at the start
no_leak() {
	local now rss
	res_settle "$BASE"
	now=$RES_NOW
	rss=$(daemon_rss_kb)
	echo "after $1: fds tuns rules routes xdp = $now (baseline $BASE), rss $rss kB"
	if [[ $now != "$BASE" ]]; then
		echo "the daemon's fds, at the baseline (<) and now (>):"
		diff <(echo "$FDS0") <(fd_targets)
		return 1
	fi
	daemon_is_san || ((rss < RSS0 + 4096))
}

# ---- AC restart without PADT -------------------------------------------------
u0=$(ups)
acsim_ctl restart >/dev/null
check "AC restart: every session redials (echo failure) and is up" \
	wait_for 25 eval '[[ $(ups) -ge $((u0 + NS)) ]] && all_up'
check "AC restart: nothing leaked" no_leak "AC restart"

# ---- short link flap ---------------------------------------------------------
u0=$(ups)
ip -n "$LAB_CL" link set cl0 down
sleep 1
ip -n "$LAB_CL" link set cl0 up
sleep 4
check "1 s link flap: every session survives it" eval '[[ $(ups) -eq $u0 ]] && all_up'
check "link down and up are logged" eval 'grep -q "cl0: link down" "$DAEMON_LOG" && grep -q "cl0: link up" "$DAEMON_LOG"'

# ---- long link outage ----------------------------------------------------------
u0=$(ups)
ip -n "$LAB_CL" link set cl0 down
sleep 6
check "6 s outage: sessions are down" eval '[[ $(px_n_up) -eq 0 ]]'
ip -n "$LAB_CL" link set cl0 up
t0=$SECONDS
check "6 s outage: all back after link up" wait_for 15 all_up
echo "  back $((SECONDS - t0)) s after link up"
check "6 s outage: each session dialed again" eval '[[ $(ups) -ge $((u0 + NS)) ]]'
check "6 s outage: nothing leaked" no_leak "link outage"

# ---- interface MAC change ------------------------------------------------------
um=$(ups_of m)
u0=$(ups)
NEWMAC=02:00:5e:00:99:01
ip -n "$LAB_CL" link set cl0 address $NEWMAC
check "MAC change: the mac = interface session is up again" \
	wait_for 15 eval '[[ $(ups_of m) -gt $um ]] && all_up'
check "MAC change: it now dials from $NEWMAC" \
	eval 'px_sessions mac | grep -qx "m $NEWMAC"'
check "MAC change: the AC has a session from $NEWMAC" eval 'acsim_ctl sessions | grep -q " $NEWMAC up"'
check "MAC change: the sessions with their own MACs are untouched" \
	eval '[[ $(ups) -eq $((u0 + 1)) ]]'
check "MAC change: nothing leaked" no_leak "MAC change"

# ---- interface MTU change ------------------------------------------------------
u0=$(ups)
ip -n "$LAB_CL" link set cl0 mtu 1400
check "MTU 1400: every session redials" wait_for 15 eval '[[ $(ups) -ge $((u0 + NS)) ]] && all_up'
check "MTU 1400: TUN MTU is 1392" eval 'ip -n "$LAB_CL" link show ppf1 | grep -q "mtu 1392 "'
check "MTU 1400: a 1392-byte datagram passes" \
	ip netns exec "$LAB_CL" ping -c 1 -W 2 -M do -s 1364 -I ppf1 10.100.0.1
u0=$(ups)
ip -n "$LAB_CL" link set cl0 mtu 1500
sleep 2
check "MTU back to 1500: nobody redials" eval '[[ $(ups) -eq $u0 ]] && all_up'
check "MTU change: nothing leaked" no_leak "MTU change"

# ---- someone removes our XDP program ------------------------------------------
u0=$(ups)
ip -n "$LAB_CL" link set dev cl0 xdpgeneric off 2>/dev/null
ip -n "$LAB_CL" link set dev cl0 xdpdrv off 2>/dev/null
check "XDP removed: the daemon attaches its program again" \
	wait_for 5 eval '[[ $(res_snapshot | cut -d" " -f5) -eq 1 ]] && grep -q "attached it again" "$DAEMON_LOG"'
check "XDP removed: sessions keep going, traffic passes" \
	eval 'ip netns exec "$LAB_CL" ping -c 2 -W 2 -I ppf2 10.100.0.1 && [[ $(ups) -eq $u0 ]] && all_up'
check "XDP removed: nothing leaked" no_leak "XDP removal"

# ---- an AC that answers one PADI in two ---------------------------------------
acsim_ctl set padi_every 2 >/dev/null
u0=$(ups)
for s in f1 f2 f3; do px redial $s >/dev/null; done
check "PADI throttling: the redialed sessions come up" \
	wait_for 30 eval '[[ $(ups) -ge $((u0 + 3)) ]] && all_up'
check "PADI throttling: the AC ignored some PADIs" eval '[[ $(acsim_stat padi_throttled) -gt 0 ]]'
acsim_ctl set padi_every 0 >/dev/null

# ---- authentication refused: back off -----------------------------------------
acsim_ctl set auth_reject 1 >/dev/null
p0=$(acsim_stat rx.pap-authenticate-request)
px redial f4 >/dev/null
sleep 12
p1=$(acsim_stat rx.pap-authenticate-request)
echo "  $((p1 - p0)) authentication attempts in 12 s (holdoff 1, holdoff_max 4)"
check "auth refused: the session retries, with backoff (2..8 tries in 12 s)" \
	eval '(( p1 - p0 >= 2 && p1 - p0 <= 8 ))'
check "auth refused: the failure is reported" \
	eval 'px_sessions failures | awk '\''$1 == "f4" { exit !($2 >= 2) }'\'''
acsim_ctl set auth_reject 0 >/dev/null
check "auth accepted again: the session comes up" wait_for 15 all_up
check "auth failures: nothing leaked" no_leak "auth failures"

# ---- a looped-back line, then an injected PADT --------------------------------
acsim_ctl set loopback 1 >/dev/null
u5=$(ups_of f5)
px redial f5 >/dev/null
sleep 6
check "looped-back line: f5 does not come up, loopback logged" \
	eval '[[ $(ups_of f5) -eq $u5 ]] && grep -q "f5/ppf5.*loop" "$DAEMON_LOG"'
acsim_ctl set loopback 0 >/dev/null
check "loop gone: f5 comes up" wait_for 20 all_up
u6=$(ups_of f6)
read -r sid6 mac6 acmac6 < <(px_sessions session_id mac ac_mac | awk '$1 == "f6" { print $2, $3, $4 }')
padt=$(printf '%s%s8863%02x%02x%04x%04x' "${mac6//:/}" "${acmac6//:/}" 17 167 "$sid6" 0)
check "an injected PADT from the AC ends f6's session, and it redials" \
	eval 'acsim_ctl inject $padt >/dev/null && wait_for 15 eval "[[ \$(ups_of f6) -gt $u6 ]] && all_up"'
check "loopback and PADT: nothing leaked" no_leak "loopback and PADT"

# ---- SIGKILL and restart -------------------------------------------------------
t0=$(acsim_stat rx.padt)
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
# A start that fails (here: a new session's TUN name is taken by a veth)
# must cost nothing: the killed run's TUNs and state file stay as they are.
tuns_before=$(ip -n "$LAB_CL" -o link show | awk -F': ' '$2 ~ /^pp/ { print $1, $2 }' | sort)
state_before=$(md5sum <"$LAB_DIR/state")
ip -n "$LAB_CL" link add ppz type veth peer name ppz-peer
badconf=$(lab_conf faults-bad.conf < <(cat "$conf"; printf '\n[session z]\nuser = u10\npassword = x\nifname = ppz\n'))
ip netns exec "$LAB_CL" "$PPPOE_XDP" run -c "$badconf" >>"$DAEMON_LOG" 2>&1
bad_rc=$?
check "a start that fails (a TUN name taken) exits 1, naming the device" \
	eval '[[ $bad_rc -eq 1 ]] && grep -q "ppz: interface exists and is not a TUN device" "$DAEMON_LOG"'
check "the failed start left the killed run's TUNs and state file as they were" \
	eval '[[ "$(ip -n "$LAB_CL" -o link show | awk -F": " "\$2 ~ /^pp[fm]/ { print \$1, \$2 }" | sort)" == \
		"$(grep -v ppz <<<"$tuns_before")" && "$(md5sum <"$LAB_DIR/state")" == "$state_before" ]]'
ip -n "$LAB_CL" link del ppz
line=$(($(wc -l <"$DAEMON_LOG") + 1))
daemon_start "$conf"
check "SIGKILL: the restarted daemon resumed the $NS sessions, confirmed by echo" \
	wait_for 10 eval '[[ $(tail -n +$line "$DAEMON_LOG" | grep -c "resumed session confirmed") -eq $NS ]]'
check "SIGKILL: no PADT, no dial" eval '[[ $(acsim_stat rx.padt) -eq $t0 ]] &&
	[[ $($PPPOE_XDP -s $CTL status --json | python3 -c "import json,sys; print(sum(s[\"dials\"] for s in json.load(sys.stdin)[\"sessions\"]))") -eq 0 ]]'
check "SIGKILL: all sessions up" wait_for 30 all_up
check "SIGKILL: one XDP program, no stale TUNs, rules or routes" \
	eval '[[ $(res_snapshot | cut -d" " -f2-) == "$(echo $BASE | cut -d" " -f2-)" ]]'

check "SIGTERM exits cleanly" daemon_stop 5
check "SIGTERM: no TUN, rule, route or XDP program left" \
	eval '[[ $(res_snapshot | cut -d" " -f2-) == "0 0 0 0" ]]'

# ---- the interface goes away -------------------------------------------------
daemon_start "$conf"
check "restarted once more: all up" wait_for 30 all_up
ip -n "$LAB_CL" link del cl0
gone() { ! kill -0 "$DAEMON_PID" 2>/dev/null; }
check "interface deleted: the daemon exits" wait_for 10 gone
wait "$DAEMON_PID"
rc=$?
DAEMON_PID=
check "interface deleted: exit status 1, reason logged" \
	eval '[[ $rc -eq 1 ]] && grep -q "cl0: interface removed" "$DAEMON_LOG"'
check "interface deleted: no TUN, rule or route left" \
	eval '[[ $(ip -n "$LAB_CL" -o link show type tun | wc -l) -eq 0 && -z $(ip -n "$LAB_CL" rule | grep -v -e "lookup local" -e "lookup main" -e "lookup default") ]]'
check "no sanitizer report" eval '! grep -q "Sanitizer" "$DAEMON_LOG"'
lab_done
