#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# Build the kernel-peer guest kernel from Debian's linux-source-<series>
# package: tinyconfig + kernel.config (+ kernel-<series>.config if there
# is one), bzImage and the NTB/vNTB modules. Cached outside the clone,
# keyed by the source package version and the hash of the config
# fragments and this script:
#   $CACHE/kernel-<pkgver>-<hash>/{bzImage,modules/*.ko,build -> tree}
# Prints that directory on stdout (last line).
#
# Usage: build-kernel.sh [SERIES]   (default 6.1)
#   6.1  bookworm's linux-source-6.1, installed as a package
#   7.2  forky's linux-source-7.2: downloaded once from Debian's archive
#        with a private apt configuration (never installed), unpacked
#        with dpkg-deb -x into $CACHE/debian-forky/
set -eu
here=$(cd "$(dirname "$0")" && pwd)
series=${1:-6.1}
cache=${DPDK_VNTB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dpdk-vntb}
pkg=linux-source-$series
mkdir -p "$cache"

# A source package of another suite: downloaded (not installed) once; the
# cached .deb is used from then on (remove $cache/debian-SUITE for a newer
# one). Prints the package version; leaves the tarball in $tarball.
foreign_source() {
	suite=$1
	d=$cache/debian-$suite
	mkdir -p "$d/apt/lists/partial" "$d/apt/cache/archives/partial" "$d/debs"
	deb=$(ls "$d/debs/${pkg}_"*.deb 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$deb" ]; then
		echo "deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" \
			>"$d/apt/sources.list"
		set -- -o "Dir::Etc::sourcelist=$d/apt/sources.list" \
			-o Dir::Etc::sourceparts=- \
			-o "Dir::State::Lists=$d/apt/lists" \
			-o "Dir::Cache=$d/apt/cache" \
			-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
			-o APT::Sandbox::User="$(id -un)"
		echo "build-kernel: apt-get update ($suite, private lists in $d/apt)" >&2
		apt-get "$@" update >"$d/apt-update.log" 2>&1 ||
			{ cat "$d/apt-update.log" >&2; exit 1; }
		echo "build-kernel: downloading $pkg from $suite" >&2
		(cd "$d/debs" && apt-get "$@" download "$pkg") >&2 ||
			{ echo "build-kernel: $pkg not found in $suite" >&2; exit 1; }
		deb=$(ls "$d/debs/${pkg}_"*.deb | sort -V | tail -n 1)
	fi
	pkgver=$(dpkg-deb -f "$deb" Version)
	tarball=$d/$pkg-$pkgver/usr/src/$pkg.tar.xz
	if [ ! -f "$tarball" ] && [ ! -f "$cache/src/linux-source-$pkgver/.extracted" ]; then
		rm -rf "$d/$pkg-$pkgver"
		dpkg-deb -x "$deb" "$d/$pkg-$pkgver"
	fi
}

tarball=/usr/src/$pkg.tar.xz
case "$series" in
6.1)
	pkgver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
		{ echo "build-kernel: $pkg is not installed" >&2; exit 1; };;
7.2)
	foreign_source forky;;
*)
	echo "build-kernel: kernel series '$series': 6.1 or 7.2" >&2; exit 1;;
esac

frags=$here/kernel.config
[ -f "$here/kernel-$series.config" ] && frags="$frags $here/kernel-$series.config"
# shellcheck disable=SC2086
hash=$(cat $frags "$0" | sha256sum | cut -c1-12)
out=$cache/kernel-$pkgver-$hash
if [ -f "$out/done" ]; then
	echo "$out"; exit 0
fi
src=$cache/src/linux-source-$pkgver
if [ ! -f "$src/.extracted" ]; then
	echo "build-kernel: extracting $pkg $pkgver" >&2
	rm -rf "$src"; mkdir -p "$src"
	tar -C "$src" --strip-components=1 -xf "$tarball"
	touch "$src/.extracted"
fi
# the unpacked .deb of a foreign suite is not needed once extracted
case "$tarball" in "$cache"/*) rm -rf "${tarball%/usr/src/*}";; esac
obj=$cache/obj/linux-$pkgver
mkdir -p "$obj"
echo "build-kernel: configuring (tinyconfig + $(echo "$frags" |
	sed "s|$here/||g")) in $obj" >&2
make -s -C "$src" O="$obj" tinyconfig >/dev/null
# shellcheck disable=SC2086
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
	$frags >/dev/null
make -s -C "$src" O="$obj" olddefconfig >/dev/null
# every line of the fragments must have survived olddefconfig
# shellcheck disable=SC2086
grep -h '^CONFIG_' $frags | while read -r l; do
	grep -qx "$l" "$obj/.config" ||
		{ echo "build-kernel: $l did not take (dependency missing)" >&2; exit 1; }
done
jobs=$(nproc 2>/dev/null || echo 2)
echo "build-kernel: make -j$jobs bzImage modules (5 to 10 min on 2 cores)" >&2
nice -n 5 make -s -C "$src" O="$obj" -j"$jobs" bzImage modules >&2
rm -rf "$out.new"; mkdir -p "$out.new/modules"
cp "$obj/arch/x86/boot/bzImage" "$out.new/"
find "$obj" -name '*.ko' -exec cp {} "$out.new/modules/" \;
ln -s "$obj" "$out.new/build"
echo "$pkgver" > "$out.new/version"
touch "$out.new/done"
rm -rf "$out"; mv "$out.new" "$out"
echo "$out"
