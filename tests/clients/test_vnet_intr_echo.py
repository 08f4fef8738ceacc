#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""examples/ntb_vnet_intr (echo server sleeping on Rx interrupts) on the
real rawdev, EP side then RC side, net_ntb_vnet mode=intr on both ends:
after a quiet time the peer (tests/apps/vnet_check pingpong) sends packets
one at a time and compares every echo byte-exact; the server must report
that its sleeps were ended by interrupts. The server's sleep timeout is
longer than the peer's whole budget, so only interrupts can carry the
ping-pong to the end in time."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
from ntbh import Harness, Tap, build_path, drivers_dir  # noqa: E402

ECHO = build_path("examples", "ntb_vnet_intr", "dpdk-ntb_vnet_intr")
CHECK = os.environ.get("NTB_VNET_CHECK")
PACKETS = 100


def vdevs(role, sock):
    raw = "raw_ntb_vsim0"
    return ["--vdev", "%s,role=%s,link=%s,profile=rcar-s4" % (raw, role, sock),
            "--vdev", "net_ntb_vnet0,rawdev=%s,mode=intr" % raw]


def echo_side(t, receiver):
    peer = "rc" if receiver == "ep" else "ep"
    with Harness("intr_echo_%s" % receiver) as h:
        sock = h.sock()
        echo_argv = [ECHO, *h.eal(receiver, lcores="0",
                                  extra=["-d", drivers_dir()]),
                     *vdevs(receiver, sock), "--", "--timeout-ms", "30000",
                     "--duration", "120"]
        # peer: quiet 2 s after link up (the server goes to sleep), then
        # PACKETS ping-pongs within 25 s
        chk_argv = [CHECK, *h.eal(peer, lcores="1",
                                  extra=["-d", drivers_dir()]),
                    *vdevs(peer, sock), "--", "pingpong", str(PACKETS),
                    "777", "25", "2"]
        if receiver == "ep":
            echo = h.start(receiver, echo_argv, stdin=False)
            chk = h.start(peer, chk_argv, stdin=False)
        else:
            chk = h.start(peer, chk_argv, stdin=False)
            echo = h.start(receiver, echo_argv, stdin=False)
        rc = h.wait_exit(chk, 90)
        out = chk.output()
        t.ok(rc == 0 and ("PASS pingpong %d packets" % PACKETS) in out,
             "%s echo server: %d echoes byte-exact at the %s" %
             (receiver, PACKETS, peer),
             "\n".join(l for l in out.splitlines()[-15:]))
        h.stop(echo)
        m = re.search(r"^\{.*\}$", echo.output(), re.M)
        t.ok(m is not None, "%s echo server printed its report" % receiver,
             echo.output()[-2000:])
        if m is None:
            return
        rep = json.loads(m.group(0))
        t.ok(rep["packets_received"] == PACKETS and
             rep["packets_echoed"] == PACKETS and rep["tx_dropped"] == 0,
             "%s echo server received and echoed %d packets" %
             (receiver, PACKETS), str(rep))
        t.ok(rep["sleeps"] > 0 and rep["wakeups"] > 0,
             "%s echo server slept and Rx interrupts woke it "
             "(%d sleeps, %d wakeups)" %
             (receiver, rep["sleeps"], rep["wakeups"]), str(rep))


t = Tap()
# meson builds both (this test depends on them): missing is a failure
if not CHECK or not os.access(CHECK, os.X_OK) or not os.access(ECHO, os.X_OK):
    t.ok(False, "intr echo: vnet_check and dpdk-ntb_vnet_intr built",
         "NTB_VNET_CHECK=%r, %s" % (CHECK, ECHO))
else:
    t.run(echo_side, "ep")
    t.run(echo_side, "rc")
t.done()
