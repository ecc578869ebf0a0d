/* keepalived configuration import: reads a keepalived.conf (with its
 * includes) and produces the equivalent configuration of module vrrpd as
 * RFC 7951 JSON text, for `vrrpd --keepalived-conf FILE` and
 * `vrrpctl convert FILE`. One parser serves both.
 *
 * Every message names FILE:LINE. Keywords outside VRRP and VRRP features
 * vrrpd does not have yet are warnings (the keyword is ignored); with
 * opts->strict they are errors. On any error no JSON is produced: nothing
 * is half converted. */
#ifndef VRRPD_KEEPALIVED_CONF_H
#define VRRPD_KEEPALIVED_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum kaconf_severity { KACONF_WARNING, KACONF_ERROR };

struct kaconf_msg {
	enum kaconf_severity severity;
	char *file;      /* file the message is about */
	unsigned line;   /* 1-based; 0 when about the file as a whole */
	char *text;      /* complete message, "FILE:LINE: ..." */
};

/* Messages in the order they were found. Zero-initialize before use;
 * release with kaconf_diag_free(). */
struct kaconf_diag {
	struct kaconf_msg *msgs;
	size_t n_msgs;
	size_t n_errors;     /* kept in msgs */
	size_t n_warnings;   /* kept in msgs */
	size_t n_suppressed; /* found beyond KACONF_DIAG_MAX of their kind */
};

/* Messages kept per severity; the rest is only counted. */
#define KACONF_DIAG_MAX 100

struct kaconf_opts {
	bool strict;                 /* warnings become errors (--strict) */
	unsigned max_include_depth;  /* nesting bound for include; 0 = 8 */
	/* Compared with `@ID` / `@^ID` lines (keepalived's -i/--config-id).
	 * NULL: the host name up to its first '.', keepalived's default. */
	const char *config_id;
};

/* Convert the keepalived configuration in `path`. On success returns 0 and
 * stores a malloc'd, pretty-printed (2-space) JSON text in *json_out
 * (caller frees); warnings, if any, are in diag. On error returns -1,
 * *json_out is NULL and diag holds at least one error. opts and diag may be
 * NULL (defaults / messages dropped). Includes are resolved relative to the
 * directory of the including file. */
int kaconf_convert(const char *path, const struct kaconf_opts *opts,
		   char **json_out, struct kaconf_diag *diag);

/* Same for a configuration held in memory; `name` is used in messages and
 * relative includes are resolved against its directory. */
int kaconf_convert_text(const char *name, const char *text, size_t len,
			const struct kaconf_opts *opts, char **json_out,
			struct kaconf_diag *diag);

void kaconf_diag_free(struct kaconf_diag *diag);

/* Print every message as "warning: TEXT" or "error: TEXT", one a line,
 * then "note: N more messages suppressed" if some were. */
void kaconf_diag_print(const struct kaconf_diag *diag, FILE *fp);

#endif
