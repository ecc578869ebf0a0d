/* The control socket file (see ctl_socket.h). */
#include "ctl_socket.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int ctl_parse_group(const char *name, gid_t *gid, char *err, size_t errlen)
{
	struct group gr, *res = NULL;
	char buf[4096], *end;
	unsigned long g = strtoul(name, &end, 10);

	if (*name && *end == '\0') {
		*gid = (gid_t)g;
		return 0;
	}
	if (getgrnam_r(name, &gr, buf, sizeof(buf), &res) != 0 || !res) {
		snprintf(err, errlen, "unknown group \"%s\"", name);
		return -1;
	}
	*gid = res->gr_gid;
	return 0;
}

/* A socket file left by a daemon that died is removed; one that answers
 * belongs to a running daemon and is left alone. */
static int clear_stale(const struct sockaddr_un *sa, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	if (lstat(sa->sun_path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", sa->sun_path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0) {
		close(fd);
		snprintf(err, errlen, "%s: another vrrpd is listening", sa->sun_path);
		return -1;
	}
	if (fd >= 0)
		close(fd);
	unlink(sa->sun_path);
	return 0;
}

static int make_parent_dir(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int ctl_socket_open(const char *path, gid_t gid, dev_t *dev, ino_t *ino,
		    char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old_umask;
	int rc, fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path too long: %s", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (make_parent_dir(path) < 0) {
		snprintf(err, errlen, "cannot create the directory of %s: %s",
			 path, strerror(errno));
		return -1;
	}
	if (clear_stale(&sa, err, errlen) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	/* The socket must never exist with wider permissions than 0660. */
	old_umask = umask(0117);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old_umask);
	if (rc < 0) {
		snprintf(err, errlen, "bind %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (chown(path, (uid_t)-1, gid) < 0 || chmod(path, 0660) < 0 ||
	    stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: cannot set owner/mode: %s", path,
			 strerror(errno));
		goto fail;
	}
	*dev = st.st_dev;
	*ino = st.st_ino;
	/* The kernel's backlog only holds connections we have not accepted
	 * yet; the client limits apply at accept. */
	if (listen(fd, 64) < 0) {
		snprintf(err, errlen, "listen %s: %s", path, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	unlink(path);
	close(fd);
	return -1;
}
