// SPDX-License-Identifier: GPL-2.0
/*
 * Affinity kinds resolved to a CPU mask for one worker (ktstr-scenario(5),
 * CGROUPS, Group settings: affinity):
 * pool = the cgroup's cpuset if any, else all CPUs the caller may use.
 */
#include "work_int.h"

#include <sched.h>
#include <string.h>
#include <unistd.h>

static void mask_set(struct work_cpumask *m, unsigned cpu)
{
	if (cpu < WORK_MAX_CPUS)
		m->bits[cpu / 64] |= 1ull << (cpu % 64);
}

static int mask_test(const struct work_cpumask *m, unsigned cpu)
{
	return cpu < WORK_MAX_CPUS && (m->bits[cpu / 64] >> (cpu % 64) & 1);
}

static unsigned mask_weight(const struct work_cpumask *m)
{
	unsigned n = 0;

	for (unsigned i = 0; i < WORK_MAX_CPUS / 64; i++)
		n += (unsigned)__builtin_popcountll(m->bits[i]);
	return n;
}

static void all_cpus(struct work_cpumask *m)
{
	cpu_set_t cs;

	memset(m, 0, sizeof(*m));
	if (sched_getaffinity(0, sizeof(cs), &cs)) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		for (long c = 0; c < n; c++)
			mask_set(m, (unsigned)c);
		return;
	}
	for (unsigned c = 0; c < WORK_MAX_CPUS && c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &cs))
			mask_set(m, c);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

int work_affinity__resolve(const struct work_affinity *a, uint64_t seed, struct work_cpumask *out)
{
	struct work_cpumask pool;
	unsigned n;

	if (a->kind == WORK_AFF_INHERIT)
		return -1;
	if (a->pool && mask_weight(a->pool))
		pool = *a->pool;
	else
		all_cpus(&pool);
	n = mask_weight(&pool);
	memset(out, 0, sizeof(*out));

	switch (a->kind) {
	case WORK_AFF_RANDOM_SUBSET: {
		unsigned want = n / 2 ? n / 2 : 1, have = 0;
		uint64_t s = seed | 1;

		/* Partial Fisher-Yates over the pool's CPUs. */
		unsigned cpus[WORK_MAX_CPUS], k = 0;
		for (unsigned c = 0; c < WORK_MAX_CPUS; c++)
			if (mask_test(&pool, c))
				cpus[k++] = c;
		for (; have < want && have < k; have++) {
			unsigned j = have + (unsigned)(xorshift(&s) % (k - have));
			unsigned t = cpus[have];

			cpus[have] = cpus[j];
			cpus[j] = t;
			mask_set(out, cpus[have]);
		}
		return have ? 0 : -1;
	}
	case WORK_AFF_LLC_ALIGNED: {
		/* The LLC with the most CPUs in the pool, restricted to the pool. */
		int best = -1;
		unsigned best_n = 0;

		if (!a->cpu_llc)
			return -1;
		for (unsigned c = 0; c < WORK_MAX_CPUS; c++) {
			int llc = a->cpu_llc[c];
			unsigned cnt = 0;

			if (llc < 0 || !mask_test(&pool, c) || llc == best)
				continue;
			for (unsigned d = 0; d < WORK_MAX_CPUS; d++)
				cnt += a->cpu_llc[d] == llc && mask_test(&pool, d);
			if (cnt > best_n) {
				best_n = cnt;
				best = llc;
			}
		}
		if (best < 0)
			return -1;
		for (unsigned c = 0; c < WORK_MAX_CPUS; c++)
			if (a->cpu_llc[c] == best && mask_test(&pool, c))
				mask_set(out, c);
		return 0;
	}
	case WORK_AFF_CROSS_CGROUP: {
		long nc = sysconf(_SC_NPROCESSORS_CONF);

		for (long c = 0; c < nc; c++)
			mask_set(out, (unsigned)c);
		return nc > 0 ? 0 : -1;
	}
	case WORK_AFF_SINGLE_CPU:
		for (unsigned c = 0; c < WORK_MAX_CPUS; c++)
			if (mask_test(&pool, c)) {
				mask_set(out, c);
				return 0;
			}
		return -1;
	case WORK_AFF_CPUS:
		*out = a->cpus;
		if (a->pool && mask_weight(a->pool)) {
			for (unsigned i = 0; i < WORK_MAX_CPUS / 64; i++)
				out->bits[i] &= a->pool->bits[i];
			if (!mask_weight(out))
				return -1;
		}
		return mask_weight(out) ? 0 : -1;
	case WORK_AFF_INHERIT:
		break;
	}
	return -1;
}

int work_affinity__apply(pid_t pid, const struct work_cpumask *m)
{
	cpu_set_t cs;

	CPU_ZERO(&cs);
	for (unsigned c = 0; c < WORK_MAX_CPUS && c < CPU_SETSIZE; c++)
		if (mask_test(m, c))
			CPU_SET(c, &cs);
	return sched_setaffinity(pid, sizeof(cs), &cs) ? -1 : 0;
}
