// SPDX-License-Identifier: GPL-2.0
/* --work-type: its name, whether a variant takes it, the note of those that do not. */
#include "work_override.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "scenario/plan_write.h"
#include "wire/workload.h"

/* How many entries the note names before "and N more". */
#define NOTE_SHOWN 8

static void print_names(FILE *f)
{
	size_t n;
	const char *const *names = workload__names(&n);
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		const struct work_type_desc *d = workload__find(names[i]);

		if (!d || !d->overridable)
			continue;
		fprintf(f, "%s%s", first ? "" : ", ", names[i]);
		first = false;
	}
}

int work_override__parse(const char *arg, int *type, const char *cmd)
{
	const struct work_type_desc *d = workload__find(arg);
	const char *const *names;
	const char *pick;
	size_t n;

	if (d && d->overridable) {
		*type = (int)d->type;
		return 0;
	}
	fprintf(stderr, "ktstr %s: --work-type %s: ", cmd, arg);
	if (d && d->type == WORK_SEQUENCE) {
		fputs("a sequence needs its phases, which a swapped group does not have", stderr);
	} else if (d && d->type == WORK_EXEC) {
		fputs("exec needs a command line, which a swapped group does not have", stderr);
	} else if (d) {
		fputs("this work type cannot replace a group", stderr);
	} else {
		fputs("unknown work type", stderr);
		names = workload__names(&n);
		pick = diag__suggest(arg, names, n);
		if (pick)
			fprintf(stderr, "; did you mean '%s'?", pick);
	}
	fputs(" (it takes: ", stderr);
	print_names(stderr);
	fputs(")\n", stderr);
	return -1;
}

static int swaps(const struct scenario *sc, const struct topology *t, const struct run_opts *ro,
		 struct plan_swaps *s)
{
	struct plan_opts po = PLAN_OPTS_DEFAULT;

	po.workers = ro->workers;
	po.work_type_override = ro->work_type;
	return plan__swaps(sc, t, &po, s);
}

const char *work_override__applied(const struct scenario *sc, const struct topology *t,
				   const struct run_opts *ro)
{
	const struct work_type_desc *d;
	struct plan_swaps s;

	if (ro->work_type < 0 || !(d = workload__desc((enum work_type)ro->work_type)))
		return NULL;
	if (swaps(sc, t, ro, &s) || !s.swapped)
		return NULL;
	return d->name;
}

__attribute__((format(printf, 2, 3)))
static void note_add(struct work_override_note *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (n->n++ >= NOTE_SHOWN || n->len >= sizeof(n->text))
		return;
	va_start(ap, fmt);
	w = vsnprintf(n->text + n->len, sizeof(n->text) - n->len, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= sizeof(n->text) - n->len) {
		n->text[n->len] = '\0';	/* no half entry */
		n->len = sizeof(n->text);
		return;
	}
	n->len += (size_t)w;
	n->shown++;
}

void work_override__check(struct work_override_note *n, const char *label,
			  const struct scenario *sc, const struct topology *t,
			  const struct run_opts *ro)
{
	const struct work_type_desc *d;
	int64_t dp[WORK_MAX_PARAMS] = { 0 };
	struct plan_swaps s;
	const char *sep = n->n ? ", " : "";

	if (ro->work_type < 0 || !(d = workload__desc((enum work_type)ro->work_type)))
		return;
	if (sc == n->last_sc && t == n->last_t)
		return;
	n->last_sc = sc;
	n->last_t = t;
	/* A scenario that does not instantiate here fails its run with the reason. */
	if (swaps(sc, t, ro, &s) || s.swapped)
		return;
	if (!s.kept) {
		if (sc == n->none_sc)
			return;
		n->none_sc = sc;
		note_add(n, "%s%s (no group is swappable)", sep, sc->name);
		return;
	}
	for (size_t i = 0; i < d->nparams; i++)
		dp[i] = d->params[i].def;
	note_add(n, "%s%s (its swappable groups' workers are not a multiple of %u)", sep, label,
		 workload__group_size(d, dp));
}

void work_override__print(const struct work_override_note *n, const struct run_opts *ro,
			  const char *cmd)
{
	const struct work_type_desc *d;

	if (!n->n || ro->work_type < 0 || !(d = workload__desc((enum work_type)ro->work_type)))
		return;
	fprintf(stderr, "ktstr %s: --work-type %s replaces no work in: %s", cmd, d->name, n->text);
	if (n->n > n->shown)
		fprintf(stderr, ", and %zu more", n->n - n->shown);
	fputs("; these run their own work\n", stderr);
}
