#!/usr/bin/python3
"""vrrpd vs keepalived benchmark driver (see bench/README.md).

  bench.py [--quick] [--runs N] [--only failover,scale,ctl,mass,floor,features]
           [--out FILE] [--reuse RESULTS_JSON] [--report-only RESULTS_JSON]

Runs every case on fresh namespace labs, vrrpd and keepalived one after the
other in the same run, and writes a Markdown report (bench/RESULTS.md).
Sections: failover, scale, ctl (control plane), mass (mass takeover,
mass.py), floor (CPU against the floor, floorbench.py), features (feature
costs, features.py). Raw numbers go to bench/results.json next to it.
--tiny (not in --help) shrinks mass, floor and features to 20 instances, to
check the plumbing in a few minutes; its numbers mean nothing.
"""

import argparse
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import benchlab  # noqa: E402
from benchlab import median, spread, wait_quiet  # noqa: E402
import failover  # noqa: E402
import scale  # noqa: E402
import ctlplane  # noqa: E402
import mass  # noqa: E402
import floorbench  # noqa: E402
import features  # noqa: E402

T0 = time.time()
SECTIONS = ("failover", "scale", "ctl", "mass", "floor", "features")


def log(msg):
    sys.stderr.write("[%6.1fs] %s\n" % (time.time() - T0, msg))
    sys.stderr.flush()


def sh(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def binary_id(path):
    """sha256 prefix and mtime of the binary measured (run.sh runs a private
    copy; VRRPD_BENCH_SRC_BIN names where it came from)."""
    import hashlib
    src = os.environ.get("VRRPD_BENCH_SRC_BIN", path)
    try:
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:12]
        mtime = datetime.datetime.fromtimestamp(os.stat(src).st_mtime, datetime.timezone.utc)
        return "%s sha256 %s, built %s" % (os.path.relpath(src, os.path.join(HERE, "..")),
                                           digest, mtime.strftime("%H:%M:%S UTC"))
    except OSError:
        return "?"


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return {
        "cores": os.cpu_count(), "cpu": model, "kernel": platform.release(),
        "mem_gib": round(mem_kb / 1048576, 1),
        "vrrpd": sh([benchlab.VRRPD_BIN, "--version"]).splitlines()[0],
        "keepalived": sh([benchlab.KEEPALIVED_BIN, "--version"]).splitlines()[0],
        "git": sh(["git", "-C", HERE, "rev-parse", "--short", "HEAD"]) +
        (" + uncommitted changes" if sh(["git", "-C", HERE, "status", "--porcelain",
                                         "--untracked-files=no", "--", "../vrrpd", "../lib"])
         else ""),
        "vrrpd_bin": binary_id(benchlab.VRRPD_BIN),
        "os": sh(["sh", "-c", ". /etc/os-release; echo $PRETTY_NAME"]),
    }


# ---------------------------------------------------------------- formatting

def f1(x, nd=1):
    return "-" if x is None else ("%.*f" % (nd, x))


def med_range(vals, nd=1):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "-"
    lo, hi = spread(vals)
    if len(vals) == 1:
        return f1(vals[0], nd)
    return "%s (%s–%s)" % (f1(median(vals), nd), f1(lo, nd), f1(hi, nd))


def ratio(a, b, nd=2):
    if a is None or b is None or b == 0:
        return "-"
    return "%.*f" % (nd, a / b)


def failover_section(res):
    out = ["## Failover as the client sees it", "",
           "The client sends an ICMP echo to the VIP every %.0f ms (bench/prober.py, kernel receive "
           "timestamps); outage = longest gap between replies. "
           "Minimum = what the protocol demands for that run (kill: last advert + master-down "
           "interval − start of the gap; stop/failover: skew time). Overhead = outage − minimum. "
           "Wire = backup's first advert − (last advert | priority-0 advert), against the "
           "master-down interval | skew time. Median (min–max) of the runs."
           % (failover.PROBE_INTERVAL_S * 1000), "",
           "Pre = old master's last reply → its priority-0 advert (VIP dropped early); "
           "post = new master's first advert → first reply (VIP add, gratuitous ARP, client).", "",
           "| case | impl | runs | outage ms | minimum ms | overhead ms | wire ms (protocol) | "
           "pre / post ms | overhead vs keepalived | target ≤ 5 ms and ≤ keepalived |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for (variant, case), impls in group_failover(res):
        ka = impls.get("keepalived")
        ka_over = median([r.get("overhead_ms") for r in ka]) if ka else None
        for impl, runs in impls.items():
            ok = [r for r in runs if "outage_ms" in r]
            over = median([r.get("overhead_ms") for r in ok])
            wire_min = ok[0]["wire_min_ms"] if ok else None
            if impl == "vrrpd":
                met = over is not None and over <= 5 and (ka_over is None or over <= ka_over + 0.5)
                verdict = "met" if met else "**missed**"
                vs = ("%+.1f ms" % (over - ka_over)) if over is not None and ka_over is not None else "-"
            else:
                verdict, vs = "", ""
            errs = len(runs) - len(ok)
            out.append("| %s %s | %s | %d%s | %s | %s | %s | %s (%s) | %s / %s | %s | %s |" % (
                variant, case, impl, len(ok), (" (%d failed)" % errs) if errs else "",
                med_range([r["outage_ms"] for r in ok]),
                med_range([r["min_ms"] for r in ok]),
                med_range([r["overhead_ms"] for r in ok]),
                med_range([r["wire_ms"] for r in ok]), f1(wire_min),
                f1(median([r.get("pre_ms") for r in ok])),
                f1(median([r.get("post_ms") for r in ok])), vs, verdict))
    return out


def group_failover(res):
    groups = {}
    for (variant, case, impl), runs in res.items():
        groups.setdefault((variant, case), {})[impl] = runs
    return list(groups.items())


def startup_rows(res):
    st = next((r["startup"] for r in res if "startup" in r), None)
    if not st:
        return []
    out = ["### Start-up: backup started right after the master converged", "",
           "%d instances at %d ms; the master starts alone, the backup the moment the "
           "master's last instance logged MASTER. Take-overs = backup instances that went "
           "MASTER although the master was up (each one moves a VIP away and back). "
           "Stable = backup start → last state change on either side." % (
               st["n"], st["adv_cs"] * 10), "",
           "| impl | trials | take-overs per trial | stable after s |", "|---|---|---|---|"]
    for impl, trials in st["trials"].items():
        ok = [t for t in trials if "takeovers" in t]
        out.append("| %s | %d | %s | %s |" % (
            impl, len(ok), ", ".join(str(t["takeovers"]) for t in ok),
            ", ".join("%.2f%s" % (t["stable_s"], "" if t["stable"] else " (not stable)")
                      for t in ok)))
    return out + [""]


def scale_section(res):
    extra = startup_rows(res)
    res = [r for r in res if "startup" not in r]
    out = ["## Scale", "",
           "VRRPv3, one /32 VIP per instance, VRIDs 1..250 per interface (eth0..eth3), "
           "master priority 100, backup 98. CPU = time on the CPU (/proc/PID/schedstat) of all the daemon's processes "
           "(keepalived: parent + VRRP child) per minute, median (min–max) of 3 slices of the "
           "window. RSS = VmHWM summed over the processes. Converged = start → every instance "
           "in its final state (backup: and no change on either side for max(1 s, 2×master-down)). "
           "False = state changes after that, during the window. Take-overs = backup instances "
           "that went MASTER during start-up although the master was up.", "",
           "| n | interval | impl | CPU s/min master | CPU s/min backup | RSS kB M / B | "
           "converged s M / B | false M / B | take-overs | jitter p50 / p99 / max ms | note |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in res:
        if "error" in r:
            out.append("| %d | %d ms | %s | error: %s |||||||| |" % (
                r["n"], r["adv_cs"] * 10, r["impl"], r["error"][:120].replace("\n", " ")))
            continue
        j = r.get("jitter") or {}
        jit = ("%.2f / %.2f / %.2f" % (j["p50_ms"], j["p99_ms"], j["max_ms"])
               if "p50_ms" in j else "-")
        out.append("| %d | %d ms | %s | %s | %s | %d / %d | %s / %s | %d / %d | %d | %s | %s |" % (
            r["n"], r["adv_cs"] * 10, r["impl"], med_range(r["cpu_master_min"], 2),
            med_range(r["cpu_backup_min"], 2), r["rss_master_kb"], r["rss_backup_kb"],
            f1(r["conv_master_s"], 2), f1(r["conv_backup_s"], 2),
            r["false_master"], r["false_backup"], r["startup_takeovers"], jit,
            r.get("note", "")))
    out += [""] + extra
    out += ["### Ratios vrrpd / keepalived (same run)", "",
            "| n | interval | CPU master | CPU backup | CPU per instance (M+B) | RSS master | "
            "RSS backup | targets: CPU ≤ 0.5, RSS ≤ 1, jitter p99 < 1 ms |",
            "|---|---|---|---|---|---|---|---|"]
    by = {}
    for r in res:
        by.setdefault((r["n"], r["adv_cs"]), {})[r["impl"]] = r
    for (n, adv), d in by.items():
        v, k = d.get("vrrpd"), d.get("keepalived")
        if not v or not k or "error" in v or "error" in k:
            out.append("| %d | %d ms | - | - | - | - | - | run failed |" % (n, adv * 10))
            continue
        cm = ratio(median(v["cpu_master_min"]), median(k["cpu_master_min"]))
        cb = ratio(median(v["cpu_backup_min"]), median(k["cpu_backup_min"]))
        ct = ratio(median(v["cpu_master_min"]) + median(v["cpu_backup_min"]),
                   median(k["cpu_master_min"]) + median(k["cpu_backup_min"]))
        rm = ratio(v["rss_master_kb"], k["rss_master_kb"])
        rb = ratio(v["rss_backup_kb"], k["rss_backup_kb"])
        verdict = []
        # schedstat counts nanoseconds; below 0.05 CPU-s/min for both a
        # ratio is noise (until 2026-12-02: 0.3, the 10 ms tick of utime+stime)
        tiny = (median(v["cpu_master_min"]) + median(v["cpu_backup_min"]) < 0.05 and
                median(k["cpu_master_min"]) + median(k["cpu_backup_min"]) < 0.05)
        try:
            if tiny:
                verdict.append("CPU too small to compare (< 0.05 CPU-s/min)")
            else:
                verdict.append("CPU %s" % ("met" if float(ct) <= 0.5 else "**missed**"))
            verdict.append("RSS %s" % ("met" if max(float(rm), float(rb)) <= 1.0 else "**missed**"))
        except ValueError:
            pass
        j = v.get("jitter") or {}
        if "p99_ms" in j:
            verdict.append("jitter %s" % ("met" if j["p99_ms"] < 1.0 else "**missed**"))
        if v["false_master"] + v["false_backup"] + v["startup_takeovers"]:
            verdict.append("vrrpd flaps")
        out.append("| %d | %d ms | %s | %s | %s | %s | %s | %s |" % (
            n, adv * 10, cm, cb, ct, rm, rb, ", ".join(verdict)))
    return out


def ctl_section(res):
    if not res:
        return []
    g1, g16 = res.get("get_1conn", {}), res.get("get_16conn", {})

    def row(name, g):
        return "| instance.get, %s | %s | %s | %s | %.0f | %.0f%% | %s |" % (
            name, f1(g.get("p50_ms"), 2), f1(g.get("p99_ms"), 2), f1(g.get("max_ms"), 2),
            g.get("rps", 0), 100 * g.get("client_cpu_frac", 0),
            "met" if g.get("p99_ms", 1e9) < 5 else "**missed** (target p99 < 5 ms)")
    out = ["## Control plane (vrrpd, 1000 instances)", "",
           "Python client (stdlib socket, closed loop: one request outstanding per "
           "connection) over the Unix socket. Client CPU is shown: far below 100% means "
           "the daemon, not the client, is the bottleneck.", "",
           "| measurement | p50 ms | p99 ms | max ms | req/s | client CPU | target |",
           "|---|---|---|---|---|---|---|", row("1 connection", g1), row("16 connections", g16),
           "", "| measurement | result |", "|---|---|",
           "| `vrrpctl --json show instances` wall time (ms) | %s |" %
           med_range(res.get("vrrpctl_show_ms", []), 0),
           "| create %d instances with instance.create one by one (s) | %s (%.1f ms each) |" % (
               res.get("create_n", 0), f1(res.get("create_s"), 2),
               1000 * res.get("create_s", 0) / max(1, res.get("create_n", 1))),
           "| load 1000 instances from the startup file: exec → socket answers daemon.info (s) | %s |" %
           med_range(res.get("load_1000_s", []), 3),
           "| vrrpd peak RSS with 1000 instances after the RPC load (kB) | %s |" % res.get("rss_kb", "-")]
    return out


def write_report(path, meta, fo, sc, ctl, notes, argv, ms=None, fl=None, ft=None):
    lines = ["# vrrpd vs keepalived — benchmark results", "",
             "Generated by `bench/bench.py` (`make bench` → `bench/run.sh`). "
             "Numbers below are from one real run; ratios were measured in that same run.", "",
             "- Date: %s" % meta["date"],
             "- Machine: %d cores (%s), %s GiB RAM, kernel %s, %s" % (
                 meta["cores"], meta["cpu"], meta["mem_gib"], meta["kernel"], meta["os"]),
             "- Versions: %s (git %s; binary %s); %s" % (
                 meta["vrrpd"], meta["git"], meta.get("vrrpd_bin", "?"), meta["keepalived"]),
             "- Command: `make bench` (= `make all && sh bench/run.sh`), here `bench/run.sh %s`; "
             "mode %s, %d failover runs per case; total %.0f s" % (
                 " ".join(argv), meta["mode"], meta["runs"], meta["elapsed_s"]) +
             ("; %s" % meta["reused"] if meta.get("reused") else ""),
             "- Daemons: `vrrpd --config F.json --foreground --log-level info`; "
             "`keepalived -n -l -G --vrrp -f F.conf` (config from tests/lab's JSON→keepalived "
             "translator: `vrrp_version` per instance via `version 3`, `advert_int` fractions, no "
             "auth, `vrrp_garp_master_delay 0` in scale runs; everything else default — no "
             "`max_auto_priority`, no `vrrp_rlimit_rttime`, no realtime priority, default "
             "receive buffers: it started without them)", ""]
    if notes:
        lines += ["Machine load notes (other people's tests share this 2-core box):", ""]
        lines += ["- %s" % n for n in notes] + [""]
    if fo:
        lines += failover_section(fo) + [""]
    if sc:
        lines += scale_section(sc) + [""]
    if ctl:
        lines += ctl_section(ctl) + [""]
    if ms:
        lines += mass.section(ms) + [""]
    if fl:
        lines += floorbench.section(fl) + [""]
    if ft:
        lines += features.section(ft) + [""]
    analysis = os.path.join(HERE, "analysis.md")
    if os.path.exists(analysis):
        with open(analysis) as f:
            lines += [f.read()]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--only", default=",".join(SECTIONS))
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    ap.add_argument("--reuse", metavar="RESULTS_JSON",
                    help="take the sections not in --only from a saved results.json "
                    "(the report says so)")
    ap.add_argument("--report-only", metavar="RESULTS_JSON",
                    help="rewrite the report from a saved results.json (e.g. after "
                    "editing analysis.md); runs nothing")
    ap.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.report_only:
        with open(args.report_only) as f:
            raw = json.load(f)
        fo = {tuple(k.split("|")): v for k, v in raw["failover"].items()}
        # results.json from before the mass/floor/features sections: absent
        write_report(args.out, raw["meta"], fo, raw["scale"], raw["ctl"], raw["notes"],
                     raw["meta"].get("argv", []), raw.get("mass"), raw.get("floor"),
                     raw.get("features"))
        return
    only = set(args.only.split(","))
    unknown = only - set(SECTIONS)
    if unknown:
        ap.error("--only: unknown section(s) %s (sections: %s)" % (
            ",".join(sorted(unknown)), ",".join(SECTIONS)))
    # SIGTERM/SIGHUP -> SystemExit, so every lab's context manager and the
    # atexit hook of tests/lab tear down daemons and namespaces.
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, lambda *a: sys.exit(130))
    swept = benchlab.labmod.sweep_stale()
    if swept:
        log("swept stale labs: %s" % ", ".join(swept))
    if args.tiny:
        args.quick = True       # and quick waits, runs and windows elsewhere
    runs = args.runs or (2 if args.quick else 5)
    max_wait = 20 if args.quick else 60
    meta = machine()
    meta["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta["mode"] = "tiny" if args.tiny else "quick" if args.quick else "full"
    meta["runs"] = runs
    meta["argv"] = sys.argv[1:]
    log("machine: %s" % meta)

    # Bounded waiting for a quiet machine: per measurement and in total.
    budget = {"left": 60 if args.quick else 240}

    def quiet(what):
        t = time.time()
        note = wait_quiet(min(max_wait, budget["left"]), log, what)
        budget["left"] = max(0, budget["left"] - (time.time() - t))
        return note

    notes, fo, sc, ctl, ms, fl, ft = [], {}, [], {}, None, None, None
    if "failover" in only:
        fo, n = failover.run_all(runs, args.quick, log, quiet)
        notes += n
    if "scale" in only:
        sc, n = scale.run_all(args.quick, log, quiet)
        notes += n
    if "scale" in only:
        st = scale.run_startup(args.quick, log, quiet)
        if sc:
            sc.append({"startup": st})
    if "ctl" in only:
        ctl, n = ctlplane.run_all(args.quick, log, quiet)
        notes += n
    if "mass" in only:
        if args.tiny:
            ms, n = mass.run_all(True, log, quiet, n=20)
        else:
            ms, n = mass.run_all(args.quick, log, quiet)
        notes += n
    if "floor" in only:
        if args.tiny:
            fl, n = floorbench.run_all(True, log, quiet, plan="20x100", window_s=3)
        else:
            fl, n = floorbench.run_all(args.quick, log, quiet)
        notes += n
    if "features" in only:
        if args.tiny:
            ft, n = features.run_all(True, log, quiet, n=20, window_s=3)
        else:
            ft, n = features.run_all(args.quick, log, quiet)
        notes += n
    meta["elapsed_s"] = time.time() - T0
    if args.reuse:
        with open(args.reuse) as f:
            old = json.load(f)
        reused = []
        if "failover" not in only:
            fo = {tuple(k.split("|")): v for k, v in old["failover"].items()}
            reused.append("failover")
        if "scale" not in only:
            sc = old["scale"]
            reused.append("scale")
        if "ctl" not in only:
            ctl = old["ctl"]
            reused.append("ctl")
        # (a results.json from before these sections lacks them: left out)
        if "mass" not in only and old.get("mass"):
            ms = old["mass"]
            reused.append("mass")
        if "floor" not in only and old.get("floor"):
            fl = old["floor"]
            reused.append("floor")
        if "features" not in only and old.get("features"):
            ft = old["features"]
            reused.append("features")
        prefix = {"failover": "failover", "scale": "scale", "ctl": "control plane",
                  "mass": "mass takeover", "floor": "floorbench", "features": "features"}
        notes = [n for n in old["notes"]
                 if any(n.startswith(prefix[r]) for r in reused)] + notes
        meta["reused"] = "%s from the run of %s (%s, %.0f s), same binaries" % (
            ", ".join(reused), old["meta"]["date"], old["meta"]["mode"],
            old["meta"]["elapsed_s"])
    raw = {"meta": meta, "notes": notes, "scale": sc, "ctl": ctl,
           "failover": {"|".join(k): v for k, v in fo.items()},
           "mass": ms, "floor": fl, "features": ft}
    with open(os.path.splitext(args.out)[0].replace("RESULTS", "results") + ".json", "w") as f:
        json.dump(raw, f, indent=1)
    write_report(args.out, meta, fo, sc, ctl, notes, sys.argv[1:], ms, fl, ft)
    log("wrote %s" % args.out)


if __name__ == "__main__":
    main()
