#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Crash recovery at scale: a state file left by a killed run records 4000
# open sessions, more than the AF_XDP TX ring holds at once. The next start
# must send a PADT for every one of them (flushing the ring and retrying
# when it is full), not only for the first ring's worth, and empty the file.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

N=${RECOVER_SESSIONS:-4000}
[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
acsim_lab_setup || exit 1
acsim_start -a pap -N 16 -U 1 -u 'u%d' -p x --pool 10.100.0.0 --echo 0 ||
	{ echo "acsim-server did not start"; exit 1; }

conf=$(lab_conf recover.conf <<EOF2
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state

[session r]
user = u1
password = x
ifname = ppr
EOF2
)

# The records a killed run would have left (src/statefile.h): magic,
# session id, our MAC, the AC's MAC, padding; one per slot.
ac_mac=$(ip -n "$LAB_AC" -j link show ac0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
python3 - "$LAB_DIR/state" "$N" "$ac_mac" <<'PY'
import struct, sys
path, n, ac = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3].replace(':', ''))
with open(path, 'wb') as f:
    for i in range(n):
        our = bytes([0x02, 0x50, 0x58, 0x00, (i >> 8) & 0xff, i & 0xff])
        f.write(struct.pack('<IH6s6s2x', 0x50585331, i + 1, our, ac))
PY
chmod 600 "$LAB_DIR/state"

rx_packets() { ip -n "$LAB_AC" -s -j link show ac0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'; }
rx0=$(rx_packets)
daemon_start "$conf"
check "the daemon reports PADT sent for all $N recorded sessions" \
	wait_for 30 grep -q "PADT sent for $N session(s) left by an earlier run, none left" "$DAEMON_LOG"
rx1=$(rx_packets)
echo "  ($((rx1 - rx0)) frames reached the AC's interface for $N stale sessions)"
check "every PADT reached the wire" test $((rx1 - rx0)) -ge "$N"
check "nothing reported unsent" bash -c "! grep -q 'got no PADT' '$DAEMON_LOG'"
check "the session comes up" wait_for 30 bash -c "[ \$($PPPOE_XDP -s $CTL status | awk '\$2 == \"up\"' | wc -l) -eq 1 ]"
check "the state file now holds only the live session" \
	bash -c "python3 -c 'import sys; d=open(sys.argv[1],\"rb\").read(); sys.exit(0 if sum(1 for i in range(0,len(d),20) if d[i:i+4]==bytes.fromhex(\"31535850\")) == 1 else 1)' '$LAB_DIR/state'"
check "SIGTERM" daemon_stop 5
lab_done
