#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_hooks.sh - ip-up/ip-down hook runner (src/hooks.c), driven by
# tests/tools/hook-probe (an epoll + timer wheel loop like the daemon's that
# blocks SIGTERM/SIGINT/SIGHUP, ignores SIGPIPE and holds a non-CLOEXEC fd):
#   - environment exactly as passed plus the fixed PATH; argv in pppd order;
#     stdin /dev/null, no inherited fds, signal mask and dispositions reset,
#     own session, cwd /; stdout and stderr logged line by line with the label;
#   - exit status and death by signal are logged;
#   - timeout: SIGTERM to the process group, SIGKILL 2 s later if ignored;
#   - per-key order (up 1 s, then down: down starts after up ends), queued
#     hooks that fail to start are skipped, different keys run concurrently;
#   - output after the hook exited (a background child) is still logged;
#     much output does not block (and is cut at 1000 lines); control bytes
#     are masked; long lines are split;
#   - hooks_free kills and reaps running hooks in bounded time;
#   - no child process is left behind;
#   - fsafe_check_script refusals (needs root for ownership checks).
set -u
cd "$(dirname "$0")/../.."
. tests/integration/netns.sh

[ "$(id -u)" -eq 0 ] || skip "needs root (root-owned hook scripts)"

PROBE=${HOOK_PROBE:-build/tests/tools/hook-probe}
if ! make -s "$PROBE" >/dev/null 2>&1; then
	make -s -f Makefile -f tests/tools/tools.mk "$PROBE" || fail "cannot build $PROBE"
fi
PROBE=$(realpath "$PROBE")
# $NETNS_TMP comes from mktemp -d: root-owned, mode 0700.
T=$NETNS_TMP
S=$T/hooks
O=$T/out
mkdir -m 0755 "$S" "$O" || fail "mkdir"
PATH_WANT="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# mk NAME BODY - a root-owned 0755 /bin/sh script $S/NAME
mk() {
	printf '#!/bin/sh\n%s\n' "$2" >"$S/$1" && chmod 0755 "$S/$1" || fail "mk $1"
}
# probe NAME ARGS... - run the probe; stdout in $T/NAME.out, log in $T/NAME.log
probe() {
	local name=$1
	shift
	"$PROBE" "$@" >"$T/$name.out" 2>"$T/$name.log" || fail "$name: probe exit $? ($(tail -3 "$T/$name.log"))"
}
# expect_out NAME LINE - the probe printed LINE
expect_out() { grep -qxF -- "$2" "$T/$1.out" || fail "$1: no '$2' in output: $(tr '\n' '|' <"$T/$1.out")"; }
# expect_log NAME TEXT - a log line of the probe contains TEXT
expect_log() { grep -qF -- "$2" "$T/$1.log" || fail "$1: no '$2' in log: $(cat "$T/$1.log")"; }
# finished NAME - every hook ended and the probe had no child left
finished() {
	expect_out "$1" "CHILDREN 0"
	expect_out "$1" "DONE 0"
}
# stamp NAME - the ns timestamp of event NAME in $O/order
stamp() {
	local v
	v=$(awk -v e="$1" '$1 " " $2 == e { print $3 }' "$O/order")
	[ -n "$v" ] || fail "no '$1' in $(tr '\n' '|' <"$O/order")"
	printf '%s\n' "$v"
}
ms() { echo $(( ($2 - $1) / 1000000 )); }
now_ns() { date +%s%N; }

log "== environment, arguments, inherited state, output"
# The signal state first, read by the shell itself: a forked grep would
# see the shell blocking every signal while it waits for that very grep.
mk envdump.sh "while IFS= read -r l; do case \$l in SigBlk*|SigIgn*) echo \"\$l\";; esac; done </proc/\$\$/status >$O/sig
tr '\\0' '\\n' </proc/\$\$/environ >$O/env
for a in \"\$0\" \"\$@\"; do printf '[%s]\\n' \"\$a\"; done >$O/argv
std=\"0 \$(readlink /proc/\$\$/fd/0)|1 \$(readlink /proc/\$\$/fd/1)|2 \$(readlink /proc/\$\$/fd/2)\"
echo \"\$std\" >$O/std
for f in /proc/\$\$/fd/*; do printf '%s %s\\n' \"\${f##*/}\" \"\$(readlink \"\$f\")\"; done >$O/fds
awk '{ print \$6 }' /proc/\$\$/stat >$O/sid
echo \$\$ >$O/pid
pwd >$O/cwd
echo hello from envdump
echo to stderr >&2
printf 'no newline'"
probe env -e IFNAME=pppx1 -e 'WITH_SPACE=a b' -e EMPTY= -e PATH=/evil \
	-a pppx1 -a '' -a 0 -a 10.64.0.100 -a 10.64.0.1 -a '' "run:1:5000:$S/envdump.sh"
finished env
expect_out env "OK run:1:5000:$S/envdump.sh"
want=$(printf '%s\n' EMPTY= IFNAME=pppx1 "$PATH_WANT" "WITH_SPACE=a b")
[ "$(sort "$O/env")" = "$want" ] || fail "environment: $(tr '\n' '|' <"$O/env")"
want=$(printf '[%s]\n' "$S/envdump.sh" pppx1 '' 0 10.64.0.100 10.64.0.1 '')
[ "$(cat "$O/argv")" = "$want" ] || fail "argv: $(tr '\n' '|' <"$O/argv")"
# stdin /dev/null, stdout and stderr the same pipe
grep -qxE '0 /dev/null\|1 (pipe:\[[0-9]+\])\|2 \1' "$O/std" || fail "stdin/stdout/stderr: $(cat "$O/std")"
grep -qE '/dev/zero|eventpoll|pidfd' "$O/fds" && fail "inherited a daemon fd: $(tr '\n' '|' <"$O/fds")"
grep -qx 'SigBlk:	0000000000000000' "$O/sig" || fail "signals still blocked: $(tr '\n' '|' <"$O/sig")"
# glibc's posix_spawn leaves its two internal signals (32, 33) ignored; a
# program that uses them installs its handlers anyway. Signals 1-31 (SIGPIPE!)
# must be back to default.
ign=$(sed -n 's/^SigIgn:\t//p' "$O/sig")
[ -n "$ign" ] && [ $(( 0x$ign & 0x7fffffff )) -eq 0 ] || fail "signals still ignored: $(tr '\n' '|' <"$O/sig")"
[ "$(cat "$O/sid")" = "$(cat "$O/pid")" ] || fail "not a session leader: sid $(cat "$O/sid"), pid $(cat "$O/pid")"
[ "$(cat "$O/cwd")" = / ] || fail "cwd $(cat "$O/cwd")"
expect_log env "[s1] hook envdump.sh: started (pid $(cat "$O/pid"))"
expect_log env "[s1] hook envdump.sh: hello from envdump"
expect_log env "[s1] hook envdump.sh: to stderr"
expect_log env "[s1] hook envdump.sh: no newline"
expect_log env "[s1] hook envdump.sh: exited with status 0 after"
# Output is logged before the exit line.
[ "$(grep -n 'hello from envdump' "$T/env.log" | cut -d: -f1)" -lt \
  "$(grep -n 'exited with status' "$T/env.log" | cut -d: -f1)" ] || fail "output logged after the exit"

log "== exit status, signals, spawn errors"
mk exit3.sh 'echo failing; exit 3'
mk selfkill.sh 'kill -USR1 $$'
printf 'echo no shebang\n' >"$S/noshebang" && chmod 0755 "$S/noshebang"
probe status "run:1:1000:$S/exit3.sh" "run:2:1000:$S/selfkill.sh" \
	"run:3:1000:$S/missing.sh" "run:3:1000:$S/noshebang" "run:3:1000:relative.sh"
finished status
expect_log status "[s1] hook exit3.sh: exited with status 3 after"
expect_log status "[s2] hook selfkill.sh: killed by signal 10 (SIGUSR1)"
expect_out status "ERR run:3:1000:$S/missing.sh 2 No such file or directory"
expect_out status "ERR run:3:1000:$S/noshebang 8 Exec format error"
expect_out status "ERR run:3:1000:relative.sh 22 Invalid argument"
expect_log status "[s3] hook missing.sh: cannot run $S/missing.sh: No such file or directory"

log "== timeout: SIGTERM to the group, SIGKILL if ignored"
mk slow.sh "sleep 30 & echo \$! >$O/slow.child
echo sleeping
wait"
mk stubborn.sh "trap '' TERM
echo ignoring TERM
while :; do sleep 0.1; done"
t0=$(now_ns)
probe timeout "run:1:500:$S/slow.sh" "run:2:300:$S/stubborn.sh"
el=$(ms "$t0" "$(now_ns)")
finished timeout
expect_log timeout "[s1] hook slow.sh: sleeping"
expect_log timeout "[s1] hook slow.sh: still running after 500 ms, sending SIGTERM"
expect_log timeout "[s1] hook slow.sh: killed by SIGTERM after timeout (500 ms)"
expect_log timeout "[s2] hook stubborn.sh: still running after 300 ms, sending SIGTERM"
expect_log timeout "[s2] hook stubborn.sh: still running 2000 ms after SIGTERM, sending SIGKILL"
expect_log timeout "[s2] hook stubborn.sh: killed by SIGKILL after timeout (300 ms)"
[ "$el" -ge 2200 ] && [ "$el" -lt 5000 ] || fail "timeouts took $el ms (want about 2300)"
child=$(cat "$O/slow.child")
wait_for "! kill -0 $child" 2 || fail "the timed out hook's child $child survived"

log "== order per key, concurrency across keys"
: >"$O/order"
stampsh() { # stampsh NAME SLEEP
	mk "$1.sh" "echo \"$1 start \$(date +%s%N)\" >>$O/order
sleep $2
echo \"$1 end \$(date +%s%N)\" >>$O/order"
}
stampsh up 1
stampsh down 0
stampsh again 0
stampsh other 1
stampsh block 0.5
stampsh after 0
probe order -v "run:1:5000:$S/up.sh" "run:2:5000:$S/other.sh" loop:200 \
	"run:1:5000:$S/down.sh" "run:1:5000:$S/again.sh" \
	"run:3:5000:$S/block.sh" "run:3:5000:$S/gone.sh" "run:3:5000:$S/after.sh"
finished order
expect_out order "OK run:1:5000:$S/down.sh"
expect_out order "OK run:3:5000:$S/gone.sh"
expect_log order "[s1] hook down.sh: queued behind up.sh"
expect_log order "[s1] hook again.sh: queued behind down.sh"
[ "$(stamp 'down start')" -ge "$(stamp 'up end')" ] ||
	fail "down started $(ms "$(stamp 'up end')" "$(stamp 'down start')") ms after up ended"
[ "$(stamp 'again start')" -ge "$(stamp 'down end')" ] || fail "again started before down ended"
[ "$(stamp 'other start')" -lt "$(stamp 'up end')" ] || fail "key 2 waited for key 1"
[ "$(ms "$(stamp 'up start')" "$(stamp 'other start')")" -lt 500 ] || fail "key 2 started late"
expect_log order "[s3] hook gone.sh: cannot run $S/gone.sh: No such file or directory"
[ "$(stamp 'after start')" -ge "$(stamp 'block end')" ] || fail "after started before block ended"

log "== output after exit, much output, control bytes, long lines"
mk bg.sh "echo before; (sleep 0.5; echo late) & echo after"
mk big.sh 'seq 1 20000'
mk ctl.sh "printf 'a\\033[31mb\\n'; head -c 1100 /dev/zero | tr '\\0' x; echo"
probe output "run:1:0:$S/bg.sh" "run:2:5000:$S/big.sh" "run:3:5000:$S/ctl.sh" loop:1500
finished output
expect_log output "[s1] hook bg.sh: late"
[ "$(grep -n 'bg.sh: late' "$T/output.log" | cut -d: -f1)" -gt \
  "$(grep -n 'bg.sh: exited' "$T/output.log" | cut -d: -f1)" ] || fail "late line before exit?"
expect_log output "[s2] hook big.sh: exited with status 0"
# The first 1000 lines are logged, the rest read and dropped.
[ "$(grep -c '\[s2\] hook big.sh: [0-9]*$' "$T/output.log")" -eq 1000 ] || fail "big.sh: not 1000 lines logged"
expect_log output "[s2] hook big.sh: 1000"
expect_log output "[s2] hook big.sh: more than 1000 lines of output, dropping the rest"
expect_log output "[s3] hook ctl.sh: a?[31mb"
[ "$(grep -cxE ".*\[s3\] hook ctl.sh: x{512}" "$T/output.log")" -eq 2 ] || fail "long line not split at 512"
grep -qxE '.*\[s3\] hook ctl.sh: x{76}' "$T/output.log" || fail "long line: no 76-byte tail"

log "== hooks_free kills and reaps"
mk sleeper.sh 'echo sleeping; exec sleep 30'
t0=$(now_ns)
probe free "run:1:0:$S/sleeper.sh" "run:1:0:$S/down.sh" "run:2:0:$S/stubborn.sh" \
	loop:300 children free children
el=$(ms "$t0" "$(now_ns)")
finished free
grep -qE '^CHILDREN 2 ' "$T/free.out" || fail "free: want 2 children before free: $(tr '\n' '|' <"$T/free.out")"
[ "$(grep -c '^CHILDREN 0' "$T/free.out")" -eq 2 ] || fail "free: children left: $(tr '\n' '|' <"$T/free.out")"
expect_out free "OK free"
expect_log free "[s1] hook down.sh: not started: shutting down"
expect_log free "[s1] hook sleeper.sh: stopping (SIGTERM): shutting down"
expect_log free "[s1] hook sleeper.sh: killed by signal 15 (SIGTERM)"
expect_log free "[s2] hook stubborn.sh: stopping (SIGKILL): shutting down"
[ "$el" -lt 3500 ] || fail "hooks_free took too long: $el ms"

log "== fsafe_check_script"
# check WANT PATH - fsafe_check_script says WANT ("OK" or "ERR <errno> <text>")
check() {
	local out
	out=$("$PROBE" "check:$2" 2>/dev/null | head -1)
	if [ "$1" = OK ]; then
		[ "$out" = "OK check:$2" ] || fail "check $2: '$out', want OK"
	else
		[[ "$out" == "ERR check:$2 $1"* ]] || fail "check $2: '$out', want '$1'"
	fi
}
mk good.sh 'exit 0'
check OK "$S/good.sh"
check "22 hooks/good.sh: not an absolute path" hooks/good.sh
check "2 $S/nothere.sh: No such file or directory" "$S/nothere.sh"
check "22 $S: not a regular file" "$S"
mk noexec.sh 'exit 0'; chmod 0644 "$S/noexec.sh"
check "13 $S/noexec.sh: not executable (mode 0644)" "$S/noexec.sh"
mk grpw.sh 'exit 0'; chmod 0775 "$S/grpw.sh"
check "1 $S/grpw.sh: writable by group (mode 0775)" "$S/grpw.sh"
mk othw.sh 'exit 0'; chmod 0757 "$S/othw.sh"
check "1 $S/othw.sh: writable by others (mode 0757)" "$S/othw.sh"
mk nobody.sh 'exit 0'; chown nobody "$S/nobody.sh" || fail "chown nobody"
check "1 $S/nobody.sh: owned by uid $(id -u nobody), not root" "$S/nobody.sh"
mkdir -m 0777 "$T/open" && mk ../open/x.sh 'exit 0'
chmod 0777 "$T/open"	# mkdir -m is subject to nothing, but be sure
check "1 $T/open/x.sh: directory $T/open is writable by others (mode 0777)" "$T/open/x.sh"
mkdir -m 0775 "$T/grp" && mk ../grp/x.sh 'exit 0'
check "1 $T/grp/x.sh: directory $T/grp is writable by group (mode 0775)" "$T/grp/x.sh"
mkdir -m 0755 "$T/user" && mk ../user/x.sh 'exit 0' && chown nobody "$T/user"
check "1 $T/user/x.sh: directory $T/user is owned by uid $(id -u nobody), not root" "$T/user/x.sh"
# A safe link to an unsafe place, and an unsafe link to a safe place.
ln -s "$T/open/x.sh" "$S/link-out.sh"
check "1 $S/link-out.sh: directory $T/open is writable by others" "$S/link-out.sh"
ln -s "$S/good.sh" "$T/open/link-in.sh"
check "1 $T/open/link-in.sh: directory $T/open is writable by others" "$T/open/link-in.sh"
ln -s "$S/good.sh" "$S/link-ok.sh"
check OK "$S/link-ok.sh"
ln -s "$S/nothere.sh" "$S/dangling.sh"
check "2 $S/dangling.sh: No such file or directory" "$S/dangling.sh"

netns_done hook
