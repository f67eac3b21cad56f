// SPDX-License-Identifier: GPL-2.0
#include "topology.h"

#include <errno.h>
#include <stdio.h>

#include "base/err.h"

#define TOPO_FMT "%un%ul%uc%ut"
#define TOPO_ARGS(t) (t)->numa_nodes, (t)->llcs, (t)->cores_per_llc, (t)->threads_per_core

/*
 * Parse one decimal field ending in @suffix. Only digits: no sign, no space.
 * Returns 0, -EINVAL on a malformed field, -ERANGE when it does not fit.
 */
static int parse_field(const char **p, char suffix, uint32_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return -ERANGE;
		s++;
	}
	if (*s != suffix)
		return -EINVAL;
	*out = (uint32_t)v;
	*p = s + 1;
	return 0;
}

int topology__parse(const char *s, struct topology *out, char *err, size_t errlen)
{
	static const char suffix[4] = { 'n', 'l', 'c', 't' };
	uint32_t v[4];
	const char *p = s;

	if (!s)
		return err__set(-EINVAL, err, errlen,
				"missing topology: expected NnNlNcNt, e.g. 1n2l4c2t");
	for (int i = 0; i < 4; i++) {
		int ret = parse_field(&p, suffix[i], &v[i]);

		if (ret == -ERANGE)
			return err__set(-EINVAL, err, errlen,
					"bad topology '%s': a number is too large; expected NnNlNcNt, e.g. 1n2l4c2t",
					s);
		if (ret)
			goto bad;
	}
	if (*p)
		goto bad;
	*out = (struct topology){
		.numa_nodes = v[0],
		.llcs = v[1],
		.cores_per_llc = v[2],
		.threads_per_core = v[3],
	};
	return 0;
bad:
	return err__set(-EINVAL, err, errlen,
			"bad topology '%s': expected NnNlNcNt, e.g. 1n2l4c2t", s);
}

/* llcs * cores * threads, or false when it does not fit in 64 bits. */
static bool total_cpus64(const struct topology *t, uint64_t *total)
{
	uint64_t n = (uint64_t)t->llcs * t->cores_per_llc;

	return !__builtin_mul_overflow(n, (uint64_t)t->threads_per_core, total);
}

int topology__validate(const struct topology *t, char *err, size_t errlen)
{
	uint64_t total;

	if (!t->numa_nodes)
		return err__set(-EINVAL, err, errlen, "numa nodes must be > 0");
	if (!t->llcs)
		return err__set(-EINVAL, err, errlen, "llcs must be > 0");
	if (!t->cores_per_llc)
		return err__set(-EINVAL, err, errlen, "cores per llc must be > 0");
	if (!t->threads_per_core)
		return err__set(-EINVAL, err, errlen, "threads per core must be > 0");
	if (t->llcs % t->numa_nodes)
		return err__set(-EINVAL, err, errlen,
				"llcs (%u) must be a multiple of numa nodes (%u)",
				t->llcs, t->numa_nodes);
	if (t->numa_nodes > KTSTR_MAX_NUMA)
		return err__set(-EINVAL, err, errlen, "numa nodes (%u) must be at most %u",
				t->numa_nodes, KTSTR_MAX_NUMA);
	if (!total_cpus64(t, &total))
		return err__set(-EINVAL, err, errlen, "too many CPUs; at most %u are supported",
				KTSTR_MAX_CPUS);
	if (total > KTSTR_MAX_CPUS)
		return err__set(-EINVAL, err, errlen, "%llu CPUs; at most %u are supported",
				(unsigned long long)total, KTSTR_MAX_CPUS);
	return 0;
}

void topology__format(const struct topology *t, char buf[TOPOLOGY_NAME_MAX])
{
	/* Fields past the validated limits get truncated, never overflow. */
	if (snprintf(buf, TOPOLOGY_NAME_MAX, TOPO_FMT, TOPO_ARGS(t)) < 0)
		buf[0] = '\0';
}

uint32_t topology__total_cpus(const struct topology *t)
{
	uint64_t total;

	if (!total_cpus64(t, &total) || total > UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)total;
}

uint32_t topology__cpus_per_llc(const struct topology *t)
{
	uint64_t n = (uint64_t)t->cores_per_llc * t->threads_per_core;

	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

bool topology__has_smt(const struct topology *t)
{
	return t->threads_per_core >= 2;
}

uint32_t topology__llc_node(const struct topology *t, uint32_t llc)
{
	uint32_t per_node = t->numa_nodes ? t->llcs / t->numa_nodes : 0;

	/* Only an invalid topology gets here with no LLC per node. */
	if (!per_node)
		return 0;
	return llc / per_node;
}

struct cpu_pos topology__decompose(const struct topology *t, uint32_t cpu)
{
	uint32_t per_llc = topology__cpus_per_llc(t);
	struct cpu_pos pos = { 0, 0, 0, 0 };

	if (!per_llc)
		return pos;
	pos.llc = cpu / per_llc;
	pos.core = (cpu / t->threads_per_core) % t->cores_per_llc;
	pos.thread = cpu % t->threads_per_core;
	pos.node = topology__llc_node(t, pos.llc);
	return pos;
}

/* Set CPUs [first, first + n), clipped to the bitmap. */
static void set_range(struct cpuset *out, uint64_t first, uint64_t n)
{
	for (uint64_t cpu = first; cpu < first + n && cpu < KTSTR_CPUSET_BITS; cpu++)
		cpuset__set(out, (unsigned)cpu);
}

void topology__all_cpus(const struct topology *t, struct cpuset *out)
{
	cpuset__zero(out);
	set_range(out, 0, topology__total_cpus(t));
}

void topology__usable_cpus(const struct topology *t, struct cpuset *out)
{
	topology__all_cpus(t, out);
	if (cpuset__count(out) > 2)
		cpuset__clear(out, (unsigned)cpuset__last(out));
}

void topology__llc_cpus(const struct topology *t, uint32_t llc, struct cpuset *out)
{
	uint64_t per_llc = topology__cpus_per_llc(t);

	cpuset__zero(out);
	if (llc < t->llcs)
		set_range(out, (uint64_t)llc * per_llc, per_llc);
}

void topology__node_cpus(const struct topology *t, uint32_t node, struct cpuset *out)
{
	uint64_t per_llc = topology__cpus_per_llc(t);
	uint64_t per_node;

	cpuset__zero(out);
	if (node >= t->numa_nodes)
		return;
	per_node = (uint64_t)(t->llcs / t->numa_nodes) * per_llc;
	set_range(out, (uint64_t)node * per_node, per_node);
}
