#!/bin/sh
# make bench -> bench/run.sh [--quick] [--runs N]
#                            [--only failover,scale,ctl,mass,floor,features]
#                            [--out FILE] [--reuse RESULTS_JSON] [--report-only RESULTS_JSON]
# Runs vrrpd and keepalived (and the floor probe, build/bench/floor) on
# identical namespace labs and writes bench/RESULTS.md.  Needs root
# (namespaces, raw sockets, tcpdump).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" != 0 ]; then
	echo "bench/run.sh: must run as root (network namespaces)" >&2
	exit 1
fi
for bin in "$here/../vrrpd/vrrpd" "$here/../vrrpctl/vrrpctl" "$here/../build/bench/floor" \
	/usr/sbin/keepalived; do
	if [ ! -x "$bin" ]; then
		echo "bench/run.sh: $bin missing (run 'make all'; keepalived: apt-get install keepalived)" >&2
		exit 1
	fi
done
for tool in tcpdump ping ip; do
	command -v "$tool" >/dev/null || { echo "bench/run.sh: $tool missing" >&2; exit 1; }
done
# Run private copies: others may rebuild vrrpd/vrrpd while we measure.
bindir=$(mktemp -d /tmp/vrrpd-bench-bin.XXXXXX)
cp "$here/../vrrpd/vrrpd" "$here/../vrrpctl/vrrpctl" "$bindir/"
export VRRPD_BIN="$bindir/vrrpd" VRRPCTL_BIN="$bindir/vrrpctl"
export VRRPD_BENCH_SRC_BIN="$here/../vrrpd/vrrpd"
# The harness cleans up its namespaces and daemons on exit, Ctrl-C and
# SIGTERM (context managers + atexit); forward those signals to it.
/usr/bin/python3 "$here/bench.py" "$@" &
pid=$!
# (set -e: a failing kill/wait inside the trap must not skip the cleanup)
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid || true; rm -rf "$bindir"; exit 130' INT TERM HUP
rc=0
wait $pid || rc=$?
rm -rf "$bindir"
exit $rc
