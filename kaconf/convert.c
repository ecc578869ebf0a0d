/* keepalived import: entry points, the top level and global_defs. Values
 * are validated here, where they are read, and reported with FILE:LINE and
 * the keyword; nothing is output unless the whole configuration is good. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "keepalived_conf.h"
#include "keepalived_ir.h"

/* ---- global_defs -------------------------------------------------------- */

static int global_group(struct ka_ctx *cx, const struct ka_stmt *s, int af,
			struct vaddr *out)
{
	const char *what = af == AF_INET
				   ? "an IPv4 multicast address 224.0.0.0/4"
				   : "an IPv6 multicast address ff00::/8";
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 1, 1, what) < 0)
		return -1;
	struct vaddr a;
	bool ok = vaddr_parse(s->argv[1], &a, NULL) == 0 && a.af == af &&
		  (af == AF_INET ? (a.u.bytes[0] & 0xf0) == 0xe0
				 : a.u.bytes[0] == 0xff);
	if (!ok) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected %s, got '%s'", s->argv[0], what,
			 s->argv[1]);
		return -1;
	}
	*out = a;
	return 0;
}

static int global_router_id(struct ka_ctx *cx, const struct ka_stmt *s)
{
	struct ka_global *g = &cx->cfg->g;
	const char *what = "a name of 1..63 characters";
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 1, 1, what) < 0)
		return -1;
	size_t n = strlen(s->argv[1]);
	if (n < 1 || n >= sizeof(g->router_id)) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'router_id': expected %s, got '%s'", what,
			 s->argv[1]);
		return -1;
	}
	memcpy(g->router_id, s->argv[1], n + 1);
	return 0;
}

static int global_stmt(struct ka_ctx *cx, const struct ka_stmt *s)
{
	struct ka_global *g = &cx->cfg->g;
	const char *kw = s->argv[0];
	bool flag;

	if (!strcmp(kw, "router_id"))
		return global_router_id(cx, s);
	if (!strcmp(kw, "vrrp_mcast_group4"))
		return global_group(cx, s, AF_INET, &g->group4);
	if (!strcmp(kw, "vrrp_mcast_group6"))
		return global_group(cx, s, AF_INET6, &g->group6);
	if (!strcmp(kw, "vrrp_version"))
		return ka_uint(cx, s, 2, 3, &g->version);
	if (!strcmp(kw, "vrrp_garp_master_delay"))
		return ka_uint(cx, s, 0, 65535, &g->garp_delay_s);
	if (!strcmp(kw, "vrrp_garp_master_repeat"))
		return ka_uint(cx, s, 1, 255, &g->garp_repeat);
	if (!strcmp(kw, "vrrp_garp_master_refresh"))
		return ka_uint(cx, s, 0, 65535, &g->garp_refresh_s);
	if (!strcmp(kw, "vrrp_skip_check_adv_addr")) {
		if (ka_flag(cx, s, &flag) < 0)
			return -1;
		g->check_adv_addrs = !flag;
		return 0;
	}
	if (!strcmp(kw, "vrrp_strict"))
		return ka_flag(cx, s, &g->strict);
	bool handled;
	int grc = ka_global_garp(cx, s, &handled);
	if (handled)
		return grc;
	if (!strcmp(kw, "vrrp_check_unicast_src"))
		return ka_flag(cx, s, &g->check_unicast_src);
	int rc = ka_global_script_stmt(cx, s);
	if (rc != 1)
		return rc;
	ka_unsupported(cx->r, KA_SCOPE_GLOBAL, s);
	return 0;
}

static int global_defs(struct ka_ctx *cx, const struct ka_stmt *s)
{
	if (!s->has_block) {
		ka_error(cx->r, s->file, s->line,
			 "keyword 'global_defs': expected a '{' block");
		return -1;
	}
	if (ka_arg_count(cx, s, 0, 0, "'{' after 'global_defs'") < 0)
		return -1;
	int rc = 0;
	for (const struct ka_stmt *c = s->child; c; c = c->next)
		if (global_stmt(cx, c) < 0)
			rc = -1;
	return rc;
}

/* ---- top level ---------------------------------------------------------- */

static int top_stmt(struct ka_ctx *cx, const struct ka_stmt *s)
{
	const char *kw = s->argv[0];
	if (!strcmp(kw, "global_defs"))
		return global_defs(cx, s);
	if (!strcmp(kw, "vrrp_instance"))
		return ka_instance_parse(cx, s);
	if (!strcmp(kw, "static_ipaddress") || !strcmp(kw, "static_routes") ||
	    !strcmp(kw, "static_rules"))
		return ka_static_parse(cx, s);
	if (!strcmp(kw, "vrrp_sync_group"))
		return ka_sync_group_parse(cx, s);
	int rc = ka_track_def(cx, s);
	if (rc != 1)
		return rc;
	if (!ka_unsupported(cx->r, KA_SCOPE_TOP, s))
		ka_ignored(cx->r, s->file, s->line,
			   "keyword '%s' is not a known keepalived VRRP keyword",
			   kw);
	return 0;
}

static void global_defaults(struct ka_global *g)
{
	memset(g, 0, sizeof(*g));
	/* keepalived's defaults, which are also vrrpd's. */
	vaddr_parse("224.0.0.18", &g->group4, NULL);
	vaddr_parse("ff02::12", &g->group6, NULL);
	g->garp_delay_s = 5;
	g->garp_repeat = 5;
	g->garp_refresh_s = 0;
	g->check_adv_addrs = true;
	g->version = 2;
}

static int convert_tree(struct ka_ctx *cx, const struct ka_tree *t)
{
	int rc = 0;
	for (const struct ka_stmt *s = t->top; s; s = s->next)
		if (top_stmt(cx, s) < 0)
			rc = -1;
	/* Instances are completed after the whole file: global_defs settings
	 * apply wherever they appear, as in keepalived. */
	if (rc < 0)
		return -1;
	struct ka_config *c = cx->cfg;
	size_t kept = 0;
	for (size_t i = 0; i < c->n_inst; i++) {
		int f = ka_instance_finish(cx, &c->inst[i]);
		if (f < 0)
			rc = -1;
		if (f > 0) {
			ka_instance_free(&c->inst[i]);
			continue;
		}
		ka_instance_track_finish(cx, &c->inst[i]);
		c->inst[kept++] = c->inst[i];
	}
	c->n_inst = kept;
	if (rc == 0)
		rc = ka_instances_check(cx);
	if (rc == 0)
		rc = ka_sync_groups_finish(cx);
	if (rc == 0)
		ka_script_security_note(cx);
	return rc;
}

int kaconf_convert_text(const char *name, const char *text, size_t len,
			const struct kaconf_opts *opts, char **json_out,
			struct kaconf_diag *diag)
{
	struct ka_report r = {.diag = diag, .strict = opts && opts->strict};
	struct ka_config cfg = {0};
	struct ka_ctx cx = {.r = &r, .cfg = &cfg};
	struct ka_tree tree;
	struct utsname un;
	char host_id[sizeof(un.nodename)] = "";
	struct ka_parse_opts po = {
		.max_include_depth = opts ? opts->max_include_depth : 0,
		.config_id = opts ? opts->config_id : NULL,
	};

	*json_out = NULL;
	if (!po.config_id && uname(&un) == 0) {
		/* keepalived's default config id: the node name up to its
		 * first '.'. */
		snprintf(host_id, sizeof(host_id), "%.*s",
			 (int)strcspn(un.nodename, "."), un.nodename);
		po.config_id = host_id;
	}
	global_defaults(&cfg.g);
	if (ka_parse(name, text, len, &po, &r, &tree) < 0)
		return -1;
	int rc = convert_tree(&cx, &tree);
	if (rc == 0 && cfg.n_inst == 0)
		ka_warn(&r, name, 0,
			"no vrrp_instance found: nothing for vrrpd to run");
	if (rc == 0 && r.n_errors == 0) {
		*json_out = ka_config_to_json(&cfg);
		if (!*json_out)
			ka_error(&r, name, 0, "out of memory");
	}
	ka_config_free(&cfg);
	ka_tree_free(&tree);
	if (r.n_errors) {
		free(*json_out);
		*json_out = NULL;
		return -1;
	}
	return 0;
}

int kaconf_convert(const char *path, const struct kaconf_opts *opts,
		   char **json_out, struct kaconf_diag *diag)
{
	char *buf;
	size_t len;
	*json_out = NULL;
	int rc = ka_read_file(path, &buf, &len);
	if (rc < 0) {
		struct ka_report r = {.diag = diag};
		ka_error(&r, path, 0, "cannot read: %s", ka_read_strerror(rc));
		return -1;
	}
	rc = kaconf_convert_text(path, buf, len, opts, json_out, diag);
	free(buf);
	return rc;
}
