# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""The kernel peer (devtools/kernel-peer.sh) for the interop tests: a QEMU
guest running Linux's vNTB EP stack; the host RC is raw_ntb_ivshmem.

    with kpeer.Guest("ping") as g:          # up on enter, down on exit
        g.env["RC_VDEV"], g.env["PEER_IP"]
        rc, out = g.exec("ping -c 1 " + g.env["PEER_IP"])

A missing kernel-peer.sh is an error (HarnessError), never a skip: the
interop suite exists to run against the kernel.

Environment: NTB_KPEER_SH overrides the script (default: the source
tree's devtools/kernel-peer.sh).
"""

import os
import re
import subprocess
import sys

from ntbh import HarnessError, drivers_dir

RC_MAC = "02:00:00:00:00:01"


def script():
    path = os.environ.get("NTB_KPEER_SH") or os.path.join(
        os.environ.get("NTB_SOURCE_DIR", ""), "devtools", "kernel-peer.sh")
    if not os.path.isfile(path):
        raise HarnessError("kernel-peer.sh not found at %s (set "
                           "NTB_KPEER_SH or add devtools/kernel-peer.sh): "
                           "the interop suite needs the kernel peer" % path)
    return path


def _log(text):
    for line in text.rstrip().splitlines():
        sys.stdout.write("# %s\n" % line)
    sys.stdout.flush()


class Guest:
    """One kernel-peer guest, named after the test (and this process)."""

    def __init__(self, name, args=()):
        self.sh = script()
        self.name = "it-%s-%d" % (name, os.getpid())
        self.args = list(args)
        self.env = {}

    def _run(self, argv, timeout):
        try:
            p = subprocess.run(["sh", self.sh] + argv, capture_output=True,
                               text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise HarnessError("kernel-peer.sh %s: no answer in %ss" %
                               (" ".join(argv), timeout))
        return p.returncode, p.stdout, p.stderr

    def up(self):
        # the first run may build the guest kernel (minutes)
        rc, out, err = self._run(["up", "--name", self.name] + self.args,
                                 timeout=1500)
        _log(err)
        if rc != 0:
            raise HarnessError("kernel-peer.sh up failed (%d):\n%s%s" %
                               (rc, out, err))
        self.env = dict(re.findall(r"^(\w+)=(.*)$", out, re.M))
        for k in ("RC_VDEV", "GUEST_IF", "GUEST_IP", "PEER_IP"):
            if not self.env.get(k):
                raise HarnessError("kernel-peer.sh up printed no %s:\n%s" %
                                   (k, out))
        return self

    def reboot(self):
        """kernel-peer.sh reboot: QEMU restarted on the same files."""
        rc, out, err = self._run(["reboot", "--name", self.name],
                                 timeout=300)
        _log(err)
        if rc != 0:
            raise HarnessError("kernel-peer.sh reboot failed (%d):\n%s%s" %
                               (rc, out, err))
        self.env.update(re.findall(r"^(\w+)=(.*)$", out, re.M))

    def down(self):
        rc, out, err = self._run(["down", "--name", self.name], timeout=60)
        if rc != 0:
            _log("kernel-peer.sh down: %d %s%s" % (rc, out, err))

    def exec(self, cmd, timeout=60):
        """(exit status, output) of a shell command in the guest."""
        rc, out, err = self._run(["exec", "--name", self.name, "--timeout",
                                  str(timeout), "--", cmd],
                                 timeout=timeout + 30)
        return rc, out + err

    def spawn(self, cmd, tag):
        """Start cmd in the guest's background; collect() its result."""
        rc, out = self.exec("(%s) >/tmp/%s.out 2>&1 & echo $! >/tmp/%s.pid"
                            % (cmd, tag, tag))
        if rc != 0:
            raise HarnessError("guest spawn %s failed: %s" % (tag, out))

    def collect(self, tag, timeout=60):
        """Wait (bounded) for a spawn()ed command; its output."""
        rc, out = self.exec(
            "p=$(cat /tmp/%s.pid); i=0; while kill -0 $p 2>/dev/null; do "
            "i=$((i+1)); [ $i -gt %d ] && break; sleep 0.2; done; "
            "cat /tmp/%s.out" % (tag, timeout * 5, tag), timeout=timeout + 10)
        return out

    def mac(self):
        rc, out = self.exec("cat /sys/class/net/%s/address" %
                            self.env["GUEST_IF"])
        m = re.search(r"([0-9a-f]{2}(:[0-9a-f]{2}){5})", out)
        if rc != 0 or not m:
            raise HarnessError("guest MAC unknown: %s" % out)
        return m.group(1)

    def __enter__(self):
        self.down()     # a guest left by a killed run of the same pid
        try:
            return self.up()
        except BaseException:
            self.down()
            raise

    def __exit__(self, *exc):
        self.down()
        return False


def vdevs(guest, mode=None, rawdev_args="", mac=RC_MAC):
    """--vdev arguments of the RC rawdev and its ethdev on this guest."""
    vnet = "net_ntb_vnet0,rawdev=raw_ntb_ivshmem0,mac=%s" % mac
    if mode:
        vnet += ",mode=%s" % mode
    return ["--vdev", guest.env["RC_VDEV"] + rawdev_args, "--vdev", vnet]


def testpmd_argv(h, guest, role="rc", fwd="icmpecho", mode=None, mem=512):
    """Interactive testpmd as the RC (prompt; `start` to forward)."""
    from testpmd import TESTPMD
    return ["stdbuf", "-oL", TESTPMD,
            *h.eal(role, mem=mem, lcores="0-1",
                   extra=["-d", drivers_dir(),
                          "--log-level", "pmd.raw.ntb_dwedma:info"]),
            *vdevs(guest, mode), "--", "-i", "--total-num-mbufs", "4096",
            "--forward-mode", fwd]
