/* keepalived import: the named trackers of the top level — vrrp_script,
 * track_file (and its deprecated synonym vrrp_track_file) and
 * vrrp_track_process — onto the model's track/script, track/file and
 * track/process lists. Each keyword of a block is checked here; what the
 * model has no place for is ignored with a warning that says what changes. */
#include <stdlib.h>
#include <string.h>

#include "keepalived_ir.h"

#define TIMER_MAX_CS 360000 /* the model's 3600000 ms */

static int tracker_name(struct ka_ctx *cx, const struct ka_stmt *s,
			char out[KA_TNAME_MAX])
{
	if (ka_arg_count(cx, s, 1, 1, "a name") < 0)
		return -1;
	if (!s->has_block) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected a '{' block after '%s'",
			 s->argv[0], s->argv[1]);
		return -1;
	}
	return ka_name_map(cx, s, s->argv[0], s->argv[1],
			   KA_TRACKER_NAME_EXTRA, false, out);
}

/* weight N [reverse|noreverse] within min..max. */
static int weight_arg(struct ka_ctx *cx, const struct ka_stmt *s, int max,
		      int *w, bool *rev)
{
	char *end;
	if (ka_no_block(cx, s) < 0 ||
	    ka_arg_count(cx, s, 1, 2, "a weight, then optionally reverse") < 0)
		return -1;
	long v = strtol(s->argv[1], &end, 10);
	if (*end || end == s->argv[1] || v < -max || v > max ||
	    (s->argc == 3 && strcmp(s->argv[2], "reverse") &&
	     strcmp(s->argv[2], "noreverse"))) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'weight': expected an integer -%d..%d and optionally reverse, got '%s%s%s'",
			 max, max, s->argv[1], s->argc == 3 ? " " : "",
			 s->argc == 3 ? s->argv[2] : "");
		return -1;
	}
	*w = (int)v;
	*rev = s->argc == 3 && !strcmp(s->argv[2], "reverse");
	return 0;
}

static int seconds_ms(struct ka_ctx *cx, const struct ka_stmt *s,
		      unsigned *out_ms)
{
	const char *what = "seconds 0.1..3600 (up to two decimals)";
	unsigned long cs;
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 1, 1, what) < 0)
		return -1;
	if (!ka_parse_seconds_cs(s->argv[1], TIMER_MAX_CS, &cs) || cs < 10) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected %s, got '%s'", s->argv[0], what,
			 s->argv[1]);
		return -1;
	}
	*out_ms = (unsigned)cs * 10;
	return 0;
}

static void unknown_kw(struct ka_ctx *cx, const struct ka_stmt *s,
		       const char *block, const char *name)
{
	ka_error(cx->r, s->file, s->line,
		 "keyword '%s': unknown keyword in %s '%s'", s->argv[0], block,
		 name);
}

/* ---- vrrp_script -------------------------------------------------------- */

static int script_stmt(struct ka_ctx *cx, struct ka_script *sc,
		       const struct ka_stmt *s)
{
	const char *kw = s->argv[0];
	if (!strcmp(kw, "script")) {
		if (ka_no_block(cx, s) < 0 ||
		    ka_arg_count(cx, s, 1, ~(size_t)0, "a command") < 0)
			return -1;
		/* keepalived 2.2.7 takes the first word only: a command with
		 * arguments is one quoted string. */
		if (s->argc > 2)
			ka_warn(cx->r, s->file, s->line,
				"keyword 'script': '%s' and the words after it are ignored, as keepalived does (quote the whole command line)",
				s->argv[2]);
		int rc = ka_cmd_parse(cx, s, s->argv[1], &sc->cmd);
		if (rc >= 0)
			sc->disabled = rc == 1; /* the last script line counts */
		return rc < 0 ? -1 : 0;
	}
	if (!strcmp(kw, "interval"))
		return seconds_ms(cx, s, &sc->interval_ms);
	if (!strcmp(kw, "timeout"))
		return seconds_ms(cx, s, &sc->timeout_ms);
	if (!strcmp(kw, "rise"))
		return ka_uint(cx, s, 1, 65535, &sc->rise);
	if (!strcmp(kw, "fall"))
		return ka_uint(cx, s, 1, 65535, &sc->fall);
	if (!strcmp(kw, "weight"))
		return weight_arg(cx, s, 253, &sc->weight, &sc->reverse);
	if (!strcmp(kw, "init_fail"))
		return ka_flag(cx, s, &sc->init_fail);
	if (!strcmp(kw, "user")) {
		if (ka_no_block(cx, s) < 0 ||
		    ka_arg_count(cx, s, 1, 2, "a user, then optionally a group") < 0 ||
		    ka_account(cx, s, s->argv[1], sc->cmd.user) < 0)
			return -1;
		return s->argc > 2 ? ka_account(cx, s, s->argv[2], sc->cmd.group) : 0;
	}
	unknown_kw(cx, s, "vrrp_script", sc->name);
	return -1;
}

static int script_def(struct ka_ctx *cx, const struct ka_stmt *s)
{
	struct ka_tracking *t = &cx->cfg->trk;
	struct ka_script sc = {.file = s->file, .line = s->line,
			       .interval_ms = 1000, .rise = 1, .fall = 1};
	char user[KA_ACCOUNT_MAX] = "", group[KA_ACCOUNT_MAX] = "";
	int rc = tracker_name(cx, s, sc.name);
	for (const struct ka_stmt *c = s->child; c && rc == 0; c = c->next) {
		if (script_stmt(cx, &sc, c) < 0)
			rc = -1;
		/* `script` after `user` must keep the account */
		if (sc.cmd.user[0])
			memcpy(user, sc.cmd.user, sizeof(user));
		if (sc.cmd.group[0])
			memcpy(group, sc.cmd.group, sizeof(group));
	}
	memcpy(sc.cmd.user, user, sizeof(user));
	memcpy(sc.cmd.group, group, sizeof(group));
	if (rc == 0 && sc.disabled) {
		ka_warn(cx->r, s->file, s->line,
			"vrrp_script '%s': disabled (its program is not found); the tracker is dropped, as keepalived drops it",
			sc.name);
		ka_cmd_free(&sc.cmd);
		return 0;
	}
	if (rc == 0 && !sc.cmd.argc) {
		/* keepalived: "No script specified for vrrp_script" and the
		 * script is dropped; so are its followers. */
		ka_warn(cx->r, s->file, s->line,
			"vrrp_script '%s': no script; the tracker is dropped, as keepalived does",
			sc.name);
		return 0;
	}
	for (size_t i = 0; rc == 0 && i < t->n_scripts; i++)
		if (!strcmp(t->scripts[i].name, sc.name)) {
			ka_error(cx->r, s->file, s->line,
				 "keyword 'vrrp_script': name '%s' already used at %s:%u",
				 sc.name, t->scripts[i].file, t->scripts[i].line);
			rc = -1;
		}
	struct ka_script *v = rc ? NULL
				 : realloc(t->scripts, (t->n_scripts + 1) * sizeof(*v));
	if (!v) {
		if (rc == 0)
			ka_error(cx->r, s->file, s->line, "out of memory");
		ka_cmd_free(&sc.cmd);
		return -1;
	}
	t->scripts = v;
	v[t->n_scripts++] = sc;
	return 0;
}

/* ---- track_file --------------------------------------------------------- */

static int tfile_stmt(struct ka_ctx *cx, struct ka_tfile *tf,
		      const struct ka_stmt *s)
{
	const char *kw = s->argv[0];
	if (!strcmp(kw, "file")) {
		if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 1, 1, "an absolute path") < 0)
			return -1;
		if (s->argv[1][0] != '/' || strlen(s->argv[1]) > KA_PATH_MAX) {
			ka_error(cx->r, s->file, s->line,
				 "keyword 'file': expected an absolute path, got '%s'",
				 s->argv[1]);
			return -1;
		}
		free(tf->path);
		tf->path = strdup(s->argv[1]);
		return tf->path ? 0 : -1;
	}
	if (!strcmp(kw, "weight"))
		return weight_arg(cx, s, 254, &tf->weight, &tf->reverse);
	if (!strcmp(kw, "init_file")) {
		ka_ignored(cx->r, s->file, s->line,
			   "'init_file' is not supported by vrrpd (create the file before vrrpd starts: a missing file means fault)");
		return 0;
	}
	unknown_kw(cx, s, "track_file", tf->name);
	return -1;
}

static int tfile_def(struct ka_ctx *cx, const struct ka_stmt *s)
{
	struct ka_tracking *t = &cx->cfg->trk;
	struct ka_tfile tf = {.file = s->file, .line = s->line, .weight = 1};
	int rc = tracker_name(cx, s, tf.name);
	if (rc == 0 && !strcmp(s->argv[0], "vrrp_track_file"))
		ka_warn(cx->r, s->file, s->line,
			"'vrrp_track_file' is deprecated, read as 'track_file' (as keepalived does)");
	for (const struct ka_stmt *c = s->child; c && rc == 0; c = c->next)
		rc = tfile_stmt(cx, &tf, c);
	if (rc == 0 && !tf.path) {
		ka_warn(cx->r, s->file, s->line,
			"track_file '%s': no file; the tracker is dropped, as keepalived does",
			tf.name);
		return 0;
	}
	for (size_t i = 0; rc == 0 && i < t->n_files; i++)
		if (!strcmp(t->files[i].name, tf.name)) {
			ka_error(cx->r, s->file, s->line,
				 "keyword '%s': name '%s' already used at %s:%u",
				 s->argv[0], tf.name, t->files[i].file, t->files[i].line);
			rc = -1;
		}
	struct ka_tfile *v = rc ? NULL : realloc(t->files, (t->n_files + 1) * sizeof(*v));
	if (!v) {
		free(tf.path);
		return -1;
	}
	t->files = v;
	v[t->n_files++] = tf;
	return 0;
}

/* ---- vrrp_track_process ------------------------------------------------- */

static int tproc_stmt(struct ka_ctx *cx, struct ka_tproc *tp,
		      const struct ka_stmt *s)
{
	const char *kw = s->argv[0];
	unsigned v;
	if (!strcmp(kw, "process")) {
		if (ka_no_block(cx, s) < 0 ||
		    ka_arg_count(cx, s, 1, 256, "a process name and its arguments") < 0)
			return -1;
		if (!s->argv[1][0] || strlen(s->argv[1]) > KA_PATH_MAX) {
			ka_error(cx->r, s->file, s->line,
				 "keyword 'process': expected a process name of 1..%d characters",
				 KA_PATH_MAX);
			return -1;
		}
		struct ka_cmd c = {0};
		for (size_t i = 1; i < s->argc; i++) {
			char **nv = realloc(c.argv, (c.argc + 1) * sizeof(*nv));
			if (!nv || !(nv[c.argc] = strdup(s->argv[i]))) {
				c.argv = nv ? nv : c.argv;
				ka_cmd_free(&c);
				return -1;
			}
			c.argv = nv;
			c.argc++;
		}
		struct ka_cmd old = {.argv = tp->argv, .argc = tp->argc};
		ka_cmd_free(&old);
		tp->argv = c.argv;
		tp->argc = c.argc;
		return 0;
	}
	if (!strcmp(kw, "weight"))
		return weight_arg(cx, s, 254, &tp->weight, &tp->reverse);
	if (!strcmp(kw, "quorum"))
		return ka_uint(cx, s, 1, 65535, &tp->quorum);
	if (!strcmp(kw, "quorum_max")) {
		if (ka_uint(cx, s, 1, 65535, &v) < 0)
			return -1;
		tp->quorum_max = (int)v;
		return 0;
	}
	if (!strcmp(kw, "param_match")) {
		ka_ignored(cx->r, s->file, s->line,
			   "'param_match' is not supported by vrrpd (arguments, when given, must match exactly)");
		return 0;
	}
	if (!strcmp(kw, "delay") || !strcmp(kw, "fork_delay") ||
	    !strcmp(kw, "terminate_delay")) {
		ka_ignored(cx->r, s->file, s->line,
			   "'%s' is not supported by vrrpd (the process count takes effect at once)",
			   kw);
		return 0;
	}
	if (!strcmp(kw, "full_command")) {
		ka_ignored(cx->r, s->file, s->line,
			   "'full_command' is not supported by vrrpd (it matches the command line when arguments are given, the process name otherwise)");
		return 0;
	}
	unknown_kw(cx, s, "vrrp_track_process", tp->name);
	return -1;
}

static int tproc_def(struct ka_ctx *cx, const struct ka_stmt *s)
{
	struct ka_tracking *t = &cx->cfg->trk;
	struct ka_tproc tp = {.file = s->file, .line = s->line, .weight = 1,
			      .quorum = 1, .quorum_max = -1};
	int rc = tracker_name(cx, s, tp.name);
	for (const struct ka_stmt *c = s->child; c && rc == 0; c = c->next)
		rc = tproc_stmt(cx, &tp, c);
	if (rc == 0 && tp.quorum_max >= 0 && (unsigned)tp.quorum_max < tp.quorum) {
		ka_error(cx->r, s->file, s->line,
			 "vrrp_track_process '%s': quorum_max %d is below quorum %u",
			 tp.name, tp.quorum_max, tp.quorum);
		rc = -1;
	}
	if (rc == 0 && !tp.argc) {
		ka_warn(cx->r, s->file, s->line,
			"vrrp_track_process '%s': no process; the tracker is dropped, as keepalived does",
			tp.name);
		return 0;
	}
	for (size_t i = 0; rc == 0 && i < t->n_procs; i++)
		if (!strcmp(t->procs[i].name, tp.name)) {
			ka_error(cx->r, s->file, s->line,
				 "keyword 'vrrp_track_process': name '%s' already used at %s:%u",
				 tp.name, t->procs[i].file, t->procs[i].line);
			rc = -1;
		}
	struct ka_tproc *v = rc ? NULL : realloc(t->procs, (t->n_procs + 1) * sizeof(*v));
	if (!v) {
		struct ka_cmd c = {.argv = tp.argv, .argc = tp.argc};
		ka_cmd_free(&c);
		return -1;
	}
	t->procs = v;
	v[t->n_procs++] = tp;
	return 0;
}

int ka_track_def(struct ka_ctx *cx, const struct ka_stmt *s)
{
	const char *kw = s->argv[0];
	if (!strcmp(kw, "vrrp_script"))
		return script_def(cx, s);
	if (!strcmp(kw, "track_file") || !strcmp(kw, "vrrp_track_file"))
		return tfile_def(cx, s);
	if (!strcmp(kw, "vrrp_track_process"))
		return tproc_def(cx, s);
	return 1;
}

void ka_tracking_free(struct ka_tracking *t)
{
	for (size_t i = 0; i < t->n_scripts; i++)
		ka_cmd_free(&t->scripts[i].cmd);
	for (size_t i = 0; i < t->n_files; i++)
		free(t->files[i].path);
	for (size_t i = 0; i < t->n_procs; i++) {
		struct ka_cmd c = {.argv = t->procs[i].argv, .argc = t->procs[i].argc};
		ka_cmd_free(&c);
	}
	for (size_t i = 0; i < t->n_syncs; i++) {
		free(t->syncs[i].members);
		ka_follows_free(&t->syncs[i].fol);
		ka_notify_free(&t->syncs[i].nfy);
	}
	free(t->scripts);
	free(t->files);
	free(t->procs);
	free(t->syncs);
	memset(t, 0, sizeof(*t));
}
