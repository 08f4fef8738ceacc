#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""copy=dma on the virtual vNTB link (rcar-s4 profile): the EP exports
two eDMA READ channels (dma_num_chans=2) and publishes its receive buffer
addresses; the RC's rawdev has copy=dma, so every frame the RC sends is
copied by the EP's eDMA engine thread. Byte-exact round trips both ways
(vnet_check pingpong against testpmd io forwarding), poll and intr mode,
no DMA error counted. Then an EP without the eDMA export: copy=auto
copies with the CPU (one log line), copy=dma is refused with one message
naming the reason."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
from ntbh import Harness, Tap, drivers_dir  # noqa: E402
from testpmd import FWD_CPU, command, quit_testpmd, start, vdevs  # noqa: E402
from testpmd import wait_link  # noqa: E402

CHECK = os.environ.get("NTB_VNET_CHECK")
EP_ARGS = ",dma_num_chans=2"
DMA_LINE = r"Tx copies by dmadev \d+ vchan 0"


def raw_args(role, copy):
    return EP_ARGS if role == "ep" else ",copy=%s" % copy


def roundtrip(t, mode, checker_role, n=3000, size=1000):
    if not CHECK or not os.access(CHECK, os.X_OK):
        t.ok(False, "round trip: vnet_check built",
             "NTB_VNET_CHECK=%r is not an executable" % CHECK)
        return
    fwd_role = "ep" if checker_role == "rc" else "rc"
    with Harness("dma_%s_%s" % (mode, checker_role)) as h:
        sock = h.sock()
        if fwd_role == "ep":
            fwd = start(h, "ep", sock, mode=mode, fwd="io",
                        app_args=["--no-flush-rx"],
                        raw_args=raw_args("ep", "dma"))
        argv = [CHECK, *h.eal(checker_role, mem=256,
                              lcores=FWD_CPU[checker_role],
                              extra=["-d", drivers_dir(),
                                     "--log-level", "pmd.raw.ntb_dwedma:info"]),
                *vdevs(checker_role, sock, mode,
                       raw_args=raw_args(checker_role, "dma")),
                "--", "pingpong", str(n), str(size), "60"]
        chk = h.start(checker_role, argv, preload=True)
        if fwd_role == "rc":
            fwd = start(h, "rc", sock, mode=mode, fwd="io",
                        app_args=["--no-flush-rx"],
                        raw_args=raw_args("rc", "dma"))
        h.send(fwd, "start\n")
        rc = h.wait_exit(chk, 90)
        out = chk.output()
        passed = rc == 0 and "PASS pingpong" in out
        diag = out.splitlines()[-15:] if not passed else \
            [l for l in out.splitlines() if "PASS" in l]
        t.ok(passed, "%s copy=dma: %d packets %s -> %s io -> %s byte-exact" %
             (mode, n, checker_role, fwd_role, checker_role),
             "exit %s\n%s" % (rc, "\n".join(diag)))
        h.send(fwd, "stop\n")
        rc_proc = chk if checker_role == "rc" else fwd
        if checker_role == "rc":
            rc_out = out
        else:
            m = command(h, fwd, "show port xstats 0",
                        r"tx_dma_errors_total:\s+(\d+)")
            t.ok(int(m.group(1)) == 0, "%s: RC counted no DMA error" % mode,
                 m.group(0))
            rc_out = rc_proc.output()
        t.ok(re.search(DMA_LINE, rc_out) is not None,
             "%s: the RC's Tx copies went through the dmadev" % mode,
             "\n".join(rc_out.splitlines()[-20:]))
        quit_testpmd(h, fwd)


def no_export(t, copy):
    """An EP without dma_num_chans: auto -> CPU, dma -> refused."""
    with Harness("dma_noexp_%s" % copy) as h:
        sock = h.sock()
        ep = start(h, "ep", sock, mode="poll", fwd="rxonly")
        rc = start(h, "rc", sock, mode="poll", fwd="txonly",
                   raw_args=",copy=%s" % copy)
        out = rc.output()
        if copy == "auto":
            n = len(re.findall(r"copy=auto: the EP exports no eDMA", out))
            t.ok(n == 1, "copy=auto without an eDMA export: one log line "
                 "says the CPU copies (%d)" % n, "\n".join(out.splitlines()[-20:]))
            t.ok(wait_link(h, rc) == "up" and wait_link(h, ep) == "up",
                 "copy=auto without an eDMA export: link up")
        else:
            n = len(re.findall(r"copy=dma refused: the EP exports no eDMA",
                               out))
            t.ok(n == 1, "copy=dma without an eDMA export: refused with "
                 "one message naming the reason (%d)" % n,
                 "\n".join(out.splitlines()[-20:]))
            t.ok(re.search(DMA_LINE, out) is None,
                 "copy=dma refused: no DMA queue pair")
        for p in (ep, rc):
            quit_testpmd(h, p)


t = Tap()
for mode in ("poll", "intr"):
    t.run(roundtrip, mode, "rc")
    t.run(roundtrip, mode, "ep")
t.run(no_export, "auto")
t.run(no_export, "dma")
t.done()
