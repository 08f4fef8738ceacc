#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Demo driver for devtools/demo.sh: testpmd on EP and RC over the virtual
vNTB link, txonly -> rxonly each way, poll then intr, with a report."""

import os
import sys
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(top, "tests", "harness"))
os.environ.setdefault("NTB_BUILD_DIR", os.path.join(top, "build"))
from ntbh import Harness, HarnessError  # noqa: E402
import testpmd  # noqa: E402

SECONDS = float(os.environ.get("DEMO_SECONDS", "10"))
PKT_LEN = 64


def start(h, role, sock, mode, fwd):
    return testpmd.start(h, role, sock, mode=mode, fwd=fwd, mem=512,
                         mbufs=8192, app_args=["--txpkts", str(PKT_LEN)],
                         preload=False)


def phase(mode, sender):
    receiver = "ep" if sender == "rc" else "rc"
    with Harness("demo_%s_%s" % (mode, sender), keep_logs=False) as h:
        sock = h.sock()
        procs = {}
        for role in ("ep", "rc"):
            procs[role] = start(h, role, sock, mode,
                                "txonly" if role == sender else "rxonly")
        testpmd.wait_link(h, procs["ep"], "up")
        state = testpmd.wait_link(h, procs["rc"], "up")
        h.send(procs[receiver], "start\n")
        h.send(procs[sender], "start\n")
        t0 = time.monotonic()
        time.sleep(SECONDS)
        h.send(procs[sender], "stop\n")
        elapsed = time.monotonic() - t0
        time.sleep(0.5)
        h.send(procs[receiver], "stop\n")
        tx = testpmd.port_stats(h, procs[sender])
        rx = testpmd.port_stats(h, procs[receiver])
        for p in procs.values():
            testpmd.quit_testpmd(h, p)
        # sent but never received (the receiver stopped 0.5 s after the
        # sender), missed, refused frames and Tx errors
        return {"mode": mode, "dir": "%s->%s" % (sender.upper(),
                                                  receiver.upper()),
                "link": state, "tx": tx["tx"], "rx": rx["rx"],
                "mpps": rx["rx"] / elapsed / 1e6,
                "gbps": rx["rx_bytes"] * 8 / elapsed / 1e9,
                "drops": max(tx["tx"] - rx["rx"], 0) + rx["rx_missed"] +
                rx["rx_err"] + tx["tx_err"]}


def main():
    rows = []
    for mode in ("poll", "intr"):
        for sender in ("rc", "ep"):
            print("demo: %s mode, %s sending for %gs ..." %
                  (mode, sender.upper(), SECONDS), flush=True)
            try:
                rows.append(phase(mode, sender))
            except HarnessError as e:
                print("demo: %s/%s failed: %s" % (mode, sender, e))
                rows.append({"mode": mode, "dir": "%s->%s" % (
                    sender.upper(), "EP" if sender == "rc" else "RC"),
                    "link": "?", "tx": 0, "rx": 0, "mpps": 0, "gbps": 0,
                    "drops": "failed"})
    print()
    print("dpdk-vntb demo: testpmd txonly -> rxonly through net_ntb_vnet over "
          "the virtual vNTB link (rcar-s4), %d-byte packets, %gs per row" %
          (PKT_LEN, SECONDS))
    print("%-5s %-9s %-5s %12s %12s %8s %8s %7s" %
          ("mode", "direction", "link", "tx pkts", "rx pkts", "Mpps",
           "Gbit/s", "drops"))
    for r in rows:
        print("%-5s %-9s %-5s %12d %12d %8.3f %8.3f %7s" %
              (r["mode"], r["dir"], r["link"], r["tx"], r["rx"], r["mpps"],
               r["gbps"], r["drops"]))
    print("Gbit/s counts Ethernet frame bytes (no preamble, gap or CRC); "
          "drops = sent but not received + missed + errors.")
    print("The CPUs are shared with the emulated EP and with anything else "
          "running: figures show function, not hardware speed.")
    ok = all(r["rx"] > 0 and r["drops"] == 0 for r in rows)
    print("result: %s" % ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
