/* The vrrpctl command table and everything driven by it: parsing with
 * unique-prefix abbreviation, the candidates for the next word (Tab
 * completion and `?`), and turning a parsed command into a JSON-RPC
 * request. Nothing here does I/O: live values (instance names, interface
 * names) come through struct cli_env, so this file is unit-tested as is
 * (tests/unit/test_commands.c). */
#ifndef VRRPCTL_COMMANDS_H
#define VRRPCTL_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

enum cli_kind {
	CLI_KW,        /* a keyword */
	CLI_INSTANCE,  /* name of an existing instance */
	CLI_NEWNAME,   /* name of a new instance, tracker or sync group */
	CLI_TRACKER,   /* name of an existing tracker of the command's type */
	CLI_GROUP,     /* name of an existing sync group */
	CLI_IFNAME,    /* interface name */
	CLI_UINT,      /* integer in [min, max] */
	CLI_INT,       /* signed integer in [min, max] */
	CLI_BOOL,      /* true|false (on|off, yes|no accepted) */
	CLI_ENUM,      /* one of a space-separated list */
	CLI_ADDR,      /* IP address, with /prefix where allowed */
	CLI_WORD,      /* any text */
	CLI_FILE,      /* a path */
	CLI_OPTIONS,   /* keyword value pairs in any order, from an option table */
};

enum cli_cmd_id {
	CMD_SHOW_INSTANCES, CMD_SHOW_INSTANCE, CMD_SHOW_STATISTICS, CMD_SHOW_TRACKING,
	CMD_SHOW_RUNNING, CMD_SHOW_DAEMON, CMD_CREATE, CMD_SET, CMD_DELETE,
	CMD_FAILOVER, CMD_SAVE, CMD_MONITOR, CMD_CONVERT, CMD_HELP, CMD_QUIT,
	/* configuration mode (vrrpctl/configmode.c) */
	CMD_CONFIGURE, CMD_SHOW_COMPARE, CMD_SHOW_CANDIDATE, CMD_SHOW_COMMITS,
	CMD_COMMIT, CMD_COMMIT_CHECK, CMD_COMMIT_CONFIRMED, CMD_CONFIRM,
	CMD_ROLLBACK, CMD_DISCARD,
	/* trackers, sync groups, what instances and groups follow */
	CMD_TRACKER_CREATE, CMD_TRACKER_SET, CMD_TRACKER_DELETE,
	CMD_GROUP_CREATE, CMD_GROUP_SET, CMD_GROUP_DELETE,
	CMD_TRACK, CMD_UNTRACK, CMD_GROUP_TRACK, CMD_GROUP_UNTRACK,
};

/* One option: "KEYWORD VALUE". The table of instance settings is generated
 * from yang/vrrpd.yang at build time (scripts/gen-cli-opts.c): kind, range,
 * enum values and help come from the leaf's type and description. */
struct cli_opt {
	const char *kw;
	const char *member;    /* JSON member it sets, e.g. "priority" */
	enum cli_kind kind;
	const char *hint;      /* "<1-255>" */
	const char *const *values; /* CLI_ENUM/CLI_BOOL: NULL-terminated */
	long min, max;         /* CLI_UINT */
	bool repeat;           /* may be given several times (address) */
	const char *help;
};

/* A configuration leaf of the model ("instance/vrid") and the option that
 * sets it, or the reason no option does (generated with the options). */
struct cli_leaf {
	const char *path;      /* relative to /vrrpd:vrrpd/ */
	const char *kw;        /* option keyword, or NULL */
	const char *reason;    /* why not settable from the shell, when kw is NULL */
	const struct cli_opt *opts; /* the table kw is in */
};

/* Every configuration leaf, NULL-terminated. */
const struct cli_leaf *cli_schema_leaves(void);

struct cli_tok {
	enum cli_kind kind;
	const char *word;      /* CLI_KW: the keyword; else the hint "NAME" */
	const char *help;
	bool optional;         /* may be left out (only at the end) */
	const struct cli_opt *opts; /* CLI_OPTIONS */
};

#define CLI_MAX_TOKS 8

struct cli_cmd {
	enum cli_cmd_id id;
	struct cli_tok toks[CLI_MAX_TOKS];
	const char *help;
	const char *const *required; /* options that must be given (create) */
	const char *method;    /* JSON-RPC method; NULL: runs locally */
	const char *arg_key;   /* params member of the positional argument */
	bool read_only;        /* changes nothing: safe to retry on a new connection */
	const char *arg2_key;  /* params member of a second positional argument */
	const char *type;      /* tracker type the command is for ("script"): sent
				* as params "type"; what CLI_TRACKER completes */
};

const struct cli_cmd *cli_commands(size_t *n);

/* Live values for completion and checks. Callbacks may be NULL. */
struct cli_env {
	void *arg;
	/* Fill up to max names; return how many. */
	size_t (*instances)(void *arg, char (*names)[64], size_t max);
	size_t (*ifnames)(void *arg, char (*names)[64], size_t max);
	/* trackers of a type ("script"), sync groups */
	size_t (*trackers)(void *arg, const char *type, char (*names)[64], size_t max);
	size_t (*groups)(void *arg, char (*names)[64], size_t max);
};

#define CLI_MAX_WORDS 64
#define CLI_MAX_OPTS 32

struct cli_parsed {
	const struct cli_cmd *cmd;
	const char *arg;                 /* the first positional argument, if any */
	const char *arg2;                /* a second one (set instance N track script T) */
	size_t n_opts;
	struct {
		const struct cli_opt *opt;
		const char *value;
	} opts[CLI_MAX_OPTS];
};

/* Split a line into words (whitespace; "double quotes" group). Words point
 * into buf (modified). Returns the count, or -1 with err set. A trailing
 * '#' comment is dropped. */
int cli_split(char *buf, char **words, size_t max, char *err, size_t errlen);

/* Parse words into a command. Returns 0, or -1 with a one-line message in
 * err ("ambiguous ...", "expected ..."). */
int cli_parse(char **words, size_t n, struct cli_parsed *out, char *err,
	      size_t errlen);

/* Candidates for the word after words[0..n) that start with partial. */
struct cli_cand {
	char text[96];
	const char *help;
	bool hint;     /* a placeholder such as <1-255>, not insertable text */
};
size_t cli_candidates(const struct cli_env *env, char **words, size_t n,
		      const char *partial, struct cli_cand *out, size_t max);

/* The JSON-RPC request for a parsed command (CMD_MONITOR: the subscribe;
 * local commands: returns -1 without err). *params is a new object. */
int cli_request(const struct cli_parsed *p, const char **method,
		json_object **params, char *err, size_t errlen);

/* "show instance <NAME>" style syntax of a command. */
void cli_syntax(const struct cli_cmd *c, char *buf, size_t len);

#endif
