#!/usr/bin/python3
"""Reproduce the perf profiles quoted in bench/analysis.md.

  profile.py [startup|steady|rpc|direct|all] [--impl vrrpd|keepalived] [--n 1000]

startup: 1000 masters (100 ms) running, profile the backup's first 4 s.
steady:  1000 instances converged, profile master and backup for 8 s
         (--variant track|unicast|vmac: with bench/features.py's feature).
rpc:     1000 instances, profile vrrpd while a client loops on instance.get.
direct:  1000 instances, profile vrrpd while a client loops on instance.set,
         then on instance.delete + instance.create of the same instance.
Prints the top symbols by self time and by inclusive time (DWARF call
graphs, so no frame pointers are needed).  Root only.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlab import BenchLab, BenchDaemon, scale_config, n_ifs_for  # noqa: E402
import ctlplane  # noqa: E402


def perf(pid, seconds, out):
    return subprocess.Popen(["perf", "record", "-q", "--call-graph", "dwarf,16384", "-o", out,
                             "-p", str(pid), "--", "sleep", str(seconds)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def report(path, title, limit=15):
    print("== %s" % title)
    for mode in ("--no-children", "--children"):
        r = subprocess.run(["perf", "report", "-i", path, mode, "--stdio", "-g", "none",
                            "--percent-limit", "1.5"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
        rows = [line for line in r.stdout.splitlines() if line.strip() and
                not line.startswith("#") and "%" in line]
        print("-- %s" % ("self" if mode == "--no-children" else "inclusive"))
        for line in rows[:limit]:
            print("   " + " ".join(line.split()))


def config(n, adv_cs, prio, router, variant):
    cfg = scale_config(n, adv_cs, prio)
    if variant != "plain":
        import features
        features.VARIANTS[variant](cfg, router)
    return cfg


def pair(impl, n, adv_cs, variant="plain"):
    names = ["VI_%d" % (i + 1) for i in range(n)]
    lab = BenchLab(routers=2, client=False, n_if=n_ifs_for(n)).__enter__()
    dm = BenchDaemon(lab, "r1", impl, config(n, adv_cs, 100, 1, variant)).start()
    dm.wait_all(names, "master", 30)
    return lab, dm, names


def prof_startup(impl, n, tmp):
    lab, dm, names = pair(impl, n, 10)
    try:
        db = BenchDaemon(lab, "r2", impl, scale_config(n, 10, 98)).start()
        p = perf(db.pids()[-1], 4, os.path.join(tmp, "startup.data"))
        p.wait()
        took = sum(1 for x in db.transitions_since(0) if x[2] == "master")
        report(os.path.join(tmp, "startup.data"),
               "%s backup, first 4 s after start next to %d running masters "
               "(%d start-up take-overs)" % (impl, n, took))
    finally:
        lab.close()


def prof_steady(impl, n, tmp, variant="plain"):
    lab, dm, names = pair(impl, n, 10, variant)
    try:
        db = BenchDaemon(lab, "r2", impl, config(n, 10, 98, 2, variant)).start()
        db.wait_all(names, "backup", 30)
        time.sleep(5)
        pm = perf(dm.pids()[-1], 8, os.path.join(tmp, "master.data"))
        pb = perf(db.pids()[-1], 8, os.path.join(tmp, "backup.data"))
        pm.wait()
        pb.wait()
        report(os.path.join(tmp, "master.data"), "%s master, steady state, %d x 100 ms, %s"
               % (impl, n, variant))
        report(os.path.join(tmp, "backup.data"), "%s backup, steady state, %d x 100 ms, %s"
               % (impl, n, variant))
    finally:
        lab.close()


def prof_rpc(n, tmp):
    cfg = scale_config(n, 100, 100)
    names = [i["name"] for i in cfg["vrrpd:vrrpd"]["instance"]]
    with BenchLab(routers=1, client=False, n_if=n_ifs_for(n)) as lab:
        d = BenchDaemon(lab, "r1", "vrrpd", cfg).start()
        ctlplane.wait_socket(d.socket, 10)
        d.wait_all(names, "master", 30)
        p = perf(d.proc.pid, 4, os.path.join(tmp, "rpc.data"))
        r = {}
        t = threading.Thread(target=lambda: r.update(ctlplane.latency_1conn(d.socket, names,
                                                                            100000, 4)))
        t.start()
        p.wait()
        t.join()
        report(os.path.join(tmp, "rpc.data"), "vrrpd during instance.get, %d instances "
               "(p50 %.1f ms, %d req/s)" % (n, r.get("p50_ms", 0), r.get("rps", 0)))


def prof_direct(n, tmp):
    from direct import create_params
    cfg = scale_config(n, 100, 100)
    insts = cfg["vrrpd:vrrpd"]["instance"]
    names = [i["name"] for i in insts]
    with BenchLab(routers=1, client=False, n_if=n_ifs_for(n)) as lab:
        d = BenchDaemon(lab, "r1", "vrrpd", cfg).start()
        ctlplane.wait_socket(d.socket, 10)
        d.wait_all(names, "master", 60)
        c = ctlplane.Rpc(d.socket)
        for what in ("set", "delete+create"):
            out = os.path.join(tmp, "direct-%s.data" % what.replace("+", "-"))
            p = perf(d.proc.pid, 4, out)
            time.sleep(0.3)
            k, t0 = 0, time.time()
            while time.time() - t0 < 3.5:
                if what == "set":
                    c.call("instance.set", {"name": names[(k * 37) % n], "priority": 101 + k % 50})
                else:
                    c.call("instance.delete", {"name": names[(k * 5) % n]})
                    c.call("instance.create", create_params(insts[(k * 5) % n]))
                k += 1
            p.wait()
            report(out, "vrrpd during %s, %d instances (%d rounds)" % (what, n, k))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", nargs="?", default="all")
    ap.add_argument("--impl", default="vrrpd")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--variant", default="plain", choices=["plain", "track", "unicast", "vmac"])
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="vrrpd-prof-")
    if a.what in ("startup", "all"):
        prof_startup(a.impl, a.n, tmp)
    if a.what in ("steady", "all"):
        prof_steady(a.impl, a.n, tmp, a.variant)
    if a.what in ("rpc", "all") and a.impl == "vrrpd":
        prof_rpc(a.n, tmp)
    if a.what in ("direct", "all") and a.impl == "vrrpd":
        prof_direct(a.n, tmp)
    print("perf data in %s" % tmp)


if __name__ == "__main__":
    main()
