#!/usr/bin/env python3
"""Direct instance changes at 1000 instances (issue 11: < 1 ms each).

One vrrpd alone on its LANs (scale_config: 4 interfaces, 1 s interval),
driven over the Unix socket with the Rpc client of ctlplane.py, closed loop,
one connection:

- instance.create x1000, one at a time, into a daemon started empty: total
  time and per-call latency (p50/p99 of all, and of the last 100, made with
  900-1000 instances live);
- instance.set of one instance's priority at 1000 live instances (all
  master), 300 calls on names spread over the list: p50/p99/max;
- instance.delete of 100 instances one at a time: p50/p99;
- state changes of the instances not deleted, from all-master on (must be
  0: a change of one instance disturbs no other).

Each binary given runs the same sequence in the same lab, one after the
other (default: this tree's vrrpd/vrrpd, labelled "new"). To compare with
an older build: --bin old=/tmp/fs-old/vrrpd/vrrpd --bin new=vrrpd/vrrpd.

Run as root from the top of the tree (tests/lab's namespaces):
  flock /tmp/vrrpd-lab.lock python3 bench/direct.py [--bin L=PATH]... [--json OUT]
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlab  # noqa: E402
from benchlab import BenchLab, BenchDaemon, scale_config, n_ifs_for, median, pct  # noqa: E402
from ctlplane import Rpc, wait_socket  # noqa: E402


def timed(c, method, params):
    t0 = time.perf_counter()
    c.call(method, params)
    return (time.perf_counter() - t0) * 1000


def stats(lat):
    return {"p50": round(median(lat), 3), "p99": round(pct(lat, 99), 3),
            "max": round(max(lat), 3), "n": len(lat)}


def create_params(inst):
    p = {k: v for k, v in inst.items() if k != "virtual-address"}
    p["virtual-address"] = ["%s/32" % inst["virtual-address"][0]["address"]]
    return p


def run_one(lab, binary, n):
    benchlab.VRRPD_BIN = binary
    cfg = scale_config(n, 100, 100)
    insts = cfg["vrrpd:vrrpd"]["instance"]
    names = [i["name"] for i in insts]
    res = {"binary": binary}
    d = BenchDaemon(lab, "r1", "vrrpd", {"vrrpd:vrrpd": {"global": {"garp-master-delay": 0}}})
    d.start()
    wait_socket(d.socket, 30)
    c = Rpc(d.socket)
    lat = []
    t0 = time.perf_counter()
    for inst in insts:
        lat.append(timed(c, "instance.create", create_params(inst)))
    res["create_total_s"] = round(time.perf_counter() - t0, 3)
    res["create_ms"] = stats(lat)
    res["create_last100_ms"] = stats(lat[-100:])
    assert c.call("daemon.info")["instances"] == n
    # Measure on a quiet daemon: every instance master (alone on its LANs).
    d.wait_all(names, "master", 60)
    time.sleep(1.0)
    t_quiet = time.time()
    lat = [timed(c, "instance.set", {"name": names[(k * 37) % n], "priority": 101 + k % 50})
           for k in range(300)]
    res["set_ms"] = stats(lat)
    gone = {names[(k * 7) % n] for k in range(100)}
    lat = [timed(c, "instance.delete", {"name": names[(k * 7) % n]}) for k in range(100)]
    res["delete_ms"] = stats(lat)
    assert c.call("daemon.info")["instances"] == n - 100
    # Untouched instances are not disturbed: no state change of any
    # instance but the deleted ones since all were master.
    time.sleep(0.5)
    res["untouched_state_changes"] = sum(1 for x in d.transitions_since(t_quiet)
                                         if x[1] not in gone)
    c.close()
    d.kill9()
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", action="append", default=[],
                    help="LABEL=PATH of a vrrpd binary (repeatable)")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--json")
    a = ap.parse_args()
    bins = [b.split("=", 1) for b in a.bin] or [["new", benchlab.VRRPD_BIN]]
    out = {}
    with BenchLab(routers=1, client=False, n_if=n_ifs_for(a.n)) as lab:
        for label, path in bins:
            out[label] = run_one(lab, os.path.abspath(path), a.n)
    for label, r in out.items():
        print("== %s (%s)" % (label, r["binary"]))
        for k, v in r.items():
            if k != "binary":
                print("  %-20s %s" % (k, json.dumps(v)))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
