/* Shared by model_edit.c (the small tree, the unique index) and
 * model_edit_schema.c (whether the schema allows the small tree). */
#ifndef VRRPD_MODEL_EDIT_INT_H
#define VRRPD_MODEL_EDIT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model_edit.h"

struct ly_ctx;
struct lysc_node;
struct uent;

struct model_edit {
	struct model *m;
	bool usable;
	const struct lysc_node *top;    /* /vrrpd:vrrpd */
	const struct lysc_node *list;   /* /vrrpd:vrrpd/instance */
	size_t n_uniq;                  /* its unique statements */
	/* leaves outside the list that name an instance (leafref to the key) */
	const struct lysc_node **namers;
	size_t n_namers;
	/* the unique index of running at generation ix_gen */
	bool ix_valid;
	uint64_t ix_gen;
	struct uent **b;
	size_t nb, n;
	/* the change last checked: its name, its unique keys before/after */
	char *p_name;
	char **p_old, **p_new;
};

/* Fill top, list, n_uniq, namers, p_old/p_new; true when the schema keeps
 * to the rules of model_edit.h. */
bool model_edit_analyse(struct model_edit *x, struct ly_ctx *ctx);

/* The lowest level the relative location paths of an XPath text reach,
 * counted from the context node (.. is -1), and whether a path starts at
 * the root. Exposed for its unit test. */
int model_xpath_reach(const char *text, bool *absolute);

#endif
