#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Resuming sessions across restarts, the cases around the happy path
# (acsim-server, fast; test_interop_restart does the real AC):
#   - SIGUSR2 exits leaving every session; the next start resumes them all;
#   - a config edited meanwhile: a session added at the top (route_table =
#     auto tables now handed out in another order) does not stop the others
#     from resuming with their tables, and the one whose user changed is not
#     resumed but sent a PADT and dialed again;
#   - lcp_echo_interval = 0: still confirmed by an echo;
#   - a corrupt state file: reported and ignored; the adopted TUNs keep their
#     ifindex, lose the old addresses, and every session dials afresh;
#   - SIGTERM: nothing left (TUNs, rules, state file).
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
acsim_lab_setup || exit 1
acsim_start -a pap -N 64 -U 16 -u 'u%d' -p x --pool 10.100.0.0 --echo 0 ||
	{ echo "acsim-server did not start"; exit 1; }

mkconf() { # NAME EXTRA_TOP_SECTION USER_OF_r3
	lab_conf "$1" <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
dial_rate = 0
lcp_echo_interval = 0
route_table_range = 2000-2099

$2

[session r]
count = 2
user = u%d
password = x
ifname = ppr%d
route_table = auto

[session r3]
user = ${3:-u3}
password = x
ifname = ppr3
route_table = auto
EOF
}
# r1 and r2 from the count section, then r3 on its own (its user changes).
conf=$(mkconf base.conf "" u3)
NS=3
all_up() { [[ $(px_n_up) -eq $1 ]]; }
tables() { ip -n "$LAB_CL" rule | awk '/lookup 20[0-9][0-9]/ { print $3, $5 }' | sort; }
tuns() { ip -n "$LAB_CL" -4 -o addr show | awk '$2 ~ /^ppr/ { print $1, $2, $4 }' | sort -k2; }
confirmed_since() { [ "$(tail -n +"$1" "$DAEMON_LOG" | grep -c 'resumed session confirmed')" -eq "$2" ]; }
mark() { echo $(($(wc -l <"$DAEMON_LOG") + 1)); }

daemon_start "$conf"
check "$NS sessions come up" wait_for 30 all_up $NS
SFT=$(lab_tool statefile-tool)
recorded() { local c; c=$("$SFT" count "$LAB_DIR/state" 2>&1); echo "count: $c"; [ "$c" = "$1 $1" ]; }
wait_for 5 recorded $NS
check "the state file records them" recorded $NS
rules0=$(tables)
tuns0=$(tuns)

# --- SIGUSR2: exit, leaving the sessions.
line=$(mark)
kill -USR2 "$DAEMON_PID"
check "SIGUSR2: the daemon exits 0" bash -c "wait_pid() { while kill -0 $DAEMON_PID 2>/dev/null; do sleep 0.1; done; }; wait_pid"
wait "$DAEMON_PID"
rc=$?
DAEMON_PID=
check "SIGUSR2: exit status 0" test "$rc" -eq 0
check "SIGUSR2: logged as a keep" grep -q "exit, sessions kept for the next start" "$DAEMON_LOG"
same_tuns_rules() { [ "$(tuns)" = "$tuns0" ] && [ "$(tables)" = "$rules0" ]; }
check "SIGUSR2: TUNs, addresses and rules stay" same_tuns_rules
check "SIGUSR2: no PADT sent" test "$(acsim_stat rx.padt)" -eq 0

# --- a session added at the top (auto tables in another order), r3's user changed.
conf2=$(mkconf edited.conf "[session a0]
user = u9
password = x
ifname = ppr0
route_table = auto" u5)
line=$(mark)
daemon_start "$conf2"
check "edited config: r1 and r2 resumed and confirmed (lcp_echo_interval = 0)" \
	wait_for 15 confirmed_since "$line" 2
check "edited config: r3 (user changed) not resumed, sent a PADT" bash -c \
	"tail -n +$line '$DAEMON_LOG' | grep -q 'r3/ppr3.*not resumed (its user, service, AC name or MAC, or MRU changed)' &&
	 [ \$(tail -n +$line '$DAEMON_LOG' | grep -c 'sent PADT') -eq 1 ]"
check "edited config: all 4 up" wait_for 30 all_up 4
# table_of IFNAME RULES TUNS: the table the rule from IFNAME's address looks up
table_of() { awk -v a="$(awk -v i="$1" '$2 == i { print $3 }' <<<"$3")" '$1 == a { print $2 }' <<<"$2"; }
kept_tables() {
	local r
	for r in ppr1 ppr2; do
		[ -n "$(table_of $r "$rules0" "$tuns0")" ] || return 1
		[ "$(table_of $r "$rules0" "$tuns0")" = "$(table_of $r "$(tables)" "$(tuns)")" ] || return 1
	done
	[ "$(tables | grep -c .)" -eq 4 ]
}
check "edited config: r1 and r2 kept their tables" kept_tables
r12_kept() { [ "$(tuns | grep -E ' ppr[12] ')" = "$(grep -E ' ppr[12] ' <<<"$tuns0")" ]; }
check "edited config: r1 and r2 kept ifindex and address" r12_kept
check "edited config: dials only for the new and the changed session" \
	test "$(px_sum dials)" -eq 2

# --- a corrupt state file: ignored; TUNs adopted bare, every session dials.
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
tuns1=$(tuns)
printf 'garbage' | dd of="$LAB_DIR/state" bs=1 seek=100 conv=notrunc 2>/dev/null
line=$(mark)
daemon_start "$conf2"
check "corrupt state file: reported and ignored" wait_for 10 bash -c \
	"tail -n +$line '$DAEMON_LOG' | grep -q 'state file .* checksum mismatch (corrupt): ignored'"
check "corrupt state file: every session dials again and comes up" wait_for 60 bash -c \
	"[ \$($PPPOE_XDP -s $CTL status | awk '\$2 == \"up\"' | wc -l) -eq 4 ] &&
	 [ \$($PPPOE_XDP -s $CTL status --json | python3 -c 'import json,sys; print(sum(s[\"dials\"] for s in json.load(sys.stdin)[\"sessions\"]))') -eq 4 ]"
same_ifindex() { [ "$(tuns | awk '{ print $1, $2 }')" = "$(awk '{ print $1, $2 }' <<<"$tuns1")" ]; }
check "corrupt state file: the TUNs kept their ifindex, one address each" same_ifindex
check "corrupt state file: one rule per session" test "$(tables | grep -c .)" -eq 4

check "SIGTERM" daemon_stop 5
check "nothing left: TUNs, rules, state file" bash -c \
	"! ip -n $LAB_CL link | grep -q ppr && [ -z \"\$(tables)\" ] && [ ! -e '$LAB_DIR/state' ]"
lab_done
