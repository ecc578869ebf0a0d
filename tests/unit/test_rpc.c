/* JSON-RPC methods (vrrpd/rpc*.c) against a fake engine behind struct
 * rpc_backend and the real YANG model: results, validation errors with
 * path and reason, nothing changed on a rejected change, permissions,
 * failover on a backup, atomic save. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "model.h"
#include "rpc.h"

#include "fake_engine.h"

static int f_failover(void *arg, const char *name, unsigned hold_s, char *err,
		      size_t errlen)
{
	struct fake *f = arg;

	(void)name;
	(void)err;
	(void)errlen;
	f->failovers++;
	f->last_hold = hold_s;
	f->state = VRRP_STATE_BACKUP;
	return 0;
}

struct t {
	struct fake f;
	struct rpc *r;
	struct rpc_caller admin, reader;
	char dir[64];
	char path[128];
	char save_dir[128];
};

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));
	struct model_error me;
	struct rpc_backend b = {
		.arg = &t->f, .running_tree = f_running, .apply_tree = f_apply,
		.apply_instance = f_apply_instance, .instance_count = f_count, .status_at = f_status_at,
		.status = f_status, .failover = f_failover, .global_drops = f_drops,
		.config_generation = f_gen,
	};
	struct rpc_opts o = { 0 };
	struct lyd_node *tree;

	t->f.m = model_new(&me);
	assert_non_null(t->f.m);
	b.model = t->f.m;
	assert_int_equal(model_parse_json(t->f.m, "{}", &tree, &me), 0);
	t->f.tree = tree;
	t->f.state = VRRP_STATE_MASTER;
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_rpc.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/vrrpd.json", t->dir);
	snprintf(t->save_dir, sizeof(t->save_dir), "%s/saved", t->dir);
	assert_int_equal(mkdir(t->save_dir, 0700), 0);
	o.config_path = t->path;
	o.save_dir = t->save_dir;
	o.socket_path = "/run/test.sock";
	t->r = rpc_new(&b, &o);
	t->admin = (struct rpc_caller){ .may_read = true, .may_write = true };
	t->reader = (struct rpc_caller){ .uid = 1000, .gid = 1000, .may_read = true };
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

/* Call method with params (JSON text) as caller; returns the response. */
static json_object *call(struct t *t, struct rpc_caller *c, const char *method,
			 const char *params)
{
	char line[4096];

	snprintf(line, sizeof(line),
		 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}",
		 method, params ? params : "{}");
	return rpc_handle_line(t->r, c, line, strlen(line));
}

static json_object *get(json_object *o, const char *path)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save)) {
		json_object *v = NULL;

		if (json_object_is_type(o, json_type_array))
			v = json_object_array_get_idx(o, (size_t)atoi(k));
		else if (!json_object_object_get_ex(o, k, &v))
			v = NULL;
		o = v;
	}
	return o;
}

static int code_of(json_object *resp)
{
	json_object *c = get(resp, "error.code");
	return c ? json_object_get_int(c) : 0;
}

/* Call and expect success; returns the result (caller puts resp). */
static json_object *ok(struct t *t, const char *method, const char *params,
		       json_object **resp)
{
	*resp = call(t, &t->admin, method, params);
	if (code_of(*resp) != 0)
		fail_msg("%s %s: %s", method, params,
			 json_object_to_json_string(*resp));
	return get(*resp, "result");
}

static void expect_error(struct t *t, struct rpc_caller *c, const char *method,
			 const char *params, int code)
{
	json_object *r = call(t, c, method, params);

	if (code_of(r) != code)
		fail_msg("%s %s: want %d, got %s", method, params, code,
			 json_object_to_json_string(r));
	json_object_put(r);
}

#define VI1 "{\"name\":\"VI_1\",\"interface\":\"eth0\",\"vrid\":11," \
	    "\"priority\":150,\"virtual-address\":[\"10.10.1.1/16\"]}"

static void create_vi1(struct t *t)
{
	json_object *resp;

	ok(t, "instance.create", VI1, &resp);
	json_object_put(resp);
}

static void test_create_list_get(void **state)
{
	struct t *t = *state;
	json_object *resp, *res;

	create_vi1(t);
	assert_int_equal(t->f.applies, 1);
	res = ok(t, "instance.list", NULL, &resp);
	assert_int_equal(json_object_array_length(res), 1);
	assert_string_equal(json_object_get_string(get(res, "0.name")), "VI_1");
	assert_string_equal(json_object_get_string(get(res, "0.state")), "master");
	assert_int_equal(json_object_get_int(get(res, "0.priority")), 150);
	assert_string_equal(json_object_get_string(get(res, "0.virtual-address.0")),
			    "10.10.1.1/16");
	json_object_put(resp);

	res = ok(t, "instance.get", "{\"name\":\"VI_1\"}", &resp);
	/* Config with defaults filled in, state with RFC 8347 counters. */
	assert_int_equal(json_object_get_int(get(res, "config.advertisement-interval")), 100);
	assert_int_equal(json_object_get_int(get(res, "config.virtual-address.0.prefix-length")), 16);
	assert_non_null(get(res, "state.statistics.advertisement-sent"));
	assert_non_null(get(res, "state.statistics.auth-errors"));
	json_object_put(resp);

	expect_error(t, &t->admin, "instance.create", VI1, JSONRPC_EXISTS);
	expect_error(t, &t->admin, "instance.get", "{\"name\":\"nope\"}", JSONRPC_NOT_FOUND);
	expect_error(t, &t->admin, "instance.get", "{}", JSONRPC_INVALID_PARAMS);
	expect_error(t, &t->admin, "instance.get", "{\"name\":5}", JSONRPC_INVALID_PARAMS);
	expect_error(t, &t->admin, "instance.get", "[\"VI_1\"]", JSONRPC_INVALID_PARAMS);
	assert_int_equal(t->f.applies, 1);
}

static void test_rejected_change_changes_nothing(void **state)
{
	struct t *t = *state;
	json_object *r, *resp;

	create_vi1(t);
	r = call(t, &t->admin, "instance.set", "{\"name\":\"VI_1\",\"vrid\":300}");
	assert_int_equal(code_of(r), JSONRPC_VALIDATION_FAILED);
	assert_non_null(strstr(json_object_get_string(get(r, "error.data.path")), "vrid"));
	assert_true(json_object_get_string_len(get(r, "error.data.reason")) > 0);
	json_object_put(r);
	/* v2 interval must be a multiple of 100 (a YANG must). */
	expect_error(t, &t->admin, "instance.set",
		     "{\"name\":\"VI_1\",\"advertisement-interval\":150}",
		     JSONRPC_VALIDATION_FAILED);
	expect_error(t, &t->admin, "instance.set",
		     "{\"name\":\"VI_1\",\"priority\":\"high\"}", JSONRPC_VALIDATION_FAILED);
	expect_error(t, &t->admin, "instance.set",
		     "{\"name\":\"VI_1\",\"no-such-leaf\":1}", JSONRPC_VALIDATION_FAILED);
	expect_error(t, &t->admin, "instance.set", "{\"name\":\"VI_1\"}",
		     JSONRPC_INVALID_PARAMS);
	expect_error(t, &t->admin, "instance.create",
		     "{\"name\":\"VI_2\",\"interface\":\"eth0\",\"vrid\":11,"
		     "\"virtual-address\":[\"10.10.1.2\"]}", JSONRPC_VALIDATION_FAILED);
	expect_error(t, &t->admin, "instance.create",
		     "{\"name\":\"VI_3\",\"vrid\":12,\"virtual-address\":[\"10.10.1.3\"]}",
		     JSONRPC_VALIDATION_FAILED);
	assert_int_equal(t->f.applies, 1);
	assert_int_equal(t->f.cfg.n_instances, 1);
	assert_int_equal(t->f.cfg.instances[0].priority, 150);

	ok(t, "instance.set", "{\"name\":\"VI_1\",\"priority\":200,\"preempt\":false}", &resp);
	json_object_put(resp);
	assert_int_equal(t->f.cfg.instances[0].priority, 200);
	assert_false(t->f.cfg.instances[0].preempt);
	/* null restores the default. */
	ok(t, "instance.set", "{\"name\":\"VI_1\",\"priority\":null}", &resp);
	json_object_put(resp);
	assert_int_equal(t->f.cfg.instances[0].priority, 100);
	ok(t, "instance.set", "{\"name\":\"VI_1\",\"authentication/type\":\"simple-password\","
	   "\"authentication/password\":\"secret\"}", &resp);
	json_object_put(resp);
	assert_int_equal(t->f.cfg.instances[0].auth, AUTH_CFG_SIMPLE);
}

static void test_delete_and_replace(void **state)
{
	struct t *t = *state;
	json_object *resp, *res;

	create_vi1(t);
	ok(t, "instance.delete", "{\"name\":\"VI_1\"}", &resp);
	json_object_put(resp);
	assert_int_equal(t->f.cfg.n_instances, 0);
	expect_error(t, &t->admin, "instance.delete", "{\"name\":\"VI_1\"}", JSONRPC_NOT_FOUND);

	expect_error(t, &t->admin, "config.replace", "{\"config\":{\"vrrpd:vrrpd\":"
		     "{\"instance\":[{\"name\":\"X\"}]}}}", JSONRPC_VALIDATION_FAILED);
	expect_error(t, &t->admin, "config.replace", "{\"config\":[]}", JSONRPC_INVALID_PARAMS);
	/* config.replace takes strict RFC 7951: no "A/P" shorthand. */
	expect_error(t, &t->admin, "config.replace", "{\"config\":{\"vrrpd:vrrpd\":"
		     "{\"instance\":[" VI1 "]}}}", JSONRPC_VALIDATION_FAILED);
	res = ok(t, "config.replace", "{\"config\":{\"vrrpd:vrrpd\":{\"instance\":["
		 "{\"name\":\"VI_1\",\"interface\":\"eth0\",\"vrid\":11,"
		 "\"virtual-address\":[{\"address\":\"10.10.1.1\"}]}]}}}", &resp);
	assert_int_equal(json_object_get_int(get(res, "instances")), 1);
	json_object_put(resp);
	res = ok(t, "config.get", NULL, &resp);
	assert_string_equal(json_object_get_string(get(res, "vrrpd:vrrpd.instance.0.name")), "VI_1");
	json_object_put(resp);
}

static void test_permissions_and_methods(void **state)
{
	struct t *t = *state;
	struct rpc_caller nobody = { .uid = 65534, .gid = 65534 };
	json_object *r;

	create_vi1(t);
	expect_error(t, &t->reader, "instance.set", "{\"name\":\"VI_1\",\"priority\":1}",
		     JSONRPC_PERMISSION_DENIED);
	expect_error(t, &t->reader, "instance.failover", "{\"name\":\"VI_1\"}",
		     JSONRPC_PERMISSION_DENIED);
	expect_error(t, &t->reader, "config.save", NULL, JSONRPC_PERMISSION_DENIED);
	expect_error(t, &nobody, "instance.list", NULL, JSONRPC_PERMISSION_DENIED);
	r = call(t, &t->reader, "instance.list", NULL);
	assert_int_equal(code_of(r), 0);
	json_object_put(r);
	r = call(t, &t->reader, "daemon.info", NULL);
	assert_int_equal(json_object_get_int(get(r, "result.instances")), 1);
	assert_int_equal(json_object_get_int(get(r, "result.pid")), getpid());
	json_object_put(r);
	expect_error(t, &t->reader, "no.such", NULL, JSONRPC_METHOD_NOT_FOUND);
	expect_error(t, &t->reader, "daemon.info", "{\"x\":1}", JSONRPC_INVALID_PARAMS);

	r = call(t, &t->reader, "events.subscribe", NULL);
	assert_int_equal(code_of(r), 0);
	assert_true(t->reader.subscribed);
	json_object_put(r);
}

static void test_failover(void **state)
{
	struct t *t = *state;
	json_object *resp, *res, *r;

	create_vi1(t);
	res = ok(t, "instance.failover", "{\"name\":\"VI_1\"}", &resp);
	assert_int_equal(t->f.last_hold, RPC_FAILOVER_HOLD_DEFAULT_S);
	assert_string_equal(json_object_get_string(get(res, "state")), "backup");
	json_object_put(resp);
	/* Now a backup: the error names the master. */
	r = call(t, &t->admin, "instance.failover", "{\"name\":\"VI_1\",\"hold\":5}");
	assert_int_equal(code_of(r), JSONRPC_NOT_MASTER);
	assert_string_equal(json_object_get_string(get(r, "error.data.master")), "10.0.0.2");
	assert_non_null(strstr(json_object_get_string(get(r, "error.message")), "10.0.0.2"));
	json_object_put(r);
	assert_int_equal(t->f.failovers, 1);
	expect_error(t, &t->admin, "instance.failover", "{\"name\":\"VI_1\",\"hold\":-1}",
		     JSONRPC_INVALID_PARAMS);
	expect_error(t, &t->admin, "instance.failover", "{\"name\":\"VI_9\"}",
		     JSONRPC_NOT_FOUND);
}

static int count_entries(const char *dir)
{
	char cmd[200];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A %s | wc -l", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static void test_save(void **state)
{
	struct t *t = *state;
	json_object *resp, *res, *saved;
	char bad[200];
	struct stat st;

	create_vi1(t);
	res = ok(t, "config.save", NULL, &resp);
	assert_string_equal(json_object_get_string(get(res, "path")), t->path);
	assert_int_equal(count_entries(t->save_dir), 0);
	json_object_put(resp);
	saved = json_object_from_file(t->path);
	assert_non_null(saved);
	assert_string_equal(json_object_get_string(get(saved, "vrrpd:vrrpd.instance.0.name")),
			    "VI_1");
	json_object_put(saved);
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* A target that is a directory: refused, no temp file left. */
	snprintf(bad, sizeof(bad), "%s/sub", t->save_dir);
	assert_int_equal(mkdir(bad, 0700), 0);
	snprintf(bad, sizeof(bad), "{\"path\":\"%s/sub\"}", t->save_dir);
	expect_error(t, &t->admin, "config.save", bad, JSONRPC_SAVE_FAILED);
	saved = json_object_from_file(t->path);
	assert_non_null(saved);
	json_object_put(saved);
	assert_int_equal(count_entries(t->save_dir), 1);
}

/* config.save writes only the startup file or a plain name directly in
 * --save-dir: as root, anything else would let an admin-group user
 * overwrite any file. */
static void test_save_restricted(void **state)
{
	struct t *t = *state;
	const char *refused[] = { "relative.json", "/etc/vrrpd-test.json",
				  "%s/missing/x.json", "%s/other.json",
				  "%s/saved/../other.json", "%s/saved/.hidden",
				  "%s/saved/", "%s/savedx/a.json" };
	char buf[256], path[200], target[200];
	json_object *resp, *res;
	struct stat st;
	FILE *f;

	create_vi1(t);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(path, sizeof(path), refused[i], t->dir);
		snprintf(buf, sizeof(buf), "{\"path\":\"%s\"}", path);
		expect_error(t, &t->admin, "config.save", buf, JSONRPC_PERMISSION_DENIED);
		assert_false(stat(path, &st) == 0 && S_ISREG(st.st_mode));
	}
	/* A file in the save directory: written, mode 0600. */
	snprintf(path, sizeof(path), "%s/backup.json", t->save_dir);
	snprintf(buf, sizeof(buf), "{\"path\":\"%s\"}", path);
	res = ok(t, "config.save", buf, &resp);
	assert_string_equal(json_object_get_string(get(res, "path")), path);
	json_object_put(resp);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* An existing wider file is narrowed to 0600, never widened. */
	assert_int_equal(chmod(path, 0644), 0);
	ok(t, "config.save", buf, &resp);
	json_object_put(resp);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(chmod(path, 0400), 0);
	ok(t, "config.save", buf, &resp);
	json_object_put(resp);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0400);
	/* A symbolic link in the save directory is not followed. */
	snprintf(target, sizeof(target), "%s/victim", t->dir);
	f = fopen(target, "w");
	assert_non_null(f);
	fputs("keep", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/link.json", t->save_dir);
	assert_int_equal(symlink(target, path), 0);
	snprintf(buf, sizeof(buf), "{\"path\":\"%s\"}", path);
	expect_error(t, &t->admin, "config.save", buf, JSONRPC_SAVE_FAILED);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_size, 4);
	/* backup.json and link.json, no temporary file left behind. */
	assert_int_equal(count_entries(t->save_dir), 2);
}

static json_object *line(struct t *t, struct rpc_caller *c, const char *l)
{
	return rpc_handle_line(t->r, c, l, strlen(l));
}

/* A notification is never answered: a read sent as one does no work at
 * all (64 KB of config.get notifications stalled the loop 8 s), a change
 * sent as one still happens. */
static void test_notifications_of_reads_do_nothing(void **state)
{
	struct t *t = *state;
	char batch[8192];
	size_t off = 0;
	int prints;

	create_vi1(t);
	prints = t->f.prints;
	assert_null(line(t, &t->reader, "{\"jsonrpc\":\"2.0\",\"method\":\"config.get\"}"));
	assert_null(line(t, &t->reader, "{\"jsonrpc\":\"2.0\",\"method\":\"instance.get\","
			 "\"params\":{\"name\":\"VI_1\"}}"));
	off += (size_t)snprintf(batch + off, sizeof(batch) - off, "[");
	for (int i = 0; i < JSONRPC_MAX_BATCH; i++)
		off += (size_t)snprintf(batch + off, sizeof(batch) - off,
					"%s{\"jsonrpc\":\"2.0\",\"method\":\"config.get\","
					"\"params\":{\"with-defaults\":true}}", i ? "," : "");
	snprintf(batch + off, sizeof(batch) - off, "]");
	assert_null(line(t, &t->admin, batch));
	assert_int_equal(t->f.prints, prints);

	assert_null(line(t, &t->admin, "{\"jsonrpc\":\"2.0\",\"method\":\"instance.create\","
			 "\"params\":{\"name\":\"VI_2\",\"interface\":\"eth0\",\"vrid\":12,"
			 "\"virtual-address\":[\"10.10.2.1/16\"]}}"));
	assert_int_equal(t->f.cfg.n_instances, 2);
	/* ... still with the permission check. */
	assert_null(line(t, &t->reader, "{\"jsonrpc\":\"2.0\",\"method\":\"instance.delete\","
			 "\"params\":{\"name\":\"VI_2\"}}"));
	assert_int_equal(t->f.cfg.n_instances, 2);
}

/* Readers get the configuration from a cache kept per configuration
 * generation: printing it is the expensive part. */
static void test_reads_from_cache(void **state)
{
	struct t *t = *state;
	json_object *resp, *res;
	int prints;

	create_vi1(t);
	res = ok(t, "config.get", NULL, &resp);
	json_object_put(resp);
	prints = t->f.prints;
	for (int i = 0; i < 5; i++) {
		res = ok(t, "config.get", NULL, &resp);
		assert_int_equal(json_object_get_int(get(res, "vrrpd:vrrpd.instance.0.priority")), 150);
		json_object_put(resp);
	}
	assert_int_equal(t->f.prints, prints);
	/* A change makes a new generation: the next read sees it. */
	ok(t, "instance.set", "{\"name\":\"VI_1\",\"priority\":99}", &resp);
	json_object_put(resp);
	res = ok(t, "config.get", NULL, &resp);
	assert_int_equal(json_object_get_int(get(res, "vrrpd:vrrpd.instance.0.priority")), 99);
	json_object_put(resp);
	res = ok(t, "instance.get", "{\"name\":\"VI_1\"}", &resp);
	assert_int_equal(json_object_get_int(get(res, "config.priority")), 99);
	json_object_put(resp);
}

#define VIP "{\"name\":\"VP\",\"interface\":\"eth0\",\"vrid\":12,\"version\":2," \
	    "\"authentication/type\":\"simple-password\"," \
	    "\"authentication/password\":\"s3cret\",\"virtual-address\":[\"10.10.2.1/16\"]}"

/* Who may not change the configuration may not read its password. */
static void test_passwords_masked_for_readers(void **state)
{
	struct t *t = *state;
	const char *pw = "vrrpd:vrrpd.instance.0.authentication.password";
	json_object *resp, *r;

	ok(t, "instance.create", VIP, &resp);
	json_object_put(resp);
	for (int round = 0; round < 2; round++) {
		r = call(t, &t->reader, "config.get", NULL);
		assert_string_equal(json_object_get_string(get(r, "result." "vrrpd:vrrpd.instance.0.authentication.password")),
				    "********");
		assert_null(strstr(json_object_to_json_string(r), "s3cret"));
		json_object_put(r);
		r = call(t, &t->reader, "config.get", "{\"with-defaults\":true}");
		assert_null(strstr(json_object_to_json_string(r), "s3cret"));
		assert_non_null(strstr(json_object_to_json_string(r), "********"));
		json_object_put(r);
		r = call(t, &t->reader, "instance.get", "{\"name\":\"VP\"}");
		assert_string_equal(json_object_get_string(get(r, "result.config.authentication.password")),
				    "********");
		json_object_put(r);
		/* The admin's view is the real one, cached apart. */
		r = call(t, &t->admin, "config.get", NULL);
		assert_string_equal(json_object_get_string(get(get(r, "result"), pw)), "s3cret");
		json_object_put(r);
		r = call(t, &t->admin, "instance.get", "{\"name\":\"VP\"}");
		assert_string_equal(json_object_get_string(get(r, "result.config.authentication.password")),
				    "s3cret");
		json_object_put(r);
	}
}

/* n instances VI_1..VI_n through config.replace. */
static void make_instances(struct t *t, int n)
{
	char *buf = malloc(200u * (unsigned)n + 100);
	size_t off = 0;
	json_object *resp;

	off += (size_t)sprintf(buf, "{\"config\":{\"vrrpd:vrrpd\":{\"instance\":[");
	for (int i = 1; i <= n; i++)
		off += (size_t)sprintf(buf + off, "%s{\"name\":\"VI_%d\",\"interface\":\"eth0\","
				       "\"vrid\":%d,\"virtual-address\":[{\"address\":\"10.9.0.%d\"}]}",
				       i > 1 ? "," : "", i, i, i);
	sprintf(buf + off, "]}}}");
	ok(t, "config.replace", buf, &resp);
	json_object_put(resp);
	free(buf);
}

static json_object *finish(struct rpc_job *job)
{
	size_t len = 0;
	char *text = jsonrpc_job_take(&job->j, &len);
	json_object *r = json_tokener_parse(text);

	free(text);
	rpc_job_free(job);
	return r;
}

/* A list of every instance is built RPC_LIST_CHUNK instances per step
 * (1000 instances took 20-35 ms in one go), complete and in order, and a
 * configuration change between steps starts it over. */
static void test_lists_in_pieces(void **state)
{
	struct t *t = *state;
	const char *list = "{\"jsonrpc\":\"2.0\",\"method\":\"instance.list\",\"id\":1}";
	const char *stats = "{\"jsonrpc\":\"2.0\",\"method\":\"statistics.get\",\"id\":2}";
	struct rpc_job job;
	json_object *r, *del;
	int steps = 0;
	char name[16];

	make_instances(t, 40);
	assert_int_equal(rpc_job_start(&job, t->r, &t->reader, list, strlen(list)), 0);
	while (!job.j.done) {
		rpc_job_step(&job);
		steps++;
	}
	assert_int_equal(steps, (40 + RPC_LIST_CHUNK - 1) / RPC_LIST_CHUNK);
	r = finish(&job);
	assert_int_equal(json_object_array_length(get(r, "result")), 40);
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "VI_%d", i + 1);
		assert_string_equal(json_object_get_string(
			get(json_object_array_get_idx(get(r, "result"), (size_t)i), "name")), name);
	}
	json_object_put(r);

	assert_int_equal(rpc_job_start(&job, t->r, &t->reader, stats, strlen(stats)), 0);
	rpc_job_step(&job);
	assert_false(job.j.done);
	/* VI_1 goes away between two steps: no entry missing or twice. */
	del = call(t, &t->admin, "instance.delete", "{\"name\":\"VI_1\"}");
	assert_int_equal(code_of(del), 0);
	json_object_put(del);
	while (!job.j.done)
		rpc_job_step(&job);
	r = finish(&job);
	assert_int_equal(json_object_array_length(get(r, "result.instances")), 39);
	assert_string_equal(json_object_get_string(get(r, "result.instances.0.name")), "VI_2");
	assert_non_null(get(r, "result.global"));
	json_object_put(r);
}

static void test_notification(void **state)
{
	struct t *t = *state;
	struct instance_status st;
	json_object *n;

	create_vi1(t);
	assert_int_equal(f_status(&t->f, "VI_1", &st), 0);
	n = rpc_state_notification(&st, VRRP_STATE_BACKUP);
	assert_string_equal(json_object_get_string(get(n, "method")), RPC_EVENT_STATE_CHANGED);
	assert_string_equal(json_object_get_string(get(n, "params.old-state")), "backup");
	assert_string_equal(json_object_get_string(get(n, "params.new-state")), "master");
	assert_null(get(n, "id"));
	json_object_put(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_list_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rejected_change_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_and_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permissions_and_methods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_restricted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notifications_of_reads_do_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reads_from_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_passwords_masked_for_readers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lists_in_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notification, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
