/* vrrpd: options, signals, start and stop. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl_server.h"
#include "engine.h"
#include "journal.h"
#include "keepalived_conf.h"
#include "log.h"
#include "loop.h"
#include "model.h"
#include "privsep.h"
#include "sdnotify.h"

#ifndef VRRPD_VERSION
#define VRRPD_VERSION "0.1.0"
#endif

struct opts {
	const char *config;
	const char *keepalived_conf;
	const char *config_id;
	const char *socket_path;
	const char *pidfile;
	const char *socket_group;
	const char *admin_group;
	const char *save_dir;
	const char *user;        /* privilege separation: the worker's user */
	uid_t uid;
	gid_t gid;
	bool strict;
	bool check;
	bool foreground;
	int log_level;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vrrpd [--config FILE.json | --keepalived-conf FILE [--strict] [--config-id ID]]\n"
		"             [--check]\n"
		"             [--socket PATH] [--socket-group GROUP] [--admin-group GROUP]\n"
		"             [--save-dir DIR] [--pidfile PATH] [--foreground] [--user NAME]\n"
		"             [--log-level error|warning|info|debug] [--version]\n");
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "keepalived-conf", required_argument, NULL, 'k' },
		{ "strict", no_argument, NULL, 'S' },
		{ "config-id", required_argument, NULL, 'i' },
		{ "check", no_argument, NULL, 't' },
		{ "socket", required_argument, NULL, 's' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "socket-group", required_argument, NULL, 'g' },
		{ "admin-group", required_argument, NULL, 'a' },
		{ "save-dir", required_argument, NULL, 'D' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "user", required_argument, NULL, 'u' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->log_level = LOG_LVL_INFO;
	while ((c = getopt_long(argc, argv, "c:k:Si:ts:p:g:a:D:fu:l:Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->config = optarg; break;
		case 'k': o->keepalived_conf = optarg; break;
		case 'S': o->strict = true; break;
		case 'i': o->config_id = optarg; break;
		case 't': o->check = true; break;
		case 's': o->socket_path = optarg; break;
		case 'p': o->pidfile = optarg; break;
		case 'g': o->socket_group = optarg; break;
		case 'a': o->admin_group = optarg; break;
		case 'D': o->save_dir = optarg; break;
		case 'f': o->foreground = true; break;
		case 'u': o->user = optarg; break;
		case 'l':
			o->log_level = log_level_parse(optarg);
			if (o->log_level < 0) {
				fprintf(stderr, "vrrpd: unknown log level '%s'\n", optarg);
				return -1;
			}
			break;
		case 'V': printf("vrrpd %s\n", VRRPD_VERSION); exit(0);
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vrrpd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (o->config && o->keepalived_conf) {
		fprintf(stderr, "vrrpd: --config and --keepalived-conf are exclusive\n");
		return -1;
	}
	if (o->config_id && !o->keepalived_conf) {
		fprintf(stderr, "vrrpd: --config-id applies to --keepalived-conf only\n");
		return -1;
	}
	if (o->user) {
		struct passwd *pw = getpwnam(o->user);

		if (!pw) {
			fprintf(stderr, "vrrpd: --user %s: no such user\n", o->user);
			return -1;
		}
		if (pw->pw_uid == 0) {
			fprintf(stderr, "vrrpd: --user %s: the worker must not be root\n",
				o->user);
			return -1;
		}
		o->uid = pw->pw_uid;
		o->gid = pw->pw_gid;
	}
	/* config.save writes there as root: the operator names it exactly. */
	if (o->save_dir) {
		struct stat st;

		if (o->save_dir[0] != '/') {
			fprintf(stderr, "vrrpd: --save-dir must be an absolute path\n");
			return -1;
		}
		if (stat(o->save_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "vrrpd: --save-dir %s: not a directory\n",
				o->save_dir);
			return -1;
		}
	}
	return 0;
}

/* A daemon runs from "/": every path the operator gave relative to where
 * vrrpd was started must be made absolute first, or SIGHUP and
 * config.save would use /<path>. */
static char *abs_paths[4];

static void free_abs_paths(void)
{
	for (size_t i = 0; i < 4; i++)
		free(abs_paths[i]);
}

static const char *absolute(const char *path, char **keep)
{
	char cwd[4096];

	if (!path || path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return path;
	if (asprintf(keep, "%s/%s", cwd, path) < 0) {
		*keep = NULL;
		return path;
	}
	return *keep;
}

/* Load and validate the startup configuration; nothing runs unless the
 * whole file is valid. Messages (file, YANG path, reason, keepalived
 * warnings) go to out. */
static int load_config(struct model *m, const struct opts *o,
		       struct lyd_node **tree, FILE *out)
{
	struct model_error me;

	*tree = NULL;
	if (o->keepalived_conf) {
		struct kaconf_opts ko = { .strict = o->strict,
					  .config_id = o->config_id };
		struct kaconf_diag diag = { 0 };
		char *json = NULL;
		int r = kaconf_convert(o->keepalived_conf, &ko, &json, &diag);
		kaconf_diag_print(&diag, out);
		kaconf_diag_free(&diag);
		if (r < 0) {
			fprintf(out, "vrrpd: %s: not loaded\n", o->keepalived_conf);
			return -1;
		}
		r = model_parse_json(m, json, tree, &me);
		free(json);
		if (r == 0)
			return 0;
		fprintf(out, "vrrpd: %s: converted configuration is invalid\n",
			o->keepalived_conf);
	} else if (!o->config) {
		return 0;
	} else if (model_parse_file(m, o->config, tree, &me) == 0) {
		return 0;
	} else {
		fprintf(out, "vrrpd: %s: invalid configuration\n", o->config);
	}
	if (me.path[0])
		fprintf(out, "  path: %s\n", me.path);
	fprintf(out, "  reason: %s\n", me.msg);
	return -1;
}

static int write_pidfile(const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Write end of the pipe the starting shell's vrrpd waits on: a daemon
 * that fails after forking must still fail the command that started it. */
static int ready_fd = -1;

/* Tell the waiting parent we are up (msg NULL) or why we are not. */
static void report_start(const char *msg)
{
	if (ready_fd < 0)
		return;
	if (!msg)
		msg = "";
	ssize_t n = write(ready_fd, msg, strlen(msg) + 1);
	(void)n;
	close(ready_fd);
	ready_fd = -1;
}

static void start_failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void start_failed(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_err("%s", msg);
	report_start(msg);
}

/* The first process waits until the daemon reports; its exit status is
 * the daemon's start-up result. */
static void wait_for_daemon(int fd)
{
	char buf[1024];
	size_t n = 0;
	ssize_t r;

	while (n < sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		n += (size_t)r;
	}
	buf[n] = '\0';
	if (n > 0 && buf[0] == '\0')
		_exit(0);
	fprintf(stderr, "vrrpd: %s\n", n ? buf : "exited during start-up");
	_exit(1);
}

static int daemonize(void)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(p[1]);
		wait_for_daemon(p[0]);
	}
	close(p[0]);
	ready_fd = p[1];
	if (setsid() < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	int fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return chdir("/");
}

struct sigctx {
	int fd;
	struct loop *loop;
	const struct opts *o;
	struct model *m;
	struct engine *e;
	struct sdnotify *sd;
};

/* SIGHUP: read the startup file again. 0 with *tree (NULL: vrrpd has no
 * file), or -1 when it is rejected; every message is logged. */
static int reread_config(const struct opts *o, struct model *m,
			 struct lyd_node **tree)
{
	*tree = NULL;
	if (!o->config && !o->keepalived_conf) {
		log_info("SIGHUP: no configuration file to reload");
		return 0;
	}
	log_info("SIGHUP: reloading %s", o->config ? o->config : o->keepalived_conf);
	char *msgs = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&msgs, &len);
	int r = load_config(m, o, tree, out ? out : stderr);
	if (out)
		fclose(out);
	/* the importer's warnings matter on success too */
	for (char *line = msgs ? strtok(msgs, "\n") : NULL; line;
	     line = strtok(NULL, "\n"))
		log_warn("reload: %s", line);
	free(msgs);
	if (r < 0) {
		log_err("reload failed: configuration rejected, nothing changed");
		return -1;
	}
	return 0;
}

/* A valid file replaces the running configuration (unchanged instances
 * are not touched); takes tree. */
static int apply_reloaded(struct sigctx *sc, struct lyd_node *tree)
{
	struct model_error me;

	if (engine_apply_tree(sc->e, tree, &me) < 0) {
		log_err("reload failed: %s%s%s", me.path, me.path[0] ? ": " : "", me.msg);
		model_tree_free(tree);
		return -1;
	}
	return 0;
}

static int reload(struct sigctx *sc)
{
	struct lyd_node *tree;

	if (reread_config(sc->o, sc->m, &tree) < 0)
		return -1;
	return tree ? apply_reloaded(sc, tree) : 0;
}

/* Privilege separation: the parent read the file (vrrpd may not). */
static void on_parent_reload(void *arg, enum ps_reload_kind k, const char *json)
{
	struct sigctx *sc = arg;
	struct lyd_node *tree = NULL;
	struct model_error me;
	int r = k == PS_RELOAD_FAILED ? -1 : 0;

	sdnotify_reloading(sc->sd);
	if (k == PS_RELOAD_CONFIG && sc->e) {
		if (model_parse_json(sc->m, json, &tree, &me) < 0) {
			log_err("reload failed: %s%s%s", me.path,
				me.path[0] ? ": " : "", me.msg);
			r = -1;
		} else {
			r = apply_reloaded(sc, tree);
		}
	}
	sdnotify_reloaded(sc->sd, r == 0);
}

struct parent_load {
	const struct opts *o;
	struct model *m;
};

static int parent_load(void *arg, struct lyd_node **tree)
{
	struct parent_load *pl = arg;

	return reread_config(pl->o, pl->m, tree);
}

static void on_signal(void *arg, uint32_t events)
{
	struct sigctx *sc = arg;
	struct signalfd_siginfo si;
	(void)events;

	while (read(sc->fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP && sc->o->user) {
			log_warn("SIGHUP: the privileged parent (pid %ld) reloads; "
				 "signal it instead", (long)getppid());
			continue;
		}
		if (si.ssi_signo == SIGHUP) {
			/* systemd: ExecReload returns once READY=1 follows */
			sdnotify_reloading(sc->sd);
			int r = sc->e ? reload(sc) : 0;
			sdnotify_reloaded(sc->sd, r == 0);
			continue;
		}
		sdnotify_stopping(sc->sd);
		log_info("Stopping on signal %u", si.ssi_signo);
		loop_stop(sc->loop);
	}
}

/* The commit history (FILE.commits/) is the worker's: it reads it after
 * its change of user and writes every commit there. The first start with
 * --user hands the directory and the records root wrote before to the
 * user; later starts find it theirs (root, without CAP_DAC_OVERRIDE in
 * the unit, could not even read it). */
static void give_history_dir(const struct opts *o)
{
	char dir[4200];
	struct stat st;
	struct dirent *de;
	DIR *d;
	int fd;

	if (!o->config)
		return;
	snprintf(dir, sizeof(dir), "%s.commits", o->config);
	if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == o->uid)
		return;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		log_warn("privsep: cannot create %s: %s", dir, strerror(errno));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		log_warn("privsep: cannot open %s: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	/* the records first: once the directory is the user's, root may no
	 * longer read it */
	while ((de = readdir(d)))
		if (de->d_type == DT_REG &&
		    fchownat(fd, de->d_name, o->uid, o->gid, AT_SYMLINK_NOFOLLOW) < 0)
			log_warn("privsep: %s/%s: %s", dir, de->d_name, strerror(errno));
	if (fchmod(fd, 0700) < 0 || fchown(fd, o->uid, o->gid) < 0)
		log_warn("privsep: %s: cannot hand it to %s: %s", dir, o->user,
			 strerror(errno));
	closedir(d);
}

/* systemd's WATCHDOG_PID names the main process, the parent; the loop to
 * watch is the worker's, which sends WATCHDOG=1 (NotifyAccess=all). */
static void worker_watchdog(pid_t parent)
{
	const char *wp = getenv("WATCHDOG_PID");
	char pid[32];

	if (!wp || strtol(wp, NULL, 10) != (long)parent)
		return;
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
}

/* The privileged parent's whole life: it reports nothing at start-up
 * (the worker does), owns the pidfile (signals come to it) and exits
 * with the worker. */
static int run_parent(const struct opts *o, struct model *m,
		      struct lyd_node *tree, pid_t worker, int chan[2])
{
	struct parent_load pl = { .o = o, .m = m };
	struct ps_parent_opts po = {
		.worker = worker, .chan = { chan[0], chan[1] },
		.config_path = o->config, .save_dir = o->save_dir,
		.socket_path = o->socket_path ? o->socket_path : VRRPD_SOCKET_DEFAULT,
		.pidfile = o->pidfile, .model = m,
		.load = parent_load, .load_arg = &pl,
	};
	int rc;

	if (ready_fd >= 0)
		close(ready_fd);
	ready_fd = -1;
	if (o->pidfile && write_pidfile(o->pidfile) < 0)
		log_warn("cannot write pidfile %s: %s", o->pidfile, strerror(errno));
	rc = ps_parent_run(&po, tree);
	model_tree_free(tree);
	model_free(m);
	close(chan[0]);
	close(chan[1]);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct model_error me;
	char err[512];
	int rc = 1;

	log_set_buffered(true); /* before anything is written to stderr */

	if (parse_opts(argc, argv, &o) < 0)
		return 2;
	atexit(free_abs_paths);
	o.config = absolute(o.config, &abs_paths[0]);
	o.keepalived_conf = absolute(o.keepalived_conf, &abs_paths[1]);
	o.socket_path = absolute(o.socket_path, &abs_paths[2]);
	o.pidfile = absolute(o.pidfile, &abs_paths[3]);
	struct model *m = model_new(&me);
	if (!m) {
		fprintf(stderr, "vrrpd: cannot load the YANG model: %s\n", me.msg);
		return 1;
	}
	struct lyd_node *tree = NULL;
	if (load_config(m, &o, &tree, stderr) < 0) {
		model_free(m);
		return 1;
	}
	if (o.check) {
		struct vrrpd_config c;
		if (model_tree_to_config(tree, &c, &me) < 0) {
			fprintf(stderr, "vrrpd: %s\n", me.msg);
		} else {
			printf("configuration OK: %zu instance(s)\n", c.n_instances);
			vrrpd_config_free(&c);
			rc = 0;
		}
		model_tree_free(tree);
		model_free(m);
		return rc;
	}

	/* Under Type=notify systemd tracks the process it started: forking
	 * would send READY=1 from a pid it ignores. */
	if (getenv("NOTIFY_SOCKET"))
		o.foreground = true;
	log_init("vrrpd", (enum log_level)o.log_level, o.foreground);
	if (o.foreground)
		journal_attach("vrrpd");
	log_flush(); /* a fork must not copy unwritten lines */
	if (!o.foreground && daemonize() < 0) {
		fprintf(stderr, "vrrpd: cannot daemonize: %s\n", strerror(errno));
		return 1;
	}
	/* We are raw sockets and netlink: a peer closing a control socket must
	 * never kill us. */
	signal(SIGPIPE, SIG_IGN);
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGHUP);
	sigprocmask(SIG_BLOCK, &ss, NULL);

	/* Privilege separation: fork before anything is opened; the worker
	 * opens the control socket as root, then changes user. */
	int chan[2] = { -1, -1 };
	pid_t parent = getpid();
	struct ps_worker *psw = NULL;
	if (o.user) {
		give_history_dir(&o);
		pid_t pid = ps_fork(chan, err, sizeof(err));
		if (pid < 0) {
			start_failed("privilege separation: %s", err);
			return 1;
		}
		if (pid > 0)
			return run_parent(&o, m, tree, pid, chan);
		worker_watchdog(parent);
	}

	struct loop *loop = loop_new();
	struct sigctx sc = { .fd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC),
			     .loop = loop, .o = &o, .m = m,
			     .sd = loop ? sdnotify_new(loop) : NULL };
	if (!loop || sc.fd < 0 || loop_add_fd(loop, sc.fd, EPOLLIN, on_signal, &sc) < 0) {
		start_failed("cannot set up the event loop: %s", strerror(errno));
		return 1;
	}
	struct engine *e = engine_new(loop, m, err, sizeof(err));
	if (!e) {
		start_failed("cannot start: %s", err);
		return 1;
	}
	sc.e = e;
	if (sdnotify_attach(sc.sd, e) < 0)
		log_warn("systemd: cannot follow state changes for STATUS=");
	if (o.user && !(psw = ps_worker_new(loop, chan, on_parent_reload, &sc, err,
					    sizeof(err)))) {
		start_failed("privilege separation: %s", err);
		return 1;
	}
	if (!o.user && o.pidfile && write_pidfile(o.pidfile) < 0)
		log_warn("cannot write pidfile %s: %s", o.pidfile, strerror(errno));
	log_info("vrrpd %s starting (pid %ld)", VRRPD_VERSION, (long)getpid());
	/* The socket comes first: if it can't be had, nothing has touched
	 * the network yet. config.save writes JSON: never over a keepalived
	 * file. */
	struct ctl_server_opts co = { .path = o.socket_path,
				      .group = o.socket_group,
				      .admin_group = o.admin_group,
				      .config_path = o.config,
				      .save_dir = o.save_dir,
				      .save = psw ? ps_worker_save : NULL,
				      .save_arg = psw,
				      .history_later = psw != NULL };
	struct ctl_server *cs = ctl_server_new(loop, e, m, &co, err, sizeof(err));
	if (!cs) {
		start_failed("control socket: %s", err);
		model_tree_free(tree);
		goto out;
	}
	/* The configuration is applied by the worker as it will run: the
	 * user, two capabilities, scripts through the parent. */
	if (psw) {
		if (ps_drop_privileges(o.uid, o.gid, parent, err, sizeof(err)) < 0) {
			start_failed("privilege separation: %s", err);
			model_tree_free(tree);
			ctl_server_free(cs);
			goto out;
		}
		ps_worker_attach(psw, engine_spawner(e));
		ctl_server_open_history(cs);
		log_info("privilege separation: running as %s (uid %u) with "
			 "CAP_NET_RAW and CAP_NET_ADMIN; parent pid %ld", o.user,
			 (unsigned)o.uid, (long)parent);
	}
	if (engine_apply_tree(e, tree, &me) < 0) {
		start_failed("configuration rejected: %s%s%s", me.path,
			     me.path[0] ? ": " : "", me.msg);
		model_tree_free(tree);
		ctl_server_free(cs);
		goto out;
	}
	report_start(NULL);
	sdnotify_ready(sc.sd);
	rc = loop_run(loop) < 0 ? 1 : 0;
	/* clients hold engine subscriptions: close them first */
	ctl_server_free(cs);
out:
	sdnotify_free(sc.sd);
	engine_free(e);
	ps_worker_free(psw);
	if (!o.user && o.pidfile)
		unlink(o.pidfile);
	log_info("vrrpd stopped");
	loop_free(loop);
	close(sc.fd);
	model_free(m);
	return rc;
}
