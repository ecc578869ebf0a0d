"""vrrpd under systemd's service protocol, without systemd: the test is the
service manager. It listens on $NOTIFY_SOCKET (a Unix datagram socket, as
systemd's) and checks READY=1 arrives only once the control socket answers
with the configuration applied, WATCHDOG=1 keeps coming at half of
WATCHDOG_USEC, SIGHUP gives RELOADING=1 (with MONOTONIC_USEC=) then READY=1,
and SIGTERM gives STOPPING=1 (sd_notify(3), systemd.service(5))."""

import json
import os
import signal
import socket
import statistics
import subprocess
import time

import lab as labmod
import seed

WATCHDOG_USEC = 400000


class Manager:
    """The notify socket and what arrived on it, with arrival times."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.path = path
        self.msgs = []          # (monotonic s, {field: value}, raw)

    def recv(self, timeout):
        self.sock.settimeout(max(timeout, 0.001))
        try:
            raw = self.sock.recv(4096).decode()
        except socket.timeout:
            return None
        fields = dict(line.split("=", 1) for line in raw.split("\n") if "=" in line)
        self.msgs.append((time.monotonic(), fields, raw))
        return fields

    def wait(self, key, timeout, on_msg=None):
        """Messages until one carries key; returns its fields."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            f = self.recv(end - time.monotonic())
            if f is not None and on_msg:
                on_msg(f)
            if f is not None and key in f:
                return f
        raise labmod.LabTimeout("no %s from vrrpd in %.1f s; got %r" %
                                (key, timeout, [m[2] for m in self.msgs]))

    def close(self):
        self.sock.close()


def _start(lab, mgr, cfg, watchdog_pid_self=True, args=""):
    conf = os.path.join(lab.dir, "r1.json")
    with open(conf, "w") as f:
        json.dump(cfg, f)
    sock = os.path.join(lab.dir, "r1-vrrpd.sock")
    log = open(os.path.join(lab.dir, "r1-vrrpd.log"), "w")
    env = dict(os.environ, NOTIFY_SOCKET=mgr.path, WATCHDOG_USEC=str(WATCHDOG_USEC))
    env.pop("JOURNAL_STREAM", None)
    # WATCHDOG_PID must be vrrpd's own pid, known only once it runs: the
    # shell's $$ survives both execs (sh, then `ip netns exec`). No
    # --foreground: NOTIFY_SOCKET alone must keep vrrpd in the foreground.
    pid_expr = "$$" if watchdog_pid_self else "1"
    cmd = ("WATCHDOG_PID=%s exec ip netns exec %s %s --config %s --socket %s "
           "--log-level debug %s" % (pid_expr, lab.ns("r1"), labmod.VRRPD_BIN, conf, sock,
                                     args))
    p = subprocess.Popen(["sh", "-c", cmd], env=env, stdin=subprocess.DEVNULL,
                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    lab._procs.append(p)
    return p, sock


def _ctl(sock, *words):
    r = subprocess.run([labmod.VRRPCTL_BIN, "--socket", sock, "--json"] + list(words),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=5)
    return r.returncode, r.stdout, r.stderr


def test_notify_protocol(make_lab, tmp_path):
    lab = make_lab(1, client=False)
    mgr = Manager(str(tmp_path / "notify.sock"))
    try:
        t0 = time.monotonic()
        p, sock = _start(lab, mgr, seed.load("single-master-node1"))

        # The manager's first act on READY=1: ask the control socket. It
        # must answer, with the startup configuration already applied.
        probe = {}

        def on_msg(f):
            if "READY" in f and not probe:
                probe["rc"], probe["out"], probe["err"] = _ctl(sock, "show", "instances")
        ready = mgr.wait("READY", 5, on_msg)
        assert ready["READY"] == "1"
        assert probe["rc"] == 0, "control socket did not answer at READY=1: %s" % probe["err"]
        assert "VI_1" in probe["out"], probe["out"]
        assert p.poll() is None, "vrrpd forked or exited under NOTIFY_SOCKET"
        print("READY=1 after %.0f ms" % ((time.monotonic() - t0) * 1000))

        # Watchdog at WATCHDOG_USEC/2 while the instance becomes master,
        # which STATUS= reports.
        end = time.monotonic() + seed.master_down_s(100) + 1.5
        while time.monotonic() < end:
            mgr.recv(end - time.monotonic())
        pings = [t for t, f, _ in mgr.msgs if "WATCHDOG" in f]
        gaps = [b - a for a, b in zip(pings, pings[1:])]
        assert len(pings) >= 10, "only %d WATCHDOG=1 in %.1f s" % (len(pings), end - t0)
        med = statistics.median(gaps)
        print("WATCHDOG=1: %d pings, median gap %.1f ms, max %.1f ms" %
              (len(pings), med * 1000, max(gaps) * 1000))
        assert abs(med - WATCHDOG_USEC / 2e6) < 0.02, gaps
        assert max(gaps) < WATCHDOG_USEC / 1e6, "a gap reached WATCHDOG_USEC: %r" % gaps
        status = [f["STATUS"] for _, f, _ in mgr.msgs if "STATUS" in f]
        assert status and status[-1] == "1 instance: 1 master", status

        # Reload: RELOADING=1 with a monotonic stamp, then READY=1.
        before = time.monotonic()
        os.kill(p.pid, signal.SIGHUP)
        rel = mgr.wait("RELOADING", 3)
        assert rel["RELOADING"] == "1"
        stamp_s = int(rel["MONOTONIC_USEC"]) / 1e6
        assert before - 1 <= stamp_s <= time.monotonic() + 1, rel
        assert mgr.wait("READY", 3)["READY"] == "1"

        # A rejected reload still ends with READY=1 and says so in STATUS=.
        with open(os.path.join(lab.dir, "r1.json"), "w") as f:
            json.dump(seed.tweak(seed.load("single-master-node1"), vrid=0), f)
        os.kill(p.pid, signal.SIGHUP)
        mgr.wait("RELOADING", 3)
        again = mgr.wait("READY", 3)
        assert again.get("STATUS") == "1 instance: 1 master; last reload rejected", again

        # Stop: STOPPING=1 first, then a clean exit.
        os.kill(p.pid, signal.SIGTERM)
        assert mgr.wait("STOPPING", 3)["STOPPING"] == "1"
        assert p.wait(timeout=5) == 0
    finally:
        mgr.close()


def test_watchdog_for_another_pid_is_not_ours(make_lab, tmp_path):
    """WATCHDOG_PID names another process (as when the variables leak to a
    child): vrrpd must not ping, but still speaks the rest of the protocol."""
    lab = make_lab(1, client=False)
    mgr = Manager(str(tmp_path / "notify.sock"))
    try:
        p, sock = _start(lab, mgr, seed.load("single-master-node1"), watchdog_pid_self=False)
        mgr.wait("READY", 5)
        end = time.monotonic() + 3 * WATCHDOG_USEC / 1e6
        while time.monotonic() < end:
            mgr.recv(end - time.monotonic())
        assert not [f for _, f, _ in mgr.msgs if "WATCHDOG" in f]
        os.kill(p.pid, signal.SIGTERM)
        mgr.wait("STOPPING", 3)
        assert p.wait(timeout=5) == 0
    finally:
        mgr.close()


# Runs in a private mount namespace (unshare -m) where a tmpfs hides the
# host's /run/systemd: it plays journald on /run/systemd/journal/socket
# (native protocol: one datagram per entry, FIELD=value lines), starts
# vrrpd with stderr on a file JOURNAL_STREAM names, and prints the entries
# as JSON once the instance became master.
_JOURNALD = r'''
import json, os, socket, subprocess, sys, time
ns, vrrpd, conf, sock, errfile = sys.argv[1:6]
subprocess.run(["mount", "--make-rprivate", "/"], check=True)
subprocess.run(["mount", "-t", "tmpfs", "tmpfs", "/run/systemd"], check=True)
os.makedirs("/run/systemd/journal")
j = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
j.bind("/run/systemd/journal/socket")
err = open(errfile, "w")
st = os.fstat(err.fileno())
env = dict(os.environ, JOURNAL_STREAM="%d:%d" % (st.st_dev, st.st_ino))
env.pop("NOTIFY_SOCKET", None)
p = subprocess.Popen(["ip", "netns", "exec", ns, vrrpd, "--foreground", "--config", conf,
                      "--socket", sock], env=env, stdout=err, stderr=err)
entries, end = [], time.monotonic() + 8
j.settimeout(0.2)
while time.monotonic() < end:
    try:
        raw = j.recv(65536).decode()
    except socket.timeout:
        continue
    entries.append(dict(l.split("=", 1) for l in raw.split("\n") if "=" in l))
    if "Entering MASTER STATE" in entries[-1].get("MESSAGE", ""):
        break
p.terminate()
p.wait(timeout=5)
print(json.dumps(entries))
'''


def test_journald_fields(make_lab, tmp_path):
    """Under journald (stderr is the stream $JOURNAL_STREAM names) every
    line is a journal entry with the plain text as MESSAGE=, and lines
    about an instance carry VRRP_INSTANCE=, VRRP_STATE=, VRRP_PRIORITY=."""
    lab = make_lab(1, client=False)
    conf = str(tmp_path / "r1.json")
    with open(conf, "w") as f:
        json.dump(seed.load("single-master-node1"), f)
    errfile = str(tmp_path / "stderr")
    r = subprocess.run(["unshare", "-m", "/usr/bin/python3", "-c", _JOURNALD, lab.ns("r1"),
                        labmod.VRRPD_BIN, conf, str(tmp_path / "ctl.sock"), errfile],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=20)
    assert r.returncode == 0, r.stderr
    entries = json.loads(r.stdout)
    msgs = [e.get("MESSAGE", "") for e in entries]
    assert any(m.startswith("vrrpd ") and "starting" in m for m in msgs), msgs
    master = [e for e in entries if "Entering MASTER STATE" in e.get("MESSAGE", "")]
    assert master, msgs
    e = master[0]
    assert e["MESSAGE"].startswith("VRRP_Instance(VI_1) Entering MASTER STATE (from BACKUP")
    assert e["VRRP_INSTANCE"] == "VI_1"
    assert e["VRRP_STATE"] == "MASTER"
    assert e["VRRP_PRIORITY"] == "100"
    assert e["PRIORITY"] == "6" and e["SYSLOG_IDENTIFIER"] == "vrrpd"
    # Lines about no instance carry no instance fields.
    start = [x for x in entries if "starting" in x.get("MESSAGE", "")][0]
    assert "VRRP_INSTANCE" not in start
    # Nothing went to stderr while journald took the lines.
    assert open(errfile).read() == ""


def test_notify_protocol_privsep(make_lab):
    """With --user the main process is the root parent (MAINPID,
    WATCHDOG_PID, the signals) and the worker, its child, speaks the
    protocol: READY=1 once the socket answers, WATCHDOG=1 from the worker's
    loop, RELOADING=1/READY=1 when the parent gets SIGHUP, STOPPING=1 and a
    clean exit on SIGTERM to the parent."""
    lab = make_lab(1, client=False)
    # the worker (nobody) must reach the socket, as systemd's is reachable
    os.chmod(lab.dir, 0o755)
    mgr = Manager(os.path.join(lab.dir, "notify.sock"))
    os.chmod(mgr.path, 0o777)
    try:
        p, sock = _start(lab, mgr, seed.load("single-master-node1"), args="--user nobody")
        probe = {}

        def on_msg(f):
            if "READY" in f and not probe:
                probe["rc"], probe["out"], probe["err"] = _ctl(sock, "show", "instances")
        assert mgr.wait("READY", 5, on_msg)["READY"] == "1"
        assert probe["rc"] == 0 and "VI_1" in probe["out"], probe
        end = time.monotonic() + 2
        while time.monotonic() < end:
            mgr.recv(end - time.monotonic())
        pings = [t for t, f, _ in mgr.msgs if "WATCHDOG" in f]
        assert len(pings) >= 6, "only %d WATCHDOG=1 in 2 s from the worker" % len(pings)
        os.kill(p.pid, signal.SIGHUP)
        assert mgr.wait("RELOADING", 3)["RELOADING"] == "1"
        assert mgr.wait("READY", 3)["READY"] == "1"
        os.kill(p.pid, signal.SIGTERM)
        assert mgr.wait("STOPPING", 3)["STOPPING"] == "1"
        assert p.wait(timeout=5) == 0
    finally:
        mgr.close()
