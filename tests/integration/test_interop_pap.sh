#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Interop with a real access concentrator (rp-pppoe pppoe-server + pppd in a
# UML guest), PAP: dial, address with peer, ping, 1 MiB TCP both ways with
# checksums, the AC sending PADT and Terminate-Request (redial each time),
# and a clean shutdown the AC sees.
set -u
. "$(dirname "$0")/lab.sh"
lab_setup || exit 1

www=$LAB_DIR/www
mkdir -p "$www"
head -c 1048576 /dev/urandom >"$www/big.bin"
big_sum=$(sha256sum <"$www/big.bin" | cut -d' ' -f1)
ac_start "$LAB_AC" ac0 AC_AUTH=pap AC_USERS="alice:wonderland" AC_HTTP_DIR="$www" || exit 1

# Hook scripts: root-owned, in a root-owned directory nobody else can write.
hooks=$LAB_DIR/hooks
mkdir -m 755 "$hooks"
cat >"$hooks/up.sh" <<'EOF'
#!/bin/sh
env | grep -E '^(IFNAME|IPLOCAL|IPREMOTE|DNS1|DNS2|SESSION|LINKNAME|PPPOE_SESSION_ID|AC_MAC)=' | sort >"$(dirname "$0")/up.env"
echo "$@" >"$(dirname "$0")/up.args"
EOF
printf '#!/bin/sh\necho "down $IFNAME $IPLOCAL" >>"$(dirname "$0")/down.log"\n' >"$hooks/down.sh"
chmod 755 "$hooks/up.sh" "$hooks/down.sh"

conf=$(lab_conf pap.conf <<EOF
[global]
interface = cl0
control_socket = $LAB_DIR/ctl.sock
metrics_listen = 127.0.0.1:9468

[session wan1]
user = alice
password = wonderland
ifname = pppx1
holdoff = 1
up_script = $hooks/up.sh
down_script = $hooks/down.sh
defaultroute = yes
defaultroute_metric = 7
EOF
)
daemon_start "$conf" -v

check "session comes up" daemon_wait_up pppx1 30
addr=$(ip -n "$LAB_CL" -4 addr show dev pppx1)
check "address 10.64.0.100 with peer 10.64.0.1/32" grep -q "inet 10.64.0.100 peer 10.64.0.1/32" <<<"$addr"
check "MTU 1492, link up" grep -q "UP.* mtu 1492" < <(ip -n "$LAB_CL" link show pppx1)
check "up_script ran with pppd's arguments" wait_for 5 grep -qx "pppx1  0 10.64.0.100 10.64.0.1" "$hooks/up.args"
check "up_script got the session's environment" bash -c "grep -qx IFNAME=pppx1 $hooks/up.env &&
	grep -qx IPLOCAL=10.64.0.100 $hooks/up.env && grep -qx IPREMOTE=10.64.0.1 $hooks/up.env &&
	grep -qx DNS1=10.64.0.53 $hooks/up.env && grep -qx DNS2=10.64.0.54 $hooks/up.env &&
	grep -qx SESSION=wan1 $hooks/up.env && grep -qx AC_MAC=$AC_MAC $hooks/up.env &&
	grep -qE '^PPPOE_SESSION_ID=[1-9][0-9]*$' $hooks/up.env"
check "defaultroute: default route through pppx1, metric 7" bash -c \
	"ip -n $LAB_CL route show default | grep -q 'default dev pppx1 .*metric 7'"
check "metrics over HTTP" bash -c "ip netns exec $LAB_CL curl -sf http://127.0.0.1:9468/metrics | grep -q '^pppoe_xdp_session_up{.*session=\"wan1\".*} 1'"
check "AC authenticated alice with PAP" ac_wait_log -t 5 "PAP peer authentication succeeded for alice"
check "ping -I pppx1 peer" ip netns exec "$LAB_CL" ping -c 3 -i 0.2 -W 2 -I pppx1 10.64.0.1
check "1 MiB download (curl --interface), checksum equal" bash -c \
	"ip netns exec $LAB_CL curl -sf --max-time 60 --interface pppx1 http://10.64.0.1/big.bin | sha256sum | grep -q $big_sum"
# Upload: the guest listens with busybox nc and writes into its shared
# directory ($AC_DIR/rw on the host is /run/host in the guest).
ac_exec "busybox nc -l -p 9000 >/run/host/up.bin 2>/run/host/nc.err </dev/null &" >/dev/null
upload_ok() { [ "$(sha256sum <"$AC_DIR/rw/up.bin" | cut -d' ' -f1)" = "$big_sum" ]; }
# The guest's nc may take a moment to listen (a busy guest): until it
# accepts, the connection is refused and tried again.
up_tries=0 up_err=
for _ in $(seq 50); do
	up_tries=$((up_tries + 1))
	up_err=$(ip netns exec "$LAB_CL" timeout 30 bash -c "cat $www/big.bin >/dev/tcp/10.64.0.1/9000" 2>&1) &&
		break
	sleep 0.2
done
upload_ok_say() {
	upload_ok && return 0
	echo "up.bin: $(stat -c %s "$AC_DIR/rw/up.bin" 2>&1) bytes (want $(stat -c %s "$www/big.bin"));" \
		"nc: $(cat "$AC_DIR/rw/nc.err" 2>&1); tries: $up_tries; last: $up_err"
	return 1
}
wait_for 10 upload_ok
check "1 MiB upload over TCP, checksum equal" upload_ok_say

# Full-size datagrams both ways: 1492-byte IP packets with DF set.
check "ping with 1492-byte packets (DF) both ways" \
	ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -M do -s 1464 -I pppx1 10.64.0.1
check "a 1493-byte packet does not fit (MTU 1492)" bash -c \
	"! ip netns exec $LAB_CL ping -c 1 -W 1 -M do -s 1465 -I pppx1 10.64.0.1 >/dev/null 2>&1"
# UDP echo in the guest (python3 from the host's root, read-only hostfs).
ac_exec "python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((\"0.0.0.0\", 9001))
d, a = s.recvfrom(65535)
open(\"/run/host/udp.bin\", \"wb\").write(d)
s.sendto(d, a)' >/dev/null 2>&1 </dev/null &" >/dev/null
sleep 1
check "a 1464-byte UDP datagram (SO_BINDTODEVICE) goes out and comes back whole" \
	ip netns exec "$LAB_CL" timeout 10 python3 -c '
import socket, sys
msg = bytes(range(256)) * 5 + bytes(184)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"pppx1")
s.setsockopt(socket.IPPROTO_IP, 10, 2)  # IP_MTU_DISCOVER = IP_PMTUDISC_DO
s.settimeout(5)
s.sendto(msg, ("10.64.0.1", 9001))
sys.exit(0 if s.recv(65535) == msg else 1)'
check "the AC received all 1464 bytes" cmp -s "$AC_DIR/rw/udp.bin" <(python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 5 + bytes(184))')

# The AC hangs up with a bare PADT: the session must notice and redial.
ac_kill_sessions -m padt >/dev/null
check "PADT from the AC takes the address away" daemon_wait_down pppx1 10
check "the default route went with it" bash -c "! ip -n $LAB_CL route show default | grep -q pppx1"
check "PADT is logged" grep -q "PADT" "$DAEMON_LOG"
check "redial after PADT" daemon_wait_up pppx1 30
check "down_script ran when the session dropped" grep -qx "down pppx1 10.64.0.100" "$hooks/down.log"
check "the default route came back with the session" bash -c \
	"ip -n $LAB_CL route show default | grep -q 'default dev pppx1'"
check "ping after redial" ip netns exec "$LAB_CL" ping -c 2 -i 0.2 -W 2 -I pppx1 10.64.0.1

# The AC hangs up properly: LCP Terminate-Request, then PADT.
ac_kill_sessions -m term >/dev/null
check "Terminate-Request from the AC takes the address away" daemon_wait_down pppx1 10
check "redial after Terminate-Request" daemon_wait_up pppx1 30

check "the password is never logged" bash -c "! grep -q wonderland $DAEMON_LOG"

check "SIGTERM: exit status 0 within 5 s" daemon_stop 5
check "the AC sees the session end" ac_wait_sessions 0 10
check "TUN pppx1 removed" bash -c "! ip -n $LAB_CL link show pppx1 2>/dev/null"
check "XDP program detached from cl0" bash -c "! ip -n $LAB_CL link show cl0 | grep -q xdp"
lab_done
