/* vrrpd/ctl/history.c: records written as FILE.commits/NNNNNN.json
 * through a temporary file + rename, the newest 50 kept, read back after
 * a restart; a torn temporary file or a broken record is ignored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_history.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static size_t files(const char *d)
{
	DIR *dd = opendir(d);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(dd);
	while ((de = readdir(dd)))
		n += de->d_name[0] != '.';
	closedir(dd);
	return n;
}

static json_object *cfg(int prio)
{
	char js[128];

	snprintf(js, sizeof(js), "{\"vrrpd:vrrpd\":{\"instance\":[{\"name\":\"A\","
		 "\"priority\":%d}]}}", prio);
	return json_tokener_parse(js);
}

static void test_persist_and_reload(void **state)
{
	struct history h;
	char why[300], sub[128];
	json_object *c;

	(void)state;
	snprintf(sub, sizeof(sub), "%s/vrrpd.json.commits", dir);
	assert_int_equal(history_open(&h, sub, why, sizeof(why)), 0);
	assert_int_equal(h.n, 0);
	for (int i = 1; i <= 55; i++) {
		c = cfg(i);
		assert_int_equal(history_add(&h, 1000 + i, 0, "root", "c", c, why,
					     sizeof(why)), (unsigned)i);
		json_object_put(c);
	}
	assert_int_equal(h.n, HISTORY_KEEP);
	assert_int_equal(files(sub), HISTORY_KEEP);
	assert_int_equal(history_back(&h, 1)->number, 55);
	assert_int_equal(history_back(&h, 50)->number, 6);
	assert_null(history_back(&h, 51));
	history_close(&h);

	assert_int_equal(history_open(&h, sub, why, sizeof(why)), 0);
	assert_int_equal(h.n, HISTORY_KEEP);
	assert_int_equal(h.next, 56);
	assert_string_equal(history_back(&h, 1)->user, "root");
	assert_int_equal(history_back(&h, 1)->time, 1055);
	c = cfg(55);
	assert_true(json_object_equal(history_back(&h, 1)->config, c));
	json_object_put(c);
	history_close(&h);
}

static void test_torn_files_ignored(void **state)
{
	struct history h;
	char why[300], sub[128], path[256];
	json_object *c = cfg(1);
	FILE *f;

	(void)state;
	snprintf(sub, sizeof(sub), "%s/x.commits", dir);
	assert_int_equal(history_open(&h, sub, why, sizeof(why)), 0);
	assert_int_equal(history_add(&h, 1, 0, "root", "", c, why, sizeof(why)), 1);
	history_close(&h);
	/* A crash in the middle of writing record 2: its temporary file. */
	snprintf(path, sizeof(path), "%s/000002.json.tmpAbC123", sub);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"number\":2,\"config\":{\"vrrpd:vr", f);
	fclose(f);
	/* A record cut short some other way, and a stray file. */
	snprintf(path, sizeof(path), "%s/000003.json", sub);
	f = fopen(path, "w");
	fputs("{\"number\":3,\"con", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/notes.txt", sub);
	f = fopen(path, "w");
	fputs("hello", f);
	fclose(f);
	assert_int_equal(history_open(&h, sub, why, sizeof(why)), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(history_back(&h, 1)->number, 1);
	/* Numbers are never reused, even that of a broken record. */
	assert_int_equal(h.next, 4);
	history_close(&h);
	json_object_put(c);
}

static void test_memory_only(void **state)
{
	struct history h;
	char why[300];
	json_object *c = cfg(5);

	(void)state;
	assert_int_equal(history_open(&h, NULL, why, sizeof(why)), 0);
	assert_int_equal(history_add(&h, 1, 0, "u", "x", c, why, sizeof(why)), 1);
	/* The record holds a copy, not the caller's object. */
	json_object_object_del(c, "vrrpd:vrrpd");
	assert_non_null(json_object_object_get(history_back(&h, 1)->config, "vrrpd:vrrpd"));
	history_close(&h);
	json_object_put(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_persist_and_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_files_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_only, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
