/* Unit tests for kaconf/instance_net.c: keepalived's unicast and virtual
 * MAC keywords become the instance's unicast and virtual-mac containers
 * (and the result passes the YANG model). */
#include "kaconf_test.h"

/* A message of that severity containing part. */
static void assert_msg_has(const struct kaconf_diag *d, enum kaconf_severity sev,
			   const char *part)
{
	for (size_t i = 0; i < d->n_msgs; i++)
		if (d->msgs[i].severity == sev && strstr(d->msgs[i].text, part))
			return;
	kaconf_diag_print(d, stderr);
	fail_msg("no message containing: %s", part);
}

#define INST(body) \
	"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 11\n" body \
	" virtual_ipaddress {\n  10.10.1.1/16\n }\n}\n"

static void test_unicast_keywords(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root, *u, *peers;

	assert_int_equal(convert("global_defs {\n vrrp_check_unicast_src\n}\n"
				 INST(" unicast_src_ip 10.0.0.1\n unicast_ttl 64\n"
				      " unicast_fault_no_peer\n"
				      " unicast_peer {\n  10.0.0.2\n  10.0.0.3 min_ttl 250 max_ttl 255\n"
				      "  10.0.0.2\n  fe80::1\n }\n"),
				 false, &d, &root), 0);
	u = jget(instance(root, 0), "unicast");
	assert_non_null(u);
	assert_string_equal(jstr(instance(root, 0), "source-address"), "10.0.0.1");
	assert_int_equal(jint(u, "ttl"), 64);
	assert_true(jbool(u, "fault-no-peer"));
	peers = jget(u, "peer");
	assert_int_equal(json_object_array_length(peers), 2);
	assert_string_equal(jstr(json_object_array_get_idx(peers, 1), "address"), "10.0.0.3");
	assert_int_equal(jint(json_object_array_get_idx(peers, 1), "min-ttl"), 250);
	assert_int_equal(jint(json_object_array_get_idx(peers, 1), "max-ttl"), 255);
	assert_true(jbool(jget(jget(root, "vrrpd:vrrpd"), "global"), "check-unicast-source"));
	assert_msg_has(&d, KACONF_WARNING, "unicast_peer 10.0.0.2 is listed twice");
	assert_msg_has(&d, KACONF_WARNING, "unicast_peer fe80::1 is not of the instance's address family");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_unicast_errors(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};

	assert_int_equal(convert(INST(" unicast_peer {\n  10.0.0.2 min_ttl 300\n }\n"),
				 false, &d, NULL), -1);
	assert_msg_has(&d, KACONF_ERROR, "expected a TTL 0..255, got '300'");
	kaconf_diag_free(&d);
	memset(&d, 0, sizeof(d));
	assert_int_equal(convert(INST(" unicast_peer {\n  10.0.0.2 hops 3\n }\n"),
				 false, &d, NULL), -1);
	assert_msg_has(&d, KACONF_ERROR, "expected min_ttl N or max_ttl N, got 'hops'");
	kaconf_diag_free(&d);
	memset(&d, 0, sizeof(d));
	assert_int_equal(convert(INST(" unicast_src_ip 10.0.0.1/24\n"), false, &d, NULL), -1);
	assert_msg_has(&d, KACONF_ERROR, "expected an IP address, got '10.0.0.1/24'");
	kaconf_diag_free(&d);
	/* unicast keywords without a peer: multicast, as keepalived does */
	memset(&d, 0, sizeof(d));
	json_object *root;
	assert_int_equal(convert(INST(" unicast_ttl 10\n"), false, &d, &root), 0);
	assert_null(jget(jget(instance(root, 0), "unicast"), "peer"));
	assert_msg_has(&d, KACONF_WARNING, "unicast keywords but no unicast_peer");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_use_vmac(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root, *v;

	assert_int_equal(convert(INST(" use_vmac\n"), false, &d, &root), 0);
	v = jget(instance(root, 0), "virtual-mac");
	assert_true(jbool(v, "enabled"));
	assert_null(jget(v, "interface"));
	json_object_put(root);
	kaconf_diag_free(&d);

	memset(&d, 0, sizeof(d));
	assert_int_equal(convert(INST(" use_vmac vmac11 00:00:5e:00:01:99\n vmac_xmit_base\n"),
				 false, &d, &root), 0);
	v = jget(instance(root, 0), "virtual-mac");
	assert_string_equal(jstr(v, "interface"), "vmac11");
	assert_true(jbool(v, "transmit-on-base"));
	assert_msg_has(&d, KACONF_WARNING, "MAC address '00:00:5e:00:01:99' ignored");
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_mcast_src_dst(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;

	assert_int_equal(convert(INST(" mcast_src_ip 10.0.0.1\n mcast_dst_ip 224.0.0.19\n"),
				 false, &d, &root), 0);
	assert_string_equal(jstr(instance(root, 0), "source-address"), "10.0.0.1");
	assert_string_equal(jstr(instance(root, 0), "multicast-group"), "224.0.0.19");
	assert_null(jget(instance(root, 0), "unicast"));
	json_object_put(root);
	kaconf_diag_free(&d);
	memset(&d, 0, sizeof(d));
	assert_int_equal(convert(INST(" mcast_dst_ip 10.0.0.19\n"), false, &d, NULL), -1);
	assert_msg_has(&d, KACONF_ERROR, "expected a multicast address, got '10.0.0.19'");
	kaconf_diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unicast_keywords),
		cmocka_unit_test(test_unicast_errors),
		cmocka_unit_test(test_use_vmac),
		cmocka_unit_test(test_mcast_src_dst),
	};
	return cmocka_run_group_tests(tests, kaconf_setup, kaconf_teardown);
}
