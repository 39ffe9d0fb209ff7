#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_tun.sh - TUN devices (tun_*) and rtnetlink configuration (netcfg_*)
# in a fresh network namespace, driven by tests/tools/tun-probe:
#   - open pppx-test, MTU 1492, "inet 10.64.0.100 peer 10.64.0.1/32", up;
#   - ping the peer: the probe answers from the TUN (tun_read/tun_write);
#   - routes in table 100 and 1000, a source rule; adding twice is fine and
#     leaves one entry; deleting twice is fine; everything goes away;
#   - link down; after the probe exits the device is gone;
#   - errors: name too long, existing non-TUN interface, TUN in use;
#   - tun_remove_stale on persistent TUNs, on a TUN in use, on nothing;
#   - tun_open_owned: a fresh name is created; made persistent (in our link
#     group) it outlives its fd and is adopted by the next open with the
#     same ifindex and address; refused with -EEXIST and a log line saying
#     why when it is in another link group, a TAP, a TUN with packet info or
#     multiqueue, or not a TUN at all (a veth); one with a vnet header (an
#     earlier run's with tun_offload) adopted and switched, both ways, with
#     a log line, keeping its ifindex; -EBUSY
#     while another process has it; after tun_set_persist(fd, false) and
#     close it is gone.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/netns.sh

netns_require_root
[ -c /dev/net/tun ] || skip "/dev/net/tun missing (no TUN support)"

PROBE=${TUN_PROBE:-build/tests/tools/tun-probe}
if ! make -s "$PROBE" >/dev/null 2>&1; then
	make -s -f Makefile -f tests/tools/tools.mk "$PROBE" || fail "cannot build $PROBE"
fi
T=$NETNS_TMP
N=$(netns_create tun)
IF=pppx-test
nsx() { ip netns exec "$N" "$@"; }

# Coprocess protocol: the probe prints lines and stops at PAUSE/SERVING
# until we write a line to it.
# probe_until WORD - copy probe output to $T/probe.out until a line == WORD
probe_until() {
	local line
	while IFS= read -r -t 10 line <&"${P[0]}"; do
		printf '%s\n' "$line" >>"$T/probe.out"
		case $line in
		ERR*) log "probe: $line" ;;
		esac
		[ "$line" = "$1" ] && return 0
	done
	fail "probe: no '$1' (output: $(tr '\n' '|' <"$T/probe.out"))"
}
probe_next() { echo >&"${P[1]}"; }
# expect_ok CMD... - each "OK CMD" line is in the probe output
expect_ok() {
	local c
	for c in "$@"; do
		grep -qxF "OK $c" "$T/probe.out" || fail "probe: '$c' did not succeed: $(grep -F " $c" "$T/probe.out")"
	done
}
link_flags() { nsx ip link show "$IF" | sed -n '1s/.*<\(.*\)>.*/,\1,/p'; }

log "== configure"
coproc P {
	ip netns exec "$N" "$PROBE" "$IF" open up:1492 \
		addr-add:10.64.0.100:10.64.0.1 addr-add:10.64.0.100:10.64.0.1 \
		route-add:0.0.0.0/0:100:10 route-add:0.0.0.0/0:100:10 \
		route-add:10.99.0.0/16:1000:5 \
		rule-add:10.64.0.100:100:1000 rule-add:10.64.0.100:100:1000 \
		pause serve \
		route-del:0.0.0.0/0:100:10 route-del:0.0.0.0/0:100:10 \
		route-del:10.99.0.0/16:1000:5 \
		rule-del:10.64.0.100:100:1000 rule-del:10.64.0.100:100:1000 \
		addr-del:10.64.0.100:10.64.0.1 addr-del:10.64.0.100:10.64.0.1 \
		down pause close pause 2>"$T/probe.err"
}
netns_track "$P_PID"
PPID_PROBE=$P_PID
probe_until PAUSE
expect_ok open up:1492 route-add:10.99.0.0/16:1000:5 \
	addr-add:10.64.0.100:10.64.0.1 route-add:0.0.0.0/0:100:10 rule-add:10.64.0.100:100:1000
[ "$(grep -cxF 'OK addr-add:10.64.0.100:10.64.0.1' "$T/probe.out")" -eq 2 ] || fail "second addr-add not OK"

nsx ip -4 addr show dev "$IF" >"$T/addr" || fail "no $IF"
grep -q "inet 10.64.0.100 peer 10.64.0.1/32 " "$T/addr" || { cat "$T/addr" >&2; fail "address not 'inet 10.64.0.100 peer 10.64.0.1/32'"; }
[ "$(grep -c 'inet ' "$T/addr")" -eq 1 ] || { cat "$T/addr" >&2; fail "address added twice"; }
nsx ip link show "$IF" | grep -q ' mtu 1492 ' || fail "mtu is not 1492"
# A TUN's operstate reads UNKNOWN; the flags say whether it is up.
case $(link_flags) in *,UP,*) ;; *) fail "link not UP: $(link_flags)" ;; esac
case $(link_flags) in *,LOWER_UP,*) ;; *) fail "link has no carrier: $(link_flags)" ;; esac
nsx ip -d link show "$IF" | grep -q 'tun type tun pi off' || fail "not an IFF_TUN|IFF_NO_PI device"
nsx ip -d link show "$IF" | grep -q 'persist off' || fail "device is persistent"

r100=$(nsx ip route show table 100)
[ "$r100" = "default dev $IF proto static scope link metric 10 " ] ||
	[ "$r100" = "default dev $IF proto static scope link metric 10" ] || fail "table 100: '$r100'"
nsx ip route show table 1000 | grep -q "^10.99.0.0/16 dev $IF proto static scope link metric 5" ||
	fail "table 1000: '$(nsx ip route show table 1000)'"
[ "$(nsx ip rule | grep -c 'from 10.64.0.100 lookup 100')" -eq 1 ] || fail "rule: $(nsx ip rule)"
nsx ip rule | grep -q '^1000:	from 10.64.0.100 lookup 100' || fail "rule priority: $(nsx ip rule)"

log "== errors"
out=$(nsx "$PROBE" "$IF" open 2>"$T/busy.err")
[[ $out == "ERR open 16 "* ]] || fail "second open of a busy TUN: '$out'"
out=$(nsx "$PROBE" "$IF" remove-stale 2>>"$T/busy.err")
[[ $out == "ERR remove-stale 16 "* ]] || fail "remove-stale of a TUN in use: '$out'"
nsx ip link show "$IF" >/dev/null 2>&1 || fail "remove-stale removed a TUN in use"
out=$(nsx "$PROBE" "$IF" open-owned:0 2>"$T/busy.err")
[[ $out == "ERR open-owned:0 16 "* ]] || fail "tun_open_owned of a busy TUN: '$out'"
grep -q "$IF: TUN device is in use by another process" "$T/busy.err" ||
	fail "tun_open_owned of a busy TUN: no clear message: $(cat "$T/busy.err")"
out=$(nsx "$PROBE" pppx-test-too-long open 2>"$T/long.err")
[[ $out == "ERR open 36 "* ]] || fail "too long name: '$out'"
grep -q 'longer than 15' "$T/long.err" || fail "too long name: no clear message"
nsx ip link add notatun type veth peer name notatun-p || fail "veth"
out=$(nsx "$PROBE" notatun open remove-stale 2>"$T/nottun.err")
[ "$out" = "$(printf 'ERR open 17 File exists\nERR remove-stale 17 File exists')" ] ||
	fail "existing non-TUN: '$out'"
grep -q 'notatun: interface exists and is not a TUN device' "$T/nottun.err" ||
	fail "existing non-TUN: no clear message"
nsx ip link show notatun >/dev/null 2>&1 || fail "non-TUN interface was removed"

log "== tun_read/tun_write: ping the peer through the probe"
probe_next
probe_until SERVING
nsx ping -c 3 -i 0.2 -W 2 10.64.0.1 >"$T/ping" 2>&1 || { cat "$T/ping" >&2; fail "ping through the TUN"; }
probe_next
probe_until PAUSE
grep -qx 'SERVED 3' "$T/probe.out" || fail "probe answered $(grep SERVED "$T/probe.out")"

log "== deconfigure"
expect_ok serve route-del:0.0.0.0/0:100:10 route-del:10.99.0.0/16:1000:5 \
	rule-del:10.64.0.100:100:1000 addr-del:10.64.0.100:10.64.0.1 down
for c in route-del:0.0.0.0/0:100:10 rule-del:10.64.0.100:100:1000 addr-del:10.64.0.100:10.64.0.1; do
	[ "$(grep -cxF "OK $c" "$T/probe.out")" -eq 2 ] || fail "second $c not OK"
done
[ -z "$(nsx ip -4 addr show dev "$IF")" ] || fail "address left: $(nsx ip -4 addr show dev "$IF")"
[ -z "$(nsx ip route show table 100)" ] || fail "table 100 left: $(nsx ip route show table 100)"
[ -z "$(nsx ip route show table 1000)" ] || fail "table 1000 left"
! nsx ip rule | grep -q 10.64.0.100 || fail "rule left: $(nsx ip rule)"
case $(link_flags) in *,UP,*) fail "link still UP: $(link_flags)" ;; esac
nsx ip link show "$IF" | grep -q ' mtu 1492 ' || fail "mtu changed by link down"

probe_next
probe_until PAUSE	# after "close"
expect_ok close
nsx ip link show "$IF" >/dev/null 2>&1 && fail "$IF still there after tun_close"
probe_next
wait "$PPID_PROBE" || fail "probe exit status $?"
nsx ip link show "$IF" >/dev/null 2>&1 && fail "$IF still there after the probe exited"

log "== crash cleanup and stale devices"
# A process killed with SIGKILL: the kernel removes its TUN.
# Its stdin is a FIFO we hold open, so "pause" really waits.
mkfifo "$T/kill.in" && exec 7<>"$T/kill.in" || fail "fifo"
ip netns exec "$N" "$PROBE" pppx-kill open pause <&7 >"$T/kill.out" 2>&1 &
kpid=$!
netns_track "$kpid"
wait_for "grep -q PAUSE '$T/kill.out'" 5 || fail "kill probe not ready"
nsx ip link show pppx-kill >/dev/null 2>&1 || fail "pppx-kill not created"
kill -KILL "$kpid"
wait "$kpid" 2>/dev/null
wait_for "! ip netns exec '$N' ip link show pppx-kill" 5 || fail "TUN survived SIGKILL"
exec 7>&-

# Persistent leftovers (as from an older version or a manual ip tuntap).
nsx ip tuntap add dev pppx-st1 mode tun || fail "ip tuntap add"
nsx ip tuntap add dev pppx-st2 mode tun pi || fail "ip tuntap add pi"
out=$(nsx "$PROBE" pppx-st1 remove-stale 2>/dev/null)
[ "$out" = "OK remove-stale" ] || fail "remove-stale: '$out'"
out=$(nsx "$PROBE" pppx-st2 remove-stale 2>/dev/null)
[ "$out" = "OK remove-stale" ] || fail "remove-stale (pi): '$out'"
nsx ip link show pppx-st1 >/dev/null 2>&1 && fail "pppx-st1 still there"
nsx ip link show pppx-st2 >/dev/null 2>&1 && fail "pppx-st2 still there"
out=$(nsx "$PROBE" pppx-none remove-stale 2>&1)
[ "$out" = "OK remove-stale" ] || fail "remove-stale of nothing: '$out'"
# tun_open over a persistent leftover takes it over and makes it transient.
nsx ip tuntap add dev pppx-st3 mode tun || fail "ip tuntap add"
out=$(nsx "$PROBE" pppx-st3 open up 2>/dev/null)
[ "$out" = "$(printf 'OK open\nOK up')" ] || fail "open over a stale TUN: '$out'"
nsx ip link show pppx-st3 >/dev/null 2>&1 && fail "pppx-st3 persisted after open+close"

log "== tun_open_owned: persistent TUNs of our link group adopted, others refused"
G=4242
OWN=pppx-own
# ifindex_of IF - the interface's index in the namespace, or nothing
ifindex_of() { nsx cat "/sys/class/net/$1/ifindex" 2>/dev/null; }
group_of() { nsx cat "/sys/class/net/$1/netdev_group" 2>/dev/null; }
persist_of() { nsx ip -d link show "$1" | grep -o 'persist o[nf]*'; }
# expect_refused IF WHY - tun_open_owned(IF, G) fails with -EEXIST, logs WHY,
# and leaves IF as it was
expect_refused() {
	local idx out
	idx=$(ifindex_of "$1")
	[ -n "$idx" ] || fail "$1 missing before the test"
	out=$(nsx "$PROBE" "$1" open-owned:$G 2>"$T/refused.err")
	[ "$out" = "ERR open-owned:$G 17 File exists" ] || fail "$1 not refused with EEXIST: '$out'"
	grep -qF "$1: $2" "$T/refused.err" || fail "$1: no '$2' in the log: $(cat "$T/refused.err")"
	[ "$(ifindex_of "$1")" = "$idx" ] || fail "$1 changed or removed by a refused adoption"
}

# A fresh name: created (as tun_open would), then what the daemon does with
# it: our group, an address, persistent; it outlives the fd.
out=$(nsx "$PROBE" $OWN open-owned:$G group:$G addr-add:10.64.0.100:10.64.0.1 persist:on \
	close 2>"$T/own.err")
idx=$(ifindex_of $OWN)
[ -n "$idx" ] || fail "$OWN gone after persist:on and close (output: $out)"
[ "$out" = "$(printf 'OWNED created %s\nOK open-owned:%s\nOK group:%s\nOK addr-add:10.64.0.100:10.64.0.1\nOK persist:on\nOK close' \
	"$idx" $G $G)" ] || fail "create $OWN: '$out'"
[ "$(group_of $OWN)" = $G ] || fail "$OWN not in group $G: $(group_of $OWN)"
[ "$(persist_of $OWN)" = "persist on" ] || fail "$OWN: $(persist_of $OWN)"
nsx ip -d link show $OWN | grep -q 'tun type tun pi off' || fail "$OWN not IFF_TUN|IFF_NO_PI"

# The next run adopts it: same ifindex, its address kept, still persistent.
out=$(nsx "$PROBE" $OWN open-owned:$G close 2>"$T/adopt.err")
[ "$out" = "$(printf 'OWNED adopted %s\nOK open-owned:%s\nOK close' "$idx" $G)" ] ||
	fail "adopt $OWN: '$out' ($(cat "$T/adopt.err"))"
[ "$(ifindex_of $OWN)" = "$idx" ] || fail "$OWN gone or renumbered after adoption and close"
nsx ip -4 addr show dev $OWN | grep -q "inet 10.64.0.100 peer 10.64.0.1/32 " ||
	fail "$OWN lost its address: $(nsx ip -4 addr show dev $OWN)"
[ "$(persist_of $OWN)" = "persist on" ] || fail "$OWN after adoption: $(persist_of $OWN)"

# In another link group: not ours, left alone.
nsx ip link set dev $OWN group 99 || fail "group 99"
expect_refused $OWN "TUN device is not ours (link group 99, ours is $G)"
[ "$(group_of $OWN)" = 99 ] || fail "$OWN group changed by a refused adoption"
nsx ip -4 addr show dev $OWN | grep -q "inet 10.64.0.100 " || fail "refused adoption took $OWN's address"
[ "$(persist_of $OWN)" = "persist on" ] || fail "refused adoption changed $OWN: $(persist_of $OWN)"

# Our group, but not a plain IFF_TUN|IFF_NO_PI device, or no TUN at all.
nsx ip tuntap add dev pppx-tap mode tap || fail "ip tuntap add mode tap"
nsx ip link set dev pppx-tap group $G || fail "group pppx-tap"
expect_refused pppx-tap "a TUN/TAP device with other flags"
nsx ip tuntap add dev pppx-pi mode tun pi || fail "ip tuntap add pi"
nsx ip link set dev pppx-pi group $G || fail "group pppx-pi"
expect_refused pppx-pi "a TUN/TAP device with other flags"
nsx ip tuntap add dev pppx-mq mode tun multi_queue || fail "ip tuntap add multi_queue"
nsx ip link set dev pppx-mq group $G || fail "group pppx-mq"
expect_refused pppx-mq "a TUN/TAP device with other flags"
# A vnet header is ours either way (tun_offload on or off in an earlier
# run): adopted, switched to what is asked now, and logged.
nsx ip tuntap add dev pppx-vh mode tun vnet_hdr || fail "ip tuntap add vnet_hdr"
nsx ip link set dev pppx-vh group $G || fail "group pppx-vh"
vidx=$(ifindex_of pppx-vh)
out=$(nsx "$PROBE" pppx-vh open-owned:$G close 2>"$T/vh.err")
[ "$out" = "$(printf 'OWNED adopted %s\nOK open-owned:%s\nOK close' "$vidx" $G)" ] ||
	fail "adopt pppx-vh without vnet header: '$out' ($(cat "$T/vh.err"))"
grep -qF "pppx-vh: adopting a TUN of an earlier run with a virtio-net header: without now" \
	"$T/vh.err" || fail "pppx-vh: no log line for the switch: $(cat "$T/vh.err")"
nsx ip -d link show pppx-vh | grep -q 'vnet_hdr off' || fail "pppx-vh kept its vnet header"
out=$(nsx "$PROBE" pppx-vh open-vnet:$G close 2>"$T/vh2.err")
case $out in
"OWNED adopted $vidx"$'\n'"OFFLOAD 0x"*$'\n'"OK open-vnet:$G"$'\n'"OK close") ;;
*) fail "adopt pppx-vh with a vnet header: '$out' ($(cat "$T/vh2.err"))" ;;
esac
grep -qF "pppx-vh: adopting a TUN of an earlier run without a virtio-net header: with one now" \
	"$T/vh2.err" || fail "pppx-vh: no log line for the switch back: $(cat "$T/vh2.err")"
nsx ip -d link show pppx-vh | grep -q 'vnet_hdr on' || fail "pppx-vh got no vnet header"
[ "$(ifindex_of pppx-vh)" = "$vidx" ] || fail "pppx-vh renumbered by the switches"
nsx ip link add pppx-veth group $G type veth peer name pppx-veth-p || fail "veth"
[ "$(group_of pppx-veth)" = $G ] || fail "veth not in group $G"
expect_refused pppx-veth "interface exists and is not a TUN device; not adopting it"

# In another group of our family (an earlier run's, on an interface since
# re-created): adopted the way the daemon does, and moved into our group.
nsx ip link set dev $OWN group $(((G & 0xffff0000) | 0x77)) || fail "family group"
out=$(nsx "$PROBE" $OWN open-family:$G close 2>"$T/family.err")
[ "$out" = "$(printf 'OWNED adopted %s\nOK open-family:%s\nOK close' "$idx" $G)" ] ||
	fail "adopt $OWN from another group of the family: '$out' ($(cat "$T/family.err"))"
[ "$(group_of $OWN)" = $G ] || fail "$OWN not moved into group $G: $(group_of $OWN)"
grep -q "adopting a TUN of an earlier run on another interface" "$T/family.err" ||
	fail "no log line for the family adoption: $(cat "$T/family.err")"

# Back in our group: adopted, made non-persistent, closed: gone.
nsx ip link set dev $OWN group $G || fail "group $G"
out=$(nsx "$PROBE" $OWN open-owned:$G persist:off close 2>"$T/unpersist.err")
[ "$out" = "$(printf 'OWNED adopted %s\nOK open-owned:%s\nOK persist:off\nOK close' "$idx" $G)" ] ||
	fail "adopt and unpersist $OWN: '$out' ($(cat "$T/unpersist.err"))"
[ -z "$(ifindex_of $OWN)" ] || fail "$OWN still there after persist:off and close"

# A fresh name left non-persistent dies with its fd, like tun_open's.
out=$(nsx "$PROBE" pppx-own2 open-owned:$G close 2>&1)
[[ $out == "OWNED created "*$'\n'"OK open-owned:$G"$'\n'"OK close" ]] || fail "create pppx-own2: '$out'"
[ -z "$(ifindex_of pppx-own2)" ] || fail "pppx-own2 persisted without persist:on"

netns_done tun
