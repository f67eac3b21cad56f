/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kconfig fragments: ktstr's own (lib/kernel/ktstr.kconfig, embedded in the
 * binary at build time) and the user's (--fragment), and the checks around
 * them: CRC32s (part of every kernel cache key), checking a fragment's lines,
 * merging fragments into a .config, and verifying that every option they set
 * survived `make olddefconfig`, naming the fragment and line of each one that
 * did not.
 */
#ifndef KTSTR_KERNEL_CONFIG_H
#define KTSTR_KERNEL_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The name ktstr's own fragment goes by in messages ("ktstr.kconfig:58"). */
#define KCONFIG_KTSTR_NAME	"ktstr.kconfig"

/* A fragment: its name for messages (a file's path) and its text. */
struct kconfig_frag {
	const char *name;
	const char *text;
	size_t len;
};

/* The embedded fragment, NUL-terminated; @len (optional) gets its length. */
const char *kernel_config__fragment(size_t *len);
/* The embedded fragment as a struct kconfig_frag named KCONFIG_KTSTR_NAME. */
struct kconfig_frag kernel_config__ktstr(void);
/* zlib CRC32 of the embedded fragment: an entry built with another is stale. */
uint32_t kernel_config__fragment_crc(void);
/* zlib CRC32 of any buffer. */
uint32_t kernel_config__crc(const void *buf, size_t len);
/* zlib CRC32 of @buf continued from @crc (kernel_config__crc() is from 0). */
uint32_t kernel_config__crc_add(uint32_t crc, const void *buf, size_t len);

/*
 * Check that every line of @f is blank, a comment ('#' in the first column),
 * `CONFIG_X=value` or `# CONFIG_X is not set`, and that it sets or unsets at
 * least one option. Returns 0, or -EINVAL with @err saying "NAME:LINE: what
 * is wrong: 'the line'".
 */
int kernel_config__check_fragment(const struct kconfig_frag *f, char *err, size_t errlen);

/* One fragment option that the .config does not have as required. */
struct kconfig_problem {
	char name[80];		/* CONFIG_X */
	char want[80];		/* the fragment's value, or "not set" */
	char got[80];		/* the .config's value, "not set", or "absent" */
	const char *from;	/* the fragment's name */
	unsigned line;		/* the line in it, from 1 */
	const char *hint;	/* why it may have been dropped and what to do */
};

struct kconfig_check {
	struct kconfig_problem *items;
	size_t n;
	size_t checked;		/* fragment options looked at */
};

/*
 * Verify .config text @config against fragments @f[0..@n) merged in that
 * order: every `CONFIG_X=value` line must be in the .config with exactly that
 * value, and every `# CONFIG_X is not set` must be absent or unset, except a
 * line that a later line (of the same or a later fragment) sets again: the
 * last one wins, as in Kconfig. Returns the number of problems (listed in
 * @out), or -ENOMEM.
 */
int kernel_config__verify(const struct kconfig_frag *f, size_t n, const char *config,
			  size_t clen, struct kconfig_check *out);
void kconfig_check__free(struct kconfig_check *c);
/* One line per problem, "  CONFIG_X: want y, got absent (NAME:LINE)" and its hint, on @f. */
void kconfig_check__print(const struct kconfig_check *c, FILE *f);

/*
 * Say on @out each option that a later line of @f[0..@n) sets to another
 * value than an earlier one ("mine.config:3: CONFIG_NR_CPUS=512 overrides
 * ktstr.kconfig:16 (256)"). Returns how many; -ENOMEM.
 */
int kernel_config__overrides(const struct kconfig_frag *f, size_t n, FILE *out);

/*
 * The .config text @config with every line that sets or unsets an option of
 * @f removed and @f appended under a comment naming it (what
 * scripts/kconfig/merge_config.sh -m does). Returns a malloc'd NUL-terminated
 * string (@outlen: its length), or NULL when out of memory.
 */
char *kernel_config__merge(const char *config, size_t clen, const struct kconfig_frag *f,
			   size_t *outlen);

/*
 * Why option @name (CONFIG_X) might not have become @want ("y", "512", "not
 * set") in the .config, and what to do (kernel_config_hints.c).
 */
const char *kernel_config__hint(const char *name, const char *want);

#endif
