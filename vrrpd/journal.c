/* The journald log sink (see journal.h). */
#include "journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>

#include <systemd/sd-journal.h>

static const char *journal_ident = "vrrpd";

bool journal_stream_is(int fd)
{
	const char *v = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!v || sscanf(v, "%llu:%llu", &dev, &ino) != 2 || fstat(fd, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

size_t journal_fields(const char *ident, enum log_level level,
		      const struct log_fields *f, const char *msg,
		      char fields[JOURNAL_MAX_FIELDS][JOURNAL_FIELD_LEN],
		      struct iovec *iov)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	size_t n = 0;

	snprintf(fields[n++], JOURNAL_FIELD_LEN, "MESSAGE=%s", msg);
	/* PRIORITY= is journald's syslog level; the VRRP priority therefore
	 * has its own name, VRRP_PRIORITY=. */
	snprintf(fields[n++], JOURNAL_FIELD_LEN, "PRIORITY=%d", prio[level]);
	snprintf(fields[n++], JOURNAL_FIELD_LEN, "SYSLOG_IDENTIFIER=%s", ident);
	if (f && f->instance) {
		snprintf(fields[n++], JOURNAL_FIELD_LEN, "VRRP_INSTANCE=%s", f->instance);
		if (f->state)
			snprintf(fields[n++], JOURNAL_FIELD_LEN, "VRRP_STATE=%s", f->state);
		if (f->priority >= 0)
			snprintf(fields[n++], JOURNAL_FIELD_LEN, "VRRP_PRIORITY=%d",
				 f->priority);
	}
	for (size_t i = 0; i < n; i++) {
		iov[i].iov_base = fields[i];
		iov[i].iov_len = strlen(fields[i]);
	}
	return n;
}

static void journal_sink(enum log_level level, const struct log_fields *f,
			 const char *msg)
{
	static char fields[JOURNAL_MAX_FIELDS][JOURNAL_FIELD_LEN];
	struct iovec iov[JOURNAL_MAX_FIELDS];
	size_t n = journal_fields(journal_ident, level, f, msg, fields, iov);

	/* journald gone (restarting): the line still reaches our stderr,
	 * which is the journal's stream socket and gets it once it is back. */
	if (sd_journal_sendv(iov, (int)n) < 0)
		fprintf(stderr, "%s\n", msg);
}

bool journal_attach(const char *ident)
{
	if (!journal_stream_is(2))
		return false;
	journal_ident = ident;
	log_set_sink(journal_sink);
	return true;
}
