#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""testpmd on the EP and on the RC, joined by the virtual vNTB link
(rcar-s4 profile), forwarding through net_ntb_vnet in poll and intr mode:
txonly -> rxonly each way (counters), and byte-exact round trips through
testpmd io forwarding checked by tests/apps/vnet_check."""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
from ntbh import Harness, Tap  # noqa: E402
from testpmd import pingpong, port_stats, quit_testpmd, start  # noqa: E402
from testpmd import wait_link  # noqa: E402


def testpmd(h, role, sock, mode, fwd):
    return start(h, role, sock, mode=mode, fwd=fwd,
                 app_args=["--no-flush-rx"])


def txonly_rxonly(t, mode, sender_role):
    receiver_role = "ep" if sender_role == "rc" else "rc"
    with Harness("fwd_%s_%s" % (mode, sender_role)) as h:
        sock = h.sock()
        ep_fwd = "rxonly" if receiver_role == "ep" else "txonly"
        rc_fwd = "rxonly" if receiver_role == "rc" else "txonly"
        ep = testpmd(h, "ep", sock, mode, ep_fwd)
        rc = testpmd(h, "rc", sock, mode, rc_fwd)
        t.ok(wait_link(h, rc) == "up" and wait_link(h, ep) == "up",
             "%s: link up on both sides" % mode)
        rx, tx = (ep, rc) if receiver_role == "ep" else (rc, ep)
        h.send(rx, "start\n")
        h.send(tx, "start\n")
        time.sleep(2)
        h.send(tx, "stop\n")
        time.sleep(0.5)
        h.send(rx, "stop\n")
        srx = port_stats(h, rx)
        stx = port_stats(h, tx)
        t.ok(stx["tx"] > 1000, "%s %s txonly sent packets (%d)" %
             (mode, sender_role, stx["tx"]))
        t.ok(srx["rx"] > 1000 and srx["rx"] <= stx["tx"],
             "%s %s->%s rxonly received them (%d of %d)" %
             (mode, sender_role, receiver_role, srx["rx"], stx["tx"]))
        t.ok(srx["rx_err"] == 0 and stx["tx_err"] == 0,
             "%s no errors" % mode, str((srx, stx)))
        for p in (ep, rc):
            quit_testpmd(h, p)


def roundtrip(t, mode, checker_role):
    with Harness("rt_%s_%s" % (mode, checker_role)) as h:
        r = pingpong(h, t, mode, checker_role, mode)
        if r is not None:
            quit_testpmd(h, r[0])


t = Tap()
for mode in ("poll", "intr"):
    t.run(txonly_rxonly, mode, "rc")
    t.run(txonly_rxonly, mode, "ep")
    t.run(roundtrip, mode, "rc")
    t.run(roundtrip, mode, "ep")
t.done()
