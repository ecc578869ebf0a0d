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
