// SPDX-License-Identifier: GPL-2.0
/*
 * Counts: `workers` (top level, works, spawn) and a cgroup entry's
 * `repeat`, each an integer or a count expression (count_expr.h), and the
 * templates of a repeated entry: {i} and {n} in its name and cpuset.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "count_expr.h"
#include "scenario_inst.h"
#include "scenario_load_int.h"
#include "base/units.h"
#include "wire/plan_format.h"

/* load__err() at byte @off of scalar @n's text (past a quote when quoted). */
__attribute__((format(printf, 4, 5)))
static void err_at(struct load_ctx *c, const yaml_node_t *n, size_t off, const char *fmt, ...)
{
	struct src_loc loc = load__loc(c, n);
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	loc.col += (uint32_t)off + (ytree__plain(n) ? 0 : 1);
	diag__add(c->d, loc, "%s", msg);
	c->errs++;
}

bool load__count(struct load_ctx *c, const yaml_node_t *n, const char *what, uint32_t max,
		 uint32_t *val, const struct count_expr **expr, struct src_loc *loc)
{
	const struct count_expr *e;
	struct count_err ce;
	const char *s = ytree__scalar(n, NULL);
	char err[128];
	int64_t v;
	int ret;

	*loc = load__loc(c, n);
	/* Integers (and what is none) read exactly as they always have. */
	if (!s || load__is_null(n) ||
	    units__parse_int(s, INT64_MIN, INT64_MAX, &v, err, sizeof(err)) != -EINVAL)
		return load__u32(c, n, what, 1, max, val);
	s = load__scalar(c, n, what);
	if (!s)
		return false;
	ret = count_expr__parse(s, c->a, &e, &ce);
	if (ret == -ENOMEM) {
		load__oom(c, n);
		return false;
	}
	if (ret) {
		err_at(c, n, ce.pos, "'%s': %s in count expression %s%s", what, ce.msg,
		       load__show(c, n), ce.hint);
		return false;
	}
	if (e->vars) {
		*expr = e;
		return true;
	}
	/* No variable: the same on every topology, so checked now. */
	if (count_expr__eval(e, &(struct count_vars){ 0 }, &v, err, sizeof(err))) {
		load__err(c, n, "'%s': count expression %s %s", what, load__show(c, n), err);
		return false;
	}
	if (v < 1 || v > max) {
		load__err(c, n, "'%s': count expression %s is %" PRId64 "; it must be from 1 to %u",
			  what, load__show(c, n), v, max);
		return false;
	}
	*val = (uint32_t)v;
	return true;
}

/* ---- repeat ---- */

static bool has_placeholder(const char *s)
{
	return s && (strstr(s, "{i}") || strstr(s, "{n}"));
}

/* A repeated entry's name: a cgroup path once {i} and {n} are replaced, with {i} in it. */
static const char *name_tmpl(struct load_ctx *c, const yaml_node_t *n)
{
	const char *s = load__scalar(c, n, "name");
	char buf[LOAD_MAX_CGROUP + 1], err[160];

	if (!s)
		return NULL;
	if (!strstr(s, "{i}")) {
		load__err(c, n, "a cgroup with 'repeat' needs {i} in its name, e.g. \"cg_{i}\", "
			  "got %s", load__show(c, n));
		return NULL;
	}
	if (strlen(s) > LOAD_MAX_CGROUP) {
		load__err(c, n, "cgroup name %s is too long (%zu characters, at most %d)",
			  load__show(c, n), strlen(s), LOAD_MAX_CGROUP);
		return NULL;
	}
	/* The copies differ in digits only: the first one shows whether all are valid. */
	if (scenario_tmpl__subst(s, 0, 1, buf, sizeof(buf), err, sizeof(err))) {
		load__err(c, n, "cgroup name %s: %s", load__show(c, n), err);
		return NULL;
	}
	if (!load__cgroup_path_ok(buf)) {
		load__err(c, n, "bad cgroup name %s: use letters, digits, '_', '.', '-' and {i}, "
			  "nested with '/' (e.g. cg_{i} or parent/cg_{i})", load__show(c, n));
		return NULL;
	}
	return load__str(c, n, "name");
}

void load__cgroup_counts(struct load_ctx *c, const yaml_node_t *name, const yaml_node_t *repeat,
			 struct cgroup_def *cg)
{
	const char *s = name ? ytree__scalar(name, NULL) : NULL;
	uint32_t n = 0;
	char num[16];

	if (!repeat) {
		if (name && has_placeholder(s))
			load__err(c, name, "{i} and {n} in a cgroup name need 'repeat' on the cgroup, "
				  "e.g. repeat: \"usable\"");
		else if (name)
			cg->name = load__cgroup_name(c, name, "name");
		return;
	}
	if (name)
		cg->name = name_tmpl(c, name);
	if (!load__count(c, repeat, "repeat", PLAN_MAX_CGROUPS, &n, &cg->repeat, &cg->repeat_loc))
		return;
	if (cg->repeat)
		return;
	/* A plain number is an expression without variables. */
	struct count_err ce;

	snprintf(num, sizeof(num), "%" PRIu32, n);
	if (count_expr__parse(num, c->a, &cg->repeat, &ce))
		load__oom(c, repeat);
}
