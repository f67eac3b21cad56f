/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run metrics ktstr records per variant (JSON lines) and compares between
 * runs (`ktstr compare`). Each metric has a polarity and a two-part
 * significance gate (ktstr(1), compare): a difference counts only when it is at
 * least `abs` in absolute terms AND at least `rel` relative to the baseline.
 */
#ifndef KTSTR_METRICS_H
#define KTSTR_METRICS_H

#include <stddef.h>

enum metric_polarity { METRIC_LOWER_BETTER, METRIC_HIGHER_BETTER };

struct metric_desc {
	const char *name;		/* "worst_gap_ms" */
	enum metric_polarity polarity;
	double abs;			/* smallest absolute difference that counts */
	double rel;			/* smallest relative difference that counts (0.25 = 25 %) */
	const char *unit;		/* "ms", "%", "" */
};

#define METRICS_MAX 32

/* One measured value; @name points into the table (or, when parsed, is owned by the caller). */
struct metric_value {
	const char *name;
	double value;
};

const struct metric_desc *metrics__table(size_t *n);
const struct metric_desc *metrics__find(const char *name);

#endif
