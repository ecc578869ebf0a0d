"""Link down on the master: Fault state, VIP removed there and taken over by
the backup; link back: the master returns (preempt).  Two ways to lose the
link: the cable (switch port down, the router sees carrier loss) and an
operator's `ip link set eth0 down` on the router itself."""

import pytest

import seed
from steps import start_pair

VIP = seed.VIP1


@pytest.mark.parametrize("how", ["carrier", "admin"])
def test_link_down_fault_and_back(lab, impl, how):
    d1, d2 = start_pair(lab, impl, seed.load("single-master-node1"),
                        impl, seed.load("single-master-node2"))
    if how == "carrier":
        lab.link_down("r1")
    else:
        lab.ip("r1", "link", "set", "eth0", "down")
    d1.wait_log("fault", timeout=2)
    assert VIP not in lab.addrs("r1")
    lab.wait_holder(VIP, ["r2"], timeout=seed.master_down_s(98) + 0.5)

    if how == "carrier":
        lab.link_up("r1")
    else:
        lab.ip("r1", "link", "set", "eth0", "up")
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 1.5)
    d2.wait_log("backup", n=2, timeout=2)
    assert d1.last_state() == "master"


def test_ignore_link_down_keeps_master(lab, impl):
    """keepalived dont_track_primary (vrrpd ignore-link-down): the master
    whose cable is pulled stays master with its VIP (for routers cross-
    connected by that cable), where the plain master went to Fault above;
    the cable back, the backup hears it again and yields."""
    if impl != "vrrpd":
        pytest.skip("the vrrpd side of the option; the importer maps keepalived's")
    c1 = seed.tweak(seed.load("single-master-node1"), ignore_link_down=True)
    d1, d2 = start_pair(lab, impl, c1, impl, seed.load("single-master-node2"))
    lab.link_down("r1")
    # the backup stops hearing r1 and takes over; r1 never leaves master
    lab.wait_holder(VIP, ["r1", "r2"], timeout=seed.master_down_s(98) + 0.5)
    assert "FAULT" not in d1.log()
    assert d1.last_state() == "master"
    lab.link_up("r1")
    lab.wait_holder(VIP, ["r1"], timeout=3)
    d2.wait_log("backup", n=2, timeout=2)
    assert "FAULT" not in d1.log()
