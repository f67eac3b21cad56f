/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel discovery for every command that boots a VM, in this order:
 *   1. --kernel VALUE
 *   2. $KTSTR_KERNEL (the same forms)
 *   3. the newest valid cache entry built with this ktstr's config fragment,
 *      whatever its recipe (lean, full, the user's fragments): a cache key in
 *      --kernel picks another one
 *   4. /boot/vmlinuz-$(uname -r), with a warning when it lacks sched_ext
 * VALUE is an image file (bzImage or ELF vmlinux), a build tree (with
 * arch/x86/boot/bzImage) or a cache entry directory, a cache key, or a
 * version prefix such as 6.12 matching cached kernels (the newest wins).
 */
#ifndef KTSTR_KERNEL_FIND_H
#define KTSTR_KERNEL_FIND_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "kernel_cache.h"

enum kfind_how { KFIND_ARG, KFIND_ENV, KFIND_CACHE, KFIND_BOOT };

struct kfind_opts {
	const char *kernel;	/* --kernel; NULL: not given */
	const char *cache_root;	/* NULL: kernel_cache__root() */
	const char *boot_dir;	/* NULL: /boot */
	const char *release;	/* NULL: uname -r */
};

struct kfind_result {
	char image[PATH_MAX];	/* the bootable image */
	char vmlinux[PATH_MAX];	/* the ELF vmlinux next to it, or "" */
	bool vmlinux_pvh;	/* it has a PVH entry: qemu can boot it directly */
	int static_keys;	/* kernel_find__static_keys(vmlinux): 1, 0, or <0 unknown (no vmlinux) */
	char key[KCACHE_KEY_MAX];	/* the cache entry's key, or "" */
	enum kfind_how how;
	char warning[512];	/* something the user should know, or "" */
};

/* "--kernel", "KTSTR_KERNEL", "cache", "/boot" */
const char *kfind_how__name(enum kfind_how h);

/*
 * Find the kernel to boot. Returns 0; or -ENOENT with @err saying what was
 * looked at and which commands produce a kernel; or another -errno with @err
 * saying what is wrong with the kernel that was named.
 */
int kernel_find(const struct kfind_opts *o, struct kfind_result *r, char *err, size_t cap);

/* Is @path an ELF with Linux's PVH entry note (CONFIG_PVH)? (kernel_pvh.c) */
bool kernel_find__has_pvh(const char *path);

/*
 * Does the ELF vmlinux @vmlinux patch its text when a static key flips
 * (CONFIG_JUMP_LABEL with jump label entries)? (kernel_text_patch.c) Returns
 * 1 when its symbol table has __start___jump_table and __stop___jump_table
 * with stop > start; 0 when it has a symbol table but no entries (neither
 * symbol, or stop == start); a negative errno when it cannot be read (-ENOENT,
 * -EACCES, ...) or is not an ELF with a symbol table and sane bounds (-EINVAL,
 * -EIO). __jump_table is no output section of x86's vmlinux (it sits in
 * .rodata), hence the symbols.
 */
int kernel_find__static_keys(const char *vmlinux);

/* Is @path a bzImage ("HdrS" at 0x202) or an ELF file? */
int kernel_find__is_image(const char *path);

#endif
