#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# IPv6 over PPPoE against acsim-server --ipv6 (fast; test_interop_ipv6 does
# the real AC), with the default settings but ipv6 = yes:
#   - IPv6CP up: the TUN gets fe80::IID/64 (IID from the session name, as
#     documented), addrgenmode none, accept_ra 0, autoconf 0;
#   - RS answered by an RA: the SLAAC address prefix::IID/64 with the RA's
#     lifetimes, a default route via the AC's link-local in the session's
#     table (and with defaultroute = yes in main, each session its metric),
#     a rule "from ADDR lookup TABLE";
#   - ping6 to the AC's link-local through the TUN, and to a global address
#     by source address alone (the rule); up_script sees IPV6_*;
#   - status, JSON and metrics show it; an RA with router lifetime 0 takes
#     the default route away, the next one puts it back;
#   - redial: the same link-local, the same IID in the new prefix, nothing of
#     the old address left; ipv6 = no on another
#     session: no IPv6 on its TUN, the AC's IPv6CP Protocol-Rejected;
#   - an AC that Protocol-Rejects IPv6CP: IPv4 up, "IPv6 unavailable";
#   - a reload removing a session removes its IPv6 rule;
#   - SIGUSR2 and a start: v1 resumed, IPv6CP negotiated afresh, its
#     address and rule kept (once); then a start with ipv6 = no: not
#     resumed, IPv6 off on the adopted TUNs, stale IPv6 rules swept;
#   - SIGTERM: no IPv6 rule left.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
[[ -d /proc/sys/net/ipv6 ]] || { echo "SKIP: the kernel has no IPv6"; exit 77; }
acsim_lab_setup || exit 1
acsim_start -a pap -N 16 -U 16 -u 'u%d' -p x --pool 10.100.0.0 --ipv6 ||
	{ echo "acsim-server did not start"; exit 1; }

HOOK=$LAB_DIR/up.sh
printf '#!/bin/sh\nenv | grep -E "^(IFNAME|IPV6_[A-Z]+)=" | sort > %s/hook.$IFNAME.$$\n' \
	"$LAB_DIR" >"$HOOK"
chmod 0755 "$HOOK"

conf=$(lab_conf v6.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
route_table_range = 3000-3099

[session v]
count = 2
user = u%d
password = x
ifname = ppv%d
route_table = auto
ipv6 = yes
defaultroute = yes
defaultroute_metric = %d
up_script = $HOOK

[session n]
user = u9
password = x
ifname = ppn
EOF
)

cl() { ip netns exec "$LAB_CL" "$@"; }
# iid_ll NAME - the documented link-local: fe80:: and FNV-1a 64 of
# "pppoe-xdp ipv6cp NAME" with the universal/local bit cleared
iid_ll() {
	python3 - "$1" <<'PY'
import ipaddress, sys
h = 14695981039346656037
for c in ("pppoe-xdp ipv6cp " + sys.argv[1]).encode():
    h = ((h ^ c) * 1099511628211) & (2**64 - 1)
b = bytearray(h.to_bytes(8, "big"))
b[0] &= 0xfd
print(ipaddress.IPv6Address(b"\xfe\x80" + b"\0" * 6 + bytes(b)))
PY
}
json() { px status --json | python3 -c "import json,sys; d={s['name']: s for s in json.load(sys.stdin)['sessions']}; $1"; }
slaac_of() { ip -n "$LAB_CL" -6 -o addr show dev "$1" scope global | awk '{ print $4 }' | cut -d/ -f1; }
ll_of() { ip -n "$LAB_CL" -6 -o addr show dev "$1" scope link | awk '{ print $4 }'; }
v6_ready() { [[ -n $(slaac_of "$1") ]] && ip -n "$LAB_CL" -6 rule | grep -q "from $(slaac_of "$1") lookup"; }
n_up() { [ "$(px status | awk '$2 == "up"' | wc -l)" -eq "$1" ]; }
stat() { acsim_stat "$1"; }
ACLL=fe80::2ac:51ff:fe00:1

daemon_start "$conf"
check "3 sessions up" wait_for 30 n_up 3
check "v1, v2: SLAAC addresses and rules" wait_for 15 bash -c "$(declare -f slaac_of v6_ready); LAB_CL=$LAB_CL; v6_ready ppv1 && v6_ready ppv2"

for i in 1 2; do
	want=$(iid_ll v$i)
	check "ppv$i: link-local $want/64, from the session name" test "$(ll_of ppv$i)" = "$want/64"
	check "ppv$i: addrgenmode none, accept_ra 0, autoconf 0" bash -c \
		"ip -n $LAB_CL -d link show ppv$i | grep -q 'addrgenmode none' &&
		 [ \$(ip netns exec $LAB_CL cat /proc/sys/net/ipv6/conf/ppv$i/accept_ra) = 0 ] &&
		 [ \$(ip netns exec $LAB_CL cat /proc/sys/net/ipv6/conf/ppv$i/autoconf) = 0 ]"
	a=$(slaac_of ppv$i)
	check "ppv$i: SLAAC address $a = 2001:db8:64:SID:IID" python3 -c "
import ipaddress
a = ipaddress.IPv6Address('$a').packed; l = ipaddress.IPv6Address('$want').packed
assert a[:6] == bytes.fromhex('20010db80064') and a[8:] == l[8:], (a, l)"
	check "ppv$i: the RA's lifetimes on the address" bash -c \
		"ip -n $LAB_CL -6 addr show dev ppv$i scope global | grep -Eq 'valid_lft 86[34][0-9][0-9]sec preferred_lft 14[34][0-9][0-9]sec'"
	t=$(ip -n "$LAB_CL" -6 rule | awk -v a="$a" '$3 == a { print $5 }')
	check "ppv$i: rule from $a lookup $t (a table of route_table_range)" test "${t:-0}" -ge 3000 -a "${t:-0}" -le 3099
	check "ppv$i: default via the AC's link-local in table $t" bash -c \
		"ip -n $LAB_CL -6 route show table $t | grep -q '^default via $ACLL dev ppv$i'"
	check "ppv$i: defaultroute = yes: default via the AC in main, metric $i" bash -c \
		"ip -n $LAB_CL -6 route show default | grep -q '^default via $ACLL dev ppv$i .*metric $i '"
	check "ppv$i: ping6 the AC's link-local through the TUN" cl ping -6 -c 2 -W 2 "$ACLL%ppv$i"
	check "ppv$i: ping6 a global address from $a (routing by source)" \
		cl ping -6 -c 2 -W 2 -I "$a" 2001:db8:ffff::1
	check "ppv$i: up_script ran again with IPV6_LOCAL, IPV6_REMOTE, IPV6_ADDR" bash -c \
		"cat $LAB_DIR/hook.ppv$i.* | grep -qx 'IPV6_ADDR=$a' &&
		 cat $LAB_DIR/hook.ppv$i.* | grep -qx 'IPV6_LOCAL=$want' &&
		 cat $LAB_DIR/hook.ppv$i.* | grep -qx 'IPV6_REMOTE=$ACLL'"
done
check "acsim: 2 IPv6CP up, 2 RS answered, 8 pings answered" bash -c \
	"[ $(stat ipv6cp_up) -eq 2 ] && [ $(stat tx_ra) -eq 2 ] && [ $(stat rx_ping6) -ge 8 ]"

check "status: an IPV6 column with the SLAAC address" bash -c \
	"$PPPOE_XDP -s $CTL status | grep -q IPV6 && $PPPOE_XDP -s $CTL status | grep '^v1 ' | grep -q '$(slaac_of ppv1)'"
check "status --json: ipv6 up, address, router" json "
v = d['v1']['ipv6']
assert v['status'] == 'up' and v['local'] == '$(iid_ll v1)' and v['router'] == '$ACLL', v
assert v['addresses'][0]['address'] == '$(slaac_of ppv1)' and v['addresses'][0]['prefix_len'] == 64, v
assert v['rs_sent'] == 1 and v['ra_received'] == 1, v
assert d['n']['ipv6'] is None"
check "metrics: pppoe_xdp_session_ipv6_up 1" bash -c \
	"$PPPOE_XDP -s $CTL metrics | grep -q '^pppoe_xdp_session_ipv6_up{session=\"v1\",ifname=\"ppv1\"} 1'"

check "n (ipv6 = no): IPv6 off on its TUN" bash -c \
	"[ \$(ip netns exec $LAB_CL cat /proc/sys/net/ipv6/conf/ppn/disable_ipv6) = 1 ] &&
	 [ -z \"\$(ip -n $LAB_CL -6 addr show dev ppn)\" ]"
check "n: the AC's IPv6CP got a Protocol-Reject" test "$(stat rx.lcp-protocol-reject)" -ge 1

t1=$(ip -n "$LAB_CL" -6 rule | awk -v a="$(slaac_of ppv1)" '$3 == a { print $5 }')
acsim_ctl ra 0 86400 14400 >/dev/null
check "RA with router lifetime 0: the default route goes" wait_for 5 bash -c \
	"! ip -n $LAB_CL -6 route show table $t1 | grep -q default"
check "   the address stays" test -n "$(slaac_of ppv1)"
acsim_ctl ra 1800 86400 14400 >/dev/null
check "the next RA: default route back" wait_for 5 bash -c \
	"ip -n $LAB_CL -6 route show table $t1 | grep -q '^default via $ACLL'"

a1=$(slaac_of ppv1)
px redial v1 >/dev/null
# acsim gives each PPPoE session id its own /64: a new prefix, the same IID.
new_addr() { local a; a=$(slaac_of ppv1); [[ -n $a && $a != "$a1" ]]; }
check "redial v1: a SLAAC address of the new session's prefix" wait_for 20 new_addr
a2=$(slaac_of ppv1)
check "redial v1: the same link-local, the same IID in the new address" bash -c \
	"[ '$(ll_of ppv1)' = '$(iid_ll v1)/64' ] &&
	 [ \"\$(python3 -c 'import ipaddress,sys; print(ipaddress.IPv6Address(sys.argv[1]).packed[8:] == ipaddress.IPv6Address(sys.argv[2]).packed[8:])' $a1 $a2)\" = True ]"
check "redial v1: the old address and its rule are gone" bash -c \
	"! ip -n $LAB_CL -6 addr | grep -q ' $a1/' && ! ip -n $LAB_CL -6 rule | grep -q 'from $a1 '"
check "redial v1: ping6 by source from the new address" wait_for 10 cl ping -6 -c 1 -W 1 -I "$a2" 2001:db8:ffff::1

acsim_ctl set ipv6cp_protrej 1 >/dev/null
px redial v2 >/dev/null
check "AC rejects IPv6CP: v2 up on IPv4" wait_for 20 bash -c "$PPPOE_XDP -s $CTL status | grep -q '^v2 *up'"
check "   logged: IPv6 unavailable" wait_for 5 grep -q 'v2/ppv2.*IPv6 unavailable: the AC rejects IPv6CP' "$DAEMON_LOG"
check "   no global address, no IPv6 rule left for v2" bash -c \
	"[ -z \"\$(ip -n $LAB_CL -6 -o addr show dev ppv2 scope global)\" ] &&
	 [ \$(ip -n $LAB_CL -6 rule | grep -c 'lookup 30') -eq 1 ]"
check "   IPv4 still works" cl ping -c 1 -W 2 -I ppv2 10.100.0.1
acsim_ctl set ipv6cp_protrej 0 >/dev/null

# A reload that removes v2 (with IPv6 again) takes its IPv6 rule with it.
px redial v2 >/dev/null
check "v2 redialed: IPv6 back" wait_for 20 bash -c "$(declare -f slaac_of v6_ready); LAB_CL=$LAB_CL; v6_ready ppv2"
a2=$(slaac_of ppv2)
sed 's/^count = 2$/count = 1/' "$conf" >"$conf.tmp" && cat "$conf.tmp" >"$conf" && rm -f "$conf.tmp"
px reload >/dev/null
check "reload without v2: its TUN, IPv6 rule and main default route are gone, v1 untouched" wait_for 10 bash -c \
	"! ip -n $LAB_CL link show ppv2 2>/dev/null && ! ip -n $LAB_CL -6 rule | grep -q 'from $a2 ' &&
	 ip -n $LAB_CL -6 rule | grep -q 'from $(slaac_of ppv1) lookup' &&
	 ! ip -n $LAB_CL -6 route show default | grep -q ppv2 &&
	 ip -n $LAB_CL -6 route show default | grep -q 'dev ppv1 .*metric 1 '"

# Restart keeping the sessions: IPv6CP is not in the state file; it is
# negotiated afresh after the resume, the address and rule stay meanwhile.
a1=$(slaac_of ppv1)
kill -USR2 "$DAEMON_PID"
wait "$DAEMON_PID"
DAEMON_PID=
check "SIGUSR2: v1's SLAAC address and IPv6 rule stay" bash -c \
	"ip -n $LAB_CL -6 -o addr show dev ppv1 scope global | grep -q ' $a1/64' &&
	 ip -n $LAB_CL -6 rule | grep -q 'from $a1 lookup'"
line=$(($(wc -l <"$DAEMON_LOG") + 1))
daemon_start "$conf"
check "restart: v1 resumed and confirmed" wait_for 15 bash -c \
	"tail -n +$line '$DAEMON_LOG' | grep -q 'v1/ppv1.*resumed session confirmed'"
check "restart: v1's IPv6CP negotiated afresh, RA again" wait_for 15 bash -c \
	"tail -n +$line '$DAEMON_LOG' | grep -q 'v1/ppv1.*IPv6: Router Advertisement'"
check "restart: v1 dialed no more (resumed)" json "assert d['v1']['dials'] == 0 and d['v1']['resumed'], d['v1']"
check "restart: the same address, one rule for it" bash -c \
	"ip -n $LAB_CL -6 -o addr show dev ppv1 scope global | grep -q ' $a1/64' &&
	 [ \$(ip -n $LAB_CL -6 rule | grep -c 'from $a1 lookup') -eq 1 ]"
check "restart: ping6 by source" cl ping -6 -c 1 -W 2 -I "$a1" 2001:db8:ffff::1

# Restart with ipv6 = no: the sessions are not resumed (their config
# changed), their adopted TUNs lose IPv6, the stale IPv6 rules are swept.
kill -USR2 "$DAEMON_PID"
wait "$DAEMON_PID"
DAEMON_PID=
sed 's/^ipv6 = yes$/ipv6 = no/' "$conf" >"$conf.no" && chmod 600 "$conf.no"
line=$(($(wc -l <"$DAEMON_LOG") + 1))
daemon_start "$conf.no"
check "ipv6 = no now: v1 not resumed, dials, comes up" wait_for 20 bash -c \
	"tail -n +$line '$DAEMON_LOG' | grep -q 'v1/ppv1.*not resumed' && $PPPOE_XDP -s $CTL status | grep -q '^v1 *up'"
check "   its TUN without IPv6, no IPv6 rule of ours left" wait_for 5 bash -c \
	"[ \$(ip netns exec $LAB_CL cat /proc/sys/net/ipv6/conf/ppv1/disable_ipv6) = 1 ] &&
	 [ -z \"\$(ip -n $LAB_CL -6 addr show dev ppv1)\" ] && ! ip -n $LAB_CL -6 rule | grep -q 'lookup 30'"

check "SIGTERM" daemon_stop 5
check "nothing left: TUNs, IPv6 rules" bash -c \
	"! ip -n $LAB_CL link | grep -q ppv && ! ip -n $LAB_CL -6 rule | grep -q 'lookup 30'"
lab_done
