#!/usr/bin/python3
"""Regenerate the seed corpora in fuzz/corpus/ (committed; `make fuzz` does
not run this). Adverts are built by scapy, an implementation independent of
ours, with its own checksums; configurations come from tests/data/; the
JSON-RPC requests are the forms man/vrrpd-rpc.7 documents.

Run from the repository root: /usr/bin/python3 fuzz/make_seeds.py
"""
import json
import os
import shutil
import socket
import struct

from scapy.layers.inet import IP
from scapy.layers.inet6 import IPv6
from scapy.layers.vrrp import VRRP, VRRPv3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
DATA = os.path.join(ROOT, "tests", "data")

# fuzz_decode.c / fuzz_rx.c flag bits
DEC_IPV6, DEC_FIX, DEC_CHECK_ADDRS, DEC_V3, DEC_FROM_PKT, DEC_AUTH = 1, 2, 8, 16, 32, 64
RX_IPV6, RX_V4_CTL = 1, 4
IP_PKTINFO = 8  # <linux/in.h>; Python's socket module does not export it
SCM_TIMESTAMPNS = 35  # <asm-generic/socket.h> SO_TIMESTAMPNS_OLD, the 64-bit timespec

AUTH = int.from_bytes(b"1111", "big"), int.from_bytes(b"2222", "big")


def adverts():
    """(name, ip packet) pairs: the seed configs' adverts and a few more."""
    v2 = IP(src="10.10.10.101", dst="224.0.122.22", ttl=255) / VRRP(
        vrid=11, priority=100, addrlist=["10.10.1.1"], authtype=1,
        auth1=AUTH[0], auth2=AUTH[1])
    v2_prio0 = IP(src="10.10.10.101", dst="224.0.122.22", ttl=255) / VRRP(
        vrid=11, priority=0, addrlist=["10.10.1.1"], authtype=1,
        auth1=AUTH[0], auth2=AUTH[1])
    v2_noauth = IP(src="10.10.10.102", dst="224.0.0.18", ttl=255) / VRRP(
        vrid=21, priority=98, addrlist=["10.10.1.2", "10.10.1.3"])
    v3_4 = IP(src="10.10.10.101", dst="224.0.0.18", ttl=255) / VRRPv3(
        vrid=11, priority=100, adv=100, addrlist=["10.10.1.1"])
    v3_6 = IPv6(src="fe80::1", dst="ff02::12", hlim=255) / VRRPv3(
        vrid=11, priority=100, adv=100, addrlist=["2001:db8::1", "fe80::100"])
    v3_6_owner = IPv6(src="fe80::2", dst="ff02::12", hlim=255) / VRRPv3(
        vrid=7, priority=255, adv=10, addrlist=["2001:db8::7"])
    return [("v2-ipv4-auth", v2), ("v2-ipv4-prio0", v2_prio0),
            ("v2-ipv4-noauth-2addr", v2_noauth), ("v3-ipv4", v3_4),
            ("v3-ipv6", v3_6), ("v3-ipv6-owner", v3_6_owner)]


def write(harness, name, data):
    d = os.path.join(CORPUS, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def cmsg(level, ctype, data):
    """One control message as the kernel lays it out on x86_64 (RFC 3542)."""
    hdr = struct.pack("=Qii", 16 + len(data), level, ctype)
    pad = (-len(data)) % 8
    return hdr + data + b"\0" * pad


def rx_v6(pkt, hoplimit=True, pktinfo=True, stamp=False):
    ip6 = pkt[IPv6]
    payload = bytes(ip6.payload)
    name = struct.pack("=HHI", socket.AF_INET6, 0, 0) + \
        socket.inet_pton(socket.AF_INET6, ip6.src) + struct.pack("=I", 2)
    ctl = b""
    if hoplimit:
        ctl += cmsg(socket.IPPROTO_IPV6, socket.IPV6_HOPLIMIT,
                    struct.pack("=i", ip6.hlim))
    if pktinfo:
        ctl += cmsg(socket.IPPROTO_IPV6, socket.IPV6_PKTINFO,
                    socket.inet_pton(socket.AF_INET6, ip6.dst) + struct.pack("=I", 2))
    if stamp:
        ctl += cmsg(socket.SOL_SOCKET, SCM_TIMESTAMPNS, struct.pack("=qq", 1800000000, 123456789))
    return bytes([RX_IPV6, len(name)]) + name + bytes([len(ctl)]) + ctl + payload


def rx_v4_pktinfo(pkt, ifindex=7):
    """An IPv4 datagram as the shared virtual-MAC receiver gets it: with
    the IP_PKTINFO message that names the arrival interface."""
    ip = pkt[IP]
    info = struct.pack("=i", ifindex) + socket.inet_aton(ip.dst) + \
        socket.inet_aton(ip.dst)
    ctl = cmsg(socket.IPPROTO_IP, IP_PKTINFO, info)
    return bytes([RX_V4_CTL, len(ctl)]) + ctl + bytes(pkt)


def packets():
    for name, pkt in adverts():
        raw = bytes(pkt)
        if IP in pkt:
            ip = pkt[IP]
            payload = bytes(ip.payload)
            flags = DEC_CHECK_ADDRS | DEC_FROM_PKT
            if ip.payload.version == 3:
                flags |= DEC_V3
            elif ip.payload.authtype == 1:
                flags |= DEC_AUTH
            write("fuzz_decode", name, bytes([flags, 255]) + payload)
            write("fuzz_rx", name, bytes([0]) + raw)
            write("fuzz_rx", name + "-pktinfo", rx_v4_pktinfo(pkt))
        else:
            payload = bytes(pkt[IPv6].payload)
            write("fuzz_decode", name,
                  bytes([DEC_IPV6 | DEC_V3 | DEC_CHECK_ADDRS | DEC_FROM_PKT, 255]) + payload)
            write("fuzz_rx", name, rx_v6(pkt))
            write("fuzz_rx", name + "-no-hoplimit", rx_v6(pkt, hoplimit=False))
            write("fuzz_rx", name + "-stamp", rx_v6(pkt, stamp=True))
    # An IPv4 header with options (ihl 6): the payload offset follows ihl.
    v3 = adverts()[3][1]
    ip = bytearray(bytes(v3[IP])[:20])
    ip[0] = 0x46
    struct.pack_into("!H", ip, 2, 24 + len(bytes(v3[IP].payload)))
    write("fuzz_rx", "v3-ipv4-options",
          bytes([0]) + bytes(ip) + b"\x01\x01\x00\x00" + bytes(v3[IP].payload))


def rpc_line(method, params=None, id_=1):
    msg = {"jsonrpc": "2.0", "id": id_, "method": method}
    if params is not None:
        msg["params"] = params
    return json.dumps(msg, separators=(",", ":"))


def rpc():
    with open(os.path.join(DATA, "dual-master-node1.json")) as f:
        config = json.load(f)
    vi2 = {"name": "VI_2", "interface": "eth0", "vrid": 21, "priority": 150,
           "virtual-address": ["10.10.1.2/16"]}
    vi6 = {"name": "VI_6", "interface": "eth0", "vrid": 6, "version": 3,
           "address-family": "ipv6", "virtual-address": ["2001:db8::6/64"]}
    sessions = {
        "read-only": [rpc_line("daemon.info"), rpc_line("daemon.methods", id_=2),
                      rpc_line("instance.list", id_=3),
                      rpc_line("statistics.get", id_=4),
                      rpc_line("config.get", {"with-defaults": True}, id_=5),
                      rpc_line("events.subscribe", id_="s"),
                      rpc_line("events.unsubscribe", id_=None)],
        "create-set-get": [rpc_line("instance.create", vi2),
                           rpc_line("instance.create", vi6, id_=2),
                           rpc_line("instance.set", {"name": "VI_2", "priority": 200,
                                                     "authentication/type": "simple-password",
                                                     "authentication/password": "22221111"}, id_=3),
                           rpc_line("instance.set", {"name": "VI_2", "priority": None}, id_=4),
                           rpc_line("instance.get", {"name": "VI_2"}, id_=5),
                           rpc_line("instance.failover", {"name": "VI_2", "hold": 5}, id_=6),
                           rpc_line("instance.failover", {"name": "VI_2"}, id_=7),
                           rpc_line("instance.delete", {"name": "VI_6"}, id_=8),
                           rpc_line("statistics.get", {"name": "VI_2"}, id_=9)],
        "replace-save": [rpc_line("config.replace", {"config": config}),
                         rpc_line("instance.get", {"name": "VI_1"}, id_=2),
                         rpc_line("config.get", id_=3),
                         rpc_line("config.save", id_=4),
                         rpc_line("config.save", {"path": "relative.json"}, id_=5)],
        "batch": ["[" + ",".join([rpc_line("daemon.info"),
                                  json.dumps({"jsonrpc": "2.0", "method": "instance.list"}),
                                  rpc_line("nope", id_=3), "1"]) + "]"],
        "errors": ['{"jsonrpc":"2.0","id":1,"method":"instance.get","params":{}}',
                   '{"jsonrpc":"2.0","id":2,"method":"instance.get","params":["VI_1"]}',
                   '{"jsonrpc":"1.0","id":3,"method":"daemon.info"}',
                   '{"jsonrpc":"2.0","id":4,', "[]",
                   rpc_line("instance.create", {"name": "VI_1", "vrid": 300}, id_=5)],
    }
    for name, lines in sessions.items():
        write("fuzz_rpc", name, bytes([0, 0]) + "\n".join(lines).encode() + b"\n")
    # The same read-only session as an unprivileged reader, fed 7 bytes at
    # a time, last line unterminated.
    write("fuzz_rpc", "reader-chunked",
          bytes([1, 7]) + "\n".join(sessions["read-only"] + sessions["replace-save"]).encode())
    write("fuzz_rpc", "oversize", bytes([4, 0]) + rpc_line(
        "config.replace", {"config": config}).encode() + b"\n" +
        rpc_line("daemon.info").encode() + b"\n")


def model():
    for f in sorted(os.listdir(DATA)):
        if f.endswith(".json"):
            shutil.copy(os.path.join(DATA, f), os.path.join(CORPUS, "fuzz_model", f))
    write("fuzz_model", "empty.json", b"{}")
    ipv6 = {"vrrpd:vrrpd": {"instance": [{
        "name": "VI_6", "interface": "eth0", "vrid": 6, "version": 3,
        "address-family": "ipv6", "priority": 200, "preempt": False,
        "advertisement-interval": 50,
        "virtual-address": [{"address": "2001:db8::6", "prefix-length": 64}]}]}}
    write("fuzz_model", "ipv6-v3.json", json.dumps(ipv6, indent=1).encode())


def kaconf():
    kdir = os.path.join(DATA, "keepalived")
    for f in sorted(os.listdir(kdir)):
        if f.endswith(".conf"):
            with open(os.path.join(kdir, f), "rb") as fh:
                write("fuzz_kaconf", f, b"\0" + fh.read())
    # Includes resolved in the harness's private directory (fuzz_kaconf.c).
    write("fuzz_kaconf", "includes.conf",
          b"\0include global.conf\ninclude vi*.conf\ninclude empty.conf\n"
          b"vrrp_instance VI_1 {\n state MASTER\n interface eth0\n"
          b" virtual_router_id 11\n priority 100\n advert_int 1\n"
          b" virtual_ipaddress {\n  10.10.1.1/16 dev eth0\n }\n}\n")
    write("fuzz_kaconf", "include-loop.conf", b"\0include loop.conf\n")


def ps_str(text):
    """privsep: u32 length, the bytes, a NUL (vrrpd/privsep/ps_msg.c)."""
    return struct.pack("=I", len(text)) + text + b"\0"


def privsep():
    """Datagrams the privileged parent receives (fuzz_privsep.c)."""
    run = lambda argv, uid=65534: (struct.pack("=IIII", 1, 7, uid, uid) +  # noqa: E731
                                   ps_str(b"track script chk") + struct.pack("=I", len(argv)) +
                                   b"".join(ps_str(a) for a in argv))
    write("fuzz_privsep", "run-track", run([b"/bin/true", b"-x"]))
    write("fuzz_privsep", "run-shell", run([b"/bin/sh", b"-c", b"/bin/echo hi"]))
    write("fuzz_privsep", "run-notify", run([b"/bin/sh", b"-c", b"echo", b"INSTANCE", b"VI_1",
                                             b"MASTER", b"100"]))
    write("fuzz_privsep", "run-root", run([b"/bin/true", b"-x"], uid=0))
    write("fuzz_privsep", "save", struct.pack("=I", 4) + ps_str(b"/etc/vrrpd/vrrpd.json"))
    write("fuzz_privsep", "done", struct.pack("=IIIIQI", 2, 7, 0, 3, 1234, 0) + ps_str(b"oops\n"))


def main():
    for h in ("fuzz_decode", "fuzz_rx", "fuzz_rpc", "fuzz_model", "fuzz_kaconf", "fuzz_privsep"):
        shutil.rmtree(os.path.join(CORPUS, h), ignore_errors=True)
        os.makedirs(os.path.join(CORPUS, h))
    packets()
    rpc()
    model()
    kaconf()
    privsep()


if __name__ == "__main__":
    main()
