#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# MSS clamping (issue 13), seen on the wire, against acsim: a TCP SYN with
# MSS 1460 that a host behind us sends through a session leaves as 1452
# (mss_clamp = auto, MTU 1492) or as the configured value, untouched with
# mss_clamp = off; a SYN-ACK with MSS 1460 from the far side reaches the
# TUN as 1452. Every clamped segment keeps a valid TCP checksum.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
acsim_lab_setup || exit 1
acsim_start -a pap -N 16 -U 4 -u 'u%d' -p x --pool 10.100.0.0 ||
	{ echo "acsim-server did not start"; exit 1; }
PROBE=tests/tools/mss_probe.py

conf=$(lab_conf mss.conf <<EOF
[global]
interface = cl0
control_socket = $CTL

[session auto]
user = u1
password = x
ifname = ppa

[session off]
user = u2
password = x
ifname = ppo
mss_clamp = off

[session fixed]
user = u3
password = x
ifname = ppf
mss_clamp = 1200
EOF
)
daemon_start "$conf" -v
for t in ppa ppo ppf; do
	check "$t comes up" daemon_wait_up "$t" 20
done

# syn_on_wire TUN: send a SYN with MSS 1460 out of TUN, print what the AC got
syn_on_wire() {
	local out=$LAB_DIR/wire.$1 local_ip
	local_ip=$(ip -n "$LAB_CL" -4 -o addr show dev "$1" | awk '{ print $4 }' | cut -d/ -f1)
	ip netns exec "$LAB_AC" python3 "$PROBE" watch ac0 2 pppoe >"$out" &
	local w=$!
	wait_for 3 grep -q READY "$out"
	ip netns exec "$LAB_CL" python3 "$PROBE" send-tun "$1" "$local_ip" 10.100.0.1 1460
	wait "$w"
	grep '^MSS' "$out" | head -1
}

check "auto: the SYN leaves with MSS 1452 and a valid checksum" \
	eval '[[ $(syn_on_wire ppa) == "MSS 1452 csum ok" ]]'
check "off: the SYN leaves with MSS 1460 untouched" \
	eval '[[ $(syn_on_wire ppo) == "MSS 1460 csum ok" ]]'
check "mss_clamp = 1200: the SYN leaves with MSS 1200" \
	eval '[[ $(syn_on_wire ppf) == "MSS 1200 csum ok" ]]'

# The other way: a SYN-ACK with MSS 1460 injected by the AC into session auto.
read -r sid mac acmac local < <(px_sessions session_id mac ac_mac local | awk '$1 == "auto" { print $2, $3, $4, $5 }')
frame=$(python3 "$PROBE" pppoe "$mac" "$acmac" "$sid" 10.100.0.1 "$local" 1460)
ip netns exec "$LAB_CL" python3 "$PROBE" watch ppa 2 >"$LAB_DIR/tun.out" &
w=$!
wait_for 3 grep -q READY "$LAB_DIR/tun.out"
acsim_ctl inject "$frame" >/dev/null
wait "$w"
check "auto: a SYN-ACK with MSS 1460 reaches the TUN as 1452, checksum valid" \
	grep -qx "MSS 1452 csum ok" "$LAB_DIR/tun.out"
check "SIGTERM: exit status 0 within 5 s" daemon_stop 5
lab_done
