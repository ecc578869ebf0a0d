"""Issue 10, addresses: what vrrpd does with addresses it did not expect.

- A VIP deleted by hand on the master comes back (keepalived restores it too).
- An address the operator configured before vrrpd added it as a VIP stays when
  vrrpd releases its VIPs (vrrpd tags its own addresses with IFA_PROTO 112;
  Debian 12's iproute2 does not show the tag, so the two tests below that tell
  the operator's address from a stale one of ours are what proves it).
- A vrrpd killed with SIGKILL leaves its VIPs; the next vrrpd on that router
  removes them at start, so they are never held twice while another router is
  master.
- The instance follows its interface by name: renamed away -> Fault, renamed
  back -> the instance re-attaches and wins again.
"""

import time

import seed
from lab import wait_for
from steps import start_pair

VIP = seed.VIP1


def test_vip_deleted_by_hand_is_restored(lab):
    d1, _ = start_pair(lab, "vrrpd", seed.load("single-master-node1"),
                       "vrrpd", seed.load("single-master-node2"))
    lab.ip("r1", "addr", "del", VIP + "/16", "dev", "eth0")
    wait_for(lambda: VIP in lab.addrs("r1"), 2.0, interval=0.02,
             what="VIP restored on r1")
    assert "VIP 10.10.1.1 was removed from eth0; restoring it" in d1.log()
    lab.wait_holder(VIP, ["r1"], timeout=1)


def test_operator_address_survives_release(lab):
    lab.ip("r1", "addr", "add", VIP + "/16", "dev", "eth0")
    d1 = lab.start("r1", "vrrpd", seed.load("single-master-node1"))
    d1.wait_log("master", timeout=seed.master_down_s(100) + 2)
    assert "already configured on eth0 by someone else" in d1.log()
    d1.stop()
    assert VIP in lab.addrs("r1"), "vrrpd removed the operator's address"


def test_stale_vip_of_killed_daemon_removed_at_start(lab):
    cfg1 = seed.tweak(seed.load("single-master-node1"), preempt=False)
    d1, d2 = start_pair(lab, "vrrpd", cfg1, "vrrpd", seed.load("single-master-node2"))
    d1.kill9()
    assert VIP in lab.addrs("r1")      # left behind by the killed daemon
    d2.wait_log("master", timeout=seed.master_down_s(98) + 1)
    lab.wait_holder(VIP, ["r1", "r2"], timeout=1)  # the duplicate the fix removes
    d1 = lab.start("r1", "vrrpd", cfg1)
    lab.wait_holder(VIP, ["r2"], timeout=1.0)
    assert "removing stale VIP 10.10.1.1 on eth0" in d1.log()
    # and it never comes back while r2 is master (no preempt)
    time.sleep(seed.master_down_s(100) + 0.5)
    assert lab.who_has(VIP) == ["r2"]


def test_interface_rename_and_back(lab):
    d1 = lab.start("r1", "vrrpd", seed.load("single-master-node1"))
    d1.wait_log("master", timeout=seed.master_down_s(100) + 2)
    for cmd in (["link", "set", "eth0", "down"], ["link", "set", "eth0", "name", "lanx"],
                ["link", "set", "lanx", "up"]):
        lab.ip("r1", *cmd)
    d1.wait_log("fault", timeout=2)
    assert "10.10.1.1" not in lab.ip("r1", "addr", "show", "dev", "lanx")
    for cmd in (["link", "set", "lanx", "down"], ["link", "set", "lanx", "name", "eth0"],
                ["link", "set", "eth0", "up"]):
        lab.ip("r1", *cmd)
    d1.wait_log("master", n=2, timeout=seed.master_down_s(100) + 2)
    lab.wait_holder(VIP, ["r1"], timeout=1)
