"""Scenario steps shared by the lab tests: bring up a master/backup pair,
measure a takeover on the wire, check what an advert looks like.

Timings are taken from pcap timestamps at the client (a neutral observer on
the bridge), never from daemon logs, so vrrpd and keepalived are measured the
same way.
"""

import time

import lab as labmod
import seed

R1, R2, R3 = "10.10.10.101", "10.10.10.102", "10.10.10.103"
MARGIN_S = 0.1      # the tolerance on top of skew / master-down


def start_pair(lab, impl1, cfg1, impl2, cfg2, vip=seed.VIP1, instance="VI_1", timeout=12.0):
    """Start r1 (master-to-be) and r2, wait until only r1 holds vip and r2 is backup."""
    d1 = lab.start("r1", impl1, cfg1)
    d2 = lab.start("r2", impl2, cfg2)
    lab.wait_holder(vip, ["r1"], timeout)
    d2.wait_log("backup", instance, timeout=5)
    return d1, d2


def first_after(pkts, t, src, vrid):
    later = [p for p in labmod.adverts(pkts, src=src, vrid=vrid) if p["t"] > t and p["prio"] > 0]
    return later[0] if later else None


def takeover_after_prio0(pkts, old, new, vrid):
    """(prio-0 advert from old, first advert from new after it, delay s)."""
    p0 = labmod.adverts(pkts, src=old, vrid=vrid, prio=0)
    assert p0, "no priority-0 advert from %s on the wire" % old
    nxt = first_after(pkts, p0[0]["t"], new, vrid)
    assert nxt, "no advert from %s after the priority-0 advert" % new
    return p0[0], nxt, nxt["t"] - p0[0]["t"]


def takeover_after_silence(pkts, old, new, vrid, t_event):
    """(last advert from old before t_event, first from new after it, delay s)."""
    before = [p for p in labmod.adverts(pkts, src=old, vrid=vrid) if p["t"] <= t_event]
    assert before, "no advert from %s before the failure" % old
    last = before[-1]
    nxt = first_after(pkts, last["t"], new, vrid)
    assert nxt, "no advert from %s after %s went silent" % (new, old)
    return last, nxt, nxt["t"] - last["t"]


def assert_seed_advert(p, src, vrid=11, prio=100, version=2, password="11112222",
                       group=seed.GROUP, addrs=(seed.VIP1,)):
    """What the write-up's tcpdump showed: VRRPv2, Advertisement, vrid 11,
    prio 100, authtype simple, intvl 1s, to 224.0.122.22, TTL 255."""
    assert p["src"] == src and p["dst"] == group, p
    assert p["cksum_ok"], "bad VRRP checksum: %s" % p
    assert p["length"] == 8 + 4 * len(addrs) + (8 if version == 2 else 0), p
    assert p["ttl"] == 255, p                   # RFC 3768 5.2.3 / RFC 5798 5.1.1.3
    assert p["version"] == version and p["type"] == 1, p
    assert p["vrid"] == vrid and p["prio"] == prio, p
    assert p["intvl_cs"] == 100, p
    assert p["addrs"] == list(addrs), p
    if version == 2:
        assert p["authtype"] == 1, p            # simple text password
        assert p["auth"] == password.encode().ljust(8, b"\0"), p


def garps_after(lab, pkts, vip, router, t):
    mac = lab.mac(router)
    return [g for g in labmod.garps(pkts, vip, ethsrc=mac) if g["t"] >= t]


def wait_quiet_s(seconds):
    """A deliberate observation window (e.g. 'stays backup for 3 adverts')."""
    time.sleep(seconds)
