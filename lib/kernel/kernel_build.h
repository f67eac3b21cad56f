/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `ktstr kernel build`: from a source (the newest Debian linux-source
 * tarball, a tarball, or a tree) to a cache entry. Tarballs are extracted
 * into the entry's temporary directory; trees are built in place. Configure
 * with the recipe (kernel_recipe.h: lean = allnoconfig, full = defconfig +
 * kvm_guest.config; then ktstr's fragment, the user's, olddefconfig), verify
 * that every option of every fragment survived, `make -jN KCFLAGS=KRECIPE_KCFLAGS
 * bzImage` with progress, then store bzImage, vmlinux (strip --strip-debug:
 * symbols and BTF stay), .config, System.map, build.log and metadata.json
 * and rename the entry into place. Nothing half-written is left behind on
 * failure or on a caught signal (call kproc__signals_catch() first).
 */
#ifndef KTSTR_KERNEL_BUILD_H
#define KTSTR_KERNEL_BUILD_H

#include <stdbool.h>
#include <stdio.h>

#include "kernel_cache.h"
#include "kernel_recipe.h"

/* Objects (CC and AS lines) of a 6.12 build, measured: lean (allnoconfig + the
 * fragment) and full (defconfig + kvm_guest.config + the fragment). */
#define KBUILD_OBJECTS_LEAN	1230
#define KBUILD_OBJECTS_FULL	2300

struct kbuild_opts {
	const char *source_dir;		/* --source DIR */
	const char *tarball;		/* --tarball FILE */
	const char *package_dir;	/* where linux-source-*.tar.xz live; NULL: /usr/src */
	const char *cache_root;		/* NULL: kernel_cache__root() */
	const struct krecipe *recipe;	/* NULL: lean, ktstr's fragment only */
	bool force;			/* rebuild even when cached */
	bool clean;			/* make mrproper first (source trees only) */
	unsigned jobs;			/* make -j; 0: every online CPU */
	FILE *log;			/* messages and progress */
	bool tty;			/* progress as one line updated in place */
	unsigned progress_secs;		/* otherwise a line this often; 0: 30 */
};

struct kbuild_result {
	char key[KCACHE_KEY_MAX];
	char image[PATH_MAX];		/* the bzImage: in the entry, or in the tree */
	char entry[PATH_MAX];		/* the cache entry; "" when not cached */
	char built_at[32];
	bool hit;			/* it was cached: nothing was built */
	bool cached;			/* the result is a cache entry */
	char why_not[256];		/* why it is not cached */
	int signo;			/* the signal that stopped the build */
	unsigned secs;			/* wall time of the build */
};

/*
 * Returns 0; -EINTR when a caught signal stopped it (@r->signo); -EIO when a
 * build step failed (make, tar, a required option missing after
 * olddefconfig); another -errno for a setup problem (no source, not a kernel
 * tree, cache not writable). Every error has been explained on @o->log.
 */
int kernel_build__run(const struct kbuild_opts *o, struct kbuild_result *r);

#endif
