"""RFC behaviours beyond the write-up, checked between real routers:
address owner, equal-priority tie-break, the GARP schedule, and VRRPv3
backups learning the master's advertisement interval."""

import time

import lab as labmod
import seed
from steps import R1, R2, MARGIN_S, takeover_after_silence, wait_quiet_s

VIP = seed.VIP1


def test_address_owner_is_master_at_once(lab, impl, timing):
    """RFC 3768 6.4.1: priority 255 goes straight to Master at startup."""
    # initial-state master only for keepalived, which needs it to honour 255.
    c1 = seed.tweak(seed.load("single-master-node1"), priority=255)
    d2 = lab.start("r2", impl, seed.load("single-master-node2"))
    lab.wait_holder(VIP, ["r2"], timeout=seed.master_down_s(98) + 2)
    t0 = time.time()
    lab.start("r1", impl, c1)
    lab.wait_holder(VIP, ["r1"], timeout=1.5)
    timing("owner start -> holds VIP", (time.time() - t0) * 1000)
    d2.wait_log("backup", n=2, timeout=2)


def test_split_brain_heals_equal_priority_higher_address_wins(lab, impl):
    """RFC 3768 6.4.3 / RFC 5798 6.4.3: two masters of equal priority that
    meet again: the one with the lower primary address becomes backup.
    (A backup at equal priority simply defers to a running master, 6.4.2,
    so the two masters are made by partitioning the LAN first.)"""
    c1 = seed.tweak(seed.load("single-master-node1"), priority=100)
    c2 = seed.tweak(seed.load("single-master-node2"), priority=100)
    lab.partition("r2")
    d1 = lab.start("r1", impl, c1)
    d2 = lab.start("r2", impl, c2)
    lab.wait_holder(VIP, ["r1", "r2"], timeout=seed.master_down_s(100) + 2)
    d1.wait_log("master", timeout=2)
    d2.wait_log("master", timeout=2)
    lab.heal("r2")
    lab.wait_holder(VIP, ["r2"], timeout=2.5)
    labmod.wait_for(lambda: d1.last_state() == "backup", 1, what="r1 back to backup")
    wait_quiet_s(1.2)
    assert lab.who_has(VIP) == ["r2"]
    assert d1.last_state() == "backup" and d2.last_state() == "master"


def test_garp_bursts(lab, impl):
    """garp-master-repeat packets at once, the same again garp-master-delay s later."""
    cfg = seed.load("single-master-node1")
    cfg["vrrpd:vrrpd"]["global"].update({"garp-master-delay": 2, "garp-master-repeat": 3})
    with lab.capture() as cap:
        lab.start("r1", impl, cfg)
        lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 2)
        wait_quiet_s(2.6)
    g = labmod.garps(cap.packets(), VIP, ethsrc=lab.mac("r1"))
    assert g, "no gratuitous ARP"
    t0 = g[0]["t"]
    first = [x for x in g if x["t"] - t0 < 0.2]
    second = [x for x in g if 1.9 <= x["t"] - t0 <= 2.3]
    assert len(first) == 3 and len(second) == 3, [round(x["t"] - t0, 3) for x in g]
    assert len(g) == 6, [round(x["t"] - t0, 3) for x in g]


def test_v3_backup_learns_master_interval(lab, impl, timing):
    """RFC 5798 6.4.2: a v3 backup uses the master's advertisement interval for
    its master-down interval (here 0.5 s instead of its own 1 s)."""
    c1 = seed.tweak(seed.as_v3(seed.load("single-master-node1")), advertisement_interval=50)
    c2 = seed.as_v3(seed.load("single-master-node2"))
    d1 = lab.start("r1", impl, c1)
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100, 50) + 2)
    d2 = lab.start("r2", impl, c2)
    d2.wait_log("backup", timeout=2)
    wait_quiet_s(1.2)
    with lab.capture() as cap:
        wait_quiet_s(0.6)
        t_kill = time.time()
        d1.kill9()
        d2.wait_log("master", timeout=4)
        wait_quiet_s(0.2)
    pkts = cap.packets()
    assert all(p["intvl_cs"] == 50 for p in labmod.adverts(pkts, src=R1)), pkts
    last, first, delay = takeover_after_silence(pkts, R1, R2, 11, t_kill)
    mdi = seed.master_down_s(98, 50)
    timing("v3 learned interval: last advert -> r2 (mdi %.3f)" % mdi, delay * 1000)
    assert mdi - MARGIN_S <= delay <= mdi + MARGIN_S, delay
