// SPDX-License-Identifier: GPL-2.0
/*
 * One variant's outcome as a JSON line and back (cmd/out/outcome.c), the
 * JUnit writer's escaping (cmd/out/out_junit.c) and the results directory
 * (cmd/out/results_dir.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "out/out_junit.h"
#include "out/outcome.h"
#include "out/results_dir.h"
#include "out/utf8.h"

/* The outcome written as a JSON line, malloc'd. */
static char *to_json(const struct outcome *o, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	assert_int_equal(outcome__write_json(o, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void fill(struct outcome *o)
{
	static char *reasons[] = { "stuck 3500ms on cpu1 at +1200ms", "quote \" backslash \\ tab \t",
				   "bell \a nul-free \x01\x1f del \x7f end" };

	memset(o, 0, sizeof(*o));
	o->name = "two_cgroups/tiny-2llc/llc+steal";
	o->scenario = "two_cgroups";
	o->preset = "tiny-2llc";
	o->topology = "1n2l4c1t";
	o->scheduler = "scx-ktstr";
	o->profile = "llc+steal";
	o->kernel = "6.12.117-package-cc347d6f";
	o->checks_profile = "tcg";
	o->verdict = OUTCOME_FAIL;
	o->harness_failure = true;
	static char *waived[] = { "cgroup wakers: p99 wake latency 652933153ns exceeds limit "
				  "20000000ns (812 samples)" };

	o->reasons = reasons;
	o->nreasons = 3;
	o->waived = waived;
	o->nwaived = 1;
	o->metrics[0] = (struct metric_value){ "worst_gap_ms", 3500 };
	o->metrics[1] = (struct metric_value){ "worst_spread", 12.25 };
	o->metrics[2] = (struct metric_value){ "total_iterations", 1e12 };
	o->nmetrics = 3;
	o->stats = "4 workers, 2 cpus\n  cg0: workers=2\n";
	o->report = "ktstr 'two_cgroups' failed:\n  <&> \"ünïcödé\" €\n\r\n";
	o->ms_initramfs = 120;
	o->ms_boot = 4100;
	o->ms_scenario = 5003;
	o->ms_teardown = 80;
	o->ms_total = 9303;
	o->console_log = "/tmp/r/two_cgroups.tiny-2llc.llc+steal/console.log";
	o->topology_check = "mismatch";
	o->work_type = "futex-ping-pong";
}

static void test_round_trip(void **state)
{
	struct outcome o, p;
	char err[256];
	size_t len;
	char *line;

	(void)state;
	fill(&o);
	line = to_json(&o, &len);
	assert_true(len > 0 && line[len - 1] == '\n');
	assert_null(memchr(line, '\n', len - 1));	/* one line */
	assert_int_equal(outcome__parse_json(line, len, &p, err, sizeof(err)), 0);
	assert_string_equal(p.name, o.name);
	assert_string_equal(p.scenario, o.scenario);
	assert_string_equal(p.preset, o.preset);
	assert_string_equal(p.topology, o.topology);
	assert_string_equal(p.scheduler, o.scheduler);
	assert_string_equal(p.profile, o.profile);
	assert_string_equal(p.kernel, o.kernel);
	assert_string_equal(p.checks_profile, o.checks_profile);
	assert_int_equal(p.verdict, OUTCOME_FAIL);
	assert_false(p.expect_fail);
	assert_true(p.harness_failure);
	assert_int_equal(p.nreasons, 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(p.reasons[i], o.reasons[i]);
	assert_int_equal(p.nwaived, 1);
	assert_string_equal(p.waived[0], o.waived[0]);
	assert_int_equal(p.nmetrics, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(p.metrics[i].name, o.metrics[i].name);
		assert_true(p.metrics[i].value == o.metrics[i].value);
	}
	assert_string_equal(p.stats, o.stats);
	assert_string_equal(p.report, o.report);
	assert_int_equal(p.ms_initramfs, 120);
	assert_int_equal(p.ms_boot, 4100);
	assert_int_equal(p.ms_scenario, 5003);
	assert_int_equal(p.ms_teardown, 80);
	assert_int_equal(p.ms_total, 9303);
	assert_string_equal(p.console_log, o.console_log);
	assert_null(p.sched_log);
	assert_null(p.skip_reason);
	assert_non_null(p.ktstr_version);
	assert_string_equal(p.topology_check, "mismatch");
	assert_string_equal(p.work_type, "futex-ping-pong");
	outcome__free(&p);
	free(line);
}

static void test_dup(void **state)
{
	struct outcome o, d;

	(void)state;
	fill(&o);
	assert_int_equal(outcome__dup(&d, &o), 0);
	assert_ptr_not_equal(d.name, o.name);
	assert_string_equal(d.name, o.name);
	assert_ptr_not_equal(d.reasons, o.reasons);
	assert_string_equal(d.reasons[2], o.reasons[2]);
	assert_ptr_not_equal(d.waived, o.waived);
	assert_string_equal(d.waived[0], o.waived[0]);
	assert_ptr_not_equal(d.metrics[1].name, o.metrics[1].name);
	assert_string_equal(d.metrics[1].name, "worst_spread");
	assert_string_equal(d.report, o.report);
	assert_ptr_not_equal(d.topology_check, o.topology_check);
	assert_string_equal(d.topology_check, "mismatch");
	assert_ptr_not_equal(d.work_type, o.work_type);
	assert_string_equal(d.work_type, "futex-ping-pong");
	outcome__free(&d);	/* frees only the copy (ASan would see a double free) */
	assert_null(d.name);
}

/* Invalid UTF-8 from a guest is written as '?', so any JSON reader takes the line. */
static void test_invalid_utf8(void **state)
{
	struct outcome o, p;
	char err[256], *line;
	size_t len;
	char bad[] = "ok \xff\xfe then \xc3( and \xed\xa0\x80 surrogate";

	(void)state;
	memset(&o, 0, sizeof(o));
	o.name = "x";
	o.verdict = OUTCOME_SKIP;
	o.skip_reason = bad;
	line = to_json(&o, &len);
	assert_int_equal(outcome__parse_json(line, len, &p, err, sizeof(err)), 0);
	assert_int_equal(p.verdict, OUTCOME_SKIP);
	assert_string_equal(p.skip_reason, "ok ?? then ?( and ??? surrogate");
	assert_true(utf8__valid(p.skip_reason));
	outcome__free(&p);
	free(line);
}

/* A C1 control read from a \u escape is valid UTF-8 but not YAML: written as '?'. */
static void test_c1_control(void **state)
{
	const char *in = "{\"name\":\"a\\u0081b\\u00e9\\uffff\",\"verdict\":\"pass\"}";
	struct outcome p, q;
	char err[256], *line;
	size_t len;

	(void)state;
	assert_int_equal(outcome__parse_json(in, strlen(in), &p, err, sizeof(err)), 0);
	line = to_json(&p, &len);
	assert_int_equal(outcome__parse_json(line, len, &q, err, sizeof(err)), 0);
	assert_string_equal(q.name, "a?b\xc3\xa9?");
	outcome__free(&p);
	outcome__free(&q);
	free(line);
}

/* NEL, LS and PS, raw in a string, survive a round trip (escaped on write). */
static void test_line_separators(void **state)
{
	const char *raw = "a\xc2\x85" "b\xe2\x80\xa8" "c\xe2\x80\xa9" "d";
	struct outcome o = { 0 }, q;
	char err[256], *line;
	size_t len;

	(void)state;
	o.name = strdup(raw);
	o.verdict = OUTCOME_FAIL;
	line = to_json(&o, &len);
	assert_non_null(strstr(line, "a\\u0085b\\u2028c\\u2029d"));
	assert_int_equal(outcome__parse_json(line, len, &q, err, sizeof(err)), 0);
	assert_string_equal(q.name, raw);
	outcome__free(&o);
	outcome__free(&q);
	free(line);
}

/*
 * C1 controls, U+FFFE and U+FFFF, which libyaml refuses raw (the fuzzer found
 * a metric name holding U+0080 whose written line did not parse back).
 */
static void test_yaml_unprintables(void **state)
{
	const char *raw = "m\xc2\x80" "e\xc2\x9f" "t\xef\xbf\xbe" "r\xef\xbf\xbf" "ic\xc2\xa0";
	struct outcome o = { 0 }, q;
	char err[256], *line;
	size_t len;

	(void)state;
	/* In a metric's name: a key, written as it is (string values are sanitised). */
	o.name = strdup("n");
	o.verdict = OUTCOME_FAIL;
	o.metrics[0].name = strdup(raw);
	o.metrics[0].value = 1;
	o.nmetrics = 1;
	line = to_json(&o, &len);
	/* U+00A0 is printable: raw. */
	assert_non_null(strstr(line, "\"m\\u0080e\\u009ft\\ufffer\\uffffic\xc2\xa0\":1"));
	assert_int_equal(outcome__parse_json(line, len, &q, err, sizeof(err)), 0);
	assert_int_equal(q.nmetrics, 1);
	assert_string_equal(q.metrics[0].name, raw);
	outcome__free(&o);
	outcome__free(&q);
	free(line);
}

static void expect_error(const char *line, const char *msg)
{
	struct outcome p;
	char err[256];

	assert_int_not_equal(outcome__parse_json(line, strlen(line), &p, err, sizeof(err)), 0);
	if (!strstr(err, msg))
		fail_msg("'%s': error '%s' does not contain '%s'", line, err, msg);
	assert_null(p.name);	/* freed on error */
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("{\"verdict\":\"pass\"}", "missing required key \"name\"");
	expect_error("{\"name\":\"a\"}", "missing required key \"verdict\"");
	expect_error("{\"name\":\"a\",\"verdict\":\"maybe\"}", "\"verdict\" must be");
	expect_error("{\"name\":\"a\",\"verdict\":\"pass\",\"reasons\":\"x\"}",
		     "\"reasons\" must be an array");
	expect_error("{\"name\":\"a\",\"verdict\":\"pass\",\"waived\":[1]}",
		     "\"waived\" must be an array of strings");
	expect_error("{\"name\":\"a\",\"verdict\":\"pass\",\"waived\":[],\"waived\":[]}",
		     "given twice");
	expect_error("{\"name\":\"a\",\"verdict\":\"pass\",\"metrics\":{\"worst_gap_ms\":\"12\"}}",
		     "\"worst_gap_ms\" must be a number");
	expect_error("{\"name\":\"a\",\"verdict\":\"pass\",\"metrics\":{\"worst_gap_ms\":1x}}",
		     "is not a number");
	expect_error("{\"name\":12,\"verdict\":\"pass\"}", "\"name\" must be a string");
	expect_error("{\"name\":\"a\",\"verdict\":\"pass\",\"expect_fail\":\"yes\"}",
		     "\"expect_fail\" must be true or false");
	expect_error("[1,2]", "not a JSON object");
	expect_error("{\"name\":\"a\",", "column");
	expect_error("", "not a JSON object");
}

/* Keys this version does not know are skipped (a newer ktstr wrote them). */
static void test_unknown_keys(void **state)
{
	const char *line = "{\"future\":{\"a\":[1,{\"b\":null}]},\"name\":\"n\",\"verdict\":\"pass\","
			   "\"metrics\":{\"worst_gap_ms\":120,\"total_iterations\":null},"
			   "\"durations_ms\":{\"total\":5,\"later\":7}}\n";
	struct outcome p;
	char err[256];

	(void)state;
	assert_int_equal(outcome__parse_json(line, strlen(line), &p, err, sizeof(err)), 0);
	assert_string_equal(p.name, "n");
	assert_int_equal(p.verdict, OUTCOME_PASS);
	assert_int_equal(p.nmetrics, 1);	/* null: no value */
	assert_string_equal(p.metrics[0].name, "worst_gap_ms");
	assert_int_equal(p.ms_total, 5);
	assert_null(p.reasons);
	outcome__free(&p);
}

static char *escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	out_junit__escape(f, s);
	fclose(f);
	return buf;
}

static void test_xml_escape(void **state)
{
	char *e;

	(void)state;
	e = escaped("a<b>&\"c'");
	assert_string_equal(e, "a&lt;b&gt;&amp;&quot;c&apos;");
	free(e);
	/* XML 1.0 cannot carry most control characters, even as references. */
	e = escaped("x\x01y\x1bz\tw\nv\rend");
	assert_string_equal(e, "x?y?z\tw\nv&#13;end");
	free(e);
	e = escaped("caf\xc3\xa9 \xff \xef\xbf\xbe!");
	assert_string_equal(e, "caf\xc3\xa9 ? ?!");
	free(e);
}

/* The whole document counts failures and skips, and names every variant. */
static void test_junit_document(void **state)
{
	struct outcome o[3];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	fill(&o[0]);
	memset(&o[1], 0, sizeof(o[1]));
	o[1].name = "b";
	o[1].verdict = OUTCOME_PASS;
	memset(&o[2], 0, sizeof(o[2]));
	o[2].name = "c";
	o[2].verdict = OUTCOME_SKIP;
	o[2].skip_reason = "host too small";
	assert_int_equal(out_junit__write(f, "ktstr run", 0, o, 3), 0);
	fclose(f);
	assert_non_null(strstr(buf, "tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""));
	assert_non_null(strstr(buf, "<testcase classname=\"two_cgroups\" "
				    "name=\"two_cgroups/tiny-2llc/llc+steal\" time=\"9.303\">"));
	assert_non_null(strstr(buf, "<failure message=\"stuck 3500ms on cpu1 at +1200ms\" "
				    "type=\"harness\">"));
	assert_non_null(strstr(buf, "&lt;&amp;&gt;"));
	assert_non_null(strstr(buf, "<skipped message=\"host too small\"/>"));
	assert_non_null(strstr(buf, "console log: /tmp/r/"));
	free(buf);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return NULL;
	n = getdelim(&buf, &cap, '\0', f);
	fclose(f);
	if (n < 0) {
		free(buf);
		return strdup("");
	}
	return buf;
}

static void test_results_dir_name(void **state)
{
	char buf[64];

	(void)state;
	results_dir__name("two_cgroups/tiny-2llc/llc+steal", buf, sizeof(buf));
	assert_string_equal(buf, "two_cgroups.tiny-2llc.llc+steal");
	results_dir__name("../evil name/$x", buf, sizeof(buf));
	assert_string_equal(buf, "_..evil_name._x");
	results_dir__name("", buf, sizeof(buf));
	assert_string_equal(buf, "unnamed");
}

/* The variant's directory: the console kept (and where it was cut), report, JSON line. */
static void test_results_dir_write(void **state)
{
	char tmpl[] = "/tmp/ktstr-test-results-XXXXXX", dir[64], path[160], err[256];
	struct results_logs logs;
	struct outcome o, p;
	char *text;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	snprintf(dir, sizeof(dir), "%s/sub/dir", tmpl);
	assert_int_equal(results_dir__create(dir, err, sizeof(err)), 0);
	memset(&o, 0, sizeof(o));
	o.name = strdup("s/p/default");
	o.report = strdup("ktstr 's' failed:\n  why\n");
	o.verdict = OUTCOME_FAIL;
	memset(&logs, 0, sizeof(logs));
	logs.console = "line 1\nline 2\n";
	logs.console_len = 14;
	logs.console_dropped = 1234;
	logs.sched = "scheduler said hi\n";
	logs.sched_len = 18;
	assert_int_equal(results_dir__write(dir, &o, &logs, err, sizeof(err)), 0);

	snprintf(path, sizeof(path), "%s/s.p.default/console.log", dir);
	assert_string_equal(o.console_log, path);
	text = slurp(path);
	assert_non_null(text);
	assert_non_null(strstr(text, "line 1\nline 2\n\n[ktstr: console log cut at 14 bytes; 1234 "
				     "more bytes not kept]"));
	free(text);
	snprintf(path, sizeof(path), "%s/s.p.default/sched.log", dir);
	assert_string_equal(o.sched_log, path);
	text = slurp(path);
	assert_string_equal(text, "scheduler said hi\n");
	free(text);
	snprintf(path, sizeof(path), "%s/s.p.default/report.txt", dir);
	text = slurp(path);
	assert_string_equal(text, o.report);
	free(text);
	snprintf(path, sizeof(path), "%s/s.p.default/result.json", dir);
	text = slurp(path);
	assert_int_equal(outcome__parse_json(text, strlen(text), &p, err, sizeof(err)), 0);
	assert_string_equal(p.console_log, o.console_log);	/* names the files */
	outcome__free(&p);
	free(text);

	/* Again without a scheduler log: the old one goes. */
	logs.sched = NULL;
	assert_int_equal(results_dir__write(dir, &o, &logs, err, sizeof(err)), 0);
	assert_null(o.sched_log);
	snprintf(path, sizeof(path), "%s/s.p.default/sched.log", dir);
	assert_int_equal(access(path, F_OK), -1);

	/* A file where the directory should be: an error naming it. */
	snprintf(path, sizeof(path), "%s/file", tmpl);
	fclose(fopen(path, "w"));
	assert_int_not_equal(results_dir__create(path, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "/file"));

	outcome__free(&o);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_c1_control),
		cmocka_unit_test(test_line_separators),
		cmocka_unit_test(test_yaml_unprintables),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_xml_escape),
		cmocka_unit_test(test_junit_document),
		cmocka_unit_test(test_results_dir_name),
		cmocka_unit_test(test_results_dir_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
