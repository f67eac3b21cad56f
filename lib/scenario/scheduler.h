/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduler definitions and their flag profiles.
 *
 * A scheduler declares flags (name, extra arguments, flags it requires). A
 * profile is one valid combination of flags; the gauntlet runs every
 * scenario under every profile its scheduler and the scenario allow.
 */
#ifndef KTSTR_SCHEDULER_H
#define KTSTR_SCHEDULER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verdict/checks.h"
#include "base/diag.h"
#include "topo/topology.h"

#define SCHED_MAX_FLAGS 16	/* 2^16 subsets at most */

struct sched_flag {
	const char *name;		/* kebab-case */
	const char **args;		/* extra scheduler arguments */
	size_t nargs;
	const char **requires;		/* names of flags this one needs */
	size_t nrequires;
	struct src_loc loc;
};

struct sysctl_kv {
	const char *key, *value;
};

/* Topology dimensions given by a definition; unset ones are 0. */
struct topology_partial {
	uint32_t numa_nodes, llcs, cores_per_llc, threads_per_core;
	const char *preset;		/* when given as a preset name */
};

struct sched_def {
	const char *name;
	bool eevdf;			/* the kernel's own scheduler: no binary */
	const char *binary;		/* path or name to discover */
	const char **args;
	size_t nargs;
	struct sched_flag *flags;
	size_t nflags;
	struct sysctl_kv *sysctls;
	size_t nsysctls;
	const char **kernel_args;
	size_t nkernel_args;
	struct topology_partial topology;
	struct checks checks;
	/*
	 * The sched_ext watchdog timeout (ops.timeout_ms; the kernel's default
	 * is 30 s): 0 = the scheduler's own. Passed as watchdog_arg with
	 * "{ms}" replaced by the milliseconds, e.g. "--timeout-ms={ms}".
	 */
	uint64_t watchdog_timeout_ns;
	const char *watchdog_arg;
	/*
	 * `flags: from-binary`: the flags are the JSON array the binary prints
	 * with --list-flags ([{name, args, requires}]), learned when the
	 * scenario set is validated (scenario_set.learn_flags).
	 */
	bool flags_from_binary;
	bool flags_learned;
	/*
	 * from-binary, and validation was not allowed to run the binary (the
	 * set's learn_flags NULL: check, list): its flags are unknown, so the
	 * scenarios' flag names go unchecked and only the default profile is
	 * expanded.
	 */
	bool flags_unknown;
	struct src_loc loc;
};

/* watchdog_arg with "{ms}" replaced; malloc'd, NULL without a timeout or on OOM. */
char *sched_def__watchdog_arg(const struct sched_def *d);
/* The same for @timeout_ns instead of the definition's own (a scenario's override). */
char *sched_def__watchdog_arg_for(const struct sched_def *d, uint64_t timeout_ns);

/* The built-in flags (llc, borrow, steal requires llc, rebal,
 * reject-pin, no-ctrl), which a definition may list by bare name. */
const struct sched_flag *sched_flags__builtin(size_t *n);
const struct sched_flag *sched_flags__builtin_find(const char *name);

/* The implicit definition of `scheduler: eevdf` (no flags, one profile). */
const struct sched_def *sched_def__eevdf(void);

/* Index of the flag named @name in @d, or -1. */
int sched_def__flag_index(const struct sched_def *d, const char *name);

/* A profile is a bitmask over the definition's flags, in declaration order. */
typedef uint32_t flag_mask;

/*
 * Every valid profile (ktstr-scenario(5), SCHEDULERS): optional = all - required -
 * excluded; for each subset of optional, flags = required | subset, kept iff
 * every flag's requirements are in it. Ordered by subset mask, ascending.
 * @required and @excluded are masks over @d's flags. Returns the number of
 * profiles written to @out (at most @max; pass out=NULL to count), or
 * -EINVAL when required and excluded overlap.
 */
long sched_profiles__expand(const struct sched_def *d, flag_mask required, flag_mask excluded,
			    flag_mask *out, size_t max);
/* "llc+steal" (declaration order) or "default" for the empty profile. */
void sched_profile__name(const struct sched_def *d, flag_mask m, char *buf, size_t len);

#endif
