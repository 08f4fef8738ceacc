# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Debian's dpdk-testpmd on one end of the virtual vNTB link, driven at its
interactive prompt through an ntbh.Harness: start it, read port stats and
link status, wait for LSC events, quit it.

    ep = testpmd.start(h, "ep", sock, mode="intr", fwd="rxonly")
    testpmd.wait_link(h, ep, "up")
    s = testpmd.port_stats(h, ep)      # {"rx": ..., "tx": ..., ...}

and byte-exact round trips through testpmd io forwarding, checked by
tests/apps/vnet_check (pingpong).
"""

import os
import time

from ntbh import HarnessError, drivers_dir, find_tool

TESTPMD = find_tool("dpdk-testpmd")
# tests/apps/vnet_check, which meson builds and names (missing: a failure)
VNET_CHECK = os.environ.get("NTB_VNET_CHECK")
RAWDEV = "raw_ntb_vsim0"
LSC_EVENT = r"^Port 0: link state change event$"

# Each side's forwarding lcore (lcore 1) on its own CPU: two busy-polling
# loops sharing one CPU crawl. The EP forwards on CPU 0, the RC on CPU 1;
# the main lcore, idle at the prompt, takes the other one.
LCORES = {"ep": "0@1,1@0", "rc": "0@0,1@1"}
FWD_CPU = {"ep": "0", "rc": "1"}

_STATS = (r"RX-packets:\s+(\d+)\s+RX-missed:\s+(\d+)\s+RX-bytes:\s+(\d+)"
          r"\s+RX-errors:\s+(\d+)[\s\S]*?TX-packets:\s+(\d+)\s+"
          r"TX-errors:\s+(\d+)\s+TX-bytes:\s+(\d+)")
_STATS_KEYS = ("rx", "rx_missed", "rx_bytes", "rx_err", "tx", "tx_err",
               "tx_bytes")


def vdevs(role, sock, mode=None, profile="rcar-s4", raw_args=""):
    """--vdev arguments of the rawdev and the ethdev for one side;
    raw_args: more rawdev devargs (",key=value...")."""
    vnet = "net_ntb_vnet0,rawdev=%s" % RAWDEV
    if mode:
        vnet += ",mode=%s" % mode
    return ["--vdev", "%s,role=%s,link=%s,profile=%s%s" %
            (RAWDEV, role, sock, profile, raw_args), "--vdev", vnet]


def start(h, role, sock, mode=None, fwd=None, name=None, mem=384,
          mbufs=4096, app_args=(), preload=True, raw_args="",
          prompt=True):
    """Start testpmd as `role` (ep|rc) and wait for its prompt."""
    argv = ["stdbuf", "-oL", TESTPMD,  # line-buffered: answers as they come
            *h.eal(name or role, mem=mem,
                   extra=["--lcores", LCORES[role], "-d", drivers_dir()]),
            *vdevs(role, sock, mode, raw_args=raw_args), "--", "-i",
            "--total-num-mbufs", str(mbufs)]
    if fwd:
        argv += ["--forward-mode", fwd]
    argv += list(app_args)
    p = h.start(name or role, argv, preload=preload)
    if prompt:
        h.wait_for(p, r"^testpmd> ", timeout=60)
    return p


def command(h, p, line, pattern, timeout=10):
    """Send one command line; the match of `pattern` in its answer."""
    since = h.mark(p)
    h.send(p, line + "\n")
    return h.wait_for(p, pattern, timeout, since=since)


def port_stats(h, p):
    """`show port stats 0` as a dict of ints (keys: _STATS_KEYS)."""
    m = command(h, p, "show port stats 0", _STATS)
    return dict(zip(_STATS_KEYS, (int(x) for x in m.groups())))


def link_status(h, p):
    """"up" or "down", from `show port info 0`."""
    return command(h, p, "show port info 0",
                   r"Link status: (\w+)").group(1)


def wait_link(h, p, want="up", timeout=30):
    """Poll the link status until it is `want` (bounded); the last seen."""
    deadline = time.monotonic() + timeout
    while True:
        got = link_status(h, p)
        if got == want or time.monotonic() > deadline:
            return got
        time.sleep(0.1)


def lsc_seen(h, p, since, timeout=30):
    """Whether testpmd printed an LSC event after mark `since`."""
    try:
        h.wait_for(p, LSC_EVENT, timeout, since=since)
        return True
    except HarnessError:
        return False


def quit_testpmd(h, p, timeout=30):
    """`quit`, then the exit status (the harness kills it on timeout)."""
    h.send(p, "quit\n")
    return h.wait_exit(p, timeout)


def pingpong(h, t, mode, checker_role, what, n=3000, size=1000,
             raw_args=lambda role: "", extra=()):
    """vnet_check pingpong (n packets of size bytes) on checker_role
    against testpmd io forwarding on the other side, in mode: one TAP
    check, "<what>: <n> packets ... byte-exact". raw_args(role): more
    rawdev devargs of a side; extra: more EAL arguments of the checker.
    Returns (fwd, chk, out): testpmd stopped, at its prompt (the caller
    quits it), and the checker's exit and output; None when vnet_check
    is not built (a failed check)."""
    if not VNET_CHECK or not os.access(VNET_CHECK, os.X_OK):
        t.ok(False, "round trip: vnet_check built",
             "NTB_VNET_CHECK=%r is not an executable" % VNET_CHECK)
        return None
    fwd_role = "ep" if checker_role == "rc" else "rc"
    sock = h.sock()

    def forwarder():
        return start(h, fwd_role, sock, mode=mode, fwd="io",
                     app_args=["--no-flush-rx"],
                     raw_args=raw_args(fwd_role))

    # the EP first: the RC's probe connects to it
    if fwd_role == "ep":
        fwd = forwarder()
    # the checker polls on the CPU the other side does not forward on
    argv = [VNET_CHECK, *h.eal(checker_role, mem=256,
                               lcores=FWD_CPU[checker_role],
                               extra=["-d", drivers_dir(), *extra]),
            *vdevs(checker_role, sock, mode,
                   raw_args=raw_args(checker_role)),
            "--", "pingpong", str(n), str(size), "60"]
    chk = h.start(checker_role, argv, preload=True)
    if fwd_role == "rc":
        fwd = forwarder()
    h.send(fwd, "start\n")
    rc = h.wait_exit(chk, 90)
    out = chk.output()
    passed = rc == 0 and "PASS pingpong" in out
    # on failure, the checker's last lines say what went wrong
    diag = out.splitlines()[-15:] if not passed else \
        [line for line in out.splitlines() if "PASS" in line]
    t.ok(passed, "%s: %d packets %s -> %s io -> %s byte-exact" %
         (what, n, checker_role, fwd_role, checker_role),
         "exit %s\n%s" % (rc, "\n".join(diag)))
    h.send(fwd, "stop\n")
    return fwd, chk, out
