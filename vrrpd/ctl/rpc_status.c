/* Read-only methods (daemon.info, instance.list, instance.get,
 * statistics.get), instance.failover, and the state-change notification.
 * Key names follow yang/vrrpd.yang (RFC 8347 where it has one). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rpc_int.h"

#ifndef VRRPD_VERSION
#define VRRPD_VERSION "0.1.0"
#endif

const char *rpc_state_name(enum vrrp_state s)
{
	/* The YANG enumeration, not the keepalived log words. */
	switch (s) {
	case VRRP_STATE_INIT: return "initialize";
	case VRRP_STATE_BACKUP: return "backup";
	case VRRP_STATE_MASTER: return "master";
	case VRRP_STATE_FAULT: return "fault";
	}
	return "unknown";
}

/* yang:date-and-time in UTC with milliseconds. */
void rpc_format_time(const struct timespec *ts, char *buf, size_t len)
{
	struct tm tm;
	time_t t = ts->tv_sec;

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, ts->tv_nsec / 1000000);
}

static json_object *time_or_null(const struct timespec *ts)
{
	char buf[64];

	if (ts->tv_sec == 0 && ts->tv_nsec == 0)
		return NULL;
	rpc_format_time(ts, buf, sizeof(buf));
	return json_object_new_string(buf);
}

static json_object *addr_or_null(const struct vaddr *a)
{
	char buf[VADDR_STRLEN];

	if (!vaddr_is_set(a))
		return NULL;
	return json_object_new_string(vaddr_ntop(a, buf, sizeof(buf)));
}

static void add_u64(json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_int64((int64_t)v));
}

json_object *rpc_drop_counters(const uint64_t *drops)
{
	json_object *o = json_object_new_object();

	for (int d = VRRP_OK + 1; d < VRRP_DROP__MAX; d++)
		add_u64(o, vrrp_drop_name(d), drops ? drops[d] : 0);
	return o;
}

json_object *rpc_instance_counters(const struct instance_stats *s)
{
	json_object *o, *t, *drops;

	if (!s)
		return json_object_new_object();
	t = time_or_null(&s->discontinuity);
	o = json_object_new_object();
	if (t)
		json_object_object_add(o, "discontinuity-datetime", t);
	add_u64(o, "master-transitions", s->master_transitions);
	add_u64(o, "advertisement-rcvd", s->adverts_rcvd);
	add_u64(o, "advertisement-sent", s->adverts_sent);
	add_u64(o, "priority-zero-pkts-rcvd", s->prio0_rcvd);
	add_u64(o, "priority-zero-pkts-sent", s->prio0_sent);
	drops = rpc_drop_counters(s->drops);
	json_object_object_foreach(drops, dk, dv)
		json_object_object_add(o, dk, json_object_get(dv));
	json_object_put(drops);
	return o;
}

static json_object *vip_list(const struct instance_cfg *cfg)
{
	json_object *arr = json_object_new_array();
	char buf[VADDR_STRLEN], s[VADDR_STRLEN + 8];

	for (size_t i = 0; cfg && i < cfg->n_vips; i++) {
		snprintf(s, sizeof(s), "%s/%u",
			 vaddr_ntop(&cfg->vips[i].addr, buf, sizeof(buf)),
			 cfg->vips[i].plen);
		json_object_array_add(arr, json_object_new_string(s));
	}
	return arr;
}

json_object *rpc_instance_summary(const struct instance_status *st)
{
	const struct instance_cfg *cfg = st->cfg;
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(cfg->name));
	json_object_object_add(o, "interface", json_object_new_string(cfg->ifname));
	json_object_object_add(o, "vrid", json_object_new_int(cfg->vrid));
	json_object_object_add(o, "version", json_object_new_int(cfg->version));
	json_object_object_add(o, "address-family",
			       json_object_new_string(cfg->af == AF_INET6 ? "ipv6" : "ipv4"));
	json_object_object_add(o, "state", json_object_new_string(rpc_state_name(st->state)));
	json_object_object_add(o, "priority", json_object_new_int(cfg->priority));
	json_object_object_add(o, "effective-priority",
			       json_object_new_int(st->effective_priority));
	json_object_object_add(o, "master-address", addr_or_null(&st->master_addr));
	json_object_object_add(o, "master-priority", json_object_new_int(st->master_priority));
	json_object_object_add(o, "preempt", json_object_new_boolean(cfg->preempt));
	json_object_object_add(o, "advertisement-interval",
			       json_object_new_int(cfg->adv_interval_cs));
	json_object_object_add(o, "virtual-address", vip_list(cfg));
	json_object_object_add(o, "last-transition", time_or_null(&st->last_transition));
	return o;
}

json_object *rpc_instance_state(const struct instance_status *st)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "state", json_object_new_string(rpc_state_name(st->state)));
	json_object_object_add(o, "effective-priority",
			       json_object_new_int(st->effective_priority));
	json_object_object_add(o, "master-address", addr_or_null(&st->master_addr));
	json_object_object_add(o, "master-priority", json_object_new_int(st->master_priority));
	json_object_object_add(o, "master-advertisement-interval",
			       json_object_new_int(st->master_adver_interval_cs));
	json_object_object_add(o, "primary-address", addr_or_null(&st->primary_addr));
	json_object_object_add(o, "last-transition", time_or_null(&st->last_transition));
	json_object_object_add(o, "last-transition-reason",
			       json_object_new_string(vrrp_reason_name(st->last_reason)));
	add_u64(o, "failover-hold-remaining-ms", st->hold_remaining_ms);
	json_object_object_add(o, "statistics", rpc_instance_counters(st->stats));
	return o;
}

static const char *const only_name[] = { "name", NULL };

/* Look an instance up; NOT_FOUND error names it. */
static int find_status(struct rpc *r, const char *name,
		       struct instance_status *st, struct jsonrpc_err *err)
{
	json_object *data;

	if (r->b.status(r->b.arg, name, st) == 0)
		return 0;
	data = json_object_new_object();
	json_object_object_add(data, "name", json_object_new_string(name));
	jsonrpc_err_set(err, JSONRPC_NOT_FOUND, data, "no instance \"%.100s\"", name);
	return -1;
}

json_object *rpc_daemon_info(struct rpc *r, struct rpc_caller *c,
			     json_object *params, struct jsonrpc_err *err)
{
	static const char *const none[] = { NULL };
	struct timespec now;
	char buf[64];
	json_object *o;

	(void)c;
	if (rpc_params_only(params, none, err) < 0)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string("vrrpd"));
	json_object_object_add(o, "version", json_object_new_string(VRRPD_VERSION));
	json_object_object_add(o, "pid", json_object_new_int64(getpid()));
	add_u64(o, "uptime-seconds", (uint64_t)(now.tv_sec - r->started_mono.tv_sec));
	rpc_format_time(&r->started, buf, sizeof(buf));
	json_object_object_add(o, "started", json_object_new_string(buf));
	add_u64(o, "instances", r->b.instance_count(r->b.arg));
	json_object_object_add(o, "config-path", r->config_path ?
			       json_object_new_string(r->config_path) : NULL);
	json_object_object_add(o, "socket-path", r->socket_path ?
			       json_object_new_string(r->socket_path) : NULL);
	return o;
}

/* ---- lists of every instance, in pieces ---------------------------------- */

typedef json_object *(*rpc_item_fn)(const struct instance_status *st);

static int cont_append(struct rpc_cont *k, const char *data, size_t n)
{
	if (k->len + n > k->cap) {
		size_t cap = k->cap ? k->cap : 4096;
		char *nb;

		while (cap < k->len + n)
			cap *= 2;
		nb = realloc(k->text, cap);
		if (!nb)
			return -1;
		k->text = nb;
		k->cap = cap;
	}
	memcpy(k->text + k->len, data, n);
	k->len += n;
	return 0;
}

static void cont_reset(struct rpc_cont *k)
{
	free(k->text);
	memset(k, 0, sizeof(*k));
}

/* The array of fn(instance) for every instance: RPC_LIST_CHUNK of them per
 * call inside a job (NULL + JSONRPC_PENDING until the last), all at once
 * outside one. Each item is serialized as soon as it is built, so the
 * finished array costs one copy to send. Each entry shows its instance as
 * it was when read; a change of configuration in between starts over, so
 * no instance is missing or listed twice. */
static json_object *list_in_pieces(struct rpc *r, rpc_item_fn fn,
				   struct jsonrpc_err *err)
{
	struct rpc_cont local = { 0 }, *k = r->cont ? r->cont : &local;
	uint64_t gen = r->b.config_generation ? r->b.config_generation(r->b.arg) : 0;
	size_t n = r->b.instance_count(r->b.arg), stop;
	json_object *arr;

	if (k->active && k->gen != gen)
		cont_reset(k);
	if (!k->active) {
		k->active = true;
		k->gen = gen;
		if (cont_append(k, "[", 1) < 0)
			goto oom;
	}
	stop = r->cont ? k->next + RPC_LIST_CHUNK : n;
	for (; k->next < n && k->next < stop; k->next++) {
		struct instance_status st;
		json_object *item;
		const char *text;
		size_t len = 0;

		if (r->b.status_at(r->b.arg, k->next, &st) < 0)
			continue;
		item = fn(&st);
		text = json_object_to_json_string_length(
			item, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
		if ((k->len > 1 && cont_append(k, ",", 1) < 0) ||
		    cont_append(k, text, len) < 0) {
			json_object_put(item);
			goto oom;
		}
		json_object_put(item);
	}
	if (k->next < n) {
		jsonrpc_err_set(err, JSONRPC_PENDING, NULL, "in progress");
		return NULL;
	}
	if (cont_append(k, "]", 1) < 0)
		goto oom;
	arr = rpc_json_text(k->text, k->len);
	k->text = NULL;
	cont_reset(k);
	if (!arr)
		goto oom;
	return arr;
oom:
	cont_reset(k);
	jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL, "out of memory");
	return NULL;
}

json_object *rpc_instance_list(struct rpc *r, struct rpc_caller *c,
			       json_object *params, struct jsonrpc_err *err)
{
	static const char *const none[] = { NULL };

	(void)c;
	if (rpc_params_only(params, none, err) < 0)
		return NULL;
	return list_in_pieces(r, rpc_instance_summary, err);
}

json_object *rpc_instance_get(struct rpc *r, struct rpc_caller *c,
			      json_object *params, struct jsonrpc_err *err)
{
	struct instance_status st;
	json_object *cfg, *inst, *o;
	const char *name;

	if (rpc_params_only(params, only_name, err) < 0 ||
	    rpc_param_string(params, "name", true, &name, err) < 0 ||
	    find_status(r, name, &st, err) < 0)
		return NULL;
	cfg = rpc_running_view(r, true, rpc_caller_masked(c), err);
	if (!cfg)
		return NULL;
	inst = rpc_config_instance(cfg, name, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "config", inst ? json_object_get(inst) :
			       json_object_new_object());
	json_object_object_add(o, "state", rpc_instance_state(&st));
	json_object_object_add(o, "priority", rpc_priority_breakdown(r, name,
			       st.cfg->priority, st.effective_priority));
	json_object_put(cfg);
	return o;
}

static json_object *named_counters(const struct instance_status *st)
{
	json_object *one = rpc_instance_counters(st->stats);

	json_object_object_add(one, "name", json_object_new_string(st->cfg->name));
	return one;
}

json_object *rpc_statistics_get(struct rpc *r, struct rpc_caller *c,
				json_object *params, struct jsonrpc_err *err)
{
	struct instance_status st;
	const char *name = NULL;
	json_object *o, *arr;

	(void)c;
	if (rpc_params_only(params, only_name, err) < 0 ||
	    rpc_param_string(params, "name", false, &name, err) < 0)
		return NULL;
	if (name && find_status(r, name, &st, err) < 0)
		return NULL;
	if (name) {
		arr = json_object_new_array();
		json_object_array_add(arr, named_counters(&st));
	} else {
		arr = list_in_pieces(r, named_counters, err);
		if (!arr)
			return NULL;
	}
	o = json_object_new_object();
	json_object_object_add(o, "global", rpc_drop_counters(r->b.global_drops(r->b.arg)));
	json_object_object_add(o, "instances", arr);
	return o;
}

json_object *rpc_instance_failover(struct rpc *r, struct rpc_caller *c,
				   json_object *params, struct jsonrpc_err *err)
{
	static const char *const allowed[] = { "name", "hold", NULL };
	uint64_t hold = RPC_FAILOVER_HOLD_DEFAULT_S;
	struct instance_status st;
	const char *name;
	char why[256] = "";
	json_object *o;

	(void)c;
	if (rpc_params_only(params, allowed, err) < 0 ||
	    rpc_param_string(params, "name", true, &name, err) < 0 ||
	    rpc_param_uint(params, "hold", false, 0, RPC_FAILOVER_HOLD_MAX_S,
			   &hold, err) < 0 ||
	    find_status(r, name, &st, err) < 0)
		return NULL;
	/* Only a master can hand over; on a backup say who the master is. */
	if (st.state != VRRP_STATE_MASTER) {
		char buf[VADDR_STRLEN];
		json_object *data = json_object_new_object();

		json_object_object_add(data, "name", json_object_new_string(name));
		json_object_object_add(data, "state",
				       json_object_new_string(rpc_state_name(st.state)));
		json_object_object_add(data, "master", addr_or_null(&st.master_addr));
		json_object_object_add(data, "master-priority",
				       json_object_new_int(st.master_priority));
		jsonrpc_err_set(err, JSONRPC_NOT_MASTER, data,
				"%s is %s, not master; the master is %s", name,
				rpc_state_name(st.state),
				vaddr_is_set(&st.master_addr) ?
				vaddr_ntop(&st.master_addr, buf, sizeof(buf)) :
				"unknown");
		return NULL;
	}
	if (r->b.failover(r->b.arg, name, (unsigned)hold, why, sizeof(why)) < 0) {
		jsonrpc_err_set(err, JSONRPC_INTERNAL_ERROR, NULL, "failover of %s: %s",
				name, why[0] ? why : "refused");
		return NULL;
	}
	if (find_status(r, name, &st, err) < 0)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(name));
	add_u64(o, "hold", hold);
	json_object_object_add(o, "state", json_object_new_string(rpc_state_name(st.state)));
	return o;
}

json_object *rpc_state_notification(const struct instance_status *st,
				    enum vrrp_state old_state)
{
	json_object *p = json_object_new_object();
	struct timespec now;
	char buf[64];

	json_object_object_add(p, "name", json_object_new_string(st->cfg->name));
	json_object_object_add(p, "old-state", json_object_new_string(rpc_state_name(old_state)));
	json_object_object_add(p, "new-state", json_object_new_string(rpc_state_name(st->state)));
	json_object_object_add(p, "reason",
			       json_object_new_string(vrrp_reason_name(st->last_reason)));
	json_object_object_add(p, "effective-priority",
			       json_object_new_int(st->effective_priority));
	json_object_object_add(p, "master-address", addr_or_null(&st->master_addr));
	clock_gettime(CLOCK_REALTIME, &now);
	rpc_format_time(&now, buf, sizeof(buf));
	json_object_object_add(p, "time", json_object_new_string(buf));
	return jsonrpc_notification(RPC_EVENT_STATE_CHANGED, p);
}
