/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A kernel's configuration recipe: the base and the fragments on top of it.
 *   lean  make allnoconfig + ktstr's fragment + the user's + make olddefconfig
 *         (the default: what a scheduler test VM needs and nothing else)
 *   full  make defconfig + make kvm_guest.config + the same fragments + make
 *         olddefconfig (drivers, file systems, networking)
 * The user's fragments (--fragment, at most KRECIPE_USER_MAX) are merged after
 * ktstr's, in the order given; a later line wins over an earlier one.
 *
 * Every build compiles with KRECIPE_KCFLAGS.
 *
 * The recipe's CRC32 is the "kc" part of a cache key: the CRC32 of the base
 * name, a NUL, KRECIPE_KCFLAGS, a NUL, ktstr's fragment, a NUL, and each user
 * fragment followed by a NUL, in order (fragments hold no NUL, so no two
 * recipes run together).
 */
#ifndef KTSTR_KERNEL_RECIPE_H
#define KTSTR_KERNEL_RECIPE_H

#include <stddef.h>
#include <stdint.h>

#include "kernel_config.h"

#define KRECIPE_USER_MAX	8
/*
 * The compiler flags of every build (make KCFLAGS=...): warnings are not
 * errors (a newer compiler than the kernel's must not stop the build), and no
 * variable-location tracking. BTF is made from DWARF's types and functions,
 * never from where a variable lives, and gcc's location tracking is about a
 * tenth of the kernel's compile time (README: "Kernels"). The kernel's own
 * DEBUG_INFO_REDUCED adds the same flag, but also drops struct types BTF needs.
 */
#define KRECIPE_KCFLAGS		"-Wno-error -fno-var-tracking"
/* The largest fragment file ktstr reads. */
#define KRECIPE_FRAG_MAX_BYTES	(1u << 20)
/* "full+8 fragments" */
#define KRECIPE_LABEL_MAX	32

enum kconfig_base { KCONFIG_LEAN, KCONFIG_FULL };

/* "lean", "full" */
const char *kconfig_base__name(enum kconfig_base b);
/* Returns 0, or -EINVAL for another name. */
int kconfig_base__parse(const char *s, enum kconfig_base *b);

struct krecipe_frag {
	char *name;		/* the path as given: messages say NAME:LINE */
	char *path;		/* absolute: metadata.json records it */
	char *text;
	size_t len;
	uint32_t crc;		/* CRC32 of text */
};

struct krecipe {
	enum kconfig_base base;
	size_t nuser;
	struct krecipe_frag user[KRECIPE_USER_MAX];
};

/* @base with ktstr's fragment only. */
void kernel_recipe__init(struct krecipe *r, enum kconfig_base base);
void kernel_recipe__free(struct krecipe *r);
/*
 * Read fragment file @path, check its lines (kernel_config__check_fragment)
 * and add it. Returns 0; -E2BIG when there are KRECIPE_USER_MAX already;
 * -errno when it cannot be read, -EFBIG when larger than
 * KRECIPE_FRAG_MAX_BYTES, -EINVAL for a bad line; @err says which (naming
 * @path, and the line).
 */
int kernel_recipe__add_file(struct krecipe *r, const char *path, char *err, size_t errlen);
/* The same for text already read; @name is both name and path. */
int kernel_recipe__add_text(struct krecipe *r, const char *name, const char *text, size_t len,
			    char *err, size_t errlen);
/* The recipe's CRC32 (see above). */
uint32_t kernel_recipe__crc(const struct krecipe *r);
/*
 * The fragments in merge order, ktstr's first, into @out (room for
 * 1 + KRECIPE_USER_MAX). Returns how many.
 */
size_t kernel_recipe__frags(const struct krecipe *r, struct kconfig_frag *out);
/* "lean", "full", "full+1 fragment", "lean+2 fragments" */
void kernel_recipe__label(enum kconfig_base base, size_t nuser, char *buf, size_t cap);

#endif
