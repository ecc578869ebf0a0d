/* config.c against the YANG schema: every configuration leaf of an
 * instance is in instance_fields[] with its class (restart / in place), and
 * a change of that leaf alone, decoded by the model, is seen by the
 * field's comparison, by instance_cfg_equal() and (for restart leaves
 * only) by instance_cfg_needs_restart(). A leaf added to yang/vrrpd.yang
 * without a line in instance_fields[] (or without being decoded into
 * struct instance_cfg) makes this test fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <json-c/json.h>
#include <libyang/libyang.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "model.h"

#define BASE_INSTANCE \
	"{\"name\":\"VI_1\",\"interface\":\"eth0\",\"vrid\":11," \
	"\"virtual-address\":[{\"address\":\"10.0.0.1\"}]}"

/* Two sets of members merged over BASE_INSTANCE that differ in one leaf.
 * Where the model's must statements tie a leaf to another, the other
 * changes too and is named in the comment. */
struct leaf_change {
	const char *leaf;
	const char *a, *b;
};

static const struct leaf_change changes[] = {
	{ "name", "{}", "{\"name\":\"VI_2\"}" },
	{ "interface", "{}", "{\"interface\":\"eth1\"}" },
	{ "vrid", "{}", "{\"vrid\":12}" },
	{ "version", "{}", "{\"version\":3}" },
	/* + the VIP, whose family must match (an in-place leaf). */
	{ "address-family", "{\"version\":3}",
	  "{\"version\":3,\"address-family\":\"ipv6\","
	  "\"virtual-address\":[{\"address\":\"fe80::1\"}]}" },
	{ "priority", "{}", "{\"priority\":200}" },
	{ "preempt", "{}", "{\"preempt\":false}" },
	{ "preempt-delay", "{}", "{\"preempt-delay\":10}" },
	{ "accept-mode", "{}", "{\"accept-mode\":true}" },
	{ "advertisement-interval", "{}", "{\"advertisement-interval\":200}" },
	{ "initial-state", "{}", "{\"initial-state\":\"master\"}" },
	{ "multicast-group", "{}", "{\"multicast-group\":\"224.0.0.19\"}" },
	/* + the password that simple-password requires (in place too). */
	{ "authentication/type", "{}",
	  "{\"authentication\":{\"type\":\"simple-password\",\"password\":\"x\"}}" },
	{ "authentication/password",
	  "{\"authentication\":{\"type\":\"simple-password\",\"password\":\"aaa\"}}",
	  "{\"authentication\":{\"type\":\"simple-password\",\"password\":\"bbb\"}}" },
	{ "virtual-address/address", "{}",
	  "{\"virtual-address\":[{\"address\":\"10.0.0.2\"}]}" },
	{ "virtual-address/prefix-length", "{}",
	  "{\"virtual-address\":[{\"address\":\"10.0.0.1\",\"prefix-length\":24}]}" },
	{ "virtual-address/device", "{}",
	  "{\"virtual-address\":[{\"address\":\"10.0.0.1\",\"device\":\"eth1\"}]}" },
	{ "virtual-mac/enabled", "{}", "{\"virtual-mac\":{\"enabled\":true}}" },
	{ "virtual-mac/interface", "{}", "{\"virtual-mac\":{\"interface\":\"vmac1\"}}" },
	{ "virtual-mac/transmit-on-base", "{}",
	  "{\"virtual-mac\":{\"transmit-on-base\":true}}" },
	{ "source-address", "{}", "{\"source-address\":\"10.0.0.9\"}" },
	{ "promote-secondaries", "{}", "{\"promote-secondaries\":true}" },
	{ "ignore-link-down", "{}", "{\"ignore-link-down\":true}" },
	{ "garp/master-delay", "{}", "{\"garp\":{\"master-delay\":0}}" },
	{ "garp/master-repeat", "{}", "{\"garp\":{\"master-repeat\":1}}" },
	{ "garp/master-refresh", "{}", "{\"garp\":{\"master-refresh\":60}}" },
	{ "garp/master-refresh-repeat", "{}", "{\"garp\":{\"master-refresh-repeat\":3}}" },
	{ "master-down-adverts", "{}", "{\"master-down-adverts\":4}" },
	{ "virtual-address/excluded", "{}",
	  "{\"virtual-address\":[{\"address\":\"10.0.0.1\"},{\"address\":\"fe80::5\",\"excluded\":true}]}" },
	{ "virtual-address/label", "{}",
	  "{\"virtual-address\":[{\"address\":\"10.0.0.1\",\"label\":\"eth0:1\"}]}" },
	{ "virtual-address/broadcast", "{}",
	  "{\"virtual-address\":[{\"address\":\"10.0.0.1\",\"prefix-length\":24,\"broadcast\":\"10.0.0.255\"}]}" },
	{ "virtual-address/scope", "{}",
	  "{\"virtual-address\":[{\"address\":\"10.0.0.1\",\"scope\":\"link\"}]}" },
	{ "unicast/ttl", "{}", "{\"unicast\":{\"ttl\":64}}" },
	/* subtrees: one change stands for every leaf below (the tracker
	 * "chk" is defined at the top, see decode()) */
	{ "track/", "{}", "{\"track\":{\"script\":[{\"name\":\"chk\",\"weight\":-10}]}}" },
	{ "notify/", "{}",
	  "{\"notify\":{\"script\":[{\"event\":\"master\",\"command\":[\"/bin/true\"]}]}}" },
	{ "unicast/fault-no-peer", "{}", "{\"unicast\":{\"fault-no-peer\":true}}" },
	{ "unicast/check-source", "{}", "{\"unicast\":{\"check-source\":true}}" },
	{ "unicast/peer/address", "{}",
	  "{\"unicast\":{\"peer\":[{\"address\":\"10.0.0.2\"}]}}" },
	/* + check-source, which a TTL bound turns on (in place too) */
	{ "unicast/peer/min-ttl", "{\"unicast\":{\"peer\":[{\"address\":\"10.0.0.2\"}]}}",
	  "{\"unicast\":{\"peer\":[{\"address\":\"10.0.0.2\",\"min-ttl\":250}]}}" },
	{ "unicast/peer/max-ttl", "{\"unicast\":{\"peer\":[{\"address\":\"10.0.0.2\"}]}}",
	  "{\"unicast\":{\"peer\":[{\"address\":\"10.0.0.2\",\"max-ttl\":250}]}}" },	/* virtual routes and rules: one entry, one leaf changed */
	{ "virtual-route/id",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\"}]}",
	  "{\"virtual-route\":[{\"id\":2,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\"}]}" },
	{ "virtual-route/destination",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\"}]}",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.8.0.0/16\",\"device\":\"eth0\"}]}" },
	{ "virtual-route/type",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"type\":\"blackhole\"}]}",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"type\":\"prohibit\"}]}" },
	{ "virtual-route/gateway",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\"}]}",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\",\"gateway\":\"10.0.0.254\"}]}" },
	{ "virtual-route/device",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\"}]}",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth1\"}]}" },
	{ "virtual-route/source",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\"}]}",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\",\"source\":\"10.0.0.1\"}]}" },
	{ "virtual-route/table",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\"}]}",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\",\"table\":100}]}" },
	{ "virtual-route/metric",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\"}]}",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\",\"metric\":10}]}" },
	{ "virtual-route/scope",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\"}]}",
	  "{\"virtual-route\":[{\"id\":1,\"destination\":\"10.9.0.0/16\",\"device\":\"eth0\",\"scope\":\"link\"}]}" },
	{ "virtual-rule/id",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100}]}",
	  "{\"virtual-rule\":[{\"id\":2,\"table\":100}]}" },
	{ "virtual-rule/from",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100}]}",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100,\"from\":\"10.0.0.0/24\"}]}" },
	{ "virtual-rule/to",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100}]}",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100,\"to\":\"10.0.0.0/24\"}]}" },
	{ "virtual-rule/table",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100}]}",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":101}]}" },
	{ "virtual-rule/priority",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100}]}",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100,\"priority\":100}]}" },
	{ "virtual-rule/in-interface",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100}]}",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100,\"in-interface\":\"eth0\"}]}" },
	{ "virtual-rule/out-interface",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100}]}",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100,\"out-interface\":\"eth0\"}]}" },
	{ "virtual-rule/fwmark",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100}]}",
	  "{\"virtual-rule\":[{\"id\":1,\"table\":100,\"fwmark\":5}]}" },
};

static struct model *model;

static int setup(void **state)
{
	struct model_error me;

	(void)state;
	model = model_new(&me);
	return model ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	model_free(model);
	return 0;
}

/* Decode {"vrrpd:vrrpd": {global, "instance": [BASE + members]}}. */
static void decode(const char *global, const char *members, struct vrrpd_config *out)
{
	json_object *in = json_tokener_parse(BASE_INSTANCE);
	json_object *add = json_tokener_parse(members), *top, *root, *arr;
	struct model_error me = { "", "" };
	struct lyd_node *tree = NULL;

	assert_non_null(in);
	assert_non_null(add);
	json_object_object_foreach(add, k, v)
		json_object_object_add(in, k, json_object_get(v));
	json_object_put(add);
	arr = json_object_new_array();
	json_object_array_add(arr, in);
	top = json_object_new_object();
	if (global)
		json_object_object_add(top, "global", json_tokener_parse(global));
	/* a tracker for the track/ pair to refer to */
	json_object_object_add(top, "track", json_tokener_parse(
		"{\"script\":[{\"name\":\"chk\",\"command\":[\"/bin/true\"]}]}"));
	json_object_object_add(top, "instance", arr);
	root = json_object_new_object();
	json_object_object_add(root, "vrrpd:vrrpd", top);
	if (model_parse_json(model, json_object_to_json_string(root), &tree, &me) < 0)
		fail_msg("%s: %s: %s", json_object_to_json_string(root), me.path, me.msg);
	json_object_put(root);
	memset(out, 0, sizeof(*out));
	if (model_tree_to_config(tree, out, &me) < 0)
		fail_msg("decode: %s: %s", me.path, me.msg);
	model_tree_free(tree);
	assert_int_equal(out->n_instances, 1);
}

/* A row names a leaf, or a subtree when it ends in '/'. */
static bool covers(const char *row, const char *leaf)
{
	size_t n = strlen(row);

	return row[n - 1] == '/' ? strncmp(row, leaf, n) == 0 : strcmp(row, leaf) == 0;
}

static const struct leaf_change *change_for(const char *leaf)
{
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++)
		if (covers(changes[i].leaf, leaf))
			return &changes[i];
	return NULL;
}

static const struct instance_field *field_for(const char *leaf)
{
	for (const struct instance_field *f = instance_fields; f->leaf; f++)
		if (covers(f->leaf, leaf))
			return f;
	return NULL;
}

static void check_leaf(const char *leaf)
{
	const struct leaf_change *c = change_for(leaf);
	const struct instance_field *f = field_for(leaf);
	struct vrrpd_config a, a2, b;

	if (!f)
		fail_msg("instance leaf %s is not in instance_fields[] (config.c): "
			 "say whether a change restarts the instance", leaf);
	if (!c)
		fail_msg("instance leaf %s has no pair of values in changes[] here", leaf);
	decode(NULL, c->a, &a);
	decode(NULL, c->a, &a2);
	decode(NULL, c->b, &b);
	/* Decoding is deterministic: the same text compares equal. */
	assert_true(instance_cfg_equal(&a.instances[0], &a2.instances[0]));
	assert_false(instance_cfg_needs_restart(&a.instances[0], &a2.instances[0]));
	/* The field's own comparison sees the change, so the leaf is decoded
	 * and compared, not merely listed. */
	if (f->equal(&a.instances[0], &b.instances[0]))
		fail_msg("%s: a change is not seen by its comparison (decoded?)", leaf);
	assert_false(instance_cfg_equal(&a.instances[0], &b.instances[0]));
	if (f->apply != FIELD_KEY &&
	    instance_cfg_needs_restart(&a.instances[0], &b.instances[0]) !=
	    (f->apply == FIELD_RESTART))
		fail_msg("%s: needs_restart disagrees with its class", leaf);
	vrrpd_config_free(&a);
	vrrpd_config_free(&a2);
	vrrpd_config_free(&b);
}

/* The configuration leaves of the instance list, relative to it. */
static size_t instance_leaves(char (*out)[512], size_t max)
{
	const struct lysc_node *list, *elem;
	size_t n = 0;

	list = lys_find_path(model_ctx(model), NULL, "/vrrpd:vrrpd/instance", 0);
	assert_non_null(list);
	LYSC_TREE_DFS_BEGIN(list, elem) {
		if ((elem->nodetype & (LYS_LEAF | LYS_LEAFLIST)) &&
		    (elem->flags & LYS_CONFIG_W)) {
			char full[512];
			const char *pre = "/vrrpd:vrrpd/instance/";

			lysc_path(elem, LYSC_PATH_DATA, full, sizeof(full));
			assert_int_equal(strncmp(full, pre, strlen(pre)), 0);
			assert_true(n < max);
			snprintf(out[n++], 512, "%s", full + strlen(pre));
		}
		LYSC_TREE_DFS_END(list, elem);
	}
	return n;
}

static void test_every_leaf_classified_and_compared(void **state)
{
	char leaves[128][512];
	size_t n = instance_leaves(leaves, 128), covered = 0;
	(void)state;

	assert_true(n >= 17);
	for (size_t i = 0; i < n; i++)
		check_leaf(leaves[i]);
	/* Nothing in the table that the schema does not have; every schema
	 * leaf under exactly one row. */
	for (const struct instance_field *f = instance_fields; f->leaf; f++) {
		size_t found = 0;

		for (size_t i = 0; i < n; i++)
			found += covers(f->leaf, leaves[i]);
		if (!found)
			fail_msg("instance_fields[] has %s, the schema does not", f->leaf);
		covered += found;
	}
	assert_int_equal(covered, n);
}

/* The group is resolved from the global default: changing the default
 * restarts an instance that has no group of its own. */
static void test_global_group_restarts(void **state)
{
	struct vrrpd_config a, b;
	(void)state;

	decode(NULL, "{}", &a);
	decode("{\"multicast-group-v4\":\"224.0.0.19\"}", "{}", &b);
	assert_false(instance_cfg_equal(&a.instances[0], &b.instances[0]));
	assert_true(instance_cfg_needs_restart(&a.instances[0], &b.instances[0]));
	vrrpd_config_free(&a);
	vrrpd_config_free(&b);
}

static void test_null_and_self(void **state)
{
	struct vrrpd_config a;
	(void)state;

	decode(NULL, "{}", &a);
	assert_true(instance_cfg_equal(&a.instances[0], &a.instances[0]));
	assert_false(instance_cfg_equal(&a.instances[0], NULL));
	assert_false(instance_cfg_equal(NULL, &a.instances[0]));
	vrrpd_config_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_leaf_classified_and_compared),
		cmocka_unit_test(test_global_group_restarts),
		cmocka_unit_test(test_null_and_self),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
