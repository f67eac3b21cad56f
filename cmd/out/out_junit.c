// SPDX-License-Identifier: GPL-2.0
/* JUnit XML for CI test reporters. */
#include "out_junit.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "utf8.h"

/*
 * Text and attribute values alike; in an attribute, newlines and tabs become
 * references so that attribute-value normalisation keeps them.
 */
static void escape(FILE *f, const char *s, bool in_attr)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);

	while (n) {
		unsigned cp;
		size_t k = utf8__seq(p, n, &cp);

		if (!k) {
			fputc('?', f);	/* not UTF-8 */
			k = 1;
		} else if (cp == '&') {
			fputs("&amp;", f);
		} else if (cp == '<') {
			fputs("&lt;", f);
		} else if (cp == '>') {
			fputs("&gt;", f);
		} else if (cp == '"') {
			fputs("&quot;", f);
		} else if (cp == '\'') {
			fputs("&apos;", f);
		} else if (cp == '\n' || cp == '\t') {
			if (in_attr)
				fprintf(f, "&#%u;", cp);
			else
				fputc((int)cp, f);
		} else if (cp == '\r') {
			fputs("&#13;", f);
		} else if (cp < 0x20 || cp == 0xfffe || cp == 0xffff) {
			fputc('?', f);	/* not allowed in XML 1.0, even as &#N; */
		} else {
			fwrite(p, 1, k, f);
		}
		p += k;
		n -= k;
	}
}

void out_junit__escape(FILE *f, const char *s)
{
	escape(f, s, false);
}

static void attr(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	escape(f, value, true);
	fputc('"', f);
}

static void iso_time(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(buf, len, "1970-01-01T00:00:00");
}

static void testcase(FILE *f, const struct outcome *o)
{
	char secs[32];

	snprintf(secs, sizeof(secs), "%.3f", o->ms_total / 1000.0);
	fputs("    <testcase", f);
	attr(f, "classname", o->scenario ? o->scenario : o->name);
	attr(f, "name", o->name);
	attr(f, "time", secs);
	fputs(">\n", f);
	if (o->verdict == OUTCOME_FAIL) {
		fputs("      <failure", f);
		attr(f, "message", o->nreasons ? o->reasons[0] : "failed");
		attr(f, "type", o->harness_failure ? "harness" : "check");
		fputs(">", f);
		if (o->report)
			out_junit__escape(f, o->report);
		else
			for (size_t i = 0; i < o->nreasons; i++) {
				out_junit__escape(f, o->reasons[i]);
				fputc('\n', f);
			}
		fputs("</failure>\n", f);
	} else if (o->verdict == OUTCOME_SKIP) {
		fputs("      <skipped", f);
		attr(f, "message", o->skip_reason ? o->skip_reason : "skipped");
		fputs("/>\n", f);
	}
	if (o->console_log || o->sched_log || o->topology || o->kernel) {
		fputs("      <system-out>", f);
		if (o->topology) {
			fputs("topology: ", f);
			out_junit__escape(f, o->topology);
			fputc('\n', f);
		}
		if (o->scheduler) {
			fputs("scheduler: ", f);
			out_junit__escape(f, o->scheduler);
			fputc('\n', f);
		}
		if (o->kernel) {
			fputs("kernel: ", f);
			out_junit__escape(f, o->kernel);
			fputc('\n', f);
		}
		if (o->console_log) {
			fputs("console log: ", f);
			out_junit__escape(f, o->console_log);
			fputc('\n', f);
		}
		if (o->sched_log) {
			fputs("scheduler log: ", f);
			out_junit__escape(f, o->sched_log);
			fputc('\n', f);
		}
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
}

int out_junit__write(FILE *f, const char *suite, long long timestamp,
		     const struct outcome *o, size_t n)
{
	size_t failures = 0, skipped = 0;
	uint64_t ms = 0;
	char secs[32], when[32], host[256] = "localhost";

	for (size_t i = 0; i < n; i++) {
		failures += o[i].verdict == OUTCOME_FAIL;
		skipped += o[i].verdict == OUTCOME_SKIP;
		ms += o[i].ms_total;
	}
	snprintf(secs, sizeof(secs), "%.3f", ms / 1000.0);
	iso_time(timestamp ? timestamp : (long long)time(NULL), when, sizeof(when));
	if (gethostname(host, sizeof(host) - 1))
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';

	clearerr(f);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", f);
	attr(f, "name", suite);
	fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\"", n, failures,
		skipped);
	attr(f, "time", secs);
	fputs(">\n  <testsuite", f);
	attr(f, "name", suite);
	fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\"", n, failures,
		skipped);
	attr(f, "time", secs);
	attr(f, "timestamp", when);
	attr(f, "hostname", host);
	fputs(">\n", f);
	for (size_t i = 0; i < n; i++)
		testcase(f, &o[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
	fflush(f);
	return ferror(f) ? -EIO : 0;
}
