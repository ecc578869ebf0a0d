/* Privilege separation, the OpenBSD way (vrrpd(8), PRIVILEGE SEPARATION).
 *
 * With --user NAME, vrrpd is two processes:
 *  - the worker reads packets and the control socket and runs every
 *    instance. It opens the control socket as root, then changes to NAME
 *    (its primary group, no supplementary groups) keeping only
 *    CAP_NET_RAW and CAP_NET_ADMIN (libcap-ng), with an empty bounding
 *    set and NO_NEW_PRIVS, before it applies any configuration;
 *  - the parent stays root and does nothing but answer the worker over
 *    two SOCK_SEQPACKET socketpairs: run a script as its configured user
 *    and report how it ended (PS_RUN -> PS_DONE), write the startup file
 *    for config.save (PS_SAVE -> PS_SAVE_REPLY), and read the startup
 *    file itself on SIGHUP (PS_RELOAD). It forwards SIGTERM/SIGINT to the
 *    worker and exits with the worker's status.
 *
 * The parent trusts nothing the worker sends: every message is decoded
 * here, bounded and checked (ps_*_decode), a script runs only when its
 * argv, user and group are those of a script of the startup configuration
 * the parent itself read (ps_policy), and config.save writes only where
 * the parent's own --config / --save-dir allow, text that parses as a
 * vrrpd configuration, mode 0600.
 *
 * Two channels so that the synchronous config.save never has an
 * asynchronous script result in its way: "chan" carries RUN/DONE/RELOAD
 * (both ends read it from their event loops), "sync" carries SAVE and its
 * reply, strictly one after the other. */
#ifndef VRRPD_PRIVSEP_H
#define VRRPD_PRIVSEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"

struct loop;
struct spawner;

/* One message is one datagram: a script's argv (PS_ARGC_MAX words of at
 * most TRACK_PATH_MAX bytes, and in practice far fewer), or its result
 * with SPAWN_STDERR_MAX bytes of stderr. */
#define PS_MSG_MAX (64u * 1024u)
#define PS_ARGC_MAX 64
/* config.save: the running configuration as JSON, in a sealed memfd.
 * 1000 instances are about 1 MB. */
#define PS_SAVE_MAX (64u * 1024u * 1024u)
/* Scripts the parent runs at the same time: a flood of requests from a
 * misbehaving worker must not become a fork bomb. */
#define PS_CHILDREN_MAX 1024
/* How long the worker waits for config.save's reply (fsync included). */
#define PS_SAVE_TIMEOUT_MS 10000

enum ps_type {
	PS_RUN = 1,          /* worker -> parent: start a script */
	PS_DONE,             /* parent -> worker: it ended (or was refused) */
	PS_RELOAD,           /* parent -> worker: SIGHUP, the file as read */
	PS_SAVE,             /* worker -> parent (sync): config.save */
	PS_SAVE_REPLY,       /* parent -> worker (sync) */
};

struct ps_run {
	uint32_t id;         /* the worker's handle for the child */
	uint32_t uid, gid;
	size_t argc;         /* 1..PS_ARGC_MAX */
	const char *argv[PS_ARGC_MAX + 1];  /* NULL-terminated */
	const char *name;    /* for log lines; may be "" */
};

struct ps_done {
	uint32_t id;
	uint8_t outcome;     /* enum spawn_outcome */
	int32_t status;
	uint64_t runtime_us;
	uint32_t err_dropped;
	const char *err;     /* stderr; err_len bytes, NUL after them */
	size_t err_len;
};

enum ps_reload_kind {
	PS_RELOAD_FAILED = 0,  /* the file was rejected: nothing changes */
	PS_RELOAD_CONFIG,      /* with a memfd holding the configuration */
	PS_RELOAD_NONE,        /* no startup file to reload */
};

/* Encoders return the message length, or -1 when it does not fit in len.
 * Decoders take the received datagram (buf is changed: strings point
 * into it) and return 0, or -1 with the reason in why: a wrong type,
 * a short or long message, a string without its NUL or with one inside,
 * an argc out of range. */
ssize_t ps_run_encode(void *buf, size_t len, const struct ps_run *r);
int ps_run_decode(void *buf, size_t len, struct ps_run *r, char *why,
		  size_t whylen);
ssize_t ps_done_encode(void *buf, size_t len, const struct ps_done *d);
int ps_done_decode(void *buf, size_t len, struct ps_done *d, char *why,
		   size_t whylen);
ssize_t ps_reload_encode(void *buf, size_t len, enum ps_reload_kind k);
int ps_reload_decode(const void *buf, size_t len, enum ps_reload_kind *k,
		     char *why, size_t whylen);
ssize_t ps_save_encode(void *buf, size_t len, const char *path);
int ps_save_decode(void *buf, size_t len, const char **path, char *why,
		   size_t whylen);
ssize_t ps_save_reply_encode(void *buf, size_t len, bool ok, const char *why);
int ps_save_reply_decode(void *buf, size_t len, bool *ok, const char **reason,
			 char *why, size_t whylen);
/* The type of a received message, or 0 when it is too short. */
enum ps_type ps_msg_type(const void *buf, size_t len);

/* What the parent may run: the scripts of the startup configuration it
 * read (tracking scripts; instance and sync-group notify scripts), each
 * as the user and group the configuration gives it, resolved by the
 * parent. */
struct ps_policy;

/* NULL with err when out of memory. A script whose user or group does not
 * exist is left out (the worker refuses it too, with the reason). */
struct ps_policy *ps_policy_new(const struct vrrpd_config *c, char *err,
				size_t errlen);
void ps_policy_free(struct ps_policy *p);
size_t ps_policy_count(const struct ps_policy *p);

/* May the parent start r? 0 with the script's timeout (the startup
 * configuration's, not the worker's) and what to check on disk; -1 with
 * why. The argv must be exactly that of an allowed script: its own argv,
 * or /bin/sh -c LINE; a generic notify script ("notify") also gets the
 * four words keepalived passes (GROUP|INSTANCE, a name, a state, a
 * priority), each checked for its form. */
struct ps_allowed {
	uint32_t timeout_ms;
	bool secure;                       /* script-security */
	const struct script_cmd_cfg *cmd;  /* for script_check_cmd() */
};
int ps_policy_check(const struct ps_policy *p, const struct ps_run *r,
		    struct ps_allowed *out, char *why, size_t whylen);

/* I/O on the channels (ps_chan.c): one datagram, with at most one file
 * descriptor (SCM_RIGHTS); fd -1 for none; flags: MSG_DONTWAIT or 0.
 * ps_recv never waits; it returns the length, 0
 * at EOF, -1 with errno (EMSGSIZE for a truncated datagram or control
 * message: anything received with it is closed). */
ssize_t ps_send(int sock, const void *buf, size_t len, int fd, int flags);
ssize_t ps_recv(int sock, void *buf, size_t len, int *fd);
/* A sealed memfd holding data; -1 with errno. */
int ps_memfd_from(const char *name, const char *data, size_t len);
/* The contents of a memfd the peer sent: it must be sealed against every
 * change (so that what is checked is what is used) and at most max bytes.
 * Returns a NUL-terminated malloc'ed copy, or NULL with why. */
char *ps_memfd_read(int fd, size_t max, size_t *len, char *why, size_t whylen);

/* Start-up (privsep.c). ps_fork() makes the two channels and forks:
 * returns the worker's pid in the parent, 0 in the worker, -1 with err.
 * Each side gets its ends in chan[0] (async) and chan[1] (sync). */
pid_t ps_fork(int chan[2], char *err, size_t errlen);

/* In the worker, after the control socket is open: become uid/gid with
 * no supplementary groups, CAP_NET_RAW and CAP_NET_ADMIN only (effective
 * and permitted; empty bounding and ambient sets), NO_NEW_PRIVS, and die
 * with the parent (PR_SET_PDEATHSIG is set after the change of user,
 * which clears it). 0, or -1 with err: the worker must then not run. */
int ps_drop_privileges(uid_t uid, gid_t gid, pid_t parent, char *err,
		       size_t errlen);

/* The parent (ps_parent.c). Serves the worker until it exits; returns
 * the status to exit with (the worker's exit code, 128 + its signal). */
struct lyd_node;
struct model;
struct ps_parent_opts {
	pid_t worker;
	int chan[2];
	const char *config_path;  /* --config: config.save's default target */
	const char *save_dir;     /* --save-dir */
	const char *socket_path;  /* removed at exit (the worker may not) */
	const char *pidfile;      /* ours (we get the signals); removed at exit */
	struct model *model;
	/* Read the startup file again (SIGHUP): 0 with *tree (NULL: there is
	 * none), -1 when it is rejected (the reasons are logged). */
	int (*load)(void *arg, struct lyd_node **tree);
	void *load_arg;
};
int ps_parent_run(const struct ps_parent_opts *o, const struct lyd_node *startup);

/* The worker's side (ps_worker.c). */
struct ps_worker;
/* reload: the parent read the startup file on SIGHUP; json NULL when it
 * was rejected (kind FAILED) or there is none (NONE). */
typedef void (*ps_reload_cb)(void *arg, enum ps_reload_kind k, const char *json);
struct ps_worker *ps_worker_new(struct loop *l, int chan[2], ps_reload_cb cb,
				void *arg, char *err, size_t errlen);
void ps_worker_free(struct ps_worker *w);
/* Scripts of sp are started by the parent from now on. */
void ps_worker_attach(struct ps_worker *w, struct spawner *sp);
/* config.save through the parent (an rpc_save_fn). */
int ps_worker_save(void *w, const char *path, const char *data, size_t len,
		   char *why, size_t whylen);

#endif
