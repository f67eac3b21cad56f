/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host mode: the agent on the machine it was started on, for `ktstr run
 * --host` (cmd/run/run_host.c starts it):
 *
 *   ktstr-agent --host --plan FILE --cgroup DIR --results-fd N
 *
 * No mounts, no power-off, no sysctl and no scheduler of its own (the host's
 * runs everything); the plan from FILE, the frames on the inherited fd N,
 * and every cgroup below DIR, a cgroup2 directory ktstr created for this
 * run: the agent moves itself into DIR/agent (a leaf, so DIR may enable
 * controllers), puts the scenario's cgroups in DIR/ktstr-<pid> and parks the
 * tasks of removed ones in DIR/agent. Nothing outside DIR is written.
 */
#ifndef KTSTR_AGENT_HOST_MODE_H
#define KTSTR_AGENT_HOST_MODE_H

#include <stdbool.h>
#include <stddef.h>

#include "cgroup.h"

/* The agent's own leaf below DIR. */
#define HOST_MODE_AGENT_CG "agent"

struct host_mode {
	bool on;			/* --host */
	int results_fd;			/* --results-fd; -1 until given */
	const char *cgroup;		/* --cgroup DIR */
	char park[CGROUP_PATH_MAX];	/* DIR/agent, once entered */
};

#define HOST_MODE_INIT ((struct host_mode){ .results_fd = -1 })

/*
 * Take argv[*i] when it is a host-mode option (advancing *i past its
 * value): 1, 0 when it is not one, -1 with a message for a bad value.
 */
int host_mode__option(struct host_mode *h, int argc, char **argv, int *i);
/* After parsing: --host needs --cgroup and --results-fd, and they need --host. -1 with a message. */
int host_mode__check(const struct host_mode *h);
/* Move this process into DIR/agent (created when missing). 0 or -1 with a message. */
int host_mode__enter(struct host_mode *h);

#endif
