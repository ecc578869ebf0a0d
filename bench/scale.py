"""Scale: N instances (VRIDs spread over ceil(N/250) interfaces), one master
router (priority 100) and one backup (98), VRRPv3 at a given interval.

Per run: start the master alone and wait until all N are MASTER (time to
converge), then the backup until all N are BACKUP; from then on every state
change logged by either side is a false transition.  CPU seconds per minute
(time on the CPU of all the daemon's processes, /proc/PID/schedstat), peak RSS (VmHWM),
and at 1000 instances the advert jitter on the wire: a capture of the
master's eth0 (250 VRIDs), per-VRID interval between consecutive adverts
minus the configured interval.
"""

import os
import signal
import subprocess
import time

from benchlab import (BenchLab, BenchDaemon, LabError, scale_config, n_ifs_for,
                      labmod, pct, median, spread)
import pcapread

MASTER_ADDR = "10.10.10.101"


def master_down_s(prio, adv_cs):
    return 3 * adv_cs / 100.0 + (256 - prio) * adv_cs / 100.0 / 256.0


def capture_jitter(lab, adv_cs, seconds, log):
    """Capture the master's adverts on r1 eth0; deviation stats in ms."""
    path = os.path.join(lab.dir, "jitter.pcap")
    err = open(path + ".stderr", "w")
    p = subprocess.Popen(["ip", "netns", "exec", lab.ns("r1"), "tcpdump", "-i", "eth0", "-n",
                          "-B", "32768", "-s", "64", "-w", path,
                          "ip proto 112 and src host %s" % MASTER_ADDR],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                         start_new_session=True)
    lab._procs.append(p)
    labmod.wait_for(lambda: "listening on" in open(path + ".stderr").read() or
                    p.poll() is not None, 5, what="tcpdump start")
    time.sleep(seconds)
    labmod._stop_proc(p, signal.SIGINT, 5)
    err.close()
    stderr = open(path + ".stderr").read()
    dropped = None
    for line in stderr.splitlines():
        if "dropped by kernel" in line:
            dropped = int(line.split()[0])
    adv = pcapread.vrrp_adverts(path)
    by_vrid = {}
    for t, src, ver, vrid, prio, ivl in adv:
        by_vrid.setdefault(vrid, []).append(t)
    nominal = adv_cs / 100.0
    devs = []
    for ts in by_vrid.values():
        ts.sort()
        devs.extend(abs((b - a) - nominal) * 1000 for a, b in zip(ts, ts[1:]))
    os.unlink(path)
    if not devs:
        return {"packets": len(adv), "dropped": dropped}
    return {"packets": len(adv), "vrids": len(by_vrid), "dropped": dropped,
            "p50_ms": pct(devs, 50), "p99_ms": pct(devs, 99), "max_ms": max(devs),
            "samples": len(devs)}


def one_run(impl, n, adv_cs, window_s, jitter_s, log, variant=None):
    """variant(cfg, router_idx) may change each router's configuration
    (bench/features.py: tracking, unicast, virtual MAC)."""
    names = ["VI_%d" % (i + 1) for i in range(n)]
    res = {"impl": impl, "n": n, "adv_cs": adv_cs}
    with BenchLab(routers=2, client=False, n_if=n_ifs_for(n)) as lab:
        cm, cb = scale_config(n, adv_cs, 100), scale_config(n, adv_cs, 98)
        if variant:
            variant(cm, 1)
            variant(cb, 2)
        dm = BenchDaemon(lab, "r1", impl, cm)
        db = BenchDaemon(lab, "r2", impl, cb)
        conv_timeout = master_down_s(100, adv_cs) + 10 + n * 0.01
        dm.start()
        t = dm.wait_all(names, "master", conv_timeout)
        res["conv_master_s"] = (t - dm.t_start) if t else None
        if t is None:
            res["note"] = "master: %d/%d MASTER after %.0f s" % (
                dm.count_in(names, "master"), n, conv_timeout)
        db.start()
        t = db.wait_all(names, "backup", conv_timeout)
        if t is None:
            res["note"] = (res.get("note", "") + " backup: %d/%d BACKUP after %.0f s" % (
                db.count_in(names, "backup"), n, conv_timeout)).strip()
        # Final state = all BACKUP and no state change on either side for a
        # stability period; start-up takeovers by the backup count apart.
        stab = max(1.0, 2 * master_down_s(98, adv_cs))
        deadline = db.t_start + conv_timeout
        while True:
            last = max([x[0] for x in db.transitions_since(db.t_start)] +
                       [x[0] for x in dm.transitions_since(db.t_start)] + [db.t_start])
            if (time.time() - last >= stab and db.count_in(names, "backup") == n) or \
                    time.time() >= deadline:
                break
            time.sleep(0.05)
        stable = time.time() < deadline
        res["conv_backup_s"] = (last - db.t_start) if stable else None
        if not stable:
            res["note"] = (res.get("note", "") + " not stable after %.0f s" % conv_timeout).strip()
        t_conv = time.time()
        res["startup_takeovers"] = sum(1 for x in db.transitions_since(db.t_start)
                                       if x[0] < t_conv and x[2] == "master")
        res["startup_master_changes"] = len([x for x in dm.transitions_since(db.t_start)
                                             if x[0] < t_conv])
        # CPU over the window in three slices: median and spread per minute.
        slices = []
        nslice = 3
        c0 = (dm.cpu_s(), db.cpu_s(), time.time())
        for _ in range(nslice):
            time.sleep(window_s / nslice)
            c1 = (dm.cpu_s(), db.cpu_s(), time.time())
            dt = c1[2] - c0[2]
            slices.append(((c1[0] - c0[0]) / dt * 60, (c1[1] - c0[1]) / dt * 60))
            c0 = c1
        res["cpu_master_min"] = [s[0] for s in slices]
        res["cpu_backup_min"] = [s[1] for s in slices]
        if jitter_s:
            res["jitter"] = capture_jitter(lab, adv_cs, jitter_s, log)
        res["false_master"] = len(dm.transitions_since(t_conv))
        res["false_backup"] = len(db.transitions_since(t_conv))
        res["final_master"] = dm.count_in(names, "master")
        res["final_backup"] = db.count_in(names, "backup")
        hm, hm_per = dm.hwm_kb()
        hb, hb_per = db.hwm_kb()
        res["rss_master_kb"], res["rss_master_per"] = hm, hm_per
        res["rss_backup_kb"], res["rss_backup_per"] = hb, hb_per
        if not dm.pids() or not db.pids():
            raise LabError("a daemon died during the run")
        for d in (db, dm):
            try:
                d.kill9()
            except (ProcessLookupError, OSError):
                pass
    return res


def plan(quick):
    """[(n, adv_cs, window_s, jitter_s)]"""
    if quick:
        return [(100, 10, 8, 0), (1000, 10, 8, 4), (1000, 100, 8, 4), (1000, 1, 6, 2)]
    return [(1, 10, 30, 0), (100, 10, 30, 0), (1000, 10, 30, 10),
            (1, 100, 30, 0), (100, 100, 30, 0), (1000, 100, 30, 10),
            (500, 1, 15, 0), (1000, 1, 15, 3)]


def run_all(quick, log, quiet):
    results, notes = [], []
    for n, adv_cs, window_s, jitter_s in plan(quick):
        for impl in ("vrrpd", "keepalived"):
            note = quiet("scale %s n=%d %d ms" % (impl, n, adv_cs * 10))
            if note:
                notes.append(note)
            try:
                r = one_run(impl, n, adv_cs, window_s, jitter_s, log)
            except (LabError, labmod.LabTimeout) as e:
                r = {"impl": impl, "n": n, "adv_cs": adv_cs, "error": str(e)[:300]}
            r["window_s"] = window_s
            log("scale %-10s n=%-4d %4d ms: %s" % (impl, n, adv_cs * 10, summarize(r)))
            results.append(r)
    return results, notes


def summarize(r):
    if "error" in r:
        return "ERROR " + r["error"][:200]
    j = r.get("jitter") or {}
    return ("conv M %s B %s s; CPU/min M %.2f B %.2f s; RSS M %d B %d kB; false %d/%d; "
            "start-up takeovers %d; jitter %s" % (
                "%.2f" % r["conv_master_s"] if r["conv_master_s"] is not None else "-",
                "%.2f" % r["conv_backup_s"] if r["conv_backup_s"] is not None else "-",
                median(r["cpu_master_min"]), median(r["cpu_backup_min"]),
                r["rss_master_kb"], r["rss_backup_kb"], r["false_master"], r["false_backup"], r["startup_takeovers"],
                ("p50 %.3f p99 %.3f max %.3f ms (%d pkts, drop %s)" % (
                    j["p50_ms"], j["p99_ms"], j["max_ms"], j["packets"], j["dropped"])
                 if "p50_ms" in j else "-")))


_ = spread  # re-exported for bench.py


def startup_trial(impl, n, adv_cs):
    """Master alone until all MASTER, then the backup at once: how many
    backup instances take over although the master is up, and how long
    until both sides are stable."""
    names = ["VI_%d" % (i + 1) for i in range(n)]
    with BenchLab(routers=2, client=False, n_if=n_ifs_for(n)) as lab:
        dm = BenchDaemon(lab, "r1", impl, scale_config(n, adv_cs, 100)).start()
        if dm.wait_all(names, "master", 30) is None:
            raise LabError("master did not converge")
        db = BenchDaemon(lab, "r2", impl, scale_config(n, adv_cs, 98)).start()
        stab = max(1.0, 2 * master_down_s(98, adv_cs))
        deadline = db.t_start + 30
        while time.time() < deadline:
            last = max([x[0] for x in db.transitions_since(db.t_start)] +
                       [x[0] for x in dm.transitions_since(db.t_start)] + [db.t_start])
            if time.time() - last >= stab and db.count_in(names, "backup") == n:
                break
            time.sleep(0.05)
        took = sum(1 for x in db.transitions_since(db.t_start) if x[2] == "master")
        res = {"takeovers": took, "stable_s": last - db.t_start,
               "stable": time.time() < deadline}
        for d in (db, dm):
            try:
                d.kill9()
            except (ProcessLookupError, OSError):
                pass
    return res


def run_startup(quick, log, quiet):
    n, adv_cs, trials = 1000, 10, (2 if quick else 4)
    out = {}
    for i in range(trials):
        for impl in ("vrrpd", "keepalived"):
            quiet("startup %s" % impl)
            try:
                r = startup_trial(impl, n, adv_cs)
            except (LabError, labmod.LabTimeout) as e:
                r = {"error": str(e)[:200]}
            log("startup %-10s trial %d: %s" % (impl, i + 1, r))
            out.setdefault(impl, []).append(r)
    return {"n": n, "adv_cs": adv_cs, "trials": out}
