// SPDX-License-Identifier: GPL-2.0
/*
 * The worker side of a scenario file: cpusets, works (types, parameters,
 * policies, affinities, memory policies) and cgroups.
 */
#include <stdio.h>
#include <string.h>

#include "scenario_load_int.h"
#include "units.h"

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
static bool partition(struct lctx *c, const yaml_node_t *n, const char *what,
		      struct cpuset_spec *out)
{
	const char *s = ld__scalar(c, n, what);
	const char *slash;
	long idx, of;

	if (!s)
		return false;
	slash = strchr(s, '/');
	idx = slash ? small_uint(s, (size_t)(slash - s)) : -1;
	of = slash ? small_uint(slash + 1, strlen(slash + 1)) : -1;
	if (idx < 0 || of < 0) {
		ld__err(c, n, "bad '%s' value %s: write INDEX/COUNT, e.g. 0/2 for the first of two parts",
			what, ld__show(c, n));
		return false;
	}
	if (of == 0) {
		ld__err(c, n, "'%s': partition count must be > 0, got %s", what, ld__show(c, n));
		return false;
	}
	if (idx >= of) {
		ld__err(c, n, "'%s': index %ld >= partition count %ld (indexes start at 0)", what,
			idx, of);
		return false;
	}
	out->index = (uint32_t)idx;
	out->of = (uint32_t)of;
	return true;
}

static bool cpu_list(struct lctx *c, const yaml_node_t *n, const char *what, struct cpuset *out)
{
	const char *s = ld__scalar(c, n, what);
	char err[256];

	if (!s)
		return false;
	err[0] = '\0';
	if (cpuset__parse(s, out, err, sizeof(err))) {
		ld__err(c, n, "'%s': %s", what, err);
		return false;
	}
	if (cpuset__empty(out)) {
		ld__err(c, n, "'%s' must not be empty", what);
		return false;
	}
	return true;
}

bool ld__cpuset(struct lctx *c, const yaml_node_t *n, struct cpuset_spec *out)
{
	const yaml_node_t *v[CS_COUNT] = { 0 }, *kind_key = NULL;
	int errs = c->errs, kind = -1, k;
	struct mapiter it;

	memset(out, 0, sizeof(*out));
	if (!mapiter__init(&it, c, n, &cpuset_ks, "cpuset"))
		return false;
	while ((k = mapiter__next(&it)) >= 0) {
		v[k] = it.val;
		if (k == CS_FRAC)
			continue;
		if (kind >= 0) {
			ld__err(c, it.key, "a cpuset is one of llc, numa, range, disjoint, overlap or cpus; got both '%s' and '%s'",
				cpuset_keys[kind], cpuset_keys[k]);
			continue;
		}
		kind = k;
		kind_key = it.key;
	}
	if (c->errs != errs)
		return false;
	if (kind < 0) {
		ld__err(c, n, v[CS_FRAC] ? "'frac' only goes with 'overlap', e.g. {overlap: 1/3, frac: 0.5}"
					 : "empty cpuset: write one of {llc: 0}, {numa: 0}, {range: [0.0, 0.5]}, {disjoint: 0/2}, {overlap: 0/2, frac: 0.5}, {cpus: \"0-3\"}");
		return false;
	}
	if (v[CS_FRAC] && kind != CS_OVERLAP) {
		ld__err(c, mapiter__seen(&it, CS_FRAC), "'frac' only goes with 'overlap'");
		return false;
	}
	switch (kind) {
	case CS_LLC:
		out->kind = CPUSET_LLC;
		return ld__u32(c, v[CS_LLC], "llc", 0, KTSTR_MAX_CPUS - 1, &out->index);
	case CS_NUMA:
		out->kind = CPUSET_NUMA;
		return ld__u32(c, v[CS_NUMA], "numa", 0, KTSTR_MAX_NUMA - 1, &out->index);
	case CS_RANGE: {
		const yaml_node_t *r = v[CS_RANGE];
		const yaml_node_t *a, *b;

		out->kind = CPUSET_RANGE;
		if (ytree__kind(r) != YNODE_SEQ || ytree__seq_len(r) != 2) {
			ld__err(c, r, "'range' must be a list of two fractions [start, end], e.g. [0.0, 0.5], got %s",
				ld__show(c, r));
			return false;
		}
		a = ytree__seq_at(c->t, r, 0);
		b = ytree__seq_at(c->t, r, 1);
		if (!a || !b || !ld__fraction(c, a, "range", &out->start) ||
		    !ld__fraction(c, b, "range", &out->end))
			return false;
		if (out->start >= out->end) {
			ld__err(c, r, "'range' start %g must be less than its end %g", out->start,
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
			ld__err(c, kind_key, "'overlap' needs 'frac', e.g. {overlap: 1/3, frac: 0.5}");
			return false;
		}
		if (!partition(c, v[CS_OVERLAP], "overlap", out))
			return false;
		return ld__fraction(c, v[CS_FRAC], "frac", &out->frac);
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

bool ld__affinity(struct lctx *c, const yaml_node_t *n, struct affinity *out)
{
	char hint[128];
	const char *s;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (ytree__kind(n) == YNODE_SEQ) {
		if (!ld__seq(c, n, "affinity", &len, false))
			return false;
		out->kind = AFFINITY_CPUS;
		for (size_t i = 0; i < len; i++) {
			const yaml_node_t *item = ytree__seq_at(c->t, n, i);
			uint32_t cpu;

			if (!item || !ld__u32(c, item, "affinity", 0, KTSTR_CPUSET_BITS - 1, &cpu))
				return false;
			cpuset__set(&out->cpus, cpu);
		}
		return true;
	}
	s = ld__scalar(c, n, "affinity");
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
	ld__hint(c, s, affinity_names, 5, hint, sizeof(hint));
	ld__err(c, n, "unknown affinity %s%s", ld__show(c, n),
		hint[0] ? hint : " (expected inherit, random-subset, llc-aligned, cross-cgroup, single-cpu, or a CPU list such as 0-3,6)");
	return false;
}

static const char *const policy_names[] = { "normal", "batch", "idle", "fifo", "rr", NULL };

static bool policy(struct lctx *c, const yaml_node_t *n, struct sched_policy *out)
{
	const char *s = ld__scalar(c, n, "policy");
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
			ld__err(c, n, "policy '%s' takes no priority, got %s", head, ld__show(c, n));
			return false;
		}
		if (!colon || units__parse_int(colon + 1, 1, 99, &prio, err, sizeof(err))) {
			ld__err(c, n, "bad policy %s: write %s:N with a priority from 1 to 99, e.g. %s:50",
				ld__show(c, n), head, head);
			return false;
		}
		out->priority = (uint32_t)prio;
		return true;
	}
	ld__hint(c, head, policy_names, 5, hint, sizeof(hint));
	ld__err(c, n, "unknown policy %s%s", ld__show(c, n),
		hint[0] ? hint : " (expected normal, batch, idle, fifo:N or rr:N)");
	return false;
}

static bool node_list(struct lctx *c, const yaml_node_t *n, const char *what, uint64_t *nodes)
{
	size_t len;

	if (ytree__kind(n) != YNODE_SEQ) {
		ld__err(c, n, "'%s' must be a list of NUMA nodes, e.g. [0, 1], got %s", what,
			ld__show(c, n));
		return false;
	}
	if (!ld__seq(c, n, what, &len, false))
		return false;
	*nodes = 0;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);
		uint32_t node;

		if (!item || !ld__u32(c, item, what, 0, 63, &node))
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

static bool mem_policy(struct lctx *c, const yaml_node_t *n, struct mem_policy *out)
{
	struct mapiter it;
	char hint[128];
	int k, errs = c->errs;

	out->kind = MEMPOL_DEFAULT;
	out->nodes = 0;
	if (ytree__kind(n) == YNODE_SCALAR) {
		const char *s = ld__scalar(c, n, "mem_policy");

		if (!s)
			return false;
		if (!strcmp(s, "default") || !strcmp(s, "local")) {
			out->kind = s[0] == 'd' ? MEMPOL_DEFAULT : MEMPOL_LOCAL;
			return true;
		}
		ld__hint(c, s, mempol_keys, 7, hint, sizeof(hint));
		ld__err(c, n, "unknown mem_policy %s%s", ld__show(c, n),
			hint[0] ? hint : " (expected default, local, or a map such as {bind: [0]})");
		return false;
	}
	if (!mapiter__init(&it, c, n, &mempol_ks, "mem_policy"))
		return false;
	if (it.n != 1) {
		ld__err(c, n, "'mem_policy' map must have exactly one key, e.g. {bind: [0, 1]}; got %zu",
			it.n);
		return false;
	}
	while ((k = mapiter__next(&it)) >= 0) {
		out->kind = (enum mem_policy_kind)k;
		switch (k) {
		case MEMPOL_DEFAULT:
		case MEMPOL_LOCAL:
			ld__err(c, it.key, "write 'mem_policy: %s' without a value", mempol_keys[k]);
			break;
		case MEMPOL_PREFERRED: {
			uint32_t node;

			if (ld__u32(c, it.val, "preferred", 0, 63, &node))
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

static bool mpol_flags(struct lctx *c, const yaml_node_t *n, uint32_t *flags)
{
	static const uint32_t bits[] = {
		MPOL_FLAG_STATIC_NODES, MPOL_FLAG_RELATIVE_NODES, MPOL_FLAG_NUMA_BALANCING,
	};
	char hint[128];
	size_t len;
	int errs = c->errs;

	*flags = 0;
	if (!ld__seq(c, n, "mpol_flags", &len, true))
		return false;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);
		const char *s;
		int f;

		if (!item)
			return false;
		s = ld__scalar(c, item, "mpol_flags");
		if (!s)
			continue;
		for (f = 0; mpol_flag_names[f]; f++)
			if (!strcmp(s, mpol_flag_names[f]))
				break;
		if (!mpol_flag_names[f]) {
			ld__hint(c, s, mpol_flag_names, 3, hint, sizeof(hint));
			ld__err(c, item, "unknown mpol flag %s%s", ld__show(c, item),
				hint[0] ? hint : " (expected static-nodes, relative-nodes or numa-balancing)");
			continue;
		}
		*flags |= bits[f];
	}
	return c->errs == errs;
}

/* ---- works ---- */

/* Keys every work takes, whatever its type; also valid on a cgroup with one work. */
enum {
	W_WORKERS, W_POLICY, W_NICE, W_AFFINITY, W_MEM_POLICY, W_MPOL_FLAGS, W_SWAPPABLE,
	W_COMMON
};

static const char *const common_keys[W_COMMON] = {
	"workers", "policy", "nice", "affinity", "mem_policy", "mpol_flags", "swappable",
};

/* Where each common key of a work was given, for conflicts and late checks. */
struct work_src {
	const yaml_node_t *key[W_COMMON];
	const yaml_node_t *val[W_COMMON];
};

static void work_common(struct lctx *c, int k, const yaml_node_t *v, struct work *w)
{
	int64_t nice;

	switch (k) {
	case W_WORKERS:
		ld__u32(c, v, "workers", 1, LD_MAX_WORKERS, &w->workers);
		break;
	case W_POLICY:
		policy(c, v, &w->policy);
		break;
	case W_NICE:
		if (ld__int(c, v, "nice", -20, 19, &nice)) {
			w->nice = (int32_t)nice;
			w->has_nice = true;
		}
		break;
	case W_AFFINITY:
		ld__affinity(c, v, &w->affinity);
		break;
	case W_MEM_POLICY:
		mem_policy(c, v, &w->mem_policy);
		break;
	case W_MPOL_FLAGS:
		mpol_flags(c, v, &w->mem_policy.flags);
		break;
	case W_SWAPPABLE:
		ld__bool(c, v, "swappable", &w->swappable);
		break;
	}
}

/* Checks that need several keys, after all of them are in. */
static void work_finish(struct lctx *c, const struct work_src *src, struct work *w)
{
	uint32_t f = w->mem_policy.flags;
	const yaml_node_t *at = src->val[W_MPOL_FLAGS];
	enum mem_policy_kind k = w->mem_policy.kind;

	if (!f || !at)
		return;
	if ((f & MPOL_FLAG_STATIC_NODES) && (f & MPOL_FLAG_RELATIVE_NODES))
		ld__err(c, at, "mpol_flags static-nodes and relative-nodes cannot be combined");
	if (k == MEMPOL_DEFAULT || k == MEMPOL_LOCAL)
		ld__err(c, at, "mpol_flags need a mem_policy with nodes (bind, preferred, interleave, ...), not '%s'",
			mem_policy_kind__name(k));
	else if ((f & MPOL_FLAG_NUMA_BALANCING) && k != MEMPOL_BIND && k != MEMPOL_PREFERRED_MANY)
		ld__err(c, at, "mpol flag numa-balancing works only with bind or preferred_many, not '%s'",
			mem_policy_kind__name(k));
}

void ld__work_default(struct work *w, const struct src_loc *loc)
{
	const struct work_type_desc *d = workload__desc(WORK_CPU_SPIN);

	memset(w, 0, sizeof(*w));
	w->type = d->type;
	if (loc)
		w->loc = *loc;
}

static bool work_type(struct lctx *c, const yaml_node_t *n, struct work *w)
{
	const struct work_type_desc *d;
	const char *const *names;
	size_t nnames;
	char hint[128];
	const char *s = ld__scalar(c, n, "type");

	if (!s)
		return false;
	d = workload__find(s);
	if (!d) {
		names = workload__names(&nnames);
		ld__hint(c, s, names, nnames, hint, sizeof(hint));
		ld__err(c, n, "unknown work type %s%s", ld__show(c, n),
			hint[0] ? hint : " (see ktstr-scenario(5) for the list)");
		return false;
	}
	w->type = d->type;
	for (size_t i = 0; i < d->nparams; i++)
		w->params[i] = d->params[i].def;
	return true;
}

static void format_size(uint64_t b, char *buf, size_t len)
{
	static const char *const u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int i = 0;

	while (i < 4 && b && b % 1024 == 0) {
		b /= 1024;
		i++;
	}
	snprintf(buf, len, "%llu%s", (unsigned long long)b, u[i]);
}

static void work_param(struct lctx *c, const yaml_node_t *n, const struct work_param_desc *p,
		       int64_t *out)
{
	char lo[32], hi[32], got[32];
	uint64_t v;

	switch (p->kind) {
	case PARAM_COUNT:
		ld__int(c, n, p->name, p->min, p->max, out);
		return;
	case PARAM_DURATION:
		if (!ld__duration(c, n, p->name, &v))
			return;
		if (v < (uint64_t)p->min || v > (uint64_t)p->max) {
			units__format_duration((uint64_t)p->min, lo, sizeof(lo));
			units__format_duration((uint64_t)p->max, hi, sizeof(hi));
			units__format_duration(v, got, sizeof(got));
			ld__err(c, n, "'%s' must be between %s and %s, got %s", p->name, lo, hi, got);
			return;
		}
		break;
	case PARAM_SIZE:
		if (!ld__size(c, n, p->name, &v))
			return;
		if (v < (uint64_t)p->min || v > (uint64_t)p->max) {
			format_size((uint64_t)p->min, lo, sizeof(lo));
			format_size((uint64_t)p->max, hi, sizeof(hi));
			format_size(v, got, sizeof(got));
			ld__err(c, n, "'%s' must be between %s and %s, got %s", p->name, lo, hi, got);
			return;
		}
		break;
	}
	*out = (int64_t)v;
}

static const char *const phase_names[] = { "spin", "sleep", "yield", "io", NULL };
static const struct keyset phase_ks = { "sequence phase", phase_names };

static void phases(struct lctx *c, const yaml_node_t *n, struct work *w)
{
	size_t len;

	if (!ld__seq(c, n, "phases", &len, false))
		return;
	w->phases = ld__array(c, n, len, sizeof(*w->phases));
	if (!w->phases)
		return;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);
		struct seq_phase *ph = &w->phases[w->nphases];
		struct mapiter it;
		int k;

		if (!item)
			return;
		if (!mapiter__init(&it, c, item, &phase_ks, "phase"))
			continue;
		if (it.n != 1) {
			ld__err(c, item, "a phase is a map with one key, e.g. {spin: 10ms}; got %zu keys",
				it.n);
			continue;
		}
		while ((k = mapiter__next(&it)) >= 0) {
			ph->kind = (enum seq_phase_kind)k;
			if (!ld__duration(c, it.val, phase_names[k], &ph->duration_ns))
				continue;
			if (!ph->duration_ns) {
				ld__err(c, it.val, "phase '%s' must last longer than 0", phase_names[k]);
				continue;
			}
			w->nphases++;
		}
	}
}

/* Parse a work into @w, recording where common keys were given in @src. */
static bool work_parse(struct lctx *c, const yaml_node_t *n, struct work *w, struct work_src *src)
{
	const char *keys[LD_MAX_KEYS];
	const struct work_type_desc *d;
	const yaml_node_t *type = NULL;
	struct keyset ks;
	struct mapiter it;
	char what[64];
	int errs = c->errs, k, nk = 0;

	memset(src, 0, sizeof(*src));
	ld__work_default(w, NULL);
	w->loc = ld__loc(c, n);
	if (ytree__kind(n) == YNODE_SCALAR)
		return work_type(c, n, w);
	if (ytree__kind(n) != YNODE_MAP) {
		ld__err(c, n, "a work must be a type name such as cpu-spin or a map with 'type', got %s",
			ld__show(c, n));
		return false;
	}
	/* The keys a work takes depend on its type: find the type first. */
	for (size_t i = 0; i < ytree__map_len(n); i++) {
		yaml_node_t *key, *val;
		const char *s;

		if (!ytree__map_at(c->t, n, i, &key, &val))
			break;
		s = ytree__scalar(key, NULL);
		if (s && !strcmp(s, "type")) {
			type = val;
			break;
		}
	}
	if (!type) {
		ld__err(c, n, "work has no 'type' (e.g. {type: bursty, burst: 50ms})");
		return false;
	}
	if (!work_type(c, type, w))
		return false;
	d = workload__desc(w->type);
	keys[nk++] = "type";
	for (int i = 0; i < W_COMMON; i++)
		keys[nk++] = common_keys[i];
	for (size_t i = 0; i < d->nparams; i++)
		keys[nk++] = d->params[i].name;
	if (w->type == WORK_SEQUENCE)
		keys[nk++] = "phases";
	if (w->type == WORK_EXEC)
		keys[nk++] = "argv";
	keys[nk] = NULL;
	snprintf(what, sizeof(what), "work type '%s'", d->name);
	ks = (struct keyset){ what, keys };
	if (!mapiter__init(&it, c, n, &ks, "work"))
		return false;
	while ((k = mapiter__next(&it)) >= 0) {
		const char *key = keys[k];

		if (k == 0)
			continue;
		if (k <= W_COMMON) {
			src->key[k - 1] = it.key;
			src->val[k - 1] = it.val;
			work_common(c, k - 1, it.val, w);
		} else if (!strcmp(key, "phases")) {
			phases(c, it.val, w);
		} else if (!strcmp(key, "argv")) {
			w->argv = ld__str_list(c, it.val, "argv", &w->argc, false, NULL);
			if (w->argv && w->argc && !w->argv[0][0])
				ld__err(c, it.val, "'argv' must start with a program name");
		} else {
			int p = workload__param_index(d, key);

			work_param(c, it.val, &d->params[p], &w->params[p]);
		}
	}
	if (w->type == WORK_SEQUENCE && !mapiter__seen(&it, nk - 1))
		ld__err(c, n, "work type 'sequence' needs 'phases', e.g. phases: [{spin: 10ms}, {sleep: 5ms}]");
	if (w->type == WORK_EXEC && !mapiter__seen(&it, nk - 1))
		ld__err(c, n, "work type 'exec' needs 'argv', e.g. argv: [schbench, -m, 2]");
	return c->errs == errs;
}

bool ld__work(struct lctx *c, const yaml_node_t *n, struct work *w)
{
	struct work_src src;
	int errs = c->errs;

	work_parse(c, n, w, &src);
	work_finish(c, &src, w);
	return c->errs == errs;
}

/*
 * A work given as `work:` next to group-level keys (a cgroup's single work,
 * spawn's `workers`). @n NULL means the default, cpu-spin, at @at.
 */
static void work_with_keys(struct lctx *c, const yaml_node_t *n, const yaml_node_t *at,
			   const yaml_node_t *const keys[W_COMMON],
			   const yaml_node_t *const vals[W_COMMON], struct work *w)
{
	struct work_src src;
	struct src_loc loc = ld__loc(c, at);

	if (n) {
		if (!work_parse(c, n, w, &src))
			return;
	} else {
		memset(&src, 0, sizeof(src));
		ld__work_default(w, &loc);
	}
	for (int k = 0; k < W_COMMON; k++) {
		if (!vals[k])
			continue;
		if (src.val[k]) {
			ld__err(c, keys[k],
				"'%s' is given both here and in the work (line %u, column %u); keep one",
				common_keys[k], ytree__line(src.key[k]), ytree__col(src.key[k]));
			continue;
		}
		src.key[k] = keys[k];
		src.val[k] = vals[k];
		work_common(c, k, vals[k], w);
	}
	work_finish(c, &src, w);
}

/* ---- cgroups ---- */

enum { CG_NAME, CG_CPUSET, CG_WORK, CG_WORKS, CG_COMMON, CG_COUNT = CG_COMMON + W_COMMON };

static const char *const cgroup_keys[] = {
	"name", "cpuset", "work", "works",
	"workers", "policy", "nice", "affinity", "mem_policy", "mpol_flags", "swappable", NULL,
};
static const struct keyset cgroup_ks = { "cgroup", cgroup_keys };

static bool cgroup(struct lctx *c, const yaml_node_t *n, struct cgroup_def *cg)
{
	const yaml_node_t *keys[CG_COUNT] = { 0 }, *vals[CG_COUNT] = { 0 };
	struct mapiter it;
	int errs = c->errs, k;

	cg->loc = ld__loc(c, n);
	if (!mapiter__init(&it, c, n, &cgroup_ks, "cgroup"))
		return false;
	while ((k = mapiter__next(&it)) >= 0) {
		keys[k] = it.key;
		vals[k] = it.val;
	}
	if (vals[CG_NAME])
		cg->name = ld__cgroup_name(c, vals[CG_NAME], "name");
	else
		ld__err(c, n, "cgroup has no 'name'");
	if (vals[CG_CPUSET]) {
		cg->cpuset_loc = ld__loc(c, vals[CG_CPUSET]);
		cg->has_cpuset = ld__cpuset(c, vals[CG_CPUSET], &cg->cpuset);
	}
	if (vals[CG_WORK] && vals[CG_WORKS]) {
		struct work scratch;

		ld__err(c, keys[CG_WORKS],
			"'work' and 'works' cannot both be given; use 'works' for several groups");
		ld__work(c, vals[CG_WORK], &scratch);	/* for its own errors */
	}
	if (vals[CG_WORKS]) {
		size_t len;

		for (k = CG_COMMON; k < CG_COUNT; k++)
			if (keys[k])
				ld__err(c, keys[k],
					"'%s' on a cgroup applies to its single 'work'; with 'works', put it inside each work",
					cgroup_keys[k]);
		if (!ld__seq(c, vals[CG_WORKS], "works", &len, false))
			return false;
		cg->works = ld__array(c, vals[CG_WORKS], len, sizeof(*cg->works));
		if (!cg->works)
			return false;
		for (size_t i = 0; i < len; i++) {
			const yaml_node_t *item = ytree__seq_at(c->t, vals[CG_WORKS], i);

			if (!item)
				break;
			ld__work(c, item, &cg->works[cg->nworks++]);
		}
		return c->errs == errs;
	}
	cg->works = ld__array(c, n, 1, sizeof(*cg->works));
	if (!cg->works)
		return false;
	cg->nworks = 1;
	work_with_keys(c, vals[CG_WORK], n, keys + CG_COMMON, vals + CG_COMMON, &cg->works[0]);
	return c->errs == errs;
}

void ld__cgroups(struct lctx *c, const yaml_node_t *n, struct cgroup_def **out, size_t *count)
{
	size_t len;

	*out = NULL;
	*count = 0;
	if (!ld__seq(c, n, "cgroups", &len, true))
		return;
	*out = ld__array(c, n, len, sizeof(**out));
	if (!*out)
		return;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);

		if (!item)
			break;
		if (ytree__kind(item) != YNODE_MAP) {
			ld__err(c, item, "each cgroup must be a map with a 'name', got %s",
				ld__show(c, item));
			continue;
		}
		cgroup(c, item, &(*out)[(*count)++]);
	}
}

/* ---- ops ---- */

static const char *const op_names[OP_KIND_COUNT + 1] = {
	"add_cgroup", "remove_cgroup", "set_cpuset", "clear_cpuset", "swap_cpusets", "spawn",
	"stop_cgroup", "set_affinity", "spawn_host", "move_all_tasks", "run", "wait", "kill",
	NULL,
};
static const struct keyset op_ks = { "op", op_names };

enum { A_CGROUP, A_CPUSET, A_WORK, A_WORKERS, A_AFFINITY, A_FROM, A_TO, A_NAME, A_ARGV, A_COUNT };

static const char *const arg_names[A_COUNT] = {
	"cgroup", "cpuset", "work", "workers", "affinity", "from", "to", "name", "argv",
};

/* The map argument of op @name, over the keys in @mask (bits of A_*). */
static bool op_args(struct lctx *c, const yaml_node_t *n, const char *name, unsigned mask,
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
			ld__err(c, n, "'%s' needs '%s'", name, arg_names[a]);
			ok = false;
		}
	}
	return ok;
}

/* A name given bare or as {name: x} (wait, kill). */
static const char *bare_or_named(struct lctx *c, const yaml_node_t *n, const char *op)
{
	const yaml_node_t *vals[A_COUNT] = { 0 }, *keys[A_COUNT] = { 0 };

	if (ytree__kind(n) != YNODE_MAP)
		return ld__name(c, n, "name");
	if (!op_args(c, n, op, 1u << A_NAME, 1u << A_NAME, vals, keys))
		return NULL;
	return ld__name(c, vals[A_NAME], "name");
}

#define BIT(a) (1u << (a))

static void op_spawn(struct lctx *c, const yaml_node_t *at,
		     const yaml_node_t *const vals[A_COUNT], const yaml_node_t *const keys[A_COUNT],
		     struct work *w)
{
	const yaml_node_t *ck[W_COMMON] = { 0 }, *cv[W_COMMON] = { 0 };

	ck[W_WORKERS] = keys[A_WORKERS];
	cv[W_WORKERS] = vals[A_WORKERS];
	work_with_keys(c, vals[A_WORK], at, ck, cv, w);
}

static void op_parse(struct lctx *c, const yaml_node_t *key, const yaml_node_t *v, int kind,
		     struct op *op)
{
	const yaml_node_t *vals[A_COUNT] = { 0 }, *keys[A_COUNT] = { 0 };
	const char *name = op_names[kind];
	size_t len;

	op->kind = (enum op_kind)kind;
	op->loc = ld__loc(c, key);
	switch (op->kind) {
	case OP_ADD_CGROUP:
		if (ytree__kind(v) != YNODE_MAP) {
			op->cgroup = ld__cgroup_name(c, v, name);
			break;
		}
		if (!op_args(c, v, name, BIT(A_NAME) | BIT(A_CPUSET), BIT(A_NAME), vals, keys))
			break;
		op->cgroup = ld__cgroup_name(c, vals[A_NAME], "name");
		if (vals[A_CPUSET])
			op->has_cpuset = ld__cpuset(c, vals[A_CPUSET], &op->cpuset);
		break;
	case OP_REMOVE_CGROUP:
	case OP_CLEAR_CPUSET:
	case OP_STOP_CGROUP:
		op->cgroup = ld__cgroup_name(c, v, name);
		break;
	case OP_SET_CPUSET:
		if (!op_args(c, v, name, BIT(A_CGROUP) | BIT(A_CPUSET), BIT(A_CGROUP) | BIT(A_CPUSET),
			     vals, keys))
			break;
		op->cgroup = ld__cgroup_name(c, vals[A_CGROUP], "cgroup");
		op->has_cpuset = ld__cpuset(c, vals[A_CPUSET], &op->cpuset);
		break;
	case OP_SWAP_CPUSETS: {
		const yaml_node_t *a, *b;

		if (ytree__kind(v) != YNODE_SEQ || ytree__seq_len(v) != 2) {
			ld__err(c, v, "'swap_cpusets' takes a list of two cgroups, e.g. [cg0, cg1], got %s",
				ld__show(c, v));
			break;
		}
		a = ytree__seq_at(c->t, v, 0);
		b = ytree__seq_at(c->t, v, 1);
		if (!a || !b)
			break;
		op->cgroup = ld__cgroup_name(c, a, name);
		op->cgroup2 = ld__cgroup_name(c, b, name);
		if (op->cgroup && op->cgroup2 && !strcmp(op->cgroup, op->cgroup2))
			ld__err(c, v, "'swap_cpusets' needs two different cgroups, got '%s' twice",
				op->cgroup);
		break;
	}
	case OP_SPAWN:
		if (!op_args(c, v, name, BIT(A_CGROUP) | BIT(A_WORK) | BIT(A_WORKERS), BIT(A_CGROUP),
			     vals, keys))
			break;
		op->cgroup = ld__cgroup_name(c, vals[A_CGROUP], "cgroup");
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
		op->cgroup = ld__cgroup_name(c, vals[A_CGROUP], "cgroup");
		ld__affinity(c, vals[A_AFFINITY], &op->affinity);
		break;
	case OP_MOVE_ALL_TASKS:
		if (!op_args(c, v, name, BIT(A_FROM) | BIT(A_TO), BIT(A_FROM) | BIT(A_TO), vals, keys))
			break;
		op->cgroup = ld__cgroup_name(c, vals[A_FROM], "from");
		op->cgroup2 = ld__cgroup_name(c, vals[A_TO], "to");
		if (op->cgroup && op->cgroup2 && !strcmp(op->cgroup, op->cgroup2))
			ld__err(c, vals[A_TO], "'move_all_tasks' needs two different cgroups, got '%s' twice",
				op->cgroup);
		break;
	case OP_RUN:
		if (!op_args(c, v, name, BIT(A_NAME) | BIT(A_ARGV) | BIT(A_CGROUP),
			     BIT(A_NAME) | BIT(A_ARGV), vals, keys))
			break;
		op->name = ld__name(c, vals[A_NAME], "name");
		op->argv = ld__str_list(c, vals[A_ARGV], "argv", &len, false, NULL);
		op->argc = len;
		if (op->argv && op->argc && !op->argv[0][0])
			ld__err(c, vals[A_ARGV], "'argv' must start with a program name");
		if (vals[A_CGROUP])
			op->cgroup = ld__cgroup_name(c, vals[A_CGROUP], "cgroup");
		break;
	case OP_WAIT:
	case OP_KILL:
		op->name = bare_or_named(c, v, name);
		break;
	case OP_KIND_COUNT:
		break;
	}
}

static void ops(struct lctx *c, const yaml_node_t *n, struct step *st)
{
	size_t len;

	if (!ld__seq(c, n, "ops", &len, true))
		return;
	st->ops = ld__array(c, n, len, sizeof(*st->ops));
	if (!st->ops)
		return;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);
		struct mapiter it;
		int k;

		if (!item)
			return;
		if (ytree__kind(item) == YNODE_SCALAR && !ld__is_null(item)) {
			/* "- stop_cgroup" without a value: say what the op wants. */
			ld__err(c, item, "an op is a map with one key, e.g. {stop_cgroup: cg0}, got %s",
				ld__show(c, item));
			continue;
		}
		if (!mapiter__init(&it, c, item, &op_ks, "op"))
			continue;
		if (it.n != 1) {
			ld__err(c, item, "an op is a map with one key, e.g. {stop_cgroup: cg0}; this one has %zu",
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

static void hold(struct lctx *c, const yaml_node_t *n, struct hold *h)
{
	const char *s;
	size_t len;

	if (ytree__kind(n) == YNODE_MAP) {
		struct mapiter it;

		if (!mapiter__init(&it, c, n, &hold_ks, "hold"))
			return;
		while (mapiter__next(&it) >= 0) {
			h->kind = HOLD_LOOP;
			if (ld__duration(c, it.val, "loop", &h->ns) && !h->ns)
				ld__err(c, it.val, "'loop' interval must be greater than 0");
		}
		if (h->kind != HOLD_LOOP && !mapiter__seen(&it, 0))
			ld__err(c, n, "a hold map needs 'loop', e.g. {loop: 200ms}");
		return;
	}
	s = ld__scalar(c, n, "hold");
	if (!s)
		return;
	len = strlen(s);
	/* A unit makes it a time; a bare number or ratio is a share of the duration. */
	if (len && s[len - 1] >= '0' && s[len - 1] <= '9') {
		char err[256];

		h->kind = HOLD_FRAC;
		if (units__parse_fraction(s, &h->frac, err, sizeof(err)) && !strchr(s, '/') && len < 16)
			ld__err(c, n, "'hold': %s; for a time add a unit, e.g. %ss", err, s);
		else if (units__parse_fraction(s, &h->frac, err, sizeof(err)))
			ld__err(c, n, "'hold': %s", err);
		else if (h->frac <= 0)
			ld__err(c, n, "'hold' must be greater than 0");
		return;
	}
	h->kind = HOLD_FIXED;
	if (ld__duration(c, n, "hold", &h->ns) && !h->ns)
		ld__err(c, n, "'hold' must be greater than 0");
}

void ld__steps(struct lctx *c, const yaml_node_t *n, struct step **out, size_t *count)
{
	size_t len;

	*out = NULL;
	*count = 0;
	if (!ld__seq(c, n, "steps", &len, true))
		return;
	*out = ld__array(c, n, len, sizeof(**out));
	if (!*out)
		return;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);
		struct step *st = &(*out)[(*count)++];
		struct mapiter it;
		int k;

		if (!item)
			break;
		st->loc = ld__loc(c, item);
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
				ld__cgroups(c, it.val, &st->cgroups, &st->ncgroups);
				break;
			case S_HOLD:
				hold(c, it.val, &st->hold);
				break;
			}
		}
	}
}
