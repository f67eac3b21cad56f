/* SPDX-License-Identifier: GPL-2.0 */
/* Small file-system helpers for the kernel cache: read, write, copy, remove trees. */
#ifndef KTSTR_FSUTIL_H
#define KTSTR_FSUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Open @path read-only (O_CLOEXEC) if it is a regular file, the only kind
 * ktstr reads as input. The open never blocks: a FIFO without a writer would
 * hang open() and read(), so it is opened O_NONBLOCK, checked with fstat and
 * refused. Returns the fd (blocking again), or -EISDIR for a directory,
 * -EINVAL for a FIFO, socket or device (fsutil__strerror names it), or -errno.
 */
int fsutil__open_regular(const char *path);
/*
 * Create or truncate @path for writing (O_CLOEXEC), never through a symbolic
 * link: a link planted where ktstr writes (a shared results directory, /tmp)
 * would make it overwrite a file elsewhere. Returns the fd, or -ELOOP for a
 * link (fsutil__strerror names it), or -errno.
 */
int fsutil__create(const char *path, mode_t mode);
/*
 * Make directory @path (mode 0755) or accept an existing one, but never a
 * symbolic link to one, so that files created in it stay in it.
 * Returns 0, -ENOTDIR (a link or not a directory) or -errno.
 */
int fsutil__mkdir_here(const char *path);
/*
 * strerror(@err) (a positive errno), with EINVAL and ELOOP said as
 * fsutil__open_regular and fsutil__create mean them.
 */
const char *fsutil__strerror(int err);
/*
 * Read all of regular file @path (at most @max bytes, else -EFBIG) into a
 * malloc'd, NUL-terminated buffer. Returns 0 or -errno (fsutil__open_regular).
 */
int fsutil__read(const char *path, size_t max, char **buf, size_t *len);
/* Create or replace @path with @len bytes of @buf, fsync'd. Returns 0 or -errno. */
int fsutil__write(const char *path, const void *buf, size_t len);
/* Copy regular file @src to @dst (mode kept). Returns 0 or -errno. */
int fsutil__copy(const char *src, const char *dst);
/* mkdir -p. Returns 0 or -errno. */
int fsutil__mkdir_p(const char *path, mode_t mode);
/* rm -rf, not crossing mount points or following symlinks. 0 when @path is gone. */
int fsutil__rm_rf(const char *path);
/* Total size in bytes of the regular files under @path. */
int fsutil__du(const char *path, uint64_t *bytes);
/* zlib CRC32 of a file's bytes, streamed. Returns 0 or -errno. */
int fsutil__crc32(const char *path, uint32_t *crc);
/*
 * snprintf into a fixed buffer where truncation is tolerable or checked:
 * returns 0, or -ENAMETOOLONG when the text was cut to fit.
 */
__attribute__((format(printf, 3, 4)))
int fsutil__fmt(char *buf, size_t cap, const char *fmt, ...);
/*
 * @name in the directory that holds @file ("." when @file has no '/'):
 * fsutil__fmt's return. A vmlinux beside a bzImage, a .config beside a vmlinux.
 */
int fsutil__beside(const char *file, const char *name, char *buf, size_t cap);
/* Is @path a regular file with at least one byte? */
int fsutil__nonempty_file(const char *path);

/*
 * Find an executable like execvp would: @name with a '/' is checked as is,
 * else looked up in $PATH (default /usr/local/bin:/usr/bin:/bin; an empty
 * element is the current directory). Returns 0 with the path in @path, or
 * -ENOENT.
 */
int fsutil__which(const char *name, char *path, size_t cap);

#endif
