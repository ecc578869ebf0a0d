#!/usr/bin/python3
"""prober.py VIP INTERVAL_S OUTFILE: ICMP echo to VIP on a strict schedule,
one line "<kernel receive time, epoch s> <seq>" per echo reply.

Why not `ping -i 0.002`: iputils ping sleeps MININTERVAL (10 ms) whenever
replies are outstanding and the next send is less than a jiffy away, so
during an outage it probes every ~10 ms, not every 2 ms, and every outage
it measures is rounded up to that grid.  This prober keeps sending every
INTERVAL_S whether or not replies come, and takes the receive time from
the kernel (SO_TIMESTAMPNS).  Runs inside the client namespace
(`ip netns exec NS prober.py ...`); stops on SIGTERM/SIGINT.
"""

import os
import select
import signal
import socket
import struct
import sys
import time

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def echo(ident, seq):
    payload = b"vrrpd-bench-probe"
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    return struct.pack("!BBHHH", 8, 0, checksum(hdr + payload), ident, seq) + payload


def main():
    vip, interval, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.setblocking(False)
    ident = os.getpid() & 0xffff
    running = [True]

    def stop(*_):
        running[0] = False
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    f = open(out, "w", buffering=1)
    seq = 0
    next_t = time.monotonic()
    while running[0]:
        now = time.monotonic()
        if now >= next_t:
            try:
                s.sendto(echo(ident, seq & 0xffff), (vip, 0))
            except OSError:
                pass            # unreachable for now: the gap is what we measure
            seq += 1
            next_t += interval
            if next_t < now:    # never burst to catch up
                next_t = now + interval
        try:
            r, _, _ = select.select([s], [], [], max(0.0, next_t - time.monotonic()))
        except InterruptedError:
            continue
        if not r:
            continue
        while True:
            try:
                data, anc, _, _ = s.recvmsg(2048, 256)
            except (BlockingIOError, InterruptedError):
                break
            ihl = (data[0] & 0x0f) * 4
            if len(data) < ihl + 8 or data[ihl] != 0:
                continue
            rid, rseq = struct.unpack("!HH", data[ihl + 4:ihl + 8])
            if rid != ident:
                continue
            t = None
            for level, typ, cdata in anc:
                if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                    sec, nsec = struct.unpack("qq", cdata[:16])
                    t = sec + nsec / 1e9
            f.write("%.6f %d\n" % (t if t is not None else time.time(), rseq))
    f.close()


if __name__ == "__main__":
    main()
