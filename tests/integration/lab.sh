# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# lab.sh - a two-namespace lab for pppoe-xdp tests, sourced by test scripts.
#
#   LAB_AC (netns) -- ac0 <== veth ==> cl0 -- LAB_CL (netns, runs pppoe-xdp)
#
# The real access concentrator (tests/ac/ac.sh) boots on ac0; pppoe-xdp
# runs on cl0. lab_cleanup (installed as the EXIT trap by lab_setup) kills
# the daemon and the AC and removes both namespaces, whatever happened.
#
#   lab_setup                     create namespaces + veth, install the trap
#   lab_conf NAME <<EOF ... EOF   write a mode 0600 config into $LAB_DIR/NAME
#   daemon_start CONF [ARGS...]   run pppoe-xdp in LAB_CL (log: $DAEMON_LOG)
#   daemon_wait_up IFNAME [SECS]  wait until IFNAME has an IPv4 address
#   daemon_wait_down IFNAME [SECS] wait until IFNAME has no IPv4 address
#   daemon_stop [SECS]            SIGTERM; fails unless it exits 0 in SECS
#   wait_for SECS CMD...          poll CMD every 0.2 s until it succeeds
#   check DESCRIPTION CMD...      run CMD, record PASS/FAIL (and return 1 on FAIL)
#   lab_done                      exit 0 if every check passed, else 1
#
# LAB_KEEP=DIR copies the lab directory (logs, configs) there at the end.

_LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$_LAB_ROOT/tests/ac/ac.sh"

PPPOE_XDP=${PPPOE_XDP:-$_LAB_ROOT/build/pppoe-xdp}
LAB_FAILS=0
DAEMON_PID=

lab_setup() {
	LAB_ID=px$$
	LAB_AC=${LAB_ID}ac
	LAB_CL=${LAB_ID}cl
	LAB_DIR=$(mktemp -d /tmp/pppoe-xdp-lab.XXXXXX)
	DAEMON_LOG=$LAB_DIR/daemon.log
	trap lab_cleanup EXIT
	trap 'exit 130' INT TERM
	ip netns add "$LAB_AC" && ip netns add "$LAB_CL" || return 1
	ip link add ac0 netns "$LAB_AC" type veth peer name cl0 netns "$LAB_CL" || return 1
	ip -n "$LAB_AC" link set lo up
	ip -n "$LAB_CL" link set lo up
	ip -n "$LAB_AC" link set ac0 up
	ip -n "$LAB_CL" link set cl0 up
}

lab_cleanup() {
	local rc=$?
	if [[ -n $DAEMON_PID ]] && kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill -KILL "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
	fi
	if [[ $rc -ne 0 || $LAB_FAILS -ne 0 ]]; then
		echo "---- pppoe-xdp log (last 60 lines)" >&2
		tail -n 60 "$DAEMON_LOG" >&2 2>/dev/null
		ac_dump 2>/dev/null | tail -n 60 >&2
	fi
	ac_stop >/dev/null 2>&1
	# LAB_KEEP=DIR keeps the logs and configs for a post-mortem.
	[[ -n ${LAB_KEEP:-} ]] && mkdir -p "$LAB_KEEP" && cp -r "$LAB_DIR"/. "$LAB_KEEP"/ 2>/dev/null
	ip netns del "$LAB_AC" 2>/dev/null
	ip netns del "$LAB_CL" 2>/dev/null
	rm -rf "$LAB_DIR"
	exit "$rc"
}

lab_conf() {
	local f=$LAB_DIR/$1
	(umask 077 && cat >"$f")
	echo "$f"
}

daemon_start() {
	local conf=$1
	shift
	ip netns exec "$LAB_CL" "$PPPOE_XDP" run -c "$conf" "$@" >>"$DAEMON_LOG" 2>&1 &
	DAEMON_PID=$!
}

wait_for() {
	local end=$((SECONDS + $1))
	shift
	while ((SECONDS < end)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	"$@" >/dev/null 2>&1
}

_lab_has_addr() { ip -n "$LAB_CL" -4 addr show dev "$1" 2>/dev/null | grep -q "inet "; }
_lab_no_addr() { ! _lab_has_addr "$1"; }

daemon_wait_up() { wait_for "${2:-30}" _lab_has_addr "$1"; }
daemon_wait_down() { wait_for "${2:-10}" _lab_no_addr "$1"; }

# daemon_stop [SECS]: SIGTERM and require a clean exit (status 0) in time.
daemon_stop() {
	local secs=${1:-5} i rc
	[[ -n $DAEMON_PID ]] || return 1
	kill -TERM "$DAEMON_PID"
	for ((i = 0; i < secs * 10; i++)); do
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$DAEMON_PID" 2>/dev/null; then
		echo "pppoe-xdp still running ${secs}s after SIGTERM" >&2
		return 1
	fi
	wait "$DAEMON_PID"
	rc=$?
	DAEMON_PID=
	[[ $rc -eq 0 ]] || echo "pppoe-xdp exited with status $rc" >&2
	return "$rc"
}

# check runs CMD in this shell (daemon_stop must be able to wait for the
# daemon), its output kept aside and shown only when it fails.
check() {
	local what=$1 out=$LAB_DIR/check.out
	shift
	if "$@" >"$out" 2>&1; then
		echo "  ok   $what"
	else
		echo "  FAIL $what"
		sed 's/^/       | /' "$out"
		LAB_FAILS=$((LAB_FAILS + 1))
		return 1
	fi
}

lab_done() {
	[[ $LAB_FAILS -eq 0 ]] && exit 0
	echo "$LAB_FAILS check(s) failed"
	exit 1
}
