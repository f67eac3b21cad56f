/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cpio "newc" (070701) writer whose output is gzip-compressed on the fly
 * with zlib and padded with zeros to a multiple of 512 bytes, the form the
 * kernel unpacks as an initramfs. Several such archives may be concatenated
 * (the kernel skips the zero padding between them and later entries replace
 * earlier files).
 *
 * Output is deterministic: mtime 0, uid/gid 0, inode numbers 1, 2, ... in
 * the order entries are added, a gzip header with mtime 0. The same calls
 * give the same bytes.
 *
 * Archive paths are given with or without one leading '/', and must have no
 * empty, "." or ".." components and no trailing '/'. Each path may be added
 * once (-EEXIST otherwise); missing parent directories are added
 * automatically (mode 0755) before the entry, once.
 *
 * Errors are returned as -errno; cpio__errmsg() then says what went wrong,
 * naming the archive path (and the host file, if any).
 */
#ifndef KTSTR_CPIO_H
#define KTSTR_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CPIO_LEVEL_DEFAULT	6
#define CPIO_PATH_MAX		4096

struct cpio;

/*
 * A writer streaming into @fd (not closed by the writer), or, when @fd is
 * negative, into a growing memory buffer returned by cpio__finish().
 * @level is the zlib level 0..9, or -1 for CPIO_LEVEL_DEFAULT.
 * Returns NULL only on OOM or a bad level.
 */
struct cpio *cpio__new(int fd, int level);
void cpio__free(struct cpio *c);

/* The message for the last error ("" when none). */
const char *cpio__errmsg(const struct cpio *c);

/*
 * Check an archive path and normalise it into @out (leading '/' removed).
 * Returns 0 or -EINVAL / -ENAMETOOLONG with a message in @err.
 */
int cpio__check_path(const char *path, char *out, size_t cap, char *err, size_t errlen);

/* Is @path (normalised or not) already in the archive? */
bool cpio__exists(const struct cpio *c, const char *path);

int cpio__add_dir(struct cpio *c, const char *path, mode_t mode);
/* A regular file with @len bytes of @data. */
int cpio__add_file(struct cpio *c, const char *path, mode_t mode,
		   const void *data, size_t len);
/*
 * A regular file with the content of host file @host (symlinks followed),
 * streamed in chunks. @mode 0 takes the host file's permission bits.
 * -EFBIG past 4 GiB - 1 (the newc size field), -EIO if it changes size.
 */
int cpio__add_host_file(struct cpio *c, const char *path, mode_t mode, const char *host);
int cpio__add_symlink(struct cpio *c, const char *path, const char *target);

/*
 * Append the TRAILER!!! entry, end the gzip stream and pad to 512 bytes.
 * For a memory writer, *@buf / *@len receive the malloc'd archive (the
 * caller frees it); for an fd writer they may be NULL. The writer accepts
 * nothing but cpio__free() afterwards.
 */
int cpio__finish(struct cpio *c, void **buf, size_t *len);

/* Bytes of compressed output so far (after finish: the archive's size). */
uint64_t cpio__out_bytes(const struct cpio *c);
/* Entries written so far, not counting the trailer. */
uint32_t cpio__entries(const struct cpio *c);

#endif
