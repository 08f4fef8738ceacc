#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel peer, the EP restarts: with testpmd (icmpecho) running as the
RC, the guest is rebooted (kernel-peer.sh reboot: QEMU killed and started
again on the same files, a new ivshmem peer, a new EPC boot_id). The RC
sees the guest go, voids its BARs, finds the new guest's started EPC,
runs the RC init again and the link comes back: pings are answered
again, by the same RC process. Twice."""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kpeer  # noqa: E402
import testpmd  # noqa: E402
from ntbh import Harness, Tap, tail  # noqa: E402

REBOOTS = 2


def pings_answered(t, g, what):
    rc, out = g.exec("ping -c 5 -W 5 %s" % g.env["PEER_IP"], timeout=60)
    return t.ok(rc == 0 and "5 packets received" in out,
                "%s: guest ping, 5 of 5 answered" % what, out)


def reattached(tp, count, timeout=60):
    """The RC logged its count-th re-attach: the link state seen after
    this is the new guest's, not the old one's before the RC noticed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if tp.output().count("attached to the restarted guest") >= count:
            return True
        time.sleep(0.1)
    return False


def reboot(t):
    with kpeer.Guest("reboot") as g, Harness("kpeer_reboot") as h:
        tp = h.start("rc", kpeer.testpmd_argv(h, g), preload=True)
        h.wait_for(tp, r"^testpmd> ", timeout=60)
        testpmd.command(h, tp, "start", r"^testpmd> ")
        if not t.ok(testpmd.wait_link(h, tp, "up", timeout=60) == "up",
                    "first guest: link up", tail(tp.output())):
            return
        if not pings_answered(t, g, "first guest"):
            return
        for r in range(REBOOTS):
            what = "after guest reboot %d" % (r + 1)
            g.reboot()
            if not t.ok(reattached(tp, r + 1),
                        "%s: the RC re-attached" % what, tail(tp.output())):
                return
            if not t.ok(testpmd.wait_link(h, tp, "up", timeout=60) == "up",
                        "%s: link up again (same RC process)" % what,
                        tail(tp.output())):
                return
            if not pings_answered(t, g, what):
                return
        out = tp.output()
        t.ok(out.count("attached to the restarted guest") == REBOOTS,
             "the RC re-attached %d times" % REBOOTS, tail(out))


t = Tap()
t.run(reboot)
t.done()
