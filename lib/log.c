#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

static enum log_level cur_level = LOG_LVL_INFO;
static bool use_stderr = true;
static log_sink_fn sink;
static bool buffered;

void log_init(const char *ident, enum log_level level, bool to_stderr)
{
	cur_level = level;
	use_stderr = to_stderr;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_buffered(bool on)
{
	static char buf[1 << 16];

	/* Only before the first line: setvbuf on a stream in use is undefined. */
	buffered = on && setvbuf(stderr, on ? buf : NULL, on ? _IOFBF : _IONBF,
				 on ? sizeof(buf) : 0) == 0;
}

void log_flush(void)
{
	if (buffered)
		fflush(stderr);
}

void log_set_level(enum log_level level)
{
	cur_level = level;
}

enum log_level log_get_level(void)
{
	return cur_level;
}

void log_set_sink(log_sink_fn fn)
{
	sink = fn;
}

int log_level_parse(const char *s)
{
	static const char *names[] = { "error", "warning", "info", "debug" };
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static void log_vemit(enum log_level level, const struct log_fields *f,
		      const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

	if (level > cur_level)
		return;
	if (sink) {
		/* Longer lines are cut, as syslog(3) would cut them. */
		char msg[2048];

		vsnprintf(msg, sizeof(msg), fmt, ap);
		sink(level, f, msg);
	} else if (use_stderr) {
		struct timespec ts;
		struct tm tm;
		char stamp[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld ", stamp, ts.tv_nsec / 1000000);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(prio[level], fmt, ap);
	}
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(level, NULL, fmt, ap);
	va_end(ap);
}

void log_instance(enum log_level level, const struct log_fields *f,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(level, f, fmt, ap);
	va_end(ap);
}
