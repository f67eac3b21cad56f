// SPDX-License-Identifier: GPL-2.0
/* Unit parsers: every accepted form, every rejected one, overflow, messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "base/units.h"

static char err[256];

static uint64_t dur_ok(const char *s)
{
	uint64_t ns = 12345;

	err[0] = '\0';
	assert_int_equal(units__parse_duration(s, &ns, err, sizeof(err)), 0);
	return ns;
}

static int dur_bad(const char *s)
{
	uint64_t ns = 777;
	int ret;

	err[0] = '\0';
	ret = units__parse_duration(s, &ns, err, sizeof(err));
	assert_true(ret < 0);
	assert_int_equal(ns, 777);	/* untouched on error */
	assert_true(err[0] != '\0');
	return ret;
}

static void test_duration_units(void **state)
{
	assert_int_equal(dur_ok("10ns"), 10);
	assert_int_equal(dur_ok("250us"), 250000);
	assert_int_equal(dur_ok("500ms"), 500000000ULL);
	assert_int_equal(dur_ok("2s"), 2000000000ULL);
	assert_int_equal(dur_ok("1.5s"), 1500000000ULL);
	assert_int_equal(dur_ok("2m"), 120000000000ULL);
	assert_int_equal(dur_ok("0.25ms"), 250000);
	assert_int_equal(dur_ok("0.000000001s"), 1);
	assert_int_equal(dur_ok("1.50000000000000000000s"), 1500000000ULL);
	assert_int_equal(dur_ok("0"), 0);
	assert_int_equal(dur_ok("0.0"), 0);
	assert_int_equal(dur_ok("0ms"), 0);
	assert_int_equal(dur_ok("007ms"), 7000000);
}

static void test_duration_errors(void **state)
{
	assert_int_equal(dur_bad("5"), -EINVAL);
	assert_string_equal(err, "bad duration '5': add a unit (ns, us, ms, s, m), e.g. 5s");
	assert_int_equal(dur_bad("5x"), -EINVAL);
	assert_string_equal(err, "bad duration '5x': unknown unit 'x' (use ns, us, ms, s, m)");
	assert_int_equal(dur_bad("-5s"), -EINVAL);
	assert_string_equal(err, "bad duration '-5s': a duration cannot be negative");
	assert_int_equal(dur_bad(""), -EINVAL);
	assert_string_equal(err,
			    "bad duration '': expected a number with a unit (ns, us, ms, s, m), e.g. 500ms");
	assert_int_equal(dur_bad("1.5ns"), -EINVAL);
	assert_string_equal(err, "bad duration '1.5ns': not a whole number of nanoseconds");
	dur_bad("abc");
	dur_bad("s");
	dur_bad(" 5s");
	dur_bad("5s ");
	dur_bad("5 s");
	dur_bad("+5s");
	dur_bad("1e3ms");
	dur_bad("0x10s");
	dur_bad(".5s");
	dur_bad("5.s");
	dur_bad("5S");
	dur_bad("5sec");
	dur_bad("5ms5");
	dur_bad("1h");
	dur_bad("1.0000000000000000001s");	/* a sub-nanosecond digit */
}

static void test_duration_overflow(void **state)
{
	/* A day is the most: every time derived from a duration stays small. */
	assert_int_equal(dur_ok("86400s"), 86400ULL * 1000000000ULL);
	assert_int_equal(dur_ok("1440m"), 86400ULL * 1000000000ULL);
	assert_int_equal(dur_bad("86400.000000001s"), -ERANGE);
	assert_string_equal(err, "duration '86400.000000001s' is too long: at most a day (86400s)");
	/* The VM timeout (60 s + this) once wrapped in 32-bit milliseconds. */
	assert_int_equal(dur_bad("4294908s"), -ERANGE);
	assert_int_equal(dur_bad("18446744073709551615ns"), -ERANGE);
	/* UINT64_MAX ns is 18446744073709551615; one more does not even fit. */
	assert_int_equal(dur_bad("18446744073709551616ns"), -ERANGE);
	assert_string_equal(err, "duration '18446744073709551616ns' is too long: at most a day (86400s)");
	assert_int_equal(dur_bad("18446744074s"), -ERANGE);
	assert_int_equal(dur_bad("307445734562m"), -ERANGE);
	assert_int_equal(dur_bad("99999999999999999999999999999999999999s"), -ERANGE);
	/* Integer part fits, fraction pushes it over. */
	assert_int_equal(dur_bad("18446744073.709551616s"), -ERANGE);
	/* Long inputs are cut in messages. */
	char big[200];

	memset(big, '9', sizeof(big) - 2);
	big[sizeof(big) - 2] = 's';
	big[sizeof(big) - 1] = '\0';
	dur_bad(big);
	assert_non_null(strstr(err, "...'"));
	assert_true(strlen(err) < 100);
}

static void test_percent(void **state)
{
	double p = -1;

	assert_int_equal(units__parse_percent("15%", &p, err, sizeof(err)), 0);
	assert_true(p == 15.0);
	assert_int_equal(units__parse_percent("2.5%", &p, err, sizeof(err)), 0);
	assert_true(p == 2.5);
	assert_int_equal(units__parse_percent("0%", &p, err, sizeof(err)), 0);
	assert_true(p == 0.0);
	assert_int_equal(units__parse_percent("150%", &p, err, sizeof(err)), 0);
	assert_true(p == 150.0);

	assert_int_equal(units__parse_percent("15", &p, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad percentage '15': add '%', e.g. 15%");
	assert_int_equal(units__parse_percent("-5%", &p, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_percent("%", &p, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_percent("15%%", &p, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_percent("15 %", &p, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_percent("abc%", &p, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad percentage 'abc%': expected a number followed by %, e.g. 15%");
	assert_int_equal(units__parse_percent("99999999999999999999999%", &p, err, sizeof(err)),
			 -ERANGE);
	assert_true(p == 150.0);	/* untouched */
}

static void test_fraction(void **state)
{
	double f = -1;

	assert_int_equal(units__parse_fraction("0.25", &f, err, sizeof(err)), 0);
	assert_true(f == 0.25);
	assert_int_equal(units__parse_fraction("1/4", &f, err, sizeof(err)), 0);
	assert_true(f == 0.25);
	assert_int_equal(units__parse_fraction("1", &f, err, sizeof(err)), 0);
	assert_true(f == 1.0);
	assert_int_equal(units__parse_fraction("0", &f, err, sizeof(err)), 0);
	assert_true(f == 0.0);
	assert_int_equal(units__parse_fraction("1/3", &f, err, sizeof(err)), 0);
	assert_true(f == 1.0 / 3.0);
	assert_int_equal(units__parse_fraction("3/3", &f, err, sizeof(err)), 0);
	assert_true(f == 1.0);

	assert_int_equal(units__parse_fraction("1.5", &f, err, sizeof(err)), -ERANGE);
	assert_string_equal(err, "fraction '1.5' must be between 0 and 1");
	assert_int_equal(units__parse_fraction("3/2", &f, err, sizeof(err)), -ERANGE);
	assert_int_equal(units__parse_fraction("1/0", &f, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad fraction '1/0': the denominator must not be 0");
	assert_int_equal(units__parse_fraction("-0.5", &f, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_fraction("abc", &f, err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "bad fraction 'abc': expected a number between 0 and 1 such as 0.25, or a ratio such as 1/4");
	assert_int_equal(units__parse_fraction("1e-1", &f, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_fraction("0.5/1", &f, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_fraction("1/2/3", &f, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_fraction("1/", &f, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_fraction("/2", &f, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_fraction("", &f, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_fraction("50%", &f, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_fraction("99999999999999999999999/1", &f, err, sizeof(err)),
			 -ERANGE);
	assert_int_equal(units__parse_fraction("1/99999999999999999999999", &f, err, sizeof(err)),
			 -ERANGE);
	assert_true(f == 1.0);	/* untouched */
}

static void test_size(void **state)
{
	uint64_t b = 0;

	assert_int_equal(units__parse_size("32KiB", &b, err, sizeof(err)), 0);
	assert_int_equal(b, 32768);
	assert_int_equal(units__parse_size("4MiB", &b, err, sizeof(err)), 0);
	assert_int_equal(b, 4ULL << 20);
	assert_int_equal(units__parse_size("1GiB", &b, err, sizeof(err)), 0);
	assert_int_equal(b, 1ULL << 30);
	assert_int_equal(units__parse_size("512B", &b, err, sizeof(err)), 0);
	assert_int_equal(b, 512);
	assert_int_equal(units__parse_size("2TiB", &b, err, sizeof(err)), 0);
	assert_int_equal(b, 2ULL << 40);
	assert_int_equal(units__parse_size("1.5KiB", &b, err, sizeof(err)), 0);
	assert_int_equal(b, 1536);

	assert_int_equal(units__parse_size("32", &b, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad size '32': add a unit (B, KiB, MiB, GiB, TiB), e.g. 32KiB");
	assert_int_equal(units__parse_size("32KB", &b, err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "bad size '32KB': unknown unit 'KB'; did you mean 'KiB'? (sizes use B, KiB, MiB, GiB, TiB)");
	assert_int_equal(units__parse_size("4M", &b, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "did you mean 'MiB'?"));
	assert_int_equal(units__parse_size("4x", &b, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad size '4x': unknown unit 'x' (use B, KiB, MiB, GiB, TiB)");
	assert_int_equal(units__parse_size("1.5B", &b, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad size '1.5B': not a whole number of bytes");
	assert_int_equal(units__parse_size("-1KiB", &b, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_size("KiB", &b, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_size("", &b, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_size("16777216TiB", &b, err, sizeof(err)), -ERANGE);
	assert_string_equal(err, "size '16777216TiB' is too large");
	assert_int_equal(units__parse_size("16777215TiB", &b, err, sizeof(err)), 0);
	assert_int_equal(b, 16777215ULL << 40);
}

static void test_int(void **state)
{
	int64_t v = 0;

	assert_int_equal(units__parse_int("42", 0, 100, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 42);
	assert_int_equal(units__parse_int("-20", -20, 19, &v, err, sizeof(err)), 0);
	assert_int_equal(v, -20);
	assert_int_equal(units__parse_int("+7", 0, 10, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 7);
	assert_int_equal(units__parse_int("9223372036854775807", INT64_MIN, INT64_MAX, &v, err,
					  sizeof(err)), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(units__parse_int("-9223372036854775808", INT64_MIN, INT64_MAX, &v, err,
					  sizeof(err)), 0);
	assert_true(v == INT64_MIN);

	assert_int_equal(units__parse_int("9223372036854775808", INT64_MIN, INT64_MAX, &v, err,
					  sizeof(err)), -ERANGE);
	assert_int_equal(units__parse_int("-9223372036854775809", INT64_MIN, INT64_MAX, &v, err,
					  sizeof(err)), -ERANGE);
	assert_int_equal(units__parse_int("101", 0, 100, &v, err, sizeof(err)), -ERANGE);
	assert_string_equal(err, "101 is out of range (0..100)");
	assert_int_equal(units__parse_int("two", 0, 100, &v, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "expected an integer, got 'two'");
	assert_int_equal(units__parse_int("1.0", 0, 100, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_int("", 0, 100, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_int("-", 0, 100, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_int("0x10", 0, 100, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_int(" 5", 0, 100, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_int("5 ", 0, 100, &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_int("99999999999999999999x", 0, 100, &v, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(v, INT64_MIN);	/* untouched */
}

static void test_double(void **state)
{
	double v = 0;

	assert_int_equal(units__parse_double("0.5", &v, err, sizeof(err)), 0);
	assert_true(v == 0.5);
	assert_int_equal(units__parse_double("-2.25", &v, err, sizeof(err)), 0);
	assert_true(v == -2.25);
	assert_int_equal(units__parse_double("3", &v, err, sizeof(err)), 0);
	assert_true(v == 3.0);
	assert_int_equal(units__parse_double("0.1", &v, err, sizeof(err)), 0);
	assert_true(v == 0.1);
	assert_int_equal(units__parse_double("1e3", &v, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "expected a number, got '1e3'");
	assert_int_equal(units__parse_double("nan", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_double("inf", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_double("", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_double("1,5", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_double("0x1p3", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(units__parse_double("99999999999999999999999", &v, err, sizeof(err)),
			 -ERANGE);
	assert_true(v == 0.1);	/* untouched */
}

static void test_format_duration(void **state)
{
	char buf[32];
	static const struct { uint64_t ns; const char *s; } cases[] = {
		{ 2000000000ULL, "2s" },
		{ 1500000000ULL, "1.5s" },
		{ 500000000ULL, "500ms" },
		{ 250000ULL, "250us" },
		{ 10ULL, "10ns" },
		{ 120000000000ULL, "2m" },
		{ 90000000000ULL, "90s" },
		{ 1250000ULL, "1.25ms" },
		{ 1001000000ULL, "1.001s" },
		{ 1000000001ULL, "1000000001ns" },
		{ 0, "0ns" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t back;

		units__format_duration(cases[i].ns, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].s);
		/* What it prints parses back to the same value. */
		assert_int_equal(units__parse_duration(buf, &back, err, sizeof(err)), 0);
		assert_int_equal(back, cases[i].ns);
	}
	units__format_duration(UINT64_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "18446744073709551615ns");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration_units),
		cmocka_unit_test(test_duration_errors),
		cmocka_unit_test(test_duration_overflow),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_fraction),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_double),
		cmocka_unit_test(test_format_duration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
