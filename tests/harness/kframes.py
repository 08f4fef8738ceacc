# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Byte-exact raw-frame traffic between the host RC (kpeer_frames) and the
kernel-peer guest (ntb_frames), for the interop tests.

    ok = kframes.rc_to_ep(t, h, g, 500, "60-1514", "a")
    ok = kframes.ep_to_rc(t, h, g, 500, "60-1514", "a")
    st = kframes.qp_stats(g)            # the guest's ntb_transport qp0

An RC that must come up by itself once a late or stopped EP answers:

    rcv = kframes.recv_rc(h, g, 1000, 300000)
    ok = kframes.link_up_late(t, h, rcv, r"link down", 8, what, start_ep)
    ok = kframes.guest_send(t, g, 1000, "60-1514", what)
    kframes.rc_received(t, h, rcv, 1000, what)
"""

import re
import time

import kpeer
from ntbh import build_path, drivers_dir, tail

FRAMES = build_path("tests", "interop", "kpeer_frames")


def frames_argv(h, g, role, *args):
    """kpeer_frames as the RC (ours: line-buffered, no stdbuf)."""
    return [FRAMES,
            *h.eal(role, mem=256, lcores="0-1", extra=["-d", drivers_dir()]),
            *kpeer.vdevs(g), "--", *args]


def fields(line):
    return {k: int(v) for k, v in re.findall(r"(\w+)=(-?\d+)", line)}


def last_line(out, prefix):
    """key=value fields of the last line starting with prefix."""
    m = re.findall(r"^%s.*$" % re.escape(prefix), out, re.M)
    return fields(m[-1]) if m else {}


def guest_raise_rmem(t, g):
    """The guest's receiver socket must hold a burst (see test_kpeer_bulk)."""
    rc, out = g.exec("echo 33554432 > /proc/sys/net/core/rmem_max")
    return t.ok(rc == 0, "guest socket buffers raised", out)


def guest_drops(g):
    """The guest stack's drop counters, for a failure's diagnostics."""
    return g.exec("grep %s /proc/net/dev; cat /proc/net/softnet_stat; "
                  "cat /sys/kernel/debug/ntb_transport/*/qp0/stats; "
                  "dmesg | grep -i qp | tail -n 12" % g.env["GUEST_IF"])[1]


def qp_stats(g):
    """The guest's ntb_transport debugfs stats of qp0, as a dict."""
    rc, out = g.exec("cat /sys/kernel/debug/ntb_transport/*/qp0/stats")
    st = {k: int(v) for k, v in re.findall(r"^(\w+) - \s*(\d+)$", out,
                                           re.M)}
    st["_text"] = out
    return st


def send(h, g, tag, count, sizes, gap_us=50000, burst=100, mtu=None):
    """Run kpeer_frames send to the guest's MAC; (exit status, output)."""
    args = ["send", g.mac(), str(count), sizes, str(gap_us), str(burst)]
    if mtu is not None:
        args.append(str(mtu))
    p = h.start("send" + tag, frames_argv(h, g, "send" + tag, *args),
                stdin=False)
    rc = h.wait_exit(p, 180)
    return rc, p.output()


def rc_to_ep(t, h, g, count, sizes, tag):
    """count frames RC -> EP, each byte checked by the guest, in order."""
    g.spawn("ntb_frames recv %s %d 60000" % (g.env["GUEST_IF"], count),
            "rx" + tag)
    rc, out = send(h, g, tag, count, sizes)
    t.ok(rc == 0, "RC -> EP (%s): kpeer_frames sent %d frames of %s B" %
         (tag, count, sizes), tail(out))
    gout = g.collect("rx" + tag, timeout=90)
    f = last_line(gout, "ntb_frames recv")
    return t.ok(f.get("good") == count and f.get("bad") == 0 and
                f.get("out_of_order") == 0,
                "RC -> EP (%s): the guest received %d frames of %s B, every "
                "byte checked, in order" % (tag, count, sizes),
                gout + guest_drops(g))


def ep_to_rc(t, h, g, count, sizes, tag):
    """count frames EP -> RC, each byte checked by kpeer_frames."""
    rcv = h.start("recv" + tag, frames_argv(h, g, "recv" + tag, "recv",
                                            str(count), "60000"),
                  stdin=False)
    h.wait_for(rcv, r"^kpeer_frames: link up$", timeout=90)
    rc, out = g.exec("ntb_frames send %s %s %d %s" %
                     (g.env["GUEST_IF"], kpeer.RC_MAC, count, sizes),
                     timeout=180)
    t.ok(rc == 0, "EP -> RC (%s): ntb_frames sent %d frames of %s B" %
         (tag, count, sizes), out)
    rc = h.wait_exit(rcv, 180)
    f = last_line(rcv.output(), "kpeer_frames recv")
    return t.ok(rc == 0 and f.get("good") == count and f.get("bad") == 0,
                "EP -> RC (%s): the RC received %d frames of %s B, every "
                "byte checked, in order" % (tag, count, sizes),
                tail(rcv.output()))


def pings(t, h, g, what, count=5):
    """testpmd icmpecho as the RC; the guest pings it (count answered)."""
    import testpmd
    tp = h.start("rc-" + what.replace(" ", "-"), kpeer.testpmd_argv(h, g),
                 preload=True)
    h.wait_for(tp, r"^testpmd> ", timeout=60)
    testpmd.command(h, tp, "start", r"^testpmd> ")
    if not t.ok(testpmd.wait_link(h, tp, "up", timeout=60) == "up",
                "%s: testpmd link up" % what, tail(tp.output())):
        testpmd.quit_testpmd(h, tp)
        return False
    rc, out = g.exec("ping -c %d -W 5 %s" % (count, g.env["PEER_IP"]),
                     timeout=90)
    ok = t.ok(rc == 0 and "%d packets received" % count in out,
              "%s: guest ping, %d of %d answered" % (what, count, count),
              out)
    testpmd.quit_testpmd(h, tp)
    return ok


def recv_rc(h, g, count, wait_ms, role="rc"):
    """kpeer_frames recv as the RC, started now, with the driver's INFO
    messages (why its link is down) in its output."""
    argv = [FRAMES,
            *h.eal(role, mem=256, lcores="0-1",
                   extra=["-d", drivers_dir(), "--log-level",
                          "pmd.raw.ntb_dwedma:info"]),
            *kpeer.vdevs(g), "--", "recv", str(count), str(wait_ms)]
    return h.start(role, argv, stdin=False)


def link_up_after(t, h, rcv, action, what, after):
    """action() (it lets the EP answer; False: it failed, checked by
    itself), then the RC's link must come up by itself; the time it took
    is printed, not asserted. True when up."""
    since = h.mark(rcv)
    t0 = time.monotonic()
    if action() is False:
        return False
    up, why = h.saw(rcv, r"^kpeer_frames: link up$", timeout=120,
                    since=since)
    if up:
        print("# %s: link up %.1f s after %s" %
              (what, time.monotonic() - t0, after))
    return t.ok(up, "%s: link up by itself" % what, why)


def link_up_late(t, h, rcv, down_re, late_s, down_what, what, action,
                 after):
    """The RC started while its EP does not answer: down_re in its output,
    then late_s seconds with the RC alive and its link down (checked as
    down_what); then link_up_after(action). True when up."""
    h.wait_for(rcv, down_re, timeout=60)
    time.sleep(late_s)
    out = rcv.output()
    t.ok(rcv.alive() and "kpeer_frames: link up" not in out,
         "%s: RC probed and started, link down for %d s" %
         (down_what, late_s), tail(out))
    return link_up_after(t, h, rcv, action, what, after)


def guest_send(t, g, count, sizes, what):
    """The guest's ntb_frames sends count frames of sizes to the RC."""
    rc, out = g.exec("ntb_frames send %s %s %d %s" %
                     (g.env["GUEST_IF"], kpeer.RC_MAC, count, sizes),
                     timeout=180)
    return t.ok(rc == 0, "%s: the guest sent %d frames of %s B" %
                (what, count, sizes), out)


def rc_received(t, h, rcv, count, what, **want):
    """recv_rc's process ends with count good frames, none bad or out of
    order; want: more fields of its last line that must match."""
    rc = h.wait_exit(rcv, 120)
    f = last_line(rcv.output(), "kpeer_frames recv")
    ok = rc == 0 and f.get("good") == count and f.get("bad") == 0 and \
        f.get("out_of_order") == 0 and \
        all(f.get(k) == v for k, v in want.items())
    return t.ok(ok, "%s: the RC received %d frames, every byte checked, "
                "in order" % (what, count), tail(rcv.output()))
