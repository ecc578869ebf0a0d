"""Minimal pcap reader for VRRP adverts (stdlib only).

scapy decodes ~5k packets/s; the 1000-instance jitter capture holds ~100k,
so the few fields we need are cut out of the bytes here.  Handles the
classic pcap format (us or ns timestamps) with Ethernet or Linux cooked
(SLL, SLL2) link layers.
"""

import socket
import struct

DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2 = 1, 113, 276


def frames(path):
    """Yield (t, ethertype bytes, L3 payload) of every frame in a pcap."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        endian = "<"
    else:
        endian = ">"
        magic = struct.unpack(">I", data[:4])[0]
    nano = magic == 0xa1b23c4d
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0fffffff
    l2 = {DLT_EN10MB: 14, DLT_LINUX_SLL: 16, DLT_LINUX_SLL2: 20}.get(linktype)
    if l2 is None:
        raise ValueError("unsupported link type %d" % linktype)
    rec = struct.Struct(endian + "IIII")
    off, n = 24, len(data)
    div = 1e9 if nano else 1e6
    while off + 16 <= n:
        sec, frac, incl, _ = rec.unpack_from(data, off)
        off += 16
        pkt = data[off:off + incl]
        off += incl
        if linktype == DLT_EN10MB:
            etype = pkt[12:14]
        elif linktype == DLT_LINUX_SLL:
            etype = pkt[14:16]
        else:
            etype = pkt[0:2]
        yield sec + frac / div, etype, pkt[l2:]


def vrrp_adverts(path):
    """[(t, src, vrrp_version, vrid, prio, interval_cs)] of every IPv4 VRRP packet."""
    out = []
    for t, etype, ip in frames(path):
        if etype != b"\x08\x00" or len(ip) < 20 or ip[9] != 112:
            continue
        ihl = (ip[0] & 0x0f) * 4
        v = ip[ihl:]
        if len(v) < 8:
            continue
        ver = v[0] >> 4
        adv_cs = (((v[4] & 0x0f) << 8) | v[5]) if ver == 3 else v[5] * 100
        out.append((t, socket.inet_ntoa(ip[12:16]), ver, v[1], v[2], adv_cs))
    return out


def gratuitous_arps(path):
    """[(t, address, sender MAC "aa:bb:..")] of every gratuitous ARP
    (sender address = target address, request or reply)."""
    out = []
    for t, etype, arp in frames(path):
        if etype != b"\x08\x06" or len(arp) < 28:
            continue
        spa, tpa = arp[14:18], arp[24:28]
        if spa == tpa:
            out.append((t, socket.inet_ntoa(spa), ":".join("%02x" % b for b in arp[8:14])))
    return out
