/* keepalived import: entry points, the top level and global_defs. Values
 * are validated here, where they are read, and reported with FILE:LINE and
 * the keyword; nothing is output unless the whole configuration is good. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "keepalived_conf.h"
#include "keepalived_ir.h"

/* ---- value helpers ---------------------------------------------------- */

int ka_arg_count(struct ka_ctx *cx, const struct ka_stmt *s, size_t min,
		 size_t max, const char *expected)
{
	size_t n = s->argc - 1;
	if (n < min) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected %s, got nothing", s->argv[0],
			 expected);
		return -1;
	}
	if (n > max) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected %s, got extra argument '%s'",
			 s->argv[0], expected, s->argv[max + 1]);
		return -1;
	}
	return 0;
}

int ka_no_block(struct ka_ctx *cx, const struct ka_stmt *s)
{
	if (!s->has_block)
		return 0;
	ka_error(cx->r, s->file, s->line,
		 "keyword '%s': takes no '{' block", s->argv[0]);
	return -1;
}

bool ka_parse_decimal(const char *v, unsigned long max, unsigned long *out)
{
	if (!*v)
		return false;
	unsigned long n = 0;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > max)
			return false;
	}
	*out = n;
	return true;
}

/* One integer argument min..max: "expected an integer 1..255, got '0'". */
int ka_uint(struct ka_ctx *cx, const struct ka_stmt *s, unsigned min,
	    unsigned max, unsigned *out)
{
	char what[64];
	snprintf(what, sizeof(what), "an integer %u..%u", min, max);
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 1, 1, what) < 0)
		return -1;
	unsigned long v;
	if (!ka_parse_decimal(s->argv[1], max, &v) || v < min) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected %s, got '%s'", s->argv[0],
			 what, s->argv[1]);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* A flag keyword: alone it means true; keepalived also accepts a <BOOL>. */
int ka_flag(struct ka_ctx *cx, const struct ka_stmt *s, bool *out)
{
	static const char *const yes[] = {"on", "true", "yes"};
	static const char *const no[] = {"off", "false", "no"};
	const char *expected = "nothing or one of on|off|true|false|yes|no";
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 0, 1, expected) < 0)
		return -1;
	if (s->argc == 1) {
		*out = true;
		return 0;
	}
	for (size_t i = 0; i < 3; i++) {
		if (!strcasecmp(s->argv[1], yes[i]) ||
		    !strcasecmp(s->argv[1], no[i])) {
			*out = !strcasecmp(s->argv[1], yes[i]);
			return 0;
		}
	}
	ka_error(cx->r, s->file, s->line, "keyword '%s': expected %s, got '%s'",
		 s->argv[0], expected, s->argv[1]);
	return -1;
}

/* Linux interface names: 1..15 bytes, no '/', ':' or white space, not "."
 * or ".." (the kernel's dev_valid_name()). */
int ka_ifname(struct ka_ctx *cx, const struct ka_stmt *s, const char *kw,
	      const char *value, char out[IFNAMSIZ])
{
	size_t n = strlen(value);
	bool ok = n >= 1 && n < IFNAMSIZ && strcmp(value, ".") &&
		  strcmp(value, "..") && !strpbrk(value, "/: \t");
	if (!ok) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected an interface name of 1..%d characters without '/', ':' or spaces, got '%s'",
			 kw, IFNAMSIZ - 1, value);
		return -1;
	}
	memcpy(out, value, n + 1);
	return 0;
}

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
	/* Other vrrp_* settings tune VRRP behaviour vrrpd does not have; the
	 * rest (mail, LVS, scripts, SNMP, ...) is not about VRRP at all. */
	if (!strncmp(kw, "vrrp_", 5))
		ka_ignored(cx->r, s->file, s->line,
			   "'%s' is not supported by vrrpd yet", kw);
	else
		ka_ignored(cx->r, s->file, s->line,
			   "keyword '%s' is outside VRRP", kw);
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

/* Top-level blocks of keepalived that configure something other than VRRP
 * (load balancing, BFD, static addresses and routes, process settings). */
static const char *const outside_vrrp[] = {
	"virtual_server", "virtual_server_group", "real_server",
	"bfd_instance", "static_ipaddress", "static_routes", "static_rules",
	"linkbeat_use_polling", "net_namespace", "net_namespace_ipvs",
	"instance", "use_pid_dir", "namespace_with_ipsets", "child_wait_time",
};

/* VRRP features keepalived has and vrrpd does not have yet. */
static const char *const vrrp_unsupported[] = {
	"vrrp_sync_group", "vrrp_script", "vrrp_track_file", "track_file",
	"vrrp_track_process", "vrrp_track_bfd", "garp_group",
};

static bool in_list(const char *const *list, size_t n, const char *kw)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], kw))
			return true;
	return false;
}

static int top_stmt(struct ka_ctx *cx, const struct ka_stmt *s)
{
	const char *kw = s->argv[0];
	if (!strcmp(kw, "global_defs"))
		return global_defs(cx, s);
	if (!strcmp(kw, "vrrp_instance"))
		return ka_instance_parse(cx, s);
	if (in_list(vrrp_unsupported,
		    sizeof(vrrp_unsupported) / sizeof(*vrrp_unsupported), kw))
		ka_ignored(cx->r, s->file, s->line,
			   "'%s' is not supported by vrrpd yet", kw);
	else if (in_list(outside_vrrp,
			 sizeof(outside_vrrp) / sizeof(*outside_vrrp), kw))
		ka_ignored(cx->r, s->file, s->line,
			   "keyword '%s' is outside VRRP", kw);
	else
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
	for (size_t i = 0; i < cx->cfg->n_inst; i++)
		if (ka_instance_finish(cx, &cx->cfg->inst[i]) < 0)
			rc = -1;
	if (rc == 0)
		rc = ka_instances_check(cx);
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

	*json_out = NULL;
	global_defaults(&cfg.g);
	if (ka_parse(name, text, len, opts ? opts->max_include_depth : 0, &r,
		     &tree) < 0)
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
		ka_error(&r, path, 0, "cannot read: %s", strerror(-rc));
		return -1;
	}
	rc = kaconf_convert_text(path, buf, len, opts, json_out, diag);
	free(buf);
	return rc;
}
