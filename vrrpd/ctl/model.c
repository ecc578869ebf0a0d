/* The YANG model: one libyang context holding the compiled-in vrrpd module,
 * parsing and validation of RFC 7951 JSON configuration, and printing it
 * back. Decoding a validated tree into C structs lives in model_decode.c.
 *
 * libyang does all the validation (types, ranges, patterns, must, unique,
 * mandatory, min-elements); this file only turns its error records into a
 * (data path, reason) pair an operator can act on. */
#include "model.h"

#include <errno.h>
#include <libyang/libyang.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Generated from yang/vrrpd.yang and its submodules by
 * scripts/embed-yang.sh. */
extern const char vrrpd_yang_module[];
extern const char vrrpd_tracking_yang_module[];
extern const char vrrpd_network_yang_module[];

/* A configuration file larger than this is certainly not ours. */
#define MODEL_FILE_MAX (4u << 20)

struct model {
	struct ly_ctx *ctx;
	const struct lys_module *mod;
};

static void err_set(struct model_error *err, const char *path,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void err_set(struct model_error *err, const char *path,
		    const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* libyang keeps the line breaks of multi-line YANG error-message strings
 * and quotes raw JSON in syntax errors: fold every run of white space into
 * one space so the reason fits on one log line. */
static void copy_folded(char *dst, size_t len, const char *src)
{
	size_t n = 0;
	bool space = false;

	for (; *src && n + 1 < len; src++) {
		if (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\r') {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < len)
			dst[n++] = ' ';
		space = false;
		dst[n++] = *src;
	}
	dst[n] = '\0';
}

/* libyang 2.1 reports where an error is as free text:
 *   Data location "/vrrpd:vrrpd/instance[name='VI_1']/vrid", line number 1.
 *   Schema location "/vrrpd:vrrpd/instance/interface".
 *   Line number 3.
 * Split it into the quoted path (empty if none) and the line (0 if none).
 * The last '"' closes the path: key values in it are single-quoted. */
static void split_location(const char *loc, char *path, size_t len,
			   bool *is_schema, long *line)
{
	const char *open, *close, *ln;

	path[0] = '\0';
	*line = 0;
	*is_schema = false;
	if (!loc)
		return;
	open = strchr(loc, '"');
	close = strrchr(loc, '"');
	if (open && close > open) {
		snprintf(path, len, "%.*s", (int)(close - open - 1), open + 1);
		*is_schema = strncmp(loc, "Schema location", 15) == 0;
	}
	ln = strstr(loc, "ine number ");
	if (ln)
		*line = strtol(ln + 11, NULL, 10);
}

/* A missing mandatory leaf or too few list entries is reported against the
 * schema node (/vrrpd:vrrpd/instance/interface), which does not say which
 * instance is wrong: find the first parent in tree lacking the child and
 * report its data path instead. */
static void schema_path_in_tree(const struct lyd_node *tree, char *path,
				size_t len)
{
	struct ly_set *set = NULL;
	char parent[512], xpath[600], dpath[512];
	const char *child = strrchr(path, '/');

	if (!tree || !child || child == path ||
	    (size_t)(child - path) >= sizeof(parent))
		return;
	snprintf(parent, sizeof(parent), "%.*s", (int)(child - path), path);
	child++;
	if (snprintf(xpath, sizeof(xpath), "%s[not(%s)]", parent, child) >=
	    (int)sizeof(xpath))
		return;
	if (lyd_find_xpath(tree, xpath, &set) == LY_SUCCESS &&
	    set->count > 0 &&
	    lyd_path(set->dnodes[0], LYD_PATH_STD, dpath, sizeof(dpath))) {
		char leaf[128];

		/* Copy the child name out first: it points into path. */
		snprintf(leaf, sizeof(leaf), "%s", child);
		if (snprintf(path, len, "%s/%s", dpath, leaf) >= (int)len)
			path[len - 1] = '\0';
	}
	ly_set_free(set, NULL);
}

/* The same for a JSON text: parsed again without validation. */
static void schema_to_data_path(struct model *m, const char *json,
				char *path, size_t len)
{
	struct lyd_node *tree = NULL;

	if (lyd_parse_data_mem(m->ctx, json, LYD_JSON,
			       LYD_PARSE_ONLY | LYD_PARSE_STRICT |
				       LYD_PARSE_NO_STATE,
			       0, &tree) == LY_SUCCESS)
		schema_path_in_tree(tree, path, len);
	lyd_free_all(tree);
}

/* Fill err from libyang's last error record for this context. */
static void err_from_ly(struct model *m, const char *json,
			const struct lyd_node *tree, struct model_error *err)
{
	const struct ly_err_item *e = ly_err_last(m->ctx);
	char node[128];
	bool is_schema;
	long line;
	size_t n;

	if (!err)
		return;
	if (!e || !e->msg) {
		err_set(err, "/", "invalid configuration (no detail from libyang)");
		return;
	}
	/* Copy everything out of the record first: parsing again below
	 * replaces libyang's stored error. */
	copy_folded(err->msg, sizeof(err->msg), e->msg);
	split_location(e->path, err->path, sizeof(err->path), &is_schema, &line);
	/* An unknown member is reported at its parent; name it in the path. */
	if (e->vecode == LYVE_REFERENCE && err->path[0] &&
	    sscanf(e->msg, "Node \"%127[^\"]\" not found as a child", node) == 1) {
		n = strlen(err->path);
		snprintf(err->path + n, sizeof(err->path) - n, "/%s", node);
	}
	if (is_schema && json)
		schema_to_data_path(m, json, err->path, sizeof(err->path));
	else if (is_schema)
		schema_path_in_tree(tree, err->path, sizeof(err->path));
	if (!err->path[0])
		snprintf(err->path, sizeof(err->path), "/");
	n = strlen(err->msg);
	if (line > 0 && n + 1 < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n, " (line %ld)", line);
}

/* Search directories are off, so libyang asks here for the submodules the
 * compiled-in module includes; only ours are known. */
static LY_ERR submodule_text(const char *mod_name, const char *mod_rev,
			     const char *submod_name, const char *submod_rev,
			     void *user_data, LYS_INFORMAT *format,
			     const char **module_data,
			     void (**free_module_data)(void *model_data,
						       void *user_data))
{
	(void)mod_rev;
	(void)submod_rev;
	(void)user_data;
	if (!submod_name || strcmp(mod_name, "vrrpd") != 0)
		return LY_ENOTFOUND;
	if (strcmp(submod_name, "vrrpd-tracking") == 0)
		*module_data = vrrpd_tracking_yang_module;
	else if (strcmp(submod_name, "vrrpd-network") == 0)
		*module_data = vrrpd_network_yang_module;
	else
		return LY_ENOTFOUND;
	*format = LYS_IN_YANG;
	*free_module_data = NULL;
	return LY_SUCCESS;
}

struct model *model_new(struct model_error *err)
{
	struct model *m = calloc(1, sizeof(*m));
	struct lys_module *mod = NULL;

	if (!m) {
		err_set(err, "", "out of memory");
		return NULL;
	}
	/* Errors go to the caller through err, never to libyang's stderr log.
	 * This is process-wide on purpose: libyang 2.1.30 resets the
	 * thread-local ly_temp_log_options() to NULL whenever it validates a
	 * union value (inet:ip-address), so a temporary setting does not
	 * last through a parse. Storing only the last error keeps the
	 * context's error list from growing. */
	ly_log_options(LY_LOSTORE_LAST);
	/* No search directories: the only module we load is compiled in, and
	 * ietf-inet-types / ietf-yang-types are built into libyang. */
	if (ly_ctx_new(NULL, LY_CTX_NO_YANGLIBRARY | LY_CTX_DISABLE_SEARCHDIRS,
		       &m->ctx) != LY_SUCCESS) {
		err_set(err, "", "cannot create the libyang context");
		goto fail;
	}
	ly_ctx_set_module_imp_clb(m->ctx, submodule_text, NULL);
	if (lys_parse_mem(m->ctx, vrrpd_yang_module, LYS_IN_YANG, &mod) !=
	    LY_SUCCESS) {
		const struct ly_err_item *e = ly_err_last(m->ctx);

		err_set(err, "", "cannot load the vrrpd YANG module");
		if (err && e && e->msg)
			copy_folded(err->msg, sizeof(err->msg), e->msg);
		goto fail;
	}
	m->mod = mod;
	return m;
fail:
	model_free(m);
	return NULL;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	ly_ctx_destroy(m->ctx);
	free(m);
}

struct ly_ctx *model_ctx(struct model *m)
{
	return m ? m->ctx : NULL;
}

int model_parse_json(struct model *m, const char *json, struct lyd_node **tree,
		     struct model_error *err)
{
	LY_ERR rc;

	*tree = NULL;
	if (!json)
		json = "";
	ly_err_clean(m->ctx, NULL);
	/* STRICT: unknown members are errors, not silently dropped.
	 * NO_STATE: a configuration never carries config-false nodes.
	 * VALIDATE_PRESENT: the tree gets its defaults; an empty text stays
	 * an empty (NULL) tree. */
	rc = lyd_parse_data_mem(m->ctx, json, LYD_JSON,
				LYD_PARSE_STRICT | LYD_PARSE_NO_STATE,
				LYD_VALIDATE_PRESENT, tree);
	if (rc != LY_SUCCESS) {
		err_from_ly(m, json, NULL, err);
		lyd_free_all(*tree);
		*tree = NULL;
	}
	ly_err_clean(m->ctx, NULL);
	return rc == LY_SUCCESS ? 0 : -1;
}

/* Read a whole file into a NUL-terminated buffer (bounded). */
static char *read_file(const char *path, struct model_error *err)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		err_set(err, "", "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *nb;

			cap = cap ? cap * 2 : 16384;
			nb = cap <= MODEL_FILE_MAX + 4096 ? realloc(buf, cap) : NULL;
			if (!nb) {
				err_set(err, "", "%s: larger than %u bytes", path,
					MODEL_FILE_MAX);
				goto fail;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (len > MODEL_FILE_MAX) {
			err_set(err, "", "%s: larger than %u bytes", path,
				MODEL_FILE_MAX);
			goto fail;
		}
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		err_set(err, "", "cannot read %s: %s", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

int model_parse_file(struct model *m, const char *path, struct lyd_node **tree,
		     struct model_error *err)
{
	char *text;
	int rc;

	*tree = NULL;
	text = read_file(path, err);
	if (!text)
		return -1;
	rc = model_parse_json(m, text, tree, err);
	free(text);
	return rc;
}

/* True when the tree holds nothing but implicit defaults (for example a
 * bare {"vrrpd:vrrpd": {}}), which libyang's trimmed printer renders as an
 * object with blank lines: print "{}" instead. */
static bool only_defaults(const struct lyd_node *tree)
{
	const struct lyd_node *n;

	LY_LIST_FOR(lyd_first_sibling(tree), n) {
		if (!(n->flags & LYD_DEFAULT))
			return false;
	}
	return true;
}

char *model_tree_to_json(const struct lyd_node *tree)
{
	char *out = NULL, *nl;
	size_t len;

	if (!tree || only_defaults(tree))
		return strdup("{}\n");
	if (lyd_print_mem(&out, lyd_first_sibling(tree), LYD_JSON,
			  LYD_PRINT_WITHSIBLINGS | LYD_PRINT_WD_TRIM) !=
		    LY_SUCCESS ||
	    !out) {
		free(out);
		return NULL;
	}
	len = strlen(out);
	if (len > 0 && out[len - 1] == '\n')
		return out;
	nl = realloc(out, len + 2);
	if (!nl) {
		free(out);
		return NULL;
	}
	nl[len] = '\n';
	nl[len + 1] = '\0';
	return nl;
}

void model_error_from_ly(struct model *m, const char *json,
			 const struct lyd_node *tree, struct model_error *err)
{
	err_from_ly(m, json, tree, err);
	ly_err_clean(m->ctx, NULL);
}

void model_tree_free(struct lyd_node *tree)
{
	lyd_free_all(tree);
}
