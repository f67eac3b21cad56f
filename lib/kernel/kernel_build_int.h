/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to kernel_build*.c: the state of one build and its steps. */
#ifndef KTSTR_KERNEL_BUILD_INT_H
#define KTSTR_KERNEL_BUILD_INT_H

#include <time.h>

#include "kernel_build.h"
#include "kernel_source.h"

struct kbuild {
	const struct kbuild_opts *o;
	struct kbuild_result *r;
	FILE *log;
	struct ksource src;
	const struct krecipe *recipe;
	struct kconfig_frag frags[1 + KRECIPE_USER_MAX];	/* ktstr's, then the user's */
	size_t nfrags;
	uint32_t recipe_crc;
	char label[KRECIPE_LABEL_MAX];	/* "lean", "full+1 fragment" */
	char root[PATH_MAX];
	char tmp[PATH_MAX];		/* the entry being built; "" when not cached */
	char tree[PATH_MAX];		/* where make runs */
	char log_path[PATH_MAX];	/* build.log */
	int log_fd;
	unsigned jobs;
	time_t start;
};

/*
 * Run a step: @argv in @b->tree with its output appended to build.log.
 * Returns 0, -EINTR, or -EIO after printing which step failed and the tail
 * of build.log.
 */
int kbuild__step(struct kbuild *b, const char *what, char *const argv[]);
/* Extract the tarball into <tmp>/src and point b->tree at its top directory. */
int kbuild__extract(struct kbuild *b);
/*
 * The recipe's base, its fragments, olddefconfig, then verify every option
 * (kernel_build_config.c); a tree's good .config is kept.
 */
int kbuild__configure(struct kbuild *b);
/* Read <tree>/.config. Returns 0 or -errno. */
int kbuild__read_config(struct kbuild *b, char **buf, size_t *len);
/* make -jN KCFLAGS=KRECIPE_KCFLAGS bzImage, with progress. */
int kbuild__make(struct kbuild *b);
/* Copy the outputs into b->tmp and write metadata.json. */
int kbuild__collect(struct kbuild *b);
/* Print the last @n lines of build.log. */
void kbuild__tail(struct kbuild *b, unsigned n);

#endif
