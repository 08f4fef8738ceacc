#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Link state change through net_ntb_vnet as testpmd shows it.

testpmd on the EP and on the RC (rcar-s4 profile). The port of each side
follows the transport link, as Linux ntb_netdev's carrier follows the
transport queue pair:
- `port stop 0` on one side takes the link down: the other testpmd prints
  its LSC event line and `show port info 0` says down; `port start 0`
  brings it back up with another LSC event (each way);
- the RC process quits: the EP sees the link go down; a new RC process
  connects and the EP sees it come back up;
- the EP process quits: the RC sees the link go down; a new EP process
  starts: the RC reconnects and comes back up;
- the RC starts before any EP: its port starts link down, and comes up
  by itself when an EP starts."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
from ntbh import Harness, Tap  # noqa: E402
from testpmd import link_status, lsc_seen, quit_testpmd  # noqa: E402
from testpmd import start, wait_link as wait_status  # noqa: E402


def testpmd(h, name, role, sock):
    return start(h, role, sock, name=name, mbufs=2048)


def port_stop_start(t):
    with Harness("lsc_stop") as h:
        sock = h.sock()
        procs = {"ep": testpmd(h, "ep", "ep", sock)}
        procs["rc"] = testpmd(h, "rc", "rc", sock)
        t.ok(wait_status(h, procs["ep"], "up") == "up" and
             wait_status(h, procs["rc"], "up") == "up",
             "stop/start: link up on EP and RC")
        for actor, watcher in (("rc", "ep"), ("ep", "rc")):
            a, w = procs[actor], procs[watcher]
            since = h.mark(w)
            h.send(a, "port stop 0\n")
            t.ok(lsc_seen(h, w, since),
                 "%s port stop: %s testpmd prints the LSC event" %
                 (actor, watcher))
            t.ok(wait_status(h, w, "down") == "down",
                 "%s port stop: %s reports link down" % (actor, watcher))
            t.ok(link_status(h, a) == "down",
                 "%s port stop: %s itself reports link down" %
                 (actor, actor))
            since = h.mark(w)
            h.send(a, "port start 0\n")
            t.ok(lsc_seen(h, w, since),
                 "%s port start: %s testpmd prints the LSC event" %
                 (actor, watcher))
            t.ok(wait_status(h, w, "up") == "up" and
                 wait_status(h, a, "up") == "up",
                 "%s port start: link up again on both sides" % actor)
        for p in procs.values():
            t.ok(quit_testpmd(h, p) == 0, "%s testpmd quits cleanly" %
                 p.name)


def process_restart(t, dying):
    """The `dying` side's process quits and a new one starts."""
    survivor = "ep" if dying == "rc" else "rc"
    with Harness("lsc_restart_%s" % dying) as h:
        sock = h.sock()
        procs = {"ep": testpmd(h, "ep", "ep", sock)}
        procs["rc"] = testpmd(h, "rc", "rc", sock)
        s = procs[survivor]
        t.ok(wait_status(h, s, "up") == "up" and
             wait_status(h, procs[dying], "up") == "up",
             "%s restart: link up on EP and RC" % dying)
        since = h.mark(s)
        t.ok(quit_testpmd(h, procs[dying]) == 0,
             "%s restart: the %s testpmd quits" % (dying, dying))
        t.ok(lsc_seen(h, s, since),
             "%s gone: %s testpmd prints the LSC event" % (dying, survivor))
        t.ok(wait_status(h, s, "down") == "down",
             "%s gone: %s reports link down" % (dying, survivor))
        since = h.mark(s)
        new = testpmd(h, dying + "2", dying, sock)
        back = lsc_seen(h, s, since, timeout=40) and \
            wait_status(h, s, "up") == "up"
        what = "new %s: %s sees the link come back up (LSC event, " \
               "link up)" % (dying, survivor)
        t.ok(back, what)
        if back:
            t.ok(wait_status(h, new, "up") == "up",
                 "new %s: its own port is up" % dying)
        for p in (s, new):
            quit_testpmd(h, p)


def rc_first(t):
    """The RC testpmd starts with no EP: its port starts with the link
    down; an EP started afterwards brings it up by itself (LSC event)."""
    with Harness("lsc_rc_first") as h:
        sock = h.sock()
        # the RC's probe waits connect_timeout_ms (10 s) for an EP, then
        # goes on with the link down
        rc = testpmd(h, "rc", "rc", sock)
        t.ok(link_status(h, rc) == "down",
             "RC first: testpmd started, port link down")
        since = h.mark(rc)
        ep = testpmd(h, "ep", "ep", sock)
        t.ok(lsc_seen(h, rc, since, timeout=40) and
             wait_status(h, rc, "up") == "up" and
             wait_status(h, ep, "up") == "up",
             "EP started later: RC prints the LSC event, link up on both")
        for p in (rc, ep):
            t.ok(quit_testpmd(h, p) == 0, "%s testpmd quits cleanly" %
                 p.name)


t = Tap()
t.run(rc_first)
t.run(port_stop_start)
t.run(process_restart, "rc")
t.run(process_restart, "ep")
t.done()
