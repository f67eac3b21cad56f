/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's base archive (agent, programs, their libraries), built once and
 * kept in the cache under <cache>/initramfs/base-<crc>.cpio.gz, keyed by the
 * content of every file it packs. Each run only writes the small per-variant
 * overlay (the plan) and boots base + overlay concatenated.
 */
#ifndef KTSTR_INITRD_BASE_H
#define KTSTR_INITRD_BASE_H

#include <stddef.h>
#include <stdint.h>

#include "initramfs.h"

/*
 * Put into @path the cached base archive for @agent and @bins, building it
 * (atomically) when missing. Returns 0 or -errno with @err. With
 * KTSTR_NO_INITRAMFS_CACHE set, or no cache directory, it builds into
 * @tmpdir instead.
 */
int initrd_base__get(const char *agent, const struct initramfs_bin *bins, size_t nbins,
		     const char *tmpdir, char *path, size_t len, char *err, size_t errlen);

/*
 * Remove all but the @keep most recently used base archives under
 * <@root>/initramfs (a hit refreshes an archive's mtime). Returns how many
 * were removed; @freed (may be NULL) gets their bytes.
 */
unsigned initrd_base__prune(const char *root, unsigned keep, uint64_t *freed);

/* Write base (@base) + an overlay of @files into @out, the file the VM boots. */
int initrd__assemble(const char *base, const struct initramfs_file *files, size_t nfiles,
		     const char *out, char *err, size_t errlen);

#endif
