/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktstr's kernel configuration fragment (lib/kernel/ktstr.kconfig, embedded in the
 * binary at build time) and the checks around it: its CRC32 (part of every
 * kernel cache key), merging it into a .config, and verifying that every
 * option it sets survived `make olddefconfig`.
 */
#ifndef KTSTR_KERNEL_CONFIG_H
#define KTSTR_KERNEL_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The embedded fragment, NUL-terminated; @len (optional) gets its length. */
const char *kernel_config__fragment(size_t *len);
/* zlib CRC32 of the embedded fragment: the "kc" part of cache keys. */
uint32_t kernel_config__fragment_crc(void);
/* zlib CRC32 of any buffer. */
uint32_t kernel_config__crc(const void *buf, size_t len);

/* One fragment option that the .config does not have as required. */
struct kconfig_problem {
	char name[80];		/* CONFIG_X */
	char want[80];		/* the fragment's value, or "not set" */
	char got[80];		/* the .config's value, "not set", or "absent" */
	const char *hint;	/* why it may have been dropped and what to do */
};

struct kconfig_check {
	struct kconfig_problem *items;
	size_t n;
	size_t checked;		/* fragment options looked at */
};

/*
 * Verify .config text @config against fragment text @frag: every
 * `CONFIG_X=value` line of the fragment must be in the .config with exactly
 * that value, and every `# CONFIG_X is not set` must be absent or unset.
 * Returns the number of problems (listed in @out), or -ENOMEM.
 */
int kernel_config__verify(const char *frag, size_t flen, const char *config, size_t clen,
			  struct kconfig_check *out);
void kconfig_check__free(struct kconfig_check *c);
/* One line per problem, "  CONFIG_X: want y, got absent (hint)", on @f. */
void kconfig_check__print(const struct kconfig_check *c, FILE *f);

/*
 * The .config text @config with every line that sets or unsets an option of
 * @frag removed and @frag appended (what scripts/kconfig/merge_config.sh -m
 * does). Returns a malloc'd NUL-terminated string (@outlen: its length), or
 * NULL when out of memory.
 */
char *kernel_config__merge(const char *config, size_t clen, const char *frag, size_t flen,
			   size_t *outlen);

/* Why option @name (CONFIG_X) might not survive olddefconfig, and what to do. */
const char *kernel_config__hint(const char *name);

#endif
