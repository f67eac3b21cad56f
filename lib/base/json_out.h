/* SPDX-License-Identifier: GPL-2.0 */
/* A small streaming JSON writer for machine-readable output (JSON lines). */
#ifndef KTSTR_JSON_OUT_H
#define KTSTR_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_OUT_MAX_DEPTH 32

struct json_out {
	FILE *f;
	int depth;
	bool first[JSON_OUT_MAX_DEPTH];	/* no element written yet at this depth */
	bool after_key;
};

void json_out__init(struct json_out *j, FILE *f);
void json_out__object_begin(struct json_out *j);
void json_out__object_end(struct json_out *j);
void json_out__array_begin(struct json_out *j);
void json_out__array_end(struct json_out *j);
void json_out__key(struct json_out *j, const char *key);
void json_out__string(struct json_out *j, const char *s);	/* NULL writes null */
void json_out__u64(struct json_out *j, uint64_t v);
void json_out__i64(struct json_out *j, int64_t v);
void json_out__double(struct json_out *j, double v);		/* non-finite writes null */
void json_out__bool(struct json_out *j, bool v);
void json_out__null(struct json_out *j);
/* End one JSON-lines record: writes '\n'. */
void json_out__newline(struct json_out *j);

#endif
