"""SIGHUP reloads the startup file: a valid change applies without
disturbing what did not change; an invalid file is logged and changes
nothing."""

import json
import os
import signal

import lab as labmod
import seed
from steps import start_pair

VIP = seed.VIP1


def _hup(d, cfg):
    path = os.path.join(d.lab.dir, "%s.json" % d.router)
    with open(path, "w") as f:
        json.dump(cfg, f)
    os.kill(d.proc.pid, signal.SIGHUP)


def test_sighup_priority_change_preempts(lab):
    d1, d2 = start_pair(lab, "vrrpd", seed.load("single-master-node1"),
                        "vrrpd", seed.load("single-master-node2"))
    # r2 goes above r1: after reload its master-down timer preempts r1.
    _hup(d2, seed.tweak(seed.load("single-master-node2"), priority=110))
    labmod.wait_for(lambda: "priority changed from 98 to 110" in d2.log(), 3,
                    what="r2 reload applied")
    lab.wait_holder(VIP, ["r2"], timeout=seed.master_down_s(110) + 1.0)
    assert d2.count("master") == 1


def test_sighup_invalid_file_changes_nothing(lab):
    d1, d2 = start_pair(lab, "vrrpd", seed.load("single-master-node1"),
                        "vrrpd", seed.load("single-master-node2"))
    bad = seed.tweak(seed.load("single-master-node1"), vrid=0)
    _hup(d1, bad)
    labmod.wait_for(lambda: "reload failed" in d1.log(), 3, what="r1 reload refused")
    log = d1.log()
    assert "instance[name='VI_1']/vrid" in log
    # still the master, still advertising, VIP never moved
    assert d1.running()
    lab.wait_holder(VIP, ["r1"], timeout=1)
    assert d2.count("master") == 0
