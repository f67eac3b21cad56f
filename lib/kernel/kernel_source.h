/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a kernel build's source comes from, and what names it: the newest
 * Debian linux-source package tarball, a tarball the user names, or a source
 * tree. Its version (from the top Makefile) and its source id (CRC32 of a
 * tarball, git HEAD of a clean tree) make up the cache key.
 */
#ifndef KTSTR_KERNEL_SOURCE_H
#define KTSTR_KERNEL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel_cache.h"

#define KSOURCE_PACKAGE_DIR "/usr/src"

struct ksource {
	enum ksrc_kind kind;
	char path[PATH_MAX];		/* absolute: the tarball, or the tree */
	char version[KCACHE_VERSION_MAX];	/* "" until read */
	uint32_t id;			/* the key's source id */
	char sha[48];			/* tree: the git HEAD commit */
	bool cacheable;			/* tarballs, clean git trees */
	char why_not[256];		/* when !cacheable: why */
};

/*
 * The newest <dir>/linux-source-*.tar.xz by version order, as an absolute
 * path in @out. Returns 0, or -ENOENT when there is none.
 */
int kernel_source__find_package(const char *dir, char *out, size_t cap);

/*
 * The version in a kernel top-level Makefile's text:
 * VERSION.PATCHLEVEL.SUBLEVEL followed by EXTRAVERSION. Returns 0 or -EINVAL.
 */
int kernel_source__makefile_version(const char *text, char *out, size_t cap);

/*
 * Prepare @s for tarball @file (@kind package or tarball): its CRC32 as the
 * id. On error prints why on @log and returns -errno.
 */
int kernel_source__tarball(struct ksource *s, const char *file, enum ksrc_kind kind, FILE *log);
/* Read the tarball's version from its <top>/Makefile with `tar xOf`. */
int kernel_source__tarball_version(struct ksource *s, FILE *log);

/*
 * Prepare @s for tree @dir: it must hold Makefile and Kconfig. Reads its
 * version and git state: a git work tree (its top level) without changes is
 * cacheable, keyed by HEAD; any other tree is not, and why_not says why.
 */
int kernel_source__tree(struct ksource *s, const char *dir, FILE *log);

#endif
