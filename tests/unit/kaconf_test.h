/* Helpers shared by the importer's unit tests (test_kaconf*.c): convert
 * a text, find a message, read the JSON, validate it against the model. */
#ifndef VRRPD_TEST_KACONF_H
#define VRRPD_TEST_KACONF_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keepalived_conf.h"
#include "model.h"

/* tests/data/keepalived, found from this file's own path so the test runs
 * from the repository root (make unit) or with an absolute __FILE__. */
static char data_dir[1024] __attribute__((unused));

static __attribute__((unused)) void init_data_dir(void)
{
	const char *src = __FILE__; /* .../tests/unit/test_kaconf*.c */
	const char *cut = strstr(src, "unit/test_kaconf");
	int n = cut ? (int)(cut - src) : 0;
	snprintf(data_dir, sizeof(data_dir), "%.*sdata/keepalived", n, src);
	if (!cut)
		snprintf(data_dir, sizeof(data_dir), "tests/data/keepalived");
}

static __attribute__((unused)) char *data_path(const char *name)
{
	char *p;
	assert_true(asprintf(&p, "%s/%s", data_dir, name) > 0);
	return p;
}

static __attribute__((unused)) char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *buf = NULL;
	size_t cap = 0, len = 0;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap * 2 + 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t n = fread(buf + len, 1, 4096, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* ---- helpers ------------------------------------------------------------ */

static struct model *model __attribute__((unused));

static __attribute__((unused)) void assert_model_accepts(const char *json)
{
	if (!model)
		return;
	struct lyd_node *tree = NULL;
	struct model_error err = {0};
	int rc = model_parse_json(model, json, &tree, &err);
	if (rc != 0)
		fprintf(stderr, "model rejects: %s: %s\n%s\n", err.path,
			err.msg, json);
	assert_int_equal(rc, 0);
	model_tree_free(tree);
}

static __attribute__((unused)) bool has_msg(const struct kaconf_diag *d, enum kaconf_severity sev,
		    const char *text)
{
	for (size_t i = 0; i < d->n_msgs; i++)
		if (d->msgs[i].severity == sev && !strcmp(d->msgs[i].text, text))
			return true;
	return false;
}

static __attribute__((unused)) void assert_msg(const struct kaconf_diag *d, enum kaconf_severity sev,
		       const char *text)
{
	if (!has_msg(d, sev, text)) {
		fprintf(stderr, "missing %s: %s\nmessages:\n",
			sev == KACONF_ERROR ? "error" : "warning", text);
		kaconf_diag_print(d, stderr);
	}
	assert_true(has_msg(d, sev, text));
}

/* Convert `text` as "t.conf"; on success the JSON is validated against the
 * model and parsed with json-c into *root (caller puts). */
static __attribute__((unused)) int convert(const char *text, bool strict, struct kaconf_diag *d,
		   json_object **root)
{
	struct kaconf_opts o = {.strict = strict};
	char *json = (char *)0x1;
	int rc = kaconf_convert_text("t.conf", text, strlen(text), &o, &json,
				     d);
	if (root)
		*root = NULL;
	if (rc != 0) {
		assert_null(json); /* nothing half converted */
		assert_true(d->n_errors > 0);
		return rc;
	}
	assert_non_null(json);
	assert_int_equal(d->n_errors, 0);
	assert_model_accepts(json);
	if (root) {
		*root = json_tokener_parse(json);
		assert_non_null(*root);
	}
	free(json);
	return 0;
}

static __attribute__((unused)) json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static __attribute__((unused)) json_object *instance(json_object *root, size_t i)
{
	json_object *list = jget(jget(root, "vrrpd:vrrpd"), "instance");
	assert_non_null(list);
	assert_true(i < json_object_array_length(list));
	return json_object_array_get_idx(list, i);
}

static __attribute__((unused)) int jint(json_object *o, const char *key)
{
	json_object *v = jget(o, key);
	assert_non_null(v);
	return json_object_get_int(v);
}

static __attribute__((unused)) const char *jstr(json_object *o, const char *key)
{
	json_object *v = jget(o, key);
	assert_non_null(v);
	return json_object_get_string(v);
}

static __attribute__((unused)) bool jbool(json_object *o, const char *key)
{
	json_object *v = jget(o, key);
	assert_non_null(v);
	return json_object_get_boolean(v);
}

/* One instance with the given extra lines, for the many small cases. */
#define INSTANCE(extra)                                   \
	"vrrp_instance VI_1 {\n"                          \
	"    interface eth0\n"                            \
	"    virtual_router_id 11\n"                      \
	extra                                             \
	"    virtual_ipaddress {\n"                       \
	"        10.10.1.1/16\n"                          \
	"    }\n"                                         \
	"}\n"

/* Expect failure and exactly this error among the messages. */
static __attribute__((unused)) void expect_error(const char *text, bool strict, const char *msg)
{
	struct kaconf_diag d = {0};
	assert_int_equal(convert(text, strict, &d, NULL), -1);
	assert_msg(&d, KACONF_ERROR, msg);
	kaconf_diag_free(&d);
}

static __attribute__((unused)) int kaconf_setup(void **state)
{
	(void)state;
	init_data_dir();
	struct model_error err = {0};
	model = model_new(&err);
	if (!model)
		fprintf(stderr, "model unavailable (%s); JSON not validated\n",
			err.msg);
	return 0;
}

static __attribute__((unused)) int kaconf_teardown(void **state)
{
	(void)state;
	if (model)
		model_free(model);
	return 0;
}


#endif
