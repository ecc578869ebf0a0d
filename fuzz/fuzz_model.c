/* libFuzzer harness for the JSON configuration path: what `vrrpd --config`,
 * SIGHUP and config.replace do with a text, model_parse_json() (libyang
 * parse + validation against yang/vrrpd.yang, errors folded into a path and
 * a reason) then model_tree_to_config() (the C decoding the engine runs).
 *
 * Properties checked: a rejected text leaves no tree and gives a reason; a
 * rejected decoding gives a reason; an accepted tree prints as JSON that
 * parses again, decodes to the same number of instances and prints the
 * same (the canonical form vrrpd saves is a fixed point).
 *
 * Input: the configuration text itself (made NUL-terminated). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_util.h"
#include "model.h"

static struct model *model;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct model_error me;

	(void)argc;
	(void)argv;
	model = model_new(&me);
	if (!model) {
		fprintf(stderr, "fuzz_model: model: %s\n", me.msg);
		abort();
	}
	return 0;
}

/* Print, parse the print, decode and print again. */
static void check_fixed_point(const struct lyd_node *tree, size_t n_instances)
{
	struct model_error me = { { 0 }, { 0 } };
	struct vrrpd_config cfg;
	struct lyd_node *again = NULL;
	char *text = model_tree_to_json(tree), *text2;

	if (!text)
		abort();
	if (model_parse_json(model, text, &again, &me) < 0) {
		fprintf(stderr, "printed config rejected: %s: %s\n%s\n", me.path,
			me.msg, text);
		abort();
	}
	if (model_tree_to_config(again, &cfg, &me) < 0 ||
	    cfg.n_instances != n_instances)
		abort();
	text2 = model_tree_to_json(again);
	if (!text2 || strcmp(text, text2) != 0)
		abort();
	vrrpd_config_free(&cfg);
	free(text2);
	free(text);
	model_tree_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model_error me = { { 0 }, { 0 } };
	struct vrrpd_config cfg;
	struct lyd_node *tree = (struct lyd_node *)1;
	char *text = fuzz_strndup(data, size);

	if (!text)
		return 0;
	if (model_parse_json(model, text, &tree, &me) < 0) {
		if (tree || !me.msg[0])
			abort();
		free(text);
		return 0;
	}
	memset(&me, 0, sizeof(me));
	if (model_tree_to_config(tree, &cfg, &me) < 0) {
		if (!me.msg[0])
			abort();
	} else {
		check_fixed_point(tree, cfg.n_instances);
		vrrpd_config_free(&cfg);
	}
	model_tree_free(tree);
	free(text);
	return 0;
}
