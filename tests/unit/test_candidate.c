/* Configuration mode over JSON-RPC (vrrpd/ctl/candidate*.c) against a fake
 * engine and the real YANG model: nothing applied before commit; an
 * invalid candidate (a must and a unique constraint) refused at commit
 * with its YANG path and nothing applied; conflicting commits from two
 * candidates; rollback; history across a restart; candidates private to
 * their connection and dropped with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "candidate.h"
#include "config.h"
#include "model.h"
#include "rpc.h"

#include "fake_engine.h"

struct t {
	struct fake f;
	struct rpc *r;
	struct rpc_caller a, b;
	char dir[64], path[128];
};

static struct rpc *new_rpc(struct t *t)
{
	struct rpc_backend b = {
		.arg = &t->f, .model = t->f.m, .running_tree = f_running,
		.apply_tree = f_apply, .instance_count = f_count,
		.global_drops = f_drops, .config_generation = f_gen,
	};
	struct rpc_opts o = { .config_path = t->path };

	return rpc_new(&b, &o);
}

#define START "{\"vrrpd:vrrpd\":{\"instance\":[" \
	"{\"name\":\"VI_1\",\"interface\":\"eth0\",\"vrid\":1,\"priority\":100," \
	"\"virtual-address\":[{\"address\":\"10.0.0.1\"}]}," \
	"{\"name\":\"VI_2\",\"interface\":\"eth0\",\"vrid\":2," \
	"\"virtual-address\":[{\"address\":\"10.0.0.2\"}]}]}}"

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));
	struct model_error me;
	struct lyd_node *tree;

	t->f.m = model_new(&me);
	assert_non_null(t->f.m);
	assert_int_equal(model_parse_json(t->f.m, START, &tree, &me), 0);
	assert_int_equal(f_apply(&t->f, tree, &me), 0);
	t->f.applies = 0;
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_candidate.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/vrrpd.json", t->dir);
	t->r = new_rpc(t);
	assert_non_null(t->r);
	t->a = (struct rpc_caller){ .may_read = true, .may_write = true };
	t->b = (struct rpc_caller){ .may_read = true, .may_write = true };
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	char cmd[160];

	rpc_free(t->r);
	model_tree_free(t->f.tree);
	vrrpd_config_free(&t->f.cfg);
	model_free(t->f.m);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", t->dir);
	assert_int_equal(system(cmd), 0);
	free(t);
	return 0;
}

static json_object *call(struct t *t, struct rpc_caller *c, const char *method,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static json_object *call(struct t *t, struct rpc_caller *c, const char *method,
			 const char *fmt, ...)
{
	char params[2048], line[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(params, sizeof(params), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line),
		 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}",
		 method, params);
	return rpc_handle_line(t->r, c, line, strlen(line));
}

static int code_of(json_object *resp)
{
	json_object *e, *c;

	if (!json_object_object_get_ex(resp, "error", &e) ||
	    !json_object_object_get_ex(e, "code", &c))
		return 0;
	return json_object_get_int(c);
}

static const char *field(json_object *resp, const char *a, const char *b)
{
	json_object *o = NULL, *v = NULL;

	json_object_object_get_ex(resp, a, &o);
	if (!o || !json_object_object_get_ex(o, b, &v))
		return "";
	return json_object_get_string(v);
}

/* Call, expect code (0 = success), return the result/error member b. */
static char *expect(struct t *t, struct rpc_caller *c, int code, const char *method,
		    const char *key, const char *params)
{
	json_object *resp = call(t, c, method, "%s", params);
	char *s;

	if (code_of(resp) != code)
		fail_msg("%s %s: %s", method, params, json_object_to_json_string(resp));
	s = strdup(field(resp, code ? "error" : "result", key));
	json_object_put(resp);
	return s;
}

static unsigned open_cand(struct t *t, struct rpc_caller *c)
{
	char *id = expect(t, c, 0, "candidate.open", "id", "{}");
	unsigned n = (unsigned)atoi(id);

	free(id);
	assert_true(n > 0);
	return n;
}

static void run(struct t *t, struct rpc_caller *c, int code, const char *method,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void run(struct t *t, struct rpc_caller *c, int code, const char *method,
		const char *fmt, ...)
{
	char params[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(params, sizeof(params), fmt, ap);
	va_end(ap);
	free(expect(t, c, code, method, "message", params));
}

static void test_commit_cycle(void **state)
{
	struct t *t = *state;
	unsigned id = open_cand(t, &t->a);
	char *d;

	run(t, &t->a, 0, "candidate.edit", "{\"id\":%u,\"op\":\"set\",\"name\":\"VI_1\","
	    "\"priority\":150}", id);
	run(t, &t->a, 0, "candidate.edit", "{\"id\":%u,\"op\":\"delete\",\"name\":\"VI_2\"}", id);
	/* Nothing applied before commit. */
	assert_int_equal(t->f.applies, 0);
	assert_int_equal(t->f.cfg.instances[0].priority, 100);
	char p[64];
	snprintf(p, sizeof(p), "{\"id\":%u}", id);
	d = expect(t, &t->a, 0, "candidate.compare", "diff", p);
	/* priority 100 is the default: running does not list it. */
	assert_string_equal(d,
		"+set instance VI_1 priority 150\n"
		"-set instance VI_2 interface eth0\n"
		"-set instance VI_2 vrid 2\n"
		"-set instance VI_2 address 10.0.0.2\n");
	free(d);
	free(expect(t, &t->a, 0, "candidate.validate", "valid", p));
	assert_int_equal(t->f.applies, 0);
	run(t, &t->a, 0, "candidate.commit", "{\"id\":%u,\"comment\":\"one\"}", id);
	assert_int_equal(t->f.applies, 1);
	assert_int_equal(t->f.cfg.n_instances, 1);
	assert_int_equal(t->f.cfg.instances[0].priority, 150);
	/* The candidate follows running after a commit. */
	d = expect(t, &t->a, 0, "candidate.compare", "diff", p);
	assert_string_equal(d, "");
	free(d);
	/* Bad edits change nothing and say why. */
	run(t, &t->a, JSONRPC_NOT_FOUND, "candidate.edit",
	    "{\"id\":%u,\"op\":\"set\",\"name\":\"nope\",\"priority\":1}", id);
	run(t, &t->a, JSONRPC_INVALID_PARAMS, "candidate.edit",
	    "{\"id\":%u,\"op\":\"frob\",\"name\":\"VI_1\"}", id);
	run(t, &t->a, JSONRPC_INVALID_PARAMS, "candidate.edit",
	    "{\"id\":%u,\"op\":\"set\",\"name\":\"VI_1\",\"name/x\":1}", id);
}

/* Every must/unique constraint is still checked: the v2 interval must
 * (RFC 3768 5.3.7) and the unique interface+vrid+family. */
static void test_invalid_refused(void **state)
{
	struct t *t = *state;
	unsigned id = open_cand(t, &t->a);
	char *path;
	char p[64];

	snprintf(p, sizeof(p), "{\"id\":%u}", id);
	run(t, &t->a, 0, "candidate.edit", "{\"id\":%u,\"op\":\"set\",\"name\":\"VI_2\","
	    "\"version\":2,\"advertisement-interval\":50}", id);
	json_object *resp = call(t, &t->a, "candidate.commit", "%s", p);
	assert_int_equal(code_of(resp), JSONRPC_VALIDATION_FAILED);
	json_object *e, *data, *v;
	json_object_object_get_ex(resp, "error", &e);
	json_object_object_get_ex(e, "data", &data);
	json_object_object_get_ex(data, "path", &v);
	assert_string_equal(json_object_get_string(v),
			    "/vrrpd:vrrpd/instance[name='VI_2']/advertisement-interval");
	json_object_put(resp);
	assert_int_equal(t->f.applies, 0);
	path = expect(t, &t->a, JSONRPC_VALIDATION_FAILED, "candidate.validate", "message", p);
	assert_non_null(strstr(path, "advertisement-interval"));
	free(path);
	run(t, &t->a, 0, "candidate.discard", "%s", p);
	run(t, &t->a, 0, "candidate.edit", "{\"id\":%u,\"op\":\"set\",\"name\":\"VI_2\","
	    "\"vrid\":1}", id);
	run(t, &t->a, JSONRPC_VALIDATION_FAILED, "candidate.commit", "%s", p);
	assert_int_equal(t->f.applies, 0);
	assert_int_equal(t->f.cfg.instances[1].vrid, 2);
}

static void test_conflict(void **state)
{
	struct t *t = *state;
	unsigned a = open_cand(t, &t->a), b = open_cand(t, &t->b);
	char *msg;
	char p[128];

	run(t, &t->a, 0, "candidate.edit", "{\"id\":%u,\"op\":\"set\",\"name\":\"VI_1\","
	    "\"priority\":110}", a);
	run(t, &t->b, 0, "candidate.edit", "{\"id\":%u,\"op\":\"set\",\"name\":\"VI_1\","
	    "\"priority\":120}", b);
	run(t, &t->a, 0, "candidate.commit", "{\"id\":%u}", a);
	snprintf(p, sizeof(p), "{\"id\":%u}", b);
	msg = expect(t, &t->b, RPC_ERR_CONFLICT, "candidate.commit", "message", p);
	assert_non_null(strstr(msg, "VI_1"));
	free(msg);
	assert_int_equal(t->f.cfg.instances[0].priority, 110);
	/* Changes to other instances go through on top of the new running. */
	run(t, &t->b, 0, "commit.rollback", "{\"id\":%u,\"n\":0}", b);
	run(t, &t->a, 0, "candidate.edit", "{\"id\":%u,\"op\":\"set\",\"name\":\"VI_1\","
	    "\"priority\":111}", a);
	run(t, &t->b, 0, "candidate.edit", "{\"id\":%u,\"op\":\"set\",\"name\":\"VI_2\","
	    "\"priority\":90}", b);
	run(t, &t->a, 0, "candidate.commit", "{\"id\":%u}", a);
	run(t, &t->b, 0, "candidate.commit", "{\"id\":%u}", b);
	assert_int_equal(t->f.cfg.instances[0].priority, 111);
	assert_int_equal(t->f.cfg.instances[1].priority, 90);
	/* A candidate is private to its connection, and goes with it. */
	run(t, &t->b, JSONRPC_NOT_FOUND, "candidate.get", "{\"id\":%u}", a);
	rpc_caller_gone(t->r, &t->a);
	run(t, &t->a, JSONRPC_NOT_FOUND, "candidate.get", "{\"id\":%u}", a);
}

static void test_rollback_and_restart(void **state)
{
	struct t *t = *state;
	unsigned id = open_cand(t, &t->a);
	char p[64], *d;

	snprintf(p, sizeof(p), "{\"id\":%u}", id);
	run(t, &t->a, 0, "candidate.edit", "{\"id\":%u,\"op\":\"set\",\"name\":\"VI_1\","
	    "\"priority\":150}", id);
	run(t, &t->a, 0, "candidate.commit", "{\"id\":%u,\"comment\":\"A\"}", id);
	run(t, &t->a, 0, "candidate.edit", "{\"id\":%u,\"op\":\"set\",\"name\":\"VI_1\","
	    "\"priority\":200}", id);
	run(t, &t->a, 0, "candidate.commit", "{\"id\":%u,\"comment\":\"B\"}", id);
	run(t, &t->a, 0, "commit.rollback", "{\"id\":%u,\"n\":1}", id);
	d = expect(t, &t->a, 0, "candidate.compare", "diff", p);
	assert_string_equal(d, "-set instance VI_1 priority 200\n"
			       "+set instance VI_1 priority 150\n");
	free(d);
	run(t, &t->a, JSONRPC_NOT_FOUND, "commit.rollback", "{\"id\":%u,\"n\":9}", id);
	/* rollback 2: what ran before the first commit. */
	run(t, &t->a, 0, "commit.rollback", "{\"id\":%u,\"n\":2}", id);
	d = expect(t, &t->a, 0, "candidate.compare", "diff", p);
	/* Back to the default (100): only the removed line. */
	assert_string_equal(d, "-set instance VI_1 priority 200\n");
	free(d);
	/* The history survives a restart of the daemon. */
	rpc_free(t->r);
	t->r = new_rpc(t);
	json_object *resp = call(t, &t->a, "commit.list", "{}");
	json_object *res, *arr;
	json_object_object_get_ex(resp, "result", &res);
	json_object_object_get_ex(res, "commits", &arr);
	assert_int_equal(json_object_array_length(arr), 3);
	json_object *c0 = json_object_array_get_idx(arr, 0), *v;
	json_object_object_get_ex(c0, "comment", &v);
	assert_string_equal(json_object_get_string(v), "B");
	json_object_object_get_ex(c0, "rollback", &v);
	assert_int_equal(json_object_get_int(v), 0);
	json_object_put(resp);
	/* commit.confirm with nothing pending is an error, not a no-op. */
	run(t, &t->a, RPC_ERR_NOT_PENDING, "commit.confirm", "{}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_and_restart, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
