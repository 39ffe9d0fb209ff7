#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The command line without root: help, version, exit statuses and the
# config errors `pppoe-xdp check` prints (file, line, key, value).
set -u
BIN=${1:-build/pppoe-xdp}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0 fail=0

# expect STATUS PATTERN CMD...: CMD exits with STATUS and prints PATTERN.
expect() {
	local want=$1 pat=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [[ $rc -eq $want ]] && grep -qE -- "$pat" <<<"$out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $* -> status $rc (want $want), output:"
		echo "$out" | sed 's/^/    /'
		echo "    (expected /$pat/)"
	fi
}

conf() { (umask 077 && cat >"$dir/$1"); echo "$dir/$1"; }

expect 0 "Usage: pppoe-xdp COMMAND" "$BIN" --help
expect 0 "^pppoe-xdp [0-9]+\.[0-9]+\.[0-9]+$" "$BIN" --version
expect 2 "Usage:" "$BIN"
expect 2 "unknown command 'frobnicate'" "$BIN" frobnicate
expect 2 "missing -c FILE" "$BIN" check
expect 2 "unexpected argument 'extra'" "$BIN" check -c x extra
expect 2 "Usage:" "$BIN" run --bogus-option
expect 2 "cannot open config: No such file" "$BIN" check -c "$dir/none.conf"

good=$(conf good.conf <<EOF
[global]
interface = lo
[session wan1]
user = alice@isp
password = secret
ifname = pppx1
EOF
)
expect 0 "ok, interface lo, 1 session" "$BIN" check -c "$good"
expect 0 "ok, interface lo, 1 session" "$BIN" check --config "$good"

f=$(conf noif.conf <<EOF
[global]
interface = nosuchif0
[session wan1]
user = a
password = b
EOF
)
expect 2 "noif.conf: interface 'nosuchif0' does not exist" "$BIN" check -c "$f"

f=$(conf badkey.conf <<EOF
[global]
interface = lo
[session wan1]
user = a
password = b
colour = blue
EOF
)
expect 2 "badkey.conf:6: unknown key 'colour' in \[session wan1\]" "$BIN" check -c "$f"

f=$(conf badval.conf <<EOF
[global]
interface = lo
xdp_mode = fast
[session wan1]
user = a
password = b
EOF
)
expect 2 "badval.conf:3: bad value 'fast' for key 'xdp_mode'" "$BIN" check -c "$f"

f=$(conf nouser.conf <<EOF
[global]
interface = lo
[session wan1]
password = b
EOF
)
expect 2 "nouser.conf:3: \[session wan1\]: missing required key 'user'" "$BIN" check -c "$f"

cp "$good" "$dir/open.conf" && chmod 644 "$dir/open.conf"
expect 2 "open.conf:5: the file holds a password but group or others can read it \(mode 0644\); chmod 600 .*open.conf" \
	"$BIN" check -c "$dir/open.conf"
(umask 077 && printf 'secret\n' >"$dir/pw") && chmod 640 "$dir/pw"
f=$(conf pwfile.conf <<EOF
[global]
interface = lo
[session wan1]
user = a
password_file = $dir/pw
EOF
)
expect 2 "pwfile.conf:5: password_file '$dir/pw' is accessible by group or others \(mode 0640\)" \
	"$BIN" check -c "$f"

# run says what it lacks before touching anything: as a user, or as root
# without CAP_SYS_ADMIN (needs setpriv to get there from root).
if [[ $(id -u) -ne 0 ]]; then
	expect 1 "must be started as root .*needs CAP_NET_ADMIN .*CAP_SYS_ADMIN" "$BIN" run -c "$good"
elif command -v setpriv >/dev/null; then
	expect 1 "must be started as root .*needs CAP_NET_ADMIN .*CAP_SYS_ADMIN" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BIN" run -c "$good"
	expect 1 "lacks capabilities it needs for setup: CAP_SYS_ADMIN" \
		setpriv --bounding-set=-sys_admin "$BIN" run -c "$good"
fi
expect 0 "keeps only CAP_NET_ADMIN and CAP_NET_RAW" "$BIN" --help

# The shipped example must stay valid.
sed 's/^interface = eth1/interface = lo/' conf/example.conf >"$dir/example.conf"
chmod 600 "$dir/example.conf"
expect 0 "ok, interface lo, 5 session" "$BIN" check -c "$dir/example.conf"

# Control commands: argument errors, and no daemon listening.
expect 2 "missing session NAME" "$BIN" up
expect 2 "bad session name" "$BIN" down "a b"
expect 2 "unexpected argument 'x'" "$BIN" status x
expect 2 "--json is for status" "$BIN" reload --json
expect 3 "cannot reach pppoe-xdp at $dir/none.sock" "$BIN" -s "$dir/none.sock" status

echo "cli: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
