#!/usr/bin/python3
"""What the features cost: n instances plain, tracking one check script,
with unicast peers, and with virtual MACs, vrrpd on identical labs in the
same run (bench/scale.py's runs: r1 master priority 100, r2 backup 98).
Each figure is CPU-s/min of the master and of the backup, and the ratio to
the plain run (goal: <= 1.2 x plain). The floor probe (bench/floor.c) runs
in the same run twice: plain, and on the same macvlans as vmac (frames from
the virtual MAC on the parent), so vmac is also reported against its own
floor.

    python3 bench/features.py [--n 1000] [--interval-ms 100] [--window 30]
                              [--variants plain,track,unicast,vmac] [--out F.md]
"""

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlab import LabError, labmod, if_addr, median, wait_quiet  # noqa: E402
import scale  # noqa: E402
import floorbench  # noqa: E402


def track(cfg, router):
    g = cfg["vrrpd:vrrpd"]
    g["track"] = {"script": [{"name": "chk", "command": ["/bin/true"], "interval": 1000,
                              "weight": -10}]}
    g["global"]["enable-script-security"] = False
    for inst in g["instance"]:
        inst["track"] = {"script": [{"name": "chk"}]}


def unicast(cfg, router):
    peer = 2 if router == 1 else 1
    for inst in cfg["vrrpd:vrrpd"]["instance"]:
        k = int(inst["interface"][3:])
        inst["unicast"] = {"peer": [{"address": if_addr(peer, k)}]}


def vmac(cfg, router):
    for inst in cfg["vrrpd:vrrpd"]["instance"]:
        # vrrp.VRID, the default name, repeats on every LAN
        inst["virtual-mac"] = {"enabled": True,
                               "interface": "vm%s.%d" % (inst["interface"][3:], inst["vrid"])}


VARIANTS = {"plain": None, "track": track, "unicast": unicast, "vmac": vmac}


def run_all(quick, log, quiet, n=1000, interval_ms=100, window_s=None,
            variants="plain,track,unicast,vmac"):
    """Every variant in turn; (results, notes), results JSON-serializable with
    the sizes section() needs. window: quick 8 s, else 15 s."""
    if window_s is None:
        window_s = 8 if quick else 15
    rows, notes = {}, []
    runs = variants.split(",")
    runs = ["floor"] + runs + (["floor-vmac"] if "vmac" in runs else [])
    for v in runs:
        note = quiet("features %s" % v)
        if note:
            notes.append(note)
        try:
            if v.startswith("floor"):
                r = floorbench.floor_run(n, interval_ms // 10, window_s,
                                         "packet" if v == "floor-vmac" else None)
            else:
                r = scale.one_run("vrrpd", n, interval_ms // 10, window_s, 0, log,
                                  variant=VARIANTS[v])
        except (LabError, labmod.LabTimeout) as e:
            r = {"error": str(e)[:300]}
        log("%s: %s" % (v, json.dumps({k: x for k, x in r.items()
                                        if k.startswith(("cpu", "false", "conv", "error",
                                                         "note"))})))
        rows[v] = r
    return {"n": n, "interval_ms": interval_ms, "window_s": window_s, "rows": rows}, notes


def section(res, notes=None):
    """The markdown lines of the section, from run_all()'s results alone
    (notes: appended as "Note:" lines, as the standalone run prints them)."""
    rows = res["rows"]
    plain = rows.get("plain")
    out = ["## What the features cost (vrrpd, %d instances at %d ms)" % (
               res["n"], res["interval_ms"]), "",
           "r1 master (priority 100) and r2 backup (98) of every instance; track = every "
           "instance follows one check script (/bin/true every 1 s, weight -10); unicast = "
           "each instance advertises to the other router's address instead of 224.0.0.18; "
           "vmac = each instance on its own macvlan with the virtual MAC. floor = the ideal "
           "sender and receiver of bench/floor.c; floor-vmac = the same on vmac's macvlans "
           "(frames from the virtual MAC on the parent, one receiving socket), the floor vmac "
           "is measured against. CPU-s/min, median "
           "of 3 slices of a %d s window. Goal: <= 1.2 x plain." % res["window_s"], "",
           "| variant | CPU master | CPU backup | master × plain | backup × plain | "
           "master × floor | backup × floor | converged s M / B | false M / B | RSS kB M / B |",
           "|---|---|---|---|---|---|---|---|---|---|"]

    def med(row, key):
        return median(row[key]) if row and "error" not in row else None
    for v, r in rows.items():
        if "error" in r:
            out.append("| %s | error: %s |||||||||" % (v, r["error"][:120].replace("\n", " ")))
            continue
        cm, cb = median(r["cpu_master_min"]), median(r["cpu_backup_min"])
        pm, pb = med(plain, "cpu_master_min"), med(plain, "cpu_backup_min")
        fl = rows.get("floor-vmac" if v == "vmac" else "floor")
        fm, fb = med(fl, "cpu_master_min"), med(fl, "cpu_backup_min")
        floor_row = v.startswith("floor")
        conv = "- / -" if floor_row else "%s / %s" % (
            "%.2f" % r["conv_master_s"] if r.get("conv_master_s") is not None else "-",
            "%.2f" % r["conv_backup_s"] if r.get("conv_backup_s") is not None else "-")
        false = "- / -" if floor_row else "%d / %d" % (r["false_master"], r["false_backup"])
        out.append("| %s | %.2f | %.2f | %s | %s | %s | %s | %s | %s | %d / %d |" % (
            v, cm, cb, "%.2f" % (cm / pm) if pm else "-", "%.2f" % (cb / pb) if pb else "-",
            "-" if floor_row or not fm else "%.2f" % (cm / fm),
            "-" if floor_row or not fb else "%.2f" % (cb / fb),
            conv, false, r["rss_master_kb"], r["rss_backup_kb"]))
    if notes:
        out += [""] + ["Note: " + n for n in notes]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--interval-ms", type=int, default=100)
    ap.add_argument("--window", type=float, default=30)
    ap.add_argument("--variants", default="plain,track,unicast,vmac")
    ap.add_argument("--out")
    a = ap.parse_args()

    def log(msg):
        print(time.strftime("%H:%M:%S ") + msg, flush=True)
    res, notes = run_all(False, log, lambda what: wait_quiet(60, log, what), a.n,
                         a.interval_ms, a.window, a.variants)
    text = "\n".join(section(res, notes)) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
        with open(a.out + ".json", "w") as f:
            json.dump(res["rows"], f, indent=1)


if __name__ == "__main__":
    main()
