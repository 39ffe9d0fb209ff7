#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_hardening.sh - capabilities and secrets, against acsim-server (fast).
#
# Ten rounds: PAP and CHAP x log level default and -v x password inline
# and in a password_file, two of them with hook_capabilities = all, and
# MS-CHAPv2 at both log levels. Each
# round dials two sessions, redials one, reloads (a third session with a
# default route), reads status, status --json, metrics (control socket and
# HTTP), lets up/down hooks dump their environment, argv and capabilities,
# then stops the daemon (HARDENING_ROUNDS="1 5" runs only those). It asserts:
#   - a unique canary password is in none of: the daemon's log, every
#     output above, the state file, /proc/PID/cmdline and environ, the hook
#     dumps (the AC, acsim, knows it too; its own files are not searched);
#   - after setup the daemon has CapEff = CapPrm = CAP_NET_ADMIN+CAP_NET_RAW
#     and the same bounding set (or the full one with hook_capabilities =
#     all), no inheritable or ambient capabilities;
#   - hooks run with those two (they can add a route), or with everything
#     the test shell has under hook_capabilities = all;
#   - with only those two, reload adds sessions (TUN, our_macs map update,
#     routes, rules), redial works, SIGTERM removes the TUNs, rules and the
#     XDP program and exits 0;
#   - the control socket is mode 0600;
#   - the HTTP metrics carry no PPPoE session id or AC MAC, the control
#     socket's metrics do;
#   - after a reload that removes every session using the canary, it is
#     no longer anywhere in the daemon's readable memory (CHAP, MS-CHAPv2); for PAP
#     the copies the wire needed (AF_XDP frames) are reported, not failed;
#   - a config holding the password, or a password file, with mode 0640 or
#     0604 is refused with a message naming the file and the reason;
#   - started without root or without CAP_SYS_ADMIN, run says what it lacks.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/integration/lab.sh"
. "$ROOT/tests/integration/acsim.sh"

[[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root (namespaces, XDP)"; exit 77; }
if [[ ! -x $PPPOE_XDP || ! -x $ACSIM ]]; then
	echo "missing $PPPOE_XDP or $ACSIM (make all test-tools)" >&2
	exit 1
fi
CANARY="Canary-$RANDOM$RANDOM-pw"
KEEP=0000000000003000 # CAP_NET_ADMIN (12) + CAP_NET_RAW (13)
SHELL_BND=$(awk '/^CapBnd/ { print $2 }' /proc/self/status)

# hard_acsim AUTH: the AC, with the canary as every user's password
hard_acsim() {
	acsim_start -a "$1" -N 64 -U 16 -u 'u%d' -p "$CANARY" --pool 10.100.0.0 --echo 0
}

# field NAME KEY: one field of session NAME from status --json
field() {
	px status --json 2>/dev/null | python3 -c '
import json, sys
for s in json.load(sys.stdin)["sessions"]:
    if s["name"] == sys.argv[1]:
        print(s.get(sys.argv[2]))' "$1" "$2"
}
is_up() { [[ $(field "$1" state) == up ]]; }
ups_at_least() { is_up "$1" && (($(field "$1" ups) >= $2)); }
n_sessions() { px status --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sessions"]))'; }

# cap FIELD [PID]: CapEff etc. of PID (default: the daemon)
cap() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/${2:-$DAEMON_PID}/status"; }
decode() { command -v capsh >/dev/null && capsh --decode="$1" | sed 's/^0x[0-9a-f]*=//'; }

# caps_ok BND: the daemon keeps exactly NET_ADMIN+NET_RAW, bounding set BND
caps_ok() {
	local e p b i a
	e=$(cap CapEff) p=$(cap CapPrm) b=$(cap CapBnd) i=$(cap CapInh) a=$(cap CapAmb)
	echo "CapEff $e ($(decode "$e")) CapPrm $p CapBnd $b ($(decode "$b")) CapInh $i CapAmb $a"
	[[ $e == "$KEEP" && $p == "$KEEP" && $b == "$1" && $i == 0000000000000000 &&
		$a == 0000000000000000 ]]
}

# hook_caps_ok WANT_EFF WANT_BND: every hook dump shows these
hook_caps_ok() {
	local f n=0 bad=0
	for f in "$HOOKOUT"/*.caps; do
		[[ -e $f ]] || continue
		n=$((n + 1))
		grep -q "^CapEff:[[:space:]]*$1\$" "$f" && grep -q "^CapBnd:[[:space:]]*$2\$" "$f" ||
			{ echo "$f:"; cat "$f"; bad=1; }
	done
	echo "$n hook dumps"
	((n > 0 && bad == 0))
}

no_xdp() { ! ip -n "$LAB_CL" link show cl0 | grep -q xdp; }
no_tuns() { [[ -z $(ip -n "$LAB_CL" -o link show type tun) ]]; }
no_rules() { ! ip -n "$LAB_CL" rule | grep -qE 'lookup (10[0-9][0-9])\b'; }
n_rules() { ip -n "$LAB_CL" rule | grep -cE 'lookup (10[0-9][0-9])\b'; }

# canary_absent DIR: the canary is in no file under DIR
canary_absent() {
	local hits
	hits=$(grep -rlaF -- "$CANARY" "$1")
	[[ -z $hits ]] && { echo "searched $(find "$1" -type f | wc -l) files"; return 0; }
	echo "canary found in:"
	echo "$hits"
	grep -raF -- "$CANARY" "$1" | head -5
	return 1
}

# memscan PID: where the canary is in PID's readable memory (one line each)
memscan() {
	python3 - "$1" "$CANARY" <<'EOF'
import re, sys
# the canary as configured, and in UTF-16LE as MS-CHAPv2 hashes it
pid, needles = sys.argv[1], (sys.argv[2].encode(), sys.argv[2].encode("utf-16-le"))
with open(f"/proc/{pid}/maps") as m, open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for line in m:
        f = line.split()
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        if "r" not in f[1]:
            continue
        name = f[5] if len(f) > 5 else "anon"
        try:
            mem.seek(lo)
            data = mem.read(hi - lo)
        except (OSError, ValueError, OverflowError):
            continue
        for needle in needles:
            for mo in re.finditer(re.escape(needle), data):
                print(f"{name} {f[1]} size {hi - lo} offset {mo.start()}")
EOF
}

hooks_dir() {
	local s
	mkdir -p "$LAB_DIR/hooks" "$HOOKOUT" && chmod 0755 "$LAB_DIR/hooks" "$HOOKOUT"
	for s in up down; do
		cat >"$LAB_DIR/hooks/$s.sh" <<EOF
#!/bin/sh
f=$HOOKOUT/$s.\$IFNAME.\$\$
tr '\\0' '\\n' </proc/\$\$/environ >\$f.env
for a in "\$0" "\$@"; do printf '[%s]\\n' "\$a"; done >\$f.argv
grep ^Cap /proc/\$\$/status >\$f.caps
if [ $s = up ]; then
	ip route add 198.51.100.0/24 dev "\$IFNAME" table 4242 metric \$\$ && echo ok >\$f.route
fi
exit 0
EOF
		chmod 0755 "$LAB_DIR/hooks/$s.sh"
	done
}

# write_conf FILE PWLINE HOOKCAPS [EXTRA-SESSION]
write_conf() {
	(umask 077 && cat >"$1") <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
metrics_listen = 127.0.0.1:9464
route_table_range = 1000-1099
hook_capabilities = $3
up_script = $LAB_DIR/hooks/up.sh
down_script = $LAB_DIR/hooks/down.sh
holdoff = 1

[session s]
count = 2
user = u%d
$2
ifname = pph%d
route_table = auto
${4:-}
EOF
}

# round N AUTH LOGOPT PWSRC HOOKCAPS
round() {
	local n=$1 auth=$2 logopt=$3 pwsrc=$4 hcaps=$5 pwline conf out bnd hook_eff hits
	out=$LAB_DIR/out/round$n
	HOOKOUT=$out/hooks
	mkdir -p "$out"
	hooks_dir
	echo "== round $n: $auth, log ${logopt:-default}, password $pwsrc, hook_capabilities $hcaps"
	if [[ $pwsrc == file ]]; then
		(umask 077 && printf '%s\n' "$CANARY" >"$LAB_DIR/pw")
		pwline="password_file = $LAB_DIR/pw"
	else
		pwline="password = $CANARY"
	fi
	conf=$LAB_DIR/px.conf
	write_conf "$conf" "$pwline" "$hcaps"
	hard_acsim "$auth" || { check "acsim-server started" false; return; }
	DAEMON_LOG=$out/daemon.log # lab.sh: daemon_start, lab_cleanup
	export DAEMON_LOG
	daemon_start "$conf" $logopt
	check "sessions s1 s2 up" wait_for 20 eval 'is_up s1 && is_up s2'
	if [[ $hcaps == all ]]; then
		bnd=$SHELL_BND hook_eff=$SHELL_BND
	else
		bnd=$KEEP hook_eff=$KEEP
	fi
	check "daemon keeps NET_ADMIN+NET_RAW only (bounding $bnd)" caps_ok "$bnd"
	check "control socket is mode 0600" test "$(stat -c %a "$CTL")" = 600
	cp "/proc/$DAEMON_PID/cmdline" "$out/cmdline"
	cp "/proc/$DAEMON_PID/environ" "$out/environ"
	cp "$LAB_DIR/state" "$out/state.up" 2>/dev/null
	check "rules added with dropped caps" test "$(n_rules)" -ge 2

	px redial s1 >"$out/redial.txt" 2>&1
	check "redial s1 comes back" wait_for 20 ups_at_least s1 2

	write_conf "$conf" "$pwline" "$hcaps" "$(printf '[session c]\nuser = u3\n%s\nifname = phc\ndefaultroute = yes' "$pwline")"
	px reload >"$out/reload.txt" 2>&1
	check "reload adds session c (TUN, MAC map, routes)" wait_for 20 is_up c
	check "default route via phc" eval "ip -n $LAB_CL route show default | grep -q phc"
	check "hooks add routes with their capabilities" eval "ls $HOOKOUT/*.route | grep -q ."
	px status >"$out/status.txt" 2>&1
	px status --json >"$out/status.json" 2>&1
	px metrics >"$out/metrics.txt" 2>&1
	ip netns exec "$LAB_CL" curl -s --max-time 5 http://127.0.0.1:9464/metrics >"$out/http.txt" 2>&1
	check "status, metrics over the socket and HTTP" eval \
		"grep -q phc $out/status.txt && grep -q '\"phc\"' $out/status.json &&
		 grep -q pppoe_xdp_ $out/metrics.txt && grep -q pppoe_xdp_ $out/http.txt"
	# What a spoofer needs for a PADT: on the control socket, not over HTTP.
	check "session id and AC MAC on the control socket, not over HTTP" eval \
		"grep -q 'pppoe_xdp_session_info{session=\"s1\",.*,ac_mac=\".*\",session_id=\"[1-9]' $out/metrics.txt &&
		 grep -q 'pppoe_xdp_session_info{session=\"s1\",ifname=\"[^\"]*\",ac_name=\"[^\"]*\"} 1' $out/http.txt &&
		 ! grep -Eq 'session_id|ac_mac' $out/http.txt"
	cp "$LAB_DIR/state" "$out/state.reload" 2>/dev/null
	check "caps unchanged after reload and redial" caps_ok "$bnd"
	check "hooks ran with CapEff $hook_eff, CapBnd $bnd" hook_caps_ok "$hook_eff" "$bnd"

	memscan "$DAEMON_PID" >"$LAB_DIR/memscan.$n.live"
	check "memory scan sees the canary while sessions use it" grep -q . "$LAB_DIR/memscan.$n.live"
	# Every session with the canary goes: then it must be nowhere.
	write_conf "$conf" "password = Other-pw" "$hcaps"
	px reload >>"$out/reload.txt" 2>&1
	wait_for 10 eval '[[ $(px status | grep -c "^s[12] ") -eq 2 && -z $(ip -n '"$LAB_CL"' -o link show phc 2>/dev/null) ]]'
	sleep 0.5
	memscan "$DAEMON_PID" >"$LAB_DIR/memscan.$n"
	if [[ $auth != pap ]]; then
		check "canary not in daemon memory once unused ($auth)" eval "! grep . $LAB_DIR/memscan.$n"
	else
		# The wire copies (AF_XDP frames, the stack frame they were
		# built in) are not ours to wipe here; heap copies are.
		echo "  info memory after removal (pap): $(wc -l <"$LAB_DIR/memscan.$n") copies"
		sed 's/^/         /' "$LAB_DIR/memscan.$n"
		check "canary not on the daemon's heap once unused (pap)" \
			eval "! grep -q '^\[heap\]' $LAB_DIR/memscan.$n"
	fi

	check "SIGTERM: clean exit" daemon_stop 10
	check "no XDP program left on cl0" no_xdp
	check "no TUN left" no_tuns
	check "no rule left" no_rules
	check "state file removed" test ! -e "$LAB_DIR/state"
	check "log shows the caps drop, auth, reload, hooks" eval \
		"grep -q 'capabilities: kept CAP_NET_ADMIN and CAP_NET_RAW' $out/daemon.log &&
		 grep -qi '${auth/mschapv2/ms-chapv2}: authenticated' $out/daemon.log &&
		 grep -q 'reload: ' $out/daemon.log && grep -q 'up.sh' $out/daemon.log"
	check "canary in no log, output, dump or state file" canary_absent "$out"
	acsim_stop
	rm -f "$LAB_DIR/pw"
}

acsim_lab_setup || exit 1
ip -n "$LAB_CL" link set lo up

ROUNDS=(
	'1 pap "" inline net'
	'2 pap -v inline net'
	'3 pap "" file net'
	'4 pap -v file all'
	'5 chap "" inline net'
	'6 chap -v inline all'
	'7 chap "" file net'
	'8 chap -v file net'
	'9 mschapv2 "" inline net'
	'10 mschapv2 -v file net'
)
for r in ${HARDENING_ROUNDS:-1 2 3 4 5 6 7 8 9 10}; do
	eval "round ${ROUNDS[r - 1]}"
done

echo "== refusals"
refused() { # MODE WHAT: check -c refuses a file of that mode, naming it and why
	local f=$LAB_DIR/perm.conf pw=$LAB_DIR/perm.pw out rc
	rm -f "$f" "$pw"
	if [[ $2 == config ]]; then
		printf '[global]\ninterface = cl0\n[session s]\nuser = u\npassword = %s\n' "$CANARY" >"$f"
		chmod "$1" "$f"
	else
		printf '%s\n' "$CANARY" >"$pw"
		chmod "$1" "$pw"
		printf '[global]\ninterface = cl0\n[session s]\nuser = u\npassword_file = %s\n' "$pw" >"$f"
		chmod 0600 "$f"
	fi
	out=$(ip netns exec "$LAB_CL" "$PPPOE_XDP" run -c "$f" 2>&1)
	rc=$?
	echo "status $rc: $out"
	[[ $rc -eq 2 ]] || return 1
	[[ $out != *"$CANARY"* ]] || return 1
	if [[ $2 == config ]]; then
		[[ $out == *"$f:5: the file holds a password but group or others can read it (mode $1)"* ]]
	else
		[[ $out == *"password_file '$pw' is accessible by group or others (mode $1)"* ]]
	fi
}
for m in 0640 0604; do
	check "config with a password, mode $m, refused" refused "$m" config
	check "password file mode $m refused" refused "$m" password
done

echo "== starting without what setup needs"
# start_fails WANT_RC PATTERN CONF SETPRIV-ARGS...: run fails so, saying PATTERN
start_fails() {
	local want=$1 pat=$2 conf=$3 out rc
	shift 3
	out=$(ip netns exec "$LAB_CL" timeout 10 setpriv "$@" "$PPPOE_XDP" run -c "$conf" 2>&1)
	rc=$?
	echo "status $rc: $out"
	[[ $rc -eq $want && $out == *$pat* && $out != *"$CANARY"* ]]
}
conf=$LAB_DIR/px.conf
write_conf "$conf" "password = $CANARY" net
check "as nobody: says it must be root and what it needs" \
	start_fails 1 "must be started as root*CAP_NET_ADMIN (*CAP_SYS_ADMIN (" "$conf" \
	--reuid=65534 --regid=65534 --clear-groups --inh-caps=-all
check "root without CAP_SYS_ADMIN: names it and what for" \
	start_fails 1 "lacks capabilities it needs for setup: CAP_SYS_ADMIN (loading the XDP" "$conf" \
	--bounding-set=-sys_admin
check "root without CAP_SETPCAP: names it, or hook_capabilities = all" \
	start_fails 1 "CAP_SETPCAP (dropping the bounding set*hook_capabilities = all" "$conf" \
	--bounding-set=-setpcap
check "no daemon was left running" eval "! pgrep -f 'pppoe-xdp run -c $conf'"

lab_done
