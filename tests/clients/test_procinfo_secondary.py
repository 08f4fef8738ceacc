#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Debian's dpdk-proc-info, a secondary process, reads the stats of a
net_ntb_vnet port of a running testpmd primary.

The EP testpmd (primary, on hugepages) receives txonly traffic from the
RC testpmd; once traffic stopped, `dpdk-proc-info -- --stats` and
`-- --xstats` attach to the EP's file prefix: their packet and byte
counts must equal what the primary's `show port stats 0` shows, and the
primary must keep running with its link up (the secondary's probe of
raw_ntb_vsim must not touch the link).

DPDK 22.11 cannot attach a secondary process to a --no-huge primary
(the secondary needs the primary's hugepage files), so the test is
skipped on a machine without free hugepages."""

import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
from ntbh import Harness, Tap, drivers_dir, find_tool  # noqa: E402

TESTPMD = find_tool("dpdk-testpmd")
PRIMARY_MB = 256


def free_hugepage_mb():
    info = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":", 1)
            info[k] = int(v.split()[0])
    with open("/proc/mounts") as f:
        mounted = any(l.split()[2] == "hugetlbfs" for l in f)
    if not mounted:
        return 0
    return info.get("HugePages_Free", 0) * info.get("Hugepagesize", 0) // 1024


def testpmd(h, role, sock, fwd, huge):
    raw = "raw_ntb_vsim0"
    eal = h.eal(role, mem=PRIMARY_MB if huge else 384, lcores="0-1",
                extra=["-d", drivers_dir()])
    if huge:
        eal.remove("--no-huge")
    argv = ["stdbuf", "-oL", TESTPMD, *eal,
            "--vdev", "%s,role=%s,link=%s,profile=rcar-s4" % (raw, role, sock),
            "--vdev", "net_ntb_vnet0,rawdev=%s" % raw,
            "--", "-i", "--total-num-mbufs", "2048", "--forward-mode", fwd]
    p = h.start(role, argv, preload=True)
    h.wait_for(p, r"^testpmd> ", timeout=60)
    return p


def show(h, p, cmd, pattern):
    since = h.mark(p)
    h.send(p, cmd + "\n")
    return h.wait_for(p, pattern, 10, since=since)


def primary_stats(h, p):
    m = show(h, p, "show port stats 0",
             r"RX-packets:\s+(\d+)\s+RX-missed:\s+\d+\s+RX-bytes:\s+(\d+)"
             r"\s+RX-errors:\s+(\d+)[\s\S]*?TX-packets:\s+(\d+)\s+"
             r"TX-errors:\s+(\d+)\s+TX-bytes:\s+(\d+)")
    return dict(zip(("rx", "rx_bytes", "rx_err", "tx", "tx_err",
                     "tx_bytes"), map(int, m.groups())))


def proc_info(h, prefix, what):
    argv = [find_tool("dpdk-proc-info"), "--file-prefix", prefix,
            "-d", drivers_dir(), "--log-level", "lib.eal:warning",
            "--log-level", "pmd.raw.ntb_dwedma:info", "--", "-p", "1",
            what]
    env = dict(os.environ)
    if os.environ.get("NTB_ASAN_PRELOAD"):
        env["LD_PRELOAD"] = os.environ["NTB_ASAN_PRELOAD"]
        env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    r = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                       env=env)
    sys.stdout.write("# ran: %s (rc %d)\n" % (" ".join(argv), r.returncode))
    return r.returncode, r.stdout + r.stderr


def secondary_stats(t):
    with Harness("procinfo") as h:
        sock = h.sock()
        ep = testpmd(h, "ep", sock, "rxonly", huge=True)
        rc = testpmd(h, "rc", sock, "txonly", huge=False)
        for _ in range(100):
            if show(h, ep, "show port info 0",
                    r"Link status: (\w+)").group(1) == "up":
                break
            time.sleep(0.2)
        h.send(ep, "start\n")
        h.send(rc, "start\n")
        time.sleep(2)
        h.send(rc, "stop\n")
        time.sleep(1)
        h.send(ep, "stop\n")
        prim = primary_stats(h, ep)
        t.ok(prim["rx"] > 0, "primary received packets (%d)" % prim["rx"])

        rcode, out = proc_info(h, h.prefix("ep"), "--stats")
        m = re.search(r"RX-packets:\s+(\d+)\s+RX-errors:\s+(\d+)\s+"
                      r"RX-bytes:\s+(\d+)[\s\S]*?TX-packets:\s+(\d+)\s+"
                      r"TX-errors:\s+(\d+)\s+TX-bytes:\s+(\d+)", out)
        t.ok(rcode == 0 and m is not None,
             "proc-info --stats prints the port's stats", out[-2000:])
        if m:
            sec = dict(zip(("rx", "rx_err", "rx_bytes", "tx", "tx_err",
                            "tx_bytes"), map(int, m.groups())))
            t.ok(all(sec[k] == prim[k] for k in sec),
                 "proc-info --stats counts equal the primary's",
                 "primary %s\nsecondary %s" % (prim, sec))
        t.ok("secondary process: no rawdev here" in out,
             "raw_ntb_vsim skips its probe in the secondary", out[-2000:])

        rcode, out = proc_info(h, h.prefix("ep"), "--xstats")
        x = dict((k, int(v)) for k, v in
                 re.findall(r"^(\w+): (\d+)$", out, re.M))
        t.ok(rcode == 0 and x.get("rx_good_packets") == prim["rx"] and
             x.get("rx_good_bytes") == prim["rx_bytes"] and
             x.get("rx_q0_packets") == prim["rx"],
             "proc-info --xstats: rx_good_packets/bytes, rx_q0_packets "
             "equal the primary's", out[-2000:])

        t.ok(show(h, ep, "show port info 0",
                  r"Link status: (\w+)").group(1) == "up" and
             show(h, rc, "show port info 0",
                  r"Link status: (\w+)").group(1) == "up",
             "link still up on both sides after the secondaries")
        for p in (ep, rc):
            h.send(p, "quit\n")
            t.ok(h.wait_exit(p, 30) == 0, "%s testpmd quits cleanly" %
                 p.name)


t = Tap()
mb = free_hugepage_mb()
if mb < PRIMARY_MB + 64:
    t.skip("proc-info secondary stats",
           "needs %d MB of free hugepages (have %d): DPDK cannot attach a "
           "secondary to a --no-huge primary" % (PRIMARY_MB + 64, mb))
else:
    t.run(secondary_stats)
t.done()
