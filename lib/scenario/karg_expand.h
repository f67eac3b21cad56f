/* SPDX-License-Identifier: GPL-2.0 */
/*
 * {EXPR} in a scheduler definition's kernel_args: a count expression
 * (count_expr.h: cpus, usable, llcs, nodes, cores, llc_cpus) replaced by its
 * value on the variant's topology, e.g. "nohz_full=1-{cpus-1}".
 */
#ifndef KTSTR_KARG_EXPAND_H
#define KTSTR_KARG_EXPAND_H

#include <stddef.h>

#include "topo/topology.h"

/* @arg's {EXPR} parts parse. Returns 0, or -EINVAL/-ENOMEM with @err. */
int karg__check(const char *arg, char *err, size_t errlen);

/*
 * @arg with each {EXPR} evaluated on @t, into @buf. Returns 0, or -EINVAL
 * (syntax), -EDOM/-ERANGE (evaluation), -E2BIG (too long) with @err.
 */
int karg__expand(const char *arg, const struct topology *t, char *buf, size_t len, char *err,
		 size_t errlen);

#endif
