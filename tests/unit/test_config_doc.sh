#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The config keys do not drift apart: `pppoe-xdp --help` lists the key
# table (it is generated from it), and README.md's key reference
# ("## Configuration") and conf/example.conf (commented-out lines count)
# must name exactly the same keys. test_config.c checks the README's
# scopes, reload behaviours and defaults against the table.
set -u
BIN=${1:-build/pppoe-xdp}
fail=0

# help_keys - the keys --help lists: the words after "Configuration keys"
help_keys() {
	"$BIN" --help | awk '/^Configuration keys/ { on = 1; next }
		on && /^$/ { exit }
		on && !/:$/ { for (i = 1; i <= NF; i++) print $i }' | sort
}

# readme_keys - the first column of README.md's key reference
readme_keys() {
	awk '/^## / { on = ($0 == "## Configuration") }
		on && /^\| `[a-z][a-z0-9_]*` \|/ { split($0, c, "`"); print c[2] }' README.md | sort
}

# example_keys - "key = value" lines of the example, commented out or not
example_keys() {
	sed -nE 's/^(# ?)?([a-z][a-z0-9_]*) =( .*)?$/\2/p' conf/example.conf | sort -u
}

# same WHAT LIST_A LIST_B - the two lists of keys are the same
same() {
	local what=$1 missing extra
	missing=$(comm -23 <(echo "$2") <(echo "$3"))
	extra=$(comm -13 <(echo "$2") <(echo "$3"))
	if [[ -n $missing ]]; then
		echo "FAIL: $what lacks: $(echo $missing)"
		fail=1
	fi
	if [[ -n $extra ]]; then
		echo "FAIL: $what names keys the key table lacks: $(echo $extra)"
		fail=1
	fi
}

table=$(help_keys)
if [[ $(wc -l <<<"$table") -lt 30 ]]; then
	echo "FAIL: --help lists $(wc -l <<<"$table") keys:"
	"$BIN" --help | sed 's/^/    /'
	exit 1
fi
if [[ -n $(uniq -d <<<"$table") ]]; then
	echo "FAIL: --help lists keys twice: $(uniq -d <<<"$table" | xargs)"
	fail=1
fi
same "README.md's key reference (## Configuration)" "$table" "$(readme_keys)"
same "conf/example.conf" "$table" "$(example_keys)"

echo "config doc: $(wc -l <<<"$table") keys, $([[ $fail -eq 0 ]] && echo ok || echo FAILED)"
exit $fail
