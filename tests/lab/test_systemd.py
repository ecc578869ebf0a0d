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


def _start(lab, mgr, cfg, watchdog_pid_self=True):
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
           "--log-level debug" % (pid_expr, lab.ns("r1"), labmod.VRRPD_BIN, conf, sock))
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
