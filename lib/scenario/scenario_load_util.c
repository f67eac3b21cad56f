// SPDX-License-Identifier: GPL-2.0
/* Error reporting, map iteration and typed scalar readers for the loader. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scenario_load_int.h"
#include "base/units.h"

struct src_loc ld__loc(const struct lctx *c, const yaml_node_t *n)
{
	return (struct src_loc){ .file = c->file, .line = ytree__line(n), .col = ytree__col(n) };
}

void ld__err(struct lctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag__add(c->d, ld__loc(c, n), "%s", msg);
	c->errs++;
}

void ld__oom(struct lctx *c, const yaml_node_t *n)
{
	ld__err(c, n, "out of memory");
}

static bool diag_full(const struct lctx *c)
{
	return c->d->n >= (c->d->max ? c->d->max : 1000);
}

const char *ld__hint(struct lctx *c, const char *word, const char *const *cands, size_t n,
		     char *buf, size_t len)
{
	const char *pick;

	buf[0] = '\0';
	/* Edit distances cost; nobody reads suggestions past the diag limit. */
	if (diag_full(c))
		return buf;
	pick = diag__suggest(word, cands, n);
	if (pick)
		snprintf(buf, len, "; did you mean '%s'?", pick);
	return buf;
}

/* At most 40 printable characters of @s, quoted, in a rotating buffer. */
static const char *quote(struct lctx *c, const char *s, size_t len)
{
	char *b = c->qbuf[c->qi++ % 4];
	size_t i, o = 0;

	b[o++] = '\'';
	for (i = 0; i < len && o < 41; i++) {
		unsigned char ch = (unsigned char)s[i];

		b[o++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	if (i < len) {
		memcpy(b + o, "...", 3);
		o += 3;
	}
	b[o++] = '\'';
	b[o] = '\0';
	return b;
}

bool ld__is_null(const yaml_node_t *n)
{
	const char *s = ytree__scalar(n, NULL);

	if (!s || !ytree__plain(n))
		return false;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

const char *ld__show(struct lctx *c, const yaml_node_t *n)
{
	size_t len;
	const char *s;

	switch (ytree__kind(n)) {
	case YNODE_MAP:
		return "a map";
	case YNODE_SEQ:
		return "a list";
	case YNODE_SCALAR:
		if (ld__is_null(n))
			return "nothing";
		s = ytree__scalar(n, &len);
		return quote(c, s, len);
	default:
		return "nothing";
	}
}

static const char *kind_name(enum ynode_kind k)
{
	switch (k) {
	case YNODE_MAP: return "a map";
	case YNODE_SEQ: return "a list";
	default: return "a single value";
	}
}

bool ld__kind(struct lctx *c, const yaml_node_t *n, enum ynode_kind kind, const char *what)
{
	if (ytree__kind(n) == kind)
		return true;
	ld__err(c, n, "'%s' must be %s, got %s", what, kind_name(kind), ld__show(c, n));
	return false;
}

/* The text of a scalar @n, or NULL after "'what' must be @expect, got ...". */
static const char *scalar_as(struct lctx *c, const yaml_node_t *n, const char *what,
			     const char *expect)
{
	size_t len;
	const char *s = ytree__scalar(n, &len);

	if (!s || ld__is_null(n)) {
		ld__err(c, n, "'%s' must be %s, got %s", what, expect, ld__show(c, n));
		return NULL;
	}
	if (strlen(s) != len) {
		ld__err(c, n, "'%s' contains a NUL byte", what);
		return NULL;
	}
	if (len > LD_MAX_SCALAR) {
		ld__err(c, n, "'%s' is too long (%zu bytes, at most %d)", what, len, LD_MAX_SCALAR);
		return NULL;
	}
	return s;
}

const char *ld__scalar(struct lctx *c, const yaml_node_t *n, const char *what)
{
	return scalar_as(c, n, what, "a string");
}

const char *ld__str(struct lctx *c, const yaml_node_t *n, const char *what)
{
	const char *s = ld__scalar(c, n, what);
	char *p;

	if (!s)
		return NULL;
	p = arena__strdup(c->a, s);
	if (!p)
		ld__oom(c, n);
	return p;
}

static bool name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch == '-';
}

static bool len_ok(struct lctx *c, const yaml_node_t *n, const char *what, const char *s,
		   size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return true;
	ld__err(c, n, "%s %s is too long (%zu characters, at most %zu)", what,
		quote(c, s, len), len, max);
	return false;
}

const char *ld__name(struct lctx *c, const yaml_node_t *n, const char *what)
{
	const char *s = ld__scalar(c, n, what);

	if (!s || !len_ok(c, n, what, s, LD_MAX_NAME))
		return NULL;
	for (const char *p = s; *p; p++) {
		if (!name_char(*p)) {
			ld__err(c, n, "bad %s %s: use letters, digits, '_', '.' and '-' only", what,
				quote(c, s, strlen(s)));
			return NULL;
		}
	}
	return ld__str(c, n, what);
}

const char *ld__kebab(struct lctx *c, const yaml_node_t *n, const char *what)
{
	const char *s = ld__scalar(c, n, what);
	bool ok;

	if (!s || !len_ok(c, n, what, s, LD_MAX_NAME))
		return NULL;
	ok = *s && *s != '-';
	for (const char *p = s; *p && ok; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		     (*p == '-' && p[1] && p[1] != '-');
	if (!ok) {
		/* Only flag names are kebab-case. */
		ld__err(c, n,
			"bad flag name %s: use kebab-case (lower-case letters, digits, single '-' between words), e.g. reject-pin",
			quote(c, s, strlen(s)));
		return NULL;
	}
	return ld__str(c, n, what);
}

const char *ld__cgroup_name(struct lctx *c, const yaml_node_t *n, const char *what)
{
	const char *s = ld__scalar(c, n, what);
	const char *p;

	if (!s || !len_ok(c, n, "cgroup name", s, LD_MAX_CGROUP))
		return NULL;
	for (p = s;;) {
		size_t len = 0;

		while (name_char(p[len]))
			len++;
		if (!len || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.') ||
		    (p[len] && p[len] != '/'))
			break;
		if (!p[len])
			return ld__str(c, n, what);
		p += len + 1;
	}
	ld__err(c, n,
		"bad cgroup name %s: use letters, digits, '_', '.' and '-', nested with '/' (e.g. cg0/sub)",
		quote(c, s, strlen(s)));
	return NULL;
}

bool ld__int(struct lctx *c, const yaml_node_t *n, const char *what, int64_t min, int64_t max,
	     int64_t *out)
{
	const char *s = scalar_as(c, n, what, "an integer");
	char err[128];
	int64_t v;
	int ret;

	if (!s)
		return false;
	ret = units__parse_int(s, INT64_MIN, INT64_MAX, &v, err, sizeof(err));
	if (ret == -EINVAL) {
		ld__err(c, n, "'%s' must be an integer, got %s", what, ld__show(c, n));
		return false;
	}
	if (ret || v < min || v > max) {
		ld__err(c, n, "'%s' must be between %" PRId64 " and %" PRId64 ", got %s", what, min,
			max, ld__show(c, n));
		return false;
	}
	*out = v;
	return true;
}

bool ld__u32(struct lctx *c, const yaml_node_t *n, const char *what, uint32_t min, uint32_t max,
	     uint32_t *out)
{
	int64_t v;

	if (!ld__int(c, n, what, min, max, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

bool ld__bool(struct lctx *c, const yaml_node_t *n, const char *what, bool *out)
{
	const char *s = scalar_as(c, n, what, "true or false");

	if (!s)
		return false;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
		*out = true;
		return true;
	}
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
		*out = false;
		return true;
	}
	ld__err(c, n, "'%s' must be true or false, got %s", what, ld__show(c, n));
	return false;
}

bool ld__duration(struct lctx *c, const yaml_node_t *n, const char *what, uint64_t *ns)
{
	const char *s = scalar_as(c, n, what, "a duration such as 500ms");
	char err[256];

	if (!s)
		return false;
	if (units__parse_duration(s, ns, err, sizeof(err))) {
		ld__err(c, n, "%s", err);
		return false;
	}
	return true;
}

bool ld__size(struct lctx *c, const yaml_node_t *n, const char *what, uint64_t *bytes)
{
	const char *s = scalar_as(c, n, what, "a size such as 32KiB");
	char err[256];

	if (!s)
		return false;
	if (units__parse_size(s, bytes, err, sizeof(err))) {
		ld__err(c, n, "%s", err);
		return false;
	}
	return true;
}

bool ld__fraction(struct lctx *c, const yaml_node_t *n, const char *what, double *f)
{
	const char *s = scalar_as(c, n, what, "a fraction such as 0.25 or 1/4");
	char err[256];

	if (!s)
		return false;
	if (units__parse_fraction(s, f, err, sizeof(err))) {
		ld__err(c, n, "%s", err);
		return false;
	}
	return true;
}

void *ld__array(struct lctx *c, const yaml_node_t *n, size_t count, size_t size)
{
	void *p;

	if (!ytree__charge(c->t, count))
		return NULL;	/* reported once per document as "too complex" */
	p = arena__calloc(c->a, count ? count : 1, size);
	if (!p)
		ld__oom(c, n);
	return p;
}

bool ld__seq(struct lctx *c, const yaml_node_t *n, const char *what, size_t *len,
	     bool allow_empty)
{
	if (!ld__kind(c, n, YNODE_SEQ, what))
		return false;
	*len = ytree__seq_len(n);
	if (*len > LD_MAX_ITEMS) {
		ld__err(c, n, "'%s' has too many items (%zu, at most %d)", what, *len,
			LD_MAX_ITEMS);
		return false;
	}
	if (!*len && !allow_empty) {
		ld__err(c, n, "'%s' must not be empty", what);
		return false;
	}
	return true;
}

const char **ld__str_list(struct lctx *c, const yaml_node_t *n, const char *what, size_t *count,
			  bool allow_empty,
			  const char *(*check)(struct lctx *, const yaml_node_t *, const char *))
{
	const char **out;
	size_t len, k = 0;

	*count = 0;
	if (!ld__seq(c, n, what, &len, allow_empty))
		return NULL;
	out = ld__array(c, n, len + 1, sizeof(*out));
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);
		const char *s;

		if (!item)
			break;
		s = check ? check(c, item, what) : ld__str(c, item, what);
		if (s)
			out[k++] = s;
	}
	*count = k;
	return out;
}

/* ---- maps ---- */

const char *ld__key(struct lctx *c, const yaml_node_t *k)
{
	size_t len;
	const char *s = ytree__scalar(k, &len);

	if (!s) {
		ld__err(c, k, "keys must be plain names, got %s", ld__show(c, k));
		return NULL;
	}
	if (strlen(s) != len) {
		ld__err(c, k, "a key contains a NUL byte");
		return NULL;
	}
	return s;
}

bool mapiter__init(struct mapiter *it, struct lctx *c, const yaml_node_t *map,
		   const struct keyset *ks, const char *what)
{
	memset(it, 0, sizeof(*it));
	it->c = c;
	it->map = map;
	it->ks = ks;
	if (!ld__kind(c, map, YNODE_MAP, what))
		return false;
	it->n = ytree__map_len(map);
	return true;
}

static void unknown_key(struct mapiter *it, const yaml_node_t *k, const char *s)
{
	struct lctx *c = it->c;
	char hint[128], list[512];
	size_t n = 0, o = 0;

	if (!strcmp(s, "<<")) {
		ld__err(c, k,
			"merge keys ('<<') are not supported; repeat the keys, or anchor the whole value");
		return;
	}
	while (it->ks->keys[n])
		n++;
	ld__hint(c, s, it->ks->keys, n, hint, sizeof(hint));
	if (hint[0]) {
		ld__err(c, k, "unknown key %s in %s%s", ld__show(c, k), it->ks->what, hint);
		return;
	}
	list[0] = '\0';
	for (size_t i = 0; i < n && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
				      it->ks->keys[i]);
	ld__err(c, k, "unknown key %s in %s (expected %s)", ld__show(c, k), it->ks->what, list);
}

int mapiter__next(struct mapiter *it)
{
	while (it->i < it->n) {
		const char *s;
		int idx = -1;

		if (!ytree__map_at(it->c->t, it->map, it->i++, &it->key, &it->val))
			return -1;
		s = ld__key(it->c, it->key);
		if (!s)
			continue;
		for (int i = 0; i < LD_MAX_KEYS && it->ks->keys[i]; i++) {
			if (!strcmp(it->ks->keys[i], s)) {
				idx = i;
				break;
			}
		}
		if (idx < 0) {
			unknown_key(it, it->key, s);
			continue;
		}
		if (it->seen[idx]) {
			ld__err(it->c, it->key, "duplicate key '%s' in %s (first at line %u)", s,
				it->ks->what, ytree__line(it->seen[idx]));
			continue;
		}
		it->seen[idx] = it->key;
		return idx;
	}
	return -1;
}

const yaml_node_t *mapiter__seen(const struct mapiter *it, int idx)
{
	return idx >= 0 && idx < LD_MAX_KEYS ? it->seen[idx] : NULL;
}
