#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Driver of devtools/bench.sh: net_ntb_vnet against the PMDs users would
otherwise pick, measured with the same tool (dpdk-ntb-perf) on the same
two cores, plus the machine's floor figures.

The host moves our two vCPUs between "near" (cache-line round trip about
100 ns) and "far" (about 400 ns) placements, which changes two-process
figures by up to 5x. So every run is bracketed by a cache-line probe and
labelled near/far/mixed, the runs of net_ntb_vnet and of its peer are
interleaved, and ratios are only computed between figures of the same
placement class.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(top, "tests", "harness"))
from ntbh import Harness, HarnessError  # noqa: E402

NEAR_MAX_NS = 250       # probe p50 below this: near placement
SERVER_CPU, CLIENT_CPU = 1, 0
IPP_DRIVERS = ("ntb_sized", "ntb_dma", "memif")
IPP_SIZES = (64, 1500, 9000)

# (name, tool args, figure key in the JSON of the measuring side,
#  measuring side, unit, higher is better)
CASES = [
    ("stream 64B", ["--test", "stream", "--size", "64"], "rx_mpps",
     "server", "Mpps", True),
    ("stream 1500B", ["--test", "stream", "--size", "1500"], "rx_mpps",
     "server", "Mpps", True),
    ("pingpong poll p50", ["--test", "pingpong", "--size", "64"],
     "rtt_p50_us", "client", "us", False),
    ("pingpong intr p50", ["--test", "pingpong", "--size", "64", "--mode",
                           "intr"], "rtt_p50_us", "client", "us", False),
]


class Bench:
    def __init__(self, args):
        self.args = args
        b = args.build_dir
        self.perf = os.path.join(b, "app", "ntb_perf", "dpdk-ntb-perf")
        self.floor = {f: os.path.join(b, "app", "ntb_floor", "ntb-floor-" + f)
                      for f in ("cacheline", "memcpy", "eventfd")}
        self.drivers = os.path.join(b, "drivers")
        self.runs = []
        for p in [self.perf, *self.floor.values()]:
            if not os.access(p, os.X_OK):
                raise SystemExit("bench: %s not built (ninja -C %s)" % (p, b))

    # -- helpers -------------------------------------------------------
    def tool(self, argv, timeout=60):
        with Harness("bench_floor", keep_logs=False) as h:
            p = h.start("floor", argv, stdin=False)
            if h.wait_exit(p, timeout) != 0:
                raise HarnessError("%s failed:\n%s" % (argv[0], p.output()))
            return last_json(p.output())

    def probe(self):
        r = self.tool([self.floor["cacheline"], str(CLIENT_CPU),
                       str(SERVER_CPU), "20"])
        return r["rtt_ns_p50"]

    def vdevs(self, h, driver, side, mode):
        """--vdev arguments of one side (server side: EP / memif server /
        net_vhost; client side: RC / memif client / virtio_user)."""
        if driver in ("ntb_vnet", "ntb_db", "ntb_2k", "ntb_base", "ntb_sized",
                      "ntb_dma"):
            role = "ep" if side == "server" else "rc"
            ddir = self.drivers if driver != "ntb_base" else \
                self.args.baseline_drivers
            extra = self.args.ntb_devargs
            if driver == "ntb_db":
                extra += ",intr=doorbell"
            if driver == "ntb_2k":
                extra += ",transport_mtu=2048"
            if driver == "ntb_sized":
                # frames sized to the packets: a ring deeper than a burst
                extra += ",transport_mtu=%d" % self.ipp_mtu
            if driver == "ntb_dma":
                # the RC's Tx copied by the EP's eDMA (engine thread),
                # frames sized as ntb_sized (instructions) or 2 KiB
                extra += ",transport_mtu=%d" % getattr(self, "ipp_mtu", 2048)
                extra += ",dma_num_chans=2" if role == "ep" else ",copy=dma"
            return ["-d", ddir, "--vdev",
                    "raw_ntb_vsim0,role=%s,link=%s,profile=rcar-s4%s" %
                    (role, h.sock_path, extra), "--vdev",
                    "net_ntb_vnet0,rawdev=raw_ntb_vsim0,mode=%s" % mode]
        if driver == "memif":
            return ["--vdev", "net_memif0,role=%s,socket=%s" %
                    ("server" if side == "server" else "client",
                     h.sock_path)]
        if driver == "vhost":
            if side == "server":
                return ["--vdev", "net_vhost0,iface=%s,queues=1" %
                        h.sock_path]
            return ["--vdev", "net_virtio_user0,path=%s,queues=1" %
                    h.sock_path, "--single-file-segments"]
        raise ValueError(driver)

    def run_perf(self, case, driver):
        name, targs, key, side, unit, _ = case
        secs = self.args.seconds
        role = {"stream": ("rx", "tx"), "pingpong": ("server", "client")}[
            targs[1]]
        mode = "intr" if "intr" in targs else "poll"
        with Harness("bench_%s" % driver, keep_logs=False) as h:
            h.sock_path = h.sock("%s.sock" % driver)
            procs = {}
            for s, cpu, r in (("server", SERVER_CPU, role[0]),
                              ("client", CLIENT_CPU, role[1])):
                argv = [self.perf, *h.eal(s, mem=256, lcores=str(cpu)),
                        *self.vdevs(h, driver, s, mode), "--", *targs,
                        "--role", r, "--duration", str(secs),
                        "--link-timeout", "20"]
                procs[s] = h.start(s, argv, stdin=False)
                if s == "server":
                    time.sleep(0.3)     # vhost/memif servers own the socket
            rcs = {s: h.wait_exit(p, secs + 60) for s, p in procs.items()}
            res = {s: last_json(p.output()) for s, p in procs.items()}
            if rcs[side] != 0 or res[side] is None:
                raise HarnessError("%s %s: exit %s\n%s" % (
                    driver, name, rcs, procs[side].output()[-3000:]))
            r = res[side]
            errs = (r.get("payload_errors", 0) or 0)
            return r[key], r, errs

    def run_eventfd(self):
        r = self.tool([self.floor["eventfd"], str(CLIENT_CPU),
                       str(SERVER_CPU), str(int(self.args.seconds * 1000))])
        return r["rtt_p50_us"], r, 0

    def one(self, case, driver):
        before = self.probe()
        t0 = time.monotonic()
        try:
            if driver == "eventfd":
                fig, raw, errs = self.run_eventfd()
            else:
                fig, raw, errs = self.run_perf(case, driver)
            err = None
        except HarnessError as e:
            fig, raw, errs, err = None, None, 0, str(e).splitlines()[0]
        after = self.probe()
        cls = placement(before, after)
        run = {"case": case[0], "driver": driver, "figure": fig,
               "unit": case[4], "class": cls, "probe_ns": [before, after],
               "payload_errors": errs, "error": err,
               "seconds": round(time.monotonic() - t0, 1), "json": raw}
        self.runs.append(run)
        print("bench: %-18s %-9s %10s %-4s probe %4d/%4d ns -> %-5s%s" % (
            case[0], driver, "-" if fig is None else "%.3f" % fig, case[4],
            before, after, cls, "  ERROR " + err if err else ""), flush=True)

    # -- instructions per packet ---------------------------------------
    def run_counted(self, driver, size, measured):
        """One stream of --count packets; the measured side (tx or rx) runs
        under callgrind, collecting only inside its burst functions."""
        a = self.args
        fns = {"tx": ["perf_tx_burst", "ntbt_dma_wait", "rc_trap"],
               "rx": ["perf_rx_burst_data", "perf_rx_burst_idle"]}[measured]
        # transport_mtu: the frame plus the 16-byte header, 64 B aligned,
        # at least 2 KiB
        self.ipp_mtu = max(2048, (size + 16 + 63) // 64 * 64)
        with Harness("ipp_%s_%d_%s" % (driver, size, measured),
                     keep_logs=False) as h:
            h.sock_path = h.sock("%s.sock" % driver)
            out = h.path("callgrind.out")
            procs = {}
            for s, cpu, r in (("server", SERVER_CPU, "rx"),
                              ("client", CLIENT_CPU, "tx")):
                argv = [self.perf, *h.eal(s, mem=512, lcores=str(cpu)),
                        *self.vdevs(h, driver, s, "poll"), "--",
                        "--test", "stream", "--size", str(size),
                        "--role", r, "--count", str(a.count),
                        "--mbufs", "16383",
                        # the side not measured checks only sequence numbers
                        # so that it keeps up
                        "--check", "all" if r == measured else "seq",
                        "--duration", "600", "--link-timeout", "120"]
                if r == measured:
                    argv = ["valgrind", "--tool=callgrind",
                            "--callgrind-out-file=" + out,
                            *["--toggle-collect=" + f for f in fns], *argv]
                procs[s] = h.start(s, argv, stdin=False)
                if s == "server":
                    # vhost/memif servers own the socket
                    time.sleep(15 if r == measured else 0.5)
            rcs = {s: h.wait_exit(p, 900) for s, p in procs.items()}
            side = "client" if measured == "tx" else "server"
            res = last_json(procs[side].output())
            if rcs[side] != 0 or res is None:
                raise HarnessError("%s %d B %s: exit %s\n%s" % (
                    driver, size, measured, rcs,
                    procs[side].output()[-3000:]))
            cost = inclusive_costs(out, fns)
            if a.keep_callgrind:
                os.makedirs(a.keep_callgrind, exist_ok=True)
                shutil.copy(out, os.path.join(a.keep_callgrind,
                    "callgrind.%s.%d.%s" % (driver, size, measured)))
        if measured == "tx":
            # refused or partial calls (the receiver fell behind) spread
            # the per-call cost over fewer packets: timing would show
            ipp = cost["perf_tx_burst"] / res["tx_burst_packets"]
            took = res["tx_burst_calls"] - res["tx_burst_refused"]
            per_call = res["tx_burst_packets"] / max(took, 1)
            bad = per_call < 0.9 * 32
            extra = "%d calls, %d refused, %.1f packets per call" % (
                res["tx_burst_calls"], res["tx_burst_refused"], per_call)
            if driver == "ntb_dma":
                # copy=dma: the parts spent waiting for the engine (and
                # publishing what it finished meanwhile), and in the
                # virtual link's BAR trap (each LL element store: absent
                # on hardware, where the trap is NULL)
                extra += ", of which %.0f in ntbt_dma_wait, %.0f in " \
                    "the virtual link's BAR trap" % (
                        cost["ntbt_dma_wait"] / res["tx_burst_packets"],
                        cost["rc_trap"] / res["tx_burst_packets"])
        else:
            # an empty poll's cost: the idle function's, less the packets
            # of its last call (the first data), at the data phase's rate
            raw = cost["perf_rx_burst_data"] / \
                max(res["rx_burst_data_packets"], 1)
            idle = max(0.0, cost["perf_rx_burst_idle"] -
                       res["rx_burst_idle_packets"] * raw) / \
                max(res["rx_burst_idle_empty"], 1)
            empty = res["rx_burst_data_empty"]
            ipp = (cost["perf_rx_burst_data"] - empty * idle) / \
                res["rx_burst_data_packets"]
            # empty polls are taken out; partial bursts (the sender fell
            # behind) would move the count
            full = res["rx_burst_data_calls"] - empty
            bad = 0 if res["rx_burst_data_packets"] >= 0.9 * 32 * full \
                else 1
            extra = "%d calls, %d empty (%.0f instr each, taken out), " \
                "%.1f packets per call" % (
                    res["rx_burst_data_calls"], empty, idle,
                    res["rx_burst_data_packets"] / max(full, 1))
        print("bench: instructions %-8s %5d B %s: %8.0f per packet (%s)%s" % (
            driver, size, measured, ipp, extra,
            "" if not bad else ": peer fell behind"), flush=True)
        return ipp, bad

    def instructions(self):
        """Instructions per packet in the PMDs' Tx and Rx bursts."""
        table = {}
        drivers = self.args.ipp_drivers.split(",") \
            if self.args.ipp_drivers else IPP_DRIVERS
        for driver in drivers:
            for size in IPP_SIZES:
                for measured in ("tx", "rx"):
                    table[driver, size, measured] = None
                    if driver == "memif" and size > 1518:
                        # 22.11's net_memif: max frame 1518, a larger MTU
                        # is refused at configure
                        continue
                    if driver == "ntb_dma" and measured == "rx":
                        # the measured Rx is the EP's, a CPU copy as
                        # ntb_sized's: copy=dma changes the RC's Tx only
                        continue
                    # a run whose peer fell behind is repeated (twice)
                    for _ in range(3):
                        try:
                            ipp, bad = self.run_counted(driver, size,
                                                        measured)
                        except HarnessError as e:
                            print("bench: %s %d B %s failed: %s" % (
                                driver, size, measured,
                                str(e).splitlines()[0]))
                            break
                        table[driver, size, measured] = (ipp, bad)
                        if not bad:
                            break
        print()
        print("dpdk-ntb-perf stream, %d packets, burst 32; instructions "
              "per packet inside rte_eth_tx_burst / rte_eth_rx_burst "
              "(valgrind callgrind)" % self.args.count)
        hdr = "%-10s %6s %10s %10s" % ("driver", "size", "Tx", "Rx")
        print(hdr)
        print("-" * len(hdr))
        for driver in drivers:
            for size in IPP_SIZES:
                print("%-10s %6d %10s %10s" % (
                    driver, size,
                    *[fmt_ipp(table[driver, size, m]) for m in ("tx", "rx")]))
        print("(*: the peer fell behind in every try: partial bursts; "
              "-: not measured, net_memif refuses frames above 1518 B; "
              "ntb_dma: ntb_sized with copy=dma, the RC's Tx copied by the "
              "EP's eDMA, its Rx is ntb_sized's)")
        if self.args.json:
            with open(self.args.json, "w") as f:
                json.dump([{"driver": d, "size": s, "side": m,
                            "ipp": v and v[0], "peer_behind": v and v[1]}
                           for (d, s, m), v in table.items()], f, indent=1)
        return 1 if any(v is None for (d, sz, m), v in table.items()
                        if (d != "memif" or sz <= 1518) and
                        (d != "ntb_dma" or m == "tx")) else 0

    # -- the run -------------------------------------------------------
    def main(self):
        a = self.args
        t0 = time.monotonic()
        load0 = os.getloadavg()
        self.memcpy = self.tool([self.floor["memcpy"], "200"])
        self.cacheline = [self.probe() for _ in range(3)]
        for case in CASES:
            peers = self.peers(case[0])
            for rep in range(a.reps):
                order = [*self.mine(case[0]), *peers]
                if rep % 2:             # interleave: alternate who goes first
                    order.reverse()
                for d in order:
                    self.one(case, d)
        self.elapsed = time.monotonic() - t0
        self.load = (load0, os.getloadavg())
        self.report()
        if a.json:
            with open(a.json, "w") as f:
                json.dump({"runs": self.runs, "memcpy": self.memcpy,
                           "cacheline_ns": self.cacheline,
                           "loadavg": self.load}, f, indent=1)
        bad = [r for r in self.runs if r["error"] or r["payload_errors"]]
        return 1 if bad else 0

    def report(self):
        print()
        print("dpdk-vntb bench: dpdk-ntb-perf, server/rx on CPU %d, client/tx "
              "on CPU %d, %g s per run, %d runs per figure" %
              (SERVER_CPU, CLIENT_CPU, self.args.seconds, self.args.reps))
        print("loadavg %s at start, %s at end; %.0f s in all" % (
            "/".join("%.2f" % x for x in self.load[0]),
            "/".join("%.2f" % x for x in self.load[1]), self.elapsed))
        print("floor: memcpy %.1f GB/s (64 B hot), %.1f GB/s (1500 B hot), "
              "%.1f GB/s (1 MiB blocks, memory); cache-line round trip "
              "CPU%d<->CPU%d %s ns" % (
                  self.memcpy["gbs_64B_hot"], self.memcpy["gbs_1500B_hot"],
                  self.memcpy["gbs_1MiB_mem"], CLIENT_CPU, SERVER_CPU,
                  "/".join(str(x) for x in self.cacheline)))
        print("ours: ntb_vnet = net_ntb_vnet over raw_ntb_vsim (rcar-s4%s), "
              "ntb_db = the same with intr=doorbell, ntb_2k = with "
              "transport_mtu=2048 (both sides), ntb_dma = ntb_2k with "
              "copy=dma on the RC (the EP's eDMA engine thread copies its "
              "Tx); peers: memif = "
              "net_memif, vhost = net_vhost + net_virtio_user, eventfd = "
              "two processes waking each other with eventfds%s" % (
                  self.args.ntb_devargs,
                  ", ntb_base = " + self.args.baseline_drivers
                  if self.args.baseline_drivers else ""))
        print("placement: near = cache-line round trip < %d ns before and "
              "after the run, far = >= %d ns both times, mixed otherwise; "
              "figures are medians per class, ratios only within one class"
              % (NEAR_MAX_NS, NEAR_MAX_NS))
        print()
        hdr = "%-18s %-6s %-8s %9s %-12s %-9s %12s %8s %s" % (
            "figure", "class", "ours", "median", "", "peer", "median",
            "ratio", "target")
        print(hdr)
        print("-" * len(hdr))
        for case in CASES:
            name, unit, higher = case[0], case[4], case[5]
            peers = self.peers(name)
            for cls, me in [(c, m) for m in self.mine(name)
                            for c in ("near", "far", "mixed")]:
                mine = self.figs(name, me, cls)
                for peer in peers:
                    theirs = self.figs(name, peer, cls)
                    if not mine and not theirs:
                        continue
                    m = statistics.median(mine) if mine else None
                    t = statistics.median(theirs) if theirs else None
                    ratio = m / t if m and t else None
                    print("%-18s %-6s %-8s %9s %-12s %-9s %12s %8s %s" % (
                        name, cls, me, fmt(m), "%s (n=%d)" % (unit, len(mine)),
                        peer, "%s (n=%d)" % (fmt(t), len(theirs)),
                        "-" if ratio is None else "%.2f" % ratio,
                        target(name, peer, ratio)))
        errs = [r for r in self.runs if r["error"]]
        perrs = sum(r["payload_errors"] for r in self.runs)
        print()
        print("runs: %d, failed: %d, payload errors: %d" % (
            len(self.runs), len(errs), perrs))
        for r in errs:
            print("  failed: %s %s: %s" % (r["case"], r["driver"], r["error"]))

    def mine(self, name):
        """ntb_vnet as configured; streams also with 2 KiB frames (deeper
        ring), intr mode also with intr=doorbell."""
        if "intr" in name:
            return ["ntb_vnet", "ntb_db"]
        if name.startswith("stream"):
            return ["ntb_vnet", "ntb_2k", "ntb_dma"]
        return ["ntb_vnet"]

    def peers(self, name):
        p = ["vhost", "eventfd"] if "intr" in name else ["memif"]
        if self.args.baseline_drivers:
            p.append("ntb_base")
        return p

    def figs(self, case, driver, cls):
        return [r["figure"] for r in self.runs if r["case"] == case and
                r["driver"] == driver and r["class"] == cls and
                r["figure"] is not None]


def target(name, peer, ratio):
    """The issue's target for this ratio, and whether it is met."""
    if ratio is None or peer == "ntb_base":
        return ""
    if name.startswith("stream"):
        lim, ok = ">= 1.0", ratio >= 1.0
    elif "poll" in name:
        lim, ok = "<= 1.2", ratio <= 1.2
    elif peer == "eventfd":
        lim, ok = "<= 1.2", ratio <= 1.2
    else:
        lim, ok = "<= 1.0", ratio <= 1.0
    return "%s %s" % (lim, "met" if ok else "MISSED")


def placement(before, after):
    b, a = before < NEAR_MAX_NS, after < NEAR_MAX_NS
    return "near" if b and a else "far" if not b and not a else "mixed"


def fmt_ipp(x):
    return "-" if x is None else "%.0f%s" % (x[0], "*" if x[1] else "")


def inclusive_costs(path, fns):
    """Inclusive Ir of each function in a callgrind output file."""
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes",
                          "--threshold=100", path],
                         check=True, capture_output=True, text=True).stdout
    cost = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2 or not parts[0][:1].isdigit():
            continue
        for f in fns:
            # the largest of a function's lines is its inclusive cost
            if (":%s " % f) in line + " ":
                cost[f] = max(cost.get(f, 0),
                              int(parts[0].replace(",", "")))
    for f in fns:
        cost.setdefault(f, 0)
    return cost


def fmt(x):
    return "-" if x is None else "%.3f" % x


def last_json(text):
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                return None
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="1 run per figure of 1 s (about 1.5 minutes)")
    ap.add_argument("--seconds", type=float, default=None,
                    help="duration of each run (default 3, quick 1)")
    ap.add_argument("--reps", type=int, default=None,
                    help="runs per figure and driver (default 3, quick 1)")
    ap.add_argument("--build-dir", default=os.environ.get(
        "NTB_BUILD_DIR", os.path.join(top, "build")))
    ap.add_argument("--json", help="also write every run to this file")
    ap.add_argument("--ntb-devargs", default="",
                    help="extra raw_ntb_vsim devargs, e.g. ,transport_mtu=2048")
    ap.add_argument("--baseline-drivers", metavar="DIR",
                    help="also measure the PMDs in DIR (another build's "
                    "drivers/) as peer 'ntb_base', for before/after")
    ap.add_argument("--instructions", action="store_true",
                    help="only the instructions per packet in the Tx and Rx "
                    "bursts (valgrind callgrind), ntb_vnet and memif at "
                    "%s B" % ", ".join(str(x) for x in IPP_SIZES))
    ap.add_argument("--keep-callgrind", metavar="DIR",
                    help="--instructions: keep the callgrind files in DIR "
                    "(for callgrind_annotate)")
    ap.add_argument("--ipp-drivers", metavar="LIST",
                    help="--instructions: only these of %s (comma list)" %
                    ",".join(IPP_DRIVERS))
    ap.add_argument("--count", type=int, default=20000,
                    help="packets per --instructions run (default 20000)")
    a = ap.parse_args()
    if a.seconds is None:
        a.seconds = 1.0 if a.quick else 3.0
    if a.reps is None:
        a.reps = 1 if a.quick else 3
    if not 0.1 <= a.seconds <= 60 or not 1 <= a.reps <= 20:
        ap.error("--seconds must be in 0.1..60 and --reps in 1..20")
    if not 100 <= a.count <= 10000000:
        ap.error("--count must be in 100..10000000")
    os.environ.setdefault("NTB_BUILD_DIR", a.build_dir)
    if a.instructions:
        return Bench(a).instructions()
    return Bench(a).main()


if __name__ == "__main__":
    sys.exit(main())
