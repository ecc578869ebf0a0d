/* Structured logging to journald: when systemd connected our stderr to
 * the journal ($JOURNAL_STREAM names that very stream), lines go through
 * sd_journal_send with the same MESSAGE= text the plain log has, plus
 * VRRP_INSTANCE=, VRRP_STATE= and VRRP_PRIORITY= on lines about one
 * instance, so `journalctl -u vrrpd VRRP_INSTANCE=VI_1` selects them. */
#ifndef VRRPD_JOURNAL_H
#define VRRPD_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

#include "log.h"

/* True if $JOURNAL_STREAM ("DEVICE:INODE") is the stream open on fd: the
 * variable alone is inherited by children whose stderr went elsewhere. */
bool journal_stream_is(int fd);
/* Install the journald sink if stderr is the journal; returns whether. */
bool journal_attach(const char *ident);

#define JOURNAL_MAX_FIELDS 6
#define JOURNAL_FIELD_LEN 2100
/* The fields of one entry into fields[] (pure, for the tests); returns
 * how many, each iov pointing into fields. */
size_t journal_fields(const char *ident, enum log_level level,
		      const struct log_fields *f, const char *msg,
		      char fields[JOURNAL_MAX_FIELDS][JOURNAL_FIELD_LEN],
		      struct iovec *iov);

#endif
