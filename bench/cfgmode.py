#!/usr/bin/env python3
"""Configuration mode at 1000 instances (issue 11's speed goals).

One vrrpd alone on its LANs with 1000 instances (scale_config: 4
interfaces, 1 s interval). Measured over the Unix socket with the Rpc
client of ctlplane.py:

- old path: instance.set of one instance's priority, validated and applied
  at once (the whole tree re-validated per call) -- the figure to beat;
- candidate.edit of one instance (goal < 1 ms), 1000 of them;
- candidate.compare with 1000 changed instances (goal < 50 ms) and
  `vrrpctl show compare` wall time;
- candidate.validate and candidate.commit of 1000 changed instances
  (goal < 200 ms);
- 1000 instances created in a candidate of an empty daemon + one commit,
  against 1000 x instance.create (37.5 s in RESULTS.md).

Run as root from the top of the tree (tests/lab's namespaces):
  flock /tmp/vrrpd-lab.lock python3 bench/cfgmode.py [--json OUT]
"""

import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlab import (BenchLab, BenchDaemon, VRRPCTL_BIN, scale_config,  # noqa: E402
                      n_ifs_for, median, pct)
from ctlplane import Rpc, wait_socket  # noqa: E402


def ms_since(t0):
    return (time.perf_counter() - t0) * 1000


def timed(c, method, params=None):
    t0 = time.perf_counter()
    r = c.call(method, params)
    return ms_since(t0), r


def main():
    out_json = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    n = 1000
    res = {}
    cfg = scale_config(n, 100, 100)
    names = [i["name"] for i in cfg["vrrpd:vrrpd"]["instance"]]
    with BenchLab(routers=1, client=False, n_if=n_ifs_for(n)) as lab:
        d = BenchDaemon(lab, "r1", "vrrpd", cfg).start()
        wait_socket(d.socket, 30)
        c = Rpc(d.socket)
        time.sleep(1.0)

        # Old path: instance.set, one call each.
        lat = []
        for k in range(50):
            lat.append(timed(c, "instance.set", {"name": names[(k * 37) % n],
                                                 "priority": 101 + k % 50})[0])
        res["instance_set_ms"] = {"p50": median(lat), "p99": pct(lat, 99)}

        # Candidate: one edit per instance.
        cid = c.call("candidate.open")["id"]
        lat = []
        t0 = time.perf_counter()
        for k, nm in enumerate(names):
            lat.append(timed(c, "candidate.edit", {"id": cid, "op": "set", "name": nm,
                                                   "priority": 200 - k % 50})[0])
        res["edit_ms"] = {"p50": median(lat), "p99": pct(lat, 99), "max": max(lat),
                          "total_ms": ms_since(t0)}
        walls = [timed(c, "candidate.compare", {"id": cid})[0] for _ in range(5)]
        _, r = timed(c, "candidate.compare", {"id": cid})
        res["compare_ms"] = median(walls)
        res["compare_changes"] = r["changes"]
        res["validate_ms"] = median([timed(c, "candidate.validate", {"id": cid})[0]
                                     for _ in range(3)])
        ms, r = timed(c, "candidate.commit", {"id": cid, "comment": "bench 1000"})
        res["commit_1000_changed_ms"] = ms
        # The shell: a separate process, its own connection and candidate.
        walls = []
        for _ in range(5):
            t0 = time.perf_counter()
            p = subprocess.run([VRRPCTL_BIN, "--socket", d.socket],
                               input="configure\nshow compare\n", text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
            walls.append(ms_since(t0))
            assert p.returncode == 0, p.stderr
        res["vrrpctl_configure_show_compare_ms"] = median(walls)
        c.close()
        d.kill9()

        # 1000 creates into a candidate of an empty daemon, one commit.
        d = BenchDaemon(lab, "r1", "vrrpd", {"vrrpd:vrrpd": {}}).start()
        wait_socket(d.socket, 30)
        c = Rpc(d.socket)
        cid = c.call("candidate.open")["id"]
        t0 = time.perf_counter()
        for inst in cfg["vrrpd:vrrpd"]["instance"]:
            p = {k: v for k, v in inst.items() if k != "virtual-address"}
            p["virtual-address"] = ["%s/32" % inst["virtual-address"][0]["address"]]
            p.update({"id": cid, "op": "create"})
            c.call("candidate.edit", p)
        res["create_1000_edits_ms"] = ms_since(t0)
        ms, r = timed(c, "candidate.commit", {"id": cid})
        res["create_1000_commit_ms"] = ms
        assert c.call("daemon.info")["instances"] == n
        c.close()
        d.kill9()
    for k, v in res.items():
        print("%-36s %s" % (k, json.dumps(v if not isinstance(v, float) else round(v, 3))))
    if out_json:
        with open(out_json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
