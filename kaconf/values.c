/* Value helpers of the keepalived importer: every argument of a keyword is
 * checked here, where one rule per kind of value lives, and a bad value is
 * reported with FILE:LINE, the keyword and what was expected. This file
 * calls nothing of the importer but the diagnostics (no call circle). */
#include <stdlib.h>
#include <string.h>

#include "keepalived_ir.h"

int ka_arg_count(struct ka_ctx *cx, const struct ka_stmt *s, size_t min,
		 size_t max, const char *expected)
{
	size_t n = s->argc - 1;
	if (n < min) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected %s, got nothing", s->argv[0],
			 expected);
		return -1;
	}
	if (n > max) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected %s, got extra argument '%s'",
			 s->argv[0], expected, s->argv[max + 1]);
		return -1;
	}
	return 0;
}

int ka_no_block(struct ka_ctx *cx, const struct ka_stmt *s)
{
	if (!s->has_block)
		return 0;
	ka_error(cx->r, s->file, s->line,
		 "keyword '%s': takes no '{' block", s->argv[0]);
	return -1;
}

bool ka_parse_decimal(const char *v, unsigned long max, unsigned long *out)
{
	if (!*v)
		return false;
	unsigned long n = 0;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > max)
			return false;
	}
	*out = n;
	return true;
}

/* One integer argument min..max: "expected an integer 1..255, got '0'". */
int ka_uint(struct ka_ctx *cx, const struct ka_stmt *s, unsigned min,
	    unsigned max, unsigned *out)
{
	char what[64];
	snprintf(what, sizeof(what), "an integer %u..%u", min, max);
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 1, 1, what) < 0)
		return -1;
	unsigned long v;
	if (!ka_parse_decimal(s->argv[1], max, &v) || v < min) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected %s, got '%s'", s->argv[0],
			 what, s->argv[1]);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* A flag keyword: alone it means true; keepalived also accepts a <BOOL>. */
int ka_flag(struct ka_ctx *cx, const struct ka_stmt *s, bool *out)
{
	static const char *const yes[] = {"on", "true", "yes"};
	static const char *const no[] = {"off", "false", "no"};
	const char *expected = "nothing or one of on|off|true|false|yes|no";
	if (ka_no_block(cx, s) < 0 || ka_arg_count(cx, s, 0, 1, expected) < 0)
		return -1;
	if (s->argc == 1) {
		*out = true;
		return 0;
	}
	for (size_t i = 0; i < 3; i++) {
		if (!strcasecmp(s->argv[1], yes[i]) ||
		    !strcasecmp(s->argv[1], no[i])) {
			*out = !strcasecmp(s->argv[1], yes[i]);
			return 0;
		}
	}
	ka_error(cx->r, s->file, s->line, "keyword '%s': expected %s, got '%s'",
		 s->argv[0], expected, s->argv[1]);
	return -1;
}

/* Linux interface names: 1..15 bytes, no '/', ':' or white space, not "."
 * or ".." (the kernel's dev_valid_name()). */
int ka_ifname(struct ka_ctx *cx, const struct ka_stmt *s, const char *kw,
	      const char *value, char out[IFNAMSIZ])
{
	size_t n = strlen(value);
	bool ok = n >= 1 && n < IFNAMSIZ && strcmp(value, ".") &&
		  strcmp(value, "..") && !strpbrk(value, "/: \t");
	if (ok && strchr(value, '$')) {
		/* Linux would take it, but it is an undefined parameter
		 * (reported where it was used), not an interface. */
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': '%s' refers to an undefined parameter, not an interface",
			 kw, value);
		return -1;
	}
	if (!ok) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected an interface name of 1..%d characters without '/', ':' or spaces, got '%s'",
			 kw, IFNAMSIZ - 1, value);
		return -1;
	}
	memcpy(out, value, n + 1);
	return 0;
}


/* "S", "S.F" or "S.FF" (also ".5"), at most two decimals: keepalived's
 * <TIMER> as VRRP uses it, centiseconds being RFC 5798 5.2.7's unit. */
bool ka_parse_seconds_cs(const char *v, unsigned long max_cs,
			 unsigned long *out_cs)
{
	const char *dot = strchr(v, '.');
	size_t ilen = dot ? (size_t)(dot - v) : strlen(v);
	size_t flen = dot ? strlen(dot + 1) : 0;
	char ipart[16] = "", fpart[4] = "";
	if (ilen >= sizeof(ipart) || flen > 2 || (!ilen && !flen) ||
	    (dot && !flen))
		return false;
	memcpy(ipart, v, ilen);
	if (dot)
		memcpy(fpart, dot + 1, flen);
	if (flen == 1)
		fpart[1] = '0';
	unsigned long whole = 0, frac = 0;
	if ((ilen && !ka_parse_decimal(ipart, max_cs / 100, &whole)) ||
	    (flen && !ka_parse_decimal(fpart, 99, &frac)))
		return false;
	unsigned long cs = whole * 100 + frac;
	if (cs == 0 || cs > max_cs)
		return false;
	*out_cs = cs;
	return true;
}

static bool name_char_ok(char c, const char *extra)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr(extra, c));
}

int ka_name_map(struct ka_ctx *cx, const struct ka_stmt *s, const char *kw,
		const char *in, const char *extra, bool quiet,
		char out[KA_NAME_MAX])
{
	size_t len = strlen(in);
	if (len < 1 || len >= KA_NAME_MAX) {
		ka_error(cx->r, s->file, s->line,
			 "keyword '%s': expected a name of 1..%d characters, got %zu",
			 kw, KA_NAME_MAX - 1, len);
		return -1;
	}
	bool mapped = false;
	for (size_t i = 0; i <= len; i++) {
		out[i] = in[i] && !name_char_ok(in[i], extra) ? '_' : in[i];
		mapped |= out[i] != in[i];
	}
	if (mapped && !quiet)
		ka_warn(cx->r, s->file, s->line,
			"keyword '%s': name '%s' becomes '%s' (vrrpd names use A-Z a-z 0-9 %s)",
			kw, in, out, extra);
	return 0;
}
