"""The control socket cannot stall the daemon (issue 10): 1000 instances at
100 ms, clients flooding the socket with notifications of expensive reads,
batches whose answer would be huge, pipelined requests nobody reads, while
the adverts on the wire stay on schedule (measured from a capture); and
idle connections of other users never lock root out.

The 1000 instances are spread over four interfaces of one router (eth0 is
the lab LAN, eth1..eth3 veth pairs: 250 VRIDs each); the capture is of
eth0."""

import json
import os
import select
import socket
import struct
import subprocess
import threading
import time

import pytest

import lab as labmod

N_INST = 1000
VRIDS_PER_IF = 250
ADV_CS = 10                    # 100 ms
NOMINAL_S = ADV_CS / 100.0
# The target: every advert within 1 ms of its schedule.
TARGET_MS = 1.0


@pytest.fixture(autouse=True)
def _vrrpd_only(impl):
    if impl != "vrrpd":
        pytest.skip("the control socket is vrrpd's")


def big_config():
    insts = []
    for i in range(N_INST):
        k, vrid = divmod(i, VRIDS_PER_IF)
        insts.append({
            "name": "VI_%d" % (i + 1), "interface": "eth%d" % k, "vrid": vrid + 1,
            "version": 3, "priority": 100, "advertisement-interval": ADV_CS,
            "virtual-address": [{"address": "10.%d.0.%d" % (100 + k, vrid + 1),
                                 "prefix-length": 32}],
        })
    return {"vrrpd:vrrpd": {"global": {"garp-master-delay": 0}, "instance": insts}}


def add_lans(lab, router):
    """eth1..eth3: veth pairs inside the router (the peer end only sinks
    the adverts; the kernel here has no dummy driver)."""
    for k in range(1, N_INST // VRIDS_PER_IF):
        dev = "eth%d" % k
        lab.ip(router, "link", "add", dev, "type", "veth", "peer", "name", dev + "p")
        lab.ip(router, "link", "set", dev + "p", "up")
        lab.ip(router, "link", "set", dev, "up")
        lab.ip(router, "addr", "add", "10.11.%d.101/24" % k, "dev", dev)
        labmod.wait_for(lambda dev=dev: "LOWER_UP" in lab.ip(router, "link", "show", dev),
                        5, what="carrier on " + dev)


def connect(d):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(d.socket)
    return s


def call(sock, method, params=None, rid=1, timeout=10.0):
    """One request, its one answer (skipping nothing: the caller's socket
    has no other traffic)."""
    req = {"jsonrpc": "2.0", "method": method, "id": rid}
    if params is not None:
        req["params"] = params
    sock.settimeout(timeout)
    sock.sendall(json.dumps(req).encode() + b"\n")
    buf = b""
    while b"\n" not in buf:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise AssertionError("connection closed waiting for %s" % method)
        buf += chunk
    return json.loads(buf.split(b"\n", 1)[0])


def wait_all_master(d, timeout):
    s = connect(d)
    try:
        def all_master():
            r = call(s, "instance.list")
            return sum(1 for i in r["result"] if i.get("state") == "master") == N_INST
        labmod.wait_for(all_master, timeout, interval=0.5, what="all %d MASTER" % N_INST)
    finally:
        s.close()


# ------------------------------------------------------------ the capture

class AdvertCapture:
    """tcpdump of the VRRP adverts leaving one interface; read back with a
    small pcap reader (scapy is too slow for 25,000 packets)."""

    def __init__(self, lab, node, dev, name):
        self.path = os.path.join(lab.dir, "%s-%s.pcap" % (name, dev))
        self.lab, self.node, self.dev = lab, node, dev

    def __enter__(self):
        self.err = open(self.path + ".stderr", "w")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.lab.ns(self.node), "tcpdump", "-i", self.dev,
             "-n", "-B", "32768", "-s", "64", "-w", self.path, "ip proto 112"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.err,
            start_new_session=True)
        self.lab._procs.append(self.proc)
        labmod.wait_for(lambda: "listening on" in open(self.path + ".stderr").read() or
                        self.proc.poll() is not None, 5, what="tcpdump start")
        return self

    def __exit__(self, *exc):
        labmod._stop_proc(self.proc, 2, 5)    # SIGINT: tcpdump flushes
        self.err.close()

    def dropped(self):
        for line in open(self.path + ".stderr"):
            if "dropped by kernel" in line:
                return int(line.split()[0])
        return None

    def adverts(self):
        """[(t, vrid)] of every VRRP advert with priority > 0."""
        out = []
        with open(self.path, "rb") as f:
            hdr = f.read(24)
            magic = struct.unpack("<I", hdr[:4])[0]
            scale = 1e-9 if magic == 0xa1b23c4d else 1e-6
            while True:
                rec = f.read(16)
                if len(rec) < 16:
                    break
                sec, frac, incl, _ = struct.unpack("<IIII", rec)
                data = f.read(incl)
                if len(data) < 14 + 20 + 4 or data[12:14] != b"\x08\x00":
                    continue
                ihl = (data[14] & 0x0F) * 4
                if data[14 + 9] != 112:
                    continue
                v = data[14 + ihl:]
                if len(v) >= 3 and v[2] > 0:
                    out.append((sec + frac * scale, v[1]))
        return out


def deviations_ms(adverts):
    """Per VRID, |interval between consecutive adverts - 100 ms|."""
    by = {}
    for t, vrid in adverts:
        by.setdefault(vrid, []).append(t)
    devs = []
    for ts in by.values():
        ts.sort()
        devs.extend(abs((b - a) - NOMINAL_S) * 1000 for a, b in zip(ts, ts[1:]))
    return by, sorted(devs)


def pct(sorted_vals, p):
    return sorted_vals[min(len(sorted_vals) - 1, int(len(sorted_vals) * p / 100.0))]


# ------------------------------------------------------------ the flooders

class Flooder(threading.Thread):
    def __init__(self, d, stop, name):
        super().__init__(daemon=True, name=name)
        self.d, self.stop, self.sent, self.answers, self.errors = d, stop, 0, [], []

    def run(self):
        try:
            self.flood()
        except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError) as e:
            self.errors.append(repr(e))


class NotificationFlood(Flooder):
    """64 KB blocks of config.get notifications, as fast as they go in (the
    audit's attack: each one used to print the configuration, 15 ms at
    1000 instances, for an answer nobody gets)."""

    def flood(self):
        line = b'{"jsonrpc":"2.0","method":"config.get"}\n'
        block = line * (65536 // len(line))
        s = connect(self.d)
        s.settimeout(5)
        while not self.stop.is_set():
            s.sendall(block)
            self.sent += block.count(b"\n")
        s.close()


class BatchFlood(Flooder):
    """Batches of 64 config.get: the answer would be ~64 x the whole
    configuration; each must come back as one -32007 error."""

    def flood(self):
        batch = json.dumps([{"jsonrpc": "2.0", "method": "config.get",
                             "params": {"with-defaults": True}, "id": i}
                            for i in range(64)]).encode() + b"\n"
        s = connect(self.d)
        s.settimeout(10)
        buf = b""
        while not self.stop.is_set():
            s.sendall(batch)
            self.sent += 1
            while b"\n" not in buf:
                chunk = s.recv(1 << 20)
                if not chunk:
                    raise ConnectionResetError("closed")
                buf += chunk
            line, buf = buf.split(b"\n", 1)
            self.answers.append(json.loads(line))
        s.close()


class ReadFlood(Flooder):
    """Pipelined expensive reads, answers read: instance.list and
    statistics.get of 1000 instances, instance.get."""

    def flood(self):
        reqs = b"".join(json.dumps({"jsonrpc": "2.0", "method": m, "params": p, "id": i}).encode()
                        + b"\n" for i, (m, p) in enumerate([
                            ("instance.list", {}), ("statistics.get", {}),
                            ("instance.get", {"name": "VI_500"}),
                            ("config.get", {})] * 8))
        s = connect(self.d)
        s.settimeout(10)
        buf = b""
        while not self.stop.is_set():
            s.sendall(reqs)
            got = 0
            while got < 32:
                chunk = s.recv(1 << 20)
                if not chunk:
                    raise ConnectionResetError("closed")
                buf += chunk
                n = buf.count(b"\n")
                got += n
                buf = buf.rsplit(b"\n", 1)[1] if n else buf
            self.sent += 32
        s.close()


class DeafClient(Flooder):
    """Pipelines config.get and never reads: back-pressure, not a stall."""

    def flood(self):
        req = b'{"jsonrpc":"2.0","method":"config.get","params":{"with-defaults":true},"id":1}\n'
        s = connect(self.d)
        s.setblocking(False)
        while not self.stop.is_set():
            try:
                self.sent += s.send(req * 64) // len(req)
            except BlockingIOError:
                time.sleep(0.01)
        s.close()


@pytest.mark.parametrize("sched", ["other", "rr"])
def test_flood_keeps_adverts_on_schedule(make_lab, impl, timing, sched):
    """sched "other": vrrpd as the lab starts it, sharing the CPUs with the
    flooding clients and whatever else runs on the machine; "rr": the same
    under SCHED_RR (chrt), as a router would run it, so what the kernel's
    time sharing adds is taken out and the daemon's own delay remains."""
    lab = make_lab(routers=1, client=False)
    add_lans(lab, "r1")
    d = lab.daemon("r1", impl, big_config())
    if sched == "rr":
        base_cmd = d.command
        d.command = lambda conf: ["chrt", "-r", "10"] + base_cmd(conf)
    d.start()
    labmod.wait_for(lambda: os.path.exists(d.socket), 10, what="control socket")
    wait_all_master(d, 30)
    # The first read of the configuration after a change prints it with
    # libyang (15-50 ms at 1000 instances, once per change); every later
    # one is a copy of the cached text. The flood is about the later ones.
    s = connect(d)
    first_ms = []
    for p in ({}, {"with-defaults": True}):
        t0 = time.perf_counter()
        assert "result" in call(s, "config.get", p)
        first_ms.append((time.perf_counter() - t0) * 1000)
    s.close()
    time.sleep(1.0)

    # Baseline: the same capture without clients, to tell the machine's
    # own noise from the daemon's.
    with AdvertCapture(lab, "r1", "eth0", "base") as base:
        time.sleep(4.0)
    _, base_devs = deviations_ms(base.adverts())

    stop = threading.Event()
    flooders = [NotificationFlood(d, stop, "notify"), NotificationFlood(d, stop, "notify2"),
                BatchFlood(d, stop, "batch"), ReadFlood(d, stop, "reads"),
                DeafClient(d, stop, "deaf")]
    info_ms = []
    with AdvertCapture(lab, "r1", "eth0", "flood") as cap:
        for f in flooders:
            f.start()
        probe = connect(d)
        t_end = time.time() + 6.0
        while time.time() < t_end:
            t0 = time.perf_counter()
            r = call(probe, "daemon.info")
            info_ms.append((time.perf_counter() - t0) * 1000)
            assert r["result"]["instances"] == N_INST
            time.sleep(0.1)
        probe.close()
        stop.set()
        for f in flooders:
            f.join(10)
    by, devs = deviations_ms(cap.adverts())

    notified = sum(f.sent for f in flooders if isinstance(f, NotificationFlood))
    batch = [f for f in flooders if isinstance(f, BatchFlood)][0]
    reads = [f for f in flooders if isinstance(f, ReadFlood)][0]
    print("\nbaseline: %d intervals, p50 %.3f p90 %.3f p99 %.3f max %.3f ms" % (
        len(base_devs), pct(base_devs, 50), pct(base_devs, 90), pct(base_devs, 99),
        base_devs[-1]))
    print("flood: %d intervals, p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f ms; dropped %s" % (
        len(devs), pct(devs, 50), pct(devs, 90), pct(devs, 99), pct(devs, 99.9), devs[-1],
        cap.dropped()))
    print("first config.get after start: %.1f ms, with defaults %.1f ms" % tuple(first_ms))
    print("flood: %d notifications, %d batches, %d reads; daemon.info max %.1f ms" % (
        notified, batch.sent, reads.sent, max(info_ms)))
    timing("ctl flood %s: worst advert deviation (baseline %.3f)" % (sched, base_devs[-1]),
           devs[-1])
    timing("ctl flood %s: p99 advert deviation (baseline %.3f)" % (sched, pct(base_devs, 99)),
           pct(devs, 99))
    timing("ctl flood %s: daemon.info worst latency" % sched, max(info_ms))

    assert d.running(), d.log()[-3000:]
    # The flood really happened.
    assert notified > 10000 and batch.sent >= 3 and reads.sent >= 32, (
        notified, batch.sent, reads.sent, [f.errors for f in flooders])
    for f in flooders:
        if not isinstance(f, DeafClient):
            assert not f.errors, (f.name, f.errors)
    # Every batch answer is one error: the response would be too large.
    for a in batch.answers:
        assert isinstance(a, dict) and a["error"]["code"] == -32007, str(a)[:300]
        assert a["error"]["data"]["processed"] < 64
    # All 250 VRIDs of eth0 kept advertising, none skipped an interval.
    assert len(by) == VRIDS_PER_IF
    assert devs[-1] < 50, devs[-10:]
    # The schedule: the target is 1 ms. Under SCHED_RR the kernel
    # never lets the flooders (or anything else on the machine) run instead
    # of a due timer, so what remains is the daemon's own delay: the time
    # slice of requests and the one step running when a timer falls due.
    # The machine adds its own noise even without clients (the baseline).
    if sched == "rr":
        assert pct(devs, 90) <= TARGET_MS, (pct(devs, 90), devs[-20:])
        # Not worse than the quiet machine by more than half the target.
        assert pct(devs, 99) <= max(TARGET_MS, pct(base_devs, 99)) + TARGET_MS / 2, (
            pct(devs, 99), pct(base_devs, 99))
        assert devs[-1] <= max(TARGET_MS, base_devs[-1]) + 2 * TARGET_MS, (
            devs[-20:], base_devs[-5:])
    else:
        # Time-shared with the busy clients: the median advert is within
        # 0.5 ms and the tail is the kernel's time sharing, not a stall.
        assert pct(devs, 50) <= TARGET_MS / 2, (pct(devs, 50), devs[-20:])
    assert max(info_ms) < 500, info_ms


# ------------------------------------------------------------ connection slots

def connect_as(path, uid, gid):
    """A connection whose SO_PEERCRED is uid/gid: a child connects after
    dropping privileges and hands the socket back over SCM_RIGHTS."""
    a, b = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        try:
            a.close()
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            socket.send_fds(b, [b"x"], [s.fileno()])
        except BaseException as e:
            os.write(2, ("connect as uid %d: %r\n" % (uid, e)).encode())
        finally:
            os._exit(0)
    b.close()
    _, fds, _, _ = socket.recv_fds(a, 1, 1)
    a.close()
    os.waitpid(pid, 0)
    assert fds, "uid %d could not connect" % uid
    return socket.socket(fileno=fds[0])


def refused(socks, wait_s=1.0):
    """Which of socks got the daemon's 'too many clients' line and EOF."""
    out = set()
    t_end = time.time() + wait_s
    pending = list(socks)
    while pending and time.time() < t_end:
        r, _, _ = select.select(pending, [], [], max(0, t_end - time.time()))
        for s in r:
            data = s.recv(4096)
            if b"-32006" in data:
                out.add(s)
            pending.remove(s)
    return out


def test_idle_clients_never_lock_root_out(make_lab, impl):
    lab = make_lab(routers=1, client=False)
    d = lab.daemon("r1", impl, {"vrrpd:vrrpd": {}})
    base_cmd = d.command
    # Readers: the socket's group; the lab's private directory must let
    # them reach the socket.
    d.command = lambda conf: base_cmd(conf) + ["--socket-group", "65534"]
    os.chmod(lab.dir, 0o711)
    d.start()
    labmod.wait_for(lambda: os.path.exists(d.socket), 10, what="control socket")

    # One uid holds at most 8 connections.
    same = [connect_as(d.socket, 61000, 65534) for _ in range(10)]
    bad = refused(same)
    assert len(bad) == 2, len(bad)
    for s in bad:
        assert s.recv(10) == b""
    for s in same:
        s.close()
    time.sleep(0.2)

    # 64 idle connections of 64 users: 30 get in, the last 2 slots are root's.
    idle = [connect_as(d.socket, 60000 + i, 65534) for i in range(64)]
    bad = refused(idle)
    assert len(bad) == 64 - 30, len(bad)
    s = connect(d)
    r = call(s, "daemon.info")
    assert r["result"]["name"] == "vrrpd", r
    s2 = connect(d)
    assert call(s2, "daemon.info")["result"]["name"] == "vrrpd"
    # The idle ones are still connected, and are served when they speak.
    alive = [c for c in idle if c not in bad]
    assert call(alive[0], "daemon.info")["result"]["name"] == "vrrpd"
    # A reader may read, not change.
    r = call(alive[1], "config.save", {"path": "/etc/passwd"})
    assert r["error"]["code"] == -32002, r
    for c in idle + [s, s2]:
        c.close()
    assert d.running()
