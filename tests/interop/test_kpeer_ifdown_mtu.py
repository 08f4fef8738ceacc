#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel peer, the guest resets its queue pair under traffic (issue 10,
finding 1): while kpeer_frames sends to the guest, the guest sets its
interface down and up, then changes its MTU 1500 -> 9000 -> 1500; each
step makes ntb_transport send LINK_DOWN and reset its queue pair (its
consumed index back to the ring's end). Our Tx must follow that reset:
all frames go out (none waits on a ring full for good). Then traffic
both ways, every byte checked, and the guest's pings are answered."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kframes  # noqa: E402
import kpeer  # noqa: E402
from ntbh import Harness, Tap, tail  # noqa: E402

UNDER_TRAFFIC = 3000    # frames, one per 5 ms: longer than the resets


def resets(g):
    i = g.env["GUEST_IF"]
    return ("sleep 2; ip link set {i} down && sleep 2 && "
            "ip link set {i} up && sleep 3 && "
            "ip link set {i} mtu 9000 && sleep 3 && "
            "ip link set {i} mtu 1500 && sleep 2 && "
            "echo resets=done; cat /sys/class/net/{i}/mtu".format(i=i))


def ifdown_mtu(t):
    with kpeer.Guest("ifdown", ["mtu=1500"]) as g, \
            Harness("kpeer_ifdown") as h:
        if not kframes.guest_raise_rmem(t, g):
            return
        # the guest's stack takes the frames (no reader): only our Tx
        # ring and the kernel's queue resets matter here
        snd = h.start("under", kframes.frames_argv(
            h, g, "under", "send", g.mac(), str(UNDER_TRAFFIC), "60-1514",
            "5000", "1"), stdin=False)
        h.wait_for(snd, r"^kpeer_frames: link up$", timeout=90)
        g.spawn(resets(g), "resets")
        rc = h.wait_exit(snd, 180)
        gout = g.collect("resets", timeout=60)
        t.ok("resets=done" in gout and re.search(r"^1500$", gout, re.M),
             "guest: interface down/up, MTU 9000, MTU 1500, under traffic",
             gout)
        f = kframes.last_line(snd.output(), "kpeer_frames send")
        if not t.ok(rc == 0 and f.get("sent") == UNDER_TRAFFIC,
                    "RC Tx followed the guest's queue resets: all %d frames "
                    "went out (no ring full for good)" % UNDER_TRAFFIC,
                    tail(snd.output())):
            return
        if not kframes.rc_to_ep(t, h, g, 1000, "60-1514", "after") or \
           not kframes.ep_to_rc(t, h, g, 1000, "60-1514", "after"):
            return
        kframes.pings(t, h, g, "after the resets")


t = Tap()
t.run(ifdown_mtu)
t.done()
