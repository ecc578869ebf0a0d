/* What the privileged parent agrees to run (privsep.h, ps_policy_*).
 *
 * The worker reads the network and the control socket: assume it can be
 * made to send anything. The parent therefore runs nothing the worker
 * names, only what the startup configuration (read by the parent, as
 * root, at start and on SIGHUP) names: the exact argv of one of its
 * scripts, as exactly the user and group that configuration gives it. The
 * few words a generic notify script receives are the worker's to choose,
 * so each is checked for its form; they are positional parameters, never
 * parsed by a shell (script_argv()). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "notify.h"
#include "privsep.h"
#include "script_security.h"

/* keepalived's generic notify: TYPE NAME STATE PRIORITY */
#define GENERIC_WORDS 4

struct allowed {
	char **argv;          /* what to match (the extra words excluded) */
	size_t head;          /* words that must be equal */
	size_t n_extra;       /* 0, or GENERIC_WORDS */
	uid_t uid;
	gid_t gid;
	uint32_t timeout_ms;
	const struct script_cmd_cfg *cmd;  /* copy owned by the policy */
};

struct ps_policy {
	struct allowed *v;
	size_t n, cap;
	bool secure;
	struct script_cmd_cfg *cmds;       /* copies the entries point to */
	size_t n_cmds;
};

static int copy_cmd(struct script_cmd_cfg *dst, const struct script_cmd_cfg *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->argv = calloc(src->argc + 1, sizeof(char *));
	if (!dst->argv)
		return -1;
	dst->argc = src->argc;
	dst->shell = src->shell;
	memcpy(dst->user, src->user, sizeof(dst->user));
	memcpy(dst->group, src->group, sizeof(dst->group));
	for (size_t i = 0; i < src->argc; i++)
		if (!(dst->argv[i] = strdup(src->argv[i])))
			return -1;
	return 0;
}

/* Every script of c, counted first so the copies never move. */
static size_t count_cmds(const struct vrrpd_config *c)
{
	size_t n = 0;

	for (size_t k = 0; k < c->tracking.n_trackers; k++)
		n += c->tracking.trackers[k].type == TRACK_SCRIPT;
	n += (c->n_instances + c->tracking.n_sync_groups) * NOTIFY_EVENT_COUNT;
	return n;
}

static int add(struct ps_policy *p, const struct script_cmd_cfg *cmd,
	       const struct script_global_cfg *g, size_t n_extra,
	       uint32_t timeout_ms)
{
	static const char *const words[GENERIC_WORDS] = { "", "", "", "" };
	const char *user, *group;
	struct allowed a = { .n_extra = n_extra, .timeout_ms = timeout_ms };
	struct script_cmd_cfg *copy;
	char why[256];
	size_t n;

	if (cmd->argc == 0)
		return 0;
	script_cmd_account(cmd, g, &user, &group);
	if (script_resolve_ids(user, group, &a.uid, &a.gid, why, sizeof(why)))
		return 0;  /* the worker refuses it as well, and says why */
	copy = &p->cmds[p->n_cmds];
	if (copy_cmd(copy, cmd) < 0) {
		p->n_cmds++;  /* freed with the others */
		return -1;
	}
	p->n_cmds++;
	a.cmd = copy;
	a.argv = script_argv(cmd, words, n_extra);
	if (!a.argv)
		return -1;
	for (n = 0; a.argv[n]; n++)
		;
	a.head = n - n_extra;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct allowed *v = realloc(p->v, cap * sizeof(*v));

		if (!v) {
			script_argv_free(a.argv);
			return -1;
		}
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = a;
	return 0;
}

static int add_notify(struct ps_policy *p, const struct notify_cfg *nc,
		      const struct script_global_cfg *g)
{
	uint32_t t = g->notify_timeout_s * 1000u;

	for (int ev = 0; ev < NOTIFY_EVENT_COUNT; ev++)
		if (add(p, &nc->script[ev], g,
			ev == NOTIFY_ANY ? GENERIC_WORDS : 0, t) < 0)
			return -1;
	return 0;
}

struct ps_policy *ps_policy_new(const struct vrrpd_config *c, char *err,
				size_t errlen)
{
	const struct script_global_cfg *g = &c->global.scripts;
	struct ps_policy *p = calloc(1, sizeof(*p));
	int r = 0;

	if (p)
		p->cmds = calloc(count_cmds(c) + 1, sizeof(*p->cmds));
	if (!p || !p->cmds)
		goto oom;
	p->secure = g->script_security;
	for (size_t k = 0; r == 0 && k < c->tracking.n_trackers; k++) {
		const struct tracker_cfg *t = &c->tracking.trackers[k];

		if (t->type == TRACK_SCRIPT)
			r = add(p, &t->cmd, g, 0, t->timeout_ms);
	}
	for (size_t i = 0; r == 0 && i < c->n_instances; i++)
		r = add_notify(p, &c->instances[i].follow.notify, g);
	for (size_t i = 0; r == 0 && i < c->tracking.n_sync_groups; i++)
		r = add_notify(p, &c->tracking.sync_groups[i].follow.notify, g);
	if (r == 0)
		return p;
oom:
	ps_policy_free(p);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

void ps_policy_free(struct ps_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		script_argv_free(p->v[i].argv);
	for (size_t i = 0; p->cmds && i < p->n_cmds; i++)
		script_cmd_cfg_free(&p->cmds[i]);
	free(p->cmds);
	free(p->v);
	free(p);
}

size_t ps_policy_count(const struct ps_policy *p)
{
	return p ? p->n : 0;
}

static bool one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

/* An instance or group name: what the YANG model allows a name to be,
 * near enough (no control characters, bounded). */
static bool name_word(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= TRACK_NAME_MAX)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* The four words of notify_generic_args(). */
static int check_generic(const char *const *w, char *why, size_t whylen)
{
	static const char *const kinds[] = { "INSTANCE", "GROUP", NULL };
	static const char *const states[] = { "MASTER", "BACKUP", "FAULT", "STOP",
					      NULL };
	size_t n = strlen(w[3]);

	if (!one_of(w[0], kinds))
		return errbuf_set(why, whylen, "notify: bad type word '%.20s'", w[0]);
	if (!name_word(w[1]))
		return errbuf_set(why, whylen, "notify: bad name word");
	if (!one_of(w[2], states))
		return errbuf_set(why, whylen, "notify: bad state word '%.20s'", w[2]);
	if (n == 0 || n > 3 || strspn(w[3], "0123456789") != n || atoi(w[3]) > 255)
		return errbuf_set(why, whylen, "notify: bad priority word '%.20s'",
			       w[3]);
	return 0;
}

static bool matches(const struct allowed *a, const struct ps_run *r)
{
	if (r->argc != a->head + a->n_extra || r->uid != a->uid || r->gid != a->gid)
		return false;
	for (size_t i = 0; i < a->head; i++)
		if (strcmp(r->argv[i], a->argv[i]) != 0)
			return false;
	return true;
}

int ps_policy_check(const struct ps_policy *p, const struct ps_run *r,
		    struct ps_allowed *out, char *why, size_t whylen)
{
	char w[256];

	if (r->argc == 0 || r->argc > PS_ARGC_MAX || !r->argv[0])
		return errbuf_set(why, whylen, "no program");
	if (r->argv[0][0] != '/')
		return errbuf_set(why, whylen, "%.200s: not an absolute path",
			       r->argv[0]);
	for (size_t i = 0; p && i < p->n; i++) {
		const struct allowed *a = &p->v[i];

		if (!matches(a, r))
			continue;
		if (a->n_extra && check_generic(r->argv + a->head, w, sizeof(w)) < 0)
			return errbuf_set(why, whylen, "%s", w);
		out->timeout_ms = a->timeout_ms;
		out->secure = p->secure;
		out->cmd = a->cmd;
		return 0;
	}
	return errbuf_set(why, whylen,
		       "%.200s as uid %u gid %u is not a script of the startup "
		       "configuration (save it and reload to allow it)",
		       r->argv[0], (unsigned)r->uid, (unsigned)r->gid);
}
