#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""ivshmem server for the kernel peer (Debian ships none).

Speaks the protocol of QEMU's docs/specs/ivshmem-spec.rst on a unix
socket: every message is one little-endian int64, some carry one file
descriptor (SCM_RIGHTS). On connect a client gets: the protocol version
(0), its own peer id, -1 with the shared memory fd, then for every other
peer one message per vector (peer id + eventfd), then its own id once per
vector with its own eventfds. The other peers get the new peer's id once
per vector with its eventfds; when a peer goes, they get its id alone.

Clients here: the guest's QEMU (ivshmem-doorbell) and the host RC
(raw_ntb_ivshmem), which may restart any number of times.
"""

import argparse
import os
import selectors
import signal
import socket
import struct
import sys
import time

PROTOCOL_VERSION = 0
MAX_PEER_ID = 0xFFFF
# epc_ivshmem_abi.h: HOST field rc_peer_id (int32, -1: no RC)
RC_PEER_ID_OFFSET = 0x1E0


def log(msg):
    print("%s ivshmem_server: %s" % (time.strftime("%H:%M:%S"), msg),
          file=sys.stderr, flush=True)


class Peer:
    def __init__(self, peer_id, conn, vectors):
        self.id = peer_id
        self.conn = conn
        self.eventfds = [os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)
                         for _ in range(vectors)]

    def close(self):
        for fd in self.eventfds:
            os.close(fd)
        self.eventfds = []
        self.conn.close()


class Server:
    def __init__(self, args):
        self.vectors = args.vectors
        self.peers = {}
        self.next_id = 0
        self.sel = selectors.DefaultSelector()
        self.shm_fd = self.open_shm(args.shm, args.size)
        if os.path.exists(args.socket):
            os.unlink(args.socket)
        self.lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.lsock.bind(args.socket)
        self.lsock.listen(8)
        self.sel.register(self.lsock, selectors.EVENT_READ, None)

    @staticmethod
    def open_shm(path, size):
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        st = os.fstat(fd)
        if st.st_size not in (0, size):
            sys.exit("ivshmem_server: %s has %d bytes, want %d"
                     % (path, st.st_size, size))
        if st.st_size == 0:
            os.ftruncate(fd, size)
            # a new file: no RC yet (0 would be a valid peer id)
            os.pwrite(fd, struct.pack("<i", -1), RC_PEER_ID_OFFSET)
        return fd

    def alloc_id(self):
        for _ in range(MAX_PEER_ID + 1):
            peer_id = self.next_id
            self.next_id = (self.next_id + 1) % (MAX_PEER_ID + 1)
            if peer_id not in self.peers:
                return peer_id
        return None

    @staticmethod
    def send(conn, value, fd=None):
        data = struct.pack("<q", value)
        if fd is None:
            conn.sendall(data)
        else:
            socket.send_fds(conn, [data], [fd])

    def accept(self):
        conn, _ = self.lsock.accept()
        peer_id = self.alloc_id()
        if peer_id is None:
            log("no free peer id, refusing a client")
            conn.close()
            return
        conn.setblocking(True)
        conn.settimeout(5.0)
        peer = Peer(peer_id, conn, self.vectors)
        try:
            self.send(conn, PROTOCOL_VERSION)
            self.send(conn, peer_id)
            self.send(conn, -1, self.shm_fd)
            for other in self.peers.values():
                for fd in other.eventfds:
                    self.send(conn, other.id, fd)
            for fd in peer.eventfds:
                self.send(conn, peer_id, fd)
        except OSError as e:
            log("peer %d: setup failed: %s" % (peer_id, e))
            peer.close()
            return
        for other in list(self.peers.values()):
            try:
                for fd in peer.eventfds:
                    self.send(other.conn, peer_id, fd)
            except OSError as e:
                log("peer %d: cannot tell it about %d: %s"
                    % (other.id, peer_id, e))
                self.drop(other)
        self.peers[peer_id] = peer
        self.sel.register(conn, selectors.EVENT_READ, peer)
        log("peer %d connected (%d peers)" % (peer_id, len(self.peers)))

    def drop(self, peer):
        if self.peers.pop(peer.id, None) is None:
            return
        self.sel.unregister(peer.conn)
        peer.close()
        log("peer %d gone (%d peers)" % (peer.id, len(self.peers)))
        for other in list(self.peers.values()):
            try:
                self.send(other.conn, peer.id)
            except OSError:
                self.drop(other)

    def readable(self, peer):
        try:
            data = peer.conn.recv(4096)
        except OSError:
            data = b""
        if not data:
            self.drop(peer)
        # clients send nothing in this protocol: ignore anything else

    def run(self):
        while True:
            for key, _ in self.sel.select():
                if key.data is None:
                    self.accept()
                else:
                    self.readable(key.data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--socket", required=True, help="unix socket to listen on")
    ap.add_argument("--shm", required=True,
                    help="shared memory file (created if missing)")
    ap.add_argument("--size", type=int, default=64 << 20,
                    help="shared memory size in bytes (default 64 MiB)")
    ap.add_argument("--vectors", type=int, default=16,
                    help="eventfds per peer (default 16)")
    ap.add_argument("--pidfile", help="write the pid here once listening")
    args = ap.parse_args()
    if not 1 <= args.vectors <= 1024:
        sys.exit("ivshmem_server: --vectors %d: want 1..1024" % args.vectors)
    if args.size <= 0 or args.size & (args.size - 1):
        sys.exit("ivshmem_server: --size %d: want a power of two" % args.size)

    def stop(signum, frame):
        try:
            os.unlink(args.socket)
        except OSError:
            pass
        if args.pidfile:
            try:
                os.unlink(args.pidfile)
            except OSError:
                pass
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server = Server(args)
    if args.pidfile:
        with open(args.pidfile + ".tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.rename(args.pidfile + ".tmp", args.pidfile)
    log("listening on %s, shm %s (%d bytes), %d vectors"
        % (args.socket, args.shm, args.size, args.vectors))
    server.run()


if __name__ == "__main__":
    main()
