/* Splitting vrrpd in two, and the worker's change of user (privsep.h). */
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cap-ng.h>

#include "privsep.h"

/* Script results and config.save replies are small, but a burst of a
 * thousand track scripts at one tick must not find the channel full.
 * Set as root (SO_SNDBUFFORCE passes net.core.wmem_max). */
#define PS_SOCKBUF (4 * 1024 * 1024)

static int make_pair(int sv[2])
{
	int sz = PS_SOCKBUF;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		if (setsockopt(sv[i], SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
			setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		if (setsockopt(sv[i], SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
			setsockopt(sv[i], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	}
	return 0;
}

pid_t ps_fork(int chan[2], char *err, size_t errlen)
{
	int a[2], s[2];
	pid_t pid;

	if (make_pair(a) < 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	if (make_pair(s) < 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		close(a[0]);
		close(a[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(a[0]);
		close(a[1]);
		close(s[0]);
		close(s[1]);
		return -1;
	}
	/* [0] is the parent's end, [1] the worker's */
	close(pid > 0 ? a[1] : a[0]);
	close(pid > 0 ? s[1] : s[0]);
	chan[0] = pid > 0 ? a[0] : a[1];
	chan[1] = pid > 0 ? s[0] : s[1];
	return pid;
}

int ps_drop_privileges(uid_t uid, gid_t gid, pid_t parent, char *err,
		       size_t errlen)
{
	int r;

	if (uid == 0) {
		snprintf(err, errlen, "the worker must not run as root");
		return -1;
	}
	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
			  CAP_NET_RAW, CAP_NET_ADMIN, -1) < 0) {
		snprintf(err, errlen, "libcap-ng: cannot select capabilities");
		return -1;
	}
	/* setgroups(0), setgid, setuid with PR_SET_KEEPCAPS, then only the
	 * two capabilities, the bounding set emptied (nothing the worker
	 * could ever execute would get more). */
	r = capng_change_id((int)uid, (int)gid,
			    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
	if (r < 0) {
		snprintf(err, errlen, "cannot become uid %u gid %u: libcap-ng "
			 "error %d (%s)", (unsigned)uid, (unsigned)gid, r,
			 strerror(errno));
		return -1;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL) {
		snprintf(err, errlen, "cannot clear ambient capabilities: %s",
			 strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -1;
	}
	/* Cleared by the change of credentials: set it now. SIGTERM, not
	 * SIGKILL: a master that loses its parent still sends its
	 * priority-0 advert. The parent may already be gone. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) < 0) {
		snprintf(err, errlen, "PR_SET_PDEATHSIG: %s", strerror(errno));
		return -1;
	}
	if (getppid() != parent) {
		snprintf(err, errlen, "the privileged parent is gone");
		return -1;
	}
	if (geteuid() == 0 || getuid() == 0 || getegid() != gid) {
		snprintf(err, errlen, "still root after the change of user");
		return -1;
	}
	return 0;
}
