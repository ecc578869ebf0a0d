/* Where config.save may write and how (rpc_save.c); shared by the
 * rpc_*.c files, the commit history and the privileged parent of
 * privilege separation, which checks and writes for the worker. */
#ifndef VRRPD_RPC_SAVE_H
#define VRRPD_RPC_SAVE_H

#include <stddef.h>

/* May config.save write path? Only the startup file or a plain name
 * directly in save_dir, absolute (rpc_save.c). Returns 0, or -1 with why. */
int rpc_save_path_allowed(const char *config_path, const char *save_dir,
			  const char *path, char *why, size_t whylen);

/* Atomic file replacement (rpc_save.c): temporary file in the same
 * directory, O_NOFOLLOW, mode 0600 at most, fsync, rename, fsync of the
 * directory. A symbolic link or a non-regular file at path is refused. On
 * failure the old file is untouched and why holds the reason. */
int rpc_write_file_atomic(const char *path, const char *data, size_t len,
			  char *why, size_t whylen);

#endif
