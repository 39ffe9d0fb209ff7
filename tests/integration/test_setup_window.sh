#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Closed-loop session setup and liveness (issue 9), against acsim-server,
# with the DEFAULT configuration (dial_rate, echo settings, max_starting):
#
#   slow AC      the AC starts each session's PPP side 0.8 s after the
#                previous one's (a pppd forked per session, in turn): the
#                wait grows with the number starting at once. Every
#                session comes up dialed once, none torn down, and the
#                window shrank below its start.
#   lost PADOs   the first 12 PADOs are dropped: the window halves on the
#                PADI retransmissions, every session up, dialed once.
#   lost echo    one Echo-Reply lost: nobody redials.
#   AC restart   the AC forgets every session without a PADT: echoes
#                find out (one session's miss probes all of them), every
#                session back, each down once.
#   burst        1000 sessions, dial_rate = 0: no frame dropped before
#                the AF_XDP RX ring, every session dialed once.
#
# Assertions are on counts (dials, teardowns, drops), never on wall time;
# times are printed.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lab.sh
. tests/integration/acsim.sh

[[ -x $ACSIM ]] || { echo "SKIP: $ACSIM not built (make test-tools)"; exit 77; }
acsim_lab_setup || exit 1

now_ms() { echo $(($(date +%s%N) / 1000000)); }
metric() { px metrics | awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print "none" }'; }
setup_json() { px status --json | python3 -c "import json,sys; print(json.load(sys.stdin)['setup']['$1'])"; }
all_up() { [[ $(px_n_up) -eq $1 ]]; }
dials_are() { [[ $(px_sum dials) -eq $1 ]]; }

# conf N [GLOBAL-LINES]: N sessions, defaults for everything that matters
conf() {
	lab_conf sw.conf <<EOF
[global]
interface = cl0
control_socket = $CTL
state_file = $LAB_DIR/state
${2:-}

[session w]
count = $1
user = u%d
password = x
ifname = ppw%d
EOF
}

# ---- a slow AC: patience and a shrinking window -----------------------------
N=48
acsim_start -a pap -N 2048 -U 2048 -u 'u%d' -p x --pool 10.100.0.0 --echo 0 ||
	{ echo "acsim-server did not start"; exit 1; }
acsim_ctl set spawn_ms 800 >/dev/null
t0=$(now_ms)
daemon_start "$(conf $N)"
check "slow AC: all $N sessions up" wait_for 180 all_up $N
echo "  ($N sessions up after $(($(now_ms) - t0)) ms; the AC starts one per 800 ms:" \
	"$((N * 800)) ms at best)"
check "slow AC: each session dialed once" dials_are $N
check "slow AC: no setup failed" test "$(metric 'pppoe_xdp_setups_total{result="failed"}')" -eq 0
check "slow AC: the AC created $N sessions and freed none" \
	test "$(acsim_stat created) $(acsim_stat freed)" = "$N 0"
check "slow AC: frames went nowhere before their pppd, so the patience was needed" \
	test "$(acsim_stat rx_unspawned)" -gt 0
dec=$(px metrics | awk '$1 ~ /^pppoe_xdp_setup_window_decreases_total/ { n += $2 } END { print n + 0 }')
echo "  (window decreases: $dec, window now $(setup_json window), reason $(setup_json reason))"
check "slow AC: the window shrank under the load" test "$dec" -gt 0
check "status shows the setup window" bash -c "$PPPOE_XDP -s $CTL status | grep -q '^setup window [0-9]* (.*): [0-9]* in setup, [0-9]* queued'"
check "stop" daemon_stop 5
acsim_stop

# ---- lost PADOs ----------------------------------------------------------------
N=32
acsim_start -a pap -N 2048 -U 2048 -u 'u%d' -p x --pool 10.100.0.0 --echo 0 ||
	{ echo "acsim-server did not start"; exit 1; }
acsim_ctl set drop_tx PADO 12 >/dev/null
daemon_start "$(conf $N)"
check "lost PADOs: all $N sessions up" wait_for 120 all_up $N
check "lost PADOs: each session dialed once (PADIs retransmitted within the dial)" dials_are $N
check "lost PADOs: the window halved for them" \
	test "$(metric 'pppoe_xdp_setup_window_decreases_total{reason="pado-missing"}')" -ge 1
check "lost PADOs: the lost ones were asked for again (more PADIs than sessions)" \
	test "$(acsim_stat rx.padi)" -gt $N

# ---- one lost Echo-Reply: nobody redials ------------------------------------------
ups0=$(px_sum ups)
acsim_ctl set drop_tx lcp-echo-reply 1 >/dev/null
sleep 25
check "lost echo: every session still up" all_up $N
check "lost echo: nobody went down" test "$(px_sum downs)" -eq 0
check "lost echo: nobody came up again" test "$(px_sum ups)" -eq "$ups0"

# ---- the AC restarts without a PADT ------------------------------------------------
t0=$(now_ms)
acsim_ctl restart >/dev/null
down_all() { [[ $(px_sum downs) -ge $N ]]; }
check "AC restart: every session notices (default echo settings)" wait_for 60 down_all
t1=$(now_ms)
check "AC restart: every session back" wait_for 120 all_up $N
echo "  (all $N down $((t1 - t0)) ms after the restart, all up again after $(($(now_ms) - t0)) ms)"
check "AC restart: each session went down exactly once" test "$(px_sum downs)" -eq $N
check "AC restart: one session's missed echo probed the others" \
	test "$(metric pppoe_xdp_echo_probes_total)" -gt 0
check "stop" daemon_stop 5
acsim_stop

# ---- a burst: no frame dropped before the RX ring ---------------------------------
N=1000
acsim_start -a pap -N 2048 -U 2048 -u 'u%d' -p x --pool 10.100.0.0 --echo 0 ||
	{ echo "acsim-server did not start"; exit 1; }
t0=$(now_ms)
daemon_start "$(conf $N 'dial_rate = 0')"
check "burst: all $N sessions up" wait_for 120 all_up $N
echo "  ($N sessions up after $(($(now_ms) - t0)) ms)"
check "burst: each session dialed once" dials_are $N
check "burst: no frame dropped before the AF_XDP RX ring" \
	test "$(metric pppoe_xdp_xsk_rx_dropped_total)" -eq 0
check "stop" daemon_stop 10
lab_done
