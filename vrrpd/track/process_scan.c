/* /proc scanning for process trackers (process_scan.h). */
#include "process_scan.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A command line longer than this is compared on its first part only:
 * no tracked command line is that long. */
#define CMDLINE_MAX 8192

/* The next NUL-separated word of cmdline at *off (the last one may lack
 * its NUL when the line was cut); NULL at the end. */
static const char *next_word(const char *cmdline, size_t cmdlen, size_t *off,
			     size_t *wlen)
{
	const char *w = cmdline + *off, *end;

	if (*off >= cmdlen)
		return NULL;
	end = memchr(w, '\0', cmdlen - *off);
	*wlen = end ? (size_t)(end - w) : cmdlen - *off;
	*off += *wlen + 1;
	return w;
}

bool process_matches(const struct tracker_cfg *c, const char *comm,
		     const char *cmdline, size_t cmdlen)
{
	size_t off = 0, wl;

	if (!c->match_args) {
		size_t want = strlen(c->process_name);

		if (want > PROC_COMM_MAX)
			want = PROC_COMM_MAX;
		return strlen(comm) == want &&
		       strncmp(comm, c->process_name, want) == 0;
	}
	for (size_t k = 0; k <= c->n_args; k++) {
		const char *want = k == 0 ? c->process_name : c->args[k - 1];
		const char *w = next_word(cmdline, cmdlen, &off, &wl);

		if (!w || wl != strlen(want) || memcmp(w, want, wl) != 0)
			return false;
	}
	/* Nothing may follow the last configured argument. */
	return next_word(cmdline, cmdlen, &off, &wl) == NULL;
}

static ssize_t read_small(int dirfd, const char *name, char *buf, size_t len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < len &&
	       (n = read(fd, buf + total, len - (size_t)total)) > 0)
		total += n;
	close(fd);
	return total;
}

static void count_one(int pdir, const struct tracker_cfg *const *cfgs,
		      size_t n, unsigned *counts)
{
	char comm[64], cmdline[CMDLINE_MAX];
	ssize_t cl, nl;

	nl = read_small(pdir, "comm", comm, sizeof(comm) - 1);
	if (nl <= 0)
		return;
	comm[nl] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	cl = read_small(pdir, "cmdline", cmdline, sizeof(cmdline));
	for (size_t k = 0; k < n; k++) {
		/* A kernel thread has an empty command line. */
		if (cfgs[k]->match_args && cl <= 0)
			continue;
		if (process_matches(cfgs[k], comm, cmdline,
				    cl > 0 ? (size_t)cl : 0))
			counts[k]++;
	}
}

int process_scan(const struct tracker_cfg *const *cfgs, size_t n,
		 unsigned *counts, const char *root)
{
	DIR *d = opendir(root);
	struct dirent *e;

	if (!d)
		return -1;
	for (size_t k = 0; k < n; k++)
		counts[k] = 0;
	while ((e = readdir(d))) {
		int pdir;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pdir = openat(dirfd(d), e->d_name,
			      O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pdir < 0)
			continue;
		count_one(pdir, cfgs, n, counts);
		close(pdir);
	}
	closedir(d);
	return 0;
}
