/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Budget selection for `ktstr gauntlet --budget SECONDS` (ktstr(1), OPTIONS): from
 * a list of variants, pick the ones that cover the most distinct
 * configurations within a time budget, greedily by newly covered feature
 * bits per estimated second.
 *
 * A variant's features are bits of one 64-bit word:
 *   0-3    scheduler name (hash, one of 4)
 *   4-9    flags the scenario requires (built-in flag index, or hash, of 6)
 *   10-15  flags the scenario excludes
 *   16-21  flags active in the profile
 *   22-26  CPUs {<=8, <=16, <=64, <=128, >128}
 *   27-31  LLCs {1, 2, 3-4, 5-8, >8}
 *   32     SMT
 *   33     expect_fail
 *   34-36  duration {<=2 s, <=10 s, >10 s}
 *   37     more than 2 workers in some group
 *   38-41  scenario name (hash, one of 4)
 *   42-45  NUMA nodes {1, 2, 3-4, >4}
 *   46-49  kernel label (hash, one of 4), when variants cross kernels
 * Upstream's perf_mode, host_only and gauntlet bits are the same for every
 * variant here and are left out.
 */
#ifndef KTSTR_BUDGET_H
#define KTSTR_BUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gauntlet.h"

typedef uint64_t budget_bits;

/*
 * The time one variant is expected to take: boot cost + the scenario's
 * duration. Boot cost covers building the initramfs overlay, booting to the
 * agent and tearing down: measured here under TCG 4-7 s for 4 vCPUs, so 8 s;
 * with KVM at hardware speed about 1 s, so 2 s.
 */
#define BUDGET_BOOT_S_TCG	8.0
#define BUDGET_BOOT_S_KVM	2.0

double budget__estimate_s(double duration_s, bool tcg);

/* The feature bits of @v run on @kernel (a label, or NULL for "one kernel"). */
budget_bits budget__variant_bits(const struct variant *v, const char *kernel);

struct budget_item {
	budget_bits bits;
	double est_s;		/* > 0 */
};

struct budget_result {
	size_t selected;	/* how many sel[] are true */
	double used_s;		/* sum of the selected estimates */
	unsigned covered;	/* distinct bits the selection covers */
	unsigned possible;	/* distinct bits all items cover */
};

/*
 * Greedy selection within @capacity_s seconds (the budget times the jobs
 * running at once): repeatedly take the item that fits the remaining time
 * and has the most new bits per estimated second (ties: the lower index);
 * once no item adds a bit, take the cheapest that still fits (ties: the
 * lower index), until none fits. Deterministic; @sel[i] says whether item i
 * was taken. Returns 0, or -EINVAL for a negative capacity or an item with
 * a non-positive estimate.
 */
int budget__select(const struct budget_item *items, size_t n, double capacity_s, bool *sel,
		   struct budget_result *res);

#endif
