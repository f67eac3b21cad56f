// SPDX-License-Identifier: GPL-2.0
/*
 * Unit parsers for scenario files. Each takes the whole string or fails;
 * numbers are plain decimals (no sign unless stated, no exponent, no hex),
 * evaluated exactly in integers where the result is an integer.
 */
#include "units.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Kept fractional digits: 10^18 still fits a uint64_t. */
#define FRAC_DIGITS_MAX 18

struct decimal {
	uint64_t ip;		/* integer part */
	uint64_t fnum;		/* fractional digits as an integer */
	uint32_t fdigits;	/* how many digits fnum holds */
	bool fextra;		/* non-zero digits beyond FRAC_DIGITS_MAX */
	bool overflow;		/* integer part does not fit */
	size_t len;		/* characters consumed */
};

static const uint64_t pow10_u64[FRAC_DIGITS_MAX + 1] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
	100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
	10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Scan "D+" or "D+.D+" at @s. Returns false when there is no number there. */
static bool decimal_scan(const char *s, struct decimal *d)
{
	size_t i = 0;

	memset(d, 0, sizeof(*d));
	if (!is_digit(s[0]))
		return false;
	for (; is_digit(s[i]); i++) {
		unsigned dig = (unsigned)(s[i] - '0');

		if (d->ip > (UINT64_MAX - dig) / 10)
			d->overflow = true;
		else
			d->ip = d->ip * 10 + dig;
	}
	if (s[i] == '.' && is_digit(s[i + 1])) {
		for (i++; is_digit(s[i]); i++) {
			if (d->fdigits < FRAC_DIGITS_MAX) {
				d->fnum = d->fnum * 10 + (uint64_t)(s[i] - '0');
				d->fdigits++;
			} else if (s[i] != '0') {
				d->fextra = true;
			}
		}
	}
	d->len = i;
	return true;
}

static double decimal_value(const struct decimal *d)
{
	return (double)d->ip + (double)d->fnum / (double)pow10_u64[d->fdigits];
}

/*
 * @d scaled by @mult as an exact integer. Returns 0, -ERANGE on overflow, or
 * -EDOM when the result has a fractional part.
 */
static int decimal_scale(const struct decimal *d, uint64_t mult, uint64_t *out)
{
	uint64_t whole, part, sum;
	unsigned __int128 f;

	if (d->overflow || __builtin_mul_overflow(d->ip, mult, &whole))
		return -ERANGE;
	f = (unsigned __int128)d->fnum * mult;
	if (d->fextra || f % pow10_u64[d->fdigits])
		return -EDOM;
	part = (uint64_t)(f / pow10_u64[d->fdigits]);
	if (__builtin_add_overflow(whole, part, &sum))
		return -ERANGE;
	*out = sum;
	return 0;
}

/* The input as shown in messages: at most 40 characters, printable only. */
static const char *shown(const char *s, char buf[64])
{
	size_t i, n = 0;

	for (i = 0; s[i] && n < 40; i++)
		buf[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (s[i]) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

struct unit {
	const char *name;
	uint64_t mult;
};

static const struct unit duration_units[] = {
	{ "ns", 1 },
	{ "us", NSEC_PER_USEC },
	{ "ms", NSEC_PER_MSEC },
	{ "s", NSEC_PER_SEC },
	{ "m", 60 * NSEC_PER_SEC },
};

static const struct unit size_units[] = {
	{ "B", 1 },
	{ "KiB", 1ULL << 10 },
	{ "MiB", 1ULL << 20 },
	{ "GiB", 1ULL << 30 },
	{ "TiB", 1ULL << 40 },
};

static const struct unit *unit_find(const struct unit *u, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(u[i].name, name))
			return &u[i];
	return NULL;
}

int units__parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen)
{
	const struct unit *u;
	struct decimal d;
	uint64_t v;
	char b[64];
	int ret;

	if (s[0] == '-') {
		snprintf(err, errlen, "bad duration '%s': a duration cannot be negative",
			 shown(s, b));
		return -EINVAL;
	}
	if (!decimal_scan(s, &d)) {
		snprintf(err, errlen,
			 "bad duration '%s': expected a number with a unit (ns, us, ms, s, m), e.g. 500ms",
			 shown(s, b));
		return -EINVAL;
	}
	if (!s[d.len]) {
		if (!d.overflow && d.ip == 0 && d.fnum == 0 && !d.fextra) {
			*ns = 0;
			return 0;
		}
		snprintf(err, errlen, "bad duration '%s': add a unit (ns, us, ms, s, m), e.g. %ss",
			 shown(s, b), b);
		return -EINVAL;
	}
	u = unit_find(duration_units, sizeof(duration_units) / sizeof(duration_units[0]),
		      s + d.len);
	if (!u) {
		char ub[64];

		snprintf(err, errlen, "bad duration '%s': unknown unit '%s' (use ns, us, ms, s, m)",
			 shown(s, b), shown(s + d.len, ub));
		return -EINVAL;
	}
	ret = decimal_scale(&d, u->mult, &v);
	if (ret == -ERANGE || (!ret && v > UNITS_DURATION_MAX_NS)) {
		snprintf(err, errlen, "duration '%s' is too long: at most a day (86400s)",
			 shown(s, b));
		return -ERANGE;
	}
	if (ret) {
		snprintf(err, errlen, "bad duration '%s': not a whole number of nanoseconds",
			 shown(s, b));
		return -EINVAL;
	}
	*ns = v;
	return 0;
}

int units__parse_percent(const char *s, double *pct, char *err, size_t errlen)
{
	struct decimal d;
	char b[64];

	if (s[0] == '-') {
		snprintf(err, errlen, "bad percentage '%s': cannot be negative", shown(s, b));
		return -EINVAL;
	}
	if (!decimal_scan(s, &d) || (s[d.len] && strcmp(s + d.len, "%"))) {
		snprintf(err, errlen,
			 "bad percentage '%s': expected a number followed by %%, e.g. 15%%",
			 shown(s, b));
		return -EINVAL;
	}
	if (!s[d.len]) {
		snprintf(err, errlen, "bad percentage '%s': add '%%', e.g. %s%%", shown(s, b), b);
		return -EINVAL;
	}
	if (d.overflow) {
		snprintf(err, errlen, "percentage '%s' is too large", shown(s, b));
		return -ERANGE;
	}
	*pct = decimal_value(&d);
	return 0;
}

int units__parse_fraction(const char *s, double *frac, char *err, size_t errlen)
{
	struct decimal d, q;
	char b[64];
	double v;

	if (!decimal_scan(s, &d))
		goto bad;
	if (s[d.len] == '/') {
		/* A ratio of two integers: "1/4". */
		if (d.fdigits || !decimal_scan(s + d.len + 1, &q) || q.fdigits ||
		    s[d.len + 1 + q.len])
			goto bad;
		if (q.ip == 0 && !q.overflow) {
			snprintf(err, errlen, "bad fraction '%s': the denominator must not be 0",
				 shown(s, b));
			return -EINVAL;
		}
		if (d.overflow || q.overflow || d.ip > q.ip)
			goto range;
		*frac = (double)d.ip / (double)q.ip;
		return 0;
	}
	if (s[d.len])
		goto bad;
	v = decimal_value(&d);
	if (d.overflow || v > 1.0)
		goto range;
	*frac = v;
	return 0;
bad:
	snprintf(err, errlen,
		 "bad fraction '%s': expected a number between 0 and 1 such as 0.25, or a ratio such as 1/4",
		 shown(s, b));
	return -EINVAL;
range:
	snprintf(err, errlen, "fraction '%s' must be between 0 and 1", shown(s, b));
	return -ERANGE;
}

int units__parse_size(const char *s, uint64_t *bytes, char *err, size_t errlen)
{
	const struct unit *u;
	struct decimal d;
	char b[64], ub[64];
	int ret;

	if (s[0] == '-') {
		snprintf(err, errlen, "bad size '%s': a size cannot be negative", shown(s, b));
		return -EINVAL;
	}
	if (!decimal_scan(s, &d)) {
		snprintf(err, errlen,
			 "bad size '%s': expected a number with a unit (B, KiB, MiB, GiB, TiB), e.g. 32KiB",
			 shown(s, b));
		return -EINVAL;
	}
	if (!s[d.len]) {
		snprintf(err, errlen, "bad size '%s': add a unit (B, KiB, MiB, GiB, TiB), e.g. %sKiB",
			 shown(s, b), b);
		return -EINVAL;
	}
	u = unit_find(size_units, sizeof(size_units) / sizeof(size_units[0]), s + d.len);
	if (!u) {
		const char *hint = NULL;

		/* Decimal and shorthand units are the usual slip: say which one was meant. */
		switch (s[d.len]) {
		case 'k': case 'K': hint = "KiB"; break;
		case 'm': case 'M': hint = "MiB"; break;
		case 'g': case 'G': hint = "GiB"; break;
		case 't': case 'T': hint = "TiB"; break;
		case 'b': hint = "B"; break;
		}
		if (hint)
			snprintf(err, errlen,
				 "bad size '%s': unknown unit '%s'; did you mean '%s'? (sizes use B, KiB, MiB, GiB, TiB)",
				 shown(s, b), shown(s + d.len, ub), hint);
		else
			snprintf(err, errlen,
				 "bad size '%s': unknown unit '%s' (use B, KiB, MiB, GiB, TiB)",
				 shown(s, b), shown(s + d.len, ub));
		return -EINVAL;
	}
	ret = decimal_scale(&d, u->mult, bytes);
	if (ret == -ERANGE) {
		snprintf(err, errlen, "size '%s' is too large", shown(s, b));
		return -ERANGE;
	}
	if (ret) {
		snprintf(err, errlen, "bad size '%s': not a whole number of bytes", shown(s, b));
		return -EINVAL;
	}
	return 0;
}

int units__parse_int(const char *s, int64_t min, int64_t max, int64_t *out, char *err,
		     size_t errlen)
{
	bool neg = false;
	uint64_t v = 0, limit;
	size_t i = 0;
	char b[64];

	if (s[0] == '-' || s[0] == '+')
		neg = s[i++] == '-';
	if (!is_digit(s[i]))
		goto bad;
	/* Accumulate the magnitude; INT64_MIN's magnitude is INT64_MAX + 1. */
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; is_digit(s[i]); i++) {
		unsigned dig = (unsigned)(s[i] - '0');

		if (v > (limit - dig) / 10) {
			while (is_digit(s[i]))
				i++;
			if (s[i])
				goto bad;
			goto range;
		}
		v = v * 10 + dig;
	}
	if (s[i])
		goto bad;
	int64_t x = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;

	if (x < min || x > max)
		goto range;
	*out = x;
	return 0;
bad:
	snprintf(err, errlen, "expected an integer, got '%s'", shown(s, b));
	return -EINVAL;
range:
	snprintf(err, errlen, "%s is out of range (%" PRId64 "..%" PRId64 ")", shown(s, b), min,
		 max);
	return -ERANGE;
}

int units__parse_double(const char *s, double *out, char *err, size_t errlen)
{
	struct decimal d;
	bool neg = false;
	size_t i = 0;
	char b[64];

	if (s[0] == '-' || s[0] == '+')
		neg = s[i++] == '-';
	if (!decimal_scan(s + i, &d) || s[i + d.len]) {
		snprintf(err, errlen, "expected a number, got '%s'", shown(s, b));
		return -EINVAL;
	}
	double v = decimal_value(&d);

	if (d.overflow || !isfinite(v)) {
		snprintf(err, errlen, "number '%s' is too large", shown(s, b));
		return -ERANGE;
	}
	*out = neg ? -v : v;
	return 0;
}

void units__format_duration(uint64_t ns, char *buf, size_t len)
{
	static const struct unit fmt_units[] = {
		{ "s", NSEC_PER_SEC },
		{ "ms", NSEC_PER_MSEC },
		{ "us", NSEC_PER_USEC },
	};

	if (ns >= 60 * NSEC_PER_SEC && ns % (60 * NSEC_PER_SEC) == 0) {
		snprintf(buf, len, "%" PRIu64 "m", (uint64_t)(ns / (60 * NSEC_PER_SEC)));
		return;
	}
	/* The largest unit that shows the value with at most three decimals. */
	for (size_t i = 0; i < sizeof(fmt_units) / sizeof(fmt_units[0]); i++) {
		uint64_t m = fmt_units[i].mult;

		/* Fractions of a microsecond read better as plain nanoseconds. */
		if (ns < m || ns % (m / 1000) || (m == NSEC_PER_USEC && ns % m))
			continue;
		uint64_t whole = ns / m, milli = (ns % m) / (m / 1000);

		if (!milli)
			snprintf(buf, len, "%" PRIu64 "%s", whole, fmt_units[i].name);
		else if (milli % 100 == 0)
			snprintf(buf, len, "%" PRIu64 ".%01" PRIu64 "%s", whole, milli / 100,
				 fmt_units[i].name);
		else if (milli % 10 == 0)
			snprintf(buf, len, "%" PRIu64 ".%02" PRIu64 "%s", whole, milli / 10,
				 fmt_units[i].name);
		else
			snprintf(buf, len, "%" PRIu64 ".%03" PRIu64 "%s", whole, milli,
				 fmt_units[i].name);
		return;
	}
	snprintf(buf, len, "%" PRIu64 "ns", ns);
}
