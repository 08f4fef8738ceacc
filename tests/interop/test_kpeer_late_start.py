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

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kframes  # noqa: E402
import kpeer  # noqa: E402
from ntbh import Harness, Tap  # noqa: E402

LATE_S = 8
COUNT = 1000
SIZES = "60-1514"


def late_start(t):
    with kpeer.Guest("late_start", ["start=0"]) as g, \
            Harness("kpeer_late_start") as h:
        rcv = kframes.recv_rc(h, g, COUNT, 300000)

        def start():
            rc, out = g.exec("kpeer-up start")
            return t.ok(rc == 0, "the guest started its vNTB function", out)

        if not kframes.link_up_late(
                t, h, rcv, r"bound but its EPC not started: link down",
                LATE_S, "vNTB function not started", "late start", start,
                "the start"):
            return
        kframes.guest_send(t, g, COUNT, SIZES, "late start")
        kframes.rc_received(t, h, rcv, COUNT, "late start")


t = Tap()
t.run(late_start)
t.done()
