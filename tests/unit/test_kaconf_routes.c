/* Unit tests for kaconf/routes.c (keepalived virtual_routes, virtual_rules,
 * static_ipaddress, static_routes, static_rules) and for the decoding of
 * what they become (vrrpd/ctl/model_decode_routes.c): keepalived's words
 * end up as the route and rule objects vrrpd installs. */
#include "kaconf_test.h"

#include <linux/rtnetlink.h>

#include "config.h"

static void assert_msg_has(const struct kaconf_diag *d, enum kaconf_severity sev,
			   const char *part)
{
	for (size_t i = 0; i < d->n_msgs; i++)
		if (d->msgs[i].severity == sev && strstr(d->msgs[i].text, part))
			return;
	kaconf_diag_print(d, stderr);
	fail_msg("no message containing: %s", part);
}

#define ROUTES \
	"static_ipaddress {\n 192.168.1.1/24 dev eth0 scope global\n}\n" \
	"static_routes {\n 192.168.2.0/24 via 192.168.1.100 dev eth0 track_group G\n}\n" \
	"static_rules {\n fwmark 0x10 table 7 priority 300 inet6\n}\n" \
	INSTANCE("    virtual_routes {\n" \
		 "        src 10.10.1.1 to 192.168.109.0/24 via 10.10.0.254 dev eth1\n" \
		 "        192.168.111.0/24 dev eth2 no_track\n" \
		 "        blackhole 192.168.114.0/24\n" \
		 "        0.0.0.0/0 gw 10.10.0.1 table 100 metric 7\n" \
		 "        192.168.115.1/24 dev eth1 scope link\n" \
		 "    }\n" \
		 "    virtual_rules {\n" \
		 "        from 192.168.2.0/24 table 1\n" \
		 "        iif eth0 oif eth1 lookup main preference 50\n" \
		 "    }\n")

/* keepalived's words become the instance's lists and container static. */
static void test_routes_convert(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root, *r, *u, *st;

	assert_int_equal(convert(ROUTES, false, &d, &root), 0);
	r = jget(instance(root, 0), "virtual-route");
	assert_int_equal(json_object_array_length(r), 5);
	json_object *r0 = json_object_array_get_idx(r, 0);
	assert_int_equal(jint(r0, "id"), 1);
	assert_string_equal(jstr(r0, "destination"), "192.168.109.0/24");
	assert_string_equal(jstr(r0, "gateway"), "10.10.0.254");
	assert_string_equal(jstr(r0, "device"), "eth1");
	assert_string_equal(jstr(r0, "source"), "10.10.1.1");
	assert_string_equal(jstr(json_object_array_get_idx(r, 2), "type"), "blackhole");
	assert_int_equal(jint(json_object_array_get_idx(r, 3), "table"), 100);
	assert_int_equal(jint(json_object_array_get_idx(r, 3), "metric"), 7);
	assert_string_equal(jstr(json_object_array_get_idx(r, 4), "destination"),
			    "192.168.115.0/24");
	u = jget(instance(root, 0), "virtual-rule");
	assert_int_equal(json_object_array_length(u), 2);
	assert_int_equal(jint(json_object_array_get_idx(u, 1), "table"), 254);
	assert_int_equal(jint(json_object_array_get_idx(u, 1), "priority"), 50);
	assert_string_equal(jstr(json_object_array_get_idx(u, 1), "out-interface"), "eth1");
	st = jget(jget(root, "vrrpd:vrrpd"), "static");
	assert_string_equal(jstr(json_object_array_get_idx(jget(st, "address"), 0), "device"),
			    "eth0");
	assert_int_equal(jint(json_object_array_get_idx(jget(st, "rule"), 0), "fwmark"), 16);
	assert_string_equal(jstr(json_object_array_get_idx(jget(st, "rule"), 0), "from"),
			    "::/0");
	assert_msg_has(&d, KACONF_WARNING, "'no_track' ignored");
	assert_msg_has(&d, KACONF_WARNING, "'track_group G' ignored");
	assert_msg_has(&d, KACONF_WARNING, "host bits set");
	/* none of them is reported as unsupported any more */
	for (size_t i = 0; i < d.n_msgs; i++)
		assert_null(strstr(d.msgs[i].text, "not supported by vrrpd yet"));
	json_object_put(root);
	kaconf_diag_free(&d);
}

/* The converted file decodes into the route / rule objects vrrpd installs. */
static void test_routes_decode(void **state)
{
	(void)state;
	struct kaconf_opts o = {0};
	struct kaconf_diag d = {0};
	struct model_error me = {0};
	struct lyd_node *tree = NULL;
	struct vrrpd_config c;
	char *json = NULL;

	if (!model)
		skip();
	assert_int_equal(kaconf_convert_text("t.conf", ROUTES, strlen(ROUTES), &o, &json, &d), 0);
	assert_int_equal(model_parse_json(model, json, &tree, &me), 0);
	assert_int_equal(model_tree_to_config(tree, &c, &me), 0);
	const struct route_list *rl = &c.instances[0].vroutes;
	assert_int_equal(rl->n_routes, 5);
	assert_int_equal(rl->routes[0].table, RT_TABLE_MAIN);
	assert_int_equal(rl->routes[0].dst_plen, 24);
	assert_int_equal(rl->routes[0].src.af, AF_INET);
	assert_int_equal(rl->routes[0].metric, -1);
	assert_int_equal(rl->routes[0].scope, -1);
	assert_int_equal(rl->routes[2].type, ROUTE_BLACKHOLE);
	assert_int_equal(rl->routes[3].dst_plen, 0);
	assert_int_equal(rl->routes[3].metric, 7);
	assert_int_equal(rl->routes[4].scope, RT_SCOPE_LINK);
	assert_int_equal(rl->n_rules, 2);
	assert_int_equal(rl->rules[0].af, AF_INET);
	assert_int_equal(rl->rules[0].priority, 16383); /* keepalived's default */
	assert_int_equal(rl->rules[1].af, AF_INET); /* no address: the instance's */
	assert_string_equal(rl->rules[1].iif, "eth0");
	assert_int_equal(c.statics.n_addrs, 1);
	assert_int_equal(c.statics.addrs[0].plen, 24);
	assert_int_equal(c.statics.rl.n_routes, 1);
	assert_int_equal(c.statics.rl.rules[0].af, AF_INET6);
	assert_int_equal(c.statics.rl.rules[0].fwmark, 16);
	/* a copy is deep and equal; a change of one field is seen */
	struct instance_cfg cp;
	assert_int_equal(instance_cfg_copy(&cp, &c.instances[0]), 0);
	assert_true(instance_cfg_equal(&cp, &c.instances[0]));
	cp.vroutes.routes[1].metric = 9;
	assert_false(instance_cfg_equal(&cp, &c.instances[0]));
	instance_cfg_release(&cp);
	vrrpd_config_free(&c);
	model_tree_free(tree);
	free(json);
	kaconf_diag_free(&d);
}

/* What vrrpd cannot do is an error naming the word, never a different route. */
static void test_routes_errors(void **state)
{
	(void)state;
#define VR(line) INSTANCE("    virtual_routes {\n        " line "\n    }\n")
#define VU(line) INSTANCE("    virtual_rules {\n        " line "\n    }\n")
	expect_error(VR("192.168.0.0/24 via 10.0.0.1 or 10.0.0.2"), true,
		     "t.conf:5: route: multipath ('or') is not supported by vrrpd (rejected in strict mode)");
	expect_error(VR("192.168.0.0/24 via 10.0.0.1 mtu 1400"), true,
		     "t.conf:5: route: 'mtu' is not supported by vrrpd (it takes [blackhole|unreachable|prohibit] [src ADDR] [to] PREFIX [via|gw ADDR] [dev NAME] [table N] [metric N] [scope S]) (rejected in strict mode)");
	expect_error(VR("192.168.0.0/24"), true,
		     "t.conf:5: route: a route needs 'via ADDR' or 'dev NAME' (rejected in strict mode)");
	expect_error(VR("throw 192.168.0.0/24"), true,
		     "t.conf:5: route: type 'throw' is not supported by vrrpd (unicast, blackhole, unreachable, prohibit) (rejected in strict mode)");
	expect_error(VR("192.168.0.0/24 via fe80::1"), true,
		     "t.conf:5: route: the gateway or source is not of the destination's family (rejected in strict mode)");
	expect_error(VR("192.168.0.0/24 dev eth0 table foo"), true,
		     "t.conf:5: table 'foo': expected a table number 1..4294967295 (names from rt_tables other than main, local, default are not read) (rejected in strict mode)");
	expect_error(VU("from 10.0.0.0/8"), true,
		     "t.conf:5: rule: no 'table N': vrrpd rules look up a table (rejected in strict mode)");
	expect_error(VU("from 10.0.0.0/8 table 5 goto 40"), true,
		     "t.conf:5: rule: 'goto' is not supported by vrrpd (it takes from, to, table, priority, iif, oif, fwmark) (rejected in strict mode)");
	expect_error(VU("fwmark 24/12 table 5"), true,
		     "t.conf:5: rule: fwmark mask '24/12' is not supported by vrrpd (the whole mark is matched) (rejected in strict mode)");
	expect_error("static_ipaddress {\n 10.0.0.1/24\n}\n" INSTANCE(""), true,
		     "t.conf:2: static_ipaddress 10.0.0.1/24: needs 'dev NAME' (rejected in strict mode)");
	struct kaconf_diag d = {0};
	json_object *root;
	assert_int_equal(convert(INSTANCE("    virtual_routes {\n"
					  "        10.1.0.0/16 via 10.0.0.1 or 10.0.0.2\n"
					  "        10.2.0.0/16 via 10.0.0.1\n    }\n"),
				 false, &d, &root), 0);
	json_object *r = jget(instance(root, 0), "virtual-route");
	assert_int_equal(json_object_array_length(r), 1);
	assert_string_equal(jstr(json_object_array_get_idx(r, 0), "destination"), "10.2.0.0/16");
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:5: route: multipath ('or') is not supported by vrrpd; ignored");
	json_object_put(root);
	kaconf_diag_free(&d);
	expect_error("static_routes 10.0.0.0/8\n" INSTANCE(""), false,
		     "t.conf:1: keyword 'static_routes': expected a '{' block");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes_convert),
		cmocka_unit_test(test_routes_decode),
		cmocka_unit_test(test_routes_errors),
	};
	return cmocka_run_group_tests(tests, kaconf_setup, kaconf_teardown);
}
