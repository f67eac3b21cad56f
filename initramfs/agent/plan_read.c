// SPDX-License-Identifier: GPL-2.0
/*
 * The plan parser (format: lib/wire/plan_format.h): its records, one pass
 * over the lines; records that attach to an earlier one (work, phase, arg)
 * check that it exists. The fields are decoded by plan_fields.c.
 */
#include "plan_read_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* KTSTR_PLAN_VERSION as the header line spells it. */
#define PLAN_STR_(x) #x
#define PLAN_STR(x) PLAN_STR_(x)
#define PLAN_VERSION_STR PLAN_STR(KTSTR_PLAN_VERSION)

_Static_assert(PLAN_MAX_CPUS <= CPUMASK_BITS, "a plan's CPUs fit a struct cpumask");

static const char *const policy_names[] = { "normal", "batch", "idle", "fifo", "rr", NULL };
static const char *const aff_names[] = { "inherit", "random-subset", "llc-aligned",
					 "cross-cgroup", "single-cpu", "cpus", NULL };
static const char *const mpol_names[] = { "default", "local", "bind", "preferred", "interleave",
					  "preferred_many", "weighted_interleave", NULL };
static const char *const phase_names[] = { "spin", "sleep", "yield", "io", NULL };
static const char *const op_names[PLAN_OP_COUNT + 1] = {
	"add_cgroup", "remove_cgroup", "set_cpuset", "clear_cpuset", "swap_cpusets", "spawn",
	"stop_cgroup", "set_affinity", "spawn_host", "move_all_tasks", "run", "wait", "kill",
	"move_tasks", "restart_scheduler", NULL,
};

/* "1" .. KTSTR_PLAN_VERSION: each version reads the ones before it. */
static bool plan__version_ok(const char *t)
{
	for (int v = KTSTR_PLAN_VERSION_MIN; v <= KTSTR_PLAN_VERSION; v++) {
		char buf[16];

		snprintf(buf, sizeof(buf), "%d", v);
		if (!strcmp(t, buf))
			return true;
	}
	return false;
}

const char *plan_op__name(enum plan_op_kind k)
{
	return (unsigned)k < PLAN_OP_COUNT ? op_names[k] : "?";
}

/* "work TYPE WORKERS POLICY PRIO NICE AFF AFFCPUS MEMPOL NODES MPOLFLAGS P0..P3" */
static int pp__work_fields(struct pp *s, struct plan_work *w)
{
	char **t = s->tok;
	uint32_t type;
	uint64_t nice;
	int v = 0, ret;

	if ((ret = pp__args(s, 14)))
		return ret;
	if ((ret = pp__u32(s, t[1], WORK_TYPE_COUNT - 1, &type)))
		return ret;
	w->type = (enum work_type)type;
	if ((ret = pp__u32(s, t[2], PLAN_MAX_WORKERS, &w->workers)))
		return ret;
	if (!w->workers)
		return pp__fail(s, "a work group needs at least 1 worker");
	if ((ret = pp__enum(s, t[3], policy_names, "policy", &v)))
		return ret;
	w->policy = (enum plan_policy)v;
	if ((ret = pp__u32(s, t[4], 99, &w->prio)))
		return ret;
	if (strcmp(t[5], "-")) {
		bool neg = t[5][0] == '-';

		if ((ret = pp__u64(s, t[5] + neg, neg ? 20 : 19, &nice)))
			return ret;
		w->has_nice = true;
		w->nice = neg ? -(int32_t)nice : (int32_t)nice;
	}
	if ((ret = pp__enum(s, t[6], aff_names, "affinity", &v)))
		return ret;
	w->affinity = (enum plan_affinity)v;
	if ((ret = pp__cpus(s, t[7], w->affinity != PLAN_AFF_CPUS, NULL, &w->aff_cpus)))
		return ret;
	if ((ret = pp__enum(s, t[8], mpol_names, "memory policy", &v)))
		return ret;
	w->mempol = (enum plan_mempol)v;
	if ((ret = pp__hex64(s, t[9], &w->nodes)))
		return ret;
	if ((ret = pp__u32(s, t[10], 0xffff, &w->mpol_flags)))
		return ret;
	for (int i = 0; i < WORK_MAX_PARAMS; i++)
		if ((ret = pp__i64(s, t[11 + i], &w->params[i])))
			return ret;
	return 0;
}

static int pp__work(struct pp *s)
{
	struct plan_work *w;

	if (s->op && (s->op->kind == PLAN_OP_SPAWN || s->op->kind == PLAN_OP_SPAWN_HOST)) {
		if (s->op->has_work)
			return pp__fail(s, "op %s takes one work", plan_op__name(s->op->kind));
		s->op->has_work = true;
		w = &s->op->work;
	} else if (s->cgroup) {
		w = pp__push(s, (void **)&s->cgroup->works, &s->cgroup->nworks, sizeof(*w),
			     PLAN_MAX_WORKS, "works in a cgroup");
		if (!w)
			return -EINVAL;
	} else {
		return pp__fail(s, "'work' without a cgroup or spawn op before it");
	}
	s->work = w;
	return pp__work_fields(s, w);
}

static int pp__phase(struct pp *s)
{
	struct plan_phase *ph;
	int v = 0, ret;

	if ((ret = pp__args(s, 2)))
		return ret;
	if (!s->work || s->work->type != WORK_SEQUENCE)
		return pp__fail(s, "'phase' not after a sequence work");
	ph = pp__push(s, (void **)&s->work->phases, &s->work->nphases, sizeof(*ph),
		      PLAN_MAX_PHASES, "phases");
	if (!ph)
		return -EINVAL;
	if ((ret = pp__enum(s, s->tok[1], phase_names, "phase", &v)))
		return ret;
	ph->kind = (enum plan_phase_kind)v;
	return pp__u64(s, s->tok[2], PLAN_MAX_NS, &ph->ns);
}

static int pp__arg(struct pp *s)
{
	int ret;

	if ((ret = pp__args(s, 1)))
		return ret;
	if (s->op && s->op->kind == PLAN_OP_RUN)
		return pp__argv_push(s, &s->op->argv, &s->op->argc, PLAN_MAX_ARGS, s->tok[1]);
	if (s->work && s->work->type == WORK_EXEC)
		return pp__argv_push(s, &s->work->argv, &s->work->argc, PLAN_MAX_ARGS, s->tok[1]);
	return pp__fail(s, "'arg' not after an exec work or a run op");
}

static int pp__cgroup(struct pp *s)
{
	struct plan_cgroup *cg;
	int ret;

	if ((ret = pp__args(s, 2)))
		return ret;
	if (!s->sec)
		return pp__fail(s, "'cgroup' before 'backdrop'");
	if (s->sec->nops)
		return pp__fail(s, "'cgroup' after the section's ops");
	cg = pp__push(s, (void **)&s->sec->cgroups, &s->sec->ncgroups, sizeof(*cg),
		      PLAN_MAX_CGROUPS, "cgroups in a section");
	if (!cg)
		return -EINVAL;
	s->cgroup = cg;
	s->op = NULL;
	s->work = NULL;
	if ((ret = pp__cgname(s, s->tok[1], false, &cg->name)))
		return ret;
	return pp__cpus(s, s->tok[2], true, &cg->has_cpus, &cg->cpus);
}

/* Arguments after the kind, per op kind. */
static const int op_nargs[PLAN_OP_COUNT] = {
	[PLAN_OP_ADD_CGROUP] = 2, [PLAN_OP_REMOVE_CGROUP] = 1, [PLAN_OP_SET_CPUSET] = 2,
	[PLAN_OP_CLEAR_CPUSET] = 1, [PLAN_OP_SWAP_CPUSETS] = 2, [PLAN_OP_SPAWN] = 1,
	[PLAN_OP_STOP_CGROUP] = 1, [PLAN_OP_SET_AFFINITY] = 3, [PLAN_OP_SPAWN_HOST] = 0,
	[PLAN_OP_MOVE_ALL_TASKS] = 2, [PLAN_OP_RUN] = 2, [PLAN_OP_WAIT] = 1, [PLAN_OP_KILL] = 1,
	[PLAN_OP_MOVE_TASKS] = 3, [PLAN_OP_RESTART_SCHEDULER] = 1,
};

static int pp__op(struct pp *s)
{
	struct plan_op *op;
	char **t = s->tok;
	int v = 0, ret;

	if (s->ntok < 2)
		return pp__fail(s, "'op' needs a kind");
	if (!s->sec)
		return pp__fail(s, "'op' before 'backdrop'");
	if ((ret = pp__enum(s, t[1], op_names, "op", &v)))
		return ret;
	if (s->ntok != op_nargs[v] + 2)
		return pp__fail(s, "op %s takes %d arguments, got %d", t[1], op_nargs[v],
				s->ntok - 2);
	op = pp__push(s, (void **)&s->sec->ops, &s->sec->nops, sizeof(*op), PLAN_MAX_OPS,
		      "ops in a section");
	if (!op)
		return -EINVAL;
	op->kind = (enum plan_op_kind)v;
	s->op = op;
	s->cgroup = NULL;
	s->work = NULL;
	switch (op->kind) {
	case PLAN_OP_ADD_CGROUP:
	case PLAN_OP_SET_CPUSET:
		if ((ret = pp__cgname(s, t[2], false, &op->cgroup)))
			return ret;
		return pp__cpus(s, t[3], op->kind == PLAN_OP_ADD_CGROUP, &op->has_cpus, &op->cpus);
	case PLAN_OP_REMOVE_CGROUP:
	case PLAN_OP_CLEAR_CPUSET:
	case PLAN_OP_STOP_CGROUP:
	case PLAN_OP_SPAWN:
		return pp__cgname(s, t[2], false, &op->cgroup);
	case PLAN_OP_SWAP_CPUSETS:
	case PLAN_OP_MOVE_ALL_TASKS:
		if ((ret = pp__cgname(s, t[2], false, &op->cgroup)))
			return ret;
		return pp__cgname(s, t[3], false, &op->cgroup2);
	case PLAN_OP_SET_AFFINITY:
		if ((ret = pp__cgname(s, t[2], false, &op->cgroup)))
			return ret;
		if ((ret = pp__enum(s, t[3], aff_names, "affinity", &v)))
			return ret;
		op->affinity = (enum plan_affinity)v;
		return pp__cpus(s, t[4], op->affinity != PLAN_AFF_CPUS, NULL, &op->aff_cpus);
	case PLAN_OP_SPAWN_HOST:
		return 0;
	case PLAN_OP_RUN:
		if ((ret = pp__progname(s, t[2], &op->name)))
			return ret;
		return pp__cgname(s, t[3], true, &op->cgroup);
	case PLAN_OP_WAIT:
	case PLAN_OP_KILL:
		return pp__progname(s, t[2], &op->name);
	case PLAN_OP_MOVE_TASKS:
		if ((ret = pp__cgname(s, t[2], false, &op->cgroup)) ||
		    (ret = pp__cgname(s, t[3], false, &op->cgroup2)) ||
		    (ret = pp__u32(s, t[4], PLAN_MAX_MOVE_TASKS, &op->count)))
			return ret;
		return op->count ? 0 : pp__fail(s, "op move_tasks moves at least 1 task");
	case PLAN_OP_RESTART_SCHEDULER:
		return pp__u64(s, t[2], PLAN_MAX_NS, &op->down_ns);
	default:
		return pp__fail(s, "unknown op");
	}
}

/* Checks on a record that only its successors could complete. */
static int pp__close_record(struct pp *s)
{
	if (s->op && (s->op->kind == PLAN_OP_SPAWN || s->op->kind == PLAN_OP_SPAWN_HOST) &&
	    !s->op->has_work)
		return pp__fail(s, "op %s without its work", plan_op__name(s->op->kind));
	if (s->op && s->op->kind == PLAN_OP_RUN && !s->op->argc)
		return pp__fail(s, "op run without its argv");
	if (s->cgroup && !s->cgroup->nworks)
		return pp__fail(s, "cgroup '%s' without a work", s->cgroup->name);
	if (s->work && s->work->type == WORK_EXEC && !s->work->argc)
		return pp__fail(s, "exec work without its argv");
	if (s->work && s->work->type == WORK_SEQUENCE && !s->work->nphases)
		return pp__fail(s, "sequence work without phases");
	return 0;
}

static int pp__cpu(struct pp *s)
{
	uint32_t cpu, llc, node;
	int ret;

	if ((ret = pp__args(s, 3)))
		return ret;
	if (!s->p->ncpus)
		return pp__fail(s, "'cpu' before 'ncpus'");
	if ((ret = pp__u32(s, s->tok[1], s->p->ncpus - 1, &cpu)) ||
	    (ret = pp__u32(s, s->tok[2], PLAN_MAX_CPUS - 1, &llc)) ||
	    (ret = pp__u32(s, s->tok[3], PLAN_MAX_NODE, &node)))
		return ret;
	s->p->cpu_llc[cpu] = (uint16_t)llc;
	s->p->cpu_node[cpu] = (uint16_t)node;
	return 0;
}

static int pp__section(struct pp *s)
{
	struct plan *p = s->p;
	struct plan_section *sec;
	int ret;

	if (!strcmp(s->tok[0], "backdrop")) {
		if ((ret = pp__args(s, 0)))
			return ret;
		if (s->sec)
			return pp__fail(s, "a second 'backdrop' or one after a step");
		if (!p->duration_ns || !p->ncpus)
			return pp__fail(s, "'backdrop' before 'duration' and 'ncpus'");
		s->sec = &p->backdrop;
		return 0;
	}
	if ((ret = pp__args(s, 2)))
		return ret;
	if (!s->sec)
		return pp__fail(s, "'step' before 'backdrop'");
	if (p->nsteps && p->steps[p->nsteps - 1].loop)
		return pp__fail(s, "a step after a loop step");
	sec = pp__push(s, (void **)&p->steps, &p->nsteps, sizeof(*sec), PLAN_MAX_STEPS, "steps");
	if (!sec)
		return -EINVAL;
	s->sec = sec;
	if (!strcmp(s->tok[1], "loop"))
		sec->loop = true;
	else if (strcmp(s->tok[1], "hold"))
		return pp__fail(s, "a step holds 'hold' or 'loop', not '%.40s'", s->tok[1]);
	if ((ret = pp__u64(s, s->tok[2], PLAN_MAX_NS, &sec->ns)))
		return ret;
	if (sec->loop && !sec->ns)
		return pp__fail(s, "a loop interval of 0");
	return 0;
}

static int pp__header_field(struct pp *s)
{
	struct plan *p = s->p;
	const char *k = s->tok[0];
	int ret;

	if (s->sec)
		return pp__fail(s, "'%s' after 'backdrop'", k);
	if (!strcmp(k, "name")) {
		if ((ret = pp__args(s, 1)))
			return ret;
		free(p->name);
		return pp__str(s, s->tok[1], false, &p->name);
	}
	if (!strcmp(k, "duration")) {
		if ((ret = pp__args(s, 1)) ||
		    (ret = pp__u64(s, s->tok[1], PLAN_MAX_NS, &p->duration_ns)))
			return ret;
		return p->duration_ns ? 0 : pp__fail(s, "a duration of 0");
	}
	if (!strcmp(k, "workers")) {
		if ((ret = pp__args(s, 1)))
			return ret;
		return pp__u32(s, s->tok[1], PLAN_MAX_WORKERS, &p->workers);
	}
	if (!strcmp(k, "ncpus")) {
		if ((ret = pp__args(s, 1)))
			return ret;
		if (p->ncpus)
			return pp__fail(s, "a second 'ncpus'");
		if ((ret = pp__u32(s, s->tok[1], PLAN_MAX_CPUS, &p->ncpus)))
			return ret;
		return p->ncpus ? 0 : pp__fail(s, "ncpus 0");
	}
	if (!strcmp(k, "cpu"))
		return pp__cpu(s);
	if (!strcmp(k, "scheduler")) {
		if ((ret = pp__args(s, 1)))
			return ret;
		free(p->sched_path);
		return pp__str(s, s->tok[1], true, &p->sched_path);
	}
	if (!strcmp(k, "sched-gap-kill")) {
		if ((ret = pp__args(s, 1)))
			return ret;
		return pp__u64(s, s->tok[1], PLAN_MAX_NS, &p->sched_gap_kill_ns);
	}
	if (!strcmp(k, "bpf-progs")) {
		if ((ret = pp__args(s, 0)))
			return ret;
		p->bpf_progs = true;
		return 0;
	}
	if (!strncmp(k, "shell", 5))
		return pp__shell(s, k);
	if (!strcmp(k, "sched-arg")) {
		if ((ret = pp__args(s, 1)))
			return ret;
		return pp__argv_push(s, &p->sched_args, &p->nsched_args, PLAN_MAX_SCHED_ARGS,
				     s->tok[1]);
	}
	return pp__fail(s, "unknown record '%.40s'", k);
}

static int pp__line(struct pp *s)
{
	const char *k = s->tok[0];
	int ret;

	if (!s->header) {
		if (s->ntok != 2 || strcmp(k, "ktstr-plan"))
			return pp__fail(s, "not a ktstr plan (no 'ktstr-plan %s' line)",
					PLAN_VERSION_STR);
		if (!plan__version_ok(s->tok[1]))
			return pp__fail(s, "plan version %.20s; this agent reads versions %d to %s",
					s->tok[1], KTSTR_PLAN_VERSION_MIN, PLAN_VERSION_STR);
		s->header = true;
		return 0;
	}
	if (s->ended)
		return pp__fail(s, "a record after 'end'");
	if (!strcmp(k, "phase"))
		return pp__phase(s);
	if (!strcmp(k, "arg"))
		return pp__arg(s);
	if (!strcmp(k, "work")) {
		if (s->work && (ret = pp__close_record(s)))
			return ret;
		return pp__work(s);
	}
	/* Every other record ends the one before it. */
	if ((ret = pp__close_record(s)))
		return ret;
	s->cgroup = NULL;
	s->op = NULL;
	s->work = NULL;
	if (!strcmp(k, "cgroup"))
		return pp__cgroup(s);
	if (!strcmp(k, "op"))
		return pp__op(s);
	if (!strcmp(k, "backdrop") || !strcmp(k, "step"))
		return pp__section(s);
	if (!strcmp(k, "end")) {
		if ((ret = pp__args(s, 0)))
			return ret;
		if (!s->sec)
			return pp__fail(s, "'end' before 'backdrop'");
		s->ended = true;
		return 0;
	}
	return pp__header_field(s);
}

int plan__parse(const char *buf, size_t len, struct plan *p, char *err, size_t errlen)
{
	struct pp s = { .p = p, .err = err, .errlen = errlen };
	char *line = NULL;
	size_t off = 0;
	int ret = 0;

	memset(p, 0, sizeof(*p));
	if (len > PLAN_MAX_BYTES) {
		snprintf(err, errlen, "plan of %zu bytes; at most %u", len, PLAN_MAX_BYTES);
		return -EINVAL;
	}
	line = malloc(PLAN_MAX_LINE + 1);
	if (!line) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	while (off < len && !ret) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n;

		s.line++;
		n = nl ? (size_t)(nl - (buf + off)) : len - off;
		if (n > PLAN_MAX_LINE) {
			ret = pp__fail(&s, "line longer than %u bytes", PLAN_MAX_LINE);
			break;
		}
		if (!nl) {
			ret = pp__fail(&s, "the last line has no newline (truncated plan?)");
			break;
		}
		if (memchr(buf + off, '\0', n)) {
			ret = pp__fail(&s, "a NUL byte");
			break;
		}
		memcpy(line, buf + off, n);
		line[n] = '\0';
		off += n + 1;
		for (size_t i = 0; i < n && !ret; i++)
			if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
				ret = pp__fail(&s, "a control character");
		if (!ret)
			ret = pp__split(&s, line);
		if (!ret)
			ret = pp__line(&s);
	}
	free(line);
	if (!ret && !s.ended) {
		s.line++;
		ret = pp__fail(&s, "no 'end' line (truncated plan?)");
	}
	if (ret)
		plan__free(p);
	return ret;
}

int plan__load(const char *path, struct plan *p, char *err, size_t errlen)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	int fd, ret;

	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open the plan %s: %s", path, strerror(errno));
		free(buf);
		return ret;
	}
	for (;;) {
		ssize_t r;

		if (len == cap) {
			char *nb = cap <= PLAN_MAX_BYTES ? realloc(buf, cap * 2) : NULL;

			if (!nb) {
				snprintf(err, errlen, "the plan %s is larger than %u bytes", path,
					 PLAN_MAX_BYTES);
				ret = -EFBIG;
				goto out;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			snprintf(err, errlen, "cannot read the plan %s: %s", path, strerror(errno));
			goto out;
		}
		if (!r)
			break;
		len += (size_t)r;
	}
	ret = plan__parse(buf, len, p, err, errlen);
out:
	close(fd);
	free(buf);
	return ret;
}

static void plan__free_argv(char **argv, size_t argc)
{
	for (size_t i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

static void plan__free_work(struct plan_work *w)
{
	free(w->phases);
	plan__free_argv(w->argv, w->argc);
}

static void plan__free_section(struct plan_section *sec)
{
	for (size_t i = 0; i < sec->ncgroups; i++) {
		for (size_t j = 0; j < sec->cgroups[i].nworks; j++)
			plan__free_work(&sec->cgroups[i].works[j]);
		free(sec->cgroups[i].works);
		free(sec->cgroups[i].name);
	}
	free(sec->cgroups);
	for (size_t i = 0; i < sec->nops; i++) {
		struct plan_op *op = &sec->ops[i];

		free(op->cgroup);
		free(op->cgroup2);
		free(op->name);
		plan__free_work(&op->work);
		plan__free_argv(op->argv, op->argc);
	}
	free(sec->ops);
}

void plan__free(struct plan *p)
{
	free(p->name);
	free(p->sched_path);
	plan__free_argv(p->sched_args, p->nsched_args);
	plan_shell__free(&p->shell);
	plan__free_section(&p->backdrop);
	for (size_t i = 0; i < p->nsteps; i++)
		plan__free_section(&p->steps[i]);
	free(p->steps);
	memset(p, 0, sizeof(*p));
}
