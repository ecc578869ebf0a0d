/* JSON-RPC framing, request checking, batches and notifications. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonrpc.h"

static char *next_line(struct jsonrpc_framer *f)
{
	char *line;
	size_t len;
	enum jsonrpc_frame_rc rc = jsonrpc_framer_next(f, &line, &len);

	if (rc != JSONRPC_FRAME_LINE)
		return NULL;
	assert_int_equal(strlen(line), len);
	return line;
}

static void test_frame_split_reads(void **state)
{
	struct jsonrpc_framer f;
	(void)state;

	jsonrpc_framer_init(&f, 0);
	assert_int_equal(jsonrpc_framer_feed(&f, "{\"a\":", 5), 0);
	assert_null(next_line(&f));
	assert_int_equal(jsonrpc_framer_pending(&f), 5);
	assert_int_equal(jsonrpc_framer_feed(&f, "1}", 2), 0);
	assert_null(next_line(&f));
	assert_int_equal(jsonrpc_framer_feed(&f, "\n{", 2), 0);
	assert_string_equal(next_line(&f), "{\"a\":1}");
	assert_null(next_line(&f));
	assert_int_equal(jsonrpc_framer_pending(&f), 1);
	jsonrpc_framer_free(&f);
}

static void test_frame_many_in_one_read(void **state)
{
	struct jsonrpc_framer f;
	const char *in = "one\ntwo\r\n\n\nthree\nfour";
	(void)state;

	jsonrpc_framer_init(&f, 0);
	jsonrpc_framer_feed(&f, in, strlen(in));
	assert_string_equal(next_line(&f), "one");
	assert_string_equal(next_line(&f), "two");
	assert_string_equal(next_line(&f), "three");
	assert_null(next_line(&f));
	jsonrpc_framer_feed(&f, "\n", 1);
	assert_string_equal(next_line(&f), "four");
	assert_int_equal(jsonrpc_framer_pending(&f), 0);
	jsonrpc_framer_free(&f);
}

static void test_frame_oversize(void **state)
{
	struct jsonrpc_framer f;
	char *line;
	size_t len;
	(void)state;

	jsonrpc_framer_init(&f, 16);
	/* Exactly the limit passes. */
	jsonrpc_framer_feed(&f, "0123456789abcdef\n", 17);
	assert_string_equal(next_line(&f), "0123456789abcdef");
	/* One more byte, spread over reads without a newline: dropped,
	 * reported once, memory stays bounded, next message still works. */
	jsonrpc_framer_feed(&f, "0123456789", 10);
	jsonrpc_framer_feed(&f, "abcdefg", 7);
	assert_true(f.len <= 16);
	for (int i = 0; i < 100; i++)
		jsonrpc_framer_feed(&f, "xxxxxxxxxxxxxxxxxxxxxxxx", 24);
	assert_true(f.cap <= 4096);
	assert_int_equal(jsonrpc_framer_next(&f, &line, &len), JSONRPC_FRAME_OVERSIZE);
	assert_int_equal(jsonrpc_framer_next(&f, &line, &len), JSONRPC_FRAME_NONE);
	jsonrpc_framer_feed(&f, "yyy\nok\n", 7);
	assert_string_equal(next_line(&f), "ok");
	/* A complete oversize line inside one read. */
	jsonrpc_framer_feed(&f, "ok2\n01234567890123456789\nok3\n", 29);
	assert_int_equal(jsonrpc_framer_next(&f, &line, &len), JSONRPC_FRAME_OVERSIZE);
	assert_string_equal(next_line(&f), "ok2");
	assert_string_equal(next_line(&f), "ok3");
	jsonrpc_framer_free(&f);
}

static void test_frame_half_message_at_eof(void **state)
{
	struct jsonrpc_framer f;
	char *line;
	size_t len;
	(void)state;

	jsonrpc_framer_init(&f, 0);
	jsonrpc_framer_feed(&f, "a\n{\"jsonrpc\":", 13);
	assert_string_equal(next_line(&f), "a");
	assert_null(next_line(&f));
	assert_true(jsonrpc_framer_take_rest(&f, &line, &len));
	assert_string_equal(line, "{\"jsonrpc\":");
	assert_false(jsonrpc_framer_take_rest(&f, &line, &len));
	jsonrpc_framer_free(&f);
}

/* A handler that echoes params, fails "fail", counts calls. */
static int calls;
static json_object *echo(void *arg, const struct jsonrpc_req *req,
			 struct jsonrpc_err *err)
{
	(void)arg;
	calls++;
	if (strcmp(req->method, "fail") == 0) {
		json_object *d = json_object_new_object();
		json_object_object_add(d, "path", json_object_new_string("/x"));
		jsonrpc_err_set(err, JSONRPC_VALIDATION_FAILED, d, "bad %d", 7);
		return NULL;
	}
	if (strcmp(req->method, "echo") != 0) {
		jsonrpc_err_set(err, JSONRPC_METHOD_NOT_FOUND, NULL, "no method %s",
				req->method);
		return NULL;
	}
	return req->params ? json_object_get(req->params) : json_object_new_object();
}

static json_object *run(const char *line)
{
	return jsonrpc_process_line(line, strlen(line), echo, NULL);
}

static int err_code(json_object *resp)
{
	json_object *e, *c;
	if (!json_object_object_get_ex(resp, "error", &e) ||
	    !json_object_object_get_ex(e, "code", &c))
		return 0;
	return json_object_get_int(c);
}

static void test_valid_request(void **state)
{
	(void)state;
	json_object *r = run("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":{\"a\":1},\"id\":7}");
	json_object *v;

	assert_non_null(r);
	assert_true(json_object_object_get_ex(r, "id", &v));
	assert_int_equal(json_object_get_int(v), 7);
	assert_true(json_object_object_get_ex(r, "result", &v));
	assert_string_equal(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
			    "{\"a\":1}");
	json_object_put(r);

	r = run("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":\"abc\"}");
	assert_true(json_object_object_get_ex(r, "id", &v));
	assert_string_equal(json_object_get_string(v), "abc");
	json_object_put(r);

	r = run("{\"jsonrpc\":\"2.0\",\"method\":\"fail\",\"id\":1}");
	assert_int_equal(err_code(r), JSONRPC_VALIDATION_FAILED);
	json_object *e, *d, *pth;
	assert_true(json_object_object_get_ex(r, "error", &e));
	assert_true(json_object_object_get_ex(e, "data", &d));
	assert_true(json_object_object_get_ex(d, "path", &pth));
	assert_string_equal(json_object_get_string(pth), "/x");
	assert_true(json_object_object_get_ex(e, "message", &pth));
	assert_string_equal(json_object_get_string(pth), "bad 7");
	json_object_put(r);
}

static void test_invalid(void **state)
{
	(void)state;
	struct { const char *in; int code; } cases[] = {
		{ "{\"jsonrpc\":\"2.0\",\"method\":\"echo\"", JSONRPC_PARSE_ERROR },
		{ "not json", JSONRPC_PARSE_ERROR },
		{ "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":1} x", JSONRPC_PARSE_ERROR },
		{ "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":1,}", JSONRPC_PARSE_ERROR },
		{ "42", JSONRPC_INVALID_REQUEST },
		{ "{\"method\":\"echo\",\"id\":1}", JSONRPC_INVALID_REQUEST },
		{ "{\"jsonrpc\":\"1.0\",\"method\":\"echo\",\"id\":1}", JSONRPC_INVALID_REQUEST },
		{ "{\"jsonrpc\":\"2.0\",\"method\":5,\"id\":1}", JSONRPC_INVALID_REQUEST },
		{ "{\"jsonrpc\":\"2.0\",\"method\":\"\",\"id\":1}", JSONRPC_INVALID_REQUEST },
		{ "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":3,\"id\":1}", JSONRPC_INVALID_REQUEST },
		{ "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":{}}", JSONRPC_INVALID_REQUEST },
		{ "{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"id\":1}", JSONRPC_METHOD_NOT_FOUND },
		{ "[]", JSONRPC_INVALID_REQUEST },
		{ "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":1}\t ", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object *r = run(cases[i].in);
		assert_non_null(r);
		if (err_code(r) != cases[i].code)
			fail_msg("case %zu '%s': got %s", i, cases[i].in,
				 json_object_to_json_string(r));
		json_object_put(r);
	}
	/* An embedded NUL is not silently accepted. */
	json_object *z = jsonrpc_process_line("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":1}\0x", 42, echo, NULL);
	assert_int_equal(err_code(z), JSONRPC_PARSE_ERROR);
	json_object_put(z);
	/* Deep nesting is refused by the parser, not by the stack. */
	char deep[200];
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	json_object *r = run(deep);
	assert_int_equal(err_code(r), JSONRPC_PARSE_ERROR);
	json_object_put(r);
}

static void test_notifications(void **state)
{
	(void)state;
	calls = 0;
	assert_null(run("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1]}"));
	/* Even a failing notification gets no response. */
	assert_null(run("{\"jsonrpc\":\"2.0\",\"method\":\"fail\"}"));
	assert_int_equal(calls, 2);
	/* id null is a request, not a notification. */
	json_object *r = run("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":null}");
	assert_non_null(r);
	json_object_put(r);
}

static void test_batch(void **state)
{
	(void)state;
	json_object *r = run("[{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":1},"
			     "{\"jsonrpc\":\"2.0\",\"method\":\"echo\"},"
			     "1,"
			     "{\"jsonrpc\":\"2.0\",\"method\":\"fail\",\"id\":\"x\"}]");
	assert_true(json_object_is_type(r, json_type_array));
	assert_int_equal(json_object_array_length(r), 3);
	assert_int_equal(err_code(json_object_array_get_idx(r, 0)), 0);
	assert_int_equal(err_code(json_object_array_get_idx(r, 1)), JSONRPC_INVALID_REQUEST);
	assert_int_equal(err_code(json_object_array_get_idx(r, 2)), JSONRPC_VALIDATION_FAILED);
	json_object_put(r);

	/* All notifications: nothing at all to send. */
	assert_null(run("[{\"jsonrpc\":\"2.0\",\"method\":\"echo\"},"
			"{\"jsonrpc\":\"2.0\",\"method\":\"echo\"}]"));
}

/* A batch of n echo requests, each with a string param of pad bytes. */
static char *make_batch(size_t n, size_t pad)
{
	size_t cap = n * (pad + 80) + 16, off = 0;
	char *b = malloc(cap), *p = malloc(pad + 1);

	memset(p, 'x', pad);
	p[pad] = '\0';
	off += (size_t)snprintf(b + off, cap - off, "[");
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(b + off, cap - off,
					"%s{\"jsonrpc\":\"2.0\",\"method\":\"echo\","
					"\"params\":{\"p\":\"%s\"},\"id\":%zu}",
					i ? "," : "", p, i);
	snprintf(b + off, cap - off, "]");
	free(p);
	return b;
}

/* More than JSONRPC_MAX_BATCH requests: one error, none of them runs. */
static void test_batch_cap(void **state)
{
	(void)state;
	char *b = make_batch(JSONRPC_MAX_BATCH + 1, 1);
	json_object *r;

	calls = 0;
	r = run(b);
	assert_int_equal(err_code(r), JSONRPC_INVALID_REQUEST);
	assert_int_equal(calls, 0);
	json_object_put(r);
	free(b);
	b = make_batch(JSONRPC_MAX_BATCH, 1);
	r = run(b);
	assert_true(json_object_is_type(r, json_type_array));
	assert_int_equal(json_object_array_length(r), JSONRPC_MAX_BATCH);
	assert_int_equal(calls, JSONRPC_MAX_BATCH);
	json_object_put(r);
	free(b);
}

/* The size is checked element by element: past the limit the rest is not
 * run and the answer is one error saying how many ran. */
static void test_response_limit(void **state)
{
	(void)state;
	struct jsonrpc_job j;
	char *b = make_batch(10, 1000), *text;
	json_object *r, *v;
	size_t len = 0, last = 0;

	calls = 0;
	assert_int_equal(jsonrpc_job_start(&j, b, strlen(b), 3500), 0);
	assert_false(j.done);
	while (!j.done) {
		jsonrpc_job_step(&j, echo, NULL);
		/* Never more than the limit held, even on the way. */
		assert_true(jsonrpc_job_out_bytes(&j) <= 3500);
		last = j.next;
	}
	/* Three echoes of ~1 KB fit, the fourth does not. */
	assert_int_equal(calls, 4);
	assert_int_equal(last, 4);
	text = jsonrpc_job_take(&j, &len);
	assert_non_null(text);
	assert_int_equal(text[len - 1], '\n');
	r = json_tokener_parse(text);
	assert_int_equal(err_code(r), JSONRPC_RESPONSE_TOO_LARGE);
	assert_true(json_object_object_get_ex(r, "error", &v));
	assert_true(json_object_object_get_ex(v, "data", &v));
	assert_true(json_object_object_get_ex(v, "processed", &v));
	assert_int_equal(json_object_get_int(v), 4);
	json_object_put(r);
	free(text);
	jsonrpc_job_free(&j);
	free(b);

	/* A single request keeps its id in the error. */
	b = malloc(3000);
	memset(b, 'y', 2000);
	b[2000] = '\0';
	char line[2200];
	snprintf(line, sizeof(line), "{\"jsonrpc\":\"2.0\",\"method\":\"echo\","
		 "\"params\":{\"p\":\"%s\"},\"id\":9}", b);
	assert_int_equal(jsonrpc_job_start(&j, line, strlen(line), 1000), 0);
	jsonrpc_job_step(&j, echo, NULL);
	assert_true(j.done);
	text = jsonrpc_job_take(&j, &len);
	r = json_tokener_parse(text);
	assert_int_equal(err_code(r), JSONRPC_RESPONSE_TOO_LARGE);
	assert_true(json_object_object_get_ex(r, "id", &v));
	assert_int_equal(json_object_get_int(v), 9);
	json_object_put(r);
	free(text);
	jsonrpc_job_free(&j);
	free(b);
}

/* A job runs one request per step, so a server can stop in a batch. */
static void test_job_steps(void **state)
{
	(void)state;
	struct jsonrpc_job j;
	char *b = make_batch(5, 10), *text;
	size_t len = 0;
	json_object *r;

	calls = 0;
	assert_int_equal(jsonrpc_job_start(&j, b, strlen(b), 0), 0);
	for (int i = 1; i <= 5; i++) {
		assert_false(j.done);
		jsonrpc_job_step(&j, echo, NULL);
		assert_int_equal(calls, i);
	}
	assert_true(j.done);
	text = jsonrpc_job_take(&j, &len);
	r = json_tokener_parse(text);
	assert_int_equal(json_object_array_length(r), 5);
	json_object_put(r);
	free(text);
	jsonrpc_job_free(&j);
	free(b);

	/* Notifications only: done, nothing to send. */
	const char *note = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\"}";
	assert_int_equal(jsonrpc_job_start(&j, note, strlen(note), 0), 0);
	jsonrpc_job_step(&j, echo, NULL);
	assert_true(j.done);
	assert_null(jsonrpc_job_take(&j, &len));
	jsonrpc_job_free(&j);
	/* A parse error is answered before anything runs. */
	assert_int_equal(jsonrpc_job_start(&j, "{", 1, 0), 0);
	assert_true(j.done);
	text = jsonrpc_job_take(&j, &len);
	assert_non_null(strstr(text, "-32700"));
	free(text);
	jsonrpc_job_free(&j);
}

static void test_builders(void **state)
{
	(void)state;
	size_t len;
	json_object *n = jsonrpc_notification("event", json_object_new_object());
	char *s = jsonrpc_serialize(n, &len);

	assert_string_equal(s, "{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{}}\n");
	assert_int_equal(len, strlen(s));
	assert_int_equal(jsonrpc_classify(n), JSONRPC_KIND_NOTIFICATION);
	free(s);
	json_object_put(n);

	json_object *q = jsonrpc_request("a.b", NULL, 5);
	assert_int_equal(jsonrpc_classify(q), JSONRPC_KIND_REQUEST);
	json_object *id = NULL;
	json_object_object_get_ex(q, "id", &id);
	json_object *e = jsonrpc_error(id, JSONRPC_NOT_FOUND, NULL, NULL);
	assert_int_equal(jsonrpc_classify(e), JSONRPC_KIND_RESPONSE);
	s = jsonrpc_serialize(e, NULL);
	assert_string_equal(s, "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,"
			    "\"message\":\"Not found\"},\"id\":5}\n");
	free(s);
	json_object_put(e);
	json_object_put(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_split_reads),
		cmocka_unit_test(test_frame_many_in_one_read),
		cmocka_unit_test(test_frame_oversize),
		cmocka_unit_test(test_frame_half_message_at_eof),
		cmocka_unit_test(test_valid_request),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_notifications),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_batch_cap),
		cmocka_unit_test(test_response_limit),
		cmocka_unit_test(test_job_steps),
		cmocka_unit_test(test_builders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
