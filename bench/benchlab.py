"""Bench lab: tests/lab's namespace LAN plus what the benchmarks need.

- BenchLab: tests/lab/lab.py's Lab (bridge LAN, routers r1..rN, client c,
  per-run names, cleanup on exit) with extra LANs eth1..ethK per router,
  because one interface carries at most 255 VRIDs.
- BenchDaemon: vrrpd or keepalived in a router namespace with its log read
  through a pipe by a thread that stamps every line on arrival, so state
  changes of both implementations are timed by the same clock (keepalived's
  console log has 1 s resolution).
- Process accounting from /proc (time on the CPU from schedstat, VmHWM) over every process of
  a daemon (keepalived: the parent and its VRRP child).
"""

import fcntl
import json
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lab"))
import lab as labmod  # noqa: E402  (tests/lab is owned by the lab helper; used, not edited)

VRRPD_BIN = labmod.VRRPD_BIN
VRRPCTL_BIN = labmod.VRRPCTL_BIN
KEEPALIVED_BIN = labmod.KEEPALIVED_BIN
CLK_TCK = os.sysconf("SC_CLK_TCK")
VRIDS_PER_IF = 250          # <= 255 per interface (VRID space); round numbers
STATE_RE = re.compile(r"\(([^)\s]+)\) Entering (MASTER|BACKUP|FAULT|INIT) STATE")

run = labmod.run
wait_for = labmod.wait_for
LabTimeout = labmod.LabTimeout
LabError = labmod.LabError


def if_name(k):
    return "eth%d" % k


def if_addr(router_idx, k):
    """eth0 keeps tests/lab's 10.10.10.x; ethK (K>0) is 10.11.K.x/24."""
    host = 100 + router_idx
    return "10.10.10.%d" % host if k == 0 else "10.11.%d.%d" % (k, host)


class BenchLab(labmod.Lab):
    """tests/lab's Lab with n_if LANs (eth0..eth{n_if-1}) on every router."""

    def __init__(self, routers=2, client=True, n_if=1, **kw):
        """n_if LANs; with a client, it has a port on each (ethK,
        10.11.K.200) and an on-link route to that LAN's VIPs (vip_of)."""
        super().__init__(routers=routers, client=client, **kw)
        self.n_if = n_if

    def _build(self):
        super()._build()
        for k in range(1, self.n_if):
            br = "br%d" % k
            self.ip("sw", "link", "add", "name", br, "type", "bridge", "stp_state", "0",
                    "forward_delay", "0", "mcast_snooping", "0")
            self.ip("sw", "link", "set", br, "up")
            for i, r in enumerate(self.routers, 1):
                port = "%s-%d" % (r, k)
                self.ip("sw", "link", "add", "name", port, "type", "veth", "peer", "name",
                        if_name(k), "netns", self.ns(r))
                self.ip("sw", "link", "set", port, "master", br, "up")
                self.ip(r, "addr", "add", "%s/24" % if_addr(i, k), "dev", if_name(k))
                self.ip(r, "link", "set", if_name(k), "up")
            if self.client:
                # The client is on every LAN, so it sees every VIP on-link.
                self.ip("sw", "link", "add", "name", "c-%d" % k, "type", "veth", "peer",
                        "name", if_name(k), "netns", self.ns("c"))
                self.ip("sw", "link", "set", "c-%d" % k, "master", br, "up")
                self.ip("c", "addr", "add", "10.11.%d.200/24" % k, "dev", if_name(k))
                self.ip("c", "link", "set", if_name(k), "up")
        if self.client:
            for k in range(self.n_if):
                self.ip("c", "route", "add", "10.%d.0.0/16" % (100 + k), "dev", if_name(k),
                        "scope", "link")
        for r in self.routers:
            for k in range(1, self.n_if):
                wait_for(lambda r=r, k=k: "LOWER_UP" in self.ip(r, "link", "show", if_name(k)),
                         5, what="carrier on %s %s" % (r, if_name(k)))


# ---------------------------------------------------------------- configs

def vip_of(k, vrid):
    return "10.%d.0.%d" % (100 + k, vrid)


def scale_config(n, interval_cs, priority, version=3):
    """n instances spread over ceil(n/250) interfaces, one /32 VIP each.
    GARP: one burst at the transition, no second burst (garp-master-delay 0)
    on both implementations."""
    insts = []
    for i in range(n):
        k, vrid = divmod(i, VRIDS_PER_IF)
        vrid += 1
        insts.append({
            "name": "VI_%d" % (i + 1), "interface": if_name(k), "vrid": vrid,
            "version": version, "priority": priority,
            "advertisement-interval": interval_cs,
            # keepalived accepts packets to its VIPs unless vrrp_strict is
            # set; vrrpd follows RFC 5798 6.1 (drop) unless told to accept.
            "accept-mode": True,
            "virtual-address": [{"address": vip_of(k, vrid), "prefix-length": 32}],
        })
    return {"vrrpd:vrrpd": {"global": {"garp-master-delay": 0}, "instance": insts}}


def n_ifs_for(n):
    return max(1, math.ceil(n / VRIDS_PER_IF))


def keepalived_conf(cfg):
    """The keepalived.conf equivalent to a vrrpd JSON config: tests/lab's
    translator (the one the interop tests trust), nothing added."""
    return labmod.render_keepalived(cfg)


# ---------------------------------------------------------------- /proc

def proc_cpu_s(pid):
    """CPU time of a process in seconds: the scheduler's own nanosecond
    count (/proc/PID/schedstat, field 1: time on the CPU, user and kernel,
    the softirq work done in its context included since this kernel has
    no IRQ time accounting). utime+stime in /proc/PID/stat is the same
    quantity in 10 ms ticks: a 4 s slice of a daemon using 0.15 CPU-s/min
    was one tick, which made the 1 s figures unmeasurable."""
    try:
        with open("/proc/%d/schedstat" % pid) as f:
            return int(f.read().split()[0]) / 1e9
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # fields[0] is field 3 (state): utime is field 14, stime field 15.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_status_kb(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# ---------------------------------------------------------------- daemons

class BenchDaemon:
    """vrrpd or keepalived inside one router namespace of a BenchLab."""

    def __init__(self, lab, router, kind, cfg, quiet_reader=False):
        """quiet_reader: the log reader runs at nice 19 with a 1 MiB pipe,
        so it takes no CPU from the daemons while they are busy (a bench
        timed on the wire, not on the arrival of log lines)."""
        self.lab, self.router, self.kind, self.cfg = lab, router, kind, cfg
        self.quiet_reader = quiet_reader
        base = os.path.join(lab.dir, "%s-%s" % (router, kind))
        self.pidfile = base + ".pid"
        self.vrrp_pidfile = base + "-vrrp.pid"
        self.socket = base + ".sock"
        self.log_path = base + ".log"
        self.conf_path = base + (".json" if kind == "vrrpd" else ".conf")
        self.lines = []          # (epoch s at arrival, text)
        self.trans = []          # (epoch s, instance, state)
        self.state = {}          # instance -> state (lower case)
        self.proc = None
        self._lock = threading.Lock()

    def write_config(self):
        with open(self.conf_path, "w") as f:
            if self.kind == "vrrpd":
                json.dump(self.cfg, f)
            else:
                f.write(keepalived_conf(self.cfg))

    def command(self):
        if self.kind == "vrrpd":
            return [VRRPD_BIN, "--config", self.conf_path, "--foreground",
                    "--log-level", "info", "--pidfile", self.pidfile, "--socket", self.socket]
        # -n foreground, -l console log, -G no syslog; default log detail (no -D),
        # pid files per namespace so two keepalived never see each other.
        return [KEEPALIVED_BIN, "-n", "-l", "-G", "--vrrp", "-f", self.conf_path,
                "-p", self.pidfile, "-r", self.vrrp_pidfile]

    def start(self):
        if self.cfg is not None:
            self.write_config()
        for p in (self.pidfile, self.vrrp_pidfile):
            if os.path.exists(p):
                os.unlink(p)
        self.t_start = time.time()
        self.proc = subprocess.Popen(["ip", "netns", "exec", self.lab.ns(self.router)] +
                                     self.command(), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.lab._procs.append(self.proc)
        self._logf = open(self.log_path, "w")
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()
        if self.kind == "keepalived":
            wait_for(lambda: self.vrrp_pid() or self.proc.poll() is not None, 10,
                     what="keepalived VRRP child")
        if self.proc.poll() is not None:
            time.sleep(0.2)
            raise LabError("%s exited at start:\n%s" % (self.kind, self.log_text()[-3000:]))
        return self

    def _read_log(self):
        fd = self.proc.stdout.fileno()
        if self.quiet_reader:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
            try:
                fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
            except (OSError, AttributeError):
                pass    # a per-user pipe quota; F_SETPIPE_SZ needs Python 3.10
        buf = b""
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            now = time.time()
            buf += chunk
            *full, buf = buf.split(b"\n")
            with self._lock:
                for raw in full:
                    text = raw.decode("utf-8", "replace")
                    self.lines.append((now, text))
                    self._logf.write("%.6f %s\n" % (now, text))
                    m = STATE_RE.search(text)
                    if m:
                        st = m.group(2).lower()
                        self.trans.append((now, m.group(1), st))
                        self.state[m.group(1)] = st
        self._logf.close()

    def log_text(self):
        with self._lock:
            return "\n".join(t for _, t in self.lines)

    def vrrp_pid(self):
        pid = labmod.read_pid(self.vrrp_pidfile)
        return pid if pid and labmod.pid_alive(pid) else None

    def pids(self):
        if self.proc is None or self.proc.poll() is not None:
            return []
        out = [self.proc.pid]    # ip netns exec execs the daemon: same pid
        if self.kind == "keepalived":
            c = self.vrrp_pid()
            if c:
                out.append(c)
        return out

    def cpu_s(self):
        return sum(proc_cpu_s(p) for p in self.pids())

    def hwm_kb(self):
        """Peak RSS summed over the daemon's processes (and per process)."""
        per = [proc_status_kb(p, "VmHWM") for p in self.pids()]
        return sum(per), per

    def count_in(self, names, state):
        with self._lock:
            return sum(1 for n in names if self.state.get(n) == state)

    def wait_all(self, names, state, timeout):
        """Wait until every instance in names is in state; returns the epoch
        time of the last transition that completed it, or None on timeout."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise LabError("%s died:\n%s" % (self.kind, self.log_text()[-3000:]))
            if self.count_in(names, state) == len(names):
                with self._lock:
                    want = set(names)
                    last = max(t for t, n, s in self.trans if n in want and s == state)
                return last
            time.sleep(0.02)
        return None

    def transitions_since(self, t0):
        with self._lock:
            return [x for x in self.trans if x[0] >= t0]

    def stop(self, timeout=10.0):
        if self.proc is None:
            return None
        rc = labmod._stop_proc(self.proc, signal.SIGTERM, timeout)
        self._reader.join(timeout=2)
        return rc

    def kill9(self):
        """Crash the daemon: nothing is sent, nothing cleaned up."""
        if self.kind == "keepalived":
            # Freeze the parent so it neither respawns the child nor tells it
            # to shut down gracefully (as tests/lab's Daemon.kill9 does).
            child = self.vrrp_pid()
            os.kill(self.proc.pid, signal.SIGSTOP)
            if child:
                os.kill(child, signal.SIGKILL)
        os.kill(self.proc.pid, signal.SIGKILL)

    def rpc_path(self):
        return self.socket


# ---------------------------------------------------------------- statistics

def pct(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    v = sorted(values)
    if not v:
        return None
    k = max(0, min(len(v) - 1, int(math.ceil(p / 100.0 * len(v))) - 1))
    return v[k]


def median(values):
    v = sorted(x for x in values if x is not None)
    if not v:
        return None
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2.0


def spread(values):
    v = [x for x in values if x is not None]
    return (min(v), max(v)) if v else (None, None)


# ---------------------------------------------------------------- machine

def _cpu_times():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[3] + v[4], sum(v)          # idle + iowait, total


def machine_busy(sample_s=1.0):
    """(busy fraction of all cores over sample_s, load1, other pytest pids).
    Called between measurements, when none of our daemons run, so the busy
    fraction is other people's work (load1 lags and includes our last run)."""
    i0, t0 = _cpu_times()
    time.sleep(sample_s)
    i1, t1 = _cpu_times()
    busy = 1.0 - (i1 - i0) / max(1, t1 - t0)
    with open("/proc/loadavg") as f:
        load1 = float(f.read().split()[0])
    r = subprocess.run(["pgrep", "-f", "pytest"], stdout=subprocess.PIPE, text=True)
    pids = [int(x) for x in r.stdout.split() if int(x) != os.getpid()]
    return busy, load1, pids


def wait_quiet(max_wait_s, log, what):
    """Before a measurement: wait (bounded) while the cores are busy with
    other people's work; returns a note for the results when we went on
    while busy or while others' pytest runs were alive (even if idle)."""
    deadline = time.time() + max_wait_s
    while True:
        busy, load1, pids = machine_busy()
        if busy < 0.35 and not pids:
            return None
        if busy < 0.35 or time.time() >= deadline:
            note = "%s: %.0f%% CPU busy before the measurement, load1 %.2f, %d pytest process(es) of others" % (
                what, busy * 100, load1, len(pids))
            log(note)
            return note
        time.sleep(2)
