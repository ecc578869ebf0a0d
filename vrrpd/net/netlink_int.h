/* Internal to netlink*.c: the wrapper's state. */
#ifndef VRRPD_NETLINK_INT_H
#define VRRPD_NETLINK_INT_H

#include <stdbool.h>

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
};

void nlw_set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
