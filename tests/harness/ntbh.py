#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Test harness: run DPDK processes (EP, RC, clients) side by side.

Each process gets its own --file-prefix and its own log file, runs in its
own process group, and is always killed by PID (group) when the test ends,
whatever happens. Waits are bounded.

    with Harness("testpmd_io") as h:
        ep = h.start("ep", [testpmd, *h.eal("ep"), "--vdev", ...])
        h.wait_for(ep, r"Link status: up", timeout=20)
        h.send(ep, "show port stats all\n")
        ...
    # on exit: every process is stopped (SIGINT, then SIGKILL)

Environment:
  NTB_BUILD_DIR, NTB_SOURCE_DIR, NTB_DRIVERS_DIR  set by meson test
  NTB_DPDK_TESTPMD, NTB_DPDK_TEST, NTB_DPDK_BINDIR, NTB_DPDK_EXAMPLES
                    DPDK's programs and example sources, of the DPDK
                    we build against (set by meson test)
  NTB_ASAN_PRELOAD  sanitizer runtime(s) to LD_PRELOAD into DPDK binaries
                    that are not ours (testpmd, dpdk-test) in the
                    sanitizer build
  NTB_KEEP_LOGS     keep the run directory
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

_run_counter = 0


class HarnessError(Exception):
    pass


class Proc:
    """A started process: its Popen, log path and the text seen so far."""

    def __init__(self, name, popen, log_path):
        self.name = name
        self.popen = popen
        self.log_path = log_path
        self._pos = 0

    @property
    def pid(self):
        return self.popen.pid

    def output(self):
        with open(self.log_path, "r", errors="replace") as f:
            return f.read()

    def alive(self):
        return self.popen.poll() is None


class Harness:
    """Owns a run directory and every process started through it."""

    def __init__(self, name, keep_logs=None):
        global _run_counter
        _run_counter += 1
        self.name = name
        self.tag = "%s_%d_%d" % (re.sub(r"\W", "_", name), os.getpid(),
                                 _run_counter)
        base = os.environ.get("NTB_BUILD_DIR") or tempfile.gettempdir()
        self.dir = tempfile.mkdtemp(prefix="ntbh-%s-" % name,
                                    dir=os.path.join(base, "") if
                                    os.path.isdir(base) else None)
        self.keep = keep_logs if keep_logs is not None else \
            bool(os.environ.get("NTB_KEEP_LOGS"))
        self.procs = []

    # -- paths and arguments ------------------------------------------
    def path(self, leaf):
        return os.path.join(self.dir, leaf)

    def subdir(self, leaf):
        """A directory in the run directory (created; removed with it)."""
        d = self.path(leaf)
        os.makedirs(d, exist_ok=True)
        return d

    def sock(self, leaf="link.sock"):
        """A unix socket path (short: sun_path is 108 bytes)."""
        d = os.path.join("/run" if os.access("/run", os.W_OK)
                         else tempfile.gettempdir(), "ntbh")
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, "%s_%s" % (self.tag[:60], leaf))
        if os.path.exists(p):
            os.unlink(p)
        return p

    def prefix(self, role):
        return "%s_%s" % (self.tag, role)

    def eal(self, role, mem=256, lcores=None, extra=()):
        """EAL arguments for one process of this run."""
        args = ["--no-huge", "--no-pci", "-m", str(mem),
                "--file-prefix", self.prefix(role),
                "--log-level", "lib.eal:warning"]
        if lcores:
            args += ["-l", lcores]
        return args + list(extra)

    # -- processes -----------------------------------------------------
    def start(self, role, argv, env=None, stdin=True, preload=False,
              cwd=None):
        """Start argv; output (stdout+stderr) goes to <run dir>/<role>.log.

        preload: LD_PRELOAD the sanitizer runtime (for binaries that are
        not built by us but load our sanitized PMDs).
        cwd: working directory (e.g. one per process for files it writes);
        default: the test's.
        """
        log_path = self.path("%s.log" % role)
        e = dict(os.environ)
        if env:
            e.update(env)
        if preload and os.environ.get("NTB_ASAN_PRELOAD"):
            e["LD_PRELOAD"] = os.environ["NTB_ASAN_PRELOAD"]
            e.setdefault("ASAN_OPTIONS", "detect_leaks=0")
            # stdbuf adds its own preload library after ours
            e["ASAN_OPTIONS"] += ":verify_asan_link_order=0"
        logf = open(log_path, "wb")
        p = subprocess.Popen(argv, stdout=logf, stderr=subprocess.STDOUT,
                             stdin=subprocess.PIPE if stdin else
                             subprocess.DEVNULL,
                             env=e, start_new_session=True, cwd=cwd)
        logf.close()
        proc = Proc(role, p, log_path)
        self.procs.append(proc)
        sys.stdout.write("# started %s pid %d: %s\n" %
                         (role, p.pid, " ".join(argv)))
        sys.stdout.flush()
        return proc

    def send(self, proc, text):
        """Write to the process's stdin (interactive testpmd, ntb_fwd)."""
        if proc.popen.stdin is None or not proc.alive():
            raise HarnessError("%s is not running (cannot send %r)" %
                               (proc.name, text))
        proc.popen.stdin.write(text.encode())
        proc.popen.stdin.flush()

    def saw(self, proc, pattern, timeout, since=None):
        """wait_for as a check: (True, "") or (False, why), never raises."""
        try:
            self.wait_for(proc, pattern, timeout, since=since)
            return True, ""
        except HarnessError as e:
            return False, str(e)

    def wait_for(self, proc, pattern, timeout, since=None):
        """Wait until pattern appears in proc's output after offset `since`.

        Returns the match; raises HarnessError on timeout or if the
        process exits first.
        """
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        start = proc._pos if since is None else since
        while True:
            out = proc.output()
            m = rx.search(out, start)
            if m:
                proc._pos = m.end()
                return m
            if not proc.alive():
                raise HarnessError("%s exited (rc %s) before /%s/; log:\n%s" %
                                   (proc.name, proc.popen.returncode,
                                    pattern, tail(out)))
            if time.monotonic() > deadline:
                raise HarnessError("timeout (%ss) waiting for /%s/ in %s; "
                                   "log:\n%s" % (timeout, pattern, proc.name,
                                                 tail(out)))
            time.sleep(0.05)

    def mark(self, proc):
        """Offset of the output seen so far (for wait_for(since=...))."""
        return len(proc.output())

    def wait_exit(self, proc, timeout):
        try:
            return proc.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise HarnessError("%s did not exit within %ss; log:\n%s" %
                               (proc.name, timeout, tail(proc.output())))

    def stop(self, proc, grace=5.0):
        """SIGINT, then SIGTERM, then SIGKILL the process group."""
        if proc.popen.stdin:
            try:
                proc.popen.stdin.close()
            except OSError:
                pass
        for sig, wait in ((signal.SIGINT, grace), (signal.SIGTERM, 2.0),
                          (signal.SIGKILL, 2.0)):
            if not proc.alive():
                break
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.popen.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
        if proc.alive():
            raise HarnessError("%s (pid %d) survived SIGKILL" %
                               (proc.name, proc.pid))
        # the group may still hold children
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        return proc.popen.returncode

    def close(self, failed=False):
        for p in self.procs:
            try:
                self.stop(p, grace=2.0)
            except HarnessError as e:
                sys.stdout.write("# %s\n" % e)
        for p in self.procs:
            if failed:
                sys.stdout.write("# ---- %s log (%s) ----\n" %
                                 (p.name, p.log_path))
                for line in tail(p.output(), 60).splitlines():
                    sys.stdout.write("# %s\n" % line)
        if failed or self.keep:
            sys.stdout.write("# logs kept in %s\n" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
        for prefix in [self.prefix(p.name) for p in self.procs]:
            shutil.rmtree("/var/run/dpdk/%s" % prefix, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close(failed=exc_type is not None)
        return False


def tail(text, lines=40):
    return "\n".join(text.splitlines()[-lines:])


class Tap:
    """TAP output for the python tests (meson protocol: 'tap')."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, diag=None):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, what))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, what))
            if diag:
                for line in str(diag).splitlines():
                    print("# %s" % line)
        sys.stdout.flush()
        return cond

    def skip(self, what, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, what, why))

    def run(self, fn, *args):
        """Run a test function; a raised exception is one failure."""
        try:
            fn(self, *args)
        except Exception as e:  # noqa: BLE001 - report every failure
            self.ok(False, "%s raised" % fn.__name__,
                    "%s: %s" % (type(e).__name__, e))

    def done(self):
        print("1..%d" % self.n)
        sys.exit(0 if self.failed == 0 and self.n > 0 else 1)


def build_path(*parts):
    return os.path.join(os.environ["NTB_BUILD_DIR"], *parts)


def drivers_dir():
    return os.environ.get("NTB_DRIVERS_DIR") or build_path("drivers")


# DPDK programs: the ones of the DPDK we build against (tests/meson.build
# sets these from libdpdk's prefix), else PATH.
_DPDK_TOOL_ENV = {"dpdk-testpmd": "NTB_DPDK_TESTPMD", "dpdk-test": "NTB_DPDK_TEST"}


def find_tool(name):
    p = os.environ.get(_DPDK_TOOL_ENV.get(name, ""), "")
    if p and os.access(p, os.X_OK):
        return p
    p = shutil.which(name)
    if not p:
        raise HarnessError("%s not found in PATH" % name)
    return p


def dpdk_examples_dir(name):
    """DPDK's example sources (the DPDK we build against)."""
    base = os.environ.get("NTB_DPDK_EXAMPLES") or "/usr/share/dpdk/examples"
    return os.path.join(base, name)


def dpdk_tool_env():
    """Environment for building DPDK examples: that DPDK's bin directory
    (dpdk-cmdline-gen.py) first in PATH."""
    e = dict(os.environ)
    bindir = os.environ.get("NTB_DPDK_BINDIR")
    if bindir:
        e["PATH"] = bindir + os.pathsep + e.get("PATH", "")
    return e
