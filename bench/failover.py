"""Failover as a client sees it.

Two routers (r1 priority 100, r2 98, the seed's single-master pair) and a
client that pings the VIP every 2 ms (iputils ping -i 0.002 -D: receive
timestamps).  The outage is the longest gap between two replies after the
event.  A capture on the client's port gives the protocol events on the
wire, so every outage is set against what the protocol itself demands:

- kill: the master's daemon is SIGKILLed and its cable pulled at once (a
  crashed host: a killed daemon alone leaves the VIP on a box that still
  answers).  The backup may take over only a master-down interval after the
  last advert it heard, so the minimum for this run is
  last_advert + master_down - gap_start (it depends on where in the advert
  period the crash fell, so it is computed per run).
- stop (SIGTERM) and vrrpctl failover: the master sends priority 0; the
  backup must wait its skew time (RFC 3768 6.4.2 / RFC 5798 6.4.2), so the
  minimum is the skew time.
overhead = outage - minimum.
"""

import os
import random
import signal
import subprocess
import sys
import time

from benchlab import BenchLab, BenchDaemon, VRRPCTL_BIN, LabError, labmod
import pcapread

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lab"))
import seed  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
R1_ADDR, R2_ADDR = "10.10.10.101", "10.10.10.102"
VIP = seed.VIP1
PROBE_INTERVAL_S = 0.002


class Prober:
    """bench/prober.py in the client namespace: ICMP echo to the VIP every
    PROBE_INTERVAL_S on a strict schedule (see prober.py for why not ping)."""

    def __init__(self, lab, vip, node="c"):
        self.lab, self.vip, self.node = lab, vip, node
        self.path = os.path.join(lab.dir, "probe-%s.txt" % node)
        self.proc = None

    def start(self, timeout=10.0):
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.lab.ns(self.node), "/usr/bin/python3",
             os.path.join(HERE, "prober.py"), self.vip, str(PROBE_INTERVAL_S), self.path],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        self.lab._procs.append(self.proc)
        labmod.wait_for(lambda: self.replies(), timeout, interval=0.05,
                        what="first echo reply from %s" % self.vip)
        return self

    def stop(self):
        if self.proc:
            labmod._stop_proc(self.proc, signal.SIGTERM, 5)
            self.proc = None
        return self

    def replies(self):
        try:
            with open(self.path) as f:
                return [float(line.split()[0]) for line in f if line.endswith("\n")]
        except OSError:
            return []


def configs(variant):
    """(cfg r1, cfg r2, advert interval cs) for 'v2-1s' (the seed) or 'v3-10ms'."""
    c1 = seed.load("single-master-node1")
    c2 = seed.load("single-master-node2")
    if variant == "v2-1s":
        return c1, c2, 100
    adv_cs = 1
    for c in (c1, c2):
        seed.as_v3(c)
        seed.tweak(c, advertisement_interval=adv_cs)
    return c1, c2, adv_cs


def longest_gap(ts, since):
    before = [t for t in ts if t < since]
    ts = ([before[-1]] if before else []) + [t for t in ts if t >= since]
    best = None
    for a, b in zip(ts, ts[1:]):
        if best is None or b - a > best[1] - best[0]:
            best = (a, b)
    return best


def one_run(impl, variant, case, log):
    """One failover; returns a dict of measurements (ms) or raises LabError."""
    c1, c2, adv_cs = configs(variant)
    adv_s = adv_cs / 100.0
    mdi = seed.master_down_s(98, adv_cs)
    skew = seed.skew_s(98, adv_cs)
    with BenchLab(routers=2, client=True) as lab:
        d1 = BenchDaemon(lab, "r1", impl, c1).start()
        if d1.wait_all(["VI_1"], "master", seed.master_down_s(100, adv_cs) + 5) is None:
            raise LabError("r1 never became master:\n" + d1.log_text()[-2000:])
        d2 = BenchDaemon(lab, "r2", impl, c2).start()
        if d2.wait_all(["VI_1"], "backup", 5) is None:
            raise LabError("r2 never became backup:\n" + d2.log_text()[-2000:])
        cap = lab.capture("c", bpf="ip proto 112").start()
        probe = Prober(lab, VIP).start()
        # > 1 s after the client resolved the VIP (neighbour locktime, so the
        # new master's gratuitous ARP is accepted) and a random phase within
        # the advert period.
        time.sleep(1.5 + random.uniform(0, adv_s))
        t_act = time.time()
        if case == "kill":
            d1.kill9()
            lab.link_down("r1")
        elif case == "stop":
            d1.proc.send_signal(15)
        elif case == "failover":
            r = subprocess.run([VRRPCTL_BIN, "--socket", d1.socket, "failover", "VI_1"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=10)
            if r.returncode != 0:
                raise LabError("vrrpctl failover: " + r.stdout)
        else:
            raise ValueError(case)
        t_m = d2.wait_all(["VI_1"], "master", mdi + 3)
        if t_m is None:
            raise LabError("r2 never took over:\n" + d2.log_text()[-2000:])
        try:
            labmod.wait_for(lambda: any(t > t_m for t in probe.replies()), 5,
                            what="replies after takeover")
        finally:
            time.sleep(0.05)
            probe.stop()
            cap.stop()
        ts = probe.replies()
        gap = longest_gap(ts, t_act - 0.005)
        adv = pcapread.vrrp_adverts(cap.path)
        if gap is None:
            raise LabError("no replies around the event")
        g0, g1 = gap
        outage = (g1 - g0) * 1000
        r1_adv = [a for a in adv if a[1] == R1_ADDR and a[4] > 0 and a[0] <= g1]
        r1_p0 = [a for a in adv if a[1] == R1_ADDR and a[4] == 0 and a[0] >= t_act - 0.01]
        r2_adv = [a for a in adv if a[1] == R2_ADDR and a[0] >= t_act - 0.01]
        res = {"outage_ms": outage}
        if case == "kill":
            t_last = max(a[0] for a in r1_adv) if r1_adv else None
            res["min_ms"] = (t_last + mdi - g0) * 1000 if t_last else None
            res["wire_ms"] = ((r2_adv[0][0] - t_last) * 1000
                              if r2_adv and t_last else None)
            res["wire_min_ms"] = mdi * 1000
        else:
            res["min_ms"] = skew * 1000
            res["wire_ms"] = ((r2_adv[0][0] - r1_p0[0][0]) * 1000
                              if r2_adv and r1_p0 else None)
            res["wire_min_ms"] = skew * 1000
        res["overhead_ms"] = outage - res["min_ms"] if res["min_ms"] is not None else None
        # Where the overhead goes: before the protocol event (the old master
        # dropped the VIP before its priority-0 advert left) and after the
        # new master's first advert (VIP add, gratuitous ARP, client ARP update).
        res["pre_ms"] = (r1_p0[0][0] - g0) * 1000 if case != "kill" and r1_p0 else None
        res["post_ms"] = (g1 - r2_adv[0][0]) * 1000 if r2_adv else None
        for d in (d2, d1):
            try:
                d.stop(timeout=3)
            except Exception:
                pass
        return res


def cases(quick):
    out = [("v2-1s", "kill"), ("v2-1s", "stop"), ("v2-1s", "failover"),
           ("v3-10ms", "kill"), ("v3-10ms", "stop"), ("v3-10ms", "failover")]
    return out


def run_all(n_runs, quick, log, quiet):
    """{(variant, case, impl): [result dicts]}; runs interleave vrrpd and
    keepalived so drifting machine load hits both alike."""
    results = {}
    notes = []
    for variant, case in cases(quick):
        impls = ["vrrpd"] if case == "failover" else ["vrrpd", "keepalived"]
        note = quiet("failover %s %s" % (variant, case))
        if note:
            notes.append(note)
        for i in range(n_runs):
            for impl in impls:
                key = (variant, case, impl)
                try:
                    r = one_run(impl, variant, case, log)
                    log("failover %-8s %-8s %-10s run %d: outage %.1f ms, min %.1f, overhead %.1f, wire %s" % (
                        variant, case, impl, i + 1, r["outage_ms"], r["min_ms"] or -1,
                        r["overhead_ms"] or -1,
                        "%.1f" % r["wire_ms"] if r["wire_ms"] is not None else "-"))
                except (LabError, labmod.LabTimeout) as e:
                    log("failover %s %s %s run %d FAILED: %s" % (variant, case, impl, i + 1,
                                                                 str(e)[:400]))
                    r = {"error": str(e)[:200]}
                results.setdefault(key, []).append(r)
    return results, notes
