/* Trackers, sync groups and follow lists as the shell commands that make
 * them (see cfglines.h):
 *
 *   create tracker script chk command "/usr/bin/check -p 80" weight -20
 *   set instance VI_1 track script chk weight 10
 *   create sync-group G member VI_1 member VI_2
 *   set sync-group G track interface eth1
 *
 * A tracker or a sync group is one line (its settings in schema order, the
 * keyword table's), so a changed one shows in a diff as its old and its
 * new line; each followed tracker is a line of its own. */
#include "cfglines_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP "vrrpd:vrrpd"
/* Follow lines come after every other line of their instance or group. */
#define KW_FOLLOW 1000000
#define KW_COMMENT (KW_FOLLOW + 1)

static const char *const types[] = { "script", "interface", "file", "process" };
#define N_TYPES (sizeof(types) / sizeof(types[0]))

/* An argv as the one word the shell takes (cfg_split_command's inverse):
 * words joined by blanks, a word with blanks in 'single quotes'. A word
 * holding a quote cannot be written so: false. With shell true the one
 * element is the command line itself. */
static bool put_argv(struct buf *b, json_object *arr, bool shell)
{
	struct buf w = { 0 };
	size_t n = json_object_array_length(arr);

	cfgl_puts(&w, "");
	for (size_t i = 0; i < n; i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(arr, i));

		if (shell && n == 1) {
			cfgl_puts(&w, s);
			break;
		}
		if (strpbrk(s, "'\"") || !*s) {
			free(w.s);
			return false;
		}
		if (i)
			cfgl_puts(&w, " ");
		if (strpbrk(s, " \t")) {
			cfgl_puts(&w, "'");
			cfgl_puts(&w, s);
			cfgl_puts(&w, "'");
		} else {
			cfgl_puts(&w, s);
		}
	}
	if (w.oom) {
		b->oom = true;
		free(w.s);
		return true;
	}
	cfgl_put_word(b, w.s);
	free(w.s);
	return true;
}

/* " kw value" for every setting of entry below the table prefix, in the
 * table's order. false when a value has no spelling in the shell. */
static bool put_settings(struct buf *b, json_object *entry, const char *prefix)
{
	json_object *shell = NULL;
	size_t plen = strlen(prefix);
	bool ok = true;

	json_object_object_get_ex(entry, "shell", &shell);
	for (size_t i = 0; cfgl_kw_at(i); i++) {
		const struct cfgl_kw *k = cfgl_kw_at(i);
		json_object *v;

		if (strncmp(k->member, prefix, plen) != 0 || strchr(k->member + plen, '/') ||
		    !json_object_object_get_ex(entry, k->member + plen, &v))
			continue;
		if (!json_object_is_type(v, json_type_array)) {
			cfgl_puts(b, " ");
			cfgl_puts(b, k->kw);
			cfgl_puts(b, " ");
			cfgl_put_scalar(b, v);
		} else if (k->repeat) {
			for (size_t e = 0; e < json_object_array_length(v); e++) {
				cfgl_puts(b, " ");
				cfgl_puts(b, k->kw);
				cfgl_puts(b, " ");
				cfgl_put_scalar(b, json_object_array_get_idx(v, e));
			}
		} else {
			cfgl_puts(b, " ");
			cfgl_puts(b, k->kw);
			cfgl_puts(b, " ");
			ok = put_argv(b, v, shell && json_object_get_boolean(shell)) && ok;
		}
	}
	return ok;
}

/* A line the shell cannot replay: a comment with the entry as JSON. */
static void put_comment(struct buf *b, const char *head, json_object *entry,
			const char *why)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
	cfgl_puts(b, "# ");
	cfgl_puts(b, head);
	cfgl_puts(b, " ");
	cfgl_puts(b, json_object_to_json_string_ext(entry, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	cfgl_puts(b, "  (");
	cfgl_puts(b, why);
	cfgl_puts(b, ")");
}

static int add(struct cfgl *l, struct buf *b, int section, const char *inst, int kw,
	       const char *tie)
{
	if (cfgl_add_line(l, b, section, inst, kw, tie) < 0) {
		free(b->s);
		return -1;
	}
	return 0;
}

static const char *name_of(json_object *e)
{
	json_object *nm;

	return json_object_object_get_ex(e, "name", &nm) &&
	       json_object_is_type(nm, json_type_string) ? json_object_get_string(nm) : NULL;
}

int cfgl_render_trackers(struct cfgl *l, json_object *top)
{
	json_object *track, *arr;

	if (!json_object_object_get_ex(top, "track", &track) ||
	    !json_object_is_type(track, json_type_object))
		return 0;
	for (size_t t = 0; t < N_TYPES; t++) {
		char prefix[32], head[160];

		if (!json_object_object_get_ex(track, types[t], &arr) ||
		    !json_object_is_type(arr, json_type_array))
			continue;
		snprintf(prefix, sizeof(prefix), "track/%s/", types[t]);
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *e = json_object_array_get_idx(arr, i);
			const char *name = name_of(e);
			struct buf b = { 0 };

			if (!name)
				continue;
			snprintf(head, sizeof(head), "create tracker %s %.63s", types[t], name);
			cfgl_puts(&b, "create tracker ");
			cfgl_puts(&b, types[t]);
			cfgl_puts(&b, " ");
			cfgl_put_word(&b, name);
			if (!put_settings(&b, e, prefix))
				put_comment(&b, head, e, "a quote inside an argument: "
					    "tracker.create takes the command as a list");
			if (add(l, &b, CFGL_SEC_TRACKER + (int)t, name, 0, "") < 0)
				return -1;
		}
	}
	return 0;
}

int cfgl_render_follows(struct cfgl *l, int section, const char *what,
			const char *name, json_object *track)
{
	for (size_t t = 0; t < N_TYPES; t++) {
		json_object *arr;
		char prefix[64];

		if (!json_object_object_get_ex(track, types[t], &arr) ||
		    !json_object_is_type(arr, json_type_array))
			continue;
		snprintf(prefix, sizeof(prefix), "%s/track/%s/", what, types[t]);
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *e = json_object_array_get_idx(arr, i);
			const char *tr = name_of(e);
			struct buf b = { 0 };
			char tie[160];

			if (!tr)
				continue;
			cfgl_puts(&b, "set ");
			cfgl_puts(&b, what);
			cfgl_puts(&b, " ");
			cfgl_put_word(&b, name);
			cfgl_puts(&b, " track ");
			cfgl_puts(&b, types[t]);
			cfgl_puts(&b, " ");
			cfgl_put_word(&b, tr);
			put_settings(&b, e, prefix);
			/* by type (the order of the trackers), then name */
			snprintf(tie, sizeof(tie), "%zu/%s", t, tr);
			if (add(l, &b, section, name, KW_FOLLOW, tie) < 0)
				return -1;
		}
	}
	return 0;
}

int cfgl_render_groups(struct cfgl *l, json_object *top)
{
	json_object *arr, *v;

	if (!json_object_object_get_ex(top, "sync-group", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *g = json_object_array_get_idx(arr, i);
		const char *name = name_of(g);
		struct buf b = { 0 };

		if (!name)
			continue;
		cfgl_puts(&b, "create sync-group ");
		cfgl_put_word(&b, name);
		put_settings(&b, g, "sync-group/");
		if (add(l, &b, CFGL_SEC_GROUP, name, 0, "") < 0)
			return -1;
		if (json_object_object_get_ex(g, "track", &v) &&
		    json_object_is_type(v, json_type_object) &&
		    cfgl_render_follows(l, CFGL_SEC_GROUP, "sync-group", name, v) < 0)
			return -1;
		if (json_object_object_get_ex(g, "notify", &v)) {
			struct buf c = { 0 };
			char head[160];

			snprintf(head, sizeof(head), "set sync-group %s notify", name);
			put_comment(&c, head, v, "sync-group.set or the startup file");
			if (add(l, &c, CFGL_SEC_GROUP, name, KW_COMMENT, "notify") < 0)
				return -1;
		}
	}
	return 0;
}
