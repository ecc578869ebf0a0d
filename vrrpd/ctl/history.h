/* Commit history: every commit of a candidate (number, time, user,
 * comment, the whole configuration after it), kept in memory and, when
 * vrrpd has a startup file FILE, in FILE.commits/NNNNNN.json so it survives
 * restarts. Each record is written to a temporary file, fsync'd and
 * renamed (rpc_write_file_atomic): a crash leaves either the old set of
 * records or the new one, and a torn temporary file is never read back
 * (only names of exactly six digits + ".json" that parse are loaded). The
 * newest HISTORY_KEEP records are kept; older ones are removed. */
#ifndef VRRPD_HISTORY_H
#define VRRPD_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

#define HISTORY_KEEP 50

struct hist_entry {
	unsigned number;       /* 1, 2, ... never reused */
	int64_t time;          /* realtime, seconds */
	uid_t uid;
	char user[64];
	char comment[256];
	json_object *config;   /* RFC 7951 JSON */
};

struct history {
	char *dir;             /* NULL: in memory only */
	struct hist_entry *v;  /* oldest first */
	size_t n;
	unsigned next;         /* number of the next commit */
};

/* Load what dir holds (created if missing); dir NULL: memory only.
 * Returns 0, or -1 with why (then the history is empty and in memory). */
int history_open(struct history *h, const char *dir, char *why, size_t len);
void history_close(struct history *h);

/* Record a commit (config is copied). Returns its number, or 0 with why
 * when the record could not be written (it is still kept in memory). */
unsigned history_add(struct history *h, int64_t now, uid_t uid,
		     const char *user, const char *comment, json_object *config,
		     char *why, size_t len);

/* The n-th newest record (1 = the latest commit), or NULL. */
const struct hist_entry *history_back(const struct history *h, size_t n);

#endif
