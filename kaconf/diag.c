/* Diagnostics of the keepalived importer: every message carries the file
 * and line it is about, so an operator can go straight to the spot. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keepalived_conf.h"
#include "keepalived_lex.h"

static void diag_add(struct ka_report *r, enum kaconf_severity sev,
		     const char *file, unsigned line, const char *body)
{
	if (sev == KACONF_ERROR)
		r->n_errors++;
	struct kaconf_diag *d = r->diag;
	if (!d)
		return;
	size_t *kept = sev == KACONF_ERROR ? &d->n_errors : &d->n_warnings;
	if (*kept >= KACONF_DIAG_MAX) {
		/* A generated or hostile file can hold millions of bad lines;
		 * the first ones show what is wrong, the rest is counted. */
		d->n_suppressed++;
		return;
	}
	char *text = NULL;
	int n = line ? asprintf(&text, "%s:%u: %s", file, line, body)
		     : asprintf(&text, "%s: %s", file, body);
	char *fcopy = strdup(file);
	struct kaconf_msg *m =
		realloc(d->msgs, (d->n_msgs + 1) * sizeof(*d->msgs));
	if (n < 0 || !fcopy || !m) {
		/* Out of memory: the error still counts, the text is lost. */
		if (n >= 0)
			free(text);
		free(fcopy);
		if (m)
			d->msgs = m;
		return;
	}
	d->msgs = m;
	m[d->n_msgs++] = (struct kaconf_msg){
		.severity = sev, .file = fcopy, .line = line, .text = text,
	};
	if (sev == KACONF_ERROR)
		d->n_errors++;
	else
		d->n_warnings++;
}

static void vreport(struct ka_report *r, enum kaconf_severity sev,
		    const char *file, unsigned line, const char *suffix,
		    const char *fmt, va_list ap)
{
	char body[1024];
	int n = vsnprintf(body, sizeof(body), fmt, ap);
	if (n >= 0 && suffix && (size_t)n < sizeof(body))
		snprintf(body + n, sizeof(body) - (size_t)n, "%s", suffix);
	diag_add(r, sev, file ? file : "-", line, body);
}

void ka_error(struct ka_report *r, const char *file, unsigned line,
	      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(r, KACONF_ERROR, file, line, NULL, fmt, ap);
	va_end(ap);
}

void ka_ignored(struct ka_report *r, const char *file, unsigned line,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (r->strict)
		vreport(r, KACONF_ERROR, file, line,
			" (rejected in strict mode)", fmt, ap);
	else
		vreport(r, KACONF_WARNING, file, line, "; ignored", fmt, ap);
	va_end(ap);
}

void ka_warn(struct ka_report *r, const char *file, unsigned line,
	     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(r, r->strict ? KACONF_ERROR : KACONF_WARNING, file, line,
		NULL, fmt, ap);
	va_end(ap);
}

void kaconf_diag_free(struct kaconf_diag *diag)
{
	if (!diag)
		return;
	for (size_t i = 0; i < diag->n_msgs; i++) {
		free(diag->msgs[i].file);
		free(diag->msgs[i].text);
	}
	free(diag->msgs);
	memset(diag, 0, sizeof(*diag));
}

void kaconf_diag_print(const struct kaconf_diag *diag, FILE *fp)
{
	if (!diag)
		return;
	for (size_t i = 0; i < diag->n_msgs; i++)
		fprintf(fp, "%s: %s\n",
			diag->msgs[i].severity == KACONF_ERROR ? "error"
							       : "warning",
			diag->msgs[i].text);
	if (diag->n_suppressed)
		fprintf(fp, "note: %zu more messages suppressed (at most %d warnings and %d errors are shown)\n",
			diag->n_suppressed, KACONF_DIAG_MAX, KACONF_DIAG_MAX);
}
