#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel peer, bulk both ways with payload checks: RC -> EP frames made by
kpeer_frames on the host are checked byte for byte by the guest's
ntb_frames; EP -> RC frames made by ntb_frames are checked byte for byte
by kpeer_frames. Frame sizes vary over the whole range up to the MTU of
each run (1500, then 9000 on the DPDK port)."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kpeer  # noqa: E402
from ntbh import Harness, Tap, build_path, drivers_dir, tail  # noqa: E402

FRAMES = build_path("tests", "interop", "kpeer_frames")
RUNS = [(5000, "60-1514"), (1000, "1515-9014")]


def frames_argv(h, g, role, *args):
    # ours: line-buffered itself; no stdbuf (its preload would come
    # before the sanitizer runtime in the sanitizer build)
    return [FRAMES,
            *h.eal(role, mem=256, lcores="0-1", extra=["-d", drivers_dir()]),
            *kpeer.vdevs(g), "--", *args]


def fields(line):
    return {k: int(v) for k, v in re.findall(r"(\w+)=(-?\d+)", line)}


def rc_to_ep(t, h, g, count, sizes, n):
    mac = g.mac()
    g.spawn("ntb_frames recv %s %d 60000" % (g.env["GUEST_IF"], count),
            "rx%d" % n)
    # bursts the guest's socket holds (its skbs are MTU-sized: a few
    # hundred fit), with time to read them: the guest app, not our path,
    # would otherwise drop some
    snd = h.start("send%d" % n, frames_argv(h, g, "send%d" % n, "send", mac,
                                            str(count), sizes, "50000",
                                            "100"), stdin=False)
    rc = h.wait_exit(snd, 180)
    t.ok(rc == 0, "RC -> EP: kpeer_frames sent %d frames of %s B" %
         (count, sizes), tail(snd.output()))
    out = g.collect("rx%d" % n, timeout=90)
    m = re.search(r"^ntb_frames recv .*$", out, re.M)
    f = fields(m.group(0)) if m else {}
    return t.ok(f.get("good") == count and f.get("bad") == 0 and
                f.get("out_of_order") == 0,
                "RC -> EP: the guest received %d frames of %s B, every "
                "byte checked, in order" % (count, sizes),
                out + guest_drops(g))


def ep_to_rc(t, h, g, count, sizes, n):
    rcv = h.start("recv%d" % n, frames_argv(h, g, "recv%d" % n, "recv",
                                            str(count), "60000"),
                  stdin=False)
    h.wait_for(rcv, r"^kpeer_frames: link up$", timeout=90)
    rc, out = g.exec("ntb_frames send %s %s %d %s" %
                     (g.env["GUEST_IF"], kpeer.RC_MAC, count, sizes),
                     timeout=180)
    t.ok(rc == 0, "EP -> RC: ntb_frames sent %d frames of %s B" %
         (count, sizes), out)
    rc = h.wait_exit(rcv, 180)
    m = re.search(r"^kpeer_frames recv .*$", rcv.output(), re.M)
    f = fields(m.group(0)) if m else {}
    return t.ok(rc == 0 and f.get("good") == count and f.get("bad") == 0,
                "EP -> RC: the RC received %d frames of %s B, every byte "
                "checked, in order" % (count, sizes), tail(rcv.output()))


def guest_drops(g):
    """The guest stack's drop counters, for a failure's diagnostics."""
    return g.exec("grep %s /proc/net/dev; cat /proc/net/softnet_stat" %
                  g.env["GUEST_IF"])[1]


def bulk(t):
    with kpeer.Guest("bulk") as g, Harness("kpeer_bulk") as h:
        # the receiver's socket must hold a burst: the guest's default
        # rmem_max (208 KiB) caps ntb_frames' 16 MiB SO_RCVBUF, and the
        # stack drops what does not fit while ntb_frames is not scheduled
        rc, out = g.exec("echo 33554432 > /proc/sys/net/core/rmem_max")
        if not t.ok(rc == 0, "guest socket buffers raised", out):
            return
        for n, (count, sizes) in enumerate(RUNS):
            # after a failure the next runs would only wait their timeouts
            if not rc_to_ep(t, h, g, count, sizes, n) or \
               not ep_to_rc(t, h, g, count, sizes, n):
                return


t = Tap()
t.run(bulk)
t.done()
