/* libFuzzer harness for the control socket's input path: the JSON-RPC
 * framer (lib/jsonrpc.c) cutting a byte stream into lines, and each line
 * dispatched by rpc_handle_line() (vrrpd/ctl/rpc*.c) to the real method
 * handlers, the real YANG model and a fake engine behind struct
 * rpc_backend (as tests/unit/test_rpc.c builds one). Changes accepted by
 * the model reach the fake's apply_tree, which decodes them with
 * model_tree_to_config() like the engine.
 *
 * Properties checked: every response is a JSON-RPC response object (or a
 * non-empty array of them), and its serialization is one line ending in
 * '\n' (the framing of the other side depends on it).
 *
 * Input layout: byte 0 picks the caller (bits 0-1: 0 admin, 1 reader,
 * 2 nobody, 3 admin) and the framer limit (bit 2: 256 bytes, to reach the
 * oversize path; else JSONRPC_MAX_MSG); byte 1 is the size of the chunks
 * the stream is fed in (0 = all at once); the rest is the stream. Every
 * input starts from an empty running configuration.
 *
 * config.save must never write a file from a fuzzer running as root: the
 * link wraps rpc_write_file_atomic (-Wl,--wrap, see the Makefile) and the
 * harness refuses to start if a save bypasses the wrap. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_util.h"
#include "jsonrpc.h"
#include "model.h"
#include "rpc.h"

/* ---- fake engine (tests/unit/fake_engine.h), with its own failover ---- */

#include "fake_engine.h"

static struct fake fake;
static unsigned saves_wrapped;
static bool verbose; /* FUZZ_VERBOSE=1: print every exchange (reproducing) */

int __wrap_rpc_write_file_atomic(const char *path, const char *data, size_t len,
				 char *why, size_t whylen);
int __wrap_rpc_write_file_atomic(const char *path, const char *data, size_t len,
				 char *why, size_t whylen)
{
	saves_wrapped++;
	/* Both outcomes, so the fuzzer reaches the error reply too. */
	if (len == 0 || strlen(data) != len)
		abort();
	if (path[0] != '/') {
		snprintf(why, whylen, "fuzz: refused");
		return -1;
	}
	return 0;
}

/* Like the engine: only a master can resign. */
static int f_failover(void *arg, const char *name, unsigned hold_s, char *err,
		      size_t errlen)
{
	struct fake *f = arg;

	(void)hold_s;
	if (!vrrpd_config_find(&f->cfg, name)) {
		snprintf(err, errlen, "no instance %s", name);
		return -1;
	}
	if (f->state != VRRP_STATE_MASTER) {
		snprintf(err, errlen, "not master");
		return -1;
	}
	f->state = VRRP_STATE_BACKUP;
	return 0;
}


static struct rpc *fake_rpc(void)
{
	struct rpc_backend b = {
		.arg = &fake, .model = fake.m, .running_tree = f_running,
		.apply_tree = f_apply, .apply_instance = f_apply_instance,
		.instance_count = f_count,
		.status_at = f_status_at, .status = f_status,
		.failover = f_failover, .global_drops = f_drops,
		.config_generation = f_gen,
	};
	struct rpc_opts o = { .config_path = "/nonexistent/vrrpd-fuzz.json",
			      .socket_path = "/run/vrrpd-fuzz.sock" };
	struct model_error me;

	if (model_parse_json(fake.m, "{}", &fake.tree, &me) < 0)
		abort();
	fake.state = VRRP_STATE_MASTER;
	return rpc_new(&b, &o);
}

static void fake_reset(struct rpc *r)
{
	rpc_free(r);
	model_tree_free(fake.tree);
	fake.tree = NULL;
	vrrpd_config_free(&fake.cfg);
	memset(&fake.cfg, 0, sizeof(fake.cfg));
}

/* ---- properties ---------------------------------------------------------- */

static void check_response(json_object *resp)
{
	char *text;
	size_t len;

	if (json_object_is_type(resp, json_type_array)) {
		size_t n = json_object_array_length(resp);

		if (n == 0)
			abort();
		for (size_t i = 0; i < n; i++)
			if (jsonrpc_classify(json_object_array_get_idx(resp, i)) !=
			    JSONRPC_KIND_RESPONSE)
				abort();
	} else if (jsonrpc_classify(resp) != JSONRPC_KIND_RESPONSE) {
		abort();
	}
	text = jsonrpc_serialize(resp, &len);
	if (!text)
		return; /* out of memory */
	if (len == 0 || text[len - 1] != '\n' || memchr(text, '\n', len - 1) ||
	    strlen(text) != len)
		abort();
	free(text);
}

static void handle(struct rpc *r, struct rpc_caller *c, const char *line,
		   size_t len)
{
	json_object *resp;

	if (line[len] != '\0')
		abort(); /* the framer's promise */
	resp = rpc_handle_line(r, c, line, len);
	if (verbose)
		fprintf(stderr, "> %.300s\n< %.300s\n", line,
			resp ? json_object_to_json_string(resp) : "(nothing)");
	if (resp) {
		check_response(resp);
		json_object_put(resp);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char save[] =
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"config.save\"}";
	struct rpc_caller admin = { .may_read = true, .may_write = true };
	struct model_error me;
	struct rpc *r;
	json_object *resp;

	(void)argc;
	(void)argv;
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	fake.m = model_new(&me);
	if (!fake.m) {
		fprintf(stderr, "fuzz_rpc: model: %s\n", me.msg);
		abort();
	}
	r = fake_rpc();
	resp = rpc_handle_line(r, &admin, save, strlen(save));
	json_object_put(resp);
	fake_reset(r);
	if (saves_wrapped != 1) {
		fprintf(stderr, "fuzz_rpc: config.save bypasses the wrapped "
			"rpc_write_file_atomic; refusing to fuzz as it would "
			"write files\n");
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rpc_caller callers[4] = {
		{ .may_read = true, .may_write = true },
		{ .uid = 1000, .gid = 1000, .may_read = true },
		{ .uid = 65534, .gid = 65534 },
		{ .may_read = true, .may_write = true },
	};
	struct jsonrpc_framer f;
	struct rpc_caller *c;
	struct rpc *r;
	size_t chunk, off = 0, len;
	enum jsonrpc_frame_rc rc;
	char *line;

	if (size < 2)
		return 0;
	c = &callers[data[0] & 3];
	jsonrpc_framer_init(&f, (data[0] & 4) ? 256 : JSONRPC_MAX_MSG);
	chunk = data[1] ? data[1] : size;
	data += 2;
	size -= 2;
	r = fake_rpc();
	while (off < size) {
		size_t n = size - off < chunk ? size - off : chunk;

		if (jsonrpc_framer_feed(&f, (const char *)data + off, n) < 0)
			abort();
		off += n;
		while ((rc = jsonrpc_framer_next(&f, &line, &len)) != JSONRPC_FRAME_NONE)
			if (rc == JSONRPC_FRAME_LINE)
				handle(r, c, line, len);
	}
	if (jsonrpc_framer_take_rest(&f, &line, &len))
		handle(r, c, line, len);
	jsonrpc_framer_free(&f);
	fake_reset(r);
	return 0;
}
