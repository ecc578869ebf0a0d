/* JSON-RPC 2.0 over a byte stream, shared by vrrpd (server) and vrrpctl
 * (client). Framing: every message is one JSON text (an object, or a batch
 * array) on one line, terminated by '\n'; at most JSONRPC_MAX_MSG bytes.
 * Everything received is parsed and checked here, in one place, before a
 * method handler sees it. See vrrpd-rpc(7). */
#ifndef VRRP_JSONRPC_H
#define VRRP_JSONRPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* Where vrrpd listens and vrrpctl connects unless told otherwise. */
#define VRRPD_SOCKET_DEFAULT "/run/vrrpd/vrrpd.sock"

/* Documented limit for one received message (request or batch line):
 * bounds the framer's memory per client. */
#define JSONRPC_MAX_MSG (1024u * 1024u)
/* Limit of one response line the server builds. Checked element by element
 * while a batch is serialized, so a batch of cheap requests for big results
 * stops at this size instead of building hundreds of megabytes (2000
 * config.get at 1000 instances were 340 MB). Half the server's output
 * queue (CTL_MAX_QUEUE_DEFAULT) so one response always fits in it; vrrpctl
 * accepts 64 MiB. */
#define JSONRPC_MAX_RESPONSE (4u * 1024u * 1024u)
/* Most requests in one batch: each element is a full request, and a batch
 * line is answered as one response, so its work and size must be bounded
 * before anything runs. vrrpctl never sends batches. */
#define JSONRPC_MAX_BATCH 64

/* JSON-RPC 2.0 section 5.1 codes, then ours (-32000..-32099 is reserved by
 * the spec for implementation-defined server errors). */
enum jsonrpc_code {
	JSONRPC_PARSE_ERROR = -32700,
	JSONRPC_INVALID_REQUEST = -32600,
	JSONRPC_METHOD_NOT_FOUND = -32601,
	JSONRPC_INVALID_PARAMS = -32602,
	JSONRPC_INTERNAL_ERROR = -32603,
	JSONRPC_VALIDATION_FAILED = -32000, /* data: {path, reason} */
	JSONRPC_NOT_FOUND = -32001,         /* data: {name} */
	JSONRPC_PERMISSION_DENIED = -32002, /* data: {uid, gid} */
	JSONRPC_NOT_MASTER = -32003,        /* data: {name, state, master} */
	JSONRPC_SAVE_FAILED = -32004,       /* data: {path, reason} */
	JSONRPC_EXISTS = -32005,            /* data: {name} */
	JSONRPC_TOO_MANY_CLIENTS = -32006,
	JSONRPC_RESPONSE_TOO_LARGE = -32007, /* data: {limit, processed} */
};

/* Short fixed text for a code ("Parse error", ...). */
const char *jsonrpc_code_message(int code);

/* ---- framing ---------------------------------------------------------- */

enum jsonrpc_frame_rc {
	JSONRPC_FRAME_NONE = 0,     /* no complete line yet */
	JSONRPC_FRAME_LINE = 1,     /* *line / *len hold one message */
	JSONRPC_FRAME_OVERSIZE = -1 /* a line exceeded the limit; discarded */
};

struct jsonrpc_framer {
	char *buf;
	size_t len;        /* bytes held */
	size_t cap;
	size_t scan;       /* bytes already known to hold no '\n' */
	size_t consumed;   /* bytes of buf already returned as lines */
	size_t max_msg;
	bool discarding;   /* dropping the rest of an oversize line */
	bool oversize_reported;
};

void jsonrpc_framer_init(struct jsonrpc_framer *f, size_t max_msg);
void jsonrpc_framer_free(struct jsonrpc_framer *f);
/* Append received bytes. Memory stays bounded by max_msg: bytes of an
 * oversize line are dropped. Returns 0, or -1 on allocation failure. */
int jsonrpc_framer_feed(struct jsonrpc_framer *f, const char *data, size_t n);
/* Take the next complete line (without '\n', NUL-terminated, valid until
 * the next feed/next call). An oversize line is reported once. */
enum jsonrpc_frame_rc jsonrpc_framer_next(struct jsonrpc_framer *f,
					  char **line, size_t *len);
/* A complete line (or an oversize report) is waiting for _next(). */
bool jsonrpc_framer_has_line(const struct jsonrpc_framer *f);
/* Bytes of an unterminated message still held (e.g. at EOF). */
size_t jsonrpc_framer_pending(const struct jsonrpc_framer *f);
/* At EOF: hand out the unterminated tail as a last line, if any. */
bool jsonrpc_framer_take_rest(struct jsonrpc_framer *f, char **line,
			      size_t *len);

/* ---- builders (all return new objects; the caller puts them) ---------- */

/* id is copied (a new reference); NULL means JSON null. result ownership
 * passes to the response. */
json_object *jsonrpc_result(json_object *id, json_object *result);
/* msg NULL: the code's standard text. data may be NULL (ownership passes). */
json_object *jsonrpc_error(json_object *id, int code, const char *msg,
			   json_object *data);
json_object *jsonrpc_notification(const char *method, json_object *params);
json_object *jsonrpc_request(const char *method, json_object *params,
			     int64_t id);
/* Compact text plus '\n'; malloc'd, *len excludes the NUL. */
char *jsonrpc_serialize(json_object *msg, size_t *len);

/* ---- server side: checking and dispatch ------------------------------- */

/* An error a handler reports: code, message and optional data object. */
struct jsonrpc_err {
	int code;
	char msg[512];
	json_object *data;
};

void jsonrpc_err_set(struct jsonrpc_err *e, int code, json_object *data,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A request after checking. params is an object, an array or NULL. */
struct jsonrpc_req {
	const char *method;
	json_object *params;
	json_object *id;       /* NULL for a notification */
	bool notification;
};

/* Check one request object (JSON-RPC 2.0 section 4). Returns 0, or -1 with
 * err set to JSONRPC_INVALID_REQUEST. */
int jsonrpc_check_request(json_object *msg, struct jsonrpc_req *req,
			  struct jsonrpc_err *err);

/* Not an error on the wire: a handler that answers in pieces (a list of
 * many instances) returns NULL with this code after each piece; the job
 * calls it again for the same request at its next step. */
#define JSONRPC_PENDING 1

/* Called once per valid request (again while it returns JSONRPC_PENDING);
 * returns the result (new reference) or NULL with err filled. The result
 * of a notification is discarded. */
typedef json_object *(*jsonrpc_handler)(void *arg, const struct jsonrpc_req *req,
					struct jsonrpc_err *err);

/* One received line worked through a request at a time, so a server can
 * stop between the elements of a batch and go on in a later loop iteration
 * (its VRRP timers run in between). The responses are serialized as each
 * element finishes and their total size is checked against max_out: past
 * it, the remaining elements are not run and the whole answer becomes one
 * JSONRPC_RESPONSE_TOO_LARGE error. */
struct jsonrpc_job {
	json_object *msg;      /* the parsed line; NULL once done */
	size_t n, next;        /* requests in it, next one to run */
	bool batch;
	char *out;             /* responses so far, or the final answer */
	size_t out_len, out_cap;
	size_t max_out;
	bool done;
};

/* Parse line (line[len] must be '\0', as the framer guarantees). A parse
 * error, an empty batch or one of more than JSONRPC_MAX_BATCH requests is
 * answered at once: the job is done before any request runs. max_out 0:
 * JSONRPC_MAX_RESPONSE. Returns 0, or -1 when out of memory. */
int jsonrpc_job_start(struct jsonrpc_job *j, const char *line, size_t len,
		      size_t max_out);
/* Run the next request of the job; sets j->done after the last. */
void jsonrpc_job_step(struct jsonrpc_job *j, jsonrpc_handler handler,
		      void *arg);
/* Method of the request the next step runs (for logs), or "-". */
const char *jsonrpc_job_method(const struct jsonrpc_job *j);
/* Bytes of response text produced so far (what a server budgets). */
size_t jsonrpc_job_out_bytes(const struct jsonrpc_job *j);
/* When done: the answer as one line with its '\n' (malloc'd, the caller
 * frees it), or NULL when nothing is to be sent (only notifications). */
char *jsonrpc_job_take(struct jsonrpc_job *j, size_t *len);
void jsonrpc_job_free(struct jsonrpc_job *j);

/* The whole job at once (tests and simple callers): returns the parsed
 * response (caller puts it) or NULL when nothing is to be sent. */
json_object *jsonrpc_process_line(const char *line, size_t len,
				  jsonrpc_handler handler, void *arg);

/* ---- client side ----------------------------------------------------- */

/* Classify a received message: a response (has "result" or "error") or a
 * notification (has "method", no "id"). */
enum jsonrpc_kind { JSONRPC_KIND_INVALID, JSONRPC_KIND_RESPONSE,
		    JSONRPC_KIND_NOTIFICATION, JSONRPC_KIND_REQUEST };
enum jsonrpc_kind jsonrpc_classify(json_object *msg);

#endif
