/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Count expressions: worker counts and cgroup repeats relative to the
 * topology, such as "usable/2" or "min(usable, 64)" (ktstr-scenario(5),
 * COUNTS). Parsed once when the scenario is loaded, evaluated on each
 * topology a variant runs on.
 *
 * Grammar (integers only, no unary minus):
 *   expr    := term (('+' | '-') term)*
 *   term    := primary (('*' | '/') primary)*
 *   primary := NUMBER | VARIABLE | '(' expr ')' | ('min' | 'max') '(' expr ',' expr ')'
 * '/' divides rounding down (towards minus infinity). Evaluation is in 64
 * bits; an overflow or a division by zero is an error, never a value.
 */
#ifndef KTSTR_COUNT_EXPR_H
#define KTSTR_COUNT_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "topo/topology.h"

#define COUNT_EXPR_MAX_LEN	256	/* characters of one expression */
#define COUNT_EXPR_MAX_DEPTH	32	/* nested parentheses and calls */

enum count_var {
	COUNT_VAR_CPUS,		/* all CPUs of the VM */
	COUNT_VAR_USABLE,	/* all but the last when there are more than two */
	COUNT_VAR_LLCS,
	COUNT_VAR_NODES,	/* NUMA nodes */
	COUNT_VAR_CORES,	/* physical cores in total */
	COUNT_VAR_LLC_CPUS,	/* CPUs per LLC */
	COUNT_VAR_COUNT
};

struct count_vars {
	int64_t v[COUNT_VAR_COUNT];
};

/* The variables' names, by enum count_var: "cpus", "usable", ... */
const char *const *count_var__names(void);
/* The variables of topology @t. */
void count_vars__of(const struct topology *t, struct count_vars *out);

struct count_node;

/* A parsed expression; it lives in the arena it was parsed into. */
struct count_expr {
	const char *text;		/* as written */
	const struct count_node *nodes;
	size_t nnodes;			/* the root is the last node */
	uint32_t vars;			/* bit (1 << COUNT_VAR_*) per variable used; 0 = constant */
};

/* Why an expression does not parse. */
struct count_err {
	size_t pos;			/* byte offset in the text of the offending token */
	char msg[96];			/* "unknown variable 'cpu'" */
	char hint[96];			/* "; did you mean 'cpus'?", or "" */
};

/*
 * Parse @s. Returns 0 with *@out allocated in @a, -EINVAL with @err filled,
 * or -ENOMEM.
 */
int count_expr__parse(const char *s, struct arena *a, const struct count_expr **out,
		      struct count_err *err);

/*
 * Evaluate @e with @vars. Returns 0 with *@out, or -EDOM (a division by
 * zero) or -ERANGE (overflow) with a message in @err ("divides by zero").
 */
int count_expr__eval(const struct count_expr *e, const struct count_vars *vars, int64_t *out,
		     char *err, size_t errlen);

#endif
