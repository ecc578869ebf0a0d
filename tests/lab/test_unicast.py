"""Issue 12, unicast peers, on a LAN whose switch floods no multicast
(`bridge link set ... mcast_flood off`, as in clouds and many VPNs).

The multicast seed on that LAN splits the brain (both routers master): that
proves the LAN really blocks multicast. With unicast peers there is exactly
one master, the adverts on the wire are addressed to the peer, and failover
works both ways — vrrpd with vrrpd, and vrrpd with keepalived in both roles,
keepalived running the same configuration rendered as keepalived.conf."""

import copy

import pytest

import lab as labmod
import seed
from steps import R1, R2, start_pair, wait_quiet_s

VIP = seed.VIP1


def unicast(cfg, peer):
    cfg = copy.deepcopy(cfg)
    seed.instance(cfg)["unicast"] = {"peer": [{"address": peer}]}
    return cfg


def test_multicast_blocked_means_split_brain(lab):
    lab.block_multicast()
    lab.start("r1", "vrrpd", seed.load("single-master-node1"))
    lab.start("r2", "vrrpd", seed.load("single-master-node2"))
    lab.wait_holder(VIP, ["r1", "r2"], timeout=seed.master_down_s(98) + 2)


@pytest.mark.parametrize("kinds", [("vrrpd", "vrrpd"), ("vrrpd", "keepalived"),
                                   ("keepalived", "vrrpd")],
                         ids=["vrrpd-vrrpd", "vrrpd-master-keepalived",
                              "keepalived-master-vrrpd"])
def test_unicast_one_master_and_failover(lab, kinds):
    lab.block_multicast()
    c1 = unicast(seed.load("single-master-node1"), R2)
    c2 = unicast(seed.load("single-master-node2"), R1)
    d1, d2 = start_pair(lab, kinds[0], c1, kinds[1], c2)
    with lab.capture("r2") as cap:
        wait_quiet_s(2.2)
    ads = [p for p in labmod.adverts(cap.packets()) if p["src"] == R1]
    assert len(ads) >= 2, "no unicast adverts from r1 reached r2"
    assert all(p["dst"] == R2 for p in ads), [p["dst"] for p in ads]
    assert lab.who_has(VIP) == ["r1"]

    assert d1.stop() == 0
    lab.wait_holder(VIP, ["r2"], timeout=seed.skew_s(98) + 1)
    d1.start()
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 1.5)
    d2.wait_log("backup", n=2, timeout=3)


def test_unicast_check_source_drops_strangers(lab):
    lab.block_multicast()
    c1 = unicast(seed.load("single-master-node1"), R2)
    c2 = unicast(seed.load("single-master-node2"), "10.10.10.99")
    seed.instance(c2)["unicast"]["check-source"] = True
    # r2 only trusts .99: r1's adverts are dropped and counted, r2 takes over
    d1 = lab.start("r1", "vrrpd", c1)
    d1.wait_log("master", timeout=seed.master_down_s(100) + 2)
    d2 = lab.start("r2", "vrrpd", c2)
    d2.wait_log("master", timeout=seed.master_down_s(98) + 2)
    st = d2.ctl("show", "instance", "VI_1")
    text = repr(st)
    assert "'unicast-source-errors': 0" not in text, text
    assert "unicast-source-errors" in text, text


def _ka_unicast(peer):
    def edit(text):
        return text.replace("vrrp_instance VI_1 {",
                            "vrrp_instance VI_1 {\n    unicast_peer {\n        %s\n    }" % peer, 1)
    return edit


@pytest.mark.parametrize("roles", [("vrrpd", "keepalived"), ("keepalived", "vrrpd")],
                         ids=["vrrpd-node1", "keepalived-node1"])
def test_unicast_same_keepalived_conf(lab, roles):
    """The seed's keepalived.conf with unicast_peer, run unchanged by vrrpd
    (--keepalived-conf) and keepalived on a LAN without multicast."""
    import kaimport_lab as ka
    lab.block_multicast()
    d1 = ka.start(lab, "r1", roles[0], "single-master-node1", edit=_ka_unicast(R2))
    d2 = ka.start(lab, "r2", roles[1], "single-master-node2", edit=_ka_unicast(R1))
    lab.wait_holder(VIP, ["r1"], seed.master_down_s(100) + 3)
    d2.wait_log("backup", timeout=5)
    assert d1.stop() == 0
    lab.wait_holder(VIP, ["r2"], seed.skew_s(98) + 1)
    d1.start()
    lab.wait_holder(VIP, ["r1"], seed.master_down_s(100) + 1.5)
