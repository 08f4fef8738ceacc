#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel peer, the EP machine late and hung: the whole guest (its QEMU
process) is stopped with SIGSTOP.

1. Late EP: the guest is stopped before the RC starts. The RC
   (kpeer_frames recv) must probe and start anyway, its first
   CONFIGURE_DOORBELL unanswered, with the link down; LATE_S seconds
   later the guest gets SIGCONT and the link must come up by itself;
   frames from the guest arrive byte-exact.
2. Hung EP: the running guest is stopped again. The RC's heartbeat
   (liveness_ms, its default) must take the link down; after SIGCONT the
   link must come up again and frames from the guest arrive byte-exact.

Every wait is bounded; the link-down detection time is printed, not
asserted."""

import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kframes  # noqa: E402
import kpeer  # noqa: E402
from ntbh import Harness, Tap, tail  # noqa: E402

LATE_S = 8              # how long the EP stays stopped before the RC sees it
COUNT = 1000            # frames per run, EP -> RC
SIZES = "60-1514"


def qemu_pid(g):
    with open(os.path.join(g.env["KPEER_RUN"], "qemu.pid")) as f:
        return int(f.read().split()[0])


def liveness(t):
    with kpeer.Guest("liveness") as g, Harness("kpeer_liveness") as h:
        pid = qemu_pid(g)

        def cont():
            os.kill(pid, signal.SIGCONT)

        os.kill(pid, signal.SIGSTOP)
        try:
            rcv = kframes.recv_rc(h, g, 2 * COUNT, 600000)
            # the probe's CONFIGURE_DOORBELL timed out and it went on
            if not kframes.link_up_late(
                    t, h, rcv, r"does not answer commands yet: link down",
                    LATE_S, "EP stopped before the RC", "late EP answered",
                    cont, "SIGCONT"):
                return
            if not kframes.guest_send(t, g, COUNT, SIZES, "late EP"):
                return

            # the hung EP: the heartbeat must see it
            time.sleep(1)
            since = h.mark(rcv)
            t0 = time.monotonic()
            os.kill(pid, signal.SIGSTOP)
            h.wait_for(rcv, r"^kpeer_frames: link down$", timeout=120,
                       since=since)
            down_s = time.monotonic() - t0
            print("# hung EP: RC link down %.1f s after SIGSTOP" % down_s)
            t.ok(re.search(r"no answer to the heartbeat",
                           rcv.output()[since:]) is not None,
                 "EP stopped (SIGSTOP of QEMU): the heartbeat took the RC "
                 "link down", tail(rcv.output()))
            if not kframes.link_up_after(t, h, rcv, cont, "hung EP",
                                         "SIGCONT"):
                return
            if not kframes.guest_send(t, g, COUNT, SIZES, "after SIGCONT"):
                return
            kframes.rc_received(t, h, rcv, 2 * COUNT, "both runs",
                                restarts=1)
            m = re.findall(r"heartbeat answered in (\d+) us",
                           rcv.output())
            if m:
                print("# slowest heartbeat answer: %s us" % m[-1])
        finally:
            os.kill(pid, signal.SIGCONT)


t = Tap()
t.run(liveness)
t.done()
