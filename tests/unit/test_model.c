/* Unit tests for the YANG model (vrrpd/ctl/model.c, model_decode.c) and the
 * config helpers (vrrpd/ctl/config.c): good configurations decode to the right
 * C values, bad ones are rejected with the offending node's data path and a
 * reason, and trees survive a print/parse round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model.h"

/* The seed's single-master node1 (keepalived single-master-node1.conf),
 * every value spelled out. */
static const char seed_node1[] =
	"{\"vrrpd:vrrpd\": {"
	" \"global\": {\"router-id\": \"10.10.10.101\","
	"   \"multicast-group-v4\": \"224.0.122.22\"},"
	" \"instance\": [{"
	"   \"name\": \"VI_1\", \"interface\": \"eth0\", \"vrid\": 11,"
	"   \"version\": 2, \"priority\": 100, \"advertisement-interval\": 100,"
	"   \"initial-state\": \"master\","
	"   \"authentication\": {\"type\": \"simple-password\","
	"                        \"password\": \"11112222\"},"
	"   \"virtual-address\": [{\"address\": \"10.10.1.1\","
	"                          \"prefix-length\": 16, \"device\": \"eth0\"}]"
	" }]}}";

/* Smallest valid instance; tests append members to it. */
#define MIN_INST                                                  \
	"\"name\": \"VI_1\", \"interface\": \"eth0\", \"vrid\": 11, " \
	"\"virtual-address\": [{\"address\": \"10.10.1.1\"}]"
#define CFG(inst) "{\"vrrpd:vrrpd\": {\"instance\": [{" inst "}]}}"

#define VI1 "/vrrpd:vrrpd/instance[name='VI_1']"

static int setup(void **state)
{
	struct model_error err;
	struct model *m = model_new(&err);

	if (!m) {
		fprintf(stderr, "model_new: %s: %s\n", err.path, err.msg);
		return -1;
	}
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	model_free(*state);
	return 0;
}

static void addr_eq(const struct vaddr *a, const char *want)
{
	char buf[VADDR_STRLEN];

	assert_string_equal(vaddr_ntop(a, buf, sizeof(buf)), want);
}

/* Parse and decode; fail the test with libyang's reason if either fails. */
static struct lyd_node *parse_ok(struct model *m, const char *json,
				 struct vrrpd_config *cfg)
{
	struct model_error err = {{0}, {0}};
	struct lyd_node *tree = NULL;

	if (model_parse_json(m, json, &tree, &err) != 0)
		fail_msg("rejected: %s: %s", err.path, err.msg);
	if (cfg && model_tree_to_config(tree, cfg, &err) != 0)
		fail_msg("decode failed: %s: %s", err.path, err.msg);
	return tree;
}

static void test_seed_single_master(void **state)
{
	struct vrrpd_config cfg;
	struct lyd_node *tree = parse_ok(*state, seed_node1, &cfg);
	const struct instance_cfg *ic;

	assert_string_equal(cfg.global.router_id, "10.10.10.101");
	addr_eq(&cfg.global.group4, "224.0.122.22");
	assert_int_equal(cfg.n_instances, 1);
	ic = vrrpd_config_find(&cfg, "VI_1");
	assert_non_null(ic);
	assert_string_equal(ic->ifname, "eth0");
	assert_int_equal(ic->af, AF_INET);
	assert_int_equal(ic->vrid, 11);
	assert_int_equal(ic->version, 2);
	assert_int_equal(ic->priority, 100);
	assert_int_equal(ic->adv_interval_cs, 100);
	assert_true(ic->start_as_master);
	/* No group on the instance: the global IPv4 default applies. */
	addr_eq(&ic->group, "224.0.122.22");
	assert_int_equal(ic->auth, AUTH_CFG_SIMPLE);
	assert_string_equal(ic->auth_pass, "11112222");
	assert_int_equal(ic->n_vips, 1);
	addr_eq(&ic->vips[0].addr, "10.10.1.1");
	assert_int_equal(ic->vips[0].plen, 16);
	assert_string_equal(ic->vips[0].dev, "eth0");
	vrrpd_config_free(&cfg);
	model_tree_free(tree);
}

static void test_defaults(void **state)
{
	struct vrrpd_config cfg;
	struct lyd_node *tree = parse_ok(*state, CFG(MIN_INST), &cfg);
	const struct instance_cfg *ic = &cfg.instances[0];

	assert_int_equal(cfg.n_instances, 1);
	assert_string_equal(cfg.global.router_id, "");
	addr_eq(&cfg.global.group4, "224.0.0.18");
	addr_eq(&cfg.global.group6, "ff02::12");
	assert_int_equal(cfg.global.garp_delay_s, 5);
	assert_int_equal(cfg.global.garp_repeat, 5);
	assert_int_equal(cfg.global.garp_refresh_s, 0);
	assert_true(cfg.global.check_adv_addrs);

	assert_string_equal(ic->name, "VI_1");
	assert_int_equal(ic->af, AF_INET);
	assert_int_equal(ic->version, 2);
	assert_int_equal(ic->priority, 100);
	assert_true(ic->preempt);
	assert_int_equal(ic->preempt_delay_s, 0);
	assert_false(ic->accept_mode);
	assert_int_equal(ic->adv_interval_cs, 100);
	assert_false(ic->start_as_master);
	assert_int_equal(ic->auth, AUTH_CFG_NONE);
	assert_string_equal(ic->auth_pass, "");
	addr_eq(&ic->group, "224.0.0.18");
	assert_int_equal(ic->n_vips, 1);
	assert_int_equal(ic->vips[0].plen, 32);   /* host address */
	assert_string_equal(ic->vips[0].dev, ""); /* instance interface */
	vrrpd_config_free(&cfg);
	model_tree_free(tree);
}

static void test_every_leaf_set(void **state)
{
	struct vrrpd_config cfg;
	struct lyd_node *tree = parse_ok(
		*state,
		"{\"vrrpd:vrrpd\": {\"global\": {\"garp-master-delay\": 0,"
		" \"garp-master-repeat\": 3, \"garp-master-refresh\": 60,"
		" \"check-advert-addresses\": false,"
		" \"multicast-group-v6\": \"ff02::99\"},"
		" \"instance\": [{" MIN_INST ", \"version\": 3,"
		" \"priority\": 255, \"preempt\": false, \"preempt-delay\": 30,"
		" \"accept-mode\": true, \"advertisement-interval\": 35,"
		" \"multicast-group\": \"239.1.2.3\"}]}}",
		&cfg);
	const struct instance_cfg *ic = &cfg.instances[0];

	assert_int_equal(cfg.global.garp_delay_s, 0);
	assert_int_equal(cfg.global.garp_repeat, 3);
	assert_int_equal(cfg.global.garp_refresh_s, 60);
	assert_false(cfg.global.check_adv_addrs);
	addr_eq(&cfg.global.group6, "ff02::99");
	assert_int_equal(ic->version, 3);
	assert_int_equal(ic->priority, 255);
	assert_false(ic->preempt);
	assert_int_equal(ic->preempt_delay_s, 30);
	assert_true(ic->accept_mode);
	assert_int_equal(ic->adv_interval_cs, 35);
	addr_eq(&ic->group, "239.1.2.3");
	vrrpd_config_free(&cfg);
	model_tree_free(tree);
}

static void test_ipv6_instance(void **state)
{
	struct vrrpd_config cfg;
	struct lyd_node *tree = parse_ok(
		*state,
		CFG("\"name\": \"VI_6\", \"interface\": \"eth1\", \"vrid\": 6,"
		    " \"version\": 3, \"address-family\": \"ipv6\","
		    " \"virtual-address\": [{\"address\": \"FE80::1\"},"
		    "  {\"address\": \"2001:db8::1\", \"prefix-length\": 64,"
		    "   \"device\": \"eth2\"}]"),
		&cfg);
	const struct instance_cfg *ic = &cfg.instances[0];

	assert_int_equal(ic->af, AF_INET6);
	addr_eq(&ic->group, "ff02::12"); /* global IPv6 default */
	assert_int_equal(ic->n_vips, 2);
	addr_eq(&ic->vips[0].addr, "fe80::1"); /* canonical form */
	assert_int_equal(ic->vips[0].plen, 128);
	addr_eq(&ic->vips[1].addr, "2001:db8::1");
	assert_int_equal(ic->vips[1].plen, 64);
	assert_string_equal(ic->vips[1].dev, "eth2");
	vrrpd_config_free(&cfg);
	model_tree_free(tree);
}

static void expect_empty(struct model *m, const char *json)
{
	struct vrrpd_config cfg;
	struct lyd_node *tree = parse_ok(m, json, &cfg);
	char *out;

	assert_int_equal(cfg.n_instances, 0);
	assert_null(cfg.instances);
	addr_eq(&cfg.global.group4, "224.0.0.18");
	out = model_tree_to_json(tree);
	assert_non_null(out);
	assert_string_equal(out, "{}\n");
	free(out);
	vrrpd_config_free(&cfg);
	model_tree_free(tree);
}

static void test_empty_config(void **state)
{
	struct vrrpd_config cfg;
	char *out;

	expect_empty(*state, "");
	expect_empty(*state, "{}");
	expect_empty(*state, " \n\t");
	expect_empty(*state, NULL);
	expect_empty(*state, "{\"vrrpd:vrrpd\": {}}");

	/* A NULL tree is the empty configuration too. */
	assert_int_equal(model_tree_to_config(NULL, &cfg, NULL), 0);
	assert_int_equal(cfg.n_instances, 0);
	out = model_tree_to_json(NULL);
	assert_string_equal(out, "{}\n");
	free(out);
}

/* The C defaults used for a NULL tree must equal the YANG defaults. */
static void test_global_defaults_match_yang(void **state)
{
	struct vrrpd_config from_null, from_yang;
	struct lyd_node *tree = parse_ok(
		*state, "{\"vrrpd:vrrpd\": {\"global\": {}}}", &from_yang);

	assert_int_equal(model_tree_to_config(NULL, &from_null, NULL), 0);
	assert_memory_equal(&from_null.global, &from_yang.global,
			    sizeof(from_null.global));
	model_tree_free(tree);
}

struct bad_case {
	const char *what;
	const char *json;
	const char *path;   /* exact expected error path */
	const char *reason; /* substring of the expected reason */
};

static const struct bad_case bad_cases[] = {
	{"vrid 0", CFG(MIN_INST ", \"vrid\": 0"), VI1 "/vrid", "1..255"},
	{"vrid 256", CFG(MIN_INST ", \"vrid\": 256"), VI1 "/vrid", "256"},
	{"priority 0", CFG(MIN_INST ", \"priority\": 0"), VI1 "/priority",
	 "1..255"},
	{"password 9 chars",
	 CFG(MIN_INST ", \"authentication\": {\"type\": \"simple-password\","
		      " \"password\": \"123456789\"}"),
	 VI1 "/authentication/password", "1 to 8"},
	{"auth with version 3",
	 CFG(MIN_INST ", \"version\": 3, \"authentication\": {\"type\":"
		      " \"simple-password\", \"password\": \"abc\"}"),
	 VI1 "/authentication/type", "only for VRRP version 2"},
	{"simple-password without password",
	 CFG(MIN_INST ", \"authentication\": {\"type\": \"simple-password\"}"),
	 VI1 "/authentication/type", "requires a password"},
	{"password without type",
	 CFG(MIN_INST ", \"authentication\": {\"password\": \"abc\"}"),
	 VI1 "/authentication/password", "simple-password"},
	{"v2 interval 150", CFG(MIN_INST ", \"advertisement-interval\": 150"),
	 VI1 "/advertisement-interval", "multiple of 100"},
	{"v2 interval 25600",
	 CFG(MIN_INST ", \"advertisement-interval\": 25600"),
	 VI1 "/advertisement-interval", "1..25500"},
	{"v3 interval 5000",
	 CFG(MIN_INST ", \"version\": 3, \"advertisement-interval\": 5000"),
	 VI1 "/advertisement-interval", "4095"},
	{"unknown leaf", CFG(MIN_INST ", \"bogus\": 1"), VI1 "/bogus",
	 "\"bogus\" not found"},
	{"duplicate interface+vrid",
	 "{\"vrrpd:vrrpd\": {\"instance\": [{" MIN_INST "}, {\"name\": "
	 "\"VI_2\", \"interface\": \"eth0\", \"vrid\": 11, "
	 "\"virtual-address\": [{\"address\": \"10.10.1.2\"}]}]}}",
	 "/vrrpd:vrrpd/instance[name='VI_2']", "interface vrid address-family"},
	{"duplicate name",
	 "{\"vrrpd:vrrpd\": {\"instance\": [{" MIN_INST "}, {" MIN_INST "}]}}",
	 VI1, "Duplicate"},
	{"IPv6 VIP in ipv4 instance",
	 CFG("\"name\": \"VI_1\", \"interface\": \"eth0\", \"vrid\": 11,"
	     " \"virtual-address\": [{\"address\": \"2001:db8::1\"}]"),
	 VI1 "/virtual-address[address='2001:db8::1']/address",
	 "does not match the instance's address-family"},
	{"IPv4 prefix-length 33",
	 CFG("\"name\": \"VI_1\", \"interface\": \"eth0\", \"vrid\": 11,"
	     " \"virtual-address\": [{\"address\": \"10.1.1.1\","
	     " \"prefix-length\": 33}]"),
	 VI1 "/virtual-address[address='10.1.1.1']/prefix-length", "1..32"},
	{"IPv6 group in ipv4 instance",
	 CFG(MIN_INST ", \"multicast-group\": \"ff02::12\""),
	 VI1 "/multicast-group", "family"},
	{"unicast global group",
	 "{\"vrrpd:vrrpd\": {\"global\": {\"multicast-group-v4\": "
	 "\"10.0.0.1\"}}}",
	 "/vrrpd:vrrpd/global/multicast-group-v4", "224.0.0.0/4"},
	{"ipv6 with version 2",
	 CFG("\"name\": \"VI_1\", \"interface\": \"eth0\", \"vrid\": 11,"
	     " \"address-family\": \"ipv6\","
	     " \"virtual-address\": [{\"address\": \"fe80::1\"}]"),
	 VI1 "/address-family", "version 3"},
	{"missing interface",
	 CFG("\"name\": \"VI_1\", \"vrid\": 11, \"virtual-address\": "
	     "[{\"address\": \"10.10.1.1\"}]"),
	 VI1 "/interface", "Mandatory"},
	{"missing interface in the second instance",
	 "{\"vrrpd:vrrpd\": {\"instance\": [{" MIN_INST "}, {\"name\": "
	 "\"VI_2\", \"vrid\": 12, \"virtual-address\": [{\"address\": "
	 "\"10.10.1.2\"}]}]}}",
	 "/vrrpd:vrrpd/instance[name='VI_2']/interface", "Mandatory"},
	{"missing vrid",
	 CFG("\"name\": \"VI_1\", \"interface\": \"eth0\", "
	     "\"virtual-address\": [{\"address\": \"10.10.1.1\"}]"),
	 VI1 "/vrid", "Mandatory"},
	{"no virtual address",
	 CFG("\"name\": \"VI_1\", \"interface\": \"eth0\", \"vrid\": 11"),
	 VI1 "/virtual-address", "Too few"},
	{"interface name too long",
	 CFG(MIN_INST ", \"interface\": \"abcdefghijklmnop\""),
	 VI1 "/interface", "15"},
	{"bad instance name",
	 CFG("\"name\": \"VI 1\", \"interface\": \"eth0\", \"vrid\": 11, "
	     "\"virtual-address\": [{\"address\": \"10.10.1.1\"}]"),
	 "/vrrpd:vrrpd/instance/name", "letters"},
	{"string for vrid", CFG(MIN_INST ", \"vrid\": \"11\""), VI1 "/vrid",
	 "uint8"},
	{"state data in a configuration",
	 CFG(MIN_INST ", \"state\": {\"state\": \"master\"}"), VI1 "/state",
	 "state"},
	{"malformed JSON",
	 "{\"vrrpd:vrrpd\": {\n\"instance\": [{\"name\": \"VI_1\",\n"
	 "\"vrid\": 11,,\n}]}}",
	 VI1, "(line 3)"},
	{"not an object", "[1]", "/", "object"},
	{"unknown module", "{\"foo:bar\": 1}", "/", "foo"},
};

static void test_invalid_configs(void **state)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct model_error err = {{0}, {0}};
		struct lyd_node *tree = (struct lyd_node *)&err; /* poison */

		if (model_parse_json(*state, c->json, &tree, &err) == 0)
			fail_msg("%s: accepted", c->what);
		assert_null(tree);
		if (strcmp(err.path, c->path) != 0 ||
		    !strstr(err.msg, c->reason))
			fail_msg("%s: got path '%s' reason '%s'; want path '%s'"
				 " reason containing '%s'",
				 c->what, err.path, err.msg, c->path,
				 c->reason);
		/* One line, ready for a log or a JSON-RPC error. */
		assert_null(strchr(err.msg, '\n'));
	}
}

static void test_round_trip(void **state)
{
	struct vrrpd_config a, b;
	struct lyd_node *t1 = parse_ok(*state, seed_node1, &a);
	char *j1 = model_tree_to_json(t1), *j2;
	struct lyd_node *t2;

	assert_non_null(j1);
	assert_int_equal(j1[strlen(j1) - 1], '\n');
	/* Values equal to their default are not printed. */
	assert_null(strstr(j1, "\"version\""));
	assert_null(strstr(j1, "\"priority\""));
	assert_non_null(strstr(j1, "\"initial-state\": \"master\""));
	t2 = parse_ok(*state, j1, &b);
	j2 = model_tree_to_json(t2);
	assert_string_equal(j1, j2);
	assert_int_equal(a.n_instances, b.n_instances);
	assert_true(instance_cfg_equal(&a.instances[0], &b.instances[0]));
	assert_memory_equal(&a.global, &b.global, sizeof(a.global));
	free(j1);
	free(j2);
	vrrpd_config_free(&a);
	vrrpd_config_free(&b);
	model_tree_free(t1);
	model_tree_free(t2);
}

/* tests/data next to this file; the tests run from the repository root. */
static void data_path(char *buf, size_t len, const char *name)
{
	const char *dir = getenv("VRRPD_TEST_DATA");

	if (dir)
		snprintf(buf, len, "%s/%s", dir, name);
	else
		snprintf(buf, len, "%.*s/../data/%s",
			 (int)(strrchr(__FILE__, '/') - __FILE__), __FILE__,
			 name);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

struct data_case {
	const char *file;
	const char *router_id;
	const char *inst[2];
	uint8_t vrid[2];
	uint8_t prio[2];
	bool master[2];
};

static const struct data_case data_cases[] = {
	{"single-master-node1.json", "10.10.10.101", {"VI_1"}, {11}, {100},
	 {true}},
	{"single-master-node2.json", "10.10.10.102", {"VI_1"}, {11}, {98},
	 {false}},
	{"dual-master-node1.json", "10.10.10.101", {"VI_1", "VI_2"}, {11, 21},
	 {100, 98}, {true, false}},
	{"dual-master-node2.json", "10.10.10.102", {"VI_1", "VI_22"}, {11, 21},
	 {98, 100}, {false, true}},
};

static void check_data_file(struct model *m, const struct data_case *c)
{
	char path[512];
	struct model_error err;
	struct lyd_node *tree;
	struct vrrpd_config cfg;
	char *text, *printed;

	data_path(path, sizeof(path), c->file);
	if (model_parse_file(m, path, &tree, &err) != 0)
		fail_msg("%s: %s: %s", path, err.path, err.msg);
	assert_int_equal(model_tree_to_config(tree, &cfg, &err), 0);
	assert_string_equal(cfg.global.router_id, c->router_id);
	for (size_t i = 0; i < 2 && c->inst[i]; i++) {
		const struct instance_cfg *ic =
			vrrpd_config_find(&cfg, c->inst[i]);

		assert_non_null(ic);
		assert_int_equal(ic->vrid, c->vrid[i]);
		assert_int_equal(ic->priority, c->prio[i]);
		assert_int_equal(ic->start_as_master, c->master[i]);
		assert_int_equal(ic->version, 2);
		assert_int_equal(ic->adv_interval_cs, 100);
		assert_int_equal(ic->auth, AUTH_CFG_SIMPLE);
		assert_string_equal(ic->auth_pass,
				     ic->vrid == 11 ? "11112222" : "22221111");
		addr_eq(&ic->group, "224.0.122.22");
		assert_string_equal(ic->ifname, "eth0");
		assert_int_equal(ic->n_vips, 1);
		addr_eq(&ic->vips[0].addr,
			ic->vrid == 11 ? "10.10.1.1" : "10.10.1.2");
		assert_int_equal(ic->vips[0].plen, 16);
	}
	/* The files are kept in canonical (printed) form. */
	text = slurp(path);
	printed = model_tree_to_json(tree);
	assert_string_equal(printed, text);
	free(text);
	free(printed);
	vrrpd_config_free(&cfg);
	model_tree_free(tree);
}

static void test_data_files(void **state)
{
	for (size_t i = 0; i < sizeof(data_cases) / sizeof(data_cases[0]); i++)
		check_data_file(*state, &data_cases[i]);
}

static void test_parse_file_errors(void **state)
{
	struct model_error err;
	struct lyd_node *tree;

	assert_int_equal(model_parse_file(*state, "/nonexistent/vrrpd.json",
					  &tree, &err),
			 -1);
	assert_null(tree);
	assert_non_null(strstr(err.msg, "/nonexistent/vrrpd.json"));
}

static void test_config_helpers(void **state)
{
	struct vrrpd_config a, b;
	struct lyd_node *ta, *tb;
	struct instance_cfg saved;

	ta = parse_ok(*state,
		      "{\"vrrpd:vrrpd\": {\"instance\": [{" MIN_INST "},"
		      " {\"name\": \"VI_2\", \"interface\": \"eth0\","
		      "  \"vrid\": 21, \"virtual-address\": [{\"address\":"
		      "  \"10.10.1.2\"}, {\"address\": \"10.10.1.3\"}]}]}}",
		      &a);
	tb = parse_ok(*state,
		      "{\"vrrpd:vrrpd\": {\"instance\": [{" MIN_INST "},"
		      " {\"name\": \"VI_2\", \"interface\": \"eth0\","
		      "  \"vrid\": 21, \"virtual-address\": [{\"address\":"
		      "  \"10.10.1.2\"}, {\"address\": \"10.10.1.4\"}]}]}}",
		      &b);
	assert_null(vrrpd_config_find(&a, "VI_3"));
	assert_null(vrrpd_config_find(NULL, "VI_1"));
	assert_ptr_equal(vrrpd_config_find(&a, "VI_2"), &a.instances[1]);
	assert_true(instance_cfg_equal(vrrpd_config_find(&a, "VI_1"),
				       vrrpd_config_find(&b, "VI_1")));
	/* Differs only in the second VIP. */
	assert_false(instance_cfg_equal(vrrpd_config_find(&a, "VI_2"),
					vrrpd_config_find(&b, "VI_2")));
	assert_false(instance_cfg_equal(&a.instances[0], &a.instances[1]));
	assert_false(instance_cfg_equal(&a.instances[0], NULL));

	/* Each scalar field counts. */
	saved = b.instances[0];
	b.instances[0].priority = 99;
	assert_false(instance_cfg_equal(&a.instances[0], &b.instances[0]));
	b.instances[0] = saved;
	b.instances[0].group.u.bytes[3] ^= 1;
	assert_false(instance_cfg_equal(&a.instances[0], &b.instances[0]));
	b.instances[0] = saved;
	b.instances[0].vips[0].plen = 24;
	assert_false(instance_cfg_equal(&a.instances[0], &b.instances[0]));
	b.instances[0].vips[0].plen = 32;
	assert_true(instance_cfg_equal(&a.instances[0], &b.instances[0]));

	vrrpd_config_free(&a);
	assert_int_equal(a.n_instances, 0);
	assert_null(a.instances);
	vrrpd_config_free(&a); /* twice is harmless */
	vrrpd_config_free(NULL);
	vrrpd_config_free(&b);
	model_tree_free(ta);
	model_tree_free(tb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_single_master),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_leaf_set),
		cmocka_unit_test(test_ipv6_instance),
		cmocka_unit_test(test_empty_config),
		cmocka_unit_test(test_global_defaults_match_yang),
		cmocka_unit_test(test_invalid_configs),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_data_files),
		cmocka_unit_test(test_parse_file_errors),
		cmocka_unit_test(test_config_helpers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
