#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# selftest.sh - prove that the UML access concentrator of ac.sh works.
#
# Builds two network namespaces joined by a veth pair, boots the AC in one
# and, in the other, (1) runs rp-pppoe's discovery probe on the host and
# (2) boots a second UML guest running a real pppd client.  Checks
# discovery (AC name, services), PAP, addresses and DNS, IP traffic (ping,
# an HTTP download compared by checksum), the three ways ac_kill_sessions
# ends a session, a client-side hang-up, CHAP with a wildcard secret, the
# watchdog that kills a guest whose test died, and that ac_stop leaves no
# process or directory behind.
#
# Usage: sudo tests/ac/selftest.sh      (prints PASS/FAIL, exit status 0/1)

# The eval'd checks below are single-quoted on purpose (expanded by eval).
# shellcheck disable=SC2016,SC2119

set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=ac.sh
. "$HERE/ac.sh"

NS_AC=acst-ac
NS_CL=acst-cl
IF_AC=acst-ac0
IF_CL=acst-cl0
FAILS=0
WWW=
T0=$SECONDS

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
log() { echo "--- [$((SECONDS - T0))s] $*"; }
ok() { echo "ok   [$((SECONDS - T0))s] $*"; }
bad() { echo "FAIL [$((SECONDS - T0))s] $*"; FAILS=$((FAILS + 1)); }

# check DESCRIPTION COMMAND...: run COMMAND, record the result.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else bad "$desc"; fi
}

# need DESCRIPTION COMMAND...: like check, but give up at once on failure.
need() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else bad "$desc"; exit 1; fi
}

# count ERE FILE: number of lines of FILE matching ERE.
count() { grep -c -a -E -- "$1" "$2" 2>/dev/null; }

# in_client CMD...: run shell code in the client guest.
in_client() { ac_exec -d "$AC_CLIENT_DIR" "$@"; }

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if ((FAILS > 0 || rc != 0)); then
		local d
		for d in "${_AC_INSTANCES[@]}"; do
			echo "===== logs of $d (tails) ====="
			tail -n 40 "$d/console.log" 2>/dev/null
			tail -n 15 "$d/rw/syslog" 2>/dev/null
			cat "$d/rw/events" 2>/dev/null
		done
	fi
	ac_stop
	ip netns del "$NS_AC" 2>/dev/null
	ip netns del "$NS_CL" 2>/dev/null
	[[ -n $WWW ]] && rm -rf "$WWW"
	if ((FAILS == 0 && rc == 0)); then
		echo "PASS ($((SECONDS - T0)) s)"
		exit 0
	fi
	echo "FAIL ($FAILS failed checks, status $rc, $((SECONDS - T0)) s)"
	exit 1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------
# set-up
# ---------------------------------------------------------------------------
need "running as root" test "$EUID" -eq 0
for c in linux.uml pppoe pppoe-server pppd busybox ip setsid sha256sum; do
	need "$c is installed" command -v "$c" >/dev/null
done

log "namespaces $NS_AC <-> $NS_CL"
ip netns del "$NS_AC" 2>/dev/null   # leftovers of an aborted run
ip netns del "$NS_CL" 2>/dev/null
ip link del "$IF_AC" 2>/dev/null
need "create namespaces and veth pair" eval '
	ip netns add "$NS_AC" && ip netns add "$NS_CL" &&
	ip link add "$IF_AC" mtu 1500 type veth peer name "$IF_CL" mtu 1500 &&
	ip link set "$IF_AC" netns "$NS_AC" && ip link set "$IF_CL" netns "$NS_CL" &&
	ip -n "$NS_AC" link set lo up && ip -n "$NS_CL" link set lo up &&
	ip -n "$NS_AC" link set "$IF_AC" up && ip -n "$NS_CL" link set "$IF_CL" up'

WWW=$(mktemp -d /tmp/acst-www.XXXXXX)
head -c 1048576 /dev/urandom >"$WWW/blob.bin"
SUM=$(sha256sum <"$WWW/blob.bin" | cut -d' ' -f1)

# ---------------------------------------------------------------------------
# phase 1: PAP AC, discovery, reference client, traffic, AC hang-ups
# ---------------------------------------------------------------------------
log "phase 1: PAP"
need "AC boots" ac_start "$NS_AC" "$IF_AC" \
	AC_NAME=acst-ac AC_SERVICE="internet voip" AC_AUTH=pap \
	AC_USERS="test:test alice:secret" AC_HTTP_DIR="$WWW" \
	AC_LCP_ECHO_INTERVAL=2 AC_LCP_ECHO_FAILURE=3
echo "     AC ready after ${AC_BOOT_SECS}s, mac $AC_MAC, log $AC_LOG"

# Discovery only, from the host side with rp-pppoe's probe (PF_PACKET).
disc=$(ip netns exec "$NS_CL" timeout 15 pppoe -I "$IF_CL" -A 2>&1)
check "PADO carries AC-Name acst-ac" grep -q "Access-Concentrator: acst-ac" <<<"$disc"
check "PADO offers services internet, voip" eval \
	'grep -q "Service-Name: internet" <<<"$disc" && grep -q "Service-Name: voip" <<<"$disc"'
check "PADO comes from the AC's MAC" grep -qi "AC-Ethernet-Address: $AC_MAC" <<<"$disc"

need "client guest boots" ac_client_start "$NS_CL" "$IF_CL" \
	AC_CLIENT_USER=alice AC_CLIENT_PASSWORD=secret \
	AC_CLIENT_SERVICE=voip AC_CLIENT_ACNAME=acst-ac \
	AC_CLIENT_OPTS="persist
holdoff 1
maxfail 0
lcp-echo-interval 1
lcp-echo-failure 3
lcp-restart 1
lcp-max-terminate 1"
need "client session comes up" ac_wait_log -f "$AC_CLIENT_EVENTS" -t 30 '^ip-up'
check "client got 10.64.0.100, peer 10.64.0.1, DNS 10.64.0.53/54" grep -q \
	'^ip-up ppp0 local=10.64.0.100 peer=10.64.0.1 .*dns1=10.64.0.53 dns2=10.64.0.54' \
	"$AC_CLIENT_EVENTS"
check "AC log: PAP peer authentication succeeded for alice" \
	ac_wait_log -t 5 'PAP peer authentication succeeded for alice'
check "AC syslog: session 1 for the client's MAC, service voip" \
	ac_wait_log -f "$AC_SYSLOG" -t 5 \
	"Session 1 created for client $AC_CLIENT_MAC .*Service-Name 'voip'"
ac_wait_log -f "$AC_EVENTS" -t 5 '^ip-up' >/dev/null
sessions=$(ac_sessions)
echo "     $sessions"
check "ac_sessions lists exactly the client's session" eval \
	'[[ $(grep -c ^ppp <<<"$sessions") == 1 ]] &&
	 grep -q "sid=1 mac=$AC_CLIENT_MAC local=10.64.0.1 peer=10.64.0.100 user=alice state=running" <<<"$sessions"'

check "ping through the PPPoE session" in_client 'ping -c 3 -W 2 10.64.0.1 >/dev/null'
t=$(date +%s%N)
got=$(in_client "wget -q -O - http://10.64.0.1/blob.bin | sha256sum")
echo "     1 MiB in $((($(date +%s%N) - t) / 1000000)) ms (incl. ~0.2 s control round trip)"
check "HTTP download of 1 MiB over PPPoE matches" test "${got%% *}" = "$SUM"

# AC hang-up, mode term: LCP Terminate-Request, then PADT.
log "ac_kill_sessions -m term"
n_up=$(count '^ip-up' "$AC_CLIENT_EVENTS")
check "kill (term) matches one session" eval 'ac_kill_sessions -m term >/dev/null'
check "client: LCP terminated by peer" ac_wait_log -f "$AC_CLIENT_LOG" -t 10 'LCP terminated by peer'
check "AC syslog: Sent PADT" ac_wait_log -f "$AC_SYSLOG" -t 10 'Sent PADT'
check "client reconnects" ac_wait_log -f "$AC_CLIENT_EVENTS" -t 30 -n $((n_up + 1)) '^ip-up'

# Mode padt: PADT without LCP Terminate-Request.
log "ac_kill_sessions -m padt (by peer IP)"
n_up=$(count '^ip-up' "$AC_CLIENT_EVENTS")
n_term=$(count 'LCP terminated by peer' "$AC_CLIENT_LOG")
n_hup=$(count 'Modem hangup' "$AC_CLIENT_LOG")
peer=$(grep '^ip-up' "$AC_CLIENT_EVENTS" | tail -n 1 | sed 's/.* local=\([0-9.]*\).*/\1/')
check "kill (padt) by peer IP $peer" eval 'ac_kill_sessions -m padt "$peer" >/dev/null'
check "client: hang-up (PADT)" ac_wait_log -f "$AC_CLIENT_LOG" -t 10 -n $((n_hup + 1)) 'Modem hangup'
check "client: no LCP Terminate this time" \
	test "$(count 'LCP terminated by peer' "$AC_CLIENT_LOG")" = "$n_term"
check "client reconnects" ac_wait_log -f "$AC_CLIENT_EVENTS" -t 30 -n $((n_up + 1)) '^ip-up'
check "unknown target is an error" eval '! ac_kill_sessions 10.99.99.99 >/dev/null'

# Mode freeze: silence; the client detects it by LCP echo failure.
log "ac_kill_sessions -m freeze"
n_up=$(count '^ip-up' "$AC_CLIENT_EVENTS")
ac_wait_sessions 1 10 >/dev/null
check "freeze" eval 'ac_kill_sessions -m freeze >/dev/null'
check "client: no response to echo-requests" \
	ac_wait_log -f "$AC_CLIENT_LOG" -t 15 'No response to 3 echo-requests'
check "client reconnects" ac_wait_log -f "$AC_CLIENT_EVENTS" -t 30 -n $((n_up + 1)) '^ip-up'
ac_wait_sessions 2 10 >/dev/null
sessions=$(ac_sessions)
check "AC lists the frozen and the new session" eval \
	'[[ $(grep -c "state=frozen" <<<"$sessions") == 1 &&
	    $(grep -c "state=running" <<<"$sessions") == 1 ]]'
frozen=$(awk '/state=frozen/ { print $1 }' <<<"$sessions")
check "end the frozen session ($frozen)" eval 'ac_kill_sessions -m term "$frozen" >/dev/null'
check "AC is back to one session" ac_wait_sessions 1 15

# Client hang-up: pppd on the client sends LCP TermReq + PADT.
log "client hang-up"
n_down=$(count '^ip-down' "$AC_EVENTS")
check "stop client pppd" in_client 'pkill -TERM -x pppd'
check "AC log: LCP terminated by peer" ac_wait_log -t 10 'LCP terminated by peer'
check "AC events: ip-down with connect time and counters" \
	ac_wait_log -f "$AC_EVENTS" -t 10 -n $((n_down + 1)) '^ip-down ppp[0-9]+ .*connect_time=[0-9]+ bytes_sent=[0-9]+ bytes_rcvd=[0-9]+'
check "AC has no session left" ac_wait_sessions 0 15

# ac_stop: nothing may survive.
log "ac_stop"
# shellcheck disable=SC2034 # used in eval
pgids="$AC_PGID $AC_CLIENT_PGID" inst_dirs="$AC_DIR $AC_CLIENT_DIR"
ac_stop
# (zombies are ignored: the host's init reaps them in its own time)
check "no process left in the guests' process groups" eval \
	'! _ac_group_alive "${pgids% *}" && ! _ac_group_alive "${pgids#* }"'
check "instance directories removed" eval '! ls -d $inst_dirs 2>/dev/null'
check "ac_stop twice is harmless" ac_stop

# ---------------------------------------------------------------------------
# phase 2: CHAP with a wildcard secret
# ---------------------------------------------------------------------------
log "phase 2: CHAP, wildcard user"
need "AC boots (chap)" ac_start "$NS_AC" "$IF_AC" \
	--auth=chap --users='bob:bobpw *:shared' --name=acst-chap --service= \
	--http-dir= --lcp-echo-interval=0
echo "     AC ready after ${AC_BOOT_SECS}s"
need "client guest boots" ac_client_start "$NS_CL" "$IF_CL" \
	AC_CLIENT_USER=anyone AC_CLIENT_PASSWORD=shared AC_CLIENT_SERVICE= \
	AC_CLIENT_ACNAME=acst-chap AC_CLIENT_OPTS=
check "client session comes up" ac_wait_log -f "$AC_CLIENT_EVENTS" -t 30 '^ip-up'
# (pppd 2.4.9 logs no "CHAP peer authentication succeeded" line)
check "AC log: CHAP Success" ac_wait_log -t 5 'sent \[CHAP Success'
check "AC events: auth-up for user anyone" \
	ac_wait_log -f "$AC_EVENTS" -t 5 '^auth-up ppp0 peer=anyone$'
check "ping through the PPPoE session" in_client 'ping -c 2 -W 2 10.64.0.1 >/dev/null'
ac_stop

# ---------------------------------------------------------------------------
# phase 3: the watchdog kills the guest when the test process dies
# ---------------------------------------------------------------------------
log "phase 3: watchdog"
wd=$(mktemp /tmp/acst-wd.XXXXXX)
# A test shell that starts an AC and is then SIGKILLed (no trap runs).
(bash -c '. "$1/ac.sh"; ac_start "$2" "$3" AC_WATCH_PID=$$ || exit 1
	echo "$AC_PGID $AC_DIR $(cat "$AC_DIR/umltmp" 2>/dev/null)" >"$4"
	kill -KILL $$' \
	wd "$HERE" "$NS_AC" "$IF_AC" "$wd" </dev/null >/dev/null 2>&1; true) 2>/dev/null
read -r wd_pgid wd_dir wd_shm <"$wd"
rm -f "$wd"
if [[ -n ${wd_pgid-} ]]; then
	for ((i = 0; i < 50; i++)); do
		_ac_group_alive "$wd_pgid" || break
		sleep 0.1
	done
	check "guest of a killed test is gone within 5 s" eval '! _ac_group_alive "$wd_pgid"'
	for ((i = 0; i < 30; i++)); do
		[[ -e $wd_dir || -e ${wd_shm:-/nonexistent} ]] || break
		sleep 0.1
	done
	check "watchdog removed the instance's files" eval \
		'[[ ! -e $wd_dir && ! -e ${wd_shm:-/nonexistent} ]]'
	rm -rf "$wd_dir" ${wd_shm:+"$wd_shm"}
else
	bad "watchdog test could not start an AC"
fi
