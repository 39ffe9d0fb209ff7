#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_xsk.sh - XDP steering and AF_XDP I/O (xsk_io) on a veth pair.
#
# Namespace A holds the probe (tests/tools/xsk-probe) on xa0; B is the
# "access concentrator" side on xb0. For native and skb mode:
#   - untagged PPPoE discovery/session frames for our MACs reach the probe
#     byte for byte and not the kernel;
#   - PPPoE for our MACs behind one VLAN tag or QinQ reaches the kernel (as
#     a kernel PPPoE client on a VLAN sub-interface needs), counted as
#     pass_vlan_not_ours; with its VLAN in our_vlans (-V 100 -V 10.20) it
#     reaches the probe instead, while neighbouring VLANs (101, 10 alone,
#     10.21) still go to the kernel; with only VLANs claimed (-N: no
#     untagged session), untagged PPPoE for our MACs goes to the kernel too,
#     counted as pass_untagged_not_ours;
#   - PPPoE for other MACs, broadcast PADIs, other EtherTypes and triple
#     tagged frames reach the kernel and not the probe;
#   - ping between A and B works while the program is attached;
#   - frames sent by the probe (and a burst larger than the batches and
#     rings) reach B byte for byte;
#   - control frames queued while xa0 is down go out once it is up, with
#     nothing more queued (the control TX ring is kicked again);
#   - with nothing completing (xa0 down), data frames stop at the reserve
#     of TX frames kept for control (1/16 of the pool), control frames take
#     the rest;
#   - nothing stays attached after the probe exits.
# Then: a probe killed with SIGKILL leaves its program behind and the next
# probe replaces it; and in a private mount namespace without bpffs the
# probe mounts it (where bpffs cannot be unmounted even there, that check
# is reported as not run and the test ends as a skip, not a pass).
set -u
cd "$(dirname "$0")/../.."
. tests/integration/netns.sh

netns_require_root
command -v python3 >/dev/null || skip "python3 not installed"

PROBE=${XSK_PROBE:-build/tests/tools/xsk-probe}
RAW="python3 tests/tools/rawsock.py"
# Build the probe (incrementally); works before and after the top Makefile
# includes tests/tools/tools.mk.
if ! make -s "$PROBE" >/dev/null 2>&1; then
	make -s -f Makefile -f tests/tools/tools.mk "$PROBE" || fail "cannot build $PROBE"
fi
T=$NETNS_TMP

MAC_A=02:00:00:00:aa:01		# xa0's own MAC, added as a session MAC
MAC_S=02:00:00:00:aa:02		# a second session MAC, not the interface's
MAC_B=02:00:00:00:bb:01
A=$(netns_create a)
B=$(netns_create b)
veth_pair "$A" xa0 "$B" xb0 "$MAC_A" "$MAC_B"
ip -n "$A" addr add 10.77.0.1/24 dev xa0 || fail "addr A"
ip -n "$B" addr add 10.77.0.2/24 dev xb0 || fail "addr B"
ip netns exec "$B" ping -c 1 -W 2 10.77.0.1 >/dev/null || fail "ping before XDP"

a=02000000aa01
s=02000000aa02
b=02000000bb01
pad=000000000000000000000000000000000000000000
# Ours: PADO (discovery), LCP echo (session), session to the second MAC.
OURS=(
	"${a}${b}8863""1107000000140101000001020008616363657373310000"
	"${a}${b}8864""11001234000ac0210901000800000000${pad}"
	"${s}${b}8864""110012350006c0210a0200040000${pad}"
)
# For our MAC but tagged: session on VLAN 100, discovery on QinQ 10.20
# (88a8 + 8100). The kernel's (a PPPoE client on xa0.100, say) until their
# VLANs are in our_vlans.
TAGGED=(
	"${a}${b}8100""0064""8864""110012360006c02109030004${pad}"
	"${a}${b}88a8""000a""8100""0014""8863""1109000000040101000000${pad}"
)
# Tagged for our MAC on VLANs next to those: 101, 10 alone, 10.21.
NEAR=(
	"${a}${b}8100""0065""8864""110012390006c02109030004${pad}"
	"${a}${b}8100""000a""8864""1100123a0006c02109030004${pad}"
	"${a}${b}88a8""000a""8100""0015""8863""1109000000040101000000${pad}"
)
# Not ours: session for another MAC, broadcast PADI, another EtherType to
# our MAC, three VLAN tags (we parse two).
OTHERS=(
	"02000000cc01${b}8864""110012370006c0210a0200040000${pad}"
	"ffffffffffff${b}8863""1109000000040101000000${pad}"
	"${a}${b}88b5""0102030405060708${pad}"
	"${a}${b}88a8""000a""8100""0014""8100""001e""8864""110012380002c021${pad}"
)

# start_probe NAME ARGS... - probe in A, output in $T/NAME.{out,err}; sets PID
start_probe() {
	local name=$1
	shift
	ip netns exec "$A" "$PROBE" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	PID=$!
	netns_track "$PID"
	if ! wait_for "grep -q '^READY' '$T/$name.out'" 10; then
		cat "$T/$name.err" >&2
		fail "$name: probe did not become ready"
	fi
}

# stop_probe NAME - SIGTERM the probe; it must exit 0
stop_probe() {
	local name=$1 rc
	kill -TERM "$PID" 2>/dev/null
	wait "$PID"
	rc=$?
	[ $rc -eq 0 ] || { cat "$T/$name.err" >&2; fail "$name: probe exit status $rc"; }
}

# start_capture NS IFACE NAME SECONDS [COUNT] [--types ...] - rawsock recv
start_capture() {
	local ns=$1 ifc=$2 name=$3
	shift 3
	ip netns exec "$ns" $RAW recv "$ifc" "$@" >"$T/$name.cap" 2>"$T/$name.caperr" &
	CAP=$!
	netns_track "$CAP"
	wait_for "grep -q '^READY' '$T/$name.cap'" 5 || fail "$name: capture not ready"
}

# expect_lines FILE PREFIX EXPECTED... - FILE's "PREFIX hex" lines == EXPECTED
expect_lines() {
	local file=$1 prefix=$2
	shift 2
	local want got
	want=$(printf '%s\n' "$@")
	got=$(sed -n "s/^$prefix //p" "$file")
	if [ "$want" != "$got" ]; then
		log "expected:"; printf '#   %s\n' "$@" >&2
		log "got:"; sed -n "s/^$prefix /#   /p" "$file" >&2
		return 1
	fi
}

# no_xdp - the interface carries no XDP program
no_xdp() { ! ip -n "$A" link show xa0 | grep -q 'prog/xdp'; }

# xdp_stat NAME COUNTER - a counter from the probe's "xdp:" stats line
xdp_stat() { sed -n 's/^xdp:.* '"$2"' \([0-9]*\).*/\1/p' "$T/$1.err"; }

for mode in native skb; do
	log "== $mode mode: receive"
	start_probe "rx-$mode" -i xa0 -m "$mode" -a "$MAC_A" -a "$MAC_S" -t 60
	grep -qx "MODE $mode" "$T/rx-$mode.out" || fail "$mode: probe reports $(head -1 "$T/rx-$mode.out")"
	if [ "$mode" = native ]; then
		ip -n "$A" link show xa0 | grep -q ' xdp ' || fail "native: no driver-mode XDP on xa0"
	else
		ip -n "$A" link show xa0 | grep -q ' xdpgeneric ' || fail "skb: no generic XDP on xa0"
	fi

	ip netns exec "$B" ping -c 3 -i 0.2 -W 2 10.77.0.1 >"$T/ping-$mode" 2>&1 ||
		{ cat "$T/ping-$mode" >&2; fail "$mode: ping B->A fails with XDP attached"; }
	ip netns exec "$A" ping -c 3 -i 0.2 -W 2 10.77.0.2 >"$T/ping-$mode" 2>&1 ||
		{ cat "$T/ping-$mode" >&2; fail "$mode: ping A->B fails with XDP attached"; }

	# A kernel-side tap on xa0 sees what XDP passed and must miss what it
	# took. (It stands in for a VLAN sub-interface, which the kernels this
	# runs on need not have: the frames it would get are the ones passed.)
	want=("${TAGGED[@]}" "${NEAR[@]}" "${OTHERS[@]}")
	start_capture "$A" xa0 "kern-$mode" 10 ${#want[@]} --types 8863,8864,88b5
	ip netns exec "$B" $RAW send xb0 "${OURS[@]}" "${TAGGED[@]}" "${NEAR[@]}" "${OTHERS[@]}" ||
		fail "send from B"
	wait_for "[ \$(grep -c '^RX' '$T/rx-$mode.out') -ge ${#OURS[@]} ]" 5
	wait "$CAP"
	sleep 0.3	# let anything unexpected arrive too
	stop_probe "rx-$mode"

	expect_lines "$T/rx-$mode.out" RX "${OURS[@]}" ||
		fail "$mode: probe did not receive exactly our untagged frames"
	expect_lines "$T/kern-$mode.cap" RX "${want[@]}" ||
		fail "$mode: kernel did not receive exactly the tagged frames and those not for us"
	[ "$(xdp_stat "rx-$mode" redirected)" = ${#OURS[@]} ] ||
		fail "$mode: redirected counter: $(grep '^xdp:' "$T/rx-$mode.err")"
	[ "$(xdp_stat "rx-$mode" pass_not_ours)" = 2 ] ||
		fail "$mode: pass_not_ours counter: $(grep '^xdp:' "$T/rx-$mode.err")"
	[ "$(xdp_stat "rx-$mode" pass_vlan_not_ours)" = $((${#TAGGED[@]} + ${#NEAR[@]})) ] ||
		fail "$mode: pass_vlan_not_ours counter: $(grep '^xdp:' "$T/rx-$mode.err")"
	[ "$(xdp_stat "rx-$mode" pppoe_tags1)" = 3 ] && [ "$(xdp_stat "rx-$mode" pppoe_tags2)" = 2 ] ||
		fail "$mode: VLAN counters: $(grep '^xdp:' "$T/rx-$mode.err")"
	no_xdp || fail "$mode: XDP program still attached after the probe exited"

	log "== $mode mode: receive, VLANs 100 and 10.20 in our_vlans"
	start_probe "rxv-$mode" -i xa0 -m "$mode" -a "$MAC_A" -a "$MAC_S" -V 100 -V 10.20 -t 60
	want=("${NEAR[@]}" "${OTHERS[@]}")
	start_capture "$A" xa0 "kernv-$mode" 10 ${#want[@]} --types 8863,8864,88b5
	ip netns exec "$B" $RAW send xb0 "${OURS[@]}" "${TAGGED[@]}" "${NEAR[@]}" "${OTHERS[@]}" ||
		fail "send from B"
	wait_for "[ \$(grep -c '^RX' '$T/rxv-$mode.out') -ge $((${#OURS[@]} + ${#TAGGED[@]})) ]" 5
	wait "$CAP"
	sleep 0.3
	stop_probe "rxv-$mode"
	expect_lines "$T/rxv-$mode.out" RX "${OURS[@]}" "${TAGGED[@]}" ||
		fail "$mode: with our_vlans, probe did not receive exactly our frames"
	expect_lines "$T/kernv-$mode.cap" RX "${want[@]}" ||
		fail "$mode: with our_vlans, kernel did not receive exactly the others"
	[ "$(xdp_stat "rxv-$mode" redirected)" = $((${#OURS[@]} + ${#TAGGED[@]})) ] &&
		[ "$(xdp_stat "rxv-$mode" pass_vlan_not_ours)" = ${#NEAR[@]} ] ||
		fail "$mode: with our_vlans, counters: $(grep '^xdp:' "$T/rxv-$mode.err")"
	no_xdp || fail "$mode: XDP program still attached after the probe exited"

	log "== $mode mode: receive, VLANs 100 and 10.20 only (-N: no untagged session)"
	start_probe "rxn-$mode" -i xa0 -m "$mode" -a "$MAC_A" -a "$MAC_S" -V 100 -V 10.20 -N -t 60
	want=("${OURS[@]}" "${NEAR[@]}" "${OTHERS[@]}")
	start_capture "$A" xa0 "kernn-$mode" 10 ${#want[@]} --types 8863,8864,88b5
	ip netns exec "$B" $RAW send xb0 "${OURS[@]}" "${TAGGED[@]}" "${NEAR[@]}" "${OTHERS[@]}" ||
		fail "send from B"
	wait_for "[ \$(grep -c '^RX' '$T/rxn-$mode.out') -ge ${#TAGGED[@]} ]" 5
	wait "$CAP"
	sleep 0.3
	stop_probe "rxn-$mode"
	expect_lines "$T/rxn-$mode.out" RX "${TAGGED[@]}" ||
		fail "$mode: VLANs only, probe did not receive exactly the tagged frames of ours"
	expect_lines "$T/kernn-$mode.cap" RX "${want[@]}" ||
		fail "$mode: VLANs only, kernel did not receive the untagged ones and the others"
	[ "$(xdp_stat "rxn-$mode" pass_untagged_not_ours)" = ${#OURS[@]} ] ||
		fail "$mode: VLANs only, counters: $(grep '^xdp:' "$T/rxn-$mode.err")"
	no_xdp || fail "$mode: XDP program still attached after the probe exited"

	log "== $mode mode: transmit"
	TX1="${b}${a}8863""1109000000040101000000${pad}"
	TX2="${b}${a}8864""11001234000ac0210901000800000000"
	start_capture "$B" xb0 "tx-$mode" 10 2
	ip netns exec "$A" "$PROBE" -i xa0 -m "$mode" "$TX1" "$TX2" >"$T/tx-$mode.out" 2>"$T/tx-$mode.err" ||
		{ cat "$T/tx-$mode.err" >&2; fail "$mode: probe TX failed"; }
	wait "$CAP"
	grep -qx "SENT 2" "$T/tx-$mode.out" || fail "$mode: probe did not report SENT 2"
	expect_lines "$T/tx-$mode.cap" RX "$TX1" "$TX2" || fail "$mode: B did not receive the sent frames"

	# 1000 frames: many batches, several times the TX ring, copy-mode kicks.
	start_capture "$B" xb0 "burst-$mode" 15 1000
	ip netns exec "$A" "$PROBE" -i xa0 -m "$mode" -r 500 "$TX1" "$TX2" -f 256 \
		>"$T/burst-$mode.out" 2>"$T/burst-$mode.err" ||
		{ cat "$T/burst-$mode.err" >&2; fail "$mode: probe burst TX failed"; }
	wait "$CAP"
	grep -qx "SENT 1000" "$T/burst-$mode.out" || fail "$mode: burst: $(cat "$T/burst-$mode.out")"
	n=$(grep -c '^RX' "$T/burst-$mode.cap")
	[ "$n" -eq 1000 ] || fail "$mode: burst: B received $n of 1000 frames"
	no_xdp || fail "$mode: XDP program still attached after TX probe"
done

log "== TX frames kept for control: data stops at the reserve"
# xa0 down: the kernel completes nothing, so the pool only drains. 256
# frames per queue: 128 for TX, 8 of them for control only.
ip -n "$A" link set xa0 down || fail "xa0 down"
for mode in native skb; do
	ip netns exec "$A" "$PROBE" -i xa0 -m "$mode" -f 256 -P "$TX2" \
		>"$T/pool-$mode.out" 2>"$T/pool-$mode.err" ||
		{ cat "$T/pool-$mode.err" >&2; fail "$mode: pool probe failed"; }
	grep -qx "POOL data 120 control 8 held 1 dropped 1" "$T/pool-$mode.out" ||
		fail "$mode: TX reserve: $(grep POOL "$T/pool-$mode.out")"
	no_xdp || fail "$mode: XDP program still attached after the pool probe"
done
ip -n "$A" link set xa0 up || fail "xa0 up"

log "== control frames a kick met with the device down go once it is up"
# The probe queues 8 control frames with xa0 down, then only flushes: the
# control TX ring must be kicked again (copy mode drains one socket's ring
# per kick, and nothing new is queued on it).
for mode in native skb; do
	ip -n "$A" link set xa0 down || fail "xa0 down"
	coproc LATE { ip netns exec "$A" "$PROBE" -i xa0 -m "$mode" -L "$TX2" 2>"$T/late-$mode.err"; }
	late_in=${LATE[1]} late_out=${LATE[0]}
	got=
	while read -r -t 10 line <&"$late_out"; do
		[[ $line == "QUEUED 8" ]] && { got=1; break; }
	done
	[[ -n $got ]] || fail "$mode: late: the probe did not queue ($(cat "$T/late-$mode.err"))"
	ip -n "$A" link set xa0 up || fail "xa0 up"
	echo go >&"$late_in"
	read -r -t 10 line <&"$late_out" || line=
	wait
	[[ $line == "LATE sent 8" ]] || fail "$mode: late: '$line', want 'LATE sent 8'"
	no_xdp || fail "$mode: XDP program still attached after the late probe"
done

log "== four RX queues: one socket each, frames arrive whatever the queue"
ip link add xa1 netns "$A" numrxqueues 4 numtxqueues 4 address "$MAC_A" type veth \
	peer name xb1 netns "$B" numrxqueues 4 numtxqueues 4 address "$MAC_B" ||
	fail "multi-queue veth"
ip -n "$A" link set xa1 up && ip -n "$B" link set xb1 up || fail "multi-queue veth up"
ncpu=$(nproc)
for mode in native skb; do
	start_probe "mq-$mode" -i xa1 -m "$mode" -a "$MAC_A" -t 60
	grep -qx "QUEUES 4" "$T/mq-$mode.out" || fail "mq $mode: $(grep QUEUES "$T/mq-$mode.out")"
	# One sender process per frame and CPU, so they hash to varied queues.
	want=()
	for i in $(seq 0 11); do
		f="${a}${b}8864""1100$(printf %04x $((0x100 + i)))0002c021${pad}"
		want+=("$f")
		ip netns exec "$B" taskset -c $((i % ncpu)) $RAW send xb1 "$f" || fail "send"
	done
	wait_for "[ \$(grep -c '^RX' '$T/mq-$mode.out') -ge 12 ]" 5
	stop_probe "mq-$mode"
	expect_lines "$T/mq-$mode.out" RX "${want[@]}" || fail "mq $mode: frames lost"
	log "$mode: $(grep '^rxq:' "$T/mq-$mode.err")"
done
ip -n "$A" link del xa1

log "== stale program from a killed probe is replaced"
for first in native skb; do
	start_probe "stale-$first" -i xa0 -m "$first" -a "$MAC_A" -t 60
	kill -KILL "$PID"
	wait "$PID" 2>/dev/null
	ip -n "$A" link show xa0 | grep -q 'prog/xdp.*pppoe_xdp_prog' ||
		fail "stale ($first): killed probe left no program (test premise)"
	start_probe "fresh-$first" -i xa0 -m native -a "$MAC_A" -t 60
	grep -q 'removing stale XDP program' "$T/fresh-$first.err" ||
		fail "stale ($first): new probe did not remove the stale program"
	n=$(ip -n "$A" link show xa0 | grep -c 'prog/xdp')
	[ "$n" -eq 1 ] || fail "stale ($first): $n XDP programs attached"
	ip netns exec "$B" $RAW send xb0 "${OURS[0]}" || fail "send"
	wait_for "grep -q '^RX' '$T/fresh-$first.out'" 5 || fail "stale ($first): new probe receives nothing"
	stop_probe "fresh-$first"
	expect_lines "$T/fresh-$first.out" RX "${OURS[0]}" || fail "stale ($first): wrong frame"
	no_xdp || fail "stale ($first): program left after the new probe exited"
done

log "== bpffs is mounted when missing (private mount namespace)"
host_bpffs=$(stat -f -c %t /sys/fs/bpf 2>/dev/null)
unshare -m --propagation private bash -s "$PROBE" "$A" "$MAC_A" >"$T/bpffs.out" 2>"$T/bpffs.err" <<'EOF'
probe=$1 ns=$2 mac=$3
for i in 1 2 3 4 5; do
	[ "$(stat -f -c %t /sys/fs/bpf)" = cafe4a11 ] || break
	umount /sys/fs/bpf 2>/dev/null || { echo "BUSY"; exit 0; }
done
[ "$(stat -f -c %t /sys/fs/bpf)" != cafe4a11 ] || { echo "BUSY"; exit 0; }
echo "UNMOUNTED"
# nsenter, not ip netns exec: that would give the probe a mount namespace
# of its own and we could not see what it mounted.
nsenter --net=/run/netns/"$ns" "$probe" -i xa0 -m native -a "$mac" -t 0 || exit 1
[ "$(stat -f -c %t /sys/fs/bpf)" = cafe4a11 ] && echo "MOUNTED"
EOF
rc=$?
[ $rc -eq 0 ] || { cat "$T/bpffs.err" >&2; fail "bpffs: probe failed"; }
if grep -q BUSY "$T/bpffs.out"; then
	not_run "bpffs auto-mount (bpffs busy even in a private mount namespace)"
else
	grep -q UNMOUNTED "$T/bpffs.out" || fail "bpffs: could not unmount"
	grep -qx MOUNTED "$T/bpffs.out" || { cat "$T/bpffs.err" >&2; fail "bpffs: probe did not mount bpffs"; }
	grep -q 'mounted bpffs' "$T/bpffs.err" || fail "bpffs: no log line about mounting"
fi
[ "$(stat -f -c %t /sys/fs/bpf 2>/dev/null)" = "$host_bpffs" ] || fail "bpffs: host mount changed"
no_xdp || fail "bpffs: program left attached"

netns_done xsk
