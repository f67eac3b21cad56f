// SPDX-License-Identifier: GPL-2.0
/* CPU list parsing and formatting for the agent; see cpumask.h. */
#include "cpumask.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

unsigned cpumask__count(const struct cpumask *m)
{
	unsigned n = 0;

	for (size_t i = 0; i < CPUMASK_BITS / 64; i++)
		n += (unsigned)__builtin_popcountll(m->bits[i]);
	return n;
}

bool cpumask__empty(const struct cpumask *m)
{
	return cpumask__count(m) == 0;
}

int cpumask__nth(const struct cpumask *m, unsigned n)
{
	for (unsigned c = 0; c < CPUMASK_BITS; c++)
		if (cpumask__test(m, c) && n-- == 0)
			return (int)c;
	return -1;
}

/* A decimal CPU number below @limit; advances *s. */
static int cpumask__num(const char **s, unsigned limit, unsigned *out)
{
	unsigned v = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (unsigned)(*p - '0');
		if (v >= limit)
			return -EINVAL;
		p++;
	}
	*s = p;
	*out = v;
	return 0;
}

int cpumask__parse(const char *s, unsigned limit, struct cpumask *out)
{
	memset(out, 0, sizeof(*out));
	if (limit > CPUMASK_BITS)
		limit = CPUMASK_BITS;
	if (!*s || !strcmp(s, "\n"))
		return 0;
	for (;;) {
		unsigned a, b;

		if (cpumask__num(&s, limit, &a))
			return -EINVAL;
		b = a;
		if (*s == '-') {
			s++;
			if (cpumask__num(&s, limit, &b) || b < a)
				return -EINVAL;
		}
		for (unsigned c = a; c <= b; c++)
			cpumask__set(out, c);
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == '\n')
			s++;
		return *s ? -EINVAL : 0;
	}
}

size_t cpumask__format(const struct cpumask *m, char *buf, size_t len)
{
	size_t n = 0;
	int w;

	if (len)
		buf[0] = '\0';
	for (unsigned c = 0; c < CPUMASK_BITS; c++) {
		unsigned e = c;

		if (!cpumask__test(m, c))
			continue;
		while (e + 1 < CPUMASK_BITS && cpumask__test(m, e + 1))
			e++;
		if (e == c)
			w = snprintf(buf + (n < len ? n : len), n < len ? len - n : 0, "%s%u",
				     n ? "," : "", c);
		else
			w = snprintf(buf + (n < len ? n : len), n < len ? len - n : 0, "%s%u-%u",
				     n ? "," : "", c, e);
		n += (size_t)w;
		c = e;
	}
	return n;
}
