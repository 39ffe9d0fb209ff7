#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# An AC that flaps IPCP under slow hook scripts (acsim-server): 8 sessions,
# up_script and down_script that take 1 s each, and IPCP renegotiated on
# every session every 100 ms for 6 s (about 60 downs and ups per session,
# each of which asks for a script). It asserts:
#   - the runs waiting never exceed two per session (a down and an up);
#   - the daemon stays responsive: every `status` during the flap answers
#     within 1 s; its memory stays flat;
#   - far fewer scripts run than were asked for, the rest coalesced;
#   - per session, the scripts that ran alternate up, down, up... and the
#     last one is an up (the session is up at the end).
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
acsim_lab_setup || exit 1
acsim_start -a pap -N 64 -U 8 -u 'u%d' -p x --pool 10.100.0.0 --echo 0 ||
	{ echo "acsim-server did not start"; exit 1; }

N=8
HOOKS=$LAB_DIR/hooks
mkdir -m 0755 "$HOOKS"
for kind in up down; do
	printf '#!/bin/sh\nsleep 1\necho "$LINKNAME %s" >>%s/ran\n' "$kind" "$HOOKS" >"$HOOKS/$kind"
	chmod 0755 "$HOOKS/$kind"
done
conf=$(lab_conf flap.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
dial_rate = 0
up_script = $HOOKS/up
down_script = $HOOKS/down

[session h]
count = $N
user = u%d
password = x
ifname = pph%d
EOF
)
metric() { px metrics | awk -v m="$1" '$1 == m { print $2 }'; }
all_up() { [[ $(px_n_up) -eq $N ]]; }

daemon_start "$conf"
check "$N sessions come up" wait_for 30 all_up
check "the first up scripts ran" wait_for 10 bash -c "[ \$(wc -l <'$HOOKS/ran' 2>/dev/null || echo 0) -eq $N ]"
rss0=$(awk '/^VmRSS/ { print $2 }' "/proc/$DAEMON_PID/status")

max_queued=0 slow=0 rounds=0
end=$((SECONDS + 6))
while ((SECONDS < end)); do
	acsim_ctl ipcp 0 >/dev/null
	rounds=$((rounds + 1))
	t0=$(date +%s%N)
	px status >/dev/null || slow=$((slow + 1000))
	t=$((($(date +%s%N) - t0) / 1000000))
	((t > 1000)) && slow=$((slow + 1))
	q=$(metric pppoe_xdp_hooks_queued)
	((q > max_queued)) && max_queued=$q
	sleep 0.1
done
rss1=$(awk '/^VmRSS/ { print $2 }' "/proc/$DAEMON_PID/status")
echo "  ($rounds IPCP renegotiations of every session; at most $max_queued runs waiting;" \
	"RSS $rss0 -> $rss1 kB)"
check "at most two runs wait per session" test "$max_queued" -le $((2 * N))
check "every status during the flap answered within 1 s" test "$slow" -eq 0
check "memory stays flat" test "$rss1" -lt $((rss0 + 2048))

check "all sessions up after the flap" wait_for 30 all_up
check "every script ran or was coalesced" wait_for 60 bash -c \
	"[ \"\$($PPPOE_XDP -s $CTL metrics | awk '\$1 == \"pppoe_xdp_hooks_running\" || \$1 == \"pppoe_xdp_hooks_queued\" { n += \$2 } END { print n }')\" = 0 ]"
ran=$(wc -l <"$HOOKS/ran")
coalesced=$(metric pppoe_xdp_hook_runs_coalesced_total)
echo "  ($ran scripts ran, $coalesced runs coalesced)"
check "far fewer scripts ran than were asked for" test "$ran" -lt $((rounds * N))
check "some runs were coalesced" test "${coalesced:-0}" -gt 0
check "per session the scripts alternate up/down and end with up" python3 - "$HOOKS/ran" "$N" <<'PY'
import sys
seq = {}
for line in open(sys.argv[1]):
    name, kind = line.split()
    seq.setdefault(name, []).append(kind)
ok = len(seq) == int(sys.argv[2])
for name, kinds in sorted(seq.items()):
    want = ["up" if i % 2 == 0 else "down" for i in range(len(kinds))]
    if kinds != want or kinds[-1] != "up":
        print(name, " ".join(kinds))
        ok = False
sys.exit(0 if ok else 1)
PY
check "SIGTERM" daemon_stop 10
lab_done
