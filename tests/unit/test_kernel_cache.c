// SPDX-License-Identifier: GPL-2.0
/* The kernel cache: keys, metadata.json, entries, locks, atomic install, sources. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "kernel/kernel_cache.h"
#include "kernel/kernel_config.h"
#include "kernel/kernel_source.h"

/* --- helpers --- */

static char *mktmp(void)
{
	char *d = strdup("/tmp/ktstr-test-kcache-XXXXXX");

	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];

	fsutil__fmt(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(fsutil__write(path, text, strlen(text)), 0);
}

static void sample_meta(struct kernel_meta *m, const char *version, time_t built,
			uint32_t frag)
{
	memset(m, 0, sizeof(*m));
	m->schema = KCACHE_SCHEMA;
	fsutil__fmt(m->version, sizeof(m->version), "%s", version);
	m->kind = KSRC_PACKAGE;
	strcpy(m->source_path, "/usr/src/linux-source-6.12.tar.xz");
	strcpy(m->source_id, "cc347d6f");
	strcpy(m->arch, KCACHE_ARCH);
	strcpy(m->image, KCACHE_IMAGE);
	m->config_crc = 0x12345678;
	m->fragment_crc = frag;
	m->built = built;
	kernel_meta__format_time(built, m->built_at, sizeof(m->built_at));
	m->image_size = 11052032;
	m->vmlinux_size = 70000000;
	strcpy(m->ktstr_version, "0.1.0");
}

/* A complete entry <root>/kernels/<key>; returns its key in @key. */
static void make_entry(const char *root, const char *version, time_t built, uint32_t frag,
		       uint32_t id, char *key)
{
	struct kcache_key k = { .kind = KSRC_PACKAGE, .source_id = id, .recipe_crc = frag };
	struct kernel_meta m;
	char dir[PATH_MAX];

	fsutil__fmt(k.version, sizeof(k.version), "%s", version);
	strcpy(k.arch, KCACHE_ARCH);
	assert_int_equal(kernel_cache__key_format(&k, key, KCACHE_KEY_MAX), 0);
	fsutil__fmt(dir, sizeof(dir), "%s/kernels/%s", root, key);
	assert_int_equal(fsutil__mkdir_p(dir, 0755), 0);
	sample_meta(&m, version, built, frag);
	fsutil__fmt(m.source_id, sizeof(m.source_id), "%08x", id);
	assert_int_equal(kernel_meta__save(dir, &m), 0);
	put(dir, "bzImage", "image");
	put(dir, "vmlinux", "\177ELF");
}

static char *meta_text(const struct kernel_meta *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	kernel_meta__write(f, m);
	fclose(f);
	return buf;
}

static enum kmeta_status parse(const char *text, char *why, size_t cap)
{
	struct kernel_meta m;

	return kernel_meta__parse(text, strlen(text), &m, why, cap);
}

/* --- keys --- */

static void test_key_format_parse(void **state)
{
	struct kcache_key k = { .kind = KSRC_PACKAGE, .source_id = 0xcc347d6f,
				.recipe_crc = 0x41a71b8c };
	struct kcache_key back;
	char key[KCACHE_KEY_MAX];

	strcpy(k.version, "6.12.117");
	strcpy(k.arch, "x86_64");
	assert_int_equal(kernel_cache__key_format(&k, key, sizeof(key)), 0);
	assert_string_equal(key, "6.12.117-package-cc347d6f-x86_64-kc41a71b8c");
	assert_int_equal(kernel_cache__key_parse(key, &back), 0);
	assert_string_equal(back.version, "6.12.117");
	assert_int_equal(back.kind, KSRC_PACKAGE);
	assert_int_equal(back.source_id, 0xcc347d6f);
	assert_string_equal(back.arch, "x86_64");
	assert_int_equal(back.recipe_crc, 0x41a71b8c);

	/* A version with dashes parses from the right; ids keep leading zeros. */
	strcpy(k.version, "6.13.0-rc2");
	k.kind = KSRC_TREE;
	k.source_id = 0x00ab00cd;
	assert_int_equal(kernel_cache__key_format(&k, key, sizeof(key)), 0);
	assert_string_equal(key, "6.13.0-rc2-tree-00ab00cd-x86_64-kc41a71b8c");
	assert_int_equal(kernel_cache__key_parse(key, &back), 0);
	assert_string_equal(back.version, "6.13.0-rc2");
	assert_int_equal(back.kind, KSRC_TREE);
	assert_int_equal(back.source_id, 0x00ab00cd);

	k.kind = KSRC_TARBALL;
	assert_int_equal(kernel_cache__key_format(&k, key, sizeof(key)), 0);
	assert_non_null(strstr(key, "-tarball-"));

	/* Too small a buffer is an error, not a truncated key. */
	assert_int_equal(kernel_cache__key_format(&k, key, 10), -ENAMETOOLONG);
}

static void test_key_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		"6.12.117",
		"6.12.117-package-cc347d6f-x86_64",
		"6.12.117-package-cc347d6f-x86_64-kc41a71b8",	/* 7 hex */
		"6.12.117-package-cc347d6f-x86_64-kc41A71B8C",	/* upper case */
		"6.12.117-package-cc347d6-x86_64-kc41a71b8c",
		"6.12.117-debian-cc347d6f-x86_64-kc41a71b8c",	/* unknown kind */
		"-package-cc347d6f-x86_64-kc41a71b8c",		/* no version */
		"6.12 x-package-cc347d6f-x86_64-kc41a71b8c",	/* space in version */
		"6.12.117-package-cc347d6f--kc41a71b8c",	/* no arch */
		"6.12.117-package-cc347d6f-x86_64-xx41a71b8c",
	};
	struct kcache_key k = { .kind = KSRC_PACKAGE };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!kernel_cache__key_parse(bad[i], &k))
			fail_msg("key '%s' parsed", bad[i]);
	strcpy(k.arch, "x86_64");
	strcpy(k.version, "6.12/../x");
	assert_int_equal(kernel_cache__key_format(&k, (char[KCACHE_KEY_MAX]){ 0 },
						  KCACHE_KEY_MAX), -EINVAL);
	assert_false(kernel_cache__version_ok(""));
	assert_false(kernel_cache__version_ok(".hidden"));
	assert_true(kernel_cache__version_ok("6.12.117+deb12~1_x"));
}

static void test_cache_root(void **state)
{
	char buf[PATH_MAX];

	setenv("KTSTR_CACHE_DIR", "/c/k", 1);
	setenv("XDG_CACHE_HOME", "/x", 1);
	setenv("HOME", "/h", 1);
	assert_int_equal(kernel_cache__root(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/c/k");
	unsetenv("KTSTR_CACHE_DIR");
	assert_int_equal(kernel_cache__root(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/x/ktstr");
	setenv("XDG_CACHE_HOME", "relative", 1);	/* ignored, as the XDG spec says */
	assert_int_equal(kernel_cache__root(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/h/.cache/ktstr");
	unsetenv("XDG_CACHE_HOME");
	setenv("KTSTR_CACHE_DIR", "", 1);		/* empty = unset */
	assert_int_equal(kernel_cache__root(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/h/.cache/ktstr");
	unsetenv("KTSTR_CACHE_DIR");
	assert_int_equal(kernel_cache__kernels_dir("/r", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/r/kernels");
}

/* --- metadata.json --- */

static void test_meta_round_trip(void **state)
{
	struct kernel_meta m, back;
	char why[256];
	char *text;

	sample_meta(&m, "6.12.117", 1764164220, 0x41a71b8c);
	strcpy(m.source_path, "/odd \"path\"\\with\tescapes");
	text = meta_text(&m);
	assert_non_null(strstr(text, "\"schema\":1"));
	assert_non_null(strstr(text, "\"built_at\":\"2025-11-26T13:37:00Z\""));
	assert_non_null(strstr(text, "\"crc32\":\"cc347d6f\""));
	assert_int_equal(kernel_meta__parse(text, strlen(text), &back, why, sizeof(why)),
			 KMETA_OK);
	assert_int_equal(back.schema, 1);
	assert_string_equal(back.version, m.version);
	assert_int_equal(back.kind, KSRC_PACKAGE);
	assert_string_equal(back.source_path, m.source_path);
	assert_string_equal(back.source_id, "cc347d6f");
	assert_string_equal(back.arch, "x86_64");
	assert_string_equal(back.image, "bzImage");
	assert_int_equal(back.config_crc, 0x12345678);
	assert_int_equal(back.fragment_crc, 0x41a71b8c);
	assert_string_equal(back.built_at, m.built_at);
	assert_int_equal(back.built, 1764164220);
	assert_int_equal(back.image_size, 11052032);
	assert_int_equal(back.vmlinux_size, 70000000);
	assert_string_equal(back.ktstr_version, "0.1.0");
	free(text);

	/* A tree keeps its git commit under "sha". */
	m.kind = KSRC_TREE;
	strcpy(m.source_id, "0123456789abcdef0123456789abcdef01234567");
	text = meta_text(&m);
	assert_non_null(strstr(text, "\"sha\":\"0123456789abcdef"));
	assert_int_equal(kernel_meta__parse(text, strlen(text), &back, why, sizeof(why)),
			 KMETA_OK);
	assert_int_equal(back.kind, KSRC_TREE);
	assert_string_equal(back.source_id, m.source_id);
	free(text);
}

static void test_meta_truncated(void **state)
{
	struct kernel_meta m;
	char why[256];
	char *text;
	size_t len;

	assert_int_equal(parse("", why, sizeof(why)), KMETA_TRUNCATED);
	assert_non_null(strstr(why, "empty"));
	assert_int_equal(parse(" \n", why, sizeof(why)), KMETA_TRUNCATED);
	sample_meta(&m, "6.12.117", 1764164220, 1);
	text = meta_text(&m);
	len = strlen(text);
	/* Every cut short of the closing brace is truncation, never a crash. */
	for (size_t cut = 1; cut < len - 2; cut++) {
		struct kernel_meta back;

		if (kernel_meta__parse(text, cut, &back, why, sizeof(why)) != KMETA_TRUNCATED)
			fail_msg("cut at %zu of %zu: not truncated (%s)", cut, len, why);
	}
	free(text);
	assert_int_equal(parse("{\"schema\":1,\"version\":\"6.1", why, sizeof(why)),
			 KMETA_TRUNCATED);
	assert_non_null(strstr(why, "cut short"));
}

static void test_meta_malformed(void **state)
{
	char why[256];

	assert_int_equal(parse("{\"schema\" 1 2}", why, sizeof(why)), KMETA_MALFORMED);
	assert_non_null(strstr(why, "metadata.json:1:"));
	assert_int_equal(parse("[1, 2]", why, sizeof(why)), KMETA_MALFORMED);
	assert_non_null(strstr(why, "not a JSON object"));
	assert_int_equal(parse("just text", why, sizeof(why)), KMETA_MALFORMED);
	assert_int_equal(parse("{}}", why, sizeof(why)), KMETA_MALFORMED);
	assert_int_equal(kernel_meta__parse("{\"a\":\"\0\"}", 9, &(struct kernel_meta){ 0 }, why,
					    sizeof(why)), KMETA_MALFORMED);
}

/* Replace the first @from in @text with @to (same buffer, malloc'd result). */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	char *out;

	assert_non_null(at);
	out = malloc(strlen(text) + strlen(to) + 1);
	assert_non_null(out);
	memcpy(out, text, (size_t)(at - text));
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	return out;
}

static void test_meta_schema(void **state)
{
	static const struct {
		const char *from, *to, *why;
	} cases[] = {
		{ "\"schema\":1", "\"schema\":2", "schema 2; this ktstr reads schema 1" },
		{ "\"schema\":1,", "", "field 'schema' missing" },
		{ "\"schema\":1", "\"schema\":\"1\"", "field 'schema' is not a number" },
		{ "\"version\":\"6.12.117\",", "", "field 'version' missing" },
		{ "\"version\":\"6.12.117\"", "\"version\":6", "field 'version' is not a string" },
		{ "\"kind\":\"package\"", "\"kind\":\"git\"", "not package, tarball or tree" },
		{ "\"crc32\":\"cc347d6f\"", "\"crc32\":\"xyz\"", "'source.crc32' is not 8 hex" },
		{ "\"path\":\"/usr/src/linux-source-6.12.tar.xz\",", "", "'source.path' missing" },
		{ "\"image\":\"bzImage\"", "\"image\":\"../../etc/passwd\"", "not a file name" },
		{ "\"fragment_crc\":\"41a71b8c\"", "\"fragment_crc\":\"41a71b8\"",
		  "'fragment_crc' is not 8 hex" },
		{ "\"built_at\":\"2025-11-26T13:37:00Z\"", "\"built_at\":\"yesterday\"",
		  "not an RFC 3339" },
		{ "\"vmlinux\":70000000", "\"vmlinux\":-1", "'sizes.vmlinux' is not a number" },
		{ ",\"ktstr_version\":\"0.1.0\"", "", "field 'ktstr_version' missing" },
	};
	struct kernel_meta m;
	char why[256];
	char *text;

	sample_meta(&m, "6.12.117", 1764164220, 0x41a71b8c);
	text = meta_text(&m);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *bad;

		bad = edit(text, cases[i].from, cases[i].to);
		if (parse(bad, why, sizeof(why)) != KMETA_SCHEMA)
			fail_msg("case %zu: not a schema mismatch: %s (%s)", i, why, bad);
		if (!strstr(why, cases[i].why))
			fail_msg("case %zu: '%s' does not say '%s'", i, why, cases[i].why);
		free(bad);
	}
	{	/* sizes as an array: the right type is named */
		char *bad = edit(text, "\"sizes\":{\"image\":11052032,\"vmlinux\":70000000}",
				 "\"sizes\":[1,2]");

		assert_int_equal(parse(bad, why, sizeof(why)), KMETA_SCHEMA);
		assert_non_null(strstr(why, "'sizes' is not an object"));
		free(bad);
	}
	free(text);
	assert_string_equal(kmeta_status__name(KMETA_SCHEMA), "schema_mismatch");
	assert_string_equal(kmeta_status__name(KMETA_IMAGE_MISSING), "image_missing");
}

/* "config" and "fragments": written, read back, and absent in older entries (full). */
static void test_meta_recipe(void **state)
{
	struct kernel_meta m, back;
	char why[256];
	char *text, *old;

	sample_meta(&m, "6.12.117", 1764164220, 0x41a71b8c);
	m.config = KCONFIG_LEAN;
	m.nfrags = 2;
	strcpy(m.frags[0].path, "/home/u/net.config");
	m.frags[0].crc = 0x0000beef;
	strcpy(m.frags[1].path, "/home/u/odd \"name\".config");
	m.frags[1].crc = 0xdeadbeef;
	text = meta_text(&m);
	assert_non_null(strstr(text, "\"fragment_crc\":\"41a71b8c\",\"config\":\"lean\","
				"\"fragments\":[{\"path\":\"/home/u/net.config\",\"crc32\":"
				"\"0000beef\"},{"));
	assert_int_equal(kernel_meta__parse(text, strlen(text), &back, why, sizeof(why)),
			 KMETA_OK);
	assert_int_equal(back.config, KCONFIG_LEAN);
	assert_int_equal(back.fragment_crc, 0x41a71b8c);
	assert_int_equal(back.nfrags, 2);
	assert_string_equal(back.frags[0].path, "/home/u/net.config");
	assert_int_equal(back.frags[0].crc, 0x0000beef);
	assert_string_equal(back.frags[1].path, m.frags[1].path);
	assert_int_equal(back.frags[1].crc, 0xdeadbeef);
	free(text);

	/* full, no fragment of the user's: an empty array */
	m.config = KCONFIG_FULL;
	m.nfrags = 0;
	text = meta_text(&m);
	assert_non_null(strstr(text, "\"config\":\"full\",\"fragments\":[],"));
	assert_int_equal(kernel_meta__parse(text, strlen(text), &back, why, sizeof(why)),
			 KMETA_OK);
	assert_int_equal(back.config, KCONFIG_FULL);
	assert_int_equal(back.nfrags, 0);

	/* written by a ktstr before --config: neither field; it built "full" */
	old = edit(text, ",\"config\":\"full\",\"fragments\":[]", "");
	assert_null(strstr(old, "config\":"));
	m.config = KCONFIG_LEAN;
	assert_int_equal(kernel_meta__parse(old, strlen(old), &back, why, sizeof(why)), KMETA_OK);
	assert_int_equal(back.config, KCONFIG_FULL);
	assert_int_equal(back.nfrags, 0);
	assert_int_equal(back.fragment_crc, 0x41a71b8c);
	free(old);
	free(text);
}

static void test_meta_recipe_schema(void **state)
{
	static const struct {
		const char *from, *to, *why;
	} cases[] = {
		{ "\"config\":\"lean\"", "\"config\":\"medium\"",
		  "field 'config' is 'medium', not lean or full" },
		{ "\"config\":\"lean\"", "\"config\":1", "field 'config' is not a string" },
		{ "\"fragments\":[{\"path\":\"/home/u/net.config\",\"crc32\":\"0000beef\"}]",
		  "\"fragments\":{\"a\":1}", "'fragments' is not an array" },
		{ "\"fragments\":[{", "\"fragments\":[1,{", "'fragments[0]' is not an object" },
		{ "\"crc32\":\"0000beef\"", "\"crc32\":\"beef\"",
		  "'fragments[0].crc32' is not 8 hex digits" },
		{ "\"path\":\"/home/u/net.config\",", "", "'fragments[0].path' missing" },
		{ "\"fragments\":[{", "\"fragments\":[{},{},{},{},{},{},{},{},{",
		  "'fragments' has 9 entries; a kernel has at most 8" },
	};
	struct kernel_meta m;
	char why[256];
	char *text;

	sample_meta(&m, "6.12.117", 1764164220, 0x41a71b8c);
	m.nfrags = 1;
	strcpy(m.frags[0].path, "/home/u/net.config");
	m.frags[0].crc = 0x0000beef;
	text = meta_text(&m);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *bad = edit(text, cases[i].from, cases[i].to);

		if (parse(bad, why, sizeof(why)) != KMETA_SCHEMA)
			fail_msg("case %zu: not a schema mismatch: %s (%s)", i, why, bad);
		if (!strstr(why, cases[i].why))
			fail_msg("case %zu: '%s' does not say '%s'", i, why, cases[i].why);
		free(bad);
	}
	free(text);
}

static void test_meta_load_dir(void **state)
{
	char *root = mktmp();
	char key[KCACHE_KEY_MAX], dir[PATH_MAX], path[PATH_MAX], why[256];
	struct kernel_meta m;

	make_entry(root, "6.12.117", 1764164220, 1, 0xcc347d6f, key);
	fsutil__fmt(dir, sizeof(dir), "%s/kernels/%s", root, key);
	assert_int_equal(kernel_meta__load(dir, &m, why, sizeof(why)), KMETA_OK);

	fsutil__fmt(path, sizeof(path), "%s/vmlinux", dir);
	unlink(path);
	assert_int_equal(kernel_meta__load(dir, &m, why, sizeof(why)), KMETA_IMAGE_MISSING);
	assert_string_equal(why, "vmlinux is missing or empty");
	fsutil__fmt(path, sizeof(path), "%s/bzImage", dir);
	put(dir, "bzImage", "");
	assert_int_equal(kernel_meta__load(dir, &m, why, sizeof(why)), KMETA_IMAGE_MISSING);
	assert_string_equal(why, "bzImage is missing or empty");
	fsutil__fmt(path, sizeof(path), "%s/metadata.json", dir);
	unlink(path);
	assert_int_equal(kernel_meta__load(dir, &m, why, sizeof(why)), KMETA_MISSING);
	assert_string_equal(why, "no metadata.json");
	assert_int_equal(fsutil__rm_rf(root), 0);
	free(root);
}

/* --- entries --- */

static void test_list_and_find_source(void **state)
{
	char *root = mktmp();
	uint32_t frag = kernel_config__fragment_crc();
	char old[KCACHE_KEY_MAX], new[KCACHE_KEY_MAX], stale[KCACHE_KEY_MAX];
	char lean[KCACHE_KEY_MAX], full[KCACHE_KEY_MAX];
	char dir[PATH_MAX], path[PATH_MAX];
	struct kcache_list l;
	struct kcache_entry e;

	assert_int_equal(kernel_cache__list(root, &l), 0);	/* no kernels/ yet */
	assert_int_equal(l.n, 0);
	make_entry(root, "6.12.100", 1500000000, frag, 0x11111111, old);
	make_entry(root, "6.12.117", 1600000000, frag, 0x22222222, new);
	make_entry(root, "6.12.118", 1600000100, frag ^ 1, 0x22222222, stale);
	fsutil__fmt(dir, sizeof(dir), "%s/kernels/broken", root);
	assert_int_equal(fsutil__mkdir_p(dir, 0755), 0);
	put(dir, "metadata.json", "{\"schema\":1,");
	fsutil__fmt(dir, sizeof(dir), "%s/kernels/.tmp-x-1", root);	/* never listed */
	assert_int_equal(fsutil__mkdir_p(dir, 0755), 0);

	assert_int_equal(kernel_cache__list(root, &l), 0);
	assert_int_equal(l.n, 4);
	/* newest first by built_at; "broken" has the directory's mtime (now) */
	assert_string_equal(l.items[0].key, "broken");
	assert_int_equal(l.items[0].status, KMETA_TRUNCATED);
	assert_false(kcache_entry__usable(&l.items[0]));
	assert_string_equal(l.items[1].key, stale);
	assert_true(l.items[1].stale);
	assert_false(kcache_entry__usable(&l.items[1]));
	assert_string_equal(l.items[2].key, new);
	assert_true(kcache_entry__usable(&l.items[2]));
	assert_true(l.items[2].size > 0);
	assert_string_equal(l.items[3].key, old);
	kcache_list__free(&l);

	/* By source: the stale build of the same tarball does not count. */
	assert_int_equal(kernel_cache__find_source(root, KSRC_PACKAGE, 0x22222222, frag, &e), 0);
	assert_string_equal(e.key, new);
	assert_int_equal(kernel_cache__find_source(root, KSRC_TARBALL, 0x22222222, frag, &e),
			 -ENOENT);
	assert_int_equal(kernel_cache__find_source(root, KSRC_PACKAGE, 0x33333333, frag, &e),
			 -ENOENT);

	/* One source, two recipes: two entries, each found by its own recipe CRC. */
	make_entry(root, "6.12.117", 1600000050, frag, 0x44444444, lean);
	fsutil__fmt(full, sizeof(full), "%s", lean);
	memcpy(strstr(full, "-kc") + 3, "0000f011", 8);
	fsutil__fmt(dir, sizeof(dir), "%s/kernels/%s", root, lean);
	fsutil__fmt(path, sizeof(path), "%s/kernels/%s", root, full);
	assert_int_equal(rename(dir, path), 0);
	make_entry(root, "6.12.117", 1600000040, frag, 0x44444444, lean);
	assert_int_equal(kernel_cache__find_source(root, KSRC_PACKAGE, 0x44444444, frag, &e), 0);
	assert_string_equal(e.key, lean);
	assert_int_equal(kernel_cache__find_source(root, KSRC_PACKAGE, 0x44444444, 0xf011, &e),
			 0);
	assert_string_equal(e.key, full);

	assert_int_equal(kernel_cache__entry(root, new, &e), 0);
	assert_int_equal(e.status, KMETA_OK);
	assert_int_equal(kernel_cache__entry(root, "nope", &e), -ENOENT);
	assert_int_equal(kernel_cache__entry(root, "../kernels", &e), -ENOENT);

	assert_int_equal(kernel_cache__remove(root, old), 0);
	assert_int_equal(kernel_cache__entry(root, old, &e), -ENOENT);
	assert_int_equal(fsutil__rm_rf(root), 0);
	free(root);
}

static void test_lock(void **state)
{
	char *root = mktmp();
	struct kcache_lock a, b;

	assert_int_equal(kernel_cache__lock(root, "k1", false, NULL, NULL, &a), 0);
	/* flock excludes other open files, even in this process */
	assert_int_equal(kernel_cache__lock(root, "k1", false, NULL, NULL, &b), -EWOULDBLOCK);
	assert_int_equal(b.fd, -1);
	assert_int_equal(kernel_cache__lock(root, "k2", false, NULL, NULL, &b), 0);
	kernel_cache__unlock(&b);
	kernel_cache__unlock(&a);
	assert_int_equal(kernel_cache__lock(root, "k1", false, NULL, NULL, &b), 0);
	kernel_cache__unlock(&b);
	kernel_cache__unlock(&b);	/* twice is harmless */
	assert_int_equal(fsutil__rm_rf(root), 0);
	free(root);
}

static pid_t dead_pid(void)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

static void test_tmp_install_stale(void **state)
{
	char *root = mktmp();
	char tmp[PATH_MAX], path[PATH_MAX], key[] = "6.12.117-package-cc347d6f-x86_64-kc00000001";
	unsigned removed;
	struct kcache_lock mine, live;
	struct stat st;
	char *text;

	assert_int_equal(kernel_cache__tmp_create(root, key, tmp, sizeof(tmp)), 0);
	fsutil__fmt(path, sizeof(path), "%s/kernels/.tmp-%s-%ld", root, key, (long)getpid());
	assert_string_equal(tmp, path);
	put(tmp, "bzImage", "one");
	assert_int_equal(kernel_cache__install(root, key, tmp), 0);
	assert_int_equal(stat(tmp, &st), -1);

	/* Replacing an entry exchanges it in one step; the old one is removed. */
	assert_int_equal(kernel_cache__tmp_create(root, key, tmp, sizeof(tmp)), 0);
	put(tmp, "bzImage", "two");
	assert_int_equal(kernel_cache__install(root, key, tmp), 0);
	assert_int_equal(stat(tmp, &st), -1);
	fsutil__fmt(path, sizeof(path), "%s/kernels/%s/bzImage", root, key);
	assert_int_equal(fsutil__read(path, 100, &text, NULL), 0);
	assert_string_equal(text, "two");
	free(text);

	/*
	 * Unfinished builds whose key's lock is free are removed (the builder
	 * is gone); ours and live ones, whose builders hold the lock, stay,
	 * whatever their pid says: a build in another PID namespace has a pid
	 * that looks dead here.
	 */
	fsutil__fmt(path, sizeof(path), "%s/kernels/.tmp-%s-%ld", root, key, (long)dead_pid());
	assert_int_equal(mkdir(path, 0755), 0);
	put(path, "build.log", "half");
	fsutil__fmt(path, sizeof(path), "%s/kernels/.tmp-%s-old-%ld", root, key, (long)dead_pid());
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(kernel_cache__lock(root, "mine", false, NULL, NULL, &mine), 0);
	assert_int_equal(kernel_cache__tmp_create(root, "mine", tmp, sizeof(tmp)), 0);
	assert_int_equal(kernel_cache__lock(root, "other-ns", false, NULL, NULL, &live), 0);
	fsutil__fmt(path, sizeof(path), "%s/kernels/.tmp-other-ns-%ld", root, (long)dead_pid());
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(kernel_cache__clean_stale(root, &removed), 0);
	assert_int_equal(removed, 2);
	assert_int_equal(stat(tmp, &st), 0);
	assert_int_equal(stat(path, &st), 0);
	/* Its builder gone (the lock released), the next clean removes it. */
	kernel_cache__unlock(&live);
	assert_int_equal(kernel_cache__clean_stale(root, &removed), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(stat(path, &st), -1);
	kernel_cache__unlock(&mine);
	assert_int_equal(fsutil__rm_rf(root), 0);
	free(root);
}

/* --- sources --- */

static void test_find_package(void **state)
{
	char *dir = mktmp();
	char out[PATH_MAX], want[PATH_MAX];

	assert_int_equal(kernel_source__find_package(dir, out, sizeof(out)), -ENOENT);
	put(dir, "linux-source-6.9.tar.xz", "x");
	put(dir, "linux-source-6.12.tar.xz", "x");
	put(dir, "linux-source-6.1.tar.xz", "x");
	put(dir, "linux-source-7.0.tar.bz2", "x");	/* not .tar.xz */
	put(dir, "linux-headers-9.0.tar.xz", "x");
	assert_int_equal(kernel_source__find_package(dir, out, sizeof(out)), 0);
	fsutil__fmt(want, sizeof(want), "%s/linux-source-6.12.tar.xz", dir);
	assert_string_equal(out, want);	/* version order: 6.12 > 6.9 */
	assert_int_equal(kernel_source__find_package("/nonexistent", out, sizeof(out)), -ENOENT);
	assert_int_equal(fsutil__rm_rf(dir), 0);
	free(dir);
}

static void test_makefile_version(void **state)
{
	char v[KCACHE_VERSION_MAX];

	assert_int_equal(kernel_source__makefile_version(
		"# SPDX\nVERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 117\nEXTRAVERSION =\n"
		"NAME = Baby Opossum Posse\n", v, sizeof(v)), 0);
	assert_string_equal(v, "6.12.117");
	assert_int_equal(kernel_source__makefile_version(
		"VERSION = 6\nPATCHLEVEL = 13\nSUBLEVEL = 0\nEXTRAVERSION = -rc2\n"
		"KERNELVERSION = $(VERSION)\n", v, sizeof(v)), 0);
	assert_string_equal(v, "6.13.0-rc2");
	assert_int_equal(kernel_source__makefile_version("all:\n\techo\n", v, sizeof(v)), -EINVAL);
	assert_int_equal(kernel_source__makefile_version(
		"VERSION = 6\nPATCHLEVEL = 1/2\n", v, sizeof(v)), -EINVAL);
}

static void test_crc_file(void **state)
{
	char *dir = mktmp();
	char path[PATH_MAX];
	uint32_t crc;

	put(dir, "f", "123456789");
	fsutil__fmt(path, sizeof(path), "%s/f", dir);
	assert_int_equal(fsutil__crc32(path, &crc), 0);
	assert_int_equal(crc, 0xcbf43926);	/* the CRC-32 check value */
	assert_int_equal(kernel_config__crc("123456789", 9), 0xcbf43926);
	fsutil__fmt(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(fsutil__crc32(path, &crc), -ENOENT);
	assert_int_equal(fsutil__rm_rf(dir), 0);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_format_parse),
		cmocka_unit_test(test_key_rejects),
		cmocka_unit_test(test_cache_root),
		cmocka_unit_test(test_meta_round_trip),
		cmocka_unit_test(test_meta_recipe),
		cmocka_unit_test(test_meta_recipe_schema),
		cmocka_unit_test(test_meta_truncated),
		cmocka_unit_test(test_meta_malformed),
		cmocka_unit_test(test_meta_schema),
		cmocka_unit_test(test_meta_load_dir),
		cmocka_unit_test(test_list_and_find_source),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_tmp_install_stale),
		cmocka_unit_test(test_find_package),
		cmocka_unit_test(test_makefile_version),
		cmocka_unit_test(test_crc_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
