/* One-instance changes (model_edit.c, rpc_instance.c, engine side through
 * the fake engine): instance.create/set/delete validated on the small
 * tree must decide exactly as the whole-tree validation does. Each
 * request runs twice, against a backend with apply_instance (the small
 * tree) and one without (the whole tree, the old way); answers (code,
 * message, YANG path) and the configurations that result must be equal,
 * and the named constraints of issue 11 must be refused on the small
 * tree: unique interface+vrid+family, sync-group member leafrefs, one
 * sync group per instance, tracker leafrefs, deleting a sync-group
 * member. Also: the schema rules of model_edit.h hold for our module (so
 * the small tree is in use at all) and are found broken in modules that
 * break them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libyang/libyang.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model.h"
#include "model_edit.h"
#include "model_edit_int.h"
#include "rpc.h"

#include "fake_engine.h"

static int f_failover(void *arg, const char *name, unsigned hold_s, char *err,
		      size_t errlen)
{
	(void)arg;
	(void)name;
	(void)hold_s;
	snprintf(err, errlen, "no");
	return -1;
}

struct side {
	struct fake f;
	struct rpc *r;
};

struct t {
	struct model *m;
	struct side fast, whole;
	struct rpc_caller admin;
};

#define INST(n, ifc, vrid, extra)                                              \
	"{\"name\":\"" n "\",\"interface\":\"" ifc "\",\"vrid\":" #vrid ","      \
	"\"virtual-address\":[{\"address\":\"10.1." #vrid ".1\"}]" extra "}"

/* Trackers, a sync group of A and B, C following a script, D elsewhere. */
static const char base[] =
	"{\"config\":{\"vrrpd:vrrpd\":{"
	"\"track\":{\"script\":[{\"name\":\"chk\",\"command\":[\"/bin/true\"]}],"
	" \"interface\":[{\"name\":\"eth9\"}]},"
	"\"instance\":["
	INST("A", "eth0", 1, "") ","
	INST("B", "eth0", 2, "") ","
	INST("C", "eth1", 1, ",\"track\":{\"script\":[{\"name\":\"chk\"}]}") ","
	INST("D", "eth2", 7, "")
	"],"
	"\"sync-group\":[{\"name\":\"G\",\"member\":[\"A\",\"B\"]}]}}}";

static void side_init(struct t *t, struct side *s, bool fast)
{
	struct rpc_backend b = {
		.arg = &s->f, .model = t->m, .running_tree = f_running,
		.apply_tree = f_apply, .apply_instance = fast ? f_apply_instance : NULL,
		.instance_count = f_count, .status_at = f_status_at,
		.status = f_status, .failover = f_failover, .global_drops = f_drops,
		.config_generation = f_gen,
	};
	struct model_error me;

	s->f.m = t->m;
	assert_int_equal(model_parse_json(t->m, "{}", &s->f.tree, &me), 0);
	s->r = rpc_new(&b, NULL);
	assert_non_null(s->r);
}

static json_object *call(struct side *s, struct rpc_caller *c, const char *method,
			 const char *params)
{
	char line[8192];

	snprintf(line, sizeof(line),
		 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}",
		 method, params);
	return rpc_handle_line(s->r, c, line, strlen(line));
}

static const char *str_at(json_object *o, const char *a, const char *b, const char *c)
{
	json_object *v = o;

	if (a && !json_object_object_get_ex(v, a, &v))
		return "";
	if (b && !json_object_object_get_ex(v, b, &v))
		return "";
	if (c && !json_object_object_get_ex(v, c, &v))
		return "";
	return json_object_get_string(v);
}

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));
	struct model_error me;
	json_object *r;

	t->m = model_new(&me);
	assert_non_null(t->m);
	t->admin = (struct rpc_caller){ .may_read = true, .may_write = true };
	side_init(t, &t->fast, true);
	side_init(t, &t->whole, false);
	r = call(&t->fast, &t->admin, "config.replace", base);
	assert_null(json_object_object_get(r, "error"));
	json_object_put(r);
	r = call(&t->whole, &t->admin, "config.replace", base);
	assert_null(json_object_object_get(r, "error"));
	json_object_put(r);
	*state = t;
	return 0;
}

static void side_free(struct side *s)
{
	rpc_free(s->r);
	model_tree_free(s->f.tree);
	vrrpd_config_free(&s->f.cfg);
}

static int teardown(void **state)
{
	struct t *t = *state;

	side_free(&t->fast);
	side_free(&t->whole);
	model_free(t->m);
	free(t);
	return 0;
}

/* Both ways; the same answer. Returns the error code (0: success) and
 * checks the fast side went through apply_instance when it succeeded. */
static int both(struct t *t, const char *method, const char *params)
{
	int before = t->fast.f.one_applies;
	json_object *a = call(&t->fast, &t->admin, method, params);
	json_object *b = call(&t->whole, &t->admin, method, params);
	const char *ea = json_object_to_json_string(json_object_object_get(a, "error"));
	const char *eb = json_object_to_json_string(json_object_object_get(b, "error"));
	int code = json_object_get_int(json_object_object_get(
		json_object_object_get(a, "error"), "code"));

	if (strcmp(ea, eb))
		fail_msg("%s %s:\n small tree: %s\n whole tree: %s", method, params, ea, eb);
	if (!code && t->fast.f.one_applies != before + 1)
		fail_msg("%s %s: not applied as one instance", method, params);
	if (code && t->fast.f.one_applies != before)
		fail_msg("%s %s: refused but applied", method, params);
	json_object_put(a);
	json_object_put(b);
	return code;
}

/* The running configurations of both sides are the same. */
static void same_running(struct t *t)
{
	json_object *a = call(&t->fast, &t->admin, "config.get", "{}");
	json_object *b = call(&t->whole, &t->admin, "config.get", "{}");
	const char *ta = json_object_to_json_string(json_object_object_get(a, "result"));
	const char *tb = json_object_to_json_string(json_object_object_get(b, "result"));

	if (strcmp(ta, tb))
		fail_msg("running differs:\n small tree: %s\n whole tree: %s", ta, tb);
	json_object_put(a);
	json_object_put(b);
}

/* The reason and path of a refusal on the small tree. */
static void refused(struct t *t, const char *method, const char *params,
		    const char *path, const char *reason)
{
	json_object *r = call(&t->fast, &t->admin, method, params);
	const char *p = str_at(r, "error", "data", "path");
	const char *m = str_at(r, "error", "message", NULL);

	if (strcmp(p, path) || !strstr(m, reason))
		fail_msg("%s %s: got %s / %s, want %s / ...%s...", method, params, p, m,
			 path, reason);
	json_object_put(r);
	assert_int_equal(both(t, method, params), JSONRPC_VALIDATION_FAILED);
}

static void test_schema_allows_small_tree(void **state)
{
	struct t *t = *state;
	struct model_edit *x = model_edit_new(t->m);

	/* if this fails, a YANG change broke a rule of model_edit.h: every
	 * one-instance change would validate the whole tree again */
	assert_true(model_edit_usable(x));
	assert_int_equal(x->n_uniq, 1);
	assert_int_equal(x->n_namers, 1); /* sync-group/member */
	assert_string_equal(x->namers[0]->name, "member");
	model_edit_free(x);
}

static void test_unique_across_instances(void **state)
{
	struct t *t = *state;

	/* created with the triple of A: refused, naming both */
	refused(t, "instance.create", INST("E", "eth0", 1, ""), "/vrrpd:vrrpd/instance[name='A']",
		"\"interface vrid address-family\" not satisfied");
	/* set onto the triple of D (before and after the changed one) */
	refused(t, "instance.set", "{\"name\":\"A\",\"interface\":\"eth2\",\"vrid\":7}",
		"/vrrpd:vrrpd/instance[name='A']",
		"not satisfied");
	refused(t, "instance.set", "{\"name\":\"D\",\"interface\":\"eth0\",\"vrid\":2}",
		"/vrrpd:vrrpd/instance[name='B']",
		"not satisfied");
	/* another family is another triple; the index follows every change */
	assert_int_equal(both(t, "instance.create", INST("E", "eth0", 1,
		",\"version\":3,\"address-family\":\"ipv6\",\"virtual-address\":"
		"[{\"address\":\"fe80::1\"}]")), 0);
	refused(t, "instance.create", INST("F", "eth0", 1,
		",\"version\":3,\"address-family\":\"ipv6\",\"virtual-address\":"
		"[{\"address\":\"fe80::2\"}]"), "/vrrpd:vrrpd/instance[name='E']", "not satisfied");
	assert_int_equal(both(t, "instance.set", "{\"name\":\"D\",\"vrid\":8}"), 0);
	assert_int_equal(both(t, "instance.create", INST("F", "eth2", 7, "")), 0);
	refused(t, "instance.set", "{\"name\":\"F\",\"vrid\":8}", "/vrrpd:vrrpd/instance[name='D']",
		"not satisfied");
	assert_int_equal(both(t, "instance.delete", "{\"name\":\"D\"}"), 0);
	assert_int_equal(both(t, "instance.set", "{\"name\":\"F\",\"vrid\":8}"), 0);
	same_running(t);
}

static void test_sync_group_references(void **state)
{
	struct t *t = *state;
	json_object *r;

	/* a member cannot go while a sync group names it */
	refused(t, "instance.delete", "{\"name\":\"A\"}",
		"/vrrpd:vrrpd/sync-group[name='G']/member[.='A']", "A");
	/* a member changed stays valid with its group; others are free */
	assert_int_equal(both(t, "instance.set", "{\"name\":\"B\",\"priority\":120}"), 0);
	assert_int_equal(both(t, "instance.set", "{\"name\":\"A\",\"vrid\":9}"), 0);
	assert_int_equal(both(t, "instance.delete", "{\"name\":\"D\"}"), 0);
	/* the group made invalid elsewhere (two groups naming A) stays
	 * refused: config.replace checks the must, as before */
	r = call(&t->fast, &t->admin, "config.replace",
		 "{\"config\":{\"vrrpd:vrrpd\":{\"instance\":[" INST("A", "eth0", 1, "") "],"
		 "\"sync-group\":[{\"name\":\"G\",\"member\":[\"A\"]},"
		 "{\"name\":\"H\",\"member\":[\"A\"]}]}}}");
	assert_non_null(strstr(str_at(r, "error", "message", NULL), "at most one sync group"));
	json_object_put(r);
	same_running(t);
}

static void test_tracker_references(void **state)
{
	struct t *t = *state;

	refused(t, "instance.set", "{\"name\":\"D\",\"track\":{\"script\":[{\"name\":\"nope\"}]}}",
		"/vrrpd:vrrpd/instance[name='D']/track/script[name='nope']/name", "nope");
	refused(t, "instance.create", INST("E", "eth3", 1,
		",\"track\":{\"interface\":[{\"name\":\"eth8\"}]}"),
		"/vrrpd:vrrpd/instance[name='E']/track/interface[name='eth8']/name", "eth8");
	assert_int_equal(both(t, "instance.set",
			      "{\"name\":\"D\",\"track\":{\"interface\":[{\"name\":\"eth9\"}]}}"), 0);
	assert_int_equal(both(t, "instance.set", "{\"name\":\"C\",\"track\":null}"), 0);
	same_running(t);
}

/* Musts, types, mandatory leaves and min-elements of the instance itself,
 * and the order of instances after changes. */
static void test_instance_constraints(void **state)
{
	struct t *t = *state;
	static const char *const bad[][2] = {
		{ "instance.set", "{\"name\":\"C\",\"advertisement-interval\":150}" },
		{ "instance.set", "{\"name\":\"C\",\"address-family\":\"ipv6\"}" },
		{ "instance.set", "{\"name\":\"C\",\"vrid\":300}" },
		{ "instance.set", "{\"name\":\"C\",\"priority\":\"high\"}" },
		{ "instance.set", "{\"name\":\"C\",\"no-such-leaf\":1}" },
		{ "instance.set", "{\"name\":\"C\",\"authentication/password\":\"x\"}" },
		{ "instance.set", "{\"name\":\"C\",\"authentication/type\":\"simple-password\"}" },
		{ "instance.set", "{\"name\":\"C\",\"version\":3,\"authentication/type\":"
				  "\"simple-password\",\"authentication/password\":\"x\"}" },
		{ "instance.set", "{\"name\":\"C\",\"virtual-address\":[]}" },
		{ "instance.set", "{\"name\":\"C\",\"interface\":null}" },
		{ "instance.set", "{\"name\":\"C\",\"multicast-group\":\"ff02::12\"}" },
		{ "instance.create", "{\"name\":\"E\",\"vrid\":12,\"virtual-address\":[\"10.9.9.9\"]}" },
		{ "instance.create", "{\"name\":\"E\",\"interface\":\"eth5\",\"vrid\":12}" },
		{ "instance.create", "{\"name\":\"bad name\",\"interface\":\"eth5\",\"vrid\":12,"
				     "\"virtual-address\":[\"10.9.9.9\"]}" },
	};
	json_object *r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(both(t, bad[i][0], bad[i][1]), JSONRPC_VALIDATION_FAILED);
	assert_int_equal(both(t, "instance.set", "{\"name\":\"C\",\"version\":3,"
			      "\"advertisement-interval\":150,\"priority\":200}"), 0);
	assert_int_equal(both(t, "instance.set", "{\"name\":\"B\",\"priority\":null,"
			      "\"authentication/type\":\"simple-password\","
			      "\"authentication/password\":\"pw\"}"), 0);
	assert_int_equal(both(t, "instance.create", INST("E", "eth5", 12, "")), 0);
	assert_int_equal(both(t, "instance.create", INST("E", "eth5", 13, "")), JSONRPC_EXISTS);
	assert_int_equal(both(t, "instance.set", "{\"name\":\"Z\",\"priority\":1}"),
			 JSONRPC_NOT_FOUND);
	assert_int_equal(both(t, "instance.delete", "{\"name\":\"Z\"}"), JSONRPC_NOT_FOUND);
	same_running(t);
	/* a set keeps the instance where it was in the list */
	r = call(&t->fast, &t->admin, "instance.list", "{}");
	assert_string_equal(json_object_get_string(json_object_object_get(
		json_object_array_get_idx(json_object_object_get(r, "result"), 2), "name")), "C");
	json_object_put(r);
	assert_int_equal(t->fast.f.cfg.instances[2].priority, 200);
	assert_int_equal(t->fast.f.cfg.instances[2].version, 3);
}

static void test_xpath_reach(void **state)
{
	bool abs;

	(void)state;
	assert_int_equal(model_xpath_reach("../version = 3 or . mod 100 = 0", &abs), -1);
	assert_false(abs);
	assert_int_equal(model_xpath_reach("../../../address-family = 'ipv4'", &abs), -3);
	assert_int_equal(model_xpath_reach("count(virtual-address[not(excluded = 'true')]) <= 255",
					   &abs), 0);
	assert_false(abs);
	assert_int_equal(model_xpath_reach("a/b[../../../c]", &abs), -1);
	assert_int_equal(model_xpath_reach("current()/../x", &abs), -1);
	assert_false(abs);
	assert_int_equal(model_xpath_reach("/vrrpd:vrrpd/vrrpd:track/vrrpd:script/vrrpd:name",
					   &abs), 0);
	assert_true(abs);
	assert_int_equal(model_xpath_reach("count(/a/b[. = current()]) = 1", &abs), 0);
	assert_true(abs);
	model_xpath_reach("deref(../x)/../y", &abs);
	assert_true(abs);
	assert_int_equal(model_xpath_reach("'../../..' = ../a", &abs), -1);
}

/* Modules that break a rule: the small tree is off for them. */
static const char mod_head[] =
	"module vrrpd { yang-version 1.1; namespace \"urn:t\"; prefix vrrpd;"
	" container vrrpd { container global { leaf x { %s } }"
	" list instance { key name; unique \"interface\"; %s"
	"  leaf name { type string; } leaf interface { type string; %s } } } }";

static bool usable_with(const char *g, const char *l, const char *i)
{
	char text[2048];
	struct ly_ctx *ctx = NULL;
	struct model_edit x = { 0 };
	bool ok;

	snprintf(text, sizeof(text), mod_head, *g ? g : "type string;", l, i);
	assert_int_equal(ly_ctx_new(NULL, LY_CTX_DISABLE_SEARCHDIRS, &ctx), LY_SUCCESS);
	assert_int_equal(lys_parse_mem(ctx, text, LYS_IN_YANG, NULL), LY_SUCCESS);
	ok = model_edit_analyse(&x, ctx);
	free(x.p_old);
	free(x.p_new);
	free(x.namers);
	ly_ctx_destroy(ctx);
	return ok;
}

static void test_rules_broken(void **state)
{
	(void)state;
	assert_true(usable_with("", "", ""));
	assert_true(usable_with("", "", "must \"../name != 'x'\";"));
	/* the outside counting instances */
	assert_false(usable_with("type string; must \"count(/vrrpd:vrrpd/instance) < 5\";",
				 "", ""));
	/* the outside reading a leaf that is not the key */
	assert_false(usable_with("type leafref { path \"/vrrpd:vrrpd/instance/interface\"; }",
				 "", ""));
	/* an instance reading another one: by an absolute path, or climbing */
	assert_false(usable_with("", "", "must \"count(/vrrpd:vrrpd/instance) < 5\";"));
	assert_false(usable_with("", "", "must \"count(../../instance) < 5\";"));
	assert_false(usable_with("", "max-elements 10;", ""));
	/* reading the outside is fine: it is in the small tree */
	assert_true(usable_with("", "", "must \"/vrrpd:vrrpd/global/x != .\";"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema_allows_small_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unique_across_instances, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_group_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tracker_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_instance_constraints, setup, teardown),
		cmocka_unit_test(test_xpath_reach),
		cmocka_unit_test(test_rules_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
