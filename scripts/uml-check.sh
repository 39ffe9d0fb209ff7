#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Make sure the User-mode Linux kernel the test AC runs in (tests/ac) can
# start a process on this host, and install a newer one when it cannot.
#
# Debian 12's UML kernel (6.1) dies on hosts whose CPUs have a large XSAVE
# area (Intel AMX: "userspace - ptrace set fp regs failed, errno = 14"),
# and so does Debian 13's (6.12). A newer one from Debian unstable works.
# It is installed beside the system's, without touching apt's sources or
# the installed packages: the binary and its modules go to
# /usr/local/lib/pppoe-xdp-uml and /usr/lib/uml/modules/VERSION, and
# /usr/local/bin/linux.uml (first in PATH) runs it. The binary wants three
# glibc 2.38 functions (__isoc23_strto{l,ul}, __isoc23_sscanf) that Debian
# 12's glibc lacks: its GLIBC_2.38 version need is marked weak and a small
# preloaded library maps them to strtol, strtoul and vsscanf.
set -euo pipefail

DEST=/usr/local/lib/pppoe-xdp-uml
SUITE=${UML_SUITE:-sid}

# uml_boots BINARY: 0 if it runs an init process to the end on this host
uml_boots() {
	local bin=$1 t out
	t=$(mktemp -d /tmp/uml-check.XXXXXX)
	mkdir -p "$t/shm"
	printf '#!/bin/sh\necho UML-INIT-RAN\nexec halt -f\n' >"$t/init"
	chmod 755 "$t/init"
	out=$(TMPDIR=$t/shm timeout 60 "$bin" mem=64M root=/dev/root rootfstype=hostfs ro \
		"init=$t/init" con=null con0=fd:0,fd:1 "uml_dir=$t" umid=check </dev/null 2>&1) || true
	rm -rf "$t"
	grep -q UML-INIT-RAN <<<"$out"
}

command -v linux.uml >/dev/null || { echo "uml-check: linux.uml not installed" >&2; exit 1; }
if uml_boots linux.uml; then
	echo "uml-check: $(command -v linux.uml) ($(linux.uml --version 2>/dev/null)) works here"
	exit 0
fi
echo "uml-check: $(command -v linux.uml) cannot run a process on this host; installing a newer UML from Debian $SUITE"
if [ "$(id -u)" -ne 0 ]; then
	echo "uml-check: run as root" >&2
	exit 1
fi

work=$(mktemp -d /tmp/uml-newer.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $SUITE main" \
	>"$work/sources.list"
APT=(-o "Dir::Etc::sourcelist=$work/sources.list" -o Dir::Etc::sourceparts=-
	-o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
	-o APT::Sandbox::User=root)
apt-get "${APT[@]}" update -q >/dev/null
(cd "$work" && apt-get "${APT[@]}" download -q user-mode-linux >/dev/null)
dpkg-deb -x "$work"/user-mode-linux_*.deb "$work/x"

# The compatibility shim for the glibc 2.38 functions.
cat >"$work/shim.c" <<'EOF'
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

unsigned long __isoc23_strtoul(const char *s, char **end, int base);
long __isoc23_strtol(const char *s, char **end, int base);
int __isoc23_sscanf(const char *s, const char *fmt, ...);

unsigned long __isoc23_strtoul(const char *s, char **end, int base)
{
	return strtoul(s, end, base);
}

long __isoc23_strtol(const char *s, char **end, int base)
{
	return strtol(s, end, base);
}

int __isoc23_sscanf(const char *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsscanf(s, fmt, ap);
	va_end(ap);
	return n;
}
EOF
mkdir -p "$DEST"
gcc -shared -fPIC -O2 -Wall -o "$DEST/libumlcompat.so" "$work/shim.c"

# Mark the GLIBC_2.38 version need weak (VER_FLG_WEAK in its Vernaux entry).
cp "$work/x/usr/bin/linux.uml" "$work/linux.uml"
python3 - "$work/linux.uml" <<'EOF'
import struct, sys
path = sys.argv[1]
b = bytearray(open(path, "rb").read())
shoff, = struct.unpack_from("<Q", b, 0x28)
shentsize, shnum = struct.unpack_from("<HH", b, 0x3a)
secs = [struct.unpack_from("<IIQQQQIIQQ", b, shoff + i * shentsize) for i in range(shnum)]
done = 0
for _, typ, _, _, off, _, link, info, _, _ in secs:
    if typ != 0x6ffffffe:  # SHT_GNU_verneed
        continue
    strtab = secs[link][4]
    o = off
    for _ in range(info):
        _, cnt, _, aux, nxt = struct.unpack_from("<HHIII", b, o)
        a = o + aux
        for _ in range(cnt):
            _, flags, _, name, anext = struct.unpack_from("<IHHII", b, a)
            if b[strtab + name:b.index(b"\0", strtab + name)].startswith(b"GLIBC_2.3") and \
               b[strtab + name:b.index(b"\0", strtab + name)] > b"GLIBC_2.36":
                struct.pack_into("<H", b, a + 4, flags | 2)
                done += 1
            a += anext
        if not nxt:
            break
        o += nxt
open(path, "wb").write(b)
print("uml-check: %d glibc version need(s) made weak" % done)
EOF
install -m 755 "$work/linux.uml" "$DEST/linux.uml"
for m in "$work"/x/usr/lib/uml/modules/*; do
	rm -rf "/usr/lib/uml/modules/${m##*/}"
	cp -a "$m" /usr/lib/uml/modules/
done
cat >/usr/local/bin/linux.uml <<EOF
#!/bin/sh
# Installed by pppoe-xdp's scripts/uml-check.sh: a UML kernel that works here.
exec env LD_PRELOAD=$DEST/libumlcompat.so $DEST/linux.uml "\$@"
EOF
chmod 755 /usr/local/bin/linux.uml
hash -r
if ! uml_boots /usr/local/bin/linux.uml; then
	echo "uml-check: the newer UML kernel does not work here either" >&2
	exit 1
fi
echo "uml-check: installed UML $(/usr/local/bin/linux.uml --version 2>/dev/null) as /usr/local/bin/linux.uml"
