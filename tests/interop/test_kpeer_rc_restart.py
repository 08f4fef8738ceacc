#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel peer, the RC dies: testpmd (icmpecho) as the RC answers the
guest's pings, is killed with SIGKILL (no LINK_DOWN, no teardown, its
receive buffer still mapped in the EP's window), a new RC process attaches
to the same running guest, the link comes up again and pings are answered
again. Twice."""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kpeer  # noqa: E402
import testpmd  # noqa: E402
from ntbh import Harness, Tap, tail  # noqa: E402

ROUNDS = 3


def pings_answered(t, g, what):
    rc, out = g.exec("ping -c 5 -W 5 %s" % g.env["PEER_IP"], timeout=60)
    return t.ok(rc == 0 and "5 packets received" in out,
                "%s: guest ping, 5 of 5 answered" % what, out)


def restart(t):
    with kpeer.Guest("restart") as g, Harness("kpeer_restart") as h:
        for r in range(ROUNDS):
            role = "rc%d" % r
            tp = h.start(role, kpeer.testpmd_argv(h, g, role=role),
                         preload=True)
            h.wait_for(tp, r"^testpmd> ", timeout=60)
            testpmd.command(h, tp, "start", r"^testpmd> ")
            link = testpmd.wait_link(h, tp, "up", timeout=60)
            what = "RC process %d%s" % (r + 1, " (after SIGKILL of the "
                                        "previous one)" if r else "")
            if not t.ok(link == "up", "%s: link up" % what,
                        tail(tp.output())):
                return
            pings_answered(t, g, what)
            if r + 1 < ROUNDS:
                os.killpg(tp.pid, signal.SIGKILL)
                tp.popen.wait(10)
                time.sleep(0.5)


t = Tap()
t.run(restart)
t.done()
