// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the JSON-lines reader (cmd/out/outcome.c): `ktstr compare` reads files a
 * user gives it, and the gauntlet's parent reads each job's line, whose
 * strings carry text from the (untrusted) guest. A line that parses must
 * write back and parse again to the same name, verdict and number of reasons;
 * writing that again must give the same bytes (the writer replaces what JSON
 * or YAML cannot carry with '?', once); and it must make a JUnit document.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/out_junit.h"
#include "out/outcome.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome a = { 0 }, b = { 0 };
	char err[256], *buf = NULL, *buf2 = NULL;
	size_t len = 0, len2 = 0;
	FILE *f;

	if (outcome__parse_json((const char *)data, size, &a, err, sizeof(err)))
		return 0;
	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	if (outcome__write_json(&a, f) || fclose(f))
		abort();
	if (outcome__parse_json(buf, len, &b, err, sizeof(err))) {
		fprintf(stderr, "a written line does not parse: %s\n%s", err, buf);
		abort();
	}
	if (a.verdict != b.verdict || a.nreasons != b.nreasons)
		abort();
	f = open_memstream(&buf2, &len2);
	if (!f || outcome__write_json(&b, f) || fclose(f))
		abort();
	if (len != len2 || memcmp(buf, buf2, len)) {
		fprintf(stderr, "not stable after one round trip:\n%s%s", buf, buf2);
		abort();
	}
	free(buf);
	free(buf2);
	buf = NULL;
	f = open_memstream(&buf, &len);
	if (!f || out_junit__write(f, "fuzz", 0, &a, 1) || fclose(f))
		abort();
	free(buf);
	outcome__free(&a);
	outcome__free(&b);
	return 0;
}
