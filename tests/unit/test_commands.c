/* vrrpctl's command table: splitting, parsing with abbreviation, errors,
 * candidates for `?` and Tab, and the JSON-RPC requests built. The file
 * under test is included: vrrpctl objects are not in a library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libyang/libyang.h>
#include <stdio.h>
#include <string.h>

#include "../../vrrpctl/cmd_table.c"
#include "../../vrrpctl/commands.c"
#include "model.h"
#include "rpc.h"

static size_t fake_instances(void *arg, char (*names)[64], size_t max)
{
	(void)arg;
	(void)max;
	snprintf(names[0], 64, "VI_1");
	snprintf(names[1], 64, "VI_2");
	snprintf(names[2], 64, "web");
	return 3;
}

static size_t fake_ifnames(void *arg, char (*names)[64], size_t max)
{
	(void)arg;
	(void)max;
	snprintf(names[0], 64, "eth0");
	snprintf(names[1], 64, "lo");
	return 2;
}

/* Trackers of the type asked for, as the daemon's running configuration
 * would give them. */
static size_t fake_trackers(void *arg, const char *type, char (*names)[64], size_t max)
{
	(void)arg;
	(void)max;
	if (strcmp(type, "script") != 0)
		return 0;
	snprintf(names[0], 64, "chk_haproxy");
	snprintf(names[1], 64, "chk_db");
	return 2;
}

static size_t fake_groups(void *arg, char (*names)[64], size_t max)
{
	(void)arg;
	(void)max;
	snprintf(names[0], 64, "G1");
	return 1;
}

static const struct cli_env env = { NULL, fake_instances, fake_ifnames, fake_trackers,
				    fake_groups };

/* Parse a line; returns the command id or -1 (err in last_err). */
static char last_err[256];
static struct cli_parsed last;
static char linebuf[512];

static int parse(const char *line)
{
	char *w[CLI_MAX_WORDS];
	int n;

	snprintf(linebuf, sizeof(linebuf), "%s", line);
	n = cli_split(linebuf, w, CLI_MAX_WORDS, last_err, sizeof(last_err));
	if (n < 0)
		return -1;
	if (cli_parse(w, (size_t)n, &last, last_err, sizeof(last_err)) < 0)
		return -1;
	return (int)last.cmd->id;
}

static void test_split(void **state)
{
	char buf[128] = "  set instance \"my VI\" password \"a b\"  # comment";
	char *w[8], err[64];
	(void)state;

	assert_int_equal(cli_split(buf, w, 8, err, sizeof(err)), 5);
	assert_string_equal(w[2], "my VI");
	assert_string_equal(w[4], "a b");
	snprintf(buf, sizeof(buf), "show \"x");
	assert_int_equal(cli_split(buf, w, 8, err, sizeof(err)), -1);
}

static void test_parse_abbreviations(void **state)
{
	(void)state;
	assert_int_equal(parse("show instances"), CMD_SHOW_INSTANCES);
	/* "inst" could be instance or instances: what parses decides. */
	assert_int_equal(parse("sh inst VI_1"), CMD_SHOW_INSTANCE);
	assert_string_equal(last.arg, "VI_1");
	assert_int_equal(parse("sh inst"), CMD_SHOW_INSTANCES);
	assert_int_equal(parse("sh stat"), CMD_SHOW_STATISTICS);
	assert_null(last.arg);
	assert_int_equal(parse("sh stat VI_1"), CMD_SHOW_STATISTICS);
	assert_int_equal(parse("sh run"), CMD_SHOW_RUNNING);
	assert_int_equal(parse("fail VI_1 h 10"), CMD_FAILOVER);
	assert_int_equal(last.n_opts, 1);
	assert_string_equal(last.opts[0].value, "10");
	assert_int_equal(parse("mon"), CMD_MONITOR);
	assert_int_equal(parse("sa"), CMD_SAVE);
	assert_int_equal(parse("sa /tmp/x.json"), CMD_SAVE);
	assert_int_equal(parse("q"), CMD_QUIT);
	/* a commit confirmed takes a comment like a plain commit */
	assert_int_equal(parse("commit confirmed 15s comment \"new VIP\""), CMD_COMMIT_CONFIRMED);
	assert_string_equal(last.arg, "15s");
	assert_int_equal(last.n_opts, 1);
	assert_string_equal(last.opts[0].value, "new VIP");
	assert_int_equal(parse("commit confirmed"), CMD_COMMIT_CONFIRMED);
	assert_int_equal(parse("commit comment x"), CMD_COMMIT);
}

static void test_parse_errors(void **state)
{
	(void)state;
	/* A verb must be unambiguous: "s" is save, set or show. */
	assert_int_equal(parse("s instances"), -1);
	assert_non_null(strstr(last_err, "ambiguous"));
	assert_non_null(strstr(last_err, "save"));
	assert_int_equal(parse("frobnicate"), -1);
	assert_non_null(strstr(last_err, "unknown command"));
	/* Typed in full, "instance" is not an abbreviation of "instances". */
	assert_int_equal(parse("show instance"), -1);
	assert_non_null(strstr(last_err, "<NAME>"));
	assert_int_equal(parse("delete instance"), -1);
	assert_non_null(strstr(last_err, "<NAME>"));
	assert_int_equal(parse("set instance VI_1"), -1);
	assert_int_equal(parse("set instance VI_1 priority 0"), -1);
	assert_non_null(strstr(last_err, "1-255"));
	assert_int_equal(parse("set instance VI_1 priority"), -1);
	assert_non_null(strstr(last_err, "missing value"));
	/* An ambiguous abbreviation names the candidates. */
	assert_int_equal(parse("set instance VI_1 pre true"), -1);
	assert_string_equal(last_err, "ambiguous option \"pre\": preempt, preempt-delay");
	assert_int_equal(parse("set instance VI_1 add 10.0.0.1"), -1);
	assert_string_equal(last_err, "ambiguous option \"add\": address, address-family");
	assert_int_equal(parse("set instance VI_1 address-family ipv"), -1);
	assert_string_equal(last_err, "address-family: ambiguous value \"ipv\": ipv4, ipv6");
	assert_int_equal(parse("set instance VI_1 bogus 1"), -1);
	assert_string_equal(last_err, "unknown option \"bogus\"");
	/* The model's range, not a hand-copied one: 5000 cs is a valid VRRPv2
	 * interval (50 s); the v2/v3 rules are the model's must statements. */
	assert_int_equal(parse("set instance VI_1 advertisement-interval 5000"), CMD_SET);
	assert_int_equal(parse("set instance VI_1 advertisement-interval 25501"), -1);
	assert_non_null(strstr(last_err, "1-25500"));
	assert_int_equal(parse("set instance VI_1 priority 10 priority 20"), -1);
	assert_int_equal(parse("create instance X interface eth0 vrid 5"), -1);
	assert_non_null(strstr(last_err, "missing address"));
	assert_int_equal(parse("create instance X interface eth0 vrid 5 address 300.1.1.1/8"), -1);
	assert_int_equal(parse("show instances extra"), -1);
	assert_non_null(strstr(last_err, "unexpected"));
}

static void test_request(void **state)
{
	const char *method;
	json_object *params, *v;
	char err[64];
	(void)state;

	assert_int_equal(parse("create instance VI_9 int eth0 vrid 9 pri 120 "
			       "address 10.0.0.1/24 address 10.0.0.2 preempt off "
			       "auth simple-password password secret"), CMD_CREATE);
	assert_int_equal(cli_request(&last, &method, &params, err, sizeof(err)), 0);
	assert_string_equal(method, "instance.create");
	assert_string_equal(json_object_to_json_string_ext(params, JSON_C_TO_STRING_PLAIN |
							   JSON_C_TO_STRING_NOSLASHESCAPE),
			    "{\"name\":\"VI_9\",\"interface\":\"eth0\",\"vrid\":9,"
			    "\"priority\":120,\"virtual-address\":[\"10.0.0.1/24\",\"10.0.0.2\"],"
			    "\"preempt\":false,\"authentication/type\":\"simple-password\","
			    "\"authentication/password\":\"secret\"}");
	json_object_put(params);

	assert_int_equal(parse("set instance VI_1 priority 200"), CMD_SET);
	assert_int_equal(cli_request(&last, &method, &params, err, sizeof(err)), 0);
	assert_string_equal(method, "instance.set");
	assert_true(json_object_object_get_ex(params, "priority", &v));
	assert_true(json_object_is_type(v, json_type_int));
	json_object_put(params);

	assert_int_equal(parse("save /etc/vrrpd.json"), CMD_SAVE);
	assert_int_equal(cli_request(&last, &method, &params, err, sizeof(err)), 0);
	assert_true(json_object_object_get_ex(params, "path", &v));
	json_object_put(params);

	assert_int_equal(parse("convert /etc/keepalived/keepalived.conf"), CMD_CONVERT);
	assert_int_equal(cli_request(&last, &method, &params, err, sizeof(err)), -1);
}

/* Candidates for the line (last word partial unless the line ends in a
 * space); returns them joined by spaces. */
static char joined[2048];
static const char *cands(const char *line)
{
	char buf[512], *w[CLI_MAX_WORDS], err[64];
	const char *partial = "";
	struct cli_cand c[300];
	size_t len = strlen(line), n;
	int nw;

	snprintf(buf, sizeof(buf), "%s", line);
	if (len > 0 && line[len - 1] != ' ') {
		char *sp = strrchr(buf, ' ');
		partial = sp ? sp + 1 : buf;
		if (sp)
			*sp = '\0';
		else
			buf[0] = '\0';
		partial = line + (size_t)(partial - buf);
	}
	nw = cli_split(buf, w, CLI_MAX_WORDS, err, sizeof(err));
	n = cli_candidates(&env, w, (size_t)nw, partial, c, 300);
	joined[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strncat(joined, " ", sizeof(joined) - strlen(joined) - 1);
		strncat(joined, c[i].text, sizeof(joined) - strlen(joined) - 1);
	}
	return joined;
}

static void test_candidates(void **state)
{
	(void)state;
	assert_string_equal(cands("s"), "show set save");
	assert_string_equal(cands("sh"), "show");
	assert_string_equal(cands("show "), "instances instance statistics tracking running-config daemon compare "
			    "candidate commits");
	assert_string_equal(cands("show inst"), "instances instance");
	/* Live instance names from the daemon. */
	assert_string_equal(cands("show instance "), "VI_1 VI_2 web <NAME>");
	assert_string_equal(cands("show instance V"), "VI_1 VI_2 <NAME>");
	assert_string_equal(cands("sh inst V"), "VI_1 VI_2 <NAME>");
	assert_string_equal(cands("show statistics "), "VI_1 VI_2 web <NAME> <cr>");
	assert_string_equal(cands("set instance VI_1 pri"), "priority");
	assert_string_equal(cands("set instance VI_1 pre"), "preempt preempt-delay");
	assert_string_equal(cands("set instance VI_1 preempt "), "true false");
	assert_string_equal(cands("set instance VI_1 priority "), "<1-255>");
	/* After one setting, the others (not the same again) and <cr>. */
	assert_non_null(strstr(cands("set instance VI_1 priority 5 "), "vrid"));
	assert_null(strstr(cands("set instance VI_1 priority 5 "), "priority"));
	assert_non_null(strstr(cands("set instance VI_1 priority 5 "), "<cr>"));
	/* Interface names from the system. */
	assert_string_equal(cands("create instance X interface "), "eth0 lo <IFNAME>");
	assert_string_equal(cands("create instance X interface e"), "eth0 <IFNAME>");
	/* "address" repeats. */
	assert_non_null(strstr(cands("create instance X address 1.1.1.1 "), "address"));
	/* <cr> only once every required setting is there. */
	assert_null(strstr(cands("create instance X interface eth0 vrid 5 "), "<cr>"));
	assert_non_null(strstr(cands("create instance X interface eth0 vrid 5 address 1.1.1.1 "),
			       "<cr>"));
	assert_string_equal(cands("failover VI_1 "), "hold <cr>");
	assert_string_equal(cands("bogus "), "");
	/* A verb that is ambiguous gives nothing further. */
	assert_string_equal(cands("s "), "");
}

static const char *request_text(const char *line, const char **method)
{
	static char text[1024];
	json_object *params;
	char err[128];

	if (parse(line) < 0)
		fail_msg("%s: %s", line, last_err);
	assert_int_equal(cli_request(&last, method, &params, err, sizeof(err)), 0);
	snprintf(text, sizeof(text), "%s", json_object_to_json_string_ext(
			 params, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(params);
	return text;
}

/* Trackers, sync groups and follow lists: the grammar, the requests, the
 * live names and the options from YANG. */
static void test_tracker_commands(void **state)
{
	const char *m;
	(void)state;

	assert_string_equal(request_text("create tracker script chk command "
					 "\"/usr/bin/check -p 80\" interval 2000 weight -20", &m),
			    "{\"name\":\"chk\",\"type\":\"script\",\"command\":"
			    "\"/usr/bin/check -p 80\",\"interval\":2000,\"weight\":-20}");
	assert_string_equal(m, "tracker.create");
	/* the settings create must be given, from YANG (min-elements) */
	assert_int_equal(parse("create tracker script chk interval 2000"), -1);
	assert_string_equal(last_err, "missing command");
	assert_int_equal(parse("create tracker script chk command /bin/true weight 300"), -1);
	assert_string_equal(last_err, "weight: expected a number -253..253, got \"300\"");
	/* an interface tracker without a weight: fault while down */
	assert_string_equal(request_text("create tracker interface eth1", &m),
			    "{\"name\":\"eth1\",\"type\":\"interface\"}");
	assert_string_equal(request_text("set tracker file f1 weight -254", &m),
			    "{\"name\":\"f1\",\"type\":\"file\",\"weight\":-254}");
	assert_string_equal(m, "tracker.set");
	assert_string_equal(request_text("delete tracker process p1", &m),
			    "{\"name\":\"p1\",\"type\":\"process\"}");
	assert_string_equal(m, "tracker.delete");
	assert_int_equal(parse("delete tracker script chk weight 1"), -1);

	assert_string_equal(request_text("set instance VI_1 track script chk weight 10", &m),
			    "{\"name\":\"VI_1\",\"tracker\":\"chk\",\"type\":\"script\","
			    "\"weight\":10}");
	assert_string_equal(m, "instance.track");
	assert_string_equal(request_text("set inst VI_1 tr interface eth1", &m),
			    "{\"name\":\"VI_1\",\"tracker\":\"eth1\",\"type\":\"interface\"}");
	assert_string_equal(request_text("delete instance VI_1 track script chk", &m),
			    "{\"name\":\"VI_1\",\"tracker\":\"chk\",\"type\":\"script\"}");
	assert_string_equal(m, "instance.untrack");
	/* the instance settings are still what set instance takes */
	assert_int_equal(parse("set instance VI_1 priority 20"), CMD_SET);

	assert_string_equal(request_text("create sync-group G1 member VI_1 member VI_2", &m),
			    "{\"name\":\"G1\",\"member\":[\"VI_1\",\"VI_2\"]}");
	assert_string_equal(m, "sync-group.create");
	assert_int_equal(parse("create sync-group G1 tracking-weight true"), -1);
	assert_string_equal(request_text("set sync-group G1 track file f1 weight 2", &m),
			    "{\"name\":\"G1\",\"tracker\":\"f1\",\"type\":\"file\","
			    "\"weight\":2}");
	assert_string_equal(m, "sync-group.track");
	assert_string_equal(request_text("delete sync-group G1", &m), "{\"name\":\"G1\"}");

	/* completion: the new words, live tracker and group names */
	assert_string_equal(cands("create "), "instance tracker sync-group");
	assert_string_equal(cands("create tracker "), "script interface file process");
	assert_string_equal(cands("set tracker script "), "chk_haproxy chk_db <NAME>");
	assert_string_equal(cands("delete tracker script chk_h"), "chk_haproxy <NAME>");
	assert_string_equal(cands("set sync-group "), "G1 <NAME>");
	assert_non_null(strstr(cands("set instance VI_1 "), "track"));
	assert_string_equal(cands("set instance VI_1 track "), "script interface file process");
	assert_string_equal(cands("set instance VI_1 track script "), "chk_haproxy chk_db <TRACKER>");
	assert_string_equal(cands("set instance VI_1 track script chk_db "),
			    "weight weight-reverse <cr>");
	assert_string_equal(cands("set instance VI_1 track script chk_db weight "), "<-253..253>");
	assert_string_equal(cands("delete instance VI_1 "), "<cr> track");
	assert_string_equal(cands("create sync-group G2 member "), "VI_1 VI_2 web <INSTANCE>");
	assert_string_equal(cands("create tracker interface "), "eth0 lo <IFNAME>");
	assert_non_null(strstr(cands("create tracker script x "), "init-state"));
	assert_string_equal(cands("create tracker script x init-state "), "ok failed");
}

static void test_help_syntax(void **state)
{
	size_t n;
	const struct cli_cmd *cmds = cli_commands(&n);
	char buf[256];
	(void)state;

	for (size_t i = 0; i < n; i++) {
		assert_non_null(cmds[i].help);
		cli_syntax(&cmds[i], buf, sizeof(buf));
		assert_true(strlen(buf) > 0);
		if (cmds[i].id == CMD_CREATE)
			assert_non_null(strstr(buf, "create instance <NAME> interface <IFNAME>"));
	}
}

/* Method and read-only flag live on the table entry; they agree with the
 * daemon's method table (a read-only command needs no admin right). */
static void test_methods(void **state)
{
	size_t n, nm;
	const struct cli_cmd *cmds = cli_commands(&n);
	const struct rpc_method_info *m = rpc_method_info(&nm);
	(void)state;

	for (size_t i = 0; i < n; i++) {
		const struct rpc_method_info *found = NULL;

		if (!cmds[i].method) {
			assert_false(cmds[i].read_only);
			continue;
		}
		for (size_t k = 0; k < nm; k++)
			if (strcmp(m[k].name, cmds[i].method) == 0)
				found = &m[k];
		assert_non_null(found);
		assert_int_equal(cmds[i].read_only, !found->write);
		/* A command with a positional argument says where it goes. */
		for (size_t k = 0; k < CLI_MAX_TOKS && cmds[i].toks[k].word; k++)
			if (cmds[i].toks[k].kind != CLI_KW && cmds[i].toks[k].kind != CLI_OPTIONS)
				assert_non_null(cmds[i].arg_key);
	}
	/* failover's hold is the daemon's parameter, not a model leaf. */
	assert_string_equal(failover_opts[0].kw, "hold");
	assert_int_equal(failover_opts[0].max, RPC_FAILOVER_HOLD_MAX_S);
}

/* ---- the option table against the YANG schema ---------------------------- */

static const struct cli_opt *opt_by_kw(const struct cli_opt *opts, const char *kw)
{
	for (const struct cli_opt *o = opts; o && o->kw; o++)
		if (strcmp(o->kw, kw) == 0)
			return o;
	return NULL;
}

static const struct cli_leaf *leaf_entry(const char *rel)
{
	for (const struct cli_leaf *l = cli_schema_leaves(); l->path; l++)
		if (strcmp(l->path, rel) == 0)
			return l;
	return NULL;
}

/* The help is the start of the description (white space folded). */
static void assert_help_from(const char *help, const char *dsc)
{
	char folded[1024];
	size_t o = 0;
	bool sp = false;

	assert_non_null(dsc);
	for (const char *p = dsc; *p && o + 2 < sizeof(folded); p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t') {
			sp = o > 0;
			continue;
		}
		if (sp)
			folded[o++] = ' ';
		sp = false;
		folded[o++] = *p;
	}
	folded[o] = '\0';
	assert_true(strlen(help) > 0);
	/* The first sentence; a note may follow it. */
	assert_true(strncmp(help, folded, strcspn(help, ".") + 1) == 0);
}

static void check_option_type(const struct cli_opt *o, const struct lysc_node *n)
{
	const struct lysc_type *t = n->nodetype == LYS_LEAFLIST ?
		((const struct lysc_node_leaflist *)n)->type :
		((const struct lysc_node_leaf *)n)->type;

	if (t->basetype == LY_TYPE_LEAFREF) {
		assert_int_equal(o->kind, CLI_INSTANCE);
		return;
	}
	switch (t->basetype) {
	case LY_TYPE_INT8:
	case LY_TYPE_INT16:
	case LY_TYPE_INT32: {
		const struct lysc_range *r = ((const struct lysc_type_num *)t)->range;

		assert_int_equal(o->kind, CLI_INT);
		assert_non_null(r);
		assert_int_equal(o->min, (long)r->parts[0].min_64);
		assert_int_equal(o->max, (long)r->parts[0].max_64);
		break;
	}
	case LY_TYPE_UINT8:
	case LY_TYPE_UINT16:
	case LY_TYPE_UINT32: {
		const struct lysc_range *r = ((const struct lysc_type_num *)t)->range;

		assert_int_equal(o->kind, CLI_UINT);
		if (!r) { /* the type's own range (quorum-max) */
			assert_int_equal(o->min, 0);
			assert_int_equal(o->max, t->basetype == LY_TYPE_UINT8 ? 255 :
					 t->basetype == LY_TYPE_UINT16 ? 65535 : 4294967295L);
			break;
		}
		assert_int_equal(LY_ARRAY_COUNT(r->parts), 1);
		assert_int_equal(o->min, (long)r->parts[0].min_u64);
		assert_int_equal(o->max, (long)r->parts[0].max_u64);
		break;
	}
	case LY_TYPE_BOOL:
		assert_int_equal(o->kind, CLI_BOOL);
		break;
	case LY_TYPE_ENUM: {
		const struct lysc_type_enum *e = (const struct lysc_type_enum *)t;
		LY_ARRAY_COUNT_TYPE k;

		assert_int_equal(o->kind, CLI_ENUM);
		for (k = 0; k < LY_ARRAY_COUNT(e->enums); k++) {
			assert_non_null(o->values[k]);
			assert_string_equal(o->values[k], e->enums[k].name);
		}
		assert_null(o->values[k]);
		break;
	}
	case LY_TYPE_STRING:
	case LY_TYPE_UNION:
		assert_true(o->kind == CLI_WORD || o->kind == CLI_IFNAME || o->kind == CLI_ADDR);
		break;
	default:
		fail_msg("%s: type %d has no check here", o->kw, t->basetype);
	}
}

/* Every configuration leaf under global and instance is reachable from the
 * shell with the model's range, values and help, or listed with a reason
 * why not; the table holds nothing the schema does not. A leaf added to
 * yang/vrrpd.yang without either fails the build (gen-cli-opts) and this. */
static void test_options_cover_schema(void **state)
{
	struct model_error me;
	struct model *m = model_new(&me);
	const struct lysc_node *top, *elem;
	size_t n_leaves = 0, n_table = 0, n_set = 0;
	(void)state;

	assert_non_null(m);
	top = lys_find_path(model_ctx(m), NULL, "/vrrpd:vrrpd", 0);
	assert_non_null(top);
	LYSC_TREE_DFS_BEGIN(top, elem) {
		if ((elem->nodetype & (LYS_LEAF | LYS_LEAFLIST)) &&
		    (elem->flags & LYS_CONFIG_W)) {
			char full[512];
			const char *rel;
			const struct cli_leaf *l;
			const struct cli_opt *o;

			lysc_path(elem, LYSC_PATH_DATA, full, sizeof(full));
			rel = full + strlen("/vrrpd:vrrpd/");
			l = leaf_entry(rel);
			if (!l)
				fail_msg("%s: no vrrpctl option and no reason", rel);
			n_leaves++;
			if (!l->kw) {
				assert_non_null(l->reason);
				assert_true(strlen(l->reason) > 10);
			} else {
				o = opt_by_kw(l->opts, l->kw);
				if (!o)
					fail_msg("%s: option %s missing", rel, l->kw);
				/* An option named for its own leaf carries its type;
				 * "address" is ADDR/PLEN for a list entry. */
				size_t rl = strlen(rel), ml = strlen(o->member);

				if (rl > ml && rel[rl - ml - 1] == '/' &&
				    strcmp(rel + rl - ml, o->member) == 0) {
					check_option_type(o, elem);
					assert_help_from(o->help, elem->dsc);
					n_set++;
				} else if (o->repeat) {
					assert_int_equal(o->kind, CLI_ADDR);
					assert_help_from(o->help, elem->parent->dsc);
				} else {
					/* authentication/type -> member of a container */
					assert_true(strstr(rel, o->member) != NULL);
					check_option_type(o, elem);
					assert_help_from(o->help, elem->dsc);
					n_set++;
				}
			}
		}
		LYSC_TREE_DFS_END(top, elem);
	}
	for (const struct cli_leaf *l = cli_schema_leaves(); l->path; l++)
		n_table++;
	assert_int_equal(n_table, n_leaves);
	/* Every option sets something in the schema. */
	for (const struct cli_opt *o = inst_opts; o->kw; o++) {
		bool used = false;

		for (const struct cli_leaf *l = cli_schema_leaves(); l->path; l++)
			used = used || (l->kw && strcmp(l->kw, o->kw) == 0);
		assert_true(used);
	}
	assert_true(n_set >= 12);
	model_free(m);
}

/* man/vrrpctl.8 lists every setting with the range and values the shell
 * takes (the unit tests run from the top of the tree, as make unit does). */
static void test_man_page_lists_options(void **state)
{
	FILE *f = fopen("man/vrrpctl.8", "r");
	static char man[65536];
	size_t len;
	(void)state;

	if (!f)
		fail_msg("man/vrrpctl.8: run from the top of the tree");
	len = fread(man, 1, sizeof(man) - 1, f);
	fclose(f);
	man[len] = '\0';
	for (const struct cli_opt *o = inst_opts; o->kw; o++) {
		char head[96], want[160] = "", alt[64] = "";
		const char *line, *end;

		snprintf(head, sizeof(head), "\n.BI %s \"", o->kw);
		line = strstr(man, head);
		if (!line)
			fail_msg("man/vrrpctl.8 has no \"%s\" setting", o->kw);
		line += strlen(head);
		end = strchr(line, '\n');
		if (o->kind == CLI_UINT) {
			snprintf(want, sizeof(want), " %ld-%ld\"", o->min, o->max);
			snprintf(alt, sizeof(alt), " %ld|%ld\"", o->min, o->max);
		} else if (o->values) {
			snprintf(want, sizeof(want), " ");
			for (int k = 0; o->values[k]; k++)
				snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%s",
					 k ? "|" : "", o->values[k]);
			strncat(want, "\"", sizeof(want) - strlen(want) - 1);
		}
		if (want[0] && strncmp(line, want, strlen(want)) != 0 &&
		    !(alt[0] && o->max - o->min == 1 && strncmp(line, alt, strlen(alt)) == 0))
			fail_msg("man/vrrpctl.8: %s is \"%.*s\", the shell takes \"%s",
				 o->kw, (int)(end - line), line, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_parse_abbreviations),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_candidates),
		cmocka_unit_test(test_tracker_commands),
		cmocka_unit_test(test_help_syntax),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_options_cover_schema),
		cmocka_unit_test(test_man_page_lists_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
