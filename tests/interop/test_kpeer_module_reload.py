#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel peer, the guest's NTB client stack restarts: ntb_netdev and
ntb_transport are unloaded (the transport's queue pair and spads go
away under the RC) and loaded again with the parameters they had, the
interface is set up with its address. Twice. Each time the RC's link
comes back and traffic resumes: pings through testpmd (icmpecho), then
frames both ways, every byte checked."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
import kframes  # noqa: E402
import kpeer  # noqa: E402
from ntbh import Harness, Tap  # noqa: E402

RELOADS = 2


def reload_cmd(g):
    # kpeer-up keeps each module's parameters in /tmp/kpeer-params.M
    return (
        "set -e; ip link set {i} down; rmmod ntb_netdev; rmmod ntb_transport; "
        "! grep -q '^ntb_transport ' /proc/modules; "
        "insmod /lib/modules/ntb_transport.ko "
        "$(cat /tmp/kpeer-params.ntb_transport 2>/dev/null); "
        "insmod /lib/modules/ntb_netdev.ko "
        "$(cat /tmp/kpeer-params.ntb_netdev 2>/dev/null); "
        "n=0; until [ -e /sys/class/net/{i}/device ]; do n=$((n+1)); "
        "[ $n -lt 100 ]; sleep 0.1; done; "
        "ip link set {i} up; ip addr add {ip}/24 dev {i}; echo reload=ok"
        .format(i=g.env["GUEST_IF"], ip=g.env["GUEST_IP"]))


def module_reload(t):
    with kpeer.Guest("reload") as g, Harness("kpeer_reload") as h:
        if not kframes.guest_raise_rmem(t, g) or \
           not kframes.pings(t, h, g, "first load"):
            return
        for r in range(RELOADS):
            what = "reload %d" % (r + 1)
            rc, out = g.exec(reload_cmd(g), timeout=60)
            if not t.ok(rc == 0 and "reload=ok" in out,
                        "%s: rmmod ntb_netdev ntb_transport, insmod both, "
                        "interface up with its address" % what, out):
                return
            if not kframes.pings(t, h, g, "after " + what) or \
               not kframes.rc_to_ep(t, h, g, 500, "60-1514", "r%d" % r) or \
               not kframes.ep_to_rc(t, h, g, 500, "60-1514", "r%d" % r):
                return


t = Tap()
t.run(module_reload)
t.done()
