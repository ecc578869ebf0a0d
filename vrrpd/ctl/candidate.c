/* Candidates: open/close, edits, get, compare, validate, discard, and the
 * rebase of a candidate over a running configuration that moved on (see
 * candidate.h). Commits and history are candidate_commit.c's. */
#include "candidate_int.h"

#include <libyang/libyang.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_edit.h"
#include "cfglines.h"

#define TOP "vrrpd:vrrpd"

json_object *cand_copy(json_object *o)
{
	json_object *c = NULL;

	if (!o || json_object_deep_copy(o, &c, NULL) < 0)
		return NULL;
	return c;
}

uint64_t cand_generation(struct rpc *r)
{
	return r->b.config_generation ? r->b.config_generation(r->b.arg) : 0;
}

static void cand_free(struct cand *cd)
{
	if (!cd)
		return;
	json_object_put(cd->cfg);
	json_object_put(cd->base);
	free(cd);
}

void cands_caller_gone(struct rpc *r, const struct rpc_caller *c)
{
	struct cands *cs = r->cands;

	for (size_t i = 0; cs && i < CAND_MAX; i++) {
		if (cs->v[i] && cs->v[i]->owner == c) {
			cand_free(cs->v[i]);
			cs->v[i] = NULL;
		}
	}
}

int cand_reset(struct rpc *r, struct cand *cd, json_object *cfg,
	       struct jsonrpc_err *err)
{
	json_object *run = rpc_running_json(r, false, err), *copy;

	if (!run)
		return -1;
	copy = cand_copy(cfg ? cfg : run);
	if (!copy) {
		json_object_put(run);
		jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL, "out of memory");
		return -1;
	}
	json_object_put(cd->cfg);
	json_object_put(cd->base);
	cd->cfg = copy;
	cd->base = run;
	cd->base_gen = cand_generation(r);
	return 0;
}

struct cand *cand_lookup(struct rpc *r, struct rpc_caller *c,
			 json_object *params, struct jsonrpc_err *err)
{
	uint64_t id;

	if (rpc_param_uint(params, "id", true, 1, UINT32_MAX, &id, err) < 0)
		return NULL;
	for (size_t i = 0; i < CAND_MAX; i++) {
		struct cand *cd = r->cands->v[i];

		/* A candidate is private to the connection that opened it. */
		if (!cd || cd->id != id || cd->owner != c)
			continue;
		/* One without changes of its own follows running (another
		 * session's commit, a rollback of a confirmed commit), so an
		 * edit is made against what runs now. */
		if (cd->base_gen != cand_generation(r) &&
		    json_object_equal(cd->cfg, cd->base) &&
		    cand_reset(r, cd, NULL, err) < 0)
			return NULL;
		return cd;
	}
	jsonrpc_err_set(err, JSONRPC_NOT_FOUND, NULL,
			"no candidate %llu on this connection (candidate.open)",
			(unsigned long long)id);
	return NULL;
}

json_object *cand_id_result(const struct cand *cd)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(cd->id));
	return o;
}

CAND_HANDLER(rpc_candidate_open)
{
	static const char *const allowed[] = { NULL };
	struct cands *cs = r->cands;
	struct cand *cd;
	size_t slot = CAND_MAX;

	if (rpc_params_only(params, allowed, err) < 0)
		return NULL;
	for (size_t i = 0; i < CAND_MAX && slot == CAND_MAX; i++)
		if (!cs->v[i])
			slot = i;
	if (slot == CAND_MAX) {
		jsonrpc_err_set(err, JSONRPC_INVALID_REQUEST, NULL,
				"too many open candidates (%d): close one first",
				CAND_MAX);
		return NULL;
	}
	cd = calloc(1, sizeof(*cd));
	if (!cd || cand_reset(r, cd, NULL, err) < 0) {
		if (cd && !err->msg[0])
			jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL, "out of memory");
		cand_free(cd);
		return NULL;
	}
	cd->id = ++cs->next_id;
	cd->owner = c;
	cs->v[slot] = cd;
	return cand_id_result(cd);
}

CAND_HANDLER(rpc_candidate_close)
{
	static const char *const allowed[] = { "id", NULL };
	struct cand *cd;

	if (rpc_params_only(params, allowed, err) < 0 ||
	    !(cd = cand_lookup(r, c, params, err)))
		return NULL;
	for (size_t i = 0; i < CAND_MAX; i++)
		if (r->cands->v[i] == cd)
			r->cands->v[i] = NULL;
	json_object *res = cand_id_result(cd);
	json_object_object_add(res, "closed", json_object_new_boolean(true));
	cand_free(cd);
	return res;
}

/* ---- edits: the parameters of instance.create/set/delete -------------- */

static json_object *name_result(const char *name)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(name));
	return o;
}

/* Edits are validated as a whole at commit (a candidate may pass through
 * invalid states), but a member that is no setting of an instance at all
 * is refused at once: it could never commit. */
static int known_member(struct rpc *r, const char *key, struct jsonrpc_err *err)
{
	char path[256];
	const struct lysc_node *n;

	snprintf(path, sizeof(path), "/vrrpd:vrrpd/instance/%s", key);
	n = strlen(key) < 128 ? lys_find_path(model_ctx(r->b.model), NULL, path, 0) : NULL;
	if (!n || !(n->flags & LYS_CONFIG_W) || !strcmp(key, "name")) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"\"%.100s\" is not a setting of an instance", key);
		return -1;
	}
	return 0;
}

static int edit_members(struct rpc *r, json_object *in, json_object *params,
			struct jsonrpc_err *err)
{
	json_object_object_foreach(params, key, val) {
		if (!strcmp(key, "name") || !strcmp(key, "id") || !strcmp(key, "op") ||
		    !strcmp(key, "object"))
			continue;
		if (known_member(r, key, err) < 0 || rpc_set_member(in, key, val, err) < 0)
			return -1;
	}
	return 0;
}

/* Trackers, sync groups and follow lists: the edit of the live method
 * (cfg_edit.h) named by object and op ("tracker" "create" is
 * tracker.create), on a copy of the candidate. */
static json_object *edit_object(struct rpc *r, struct cand *cd, const char *object,
				const char *op, json_object *params,
				struct jsonrpc_err *err)
{
	char method[64];
	cfg_edit_fn fn;
	json_object *own, *work, *res;

	snprintf(method, sizeof(method), "%.30s.%.30s", object, op);
	if (!(fn = cfg_edit_by_method(method))) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"candidate.edit: no op \"%.30s\" for object \"%.30s\" "
				"(instance: create, set, delete, track, untrack; tracker: "
				"create, set, delete; sync-group: create, set, delete, "
				"track, untrack)", op, object);
		return NULL;
	}
	own = json_object_new_object();
	json_object_object_foreach(params, key, val) {
		if (strcmp(key, "id") && strcmp(key, "op") && strcmp(key, "object"))
			json_object_object_add(own, key, json_object_get(val));
	}
	work = cand_copy(cd->cfg);
	res = work ? fn(r->b.model, work, own, err) : NULL;
	json_object_put(own);
	if (!res) {
		if (!work)
			jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL, "out of memory");
		json_object_put(work);
		return NULL;
	}
	json_object_put(cd->cfg);
	cd->cfg = work;
	return res;
}

/* An edit changes a copy first, so a bad parameter leaves the candidate
 * as it was. */
CAND_HANDLER(rpc_candidate_edit)
{
	struct cand *cd = cand_lookup(r, c, params, err);
	const char *op, *name, *object = "instance";
	json_object *work, *in;
	size_t idx;
	int has_object = 0;

	if (!cd || rpc_param_string(params, "op", true, &op, err) < 0 ||
	    (has_object = rpc_param_string(params, "object", false, &object, err)) < 0)
		return NULL;
	has_object = has_object == 0; /* 0: given, 1: absent */
	if (strcmp(object, "instance") || !strcmp(op, "track") || !strcmp(op, "untrack"))
		return edit_object(r, cd, object, op, params, err);
	if (rpc_param_string(params, "name", true, &name, err) < 0)
		return NULL;
	if (strcmp(op, "set") && strcmp(op, "create") && strcmp(op, "delete")) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"parameter \"op\" must be set, create or delete");
		return NULL;
	}
	in = rpc_config_instance(cd->cfg, name, &idx);
	if (!strcmp(op, "create") && in) {
		jsonrpc_err_set(err, JSONRPC_EXISTS, name_result(name),
				"instance \"%.100s\" already exists", name);
		return NULL;
	}
	if (strcmp(op, "create") && !in) {
		jsonrpc_err_set(err, JSONRPC_NOT_FOUND, name_result(name),
				"no instance \"%.100s\" in the candidate", name);
		return NULL;
	}
	if (!strcmp(op, "delete")) {
		if (json_object_object_length(params) > 3 + has_object) {
			jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
					"delete takes only the name");
			return NULL;
		}
		json_object_array_del_idx(rpc_instance_array(cd->cfg, false), idx, 1);
		return name_result(name);
	}
	if (!strcmp(op, "set") && json_object_object_length(params) < 4 + has_object) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"nothing to set: give at least one leaf and its value");
		return NULL;
	}
	if (in) {
		work = cand_copy(in);
	} else {
		work = json_object_new_object();
		json_object_object_add(work, "name", json_object_new_string(name));
	}
	if (!work || edit_members(r, work, params, err) < 0) {
		json_object_put(work);
		return NULL;
	}
	if (in)
		json_object_array_put_idx(rpc_instance_array(cd->cfg, false), idx, work);
	else
		json_object_array_add(rpc_instance_array(cd->cfg, true), work);
	return name_result(name);
}

CAND_HANDLER(rpc_candidate_get)
{
	static const char *const allowed[] = { "id", "format", NULL };
	const char *format = "json";
	struct cand *cd;

	if (rpc_params_only(params, allowed, err) < 0 ||
	    !(cd = cand_lookup(r, c, params, err)) ||
	    rpc_param_string(params, "format", false, &format, err) < 0)
		return NULL;
	if (!strcmp(format, "lines"))
		return rpc_config_lines(json_object_get(cd->cfg), err);
	if (strcmp(format, "json")) {
		jsonrpc_err_set(err, JSONRPC_INVALID_PARAMS, NULL,
				"parameter \"format\" must be \"json\" or \"lines\"");
		return NULL;
	}
	return cand_copy(cd->cfg);
}

/* ---- rebase ------------------------------------------------------------- */

static json_object *top_of(json_object *config)
{
	json_object *top = NULL;

	json_object_object_get_ex(config, TOP, &top);
	return json_object_is_type(top, json_type_object) ? top : NULL;
}

/* The parts of a configuration besides the instances that a rebase takes
 * as a whole: changed in the candidate and not in running, the
 * candidate's; changed in both, a conflict. */
static const char *const sections[] = { "global", "track", "sync-group" };
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

static json_object *section_of(json_object *config, size_t k)
{
	json_object *top = top_of(config), *g = NULL;

	if (top)
		json_object_object_get_ex(top, sections[k], &g);
	return g;
}

static bool same(json_object *a, json_object *b)
{
	return (!a && !b) || (a && b && json_object_equal(a, b));
}

/* Names of the instances that differ between a and b (added, removed or
 * changed), appended to names. */
static void changed_instances(json_object *a, json_object *b, json_object *names)
{
	json_object *arr_a = rpc_instance_array(a, false);
	json_object *arr_b = rpc_instance_array(b, false);
	size_t na = arr_a ? json_object_array_length(arr_a) : 0;
	size_t nb = arr_b ? json_object_array_length(arr_b) : 0;

	for (size_t i = 0; i < na; i++) {
		json_object *in = json_object_array_get_idx(arr_a, i), *nm;

		if (!json_object_object_get_ex(in, "name", &nm))
			continue;
		if (!same(in, rpc_config_instance(b, json_object_get_string(nm), NULL)))
			json_object_array_add(names, json_object_get(nm));
	}
	for (size_t i = 0; i < nb; i++) {
		json_object *in = json_object_array_get_idx(arr_b, i), *nm;

		if (json_object_object_get_ex(in, "name", &nm) &&
		    !rpc_config_instance(a, json_object_get_string(nm), NULL))
			json_object_array_add(names, json_object_get(nm));
	}
}

static bool in_list(json_object *names, const char *name)
{
	for (size_t i = 0; i < json_object_array_length(names); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(names, i)), name))
			return true;
	return false;
}

json_object *cand_rebase(struct rpc *r, struct cand *cd, json_object **running,
			 struct jsonrpc_err *err)
{
	json_object *run = rpc_running_json(r, false, err);
	json_object *mine, *theirs, *conflicts, *merged;

	*running = run;
	if (!run)
		return NULL;
	if (cd->base_gen == cand_generation(r) && r->b.config_generation)
		return cand_copy(cd->cfg);
	mine = json_object_new_array();
	theirs = json_object_new_array();
	conflicts = json_object_new_array();
	changed_instances(cd->base, cd->cfg, mine);
	changed_instances(cd->base, run, theirs);
	for (size_t i = 0; i < json_object_array_length(mine); i++) {
		json_object *nm = json_object_array_get_idx(mine, i);

		if (in_list(theirs, json_object_get_string(nm)))
			json_object_array_add(conflicts, json_object_get(nm));
	}
	bool s_mine[N_SECTIONS];
	for (size_t k = 0; k < N_SECTIONS; k++) {
		s_mine[k] = !same(section_of(cd->base, k), section_of(cd->cfg, k));
		if (s_mine[k] && !same(section_of(cd->base, k), section_of(run, k)))
			json_object_array_add(conflicts, json_object_new_string(sections[k]));
	}
	if (json_object_array_length(conflicts) > 0) {
		json_object *data = json_object_new_object();
		char list[256] = "";

		for (size_t i = 0; i < json_object_array_length(conflicts); i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 i ? ", " : "",
				 json_object_get_string(json_object_array_get_idx(conflicts, i)));
		json_object_object_add(data, "instances", conflicts);
		jsonrpc_err_set(err, RPC_ERR_CONFLICT, data,
				"running configuration changed since the candidate "
				"was taken, and the same parts were changed: %s "
				"(rollback 0 takes running again)", list);
		json_object_put(mine);
		json_object_put(theirs);
		return NULL;
	}
	json_object_put(conflicts);
	/* Lay the candidate's instances over the new running. */
	merged = cand_copy(run);
	for (size_t i = 0; merged && i < json_object_array_length(mine); i++) {
		const char *nm = json_object_get_string(json_object_array_get_idx(mine, i));
		json_object *want = rpc_config_instance(cd->cfg, nm, NULL);
		size_t idx;

		if (rpc_config_instance(merged, nm, &idx))
			json_object_array_del_idx(rpc_instance_array(merged, false), idx, 1);
		if (want)
			json_object_array_add(rpc_instance_array(merged, true), cand_copy(want));
	}
	for (size_t k = 0; merged && k < N_SECTIONS; k++) {
		json_object *top = top_of(merged), *g = section_of(cd->cfg, k);

		if (!s_mine[k])
			continue;
		if (!top) {
			top = json_object_new_object();
			json_object_object_add(merged, TOP, top);
		}
		if (g)
			json_object_object_add(top, sections[k], cand_copy(g));
		else
			json_object_object_del(top, sections[k]);
	}
	json_object_put(mine);
	json_object_put(theirs);
	if (!merged)
		jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL, "out of memory");
	return merged;
}

char *cand_diff(json_object *from, json_object *to, size_t *changes)
{
	struct cfgl a, b;
	char *d = NULL;

	if (cfgl_render(from, &a) < 0)
		return NULL;
	if (cfgl_render(to, &b) == 0) {
		d = cfgl_diff(&a, &b, changes);
		cfgl_free(&b);
	}
	cfgl_free(&a);
	return d;
}

/* ---- compare, validate, discard ---------------------------------------- */

CAND_HANDLER(rpc_candidate_compare)
{
	static const char *const allowed[] = { "id", NULL };
	json_object *run = NULL, *merged, *res;
	struct cand *cd;
	size_t changes = 0;
	char *d;

	if (rpc_params_only(params, allowed, err) < 0 ||
	    !(cd = cand_lookup(r, c, params, err)))
		return NULL;
	merged = cand_rebase(r, cd, &run, err);
	if (!merged) {
		json_object_put(run);
		return NULL;
	}
	d = cand_diff(run, merged, &changes);
	json_object_put(run);
	json_object_put(merged);
	if (!d) {
		jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL, "out of memory");
		return NULL;
	}
	res = json_object_new_object();
	json_object_object_add(res, "diff", json_object_new_string(d));
	json_object_object_add(res, "changes", json_object_new_int64((int64_t)changes));
	free(d);
	return res;
}

CAND_HANDLER(rpc_candidate_validate)
{
	static const char *const allowed[] = { "id", NULL };
	struct model_error me = { "", "" };
	json_object *run = NULL, *merged, *res;
	struct lyd_node *tree = NULL;
	struct cand *cd;
	json_object *arr;

	if (rpc_params_only(params, allowed, err) < 0 ||
	    !(cd = cand_lookup(r, c, params, err)))
		return NULL;
	merged = cand_rebase(r, cd, &run, err);
	json_object_put(run);
	if (!merged)
		return NULL;
	arr = rpc_instance_array(merged, false);
	if (arr && json_object_array_length(arr) == 0)
		json_object_object_del(top_of(merged), "instance");
	if (model_parse_json(r->b.model, json_object_to_json_string_ext(
				     merged, JSON_C_TO_STRING_PLAIN |
				     JSON_C_TO_STRING_NOSLASHESCAPE),
			     &tree, &me) < 0) {
		json_object *data = json_object_new_object();

		json_object_object_add(data, "path", json_object_new_string(me.path));
		json_object_object_add(data, "reason", json_object_new_string(me.msg));
		jsonrpc_err_set(err, JSONRPC_VALIDATION_FAILED, data, "%s: %s",
				me.path[0] ? me.path : "/", me.msg);
		json_object_put(merged);
		return NULL;
	}
	model_tree_free(tree);
	json_object_put(merged);
	res = cand_id_result(cd);
	json_object_object_add(res, "valid", json_object_new_boolean(true));
	return res;
}

CAND_HANDLER(rpc_candidate_discard)
{
	static const char *const allowed[] = { "id", NULL };
	struct cand *cd;

	if (rpc_params_only(params, allowed, err) < 0 ||
	    !(cd = cand_lookup(r, c, params, err)) ||
	    cand_reset(r, cd, NULL, err) < 0)
		return NULL;
	return cand_id_result(cd);
}

/* ---- config.get format "lines" ------------------------------------------ */

json_object *rpc_config_lines(json_object *config, struct jsonrpc_err *err)
{
	struct cfgl l;
	json_object *res;
	char *text;

	if (cfgl_render(config, &l) < 0) {
		json_object_put(config);
		jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL, "out of memory");
		return NULL;
	}
	text = cfgl_text(&l);
	cfgl_free(&l);
	json_object_put(config);
	if (!text) {
		jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL, "out of memory");
		return NULL;
	}
	res = json_object_new_object();
	json_object_object_add(res, "lines", json_object_new_string(text));
	free(text);
	return res;
}
