/* The control socket: a Unix stream socket served from the event loop,
 * speaking line-framed JSON-RPC 2.0 (lib/jsonrpc.h, methods in rpc.h).
 *
 * No client can stall the loop (the VRRP sockets and timers share it):
 * sockets are non-blocking, each read is bounded, requests are not run
 * where they are read but from one work timer that gives every client a
 * bounded share (requests, response bytes) of a bounded time slice per
 * loop iteration and resumes the rest, a batch included, in the next one;
 * each client has a bounded output queue (a client that stops reading gets
 * no more work run, then is disconnected when its queue passes the limit).
 * Connections are limited in number, per uid, and by an idle timeout, with
 * slots kept for root so idle clients never lock the operator out.
 * Peers are identified with SO_PEERCRED: reading is for root, the daemon's
 * user and the socket's group; changes are for root, the daemon's user and
 * the admin group (none by default: root only). */
#ifndef VRRPD_CTL_SERVER_H
#define VRRPD_CTL_SERVER_H

#include <stddef.h>

#include "rpc.h"

struct loop;
struct engine;
struct model;
struct ctl_server;

#define CTL_MAX_CLIENTS_DEFAULT 32
#define CTL_MAX_QUEUE_DEFAULT (8u * 1024u * 1024u)
/* Of max_clients, this many only root may take: 64 idle connections of
 * readers must not keep root out. */
#define CTL_ROOT_RESERVED_DEFAULT 2
/* Connections one non-root uid may hold: a single user cannot take every
 * slot open to non-root callers. */
#define CTL_MAX_PER_UID_DEFAULT 8
/* A non-root client that neither sends nor is subscribed to events for
 * this long is disconnected, freeing its slot (vrrpctl reconnects for
 * reads; root, who has the reserved slots anyway, is never timed out). */
#define CTL_IDLE_TIMEOUT_DEFAULT_S 300

struct ctl_server_opts {
	const char *path;          /* NULL: VRRPD_SOCKET_DEFAULT */
	const char *group;         /* socket group, name or number; NULL: keep ours */
	const char *admin_group;   /* may change things; NULL: root only */
	const char *config_path;   /* default file of config.save; may be NULL */
	const char *save_dir;      /* config.save may write here too; may be NULL */
	rpc_save_fn save;          /* who writes it: NULL, ourselves (rpc.h) */
	void *save_arg;
	bool history_later;        /* see rpc_opts; then ctl_server_open_history() */
	unsigned max_clients;      /* 0: CTL_MAX_CLIENTS_DEFAULT */
	size_t max_queue_bytes;    /* 0: CTL_MAX_QUEUE_DEFAULT */
	unsigned root_reserved;    /* 0: CTL_ROOT_RESERVED_DEFAULT */
	unsigned max_per_uid;      /* 0: CTL_MAX_PER_UID_DEFAULT */
	unsigned idle_timeout_s;   /* 0: CTL_IDLE_TIMEOUT_DEFAULT_S */
};

/* Create the socket (mode 0660; the parent directory is created if
 * missing; a stale socket is replaced, a live one is an error) and start
 * serving. Returns NULL with err filled on failure. */
struct ctl_server *ctl_server_new(struct loop *loop, struct engine *e,
				  struct model *m,
				  const struct ctl_server_opts *opts, char *err,
				  size_t errlen);
/* Read the commit history put off by history_later. */
void ctl_server_open_history(struct ctl_server *s);
/* Disconnect every client, close and remove the socket. */
void ctl_server_free(struct ctl_server *s);

#endif
