// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario and scheduler files: reading, the document loop, and the
 * top-level keys of a scenario. Works, cgroups and steps are in
 * scenario_load_work.c; topology, checks and scheduler definitions in
 * scenario_load_sched.c.
 */
#include "scenario_load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario_load_int.h"
#include "base/fsutil.h"
#include "base/units.h"

/* ---- the scenario document ---- */

enum {
	K_NAME, K_DESCRIPTION, K_TOPOLOGY, K_DURATION, K_WORKERS, K_MEMORY, K_CGROUPS, K_STEPS,
	K_CHECKS, K_SCHEDULER, K_FLAGS, K_GAUNTLET, K_EXPECT, K_WATCHDOG, K_REQUIRES, K_COUNT
};

static const char *const scenario_keys[] = {
	"name", "description", "topology", "duration", "workers", "memory", "cgroups", "steps",
	"checks", "scheduler", "flags", "gauntlet", "expect", "watchdog_timeout", "requires", NULL,
};
static const struct keyset scenario_ks = { "scenario", scenario_keys };

static const char *const sflag_keys[] = { "required", "excluded", NULL };
static const struct keyset sflag_ks = { "flags", sflag_keys };

static void scenario_flags(struct load_ctx *c, const yaml_node_t *n, struct scenario *sc)
{
	struct mapiter it;
	int k;

	sc->flags_loc = load__loc(c, n);
	if (!mapiter__init(&it, c, n, &sflag_ks, "flags"))
		return;
	while ((k = mapiter__next(&it)) >= 0) {
		if (k == 0)
			sc->flags_required = load__str_list(c, it.val, "required", &sc->nflags_required,
							    true, load__kebab);
		else
			sc->flags_excluded = load__str_list(c, it.val, "excluded", &sc->nflags_excluded,
							    true, load__kebab);
	}
}

enum { R_MIN_CPUS, R_MIN_LLCS, R_MIN_NUMA, R_SMT, R_SCHED_EXT };

static const char *const requires_keys[] = {
	"min_cpus", "min_llcs", "min_numa", "smt", "sched_ext", NULL,
};
static const struct keyset requires_ks = { "requires", requires_keys };

/* requires: what a variant must offer, else it is skipped (scenario_requires__unmet()). */
static void scenario_requires(struct load_ctx *c, const yaml_node_t *n, struct scenario_requires *r)
{
	struct mapiter it;
	int k;

	r->loc = load__loc(c, n);
	if (!mapiter__init(&it, c, n, &requires_ks, "requires"))
		return;
	while ((k = mapiter__next(&it)) >= 0) {
		switch (k) {
		case R_MIN_CPUS:
			load__u32(c, it.val, "min_cpus", 1, KTSTR_MAX_CPUS, &r->min_cpus);
			break;
		case R_MIN_LLCS:
			load__u32(c, it.val, "min_llcs", 1, KTSTR_MAX_CPUS, &r->min_llcs);
			break;
		case R_MIN_NUMA:
			load__u32(c, it.val, "min_numa", 1, KTSTR_MAX_NUMA, &r->min_numa);
			break;
		case R_SMT:
			load__bool(c, it.val, "smt", &r->smt);
			break;
		case R_SCHED_EXT:
			load__bool(c, it.val, "sched_ext", &r->sched_ext);
			break;
		}
	}
}

enum { C_MIN_NUMA, C_MAX_NUMA, C_MIN_LLCS, C_MAX_LLCS, C_MIN_CPUS, C_MAX_CPUS, C_SMT };

static const char *const constraint_keys[] = {
	"min_numa", "max_numa", "min_llcs", "max_llcs", "min_cpus", "max_cpus", "requires_smt",
	NULL,
};
static const struct keyset constraint_ks = { "constraints", constraint_keys };

static void constraints(struct load_ctx *c, const yaml_node_t *n, struct topo_constraints *tc)
{
	uint32_t *dst[] = {
		&tc->min_numa_nodes, &tc->max_numa_nodes, &tc->min_llcs, &tc->max_llcs,
		&tc->min_cpus, &tc->max_cpus,
	};
	static const uint32_t max[] = {
		KTSTR_MAX_NUMA, KTSTR_MAX_NUMA, KTSTR_MAX_CPUS, KTSTR_MAX_CPUS, KTSTR_MAX_CPUS,
		KTSTR_MAX_CPUS,
	};
	struct mapiter it;
	int k, errs = c->errs;

	if (!mapiter__init(&it, c, n, &constraint_ks, "constraints"))
		return;
	while ((k = mapiter__next(&it)) >= 0) {
		if (k == C_SMT)
			load__bool(c, it.val, "requires_smt", &tc->requires_smt);
		else
			load__u32(c, it.val, constraint_keys[k], 0, max[k], dst[k]);
	}
	if (c->errs != errs)
		return;
	/* A max of 0 is no limit. Say so when the default max is what bites. */
	for (k = C_MIN_NUMA; k < C_SMT; k += 2) {
		const yaml_node_t *at = mapiter__seen(&it, k);

		if (!*dst[k + 1] || *dst[k] <= *dst[k + 1])
			continue;
		if (!at)
			at = mapiter__seen(&it, k + 1);
		load__err(c, at, "%s %u is greater than %s %u%s", constraint_keys[k], *dst[k],
			  constraint_keys[k + 1], *dst[k + 1],
			  mapiter__seen(&it, k + 1) ? "" : " (the default); set it too, or 0 for no limit");
	}
}

static const char *const gauntlet_keys[] = { "presets", "constraints", NULL };
static const struct keyset gauntlet_ks = { "gauntlet", gauntlet_keys };

static const char *preset_name(struct load_ctx *c, const yaml_node_t *n, const char *what)
{
	const char *s = load__scalar(c, n, what);
	char hint[128];

	if (!s)
		return NULL;
	if (!topo_preset__find(s)) {
		load__preset_hint(c, s, hint, sizeof(hint));
		load__err(c, n, "unknown topology preset %s%s", load__show(c, n), hint);
		return NULL;
	}
	return load__str(c, n, what);
}

static void gauntlet(struct load_ctx *c, const yaml_node_t *n, struct gauntlet_spec *g)
{
	struct mapiter it;
	int k;

	g->loc = load__loc(c, n);
	if (!mapiter__init(&it, c, n, &gauntlet_ks, "gauntlet"))
		return;
	while ((k = mapiter__next(&it)) >= 0) {
		if (k == 1) {
			constraints(c, it.val, &g->constraints);
			continue;
		}
		if (ytree__kind(it.val) == YNODE_SCALAR) {
			const char *s = load__scalar(c, it.val, "presets");

			if (s && strcmp(s, "all"))
				load__err(c, it.val, "'presets' must be 'all' or a list of preset names, got %s",
					  load__show(c, it.val));
			continue;
		}
		g->all_presets = false;
		g->presets = load__str_list(c, it.val, "presets", &g->npresets, false, preset_name);
		/* Valid names are few: a long list repeats one early, so this stays cheap. */
		for (size_t i = 1; i < g->npresets; i++) {
			for (size_t j = 0; j < i; j++) {
				if (strcmp(g->presets[i], g->presets[j]))
					continue;
				load__err(c, it.val, "preset '%s' is listed twice", g->presets[i]);
				i = g->npresets;
				break;
			}
		}
	}
}

static void expect(struct load_ctx *c, const yaml_node_t *n, struct scenario *sc)
{
	const char *s;

	/* {fail: TEXT}: fail, with a reason that contains TEXT (and for no other reason). */
	if (ytree__kind(n) == YNODE_MAP) {
		static const char *const keys[] = { "fail", NULL };
		static const struct keyset ks = { "expect", keys };
		struct mapiter it;

		if (!mapiter__init(&it, c, n, &ks, "expect"))
			return;
		while (mapiter__next(&it) >= 0) {
			sc->expect_reason = load__str(c, it.val, "expect fail");
			if (sc->expect_reason && !sc->expect_reason[0]) {
				load__err(c, it.val, "'expect: {fail: TEXT}' needs the reason "
					  "text, e.g. {fail: \"runnable task stall\"}");
				sc->expect_reason = NULL;
			}
			sc->expect_fail = sc->expect_reason != NULL;
		}
		return;
	}
	s = load__scalar(c, n, "expect");

	if (!s)
		return;
	if (!strcmp(s, "fail") || !strcmp(s, "pass"))
		sc->expect_fail = s[0] == 'f';
	else
		load__err(c, n, "'expect' must be pass, fail or {fail: REASON TEXT}, got %s",
			  load__show(c, n));
}

static void memory(struct load_ctx *c, const yaml_node_t *n, struct scenario *sc)
{
	const uint64_t mib = 1ULL << 20;
	uint64_t bytes;

	if (!load__size(c, n, "memory", &bytes))
		return;
	if (bytes % mib || bytes < 128 * mib || bytes > (1ULL << 40)) {
		load__err(c, n, "'memory' must be a whole number of MiB from 128MiB to 1TiB, "
			  "got %s", load__show(c, n));
		return;
	}
	sc->memory_mb = (uint32_t)(bytes / mib);
}

static void scheduler(struct load_ctx *c, const yaml_node_t *n, struct scenario *sc)
{
	sc->sched_loc = load__loc(c, n);
	if (ytree__kind(n) == YNODE_MAP) {
		sc->sched_name = NULL;
		sc->sched_inline = load__sched_def(c, n);
		return;
	}
	sc->sched_name = load__name(c, n, "scheduler");
}

/* Items in a list; a value that is not a list counts as some (it has its own error). */
static size_t items_or_bad(const yaml_node_t *n)
{
	if (!n)
		return 0;
	return ytree__kind(n) == YNODE_SEQ ? ytree__seq_len(n) : 1;
}

static struct scenario *scenario_doc(struct load_ctx *c, const yaml_node_t *root)
{
	const yaml_node_t *vals[K_COUNT] = { 0 };
	struct scenario *sc;
	struct mapiter it;
	int k;

	if (ytree__kind(root) != YNODE_MAP) {
		load__err(c, root, "a scenario must be a map with 'name', 'cgroups', ...; got %s",
			  load__show(c, root));
		return NULL;
	}
	sc = load__array(c, root, 1, sizeof(*sc));
	if (!sc)
		return NULL;
	sc->file = c->file;
	sc->loc = load__loc(c, root);
	sc->duration_ns = SCENARIO_DEFAULT_DURATION_NS;
	sc->workers = SCENARIO_DEFAULT_WORKERS;
	sc->memory_mb = SCENARIO_DEFAULT_MEMORY_MB;
	sc->sched_name = "eevdf";
	sc->sched_loc = (struct src_loc){ .file = c->file };
	sc->gauntlet.all_presets = true;
	sc->gauntlet.constraints = TOPO_CONSTRAINTS_DEFAULT;

	mapiter__init(&it, c, root, &scenario_ks, "scenario");
	while ((k = mapiter__next(&it)) >= 0) {
		const yaml_node_t *v = it.val;

		vals[k] = v;
		switch (k) {
		case K_NAME:
			sc->name = load__name(c, v, "scenario name");
			break;
		case K_DESCRIPTION:
			sc->description = load__str(c, v, "description");
			break;
		case K_TOPOLOGY:
			sc->topology_loc = load__loc(c, v);
			load__topology(c, v, &sc->topo_given);
			sc->topology_preset = sc->topo_given.preset;
			break;
		case K_DURATION:
			if (load__duration(c, v, "duration", &sc->duration_ns) && !sc->duration_ns)
				load__err(c, v, "'duration' must be greater than 0");
			break;
		case K_WORKERS:
			load__count(c, v, "workers", LOAD_MAX_WORKERS, &sc->workers,
				    &sc->workers_expr, &sc->workers_loc);
			break;
		case K_MEMORY:
			memory(c, v, sc);
			break;
		case K_CGROUPS:
			load__cgroups(c, v, &sc->cgroups, &sc->ncgroups);
			break;
		case K_STEPS:
			load__steps(c, v, &sc->steps, &sc->nsteps);
			break;
		case K_CHECKS:
			load__checks(c, v, &sc->checks);
			break;
		case K_SCHEDULER:
			scheduler(c, v, sc);
			break;
		case K_FLAGS:
			scenario_flags(c, v, sc);
			break;
		case K_GAUNTLET:
			gauntlet(c, v, &sc->gauntlet);
			break;
		case K_EXPECT:
			expect(c, v, sc);
			break;
		case K_REQUIRES:
			scenario_requires(c, v, &sc->requires);
			break;
		case K_WATCHDOG:
			sc->watchdog_loc = load__loc(c, v);
			if (load__duration(c, v, "watchdog_timeout", &sc->watchdog_timeout_ns) &&
			    (sc->watchdog_timeout_ns < 100000000ULL ||
			     sc->watchdog_timeout_ns > 30000000000ULL)) {
				load__err(c, v, "'watchdog_timeout' must be from 100ms to 30s (the "
					  "kernel's range for a sched_ext watchdog)");
				sc->watchdog_timeout_ns = 0;
			}
			break;
		}
	}
	if (!vals[K_NAME])
		load__err(c, root, "scenario has no 'name'");
	if (!items_or_bad(vals[K_CGROUPS]) && !items_or_bad(vals[K_STEPS]))
		load__err(c, root, "scenario runs nothing: give it 'cgroups' or 'steps'");
	return sc;
}

/* ---- files and documents ---- */

static const char *register_file(struct scenario_set *set, const char *name)
{
	char *copy;

	for (size_t i = 0; i < set->nfiles; i++)
		if (!strcmp(set->files[i], name))
			return set->files[i];
	if (set->nfiles == set->cap_files) {
		size_t cap = set->cap_files ? set->cap_files * 2 : 8;
		const char **p = arena__grow(&set->arena, set->files, set->nfiles, cap,
					     sizeof(*p));

		if (!p)
			return NULL;
		set->files = p;
		set->cap_files = cap;
	}
	copy = arena__strdup(&set->arena, name);
	if (copy)
		set->files[set->nfiles++] = copy;
	return copy;
}

static bool append_scenario(struct scenario_set *set, struct scenario *sc)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 8;
		struct scenario **p = arena__grow(&set->arena, set->items, set->n, cap, sizeof(*p));

		if (!p)
			return false;
		set->items = p;
		set->cap = cap;
	}
	set->items[set->n++] = sc;
	return true;
}

static bool append_sched(struct scenario_set *set, struct sched_def *def)
{
	if (set->nscheds == set->cap_scheds) {
		size_t cap = set->cap_scheds ? set->cap_scheds * 2 : 8;
		struct sched_def **p = arena__grow(&set->arena, set->scheds, set->nscheds, cap,
						   sizeof(*p));

		if (!p)
			return false;
		set->scheds = p;
		set->cap_scheds = cap;
	}
	set->scheds[set->nscheds++] = def;
	return true;
}

enum doc_kind { DOC_SCENARIO, DOC_SCHED };

static size_t diag_count(const struct diag_list *d)
{
	return d->n + d->dropped;
}

static void one_doc(struct load_ctx *c, const yaml_node_t *root, enum doc_kind kind)
{
	struct scenario *sc = NULL;
	struct sched_def *def = NULL;
	bool ok;

	c->errs = 0;
	if (kind == DOC_SCENARIO)
		sc = scenario_doc(c, root);
	else if (ytree__kind(root) != YNODE_MAP)
		load__err(c, root, "a scheduler definition must be a map with 'name', 'binary', ...; got %s",
			  load__show(c, root));
	else
		def = load__sched_def(c, root);
	if (ytree__exhausted(c->t))
		load__err(c, root,
			  "document too complex: more than %u node visits (deeply nested aliases?)",
			  LOAD_VISIT_BUDGET);
	if (c->errs)
		return;
	ok = kind == DOC_SCENARIO ? sc && append_scenario(c->set, sc)
				  : def && append_sched(c->set, def);
	if (!ok)
		load__oom(c, root);
}

static int load(struct scenario_set *set, const char *name, const char *buf, size_t len,
		struct diag_list *d, enum doc_kind kind)
{
	size_t before = diag_count(d), ndocs = 0;
	struct load_ctx c = { .set = set, .a = &set->arena, .d = d };
	struct ytree_error err;
	struct ytree t;
	int r;

	c.file = register_file(set, name ? name : "<input>");
	if (!c.file) {
		diag__add(d, (struct src_loc){ .file = name }, "out of memory");
		return (int)(diag_count(d) - before);
	}
	if (len > LOAD_MAX_INPUT) {
		diag__add(d, (struct src_loc){ .file = c.file },
			  "file is too large (%zu bytes, at most %u)", len, LOAD_MAX_INPUT);
		return (int)(diag_count(d) - before);
	}
	if (ytree__open(&t, buf, len, LOAD_VISIT_BUDGET)) {
		diag__add(d, (struct src_loc){ .file = c.file }, "out of memory");
		return (int)(diag_count(d) - before);
	}
	c.t = &t;
	while ((r = ytree__next(&t, &err)) > 0) {
		yaml_node_t *root = ytree__root(&t);

		/* A stray `---` makes an empty document: nothing to load. */
		if (load__is_null(root))
			continue;
		ndocs++;
		one_doc(&c, root, kind);
		if (ytree__exhausted(&t))
			break;
	}
	if (r < 0)
		diag__add(d, (struct src_loc){ .file = c.file, .line = err.line, .col = err.col },
			  "%s", err.msg);
	else if (!ndocs && !ytree__exhausted(&t))
		diag__add(d, (struct src_loc){ .file = c.file }, "no %s in this file",
			  kind == DOC_SCENARIO ? "scenario" : "scheduler definition");
	ytree__close(&t);
	return (int)(diag_count(d) - before);
}

/*
 * Read all of @path; a file over the limit is -EFBIG with its size in @size
 * (read up to one byte past the limit too, should it grow while read).
 */
static int read_file(const char *path, char **buf, size_t *len, uint64_t *size)
{
	size_t cap = LOAD_MAX_INPUT + 1, n = 0;
	struct stat st;
	char *p;
	int fd;

	fd = fsutil__open_regular(path);
	if (fd < 0)
		return fd;
	if (!fstat(fd, &st) && st.st_size > LOAD_MAX_INPUT) {
		*size = (uint64_t)st.st_size;
		close(fd);
		return -EFBIG;
	}
	p = malloc(cap);
	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	while (n < cap) {
		ssize_t r = read(fd, p + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(p);
			close(fd);
			return -e;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
	*buf = p;
	*len = n;
	return 0;
}

static int load_file(struct scenario_set *set, const char *path, struct diag_list *d,
		     enum doc_kind kind)
{
	char *buf = NULL;
	size_t len = 0;
	uint64_t size = 0;
	int ret = read_file(path, &buf, &len, &size);

	if (ret) {
		const char *file = register_file(set, path);
		struct src_loc loc = { .file = file ? file : path };

		if (ret == -EFBIG)
			diag__add(d, loc, "file is too large (%llu bytes, at most %u)",
				  (unsigned long long)size, LOAD_MAX_INPUT);
		else
			diag__add(d, loc, "cannot read %s: %s",
				  kind == DOC_SCENARIO ? "scenario file" : "scheduler file",
				  fsutil__strerror(-ret));
		return 1;
	}
	ret = load(set, path, buf, len, d, kind);
	free(buf);
	return ret;
}

int scenario__load_file(struct scenario_set *set, const char *path, struct diag_list *d)
{
	return load_file(set, path, d, DOC_SCENARIO);
}

int scenario__load_buffer(struct scenario_set *set, const char *name, const char *buf, size_t len,
			  struct diag_list *d)
{
	return load(set, name, buf, len, d, DOC_SCENARIO);
}

int sched_defs__load_file(struct scenario_set *set, const char *path, struct diag_list *d)
{
	return load_file(set, path, d, DOC_SCHED);
}

int sched_defs__load_buffer(struct scenario_set *set, const char *name, const char *buf,
			    size_t len, struct diag_list *d)
{
	return load(set, name, buf, len, d, DOC_SCHED);
}
