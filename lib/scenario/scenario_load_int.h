/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the scenario loader, shared by scenario_load*.c only: the
 * per-file context, error reporting with positions, typed scalar readers,
 * and map iteration over a fixed key set (unknown and duplicate keys are
 * reported there, once, for every map in the schema).
 */
#ifndef KTSTR_SCENARIO_LOAD_INT_H
#define KTSTR_SCENARIO_LOAD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "scenario.h"
#include "base/yaml_tree.h"

#define LD_MAX_INPUT	(1u << 20)	/* bytes in one file */
#define LD_VISIT_BUDGET	(1u << 20)	/* node visits in one file, aliases expanded */
#define LD_MAX_SCALAR	65536		/* bytes in one value */
#define LD_MAX_ITEMS	4096		/* items in one list */
#define LD_MAX_NAME	64		/* scenario, scheduler, flag and program names */
#define LD_MAX_CGROUP	128		/* a cgroup path, "a/b" */
#define LD_MAX_WORKERS	4096		/* workers in one group */

struct lctx {
	struct scenario_set *set;
	struct arena *a;
	struct diag_list *d;
	struct ytree *t;
	const char *file;		/* the registered copy in set->files */
	int errs;			/* errors in the current document */
	unsigned qi;
	char qbuf[4][96];		/* values quoted in messages */
};

struct src_loc ld__loc(const struct lctx *c, const yaml_node_t *n);
__attribute__((format(printf, 3, 4)))
void ld__err(struct lctx *c, const yaml_node_t *n, const char *fmt, ...);
/* What a node is, for messages: "'two'", "a map", "a list". */
const char *ld__show(struct lctx *c, const yaml_node_t *n);
/* "; did you mean 'x'?" or "" (skipped once the diag list is full). */
const char *ld__hint(struct lctx *c, const char *word, const char *const *cands, size_t n,
		     char *buf, size_t len);
void ld__oom(struct lctx *c, const yaml_node_t *n);

/* ---- maps over a fixed key set ---- */

#define LD_MAX_KEYS 32

struct keyset {
	const char *what;		/* "scenario", "cgroup", ... for messages */
	const char *const *keys;	/* NULL-terminated, at most LD_MAX_KEYS */
};

struct mapiter {
	struct lctx *c;
	const yaml_node_t *map;
	const struct keyset *ks;
	size_t i, n;
	yaml_node_t *key, *val;		/* the current pair */
	const yaml_node_t *seen[LD_MAX_KEYS];
};

/*
 * Start iterating @map, which must be a map (else reported as "'@what' must be
 * a map" and the iteration is empty).
 */
bool mapiter__init(struct mapiter *it, struct lctx *c, const yaml_node_t *map,
		   const struct keyset *ks, const char *what);
/* Index of the next known key (it->key, it->val), or -1 at the end. */
int mapiter__next(struct mapiter *it);
/* The key node of @idx when the map gave it, or NULL. */
const yaml_node_t *mapiter__seen(const struct mapiter *it, int idx);
/* A key name as a string, or NULL after reporting a non-scalar key. */
const char *ld__key(struct lctx *c, const yaml_node_t *k);

/* ---- typed values; each reports its own error and returns false ---- */

bool ld__is_null(const yaml_node_t *n);
bool ld__kind(struct lctx *c, const yaml_node_t *n, enum ynode_kind kind, const char *what);
const char *ld__scalar(struct lctx *c, const yaml_node_t *n, const char *what);
const char *ld__str(struct lctx *c, const yaml_node_t *n, const char *what);
/* [A-Za-z0-9_.-]+, at most LD_MAX_NAME. */
const char *ld__name(struct lctx *c, const yaml_node_t *n, const char *what);
/* A flag name, kebab-case: [a-z0-9]+(-[a-z0-9]+)*, at most LD_MAX_NAME. */
const char *ld__kebab(struct lctx *c, const yaml_node_t *n, const char *what);
/* A cgroup path: name components joined by '/'. */
const char *ld__cgroup_name(struct lctx *c, const yaml_node_t *n, const char *what);
bool ld__int(struct lctx *c, const yaml_node_t *n, const char *what, int64_t min, int64_t max,
	     int64_t *out);
bool ld__u32(struct lctx *c, const yaml_node_t *n, const char *what, uint32_t min, uint32_t max,
	     uint32_t *out);
bool ld__bool(struct lctx *c, const yaml_node_t *n, const char *what, bool *out);
bool ld__duration(struct lctx *c, const yaml_node_t *n, const char *what, uint64_t *ns);
bool ld__size(struct lctx *c, const yaml_node_t *n, const char *what, uint64_t *bytes);
bool ld__fraction(struct lctx *c, const yaml_node_t *n, const char *what, double *f);
/*
 * A list of strings as a NULL-terminated arena array (@check: per-item
 * reader such as ld__name, or NULL for any string).
 */
const char **ld__str_list(struct lctx *c, const yaml_node_t *n, const char *what, size_t *count,
			  bool allow_empty,
			  const char *(*check)(struct lctx *, const yaml_node_t *, const char *));
/* Sequence length after checking kind and LD_MAX_ITEMS; false after an error. */
bool ld__seq(struct lctx *c, const yaml_node_t *n, const char *what, size_t *len,
	     bool allow_empty);
/* Arena array of @n items of @size, charged to the visit budget. */
void *ld__array(struct lctx *c, const yaml_node_t *n, size_t count, size_t size);

/* ---- pieces of the schema ---- */

/* scenario_load_sched.c */
void ld__topology(struct lctx *c, const yaml_node_t *n, struct topology_partial *out);
void ld__checks(struct lctx *c, const yaml_node_t *n, struct checks *out);
/* A scheduler definition (a file document or an inline `scheduler:` map). */
struct sched_def *ld__sched_def(struct lctx *c, const yaml_node_t *n);

/* scenario_load_place.c */
bool ld__cpuset(struct lctx *c, const yaml_node_t *n, struct cpuset_spec *out);
bool ld__affinity(struct lctx *c, const yaml_node_t *n, struct affinity *out);
bool ld__policy(struct lctx *c, const yaml_node_t *n, struct sched_policy *out);
bool ld__mem_policy(struct lctx *c, const yaml_node_t *n, struct mem_policy *out);
bool ld__mpol_flags(struct lctx *c, const yaml_node_t *n, uint32_t *flags);

/* scenario_load_work.c */

/* Keys every work takes, whatever its type; also valid next to a single `work:`. */
enum {
	W_WORKERS, W_POLICY, W_NICE, W_AFFINITY, W_MEM_POLICY, W_MPOL_FLAGS, W_SWAPPABLE,
	W_COMMON
};

void ld__work_default(struct work *w, const struct src_loc *loc);
/* A work: a type name or a map with `type` and its parameters. */
bool ld__work(struct lctx *c, const yaml_node_t *n, struct work *w);
/*
 * A work given as `work:` (@n, or NULL for the default cpu-spin at @at) next
 * to group-level keys (a cgroup's single work, spawn's `workers`), indexed
 * by W_*; a key given on both levels is an error.
 */
void ld__work_with_keys(struct lctx *c, const yaml_node_t *n, const yaml_node_t *at,
			const yaml_node_t *const keys[W_COMMON],
			const yaml_node_t *const vals[W_COMMON], struct work *w);
void ld__cgroups(struct lctx *c, const yaml_node_t *n, struct cgroup_def **out, size_t *count);

/* scenario_load_steps.c */
void ld__steps(struct lctx *c, const yaml_node_t *n, struct step **out, size_t *count);

#endif
