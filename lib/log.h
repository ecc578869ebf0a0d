/* Logging: one line per event, greppable by operators. Foreground daemons
 * log to stderr with a millisecond timestamp, background ones to syslog. */
#ifndef VRRP_LOG_H
#define VRRP_LOG_H

#include <stdbool.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_init(const char *ident, enum log_level level, bool to_stderr);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parses "error|warning|info|debug"; returns -1 if unknown. */
int log_level_parse(const char *s);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)                                      \
	do {                                                \
		if (log_get_level() >= LOG_LVL_DEBUG)       \
			log_msg(LOG_LVL_DEBUG, __VA_ARGS__); \
	} while (0)

#endif
