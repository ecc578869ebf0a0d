/* Build-time generator of vrrpctl's option table: loads yang/vrrpd.yang
 * with libyang and prints, as C, the options of `create/set instance`
 * (keyword, JSON member, kind, range, enum values, help) and the list of
 * every configuration leaf with the option that sets it or the reason no
 * option does. yang/vrrpd.yang stays the one source of fields: a leaf added
 * to the model either gets an option here or the build stops and says why
 * (issue 8, "one source per field").
 *
 * Tables: instance settings, a tracker's of each type, a sync group's, and
 * the per-follower settings (weight) of set instance/sync-group ... track.
 *
 * Usage: gen-cli-opts yang/vrrpd.yang > build/gen/cli_opts.inc
 *
 * Only this program links libyang; vrrpctl includes its output as plain
 * data, so the client still links nothing of the daemon. */
#include <libyang/libyang.h>
#include <libyang/plugins_types.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP "/vrrpd:vrrpd/"

/* Where the shell's spelling differs from the model, or a leaf has no
 * option. Every other configuration leaf under instance is an option named
 * like the leaf. A path ending in '/' covers a whole container. */
struct shell_rule {
	const char *path;    /* relative to /vrrpd:vrrpd/ */
	const char *kw;      /* option keyword; NULL: not settable */
	const char *member;  /* JSON member of instance.create/set */
	const char *hint;    /* overrides the hint made from the type */
	bool repeat;
	bool covered;        /* part of another leaf's option (kw names it) */
	const char *note;    /* appended to the help, or the reason */
};

static const struct shell_rule rules[] = {
	{ "instance/name", NULL, NULL, NULL, false, false,
	  "the instance's name is the NAME argument of create, set and delete" },
	{ "instance/authentication/type", "authentication", "authentication/type",
	  NULL, false, false, NULL },
	{ "instance/authentication/password", "password", "authentication/password",
	  NULL, false, false, NULL },
	/* The shell writes a virtual address as ADDR[/PLEN]; the daemon turns
	 * it into an entry of the list (rpc_config.c vip_entry). */
	{ "instance/virtual-address/address", "address", "virtual-address",
	  "<ADDR/PLEN>", true, false, "Repeat for several; set replaces the list." },
	{ "instance/virtual-address/prefix-length", "address", NULL, NULL, false,
	  true, NULL },
	{ "instance/virtual-address/excluded", NULL, NULL, NULL, false, false,
	  "not part of the ADDR/PLEN shorthand: set it in the startup file or "
	  "with config.replace" },
	{ "instance/virtual-address/label", NULL, NULL, NULL, false, false,
	  "not part of the ADDR/PLEN shorthand: set it in the startup file or "
	  "with config.replace" },
	{ "instance/virtual-address/broadcast", NULL, NULL, NULL, false, false,
	  "not part of the ADDR/PLEN shorthand: set it in the startup file or "
	  "with config.replace" },
	{ "instance/virtual-address/scope", NULL, NULL, NULL, false, false,
	  "not part of the ADDR/PLEN shorthand: set it in the startup file or "
	  "with config.replace" },
	{ "instance/virtual-address/device", NULL, NULL, NULL, false, false,
	  "not part of the ADDR/PLEN shorthand: set it in the startup file or "
	  "with config.replace" },
	{ "instance/garp/master-delay", "garp-master-delay", "garp/master-delay", NULL,
	  false, false, NULL },
	{ "instance/garp/master-repeat", "garp-master-repeat", "garp/master-repeat", NULL,
	  false, false, NULL },
	{ "instance/garp/master-refresh", "garp-master-refresh", "garp/master-refresh",
	  NULL, false, false, NULL },
	{ "instance/garp/master-refresh-repeat", "garp-master-refresh-repeat",
	  "garp/master-refresh-repeat", NULL, false, false, NULL },
	{ "instance/virtual-mac/enabled", "virtual-mac", "virtual-mac/enabled", NULL,
	  false, false, NULL },
	{ "instance/virtual-mac/interface", "virtual-mac-interface",
	  "virtual-mac/interface", NULL, false, false, NULL },
	{ "instance/virtual-mac/transmit-on-base", "virtual-mac-transmit-on-base",
	  "virtual-mac/transmit-on-base", NULL, false, false, NULL },
	/* Unicast settings carry the container's name: "ttl" or "address"
	 * alone would say nothing (and clash with the VIP shorthand). */
	{ "instance/unicast/ttl", "unicast-ttl", "unicast/ttl", NULL, false, false,
	  NULL },
	{ "instance/unicast/fault-no-peer", "unicast-fault-no-peer",
	  "unicast/fault-no-peer", NULL, false, false, NULL },
	{ "instance/unicast/check-source", "unicast-check-source",
	  "unicast/check-source", NULL, false, false, NULL },
	/* The shell writes a peer as its address; the daemon turns it into an
	 * entry of the list (rpc_config.c peer_list). */
	{ "instance/unicast/peer/address", "unicast-peer", "unicast/peer", "<ADDR>",
	  true, false, "Repeat for several; set replaces the list." },
	{ "instance/unicast/peer/min-ttl", NULL, NULL, NULL, false, false,
	  "per-peer TTL bounds are not part of the unicast-peer shorthand: set "
	  "them in the startup file or with config.replace" },
	{ "instance/unicast/peer/max-ttl", NULL, NULL, NULL, false, false,
	  "per-peer TTL bounds are not part of the unicast-peer shorthand: set "
	  "them in the startup file or with config.replace" },
	/* The key of a tracker, a sync group, or a followed tracker is an
	 * argument of its command, not an option. */
	{ "instance/track/script/name", NULL, NULL, NULL, false, false,
	  "the TRACKER argument of set instance NAME track script TRACKER" },
	{ "instance/track/interface/name", NULL, NULL, NULL, false, false,
	  "the TRACKER argument of set instance NAME track interface TRACKER" },
	{ "instance/track/file/name", NULL, NULL, NULL, false, false,
	  "the TRACKER argument of set instance NAME track file TRACKER" },
	{ "instance/track/process/name", NULL, NULL, NULL, false, false,
	  "the TRACKER argument of set instance NAME track process TRACKER" },
	{ "sync-group/track/script/name", NULL, NULL, NULL, false, false,
	  "the TRACKER argument of set sync-group NAME track script TRACKER" },
	{ "sync-group/track/interface/name", NULL, NULL, NULL, false, false,
	  "the TRACKER argument of set sync-group NAME track interface TRACKER" },
	{ "sync-group/track/file/name", NULL, NULL, NULL, false, false,
	  "the TRACKER argument of set sync-group NAME track file TRACKER" },
	{ "sync-group/track/process/name", NULL, NULL, NULL, false, false,
	  "the TRACKER argument of set sync-group NAME track process TRACKER" },
	{ "track/script/name", NULL, NULL, NULL, false, false,
	  "the NAME argument of create, set and delete tracker script" },
	{ "track/interface/name", NULL, NULL, NULL, false, false,
	  "the IFNAME argument of create, set and delete tracker interface" },
	{ "track/file/name", NULL, NULL, NULL, false, false,
	  "the NAME argument of create, set and delete tracker file" },
	{ "track/process/name", NULL, NULL, NULL, false, false,
	  "the NAME argument of create, set and delete tracker process" },
	{ "sync-group/name", NULL, NULL, NULL, false, false,
	  "the NAME argument of create, set and delete sync-group" },
	/* argv in one word: the daemon splits it (vrrpd/ctl/cfg_edit.c). */
	{ "track/script/command", "command", NULL, "<\"PROGRAM ARGS\">", false, false,
	  "One quoted word: the program and its arguments, split at blanks "
	  "('single quotes' group); with shell true, one shell command line." },
	{ "track/process/arguments", "arguments", NULL, "<\"ARGS\">", false, false,
	  "One quoted word, split at blanks ('single quotes' group)." },
	{ "sync-group/member", "member", NULL, "<INSTANCE>", true, false,
	  "Repeat for several; set replaces the list." },
	/* Notify scripts: a list keyed by event, each with its argv. */
	{ "instance/notify/", NULL, NULL, NULL, false, false,
	  "notify scripts: set them in the startup file or with config.replace" },
	{ "sync-group/notify/", NULL, NULL, NULL, false, false,
	  "notify scripts: set them in the startup file or with sync-group.set "
	  "(an RFC 7951 notify object)" },
	/* Routes and rules are lists of structured entries with no shell
	 * shorthand (yet): the startup file or config.replace. */
	{ "instance/virtual-route/", NULL, NULL, NULL, false, false,
	  "virtual routes have no shell shorthand: set them in the startup "
	  "file or with config.replace" },
	{ "instance/virtual-rule/", NULL, NULL, NULL, false, false,
	  "virtual rules have no shell shorthand: set them in the startup "
	  "file or with config.replace" },
	{ "static/", NULL, NULL, NULL, false, false,
	  "daemon-wide: static addresses, routes and rules are set in the "
	  "startup file or with config.replace" },
	{ "global/", NULL, NULL, NULL, false, false,
	  "daemon-wide: vrrpctl has no command for global settings; set them in "
	  "the startup file or with config.replace" },
};
#define N_RULES (sizeof(rules) / sizeof(rules[0]))

static bool rule_used[N_RULES];

static const struct shell_rule *find_rule(const char *rel)
{
	for (size_t i = 0; i < N_RULES; i++) {
		size_t n = strlen(rules[i].path);
		bool dir = rules[i].path[n - 1] == '/';

		if (dir ? strncmp(rel, rules[i].path, n) == 0 :
			  strcmp(rel, rules[i].path) == 0) {
			rule_used[i] = true;
			return &rules[i];
		}
	}
	return NULL;
}

/* The option tables: every settable leaf below a prefix (the longest
 * one that matches) is an option of that table's commands. */
struct scope {
	const char *prefix;
	const char *table;     /* C name of the option table */
	const char *required;  /* C name of what create must be given, or NULL */
};

static const struct scope scopes[] = {
	{ "instance/", "inst_opts", "create_required" },
	{ "instance/track/script/", "follow_script_opts", NULL },
	{ "instance/track/interface/", "follow_interface_opts", NULL },
	{ "instance/track/file/", "follow_file_opts", NULL },
	{ "instance/track/process/", "follow_process_opts", NULL },
	{ "track/script/", "trk_script_opts", "trk_script_required" },
	{ "track/interface/", "trk_interface_opts", "trk_interface_required" },
	{ "track/file/", "trk_file_opts", "trk_file_required" },
	{ "track/process/", "trk_process_opts", "trk_process_required" },
	{ "sync-group/", "group_opts", "group_required" },
	{ "sync-group/track/script/", "gfollow_script_opts", NULL },
	{ "sync-group/track/interface/", "gfollow_interface_opts", NULL },
	{ "sync-group/track/file/", "gfollow_file_opts", NULL },
	{ "sync-group/track/process/", "gfollow_process_opts", NULL },
};
#define N_SCOPES (sizeof(scopes) / sizeof(scopes[0]))

static const struct scope *scope_of(const char *rel)
{
	const struct scope *best = NULL;

	for (size_t i = 0; i < N_SCOPES; i++)
		if (strncmp(rel, scopes[i].prefix, strlen(scopes[i].prefix)) == 0 &&
		    (!best || strlen(scopes[i].prefix) > strlen(best->prefix)))
			best = &scopes[i];
	return best;
}

/* The JSON member an option sets: relative to the instance for instance
 * options (instance.set), the leaf itself for the others (tracker.set,
 * instance.track); in the --keywords table every member but an instance's
 * is the path from the top, so the renderer tells them apart. */
static const char *member_of(const char *rel, const struct scope *sc, bool keywords)
{
	if (sc == &scopes[0] || !keywords)
		return rel + strlen(sc->prefix);
	return rel;
}

/* A C string literal of s, white space runs folded to one space. */
static void put_str(const char *s)
{
	bool sp = false;

	putchar('"');
	for (; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t') {
			sp = true;
			continue;
		}
		if (sp)
			putchar(' ');
		sp = false;
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

/* The description's first sentence (up to ". " or the final '.'), folded. */
static void first_sentence(const char *dsc, char *out, size_t len)
{
	size_t o = 0;
	bool sp = false;

	for (const char *p = dsc; *p && o + 1 < len; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t') {
			sp = o > 0;
			continue;
		}
		if (sp && o + 2 < len)
			out[o++] = ' ';
		sp = false;
		out[o++] = *p;
		if (*p == '.' && (p[1] == '\0' || p[1] == ' ' || p[1] == '\n'))
			break;
	}
	out[o] = '\0';
}

/* The typedef a leaf was declared with, from the parsed module (the
 * compiled type keeps only the resolved restrictions): walk the parsed
 * tree along rel ("instance/vrid"). */
static const char *parsed_type_name(const struct lys_module *mod, const char *rel)
{
	const struct lysp_node *n = mod->parsed->data;
	char buf[520];
	const char *p = buf;

	snprintf(buf, sizeof(buf), "vrrpd/%s", rel);
	while (n) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		while (n && (strlen(n->name) != len || strncmp(n->name, p, len) != 0))
			n = n->next;
		if (!n || !slash)
			break;
		n = lysp_node_child(n);
		p = slash + 1;
	}
	return n && n->nodetype == LYS_LEAF ?
	       ((const struct lysp_node_leaf *)n)->type.name : NULL;
}

static bool is_addr_type(const struct lysc_type *t)
{
	if (t->basetype == LY_TYPE_UNION) {
		const struct lysc_type_union *u = (const struct lysc_type_union *)t;

		for (LY_ARRAY_COUNT_TYPE i = 0; i < LY_ARRAY_COUNT(u->types); i++)
			if (!is_addr_type(u->types[i]))
				return false;
		return LY_ARRAY_COUNT(u->types) > 0;
	}
	/* libyang stores inet:ipv4-address* and ipv6-address* with its own
	 * plugins; their ids name the type. */
	return t->basetype == LY_TYPE_STRING && t->plugin && t->plugin->id &&
	       (strstr(t->plugin->id, "ipv4-address") || strstr(t->plugin->id, "ipv6-address"));
}

static int uint_limits(const struct lysc_type *t, unsigned long long *min,
		       unsigned long long *max)
{
	const struct lysc_range *r = ((const struct lysc_type_num *)t)->range;

	switch (t->basetype) {
	case LY_TYPE_UINT8: *max = 255; break;
	case LY_TYPE_UINT16: *max = 65535; break;
	case LY_TYPE_UINT32: *max = 4294967295ULL; break;
	default: return -1;
	}
	*min = 0;
	if (r) {
		/* One interval is all the shell's range check knows. */
		if (LY_ARRAY_COUNT(r->parts) != 1)
			return -1;
		*min = r->parts[0].min_u64;
		*max = r->parts[0].max_u64;
	}
	return 0;
}

struct opt_out {
	const char *kind;
	char hint[64];       /* C expression: a literal or NULL */
	char values[128];    /* name of the values array, or NULL */
	unsigned long long min, max;
	long long smin, smax;  /* CLI_INT */
};

/* "instance/address-family" -> "v_instance_address_family" */
static void values_name(const char *rel, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "v_");

	for (const char *p = rel; *p && o + 1 < len; p++)
		buf[o++] = (*p == '/' || *p == '-') ? '_' : *p;
	buf[o] = '\0';
}

/* Kind, hint, range and values of a leaf's option; -1 if the type has no
 * shell mapping (the build stops: add a rule or teach this function). */
static const struct lysc_type *type_of(const struct lysc_node *n)
{
	return n->nodetype == LYS_LEAFLIST ? ((const struct lysc_node_leaflist *)n)->type
					   : ((const struct lysc_node_leaf *)n)->type;
}

static int int_limits(const struct lysc_type *t, long long *min, long long *max)
{
	const struct lysc_range *r = ((const struct lysc_type_num *)t)->range;

	switch (t->basetype) {
	case LY_TYPE_INT8: *min = -128; *max = 127; break;
	case LY_TYPE_INT16: *min = -32768; *max = 32767; break;
	case LY_TYPE_INT32: *min = -2147483648LL; *max = 2147483647LL; break;
	default: return -1;
	}
	if (r) {
		if (LY_ARRAY_COUNT(r->parts) != 1)
			return -1;
		*min = r->parts[0].min_64;
		*max = r->parts[0].max_64;
	}
	return 0;
}

static int map_type(const struct lys_module *mod, const char *rel,
		    const struct lysc_node *node, struct opt_out *o)
{
	const struct lysc_type *t = type_of(node);
	const char *tdf = parsed_type_name(mod, rel);
	long long smin, smax;

	memset(o, 0, sizeof(*o));
	snprintf(o->values, sizeof(o->values), "NULL");
	snprintf(o->hint, sizeof(o->hint), "NULL");
	if (tdf && strcmp(tdf, "interface-name") == 0) {
		o->kind = "CLI_IFNAME";
		snprintf(o->hint, sizeof(o->hint), "\"<IFNAME>\"");
		return 0;
	}
	if (is_addr_type(t)) {
		o->kind = "CLI_ADDR";
		snprintf(o->hint, sizeof(o->hint), "\"<ADDR>\"");
		return 0;
	}
	/* A reference to an instance completes with the live names. */
	if (t->basetype == LY_TYPE_LEAFREF) {
		const struct lysc_type_leafref *lr = (const struct lysc_type_leafref *)t;

		if (strstr(lyxp_get_expr(lr->path), "instance")) {
			o->kind = "CLI_INSTANCE";
			snprintf(o->hint, sizeof(o->hint), "\"<INSTANCE>\"");
			return 0;
		}
		t = lr->realtype;
	}
	switch (t->basetype) {
	case LY_TYPE_INT8:
	case LY_TYPE_INT16:
	case LY_TYPE_INT32:
		if (int_limits(t, &smin, &smax) < 0)
			return -1;
		o->kind = "CLI_INT";
		o->smin = smin;
		o->smax = smax;
		snprintf(o->hint, sizeof(o->hint), "\"<%lld..%lld>\"", smin, smax);
		return 0;
	case LY_TYPE_UINT8:
	case LY_TYPE_UINT16:
	case LY_TYPE_UINT32:
		if (uint_limits(t, &o->min, &o->max) < 0)
			return -1;
		o->kind = "CLI_UINT";
		snprintf(o->hint, sizeof(o->hint), "\"<%llu-%llu>\"", o->min, o->max);
		return 0;
	case LY_TYPE_BOOL:
		o->kind = "CLI_BOOL";
		snprintf(o->values, sizeof(o->values), "v_bool");
		return 0;
	case LY_TYPE_ENUM:
		o->kind = "CLI_ENUM";
		values_name(rel, o->values, sizeof(o->values));
		return 0;
	case LY_TYPE_STRING: {
		const struct lysc_range *len = ((const struct lysc_type_str *)t)->length;

		o->kind = "CLI_WORD";
		if (len && LY_ARRAY_COUNT(len->parts) == 1)
			snprintf(o->hint, sizeof(o->hint), "\"<%llu-%llu chars>\"",
				 (unsigned long long)len->parts[0].min_u64,
				 (unsigned long long)len->parts[0].max_u64);
		else
			snprintf(o->hint, sizeof(o->hint), "\"<TEXT>\"");
		return 0;
	}
	default:
		return -1;
	}
}

static void rel_path(const struct lysc_node *n, char *buf, size_t len)
{
	char full[512];

	lysc_path(n, LYSC_PATH_DATA, full, sizeof(full));
	snprintf(buf, len, "%s", strncmp(full, TOP, strlen(TOP)) == 0 ?
		 full + strlen(TOP) : full);
}

/* The configuration leaves under instance and global, in schema order. */
#define MAX_LEAVES 512
struct leaves {
	const struct lysc_node *n[MAX_LEAVES];
	size_t count;
};

static int collect(const struct lys_module *mod, struct leaves *l)
{
	const struct lysc_node *top = lys_find_path(mod->ctx, NULL, "/vrrpd:vrrpd", 0);
	const struct lysc_node *elem;

	if (!top)
		return -1;
	LYSC_TREE_DFS_BEGIN(top, elem) {
		if ((elem->nodetype & (LYS_LEAF | LYS_LEAFLIST)) &&
		    (elem->flags & LYS_CONFIG_W)) {
			if (l->count == MAX_LEAVES)
				return -1;
			l->n[l->count++] = elem;
		}
		LYSC_TREE_DFS_END(top, elem);
	}
	return 0;
}

/* --keywords: only (JSON member, keyword, repeat) for the configuration
 * line renderer (lib/cfglines.c), which the daemon links too. */
static bool keywords_mode;

/* A leaf-list is an option given once per element, unless a rule says
 * it is written as one word (command). */
static bool repeats(const struct lysc_node *n, const struct shell_rule *r)
{
	return r ? r->repeat : n->nodetype == LYS_LEAFLIST;
}

static void print_option(const struct lysc_node *n, const char *rel,
			 const struct scope *sc, const struct shell_rule *r,
			 const struct opt_out *o)
{
	const char *dsc = n->dsc;
	char help[512];

	if (keywords_mode) {
		printf("\t{ ");
		put_str(r && r->member ? r->member : member_of(rel, sc, true));
		printf(", ");
		put_str(r ? r->kw : n->name);
		printf(", %s },\n", repeats(n, r) ? "true" : "false");
		return;
	}

	/* A list member set through the shorthand takes the list's help: the
	 * list entry is the thing set. */
	if (r && r->repeat && n->nodetype == LYS_LEAF && n->parent && n->parent->dsc)
		dsc = n->parent->dsc;
	first_sentence(dsc ? dsc : "", help, sizeof(help));
	if (r && r->note)
		snprintf(help + strlen(help), sizeof(help) - strlen(help), " %s", r->note);
	printf("\t{ ");
	put_str(r ? r->kw : n->name);
	printf(", ");
	put_str(r && r->member ? r->member : member_of(rel, sc, false));
	printf(", %s, ", o->kind);
	if (r && r->hint)
		put_str(r->hint);
	else
		printf("%s", o->hint);
	if (strcmp(o->kind, "CLI_INT") == 0)
		printf(", %s, %lld, %lld, %s,\n\t  ", o->values, o->smin, o->smax,
		       repeats(n, r) ? "true" : "false");
	else
		printf(", %s, %llu, %llu, %s,\n\t  ", o->values, o->min, o->max,
		       repeats(n, r) ? "true" : "false");
	put_str(help);
	printf(" },\n");
}

static void print_values(const struct lysc_node *n, const struct opt_out *o)
{
	const struct lysc_type_enum *e = (const struct lysc_type_enum *)type_of(n);

	if (strcmp(o->kind, "CLI_ENUM") != 0)
		return;
	printf("static const char *const %s[] = {", o->values);
	for (LY_ARRAY_COUNT_TYPE i = 0; i < LY_ARRAY_COUNT(e->enums); i++)
		printf(" \"%s\",", e->enums[i].name);
	printf(" NULL };\n");
}

/* pass 0: value lists; 1: the options of scope sc (every scope with
 * NULL); 2: the leaf map. Returns errors. */
static int gen_pass(const struct lys_module *mod, const struct leaves *l, int pass,
		    const struct scope *only)
{
	int errors = 0;

	for (size_t i = 0; i < l->count; i++) {
		const struct lysc_node *n = l->n[i];
		const struct shell_rule *r;
		const struct scope *sc;
		struct opt_out o;
		char rel[512];

		rel_path(n, rel, sizeof(rel));
		r = find_rule(rel);
		sc = scope_of(rel);
		if (pass == 2) {
			printf("\t{ ");
			put_str(rel);
			printf(", ");
			if (r && !r->kw) {
				printf("NULL, ");
				put_str(r->note);
				printf(", NULL");
			} else {
				put_str(r ? r->kw : n->name);
				printf(", NULL, %s", sc ? sc->table : "NULL");
			}
			printf(" },\n");
			continue;
		}
		if (r && (!r->kw || r->covered))
			continue;
		if (!sc) {
			fprintf(stderr, "gen-cli-opts: %s: no vrrpctl option and no rule "
				"saying why (scripts/gen-cli-opts.c)\n", rel);
			errors++;
			continue;
		}
		if (pass == 1 && only && sc != only)
			continue;
		if (map_type(mod, rel, n, &o) < 0) {
			fprintf(stderr, "gen-cli-opts: %s: its type has no vrrpctl option "
				"kind; teach map_type() or add a rule saying why it is "
				"not settable\n", rel);
			errors++;
			continue;
		}
		if (!n->dsc || !*n->dsc) {
			fprintf(stderr, "gen-cli-opts: %s: no description to take the "
				"help from\n", rel);
			errors++;
			continue;
		}
		if (pass == 0)
			print_values(n, &o);
		else
			print_option(n, rel, sc, r, &o);
	}
	return errors;
}

/* What create must be given: the mandatory leaves and the lists with
 * min-elements, as their options. The list key (name) is the NAME. */
static void print_required(const struct leaves *l, const struct scope *sc)
{
	printf("static const char *const %s[] = {", sc->required);
	for (size_t i = 0; i < l->count; i++) {
		const struct lysc_node *n = l->n[i];
		const struct shell_rule *r;
		char rel[512];
		bool need = (n->flags & LYS_MAND_TRUE) && !(n->flags & LYS_KEY);

		rel_path(n, rel, sizeof(rel));
		if (scope_of(rel) != sc)
			continue;
		r = find_rule(rel);
		if (n->nodetype == LYS_LEAFLIST)
			need = ((const struct lysc_node_leaflist *)n)->min > 0;
		/* A list entry's key names the entry the shorthand sets. */
		if ((n->flags & LYS_KEY) && n->parent && n->parent->nodetype == LYS_LIST &&
		    strcmp(rel + strlen(sc->prefix), "name") != 0)
			need = ((const struct lysc_node_list *)n->parent)->min > 0;
		if (need && r && !r->kw)
			continue;
		if (need) {
			printf(" ");
			put_str(r ? r->kw : n->name);
			printf(",");
		}
	}
	printf(" NULL };\n");
}

int main(int argc, char **argv)
{
	struct ly_ctx *ctx = NULL;
	struct lys_module *mod = NULL;
	struct leaves l = { .count = 0 };
	int errors = 0;

	if (argc == 3 && strcmp(argv[1], "--keywords") == 0) {
		keywords_mode = true;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: gen-cli-opts [--keywords] yang/vrrpd.yang\n");
		return 2;
	}
	/* ietf-inet-types and ietf-yang-types are built into libyang; the
	 * module's submodules (vrrpd-tracking) sit beside it. */
	char dir[1024];
	const char *slash = strrchr(argv[1], '/');
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - argv[1]) : 1,
		 slash ? argv[1] : ".");
	if (ly_ctx_new(dir, LY_CTX_NO_YANGLIBRARY | LY_CTX_DISABLE_SEARCHDIR_CWD,
		       &ctx) != LY_SUCCESS ||
	    lys_parse_path(ctx, argv[1], LYS_IN_YANG, &mod) != LY_SUCCESS ||
	    collect(mod, &l) < 0) {
		fprintf(stderr, "gen-cli-opts: cannot load %s\n", argv[1]);
		ly_ctx_destroy(ctx);
		return 1;
	}
	if (keywords_mode) {
		printf("/* Generated from %s by scripts/gen-cli-opts.c --keywords; do not\n"
		       " * edit. Included by lib/cfglines.c. */\n\n"
		       "static const struct cfgl_kw cfgl_keywords[] = {\n", argv[1]);
		errors = gen_pass(mod, &l, 1, NULL);
		printf("\t{ NULL, NULL, false },\n};\n");
		ly_ctx_destroy(ctx);
		return errors ? 1 : 0;
	}
	printf("/* Generated from %s by scripts/gen-cli-opts.c; do not edit.\n"
	       " * Included by vrrpctl/cmd_table.c. */\n\n", argv[1]);
	printf("static const char *const v_bool[] = { \"true\", \"false\", NULL };\n");
	/* Pass 0 reports every leaf without a mapping; stop there. */
	errors += gen_pass(mod, &l, 0, NULL);
	if (errors) {
		ly_ctx_destroy(ctx);
		return 1;
	}
	for (size_t k = 0; k < N_SCOPES; k++) {
		printf("\n/* Settings below %s, in schema order. */\n"
		       "static const struct cli_opt %s[] = {\n", scopes[k].prefix,
		       scopes[k].table);
		errors += gen_pass(mod, &l, 1, &scopes[k]);
		printf("\t{ NULL, NULL, 0, NULL, NULL, 0, 0, false, NULL },\n};\n");
	}
	printf("\n/* Settings create must be given (mandatory leaves, lists with\n"
	       " * min-elements). */\n");
	for (size_t k = 0; k < N_SCOPES; k++)
		if (scopes[k].required)
			print_required(&l, &scopes[k]);
	printf("\n/* Every configuration leaf: the option that sets it (and its\n"
	       " * table), or why none does. */\n"
	       "static const struct cli_leaf schema_leaves[] = {\n");
	gen_pass(mod, &l, 2, NULL);
	printf("\t{ NULL, NULL, NULL, NULL },\n};\n");
	for (size_t i = 0; i < N_RULES; i++) {
		if (!rule_used[i]) {
			fprintf(stderr, "gen-cli-opts: rule for %s matches no "
				"configuration leaf; remove it\n", rules[i].path);
			errors++;
		}
	}
	ly_ctx_destroy(ctx);
	return errors ? 1 : 0;
}
