// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler under test, host side (cmd/run/sched_host.c, cmd/run/sched_find.c):
 * discovery, arguments, SCHED_EXIT reports turned into reasons, the report
 * sections, `expect: {fail: TEXT}`, and the schema keys (watchdog_timeout,
 * watchdog_arg, expect's map form).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/sched_host.h"
#include "run/sched_find.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"

/* ---- SCHED_EXIT frames */

static void feed_exit(struct sched_host *sh, uint32_t elapsed_ms, const char *text)
{
	size_t n = strlen(text);
	uint8_t *buf = malloc(sizeof(struct ktstr_msg_sched_exit) + n);
	struct ktstr_msg_sched_exit m = { .pid = 59, .exit_kind = KTSTR_WORKER_EXITED,
					  .exit_value = 1, .elapsed_ms = elapsed_ms };
	struct proto_frame f = { .type = KTSTR_MSG_SCHED_EXIT };

	assert_non_null(buf);
	memcpy(buf, &m, sizeof(m));
	memcpy(buf + sizeof(m), text, n);
	f.payload = buf;
	f.length = (uint32_t)(sizeof(m) + n);
	sched_host__frame(sh, &f);
	free(buf);
}

static void feed_start(struct sched_host *sh, uint32_t nsteps)
{
	struct ktstr_msg_scenario_start m = { .nsteps = nsteps };
	struct proto_frame f = { .type = KTSTR_MSG_SCENARIO_START, .payload = (void *)&m,
				 .length = sizeof(m) };

	sched_host__frame(sh, &f);
}

static void feed_step(struct sched_host *sh, uint32_t index)
{
	struct ktstr_msg_step m = { .index = index };
	struct proto_frame f = { .type = KTSTR_MSG_STEP, .payload = (void *)&m,
				 .length = sizeof(m) };

	sched_host__frame(sh, &f);
}

static void free_sh(struct sched_host *sh)
{
	char *log, *text;
	size_t len;

	sched_host__finish(sh, &log, &len, &text);
	free(log);
	free(text);
}

static const char stall_text[] =
	"event: disabled\n"
	"reason: runnable task stall\n"
	"message: kworker/0:1[10] failed to run for 2.345s\n"
	"exit: exited with code 1\n"
	"state: disabled\n"
	"detail: \n"
	"--- kernel log ---\n"
	"sched_ext: BPF scheduler \"ktstr\" disabled (runnable task stall)\n"
	"--- sched_ext dump ---\n"
	"kworker/0:1[10] triggered exit kind 1026:\n"
	"  runnable task stall\n"
	"--- scheduler log ---\n"
	"scx-ktstr: attached\n"
	"--- not a section ---\n";

static void test_fields_and_sections(void **state)
{
	char buf[128];
	const char *p;
	size_t n;

	(void)state;
	sched_host__field(stall_text, "reason", buf, sizeof(buf));
	assert_string_equal(buf, "runnable task stall");
	sched_host__field(stall_text, "detail", buf, sizeof(buf));
	assert_string_equal(buf, "");
	sched_host__field(stall_text, "missing", buf, sizeof(buf));
	assert_string_equal(buf, "");
	/* Fields end at the first section: a log line "reason: x" is not one. */
	sched_host__field("event: died\n--- scheduler log ---\nreason: fake\n", "reason", buf,
			  sizeof(buf));
	assert_string_equal(buf, "");

	p = sched_host__section(stall_text, "sched_ext dump", &n);
	assert_non_null(p);
	assert_int_equal(n, strlen("kworker/0:1[10] triggered exit kind 1026:\n"
				   "  runnable task stall\n"));
	/* The scheduler log is the last section: everything up to the end is its. */
	p = sched_host__section(stall_text, "scheduler log", &n);
	assert_non_null(p);
	assert_memory_equal(p, "scx-ktstr: attached\n--- not a section ---\n", n);
	assert_null(sched_host__section(stall_text, "monitor", &n));
	assert_null(sched_host__section(NULL, "monitor", &n));
}

static void test_reason_disabled(void **state)
{
	struct sched_host sh;
	struct verdict v = { .passed = true };

	(void)state;
	sched_host__init(&sh);
	assert_false(sched_host__reasons(&sh, &v));	/* nothing arrived: nothing to say */
	feed_start(&sh, 3);
	feed_step(&sh, 0);
	feed_step(&sh, 1);
	feed_exit(&sh, 4100, stall_text);
	feed_exit(&sh, 9000, "event: died\n");	/* only the first report counts */
	assert_true(sched_host__reasons(&sh, &v));
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 1);
	assert_string_equal(v.reasons[0],
			    "scheduler process died: sched_ext disabled it during step 2 of 3 "
			    "(4.1s into the scenario) (runnable task stall: kworker/0:1[10] failed "
			    "to run for 2.345s); the scheduler exited with code 1");
	verdict__free(&v);
	free_sh(&sh);
}

static void test_reason_died(void **state)
{
	struct sched_host sh;
	struct verdict v = { .passed = true };

	(void)state;
	sched_host__init(&sh);
	feed_start(&sh, 0);
	feed_step(&sh, UINT32_MAX);
	feed_exit(&sh, 2500, "event: died\nreason: unregistered from user space\nmessage: \n"
			     "exit: killed by signal 11 (SEGV)\n");
	sched_host__reasons(&sh, &v);
	assert_string_equal(v.reasons[0],
			    "scheduler process died unexpectedly 2.5s into the scenario: killed by "
			    "signal 11 (SEGV); sched_ext: unregistered from user space");
	verdict__free(&v);
	free_sh(&sh);
}

/* A verifier log: the verifier's own line, not the source annotation quoting it. */
static const char verifier_log[] =
	"libbpf: prog 'ktstr_dispatch': BPF program load failed: Permission denied\n"
	"; *v += 1;  /* \"invalid mem access 'map_value_or_null'\" */ @ x.bpf.c:119\n"
	"12: (79) r1 = *(u64 *)(r0 +0)\n"
	"R0 invalid mem access 'map_value_or_null'\n"
	"processed 11 insns (limit 1000000) max_states_per_insn 0\n"
	"-- END PROG LOAD LOG --\n"
	"scx-ktstr: loading the scheduler failed: Permission denied\n";

static void test_reason_verifier(void **state)
{
	struct sched_host sh;
	struct verdict v = { .passed = true };

	(void)state;
	sched_host__init(&sh);
	sched_host__data(&sh, verifier_log, 40);	/* in pieces, as the port delivers */
	sched_host__data(&sh, verifier_log + 40, strlen(verifier_log) - 40);
	feed_exit(&sh, 0, "event: died-before-attach\nexit: exited with code 1\n"
			  "detail: died before attaching\n");
	sched_host__reasons(&sh, &v);
	assert_string_equal(v.reasons[0],
			    "scheduler process died before attaching: exited with code 1; its log: "
			    "R0 invalid mem access 'map_value_or_null'");
	verdict__free(&v);
	free_sh(&sh);
}

static void test_reason_not_attached(void **state)
{
	struct sched_host sh;
	struct verdict v = { .passed = true };

	(void)state;
	sched_host__init(&sh);
	/* No port output: the report's own log tail is used; no pattern: its last line. */
	feed_exit(&sh, 0, "event: not-attached\nexit: killed by signal 9 (KILL)\n"
			  "detail: not attached after 10.0 s (state disabled)\n"
			  "--- scheduler log ---\nloading\nstill waiting\n\n");
	sched_host__reasons(&sh, &v);
	assert_string_equal(v.reasons[0],
			    "scheduler not attached: not attached after 10.0 s (state disabled); "
			    "the scheduler killed by signal 9 (KILL); its log: still waiting");
	verdict__free(&v);
	free_sh(&sh);
}

/* restart_scheduler: a scheduler that does not come back names the op. */
static void test_reason_restart(void **state)
{
	struct sched_host sh;
	struct verdict v = { .passed = true };

	(void)state;
	sched_host__init(&sh);
	feed_exit(&sh, 1200, "event: not-attached\nexit: exited with code 0\n"
			     "detail: did not re-attach within 10 s after restart_scheduler at step 2 "
			     "(state disabled)\nrestart: restart_scheduler at step 2\n"
			     "--- scheduler log ---\nloading again\n");
	sched_host__reasons(&sh, &v);
	assert_int_equal(v.nreasons, 1);
	assert_string_equal(v.reasons[0],
			    "scheduler did not re-attach within 10 s after restart_scheduler at step "
			    "2 (state disabled); the scheduler exited with code 0; its log: loading "
			    "again");
	verdict__free(&v);
	free_sh(&sh);

	v = (struct verdict){ .passed = true };
	sched_host__init(&sh);
	feed_exit(&sh, 1200, "event: died-before-attach\nexit: exited with code 3\n"
			     "detail: did not come back after restart_scheduler at step 1: died before "
			     "attaching\nrestart: restart_scheduler at step 1\n");
	sched_host__reasons(&sh, &v);
	assert_string_equal(v.reasons[0],
			    "scheduler did not come back after restart_scheduler at step 1: died "
			    "before attaching; the scheduler exited with code 3");
	verdict__free(&v);
	free_sh(&sh);
}

static void feed_log(struct sched_host *sh, const char *text)
{
	struct proto_frame f = { .type = KTSTR_MSG_LOG, .payload = (const void *)text,
				 .length = (uint32_t)strlen(text) };

	sched_host__frame(sh, &f);
}

/* The agent's restart lines (KTSTR_LOG_SCHED_RESTARTED) are kept for the timeline. */
static void test_restart_lines(void **state)
{
	struct sched_host sh;
	char line[128];

	(void)state;
	sched_host__init(&sh);
	feed_log(&sh, "scheduler scx-ktstr started, pid 12");
	snprintf(line, sizeof(line), KTSTR_LOG_SCHED_RESTARTED, 1u, 312u, 77);
	feed_log(&sh, line);
	feed_log(&sh, "scheduler restarted: step x down_ms 1 pid 2");
	snprintf(line, sizeof(line), KTSTR_LOG_SCHED_RESTARTED, 2u, 0u, 78);
	feed_log(&sh, line);
	assert_int_equal(sh.nrestarts, 2);
	assert_int_equal(sh.restarts[0].step, 1);
	assert_int_equal(sh.restarts[0].down_ms, 312);
	assert_int_equal(sh.restarts[1].step, 2);
	assert_int_equal(sh.restarts[1].down_ms, 0);
	for (int i = 0; i < RUN_RESTARTS_MAX + 5; i++)
		feed_log(&sh, line);
	assert_int_equal(sh.nrestarts, RUN_RESTARTS_MAX);
	free_sh(&sh);
}

static void test_log_cap(void **state)
{
	struct sched_host sh;
	char *chunk = malloc(1u << 20), *log, *text;
	size_t len;

	(void)state;
	assert_non_null(chunk);
	memset(chunk, 'x', 1u << 20);
	sched_host__init(&sh);
	for (int i = 0; i < 9; i++)
		sched_host__data(&sh, chunk, 1u << 20);
	assert_int_equal(sh.log_len, SCHED_HOST_LOG_MAX);
	assert_int_equal(sh.log_dropped, 1u << 20);
	sched_host__finish(&sh, &log, &len, &text);
	assert_int_equal(len, SCHED_HOST_LOG_MAX);
	assert_null(text);
	free(log);
	free(chunk);
}

static void test_print(void **state)
{
	char *buf = NULL, log[4096] = "";
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	for (int i = 1; i <= 50; i++)
		snprintf(log + strlen(log), sizeof(log) - strlen(log), "line %d\n", i);
	sched_host__print(log, strlen(log), stall_text, f);
	fclose(f);
	assert_non_null(strstr(buf, "\n--- scheduler log ---\n(last 40 lines)\nline 11\n"));
	assert_null(strstr(buf, "line 10\n"));
	assert_non_null(strstr(buf, "line 50\n"));
	assert_non_null(strstr(buf, "\n--- sched_ext dump ---\nkworker/0:1[10] triggered"));
	assert_true(strstr(buf, "--- scheduler log ---") < strstr(buf, "--- sched_ext dump ---"));
	free(buf);

	/* EEVDF: no log, no report, no sections. */
	buf = NULL;
	f = open_memstream(&buf, &len);
	sched_host__print(NULL, 0, NULL, f);
	fclose(f);
	assert_string_equal(buf, "");
	free(buf);
}

static void test_expect_reason(void **state)
{
	struct verdict v = { .passed = false };

	(void)state;
	verdict__fail(&v, "scheduler process died: sched_ext disabled it (runnable task stall)");
	sched_host__expect_reason(&v, "runnable task stall");
	assert_true(v.passed);
	verdict__free(&v);

	/* Failed, but for another reason: a failure that says why. */
	memset(&v, 0, sizeof(v));
	verdict__fail(&v, "scheduler process died: sched_ext disabled it (scx_bpf_error)");
	sched_host__expect_reason(&v, "runnable task stall");
	assert_false(v.passed);
	assert_int_equal(v.nreasons, 2);
	assert_string_equal(v.reasons[1], "expected a failure with 'runnable task stall', but "
					  "no reason above says so");
	verdict__free(&v);

	memset(&v, 0, sizeof(v));
	v.passed = true;
	sched_host__expect_reason(&v, "runnable task stall");
	assert_false(v.passed);
	assert_string_equal(v.reasons[0], "expected failure ('runnable task stall') but passed");
	verdict__free(&v);
}

/* ---- discovery */

static char dir[64];

static void mkexe(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs("#!/bin/sh\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

static void test_find(void **state)
{
	char p[256], out[512], err[1024], exe_dir[128], bpf_dir[128], envdir[128];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ktstr-test-sched-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(exe_dir, sizeof(exe_dir), "%s/build/cmd", dir);
	snprintf(bpf_dir, sizeof(bpf_dir), "%s/build/bpf", dir);
	snprintf(envdir, sizeof(envdir), "%s/env", dir);
	snprintf(p, sizeof(p), "%s/build", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(mkdir(exe_dir, 0755), 0);
	assert_int_equal(mkdir(bpf_dir, 0755), 0);
	assert_int_equal(mkdir(envdir, 0755), 0);

	/* The build's bpf/ */
	snprintf(p, sizeof(p), "%s/scx-x", bpf_dir);
	mkexe(p);
	assert_int_equal(sched_find__in("scx-x", NULL, exe_dir, out, sizeof(out), err,
					sizeof(err)), 0);
	snprintf(p, sizeof(p), "%s/../bpf/scx-x", exe_dir);
	assert_string_equal(out, p);
	/* Next to ktstr wins over bpf/ */
	snprintf(p, sizeof(p), "%s/scx-x", exe_dir);
	mkexe(p);
	assert_int_equal(sched_find__in("scx-x", NULL, exe_dir, out, sizeof(out), err,
					sizeof(err)), 0);
	assert_string_equal(out, p);
	/* KTSTR_SCHEDULER, a directory, wins over both */
	snprintf(p, sizeof(p), "%s/scx-x", envdir);
	mkexe(p);
	assert_int_equal(sched_find__in("scx-x", envdir, exe_dir, out, sizeof(out), err,
					sizeof(err)), 0);
	assert_string_equal(out, p);
	/* ... and a file is the binary of every scheduler found by name */
	assert_int_equal(sched_find__in("other", p, exe_dir, out, sizeof(out), err, sizeof(err)),
			 0);
	assert_string_equal(out, p);
	/* A path is taken as it is */
	assert_int_equal(sched_find__in(p, NULL, NULL, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, p);
	snprintf(p, sizeof(p), "%s/none", dir);
	assert_int_equal(sched_find__in(p, NULL, NULL, out, sizeof(out), err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "No such file or directory"));
	/* PATH */
	char *path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");

	setenv("PATH", envdir, 1);
	assert_int_equal(sched_find__in("scx-x", NULL, NULL, out, sizeof(out), err, sizeof(err)),
			 0);
	setenv("PATH", path, 1);
	free(path);
	/* Nowhere: the error names where it looked and what to do */
	assert_int_equal(sched_find__in("scx-y", NULL, exe_dir, out, sizeof(out), err,
					sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "scheduler 'scx-y' not found. Set KTSTR_SCHEDULER=/path"));
	assert_non_null(strstr(err, exe_dir));
	assert_non_null(strstr(err, "/../bpf"));
	assert_non_null(strstr(err, "PATH"));
	snprintf(p, sizeof(p), "%s/nowhere", dir);
	assert_int_equal(sched_find__in("scx-x", p, exe_dir, out, sizeof(out), err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "neither an executable file nor a directory"));

	static const char *const rm[] = { "build/cmd/scx-x", "build/bpf/scx-x", "env/scx-x",
					  "build/cmd", "build/bpf", "build", "env", "" };

	for (size_t i = 0; i < sizeof(rm) / sizeof(rm[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, rm[i]);
		assert_int_equal(remove(p), 0);
	}
}

/* ---- schema and arguments */

struct fx {
	struct scenario_set set;
	struct diag_list d;
};

static int load_all(struct fx *f, const char *scheds, const char *scen)
{
	scenario_set__init(&f->set);
	memset(&f->d, 0, sizeof(f->d));
	if (scheds && sched_defs__load_buffer(&f->set, "s.yaml", scheds, strlen(scheds), &f->d))
		return -1;
	if (scenario__load_buffer(&f->set, "t.yaml", scen, strlen(scen), &f->d))
		return -1;
	return scenario_set__validate(&f->set, &f->d) ? -1 : 0;
}

static void free_fx(struct fx *f)
{
	scenario_set__free(&f->set);
	diag__free(&f->d);
}

static bool has_diag(const struct fx *f, const char *s)
{
	for (size_t i = 0; i < f->d.n; i++)
		if (strstr(f->d.items[i].msg, s))
			return true;
	return false;
}

static void test_args(void **state)
{
	static const char scheds[] =
		"name: fake\n"
		"binary: /bin/true\n"
		"args: [--a, \"1\"]\n"
		"watchdog_timeout: 2500ms\n"
		"watchdog_arg: \"--timeout-ms={ms}\"\n"
		"flags:\n"
		"  - {name: x, args: [--x]}\n"
		"  - {name: y, args: [--y, \"2\"]}\n";
	static const char scen[] =
		"name: t\ntopology: 1n1l2c1t\nduration: 1s\nscheduler: fake\n"
		"flags: {required: [y]}\ncgroups: [{name: cg0}]\n";
	struct sched_host_setup s;
	struct fx f;
	char err[512];

	(void)state;
	if (load_all(&f, scheds, scen)) {
		diag__print(&f.d, stderr);
		fail_msg("did not load");
	}
	assert_int_equal(f.set.items[0]->sched->watchdog_timeout_ns, 2500000000ULL);
	assert_int_equal(sched_host__setup(f.set.items[0], 1 /* x */, &s, err, sizeof(err)), 0);
	assert_true(s.active);
	assert_string_equal(s.host, "/bin/true");
	assert_string_equal(s.guest, SCHED_HOST_GUEST_DIR "/true");
	assert_int_equal(s.nargs, 6);
	assert_string_equal(s.args[0], "--a");
	assert_string_equal(s.args[1], "1");
	assert_string_equal(s.args[2], "--timeout-ms=2500");
	assert_string_equal(s.args[3], "--x");		/* the profile's flag */
	assert_string_equal(s.args[4], "--y");		/* the scenario's required flag */
	assert_string_equal(s.args[5], "2");
	sched_host__setup_free(&s);
	free_fx(&f);

	/* a scenario's watchdog_timeout overrides the definition's */
	assert_int_equal(load_all(&f, scheds, "name: t\ntopology: 1n1l2c1t\nduration: 1s\n"
					      "scheduler: fake\nwatchdog_timeout: 1500ms\n"
					      "cgroups: [{name: cg0}]\n"), 0);
	assert_int_equal(sched_host__setup(f.set.items[0], 0, &s, err, sizeof(err)), 0);
	assert_int_equal(s.nargs, 3);
	assert_string_equal(s.args[2], "--timeout-ms=1500");
	sched_host__setup_free(&s);
	free_fx(&f);

	/* EEVDF: nothing runs */
	assert_int_equal(load_all(&f, NULL, "name: t\ntopology: 1n1l2c1t\nduration: 1s\n"
					    "cgroups: [{name: cg0}]\n"), 0);
	assert_int_equal(sched_host__setup(f.set.items[0], 0, &s, err, sizeof(err)), 0);
	assert_false(s.active);
	assert_int_equal(s.nargs, 0);
	free_fx(&f);
}

static void test_schema_errors(void **state)
{
	struct fx f;

	(void)state;
	/* watchdog_timeout without a way to pass it */
	assert_int_equal(load_all(&f, NULL, "name: t\ntopology: 1n1l2c1t\nduration: 1s\n"
					    "scheduler: {name: s, watchdog_timeout: 2s}\n"
					    "cgroups: [{name: cg0}]\n"), -1);
	assert_true(has_diag(&f, "'watchdog_timeout' needs 'watchdog_arg'"));
	assert_int_equal(f.d.items[0].loc.line, 4);
	free_fx(&f);
	/* out of the kernel's range, and a template without {ms} */
	assert_int_equal(load_all(&f, NULL, "name: t\ntopology: 1n1l2c1t\nduration: 1s\n"
					    "scheduler: {name: s, watchdog_timeout: 31s,\n"
					    "  watchdog_arg: --timeout}\ncgroups: [{name: cg0}]\n"),
			 -1);
	assert_true(has_diag(&f, "'watchdog_timeout' must be from 100ms to 30s"));
	assert_true(has_diag(&f, "'watchdog_arg' is the scheduler's option with {ms}"));
	free_fx(&f);
	/* a scenario's watchdog_timeout: eevdf has none, a definition without watchdog_arg
	 * cannot take it, and the range holds */
	assert_int_equal(load_all(&f, NULL, "name: t\ntopology: 1n1l2c1t\nduration: 1s\n"
					    "watchdog_timeout: 2s\ncgroups: [{name: cg0}]\n"), -1);
	assert_true(has_diag(&f, "'watchdog_timeout' is for a sched_ext scheduler"));
	assert_int_equal(f.d.items[0].loc.line, 4);
	free_fx(&f);
	assert_int_equal(load_all(&f, NULL, "name: t\ntopology: 1n1l2c1t\nduration: 1s\n"
					    "scheduler: {name: s, binary: /bin/true}\n"
					    "watchdog_timeout: 2s\ncgroups: [{name: cg0}]\n"), -1);
	assert_true(has_diag(&f, "'watchdog_timeout': scheduler 's' has no 'watchdog_arg'"));
	free_fx(&f);
	assert_int_equal(load_all(&f, NULL, "name: t\ntopology: 1n1l2c1t\nduration: 1s\n"
					    "watchdog_timeout: 50ms\ncgroups: [{name: cg0}]\n"), -1);
	assert_true(has_diag(&f, "'watchdog_timeout' must be from 100ms to 30s"));
	free_fx(&f);
	/* eevdf takes neither */
	assert_int_equal(load_all(&f, NULL, "name: t\ntopology: 1n1l2c1t\nduration: 1s\n"
					    "scheduler: {name: eevdf, watchdog_timeout: 2s}\n"
					    "cgroups: [{name: cg0}]\n"), -1);
	assert_true(has_diag(&f, "takes no 'watchdog_timeout'"));
	free_fx(&f);
	/* expect: {fail: TEXT} */
	assert_int_equal(load_all(&f, NULL, "name: t\ntopology: 1n1l2c1t\nduration: 1s\n"
					    "expect: {fail: \"runnable task stall\"}\n"
					    "cgroups: [{name: cg0}]\n"), 0);
	assert_true(f.set.items[0]->expect_fail);
	assert_string_equal(f.set.items[0]->expect_reason, "runnable task stall");
	free_fx(&f);
	assert_int_equal(load_all(&f, NULL, "name: t\ntopology: 1n1l2c1t\nduration: 1s\n"
					    "expect: {fail: \"\"}\ncgroups: [{name: cg0}]\n"), -1);
	assert_true(has_diag(&f, "needs the reason text"));
	free_fx(&f);
	assert_int_equal(load_all(&f, NULL, "name: t\ntopology: 1n1l2c1t\nduration: 1s\n"
					    "expect: {pass: x}\ncgroups: [{name: cg0}]\n"), -1);
	free_fx(&f);
}

/* flags: from-binary, with stand-in binaries printing JSON */
static void test_from_binary(void **state)
{
	static const char good[] =
		"#!/bin/sh\n[ \"$1\" = --list-flags ] || exit 2\n"
		"echo '[{\"name\":\"short-slice\",\"args\":[\"--short-slice\"],\"requires\":[]},"
		"{\"name\":\"local-first\",\"args\":[\"--local-first\"],"
		"\"requires\":[\"short-slice\"]}]'\n";
	static const char bad[] = "#!/bin/sh\necho '[{\"name\": \"Bad Name\"}]'\n";
	static const char scen[] = "name: t\ntopology: 1n1l2c1t\nduration: 1s\nscheduler: fake\n"
				   "flags: {required: [local-first]}\ncgroups: [{name: cg0}]\n";
	char d[64] = "/tmp/ktstr-test-fb-XXXXXX", bin[128], scheds[256], err[256];
	struct sched_host_setup s;
	struct fx f;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(d));
	snprintf(bin, sizeof(bin), "%s/fake", d);
	snprintf(scheds, sizeof(scheds), "name: fake\nbinary: %s\nflags: from-binary\n", bin);

	for (int round = 0; round < 2; round++) {
		fp = fopen(bin, "w");
		assert_non_null(fp);
		fputs(round ? bad : good, fp);
		fclose(fp);
		assert_int_equal(chmod(bin, 0755), 0);
		scenario_set__init(&f.set);
		memset(&f.d, 0, sizeof(f.d));
		f.set.learn_flags = sched_find__learn_flags;
		assert_int_equal(sched_defs__load_buffer(&f.set, "s.yaml", scheds, strlen(scheds),
							 &f.d), 0);
		assert_true(f.set.scheds[0]->flags_from_binary);
		assert_int_equal(scenario__load_buffer(&f.set, "t.yaml", scen, strlen(scen), &f.d),
				 0);
		if (!round) {
			if (scenario_set__validate(&f.set, &f.d))
				diag__print(&f.d, stderr);
			assert_int_equal(f.d.n, 0);
			assert_int_equal(f.set.items[0]->sched->nflags, 2);
			assert_string_equal(f.set.items[0]->sched->flags[1].requires[0],
					    "short-slice");
			/* local-first requires short-slice: the profile has both */
			assert_int_equal(sched_host__setup(f.set.items[0], 1, &s, err, sizeof(err)),
					 0);
			assert_int_equal(s.nargs, 2);
			assert_string_equal(s.args[0], "--short-slice");
			assert_string_equal(s.args[1], "--local-first");
			sched_host__setup_free(&s);
		} else {
			assert_int_not_equal(scenario_set__validate(&f.set, &f.d), 0);
			assert_true(has_diag(&f, "has flags: from-binary, and its --list-flags could "
						 "not be read"));
			assert_true(has_diag(&f, "--list-flags:"));
		}
		free_fx(&f);
	}
	/*
	 * Without a learner (check and list run nothing on the host): nothing
	 * is run, the flags are marked unknown, the names are not judged.
	 */
	assert_int_equal(remove(bin), 0);	/* proof that it is not run: it is gone */
	scenario_set__init(&f.set);
	memset(&f.d, 0, sizeof(f.d));
	assert_int_equal(sched_defs__load_buffer(&f.set, "s.yaml", scheds, strlen(scheds), &f.d), 0);
	assert_int_equal(scenario__load_buffer(&f.set, "t.yaml", scen, strlen(scen), &f.d), 0);
	assert_int_equal(scenario_set__validate(&f.set, &f.d), 0);
	assert_true(f.set.items[0]->sched->flags_unknown);
	assert_int_equal(f.set.items[0]->sched->nflags, 0);
	free_fx(&f);
	fp = fopen(bin, "w");	/* for the cleanup below */
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(remove(bin), 0);
	assert_int_equal(remove(d), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_and_sections),
		cmocka_unit_test(test_reason_disabled),
		cmocka_unit_test(test_reason_died),
		cmocka_unit_test(test_reason_verifier),
		cmocka_unit_test(test_reason_not_attached),
		cmocka_unit_test(test_reason_restart),
		cmocka_unit_test(test_restart_lines),
		cmocka_unit_test(test_log_cap),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_expect_reason),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_schema_errors),
		cmocka_unit_test(test_from_binary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
