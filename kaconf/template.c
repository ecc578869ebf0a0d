/* keepalived's configuration language: conditionals, parameters and
 * sequences (see keepalived_tmpl.h). Each rule follows the ADVANCED
 * CONFIGURATION section of keepalived.conf(5) for keepalived 2.2.7; what it
 * does not describe is refused or warned about, never guessed: a reference
 * to an undefined parameter stays as written (keepalived's rule, so a '$' in
 * a script is left alone) but is reported, since `interface $IF` left as
 * "$IF" is otherwise a silent mis-conversion. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "keepalived_lex.h"
#include "keepalived_tmpl.h"

/* Output of all expansions of one import. keepalived's own example of
 * 65,024 instances from one ~SEQ line is ~20 MB; 16 MiB leaves room for
 * thousands of instances and stops a sequence that would exhaust memory. */
#define KA_EXPANDED_MAX (16u << 20)
/* Substitution and sequence nesting: keepalived's examples nest three
 * deep; 32 stops a parameter that refers to itself. */
#define KA_TMPL_DEPTH_MAX 32
#define KA_PARAM_NAME_MAX 64

struct sbuf {
	char *s;
	size_t len, cap;
};

static int sbuf_add(struct sbuf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s)
			return -1;
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

struct line_ctx {
	struct ka_template *t;
	const char *file;
	unsigned line;
	struct sbuf *out;
};

static bool name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static size_t name_len(const char *p)
{
	size_t n = 0;
	if (!name_start(p[0]))
		return 0;
	while (name_char(p[n]))
		n++;
	return n;
}

static struct ka_param *param_find(struct ka_template *t, const char *name,
				   size_t n)
{
	for (size_t i = 0; i < t->n_params; i++)
		if (strlen(t->params[i].name) == n &&
		    !memcmp(t->params[i].name, name, n))
			return &t->params[i];
	return NULL;
}

static int param_set(struct ka_template *t, const char *name, size_t n,
		     const char *value, size_t vlen)
{
	char *v = strndup(value, vlen);
	if (!v)
		return -1;
	struct ka_param *p = param_find(t, name, n);
	if (p) {
		free(p->value);
		p->value = v;
		return 0;
	}
	struct ka_param *np =
		realloc(t->params, (t->n_params + 1) * sizeof(*np));
	char *nm = strndup(name, n);
	if (!np || !nm) {
		if (np)
			t->params = np;
		free(nm);
		free(v);
		return -1;
	}
	t->params = np;
	np[t->n_params++] = (struct ka_param){.name = nm, .value = v};
	return 0;
}

/* The value of a parameter, predefined ones included; NULL: undefined.
 * *tmp receives a malloc'd value the caller frees. */
static const char *param_value(const struct line_ctx *lc, const char *name,
			       size_t n, char **tmp)
{
	*tmp = NULL;
	if (n == 4 && !memcmp(name, "_PWD", 4)) {
		const char *slash = strrchr(lc->file, '/');
		*tmp = !slash ? strdup(".")
		       : slash == lc->file
			       ? strdup("/")
			       : strndup(lc->file, (size_t)(slash - lc->file));
		return *tmp;
	}
	if (n == 9 && !memcmp(name, "_INSTANCE", 9))
		return lc->t->config_id;
	struct ka_param *p = param_find(lc->t, name, n);
	return p ? p->value : NULL;
}

/* One pass of keepalived's replace_param(): `${NAME}` anywhere, `$NAME`
 * followed by white space or the end of the line. Undefined references
 * stay. Returns 1 if something was replaced, 0 if not, -1 out of memory,
 * -2 when the result would pass the expansion bound. */
static int substitute(const struct line_ctx *lc, const char *in,
		      struct sbuf *res)
{
	int changed = 0;
	const char *p = in;
	while (*p) {
		const char *d = strchr(p, '$');
		if (!d)
			d = p + strlen(p);
		if (sbuf_add(res, p, (size_t)(d - p)) < 0)
			return -1;
		if (!*d)
			break;
		bool braced = d[1] == '{';
		const char *nm = d + 1 + braced;
		size_t n = name_len(nm);
		bool ends = braced ? nm[n] == '}'
				   : (nm[n] == '\0' || isspace((unsigned char)nm[n]));
		char *tmp;
		const char *v = n && ends ? param_value(lc, nm, n, &tmp) : NULL;
		if (!v) {
			if (sbuf_add(res, d, 1) < 0)
				return -1;
			p = d + 1;
			continue;
		}
		size_t vlen = strlen(v);
		if (lc->t->expanded_bytes + res->len + vlen > KA_EXPANDED_MAX) {
			/* parameters that multiply each other (a "billion
			 * laughs") are stopped before memory runs out */
			free(tmp);
			return -2;
		}
		int rc = sbuf_add(res, v, vlen);
		free(tmp);
		if (rc < 0)
			return -1;
		changed = 1;
		p = nm + n + braced;
	}
	if (!res->s && sbuf_add(res, "", 0) < 0)
		return -1;
	return changed;
}

/* A line whose references are all undefined goes out as written, with one
 * warning per reference. */
static void warn_undefined(const struct line_ctx *lc, const char *text)
{
	for (const char *d = strchr(text, '$'); d; d = strchr(d + 1, '$')) {
		bool braced = d[1] == '{';
		size_t n = name_len(d + 1 + braced);
		if (!n)
			continue;
		ka_warn(lc->t->r, lc->file, lc->line,
			"'$%s%.*s%s' is not a defined parameter; kept as written, as keepalived does",
			braced ? "{" : "", (int)n, d + 1 + braced,
			braced ? "}" : "");
	}
}

static int process(const struct line_ctx *lc, const char *text,
		   unsigned depth);

/* `~SEQ(VAR, [START, [STEP,]] END) REST`: REST once per value of VAR. */
static int sequence(const struct line_ctx *lc, const char *text,
		    unsigned depth)
{
	bool hex = text[4] == 'x';
	const char *open = text + 4 + hex;
	const char *close = strchr(open, ')');
	char args[128];
	if (*open != '(' || !close || (size_t)(close - open) >= sizeof(args))
		goto bad;
	memcpy(args, open + 1, (size_t)(close - open - 1));
	args[close - open - 1] = '\0';
	char *fields[5];
	size_t nf = 0;
	for (char *save, *f = strtok_r(args, ",", &save); f && nf < 5;
	     f = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*f))
			f++;
		char *e = f + strlen(f);
		while (e > f && isspace((unsigned char)e[-1]))
			*--e = '\0';
		fields[nf++] = f;
	}
	if (nf < 2 || nf > 4 || name_len(fields[0]) != strlen(fields[0]))
		goto bad;
	long num[3];
	for (size_t i = 1; i < nf; i++) {
		char *end;
		errno = 0;
		num[i - 1] = strtol(fields[i], &end, 0);
		if (errno || end == fields[i] || *end)
			goto bad;
	}
	long end = num[nf - 2];
	long start = nf >= 3 ? num[0] : (end > 0 ? 1 : -1);
	long step = nf == 4 ? num[1] : (end >= start ? 1 : -1);
	if (step == 0 || (step > 0 && start > end) || (step < 0 && start < end)) {
		ka_error(lc->t->r, lc->file, lc->line,
			 "~SEQ: the sequence from %ld by %ld never reaches %ld",
			 start, step, end);
		return -1;
	}
	const char *rest = close + 1;
	for (long v = start;;) {
		char val[32];
		snprintf(val, sizeof(val), hex ? "%lx" : "%ld", v);
		if (param_set(lc->t, fields[0], strlen(fields[0]), val,
			      strlen(val)) < 0) {
			ka_error(lc->t->r, lc->file, lc->line, "out of memory");
			return -1;
		}
		if (process(lc, rest, depth + 1) < 0)
			return -1;
		long next;
		if (__builtin_add_overflow(v, step, &next) ||
		    (step > 0 ? next > end : next < end))
			break;
		v = next;
	}
	return 0;
bad:
	ka_error(lc->t->r, lc->file, lc->line,
		 "~SEQ: expected ~SEQ(VAR, END), ~SEQ(VAR, START, END) or ~SEQ(VAR, START, STEP, END) with integers");
	return -1;
}

static int emit(const struct line_ctx *lc, const char *text)
{
	size_t n = strlen(text);
	if (lc->t->expanded_bytes + n + 1 > KA_EXPANDED_MAX) {
		ka_error(lc->t->r, lc->file, lc->line,
			 "the configuration expands to more than %u MiB (a ~SEQ or parameter that grows without end?)",
			 KA_EXPANDED_MAX >> 20);
		return -1;
	}
	lc->t->expanded_bytes += n + 1;
	if (sbuf_add(lc->out, text, n) < 0 || sbuf_add(lc->out, "\n", 1) < 0) {
		ka_error(lc->t->r, lc->file, lc->line, "out of memory");
		return -1;
	}
	return 0;
}

/* `@ID REST` keeps REST when ID is the config id, `@^ID REST` when it is
 * not. Returns REST, or NULL when the line is dropped. */
static const char *conditional(const struct line_ctx *lc, const char *p)
{
	bool negate = p[1] == '^';
	const char *id = p + 1 + negate;
	size_t n = 0;
	while (id[n] && !isspace((unsigned char)id[n]))
		n++;
	const char *cid = lc->t->config_id ? lc->t->config_id : "";
	bool match = strlen(cid) == n && !memcmp(cid, id, n);
	if (match == negate)
		return NULL;
	p = id + n;
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* One line through keepalived's order: conditional, definition, sequence,
 * substitution (whose result is read again, line by line, as keepalived
 * reads a multiline parameter), output. */
static int process(const struct line_ctx *lc, const char *text,
		   unsigned depth)
{
	if (depth > KA_TMPL_DEPTH_MAX) {
		ka_error(lc->t->r, lc->file, lc->line,
			 "parameters or ~SEQ nested deeper than %u (a parameter that refers to itself?)",
			 KA_TMPL_DEPTH_MAX);
		return -1;
	}
	const char *p = text;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '@' && !(p = conditional(lc, p)))
		return 0;
	size_t n = *p == '$' ? name_len(p + 1) : 0;
	if (n && p[1 + n] == '=') {
		if (n >= KA_PARAM_NAME_MAX) {
			ka_error(lc->t->r, lc->file, lc->line,
				 "parameter names are limited to %d characters",
				 KA_PARAM_NAME_MAX - 1);
			return -1;
		}
		const char *v = p + 2 + n;
		while (isspace((unsigned char)*v) && *v != '\n')
			v++;
		if (param_set(lc->t, p + 1, n, v, strlen(v)) < 0) {
			ka_error(lc->t->r, lc->file, lc->line, "out of memory");
			return -1;
		}
		return 0;
	}
	if (!strncmp(p, "~SEQ(", 5) || !strncmp(p, "~SEQx(", 6))
		return sequence(lc, p, depth);
	if (*p == '~' && isupper((unsigned char)p[1])) {
		/* ~LST and whatever later versions add: dropping the line would
		 * silently lose configuration. */
		ka_error(lc->t->r, lc->file, lc->line,
			 "'%.*s' lines are not supported by vrrpd's importer; only ~SEQ and ~SEQx",
			 (int)strcspn(p, "( \t"), p);
		return -1;
	}
	struct sbuf res = {0};
	int changed = substitute(lc, p, &res);
	int rc = 0;
	if (changed == -2) {
		ka_error(lc->t->r, lc->file, lc->line,
			 "the configuration expands to more than %u MiB (a ~SEQ or parameter that grows without end?)",
			 KA_EXPANDED_MAX >> 20);
		rc = -1;
	} else if (changed < 0) {
		ka_error(lc->t->r, lc->file, lc->line, "out of memory");
		rc = -1;
	} else if (changed) {
		for (char *save, *l = strtok_r(res.s, "\n", &save);
		     l && rc == 0; l = strtok_r(NULL, "\n", &save))
			rc = process(lc, l, depth + 1);
	} else {
		warn_undefined(lc, p);
		rc = emit(lc, p);
	}
	free(res.s);
	return rc;
}

/* The next raw line without its comment ('#' or '!' outside double quotes
 * up to the end of the line) and trailing white space. */
static char *raw_line(struct ka_src *src)
{
	const char *b = src->buf + src->pos;
	const char *nl = memchr(b, '\n', src->len - src->pos);
	size_t n = nl ? (size_t)(nl - b) : src->len - src->pos;
	src->pos += n + (nl != NULL);
	src->line++;
	bool quoted = false;
	size_t keep = 0;
	while (keep < n && (quoted || (b[keep] != '#' && b[keep] != '!'))) {
		if (b[keep] == '"')
			quoted = !quoted;
		keep++;
	}
	while (keep > 0 && isspace((unsigned char)b[keep - 1]))
		keep--;
	return strndup(b, keep);
}

static bool continued(char *line)
{
	size_t n = strlen(line);
	if (!n || line[n - 1] != '\\')
		return false;
	line[--n] = '\0';
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	return true;
}

/* A `$NAME=` line ending in '\' continues on the next lines up to one that
 * does not (keepalived's multiline definition); the pieces are kept as
 * lines of the value. */
static char *logical_line(struct ka_src *src)
{
	char *first = raw_line(src);
	if (!first)
		return NULL;
	const char *p = first + strspn(first, " \t");
	if (*p == '@')
		p += strcspn(p, " \t"), p += strspn(p, " \t");
	size_t n = *p == '$' ? name_len(p + 1) : 0;
	if (!n || p[1 + n] != '=' || !continued(first))
		return first;
	struct sbuf b = {0};
	bool more = true;
	if (sbuf_add(&b, first, strlen(first)) < 0)
		more = false;
	free(first);
	while (more && src->pos < src->len) {
		char *next = raw_line(src);
		if (!next) {
			free(b.s);
			return NULL;
		}
		more = continued(next);
		char *s = next + strspn(next, " \t");
		if (b.s && b.s[strlen(b.s) - 1] != '=' &&
		    sbuf_add(&b, "\n", 1) < 0)
			more = false;
		if (sbuf_add(&b, s, strlen(s)) < 0)
			more = false;
		free(next);
	}
	return b.s;
}

int ka_template_next(struct ka_template *t, struct ka_src *src, char **out,
		     size_t *out_len, unsigned *line)
{
	*out = NULL;
	*out_len = 0;
	if (src->pos >= src->len)
		return 0;
	unsigned first = src->line + 1;
	char *text = logical_line(src);
	if (!text) {
		ka_error(t->r, src->file, first, "out of memory");
		return -1;
	}
	struct sbuf b = {0};
	struct line_ctx lc = {.t = t, .file = src->file, .line = first,
			      .out = &b};
	int rc = process(&lc, text, 0);
	free(text);
	if (rc < 0) {
		free(b.s);
		return -1;
	}
	if (!b.s && sbuf_add(&b, "", 0) < 0) {
		ka_error(t->r, src->file, first, "out of memory");
		return -1;
	}
	*out = b.s;
	*out_len = b.len;
	*line = first;
	return 1;
}

void ka_template_free(struct ka_template *t)
{
	for (size_t i = 0; i < t->n_params; i++) {
		free(t->params[i].name);
		free(t->params[i].value);
	}
	free(t->params);
	t->params = NULL;
	t->n_params = 0;
}
