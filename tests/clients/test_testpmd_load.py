#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Debian's dpdk-testpmd loads our PMDs from build/drivers with -d."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
from ntbh import Harness, Tap, drivers_dir, find_tool  # noqa: E402

PMDS = ("librte_raw_ntb_dwedma.so", "librte_net_ntb_vnet.so",
        "librte_dma_dwedma.so")


def test_load(t):
    testpmd = find_tool("dpdk-testpmd")
    ddir = drivers_dir()
    t.ok(sorted(f for f in os.listdir(ddir) if f.endswith(".so")) ==
         sorted(PMDS), "build/drivers holds exactly our PMDs",
         os.listdir(ddir))
    with Harness("testpmd_load") as h:
        p = h.start("testpmd", [testpmd, *h.eal("tp", extra=[
            "-d", ddir, "--log-level", "lib.eal:debug"]), "--", "-i", "--total-num-mbufs", "2048"],
            preload=True)
        h.wait_for(p, r"^testpmd> ", timeout=60)
        h.send(p, "quit\n")
        rc = h.wait_exit(p, 30)
        out = p.output()
        for so in PMDS:
            t.ok("open shared lib %s" % os.path.join(ddir, so) in out,
                 "EAL opened %s" % so)
        for logtype in ("pmd.raw.ntb_dwedma", "pmd.net.ntb_vnet",
                        "pmd.dma.dwedma"):
            t.ok(logtype + " log level changed" in out,
                 "%s registered its log type" % logtype)
        bad = [l for l in out.splitlines()
               if "EAL: Error" in l or "Cannot init plugins" in l or
               "failed to load" in l]
        t.ok(not bad, "no EAL errors", "\n".join(bad))
        t.ok(rc == 0, "testpmd exits 0", "rc %s" % rc)


t = Tap()
t.run(test_load)
t.done()
