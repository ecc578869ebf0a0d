#!/usr/bin/python3
"""outage.py PINGLOG [SINCE_EPOCH_S]: the longest gap (ms) between two echo
replies in a `ping -D` log, i.e. how long the client lost the VIP.
Used by scripts/demo.sh; the tests use lab.Prober directly."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab  # noqa: E402

if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.stderr.write("usage: outage.py PINGLOG [SINCE_EPOCH_S]\n")
        sys.exit(2)
    sys.exit(lab.ping_outage_main(sys.argv[1:]))
