// SPDX-License-Identifier: GPL-2.0
#include "cpuset.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"

#define WORDS (KTSTR_CPUSET_BITS / 64)

void cpuset__zero(struct cpuset *s)
{
	memset(s, 0, sizeof(*s));
}

void cpuset__set(struct cpuset *s, unsigned cpu)
{
	if (cpu < KTSTR_CPUSET_BITS)
		s->bits[cpu / 64] |= UINT64_C(1) << (cpu % 64);
}

void cpuset__clear(struct cpuset *s, unsigned cpu)
{
	if (cpu < KTSTR_CPUSET_BITS)
		s->bits[cpu / 64] &= ~(UINT64_C(1) << (cpu % 64));
}

bool cpuset__test(const struct cpuset *s, unsigned cpu)
{
	if (cpu >= KTSTR_CPUSET_BITS)
		return false;
	return (s->bits[cpu / 64] >> (cpu % 64)) & 1;
}

unsigned cpuset__count(const struct cpuset *s)
{
	unsigned n = 0;

	for (size_t i = 0; i < WORDS; i++)
		n += (unsigned)__builtin_popcountll(s->bits[i]);
	return n;
}

bool cpuset__empty(const struct cpuset *s)
{
	for (size_t i = 0; i < WORDS; i++)
		if (s->bits[i])
			return false;
	return true;
}

bool cpuset__equal(const struct cpuset *a, const struct cpuset *b)
{
	return memcmp(a->bits, b->bits, sizeof(a->bits)) == 0;
}

bool cpuset__subset(const struct cpuset *sub, const struct cpuset *super)
{
	for (size_t i = 0; i < WORDS; i++)
		if (sub->bits[i] & ~super->bits[i])
			return false;
	return true;
}

/* dst may alias a or b in the three set operations below. */
void cpuset__and(struct cpuset *dst, const struct cpuset *a, const struct cpuset *b)
{
	for (size_t i = 0; i < WORDS; i++)
		dst->bits[i] = a->bits[i] & b->bits[i];
}

void cpuset__or(struct cpuset *dst, const struct cpuset *a, const struct cpuset *b)
{
	for (size_t i = 0; i < WORDS; i++)
		dst->bits[i] = a->bits[i] | b->bits[i];
}

void cpuset__andnot(struct cpuset *dst, const struct cpuset *a, const struct cpuset *b)
{
	for (size_t i = 0; i < WORDS; i++)
		dst->bits[i] = a->bits[i] & ~b->bits[i];
}

size_t cpuset__to_array(const struct cpuset *s, unsigned *out, size_t max)
{
	size_t n = 0;

	for (unsigned cpu = 0; cpu < KTSTR_CPUSET_BITS && n < max; cpu++)
		if (cpuset__test(s, cpu))
			out[n++] = cpu;
	return n;
}

int cpuset__last(const struct cpuset *s)
{
	for (size_t i = WORDS; i-- > 0;)
		if (s->bits[i])
			return (int)(i * 64 + 63 - (size_t)__builtin_clzll(s->bits[i]));
	return -1;
}

/* Append @piece to buf[*pos..len), counting what would be needed (like snprintf). */
static void append(char *buf, size_t len, size_t *pos, const char *piece)
{
	size_t n = strlen(piece);

	if (*pos + 1 < len) {
		size_t room = len - *pos - 1;
		size_t copy = n < room ? n : room;

		memcpy(buf + *pos, piece, copy);
		buf[*pos + copy] = '\0';
	}
	*pos += n;
}

size_t cpuset__format(const struct cpuset *s, char *buf, size_t len)
{
	size_t pos = 0;
	unsigned cpu = 0;

	if (buf && len)
		buf[0] = '\0';
	else
		len = 0;
	while (cpu < KTSTR_CPUSET_BITS) {
		char piece[32];
		unsigned first;

		if (!cpuset__test(s, cpu)) {
			cpu++;
			continue;
		}
		first = cpu;
		while (cpu + 1 < KTSTR_CPUSET_BITS && cpuset__test(s, cpu + 1))
			cpu++;
		if (first == cpu)
			snprintf(piece, sizeof(piece), "%s%u", pos ? "," : "", first);
		else
			snprintf(piece, sizeof(piece), "%s%u-%u", pos ? "," : "", first, cpu);
		append(buf, len, &pos, piece);
		cpu++;
	}
	return pos;
}

/*
 * Parse the decimal number at *p, leaving *p past it. Saturates instead of
 * overflowing: anything that large is out of range anyway. Returns false
 * when there is no digit at *p.
 */
static bool parse_num(const char **p, unsigned long *val)
{
	const char *s = *p;
	unsigned long v = 0;

	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s)) {
		if (v < 1000000)
			v = v * 10 + (unsigned long)(*s - '0');
		s++;
	}
	*p = s;
	*val = v;
	return true;
}

/* One item "N" or "N-M", already stripped of surrounding whitespace. */
static int parse_item(const char *item, size_t n, struct cpuset *out,
		      char *err, size_t errlen)
{
	const char *p = item, *end = item + n;
	const char *lo_end, *hi_start = NULL;
	unsigned long lo, hi;

	if (!parse_num(&p, &lo))
		goto garbage;
	lo_end = p;
	hi = lo;
	if (p < end && *p == '-') {
		hi_start = ++p;
		if (!parse_num(&p, &hi))
			goto garbage;
	}
	if (p != end)
		goto garbage;
	if (lo >= KTSTR_CPUSET_BITS)
		return err__set(-EINVAL, err, errlen, "CPU %.*s is out of range",
				(int)(lo_end - item), item);
	if (hi >= KTSTR_CPUSET_BITS)
		return err__set(-EINVAL, err, errlen, "CPU %.*s is out of range",
				(int)(end - hi_start), hi_start);
	if (hi < lo)
		return err__set(-EINVAL, err, errlen, "'%.*s' is a reversed range", (int)n, item);
	for (unsigned long cpu = lo; cpu <= hi; cpu++)
		cpuset__set(out, (unsigned)cpu);
	return 0;
garbage:
	return err__set(-EINVAL, err, errlen,
			"'%.*s' is not a CPU number or range (expected e.g. 0-3,6)",
			(int)n, item);
}

int cpuset__parse(const char *str, struct cpuset *out, char *err, size_t errlen)
{
	struct cpuset set;
	const char *p = str;

	if (!str)
		return err__set(-EINVAL, err, errlen, "missing CPU list (expected e.g. 0-3,6)");
	cpuset__zero(&set);
	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return err__set(-EINVAL, err, errlen, "empty CPU list (expected e.g. 0-3,6)");
	for (;;) {
		const char *item, *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int ret;

		/* Trim the item on both sides. */
		while (n && isspace((unsigned char)*p)) {
			p++;
			n--;
		}
		item = p;
		while (n && isspace((unsigned char)item[n - 1]))
			n--;
		if (!n)
			return err__set(-EINVAL, err, errlen,
					"empty item in CPU list '%s' (expected e.g. 0-3,6)", str);
		ret = parse_item(item, n, &set, err, errlen);
		if (ret)
			return ret;
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = set;
	return 0;
}
