// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler definitions: the built-in flags, the implicit EEVDF definition
 * and the expansion of flags into profiles (ktstr-scenario(5), SCHEDULERS).
 */
#include "scheduler.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *steal_requires[] = { "llc" };

/* Declaration order matters: it is the bit order of every profile mask. */
static const struct sched_flag builtin_flags[] = {
	{ .name = "llc" },
	{ .name = "borrow" },
	{ .name = "steal", .requires = steal_requires, .nrequires = 1 },
	{ .name = "rebal" },
	{ .name = "reject-pin" },
	{ .name = "no-ctrl" },
};

#define NBUILTIN (sizeof(builtin_flags) / sizeof(builtin_flags[0]))

const struct sched_flag *sched_flags__builtin(size_t *n)
{
	*n = NBUILTIN;
	return builtin_flags;
}

const struct sched_flag *sched_flags__builtin_find(const char *name)
{
	for (size_t i = 0; i < NBUILTIN; i++)
		if (!strcmp(builtin_flags[i].name, name))
			return &builtin_flags[i];
	return NULL;
}

static const struct sched_def eevdf_def = {
	.name = "eevdf",
	.eevdf = true,
};

const struct sched_def *sched_def__eevdf(void)
{
	return &eevdf_def;
}

int sched_def__flag_index(const struct sched_def *d, const char *name)
{
	for (size_t i = 0; i < d->nflags && i < SCHED_MAX_FLAGS; i++)
		if (d->flags[i].name && !strcmp(d->flags[i].name, name))
			return (int)i;
	return -1;
}

/*
 * The mask of flags @f requires. A requirement naming no flag of @d can
 * never be met: it yields a bit outside every valid profile.
 */
static flag_mask flag_requires_mask(const struct sched_def *d, const struct sched_flag *f)
{
	flag_mask m = 0;

	for (size_t i = 0; i < f->nrequires; i++) {
		int idx = sched_def__flag_index(d, f->requires[i]);

		m |= idx < 0 ? (flag_mask)1 << SCHED_MAX_FLAGS : (flag_mask)1 << idx;
	}
	return m;
}

static bool profile_valid(const flag_mask *req, size_t n, flag_mask m)
{
	for (size_t i = 0; i < n; i++)
		if ((m & ((flag_mask)1 << i)) && (req[i] & ~m))
			return false;
	return true;
}

long sched_profiles__expand(const struct sched_def *d, flag_mask required, flag_mask excluded,
			    flag_mask *out, size_t max)
{
	flag_mask req[SCHED_MAX_FLAGS];
	flag_mask all, optional, sub;
	size_t n = d->nflags;
	long count = 0;

	if (n > SCHED_MAX_FLAGS || (required & excluded))
		return -EINVAL;
	all = ((flag_mask)1 << n) - 1;
	if ((required | excluded) & ~all)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		req[i] = flag_requires_mask(d, &d->flags[i]);

	optional = all & ~required & ~excluded;
	/* Walk the subsets of @optional in ascending numeric order. */
	sub = 0;
	do {
		flag_mask m = required | sub;

		if (profile_valid(req, n, m)) {
			if (out) {
				if ((size_t)count >= max)
					break;
				out[count] = m;
			}
			count++;
		}
		sub = (sub - optional) & optional;
	} while (sub);
	return count;
}

void sched_profile__name(const struct sched_def *d, flag_mask m, char *buf, size_t len)
{
	size_t off = 0;

	if (!len)
		return;
	buf[0] = '\0';
	if (!m) {
		snprintf(buf, len, "default");
		return;
	}
	for (size_t i = 0; i < d->nflags && i < SCHED_MAX_FLAGS; i++) {
		if (!(m & ((flag_mask)1 << i)))
			continue;
		int w = snprintf(buf + off, len - off, "%s%s", off ? "+" : "", d->flags[i].name);

		if (w < 0 || (size_t)w >= len - off) {
			buf[off] = '\0';	/* whole names only */
			return;
		}
		off += (size_t)w;
	}
}

char *sched_def__watchdog_arg(const struct sched_def *d)
{
	return sched_def__watchdog_arg_for(d, d ? d->watchdog_timeout_ns : 0);
}

char *sched_def__watchdog_arg_for(const struct sched_def *d, uint64_t timeout_ns)
{
	const char *t = d ? d->watchdog_arg : NULL, *at;
	char ms[24], *out;
	size_t n;

	if (!t || !timeout_ns)
		return NULL;
	snprintf(ms, sizeof(ms), "%" PRIu64, (timeout_ns + 999999) / 1000000);
	at = strstr(t, "{ms}");
	if (!at)
		return strdup(t);
	n = strlen(t) - 4 + strlen(ms) + 1;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%.*s%s%s", (int)(at - t), t, ms, at + 4);
	return out;
}
