/* Unit tests for the keepalived importer's keyword mapping (kaconf/convert.c,
 * instance.c, values.c, unsupported.c, json.c): the four seed configurations
 * convert to the checked-in JSON, every keyword maps to the model, every bad
 * value is refused with FILE:LINE and the keyword. Produced JSON is also
 * validated against the YANG model. */
#include "kaconf_test.h"

/* ---- the seed configurations -------------------------------------------- */

static void check_seed(const char *base)
{
	char conf[256], exp[256];
	snprintf(conf, sizeof(conf), "%s.conf", base);
	snprintf(exp, sizeof(exp), "%s.expected.json", base);
	char *conf_path = data_path(conf), *exp_path = data_path(exp);
	char *expected = slurp(exp_path);
	struct kaconf_diag d = {0};
	char *json = NULL;

	assert_int_equal(kaconf_convert(conf_path, NULL, &json, &d), 0);
	assert_non_null(json);
	if (strcmp(json, expected))
		fprintf(stderr, "%s: got\n%s", base, json);
	assert_string_equal(json, expected);
	assert_model_accepts(expected);

	/* The mail settings in global_defs are named, with their lines. */
	assert_int_equal(d.n_errors, 0);
	assert_int_equal(d.n_warnings, 4);
	static const struct {
		unsigned line;
		const char *kw;
	} w[] = {{4, "notification_email"},
		 {7, "notification_email_from"},
		 {8, "smtp_server"},
		 {9, "smtp_connect_timeout"}};
	for (size_t i = 0; i < 4; i++) {
		char msg[512];
		snprintf(msg, sizeof(msg),
			 "%s:%u: keyword '%s' is outside VRRP; ignored",
			 conf_path, w[i].line, w[i].kw);
		assert_msg(&d, KACONF_WARNING, msg);
		assert_int_equal(d.msgs[i].line, w[i].line);
		assert_string_equal(d.msgs[i].file, conf_path);
	}
	kaconf_diag_free(&d);

	/* --strict: the same four are errors and nothing is produced. */
	struct kaconf_opts strict = {.strict = true};
	free(json);
	json = NULL;
	assert_int_equal(kaconf_convert(conf_path, &strict, &json, &d), -1);
	assert_null(json);
	assert_int_equal(d.n_errors, 4);
	char msg[512];
	snprintf(msg, sizeof(msg),
		 "%s:8: keyword 'smtp_server' is outside VRRP (rejected in strict mode)",
		 conf_path);
	assert_msg(&d, KACONF_ERROR, msg);
	kaconf_diag_free(&d);

	free(expected);
	free(conf_path);
	free(exp_path);
}

/* The model's own seed equivalents (tests/data/<seed>.json, interface
 * "eth0") must mean the same as our conversion with ens33 renamed, except
 * accept-mode: keepalived without vrrp_strict accepts traffic for the VIPs
 * (it installs no filter), so the import says accept-mode true. */
static void check_seed_same_as_model_json(const char *base)
{
	char name[256];
	snprintf(name, sizeof(name), "../%s.json", base);
	char *model_path = data_path(name);
	if (!model || access(model_path, R_OK) != 0) {
		free(model_path);
		return;
	}
	snprintf(name, sizeof(name), "%s.expected.json", base);
	char *exp_path = data_path(name);
	char *ours = slurp(exp_path), *theirs = slurp(model_path);
	for (char *p; (p = strstr(ours, "\"ens33\""));)
		memcpy(p, "\"eth0\" ", 7); /* same length, JSON still valid */

	struct lyd_node *t1 = NULL, *t2 = NULL;
	struct model_error err = {0};
	struct vrrpd_config c1 = {0}, c2 = {0};
	assert_int_equal(model_parse_json(model, ours, &t1, &err), 0);
	assert_int_equal(model_parse_json(model, theirs, &t2, &err), 0);
	assert_int_equal(model_tree_to_config(t1, &c1, &err), 0);
	assert_int_equal(model_tree_to_config(t2, &c2, &err), 0);
	assert_int_equal(c1.n_instances, c2.n_instances);
	for (size_t i = 0; i < c1.n_instances; i++) {
		assert_true(c1.instances[i].accept_mode);
		c1.instances[i].accept_mode = c2.instances[i].accept_mode;
		assert_true(instance_cfg_equal(&c1.instances[i],
					       &c2.instances[i]));
	}
	assert_string_equal(c1.global.router_id, c2.global.router_id);
	assert_int_equal(vaddr_cmp(&c1.global.group4, &c2.global.group4), 0);
	assert_int_equal(c1.global.garp_delay_s, c2.global.garp_delay_s);
	assert_int_equal(c1.global.garp_repeat, c2.global.garp_repeat);
	assert_int_equal(c1.global.check_adv_addrs, c2.global.check_adv_addrs);
	vrrpd_config_free(&c1);
	vrrpd_config_free(&c2);
	model_tree_free(t1);
	model_tree_free(t2);
	free(ours);
	free(theirs);
	free(exp_path);
	free(model_path);
}

static void test_seed_single_master_node1(void **state)
{
	(void)state;
	check_seed("single-master-node1");
	check_seed_same_as_model_json("single-master-node1");
}

static void test_seed_single_master_node2(void **state)
{
	(void)state;
	check_seed("single-master-node2");
	check_seed_same_as_model_json("single-master-node2");
}

static void test_seed_dual_master_node1(void **state)
{
	(void)state;
	check_seed("dual-master-node1");
	check_seed_same_as_model_json("dual-master-node1");
}

static void test_seed_dual_master_node2(void **state)
{
	(void)state;
	check_seed("dual-master-node2");
	check_seed_same_as_model_json("dual-master-node2");
}

static void test_unknown_keyword_in_instance(void **state)
{
	(void)state;
	expect_error(INSTANCE("    priorty 100\n"), false,
		     "t.conf:4: keyword 'priorty': unknown keyword in vrrp_instance 'VI_1'");
	expect_error(INSTANCE("    authentication {\n        auth_typ PASS\n    }\n"),
		     false,
		     "t.conf:5: keyword 'auth_typ': unknown keyword in authentication (expected auth_type or auth_pass)");
}

static void test_bad_vrid(void **state)
{
	(void)state;
	const char *fmt = "vrrp_instance VI_1 {\n"
			  "    interface eth0\n"
			  "    virtual_router_id %s\n"
			  "    virtual_ipaddress {\n 10.0.0.1\n }\n}\n";
	static const char *const bad[] = {"0", "256", "eleven", "-1", "1.5",
					  "99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char text[512], msg[256];
		snprintf(text, sizeof(text), fmt, bad[i]);
		snprintf(msg, sizeof(msg),
			 "t.conf:3: keyword 'virtual_router_id': expected an integer 1..255, got '%s'",
			 bad[i]);
		expect_error(text, false, msg);
	}
	expect_error("vrrp_instance VI_1 {\n    interface eth0\n"
		     "    virtual_router_id\n}\n",
		     false,
		     "t.conf:3: keyword 'virtual_router_id': expected an integer 1..255, got nothing");
	expect_error("vrrp_instance VI_1 {\n    interface eth0\n"
		     "    virtual_ipaddress {\n 10.0.0.1\n }\n}\n",
		     false,
		     "t.conf:1: vrrp_instance 'VI_1': keyword 'virtual_router_id' is missing");
}

static void test_other_bad_values(void **state)
{
	(void)state;
	expect_error("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
		     "    virtual_ipaddress {\n        10.0.0.256/24\n    }\n}\n",
		     false,
		     "t.conf:5: keyword 'virtual_ipaddress': expected an address ADDR[/PREFIX] with a prefix length 1..32, got '10.0.0.256/24'");
	expect_error("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
		     "    virtual_ipaddress {\n        10.0.0.1/24 dev\n    }\n}\n",
		     false,
		     "t.conf:5: keyword 'virtual_ipaddress': option 'dev' of address 10.0.0.1/24 expects a value, got nothing");
	expect_error("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
		     "    virtual_ipaddress {\n        10.0.0.1 frobnicate\n    }\n}\n",
		     false,
		     "t.conf:5: keyword 'virtual_ipaddress': unknown option 'frobnicate' for address 10.0.0.1 (expected dev, label, brd, scope, ...)");
	expect_error("global_defs {\n    vrrp_mcast_group4 10.0.0.1\n}\n" INSTANCE(""),
		     false,
		     "t.conf:2: keyword 'vrrp_mcast_group4': expected an IPv4 multicast address 224.0.0.0/4, got '10.0.0.1'");
	expect_error(INSTANCE("    interface this-name-is-too-long\n"), false,
		     "t.conf:4: keyword 'interface': expected an interface name of 1..15 characters without '/', ':' or spaces, got 'this-name-is-too-long'");
	expect_error("vrrp_instance NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN {\n}\n",
		     false,
		     "t.conf:1: keyword 'vrrp_instance': expected a name of 1..63 characters, got 64");
	expect_error(INSTANCE("    interface $IF\n"), false,
		     "t.conf:4: keyword 'interface': '$IF' refers to an undefined parameter, not an interface");
	expect_error(INSTANCE("") INSTANCE(""), false,
		     "t.conf:8: keyword 'vrrp_instance': name 'VI_1' already used at t.conf:1");
	expect_error(INSTANCE("")
		     "vrrp_instance VI_2 {\n    interface eth0\n    virtual_router_id 11\n"
		     "    virtual_ipaddress {\n        10.10.1.9\n    }\n}\n",
		     false,
		     "t.conf:10: keyword 'virtual_router_id': 11 on eth0 (IPv4) is already used by vrrp_instance 'VI_1' at t.conf:1");
}

static void test_nothing_half_converted(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	/* a good instance followed by a bad one: no JSON at all */
	const char *text = INSTANCE("")
		"vrrp_instance VI_2 {\n    interface eth0\n    virtual_router_id 12\n"
		"    priority high\n"
		"    virtual_ipaddress {\n        10.10.1.2\n    }\n}\n";
	assert_int_equal(convert(text, false, &d, NULL), -1);
	assert_int_equal(d.n_errors, 1);
	kaconf_diag_free(&d);
}

/* ---- mapping -------------------------------------------------------------- */

static void test_defaults_follow_keepalived(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	/* no state, no priority: backup at 100; state MASTER without a
	 * priority: keepalived makes it the address owner (255) */
	const char *text =
		INSTANCE("")
		"vrrp_instance VI_2 {\n    state MASTER\n    interface eth0\n"
		"    virtual_router_id 12\n"
		"    virtual_ipaddress {\n        10.10.2.1\n    }\n}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *a = instance(root, 0), *b = instance(root, 1);
	assert_int_equal(jint(a, "priority"), 100);
	assert_string_equal(jstr(a, "initial-state"), "backup");
	assert_int_equal(jint(a, "version"), 2);
	assert_int_equal(jint(a, "advertisement-interval"), 100);
	assert_true(jbool(a, "preempt"));
	assert_true(jbool(a, "accept-mode")); /* keepalived without strict */
	assert_null(jget(a, "authentication"));
	assert_int_equal(jint(b, "priority"), 255);
	assert_string_equal(jstr(b, "initial-state"), "master");
	json_object *g = jget(jget(root, "vrrpd:vrrpd"), "global");
	assert_null(jget(g, "router-id"));
	assert_string_equal(jstr(g, "multicast-group-v4"), "224.0.0.18");
	assert_true(jbool(g, "check-advert-addresses"));
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_global_defs_mapping(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = "global_defs {\n"
			   "    router_id lb1\n"
			   "    vrrp_mcast_group4 224.0.0.30\n"
			   "    vrrp_mcast_group6 ff02::1:12\n"
			   "    vrrp_garp_master_delay 10\n"
			   "    vrrp_garp_master_repeat 3\n"
			   "    vrrp_garp_master_refresh 60\n"
			   "    vrrp_skip_check_adv_addr\n"
			   "    vrrp_version 3\n"
			   "    vrrp_garp_interval 0.001\n"
			   "}\n" INSTANCE("    advert_int 0.5\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *g = jget(jget(root, "vrrpd:vrrpd"), "global");
	assert_string_equal(jstr(g, "router-id"), "lb1");
	assert_string_equal(jstr(g, "multicast-group-v4"), "224.0.0.30");
	assert_string_equal(jstr(g, "multicast-group-v6"), "ff02::1:12");
	assert_int_equal(jint(g, "garp-master-delay"), 10);
	assert_int_equal(jint(g, "garp-master-repeat"), 3);
	assert_int_equal(jint(g, "garp-master-refresh"), 60);
	assert_false(jbool(g, "check-advert-addresses"));
	json_object *in = instance(root, 0);
	assert_int_equal(jint(in, "version"), 3);
	assert_int_equal(jint(in, "advertisement-interval"), 50);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:10: keyword 'vrrp_garp_interval': vrrpd sends the packets of a burst back to back; ignored");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_instance_mapping(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = INSTANCE("    state BACKUP\n"
				    "    priority 90\n"
				    "    advert_int 3\n"
				    "    nopreempt\n"
				    "    no_accept\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *in = instance(root, 0);
	assert_int_equal(jint(in, "priority"), 90);
	assert_int_equal(jint(in, "advertisement-interval"), 300);
	assert_false(jbool(in, "preempt"));
	assert_false(jbool(in, "accept-mode"));
	json_object_put(root);
	kaconf_diag_free(&d);

	/* keepalived's instance keyword is `version` (vrrp_version also
	 * read); `preempt` undoes an earlier nopreempt */
	text = INSTANCE("    version 3\n    advert_int 0.25\n"
			"    nopreempt\n    preempt\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	in = instance(root, 0);
	assert_int_equal(jint(in, "version"), 3);
	assert_int_equal(jint(in, "advertisement-interval"), 25);
	assert_true(jbool(in, "preempt"));
	json_object_put(root);
	kaconf_diag_free(&d);

	text = INSTANCE("    preempt_delay 30\n    accept\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	in = instance(root, 0);
	assert_int_equal(jint(in, "preempt-delay"), 30);
	assert_true(jbool(in, "accept-mode"));
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_unsupported_features(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text =
		"vrrp_track_bfd chk {\n    weight 1\n}\n"
		"linkbeat_interfaces {\n    eth0\n    eth1\n    eth2\n}\n"
		"virtual_server 10.0.0.1 80 {\n    real_server 10.0.0.2 80 {\n    }\n}\n"
		"vrrp_instance VI_1 {\n"                     /* 13 */
		"    interface eth0\n"
		"    virtual_router_id 11\n"
		"    use_vmac\n"                             /* 16 */
		"    unicast_src_ip 10.0.0.1\n"
		"    unicast_peer {\n        10.0.0.2\n    }\n" /* 18 */
		"    track_bfd {\n        eth1\n    }\n" /* 21 */
		"    notify_deleted \"/usr/bin/logger master\"\n" /* 24 */
		"    garp_master_delay 1\n"                  /* 25 */
		"    virtual_ipaddress {\n"
		"        10.10.1.1/16 dev eth0 label eth0:1 brd 10.10.255.255 scope global\n" /* 27 */
		"    }\n"
		"    virtual_ipaddress_excluded {\n"         /* 29 */
		"        10.10.1.50\n"
		"    }\n"
		"}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	static const char *const w[] = {
		"t.conf:1: 'vrrp_track_bfd' is not supported by vrrpd yet; ignored",
		"t.conf:4: 'linkbeat_interfaces' is not supported by vrrpd yet; ignored",
		"t.conf:9: keyword 'virtual_server' is outside VRRP; ignored",
		"t.conf:21: 'track_bfd' is not supported by vrrpd yet; ignored",
		"t.conf:24: 'notify_deleted' is not supported by vrrpd yet; ignored",
		"t.conf:13: vrrp_instance 'VI_1': use_vmac with unicast peers needs vmac_xmit_base (keepalived's rule)",
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(*w); i++)
		assert_msg(&d, KACONF_WARNING, w[i]);
	assert_int_equal(d.n_warnings, sizeof(w) / sizeof(*w));
	/* the VIP with its options, and the excluded one marked */
	json_object *vips = jget(instance(root, 0), "virtual-address");
	assert_int_equal(json_object_array_length(vips), 2);
	json_object *v0 = json_object_array_get_idx(vips, 0);
	assert_string_equal(jstr(v0, "device"), "eth0");
	assert_string_equal(jstr(v0, "label"), "eth0:1");
	assert_string_equal(jstr(v0, "broadcast"), "10.10.255.255");
	assert_string_equal(jstr(v0, "scope"), "global");
	assert_true(jbool(json_object_array_get_idx(vips, 1), "excluded"));
	/* converted since: use_vmac, unicast_src_ip, unicast_peer, garp_master_delay */
	assert_int_equal(jint(jget(instance(root, 0), "garp"), "master-delay"), 1);
	assert_true(jbool(jget(instance(root, 0), "virtual-mac"), "enabled"));
	assert_string_equal(jstr(instance(root, 0), "source-address"), "10.0.0.1");
	assert_non_null(jget(jget(instance(root, 0), "unicast"), "peer"));
	json_object_put(root);
	kaconf_diag_free(&d);

	/* --strict: each one is an error of its own */
	assert_int_equal(convert(text, true, &d, NULL), -1);
	assert_int_equal(d.n_errors, sizeof(w) / sizeof(*w));
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:1: 'vrrp_track_bfd' is not supported by vrrpd yet (rejected in strict mode)");
	kaconf_diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_single_master_node1),
		cmocka_unit_test(test_seed_single_master_node2),
		cmocka_unit_test(test_seed_dual_master_node1),
		cmocka_unit_test(test_seed_dual_master_node2),
		cmocka_unit_test(test_unknown_keyword_in_instance),
		cmocka_unit_test(test_bad_vrid),
		cmocka_unit_test(test_other_bad_values),
		cmocka_unit_test(test_nothing_half_converted),
		cmocka_unit_test(test_defaults_follow_keepalived),
		cmocka_unit_test(test_global_defs_mapping),
		cmocka_unit_test(test_instance_mapping),
		cmocka_unit_test(test_unsupported_features),
	};
	return cmocka_run_group_tests(tests, kaconf_setup, kaconf_teardown);
}
