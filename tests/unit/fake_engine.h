/* A fake engine behind struct rpc_backend, shared by the JSON-RPC tests
 * (test_rpc.c, test_candidate.c) and the fuzz harness (fuzz/fuzz_rpc.c):
 * the running tree, apply through the real model decode, instance status
 * from the decoded configuration. Each user adds its own failover. */
#ifndef FAKE_ENGINE_H
#define FAKE_ENGINE_H

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model.h"
#include "model_edit.h"
#include "rpc.h"

struct fake {
	struct model *m;
	struct lyd_node *tree;
	struct vrrpd_config cfg;
	struct instance_stats stats;
	enum vrrp_state state;
	int applies;
	int failovers;
	unsigned last_hold;
	uint64_t drops[VRRP_DROP__MAX];
	int prints;          /* running_tree calls: work a cache saves */
	int one_applies;     /* of applies: through apply_instance */
	uint64_t gen;
};

static __attribute__((unused)) const struct lyd_node *f_running(void *arg)
{
	((struct fake *)arg)->prints++;
	return ((struct fake *)arg)->tree;
}

static __attribute__((unused)) uint64_t f_gen(void *arg)
{
	return ((struct fake *)arg)->gen;
}

static __attribute__((unused)) int f_apply(void *arg, struct lyd_node *tree, struct model_error *err)
{
	struct fake *f = arg;
	struct vrrpd_config c;

	if (model_tree_to_config(tree, &c, err) < 0)
		return -1;
	vrrpd_config_free(&f->cfg);
	f->cfg = c;
	model_tree_free(f->tree);
	f->tree = tree;
	f->applies++;
	f->gen++;
	return 0;
}

/* One instance: the tree changed as the engine's is (model_edit.h), the
 * decoded configuration taken again from it. */
static __attribute__((unused)) int f_apply_instance(void *arg, const char *name,
						    struct lyd_node *inst,
						    struct model_error *err)
{
	struct fake *f = arg;
	struct vrrpd_config c;

	/* the tree takes inst even when out of memory: nothing to hand back */
	if (inst && model_tree_put_instance(f->tree, inst) < 0)
		abort();
	if (!inst)
		model_tree_drop_instance(f->tree, name);
	if (model_tree_to_config(f->tree, &c, err) < 0)
		return -1;
	vrrpd_config_free(&f->cfg);
	f->cfg = c;
	f->applies++;
	f->one_applies++;
	f->gen++;
	return 0;
}

static __attribute__((unused)) size_t f_count(void *arg)
{
	return ((struct fake *)arg)->cfg.n_instances;
}

static __attribute__((unused)) void fill(struct fake *f, const struct instance_cfg *ic,
		 struct instance_status *out)
{
	memset(out, 0, sizeof(*out));
	out->cfg = ic;
	out->state = f->state;
	out->effective_priority = ic->priority;
	out->stats = &f->stats;
	if (f->state == VRRP_STATE_BACKUP) {
		vaddr_parse("10.0.0.2", &out->master_addr, NULL);
		out->master_priority = 250;
	}
}

static __attribute__((unused)) int f_status_at(void *arg, size_t idx, struct instance_status *out)
{
	struct fake *f = arg;

	if (idx >= f->cfg.n_instances)
		return -1;
	fill(f, &f->cfg.instances[idx], out);
	return 0;
}

static __attribute__((unused)) int f_status(void *arg, const char *name, struct instance_status *out)
{
	struct fake *f = arg;
	const struct instance_cfg *ic = vrrpd_config_find(&f->cfg, name);

	if (!ic)
		return -1;
	fill(f, ic, out);
	return 0;
}


static const uint64_t __attribute__((unused)) *f_drops(void *arg)
{
	return ((struct fake *)arg)->drops;
}

#endif
