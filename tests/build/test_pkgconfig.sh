#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# Build tests/build/vntb_app.c outside the tree with the build tree's
# pkg-config file, shared and static, run both, and check that our
# driver (not EAL's "no driver") refused the bogus device argument.
# TAP output.
set -u
: "${NTB_BUILD_DIR:?}" "${NTB_SOURCE_DIR:?}"
src="$NTB_SOURCE_DIR/tests/build/vntb_app.c"
out=$(mktemp -d "$NTB_BUILD_DIR/pkgconfig-test.XXXXXX")
trap 'rm -rf "$out"' EXIT
export PKG_CONFIG_PATH="$NTB_BUILD_DIR/drivers${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
pc=dpdk-vntb-uninstalled
cc=${CC:-cc}
n=0; failed=0

check() { # description, command...
	n=$((n + 1)); what=$1; shift
	if "$@" >"$out/log" 2>&1; then echo "ok $n - $what"
	else failed=$((failed + 1)); echo "not ok $n - $what"; sed 's/^/# /' "$out/log"
	fi
}

run_app() { # binary, prefix
	"$1" --no-huge --no-pci -m 128 --file-prefix "$2" \
		--log-level 'pmd.raw.ntb_dwedma:info' >"$out/run.log" 2>&1
	rc=$?
	cat "$out/run.log"
	[ $rc -eq 0 ] && grep -q 'unknown device argument "bogus_key"' "$out/run.log"
}

# asan build: the app must link the sanitizer runtime too
san=
if [ -n "${NTB_ASAN_PRELOAD:-}" ]; then san="-fsanitize=address,undefined"; fi

check "pkg-config knows $pc" pkg-config --exists "$pc"
# the rte_pmd_ntb_dwedma_* API is experimental: an application opts in
check "experimental API refused without ALLOW_EXPERIMENTAL_API" sh -c \
	"! $cc -Werror -c -o '$out/noexp.o' '$src' \$(pkg-config --cflags $pc) \
		2>'$out/noexp.log' &&
	 grep 'rte_pmd_ntb_dwedma_is_ntb_dwedma.*deprecated' '$out/noexp.log'"
exp=-DALLOW_EXPERIMENTAL_API
check "shared build" sh -c "$cc $san $exp -o '$out/app-shared' '$src' \
	\$(pkg-config --cflags --libs $pc) -lrte_bus_vdev"
check "shared binary needs our PMD shared objects" sh -c \
	"readelf -d '$out/app-shared' | grep -q 'librte_raw_ntb_dwedma.so'"
check "shared run: driver present" run_app "$out/app-shared" "pkgc_sh_$$"
check "static build" sh -c "$cc $san $exp -o '$out/app-static' '$src' \
	\$(pkg-config --static --cflags --libs $pc)"
check "static binary does not need our PMD shared objects" sh -c \
	"! readelf -d '$out/app-static' | grep -q 'librte_raw_ntb_dwedma.so'"
check "static run: driver present" run_app "$out/app-static" "pkgc_st_$$"
echo "1..$n"
[ $failed -eq 0 ]
