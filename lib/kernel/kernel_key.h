/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A kernel cache key: "<version>-<kind>-<source id>-x86_64-kc<recipe crc>"
 * (see kernel_cache.h), the kinds of source and the versions it may hold.
 */
#ifndef KTSTR_KERNEL_KEY_H
#define KTSTR_KERNEL_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KCACHE_KEY_MAX		160
#define KCACHE_VERSION_MAX	64

enum ksrc_kind { KSRC_PACKAGE, KSRC_TARBALL, KSRC_TREE };

const char *ksrc_kind__name(enum ksrc_kind k);
/* Returns 0, or -EINVAL for an unknown name. */
int ksrc_kind__parse(const char *s, enum ksrc_kind *k);

struct kcache_key {
	char version[KCACHE_VERSION_MAX];
	enum ksrc_kind kind;
	uint32_t source_id;
	char arch[16];
	uint32_t recipe_crc;	/* kernel_recipe__crc(): base and fragments */
};

/* A version may hold [A-Za-z0-9._+~-] only (it becomes a file name). */
bool kernel_cache__version_ok(const char *v);
/* Returns 0, or -EINVAL (bad version) / -ENAMETOOLONG. */
int kernel_cache__key_format(const struct kcache_key *k, char *buf, size_t cap);
/* Returns 0, or -EINVAL when @s is not a key. */
int kernel_cache__key_parse(const char *s, struct kcache_key *k);

#endif
