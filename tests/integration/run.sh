#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run every tests/integration/test_*.sh (root). Each test is standalone and
# exits 0 (pass), 77 (skip: the machine lacks a capability) or other (fail).
# Usage: tests/integration/run.sh [NAME-FILTER...]  (a test runs if its name
# contains any of the filters; no filter: every test)
set -u
cd "$(dirname "$0")/../.."
if [ "$(id -u)" -ne 0 ]; then
	echo "integration tests need root (network namespaces, XDP, TUN)" >&2
	exit 1
fi
pass=0 fail=0 skip=0 failed=()
for t in tests/integration/test_*.sh; do
	name=$(basename "$t" .sh)
	if [ $# -gt 0 ]; then
		want=0
		for f in "$@"; do [[ "$name" == *"$f"* ]] && want=1; done
		[ $want = 1 ] || continue
	fi
	echo "=== $name"
	start=$(date +%s)
	bash "$t"
	rc=$?
	secs=$(( $(date +%s) - start ))
	case $rc in
	0) pass=$((pass + 1)); echo "--- PASS $name (${secs}s)" ;;
	77) skip=$((skip + 1)); echo "--- SKIP $name" ;;
	*) fail=$((fail + 1)); failed+=("$name"); echo "--- FAIL $name (rc $rc, ${secs}s)" ;;
	esac
done
[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]}"
echo "integration: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
