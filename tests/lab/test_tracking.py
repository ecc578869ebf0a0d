"""Issue 9 in the lab: health tracking, notify scripts and sync groups with
real vrrpd processes on both routers.

- A check script starts failing -> the master's priority drops by its weight
  below the backup's -> the backup takes over; it recovers -> the master
  preempts back.
- A tracked interface (no weight) goes down -> FAULT, the VIP moves.
- A sync group follows its member: one instance's tracker demands FAULT,
  the other instance of the group goes FAULT too and both VIPs move.
- Notify scripts get exactly keepalived's arguments (TYPE NAME STATE PRIORITY)
  on both routers, and the specific notify_master script runs too.
- A hanging check script is killed at its timeout (counted as a failure)
  while the master's adverts stay on schedule.
- A script tracker created, attached, detached and deleted live with
  vrrpctl moves VI_1 and back, and leaves VI_2 alone."""

import copy
import os
import re
import time

import lab as labmod
import seed
from lab import wait_for
from steps import R1

VIP1, VIP2 = seed.VIP1, "10.10.1.2"


def tracked(cfg, trackers, refs, name="VI_1"):
    cfg = copy.deepcopy(cfg)
    root = cfg["vrrpd:vrrpd"]
    root.setdefault("track", {}).update(trackers)
    seed.instance(cfg, name)["track"] = refs
    return cfg


def write_exec(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)


def check_script(lab, router):
    """A check that succeeds while FLAG exists; returns (script, flag)."""
    flag = os.path.join(lab.dir, "%s-ok" % router)
    script = os.path.join(lab.dir, "%s-check.sh" % router)
    write_exec(script, "#!/bin/sh\ntest -e %s\n" % flag)
    open(flag, "w").close()
    return script, flag


def test_script_failure_moves_vip_and_back(lab):
    script, flag = check_script(lab, "r1")
    c1 = tracked(seed.load("single-master-node1"),
                 {"script": [{"name": "chk", "command": [script], "interval": 200,
                              "rise": 1, "fall": 1, "weight": -10}]},
                 {"script": [{"name": "chk"}]})
    d1 = lab.start("r1", "vrrpd", c1)
    d2 = lab.start("r2", "vrrpd", seed.load("single-master-node2"))
    lab.wait_holder(VIP1, ["r1"], seed.master_down_s(100) + 2)
    d2.wait_log("backup", timeout=5)
    os.unlink(flag)
    wait_for(lambda: "Changing effective priority from 100 to 90" in d1.log(), 3,
             what="priority 100 -> 90 on r1")
    # r2 (98) now outranks r1 (90): it preempts when its master-down timer runs out
    lab.wait_holder(VIP1, ["r2"], seed.master_down_s(98) + 1)
    st = d1.ctl("show", "instance", "VI_1")
    assert "90" in repr(st), st
    open(flag, "w").close()
    wait_for(lambda: "Changing effective priority from 90 to 100" in d1.log(), 3,
             what="priority back to 100")
    lab.wait_holder(VIP1, ["r1"], seed.master_down_s(100) + 1.5)


def uplink(lab):
    """An interface 'upl' on r1 to track (a veth pair: no dummy module here)."""
    lab.ip("r1", "link", "add", "upl", "type", "veth", "peer", "name", "upl-peer")
    lab.ip("r1", "link", "set", "upl-peer", "up")
    lab.ip("r1", "link", "set", "upl", "up")


def test_tracked_interface_down_is_fault(lab):
    uplink(lab)
    c1 = tracked(seed.load("single-master-node1"), {"interface": [{"name": "upl"}]},
                 {"interface": [{"name": "upl"}]})
    d1 = lab.start("r1", "vrrpd", c1)
    lab.start("r2", "vrrpd", seed.load("single-master-node2"))
    lab.wait_holder(VIP1, ["r1"], seed.master_down_s(100) + 2)
    lab.ip("r1", "link", "set", "upl", "down")
    d1.wait_log("fault", timeout=2)
    lab.wait_holder(VIP1, ["r2"], seed.master_down_s(98) + 1)
    lab.ip("r1", "link", "set", "upl", "up")
    lab.wait_holder(VIP1, ["r1"], seed.master_down_s(100) + 1.5)


def two_instances(node, vip2_prio):
    cfg = seed.load("single-master-node%d" % node)
    i2 = copy.deepcopy(seed.instance(cfg))
    i2.update(name="VI_2", vrid=12, priority=vip2_prio)
    i2["virtual-address"] = [{"address": VIP2, "prefix-length": 16}]
    cfg["vrrpd:vrrpd"]["instance"].append(i2)
    cfg["vrrpd:vrrpd"]["sync-group"] = [{"name": "G1", "member": ["VI_1", "VI_2"]}]
    return cfg


def test_sync_group_follows_member(lab):
    uplink(lab)
    c1 = two_instances(1, 100)
    c1["vrrpd:vrrpd"]["track"] = {"interface": [{"name": "upl"}]}
    seed.instance(c1, "VI_2")["track"] = {"interface": [{"name": "upl"}]}
    d1 = lab.start("r1", "vrrpd", c1)
    lab.start("r2", "vrrpd", two_instances(2, 98))
    lab.wait_holder(VIP1, ["r1"], seed.master_down_s(100) + 2)
    lab.wait_holder(VIP2, ["r1"], 2)
    lab.ip("r1", "link", "set", "upl", "down")
    # VI_2 faults on its tracker; VI_1 follows through the group
    d1.wait_log("fault", instance="VI_2", timeout=2)
    d1.wait_log("fault", instance="VI_1", timeout=2)
    assert "VRRP_Group(G1) Syncing instances to FAULT STATE" in d1.log()
    lab.wait_holder(VIP1, ["r2"], seed.master_down_s(98) + 1)
    lab.wait_holder(VIP2, ["r2"], seed.master_down_s(98) + 1)


def vrrpctl_text(daemon, *words, lines=None):
    """vrrpctl one-shot (or, with lines, script mode on standard input) in
    the shell's own output (not --json)."""
    import subprocess
    r = subprocess.run([labmod.VRRPCTL_BIN, "--socket", daemon.socket] + list(words),
                       input="".join(l + "\n" for l in lines) if lines else None,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=5)
    return r.returncode, r.stdout + r.stderr


def untouched(daemon, name):
    """What a restart or a transition of an instance would change."""
    st = daemon.ctl("show", "instance", name)["state"]
    return (st["state"], st["last-transition"], st["statistics"]["master-transitions"],
            st["statistics"].get("discontinuity-datetime"))


def test_tracker_created_live_from_shell(lab):
    """A script tracker made with vrrpctl on a running pair: attached to
    VI_1, it fails -> r1 drops 100 -> 90, r2 (98) takes VI_1 over; detached
    and deleted, r1 is back at 100 and preempts. VI_2 on the same routers is
    not touched by any of it (state, last transition, transition counter,
    counters' discontinuity time unchanged)."""
    script, flag = check_script(lab, "r1")
    c1, c2 = two_instances(1, 100), two_instances(2, 98)
    for c in (c1, c2):
        del c["vrrpd:vrrpd"]["sync-group"]
    d1 = lab.start("r1", "vrrpd", c1)
    d2 = lab.start("r2", "vrrpd", c2)
    lab.wait_holder(VIP1, ["r1"], seed.master_down_s(100) + 2)
    lab.wait_holder(VIP2, ["r1"], 2)
    d2.wait_log("backup", instance="VI_2", timeout=5)
    vi2 = (untouched(d1, "VI_2"), untouched(d2, "VI_2"))

    rc, out = vrrpctl_text(d1, "create", "tracker", "script", "chk", "command", script,
                           "interval", "200", "weight", "-10")
    assert rc == 0 and "Tracker script chk created." in out, out
    rc, out = vrrpctl_text(d1, "set", "instance", "VI_1", "track", "script", "chk")
    assert rc == 0 and "Instance VI_1 follows script tracker chk." in out, out
    rc, out = vrrpctl_text(d1, "show", "running-config")
    assert "create tracker script chk command %s interval 200 weight -10\n" % script in out, out
    assert "set instance VI_1 track script chk\n" in out, out
    # configuration mode: the candidate's tracker change in show compare
    rc, out = vrrpctl_text(d1, lines=["configure", "set tracker script chk rise 2",
                                      "show compare", "commit"])
    assert rc == 0, out
    assert ("-create tracker script chk command %s interval 200 weight -10\n"
            "+create tracker script chk command %s interval 200 rise 2 weight -10\n"
            % (script, script)) in out, out
    assert re.search(r"Commit \d+ complete", out), out
    # still followed: libyang's leafref refuses the delete, with the path
    rc, out = vrrpctl_text(d1, "delete", "tracker", "script", "chk")
    assert rc != 0 and "/vrrpd:vrrpd/instance[name='VI_1']/track/script" in out, out

    os.unlink(flag)
    wait_for(lambda: "Changing effective priority from 100 to 90" in d1.log(), 3,
             what="priority 100 -> 90 on r1")
    lab.wait_holder(VIP1, ["r2"], seed.master_down_s(98) + 1)
    assert d1.ctl("show", "instance", "VI_1")["state"]["effective-priority"] == 90

    rc, out = vrrpctl_text(d1, "delete", "instance", "VI_1", "track", "script", "chk")
    assert rc == 0, out
    rc, out = vrrpctl_text(d1, "delete", "tracker", "script", "chk")
    assert rc == 0 and "Tracker script chk deleted." in out, out
    wait_for(lambda: "Changing effective priority from 90 to 100" in d1.log(), 3,
             what="priority back to 100")
    lab.wait_holder(VIP1, ["r1"], seed.master_down_s(100) + 1.5)
    rc, out = vrrpctl_text(d1, "show", "running-config")
    assert "tracker" not in out and "track " not in out, out
    lab.wait_holder(VIP2, ["r1"], 0.5)
    assert (untouched(d1, "VI_2"), untouched(d2, "VI_2")) == vi2


def notify_cfg(cfg, log):
    inst = seed.instance(cfg)
    inst["notify"] = {"script": [
        {"event": "any", "command": [log]},
        {"event": "master", "command": [log, "MASTER-SCRIPT"]}]}
    return cfg


def test_notify_scripts_get_keepalived_arguments(lab):
    logs = {}
    cfgs = {}
    for n in (1, 2):
        out = os.path.join(lab.dir, "r%d-notify.out" % n)
        script = os.path.join(lab.dir, "r%d-notify.sh" % n)
        write_exec(script, '#!/bin/sh\necho "$*" >> %s\n' % out)
        logs[n] = out
        cfgs[n] = notify_cfg(seed.load("single-master-node%d" % n), script)
    d1 = lab.start("r1", "vrrpd", cfgs[1])
    d2 = lab.start("r2", "vrrpd", cfgs[2])
    lab.wait_holder(VIP1, ["r1"], seed.master_down_s(100) + 2)
    d2.wait_log("backup", timeout=5)

    def lines(n):
        return open(logs[n]).read().splitlines() if os.path.exists(logs[n]) else []
    wait_for(lambda: "INSTANCE VI_1 MASTER 100" in lines(1), 3, what="r1 notify MASTER")
    wait_for(lambda: "MASTER-SCRIPT" in lines(1), 3, what="r1 notify_master")
    wait_for(lambda: "INSTANCE VI_1 BACKUP 98" in lines(2), 3, what="r2 notify BACKUP")
    assert d1.stop() == 0
    wait_for(lambda: "INSTANCE VI_1 STOP 100" in lines(1), 3, what="r1 notify STOP")
    wait_for(lambda: "INSTANCE VI_1 MASTER 98" in lines(2), 3, what="r2 notify MASTER")


def test_hanging_script_killed_adverts_on_time(lab):
    script = os.path.join(lab.dir, "hang.sh")
    write_exec(script, "#!/bin/sh\nsleep 30\n")
    cfg = tracked(seed.load("single-master-node1"),
                  {"script": [{"name": "hang", "command": [script], "interval": 1000,
                               "timeout": 300, "weight": -1, "fall": 1, "rise": 1}]},
                  {"script": [{"name": "hang"}]})
    d1 = lab.start("r1", "vrrpd", cfg)
    d1.wait_log("master", timeout=seed.master_down_s(100) + 2)
    with lab.capture() as cap:
        time.sleep(3.2)
    ads = [p for p in labmod.adverts(cap.packets()) if p["src"] == R1]
    gaps = [b["t"] - a["t"] for a, b in zip(ads, ads[1:])]
    assert len(ads) >= 3, ads
    assert all(abs(g - 1.0) < 0.02 for g in gaps), gaps
    st = d1.ctl("show", "tracking")
    assert "timeout" in repr(st), st
    # no script is left running after its timeout
    out = lab.exec("r1", "pgrep", "-f", "hang.sh", check=False)
    assert len(out.split()) <= 1, out


# ---- keepalived as the peer, both routers running the same keepalived.conf

import pytest  # noqa: E402

import kaimport_lab as ka  # noqa: E402


def with_check_script(script, weight=-10):
    """The seed with a vrrp_script the instance tracks (same edit for both
    implementations, so their files are identical)."""
    def edit(text):
        text = ('vrrp_script chk {\n    script "%s"\n    interval 1\n    weight %d\n'
                '    rise 1\n    fall 1\n}\n' % (script, weight)) + text
        return text.replace("vrrp_instance VI_1 {",
                            "vrrp_instance VI_1 {\n    track_script {\n        chk\n    }", 1)
    return edit


@pytest.mark.parametrize("roles", [("vrrpd", "keepalived"), ("keepalived", "vrrpd")],
                         ids=["vrrpd-tracks", "keepalived-tracks"])
def test_script_tracking_against_keepalived(lab, roles):
    """r1 (100) tracks a script (weight -10); r2 (98) runs the seed. When
    the script fails r1 drops to 90 and r2 takes over; when it recovers r1
    preempts back. Same keepalived.conf text for vrrpd and keepalived."""
    script, flag = check_script(lab, "r1")
    d1 = ka.start(lab, "r1", roles[0], "single-master-node1", edit=with_check_script(script))
    d2 = ka.start(lab, "r2", roles[1], "single-master-node2")
    lab.wait_holder(VIP1, ["r1"], seed.master_down_s(100) + 3)
    d2.wait_log("backup", timeout=5)
    os.unlink(flag)
    lab.wait_holder(VIP1, ["r2"], 1.5 + seed.master_down_s(98) + 1)
    open(flag, "w").close()
    lab.wait_holder(VIP1, ["r1"], 1.5 + seed.master_down_s(100) + 1.5)
    assert d1.running() and d2.running()
