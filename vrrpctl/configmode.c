/* The shell's configuration mode (configmode.h). */
#include "configmode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

/* NETCONF and Junos default: 10 minutes. */
#define CONFIRM_DEFAULT_MIN 10

long cfgmode_confirm_seconds(const char *arg)
{
	char *end;
	long v;

	if (!arg)
		return CONFIRM_DEFAULT_MIN * 60;
	if (*arg < '0' || *arg > '9')
		return -1;
	v = strtol(arg, &end, 10);
	if (v <= 0 || v > 86400)
		return -1;
	if (strcmp(end, "s") == 0)
		return v;
	if (*end == '\0' && v <= 1440)
		return v * 60;
	return -1;
}

/* One call; errors are printed. 0 with *out, or the exit status. */
static int call(struct ctl_conn *conn, const char *method, json_object *params,
		json_object **out)
{
	char err[512];
	enum ctl_rc rc;

	*out = NULL;
	if (ctl_connect(conn, err, sizeof(err)) < 0) {
		json_object_put(params);
		fprintf(stderr, "vrrpctl: %s\n", err);
		return EXIT_UNREACHABLE;
	}
	rc = ctl_call(conn, method, params, out, err, sizeof(err), NULL, NULL);
	if (rc == CTL_ERR_TRANSPORT) {
		fprintf(stderr, "vrrpctl: %s\n", err);
		return EXIT_UNREACHABLE;
	}
	if (rc == CTL_ERR_RESPONSE) {
		fprintf(stderr, "vrrpctl: ");
		render_error(stderr, *out);
		json_object_put(*out);
		*out = NULL;
		return EXIT_REFUSED;
	}
	return 0;
}

static json_object *with_id(const struct cfgmode *m)
{
	json_object *p = json_object_new_object();

	json_object_object_add(p, "id", json_object_new_int64(m->id));
	return p;
}

static long long num(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

static const char *text(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

static bool config_only(enum cli_cmd_id id)
{
	switch (id) {
	case CMD_SHOW_COMPARE: case CMD_SHOW_CANDIDATE: case CMD_COMMIT:
	case CMD_COMMIT_CHECK: case CMD_COMMIT_CONFIRMED: case CMD_ROLLBACK:
	case CMD_DISCARD:
		return true;
	default:
		return false;
	}
}

static void show_commits(json_object *r)
{
	json_object *arr = NULL, *pend = NULL;

	json_object_object_get_ex(r, "commits", &arr);
	printf("%-8s %-6s %-24s %-10s %s\n", "ROLLBACK", "COMMIT", "TIME", "USER", "COMMENT");
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i);

		printf("%-8lld %-6lld %-24s %-10s %s\n", num(e, "rollback"),
		       num(e, "number"), text(e, "time"), text(e, "user"),
		       text(e, "comment"));
	}
	if (json_object_object_get_ex(r, "confirm-pending", &pend))
		printf("commit %lld waits for confirmation: rolled back in %lld s\n",
		       num(pend, "commit"), num(pend, "seconds-left"));
}

/* Uncommitted changes in the candidate? -1 on error. */
static int has_changes(struct cfgmode *m, struct ctl_conn *conn)
{
	json_object *out;
	int rc = call(conn, "candidate.compare", with_id(m), &out);
	long long n;

	if (rc)
		return -1;
	n = num(out, "changes");
	json_object_put(out);
	return n > 0;
}

static bool ask(const char *question)
{
	char line[32];

	printf("%s [yes/no] ", question);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return strncmp(line, "y", 1) == 0;
}

static int leave(struct cfgmode *m, struct ctl_conn *conn)
{
	json_object *out;
	int ch = has_changes(m, conn);

	if (ch > 0) {
		if (!m->interactive) {
			fprintf(stderr, "vrrpctl: uncommitted changes in the candidate: "
				"commit or discard them first\n");
			return EXIT_REFUSED;
		}
		if (!ask("Uncommitted changes will be lost. Leave configuration mode?"))
			return 0;
	}
	if (ch >= 0 && call(conn, "candidate.close", with_id(m), &out) == 0)
		json_object_put(out);
	m->id = 0;
	printf("Leaving configuration mode\n");
	return 0;
}

/* The candidate takes what the live method would: "tracker.create" is
 * object tracker, op create (vrrpd-rpc(7), candidate.edit). */
static int edit(struct cfgmode *m, struct ctl_conn *conn, const struct cli_parsed *p)
{
	const char *method, *dot;
	json_object *params, *out;
	char err[256];
	int rc;

	if (cli_request(p, &method, &params, err, sizeof(err)) < 0)
		return EXIT_USAGE;
	dot = strchr(method, '.');
	json_object_object_add(params, "id", json_object_new_int64(m->id));
	json_object_object_add(params, "object",
			       json_object_new_string_len(method, (int)(dot - method)));
	json_object_object_add(params, "op", json_object_new_string(dot + 1));
	rc = call(conn, "candidate.edit", params, &out);
	json_object_put(out);
	return rc;
}

static int commit(struct cfgmode *m, struct ctl_conn *conn, const struct cli_parsed *p)
{
	json_object *params = with_id(m), *out;
	long secs = 0;
	int rc;

	for (size_t i = 0; i < p->n_opts; i++)
		json_object_object_add(params, p->opts[i].opt->member,
				       json_object_new_string(p->opts[i].value));
	if (p->cmd->id == CMD_COMMIT_CONFIRMED) {
		secs = cfgmode_confirm_seconds(p->arg);
		if (secs < 0) {
			json_object_put(params);
			fprintf(stderr, "vrrpctl: commit confirmed: expected minutes "
				"(1-1440) or seconds with s (1s-86400s), got \"%s\"\n", p->arg);
			return EXIT_USAGE;
		}
		json_object_object_add(params, "confirm-timeout", json_object_new_int64(secs));
	}
	rc = call(conn, "candidate.commit", params, &out);
	if (rc)
		return rc;
	if (m->json)
		render_json(stdout, out);
	else if (num(out, "changes") == 0)
		printf("No changes to commit%s\n", num(out, "confirm-timeout") ?
		       "; the deadline was moved" : "");
	else
		printf("Commit %lld complete (%lld line(s) changed)\n", num(out, "number"),
		       num(out, "changes"));
	if (!m->json && secs && num(out, "confirm-timeout"))
		printf("Rolled back in %ld s unless confirmed (commit or confirm)\n", secs);
	json_object_put(out);
	return 0;
}

int cfgmode_run(struct cfgmode *m, struct ctl_conn *conn,
		const struct cli_parsed *p)
{
	enum cli_cmd_id id = p->cmd->id;
	json_object *out = NULL, *params;
	int rc;

	if (!m->id && config_only(id)) {
		fprintf(stderr, "vrrpctl: not in configuration mode (type configure first)\n");
		return EXIT_USAGE;
	}
	switch (id) {
	case CMD_CONFIGURE:
		if (m->id) {
			fprintf(stderr, "vrrpctl: already in configuration mode\n");
			return 0;
		}
		if ((rc = call(conn, "candidate.open", NULL, &out)))
			return rc;
		m->id = (unsigned)num(out, "id");
		json_object_put(out);
		if (!m->json)
			printf("Entering configuration mode: changes go to a candidate; "
			       "commit applies them\n");
		return 0;
	case CMD_SET: case CMD_CREATE: case CMD_DELETE:
	case CMD_TRACKER_CREATE: case CMD_TRACKER_SET: case CMD_TRACKER_DELETE:
	case CMD_GROUP_CREATE: case CMD_GROUP_SET: case CMD_GROUP_DELETE:
	case CMD_TRACK: case CMD_UNTRACK: case CMD_GROUP_TRACK: case CMD_GROUP_UNTRACK:
		return m->id ? edit(m, conn, p) : -1;
	case CMD_QUIT:
		return m->id ? leave(m, conn) : -1;
	case CMD_SHOW_COMPARE:
		if ((rc = call(conn, "candidate.compare", with_id(m), &out)))
			return rc;
		if (m->json)
			render_json(stdout, out);
		else
			fputs(*text(out, "diff") ? text(out, "diff") : "(no changes)\n", stdout);
		break;
	case CMD_SHOW_CANDIDATE:
		params = with_id(m);
		json_object_object_add(params, "format",
				       json_object_new_string(m->json ? "json" : "lines"));
		if ((rc = call(conn, "candidate.get", params, &out)))
			return rc;
		if (m->json)
			render_json(stdout, out);
		else
			fputs(text(out, "lines"), stdout);
		break;
	case CMD_SHOW_COMMITS:
		if ((rc = call(conn, "commit.list", NULL, &out)))
			return rc;
		if (m->json)
			render_json(stdout, out);
		else
			show_commits(out);
		break;
	case CMD_COMMIT_CHECK:
		if ((rc = call(conn, "candidate.validate", with_id(m), &out)))
			return rc;
		printf("Configuration check succeeds\n");
		break;
	case CMD_COMMIT: case CMD_COMMIT_CONFIRMED:
		return commit(m, conn, p);
	case CMD_CONFIRM:
		if ((rc = call(conn, "commit.confirm", NULL, &out)))
			return rc;
		printf("Commit %lld confirmed\n", num(out, "commit"));
		break;
	case CMD_ROLLBACK: {
		char *end;
		long n = strtol(p->arg, &end, 10);

		if (*p->arg < '0' || *p->arg > '9' || *end || n > 50) {
			fprintf(stderr, "vrrpctl: rollback: expected a number 0-50, got \"%s\"\n",
				p->arg);
			return EXIT_USAGE;
		}
		params = with_id(m);
		json_object_object_add(params, "n", json_object_new_int64(n));
		if ((rc = call(conn, "commit.rollback", params, &out)))
			return rc;
		if (n == 0)
			printf("Loaded running into the candidate\n");
		else
			printf("Loaded commit %lld into the candidate (show compare, then "
			       "commit)\n", num(out, "number"));
		break;
	}
	case CMD_DISCARD:
		if ((rc = call(conn, "candidate.discard", with_id(m), &out)))
			return rc;
		printf("Candidate reset to running\n");
		break;
	default:
		return -1;
	}
	fflush(stdout);
	json_object_put(out);
	return 0;
}
