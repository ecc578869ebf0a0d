/* Unit tests for keepalived's corrections (kaconf/finish.c and the value
 * corrections in instance.c): each checked against keepalived 2.2.7 run on
 * the same text (`keepalived -n -l -D -d`), with its log line quoted. */
#include "kaconf_test.h"

static void test_advert_int(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	assert_int_equal(convert(INSTANCE("    vrrp_version 3\n    advert_int 0.05\n"),
				 false, &d, &root),
			 0);
	assert_int_equal(jint(instance(root, 0), "advertisement-interval"), 5);
	json_object_put(root);
	kaconf_diag_free(&d);
	assert_int_equal(convert(INSTANCE("    vrrp_version 3\n    advert_int 40.95\n"),
				 false, &d, &root),
			 0);
	assert_int_equal(jint(instance(root, 0), "advertisement-interval"),
			 4095);
	json_object_put(root);
	kaconf_diag_free(&d);
	assert_int_equal(convert(INSTANCE("    advert_int 255\n"), false, &d,
				 &root),
			 0);
	assert_int_equal(jint(instance(root, 0), "advertisement-interval"),
			 25500);
	json_object_put(root);
	kaconf_diag_free(&d);

	/* VRRPv2: keepalived "VRRPv2 advertisement interval 0.500000s must be
	 * an integer. rounding": 0.4 -> 1, 0.5 -> 1, 1.6 -> 2, 2.5 -> 3 */
	static const struct {
		const char *text;
		int cs;
	} r[] = {{"0.4", 100}, {"0.5", 100}, {"1.4", 100}, {"1.6", 200},
		 {"2.5", 300}};
	for (size_t i = 0; i < sizeof(r) / sizeof(*r); i++) {
		char text[512], msg[256];
		snprintf(text, sizeof(text), INSTANCE("    advert_int %s\n"),
			 r[i].text);
		assert_int_equal(convert(text, false, &d, &root), 0);
		assert_int_equal(jint(instance(root, 0), "advertisement-interval"),
				 r[i].cs);
		snprintf(msg, sizeof(msg),
			 "t.conf:4: keyword 'advert_int': VRRP version 2 counts whole seconds; '%s' rounded to %d, as keepalived does",
			 r[i].text, r[i].cs / 100);
		assert_msg(&d, KACONF_WARNING, msg);
		json_object_put(root);
		kaconf_diag_free(&d);
	}
	expect_error(INSTANCE("    advert_int 256\n"), false,
		     "t.conf:4: keyword 'advert_int': expected seconds (1..255, or 0.01..40.95 with VRRPv3), got '256'");
	expect_error(INSTANCE("    vrrp_version 3\n    advert_int 41\n"), false,
		     "t.conf:5: keyword 'advert_int': expected 0.01..40.95 seconds with VRRP version 3, got '41'");
	expect_error(INSTANCE("    advert_int 0\n"), false,
		     "t.conf:4: keyword 'advert_int': expected seconds (1..255, or 0.01..40.95 with VRRPv3), got '0'");
	expect_error(INSTANCE("    advert_int 0.125\n"), false,
		     "t.conf:4: keyword 'advert_int': expected seconds (1..255, or 0.01..40.95 with VRRPv3), got '0.125'");
}

static void test_ipv6_instance(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = "vrrp_instance V6 {\n"
			   "    interface eth0\n"
			   "    virtual_router_id 11\n"
			   "    advert_int 0.5\n"
			   "    virtual_ipaddress {\n"
			   "        fe80::1\n"
			   "        2001:DB8:0:0::10/64 dev eth1\n"
			   "    }\n"
			   "}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *in = instance(root, 0);
	assert_string_equal(jstr(in, "address-family"), "ipv6");
	assert_int_equal(jint(in, "version"), 3);
	assert_int_equal(jint(in, "advertisement-interval"), 50);
	json_object *v = json_object_array_get_idx(jget(in, "virtual-address"), 1);
	assert_string_equal(jstr(v, "address"), "2001:db8::10");
	assert_int_equal(jint(v, "prefix-length"), 64);
	assert_string_equal(jstr(v, "device"), "eth1");
	json_object_put(root);
	kaconf_diag_free(&d);

	/* an explicit version 2 is corrected to 3, as keepalived does */
	const char *v2 = "vrrp_instance V6 {\n    interface eth0\n"
			 "    virtual_router_id 11\n    vrrp_version 2\n"
			 "    virtual_ipaddress {\n        fe80::1\n    }\n}\n";
	assert_int_equal(convert(v2, false, &d, &root), 0);
	assert_int_equal(jint(instance(root, 0), "version"), 3);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:4: keyword 'vrrp_version': VRRP version 2 is IPv4 only (RFC 3768); using version 3 for this IPv6 instance, as keepalived does");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_auth_dropped_with_v3(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = INSTANCE("    vrrp_version 3\n"
				    "    authentication {\n"
				    "        auth_type PASS\n"
				    "        auth_pass secret\n"
				    "    }\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	assert_null(jget(instance(root, 0), "authentication"));
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:5: keyword 'authentication': VRRP version 3 has no authentication (RFC 5798); no authentication is used");
	json_object_put(root);
	kaconf_diag_free(&d);
}

/* vrrp_strict as keepalived 2.2.7 runs it: it corrects and logs. The log
 * lines are keepalived's for the same text. */
static void test_vrrp_strict(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text =
		"global_defs {\n    vrrp_strict\n}\n"
		INSTANCE("    state MASTER\n    priority 150\n"
			 "    preempt_delay 10\n    accept\n"
			 "    authentication {\n        auth_type PASS\n"
			 "        auth_pass secret\n    }\n"
			 "    unicast_peer {\n        10.0.0.2\n    }\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *in = instance(root, 0);
	/* "State MASTER must match being address owner" */
	assert_string_equal(jstr(in, "initial-state"), "backup");
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:7: keyword 'state': with vrrp_strict, state MASTER needs priority 255 (the address owner); starting as BACKUP, as keepalived does");
	/* "Strict mode does not support authentication. Ignoring." */
	assert_null(jget(in, "authentication"));
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:11: keyword 'authentication': not allowed in strict mode (RFC 5798 has none); no authentication is used");
	/* "preempt_delay is incompatible with strict mode - resetting" */
	assert_int_equal(jint(in, "preempt-delay"), 0);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:9: keyword 'preempt_delay': is incompatible with strict mode; reset to 0 as keepalived does");
	/* "accept mode for VRRP version 2 does not comply with RFC3768 -
	 * resetting" */
	assert_false(jbool(in, "accept-mode"));
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:10: keyword 'accept': accept mode with VRRP version 2 does not comply with RFC 3768 (vrrp_strict); reset, as keepalived does");
	/* keepalived 2.2.7 runs unicast with strict, and so do we */
	assert_non_null(jget(jget(in, "unicast"), "peer"));
	assert_int_equal(d.n_warnings, 4);
	json_object_put(root);
	kaconf_diag_free(&d);

	/* --strict turns each correction into an error: nothing converted */
	assert_int_equal(convert(text, true, &d, NULL), -1);
	assert_int_equal(d.n_errors, 4);
	kaconf_diag_free(&d);

	/* a strict-clean instance: accept mode off by default */
	assert_int_equal(convert("global_defs {\n    vrrp_strict\n}\n"
				 INSTANCE("    priority 50\n"),
				 false, &d, &root),
			 0);
	assert_false(jbool(instance(root, 0), "accept-mode"));
	assert_int_equal(d.n_warnings, 0);
	json_object_put(root);
	kaconf_diag_free(&d);

	/* per-instance strict_mode; first IPv6 address not link-local is
	 * only logged ("the first IPv6 VIP address must be link local") */
	text = "vrrp_instance V6 {\n    interface eth0\n    virtual_router_id 1\n"
	       "    strict_mode on\n    virtual_ipaddress {\n"
	       "        2001:db8::5\n        fe80::5\n    }\n}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	assert_int_equal(json_object_array_length(
				 jget(instance(root, 0), "virtual-address")),
			 2);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:6: keyword 'virtual_ipaddress': with strict_mode the first IPv6 address should be link-local (RFC 5798 5.2.9); kept as keepalived does");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_keepalived_corrections(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = INSTANCE("    state MASTER\n    priority 150\n"
				    "    nopreempt\n    preempt_delay 10\n");
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *in = instance(root, 0);
	assert_true(jbool(in, "preempt"));
	assert_int_equal(jint(in, "preempt-delay"), 0);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:6: keyword 'nopreempt': does not work with state MASTER; reset as keepalived does");
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:7: keyword 'preempt_delay': does not work with state MASTER; reset to 0 as keepalived does");
	json_object_put(root);
	kaconf_diag_free(&d);

	/* duplicate VIP dropped with a warning; keepalived 2.2.7 keeps both
	 * (its dump lists 10.9.0.1 twice for two equal lines) */
	text = "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
	       "    virtual_ipaddress {\n        10.0.0.1\n        10.0.0.1/24\n    }\n}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	assert_int_equal(json_object_array_length(
				 jget(instance(root, 0), "virtual-address")),
			 1);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:6: keyword 'virtual_ipaddress': address 10.0.0.1/24 is listed twice; the second entry is ignored (keepalived would advertise it twice)");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_auth_pass_truncated(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	/* keepalived: "Truncating auth_pass to 8 characters" */
	assert_int_equal(convert(INSTANCE("    authentication {\n"
					  "        auth_type PASS\n"
					  "        auth_pass 1234567890abc\n"
					  "    }\n"),
				 false, &d, &root),
			 0);
	assert_string_equal(jstr(jget(instance(root, 0), "authentication"),
				 "password"),
			    "12345678");
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:6: keyword 'auth_pass': 13 characters; truncated to the first 8, as keepalived does (RFC 3768 5.3.10)");
	json_object_put(root);
	kaconf_diag_free(&d);
	/* --strict: a correction is an error */
	assert_int_equal(convert(INSTANCE("    authentication {\n"
					  "        auth_type PASS\n"
					  "        auth_pass 123456789\n"
					  "    }\n"),
				 true, &d, NULL),
			 -1);
	kaconf_diag_free(&d);
	/* AH: keepalived accepts it; refused with the reason */
	expect_error(INSTANCE("    authentication {\n"
			      "        auth_type AH\n"
			      "    }\n"),
		     false,
		     "t.conf:5: keyword 'auth_type': AH (IPsec authentication header) is not supported by vrrpd; use PASS or none");
}

static void test_priority_and_state_defaults(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	/* keepalived: "Priority not valid! must be between 1 & 255. Using
	 * default 100" -- 100 even with state MASTER. */
	assert_int_equal(convert(INSTANCE("    state MASTER\n    priority 0\n"),
				 false, &d, &root),
			 0);
	assert_int_equal(jint(instance(root, 0), "priority"), 100);
	assert_string_equal(jstr(instance(root, 0), "initial-state"), "master");
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:5: keyword 'priority': expected an integer 1..255, got '0'; using the default, as keepalived does");
	json_object_put(root);
	kaconf_diag_free(&d);
	assert_int_equal(convert(INSTANCE("    priority 300\n"), false, &d, &root), 0);
	assert_int_equal(jint(instance(root, 0), "priority"), 100);
	json_object_put(root);
	kaconf_diag_free(&d);
	/* not a number at all: refused */
	expect_error(INSTANCE("    priority high\n"), false,
		     "t.conf:4: keyword 'priority': expected an integer 1..255, got 'high'");
	expect_error(INSTANCE("    priority 100 101\n"), false,
		     "t.conf:4: keyword 'priority': expected an integer 1..255, got extra argument '101'");

	/* keepalived: "unknown state 'master', defaulting to BACKUP" */
	assert_int_equal(convert(INSTANCE("    state master\n    priority 255\n"),
				 false, &d, &root),
			 0);
	assert_string_equal(jstr(instance(root, 0), "initial-state"), "backup");
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:4: keyword 'state': expected MASTER or BACKUP (upper case), got 'master'; using BACKUP, as keepalived does");
	json_object_put(root);
	kaconf_diag_free(&d);
}

/* keepalived: "(VI) No VIP specified; at least one is sensible" (it runs
 * the instance); "address family must match VRRP instance [..] -
 * ignoring". */
static void test_addresses_corrected(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text =
		"vrrp_instance NOADDR {\n    interface eth0\n    virtual_router_id 1\n}\n"
		INSTANCE("");
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *list = jget(jget(root, "vrrpd:vrrpd"), "instance");
	assert_int_equal(json_object_array_length(list), 1);
	assert_string_equal(jstr(instance(root, 0), "name"), "VI_1");
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:1: vrrp_instance 'NOADDR': no virtual_ipaddress; keepalived runs it without addresses, vrrpd needs at least one: instance not converted");
	json_object_put(root);
	kaconf_diag_free(&d);

	text = "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
	       "    virtual_ipaddress {\n        10.0.0.1\n        2001:db8::1\n"
	       "        10.0.0.2\n    }\n}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	json_object *vips = jget(instance(root, 0), "virtual-address");
	assert_int_equal(json_object_array_length(vips), 2);
	assert_string_equal(jstr(json_object_array_get_idx(vips, 1), "address"),
			    "10.0.0.2");
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:6: keyword 'virtual_ipaddress': 2001:db8::1 is IPv6 but the instance's first address is IPv4; ignored, as keepalived does");
	json_object_put(root);
	kaconf_diag_free(&d);
}

/* keepalived takes any word as a name; ours keep to the YANG pattern, which
 * allows '+' (web+db), and map the rest. */
static void test_instance_names(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text =
		"vrrp_instance web+db {\n    interface eth0\n    virtual_router_id 1\n"
		"    virtual_ipaddress {\n        10.0.0.1\n    }\n}\n"
		"vrrp_instance a*b/c {\n    interface eth0\n    virtual_router_id 2\n"
		"    virtual_ipaddress {\n        10.0.0.2\n    }\n}\n";
	assert_int_equal(convert(text, false, &d, &root), 0);
	assert_string_equal(jstr(instance(root, 0), "name"), "web+db");
	assert_string_equal(jstr(instance(root, 1), "name"), "a_b_c");
	assert_int_equal(d.n_warnings, 1);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:8: keyword 'vrrp_instance': name 'a*b/c' becomes 'a_b_c' (vrrpd names use A-Z a-z 0-9 _ . : + -)");
	json_object_put(root);
	kaconf_diag_free(&d);
	/* two names mapped onto one are still a clash */
	expect_error("vrrp_instance a*b {\n}\nvrrp_instance a&b {\n}\n", false,
		     "t.conf:3: keyword 'vrrp_instance': name 'a_b' already used at t.conf:1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_advert_int),
		cmocka_unit_test(test_ipv6_instance),
		cmocka_unit_test(test_auth_dropped_with_v3),
		cmocka_unit_test(test_vrrp_strict),
		cmocka_unit_test(test_keepalived_corrections),
		cmocka_unit_test(test_auth_pass_truncated),
		cmocka_unit_test(test_priority_and_state_defaults),
		cmocka_unit_test(test_addresses_corrected),
		cmocka_unit_test(test_instance_names),
	};
	return cmocka_run_group_tests(tests, kaconf_setup, kaconf_teardown);
}
