#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""testpmd on the EP and on the RC, joined by the virtual vNTB link
(rcar-s4 profile), forwarding through net_ntb_vnet in poll and intr mode:
txonly -> rxonly each way (counters), and byte-exact round trips through
testpmd io forwarding checked by tests/apps/vnet_check."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
from ntbh import Harness, Tap, drivers_dir, find_tool  # noqa: E402

TESTPMD = find_tool("dpdk-testpmd")
CHECK = os.environ.get("NTB_VNET_CHECK")
# Each side forwards on its own CPU (two busy-polling lcores sharing one CPU
# crawl): the EP's forwarding lcore 1 runs on CPU 0, the RC's on CPU 1.
LCORES = {"ep": "0@1,1@0", "rc": "0@0,1@1"}
FWD_CPU = {"ep": "0", "rc": "1"}


def vdevs(h, role, sock, mode):
    raw = "raw_ntb_vsim0"
    return ["--vdev", "%s,role=%s,link=%s,profile=rcar-s4" % (raw, role, sock),
            "--vdev", "net_ntb_vnet0,rawdev=%s,mode=%s" % (raw, mode)]


def testpmd(h, role, sock, mode, fwd):
    # line-buffered stdout: the harness reads testpmd's answers as they come
    argv = ["stdbuf", "-oL", TESTPMD,
            *h.eal(role, mem=384,
                   extra=["--lcores", LCORES[role], "-d", drivers_dir()]),
            *vdevs(h, role, sock, mode), "--", "-i",
            "--total-num-mbufs", "4096", "--forward-mode", fwd,
            "--no-flush-rx"]
    p = h.start(role, argv, preload=True)
    h.wait_for(p, r"^testpmd> ", timeout=60)
    return p


def port_stats(h, p):
    since = h.mark(p)
    h.send(p, "show port stats 0\n")
    m = h.wait_for(p, r"RX-packets:\s+(\d+)\s+RX-missed:\s+(\d+)\s+"
                   r"RX-bytes:\s+(\d+)\s+RX-errors:\s+(\d+)[\s\S]*?"
                   r"TX-packets:\s+(\d+)\s+TX-errors:\s+(\d+)", 10,
                   since=since)
    return {"rx": int(m.group(1)), "rx_err": int(m.group(4)),
            "tx": int(m.group(5)), "tx_err": int(m.group(6))}


def wait_link(h, p):
    for _ in range(100):
        since = h.mark(p)
        h.send(p, "show port info 0\n")
        m = h.wait_for(p, r"Link status: (\w+)", 10, since=since)
        if m.group(1) == "up":
            return True
        import time
        time.sleep(0.1)
    return False


def txonly_rxonly(t, mode, sender_role):
    receiver_role = "ep" if sender_role == "rc" else "rc"
    with Harness("fwd_%s_%s" % (mode, sender_role)) as h:
        sock = h.sock()
        ep_fwd = "rxonly" if receiver_role == "ep" else "txonly"
        rc_fwd = "rxonly" if receiver_role == "rc" else "txonly"
        ep = testpmd(h, "ep", sock, mode, ep_fwd)
        rc = testpmd(h, "rc", sock, mode, rc_fwd)
        t.ok(wait_link(h, rc) and wait_link(h, ep),
             "%s: link up on both sides" % mode)
        rx, tx = (ep, rc) if receiver_role == "ep" else (rc, ep)
        h.send(rx, "start\n")
        h.send(tx, "start\n")
        import time
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
            h.send(p, "quit\n")
            h.wait_exit(p, 30)


def roundtrip(t, mode, checker_role, n=3000, size=1000):
    if not CHECK:
        t.skip("round trip", "vnet_check not built")
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
                *vdevs(h, checker_role, sock, mode), "--", "pingpong",
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
        h.send(fwd, "quit\n")
        h.wait_exit(fwd, 30)


t = Tap()
for mode in ("poll", "intr"):
    t.run(txonly_rxonly, mode, "rc")
    t.run(txonly_rxonly, mode, "ep")
    t.run(roundtrip, mode, "rc")
    t.run(roundtrip, mode, "ep")
t.done()
