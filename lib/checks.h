/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Check thresholds as written in a scenario or scheduler definition. Each
 * field is unset (inherit from the layer below), disabled (`false`), or set.
 * Layers merge defaults -> scheduler -> scenario, last set wins.
 */
#ifndef KTSTR_CHECKS_H
#define KTSTR_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

enum threshold_state { TH_UNSET = 0, TH_DISABLED, TH_SET };

struct threshold {
	enum threshold_state state;
	double value;		/* booleans are 1.0 for true */
};

enum check_id {
	CHECK_NOT_STARVED,		/* bool */
	CHECK_ISOLATION,		/* bool */
	CHECK_MAX_GAP,			/* duration, stored in ms */
	CHECK_MAX_SPREAD,		/* percent */
	CHECK_MAX_THROUGHPUT_CV,	/* number */
	CHECK_MIN_WORK_RATE,		/* work units per CPU-second */
	CHECK_MAX_P99_WAKE_LATENCY,	/* duration, stored in ns */
	CHECK_MAX_WAKE_LATENCY_CV,	/* number */
	CHECK_MIN_ITERATION_RATE,	/* iterations per second */
	CHECK_MAX_MIGRATION_RATIO,	/* number */
	CHECK_MIN_PAGE_LOCALITY,	/* fraction 0..1 (written 0.9 or 90%) */
	CHECK_MAX_CROSS_NODE_MIGRATION_RATIO, /* number */
	CHECK_MAX_IMBALANCE_RATIO,	/* number (host monitor) */
	CHECK_MAX_LOCAL_DSQ_DEPTH,	/* integer (host monitor) */
	CHECK_FAIL_ON_STALL,		/* bool (host monitor) */
	CHECK_COUNT
};

enum check_value_kind {
	CHECKV_BOOL,
	CHECKV_DURATION_MS,
	CHECKV_DURATION_NS,
	CHECKV_PERCENT,
	CHECKV_NUMBER,
	CHECKV_FRACTION,
	CHECKV_INTEGER,
};

struct check_desc {
	const char *key;	/* scenario key: "max_gap" */
	enum check_id id;
	enum check_value_kind kind;
	const char *summary;
};

struct checks {
	struct threshold t[CHECK_COUNT];
};

const struct check_desc *checks__desc(enum check_id id);
const struct check_desc *checks__find(const char *key);
const char *const *checks__keys(size_t *n);

/* Overlay @top onto @base: every field @top sets or disables wins. */
void checks__merge(struct checks *base, const struct checks *top);

#endif
