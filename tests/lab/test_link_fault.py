"""Link down on the master: Fault state, VIP removed there and taken over by
the backup; link back: the master returns (preempt)."""

import seed

VIP = seed.VIP1


def test_link_down_fault_and_back(lab, impl, timing):
    from steps import start_pair
    d1, d2 = start_pair(lab, impl, seed.load("single-master-node1"),
                        impl, seed.load("single-master-node2"))
    lab.link_down("r1")      # carrier loss, as when the cable is pulled
    d1.wait_log("fault", timeout=2)
    assert VIP not in lab.addrs("r1")
    lab.wait_holder(VIP, ["r2"], timeout=seed.master_down_s(98) + 0.5)

    lab.link_up("r1")
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 1.5)
    d2.wait_log("backup", n=2, timeout=2)
    assert d1.last_state() == "master"
