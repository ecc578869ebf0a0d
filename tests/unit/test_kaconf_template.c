/* Unit tests for keepalived's configuration language (kaconf/template.c):
 * `@ID` / `@^ID`, `$NAME=VALUE` and its uses, multiline parameters, ~SEQ,
 * each with the examples of keepalived.conf(5) ADVANCED CONFIGURATION, and
 * what is not understood: an undefined `$IF` is reported and never becomes
 * an interface named "$IF". */
#include "kaconf_test.h"

static int convert_id(const char *text, const char *id, struct kaconf_diag *d,
		      json_object **root)
{
	struct kaconf_opts o = {.config_id = id};
	char *json = NULL;
	int rc = kaconf_convert_text("t.conf", text, strlen(text), &o, &json,
				     d);
	*root = NULL;
	if (rc == 0) {
		assert_model_accepts(json);
		*root = json_tokener_parse(json);
		assert_non_null(*root);
	} else {
		assert_null(json);
	}
	free(json);
	return rc;
}

static const char *const cond_text =
	"global_defs {\n"
	"    @main   router_id main_router\n"
	"    @backup router_id backup_router\n"
	"}\n"
	"@main $PRIORITY=240\n"
	"@backup $PRIORITY=200\n"
	"vrrp_instance VI_0 {\n"
	"    interface eth0\n"
	"    virtual_router_id 1\n"
	"    priority $PRIORITY\n"
	"    @^main nopreempt\n"
	"    virtual_ipaddress {\n"
	"        10.0.0.1\n"
	"    }\n"
	"}\n";

static void test_conditionals(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	assert_int_equal(convert_id(cond_text, "main", &d, &root), 0);
	assert_string_equal(jstr(jget(jget(root, "vrrpd:vrrpd"), "global"),
				 "router-id"),
			    "main_router");
	assert_int_equal(jint(instance(root, 0), "priority"), 240);
	assert_true(jbool(instance(root, 0), "preempt"));
	assert_int_equal(d.n_msgs, 0);
	json_object_put(root);
	kaconf_diag_free(&d);

	assert_int_equal(convert_id(cond_text, "backup", &d, &root), 0);
	assert_string_equal(jstr(jget(jget(root, "vrrpd:vrrpd"), "global"),
				 "router-id"),
			    "backup_router");
	assert_int_equal(jint(instance(root, 0), "priority"), 200);
	assert_false(jbool(instance(root, 0), "preempt"));
	json_object_put(root);
	kaconf_diag_free(&d);

	/* another id: no router_id, $PRIORITY undefined -> reported, and the
	 * literal "$PRIORITY" is refused by priority, never guessed */
	assert_int_equal(convert_id(cond_text, "other", &d, &root), -1);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:10: '$PRIORITY' is not a defined parameter; kept as written, as keepalived does");
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:10: keyword 'priority': expected an integer 1..255, got '$PRIORITY'");
	kaconf_diag_free(&d);
}

/* The silent mis-conversion of issue 12: `interface $IF` without $IF. */
static void test_undefined_parameter(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text = "vrrp_instance VI_1 {\n    interface $IF\n"
			   "    virtual_router_id 1\n"
			   "    virtual_ipaddress {\n        10.0.0.1\n    }\n}\n";
	assert_int_equal(convert_id(text, "x", &d, &root), -1);
	assert_msg(&d, KACONF_WARNING,
		   "t.conf:2: '$IF' is not a defined parameter; kept as written, as keepalived does");
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:2: keyword 'interface': '$IF' refers to an undefined parameter, not an interface");
	kaconf_diag_free(&d);

	/* defined: used, also as ${IF} glued to text */
	text = "$IF=eth0\n$NET=10.0\n"
	       "vrrp_instance VI_1 {\n    interface $IF\n"
	       "    virtual_router_id 1\n"
	       "    virtual_ipaddress {\n        ${NET}.0.1/16 dev ${IF}\n    }\n}\n";
	assert_int_equal(convert_id(text, "x", &d, &root), 0);
	assert_string_equal(jstr(instance(root, 0), "interface"), "eth0");
	json_object *v = json_object_array_get_idx(
		jget(instance(root, 0), "virtual-address"), 0);
	assert_string_equal(jstr(v, "address"), "10.0.0.1");
	assert_string_equal(jstr(v, "device"), "eth0");
	assert_int_equal(d.n_msgs, 0);
	json_object_put(root);
	kaconf_diag_free(&d);
}

/* keepalived.conf(5): substitution happens at use, recursively, and the
 * result of a parameter can itself be a conditional line. */
static void test_late_and_recursive_substitution(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text =
		"$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n"
		"$ADDRESS_BASE_SUB=0\n"
		"$IF_MAIN=@main\n"
		"vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n"
		"    $IF_MAIN priority 240\n"
		"    virtual_ipaddress {\n"
		"        ${ADDRESS_BASE}.100/32\n"
		"$ADDRESS_BASE_SUB=10\n"
		"        ${ADDRESS_BASE}.100/32\n"
		"    }\n}\n";
	assert_int_equal(convert_id(text, "main", &d, &root), 0);
	json_object *vips = jget(instance(root, 0), "virtual-address");
	assert_int_equal(json_object_array_length(vips), 2);
	assert_string_equal(jstr(json_object_array_get_idx(vips, 0), "address"),
			    "10.2.0.100");
	assert_string_equal(jstr(json_object_array_get_idx(vips, 1), "address"),
			    "10.2.10.100");
	assert_int_equal(jint(instance(root, 0), "priority"), 240);
	json_object_put(root);
	kaconf_diag_free(&d);

	assert_int_equal(convert_id(text, "backup", &d, &root), 0);
	assert_int_equal(jint(instance(root, 0), "priority"), 100);
	json_object_put(root);
	kaconf_diag_free(&d);

	/* parameters that multiply each other stop at the bound, not when
	 * memory runs out (each level ten times the one below) */
	char laughs[2048] = "$L0=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n";
	for (int i = 1; i <= 9; i++) {
		char line[128];
		snprintf(line, sizeof(line), "$L%d=", i);
		for (int k = 0; k < 10; k++)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 "${L%d}", i - 1);
		strcat(laughs, line);
		strcat(laughs, "\n");
	}
	strcat(laughs, "smtp_server $L9\n");
	assert_int_equal(convert_id(laughs, "x", &d, &root), -1);
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:11: the configuration expands to more than 16 MiB (a ~SEQ or parameter that grows without end?)");
	kaconf_diag_free(&d);

	/* a parameter that refers to itself ends with an error */
	assert_int_equal(convert_id("$A=x $A\n$A\n", "x", &d, &root), -1);
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:2: parameters or ~SEQ nested deeper than 32 (a parameter that refers to itself?)");
	kaconf_diag_free(&d);
}

/* The multiline example of keepalived.conf(5), reduced to VRRP. */
static void test_multiline_parameter(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text =
		"$INSTANCE= \\\n"
		"vrrp_instance VI_${NUM} { \\\n"
		"    interface eth0.${NUM} \\\n"
		"    virtual_router_id 1${NUM} \\\n"
		"    @high priority 130 \\\n"
		"    @low priority 120 \\\n"
		"    advert_int 1 \\\n"
		"    virtual_ipaddress { \\\n"
		"        10.0.${NUM}.254/24 \\\n"
		"    } \\\n"
		"}\n"
		"\n"
		"$NUM=0\n"
		"$INSTANCE\n"
		"\n"
		"$NUM=1\n"
		"$INSTANCE\n";
	assert_int_equal(convert_id(text, "low", &d, &root), 0);
	for (int i = 0; i < 2; i++) {
		json_object *in = instance(root, (size_t)i);
		char name[32], ifn[32], addr[32];
		snprintf(name, sizeof(name), "VI_%d", i);
		snprintf(ifn, sizeof(ifn), "eth0.%d", i);
		snprintf(addr, sizeof(addr), "10.0.%d.254", i);
		assert_string_equal(jstr(in, "name"), name);
		assert_string_equal(jstr(in, "interface"), ifn);
		assert_int_equal(jint(in, "vrid"), 10 + i);
		assert_int_equal(jint(in, "priority"), 120);
		assert_string_equal(jstr(json_object_array_get_idx(
						 jget(in, "virtual-address"), 0),
					 "address"),
				    addr);
	}
	/* messages about the expansion name the line of the use */
	assert_int_equal(d.n_msgs, 0);
	json_object_put(root);
	kaconf_diag_free(&d);
}

static void test_sequences(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text =
		"~SEQ(ID, 1, 3) $VI\n";
	/* parameters defined first, then used by ~SEQ */
	char buf[1024];
	snprintf(buf, sizeof(buf),
		 "$VI=vrrp_instance VI_${ID} { \\\n"
		 "    interface eth0 \\\n"
		 "    virtual_router_id ${ID} \\\n"
		 "    virtual_ipaddress { \\\n"
		 "        ~SEQx(B, 0x90, 0x10, 0xc0) fe80::20:${B}:${ID} \\\n"
		 "    } \\\n"
		 "}\n%s", text);
	assert_int_equal(convert_id(buf, "x", &d, &root), 0);
	json_object *list = jget(jget(root, "vrrpd:vrrpd"), "instance");
	assert_int_equal(json_object_array_length(list), 3);
	json_object *in = instance(root, 2);
	assert_string_equal(jstr(in, "name"), "VI_3");
	assert_int_equal(jint(in, "vrid"), 3);
	json_object *vips = jget(in, "virtual-address");
	assert_int_equal(json_object_array_length(vips), 4);
	assert_string_equal(jstr(json_object_array_get_idx(vips, 0), "address"),
			    "fe80::20:90:3");
	assert_string_equal(jstr(json_object_array_get_idx(vips, 3), "address"),
			    "fe80::20:c0:3");
	json_object_put(root);
	kaconf_diag_free(&d);

	/* defaults: ~SEQ(V, 3) is 1, 2, 3; a downward sequence steps -1 */
	const char *down = "vrrp_instance VI_1 {\n    interface eth0\n"
			   "    virtual_router_id 1\n    virtual_ipaddress {\n"
			   "        ~SEQ(N, 3) 10.0.0.${N}\n"
			   "        ~SEQ(M, 9, 7) 10.0.1.${M}\n    }\n}\n";
	assert_int_equal(convert_id(down, "x", &d, &root), 0);
	vips = jget(instance(root, 0), "virtual-address");
	assert_int_equal(json_object_array_length(vips), 6);
	assert_string_equal(jstr(json_object_array_get_idx(vips, 2), "address"),
			    "10.0.0.3");
	assert_string_equal(jstr(json_object_array_get_idx(vips, 5), "address"),
			    "10.0.1.7");
	json_object_put(root);
	kaconf_diag_free(&d);

	assert_int_equal(convert_id("~SEQ(N, 1, 0, 5) x\n", "x", &d, &root), -1);
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:1: ~SEQ: the sequence from 1 by 0 never reaches 5");
	kaconf_diag_free(&d);
	assert_int_equal(convert_id("~SEQ(N, a, 5) x\n", "x", &d, &root), -1);
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:1: ~SEQ: expected ~SEQ(VAR, END), ~SEQ(VAR, START, END) or ~SEQ(VAR, START, STEP, END) with integers");
	kaconf_diag_free(&d);
	assert_int_equal(convert_id("~LST(N, 1, 2) x\n", "x", &d, &root), -1);
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:1: '~LST' lines are not supported by vrrpd's importer; only ~SEQ and ~SEQx");
	kaconf_diag_free(&d);
	/* a sequence that would not fit in memory stops at the cap */
	assert_int_equal(convert_id("~SEQ(A, 1, 100000) ~SEQ(B, 1, 100000) smtp_server ${A}.${B}\n",
				    "x", &d, &root),
			 -1);
	assert_msg(&d, KACONF_ERROR,
		   "t.conf:1: the configuration expands to more than 16 MiB (a ~SEQ or parameter that grows without end?)");
	kaconf_diag_free(&d);
}

/* Comments are removed before anything else; ${_INSTANCE} is the config
 * id and ${_PWD} the file's directory. */
static void test_predefined_and_comments(void **state)
{
	(void)state;
	struct kaconf_diag d = {0};
	json_object *root;
	const char *text =
		"$P=150 # the priority\n"
		"global_defs {\n    router_id r_${_INSTANCE} ! here\n}\n"
		INSTANCE("    priority $P\n");
	assert_int_equal(convert_id(text, "lb1", &d, &root), 0);
	assert_string_equal(jstr(jget(jget(root, "vrrpd:vrrpd"), "global"),
				 "router-id"),
			    "r_lb1");
	assert_int_equal(jint(instance(root, 0), "priority"), 150);
	json_object_put(root);
	kaconf_diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conditionals),
		cmocka_unit_test(test_undefined_parameter),
		cmocka_unit_test(test_late_and_recursive_substitution),
		cmocka_unit_test(test_multiline_parameter),
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_predefined_and_comments),
	};
	return cmocka_run_group_tests(tests, kaconf_setup, kaconf_teardown);
}
