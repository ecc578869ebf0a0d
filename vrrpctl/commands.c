/* Everything driven by vrrpctl's one command table (cmd_table.c; see
 * commands.h). Like BIRD's client/commands.h, the table carries every
 * keyword, argument hint and one-line help; the parser, `?`, Tab
 * completion and `help` here all read it. */
#include "cmd_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vaddr.h"

static size_t n_toks(const struct cli_cmd *c)
{
	size_t n = 0;

	while (n < CLI_MAX_TOKS && c->toks[n].word)
		n++;
	return n;
}

static bool is_prefix(const char *w, const char *full)
{
	return *w && strncmp(w, full, strlen(w)) == 0;
}

/* A word typed in full that is a keyword at this position in some command
 * selects that keyword: "show instance" is not "show instances". */
static bool exact_elsewhere(size_t k, const char *w)
{
	for (size_t i = 0; i < cli_table_len; i++) {
		const struct cli_tok *t = &cli_table[i].toks[k];

		if (k < CLI_MAX_TOKS && t->word && t->kind == CLI_KW &&
		    strcmp(t->word, w) == 0)
			return true;
	}
	return false;
}

static bool kw_matches(size_t k, const char *w, const char *kw)
{
	if (strcmp(w, kw) == 0)
		return true;
	return is_prefix(w, kw) && !exact_elsewhere(k, w);
}

/* ---- splitting ---------------------------------------------------------- */

int cli_split(char *buf, char **words, size_t max, char *err, size_t errlen)
{
	size_t n = 0;
	char *p = buf, *out;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (n == max) {
			snprintf(err, errlen, "too many words");
			return -1;
		}
		words[n++] = out = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
			if (*p == '"') {
				char *q = strchr(p + 1, '"');

				if (!q) {
					snprintf(err, errlen, "unterminated quote");
					return -1;
				}
				memmove(out, p + 1, (size_t)(q - p - 1));
				out += q - p - 1;
				p = q + 1;
			} else {
				*out++ = *p++;
			}
		}
		if (*p)
			p++;
		*out = '\0';
	}
	return (int)n;
}

/* ---- values ------------------------------------------------------------- */

/* Exact or unique-prefix match in a NULL-terminated list; -2 if ambiguous. */
static int lookup(const char *w, const char *const *list)
{
	int found = -1;

	for (int i = 0; list[i]; i++) {
		if (strcmp(w, list[i]) == 0)
			return i;
		if (is_prefix(w, list[i]))
			found = found == -1 ? i : -2;
	}
	return found;
}

/* Check a value; *norm gets the canonical spelling (static or w). */
static int check_value(const struct cli_opt *o, const char *w, const char **norm,
		       char *err, size_t errlen)
{
	char *end;
	long v;
	int i;

	*norm = w;
	switch (o->kind) {
	case CLI_UINT:
		v = strtol(w, &end, 10);
		if (*w < '0' || *w > '9' || *end || v < o->min || v > o->max) {
			snprintf(err, errlen, "%s: expected a number %ld-%ld, got \"%s\"",
				 o->kw, o->min, o->max, w);
			return -1;
		}
		return 0;
	case CLI_INT:
		v = strtol(w, &end, 10);
		if (!((*w >= '0' && *w <= '9') || (*w == '-' && w[1] >= '0' && w[1] <= '9')) ||
		    *end || v < o->min || v > o->max) {
			snprintf(err, errlen, "%s: expected a number %ld..%ld, got \"%s\"",
				 o->kw, o->min, o->max, w);
			return -1;
		}
		return 0;
	case CLI_BOOL:
		if (!strcmp(w, "on") || !strcmp(w, "yes"))
			w = "true";
		else if (!strcmp(w, "off") || !strcmp(w, "no"))
			w = "false";
		/* fall through */
	case CLI_ENUM:
		i = lookup(w, o->values);
		if (i == -2) {
			char cands[128] = "";

			for (int k = 0; o->values[k]; k++)
				if (is_prefix(w, o->values[k]))
					snprintf(cands + strlen(cands),
						 sizeof(cands) - strlen(cands), "%s%s",
						 cands[0] ? ", " : "", o->values[k]);
			snprintf(err, errlen, "%s: ambiguous value \"%s\": %s", o->kw, w,
				 cands);
			return -1;
		}
		if (i < 0) {
			char all[128] = "";

			for (int k = 0; o->values[k]; k++)
				snprintf(all + strlen(all), sizeof(all) - strlen(all),
					 "%s%s", k ? "|" : "", o->values[k]);
			snprintf(err, errlen, "%s: expected %s, got \"%s\"", o->kw, all, w);
			return -1;
		}
		*norm = o->values[i];
		return 0;
	case CLI_ADDR: {
		struct vaddr a;
		int plen;

		if (vaddr_parse(w, &a, o->repeat ? &plen : NULL) < 0) {
			snprintf(err, errlen, "%s: \"%s\" is not an IP address%s", o->kw, w,
				 o->repeat ? " (optionally /prefix)" : "");
			return -1;
		}
		return 0;
	}
	default:
		return 0;
	}
}

static const struct cli_opt *find_opt(const struct cli_opt *opts, const char *w,
				      bool *ambiguous)
{
	const struct cli_opt *found = NULL;

	*ambiguous = false;
	for (const struct cli_opt *o = opts; o->kw; o++) {
		if (strcmp(w, o->kw) == 0) {
			*ambiguous = false;
			return o;
		}
		if (is_prefix(w, o->kw)) {
			*ambiguous = found != NULL;
			found = o;
		}
	}
	return *ambiguous ? NULL : found;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "address, address-family": the options w abbreviates, sorted. */
static void opt_candidates(const struct cli_opt *opts, const char *w, char *buf,
			   size_t len)
{
	const char *kw[CLI_MAX_OPTS];
	size_t n = 0;

	for (const struct cli_opt *o = opts; o->kw && n < CLI_MAX_OPTS; o++)
		if (is_prefix(w, o->kw))
			kw[n++] = o->kw;
	qsort(kw, n, sizeof(kw[0]), cmp_str);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "", kw[i]);
}

/* ---- parsing ------------------------------------------------------------ */

struct attempt {
	struct cli_parsed p;
	size_t reached;   /* words consumed before failing: best error wins */
	int exact;        /* keywords matched exactly */
	char err[256];
};

static int parse_opts(const struct cli_tok *t, char **w, size_t n, size_t i,
		      struct attempt *a)
{
	while (i < n) {
		bool amb;
		const struct cli_opt *o = find_opt(t->opts, w[i], &amb);

		/* A known option word is consumed: its error beats a keyword
		 * another command expected here. */
		a->reached = o ? i + 1 : i;
		if (!o) {
			char cands[160] = "";

			if (amb)
				opt_candidates(t->opts, w[i], cands, sizeof(cands));
			snprintf(a->err, sizeof(a->err), "%s option \"%s\"%s%s",
				 amb ? "ambiguous" : "unknown", w[i], amb ? ": " : "", cands);
			return -1;
		}
		if (!o->repeat) {
			for (size_t k = 0; k < a->p.n_opts; k++) {
				if (a->p.opts[k].opt == o) {
					snprintf(a->err, sizeof(a->err),
						 "%s given twice", o->kw);
					return -1;
				}
			}
		}
		if (i + 1 >= n) {
			snprintf(a->err, sizeof(a->err), "%s: missing value %s", o->kw,
				 o->hint ? o->hint : "");
			return -1;
		}
		if (a->p.n_opts == CLI_MAX_OPTS) {
			snprintf(a->err, sizeof(a->err), "too many options");
			return -1;
		}
		if (check_value(o, w[i + 1], &a->p.opts[a->p.n_opts].value, a->err,
				sizeof(a->err)) < 0) {
			a->reached = i + 1;
			return -1;
		}
		a->p.opts[a->p.n_opts++].opt = o;
		i += 2;
	}
	a->reached = n;
	return 0;
}

static int check_required(const struct cli_cmd *c, const struct cli_tok *t,
			  struct attempt *a)
{
	if (!t->optional && a->p.n_opts == 0) {
		const struct cli_opt *e = t->opts;

		/* the instance's example is its priority */
		for (const struct cli_opt *o = t->opts; o->kw; o++)
			if (!strcmp(o->kw, "priority"))
				e = o;
		snprintf(a->err, sizeof(a->err), "expected at least one setting, e.g. "
			 "%s %s", e->kw, e->hint ? e->hint : "VALUE");
		return -1;
	}
	for (const char *const *r = c->required; r && *r; r++) {
		bool have = false;

		for (size_t k = 0; k < a->p.n_opts; k++)
			have = have || strcmp(a->p.opts[k].opt->kw, *r) == 0;
		if (!have) {
			snprintf(a->err, sizeof(a->err), "missing %s", *r);
			return -1;
		}
	}
	return 0;
}

static int try_cmd(const struct cli_cmd *c, char **w, size_t n, struct attempt *a)
{
	size_t nt = n_toks(c), i = 0;

	memset(a, 0, sizeof(*a));
	a->p.cmd = c;
	for (size_t k = 0; k < nt; k++) {
		const struct cli_tok *t = &c->toks[k];

		a->reached = i;
		if (t->kind == CLI_OPTIONS) {
			if (parse_opts(t, w, n, i, a) < 0)
				return -1;
			return check_required(c, t, a);
		}
		if (i == n) {
			if (t->optional)
				return 0;
			snprintf(a->err, sizeof(a->err), "incomplete command: expected %s%s%s",
				 t->kind == CLI_KW ? "" : "<", t->word,
				 t->kind == CLI_KW ? "" : ">");
			return -1;
		}
		if (t->kind == CLI_KW) {
			if (!kw_matches(k, w[i], t->word)) {
				snprintf(a->err, sizeof(a->err), "unknown word \"%s\"", w[i]);
				return -1;
			}
			a->exact += strcmp(w[i], t->word) == 0;
		} else if (!a->p.arg) {
			a->p.arg = w[i];
		} else {
			a->p.arg2 = w[i];
		}
		i++;
	}
	a->reached = i;
	if (i < n) {
		snprintf(a->err, sizeof(a->err), "unexpected \"%s\"", w[i]);
		return -1;
	}
	return 0;
}

/* The verb (first word) must be unambiguous by itself: "s" could be save,
 * set or show, and guessing a verb that changes things is not acceptable.
 * Later keywords are resolved by what parses ("sh inst VI_1"). */
static const char *resolve_verb(const char *w, char *err, size_t errlen)
{
	const char *found = NULL;
	char list[256] = "";
	int count = 0;

	for (size_t i = 0; i < cli_table_len; i++)
		if (strcmp(w, cli_table[i].toks[0].word) == 0)
			return cli_table[i].toks[0].word;
	for (size_t i = 0; i < cli_table_len; i++) {
		const char *v = cli_table[i].toks[0].word;

		if (!is_prefix(w, v) || (found && strcmp(found, v) == 0))
			continue;
		/* Commands sharing a verb are adjacent in the table. */
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 count ? ", " : "", v);
		found = v;
		count++;
	}
	if (count == 1)
		return found;
	if (count == 0)
		snprintf(err, errlen, "unknown command \"%s\" (try help or ?)", w);
	else
		snprintf(err, errlen, "ambiguous command \"%s\": %s", w, list);
	return NULL;
}

/* Several commands parse equally well: name them all. */
static void tied_commands(const char *verb, char **words, size_t n, int exact,
			  char *err, size_t errlen)
{
	struct attempt a;
	size_t off;

	off = (size_t)snprintf(err, errlen, "ambiguous command; type more of each word:");
	for (size_t i = 0; i < cli_table_len && off < errlen; i++) {
		char syn[128];

		if (strcmp(cli_table[i].toks[0].word, verb) != 0 ||
		    try_cmd(&cli_table[i], words, n, &a) < 0 || a.exact != exact)
			continue;
		cli_syntax(&cli_table[i], syn, sizeof(syn));
		off += (size_t)snprintf(err + off, errlen - off, "%s %s",
					err[off - 1] == ':' ? "" : ",", syn);
	}
}

int cli_parse(char **words, size_t n, struct cli_parsed *out, char *err,
	      size_t errlen)
{
	struct attempt a, best_ok = { .exact = 0 }, best_fail;
	const char *verb;
	int n_ok = 0, n_fail = 0, tie = 0;

	if (n == 0) {
		snprintf(err, errlen, "empty command");
		return -1;
	}
	verb = resolve_verb(words[0], err, errlen);
	if (!verb)
		return -1;
	memset(&best_fail, 0, sizeof(best_fail));
	best_fail.reached = 0;
	snprintf(best_fail.err, sizeof(best_fail.err), "incomplete command");
	for (size_t i = 0; i < cli_table_len; i++) {
		if (strcmp(cli_table[i].toks[0].word, verb) != 0)
			continue;
		if (try_cmd(&cli_table[i], words, n, &a) == 0) {
			if (n_ok == 0 || a.exact > best_ok.exact) {
				best_ok = a;
				tie = 0;
			} else if (a.exact == best_ok.exact) {
				tie = 1;
			}
			n_ok++;
		} else if (!n_fail++ || a.reached > best_fail.reached) {
			/* on a tie the first in the table speaks: set instance
			 * N OPTION before set instance N track ... */
			best_fail = a;
		}
	}
	if (n_ok == 0) {
		snprintf(err, errlen, "%s", best_fail.err);
		return -1;
	}
	if (tie) {
		tied_commands(verb, words, n, best_ok.exact, err, errlen);
		return -1;
	}
	*out = best_ok.p;
	return 0;
}

/* ---- candidates --------------------------------------------------------- */

struct cands {
	struct cli_cand *out;
	size_t n, max;
	const char *partial;
};

static void add(struct cands *cs, const char *text, const char *help, bool hint)
{
	if (!hint && !is_prefix(cs->partial, text) && *cs->partial)
		return;
	/* Half a word typed: the line is not complete as it stands. */
	if (hint && *cs->partial && strcmp(text, "<cr>") == 0)
		return;
	for (size_t i = 0; i < cs->n; i++)
		if (strcmp(cs->out[i].text, text) == 0)
			return;
	if (cs->n == cs->max)
		return;
	snprintf(cs->out[cs->n].text, sizeof(cs->out[cs->n].text), "%s", text);
	cs->out[cs->n].help = help;
	cs->out[cs->n].hint = hint;
	cs->n++;
}

static void add_dynamic(struct cands *cs, const struct cli_env *env,
			const struct cli_cmd *c, enum cli_kind kind, const char *hint,
			const char *help)
{
	char names[256][64];
	size_t n = 0;

	if (env && kind == CLI_INSTANCE && env->instances)
		n = env->instances(env->arg, names, 256);
	else if (env && kind == CLI_IFNAME && env->ifnames)
		n = env->ifnames(env->arg, names, 256);
	else if (env && kind == CLI_TRACKER && env->trackers && c->type)
		n = env->trackers(env->arg, c->type, names, 256);
	else if (env && kind == CLI_GROUP && env->groups)
		n = env->groups(env->arg, names, 256);
	for (size_t i = 0; i < n; i++)
		add(cs, names[i], help, false);
	if (hint)
		add(cs, hint, help, true);
}

static void add_value_cands(struct cands *cs, const struct cli_env *env,
			    const struct cli_cmd *c, const struct cli_opt *o)
{
	if (o->values) {
		for (int i = 0; o->values[i]; i++)
			add(cs, o->values[i], o->help, false);
		return;
	}
	add_dynamic(cs, env, c, o->kind, o->hint, o->help);
}

static void cands_in_opts(struct cands *cs, const struct cli_env *env,
			  const struct cli_cmd *c, const struct cli_tok *t,
			  char **w, size_t n, size_t i)
{
	struct attempt a;
	const struct cli_opt *given[CLI_MAX_OPTS];
	size_t ng = 0;

	/* Walk the complete pairs; an odd word out means a value is due. */
	while (i < n) {
		bool amb;
		const struct cli_opt *o = find_opt(t->opts, w[i], &amb);

		if (!o)
			return;
		if (i + 1 == n) {
			add_value_cands(cs, env, c, o);
			return;
		}
		if (ng < CLI_MAX_OPTS)
			given[ng++] = o;
		i += 2;
	}
	for (const struct cli_opt *o = t->opts; o->kw; o++) {
		bool dup = false;

		for (size_t k = 0; k < ng && !o->repeat; k++)
			dup = dup || given[k] == o;
		if (!dup)
			add(cs, o->kw, o->help, false);
	}
	/* Complete already? Offer <cr>. */
	if (try_cmd(c, w, n, &a) == 0)
		add(cs, "<cr>", "Run the command", true);
}

static void cands_for_cmd(struct cands *cs, const struct cli_env *env,
			  const struct cli_cmd *c, char **w, size_t n)
{
	size_t nt = n_toks(c), i = 0;

	for (size_t k = 0; k < nt; k++) {
		const struct cli_tok *t = &c->toks[k];

		if (t->kind == CLI_OPTIONS) {
			cands_in_opts(cs, env, c, t, w, n, i);
			return;
		}
		if (i == n) {
			if (t->kind == CLI_KW) {
				add(cs, t->word, t->help, false);
			} else {
				char hint[64];

				snprintf(hint, sizeof(hint), "<%s>", t->word);
				add_dynamic(cs, env, c, t->kind, hint, t->help);
			}
			if (t->optional)
				add(cs, "<cr>", "Run the command", true);
			return;
		}
		if (t->kind == CLI_KW && !kw_matches(k, w[i], t->word))
			return;
		if (k == 0 && strcmp(w[i], t->word) != 0) {
			/* The verb must be unambiguous (see resolve_verb). */
			char err[8];
			const char *v = resolve_verb(w[i], err, sizeof(err));

			if (!v || strcmp(v, t->word) != 0)
				return;
		}
		i++;
	}
	if (i == n)
		add(cs, "<cr>", "Run the command", true);
}

size_t cli_candidates(const struct cli_env *env, char **words, size_t n,
		      const char *partial, struct cli_cand *out, size_t max)
{
	struct cands cs = { out, 0, max, partial ? partial : "" };

	for (size_t i = 0; i < cli_table_len; i++)
		cands_for_cmd(&cs, env, &cli_table[i], words, n);
	return cs.n;
}

/* ---- requests ----------------------------------------------------------- */

static json_object *value_json(const struct cli_opt *o, const char *v)
{
	switch (o->kind) {
	case CLI_UINT:
	case CLI_INT:
		return json_object_new_int((int)strtol(v, NULL, 10));
	case CLI_BOOL:
		return json_object_new_boolean(strcmp(v, "true") == 0);
	default:
		return json_object_new_string(v);
	}
}

static void add_opts(const struct cli_parsed *p, json_object *params)
{
	for (size_t i = 0; i < p->n_opts; i++) {
		const struct cli_opt *o = p->opts[i].opt;
		json_object *v = value_json(o, p->opts[i].value), *arr;

		if (!o->repeat) {
			json_object_object_add(params, o->member, v);
			continue;
		}
		if (!json_object_object_get_ex(params, o->member, &arr)) {
			arr = json_object_new_array();
			json_object_object_add(params, o->member, arr);
		}
		json_object_array_add(arr, v);
	}
}

int cli_request(const struct cli_parsed *p, const char **method,
		json_object **params, char *err, size_t errlen)
{
	*method = p->cmd->method;
	if (!*method) {
		if (err && errlen)
			err[0] = '\0';
		return -1;
	}
	*params = json_object_new_object();
	if (p->arg && p->cmd->arg_key)
		json_object_object_add(*params, p->cmd->arg_key,
				       json_object_new_string(p->arg));
	if (p->arg2 && p->cmd->arg2_key)
		json_object_object_add(*params, p->cmd->arg2_key,
				       json_object_new_string(p->arg2));
	if (p->cmd->type)
		json_object_object_add(*params, "type", json_object_new_string(p->cmd->type));
	add_opts(p, *params);
	return 0;
}

void cli_syntax(const struct cli_cmd *c, char *buf, size_t len)
{
	size_t nt = n_toks(c), off = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < nt && off < len; k++) {
		const struct cli_tok *t = &c->toks[k];
		const char *fmt = t->kind == CLI_KW ? "%s%s" :
				  t->kind == CLI_OPTIONS ? "%s[%s VALUE]..." :
				  t->optional ? "%s[%s]" : "%s<%s>";

		if (t->kind == CLI_OPTIONS && c->required) {
			for (const char *const *r = c->required; *r && off < len; r++) {
				bool amb;
				const struct cli_opt *o = find_opt(t->opts, *r, &amb);
				off += (size_t)snprintf(buf + off, len - off, "%s%s %s",
							off ? " " : "", *r,
							o && o->hint ? o->hint : "VALUE");
			}
		}
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off, fmt, off ? " " : "",
						t->word);
	}
}
