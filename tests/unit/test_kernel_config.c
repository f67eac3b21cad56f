// SPDX-License-Identifier: GPL-2.0
/* Kconfig fragments: the embedded one, CRCs, line checks, merging, verifying .config files. */
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

#include "base/fsutil.h"
#include "kernel/kernel_config.h"

/* A made-up fragment: two options on, one value, two off. */
static const char frag[] =
	"# a comment\n"
	"CONFIG_BPF=y\n"
	"CONFIG_SCHED_CLASS_EXT=y\n"
	"CONFIG_NR_CPUS=64\n"
	"\n"
	"# CONFIG_MODULES is not set\n"
	"# CONFIG_PSI is not set\n";

static const struct kconfig_frag one = { "t.kconfig", frag, sizeof(frag) - 1 };

static int verify(const char *config, struct kconfig_check *c)
{
	return kernel_config__verify(&one, 1, config, strlen(config), c);
}

static void test_embedded_is_the_file(void **state)
{
	const char *src = getenv("KTSTR_SRCDIR");
	char path[PATH_MAX];
	size_t len, elen;
	const char *embedded = kernel_config__fragment(&elen);
	char *file;

	assert_non_null(src);
	fsutil__fmt(path, sizeof(path), "%s/lib/kernel/ktstr.kconfig", src);
	assert_int_equal(fsutil__read(path, 1 << 20, &file, &len), 0);
	assert_int_equal(elen, len);
	assert_memory_equal(embedded, file, len);
	assert_int_equal(embedded[elen], '\0');
	assert_int_equal(kernel_config__fragment_crc(), kernel_config__crc(file, len));
	assert_string_equal(kernel_config__ktstr().name, "ktstr.kconfig");
	assert_ptr_equal(kernel_config__ktstr().text, embedded);
	assert_int_equal(kernel_config__ktstr().len, elen);
	/* the lean base relies on these: allnoconfig turns them off */
	assert_non_null(strstr(file, "\nCONFIG_64BIT=y\n"));
	assert_non_null(strstr(file, "\nCONFIG_PCI=y\n"));
	/* ktstr's own fragment passes the check users' fragments must pass */
	{
		struct kconfig_frag k = kernel_config__ktstr();
		char err[256] = "";

		assert_int_equal(kernel_config__check_fragment(&k, err, sizeof(err)), 0);
	}
	/* the options the issue requires are in it */
	assert_non_null(strstr(file, "\nCONFIG_SCHED_CLASS_EXT=y\n"));
	assert_non_null(strstr(file, "\nCONFIG_DEBUG_INFO_BTF=y\n"));
	assert_non_null(strstr(file, "\n# CONFIG_MODULES is not set\n"));
	assert_non_null(strstr(file, "\nCONFIG_PVH=y\n"));
	free(file);
}

static void test_verify_good(void **state)
{
	struct kconfig_check c;

	assert_int_equal(verify("CONFIG_BPF=y\nCONFIG_SCHED_CLASS_EXT=y\nCONFIG_NR_CPUS=64\n"
				"# CONFIG_MODULES is not set\nCONFIG_OTHER=m\n", &c), 0);
	assert_int_equal(c.checked, 5);	/* PSI absent: fine */
	kconfig_check__free(&c);
	/* CRLF line ends and trailing blanks do not matter */
	assert_int_equal(verify("CONFIG_BPF=y\r\nCONFIG_SCHED_CLASS_EXT=y  \nCONFIG_NR_CPUS=64\n",
				&c), 0);
	kconfig_check__free(&c);
}

static void test_verify_missing_named(void **state)
{
	struct kconfig_check c;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(verify("CONFIG_BPF=y\nCONFIG_NR_CPUS=64\n", &c), 1);
	assert_string_equal(c.items[0].name, "CONFIG_SCHED_CLASS_EXT");
	assert_string_equal(c.items[0].want, "y");
	assert_string_equal(c.items[0].got, "absent");
	assert_non_null(strstr(c.items[0].hint, "DEBUG_INFO_BTF"));
	f = open_memstream(&out, &len);
	kconfig_check__print(&c, f);
	fclose(f);
	assert_string_equal(c.items[0].from, "t.kconfig");
	assert_int_equal(c.items[0].line, 3);
	assert_non_null(strstr(out, "  CONFIG_SCHED_CLASS_EXT: want y, got absent (t.kconfig:3)\n"
				"    hint: "));
	free(out);
	kconfig_check__free(&c);

	/* "is not set", another value, and the last assignment winning */
	assert_int_equal(verify("# CONFIG_BPF is not set\nCONFIG_SCHED_CLASS_EXT=m\n"
				"CONFIG_NR_CPUS=64\nCONFIG_NR_CPUS=8\n", &c), 3);
	assert_string_equal(c.items[0].name, "CONFIG_BPF");
	assert_string_equal(c.items[0].got, "not set");
	assert_string_equal(c.items[1].got, "m");
	assert_string_equal(c.items[2].name, "CONFIG_NR_CPUS");
	assert_string_equal(c.items[2].want, "64");
	assert_string_equal(c.items[2].got, "8");
	kconfig_check__free(&c);

	/* a prefix is not the option: CONFIG_BPF_JIT=y does not satisfy CONFIG_BPF=y */
	assert_int_equal(verify("CONFIG_BPF_JIT=y\nCONFIG_SCHED_CLASS_EXT=y\nCONFIG_NR_CPUS=64\n",
				&c), 1);
	assert_string_equal(c.items[0].name, "CONFIG_BPF");
	kconfig_check__free(&c);
}

static void test_verify_not_set_but_set(void **state)
{
	struct kconfig_check c;

	assert_int_equal(verify("CONFIG_BPF=y\nCONFIG_SCHED_CLASS_EXT=y\nCONFIG_NR_CPUS=64\n"
				"CONFIG_MODULES=y\nCONFIG_PSI=n\n", &c), 1);
	assert_string_equal(c.items[0].name, "CONFIG_MODULES");
	assert_string_equal(c.items[0].want, "not set");
	assert_string_equal(c.items[0].got, "y");
	assert_non_null(c.items[0].hint);
	kconfig_check__free(&c);
}

static void test_merge(void **state)
{
	static const char base[] =
		"CONFIG_FOO=y\n"
		"# CONFIG_BPF is not set\n"
		"CONFIG_MODULES=y\n"
		"CONFIG_NR_CPUS=8\n"
		"# CONFIG_BAR is not set";	/* no final newline */
	struct kconfig_check c;
	size_t len;
	char *m = kernel_config__merge(base, strlen(base), &one, &len);

	assert_non_null(m);
	assert_int_equal(strlen(m), len);
	assert_non_null(strstr(m, "CONFIG_FOO=y\n"));
	assert_non_null(strstr(m, "# CONFIG_BAR is not set\n"));
	assert_null(strstr(m, "CONFIG_MODULES=y"));
	assert_null(strstr(m, "CONFIG_NR_CPUS=8"));
	assert_null(strstr(m, "# CONFIG_BPF is not set"));
	assert_non_null(strstr(m, "\n# -- ktstr: t.kconfig --\n"));
	assert_non_null(strstr(m, frag));
	assert_int_equal(verify(m, &c), 0);
	kconfig_check__free(&c);
	free(m);

	/* the real fragment into an empty .config verifies against itself */
	{
		struct kconfig_frag real = kernel_config__ktstr();

		m = kernel_config__merge("", 0, &real, &len);
		assert_non_null(m);
		assert_int_equal(kernel_config__verify(&real, 1, m, len, &c), 0);
		assert_true(c.checked > 50);
		kconfig_check__free(&c);
		free(m);
	}
}

/* Two fragments: the lost line is named by fragment and line; a later line wins. */
static void test_verify_fragments(void **state)
{
	static const char mine[] =
		"# mine\n"
		"CONFIG_NR_CPUS=512\n"		/* overrides t.kconfig's 64 */
		"CONFIG_MINE=y\n"
		"# CONFIG_BPF is not set\n"		/* overrides t.kconfig's y */
		"CONFIG_TWICE=1\n"
		"CONFIG_TWICE=2\n";			/* the last one counts */
	static const char good[] = "CONFIG_SCHED_CLASS_EXT=y\nCONFIG_NR_CPUS=512\n"
				   "CONFIG_MINE=y\nCONFIG_TWICE=2\n";
	static const char lost[] = "CONFIG_NR_CPUS=512\nCONFIG_TWICE=2\n";
	const struct kconfig_frag two[] = { one, { "/home/u/mine.config", mine, strlen(mine) } };
	struct kconfig_check c;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	/* everything as merged: good, and the overridden lines are not checked */
	assert_int_equal(kernel_config__verify(two, 2, good, strlen(good), &c), 0);
	assert_int_equal(c.checked, 7);	/* 5 + 5 lines, 3 of them set again later */
	kconfig_check__free(&c);

	/* the user's option lost, and ktstr's: each named by its fragment and line */
	assert_int_equal(kernel_config__verify(two, 2, lost, strlen(lost), &c), 2);
	assert_string_equal(c.items[0].name, "CONFIG_SCHED_CLASS_EXT");
	assert_string_equal(c.items[0].from, "t.kconfig");
	assert_int_equal(c.items[0].line, 3);
	assert_string_equal(c.items[1].name, "CONFIG_MINE");
	assert_string_equal(c.items[1].from, "/home/u/mine.config");
	assert_int_equal(c.items[1].line, 3);
	f = open_memstream(&out, &len);
	kconfig_check__print(&c, f);
	fclose(f);
	assert_non_null(strstr(out, "  CONFIG_MINE: want y, got absent (/home/u/mine.config:3)\n"));
	free(out);
	kconfig_check__free(&c);

	/* the overrides are said, with both places */
	out = NULL;
	f = open_memstream(&out, &len);
	assert_int_equal(kernel_config__overrides(two, 2, f), 3);
	fclose(f);
	assert_non_null(strstr(out, "/home/u/mine.config:2: CONFIG_NR_CPUS=512 overrides "
				"t.kconfig:4 (64)\n"));
	assert_non_null(strstr(out, "/home/u/mine.config:4: CONFIG_BPF=not set overrides "
				"t.kconfig:2 (y)\n"));
	assert_non_null(strstr(out, "/home/u/mine.config:6: CONFIG_TWICE=2 overrides "
				"/home/u/mine.config:5 (1)\n"));
	free(out);

	/* merged one after the other, the .config holds each option once, the last value */
	{
		size_t l1, l2;
		char *m1 = kernel_config__merge("CONFIG_NR_CPUS=8\n", 17, &two[0], &l1);
		char *m2 = kernel_config__merge(m1, l1, &two[1], &l2);

		assert_non_null(strstr(m2, "# -- ktstr: /home/u/mine.config --\n"));
		assert_null(strstr(m2, "CONFIG_NR_CPUS=64"));
		assert_null(strstr(m2, "CONFIG_NR_CPUS=8"));
		assert_null(strstr(m2, "CONFIG_BPF=y"));
		assert_non_null(strstr(m2, "CONFIG_NR_CPUS=512"));
		assert_int_equal(kernel_config__verify(two, 2, m2, l2, &c), 0);
		kconfig_check__free(&c);
		free(m1);
		free(m2);
	}
}

static int check(const char *text, char *err, size_t cap)
{
	struct kconfig_frag f = { "my.config", text, strlen(text) };

	err[0] = '\0';
	return kernel_config__check_fragment(&f, err, cap);
}

static void test_check_fragment(void **state)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "CONFIG_A=y\nCONFIG_B = y\n",
		  "my.config:2: no '=' right after the option's name: 'CONFIG_B = y'" },
		{ "# ok\n\n  CONFIG_A=y\n",
		  "my.config:3: starts with a blank, and Kconfig reads an option only from the "
		  "first column: '  CONFIG_A=y'" },
		{ "CONFIG_A=y\nA=y\n", "my.config:2: not CONFIG_X=value, # CONFIG_X is not set, "
		  "a comment or a blank line: 'A=y'" },
		{ "CONFIG_A=\n", "my.config:1: no value after '=': 'CONFIG_A='" },
		{ "CONFIG_=y\n", "my.config:1: not CONFIG_X=value" },
		{ "\tCONFIG_A=y\n", "my.config:1: starts with a blank" },
		{ "CONFIG_N=512 \n", "my.config:1: a blank at the end, which Kconfig does not "
		  "strip" },
		{ "# CONFIG_A is not set\t\r\n", "my.config:1: a blank at the end" },
		{ "# only comments\n\n#CONFIG_A is not set\n", "my.config: sets no option" },
		{ "", "my.config: sets no option" },
	};
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (check(bad[i].text, err, sizeof(err)) != -EINVAL)
			fail_msg("case %zu: accepted", i);
		if (!strstr(err, bad[i].why))
			fail_msg("case %zu: '%s' does not say '%s'", i, err, bad[i].why);
	}
	/* a long line is cut in the message */
	{
		char line[200];

		memset(line, 'x', sizeof(line) - 2);
		line[sizeof(line) - 2] = '\n';
		line[sizeof(line) - 1] = '\0';
		assert_int_equal(check(line, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "xxx...'"));
	}
	/* a NUL byte */
	{
		struct kconfig_frag f = { "my.config", "CONFIG_A=y\n\0\n", 13 };

		assert_int_equal(kernel_config__check_fragment(&f, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, "my.config:2: holds a NUL byte; a fragment is text");
	}
	/* good: comments (trailing blanks too), blank lines, CRLF, strings, not set */
	assert_int_equal(check("# c  \n\n   \nCONFIG_A=y\r\nCONFIG_S=\"a b\"\n"
			       "# CONFIG_B is not set\n#CONFIG_C is not set, a comment\n"
			       "CONFIG_N=0x10", err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

static void test_hints(void **state)
{
	assert_non_null(strstr(kernel_config__hint("CONFIG_DEBUG_INFO_BTF", "y"), "pahole"));
	assert_non_null(strstr(kernel_config__hint("CONFIG_DEBUG_INFO_BTF", "y"), "1.21"));
	assert_non_null(strstr(kernel_config__hint("CONFIG_NO_HZ_FULL", "y"), "SMP"));
	assert_non_null(strstr(kernel_config__hint("CONFIG_X86_64_ACPI_NUMA", "y"), "PCI"));
	assert_null(strstr(kernel_config__hint("CONFIG_X86_64_ACPI_NUMA", "y"), "defconfig"));
	assert_null(strstr(kernel_config__hint("CONFIG_ACPI_NUMA", "y"), "defconfig"));
	assert_non_null(strstr(kernel_config__hint("CONFIG_NO_SUCH_THING", "y"), "menuconfig"));
	assert_non_null(strstr(kernel_config__hint("CONFIG_NO_SUCH_THING", "m"), "MODULES"));
	assert_non_null(strstr(kernel_config__hint("CONFIG_NO_SUCH_THING", "not set"),
			       "Selected by"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_is_the_file),
		cmocka_unit_test(test_verify_good),
		cmocka_unit_test(test_verify_missing_named),
		cmocka_unit_test(test_verify_not_set_but_set),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_verify_fragments),
		cmocka_unit_test(test_check_fragment),
		cmocka_unit_test(test_hints),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
