/* keepalived import: the track_script, track_interface, track_file and
 * track_process blocks of a vrrp_instance or a vrrp_sync_group, one line
 * per tracker: `NAME [weight N [reverse|noreverse]]`. They become the
 * model's track container of the instance or group; tracked interfaces
 * also become entries of the top-level track/interface list. Names are
 * checked against the trackers only after the whole file, since keepalived
 * lets a vrrp_script follow the instance that uses it. */
#include <stdlib.h>
#include <string.h>

#include "keepalived_ir.h"

static const struct {
	const char *kw;
	int max_weight;
	const char *def;    /* the keyword that defines such trackers */
} kinds[KA_TRK_N] = {
	[KA_TRK_SCRIPT] = {"track_script", 253, "vrrp_script"},
	[KA_TRK_INTERFACE] = {"track_interface", 253, NULL},
	[KA_TRK_FILE] = {"track_file", 254, "track_file"},
	[KA_TRK_PROCESS] = {"track_process", 254, "vrrp_track_process"},
};

static int follow_line(struct ka_ctx *cx, int k, const struct ka_stmt *s,
		       struct ka_follow *f)
{
	memset(f, 0, sizeof(*f));
	f->file = s->file;
	f->line = s->line;
	f->reverse = -1;
	if (s->has_block) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': entry '%s' takes no '{' block",
			 kinds[k].kw, s->argv[0]);
		return -1;
	}
	if (k == KA_TRK_INTERFACE) {
		char ifn[IFNAMSIZ];
		if (ka_ifname(cx, s, kinds[k].kw, s->argv[0], ifn) < 0)
			return -1;
		memcpy(f->name, ifn, sizeof(ifn));
	} else if (ka_name_map(cx, s, kinds[k].kw, s->argv[0],
			       KA_TRACKER_NAME_EXTRA, true, f->name) < 0) {
		return -1;
	}
	size_t i = 1;
	if (i < s->argc && !strcmp(s->argv[i], "weight")) {
		char *end;
		long v = i + 1 < s->argc ? strtol(s->argv[i + 1], &end, 10) : 0;
		int max = kinds[k].max_weight;
		if (i + 1 >= s->argc || *end || end == s->argv[i + 1] ||
		    v < -max || v > max) {
			ka_error(cx->r, s->file, s->line,
				 "keyword '%s': %s: expected weight -%d..%d, got '%s'",
				 kinds[k].kw, s->argv[0], max, max,
				 i + 1 < s->argc ? s->argv[i + 1] : "");
			return -1;
		}
		f->has_weight = true;
		f->weight = (int)v;
		i += 2;
	}
	if (i < s->argc && (!strcmp(s->argv[i], "reverse") ||
			    !strcmp(s->argv[i], "noreverse"))) {
		f->reverse = !strcmp(s->argv[i], "reverse");
		i++;
	}
	if (i < s->argc) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': %s: expected 'weight N [reverse|noreverse]', got '%s'",
			 kinds[k].kw, s->argv[0], s->argv[i]);
		return -1;
	}
	return 0;
}

static int follow_add(struct ka_ctx *cx, struct ka_follows *fol, int k,
		      const struct ka_follow *f)
{
	for (size_t i = 0; i < fol->n[k]; i++)
		if (!strcmp(fol->f[k][i].name, f->name)) {
			/* the model keys followers by name */
			ka_warn(cx->r, f->file, f->line,
				"keyword '%s': '%s' is listed twice; the first entry is used",
				kinds[k].kw, f->name);
			return 0;
		}
	struct ka_follow *v = realloc(fol->f[k], (fol->n[k] + 1) * sizeof(*v));
	if (!v) {
		ka_error(cx->r, f->file, f->line, "out of memory");
		return -1;
	}
	fol->f[k] = v;
	v[fol->n[k]++] = *f;
	return 0;
}

int ka_follow_stmt(struct ka_ctx *cx, struct ka_follows *fol,
		   const struct ka_stmt *s)
{
	int k;
	for (k = 0; k < KA_TRK_N && strcmp(s->argv[0], kinds[k].kw); k++)
		;
	if (k == KA_TRK_N)
		return 1;
	if (!s->has_block || s->argc != 1) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected a '{' block of names",
			 s->argv[0]);
		return -1;
	}
	int rc = 0;
	for (const struct ka_stmt *e = s->child; e; e = e->next) {
		struct ka_follow f;
		if (follow_line(cx, k, e, &f) < 0 || follow_add(cx, fol, k, &f) < 0)
			rc = -1;
	}
	return rc;
}

static bool tracker_exists(const struct ka_tracking *t, int k, const char *n)
{
	size_t i;
	switch (k) {
	case KA_TRK_SCRIPT:
		for (i = 0; i < t->n_scripts && strcmp(t->scripts[i].name, n); i++)
			;
		return i < t->n_scripts;
	case KA_TRK_FILE:
		for (i = 0; i < t->n_files && strcmp(t->files[i].name, n); i++)
			;
		return i < t->n_files;
	case KA_TRK_PROCESS:
		for (i = 0; i < t->n_procs && strcmp(t->procs[i].name, n); i++)
			;
		return i < t->n_procs;
	default:
		return true;
	}
}

/* keepalived 2.2.7 logs "track script X not found, ignoring" (and the
 * like) and runs without it: so does the converted configuration. */
void ka_follows_resolve(struct ka_ctx *cx, const char *owner,
			struct ka_follows *fol)
{
	for (int k = 0; k < KA_TRK_N; k++) {
		size_t kept = 0;
		for (size_t i = 0; i < fol->n[k]; i++) {
			struct ka_follow *f = &fol->f[k][i];
			if (tracker_exists(&cx->cfg->trk, k, f->name)) {
				fol->f[k][kept++] = *f;
				continue;
			}
			ka_warn(cx->r, f->file, f->line,
				"%s: %s '%s' is not defined by a %s block; ignored, as keepalived does",
				owner, kinds[k].kw, f->name, kinds[k].def);
		}
		fol->n[k] = kept;
	}
}

void ka_follows_free(struct ka_follows *fol)
{
	for (int k = 0; k < KA_TRK_N; k++) {
		free(fol->f[k]);
		fol->f[k] = NULL;
		fol->n[k] = 0;
	}
}

void ka_instance_track_finish(struct ka_ctx *cx, struct ka_instance *in)
{
	ka_follows_resolve(cx, in->name, &in->fol);
	size_t kept = 0, n = in->fol.n[KA_TRK_INTERFACE];
	struct ka_follow *f = in->fol.f[KA_TRK_INTERFACE];
	for (size_t i = 0; i < n; i++) {
		if (strcmp(f[i].name, in->ifname)) {
			f[kept++] = f[i];
			continue;
		}
		/* keepalived 2.2.7: "Ignoring track_interface X since own
		 * interface"; vrrpd, like keepalived, puts the instance in
		 * FAULT while its own interface is down anyway. */
		ka_warn(cx->r, f[i].file, f[i].line,
			"vrrp_instance '%s': track_interface %s is the instance's own interface, which is always followed; ignored, as keepalived does",
			in->name, f[i].name);
	}
	in->fol.n[KA_TRK_INTERFACE] = kept;
}
