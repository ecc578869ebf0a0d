"""Interop with Debian's keepalived on the wire: vrrpd master + keepalived
backup and the reverse, VRRPv2 with the seed's password and VRRPv3; failover
both ways (graceful stop of the master, then preemption on its return).

With VRRP_LAB_IMPL=keepalived both sides run keepalived: the harness baseline."""

import os

import pytest

import lab as labmod
import seed
from steps import (R1, R2, MARGIN_S, start_pair, takeover_after_prio0, assert_seed_advert,
                   garps_after, wait_quiet_s)

VIP = seed.VIP1
pytestmark = pytest.mark.interop


def _ours(request):
    return request.config.getoption("--impl")


@pytest.mark.parametrize("version", [2, 3], ids=["v2-password", "v3"])
@pytest.mark.parametrize("roles", [("vrrpd", "keepalived"), ("keepalived", "vrrpd")],
                         ids=["vrrpd-master", "keepalived-master"])
def test_interop_failover_both_ways(lab, request, roles, version, timing):
    ours = _ours(request)
    if ours == "vrrpd" and not os.access(labmod.VRRPD_BIN, os.X_OK):
        pytest.fail("vrrpd not built (%s)" % labmod.VRRPD_BIN)
    kind1, kind2 = [ours if k == "vrrpd" else k for k in roles]
    c1, c2 = seed.load("single-master-node1"), seed.load("single-master-node2")
    if version == 3:
        c1, c2 = seed.as_v3(c1), seed.as_v3(c2)
    else:
        # keepalived runs the seed's own file, odd indentation and all.
        if kind1 == "keepalived":
            c1 = seed.keepalived_original("single-master-node1")
        if kind2 == "keepalived":
            c2 = seed.keepalived_original("single-master-node2")

    d1, d2 = start_pair(lab, kind1, c1, kind2, c2)
    with lab.capture() as cap:
        wait_quiet_s(1.1)
        assert d1.stop() == 0, d1.log()
        lab.wait_holder(VIP, ["r2"], timeout=seed.skew_s(98) + 1)
        wait_quiet_s(0.2)
    pkts = cap.packets()
    before = [p for p in labmod.adverts(pkts) if p["prio"] > 0 and p["src"] == R1]
    assert before, "no advert from r1"
    for p in before:
        assert_seed_advert(p, R1, version=version)
    p0, first, delay = takeover_after_prio0(pkts, R1, R2, 11)
    assert_seed_advert(first, R2, prio=98, version=version)
    timing("%s->%s v%d prio0 -> takeover" % (kind1, kind2, version), delay * 1000)
    assert delay <= seed.skew_s(98) + MARGIN_S, delay
    assert garps_after(lab, pkts, VIP, "r2", p0["t"]), "no gratuitous ARP from r2"
    d2.wait_log("master", timeout=1)

    # The other way: r1 returns and preempts the peer implementation.
    n_backup = d2.count("backup")
    d1.start()
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 1.5)
    d2.wait_log("backup", n=n_backup + 1, timeout=2)
    m = d2.grep("higher_prio")
    assert m and (m[-1].group(1), m[-1].group(2)) == ("100", "98"), d2.log()
