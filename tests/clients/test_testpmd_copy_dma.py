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
from ntbh import Harness, Tap  # noqa: E402
from testpmd import command, pingpong, quit_testpmd, start  # noqa: E402
from testpmd import wait_link  # noqa: E402

EP_ARGS = ",dma_num_chans=2"
DMA_LINE = r"Tx copies by dmadev \d+ vchan 0"


def raw_args(role, copy):
    return EP_ARGS if role == "ep" else ",copy=%s" % copy


def roundtrip(t, mode, checker_role):
    with Harness("dma_%s_%s" % (mode, checker_role)) as h:
        r = pingpong(h, t, mode, checker_role, "%s copy=dma" % mode,
                     raw_args=lambda role: raw_args(role, "dma"),
                     extra=["--log-level", "pmd.raw.ntb_dwedma:info"])
        if r is None:
            return
        fwd, chk, out = r
        if checker_role == "rc":
            rc_out = out
        else:
            m = command(h, fwd, "show port xstats 0",
                        r"tx_dma_errors_total:\s+(\d+)")
            t.ok(int(m.group(1)) == 0, "%s: RC counted no DMA error" % mode,
                 m.group(0))
            rc_out = fwd.output()
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
