"""Privilege separation (issue 10, vrrpd(8) PRIVILEGE SEPARATION) with a real
vrrpd started with --user in a router namespace.

- The worker runs as the unprivileged user with exactly CAP_NET_ADMIN and
  CAP_NET_RAW (nothing in the bounding or ambient sets), NoNewPrivs 1 and no
  supplementary groups; the parent stays root.
- VRRP works from the worker: it becomes master and adds the VIP.
- Track and notify scripts are run by the parent as the user the
  configuration names (each writes `id -u`), a third user neither root nor
  the worker's; a failing track script still lowers the priority (its result
  travels back to the worker).
- A script the startup configuration does not name (added at run time through
  the control socket) is refused by the parent, not run.
- config.save writes the startup file, mode 0600, through the parent.
- SIGHUP to the parent reloads; SIGTERM to the parent stops the worker, whose
  priority-0 advert is captured, and the parent exits 0; killing the worker
  makes the parent exit with the worker's signal."""

import json
import os
import pwd
import re
import signal
import socket
import stat
import subprocess
import time

import pytest

import seed
from lab import adverts, wait_for

VIP1 = seed.VIP1
WORKER_USER = "nobody"
SCRIPT_USER = "vrrpd-pstest"
CAP_NET_ADMIN, CAP_NET_RAW = 12, 13


@pytest.fixture
def script_user():
    """A system user for the scripts, created for the test if missing."""
    created = False
    try:
        pwd.getpwnam(SCRIPT_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home",
                        "--shell", "/usr/sbin/nologin", SCRIPT_USER], check=True)
        created = True
    yield pwd.getpwnam(SCRIPT_USER)
    if created:
        subprocess.run(["userdel", SCRIPT_USER], check=False)


def status(pid):
    """/proc/PID/status as a dict of strings."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.strip()
    return out


def worker_of(d, parent):
    """The worker's pid as the parent logs it (its other children, the
    scripts, are vrrpd too between fork and exec)."""
    m = re.search(r"privsep: parent pid %d serves worker pid (\d+)" % parent, d.log())
    return int(m.group(1)) if m else None


def write_exec(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)


def privsep_config(lab, out):
    """r1's seed with a track script and a notify script run as SCRIPT_USER."""
    flag = os.path.join(lab.dir, "check-ok")
    check = os.path.join(lab.dir, "check.sh")
    notify = os.path.join(lab.dir, "notify.sh")
    write_exec(check, "#!/bin/sh\nid -u > %s/track-uid\ntest -e %s\n" % (out, flag))
    write_exec(notify, '#!/bin/sh\necho "$(id -u) $*" >> %s/notify.out\n' % out)
    open(flag, "w").close()
    cfg = seed.load("single-master-node1")
    root = cfg["vrrpd:vrrpd"]
    root["track"] = {"script": [{"name": "chk", "command": [check], "interval": 200,
                                 "rise": 1, "fall": 1, "weight": -10,
                                 "user": SCRIPT_USER}]}
    inst = seed.instance(cfg)
    inst["track"] = {"script": [{"name": "chk"}]}
    inst["notify"] = {"script": [{"event": "any", "command": [notify],
                                  "user": SCRIPT_USER}]}
    return cfg, flag


def start_privsep(lab, cfg):
    # The scripts' user must reach the scripts: the lab directory is root's
    # (script security) but searchable; the output directory is sticky.
    os.chmod(lab.dir, 0o755)
    d = lab.daemon("r1", "vrrpd", cfg)
    d.args = ["--user", WORKER_USER]
    d.start()
    parent = d.proc.pid
    wait_for(lambda: worker_of(d, parent), 5, what="the privsep worker")
    return d, parent, worker_of(d, parent)


class Rpc:
    """JSON-RPC on one connection of the control socket (candidates are
    the connection's)."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(5)
        self.s.connect(path)
        self.n = 0

    def __call__(self, method, **params):
        self.n += 1
        self.s.sendall((json.dumps({"jsonrpc": "2.0", "id": self.n, "method": method,
                                    "params": params}) + "\n").encode())
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = self.s.recv(65536)
            if not chunk:
                break
            buf += chunk
        reply = json.loads(buf)
        assert "result" in reply, reply
        return reply["result"]

    def close(self):
        self.s.close()


def lines(path):
    try:
        with open(path) as f:
            return f.read().splitlines()
    except OSError:
        return []


def test_privsep_worker_scripts_save_and_stop(script_user, lab):
    out = os.path.join(lab.dir, "out")
    os.mkdir(out)
    os.chmod(out, 0o1777)
    cfg, flag = privsep_config(lab, out)
    d, parent, worker = start_privsep(lab, cfg)

    # the split as /proc shows it, once the worker has dropped root (the
    # parent logs its pid right after fork(), before the worker's setuid)
    nobody = pwd.getpwnam(WORKER_USER)
    want = (1 << CAP_NET_ADMIN) | (1 << CAP_NET_RAW)

    def dropped():
        w = status(worker)
        return (w["Uid"].split() == [str(nobody.pw_uid)] * 4 and
                int(w["CapEff"], 16) == want and w["NoNewPrivs"] == "1")
    wait_for(dropped, 5, what="the worker to drop root")
    ps, ws = status(parent), status(worker)
    assert ps["Uid"].split() == ["0"] * 4, ps["Uid"]
    assert ws["Uid"].split() == [str(nobody.pw_uid)] * 4, ws["Uid"]
    assert ws["Gid"].split() == [str(nobody.pw_gid)] * 4, ws["Gid"]
    assert ws["Groups"] == "", ws["Groups"]
    assert int(ws["CapEff"], 16) == want, ws["CapEff"]
    assert int(ws["CapPrm"], 16) == want, ws["CapPrm"]
    assert int(ws["CapBnd"], 16) == 0, ws["CapBnd"]
    assert int(ws["CapAmb"], 16) == 0, ws["CapAmb"]
    assert ws["NoNewPrivs"] == "1", ws["NoNewPrivs"]

    # VRRP from the worker: master, VIP added (CAP_NET_RAW, CAP_NET_ADMIN)
    lab.wait_holder(VIP1, ["r1"], seed.master_down_s(100) + 2)
    d.wait_log("master", timeout=2)

    # scripts ran as their configured user, not as root nor as the worker
    uid = str(script_user.pw_uid)
    notify_out = os.path.join(out, "notify.out")
    wait_for(lambda: "%s INSTANCE VI_1 MASTER 100" % uid in lines(notify_out), 3,
             what="notify MASTER as %s" % SCRIPT_USER)
    wait_for(lambda: lines(os.path.join(out, "track-uid")) == [uid], 3,
             what="track script as %s" % SCRIPT_USER)
    # a failing check comes back through the parent and lowers the priority
    os.unlink(flag)
    wait_for(lambda: "Changing effective priority from 100 to 90" in d.log(), 3,
             what="priority 100 -> 90")
    open(flag, "w").close()
    wait_for(lambda: "Changing effective priority from 90 to 100" in d.log(), 3,
             what="priority back to 100")

    # config.save through the parent: the startup file, 0600, root's
    conf = os.path.join(lab.dir, "r1.json")
    os.chmod(conf, 0o644)
    d.ctl("save")
    st = os.stat(conf)
    assert stat.S_IMODE(st.st_mode) == 0o600, oct(st.st_mode)
    assert st.st_uid == 0
    with open(conf) as f:
        saved = json.load(f)
    assert seed.instance(saved)["notify"]["script"][0]["user"] == SCRIPT_USER
    assert "privsep: config.save wrote %s" % conf in d.log()

    # SIGHUP goes to the parent, which reads the file and hands it over
    os.kill(parent, signal.SIGHUP)
    wait_for(lambda: d.log().count("script command(s) of the startup configuration") >= 2,
             3, what="the parent's reload")
    wait_for(lambda: "SIGHUP: reloading" in d.log(), 3, what="reload logged")
    time.sleep(0.3)
    assert "reload failed" not in d.log()
    assert os.path.exists("/proc/%d" % worker)

    # SIGTERM to the parent: the worker's priority-0 advert, both exit
    with lab.capture("c") as cap:
        os.kill(parent, signal.SIGTERM)
        assert d.proc.wait(timeout=8) == 0
        time.sleep(0.3)
    zero = adverts(cap.packets(), src=lab.addr("r1"), prio=0)
    assert zero, "no priority-0 advert after SIGTERM to the parent"
    assert not os.path.exists("/proc/%d" % worker) or \
        "Z" in status(worker).get("State", "Z")
    wait_for(lambda: "%s INSTANCE VI_1 STOP 100" % uid in lines(notify_out), 3,
             what="notify STOP as %s" % SCRIPT_USER)
    assert not os.path.exists(d.socket), "control socket left behind"
    # no script ever ran as root or as the worker
    uids = {line.split()[0] for line in lines(notify_out)}
    assert uids == {uid}, uids


def test_privsep_refuses_unknown_script_and_follows_worker(script_user, lab):
    out = os.path.join(lab.dir, "out")
    os.mkdir(out)
    os.chmod(out, 0o1777)
    cfg, _ = privsep_config(lab, out)
    d, parent, worker = start_privsep(lab, cfg)
    lab.wait_holder(VIP1, ["r1"], seed.master_down_s(100) + 2)
    rpc = Rpc(d.socket)

    # A commit is recorded by the worker, in a history directory it owns
    cand = rpc("candidate.open")["id"]
    rpc("candidate.edit", id=cand, op="set", name="VI_1", priority=110)
    number = rpc("candidate.commit", id=cand, comment="privsep")["number"]
    record = os.path.join(lab.dir, "r1.json.commits", "%06d.json" % number)
    nobody = pwd.getpwnam(WORKER_USER).pw_uid
    assert os.stat(record).st_uid == nobody
    assert os.stat(os.path.dirname(record)).st_uid == nobody

    # A script added at run time through the control socket is not in the
    # startup file the parent read: the worker asks, the parent refuses.
    rogue = os.path.join(lab.dir, "rogue.sh")
    ran = os.path.join(out, "rogue-ran")
    write_exec(rogue, "#!/bin/sh\ntouch %s\n" % ran)
    new = json.loads(json.dumps(cfg))
    new["vrrpd:vrrpd"]["track"]["script"].append(
        {"name": "rogue", "command": [rogue], "interval": 200, "weight": -5,
         "user": SCRIPT_USER})
    seed.instance(new)["track"]["script"].append({"name": "rogue"})
    rpc("config.replace", config=new)
    rpc.close()
    wait_for(lambda: "privsep: refused to run %s" % rogue in d.log(), 3,
             what="the parent's refusal")
    assert "not a script of the startup configuration" in d.log()
    time.sleep(0.5)
    assert not os.path.exists(ran), "the parent ran a script it was not given"

    # the worker dies: the parent follows with its status
    os.kill(worker, signal.SIGKILL)
    assert d.proc.wait(timeout=5) == 128 + signal.SIGKILL
