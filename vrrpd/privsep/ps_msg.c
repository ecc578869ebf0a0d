/* The messages between the worker and the privileged parent (privsep.h).
 *
 * Both ends are the same binary on the same machine: integers are in host
 * order, fixed width. A string is a u32 length n, n bytes with no NUL
 * among them, then one NUL (so a decoded string is used in place). A
 * message is exactly its fields: anything left over is an error, like
 * anything missing. This file is the one place the parent reads what the
 * worker sends. */
#include <stdio.h>
#include <string.h>

#include "privsep.h"
#include "spawner.h"

struct wbuf {
	unsigned char *p;
	size_t len, off;
	bool full;
};

struct rbuf {
	unsigned char *p;
	size_t len, off;
	const char *bad;     /* first problem met */
};

static void put(struct wbuf *w, const void *v, size_t n)
{
	if (w->full || n > w->len - w->off) {
		w->full = true;
		return;
	}
	memcpy(w->p + w->off, v, n);
	w->off += n;
}

static void put_u32(struct wbuf *w, uint32_t v)
{
	put(w, &v, sizeof(v));
}

static void put_bytes(struct wbuf *w, const char *s, size_t n)
{
	put_u32(w, (uint32_t)n);
	put(w, s, n);
	put(w, "", 1);
}

static void put_str(struct wbuf *w, const char *s)
{
	put_bytes(w, s ? s : "", strlen(s ? s : ""));
}

static ssize_t wdone(const struct wbuf *w)
{
	return w->full ? -1 : (ssize_t)w->off;
}

static void get(struct rbuf *r, void *v, size_t n)
{
	if (r->bad)
		return;
	if (n > r->len - r->off) {
		r->bad = "message too short";
		memset(v, 0, n);
		return;
	}
	memcpy(v, r->p + r->off, n);
	r->off += n;
}

static uint32_t get_u32(struct rbuf *r)
{
	uint32_t v = 0;

	get(r, &v, sizeof(v));
	return v;
}

/* bin: NULs inside are allowed (a script's stderr); text: they are not. */
static const char *get_bytes(struct rbuf *r, size_t *n, bool bin)
{
	uint32_t len = get_u32(r);
	const char *s;

	*n = 0;
	if (r->bad)
		return "";
	if (len > r->len - r->off || r->len - r->off - len < 1) {
		r->bad = "string runs past the message";
		return "";
	}
	s = (const char *)r->p + r->off;
	if (s[len] != '\0') {
		r->bad = "string not terminated";
		return "";
	}
	if (!bin && memchr(s, '\0', len)) {
		r->bad = "NUL inside a string";
		return "";
	}
	r->off += (size_t)len + 1;
	*n = len;
	return s;
}

static const char *get_str(struct rbuf *r)
{
	size_t n;

	return get_bytes(r, &n, false);
}

/* The header, checked; then the fields; then nothing left. */
static void rstart(struct rbuf *r, void *buf, size_t len, enum ps_type want)
{
	r->p = buf;
	r->len = len;
	r->off = 0;
	r->bad = NULL;
	if (get_u32(r) != (uint32_t)want && !r->bad)
		r->bad = "unexpected message type";
}

static int rdone(const struct rbuf *r, char *why, size_t whylen)
{
	const char *bad = r->bad;

	if (!bad && r->off != r->len)
		bad = "trailing bytes after the message";
	if (!bad)
		return 0;
	snprintf(why, whylen, "%s", bad);
	return -1;
}

static struct wbuf wstart(void *buf, size_t len, enum ps_type t)
{
	struct wbuf w = { .p = buf, .len = len };

	put_u32(&w, (uint32_t)t);
	return w;
}

enum ps_type ps_msg_type(const void *buf, size_t len)
{
	uint32_t t;

	if (len < sizeof(t))
		return 0;
	memcpy(&t, buf, sizeof(t));
	return t >= PS_RUN && t <= PS_SAVE_REPLY ? (enum ps_type)t : 0;
}

ssize_t ps_run_encode(void *buf, size_t len, const struct ps_run *r)
{
	struct wbuf w = wstart(buf, len, PS_RUN);

	if (r->argc == 0 || r->argc > PS_ARGC_MAX)
		return -1;
	put_u32(&w, r->id);
	put_u32(&w, r->uid);
	put_u32(&w, r->gid);
	put_str(&w, r->name);
	put_u32(&w, (uint32_t)r->argc);
	for (size_t i = 0; i < r->argc; i++) {
		if (!r->argv[i])
			return -1;
		put_str(&w, r->argv[i]);
	}
	return wdone(&w);
}

int ps_run_decode(void *buf, size_t len, struct ps_run *r, char *why,
		  size_t whylen)
{
	struct rbuf b;

	memset(r, 0, sizeof(*r));
	rstart(&b, buf, len, PS_RUN);
	r->id = get_u32(&b);
	r->uid = get_u32(&b);
	r->gid = get_u32(&b);
	r->name = get_str(&b);
	r->argc = get_u32(&b);
	if (!b.bad && (r->argc == 0 || r->argc > PS_ARGC_MAX))
		b.bad = "argument count out of range";
	for (size_t i = 0; !b.bad && i < r->argc; i++)
		r->argv[i] = get_str(&b);
	if (!b.bad && r->argv[0][0] == '\0')
		b.bad = "empty program name";
	if (rdone(&b, why, whylen) < 0) {
		memset(r, 0, sizeof(*r));
		return -1;
	}
	r->argv[r->argc] = NULL;
	return 0;
}

ssize_t ps_done_encode(void *buf, size_t len, const struct ps_done *d)
{
	struct wbuf w = wstart(buf, len, PS_DONE);
	uint32_t st = (uint32_t)d->status;

	put_u32(&w, d->id);
	put_u32(&w, d->outcome);
	put_u32(&w, st);
	put(&w, &d->runtime_us, sizeof(d->runtime_us));
	put_u32(&w, d->err_dropped);
	put_bytes(&w, d->err ? d->err : "", d->err ? d->err_len : 0);
	return wdone(&w);
}

int ps_done_decode(void *buf, size_t len, struct ps_done *d, char *why,
		   size_t whylen)
{
	struct rbuf b;
	uint32_t outcome;

	memset(d, 0, sizeof(*d));
	rstart(&b, buf, len, PS_DONE);
	d->id = get_u32(&b);
	outcome = get_u32(&b);
	d->status = (int32_t)get_u32(&b);
	get(&b, &d->runtime_us, sizeof(d->runtime_us));
	d->err_dropped = get_u32(&b);
	d->err = get_bytes(&b, &d->err_len, true);
	if (!b.bad && outcome > SPAWN_TIMED_OUT)
		b.bad = "unknown outcome";
	if (!b.bad && d->err_len > SPAWN_STDERR_MAX)
		b.bad = "stderr longer than kept";
	d->outcome = (uint8_t)outcome;
	return rdone(&b, why, whylen);
}

ssize_t ps_reload_encode(void *buf, size_t len, enum ps_reload_kind k)
{
	struct wbuf w = wstart(buf, len, PS_RELOAD);

	put_u32(&w, (uint32_t)k);
	return wdone(&w);
}

int ps_reload_decode(const void *buf, size_t len, enum ps_reload_kind *k,
		     char *why, size_t whylen)
{
	struct rbuf b;
	uint32_t v;

	rstart(&b, (void *)buf, len, PS_RELOAD);
	v = get_u32(&b);
	if (!b.bad && v > PS_RELOAD_NONE)
		b.bad = "unknown reload kind";
	*k = (enum ps_reload_kind)v;
	return rdone(&b, why, whylen);
}

ssize_t ps_save_encode(void *buf, size_t len, const char *path)
{
	struct wbuf w = wstart(buf, len, PS_SAVE);

	put_str(&w, path);
	return wdone(&w);
}

int ps_save_decode(void *buf, size_t len, const char **path, char *why,
		   size_t whylen)
{
	struct rbuf b;

	rstart(&b, buf, len, PS_SAVE);
	*path = get_str(&b);
	if (!b.bad && (*path)[0] != '/')
		b.bad = "the path must be absolute";
	return rdone(&b, why, whylen);
}

ssize_t ps_save_reply_encode(void *buf, size_t len, bool ok, const char *why)
{
	struct wbuf w = wstart(buf, len, PS_SAVE_REPLY);

	put_u32(&w, ok ? 1 : 0);
	put_str(&w, ok ? "" : why);
	return wdone(&w);
}

int ps_save_reply_decode(void *buf, size_t len, bool *ok, const char **reason,
			 char *why, size_t whylen)
{
	struct rbuf b;
	uint32_t v;

	rstart(&b, buf, len, PS_SAVE_REPLY);
	v = get_u32(&b);
	*reason = get_str(&b);
	if (!b.bad && v > 1)
		b.bad = "bad reply flag";
	*ok = v == 1;
	return rdone(&b, why, whylen);
}
