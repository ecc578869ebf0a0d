"""Issue 10, beyond the regressions: the daemon under abuse ends in the right
state and leaves nothing behind.

- kill -9 of the master, restart while the backup is master: at no sampled
  moment after the restart do both routers hold the VIP.
- A link flap storm (100 flaps in 10 s) on the master: it ends master again
  (preempt), exactly one router holds the VIP, the backup leaks no address.
- A SIGHUP storm (50 reloads in 5 s) while the client pings the VIP: the
  master stays master and the client loses no more than a few pings."""

import os
import signal
import time

import seed
from lab import wait_for
from steps import start_pair

VIP = seed.VIP1


def test_restart_after_kill9_never_duplicates(lab):
    cfg1 = seed.tweak(seed.load("single-master-node1"), preempt=False)
    d1, d2 = start_pair(lab, "vrrpd", cfg1, "vrrpd", seed.load("single-master-node2"))
    d1.kill9()
    d2.wait_log("master", timeout=seed.master_down_s(98) + 1)
    d1.start(wait_ready=False)
    # the stale VIP goes at start; sample who holds it for 5 s from there
    wait_for(lambda: lab.who_has(VIP) == ["r2"], 2, what="stale VIP removed on r1")
    t_end = time.time() + 5
    while time.time() < t_end:
        assert len(lab.who_has(VIP)) <= 1, lab.who_has(VIP)
        time.sleep(0.02)
    assert lab.who_has(VIP) == ["r2"]


def test_link_flap_storm(lab):
    d1, d2 = start_pair(lab, "vrrpd", seed.load("single-master-node1"),
                        "vrrpd", seed.load("single-master-node2"))
    t_end = time.time() + 10
    flaps = 0
    while flaps < 100 and time.time() < t_end:
        lab.link_down("r1")
        lab.link_up("r1")
        flaps += 1
        time.sleep(0.05)
    assert flaps >= 50, flaps
    lab.wait_holder(VIP, ["r1"], seed.master_down_s(100) + 3)
    time.sleep(1.5)
    assert lab.who_has(VIP) == ["r1"]
    assert d1.last_state() == "master" and d2.last_state() == "backup"
    # nothing leaked on the backup: only its own address
    assert lab.addrs("r2") == [lab.addr("r2")], lab.addrs("r2")


def test_sighup_storm_keeps_master(lab):
    d1, d2 = start_pair(lab, "vrrpd", seed.load("single-master-node1"),
                        "vrrpd", seed.load("single-master-node2"))
    p = lab.prober(VIP)
    p.start()
    t0 = time.time()
    n_master = d1.count("master")
    for _ in range(50):
        os.kill(d1.proc.pid, signal.SIGHUP)
        time.sleep(0.1)
    time.sleep(1)
    p.stop()
    assert d1.proc.poll() is None, d1.log()
    assert d1.count("master") == n_master, "r1 left master during the reload storm"
    assert d2.last_state() == "backup"
    assert lab.who_has(VIP) == ["r1"]
    out = p.outage_ms(since=t0)
    assert out is not None and out < 100, out
    assert d1.log().count("SIGHUP: reloading") >= 20
