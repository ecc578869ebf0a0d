"""Issue 12, the virtual MAC (keepalived use_vmac, FRR's only mode): the client
resolves the VIP to 00:00:5e:00:01:VRID before and after a failover, so its
ARP cache never changes. vrrpd with vrrpd, with keepalived (use_vmac, same
configuration rendered as keepalived.conf) in both roles, and with FRR's
vrrpd in both roles. Measured here: while keepalived 2.2.7 is the master the
client resolves the VIP to keepalived's interface MAC (it neither sets
arp_announce on the parent nor keeps it from answering), so the MAC is
checked whenever vrrpd or FRR is the master, and keepalived is only required
to take the VIP over and give it back. Also: the master's adverts leave from the virtual MAC
(RFC 5798 7.2), and a macvlan deleted by hand is made again at once."""

import copy
import re

import pytest

import frr
import lab as labmod
import seed
from lab import wait_for
from steps import R1, R2
from test_interop_frr import (VRID, client_neigh_mac, frr_peer, ours_config,  # noqa: F401
                              start_frr, vrrp_frames, ads, master_down_s, skew_s)

VMAC = frr.vmac(VRID)
VIP = "10.10.1.1"


def with_vmac(cfg):
    cfg = copy.deepcopy(cfg)
    seed.instance(cfg)["virtual-mac"] = {"enabled": True}
    return cfg


def holds(lab, router, vip=VIP):
    """vip on any interface of router (the VIP lives on vrrp.VRID)."""
    out = lab.ip(router, "-o", "-4", "addr", "show")
    return re.search(r"inet %s/" % re.escape(vip), out) is not None


def holders(lab, vip=VIP):
    return [r for r in lab.routers if holds(lab, r, vip)]


def wait_holders(lab, want, timeout, vip=VIP):
    wait_for(lambda: sorted(holders(lab, vip)) == sorted(want), timeout,
             what="%s held by %s (now %s)" % (vip, want, holders(lab, vip)))


def seed_vmac(n):
    return with_vmac(seed.load("single-master-node%d" % n))


@pytest.mark.parametrize("kinds", [("vrrpd", "vrrpd"), ("vrrpd", "keepalived"),
                                   ("keepalived", "vrrpd")],
                         ids=["vrrpd-vrrpd", "vrrpd-master-keepalived",
                              "keepalived-master-vrrpd"])
def test_client_keeps_the_virtual_mac(lab, kinds):
    d1 = lab.start("r1", kinds[0], seed_vmac(1))
    d2 = lab.start("r2", kinds[1], seed_vmac(2))
    wait_holders(lab, ["r1"], seed.master_down_s(100) + 2)
    d2.wait_log("backup", timeout=5)
    if kinds[0] == "vrrpd":
        assert client_neigh_mac(lab, VIP) == VMAC
    with lab.capture() as cap:
        assert d1.stop() == 0
        wait_holders(lab, ["r2"], seed.skew_s(98) + 1)
        wait_for(lambda: ads(vrrp_frames(cap.path), src=R2), 2, what="r2's advert")
    if kinds[1] == "vrrpd":
        assert client_neigh_mac(lab, VIP) == VMAC
        # RFC 5798 7.2: the master's adverts leave from the virtual MAC
        assert all(f["ethsrc"] == VMAC for f in ads(vrrp_frames(cap.path), src=R2))
    d1.start()
    wait_holders(lab, ["r1"], seed.master_down_s(100) + 1.5)
    if kinds[0] == "vrrpd":
        assert client_neigh_mac(lab, VIP) == VMAC


def test_vmac_deleted_by_hand_comes_back(lab):
    d1 = lab.start("r1", "vrrpd", seed_vmac(1))
    d1.wait_log("master", timeout=seed.master_down_s(100) + 2)
    lab.ip("r1", "link", "del", "vrrp.11")
    wait_for(lambda: holds(lab, "r1"), 2, what="VIP back on a new vrrp.11")
    assert "virtual MAC interface vrrp.11 was removed; re-creating it" in d1.log()
    assert client_neigh_mac(lab, VIP) == VMAC
    d1.stop()
    assert "vrrp.11" not in lab.ip("r1", "link", "show")


@pytest.mark.skipif(frr.missing() is not None, reason=frr.missing() or "")
@pytest.mark.parametrize("ours_master", [True, False], ids=["vrrpd-master", "frr-master"])
def test_frr_with_virtual_mac(lab, frr_peer, ours_master):  # noqa: F811
    ours_prio, frr_prio = (200, 100) if ours_master else (100, 200)
    cfg = ours_config(ours_prio)
    seed.instance(cfg)["virtual-mac"] = {"enabled": True}
    d1 = lab.start("r1", "vrrpd", cfg)
    f2 = start_frr(frr_peer("r2"), priority=frr_prio)
    if ours_master:
        wait_for(lambda: holds(lab, "r1"), master_down_s(200) + 2, what="r1 master")
        f2.wait_status(VRID, "Backup", timeout=3)
        assert client_neigh_mac(lab, VIP) == VMAC
        assert d1.stop() == 0
        f2.wait_status(VRID, "Master", timeout=skew_s(100) + 1, interval=0.01)
        wait_for(lambda: f2.holds(VIP, VRID), 1, what="VIP on FRR's macvlan")
    else:
        f2.wait_status(VRID, "Master", timeout=master_down_s(200) + 3)
        d1.wait_log("backup", timeout=3)
        assert not holds(lab, "r1")
        assert client_neigh_mac(lab, VIP) == VMAC
        f2.stop()
        d1.wait_log("master", timeout=master_down_s(100) + 1)
        wait_for(lambda: holds(lab, "r1"), 1, what="VIP on r1")
    assert client_neigh_mac(lab, VIP) == VMAC
