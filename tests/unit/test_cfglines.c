/* lib/cfglines.c: configuration lines in the shell's grammar (stable
 * order, one item per line, lists in one line, what the shell cannot say
 * as comments) and their diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfglines.h"

static char *render(const char *json)
{
	json_object *o = json_tokener_parse(json);
	struct cfgl l;
	char *t;

	assert_non_null(o);
	assert_int_equal(cfgl_render(o, &l), 0);
	json_object_put(o);
	t = cfgl_text(&l);
	cfgl_free(&l);
	return t;
}

static char *diff(const char *a, const char *b, size_t *n)
{
	json_object *oa = json_tokener_parse(a), *ob = json_tokener_parse(b);
	struct cfgl la, lb;
	char *d;

	assert_int_equal(cfgl_render(oa, &la), 0);
	assert_int_equal(cfgl_render(ob, &lb), 0);
	d = cfgl_diff(&la, &lb, n);
	cfgl_free(&la);
	cfgl_free(&lb);
	json_object_put(oa);
	json_object_put(ob);
	return d;
}

#define I1 "{\"name\":\"VI_1\",\"interface\":\"eth0\",\"vrid\":1,\"priority\":100," \
	"\"virtual-address\":[{\"address\":\"10.0.0.1\",\"prefix-length\":24}," \
	"{\"address\":\"10.0.0.2\"}]}"
/* Members in another order than the schema's. */
#define I2 "{\"priority\":50,\"authentication\":{\"password\":\"a b\",\"type\":\"simple-password\"}," \
	"\"name\":\"A\",\"vrid\":2,\"interface\":\"eth1\",\"version\":2}"

static void test_render_order(void **state)
{
	char *t;

	(void)state;
	t = render("{\"vrrpd:vrrpd\":{\"instance\":[" I1 "," I2 "]}}");
	/* Instances by name; settings in the shell's option order (the
	 * schema order), whatever the order of the JSON members. */
	assert_string_equal(t,
		"set instance A interface eth1\n"
		"set instance A vrid 2\n"
		"set instance A version 2\n"
		"set instance A priority 50\n"
		"set instance A authentication simple-password\n"
		"set instance A password \"a b\"\n"
		"set instance VI_1 interface eth0\n"
		"set instance VI_1 vrid 1\n"
		"set instance VI_1 priority 100\n"
		"set instance VI_1 address 10.0.0.1/24 address 10.0.0.2\n");
	free(t);
	/* Stable: the same configuration in another order renders the same. */
	char *u = render("{\"vrrpd:vrrpd\":{\"instance\":[" I2 "," I1 "]}}");
	t = render("{\"vrrpd:vrrpd\":{\"instance\":[" I1 "," I2 "]}}");
	assert_string_equal(t, u);
	free(t);
	free(u);
}

static void test_render_not_settable(void **state)
{
	char *t;

	(void)state;
	t = render("{\"vrrpd:vrrpd\":{\"global\":{\"router-id\":\"r1\"},\"instance\":["
		   "{\"name\":\"X\",\"interface\":\"e\",\"vrid\":3,\"virtual-address\":"
		   "[{\"address\":\"10.1.1.1\",\"prefix-length\":32,\"device\":\"lo\"}],"
		   "\"unicast\":{\"peer\":[{\"address\":\"10.2.2.2\",\"min-ttl\":250}]}}]}}");
	assert_string_equal(t,
		"# set global router-id r1  (startup file or config.replace)\n"
		"set instance X interface e\n"
		"set instance X vrid 3\n"
		"set instance X unicast-peer 10.2.2.2\n"
		"# set instance X unicast-peer 10.2.2.2 min-ttl 250  (not settable from the shell)\n"
		"set instance X address 10.1.1.1/32\n"
		"# set instance X address 10.1.1.1 device lo  (not settable from the shell)\n");
	free(t);
	t = render("{}");
	assert_string_equal(t, "");
	free(t);
}

static void test_diff(void **state)
{
	size_t n = 99;
	char *d;

	(void)state;
	d = diff("{\"vrrpd:vrrpd\":{\"instance\":[" I1 "]}}",
		 "{\"vrrpd:vrrpd\":{\"instance\":[" I1 "]}}", &n);
	assert_string_equal(d, "");
	assert_int_equal(n, 0);
	free(d);
	d = diff("{\"vrrpd:vrrpd\":{\"instance\":[" I1 "," I2 "]}}",
		 "{\"vrrpd:vrrpd\":{\"instance\":[{\"name\":\"VI_1\",\"interface\":\"eth0\","
		 "\"vrid\":1,\"priority\":150,\"preempt\":false,\"virtual-address\":"
		 "[{\"address\":\"10.0.0.1\",\"prefix-length\":24}]},"
		 "{\"name\":\"B\",\"interface\":\"eth0\",\"vrid\":9}]}}", &n);
	/* A changed setting: old line, then new; lists as one line. */
	assert_string_equal(d,
		"-set instance A interface eth1\n"
		"-set instance A vrid 2\n"
		"-set instance A version 2\n"
		"-set instance A priority 50\n"
		"-set instance A authentication simple-password\n"
		"-set instance A password \"a b\"\n"
		"+set instance B interface eth0\n"
		"+set instance B vrid 9\n"
		"-set instance VI_1 priority 100\n"
		"+set instance VI_1 priority 150\n"
		"+set instance VI_1 preempt false\n"
		"-set instance VI_1 address 10.0.0.1/24 address 10.0.0.2\n"
		"+set instance VI_1 address 10.0.0.1/24\n");
	assert_int_equal(n, 13);
	free(d);
}

/* Instances by name on both sides: a removed one sorts before an added one
 * only by its name. */
static void test_diff_order(void **state)
{
	size_t n;
	char *d;

	(void)state;
	d = diff("{\"vrrpd:vrrpd\":{\"instance\":[" I2 "]}}",
		 "{\"vrrpd:vrrpd\":{\"instance\":[{\"name\":\"B\",\"interface\":\"eth0\",\"vrid\":9}]}}",
		 &n);
	assert_string_equal(d,
		"-set instance A interface eth1\n"
		"-set instance A vrid 2\n"
		"-set instance A version 2\n"
		"-set instance A priority 50\n"
		"-set instance A authentication simple-password\n"
		"-set instance A password \"a b\"\n"
		"+set instance B interface eth0\n"
		"+set instance B vrid 9\n");
	assert_int_equal(n, 8);
	free(d);
}

/* show compare on 1000 instances: the issue asks < 50 ms end to end; the
 * renderer and diff are a small part of it. */
static void test_speed_1000(void **state)
{
	json_object *a = json_object_new_object(), *top = json_object_new_object();
	json_object *arr = json_object_new_array(), *b = NULL;
	struct cfgl la, lb;
	struct timespec t0, t1;
	size_t n;
	char *d;

	(void)state;
	json_object_object_add(a, "vrrpd:vrrpd", top);
	json_object_object_add(top, "instance", arr);
	for (int i = 0; i < 1000; i++) {
		char js[256];

		snprintf(js, sizeof(js), "{\"name\":\"VI_%04d\",\"interface\":\"eth0\","
			 "\"vrid\":%d,\"priority\":100,\"virtual-address\":[{\"address\":"
			 "\"10.%d.%d.1\",\"prefix-length\":24}]}", i, i % 255 + 1, i / 256, i % 256);
		json_object_array_add(arr, json_tokener_parse(js));
	}
	assert_int_equal(json_object_deep_copy(a, &b, NULL), 0);
	json_object_object_add(json_object_array_get_idx(
		json_object_object_get(json_object_object_get(b, "vrrpd:vrrpd"), "instance"), 500),
		"priority", json_object_new_int(200));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(cfgl_render(a, &la), 0);
	assert_int_equal(cfgl_render(b, &lb), 0);
	d = cfgl_diff(&la, &lb, &n);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_string_equal(d, "-set instance VI_0500 priority 100\n"
			       "+set instance VI_0500 priority 200\n");
	assert_int_equal(n, 2);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	print_message("render x2 + diff of 1000 instances: %.2f ms\n", ms);
	assert_true(ms < 50);
	free(d);
	cfgl_free(&la);
	cfgl_free(&lb);
	json_object_put(a);
	json_object_put(b);
}

/* Trackers, sync groups and follow lists as the commands that make them:
 * the sections in replay order (trackers, instances, groups), a tracker's
 * settings in schema order whatever the JSON order, argv as the one word
 * the shell splits again, and what it cannot split as a comment. */
static void test_render_tracking(void **state)
{
	char *t, *d;
	size_t n;

	(void)state;
	t = render("{\"vrrpd:vrrpd\":{"
		   "\"sync-group\":[{\"name\":\"G\",\"member\":[\"VI_1\",\"A\"],"
		   "\"track\":{\"interface\":[{\"name\":\"eth1\"}]}}],"
		   "\"instance\":[" I1 ",{\"name\":\"A\",\"interface\":\"eth1\",\"vrid\":2,"
		   "\"track\":{\"script\":[{\"name\":\"chk\",\"weight\":-5}],"
		   "\"file\":[{\"name\":\"f\"}]}}],"
		   "\"track\":{\"file\":[{\"name\":\"f\",\"path\":\"/run/w\"}],"
		   "\"script\":[{\"weight\":-20,\"name\":\"chk\","
		   "\"command\":[\"/usr/bin/check\",\"-p\",\"80 81\"]},"
		   "{\"name\":\"sh\",\"shell\":true,\"command\":[\"pidof x >/dev/null\"]},"
		   "{\"name\":\"q\",\"command\":[\"/bin/echo\",\"it's\"]}],"
		   "\"interface\":[{\"name\":\"eth1\"}]}}}");
	assert_string_equal(t,
		"create tracker script chk command \"/usr/bin/check -p '80 81'\" weight -20\n"
		"# create tracker script q {\"name\":\"q\",\"command\":[\"/bin/echo\",\"it's\"]}"
		"  (a quote inside an argument: tracker.create takes the command as a list)\n"
		"create tracker script sh command \"pidof x >/dev/null\" shell true\n"
		"create tracker interface eth1\n"
		"create tracker file f path /run/w\n"
		"set instance A interface eth1\n"
		"set instance A vrid 2\n"
		"set instance A track script chk weight -5\n"
		"set instance A track file f\n"
		"set instance VI_1 interface eth0\n"
		"set instance VI_1 vrid 1\n"
		"set instance VI_1 priority 100\n"
		"set instance VI_1 address 10.0.0.1/24 address 10.0.0.2\n"
		"create sync-group G member VI_1 member A\n"
		"set sync-group G track interface eth1\n");
	free(t);
	/* a changed tracker: its old line and its new one */
	d = diff("{\"vrrpd:vrrpd\":{\"track\":{\"script\":[{\"name\":\"c\",\"command\":[\"/a\"]}]}}}",
		 "{\"vrrpd:vrrpd\":{\"track\":{\"script\":[{\"name\":\"c\",\"command\":[\"/a\"],"
		 "\"fall\":3}]}}}", &n);
	assert_string_equal(d, "-create tracker script c command /a\n"
			    "+create tracker script c command /a fall 3\n");
	assert_int_equal(n, 2);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_order),
		cmocka_unit_test(test_render_not_settable),
		cmocka_unit_test(test_render_tracking),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_diff_order),
		cmocka_unit_test(test_speed_1000),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
