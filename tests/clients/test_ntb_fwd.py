#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""DPDK's own examples/ntb (ntb_fwd), built unmodified from the example
sources of the DPDK we build against (Debian's dpdk-doc for 22.11), on
the EP and on the RC of the virtual vNTB link (rcar-s4 profile): txonly
-> rxonly each way (counted
by our rawdev xstats) and a 10 MiB file sent with `send` each way,
compared byte for byte with the source."""

import filecmp
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
from ntbh import (Harness, HarnessError, Tap, build_path,  # noqa: E402
                  dpdk_examples_dir, dpdk_tool_env, drivers_dir)

EXAMPLE_SRC = dpdk_examples_dir("ntb")
PROMPT = r"ntb> "
FILE_SIZE = 10 << 20
# the mempool (nb_desc * 4 + lcores * cache mbufs of buf-size) must fit
# in the memory windows the device reports (rcar-s4 MW1: 0xF0000)
APP_ARGS = ["--", "-i", "--buf-size=1024", "--nb-desc=64"]


def build_ntb_fwd():
    """Copy examples/ntb into the build tree and make it (make skips an
    up-to-date binary: the copy keeps the sources' mtimes)."""
    dst = build_path("tests", "ntb_fwd")
    os.makedirs(dst, exist_ok=True)
    for leaf in os.listdir(EXAMPLE_SRC):
        src = os.path.join(EXAMPLE_SRC, leaf)
        if os.path.isfile(src):
            shutil.copy2(src, os.path.join(dst, leaf))
    r = subprocess.run(["make", "-C", dst], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=300,
                       env=dpdk_tool_env())
    binary = os.path.join(dst, "build", "ntb_fwd")
    if r.returncode != 0 or not os.access(binary, os.X_OK):
        raise HarnessError("make of examples/ntb failed:\n%s" %
                           r.stdout.decode(errors="replace")[-3000:])
    return binary


def ntb_fwd(h, binary, role, sock, cwd):
    idx = 0 if role == "ep" else 1
    argv = ["stdbuf", "-oL", binary,
            *h.eal(role, mem=256, lcores="0-1",
                   extra=["-d", drivers_dir()]),
            "--vdev", "raw_ntb_vsim%d,role=%s,link=%s,profile=rcar-s4" %
            (idx, role, sock), *APP_ARGS]
    return h.start(role, argv, preload=True, cwd=cwd)


def command(h, p, line, timeout=30):
    """Send one command line, return its output up to the next prompt."""
    since = h.mark(p)
    h.send(p, line + "\n")
    h.wait_for(p, PROMPT, timeout, since=since)
    return p.output()[since:]


def stats(h, p):
    out = command(h, p, "show port stats")
    vals = dict((k, int(v)) for k, v in
                re.findall(r"^\s+(\w+): (\d+)$", out, re.M))
    if "rx_packets" not in vals or "tx_packets" not in vals:
        raise HarnessError("no NTB port statistics in:\n%s" % out)
    return vals


def pair(h, binary):
    sock = h.sock()
    ep = ntb_fwd(h, binary, "ep", sock, h.subdir("ep"))
    rc = ntb_fwd(h, binary, "rc", sock, h.subdir("rc"))
    for p in (ep, rc):
        h.wait_for(p, r"Peer dev ready, ntb link up", 60)
        h.wait_for(p, PROMPT, 30)
    return ep, rc


def quit_all(t, h, procs):
    """quit each in turn; each must exit 0 (a sanitizer report does not)."""
    for p in procs:
        h.send(p, "quit\n")
        rc = h.wait_exit(p, 30)
        t.ok(rc == 0, "%s: quit, exit status %s" % (p.name, rc))


def drained(h, p, key, tries=50):
    """Poll a counter until it stops moving (the ring is empty)."""
    last = -1
    for _ in range(tries):
        v = stats(h, p)[key]
        if v == last:
            return v
        last = v
        time.sleep(0.2)
    return last


def txonly_rxonly(t, binary):
    with Harness("ntb_fwd_txrx") as h:
        ep, rc = pair(h, binary)
        roles = {"ep": ep, "rc": rc}
        for sender in ("rc", "ep"):
            receiver = "ep" if sender == "rc" else "rc"
            tx, rx = roles[sender], roles[receiver]
            for p in (tx, rx):
                command(h, p, "clear port stats")
            command(h, rx, "set fwd rxonly")
            command(h, tx, "set fwd txonly")
            command(h, rx, "start")
            command(h, tx, "start")
            time.sleep(1.5)
            command(h, tx, "stop")
            n_rx = drained(h, rx, "rx_packets")
            command(h, rx, "stop")
            s_tx, s_rx = stats(h, tx), stats(h, rx)
            t.ok(s_tx["tx_packets"] > 0, "%s txonly sent %d packets" %
                 (sender, s_tx["tx_packets"]))
            t.ok(0 < s_rx["rx_packets"] <= s_tx["tx_packets"] and
                 n_rx == s_rx["rx_packets"],
                 "%s rxonly received %d of %d" %
                 (receiver, s_rx["rx_packets"], s_tx["tx_packets"]))
            errs = dict((k, v) for s in (s_tx, s_rx) for k, v in s.items()
                        if re.match(r"(tx|rx)_errors$", k) and v)
            t.ok(not errs and "failed with err" not in
                 tx.output() + rx.output(), "%s->%s: no errors" %
                 (sender, receiver), str(errs))
        quit_all(t, h, (rc, ep))


def file_trans(t, binary):
    with Harness("ntb_fwd_file") as h:
        src = h.path("random.bin")
        with open(src, "wb") as f:
            f.write(os.urandom(FILE_SIZE))
        ep, rc = pair(h, binary)
        roles = {"ep": ep, "rc": rc}
        for sender in ("rc", "ep"):
            receiver = "ep" if sender == "rc" else "rc"
            tx, rx = roles[sender], roles[receiver]
            command(h, rx, "set fwd file-trans")
            command(h, rx, "start")
            since = h.mark(rx)
            out = command(h, tx, "send %s" % src, timeout=120)
            t.ok("Sending file, size is %d" % FILE_SIZE in out and
                 "Done sending file." in out,
                 "%s sent the 10 MiB file" % sender, out[-500:])
            m = h.wait_for(rx, r"Received file \(size: (\d+)\) from peer "
                           r"to (ntb_recv_file\d+)\.", 120, since=since)
            command(h, rx, "stop")
            got = os.path.join(h.path(receiver), m.group(2))
            t.ok(int(m.group(1)) == FILE_SIZE and
                 os.path.getsize(got) == FILE_SIZE and
                 filecmp.cmp(src, got, shallow=False),
                 "%s -> %s: %s byte-identical (%d bytes)" %
                 (sender, receiver, m.group(2), os.path.getsize(got)))
        # the EP first: the RC's close then sends no command to it
        quit_all(t, h, (ep, rc))
        waits = re.findall(r"no answer to \w+", rc.output())
        t.ok(len(waits) <= 1, "EP quit first: RC closed without waiting "
             "for it more than once", "\n".join(waits))


t = Tap()
if not os.path.isdir(EXAMPLE_SRC):
    t.skip("ntb_fwd", "%s absent (install dpdk-doc, devtools/setup.sh)" %
           EXAMPLE_SRC)
    t.done()
try:
    BINARY = build_ntb_fwd()
except (HarnessError, OSError, subprocess.SubprocessError) as e:
    t.ok(False, "build examples/ntb", str(e))
    t.done()
t.ok(os.access(BINARY, os.X_OK) and
     os.path.getmtime(BINARY) >= os.path.getmtime(os.path.join(EXAMPLE_SRC,
                                                              "ntb_fwd.c")),
     "examples/ntb built against the installed DPDK", BINARY)
t.run(txonly_rxonly, BINARY)
t.run(file_trans, BINARY)
t.done()
