#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# TUN offloads (tun_offload, issue 13), against acsim-server --tun: a TCP
# server in the AC's namespace (on acsim's TUN, 10.100.0.1) and a client
# bound to the session's TUN move 100 MiB (TCP_XFER_MIB) each way, and the
# sha256 of what arrived equals the file's:
#   1. tun_offload = auto: the TUN has a vnet header and TSO on; the
#      upload reached the daemon as super-packets that it cut into PPPoE
#      frames (tx_super_packets, tx_segments), the download was coalesced
#      into super-packets (rx_super_packets, rx_coalesced_segments), and
#      no super-packet was dropped for lack of TX frames; UDP datagrams
#      of several sizes sent in bursts to the session's address all
#      arrive, every byte checked, and were coalesced (USO,
#      rx_super_packets_udp);
#   2. stop --keep, then a start with tun_offload = off: the TUN of the
#      earlier run is adopted without its vnet header (logged), the
#      session resumed, both transfers and the UDP datagrams equal again,
#      offload counters 0;
#   3. SIGKILL, then a start with auto again: adopted with the header
#      (logged), resumed, a transfer each way equal, offloads used again.
# Throughput (and the daemon's CPU seconds) of each transfer is printed,
# never asserted.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
MIB=${TCP_XFER_MIB:-100}
XFER=tests/tools/tcp_xfer.py
acsim_lab_setup || exit 1
acsim_start -a pap -N 4 -U 4 -u 'u%d' -p x --pool 10.100.0.0 --tun acx ||
	{ echo "acsim-server did not start"; exit 1; }
ip -n "$LAB_AC" addr add 10.100.0.1/16 dev acx && ip -n "$LAB_AC" link set acx up ||
	{ echo "cannot configure acx"; exit 1; }

xfer_server_start "$MIB"

write_conf() {
	lab_conf "off-$1.conf" <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
tun_offload = $1

[session s]
user = u1
password = x
ifname = ppt
EOF
}

# offload FIELD: one counter of status --json's tun_offload
offload() {
	px status --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["tun_offload"][sys.argv[1]])' "$1"
}
enabled() { offload enabled | tr -d "[]', "; }
cpu_s() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$DAEMON_PID/stat"; }

# xfer up|down: move the file through the session; print the tool's line
xfer() {
	ip netns exec "$LAB_CL" python3 "$XFER" client ppt 10.100.0.1 5001 "$1" "$LAB_DIR/blob"
}

# moved WHAT up|down: the transfer's sha256 is the file's (and report it)
moved() {
	local c0 c1 out
	c0=$(cpu_s)
	out=$(xfer "$2") || return 1
	c1=$(cpu_s)
	echo "    $1 $2: $out daemon-cpu $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }')s" >&3
	[[ $out == "sha256 $SUM bytes $((MIB << 20)) "* ]]
}
exec 3>&1

# udp_moved WHAT: UDP_N datagrams of several sizes, in bursts, from behind
# the AC to the session's address all arrive, every byte as sent
UDP_N=6400
UDP=tests/tools/udp_xfer.py
udp_moved() {
	local addr out=$LAB_DIR/udp.out pid
	addr=$(px_sessions local | awk '{ print $2 }')
	: >"$out"
	ip netns exec "$LAB_CL" python3 "$UDP" recv ppt 6000 $UDP_N 3 >"$out" &
	pid=$!
	wait_for 5 grep -q '^ready' "$out" || { kill $pid; return 1; }
	ip netns exec "$LAB_AC" python3 "$UDP" send "$addr" 6000 $UDP_N || { kill $pid; return 1; }
	wait $pid
	echo "    $1 UDP down: $(tail -n 1 "$out")" >&3
	[[ $(tail -n 1 "$out") == "received $UDP_N corrupt 0 duplicate 0 sizes 8,9,32,64,166,333,500,732,1000,1464" ]]
}

# since_mark PATTERN: the daemon logged PATTERN since $mark
since_mark() { tail -n +"$mark" "$DAEMON_LOG" | grep -q "$1"; }

vnet_hdr() { ip -n "$LAB_CL" -d link show ppt | grep -o 'vnet_hdr o[nf]*'; }

# ---- 1. offloads on
daemon_start "$(write_conf auto)" -v
check "auto: the session comes up" daemon_wait_up ppt 20
check "auto: the TUN has a vnet header" eval '[[ $(vnet_hdr) == "vnet_hdr on" ]]'
check "auto: TSO4 and TSO6 enabled (status --json)" eval '[[ $(enabled) == *tso4*tso6* ]]'
grep -o 'TUN offloads: .*' "$DAEMON_LOG" | head -1 | sed 's/^/    /'
check "auto: $MIB MiB up, sha256 equal" moved auto up
check "auto: the upload came as super-packets, cut into more frames" \
	eval '(( $(offload tx_super_packets) > 0 && $(offload tx_segments) > 2 * $(offload tx_super_packets) ))'
check "auto: $MIB MiB down, sha256 equal" moved auto down
check "auto: the download was coalesced into super-packets" \
	eval '(( $(offload rx_super_packets) > 0 && $(offload rx_coalesced_segments) > 2 * $(offload rx_super_packets) ))'
check "auto: no super-packet dropped" eval '[[ $(offload tx_super_dropped) == 0 ]]'
check "auto: USO taken too (status --json)" eval '[[ $(enabled) == *uso4*uso6* ]]'
check "auto: $UDP_N UDP datagrams down, every byte as sent" udp_moved auto
check "auto: and coalesced into UDP super-packets" eval '(( $(offload rx_super_packets_udp) > 0 ))'
echo "    counters: tx_super $(offload tx_super_packets) tx_segments $(offload tx_segments)" \
	"rx_super $(offload rx_super_packets) rx_coalesced $(offload rx_coalesced_segments)" \
	"rx_super_udp $(offload rx_super_packets_udp)"
SID=$(px_sessions session_id | awk '{ print $2 }')
IDX=$(ip -n "$LAB_CL" -o link show ppt | cut -d: -f1)

# ---- 2. stop --keep, then offloads off: the TUN is switched, the session resumed
check "stop --keep" px stop --keep
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
mark=$(($(wc -l <"$DAEMON_LOG") + 1))
daemon_start "$(write_conf off)" -v
check "off: the session is resumed" wait_for 10 since_mark 'resumed session confirmed'
check "off: the earlier run's TUN adopted without its vnet header (logged)" \
	since_mark 'ppt: adopting a TUN of an earlier run with a virtio-net header: without now'
check "off: same TUN, same PPPoE session" \
	eval '[[ $(ip -n "$LAB_CL" -o link show ppt | cut -d: -f1) == "$IDX" && $(px_sessions session_id | awk "{ print \$2 }") == "$SID" ]]'
check "off: no vnet header, no offload enabled" eval '[[ $(vnet_hdr) == "vnet_hdr off" && -z $(enabled) ]]'
check "off: $MIB MiB up, sha256 equal" moved off up
check "off: $MIB MiB down, sha256 equal" moved off down
check "off: $UDP_N UDP datagrams down, every byte as sent" udp_moved off
check "off: no super-packet either way" \
	eval '[[ $(offload tx_super_packets)$(offload tx_segments)$(offload rx_super_packets)$(offload rx_coalesced_segments) == 0000 ]]'

# ---- 3. SIGKILL, then offloads on again
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
mark=$(($(wc -l <"$DAEMON_LOG") + 1))
daemon_start "$(write_conf auto)" -v
check "auto again: the session is resumed" wait_for 10 since_mark 'resumed session confirmed'
check "auto again: the TUN adopted with a vnet header (logged)" \
	since_mark 'ppt: adopting a TUN of an earlier run without a virtio-net header: with one now'
check "auto again: vnet header on" eval '[[ $(vnet_hdr) == "vnet_hdr on" ]]'
check "auto again: up and down, sha256 equal" eval 'moved "auto again" up && moved "auto again" down'
check "auto again: offloads used" \
	eval '(( $(offload tx_super_packets) > 0 && $(offload rx_super_packets) > 0 ))'
check "SIGTERM: exit status 0 within 5 s" daemon_stop 5
lab_done
