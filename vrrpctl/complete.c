/* Tab completion and `?` help for interactive vrrpctl (see complete.h). */
#include "complete.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#define MAX_CANDS 300

static struct cli_env env;

size_t complete_ifnames(void *arg, char (*names)[64], size_t max)
{
	DIR *d = opendir("/sys/class/net");
	struct dirent *de;
	size_t n = 0;

	(void)arg;
	if (!d)
		return 0;
	while (n < max && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(names[n++], 64, "%.63s", de->d_name);
	}
	closedir(d);
	return n;
}

/* Names of the instances in a config object ({"vrrpd:vrrpd":
 * {"instance": [...]}}), added to names[*n..max) unless already there. */
static void names_of_config(json_object *config, char (*names)[64], size_t *n,
			    size_t max)
{
	json_object *top, *arr;

	if (!json_object_object_get_ex(config, "vrrpd:vrrpd", &top) ||
	    !json_object_object_get_ex(top, "instance", &arr))
		return;
	for (size_t i = 0; i < json_object_array_length(arr) && *n < max; i++) {
		json_object *v;
		bool dup = false;

		if (!json_object_object_get_ex(json_object_array_get_idx(arr, i), "name", &v))
			continue;
		for (size_t k = 0; k < *n && !dup; k++)
			dup = strcmp(names[k], json_object_get_string(v)) == 0;
		if (!dup)
			snprintf(names[(*n)++], 64, "%s", json_object_get_string(v));
	}
}

/* Asked from the daemon each time, so names created a moment ago by
 * another operator complete too; in configuration mode the candidate's
 * as well (created there, not committed yet: `set instance <TAB>` must
 * offer them). Silent on failure: completion must never print errors
 * into the line being edited. */
size_t complete_instances(void *arg, char (*names)[64], size_t max)
{
	const struct complete_src *src = arg;
	json_object *res = NULL, *params;
	char err[256];
	size_t n = 0;

	if (!src || !src->conn || ctl_connect(src->conn, err, sizeof(err)) < 0)
		return 0;
	if (ctl_call(src->conn, "instance.list", NULL, &res, err, sizeof(err), NULL,
		     NULL) == CTL_OK) {
		for (size_t i = 0; i < json_object_array_length(res) && n < max; i++) {
			json_object *v;

			if (json_object_object_get_ex(json_object_array_get_idx(res, i),
						      "name", &v))
				snprintf(names[n++], 64, "%s", json_object_get_string(v));
		}
	}
	json_object_put(res);
	res = NULL;
	if (src->cm && src->cm->id) {
		params = json_object_new_object();
		json_object_object_add(params, "id", json_object_new_int64(src->cm->id));
		if (ctl_call(src->conn, "candidate.get", params, &res, err, sizeof(err),
			     NULL, NULL) == CTL_OK)
			names_of_config(res, names, &n, max);
		json_object_put(res); /* params went with the call */
	}
	return n;
}

/* The names of a list of the running configuration: path is the list
 * below vrrpd:vrrpd ("sync-group", or "track" then type). */
static size_t running_names(const struct complete_src *src, const char *list,
			    const char *sub, char (*names)[64], size_t max)
{
	struct ctl_conn *conn = src ? src->conn : NULL;
	json_object *res = NULL, *o, *arr;
	char err[256];
	size_t n = 0;

	if (!conn || ctl_connect(conn, err, sizeof(err)) < 0)
		return 0;
	if (ctl_call(conn, "config.get", NULL, &res, err, sizeof(err), NULL, NULL) != CTL_OK) {
		json_object_put(res);
		return 0;
	}
	if (json_object_object_get_ex(res, "vrrpd:vrrpd", &o) &&
	    json_object_object_get_ex(o, list, &arr) &&
	    (!sub || json_object_object_get_ex(arr, sub, &arr)) &&
	    json_object_is_type(arr, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(arr) && n < max; i++) {
			json_object *v;

			if (json_object_object_get_ex(json_object_array_get_idx(arr, i),
						      "name", &v))
				snprintf(names[n++], 64, "%s", json_object_get_string(v));
		}
	}
	json_object_put(res);
	return n;
}

size_t complete_trackers(void *arg, const char *type, char (*names)[64], size_t max)
{
	return running_names(arg, "track", type, names, max);
}

size_t complete_groups(void *arg, char (*names)[64], size_t max)
{
	return running_names(arg, "sync-group", NULL, names, max);
}

void complete_env_init(struct cli_env *e, const struct complete_src *src)
{
	memset(e, 0, sizeof(*e));
	e->arg = (void *)src;
	e->instances = complete_instances;
	e->ifnames = complete_ifnames;
	e->trackers = complete_trackers;
	e->groups = complete_groups;
}

/* Words of the line before offset end; returns the count. */
static size_t words_before(int end, char *buf, size_t buflen, char **words)
{
	char err[64];
	int n;

	snprintf(buf, buflen, "%.*s", end, rl_line_buffer);
	n = cli_split(buf, words, CLI_MAX_WORDS, err, sizeof(err));
	return n < 0 ? 0 : (size_t)n;
}

static struct cli_cand cands[MAX_CANDS];
static size_t n_cands, next_cand;

static char *generator(const char *text, int state)
{
	(void)text;
	if (state == 0)
		next_cand = 0;
	while (next_cand < n_cands) {
		struct cli_cand *c = &cands[next_cand++];

		if (!c->hint)
			return strdup(c->text);
	}
	return NULL;
}

static char **attempt(const char *text, int start, int end)
{
	char buf[4096], *words[CLI_MAX_WORDS];
	size_t nw = words_before(start, buf, sizeof(buf), words);
	bool file = false;

	(void)end;
	rl_attempted_completion_over = 1;
	n_cands = cli_candidates(&env, words, nw, text, cands, MAX_CANDS);
	for (size_t i = 0; i < n_cands; i++)
		file = file || (cands[i].hint && strcmp(cands[i].text, "<FILE>") == 0);
	if (file) {
		/* A path: readline's own file name completion. */
		rl_attempted_completion_over = 0;
		return NULL;
	}
	return rl_completion_matches(text, generator);
}

/* `?`: list what may come next, with one-line help, then redraw the line. */
static int help_key(int count, int key)
{
	char buf[4096], *words[CLI_MAX_WORDS];
	const char *partial = "";
	size_t nw;
	int start = rl_point;

	(void)count;
	(void)key;
	/* The word under the cursor is the partial one. */
	while (start > 0 && rl_line_buffer[start - 1] != ' ')
		start--;
	nw = words_before(start, buf, sizeof(buf), words);
	snprintf(buf + 2048, 2048, "%.*s", rl_point - start, rl_line_buffer + start);
	partial = buf + 2048;
	n_cands = cli_candidates(&env, words, nw, partial, cands, MAX_CANDS);
	putchar('\n');
	if (n_cands == 0)
		printf("  %% no completions: the line so far is not a command\n");
	for (size_t i = 0; i < n_cands; i++)
		printf("  %-24s %s\n", cands[i].text, cands[i].help ? cands[i].help : "");
	fflush(stdout);
	rl_on_new_line();
	return 0;
}

void complete_install(struct ctl_conn *conn, const struct cfgmode *cm)
{
	static struct complete_src src;

	src.conn = conn;
	src.cm = cm;
	complete_env_init(&env, &src);
	rl_readline_name = "vrrpctl";
	rl_attempted_completion_function = attempt;
	rl_completer_word_break_characters = " \t";
	rl_bind_key('?', help_key);
}
