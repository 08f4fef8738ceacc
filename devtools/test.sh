#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# Run every test suite twice: in a build with warnings as errors, then in
# an address+undefined sanitizer build; then the fuzz suite in a clang
# build (NTB_FUZZ=0 skips it); then compile the public-API parts against
# Debian 13's DPDK 24.11 headers. Installs what is missing first.
# The interop suite runs twice in the werror build: against the 6.1 guest
# kernel, then (label "interop 7.2") with KPEER_KERNEL=7.2.
# The suite doc builds the guides with sphinx-build -W (-Ddocs=enabled:
# a missing sphinx-build or dot is a configure error, not a skip).
#
# With --dpdk-src=DIR: build the DPDK tree DIR (22.11 or later, a git
# checkout or an unpacked tarball) minimally into ~/.cache/dpdk-vntb
# (devtools/dpdk-build.sh; reused when present), build dpdk-vntb against it
# with warnings as errors in build-dpdk-<version>, check meson install and
# run every suite with that DPDK's own testpmd, dpdk-test and examples.
#
# Usage: devtools/test.sh [--dpdk-src=DIR] [meson test args, e.g. --suite unit]
# Exit status: 0 when every test passed in every build.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
dpdk_src=
while [ $# -gt 0 ]; do
	case $1 in
	--dpdk-src=*) dpdk_src=${1#--dpdk-src=}; shift ;;
	--dpdk-src) [ $# -ge 2 ] || { echo "--dpdk-src needs a directory" >&2; exit 2; }
		dpdk_src=$2; shift 2 ;;
	*) break ;;
	esac
done
if [ -n "$dpdk_src" ]; then	# relative to the caller's directory
	dpdk_src=$(cd "$dpdk_src" 2>/dev/null && pwd) ||
		{ echo "--dpdk-src: no such directory" >&2; exit 2; }
fi
cd "$top"
sh devtools/setup.sh

jobs=$(nproc 2>/dev/null || echo 2)
results=$(mktemp)
trap 'rm -f "$results"' EXIT

configure() { # dir, extra meson options...
	dir=$1; shift
	if [ -f "$dir/build.ninja" ]; then
		meson configure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi
}

run_suites() { # dir, label, meson test args...
	dir=$1; label=$2; shift 2
	echo "==> $label: build"
	ninja -C "$dir" -j "$jobs" >"$dir/ninja.log" 2>&1 || {
		tail -n 50 "$dir/ninja.log"; echo "$label: build failed"; exit 1; }
	echo "==> $label: meson test $*"
	status=0
	meson test -C "$dir" --print-errorlogs --num-processes 1 "$@" || status=$?
	python3 - "$dir/meson-logs/testlog.json" "$label" >>"$results" <<'PY'
import json, sys
ok = fail = skip = 0
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"): ok += 1
    elif r == "SKIP": skip += 1
    else: fail += 1
print(sys.argv[2], ok, fail, skip)
PY
	return $status
}

# meson install into a staging directory: the PMDs land in the EAL plugin
# directory of the DPDK built against, the pkg-config files resolve.
install_check() { # dir, label
	dir=$1; label=$2; dest=$top/$dir/install-check
	echo "==> $label: meson install (DESTDIR=$dest)"
	rm -rf "$dest"
	ok=0; fail=0
	if DESTDIR=$dest meson install -C "$dir" --no-rebuild >"$dir/install.log" 2>&1; then
		pc=$(find "$dest" -name dpdk-vntb.pc | head -n 1)
		pmddir=$(sed -n 's/^pmddir=//p' "$pc")
		eal_dir=$(printf '#include <rte_config.h>\nRTE_EAL_PMD_PATH\n' |
			${CC:-cc} -E -P $(pkg-config --cflags libdpdk) - | tail -n 1 | tr -d '"')
		for f in librte_raw_ntb_dwedma.so librte_net_ntb_vnet.so; do
			if [ "$pmddir" = "$eal_dir" ] && [ -e "$dest$pmddir/$f" ]; then
				ok=$((ok + 1))
			else
				fail=$((fail + 1))
				echo "$label: $f not in DPDK's PMD directory $eal_dir (pc: $pmddir)"
			fi
		done
		if PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_PATH="$(dirname "$pc")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
				pkg-config --cflags --libs dpdk-vntb >/dev/null; then
			ok=$((ok + 1))
		else
			fail=$((fail + 1)); echo "$label: installed dpdk-vntb.pc does not resolve"
		fi
	else
		tail -n 20 "$dir/install.log"; fail=1
	fi
	echo "$label install $ok $fail 0" >>"$results"
	[ "$fail" -eq 0 ]
}

rc=0
if [ -n "$dpdk_src" ]; then
	t0=$(date +%s)
	prefix=$(sh devtools/dpdk-build.sh "$dpdk_src") || exit 1
	PKG_CONFIG_PATH=$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
	export PKG_CONFIG_PATH
	ver=$(pkg-config --modversion libdpdk)
	echo "==> DPDK $ver in $prefix ($(( $(date +%s) - t0 )) s)"
	dir=build-dpdk-$ver
	configure "$dir" -Dwerror=true -Dbuildtype=debugoptimized \
		-Dpkg_config_path="$prefix/lib/pkgconfig"
	run_suites "$dir" "DPDK_$ver werror" "$@" || rc=1
	# the PMDs resolve every DPDK library from that DPDK, none from the system's
	echo "==> DPDK_$ver: PMD libraries resolve in $prefix/lib"
	foreign=$(env -u LD_LIBRARY_PATH ldd "$dir"/drivers/librte_*.so |
		grep 'librte_.* => ' | grep -v "=> \($prefix/lib\|$top/$dir/drivers\)/" || true)
	if [ -z "$foreign" ]; then
		echo "DPDK_$ver link 1 0 0" >>"$results"
	else
		echo "$foreign"; echo "DPDK_$ver link 0 1 0" >>"$results"; rc=1
	fi
	install_check "$dir" "DPDK_$ver" || rc=1
	echo "==> summary (DPDK $ver from $dpdk_src, $(( $(date +%s) - t0 )) s)"
	passed=0; failed=0; skipped=0
	while read -r l1 l2 ok fail skip; do
		echo "$l1 $l2: $ok passed, $fail failed, $skip skipped"
		passed=$((passed + ok)); failed=$((failed + fail)); skipped=$((skipped + skip))
	done <"$results"
	[ "$passed" -gt 0 ] || { echo "no test ran"; rc=1; }
	echo "$passed passed, $failed failed, $skipped skipped"
	exit $rc
fi

configure build -Dwerror=true -Dbuildtype=debugoptimized -Ddocs=enabled
# faults/soak: NTB_SOAK_SECONDS of traffic both ways (60 here, 10 under
# the sanitizers, which run it several times slower)
NTB_SOAK_SECONDS=${NTB_SOAK_SECONDS_WERROR:-60}; export NTB_SOAK_SECONDS
run_suites build "werror build" "$@" || rc=1
install_check build werror || rc=1
# The interop suite a second time, against the current kernel (7.2) as
# the guest: werror build only, when the interop suite is selected.
case " $* " in
"  "|*interop*)
	(KPEER_KERNEL=7.2; export KPEER_KERNEL
	 run_suites build "interop 7.2" --suite interop) || rc=1;;
esac

# DPDK's own binaries (testpmd, dpdk-test) are not instrumented: the
# harness preloads the sanitizer runtimes into them when they load our
# sanitized PMDs.
configure build-asan -Dwerror=true -Dbuildtype=debug -Ddocs=enabled \
	-Db_sanitize=address,undefined -Db_lundef=false
NTB_ASAN_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export NTB_ASAN_PRELOAD ASAN_OPTIONS UBSAN_OPTIONS
NTB_SOAK_SECONDS=${NTB_SOAK_SECONDS_ASAN:-10}
run_suites build-asan "sanitizer build" "$@" || rc=1

# libFuzzer harnesses (ASan+UBSan, bounded time each) need clang
if [ "${NTB_FUZZ:-1}" != 0 ]; then
	if [ -f build-fuzz/build.ninja ]; then
		meson configure build-fuzz -Dfuzz=true >/dev/null
	else
		CC=clang-14 meson setup build-fuzz -Dfuzz=true \
			-Dbuildtype=debugoptimized >/dev/null
	fi
	run_suites build-fuzz "fuzz build" --suite fuzz || rc=1
fi

# What Debian's binaries allow for a newer DPDK: the applications, examples
# and public header against Debian 13's libdpdk-dev (DPDK 24.11).
echo "==> public API: compile against Debian trixie's libdpdk-dev"
api=0
sh devtools/public-api-check.sh trixie >build/public-api.log 2>&1 || api=$?
grep -v '^ok' build/public-api.log || true
echo "public-api trixie $(grep -c '^ok' build/public-api.log) $(grep -c '^not ok' build/public-api.log) 0" >>"$results"
[ $api -eq 0 ] || { echo "public API check failed (build/public-api.log)"; rc=1; }

echo "==> summary"
passed=0; failed=0; skipped=0
while read -r l1 l2 ok fail skip; do
	echo "$l1 $l2: $ok passed, $fail failed, $skip skipped"
	passed=$((passed + ok)); failed=$((failed + fail)); skipped=$((skipped + skip))
done <"$results"
[ "$passed" -gt 0 ] || { echo "no test ran"; rc=1; }
echo "$passed passed, $failed failed, $skipped skipped"
exit $rc
