#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Kernel-peer self-test without a DPDK RC (run by kernel-peer.sh selftest).

Boots a guest with ntb_tool instead of ntb_transport, then plays a
minimal host peer on the ivshmem server:
 1. connects, checks the protocol (version 0, own id, shm fd, the QEMU
    peer's eventfds, its own eventfds) and that the shm fd is the file
    the EPC descriptor is in;
 2. doorbell with no RC registered: the EPC drops it (irq_dropped + 1);
 3. writes rc_peer_id/rc_vectors, rings vNTB's peer doorbell bit 0 from
    the guest (ntb_tool peer_db): vNTB raises MSI 3, so eventfd 2 of this
    peer must count exactly 1 and irq_raised must grow by 1;
 4. reconnects (new peer id), rings again: delivered to the new id;
 5. guest reboot: boot_id changes, the function starts again;
 6. down stops QEMU, the server and the watchdog and removes the files.
Exit status 0 if every step passed.
"""

import mmap
import os
import select
import socket
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KPEER = os.path.join(os.path.dirname(HERE), "kernel-peer.sh")
NAME = "selftest"
OFF_HOST = 0x1E0


def sh(*args, check=True):
    r = subprocess.run([KPEER] + list(args), stdout=subprocess.PIPE,
                       text=True, timeout=600)
    if check and r.returncode:
        raise RuntimeError("kernel-peer.sh %s: exit %d\n%s"
                           % (" ".join(args), r.returncode, r.stdout))
    return r.stdout


def gexec(cmd):
    return sh("exec", "--name", NAME, "--", cmd)


class HostPeer:
    """Minimal ivshmem client (the protocol a DPDK RC speaks)."""

    def __init__(self, path, vectors=16):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.s.settimeout(5)
        assert self.recv()[0] == 0, "protocol version is not 0"
        self.id, fd = self.recv()
        assert fd is None and 0 <= self.id <= 0xFFFF, "bad own id"
        v, self.shm_fd = self.recv()
        assert v == -1 and self.shm_fd is not None, "no shm fd"
        self.peers = {}
        self.own = []
        while len(self.own) < vectors:
            pid, fd = self.recv()
            assert fd is not None, "eventfd message without fd"
            if pid == self.id:
                self.own.append(fd)
            else:
                assert not self.own, "peer fds after own fds"
                self.peers.setdefault(pid, []).append(fd)

    def recv(self):
        msg, fds, _, _ = socket.recv_fds(self.s, 8, 1)
        assert len(msg) == 8, "short message"
        return struct.unpack("<q", msg)[0], (fds[0] if fds else None)

    def count(self, vector, wait=5.0):
        fd = self.own[vector]
        r, _, _ = select.select([fd], [], [], wait)
        if not r:
            return 0
        return struct.unpack("<Q", os.read(fd, 8))[0]

    def close(self):
        for fds in self.peers.values():
            for fd in fds:
                os.close(fd)
        for fd in self.own:
            os.close(fd)
        os.close(self.shm_fd)
        self.s.close()


def desc(shm):
    while True:
        s1 = struct.unpack_from("<I", shm, 8)[0]
        raw = bytes(shm[:0x1F0])
        if s1 == struct.unpack_from("<I", shm, 8)[0] and not s1 & 1:
            break
    boot_id, = struct.unpack_from("<I", raw, 12)
    started, = struct.unpack_from("<I", raw, 0x20)
    raised, dropped = struct.unpack_from("<QQ", raw, 0x1D0)
    return {"boot_id": boot_id, "started": started, "raised": raised,
            "dropped": dropped}


def set_rc(shm, peer_id, vectors):
    struct.pack_into("<iI", shm, OFF_HOST, peer_id, vectors)
    rc_seq = struct.unpack_from("<Q", shm, OFF_HOST + 8)[0]
    struct.pack_into("<Q", shm, OFF_HOST + 8, rc_seq + 1)


def ring():
    gexec("echo 's 0x1' > $(ls -d /sys/kernel/debug/ntb_tool/*)/peer_db")


def step(what, ok):
    print("selftest: %-58s %s" % (what, "ok" if ok else "FAILED"),
          flush=True)
    if not ok:
        raise SystemExit(1)


def running(pid):
    """True if pid runs (a zombie waiting for a late init does not)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main():
    sh("down", "--name", NAME, check=False)
    env = dict(l.split("=", 1) for l in
               sh("up", "--name", NAME, "transport=0", "tool=1").split())
    pids = []
    try:
        run(env)
    finally:
        for f in ("qemu", "server", "watchdog"):
            try:
                with open(os.path.join(env["KPEER_RUN"], f + ".pid")) as pf:
                    pids.append((f, int(pf.read())))
            except (OSError, ValueError):
                pass
        sh("down", "--name", NAME, check=False)
    for f, pid in pids:
        step("down stopped %s (pid %d)" % (f, pid), not running(pid))
    step("down removed the shm and RAM files",
         not os.path.exists(env["KPEER_SHM"]) and
         not os.path.exists(env["KPEER_RAM"]))
    print("selftest: all passed")


def run(env):
    server = env["RC_VDEV"].split("server=")[1].split(",")[0]
    peer = HostPeer(server)
    shm = mmap.mmap(peer.shm_fd, 0)
    step("protocol: id %d, shm fd, %d own eventfds, QEMU peer %s"
         % (peer.id, len(peer.own), sorted(peer.peers)),
         len(peer.own) == 16 and len(peer.peers) == 1 and
         all(len(v) == 16 for v in peer.peers.values()))
    with open(env["KPEER_SHM"], "rb") as f:
        same = os.fstat(f.fileno()).st_ino == os.fstat(peer.shm_fd).st_ino
    step("shm fd is the descriptor file", same)
    d0 = desc(shm)
    step("descriptor started, no RC yet (rc_peer_id -1)",
         d0["started"] == 1 and
         struct.unpack_from("<i", shm, OFF_HOST)[0] == -1)

    ring()
    d1 = desc(shm)
    step("MSI without an RC is dropped",
         d1["dropped"] == d0["dropped"] + 1 and d1["raised"] == d0["raised"])

    set_rc(shm, peer.id, 16)
    ring()
    n = peer.count(2)
    d2 = desc(shm)
    others = sum(peer.count(v, 0) for v in range(16) if v != 2)
    step("MSI 3 -> eventfd 2 of peer %d (count %d)" % (peer.id, n),
         n == 1 and others == 0 and d2["raised"] == d1["raised"] + 1)

    old_id = peer.id
    peer.close()
    shm.close()
    peer = HostPeer(server)
    shm = mmap.mmap(peer.shm_fd, 0)
    step("reconnect: new id %d != %d, QEMU still a peer"
         % (peer.id, old_id), peer.id != old_id and len(peer.peers) == 1)
    set_rc(shm, peer.id, 16)
    ring()
    step("MSI reaches the new peer id", peer.count(2) == 1)

    sh("reboot", "--name", NAME)
    d3 = desc(shm)
    step("reboot: new boot_id, started again",
         d3["boot_id"] != d0["boot_id"] and d3["started"] == 1)
    ring()
    step("MSI after reboot reaches the same RC", peer.count(2) == 1)
    peer.close()
    shm.close()


if __name__ == "__main__":
    main()
