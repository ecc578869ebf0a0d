/* The virtual MAC: a macvlan on the instance's interface with the virtual
 * router MAC address (RFC 5798 7.3: 00-00-5E-00-01-{VRID} for IPv4,
 * 00-00-5E-00-02-{VRID} for IPv6), the way keepalived's use_vmac and FRR's
 * vrrpd do it. Clients then never relearn a MAC on failover: the address
 * moves with the VIPs.
 *
 * The sysctls keep the MAC right in what neighbours learn: the parent must
 * not answer for addresses that live on the macvlan (arp_ignore=1: reply
 * only for addresses of the receiving interface) nor put a VIP as the
 * sender of its own ARP requests (arp_announce=2: when the master answers
 * a ping of the VIP, the client would relearn the VIP at the parent's MAC),
 * and the macvlan must accept adverts whose source is routed via the
 * parent (rp_filter=0). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/link/macvlan.h>

#include "log.h"
#include "netlink_int.h"

/* A short write to /proc/sys; returns 0 or -1 (errno). */
static int sysctl_write(const char *fmt, const char *ifname, const char *value);

int nlw_sysctl_if(const char *family, const char *ifname, const char *knob,
		  const char *value)
{
	char fmt[128];

	snprintf(fmt, sizeof(fmt), "/proc/sys/net/%s/conf/%%s/%s", family, knob);
	return sysctl_write(fmt, ifname, value);
}

static int sysctl_write(const char *fmt, const char *ifname, const char *value)
{
	char path[128];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), fmt, ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -1;
}

static void vmac_sysctls(int af, const char *parent, const char *vmac)
{
	if (af == AF_INET) {
		if (sysctl_write("/proc/sys/net/ipv4/conf/%s/arp_ignore", parent, "1") < 0 ||
		    sysctl_write("/proc/sys/net/ipv4/conf/%s/arp_announce", parent, "2") < 0 ||
		    sysctl_write("/proc/sys/net/ipv4/conf/%s/arp_ignore", vmac, "1") < 0 ||
		    sysctl_write("/proc/sys/net/ipv4/conf/%s/rp_filter", vmac, "0") < 0)
			log_warn("virtual MAC %s: cannot set ARP sysctls: %s", vmac,
				 strerror(errno));
		return;
	}
	/* The macvlan has no address of its own (addr_gen_mode none: a
	 * link-local made from the shared virtual MAC would be the same on
	 * every router) and must not configure itself from adverts. */
	if (sysctl_write("/proc/sys/net/ipv6/conf/%s/accept_ra", vmac, "0") < 0)
		log_warn("virtual MAC %s: cannot set IPv6 sysctls: %s", vmac,
			 strerror(errno));
}

/* An existing link of that name we can adopt (left by a killed vrrpd):
 * a macvlan on the same parent with the same address. */
static int adopt(struct nlw *n, const char *name, int parent, const uint8_t mac[6],
		 char *err, size_t errlen)
{
	struct rtnl_link *link = NULL;
	struct nl_addr *a;
	int ifindex = -1;

	if (rtnl_link_get_kernel(n->req_sock, 0, name, &link) < 0) {
		nlw_set_err(err, errlen, "virtual MAC %s: exists but cannot be read", name);
		return -1;
	}
	a = rtnl_link_get_addr(link);
	if (!rtnl_link_is_macvlan(link) || rtnl_link_get_link(link) != parent || !a ||
	    nl_addr_get_len(a) != 6 || memcmp(nl_addr_get_binary_addr(a), mac, 6) != 0)
		nlw_set_err(err, errlen,
			    "interface %s exists and is not our virtual MAC on this interface",
			    name);
	else
		ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return ifindex;
}

int nlw_vmac_create(struct nlw *n, int parent, const char *parent_name,
		    const char *name, const uint8_t mac[6], int af, char *err,
		    size_t errlen)
{
	struct rtnl_link *link = rtnl_link_macvlan_alloc(), *got = NULL;
	struct nl_addr *addr = nl_addr_build(AF_LLC, mac, 6);
	int e, ifindex = -1;

	nlw_vip_flush(n); /* queued VIP adds first: requests in our order */

	if (!link || !addr) {
		nlw_set_err(err, errlen, "netlink: out of memory");
		goto out;
	}
	rtnl_link_set_name(link, name);
	rtnl_link_set_link(link, parent);
	rtnl_link_set_addr(link, addr);
	/* private: macvlans on one parent don't talk to each other, as
	 * keepalived's; adverts from other routers still arrive. */
	rtnl_link_macvlan_set_mode(link, MACVLAN_MODE_PRIVATE);
	if (af == AF_INET6)
		rtnl_link_inet6_set_addr_gen_mode(link, IN6_ADDR_GEN_MODE_NONE);
	rtnl_link_set_flags(link, IFF_UP);
	e = rtnl_link_add(n->req_sock, link, NLM_F_CREATE | NLM_F_EXCL);
	if (e == -NLE_EXIST) {
		ifindex = adopt(n, name, parent, mac, err, errlen);
	} else if (e < 0) {
		nlw_set_err(err, errlen, "netlink: create macvlan %s on %s: %s", name,
			    parent_name, nl_geterror(e));
	} else if (rtnl_link_get_kernel(n->req_sock, 0, name, &got) < 0) {
		nlw_set_err(err, errlen, "virtual MAC %s: created but not found", name);
	} else {
		ifindex = rtnl_link_get_ifindex(got);
		rtnl_link_put(got);
	}
	if (ifindex > 0)
		vmac_sysctls(af, parent_name, name);
out:
	nl_addr_put(addr);
	rtnl_link_put(link);
	return ifindex;
}

int nlw_vmac_delete(struct nlw *n, int ifindex, char *err, size_t errlen)
{
	struct rtnl_link *link = rtnl_link_alloc();
	int e;

	nlw_vip_flush(n); /* queued VIP adds first: requests in our order */

	if (!link) {
		nlw_set_err(err, errlen, "netlink: out of memory");
		return -1;
	}
	rtnl_link_set_ifindex(link, ifindex);
	e = rtnl_link_delete(n->req_sock, link);
	rtnl_link_put(link);
	if (e < 0 && e != -NLE_NODEV && e != -NLE_OBJ_NOTFOUND) {
		nlw_set_err(err, errlen, "netlink: delete virtual MAC (ifindex %d): %s",
			    ifindex, nl_geterror(e));
		return -1;
	}
	return 0;
}
