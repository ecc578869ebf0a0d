/* Configuration lines and their diff (cfglines.h). */
#include "cfglines_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Generated from yang/vrrpd.yang (scripts/gen-cli-opts.c --keywords): the
 * same keywords the shell parses. */
#include "gen/cfg_keywords.inc"

#define N_KW (sizeof(cfgl_keywords) / sizeof(cfgl_keywords[0]) - 1)

const struct cfgl_kw *cfgl_kw_at(size_t i)
{
	return i < N_KW ? &cfgl_keywords[i] : NULL;
}
#define TOP "vrrpd:vrrpd"

int cfgl_kw_index(const char *member)
{
	for (size_t i = 0; i < N_KW; i++)
		if (strcmp(cfgl_keywords[i].member, member) == 0)
			return (int)i;
	return -1;
}

/* ---- a growing string ---------------------------------------------------- */


void cfgl_put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		char *ns;

		while (cap < b->len + n + 1)
			cap *= 2;
		ns = realloc(b->s, cap);
		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void cfgl_puts(struct buf *b, const char *s)
{
	cfgl_put(b, s, strlen(s));
}

/* A value as the shell reads it: words with blanks or quotes are quoted
 * (cli_split groups "double quoted" text). */
void cfgl_put_word(struct buf *b, const char *s)
{
	if (*s && !strpbrk(s, " \t\"#")) {
		cfgl_puts(b, s);
		return;
	}
	cfgl_puts(b, "\"");
	for (; *s; s++)
		cfgl_put(b, *s == '"' ? "'" : s, 1);
	cfgl_puts(b, "\"");
}

void cfgl_put_scalar(struct buf *b, json_object *v)
{
	char num[32];

	switch (json_object_get_type(v)) {
	case json_type_boolean:
		cfgl_puts(b, json_object_get_boolean(v) ? "true" : "false");
		break;
	case json_type_int:
		snprintf(num, sizeof(num), "%lld", (long long)json_object_get_int64(v));
		cfgl_puts(b, num);
		break;
	case json_type_string:
		cfgl_put_word(b, json_object_get_string(v));
		break;
	default:
		cfgl_put_word(b, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		break;
	}
}

/* ---- building ------------------------------------------------------------ */

int cfgl_add_line(struct cfgl *l, struct buf *b, int section, const char *inst,
		    int kw, const char *tie)
{
	struct cfgl_line *ln;

	if (b->oom || !b->s)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct cfgl_line *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	ln = &l->v[l->n];
	ln->text = b->s;
	ln->section = section;
	ln->inst = inst;
	ln->kw = kw;
	ln->tie = strdup(tie ? tie : "");
	if (!ln->tie)
		return -1;
	l->n++;
	b->s = NULL;
	b->len = b->cap = 0;
	return 0;
}

static void line_start(struct buf *b, bool comment, const char *inst)
{
	cfgl_puts(b, comment ? "# set instance " : "set instance ");
	cfgl_put_word(b, inst);
	cfgl_puts(b, " ");
}

/* One entry of a list the shell writes as its address ("A/P" for a VIP);
 * members beyond the shorthand make a comment line. */
static int list_entry(struct cfgl *l, struct buf *b, const char *inst, int kw,
		      json_object *e)
{
	json_object *a = NULL, *p = NULL;
	struct buf extra = { 0 };
	bool has_extra = false;

	if (!json_object_is_type(e, json_type_object)) {
		cfgl_put_scalar(b, e);
		return 0;
	}
	json_object_object_get_ex(e, "address", &a);
	json_object_object_get_ex(e, "prefix-length", &p);
	if (a)
		cfgl_put_scalar(b, a);
	if (a && p) {
		cfgl_puts(b, "/");
		cfgl_put_scalar(b, p);
	}
	json_object_object_foreach(e, key, val) {
		if (!strcmp(key, "address") || !strcmp(key, "prefix-length"))
			continue;
		if (!has_extra) {
			line_start(&extra, true, inst);
			cfgl_puts(&extra, cfgl_keywords[kw].kw);
			cfgl_puts(&extra, " ");
			if (a)
				cfgl_put_scalar(&extra, a);
			has_extra = true;
		}
		cfgl_puts(&extra, " ");
		cfgl_puts(&extra, key);
		cfgl_puts(&extra, " ");
		cfgl_put_scalar(&extra, val);
	}
	if (has_extra) {
		char tie[512];

		/* After the line it explains: the member name is a prefix. */
		cfgl_puts(&extra, "  (not settable from the shell)");
		snprintf(tie, sizeof(tie), "%s~%s", cfgl_keywords[kw].member,
			 extra.s ? extra.s : "");
		if (cfgl_add_line(l, &extra, CFGL_SEC_INSTANCE, inst, kw, tie) < 0) {
			free(extra.s);
			return -1;
		}
	}
	return 0;
}

static int render_member(struct cfgl *l, const char *inst, const char *member,
			 json_object *v)
{
	int kw = cfgl_kw_index(member);
	struct buf b = { 0 };

	if (kw < 0 && json_object_is_type(v, json_type_object)) {
		/* A container (authentication, unicast, virtual-mac): its
		 * leaves are the settings. */
		json_object_object_foreach(v, key, val) {
			char path[256];

			snprintf(path, sizeof(path), "%s/%s", member, key);
			if (render_member(l, inst, path, val) < 0)
				return -1;
		}
		return 0;
	}
	line_start(&b, kw < 0, inst);
	if (kw < 0) {
		cfgl_puts(&b, member);
		cfgl_puts(&b, " ");
		cfgl_put_scalar(&b, v);
		cfgl_puts(&b, "  (not settable from the shell)");
	} else if (cfgl_keywords[kw].repeat && json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			if (i)
				cfgl_puts(&b, " ");
			cfgl_puts(&b, cfgl_keywords[kw].kw);
			cfgl_puts(&b, " ");
			if (list_entry(l, &b, inst, kw, json_object_array_get_idx(v, i)) < 0) {
				free(b.s);
				return -1;
			}
		}
	} else {
		cfgl_puts(&b, cfgl_keywords[kw].kw);
		cfgl_puts(&b, " ");
		cfgl_put_scalar(&b, v);
	}
	if (cfgl_add_line(l, &b, CFGL_SEC_INSTANCE, inst, kw < 0 ? (int)N_KW : kw, member) < 0) {
		free(b.s);
		return -1;
	}
	return 0;
}

static int render_global(struct cfgl *l, json_object *g)
{
	json_object_object_foreach(g, key, val) {
		struct buf b = { 0 };

		cfgl_puts(&b, "# set global ");
		cfgl_puts(&b, key);
		cfgl_puts(&b, " ");
		cfgl_put_scalar(&b, val);
		cfgl_puts(&b, "  (startup file or config.replace)");
		if (cfgl_add_line(l, &b, CFGL_SEC_GLOBAL, "", 0, key) < 0) {
			free(b.s);
			return -1;
		}
	}
	return 0;
}

static int cmp_key(const struct cfgl_line *a, const struct cfgl_line *b)
{
	int c;

	if (a->section != b->section)
		return a->section - b->section;
	if ((c = strcmp(a->inst, b->inst)) != 0)
		return c;
	if (a->kw != b->kw)
		return a->kw - b->kw;
	return strcmp(a->tie, b->tie);
}

static int cmp_line(const void *pa, const void *pb)
{
	return cmp_key(pa, pb);
}

int cfgl_render(json_object *config, struct cfgl *out)
{
	json_object *top = NULL, *g = NULL, *arr = NULL;

	memset(out, 0, sizeof(*out));
	out->hold = json_object_get(config);
	if (!config || !json_object_object_get_ex(config, TOP, &top) ||
	    !json_object_is_type(top, json_type_object))
		return 0;
	if (json_object_object_get_ex(top, "global", &g) &&
	    json_object_is_type(g, json_type_object) && render_global(out, g) < 0)
		goto oom;
	if (cfgl_render_trackers(out, top) < 0 || cfgl_render_groups(out, top) < 0)
		goto oom;
	if (json_object_object_get_ex(top, "instance", &arr) &&
	    json_object_is_type(arr, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *in = json_object_array_get_idx(arr, i), *nm;
			const char *name;

			if (!json_object_object_get_ex(in, "name", &nm))
				continue;
			name = json_object_get_string(nm);
			json_object_object_foreach(in, key, val) {
				if (strcmp(key, "name") == 0)
					continue;
				/* what it follows: one line per tracker */
				if (strcmp(key, "track") == 0 &&
				    json_object_is_type(val, json_type_object)) {
					if (cfgl_render_follows(out, CFGL_SEC_INSTANCE, "instance",
								name, val) < 0)
						goto oom;
					continue;
				}
				if (render_member(out, name, key, val) < 0)
					goto oom;
			}
		}
	}
	qsort(out->v, out->n, sizeof(out->v[0]), cmp_line);
	return 0;
oom:
	cfgl_free(out);
	return -1;
}

void cfgl_free(struct cfgl *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free(l->v[i].tie);
	}
	free(l->v);
	json_object_put(l->hold);
	memset(l, 0, sizeof(*l));
}

char *cfgl_text(const struct cfgl *l)
{
	struct buf b = { 0 };

	cfgl_puts(&b, "");
	for (size_t i = 0; i < l->n; i++) {
		cfgl_puts(&b, l->v[i].text);
		cfgl_puts(&b, "\n");
	}
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

static void mark(struct buf *b, char sign, const char *text, size_t *n)
{
	cfgl_put(b, &sign, 1);
	cfgl_puts(b, text);
	cfgl_puts(b, "\n");
	(*n)++;
}

/* Both renderings are sorted by the same key and hold one line per key
 * (a setting of an instance), so a merge walk is the exact diff: linear,
 * 1000 instances in well under a millisecond. */
char *cfgl_diff(const struct cfgl *a, const struct cfgl *b, size_t *changes)
{
	struct buf o = { 0 };
	size_t i = 0, k = 0, n = 0;

	cfgl_puts(&o, "");
	while (i < a->n || k < b->n) {
		int c = i == a->n ? 1 : k == b->n ? -1 : cmp_key(&a->v[i], &b->v[k]);

		if (c < 0) {
			mark(&o, '-', a->v[i++].text, &n);
		} else if (c > 0) {
			mark(&o, '+', b->v[k++].text, &n);
		} else {
			if (strcmp(a->v[i].text, b->v[k].text) != 0) {
				mark(&o, '-', a->v[i].text, &n);
				mark(&o, '+', b->v[k].text, &n);
			}
			i++;
			k++;
		}
	}
	if (changes)
		*changes = n;
	if (o.oom) {
		free(o.s);
		return NULL;
	}
	return o.s;
}
