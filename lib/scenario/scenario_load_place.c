// SPDX-License-Identifier: GPL-2.0
/*
 * Where and how workers run: cpuset specs, affinities, scheduling policies,
 * memory policies and their flags.
 */
#include <stdio.h>
#include <string.h>

#include "scenario_inst.h"
#include "scenario_load_int.h"
#include "base/units.h"

/* ---- cpusets ---- */

enum { CS_LLC, CS_NUMA, CS_RANGE, CS_DISJOINT, CS_OVERLAP, CS_FRAC, CS_CPUS, CS_COUNT };

static const char *const cpuset_keys[] = {
	"llc", "numa", "range", "disjoint", "overlap", "frac", "cpus", NULL,
};
static const struct keyset cpuset_ks = { "cpuset", cpuset_keys };

/* Digits only, at most 6 of them (no sign, no spaces); -1 otherwise. */
static long small_uint(const char *s, size_t len)
{
	long v = 0;

	if (!len || len > 6)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "I/N" of disjoint and overlap; the index/count checks need no topology. */
static bool partition(struct load_ctx *c, const yaml_node_t *n, const char *what,
		      struct cpuset_spec *out)
{
	const char *s = load__scalar(c, n, what);
	const char *slash;
	long idx, of;

	if (!s)
		return false;
	slash = strchr(s, '/');
	idx = slash ? small_uint(s, (size_t)(slash - s)) : -1;
	of = slash ? small_uint(slash + 1, strlen(slash + 1)) : -1;
	if (idx < 0 || of < 0) {
		load__err(c, n, "bad '%s' value %s: write INDEX/COUNT, e.g. 0/2 for the first of two parts",
			  what, load__show(c, n));
		return false;
	}
	if (of == 0) {
		load__err(c, n, "'%s': partition count must be > 0, got %s", what,
			  load__show(c, n));
		return false;
	}
	if (idx >= of) {
		load__err(c, n, "'%s': index %ld >= partition count %ld (indexes start at 0)", what,
			  idx, of);
		return false;
	}
	out->index = (uint32_t)idx;
	out->of = (uint32_t)of;
	return true;
}

static bool cpu_list(struct load_ctx *c, const yaml_node_t *n, const char *what, struct cpuset *out)
{
	const char *s = load__scalar(c, n, what);
	char err[256];

	if (!s)
		return false;
	err[0] = '\0';
	if (cpuset__parse(s, out, err, sizeof(err))) {
		load__err(c, n, "'%s': %s", what, err);
		return false;
	}
	if (cpuset__empty(out)) {
		load__err(c, n, "'%s' must not be empty", what);
		return false;
	}
	return true;
}

/* {i} written without quotes: YAML reads it as the map {i: null}. */
static bool unquoted_placeholder(struct load_ctx *c, const yaml_node_t *n, const char *what)
{
	yaml_node_t *key, *val;
	const char *s;

	if (ytree__kind(n) != YNODE_MAP || ytree__map_len(n) != 1 ||
	    !ytree__map_at(c->t, n, 0, &key, &val) || !load__is_null(val))
		return false;
	s = ytree__scalar(key, NULL);
	if (!s || (strcmp(s, "i") && strcmp(s, "n")))
		return false;
	load__err(c, n, "'%s': write \"{%s}\" in quotes; YAML reads a bare {%s} as a map",
		  what, s, s);
	return true;
}

/*
 * The value of a repeated entry's cpuset key with {i} or {n}: kept as text
 * and checked on the first copy (the others differ in digits only).
 */
static bool cpuset_tmpl(struct load_ctx *c, const yaml_node_t *n, const char *what,
			struct cpuset_spec *out, const char **tmpl)
{
	const char *s = load__scalar(c, n, what);
	char err[320];

	if (!s)
		return false;
	if (scenario_tmpl__cpuset(out, s, 0, 1, err, sizeof(err))) {
		load__err(c, n, "%s", err);
		return false;
	}
	*tmpl = load__str(c, n, what);
	return *tmpl != NULL;
}

bool load__cpuset(struct load_ctx *c, const yaml_node_t *n, struct cpuset_spec *out)
{
	return load__cpuset_tmpl(c, n, out, NULL);
}

bool load__cpuset_tmpl(struct load_ctx *c, const yaml_node_t *n, struct cpuset_spec *out,
		       const char **tmpl)
{
	static const enum cpuset_kind kinds[CS_COUNT] = {
		[CS_LLC] = CPUSET_LLC, [CS_NUMA] = CPUSET_NUMA, [CS_RANGE] = CPUSET_RANGE,
		[CS_DISJOINT] = CPUSET_DISJOINT, [CS_OVERLAP] = CPUSET_OVERLAP,
		[CS_CPUS] = CPUSET_EXACT,
	};
	const yaml_node_t *v[CS_COUNT] = { 0 }, *kind_key = NULL;
	int errs = c->errs, kind = -1, k;
	struct mapiter it;
	const char *text;

	memset(out, 0, sizeof(*out));
	if (tmpl)
		*tmpl = NULL;
	if (!mapiter__init(&it, c, n, &cpuset_ks, "cpuset"))
		return false;
	while ((k = mapiter__next(&it)) >= 0) {
		v[k] = it.val;
		if (k == CS_FRAC)
			continue;
		if (kind >= 0) {
			load__err(c, it.key, "a cpuset is one of llc, numa, range, disjoint, overlap or cpus; got both '%s' and '%s'",
				  cpuset_keys[kind], cpuset_keys[k]);
			continue;
		}
		kind = k;
		kind_key = it.key;
	}
	if (c->errs != errs)
		return false;
	if (kind < 0) {
		load__err(c, n, v[CS_FRAC] ? "'frac' only goes with 'overlap', e.g. {overlap: 1/3, frac: 0.5}"
					 : "empty cpuset: write one of {llc: 0}, {numa: 0}, {range: [0.0, 0.5]}, {disjoint: 0/2}, {overlap: 0/2, frac: 0.5}, {cpus: \"0-3\"}");
		return false;
	}
	if (v[CS_FRAC] && kind != CS_OVERLAP) {
		load__err(c, mapiter__seen(&it, CS_FRAC), "'frac' only goes with 'overlap'");
		return false;
	}
	if (unquoted_placeholder(c, v[kind], cpuset_keys[kind]))
		return false;
	text = ytree__scalar(v[kind], NULL);
	if (tmpl && kind != CS_RANGE && text && strchr(text, '{')) {
		out->kind = kinds[kind];
		if (kind == CS_OVERLAP && !v[CS_FRAC]) {
			load__err(c, kind_key, "'overlap' needs 'frac', e.g. "
				  "{overlap: \"{i}/{n}\", frac: 0.5}");
			return false;
		}
		if (kind == CS_OVERLAP && !load__fraction(c, v[CS_FRAC], "frac", &out->frac))
			return false;
		return cpuset_tmpl(c, v[kind], cpuset_keys[kind], out, tmpl);
	}
	switch (kind) {
	case CS_LLC:
		out->kind = CPUSET_LLC;
		return load__u32(c, v[CS_LLC], "llc", 0, KTSTR_MAX_CPUS - 1, &out->index);
	case CS_NUMA:
		out->kind = CPUSET_NUMA;
		return load__u32(c, v[CS_NUMA], "numa", 0, KTSTR_MAX_NUMA - 1, &out->index);
	case CS_RANGE: {
		const yaml_node_t *r = v[CS_RANGE];
		const yaml_node_t *a, *b;

		out->kind = CPUSET_RANGE;
		if (ytree__kind(r) != YNODE_SEQ || ytree__seq_len(r) != 2) {
			load__err(c, r, "'range' must be a list of two fractions [start, end], e.g. [0.0, 0.5], got %s",
				  load__show(c, r));
			return false;
		}
		a = ytree__seq_at(c->t, r, 0);
		b = ytree__seq_at(c->t, r, 1);
		if (!a || !b || !load__fraction(c, a, "range", &out->start) ||
		    !load__fraction(c, b, "range", &out->end))
			return false;
		if (out->start >= out->end) {
			load__err(c, r, "'range' start %g must be less than its end %g", out->start,
				  out->end);
			return false;
		}
		return true;
	}
	case CS_DISJOINT:
		out->kind = CPUSET_DISJOINT;
		return partition(c, v[CS_DISJOINT], "disjoint", out);
	case CS_OVERLAP:
		out->kind = CPUSET_OVERLAP;
		if (!v[CS_FRAC]) {
			load__err(c, kind_key, "'overlap' needs 'frac', e.g. {overlap: 1/3, frac: 0.5}");
			return false;
		}
		if (!partition(c, v[CS_OVERLAP], "overlap", out))
			return false;
		return load__fraction(c, v[CS_FRAC], "frac", &out->frac);
	case CS_CPUS:
		out->kind = CPUSET_EXACT;
		return cpu_list(c, v[CS_CPUS], "cpus", &out->cpus);
	}
	return false;
}

/* ---- affinity, policy, memory policy ---- */

static const char *const affinity_names[] = {
	"inherit", "random-subset", "llc-aligned", "cross-cgroup", "single-cpu", NULL,
};

bool load__affinity(struct load_ctx *c, const yaml_node_t *n, struct affinity *out)
{
	char hint[128];
	const char *s;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (ytree__kind(n) == YNODE_SEQ) {
		if (!load__seq(c, n, "affinity", &len, false))
			return false;
		out->kind = AFFINITY_CPUS;
		for (size_t i = 0; i < len; i++) {
			const yaml_node_t *item = ytree__seq_at(c->t, n, i);
			uint32_t cpu;

			if (!item ||
			    !load__u32(c, item, "affinity", 0, KTSTR_CPUSET_BITS - 1, &cpu))
				return false;
			cpuset__set(&out->cpus, cpu);
		}
		return true;
	}
	s = load__scalar(c, n, "affinity");
	if (!s)
		return false;
	if (s[0] >= '0' && s[0] <= '9') {
		out->kind = AFFINITY_CPUS;
		return cpu_list(c, n, "affinity", &out->cpus);
	}
	for (int i = 0; affinity_names[i]; i++) {
		if (!strcmp(s, affinity_names[i])) {
			out->kind = (enum affinity_kind)i;
			return true;
		}
	}
	load__hint(c, s, affinity_names, 5, hint, sizeof(hint));
	load__err(c, n, "unknown affinity %s%s", load__show(c, n),
		  hint[0] ? hint : " (expected inherit, random-subset, llc-aligned, cross-cgroup, single-cpu, or a CPU list such as 0-3,6)");
	return false;
}

static const char *const policy_names[] = { "normal", "batch", "idle", "fifo", "rr", NULL };

bool load__policy(struct load_ctx *c, const yaml_node_t *n, struct sched_policy *out)
{
	const char *s = load__scalar(c, n, "policy");
	const char *colon;
	char head[16], hint[128];
	size_t hl;

	if (!s)
		return false;
	colon = strchr(s, ':');
	hl = colon ? (size_t)(colon - s) : strlen(s);
	if (hl >= sizeof(head))
		hl = sizeof(head) - 1;
	memcpy(head, s, hl);
	head[hl] = '\0';
	for (int i = 0; policy_names[i]; i++) {
		if (strcmp(head, policy_names[i]))
			continue;
		bool rt = i == POLICY_FIFO || i == POLICY_RR;
		char err[128];
		int64_t prio;

		out->kind = (enum sched_policy_kind)i;
		out->priority = 0;
		if (!rt && !colon)
			return true;
		if (!rt) {
			load__err(c, n, "policy '%s' takes no priority, got %s", head, load__show(c, n));
			return false;
		}
		if (!colon || units__parse_int(colon + 1, 1, 99, &prio, err, sizeof(err))) {
			load__err(c, n, "bad policy %s: write %s:N with a priority from 1 to 99, e.g. %s:50",
				  load__show(c, n), head, head);
			return false;
		}
		out->priority = (uint32_t)prio;
		return true;
	}
	load__hint(c, head, policy_names, 5, hint, sizeof(hint));
	load__err(c, n, "unknown policy %s%s", load__show(c, n),
		  hint[0] ? hint : " (expected normal, batch, idle, fifo:N or rr:N)");
	return false;
}

static bool node_list(struct load_ctx *c, const yaml_node_t *n, const char *what, uint64_t *nodes)
{
	size_t len;

	if (ytree__kind(n) != YNODE_SEQ) {
		load__err(c, n, "'%s' must be a list of NUMA nodes, e.g. [0, 1], got %s", what,
			  load__show(c, n));
		return false;
	}
	if (!load__seq(c, n, what, &len, false))
		return false;
	*nodes = 0;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);
		uint32_t node;

		if (!item || !load__u32(c, item, what, 0, 63, &node))
			return false;
		*nodes |= 1ULL << node;
	}
	return true;
}

static const char *const mempol_keys[] = {
	"default", "local", "bind", "preferred", "interleave", "preferred_many",
	"weighted_interleave", NULL,
};
static const struct keyset mempol_ks = { "mem_policy", mempol_keys };

bool load__mem_policy(struct load_ctx *c, const yaml_node_t *n, struct mem_policy *out)
{
	struct mapiter it;
	char hint[128];
	int k, errs = c->errs;

	out->kind = MEMPOL_DEFAULT;
	out->nodes = 0;
	if (ytree__kind(n) == YNODE_SCALAR) {
		const char *s = load__scalar(c, n, "mem_policy");

		if (!s)
			return false;
		if (!strcmp(s, "default") || !strcmp(s, "local")) {
			out->kind = s[0] == 'd' ? MEMPOL_DEFAULT : MEMPOL_LOCAL;
			return true;
		}
		load__hint(c, s, mempol_keys, 7, hint, sizeof(hint));
		load__err(c, n, "unknown mem_policy %s%s", load__show(c, n),
			  hint[0] ? hint : " (expected default, local, or a map such as {bind: [0]})");
		return false;
	}
	if (!mapiter__init(&it, c, n, &mempol_ks, "mem_policy"))
		return false;
	if (it.n != 1) {
		load__err(c, n, "'mem_policy' map must have exactly one key, e.g. {bind: [0, 1]}; got %zu",
			  it.n);
		return false;
	}
	while ((k = mapiter__next(&it)) >= 0) {
		out->kind = (enum mem_policy_kind)k;
		switch (k) {
		case MEMPOL_DEFAULT:
		case MEMPOL_LOCAL:
			load__err(c, it.key, "write 'mem_policy: %s' without a value", mempol_keys[k]);
			break;
		case MEMPOL_PREFERRED: {
			uint32_t node;

			if (load__u32(c, it.val, "preferred", 0, 63, &node))
				out->nodes = 1ULL << node;
			break;
		}
		default:
			node_list(c, it.val, mempol_keys[k], &out->nodes);
			break;
		}
	}
	return c->errs == errs;
}

static const char *const mpol_flag_names[] = {
	"static-nodes", "relative-nodes", "numa-balancing", NULL,
};

bool load__mpol_flags(struct load_ctx *c, const yaml_node_t *n, uint32_t *flags)
{
	static const uint32_t bits[] = {
		MPOL_FLAG_STATIC_NODES, MPOL_FLAG_RELATIVE_NODES, MPOL_FLAG_NUMA_BALANCING,
	};
	char hint[128];
	size_t len;
	int errs = c->errs;

	*flags = 0;
	if (!load__seq(c, n, "mpol_flags", &len, true))
		return false;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);
		const char *s;
		int f;

		if (!item)
			return false;
		s = load__scalar(c, item, "mpol_flags");
		if (!s)
			continue;
		for (f = 0; mpol_flag_names[f]; f++)
			if (!strcmp(s, mpol_flag_names[f]))
				break;
		if (!mpol_flag_names[f]) {
			load__hint(c, s, mpol_flag_names, 3, hint, sizeof(hint));
			load__err(c, item, "unknown mpol flag %s%s", load__show(c, item),
				  hint[0] ? hint : " (expected static-nodes, relative-nodes or numa-balancing)");
			continue;
		}
		*flags |= bits[f];
	}
	return c->errs == errs;
}
