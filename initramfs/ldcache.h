/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A reader for glibc's /etc/ld.so.cache in the "glibc-ld.so.cache1.1"
 * format (glibc >= 2.32 writes only this one). The file is treated as
 * untrusted: every count, offset and string is bounds-checked when the
 * cache is parsed, and a malformed file is rejected as a whole.
 *
 * Only x86_64 libc6 entries without a hardware-capability subdirectory are
 * kept: those are the ones a baseline x86_64 guest loader would use.
 */
#ifndef KTSTR_LDCACHE_H
#define KTSTR_LDCACHE_H

#include <stddef.h>
#include <stdint.h>

#define LDCACHE_PATH		"/etc/ld.so.cache"
#define LDCACHE_MAX		(64u << 20)	/* larger files are refused */

struct ldcache_entry {
	const char *name;	/* the soname, e.g. "libc.so.6" */
	const char *path;	/* where it lives, e.g. "/lib/x86_64-linux-gnu/libc.so.6" */
};

struct ldcache {
	char *data;		/* the file's bytes (owned; strings point into it) */
	size_t len;
	struct ldcache_entry *v;	/* in file order (glibc sorts them) */
	size_t n;
};

/*
 * Parse @len bytes at @buf (copied). Returns 0, or -EINVAL with a message in
 * @err saying what is malformed, or -ENOMEM.
 */
int ldcache__parse(struct ldcache *c, const void *buf, size_t len, char *err, size_t errlen);
/* Read and parse @path. -errno with the path in @err when unreadable. */
int ldcache__load(struct ldcache *c, const char *path, char *err, size_t errlen);
/* The path the cache gives for soname @name, or NULL. */
const char *ldcache__lookup(const struct ldcache *c, const char *name);
void ldcache__free(struct ldcache *c);

#endif
