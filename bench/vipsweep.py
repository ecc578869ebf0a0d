#!/usr/bin/python3
"""vipsweep.py TIMEOUT_S VIP...: one ICMP echo to every VIP (inside the
client namespace); prints how many answered within TIMEOUT_S and the ones
that did not.  A check that a mass takeover left every VIP reachable, not
a timing measurement (mass.py times the takeover from the capture)."""

import os
import select
import socket
import sys
import time

from prober import echo


def main():
    timeout, vips = float(sys.argv[1]), sys.argv[2:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    ident = os.getpid() & 0xffff
    pending = set(vips)
    deadline = time.time() + timeout
    tries = 0
    while pending and time.time() < deadline:
        # ARP resolution queues only a few packets per neighbour: resend to
        # the silent ones until the deadline.
        for i, v in enumerate(sorted(pending)):
            try:
                s.sendto(echo(ident, (tries * 4096 + i) & 0xffff), (v, 0))
            except OSError:
                pass
        tries += 1
        t_round = time.time() + 0.2
        while pending and time.time() < min(t_round, deadline):
            r, _, _ = select.select([s], [], [], 0.05)
            if not r:
                continue
            data, addr = s.recvfrom(2048)
            ihl = (data[0] & 0x0f) * 4
            if len(data) >= ihl + 8 and data[ihl] == 0 and \
                    int.from_bytes(data[ihl + 4:ihl + 6], "big") == ident:
                pending.discard(addr[0])
    print("%d %d %s" % (len(vips) - len(pending), len(vips), " ".join(sorted(pending)[:20])))


if __name__ == "__main__":
    main()
