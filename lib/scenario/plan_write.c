// SPDX-License-Identifier: GPL-2.0
/* The plan writer: a scenario variant as the agent's line format; see plan.h. */
#include "plan_write.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "base/err.h"
#include "scenario_inst.h"
#include "topo/cpuset_spec.h"
#include "wire/workload.h"

struct pw {
	const struct scenario *sc;
	const struct topology *t;
	const struct plan_opts *o;
	FILE *out;
	uint64_t duration;
	uint32_t workers;
	char *err;
	size_t errlen;
};

static int plan__safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("_.,/+:@-", c) != NULL;
}

void plan__put_str(FILE *out, const char *s)
{
	fputc('=', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (plan__safe(*p))
			fputc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
	}
}

static void pw__opt_str(struct pw *w, const char *s)
{
	fputc(' ', w->out);
	if (s)
		plan__put_str(w->out, s);
	else
		fputc('-', w->out);
}

static void pw__cpus(struct pw *w, const struct cpuset *s)
{
	char buf[1024];

	if (!s || cpuset__empty(s)) {
		fputs(" -", w->out);
		return;
	}
	cpuset__format(s, buf, sizeof(buf));
	fprintf(w->out, " %s", buf);
}

static int pw__resolve(struct pw *w, const char *cg, const struct cpuset_spec *spec,
		       struct cpuset *out)
{
	char msg[256];

	if (cpuset_spec__resolve(spec, w->t, out, msg, sizeof(msg)) < 0)
		return err__set(-EINVAL, w->err, w->errlen,
				"cgroup '%s': CpusetSpec validation failed: %s", cg, msg);
	return 0;
}

/*
 * The override of @o on a swappable group of @n workers: true, with the new
 * type and its default parameters in @type and @params, when it replaces
 * the group; false when it leaves it (@n not a multiple of the new type's
 * group size: the original skips it too).
 */
static bool pw__swap(const struct plan_opts *o, uint32_t n, enum work_type *type,
		     int64_t *params)
{
	const struct work_type_desc *d;
	int64_t dp[WORK_MAX_PARAMS] = { 0 };

	if (o->work_type_override < 0)
		return false;
	d = workload__desc((enum work_type)o->work_type_override);
	if (!d || !d->overridable)
		return false;
	for (size_t i = 0; i < d->nparams; i++)
		dp[i] = d->params[i].def;
	if (n % workload__group_size(d, dp))
		return false;
	*type = d->type;
	memcpy(params, dp, sizeof(dp));
	return true;
}

static int pw__work(struct pw *w, const char *cg, const struct work *wk, bool may_override)
{
	const struct work_type_desc *d;
	int64_t params[WORK_MAX_PARAMS] = { 0 };
	enum work_type type = wk->type;
	uint32_t n = wk->workers ? wk->workers : w->workers, group;

	memcpy(params, wk->params, sizeof(params));
	if (may_override && wk->swappable)
		pw__swap(w->o, n, &type, params);
	d = workload__desc(type);
	if (!d)
		return err__set(-EINVAL, w->err, w->errlen,
				"cgroup '%s': unknown work type %d", cg, (int)type);
	if (!n)
		return err__set(-EINVAL, w->err, w->errlen,
				"cgroup '%s': %s with 0 workers", cg, d->name);
	group = workload__group_size(d, params);
	if (group > 1 && n % group)
		return err__set(-EINVAL, w->err, w->errlen,
				"cgroup '%s': %s requires workers divisible by %u, got %u", cg,
				d->name, group, n);

	fprintf(w->out, "work %d %u %s %u", (int)type, n, sched_policy_kind__name(wk->policy.kind),
		wk->policy.priority);
	if (wk->has_nice)
		fprintf(w->out, " %d", wk->nice);
	else
		fputs(" -", w->out);
	fprintf(w->out, " %s", affinity_kind__name(wk->affinity.kind));
	pw__cpus(w, wk->affinity.kind == AFFINITY_CPUS ? &wk->affinity.cpus : NULL);
	fprintf(w->out, " %s 0x%" PRIx64 " %u", mem_policy_kind__name(wk->mem_policy.kind),
		wk->mem_policy.nodes, wk->mem_policy.flags);
	for (size_t i = 0; i < WORK_MAX_PARAMS; i++)
		fprintf(w->out, " %" PRId64, params[i]);
	fputc('\n', w->out);
	if (type == WORK_SEQUENCE)
		for (size_t i = 0; i < wk->nphases; i++)
			fprintf(w->out, "phase %s %" PRIu64 "\n",
				seq_phase_kind__name(wk->phases[i].kind), wk->phases[i].duration_ns);
	if (type == WORK_EXEC)
		for (size_t i = 0; i < wk->argc; i++) {
			fputs("arg ", w->out);
			plan__put_str(w->out, wk->argv[i]);
			fputc('\n', w->out);
		}
	return 0;
}

static int pw__cgroups(struct pw *w, const struct cgroup_def *cgs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct cgroup_def *cg = &cgs[i];
		struct cpuset cpus;
		int ret;

		fputs("cgroup ", w->out);
		plan__put_str(w->out, cg->name);
		if (cg->has_cpuset) {
			ret = pw__resolve(w, cg->name, &cg->cpuset, &cpus);
			if (ret)
				return ret;
			pw__cpus(w, &cpus);
		} else {
			fputs(" -", w->out);
		}
		fputc('\n', w->out);
		for (size_t j = 0; j < cg->nworks; j++) {
			ret = pw__work(w, cg->name, &cg->works[j], true);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int pw__op(struct pw *w, const struct op *op)
{
	struct cpuset cpus;
	int ret;

	fprintf(w->out, "op %s", op_kind__name(op->kind));
	switch (op->kind) {
	case OP_ADD_CGROUP:
	case OP_SET_CPUSET:
		pw__opt_str(w, op->cgroup);
		if (op->has_cpuset) {
			ret = pw__resolve(w, op->cgroup, &op->cpuset, &cpus);
			if (ret)
				return ret;
			pw__cpus(w, &cpus);
		} else if (op->kind == OP_SET_CPUSET) {
			return err__set(-EINVAL, w->err, w->errlen,
					"op set_cpuset on '%s' has no cpuset", op->cgroup);
		} else {
			fputs(" -", w->out);
		}
		break;
	case OP_REMOVE_CGROUP:
	case OP_CLEAR_CPUSET:
	case OP_STOP_CGROUP:
	case OP_SPAWN:
		pw__opt_str(w, op->cgroup);
		break;
	case OP_SWAP_CPUSETS:
	case OP_MOVE_ALL_TASKS:
		pw__opt_str(w, op->cgroup);
		pw__opt_str(w, op->cgroup2);
		break;
	case OP_SET_AFFINITY:
		pw__opt_str(w, op->cgroup);
		fprintf(w->out, " %s", affinity_kind__name(op->affinity.kind));
		pw__cpus(w, op->affinity.kind == AFFINITY_CPUS ? &op->affinity.cpus : NULL);
		break;
	case OP_SPAWN_HOST:
		break;
	case OP_RUN:
		pw__opt_str(w, op->name);
		pw__opt_str(w, op->cgroup);
		break;
	case OP_WAIT:
	case OP_KILL:
		pw__opt_str(w, op->name);
		break;
	case OP_MOVE_TASKS:
		pw__opt_str(w, op->cgroup);
		pw__opt_str(w, op->cgroup2);
		fprintf(w->out, " %u", op->count ? op->count : 1);
		break;
	case OP_RESTART_SCHEDULER:
		fprintf(w->out, " %" PRIu64, op->down_ns);
		break;
	default:
		return err__set(-EINVAL, w->err, w->errlen, "unknown op kind %d", (int)op->kind);
	}
	fputc('\n', w->out);
	if (op->kind == OP_SPAWN || op->kind == OP_SPAWN_HOST)
		/* Op::Spawn never takes the work-type override (ktstr-scenario(5), CGROUPS). */
		return pw__work(w, op->cgroup ? op->cgroup : "", &op->work, false);
	if (op->kind == OP_RUN)
		for (size_t i = 0; i < op->argc; i++) {
			fputs("arg ", w->out);
			plan__put_str(w->out, op->argv[i]);
			fputc('\n', w->out);
		}
	return 0;
}

static int pw__ops(struct pw *w, const struct op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ret = pw__op(w, &ops[i]);

		if (ret)
			return ret;
	}
	return 0;
}

static uint64_t pw__hold_ns(const struct pw *w, const struct hold *h)
{
	double ns;

	if (h->kind != HOLD_FRAC)
		return h->ns;
	ns = h->frac * (double)w->duration;
	if (!isfinite(ns) || ns < 0)
		return 0;
	return ns >= 1.8e19 ? UINT64_MAX : (uint64_t)ns;
}

/* ktstr shell's records (plan_format.h). */
static void pw__shell(FILE *out, const struct plan_shell_req *sh)
{
	fprintf(out, "shell %s\n", sh->cmd ? "cmd" : sh->script ? "script" : "tty");
	if (sh->cmd) {
		fputs("shell-cmd ", out);
		plan__put_str(out, sh->cmd);
		fputc('\n', out);
	}
	for (size_t i = 0; i < sh->nenv && i < PLAN_MAX_SHELL_ENV; i++) {
		fputs("shell-env ", out);
		plan__put_str(out, sh->env[i]);
		fputc('\n', out);
	}
	if (sh->rows && sh->cols)
		fprintf(out, "shell-size %u %u\n", sh->rows, sh->cols);
}

static int pw__write(const struct scenario *sc, const struct topology *t,
		     const struct plan_opts *o, FILE *out, char *err, size_t errlen)
{
	struct plan_opts dflt = PLAN_OPTS_DEFAULT;
	struct pw w = { .sc = sc, .t = t, .o = o ? o : &dflt, .out = out,
			.err = err, .errlen = errlen };
	uint32_t ncpus = topology__total_cpus(t);
	int ret;

	w.duration = w.o->duration_ns ? w.o->duration_ns : sc->duration_ns;
	if (!w.duration)
		w.duration = SCENARIO_DEFAULT_DURATION_NS;
	w.workers = w.o->workers ? w.o->workers : sc->workers;
	if (!w.workers)
		w.workers = SCENARIO_DEFAULT_WORKERS;
	if (!ncpus || ncpus > KTSTR_MAX_CPUS)
		return err__set(-EINVAL, w.err, w.errlen,
				"topology has %u CPUs; a plan takes 1..%u", ncpus, KTSTR_MAX_CPUS);

	fprintf(out, "ktstr-plan %d\nname ", KTSTR_PLAN_VERSION);
	plan__put_str(out, sc->name ? sc->name : "");
	fprintf(out, "\nduration %" PRIu64 "\nworkers %u\nncpus %u\n", w.duration, w.workers,
		ncpus);
	for (uint32_t c = 0; c < ncpus; c++) {
		struct cpu_pos p = topology__decompose(t, c);

		fprintf(out, "cpu %u %u %u\n", c, p.llc, topology__llc_node(t, p.llc));
	}
	fputs("scheduler", out);
	pw__opt_str(&w, w.o->sched_path);
	fputc('\n', out);
	for (size_t i = 0; i < w.o->nsched_args; i++) {
		fputs("sched-arg ", out);
		plan__put_str(out, w.o->sched_args[i]);
		fputc('\n', out);
	}
	if (w.o->sched_path && w.o->sched_gap_kill_ns)
		fprintf(out, "sched-gap-kill %llu\n", (unsigned long long)w.o->sched_gap_kill_ns);
	if (w.o->sched_path && w.o->bpf_progs)
		fputs("bpf-progs\n", out);

	if (w.o->shell)
		pw__shell(out, w.o->shell);
	fputs("backdrop\n", out);
	ret = pw__cgroups(&w, sc->cgroups, sc->ncgroups);
	if (ret)
		return ret;
	for (size_t i = 0; i < sc->nsteps; i++) {
		const struct step *st = &sc->steps[i];

		fprintf(out, "step %s %" PRIu64 "\n", st->hold.kind == HOLD_LOOP ? "loop" : "hold",
			pw__hold_ns(&w, &st->hold));
		ret = pw__cgroups(&w, st->cgroups, st->ncgroups);
		if (!ret)
			ret = pw__ops(&w, st->ops, st->nops);
		if (ret) {
			char msg[256];

			snprintf(msg, sizeof(msg), "%s", err);
			snprintf(err, errlen, "step %zu: %s", i + 1, msg);
			return ret;
		}
	}
	fputs("end\n", out);
	if (fflush(out) || ferror(out)) {
		ret = -errno;
		snprintf(err, errlen, "cannot write the plan: %s", strerror(errno));
		return ret ? ret : -EIO;
	}
	return 0;
}

static void pw__count_swaps(const struct plan_opts *o, uint32_t workers,
			    const struct cgroup_def *cgs, size_t n, struct plan_swaps *s)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < cgs[i].nworks; j++) {
			const struct work *wk = &cgs[i].works[j];
			enum work_type type;
			int64_t params[WORK_MAX_PARAMS];

			if (!wk->swappable)
				continue;
			if (pw__swap(o, wk->workers ? wk->workers : workers, &type, params))
				s->swapped++;
			else
				s->kept++;
		}
}

int plan__swaps(const struct scenario *sc, const struct topology *t, const struct plan_opts *o,
		struct plan_swaps *s)
{
	struct scenario_inst in;
	uint32_t workers;
	int ret;

	memset(s, 0, sizeof(*s));
	if (o->work_type_override < 0)
		return 0;
	ret = scenario_inst__init(&in, sc, t);
	if (!ret) {
		workers = o->workers ? o->workers : in.sc->workers;
		if (!workers)
			workers = SCENARIO_DEFAULT_WORKERS;
		pw__count_swaps(o, workers, in.sc->cgroups, in.sc->ncgroups, s);
		for (size_t i = 0; i < in.sc->nsteps; i++)
			pw__count_swaps(o, workers, in.sc->steps[i].cgroups, in.sc->steps[i].ncgroups,
					s);
	}
	scenario_inst__free(&in);
	return ret;
}

/* The plan of the scenario's instance on @t: its counts evaluated, its repeats expanded. */
int plan__write(const struct scenario *sc, const struct topology *t, const struct plan_opts *o,
		FILE *out, char *err, size_t errlen)
{
	struct scenario_inst in;
	int ret = scenario_inst__init(&in, sc, t);

	if (ret)
		snprintf(err, errlen, "%s:%u:%u: %s", in.loc.file ? in.loc.file : "<input>",
			 in.loc.line, in.loc.col, in.why);
	else
		ret = pw__write(in.sc, t, o, out, err, errlen);
	scenario_inst__free(&in);
	return ret;
}
