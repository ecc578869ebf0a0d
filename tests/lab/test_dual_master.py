"""The write-up's dual-master pair (seed dual-master-node1/2), scenario 4 of
../shared/README.md: each node is master for one VIP."""

import lab as labmod
import seed
from steps import MARGIN_S, R1, R2, wait_quiet_s

VIP1, VIP2 = seed.VIP1, seed.VIP2


def test_dual_master_three_steps(lab, impl):
    # Step 1: node2 alone holds both VIPs (VI_1 as the only backup, VI_22 as master).
    d2 = lab.start("r2", impl, seed.load("dual-master-node2"))
    lab.wait_holder(VIP1, ["r2"], timeout=seed.master_down_s(98) + 2)
    lab.wait_holder(VIP2, ["r2"], timeout=2)

    # Step 2: node1 starts and takes 10.10.1.1 back; 10.10.1.2 stays on node2.
    d1 = lab.start("r1", impl, seed.load("dual-master-node1"))
    lab.wait_holder(VIP1, ["r1"], timeout=seed.master_down_s(100) + 1.5)
    d1.wait_log("backup", "VI_2", timeout=2)
    d2.wait_log("backup", "VI_1", n=1, timeout=2)
    assert lab.who_has(VIP2) == ["r2"]
    assert d1.count("master", "VI_2") == 0, d1.log()
    m = d2.grep("higher_prio", "VI_1")
    assert m and (m[-1].group(1), m[-1].group(2)) == ("100", "98"), d2.log()

    with lab.capture() as cap:
        wait_quiet_s(1.1)
    ads = labmod.adverts(cap.packets())
    assert {(p["src"], p["vrid"], p["prio"]) for p in ads} == {(R1, 11, 100), (R2, 21, 100)}, ads

    # Step 3: node2 stops; node1 holds both.
    d2.stop()
    lab.wait_holder(VIP2, ["r1"], timeout=seed.skew_s(98) + MARGIN_S + 0.5)
    assert lab.who_has(VIP1) == ["r1"]
    assert d1.last_state("VI_1") == "master" and d1.last_state("VI_2") == "master"
