"""FRR (zebra + vrrpd) as a VRRP peer inside one lab router namespace.

FRR's vrrpd needs zebra in the same network namespace (it learns interfaces
and addresses, and sets protodown, through zebra), so every FrrRouter runs
its own pair, as user frr, with every path (vty sockets, zserv socket, pid
files, logs, configs) under a private directory so that several routers,
and a system FRR if there is one, never meet.

What FRR expects of the system (FRR user guide, "System Configuration"):
  - one macvlan per VRID and family on the LAN interface, named here
    vrrp4-2-VRID / vrrp6-2-VRID, mode bridge (so adverts reach the parent
    while the macvlan is down), MAC 00:00:5e:00:01:VRID (v4) or
    00:00:5e:00:02:VRID (v6), addrgenmode random (an EUI-64 link-local
    would equal the parent's and break the IPv6 election);
  - the virtual addresses already configured on that macvlan.  FRR does not
    add or remove them: a Backup puts the macvlan in protodown (no carrier),
    a Master lifts it.  "Holding the VIP" therefore means: VIP on the
    macvlan and the macvlan not in protodown.

Every wait is bounded; processes are registered with the Lab, so Lab.close()
stops them (and kills whatever is left in the namespace) even on failure.
"""

import json
import os
import pwd
import re
import shutil
import signal
import subprocess

import lab as labmod

FRR_DIR = os.environ.get("FRR_DIR", "/usr/lib/frr")
ZEBRA_BIN = os.path.join(FRR_DIR, "zebra")
VRRPD_BIN = os.path.join(FRR_DIR, "vrrpd")
VTYSH_BIN = os.environ.get("VTYSH_BIN", shutil.which("vtysh") or "/usr/bin/vtysh")
FRR_USER = "frr"

START_TIMEOUT_S = 10.0


def missing():
    """Why FRR cannot run here (a skip message), or None."""
    for b in (ZEBRA_BIN, VRRPD_BIN, VTYSH_BIN):
        if not os.access(b, os.X_OK):
            return "FRR not installed (%s missing); apt-get install frr" % b
    try:
        pwd.getpwnam(FRR_USER)
    except KeyError:
        return "FRR user '%s' missing" % FRR_USER
    return None


def version():
    """FRR's version string, e.g. '8.4.4'."""
    out = labmod.run([VRRPD_BIN, "--version"])
    m = re.search(r"version (\S+)", out)
    return m.group(1) if m else out.splitlines()[0]


def vmac(vrid, family="ipv4"):
    """RFC 5798 7.3: 00-00-5E-00-01-{VRID} (IPv4), 00-00-5E-00-02-{VRID} (IPv6)."""
    return "00:00:5e:00:%02x:%02x" % (1 if family == "ipv4" else 2, vrid)


def macvlan_name(vrid, family="ipv4"):
    return "vrrp%s-2-%d" % ("4" if family == "ipv4" else "6", vrid)


class FrrRouter:
    """zebra + vrrpd of FRR in the namespace of lab router `router`."""

    def __init__(self, lab, router, debug=True, arp_ignore=True):
        self.lab, self.router = lab, router
        self.arp_ignore = arp_ignore
        self.ns = lab.ns(router)
        self.debug = debug
        # Inside the lab directory so a failed test keeps FRR's logs with the
        # pcaps; the lab dir is root-only (mkdtemp), frr needs to traverse it.
        os.chmod(lab.dir, 0o711)
        self.dir = os.path.join(lab.dir, "frr-%s" % router)
        os.makedirs(self.dir, exist_ok=True)
        ent = pwd.getpwnam(FRR_USER)
        os.chown(self.dir, ent.pw_uid, ent.pw_gid)
        os.chmod(self.dir, 0o755)
        self.uid, self.gid = ent.pw_uid, ent.pw_gid
        self.zserv = os.path.join(self.dir, "zserv.api")
        self.procs = {}
        self.logfiles = {}
        self.macvlans = []

    # -- system side: the macvlan FRR's vrrpd drives
    def add_macvlan(self, vrid, vips, family="ipv4", prefix_len=None):
        """Create vrrp{4,6}-2-VRID on eth0 with the virtual MAC and the VIPs."""
        name = macvlan_name(vrid, family)
        lab = self.lab
        lab.ip(self.router, "link", "add", name, "link", labmod.IFNAME, "type", "macvlan",
               "mode", "bridge")
        lab.ip(self.router, "link", "set", "dev", name, "address", vmac(vrid, family))
        lab.ip(self.router, "link", "set", "dev", name, "addrgenmode", "random")
        plen = prefix_len if prefix_len is not None else (32 if family == "ipv4" else 128)
        for vip in vips:
            args = ["addr", "add", "%s/%d" % (vip, plen), "dev", name]
            if family == "ipv6":
                args.append("nodad")   # a backup's copy must not fail DAD
            lab.ip(self.router, *args)
        lab.ip(self.router, "link", "set", "dev", name, "up")
        if family == "ipv4" and self.arp_ignore:
            # A Backup's VIP stays on the (protodown) macvlan, so it is still
            # a local address: with the default arp_ignore=0 the parent
            # answers ARP for it with its own MAC and the Backup draws the
            # VIP's traffic.  arp_ignore=1: answer only for addresses of the
            # receiving interface (the Master's macvlan gets the request
            # too, in bridge mode).  arp_announce=2: the Master's own ARP
            # requests (e.g. to reply to a ping of the VIP) leave the parent
            # with its own address as sender, not the VIP, or every
            # neighbour would relearn the VIP at the parent's MAC.
            for knob in ("arp_ignore=1", "arp_announce=2"):
                lab.exec(self.router, "sysctl", "-q", "-w",
                         "net.ipv4.conf.%s.%s" % (labmod.IFNAME, knob))
        self.macvlans.append(name)
        return name

    def macvlan_link(self, vrid, family="ipv4"):
        """(carrier up, protodown) of the macvlan, from `ip -d link`."""
        out = self.lab.ip(self.router, "-d", "link", "show", "dev", macvlan_name(vrid, family))
        flags = re.search(r"<([^>]*)>", out).group(1).split(",")
        return "LOWER_UP" in flags, bool(re.search(r"\bprotodown on\b", out))

    def holds(self, vip, vrid, family="ipv4"):
        """VIP on the macvlan and the macvlan forwarding (not protodown)."""
        name = macvlan_name(vrid, family)
        fam = "-4" if family == "ipv4" else "-6"
        out = self.lab.ip(self.router, "-o", fam, "addr", "show", "dev", name)
        if not re.search(r"inet6? %s/" % re.escape(vip), out):
            return False
        up, protodown = self.macvlan_link(vrid, family)
        return up and not protodown

    # -- daemons
    def _write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        os.chown(path, self.uid, self.gid)
        os.chmod(path, 0o640)
        return path

    def _spawn(self, name, argv):
        logpath = os.path.join(self.dir, "%s.stdout" % name)
        out = open(logpath, "w")
        self.logfiles[name] = out
        # -P 0: no TCP vty; --log: FRR's own log file next to its sockets.
        common = ["-u", FRR_USER, "-g", FRR_USER, "--vty_socket", self.dir, "-z", self.zserv,
                  "-i", os.path.join(self.dir, "%s.pid" % name), "-P", "0",
                  "--log", "file:%s" % os.path.join(self.dir, "%s.log" % name),
                  "--log-level", "debug" if self.debug else "info"]
        p = subprocess.Popen(["ip", "netns", "exec", self.ns] + argv + common,
                             stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True)
        self.lab._procs.append(p)
        self.procs[name] = p
        return p

    def _wait_vty(self, name):
        sock = os.path.join(self.dir, "%s.vty" % name)
        p = self.procs[name]
        labmod.wait_for(lambda: os.path.exists(sock) or p.poll() is not None,
                        START_TIMEOUT_S, interval=0.02, what="%s vty socket in %s" %
                        (name, self.router))
        if p.poll() is not None:
            raise labmod.LabError("FRR %s in %s exited with %s:\n%s" %
                                  (name, self.router, p.returncode, self.log(name)))

    def start(self, vrrpd_config=""):
        """Start zebra, then vrrpd with `vrrpd_config` (FRR config text)."""
        zconf = self._write("zebra.conf", "hostname %s\n" % self.router)
        self._spawn("zebra", [ZEBRA_BIN, "-f", zconf])
        self._wait_vty("zebra")
        labmod.wait_for(lambda: os.path.exists(self.zserv), START_TIMEOUT_S,
                        what="zebra zserv socket in %s" % self.router)
        return self.start_vrrpd(vrrpd_config)

    def start_vrrpd(self, vrrpd_config=""):
        text = "hostname %s\n" % self.router
        if self.debug:
            text += "debug vrrp protocol\ndebug vrrp zebra\ndebug vrrp arp\n" \
                    "debug vrrp ndisc\ndebug vrrp packets\n"
        text += vrrpd_config
        vconf = self._write("vrrpd.conf", text)
        self._spawn("vrrpd", [VRRPD_BIN, "-f", vconf])
        self._wait_vty("vrrpd")
        return self

    def vrrpd_running(self):
        p = self.procs.get("vrrpd")
        return p is not None and p.poll() is None

    def stop_vrrpd(self, sig=signal.SIGTERM, timeout=5.0):
        """SIGTERM: FRR's orderly shutdown; SIGKILL: a crash (nothing sent)."""
        p = self.procs.get("vrrpd")
        if p is None:
            return None
        if sig == signal.SIGKILL:
            p.kill()
            return p.wait(timeout=timeout)
        return labmod._stop_proc(p, sig, timeout)

    def stop(self):
        for name in ("vrrpd", "zebra"):
            p = self.procs.get(name)
            if p is not None:
                labmod._stop_proc(p, signal.SIGTERM, 5)
        for f in self.logfiles.values():
            f.close()
        self.logfiles.clear()

    def log(self, name="vrrpd"):
        text = ""
        for suffix in (".log", ".stdout"):
            try:
                with open(os.path.join(self.dir, name + suffix), errors="replace") as f:
                    text += f.read()
            except OSError:
                pass
        return text

    # -- vtysh
    def vtysh(self, *commands, check=True):
        argv = ["ip", "netns", "exec", self.ns, VTYSH_BIN, "--vty_socket", self.dir]
        for c in commands:
            argv += ["-c", c]
        return labmod.run(argv, check=check)

    def configure(self, *lines):
        """Apply config lines in 'configure terminal' (e.g. 'interface eth0', ...)."""
        return self.vtysh("configure terminal", *lines)

    def show(self, vrid):
        """`show vrrp VRID json`: the router object (dict) or None."""
        out = self.vtysh("show vrrp %d json" % vrid)
        try:
            data = json.loads(out)
        except ValueError:
            raise labmod.LabError("show vrrp json unparsable:\n%s" % out)
        return data[0] if data else None

    def status(self, vrid, family="ipv4"):
        """'Initialize' | 'Backup' | 'Master' (FRR's words) or None."""
        r = self.show(vrid)
        if r is None:
            return None
        return r.get("v4" if family == "ipv4" else "v6", {}).get("status")

    def wait_status(self, vrid, want, family="ipv4", timeout=10.0, interval=0.05):
        return labmod.wait_for(lambda: self.status(vrid, family) == want, timeout,
                               interval=interval,
                               what="FRR %s vrid %d %s %s (now %s)" %
                               (self.router, vrid, family, want,
                                self.status(vrid, family)))


def vrrp_config(vrid, vips, priority=100, adv_ms=1000, version=3, ifname=labmod.IFNAME,
                family="ipv4", preempt=True):
    """FRR interface configuration for one virtual router."""
    lines = ["interface %s" % ifname,
             " vrrp %d version %d" % (vrid, version),
             " vrrp %d priority %d" % (vrid, priority),
             " vrrp %d advertisement-interval %d" % (vrid, adv_ms)]
    if not preempt:
        lines.append(" no vrrp %d preempt" % vrid)
    kw = "ip" if family == "ipv4" else "ipv6"
    lines += [" vrrp %d %s %s" % (vrid, kw, v) for v in vips]
    lines.append("exit")
    return "\n".join(lines) + "\n"
