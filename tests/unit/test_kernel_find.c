// SPDX-License-Identifier: GPL-2.0
/* Kernel discovery: --kernel, KTSTR_KERNEL, the cache, /boot, in that order. */
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
#include <unistd.h>

#include "base/fsutil.h"
#include "kernel/kernel_cache.h"
#include "kernel/kernel_config.h"
#include "kernel/kernel_find.h"

struct fx {
	char dir[64];		/* everything lives under here */
	char cache[PATH_MAX];
	char boot[PATH_MAX];
	char tree[PATH_MAX];	/* a built kernel tree */
	char image[PATH_MAX];	/* a loose bzImage */
	char key_old[KCACHE_KEY_MAX], key_new[KCACHE_KEY_MAX], key_stale[KCACHE_KEY_MAX];
	char key_613[KCACHE_KEY_MAX];
	struct kfind_opts o;
	struct kfind_result r;
	char err[2048];
};

static void put(const char *path, const char *text, size_t len)
{
	assert_int_equal(fsutil__write(path, text, len), 0);
}

static void put_bzimage(const char *path)
{
	char buf[0x300];

	memset(buf, 0, sizeof(buf));
	memcpy(buf + 0x202, "HdrS", 4);
	put(path, buf, sizeof(buf));
}

static void entry(struct fx *f, const char *version, time_t built, uint32_t frag, char *key)
{
	struct kcache_key k = { .kind = KSRC_PACKAGE, .source_id = (uint32_t)built,
				.recipe_crc = frag };
	struct kernel_meta m;
	char dir[PATH_MAX], path[PATH_MAX + 16];

	fsutil__fmt(k.version, sizeof(k.version), "%s", version);
	strcpy(k.arch, KCACHE_ARCH);
	assert_int_equal(kernel_cache__key_format(&k, key, KCACHE_KEY_MAX), 0);
	fsutil__fmt(dir, sizeof(dir), "%s/kernels/%s", f->cache, key);
	assert_int_equal(fsutil__mkdir_p(dir, 0755), 0);
	memset(&m, 0, sizeof(m));
	m.schema = KCACHE_SCHEMA;
	fsutil__fmt(m.version, sizeof(m.version), "%s", version);
	m.kind = KSRC_PACKAGE;
	strcpy(m.source_path, "/usr/src/linux-source-6.12.tar.xz");
	fsutil__fmt(m.source_id, sizeof(m.source_id), "%08x", (unsigned)built);
	strcpy(m.arch, KCACHE_ARCH);
	strcpy(m.image, KCACHE_IMAGE);
	m.fragment_crc = frag;
	m.built = built;
	kernel_meta__format_time(built, m.built_at, sizeof(m.built_at));
	strcpy(m.ktstr_version, "0.1.0");
	assert_int_equal(kernel_meta__save(dir, &m), 0);
	fsutil__fmt(path, sizeof(path), "%s/bzImage", dir);
	put_bzimage(path);
	fsutil__fmt(path, sizeof(path), "%s/vmlinux", dir);
	put(path, "\177ELF", 4);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	uint32_t frag = kernel_config__fragment_crc();
	char path[PATH_MAX + 32];

	assert_non_null(f);
	strcpy(f->dir, "/tmp/ktstr-test-kfind-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	fsutil__fmt(f->cache, sizeof(f->cache), "%s/cache", f->dir);
	fsutil__fmt(f->boot, sizeof(f->boot), "%s/boot", f->dir);
	fsutil__fmt(f->tree, sizeof(f->tree), "%s/linux", f->dir);
	fsutil__fmt(f->image, sizeof(f->image), "%s/bzImage", f->dir);
	assert_int_equal(fsutil__mkdir_p(f->boot, 0755), 0);
	fsutil__fmt(path, sizeof(path), "%s/arch/x86/boot", f->tree);
	assert_int_equal(fsutil__mkdir_p(path, 0755), 0);
	fsutil__fmt(path, sizeof(path), "%s/arch/x86/boot/bzImage", f->tree);
	put_bzimage(path);
	fsutil__fmt(path, sizeof(path), "%s/vmlinux", f->tree);
	put(path, "\177ELF", 4);
	put_bzimage(f->image);
	entry(f, "6.12.100", 1700000000, frag, f->key_old);
	entry(f, "6.12.117", 1750000000, frag, f->key_new);
	entry(f, "6.12.118", 1760000000, frag ^ 1, f->key_stale);	/* newest, but stale */
	entry(f, "6.13.2", 1740000000, frag, f->key_613);

	f->o.cache_root = f->cache;
	f->o.boot_dir = f->boot;
	f->o.release = "6.1.0-test-amd64";
	unsetenv("KTSTR_KERNEL");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	unsetenv("KTSTR_KERNEL");
	assert_int_equal(fsutil__rm_rf(f->dir), 0);
	free(f);
	return 0;
}

static int find(struct fx *f)
{
	return kernel_find(&f->o, &f->r, f->err, sizeof(f->err));
}

/* The key of the entry @f->r.image belongs to. */
static void assert_key(struct fx *f, const char *key)
{
	char want[PATH_MAX + KCACHE_KEY_MAX];

	assert_string_equal(f->r.key, key);
	fsutil__fmt(want, sizeof(want), "%s/kernels/%s/bzImage", f->cache, key);
	assert_string_equal(f->r.image, want);
}

static void test_cache_newest_valid(void **state)
{
	struct fx *f = *state;

	assert_int_equal(find(f), 0);
	assert_int_equal(f->r.how, KFIND_CACHE);
	assert_key(f, f->key_new);	/* the stale 6.12.118 is skipped */
	assert_string_equal(f->r.warning, "");
	assert_non_null(strstr(f->r.vmlinux, "/vmlinux"));
}

static void test_arg_beats_env_beats_cache(void **state)
{
	struct fx *f = *state;

	setenv("KTSTR_KERNEL", f->key_old, 1);
	assert_int_equal(find(f), 0);
	assert_int_equal(f->r.how, KFIND_ENV);
	assert_key(f, f->key_old);

	f->o.kernel = f->image;
	assert_int_equal(find(f), 0);
	assert_int_equal(f->r.how, KFIND_ARG);
	assert_string_equal(f->r.image, f->image);
	assert_string_equal(f->r.key, "");
}

static void test_forms(void **state)
{
	struct fx *f = *state;
	char path[PATH_MAX + KCACHE_KEY_MAX];

	/* a build tree */
	f->o.kernel = f->tree;
	assert_int_equal(find(f), 0);
	fsutil__fmt(path, sizeof(path), "%s/arch/x86/boot/bzImage", f->tree);
	assert_string_equal(f->r.image, path);
	fsutil__fmt(path, sizeof(path), "%s/vmlinux", f->tree);
	assert_string_equal(f->r.vmlinux, path);

	/* a cache entry's directory */
	fsutil__fmt(path, sizeof(path), "%s/kernels/%s", f->cache, f->key_613);
	f->o.kernel = path;
	assert_int_equal(find(f), 0);
	assert_key(f, f->key_613);

	/* a key, even a stale one, with a warning */
	f->o.kernel = f->key_stale;
	assert_int_equal(find(f), 0);
	assert_key(f, f->key_stale);
	assert_non_null(strstr(f->r.warning, "another ktstr config fragment"));

	/* a bzImage named as a file: a cache entry's or a tree's has its vmlinux */
	fsutil__fmt(path, sizeof(path), "%s/kernels/%s/bzImage", f->cache, f->key_613);
	f->o.kernel = path;
	assert_int_equal(find(f), 0);
	fsutil__fmt(path, sizeof(path), "%s/kernels/%s/vmlinux", f->cache, f->key_613);
	assert_string_equal(f->r.vmlinux, path);
	fsutil__fmt(path, sizeof(path), "%s/arch/x86/boot/bzImage", f->tree);
	f->o.kernel = path;
	assert_int_equal(find(f), 0);
	fsutil__fmt(path, sizeof(path), "%s/vmlinux", f->tree);
	assert_string_equal(f->r.vmlinux, path);
	/* ...a loose one has none, whatever lies next to it */
	fsutil__fmt(path, sizeof(path), "%s/vmlinux", f->dir);
	put(path, "\177ELF", 4);
	f->o.kernel = f->image;
	assert_int_equal(find(f), 0);
	assert_string_equal(f->r.vmlinux, "");

	/* an ELF vmlinux is its own vmlinux */
	fsutil__fmt(path, sizeof(path), "%s/vmlinux", f->tree);
	f->o.kernel = path;
	assert_int_equal(find(f), 0);
	assert_string_equal(f->r.vmlinux, path);
}

static void test_version_prefix(void **state)
{
	struct fx *f = *state;

	f->o.kernel = "6.12";	/* newest non-stale 6.12.x */
	assert_int_equal(find(f), 0);
	assert_key(f, f->key_new);
	f->o.kernel = "6";
	assert_int_equal(find(f), 0);
	assert_key(f, f->key_new);	/* 6.12.117 built after 6.13.2 */
	f->o.kernel = "6.13";
	assert_int_equal(find(f), 0);
	assert_key(f, f->key_613);
	f->o.kernel = "6.12.100";
	assert_int_equal(find(f), 0);
	assert_key(f, f->key_old);
	f->o.kernel = "6.12.118";	/* only a stale one: used, with a warning */
	assert_int_equal(find(f), 0);
	assert_key(f, f->key_stale);
	assert_string_not_equal(f->r.warning, "");

	f->o.kernel = "6.1";		/* not a prefix of 6.12 */
	assert_int_equal(find(f), -EINVAL);
	assert_non_null(strstr(f->err, "--kernel 6.1: no cached kernel of version 6.1"));
	assert_non_null(strstr(f->err, "ktstr kernel build"));
}

static void test_bad_values(void **state)
{
	struct fx *f = *state;
	char path[PATH_MAX + 16];

	f->o.kernel = "/no/such/kernel";
	assert_int_equal(find(f), -EINVAL);
	assert_non_null(strstr(f->err, "--kernel /no/such/kernel: no such file"));

	fsutil__fmt(path, sizeof(path), "%s/notes.txt", f->dir);
	put(path, "hello, not a kernel", 19);
	f->o.kernel = path;
	assert_int_equal(find(f), -EINVAL);
	assert_non_null(strstr(f->err, "not a kernel image"));

	f->o.kernel = f->boot;	/* a directory without a kernel in it */
	assert_int_equal(find(f), -EINVAL);
	assert_non_null(strstr(f->err, "no arch/x86/boot/bzImage"));
	assert_non_null(strstr(f->err, "ktstr kernel build --source"));

	/* A bad KTSTR_KERNEL is an error, not a reason to fall back to the cache. */
	f->o.kernel = NULL;
	setenv("KTSTR_KERNEL", "7.99", 1);
	assert_int_equal(find(f), -EINVAL);
	assert_non_null(strstr(f->err, "KTSTR_KERNEL 7.99"));
	setenv("KTSTR_KERNEL", "", 1);
	assert_int_equal(find(f), -EINVAL);
	assert_non_null(strstr(f->err, "KTSTR_KERNEL is empty"));
}

static void test_corrupt_entries(void **state)
{
	struct fx *f = *state;
	char path[PATH_MAX + KCACHE_KEY_MAX + 16];

	/* Break the newest valid entry: discovery moves on to the next one... */
	fsutil__fmt(path, sizeof(path), "%s/kernels/%s/bzImage", f->cache, f->key_new);
	unlink(path);
	assert_int_equal(find(f), 0);
	assert_key(f, f->key_613);
	/* ...but naming it says what is wrong. */
	f->o.kernel = f->key_new;
	assert_int_equal(find(f), -EINVAL);
	assert_non_null(strstr(f->err, "corrupt cache entry (image_missing: bzImage is missing"));
}

static void test_boot_fallback(void **state)
{
	struct fx *f = *state;
	char path[PATH_MAX + 64];

	assert_int_equal(fsutil__rm_rf(f->cache), 0);
	/* nothing at all */
	assert_int_equal(find(f), -ENOENT);
	assert_non_null(strstr(f->err, "no kernel found"));
	assert_non_null(strstr(f->err, "ktstr kernel build"));
	assert_non_null(strstr(f->err, "--kernel PATH"));
	assert_non_null(strstr(f->err, "vmlinuz-6.1.0-test-amd64"));
	assert_string_equal(f->r.image, "");

	/* the distribution kernel, without sched_ext: picked, with a warning */
	fsutil__fmt(path, sizeof(path), "%s/vmlinuz-6.1.0-test-amd64", f->boot);
	put_bzimage(path);
	fsutil__fmt(path, sizeof(path), "%s/config-6.1.0-test-amd64", f->boot);
	put(path, "CONFIG_BPF=y\n# CONFIG_SCHED_CLASS_EXT is not set\n", 49);
	assert_int_equal(find(f), 0);
	assert_int_equal(f->r.how, KFIND_BOOT);
	assert_non_null(strstr(f->r.image, "/boot/vmlinuz-6.1.0-test-amd64"));
	assert_non_null(strstr(f->r.warning, "has no sched_ext"));
	/* one with sched_ext: no warning */
	put(path, "CONFIG_BPF=y\nCONFIG_SCHED_CLASS_EXT=y\n", 38);
	assert_int_equal(find(f), 0);
	assert_string_equal(f->r.warning, "");
	/* no config to check: a warning that says so */
	unlink(path);
	assert_int_equal(find(f), 0);
	assert_non_null(strstr(f->r.warning, "there is no"));
}

static void test_stale_only_message(void **state)
{
	struct fx *f = *state;
	char path[PATH_MAX + KCACHE_KEY_MAX];

	fsutil__fmt(path, sizeof(path), "%s/kernels/%s", f->cache, f->key_old);
	assert_int_equal(fsutil__rm_rf(path), 0);
	fsutil__fmt(path, sizeof(path), "%s/kernels/%s", f->cache, f->key_new);
	assert_int_equal(fsutil__rm_rf(path), 0);
	fsutil__fmt(path, sizeof(path), "%s/kernels/%s", f->cache, f->key_613);
	assert_int_equal(fsutil__rm_rf(path), 0);
	assert_int_equal(find(f), -ENOENT);
	assert_non_null(strstr(f->err, "1 cached kernel was built with another config fragment"));
}

static void test_is_image(void **state)
{
	struct fx *f = *state;
	char path[PATH_MAX + 16];

	assert_true(kernel_find__is_image(f->image));
	fsutil__fmt(path, sizeof(path), "%s/short", f->dir);
	put(path, "HdrS", 4);
	assert_false(kernel_find__is_image(path));
	assert_false(kernel_find__is_image("/nonexistent"));
	assert_string_equal(kfind_how__name(KFIND_ENV), "KTSTR_KERNEL");
}

/* The PVH entry note: in the fixture, not in an ordinary ELF, nor in a non-ELF. */
static void test_has_pvh(void **state)
{
	const char *fixture = getenv("PVH_FIXTURE");

	(void)state;
	if (!fixture)
		skip();
	assert_true(kernel_find__has_pvh(fixture));
	assert_false(kernel_find__has_pvh("/proc/self/exe"));
	assert_false(kernel_find__has_pvh("/etc/hostname"));
	assert_false(kernel_find__has_pvh("/nonexistent/vmlinux"));
}

/* A copy of @src in @dst, its first @len bytes, with @nflip bytes set at random. */
static void copy_mangled(const char *src, const char *dst, size_t len, unsigned nflip,
			 unsigned *seed)
{
	char *text = NULL;
	size_t n = 0;

	assert_int_equal(fsutil__read(src, 16u << 20, &text, &n), 0);
	if (len > n)
		len = n;
	for (unsigned i = 0; i < nflip && len; i++)
		text[rand_r(seed) % len] = (char)rand_r(seed);
	put(dst, text, len);
	free(text);
}

/*
 * The jump table's bounds: entries in the fixture, none in the empty one (the
 * symbols at one address, as without CONFIG_JUMP_LABEL), no symbols in the
 * PVH fixture; not an ELF, no file, a broken ELF: an errno.
 */
static void test_static_keys(void **state)
{
	const char *jt = getenv("JUMP_TABLE_FIXTURE");
	const char *empty = getenv("JUMP_TABLE_EMPTY_FIXTURE");
	const char *pvh = getenv("PVH_FIXTURE");
	struct fx *f = *state;
	char path[PATH_MAX + 16];
	unsigned seed = 1;
	int ret;

	if (!jt || !empty || !pvh)
		skip();
	assert_int_equal(kernel_find__static_keys(jt), 1);
	assert_int_equal(kernel_find__static_keys(empty), 0);
	assert_int_equal(kernel_find__static_keys(pvh), 0);
	assert_int_equal(kernel_find__static_keys("/etc/hostname"), -EINVAL);
	assert_int_equal(kernel_find__static_keys("/nonexistent/vmlinux"), -ENOENT);
	assert_int_equal(kernel_find__static_keys(f->dir), -EISDIR);
	fsutil__fmt(path, sizeof(path), "%s/vmlinux", f->dir);
	put(path, "\177ELF", 4);
	assert_int_equal(kernel_find__static_keys(path), -EINVAL);
	/* Cut short (the section headers are at the end): never a guess. */
	for (size_t len = 0; len < 4096; len += 61) {
		copy_mangled(jt, path, len, 0, &seed);
		assert_true(kernel_find__static_keys(path) < 0);
	}
	/* Bytes set at random anywhere: an answer or an errno, never a crash. */
	for (int i = 0; i < 300; i++) {
		copy_mangled(jt, path, SIZE_MAX, 1 + (unsigned)i % 16, &seed);
		ret = kernel_find__static_keys(path);
		assert_true(ret >= -4095 && ret <= 1);
	}

	/* kernel_find() fills it for the vmlinux it finds. */
	f->o.kernel = jt;
	assert_int_equal(find(f), 0);
	assert_int_equal(f->r.static_keys, 1);
	f->o.kernel = empty;
	assert_int_equal(find(f), 0);
	assert_int_equal(f->r.static_keys, 0);
	f->o.kernel = f->image;		/* a loose bzImage: no vmlinux */
	assert_int_equal(find(f), 0);
	assert_string_equal(f->r.vmlinux, "");
	assert_int_equal(f->r.static_keys, -ENOENT);
	f->o.kernel = f->key_new;	/* its vmlinux is 4 bytes */
	assert_int_equal(find(f), 0);
	assert_int_equal(f->r.static_keys, -EINVAL);
	f->o.kernel = "/nonexistent/bzImage";
	assert_int_not_equal(find(f), 0);
	assert_int_equal(f->r.static_keys, -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cache_newest_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arg_beats_env_beats_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_only_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_is_image, setup, teardown),
		cmocka_unit_test(test_has_pvh),
		cmocka_unit_test_setup_teardown(test_static_keys, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
