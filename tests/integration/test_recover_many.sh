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

# The records a killed run would have left: N sessions, none resumable
# (no session of the config has these MACs), so each gets a PADT.
ac_mac=$(ip -n "$LAB_AC" -j link show ac0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
SFT=$(lab_tool statefile-tool)
"$SFT" write "$LAB_DIR/state" "$N" "$ac_mac" || { echo "FAIL: cannot write the state file"; exit 1; }

rx_packets() { ip -n "$LAB_AC" -s -j link show ac0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'; }
rx0=$(rx_packets)
daemon_start "$conf"
check "the daemon reports PADT sent for all $N recorded sessions" \
	wait_for 30 grep -q "earlier run: 0 session(s) resumed, PADT sent for $N" "$DAEMON_LOG"
rx1=$(rx_packets)
echo "  ($((rx1 - rx0)) frames reached the AC's interface for $N stale sessions)"
check "every PADT reached the wire" test $((rx1 - rx0)) -ge "$N"
check "nothing reported unsent" bash -c "! grep -q 'got no PADT' '$DAEMON_LOG'"
check "the session comes up" wait_for 30 bash -c "[ \$($PPPOE_XDP -s $CTL status | awk '\$2 == \"up\"' | wc -l) -eq 1 ]"
check "the state file now holds only the live session" \
	wait_for 5 bash -c "[ \"\$($SFT count '$LAB_DIR/state')\" = '1 1' ]"
check "SIGTERM" daemon_stop 5
lab_done
