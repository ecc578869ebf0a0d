/* The control server's connection limits on a real loop and engine (no
 * instances): a uid holds at most max_per_uid connections, the last
 * root_reserved slots are root's, idle non-root clients are disconnected
 * after the idle timeout and root is not. Peers of other uids connect from
 * a child that drops privileges and hands the socket back (SCM_RIGHTS):
 * SO_PEERCRED is taken at connect time. Needs root, as the lab does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl_server.h"
#include "engine.h"
#include "loop.h"
#include "model.h"

#define READER_GID 65534

struct t {
	struct loop *loop;
	struct model *m;
	struct engine *e;
	struct ctl_server *s;
	struct loop_timer stop_t;
	char dir[64], path[96];
};

static void stop(void *arg)
{
	loop_stop(arg);
}

/* Run the loop for ms milliseconds. */
static void spin(struct t *t, unsigned ms)
{
	loop_timer_at(t->loop, &t->stop_t, loop_now_us() + ms * 1000u);
	assert_int_equal(loop_run(t->loop), 0);
}

static int connect_path(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int connect_as(const char *path, uid_t uid)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int sv[2], fd = -1, status;
	pid_t pid;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, NULL) == 0 && setgid(READER_GID) == 0 &&
		    setuid(uid) == 0)
			fd = connect_path(path);
		if (fd >= 0) {
			memset(cbuf, 0, sizeof(cbuf));
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &fd, sizeof(int));
			if (sendmsg(sv[1], &mh, 0) < 0)
				_exit(2);
		}
		_exit(fd >= 0 ? 0 : 1);
	}
	close(sv[1]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(recvmsg(sv[0], &mh, 0), 1);
	cm = CMSG_FIRSTHDR(&mh);
	assert_non_null(cm);
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	close(sv[0]);
	return fd;
}

/* What the server sent, without waiting: "" if nothing, "EOF" if closed. */
static const char *pending(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len - 1, MSG_DONTWAIT);

	if (n < 0)
		return errno == EAGAIN ? "" : "ERROR";
	if (n == 0)
		return "EOF";
	buf[n] = '\0';
	return buf;
}

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));
	struct ctl_server_opts o = { 0 };
	struct model_error me;
	char err[256];

	if (geteuid() != 0) {
		free(t);
		return -1;
	}
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_ctl_server.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	assert_int_equal(chmod(t->dir, 0711), 0);
	snprintf(t->path, sizeof(t->path), "%s/s.sock", t->dir);
	t->loop = loop_new();
	loop_timer_init(&t->stop_t, stop, t->loop);
	t->m = model_new(&me);
	assert_non_null(t->m);
	t->e = engine_new(t->loop, t->m, err, sizeof(err));
	assert_non_null(t->e);
	o.path = t->path;
	o.group = "65534";
	o.max_clients = 4;
	o.root_reserved = 1;
	o.max_per_uid = 2;
	o.idle_timeout_s = 1;
	t->s = ctl_server_new(t->loop, t->e, t->m, &o, err, sizeof(err));
	if (!t->s)
		fail_msg("ctl_server_new: %s", err);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	ctl_server_free(t->s);
	engine_free(t->e);
	model_free(t->m);
	loop_timer_cancel(t->loop, &t->stop_t);
	loop_free(t->loop);
	rmdir(t->dir);
	free(t);
	return 0;
}

static void test_limits_and_idle_timeout(void **state)
{
	static const char req[] = "{\"jsonrpc\":\"2.0\",\"method\":\"daemon.info\",\"id\":1}\n";
	struct t *t = *state;
	char buf[512];
	int a, b, c, d, e, r;

	/* One uid: two connections, the third is refused with the reason. */
	a = connect_as(t->path, 60000);
	b = connect_as(t->path, 60000);
	spin(t, 50);
	c = connect_as(t->path, 60000);
	spin(t, 50);
	assert_string_equal(pending(a, buf, sizeof(buf)), "");
	assert_string_equal(pending(b, buf, sizeof(buf)), "");
	assert_non_null(strstr(pending(c, buf, sizeof(buf)), "of uid 60000"));
	assert_non_null(strstr(buf, "-32006"));
	/* Three of four slots taken by non-root: the last is root's. */
	d = connect_as(t->path, 60001);
	spin(t, 50);
	e = connect_as(t->path, 60002);
	spin(t, 50);
	assert_string_equal(pending(d, buf, sizeof(buf)), "");
	assert_non_null(strstr(pending(e, buf, sizeof(buf)), "root's"));
	r = connect_path(t->path);
	assert_true(r >= 0);
	assert_int_equal(send(r, req, sizeof(req) - 1, 0), (ssize_t)sizeof(req) - 1);
	spin(t, 100);
	assert_non_null(strstr(pending(r, buf, sizeof(buf)), "\"name\":\"vrrpd\""));
	/* A reader who speaks is served, and its idle clock restarts. */
	spin(t, 600);
	assert_int_equal(send(d, req, sizeof(req) - 1, 0), (ssize_t)sizeof(req) - 1);
	spin(t, 100);
	assert_non_null(strstr(pending(d, buf, sizeof(buf)), "\"name\":\"vrrpd\""));
	/* Past the idle timeout a and b are gone, d (it spoke) not yet. */
	spin(t, 500);
	assert_string_equal(pending(a, buf, sizeof(buf)), "EOF");
	assert_string_equal(pending(b, buf, sizeof(buf)), "EOF");
	assert_string_equal(pending(d, buf, sizeof(buf)), "");
	spin(t, 700);
	assert_string_equal(pending(d, buf, sizeof(buf)), "EOF");
	/* Root is never timed out. */
	assert_int_equal(send(r, req, sizeof(req) - 1, 0), (ssize_t)sizeof(req) - 1);
	spin(t, 100);
	assert_non_null(strstr(pending(r, buf, sizeof(buf)), "\"name\":\"vrrpd\""));
	close(a);
	close(b);
	close(c);
	close(d);
	close(e);
	close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_limits_and_idle_timeout, setup, teardown),
	};
	if (geteuid() != 0) {
		printf("test_ctl_server: needs root (fork + setuid); skipped\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
