// SPDX-License-Identifier: GPL-2.0
/* Diagnostics, did-you-mean, the arena and the JSON writer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/json_out.h"

/* Render @d with diag__print into a malloc'd string. */
static char *render(const struct diag_list *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	diag__print(d, f);
	fclose(f);
	return buf;
}

static void test_diag_format(void **state)
{
	struct diag_list d = { 0 };
	char *out;

	diag__add(&d, (struct src_loc){ "a.yaml", 3, 7 }, "unknown key '%s'", "duraton");
	diag__add(&d, (struct src_loc){ "b.yaml", 0, 0 }, "cannot read: %s", "No such file");
	diag__add(&d, (struct src_loc){ NULL, 1, 1 }, "x");
	assert_int_equal(d.n, 3);
	out = render(&d);
	assert_string_equal(out, "a.yaml:3:7: unknown key 'duraton'\n"
				 "b.yaml: cannot read: No such file\n"
				 "<input>:1:1: x\n");
	free(out);
	diag__free(&d);
	assert_int_equal(d.n, 0);
	assert_null(d.items);
}

static void test_diag_cap(void **state)
{
	struct diag_list d = { .max = 2 };
	char *out;

	for (int i = 0; i < 5; i++)
		diag__add(&d, (struct src_loc){ "f", (uint32_t)i + 1, 1 }, "e%d", i);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.dropped, 3);
	out = render(&d);
	assert_non_null(strstr(out, "(3 more errors not shown)"));
	free(out);
	diag__free(&d);
}

static void test_suggest(void **state)
{
	static const char *const keys[] = { "duration", "description", "workers", "topology",
					    "max_gap", "max_spread" };
	const size_t n = sizeof(keys) / sizeof(keys[0]);

	assert_string_equal(diag__suggest("duraton", keys, n), "duration");
	assert_string_equal(diag__suggest("wokrers", keys, n), "workers"); /* transposition */
	assert_string_equal(diag__suggest("max-gap", keys, n), "max_gap");
	assert_string_equal(diag__suggest("topolgy", keys, n), "topology");
	assert_null(diag__suggest("zzzzzz", keys, n));
	assert_null(diag__suggest("x", keys, n));
	assert_null(diag__suggest("duration", keys, 0));
}

static void test_arena(void **state)
{
	struct arena a = { 0 };
	char *s = arena__strdup(&a, "hello");
	int *big = arena__calloc(&a, 100000, sizeof(int));
	int *arr = arena__calloc(&a, 4, sizeof(int));

	assert_string_equal(s, "hello");
	assert_non_null(big);
	assert_int_equal(big[99999], 0);	/* zeroed, even past one chunk */
	for (int i = 0; i < 4; i++)
		arr[i] = i + 1;
	int *grown = arena__grow(&a, arr, 4, 8, sizeof(int));

	assert_int_equal(grown[3], 4);
	assert_int_equal(grown[7], 0);
	assert_int_equal((uintptr_t)arena__alloc(&a, 1) % 16, 0);
	assert_null(arena__calloc(&a, SIZE_MAX / 2, 4));	/* overflow, not a tiny block */
	assert_string_equal(arena__strndup(&a, "abcdef", 3), "abc");
	arena__free(&a);
	assert_null(a.head);
}

static void test_json(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json_out j;

	json_out__init(&j, f);
	json_out__object_begin(&j);
	json_out__key(&j, "name");
	json_out__string(&j, "a\"b\\c\n\x01");
	json_out__key(&j, "n");
	json_out__u64(&j, 42);
	json_out__key(&j, "neg");
	json_out__i64(&j, -3);
	json_out__key(&j, "x");
	json_out__double(&j, 0.5);
	json_out__key(&j, "nan");
	json_out__double(&j, NAN);
	json_out__key(&j, "list");
	json_out__array_begin(&j);
	json_out__bool(&j, true);
	json_out__null(&j);
	json_out__string(&j, NULL);
	json_out__array_end(&j);
	json_out__key(&j, "empty");
	json_out__object_begin(&j);
	json_out__object_end(&j);
	json_out__object_end(&j);
	json_out__newline(&j);
	json_out__array_begin(&j);
	json_out__array_end(&j);
	json_out__newline(&j);
	fclose(f);
	assert_string_equal(buf, "{\"name\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":42,\"neg\":-3,\"x\":0.5,"
				 "\"nan\":null,\"list\":[true,null,null],\"empty\":{}}\n[]\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag_format),
		cmocka_unit_test(test_diag_cap),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
