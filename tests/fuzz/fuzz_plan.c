// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the agent's plan parser (initramfs/agent/plan_read.c): the plan comes
 * from the host, but the parser is bounded and strict all the same. A plan
 * that parses is walked in full and freed.
 */
#include <stdint.h>
#include <string.h>

#include "agent/plan_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t walk_work(const struct plan_work *w)
{
	uint64_t h = w->type + w->workers + cpumask__count(&w->aff_cpus);

	for (size_t i = 0; i < w->nphases; i++)
		h += w->phases[i].ns;
	for (size_t i = 0; i < w->argc; i++)
		h += strlen(w->argv[i]);
	return h;
}

static uint64_t walk_section(const struct plan_section *s)
{
	uint64_t h = s->ns;

	for (size_t i = 0; i < s->ncgroups; i++) {
		h += strlen(s->cgroups[i].name) + cpumask__count(&s->cgroups[i].cpus);
		for (size_t j = 0; j < s->cgroups[i].nworks; j++)
			h += walk_work(&s->cgroups[i].works[j]);
	}
	for (size_t i = 0; i < s->nops; i++) {
		const struct plan_op *op = &s->ops[i];

		h += op->kind + (op->cgroup ? strlen(op->cgroup) : 0) +
		     (op->cgroup2 ? strlen(op->cgroup2) : 0) + (op->name ? strlen(op->name) : 0);
		if (op->has_work)
			h += walk_work(&op->work);
		for (size_t j = 0; j < op->argc; j++)
			h += strlen(op->argv[j]);
	}
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan p;
	char err[256];
	uint64_t h;

	if (plan__parse((const char *)data, size, &p, err, sizeof(err)))
		return 0;
	h = walk_section(&p.backdrop);
	for (size_t i = 0; i < p.nsteps; i++)
		h += walk_section(&p.steps[i]);
	plan__free(&p);
	/* Uses h, so the walk is not optimized away; never true in practice. */
	return h == UINT64_MAX ? -1 : 0;
}
