/* Internal to netlink*.c: the wrapper's state. */
#ifndef VRRPD_NETLINK_INT_H
#define VRRPD_NETLINK_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/cache.h>
#include <netlink/socket.h>

#include "netlink.h"

/* A request (ack or dump) that takes longer than this means the kernel is
 * stuck; better an error than a frozen daemon. */
#define REQ_TIMEOUT_MS 2000

struct nlw {
	struct loop *loop;
	struct nlw_callbacks cb;
	struct nl_sock *ev_sock;  /* owned by us, used by the manager */
	struct nl_cache_mngr *mngr;
	struct nl_cache *links;   /* owned by the manager */
	struct nl_cache *addrs;   /* owned by the manager */
	struct nl_sock *req_sock; /* synchronous requests and resync dumps */
	int ev_fd;                /* the manager's socket */
	bool resyncing;           /* inside nl_cache_resync() */
	bool registered;          /* ev_fd is in the loop */
	/* the VIP pipeline (netlink_pipe.c) */
	struct nl_sock *pipe_sock;
	struct nlw_pending *pipe;
	size_t npipe, cappipe;
	uint32_t pipe_seq;
	bool pipe_flushing;
	nlw_vip_done_fn pipe_done;
	void *pipe_done_arg;
};

struct nl_msg;
int nlw_pipe_open(struct nlw *n, char *err, size_t errlen);
void nlw_pipe_close(struct nlw *n);
/* The RTM_NEWADDR (add) or RTM_DELADDR request for a VIP, tagged with
 * our protocol (netlink_vip.c); 0 or -1 with err. */
int nlw_vip_msg(int ifindex, const struct vaddr *a, int plen,
		const struct nlw_addr_opts *o, bool add, struct nl_msg **msg,
		char *err, size_t errlen);
/* "netlink: add|delete A/P on ifindex N: why", the one wording of a
 * failed VIP request, synchronous or pipelined. */
void nlw_vip_err(char *err, size_t errlen, bool add, int ifindex,
		 const struct vaddr *a, int plen, const char *why);
/* The IFA_PROTO of a on ifindex, from a dump; -1 if absent. */
int nlw_addr_proto(int ifindex, const struct vaddr *a);

void nlw_set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
