/* Tables and listings for vrrpctl (see render.h). */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#define PRETTY (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
		JSON_C_TO_STRING_NOSLASHESCAPE)

static const char *str(json_object *o, const char *key, const char *dflt)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return dflt;
	return json_object_get_string(v);
}

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

void render_json(FILE *fp, json_object *result)
{
	fprintf(fp, "%s\n", result ? json_object_to_json_string_ext(result, PRETTY)
				   : "null");
}

void render_error(FILE *fp, json_object *error)
{
	fprintf(fp, "%s\n", str(error, "message", "error"));
}

/* ---- show instances ------------------------------------------------------ */

#define N_COLS 8

static void instances_table(FILE *fp, json_object *arr)
{
	static const char *const head[N_COLS] = {
		"NAME", "INTERFACE", "VRID", "VER", "STATE", "PRIO(EFF/CFG)",
		"MASTER", "VIRTUAL ADDRESSES",
	};
	size_t n = json_object_is_type(arr, json_type_array) ?
		   json_object_array_length(arr) : 0;
	size_t w[N_COLS];
	char (*cells)[N_COLS][256];

	if (n == 0) {
		fprintf(fp, "No instances.\n");
		return;
	}
	cells = calloc(n, sizeof(*cells));
	if (!cells)
		return;
	for (int c = 0; c < N_COLS; c++)
		w[c] = strlen(head[c]);
	for (size_t i = 0; i < n; i++) {
		json_object *in = json_object_array_get_idx(arr, i);
		json_object *vips = member(in, "virtual-address");
		size_t off = 0;

		snprintf(cells[i][0], 256, "%s", str(in, "name", "?"));
		snprintf(cells[i][1], 256, "%s", str(in, "interface", "?"));
		snprintf(cells[i][2], 256, "%s", str(in, "vrid", "?"));
		snprintf(cells[i][3], 256, "v%s", str(in, "version", "?"));
		snprintf(cells[i][4], 256, "%s", str(in, "state", "?"));
		snprintf(cells[i][5], 256, "%s/%s", str(in, "effective-priority", "?"),
			 str(in, "priority", "?"));
		snprintf(cells[i][6], 256, "%s", str(in, "master-address", "-"));
		cells[i][7][0] = '\0';
		for (size_t k = 0; vips && k < json_object_array_length(vips) && off < 256; k++)
			off += (size_t)snprintf(cells[i][7] + off, 256 - off, "%s%s",
						k ? " " : "",
						json_object_get_string(
							json_object_array_get_idx(vips, k)));
		for (int c = 0; c < N_COLS; c++)
			if (strlen(cells[i][c]) > w[c])
				w[c] = strlen(cells[i][c]);
	}
	for (int c = 0; c < N_COLS; c++) {
		if (c == N_COLS - 1)
			fprintf(fp, "%s\n", head[c]);
		else
			fprintf(fp, "%-*s  ", (int)w[c], head[c]);
	}
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < N_COLS; c++) {
			if (c == N_COLS - 1)
				fprintf(fp, "%s\n", cells[i][c]);
			else
				fprintf(fp, "%-*s  ", (int)w[c], cells[i][c]);
		}
	free(cells);
}

/* ---- key/value listings --------------------------------------------------- */

/* One "  key: value" line per scalar member; nested objects get dotted
 * keys; arrays of virtual addresses print as ADDR/PLEN. */
static void kv_value(char *buf, size_t len, json_object *v)
{
	size_t off = 0;

	if (!v) {
		snprintf(buf, len, "-");
		return;
	}
	if (!json_object_is_type(v, json_type_array)) {
		snprintf(buf, len, "%s", json_object_get_string(v));
		return;
	}
	buf[0] = '\0';
	for (size_t k = 0; k < json_object_array_length(v) && off < len; k++) {
		json_object *e = json_object_array_get_idx(v, k);
		json_object *a = member(e, "address"), *p = member(e, "prefix-length");

		if (a)
			off += (size_t)snprintf(buf + off, len - off, "%s%s%s%s", k ? " " : "",
						json_object_get_string(a), p ? "/" : "",
						p ? json_object_get_string(p) : "");
		else
			off += (size_t)snprintf(buf + off, len - off, "%s%s", k ? " " : "",
						json_object_get_string(e));
	}
}

static void kv_block(FILE *fp, const char *title, json_object *o,
		     const char *prefix, int indent)
{
	char val[1024];

	if (title)
		fprintf(fp, "%*s%s:\n", indent - 2, "", title);
	json_object_object_foreach(o, k, v) {
		char key[128];

		snprintf(key, sizeof(key), "%s%s", prefix, k);
		if (v && json_object_is_type(v, json_type_object)) {
			char sub[160];

			snprintf(sub, sizeof(sub), "%s.", key);
			if (strcmp(k, "statistics") == 0) {
				kv_block(fp, "Statistics", v, "", indent);
				continue;
			}
			kv_block(fp, NULL, v, sub, indent);
			continue;
		}
		kv_value(val, sizeof(val), v);
		fprintf(fp, "%*s%-30s %s\n", indent, "", key, val);
	}
}

static void instance_detail(FILE *fp, json_object *r)
{
	fprintf(fp, "Instance %s\n", str(r, "name", "?"));
	kv_block(fp, "Configuration", member(r, "config"), "", 4);
	kv_block(fp, "State", member(r, "state"), "", 4);
	json_object *p = member(r, "priority");
	json_object *tr = member(p, "trackers");
	if (p && tr && json_object_array_length(tr)) {
		fprintf(fp, "  Priority: %s configured, %s effective\n",
			str(p, "configured", "?"), str(p, "effective", "?"));
		for (size_t i = 0; i < json_object_array_length(tr); i++) {
			json_object *t = json_object_array_get_idx(tr, i);
			fprintf(fp, "    %-9s %-20s %-7s weight %-5s adds %s%s%s\n",
				str(t, "type", "?"), str(t, "tracker", "?"),
				str(t, "status", "?"), str(t, "weight", "?"),
				str(t, "adds", "0"),
				json_object_get_boolean(member(t, "applied")) ? "" : " (not applied)",
				json_object_get_boolean(member(t, "demands-fault")) ? " FAULT" : "");
		}
	}
}

static void tracking_table(FILE *fp, json_object *r)
{
	json_object *arr = member(r, "trackers");
	size_t n = arr ? json_object_array_length(arr) : 0;

	if (!n) {
		fprintf(fp, "No trackers.\n");
		return;
	}
	fprintf(fp, "%-20s %-9s %-8s %-12s %-6s %s\n", "Tracker", "Type", "Status",
		"Last result", "Count", "Instances");
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(arr, i);
		fprintf(fp, "%-20s %-9s %-8s %-12s %-6s %s\n", str(t, "name", "?"),
			str(t, "type", "?"), str(t, "status", "?"),
			str(t, "last-result", "-"), str(t, "consecutive", "-"),
			str(t, "instances-affected", "0"));
	}
}

static void statistics(FILE *fp, json_object *r)
{
	json_object *arr = member(r, "instances");

	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *in = json_object_array_get_idx(arr, i);
		char title[128];

		snprintf(title, sizeof(title), "Instance %s", str(in, "name", "?"));
		fprintf(fp, "%s:\n", title);
		json_object_object_foreach(in, k, v) {
			if (strcmp(k, "name") != 0)
				fprintf(fp, "  %-30s %s\n", k, json_object_get_string(v));
		}
	}
	kv_block(fp, "Daemon-wide drops (no instance claimed the packet)",
		 member(r, "global"), "", 2);
}

static void done(FILE *fp, const struct cli_parsed *p, json_object *r)
{
	switch (p->cmd->id) {
	case CMD_CREATE:
		fprintf(fp, "Instance %s created.\n", str(r, "name", "?"));
		break;
	case CMD_DELETE:
		fprintf(fp, "Instance %s deleted.\n", str(r, "name", "?"));
		break;
	case CMD_SET: {
		json_object *ch = member(r, "changed");
		char list[512];

		list[0] = '\0';
		for (size_t i = 0; ch && i < json_object_array_length(ch); i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 i ? ", " : "",
				 json_object_get_string(json_object_array_get_idx(ch, i)));
		fprintf(fp, "Instance %s: %s changed.\n", str(r, "name", "?"), list);
		break;
	}
	case CMD_TRACKER_CREATE: case CMD_TRACKER_SET: case CMD_TRACKER_DELETE:
		fprintf(fp, "Tracker %s %s %s.\n", str(r, "type", "?"), str(r, "name", "?"),
			p->cmd->id == CMD_TRACKER_CREATE ? "created" :
			p->cmd->id == CMD_TRACKER_SET ? "changed" : "deleted");
		break;
	case CMD_GROUP_CREATE: case CMD_GROUP_SET: case CMD_GROUP_DELETE:
		fprintf(fp, "Sync group %s %s.\n", str(r, "name", "?"),
			p->cmd->id == CMD_GROUP_CREATE ? "created" :
			p->cmd->id == CMD_GROUP_SET ? "changed" : "deleted");
		break;
	case CMD_TRACK: case CMD_GROUP_TRACK:
		fprintf(fp, "%s %s follows %s tracker %s.\n",
			p->cmd->id == CMD_TRACK ? "Instance" : "Sync group", str(r, "name", "?"),
			str(r, "type", "?"), str(r, "tracker", "?"));
		break;
	case CMD_UNTRACK: case CMD_GROUP_UNTRACK:
		fprintf(fp, "%s %s no longer follows %s tracker %s.\n",
			p->cmd->id == CMD_UNTRACK ? "Instance" : "Sync group", str(r, "name", "?"),
			str(r, "type", "?"), str(r, "tracker", "?"));
		break;
	case CMD_FAILOVER:
		fprintf(fp, "Instance %s resigned as master (now %s); no preemption for %s s.\n",
			str(r, "name", "?"), str(r, "state", "?"), str(r, "hold", "?"));
		break;
	case CMD_SAVE:
		fprintf(fp, "Running configuration saved to %s (%s bytes).\n",
			str(r, "path", "?"), str(r, "bytes", "?"));
		break;
	default:
		render_json(fp, r);
	}
}

void render_result(FILE *fp, const struct cli_parsed *p, json_object *result)
{
	switch (p->cmd->id) {
	case CMD_SHOW_INSTANCES:
		instances_table(fp, result);
		break;
	case CMD_SHOW_INSTANCE:
		instance_detail(fp, result);
		break;
	case CMD_SHOW_STATISTICS:
		statistics(fp, result);
		break;
	case CMD_SHOW_TRACKING:
		tracking_table(fp, result);
		break;
	case CMD_SHOW_RUNNING:
		/* lines (the shell's grammar), or JSON from an older vrrpd */
		if (member(result, "lines"))
			fputs(str(result, "lines", ""), fp);
		else
			render_json(fp, result);
		break;
	case CMD_SHOW_DAEMON:
		kv_block(fp, NULL, result, "", 0);
		break;
	default:
		done(fp, p, result);
	}
}

void render_event(FILE *fp, json_object *n)
{
	json_object *p = member(n, "params");
	const char *t = str(p, "time", "");
	const char *tt = strchr(t, 'T');
	const char *method = str(n, "method", "");

	/* Configuration mode (vrrpd-rpc(7)): commits, confirmations and
	 * rollbacks of confirmed commits. */
	if (strncmp(method, "config.", 7) == 0) {
		fprintf(fp, "%s %s\n", method,
			json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
		fflush(fp);
		return;
	}

	if (strcmp(str(n, "method", ""), "tracker.changed") == 0) {
		fprintf(fp, "tracker %s (%s): %s%s%s\n", str(p, "name", "?"),
			str(p, "type", "?"), str(p, "status", "?"),
			member(p, "last-result") ? ", last result " : "",
			str(p, "last-result", ""));
		fflush(fp);
		return;
	}
	fprintf(fp, "%.12s %s: %s -> %s (%s), master %s\n", tt ? tt + 1 : t,
		str(p, "name", "?"), str(p, "old-state", "?"), str(p, "new-state", "?"),
		str(p, "reason", "?"), str(p, "master-address", "unknown"));
	fflush(fp);
}

void render_help(FILE *fp)
{
	size_t n;
	const struct cli_cmd *cmds = cli_commands(&n);
	char syn[256];

	for (size_t i = 0; i < n; i++) {
		cli_syntax(&cmds[i], syn, sizeof(syn));
		fprintf(fp, "  %-44s %s\n", syn, cmds[i].help);
	}
	fprintf(fp, "Words may be abbreviated to a unique prefix; ? lists what may come next.\n");
}
