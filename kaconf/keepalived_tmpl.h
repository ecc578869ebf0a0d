/* keepalived's configuration language above the grammar (template.c):
 * comments, `@ID` / `@^ID` conditional lines, `$NAME=VALUE` parameters (also
 * multiline ones, continued with '\'), their use as `$NAME` or `${NAME}`,
 * and `~SEQ(...)` / `~SEQx(...)` sequence lines, as `man keepalived.conf`
 * (ADVANCED CONFIGURATION) describes them. The lexer asks for one logical
 * line at a time, so definitions take effect in reading order, across
 * includes, as in keepalived. Internal to kaconf/. */
#ifndef VRRPD_KEEPALIVED_TMPL_H
#define VRRPD_KEEPALIVED_TMPL_H

#include <stddef.h>

struct ka_report;

struct ka_param {
	char *name;
	char *value;  /* lines separated by '\n' for a multiline definition */
};

struct ka_template {
	struct ka_report *r;
	const char *config_id;     /* what `@ID` lines are compared with */
	struct ka_param *params;
	size_t n_params;
	size_t expanded_bytes;     /* all output so far, bounded */
};

/* One file's raw text, read line by line. */
struct ka_src {
	const char *file;
	const char *buf;
	size_t len, pos;
	unsigned line;             /* number of the last raw line read */
};

/* The next logical line of src, expanded: *out is malloc'd text of zero or
 * more lines, each ending in '\n', with comments removed; *line is the
 * number of the source line it came from. Returns 1, 0 at the end of src,
 * or -1 after reporting an error. */
int ka_template_next(struct ka_template *t, struct ka_src *src, char **out,
		     size_t *out_len, unsigned *line);

void ka_template_free(struct ka_template *t);

#endif
