#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel peer, frames longer than the MTU (issue 10, finding 3): the
guest's ntb_netdev has MTU 1500, so it posts Rx buffers of 1514 bytes,
and one longer frame stops its queue's Rx for good (rx_err_oflow, then
version errors on every later frame). With the DPDK port MTU equal to
the guest's, kpeer_frames offers frames of 60..3000 bytes in one run:
those longer than 1514 are dropped by our Tx and counted
(tx_mtu_drops_total, oerrors), and every other one reaches the guest,
every byte checked, also those that follow a dropped one; the guest's
ntb_transport counts no overflow. The counters are read while the RC
still holds the link: the kernel zeroes them when its queue resets."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kframes  # noqa: E402
import kpeer  # noqa: E402
from ntbh import Harness, Tap, tail  # noqa: E402

COUNT = 2000
LO, HI = 60, 3000
PORT_MTU = 1500     # the guest's (its Rx buffers: 1514 bytes)
MAX_FRAME = PORT_MTU + 14


def size_of(seq):
    """kpeer_frames' frame size for seq (SIZE A-B)."""
    return LO + (seq * 997) % (HI - LO + 1)


def mtu_drop(t):
    kept = [s for s in range(COUNT) if size_of(s) <= MAX_FRAME]
    gaps = sum(1 for a, b in zip(kept, kept[1:]) if b != a + 1)
    dropped = COUNT - len(kept)
    with kpeer.Guest("mtudrop", ["mtu=%d" % PORT_MTU]) as g, \
            Harness("kpeer_mtu_drop") as h:
        if not kframes.guest_raise_rmem(t, g):
            return
        g.spawn("ntb_frames recv %s %d 90000" % (g.env["GUEST_IF"],
                                                  len(kept)), "rx")
        snd = h.start("send", kframes.frames_argv(
            h, g, "send", "send", g.mac(), str(COUNT), "%d-%d" % (LO, HI),
            "50000", "100", str(PORT_MTU), "15000"), stdin=False)
        h.wait_for(snd, r"^kpeer_frames: link held", timeout=180)
        out = snd.output()
        port = kframes.last_line(out, "kpeer_frames port")
        x = kframes.last_line(out, "kpeer_frames xstat")
        t.ok(x.get("tx_mtu_drops_total") == dropped and
             port.get("oerrors") == dropped and
             port.get("opackets") == len(kept),
             "RC port MTU %d: the %d frames over %d B dropped and counted "
             "(tx_mtu_drops_total, oerrors), the %d others sent" %
             (PORT_MTU, dropped, MAX_FRAME, len(kept)), tail(out))
        gout = g.collect("rx", timeout=120)
        f = kframes.last_line(gout, "ntb_frames recv")
        t.ok(f.get("good") == len(kept) and f.get("bad") == 0 and
             f.get("out_of_order") == gaps and f.get("first") == kept[0] and
             f.get("last") == kept[-1],
             "the guest received every frame of <= %d B (%d), every byte "
             "checked, in order, also after each dropped one (%d gaps)" %
             (MAX_FRAME, len(kept), gaps), gout + kframes.guest_drops(g))
        st = kframes.qp_stats(g)
        t.ok(st.get("rx_err_oflow") == 0 and st.get("rx_err_ver") == 0 and
             st.get("rx_pkts", 0) >= len(kept),
             "guest ntb_transport qp0: rx_pkts %d, no rx_err_oflow, no "
             "rx_err_ver" % st.get("rx_pkts", -1), st["_text"])
        h.wait_exit(snd, 120)


t = Tap()
t.run(mtu_drop)
t.done()
