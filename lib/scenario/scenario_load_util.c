// SPDX-License-Identifier: GPL-2.0
/* Error reporting, map iteration and typed scalar readers for the loader. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scenario_load_int.h"
#include "base/units.h"

struct src_loc load__loc(const struct load_ctx *c, const yaml_node_t *n)
{
	return (struct src_loc){ .file = c->file, .line = ytree__line(n), .col = ytree__col(n) };
}

void load__err(struct load_ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag__add(c->d, load__loc(c, n), "%s", msg);
	c->errs++;
}

void load__oom(struct load_ctx *c, const yaml_node_t *n)
{
	load__err(c, n, "out of memory");
}

static bool diag_full(const struct load_ctx *c)
{
	return c->d->n >= (c->d->max ? c->d->max : 1000);
}

const char *load__hint(struct load_ctx *c, const char *word, const char *const *cands, size_t n,
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

const char *load__preset_hint(struct load_ctx *c, const char *word, char *buf, size_t len)
{
	size_t np = 0, k = 0;
	const struct topo_preset *all = topo_presets(&np);
	const char *names[64];

	for (size_t i = 0; i < np && k < 64; i++)
		names[k++] = all[i].name;
	return load__hint(c, word, names, k, buf, len);
}

/* At most 40 printable characters of @s, quoted, in a rotating buffer. */
static const char *quote(struct load_ctx *c, const char *s, size_t len)
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

bool load__is_null(const yaml_node_t *n)
{
	const char *s = ytree__scalar(n, NULL);

	if (!s || !ytree__plain(n))
		return false;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

const char *load__show(struct load_ctx *c, const yaml_node_t *n)
{
	size_t len;
	const char *s;

	switch (ytree__kind(n)) {
	case YNODE_MAP:
		return "a map";
	case YNODE_SEQ:
		return "a list";
	case YNODE_SCALAR:
		if (load__is_null(n))
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

bool load__kind(struct load_ctx *c, const yaml_node_t *n, enum ynode_kind kind, const char *what)
{
	if (ytree__kind(n) == kind)
		return true;
	load__err(c, n, "'%s' must be %s, got %s", what, kind_name(kind), load__show(c, n));
	return false;
}

/* The text of a scalar @n, or NULL after "'what' must be @expect, got ...". */
static const char *scalar_as(struct load_ctx *c, const yaml_node_t *n, const char *what,
			     const char *expect)
{
	size_t len;
	const char *s = ytree__scalar(n, &len);

	if (!s || load__is_null(n)) {
		load__err(c, n, "'%s' must be %s, got %s", what, expect, load__show(c, n));
		return NULL;
	}
	if (strlen(s) != len) {
		load__err(c, n, "'%s' contains a NUL byte", what);
		return NULL;
	}
	if (len > LOAD_MAX_SCALAR) {
		load__err(c, n, "'%s' is too long (%zu bytes, at most %d)", what, len,
			  LOAD_MAX_SCALAR);
		return NULL;
	}
	return s;
}

const char *load__scalar(struct load_ctx *c, const yaml_node_t *n, const char *what)
{
	return scalar_as(c, n, what, "a string");
}

const char *load__str(struct load_ctx *c, const yaml_node_t *n, const char *what)
{
	const char *s = load__scalar(c, n, what);
	char *p;

	if (!s)
		return NULL;
	p = arena__strdup(c->a, s);
	if (!p)
		load__oom(c, n);
	return p;
}

static bool name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch == '-';
}

static bool len_ok(struct load_ctx *c, const yaml_node_t *n, const char *what, const char *s,
		   size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return true;
	load__err(c, n, "%s %s is too long (%zu characters, at most %zu)", what,
		  quote(c, s, len), len, max);
	return false;
}

const char *load__name(struct load_ctx *c, const yaml_node_t *n, const char *what)
{
	const char *s = load__scalar(c, n, what);

	if (!s || !len_ok(c, n, what, s, LOAD_MAX_NAME))
		return NULL;
	/* Names become path components (results directories, cgroups). */
	if (!*s || !strcmp(s, ".") || !strcmp(s, "..")) {
		load__err(c, n, "bad %s %s: empty, '.' and '..' cannot name anything", what,
			  quote(c, s, strlen(s)));
		return NULL;
	}
	for (const char *p = s; *p; p++) {
		if (!name_char(*p)) {
			load__err(c, n, "bad %s %s: use letters, digits, '_', '.' and '-' only",
				  what, quote(c, s, strlen(s)));
			return NULL;
		}
	}
	return load__str(c, n, what);
}

const char *load__kebab(struct load_ctx *c, const yaml_node_t *n, const char *what)
{
	const char *s = load__scalar(c, n, what);
	bool ok;

	if (!s || !len_ok(c, n, what, s, LOAD_MAX_NAME))
		return NULL;
	ok = *s && *s != '-';
	for (const char *p = s; *p && ok; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		     (*p == '-' && p[1] && p[1] != '-');
	if (!ok) {
		/* Only flag names are kebab-case. */
		load__err(c, n,
			  "bad flag name %s: use kebab-case (lower-case letters, digits, single '-' between words), e.g. reject-pin",
			  quote(c, s, strlen(s)));
		return NULL;
	}
	return load__str(c, n, what);
}

bool load__cgroup_path_ok(const char *s)
{
	for (const char *p = s;;) {
		size_t len = 0;

		while (name_char(p[len]))
			len++;
		if (!len || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.') ||
		    (p[len] && p[len] != '/'))
			return false;
		if (!p[len])
			return true;
		p += len + 1;
	}
}

const char *load__cgroup_name(struct load_ctx *c, const yaml_node_t *n, const char *what)
{
	const char *s = load__scalar(c, n, what);

	if (!s || !len_ok(c, n, "cgroup name", s, LOAD_MAX_CGROUP))
		return NULL;
	if (load__cgroup_path_ok(s))
		return load__str(c, n, what);
	load__err(c, n,
		  "bad cgroup name %s: use letters, digits, '_', '.' and '-', nested with '/' (e.g. cg0/sub)",
		  quote(c, s, strlen(s)));
	return NULL;
}

bool load__int(struct load_ctx *c, const yaml_node_t *n, const char *what, int64_t min, int64_t max,
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
		load__err(c, n, "'%s' must be an integer, got %s", what, load__show(c, n));
		return false;
	}
	if (ret || v < min || v > max) {
		load__err(c, n, "'%s' must be between %" PRId64 " and %" PRId64 ", got %s", what,
			  min, max, load__show(c, n));
		return false;
	}
	*out = v;
	return true;
}

bool load__u32(struct load_ctx *c, const yaml_node_t *n, const char *what, uint32_t min,
	       uint32_t max, uint32_t *out)
{
	int64_t v;

	if (!load__int(c, n, what, min, max, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

bool load__bool(struct load_ctx *c, const yaml_node_t *n, const char *what, bool *out)
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
	load__err(c, n, "'%s' must be true or false, got %s", what, load__show(c, n));
	return false;
}

bool load__duration(struct load_ctx *c, const yaml_node_t *n, const char *what, uint64_t *ns)
{
	const char *s = scalar_as(c, n, what, "a duration such as 500ms");
	char err[256];

	if (!s)
		return false;
	if (units__parse_duration(s, ns, err, sizeof(err))) {
		load__err(c, n, "%s", err);
		return false;
	}
	return true;
}

bool load__size(struct load_ctx *c, const yaml_node_t *n, const char *what, uint64_t *bytes)
{
	const char *s = scalar_as(c, n, what, "a size such as 32KiB");
	char err[256];

	if (!s)
		return false;
	if (units__parse_size(s, bytes, err, sizeof(err))) {
		load__err(c, n, "%s", err);
		return false;
	}
	return true;
}

bool load__fraction(struct load_ctx *c, const yaml_node_t *n, const char *what, double *f)
{
	const char *s = scalar_as(c, n, what, "a fraction such as 0.25 or 1/4");
	char err[256];

	if (!s)
		return false;
	if (units__parse_fraction(s, f, err, sizeof(err))) {
		load__err(c, n, "%s", err);
		return false;
	}
	return true;
}

void *load__array(struct load_ctx *c, const yaml_node_t *n, size_t count, size_t size)
{
	void *p;

	if (!ytree__charge(c->t, count))
		return NULL;	/* reported once per document as "too complex" */
	p = arena__calloc(c->a, count ? count : 1, size);
	if (!p)
		load__oom(c, n);
	return p;
}

bool load__seq(struct load_ctx *c, const yaml_node_t *n, const char *what, size_t *len,
	       bool allow_empty)
{
	if (!load__kind(c, n, YNODE_SEQ, what))
		return false;
	*len = ytree__seq_len(n);
	if (*len > LOAD_MAX_ITEMS) {
		load__err(c, n, "'%s' has too many items (%zu, at most %d)", what, *len,
			  LOAD_MAX_ITEMS);
		return false;
	}
	if (!*len && !allow_empty) {
		load__err(c, n, "'%s' must not be empty", what);
		return false;
	}
	return true;
}

const char **load__str_list(struct load_ctx *c, const yaml_node_t *n, const char *what,
			    size_t *count, bool allow_empty,
			    const char *(*check)(struct load_ctx *, const yaml_node_t *,
						 const char *))
{
	const char **out;
	size_t len, k = 0;

	*count = 0;
	if (!load__seq(c, n, what, &len, allow_empty))
		return NULL;
	out = load__array(c, n, len + 1, sizeof(*out));
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *item = ytree__seq_at(c->t, n, i);
		const char *s;

		if (!item)
			break;
		s = check ? check(c, item, what) : load__str(c, item, what);
		if (s)
			out[k++] = s;
	}
	*count = k;
	return out;
}

/* ---- maps ---- */

const char *load__key(struct load_ctx *c, const yaml_node_t *k)
{
	size_t len;
	const char *s = ytree__scalar(k, &len);

	if (!s) {
		load__err(c, k, "keys must be plain names, got %s", load__show(c, k));
		return NULL;
	}
	if (strlen(s) != len) {
		load__err(c, k, "a key contains a NUL byte");
		return NULL;
	}
	return s;
}

bool mapiter__init(struct mapiter *it, struct load_ctx *c, const yaml_node_t *map,
		   const struct keyset *ks, const char *what)
{
	memset(it, 0, sizeof(*it));
	it->c = c;
	it->map = map;
	it->ks = ks;
	if (!load__kind(c, map, YNODE_MAP, what))
		return false;
	it->n = ytree__map_len(map);
	return true;
}

static void unknown_key(struct mapiter *it, const yaml_node_t *k, const char *s)
{
	struct load_ctx *c = it->c;
	char hint[128], list[512];
	size_t n = 0, o = 0;

	if (!strcmp(s, "<<")) {
		load__err(c, k,
			  "merge keys ('<<') are not supported; repeat the keys, or anchor the whole value");
		return;
	}
	while (it->ks->keys[n])
		n++;
	load__hint(c, s, it->ks->keys, n, hint, sizeof(hint));
	if (hint[0]) {
		load__err(c, k, "unknown key %s in %s%s", load__show(c, k), it->ks->what, hint);
		return;
	}
	list[0] = '\0';
	for (size_t i = 0; i < n && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
				      it->ks->keys[i]);
	load__err(c, k, "unknown key %s in %s (expected %s)", load__show(c, k), it->ks->what, list);
}

int mapiter__next(struct mapiter *it)
{
	while (it->i < it->n) {
		const char *s;
		int idx = -1;

		if (!ytree__map_at(it->c->t, it->map, it->i++, &it->key, &it->val))
			return -1;
		s = load__key(it->c, it->key);
		if (!s)
			continue;
		for (int i = 0; i < LOAD_MAX_KEYS && it->ks->keys[i]; i++) {
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
			load__err(it->c, it->key, "duplicate key '%s' in %s (first at line %u)", s,
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
	return idx >= 0 && idx < LOAD_MAX_KEYS ? it->seen[idx] : NULL;
}
