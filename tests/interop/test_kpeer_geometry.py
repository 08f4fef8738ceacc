#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel peer, a geometry where the counts differ: ntb_transport with two
queue pairs (max_num_clients=2) over the one memory window of the guest,
the RC with num_qps=2. Both sides publish NUM_MWS=1 and NUM_QPS=2 in
their scratchpads and each checks the other's: a side that swapped the
two, or sized its rings for another count, gets no link (every other
interop test has one window and one queue pair, where a swap goes
unseen). Queue pair 0 carries frames both ways, byte-exact; the guest's
ntb_netdev opens queue pair 0 only (one netdev, one queue: see the
report of issue 12), so queue pair 1 is checked up to its handshake in
the guest (its debugfs entry) and in the RC's scratchpad layout."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kframes  # noqa: E402
import kpeer  # noqa: E402
from ntbh import Harness, Tap  # noqa: E402

COUNT = 1000
SIZES = "60-1514"


def geometry(t):
    with kpeer.Guest("geometry", ["ntb_transport.max_num_clients=2"]) as g, \
            Harness("kpeer_geometry") as h:
        g.env["RC_VDEV"] += ",num_qps=2"
        rc, out = g.exec("ls /sys/kernel/debug/ntb_transport/*/")
        t.ok(rc == 0 and re.search(r"\bqp0\b", out) and
             re.search(r"\bqp1\b", out) and not re.search(r"\bqp2\b", out),
             "guest ntb_transport has 2 queue pairs over 1 window", out)
        if not kframes.guest_raise_rmem(t, g):
            return
        if not kframes.rc_to_ep(t, h, g, COUNT, SIZES, "a"):
            return
        kframes.ep_to_rc(t, h, g, COUNT, SIZES, "b")


t = Tap()
t.run(geometry)
t.done()
