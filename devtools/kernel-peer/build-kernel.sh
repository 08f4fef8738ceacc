#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# Build the kernel-peer guest kernel from Debian's linux-source-<series>
# package: tinyconfig + kernel.config, bzImage and the NTB/vNTB modules.
# Cached outside the clone, keyed by the source package version and the
# hash of the config fragment and this script:
#   $CACHE/kernel-<pkgver>-<hash>/{bzImage,modules/*.ko,build -> tree}
# Prints that directory on stdout (last line).
#
# Usage: build-kernel.sh [SERIES]   (default 6.1; needs linux-source-SERIES)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
series=${1:-6.1}
cache=${DPDK_VNTB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dpdk-vntb}
pkg=linux-source-$series
pkgver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
	{ echo "build-kernel: $pkg is not installed" >&2; exit 1; }
hash=$(cat "$here/kernel.config" "$0" | sha256sum | cut -c1-12)
out=$cache/kernel-$pkgver-$hash
if [ -f "$out/done" ]; then
	echo "$out"; exit 0
fi
mkdir -p "$cache"
src=$cache/src/linux-source-$pkgver
if [ ! -f "$src/.extracted" ]; then
	echo "build-kernel: extracting $pkg $pkgver" >&2
	rm -rf "$src"; mkdir -p "$src"
	tar -C "$src" --strip-components=1 -xf "/usr/src/linux-source-$series.tar.xz"
	touch "$src/.extracted"
fi
obj=$cache/obj/linux-$pkgver
mkdir -p "$obj"
echo "build-kernel: configuring (tinyconfig + kernel.config) in $obj" >&2
make -s -C "$src" O="$obj" tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
	"$here/kernel.config" >/dev/null
make -s -C "$src" O="$obj" olddefconfig >/dev/null
# every line of the fragment must have survived olddefconfig
grep '^CONFIG_' "$here/kernel.config" | while read -r l; do
	grep -qx "$l" "$obj/.config" ||
		{ echo "build-kernel: $l did not take (dependency missing)" >&2; exit 1; }
done
jobs=$(nproc 2>/dev/null || echo 2)
echo "build-kernel: make -j$jobs bzImage modules (about 9 min on 2 cores)" >&2
nice -n 5 make -s -C "$src" O="$obj" -j"$jobs" bzImage modules >&2
rm -rf "$out.new"; mkdir -p "$out.new/modules"
cp "$obj/arch/x86/boot/bzImage" "$out.new/"
find "$obj" -name '*.ko' -exec cp {} "$out.new/modules/" \;
ln -s "$obj" "$out.new/build"
echo "$pkgver" > "$out.new/version"
touch "$out.new/done"
rm -rf "$out"; mv "$out.new" "$out"
echo "$out"
