// SPDX-License-Identifier: GPL-2.0
/* The host-side monitor for one variant: decide, sample, judge, report (run_monitor.h). */
#include "run_monitor.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/kconfig_hz.h"
#include "monitor/monitor_run.h"
#include "verdict/verdict.h"

struct run_monitor {
	struct klayout kl;
	struct gmem m;
	struct vm *vm;
	uint32_t ncpus;
	bool started;
	struct mon_run *run;
	struct mon_series *series;
	struct run_monitor_result *mr;	/* for why it did not start */
};

static bool on(const struct checks *c, enum check_id id)
{
	return c->t[id].state == TH_SET && (id != CHECK_FAIL_ON_STALL || c->t[id].value != 0);
}

static void limits_from(const struct checks *c, uint32_t hz, struct mon_limits *l)
{
	mon_eval__defaults(l);
	l->imbalance_on = on(c, CHECK_MAX_IMBALANCE_RATIO);
	if (l->imbalance_on)
		l->max_imbalance_ratio = c->t[CHECK_MAX_IMBALANCE_RATIO].value;
	l->dsq_on = on(c, CHECK_MAX_LOCAL_DSQ_DEPTH);
	if (l->dsq_on)
		l->max_local_dsq_depth = (uint32_t)c->t[CHECK_MAX_LOCAL_DSQ_DEPTH].value;
	l->stall_on = on(c, CHECK_FAIL_ON_STALL);
	l->hz = hz;
}

int run_monitor__prepare(const struct scenario *sc, const struct checks *c, const char *vmlinux,
			 const struct topology *t, struct run_monitor **out,
			 struct run_monitor_result *mr)
{
	struct run_monitor *rm;
	char err[256];

	*out = NULL;
	memset(mr, 0, sizeof(*mr));
	/* The original's rule: the monitor judges sched_ext schedulers, not EEVDF. */
	if (!sc->sched || sc->sched->eevdf || (!on(c, CHECK_MAX_IMBALANCE_RATIO) &&
	    !on(c, CHECK_MAX_LOCAL_DSQ_DEPTH) && !on(c, CHECK_FAIL_ON_STALL)))
		return 0;
	mr->state = RUN_MON_NOT_RUN;
	mr->ncpus = topology__total_cpus(t);
	if (!vmlinux || !*vmlinux) {
		snprintf(mr->why, sizeof(mr->why), "the kernel has no vmlinux beside its image: the "
			 "monitor reads the guest's run queues through the vmlinux's symbols and "
			 "BTF (a `ktstr kernel build` cache entry keeps one)");
		return 0;
	}
	rm = calloc(1, sizeof(*rm));
	if (!rm)
		return -ENOMEM;
	if (klayout__load(&rm->kl, vmlinux, err, sizeof(err))) {
		snprintf(mr->why, sizeof(mr->why), "%s", err);
		free(rm);
		return 0;
	}
	limits_from(c, kconfig_hz__beside(vmlinux, mr->hz_how, sizeof(mr->hz_how)), &mr->limits);
	mr->imbalance_waived = c->waive_hardware_only &&
			       c->t[CHECK_MAX_IMBALANCE_RATIO].hardware_only;
	rm->ncpus = mr->ncpus;
	rm->mr = mr;
	*out = rm;
	return 0;
}

/*
 * Each vCPU's own thread time, or "unknown": with thread=single TCG one
 * thread runs every vCPU, and its time says nothing about one of them.
 */
static int vcpu_ns(void *arg, uint64_t *ns, uint32_t n)
{
	struct run_monitor *rm = arg;
	int ret = vm__vcpu_host_ns(rm->vm, ns, n);

	return ret == VM_VCPU_HOST_SHARED ? -EOPNOTSUPP : ret;
}

void run_monitor__start(struct run_monitor *rm, struct vm *vm)
{
	struct mon_run_opts o = { 0 };
	char err[256];

	if (!rm || rm->started)
		return;
	rm->started = true;
	rm->vm = vm;
	if (vm__guest_mem(vm, &rm->m, err, sizeof(err))) {
		snprintf(rm->mr->why, sizeof(rm->mr->why), "the guest's memory: %s", err);
		return;
	}
	o.m = &rm->m;
	o.kl = &rm->kl;
	o.ncpus = rm->ncpus;
	o.vcpu_ns = vcpu_ns;
	o.arg = rm;
	if (mon_run__start(&o, &rm->run, err, sizeof(err)))
		snprintf(rm->mr->why, sizeof(rm->mr->why), "the sampler: %s", err);
}

void run_monitor__stop(struct run_monitor *rm)
{
	if (!rm || !rm->run)
		return;
	rm->series = mon_run__stop(rm->run);
	rm->run = NULL;
	if (!rm->series)
		snprintf(rm->mr->why, sizeof(rm->mr->why), "out of memory keeping the samples");
}

static enum check_id check_of(enum mon_check k)
{
	switch (k) {
	case MON_CHECK_IMBALANCE:
		return CHECK_MAX_IMBALANCE_RATIO;
	case MON_CHECK_DSQ:
		return CHECK_MAX_LOCAL_DSQ_DEPTH;
	case MON_CHECK_STALL:
		break;
	}
	return CHECK_FAIL_ON_STALL;
}

int run_monitor__judge(struct run_monitor *rm, const struct checks *c,
		       struct run_monitor_result *mr, struct verdict *v)
{
	struct mon_series *s;

	mr->scenario_passed = v->passed;
	if (!rm)
		return 0;
	run_monitor__stop(rm);
	if (!rm->series) {
		if (!mr->why[0])
			snprintf(mr->why, sizeof(mr->why), "the scenario never started");
		return 0;
	}
	s = rm->series;
	rm->series = NULL;
	return run_monitor__judge_series(s, c, mr, v);
}

int run_monitor__judge_series(struct mon_series *s, const struct checks *c,
			      struct run_monitor_result *mr, struct verdict *v)
{
	mr->scenario_passed = v->passed;
	mr->verdict = calloc(1, sizeof(*mr->verdict));
	mr->summary = calloc(1, sizeof(*mr->summary));
	if (!mr->verdict || !mr->summary) {
		free(mr->verdict);
		free(mr->summary);
		mr->verdict = NULL;
		mr->summary = NULL;
		mon_series__free(s);
		return -ENOMEM;
	}
	mon_eval__series(s->pts, s->n, &mr->limits, mr->verdict, mr->summary);
	mr->series = s;
	mr->state = RUN_MON_RAN;
	for (uint32_t i = 0; i < mr->verdict->nr_fail; i++)
		verdict__check_fail(v, c, check_of(mr->verdict->fail_check[i]), "monitor: %s",
				    mr->verdict->fail[i]);
	if (mr->verdict->nr_fail_dropped)
		verdict__check_fail(v, c, CHECK_MAX_IMBALANCE_RATIO, "monitor: %u more violations",
				    mr->verdict->nr_fail_dropped);
	return 0;
}

void run_monitor__free(struct run_monitor *rm)
{
	if (!rm)
		return;
	run_monitor__stop(rm);
	mon_series__free(rm->series);
	free(rm);
}

static void print_limits(const struct run_monitor_result *mr, FILE *out)
{
	const struct mon_limits *l = &mr->limits;

	fputs("limits:", out);
	if (l->imbalance_on)
		fprintf(out, " max_imbalance_ratio %.1f%s,", l->max_imbalance_ratio,
			mr->imbalance_waived ? " (hardware_only: reported, not failed)" : "");
	if (l->dsq_on)
		fprintf(out, " max_local_dsq_depth %u,", l->max_local_dsq_depth);
	if (l->stall_on)
		fputs(" fail_on_stall,", out);
	fprintf(out, " each for %u consecutive samples after the first %u\n", l->sustained,
		l->trim);
}

void run_monitor__print(const struct run_monitor_result *mr, FILE *out)
{
	const struct mon_series *s = mr->series;

	if (mr->state == RUN_MON_OFF)
		return;
	fprintf(out, "\n--- monitor ---\n");
	if (mr->state == RUN_MON_NOT_RUN) {
		fprintf(out, "not run: %s\n", mr->why);
		return;
	}
	fprintf(out, "%u CPUs sampled every %u ms from the scenario's start: %zu samples",
		mr->ncpus, s->period_ms, s->n);
	if (s->dropped)
		fprintf(out, " (%llu more past the cap of %u not kept)",
			(unsigned long long)s->dropped, s->cap);
	/* The cost: the sampler's own CPU time, per sample and per second sampled. */
	fprintf(out, "; host CPU %.1f ms, %.0f us a sample, %.2f%% of one CPU\n",
		(double)s->cpu_ns / 1e6,
		s->taken ? (double)s->cpu_ns / 1e3 / (double)s->taken : 0.0,
		s->taken ? (double)s->cpu_ns / ((double)s->taken * s->period_ms * 1e6) * 100.0 :
		0.0);
	print_limits(mr, out);
	fprintf(out, "%s\n", mr->hz_how);
	fprintf(out, "verdict: %s\n", mr->verdict->passed ? "passed" : "failed");
	for (uint32_t i = 0; i < mr->verdict->nr_fail; i++)
		fprintf(out, "  %s\n", mr->verdict->fail[i]);
	if (mr->verdict->nr_fail_dropped)
		fprintf(out, "  (%u more)\n", mr->verdict->nr_fail_dropped);
	for (uint32_t i = 0; i < mr->verdict->nr_note; i++)
		fprintf(out, "note: %s\n", mr->verdict->note[i]);
	mon_eval__print_summary(out, mr->summary);
}

int run_monitor__csv(FILE *f, const void *arg)
{
	const struct run_monitor_result *mr = arg;
	const struct mon_series *s = mr->series;

	fputs("t_ms,sample,cpu,nr_running,scx_nr_running,local_dsq,rq_clock_ns,curr_pid,"
	      "vcpu_ns,flags\n", f);
	for (size_t i = 0; s && i < s->n; i++) {
		const struct mon_point *p = &s->pts[i];
		double t_ms = (double)(p->t_ns - s->pts[0].t_ns) / 1e6;

		if (!p->s || (p->s->flags & MON_SAMPLE_NO_KERNEL)) {
			fprintf(f, "%.1f,%zu,,,,,,,,kernel not up\n", t_ms, i);
			continue;
		}
		for (uint32_t c = 0; c < p->s->nr_cpus; c++) {
			const struct mon_cpu *x = &p->s->cpu[c];

			fprintf(f, "%.1f,%zu,%u,%u,%u,%u,%llu,%d,", t_ms, i, c, x->nr_running,
				x->scx_nr_running, x->local_dsq_nr, (unsigned long long)x->clock,
				x->curr_pid);
			if (p->vcpu_ns && c < p->nr_vcpu_ns)
				fprintf(f, "%llu", (unsigned long long)p->vcpu_ns[c]);
			fprintf(f, ",%s\n", sampler__cpu_flag_str(x->flags & ~MON_CPU_NO_SCX));
		}
	}
	return ferror(f) ? -EIO : 0;
}

size_t run_monitor__metrics(const struct run_monitor_result *mr, struct metric_value *out,
			    size_t max)
{
	uint32_t dsq = 0, stalls = 0;
	size_t k = 0;

	if (mr->state != RUN_MON_RAN || !mr->summary->used)
		return 0;
	for (uint32_t c = 0; c < mr->summary->nr_cpus; c++)
		if (mr->summary->cpu[c].max_local_dsq > dsq)
			dsq = mr->summary->cpu[c].max_local_dsq;
	for (uint32_t i = 0; i < mr->verdict->nr_fail; i++)
		stalls += mr->verdict->fail_check[i] == MON_CHECK_STALL;
	if (k < max && mr->summary->has_imbalance)
		out[k++] = (struct metric_value){ "monitor_max_imbalance", mr->summary->max_imbalance };
	if (k < max)
		out[k++] = (struct metric_value){ "monitor_max_local_dsq", dsq };
	if (k < max && mr->limits.stall_on)
		out[k++] = (struct metric_value){ "monitor_stall_cpus", stalls };
	return k;
}

const char *run_monitor__state_str(const struct run_monitor_result *mr, char *buf, size_t len)
{
	switch (mr->state) {
	case RUN_MON_OFF:
		return NULL;
	case RUN_MON_NOT_RUN:
		snprintf(buf, len, "not run: %s", mr->why);
		return buf;
	case RUN_MON_RAN:
		break;
	}
	return mr->verdict->passed ? "passed" : "failed";
}
