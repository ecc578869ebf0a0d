/* The err/errlen convention: a function that fails writes one line an
 * operator can act on into the caller's buffer and returns -1. */
#ifndef VRRP_ERRBUF_H
#define VRRP_ERRBUF_H

#include <stddef.h>

/* printf into err (when err and len are non-zero); always returns -1 so
 * that `return errbuf_set(err, len, "...")` reads as the failure it is. */
int errbuf_set(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
