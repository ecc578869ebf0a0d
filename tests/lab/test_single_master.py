"""The write-up's single-master pair (seed single-master-node1/2), scenarios 1-3
of ../shared/README.md: who is master, what is on the wire, graceful stop,
crash, preemption, no-preemption, three routers."""

import os
import signal
import time

import lab as labmod
import seed
from steps import (R1, R2, R3, MARGIN_S, start_pair, takeover_after_prio0,
                   takeover_after_silence, assert_seed_advert, garps_after, wait_quiet_s)

VIP = seed.VIP1


def test_single_master_and_wire(lab, impl):
    """node2 is master alone; node1 (100) comes up and takes over; node2 logs
    the write-up's lines; afterwards only node1 advertises, once a second."""
    d2 = lab.start("r2", impl, seed.load("single-master-node2"))
    lab.wait_holder(VIP, ["r2"], timeout=8)
    d1 = lab.start("r1", impl, seed.load("single-master-node1"))
    lab.wait_holder(VIP, ["r1"], timeout=5)
    d2.wait_log("backup", timeout=3)
    m = d2.grep("higher_prio")
    assert m and (m[-1].group(1), m[-1].group(2)) == ("100", "98"), d2.log()
    d2.wait_log("removing_vips", timeout=3)
    d1.wait_log("master", timeout=3)
    assert d1.grep("garp") and d1.grep("garp")[-1].group(2) == VIP, d1.log()

    with lab.capture() as cap:
        wait_quiet_s(3.3)
    pkts = cap.packets()
    ads = labmod.adverts(pkts)
    assert ads, "no adverts captured"
    assert {p["src"] for p in ads} == {R1}, "only the master advertises: %s" % ads
    assert 3 <= len(ads) <= 4, ads
    for p in ads:
        assert_seed_advert(p, R1)
    gaps = [b["t"] - a["t"] for a, b in zip(ads, ads[1:])]
    assert all(0.9 <= g <= 1.1 for g in gaps), gaps
    assert lab.who_has(VIP) == ["r1"]


def test_graceful_stop_skew_takeover(lab, impl, timing):
    """Stopping the master sends one priority-0 advert; the backup takes over
    after its skew time (256-98)/256 s and sends gratuitous ARPs."""
    d1, d2 = start_pair(lab, impl, seed.load("single-master-node1"),
                        impl, seed.load("single-master-node2"))
    probe = lab.prober(VIP).start()
    with lab.capture() as cap:
        t_stop = time.time()
        assert d1.stop() == 0, d1.log()
        lab.wait_holder(VIP, ["r2"], timeout=3)
        wait_quiet_s(0.3)
    probe.stop()
    pkts = cap.packets()
    p0, first, delay = takeover_after_prio0(pkts, R1, R2, 11)
    assert len(labmod.adverts(pkts, src=R1, prio=0)) == 1
    assert_seed_advert(p0, R1, prio=0)
    assert_seed_advert(first, R2, prio=98)
    skew = seed.skew_s(98)
    timing("prio0 -> backup advert (skew %.3f)" % skew, delay * 1000)
    assert skew - MARGIN_S <= delay <= skew + MARGIN_S, delay
    burst = [g for g in garps_after(lab, pkts, VIP, "r2", p0["t"]) if g["t"] - first["t"] < 0.1]
    assert len(burst) == 5, "expected 5 gratuitous ARPs at once (garp-master-repeat): %s" % burst
    d1.wait_log("prio0_sent", timeout=1)
    d2.wait_log("prio0_rcvd", timeout=1)
    d2.wait_log("master", timeout=1)
    d2.wait_log("adding_vips", timeout=1)
    outage = probe.outage_ms(since=t_stop)
    timing("client outage after graceful stop", outage)
    assert outage is not None and outage <= (skew + 2 * MARGIN_S) * 1000, outage


def test_kill9_master_down_takeover(lab, impl, timing):
    """A crashed master sends nothing; the backup takes over after the
    master-down interval 3 x 1 s + skew."""
    d1, d2 = start_pair(lab, impl, seed.load("single-master-node1"),
                        impl, seed.load("single-master-node2"))
    with lab.capture() as cap:
        wait_quiet_s(1.1)   # at least one advert of r1 before the crash
        t_kill = time.time()
        d1.kill9()
        d2.wait_log("master", timeout=seed.master_down_s(98) + 1)
        wait_quiet_s(0.2)
    pkts = cap.packets()
    assert not labmod.adverts(pkts, src=R1, prio=0), "a killed router sent priority 0"
    last, first, delay = takeover_after_silence(pkts, R1, R2, 11, t_kill)
    mdi = seed.master_down_s(98)
    timing("last advert -> backup advert (mdi %.3f)" % mdi, delay * 1000)
    assert mdi - MARGIN_S <= delay <= mdi + MARGIN_S, delay
    assert garps_after(lab, pkts, VIP, "r2", last["t"]), "no gratuitous ARP from r2"
    assert "r2" in lab.who_has(VIP)


def test_preempt_on_return(lab, impl):
    """node1 comes back after a stop: its higher priority takes the VIP back."""
    d1, d2 = start_pair(lab, impl, seed.load("single-master-node1"),
                        impl, seed.load("single-master-node2"))
    d1.stop()
    lab.wait_holder(VIP, ["r2"], timeout=3)
    n_backup = d2.count("backup")
    d1.start()
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 1.5)
    d2.wait_log("backup", n=n_backup + 1, timeout=2)
    m = d2.grep("higher_prio")
    assert m and (m[-1].group(1), m[-1].group(2)) == ("100", "98"), d2.log()
    assert d1.last_state() == "master"


def test_no_preempt(lab, impl):
    """With preempt off the returning higher-priority router stays backup
    until the current master fails."""
    c1 = seed.tweak(seed.load("single-master-node1"), preempt=False, initial_state="backup")
    c2 = seed.tweak(seed.load("single-master-node2"), preempt=False)
    d1 = lab.start("r1", impl, c1)
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 2)
    d2 = lab.start("r2", impl, c2)
    d2.wait_log("backup", timeout=3)
    d1.stop()
    lab.wait_holder(VIP, ["r2"], timeout=3)
    d1.start()
    d1.wait_log("backup", timeout=3)
    # Longer than a master-down interval: a preempting router would have won by now.
    wait_quiet_s(seed.master_down_s(100) + 0.5)
    assert lab.who_has(VIP) == ["r2"]
    assert d1.count("master") == 0, d1.log()
    d2.stop()
    lab.wait_holder(VIP, ["r1"], timeout=seed.skew_s(100) + 1)


def test_three_routers_highest_backup_wins(lab3, impl, timing):
    """With three routers only the highest-priority backup takes over."""
    lab = lab3
    c3 = seed.set_router_id(seed.tweak(seed.load("single-master-node2"), priority=50),
                            "10.10.10.103")
    d1, d2 = start_pair(lab, impl, seed.load("single-master-node1"),
                        impl, seed.load("single-master-node2"))
    d3 = lab.start("r3", impl, c3)
    d3.wait_log("backup", timeout=3)
    wait_quiet_s(1.2)   # r3 hears at least one advert of r1
    with lab.capture() as cap:
        d1.stop()
        lab.wait_holder(VIP, ["r2"], timeout=3)
        wait_quiet_s(seed.skew_s(50) + 0.8)   # past r3's skew time: it must stay quiet
    pkts = cap.packets()
    p0, first, delay = takeover_after_prio0(pkts, R1, R2, 11)
    timing("3 routers: prio0 -> r2 advert", delay * 1000)
    assert delay <= seed.skew_s(98) + MARGIN_S
    assert not labmod.adverts(pkts, src=R3), "r3 advertised"
    assert d3.count("master") == 0, d3.log()
    assert lab.who_has(VIP) == ["r2"]
