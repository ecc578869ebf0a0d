#!/bin/sh
# make demo: two vrrpd routers and a client on a bridge, in network
# namespaces, running the seed's single-master setup (tests/data).  Shows the
# master and the VIP, stops the master gracefully, shows the backup taking
# over and how long the client lost the VIP, restarts node1 (preemption),
# prints a summary and removes everything it created -- also on Ctrl-C.
#
# Builds nothing (the Makefile does).  Needs root, iproute2, ping, tcpdump.
# Every wait is bounded.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VRRPD=${VRRPD:-$ROOT/vrrpd/vrrpd}
VRRPCTL=${VRRPCTL:-$ROOT/vrrpctl/vrrpctl}
PY=/usr/bin/python3
VIP=10.10.1.1

[ "$(id -u)" = 0 ] || { echo "demo: needs root (network namespaces)" >&2; exit 1; }
[ -x "$VRRPD" ] || { echo "demo: $VRRPD not built; run make" >&2; exit 1; }
for t in ip ping tcpdump; do
	command -v $t >/dev/null 2>&1 || { echo "demo: missing $t (make deps)" >&2; exit 1; }
done

# Per-run unique names: two demos (or a demo and make check) never collide.
ID="vd$$$(od -An -N2 -tx2 /dev/urandom | tr -d ' ')"
SW=$ID-sw; R1=$ID-r1; R2=$ID-r2; C=$ID-c
WORK=$(mktemp -d "/tmp/vrrpd-demo-$ID.XXXXXX")
PIDS=""
CLEANED=0

cleanup() {
	[ "$CLEANED" = 1 ] && return
	CLEANED=1
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null || true; done
	# Give the daemons a moment to send priority 0 and remove VIPs, then insist.
	i=0
	while [ $i -lt 30 ]; do
		alive=0
		for p in $PIDS; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && break
		sleep 0.1; i=$((i + 1))
	done
	for p in $PIDS; do kill -KILL "$p" 2>/dev/null || true; done
	for ns in $C $R2 $R1 $SW; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted, cleaning up"; cleanup; trap - EXIT; exit 130' INT
trap 'cleanup; trap - EXIT; exit 143' TERM

if [ -t 1 ]; then B=$(printf '\033[1m'); N=$(printf '\033[0m'); else B=; N=; fi
say() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
now() { date +%s.%N; }
ms_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

# wait_until SECONDS CMD...: poll every 10 ms, fail after SECONDS.
wait_until() {
	limit=$1; shift
	n=$(awk -v s="$limit" 'BEGIN { printf "%d", s * 100 }')
	i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -ge "$n" ] && return 1
		sleep 0.01
	done
	return 0
}
has_vip() { ip -n "$1" -4 -o addr show dev eth0 | grep -q " $VIP/"; }
lacks_vip() { ! has_vip "$1"; }
holder() {
	h=""
	has_vip $R1 && h="node1"
	has_vip $R2 && h="${h:+$h+}node2"
	echo "${h:-nobody}"
}
state_of() { # last state vrrpd logged for VI_1 on node $1
	sed -n 's/.*VRRP_Instance(VI_1) Entering \([A-Z]*\) STATE.*/\1/p' "$WORK/$1.log" | tail -n 1
}

start_node() { # start_node NODE NS CONFIG
	cfg="$WORK/$1.json"
	cp "$3" "$cfg"   # interface "eth0" is the name inside each namespace already
	ip netns exec "$2" "$VRRPD" --config "$cfg" --foreground --log-level debug \
		--pidfile "$WORK/$1.pid" --socket "$WORK/$1.sock" >>"$WORK/$1.log" 2>&1 &
	PIDS="$PIDS $!"
	eval "PID_$1=$!"
}

say "Building the lab: bridge + node1 (10.10.10.101) + node2 (.102) + client (.200)"
ip netns add $SW
ip -n $SW link add name br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
ip -n $SW link set br0 up
for pair in r1:$R1:10.10.10.101 r2:$R2:10.10.10.102 c:$C:10.10.10.200; do
	port=${pair%%:*}; rest=${pair#*:}; ns=${rest%%:*}; addr=${rest#*:}
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip -n $SW link add name "$port" type veth peer name eth0 netns "$ns"
	ip -n $SW link set "$port" master br0 up
	ip -n "$ns" addr add "$addr/24" dev eth0
	ip -n "$ns" link set eth0 up
done
ip -n $C route add 10.10.0.0/16 dev eth0 scope link
echo "namespaces: $(ip netns list | grep -o "^$ID-[a-z0-9]*" | tr '\n' ' ')"

say "Starting vrrpd on node1 (priority 100) and node2 (priority 98), seed single-master config"
start_node node1 $R1 "$ROOT/tests/data/single-master-node1.json"
start_node node2 $R2 "$ROOT/tests/data/single-master-node2.json"
# Neither is the address owner: both wait the master-down interval (3 x 1 s + skew).
wait_until 15 has_vip $R1 || { echo "demo: node1 did not become master"; tail "$WORK"/*.log; exit 1; }
wait_until 5 lacks_vip $R2 || true
sleep 0.3
echo "node1: $(state_of node1)   node2: $(state_of node2)   VIP $VIP held by: $(holder)"
echo "--- ip addr on node1 (the VIP is a secondary address):"
ip -n $R1 -4 addr show dev eth0
echo "--- ip addr on node2:"
ip -n $R2 -4 addr show dev eth0
ctl_show() { # ctl_show NODE: the operator's view through the control socket
	[ -x "$VRRPCTL" ] || return 0
	echo "--- vrrpctl show instances ($1):"
	timeout 5 "$VRRPCTL" --socket "$WORK/$1.sock" show instances 2>&1 || true
}
ctl_show node1

say "The client pings $VIP every 5 ms; tcpdump watches the LAN"
ip netns exec $C ping -n -D -i 0.005 $VIP >"$WORK/ping.txt" 2>&1 &
PING_PID=$!; PIDS="$PIDS $PING_PID"
ip netns exec $C tcpdump -l -n -i eth0 --immediate-mode 'ip proto 112 or arp' \
	>"$WORK/wire.txt" 2>"$WORK/tcpdump.err" &
TCPDUMP_PID=$!; PIDS="$PIDS $TCPDUMP_PID"
wait_until 5 grep -q "bytes from" "$WORK/ping.txt" || { echo "demo: client cannot reach $VIP"; exit 1; }
sleep 1.5

say "Stopping node1 gracefully (SIGTERM): it sends one priority-0 advert"
T_STOP=$(now)
WIRE_FROM=$(wc -l <"$WORK/wire.txt")
kill -TERM "$PID_node1"
wait_until 5 has_vip $R2 || { echo "demo: node2 did not take over"; tail "$WORK"/*.log; exit 1; }
TAKEOVER_MS=$(ms_since "$T_STOP")
sleep 1
kill -INT $PING_PID 2>/dev/null || true
wait_until 5 sh -c "! kill -0 $PING_PID" || true
OUTAGE_MS=$($PY "$ROOT/tests/lab/outage.py" "$WORK/ping.txt" "$T_STOP")
wait_until 5 sh -c "! kill -0 $PID_node1" || true
echo "node1: stopped   node2: $(state_of node2)   VIP held by: $(holder)"
echo "--- the wire around the takeover (client's view):"
tail -n +"$((WIRE_FROM + 1))" "$WORK/wire.txt" | grep -v "tell 10.10.10.200\|is-at\|who-has 10.10.10" | head -n 12
echo "--- node2's log:"
grep -E "VI_1\) (Received advert with priority 0|Entering|Sending gratuitous ARP)" "$WORK/node2.log" \
	| tail -n 5
ctl_show node2
echo "takeover seen ${TAKEOVER_MS} ms after SIGTERM (skew time (256-98)/256 s = 617 ms)"
echo "client lost $VIP for ${OUTAGE_MS} ms"

say "Restarting node1: its higher priority preempts node2"
T_BACK=$(now)
start_node node1 $R1 "$ROOT/tests/data/single-master-node1.json"
wait_until 10 has_vip $R1 || { echo "demo: node1 did not preempt"; tail "$WORK"/*.log; exit 1; }
PREEMPT_MS=$(ms_since "$T_BACK")
wait_until 5 lacks_vip $R2 || true
sleep 0.2
echo "node1: $(state_of node1)   node2: $(state_of node2)   VIP held by: $(holder)"
grep -E "VI_1\) (Received advert with higher priority|removing protocol VIPs)" "$WORK/node2.log" | tail -n 2

say "Summary"
echo "  start:    node1 master, node2 backup, $VIP on node1"
echo "  stop:     node2 took over ${TAKEOVER_MS} ms after node1's SIGTERM; client outage ${OUTAGE_MS} ms"
echo "  return:   node1 preempted after ${PREEMPT_MS} ms; $VIP held by $(holder)"
echo "  cleanup:  removing namespaces $ID-*"
