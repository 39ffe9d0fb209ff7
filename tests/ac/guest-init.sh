#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# guest-init.sh - PID 1 of the User-mode Linux guests started by ac.sh.
#
# This script is NOT run on the host.  ac.sh copies it into a fresh instance
# directory ($D below) and boots linux.uml with init=$D/guest-init.sh.  The
# guest's root file system is the host's "/" (hostfs, read-only), so every
# host binary (pppd, pppoe-server, busybox, ip, ...) is available here, and
# $D is readable.  Writable state lives on tmpfs, and $D/rw is mounted
# read-write (second hostfs mount) on /run/host so the host can exchange
# files with the guest (control channel, events, syslog).
#
# Roles (ROLE in $D/config):
#   ac      rp-pppoe's pppoe-server spawning one pppd per session
#           (+ optional busybox httpd serving a directory)
#   client  pppd with the rp-pppoe.so plugin (a reference PPPoE client)
#
# Console protocol (the host greps the console log):
#   PPPOE-AC-READY role=ROLE mac=MAC   guest is up and the daemon is running
#   PPPOE-AC-FAILED: REASON            set-up failed, the guest halts
#   PPPOE-AC: MESSAGE                  informational
#
# Control channel: the host atomically creates /run/host/ctl/ID.req (shell
# code).  The loop at the end of this script sources it in a subshell with
# the g_* helpers below available, writes stdout+stderr to ID.out and the exit
# status to ID.rc (renamed into place last, so ID.rc means "done"), then
# removes ID.req.  Requests are executed one at a time, in name order.

set -u
PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
umask 022

D=$(dirname "$0")       # instance directory (host path, read-only view)
H=/run/host             # $D/rw, mounted read-write
S=/run/ac               # guest-private state (tmpfs)

say()  { echo "PPPOE-AC: $*"; }
# alive PID: true if PID exists and is not a zombie (no fork: runs in a loop)
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	read -r _a _b _st _rest <"/proc/$1/stat" || return 1
	[ "$_st" != Z ]
}
die()  {
	echo "PPPOE-AC-FAILED: $*"
	busybox halt -f
	sleep 3600
}

# ---------------------------------------------------------------------------
# Basic system set-up.  The root is read-only: writable places get tmpfs.
# ---------------------------------------------------------------------------
mount -t proc proc /proc || die "mount /proc"
mount -t sysfs sysfs /sys || die "mount /sys"
# devtmpfs is mounted on /dev by the kernel (CONFIG_DEVTMPFS_MOUNT)
[ -c /dev/null ] || mount -t devtmpfs devtmpfs /dev || die "mount /dev"
mkdir -p /dev/pts
mount -t devpts -o mode=620,ptmxmode=666 devpts /dev/pts || die "mount /dev/pts"
for d in /run /etc/ppp /var/log; do
	mount -t tmpfs -o mode=755 tmpfs "$d" || die "mount tmpfs on $d"
done
mkdir -p "$H" "$S" /run/lock /run/tmp
chmod 1777 /run/tmp
TMPDIR=/run/tmp
export TMPDIR

# No CR/LF translation on the console: the host greps the log line by line.
stty -onlcr </dev/console 2>/dev/null

mount -t hostfs -o "$D/rw" none "$H" || die "mount hostfs $D/rw on $H"

# shellcheck source=/dev/null
. "$D/config" || die "cannot read $D/config"

hostname "$GUEST_HOSTNAME"

# ---------------------------------------------------------------------------
# Kernel modules (the UML kernel has PPP as modules; modprobe cannot find
# them because they live outside /lib/modules, so insmod in dependency order).
# pppoe-server 3.15 (Debian) has no kernel-mode PPPoE: each session is pppd
# with "pty 'pppoe -n -I vec0 -e SID:MAC'", i.e. async PPP over a pty, hence
# ppp_async.  (Its -s sync mode would need N_HDLC, absent from this kernel.)
# The client role uses the kernel-mode rp-pppoe.so plugin (pppoe, pppox).
# ---------------------------------------------------------------------------
K=/usr/lib/uml/modules/$(uname -r)/kernel
[ -d "$K" ] || die "no UML modules in $K"
MODS="lib/crc-ccitt drivers/net/slip/slhc drivers/net/ppp/ppp_generic
      drivers/net/ppp/pppox drivers/net/ppp/pppoe drivers/net/ppp/ppp_async"
[ "$IPV6" = 1 ] && MODS="$MODS net/ipv6/ipv6"
# AC_VLAN: 802.1Q and what it needs (llc and stp may be built in).
[ -n "${VLAN-}" ] && MODS="$MODS net/llc/llc net/802/stp net/802/garp net/802/mrp net/8021q/8021q"
for m in $MODS; do
	b=${m##*/}
	f=$K/$m.ko
	# Newer UML kernels moved some (lib/crc/) or build them in.
	[ -e "$f" ] || f=$(find "$K" -name "$b.ko*" 2>/dev/null | head -n 1)
	if [ -z "$f" ]; then
		[ -d "/sys/module/$(echo "$b" | tr - _)" ] || [ "$b" = crc-ccitt ] ||
			[ "$b" = llc ] || [ "$b" = stp ] || die "no module $m"
		continue
	fi
	insmod "$f" || die "insmod $m"
done
[ -c /dev/ppp ] || die "/dev/ppp missing after loading ppp_generic"

# ---------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------
ip link set lo up || die "lo up"
ip link set vec0 up || die "vec0 up (is the host interface up?)"
MAC=$(cat /sys/class/net/vec0/address)
# AC_VLAN: the AC serves PPPoE on VLAN $VLAN of vec0 (a tap: tags intact).
PPPOE_IF=vec0
if [ -n "${VLAN-}" ]; then
	PPPOE_IF=vec0.$VLAN
	ip link add link vec0 name "$PPPOE_IF" type vlan id "$VLAN" || die "VLAN device $PPPOE_IF"
	ip link set "$PPPOE_IF" up || die "$PPPOE_IF up"
	say "PPPoE on $PPPOE_IF"
fi

# ---------------------------------------------------------------------------
# /etc/ppp: generated files from the host plus hook scripts that record
# session events in $H/events (one line per event, host-readable at once).
# ---------------------------------------------------------------------------
cp "$D"/ppp/* /etc/ppp/ || die "copy ppp configuration"
chmod 600 /etc/ppp/pap-secrets /etc/ppp/chap-secrets

# auth-up IFNAME PEERNAME USER TTY SPEED
cat >/etc/ppp/auth-up <<'EOF'
#!/bin/sh
echo "$2" >/run/ac/$1.user
echo "auth-up $1 peer=$2" >>/run/host/events
EOF
# ip-up IFNAME TTY SPEED LOCAL REMOTE IPPARAM
cat >/etc/ppp/ip-up <<'EOF'
#!/bin/sh
echo "ip-up $1 local=$4 peer=$5 user=${PEERNAME:--} dns1=${DNS1:--} dns2=${DNS2:--}" >>/run/host/events
EOF
cat >/etc/ppp/ip-down <<'EOF'
#!/bin/sh
rm -f /run/ac/$1.user
echo "ip-down $1 local=$4 peer=$5 connect_time=${CONNECT_TIME:--} bytes_sent=${BYTES_SENT:--} bytes_rcvd=${BYTES_RCVD:--}" >>/run/host/events
EOF
chmod 755 /etc/ppp/auth-up /etc/ppp/ip-up /etc/ppp/ip-down
# ipv6-up IFNAME TTY SPEED LOCAL-LL REMOTE-LL IPPARAM: the event, then every
# script of /etc/ppp/ipv6-up.d (radvd, DHCPv6 below) with the same arguments.
mkdir -p /etc/ppp/ipv6-up.d /etc/ppp/ipv6-down.d
cat >/etc/ppp/ipv6-up <<'EOF'
#!/bin/sh
echo "ipv6-up $1 local=$4 peer=$5" >>/run/host/events
for f in /etc/ppp/ipv6-up.d/*; do [ -x "$f" ] && "$f" "$@"; done
exit 0
EOF
cat >/etc/ppp/ipv6-down <<'EOF'
#!/bin/sh
echo "ipv6-down $1" >>/run/host/events
for f in /etc/ppp/ipv6-down.d/*; do [ -x "$f" ] && "$f" "$@"; done
exit 0
EOF
chmod 755 /etc/ppp/ipv6-up /etc/ppp/ipv6-down

# DHCPv6 (AC_DHCP6=1): Kea on each session's pppN, started by ipv6-up.
if [ "${DHCP6:-0}" = 1 ] && [ "$ROLE" = ac ]; then
	cp "$D/kea6.json" /run/ac/kea6.json || die "copy kea6.json"
	command -v kea-dhcp6 >/dev/null || die "AC_DHCP6=1 needs kea-dhcp6 (kea-dhcp6-server)"
	cat >/etc/ppp/ipv6-up.d/kea <<'EOF'
#!/bin/sh
# Kea serves the subnet named for the interface; the AC side also gets an
# address of it. One lease file for every session (and every restart of
# the server), so a lease outlives the session it was given on.
ip -6 addr add 2001:db8:0:1::1/64 dev "$1"
# Kea binds to the interface's link-local, and of pppd's "LOCAL peer
# REMOTE" it takes the peer's: the same address without a peer instead.
ip -6 addr del "$4" peer "$5" dev "$1" 2>/dev/null
ip -6 addr add "$4/64" dev "$1" nodad
sed "s/@IF@/$1/g" /run/ac/kea6.json >"/run/ac/kea6-$1.json"
KEA_PIDFILE_DIR=/run/ac KEA_LOCKFILE_DIR=none \
	kea-dhcp6 -c "/run/ac/kea6-$1.json" >>/run/host/kea6.out 2>&1 </dev/null &
echo $! >"/run/ac/kea6-$1.pidx"
EOF
	cat >/etc/ppp/ipv6-down.d/kea <<'EOF'
#!/bin/sh
if [ -f "/run/ac/kea6-$1.pidx" ]; then
	kill "$(cat "/run/ac/kea6-$1.pidx")" 2>/dev/null
	rm -f "/run/ac/kea6-$1.pidx"
fi
EOF
	chmod 755 /etc/ppp/ipv6-up.d/kea /etc/ppp/ipv6-down.d/kea
fi

# IPv6 (AC_RADVD=1): each session's pppN gets PREFIX:N::1/64 from pppd's
# ipv6-up (once IPv6CP is up and its link-local is there), and a radvd of
# its own, started there on that interface (one configuration file and
# pid file per interface) and stopped by ipv6-down, advertises
# PREFIX:N::/64 on it. One radvd for all, told of each new interface with
# SIGHUP, could look at it too early and then never again (seen in CI).
if [ "$IPV6" = 1 ] && [ "$RADVD" = 1 ] && [ "$ROLE" = ac ]; then
	command -v radvd >/dev/null || die "radvd not installed (scripts/install-deps.sh)"
	echo 1 >/proc/sys/net/ipv6/conf/all/forwarding || die "IPv6 forwarding"
	ip -6 addr add "$IPV6_PREFIX:ffff::1/128" dev lo || die "lo IPv6 address"
	mflags=
	# with the DHCPv6 server: addresses are managed (M), DNS too (O)
	[ "${DHCP6:-0}" = 1 ] && mflags=$(printf 'AdvManagedFlag on;\n\tAdvOtherConfigFlag on;\n\t')
	cat >/etc/ppp/ipv6-up.d/radvd <<EOF
#!/bin/sh
# ipv6-up IFNAME TTY SPEED LOCAL-LL REMOTE-LL IPPARAM
unit=\$(printf %x "\${1#ppp}")
ip -6 addr add "$IPV6_PREFIX:\$unit::1/64" dev "\$1"
[ -f "/run/radvd-\$1.pid" ] && kill "\$(cat "/run/radvd-\$1.pid")" 2>/dev/null && sleep 0.2
cat >"/run/radvd-\$1.conf" <<CONF
interface \$1 {
	AdvSendAdvert on;
	MinRtrAdvInterval 3;
	MaxRtrAdvInterval 10;
	AdvDefaultLifetime 1800;
	${mflags}prefix $IPV6_PREFIX:\$unit::/64 {
		AdvOnLink on;
		AdvAutonomous on;
		AdvValidLifetime 86400;
		AdvPreferredLifetime 14400;
	};
};
CONF
exec radvd -C "/run/radvd-\$1.conf" -p "/run/radvd-\$1.pid" -m logfile -l "$H/radvd.log" -d 1
EOF
	{
		echo '#!/bin/sh'
		echo '[ -f "/run/radvd-$1.pid" ] && kill "$(cat "/run/radvd-$1.pid")" 2>/dev/null'
		echo 'rm -f "/run/radvd-$1.pid" "/run/radvd-$1.conf"'
	} >/etc/ppp/ipv6-down.d/radvd
	chmod 755 /etc/ppp/ipv6-up.d/radvd /etc/ppp/ipv6-down.d/radvd
	say "radvd: one per session interface, prefixes $IPV6_PREFIX:N::/64"
fi

# ---------------------------------------------------------------------------
# Helpers available to control requests.
# ---------------------------------------------------------------------------

# g_sessions: one line per pppd that owns a ppp interface:
#   IFNAME pid=PPPD_PID sid=SESSION_ID mac=CLIENT_MAC local=IP peer=IP user=NAME
#   state=running|frozen
# ("-" when unknown yet, e.g. before IPCP is up).  sid/mac come from the
# "pppoe -e SID:MAC" helper that pppoe-server starts under each pppd.
g_sessions() {
	ps -eo pid=,ppid=,comm=,args= >"$S/ps" || return 1
	for pf in /run/ppp[0-9]*.pid; do
		[ -f "$pf" ] || continue
		_ifn=${pf##*/}
		_ifn=${_ifn%.pid}
		_pid=$(head -n 1 "$pf")
		kill -0 "$_pid" 2>/dev/null || continue
		_sm=$(awk -v P="$_pid" '
			{ pp[$1] = $2; c[$1] = $3; a = ""
			  for (i = 4; i <= NF; i++) a = a " " $i; args[$1] = a }
			END {
			  for (p in c) {
			    if (c[p] != "pppoe") continue
			    q = pp[p]
			    for (n = 0; n < 4 && q > 1; n++) {
			      if (q == P) {
			        if (match(args[p], / -e [0-9]+:[0-9a-fA-F:]+/)) {
			          s = substr(args[p], RSTART + 4, RLENGTH - 4)
			          i = index(s, ":")
			          print substr(s, 1, i - 1), substr(s, i + 1)
			        }
			        exit
			      }
			      q = pp[q]
			    }
			  }
			}' "$S/ps")
		_sid=${_sm%% *}
		_mac=${_sm#* }
		_addr=$(ip -o -4 addr show dev "$_ifn" 2>/dev/null |
			awk '{ for (i = 1; i < NF; i++) {
				 if ($i == "inet") l = $(i + 1)
				 if ($i == "peer") { p = $(i + 1); sub("/.*", "", p) } }
			       print (l ? l : "-"), (p ? p : "-") }')
		_user=$(cat "$S/$_ifn.user" 2>/dev/null)
		read -r _a _b _st _rest <"/proc/$_pid/stat"
		case $_st in T) _st=frozen ;; *) _st=running ;; esac
		echo "$_ifn pid=$_pid sid=${_sid:--} mac=${_mac:--}" \
			"local=${_addr% *} peer=${_addr#* } user=${_user:--} state=$_st"
	done
}

# g_helper_pid PPPD_PID: pid of the "pppoe" pty helper below that pppd.
g_helper_pid() {
	ps -eo pid=,ppid=,comm= | awk -v P="$1" '
		{ pp[$1] = $2; c[$1] = $3 }
		END { for (p in c) if (c[p] == "pppoe") {
			q = pp[p]
			for (n = 0; n < 4 && q > 1; n++) {
				if (q == P) { print p; exit }
				q = pp[q]
			} } }'
}

# g_kill MODE [TARGET...]: end or freeze sessions.  TARGET matches the
# interface name, pppd pid, session id, client MAC, peer IP or user name (see
# g_sessions); no target means every session.  MODE:
#   term    SIGTERM pppd: LCP Terminate-Request, then PADT (orderly hang-up)
#   padt    SIGTERM the pppoe helper: PADT, no LCP Terminate-Request
#   freeze  SIGSTOP pppd and its helper: the session goes silent (no LCP
#           echo replies, no PADT), like a dead AC; the client can only
#           notice through LCP echo failures.  A later term/padt ends it.
# (SIGKILL is not offered: pppoe-server sends a PADT whenever a session's
# pppd exits, so a killed session is not silent.)
g_kill() {
	_mode=$1
	shift
	case $_mode in term|padt|freeze) ;; *) echo "bad mode $_mode"; return 2 ;; esac
	_n=0
	g_sessions >"$S/sessions"
	while read -r _ifn _p _s _m _l _r _u _st; do
		_hit=0
		if [ $# -eq 0 ]; then
			_hit=1
		else
			for _t; do
				_t=$(echo "$_t" | tr 'A-F' 'a-f')
				for _f in "$_ifn" "${_p#pid=}" "${_s#sid=}" "${_m#mac=}" \
					  "${_r#peer=}" "${_u#user=}"; do
					[ "$(echo "$_f" | tr 'A-F' 'a-f')" = "$_t" ] && _hit=1
				done
			done
		fi
		[ $_hit = 1 ] || continue
		_pid=${_p#pid=}
		_hp=$(g_helper_pid "$_pid")
		case $_mode in
		# (SIGCONT: a frozen session must run to act on SIGTERM)
		term) kill -TERM "$_pid"; kill -CONT ${_hp:+"$_hp"} "$_pid" 2>/dev/null ;;
		padt) [ -n "$_hp" ] && kill -TERM "$_hp" && kill -CONT "$_hp" 2>/dev/null ;;
		freeze) kill -STOP ${_hp:+"$_hp"} "$_pid" ;;
		esac
		echo "$_mode $_ifn $_p $_s $_m $_r $_u"
		_n=$((_n + 1))
	done <"$S/sessions"
	# Without a target also catch pppds that have no interface yet.
	if [ $# -eq 0 ]; then
		case $_mode in
		term) pkill -TERM -x pppd; pkill -CONT -x pppd; pkill -CONT -x pppoe ;;
		padt) pkill -TERM -x pppoe; pkill -CONT -x pppoe ;;
		freeze) pkill -STOP -x pppoe; pkill -STOP -x pppd ;;
		esac
	elif [ $_n -eq 0 ]; then
		echo "no session matches: $*"
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------------------
# Role-specific daemons
# ---------------------------------------------------------------------------
DAEMON_PID=
DAEMON_NAME=
case $ROLE in
ac)
	# syslog (pppoe-server's "Session N created/closed" lines, pppd) to a
	# host-readable file
	busybox syslogd -n -O "$H/syslog" &
	if [ -n "$HTTP_DIR" ]; then
		[ -d "$HTTP_DIR" ] || die "HTTP directory $HTTP_DIR missing"
		busybox httpd -f -p "$HTTP_LISTEN" -h "$HTTP_DIR" &
		HTTP_PID=$!
	fi
	# pppd wrapper: pppoe-server puts its own options (mru 1492 ...) after
	# "file /etc/ppp/pppoe-server-options"; the wrapper appends the test's
	# extra options so that they win.
	cat >/etc/ppp/pppd-wrapper <<'EOF'
#!/bin/sh
exec /usr/sbin/pppd "$@" file /etc/ppp/pppoe-server-options-late
EOF
	chmod 755 /etc/ppp/pppd-wrapper
	set -- -F -I "$PPPOE_IF" -L "$LOCAL_IP" -R "$POOL_START" -N "$MAX_SESSIONS" \
		-O /etc/ppp/pppoe-server-options -q /etc/ppp/pppd-wrapper
	[ -n "$AC_NAME" ] && set -- "$@" -C "$AC_NAME"
	for s in $SERVICES; do set -- "$@" -S "$s"; done
	[ -n "$MAX_PER_MAC" ] && set -- "$@" -x "$MAX_PER_MAC"
	# shellcheck disable=SC2086 # word splitting intended
	set -- "$@" $SERVER_ARGS
	say "starting: pppoe-server $*"
	pppoe-server "$@" </dev/null &
	DAEMON_PID=$!
	DAEMON_NAME=pppoe-server
	sleep 0.3
	alive "$DAEMON_PID" || die "pppoe-server exited at start-up"
	if [ -n "$HTTP_DIR" ]; then
		alive "$HTTP_PID" || die "httpd exited at start-up"
	fi
	;;
client)
	say "starting: pppd file /etc/ppp/client-options"
	pppd file /etc/ppp/client-options </dev/null &
	DAEMON_PID=$!
	DAEMON_NAME=pppd
	;;
*)
	die "unknown role $ROLE"
	;;
esac

say "boot took $(cut -d' ' -f1 /proc/uptime)s of guest uptime"
echo "PPPOE-AC-READY role=$ROLE mac=$MAC"

# ---------------------------------------------------------------------------
# Control loop (see header).  Runs until the host kills the guest.
# ---------------------------------------------------------------------------
mkdir -p "$H/ctl"
while :; do
	for req in "$H"/ctl/*.req; do
		[ -f "$req" ] || continue
		base=${req%.req}
		# shellcheck disable=SC1090 # request files are generated
		( set +u; . "$req" ) >"$base.out" 2>&1 </dev/null
		echo $? >"$base.rc.tmp"
		mv "$base.rc.tmp" "$base.rc"
		rm -f "$req"
	done
	if [ -n "$DAEMON_PID" ] && ! alive "$DAEMON_PID"; then
		wait "$DAEMON_PID"
		say "$DAEMON_NAME exited (status $?)"
		echo "exit $DAEMON_NAME" >>"$H/events"
		DAEMON_PID=
	fi
	sleep 0.1
done
