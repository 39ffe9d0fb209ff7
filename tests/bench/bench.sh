#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `sudo make bench`: the data path figures with their in-run ceilings
# (tests/bench/datapath.sh), then the setup, idle, memory and restart
# figures (tests/bench/run.sh); one table of both, build/bench.json and
# build/bench.png (tests/bench/report.py; the raw "KEY VALUE" figures it
# read stay in build/bench.txt). Figures only, never asserted.
#
#   BENCH_PARTS   which parts, comma-separated: datapath,setup     [both]
#   BENCH_QUICK   1 = a shorter run: 1 s windows, 1000 sessions
#                 for setup, 2 s of iperf3, 4 s idle                [0]
#   BENCH_OUT     where bench.json and bench.png go             [build]
# and the knobs of datapath.sh and run.sh (BENCH_WINDOW, BENCH_SESSIONS...).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PARTS=${BENCH_PARTS:-datapath,setup}
OUTDIR=${BENCH_OUT:-$ROOT/build}

if [[ $(id -u) -ne 0 ]]; then
	echo "bench: must run as root" >&2
	exit 1
fi
make -s -C "$ROOT" build/pppoe-xdp test-tools || exit 1
if [[ ${BENCH_QUICK:-0} = 1 ]]; then
	export BENCH_WINDOW=${BENCH_WINDOW:-1} BENCH_TCP_SECS=${BENCH_TCP_SECS:-2}
	export BENCH_SESSIONS=${BENCH_SESSIONS:-1000} BENCH_IDLE_SECS=${BENCH_IDLE_SECS:-4}
fi
mkdir -p "$OUTDIR"
RES=$(mktemp /tmp/pppoe-xdp-bench.XXXXXX)
trap 'rm -f "$RES"' EXIT
t0=$SECONDS
{
	echo "meta.date $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "meta.cores $(nproc)"
	echo "meta.kernel $(uname -r)"
	echo "meta.commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)"
	echo "meta.quick ${BENCH_QUICK:-0}"
} >"$RES"
rc=0
if [[ ,$PARTS, == *,datapath,* ]]; then
	bash "$ROOT/tests/bench/datapath.sh" "$RES" || rc=1
fi
if [[ ,$PARTS, == *,setup,* ]]; then
	BENCH_RESULTS=$RES bash "$ROOT/tests/bench/run.sh" || rc=1
fi
echo "meta.duration_s $((SECONDS - t0))" >>"$RES"
# The raw figures too: report.py can be run on them again.
cp "$RES" "$OUTDIR/bench.txt"
# Debian's python3 has python3-matplotlib; a python3 earlier in PATH may not.
py=python3
[[ -x /usr/bin/python3 ]] && py=/usr/bin/python3
echo
echo "---- pppoe-xdp bench ($(nproc) cores, $((SECONDS - t0)) s; ratio = ours / ceiling)"
"$py" "$ROOT/tests/bench/report.py" "$RES" "$OUTDIR/bench.json" "$OUTDIR/bench.png" || rc=1
exit "$rc"
