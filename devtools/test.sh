#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# Run every test suite twice: in a build with warnings as errors, then in
# an address+undefined sanitizer build; then the fuzz suite in a clang
# build (NTB_FUZZ=0 skips it). Installs what is missing first.
# The suite doc builds the guides with sphinx-build -W (-Ddocs=enabled:
# a missing sphinx-build or dot is a configure error, not a skip).
#
# Usage: devtools/test.sh [meson test args, e.g. --suite unit]
# Exit status: 0 when every test passed in both builds.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
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

rc=0
configure build -Dwerror=true -Dbuildtype=debugoptimized -Ddocs=enabled
run_suites build "werror build" "$@" || rc=1

# DPDK's own binaries (testpmd, dpdk-test) are not instrumented: the
# harness preloads the sanitizer runtimes into them when they load our
# sanitized PMDs.
configure build-asan -Dwerror=true -Dbuildtype=debug -Ddocs=enabled \
	-Db_sanitize=address,undefined -Db_lundef=false
NTB_ASAN_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export NTB_ASAN_PRELOAD ASAN_OPTIONS UBSAN_OPTIONS
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

echo "==> summary"
passed=0; failed=0; skipped=0
while read -r l1 l2 ok fail skip; do
	echo "$l1 $l2: $ok passed, $fail failed, $skip skipped"
	passed=$((passed + ok)); failed=$((failed + fail)); skipped=$((skipped + skip))
done <"$results"
[ "$passed" -gt 0 ] || { echo "no test ran"; rc=1; }
echo "$passed passed, $failed failed, $skipped skipped"
exit $rc
