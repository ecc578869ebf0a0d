"""Issue 12: virtual routes and rules (keepalived virtual_routes /
virtual_rules), static addresses, routes and rules, and accept-mode
enforced with nftables (RFC 5798 6.4.3).

- Virtual routes and rules are on the master only and move with it on
  failover; they carry protocol 112 and are gone from a router that left
  MASTER.
- accept-mode off: a non-owner master drops a ping to its VIP (the table
  inet vrrpd holds the VIP); on: the ping is answered; the address owner
  always answers.
- Static entries are there from start on (whatever the state) and gone at
  exit; after a graceful stop `nft list ruleset` has nothing of ours.
- After kill -9 the next start removes the routes the dead one left."""

import copy
import json

import seed
from lab import wait_for
from steps import start_pair

VIP = seed.VIP1
GW = "10.10.10.250"  # on the LAN: a gateway needs an on-link next hop

VROUTES = [
    {"id": 1, "destination": "192.0.2.0/24", "gateway": GW},
    {"id": 2, "destination": "198.51.100.0/24", "type": "blackhole", "table": 100},
    # src VIP: only possible once the VIP is on the interface
    {"id": 3, "destination": "203.0.113.0/24", "device": "eth0", "source": VIP},
]
VRULES = [{"id": 1, "from": "10.10.99.0/24", "table": 100, "priority": 1000}]


def with_routes(cfg):
    cfg = copy.deepcopy(cfg)
    inst = seed.instance(cfg)
    inst["virtual-route"] = copy.deepcopy(VROUTES)
    inst["virtual-rule"] = copy.deepcopy(VRULES)
    return cfg


def our_routes(lab, node):
    out = lab.ip(node, "route", "show", "table", "all", "proto", "112")
    return sorted(l.split()[0] if not l.startswith(("blackhole", "unreachable", "prohibit"))
                  else l.split()[1] for l in out.splitlines() if l.strip())


def our_rules(lab, node):
    out = lab.ip(node, "rule", "show")
    return [l for l in out.splitlines() if "proto 112" in l]


ALL = sorted(["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"])


def test_virtual_routes_on_master_only_and_move(lab):
    d1, d2 = start_pair(lab, "vrrpd", with_routes(seed.load("single-master-node1")),
                        "vrrpd", with_routes(seed.load("single-master-node2")))
    wait_for(lambda: our_routes(lab, "r1") == ALL, 3, what="r1's virtual routes")
    assert our_routes(lab, "r2") == []
    rules = our_rules(lab, "r1")
    assert len(rules) == 1 and "from 10.10.99.0/24" in rules[0] and "lookup 100" in rules[0], rules
    assert our_rules(lab, "r2") == []
    src = lab.ip("r1", "route", "show", "203.0.113.0/24", "proto", "112")
    assert "src %s" % VIP in src, src

    assert d1.stop() == 0
    lab.wait_holder(VIP, ["r2"], timeout=seed.skew_s(98) + 1)
    wait_for(lambda: our_routes(lab, "r2") == ALL, 3, what="r2's virtual routes")
    assert len(our_rules(lab, "r2")) == 1
    assert our_routes(lab, "r1") == [] and our_rules(lab, "r1") == []

    d1.start()  # preempts back
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 1.5)
    wait_for(lambda: our_routes(lab, "r1") == ALL and our_routes(lab, "r2") == [], 3,
             what="routes back on r1 only")
    assert our_rules(lab, "r2") == []


def ping_ok(lab, addr):
    r = lab.exec("c", "ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", addr, check=False)
    return " 0% packet loss" in r or ", 0% packet loss" in r or "2 received" in r


def nft_ruleset(lab, node):
    return lab.exec(node, "nft", "list", "ruleset")


def single(accept, priority=None):
    cfg = seed.load("single-master-node1")
    inst = seed.instance(cfg)
    inst["accept-mode"] = accept
    if priority is not None:
        inst["priority"] = priority
    return cfg


def test_accept_mode_enforced(lab):
    # non-owner master, accept-mode off: the VIP is in our set, pings die
    d = lab.start("r1", "vrrpd", single(False))
    d.wait_log("master", timeout=seed.master_down_s(100) + 2)
    lab.wait_holder(VIP, ["r1"], timeout=3)
    wait_for(lambda: VIP in nft_ruleset(lab, "r1"), 3, what="VIP in table inet vrrpd")
    assert "table inet vrrpd" in nft_ruleset(lab, "r1")
    assert not ping_ok(lab, VIP), "a non-owner master without accept-mode answered"
    assert ping_ok(lab, lab.addr("r1")), "the router's own address must still answer"
    assert d.stop() == 0
    assert "vrrpd" not in nft_ruleset(lab, "r1"), nft_ruleset(lab, "r1")

    # accept-mode on: answered, and the set stays empty
    d = lab.start("r1", "vrrpd", single(True))
    lab.wait_holder(VIP, ["r1"], timeout=seed.master_down_s(100) + 2)
    assert ping_ok(lab, VIP)
    assert VIP not in nft_ruleset(lab, "r1")
    assert d.stop() == 0

    # the owner (255) always accepts, whatever accept-mode says
    d = lab.start("r1", "vrrpd", single(False, priority=255))
    lab.wait_holder(VIP, ["r1"], timeout=3)
    assert ping_ok(lab, VIP)
    assert VIP not in nft_ruleset(lab, "r1")
    assert d.stop() == 0
    assert "vrrpd" not in nft_ruleset(lab, "r1")


def test_accept_mode_follows_failover(lab):
    # both non-owners without accept-mode: the set is on the master only
    d1, d2 = start_pair(lab, "vrrpd", single(False),
                        "vrrpd", seed.tweak(seed.load("single-master-node2"),
                                            accept_mode=False))
    wait_for(lambda: VIP in nft_ruleset(lab, "r1"), 3, what="r1 blocks")
    assert VIP not in nft_ruleset(lab, "r2")
    assert d1.stop() == 0
    lab.wait_holder(VIP, ["r2"], timeout=seed.skew_s(98) + 1)
    wait_for(lambda: VIP in nft_ruleset(lab, "r2"), 3, what="r2 blocks")
    assert not ping_ok(lab, VIP)


STATIC = {
    "address": [{"address": "10.10.77.1", "prefix-length": 24, "device": "eth0"}],
    "route": [{"id": 1, "destination": "192.0.2.128/25", "gateway": GW, "metric": 50}],
    "rule": [{"id": 1, "fwmark": 7, "table": 200, "priority": 2000}],
}


def test_static_entries_at_start_gone_at_exit(lab):
    cfg = seed.load("single-master-node2")  # a backup: statics do not care
    cfg["vrrpd:vrrpd"]["static"] = copy.deepcopy(STATIC)
    d = lab.start("r2", "vrrpd", cfg)
    d.wait_log("backup", timeout=5)
    wait_for(lambda: "10.10.77.1" in lab.addrs("r2"), 3, what="static address")
    assert our_routes(lab, "r2") == ["192.0.2.128/25"]
    rules = our_rules(lab, "r2")
    assert len(rules) == 1 and "fwmark 0x7" in rules[0] and "lookup 200" in rules[0], rules
    assert d.stop() == 0
    assert "10.10.77.1" not in lab.addrs("r2")
    assert our_routes(lab, "r2") == [] and our_rules(lab, "r2") == []
    assert "vrrpd" not in nft_ruleset(lab, "r2")


def test_kill9_leftovers_removed_at_start(lab):
    d1 = lab.start("r1", "vrrpd", with_routes(seed.load("single-master-node1")))
    d1.wait_log("master", timeout=seed.master_down_s(100) + 2)
    wait_for(lambda: our_routes(lab, "r1") == ALL, 3, what="virtual routes")
    d1.kill9()
    assert our_routes(lab, "r1") == ALL  # nothing cleaned them
    # restart as backup behind r2's higher priority: our leftovers must go
    cfg2 = seed.tweak(seed.load("single-master-node2"), priority=200)
    lab.start("r2", "vrrpd", cfg2).wait_log("master", timeout=seed.master_down_s(200) + 2)
    cfg1 = seed.tweak(with_routes(seed.load("single-master-node1")), initial_state="backup",
                      preempt=False)
    d1 = lab.start("r1", "vrrpd", cfg1)
    d1.wait_log("backup", timeout=5)
    assert our_routes(lab, "r1") == [] and our_rules(lab, "r1") == []
    assert "left by a previous vrrpd" in d1.log()
    json.dumps(cfg1)


def _hup(d, cfg):
    import os
    import signal
    with open(os.path.join(d.lab.dir, "%s.json" % d.router), "w") as f:
        json.dump(cfg, f)
    os.kill(d.proc.pid, signal.SIGHUP)


def test_reload_swaps_static_and_virtual_entries(lab):
    cfg = with_routes(seed.load("single-master-node1"))
    cfg["vrrpd:vrrpd"]["static"] = copy.deepcopy(STATIC)
    d = lab.start("r1", "vrrpd", cfg)
    d.wait_log("master", timeout=seed.master_down_s(100) + 2)
    wait_for(lambda: our_routes(lab, "r1") == sorted(ALL + ["192.0.2.128/25"]), 3,
             what="static and virtual routes")
    # one virtual route and the static route change; the address stays
    new = copy.deepcopy(cfg)
    seed.instance(new)["virtual-route"][0]["destination"] = "192.0.2.64/26"
    new["vrrpd:vrrpd"]["static"]["route"][0]["destination"] = "198.18.0.0/15"
    _hup(d, new)
    want = sorted(["192.0.2.64/26", "198.51.100.0/24", "203.0.113.0/24", "198.18.0.0/15"])
    wait_for(lambda: our_routes(lab, "r1") == want, 3, what="routes after reload")
    assert "10.10.77.1" in lab.addrs("r1")
    assert d.count("master") == 1  # no restart, no flap
    assert d.stop() == 0
    assert our_routes(lab, "r1") == [] and "10.10.77.1" not in lab.addrs("r1")


def test_accept_filter_survives_nft_flush(lab):
    d1, d2 = start_pair(lab, "vrrpd", single(False),
                        "vrrpd", seed.tweak(seed.load("single-master-node2"),
                                            accept_mode=False))
    wait_for(lambda: VIP in nft_ruleset(lab, "r1"), 3, what="r1 blocks")
    lab.exec("r2", "nft", "flush", "ruleset")  # r2's table is gone
    assert d1.stop() == 0
    lab.wait_holder(VIP, ["r2"], timeout=seed.skew_s(98) + 1)
    # r2's first batch is refused: it makes its table again and blocks
    wait_for(lambda: VIP in nft_ruleset(lab, "r2"), 3, what="r2 re-made its table")
    assert not ping_ok(lab, VIP)
    assert "accept-mode filter not updated" not in d2.log()
