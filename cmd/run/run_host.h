/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktstr run --host: a scenario on this machine's own kernel and scheduler,
 * without a VM. ktstr writes the plan to a temporary file, creates
 * ktstr-host-<pid> under the cgroup v2 tree (host_cgroup.h: locked while
 * the run lives), and starts the agent in host mode there
 * (initramfs/agent/host_mode.h) with PR_SET_PDEATHSIG, reading its frames
 * from a pipe; the frames are judged as a VM run's (run__agent_frames). On
 * every way out what is left in the cgroup is killed and the tree removed;
 * a kill -9 of ktstr leaves at worst an unlocked ktstr-host-*, which the
 * next --host run removes.
 *
 * Runs only what the host can do: a scenario naming a sched_ext scheduler
 * only when the same one (by ops name) is attached, a topology no bigger
 * than the host's, cpusets only with a cpuset controller.
 */
#ifndef KTSTR_RUN_HOST_H
#define KTSTR_RUN_HOST_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "run_opts.h"
#include "run_result.h"
#include "scenario/scenario.h"
#include "topo/topology.h"

struct run_host {
	char root[PATH_MAX];		/* the cgroup2 directory runs go under */
	char subtree[128];		/* its cgroup.subtree_control: what our cgroups get */
	bool cpuset;			/* "cpuset" is in it */
	char ops[64];			/* the attached sched_ext scheduler's ops name; "" EEVDF */
	struct host_capacity cap;
	uint32_t numa_nodes;
	char backend[160];		/* "this host (EEVDF)", for reports */
	const char *agent;
};

/*
 * Check root and cgroup v2 (@cgroup_dir, else $KTSTR_HOST_CGROUP, else the
 * cgroup2 mount in /proc/mounts), read what the host offers, and remove the
 * leftovers of killed runs (saying so on stderr, prefixed by @cmd).
 * Returns 0, or -errno with what to do in @err.
 */
int run_host__open(struct run_host *h, const char *cgroup_dir, const char *agent,
		   const char *cmd, char *err, size_t errlen);

/* @sc on @t asks what this host cannot do: the reason in @why. */
bool run_host__skip_reason(const struct run_host *h, const struct scenario *sc,
			   const struct topology *t, char *why, size_t len);

/* run__variant() on the host, as @h found it. */
int run_host__variant(const struct run_host *h, const struct scenario *sc,
		      const struct topology *t, const struct run_opts *o, struct run_result *res,
		      char *err, size_t errlen);

/*
 * The stream of an agent run without a VM (run_variant.c): @pump calls
 * @feed with every chunk of the agent's frames until they end, and says in
 * @vm how the agent ended (exit, signal, timeout, interrupted); 0 or -errno.
 */
struct run_agent_src {
	int (*pump)(void *arg, void (*feed)(void *fa, const void *data, size_t len), void *fa,
		    struct vm_result *vm);
	void *arg;
	const char *backend;		/* res->backend */
};

/* Collect and judge it as run__variant does a VM's (no monitor, no topology check). */
int run__agent_frames(const struct scenario *sc, const struct topology *t,
		      const struct run_opts *o, const struct run_agent_src *src,
		      struct run_result *res, char *err, size_t errlen);

#endif
