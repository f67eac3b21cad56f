// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's checks over a series of samples (monitor_eval.h). Each check
 * keeps a run of consecutive violating samples; a sample that does not
 * violate, or cannot be judged (flagged by the sampler, no kernel yet, no
 * vCPU time), ends it. A check fails when its longest run reaches the
 * sustained count; its message gives the values where that run reached its
 * length, as the original does.
 */
#include "monitor_eval.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

/* A CPU whose counts or clock cannot be trusted this sample. */
#define CPU_BAD	(MON_CPU_NO_RQ | MON_CPU_TORN)

struct run {
	uint32_t cur;		/* consecutive violating samples up to now */
	uint32_t worst;		/* the longest run so far */
	size_t at;		/* the sample where it reached that length */
};

/* True when sample @at made the longest run longer: record its values. */
static bool run__record(struct run *r, bool violated, size_t at)
{
	if (!violated) {
		r->cur = 0;
		return false;
	}
	if (++r->cur <= r->worst)
		return false;
	r->worst = r->cur;
	r->at = at;
	return true;
}

static bool point_ok(const struct mon_point *p)
{
	return p->s && !(p->s->flags & MON_SAMPLE_NO_KERNEL) && p->s->nr_cpus &&
	       p->s->nr_cpus <= MON_MAX_CPUS;
}

/* CPU @c of @p, or NULL when the sample or the CPU cannot be used. */
static const struct mon_cpu *cpu_of(const struct mon_point *p, uint32_t c)
{
	if (!point_ok(p) || c >= p->s->nr_cpus || (p->s->cpu[c].flags & CPU_BAD))
		return NULL;
	return &p->s->cpu[c];
}

static uint64_t since(const struct mon_point *pts, size_t i)
{
	return pts[i].t_ns > pts[0].t_ns ? pts[i].t_ns - pts[0].t_ns : 0;
}

static double secs(const struct mon_point *pts, size_t i)
{
	return (double)since(pts, i) / 1e9;
}

__attribute__((format(printf, 3, 4)))
static void fail(struct mon_verdict *v, enum mon_check check, const char *fmt, ...)
{
	va_list ap;

	v->passed = false;
	if (v->nr_fail == MON_EVAL_MAX_MSGS) {
		v->nr_fail_dropped++;
		return;
	}
	v->fail_check[v->nr_fail] = check;
	va_start(ap, fmt);
	vsnprintf(v->fail[v->nr_fail++], MON_EVAL_MSG_LEN, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static void note(struct mon_verdict *v, const char *fmt, ...)
{
	va_list ap;

	if (v->nr_note == MON_EVAL_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(v->note[v->nr_note++], MON_EVAL_MSG_LEN, fmt, ap);
	va_end(ap);
}

/*
 * max(nr_running) / max(1, min(nr_running)) over the CPUs of @p, and which
 * CPUs; false when any CPU is unusable (the missing one may be either end).
 */
static bool imbalance(const struct mon_point *p, double *ratio, uint32_t *hi, uint32_t *lo)
{
	if (!point_ok(p))
		return false;
	*hi = *lo = 0;
	for (uint32_t c = 0; c < p->s->nr_cpus; c++) {
		const struct mon_cpu *x = cpu_of(p, c);

		if (!x)
			return false;
		if (x->nr_running > p->s->cpu[*hi].nr_running)
			*hi = c;
		if (x->nr_running < p->s->cpu[*lo].nr_running)
			*lo = c;
	}
	*ratio = (double)p->s->cpu[*hi].nr_running /
		 (p->s->cpu[*lo].nr_running ? p->s->cpu[*lo].nr_running : 1);
	return true;
}

static void summarize(const struct mon_point *pts, size_t n, size_t first,
		      struct mon_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	sum->samples = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	sum->trimmed = (uint32_t)first;
	for (size_t i = first; i < n; i++) {
		const struct mon_point *p = &pts[i];
		uint32_t hi, lo;
		double r;

		if (!point_ok(p))
			continue;
		sum->used++;
		if (p->s->nr_cpus > sum->nr_cpus)
			sum->nr_cpus = p->s->nr_cpus;
		if (imbalance(p, &r, &hi, &lo) && (!sum->has_imbalance || r > sum->max_imbalance)) {
			sum->has_imbalance = true;
			sum->max_imbalance = r;
			sum->max_imbalance_at = i;
			sum->max_imbalance_t_ns = since(pts, i);
		}
		for (uint32_t c = 0; c < p->s->nr_cpus; c++) {
			const struct mon_cpu *x = cpu_of(p, c);
			struct mon_cpu_summary *cs = &sum->cpu[c];

			if (!x) {
				cs->flagged++;
				continue;
			}
			if (!cs->samples++)
				cs->clock_first = x->clock;
			cs->clock_last = x->clock;
			if (x->nr_running > cs->max_nr_running)
				cs->max_nr_running = x->nr_running;
			if (x->scx_nr_running > cs->max_scx_nr_running)
				cs->max_scx_nr_running = x->scx_nr_running;
			if (x->local_dsq_nr > cs->max_local_dsq)
				cs->max_local_dsq = x->local_dsq_nr;
		}
	}
}

/*
 * The validity gate: data no live kernel writes (a local DSQ no CPU could
 * hold, one rq clock value everywhere) is memory not yet initialized, and
 * the run passes with a note. Only values the sampler did not flag count.
 */
static bool plausible(const struct mon_point *pts, size_t n, size_t first, struct mon_verdict *v)
{
	uint64_t clock0 = 0;
	size_t readings = 0;
	bool same = true;

	for (size_t i = first; i < n; i++) {
		for (uint32_t c = 0; point_ok(&pts[i]) && c < pts[i].s->nr_cpus; c++) {
			const struct mon_cpu *x = cpu_of(&pts[i], c);

			if (!x)
				continue;
			if (x->local_dsq_nr > MON_EVAL_DSQ_IMPLAUSIBLE) {
				note(v, "monitor data not yet initialized (local DSQ depth %u on cpu%u "
				     "at sample %zu)", x->local_dsq_nr, c, i);
				return false;
			}
			if (!readings++)
				clock0 = x->clock;
			else if (x->clock != clock0)
				same = false;
		}
	}
	if (!readings) {
		note(v, "monitor data not yet initialized (no usable sample after the first %zu)",
		     first);
		return false;
	}
	if (readings > 1 && same) {
		note(v, "monitor data not yet initialized (every rq clock reads %" PRIu64 ")",
		     clock0);
		return false;
	}
	return true;
}

static void check_imbalance(const struct mon_point *pts, size_t n, size_t first,
			    const struct mon_limits *l, uint32_t sustained, struct mon_verdict *v)
{
	uint32_t hi_c = 0, lo_c = 0, hi_n = 0, lo_n = 0;
	struct run r = { 0 };
	double worst = 0;

	for (size_t i = first; i < n; i++) {
		uint32_t hi, lo;
		double ratio;
		bool ok = imbalance(&pts[i], &ratio, &hi, &lo);

		if (run__record(&r, ok && ratio > l->max_imbalance_ratio, i)) {
			worst = ratio;
			hi_c = hi;
			lo_c = lo;
			hi_n = pts[i].s->cpu[hi].nr_running;
			lo_n = pts[i].s->cpu[lo].nr_running;
		}
	}
	if (r.worst >= sustained)
		fail(v, MON_CHECK_IMBALANCE, "imbalance ratio %.1f exceeded threshold %.1f for %u "
		     "consecutive samples (ending at sample %zu, %.1fs; nr_running %u on cpu%u, "
		     "%u on cpu%u)",
		     worst, l->max_imbalance_ratio, r.worst, r.at, secs(pts, r.at),
		     hi_n, hi_c, lo_n, lo_c);
}

/* One run over the samples: any usable CPU above the limit keeps it going. */
static void check_dsq(const struct mon_point *pts, size_t n, size_t first,
		      const struct mon_limits *l, uint32_t sustained, struct mon_verdict *v)
{
	uint32_t worst = 0, worst_cpu = 0;
	struct run r = { 0 };

	for (size_t i = first; i < n; i++) {
		uint32_t depth = 0, cpu = 0;
		bool over = false;

		for (uint32_t c = 0; point_ok(&pts[i]) && c < pts[i].s->nr_cpus; c++) {
			const struct mon_cpu *x = cpu_of(&pts[i], c);

			if (x && x->local_dsq_nr > l->max_local_dsq_depth && x->local_dsq_nr > depth) {
				over = true;
				depth = x->local_dsq_nr;
				cpu = c;
			}
		}
		if (run__record(&r, over, i)) {
			worst = depth;
			worst_cpu = cpu;
		}
	}
	if (r.worst >= sustained)
		fail(v, MON_CHECK_DSQ, "local DSQ depth %u on cpu%u exceeded threshold %u for %u "
		     "consecutive samples (ending at sample %zu, %.1fs)",
		     worst, worst_cpu, l->max_local_dsq_depth, r.worst, r.at, secs(pts, r.at));
}

static bool vcpu_time(const struct mon_point *p, uint32_t c, uint64_t *ns)
{
	if (!p->vcpu_ns || c >= p->nr_vcpu_ns)
		return false;
	*ns = p->vcpu_ns[c];
	return true;
}

/*
 * Per CPU, an interval between two consecutive samples is a stall when the
 * rq clock stood still at a non-zero value, the CPU was not idle in both
 * (NOHZ stops an idle CPU's tick) and its vCPU thread ran on the host for at
 * least MON_EVAL_PREEMPT_TICKS guest ticks (else the host preempted it).
 * Without the vCPU's host CPU time the interval is not judged.
 */
static void check_stall(const struct mon_point *pts, size_t n, size_t first,
			const struct mon_limits *l, uint32_t sustained, struct mon_verdict *v)
{
	uint64_t ran_min = MON_EVAL_PREEMPT_TICKS * 1000000000ull /
			   (l->hz ? l->hz : MON_EVAL_HZ_DEFAULT);
	uint32_t nr_cpus = 0, intervals = 0, unknown = 0;

	for (size_t i = first; i < n; i++)
		if (point_ok(&pts[i]) && pts[i].s->nr_cpus > nr_cpus)
			nr_cpus = pts[i].s->nr_cpus;
	for (size_t i = first + 1; i < n; i++) {
		if (!point_ok(&pts[i - 1]) || !point_ok(&pts[i]))
			continue;
		intervals++;
		if (!pts[i - 1].vcpu_ns || !pts[i].vcpu_ns)
			unknown++;
	}
	if (unknown == intervals && intervals)
		note(v, "rq clock stalls not judged: the host CPU time of the vCPU threads "
		     "is not known");
	else if (unknown)
		note(v, "rq clock stalls not judged in %u of %u intervals: the host CPU time "
		     "of the vCPU threads is not known", unknown, intervals);

	for (uint32_t c = 0; c < nr_cpus; c++) {
		uint32_t nr = 0;
		uint64_t clock = 0;
		struct run r = { 0 };

		for (size_t i = first + 1; i < n; i++) {
			const struct mon_cpu *a = cpu_of(&pts[i - 1], c), *b = cpu_of(&pts[i], c);
			uint64_t ta, tb;
			bool stalled = a && b && a->clock == b->clock && b->clock &&
				       (a->nr_running || b->nr_running) &&
				       vcpu_time(&pts[i - 1], c, &ta) && vcpu_time(&pts[i], c, &tb) &&
				       tb >= ta && tb - ta >= ran_min;

			if (run__record(&r, stalled, i)) {
				clock = b->clock;
				nr = b->nr_running;
			}
		}
		if (r.worst >= sustained)
			fail(v, MON_CHECK_STALL, "rq_clock stall on cpu%u for %u consecutive samples "
			     "(ending at sample %zu, %.1fs, clock=%" PRIu64 ", nr_running %u)",
			     c, r.worst, r.at, secs(pts, r.at), clock, nr);
	}
}

void mon_eval__defaults(struct mon_limits *l)
{
	*l = (struct mon_limits){
		.imbalance_on = true,
		.max_imbalance_ratio = 4.0,
		.dsq_on = true,
		.max_local_dsq_depth = 50,
		.stall_on = true,
		.sustained = MON_EVAL_SUSTAINED,
		.trim = MON_EVAL_TRIM,
		.hz = MON_EVAL_HZ_DEFAULT,
	};
}

void mon_eval__series(const struct mon_point *pts, size_t n, const struct mon_limits *l,
		      struct mon_verdict *v, struct mon_summary *sum)
{
	uint32_t sustained = l->sustained ? l->sustained : 1;
	size_t first = l->trim < n ? l->trim : n;

	memset(v, 0, sizeof(*v));
	v->passed = true;
	if (sum)
		summarize(pts, n, first, sum);
	if (first == n) {
		note(v, "no monitor samples after the first %u (boot settle)", l->trim);
		return;
	}
	if (!plausible(pts, n, first, v))
		return;
	if (l->imbalance_on)
		check_imbalance(pts, n, first, l, sustained, v);
	if (l->dsq_on)
		check_dsq(pts, n, first, l, sustained, v);
	if (l->stall_on)
		check_stall(pts, n, first, l, sustained, v);
}

void mon_eval__print_summary(FILE *f, const struct mon_summary *sum)
{
	fprintf(f, "%u samples, first %u trimmed, %u used\n", sum->samples, sum->trimmed,
		sum->used);
	if (sum->has_imbalance)
		fprintf(f, "max imbalance %.1f at sample %zu (%.1fs)\n", sum->max_imbalance,
			sum->max_imbalance_at, (double)sum->max_imbalance_t_ns / 1e9);
	if (!sum->nr_cpus)
		return;
	fprintf(f, "  %-7s %7s  %7s  %6s  %7s  %7s  %s\n", "cpu", "samples", "flagged", "max_nr",
		"max_scx", "max_dsq", "clock_progress");
	for (uint32_t c = 0; c < sum->nr_cpus && c < MON_MAX_CPUS; c++) {
		const struct mon_cpu_summary *cs = &sum->cpu[c];

		fprintf(f, "  cpu%-4u %7u  %7u  %6u  %7u  %7u  ", c, cs->samples, cs->flagged,
			cs->max_nr_running, cs->max_scx_nr_running, cs->max_local_dsq);
		if (!cs->samples)
			fprintf(f, "-\n");
		else if (cs->clock_last < cs->clock_first)
			fprintf(f, "went back %.3fs\n",
				(double)(cs->clock_first - cs->clock_last) / 1e9);
		else
			fprintf(f, "%.3fs\n", (double)(cs->clock_last - cs->clock_first) / 1e9);
	}
}
