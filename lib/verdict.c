// SPDX-License-Identifier: GPL-2.0
/* Worker checks and per-cgroup statistics (catalog 3.2 and 3.4). */
#include "verdict.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

const char *threshold_profile__name(enum threshold_profile p)
{
	return p == THRESHOLDS_TCG ? "tcg" : "default";
}

int threshold_profile__parse(const char *name, enum threshold_profile *out)
{
	if (!strcmp(name, "default"))
		*out = THRESHOLDS_DEFAULT;
	else if (!strcmp(name, "tcg"))
		*out = THRESHOLDS_TCG;
	else
		return -EINVAL;
	return 0;
}

static void set(struct checks *c, enum check_id id, double v)
{
	c->t[id].state = TH_SET;
	c->t[id].value = v;
}

void checks__defaults(enum threshold_profile p, struct checks *out)
{
	memset(out, 0, sizeof(*out));
	set(out, CHECK_NOT_STARVED, 1);
	if (p == THRESHOLDS_TCG) {
		/*
		 * Under TCG every vCPU is a host thread; with more vCPUs than
		 * host cores a vCPU can sit descheduled for seconds and guest
		 * time drifts, so gaps and off-CPU shares are noisier.
		 */
		set(out, CHECK_MAX_GAP, 5000);
		set(out, CHECK_MAX_SPREAD, 50);
	} else {
		set(out, CHECK_MAX_GAP, 2000);
		set(out, CHECK_MAX_SPREAD, 15);
	}
	/* Host-side monitor defaults (catalog 3.3), evaluated only for sched_ext. */
	set(out, CHECK_MAX_IMBALANCE_RATIO, 4.0);
	set(out, CHECK_MAX_LOCAL_DSQ_DEPTH, 50);
	set(out, CHECK_FAIL_ON_STALL, 1);
}

void verdict__fail(struct verdict *v, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	v->passed = false;
	if (v->nreasons >= VERDICT_MAX_REASONS) {
		v->dropped_reasons++;
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg)
		v->reasons[v->nreasons++] = msg;
	else
		v->dropped_reasons++;
}

static bool enabled(const struct checks *c, enum check_id id)
{
	return c->t[id].state == TH_SET && c->t[id].value != 0;
}

static struct cgroup_stats *stats_for(struct verdict *v, const char *name)
{
	for (size_t i = 0; i < v->ncgroups; i++)
		if (!strncmp(v->cgroups[i].name, name, KTSTR_NAME_MAX))
			return &v->cgroups[i];

	struct cgroup_stats *p = realloc(v->cgroups, (v->ncgroups + 1) * sizeof(*p));

	if (!p)
		return NULL;
	v->cgroups = p;
	p = &v->cgroups[v->ncgroups++];
	memset(p, 0, sizeof(*p));
	memcpy(p->name, name, strnlen(name, KTSTR_NAME_MAX - 1));
	p->min_off_pct = 100;
	return p;
}

static const struct cgroup_allowed *allowed_for(const struct cgroup_allowed *a, size_t n,
						const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(a[i].cgroup, name, KTSTR_NAME_MAX))
			return &a[i];
	return NULL;
}

static void cpus_of(const struct ktstr_msg_worker_report *r, struct cpuset *out)
{
	cpuset__zero(out);
	for (unsigned cpu = 0; cpu < KTSTR_MAX_CPUS_WIRE; cpu++)
		if (r->cpus_used[cpu / 64] & (1ULL << (cpu % 64)))
			cpuset__set(out, cpu);
}

static const char *exit_text(const struct ktstr_msg_worker_report *r, char *buf, size_t len)
{
	switch (r->exit_kind) {
	case KTSTR_WORKER_EXITED:
		snprintf(buf, len, "exited with status %d before it was stopped", r->exit_value);
		break;
	case KTSTR_WORKER_SIGNALED:
		snprintf(buf, len, "was killed by signal %d", r->exit_value);
		break;
	case KTSTR_WORKER_TIMED_OUT:
		snprintf(buf, len, "sent no report by the stop deadline and was killed");
		break;
	default:
		snprintf(buf, len, "was lost (exit kind %u)", r->exit_kind);
	}
	return buf;
}

/* Checks on one worker; accumulates its cgroup's statistics. */
static void check_worker(const struct checks *c, const struct worker_result *w,
			 const struct cgroup_allowed *allowed, struct cgroup_stats *st,
			 struct cpuset *cg_cpus, struct verdict *v)
{
	const struct ktstr_msg_worker_report *r = &w->r;
	bool is_exec = r->flags & KTSTR_REPORT_F_EXEC;
	struct cpuset used;
	char buf[128];

	cpus_of(r, &used);
	cpuset__or(cg_cpus, cg_cpus, &used);
	st->workers++;
	st->migrations += r->migration_count;
	st->iterations += r->iterations;

	if (r->exit_kind != KTSTR_WORKER_COMPLETED && !is_exec) {
		verdict__fail(v, "tid %d in %s %s", r->pid, st->name, exit_text(r, buf, sizeof(buf)));
		return;
	}
	if (is_exec)
		return;
	if (enabled(c, CHECK_NOT_STARVED) && r->work_units == 0)
		verdict__fail(v, "tid %d starved (0 work units)", r->pid);

	uint64_t gap_ms = r->max_gap_ns / NSEC_PER_MSEC;

	if (gap_ms > st->max_gap_ms) {
		st->max_gap_ms = gap_ms;
		st->max_gap_cpu = r->max_gap_cpu;
	}
	if (c->t[CHECK_MAX_GAP].state == TH_SET && (double)gap_ms > c->t[CHECK_MAX_GAP].value)
		verdict__fail(v, "stuck %llums on cpu%u at +%llums (threshold %.0fms)",
			      (unsigned long long)gap_ms, r->max_gap_cpu,
			      (unsigned long long)(r->max_gap_at_ns / NSEC_PER_MSEC),
			      c->t[CHECK_MAX_GAP].value);

	if (enabled(c, CHECK_ISOLATION) && allowed && allowed->constrained) {
		struct cpuset bad;

		cpuset__andnot(&bad, &used, &allowed->cpus);
		if (!cpuset__empty(&bad)) {
			char bad_s[256], ok_s[256];

			cpuset__format(&bad, bad_s, sizeof(bad_s));
			cpuset__format(&allowed->cpus, ok_s, sizeof(ok_s));
			verdict__fail(v, "tid %d ran on unexpected CPUs %s (cgroup %s allows %s)",
				      r->pid, bad_s, st->name, ok_s);
		}
	}
}

/* Off-CPU share spread of one cgroup (only workers that ran and completed). */
static void check_spread(const struct checks *c, const struct worker_result *w, size_t n,
			 struct cgroup_stats *st, struct verdict *v)
{
	unsigned samples = 0;

	for (size_t i = 0; i < n; i++) {
		const struct ktstr_msg_worker_report *r = &w[i].r;

		if (strncmp(r->cgroup, st->name, KTSTR_NAME_MAX) || !r->wall_time_ns ||
		    r->exit_kind != KTSTR_WORKER_COMPLETED || (r->flags & KTSTR_REPORT_F_EXEC))
			continue;
		double off = (double)r->off_cpu_ns / (double)r->wall_time_ns * 100.0;

		if (off < st->min_off_pct)
			st->min_off_pct = off;
		if (off > st->max_off_pct)
			st->max_off_pct = off;
		samples++;
	}
	if (samples < 2) {
		st->min_off_pct = st->max_off_pct;
		return;
	}
	st->spread_pct = st->max_off_pct - st->min_off_pct;
	if (c->t[CHECK_MAX_SPREAD].state == TH_SET &&
	    st->spread_pct > c->t[CHECK_MAX_SPREAD].value)
		verdict__fail(v, "unfair cgroup %s: spread=%.0f%% (%.0f-%.0f%%) %u workers on %u cpus "
			      "(threshold %.0f%%)", st->name, st->spread_pct, st->min_off_pct,
			      st->max_off_pct, samples, st->cpus, c->t[CHECK_MAX_SPREAD].value);
}

int verdict__evaluate(const struct checks *c, const struct worker_result *w, size_t n,
		      const struct cgroup_allowed *allowed, size_t nallowed, struct verdict *out)
{
	struct cpuset all_cpus, *cg_cpus;

	memset(out, 0, sizeof(*out));
	out->passed = true;
	cpuset__zero(&all_cpus);
	/* Group by cgroup in first-seen order. */
	for (size_t i = 0; i < n; i++) {
		char name[KTSTR_NAME_MAX];

		memcpy(name, w[i].r.cgroup, KTSTR_NAME_MAX);
		name[KTSTR_NAME_MAX - 1] = '\0';	/* untrusted: may lack its NUL */
		if (!stats_for(out, name))
			return -ENOMEM;
	}
	cg_cpus = calloc(out->ncgroups ? out->ncgroups : 1, sizeof(*cg_cpus));
	if (!cg_cpus)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char name[KTSTR_NAME_MAX];
		struct cgroup_stats *st;

		memcpy(name, w[i].r.cgroup, KTSTR_NAME_MAX);
		name[KTSTR_NAME_MAX - 1] = '\0';
		st = stats_for(out, name);
		check_worker(c, &w[i], allowed_for(allowed, nallowed, name), st,
			     &cg_cpus[st - out->cgroups], out);
	}
	for (size_t i = 0; i < out->ncgroups; i++) {
		struct cgroup_stats *st = &out->cgroups[i];

		st->cpus = cpuset__count(&cg_cpus[i]);
		cpuset__or(&all_cpus, &all_cpus, &cg_cpus[i]);
		check_spread(c, w, n, st, out);
		out->workers += st->workers;
		out->migrations += st->migrations;
		if (st->spread_pct > out->worst_spread_pct)
			out->worst_spread_pct = st->spread_pct;
		if (st->max_gap_ms > out->worst_gap_ms)
			out->worst_gap_ms = st->max_gap_ms;
	}
	out->cpus = cpuset__count(&all_cpus);
	free(cg_cpus);
	return 0;
}

void verdict__print_stats(const struct verdict *v, FILE *out)
{
	fprintf(out, "%u workers, %u cpus, %llu migrations, worst_spread=%.1f%%, worst_gap=%llums\n",
		v->workers, v->cpus, (unsigned long long)v->migrations, v->worst_spread_pct,
		(unsigned long long)v->worst_gap_ms);
	for (size_t i = 0; i < v->ncgroups; i++) {
		const struct cgroup_stats *st = &v->cgroups[i];

		fprintf(out, "  %s: workers=%u cpus=%u spread=%.1f%% gap=%llums migrations=%llu "
			"iter=%llu\n", st->name[0] ? st->name : "(root)", st->workers, st->cpus,
			st->spread_pct, (unsigned long long)st->max_gap_ms,
			(unsigned long long)st->migrations, (unsigned long long)st->iterations);
	}
}

void verdict__free(struct verdict *v)
{
	for (size_t i = 0; i < v->nreasons; i++)
		free(v->reasons[i]);
	free(v->cgroups);
	memset(v, 0, sizeof(*v));
}
