/* Configuration mode of the control socket: private candidates, one per
 * candidate.open (vrrpctl opens one on `configure`), each a copy of the
 * running configuration (RFC 7951 JSON) and the running generation it was
 * taken from. Edits change the candidate only and are not validated (a
 * candidate may pass through invalid states, as a Junos candidate does);
 * candidate.validate and candidate.commit validate the whole result with
 * libyang, exactly as instance.set does. A commit applies the difference
 * through engine_apply_tree (untouched instances are not disturbed),
 * records it in the history (history.h) and, with confirm-timeout, arms
 * the rollback deadline (confirm.h) on the daemon's own loop.
 *
 * When running changed since a candidate was taken, commit rebases: the
 * instances the candidate changed are laid over the new running
 * configuration, unless another change touched the same instances, in
 * which case the commit is refused and names them. */
#ifndef VRRPD_CANDIDATE_H
#define VRRPD_CANDIDATE_H

#include <json-c/json.h>

#include "rpc.h"

/* Error codes beyond lib/jsonrpc.h (vrrpd-rpc(7)). */
#define RPC_ERR_CONFLICT (-32020)   /* data: {instances: [NAME...]} */
#define RPC_ERR_NOT_PENDING (-32021)

#define CAND_MAX 64

struct rpc;
struct rpc_caller;
struct jsonrpc_err;

int cands_new(struct rpc *r, const struct rpc_opts *o);
void cands_free(struct rpc *r);
/* Load the commit history put off by rpc_opts.history_later. */
void cands_open_history(struct rpc *r);
void cands_caller_gone(struct rpc *r, const struct rpc_caller *c);

#define CAND_HANDLER(fn) \
	json_object *fn(struct rpc *r, struct rpc_caller *c, \
			json_object *params, struct jsonrpc_err *err)

CAND_HANDLER(rpc_candidate_open);
CAND_HANDLER(rpc_candidate_close);
CAND_HANDLER(rpc_candidate_edit);
CAND_HANDLER(rpc_candidate_get);
CAND_HANDLER(rpc_candidate_compare);
CAND_HANDLER(rpc_candidate_validate);
CAND_HANDLER(rpc_candidate_discard);
CAND_HANDLER(rpc_candidate_commit);
CAND_HANDLER(rpc_commit_list);
CAND_HANDLER(rpc_commit_rollback);
CAND_HANDLER(rpc_commit_confirm);

/* Notifications (method names of the JSON-RPC notifications). */
#define RPC_EVENT_COMMITTED "config.committed"
#define RPC_EVENT_CONFIRMED "config.confirmed"
#define RPC_EVENT_ROLLED_BACK "config.rolled-back"

#endif
