"""Control plane (vrrpd only; keepalived has no socket).

One router with 1000 instances (1 s interval, 4 interfaces), alone on its
LANs so every instance ends MASTER.  The client is Python over the Unix
socket (one JSON-RPC message per line, man/vrrpd-rpc.7); its own CPU time is
recorded next to the wall time so the table says whether the client or the
daemon was the bottleneck.
"""

import json
import os
import random
import selectors
import socket
import subprocess
import time

from benchlab import (BenchLab, BenchDaemon, VRRPCTL_BIN, LabError, scale_config, n_ifs_for,
                      labmod, pct, median, spread)


class Rpc:
    """A blocking JSON-RPC connection."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.buf = b""
        self.id = 0

    def send(self, method, params=None):
        self.id += 1
        msg = {"jsonrpc": "2.0", "id": self.id, "method": method}
        if params is not None:
            msg["params"] = params
        self.s.sendall(json.dumps(msg).encode() + b"\n")

    def recv(self):
        while b"\n" not in self.buf:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise LabError("control socket closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def call(self, method, params=None):
        self.send(method, params)
        r = self.recv()
        if "error" in r:
            raise LabError("%s: %s" % (method, r["error"]))
        return r["result"]

    def close(self):
        self.s.close()


def wait_socket(path, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            c = Rpc(path)
            info = c.call("daemon.info")
            c.close()
            return info
        except (OSError, LabError):
            time.sleep(0.005)
    raise LabError("control socket %s did not answer" % path)


def latency_1conn(path, names, n_req, max_s):
    c = Rpc(path)
    lat = []
    cpu0, t0 = time.process_time(), time.perf_counter()
    for _ in range(n_req):
        if time.perf_counter() - t0 > max_s:
            break
        name = random.choice(names)
        a = time.perf_counter()
        c.call("instance.get", {"name": name})
        lat.append((time.perf_counter() - a) * 1000)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    c.close()
    return {"p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99), "max_ms": max(lat),
            "rps": len(lat) / wall, "client_cpu_frac": cpu / wall, "n": len(lat)}


def latency_nconn(path, names, nconn, n_req, max_s):
    """Closed loop: nconn connections, one request outstanding on each,
    driven from one thread with a selector."""
    sel = selectors.DefaultSelector()
    conns = [Rpc(path) for _ in range(nconn)]
    sent_at, lat = {}, []
    remaining = n_req
    cpu0, t0 = time.process_time(), time.perf_counter()
    for c in conns:
        c.s.setblocking(False)
        sel.register(c.s, selectors.EVENT_READ, c)
        c.s.setblocking(True)
        c.send("instance.get", {"name": random.choice(names)})
        sent_at[c] = time.perf_counter()
        remaining -= 1
    done = 0
    while done < n_req:
        for key, _ in sel.select(timeout=5):
            c = key.data
            chunk = c.s.recv(1 << 20)
            if not chunk:
                raise LabError("control socket closed")
            c.buf += chunk
            while b"\n" in c.buf:
                line, c.buf = c.buf.split(b"\n", 1)
                now = time.perf_counter()
                r = json.loads(line)
                if "error" in r:
                    raise LabError("instance.get: %s" % r["error"])
                lat.append((now - sent_at[c]) * 1000)
                done += 1
                if remaining > 0 and time.perf_counter() - t0 > max_s:
                    n_req -= remaining          # stop sending; drain what is out
                    remaining = 0
                if remaining > 0:
                    c.send("instance.get", {"name": random.choice(names)})
                    sent_at[c] = time.perf_counter()
                    remaining -= 1
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    for c in conns:
        sel.unregister(c.s)
        c.close()
    return {"p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99), "max_ms": max(lat),
            "rps": len(lat) / wall, "client_cpu_frac": cpu / wall, "n": len(lat)}


def run_all(quick, log, quiet):
    n = 1000
    n_req = 20000
    max_s = 5 if quick else 12
    n_create = 250 if quick else n
    res, notes = {}, []
    note = quiet("control plane")
    if note:
        notes.append(note)
    cfg = scale_config(n, 100, 100)
    names = [i["name"] for i in cfg["vrrpd:vrrpd"]["instance"]]
    with BenchLab(routers=2, client=False, n_if=n_ifs_for(n)) as lab:
        # 1. create 1000 instances one by one through the socket (r2, empty start).
        d = BenchDaemon(lab, "r2", "vrrpd", {"vrrpd:vrrpd": {}}).start()
        wait_socket(d.socket, 10)
        c = Rpc(d.socket)
        t0 = time.perf_counter()
        for inst in scale_config(n_create, 100, 98)["vrrpd:vrrpd"]["instance"]:
            p = {k: v for k, v in inst.items() if k != "virtual-address"}
            p["virtual-address"] = ["%s/32" % inst["virtual-address"][0]["address"]]
            c.call("instance.create", p)
        res["create_s"] = time.perf_counter() - t0
        res["create_n"] = n_create
        c.close()
        log("ctl: %d x instance.create: %.2f s" % (n_create, res["create_s"]))
        d.kill9()
        # 2. load 1000 from the startup file: exec -> socket answers with 1000.
        loads = []
        for i in range(1 if quick else 3):
            d = BenchDaemon(lab, "r1", "vrrpd", cfg)
            d.write_config()
            d.cfg = None
            d.start()
            info = wait_socket(d.socket, 30)
            t_sock = time.time()
            if info.get("instances") != n:
                raise LabError("daemon.info says %s instances" % info.get("instances"))
            loads.append(t_sock - d.t_start)
            if i < (0 if quick else 2):
                d.kill9()
                labmod.run(["ip", "-n", lab.ns("r1"), "addr", "flush", "scope", "global",
                            "to", "10.100.0.0/14"], check=False)
        res["load_1000_s"] = loads
        log("ctl: load 1000 from file (exec -> socket answers): %s" %
            ", ".join("%.3f" % x for x in loads))
        if d.wait_all(names, "master", 30) is None:
            log("ctl: not all instances master; measuring anyway")
        time.sleep(1.0)
        res["get_1conn"] = latency_1conn(d.socket, names, n_req, max_s)
        log("ctl: instance.get 1 conn: %s" % res["get_1conn"])
        res["get_16conn"] = latency_nconn(d.socket, names, 16, n_req, max_s)
        log("ctl: instance.get 16 conn: %s" % res["get_16conn"])
        walls = []
        for _ in range(3 if quick else 7):
            t0 = time.perf_counter()
            r = subprocess.run([VRRPCTL_BIN, "--socket", d.socket, "--json", "show", "instances"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
            walls.append((time.perf_counter() - t0) * 1000)
            if r.returncode != 0:
                raise LabError("vrrpctl show instances: %s" % r.stderr.decode()[:300])
            if len(json.loads(r.stdout)) != n and len(labmod.find_key(json.loads(r.stdout),
                                                                     "name")) < n:
                raise LabError("vrrpctl show instances --json: not %d instances" % n)
        res["vrrpctl_show_ms"] = walls
        log("ctl: vrrpctl --json show instances: %s ms" % ", ".join("%.0f" % w for w in walls))
        res["rss_kb"] = d.hwm_kb()[0]
        d.kill9()
    return res, notes


_ = (median, spread, os)
