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
from ntbh import Harness, Tap, drivers_dir  # noqa: E402
from testpmd import FWD_CPU, port_stats, quit_testpmd, start, vdevs  # noqa: E402
from testpmd import wait_link  # noqa: E402

CHECK = os.environ.get("NTB_VNET_CHECK")


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


def roundtrip(t, mode, checker_role, n=3000, size=1000):
    # meson builds vnet_check and sets NTB_VNET_CHECK: missing fails
    if not CHECK or not os.access(CHECK, os.X_OK):
        t.ok(False, "round trip: vnet_check built",
             "NTB_VNET_CHECK=%r is not an executable" % CHECK)
        return
    fwd_role = "ep" if checker_role == "rc" else "rc"
    with Harness("rt_%s_%s" % (mode, checker_role)) as h:
        sock = h.sock()
        if fwd_role == "ep":
            fwd = testpmd(h, "ep", sock, mode, "io")
        # the checker polls on the CPU the other side does not forward on
        argv = [CHECK, *h.eal(checker_role, mem=256,
                              lcores=FWD_CPU[checker_role],
                              extra=["-d", drivers_dir()]),
                *vdevs(checker_role, sock, mode), "--", "pingpong",
                str(n), str(size), "60"]
        chk = h.start(checker_role, argv, preload=True)
        if fwd_role == "rc":
            fwd = testpmd(h, "rc", sock, mode, "io")
        h.send(fwd, "start\n")
        rc = h.wait_exit(chk, 90)
        out = chk.output()
        passed = rc == 0 and "PASS pingpong" in out
        # on failure, the checker's last lines say what went wrong
        diag = out.splitlines()[-15:] if not passed else \
            [l for l in out.splitlines() if "PASS" in l]
        t.ok(passed, "%s: %d packets %s -> %s io -> %s byte-exact" %
             (mode, n, checker_role, fwd_role, checker_role),
             "exit %s\n%s" % (rc, "\n".join(diag)))
        h.send(fwd, "stop\n")
        quit_testpmd(h, fwd)


t = Tap()
for mode in ("poll", "intr"):
    t.run(txonly_rxonly, mode, "rc")
    t.run(txonly_rxonly, mode, "ep")
    t.run(roundtrip, mode, "rc")
    t.run(roundtrip, mode, "ep")
t.done()
