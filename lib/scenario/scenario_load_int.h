/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the scenario loader, shared by scenario_load*.c only: the
 * per-file context, error reporting with positions, typed scalar readers,
 * and map iteration over a fixed key set (unknown and duplicate keys are
 * reported there, once, for every map in the schema). Names: load__ for the
 * loader's context, reporting, typed readers (load__u32(), load__duration())
 * and pieces of the schema (load__work(), load__steps()); mapiter__ for the
 * map iteration; LOAD_MAX_* for the limits.
 */
#ifndef KTSTR_SCENARIO_LOAD_INT_H
#define KTSTR_SCENARIO_LOAD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "scenario.h"
#include "base/yaml_tree.h"

#define LOAD_MAX_INPUT		(1u << 20)	/* bytes in one file */
#define LOAD_VISIT_BUDGET	(1u << 20)	/* node visits in one file, aliases expanded */
#define LOAD_MAX_SCALAR		65536		/* bytes in one value */
#define LOAD_MAX_ITEMS		4096		/* items in one list */
#define LOAD_MAX_NAME		64		/* scenario, scheduler, flag and program names */
#define LOAD_MAX_CGROUP		128		/* a cgroup path, "a/b" */
#define LOAD_MAX_WORKERS	4096		/* workers in one group */

struct load_ctx {
	struct scenario_set *set;
	struct arena *a;
	struct diag_list *d;
	struct ytree *t;
	const char *file;		/* the registered copy in set->files */
	int errs;			/* errors in the current document */
	unsigned qi;
	char qbuf[4][96];		/* values quoted in messages */
};

struct src_loc load__loc(const struct load_ctx *c, const yaml_node_t *n);
__attribute__((format(printf, 3, 4)))
void load__err(struct load_ctx *c, const yaml_node_t *n, const char *fmt, ...);
/* What a node is, for messages: "'two'", "a map", "a list". */
const char *load__show(struct load_ctx *c, const yaml_node_t *n);
/* "; did you mean 'x'?" or "" (skipped once the diag list is full). */
const char *load__hint(struct load_ctx *c, const char *word, const char *const *cands, size_t n,
		       char *buf, size_t len);
/* load__hint() over the topology presets' names. */
const char *load__preset_hint(struct load_ctx *c, const char *word, char *buf, size_t len);
void load__oom(struct load_ctx *c, const yaml_node_t *n);

/* ---- maps over a fixed key set ---- */

#define LOAD_MAX_KEYS 32

struct keyset {
	const char *what;		/* "scenario", "cgroup", ... for messages */
	const char *const *keys;	/* NULL-terminated, at most LOAD_MAX_KEYS */
};

struct mapiter {
	struct load_ctx *c;
	const yaml_node_t *map;
	const struct keyset *ks;
	size_t i, n;
	yaml_node_t *key, *val;		/* the current pair */
	const yaml_node_t *seen[LOAD_MAX_KEYS];
};

/*
 * Start iterating @map, which must be a map (else reported as "'@what' must be
 * a map" and the iteration is empty).
 */
bool mapiter__init(struct mapiter *it, struct load_ctx *c, const yaml_node_t *map,
		   const struct keyset *ks, const char *what);
/* Index of the next known key (it->key, it->val), or -1 at the end. */
int mapiter__next(struct mapiter *it);
/* The key node of @idx when the map gave it, or NULL. */
const yaml_node_t *mapiter__seen(const struct mapiter *it, int idx);
/* A key name as a string, or NULL after reporting a non-scalar key. */
const char *load__key(struct load_ctx *c, const yaml_node_t *k);

/* ---- typed values; each reports its own error and returns false ---- */

bool load__is_null(const yaml_node_t *n);
bool load__kind(struct load_ctx *c, const yaml_node_t *n, enum ynode_kind kind, const char *what);
const char *load__scalar(struct load_ctx *c, const yaml_node_t *n, const char *what);
const char *load__str(struct load_ctx *c, const yaml_node_t *n, const char *what);
/* [A-Za-z0-9_.-]+, at most LOAD_MAX_NAME. */
const char *load__name(struct load_ctx *c, const yaml_node_t *n, const char *what);
/* A flag name, kebab-case: [a-z0-9]+(-[a-z0-9]+)*, at most LOAD_MAX_NAME. */
const char *load__kebab(struct load_ctx *c, const yaml_node_t *n, const char *what);
/* A cgroup path: name components joined by '/'. */
const char *load__cgroup_name(struct load_ctx *c, const yaml_node_t *n, const char *what);
/* The rule of load__cgroup_name() on a string. */
bool load__cgroup_path_ok(const char *s);
bool load__int(struct load_ctx *c, const yaml_node_t *n, const char *what, int64_t min, int64_t max,
	       int64_t *out);
bool load__u32(struct load_ctx *c, const yaml_node_t *n, const char *what, uint32_t min,
	       uint32_t max, uint32_t *out);
bool load__bool(struct load_ctx *c, const yaml_node_t *n, const char *what, bool *out);
bool load__duration(struct load_ctx *c, const yaml_node_t *n, const char *what, uint64_t *ns);
bool load__size(struct load_ctx *c, const yaml_node_t *n, const char *what, uint64_t *bytes);
bool load__fraction(struct load_ctx *c, const yaml_node_t *n, const char *what, double *f);
/*
 * A list of strings as a NULL-terminated arena array (@check: per-item
 * reader such as load__name, or NULL for any string).
 */
const char **load__str_list(struct load_ctx *c, const yaml_node_t *n, const char *what,
			    size_t *count, bool allow_empty,
			    const char *(*check)(struct load_ctx *, const yaml_node_t *,
						 const char *));
/* Sequence length after checking kind and LOAD_MAX_ITEMS; false after an error. */
bool load__seq(struct load_ctx *c, const yaml_node_t *n, const char *what, size_t *len,
	       bool allow_empty);
/* Arena array of @n items of @size, charged to the visit budget. */
void *load__array(struct load_ctx *c, const yaml_node_t *n, size_t count, size_t size);

/* ---- pieces of the schema ---- */

/* scenario_load_sched.c */
void load__topology(struct load_ctx *c, const yaml_node_t *n, struct topology_partial *out);
void load__checks(struct load_ctx *c, const yaml_node_t *n, struct checks *out);
/* A scheduler definition (a file document or an inline `scheduler:` map). */
struct sched_def *load__sched_def(struct load_ctx *c, const yaml_node_t *n);

/* scenario_load_place.c */
bool load__cpuset(struct load_ctx *c, const yaml_node_t *n, struct cpuset_spec *out);
/*
 * A cgroup entry's cpuset, whose value may hold {i} and {n} (a repeated
 * entry): then *@tmpl is that value's text, else NULL.
 */
bool load__cpuset_tmpl(struct load_ctx *c, const yaml_node_t *n, struct cpuset_spec *out,
		       const char **tmpl);
bool load__affinity(struct load_ctx *c, const yaml_node_t *n, struct affinity *out);
bool load__policy(struct load_ctx *c, const yaml_node_t *n, struct sched_policy *out);
bool load__mem_policy(struct load_ctx *c, const yaml_node_t *n, struct mem_policy *out);
bool load__mpol_flags(struct load_ctx *c, const yaml_node_t *n, uint32_t *flags);

/* scenario_load_work.c */

/* Keys every work takes, whatever its type; also valid next to a single `work:`. */
enum {
	W_WORKERS, W_POLICY, W_NICE, W_AFFINITY, W_MEM_POLICY, W_MPOL_FLAGS, W_SWAPPABLE,
	W_COMMON
};

void load__work_default(struct work *w, const struct src_loc *loc);
/* A work: a type name or a map with `type` and its parameters. */
bool load__work(struct load_ctx *c, const yaml_node_t *n, struct work *w);
/*
 * A work given as `work:` (@n, or NULL for the default cpu-spin at @at) next
 * to group-level keys (a cgroup's single work, spawn's `workers`), indexed
 * by W_*; a key given on both levels is an error.
 */
void load__work_with_keys(struct load_ctx *c, const yaml_node_t *n, const yaml_node_t *at,
			  const yaml_node_t *const keys[W_COMMON],
			  const yaml_node_t *const vals[W_COMMON], struct work *w);
void load__cgroups(struct load_ctx *c, const yaml_node_t *n, struct cgroup_def **out,
		   size_t *count);

/* scenario_load_count.c */

/*
 * A count (`workers`, `repeat`): an integer from 1 to @max, read as
 * load__u32() reads it, or a count expression (count_expr.h). One without
 * variables is evaluated and checked here into *@val; one with variables
 * goes to *@expr, evaluated on each topology (scenario_inst.h). @loc: where.
 */
bool load__count(struct load_ctx *c, const yaml_node_t *n, const char *what, uint32_t max,
		 uint32_t *val, const struct count_expr **expr, struct src_loc *loc);
/*
 * A cgroup entry's name and `repeat` (either NULL when not given): with
 * repeat the name must hold {i}; without it the name may not hold {i} or {n}.
 */
void load__cgroup_counts(struct load_ctx *c, const yaml_node_t *name, const yaml_node_t *repeat,
			 struct cgroup_def *cg);

/* scenario_load_steps.c */
void load__steps(struct load_ctx *c, const yaml_node_t *n, struct step **out, size_t *count);

#endif
