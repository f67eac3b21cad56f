// SPDX-License-Identifier: GPL-2.0
/* Steps: their ops, their own cgroups and their holds. */
#include <stdio.h>
#include <string.h>

#include "scenario_load_int.h"
#include "base/units.h"
#include "wire/plan_format.h"

/* ---- ops ---- */

static const char *const op_names[OP_KIND_COUNT + 1] = {
	"add_cgroup", "remove_cgroup", "set_cpuset", "clear_cpuset", "swap_cpusets", "spawn",
	"stop_cgroup", "set_affinity", "spawn_host", "move_all_tasks", "run", "wait", "kill",
	"move_tasks", "restart_scheduler", NULL,
};
static const struct keyset op_ks = { "op", op_names };

enum { A_CGROUP, A_CPUSET, A_WORK, A_WORKERS, A_AFFINITY, A_FROM, A_TO, A_NAME, A_ARGV, A_NTASKS,
       A_DOWN, A_COUNT };

static const char *const arg_names[A_COUNT] = {
	"cgroup", "cpuset", "work", "workers", "affinity", "from", "to", "name", "argv", "count",
	"down",
};

/* The map argument of op @name, over the keys in @mask (bits of A_*). */
static bool op_args(struct load_ctx *c, const yaml_node_t *n, const char *name, unsigned mask,
		    unsigned required, const yaml_node_t *vals[A_COUNT],
		    const yaml_node_t *keys[A_COUNT])
{
	const char *kl[A_COUNT + 1];
	int idx[A_COUNT], nk = 0, k;
	struct keyset ks;
	struct mapiter it;
	char what[64];
	bool ok = true;

	for (int a = 0; a < A_COUNT; a++) {
		if (mask & (1u << a)) {
			idx[nk] = a;
			kl[nk++] = arg_names[a];
		}
	}
	kl[nk] = NULL;
	snprintf(what, sizeof(what), "'%s'", name);
	ks = (struct keyset){ what, kl };
	if (!mapiter__init(&it, c, n, &ks, name))
		return false;
	while ((k = mapiter__next(&it)) >= 0) {
		keys[idx[k]] = it.key;
		vals[idx[k]] = it.val;
	}
	for (int a = 0; a < A_COUNT; a++) {
		if ((required & (1u << a)) && !vals[a]) {
			load__err(c, n, "'%s' needs '%s'", name, arg_names[a]);
			ok = false;
		}
	}
	return ok;
}

/* A name given bare or as {name: x} (wait, kill). */
static const char *bare_or_named(struct load_ctx *c, const yaml_node_t *n, const char *op)
{
	const yaml_node_t *vals[A_COUNT] = { 0 }, *keys[A_COUNT] = { 0 };

	if (ytree__kind(n) != YNODE_MAP)
		return load__name(c, n, "name");
	if (!op_args(c, n, op, 1u << A_NAME, 1u << A_NAME, vals, keys))
		return NULL;
	return load__name(c, vals[A_NAME], "name");
}

#define BIT(a) (1u << (a))

static void op_spawn(struct load_ctx *c, const yaml_node_t *at,
		     const yaml_node_t *const vals[A_COUNT], const yaml_node_t *const keys[A_COUNT],
		     struct work *w)
{
	const yaml_node_t *ck[W_COMMON] = { 0 }, *cv[W_COMMON] = { 0 };

	ck[W_WORKERS] = keys[A_WORKERS];
	cv[W_WORKERS] = vals[A_WORKERS];
	load__work_with_keys(c, vals[A_WORK], at, ck, cv, w);
}

/* move_all_tasks and move_tasks: two different cgroups; move_tasks a count (default 1). */
static void op_move(struct load_ctx *c, const yaml_node_t *v, const char *name, struct op *op)
{
	const yaml_node_t *vals[A_COUNT] = { 0 }, *keys[A_COUNT] = { 0 };
	unsigned mask = BIT(A_FROM) | BIT(A_TO);

	if (op->kind == OP_MOVE_TASKS)
		mask |= BIT(A_NTASKS);
	if (!op_args(c, v, name, mask, BIT(A_FROM) | BIT(A_TO), vals, keys))
		return;
	op->cgroup = load__cgroup_name(c, vals[A_FROM], "from");
	op->cgroup2 = load__cgroup_name(c, vals[A_TO], "to");
	if (op->cgroup && op->cgroup2 && !strcmp(op->cgroup, op->cgroup2))
		load__err(c, vals[A_TO], "'%s' needs two different cgroups, got '%s' twice", name,
			  op->cgroup);
	if (op->kind != OP_MOVE_TASKS)
		return;
	op->count = 1;
	if (vals[A_NTASKS])
		load__u32(c, vals[A_NTASKS], "count", 1, PLAN_MAX_MOVE_TASKS, &op->count);
}

/* restart_scheduler: {down: D} or {} (or no value): D >= 0, default 0. */
static void op_restart(struct load_ctx *c, const yaml_node_t *v, const char *name, struct op *op)
{
	const yaml_node_t *vals[A_COUNT] = { 0 }, *keys[A_COUNT] = { 0 };

	if (load__is_null(v))
		return;
	if (!op_args(c, v, name, BIT(A_DOWN), 0, vals, keys))
		return;
	if (vals[A_DOWN])
		load__duration(c, vals[A_DOWN], "down", &op->down_ns);
}

static void op_parse(struct load_ctx *c, const yaml_node_t *key, const yaml_node_t *v, int kind,
		     struct op *op)
{
	const yaml_node_t *vals[A_COUNT] = { 0 }, *keys[A_COUNT] = { 0 };
	const char *name = op_names[kind];
	size_t len;

	op->kind = (enum op_kind)kind;
	op->loc = load__loc(c, key);
	switch (op->kind) {
	case OP_ADD_CGROUP:
		if (ytree__kind(v) != YNODE_MAP) {
			op->cgroup = load__cgroup_name(c, v, name);
			break;
		}
		if (!op_args(c, v, name, BIT(A_NAME) | BIT(A_CPUSET), BIT(A_NAME), vals, keys))
			break;
		op->cgroup = load__cgroup_name(c, vals[A_NAME], "name");
		if (vals[A_CPUSET])
			op->has_cpuset = load__cpuset(c, vals[A_CPUSET], &op->cpuset);
		break;
	case OP_REMOVE_CGROUP:
	case OP_CLEAR_CPUSET:
	case OP_STOP_CGROUP:
		op->cgroup = load__cgroup_name(c, v, name);
		break;
	case OP_SET_CPUSET:
		if (!op_args(c, v, name, BIT(A_CGROUP) | BIT(A_CPUSET), BIT(A_CGROUP) | BIT(A_CPUSET),
			     vals, keys))
			break;
		op->cgroup = load__cgroup_name(c, vals[A_CGROUP], "cgroup");
		op->has_cpuset = load__cpuset(c, vals[A_CPUSET], &op->cpuset);
		break;
	case OP_SWAP_CPUSETS: {
		const yaml_node_t *a, *b;

		if (ytree__kind(v) != YNODE_SEQ || ytree__seq_len(v) != 2) {
			load__err(c, v, "'swap_cpusets' takes a list of two cgroups, e.g. [cg0, cg1], got %s",
				  load__show(c, v));
			break;
		}
		a = ytree__seq_at(c->t, v, 0);
		b = ytree__seq_at(c->t, v, 1);
		if (!a || !b)
			break;
		op->cgroup = load__cgroup_name(c, a, name);
		op->cgroup2 = load__cgroup_name(c, b, name);
		if (op->cgroup && op->cgroup2 && !strcmp(op->cgroup, op->cgroup2))
			load__err(c, v,
				  "'swap_cpusets' needs two different cgroups, got '%s' twice",
				  op->cgroup);
		break;
	}
	case OP_SPAWN:
		if (!op_args(c, v, name, BIT(A_CGROUP) | BIT(A_WORK) | BIT(A_WORKERS), BIT(A_CGROUP),
			     vals, keys))
			break;
		op->cgroup = load__cgroup_name(c, vals[A_CGROUP], "cgroup");
		op_spawn(c, key, vals, keys, &op->work);
		break;
	case OP_SPAWN_HOST:
		if (!op_args(c, v, name, BIT(A_WORK) | BIT(A_WORKERS), 0, vals, keys))
			break;
		op_spawn(c, key, vals, keys, &op->work);
		break;
	case OP_SET_AFFINITY:
		if (!op_args(c, v, name, BIT(A_CGROUP) | BIT(A_AFFINITY),
			     BIT(A_CGROUP) | BIT(A_AFFINITY), vals, keys))
			break;
		op->cgroup = load__cgroup_name(c, vals[A_CGROUP], "cgroup");
		load__affinity(c, vals[A_AFFINITY], &op->affinity);
		break;
	case OP_MOVE_ALL_TASKS:
	case OP_MOVE_TASKS:
		op_move(c, v, name, op);
		break;
	case OP_RESTART_SCHEDULER:
		op_restart(c, v, name, op);
		break;
	case OP_RUN:
		if (!op_args(c, v, name, BIT(A_NAME) | BIT(A_ARGV) | BIT(A_CGROUP),
			     BIT(A_NAME) | BIT(A_ARGV), vals, keys))
			break;
		op->name = load__name(c, vals[A_NAME], "name");
		op->argv = load__str_list(c, vals[A_ARGV], "argv", &len, false, NULL);
		op->argc = len;
		if (op->argv && op->argc && !op->argv[0][0])
			load__err(c, vals[A_ARGV], "'argv' must start with a program name");
		if (vals[A_CGROUP])
			op->cgroup = load__cgroup_name(c, vals[A_CGROUP], "cgroup");
		break;
	case OP_WAIT:
	case OP_KILL:
		op->name = bare_or_named(c, v, name);
		break;
	case OP_KIND_COUNT:
		break;
	}
}

static void ops(struct load_ctx *c, const yaml_node_t *n, struct step *st)
{
	size_t len;

	if (!load__seq(c, n, "ops", &len, true))
		return;
	st->ops = load__array(c, n, len, sizeof(*st->ops));
	if (!st->ops)
		return;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);
		struct mapiter it;
		int k;

		if (!item)
			return;
		if (ytree__kind(item) == YNODE_SCALAR && !load__is_null(item)) {
			/* "- stop_cgroup" without a value: say what the op wants. */
			load__err(c, item, "an op is a map with one key, e.g. {stop_cgroup: cg0}, got %s",
				  load__show(c, item));
			continue;
		}
		if (!mapiter__init(&it, c, item, &op_ks, "op"))
			continue;
		if (it.n != 1) {
			load__err(c, item, "an op is a map with one key, e.g. {stop_cgroup: cg0}; this one has %zu",
				  it.n);
			continue;
		}
		while ((k = mapiter__next(&it)) >= 0)
			op_parse(c, it.key, it.val, k, &st->ops[st->nops++]);
	}
}

/* ---- steps ---- */

enum { S_OPS, S_CGROUPS, S_HOLD };

static const char *const step_keys[] = { "ops", "cgroups", "hold", NULL };
static const struct keyset step_ks = { "step", step_keys };
static const char *const hold_keys[] = { "loop", NULL };
static const struct keyset hold_ks = { "hold", hold_keys };

static void hold(struct load_ctx *c, const yaml_node_t *n, struct hold *h)
{
	const char *s;
	size_t len;

	if (ytree__kind(n) == YNODE_MAP) {
		struct mapiter it;

		if (!mapiter__init(&it, c, n, &hold_ks, "hold"))
			return;
		while (mapiter__next(&it) >= 0) {
			h->kind = HOLD_LOOP;
			if (load__duration(c, it.val, "loop", &h->ns) && !h->ns)
				load__err(c, it.val, "'loop' interval must be greater than 0");
		}
		if (h->kind != HOLD_LOOP && !mapiter__seen(&it, 0))
			load__err(c, n, "a hold map needs 'loop', e.g. {loop: 200ms}");
		return;
	}
	s = load__scalar(c, n, "hold");
	if (!s)
		return;
	len = strlen(s);
	/* A unit makes it a time; a bare number or ratio is a share of the duration. */
	if (len && s[len - 1] >= '0' && s[len - 1] <= '9') {
		char err[256];

		h->kind = HOLD_FRAC;
		if (units__parse_fraction(s, &h->frac, err, sizeof(err))) {
			if (!strchr(s, '/') && len < 16 && s[0] >= '0' && s[0] <= '9')
				load__err(c, n, "'hold': %s; for a time add a unit, e.g. %ss", err, s);
			else
				load__err(c, n, "'hold': %s", err);
		} else if (h->frac <= 0) {
			load__err(c, n, "'hold' must be greater than 0");
		}
		return;
	}
	h->kind = HOLD_FIXED;
	if (load__duration(c, n, "hold", &h->ns) && !h->ns)
		load__err(c, n, "'hold' must be greater than 0");
}

void load__steps(struct load_ctx *c, const yaml_node_t *n, struct step **out, size_t *count)
{
	size_t len;

	*out = NULL;
	*count = 0;
	if (!load__seq(c, n, "steps", &len, true))
		return;
	*out = load__array(c, n, len, sizeof(**out));
	if (!*out)
		return;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);
		struct step *st = &(*out)[(*count)++];
		struct mapiter it;
		int k;

		if (!item)
			break;
		st->loc = load__loc(c, item);
		st->hold.kind = HOLD_FRAC;
		st->hold.frac = 1.0 / (double)len;
		if (!mapiter__init(&it, c, item, &step_ks, "step"))
			continue;
		while ((k = mapiter__next(&it)) >= 0) {
			switch (k) {
			case S_OPS:
				ops(c, it.val, st);
				break;
			case S_CGROUPS:
				load__cgroups(c, it.val, &st->cgroups, &st->ncgroups);
				break;
			case S_HOLD:
				hold(c, it.val, &st->hold);
				break;
			}
		}
	}
}
