#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_macfilter.sh - session MACs in a device's unicast filter
# (netcfg_uc_add/del) and the promisc fallback (netcfg_set_promisc), driven
# by tests/tools/netcfg-probe in a fresh network namespace:
#   - on a veth (and a dummy, a tap and a bridge where the kernel has them):
#     two MACs added (one twice) show in "bridge fdb show" as
#     "self permanent", once each; deleting them (twice) leaves none and the
#     promiscuity count where it was;
#   - promisc on/off shows/hides PROMISC in "ip link"; it is one flag, not
#     a count: on, on, off leaves it off;
#   - refusals: macvlan (not passthru) -EOPNOTSUPP, TUN -EINVAL.
# A device type the kernel lacks is reported as not run, and the test then
# ends as a skip (77), not a pass.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/netns.sh

netns_require_root
command -v bridge >/dev/null || skip "iproute2 'bridge' tool not installed"

PROBE=${NETCFG_PROBE:-build/tests/tools/netcfg-probe}
if ! make -s "$PROBE" >/dev/null 2>&1; then
	make -s -f Makefile -f tests/tools/tools.mk "$PROBE" || fail "cannot build $PROBE"
fi
T=$NETNS_TMP
N=$(netns_create mf)
nsx() { ip netns exec "$N" "$@"; }
MAC1=02:5e:00:00:01:01
MAC2=02:5e:00:00:01:02

# probe IF CMD... - run the probe, output in $T/out (stderr in $T/err)
probe() { nsx "$PROBE" "$@" >"$T/out" 2>"$T/err"; }
# expect LINE... - the last probe printed exactly these lines
expect() {
	local want
	want=$(printf '%s\n' "$@")
	[ "$(cat "$T/out")" = "$want" ] ||
		fail "probe printed '$(tr '\n' '|' <"$T/out")', want '$(printf '%s' "$want" | tr '\n' '|')' ($(tr '\n' '|' <"$T/err"))"
}
promiscuity() { nsx ip -d link show "$1" | grep -o 'promiscuity [0-9]*' | cut -d' ' -f2; }
has_promisc_flag() { nsx ip link show "$1" | head -1 | grep -q '[<,]PROMISC[,>]'; }
# fdb_count IF MAC - how many "MAC self permanent" entries IF has
fdb_count() { nsx bridge fdb show dev "$1" | grep -c "^$2 self permanent" ; }

# check_uc IF - add, list, delete MAC1 and MAC2 on IF
check_uc() {
	local dev=$1 before after
	before=$(promiscuity "$dev")
	probe "$dev" "uc-add:$MAC1" "uc-add:$MAC2" "uc-add:$MAC2"
	expect "OK uc-add:$MAC1" "OK uc-add:$MAC2" "OK uc-add:$MAC2"
	[ "$(fdb_count "$dev" $MAC1)" -eq 1 ] || fail "$dev: $MAC1 not listed once: $(nsx bridge fdb show dev "$dev")"
	[ "$(fdb_count "$dev" $MAC2)" -eq 1 ] || fail "$dev: $MAC2 not listed once: $(nsx bridge fdb show dev "$dev")"
	has_promisc_flag "$dev" && fail "$dev: uc_add set the PROMISC flag"
	log "$dev: accepts unicast addresses; promiscuity $before -> $(promiscuity "$dev")"
	probe "$dev" "uc-del:$MAC1" "uc-del:$MAC2" "uc-del:$MAC2" "uc-del:$MAC1"
	expect "OK uc-del:$MAC1" "OK uc-del:$MAC2" "OK uc-del:$MAC2" "OK uc-del:$MAC1"
	[ "$(fdb_count "$dev" $MAC1)" -eq 0 ] || fail "$dev: $MAC1 still listed"
	[ "$(fdb_count "$dev" $MAC2)" -eq 0 ] || fail "$dev: $MAC2 still listed"
	after=$(promiscuity "$dev")
	[ "$after" = "$before" ] || fail "$dev: promiscuity $before before, $after after"
}

log "== veth"
nsx ip link add va type veth peer name vb || skip "no veth support"
nsx ip link set va up && nsx ip link set vb up || fail "veth up"
check_uc va
# A device that is down keeps the list; the kernel applies it at link up.
nsx ip link set vb down
check_uc vb
nsx ip link set vb up

log "== dummy"
if nsx ip link add d0 type dummy 2>"$T/dummy.err"; then
	nsx ip link set d0 up || fail "d0 up"
	check_uc d0
else
	not_run "dummy: not in this kernel ($(cat "$T/dummy.err"))"
fi

log "== tap"
if [ -c /dev/net/tun ] && nsx ip tuntap add dev tp0 mode tap 2>/dev/null; then
	nsx ip link set tp0 up || fail "tp0 up"
	check_uc tp0
else
	not_run "tap: not available"
fi

log "== bridge (self: the bridge's own fdb, as a local entry)"
if nsx ip link add br0 type bridge 2>/dev/null; then
	probe br0 "uc-add:$MAC1" "uc-add:$MAC1"
	expect "OK uc-add:$MAC1" "OK uc-add:$MAC1"
	nsx bridge fdb show dev br0 | grep -q "^$MAC1 .*permanent" ||
		fail "br0: $MAC1 not in the fdb: $(nsx bridge fdb show dev br0)"
	probe br0 "uc-del:$MAC1" "uc-del:$MAC1"
	expect "OK uc-del:$MAC1" "OK uc-del:$MAC1"
	nsx bridge fdb show dev br0 | grep -q "^$MAC1 " && fail "br0: $MAC1 still in the fdb"
else
	not_run "bridge: not in this kernel"
fi

log "== promisc"
probe va "promisc?"
expect "OK promisc?" "PROMISC off"
before=$(promiscuity va)
probe va promisc-on "promisc?"
expect "OK promisc-on" "OK promisc?" "PROMISC on"
has_promisc_flag va || fail "no PROMISC in: $(nsx ip link show va | head -1)"
[ "$(promiscuity va)" -eq $((before + 1)) ] || fail "promiscuity $(promiscuity va), was $before"
probe va promisc-off "promisc?"
expect "OK promisc-off" "OK promisc?" "PROMISC off"
has_promisc_flag va && fail "PROMISC still in: $(nsx ip link show va | head -1)"
[ "$(promiscuity va)" -eq "$before" ] || fail "promiscuity $(promiscuity va) after off, was $before"
# One flag, not a count (documented in netcfg.h).
probe va promisc-on promisc-on promisc-off
expect "OK promisc-on" "OK promisc-on" "OK promisc-off"
has_promisc_flag va && fail "on, on, off left PROMISC set"
[ "$(promiscuity va)" -eq "$before" ] || fail "promiscuity $(promiscuity va) after on, on, off"

log "== refusals"
if nsx ip link add mv0 link va type macvlan mode bridge 2>/dev/null; then
	probe mv0 "uc-add:$MAC1"
	expect "ERR uc-add:$MAC1 95 Operation not supported"
	[ "$(fdb_count mv0 $MAC1)" -eq 0 ] || fail "mv0: refused address listed"
else
	not_run "macvlan refusal: no macvlan in this kernel"
fi
if [ -c /dev/net/tun ] && nsx ip tuntap add dev tn0 mode tun 2>/dev/null; then
	probe tn0 "uc-add:$MAC1" promisc-on promisc-off
	expect "ERR uc-add:$MAC1 22 Invalid argument" "OK promisc-on" "OK promisc-off"
else
	not_run "TUN refusal: no TUN device"
fi
out=$(nsx "$PROBE" nosuchdev0 "uc-add:$MAC1" 2>&1)
[ $? -eq 2 ] || fail "missing device: '$out'"

netns_done macfilter
