// SPDX-License-Identifier: GPL-2.0
/* The embedded config fragment: its CRC, merging, and verifying .config files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

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

static int verify(const char *config, struct kconfig_check *c)
{
	return kernel_config__verify(frag, strlen(frag), config, strlen(config), c);
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
	assert_non_null(strstr(out, "  CONFIG_SCHED_CLASS_EXT: want y, got absent\n    hint: "));
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
	char *m = kernel_config__merge(base, strlen(base), frag, strlen(frag), &len);

	assert_non_null(m);
	assert_int_equal(strlen(m), len);
	assert_non_null(strstr(m, "CONFIG_FOO=y\n"));
	assert_non_null(strstr(m, "# CONFIG_BAR is not set\n"));
	assert_null(strstr(m, "CONFIG_MODULES=y"));
	assert_null(strstr(m, "CONFIG_NR_CPUS=8"));
	assert_null(strstr(m, "# CONFIG_BPF is not set"));
	assert_non_null(strstr(m, frag));
	assert_int_equal(verify(m, &c), 0);
	kconfig_check__free(&c);
	free(m);

	/* the real fragment into an empty .config verifies against itself */
	{
		size_t flen;
		const char *real = kernel_config__fragment(&flen);

		m = kernel_config__merge("", 0, real, flen, &len);
		assert_non_null(m);
		assert_int_equal(kernel_config__verify(real, flen, m, len, &c), 0);
		assert_true(c.checked > 50);
		kconfig_check__free(&c);
		free(m);
	}
}

static void test_hints(void **state)
{
	assert_non_null(strstr(kernel_config__hint("CONFIG_DEBUG_INFO_BTF"), "pahole"));
	assert_non_null(strstr(kernel_config__hint("CONFIG_NO_SUCH_THING"), "menuconfig"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_is_the_file),
		cmocka_unit_test(test_verify_good),
		cmocka_unit_test(test_verify_missing_named),
		cmocka_unit_test(test_verify_not_set_but_set),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_hints),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
