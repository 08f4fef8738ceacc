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
from ntbh import Harness, Tap, drivers_dir, tail  # noqa: E402

LATE_S = 8              # how long the EP stays stopped before the RC sees it
COUNT = 1000            # frames per run, EP -> RC
SIZES = "60-1514"


def qemu_pid(g):
    with open(os.path.join(g.env["KPEER_RUN"], "qemu.pid")) as f:
        return int(f.read().split()[0])


def guest_send(t, g, what):
    rc, out = g.exec("ntb_frames send %s %s %d %s" %
                     (g.env["GUEST_IF"], kpeer.RC_MAC, COUNT, SIZES),
                     timeout=180)
    return t.ok(rc == 0, "%s: the guest sent %d frames of %s B" %
                (what, COUNT, SIZES), out)


def liveness(t):
    with kpeer.Guest("liveness") as g, Harness("kpeer_liveness") as h:
        pid = qemu_pid(g)
        argv = [kframes.FRAMES,
                *h.eal("rc", mem=256, lcores="0-1",
                       extra=["-d", drivers_dir(), "--log-level",
                              "pmd.raw.ntb_dwedma:info"]),
                *kpeer.vdevs(g), "--", "recv", str(2 * COUNT), "600000"]
        os.kill(pid, signal.SIGSTOP)
        try:
            rcv = h.start("rc", argv, stdin=False)
            # the probe's CONFIGURE_DOORBELL timed out and it went on
            h.wait_for(rcv, r"does not answer commands yet: link down",
                       timeout=60)
            time.sleep(LATE_S)
            out = rcv.output()
            t.ok(rcv.alive() and "kpeer_frames: link up" not in out,
                 "EP stopped before the RC: RC probed and started, link "
                 "down for %d s" % LATE_S, tail(out))
            since = h.mark(rcv)
            t0 = time.monotonic()
            os.kill(pid, signal.SIGCONT)
            up, why = h.saw(rcv, r"^kpeer_frames: link up$", timeout=120,
                            since=since)
            if up:
                print("# late EP: link up %.1f s after SIGCONT" %
                      (time.monotonic() - t0))
            if not t.ok(up, "late EP answered: link up by itself", why):
                return
            if not guest_send(t, g, "late EP"):
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
            since = h.mark(rcv)
            t0 = time.monotonic()
            os.kill(pid, signal.SIGCONT)
            up, why = h.saw(rcv, r"^kpeer_frames: link up$", timeout=120,
                            since=since)
            if up:
                print("# hung EP: link up %.1f s after SIGCONT" %
                      (time.monotonic() - t0))
            if not t.ok(up, "SIGCONT: link up again", why):
                return
            if not guest_send(t, g, "after SIGCONT"):
                return
            rc = h.wait_exit(rcv, 120)
            f = kframes.last_line(rcv.output(), "kpeer_frames recv")
            t.ok(rc == 0 and f.get("good") == 2 * COUNT and
                 f.get("bad") == 0 and f.get("out_of_order") == 0 and
                 f.get("restarts") == 1,
                 "the RC received %d frames (both runs), every byte "
                 "checked, in order" % (2 * COUNT), tail(rcv.output()))
            m = re.findall(r"heartbeat answered in (\d+) us",
                           rcv.output())
            if m:
                print("# slowest heartbeat answer: %s us" % m[-1])
        finally:
            os.kill(pid, signal.SIGCONT)


t = Tap()
t.run(liveness)
t.done()
