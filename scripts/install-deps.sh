#!/bin/sh
# Install the Debian packages vrrpd needs to build and test, and only the
# missing ones. Idempotent. Never enables or starts a system service: a
# policy-rc.d that forbids starts is in place while apt runs.
set -eu

PKGS="make gcc clang libclang-rt-dev pkg-config
libyang2-dev libnl-3-dev libnl-route-3-dev libjson-c-dev libreadline-dev libcmocka-dev libsystemd-dev
libnftables-dev libcap-ng-dev nftables dpkg-dev debhelper
keepalived frr tcpdump iproute2 iputils-ping procps tmux
python3 python3-pytest python3-scapy"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
policy=${POLICY_RC_D:-/usr/sbin/policy-rc.d}  # overridable for tests/tools
own_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	own_policy=1
fi
# The trap must not change the exit status: a bare `[ ... ] && rm` as its
# last command made the script fail whenever a policy-rc.d already existed.
cleanup() {
	if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
