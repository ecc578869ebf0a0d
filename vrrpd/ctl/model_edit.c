/* A change of one instance validated on a small tree; see model_edit.h
 * for why that small tree decides exactly as the whole one would. The
 * schema rules are checked in model_edit_schema.c. */
#include "model_edit.h"
#include "model_edit_int.h"

#include <libyang/libyang.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the unique index: key text of a unique -> the instance holding it */

struct uent {
	struct uent *next;
	char *key;
	char name[];
};

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static void ix_clear(struct model_edit *x)
{
	for (size_t i = 0; i < x->nb; i++) {
		while (x->b[i]) {
			struct uent *e = x->b[i];

			x->b[i] = e->next;
			free(e->key);
			free(e);
		}
	}
	x->n = 0;
	x->ix_valid = false;
}

static int ix_grow(struct model_edit *x)
{
	size_t nb = x->nb ? x->nb * 2 : 64;
	struct uent **b = calloc(nb, sizeof(*b));

	if (!b)
		return -1;
	for (size_t i = 0; i < x->nb; i++) {
		while (x->b[i]) {
			struct uent *e = x->b[i];

			x->b[i] = e->next;
			e->next = b[hash_str(e->key) & (nb - 1)];
			b[hash_str(e->key) & (nb - 1)] = e;
		}
	}
	free(x->b);
	x->b = b;
	x->nb = nb;
	return 0;
}

static int ix_add(struct model_edit *x, const char *key, const char *name)
{
	struct uent *e;
	size_t len = strlen(name) + 1;

	if ((x->n >= x->nb && ix_grow(x) < 0) ||
	    !(e = malloc(sizeof(*e) + len)))
		return -1;
	if (!(e->key = strdup(key))) {
		free(e);
		return -1;
	}
	memcpy(e->name, name, len);
	e->next = x->b[hash_str(key) & (x->nb - 1)];
	x->b[hash_str(key) & (x->nb - 1)] = e;
	x->n++;
	return 0;
}

static void ix_del(struct model_edit *x, const char *key, const char *name)
{
	struct uent **p;

	if (!x->nb)
		return;
	for (p = &x->b[hash_str(key) & (x->nb - 1)]; *p; p = &(*p)->next) {
		if (!strcmp((*p)->key, key) && !strcmp((*p)->name, name)) {
			struct uent *e = *p;

			*p = e->next;
			free(e->key);
			free(e);
			x->n--;
			return;
		}
	}
}

static const char *ix_get(const struct model_edit *x, const char *key)
{
	const struct uent *e;

	if (!x->nb)
		return NULL;
	for (e = x->b[hash_str(key) & (x->nb - 1)]; e; e = e->next)
		if (!strcmp(e->key, key))
			return e->name;
	return NULL;
}

/* The key of unique u for an entry: its values (the schema default for
 * an absent leaf: a parsed entry has no default nodes yet), separated by
 * a character no value has. NULL when a leaf has neither: RFC 7950 7.8.3
 * applies a unique only to entries where all its leaves exist. */
static char *unique_key(const struct model_edit *x, const struct lyd_node *entry,
			size_t u)
{
	const struct lysc_node_list *l = (const struct lysc_node_list *)x->list;
	struct lysc_node_leaf **lv = l->uniques[u];
	char *key = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&key, &len);

	if (!f)
		return NULL;
	fprintf(f, "%zu", u);
	LY_ARRAY_COUNT_TYPE i;
	LY_ARRAY_FOR(lv, i) {
		struct lyd_node *m = NULL;
		const char *v = NULL;

		if (lyd_find_sibling_val(lyd_child(entry), (const struct lysc_node *)lv[i],
					 NULL, 0, &m) == LY_SUCCESS)
			v = lyd_get_value(m);
		else if (lv[i]->dflt)
			v = lyd_value_get_canonical(x->list->module->ctx, lv[i]->dflt);
		if (!v) {
			fclose(f);
			free(key);
			return NULL;
		}
		fprintf(f, "\x1f%s", v);
	}
	if (fclose(f) != 0) {
		free(key);
		return NULL;
	}
	return key;
}

static const char *entry_name(const struct lyd_node *entry)
{
	return lyd_get_value(lyd_child(entry)); /* the key comes first */
}

static bool is_entry(const struct model_edit *x, const struct lyd_node *n)
{
	return n->schema == x->list;
}

static int ix_build(struct model_edit *x, const struct lyd_node *top)
{
	const struct lyd_node *n;

	ix_clear(x);
	LY_LIST_FOR(lyd_child(top), n) {
		if (!is_entry(x, n))
			continue;
		for (size_t u = 0; u < x->n_uniq; u++) {
			char *k = unique_key(x, n, u);
			int rc = k ? ix_add(x, k, entry_name(n)) : 0;

			free(k);
			if (rc < 0) {
				ix_clear(x);
				return -1;
			}
		}
	}
	return 0;
}

static void pend_clear(struct model_edit *x)
{
	for (size_t u = 0; u < x->n_uniq; u++) {
		free(x->p_old[u]);
		free(x->p_new[u]);
		x->p_old[u] = x->p_new[u] = NULL;
	}
	free(x->p_name);
	x->p_name = NULL;
}

void model_edit_done(struct model_edit *x, uint64_t gen)
{
	if (!x)
		return;
	if (x->ix_valid && x->p_name && gen && x->ix_gen + 1 == gen) {
		for (size_t u = 0; u < x->n_uniq; u++) {
			if (x->p_old[u])
				ix_del(x, x->p_old[u], x->p_name);
			if (x->p_new[u] && ix_add(x, x->p_new[u], x->p_name) < 0)
				x->ix_valid = false;
		}
		x->ix_gen = gen;
	} else {
		x->ix_valid = false;
	}
	pend_clear(x);
}

/* ---- finding and printing one instance -------------------------------- */

static const struct lyd_node *find_top_of(const struct model_edit *x,
					  const struct lyd_node *tree)
{
	const struct lyd_node *n;

	LY_LIST_FOR(tree ? lyd_first_sibling(tree) : NULL, n)
		if (n->schema == x->top)
			return n;
	return NULL;
}

static struct lyd_node *find_entry(const struct lysc_node *list,
				   const struct lyd_node *top, const char *name)
{
	struct lyd_node *m = NULL;
	char pred[160];
	char q = strchr(name, '\'') ? '"' : '\'';

	/* a name with both quotes is no instance name (the pattern) */
	if (strchr(name, q) || strlen(name) > 100)
		return NULL;
	snprintf(pred, sizeof(pred), "[name=%c%s%c]", q, name, q);
	if (lyd_find_sibling_val(lyd_child(top), list, pred, 0, &m) != LY_SUCCESS)
		return NULL;
	return m;
}

const struct lyd_node *model_instance_find(const struct lyd_node *tree,
					   const char *name)
{
	const struct lysc_node *list;
	const struct lyd_node *top = NULL, *n;

	LY_LIST_FOR(tree ? lyd_first_sibling(tree) : NULL, n)
		if (n->schema && !strcmp(LYD_NAME(n), "vrrpd") && !n->parent)
			top = n;
	if (!top)
		return NULL;
	list = lys_find_child(top->schema, top->schema->module, "instance", 0,
			      LYS_LIST, 0);
	return list ? find_entry(list, top, name) : NULL;
}

char *model_instance_to_json(const struct lyd_node *inst)
{
	struct lyd_node *dup = NULL, *root;
	char *text;

	if (lyd_dup_single(inst, NULL, LYD_DUP_RECURSIVE | LYD_DUP_WITH_PARENTS,
			   &dup) != LY_SUCCESS)
		return NULL;
	for (root = dup; root->parent; root = lyd_parent(root))
		;
	text = model_tree_to_json(root);
	lyd_free_all(root);
	return text;
}

/* ---- the small tree ----------------------------------------------------- */

/* Names the validation tree must hold the instances of: the outside's
 * references (sync-group members), the unique collisions. */
struct names {
	const char *v[64];
	size_t n;
	bool overflow;
};

static void names_add(struct names *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return;
	if (s->n == sizeof(s->v) / sizeof(s->v[0]))
		s->overflow = true;
	else
		s->v[s->n++] = name;
}

static bool is_namer(const struct model_edit *x, const struct lysc_node *s)
{
	for (size_t i = 0; i < x->n_namers; i++)
		if (x->namers[i] == s)
			return true;
	return false;
}

/* Copy everything of running's top but its instances into vt, noting the
 * instances the copied part names. Found by schema node (libyang's child
 * hash): walking the siblings would visit all 1000 instances. */
static int copy_outside(const struct model_edit *x, const struct lyd_node *top,
			struct lyd_node *vt, struct names *named)
{
	const struct lysc_node *s;

	LY_LIST_FOR(lysc_node_child(x->top), s) {
		struct lyd_node *n = NULL;

		if (s == x->list ||
		    lyd_find_sibling_val(lyd_child(top), s, NULL, 0, &n) != LY_SUCCESS)
			continue;
		for (; n && n->schema == s; n = n->next) {
			const struct lyd_node *d;

			if (lyd_dup_single(n, (struct lyd_node_inner *)vt, LYD_DUP_RECURSIVE,
					   NULL) != LY_SUCCESS)
				return -1;
			LYD_TREE_DFS_BEGIN(n, d) {
				if (is_namer(x, d->schema))
					names_add(named, lyd_get_value(d));
				LYD_TREE_DFS_END(n, d);
			}
		}
	}
	return 0;
}

/* The entries named (but the changed one) copied into vt in running's
 * order, the new entry in its place (after them for a new instance). */
static int add_instances(const struct model_edit *x, const struct lyd_node *top,
			 const struct lyd_node *old, const char *name,
			 const struct names *named, struct lyd_node *vt,
			 struct lyd_node *inst)
{
	bool before[64] = { false };
	struct lyd_node *e[64] = { NULL };

	for (size_t i = 0; i < named->n; i++) {
		if (strcmp(named->v[i], name))
			e[i] = find_entry(x->list, top, named->v[i]);
		before[i] = !old;
	}
	/* Which of them precede the changed entry: a walk back over pointers
	 * (the order shows in a unique error, which names both entries). */
	for (const struct lyd_node *p = old; named->n && p && p->prev->next;) {
		p = p->prev;
		for (size_t i = 0; i < named->n; i++)
			before[i] = before[i] || e[i] == p;
	}
	for (size_t i = 0; i < named->n; i++)
		if (e[i] && before[i] &&
		    lyd_dup_single(e[i], (struct lyd_node_inner *)vt, LYD_DUP_RECURSIVE, NULL) != LY_SUCCESS)
			return -1;
	if (inst && lyd_insert_child(vt, inst) != LY_SUCCESS)
		return -1;
	for (size_t i = 0; i < named->n; i++)
		if (e[i] && !before[i] &&
		    lyd_dup_single(e[i], (struct lyd_node_inner *)vt, LYD_DUP_RECURSIVE, NULL) != LY_SUCCESS)
			return -1;
	return 0;
}

/* Keys of the changed entry's uniques before and after, for the index;
 * the owners of the new keys are instances the small tree needs. */
static int note_uniques(struct model_edit *x, const struct lyd_node *old,
			const struct lyd_node *inst, const char *name,
			struct names *named)
{
	pend_clear(x);
	if (!(x->p_name = strdup(name)))
		return -1;
	for (size_t u = 0; u < x->n_uniq; u++) {
		const char *owner;

		x->p_old[u] = old ? unique_key(x, old, u) : NULL;
		x->p_new[u] = inst ? unique_key(x, inst, u) : NULL;
		if (x->p_new[u] && (owner = ix_get(x, x->p_new[u])) && strcmp(owner, name))
			names_add(named, owner);
	}
	return 0;
}

static void oom(struct model_error *err)
{
	snprintf(err->path, sizeof(err->path), "/");
	snprintf(err->msg, sizeof(err->msg), "out of memory");
}

int model_edit_check(struct model_edit *x, const struct lyd_node *running,
		     uint64_t gen, const char *name, const char *json,
		     struct lyd_node **out, struct model_error *err)
{
	struct ly_ctx *ctx = model_ctx(x->m);
	const struct lyd_node *top = find_top_of(x, running), *old;
	struct lyd_node *parsed = NULL, *inst = NULL, *vt = NULL;
	struct names named = { .n = 0 };
	int rc = -1;

	*out = NULL;
	if (!x->usable || !top)
		return 1;
	if (!x->ix_valid || x->ix_gen != gen || !gen) {
		if (ix_build(x, top) < 0) {
			oom(err);
			return -1;
		}
		x->ix_valid = gen != 0;
		x->ix_gen = gen;
	}
	old = find_entry(x->list, top, name);
	ly_err_clean(ctx, NULL);
	if (json) {
		/* the same parse as a whole text's, without validation yet */
		if (lyd_parse_data_mem(ctx, json, LYD_JSON, LYD_PARSE_ONLY |
				       LYD_PARSE_STRICT | LYD_PARSE_NO_STATE, 0,
				       &parsed) != LY_SUCCESS) {
			model_error_from_ly(x->m, json, NULL, err);
			goto out;
		}
		inst = lyd_child(parsed);
		if (!parsed || parsed->next || parsed->schema != x->top || !inst ||
		    inst->next || !is_entry(x, inst) || strcmp(entry_name(inst), name)) {
			snprintf(err->path, sizeof(err->path), "/");
			snprintf(err->msg, sizeof(err->msg), "not one instance named %s", name);
			goto out;
		}
		lyd_unlink_tree(inst);
	}
	if (note_uniques(x, old, inst, name, &named) < 0 ||
	    lyd_dup_single(top, NULL, 0, &vt) != LY_SUCCESS ||
	    copy_outside(x, top, vt, &named) < 0) {
		oom(err);
		goto out;
	}
	if (named.overflow) {
		rc = 1; /* more than the small tree holds: the whole tree */
		goto out;
	}
	if (add_instances(x, top, old, name, &named, vt, inst) < 0) {
		oom(err);
		goto out;
	}
	if (inst && !inst->parent) {
		oom(err);
		goto out;
	}
	if (lyd_validate_all(&vt, NULL, LYD_VALIDATE_PRESENT, NULL) != LY_SUCCESS) {
		model_error_from_ly(x->m, NULL, vt, err);
		goto out;
	}
	if (inst) {
		lyd_unlink_tree(inst);
		*out = inst;
		inst = NULL;
	}
	rc = 0;
out:
	if (rc != 0)
		pend_clear(x);
	if (inst && !inst->parent)
		lyd_free_tree(inst);
	lyd_free_all(vt);
	lyd_free_all(parsed);
	ly_err_clean(ctx, NULL);
	return rc;
}

/* ---- the running tree --------------------------------------------------- */

int model_tree_put_instance(struct lyd_node *tree, struct lyd_node *inst)
{
	struct lyd_node *old, *c, *next;

	old = (struct lyd_node *)model_instance_find(tree, entry_name(inst));
	if (!old) {
		const struct lyd_node *t = NULL, *n;

		LY_LIST_FOR(lyd_first_sibling(tree), n)
			if (n->schema == inst->schema->parent)
				t = n;
		if (!t)
			return -1;
		return lyd_insert_child((struct lyd_node *)t, inst) == LY_SUCCESS ? 0 : -1;
	}
	/* A list entry cannot be put before another (only user-ordered ones
	 * can), so the new content moves into the old entry, which keeps its
	 * place: config.get and instance.list keep their order. */
	LY_LIST_FOR_SAFE(lyd_child(old), next, c)
		if (!lysc_is_key(c->schema))
			lyd_free_tree(c);
	LY_LIST_FOR_SAFE(lyd_child(inst), next, c) {
		if (lysc_is_key(c->schema))
			continue;
		lyd_unlink_tree(c);
		if (lyd_insert_child(old, c) != LY_SUCCESS) {
			lyd_free_tree(c);
			lyd_free_tree(inst);
			return -1;
		}
	}
	lyd_free_tree(inst);
	return 0;
}

void model_tree_drop_instance(struct lyd_node *tree, const char *name)
{
	struct lyd_node *old = (struct lyd_node *)model_instance_find(tree, name);

	if (old)
		lyd_free_tree(old);
}

/* ---- lifetime ----------------------------------------------------------- */

struct model_edit *model_edit_new(struct model *m)
{
	struct model_edit *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->m = m;
	x->usable = model_edit_analyse(x, model_ctx(m));
	return x;
}

void model_edit_free(struct model_edit *x)
{
	if (!x)
		return;
	pend_clear(x);
	ix_clear(x);
	free(x->b);
	free(x->p_old);
	free(x->p_new);
	free(x->namers);
	free(x);
}

bool model_edit_usable(const struct model_edit *x)
{
	return x && x->usable;
}
