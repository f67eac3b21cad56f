// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel arguments that follow the topology: a scheduler definition's
 * kernel_args may hold {EXPR}, a count expression (count_expr.h) evaluated
 * on each variant's topology, so that one definition serves every
 * topology: "nohz_full=1-{cpus-1}" is nohz_full=1-3 on 4 CPUs, 1-7 on 8.
 */
#include "karg_expand.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "count_expr.h"

/*
 * Walk @arg's {EXPR} parts: parse each, and with @t evaluate it into @buf.
 * @t NULL: parse only (the loader's check).
 */
static int walk(const char *arg, const struct topology *t, char *buf, size_t len, char *err,
		size_t errlen)
{
	struct arena a = { 0 };
	struct count_vars vars;
	size_t off = 0;
	int ret = 0;

	if (t)
		count_vars__of(t, &vars);
	for (const char *p = arg; *p && !ret; ) {
		const char *open = strchr(p, '{'), *close;
		char text[COUNT_EXPR_MAX_LEN + 1];
		const struct count_expr *e;
		struct count_err ce;
		int64_t v;

		if (!open)
			open = p + strlen(p);
		if (buf && off < len)
			off += (size_t)snprintf(buf + off, len - off, "%.*s", (int)(open - p), p);
		if (!*open)
			break;
		close = strchr(open, '}');
		if (!close) {
			snprintf(err, errlen, "'{' without its '}'");
			ret = -EINVAL;
			break;
		}
		if ((size_t)(close - open - 1) > COUNT_EXPR_MAX_LEN || close == open + 1) {
			snprintf(err, errlen, "{} must hold a count expression of 1 to %d characters",
				 COUNT_EXPR_MAX_LEN);
			ret = -EINVAL;
			break;
		}
		snprintf(text, sizeof(text), "%.*s", (int)(close - open - 1), open + 1);
		ret = count_expr__parse(text, &a, &e, &ce);
		if (ret == -EINVAL)
			snprintf(err, errlen, "%s in {%s}%s", ce.msg, text, ce.hint);
		else if (ret)
			snprintf(err, errlen, "out of memory");
		if (!ret && t) {
			ret = count_expr__eval(e, &vars, &v, err, errlen);
			if (!ret && buf && off < len)
				off += (size_t)snprintf(buf + off, len - off, "%" PRId64, v);
		}
		p = close + 1;
	}
	if (!ret && buf && off >= len) {
		snprintf(err, errlen, "longer than %zu characters once expanded", len - 1);
		ret = -E2BIG;
	}
	arena__free(&a);
	return ret;
}

int karg__check(const char *arg, char *err, size_t errlen)
{
	return walk(arg, NULL, NULL, 0, err, errlen);
}

int karg__expand(const char *arg, const struct topology *t, char *buf, size_t len, char *err,
		 size_t errlen)
{
	if (!len)
		return -E2BIG;
	buf[0] = '\0';
	return walk(arg, t, buf, len, err, errlen);
}
