/* The one command table of vrrpctl: every command with its keywords,
 * argument hints, help and JSON-RPC method, and the option tables
 * generated from yang/vrrpd.yang (see commands.h). The parser, `?`, Tab
 * completion and `help` (commands.c) all read it. */
#include "cmd_table.h"

/* inst_opts[] (every setting of an instance), the tables of trackers
 * (trk_*_opts), sync groups (group_opts) and followers (follow_*_opts,
 * gfollow_*_opts), what create must be given (*_required) and
 * schema_leaves[]. */
#include "gen/cli_opts.inc"

const struct cli_leaf *cli_schema_leaves(void)
{
	return schema_leaves;
}

static const struct cli_opt failover_opts[] = {
	{ "hold", "hold", CLI_UINT, "<0-86400>", NULL, 0, 86400, false,
	  "Seconds without preempting back (default 60)" },
	{ NULL, NULL, 0, NULL, NULL, 0, 0, false, NULL },
};

static const struct cli_opt commit_opts[] = {
	{ "comment", "comment", CLI_WORD, "<TEXT>", NULL, 0, 0, false,
	  "Recorded with the commit (quote it when it has blanks)" },
	{ NULL, NULL, 0, NULL, NULL, 0, 0, false, NULL },
};

#define KW(w, h) { CLI_KW, w, h, false, NULL }
#define ARG(k, w, h) { k, w, h, false, NULL }
#define OPTARG(k, w, h) { k, w, h, true, NULL }
#define H_SHOW "Show state and configuration"
#define H_INST "An instance"

/* R: a read-only request, W: one that changes the daemon, L: local; W2
 * with a second argument and the tracker type it is for. */
#define R(m, a) m, a, true, NULL, NULL
#define W(m, a) m, a, false, NULL, NULL
#define W2(m, a, a2, ty) m, a, false, a2, ty
#define L NULL, NULL, false, NULL, NULL

#define H_CREATE "Create an object"
#define H_SETC "Change settings"
#define H_DELETE "Delete an object"
#define H_TRACKER "A health tracker (script, interface, file, process)"
#define H_GROUP "A sync group: instances that change state together"
#define H_TRACK "Trackers it follows (RFC 8347 track)"
#define H_TRACKER_NAME "Tracker name"

/* The commands of one tracker type: create, set, delete the tracker; an
 * instance or a sync group follows it or stops following it. The new
 * name of an interface tracker is an interface (nkind), and one may have
 * no settings at all (opt). */
#define TRACKER_CMDS(ty, a, what, nkind, nword, opt)				\
	{ CMD_TRACKER_CREATE, { KW("create", H_CREATE), KW("tracker", H_TRACKER),	\
				KW(#ty, what), ARG(nkind, nword, "Name of the new tracker"), \
				{ CLI_OPTIONS, "OPTION", "Tracker settings", opt,	\
				  trk_##ty##_opts } },				\
	  "Create " a " " #ty " tracker (the settings before [OPTION VALUE] are required)", \
	  trk_##ty##_required, W2("tracker.create", "name", NULL, #ty) },	\
	{ CMD_TRACKER_SET, { KW("set", H_SETC), KW("tracker", H_TRACKER), KW(#ty, what), \
			     ARG(CLI_TRACKER, nword, H_TRACKER_NAME),		\
			     { CLI_OPTIONS, "OPTION", "Settings to change", false,	\
			       trk_##ty##_opts } },					\
	  "Change settings of " a " " #ty " tracker (its followers only)", NULL,	\
	  W2("tracker.set", "name", NULL, #ty) },				\
	{ CMD_TRACKER_DELETE, { KW("delete", H_DELETE), KW("tracker", H_TRACKER),	\
				KW(#ty, what), ARG(CLI_TRACKER, nword, H_TRACKER_NAME) }, \
	  "Delete " a " " #ty " tracker nothing follows", NULL,			\
	  W2("tracker.delete", "name", NULL, #ty) },				\
	{ CMD_TRACK, { KW("set", H_SETC), KW("instance", H_INST),		\
		       ARG(CLI_INSTANCE, "NAME", "Instance name"), KW("track", H_TRACK), \
		       KW(#ty, what), ARG(CLI_TRACKER, "TRACKER", H_TRACKER_NAME),	\
		       { CLI_OPTIONS, "OPTION", "How it is followed", true,	\
			 follow_##ty##_opts } },					\
	  "The instance follows " a " " #ty " tracker (or changes its weight)", NULL, \
	  W2("instance.track", "name", "tracker", #ty) },			\
	{ CMD_UNTRACK, { KW("delete", H_DELETE), KW("instance", H_INST),	\
			 ARG(CLI_INSTANCE, "NAME", "Instance name"), KW("track", H_TRACK), \
			 KW(#ty, what), ARG(CLI_TRACKER, "TRACKER", H_TRACKER_NAME) }, \
	  "The instance stops following " a " " #ty " tracker", NULL,		\
	  W2("instance.untrack", "name", "tracker", #ty) },			\
	{ CMD_GROUP_TRACK, { KW("set", H_SETC), KW("sync-group", H_GROUP),	\
			     ARG(CLI_GROUP, "NAME", "Sync group name"), KW("track", H_TRACK), \
			     KW(#ty, what), ARG(CLI_TRACKER, "TRACKER", H_TRACKER_NAME), \
			     { CLI_OPTIONS, "OPTION", "How it is followed", true,	\
			       gfollow_##ty##_opts } },				\
	  "The sync group follows " a " " #ty " tracker (or changes its weight)", NULL, \
	  W2("sync-group.track", "name", "tracker", #ty) },			\
	{ CMD_GROUP_UNTRACK, { KW("delete", H_DELETE), KW("sync-group", H_GROUP), \
			       ARG(CLI_GROUP, "NAME", "Sync group name"), KW("track", H_TRACK), \
			       KW(#ty, what), ARG(CLI_TRACKER, "TRACKER", H_TRACKER_NAME) }, \
	  "The sync group stops following " a " " #ty " tracker", NULL,		\
	  W2("sync-group.untrack", "name", "tracker", #ty) }

const struct cli_cmd cli_table[] = {
	{ CMD_SHOW_INSTANCES, { KW("show", H_SHOW), KW("instances", "Summary table of every instance") },
	  "Table of instances: state, priorities, master, addresses", NULL,
	  R("instance.list", NULL) },
	{ CMD_SHOW_INSTANCE, { KW("show", H_SHOW), KW("instance", "One instance in detail"),
			       ARG(CLI_INSTANCE, "NAME", "Instance name") },
	  "Configuration, state and counters of one instance", NULL,
	  R("instance.get", "name") },
	{ CMD_SHOW_STATISTICS, { KW("show", H_SHOW), KW("statistics", "Packet counters"),
				 OPTARG(CLI_INSTANCE, "NAME", "Only this instance") },
	  "Advert and drop counters (daemon-wide and per instance)", NULL,
	  R("statistics.get", "name") },
	{ CMD_SHOW_TRACKING, { KW("show", H_SHOW), KW("tracking", "Health trackers") },
	  "Every tracker: status, last result, consecutive count, instances affected", NULL,
	  R("tracking.get", NULL) },
	{ CMD_SHOW_RUNNING, { KW("show", H_SHOW), KW("running-config", "The running configuration") },
	  "Running configuration as RFC 7951 JSON", NULL, R("config.get", NULL) },
	{ CMD_SHOW_DAEMON, { KW("show", H_SHOW), KW("daemon", "Version, pid, uptime") },
	  "Daemon version, pid, uptime", NULL, R("daemon.info", NULL) },
	{ CMD_SHOW_COMPARE, { KW("show", H_SHOW), KW("compare", "What commit would change") },
	  "Configuration mode: the candidate against running, as a diff of lines", NULL, L },
	{ CMD_SHOW_CANDIDATE, { KW("show", H_SHOW), KW("candidate", "The candidate configuration") },
	  "Configuration mode: the candidate as configuration lines", NULL, L },
	{ CMD_SHOW_COMMITS, { KW("show", H_SHOW), KW("commits", "Commit history") },
	  "Commit history: rollback number, commit, time, user, comment", NULL,
	  R("commit.list", NULL) },
	{ CMD_CREATE, { KW("create", "Create an object"), KW("instance", "A new VRRP instance"),
			ARG(CLI_NEWNAME, "NAME", "Name of the new instance"),
			{ CLI_OPTIONS, "OPTION", "Instance settings", false, inst_opts } },
	  "Create an instance (the settings before [OPTION VALUE] are required)",
	  create_required,
	  W("instance.create", "name") },
	{ CMD_SET, { KW("set", "Change settings"), KW("instance", H_INST),
		     ARG(CLI_INSTANCE, "NAME", "Instance name"),
		     { CLI_OPTIONS, "OPTION", "Settings to change", false, inst_opts } },
	  "Change settings of an instance", NULL, W("instance.set", "name") },
	{ CMD_DELETE, { KW("delete", "Delete an object"), KW("instance", H_INST),
			ARG(CLI_INSTANCE, "NAME", "Instance name") },
	  "Delete an instance (its addresses are released)", NULL,
	  W("instance.delete", "name") },
	TRACKER_CMDS(script, "a", "A program run every interval", CLI_NEWNAME, "NAME", false),
	TRACKER_CMDS(interface, "an", "The link state of an interface", CLI_IFNAME, "IFNAME", true),
	TRACKER_CMDS(file, "a", "An integer read from a file", CLI_NEWNAME, "NAME", false),
	TRACKER_CMDS(process, "a", "Running processes of a name", CLI_NEWNAME, "NAME", false),
	{ CMD_GROUP_CREATE, { KW("create", H_CREATE), KW("sync-group", H_GROUP),
			      ARG(CLI_NEWNAME, "NAME", "Name of the new sync group"),
			      { CLI_OPTIONS, "OPTION", "Sync group settings", false, group_opts } },
	  "Create a sync group (the settings before [OPTION VALUE] are required)",
	  group_required, W("sync-group.create", "name") },
	{ CMD_GROUP_SET, { KW("set", H_SETC), KW("sync-group", H_GROUP),
			   ARG(CLI_GROUP, "NAME", "Sync group name"),
			   { CLI_OPTIONS, "OPTION", "Settings to change", false, group_opts } },
	  "Change settings of a sync group (member replaces the list)", NULL,
	  W("sync-group.set", "name") },
	{ CMD_GROUP_DELETE, { KW("delete", H_DELETE), KW("sync-group", H_GROUP),
			      ARG(CLI_GROUP, "NAME", "Sync group name") },
	  "Delete a sync group (its members keep running on their own)", NULL,
	  W("sync-group.delete", "name") },
	{ CMD_FAILOVER, { KW("failover", "Hand mastership to a backup"),
			  ARG(CLI_INSTANCE, "NAME", "Instance name (must be master)"),
			  { CLI_OPTIONS, "OPTION", "Failover settings", true, failover_opts } },
	  "Master resigns and does not preempt back for the hold time", NULL,
	  W("instance.failover", "name") },
	{ CMD_SAVE, { KW("save", "Save the running configuration"),
		      OPTARG(CLI_FILE, "FILE", "Other file than the startup file") },
	  "Write the running configuration to the startup file", NULL,
	  W("config.save", "path") },
	/* The subscription itself changes no configuration. */
	{ CMD_MONITOR, { KW("monitor", "Watch state changes live") },
	  "Print state changes as they happen, until Ctrl-C", NULL,
	  R("events.subscribe", NULL) },
	{ CMD_CONVERT, { KW("convert", "Convert a keepalived configuration"),
			 ARG(CLI_FILE, "FILE", "keepalived.conf") },
	  "Print a keepalived.conf as vrrpd JSON configuration", NULL, L },
	{ CMD_CONFIGURE, { KW("configure", "Enter configuration mode") },
	  "Enter configuration mode: changes go to a private candidate", NULL, L },
	{ CMD_COMMIT, { KW("commit", "Apply the candidate"),
			{ CLI_OPTIONS, "OPTION", "Commit settings", true, commit_opts } },
	  "Configuration mode: validate and apply the candidate (confirms a commit confirmed)",
	  NULL, L },
	{ CMD_COMMIT_CHECK, { KW("commit", "Apply the candidate"),
			      KW("check", "Validate only, apply nothing") },
	  "Configuration mode: validate the candidate, apply nothing", NULL, L },
	{ CMD_COMMIT_CONFIRMED, { KW("commit", "Apply the candidate"),
				  KW("confirmed", "Roll back unless confirmed in time"),
				  OPTARG(CLI_WORD, "N|Ns", "Minutes (default 10), or seconds with s"),
				  { CLI_OPTIONS, "OPTION", "Commit settings", true, commit_opts } },
	  "Configuration mode: apply now, roll back unless confirmed in time", NULL, L },
	{ CMD_CONFIRM, { KW("confirm", "Confirm a commit confirmed") },
	  "Keep the configuration of a commit confirmed", NULL, L },
	{ CMD_ROLLBACK, { KW("rollback", "Load an earlier configuration"),
			  ARG(CLI_WORD, "N", "0 = running, 1 = before the last commit, ...") },
	  "Configuration mode: load commit N back into the candidate", NULL, L },
	{ CMD_DISCARD, { KW("discard", "Drop the candidate's changes") },
	  "Configuration mode: reset the candidate to running", NULL, L },
	{ CMD_HELP, { KW("help", "List commands") }, "List commands", NULL, L },
	{ CMD_QUIT, { KW("quit", "Leave vrrpctl") }, "Leave vrrpctl", NULL, L },
	{ CMD_QUIT, { KW("exit", "Leave vrrpctl") }, "Leave vrrpctl", NULL, L },
};

const size_t cli_table_len = sizeof(cli_table) / sizeof(cli_table[0]);

const struct cli_cmd *cli_commands(size_t *n)
{
	*n = cli_table_len;
	return cli_table;
}

