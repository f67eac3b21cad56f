// SPDX-License-Identifier: GPL-2.0
/* metadata.json of a kernel cache entry: write, parse, validate. */
#include "kernel_cache.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/fsutil.h"
#include "base/json_out.h"
#include "base/yaml_tree.h"

#define META_MAX_BYTES	(1u << 20)
#define META_BUDGET	10000

void kernel_meta__format_time(time_t t, char *buf, size_t cap)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool kernel_meta__parse_time(const char *s, time_t *t)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return false;
	*t = timegm(&tm);
	return true;
}

static void hex8(char *buf, uint32_t v)
{
	fsutil__fmt(buf, 9, "%08" PRIx32, v);
}

void kernel_meta__write(FILE *f, const struct kernel_meta *m)
{
	struct json_out j;
	char h[9];

	json_out__init(&j, f);
	json_out__object_begin(&j);
	json_out__key(&j, "schema");
	json_out__i64(&j, m->schema);
	json_out__key(&j, "version");
	json_out__string(&j, m->version);
	json_out__key(&j, "source");
	json_out__object_begin(&j);
	json_out__key(&j, "kind");
	json_out__string(&j, ksrc_kind__name(m->kind));
	json_out__key(&j, "path");
	json_out__string(&j, m->source_path);
	json_out__key(&j, m->kind == KSRC_TREE ? "sha" : "crc32");
	json_out__string(&j, m->source_id);
	json_out__object_end(&j);
	json_out__key(&j, "arch");
	json_out__string(&j, m->arch);
	json_out__key(&j, "image");
	json_out__string(&j, m->image);
	json_out__key(&j, "config_crc");
	hex8(h, m->config_crc);
	json_out__string(&j, h);
	json_out__key(&j, "fragment_crc");
	hex8(h, m->fragment_crc);
	json_out__string(&j, h);
	json_out__key(&j, "config");
	json_out__string(&j, kconfig_base__name(m->config));
	json_out__key(&j, "fragments");
	json_out__array_begin(&j);
	for (size_t i = 0; i < m->nfrags; i++) {
		json_out__object_begin(&j);
		json_out__key(&j, "path");
		json_out__string(&j, m->frags[i].path);
		json_out__key(&j, "crc32");
		hex8(h, m->frags[i].crc);
		json_out__string(&j, h);
		json_out__object_end(&j);
	}
	json_out__array_end(&j);
	json_out__key(&j, "built_at");
	json_out__string(&j, m->built_at);
	json_out__key(&j, "sizes");
	json_out__object_begin(&j);
	json_out__key(&j, "image");
	json_out__u64(&j, m->image_size);
	json_out__key(&j, "vmlinux");
	json_out__u64(&j, m->vmlinux_size);
	json_out__object_end(&j);
	json_out__key(&j, "ktstr_version");
	json_out__string(&j, m->ktstr_version);
	json_out__object_end(&j);
	json_out__newline(&j);
}

int kernel_meta__save(const char *dir, const struct kernel_meta *m)
{
	char path[PATH_MAX];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	if (snprintf(path, sizeof(path), "%s/%s", dir, KCACHE_META) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	kernel_meta__write(f, m);
	if (fclose(f)) {
		free(buf);
		return -ENOMEM;
	}
	err = fsutil__write(path, buf, len);
	free(buf);
	return err;
}

/* Empty, or ends inside an object, array or string: the write was cut short. */
static bool unterminated(const char *s, size_t len)
{
	bool in_str = false, esc = false, any = false;
	long depth = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (!isspace((unsigned char)c))
			any = true;
		if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
	}
	return !any || in_str || depth > 0;
}

struct mparse {
	struct ytree *t;
	char *why;
	size_t cap;
};

static yaml_node_t *get(struct mparse *p, yaml_node_t *map, const char *key)
{
	size_t n = ytree__map_len(map);

	for (size_t i = 0; i < n; i++) {
		yaml_node_t *k, *v;
		const char *s;

		if (!ytree__map_at(p->t, map, i, &k, &v))
			return NULL;
		s = ytree__scalar(k, NULL);
		if (s && !strcmp(s, key))
			return v;
	}
	return NULL;
}

/* A string field: present, a quoted scalar, fits in @cap. 0 or KMETA_SCHEMA. */
static int get_str(struct mparse *p, yaml_node_t *map, const char *ctx, const char *key,
		   char *out, size_t cap)
{
	yaml_node_t *v = get(p, map, key);
	const char *s;
	size_t len;

	if (!v)
		return err__set(KMETA_SCHEMA, p->why, p->cap, "field '%s%s' missing", ctx, key);
	s = ytree__scalar(v, &len);
	if (!s || ytree__plain(v))
		return err__set(KMETA_SCHEMA, p->why, p->cap,
				"field '%s%s' is not a string", ctx, key);
	if (len >= cap || strlen(s) != len)
		return err__set(KMETA_SCHEMA, p->why, p->cap,
				"field '%s%s' is too long or holds a NUL", ctx, key);
	memcpy(out, s, len + 1);
	return 0;
}

static int get_u64(struct mparse *p, yaml_node_t *map, const char *ctx, const char *key,
		   uint64_t *out)
{
	yaml_node_t *v = get(p, map, key);
	const char *s;
	char *end;

	if (!v)
		return err__set(KMETA_SCHEMA, p->why, p->cap, "field '%s%s' missing", ctx, key);
	s = ytree__scalar(v, NULL);
	if (!s || !ytree__plain(v) || !isdigit((unsigned char)s[0]))
		return err__set(KMETA_SCHEMA, p->why, p->cap,
				"field '%s%s' is not a number", ctx, key);
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || *end)
		return err__set(KMETA_SCHEMA, p->why, p->cap,
				"field '%s%s' is not a number", ctx, key);
	return 0;
}

static int get_crc(struct mparse *p, yaml_node_t *map, const char *ctx, const char *key,
		   uint32_t *out)
{
	char s[16], *end;
	int err = get_str(p, map, ctx, key, s, sizeof(s));

	if (err)
		return err;
	*out = (uint32_t)strtoul(s, &end, 16);
	if (strlen(s) != 8 || *end)
		return err__set(KMETA_SCHEMA, p->why, p->cap,
				"field '%s%s' is not 8 hex digits", ctx, key);
	return 0;
}

static bool all_hex(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* "config" and "fragments": absent in entries of a ktstr before them, which built "full". */
static int parse_recipe(struct mparse *p, yaml_node_t *root, struct kernel_meta *m)
{
	yaml_node_t *frags;
	char base[16], ctx[32];
	size_t n;

	m->config = KCONFIG_FULL;
	if (get(p, root, "config")) {
		if (get_str(p, root, "", "config", base, sizeof(base)))
			return KMETA_SCHEMA;
		if (kconfig_base__parse(base, &m->config))
			return err__set(KMETA_SCHEMA, p->why, p->cap,
					"field 'config' is '%s', not lean or full", base);
	}
	frags = get(p, root, "fragments");
	if (!frags)
		return 0;
	if (ytree__kind(frags) != YNODE_SEQ)
		return err__set(KMETA_SCHEMA, p->why, p->cap, "field 'fragments' is not an array");
	n = ytree__seq_len(frags);
	if (n > KRECIPE_USER_MAX)
		return err__set(KMETA_SCHEMA, p->why, p->cap, "field 'fragments' has %zu entries; "
				"a kernel has at most %d", n, KRECIPE_USER_MAX);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *f = ytree__seq_at(p->t, frags, i);

		fsutil__fmt(ctx, sizeof(ctx), "fragments[%zu].", i);
		if (!f || ytree__kind(f) != YNODE_MAP)
			return err__set(KMETA_SCHEMA, p->why, p->cap,
					"field 'fragments[%zu]' is not an object", i);
		if (get_str(p, f, ctx, "path", m->frags[i].path, sizeof(m->frags[i].path)) ||
		    get_crc(p, f, ctx, "crc32", &m->frags[i].crc))
			return KMETA_SCHEMA;
	}
	m->nfrags = n;
	return 0;
}

static enum kmeta_status parse_root(struct mparse *p, yaml_node_t *root, struct kernel_meta *m)
{
	yaml_node_t *src, *sizes;
	char kind[16];
	uint64_t v;

	if (get_u64(p, root, "", "schema", &v))
		return KMETA_SCHEMA;
	if (v != KCACHE_SCHEMA)
		return err__set(KMETA_SCHEMA, p->why, p->cap,
				"schema %" PRIu64 "; this ktstr reads schema %d", v, KCACHE_SCHEMA);
	m->schema = KCACHE_SCHEMA;
	if (get_str(p, root, "", "version", m->version, sizeof(m->version)))
		return KMETA_SCHEMA;
	if (!kernel_cache__version_ok(m->version))
		return err__set(KMETA_SCHEMA, p->why, p->cap,
				"field 'version' is not a kernel version: '%s'", m->version);
	src = get(p, root, "source");
	if (!src)
		return err__set(KMETA_SCHEMA, p->why, p->cap, "field 'source' missing");
	if (ytree__kind(src) != YNODE_MAP)
		return err__set(KMETA_SCHEMA, p->why, p->cap, "field 'source' is not an object");
	if (get_str(p, src, "source.", "kind", kind, sizeof(kind)))
		return KMETA_SCHEMA;
	if (ksrc_kind__parse(kind, &m->kind))
		return err__set(KMETA_SCHEMA, p->why, p->cap,
				"field 'source.kind' is '%s', not package, tarball or tree", kind);
	if (get_str(p, src, "source.", "path", m->source_path, sizeof(m->source_path)))
		return KMETA_SCHEMA;
	if (m->kind == KSRC_TREE) {
		if (get_str(p, src, "source.", "sha", m->source_id, sizeof(m->source_id)))
			return KMETA_SCHEMA;
		if (!all_hex(m->source_id, 8, 40))
			return err__set(KMETA_SCHEMA, p->why, p->cap,
					"field 'source.sha' is not a git commit id");
	} else {
		if (get_str(p, src, "source.", "crc32", m->source_id, sizeof(m->source_id)))
			return KMETA_SCHEMA;
		if (!all_hex(m->source_id, 8, 8))
			return err__set(KMETA_SCHEMA, p->why, p->cap,
					"field 'source.crc32' is not 8 hex digits");
	}
	if (get_str(p, root, "", "arch", m->arch, sizeof(m->arch)) ||
	    get_str(p, root, "", "image", m->image, sizeof(m->image)))
		return KMETA_SCHEMA;
	if (!m->image[0] || strchr(m->image, '/') || !strcmp(m->image, "..") ||
	    !strcmp(m->image, "."))
		return err__set(KMETA_SCHEMA, p->why, p->cap,
				"field 'image' is not a file name: '%s'", m->image);
	if (get_crc(p, root, "", "config_crc", &m->config_crc) ||
	    get_crc(p, root, "", "fragment_crc", &m->fragment_crc) ||
	    parse_recipe(p, root, m))
		return KMETA_SCHEMA;
	if (get_str(p, root, "", "built_at", m->built_at, sizeof(m->built_at)))
		return KMETA_SCHEMA;
	if (!kernel_meta__parse_time(m->built_at, &m->built))
		return err__set(KMETA_SCHEMA, p->why, p->cap,
				"field 'built_at' is not an RFC 3339 UTC time: '%s'", m->built_at);
	sizes = get(p, root, "sizes");
	if (!sizes)
		return err__set(KMETA_SCHEMA, p->why, p->cap, "field 'sizes' missing");
	if (ytree__kind(sizes) != YNODE_MAP)
		return err__set(KMETA_SCHEMA, p->why, p->cap, "field 'sizes' is not an object");
	if (get_u64(p, sizes, "sizes.", "image", &m->image_size) ||
	    get_u64(p, sizes, "sizes.", "vmlinux", &m->vmlinux_size))
		return KMETA_SCHEMA;
	if (get_str(p, root, "", "ktstr_version", m->ktstr_version, sizeof(m->ktstr_version)))
		return KMETA_SCHEMA;
	return KMETA_OK;
}

enum kmeta_status kernel_meta__parse(const char *text, size_t len, struct kernel_meta *m,
				     char *why, size_t cap)
{
	struct mparse p = { NULL, why, cap };
	struct ytree_error yerr;
	enum kmeta_status st;
	struct ytree t;
	int r;

	memset(m, 0, sizeof(*m));
	if (cap)
		why[0] = '\0';
	if (unterminated(text, len)) {
		fsutil__fmt(why, cap, len ? "metadata.json is cut short (%zu bytes)" :
					    "metadata.json is empty", len);
		return KMETA_TRUNCATED;
	}
	if (memchr(text, '\0', len)) {
		fsutil__fmt(why, cap, "metadata.json holds a NUL byte");
		return KMETA_MALFORMED;
	}
	if (ytree__open(&t, text, len, META_BUDGET)) {
		fsutil__fmt(why, cap, "out of memory");
		return KMETA_MALFORMED;
	}
	p.t = &t;
	r = t.scan_failed ? -1 : ytree__next(&t, &yerr);
	if (t.scan_failed)	/* anywhere in the text, even after the first object */
		yerr = t.scan_err;
	if (r < 0) {
		fsutil__fmt(why, cap, "metadata.json:%u:%u: %s", yerr.line, yerr.col, yerr.msg);
		st = KMETA_MALFORMED;
	} else if (r == 0 || ytree__kind(ytree__root(&t)) != YNODE_MAP) {
		fsutil__fmt(why, cap, "metadata.json is not a JSON object");
		st = KMETA_MALFORMED;
	} else {
		st = parse_root(&p, ytree__root(&t), m);
		if (st == KMETA_OK && ytree__next(&t, &yerr) != 0) {
			fsutil__fmt(why, cap, "metadata.json has more than one document");
			st = KMETA_MALFORMED;
		}
	}
	if (st == KMETA_SCHEMA && ytree__exhausted(&t)) {
		fsutil__fmt(why, cap, "metadata.json is too deeply aliased");
		st = KMETA_MALFORMED;
	}
	ytree__close(&t);
	return st;
}

enum kmeta_status kernel_meta__load(const char *dir, struct kernel_meta *m, char *why, size_t cap)
{
	char path[PATH_MAX];
	enum kmeta_status st;
	size_t len = 0;
	char *buf;
	int err;

	memset(m, 0, sizeof(*m));
	fsutil__fmt(path, sizeof(path), "%s/%s", dir, KCACHE_META);
	err = fsutil__read(path, META_MAX_BYTES, &buf, &len);
	if (err == -ENOENT) {
		fsutil__fmt(why, cap, "no metadata.json");
		return KMETA_MISSING;
	}
	if (err == -EFBIG) {
		fsutil__fmt(why, cap, "metadata.json is larger than %u bytes", META_MAX_BYTES);
		return KMETA_MALFORMED;
	}
	if (err) {
		fsutil__fmt(why, cap, "cannot read metadata.json: %s", fsutil__strerror(-err));
		return KMETA_UNREADABLE;
	}
	st = kernel_meta__parse(buf, len, m, why, cap);
	free(buf);
	if (st != KMETA_OK)
		return st;
	fsutil__fmt(path, sizeof(path), "%s/%s", dir, m->image);
	if (!fsutil__nonempty_file(path)) {
		fsutil__fmt(why, cap, "%s is missing or empty", m->image);
		return KMETA_IMAGE_MISSING;
	}
	fsutil__fmt(path, sizeof(path), "%s/vmlinux", dir);
	if (!fsutil__nonempty_file(path)) {
		fsutil__fmt(why, cap, "vmlinux is missing or empty");
		return KMETA_IMAGE_MISSING;
	}
	return KMETA_OK;
}
