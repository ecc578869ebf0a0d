/* vrrpctl: the operator shell of vrrpd. Three front ends over one command
 * table (commands.c) and one socket client (client.c):
 *   vrrpctl [--socket PATH] [--json] COMMAND...   one-shot
 *   vrrpctl                                       interactive (readline)
 *   vrrpctl < script                              one command per line
 * Exit status: 0 success, 1 vrrpd refused the request, 2 bad command line,
 * 3 vrrpd not reachable. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "client.h"
#include "commands.h"
#include "complete.h"
#include "complete_words.h"
#include "configmode.h"
#include "keepalived_conf.h"
#include "render.h"

struct ctl {
	struct ctl_conn conn;
	bool json;
	const char *config_id;  /* convert: for keepalived's @ID lines */
	bool interactive;
	bool quit;
	struct cfgmode cm;
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: vrrpctl [--socket PATH] [--json] [--config-id ID] [COMMAND...]\n"
		"  --config-id ID: for convert, the id keepalived's @ID lines are\n"
		"  compared with (keepalived -i; default: the host name up to '.').\n"
		"  without COMMAND: interactive shell on a terminal, else one command\n"
		"  per line from standard input. Default socket %s.\n"
		"Commands:\n", VRRPD_SOCKET_DEFAULT);
	render_help(fp);
}

/* ---- commands ---------------------------------------------------------- */

static int run_convert(struct ctl *c, const char *path)
{
	struct kaconf_diag diag = { 0 };
	struct kaconf_opts ko = { .config_id = c->config_id };
	char *json = NULL;
	int rc = kaconf_convert(path, &ko, &json, &diag);

	kaconf_diag_print(&diag, stderr);
	kaconf_diag_free(&diag);
	if (rc < 0) {
		fprintf(stderr, "vrrpctl: %s: not converted\n", path);
		return EXIT_REFUSED;
	}
	fputs(json, stdout);
	if (json[0] && json[strlen(json) - 1] != '\n')
		putchar('\n');
	free(json);
	return 0;
}

static void print_event(void *arg, json_object *msg)
{
	struct ctl *c = arg;

	if (c->json) {
		json_object *p = NULL;

		json_object_object_get_ex(msg, "params", &p);
		printf("%s\n", json_object_to_json_string_ext(
			p, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		fflush(stdout);
	} else {
		render_event(stdout, msg);
	}
}

/* Print state changes until Ctrl-C (or SIGTERM). */
static int run_monitor(struct ctl *c)
{
	json_object *res = NULL, *n;
	char err[256];
	enum ctl_rc rc;

	rc = ctl_call(&c->conn, "events.subscribe", NULL, &res, err, sizeof(err),
		      print_event, c);
	json_object_put(res);
	if (rc != CTL_OK) {
		fprintf(stderr, "vrrpctl: %s\n", rc == CTL_ERR_TRANSPORT ? err : "subscribe refused");
		return rc == CTL_ERR_TRANSPORT ? EXIT_UNREACHABLE : EXIT_REFUSED;
	}
	if (!c->json)
		fprintf(stderr, "Watching state changes; Ctrl-C to stop.\n");
	got_signal = 0;
	while (!got_signal) {
		int r = ctl_next_notification(&c->conn, -1, &n, err, sizeof(err));

		if (r < 0) {
			fprintf(stderr, "vrrpctl: %s\n", err);
			ctl_close(&c->conn);
			return EXIT_UNREACHABLE;
		}
		if (r > 0) {
			print_event(c, n);
			json_object_put(n);
		}
	}
	got_signal = 0;
	/* The connection stays for the next command: stop the events. */
	if (ctl_call(&c->conn, "events.unsubscribe", NULL, &res, err, sizeof(err),
		     NULL, NULL) != CTL_ERR_TRANSPORT)
		json_object_put(res);
	return 0;
}

static int run_words(struct ctl *c, char **words, size_t n)
{
	struct cli_parsed p;
	json_object *params = NULL, *out = NULL;
	const char *method;
	char err[512];
	int rc;
	bool reused, read_only;

	if (n == 0)
		return 0;
	if (cli_parse(words, n, &p, err, sizeof(err)) < 0) {
		fprintf(stderr, "vrrpctl: %s\n", err);
		return EXIT_USAGE;
	}
	c->cm.json = c->json;
	c->cm.interactive = c->interactive;
	if ((rc = cfgmode_run(&c->cm, &c->conn, &p)) >= 0)
		return rc;
	switch (p.cmd->id) {
	case CMD_HELP:
		render_help(stdout);
		return 0;
	case CMD_QUIT:
		c->quit = true;
		return 0;
	case CMD_CONVERT:
		return run_convert(c, p.arg);
	default:
		break;
	}
	/* The shell keeps its connection; a daemon restarted meanwhile shows
	 * as a failed call on the old one. Reads are retried once on a fresh
	 * connection; changes are not (the old daemon may have applied it). */
	reused = ctl_connected(&c->conn);
	if (ctl_connect(&c->conn, err, sizeof(err)) < 0) {
		fprintf(stderr, "vrrpctl: %s\n", err);
		return EXIT_UNREACHABLE;
	}
	if (p.cmd->id == CMD_MONITOR)
		return run_monitor(c);
	if (cli_request(&p, &method, &params, err, sizeof(err)) < 0) {
		fprintf(stderr, "vrrpctl: cannot run this command here\n");
		return EXIT_USAGE;
	}
	/* The shell's grammar; --json keeps RFC 7951 JSON. */
	if (p.cmd->id == CMD_SHOW_RUNNING && !c->json)
		json_object_object_add(params, "format", json_object_new_string("lines"));
	read_only = p.cmd->read_only;
	rc = ctl_call(&c->conn, method, reused && read_only ? json_object_get(params) : params,
		      &out, err, sizeof(err), NULL, NULL);
	if (rc == CTL_ERR_TRANSPORT && reused && read_only &&
	    ctl_connect(&c->conn, err, sizeof(err)) == 0) {
		rc = ctl_call(&c->conn, method, params, &out, err, sizeof(err), NULL, NULL);
		params = NULL;
	} else if (reused && read_only) {
		json_object_put(params);
	}
	if (rc == CTL_ERR_TRANSPORT) {
		fprintf(stderr, "vrrpctl: %s\n", err);
		return EXIT_UNREACHABLE;
	}
	if (rc == CTL_ERR_RESPONSE) {
		fprintf(stderr, "vrrpctl: ");
		render_error(stderr, out);
		json_object_put(out);
		return EXIT_REFUSED;
	}
	if (c->json)
		render_json(stdout, out);
	else
		render_result(stdout, &p, out);
	fflush(stdout);
	json_object_put(out);
	return 0;
}

static int run_line(struct ctl *c, char *line)
{
	char *words[CLI_MAX_WORDS], err[128];
	int n = cli_split(line, words, CLI_MAX_WORDS, err, sizeof(err));

	if (n < 0) {
		fprintf(stderr, "vrrpctl: %s\n", err);
		return EXIT_USAGE;
	}
	return run_words(c, words, (size_t)n);
}

/* ---- script mode ------------------------------------------------------- */

/* One command per line; stops at the first failing line. */
static int run_script(struct ctl *c)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	while (!c->quit && getline(&line, &cap, stdin) >= 0) {
		lineno++;
		rc = run_line(c, line);
		if (rc != 0) {
			fprintf(stderr, "vrrpctl: stopped at line %u of standard input\n",
				lineno);
			break;
		}
	}
	free(line);
	return rc;
}

/* ---- interactive ------------------------------------------------------- */

static struct ctl *the_ctl;
static char history_path[4096];
/* Our own copy: readline frees rl_prompt when a handler is installed. */
static char prompt[300];

static char host[256] = "vrrpd";

static void set_prompt(const struct ctl *c)
{
	snprintf(prompt, sizeof(prompt), c->cm.id ? "%s(config)# " : "%s> ", host);
}

static void on_line(char *line)
{
	if (!line) {
		/* Ctrl-D */
		putchar('\n');
		the_ctl->quit = true;
		return;
	}
	if (*line)
		add_history(line);
	/* Run with the terminal in its normal mode. */
	rl_callback_handler_remove();
	run_line(the_ctl, line);
	free(line);
	set_prompt(the_ctl);
	if (!the_ctl->quit)
		rl_callback_handler_install(prompt, on_line);
}

static int run_interactive(struct ctl *c)
{
	const char *home = getenv("HOME");

	the_ctl = c;
	c->interactive = true;
	gethostname(host, sizeof(host) - 1);
	set_prompt(c);
	if (home) {
		snprintf(history_path, sizeof(history_path), "%s/.vrrpctl_history", home);
		read_history(history_path);
	}
	stifle_history(1000);
	complete_install(&c->conn, &c->cm);
	/* Signals are ours: Ctrl-C cancels the line, not the program. */
	rl_catch_signals = 0;
	rl_callback_handler_install(prompt, on_line);
	while (!c->quit) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		int r = poll(&pfd, 1, -1);

		if (r < 0 && errno == EINTR) {
			if (got_signal == SIGINT) {
				got_signal = 0;
				rl_free_line_state();
				rl_callback_sigcleanup();
				rl_replace_line("", 0);
				rl_crlf();
				rl_on_new_line();
				rl_redisplay();
				continue;
			}
			if (got_signal)
				break;
			continue;
		}
		if (r < 0)
			break;
		rl_callback_read_char();
	}
	rl_callback_handler_remove();
	if (home)
		write_history(history_path);
	return 0;
}

/* A negative number ("weight -20") is a value, never an option (vrrpctl
 * has no digit options), but getopt_long() would read "-2" as one: hidden
 * from it as "020", restored once it is done (it permutes pointers, not
 * the strings). */
#define MAX_HIDDEN 32
static size_t hide_negative_numbers(int argc, char **argv, char **hidden)
{
	size_t n = 0;

	for (int i = 1; i < argc && n < MAX_HIDDEN; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9') {
			argv[i][0] = '0';
			hidden[n++] = argv[i];
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "config-id", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		/* for the shell's completion, not for people: left out of usage */
		{ "complete", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl c = { .json = false };
	const char *path = getenv("VRRPCTL_SOCKET");
	struct sigaction sa = { .sa_handler = on_signal };
	bool complete = false;
	char *hidden[MAX_HIDDEN];
	size_t n_hidden = hide_negative_numbers(argc, argv, hidden);
	int opt, rc;

	/* getopt_long() permutes, so `vrrpctl convert --config-id ID FILE`
	 * works as well as `vrrpctl --config-id ID convert FILE`. */
	while ((opt = getopt_long(argc, argv, "s:ji:h", lopts, NULL)) != -1) {
		switch (opt) {
		case 's': path = optarg; break;
		case 'j': c.json = true; break;
		case 'i': c.config_id = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'C': complete = true; break;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	for (size_t i = 0; i < n_hidden; i++)
		hidden[i][0] = '-';
	ctl_conn_init(&c.conn, path && *path ? path : VRRPD_SOCKET_DEFAULT);
	/* No SA_RESTART: a blocked poll must return so Ctrl-C is seen. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (complete) {
		struct complete_src src = { &c.conn, NULL };
		struct cli_env env;

		complete_env_init(&env, &src);
		rc = complete_words(&env, argv + optind, (size_t)(argc - optind), stdout);
	} else if (optind < argc)
		rc = run_words(&c, argv + optind, (size_t)(argc - optind));
	else if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		rc = run_interactive(&c);
	else
		rc = run_script(&c);
	ctl_close(&c.conn);
	return rc;
}
