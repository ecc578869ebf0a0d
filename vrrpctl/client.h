/* The socket side of vrrpctl: connect to vrrpd, send a JSON-RPC request,
 * wait for its response, and read pushed notifications. Shared by every
 * mode; knows nothing about commands or output. */
#ifndef VRRPCTL_CLIENT_H
#define VRRPCTL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "jsonrpc.h"

/* Seconds to wait for a response before giving up. */
#define CTL_CALL_TIMEOUT_S 30

struct ctl_conn {
	int fd;
	char path[108];
	struct jsonrpc_framer in;
	int64_t next_id;
};

/* Transport failures (as opposed to an error response). */
enum ctl_rc { CTL_OK = 0, CTL_ERR_RESPONSE = 1, CTL_ERR_TRANSPORT = -1 };

void ctl_conn_init(struct ctl_conn *c, const char *path);
/* Connect if not connected. On failure err says why and names the path
 * ("vrrpd is not running (no socket /run/vrrpd/vrrpd.sock)"). */
int ctl_connect(struct ctl_conn *c, char *err, size_t errlen);
void ctl_close(struct ctl_conn *c);
bool ctl_connected(const struct ctl_conn *c);

/* Notifications that arrive while waiting for a response go here. */
typedef void (*ctl_notify_cb)(void *arg, json_object *msg);

/* Call method (params ownership passes). CTL_OK: *out = result (new ref).
 * CTL_ERR_RESPONSE: *out = the error object {code, message, data}.
 * CTL_ERR_TRANSPORT: err set, connection closed. */
enum ctl_rc ctl_call(struct ctl_conn *c, const char *method, json_object *params,
		     json_object **out, char *err, size_t errlen,
		     ctl_notify_cb on_notify, void *arg);

/* Wait up to timeout_ms (-1: forever) for one notification. Returns 1 with
 * *msg, 0 on timeout or EINTR, -1 on a closed connection (err set). */
int ctl_next_notification(struct ctl_conn *c, int timeout_ms, json_object **msg,
			  char *err, size_t errlen);

#endif
