/* Whether the schema lets one instance be validated on a small tree (the
 * rules of model_edit.h), found once when the model is loaded: every
 * must, when and leafref of the module is looked at, with the schema
 * nodes libyang says it reads (lys_find_expr_atoms) and the climb of its
 * relative paths. A rule broken turns the small tree off; nothing is
 * ever validated less. */
#include "model_edit_int.h"

#include <ctype.h>
#include <libyang/libyang.h>
#include <stdlib.h>
#include <string.h>

#define REACH_DEPTH 32

struct walk {
	struct model_edit *x;
	const struct lys_module *mod;
	const struct lysc_node *key;
	bool ok;
};

static bool within(const struct lysc_node *n, const struct lysc_node *list)
{
	for (; n; n = n->parent)
		if (n == list)
			return true;
	return false;
}

/* Data levels from the list entry down to n (choice and case are no
 * level for "..": they are not in the data tree). */
static int depth_below(const struct lysc_node *n, const struct lysc_node *list)
{
	int d = 0;

	for (; n && n != list; n = n->parent)
		if (!(n->nodetype & (LYS_CHOICE | LYS_CASE)))
			d++;
	return d;
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' ||
	       c == ':' || c == '*' || c == '@';
}

int model_xpath_reach(const char *s, bool *absolute)
{
	/* per open predicate: the level and kind of the path it belongs to */
	struct { int lvl; bool abs, in; } st[REACH_DEPTH];
	int sp = 0, lvl = 0, base = 0, low = 0;
	bool in = false, abs = false, base_abs = false, after_current = false;

	*absolute = false;
	for (const char *p = s; *p;) {
		char c = *p;

		if (c == '\'' || c == '"') {
			const char *q = strchr(p + 1, c);

			p = q ? q + 1 : p + strlen(p);
			in = false;
			after_current = false;
			continue;
		}
		if (c == '/') {
			if (!in) {
				in = true;
				abs = base_abs || !after_current;
				lvl = after_current ? 0 : base;
				*absolute = *absolute || abs;
			}
			after_current = false;
			p++;
			continue;
		}
		if (c == '[') {
			if (sp == REACH_DEPTH) {
				*absolute = true; /* too deep to follow: assume the worst */
				return -REACH_DEPTH * 8;
			}
			st[sp].lvl = lvl;
			st[sp].abs = abs;
			st[sp].in = in;
			sp++;
			base = lvl;
			base_abs = abs;
			in = false;
			p++;
			continue;
		}
		if (c == ']' && sp > 0) {
			sp--;
			lvl = st[sp].lvl;
			abs = st[sp].abs;
			in = st[sp].in;
			base = sp ? st[sp - 1].lvl : 0;
			base_abs = sp ? st[sp - 1].abs : false;
			p++;
			continue;
		}
		if (name_char(c) && !(isdigit((unsigned char)c) && !in)) {
			const char *e = p;
			const char *q;

			while (name_char(*e))
				e++;
			for (q = e; *q == ' '; q++)
				;
			if (*q == '(' && !in) {
				/* a function; current() stands for the context node */
				after_current = e - p == 7 && !strncmp(p, "current", 7);
				p = q + 1;
				if (after_current && *p == ')')
					p++;
				else
					after_current = false;
				continue;
			}
			if (!in) {
				in = true;
				abs = base_abs;
				lvl = base;
			}
			if (e - p == 2 && !strncmp(p, "..", 2))
				lvl--;
			else if (!(e - p == 1 && *p == '.'))
				lvl++;
			if (!abs && lvl < low)
				low = lvl;
			after_current = false;
			p = e;
			continue;
		}
		/* anything else ends a path: white space, operators, commas */
		in = false;
		after_current = false;
		p++;
	}
	return low;
}

static void check_expr(struct walk *w, const struct lysc_node *owner,
		       const struct lysc_node *ctx_node, const struct lyxp_expr *expr,
		       const struct lysc_prefix *prefixes, bool leafref)
{
	const struct lysc_node *list = w->x->list;
	struct ly_set *set = NULL;
	bool inside = ctx_node && within(ctx_node, list);
	bool reaches_in = false, only_key = true, absolute;
	int low;

	if (lys_find_expr_atoms(ctx_node, w->mod, expr, prefixes, 0, &set) != LY_SUCCESS) {
		w->ok = false;
		return;
	}
	for (uint32_t i = 0; i < set->count; i++) {
		const struct lysc_node *a = set->snodes[i];

		if (!within(a, list) || (inside && a == ctx_node))
			continue;
		reaches_in = true;
		only_key = only_key && (a == list || a == w->key);
	}
	ly_set_free(set, NULL);
	low = model_xpath_reach(lyxp_get_expr(expr), &absolute);
	if (inside) {
		/* only into its own entry (relative, not above the entry) */
		if (low < -depth_below(ctx_node, list) || (absolute && reaches_in))
			w->ok = false;
	} else if (reaches_in) {
		/* from outside only by name: the instance goes into the tree */
		if (!leafref || !only_key) {
			w->ok = false;
			return;
		}
		const struct lysc_node **v = realloc(w->x->namers, (w->x->n_namers + 1) *
						     sizeof(*v));
		if (!v) {
			w->ok = false;
			return;
		}
		v[w->x->n_namers++] = owner;
		w->x->namers = v;
	}
}

static void check_type(struct walk *w, const struct lysc_node *node,
		       const struct lysc_type *t)
{
	LY_ARRAY_COUNT_TYPE i;

	switch (t->basetype) {
	case LY_TYPE_LEAFREF: {
		const struct lysc_type_leafref *l = (const struct lysc_type_leafref *)t;

		check_expr(w, node, node, l->path, l->prefixes, true);
		break;
	}
	case LY_TYPE_UNION:
		LY_ARRAY_FOR(((const struct lysc_type_union *)t)->types, i)
			check_type(w, node, ((const struct lysc_type_union *)t)->types[i]);
		break;
	case LY_TYPE_INST: /* may point anywhere, decided only by data */
		w->ok = false;
		break;
	default:
		break;
	}
}

static LY_ERR visit(struct lysc_node *node, void *data, ly_bool *skip)
{
	struct walk *w = data;
	const struct lysc_must *musts;
	struct lysc_when **whens;
	LY_ARRAY_COUNT_TYPE i;

	if (node->flags & LYS_CONFIG_R) {
		*skip = 1; /* state: never in a configuration */
		return LY_SUCCESS;
	}
	musts = lysc_node_musts(node);
	LY_ARRAY_FOR(musts, i)
		check_expr(w, node, node, musts[i].cond, musts[i].prefixes, false);
	whens = lysc_node_when(node);
	LY_ARRAY_FOR(whens, i)
		check_expr(w, node, whens[i]->context, whens[i]->cond, whens[i]->prefixes,
			   false);
	if (node->nodetype & (LYS_LEAF | LYS_LEAFLIST))
		check_type(w, node, ((const struct lysc_node_leaf *)node)->type);
	return LY_SUCCESS;
}

static bool list_ok(struct model_edit *x, struct walk *w)
{
	const struct lysc_node_list *l = (const struct lysc_node_list *)x->list;
	const struct lysc_node *k = lysc_node_child(x->list);
	LY_ARRAY_COUNT_TYPE u, i;

	/* one key; no count of entries to keep */
	if (x->list->nodetype != LYS_LIST || !k || !lysc_is_key(k) ||
	    (k->next && lysc_is_key(k->next)) || l->min || l->max != UINT32_MAX)
		return false;
	w->key = k;
	LY_ARRAY_FOR(l->uniques, u)
		LY_ARRAY_FOR(l->uniques[u], i)
			if (l->uniques[u][i]->parent != x->list)
				return false;
	x->n_uniq = LY_ARRAY_COUNT(l->uniques);
	x->p_old = calloc(x->n_uniq ? x->n_uniq : 1, sizeof(char *));
	x->p_new = calloc(x->n_uniq ? x->n_uniq : 1, sizeof(char *));
	return x->p_old && x->p_new;
}

bool model_edit_analyse(struct model_edit *x, struct ly_ctx *ctx)
{
	struct walk w = { .x = x, .ok = true };
	const struct lysc_node *n;

	x->top = lys_find_path(ctx, NULL, "/vrrpd:vrrpd", 0);
	x->list = lys_find_path(ctx, NULL, "/vrrpd:vrrpd/instance", 0);
	if (!x->top || !x->list || !list_ok(x, &w))
		return false;
	/* the small tree copies the top's children by schema node: data
	 * nodes only, no choice between them */
	LY_LIST_FOR(lysc_node_child(x->top), n)
		if (n->nodetype & (LYS_CHOICE | LYS_CASE))
			return false;
	w.mod = x->top->module;
	LY_LIST_FOR(w.mod->compiled->data, n)
		if (lysc_tree_dfs_full(n, visit, &w) != LY_SUCCESS)
			return false;
	return w.ok;
}
