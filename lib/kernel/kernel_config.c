// SPDX-License-Identifier: GPL-2.0
/* Kconfig fragments: CRCs, line checks, merging, verifying a .config against them. */
#include "kernel_config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/err.h"

/* Generated from ktstr.kconfig by lib/kernel/embed.py (see lib/kernel/meson.build). */
extern const char kernel_config__fragment_text[];
extern const size_t kernel_config__fragment_len;

const char *kernel_config__fragment(size_t *len)
{
	if (len)
		*len = kernel_config__fragment_len;
	return kernel_config__fragment_text;
}

struct kconfig_frag kernel_config__ktstr(void)
{
	struct kconfig_frag f = {
		KCONFIG_KTSTR_NAME, kernel_config__fragment_text, kernel_config__fragment_len
	};

	return f;
}

uint32_t kernel_config__crc_add(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uLong c = crc;

	while (len) {
		uInt chunk = len > (1u << 30) ? (1u << 30) : (uInt)len;

		c = crc32(c, p, chunk);
		p += chunk;
		len -= chunk;
	}
	return (uint32_t)c;
}

uint32_t kernel_config__crc(const void *buf, size_t len)
{
	return kernel_config__crc_add((uint32_t)crc32(0L, Z_NULL, 0), buf, len);
}

uint32_t kernel_config__fragment_crc(void)
{
	return kernel_config__crc(kernel_config__fragment_text, kernel_config__fragment_len);
}

/* A line of a .config or fragment. */
enum kline_kind { KLINE_OTHER, KLINE_SET, KLINE_UNSET };

struct kline {
	enum kline_kind kind;
	const char *name;	/* CONFIG_X, not NUL-terminated */
	size_t name_len;
	const char *value;	/* after '=', KLINE_SET only */
	size_t value_len;
	unsigned frag;		/* which fragment (kernel_config__verify) */
	unsigned line;		/* its line number, from 1 */
};

static bool is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static size_t name_span(const char *p, const char *end)
{
	size_t n = 0;

	if (end - p < 8 || memcmp(p, "CONFIG_", 7))
		return 0;
	while (p + n < end && is_name_char(p[n]))
		n++;
	return n > 7 ? n : 0;
}

/* Without trailing blanks and CR. */
static const char *line_end(const char *p, size_t len)
{
	const char *end = p + len;

	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	return end;
}

static struct kline parse_line(const char *p, size_t len)
{
	static const char unset_tail[] = " is not set";
	const char *end = line_end(p, len);
	struct kline l = { KLINE_OTHER, NULL, 0, NULL, 0, 0, 0 };
	size_t n;

	if (end - p > 2 && p[0] == '#' && p[1] == ' ') {
		n = name_span(p + 2, end);
		if (n && (size_t)(end - (p + 2 + n)) == sizeof(unset_tail) - 1 &&
		    !memcmp(p + 2 + n, unset_tail, sizeof(unset_tail) - 1)) {
			l.kind = KLINE_UNSET;
			l.name = p + 2;
			l.name_len = n;
		}
		return l;
	}
	n = name_span(p, end);
	if (n && p + n < end && p[n] == '=') {
		l.kind = KLINE_SET;
		l.name = p;
		l.name_len = n;
		l.value = p + n + 1;
		l.value_len = (size_t)(end - l.value);
	}
	return l;
}

struct kline_vec {
	struct kline *v;
	size_t n, cap;
};

static void kline_vec__free(struct kline_vec *lines)
{
	free(lines->v);
	lines->v = NULL;
	lines->n = lines->cap = 0;
}

/* Append every SET/UNSET line of @text, marked as fragment @frag. 0 or -ENOMEM. */
static int parse_all(const char *text, size_t len, unsigned frag, struct kline_vec *out)
{
	const char *p = text, *end = text + len;
	unsigned line = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct kline l = parse_line(p, ll);

		line++;
		if (l.kind != KLINE_OTHER) {
			if (out->n == out->cap) {
				size_t cap = out->cap ? out->cap * 2 : 256;
				struct kline *v = realloc(out->v, cap * sizeof(*v));

				if (!v) {
					kline_vec__free(out);
					return -ENOMEM;
				}
				out->v = v;
				out->cap = cap;
			}
			l.frag = frag;
			l.line = line;
			out->v[out->n++] = l;
		}
		p += ll + 1;
	}
	return 0;
}

static bool same_name(const struct kline *a, const struct kline *b)
{
	return a->name_len == b->name_len && !memcmp(a->name, b->name, a->name_len);
}

static bool same_value(const struct kline *a, const struct kline *b)
{
	if (a->kind != b->kind)
		return false;
	return a->kind != KLINE_SET ||
	       (a->value_len == b->value_len && !memcmp(a->value, b->value, a->value_len));
}

static const struct kline *lookup(const struct kline_vec *lines, const struct kline *want)
{
	const struct kline *found = NULL;

	/* The last assignment wins, as in Kconfig. */
	for (size_t i = 0; i < lines->n; i++)
		if (same_name(&lines->v[i], want))
			found = &lines->v[i];
	return found;
}

/* Does a line after @i set or unset the option of line @i again? */
static bool set_again(const struct kline_vec *lines, size_t i)
{
	for (size_t j = i + 1; j < lines->n; j++)
		if (same_name(&lines->v[j], &lines->v[i]))
			return true;
	return false;
}

static int parse_frags(const struct kconfig_frag *f, size_t n, struct kline_vec *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		if (parse_all(f[i].text, f[i].len, (unsigned)i, out))
			return -ENOMEM;
	return 0;
}

/* Up to 60 characters of the line, for an error message. */
static void quote_line(char *buf, size_t cap, const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	if (n > 60)
		snprintf(buf, cap, "%.57s...", p);
	else
		snprintf(buf, cap, "%.*s", (int)n, p);
}

int kernel_config__check_fragment(const struct kconfig_frag *f, char *err, size_t errlen)
{
	const char *p = f->text, *end = f->text + f->len;
	unsigned line = 0, options = 0;
	char q[64];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *le = line_end(p, ll);
		struct kline l = parse_line(p, ll);
		const char *why = NULL;

		line++;
		quote_line(q, sizeof(q), p, le);
		if (memchr(p, '\0', ll))
			return err__set(-EINVAL, err, errlen, "%s:%u: holds a NUL byte; a fragment "
					"is text", f->name, line);
		if (l.kind == KLINE_SET && !l.value_len)
			why = "no value after '='";
		else if (l.kind != KLINE_OTHER && le < p + ll && le[0] != '\r')
			why = "a blank at the end, which Kconfig does not strip (an int or an "
			      "\"is not set\" line with one is ignored)";
		else if (l.kind != KLINE_OTHER)
			options++;
		else if (le == p || p[0] == '#')
			;	/* blank, or a comment */
		else if (p[0] == ' ' || p[0] == '\t')
			why = "starts with a blank, and Kconfig reads an option only from the "
			      "first column";
		else if (name_span(p, le))
			why = "no '=' right after the option's name";
		else
			why = "not CONFIG_X=value, # CONFIG_X is not set, a comment or a blank line";
		if (why)
			return err__set(-EINVAL, err, errlen, "%s:%u: %s: '%s'", f->name, line, why,
					q);
		p += ll + 1;
	}
	if (!options)
		return err__set(-EINVAL, err, errlen, "%s: sets no option: a fragment holds "
				"CONFIG_X=value and # CONFIG_X is not set lines", f->name);
	return 0;
}

static void copy_span(char *dst, size_t cap, const char *src, size_t len)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int add_problem(struct kconfig_check *c, const struct kconfig_frag *f,
		       const struct kline *want, const struct kline *got)
{
	struct kconfig_problem *p = realloc(c->items, (c->n + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	c->items = p;
	p = &c->items[c->n++];
	copy_span(p->name, sizeof(p->name), want->name, want->name_len);
	if (want->kind == KLINE_SET)
		copy_span(p->want, sizeof(p->want), want->value, want->value_len);
	else
		strcpy(p->want, "not set");
	if (!got)
		strcpy(p->got, "absent");
	else if (got->kind == KLINE_UNSET)
		strcpy(p->got, "not set");
	else
		copy_span(p->got, sizeof(p->got), got->value, got->value_len);
	p->from = f[want->frag].name;
	p->line = want->line;
	p->hint = kernel_config__hint(p->name, p->want);
	return 0;
}

static bool satisfied(const struct kline *want, const struct kline *got)
{
	if (want->kind == KLINE_SET)
		return got && same_value(want, got);
	return !got || got->kind == KLINE_UNSET || (got->value_len == 1 && got->value[0] == 'n');
}

int kernel_config__verify(const struct kconfig_frag *f, size_t n, const char *config,
			  size_t clen, struct kconfig_check *out)
{
	struct kline_vec fl, cl = { 0 };
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (parse_frags(f, n, &fl))
		return -ENOMEM;
	if (parse_all(config, clen, 0, &cl)) {
		kline_vec__free(&fl);
		return -ENOMEM;
	}
	for (size_t i = 0; i < fl.n && !err; i++) {
		const struct kline *want = &fl.v[i];
		const struct kline *got;

		if (set_again(&fl, i))
			continue;
		out->checked++;
		got = lookup(&cl, want);
		if (!satisfied(want, got))
			err = add_problem(out, f, want, got);
	}
	kline_vec__free(&fl);
	kline_vec__free(&cl);
	if (err) {
		kconfig_check__free(out);
		return err;
	}
	return (int)out->n;
}

void kconfig_check__free(struct kconfig_check *c)
{
	free(c->items);
	c->items = NULL;
	c->n = 0;
}

void kconfig_check__print(const struct kconfig_check *c, FILE *f)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct kconfig_problem *p = &c->items[i];

		fprintf(f, "  %s: want %s, got %s (%s:%u)\n    hint: %s\n", p->name, p->want,
			p->got, p->from, p->line, p->hint);
	}
}

static void print_value(FILE *out, const struct kline *l)
{
	if (l->kind == KLINE_SET)
		fprintf(out, "%.*s", (int)l->value_len, l->value);
	else
		fputs("not set", out);
}

int kernel_config__overrides(const struct kconfig_frag *f, size_t n, FILE *out)
{
	struct kline_vec fl;
	int count = 0;

	if (parse_frags(f, n, &fl))
		return -ENOMEM;
	for (size_t j = 1; j < fl.n; j++) {
		const struct kline *now = &fl.v[j], *before = NULL;

		for (size_t i = 0; i < j; i++)
			if (same_name(&fl.v[i], now))
				before = &fl.v[i];
		if (!before || same_value(before, now))
			continue;
		fprintf(out, "%s:%u: %.*s=", f[now->frag].name, now->line, (int)now->name_len,
			now->name);
		print_value(out, now);
		fprintf(out, " overrides %s:%u (", f[before->frag].name, before->line);
		print_value(out, before);
		fputs(")\n", out);
		count++;
	}
	kline_vec__free(&fl);
	return count;
}

char *kernel_config__merge(const char *config, size_t clen, const struct kconfig_frag *f,
			   size_t *outlen)
{
	struct kline_vec fl = { 0 };
	const char *p = config, *end = config + clen;
	size_t blen = strlen(f->name) + 32;
	char *out, *o;

	if (parse_all(f->text, f->len, 0, &fl))
		return NULL;
	out = malloc(clen + blen + f->len + 2);
	if (!out) {
		kline_vec__free(&fl);
		return NULL;
	}
	o = out;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct kline l = parse_line(p, ll);

		if (l.kind == KLINE_OTHER || !lookup(&fl, &l)) {
			memcpy(o, p, ll);
			o += ll;
			*o++ = '\n';
		}
		p += ll + 1;
	}
	o += snprintf(o, blen, "\n# -- ktstr: %s --\n", f->name);
	memcpy(o, f->text, f->len);
	o += f->len;
	if (f->len && f->text[f->len - 1] != '\n')
		*o++ = '\n';
	*o = '\0';
	if (outlen)
		*outlen = (size_t)(o - out);
	kline_vec__free(&fl);
	return out;
}
