#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# Install what dpdk-vntb needs on a Debian machine and fetch DPDK's
# driver-SDK headers for exactly the installed DPDK version.
# Idempotent: a second run changes nothing and takes a second.
#
# Usage: devtools/setup.sh            (as root, or with sudo available)
# Result: .deps/dpdk-sdk/include/*.h and .deps/dpdk-sdk/VERSION
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
sdk="$top/.deps/dpdk-sdk"
pkgs="libdpdk-dev dpdk dpdk-dev meson ninja-build libnuma-dev pkg-config
      gcc libc6-dev make python3 dpkg-dev xz-utils binutils
      libsystemd-dev python3-sphinx graphviz clang-14 libclang-rt-14-dev
      python3-pyelftools"
# libsystemd-dev: libdpdk.pc static link needs -lsystemd;
# python3-sphinx, graphviz (dot): the guides, built by the test sphinx_html;
# clang-14, libclang-rt-14-dev: the libFuzzer harnesses (suite fuzz);
# python3-pyelftools: building a DPDK tree (devtools/test.sh --dpdk-src)
sdk_headers="lib/eal/include/dev_driver.h lib/eal/include/bus_driver.h
	drivers/bus/vdev/bus_vdev_driver.h drivers/bus/pci/bus_pci_driver.h
	lib/ethdev/ethdev_driver.h lib/ethdev/ethdev_vdev.h
	lib/ethdev/ethdev_pci.h lib/dmadev/rte_dmadev_pmd.h"

log() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo "$@"
	else die "need root to run: $*"
	fi
}

apt_updated=
apt_update_once() {
	[ -n "$apt_updated" ] && return 0
	as_root apt-get update -qq || die "apt-get update failed"
	apt_updated=1
}

# 1. Debian packages
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	log "installing:$missing"
	apt_update_once
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		die "apt-get install failed:$missing"
fi

dpdk_ver=$(pkg-config --modversion libdpdk) || die "libdpdk not found by pkg-config"
deb_ver=$(dpkg-query -W -f='${Version}' libdpdk-dev)

# 2. DPDK's example sources (examples/ntb's ntb_fwd is built from them by the
# clients tests), of exactly the installed DPDK version
doc_ver=$(dpkg-query -W -f='${Status} ${Version}' dpdk-doc 2>/dev/null)
if [ "$doc_ver" != "install ok installed $deb_ver" ]; then
	log "installing: dpdk-doc=$deb_ver (DPDK's example sources)"
	apt_update_once
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "dpdk-doc=$deb_ver" \
		>/dev/null || die "apt-get install dpdk-doc=$deb_ver failed"
fi

# 3. Driver-SDK headers: none needed if the installed DPDK ships them.
incdir=$(pkg-config --variable=includedir libdpdk)
if [ -f "$incdir/dpdk/ethdev_driver.h" ] || [ -f "$incdir/ethdev_driver.h" ]; then
	log "installed DPDK $dpdk_ver ships the driver SDK; nothing to fetch"
	exit 0
fi
if [ -f "$sdk/VERSION" ] && [ "$(cat "$sdk/VERSION")" = "$dpdk_ver" ] &&
   [ -f "$sdk/include/ethdev_driver.h" ]; then
	log "driver-SDK headers for DPDK $dpdk_ver already in $sdk"
	exit 0
fi

# Source entries: derive deb-src from the machine's own deb sources.
src_list=/etc/apt/sources.list.d/dpdk-vntb-src.sources
if ! apt-get source --print-uris -qq "dpdk=$deb_ver" >/dev/null 2>&1; then
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed 's/^Types:.*/Types: deb-src/' \
			/etc/apt/sources.list.d/debian.sources |
			as_root tee "$src_list" >/dev/null
	elif [ -f /etc/apt/sources.list ]; then
		grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' |
			as_root tee /etc/apt/sources.list.d/dpdk-vntb-src.list >/dev/null
	else
		die "no apt sources found to derive deb-src entries from"
	fi
	apt_updated=
	apt_update_once
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "fetching Debian source package dpdk=$deb_ver"
(cd "$work" && apt-get source --download-only -qq "dpdk=$deb_ver" >/dev/null 2>&1) ||
	die "apt-get source dpdk=$deb_ver failed (are deb-src entries reachable?)"
orig=$(ls "$work"/dpdk_*.orig.tar.* 2>/dev/null | head -n 1)
[ -n "$orig" ] || die "no orig tarball in the dpdk source package"
members=
for h in $sdk_headers VERSION; do members="$members */$h"; done
# shellcheck disable=SC2086
tar -C "$work" --wildcards -xf "$orig" $members ||
	die "driver-SDK headers not found in $orig"
srcdir=$(ls -d "$work"/dpdk-*/ | head -n 1)
src_ver=$(cat "$srcdir/VERSION")
[ "$src_ver" = "$dpdk_ver" ] ||
	die "source package is DPDK $src_ver but pkg-config says $dpdk_ver"

rm -rf "$sdk.new"
mkdir -p "$sdk.new/include"
for h in $sdk_headers; do cp "$srcdir/$h" "$sdk.new/include/"; done
printf '%s\n' "$dpdk_ver" > "$sdk.new/VERSION"
rm -rf "$sdk"
mv "$sdk.new" "$sdk"
log "driver-SDK headers for DPDK $dpdk_ver installed in $sdk"
