#!/usr/bin/python3
"""CPU against the physical floor, and scale beyond 1000 instances.

For each (n, interval): vrrpd, keepalived and the floor probe (bench/floor.c:
an ideal sender on r1 and an ideal receiver on r2, nothing else) run one
after the other on identical labs in the same run. The daemons' runs are
bench/scale.py's (convergence, false transitions, CPU in 3 slices of the
window, RSS); the floor run measures the probes' CPU over the same window.
Every CPU figure is reported as x floor beside x keepalived.

    python3 bench/floorbench.py [--plan 1000x100,1000x10,1000x1000,2000x100,4000x1000]
                                [--window 30] [--out F.md]
(interval in ms; 250 instances per interface, so 4000 instances use 16.)
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlab import (BenchLab, LabError, VRIDS_PER_IF, labmod, n_ifs_for, if_name, median,  # noqa: E402
                      proc_cpu_s, proc_status_kb, wait_quiet)
import scale  # noqa: E402

FLOOR_BIN = os.path.join(HERE, "..", "build", "bench", "floor")


def make_vmacs(lab, node, n, ifs):
    """The macvlans vrrpd makes for bench/features.py's vmac variant
    (vmK.VRID, mode private, the virtual MAC), with its sysctls."""
    ns = lab.ns(node)
    lines, sysctl = [], []
    for i in range(n):
        k, v = divmod(i, VRIDS_PER_IF)
        name = "vm%s.%d" % (ifs[k][3:], v + 1)
        lines.append("link add link %s name %s address 00:00:5e:00:01:%02x type macvlan mode private"
                     % (ifs[k], name, v + 1))
        lines.append("link set %s up" % name)
        sysctl += ["net/ipv4/conf/%s/arp_ignore=1" % name, "net/ipv4/conf/%s/rp_filter=0" % name]
    for ifn in ifs:
        sysctl += ["net/ipv4/conf/%s/arp_ignore=1" % ifn, "net/ipv4/conf/%s/arp_announce=2" % ifn]
    subprocess.run(["ip", "-n", ns, "-batch", "-"], input="\n".join(lines) + "\n", text=True,
                   check=True)
    subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w"] + sysctl, check=True,
                   stdout=subprocess.DEVNULL)


def floor_run(n, adv_cs, window_s, vmac=None):
    """vmac None: the plain probe; "raw" or "packet": the senders of
    bench/floor.c's send-vmac, both routers with features.py's macvlans."""
    n_if = n_ifs_for(n)
    ifs = [if_name(k) for k in range(n_if)]
    with BenchLab(routers=2, client=False, n_if=n_if) as lab:
        procs = {}
        if vmac:
            for node in ("r1", "r2"):
                make_vmacs(lab, node, n, ifs)
            plan = (("r2", ["recv-vmac", str(n)] + ifs),
                    ("r1", ["send-vmac", vmac, str(adv_cs), "100", str(n)] + ifs))
        else:
            plan = (("r2", ["recv"] + ifs),
                    ("r1", ["send", str(adv_cs), "100", str(n)] + ifs))
        for node, args in plan:
            p = subprocess.Popen(["ip", "netns", "exec", lab.ns(node), FLOOR_BIN] + args,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            lab._procs.append(p)
            procs[node] = p
        time.sleep(1.0)
        for p in procs.values():
            if p.poll() is not None:
                raise LabError("floor probe exited: " + p.stdout.read())
        slices = []
        c0 = (proc_cpu_s(procs["r1"].pid), proc_cpu_s(procs["r2"].pid), time.time())
        for _ in range(3):
            time.sleep(window_s / 3)
            c1 = (proc_cpu_s(procs["r1"].pid), proc_cpu_s(procs["r2"].pid), time.time())
            dt = c1[2] - c0[2]
            slices.append(((c1[0] - c0[0]) / dt * 60, (c1[1] - c0[1]) / dt * 60))
            c0 = c1
        rss = (proc_status_kb(procs["r1"].pid, "VmHWM"), proc_status_kb(procs["r2"].pid, "VmHWM"))
        out = {}
        for node, p in procs.items():
            p.terminate()
            out[node] = p.communicate(timeout=10)[0].strip()
    return {"impl": "floor" + ("-vmac-" + vmac if vmac else ""), "n": n, "adv_cs": adv_cs,
            "cpu_master_min": [s[0] for s in slices], "cpu_backup_min": [s[1] for s in slices],
            "rss_master_kb": rss[0], "rss_backup_kb": rss[1],
            "sent": out["r1"], "received": out["r2"]}


def x(a, b):
    return "-" if not b else "%.2f" % (a / b)


PLAN = "1000x100,1000x10,1000x1000,2000x100,4000x1000"
QUICK_PLAN = "1000x100,1000x10"


def run_all(quick, log, quiet, plan=None, window_s=None, impls="floor,vrrpd,keepalived"):
    """Every (n, interval) of the plan, each impl in turn; (results, notes),
    results JSON-serializable with the window section() needs.
    quick: plan QUICK_PLAN, 8 s window; else PLAN, 12 s."""
    plan = plan or (QUICK_PLAN if quick else PLAN)
    if window_s is None:
        window_s = 8 if quick else 12
    rows, notes = [], []
    for item in plan.split(","):
        n, ms = (int(v) for v in item.split("x"))
        cs = ms // 10
        for impl in impls.split(","):
            note = quiet("floorbench %s n=%d %d ms" % (impl, n, ms))
            if note:
                notes.append(note)
            try:
                if impl == "floor":
                    r = floor_run(n, cs, window_s)
                else:
                    r = scale.one_run(impl, n, cs, window_s, 0, log)
            except (LabError, labmod.LabTimeout) as e:
                r = {"impl": impl, "n": n, "adv_cs": cs, "error": str(e)[:300]}
            log("%s n=%d %d ms: %s" % (impl, n, ms, json.dumps(
                {k: v for k, v in r.items() if k.startswith(("cpu", "false", "conv", "error",
                                                              "sent", "received"))})))
            rows.append(r)
    return {"window_s": window_s, "rows": rows}, notes


def section(res, notes=None):
    """The markdown lines of the section, from run_all()'s results alone
    (notes: appended as "Note:" lines, as the standalone run prints them)."""
    rows, window_s = res["rows"], res["window_s"]
    out = ["## CPU against the floor, and scale", "",
           "The floor is bench/floor.c in the same run: r1 sends the n adverts per interval "
           "with sendmmsg on raw IP sockets (one per interface), r2 receives them with "
           "recvmmsg and decodes each with our codec, nothing else. vrrpd and keepalived run "
           "the same n on identical labs (bench/scale.py's runs: master priority 100, backup "
           "98). CPU = time on the CPU (/proc/PID/schedstat) per minute, median of 3 slices of a %d s window." % window_s,
           "",
           "| n | interval | LANs | impl | CPU s/min master | CPU s/min backup | master × floor | "
           "backup × floor | master × keepalived | backup × keepalived | converged s M / B | "
           "false M / B | RSS kB M / B |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    by = {}
    for r in rows:
        by.setdefault((r["n"], r["adv_cs"]), {})[r["impl"]] = r
    for (n, cs), d in by.items():
        fl, ka = d.get("floor"), d.get("keepalived")
        for impl in ("floor", "vrrpd", "keepalived"):
            r = d.get(impl)
            if not r:
                continue
            if "error" in r:
                out.append("| %d | %d ms | %d | %s | error: %s |||||||| |" % (
                    n, cs * 10, n_ifs_for(n), impl, r["error"][:100].replace("\n", " ")))
                continue
            cm, cb = median(r["cpu_master_min"]), median(r["cpu_backup_min"])
            fm = median(fl["cpu_master_min"]) if fl and "error" not in fl else None
            fb = median(fl["cpu_backup_min"]) if fl and "error" not in fl else None
            km = median(ka["cpu_master_min"]) if ka and "error" not in ka else None
            kb = median(ka["cpu_backup_min"]) if ka and "error" not in ka else None
            conv = ("%s / %s" % tuple("%.2f" % r[k] if r.get(k) is not None else "-"
                                      for k in ("conv_master_s", "conv_backup_s"))
                    if impl != "floor" else "-")
            false = ("%d / %d" % (r["false_master"], r["false_backup"])
                     if impl != "floor" else "-")
            out.append("| %d | %d ms | %d | %s | %.2f | %.2f | %s | %s | %s | %s | %s | %s | %d / %d |" % (
                n, cs * 10, n_ifs_for(n), impl, cm, cb,
                x(cm, fm) if impl != "floor" else "1", x(cb, fb) if impl != "floor" else "1",
                x(cm, km) if impl == "vrrpd" else "-", x(cb, kb) if impl == "vrrpd" else "-",
                conv, false, r["rss_master_kb"], r["rss_backup_kb"]))
    if notes:
        out += [""] + ["Note: " + n for n in notes]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan", default=PLAN)
    ap.add_argument("--window", type=float, default=30)
    ap.add_argument("--impls", default="floor,vrrpd,keepalived")
    ap.add_argument("--out")
    a = ap.parse_args()

    def log(msg):
        print(time.strftime("%H:%M:%S ") + msg, flush=True)
    res, notes = run_all(False, log, lambda what: wait_quiet(60, log, what), a.plan,
                         a.window, a.impls)
    text = "\n".join(section(res, notes)) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
        with open(a.out + ".json", "w") as f:
            json.dump(res["rows"], f, indent=1)


if __name__ == "__main__":
    main()
