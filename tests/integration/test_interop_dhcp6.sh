#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Interop with a real DHCPv6 server (Kea) behind the real access
# concentrator (rp-pppoe + pppd with +ipv6 in a UML guest, radvd sending
# RAs with the M and O flags), with the default configuration plus
# ipv6 = yes: an address (IA_NA) and a delegated
# prefix (IA_PD) obtained; the address on the TUN as a /128 and usable,
# the prefix as an unreachable route; status, JSON, metrics and the hook
# environment show them; short lease times so that Renews are observed at
# the server and the prefix route, deleted behind the daemon's back, is
# back after the next Renew; a redial gets the same address and prefix
# back; an admin down sends a Release and removes everything.
set -u
. "$(dirname "$0")/lab.sh"

command -v kea-dhcp6 >/dev/null || { echo "SKIP: no kea-dhcp6 (scripts/install-deps.sh installs kea-dhcp6-server)"; exit 77; }
lab_setup || exit 1

# T1 10 s, T2 16 s, preferred 30 s, valid 60 s: a Renew every 10 s.
ac_start "$LAB_AC" ac0 AC_AUTH=pap AC_USERS="alice:wonderland" AC_DHCP6=1 \
	AC_DHCP6_TIMES="10 16 30 60" AC_RADVD=1 || exit 1

hooks=$LAB_DIR/hooks
mkdir -m 755 "$hooks"
cat >"$hooks/up.sh" <<'EOF'
#!/bin/sh
d=$(dirname "$0")
env | grep -E '^(IFNAME|IPV6_PREFIX|IPV6_PREFIX_VALID|IPV6_PREFIX_PREFERRED|IPV6_NA_ADDR)=' | sort >"$d/up.env.tmp"
mv "$d/up.env.tmp" "$d/up.env"
echo "$IPV6_PREFIX" >>"$d/up.prefixes"
EOF
chmod 755 "$hooks/up.sh"

conf=$(lab_conf dhcp6.conf <<EOF
[global]
interface = cl0
control_socket = $LAB_DIR/ctl.sock

[session wan1]
user = alice
password = wonderland
ifname = pppx1
ipv6 = yes
up_script = $hooks/up.sh
EOF
)
daemon_start "$conf" -v

pxctl() { ip netns exec "$LAB_CL" "$PPPOE_XDP" -s "$LAB_DIR/ctl.sock" "$@"; }
# d6 FIELD: a field of wan1's "dhcpv6" object in status --json ("" if none)
d6() {
	pxctl status --json 2>/dev/null | python3 -c '
import json, sys
s = [x for x in json.load(sys.stdin)["sessions"] if x["name"] == "wan1"][0]
d = s.get("dhcpv6") or {}
v = d.get(sys.argv[1])
print("" if v is None else v)' "$1"
}
d6_is() { [[ $(d6 "$1") == "$2" ]]; }
d6_bound() { d6_is state Bound && [[ -n $(d6 address) && -n $(d6 prefix) ]]; }
has_unreach() { ip -n "$LAB_CL" -6 route show type unreachable | grep -q "^unreachable $1 "; }
no_unreach() { ! ip -n "$LAB_CL" -6 route show type unreachable | grep -q "^unreachable $1 "; }
has_addr() { ip -n "$LAB_CL" -6 addr show dev pppx1 | grep -q "inet6 $1/128 "; }
no_addr() { ! ip -n "$LAB_CL" -6 addr show dev pppx1 2>/dev/null | grep -q "inet6 $1/128 "; }
# Kea logs each renewed prefix (a Renew or a Rebind) at level INFO.
renews() { grep -c "DHCP6_PD_LEASE_RENEW" "$AC_DHCP6_LOG" 2>/dev/null || true; }
# for the checks' bash -c
export -f pxctl d6 d6_is d6_bound has_unreach no_unreach has_addr no_addr renews
export LAB_CL LAB_DIR PPPOE_XDP AC_DHCP6_LOG

check "session comes up" daemon_wait_up pppx1 30
check "AC's pppd negotiated IPv6CP" ac_wait_log -t 20 -f "$AC_EVENTS" "^ipv6-up "
# dhcpv6 = auto: the RA says M, so both IAs (at once when the RA comes
# first; pppd's ipv6-up tells radvd of the new interface only as IPv6CP
# opens, so our first RS may go unanswered: then both after 3 s anyway).
check "DHCPv6 bound with an address and a prefix" wait_for 40 d6_bound
check "the RA's M and O flags seen" wait_for 20 bash -c "pxctl status --json | python3 -c '
import json, sys
s = [x for x in json.load(sys.stdin)[\"sessions\"] if x[\"name\"] == \"wan1\"][0]
assert s[\"ipv6\"][\"ra_managed\"] and s[\"ipv6\"][\"ra_other\"]'"
check "the SLAAC address from the RA is there too" wait_for 20 bash -c \
	"ip -n $LAB_CL -6 addr show dev pppx1 | grep -q 'inet6 2001:db8:64:'"
addr=$(d6 address)
pfx=$(d6 prefix)
echo "# IA_NA $addr, IA_PD $pfx"
check "IA_NA address from the server's range" grep -qE '^2001:db8:0:1::1[0-9a-f]{2}$' <<<"$addr"
check "IA_PD prefix: a /56 of the server's pool" grep -qE '^2001:db8:1[0-9a-f]{2}(:[0-9a-f]{1,4})?::/56$' <<<"$pfx"
check "the server allocated both" bash -c "grep -q 'DHCP6_LEASE_ALLOC .*lease for address $addr ' $AC_DHCP6_LOG &&
	grep -q 'DHCP6_PD_LEASE_ALLOC .*lease for prefix $pfx ' $AC_DHCP6_LOG"
check "address on the TUN as a /128" wait_for 5 has_addr "$addr"
check "prefix not on the TUN" bash -c "! ip -n $LAB_CL -6 addr show dev pppx1 | grep -q '${pfx%::/56}'"
check "unreachable route for the prefix" has_unreach "$pfx"
check "the address carries traffic: ping the AC's 2001:db8:0:1::1 from it" bash -c "
	ip -n $LAB_CL -6 route replace 2001:db8:0:1::1/128 dev pppx1 &&
	ip netns exec $LAB_CL ping -6 -c 3 -i 0.2 -W 2 -I $addr 2001:db8:0:1::1 >/dev/null"
check "status shows the lease" bash -c "pxctl status | grep -E '^dhcpv6 wan1: Bound, address $addr \(valid [0-9]+ s, preferred [0-9]+ s\), prefix $pfx \(valid [0-9]+ s'"
check "JSON: lifetimes, T1/T2 and statuses" bash -c "[[ \$(d6 prefix_valid_s) -gt 0 && \$(d6 prefix_valid_s) -le 60 &&
	\$(d6 t1_s) == 10 && \$(d6 t2_s) == 16 && \$(d6 na_status) == Success && \$(d6 pd_status) == Success ]]"
check "metrics: dhcp6 info and prefix lifetime" bash -c "
	m=\$(pxctl metrics)
	grep -q 'pppoe_xdp_session_dhcp6_info{session=\"wan1\",ifname=\"pppx1\",state=\"Bound\",address=\"$addr\",prefix=\"$pfx\"} 1' <<<\"\$m\" &&
	grep -qE '^pppoe_xdp_session_dhcp6_prefix_valid_seconds\{session=\"wan1\",ifname=\"pppx1\"\} [1-9]' <<<\"\$m\""
check "up_script ran again with the prefix" wait_for 10 grep -qx "IPV6_PREFIX=$pfx" "$hooks/up.env"
check "hook environment: lifetimes and address" bash -c "
	grep -qE '^IPV6_PREFIX_VALID=[1-9][0-9]*$' $hooks/up.env &&
	grep -qE '^IPV6_PREFIX_PREFERRED=[1-9][0-9]*$' $hooks/up.env &&
	grep -qx 'IPV6_NA_ADDR=$addr' $hooks/up.env"

# Renew: the route is installed again after every Renew Reply, even when
# something removed it meanwhile.
n0=$(renews)
ip -n "$LAB_CL" -6 route del unreachable "$pfx" 2>/dev/null
check "route deleted behind the daemon's back" no_unreach "$pfx"
check "a Renew reaches the server at T1" wait_for 15 bash -c "[[ \$(renews) -gt $n0 ]]"
check "the Renew Reply re-installed the unreachable route" wait_for 5 has_unreach "$pfx"
check "renewed counter counts it" wait_for 5 bash -c "[[ \$(d6 renewed) -ge 1 ]]"
check "several Renews, still bound to the same lease" wait_for 25 bash -c "[[ \$(renews) -ge $((n0 + 3)) ]]"
check "same address and prefix after the Renews" bash -c "[[ \$(d6 address) == $addr && \$(d6 prefix) == $pfx ]]"
check "address still on the TUN after the Renews" has_addr "$addr"
check "no Rebind needed (the server answers every Renew)" d6_is rebinds 0
check "the prefix did not change: up_script not rerun by Renews" bash -c \
	"[[ \$(grep -c . $hooks/up.prefixes) -le 3 && \$(sort -u $hooks/up.prefixes | grep -c .) -le 2 ]]"

# A redial: the client starts again and gets the same address and prefix.
adv0=$(grep -c "DHCP6_PD_LEASE_ADVERT" "$AC_DHCP6_LOG")
check "redial wan1" pxctl redial wan1
check "session back up" wait_for 30 bash -c "ip -n $LAB_CL -4 addr show dev pppx1 | grep -q 'inet '"
check "a new Solicit (answered by an Advertise) after the redial" wait_for 20 bash -c \
	"[[ \$(grep -c DHCP6_PD_LEASE_ADVERT $AC_DHCP6_LOG) -gt $adv0 ]]"
check "bound again after the redial" wait_for 40 d6_bound
check "same prefix back" bash -c "[[ \$(d6 prefix) == $pfx ]]"
check "same address back" bash -c "[[ \$(d6 address) == $addr ]]"
check "no Release on a redial" bash -c "! grep -q DHCP6_RELEASE_ $AC_DHCP6_LOG"
check "route and address installed again" wait_for 5 bash -c "has_unreach $pfx && has_addr $addr"

# Admin down: a Release, and nothing left behind.
check "down wan1" pxctl down wan1
check "the server got a Release of the address" wait_for 10 grep -q "DHCP6_RELEASE_NA .*address $addr " "$AC_DHCP6_LOG"
check "and of the prefix" wait_for 10 grep -q "DHCP6_RELEASE_PD .*prefix $pfx " "$AC_DHCP6_LOG"
check "unreachable route removed" wait_for 10 no_unreach "$pfx"
check "JSON shows no DHCPv6 lease any more" wait_for 10 d6_is state ""
check "clean exit" daemon_stop 15
check "no unreachable route left after exit" no_unreach "$pfx"
lab_done
