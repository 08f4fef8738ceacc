#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# Build a DPDK source tree minimally, with the driver SDK, into a cache
# directory outside the clone, and print the install prefix. A prefix
# already built from the same DPDK version and options is reused.
#
# Usage: devtools/dpdk-build.sh DPDK_SRC_DIR
#   DPDK_SRC_DIR  a DPDK tree of release 22.11 or later (git checkout or
#                 unpacked tarball; it is not written to)
# Environment:
#   DPDK_VNTB_CACHE  cache directory (default ~/.cache/dpdk-vntb)
#   DPDK_BUILD_JOBS  ninja -j (default 2); the build runs under nice -n 19
# Output (stdout): the prefix, <cache>/dpdk-<version>-<options hash>,
# holding bin/dpdk-testpmd, bin/dpdk-test, lib/pkgconfig/libdpdk.pc,
# include/ (with the driver SDK) and share/dpdk/examples/.
set -eu

die() { printf 'dpdk-build: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'dpdk-build: %s\n' "$*" >&2; }

[ $# -eq 1 ] || die "usage: $0 DPDK_SRC_DIR"
src=$(cd "$1" 2>/dev/null && pwd) || die "no such directory: $1"
[ -f "$src/VERSION" ] && [ -f "$src/meson_options.txt" ] ||
	die "$src is not a DPDK source tree (no VERSION or meson_options.txt)"
version=$(cat "$src/VERSION")
case $version in
	2[2-9].*|[3-9][0-9].*) ;;
	*) die "$src is DPDK $version; dpdk-vntb needs 22.11 or later" ;;
esac
case $version in 22.0[0-9]*) die "$src is DPDK $version; dpdk-vntb needs 22.11 or later" ;; esac

# What the drivers, the tests and DPDK's testpmd, dpdk-test and
# examples/ntb need: the PCI and vdev buses, the ring mempool, rawdev with
# raw/ntb (its header rte_pmd_ntb.h; examples/ntb) and raw/skeleton
# (rawdev_autotest), and dmadev (dma_dwedma). The libraries are DPDK's
# mandatory ones plus rawdev and dmadev.
drivers=bus/pci,bus/vdev,mempool/ring,raw/ntb,raw/skeleton
keep_libs="argparse cmdline eal ethdev hash kvargs log mbuf mempool meter net
	pci rcu ring stack telemetry rawdev dmadev"
if grep -q "option('enable_libs'" "$src/meson_options.txt"; then
	libs_opt=-Denable_libs=rawdev,dmadev
else	# 22.11: no enable_libs; disable every library not kept
	dis=
	for l in $(cd "$src/lib" && ls -d */ | tr -d /); do
		case " $(echo $keep_libs) " in *" $l "*) continue ;; esac
		dis="$dis${dis:+,}$l"
	done
	libs_opt=-Ddisable_libs=$dis
fi
# RUNPATH to its own lib/ in every library and program: testpmd,
# dpdk-test and anything linked to these libraries load them, not the
# system's DPDK, without LD_LIBRARY_PATH.
# Shared programs (DPDK's default links them statically): testpmd and
# dpdk-test load our PMDs with -d, which need one shared EAL.
opts="--buildtype=release --default-library=shared --libdir=lib -Denable_driver_sdk=true
	-Denable_drivers=$drivers $libs_opt -Denable_apps=test-pmd,test
	-Dtests=true -Denable_docs=false -Dexamples= -Ddeveloper_mode=disabled
	-Dplatform=generic"
# Bump recipe when a change below needs a rebuild of cached prefixes.
recipe=1
hash=$(echo "recipe $recipe: $opts rpath" | sha256sum | cut -c1-12)
cache=${DPDK_VNTB_CACHE:-$HOME/.cache/dpdk-vntb}
prefix=$cache/dpdk-$version-$hash
if [ -f "$prefix/.complete" ]; then
	log "DPDK $version already built in $prefix"
	echo "$prefix"
	exit 0
fi

command -v meson >/dev/null && command -v ninja >/dev/null ||
	die "meson and ninja are needed (devtools/setup.sh installs them)"
# DPDK's build needs pyelftools in meson's interpreter (22.11-24.11) and
# in the python3 found in PATH (25.11): when PATH's python3 lacks it
# (pyenv, venv), put meson's interpreter's directory first.
chk=$(mktemp)
echo 'import sys, elftools; print(sys.executable)' >"$chk"
mpy=$(meson runpython "$chk" 2>/dev/null) || { rm -f "$chk";
	die "DPDK's build needs pyelftools: apt-get install python3-pyelftools"; }
rm -f "$chk"
python3 -c 'import elftools' 2>/dev/null || PATH=$(dirname "$mpy"):$PATH

build=$prefix.build
rm -rf "$prefix" "$build"
mkdir -p "$cache"
log "building DPDK $version from $src into $prefix (log: $build/build.log)"
start=$(date +%s)
# shellcheck disable=SC2086 # $opts is a list of words
meson setup "$build" "$src" --prefix="$prefix" $opts \
	-Dc_link_args="-Wl,-rpath,$prefix/lib" >"$cache/dpdk-$version-$hash.setup.log" 2>&1 ||
	{ tail -n 30 "$cache/dpdk-$version-$hash.setup.log" >&2; die "meson setup of DPDK $version failed"; }
mv "$cache/dpdk-$version-$hash.setup.log" "$build/setup.log"
nice -n 19 ninja -C "$build" -j "${DPDK_BUILD_JOBS:-2}" install >"$build/build.log" 2>&1 ||
	{ tail -n 30 "$build/build.log" >&2; die "build of DPDK $version failed"; }
for f in bin/dpdk-testpmd bin/dpdk-test lib/pkgconfig/libdpdk.pc \
		include/ethdev_driver.h include/rte_pmd_ntb.h share/dpdk/examples/ntb; do
	[ -e "$prefix/$f" ] || die "DPDK $version build did not install $f"
done
rm -rf "$build"	# the install is all that is used; the objects are large
echo "$src" >"$prefix/.complete"
log "DPDK $version built in $(( $(date +%s) - start )) s"
echo "$prefix"
