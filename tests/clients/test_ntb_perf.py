#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""dpdk-ntb-perf over the virtual vNTB link (rcar-s4 profile): pingpong
(poll and intr) and stream (64 and 1500 bytes) for about a second each.
Asserts on the JSON result lines: packets went through, every payload
checked intact, nothing lost. No timing assertions. Also checks that bad
tool arguments are refused with a message naming the parameter."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
from ntbh import Harness, Tap, drivers_dir  # noqa: E402

PERF = os.environ.get("NTB_PERF")


def result(p):
    for line in reversed(p.output().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return None


def run(t, test, mode, size, roles, count=None):
    with Harness("perf_%s_%s_%d" % (test, mode, size)) as h:
        sock = h.sock()
        procs = {}
        # EP serves / receives on CPU 1, RC is the client / sender on CPU 0
        for side, role, cpu, tool_role in (("ep", "ep", "1", roles[0]),
                                           ("rc", "rc", "0", roles[1])):
            argv = [PERF, *h.eal(side, mem=256, lcores=cpu,
                                 extra=["-d", drivers_dir()]),
                    "--vdev", "raw_ntb_vsim0,role=%s,link=%s,profile=rcar-s4"
                    % (role, sock),
                    "--vdev", "net_ntb_vnet0,rawdev=raw_ntb_vsim0,mode=%s" %
                    mode,
                    "--", "--test", test, "--role", tool_role, "--mode", mode,
                    "--size", str(size), "--duration", "1.5",
                    "--warmup", "100", "--link-timeout", "30"]
            if count:
                argv += ["--count", str(count), "--duration", "60"]
            procs[side] = h.start(side, argv, stdin=False)
        rc = {s: h.wait_exit(p, 90) for s, p in procs.items()}
        res = {s: result(p) for s, p in procs.items()}
        what = "%s %s %dB%s" % (test, mode, size,
                                 " --count %d" % count if count else "")
        t.ok(rc == {"ep": 0, "rc": 0} and None not in res.values(),
             "%s: both sides exit 0 with a JSON line" % what,
             "%s\n%s" % (rc, procs["rc"].output()[-2000:]))
        if None in res.values():
            return
        cli, srv = res["rc"], res["ep"]
        t.ok(cli["driver"] == "net_ntb_vnet" and srv["driver"] ==
             "net_ntb_vnet", "%s: measured through net_ntb_vnet" % what)
        if test == "pingpong":
            t.ok(cli["round_trips"] > 0 and srv["echoed"] >=
                 cli["round_trips"],
                 "%s: %d round trips, server echoed %d" %
                 (what, cli["round_trips"], srv["echoed"]))
            t.ok(cli["payload_errors"] == 0 and cli["lost"] == 0 and
                 srv["end"] == "peer",
                 "%s: no payload error, nothing lost, server ended by the "
                 "client" % what, json.dumps(cli))
            t.ok(0 < cli["rtt_min_us"] <= cli["rtt_p50_us"] <=
                 cli["rtt_p99_us"] <= cli["rtt_max_us"],
                 "%s: percentiles ordered" % what, json.dumps(cli))
        else:
            t.ok(cli["tx_packets"] > 0 and srv["rx_packets"] ==
                 cli["tx_packets"] and srv["tx_packets"] ==
                 cli["tx_packets"],
                 "%s: receiver got all %d packets the sender counted" %
                 (what, cli["tx_packets"]), json.dumps(srv))
            t.ok(srv["payload_errors"] == 0 and srv["out_of_order"] == 0
                 and srv["drops"] == 0 and srv["rx_bytes"] ==
                 srv["rx_packets"] * size,
                 "%s: payloads intact and in order, no drops" % what,
                 json.dumps(srv))
            if count:
                # the counted bursts (instruction counts) moved exactly the
                # packets: count data packets and 8 END packets (the
                # receiver stops after the burst with the first END)
                got = srv["rx_burst_data_packets"] + \
                    srv["rx_burst_idle_packets"]
                t.ok(cli["tx_packets"] == count and
                     cli["tx_burst_packets"] == count + 8 and
                     count < got <= count + 8 and
                     srv["rx_burst_data_empty"] <=
                     srv["rx_burst_data_calls"],
                     "%s: the sender stopped at the count, the counted "
                     "bursts moved every packet" % what,
                     "%s\n%s" % (json.dumps(cli), json.dumps(srv)))


def bad_args(t):
    cases = [
        (["--test", "stream", "--role", "client"], "--role client"),
        (["--test", "pingpong", "--role", "server", "--size", "20"],
         "--size 20"),
        (["--test", "pingpong", "--role", "server", "--mode", "irq"],
         "--mode irq"),
        (["--test", "walk", "--role", "tx"], "--test walk"),
        (["--role", "tx"], "--test and --role are required"),
        (["--test", "stream", "--role", "tx", "--count", "0"],
         "--count 0"),
    ]
    for args, expect in cases:
        with Harness("perf_badargs") as h:
            argv = [PERF, *h.eal("x", mem=64, lcores="0"), "--", *args]
            p = subprocess.run(argv, capture_output=True, text=True,
                               timeout=60)
            t.ok(p.returncode == 2 and expect in p.stderr,
                 "bad argument refused: %s" % " ".join(args),
                 p.stderr[-500:])


def main():
    t = Tap()
    # meson builds dpdk-ntb-perf and sets NTB_PERF: missing is a failure
    if not PERF or not os.access(PERF, os.X_OK):
        t.ok(False, "dpdk-ntb-perf built", "NTB_PERF=%r is not an executable "
             "(run through meson test)" % PERF)
        t.done()
    t.run(bad_args)
    t.run(run, "pingpong", "poll", 64, ("server", "client"))
    t.run(run, "pingpong", "intr", 64, ("server", "client"))
    t.run(run, "stream", "poll", 64, ("rx", "tx"))
    t.run(run, "stream", "poll", 1500, ("rx", "tx"))
    t.run(run, "stream", "poll", 64, ("rx", "tx"), 3000)
    t.done()


if __name__ == "__main__":
    main()
