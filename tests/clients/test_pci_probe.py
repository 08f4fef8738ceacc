#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""The PCI probe path of raw_ntb_dwedma on a synthetic sysfs tree.

EAL scans $SYSFS_PCI_DEVICES instead of /sys/bus/pci/devices, so a
directory of fake functions (vendor, device, class, resource, driver
symlink, ...) reaches the real bus scan, ID matching and our probe in
Debian's dpdk-testpmd loading the PMD with -d, without --no-pci.

Checked:
  * each ntb_hw_epf ID (TI J721E, NXP i.MX8, R-Car S4) is matched by ID
    and class and the platform's BAR map is chosen and logged;
  * the class is matched with ntb_hw_epf's mask (prog-if ignored, another
    class is not ours);
  * a function bound to something we cannot use gets one clear error
    naming the function and the cause (bound to vfio-pci without VFIO in
    the machine; bound to another kernel driver, named);
  * -a <BDF>,<devargs> reaches the probe and a bad key is named;
  * a function bound to uio_pci_generic never reaches the probe without
    hugepages: EAL needs IOVA as PA for uio and has no physical addresses
    with --no-huge. This is why the RC cannot be run over the sysfs
    resource files of a uio-bound function on this machine.

Not reachable here: the mapping of the window BARs (write-combined through
resourceN_wc or VFIO's uncached one) is decided after the BARs are mapped
through VFIO, past the binding check this machine fails; that decision is
tested on a synthetic sysfs directory in tests/unit/rawdev/test_pci_wc.c.
"""

import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "harness"))
from ntbh import Harness, HarnessError, Tap, drivers_dir, find_tool  # noqa: E402

IORESOURCE_MEM = 0x00040200  # MEM | SIZEALIGN, as the kernel prints it

# ntb_hw_epf's functions with the BAR sizes a board would show
TI = (0x104c, 0xb00d, "TI J721E", "j721e",
      {0: 1 << 20, 1: 1 << 20, 2: 1 << 22, 3: 1 << 22, 4: 1 << 22,
       5: 1 << 22})
NXP = (0x1957, 0x0809, "NXP i.MX8", "mx8",
       {0: 1 << 20, 2: 1 << 16, 4: 1 << 22, 5: 1 << 22})
RCAR = (0x1912, 0x0030, "Renesas R-Car", "rcar-s4",
        {0: 1 << 20, 2: 1 << 23, 4: 256})

CLASS_RAM = 0x050000


def make_function(root, bdf, fn, kdrv, class_code=CLASS_RAM):
    """One function directory as the kernel's sysfs shows it."""
    vendor, device, _, _, bars = fn
    d = os.path.join(root, bdf)
    os.makedirs(d)

    def put(name, text):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)

    put("vendor", "0x%04x\n" % vendor)
    put("device", "0x%04x\n" % device)
    put("subsystem_vendor", "0x0000\n")
    put("subsystem_device", "0x0000\n")
    put("class", "0x%06x\n" % class_code)
    put("numa_node", "-1\n")
    lines = []
    base = 0x70000000 + int(bdf.split(":")[1], 16) * 0x1000000
    for b in range(6):
        size = bars.get(b, 0)
        if size:
            lines.append("0x%016x 0x%016x 0x%016x" %
                         (base, base + size - 1, IORESOURCE_MEM))
            base += max(size, 0x1000)
        else:
            lines.append("0x%016x 0x%016x 0x%016x" % (0, 0, 0))
    lines.append("0x%016x 0x%016x 0x%016x" % (0, 0, 0))  # ROM
    put("resource", "\n".join(lines) + "\n")
    cfg = bytearray(256)
    cfg[0:4] = bytes([vendor & 0xff, vendor >> 8, device & 0xff,
                      device >> 8])
    cfg[9:12] = bytes([class_code & 0xff, (class_code >> 8) & 0xff,
                       class_code >> 16])
    with open(os.path.join(d, "config"), "wb") as f:
        f.write(cfg)
    if kdrv:
        # EAL reads only the link's last component
        os.symlink("../../../bus/pci/drivers/%s" % kdrv,
                   os.path.join(d, "driver"))
    return d


def sysfs_root():
    base = "/run" if os.access("/run", os.W_OK) else tempfile.gettempdir()
    return tempfile.mkdtemp(prefix="ntb-pcisim-", dir=base)


def run_testpmd(h, role, sysfs, extra=(), may_refuse=False):
    """may_refuse: EAL may exit before the prompt (return its rc)."""
    testpmd = find_tool("dpdk-testpmd")
    # bus.pci: "Probe PCI driver" is the PCI bus's log from 24.03 on
    argv = [testpmd, "--no-huge", "-m", "256", "--file-prefix",
            h.prefix(role), "-d", drivers_dir(),
            "--log-level", "lib.eal:debug", "--log-level", "bus.pci:info",
            "--log-level", "pmd.raw.ntb_dwedma:info", *extra,
            "--", "-i", "--total-num-mbufs", "2048"]
    p = h.start(role, argv, env={"SYSFS_PCI_DEVICES": sysfs},
                preload=True)
    try:
        h.wait_for(p, r"^testpmd> ", timeout=60)
    except HarnessError:
        if not may_refuse or p.alive():
            raise
        return p.output(), h.wait_exit(p, 30)
    h.send(p, "quit\n")
    rc = h.wait_exit(p, 30)
    return p.output(), rc


# EAL's devargs lookup for every scanned device (debug level, 26.07)
EAL_DEVARGS_LOOKUP = re.compile(
    r"^EAL: (no devargs for pci:|found devargs for pci:|device pci:\S+ is "
    r"ignored)")


def lines_of(out, bdf):
    return [l for l in out.splitlines()
            if bdf in l and not EAL_DEVARGS_LOOKUP.match(l)]


def eal_probe_failed(out, bdf):
    """EAL's report of a failed probe (its wording changed in 26.07)."""
    return ("Requested device %s cannot be used" % bdf in out or
            "Failed to probe device %s" % bdf in out)


def test_ids_and_bindings(t):
    root = sysfs_root()
    try:
        funcs = {
            "0000:01:00.0": (TI, "vfio-pci", CLASS_RAM),
            "0000:02:00.0": (NXP, "vfio-pci", CLASS_RAM),
            "0000:03:00.0": (RCAR, "vfio-pci", CLASS_RAM),
            "0000:04:00.0": (RCAR, "ntb_hw_epf", CLASS_RAM),
            "0000:05:00.0": (RCAR, "vfio-pci", 0x020000),
            "0000:06:00.0": (RCAR, "vfio-pci", CLASS_RAM | 0x80),
            "0000:07:00.0": (RCAR, None, CLASS_RAM),
        }
        for bdf, (fn, kdrv, cls) in funcs.items():
            make_function(root, bdf, fn, kdrv, cls)
        with Harness("pci_probe_ids") as h:
            out, rc = run_testpmd(h, "ids", root)
        t.ok(rc == 0, "testpmd runs and exits 0 with the synthetic tree",
             "rc %s" % rc)
        for bdf in ("0000:01:00.0", "0000:02:00.0", "0000:03:00.0",
                    "0000:06:00.0"):
            fn = funcs[bdf][0]
            vendor, device, plat, bmap = fn[:4]
            want = ("%s: %04x:%04x class %06x is a %s vNTB function, "
                    "BAR map %s" % (bdf, vendor, device, funcs[bdf][2],
                                    plat, bmap))
            t.ok(want in out, "%s %04x:%04x matched, BAR map %s chosen" %
                 (bdf, vendor, device, bmap), "\n".join(lines_of(out, bdf)))
            err = ("%s: %s vNTB function is bound to vfio-pci but VFIO is "
                   "not usable in this process" % (bdf, plat))
            t.ok(err in out, "%s: vfio-pci without VFIO: clear error" % bdf,
                 "\n".join(lines_of(out, bdf)))
            t.ok(eal_probe_failed(out, bdf),
                 "%s: EAL reports the failed probe" % bdf)
        bdf = "0000:04:00.0"
        err = ("%s: Renesas R-Car vNTB function is bound to ntb_hw_epf, "
               "not vfio-pci" % bdf)
        t.ok(err in out, "%s bound to ntb_hw_epf: error names the driver" %
             bdf, "\n".join(lines_of(out, bdf)))
        t.ok("dpdk-devbind.py -b vfio-pci %s" % bdf in out,
             "%s: error says how to bind it" % bdf)
        bdf = "0000:05:00.0"
        t.ok("%s: 1912:0030 class 020000 is not a vNTB function" % bdf in
             out and "%s: 1912:0030 class 020000 is a" % bdf not in out,
             "%s: R-Car ID with a network class is not ours" % bdf,
             "\n".join(lines_of(out, bdf)))
        bdf = "0000:07:00.0"
        t.ok(not lines_of(out, bdf),
             "%s: a function without a driver is not scanned" % bdf,
             "\n".join(lines_of(out, bdf)))
        t.ok(out.count("Probe PCI driver: raw_ntb_dwedma") == 6,
             "our driver was probed for the 6 bound functions",
             out.count("Probe PCI driver: raw_ntb_dwedma"))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_uio_without_hugepages(t):
    root = sysfs_root()
    bdf = "0000:01:00.0"
    try:
        make_function(root, bdf, RCAR, "uio_pci_generic")
        with Harness("pci_probe_uio") as h:
            out, rc = run_testpmd(h, "uio", root, may_refuse=True)
        if "Cannot use IOVA as 'PA' since physical addresses" in out:
            # 23.11 on: EAL takes the PCI bus's PA for the uio function and
            # does not start without physical addresses
            t.ok("Bus pci wants IOVA as 'PA'" in out and rc != 0,
                 "--no-huge, uio-bound function: EAL wants PA for it and "
                 "refuses to start", "rc %s" % rc)
        else:
            # 22.11: IOVA as VA, the uio function is left alone
            t.ok("Physical addresses are unavailable" in out and
                 "Selected IOVA mode 'VA'" in out,
                 "--no-huge: no physical addresses, EAL selects IOVA as VA")
            t.ok("Expecting 'PA' IOVA mode but current mode is 'VA', not "
                 "initializing" in out and
                 eal_probe_failed(out, bdf),
                 "uio-bound function: EAL wants PA for it and refuses to "
                 "probe it", "\n".join(lines_of(out, bdf)))
            t.ok(rc == 0, "testpmd exits 0", "rc %s" % rc)
        t.ok("vNTB function" not in out, "our probe is never called")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_devargs(t):
    """-a <BDF>,<devargs> reaches the probe; a bad key is named."""
    root = sysfs_root()
    try:
        for bdf in ("0000:03:00.0", "0000:04:00.0"):
            make_function(root, bdf, RCAR, "vfio-pci")
        with Harness("pci_probe_devargs") as h:
            out, rc = run_testpmd(h, "devargs", root, extra=[
                "-a", "0000:03:00.0,intr=bogus"])
        bdf = "0000:03:00.0"
        t.ok(out.count("intr=bogus: expected auto, poll, doorbell, "
                       "dw_edma or msi") == 1,
             "%s,intr=bogus: one error, naming the key" % bdf,
             "\n".join(l for l in out.splitlines() if "ntb" in l.lower()))
        t.ok("not usable in this process" not in out and
             eal_probe_failed(out, bdf),
             "bad devargs fail the probe before the binding is checked")
        t.ok(not lines_of(out, "0000:04:00.0"),
             "a function not on the allow list (-a) is not probed")
        t.ok(rc == 0, "testpmd exits 0", "rc %s" % rc)
    finally:
        shutil.rmtree(root, ignore_errors=True)


t = Tap()
t.run(test_ids_and_bindings)
t.run(test_devargs)
t.run(test_uio_without_hugepages)
t.done()
