"""Password mismatch: each side drops the other's adverts (auth-errors,
logged at debug level), so neither defers to the other and both hold the
VIP -- the failure an operator must be able to diagnose from the logs."""

import lab as labmod
import seed
from steps import R1, R2, wait_quiet_s

VIP = seed.VIP1


def test_password_mismatch(lab, impl):
    c2 = seed.tweak(seed.load("single-master-node2"),
                    authentication={"type": "simple-password", "password": "wrongpw"})
    d1 = lab.start("r1", impl, seed.load("single-master-node1"))
    d2 = lab.start("r2", impl, c2)
    lab.wait_holder(VIP, ["r1", "r2"], timeout=seed.master_down_s(98) + 2)
    with lab.capture() as cap:
        wait_quiet_s(2.2)
    d1.wait_log("auth_drop", timeout=2)
    d2.wait_log("auth_drop", timeout=2)
    if impl == "vrrpd":
        assert {m.group(1) for m in d2.grep("auth_drop")} == {R1}, d2.log()
        assert {m.group(1) for m in d1.grep("auth_drop")} == {R2}, d1.log()
    # Neither side took the other's adverts into account.
    assert d2.count("higher_prio") == 0, d2.log()
    assert d1.count("backup") <= 1 and d1.last_state() == "master", d1.log()
    assert d2.last_state() == "master", d2.log()
    pkts = cap.packets()
    if impl == "vrrpd":
        # RFC 3768 6.4.3: a master advertises every interval whatever it receives.
        # (keepalived 2.2.7 re-arms its send timer on every packet it reads, even a
        # dropped one, so one of two keepalived masters can fall silent here.)
        assert labmod.adverts(pkts, src=R1) and labmod.adverts(pkts, src=R2)
    assert sorted(lab.who_has(VIP)) == ["r1", "r2"]


def test_password_mismatch_counted(lab, impl):
    """The drops are counted under auth-errors (RFC 8347 name), visible with
    vrrpctl."""
    import os
    import pytest
    if impl != "vrrpd":
        pytest.skip("counters are read through vrrpd's control socket")
    c2 = seed.tweak(seed.load("single-master-node2"),
                    authentication={"type": "simple-password", "password": "wrongpw"})
    d1 = lab.start("r1", impl, seed.load("single-master-node1"))
    d2 = lab.start("r2", impl, c2)
    lab.wait_holder(VIP, ["r1", "r2"], timeout=seed.master_down_s(98) + 2)
    wait_quiet_s(1.1)
    if not os.path.exists(d2.socket) or not os.access(labmod.VRRPCTL_BIN, os.X_OK):
        pytest.skip("vrrpd does not serve its control socket yet (issue 3)")
    for d in (d1, d2):
        stats = d.ctl("show", "statistics", "VI_1")
        auth = labmod.find_key(stats, "auth-errors")
        assert auth and max(auth) >= 1, stats
