#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# devtools/bench.sh [--quick] [--seconds S] [--reps N] [--json FILE]
# devtools/bench.sh --instructions [--count N] [--keep-callgrind DIR]
#                   [--ipp-drivers ntb_sized,ntb_dma,memif]
# net_ntb_vnet against net_memif / net_vhost+virtio_user / a bare eventfd
# round trip, with dpdk-ntb-perf on CPUs 0 and 1, and the floor figures;
# --instructions: instructions per packet in the Tx and Rx bursts
# (valgrind callgrind), net_ntb_vnet and net_memif at 64, 1500, 9000 B.
# Builds build/ first if needed. See doc/guides/tools/ntb_perf.rst.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
build=${NTB_BUILD_DIR:-$top/build}
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$top"
fi
nice ninja -C "$build" -j2 >/dev/null
exec python3 "$top/devtools/bench.py" --build-dir "$build" "$@"
