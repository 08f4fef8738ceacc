#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel peer, the EP starts its vNTB function late: the guest binds the
function (kernel-peer.sh up start=0: ctrl region and BARs there, the
controller not started, as a board whose PCIe link is not up). The RC
(kpeer_frames recv) must probe and start with the link down; LATE_S
seconds later the guest starts the controller (kpeer-up start) and the
link must come up by itself; frames from the guest arrive byte-exact."""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kframes  # noqa: E402
import kpeer  # noqa: E402
from ntbh import Harness, Tap, drivers_dir, tail  # noqa: E402

LATE_S = 8
COUNT = 1000
SIZES = "60-1514"


def late_start(t):
    with kpeer.Guest("late_start", ["start=0"]) as g, \
            Harness("kpeer_late_start") as h:
        argv = [kframes.FRAMES,
                *h.eal("rc", mem=256, lcores="0-1",
                       extra=["-d", drivers_dir(), "--log-level",
                              "pmd.raw.ntb_dwedma:info"]),
                *kpeer.vdevs(g), "--", "recv", str(COUNT), "300000"]
        rcv = h.start("rc", argv, stdin=False)
        h.wait_for(rcv, r"bound but its EPC not started: link down",
                   timeout=60)
        time.sleep(LATE_S)
        out = rcv.output()
        t.ok(rcv.alive() and "kpeer_frames: link up" not in out,
             "vNTB function not started: RC probed and started, link down "
             "for %d s" % LATE_S, tail(out))
        since = h.mark(rcv)
        t0 = time.monotonic()
        rc, out = g.exec("kpeer-up start")
        if not t.ok(rc == 0, "the guest started its vNTB function", out):
            return
        up, why = h.saw(rcv, r"^kpeer_frames: link up$", timeout=120,
                        since=since)
        if up:
            print("# link up %.1f s after the start" %
                  (time.monotonic() - t0))
        if not t.ok(up, "late start: link up by itself", why):
            return
        rc, out = g.exec("ntb_frames send %s %s %d %s" %
                         (g.env["GUEST_IF"], kpeer.RC_MAC, COUNT, SIZES),
                         timeout=180)
        t.ok(rc == 0, "the guest sent %d frames of %s B" % (COUNT, SIZES),
             out)
        rc = h.wait_exit(rcv, 120)
        f = kframes.last_line(rcv.output(), "kpeer_frames recv")
        t.ok(rc == 0 and f.get("good") == COUNT and f.get("bad") == 0 and
             f.get("out_of_order") == 0,
             "the RC received %d frames, every byte checked, in order" %
             COUNT, tail(rcv.output()))


t = Tap()
t.run(late_start)
t.done()
