#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel peer, RC in mode=intr: examples/ntb_vnet_intr (an echo server
that sleeps in rte_epoll_wait on Rx interrupts) runs on the RC; the guest
sends one frame every 100 ms and checks every echo byte for byte. The
server's sleep timeout (30 s) is longer than the whole exchange, so only
the EP's MSI (vNTB peer_db_set -> pci_epc_ivshmem -> ivshmem doorbell ->
the RC's eventfd) can wake it in time; it must report its wake-ups."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kpeer  # noqa: E402
from ntbh import Harness, Tap, build_path, drivers_dir, tail  # noqa: E402

ECHO = build_path("examples", "ntb_vnet_intr", "dpdk-ntb_vnet_intr")
COUNT = 50
GAP_US = 100000


def intr_echo(t):
    with kpeer.Guest("intr") as g, Harness("kpeer_intr") as h:
        # ours: no stdbuf (its preload would come before the sanitizer
        # runtime in the sanitizer build); "link up" is a driver log line
        echo = h.start("echo", [
            ECHO,
            *h.eal("echo", mem=256, lcores="0",
                   extra=["-d", drivers_dir(),
                          "--log-level", "pmd.raw.ntb_dwedma:info"]),
            *kpeer.vdevs(g, mode="intr"), "--", "--timeout-ms", "30000",
            "--duration", "300"], stdin=False)
        h.wait_for(echo, r"link up", timeout=90)
        g.spawn("ntb_frames recv %s %d 60000" % (g.env["GUEST_IF"], COUNT),
                "echo_rx")
        rc, out = g.exec("ntb_frames send %s %s %d 60-1514 %d" %
                         (g.env["GUEST_IF"], kpeer.RC_MAC, COUNT, GAP_US),
                         timeout=120)
        t.ok(rc == 0, "guest sent %d frames, one per %d ms" %
             (COUNT, GAP_US // 1000), out)
        out = g.collect("echo_rx", timeout=60)
        m = re.search(r"^ntb_frames recv .*good=(\d+) bad=(\d+).*$", out,
                      re.M)
        t.ok(m is not None and int(m.group(1)) == COUNT and
             int(m.group(2)) == 0,
             "guest got %d echoes from the RC in mode=intr, every byte "
             "checked" % COUNT, out + tail(echo.output()))
        h.stop(echo)
        m = re.search(r"^\{.*\}$", echo.output(), re.M)
        if not t.ok(m is not None, "echo server printed its report",
                    tail(echo.output())):
            return
        rep = json.loads(m.group(0))
        t.ok(rep["packets_received"] == COUNT and
             rep["packets_echoed"] == COUNT,
             "RC echoed exactly %d frames" % COUNT, str(rep))
        t.ok(rep["sleeps"] > 0 and rep["wakeups"] > 0,
             "RC slept in rte_epoll_wait and the EP's MSI woke it "
             "(%d sleeps, %d wakeups)" % (rep["sleeps"], rep["wakeups"]),
             str(rep))


t = Tap()
t.run(intr_echo)
t.done()
