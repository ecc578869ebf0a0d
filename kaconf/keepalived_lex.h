/* Syntax layer of the keepalived importer (internal to kaconf/).
 *
 * keepalived's grammar is line oriented: a statement is a keyword with its
 * arguments up to the end of the line, optionally followed by a block
 * `{ ... }` of further statements. `{` and `}` are tokens of their own even
 * when glued to a word (`vrrp_instance VI_22{`), "double quotes" keep spaces
 * in one argument, and `include GLOB` (or includer, includem, includew,
 * includeb, includea) splices files in place. Comments, `@ID` lines,
 * parameters and ~SEQ are resolved line by line before the tokenizer sees
 * the text (template.c). This file turns the text into a tree of
 * statements; it knows no keyword except the includes. */
#ifndef VRRPD_KEEPALIVED_LEX_H
#define VRRPD_KEEPALIVED_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "keepalived_conf.h"

struct ka_stmt {
	const char *file;        /* owned by the ka_tree */
	unsigned line;
	size_t argc;             /* >= 1 */
	char **argv;             /* argv[0] is the keyword */
	bool has_block;
	struct ka_stmt *child;   /* statements inside the block */
	struct ka_stmt *next;
};

struct ka_tree {
	struct ka_stmt *top;
	char **files;            /* every file name read, for ka_stmt.file */
	size_t n_files;
};

/* Where messages go. `strict` turns ka_warn() into errors. */
struct ka_report {
	struct kaconf_diag *diag; /* may be NULL: messages only counted */
	bool strict;
	size_t n_errors;
};

/* "FILE:LINE: <fmt>" as an error (line 0: "FILE: <fmt>"). */
void ka_error(struct ka_report *r, const char *file, unsigned line,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A keyword that is skipped: "FILE:LINE: <fmt>; ignored" as a warning, or
 * "FILE:LINE: <fmt> (rejected in strict mode)" as an error when strict. */
void ka_ignored(struct ka_report *r, const char *file, unsigned line,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A warning about a value keepalived corrects and we correct the same way;
 * an error when strict. */
void ka_warn(struct ka_report *r, const char *file, unsigned line,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

struct ka_parse_opts {
	unsigned max_include_depth;  /* 0: 8 */
	const char *config_id;       /* for `@ID` lines; NULL matches none */
};

/* Parse `text` (named `name`) with its includes into *tree. Returns 0, or -1
 * after reporting a syntax error (tree then freed and empty). */
int ka_parse(const char *name, const char *text, size_t len,
	     const struct ka_parse_opts *po, struct ka_report *r,
	     struct ka_tree *tree);
void ka_tree_free(struct ka_tree *tree);

/* Not a regular file: refused before reading (errno has no such code). */
#define KA_ENOTREG 1000
/* Read a whole regular file (bounded, never blocking on a FIFO),
 * NUL-terminated. Returns 0 or -errno (or -KA_ENOTREG). */
int ka_read_file(const char *path, char **buf, size_t *len);
/* The reason for a ka_read_file() failure, for messages. */
const char *ka_read_strerror(int rc);

#endif
