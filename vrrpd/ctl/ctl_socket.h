/* The listening Unix socket of the control server: group lookup, stale
 * socket removal, creation with mode 0660 (ctl_socket.c). */
#ifndef VRRPD_CTL_SOCKET_H
#define VRRPD_CTL_SOCKET_H

#include <stddef.h>
#include <sys/types.h>

/* A group name or number. Returns 0, or -1 with err. */
int ctl_parse_group(const char *name, gid_t *gid, char *err, size_t errlen);

/* Create, bind (never wider than 0660, owned by gid) and listen on path; the
 * parent directory is created if missing, a stale socket replaced, a live
 * one is an error. dev and ino identify the file, so it is removed at exit only
 * if still ours. Returns the non-blocking listening fd, or -1 with err. */
int ctl_socket_open(const char *path, gid_t gid, dev_t *dev, ino_t *ino,
		    char *err, size_t errlen);

#endif
