/* `vrrpctl --complete`: the words a shell gets, one per line, for the
 * command table's candidates; placeholders left out, a file argument
 * reported by status. The files under test are included: vrrpctl objects
 * are not in a library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../vrrpctl/cmd_table.c"
#include "../../vrrpctl/commands.c"
#include "../../vrrpctl/complete_words.c"

static size_t fake_instances(void *arg, char (*names)[64], size_t max)
{
	(void)arg;
	(void)max;
	snprintf(names[0], 64, "VI_1");
	snprintf(names[1], 64, "VI_2");
	snprintf(names[2], 64, "web");
	return 3;
}

static size_t fake_ifnames(void *arg, char (*names)[64], size_t max)
{
	(void)arg;
	(void)max;
	snprintf(names[0], 64, "eth0");
	return 1;
}

static const struct cli_env env = { NULL, fake_instances, fake_ifnames, NULL, NULL };

static char out[4096];
static int status;

/* The words as a shell passes them (the last one partial, maybe ""),
 * separated by '|'; returns the printed lines. */
static const char *complete(const char *line)
{
	char buf[512], *words[CLI_MAX_WORDS + 8];
	size_t n = 0;
	FILE *f = fmemopen(out, sizeof(out), "w");

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = buf, *bar; w; w = bar ? bar + 1 : NULL) {
		bar = strchr(w, '|');
		if (bar)
			*bar = '\0';
		words[n++] = w;
	}
	if (strcmp(line, "") == 0)
		n = 0;
	assert_non_null(f);
	status = complete_words(&env, words, n, f);
	fputc('\0', f);
	fclose(f);
	return out;
}

static void test_keywords(void **state)
{
	(void)state;
	assert_string_equal(complete("s"), "show\nset\nsave\n");
	assert_int_equal(status, 0);
	assert_string_equal(complete("show|inst"), "instances\ninstance\n");
	/* Empty partial: everything that may come next. */
	assert_string_equal(complete("show|"),
			    "instances\ninstance\nstatistics\ntracking\nrunning-config\ndaemon\ncompare\ncandidate\ncommits\n");
	assert_non_null(strstr(complete(""), "show\n"));
}

static void test_placeholders_left_out(void **state)
{
	(void)state;
	/* Live names, not <NAME> (nothing to insert for it). */
	assert_string_equal(complete("show|instance|V"), "VI_1\nVI_2\n");
	assert_string_equal(complete("show|statistics|"), "VI_1\nVI_2\nweb\n");
	assert_string_equal(complete("set|instance|VI_1|priority|"), "");
	assert_string_equal(complete("create|instance|X|interface|"), "eth0\n");
	assert_string_equal(complete("bogus|"), "");
	assert_int_equal(status, 0);
}

static void test_file_argument(void **state)
{
	(void)state;
	assert_string_equal(complete("convert|"), "");
	assert_int_equal(status, COMPLETE_FILE);
}

static void test_too_many_words(void **state)
{
	char line[CLI_MAX_WORDS * 3 + 8] = "";
	(void)state;
	for (int i = 0; i < CLI_MAX_WORDS + 2; i++)
		strcat(line, "x|");
	assert_string_equal(complete(line), "");
	assert_int_equal(status, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_placeholders_left_out),
		cmocka_unit_test(test_file_argument),
		cmocka_unit_test(test_too_many_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
