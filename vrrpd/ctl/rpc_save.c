/* Where config.save may write, and the atomic replacement of that file.
 *
 * vrrpd runs as root and config.save takes a path from the caller: left
 * open, an admin-group user could make root write any file (a cron job, a
 * shell profile). So the target is either the startup file (--config) or a
 * plain name directly inside the one --save-dir directory; the path must be
 * absolute and the last component must not be a symbolic link.
 *
 * The new text goes to a temporary file in the same directory (rename(2) is
 * only atomic within one file system), created O_EXCL | O_NOFOLLOW with
 * mode 0600 at most (the file may hold authentication passwords), fsync'ed,
 * renamed over the old file, and the directory is fsync'ed so the rename
 * survives a crash. Everything goes through one directory descriptor, so
 * the directory cannot be swapped between the checks and the rename. Any
 * failure removes the temporary file and leaves the old file as it was. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rpc_int.h"

#define SAVE_MODE_MAX 0600

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* dir without its trailing slashes is a prefix of path, followed by one
 * '/' and a name that is neither empty, "." nor ".." nor hidden. */
static bool inside_dir(const char *dir, const char *path)
{
	size_t dl = strlen(dir);
	const char *name;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	if (strncmp(dir, path, dl) != 0 || path[dl] != '/')
		return false;
	name = path + dl + 1;
	return name[0] != '\0' && name[0] != '.' && !strchr(name, '/');
}

int rpc_save_path_allowed(const char *config_path, const char *save_dir,
			  const char *path, char *why, size_t whylen)
{
	if (path[0] != '/') {
		snprintf(why, whylen, "the path must be absolute");
		return -1;
	}
	if (config_path && strcmp(path, config_path) == 0)
		return 0;
	if (save_dir && inside_dir(save_dir, path))
		return 0;
	if (save_dir)
		snprintf(why, whylen, "config.save writes only the startup file%s%s "
			 "or a file directly in %s",
			 config_path ? " " : "", config_path ? config_path : "",
			 save_dir);
	else
		snprintf(why, whylen, "config.save writes only the startup file%s%s "
			 "(vrrpd runs without --save-dir)",
			 config_path ? " " : "", config_path ? config_path : "");
	return -1;
}

/* ".name.tmpXXXXXX" beside the target, created without following links. */
static int open_temp(int dfd, const char *base, char *tmp, size_t tmplen)
{
	for (int tries = 0; tries < 16; tries++) {
		unsigned char rnd[6];
		int fd;

		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return -1;
		if (snprintf(tmp, tmplen, ".%s.tmp%02x%02x%02x%02x%02x%02x", base,
			     rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]) >=
		    (int)tmplen) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			    O_CLOEXEC, SAVE_MODE_MAX);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

int rpc_write_file_atomic(const char *path, const char *data, size_t len,
			  char *why, size_t whylen)
{
	char dir[4096], tmp[512];
	const char *base;
	mode_t mode = SAVE_MODE_MAX;
	struct stat st;
	int fd = -1, dfd;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
		snprintf(why, whylen, "path too long");
		return -1;
	}
	base = strrchr(path, '/');
	if (!base || base[1] == '\0') {
		snprintf(why, whylen, "not a file name");
		return -1;
	}
	dir[base - path] = '\0';
	base++;
	dfd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		snprintf(why, whylen, "cannot open the directory: %s", strerror(errno));
		return -1;
	}
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			snprintf(why, whylen, "is a symbolic link");
			goto fail;
		}
		if (!S_ISREG(st.st_mode)) {
			snprintf(why, whylen, "not a regular file");
			goto fail;
		}
		/* Keep a narrower mode; never widen past 0600. */
		mode = st.st_mode & SAVE_MODE_MAX;
	}
	fd = open_temp(dfd, base, tmp, sizeof(tmp));
	if (fd < 0) {
		snprintf(why, whylen, "cannot create a temporary file: %s",
			 strerror(errno));
		goto fail;
	}
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		snprintf(why, whylen, "cannot write %s: %s", tmp, strerror(errno));
		goto fail_tmp;
	}
	if (close(fd) < 0) {
		fd = -1;
		snprintf(why, whylen, "cannot write %s: %s", tmp, strerror(errno));
		goto fail_tmp;
	}
	fd = -1;
	if (renameat(dfd, tmp, dfd, base) < 0) {
		snprintf(why, whylen, "cannot rename %s: %s", tmp, strerror(errno));
		goto fail_tmp;
	}
	fsync(dfd);
	close(dfd);
	return 0;
fail_tmp:
	if (fd >= 0)
		close(fd);
	unlinkat(dfd, tmp, 0);
fail:
	close(dfd);
	return -1;
}
