/* Atomic replacement of the startup configuration file (config.save). The
 * new text goes to a temporary file in the same directory (rename(2) is
 * only atomic within one file system), is fsync'ed, then renamed over the
 * old file, and the directory is fsync'ed so the rename survives a crash.
 * Any failure removes the temporary file and leaves the old file as it was. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rpc_int.h"

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

int rpc_write_file_atomic(const char *path, const char *data, size_t len,
			  char *why, size_t whylen)
{
	char tmp[4096], dir[4096];
	mode_t mode = 0600; /* the file may hold authentication passwords */
	struct stat st;
	int fd, dfd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >= (int)sizeof(tmp) ||
	    snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
		snprintf(why, whylen, "path too long");
		return -1;
	}
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(why, whylen, "not a regular file");
			return -1;
		}
		mode = st.st_mode & 07777;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(why, whylen, "cannot create a temporary file: %s",
			 strerror(errno));
		return -1;
	}
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		snprintf(why, whylen, "cannot write %s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		snprintf(why, whylen, "cannot write %s: %s", tmp, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		snprintf(why, whylen, "cannot rename %s: %s", tmp, strerror(errno));
		goto fail;
	}
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}
