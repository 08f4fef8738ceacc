#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# Compile the parts of dpdk-vntb that use DPDK's public API only (the
# applications, the examples, the test applications and our public
# header) against another Debian release's libdpdk-dev, warnings as
# errors. The binary package is downloaded from Debian's archive with a
# private apt configuration (the machine's apt sources and state are not
# touched) and unpacked into the cache; nothing is installed. Debian's
# libdpdk-dev has no driver-SDK headers, so the PMDs themselves are not
# compiled here (devtools/test.sh --dpdk-src does that).
#
# Usage: devtools/public-api-check.sh [SUITE]   (default: trixie, DPDK 24.11)
# Environment: DPDK_VNTB_CACHE (default ~/.cache/dpdk-vntb),
#              DEBIAN_MIRROR (default: the machine's, else deb.debian.org)
# Output: TAP, one line per compiled file. Exit status 0 when all compile.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
suite=${1:-trixie}
cache=${DPDK_VNTB_CACHE:-$HOME/.cache/dpdk-vntb}/debian-$suite
die() { printf 'public-api-check: error: %s\n' "$*" >&2; exit 1; }

mirror=${DEBIAN_MIRROR:-$(sed -n 's,^URIs: *\(http[^ ]*/debian\)$,\1,p' \
	/etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
apt_dir=$cache/apt
# apt with its own sources, lists and cache, and no installed-package state
apt() {
	command "$@" -q -o Dir::Etc::SourceList="$apt_dir/sources.list" \
		-o Dir::Etc::SourceParts=/nonexistent \
		-o Dir::State::Lists="$apt_dir/lists" \
		-o Dir::Cache="$apt_dir/cache" -o Dir::State::status=/dev/null \
		-o APT::Sandbox::User="$(id -un)"
}

# 1. libdpdk-dev of SUITE, unpacked once (a newer point release replaces it)
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$cache/debs"
echo "deb [signed-by=$keyring] $mirror $suite main" >"$apt_dir/sources.list"
if [ -z "$(find "$apt_dir/lists" -name '*_Packages' -mtime -7 2>/dev/null)" ]; then
	apt apt-get update >"$cache/apt-update.log" 2>&1 ||
		{ cat "$cache/apt-update.log" >&2; die "apt-get update for $suite failed"; }
fi
ver=$(apt apt-cache show --no-all-versions libdpdk-dev 2>/dev/null |
	sed -n 's/^Version: //p' | head -n 1)
[ -n "$ver" ] || die "no libdpdk-dev in Debian $suite"
root=$cache/libdpdk-dev_$ver
if [ ! -f "$root/.complete" ]; then
	rm -rf "$root"
	(cd "$cache/debs" && apt apt-get download "libdpdk-dev=$ver") \
		>"$cache/download.log" 2>&1 ||
		{ cat "$cache/download.log" >&2; die "apt-get download libdpdk-dev=$ver failed"; }
	dpkg-deb -x "$cache/debs/libdpdk-dev_$(echo "$ver" | sed 's/^[0-9]*://')_"*.deb "$root"
	touch "$root/.complete"
fi
pcdir=$(dirname "$(find "$root" -name libdpdk-libs.pc | head -n 1)")
[ -f "$pcdir/libdpdk-libs.pc" ] || die "no libdpdk-libs.pc in libdpdk-dev $ver"
dpdk_ver=$(sed -n 's/^Version: //p' "$pcdir/libdpdk-libs.pc")
# libdpdk.pc's Requires.private names packages not unpacked here; the
# compile flags are all in libdpdk-libs.pc
cflags=$(PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=$pcdir \
	pkg-config --cflags libdpdk-libs)

# 2. compile; the project's warning flags, no -DALLOW_INTERNAL_API
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '#include <rte_pmd_ntb_dwedma.h>\n' >"$out/public_header.c"
warn="-std=c11 -O2 -Wall -Wextra -Werror -Wmissing-prototypes
	-Wstrict-prototypes -Wshadow -Wpointer-arith -Wcast-qual
	-Wformat-security -Wno-missing-field-initializers"
echo "# Debian $suite libdpdk-dev $ver (DPDK $dpdk_ver), $root"
n=0; failed=0
for f in "$out/public_header.c" "$top"/app/ntb_perf/*.c \
		"$top"/examples/*/*.c "$top"/tests/apps/*.c "$top"/tests/build/*.c; do
	n=$((n + 1))
	name=${f#"$top"/}; name=${name#"$out"/}
	# shellcheck disable=SC2086 # flag lists
	if ${CC:-cc} $warn -D_GNU_SOURCE -DALLOW_EXPERIMENTAL_API $cflags \
			-I"$top/drivers/raw/ntb_dwedma/include" -I"$top/drivers/net/ntb_vnet" \
			-I"$top/drivers/common" \
			-c "$f" -o "$out/o.o" >"$out/log" 2>&1; then
		echo "ok $n - $name against DPDK $dpdk_ver"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name against DPDK $dpdk_ver"
		sed 's/^/# /' "$out/log"
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
