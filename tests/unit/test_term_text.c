// SPDX-License-Identifier: GPL-2.0
/*
 * Text from scenarios and guests shown to people (cmd/out/term_text.h): no
 * escape sequence reaches the terminal, no newline forges a line of ktstr's
 * own; a log keeps its lines and tabs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out/term_text.h"

static char *shown(const char *s, size_t len, int lines)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	assert_non_null(f);
	if (lines < 0)
		term_text__line(f, s);
	else
		term_text__write(f, s, len, lines);
	fclose(f);
	return buf;
}

static void test_escapes(void **state)
{
	static const char evil[] = "ok\n\033[2J\tPASS\r\x7f\x01 caf\xc3\xa9";
	char *s;

	(void)state;
	s = shown(evil, sizeof(evil) - 1, 0);
	assert_string_equal(s, "ok\\x0a\\x1b[2J\tPASS\\x0d\\x7f\\x01 caf\xc3\xa9");
	free(s);
	s = shown(evil, sizeof(evil) - 1, 1);	/* a log: its lines stay lines */
	assert_string_equal(s, "ok\n\\x1b[2J\tPASS\\x0d\\x7f\\x01 caf\xc3\xa9");
	free(s);
	s = shown("a\nb", 0, -1);
	assert_string_equal(s, "a\\x0ab");
	free(s);
	s = shown(NULL, 0, -1);
	assert_string_equal(s, "");
	free(s);
	/* Embedded NUL in a length-given log: shown, not a cut. */
	s = shown("a\0b", 3, 1);
	assert_string_equal(s, "a\\x00b");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
