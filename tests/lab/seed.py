"""The seed's configurations as vrrpd JSON, for the lab scenarios.

They live in tests/data/<name>.json (the keepalived seeds of
../shared/seed-configs translated to our YANG model, canonical form, interface
"eth0" as a placeholder); the keepalived originals are kept verbatim in
tests/data/keepalived/.  Scenarios load a fresh copy and tweak it (priority,
preempt, password, version) with the helpers here.
"""

import json
import os

DATA_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "data"))
GROUP = "224.0.122.22"
VIP1 = "10.10.1.1"
VIP2 = "10.10.1.2"


def load(name, ifname="eth0"):
    """The seed config `name` (e.g. single-master-node1) with its interface
    placeholder replaced by ifname."""
    with open(os.path.join(DATA_DIR, name + ".json")) as f:
        return set_interface(json.load(f), ifname)


def keepalived_original(name, ifname="eth0"):
    """The seed's keepalived.conf text, verbatim but for the interface (ens33)."""
    with open(os.path.join(DATA_DIR, "keepalived", name + ".conf")) as f:
        return f.read().replace("ens33", ifname)


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
