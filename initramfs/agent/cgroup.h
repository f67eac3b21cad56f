/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's cgroup v2 tree: <base>/ktstr and the scenario's cgroups below
 * it, named by paths relative to that root ("cg0", "a/b"). With cgroups
 * disabled (root == NULL, for tests without a writable cgroup2 mount) every
 * call succeeds without touching anything.
 */
#ifndef KTSTR_AGENT_CGROUP_H
#define KTSTR_AGENT_CGROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "cpumask.h"

#define CGROUP_PATH_MAX 512
#define CGROUP_WRITE_TIMEOUT_MS 2000

struct cgroups {
	bool enabled;
	char base[CGROUP_PATH_MAX];	/* the hierarchy's mount, e.g. /sys/fs/cgroup */
	char root[CGROUP_PATH_MAX];	/* base/ktstr: the scenario's cgroups go below */
	/*
	 * Where a removed cgroup's tasks go: base when empty. Host mode
	 * (host_mode.h) parks them in the agent's own leaf, as base there
	 * may have controllers enabled (no internal processes).
	 */
	char park[CGROUP_PATH_MAX];
};

/*
 * Create base/@name (a cgroup2 directory; "ktstr" in the guest) with +cpuset
 * +cpu enabled in the subtree_control of base and of the new root (a
 * controller base lacks is logged and skipped). @base NULL disables cgroups.
 * Returns 0 or -errno with a message in @err.
 */
int cgroups__init(struct cgroups *c, const char *base, const char *name, char *err,
		  size_t errlen);
/* Park drained tasks in the cgroup @dir instead of base (cgroups__init clears it). */
void cgroups__park(struct cgroups *c, const char *dir);
/* Drain and remove what is left below the root, then the root itself. */
void cgroups__destroy(struct cgroups *c);

/* mkdir root/name; enables the controllers in the parent first when nested. */
int cgroup__create(struct cgroups *c, const char *name, char *err, size_t errlen);
/* Move every task to base, then rmdir (ENOENT is fine). */
int cgroup__remove(struct cgroups *c, const char *name, char *err, size_t errlen);
/* Write cpuset.cpus; NULL or empty clears it (inherit the parent's). */
int cgroup__set_cpus(struct cgroups *c, const char *name, const struct cpumask *m, char *err,
		     size_t errlen);
/* The cgroup.procs path of @name into @buf; NULL when cgroups are disabled. */
const char *cgroup__procs(const struct cgroups *c, const char *name, char *buf, size_t len);
/* Write one pid to name's cgroup.procs (EBUSY retried, ESRCH ignored). */
int cgroup__add_pid(struct cgroups *c, const char *name, int pid);
/* Disable the controllers in name's subtree_control (no-internal-process rule). */
int cgroup__clear_subtree(struct cgroups *c, const char *name);

#endif
