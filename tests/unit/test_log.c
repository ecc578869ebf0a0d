/* Logging: the plain text is the same whichever way a line goes (stderr
 * with a timestamp, or a sink such as journald's), log_instance() hands
 * its fields to the sink, levels filter both, and the journald entry
 * carries MESSAGE=, the syslog PRIORITY= and the VRRP_* fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal.h"
#include "log.h"

static struct {
	int n;
	enum log_level level;
	bool had_fields;
	struct log_fields f;
	char msg[256];
} got;

static void fake_sink(enum log_level level, const struct log_fields *f, const char *msg)
{
	got.n++;
	got.level = level;
	got.had_fields = f != NULL;
	if (f)
		got.f = *f;
	snprintf(got.msg, sizeof(got.msg), "%s", msg);
}

static int setup(void **state)
{
	(void)state;
	memset(&got, 0, sizeof(got));
	log_init("test", LOG_LVL_INFO, true);
	log_set_sink(fake_sink);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	log_set_sink(NULL);
	return 0;
}

static void test_sink_gets_text_and_fields(void **state)
{
	struct log_fields f = { "VI_1", "MASTER", 100 };
	(void)state;

	log_info("plain %d", 7);
	assert_int_equal(got.n, 1);
	assert_false(got.had_fields);
	assert_string_equal(got.msg, "plain 7");

	log_instance_warn(&f, "VRRP_Instance(%s) Entering %s STATE", "VI_1", "MASTER");
	assert_int_equal(got.n, 2);
	assert_int_equal(got.level, LOG_LVL_WARN);
	assert_true(got.had_fields);
	assert_string_equal(got.f.instance, "VI_1");
	assert_string_equal(got.f.state, "MASTER");
	assert_int_equal(got.f.priority, 100);
	assert_string_equal(got.msg, "VRRP_Instance(VI_1) Entering MASTER STATE");
}

static void test_levels_filter(void **state)
{
	struct log_fields f = { "VI_1", NULL, -1 };
	(void)state;

	log_debug("hidden");
	log_instance_debug(&f, "hidden too");
	log_instance(LOG_LVL_DEBUG, &f, "and this");
	assert_int_equal(got.n, 0);
	log_set_level(LOG_LVL_DEBUG);
	log_instance_debug(&f, "shown");
	assert_int_equal(got.n, 1);
	assert_string_equal(got.msg, "shown");
	log_set_level(LOG_LVL_INFO);
}

/* Without a sink the stderr line is "HH:MM:SS.mmm text\n", with or
 * without fields: log_instance() changes nothing for a plain log. */
static void test_stderr_text_unchanged(void **state)
{
	struct log_fields f = { "VI_1", "BACKUP", 90 };
	char buf[512] = "";
	FILE *tmp = tmpfile();
	int saved = dup(2);
	(void)state;

	assert_non_null(tmp);
	log_set_sink(NULL);
	dup2(fileno(tmp), 2);
	log_info("VRRP_Instance(%s) plain", "VI_1");
	log_instance_info(&f, "VRRP_Instance(%s) plain", "VI_1");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	char *second = strchr(buf, '\n');
	assert_non_null(second);
	second++;
	assert_int_equal(strlen(buf), 2 * (13 + strlen("VRRP_Instance(VI_1) plain\n")));
	assert_memory_equal(buf + 13, "VRRP_Instance(VI_1) plain\n", 26);
	assert_memory_equal(second + 13, "VRRP_Instance(VI_1) plain\n", 26);
	assert_int_equal(buf[2], ':');
	assert_int_equal(buf[8], '.');
}

static void test_journal_fields(void **state)
{
	static char fields[JOURNAL_MAX_FIELDS][JOURNAL_FIELD_LEN];
	struct iovec iov[JOURNAL_MAX_FIELDS];
	struct log_fields f = { "VI_1", "MASTER", 254 };
	(void)state;

	size_t n = journal_fields("vrrpd", LOG_LVL_WARN, &f, "text", fields, iov);
	assert_int_equal(n, 6);
	assert_string_equal(fields[0], "MESSAGE=text");
	/* journald's PRIORITY= is the syslog level (LOG_WARNING = 4) */
	assert_string_equal(fields[1], "PRIORITY=4");
	assert_string_equal(fields[2], "SYSLOG_IDENTIFIER=vrrpd");
	assert_string_equal(fields[3], "VRRP_INSTANCE=VI_1");
	assert_string_equal(fields[4], "VRRP_STATE=MASTER");
	assert_string_equal(fields[5], "VRRP_PRIORITY=254");
	assert_int_equal(iov[5].iov_len, strlen("VRRP_PRIORITY=254"));
	assert_ptr_equal(iov[0].iov_base, fields[0]);

	/* Unknown state and priority are left out, not sent empty. */
	struct log_fields g = { "VI_2", NULL, -1 };
	assert_int_equal(journal_fields("vrrpd", LOG_LVL_ERR, &g, "x", fields, iov), 4);
	assert_string_equal(fields[1], "PRIORITY=3");
	assert_string_equal(fields[3], "VRRP_INSTANCE=VI_2");
	/* A line about no instance. */
	assert_int_equal(journal_fields("vrrpd", LOG_LVL_DEBUG, NULL, "y", fields, iov), 3);
	assert_string_equal(fields[1], "PRIORITY=7");
}

/* $JOURNAL_STREAM counts only for the very stream it names. */
static void test_journal_stream_is(void **state)
{
	FILE *a = tmpfile(), *b = tmpfile();
	struct stat st;
	char v[64];
	(void)state;

	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(fstat(fileno(a), &st), 0);
	snprintf(v, sizeof(v), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	unsetenv("JOURNAL_STREAM");
	assert_false(journal_stream_is(fileno(a)));
	setenv("JOURNAL_STREAM", v, 1);
	assert_true(journal_stream_is(fileno(a)));
	assert_false(journal_stream_is(fileno(b)));
	setenv("JOURNAL_STREAM", "garbage", 1);
	assert_false(journal_stream_is(fileno(a)));
	unsetenv("JOURNAL_STREAM");
	fclose(a);
	fclose(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sink_gets_text_and_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_levels_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stderr_text_unchanged, setup, teardown),
		cmocka_unit_test(test_journal_fields),
		cmocka_unit_test(test_journal_stream_is),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
