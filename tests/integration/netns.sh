# SPDX-License-Identifier: GPL-2.0-or-later
# netns.sh - helpers for integration tests: network namespaces, veth pairs,
# background processes, all cleaned up on any exit. Source it:
#
#   . "$(dirname "$0")/netns.sh"
#   A=$(netns_create a)              # prints the full name
#   B=$(netns_create b)
#   veth_pair "$A" va "$B" vb 02:00:00:00:00:0a 02:00:00:00:00:0b
#   ip netns exec "$A" some-daemon & netns_track $!
#   wait_for "grep -q READY $NETNS_TMP/out" 5 || fail "daemon not ready"
#
# Every namespace gets the prefix $NETNS_PREFIX, unique per run (test name,
# PID, random), so parallel runs do not collide and cleanup can find all of
# a run's namespaces even when they were created in a subshell. Interfaces
# are created directly inside their namespaces, so their names never clash
# with the host's. Tests exit 0 (pass), 77 (skip: capability missing) or
# anything else (fail).

NETNS_PREFIX="pxt-$(basename "${0%.sh}" | tr -c 'a-zA-Z0-9_\n' '_' | cut -c1-20)-$$-$RANDOM-"
NETNS_PIDS=()
NETNS_EXIT_HOOKS=()
NETNS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/${NETNS_PREFIX}XXXXXX")

# log/fail/skip - report and (for fail/skip) exit; the EXIT trap cleans up
log() { printf '# %s\n' "$*" >&2; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
skip() { printf 'SKIP: %s\n' "$*" >&2; exit 77; }

# A test with parts the machine may lack runs the rest and records each part
# it could not run with not_run; netns_done then ends it as a skip (77), not
# a pass, so a check that never ran is never counted as passed.
NETNS_NOT_RUN=()
# not_run WHAT - record (and log) a check this machine cannot run
not_run() { log "not run: $*"; NETNS_NOT_RUN+=("$*"); }
# netns_done WHAT - end the test: pass if every check ran, else skip
netns_done() {
	local n=${#NETNS_NOT_RUN[@]} list
	if [ "$n" -gt 0 ]; then
		list=$(printf '; %s' "${NETNS_NOT_RUN[@]}")
		skip "$n check(s) not run (${list#; }); the others passed"
	fi
	log "all $1 checks passed"
	exit 0
}

# netns_require_root - skip unless we can manage namespaces
netns_require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
	command -v ip >/dev/null || skip "iproute2 (ip) not installed"
}

# netns_on_exit CMD - run CMD (eval'd) at cleanup, before namespaces go
netns_on_exit() { NETNS_EXIT_HOOKS+=("$1"); }

# netns_track PID - kill PID (TERM, then KILL) at cleanup
netns_track() { NETNS_PIDS+=("$1"); }

# netns_create NAME - create namespace $NETNS_PREFIX$NAME with lo up; print it
netns_create() {
	local ns="$NETNS_PREFIX$1"
	if ! ip netns add "$ns" 2>"$NETNS_TMP/netns.err"; then
		if grep -qiE 'operation not permitted|not supported' "$NETNS_TMP/netns.err"; then
			skip "cannot create network namespaces: $(cat "$NETNS_TMP/netns.err")"
		fi
		fail "ip netns add $ns: $(cat "$NETNS_TMP/netns.err")"
	fi
	ip -n "$ns" link set lo up || fail "lo up in $ns"
	printf '%s\n' "$ns"
}

# veth_pair NS1 IF1 NS2 IF2 [MAC1 MAC2] - veth IF1 in NS1 <-> IF2 in NS2, up
veth_pair() {
	local ns1=$1 if1=$2 ns2=$3 if2=$4 mac1=${5:-} mac2=${6:-}
	if ! ip link add "$if1" netns "$ns1" type veth peer name "$if2" \
		netns "$ns2" 2>"$NETNS_TMP/veth.err"; then
		if grep -qiE 'unknown device type|not supported' "$NETNS_TMP/veth.err"; then
			skip "no veth support: $(cat "$NETNS_TMP/veth.err")"
		fi
		fail "veth $ns1/$if1 <-> $ns2/$if2: $(cat "$NETNS_TMP/veth.err")"
	fi
	if [ -n "$mac1" ]; then ip -n "$ns1" link set "$if1" address "$mac1" || fail "mac $if1"; fi
	if [ -n "$mac2" ]; then ip -n "$ns2" link set "$if2" address "$mac2" || fail "mac $if2"; fi
	ip -n "$ns1" link set "$if1" up || fail "up $if1"
	ip -n "$ns2" link set "$if2" up || fail "up $if2"
}

# wait_for CMD TIMEOUT - poll CMD (eval'd) every 0.1 s; 1 if TIMEOUT s pass
wait_for() {
	local cmd=$1 timeout=${2:-5} deadline
	deadline=$(( $(date +%s%N) + ${timeout%.*} * 1000000000 ))
	while ! eval "$cmd" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
	return 0
}

# netns_kill PID - TERM, wait up to 2 s, then KILL
netns_kill() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 20); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
}

# netns_cleanup_all - hooks, tracked processes, processes left in our
# namespaces, the namespaces themselves, the temp dir
netns_cleanup_all() {
	local rc=$? hook pid ns
	set +e
	for hook in "${NETNS_EXIT_HOOKS[@]}"; do eval "$hook"; done
	for pid in "${NETNS_PIDS[@]}"; do netns_kill "$pid"; done
	for ns in $(ip netns list 2>/dev/null | awk -v p="$NETNS_PREFIX" 'index($1, p) == 1 {print $1}'); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do netns_kill "$pid"; done
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "${NETNS_KEEP_TMP:-}" ] && log "kept $NETNS_TMP" || rm -rf "$NETNS_TMP"
	return $rc
}

trap netns_cleanup_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
