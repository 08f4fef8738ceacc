#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel peer: link up with default devargs on both sides (stock
ntb_transport / ntb_netdev parameters in the guest, no devargs but the
files on the RC), then the guest pings testpmd's icmpecho on the RC: 100
echoes, one per ICMP size from a 64-byte frame up to the 1500-byte MTU of
the DPDK port, none lost."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kpeer  # noqa: E402
import testpmd  # noqa: E402
from ntbh import Harness, Tap, tail  # noqa: E402

# ICMP payload s: frame = 14 + 20 + 8 + s bytes; 22 -> 64 B, 1472 -> 1514 B
SIZES = [22 + (1472 - 22) * i // 99 for i in range(100)]


def ping_sizes(t):
    with kpeer.Guest("ping") as g, Harness("kpeer_ping") as h:
        tp = h.start("rc", kpeer.testpmd_argv(h, g), preload=True)
        h.wait_for(tp, r"^testpmd> ", timeout=60)
        testpmd.command(h, tp, "start", r"^testpmd> ")
        link = testpmd.wait_link(h, tp, "up", timeout=60)
        if not t.ok(link == "up", "link up with default devargs",
                    tail(tp.output())):
            return
        rc, out = g.exec("ping -c 3 -W 3 %s" % g.env["PEER_IP"])
        if not t.ok(rc == 0 and "3 packets received" in out,
                    "guest ping: the first 3 answered", out):
            return
        # stops after 3 losses in a row: a broken path fails in seconds
        cmd = ("n=0; miss=0; for s in %s; do if ping -c 1 -W 5 -s $s %s "
               ">/dev/null 2>&1; then n=$((n+1)); miss=0; else "
               "echo lost=$s; miss=$((miss+1)); [ $miss -ge 3 ] && break; "
               "fi; done; echo received=$n" %
               (" ".join(str(s) for s in SIZES), g.env["PEER_IP"]))
        rc, out = g.exec(cmd, timeout=900)
        t.ok(rc == 0 and "received=100\n" in out and "lost=" not in out,
             "guest ping: 100 echoes, frames of 64..1514 bytes, none lost",
             out)
        st = testpmd.port_stats(h, tp)
        t.ok(st["rx"] >= 100 and st["tx"] >= 100 and st["rx_err"] == 0,
             "RC port counted the requests and the echoes (rx %d tx %d)" %
             (st["rx"], st["tx"]), str(st))
        rc, out = g.exec("ping -c 20 -i 0.05 %s" % g.env["PEER_IP"])
        t.ok(rc == 0 and "20 packets received" in out,
             "guest ping: 20 more at 50 ms intervals, none lost",
             out)
        for line in out.splitlines():
            if "round-trip" in line:
                print("# %s" % line)


t = Tap()
t.run(ping_sizes)
t.done()
