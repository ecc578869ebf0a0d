/* Logging: one line per event, greppable by operators. Foreground daemons
 * log to stderr with a millisecond timestamp, background ones to syslog.
 * A program may install a sink instead (vrrpd does under journald, see
 * vrrpd/journal.c): it gets the same text plus, for lines about one VRRP
 * instance, the fields that name it. lib/ itself links no libsystemd, so
 * vrrpctl and the tests don't either. */
#ifndef VRRP_LOG_H
#define VRRP_LOG_H

#include <stdbool.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* What a line about one instance carries besides its text; the call site
 * has them, the text only names the instance. */
struct log_fields {
	const char *instance;   /* configured instance name */
	const char *state;      /* "MASTER", ...; NULL if not known */
	int priority;           /* effective VRRP priority; -1 if not known */
};

void log_init(const char *ident, enum log_level level, bool to_stderr);
void log_set_level(enum log_level level);
/* Lines to stderr are kept in a buffer until log_flush() (or until it is
 * full) instead of one write(2) per piece of a line. vrrpd's event loop
 * flushes before it sleeps, so a line is out within the loop iteration
 * that logged it: a mass takeover of 1000 instances wrote 12,000 times to
 * a pipe and spent a third of its time there (bench/RESULTS.md). Call
 * before the first line. */
void log_set_buffered(bool on);
void log_flush(void);
enum log_level log_get_level(void);
/* Parses "error|warning|info|debug"; returns -1 if unknown. */
int log_level_parse(const char *s);

/* msg is the formatted line without timestamp or newline; f is NULL for
 * lines that are not about one instance. NULL sink: back to stderr/syslog. */
typedef void (*log_sink_fn)(enum log_level level, const struct log_fields *f,
			    const char *msg);
void log_set_sink(log_sink_fn sink);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same line as log_msg() would write; a sink also gets f. */
void log_instance(enum log_level level, const struct log_fields *f,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define log_err(...) log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)                                      \
	do {                                                \
		if (log_get_level() >= LOG_LVL_DEBUG)       \
			log_msg(LOG_LVL_DEBUG, __VA_ARGS__); \
	} while (0)

/* Per-level forms of log_instance(), so a caller's macro can paste the
 * level name as it does for log_err ... log_debug. */
#define log_instance_err(f, ...) log_instance(LOG_LVL_ERR, f, __VA_ARGS__)
#define log_instance_warn(f, ...) log_instance(LOG_LVL_WARN, f, __VA_ARGS__)
#define log_instance_info(f, ...) log_instance(LOG_LVL_INFO, f, __VA_ARGS__)
#define log_instance_debug(f, ...)                                \
	do {                                                      \
		if (log_get_level() >= LOG_LVL_DEBUG)             \
			log_instance(LOG_LVL_DEBUG, f, __VA_ARGS__); \
	} while (0)

#endif
