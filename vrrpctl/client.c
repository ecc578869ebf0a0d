/* vrrpctl's connection to the control socket (see client.h). */
#include "client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

void ctl_conn_init(struct ctl_conn *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->next_id = 1;
	snprintf(c->path, sizeof(c->path), "%s", path);
}

bool ctl_connected(const struct ctl_conn *c)
{
	return c->fd >= 0;
}

int ctl_connect(struct ctl_conn *c, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (c->fd >= 0)
		return 0;
	if (strlen(c->path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path too long: %s", c->path);
		return -1;
	}
	memcpy(sa.sun_path, c->path, strlen(c->path) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(c->fd);
		c->fd = -1;
		if (e == ENOENT || e == ECONNREFUSED)
			snprintf(err, errlen, "vrrpd is not running (cannot connect to %s: %s)",
				 c->path, strerror(e));
		else
			snprintf(err, errlen, "cannot connect to %s: %s", c->path,
				 strerror(e));
		return -1;
	}
	jsonrpc_framer_init(&c->in, JSONRPC_MAX_MSG * 64);
	return 0;
}

void ctl_close(struct ctl_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	jsonrpc_framer_free(&c->in);
}

static int send_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Next complete message; waits up to timeout_ms. 1 = got, 0 = timeout or
 * EINTR, -1 = closed/error. */
static int next_msg(struct ctl_conn *c, int timeout_ms, json_object **msg,
		    char *err, size_t errlen)
{
	for (;;) {
		char *line;
		size_t len;
		enum jsonrpc_frame_rc rc = jsonrpc_framer_next(&c->in, &line, &len);
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		char buf[65536];
		ssize_t n;
		int pr;

		if (rc == JSONRPC_FRAME_LINE) {
			*msg = json_tokener_parse(line);
			if (*msg)
				return 1;
			snprintf(err, errlen, "vrrpd sent invalid JSON");
			return -1;
		}
		if (rc == JSONRPC_FRAME_OVERSIZE) {
			snprintf(err, errlen, "vrrpd sent an oversize message");
			return -1;
		}
		pr = poll(&pfd, 1, timeout_ms);
		if (pr < 0 && errno == EINTR)
			return 0;
		if (pr < 0) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		if (pr == 0)
			return 0;
		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			return 0;
		if (n <= 0) {
			snprintf(err, errlen, "vrrpd closed the connection%s%s",
				 n < 0 ? ": " : "", n < 0 ? strerror(errno) : "");
			return -1;
		}
		if (jsonrpc_framer_feed(&c->in, buf, (size_t)n) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
}

static bool id_is(json_object *msg, int64_t id)
{
	json_object *v;

	return json_object_object_get_ex(msg, "id", &v) &&
	       json_object_is_type(v, json_type_int) &&
	       json_object_get_int64(v) == id;
}

enum ctl_rc ctl_call(struct ctl_conn *c, const char *method, json_object *params,
		     json_object **out, char *err, size_t errlen,
		     ctl_notify_cb on_notify, void *arg)
{
	int64_t id = c->next_id++;
	json_object *req = jsonrpc_request(method, params, id);
	time_t deadline = time(NULL) + CTL_CALL_TIMEOUT_S;
	size_t len;
	char *text = jsonrpc_serialize(req, &len);

	json_object_put(req);
	*out = NULL;
	if (!text || send_all(c->fd, text, len) < 0) {
		snprintf(err, errlen, "cannot send to %s: %s", c->path, strerror(errno));
		free(text);
		ctl_close(c);
		return CTL_ERR_TRANSPORT;
	}
	free(text);
	for (;;) {
		json_object *msg = NULL, *v;
		int rc = next_msg(c, 1000, &msg, err, errlen);

		if (rc < 0) {
			ctl_close(c);
			return CTL_ERR_TRANSPORT;
		}
		if (rc == 0) {
			if (time(NULL) >= deadline) {
				snprintf(err, errlen, "no answer from vrrpd within %d s",
					 CTL_CALL_TIMEOUT_S);
				ctl_close(c);
				return CTL_ERR_TRANSPORT;
			}
			continue;
		}
		if (jsonrpc_classify(msg) == JSONRPC_KIND_NOTIFICATION) {
			if (on_notify)
				on_notify(arg, msg);
			json_object_put(msg);
			continue;
		}
		if (!id_is(msg, id)) {
			json_object_put(msg);
			continue;
		}
		if (json_object_object_get_ex(msg, "error", &v)) {
			*out = json_object_get(v);
			json_object_put(msg);
			return CTL_ERR_RESPONSE;
		}
		json_object_object_get_ex(msg, "result", &v);
		*out = json_object_get(v);
		json_object_put(msg);
		return CTL_OK;
	}
}

int ctl_next_notification(struct ctl_conn *c, int timeout_ms, json_object **msg,
			  char *err, size_t errlen)
{
	for (;;) {
		int rc = next_msg(c, timeout_ms, msg, err, errlen);

		if (rc <= 0)
			return rc;
		if (jsonrpc_classify(*msg) == JSONRPC_KIND_NOTIFICATION)
			return 1;
		json_object_put(*msg);
	}
}
