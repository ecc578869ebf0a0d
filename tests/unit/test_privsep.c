/* Unit tests for privilege separation (vrrpd/privsep/): the messages the
 * parent decodes (every malformed form refused), the policy that decides
 * what it runs (only the startup configuration's scripts, as their users,
 * with well-formed notify words), the channel's descriptor passing and
 * sealed memfds, and the spawner's remote mode (results from the parent
 * reach the same callbacks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loop.h"
#include "model.h"
#include "privsep.h"
#include "spawner.h"

static unsigned char buf[PS_MSG_MAX];

static void test_run_roundtrip(void **state)
{
	struct ps_run r = { .id = 7, .uid = 65534, .gid = 65534,
			    .name = "track script chk", .argc = 3,
			    .argv = { "/bin/sh", "-c", "exit 3" } };
	struct ps_run d;
	char why[128];
	ssize_t n;

	(void)state;
	n = ps_run_encode(buf, sizeof(buf), &r);
	assert_true(n > 0);
	assert_int_equal(ps_msg_type(buf, (size_t)n), PS_RUN);
	assert_int_equal(ps_run_decode(buf, (size_t)n, &d, why, sizeof(why)), 0);
	assert_int_equal(d.id, 7);
	assert_int_equal(d.uid, 65534);
	assert_int_equal(d.argc, 3);
	assert_string_equal(d.argv[2], "exit 3");
	assert_null(d.argv[3]);
	assert_string_equal(d.name, "track script chk");
	/* too small a buffer: no message rather than a cut one */
	assert_int_equal(ps_run_encode(buf, 20, &r), -1);
}

/* Every prefix of a valid message, and one byte more, is refused. */
static void test_run_truncated_and_trailing(void **state)
{
	struct ps_run r = { .id = 1, .argc = 2, .argv = { "/x", "a" } };
	struct ps_run d;
	unsigned char copy[256];
	char why[128];
	ssize_t n = ps_run_encode(buf, sizeof(buf), &r);

	(void)state;
	assert_true(n > 0 && (size_t)n < sizeof(copy) - 1);
	for (ssize_t len = 0; len < n; len++) {
		memcpy(copy, buf, (size_t)n);
		assert_int_equal(ps_run_decode(copy, (size_t)len, &d, why,
					       sizeof(why)), -1);
	}
	memcpy(copy, buf, (size_t)n);
	copy[n] = 0;
	assert_int_equal(ps_run_decode(copy, (size_t)n + 1, &d, why, sizeof(why)), -1);
	assert_string_equal(why, "trailing bytes after the message");
}

/* Hand-made messages: [type][id][uid][gid][name][argc][argv...]. */
static size_t put_u32(unsigned char *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
	return off + 4;
}

static size_t put_str(unsigned char *p, size_t off, const char *s, size_t n,
		      char end)
{
	off = put_u32(p, off, (uint32_t)n);
	memcpy(p + off, s, n);
	p[off + n] = (unsigned char)end;
	return off + n + 1;
}

static size_t run_head(unsigned char *p, uint32_t argc)
{
	size_t off = put_u32(p, 0, PS_RUN);

	off = put_u32(p, off, 1);
	off = put_u32(p, off, 0);
	off = put_u32(p, off, 0);
	off = put_str(p, off, "n", 1, 0);
	return put_u32(p, off, argc);
}

static void expect_refused(size_t len, const char *reason)
{
	struct ps_run d;
	char why[128];

	assert_int_equal(ps_run_decode(buf, len, &d, why, sizeof(why)), -1);
	assert_string_equal(why, reason);
	assert_int_equal(d.argc, 0);  /* nothing half-decoded is left */
}

static void test_run_malformed(void **state)
{
	size_t off;

	(void)state;
	off = run_head(buf, 1);
	off = put_str(buf, off, "/bin/true", 9, 'x');  /* no NUL */
	expect_refused(off, "string not terminated");

	off = run_head(buf, 1);
	off = put_str(buf, off, "/bin\0true", 9, 0);
	expect_refused(off, "NUL inside a string");

	off = run_head(buf, 1);
	off = put_u32(buf, off, 1000000);  /* length beyond the datagram */
	expect_refused(off, "string runs past the message");

	off = run_head(buf, 0);
	expect_refused(off, "argument count out of range");
	off = run_head(buf, PS_ARGC_MAX + 1);
	for (int i = 0; i <= PS_ARGC_MAX; i++)
		off = put_str(buf, off, "a", 1, 0);
	expect_refused(off, "argument count out of range");

	off = run_head(buf, 1);
	off = put_str(buf, off, "", 0, 0);
	expect_refused(off, "empty program name");

	off = run_head(buf, 1);
	off = put_str(buf, off, "/bin/true", 9, 0);
	put_u32(buf, 0, PS_DONE);
	expect_refused(off, "unexpected message type");
	put_u32(buf, 0, 99);
	assert_int_equal(ps_msg_type(buf, off), 0);
	assert_int_equal(ps_msg_type(buf, 3), 0);
}

static void test_done(void **state)
{
	static const char err[] = "line 1\n\0binary";
	struct ps_done d = { .id = 9, .outcome = SPAWN_TIMED_OUT, .status = -1,
			     .runtime_us = 123456789012ULL, .err_dropped = 5,
			     .err = err, .err_len = sizeof(err) - 1 };
	struct ps_done o;
	char why[128];
	ssize_t n = ps_done_encode(buf, sizeof(buf), &d);

	(void)state;
	assert_true(n > 0);
	assert_int_equal(ps_done_decode(buf, (size_t)n, &o, why, sizeof(why)), 0);
	assert_int_equal(o.id, 9);
	assert_int_equal(o.outcome, SPAWN_TIMED_OUT);
	assert_int_equal(o.status, -1);
	assert_true(o.runtime_us == 123456789012ULL);
	assert_int_equal(o.err_len, sizeof(err) - 1);
	assert_memory_equal(o.err, err, sizeof(err) - 1);
	/* an outcome the spawner does not know */
	d.outcome = SPAWN_TIMED_OUT + 1;
	n = ps_done_encode(buf, sizeof(buf), &d);
	assert_int_equal(ps_done_decode(buf, (size_t)n, &o, why, sizeof(why)), -1);
	assert_string_equal(why, "unknown outcome");
	/* more stderr than any child may leave */
	static char big[SPAWN_STDERR_MAX + 1];
	memset(big, 'e', sizeof(big));
	d.outcome = SPAWN_EXITED;
	d.err = big;
	d.err_len = sizeof(big);
	n = ps_done_encode(buf, sizeof(buf), &d);
	assert_int_equal(ps_done_decode(buf, (size_t)n, &o, why, sizeof(why)), -1);
	assert_string_equal(why, "stderr longer than kept");
}

static void test_save_and_reload(void **state)
{
	const char *path, *reason;
	enum ps_reload_kind k;
	char why[128];
	bool ok;
	ssize_t n;

	(void)state;
	n = ps_save_encode(buf, sizeof(buf), "/etc/vrrpd/vrrpd.json");
	assert_int_equal(ps_save_decode(buf, (size_t)n, &path, why, sizeof(why)), 0);
	assert_string_equal(path, "/etc/vrrpd/vrrpd.json");
	n = ps_save_encode(buf, sizeof(buf), "vrrpd.json");
	assert_int_equal(ps_save_decode(buf, (size_t)n, &path, why, sizeof(why)), -1);
	assert_string_equal(why, "the path must be absolute");

	n = ps_save_reply_encode(buf, sizeof(buf), false, "is a symbolic link");
	assert_int_equal(ps_save_reply_decode(buf, (size_t)n, &ok, &reason, why,
					      sizeof(why)), 0);
	assert_false(ok);
	assert_string_equal(reason, "is a symbolic link");
	put_u32(buf, 4, 2);
	assert_int_equal(ps_save_reply_decode(buf, (size_t)n, &ok, &reason, why,
					      sizeof(why)), -1);

	n = ps_reload_encode(buf, sizeof(buf), PS_RELOAD_NONE);
	assert_int_equal(ps_reload_decode(buf, (size_t)n, &k, why, sizeof(why)), 0);
	assert_int_equal(k, PS_RELOAD_NONE);
	put_u32(buf, 4, 7);
	assert_int_equal(ps_reload_decode(buf, (size_t)n, &k, why, sizeof(why)), -1);
	/* a save is not a reload */
	n = ps_save_encode(buf, sizeof(buf), "/x");
	assert_int_equal(ps_reload_decode(buf, (size_t)n, &k, why, sizeof(why)), -1);
}

/* -- the policy, from a real configuration */

struct pol {
	struct model *m;
	struct vrrpd_config cfg;
	struct ps_policy *p;
};

static const char policy_json[] =
	"{\"vrrpd:vrrpd\": {"
	" \"global\": {\"script-user\": \"nobody\"},"
	" \"track\": {\"script\": ["
	"  {\"name\": \"chk\", \"command\": [\"/bin/true\", \"-x\"], \"timeout\": 1500,"
	"   \"interval\": 2000},"
	"  {\"name\": \"root\", \"command\": [\"/bin/false\"], \"user\": \"root\"},"
	"  {\"name\": \"sh\", \"command\": [\"/bin/echo hi\"], \"shell\": true}]},"
	" \"instance\": [{\"name\": \"VI_1\", \"interface\": \"eth0\", \"vrid\": 1,"
	"  \"virtual-address\": [{\"address\": \"10.0.0.1\"}],"
	"  \"notify\": {\"script\": ["
	"   {\"event\": \"any\", \"command\": [\"/bin/sh\", \"-c\", \"echo\"]},"
	"   {\"event\": \"master\", \"command\": [\"/bin/true\", \"M\"]}]}}]}}";

static int pol_setup(void **state)
{
	struct pol *f = calloc(1, sizeof(*f));
	struct model_error me;
	struct lyd_node *tree = NULL;
	char err[128];

	if (!f || !(f->m = model_new(&me)))
		return -1;
	if (model_parse_json(f->m, policy_json, &tree, &me) ||
	    model_tree_to_config(tree, &f->cfg, &me)) {
		fprintf(stderr, "%s: %s\n", me.path, me.msg);
		return -1;
	}
	model_tree_free(tree);
	f->p = ps_policy_new(&f->cfg, err, sizeof(err));
	*state = f;
	return f->p ? 0 : -1;
}

static int pol_teardown(void **state)
{
	struct pol *f = *state;

	ps_policy_free(f->p);
	vrrpd_config_free(&f->cfg);
	model_free(f->m);
	free(f);
	return 0;
}

#define NOBODY 65534

static int check(struct pol *f, uint32_t uid, uint32_t gid, const char *const *argv,
		 struct ps_allowed *a, char *why, size_t whylen)
{
	struct ps_run r = { .uid = uid, .gid = gid };

	while (argv[r.argc]) {
		r.argv[r.argc] = argv[r.argc];
		r.argc++;
	}
	return ps_policy_check(f->p, &r, a, why, whylen);
}

static void test_policy_allows_configured(void **state)
{
	struct pol *f = *state;
	struct ps_allowed a;
	char why[300];
	const char *chk[] = { "/bin/true", "-x", NULL };
	const char *root[] = { "/bin/false", NULL };
	const char *sh[] = { "/bin/sh", "-c", "/bin/echo hi", NULL };
	const char *master[] = { "/bin/true", "M", NULL };
	const char *any[] = { "/bin/sh", "-c", "echo", "INSTANCE", "VI_1",
			      "MASTER", "100", NULL };

	/* track(5 entries for the instance: 2 configured) + 3 trackers */
	assert_int_equal(ps_policy_count(f->p), 5);
	assert_int_equal(check(f, NOBODY, NOBODY, chk, &a, why, sizeof(why)), 0);
	/* the timeout is the configuration's */
	assert_int_equal(a.timeout_ms, 1500);
	assert_true(a.secure);
	assert_int_equal(check(f, 0, 0, root, &a, why, sizeof(why)), 0);
	assert_int_equal(check(f, NOBODY, NOBODY, sh, &a, why, sizeof(why)), 0);
	assert_int_equal(check(f, NOBODY, NOBODY, master, &a, why, sizeof(why)), 0);
	assert_int_equal(check(f, NOBODY, NOBODY, any, &a, why, sizeof(why)), 0);
}

static void test_policy_refuses_the_rest(void **state)
{
	struct pol *f = *state;
	struct ps_allowed a;
	char why[300];
	const char *chk[] = { "/bin/true", "-x", NULL };
	const char *more[] = { "/bin/true", "-x", "extra", NULL };
	const char *fewer[] = { "/bin/true", NULL };
	const char *other[] = { "/usr/bin/id", NULL };
	const char *relative[] = { "true", NULL };
	const char *shell[] = { "/bin/sh", "-c", "id > /tmp/owned", NULL };
	const char *root[] = { "/bin/false", NULL };

	/* a configured script as root when the configuration says nobody */
	assert_int_equal(check(f, 0, 0, chk, &a, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "not a script of the startup configuration"));
	assert_int_equal(check(f, NOBODY, 0, chk, &a, why, sizeof(why)), -1);
	/* and the root one as anybody else */
	assert_int_equal(check(f, NOBODY, NOBODY, root, &a, why, sizeof(why)), -1);
	assert_int_equal(check(f, NOBODY, NOBODY, more, &a, why, sizeof(why)), -1);
	assert_int_equal(check(f, NOBODY, NOBODY, fewer, &a, why, sizeof(why)), -1);
	assert_int_equal(check(f, NOBODY, NOBODY, other, &a, why, sizeof(why)), -1);
	assert_int_equal(check(f, NOBODY, NOBODY, shell, &a, why, sizeof(why)), -1);
	assert_int_equal(check(f, NOBODY, NOBODY, relative, &a, why, sizeof(why)), -1);
	assert_string_equal(why, "true: not an absolute path");
}

static void test_policy_generic_words(void **state)
{
	struct pol *f = *state;
	struct ps_allowed a;
	char why[300];
	const char *bad[][8] = {
		{ "/bin/sh", "-c", "echo", "ROUTER", "VI_1", "MASTER", "100", NULL },
		{ "/bin/sh", "-c", "echo", "INSTANCE", "VI\n1", "MASTER", "100", NULL },
		{ "/bin/sh", "-c", "echo", "INSTANCE", "", "MASTER", "100", NULL },
		{ "/bin/sh", "-c", "echo", "INSTANCE", "VI_1", "OWNED", "100", NULL },
		{ "/bin/sh", "-c", "echo", "INSTANCE", "VI_1", "MASTER", "256", NULL },
		{ "/bin/sh", "-c", "echo", "INSTANCE", "VI_1", "MASTER", "-1", NULL },
		{ "/bin/sh", "-c", "echo", "INSTANCE", "VI_1", "MASTER", "", NULL },
		/* three words only, or five */
		{ "/bin/sh", "-c", "echo", "INSTANCE", "VI_1", "MASTER", NULL },
	};
	const char *five[] = { "/bin/sh", "-c", "echo", "GROUP", "G", "STOP", "0",
			       "x", NULL };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(check(f, NOBODY, NOBODY, bad[i], &a, why,
				       sizeof(why)), -1);
	assert_int_equal(check(f, NOBODY, NOBODY, five, &a, why, sizeof(why)), -1);
}

/* No configuration: nothing at all may run. */
static void test_policy_empty(void **state)
{
	struct vrrpd_config c;
	struct ps_allowed a;
	struct ps_policy *p;
	struct ps_run r = { .argc = 1, .argv = { "/bin/true" } };
	char why[300];

	(void)state;
	memset(&c, 0, sizeof(c));
	p = ps_policy_new(&c, why, sizeof(why));
	assert_non_null(p);
	assert_int_equal(ps_policy_count(p), 0);
	assert_int_equal(ps_policy_check(p, &r, &a, why, sizeof(why)), -1);
	ps_policy_free(p);
}

/* -- the channel */

static void test_send_recv_fd(void **state)
{
	int sv[2], fd, got;
	char in[64];
	ssize_t n;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	fd = ps_memfd_from("t", "hello", 5);
	assert_true(fd >= 0);
	assert_int_equal(ps_send(sv[0], "abc", 3, fd, 0), 3);
	close(fd);
	n = ps_recv(sv[1], in, sizeof(in), &got);
	assert_int_equal(n, 3);
	assert_true(got >= 0);
	assert_true(fcntl(got, F_GETFD) & FD_CLOEXEC);
	close(got);
	/* nothing waiting: no blocking */
	assert_int_equal(ps_recv(sv[1], in, sizeof(in), &got), -1);
	assert_int_equal(errno, EAGAIN);
	/* a datagram longer than the buffer is refused, not cut */
	assert_int_equal(ps_send(sv[0], "0123456789", 10, -1, 0), 10);
	assert_int_equal(ps_recv(sv[1], in, 4, &got), -1);
	assert_int_equal(errno, EMSGSIZE);
	close(sv[1]);
	n = ps_recv(sv[0], in, sizeof(in), &got);
	assert_int_equal(n, 0);
	close(sv[0]);
}

/* Two descriptors in one message: both closed, the message refused. */
static void test_recv_two_fds(void **state)
{
	int sv[2], fds[2] = { dup(0), dup(0) }, got;
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(fds))];
	} u;
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = u.b, .msg_controllen = sizeof(u.b) };
	char in[8];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	memset(&u, 0, sizeof(u));
	u.h.cmsg_level = SOL_SOCKET;
	u.h.cmsg_type = SCM_RIGHTS;
	u.h.cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(&u.h), fds, sizeof(fds));
	assert_int_equal(sendmsg(sv[0], &m, 0), 1);
	close(fds[0]);
	close(fds[1]);
	assert_int_equal(ps_recv(sv[1], in, sizeof(in), &got), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(got, -1);
	close(sv[0]);
	close(sv[1]);
}

static void test_memfd_read(void **state)
{
	char why[128];
	size_t len;
	char *s;
	int fd, p[2];

	(void)state;
	fd = ps_memfd_from("t", "{\"a\": 1}", 8);
	s = ps_memfd_read(fd, 100, &len, why, sizeof(why));
	assert_non_null(s);
	assert_int_equal(len, 8);
	assert_string_equal(s, "{\"a\": 1}");
	free(s);
	/* larger than allowed */
	assert_null(ps_memfd_read(fd, 7, &len, why, sizeof(why)));
	close(fd);
	/* an unsealed memfd could change after the check */
	fd = memfd_create("u", MFD_ALLOW_SEALING);
	assert_int_equal(write(fd, "x", 1), 1);
	assert_null(ps_memfd_read(fd, 100, &len, why, sizeof(why)));
	assert_string_equal(why, "not a sealed memfd");
	close(fd);
	/* a pipe would make the parent wait */
	assert_int_equal(pipe(p), 0);
	assert_null(ps_memfd_read(p[0], 100, &len, why, sizeof(why)));
	close(p[0]);
	close(p[1]);
}

/* -- the spawner in remote mode */

struct remote_fx {
	uint32_t ids[4];
	size_t n_started, n_done;
	int last_status;
	bool fail;
};

static int fake_start(void *arg, uint32_t id, const struct spawn_opts *o,
		      char *err, size_t errlen)
{
	struct remote_fx *f = arg;

	assert_string_equal(o->argv[0], "/bin/true");
	if (f->fail)
		return snprintf(err, errlen, "channel full"), -1;
	f->ids[f->n_started++] = id;
	return 0;
}

static void remote_done(void *arg, const struct spawn_result *r)
{
	struct remote_fx *f = arg;

	assert_string_equal(r->name, "track script t");
	f->last_status = r->status;
	f->n_done++;
}

static void test_spawner_remote(void **state)
{
	struct loop *l = loop_new();
	struct spawner *sp = spawner_new(l);
	struct remote_fx f = { 0 };
	struct spawn_remote rem = { .start = fake_start, .arg = &f };
	char *argv[] = { "/bin/true", NULL };
	struct spawn_opts o = { .name = "track script t", .argv = argv };
	struct spawn_result r = { .outcome = SPAWN_EXITED, .status = 3,
				  .err_text = "", .err_len = 0 };
	char err[64];
	pid_t a, b;

	(void)state;
	spawner_set_remote(sp, &rem);
	a = spawn_run(sp, &o, remote_done, &f, err, sizeof(err));
	b = spawn_run(sp, &o, remote_done, &f, err, sizeof(err));
	assert_true(a > 0 && b > 0 && a != b);
	assert_int_equal(spawner_running(sp), 2);
	assert_int_equal(f.n_done, 0);
	/* a result for no child of ours changes nothing */
	spawner_remote_done(sp, 424242, &r);
	assert_int_equal(spawner_running(sp), 2);
	spawner_remote_done(sp, f.ids[0], &r);
	assert_int_equal(f.n_done, 1);
	assert_int_equal(f.last_status, 3);
	assert_int_equal(spawner_running(sp), 1);
	/* the same id again: already done */
	spawner_remote_done(sp, f.ids[0], &r);
	assert_int_equal(f.n_done, 1);
	/* detached: reaped without a callback */
	spawn_detach(sp, b);
	spawner_remote_done(sp, f.ids[1], &r);
	assert_int_equal(f.n_done, 1);
	assert_int_equal(spawner_running(sp), 0);
	/* a failed send: -1 and no callback, ever */
	f.fail = true;
	assert_int_equal(spawn_run(sp, &o, remote_done, &f, err, sizeof(err)), -1);
	assert_string_equal(err, "channel full");
	assert_int_equal(spawner_running(sp), 0);
	spawner_free(sp);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_roundtrip),
		cmocka_unit_test(test_run_truncated_and_trailing),
		cmocka_unit_test(test_run_malformed),
		cmocka_unit_test(test_done),
		cmocka_unit_test(test_save_and_reload),
		cmocka_unit_test_setup_teardown(test_policy_allows_configured,
						pol_setup, pol_teardown),
		cmocka_unit_test_setup_teardown(test_policy_refuses_the_rest,
						pol_setup, pol_teardown),
		cmocka_unit_test_setup_teardown(test_policy_generic_words,
						pol_setup, pol_teardown),
		cmocka_unit_test(test_policy_empty),
		cmocka_unit_test(test_send_recv_fd),
		cmocka_unit_test(test_recv_two_fds),
		cmocka_unit_test(test_memfd_read),
		cmocka_unit_test(test_spawner_remote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
