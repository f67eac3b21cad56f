// SPDX-License-Identifier: GPL-2.0
/*
 * Pieces shared by scenario and scheduler documents: topology, checks, and
 * the scheduler definition itself (a file document or an inline map).
 */
#include <stdlib.h>
#include <string.h>

#include "karg_expand.h"
#include "scenario_load_int.h"
#include "base/units.h"

/* ---- topology ---- */

enum { T_NUMA, T_LLCS, T_CORES, T_THREADS };

static const char *const topo_keys[] = { "numa", "llcs", "cores", "threads", NULL };
static const struct keyset topo_ks = { "topology", topo_keys };

void load__topology(struct load_ctx *c, const yaml_node_t *n, struct topology_partial *out)
{
	char err[256], hint[128];
	const char *s;

	memset(out, 0, sizeof(*out));
	if (ytree__kind(n) == YNODE_MAP) {
		static const uint32_t max[] = { KTSTR_MAX_NUMA, KTSTR_MAX_CPUS, KTSTR_MAX_CPUS,
						KTSTR_MAX_CPUS };
		uint32_t *dst[] = { &out->numa_nodes, &out->llcs, &out->cores_per_llc,
				    &out->threads_per_core };
		struct mapiter it;
		int k;

		mapiter__init(&it, c, n, &topo_ks, "topology");
		while ((k = mapiter__next(&it)) >= 0)
			load__u32(c, it.val, topo_keys[k], 1, max[k], dst[k]);
		return;
	}
	s = load__scalar(c, n, "topology");
	if (!s)
		return;
	if (s[0] >= '0' && s[0] <= '9') {
		struct topology t;

		err[0] = '\0';
		if (topology__parse(s, &t, err, sizeof(err))) {
			load__err(c, n, "%s", err);	/* it quotes the input itself */
			return;
		}
		err[0] = '\0';
		if (topology__validate(&t, err, sizeof(err))) {
			load__err(c, n, "bad topology %s: %s", load__show(c, n), err);
			return;
		}
		out->numa_nodes = t.numa_nodes;
		out->llcs = t.llcs;
		out->cores_per_llc = t.cores_per_llc;
		out->threads_per_core = t.threads_per_core;
		return;
	}
	const struct topo_preset *p = topo_preset__find(s);

	if (!p) {
		load__preset_hint(c, s, hint, sizeof(hint));
		load__err(c, n, "unknown topology preset %s%s", load__show(c, n),
			  hint[0] ? hint : " (expected a preset such as tiny-2llc, a topology such as 1n2l4c2t, or a map {numa, llcs, cores, threads})");
		return;
	}
	out->numa_nodes = p->topo.numa_nodes;
	out->llcs = p->topo.llcs;
	out->cores_per_llc = p->topo.cores_per_llc;
	out->threads_per_core = p->topo.threads_per_core;
	out->preset = load__str(c, n, "topology");
}

/* ---- checks ---- */

static const char *kind_example(enum check_value_kind k)
{
	switch (k) {
	case CHECKV_BOOL: return "true or false";
	case CHECKV_DURATION_MS:
	case CHECKV_DURATION_NS: return "a duration such as 2000ms";
	case CHECKV_PERCENT: return "a percentage such as 15%";
	case CHECKV_NUMBER: return "a number such as 0.5";
	case CHECKV_FRACTION: return "a fraction such as 0.9 or a percentage such as 90%";
	case CHECKV_INTEGER: return "an integer";
	}
	return "a value";
}

static bool check_value(struct load_ctx *c, const yaml_node_t *n, const struct check_desc *cd,
			struct threshold *th)
{
	const char *s = load__scalar(c, n, cd->key);
	char err[256];
	uint64_t ns;
	int64_t iv;
	double v;

	if (!s)
		return false;
	if (ytree__plain(n) && (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))) {
		load__err(c, n, "'%s' takes %s, or false to turn it off; got %s", cd->key,
			  kind_example(cd->kind), load__show(c, n));
		return false;
	}
	switch (cd->kind) {
	case CHECKV_BOOL:
		return false;	/* handled by the caller */
	case CHECKV_DURATION_MS:
	case CHECKV_DURATION_NS:
		if (units__parse_duration(s, &ns, err, sizeof(err)))
			goto unit_err;
		v = cd->kind == CHECKV_DURATION_MS ? (double)ns / 1e6 : (double)ns;
		break;
	case CHECKV_PERCENT:
		if (units__parse_percent(s, &v, err, sizeof(err)))
			goto unit_err;
		break;
	case CHECKV_NUMBER:
		if (units__parse_double(s, &v, err, sizeof(err)) || v < 0) {
			load__err(c, n, "'%s' must be a number >= 0, got %s", cd->key, load__show(c, n));
			return false;
		}
		break;
	case CHECKV_FRACTION:
		if (s[0] && s[strlen(s) - 1] == '%') {
			if (units__parse_percent(s, &v, err, sizeof(err)))
				goto unit_err;
			if (v > 100) {
				load__err(c, n, "'%s' must be at most 100%%, got %s", cd->key,
					  load__show(c, n));
				return false;
			}
			v /= 100;
		} else if (units__parse_fraction(s, &v, err, sizeof(err))) {
			goto unit_err;
		}
		break;
	case CHECKV_INTEGER:
		if (!load__int(c, n, cd->key, 0, INT32_MAX, &iv))
			return false;
		v = (double)iv;
		break;
	}
	th->state = TH_SET;
	th->value = v;
	return true;
unit_err:
	load__err(c, n, "%s", err);
	return false;
}

/* One item of hardware_only: a check key. */
static const char *check_key(struct load_ctx *c, const yaml_node_t *n, const char *what)
{
	const char *s = load__str(c, n, what);

	if (s && !checks__find(s)) {
		load__err(c, n, "%s: '%s' is not a check key (max_gap, max_p99_wake_latency, "
			  "min_work_rate, ...; ktstr-scenario(5), CHECKS)", what, s);
		return NULL;
	}
	return s;
}

/* `hardware_only: [max_p99_wake_latency, ...]`: mark those keys. */
static void hardware_only(struct load_ctx *c, const yaml_node_t *n, struct checks *out)
{
	size_t nkeys = 0;
	const char **keys = load__str_list(c, n, "hardware_only", &nkeys, true, check_key);

	for (size_t i = 0; keys && i < nkeys; i++)
		out->t[checks__find(keys[i])->id].hardware_only = true;
}

void load__checks(struct load_ctx *c, const yaml_node_t *n, struct checks *out)
{
	struct keyset ks = { "checks", checks__map_keys() };
	struct mapiter it;
	int k;

	if (!mapiter__init(&it, c, n, &ks, "checks"))
		return;
	while ((k = mapiter__next(&it)) >= 0) {
		if (k == CHECKS_KEY_HARDWARE_ONLY) {
			hardware_only(c, it.val, out);
			continue;
		}
		const struct check_desc *cd = checks__find(ks.keys[k]);
		struct threshold *th = &out->t[cd->id];
		bool b;

		if (ytree__plain(it.val) && !strcmp(ytree__scalar(it.val, NULL), "false")) {
			th->state = TH_DISABLED;
			th->value = 0;
			continue;
		}
		if (cd->kind == CHECKV_BOOL) {
			if (load__bool(c, it.val, cd->key, &b)) {
				th->state = b ? TH_SET : TH_DISABLED;
				th->value = b ? 1.0 : 0.0;
			}
			continue;
		}
		check_value(c, it.val, cd, th);
	}
}

/* ---- scheduler definitions ---- */

enum { D_NAME, D_BINARY, D_ARGS, D_FLAGS, D_SYSCTLS, D_KERNEL_ARGS, D_TOPOLOGY, D_CHECKS,
       D_WATCHDOG_TIMEOUT, D_WATCHDOG_ARG, D_COUNT };

static const char *const def_keys[] = {
	"name", "binary", "args", "flags", "sysctls", "kernel_args", "topology", "checks",
	"watchdog_timeout", "watchdog_arg", NULL,
};
static const struct keyset def_ks = { "scheduler", def_keys };

enum { F_NAME, F_ARGS, F_REQUIRES };

static const char *const flag_keys[] = { "name", "args", "requires", NULL };
static const struct keyset flag_ks = { "flag", flag_keys };

static bool flag(struct load_ctx *c, const yaml_node_t *n, struct sched_flag *f)
{
	int errs = c->errs;

	memset(f, 0, sizeof(*f));
	f->loc = load__loc(c, n);
	if (ytree__kind(n) == YNODE_MAP) {
		struct mapiter it;
		int k;

		mapiter__init(&it, c, n, &flag_ks, "flag");
		while ((k = mapiter__next(&it)) >= 0) {
			switch (k) {
			case F_NAME:
				f->name = load__kebab(c, it.val, "flag name");
				break;
			case F_ARGS:
				f->args = load__str_list(c, it.val, "args", &f->nargs, true, NULL);
				break;
			case F_REQUIRES:
				f->requires = load__str_list(c, it.val, "requires", &f->nrequires, true,
							     load__kebab);
				break;
			}
		}
		if (!mapiter__seen(&it, F_NAME))
			load__err(c, n, "flag has no 'name' (e.g. {name: llc, args: [--llc]})");
		return c->errs == errs;
	}
	const char *s = load__kebab(c, n, "flag name");
	const struct sched_flag *b;

	if (!s)
		return false;
	b = sched_flags__builtin_find(s);
	if (!b) {
		size_t nb = 0;
		const struct sched_flag *all = sched_flags__builtin(&nb);
		const char *names[16];
		char hint[128];

		for (size_t i = 0; i < nb && i < 16; i++)
			names[i] = all[i].name;
		load__hint(c, s, names, nb < 16 ? nb : 16, hint, sizeof(hint));
		load__err(c, n, "unknown built-in flag %s%s (to define your own, write {name: %s, args: [...]})",
			  load__show(c, n), hint, s);
		return false;
	}
	f->name = s;
	if (b->nrequires) {
		f->requires = load__array(c, n, b->nrequires + 1, sizeof(*f->requires));
		if (!f->requires)
			return false;
		for (size_t i = 0; i < b->nrequires; i++)
			f->requires[i] = b->requires[i];	/* static strings */
		f->nrequires = b->nrequires;
	}
	return true;
}

static void flags(struct load_ctx *c, const yaml_node_t *n, struct sched_def *def)
{
	size_t len;

	if (!load__seq(c, n, "flags", &len, true))
		return;
	if (len > SCHED_MAX_FLAGS) {
		load__err(c, n, "too many flags (%zu, at most %d)", len, SCHED_MAX_FLAGS);
		return;
	}
	def->flags = load__array(c, n, len, sizeof(*def->flags));
	if (!def->flags)
		return;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);

		if (!item)
			return;
		if (flag(c, item, &def->flags[def->nflags]))
			def->nflags++;
	}
	/* Names and requirements refer to each other: check them once all are in. */
	for (size_t i = 0; i < def->nflags; i++) {
		const struct sched_flag *f = &def->flags[i];
		int first = sched_def__flag_index(def, f->name);

		if (first >= 0 && (size_t)first < i) {
			c->errs++;
			diag__add(c->d, f->loc, "flag '%s' is declared twice (first at line %u)",
				  f->name, def->flags[first].loc.line);
			continue;
		}
		for (size_t r = 0; r < f->nrequires; r++) {
			if (!strcmp(f->requires[r], f->name)) {
				c->errs++;
				diag__add(c->d, f->loc, "flag '%s' requires itself", f->name);
			} else if (sched_def__flag_index(def, f->requires[r]) < 0) {
				c->errs++;
				diag__add(c->d, f->loc,
					  "flag '%s' requires '%s', which this scheduler does not declare",
					  f->name, f->requires[r]);
			}
		}
	}
}

static bool sysctl_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch == '-' || ch == '/';
}

static bool has_space(const char *s)
{
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			return true;
	return false;
}

struct keyref {
	const char *s;
	const yaml_node_t *node;
	size_t pos;
};

static int keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int r = strcmp(x->s, y->s);

	return r ? r : (x->pos > y->pos) - (x->pos < y->pos);
}

static void sysctls(struct load_ctx *c, const yaml_node_t *n, struct sched_def *def)
{
	struct keyref *refs;
	size_t len, nref = 0;

	if (!load__kind(c, n, YNODE_MAP, "sysctls"))
		return;
	len = ytree__map_len(n);
	if (len > LOAD_MAX_ITEMS) {
		load__err(c, n, "'sysctls' has too many items (%zu, at most %d)", len,
			  LOAD_MAX_ITEMS);
		return;
	}
	def->sysctls = load__array(c, n, len, sizeof(*def->sysctls));
	refs = calloc(len ? len : 1, sizeof(*refs));
	if (!def->sysctls || !refs) {
		if (!refs)
			load__oom(c, n);
		free(refs);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *k, *v;
		const char *ks, *p;
		struct sysctl_kv *kv = &def->sysctls[def->nsysctls];

		if (!ytree__map_at(c->t, n, i, &k, &v))
			break;
		ks = load__key(c, k);
		if (!ks)
			continue;
		for (p = ks; *p && sysctl_char(*p); p++)
			;
		if (!*ks || *p || strlen(ks) > 256) {
			load__err(c, k, "bad sysctl name %s: use letters, digits, '_', '.', '-' and '/'",
				  load__show(c, k));
			continue;
		}
		refs[nref++] = (struct keyref){ ks, k, i };
		kv->key = arena__strdup(c->a, ks);
		kv->value = load__str(c, v, "sysctl value");
		if (!kv->key || !kv->value) {
			if (!kv->key)
				load__oom(c, k);
			continue;
		}
		if (has_space(kv->value)) {
			load__err(c, v, "sysctl value %s must not contain spaces: it goes on the kernel command line",
				  load__show(c, v));
			continue;
		}
		def->nsysctls++;
	}
	/* Sorting finds duplicates in n log n, whatever the map's size. */
	qsort(refs, nref, sizeof(*refs), keyref_cmp);
	for (size_t i = 1; i < nref; i++)
		if (!strcmp(refs[i].s, refs[i - 1].s))
			load__err(c, refs[i].node, "duplicate sysctl '%s' (first at line %u)", refs[i].s,
				  ytree__line(refs[i - 1].node));
	free(refs);
}

/*
 * Options ktstr sets on the guest kernel command line itself (lib/vm's
 * cmdline: rdinit=/init starts the agent), and the switch of its own tests'
 * guest faults, which no scenario may turn on.
 */
static const char *const reserved_kargs[] = {
	"console", "loglevel", "init", "rdinit", "earlyprintk", "nokaslr", "ktstr.selftest", NULL
};

static const char *karg(struct load_ctx *c, const yaml_node_t *n, const char *what)
{
	const char *s = load__scalar(c, n, what);
	char err[200];
	size_t klen;

	if (!s)
		return NULL;
	if (!*s || has_space(s)) {
		load__err(c, n, "kernel argument %s must be one word without spaces; write each as its own item",
			  load__show(c, n));
		return NULL;
	}
	if (karg__check(s, err, sizeof(err))) {
		load__err(c, n, "kernel argument %s: %s (write {EXPR} with a count expression, "
			  "e.g. nohz_full=1-{cpus-1})", load__show(c, n), err);
		return NULL;
	}
	klen = strcspn(s, "=");
	for (int i = 0; reserved_kargs[i]; i++) {
		if (strlen(reserved_kargs[i]) == klen && !strncmp(s, reserved_kargs[i], klen)) {
			load__err(c, n, "kernel argument %s would override ktstr's own '%s'",
				  load__show(c, n), reserved_kargs[i]);
			return NULL;
		}
	}
	return load__str(c, n, what);
}

struct sched_def *load__sched_def(struct load_ctx *c, const yaml_node_t *n)
{
	const yaml_node_t *keys[D_COUNT] = { 0 }, *vals[D_COUNT] = { 0 };
	struct sched_def *def;
	struct mapiter it;
	int errs = c->errs, k;

	if (!mapiter__init(&it, c, n, &def_ks, "scheduler"))
		return NULL;
	def = load__array(c, n, 1, sizeof(*def));
	if (!def)
		return NULL;
	def->loc = load__loc(c, n);
	while ((k = mapiter__next(&it)) >= 0) {
		keys[k] = it.key;
		vals[k] = it.val;
		switch (k) {
		case D_NAME:
			def->name = load__name(c, it.val, "scheduler name");
			break;
		case D_BINARY:
			def->binary = load__str(c, it.val, "binary");
			if (def->binary && !def->binary[0])
				load__err(c, it.val, "'binary' must not be empty");
			break;
		case D_ARGS:
			def->args = load__str_list(c, it.val, "args", &def->nargs, true, NULL);
			break;
		case D_FLAGS:
			if (ytree__kind(it.val) == YNODE_SCALAR) {
				const char *s = load__scalar(c, it.val, "flags");

				if (s && !strcmp(s, "from-binary"))
					def->flags_from_binary = true;
				else if (s)
					load__err(c, it.val, "'flags' is a list of flags or from-binary "
						  "(the binary's --list-flags), got %s",
						  load__show(c, it.val));
				break;
			}
			flags(c, it.val, def);
			break;
		case D_SYSCTLS:
			sysctls(c, it.val, def);
			break;
		case D_KERNEL_ARGS:
			def->kernel_args = load__str_list(c, it.val, "kernel_args", &def->nkernel_args,
							  true, karg);
			break;
		case D_TOPOLOGY:
			load__topology(c, it.val, &def->topology);
			break;
		case D_CHECKS:
			load__checks(c, it.val, &def->checks);
			break;
		case D_WATCHDOG_TIMEOUT:
			if (load__duration(c, it.val, "watchdog_timeout", &def->watchdog_timeout_ns) &&
			    (def->watchdog_timeout_ns < 100000000ULL ||
			     def->watchdog_timeout_ns > 30000000000ULL)) {
				load__err(c, it.val, "'watchdog_timeout' must be from 100ms to 30s (the "
					  "kernel's limit), got %s", load__show(c, it.val));
				def->watchdog_timeout_ns = 0;
			}
			break;
		case D_WATCHDOG_ARG:
			def->watchdog_arg = load__str(c, it.val, "watchdog_arg");
			if (def->watchdog_arg && (!def->watchdog_arg[0] ||
						  !strstr(def->watchdog_arg, "{ms}"))) {
				load__err(c, it.val, "'watchdog_arg' is the scheduler's option "
					  "with {ms} for the milliseconds, e.g. "
					  "\"--timeout-ms={ms}\"; got %s", load__show(c, it.val));
				def->watchdog_arg = NULL;
			}
			break;
		}
	}
	if (vals[D_WATCHDOG_TIMEOUT] && !vals[D_WATCHDOG_ARG] && !(def->name &&
	    !strcmp(def->name, "eevdf")))
		load__err(c, keys[D_WATCHDOG_TIMEOUT],
			  "'watchdog_timeout' needs 'watchdog_arg', the scheduler's option that "
			  "sets ops.timeout_ms, e.g. watchdog_arg: \"--timeout-ms={ms}\"");
	if (!vals[D_NAME]) {
		load__err(c, n, "scheduler has no 'name'");
	} else if (def->name && !strcmp(def->name, "eevdf")) {
		/* The kernel's own: it may tune sysctls, topology and checks, nothing it would run. */
		def->eevdf = true;
		for (k = D_BINARY; k < D_COUNT; k++)
			if (keys[k] && (k <= D_FLAGS || k >= D_WATCHDOG_TIMEOUT))
				load__err(c, keys[k],
					  "'eevdf' is the kernel's own scheduler and takes no '%s'; give this definition another name",
					  def_keys[k]);
	} else if (def->name && !vals[D_BINARY]) {
		def->binary = def->name;	/* discovered by name */
	}
	return c->errs == errs ? def : NULL;
}
