#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Idle CPU of an interrupt-driven receiver on the virtual vNTB link.

For each receiver side (EP, RC): the echo server examples/ntb_vnet_intr
runs there with net_ntb_vnet mode=intr, tests/apps/vnet_check is the peer
on the other side. Once the link is up, nothing is sent for --seconds; the
receiver's CPU time (utime + stime of all its threads, from /proc) over
that time is the idle figure. Then the peer sends --packets packets one at
a time and checks each echo byte-exact, and the echo server must report
that it slept and was woken by Rx interrupts.

Usage: devtools/bench-idle.py [--seconds 10] [--receiver ep|rc|both]
                              [--packets 200] [--size 1000] [--build DIR]
Exit status 0 when every echo was exact and the receiver woke on
interrupts; the CPU figures are reported, not judged.
"""

import argparse
import json
import os
import re
import sys
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(top, "tests", "harness"))

HZ = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid):
    """utime + stime of a process (all threads), and per thread."""
    with open("/proc/%d/stat" % pid) as f:
        # the command name may hold spaces: fields start after ')'
        fields = f.read().rsplit(")", 1)[1].split()
    total = int(fields[11]) + int(fields[12])
    threads = {}
    task = "/proc/%d/task" % pid
    for tid in os.listdir(task):
        try:
            with open("%s/%s/comm" % (task, tid)) as f:
                name = f.read().strip()
            with open("%s/%s/stat" % (task, tid)) as f:
                tf = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue	# the thread ended meanwhile
        threads["%s/%s" % (name, tid)] = int(tf[11]) + int(tf[12])
    return total, threads


def run_side(args, receiver):
    from ntbh import Harness, drivers_dir

    peer = "rc" if receiver == "ep" else "ep"
    echo_bin = os.path.join(args.build, "examples", "ntb_vnet_intr",
                            "dpdk-ntb_vnet_intr")
    check_bin = os.path.join(args.build, "tests", "apps", "vnet_check")
    res = {"receiver": receiver}
    with Harness("idle_%s" % receiver) as h:
        sock = h.sock()

        def vdevs(role):
            raw = "raw_ntb_vsim0"
            return ["--vdev", "%s,role=%s,link=%s,profile=rcar-s4" %
                    (raw, role, sock),
                    "--vdev", "net_ntb_vnet0,rawdev=%s,mode=intr" % raw]

        def echo_argv():
            return [echo_bin, *h.eal(receiver, lcores="0",
                                     extra=["-d", drivers_dir()]),
                    *vdevs(receiver), "--", "--timeout-ms",
                    str(args.timeout_ms)]

        def check_argv():
            # quiet for the idle time plus margin, then ping-pong
            return [check_bin, *h.eal(peer, lcores="1",
                                      extra=["-d", drivers_dir()]),
                    *vdevs(peer), "--", "pingpong", str(args.packets),
                    str(args.size), "60", str(int(args.seconds) + 3)]

        # the EP listens, the RC connects: start the EP first
        if receiver == "ep":
            echo = h.start(receiver, echo_argv(), stdin=False)
            chk = h.start(peer, check_argv(), stdin=False)
        else:
            chk = h.start(peer, check_argv(), stdin=False)
            echo = h.start(receiver, echo_argv(), stdin=False)
        h.wait_for(chk, r"^link up", timeout=60)
        h.wait_for(echo, r"link up", timeout=30)
        time.sleep(1.0)		# let the link work settle
        t0 = time.monotonic()
        c0, th0 = cpu_ticks(echo.pid)
        time.sleep(args.seconds)
        c1, th1 = cpu_ticks(echo.pid)
        wall = time.monotonic() - t0
        res["idle_s"] = wall
        res["cpu_pct"] = 100.0 * (c1 - c0) / HZ / wall
        res["threads"] = sorted(((100.0 * (th1[k] - th0.get(k, 0)) / HZ /
                                  wall, k) for k in th1), reverse=True)
        if chk.output().find("sending") >= 0:
            res["warning"] = "the peer started sending before the idle " \
                             "measurement ended"
        rc = h.wait_exit(chk, 90)
        out = chk.output()
        m = re.search(r"^(PASS|FAIL).*$", out, re.M)
        res["echo"] = m.group(0) if m else "no verdict (rc %s)" % rc
        res["echo_ok"] = rc == 0 and m is not None and m.group(1) == "PASS"
        h.stop(echo)
        m = re.search(r"^\{.*\}$", echo.output(), re.M)
        rep = json.loads(m.group(0)) if m else {}
        res["report"] = rep
        res["woke"] = rep.get("sleeps", 0) > 0 and \
            rep.get("wakeups", 0) > 0 and \
            rep.get("packets_echoed", -1) == args.packets
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=10.0,
                    help="idle time measured (default 10)")
    ap.add_argument("--receiver", choices=("ep", "rc", "both"),
                    default="both")
    ap.add_argument("--packets", type=int, default=200)
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--timeout-ms", type=int, default=1000,
                    help="echo server's longest sleep (default 1000)")
    ap.add_argument("--build", default=os.path.join(top, "build"))
    args = ap.parse_args()
    os.environ.setdefault("NTB_BUILD_DIR", args.build)
    os.environ.setdefault("NTB_DRIVERS_DIR",
                          os.path.join(args.build, "drivers"))

    rows = []
    for side in (("ep", "rc") if args.receiver == "both"
                 else (args.receiver,)):
        print("bench-idle: %s receiver, idle %gs ..." %
              (side.upper(), args.seconds), flush=True)
        rows.append(run_side(args, side))
    print()
    print("idle CPU of the mode=intr receiver (dpdk-ntb_vnet_intr), "
          "virtual vNTB link rcar-s4, %d CPUs, %d ticks/s" %
          (os.cpu_count(), HZ))
    print("%-8s %7s %8s  %-6s %-6s %7s %7s" %
          ("receiver", "idle s", "CPU %", "echo", "woke", "sleeps",
           "wakeups"))
    ok = True
    for r in rows:
        rep = r["report"]
        print("%-8s %7.1f %8.2f  %-6s %-6s %7s %7s" %
              (r["receiver"].upper(), r["idle_s"], r["cpu_pct"],
               "exact" if r["echo_ok"] else "FAIL",
               "yes" if r["woke"] else "NO", rep.get("sleeps", "?"),
               rep.get("wakeups", "?")))
        busy = ", ".join("%s %.2f%%" % (k, p) for p, k in r["threads"][:4]
                         if p > 0)
        print("         threads: %s" % (busy or "none measurable"))
        if "warning" in r:
            print("         warning: %s" % r["warning"])
        if not r["echo_ok"]:
            print("         peer: %s" % r["echo"])
        ok = ok and r["echo_ok"] and r["woke"]
    print("result: %s" % ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
