/* Helpers shared by the unit tests that run real children through the
 * real event loop (test_spawn, test_notify, test_track_runner,
 * test_track_watch): a bounded run of the loop, a script written to a
 * temporary directory, and removing that directory. Include after
 * <cmocka.h>. */
#ifndef TESTS_PROC_FIXTURE_H
#define TESTS_PROC_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "loop.h"

static inline void fixture_stop(void *arg)
{
	loop_stop(arg);
}

/* Run the loop until a callback stops it or max_ms pass. */
static inline void run_bounded(struct loop *l, unsigned max_ms)
{
	struct loop_timer t;

	loop_timer_init(&t, fixture_stop, l);
	loop_timer_at(l, &t, loop_now_us() + max_ms * 1000ull);
	loop_run(l);
	loop_timer_cancel(l, &t);
}

/* A /bin/sh script with this body and mode. */
static inline void write_script(const char *path, const char *body,
				mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static inline int remove_tree(const char *dir)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
