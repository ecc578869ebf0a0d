/* Tokenizer and statement tree of the keepalived importer (see
 * keepalived_lex.h for the grammar). Files are read whole and bounded;
 * includes are a stack of files so tokens flow across them textually, as
 * in keepalived, while every token keeps its own file and line. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keepalived_lex.h"
#include "keepalived_tmpl.h"

/* Limits, each with its reason. The largest keepalived.conf files seen in
 * practice (thousands of instances, generated) are a few hundred KiB: a file
 * over 4 MiB is not a configuration (a log, a core, /dev/zero's cousin) and
 * reading it whole would only waste memory; 16 MiB bounds all included
 * files together. */
#define KA_FILE_MAX (4u << 20)         /* one configuration file */
#define KA_TOTAL_MAX (16u << 20)       /* all files of one import */
/* keepalived's deepest real nesting is four blocks (virtual_server >
 * real_server > HTTP_GET > url); 64 leaves room and keeps the recursive
 * descent far from the stack's end (50,000 nested braces crashed it). */
#define KA_BLOCK_DEPTH_MAX 64
#define KA_INCLUDE_DEPTH_DEFAULT 8

enum ka_tok { T_WORD, T_OPEN, T_CLOSE, T_EOL, T_EOF, T_ERR };

struct ka_token {
	enum ka_tok kind;
	char *word;              /* T_WORD only, malloc'd */
	const char *file;
	unsigned line;
};

/* One file being read: its raw text, and the expansion of its current
 * logical line (template.c), which the tokenizer walks. */
struct ka_frame {
	char *buf;               /* raw text, owned */
	struct ka_src src;
	char *chunk;             /* expanded logical line, owned */
	size_t len, pos;         /* of chunk */
	unsigned line;           /* source line of chunk */
	unsigned depth;          /* include nesting: 0 for the main file */
	const char *file;
};

struct ka_lexer {
	struct ka_frame *stack;
	size_t n_frames;
	size_t total_bytes;
	unsigned max_depth;
	unsigned block_depth;    /* '{' nesting */
	struct ka_template tmpl;
	struct ka_tree *tree;
	struct ka_report *r;
	struct ka_token back;    /* one token of push-back */
	bool has_back;
	const char *last_file;   /* for end-of-input messages */
	unsigned last_line;
};

/* Regular files only, checked without blocking: open(2) of a FIFO with no
 * writer would wait forever, so the file is opened with O_NONBLOCK (which
 * makes that open return at once) and refused by fstat(2) before any read.
 * O_NONBLOCK has no effect on reading a regular file. */
int ka_read_file(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -KA_ENOTREG;
	}
	if (st.st_size > (off_t)KA_FILE_MAX) {
		close(fd);
		return -EFBIG;
	}
	char *b = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, b + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			free(b);
			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	b[got] = '\0';
	*buf = b;
	*len = got;
	return 0;
}

const char *ka_read_strerror(int rc)
{
	switch (-rc) {
	case KA_ENOTREG:
		return "not a regular file (a FIFO, device or socket is never read)";
	case EFBIG:
		return "file larger than 4 MiB: not a keepalived configuration";
	default:
		return strerror(-rc);
	}
}

static const char *intern_file(struct ka_tree *t, const char *name)
{
	for (size_t i = 0; i < t->n_files; i++)
		if (!strcmp(t->files[i], name))
			return t->files[i];
	char **f = realloc(t->files, (t->n_files + 1) * sizeof(*f));
	if (!f)
		return NULL;
	t->files = f;
	if (!(f[t->n_files] = strdup(name)))
		return NULL;
	return f[t->n_files++];
}

/* Takes ownership of buf. */
static int push_frame(struct ka_lexer *lx, const char *name, char *buf,
		      size_t len, unsigned depth)
{
	const char *file = intern_file(lx->tree, name);
	struct ka_frame *s =
		file ? realloc(lx->stack, (lx->n_frames + 1) * sizeof(*s))
		     : NULL;
	if (!s) {
		free(buf);
		ka_error(lx->r, name, 0, "out of memory");
		return -1;
	}
	lx->stack = s;
	const char *nul = memchr(buf, '\0', len);
	if (nul) {
		unsigned line = 1;
		for (const char *p = buf; p < nul; p++)
			line += *p == '\n';
		ka_error(lx->r, file, line, "NUL byte in the file: not a text file");
		free(buf);
		return -1;
	}
	/* Editors on some systems start files with a UTF-8 byte order mark;
	 * it would otherwise glue onto the first keyword. */
	size_t pos = len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 3 : 0;
	s[lx->n_frames++] = (struct ka_frame){
		.buf = buf, .depth = depth, .file = file,
		.src = {.file = file, .buf = buf, .len = len, .pos = pos},
	};
	lx->total_bytes += len;
	return 0;
}

static void pop_frame(struct ka_lexer *lx)
{
	struct ka_frame *f = &lx->stack[--lx->n_frames];
	lx->last_file = f->file;
	lx->last_line = f->src.line;
	free(f->chunk);
	free(f->buf);
}

/* Moves to the next expanded logical line of f. Returns 1, 0 at the end of
 * the file, -1 on an error (reported). */
static int next_chunk(struct ka_lexer *lx, struct ka_frame *f)
{
	free(f->chunk);
	f->chunk = NULL;
	f->pos = f->len = 0;
	return ka_template_next(&lx->tmpl, &f->src, &f->chunk, &f->len,
				&f->line);
}

static void token_set(struct ka_token *t, enum ka_tok kind,
		      const struct ka_frame *f)
{
	t->kind = kind;
	t->word = NULL;
	t->file = f->file;
	t->line = f->line;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool ends_word(char c)
{
	return is_space(c) || c == '\n' || c == '{' || c == '}' || c == '"' ||
	       c == '!' || c == '#' || c == '\0';
}

static int lex_word(struct ka_lexer *lx, struct ka_frame *f,
		    struct ka_token *t)
{
	size_t start = f->pos, end;
	token_set(t, T_WORD, f);
	if (f->chunk[start] == '"') {
		/* A quoted argument ends at the next quote on the same line. */
		end = start + 1;
		while (end < f->len && f->chunk[end] != '"' && f->chunk[end] != '\n')
			end++;
		if (end >= f->len || f->chunk[end] != '"') {
			ka_error(lx->r, f->file, f->line,
				 "unterminated quoted string");
			t->kind = T_ERR;
			return -1;
		}
		t->word = strndup(f->chunk + start + 1, end - start - 1);
		f->pos = end + 1;
	} else {
		end = start;
		while (end < f->len && !ends_word(f->chunk[end]))
			end++;
		t->word = strndup(f->chunk + start, end - start);
		f->pos = end;
	}
	if (!t->word) {
		ka_error(lx->r, f->file, f->line, "out of memory");
		t->kind = T_ERR;
		return -1;
	}
	return 0;
}

/* Next token. The end of each file yields T_EOL, so a statement never runs
 * from an included file into its includer. */
static void lex_next(struct ka_lexer *lx, struct ka_token *t)
{
	if (lx->has_back) {
		*t = lx->back;
		lx->has_back = false;
		return;
	}
	while (lx->n_frames) {
		struct ka_frame *f = &lx->stack[lx->n_frames - 1];
		if (f->pos >= f->len) {
			int rc = next_chunk(lx, f);
			if (rc < 0) {
				token_set(t, T_ERR, f);
				return;
			}
			if (rc == 0) {
				token_set(t, T_EOL, f);
				pop_frame(lx);
				return;
			}
			continue;
		}
		char c = f->chunk[f->pos];
		if (is_space(c)) {
			f->pos++;
		} else if (c == '\n') {
			token_set(t, T_EOL, f);
			f->pos++;
			return;
		} else if (c == '!' || c == '#') {
			while (f->pos < f->len && f->chunk[f->pos] != '\n')
				f->pos++;
		} else if (c == '{' || c == '}') {
			token_set(t, c == '{' ? T_OPEN : T_CLOSE, f);
			f->pos++;
			return;
		} else {
			lex_word(lx, f, t);
			return;
		}
	}
	t->kind = T_EOF;
	t->word = NULL;
	t->file = lx->last_file;
	t->line = lx->last_line;
}

static void lex_unget(struct ka_lexer *lx, const struct ka_token *t)
{
	lx->back = *t;
	lx->has_back = true;
}

/* Iterative, so a deep tree cannot exhaust the stack: a statement's
 * children are spliced in front of its successors before it is freed, and
 * every statement is visited once. */
static void stmt_free(struct ka_stmt *s)
{
	while (s) {
		if (s->child) {
			struct ka_stmt *last = s->child;
			while (last->next)
				last = last->next;
			last->next = s->next;
			s->next = s->child;
			s->child = NULL;
		}
		struct ka_stmt *next = s->next;
		for (size_t i = 0; i < s->argc; i++)
			free(s->argv[i]);
		free(s->argv);
		free(s);
		s = next;
	}
}

void ka_tree_free(struct ka_tree *tree)
{
	stmt_free(tree->top);
	for (size_t i = 0; i < tree->n_files; i++)
		free(tree->files[i]);
	free(tree->files);
	memset(tree, 0, sizeof(*tree));
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int load_included(struct ka_lexer *lx, const struct ka_stmt *inc,
			 const char *path, unsigned depth)
{
	char *buf;
	size_t len;
	int rc = ka_read_file(path, &buf, &len);
	if (rc < 0) {
		ka_error(lx->r, inc->file, inc->line,
			 "keyword '%s': cannot read '%s': %s", inc->argv[0], path,
			 ka_read_strerror(rc));
		return -1;
	}
	if (lx->total_bytes + len > KA_TOTAL_MAX) {
		free(buf);
		ka_error(lx->r, inc->file, inc->line,
			 "keyword '%s': configuration exceeds %u MiB",
			 inc->argv[0], KA_TOTAL_MAX >> 20);
		return -1;
	}
	return push_frame(lx, path, buf, len, depth);
}

/* A directory of the pattern that does not exist matches nothing (as in
 * keepalived: `include conf.d/NAME` without conf.d); any other error (EACCES,
 * EIO) stops the expansion. */
static int glob_error(const char *path, int err)
{
	(void)path;
	return err != ENOENT && err != ENOTDIR;
}

/* `include GLOB`: a relative pattern is taken from the including file's
 * directory (as keepalived does); matches are read in glob(3) order, so
 * they are pushed in reverse and the first match is read first. */
static int do_include(struct ka_lexer *lx, const struct ka_stmt *inc,
		      unsigned depth, bool must_match)
{
	if (inc->argc != 2) {
		ka_error(lx->r, inc->file, inc->line,
			 "keyword '%s': expected one file name or glob pattern, got %zu arguments",
			 inc->argv[0], inc->argc - 1);
		return -1;
	}
	if (depth >= lx->max_depth) {
		ka_error(lx->r, inc->file, inc->line,
			 "keyword '%s': includes nested deeper than %u (include loop?)",
			 inc->argv[0], lx->max_depth);
		return -1;
	}
	const char *pat = inc->argv[1];
	char *full = NULL;
	if (pat[0] != '/') {
		char *dir = dir_of(inc->file);
		if (!dir || asprintf(&full, "%s/%s", dir, pat) < 0)
			full = NULL;
		free(dir);
	} else {
		full = strdup(pat);
	}
	if (!full) {
		ka_error(lx->r, inc->file, inc->line, "out of memory");
		return -1;
	}
	glob_t g;
	int grc = glob(full, GLOB_MARK, glob_error, &g);
	if (grc == GLOB_NOMATCH && must_match) {
		ka_error(lx->r, inc->file, inc->line,
			 "keyword '%s': no file matches '%s'", inc->argv[0],
			 full);
		free(full);
		return -1;
	}
	if (grc == GLOB_NOMATCH) {
		ka_ignored(lx->r, inc->file, inc->line,
			   "keyword '%s': no file matches '%s'", inc->argv[0],
			   full);
		free(full);
		return 0;
	}
	if (grc != 0) {
		ka_error(lx->r, inc->file, inc->line,
			 "keyword '%s': cannot expand '%s'", inc->argv[0],
			 full);
		free(full);
		return -1;
	}
	free(full);
	int rc = 0;
	for (size_t i = g.gl_pathc; i-- > 0 && rc == 0;) {
		const char *p = g.gl_pathv[i];
		if (p[strlen(p) - 1] == '/')
			continue; /* GLOB_MARK: a directory */
		rc = load_included(lx, inc, p, depth + 1);
	}
	globfree(&g);
	return rc;
}

static int stmt_add_arg(struct ka_stmt *s, char *word)
{
	char **a = realloc(s->argv, (s->argc + 1) * sizeof(*a));
	if (!a)
		return -1;
	s->argv = a;
	a[s->argc++] = word;
	return 0;
}

static int parse_block(struct ka_lexer *lx, const struct ka_stmt *opener,
		       struct ka_stmt **head);

/* After a statement ended at a newline, a `{` on a following line still
 * opens its block (keepalived accepts the brace on its own line). */
static bool brace_follows(struct ka_lexer *lx)
{
	struct ka_token t;
	do
		lex_next(lx, &t);
	while (t.kind == T_EOL);
	if (t.kind == T_OPEN)
		return true;
	lex_unget(lx, &t);
	return false;
}

/* keepalived.conf(5): `include` and its stricter relatives. An unreadable
 * file is always an error here; includem, includew, includeb and includea
 * also make a pattern that matches nothing an error (keepalived's
 * include_check "match"). Returns 0 (not an include), 1 or 2 (must match). */
static int include_kind(const char *kw)
{
	if (!strcmp(kw, "include") || !strcmp(kw, "includer"))
		return 1;
	if (!strcmp(kw, "includem") || !strcmp(kw, "includew") ||
	    !strcmp(kw, "includeb") || !strcmp(kw, "includea"))
		return 2;
	return 0;
}

/* Reads one statement starting with `first`; *out is NULL for an include
 * (already spliced in). Returns 0 or -1. */
static int parse_stmt(struct ka_lexer *lx, struct ka_token *first,
		      struct ka_stmt **out)
{
	struct ka_stmt *s = calloc(1, sizeof(*s));
	unsigned depth = lx->n_frames ? lx->stack[lx->n_frames - 1].depth : 0;
	*out = NULL;
	if (!s || stmt_add_arg(s, first->word) < 0) {
		free(first->word);
		free(s);
		ka_error(lx->r, first->file, first->line, "out of memory");
		return -1;
	}
	s->file = first->file;
	s->line = first->line;
	struct ka_token t;
	for (;;) {
		lex_next(lx, &t);
		if (t.kind != T_WORD)
			break;
		if (stmt_add_arg(s, t.word) < 0) {
			free(t.word);
			ka_error(lx->r, t.file, t.line, "out of memory");
			stmt_free(s);
			return -1;
		}
	}
	if (t.kind == T_ERR) {
		stmt_free(s);
		return -1;
	}
	int inc_kind = include_kind(s->argv[0]);
	if (inc_kind && t.kind != T_OPEN) {
		/* An include is a line of its own: what follows on the line
		 * would otherwise be read after the included files. */
		int rc = -1;
		if (t.kind == T_EOL)
			rc = do_include(lx, s, depth, inc_kind == 2);
		else
			ka_error(lx->r, s->file, s->line,
				 "keyword '%s': expected the end of the line after the file name",
				 s->argv[0]);
		stmt_free(s);
		return rc;
	}
	if (t.kind == T_OPEN || (t.kind == T_EOL && brace_follows(lx))) {
		s->has_block = true;
		if (lx->block_depth >= KA_BLOCK_DEPTH_MAX) {
			ka_error(lx->r, s->file, s->line,
				 "keyword '%s': blocks nested deeper than %d",
				 s->argv[0], KA_BLOCK_DEPTH_MAX);
			stmt_free(s);
			return -1;
		}
		lx->block_depth++;
		int rc = parse_block(lx, s, &s->child);
		lx->block_depth--;
		if (rc < 0) {
			stmt_free(s);
			return -1;
		}
	} else if (t.kind != T_EOL) {
		lex_unget(lx, &t); /* `}` or end of input: the caller's */
	}
	*out = s;
	return 0;
}

static int parse_block(struct ka_lexer *lx, const struct ka_stmt *opener,
		       struct ka_stmt **head)
{
	struct ka_stmt **tail = head;
	struct ka_token t;
	for (;;) {
		lex_next(lx, &t);
		switch (t.kind) {
		case T_EOL:
			continue;
		case T_ERR:
			return -1;
		case T_EOF:
			if (!opener)
				return 0;
			ka_error(lx->r, opener->file, opener->line,
				 "keyword '%s': '{' is not closed by a '}' before the end of the configuration",
				 opener->argv[0]);
			return -1;
		case T_CLOSE:
			if (opener)
				return 0;
			ka_error(lx->r, t.file, t.line,
				 "unexpected '}': no block is open");
			return -1;
		case T_OPEN:
			ka_error(lx->r, t.file, t.line,
				 "unexpected '{': a block must follow a keyword");
			return -1;
		case T_WORD: {
			struct ka_stmt *s;
			if (parse_stmt(lx, &t, &s) < 0)
				return -1;
			if (s) {
				*tail = s;
				tail = &s->next;
			}
			continue;
		}
		}
	}
}

int ka_parse(const char *name, const char *text, size_t len,
	     const struct ka_parse_opts *po, struct ka_report *r,
	     struct ka_tree *tree)
{
	memset(tree, 0, sizeof(*tree));
	struct ka_lexer lx = {
		.max_depth = po->max_include_depth ? po->max_include_depth
						   : KA_INCLUDE_DEPTH_DEFAULT,
		.tree = tree,
		.r = r,
		.last_file = name,
		.tmpl = {.r = r, .config_id = po->config_id},
	};
	if (len > KA_FILE_MAX) {
		ka_error(r, name, 0, "%s", ka_read_strerror(-EFBIG));
		return -1;
	}
	char *copy = malloc(len + 1);
	if (!copy) {
		ka_error(r, name, 0, "out of memory");
		return -1;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	int rc = push_frame(&lx, name, copy, len, 0);
	if (rc == 0)
		rc = parse_block(&lx, NULL, &tree->top);
	if (lx.has_back)
		free(lx.back.word);
	while (lx.n_frames)
		pop_frame(&lx);
	free(lx.stack);
	ka_template_free(&lx.tmpl);
	if (rc < 0) {
		ka_tree_free(tree);
		return -1;
	}
	return 0;
}
