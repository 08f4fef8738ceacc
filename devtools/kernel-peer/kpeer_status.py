#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel-peer diagnostic: the EPC descriptor and the vNTB ctrl region.

Reads, from the host, what the guest's pci_epc_ivshmem publishes
(kernel/linux/pci_epc_ivshmem/epc_ivshmem_abi.h) in the ivshmem file and,
through the guest RAM file at bar[0].phys, the header of the vNTB ctrl
region (struct epf_ntb_ctrl, the same layout in 6.1 and 7.2). Everything
read is bounds-checked.

  --check          exit 1 unless the function looks like the i.MX8 map a
                   default "kernel-peer.sh up" makes
  --kernel S       the guest's kernel series for --check (6.1 or 7.2)
  --wait-started S wait up to S seconds for started=1 first
  --reset          mark the descriptor "guest gone" (QEMU must be dead)
"""

import argparse
import mmap
import os
import struct
import sys
import time

MAGIC = 0x43504576
ABI = 1
NUM_BARS = 6
NUM_OB = 8
OFF_BAR = 0x40
OFF_OB = 0xD0
OFF_HOST = 0x1E0
DESC_SIZE = 0x1F0
BAR_SET, BAR_64, BAR_PREFETCH = 1, 2, 4

# struct epf_ntb_ctrl (packed), 6.1 and 7.2 alike
CTRL_FMT = "<IIHHIQQIIIII"
CTRL_FIELDS = ("command", "argument", "command_status", "link_status",
               "topology", "addr", "size", "num_mws", "reserved",
               "spad_offset", "spad_count", "db_entry_size")
CTRL_DB = struct.calcsize(CTRL_FMT)		# db_data[32], db_offset[32]
# where the scratchpads start: 6.1 aligns the ctrl size (0x134) to the
# EPC's 4 KiB, 7.2 to 4 bytes
SPAD_OFFSET = {"6.1": 0x1000, "7.2": 0x134}


def read_desc(shm, tries=1000):
    """Copies the descriptor between two equal, even seq values."""
    for _ in range(tries):
        seq1 = struct.unpack_from("<I", shm, 8)[0]
        raw = bytes(shm[:DESC_SIZE])
        seq2 = struct.unpack_from("<I", shm, 8)[0]
        if seq1 == seq2 and not seq1 & 1:
            return parse_desc(raw)
        time.sleep(0.001)
    raise RuntimeError("descriptor seq never stable (guest writing?)")


def parse_desc(raw):
    d = {}
    (d["magic"], d["abi"], d["seq"], d["boot_id"]) = struct.unpack_from(
        "<IIII", raw, 0)
    (d["vendor_id"], d["device_id"], d["revid"], d["progif"], d["subclass"],
     d["baseclass"], d["subsys_vendor_id"], d["subsys_id"],
     d["header_valid"]) = struct.unpack_from("<HHBBBBHHI", raw, 0x10)
    (d["started"], d["msi_count"], d["ob_base"], d["ob_size"]) = \
        struct.unpack_from("<IIQQ", raw, 0x20)
    d["bar"] = [dict(zip(("phys", "size", "flags"),
                         struct.unpack_from("<QQI", raw, OFF_BAR + 24 * i)))
                for i in range(NUM_BARS)]
    d["ob"] = [dict(zip(("shm_offset", "pci_addr", "size", "active"),
                        struct.unpack_from("<QQQI", raw, OFF_OB + 32 * i)))
               for i in range(NUM_OB)]
    (d["irq_raised"], d["irq_dropped"]) = struct.unpack_from("<QQ", raw,
                                                             0x1D0)
    (d["rc_peer_id"], d["rc_vectors"], d["rc_seq"]) = struct.unpack_from(
        "<iIQ", raw, OFF_HOST)
    return d


def read_ctrl(ram, phys, size):
    need = CTRL_DB + 8 * 32
    if size < need or phys + need > len(ram):
        return None
    c = dict(zip(CTRL_FIELDS, struct.unpack_from(CTRL_FMT, ram, phys)))
    c["db_data"] = list(struct.unpack_from("<32I", ram, phys + CTRL_DB))
    c["db_offset"] = list(struct.unpack_from("<32I", ram,
                                             phys + CTRL_DB + 128))
    return c


def bar_flags(f):
    return "|".join(n for b, n in ((BAR_SET, "set"), (BAR_64, "64"),
                                   (BAR_PREFETCH, "pref")) if f & b) or "-"


def show(d, c):
    print("EPC descriptor: magic %#x%s abi %d seq %d boot_id %#x"
          % (d["magic"], "" if d["magic"] == MAGIC else " (BAD)", d["abi"],
             d["seq"], d["boot_id"]))
    print("  header %04x:%04x rev %#x class %02x/%02x/%02x subsys %04x:%04x"
          " valid %d" % (d["vendor_id"], d["device_id"], d["revid"],
                         d["baseclass"], d["subclass"], d["progif"],
                         d["subsys_vendor_id"], d["subsys_id"],
                         d["header_valid"]))
    print("  started %d msi_count %d outbound %#x + %#x"
          % (d["started"], d["msi_count"], d["ob_base"], d["ob_size"]))
    for i, b in enumerate(d["bar"]):
        if b["flags"] or b["size"]:
            print("  BAR%d phys %#x size %#x %s"
                  % (i, b["phys"], b["size"], bar_flags(b["flags"])))
    for i, o in enumerate(d["ob"]):
        if o["active"] or o["size"]:
            print("  ob[%d] shm %#x -> pci %#x size %#x active %d"
                  % (i, o["shm_offset"], o["pci_addr"], o["size"],
                     o["active"]))
    print("  irq raised %d dropped %d; host: rc_peer_id %d rc_vectors %d"
          " rc_seq %d" % (d["irq_raised"], d["irq_dropped"],
                          d["rc_peer_id"], d["rc_vectors"], d["rc_seq"]))
    if c is None:
        print("vNTB ctrl: not readable (BAR0 not set or outside the RAM file)")
        return
    print("vNTB ctrl (RAM %#x): command %d argument %#x status %d link %d"
          " topology %d" % (d["bar"][0]["phys"], c["command"],
                            c["argument"], c["command_status"],
                            c["link_status"], c["topology"]))
    print("  addr %#x size %#x num_mws %d reserved %#x spad_offset %#x"
          " spad_count %d db_entry_size %d"
          % (c["addr"], c["size"], c["num_mws"], c["reserved"],
             c["spad_offset"], c["spad_count"], c["db_entry_size"]))
    n = max((i + 1 for i, v in enumerate(c["db_data"]) if v), default=0)
    print("  db_data %s db_offset %s" % (c["db_data"][:n],
                                         c["db_offset"][:n]))


def check(d, c, kernel):
    errs = []

    def want(what, got, exp):
        if got != exp:
            errs.append("%s is %#x, want %#x" % (what, got, exp))
    want("magic", d["magic"], MAGIC)
    want("abi", d["abi"], ABI)
    want("header_valid", d["header_valid"], 1)
    want("vendor_id", d["vendor_id"], 0x1957)
    want("device_id", d["device_id"], 0x0809)
    want("baseclass", d["baseclass"], 0x05)
    want("subclass", d["subclass"], 0x00)
    want("started", d["started"], 1)
    for i in (0, 2, 4):
        want("BAR%d flags set|64" % i, d["bar"][i]["flags"] & 3, 3)
    for i in (1, 3, 5):
        want("BAR%d flags" % i, d["bar"][i]["flags"], 0)
    if d["bar"][0]["phys"] == 0 or d["bar"][2]["phys"] == 0:
        errs.append("BAR0/BAR2 have no backing (phys 0)")
    want("BAR4 size", d["bar"][4]["size"], 0x100000)
    if c is None:
        errs.append("ctrl region not readable")
    else:
        want("ctrl num_mws", c["num_mws"], 1)
        want("ctrl spad_offset", c["spad_offset"], SPAD_OFFSET[kernel])
        want("ctrl spad_count", c["spad_count"], 128)
        want("ctrl db_entry_size", c["db_entry_size"], 4)
        want("ctrl db_data[0..3]", tuple(c["db_data"][:4]) == (1, 2, 3, 4),
             True)
    for e in errs:
        print("check: %s" % e, file=sys.stderr)
    print("check: %s" % ("FAILED" if errs else "ok"))
    return not errs


def reset(path):
    """Guest gone: seq odd, guest fields zeroed (host fields kept), even."""
    with open(path, "r+b") as f:
        shm = mmap.mmap(f.fileno(), 0)
        seq = struct.unpack_from("<I", shm, 8)[0] | 1
        struct.pack_into("<I", shm, 8, seq)
        shm[0x0C:OFF_HOST] = bytes(OFF_HOST - 0x0C)
        struct.pack_into("<I", shm, 8, (seq + 1) & 0xFFFFFFFF)
        shm.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shm", required=True, help="ivshmem file")
    ap.add_argument("--ram", help="guest RAM file")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--wait-started", type=float, default=0, metavar="S")
    ap.add_argument("--reset", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--kernel", choices=sorted(SPAD_OFFSET), default="6.1")
    args = ap.parse_args()
    if args.reset:
        reset(args.shm)
        return 0
    with open(args.shm, "rb") as f:
        if os.fstat(f.fileno()).st_size < 4096:
            sys.exit("kpeer_status: %s is too small" % args.shm)
        shm = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
    end = time.monotonic() + args.wait_started
    d = read_desc(shm)
    while not (d["magic"] == MAGIC and d["started"]) and \
            time.monotonic() < end:
        time.sleep(0.1)
        d = read_desc(shm)
    c = None
    if args.ram and d["bar"][0]["flags"] & BAR_SET:
        with open(args.ram, "rb") as f:
            ram = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
            c = read_ctrl(ram, d["bar"][0]["phys"], d["bar"][0]["size"])
    if not args.quiet:
        show(d, c)
    if args.check:
        return 0 if check(d, c, args.kernel) else 1
    if args.wait_started and not d["started"]:
        print("kpeer_status: not started after %g s" % args.wait_started,
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
