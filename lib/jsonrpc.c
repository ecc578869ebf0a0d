/* JSON-RPC 2.0 framing, checking and message builders (see jsonrpc.h). */
#include "jsonrpc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nesting deeper than this is refused at parse time: no request we accept
 * needs more than a handful of levels. */
#define JSONRPC_MAX_DEPTH 32

const char *jsonrpc_code_message(int code)
{
	switch (code) {
	case JSONRPC_PARSE_ERROR: return "Parse error";
	case JSONRPC_INVALID_REQUEST: return "Invalid request";
	case JSONRPC_METHOD_NOT_FOUND: return "Method not found";
	case JSONRPC_INVALID_PARAMS: return "Invalid params";
	case JSONRPC_INTERNAL_ERROR: return "Internal error";
	case JSONRPC_VALIDATION_FAILED: return "Validation failed";
	case JSONRPC_NOT_FOUND: return "Not found";
	case JSONRPC_PERMISSION_DENIED: return "Permission denied";
	case JSONRPC_NOT_MASTER: return "Not master";
	case JSONRPC_SAVE_FAILED: return "Save failed";
	case JSONRPC_EXISTS: return "Already exists";
	case JSONRPC_TOO_MANY_CLIENTS: return "Too many clients";
	case JSONRPC_RESPONSE_TOO_LARGE: return "Response too large";
	default: return "Server error";
	}
}

/* ---- framing ---------------------------------------------------------- */

/* Invariant: buf[consumed..tail) holds complete lines, buf[tail..len) the
 * unterminated tail, which never exceeds max_msg bytes. f->scan is used as
 * "tail" (the offset just past the last '\n'). */

void jsonrpc_framer_init(struct jsonrpc_framer *f, size_t max_msg)
{
	memset(f, 0, sizeof(*f));
	f->max_msg = max_msg ? max_msg : JSONRPC_MAX_MSG;
}

void jsonrpc_framer_free(struct jsonrpc_framer *f)
{
	free(f->buf);
	memset(f, 0, sizeof(*f));
}

static void framer_compact(struct jsonrpc_framer *f)
{
	if (f->consumed == 0)
		return;
	memmove(f->buf, f->buf + f->consumed, f->len - f->consumed);
	f->len -= f->consumed;
	f->scan -= f->consumed;
	f->consumed = 0;
}

static int framer_append(struct jsonrpc_framer *f, const char *data, size_t n)
{
	if (f->len + n + 1 > f->cap) {
		size_t cap = f->cap ? f->cap : 4096;
		while (cap < f->len + n + 1)
			cap *= 2;
		char *nb = realloc(f->buf, cap);
		if (!nb)
			return -1;
		f->buf = nb;
		f->cap = cap;
	}
	memcpy(f->buf + f->len, data, n);
	f->len += n;
	return 0;
}

int jsonrpc_framer_feed(struct jsonrpc_framer *f, const char *data, size_t n)
{
	framer_compact(f);
	while (n > 0) {
		const char *nl = memchr(data, '\n', n);
		size_t chunk = nl ? (size_t)(nl - data) + 1 : n;

		if (f->discarding) {
			/* Rest of an oversize line: drop through its '\n'. */
			if (nl)
				f->discarding = false;
		} else if (f->len - f->scan + (nl ? chunk - 1 : chunk) >
			   f->max_msg) {
			/* The message outgrew the limit: drop what we hold
			 * of it and report it once. */
			f->len = f->scan;
			f->oversize_reported = true;
			f->discarding = !nl;
		} else {
			if (framer_append(f, data, chunk) < 0)
				return -1;
			if (nl)
				f->scan = f->len;
		}
		data += chunk;
		n -= chunk;
	}
	return 0;
}

enum jsonrpc_frame_rc jsonrpc_framer_next(struct jsonrpc_framer *f,
					  char **line, size_t *len)
{
	if (f->oversize_reported) {
		f->oversize_reported = false;
		return JSONRPC_FRAME_OVERSIZE;
	}
	while (f->consumed < f->scan) {
		char *start = f->buf + f->consumed;
		char *nl = memchr(start, '\n', f->scan - f->consumed);
		size_t l = (size_t)(nl - start);

		f->consumed += l + 1;
		*nl = '\0';
		if (l > 0 && start[l - 1] == '\r')
			start[--l] = '\0';
		if (l == 0)
			continue; /* blank lines are keep-alives, not messages */
		*line = start;
		*len = l;
		return JSONRPC_FRAME_LINE;
	}
	return JSONRPC_FRAME_NONE;
}

bool jsonrpc_framer_has_line(const struct jsonrpc_framer *f)
{
	return f->oversize_reported || f->consumed < f->scan;
}

size_t jsonrpc_framer_pending(const struct jsonrpc_framer *f)
{
	return f->len - f->scan;
}

bool jsonrpc_framer_take_rest(struct jsonrpc_framer *f, char **line,
			      size_t *len)
{
	if (f->len == f->scan || f->discarding)
		return false;
	/* framer_append always leaves room for the terminator. */
	f->buf[f->len] = '\0';
	*line = f->buf + f->scan;
	*len = f->len - f->scan;
	f->len = f->scan;
	return true;
}

/* ---- builders ---------------------------------------------------------- */

static json_object *new_envelope(void)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "jsonrpc", json_object_new_string("2.0"));
	return o;
}

json_object *jsonrpc_result(json_object *id, json_object *result)
{
	json_object *o = new_envelope();
	json_object_object_add(o, "result", result ? result : json_object_new_object());
	json_object_object_add(o, "id", id ? json_object_get(id) : NULL);
	return o;
}

json_object *jsonrpc_error(json_object *id, int code, const char *msg,
			   json_object *data)
{
	json_object *o = new_envelope();
	json_object *e = json_object_new_object();

	json_object_object_add(e, "code", json_object_new_int(code));
	json_object_object_add(e, "message",
			       json_object_new_string(msg && *msg ? msg :
						      jsonrpc_code_message(code)));
	if (data)
		json_object_object_add(e, "data", data);
	json_object_object_add(o, "error", e);
	json_object_object_add(o, "id", id ? json_object_get(id) : NULL);
	return o;
}

json_object *jsonrpc_notification(const char *method, json_object *params)
{
	json_object *o = new_envelope();
	json_object_object_add(o, "method", json_object_new_string(method));
	if (params)
		json_object_object_add(o, "params", params);
	return o;
}

json_object *jsonrpc_request(const char *method, json_object *params,
			     int64_t id)
{
	json_object *o = jsonrpc_notification(method, params);
	json_object_object_add(o, "id", json_object_new_int64(id));
	return o;
}

char *jsonrpc_serialize(json_object *msg, size_t *len)
{
	size_t l = 0;
	const char *s = json_object_to_json_string_length(
		msg, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &l);
	char *out = malloc(l + 2);

	if (!out)
		return NULL;
	memcpy(out, s, l);
	out[l] = '\n';
	out[l + 1] = '\0';
	if (len)
		*len = l + 1;
	return out;
}

/* ---- checking and dispatch -------------------------------------------- */

void jsonrpc_err_set(struct jsonrpc_err *e, int code, json_object *data,
		     const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	if (e->data)
		json_object_put(e->data);
	e->data = data;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

static bool valid_id(json_object *id)
{
	/* JSON-RPC 2.0 section 4: String, Number (we take integers) or Null. */
	return id == NULL || json_object_is_type(id, json_type_string) ||
	       json_object_is_type(id, json_type_int);
}

int jsonrpc_check_request(json_object *msg, struct jsonrpc_req *req,
			  struct jsonrpc_err *err)
{
	json_object *v, *id = NULL;
	bool has_id;

	memset(req, 0, sizeof(*req));
	if (!json_object_is_type(msg, json_type_object)) {
		jsonrpc_err_set(err, JSONRPC_INVALID_REQUEST, NULL,
				"a request must be a JSON object");
		return -1;
	}
	has_id = json_object_object_get_ex(msg, "id", &id);
	if (has_id && valid_id(id))
		req->id = id;
	if (!json_object_object_get_ex(msg, "jsonrpc", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "2.0") != 0) {
		jsonrpc_err_set(err, JSONRPC_INVALID_REQUEST, NULL,
				"member \"jsonrpc\" must be \"2.0\"");
		return -1;
	}
	if (has_id && !valid_id(id)) {
		jsonrpc_err_set(err, JSONRPC_INVALID_REQUEST, NULL,
				"member \"id\" must be a string, an integer or null");
		return -1;
	}
	if (!json_object_object_get_ex(msg, "method", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) == 0) {
		jsonrpc_err_set(err, JSONRPC_INVALID_REQUEST, NULL,
				"member \"method\" must be a non-empty string");
		return -1;
	}
	req->method = json_object_get_string(v);
	if (json_object_object_get_ex(msg, "params", &v) && v != NULL) {
		if (!json_object_is_type(v, json_type_object) &&
		    !json_object_is_type(v, json_type_array)) {
			jsonrpc_err_set(err, JSONRPC_INVALID_REQUEST, NULL,
					"member \"params\" must be an object or an array");
			return -1;
		}
		req->params = v;
	}
	req->notification = !has_id;
	return 0;
}

static json_object *error_from(json_object *id, struct jsonrpc_err *err)
{
	json_object *r = jsonrpc_error(id, err->code, err->msg, err->data);
	err->data = NULL;
	return r;
}

/* One element: a response object, or NULL for a notification. *pending:
 * the handler has more to do for this request (call again). */
static json_object *process_one(json_object *msg, jsonrpc_handler handler,
				void *arg, bool *pending)
{
	struct jsonrpc_req req;
	struct jsonrpc_err err = {0};
	json_object *res;

	*pending = false;
	if (jsonrpc_check_request(msg, &req, &err) < 0)
		return error_from(req.id, &err);
	res = handler(arg, &req, &err);
	if (!res && err.code == JSONRPC_PENDING) {
		json_object_put(err.data);
		*pending = true;
		return NULL;
	}
	if (req.notification) {
		json_object_put(res);
		json_object_put(err.data);
		return NULL;
	}
	if (!res) {
		if (err.code == 0)
			jsonrpc_err_set(&err, JSONRPC_INTERNAL_ERROR, NULL,
					"handler failed without a reason");
		return error_from(req.id, &err);
	}
	return jsonrpc_result(req.id, res);
}

static json_object *parse_line(const char *line, size_t len,
			       struct jsonrpc_err *err)
{
	struct json_tokener *tok = json_tokener_new_ex(JSONRPC_MAX_DEPTH);
	json_object *o;
	size_t off;

	if (!tok) {
		jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* The terminating NUL is passed too, so a bare top-level number
	 * ("42") is complete rather than "waiting for more digits". */
	o = json_tokener_parse_ex(tok, line, (int)len + 1);
	if (!o) {
		enum json_tokener_error je = json_tokener_get_error(tok);
		jsonrpc_err_set(err, JSONRPC_PARSE_ERROR, NULL, "%s at offset %zu",
				je == json_tokener_continue ? "incomplete JSON text" :
				json_tokener_error_desc(je),
				json_tokener_get_parse_end(tok));
		json_tokener_free(tok);
		return NULL;
	}
	/* Only whitespace may follow the one JSON text on the line. */
	for (off = json_tokener_get_parse_end(tok); off < len; off++) {
		/* An embedded NUL ends the text early: refuse it. */
		if (line[off] != ' ' && line[off] != '\t' && line[off] != '\r') {
			jsonrpc_err_set(err, JSONRPC_PARSE_ERROR, NULL,
					"trailing data after the JSON text at offset %zu",
					off);
			json_object_put(o);
			json_tokener_free(tok);
			return NULL;
		}
	}
	json_tokener_free(tok);
	return o;
}

/* ---- jobs: one line, a request at a time ------------------------------ */

static int out_append(struct jsonrpc_job *j, const char *data, size_t n)
{
	if (j->out_len + n + 1 > j->out_cap) {
		size_t cap = j->out_cap ? j->out_cap : 1024;
		char *nb;

		while (cap < j->out_len + n + 1)
			cap *= 2;
		nb = realloc(j->out, cap);
		if (!nb)
			return -1;
		j->out = nb;
		j->out_cap = cap;
	}
	memcpy(j->out + j->out_len, data, n);
	j->out_len += n;
	j->out[j->out_len] = '\0';
	return 0;
}

/* Replace whatever was produced by one final message. */
static void job_answer(struct jsonrpc_job *j, json_object *msg)
{
	size_t len = 0;
	const char *text = json_object_to_json_string_length(
		msg, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);

	j->out_len = 0;
	if (out_append(j, text, len) < 0)
		j->out_len = 0;
	json_object_put(msg);
	json_object_put(j->msg);
	j->msg = NULL;
	j->done = true;
}

static void job_error(struct jsonrpc_job *j, json_object *id, int code,
		      json_object *data, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void job_error(struct jsonrpc_job *j, json_object *id, int code,
		      json_object *data, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	job_answer(j, jsonrpc_error(id, code, msg, data));
}

int jsonrpc_job_start(struct jsonrpc_job *j, const char *line, size_t len,
		      size_t max_out)
{
	struct jsonrpc_err err = {0};

	memset(j, 0, sizeof(*j));
	j->max_out = max_out ? max_out : JSONRPC_MAX_RESPONSE;
	j->msg = parse_line(line, len, &err);
	if (!j->msg) {
		job_answer(j, error_from(NULL, &err));
		return j->out_len ? 0 : -1;
	}
	if (!json_object_is_type(j->msg, json_type_array)) {
		j->n = 1;
		return 0;
	}
	j->batch = true;
	j->n = json_object_array_length(j->msg);
	/* JSON-RPC 2.0 section 6: an empty batch is one error. */
	if (j->n == 0)
		job_error(j, NULL, JSONRPC_INVALID_REQUEST, NULL, "empty batch");
	else if (j->n > JSONRPC_MAX_BATCH)
		job_error(j, NULL, JSONRPC_INVALID_REQUEST, NULL,
			  "batch of %zu requests exceeds the limit of %u",
			  j->n, JSONRPC_MAX_BATCH);
	return (j->done && !j->out_len) ? -1 : 0;
}

void jsonrpc_job_step(struct jsonrpc_job *j, jsonrpc_handler handler,
		      void *arg)
{
	json_object *r, *id = NULL;
	const char *text;
	size_t len = 0;
	bool pending;

	if (j->done)
		return;
	r = process_one(j->batch ? json_object_array_get_idx(j->msg, j->next) :
			j->msg, handler, arg, &pending);
	if (pending)
		return;
	j->next++;
	if (r) {
		text = json_object_to_json_string_length(
			r, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
			&len);
		/* What the answer would be with this element: "[" or "," in
		 * a batch, and its closing "]". */
		if (j->out_len + len + (j->batch ? 2 : 0) > j->max_out) {
			json_object *data = json_object_new_object();

			json_object_object_add(data, "limit",
					       json_object_new_int64((int64_t)j->max_out));
			json_object_object_add(data, "processed",
					       json_object_new_int64((int64_t)j->next));
			if (!j->batch)
				json_object_object_get_ex(r, "id", &id);
			job_error(j, id, JSONRPC_RESPONSE_TOO_LARGE, data,
				  "response exceeds %zu bytes; %zu of %zu requests "
				  "were run; ask for less at a time",
				  j->max_out, j->next, j->n);
			json_object_put(r);
			return;
		}
		if ((j->batch && out_append(j, j->out_len ? "," : "[", 1) < 0) ||
		    out_append(j, text, len) < 0) {
			json_object_put(r);
			job_error(j, NULL, JSONRPC_INTERNAL_ERROR, NULL, "out of memory");
			return;
		}
		json_object_put(r);
	}
	if (j->next >= j->n) {
		if (j->batch && j->out_len && out_append(j, "]", 1) < 0)
			j->out_len = 0;
		json_object_put(j->msg);
		j->msg = NULL;
		j->done = true;
	}
}

const char *jsonrpc_job_method(const struct jsonrpc_job *j)
{
	json_object *m, *v;

	if (j->done || !j->msg)
		return "-";
	m = j->batch ? json_object_array_get_idx(j->msg, j->next) : j->msg;
	if (!json_object_is_type(m, json_type_object) ||
	    !json_object_object_get_ex(m, "method", &v) ||
	    !json_object_is_type(v, json_type_string))
		return "-";
	return json_object_get_string(v);
}

size_t jsonrpc_job_out_bytes(const struct jsonrpc_job *j)
{
	return j->out_len;
}

char *jsonrpc_job_take(struct jsonrpc_job *j, size_t *len)
{
	char *out;

	if (!j->done || j->out_len == 0)
		return NULL;
	if (out_append(j, "\n", 1) < 0)
		return NULL;
	out = j->out;
	*len = j->out_len;
	j->out = NULL;
	j->out_len = j->out_cap = 0;
	return out;
}

void jsonrpc_job_free(struct jsonrpc_job *j)
{
	json_object_put(j->msg);
	free(j->out);
	memset(j, 0, sizeof(*j));
}

json_object *jsonrpc_process_line(const char *line, size_t len,
				  jsonrpc_handler handler, void *arg)
{
	struct jsonrpc_job j;
	json_object *out = NULL;
	char *text;
	size_t tlen = 0;

	if (jsonrpc_job_start(&j, line, len, 0) < 0)
		return NULL;
	while (!j.done)
		jsonrpc_job_step(&j, handler, arg);
	text = jsonrpc_job_take(&j, &tlen);
	if (text) {
		/* Our own output: as deep as the results we build. */
		struct json_tokener *tok = json_tokener_new_ex(64);

		if (tok) {
			out = json_tokener_parse_ex(tok, text, (int)tlen);
			json_tokener_free(tok);
		}
	}
	free(text);
	jsonrpc_job_free(&j);
	return out;
}

enum jsonrpc_kind jsonrpc_classify(json_object *msg)
{
	json_object *v;
	bool has_id;

	if (!json_object_is_type(msg, json_type_object))
		return JSONRPC_KIND_INVALID;
	if (!json_object_object_get_ex(msg, "jsonrpc", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "2.0") != 0)
		return JSONRPC_KIND_INVALID;
	has_id = json_object_object_get_ex(msg, "id", &v);
	if (json_object_object_get_ex(msg, "result", NULL) ||
	    json_object_object_get_ex(msg, "error", NULL))
		return has_id ? JSONRPC_KIND_RESPONSE : JSONRPC_KIND_INVALID;
	if (json_object_object_get_ex(msg, "method", &v) &&
	    json_object_is_type(v, json_type_string))
		return has_id ? JSONRPC_KIND_REQUEST : JSONRPC_KIND_NOTIFICATION;
	return JSONRPC_KIND_INVALID;
}
