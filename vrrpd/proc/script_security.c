/* Pre-run checks and argv building for scripts (script_security.h). */
#include "script_security.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errbuf.h"

/* Who besides root could change this file or directory? */
static int check_owner(const char *path, const struct stat *st, char *why,
		       size_t len)
{
	if (st->st_uid != 0)
		return errbuf_set(why, len, "%s: owned by uid %u, not root", path,
			       (unsigned)st->st_uid);
	if ((st->st_mode & S_IWGRP) && st->st_gid != 0)
		return errbuf_set(why, len, "%s: writable by group %u", path,
			       (unsigned)st->st_gid);
	if ((st->st_mode & S_IWOTH) &&
	    !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX)))
		return errbuf_set(why, len, "%s: writable by others", path);
	return 0;
}

/* /, every directory down to the file's own, then the file itself. */
static int check_path_secure(const char *real, char *why, size_t len)
{
	char part[PATH_MAX];
	size_t n = strlen(real);
	struct stat st;

	if (stat("/", &st) < 0)
		return errbuf_set(why, len, "/: %s", strerror(errno));
	if (check_owner("/", &st, why, len))
		return -1;
	for (size_t i = 1; i <= n; i++) {
		if (real[i] != '/' && real[i] != '\0')
			continue;
		memcpy(part, real, i);
		part[i] = '\0';
		if (stat(part, &st) < 0)
			return errbuf_set(why, len, "%s: %s", part, strerror(errno));
		if (check_owner(part, &st, why, len))
			return -1;
	}
	return 0;
}

static bool may_execute(const struct stat *st, uid_t uid, gid_t gid)
{
	if (uid == 0)
		return st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH);
	if (st->st_uid == uid)
		return st->st_mode & S_IXUSR;
	if (st->st_gid == gid)
		return st->st_mode & S_IXGRP;
	return st->st_mode & S_IXOTH;
}

int script_check(const char *path, uid_t uid, gid_t gid, bool secure,
		 char *why, size_t whylen)
{
	char real[PATH_MAX];
	struct stat st;

	if (!path || path[0] != '/')
		return errbuf_set(why, whylen, "%s: not an absolute path",
			       path ? path : "(none)");
	if (!realpath(path, real))
		return errbuf_set(why, whylen, "%s: %s", path, strerror(errno));
	if (stat(real, &st) < 0)
		return errbuf_set(why, whylen, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return errbuf_set(why, whylen, "%s: not a regular file", path);
	if (!may_execute(&st, uid, gid))
		return errbuf_set(why, whylen, "%s: not executable by uid %u", path,
			       (unsigned)uid);
	return secure ? check_path_secure(real, why, whylen) : 0;
}

int script_check_cmd(const struct script_cmd_cfg *cmd, uid_t uid, gid_t gid,
		     bool secure, char *why, size_t whylen)
{
	char first[PATH_MAX];
	const char *line;
	size_t n;

	if (cmd->argc == 0)
		return errbuf_set(why, whylen, "no command");
	if (!cmd->shell)
		return script_check(cmd->argv[0], uid, gid, secure, why, whylen);
	if (script_check("/bin/sh", uid, gid, secure, why, whylen))
		return -1;
	line = cmd->argv[0] + strspn(cmd->argv[0], " \t");
	if (line[0] != '/')
		return 0;  /* a shell builtin or a $PATH look-up: sh's business */
	n = strcspn(line, " \t\n;&|<>()");
	if (n >= sizeof(first))
		return errbuf_set(why, whylen, "command path too long");
	memcpy(first, line, n);
	first[n] = '\0';
	return script_check(first, uid, gid, secure, why, whylen);
}

int script_resolve_ids(const char *user, const char *group, uid_t *uid,
		       gid_t *gid, char *why, size_t whylen)
{
	struct passwd *pw;
	struct group *gr;

	*uid = 0;
	*gid = 0;
	if (user && user[0]) {
		errno = 0;
		pw = getpwnam(user);
		if (!pw)
			return errbuf_set(why, whylen, "unknown user %s", user);
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	}
	if (group && group[0]) {
		errno = 0;
		gr = getgrnam(group);
		if (!gr)
			return errbuf_set(why, whylen, "unknown group %s", group);
		*gid = gr->gr_gid;
	}
	return 0;
}

void script_cmd_account(const struct script_cmd_cfg *cmd,
			const struct script_global_cfg *g, const char **user,
			const char **group)
{
	*user = cmd->user[0] ? cmd->user : g->script_user;
	/* A script's own user brings its own primary group. */
	*group = cmd->group[0] ? cmd->group : cmd->user[0] ? "" : g->script_group;
}

void script_argv_free(char **argv)
{
	if (!argv)
		return;
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

char **script_argv(const struct script_cmd_cfg *cmd, const char *const *extra,
		   size_t n_extra)
{
	size_t head = cmd->shell ? 3 + (n_extra ? 1 : 0) : cmd->argc;
	char **v = calloc(head + n_extra + 1, sizeof(*v));
	size_t k = 0;

	if (!v || cmd->argc == 0)
		goto fail;
	if (cmd->shell) {
		v[k++] = strdup("/bin/sh");
		v[k++] = strdup("-c");
		if (n_extra) {
			/* "$@" hands the extra words to the line's command. */
			if (asprintf(&v[k++], "%s \"$@\"", cmd->argv[0]) < 0) {
				v[k - 1] = NULL;
				goto fail;
			}
			v[k++] = strdup("sh");
		} else {
			v[k++] = strdup(cmd->argv[0]);
		}
	} else {
		for (size_t i = 0; i < cmd->argc; i++)
			v[k++] = strdup(cmd->argv[i]);
	}
	for (size_t i = 0; i < n_extra; i++)
		v[k++] = strdup(extra[i]);
	for (size_t i = 0; i < k; i++) {
		if (!v[i])
			goto fail;
	}
	return v;
fail:
	if (v) {
		for (size_t i = 0; i < head + n_extra; i++)
			free(v[i]);
		free(v);
	}
	return NULL;
}
