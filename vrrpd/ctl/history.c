/* Commit history store (history.h). */
#include "history.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rpc_int.h"

/* "000042.json" and nothing else: temporary files (NAME.tmpXXXXXX) left by
 * a crash in the middle of a write never match. */
static int record_number(const char *name, unsigned *out)
{
	unsigned n = 0;

	for (int i = 0; i < 6; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		n = n * 10 + (unsigned)(name[i] - '0');
	}
	if (strcmp(name + 6, ".json") != 0 || n == 0)
		return -1;
	*out = n;
	return 0;
}

static void entry_release(struct hist_entry *e)
{
	json_object_put(e->config);
	e->config = NULL;
}

static int entry_from_json(struct hist_entry *e, unsigned number, json_object *o)
{
	json_object *v;

	memset(e, 0, sizeof(*e));
	e->number = number;
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "config", &v) ||
	    !json_object_is_type(v, json_type_object))
		return -1;
	e->config = json_object_get(v);
	if (json_object_object_get_ex(o, "time", &v))
		e->time = json_object_get_int64(v);
	if (json_object_object_get_ex(o, "uid", &v))
		e->uid = (uid_t)json_object_get_int64(v);
	if (json_object_object_get_ex(o, "user", &v))
		snprintf(e->user, sizeof(e->user), "%s", json_object_get_string(v));
	if (json_object_object_get_ex(o, "comment", &v))
		snprintf(e->comment, sizeof(e->comment), "%s", json_object_get_string(v));
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct hist_entry *x = a, *y = b;

	return x->number < y->number ? -1 : x->number > y->number;
}

static void record_path(const struct history *h, unsigned number, char *buf,
			size_t len)
{
	snprintf(buf, len, "%s/%06u.json", h->dir, number);
}

/* Keep the newest HISTORY_KEEP records; remove the files of the others. */
static void prune(struct history *h)
{
	size_t drop = h->n > HISTORY_KEEP ? h->n - HISTORY_KEEP : 0;
	char path[4200];

	if (!drop)
		return;
	for (size_t i = 0; i < drop; i++) {
		if (h->dir) {
			record_path(h, h->v[i].number, path, sizeof(path));
			unlink(path);
		}
		entry_release(&h->v[i]);
	}
	memmove(h->v, h->v + drop, (h->n - drop) * sizeof(h->v[0]));
	h->n -= drop;
}

static int push(struct history *h, const struct hist_entry *e)
{
	struct hist_entry *nv = realloc(h->v, (h->n + 1) * sizeof(*nv));

	if (!nv)
		return -1;
	h->v = nv;
	h->v[h->n++] = *e;
	return 0;
}

int history_open(struct history *h, const char *dir, char *why, size_t len)
{
	DIR *d;
	struct dirent *de;

	memset(h, 0, sizeof(*h));
	h->next = 1;
	if (!dir)
		return 0;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(why, len, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	d = opendir(dir);
	if (!d) {
		snprintf(why, len, "cannot read %s: %s", dir, strerror(errno));
		return -1;
	}
	h->dir = strdup(dir);
	while (h->dir && (de = readdir(d))) {
		char path[4200];
		struct hist_entry e;
		unsigned number;
		json_object *o;

		if (record_number(de->d_name, &number) < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		o = json_object_from_file(path);
		if (o && entry_from_json(&e, number, o) == 0 && push(h, &e) < 0)
			entry_release(&e);
		json_object_put(o);
		if (number >= h->next)
			h->next = number + 1;
	}
	closedir(d);
	if (!h->dir) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (h->n)
		qsort(h->v, h->n, sizeof(h->v[0]), cmp_entry);
	prune(h);
	return 0;
}

void history_close(struct history *h)
{
	for (size_t i = 0; i < h->n; i++)
		entry_release(&h->v[i]);
	free(h->v);
	free(h->dir);
	memset(h, 0, sizeof(*h));
}

unsigned history_add(struct history *h, int64_t now, uid_t uid,
		     const char *user, const char *comment, json_object *config,
		     char *why, size_t len)
{
	struct hist_entry e = { .number = h->next, .time = now, .uid = uid };
	json_object *rec = NULL;
	unsigned ok = e.number;

	snprintf(e.user, sizeof(e.user), "%s", user ? user : "");
	snprintf(e.comment, sizeof(e.comment), "%s", comment ? comment : "");
	if (json_object_deep_copy(config, &e.config, NULL) < 0 || push(h, &e) < 0) {
		json_object_put(e.config);
		snprintf(why, len, "out of memory");
		return 0;
	}
	h->next++;
	if (h->dir) {
		char path[4200];
		const char *text;

		rec = json_object_new_object();
		json_object_object_add(rec, "number", json_object_new_int64(e.number));
		json_object_object_add(rec, "time", json_object_new_int64(e.time));
		json_object_object_add(rec, "uid", json_object_new_int64(e.uid));
		json_object_object_add(rec, "user", json_object_new_string(e.user));
		json_object_object_add(rec, "comment", json_object_new_string(e.comment));
		json_object_object_add(rec, "config", json_object_get(e.config));
		text = json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN |
						      JSON_C_TO_STRING_NOSLASHESCAPE);
		record_path(h, e.number, path, sizeof(path));
		if (rpc_write_file_atomic(path, text, strlen(text), why, len) < 0)
			ok = 0;
		json_object_put(rec);
	}
	prune(h);
	return ok;
}

const struct hist_entry *history_back(const struct history *h, size_t n)
{
	if (n == 0 || n > h->n)
		return NULL;
	return &h->v[h->n - n];
}
