/* Shared by candidate.c (sessions, edits, compare, rebase) and
 * candidate_commit.c (commit, confirm timer, history methods). */
#ifndef VRRPD_CANDIDATE_INT_H
#define VRRPD_CANDIDATE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "candidate.h"
#include "confirm.h"
#include "history.h"
#include "loop.h"
#include "rpc_int.h"

struct cand {
	unsigned id;
	const struct rpc_caller *owner;
	json_object *cfg;        /* the candidate */
	json_object *base;       /* running when it was taken */
	uint64_t base_gen;
};

struct cands {
	struct rpc *r;
	struct cand *v[CAND_MAX];
	unsigned next_id;
	struct history hist;
	char *hist_dir;          /* opened later (cands_open_history); or NULL */
	struct confirm conf;
	struct loop *loop;
	struct loop_timer timer;
	rpc_notify_fn notify;
	void *notify_arg;
};

struct cand *cand_lookup(struct rpc *r, struct rpc_caller *c,
			 json_object *params, struct jsonrpc_err *err);
/* Point the candidate at the current running configuration (and make it a
 * copy of cfg, or of running when cfg is NULL). */
int cand_reset(struct rpc *r, struct cand *cd, json_object *cfg,
	       struct jsonrpc_err *err);
/* What a commit of cd would make running (new object), or NULL with err
 * (RPC_ERR_CONFLICT names the instances both changed). *running gets the
 * current running configuration (new reference). */
json_object *cand_rebase(struct rpc *r, struct cand *cd, json_object **running,
			 struct jsonrpc_err *err);
/* The diff of two configurations as text; *changes its +/- lines. */
char *cand_diff(json_object *from, json_object *to, size_t *changes);
uint64_t cand_generation(struct rpc *r);
/* {"id": N} */
json_object *cand_id_result(const struct cand *cd);
json_object *cand_copy(json_object *o);

#endif
