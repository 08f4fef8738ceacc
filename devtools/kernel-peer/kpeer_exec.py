#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Run a shell command in the kernel-peer guest (host end of the channel).

The guest's second serial port (ttyS1) is a QEMU unix-socket chardev;
guest/kpeer-cmdloop serves it. A request is one line
"K <id> <timeout_s> <base64 of the command>"; the answer is "KBEGIN <id>",
the output (stdout and stderr merged) in base64 lines, "KEND <id> <status>".
Lines that do not belong to this request (a previous client that gave up,
console noise) are skipped. One client at a time: flock on --lock.

Exit status: the guest command's; 124 if no answer came in time, 125 if
the channel could not be used.
"""

import argparse
import base64
import binascii
import fcntl
import os
import secrets
import socket
import sys
import time

EXIT_TIMEOUT = 124
EXIT_CHANNEL = 125


def connect(path, deadline):
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError as e:
            s.close()
            if time.monotonic() >= deadline:
                raise OSError("cannot connect to %s: %s" % (path, e))
            time.sleep(0.1)


def run(sock_path, command, timeout, out):
    """Returns the guest exit status, or raises TimeoutError/OSError."""
    s = connect(sock_path, time.monotonic() + 5)
    deadline = time.monotonic() + timeout + 10
    req_id = secrets.token_hex(6)
    b64 = base64.b64encode(command.encode()).decode()
    # a newline first ends any partial line left in the guest's tty
    s.sendall(("\nK %s %d %s\n" % (req_id, timeout, b64)).encode())
    buf = b""
    inside = False
    chunks = []
    while True:
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            line = line.strip(b"\r").decode(errors="replace")
            if line == "KBEGIN " + req_id:
                inside = True
                chunks = []
            elif inside and line.startswith("KEND " + req_id + " "):
                data = base64.b64decode("".join(chunks))
                out.write(data)
                out.flush()
                return int(line.split()[2])
            elif inside:
                chunks.append(line)
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no answer from the guest in %d s" % timeout)
        s.settimeout(left)
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        if not data:
            raise OSError("the guest channel closed (QEMU gone?)")
        buf += data


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sock", required=True, help="QEMU chardev socket")
    ap.add_argument("--lock", required=True, help="lock file")
    ap.add_argument("--timeout", type=int, default=60,
                    help="seconds the guest command may run (default 60)")
    ap.add_argument("cmd", nargs=argparse.REMAINDER,
                    help="-- CMD...: joined with spaces, run by the guest sh")
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command (use: -- CMD...)")
    if not 1 <= args.timeout <= 86400:
        ap.error("--timeout %d: want 1..86400" % args.timeout)
    with open(args.lock, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            status = run(args.sock, " ".join(cmd), args.timeout,
                         sys.stdout.buffer)
        except TimeoutError as e:
            print("kpeer_exec: %s" % e, file=sys.stderr)
            return EXIT_TIMEOUT
        except (OSError, binascii.Error, ValueError) as e:
            print("kpeer_exec: %s" % e, file=sys.stderr)
            return EXIT_CHANNEL
    return status


if __name__ == "__main__":
    sys.exit(main())
