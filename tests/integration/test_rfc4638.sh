#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# RFC 4638 (issue 12): a full 1500-byte MTU over PPPoE, against acsim.
#
#   the AC echoes PPP-Max-Payload   mtu = 1500 gets a TUN MTU of 1500, and a
#                                   1500-byte packet crosses unfragmented; a
#                                   session without mtu keeps 1492
#   an AC that ignores the tag      the same session, redialed, gets 1492
#   an interface MTU of 1500        leaves room for 1492 only: the log says
#                                   so, naming the MTU the interface needs
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
acsim_lab_setup || exit 1
# "Baby jumbo" frames: 1508 bytes of Ethernet payload on the access line.
ip -n "$LAB_AC" link set ac0 mtu 1508 && ip -n "$LAB_CL" link set cl0 mtu 1508 || exit 1
acsim_start -a pap -N 16 -U 4 -u 'u%d' -p x --pool 10.100.0.0 --max-payload 1500 ||
	{ echo "acsim-server did not start"; exit 1; }

conf=$(lab_conf rfc4638.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
holdoff = 1

[session full]
user = u1
password = x
ifname = ppf
mtu = 1500

[session plain]
user = u2
password = x
ifname = ppp

# receives up to 1500, sends at most 1492
[session recv]
user = u3
password = x
ifname = ppr
mru = 1500
EOF
)
daemon_start "$conf" -v

# tun_mtu_is IF N: IF's MTU is N
tun_mtu_is() { [[ $(ip -n "$LAB_CL" -o link show "$1" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p') == "$2" ]]; }
# up_with_mtu IF N: IF has its address and MTU N
up_with_mtu() { tun_mtu_is "$1" "$2" && ip -n "$LAB_CL" -4 addr show dev "$1" | grep -q inet; }
# ping_df IF SIZE: one ICMP echo of SIZE bytes of data, Don't Fragment
ping_df() { ip netns exec "$LAB_CL" ping -c 1 -W 2 -M do -s "$2" -I "$1" 10.100.0.1 >/dev/null 2>&1; }

check "both sessions come up" daemon_wait_up ppf 20
daemon_wait_up ppp 20
daemon_wait_up ppr 20
check "the AC agreed: PPP-Max-Payload 1500" \
	grep -q "full/ppf\] discovery: PPP-Max-Payload 1500 agreed" "$DAEMON_LOG"
check "LCP: MRU 1500 both ways" grep -q "full/ppf\] LCP up: MRU 1500, peer MRU 1500" "$DAEMON_LOG"
check "the TUN's MTU is 1500" tun_mtu_is ppf 1500
check "a 1500-byte packet crosses unfragmented (ping -M do -s 1472)" ping_df ppf 1472
check "the session without mtu keeps 1492" tun_mtu_is ppp 1492
check "no PPP-Max-Payload asked for without mtu" \
	bash -c "! grep -q 'plain/ppp\] discovery: .*PPP-Max-Payload' $DAEMON_LOG"
check "mru = 1500 alone: PPP-Max-Payload agreed, MRU 1500, TUN MTU 1492" bash -c \
	"grep -q 'recv/ppr\] LCP up: MRU 1500' $DAEMON_LOG && $(declare -f tun_mtu_is); LAB_CL=$LAB_CL tun_mtu_is ppr 1492"
check "1492 is the most it carries unfragmented" ping_df ppp 1464
check "(and 1500 is refused)" eval '! ping_df ppp 1472'

# An AC without RFC 4638: the tag is ignored, the session gets 1492.
acsim_stop
acsim_start -a pap -N 16 -U 4 -u 'u%d' -p x --pool 10.100.0.0 --first-sid 5 ||
	{ echo "acsim-server did not restart"; exit 1; }
px redial full >/dev/null
check "no echo of the tag: 1492, and the log says why" wait_for 20 grep -q \
	"full/ppf\] discovery: the AC did not agree to PPP-Max-Payload 1500 (no tag in its PADS): MRU 1492" \
	"$DAEMON_LOG"
check "the session is up again with a TUN MTU of 1492" wait_for 20 up_with_mtu ppf 1492
check "and passes 1492-byte packets" ping_df ppf 1464

# The interface shrinks under a session with 1500 agreed: it no longer
# carries the 1508-byte frames the AC sends, so the session redials, and
# the log says what mtu = 1500 needs.
acsim_stop
acsim_start -a pap -N 16 -U 4 -u 'u%d' -p x --pool 10.100.0.0 --max-payload 1500 --first-sid 9 ||
	{ echo "acsim-server did not restart"; exit 1; }
px redial full >/dev/null
check "an RFC 4638 AC again: 1500" wait_for 20 up_with_mtu ppf 1500
ip -n "$LAB_AC" link set ac0 mtu 1500
ip -n "$LAB_CL" link set cl0 mtu 1500
check "interface MTU 1500: the session redials by itself" wait_for 20 grep -q \
	"full/ppf\] .*interface MTU now 1500" "$DAEMON_LOG"
check "so does the one that receives 1500 (its TUN sends 1492)" wait_for 20 grep -q \
	"recv/ppr\] .*interface MTU now 1500" "$DAEMON_LOG"
check "but not the one at 1492" bash -c "! grep -q 'plain/ppp\] .*interface MTU now 1500' $DAEMON_LOG"
check "and the log names the MTU that mtu = 1500 needs" wait_for 20 grep -q \
	"full/ppf\] mtu 1500 needs an interface MTU of at least 1508, and it is 1500: asking for 1492" \
	"$DAEMON_LOG"
check "the session comes up with 1492" wait_for 20 up_with_mtu ppf 1492
check "and passes 1492-byte packets" ping_df ppf 1464
check "SIGTERM: exit status 0 within 5 s" daemon_stop 5
lab_done
