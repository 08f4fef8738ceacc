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
 6. down stops QEMU, the server and the watchdog and removes the files;
 7. with ntb_transport + ntb_netdev (guest "selftest2"): CONFIGURE_MW and
    LINK_UP through the ctrl region (an outbound window appears in the
    descriptor), the transport scratchpad handshake (the MW BAR moves to
    ntb_transport's buffer), QP 0 link up (guest carrier on), then frames
    sent by the guest found byte for byte in the outbound window, with
    the transport's doorbell arriving as MSI 3 on eventfd 2; and frames
    written by the host into the EP's receive ring, with a doorbell,
    received byte for byte by the guest.
The kernel series is $KPEER_KERNEL (6.1 or 7.2, as kernel-peer.sh sets
it). Where 7.2 differs, the test says so: its vNTB raises MSIs from a
work item (the counters are waited for, not read at once) and polls
doorbell slots 2.. only (DB#k is slot k + 2, as ntb_hw_epf rings it on
both kernels; 6.1 also consumes slot 1, 7.2 leaves it alone).
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
NAME2 = "selftest2"
OFF_HOST = 0x1E0
KERNEL = os.environ.get("KPEER_KERNEL", "6.1")


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


def ring(shm, key):
    """vNTB peer doorbell bit 0 from the guest; returns the descriptor
    once counter key ("raised" or "dropped") has moved (7.2's vNTB raises
    the MSI from a work item, after peer_db returned)."""
    before = desc(shm)[key]
    gexec("echo 's 0x1' > $(ls -d /sys/kernel/debug/ntb_tool/*)/peer_db")
    return wait_for("irq_%s grows after the doorbell" % key,
                    lambda: (lambda d: d if d[key] > before else None)(
                        desc(shm)))


def step(what, ok):
    print("selftest: %-58s %s" % (what, "ok" if ok else "FAILED"),
          flush=True)
    if not ok:
        raise SystemExit(1)


# vNTB ctrl region offsets (6.1 and 7.2) and commands
CTRL_COMMAND, CTRL_ARGUMENT, CTRL_STATUS = 0x00, 0x04, 0x08
CTRL_ADDR, CTRL_SIZE, CTRL_SPAD_OFFSET, CTRL_SPAD_COUNT = 0x10, 0x18, 0x28, 0x2C
CTRL_DB_ENTRY_SIZE, CTRL_DB_DATA, CTRL_DB_OFFSET = 0x30, 0x34, 0xB4
DB_SLOT_OFFSET = 2	# ntb_hw_epf rings slot k + 2 for doorbell bit k
CMD_CONFIGURE_MW, CMD_LINK_UP, STATUS_OK = 3, 5, 1
# ntb_transport scratchpads
SP_VERSION, SP_QP_LINKS, SP_NUM_QPS, SP_NUM_MWS, SP_MW0_HI, SP_MW0_LO = range(6)
RC_MW_ADDR = 0x123400000		# a label: the RC's bus address


def wait_for(what, cond, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(0.02)
    step(what, False)


def read_bars_obs(shm):
    while True:
        s1 = struct.unpack_from("<I", shm, 8)[0]
        raw = bytes(shm[:0x1F0])
        if s1 == struct.unpack_from("<I", shm, 8)[0] and not s1 & 1:
            break
    bars = [struct.unpack_from("<QQI", raw, 0x40 + 24 * i) for i in range(6)]
    obs = [struct.unpack_from("<QQQI", raw, 0xD0 + 32 * i) for i in range(8)]
    return bars, obs


def frame_ok(f):
    """ntb_frames' check (guest/ntb_frames.c), for frames seen here."""
    if len(f) < 30 or f[14:18] != b"NTBF" or f[24:26] != b"\0\0":
        return None
    seq, length = struct.unpack_from(">IH", f, 18)
    if length != len(f):
        return None
    if any(f[30 + k] != (seq * 7 + k) & 0xFF for k in range(length - 30)):
        return None
    h = 2166136261
    for b in f[14:26] + f[30:]:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return seq if struct.unpack_from(">I", f, 26)[0] == h else None


def make_frame(dst, src, seq, length):
    """A frame as ntb_frames send builds it."""
    f = bytearray(dst + src + b"\x88\xb5NTBF")
    f += struct.pack(">IHH", seq, length, 0) + b"\0" * 4
    f += bytes((seq * 7 + k) & 0xFF for k in range(length - 30))
    h = 2166136261
    for b in f[14:26] + f[30:]:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    struct.pack_into(">I", f, 26, h)
    return bytes(f)


def handshake():
    """Plays the RC side of vNTB + ntb_transport far enough for the QP
    link, then checks EP->RC frames land in the outbound window."""
    sh("down", "--name", NAME2, check=False)
    env = dict(l.split("=", 1) for l in sh("up", "--name", NAME2).split())
    try:
        handshake_run(env)
    finally:
        sh("down", "--name", NAME2, check=False)


def handshake_run(env):
    server = env["RC_VDEV"].split("server=")[1].split(",")[0]
    peer = HostPeer(server)
    shm = mmap.mmap(peer.shm_fd, 0)
    set_rc(shm, peer.id, 16)
    with open(env["KPEER_RAM"], "r+b") as f:
        ram = mmap.mmap(f.fileno(), 0)
    bars, _ = read_bars_obs(shm)
    ctrl = bars[0][0]
    spad = ctrl + struct.unpack_from("<I", ram, ctrl + CTRL_SPAD_OFFSET)[0]
    count = struct.unpack_from("<I", ram, ctrl + CTRL_SPAD_COUNT)[0]
    ep_spad = lambda i: struct.unpack_from("<I", ram, spad + 4 * i)[0]

    def rc_spad(i, v):
        struct.pack_into("<I", ram, spad + 4 * count + 4 * i, v)

    def command(cmd, arg):
        struct.pack_into("<H", ram, ctrl + CTRL_STATUS, 0)
        struct.pack_into("<I", ram, ctrl + CTRL_ARGUMENT, arg)
        struct.pack_into("<I", ram, ctrl + CTRL_COMMAND, cmd)
        return wait_for("command %d answered" % cmd, lambda: struct.unpack_from(
            "<H", ram, ctrl + CTRL_STATUS)[0]) == STATUS_OK

    struct.pack_into("<QQ", ram, ctrl + CTRL_ADDR, RC_MW_ADDR, 0x100000)
    ok = command(CMD_CONFIGURE_MW, 0)
    _, obs = read_bars_obs(shm)
    ob = [o for o in obs if o[3]]
    step("CONFIGURE_MW: ob[] active, RC address %#x, 1 MiB" % RC_MW_ADDR,
         ok and len(ob) == 1 and ob[0][1] == RC_MW_ADDR and
         ob[0][2] == 0x100000 and ob[0][0] >= 0x100000 and
         ob[0][0] + ob[0][2] <= len(shm))
    step("LINK_UP answered OK", command(CMD_LINK_UP, 0))
    wait_for("EP wrote its transport spads",
             lambda: ep_spad(SP_VERSION) == 4)
    for i in (SP_NUM_QPS, SP_NUM_MWS, SP_MW0_HI, SP_MW0_LO):
        rc_spad(i, ep_spad(i))
    rc_spad(SP_VERSION, 4)
    bar4 = wait_for("EP set its MW BAR (mw_set_trans)",
                    lambda: read_bars_obs(shm)[0][4][0])
    step("BAR4 now at RAM %#x (was 0)" % bar4, 0 < bar4 < len(ram))
    rc_spad(SP_QP_LINKS, 1)
    wait_for("EP says its QP 0 is up", lambda: ep_spad(SP_QP_LINKS) & 1)
    wait_for("guest eth0 has carrier", lambda: gexec2(
        "cat /sys/class/net/eth0/carrier").strip() == "1")
    step("QP link up, guest eth0 carrier on", True)

    raised0 = desc(shm)["raised"]
    out = gexec2("ntb_frames send eth0 02:00:00:00:00:01 3 100-1000")
    step("guest sent 3 frames: %s" % out.strip(), "sent=3 failed=0" in out)
    win = ob[0][0]
    dst_src = bytes.fromhex("020000000001") + bytes.fromhex(
        env["GUEST_MAC"].replace(":", "")) + b"\x88\xb5NTBF"

    def frames_in_window():
        data = bytes(shm[win:win + 0x100000])
        seqs, at = [], data.find(dst_src)
        while at >= 0:
            length = struct.unpack_from(">H", data, at + 22)[0]
            seqs.append(frame_ok(data[at:at + length]))
            at = data.find(dst_src, at + 1)
        return seqs if len(seqs) >= 3 else None
    seqs = wait_for("3 frames in the outbound window", frames_in_window)
    step("EP->RC frames in the window, byte for byte: seq %s" % seqs,
         sorted(seqs) == [0, 1, 2])
    n = peer.count(2)
    step("transport doorbell -> MSI 3 -> eventfd 2 (count %d)" % n,
         n >= 1 and desc(shm)["raised"] > raised0)

    # doorbell slots as ntb_hw_epf computes them: DB BAR (BAR2) +
    # db_entry_size * slot + db_offset[slot], value db_data[slot]
    db_bar = read_bars_obs(shm)[0][2]
    entry_size = struct.unpack_from("<I", ram, ctrl + CTRL_DB_ENTRY_SIZE)[0]

    def slot_addr(n):
        off = entry_size * n + struct.unpack_from(
            "<I", ram, ctrl + CTRL_DB_OFFSET + 4 * n)[0]
        assert off + 4 <= db_bar[1], "doorbell slot %d outside BAR2" % n
        return db_bar[0] + off

    def ring_ep(n):
        data = struct.unpack_from("<I", ram, ctrl + CTRL_DB_DATA + 4 * n)[0]
        struct.pack_into("<I", ram, slot_addr(n), data)

    def slot(n):
        return struct.unpack_from("<I", ram, slot_addr(n))[0]

    # the EP polls its slots and zeroes those it consumed: slot 2 (DB#0)
    # on both kernels; slot 1 on 6.1 (DB bit 0 there), not on 7.2 (a
    # reserved slot: what an RC rings there is lost)
    ring_ep(1)
    ring_ep(DB_SLOT_OFFSET)
    wait_for("EP consumed doorbell slot 2", lambda: slot(2) == 0)
    want1 = 0 if KERNEL == "6.1" else struct.unpack_from(
        "<I", ram, ctrl + CTRL_DB_DATA + 4)[0]
    step("doorbell slot 2 consumed, slot 1 %s (%s)"
         % ("consumed" if want1 == 0 else "left alone", KERNEL),
         slot(1) == want1)

    # RC -> EP: two frames into the EP's receive ring (its MW, BAR4 in
    # guest RAM; 1 MiB - 4 for QP 0: entries of 64 KiB, the payload
    # header {ver, len, flags} at each entry's end), then DB#0 (slot 2)
    gexec2("rm -f /tmp/r; ntb_frames recv eth0 2 20000 >/tmp/r 2>&1 &")
    mac = bytes.fromhex(env["GUEST_MAC"].replace(":", ""))
    for seq in (0, 1):
        f = make_frame(mac, bytes.fromhex("020000000001"), seq, 200 + seq)
        entry = bar4 + seq * 0x10000
        ram[entry:entry + len(f)] = f
        struct.pack_into("<III", ram, entry + 0x10000 - 12, seq, len(f), 1)
    ring_ep(DB_SLOT_OFFSET)
    out = gexec2("while ! grep -q timeout= /tmp/r; do sleep 0.1; done;"
                 " cat /tmp/r")
    step("RC->EP frames received by the guest: %s" % out.strip(),
         "good=2 bad=0" in out and "timeout=0" in out)
    peer.close()
    shm.close()
    ram.close()


def gexec2(cmd):
    return sh("exec", "--name", NAME2, "--", cmd)


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
    handshake()
    print("selftest: all passed (kernel %s)" % KERNEL)


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

    d1 = ring(shm, "dropped")
    step("MSI without an RC is dropped",
         d1["dropped"] == d0["dropped"] + 1 and d1["raised"] == d0["raised"])

    set_rc(shm, peer.id, 16)
    d2 = ring(shm, "raised")
    n = peer.count(2)
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
    ring(shm, "raised")
    step("MSI reaches the new peer id", peer.count(2) == 1)

    sh("reboot", "--name", NAME)
    d3 = desc(shm)
    step("reboot: new boot_id, started again",
         d3["boot_id"] != d0["boot_id"] and d3["started"] == 1)
    ring(shm, "raised")
    step("MSI after reboot reaches the same RC", peer.count(2) == 1)
    peer.close()
    shm.close()


if __name__ == "__main__":
    main()
