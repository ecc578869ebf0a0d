/* keepalived import: script command lines (vrrp_script's script, the
 * notify scripts), the notify keywords of instances and sync groups, and
 * the script settings of global_defs (notify_fifo, vrrp_notify_fifo,
 * script_user, enable_script_security, vrrp_notify_priority_changes).
 *
 * keepalived 2.2.7 never runs a script through a shell: it splits the
 * command text into words itself (unquoted white space separates them,
 * '...' and "..." group; its lexer has resolved backslash escapes before)
 * and execs the first word. The importer splits the same way into the
 * model's command argv and leaves shell false, so each argument reaches
 * the program exactly as under keepalived; a shell operator in the text
 * stays a literal argument there, and here too (warned). keepalived's
 * exceptions are kept: a command starting "</" goes to /bin/sh -c whole
 * (shell true in the model), and a program without a '/' that is not on
 * PATH disables the script (ka_cmd_parse() returns 1). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keepalived_ir.h"

#define CMD_WORDS_MAX 256

static int cmd_push(struct ka_cmd *c, const char *w, size_t n)
{
	char **v = realloc(c->argv, (c->argc + 1) * sizeof(*v));
	if (!v)
		return -1;
	c->argv = v;
	if (!(v[c->argc] = strndup(w, n)))
		return -1;
	c->argc++;
	return 0;
}

/* The escapes keepalived's lexer resolves in a quoted string before the
 * words are split (keepalived.conf(5)): \a \b \E \f \n \r \t \v, and \C
 * for any other C is C itself. Our lexer keeps them, so they are resolved
 * here; the octal and hex forms are kept as written (rare in commands). */
static void unescape(const char *t, char *out)
{
	static const char from[] = "abEfnrtv", to[] = "\a\b\033\f\n\r\t\v";
	while (*t) {
		if (*t != '\\' || !t[1]) {
			*out++ = *t++;
			continue;
		}
		const char *k = strchr(from, t[1]);
		*out++ = k ? to[k - from] : t[1];
		t += 2;
	}
	*out = '\0';
}

/* keepalived's word splitting of a script text: white space separates,
 * '...' and "..." group. Returns 0, -1 (out of memory) or -2
 * (unterminated quote). */
static int split_words(const char *text, struct ka_cmd *c)
{
	size_t cap = strlen(text) + 1, n;
	char *w = malloc(cap), *buf = malloc(cap);
	if (!w || !buf) {
		free(w);
		free(buf);
		return -1;
	}
	unescape(text, buf);
	const char *t = buf;
	int rc = 0;
	while (rc == 0) {
		while (*t == ' ' || *t == '\t')
			t++;
		if (!*t)
			break;
		char quote = 0;
		for (n = 0; *t && (quote || (*t != ' ' && *t != '\t')); t++) {
			if (quote && *t == quote)
				quote = 0;
			else if (!quote && (*t == '\'' || *t == '"'))
				quote = *t;
			else
				w[n++] = *t;
		}
		if (quote)
			rc = -2;
		else if (cmd_push(c, w, n) < 0)
			rc = -1;
	}
	free(w);
	free(buf);
	return rc;
}

/* keepalived finds a program given without a directory on its PATH when it
 * reads the configuration; vrrpd wants an absolute path, so the importer
 * resolves it the same way, on the importing host. */
static char *path_search(const char *prog)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		char *full = NULL;
		if (n && asprintf(&full, "%.*s/%s", (int)n, p, prog) > 0 &&
		    full[0] == '/' && access(full, X_OK) == 0)
			return full;
		free(full);
		p += n + (p[n] == ':');
	}
	return NULL;
}

static bool file_test(const char *w)
{
	return w[0] == '<' && w[1 + strspn(w + 1, " \t")] == '/';
}

static void warn_shell_words(struct ka_ctx *cx, const struct ka_stmt *s,
			     const struct ka_cmd *c)
{
	static const char *const ops[] = {"|", "||", "&&", ";", ">", ">>", "<",
					  "&", "2>&1"};
	for (size_t i = 1; i < c->argc; i++)
		for (size_t k = 0; k < sizeof(ops) / sizeof(*ops); k++)
			if (!strcmp(c->argv[i], ops[k]) || strstr(c->argv[i], "$(")) {
				ka_warn(cx->r, s->file, s->line,
					"keyword '%s': '%s' is passed to %s as an argument: keepalived runs scripts without a shell, and so does vrrpd (wrap the command in a script for shell syntax)",
					s->argv[0], c->argv[i], c->argv[0]);
				return;
			}
}

int ka_cmd_parse(struct ka_ctx *cx, const struct ka_stmt *s, const char *text,
		 struct ka_cmd *out)
{
	struct ka_cmd c = {0};
	int rc = split_words(text, &c);
	if (rc == 0 && c.argc == 0)
		rc = -3;
	if (rc == 0 && c.argc > CMD_WORDS_MAX)
		rc = -4;
	/* the model's command elements are 1..4095 characters */
	for (size_t i = 0; rc == 0 && i < c.argc; i++)
		if (!c.argv[i][0] || strlen(c.argv[i]) > KA_PATH_MAX)
			rc = -5;
	if (rc == 0 && file_test(c.argv[0])) {
		/* keepalived 2.2.7 (check_script_secure): a command starting
		 * "</" only tests that a file opens and goes to /bin/sh -c
		 * whole, as the samples' "</dev/tcp/127.0.0.1/80" does. */
		ka_cmd_free(&c);
		if (cmd_push(&c, text, strlen(text)) < 0)
			rc = -1;
		c.shell = true;
		ka_warn(cx->r, s->file, s->line,
			"keyword '%s': '%s' runs with /bin/sh -c (shell true), as keepalived runs a command starting with '</'",
			s->argv[0], text);
	} else if (rc == 0 && !strchr(c.argv[0], '/')) {
		char *full = path_search(c.argv[0]);
		if (!full) {
			/* keepalived: "Cannot find script X in path -
			 * disabling": the script is never run. */
			ka_warn(cx->r, s->file, s->line,
				"keyword '%s': program '%s' is not found on PATH; the script is disabled, as keepalived disables it",
				s->argv[0], c.argv[0]);
			ka_cmd_free(&c);
			return 1;
		}
		ka_warn(cx->r, s->file, s->line,
			"keyword '%s': program '%s' found on PATH as %s, as keepalived resolves it",
			s->argv[0], c.argv[0], full);
		free(c.argv[0]);
		c.argv[0] = full;
	}
	if (rc < 0) {
		ka_error(cx->r, s->file, s->line, "keyword '%s': %s", s->argv[0],
			 rc == -1 ? "out of memory"
			 : rc == -2 ? "unterminated quote in the command"
			 : rc == -3 ? "expected a command, got an empty one"
			 : rc == -4 ? "more than 256 words in the command"
				    : "an argument is empty or longer than 4095 characters (vrrpd cannot pass it)");
		ka_cmd_free(&c);
		return -1;
	}
	if (!c.shell)
		warn_shell_words(cx, s, &c);
	if (!cx->cfg->g.sg.first_line) {
		cx->cfg->g.sg.first_file = s->file;
		cx->cfg->g.sg.first_line = s->line;
	}
	ka_cmd_free(out);
	*out = c;
	return 0;
}

void ka_cmd_free(struct ka_cmd *c)
{
	for (size_t i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	memset(c, 0, sizeof(*c));
}

/* The model's account-name: what useradd accepts. */
int ka_account(struct ka_ctx *cx, const struct ka_stmt *s, const char *v,
	       char out[KA_ACCOUNT_MAX])
{
	size_t n = strlen(v);
	bool ok = n >= 1 && n < KA_ACCOUNT_MAX && v[0] != '-';
	for (size_t i = 0; ok && i < n; i++)
		ok = (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		     (v[i] >= '0' && v[i] <= '9') || strchr("_.-", v[i]) ||
		     (v[i] == '$' && i == n - 1);
	if (!ok) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected a user or group name (1..32 letters, digits, '_', '.', '-'), got '%s'",
			 s->argv[0], v);
		return -1;
	}
	memcpy(out, v, n + 1);
	return 0;
}

/* ---- notify keywords ---------------------------------------------------- */

static const char *const event_kw[KA_EV_N] = {
	[KA_EV_MASTER] = "notify_master", [KA_EV_BACKUP] = "notify_backup",
	[KA_EV_FAULT] = "notify_fault",   [KA_EV_STOP] = "notify_stop",
	[KA_EV_ANY] = "notify",
};

void ka_notify_init(struct ka_notify *n)
{
	memset(n, 0, sizeof(*n));
	n->prio_changes = -1;
}

/* notify_X SCRIPT [USER [GROUP]]: the script is one word (quoted when it
 * has arguments); the next words are the account, as in keepalived. */
static int notify_script(struct ka_ctx *cx, struct ka_cmd *c,
			 const struct ka_stmt *s)
{
	struct ka_cmd nc = {0};
	if (ka_no_block(cx, s) < 0 ||
	    ka_arg_count(cx, s, 1, 3, "a script, then optionally a user and a group") < 0)
		return -1;
	int rc = ka_cmd_parse(cx, s, s->argv[1], &nc);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if ((s->argc > 2 && ka_account(cx, s, s->argv[2], nc.user) < 0) ||
	    (s->argc > 3 && ka_account(cx, s, s->argv[3], nc.group) < 0)) {
		ka_cmd_free(&nc);
		return -1;
	}
	if (c->argc)
		ka_warn(cx->r, s->file, s->line,
			"keyword '%s' given twice; the last one is used, as keepalived does",
			s->argv[0]);
	ka_cmd_free(c);
	*c = nc;
	return 0;
}

int ka_notify_stmt(struct ka_ctx *cx, struct ka_notify *n,
		   const struct ka_stmt *s)
{
	for (int e = 0; e < KA_EV_N; e++)
		if (!strcmp(s->argv[0], event_kw[e]))
			return notify_script(cx, &n->ev[e], s);
	if (!strcmp(s->argv[0], "notify_priority_changes")) {
		bool on;
		if (ka_flag(cx, s, &on) < 0)
			return -1;
		n->prio_changes = on;
		return 0;
	}
	return 1;
}

void ka_notify_free(struct ka_notify *n)
{
	for (int e = 0; e < KA_EV_N; e++)
		ka_cmd_free(&n->ev[e]);
}

/* ---- global_defs -------------------------------------------------------- */

static int fifo_path(struct ka_ctx *cx, const struct ka_stmt *s, char **out)
{
	if (ka_no_block(cx, s) < 0 ||
	    ka_arg_count(cx, s, 1, 3, "a FIFO path, then optionally a user and a group") < 0)
		return -1;
	if (s->argv[1][0] != '/' || strlen(s->argv[1]) > KA_PATH_MAX) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected an absolute path, got '%s'",
			 s->argv[0], s->argv[1]);
		return -1;
	}
	if (s->argc > 2)
		ka_ignored(cx->r, s->file, s->line,
			   "keyword '%s': the FIFO's owner '%s' is not supported by vrrpd yet (vrrpd creates it as root)",
			   s->argv[0], s->argv[2]);
	free(*out);
	*out = strdup(s->argv[1]);
	if (!*out) {
		ka_error(cx->r, s->file, s->line, "out of memory");
		return -1;
	}
	return 0;
}

int ka_global_script_stmt(struct ka_ctx *cx, const struct ka_stmt *s)
{
	struct ka_script_global *g = &cx->cfg->g.sg;
	const char *kw = s->argv[0];
	if (!strcmp(kw, "notify_fifo"))
		return fifo_path(cx, s, &g->notify_fifo);
	if (!strcmp(kw, "vrrp_notify_fifo"))
		return fifo_path(cx, s, &g->vrrp_notify_fifo);
	if (!strcmp(kw, "enable_script_security"))
		return ka_flag(cx, s, &g->security);
	if (!strcmp(kw, "vrrp_notify_priority_changes"))
		return ka_flag(cx, s, &g->prio_changes);
	if (!strcmp(kw, "notify_fifo_script") || !strcmp(kw, "vrrp_notify_fifo_script")) {
		ka_ignored(cx->r, s->file, s->line,
			   "'%s' is not supported by vrrpd (vrrpd writes the FIFO; start its reader yourself)",
			   kw);
		return 0;
	}
	if (strcmp(kw, "script_user"))
		return 1;
	if (ka_no_block(cx, s) < 0 ||
	    ka_arg_count(cx, s, 1, 2, "a user, then optionally a group") < 0 ||
	    ka_account(cx, s, s->argv[1], g->user) < 0)
		return -1;
	g->group[0] = '\0';
	return s->argc > 2 ? ka_account(cx, s, s->argv[2], g->group) : 0;
}

void ka_script_global_free(struct ka_script_global *g)
{
	free(g->notify_fifo);
	free(g->vrrp_notify_fifo);
	g->notify_fifo = g->vrrp_notify_fifo = NULL;
}

/* Our model turns script security on by default; keepalived leaves it off
 * unless enable_script_security is given, so the output says false then
 * (json_track.c) and the operator is told when it matters: at the first
 * script of the converted configuration. */
void ka_script_security_note(struct ka_ctx *cx)
{
	const struct ka_script_global *g = &cx->cfg->g.sg;
	if (g->first_line && !g->security)
		ka_warn(cx->r, g->first_file, g->first_line,
			"no enable_script_security in global_defs: scripts run even when a non-root user could modify them, as in keepalived (enable-script-security false; vrrpd's own default is true)");
}
