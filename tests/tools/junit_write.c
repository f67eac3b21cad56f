// SPDX-License-Identifier: GPL-2.0
/*
 * junit_write < results.jsonl > junit.xml: the JUnit writer of --junit over
 * JSON lines, for tests/cli/junit.sh (no VM needed). Exit 2 on a bad line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/out_junit.h"
#include "out/outcome.h"

int main(int argc, char **argv)
{
	struct outcome *o = NULL;
	size_t n = 0, cap = 0, lineno = 0, len = 0;
	char *line = NULL, err[512];
	ssize_t got;
	int ret = 0;

	(void)argc;
	(void)argv;
	while ((got = getline(&line, &len, stdin)) >= 0) {
		lineno++;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			o = realloc(o, cap * sizeof(*o));
			if (!o)
				return 2;
		}
		if (outcome__parse_json(line, (size_t)got, &o[n], err, sizeof(err))) {
			fprintf(stderr, "junit_write: line %zu: %s\n", lineno, err);
			ret = 2;
			break;
		}
		n++;
	}
	if (!ret && out_junit__write(stdout, "ktstr test", 0, o, n))
		ret = 2;
	for (size_t i = 0; i < n; i++)
		outcome__free(&o[i]);
	free(o);
	free(line);
	return ret;
}
