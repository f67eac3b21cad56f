/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cgroups of `ktstr run --host`: the cgroup2 tree it runs under, its own
 * directory there (ktstr-host-<pid>, kept flock'ed while its run lives, so
 * another ktstr can tell a leftover of a killed run from a live one), and
 * killing and removing such a directory with everything in it. Nothing
 * here writes outside a ktstr-host-* directory.
 */
#ifndef KTSTR_HOST_CGROUP_H
#define KTSTR_HOST_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define HOST_CG_PREFIX "ktstr-host-"
#define HOST_CG_ENV "KTSTR_HOST_CGROUP"

/*
 * The first cgroup2 mount point in @mounts (the text of /proc/mounts, its
 * octal escapes undone) into @buf: 0, -ENOENT for none, -ENAMETOOLONG.
 */
int host_cg__find_mount(const char *mounts, char *buf, size_t len);

/* @name is "ktstr-host-" and digits: a directory this code may remove. */
bool host_cg__is_ours(const char *name);

/*
 * Kill every process in @dir and below (cgroup.kill where the kernel has
 * it, else SIGKILL to each pid of every cgroup.procs, never this process),
 * until they are gone, then remove the cgroups deepest first. Returns 0, or
 * -errno of the first directory still there after @timeout_ms.
 */
int host_cg__kill_remove(const char *dir, unsigned timeout_ms);

/*
 * Kill and remove every ktstr-host-* directory in @root whose lock is free
 * (its run was killed). Returns how many, or -errno.
 */
int host_cg__clean_leftovers(const char *root);

/* A run's own directory: @root/ktstr-host-<pid>, locked while @lock_fd is open. */
struct host_cg {
	char path[PATH_MAX];
	int lock_fd;
};

/* Create and lock it. 0, or -errno with @err. */
int host_cg__create(struct host_cg *g, const char *root, char *err, size_t errlen);
/* Kill what is left in it, remove it, drop the lock. Idempotent; -errno when it stays. */
int host_cg__remove(struct host_cg *g);

#endif
