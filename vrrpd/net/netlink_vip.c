/* Virtual addresses through netlink: add and remove them, synchronously
 * and acknowledged, tagged with our address protocol, and tell ours from
 * addresses someone else configured.
 *
 * Why the tag (IFA_PROTO, Linux 5.18+): an address that is already there
 * when we add a VIP is either the operator's (vrrpd must never delete it
 * when it leaves Master) or one a killed vrrpd left behind (which must go
 * at start while another router is master, as keepalived removes them).
 * The kernel keeps the protocol byte we set; libnl 3.7 neither sets nor
 * parses it, so the requests are built with libnl and the attribute added,
 * and the rare look-up parses a dump itself. */
#include <errno.h>
#include <string.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>

#include "netlink_int.h"

/* One rtnl_addr for a VIP; the single place VIP arguments are checked. */
static struct rtnl_addr *vip_object(int ifindex, const struct vaddr *a, int plen,
				    char *err, size_t errlen)
{
	struct rtnl_addr *addr;
	struct nl_addr *local;
	int maxlen = a && a->af == AF_INET ? 32 : 128;

	if (!a || !vaddr_is_set(a) || ifindex <= 0 || plen < 0 || plen > maxlen) {
		nlw_set_err(err, errlen, "netlink: invalid VIP arguments (ifindex %d, prefix %d)",
			    ifindex, plen);
		return NULL;
	}
	addr = rtnl_addr_alloc();
	local = nl_addr_build(a->af, a->u.bytes, vaddr_len(a));
	if (!addr || !local) {
		rtnl_addr_put(addr);
		nl_addr_put(local);
		nlw_set_err(err, errlen, "netlink: out of memory");
		return NULL;
	}
	nl_addr_set_prefixlen(local, plen);
	rtnl_addr_set_ifindex(addr, ifindex);
	rtnl_addr_set_family(addr, a->af);
	rtnl_addr_set_local(addr, local); /* takes its own reference */
	rtnl_addr_set_prefixlen(addr, plen);
	/* A VIP must answer as soon as we become master, not after a DAD
	 * delay; the VRRP election already guarantees a single owner. */
	if (a->af == AF_INET6)
		rtnl_addr_set_flags(addr, IFA_F_NODAD);
	nl_addr_put(local);
	return addr;
}

/* ---- the protocol byte of an existing address ---- */

struct proto_query {
	int ifindex;
	struct vaddr a;
	int proto;      /* -1: not found */
};

static int proto_valid(struct nl_msg *msg, void *arg)
{
	struct proto_query *q = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct ifaddrmsg *ifa = nlmsg_data(nlh);
	struct nlattr *tb[IFA_MAX + 1];
	struct nlattr *la;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    nlmsg_parse(nlh, sizeof(*ifa), tb, IFA_MAX, NULL) < 0)
		return NL_OK;
	if ((int)ifa->ifa_index != q->ifindex || ifa->ifa_family != q->a.af)
		return NL_OK;
	/* IPv4 puts the address in IFA_LOCAL, IPv6 only in IFA_ADDRESS */
	la = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!la || (size_t)nla_len(la) != vaddr_len(&q->a) ||
	    memcmp(nla_data(la), q->a.u.bytes, vaddr_len(&q->a)) != 0)
		return NL_OK;
	q->proto = tb[IFA_PROTO] ? nla_get_u8(tb[IFA_PROTO]) : 0;
	return NL_OK;
}

/* A dump on a socket of its own (the request socket keeps its default
 * callbacks); only run when an add found the address already there, or
 * at start for a VIP the cache shows present. */
int nlw_addr_proto(int ifindex, const struct vaddr *a)
{
	struct proto_query q = { .ifindex = ifindex, .a = *a, .proto = -1 };
	struct ifaddrmsg req = { .ifa_family = (unsigned char)a->af };
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk)
		return -1;
	if (nl_connect(sk, NETLINK_ROUTE) < 0 ||
	    nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, proto_valid, &q) < 0 ||
	    nl_send_simple(sk, RTM_GETADDR, NLM_F_DUMP, &req, sizeof(req)) < 0 ||
	    nl_recvmsgs_default(sk) < 0)
		q.proto = -1;
	nl_socket_free(sk);
	return q.proto;
}

/* ---- requests ---- */

static void set_opts(struct rtnl_addr *addr, const struct nlw_addr_opts *o)
{
	if (o && o->label)
		rtnl_addr_set_label(addr, o->label);
	if (o && o->scope >= 0)
		rtnl_addr_set_scope(addr, o->scope);
	if (o && o->brd && o->brd->af == AF_INET) {
		struct nl_addr *b = nl_addr_build(AF_INET, o->brd->u.bytes, 4);
		if (b) {
			rtnl_addr_set_broadcast(addr, b);
			nl_addr_put(b);
		}
	}
}

/* Plain NLM_F_CREATE for an add: an existing address is left untouched,
 * with its flags and lifetimes, and reported as EEXIST. NLM_F_REPLACE
 * would rewrite it and emit a spurious RTM_NEWADDR. */
int nlw_vip_msg(int ifindex, const struct vaddr *a, int plen,
		const struct nlw_addr_opts *o, bool add, struct nl_msg **msg,
		char *err, size_t errlen)
{
	struct rtnl_addr *addr = vip_object(ifindex, a, plen, err, errlen);
	int e;

	if (!addr)
		return -1;
	if (add)
		set_opts(addr, o);
	*msg = NULL;
	e = add ? rtnl_addr_build_add_request(addr, NLM_F_CREATE, msg)
		: rtnl_addr_build_delete_request(addr, 0, msg);
	rtnl_addr_put(addr);
	if (e >= 0 && add && nla_put_u8(*msg, IFA_PROTO, NLW_VIP_PROTO) < 0)
		e = -NLE_NOMEM;
	if (e < 0) {
		nlmsg_free(*msg);
		*msg = NULL;
		nlw_set_err(err, errlen, "netlink: %s", nl_geterror(e));
		return -1;
	}
	return 0;
}

void nlw_vip_err(char *err, size_t errlen, bool add, int ifindex,
		 const struct vaddr *a, int plen, const char *why)
{
	char buf[VADDR_STRLEN];

	nlw_set_err(err, errlen, "netlink: %s %s/%d on ifindex %d: %s",
		    add ? "add" : "delete", vaddr_ntop(a, buf, sizeof(buf)), plen,
		    ifindex, why);
}

static int send_sync(struct nlw *n, struct nl_msg *msg)
{
	/* queued adds go first: the kernel must see requests in our order */
	nlw_vip_flush(n);
	int e = nl_send_auto_complete(n->req_sock, msg);
	nlmsg_free(msg);
	return e < 0 ? e : nl_wait_for_ack(n->req_sock);
}

int nlw_vip_add(struct nlw *n, int ifindex, const struct vaddr *a, int plen,
		char *err, size_t errlen)
{
	return nlw_vip_add_opts(n, ifindex, a, plen, NULL, err, errlen);
}

int nlw_vip_add_opts(struct nlw *n, int ifindex, const struct vaddr *a, int plen,
		     const struct nlw_addr_opts *o, char *err, size_t errlen)
{
	struct nl_msg *msg;
	int e;

	if (!n)
		return -1;
	if (nlw_vip_msg(ifindex, a, plen, o, true, &msg, err, errlen) < 0)
		return -1;
	e = send_sync(n, msg);
	if (e == -NLE_EXIST)
		return nlw_addr_proto(ifindex, a) == NLW_VIP_PROTO ? 0 : NLW_VIP_FOREIGN;
	if (e < 0) {
		nlw_vip_err(err, errlen, true, ifindex, a, plen, nl_geterror(e));
		return -1;
	}
	return 0;
}

int nlw_vip_del(struct nlw *n, int ifindex, const struct vaddr *a, int plen,
		char *err, size_t errlen)
{
	struct nl_msg *msg;
	int e;

	if (!n)
		return -1;
	if (nlw_vip_msg(ifindex, a, plen, NULL, false, &msg, err, errlen) < 0)
		return -1;
	e = send_sync(n, msg);
	/* EADDRNOTAVAIL (NLE_NOADDR) / ENOENT (NLE_OBJ_NOTFOUND): already
	 * gone, which is the state we wanted. */
	if (e < 0 && e != -NLE_NOADDR && e != -NLE_OBJ_NOTFOUND) {
		nlw_vip_err(err, errlen, false, ifindex, a, plen, nl_geterror(e));
		return -1;
	}
	return 0;
}

bool nlw_vip_stale(struct nlw *n, int ifindex, const struct vaddr *a)
{
	return n && nlw_has_addr(n, ifindex, a) &&
	       nlw_addr_proto(ifindex, a) == NLW_VIP_PROTO;
}
