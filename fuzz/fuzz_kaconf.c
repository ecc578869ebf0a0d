/* libFuzzer harness for the keepalived importer (kaconf/):
 * kaconf_convert_text() over arbitrary text, as `vrrpctl convert` and
 * `vrrpd --keepalived-conf` run it, then the JSON it produces through the
 * same model_parse_json() + model_tree_to_config() as a native file.
 *
 * Properties checked: success gives JSON text json-c parses and no error
 * message; failure gives no JSON and at least one error; message counts
 * add up and every message has a text naming the file.
 *
 * Includes: a fuzzer running as root must not read arbitrary files (a FIFO
 * there would also hang it), so the configuration is named as if it lived
 * in a private directory made at start-up holding a few small files, and
 * an input that mentions "include" is only run if it contains no '/':
 * then every pattern is relative to that directory and cannot leave it.
 *
 * Config id: keepalived's default is the host name, which would make a
 * run depend on the machine (`@ID` lines, `${_INSTANCE}`); byte 0 bits
 * 1-2 pick one of a few fixed ids instead, the empty one and one of the
 * model's maximum length among them.
 *
 * Input layout: byte 0 bit 0 = strict, bits 1-2 = config id; the rest is
 * the configuration. */
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fuzz_util.h"
#include "keepalived_conf.h"
#include "model.h"

static struct model *model;
static char dir[64];
static char name[128];
static const char *const config_ids[] = {
	"fuzz", "", "r1", "a-config-id-of-sixty-three-characters-is-as-long-as-a-host-name",
};

static const struct {
	const char *file, *text;
} include_files[] = {
	{ "global.conf", "global_defs {\n router_id fuzz\n vrrp_version 3\n}\n" },
	{ "vi.conf", "vrrp_instance VI_9 {\n interface eth0\n virtual_router_id 9\n"
		     " priority 50\n virtual_ipaddress {\n  10.9.9.9/24\n }\n}\n" },
	{ "loop.conf", "include loop.conf\n" },
	{ "empty.conf", "" },
};

static void remove_dir(void)
{
	char path[192];

	for (size_t i = 0; i < sizeof(include_files) / sizeof(include_files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, include_files[i].file);
		unlink(path);
	}
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct model_error me;
	char path[192];

	(void)argc;
	(void)argv;
	model = model_new(&me);
	snprintf(dir, sizeof(dir), "/tmp/fuzz_kaconf.XXXXXX");
	if (!model || !mkdtemp(dir))
		abort();
	atexit(remove_dir);
	for (size_t i = 0; i < sizeof(include_files) / sizeof(include_files[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, include_files[i].file);
		f = fopen(path, "w");
		if (!f || fputs(include_files[i].text, f) < 0 || fclose(f) != 0)
			abort();
	}
	snprintf(name, sizeof(name), "%s/keepalived.conf", dir);
	return 0;
}

static void check_diag(const struct kaconf_diag *d)
{
	size_t errors = 0, warnings = 0;

	if (d->n_msgs != d->n_errors + d->n_warnings)
		abort();
	for (size_t i = 0; i < d->n_msgs; i++) {
		const struct kaconf_msg *m = &d->msgs[i];

		if (!m->text || !m->file || !strstr(m->text, m->file))
			abort();
		if (m->severity == KACONF_ERROR)
			errors++;
		else
			warnings++;
	}
	if (errors != d->n_errors || warnings != d->n_warnings)
		abort();
}

/* What the daemon does with the result. */
static void check_json(const char *json)
{
	struct model_error me;
	struct vrrpd_config cfg;
	struct lyd_node *tree = NULL;
	json_object *o = json_tokener_parse(json);

	if (!o || !json_object_is_type(o, json_type_object))
		abort();
	json_object_put(o);
	if (model_parse_json(model, json, &tree, &me) < 0)
		return; /* the importer does not promise a valid config */
	if (model_tree_to_config(tree, &cfg, &me) == 0)
		vrrpd_config_free(&cfg);
	model_tree_free(tree);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kaconf_opts opts = { 0 };
	struct kaconf_diag diag = { 0 };
	char *json = (char *)1;
	int rc;

	if (size < 1)
		return 0;
	opts.strict = data[0] & 1;
	opts.config_id = config_ids[(data[0] >> 1) & 3];
	data++;
	size--;
	if (memmem(data, size, "include", 7) && memchr(data, '/', size))
		return 0;
	/* kaconf_convert_text takes a length: no terminator, so ASan sees a
	 * read past the end of the text. */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	rc = kaconf_convert_text(name, text, size, &opts, &json, &diag);
	check_diag(&diag);
	if (rc == 0) {
		if (!json || diag.n_errors)
			abort();
		check_json(json);
	} else if (rc != -1 || json || diag.n_errors == 0) {
		abort();
	}
	free(json);
	kaconf_diag_free(&diag);
	free(text);
	return 0;
}
