# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# ac.sh - run a real PPPoE access concentrator (rp-pppoe's pppoe-server +
# pppd) for integration tests, inside a User-mode Linux guest.
#
# The host kernel has no PPP support (no /dev/ppp), so the AC runs in a UML
# guest whose root file system is the host's "/" (hostfs, read-only) and whose
# network interface vec0 is a raw-socket twin of a host interface (typically
# one end of a veth pair inside a network namespace).  Everything PPP happens
# inside the guest kernel; on the host it is just Ethernet frames on IFACE.
#
# Usage (bash, as root):
#
#   . tests/ac/ac.sh
#   trap ac_stop EXIT
#   ac_start NETNS IFACE [AC_SETTING=VALUE | --setting=VALUE ...]
#   ...  (run the client under test on the other end of the veth)
#   ac_wait_log 'PAP peer authentication succeeded'
#   ac_sessions                      # list sessions
#   ac_kill_sessions -m term         # AC hangs up: LCP TermReq + PADT
#   ac_stop
#
# Settings are environment variables (defaults in brackets); ac_start's
# optional arguments are the same assignments, either as AC_NAME=VALUE or
# --name=value (lower case, '-' for '_', without the AC_ prefix), and they
# stay set afterwards just as if they had been assigned before the call.
#
#   AC_AUTH               pap | chap | mschap-v2 | none             [pap]
#   AC_USERS              whitespace-separated user:password   [test:test]
#                         (split at the first ':'); user '*' is a wildcard;
#                         with PAP an empty password ('*:') accepts any one
#   AC_NAME               AC-Name tag, pppoe-server -C       [pppoe-xdp-ac]
#   AC_SERVICE            service name(s) offered, -S each; empty = any  []
#   AC_LOCAL_IP           AC's PPP address, -L                  [10.64.0.1]
#   AC_POOL_START         first client address, -R            [10.64.0.100]
#   AC_MAX_SESSIONS       -N                                           [16]
#   AC_MAX_PER_MAC        -x (sessions per client MAC); empty = no limit []
#   AC_LCP_ECHO_INTERVAL  seconds between LCP echo requests; 0 = off   [10]
#   AC_LCP_ECHO_FAILURE   unanswered echoes before the AC hangs up      [3]
#   AC_DNS                addresses sent with ms-dns  [10.64.0.53 10.64.0.54]
#   AC_IPV6               1 = load ipv6 and negotiate IPV6CP, 0 = noipv6 [0]
#   AC_DHCP6              1 = a DHCPv6 server (Kea) on every
#                         session's ppp interface, started by pppd's
#                         ipv6-up (implies AC_IPV6=1): addresses
#                         2001:db8:0:1::100-1ff (IA_NA), /56 prefixes of
#                         2001:db8:100::/40 (IA_PD), one lease file for
#                         all, so a client's lease survives its redial   [0]
#   AC_DHCP6_TIMES        "T1 T2 PREFERRED VALID" in seconds  [10 16 30 60]
#   AC_VLAN               if set (1..4094), pppoe-server runs on VLAN device
#                         vec0.ID in the guest. The raw transport loses
#                         tags (the host kernel hands them over as
#                         metadata), so the guest's vec0 is then a tap,
#                         bridged with IFACE in NETNS (bridge pxacbr0, tap
#                         pxactap0, removed again by ac_stop)             []
#   AC_RADVD              with AC_IPV6=1: 1 = radvd advertises on each
#                         session's pppN the prefix AC_IPV6_PREFIX:N::/64
#                         (N = the ppp unit, hex), router lifetime 1800 s;
#                         pppN also gets AC_IPV6_PREFIX:N::1/64 and the
#                         guest's lo AC_IPV6_PREFIX:ffff::1/128, forwarding
#                         on; radvd's log is $AC_DIR/rw/radvd.log         [0]
#   AC_IPV6_PREFIX        the first 48 bits of those prefixes  [2001:db8:64]
#   AC_HTTP_DIR           if set, busybox httpd serves this directory     []
#   AC_HTTP_PORT          httpd port                                     [80]
#   AC_HTTP_ADDR          httpd bind address; empty = all addresses       []
#   AC_PPPD_OPTS          extra pppd option lines for the AC's sessions;
#                         applied last, so they override pppoe-server's own
#                         (e.g. "mru 1400", "mtu 1400", "novj")         []
#   AC_SERVER_ARGS        extra pppoe-server arguments (word-split)       []
#   AC_TIMEOUT            seconds to wait for the guest to be ready      [30]
#   AC_MEM                guest memory                                 [256M]
#   AC_UML                UML kernel binary                       [linux.uml]
#   AC_VEC_OPTS           extra options of the guest's vec0 (raw transport);
#                         vec=0 reads one frame per call: the vector (batch)
#                         receive of UML 7.x loses most frames of a TCP upload
#                         from the client (1 MiB took minutes)     [,vec=0]
#   AC_TMPDIR             where instance directories are created      [/tmp]
#   AC_KEEP               1 = keep the instance directory after ac_stop   [0]
#   AC_SAVE_LOG           directory to copy the logs into at ac_stop      []
#   AC_WATCH_PID          the guest is killed when this process dies;
#                         0 = no watchdog                                [$$]
#
# Exported after ac_start:
#   AC_DIR      instance directory (all state; removed by ac_stop)
#   AC_LOG      guest console log: init messages and pppd's debug log
#               ("PAP peer authentication succeeded for test", "Connect time",
#               "LCP terminated by peer", ...)
#   AC_DHCP6_LOG  (AC_DHCP6=1) Kea's log (DHCP6_PACKET_RECEIVED ... RENEW,
#               DHCP6_LEASE_ALLOC, DHCP6_PD_LEASE_ALLOC, DHCP6_PD_LEASE_RENEW..)
#   AC_DHCP6_LEASES  (AC_DHCP6=1) Kea's lease file (CSV)
#   AC_SYSLOG   guest syslog (pppoe-server: "Session N created for client
#               MAC (IP) on vec0 ...", "Session N closed for client ...")
#   AC_EVENTS   one line per session event, written by pppd hook scripts:
#                 auth-up IFNAME peer=USER
#                 ip-up IFNAME local=IP peer=IP user=USER dns1=.. dns2=..
#                 ip-down IFNAME local=IP peer=IP connect_time=S
#                         bytes_sent=N bytes_rcvd=N
#                 ipv6-up IFNAME local=LL remote=LL  (AC_IPV6=1)
#                 ipv6-down IFNAME
#   AC_MAC      MAC address of the AC (guest's vec0)
#   AC_PGID     host process group of the guest
#   AC_BOOT_SECS  seconds from launch to ready
#
# Functions:
#   ac_start NETNS IFACE [SETTINGS...]   boot the AC, wait until it is ready
#   ac_stop [DIR...]                     kill guest(s) (default: all started),
#                                        remove their directories; idempotent
#   ac_exec [-d DIR] [-t SECS] CMD...    run shell code in the guest; prints
#                                        its output, returns its exit status
#   ac_sessions [-d DIR]                 list live sessions, one per line:
#       IFNAME pid=PID sid=SESSION_ID mac=CLIENT_MAC local=IP peer=IP user=U
#       state=running|frozen       ("-" for what is not known yet)
#   ac_kill_sessions [-d DIR] [-m MODE] [TARGET...]
#       act on the sessions matching TARGET (interface, pppd pid, session id,
#       client MAC, peer IP or user; none = all).  MODE:
#         term    (default) pppd sends LCP Terminate-Request, then PADT
#         padt    PADT only (the pppoe helper is terminated), no LCP
#         freeze  SIGSTOP the session: silence, no echo replies, no PADT;
#                 the client must notice by LCP echo failure.  The session
#                 stays until a later term/padt (which then sends a PADT
#                 with the stale session id) or ac_stop.
#       Prints one line per session acted on; returns 1 if TARGETs were
#       given and none matched.
#   ac_wait_log [-f FILE] [-t SECS] [-n COUNT] ERE
#                                        wait (default 20 s) until FILE
#                                        (default $AC_LOG) has COUNT (default
#                                        1) lines matching ERE
#   ac_wait_sessions [-d DIR] N [SECS]   wait until the AC has N sessions
#   ac_dump [DIR]                        print logs to stderr (diagnostics)
#   ac_client_start NETNS IFACE [SETTINGS...]
#       boot a reference PPPoE client (pppd + rp-pppoe.so) in another guest;
#       settings AC_CLIENT_USER [test], AC_CLIENT_PASSWORD [test],
#       AC_CLIENT_SERVICE, AC_CLIENT_ACNAME, AC_CLIENT_OPTS (extra pppd
#       option lines), AC_IPV6, AC_TIMEOUT, AC_MEM; exports AC_CLIENT_DIR,
#       AC_CLIENT_LOG, AC_CLIENT_EVENTS, AC_CLIENT_MAC, AC_CLIENT_PGID.  Use
#       ac_exec -d "$AC_CLIENT_DIR" ... to run commands in it.
#
# Control channel: the guest mounts $AC_DIR/rw read-write (a second hostfs
# mount) and its init polls $AC_DIR/rw/ctl every 0.1 s for ID.req files
# (shell code, created atomically by rename), runs them, and leaves ID.out
# and ID.rc (renamed into place when done).  See guest-init.sh.
#
# Several guests may run at once (e.g. two ACs); AC_DIR points to the most
# recently started AC, and the other functions take a directory to pick one.

[[ -n ${_AC_SH_LOADED-} ]] && return 0
_AC_SH_LOADED=1

_AC_SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
_AC_INSTANCES=()

# Settings accepted as ac_start / ac_client_start arguments.
_AC_SETTINGS=" AUTH USERS NAME SERVICE LOCAL_IP POOL_START MAX_SESSIONS
 MAX_PER_MAC LCP_ECHO_INTERVAL LCP_ECHO_FAILURE DNS IPV6 VLAN RADVD IPV6_PREFIX
 DHCP6 DHCP6_TIMES HTTP_DIR
 HTTP_PORT HTTP_ADDR PPPD_OPTS SERVER_ARGS TIMEOUT MEM UML TMPDIR KEEP
 SAVE_LOG WATCH_PID CLIENT_USER CLIENT_PASSWORD CLIENT_SERVICE
 CLIENT_ACNAME CLIENT_OPTS "

_ac_err() { echo "ac: $*" >&2; }

# _ac_sq STRING: quote STRING for a POSIX shell (single quotes).
_ac_sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# _ac_pq STRING: quote STRING for a pppd options or secrets file.
_ac_pq() {
	local s=${1//\\/\\\\}
	printf '"%s"' "${s//\"/\\\"}"
}

# _ac_set_args ARG...: apply AC_X=VALUE / --x=value settings.
_ac_set_args() {
	local a name known=" ${_AC_SETTINGS//[[:space:]]/ } "
	for a; do
		case $a in
		AC_*=*) name=${a%%=*} ;;
		--*=*)
			name=${a%%=*}
			name=${name#--}
			name=${name^^}
			name=AC_${name//-/_}
			;;
		*)
			_ac_err "bad argument '$a' (expected AC_NAME=VALUE or --name=value)"
			return 1
			;;
		esac
		if [[ $known != *" ${name#AC_} "* ]]; then
			_ac_err "unknown setting '$name'"
			return 1
		fi
		printf -v "$name" '%s' "${a#*=}"
		export "${name?}"
	done
}

# _ac_group_alive PGID: true while a non-zombie process is in the group.
_ac_group_alive() {
	ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { f = 1 }
		END { exit !f }'
}

# _ac_gc BASE: remove instance directories under BASE left behind by tests
# that died without ac_stop when even the watchdog could not clean up
# (e.g. the guest's process group was killed from outside): guest gone,
# untouched for 10 minutes, not kept with AC_KEEP=1.
_ac_gc() {
	local d pgid shm
	for d in "$1"/pppoe-ac.* "$1"/pppoe-client.*; do
		[[ -f $d/pgid && ! -e $d/keep ]] || continue
		[[ -n $(find "$d" -maxdepth 0 -mmin +10 2>/dev/null) ]] || continue
		pgid=$(cat "$d/pgid" 2>/dev/null) || continue
		[[ $pgid =~ ^[0-9]+$ ]] || continue
		_ac_group_alive "$pgid" && continue
		shm=$(cat "$d/umltmp" 2>/dev/null) || true
		if [[ $shm == /dev/shm/pppoe-uml.* ]]; then rm -rf "$shm" || true; fi
		rm -rf "$d" || true
	done
	return 0
}

# _ac_write_ppp_files DIR ROLE: generate DIR/ppp/* (copied to /etc/ppp).
_ac_write_ppp_files() {
	local dir=$1 role=$2 e user pass a
	mkdir -p "$dir/ppp" || return 1

	# Secrets (used by the AC; harmless for the client).
	{
		echo "# client server secret addresses (generated by ac.sh)"
		for e in ${AC_USERS-test:test}; do
			user=${e%%:*}
			pass=
			[[ $e == *:* ]] && pass=${e#*:}
			echo "$(_ac_pq "$user") * $(_ac_pq "$pass") *"
		done
	} >"$dir/ppp/pap-secrets"
	cp "$dir/ppp/pap-secrets" "$dir/ppp/chap-secrets"

	if [[ $role == ac ]]; then
		{
			echo "# pppd options for pppoe-server sessions (generated by ac.sh)"
			case ${AC_AUTH-pap} in
			pap) echo require-pap ;;
			chap) echo require-chap ;;
			mschap-v2) echo require-mschap-v2 ;;
			none) echo noauth ;;
			*) _ac_err "AC_AUTH must be pap, chap, mschap-v2 or none"; return 1 ;;
			esac
			for a in ${AC_DNS-10.64.0.53 10.64.0.54}; do
				echo "ms-dns $a"
			done
			if [[ ${AC_LCP_ECHO_INTERVAL-10} != 0 ]]; then
				echo "lcp-echo-interval ${AC_LCP_ECHO_INTERVAL-10}"
				echo "lcp-echo-failure ${AC_LCP_ECHO_FAILURE-3}"
			fi
			if [[ ${AC_IPV6-0} == 1 || ${AC_DHCP6-0} == 1 ]]; then
				echo "+ipv6"
			else
				echo noipv6
			fi
			echo debug
			echo "logfile /dev/console"
		} >"$dir/ppp/pppoe-server-options" || return 1
		if [[ ${AC_DHCP6-0} == 1 ]]; then
			_ac_write_dhcpd6 "$dir/kea6.json" || return 1
		fi
		# read after pppoe-server's options by the pppd wrapper
		printf '%s\n' "${AC_PPPD_OPTS-}" >"$dir/ppp/pppoe-server-options-late" ||
			return 1
	else
		{
			echo "# pppd options for the reference client (generated by ac.sh)"
			echo "plugin rp-pppoe.so"
			echo "nic-vec0"
			echo "user $(_ac_pq "${AC_CLIENT_USER-test}")"
			echo "password $(_ac_pq "${AC_CLIENT_PASSWORD-test}")"
			[[ -n ${AC_CLIENT_SERVICE-} ]] &&
				echo "rp_pppoe_service $(_ac_pq "$AC_CLIENT_SERVICE")"
			[[ -n ${AC_CLIENT_ACNAME-} ]] &&
				echo "rp_pppoe_ac $(_ac_pq "$AC_CLIENT_ACNAME")"
			echo noauth
			echo nodetach
			echo usepeerdns
			if [[ ${AC_IPV6-0} == 1 ]]; then echo "+ipv6"; else echo noipv6; fi
			echo debug
			echo "logfile /dev/console"
			if [[ -n ${AC_CLIENT_OPTS-} ]]; then printf '%s\n' "$AC_CLIENT_OPTS"; fi
		} >"$dir/ppp/client-options" || return 1
	fi
}

# _ac_write_dhcpd6 FILE: the guest's Kea DHCPv6 configuration; @IF@ is the
# session's ppp interface (ipv6-up fills it in).
_ac_write_dhcpd6() {
	local t1 t2 pref valid
	read -r t1 t2 pref valid <<<"${AC_DHCP6_TIMES:-10 16 30 60}"
	if ! [[ $t1 =~ ^[0-9]+$ && $t2 =~ ^[0-9]+$ && $pref =~ ^[0-9]+$ && $valid =~ ^[0-9]+$ ]]; then
		_ac_err "AC_DHCP6_TIMES must be four numbers: T1 T2 PREFERRED VALID"
		return 1
	fi
	cat >"$1" <<EOF
{ "Dhcp6": {
  "interfaces-config": { "interfaces": [ "@IF@" ], "re-detect": false },
  "lease-database": { "type": "memfile", "persist": true,
                      "name": "/run/host/kea6.leases", "lfc-interval": 0 },
  "server-id": { "type": "LL", "htype": 1, "identifier": "02000000d601", "persist": false },
  "renew-timer": $t1, "rebind-timer": $t2,
  "preferred-lifetime": $pref, "valid-lifetime": $valid,
  "option-data": [ { "name": "dns-servers", "data": "2001:db8::53" },
                   { "name": "domain-search", "data": "lab.example" } ],
  "subnet6": [ { "id": 1, "subnet": "2001:db8:0:1::/64", "interface": "@IF@",
      "pools": [ { "pool": "2001:db8:0:1::100 - 2001:db8:0:1::1ff" } ],
      "pd-pools": [ { "prefix": "2001:db8:100::", "prefix-len": 40, "delegated-len": 56 } ] } ],
  "loggers": [ { "name": "kea-dhcp6",
      "output_options": [ { "output": "/run/host/kea6.log", "flush": true } ],
      "severity": "INFO" } ]
} }
EOF
}

# _ac_write_config DIR ROLE: variables for guest-init.sh.
_ac_write_config() {
	local dir=$1 role=$2 listen='' httpdir=''
	if [[ -n ${AC_HTTP_DIR-} && $role == ac ]]; then
		# absolute: the guest sees the host's tree from /
		httpdir=$(cd "$AC_HTTP_DIR" && pwd -P) || return 1
		listen=${AC_HTTP_PORT:-80}
		[[ -n ${AC_HTTP_ADDR-} ]] && listen=$AC_HTTP_ADDR:$listen
	fi
	{
		echo "ROLE=$(_ac_sq "$role")"
		echo "GUEST_HOSTNAME=$(_ac_sq "pppoe-$role")"
		if [[ ${AC_DHCP6-0} == 1 && $role == ac ]]; then
			echo "IPV6='1'"
			echo "DHCP6='1'"
		else
			echo "IPV6=$(_ac_sq "${AC_IPV6-0}")"
			echo "DHCP6='0'"
		fi
		[[ $role == ac ]] && echo "VLAN=$(_ac_sq "${AC_VLAN-}")"
		echo "RADVD=$(_ac_sq "${AC_RADVD-0}")"
		echo "IPV6_PREFIX=$(_ac_sq "${AC_IPV6_PREFIX-2001:db8:64}")"
		echo "LOCAL_IP=$(_ac_sq "${AC_LOCAL_IP-10.64.0.1}")"
		echo "POOL_START=$(_ac_sq "${AC_POOL_START-10.64.0.100}")"
		echo "MAX_SESSIONS=$(_ac_sq "${AC_MAX_SESSIONS-16}")"
		echo "MAX_PER_MAC=$(_ac_sq "${AC_MAX_PER_MAC-}")"
		echo "AC_NAME=$(_ac_sq "${AC_NAME-pppoe-xdp-ac}")"
		echo "SERVICES=$(_ac_sq "${AC_SERVICE-}")"
		echo "SERVER_ARGS=$(_ac_sq "${AC_SERVER_ARGS-}")"
		echo "HTTP_DIR=$(_ac_sq "$httpdir")"
		echo "HTTP_LISTEN=$(_ac_sq "$listen")"
	} >"$dir/config"
}

# _ac_boot ROLE NETNS IFACE: create an instance directory, launch the guest
# and wait for its ready marker.  Sets _AC_BOOT_DIR and _AC_BOOT_MAC.
_ac_boot() {
	local role=$1 netns=$2 iface=$3
	local uml=${AC_UML:-linux.uml} base=${AC_TMPDIR:-/tmp}
	local timeout=${AC_TIMEOUT:-30} watch=${AC_WATCH_PID:-$$}
	local dir pgid lpid t0 line

	_AC_BOOT_DIR=
	_AC_BOOT_MAC=
	if ((EUID != 0)); then
		_ac_err "must run as root"; return 1
	fi
	if ! command -v "$uml" >/dev/null; then
		_ac_err "$uml not found (apt-get install user-mode-linux)"; return 1
	fi
	if ! ip netns exec "$netns" true 2>/dev/null; then
		_ac_err "network namespace '$netns' does not exist"; return 1
	fi
	if ! ip -n "$netns" link show dev "$iface" >/dev/null 2>&1; then
		_ac_err "no interface '$iface' in namespace '$netns'"; return 1
	fi
	if [[ -n ${AC_HTTP_DIR-} && $role == ac && ! -d $AC_HTTP_DIR ]]; then
		_ac_err "AC_HTTP_DIR '$AC_HTTP_DIR' is not a directory"; return 1
	fi
	# The vector raw transport needs the host interface up.
	ip -n "$netns" link set dev "$iface" up || return 1
	# AC_VLAN: tags survive a tap, not the raw transport. Bridge IFACE
	# with a tap in NETNS and give the guest the tap.
	local vec="transport=raw,ifname=$iface${AC_VEC_OPTS-,vec=0}" vlan_net=
	if [[ $role == ac && -n ${AC_VLAN-} ]]; then
		if ! [[ $AC_VLAN =~ ^[1-9][0-9]{0,3}$ ]] || ((AC_VLAN > 4094)); then
			_ac_err "AC_VLAN must be a VLAN ID 1..4094, not '$AC_VLAN'"; return 1
		fi
		_ac_vlan_net_up "$netns" "$iface" || return 1
		vec="transport=tap,ifname=pxactap0"
		vlan_net="$netns $iface"
	fi

	_ac_gc "$base"
	dir=$(mktemp -d "$base/pppoe-$role.XXXXXX") || return 1
	if [[ $dir == *[[:space:],]* ]]; then
		_ac_err "instance path '$dir' must not contain blanks or commas"
		rm -rf "$dir"; return 1
	fi
	_AC_INSTANCES+=("$dir")
	mkdir -p "$dir/rw/ctl" "$dir/tmp" "$dir/uml"
	# UML's guest memory is a file in TMPDIR; prefer tmpfs (/dev/shm) when
	# it allows PROT_EXEC mappings, otherwise use the instance directory.
	local umltmp=$dir/tmp
	if [[ -d /dev/shm && -w /dev/shm ]] &&
		! findmnt -n -o OPTIONS --target /dev/shm 2>/dev/null | grep -qw noexec &&
		umltmp=$(mktemp -d /dev/shm/pppoe-uml.XXXXXX); then
		echo "$umltmp" >"$dir/umltmp"
	else
		umltmp=$dir/tmp
	fi
	: >"$dir/rw/events"
	: >"$dir/rw/syslog"
	cp "$_AC_SRC_DIR/guest-init.sh" "$dir/guest-init.sh"
	chmod 755 "$dir/guest-init.sh"
	echo "$role" >"$dir/role"
	[[ -n $vlan_net ]] && echo "$vlan_net" >"$dir/vlan-net"
	if [[ ${AC_KEEP-0} == 1 ]]; then : >"$dir/keep"; fi
	_ac_write_config "$dir" "$role" || { _ac_stop_one "$dir"; return 1; }
	_ac_write_ppp_files "$dir" "$role" || { _ac_stop_one "$dir"; return 1; }

	# shellcheck disable=SC2054 # the commas belong to UML options
	local -a kargs=(
		"mem=${AC_MEM:-256M}"
		root=/dev/root rootfstype=hostfs ro
		"init=$dir/guest-init.sh"
		"vec0:$vec"
		con=null con0=fd:0,fd:1
		"uml_dir=$dir/uml" umid=guest
		quiet
	)

	# Launch in a new session (setsid) so the whole guest - UML runs every
	# guest process as a host process - is one process group that ac_stop
	# can kill.  A small watchdog in that group kills it (and removes the
	# instance's files) when AC_WATCH_PID (the test) dies, so a test that
	# dies without running ac_stop does not leak guests.
	t0=$(date +%s.%N)
	local rmdirs="$umltmp"
	[[ ${AC_KEEP-0} == 1 ]] || rmdirs+=" $dir"
	# shellcheck disable=SC2016 # $$ etc. expand in the inner shell
	setsid /bin/sh -c '
		echo $$ >"$1/pgid"
		w=$2 rmdirs=$3
		shift 3
		# (double fork: the watchdog must not be a child of the UML
		# kernel process, which reaps its children itself)
		if [ "$w" != 0 ]; then
			( (while kill -0 "$w" 2>/dev/null; do sleep 1; done
			   trap "" TERM
			   kill -TERM 0
			   sleep 1
			   rm -rf $rmdirs
			   kill -KILL 0) </dev/null >/dev/null 2>&1 & )
		fi
		exec "$@"
	' ac-launch "$dir" "$watch" "$rmdirs" \
		ip netns exec "$netns" env TMPDIR="$umltmp" "$uml" "${kargs[@]}" \
		</dev/null >"$dir/console.log" 2>&1 &
	lpid=$!
	echo "$lpid" >"$dir/launcher"

	# Wait for the ready marker.
	local deadline=$((SECONDS + timeout)) err=
	while :; do
		pgid=$(cat "$dir/pgid" 2>/dev/null) || true
		line=$(grep -m1 -a -E '^PPPOE-AC-(READY|FAILED)' "$dir/console.log") || true
		case $line in
		PPPOE-AC-READY*) break ;;
		PPPOE-AC-FAILED*) err="guest set-up failed: ${line#*: }" ;;
		esac
		if [[ -z $err && -n $pgid ]] && ! _ac_group_alive "$pgid"; then
			err="guest exited before it was ready"
		fi
		if [[ -z $err ]] && ((SECONDS >= deadline)); then
			err="no ready marker after ${timeout}s"
		fi
		if [[ -n $err ]]; then
			_ac_err "$role in $netns/$iface: $err; console log tail:"
			tail -n 25 "$dir/console.log" | sed 's/^/ac:   | /' >&2
			_ac_stop_one "$dir"
			return 1
		fi
		sleep 0.1
	done
	_AC_BOOT_SECS=$(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
	_AC_BOOT_MAC=$(sed -n 's/.* mac=\([0-9a-f:]*\).*/\1/p' <<<"$line")
	_AC_BOOT_PGID=$pgid
	_AC_BOOT_DIR=$dir
}

# _ac_vlan_net_up NETNS IFACE: bridge pxacbr0 with IFACE and tap pxactap0
# (idempotent: an AC restarted in the same namespace finds them there).
_ac_vlan_net_up() {
	local ns=$1 iface=$2
	if ! ip -n "$ns" link show pxacbr0 >/dev/null 2>&1; then
		ip -n "$ns" link add pxacbr0 type bridge || return 1
	fi
	if ! ip -n "$ns" link show pxactap0 >/dev/null 2>&1; then
		ip netns exec "$ns" ip tuntap add pxactap0 mode tap || return 1
	fi
	ip -n "$ns" link set "$iface" master pxacbr0 &&
		ip -n "$ns" link set pxactap0 master pxacbr0 &&
		ip -n "$ns" link set pxactap0 up &&
		ip -n "$ns" link set pxacbr0 up
}

# _ac_vlan_net_down DIR: undo _ac_vlan_net_up for the guest of DIR.
_ac_vlan_net_down() {
	local ns iface
	read -r ns iface <"$1/vlan-net" 2>/dev/null || return 0
	ip -n "$ns" link set "$iface" nomaster 2>/dev/null
	ip -n "$ns" link del pxactap0 2>/dev/null
	ip -n "$ns" link del pxacbr0 2>/dev/null
	return 0
}

# ac_start NETNS IFACE [SETTINGS...]: boot the AC (see the header).
ac_start() {
	if (($# < 2)); then
		_ac_err "usage: ac_start NETNS IFACE [AC_X=VALUE|--x=value ...]"
		return 2
	fi
	local netns=$1 iface=$2
	shift 2
	_ac_set_args "$@" || return 2
	_ac_boot ac "$netns" "$iface" || return 1
	export AC_DIR=$_AC_BOOT_DIR
	export AC_LOG=$AC_DIR/console.log
	export AC_SYSLOG=$AC_DIR/rw/syslog
	export AC_EVENTS=$AC_DIR/rw/events
	export AC_DHCP6_LOG=$AC_DIR/rw/kea6.log
	export AC_DHCP6_LEASES=$AC_DIR/rw/kea6.leases
	export AC_MAC=$_AC_BOOT_MAC
	export AC_PGID=$_AC_BOOT_PGID
	export AC_BOOT_SECS=$_AC_BOOT_SECS
	export AC_NETNS=$netns AC_IFACE=$iface
}

# ac_client_start NETNS IFACE [SETTINGS...]: boot the reference client.
ac_client_start() {
	if (($# < 2)); then
		_ac_err "usage: ac_client_start NETNS IFACE [AC_X=VALUE|--x=value ...]"
		return 2
	fi
	local netns=$1 iface=$2
	shift 2
	_ac_set_args "$@" || return 2
	_ac_boot client "$netns" "$iface" || return 1
	export AC_CLIENT_DIR=$_AC_BOOT_DIR
	export AC_CLIENT_LOG=$AC_CLIENT_DIR/console.log
	export AC_CLIENT_EVENTS=$AC_CLIENT_DIR/rw/events
	export AC_CLIENT_MAC=$_AC_BOOT_MAC
	export AC_CLIENT_PGID=$_AC_BOOT_PGID
}

# _ac_stop_one DIR: kill one guest and remove its directory.
_ac_stop_one() {
	local dir=$1 pgid lpid i role save=${AC_SAVE_LOG-}
	[[ -n $dir && -d $dir ]] || return 0
	pgid=$(cat "$dir/pgid" 2>/dev/null) || true
	if [[ $pgid =~ ^[0-9]+$ ]] && ((pgid > 1)) &&
		[[ $pgid != "$(ps -o pgid= -p $$ | tr -d ' ')" ]]; then
		# SIGTERM makes the UML kernel clean up and exit; SIGKILL whatever
		# is left (guest processes, the watchdog).
		kill -TERM -- "-$pgid" 2>/dev/null || true
		for ((i = 0; i < 20; i++)); do
			_ac_group_alive "$pgid" || break
			sleep 0.1
		done
		kill -KILL -- "-$pgid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			_ac_group_alive "$pgid" || break
			sleep 0.1
		done
		if _ac_group_alive "$pgid"; then
			_ac_err "process group $pgid survived SIGKILL"
		fi
	fi
	[[ -f $dir/vlan-net ]] && _ac_vlan_net_down "$dir"
	# Reap the launcher if it is our child (no-op otherwise).
	lpid=$(cat "$dir/launcher" 2>/dev/null) || true
	if [[ -n $lpid ]]; then wait "$lpid" 2>/dev/null || true; fi
	if [[ -n $save ]]; then
		role=$(cat "$dir/role" 2>/dev/null) || true
		mkdir -p "$save" || true
		cp "$dir/console.log" "$save/${role}-${dir##*.}.console.log" 2>/dev/null || true
		cp "$dir/rw/syslog" "$save/${role}-${dir##*.}.syslog" 2>/dev/null || true
		cp "$dir/rw/events" "$save/${role}-${dir##*.}.events" 2>/dev/null || true
	fi
	i=$(cat "$dir/umltmp" 2>/dev/null) || true
	if [[ $i == /dev/shm/pppoe-uml.* ]]; then rm -rf "$i" || true; fi
	if [[ ${AC_KEEP-0} == 1 ]]; then
		_ac_err "kept $dir"
	else
		rm -rf "$dir" || true
	fi
	local -a rest=()
	for i in "${_AC_INSTANCES[@]}"; do
		[[ $i != "$dir" ]] && rest+=("$i")
	done
	_AC_INSTANCES=("${rest[@]}")
	return 0
}

# ac_stop [DIR...]: stop the given guests, default all started by this shell.
# Safe to call repeatedly and from an EXIT trap.
ac_stop() {
	local d
	local -a dirs=("$@")
	((${#dirs[@]})) || dirs=("${_AC_INSTANCES[@]}")
	for d in "${dirs[@]}"; do
		_ac_stop_one "$d"
	done
	return 0
}

# ac_exec [-d DIR] [-t SECS] CMD...: run CMD (shell code, words joined by
# spaces) in the guest via the control channel.  The g_* helpers of
# guest-init.sh are available.  Prints the output, returns the exit status,
# or 124 on timeout.
ac_exec() {
	local dir=${AC_DIR-} timeout=20 o OPTIND=1
	while getopts d:t: o; do
		case $o in
		d) dir=$OPTARG ;;
		t) timeout=$OPTARG ;;
		*) return 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	if [[ -z $dir || ! -d $dir/rw/ctl ]]; then
		_ac_err "ac_exec: no running guest (AC_DIR unset?)"
		return 2
	fi
	local ctl=$dir/rw/ctl pgid id rc
	pgid=$(cat "$dir/pgid" 2>/dev/null) || true
	id=$(date +%s%N)-$BASHPID-$RANDOM
	printf '%s\n' "$*" >"$ctl/$id.tmp" && mv "$ctl/$id.tmp" "$ctl/$id.req" || return 2
	local deadline=$((SECONDS + timeout))
	until [[ -f $ctl/$id.rc ]]; do
		if ((SECONDS >= deadline)) || ! _ac_group_alive "$pgid"; then
			_ac_err "ac_exec: no answer from guest within ${timeout}s: $*"
			rm -f "$ctl/$id.req"
			return 124
		fi
		sleep 0.05
	done
	cat "$ctl/$id.out" 2>/dev/null || true
	rc=$(cat "$ctl/$id.rc") || true
	rm -f "$ctl/$id.out" "$ctl/$id.rc"
	return "${rc:-2}"
}

# ac_sessions [-d DIR]: list the AC's live sessions (see the header).
# Listing walks the guest's process table once per pppd: a busy guest may
# take much longer than ac_exec's default, and a slow answer is still an
# answer.
ac_sessions() {
	local dir=${AC_DIR-}
	if [[ ${1-} == -d ]]; then dir=$2; shift 2; fi
	ac_exec -d "$dir" -t 120 g_sessions
}

# ac_kill_sessions [-d DIR] [-m term|padt|hard] [TARGET...]: end sessions.
ac_kill_sessions() {
	local dir=${AC_DIR-} mode=term o OPTIND=1 t args=
	while getopts d:m: o; do
		case $o in
		d) dir=$OPTARG ;;
		m) mode=$OPTARG ;;
		*) return 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	for t; do args+=" $(_ac_sq "$t")"; done
	ac_exec -d "$dir" "g_kill $(_ac_sq "$mode")$args"
}

# ac_wait_log [-f FILE] [-t SECS] [-n COUNT] ERE: wait until FILE has at
# least COUNT (default 1) lines matching ERE.
ac_wait_log() {
	local file=${AC_LOG-} timeout=20 count=1 o OPTIND=1 n
	while getopts f:t:n: o; do
		case $o in
		f) file=$OPTARG ;;
		t) timeout=$OPTARG ;;
		n) count=$OPTARG ;;
		*) return 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	local deadline=$((SECONDS + timeout))
	while :; do
		n=$(grep -c -a -E -- "$1" "$file" 2>/dev/null) || true
		((${n:-0} >= count)) && return 0
		if ((SECONDS >= deadline)); then
			_ac_err "ac_wait_log: ${n:-0} of $count lines matching '$1' in $file after ${timeout}s"
			return 1
		fi
		sleep 0.1
	done
}

# ac_wait_sessions [-d DIR] N [SECS]: wait until the AC has exactly N
# sessions (default 20 s).
ac_wait_sessions() {
	local dir=${AC_DIR-}
	if [[ ${1-} == -d ]]; then dir=$2; shift 2; fi
	local want=$1 timeout=${2:-20} n
	local deadline=$((SECONDS + timeout))
	while :; do
		n=$(ac_sessions -d "$dir" | grep -c '^ppp') || true
		[[ $n == "$want" ]] && return 0
		if ((SECONDS >= deadline)); then
			_ac_err "ac_wait_sessions: $n sessions, wanted $want"
			return 1
		fi
		sleep 0.3
	done
}

# ac_dump [DIR]: print a guest's logs to stderr (for failing tests).
ac_dump() {
	local dir=${1:-${AC_DIR-}} f
	[[ -d $dir ]] || return 0
	for f in console.log rw/syslog rw/events rw/radvd.log; do
		echo "----- $dir/$f -----"
		cat "$dir/$f" 2>/dev/null || true
	done >&2
}
