#!/usr/bin/python3
"""Issue 9 bench: the cost of health tracking, vrrpd beside keepalived in
the same run, on the same configuration.

  A. 1000 instances following one check script at 1 s
  B. 100 check scripts at 1 s, each followed by 10 of the 1000 instances

One router (r1) runs the configuration alone (every instance master, as
with a dead peer: the worst case, adverts every second), the script is
/bin/true. Measured over WINDOW seconds after a settle time: CPU of the
daemon's processes (utime+stime) and of the scripts it reaped (cutime+
cstime), in CPU-seconds per minute, and how many times the scripts ran.

    python3 bench/track.py [--window 30] [--out FILE.md]

keepalived gets the same instances and scripts as keepalived.conf
(vrrp_script + track_script); vrrpd gets the equivalent JSON."""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlab import (BenchLab, BenchDaemon, scale_config, n_ifs_for,  # noqa: E402
                      CLK_TCK, wait_quiet)


def proc_times(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fl = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, 0.0
    return (int(fl[11]) + int(fl[12])) / CLK_TCK, (int(fl[13]) + int(fl[14])) / CLK_TCK


def configs(n, n_scripts, script):
    cfg = scale_config(n, 100, 100)
    names = ["chk%d" % k for k in range(n_scripts)]
    cfg["vrrpd:vrrpd"]["track"] = {"script": [
        {"name": nm, "command": [script], "interval": 1000, "weight": -10} for nm in names]}
    cfg["vrrpd:vrrpd"]["global"]["enable-script-security"] = False
    insts = cfg["vrrpd:vrrpd"]["instance"]
    for i, inst in enumerate(insts):
        inst["track"] = {"script": [{"name": names[i % n_scripts]}]}
    # keepalived: the same, rendered by hand (the lab's renderer has no scripts)
    from benchlab import keepalived_conf
    plain = json.loads(json.dumps(cfg))
    for inst in plain["vrrpd:vrrpd"]["instance"]:
        inst.pop("track", None)
    plain["vrrpd:vrrpd"].pop("track", None)
    text = keepalived_conf(plain)
    head = "".join("vrrp_script %s {\n    script \"%s\"\n    interval 1\n    weight -10\n}\n"
                   % (nm, script) for nm in names)
    out = []
    for line in text.splitlines(keepends=True):
        out.append(line)
        if line.startswith("vrrp_instance VI_"):
            idx = int(line.split()[1][3:]) - 1
            out.append("    track_script {\n        %s\n    }\n" % names[idx % n_scripts])
    return cfg, head + "".join(out)


class Daemon(BenchDaemon):
    def __init__(self, lab, kind, cfg, ka_text):
        super().__init__(lab, "r1", kind, cfg if kind == "vrrpd" else None)
        self.ka_text = ka_text

    def start(self):
        if self.kind == "keepalived":
            with open(self.conf_path, "w") as f:
                f.write(self.ka_text)
        return super().start()


def measure(kind, n, n_scripts, window, settle):
    with BenchLab(routers=1, client=False, n_if=n_ifs_for(n)) as lab:
        cfg, ka = configs(n, n_scripts, "/bin/true")
        d = Daemon(lab, kind, cfg, ka).start()
        names = ["VI_%d" % (i + 1) for i in range(n)]
        d.wait_all(names, "master", 60)
        time.sleep(settle)
        t0 = time.monotonic()
        a = [proc_times(p) for p in d.pids()]
        time.sleep(window)
        b = [proc_times(p) for p in d.pids()]
        dt = time.monotonic() - t0
        own = sum(x[0] for x in b) - sum(x[0] for x in a)
        kids = sum(x[1] for x in b) - sum(x[1] for x in a)
        d.stop()
        return {"own": own * 60 / dt, "children": kids * 60 / dt}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--window", type=float, default=30)
    ap.add_argument("--settle", type=float, default=5)
    ap.add_argument("--out")
    a = ap.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    rows = []
    for label, n, ns in (("A: 1000 instances, 1 script", 1000, 1),
                         ("B: 1000 instances, 100 scripts", 1000, 100)):
        res = {}
        for kind in ("vrrpd", "keepalived"):
            wait_quiet(60, log, "%s %s" % (label, kind))
            res[kind] = measure(kind, n, ns, a.window, a.settle)
            log("%s %s: %s" % (label, kind, res[kind]))
        rows.append((label, res))
    lines = ["| case | impl | daemon CPU s/min | scripts CPU s/min | total | vs keepalived |",
             "|---|---|---|---|---|---|"]
    for label, res in rows:
        k = res["keepalived"]["own"] + res["keepalived"]["children"]
        for kind in ("vrrpd", "keepalived"):
            r = res[kind]
            tot = r["own"] + r["children"]
            lines.append("| %s | %s | %.2f | %.2f | %.2f | %s |" % (
                label, kind, r["own"], r["children"], tot,
                "%.2f x" % (tot / k) if kind == "vrrpd" and k else ""))
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
