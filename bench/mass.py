#!/usr/bin/python3
"""Mass takeover: n instances (one /32 VIP each) change master at once,
vrrpd beside keepalived in the same run, on the same configuration.

r1 (priority 100) is master of every instance, r2 (98) backup. Then r1
either stops (SIGTERM: a priority-0 advert per instance) or crashes
(SIGKILL and every cable pulled at once). A client with a port on every
LAN captures the wire. For every instance v:

  minimum_v  = what the protocol demands: stop: r1's priority-0 advert
               + skew time; crash: r1's last advert + master-down interval
  wire_v     = r2's first advert for v - minimum_v
  vip_v      = r2's first gratuitous ARP for v's VIP - minimum_v

Both implementations add the VIP before they announce it, so the gratuitous
ARP is the moment the VIP is known to answer (an upper bound, measured the
same way for both). Reported: vip_v of the last VIP (max), median and p90,
wire_v max and median, and "span" = last gratuitous ARP - last minimum.
After the capture, vipsweep.py checks that every VIP answers an echo.

MASS_TRACE=PREFIX writes PREFIX.CASE.T.json per run: {"events": [[ms, kind]...]
(every advert, priority-0 advert and gratuitous ARP after the event), "lag":
[[minimum ms, VIP lag ms]...] (one per instance)}.

    python3 bench/mass.py [--n 1000] [--interval-cs 10] [--runs 3]
                          [--cases stop,kill] [--impls vrrpd,keepalived] [--out F.md]
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlab import (BenchLab, BenchDaemon, LabError, labmod, scale_config,  # noqa: E402
                      n_ifs_for, if_name, if_addr, vip_of, VRIDS_PER_IF, median, pct,
                      wait_quiet)
import pcapread  # noqa: E402


def skew_s(prio, adv_cs):
    return (256 - prio) * adv_cs / 100.0 / 256.0


def mdi_s(prio, adv_cs):
    return 3 * adv_cs / 100.0 + skew_s(prio, adv_cs)


def link_mac(lab, node, ifname):
    out = lab.ip(node, "-j", "link", "show", ifname)
    return json.loads(out)[0]["address"]


def one_run(impl, n, adv_cs, case, log, perf=None):
    names = ["VI_%d" % (i + 1) for i in range(n)]
    n_if = n_ifs_for(n)
    with BenchLab(routers=2, client=True, n_if=n_if) as lab:
        dm = BenchDaemon(lab, "r1", impl, scale_config(n, adv_cs, 100),
                         quiet_reader=True).start()
        if dm.wait_all(names, "master", mdi_s(100, adv_cs) + 10 + n * 0.01) is None:
            raise LabError("r1: %d/%d master" % (dm.count_in(names, "master"), n))
        db = BenchDaemon(lab, "r2", impl, scale_config(n, adv_cs, 98),
                         quiet_reader=True).start()
        if db.wait_all(names, "backup", 10 + n * 0.01) is None:
            raise LabError("r2: %d/%d backup" % (db.count_in(names, "backup"), n))
        time.sleep(max(1.0, 2 * mdi_s(98, adv_cs)))
        macs = [link_mac(lab, "r2", if_name(k)) for k in range(n_if)]
        caps = [lab.capture("c", bpf="ip proto 112 or arp", name="mass%d" % k)
                for k in range(n_if)]
        for k, c in enumerate(caps):
            start_capture(lab, c, if_name(k))
        time.sleep(0.5 + random.uniform(0, adv_cs / 100.0))
        prof = None
        if perf:
            # the new master's takeover, call graphs (RESULTS.md profiles)
            prof = subprocess.Popen(["perf", "record", "-q", "-g", "-F", "5000", "-o", "%s.%s.%s" % (perf, impl, case),
                                     "-p", ",".join(str(p) for p in db.pids())],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.3)
        t_act = time.time()
        if case == "stop":
            dm.proc.send_signal(15)
        else:
            dm.kill9()
            lab.link_down("r1")
            for k in range(1, n_if):
                lab.ip("sw", "link", "set", "r1-%d" % k, "down")
        t_all = db.wait_all(names, "master", mdi_s(98, adv_cs) + 20)
        if t_all is None:
            raise LabError("r2: %d/%d master" % (db.count_in(names, "master"), n))
        # tcpdump without --immediate-mode hands packets over in blocks, at
        # the latest after its 1 s block timeout: wait for the last block
        time.sleep(1.5)
        if prof:
            prof.send_signal(2)
            prof.wait(timeout=30)
        for c in caps:
            c.stop()
        vips = [vip_of(*divmod(i, VRIDS_PER_IF)) for i in range(n)]
        sweep = subprocess.run(["ip", "netns", "exec", lab.ns("c"), "/usr/bin/python3",
                                os.path.join(HERE, "vipsweep.py"), "5"] + vips,
                               stdout=subprocess.PIPE, text=True, timeout=60).stdout.split()
        res = analyse(caps, macs, n, adv_cs, case, t_act)
        res["answered"] = int(sweep[0]) if sweep else 0
        for d in (db, dm):
            try:
                d.kill9()
            except (ProcessLookupError, OSError):
                pass
        return res


def start_capture(lab, cap, ifname):
    """lab.Capture on another interface of the client (it is fixed to eth0).

    Not in --immediate-mode: woken for every packet, the four tcpdumps
    preempted the new master after each frame it sent (perf sched: vrrpd
    and tcpdump alternating every 10 µs on one CPU), a cost of the capture
    that a client on another host does not impose. The kernel stamps each
    packet on arrival either way."""
    cap.err = open(cap.errpath, "w")
    cap.proc = subprocess.Popen(
        ["ip", "netns", "exec", lab.ns("c"), "tcpdump", "-i", ifname, "-U",
         "-n", "-s", "96", "-B", "16384", "-w", cap.path, cap.bpf],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=cap.err,
        start_new_session=True)
    lab._procs.append(cap.proc)
    labmod.wait_for(lambda: "listening on" in open(cap.errpath).read() or
                    cap.proc.poll() is not None, 5, what="tcpdump start")
    if cap.proc.poll() is not None:
        raise LabError("tcpdump: " + open(cap.errpath).read())


def analyse(caps, macs, n, adv_cs, case, t_act):
    mins, wires, vipd, t_garp = [], [], [], []
    missing = 0
    for k, cap in enumerate(caps):
        adv = pcapread.vrrp_adverts(cap.path)
        garps = pcapread.gratuitous_arps(cap.path)
        a1, a2 = if_addr(1, k), if_addr(2, k)
        first_garp = {}
        for t, ip, mac in garps:
            if t >= t_act and mac == macs[k] and ip not in first_garp:
                first_garp[ip] = t
        r1 = {}
        r2 = {}
        for t, src, _ver, vrid, prio, _ in adv:
            if src == a1:
                if case == "stop" and prio == 0 and t >= t_act - 0.01:
                    r1.setdefault(vrid, t)
                elif case == "kill" and prio > 0:
                    r1[vrid] = t          # the last one wins
            elif src == a2 and t >= t_act - 0.01:
                r2.setdefault(vrid, t)
        for i in range(k * VRIDS_PER_IF, min(n, (k + 1) * VRIDS_PER_IF)):
            vrid = i - k * VRIDS_PER_IF + 1
            vip = vip_of(k, vrid)
            if vrid not in r1 or vrid not in r2 or vip not in first_garp:
                missing += 1
                continue
            m = r1[vrid] + (skew_s(98, adv_cs) if case == "stop" else mdi_s(98, adv_cs))
            mins.append(m)
            wires.append((r2[vrid] - m) * 1000)
            vipd.append((first_garp[vip] - m) * 1000)
            t_garp.append(first_garp[vip])
    trace = os.environ.get("MASS_TRACE")
    if trace:
        # every event of the run, for a look at how the takeovers cluster
        ev = []
        for k, cap in enumerate(caps):
            a1, a2 = if_addr(1, k), if_addr(2, k)
            ev += [(t, "p0" if src == a1 and prio == 0 else "adv1" if src == a1 else "adv2")
                   for t, src, _v, _vrid, prio, _ in pcapread.vrrp_adverts(cap.path)
                   if t >= t_act - 0.01 and src in (a1, a2)]
            ev += [(t, "garp") for t, _ip, mac in pcapread.gratuitous_arps(cap.path)
                   if t >= t_act and mac == macs[k]]
        ev.sort()
        # and per instance: its minimum and its VIP's lag, both in ms
        lag = sorted((round((m - t_act) * 1000, 3), round(v, 3)) for m, v in zip(mins, vipd))
        with open("%s.%s.%d.json" % (trace, case, int(t_act)), "w") as f:
            json.dump({"events": [(round((t - t_act) * 1000, 3), kind) for t, kind in ev],
                       "lag": lag}, f)
    if not vipd:
        return {"missing": missing}
    return {"missing": missing, "measured": len(vipd),
            "vip_max_ms": max(vipd), "vip_p50_ms": median(vipd), "vip_p90_ms": pct(vipd, 90),
            "wire_max_ms": max(wires), "wire_p50_ms": median(wires),
            "span_ms": (max(t_garp) - max(mins)) * 1000,
            # what the operator sees: the signal or crash -> the last VIP
            "event_to_last_ms": (max(t_garp) - t_act) * 1000}


def fmt(v):
    return "-" if v is None else "%.1f" % v


def run_all(quick, log, quiet, n=1000, adv_cs=10, runs=None, cases="stop,kill",
            impls="vrrpd,keepalived", perf=None):
    """Every case and run; (results, notes), results JSON-serializable
    (keys "case/impl") with the sizes section() needs. runs: quick 1, else 3.
    perf: as one_run's (--perf)."""
    if runs is None:
        runs = 1 if quick else 3
    notes = []
    note = quiet("mass takeover")
    if note:
        notes.append(note)
    results = {}
    for case in cases.split(","):
        for i in range(runs):
            for impl in impls.split(","):
                try:
                    r = one_run(impl, n, adv_cs, case, log, perf)
                except (LabError, labmod.LabTimeout) as e:
                    r = {"error": str(e)[:300]}
                log("%s %s run %d: %s" % (case, impl, i + 1, json.dumps(r)))
                results.setdefault("%s/%s" % (case, impl), []).append(r)
    return {"n": n, "adv_cs": adv_cs, "runs": runs, "results": results}, notes


def section(res):
    """The markdown lines of the section, from run_all()'s results alone."""
    results = {tuple(k.split("/")): v for k, v in res["results"].items()}
    n, adv_cs, runs = res["n"], res["adv_cs"], res["runs"]
    out = ["## Mass takeover: %d instances at once" % n, "",
           "VRRPv3, %d ms adverts, one /32 VIP per instance on %d LANs, r1 priority 100 "
           "master of all, r2 98. `stop` = SIGTERM of r1 (priority-0 adverts); `kill` = "
           "SIGKILL and every cable pulled. Per instance, against the protocol minimum of "
           "that instance in that run (stop: its priority-0 advert + skew time; kill: its "
           "last advert + master-down interval): VIP = r2's first gratuitous ARP for the "
           "VIP (sent after the VIP is added), wire = r2's first advert. Median over %d runs "
           "(min–max) of each run's figure. event → last VIP = SIGTERM or crash → the last VIP's first gratuitous ARP (stop: includes the skew time, 62 ms; kill: the master-down interval, 362 ms). answered = VIPs that answered an echo afterwards "
           "(a few short of n: the kernel's neighbour table, gc_thresh3 = 1024 entries shared "
           "by every namespace, cannot hold them all at once)."
           % (adv_cs * 10, n_ifs_for(n), runs), "",
           "| case | impl | runs | last VIP ms | VIP p50 ms | VIP p90 ms | wire max ms | "
           "wire p50 ms | event → last VIP ms | answered | last VIP vs keepalived |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for case in ("stop", "kill"):
        ka = [r["vip_max_ms"] for r in results.get((case, "keepalived"), [])
              if "vip_max_ms" in r]
        for impl in ("vrrpd", "keepalived"):
            rs = [r for r in results.get((case, impl), []) if "vip_max_ms" in r]
            if not rs:
                continue

            def m(key):
                vals = [r[key] for r in rs]
                return "%s (%s–%s)" % (fmt(median(vals)), fmt(min(vals)), fmt(max(vals)))
            ratio = ""
            if impl == "vrrpd" and ka:
                ratio = "%.2f×" % (median([r["vip_max_ms"] for r in rs]) / median(ka))
            out.append("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                case, impl, len(rs), m("vip_max_ms"), m("vip_p50_ms"), m("vip_p90_ms"),
                m("wire_max_ms"), m("wire_p50_ms"),
                m("event_to_last_ms") if all("event_to_last_ms" in r for r in rs) else "-",
                ", ".join("%d" % r["answered"] for r in rs), ratio))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--interval-cs", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cases", default="stop,kill")
    ap.add_argument("--impls", default="vrrpd,keepalived")
    ap.add_argument("--out")
    ap.add_argument("--perf", help="perf record the new master into PERF.IMPL.CASE")
    a = ap.parse_args()

    def log(msg):
        print(time.strftime("%H:%M:%S ") + msg, flush=True)
    res, notes = run_all(False, log, lambda what: wait_quiet(60, log, what), a.n,
                         a.interval_cs, a.runs, a.cases, a.impls, a.perf)
    note = notes[0] if notes else None
    text = "\n".join(section(res)) + "\n"
    if note:
        text += "\nNote: %s\n" % note
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
        with open(a.out + ".json", "w") as f:
            json.dump(res["results"], f, indent=1)


if __name__ == "__main__":
    main()
