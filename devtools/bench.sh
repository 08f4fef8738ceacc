#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# devtools/bench.sh [--quick] [--seconds S] [--reps N] [--json FILE]
# net_ntb_vnet against net_memif / net_vhost+virtio_user / a bare eventfd
# round trip, with dpdk-ntb-perf on CPUs 0 and 1, and the floor figures.
# Builds build/ first if needed. See doc/guides/tools/ntb_perf.rst.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
build=${NTB_BUILD_DIR:-$top/build}
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$top"
fi
nice ninja -C "$build" -j2 >/dev/null
exec python3 "$top/devtools/bench.py" --build-dir "$build" "$@"
