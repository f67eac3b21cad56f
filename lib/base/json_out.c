// SPDX-License-Identifier: GPL-2.0
#include "json_out.h"

#include <math.h>
#include <inttypes.h>

void json_out__init(struct json_out *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

/* Separator before a value or key at the current depth. */
static void sep(struct json_out *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
}

static void open(struct json_out *j, char c)
{
	sep(j);
	fputc(c, j->f);
	if (j->depth + 1 < JSON_OUT_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close(struct json_out *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
}

void json_out__object_begin(struct json_out *j) { open(j, '{'); }
void json_out__object_end(struct json_out *j) { close(j, '}'); }
void json_out__array_begin(struct json_out *j) { open(j, '['); }
void json_out__array_end(struct json_out *j) { close(j, ']'); }

/*
 * The code point of a 2- or 3-byte UTF-8 sequence at @p that must not appear
 * raw, or 0. YAML readers (libyaml reads ktstr's JSON lines back) take only
 * YAML's printable set raw: C1 controls U+0080-U+009F are refused, and NEL,
 * LS and PS (U+0085, U+2028, U+2029) are folded as line breaks; so are
 * U+FFFE, U+FFFF and surrogate encodings refused. Escaped, they all survive,
 * and JavaScript takes them too. Sets *@len to the sequence's length.
 */
static unsigned int escape_cp(const unsigned char *p, size_t *len)
{
	unsigned int cp;

	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
		*len = 2;
		return p[1];
	}
	if ((p[0] & 0xf0) != 0xe0 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
		return 0;
	cp = (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
	if (cp == 0x2028 || cp == 0x2029 || cp == 0xfffe || cp == 0xffff ||
	    (cp >= 0xd800 && cp <= 0xdfff)) {
		*len = 3;
		return cp;
	}
	return 0;
}

static void write_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned int cp;
		size_t len;

		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(f, "\\u%04x", *p);
			} else if ((cp = escape_cp(p, &len))) {
				fprintf(f, "\\u%04x", cp);
				p += len - 1;
			} else {
				fputc(*p, f);
			}
		}
	}
	fputc('"', f);
}

void json_out__key(struct json_out *j, const char *key)
{
	sep(j);
	write_escaped(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

void json_out__string(struct json_out *j, const char *s)
{
	sep(j);
	if (s)
		write_escaped(j->f, s);
	else
		fputs("null", j->f);
}

void json_out__u64(struct json_out *j, uint64_t v)
{
	sep(j);
	fprintf(j->f, "%" PRIu64, v);
}

void json_out__i64(struct json_out *j, int64_t v)
{
	sep(j);
	fprintf(j->f, "%" PRId64, v);
}

void json_out__double(struct json_out *j, double v)
{
	sep(j);
	if (isfinite(v))
		fprintf(j->f, "%.15g", v);
	else
		fputs("null", j->f);
}

void json_out__bool(struct json_out *j, bool v)
{
	sep(j);
	fputs(v ? "true" : "false", j->f);
}

void json_out__null(struct json_out *j)
{
	sep(j);
	fputs("null", j->f);
}

void json_out__newline(struct json_out *j)
{
	fputc('\n', j->f);
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}
