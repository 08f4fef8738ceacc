#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Debian's dpdk-test runs rawdev_autotest with our drivers loaded and a
raw_ntb_vsim device: DPDK's rawdev infrastructure test (skeleton) and
rte_rawdev_selftest on every rawdev, which runs our selftest (an EP and
RC pair in the process moving packets both ways, byte-exact)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
from ntbh import Harness, Tap, drivers_dir, find_tool  # noqa: E402

DPDK_TEST = find_tool("dpdk-test")


def autotest(t):
    with Harness("rawdev_autotest") as h:
        sock = h.sock()
        argv = ["stdbuf", "-oL", DPDK_TEST,
                *h.eal("test", mem=256, lcores="0-1",
                       extra=["-d", drivers_dir(),
                              "--log-level", "pmd.raw.ntb_dwedma:info"]),
                "--vdev",
                "raw_ntb_vsim0,role=ep,link=%s,profile=rcar-s4" % sock]
        p = h.start("test", argv, preload=True)
        h.wait_for(p, r"RTE>>", 60)
        h.send(p, "rawdev_autotest\n")
        m = h.wait_for(p, r"Test (OK|Failed)", 120)
        h.send(p, "quit\n")
        rc = h.wait_exit(p, 30)
        out = p.output()
        t.ok(m.group(1) == "OK", "rawdev_autotest: Test OK")
        t.ok("(raw_ntb_vsim0) selftest: Passed" in out,
             "selftest of raw_ntb_vsim0 passed",
             "\n".join(l for l in out.splitlines() if "selftest" in l))
        t.ok("selftest: 512 packets each way, byte-exact" in out,
             "our selftest ran: 512 packets each way, byte-exact")
        t.ok(rc == 0, "dpdk-test quit (rc %s)" % rc)


t = Tap()
t.run(autotest)
t.done()
