"""The seed's configurations as vrrpd JSON, for the lab scenarios.

The canonical copies are tests/data/<name>.json (the keepalived seeds of
../shared/seed-configs translated to our YANG model, interface "eth0" as a
placeholder).  When a file is not there yet the equivalent built-in below is
used, so the lab never depends on ../shared.  Scenarios take a deep copy and
tweak it (priority, preempt, password, version) with the helpers here.
"""

import copy
import json
import os

DATA_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "data"))
GROUP = "224.0.122.22"
VIP1 = "10.10.1.1"
VIP2 = "10.10.1.2"


def _inst(name, vrid, prio, state, password, vip):
    return {"name": name, "interface": "eth0", "vrid": vrid, "version": 2, "priority": prio,
            "advertisement-interval": 100, "initial-state": state,
            "authentication": {"type": "simple-password", "password": password},
            "virtual-address": [{"address": vip, "prefix-length": 16, "device": "eth0"}]}


def _cfg(router_id, instances):
    return {"vrrpd:vrrpd": {"global": {"router-id": router_id, "multicast-group-v4": GROUP},
                            "instance": instances}}


BUILTIN = {
    "single-master-node1": _cfg("10.10.10.101", [
        _inst("VI_1", 11, 100, "master", "11112222", VIP1)]),
    "single-master-node2": _cfg("10.10.10.102", [
        _inst("VI_1", 11, 98, "backup", "11112222", VIP1)]),
    "dual-master-node1": _cfg("10.10.10.101", [
        _inst("VI_1", 11, 100, "master", "11112222", VIP1),
        _inst("VI_2", 21, 98, "backup", "22221111", VIP2)]),
    "dual-master-node2": _cfg("10.10.10.102", [
        _inst("VI_1", 11, 98, "backup", "11112222", VIP1),
        _inst("VI_22", 21, 100, "master", "22221111", VIP2)]),
}


def load(name, ifname="eth0"):
    """The seed config `name` (e.g. single-master-node1) with its interface
    placeholder replaced by ifname."""
    path = os.path.join(DATA_DIR, name + ".json")
    if os.path.exists(path):
        with open(path) as f:
            cfg = json.load(f)
    else:
        cfg = copy.deepcopy(BUILTIN[name])
    return set_interface(cfg, ifname)


def set_interface(cfg, ifname):
    for inst in instances(cfg):
        if inst.get("interface") == "eth0":
            inst["interface"] = ifname
        for va in inst.get("virtual-address", []):
            if va.get("device") == "eth0":
                va["device"] = ifname
    return cfg


def instances(cfg):
    return cfg["vrrpd:vrrpd"].get("instance", [])


def instance(cfg, name=None):
    insts = instances(cfg)
    return insts[0] if name is None else next(i for i in insts if i["name"] == name)


def tweak(cfg, name=None, **fields):
    """Set instance fields; keyword names use '_' for '-' (preempt_delay=...)."""
    inst = instance(cfg, name)
    for k, v in fields.items():
        inst[k.replace("_", "-")] = v
    return cfg


def as_v3(cfg):
    """VRRPv3 variant: no authentication (RFC 5798 removed it)."""
    for inst in instances(cfg):
        inst["version"] = 3
        inst.pop("authentication", None)
    return cfg


def set_router_id(cfg, rid):
    cfg["vrrpd:vrrpd"].setdefault("global", {})["router-id"] = rid
    return cfg


def skew_s(prio, adv_cs=100):
    """RFC 3768 6.1 / RFC 5798 6.1: skew time (v2: (256-prio)/256 s at 1 s)."""
    return (256 - prio) * (adv_cs / 100.0) / 256.0


def master_down_s(prio, adv_cs=100):
    return 3 * adv_cs / 100.0 + skew_s(prio, adv_cs)
