"""Interop with FRR's vrrpd (zebra + vrrpd per namespace, see frr.py) as a
VRRPv3 peer of ours, on the wire of a namespace LAN.

  1. ours master (200), FRR backup (100): FRR accepts our adverts (its
     checksum includes the RFC 5798 5.2.8 pseudo-header, as ours does) and
     stays Backup; a graceful stop of ours (priority 0) makes FRR Master
     within its skew time, with the VIP forwarding on its macvlan.
  2. FRR master (200), ours backup (100): a graceful stop of FRR (it sends
     priority 0 too) -> ours takes over within skew; FRR returns and
     preempts us; a crash of FRR (SIGKILL) -> ours takes over after the
     master-down interval.
  3. The same election over IPv6 (RFC 5798 VRRPv3 for IPv6, ff02::12).

Timings come from pcap timestamps at the client, a neutral observer, as in
steps.py.  With VRRP_LAB_IMPL=keepalived (--impl keepalived) the same
scenarios run keepalived against FRR: the harness baseline.

What FRR 8.4 does that matters here (all measured in this lab):
  - It sends to and checksums for the fixed groups 224.0.0.18 / ff02::12
    only (the pseudo-header always uses them), so ours runs the default
    groups.  Its IPv4 v3 checksum includes the pseudo-header, as ours does;
    8.4 has no knob for it (later FRR versions added one to leave the
    pseudo-header out, for older peers; not needed here).
  - Adverts and gratuitous ARP / unsolicited NA leave from the virtual MAC
    (its macvlan); ours uses the interface MAC.  Both accept either.
  - Its timers are in ms from centiseconds: skew (256-100)*100/256 cs is
    truncated to 600 ms (RFC: 609 ms), master-down 3600 ms.
  - IPv6 only: on Backup -> Master it sends the unsolicited NA at once but
    delays the first advert to the next Adver_Timer ("Delaying VRRP
    advertisement until interface is up"), one interval later.
  - A Backup keeps the VIP on its macvlan (protodown): without arp_ignore=1
    and arp_announce=2 on the parent it answers ARP for the VIP (frr.py sets
    both).
"""

import re
import signal
import socket
import struct
import time

import pytest

import frr
import lab as labmod
from steps import MARGIN_S, takeover_after_prio0, takeover_after_silence, wait_quiet_s

_why = frr.missing()
pytestmark = [pytest.mark.interop,
              pytest.mark.skipif(_why is not None, reason=_why or "")]

VRID = 11
VIP = "10.10.1.1"
VIP6 = "2001:db8:10::1"
GROUP4, GROUP6 = "224.0.0.18", "ff02::12"
R1, R2 = "10.10.10.101", "10.10.10.102"
ADV_CS = 100


def skew_s(prio, adv_cs=ADV_CS):
    """RFC 5798 6.1: ((256 - Priority) * Master_Adver_Interval) / 256."""
    return (256 - prio) * adv_cs / 256.0 / 100.0


def master_down_s(prio, adv_cs=ADV_CS):
    return 3 * adv_cs / 100.0 + skew_s(prio, adv_cs)


def ours_config(priority, family="ipv4"):
    # accept-mode: the client pings the VIP (FRR's vrrpd accepts too; ours
    # would drop them as a non-owner master, RFC 5798 6.4.3)
    inst = {"name": "VI_1", "interface": labmod.IFNAME, "vrid": VRID, "version": 3,
            "priority": priority, "advertisement-interval": ADV_CS, "accept-mode": True}
    if family == "ipv6":
        inst["address-family"] = "ipv6"
        inst["virtual-address"] = [{"address": VIP6, "prefix-length": 64}]
    else:
        inst["virtual-address"] = [{"address": VIP, "prefix-length": 16}]
    return {"vrrpd:vrrpd": {"instance": [inst]}}


@pytest.fixture
def ours(impl):
    """The implementation facing FRR: vrrpd, or keepalived for the baseline."""
    return impl


@pytest.fixture
def frr_peer(lab):
    """Factory frr_peer(router) -> FrrRouter; FRR stopped after the test."""
    peers = []

    def factory(router):
        p = frr.FrrRouter(lab, router)
        peers.append(p)
        return p

    yield factory
    for p in peers:
        p.stop()


def start_frr(peer, priority, family="ipv4"):
    vip = VIP if family == "ipv4" else VIP6
    peer.add_macvlan(VRID, [vip], family)
    peer.start(frr.vrrp_config(VRID, [vip], priority=priority, adv_ms=ADV_CS * 10,
                               family=family))
    return peer


# ------------------------------------------------------------------ wire

def vrrp_frames(path):
    """Every VRRP frame of a pcap: dict with t, af, src, dst, ttl, ethsrc and
    the raw VRRP message (bytes) for an independent decode."""
    from scapy.all import rdpcap, conf as scapy_conf
    from scapy.layers.inet import IP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    scapy_conf.verb = 0
    out = []
    for p in rdpcap(path):
        if p.haslayer(IP) and p[IP].proto == 112:
            ip, af, ttl = p[IP], socket.AF_INET, p[IP].ttl
            raw = bytes(ip.payload)[:ip.len - ip.ihl * 4]
        elif p.haslayer(IPv6) and p[IPv6].nh == 112:
            ip, af, ttl = p[IPv6], socket.AF_INET6, p[IPv6].hlim
            raw = bytes(ip.payload)[:ip.plen]
        else:
            continue
        out.append(dict(t=float(p.time), af=af, src=ip.src, dst=ip.dst, ttl=ttl,
                        ethsrc=p[Ether].src, raw=raw, **decode_v3(raw, af)))
    return out


def decode_v3(raw, af):
    """RFC 5798 5.2: version/type, VRID, priority, count, 12-bit interval, addresses."""
    alen = 4 if af == socket.AF_INET else 16
    n = raw[3]
    addrs = [socket.inet_ntop(af, raw[8 + i * alen:8 + (i + 1) * alen]) for i in range(n)]
    return dict(version=raw[0] >> 4, type=raw[0] & 0x0f, vrid=raw[1], prio=raw[2],
                naddr=n, intvl_cs=struct.unpack("!H", raw[4:6])[0] & 0x0fff, addrs=addrs,
                length_ok=len(raw) == 8 + n * alen)


def _sum16(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def checksum_ok(f, pseudo=True):
    """RFC 5798 5.2.8: the checksum covers the pseudo-header for IPv4 too."""
    af, raw = f["af"], f["raw"]
    ph = b""
    if pseudo:
        src, dst = socket.inet_pton(af, f["src"]), socket.inet_pton(af, f["dst"])
        if af == socket.AF_INET:
            ph = src + dst + struct.pack("!BBH", 0, 112, len(raw))
        else:
            ph = src + dst + struct.pack("!I3xB", len(raw), 112)
    return _sum16(ph + raw) == 0xffff


def assert_v3_advert(f, src, prio, group, addrs, ethsrc=None):
    assert f["src"] == src and f["dst"] == group, f
    assert f["ttl"] == 255, f                          # RFC 5798 5.1.1.3 / 5.1.2.3
    assert f["version"] == 3 and f["type"] == 1, f
    assert f["vrid"] == VRID and f["prio"] == prio, f
    assert f["intvl_cs"] == ADV_CS and f["length_ok"], f
    assert f["addrs"] == list(addrs), f
    assert checksum_ok(f), "checksum without the pseudo-header? %s" % f
    if ethsrc:
        assert f["ethsrc"] == ethsrc, f


def ads(frames, src=None, prio=None):
    return [f for f in frames if f["type"] == 1 and
            (src is None or f["src"] == src) and (prio is None or f["prio"] == prio)]


def frr_garps(pcap, vip, after):
    """FRR's gratuitous ARPs come from the virtual MAC (RFC 5798 8.1.2)."""
    return [g for g in labmod.garps(labmod.parse_pcap(pcap), vip, ethsrc=frr.vmac(VRID))
            if g["t"] >= after]


def unsolicited_nas(path, target, ethsrc):
    """Times of unsolicited neighbour advertisements (RFC 5798 8.2.2) for target."""
    from scapy.all import rdpcap
    from scapy.layers.inet6 import ICMPv6ND_NA
    from scapy.layers.l2 import Ether
    return [float(p.time) for p in rdpcap(path)
            if p.haslayer(ICMPv6ND_NA) and p[ICMPv6ND_NA].tgt == target and
            p[Ether].src == ethsrc]


def client_neigh_mac(lab, vip):
    """Ping vip once from the client; the MAC the client resolved it to."""
    lab.exec("c", "ip", "neigh", "flush", "to", vip, check=False)
    lab.exec("c", "ping", "-n", "-c", "1", "-W", "1", vip)
    out = lab.ip("c", "neigh", "show", "to", vip)
    m = re.search(r"lladdr (\S+)", out)
    return m.group(1) if m else None


def no_drops(d):
    """Our daemon dropped none of FRR's adverts (checksum, address list...)."""
    return not re.search(r"dropped advert from", d.log())


def no_frr_rejects(peer):
    return not re.search(r"Bad VRRP checksum|[Dd]iscarding|Invalid", peer.log("vrrpd"))


# ------------------------------------------------------------------ tests

def test_ours_master_frr_backup(lab, ours, frr_peer, timing):
    d1 = lab.start("r1", ours, ours_config(200))
    f2 = start_frr(frr_peer("r2"), priority=100)
    lab.wait_holder(VIP, ["r1"], timeout=master_down_s(200) + 2)
    f2.wait_status(VRID, "Backup", timeout=2)
    with lab.capture() as cap:
        wait_quiet_s(2.2)
        rx0 = f2.show(VRID)["v4"]["stats"]["adverRx"]
        # FRR's backup: VIP on its macvlan, but protodown; the client
        # resolves the VIP to our master.
        assert not f2.holds(VIP, VRID) and f2.macvlan_link(VRID)[1]
        assert client_neigh_mac(lab, VIP) == lab.mac("r1")
        assert f2.status(VRID) == "Backup"
        t_stop = time.time()
        assert d1.stop() == 0, d1.log()
        f2.wait_status(VRID, "Master", timeout=skew_s(100) + 1, interval=0.01)
        t_master = time.time()
        labmod.wait_for(lambda: f2.holds(VIP, VRID), 1, what="VIP up on FRR's macvlan")
        wait_quiet_s(1.2)
    frames = vrrp_frames(cap.path)

    # FRR accepted every advert of ours (2 s at 1/s) and never rejected one.
    assert rx0 >= 2, f2.show(VRID)
    assert no_frr_rejects(f2), f2.log("vrrpd")
    before = ads(frames, src=R1)
    assert before, "no advert from r1"
    for f in before:
        assert_v3_advert(f, R1, 200 if f["prio"] else 0, GROUP4, [VIP])

    p0 = ads(frames, src=R1, prio=0)
    assert len(p0) == 1, p0
    after = [f for f in ads(frames, src=R2) if f["t"] > p0[0]["t"]]
    assert after, "no advert from FRR after our priority-0 advert"
    for f in after:
        assert_v3_advert(f, R2, 100, GROUP4, [VIP], ethsrc=frr.vmac(VRID))
    delay = after[0]["t"] - p0[0]["t"]
    timing("%s prio0 -> FRR master advert (skew %.3f)" % (ours, skew_s(100)), delay * 1000)
    timing("%s SIGTERM -> FRR Master seen by vtysh poll" % ours, (t_master - t_stop) * 1000)
    assert skew_s(100) - MARGIN_S <= delay <= skew_s(100) + MARGIN_S, delay
    assert frr_garps(cap.path, VIP, p0[0]["t"]), "no gratuitous ARP from FRR's virtual MAC"

    assert lab.who_has(VIP) == [], "our stopped daemon left the VIP"
    assert f2.holds(VIP, VRID)
    assert client_neigh_mac(lab, VIP) == frr.vmac(VRID)


def test_frr_master_ours_backup(lab, ours, frr_peer, timing):
    f1 = start_frr(frr_peer("r1"), priority=200)
    f1.wait_status(VRID, "Master", timeout=master_down_s(200) + 2)
    d2 = lab.start("r2", ours, ours_config(100))
    d2.wait_log("backup", timeout=3)
    assert lab.who_has(VIP) == []

    # (a) graceful stop of FRR: priority 0, ours takes over after its skew.
    with lab.capture() as cap:
        wait_quiet_s(2.2)
        assert f1.show(VRID)["v4"]["stats"]["adverRx"] == 0
        assert d2.last_state() == "backup", d2.log()
        assert f1.stop_vrrpd(signal.SIGTERM) == 0, f1.log("vrrpd")
        lab.wait_holder(VIP, ["r2"], timeout=skew_s(100) + 1)
        wait_quiet_s(0.3)
    frames = vrrp_frames(cap.path)
    for f in ads(frames, src=R1):
        assert_v3_advert(f, R1, 200 if f["prio"] else 0, GROUP4, [VIP],
                         ethsrc=frr.vmac(VRID))
    assert no_drops(d2), d2.log()
    pkts = labmod.parse_pcap(cap.path)
    p0, first, delay = takeover_after_prio0(pkts, R1, R2, VRID)
    timing("FRR SIGTERM prio0 -> %s master advert (skew %.3f)" % (ours, skew_s(100)),
           delay * 1000)
    assert skew_s(100) - MARGIN_S <= delay <= skew_s(100) + MARGIN_S, delay
    d2.wait_log("prio0_rcvd", timeout=1)
    d2.wait_log("master", timeout=1)
    assert not f1.holds(VIP, VRID)

    # (b) FRR comes back with 200 and preempts ours (after its own
    # master-down interval: FRR always starts as Backup).
    n_backup = d2.count("backup")
    f1.start_vrrpd(frr.vrrp_config(VRID, [VIP], priority=200, adv_ms=ADV_CS * 10))
    f1.wait_status(VRID, "Master", timeout=master_down_s(200) + 2)
    lab.wait_holder(VIP, [], timeout=2)
    d2.wait_log("backup", n=n_backup + 1, timeout=2)
    m = d2.grep("higher_prio")
    assert m and (m[-1].group(1), m[-1].group(2)) == ("200", "100"), d2.log()
    assert f1.holds(VIP, VRID)

    # (c) FRR crashes (SIGKILL: nothing sent): master-down interval.
    with lab.capture(name="crash") as cap:
        wait_quiet_s(1.1)
        t_kill = time.time()
        f1.stop_vrrpd(signal.SIGKILL)
        lab.wait_holder(VIP, ["r2"], timeout=master_down_s(100) + 1)
        wait_quiet_s(0.2)
    pkts = labmod.parse_pcap(cap.path)
    last, first, delay = takeover_after_silence(pkts, R1, R2, VRID, t_kill)
    timing("FRR SIGKILL last advert -> %s master advert (master-down %.3f)" %
           (ours, master_down_s(100)), delay * 1000)
    assert master_down_s(100) - MARGIN_S <= delay <= master_down_s(100) + MARGIN_S, delay
    for f in ads(vrrp_frames(cap.path), src=R2):
        assert_v3_advert(f, R2, 100, GROUP4, [VIP])
    assert no_drops(d2), d2.log()


def test_ipv6_ours_master_frr_backup(lab, ours, frr_peer, timing):
    d1 = lab.start("r1", ours, ours_config(200, "ipv6"))
    f2 = start_frr(frr_peer("r2"), priority=100, family="ipv6")
    f2.wait_status(VRID, "Backup", family="ipv6", timeout=master_down_s(100) + 2)
    labmod.wait_for(lambda: VIP6 in lab.ip("r1", "-6", "addr", "show", "dev", labmod.IFNAME),
                    master_down_s(200) + 2, what="IPv6 VIP on r1")
    with lab.capture(bpf="ip6 proto 112 or icmp6") as cap:
        wait_quiet_s(2.2)
        assert f2.status(VRID, "ipv6") == "Backup"
        assert f2.show(VRID)["v6"]["stats"]["adverRx"] >= 2
        assert d1.stop() == 0, d1.log()
        f2.wait_status(VRID, "Master", family="ipv6", timeout=skew_s(100) + 1, interval=0.01)
        wait_quiet_s(1.2)
    frames = vrrp_frames(cap.path)
    ours_ads = [f for f in ads(frames) if f["ethsrc"] == lab.mac("r1")]
    frr_ads = [f for f in ads(frames) if f["ethsrc"] == frr.vmac(VRID, "ipv6")]
    assert ours_ads and frr_ads, frames
    src1, src2 = ours_ads[0]["src"], frr_ads[0]["src"]
    assert src1.startswith("fe80:") and src2.startswith("fe80:")  # RFC 5798 5.1.2.1
    for f in ours_ads:
        assert_v3_advert(f, src1, 200 if f["prio"] else 0, GROUP6, [VIP6])
    for f in frr_ads:
        assert_v3_advert(f, src2, 100, GROUP6, [VIP6])
    p0 = ads(frames, src=src1, prio=0)
    assert len(p0) == 1, p0
    # FRR quirk (IPv6 only): it becomes Master after the skew time and sends
    # its unsolicited NA as soon as the macvlan leaves protodown, but logs
    # "Delaying VRRP advertisement until interface is up" and sends its
    # first advert only at the next Adver_Timer, one interval later.
    na = [t for t in unsolicited_nas(cap.path, VIP6, frr.vmac(VRID, "ipv6"))
          if t > p0[0]["t"]]
    assert na, "no unsolicited NA for %s from FRR" % VIP6
    na_delay = na[0] - p0[0]["t"]
    ad_delay = min(f["t"] for f in frr_ads if f["t"] > p0[0]["t"]) - p0[0]["t"]
    timing("%s v6 prio0 -> FRR unsolicited NA (skew %.3f)" % (ours, skew_s(100)),
           na_delay * 1000)
    timing("%s v6 prio0 -> FRR first advert (skew + 1 intvl)" % ours, ad_delay * 1000)
    assert skew_s(100) - MARGIN_S <= na_delay <= skew_s(100) + MARGIN_S, na_delay
    assert ad_delay <= skew_s(100) + ADV_CS / 100.0 + MARGIN_S, ad_delay
    assert no_frr_rejects(f2), f2.log("vrrpd")
    assert f2.holds(VIP6, VRID, "ipv6")


def test_ipv6_frr_master_ours_backup(lab, ours, frr_peer, timing):
    f1 = start_frr(frr_peer("r1"), priority=200, family="ipv6")
    f1.wait_status(VRID, "Master", family="ipv6", timeout=master_down_s(200) + 2)
    # FRR's IPv6 quirk again: Master for up to one interval before its first
    # advert (see above).  Started side by side, ours (master-down 3.61 s vs
    # FRR's 3.2 s) may fall into that gap and be master for a moment until
    # FRR's first advert preempts it; start ours once FRR really advertises.
    labmod.wait_for(lambda: f1.show(VRID)["v6"]["stats"]["adverTx"] >= 1, 2,
                    what="FRR's first IPv6 advert")
    d2 = lab.start("r2", ours, ours_config(100, "ipv6"))
    d2.wait_log("backup", timeout=3)
    with lab.capture(bpf="ip6 proto 112") as cap:
        wait_quiet_s(2.2)
        assert d2.last_state() == "backup", d2.log()
        assert VIP6 not in lab.ip("r2", "-6", "addr", "show", "dev", labmod.IFNAME)
        assert f1.stop_vrrpd(signal.SIGTERM) == 0, f1.log("vrrpd")
        labmod.wait_for(lambda: VIP6 in lab.ip("r2", "-6", "addr", "show", "dev",
                                                labmod.IFNAME),
                        skew_s(100) + 1, what="IPv6 VIP on r2")
        wait_quiet_s(0.3)
    frames = vrrp_frames(cap.path)
    frr_ads = [f for f in ads(frames) if f["ethsrc"] == frr.vmac(VRID, "ipv6")]
    ours_ads = [f for f in ads(frames) if f["ethsrc"] == lab.mac("r2")]
    assert frr_ads and ours_ads, frames
    for f in frr_ads:
        assert_v3_advert(f, frr_ads[0]["src"], 200 if f["prio"] else 0, GROUP6, [VIP6])
    for f in ours_ads:
        assert_v3_advert(f, ours_ads[0]["src"], 100, GROUP6, [VIP6])
    p0 = [f for f in frr_ads if f["prio"] == 0]
    assert len(p0) == 1, frr_ads
    assert all(f["t"] > p0[0]["t"] for f in ours_ads), "ours advertised as backup"
    delay = ours_ads[0]["t"] - p0[0]["t"]
    timing("FRR v6 SIGTERM prio0 -> %s master advert (skew %.3f)" % (ours, skew_s(100)),
           delay * 1000)
    assert skew_s(100) - MARGIN_S <= delay <= skew_s(100) + MARGIN_S, delay
    assert no_drops(d2), d2.log()
    d2.wait_log("prio0_rcvd", timeout=1)
