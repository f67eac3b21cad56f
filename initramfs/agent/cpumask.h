/* SPDX-License-Identifier: GPL-2.0 */
/* The agent's CPU bitmap: the plan's CPU lists and cgroup cpuset files. */
#ifndef KTSTR_AGENT_CPUMASK_H
#define KTSTR_AGENT_CPUMASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPUMASK_BITS 256

struct cpumask {
	uint64_t bits[CPUMASK_BITS / 64];
};

static inline void cpumask__set(struct cpumask *m, unsigned cpu)
{
	if (cpu < CPUMASK_BITS)
		m->bits[cpu / 64] |= 1ULL << (cpu % 64);
}

static inline bool cpumask__test(const struct cpumask *m, unsigned cpu)
{
	return cpu < CPUMASK_BITS && (m->bits[cpu / 64] >> (cpu % 64)) & 1;
}

unsigned cpumask__count(const struct cpumask *m);
bool cpumask__empty(const struct cpumask *m);
/* The @n-th set CPU (0-based), or -1. */
int cpumask__nth(const struct cpumask *m, unsigned n);
/*
 * Parse "0-3,6" (a trailing newline is allowed, as in cpuset files; "" is
 * the empty set). Every CPU must be below @limit (<= CPUMASK_BITS).
 * Returns 0 or -EINVAL.
 */
int cpumask__parse(const char *s, unsigned limit, struct cpumask *out);
/* "0-3,6", "" when empty; always NUL-terminated. Returns the needed length. */
size_t cpumask__format(const struct cpumask *m, char *buf, size_t len);

#endif
