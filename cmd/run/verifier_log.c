// SPDX-License-Identifier: GPL-2.0
/* The verifier's log cut to its useful end; see verifier_log.h. */
#include "verifier_log.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEGIN_MARK "-- BEGIN PROG LOAD LOG --"
#define END_MARK "-- END PROG LOAD LOG --"

struct line {
	const char *p;
	size_t n;			/* without the '\n' (and a '\r' before it) */
};

struct lines {
	struct line *v;
	size_t n, cap;
};

static int lines__push(struct lines *l, const char *p, size_t n)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct line *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	while (n && p[n - 1] == '\r')
		n--;
	l->v[l->n++] = (struct line){ p, n };
	return 0;
}

static const char *find(const char *p, const char *end, const char *s)
{
	return memmem(p, (size_t)(end - p), s, strlen(s));
}

static bool starts(const struct line *l, const char *s)
{
	size_t n = strlen(s);

	return l->n >= n && !memcmp(l->p, s, n);
}

static bool blank(const struct line *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!isspace((unsigned char)l->p[i]))
			return false;
	return true;
}

/* "12: (79) r1 = ...": an instruction the verifier walked. */
static bool is_insn(const struct line *l)
{
	size_t i = 0;

	while (i < l->n && isdigit((unsigned char)l->p[i]))
		i++;
	return i && i + 2 < l->n && l->p[i] == ':' && l->p[i + 1] == ' ' && l->p[i + 2] == '(';
}

static void copy(char *buf, size_t cap, const struct line *l)
{
	snprintf(buf, cap, "%.*s", (int)(l->n < cap ? l->n : cap - 1), l->p);
}

/* The name in "... prog 'NAME': -- BEGIN ..." of the BEGIN line at @b. */
static void prog_name(const char *log, const char *b, char *buf, size_t cap)
{
	const char *ls = b, *q, *e;

	buf[0] = '\0';
	while (ls > log && ls[-1] != '\n')
		ls--;
	q = find(ls, b, "prog '");
	if (!q)
		return;
	q += strlen("prog '");
	e = memchr(q, '\'', (size_t)(b - q));
	if (e)
		snprintf(buf, cap, "%.*s", (int)((size_t)(e - q) < cap ? (size_t)(e - q) : cap - 1),
			 q);
}

static void stats(const struct line *l, struct verifier_cut *c)
{
	char s[256];
	uint64_t v[6] = { 0 };
	int n;

	copy(s, sizeof(s), l);
	n = sscanf(s, "processed %" SCNu64 " insns (limit %" SCNu64 ") max_states_per_insn %"
		   SCNu64 " total_states %" SCNu64 " peak_states %" SCNu64 " mark_read %" SCNu64,
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]);
	if (n < 1)
		return;
	c->has_stats = true;
	c->processed = v[0];
	c->limit = v[1];
	c->max_states_per_insn = v[2];
	c->total_states = v[3];
	c->peak_states = v[4];
	c->mark_read = v[5];
}

static int keep(struct verifier_cut *c, const struct lines *l, size_t from, size_t to)
{
	size_t n = 0, off = 0;

	for (size_t i = from; i < to; i++)
		n += l->v[i].n + 1;
	c->text = malloc(n + 1);
	if (!c->text)
		return -ENOMEM;
	for (size_t i = from; i < to; i++) {
		memcpy(c->text + off, l->v[i].p, l->v[i].n);
		off += l->v[i].n;
		c->text[off++] = '\n';
	}
	c->text[off] = '\0';
	c->omitted = from;
	return 0;
}

int verifier_log__cut(const char *log, size_t len, unsigned context, struct verifier_cut *c)
{
	const char *end = log + len, *b, *p, *e;
	struct lines l = { 0 };
	size_t msg = SIZE_MAX, sum = SIZE_MAX, from, to;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	b = log ? find(log, end, BEGIN_MARK) : NULL;
	if (!b)
		return 0;
	prog_name(log, b, c->prog, sizeof(c->prog));
	p = memchr(b, '\n', (size_t)(end - b));
	p = p ? p + 1 : end;
	/* libbpf prints the END mark right after the log, on the log's last line if it has no '\n'. */
	e = find(p, end, END_MARK);
	c->ended = e != NULL;
	if (!e)
		e = end;
	while (p < e && !ret) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);

		ret = lines__push(&l, p, n);
		p += n + (nl ? 1 : 0);
	}
	while (!ret && l.n && blank(&l.v[l.n - 1]))
		l.n--;
	if (ret || !l.n)
		goto out;
	c->lines = l.n;
	for (size_t i = l.n; i-- > 0;)
		if (starts(&l.v[i], "processed ")) {
			sum = i;
			break;
		}
	/* The message: the last non-empty line before the summary, else the last one. */
	for (size_t i = sum == SIZE_MAX ? l.n : sum; i-- > 0;)
		if (!blank(&l.v[i])) {
			msg = i;
			break;
		}
	if (sum != SIZE_MAX)
		stats(&l.v[sum], c);
	if (msg == SIZE_MAX)
		msg = sum;		/* only a summary: nothing else to say */
	copy(c->message, sizeof(c->message), &l.v[msg]);
	for (size_t i = msg; i-- > 0;)
		if (is_insn(&l.v[i])) {
			copy(c->insn, sizeof(c->insn), &l.v[i]);
			break;
		}
	from = msg > context ? msg - context : 0;
	/* The summary and what follows it (verification time, stack depth): a few lines. */
	to = sum == SIZE_MAX ? msg + 1 : sum + 1;
	while (sum != SIZE_MAX && to < l.n && to < sum + 4)
		to++;
	ret = keep(c, &l, from, to);
out:
	free(l.v);
	if (ret) {
		verifier_log__free(c);
		return ret;
	}
	return c->lines ? 1 : 0;
}

void verifier_log__free(struct verifier_cut *c)
{
	free(c->text);
	memset(c, 0, sizeof(*c));
}
