/* Notify scripts and the notify FIFO (notifier.h). */
#include "notifier.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "script_security.h"
#include "spawner.h"

/* Starting a process holds the loop for about a millisecond (until the
 * child has exec'd). A failover of a thousand instances with notify
 * scripts must not hold it for a second: scripts are checked and queued
 * at once, and started NOTIFY_BURST per loop turn, in order. */
#define NOTIFY_BURST 2

struct pending {
	struct pending *next;
	char **argv;
	struct spawn_opts o;
	char label[160];
};

struct notifier {
	struct spawner *sp;
	struct loop *loop;        /* the spawner's; may outlive it */
	struct loop_timer kick;
	struct pending *head, **tail;
	size_t n_pending;
	const struct script_global_cfg *g;
	int fifo;
	char fifo_path[TRACK_PATH_MAX];
	struct notifier_stats st;
};

static void start_pending(void *arg);

static int open_fifo(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	if (mkfifo(path, 0600) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create notify FIFO %s: %s", path,
			 strerror(errno));
		return -1;
	}
	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open notify FIFO %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		snprintf(err, errlen, "notify FIFO %s: not a FIFO", path);
		close(fd);
		return -1;
	}
	return fd;
}

struct notifier *notifier_new(struct spawner *sp,
			      const struct script_global_cfg *g, char *err,
			      size_t errlen)
{
	struct notifier *n = calloc(1, sizeof(*n));

	if (!n) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	n->sp = sp;
	n->loop = spawner_loop(sp);
	n->fifo = -1;
	n->tail = &n->head;
	loop_timer_init(&n->kick, start_pending, n);
	if (notifier_reconfigure(n, g, err, errlen) < 0) {
		free(n);
		return NULL;
	}
	return n;
}

void notifier_free(struct notifier *n)
{
	if (!n)
		return;
	loop_timer_cancel(n->loop, &n->kick);
	while (n->head) {
		struct pending *p = n->head;

		n->head = p->next;
		script_argv_free(p->argv);
		free(p);
	}
	if (n->fifo >= 0)
		close(n->fifo);
	free(n);
}

int notifier_reconfigure(struct notifier *n, const struct script_global_cfg *g,
			 char *err, size_t errlen)
{
	int fd = -1;

	if (strcmp(g->notify_fifo, n->fifo_path) != 0 || n->fifo < 0) {
		if (g->notify_fifo[0]) {
			fd = open_fifo(g->notify_fifo, err, errlen);
			if (fd < 0)
				return -1;
		}
		if (n->fifo >= 0)
			close(n->fifo);
		n->fifo = fd;
		snprintf(n->fifo_path, sizeof(n->fifo_path), "%s",
			 g->notify_fifo);
	}
	n->g = g;
	return 0;
}

static void write_line(struct notifier *n, enum notify_kind k,
		       const char *name, enum notify_state s, unsigned prio)
{
	char line[160];
	int len;

	if (n->fifo < 0)
		return;
	len = notify_fifo_line(line, sizeof(line), k, name, s, prio);
	/* A pipe write of at most PIPE_BUF bytes is all or nothing. */
	if (len < 0 || write(n->fifo, line, (size_t)len) != len) {
		if (n->st.fifo_dropped++ == 0 || errno != EAGAIN)
			log_warn("notify FIFO %s: line dropped (%s)",
				 n->fifo_path,
				 len < 0 ? "too long" : strerror(errno));
		return;
	}
	n->st.fifo_lines++;
}

static void on_script_done(void *arg, const struct spawn_result *r)
{
	struct notifier *n = arg;
	char how[64];

	if (r->outcome == SPAWN_EXITED && r->status == 0)
		return;
	n->st.scripts_failed++;
	spawn_describe(r, n->g->notify_timeout_s * 1000u, how, sizeof(how));
	log_warn("%s: %s", r->name, how);
}

static void start_pending(void *arg)
{
	struct notifier *n = arg;
	char why[512];

	for (int i = 0; i < NOTIFY_BURST && n->head; i++) {
		struct pending *p = n->head;

		n->head = p->next;
		if (!n->head)
			n->tail = &n->head;
		n->n_pending--;
		p->o.name = p->label;
		p->o.argv = p->argv;
		p->o.timeout_ms = n->g->notify_timeout_s * 1000u;
		if (spawn_run(n->sp, &p->o, on_script_done, n, why,
			      sizeof(why)) < 0) {
			n->st.scripts_failed++;
			log_err("%s: cannot start: %s", p->label, why);
		} else {
			n->st.scripts_started++;
		}
		script_argv_free(p->argv);
		free(p);
	}
	if (n->head)
		loop_timer_at(n->loop, &n->kick, loop_now_us());
}

/* Check now (a refusal is logged at the transition), start from the
 * loop. Takes argv. */
static int queue_script(struct notifier *n, const struct script_cmd_cfg *cmd,
			char **argv, const char *label)
{
	struct pending *p;
	char why[512];
	const char *user, *group;
	uid_t uid;
	gid_t gid;

	script_cmd_account(cmd, n->g, &user, &group);
	if (script_resolve_ids(user, group, &uid, &gid, why, sizeof(why)) ||
	    script_check_cmd(cmd, uid, gid, n->g->script_security, why,
			     sizeof(why))) {
		n->st.scripts_refused++;
		log_err("%s: not run: %s", label, why);
		script_argv_free(argv);
		return 0;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		log_err("%s: out of memory", label);
		script_argv_free(argv);
		return 0;
	}
	p->argv = argv;
	p->o.uid = uid;
	p->o.gid = gid;
	p->o.set_ids = uid != 0 || gid != 0;
	snprintf(p->label, sizeof(p->label), "%s", label);
	*n->tail = p;
	n->tail = &p->next;
	if (n->n_pending++ == 0)
		loop_timer_at(n->loop, &n->kick, loop_now_us());
	return 1;
}

static int send_one(struct notifier *n, const struct notify_cfg *nc,
		    enum notify_event ev, enum notify_kind k, const char *name,
		    enum notify_state s, unsigned prio)
{
	bool configured;
	char **argv = notify_script_argv(nc, ev, k, name, s, prio, &configured);
	char label[160];

	if (!configured)
		return 0;
	snprintf(label, sizeof(label), "notify %s %s %s", notify_event_name(ev),
		 k == NOTIFY_GROUP ? "group" : "instance", name);
	if (!argv) {
		log_err("%s: out of memory", label);
		return 0;
	}
	return queue_script(n, &nc->script[ev], argv, label);
}

int notifier_send(struct notifier *n, const struct notify_cfg *nc,
		  enum notify_kind k, const char *name, enum notify_state s,
		  unsigned priority)
{
	int ev = notify_event_of_state(s), started = 0;

	if (nc && ev >= 0) {
		started += send_one(n, nc, ev, k, name, s, priority);
		started += send_one(n, nc, NOTIFY_ANY, k, name, s, priority);
	}
	write_line(n, k, name, s, priority);
	return started;
}

void notifier_priority(struct notifier *n, const struct notify_cfg *nc,
		       const char *name, bool master, unsigned priority)
{
	if (!nc || !nc->priority_changes)
		return;
	write_line(n, NOTIFY_INSTANCE, name,
		   master ? NOTIFY_ST_MASTER_PRIORITY : NOTIFY_ST_BACKUP_PRIORITY,
		   priority);
}

size_t notifier_pending(const struct notifier *n)
{
	return n->n_pending;
}

const struct notifier_stats *notifier_stats(const struct notifier *n)
{
	return &n->st;
}
