// SPDX-License-Identifier: GPL-2.0
/*
 * Count expressions (lib/scenario/count_expr.h): the topology's variables,
 * precedence and associativity, min and max, division rounding down,
 * overflow and division by zero, and parse errors with their positions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenario/count_expr.h"
#include "scenario/karg_expand.h"

static struct arena arena;

static int teardown(void **state)
{
	(void)state;
	arena__free(&arena);
	return 0;
}

/* cpus 16, usable 15, llcs 2, nodes 1, cores 8, llc_cpus 8: 1n2l4c2t. */
static struct count_vars vars_1n2l4c2t(void)
{
	struct count_vars v;

	count_vars__of(&(struct topology){ 1, 2, 4, 2 }, &v);
	return v;
}

static int64_t eval_on(const char *s, const struct count_vars *v)
{
	const struct count_expr *e;
	struct count_err err;
	char msg[96];
	int64_t out = -12345;

	if (count_expr__parse(s, &arena, &e, &err))
		fail_msg("'%s' did not parse: %s at %zu", s, err.msg, err.pos);
	if (count_expr__eval(e, v, &out, msg, sizeof(msg)))
		fail_msg("'%s' did not evaluate: %s", s, msg);
	return out;
}

static int64_t eval(const char *s)
{
	struct count_vars v = vars_1n2l4c2t();

	return eval_on(s, &v);
}

static void test_vars(void **state)
{
	struct count_vars v = vars_1n2l4c2t();
	const char *const *names = count_var__names();

	(void)state;
	assert_int_equal(v.v[COUNT_VAR_CPUS], 16);
	assert_int_equal(v.v[COUNT_VAR_USABLE], 15);	/* the last CPU is the agent's */
	assert_int_equal(v.v[COUNT_VAR_LLCS], 2);
	assert_int_equal(v.v[COUNT_VAR_NODES], 1);
	assert_int_equal(v.v[COUNT_VAR_CORES], 8);
	assert_int_equal(v.v[COUNT_VAR_LLC_CPUS], 8);
	assert_string_equal(names[COUNT_VAR_LLC_CPUS], "llc_cpus");
	/* Two CPUs or fewer: nothing is held back. */
	count_vars__of(&(struct topology){ 1, 1, 2, 1 }, &v);
	assert_int_equal(v.v[COUNT_VAR_CPUS], 2);
	assert_int_equal(v.v[COUNT_VAR_USABLE], 2);
	count_vars__of(&(struct topology){ 2, 4, 3, 2 }, &v);
	assert_int_equal(v.v[COUNT_VAR_CPUS], 24);
	assert_int_equal(v.v[COUNT_VAR_USABLE], 23);
	assert_int_equal(v.v[COUNT_VAR_NODES], 2);
	assert_int_equal(v.v[COUNT_VAR_CORES], 12);
	assert_int_equal(v.v[COUNT_VAR_LLC_CPUS], 6);
	assert_int_equal(eval_on("usable", &v), 23);
	assert_int_equal(eval_on("cpus - nodes*llc_cpus", &v), 12);
}

static void test_precedence(void **state)
{
	(void)state;
	assert_int_equal(eval("7"), 7);
	assert_int_equal(eval("2+3*4"), 14);
	assert_int_equal(eval("(2+3)*4"), 20);
	assert_int_equal(eval("2*3+4"), 10);
	assert_int_equal(eval("10-4-3"), 3);		/* left to right */
	assert_int_equal(eval("64/4/2"), 8);
	assert_int_equal(eval("12/2*3"), 18);
	assert_int_equal(eval("2*usable"), 30);
	assert_int_equal(eval(" usable / 2 "), 7);
	assert_int_equal(eval("cpus-usable"), 1);
	assert_int_equal(eval("((((cores))))"), 8);
	assert_int_equal(eval("llcs*llc_cpus"), 16);
	assert_int_equal(eval("007"), 7);
}

static void test_min_max(void **state)
{
	(void)state;
	assert_int_equal(eval("min(usable, 64)"), 15);
	assert_int_equal(eval("min(64, usable)"), 15);
	assert_int_equal(eval("max(usable, 64)"), 64);
	assert_int_equal(eval("max(1, usable-20)"), 1);
	assert_int_equal(eval("min(max(2, llcs), 3)*2"), 4);
	assert_int_equal(eval("max(min(cpus,4),min(8,cpus/2))"), 8);
	assert_int_equal(eval("min (cpus , 3)"), 3);
}

static void test_division_rounds_down(void **state)
{
	(void)state;
	assert_int_equal(eval("usable/2"), 7);		/* 15/2 */
	assert_int_equal(eval("1/2"), 0);
	assert_int_equal(eval("(1-4)/2"), -2);		/* -1.5 rounds down, not to -1 */
	assert_int_equal(eval("(0-3)/3"), -1);
	assert_int_equal(eval("3/(0-2)"), -2);
	assert_int_equal(eval("(0-4)/(0-2)"), 2);
	assert_int_equal(eval("(0-5)/(0-2)"), 2);
}

/* Parse @s: it must fail with @msg (and @hint) at byte @pos. */
static void parse_err(const char *s, size_t pos, const char *msg, const char *hint)
{
	const struct count_expr *e = NULL;
	struct count_err err;

	assert_int_equal(count_expr__parse(s, &arena, &e, &err), -EINVAL);
	assert_null(e);
	assert_string_equal(err.msg, msg);
	assert_string_equal(err.hint, hint);
	assert_int_equal(err.pos, pos);
}

static void test_parse_errors(void **state)
{
	char lng[COUNT_EXPR_MAX_LEN + 2], deep[COUNT_EXPR_MAX_DEPTH * 2 + 8];
	size_t k = 0;

	(void)state;
	parse_err("cpu/2", 0, "unknown variable 'cpu'", "; did you mean 'cpus'?");
	parse_err("2 * usabel", 4, "unknown variable 'usabel'", "; did you mean 'usable'?");
	parse_err("two", 0, "unknown variable 'two'",
		  " (a count is an integer, or an expression over cpus, usable, llcs, nodes, "
		  "cores, llc_cpus)");
	parse_err("mn(1, 2)", 0, "unknown function 'mn'", "; did you mean 'min'?");
	parse_err("sqrt(4)", 0, "unknown function 'sqrt'", " (functions: min, max)");
	parse_err("min + 1", 0, "function 'min' without its arguments", "; write min(a, b)");
	parse_err("", 0, "empty", "");
	parse_err("   ", 3, "empty", "");
	parse_err("usable-", 7, "expected a number, a variable or '(', found the end", "");
	parse_err("2usable", 1, "a name right after a number", "; write '*' to multiply, e.g. 2*usable");
	parse_err("(cpus", 5, "expected ')' to close a '(', found the end", "");
	parse_err("cpus)", 4, "expected an operator (+ - * /) or the end, found ')'", "");
	parse_err("2 3", 2, "expected an operator (+ - * /) or the end, found '3'", "");
	parse_err("-1", 0, "expected a number, a variable or '(', found '-'", "");
	parse_err("2*%", 2, "expected a number, a variable or '(', found '%'", "");
	parse_err("1.5", 1, "expected an operator (+ - * /) or the end, found '.'", "");
	parse_err("min(1)", 5, "expected ',' between the two arguments of min(a, b), found ')'", "");
	parse_err("max(1, 2, 3)", 8, "max takes two arguments", "; nest it for more: max(a, max(b, c))");
	parse_err("min(1, 2", 8, "expected ')' to close min(, found the end", "");
	parse_err("99999999999999999999", 0, "number '99999999999999999999' is too large", "");
	parse_err("cpus\x01", 4, "expected an operator (+ - * /) or the end, found byte 0x01", "");
	memset(lng, '1', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = '\0';
	parse_err(lng, 0, "too long (257 characters, at most 256)", "");
	/* 32 nested parentheses parse, 33 do not. */
	for (int i = 0; i <= COUNT_EXPR_MAX_DEPTH; i++)
		deep[k++] = '(';
	deep[k++] = '1';
	for (int i = 0; i <= COUNT_EXPR_MAX_DEPTH; i++)
		deep[k++] = ')';
	deep[k] = '\0';
	parse_err(deep, COUNT_EXPR_MAX_DEPTH + 1, "nested too deeply (at most 32 levels)", "");
	deep[0] = ' ';
	deep[k - 1] = '\0';
	assert_int_equal(eval(deep), 1);
}

static void eval_err(const char *s, int ret, const char *msg)
{
	struct count_vars v = vars_1n2l4c2t();
	const struct count_expr *e;
	struct count_err err;
	char buf[96];
	int64_t out = 42;

	assert_int_equal(count_expr__parse(s, &arena, &e, &err), 0);
	assert_int_equal(count_expr__eval(e, &v, &out, buf, sizeof(buf)), ret);
	assert_string_equal(buf, msg);
	assert_int_equal(out, 42);	/* no value on an error */
}

static void test_eval_errors(void **state)
{
	(void)state;
	eval_err("cpus/(llcs-2)", -EDOM, "divides by zero");
	eval_err("1/0", -EDOM, "divides by zero");
	eval_err("9223372036854775807+1", -ERANGE, "overflows (64-bit integers)");
	eval_err("0-9223372036854775807-2", -ERANGE, "overflows (64-bit integers)");
	eval_err("4611686018427387904*2", -ERANGE, "overflows (64-bit integers)");
	eval_err("3037000500*3037000500", -ERANGE, "overflows (64-bit integers)");
	eval_err("(0-9223372036854775807-1)/(0-1)", -ERANGE, "overflows (64-bit integers)");
	/* Largest values that fit. */
	assert_int_equal(eval("9223372036854775807"), INT64_MAX);
	assert_int_equal(eval("0-9223372036854775807-1"), INT64_MIN);
	assert_int_equal(eval("3037000499*3037000499"), 9223372030926249001LL);
}

static void test_vars_mask_and_text(void **state)
{
	const struct count_expr *e;
	struct count_err err;

	(void)state;
	assert_int_equal(count_expr__parse("min(usable, 64) + llcs", &arena, &e, &err), 0);
	assert_string_equal(e->text, "min(usable, 64) + llcs");
	assert_int_equal(e->vars, (1u << COUNT_VAR_USABLE) | (1u << COUNT_VAR_LLCS));
	assert_int_equal(count_expr__parse("2*(3+4)", &arena, &e, &err), 0);
	assert_int_equal(e->vars, 0);	/* constant: the loader evaluates it at once */
}

/* {EXPR} in kernel_args: evaluated per topology, errors named. */
static void test_karg_expand(void **state)
{
	struct topology t4 = { 1, 2, 2, 1 }, t8 = { 1, 2, 4, 1 };
	char buf[64], err[160];

	(void)state;
	assert_int_equal(karg__expand("nohz_full=1-{cpus-1}", &t4, buf, sizeof(buf), err,
				      sizeof(err)), 0);
	assert_string_equal(buf, "nohz_full=1-3");
	assert_int_equal(karg__expand("nohz_full=1-{cpus-1}", &t8, buf, sizeof(buf), err,
				      sizeof(err)), 0);
	assert_string_equal(buf, "nohz_full=1-7");
	assert_int_equal(karg__expand("a={llcs}b{min(cpus,3)}c", &t8, buf, sizeof(buf), err,
				      sizeof(err)), 0);
	assert_string_equal(buf, "a=2b3c");
	assert_int_equal(karg__expand("plain", &t8, buf, sizeof(buf), err, sizeof(err)), 0);
	assert_string_equal(buf, "plain");
	assert_int_equal(karg__check("x={cpu}", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown variable 'cpu'"));
	assert_int_equal(karg__check("x={", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "'{' without its '}'");
	assert_int_equal(karg__check("x={}", err, sizeof(err)), -EINVAL);
	assert_int_equal(karg__expand("x={cpus/(llcs-2)}", &t8, buf, sizeof(buf), err,
				      sizeof(err)), -EDOM);
	assert_int_equal(karg__expand("{cpus}{cpus}{cpus}", &t8, buf, 3, err, sizeof(err)),
			 -E2BIG);
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_vars),
		T(test_precedence),
		T(test_min_max),
		T(test_division_rounds_down),
		T(test_parse_errors),
		T(test_eval_errors),
		T(test_vars_mask_and_text),
		T(test_karg_expand),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
