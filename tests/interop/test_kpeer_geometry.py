#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel peer, geometries where the counts differ (every other interop
test has one window and one queue pair, where a NUM_QPS/NUM_MWS swap
goes unseen). Each side publishes its NUM_MWS and NUM_QPS in the other's
scratchpads and checks the other's: a side that swapped the two, or
sized its rings for another count, gets no link.

- 1 window, 2 queue pairs: ntb_transport.max_num_clients=2 in the
  guest, num_qps=2 on the RC; both queue pairs share the window.
- 2 windows, 1 queue pair: vNTB num_mws=2 (mw2 1 MiB) on our EPC with
  BAR4 and BAR5 as two 32-bit BARs (pci_epc_ivshmem.bar45_32=1: MW2 in
  BAR5, ntb_hw_epf's i.MX8 map), ntb_transport.max_num_clients=1,
  num_qps=1 on the RC; both windows are translated (CONFIGURE_MW 0 and
  1) and the queue pair's ring lies in window 0.

Queue pair 0 carries frames both ways, byte-exact. The guest's
ntb_netdev opens queue pair 0 only (one netdev, one queue; 7.2 sets
more through ethtool, which the guest lacks), so queue pair 1 of the
first case is checked up to its creation in the guest (its debugfs
entry): no frame can go through it from a stock guest."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kframes  # noqa: E402
import kpeer  # noqa: E402
from ntbh import Harness, Tap, drivers_dir, tail  # noqa: E402

COUNT = 1000
SIZES = "60-1514"


# ntb_transport takes ilog2(doorbell mask) queue pairs, capped by the
# windows unless max_num_clients is below that count; 7.2's vNTB offers
# db_count - 2 doorbells (6.1 more): db_count=6 gives 7.2 four doorbells,
# three queue pairs before max_num_clients=2 applies. 7.2's automatic BAR choice never reaches MW2 (its second loop
# starts at MW1 again, so MW2 keeps no BAR and set_bar fails): there the
# BARs are given (mw1_bar, mw2_bar exist in 7.2 only).
SERIES = os.environ.get("KPEER_KERNEL", "6.1")
MW_BARS = ["mw1_bar=4", "mw2_bar=5"] if SERIES != "6.1" else []
CASES = [
    ("1 MW, 2 QPs", ["db_count=6", "ntb_transport.max_num_clients=2"],
     ",num_qps=2", ["qp0", "qp1"], 1),
    ("2 MWs, 1 QP", ["pci_epc_ivshmem.bar45_32=1", "num_mws=2",
                     "mw2=0x100000", *MW_BARS,
                     "ntb_transport.max_num_clients=1"],
     ",num_qps=1", ["qp0"], 2),
]


def geometry(t, what, args, rc_args, qps, mws):
    with kpeer.Guest("geometry", args) as g, \
            Harness("kpeer_geometry") as h:
        g.env["RC_VDEV"] += rc_args
        rc, out = g.exec("ls /sys/kernel/debug/ntb_transport/*/; "
                         "cat /sys/kernel/debug/ntb_transport/*/qp0/stats "
                         "| head -n 1")
        got = sorted(re.findall(r"\bqp\d+\b", out))
        t.ok(rc == 0 and got == qps,
             "%s: the guest's ntb_transport has queue pairs %s" %
             (what, " ".join(qps)), out)
        if not kframes.guest_raise_rmem(t, g):
            return
        if not kframes.rc_to_ep(t, h, g, COUNT, SIZES, "a"):
            return
        # EP -> RC, with the RC's log at INFO (its windows)
        argv = [kframes.FRAMES,
                *h.eal("recv", mem=256, lcores="0-1",
                       extra=["-d", drivers_dir(), "--log-level",
                              "pmd.raw.ntb_dwedma:info"]),
                *kpeer.vdevs(g), "--", "recv", str(COUNT), "60000"]
        rcv = h.start("recv", argv, stdin=False)
        h.wait_for(rcv, r"^kpeer_frames: link up$", timeout=90)
        rc, out = g.exec("ntb_frames send %s %s %d %s" %
                         (g.env["GUEST_IF"], kpeer.RC_MAC, COUNT, SIZES),
                         timeout=180)
        t.ok(rc == 0, "EP -> RC: ntb_frames sent %d frames of %s B" %
             (COUNT, SIZES), out)
        rc = h.wait_exit(rcv, 180)
        log = rcv.output()
        f = kframes.last_line(log, "kpeer_frames recv")
        t.ok(rc == 0 and f.get("good") == COUNT and f.get("bad") == 0 and
             f.get("out_of_order") == 0,
             "EP -> RC: the RC received %d frames of %s B, every byte "
             "checked, in order" % (COUNT, SIZES), tail(log))
        m = re.search(r"vNTB ctrl v\d+, map \w+, (\d+) MW\(s\)", log)
        t.ok(m is not None and int(m.group(1)) == mws and
             re.search(r"MW%d: EP window at" % mws, log) is not None and
             re.search(r"MW%d: EP window at" % (mws + 1), log) is None,
             "%s: the RC took %d window(s) from the EP, each translated" %
             (what, mws), tail(log))


def all_cases(t):
    for c in CASES:
        geometry(t, *c)


t = Tap()
t.run(all_cases)
t.done()
