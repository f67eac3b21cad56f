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
	bool hardware_only;	/* `hardware_only: [key]`: not failed under the tcg profile */
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
	/*
	 * Set by checks__resolve() for the tcg profile: a hardware_only limit
	 * that is missed is reported (verdict.waived), not failed.
	 */
	bool waive_hardware_only;
};

const struct check_desc *checks__desc(enum check_id id);
/* Is @id one of the host-side monitor's checks (evaluated for sched_ext only)? */
bool checks__monitor(enum check_id id);
const struct check_desc *checks__find(const char *key);
const char *const *checks__keys(size_t *n);
/*
 * The keys a `checks:` map may hold, NULL-terminated: checks__keys() in the
 * same order, then "hardware_only" (index CHECK_COUNT), a list of check keys
 * whose limits the tcg profile reports instead of failing.
 */
#define CHECKS_KEY_HARDWARE_ONLY CHECK_COUNT
const char *const *checks__map_keys(void);

/*
 * Overlay @top onto @base: every field @top sets or disables wins; a key @top
 * marks hardware_only stays marked.
 */
void checks__merge(struct checks *base, const struct checks *top);

/*
 * Named threshold profiles: the bottom layer of the merge. "default" is for
 * real hardware and KVM; "tcg" is looser for emulated guests, where vCPUs are
 * host threads sharing a few cores and guest time runs slower.
 */
enum threshold_profile { THRESHOLDS_DEFAULT, THRESHOLDS_TCG, THRESHOLDS_COUNT };

const char *threshold_profile__name(enum threshold_profile p);
int threshold_profile__parse(const char *name, enum threshold_profile *out);
/* The bottom layer: not_starved on, max_gap and max_spread set, monitor defaults. */
void checks__defaults(enum threshold_profile p, struct checks *out);
/*
 * The thresholds a run uses: @p's defaults, then @sched's (NULL: none), then
 * @scenario's (NULL: none); per key the last layer that sets or disables it
 * wins. Under THRESHOLDS_TCG, hardware_only limits are waived (reported only).
 */
void checks__resolve(enum threshold_profile p, const struct checks *sched,
		     const struct checks *scenario, struct checks *out);
/*
 * One threshold as a scenario would write it: "true", "2s", "15%", "0.5";
 * "off" when a layer disabled it, "none" when no layer set it.
 */
void checks__format(enum check_id id, const struct threshold *th, char *buf, size_t len);

#endif
