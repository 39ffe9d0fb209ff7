#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# DHCPv6 (IA_NA and IA_PD) against acsim-server --dhcp6 (fast and
# scriptable; test_interop_dhcp6 does a real server behind the real AC),
# 8 sessions with the default settings plus ipv6 = yes and route_table =
# auto, T1 4 s, T2 6 s, preferred 12 s, valid 20 s:
#   - every session bound (the RA says M): its own address as a /128 on
#     its TUN with a rule into its table, its own /56 as an unreachable
#     route in its table;
#   - a server that ignores Renews: Rebind at T2, and the route, deleted
#     behind the daemon's back, is back after the Rebind Reply;
#   - NoBinding in a Renew Reply: a Request, still bound, route there;
#   - a silent server: address, rule and route gone at the valid lifetime,
#     back when the server answers again;
#   - SIGKILL: the routes stay; the next start sweeps them, and every
#     session gets its lease and routes again;
#   - SIGTERM: a Release per session, no route or rule left.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
[[ -d /proc/sys/net/ipv6 ]] || { echo "SKIP: the kernel has no IPv6"; exit 77; }
acsim_lab_setup || exit 1
N=8
acsim_start -a pap -N 16 -U 16 -u 'u%d' -p x --pool 10.100.0.0 --dhcp6 4,6,12,20 ||
	{ echo "acsim-server did not start"; exit 1; }

conf=$(lab_conf d6.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
route_table_range = 3000-3099

[session d]
count = $N
user = u%d
password = x
ifname = ppd%d
route_table = auto
ipv6 = yes
EOF
)

# d6 SESSION FIELD - a field of the session's "dhcpv6" object ("" if none)
d6() {
	px status --json | python3 -c '
import json, sys
s = {x["name"]: x for x in json.load(sys.stdin)["sessions"]}[sys.argv[1]]
v = (s.get("dhcpv6") or {}).get(sys.argv[2])
print("" if v is None else v)' "$1" "$2"
}
table_of() { ip -n "$LAB_CL" -6 rule | awk -v a="$1" '$3 == a { print $5; exit }'; }
unreach_in() { ip -n "$LAB_CL" -6 route show table "$2" type unreachable | grep -q "^unreachable $1 "; }
all_bound() {
	local i
	for ((i = 1; i <= N; i++)); do
		[[ $(d6 d$i state) == Bound && -n $(d6 d$i prefix) && -n $(d6 d$i address) ]] || return 1
	done
}
# session_ok I - d$I's address on its TUN with a rule, its prefix's route in that table
session_ok() {
	local a p t
	a=$(d6 "d$1" address)
	p=$(d6 "d$1" prefix)
	[[ -n $a && -n $p ]] || return 1
	ip -n "$LAB_CL" -6 addr show dev "ppd$1" | grep -q "inet6 $a/128 " || return 1
	t=$(table_of "$a")
	[[ -n $t && $t -ge 3000 && $t -le 3099 ]] || return 1
	unreach_in "$p" "$t"
}
all_ok() {
	local i
	for ((i = 1; i <= N; i++)); do session_ok "$i" || return 1; done
}
export -f d6 table_of unreach_in all_bound session_ok all_ok px acsim_ctl acsim_stat
export LAB_CL CTL PPPOE_XDP N ACSIM ACSIM_SOCK

daemon_start "$conf"
check "$N sessions bound: address and prefix each" wait_for 40 all_bound
check "each: /128 on its TUN, rule into its table, unreachable route there" wait_for 5 all_ok
check "every prefix a different /56 of 2001:db8:d6::/48" bash -c \
	"[[ \$(for i in \$(seq $N); do d6 d\$i prefix; done | grep -cE '^2001:db8:d6:[0-9a-f]{1,2}00::/56$') -eq $N &&
	   \$(for i in \$(seq $N); do d6 d\$i prefix; done | sort -u | wc -l) -eq $N ]]"
check "acsim: one Solicit and one Request per session" bash -c \
	"[[ $(acsim_stat rx_d6_solicit) -eq $N && $(acsim_stat rx_d6_request) -eq $N ]]"

p1=$(d6 d1 prefix)
t1=$(table_of "$(d6 d1 address)")
check "Renews at T1" wait_for 10 bash -c "[[ \$(acsim_stat rx_d6_renew) -ge $N ]]"

# Rebind: Renews go unanswered, the route is deleted meanwhile.
acsim_ctl set d6_ignore_renew 1 >/dev/null
ip -n "$LAB_CL" -6 route del unreachable "$p1" table "$t1"
check "d1's route deleted behind the daemon's back" bash -c "! unreach_in $p1 $t1"
check "Rebinds at T2" wait_for 15 bash -c "[[ \$(acsim_stat rx_d6_rebind) -ge $N ]]"
check "after the Rebind Reply the route is back" wait_for 5 unreach_in "$p1" "$t1"
check "d1 counts its Rebinds and keeps its prefix" bash -c \
	"[[ \$(d6 d1 rebinds) -ge 1 && \$(d6 d1 prefix) == $p1 ]]"
acsim_ctl set d6_ignore_renew 0 >/dev/null

# NoBinding: the next Renew/Rebind Reply says NoBinding for IA_PD (once).
req0=$(acsim_stat rx_d6_request)
acsim_ctl set d6_nobinding 1 >/dev/null
check "NoBinding answered by a Request" wait_for 15 bash -c "[[ \$(acsim_stat rx_d6_request) -gt $req0 ]]"
check "every session bound with its routes after it" wait_for 10 bash -c "all_bound && all_ok"

# A silent server: everything goes at the valid lifetime (20 s).
a1=$(d6 d1 address)
acsim_ctl set d6_silent 1 >/dev/null
check "silent server: d1's lease expires, route, address and rule gone" wait_for 30 bash -c \
	"[[ -z \$(d6 d1 prefix) ]] && ! unreach_in $p1 $t1 &&
	 ! ip -n $LAB_CL -6 addr show dev ppd1 | grep -q 'inet6 $a1/128' &&
	 [[ -z \$(table_of $a1) ]]"
check "   and it solicits again" bash -c "[[ \$(d6 d1 state) == Solicit ]]"
acsim_ctl set d6_silent 0 >/dev/null
check "server back: bound again to the same lease, routes back" wait_for 80 bash -c \
	"all_bound && all_ok && [[ \$(d6 d1 prefix) == $p1 ]]"

# A crash: the routes outlive the process; the next start sweeps them and
# the clients (resumed sessions too) install them again.
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
check "after SIGKILL the prefix routes are still there" bash -c \
	"[[ \$(ip -n $LAB_CL -6 route show table all type unreachable | grep -c '^unreachable 2001:db8:d6') -eq $N ]]"
daemon_start "$conf"
check "the next start removes them" wait_for 20 grep -q "removed $N unreachable route(s) of delegated prefixes" "$DAEMON_LOG"
check "and every session has its lease and routes again" wait_for 60 bash -c "all_bound && all_ok && [[ \$(d6 d1 prefix) == $p1 ]]"

rel0=$(acsim_stat rx_d6_release)
check "SIGTERM: clean exit" daemon_stop 15
check "a Release per session" bash -c "[[ $(( $(acsim_stat rx_d6_release) - rel0 )) -eq $N ]]"
check "no unreachable route or IPv6 rule left" bash -c \
	"[[ -z \$(ip -n $LAB_CL -6 route show table all type unreachable | grep 2001:db8:d6) &&
	   -z \$(ip -n $LAB_CL -6 rule | grep 'lookup 30[0-9][0-9]') ]]"
lab_done
