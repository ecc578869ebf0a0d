/* The control socket: a Unix stream socket served from the event loop,
 * speaking line-framed JSON-RPC 2.0 (lib/jsonrpc.h, methods in rpc.h).
 *
 * Nothing here ever blocks the loop: sockets are non-blocking, each read is
 * bounded, each client has a bounded output queue (a client that stops
 * reading is disconnected when its queue passes the limit), and the number
 * of clients is limited. Peers are identified with SO_PEERCRED: reading is
 * for root, the daemon's user and the socket's group; changes are for root,
 * the daemon's user and the admin group (none by default: root only). */
#ifndef VRRPD_CTL_SERVER_H
#define VRRPD_CTL_SERVER_H

#include <stddef.h>

struct loop;
struct engine;
struct model;
struct ctl_server;

#define CTL_MAX_CLIENTS_DEFAULT 32
#define CTL_MAX_QUEUE_DEFAULT (8u * 1024u * 1024u)

struct ctl_server_opts {
	const char *path;          /* NULL: VRRPD_SOCKET_DEFAULT */
	const char *group;         /* socket group, name or number; NULL: keep ours */
	const char *admin_group;   /* may change things; NULL: root only */
	const char *config_path;   /* default file of config.save; may be NULL */
	unsigned max_clients;      /* 0: CTL_MAX_CLIENTS_DEFAULT */
	size_t max_queue_bytes;    /* 0: CTL_MAX_QUEUE_DEFAULT */
};

/* Create the socket (mode 0660; the parent directory is created if
 * missing; a stale socket is replaced, a live one is an error) and start
 * serving. Returns NULL with err filled on failure. */
struct ctl_server *ctl_server_new(struct loop *loop, struct engine *e,
				  struct model *m,
				  const struct ctl_server_opts *opts, char *err,
				  size_t errlen);
/* Disconnect every client, close and remove the socket. */
void ctl_server_free(struct ctl_server *s);

#endif
