// SPDX-License-Identifier: GPL-2.0
/* The configuration recipe: bases, the user's fragment files, the recipe CRC, labels. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "kernel/kernel_key.h"
#include "kernel/kernel_recipe.h"

static const char net[] = "# networking\nCONFIG_NET=y\nCONFIG_INET=y\n";
static const char ext4[] = "CONFIG_EXT4_FS=y\n# CONFIG_EXT4_DEBUG is not set\n";

static uint32_t crc_of(enum kconfig_base base, const char *const *texts, size_t n)
{
	struct krecipe r;
	char err[256];
	uint32_t crc;

	kernel_recipe__init(&r, base);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(kernel_recipe__add_text(&r, "t.config", texts[i], strlen(texts[i]),
							 err, sizeof(err)), 0);
	crc = kernel_recipe__crc(&r);
	kernel_recipe__free(&r);
	return crc;
}

static void test_bases(void **state)
{
	enum kconfig_base b = KCONFIG_LEAN;

	assert_int_equal(kconfig_base__parse("full", &b), 0);
	assert_int_equal(b, KCONFIG_FULL);
	assert_int_equal(kconfig_base__parse("lean", &b), 0);
	assert_int_equal(b, KCONFIG_LEAN);
	assert_int_equal(kconfig_base__parse("Lean", &b), -EINVAL);
	assert_int_equal(kconfig_base__parse("", &b), -EINVAL);
	assert_int_equal(kconfig_base__parse("defconfig", &b), -EINVAL);
	assert_string_equal(kconfig_base__name(KCONFIG_LEAN), "lean");
	assert_string_equal(kconfig_base__name(KCONFIG_FULL), "full");
}

static void test_recipe_crc(void **state)
{
	const char *const one[] = { net };
	const char *const two[] = { net, ext4 };
	const char *const swapped[] = { ext4, net };
	const char *const joined[] = { "# networking\nCONFIG_NET=y\nCONFIG_INET=y\n"
				       "CONFIG_EXT4_FS=y\n# CONFIG_EXT4_DEBUG is not set\n" };
	uint32_t lean = crc_of(KCONFIG_LEAN, NULL, 0), full = crc_of(KCONFIG_FULL, NULL, 0);
	uint32_t full1 = crc_of(KCONFIG_FULL, one, 1), lean1 = crc_of(KCONFIG_LEAN, one, 1);
	uint32_t full2 = crc_of(KCONFIG_FULL, two, 2);
	size_t flen;
	const char *frag = kernel_config__fragment(&flen);
	char *buf;
	size_t n;

	/* lean, full, full+fragment, lean+fragment: four recipes, four CRCs */
	assert_int_not_equal(lean, full);
	assert_int_not_equal(full, full1);
	assert_int_not_equal(lean, lean1);
	assert_int_not_equal(full1, lean1);
	assert_int_not_equal(full1, full2);
	/* the same inputs, the same CRC; the order counts; so do the boundaries */
	assert_int_equal(crc_of(KCONFIG_LEAN, NULL, 0), lean);
	assert_int_equal(crc_of(KCONFIG_FULL, two, 2), full2);
	assert_int_not_equal(crc_of(KCONFIG_FULL, swapped, 2), full2);
	assert_int_not_equal(crc_of(KCONFIG_FULL, joined, 1), full2);
	/* none is ktstr's fragment CRC, which is the staleness test, not the key */
	assert_int_not_equal(lean, kernel_config__fragment_crc());
	assert_int_not_equal(full, kernel_config__fragment_crc());

	/*
	 * the definition: CRC32 of "full\0" the compiler flags "\0" ktstr's
	 * fragment "\0" net "\0" ext4 "\0" (the flags are in the key: a kernel
	 * compiled differently is another cache entry)
	 */
	buf = malloc(flen + sizeof(KRECIPE_KCFLAGS) + sizeof(net) + sizeof(ext4) + 16);
	assert_non_null(buf);
	memcpy(buf, "full", 5);
	n = 5;
	memcpy(buf + n, KRECIPE_KCFLAGS, sizeof(KRECIPE_KCFLAGS));
	n += sizeof(KRECIPE_KCFLAGS);
	memcpy(buf + n, frag, flen);
	n += flen;
	buf[n++] = '\0';
	memcpy(buf + n, net, sizeof(net));	/* with its NUL */
	n += sizeof(net);
	memcpy(buf + n, ext4, sizeof(ext4));
	n += sizeof(ext4);
	assert_int_equal(kernel_config__crc(buf, n), full2);
	free(buf);
}

/* The key keeps its shape; its "kc" is now the recipe's CRC. */
static void test_key_shape(void **state)
{
	const char *const one[] = { net };
	struct kcache_key k = { .kind = KSRC_PACKAGE, .source_id = 0xcc347d6f };
	struct kcache_key back;
	char key[KCACHE_KEY_MAX], want[KCACHE_KEY_MAX];

	strcpy(k.version, "6.12.117");
	strcpy(k.arch, "x86_64");
	k.recipe_crc = crc_of(KCONFIG_FULL, one, 1);
	assert_int_equal(kernel_cache__key_format(&k, key, sizeof(key)), 0);
	fsutil__fmt(want, sizeof(want), "6.12.117-package-cc347d6f-x86_64-kc%08" PRIx32,
		    k.recipe_crc);
	assert_string_equal(key, want);
	assert_int_equal(kernel_cache__key_parse(key, &back), 0);
	assert_int_equal(back.recipe_crc, k.recipe_crc);
	assert_string_equal(back.version, "6.12.117");
}

static void test_labels(void **state)
{
	char buf[KRECIPE_LABEL_MAX];

	kernel_recipe__label(KCONFIG_LEAN, 0, buf, sizeof(buf));
	assert_string_equal(buf, "lean");
	kernel_recipe__label(KCONFIG_FULL, 0, buf, sizeof(buf));
	assert_string_equal(buf, "full");
	kernel_recipe__label(KCONFIG_FULL, 1, buf, sizeof(buf));
	assert_string_equal(buf, "full+1 fragment");
	kernel_recipe__label(KCONFIG_LEAN, KRECIPE_USER_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "lean+8 fragments");
}

static void put(const char *path, const char *text, size_t len)
{
	assert_int_equal(fsutil__write(path, text, len), 0);
}

static void test_fragment_files(void **state)
{
	char dir[] = "/tmp/ktstr-test-krecipe-XXXXXX";
	char good[PATH_MAX], bad[PATH_MAX], missing[PATH_MAX], big[PATH_MAX], want[PATH_MAX * 2];
	char real[PATH_MAX], err[512];
	struct kconfig_frag frags[1 + KRECIPE_USER_MAX];
	struct krecipe r;
	char *huge;

	assert_non_null(mkdtemp(dir));
	fsutil__fmt(good, sizeof(good), "%s/net.config", dir);
	fsutil__fmt(bad, sizeof(bad), "%s/bad.config", dir);
	fsutil__fmt(missing, sizeof(missing), "%s/missing.config", dir);
	fsutil__fmt(big, sizeof(big), "%s/big.config", dir);
	put(good, net, strlen(net));
	put(bad, "CONFIG_A=y\n\nCONFIG_B is on\n", 27);
	kernel_recipe__init(&r, KCONFIG_FULL);

	/* missing, a directory, a bad line, too large: each names the file (and line) */
	assert_int_equal(kernel_recipe__add_file(&r, missing, err, sizeof(err)), -ENOENT);
	fsutil__fmt(want, sizeof(want), "%s: cannot read it: No such file or directory", missing);
	assert_string_equal(err, want);
	assert_int_equal(kernel_recipe__add_file(&r, dir, err, sizeof(err)), -EISDIR);
	assert_non_null(strstr(err, dir));
	assert_int_equal(kernel_recipe__add_file(&r, bad, err, sizeof(err)), -EINVAL);
	fsutil__fmt(want, sizeof(want), "%s:3: no '=' right after the option's name: "
		    "'CONFIG_B is on'", bad);
	assert_string_equal(err, want);
	huge = malloc(KRECIPE_FRAG_MAX_BYTES + 1);
	assert_non_null(huge);
	memset(huge, '#', KRECIPE_FRAG_MAX_BYTES + 1);
	put(big, huge, KRECIPE_FRAG_MAX_BYTES + 1);
	free(huge);
	assert_int_equal(kernel_recipe__add_file(&r, big, err, sizeof(err)), -EFBIG);
	assert_non_null(strstr(err, "larger than 1024 KiB"));
	assert_int_equal(r.nuser, 0);

	/* a good one: its absolute path, its CRC, its text */
	assert_int_equal(kernel_recipe__add_file(&r, good, err, sizeof(err)), 0);
	assert_int_equal(r.nuser, 1);
	assert_non_null(realpath(good, real));
	assert_string_equal(r.user[0].path, real);
	assert_string_equal(r.user[0].name, good);
	assert_int_equal(r.user[0].crc, kernel_config__crc(net, strlen(net)));
	assert_int_equal(r.user[0].len, strlen(net));

	/* up to KRECIPE_USER_MAX, then -E2BIG */
	for (size_t i = 1; i < KRECIPE_USER_MAX; i++)
		assert_int_equal(kernel_recipe__add_file(&r, good, err, sizeof(err)), 0);
	assert_int_equal(kernel_recipe__add_file(&r, good, err, sizeof(err)), -E2BIG);
	assert_non_null(strstr(err, "at most 8"));
	assert_int_equal(kernel_recipe__add_text(&r, "x", net, strlen(net), err, sizeof(err)),
			 -E2BIG);

	/* merge order: ktstr's first, then the user's as given */
	assert_int_equal(kernel_recipe__frags(&r, frags), 1 + KRECIPE_USER_MAX);
	assert_string_equal(frags[0].name, "ktstr.kconfig");
	assert_string_equal(frags[1].name, good);
	assert_memory_equal(frags[1].text, net, strlen(net));
	kernel_recipe__free(&r);
	assert_int_equal(r.nuser, 0);
	assert_int_equal(fsutil__rm_rf(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bases),
		cmocka_unit_test(test_recipe_crc),
		cmocka_unit_test(test_key_shape),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_fragment_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
