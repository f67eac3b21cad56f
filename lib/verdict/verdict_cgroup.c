// SPDX-License-Identifier: GPL-2.0
/*
 * The checks on a cgroup's workers as a set (ktstr-scenario(5), CHECKS):
 * fairness spread, throughput CV, p99 wake latency and its CV, migration
 * ratio, NUMA page locality and cross-node migrations; and the statistics
 * they rest on.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "verdict_int.h"

/* Whether report @r belongs to the cgroup of @st. */
static bool in_cgroup(const struct ktstr_msg_worker_report *r, const struct cgroup_stats *st)
{
	return !strncmp(r->cgroup, st->name, KTSTR_NAME_MAX - 1);
}

/* Which workers of a cgroup a check compares with each other. */
typedef bool (*peer_fn)(const struct checks *c, const struct ktstr_msg_worker_report *r,
			const struct cgroup_stats *st);

/* A worker the spread compares: checked, and it lived (verdict__long_lived). */
static bool spread_peer(const struct checks *c, const struct ktstr_msg_worker_report *r,
			const struct cgroup_stats *st)
{
	return in_cgroup(r, st) && verdict__checked(r) && r->wall_time_ns &&
	       verdict__long_lived(c, r);
}

/* A worker whose iteration rate is compared: checked. */
static bool rate_peer(const struct checks *c, const struct ktstr_msg_worker_report *r,
		      const struct cgroup_stats *st)
{
	(void)c;
	return in_cgroup(r, st) && verdict__checked(r);
}

/* Worker @j is a peer (@is_peer) of the same work type as worker @i. */
static bool same_type_peer(const struct verdict_input *in, const struct cgroup_stats *st,
			   peer_fn is_peer, size_t i, size_t j)
{
	const struct ktstr_msg_worker_report *r = &in->workers[j].r;

	return is_peer(in->checks, r, st) && r->work_type == in->workers[i].r.work_type;
}

/*
 * Peers are compared within one work type, and each type once, at its first
 * worker: whether worker @i is a peer and the first of its type.
 */
static bool first_of_type(const struct verdict_input *in, const struct cgroup_stats *st,
			  peer_fn is_peer, size_t i)
{
	if (!is_peer(in->checks, &in->workers[i].r, st))
		return false;
	for (size_t j = 0; j < i; j++)
		if (same_type_peer(in, st, is_peer, i, j))
			return false;
	return true;
}

/*
 * Off-CPU share spread: max - min of off_cpu/wall among peers, the workers of
 * one work type that lived at least the stuck threshold; the cgroup's is its
 * worst type's. A pipe-io worker is off-CPU by design next to a spinner (a
 * cgroup that got both through move_all_tasks failed at 55-58% when they were
 * compared), and a churned worker's few milliseconds say nothing.
 */
static void check_spread(const struct verdict_input *in, struct cgroup_stats *st,
			 struct verdict *v)
{
	unsigned samples = 0;
	double lim;

	for (size_t i = 0; i < in->nworkers; i++) {
		double lo = 100, hi = 0;
		unsigned n = 0;

		if (!first_of_type(in, st, spread_peer, i))
			continue;
		for (size_t j = i; j < in->nworkers; j++) {
			const struct ktstr_msg_worker_report *r = &in->workers[j].r;
			double off;

			if (!same_type_peer(in, st, spread_peer, i, j))
				continue;
			off = (double)r->off_cpu_ns / (double)r->wall_time_ns * 100.0;
			lo = off < lo ? off : lo;
			hi = off > hi ? off : hi;
			n++;
		}
		if (n < 2 || (samples && hi - lo <= st->spread_pct))
			continue;
		st->spread_pct = hi - lo;
		st->min_off_pct = lo;
		st->max_off_pct = hi;
		samples = n;
	}
	if (!samples) {
		st->min_off_pct = st->max_off_pct;
		return;
	}
	if (verdict__limit(in->checks, CHECK_MAX_SPREAD, &lim) && st->spread_pct > lim)
		verdict__check_fail(v, in->checks, CHECK_MAX_SPREAD,
				    "unfair cgroup %s: spread=%.0f%% (%.0f-%.0f%%) %u workers on "
				    "%u cpus (threshold %.0f%%)", verdict__cg_name(st),
				    st->spread_pct, st->min_off_pct, st->max_off_pct, samples,
				    st->cpus, lim);
}

/* Population mean and coefficient of variation (stddev / mean; 0 when the mean is 0). */
static void mean_cv(const double *x, size_t n, double *mean, double *cv)
{
	double sum = 0, var = 0;

	for (size_t i = 0; i < n; i++)
		sum += x[i];
	*mean = n ? sum / (double)n : 0;
	for (size_t i = 0; i < n; i++)
		var += (x[i] - *mean) * (x[i] - *mean);
	*cv = n && *mean > 0 ? sqrt(var / (double)n) / *mean : 0;
}

/* Work units per CPU-second of every checked worker with CPU time: CV across them. */
static int check_throughput(const struct verdict_input *in, struct cgroup_stats *st,
			    struct verdict *v)
{
	double *rate = malloc((st->checked ? st->checked : 1) * sizeof(*rate)), lim;
	size_t n = 0;

	if (!rate)
		return -ENOMEM;
	for (size_t i = 0; i < in->nworkers && n < st->checked; i++) {
		const struct ktstr_msg_worker_report *r = &in->workers[i].r;

		if (in_cgroup(r, st) && verdict__checked(r) && r->cpu_time_ns)
			rate[n++] = (double)r->work_units / ((double)r->cpu_time_ns / 1e9);
	}
	mean_cv(rate, n, &st->mean_work_rate, &st->throughput_cv);
	free(rate);
	st->has_throughput = n >= 2 && st->mean_work_rate > 0;
	if (st->has_throughput && verdict__limit(in->checks, CHECK_MAX_THROUGHPUT_CV, &lim) &&
	    st->throughput_cv > lim)
		verdict__check_fail(v, in->checks, CHECK_MAX_THROUGHPUT_CV,
				    "cgroup %s: throughput CV %.3f exceeds limit %.3f "
				    "(mean=%.0f work/cpu_s)", verdict__cg_name(st),
				    st->throughput_cv, lim, st->mean_work_rate);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The pooled wake-latency samples of the cgroup's checked workers. */
static int check_wake_latency(const struct verdict_input *in, struct cgroup_stats *st,
			      struct verdict *v)
{
	uint64_t *all, p99, n = 0;
	double sum = 0, var = 0, lim;

	for (size_t i = 0; i < in->nworkers; i++)
		if (in_cgroup(&in->workers[i].r, st) && verdict__checked(&in->workers[i].r) &&
		    in->workers[i].latencies)
			n += in->workers[i].r.nlatencies;
	if (!n)
		return 0;	/* no blocking work: nothing to check */
	all = malloc(n * sizeof(*all));
	if (!all)
		return -ENOMEM;
	n = 0;
	for (size_t i = 0; i < in->nworkers; i++) {
		const struct worker_result *w = &in->workers[i];

		if (in_cgroup(&w->r, st) && verdict__checked(&w->r) && w->latencies) {
			memcpy(all + n, w->latencies, w->r.nlatencies * sizeof(*all));
			n += w->r.nlatencies;
		}
	}
	qsort(all, n, sizeof(*all), cmp_u64);
	p99 = all[(size_t)ceil((double)n * 0.99) - 1];
	for (size_t i = 0; i < n; i++)
		sum += (double)all[i];
	st->mean_wake_ns = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		var += ((double)all[i] - st->mean_wake_ns) * ((double)all[i] - st->mean_wake_ns);
	st->wake_cv = st->mean_wake_ns > 0 ? sqrt(var / (double)n) / st->mean_wake_ns : 0;
	st->wake_samples = n;
	st->p99_wake_us = (double)p99 / 1e3;
	st->median_wake_us = (double)all[n / 2] / 1e3;
	st->tail_ratio = all[n / 2] ? (double)p99 / (double)all[n / 2] : 0;
	free(all);

	if (verdict__limit(in->checks, CHECK_MAX_P99_WAKE_LATENCY, &lim) && (double)p99 > lim)
		verdict__check_fail(v, in->checks, CHECK_MAX_P99_WAKE_LATENCY,
				    "cgroup %s: p99 wake latency %lluns exceeds limit %.0fns "
				    "(%llu samples)", verdict__cg_name(st),
				    (unsigned long long)p99, lim, (unsigned long long)n);
	if (verdict__limit(in->checks, CHECK_MAX_WAKE_LATENCY_CV, &lim) && st->wake_cv > lim)
		verdict__check_fail(v, in->checks, CHECK_MAX_WAKE_LATENCY_CV,
				    "cgroup %s: wake latency CV %.3f exceeds limit %.3f "
				    "(mean=%.0fns)", verdict__cg_name(st), st->wake_cv, lim,
				    st->mean_wake_ns);
	return 0;
}

static void check_migrations(const struct verdict_input *in, struct cgroup_stats *st,
			     struct verdict *v)
{
	double lim;

	if (st->workers)
		st->iterations_per_worker = (double)st->iterations / st->workers;
	if (!st->iterations)
		return;
	st->migration_ratio = (double)st->migrations / (double)st->iterations;
	if (verdict__limit(in->checks, CHECK_MAX_MIGRATION_RATIO, &lim) &&
	    st->migration_ratio > lim)
		verdict__check_fail(v, in->checks, CHECK_MAX_MIGRATION_RATIO,
				    "cgroup %s: migration ratio %.4f exceeds threshold %.4f "
				    "(%llu migrations / %llu iterations)", verdict__cg_name(st),
				    st->migration_ratio, lim, (unsigned long long)st->migrations,
				    (unsigned long long)st->iterations);
}

/* Mean and worst schedstat run delay of the checked workers, in us. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Iterations per wall second; 0 without wall time. */
static double iter_rate(const struct ktstr_msg_worker_report *r)
{
	return r->wall_time_ns ? (double)r->iterations / ((double)r->wall_time_ns / 1e9) : 0;
}

/*
 * The slowest worker against its peers (same cgroup, same work type): its
 * iteration rate as a percentage of their median. Under TCG a low one says
 * the guest did not keep every vCPU going; on hardware, the scheduler did not.
 */
static int slowest_worker(const struct verdict_input *in, struct cgroup_stats *st)
{
	double *rates = calloc(in->nworkers ? in->nworkers : 1, sizeof(*rates));

	if (!rates)
		return -ENOMEM;
	for (size_t i = 0; i < in->nworkers; i++) {
		size_t n = 0;

		if (!first_of_type(in, st, rate_peer, i))
			continue;
		for (size_t j = i; j < in->nworkers; j++)
			if (same_type_peer(in, st, rate_peer, i, j))
				rates[n++] = iter_rate(&in->workers[j].r);
		if (n < 2)
			continue;
		qsort(rates, n, sizeof(*rates), cmp_double);
		double median = n % 2 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
		double pct = median > 0 ? rates[0] / median * 100.0 : 100.0;

		if (!st->has_peers || pct < st->slowest_rate_pct) {
			st->has_peers = true;
			st->slowest_rate_pct = pct;
			for (size_t j = i; j < in->nworkers; j++) {
				const struct ktstr_msg_worker_report *r = &in->workers[j].r;

				if (same_type_peer(in, st, rate_peer, i, j) &&
				    iter_rate(r) == rates[0]) {
					st->slowest_pid = r->pid;
					break;
				}
			}
		}
	}
	free(rates);
	return 0;
}

static void run_delay(const struct verdict_input *in, struct cgroup_stats *st)
{
	double sum = 0;

	for (size_t i = 0; i < in->nworkers; i++) {
		const struct ktstr_msg_worker_report *r = &in->workers[i].r;
		double us = (double)r->schedstat_run_delay_ns / 1e3;

		if (!in_cgroup(r, st) || !verdict__checked(r))
			continue;
		sum += us;
		if (us > st->worst_run_delay_us)
			st->worst_run_delay_us = us;
	}
	if (st->checked)
		st->mean_run_delay_us = sum / st->checked;
}

/*
 * The nodes a cgroup's pages should be on: those of its cpuset's CPUs; every
 * node of the topology when it is unconstrained (or there is no topology).
 */
static void expected_nodes(const struct topology *t, const struct cgroup_allowed *allowed,
			   struct cpuset *nodes)
{
	uint32_t nnodes = t ? t->numa_nodes : 1;

	cpuset__zero(nodes);
	if (!t || !allowed || !allowed->constrained) {
		for (uint32_t n = 0; n < nnodes && n < KTSTR_REPORT_MAX_NODES; n++)
			cpuset__set(nodes, n);
		return;
	}
	for (uint32_t cpu = 0; cpu < topology__total_cpus(t); cpu++)
		if (cpuset__test(&allowed->cpus, cpu))
			cpuset__set(nodes, topology__decompose(t, cpu).node);
}

/*
 * Page locality = pages on the expected nodes / all pages (numa_maps of the
 * checked workers); cross-node migration ratio = the system's
 * numa_pages_migrated over the run (the largest of the workers' deltas: each
 * is the whole system's count over that worker's life) / all pages.
 */
static void check_numa(const struct verdict_input *in, const struct cgroup_allowed *allowed,
		       struct cgroup_stats *st, struct verdict *v)
{
	char nodes_s[64];
	double lim;

	expected_nodes(in->topo, allowed, &st->nodes);
	st->page_locality = 1.0;
	for (size_t i = 0; i < in->nworkers; i++) {
		const struct ktstr_msg_worker_report *r = &in->workers[i].r;

		if (!in_cgroup(r, st) || !verdict__checked(r))
			continue;
		for (unsigned n = 0; n < KTSTR_REPORT_MAX_NODES; n++) {
			st->pages += r->numa_pages[n];
			if (cpuset__test(&st->nodes, n))
				st->local_pages += r->numa_pages[n];
		}
		if (r->vmstat_numa_pages_migrated > st->pages_migrated)
			st->pages_migrated = r->vmstat_numa_pages_migrated;
	}
	if (!st->pages)
		return;		/* vacuously local, nothing migrated */
	st->page_locality = (double)st->local_pages / (double)st->pages;
	st->cross_node_ratio = (double)st->pages_migrated / (double)st->pages;
	cpuset__format(&st->nodes, nodes_s, sizeof(nodes_s));
	if (verdict__limit(in->checks, CHECK_MIN_PAGE_LOCALITY, &lim) && st->page_locality < lim)
		verdict__check_fail(v, in->checks, CHECK_MIN_PAGE_LOCALITY,
				    "cgroup %s: page locality %.3f below floor %.3f (%llu of %llu "
				    "pages on node%s %s)", verdict__cg_name(st), st->page_locality,
				    lim, (unsigned long long)st->local_pages,
				    (unsigned long long)st->pages,
				    cpuset__count(&st->nodes) == 1 ? "" : "s", nodes_s);
	if (verdict__limit(in->checks, CHECK_MAX_CROSS_NODE_MIGRATION_RATIO, &lim) &&
	    st->cross_node_ratio > lim)
		verdict__check_fail(v, in->checks, CHECK_MAX_CROSS_NODE_MIGRATION_RATIO,
				    "cgroup %s: cross-node migration ratio %.4f exceeds threshold "
				    "%.4f (%llu pages migrated / %llu pages)", verdict__cg_name(st),
				    st->cross_node_ratio, lim, (unsigned long long)st->pages_migrated,
				    (unsigned long long)st->pages);
}

int verdict__check_cgroup(const struct verdict_input *in, const struct cgroup_allowed *allowed,
			  struct cgroup_stats *st, struct verdict *v)
{
	int ret;

	check_spread(in, st, v);
	ret = check_throughput(in, st, v);
	if (!ret)
		ret = check_wake_latency(in, st, v);
	if (ret)
		return ret;
	check_migrations(in, st, v);
	ret = slowest_worker(in, st);
	if (ret)
		return ret;
	run_delay(in, st);
	check_numa(in, allowed, st, v);
	return 0;
}
