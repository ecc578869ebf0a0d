"""Namespace lab for vrrpd integration tests.

One Lab = one throw-away LAN: a 'switch' namespace holding a bridge, one
namespace per router (r1..rN, LAN interface 'eth0', 10.10.10.101..) and a
client namespace (10.10.10.200) that probes the VIP and captures the wire.
Every name carries a per-run prefix so parallel runs never collide, and
everything created is removed again on exit, on exceptions and at
interpreter exit (atexit), because a leaked namespace with a running daemon
would keep sending adverts into the next run.

Every wait is bounded: wait_for() raises LabTimeout, processes are stopped
with SIGTERM and then SIGKILL after a deadline.
"""

import atexit
import json
import os
import random
import re
import shutil
import signal
import string
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VRRPD_BIN = os.environ.get("VRRPD_BIN", os.path.join(ROOT, "vrrpd", "vrrpd"))
VRRPCTL_BIN = os.environ.get("VRRPCTL_BIN", os.path.join(ROOT, "vrrpctl", "vrrpctl"))
KEEPALIVED_BIN = os.environ.get("KEEPALIVED_BIN", "/usr/sbin/keepalived")

LAN_PREFIX = "10.10.10"
ROUTER_HOST = 100          # router i gets 10.10.10.(100+i), as in the seed
CLIENT_ADDR = "10.10.10.200"
IFNAME = "eth0"

CMD_TIMEOUT_S = 10
# One marker file per live lab: "<owner pid> <owner start time>".  A run that
# was SIGKILLed cannot clean up; the next session sweeps its namespaces.
MARKER_DIR = "/run/vrrplab"

_live_labs = []


class LabError(Exception):
    pass


class LabTimeout(LabError):
    pass


def run(cmd, check=True, timeout=CMD_TIMEOUT_S, capture=True):
    """Run a command with a deadline; returns stdout text."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE if capture else None,
                       stderr=subprocess.PIPE if capture else None,
                       text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise LabError("command failed (%d): %s\n%s" %
                       (r.returncode, " ".join(cmd), r.stderr))
    return r.stdout if capture else ""


def wait_for(pred, timeout, interval=0.02, what="condition"):
    """Poll pred() until it returns a truthy value or timeout seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= deadline:
            raise LabTimeout("timed out after %.1fs waiting for %s" % (timeout, what))
        time.sleep(interval)


def _unique_prefix():
    rnd = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(4))
    return "vl%d%s" % (os.getpid() % 100000, rnd)


def _proc_start_time(pid):
    """Start time of a live process (None if gone or a zombie): pid + this
    identifies a process even when the pid number is reused."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in ("Z", "X") else fields[19]


def sweep_stale():
    """Remove namespaces of labs whose owning process is gone; returns their prefixes."""
    swept = []
    try:
        markers = os.listdir(MARKER_DIR)
    except OSError:
        return swept
    for prefix in markers:
        path = os.path.join(MARKER_DIR, prefix)
        try:
            with open(path) as f:
                pid_s, start = f.read().split()
            pid = int(pid_s)
        except (OSError, ValueError):
            continue
        if _proc_start_time(pid) == start:
            continue            # its owner still runs
        for name in run(["ip", "netns", "list"], check=False).split("\n"):
            name = name.split(" ")[0]
            if name.startswith(prefix + "-"):
                for tok in run(["ip", "netns", "pids", name], check=False).split():
                    try:
                        os.kill(int(tok), signal.SIGKILL)
                    except (ValueError, ProcessLookupError):
                        pass
                run(["ip", "netns", "del", name], check=False)
        os.unlink(path)
        swept.append(prefix)
    return swept


def _stop_proc(p, sig=signal.SIGTERM, timeout=5.0):
    """Signal a Popen and wait for it; escalate to SIGKILL after timeout."""
    if p.poll() is not None:
        return p.returncode
    try:
        p.send_signal(sig)
    except ProcessLookupError:
        pass
    try:
        return p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            p.kill()
        except ProcessLookupError:
            pass
        return p.wait(timeout=5)


def read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def pid_alive(pid):
    """True if pid runs (a zombie, e.g. a child of a stopped parent, is dead)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


# ---------------------------------------------------------------- daemons

# Log wording per implementation.  vrrpd follows keepalived's wording but
# prefixes "VRRP_Instance"; keepalived 2.2.7 writes "(VI_1) ...".  Tests use
# the semantic keys so one scenario runs against either implementation.
LOG_PATTERNS = {
    "vrrpd": {
        "master": r"VRRP_Instance\({i}\) Entering MASTER STATE",
        "backup": r"VRRP_Instance\({i}\) Entering BACKUP STATE",
        "fault": r"VRRP_Instance\({i}\) Entering FAULT STATE",
        "higher_prio": r"VRRP_Instance\({i}\) Received advert with higher priority (\d+), ours (\d+)",
        "prio0_rcvd": r"VRRP_Instance\({i}\) Received advert with priority 0, master resigned",
        "prio0_sent": r"VRRP_Instance\({i}\) sent priority 0 advert",
        "garp": r"VRRP_Instance\({i}\) Sending gratuitous ARP on (\S+) for (\S+)",
        "removing_vips": r"VRRP_Instance\({i}\) removing protocol VIPs",
        "adding_vips": r"VRRP_Instance\({i}\) adding VIPs",
        "auth_drop": r"VRRP_Instance\({i}\) dropped advert from (\S+): auth-errors",
    },
    "keepalived": {
        "master": r"\({i}\) Entering MASTER STATE",
        "backup": r"\({i}\) Entering BACKUP STATE",
        "fault": r"\({i}\) Entering FAULT STATE",
        "higher_prio": r"\({i}\) (?:Master )?[Rr]eceived advert from \S+ with higher priority (\d+), ours (\d+)",
        "prio0_rcvd": r"\({i}\) Backup received priority 0 advertisement",
        "prio0_sent": r"\({i}\) sent 0 priority",
        "garp": r"\({i}\) Sending/queueing gratuitous ARPs on (\S+) for (\S+)",
        "removing_vips": r"\({i}\) removing VIPs",
        "adding_vips": r"\({i}\) setting VIPs",
        "auth_drop": r"\({i}\) received an invalid passwd",
    },
}


class Daemon:
    """A VRRP daemon (vrrpd or keepalived) running inside one router namespace."""

    def __init__(self, lab, router, kind, config):
        self.lab, self.router, self.kind = lab, router, kind
        self.ns = lab.ns(router)
        self.config = config
        self.gen = 0
        self.proc = None
        self.logfile = None
        base = os.path.join(lab.dir, router)
        self.pidfile = base + "-%s.pid" % kind
        self.vrrp_pidfile = base + "-keepalived-vrrp.pid"
        self.socket = base + "-vrrpd.sock"
        self.args = []  # more vrrpd options (e.g. --user for privilege separation)

    # Each start gets its own log file so log checks never see a previous run.
    @property
    def log_path(self):
        return os.path.join(self.lab.dir, "%s-%s.%d.log" % (self.router, self.kind, self.gen))

    def _write_config(self):
        if self.kind == "vrrpd":
            path = os.path.join(self.lab.dir, "%s.json" % self.router)
            with open(path, "w") as f:
                json.dump(self.config, f, indent=2)
        else:
            path = os.path.join(self.lab.dir, "%s-keepalived.conf" % self.router)
            with open(path, "w") as f:
                # A str is a keepalived.conf used verbatim (the seed's own files).
                f.write(self.config if isinstance(self.config, str)
                        else render_keepalived(self.config))
        return path

    def command(self, conf):
        if self.kind == "vrrpd":
            if not os.access(VRRPD_BIN, os.X_OK):
                raise LabError("vrrpd binary not built: %s" % VRRPD_BIN)
            return [VRRPD_BIN, "--config", conf, "--foreground", "--log-level", "debug",
                    "--pidfile", self.pidfile, "--socket", self.socket] + self.args
        # -n: stay in the foreground; -l -D -G: detailed log on the console only;
        # explicit pid files per namespace so two keepalived never see each other.
        return [KEEPALIVED_BIN, "-n", "-l", "-D", "-G", "--vrrp", "-f", conf,
                "-p", self.pidfile, "-r", self.vrrp_pidfile]

    def start(self, wait_ready=True):
        if self.running():
            raise LabError("%s already running" % self.router)
        self.gen += 1
        conf = self._write_config()
        for p in (self.pidfile, self.vrrp_pidfile):
            if os.path.exists(p):
                os.unlink(p)
        self.logfile = open(self.log_path, "w")
        self.t_start = time.time()
        self.proc = subprocess.Popen(["ip", "netns", "exec", self.ns] + self.command(conf),
                                     stdin=subprocess.DEVNULL, stdout=self.logfile,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.lab._procs.append(self.proc)
        if wait_ready:
            # keepalived is useful only once its VRRP child runs; vrrpd is one process.
            if self.kind == "keepalived":
                wait_for(lambda: self._vrrp_child_pid() or self.proc.poll() is not None,
                         5, what="keepalived VRRP child in %s" % self.router)
            else:
                time.sleep(0.05)
            if self.proc.poll() is not None:
                raise LabError("%s (%s) exited at start with %s:\n%s" %
                               (self.kind, self.router, self.proc.returncode, self.log()))
        return self

    def _vrrp_child_pid(self):
        pid = read_pid(self.vrrp_pidfile)
        return pid if pid and pid_alive(pid) else None

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=8.0):
        """Graceful stop (SIGTERM): the master must send its priority-0 advert."""
        if self.proc is None:
            return None
        rc = _stop_proc(self.proc, signal.SIGTERM, timeout)
        self._close_log()
        return rc

    def kill9(self):
        """Crash: SIGKILL, so nothing is sent and VIPs stay on the interface."""
        if self.kind == "keepalived":
            # Freeze the parent first so it can neither respawn the VRRP child nor
            # let it see a parent death signal and shut down gracefully.
            child = self._vrrp_child_pid()
            os.kill(self.proc.pid, signal.SIGSTOP)
            if child:
                os.kill(child, signal.SIGKILL)
                wait_for(lambda: not pid_alive(child), 5, what="keepalived child death")
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=5)
        self._close_log()

    def _close_log(self):
        if self.logfile:
            self.logfile.close()
            self.logfile = None

    def ctl(self, *words, timeout=5):
        """vrrpctl --json against this vrrpd's control socket -> parsed JSON."""
        r = subprocess.run([VRRPCTL_BIN, "--socket", self.socket, "--json"] + list(words),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=timeout)
        if r.returncode != 0:
            raise LabError("vrrpctl %s: %s" % (" ".join(words), r.stderr.strip()))
        return json.loads(r.stdout)

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def pattern(self, key, instance="VI_1"):
        return LOG_PATTERNS[self.kind][key].format(i=re.escape(instance))

    def grep(self, key, instance="VI_1"):
        """All matches (re.Match) of a semantic log event."""
        return list(re.finditer(self.pattern(key, instance), self.log()))

    def count(self, key, instance="VI_1"):
        return len(self.grep(key, instance))

    def wait_log(self, key, instance="VI_1", timeout=10.0, n=1):
        return wait_for(lambda: self.count(key, instance) >= n, timeout,
                        what="%s log '%s' x%d for %s" % (self.router, key, n, instance))

    def last_state(self, instance="VI_1"):
        """The last 'Entering X STATE' logged for instance, or None."""
        pat = re.escape(instance) + r"\) Entering (\w+) STATE"
        found = re.findall(pat, self.log())
        return found[-1].lower() if found else None


from render import render_keepalived  # noqa: E402,F401  (the lab's keepalived.conf writer)


# ---------------------------------------------------------------- capture

class Capture:
    """tcpdump on eth0 of one namespace, written to a pcap file."""

    def __init__(self, lab, node, bpf="ip proto 112 or arp", name="wire"):
        self.lab, self.node = lab, node
        self.path = os.path.join(lab.dir, "%s-%s.pcap" % (name, node))
        self.errpath = self.path + ".stderr"
        self.bpf = bpf
        self.proc = None

    def start(self):
        self.err = open(self.errpath, "w")
        # --immediate-mode -U: hand over and write every packet at once, so
        # stopping never loses the tail still buffered in the capture ring.
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.lab.ns(self.node), "tcpdump", "-i", IFNAME, "-U",
             "--immediate-mode",
             "-n", "-s", "256", "-w", self.path, self.bpf],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.err,
            start_new_session=True)
        self.lab._procs.append(self.proc)
        wait_for(lambda: "listening on" in open(self.errpath).read() or
                 self.proc.poll() is not None, 5, what="tcpdump start")
        if self.proc.poll() is not None:
            raise LabError("tcpdump failed: " + open(self.errpath).read())
        return self

    def stop(self):
        if self.proc:
            _stop_proc(self.proc, signal.SIGINT, 5)
            self.err.close()
            self.proc = None
        return self

    def packets(self):
        """Parsed VRRP and ARP packets, in capture order (dicts)."""
        return parse_pcap(self.path)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def parse_pcap(path):
    from scapy.all import rdpcap, conf as scapy_conf  # noqa: F401  (slow import, only here)
    from scapy.layers.inet import IP
    from scapy.layers.l2 import ARP, Ether
    from scapy.layers.vrrp import VRRP, VRRPv3
    scapy_conf.verb = 0
    out = []
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return out
    for p in rdpcap(path):
        t = float(p.time)
        if p.haslayer(ARP):
            a = p[ARP]
            out.append({"t": t, "kind": "arp", "op": int(a.op), "psrc": a.psrc, "pdst": a.pdst,
                        "hwsrc": a.hwsrc, "ethsrc": p[Ether].src, "ethdst": p[Ether].dst,
                        "garp": a.psrc == a.pdst})
        elif p.haslayer(IP) and p[IP].proto == 112:
            ip = p[IP]
            rec = {"t": t, "kind": "vrrp", "src": ip.src, "dst": ip.dst, "ttl": ip.ttl,
                   "ethsrc": p[Ether].src}
            raw = bytes(ip.payload)[:max(0, ip.len - ip.ihl * 4)]
            rec["version"] = raw[0] >> 4 if raw else None
            rec["length"] = len(raw)
            rec["cksum_ok"] = _vrrp_cksum_ok(ip, raw)
            if p.haslayer(VRRPv3):
                v = p[VRRPv3]
                rec.update(type=v.type, vrid=v.vrid, prio=v.priority, ipcount=v.ipcount,
                           intvl_cs=v.adv, authtype=None, addrs=list(v.addrlist))
            elif p.haslayer(VRRP):
                v = p[VRRP]
                rec.update(type=v.type, vrid=v.vrid, prio=v.priority, ipcount=v.ipcount,
                           intvl_cs=v.adv * 100, authtype=v.authtype, addrs=list(v.addrlist),
                           auth=_auth_bytes(v))
            out.append(rec)
    return out


def _inet_sum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def _vrrp_cksum_ok(ip, raw):
    """RFC 3768 5.3.8: sum over the VRRP message; RFC 5798 5.2.8: v3 adds the
    IPv4 pseudo-header.  A correct packet sums to 0xFFFF."""
    import socket
    if not raw:
        return False
    data = raw
    if raw[0] >> 4 == 3:
        data = (socket.inet_aton(ip.src) + socket.inet_aton(ip.dst) +
                bytes([0, 112]) + len(raw).to_bytes(2, "big") + raw)
    return _inet_sum(data) == 0xFFFF


def _auth_bytes(v):
    """The 8 authentication bytes of a v2 packet (scapy keeps them as ints)."""
    return (v.auth1 or 0).to_bytes(4, "big") + (v.auth2 or 0).to_bytes(4, "big")


def find_key(obj, key):
    """All values of `key` anywhere in a nested JSON value."""
    found = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == key:
                found.append(v)
            found.extend(find_key(v, key))
    elif isinstance(obj, list):
        for v in obj:
            found.extend(find_key(v, key))
    return found


def adverts(pkts, src=None, vrid=None, prio=None):
    return [p for p in pkts if p["kind"] == "vrrp" and
            (src is None or p["src"] == src) and (vrid is None or p["vrid"] == vrid) and
            (prio is None or p["prio"] == prio)]


def garps(pkts, vip, ethsrc=None):
    return [p for p in pkts if p["kind"] == "arp" and p["garp"] and p["psrc"] == vip and
            (ethsrc is None or p["ethsrc"] == ethsrc)]


# ---------------------------------------------------------------- prober

class Prober:
    """The client pings a VIP every 5 ms; the outage is the longest gap
    between two consecutive replies (ping -D gives receive timestamps)."""

    INTERVAL_S = 0.005

    def __init__(self, lab, vip, node="c"):
        self.lab, self.vip, self.node = lab, vip, node
        self.path = os.path.join(lab.dir, "ping-%s-%s.txt" % (node, vip))
        self.proc = None

    def start(self, wait_reply=True, timeout=10.0):
        self.out = open(self.path, "w")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.lab.ns(self.node), "ping", "-n", "-D", "-i",
             str(self.INTERVAL_S), self.vip],
            stdin=subprocess.DEVNULL, stdout=self.out, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.lab._procs.append(self.proc)
        self.t_start = time.time()
        if wait_reply:
            wait_for(lambda: self.replies(), timeout, interval=0.05,
                     what="first ping reply from %s" % self.vip)
        return self

    def stop(self):
        if self.proc:
            _stop_proc(self.proc, signal.SIGINT, 5)
            self.out.close()
            self.proc = None
        self.t_stop = time.time()
        return self

    def replies(self):
        """Receive timestamps (epoch s) of echo replies so far."""
        try:
            with open(self.path, errors="replace") as f:
                text = f.read()
        except OSError:
            return []
        return parse_ping(text)

    def outage_ms(self, since=None):
        """Longest gap between replies (ms), counting after `since` (epoch s)."""
        return outage_ms(self.replies(), since)


_PING_RE = re.compile(r"^\[(\d+\.\d+)\] \d+ bytes from ")


def parse_ping(text):
    return [float(m.group(1)) for m in map(_PING_RE.match, text.splitlines()) if m]


def outage_ms(ts, since=None):
    if since is not None:
        before = [t for t in ts if t < since]
        ts = ([before[-1]] if before else []) + [t for t in ts if t >= since]
    if len(ts) < 2:
        return None
    return max(b - a for a, b in zip(ts, ts[1:])) * 1000.0


# ---------------------------------------------------------------- the lab

class Lab:
    """A bridge LAN with routers r1..rN and a client c, in namespaces."""

    def __init__(self, routers=2, client=True, workdir=None, keep=False):
        self.prefix = _unique_prefix()
        self.routers = ["r%d" % i for i in range(1, routers + 1)]
        self.client = client
        self.nodes = self.routers + (["c"] if client else [])
        self._own_dir = workdir is None
        self.dir = workdir or tempfile.mkdtemp(prefix="vrrplab-%s-" % self.prefix)
        os.makedirs(self.dir, exist_ok=True)
        self.keep = keep
        self._procs = []
        self._namespaces = []
        self.daemons = {}
        self.closed = False

    def ns(self, node):
        return "%s-%s" % (self.prefix, node)

    def addr(self, node):
        return CLIENT_ADDR if node == "c" else "%s.%d" % (LAN_PREFIX, ROUTER_HOST + int(node[1:]))

    def ip(self, node, *args, check=True):
        return run(["ip", "-n", self.ns(node)] + list(args), check=check)

    def exec(self, node, *args, check=True, timeout=CMD_TIMEOUT_S):
        return run(["ip", "netns", "exec", self.ns(node)] + list(args), check=check,
                   timeout=timeout)

    # -- setup / teardown
    def __enter__(self):
        _live_labs.append(self)
        try:
            self._build()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def _add_ns(self, node):
        run(["ip", "netns", "add", self.ns(node)])
        self._namespaces.append(self.ns(node))
        self.ip(node, "link", "set", "lo", "up")

    def _build(self):
        os.makedirs(MARKER_DIR, exist_ok=True)
        self.marker = os.path.join(MARKER_DIR, self.prefix)
        with open(self.marker, "w") as f:
            f.write("%d %s\n" % (os.getpid(), _proc_start_time(os.getpid())))
        self._add_ns("sw")
        # A switch does not run the host's firewall on the frames it
        # forwards: with br_netfilter loaded (Docker loads it) every frame
        # crossing the bridges went through iptables hooks, 15 % of a
        # sender's time in a 1000-VIP takeover. Absent module: no keys.
        for key in ("iptables", "ip6tables", "arptables"):
            run(["ip", "netns", "exec", self.ns("sw"), "sysctl", "-qw",
                 "net.bridge.bridge-nf-call-%s=0" % key], check=False)
        # STP off and no multicast snooping: the bridge floods adverts to every
        # port at once, like the unmanaged switch of the write-up.
        self.ip("sw", "link", "add", "name", "br0", "type", "bridge", "stp_state", "0",
                "forward_delay", "0", "mcast_snooping", "0")
        self.ip("sw", "link", "set", "br0", "up")
        for node in self.nodes:
            self._add_ns(node)
            # Switch-side port is named after the node so link_down(node) can
            # pull the "cable" (carrier loss in the node, like a real outage).
            self.ip("sw", "link", "add", "name", node, "type", "veth", "peer", "name", IFNAME,
                    "netns", self.ns(node))
            self.ip("sw", "link", "set", node, "master", "br0", "up")
            self.ip(node, "addr", "add", "%s/24" % self.addr(node), "dev", IFNAME)
            self.ip(node, "link", "set", IFNAME, "up")
        if self.client:
            # The VIPs are 10.10.x.y/16: the client reaches them on-link.
            self.ip("c", "route", "add", "10.10.0.0/16", "dev", IFNAME, "scope", "link")
        for node in self.nodes:
            wait_for(lambda n=node: "LOWER_UP" in self.ip(n, "link", "show", IFNAME), 5,
                     what="carrier on %s" % node)

    def close(self):
        if self.closed:
            return
        self.closed = True
        for p in reversed(self._procs):
            try:
                _stop_proc(p, signal.SIGTERM, 3)
            except Exception:
                pass
        # Stray keepalived children (if a parent was killed) live in our pid files.
        for d in self.daemons.values():
            for pf in (d.pidfile, d.vrrp_pidfile):
                pid = read_pid(pf)
                if pid and pid_alive(pid) and self._pid_in_lab(pid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            d._close_log()
        for name in reversed(self._namespaces):
            self._kill_ns_pids(name)
            run(["ip", "netns", "del", name], check=False)
        if getattr(self, "marker", None) and os.path.exists(self.marker):
            os.unlink(self.marker)
        if self in _live_labs:
            _live_labs.remove(self)
        if self._own_dir and not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def sanitizer_reports(self):
        """ASan/UBSan/LSan reports in any daemon log (lab run with an ASan vrrpd)."""
        bad = []
        for fn in sorted(os.listdir(self.dir)) if os.path.isdir(self.dir) else []:
            if fn.endswith(".log"):
                with open(os.path.join(self.dir, fn), errors="replace") as f:
                    text = f.read()
                if re.search(r"AddressSanitizer|LeakSanitizer|runtime error:", text):
                    bad.append(fn)
        return bad

    def _pid_in_lab(self, pid):
        try:
            mine = os.readlink("/proc/%d/ns/net" % pid)
        except OSError:
            return False
        for name in self._namespaces:
            try:
                st = os.stat("/run/netns/%s" % name)
            except OSError:
                continue
            if mine == "net:[%d]" % st.st_ino:
                return True
        return False

    def _kill_ns_pids(self, name):
        r = subprocess.run(["ip", "netns", "pids", name], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, timeout=CMD_TIMEOUT_S)
        for tok in r.stdout.split():
            try:
                os.kill(int(tok), signal.SIGKILL)
            except (ValueError, ProcessLookupError):
                pass

    # -- daemons
    def daemon(self, router, kind, config):
        d = Daemon(self, router, kind, config)
        self.daemons[router] = d
        return d

    def start(self, router, kind, config, wait_ready=True):
        return self.daemon(router, kind, config).start(wait_ready)

    # -- observation
    def addrs(self, node):
        out = self.ip(node, "-o", "-4", "addr", "show", "dev", IFNAME)
        return re.findall(r"inet (\d+\.\d+\.\d+\.\d+)/\d+", out)

    def who_has(self, vip):
        return [r for r in self.routers if vip in self.addrs(r)]

    def wait_holder(self, vip, routers, timeout=10.0):
        """Wait until exactly `routers` (list) hold vip."""
        want = sorted(routers)
        return wait_for(lambda: sorted(self.who_has(vip)) == want, timeout, interval=0.02,
                        what="%s held by %s (now %s)" % (vip, want, self.who_has(vip)))

    def mac(self, node):
        out = self.ip(node, "link", "show", IFNAME)
        return re.search(r"link/ether (\S+)", out).group(1)

    def link_down(self, node):
        """Pull the cable: the switch port goes down, the node loses carrier."""
        self.ip("sw", "link", "set", node, "down")

    def link_up(self, node):
        self.ip("sw", "link", "set", node, "up")

    def partition(self, node):
        """Unplug node's port from the bridge but keep its carrier: the node is
        alone on a live link (split brain), unlike link_down()."""
        self.ip("sw", "link", "set", node, "nomaster")

    def heal(self, node):
        self.ip("sw", "link", "set", node, "master", "br0")

    def block_multicast(self):
        """The switch floods no multicast (a cloud or VPN LAN): every port's
        mcast_flood off. Broadcast (ARP) and unicast still pass."""
        for node in self.nodes:
            run(["bridge", "-n", self.ns("sw"), "link", "set", "dev", node,
                 "mcast_flood", "off"])

    def capture(self, node="c", **kw):
        return Capture(self, node, **kw)

    def prober(self, vip, node="c"):
        return Prober(self, vip, node)


@atexit.register
def _cleanup_all():
    for lab in list(_live_labs):
        try:
            lab.close()
        except Exception:
            pass


def ping_outage_main(argv):
    """CLI: outage.py PINGLOG [SINCE_EPOCH] -> longest reply gap in ms."""
    with open(argv[0], errors="replace") as f:
        ts = parse_ping(f.read())
    since = float(argv[1]) if len(argv) > 1 else None
    o = outage_ms(ts, since)
    print("none" if o is None else "%.0f" % o)
    return 0
