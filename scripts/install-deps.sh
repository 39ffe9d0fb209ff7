#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install the Debian packages pppoe-xdp needs to build, test and run its
# lab (Debian 12 or newer). Does nothing when they are all present, but
# check that the lab's User-mode Linux kernel runs here (scripts/uml-check.sh).
set -euo pipefail

PKGS=(
	# build
	make gcc clang llvm pkg-config bpftool
	libxdp-dev libbpf-dev libelf-dev zlib1g-dev
	libnl-3-dev libnl-route-3-dev libinih-dev nettle-dev libcap-ng-dev
	# tests
	libcmocka-dev libclang-rt-14-dev python3 iproute2 iputils-ping curl
	xdp-tools kmod ethtool
	# TCP through a session (test_tcp_offload's figures, the benchmark)
	iperf3
	# the real access concentrator (User-mode Linux guest)
	user-mode-linux pppoe ppp busybox
	# its DHCPv6 server (tests/integration/test_interop_dhcp6.sh)
	kea-dhcp6-server
	# IPv6 router advertisements in the test AC (test_interop_ipv6)
	radvd
	# make bench: TCP through a session, and the throughput plot
	iperf3 python3-matplotlib
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages: ${missing[*]} (run as root to install them)" >&2
		exit 1
	fi
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# The test AC's UML kernel must be able to run on this CPU (see the script).
"$(dirname "$0")/uml-check.sh"
