#include "vaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t vaddr_len(const struct vaddr *a)
{
	return a->af == AF_INET ? 4 : a->af == AF_INET6 ? 16 : 0;
}

bool vaddr_is_set(const struct vaddr *a)
{
	return a->af == AF_INET || a->af == AF_INET6;
}

void vaddr_from_raw(struct vaddr *a, int af, const void *raw)
{
	memset(a, 0, sizeof(*a));
	a->af = af;
	memcpy(a->u.bytes, raw, af == AF_INET ? 4 : 16);
}

int vaddr_parse(const char *s, struct vaddr *a, int *plen)
{
	char buf[VADDR_STRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n == 0 || n >= VADDR_STRLEN)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, &a->u.v4) == 1)
		a->af = AF_INET;
	else if (inet_pton(AF_INET6, buf, &a->u.v6) == 1)
		a->af = AF_INET6;
	else
		return -1;

	int max = a->af == AF_INET ? 32 : 128;
	if (!slash) {
		if (plen)
			*plen = max;
		return 0;
	}
	if (!plen)
		return -1;
	/* digits only: strtol alone would take " 8", "+8" and "-0" */
	const char *d = slash + 1;
	size_t nd = strspn(d, "0123456789");
	if (nd == 0 || nd > 3 || d[nd] != '\0' || (nd > 1 && d[0] == '0'))
		return -1;
	int p = atoi(d);
	if (p > max)
		return -1;
	*plen = p;
	return 0;
}

const char *vaddr_ntop(const struct vaddr *a, char *buf, size_t len)
{
	if (!vaddr_is_set(a) || !inet_ntop(a->af, a->u.bytes, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

int vaddr_cmp(const struct vaddr *a, const struct vaddr *b)
{
	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	return memcmp(a->u.bytes, b->u.bytes, vaddr_len(a));
}

bool vaddr_is_multicast(const struct vaddr *a)
{
	if (a->af == AF_INET)
		return (a->u.bytes[0] & 0xf0) == 0xe0;
	return a->af == AF_INET6 && a->u.bytes[0] == 0xff;
}
