#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# The main job: an EP and an RC dpdk-testpmd joined by the virtual vNTB
# link (rcar-s4 profile) forward packets through net_ntb_vnet, first in
# poll mode, then in interrupt mode, each way, and a table (mode, direction,
# link, tx, rx, Mpps, Gbit/s, drops) is
# printed. Installs what is missing and builds first.
#
# Usage: devtools/demo.sh            DEMO_SECONDS=<n> (default 10 per phase)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh devtools/setup.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

exec python3 devtools/demo.py "$@"
