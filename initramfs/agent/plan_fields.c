// SPDX-License-Identifier: GPL-2.0
/*
 * The plan's tokenizer and field decoders: a line split at single spaces,
 * percent-encoded strings, names, numbers, masks, enums and CPU lists, each
 * bounded by the limits of lib/wire/plan_format.h. See plan_read_int.h.
 */
#include "plan_read_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pp__fail(struct pp *s, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(s->err, s->errlen, "plan line %u: %s", s->line, msg);
	return -EINVAL;
}

/* Grow *arr (of *n elements of @size) by one zeroed element, at most @max. */
void *pp__push(struct pp *s, void **arr, size_t *n, size_t size, size_t max, const char *what)
{
	void *na;

	if (*n >= max) {
		pp__fail(s, "too many %s (at most %zu)", what, max);
		return NULL;
	}
	na = realloc(*arr, (*n + 1) * size);
	if (!na) {
		pp__fail(s, "out of memory");
		return NULL;
	}
	*arr = na;
	memset((char *)na + *n * size, 0, size);
	return (char *)na + (*n)++ * size;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode a string token ("=..." percent-encoded) or "-" (absent: *out = NULL). */
int pp__str(struct pp *s, const char *t, bool optional, char **out)
{
	size_t n = 0, len;
	char *d;

	*out = NULL;
	if (optional && !strcmp(t, "-"))
		return 0;
	if (t[0] != '=')
		return pp__fail(s, "expected a string ('=...'), got '%.40s'", t);
	t++;
	len = strlen(t);
	if (len > PLAN_MAX_STR * 3)
		return pp__fail(s, "string longer than %u bytes", PLAN_MAX_STR);
	d = malloc(len + 1);
	if (!d)
		return pp__fail(s, "out of memory");
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '%') {
			int hi = i + 2 < len ? hexval(t[i + 1]) : -1;
			int lo = hi >= 0 ? hexval(t[i + 2]) : -1;

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				free(d);
				return pp__fail(s, "bad percent escape in a string");
			}
			d[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			d[n++] = t[i];
		}
	}
	d[n] = '\0';
	if (n > PLAN_MAX_STR) {
		free(d);
		return pp__fail(s, "string longer than %u bytes", PLAN_MAX_STR);
	}
	*out = d;
	return 0;
}

/* plan__cgroup_path_ok(), at most PLAN_MAX_NAME bytes of [A-Za-z0-9_.-/]. */
static bool cg_name_ok(const char *name)
{
	if (strlen(name) > PLAN_MAX_NAME)
		return false;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("_.-/", *c)))
			return false;
	return plan__cgroup_path_ok(name);
}

int pp__cgname(struct pp *s, const char *t, bool optional, char **out)
{
	int ret = pp__str(s, t, optional, out);

	if (ret || !*out)
		return ret;
	if (!cg_name_ok(*out)) {
		ret = pp__fail(s, "bad cgroup name '%.64s'", *out);
		free(*out);
		*out = NULL;
	}
	return ret;
}

int pp__progname(struct pp *s, const char *t, char **out)
{
	int ret = pp__str(s, t, false, out);

	if (!ret && (!**out || strlen(*out) > PLAN_MAX_NAME)) {
		free(*out);
		*out = NULL;
		return pp__fail(s, "bad program name");
	}
	return ret;
}

int pp__u64(struct pp *s, const char *t, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*t)
		return pp__fail(s, "expected a number");
	for (const char *c = t; *c; c++) {
		if (*c < '0' || *c > '9' || v > (UINT64_MAX - 9) / 10)
			return pp__fail(s, "bad number '%.40s'", t);
		v = v * 10 + (uint64_t)(*c - '0');
	}
	if (v > max)
		return pp__fail(s, "%.40s is out of range (at most %llu)", t,
				(unsigned long long)max);
	*out = v;
	return 0;
}

int pp__u32(struct pp *s, const char *t, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int ret = pp__u64(s, t, max, &v);

	if (!ret)
		*out = (uint32_t)v;
	return ret;
}

int pp__i64(struct pp *s, const char *t, int64_t *out)
{
	uint64_t v;
	bool neg = t[0] == '-';
	int ret = pp__u64(s, t + neg, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &v);

	if (!ret)
		*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return ret;
}

int pp__hex64(struct pp *s, const char *t, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = 0;

	if (strncmp(t, "0x", 2) || !t[2])
		return pp__fail(s, "expected a hex mask '0x...', got '%.40s'", t);
	for (const char *c = t + 2; *c; c++, n++) {
		int h = hexval(*c);

		if (h < 0 || n >= 16)
			return pp__fail(s, "bad hex mask '%.40s'", t);
		v = v << 4 | (uint64_t)h;
	}
	*out = v;
	return 0;
}

int pp__enum(struct pp *s, const char *t, const char *const *names, const char *what, int *out)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(t, names[i])) {
			*out = i;
			return 0;
		}
	return pp__fail(s, "unknown %s '%.40s'", what, t);
}

/* A CPU list below ncpus, or "-" when @optional (then *has = false). */
int pp__cpus(struct pp *s, const char *t, bool optional, bool *has, struct cpumask *m)
{
	if (has)
		*has = false;
	memset(m, 0, sizeof(*m));
	if (!strcmp(t, "-")) {
		if (optional)
			return 0;
		return pp__fail(s, "a CPU list is required");
	}
	if (!s->p->ncpus)
		return pp__fail(s, "a CPU list before 'ncpus'");
	if (cpumask__parse(t, s->p->ncpus, m) || cpumask__empty(m))
		return pp__fail(s, "bad CPU list '%.40s' (%u CPUs)", t, s->p->ncpus);
	if (has)
		*has = true;
	return 0;
}

int pp__args(struct pp *s, int n)
{
	if (s->ntok != n + 1)
		return pp__fail(s, "'%s' takes %d argument%s, got %d", s->tok[0], n,
				n == 1 ? "" : "s", s->ntok - 1);
	return 0;
}

/* Append one string to a NULL-terminated vector. */
int pp__argv_push(struct pp *s, char ***argv, size_t *argc, size_t max, const char *tok)
{
	char **na;
	char *str;
	int ret;

	if (*argc >= max)
		return pp__fail(s, "too many arguments (at most %zu)", max);
	if ((ret = pp__str(s, tok, false, &str)))
		return ret;
	na = realloc(*argv, (*argc + 2) * sizeof(*na));
	if (!na) {
		free(str);
		return pp__fail(s, "out of memory");
	}
	na[(*argc)++] = str;
	na[*argc] = NULL;
	*argv = na;
	return 0;
}

/* Split @line at single spaces; empty tokens are errors. */
int pp__split(struct pp *s, char *line)
{
	char *p = line;

	s->ntok = 0;
	for (;;) {
		char *sp = strchr(p, ' ');

		if (s->ntok >= PLAN_MAX_TOKENS)
			return pp__fail(s, "too many fields");
		if (sp)
			*sp = '\0';
		if (!*p)
			return pp__fail(s, "an empty field (two spaces, or one at an end)");
		s->tok[s->ntok++] = p;
		if (!sp)
			return 0;
		p = sp + 1;
	}
}

