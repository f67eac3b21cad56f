// SPDX-License-Identifier: GPL-2.0
/*
 * ktstr shell's pure parts: the escape keys (cmd/run/shell_keys.h), the
 * console filter at the agent's mark (run_shell__mark), --include's walk,
 * the flags of --scheduler S:FLAGS (shell_sched__flags), the plan's shell
 * records from the writer to the agent's parser and the parser's refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/plan_read.h"
#include "base/diag.h"
#include "run/run_shell.h"
#include "run/shell_keys.h"
#include "run/shell_sched.h"
#include "scenario/plan_write.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"

/* ---- the escape keys */

static enum shell_key_action feed(struct shell_keys *k, const char *in, char *out, size_t *nout,
				  size_t *used)
{
	return shell_keys__feed(k, in, strlen(in), out, nout, used);
}

static void test_keys_plain_and_quit(void **state)
{
	struct shell_keys k = { 0 };
	char out[64];
	size_t n, used;

	(void)state;
	assert_int_equal(feed(&k, "ls -l\r\x03", out, &n, &used), SHELL_KEY_NONE);
	assert_int_equal(n, 7);
	assert_memory_equal(out, "ls -l\r\x03", 7);
	assert_int_equal(used, 7);
	/* Ctrl-A x: the bytes before it go out, the rest waits for the caller. */
	assert_int_equal(feed(&k, "ab\x01xcd", out, &n, &used), SHELL_KEY_QUIT);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "ab", 2);
	assert_int_equal(used, 4);
	assert_false(k.armed);
	assert_int_equal(feed(&k, "\x01X", out, &n, &used), SHELL_KEY_QUIT);
	assert_int_equal(n, 0);
}

static void test_keys_literal_and_help(void **state)
{
	struct shell_keys k = { 0 };
	char out[64];
	size_t n, used;

	(void)state;
	/* Ctrl-A Ctrl-A: one Ctrl-A; Ctrl-A e: both, nothing lost. */
	assert_int_equal(feed(&k, "\x01\x01" "a\x01" "e", out, &n, &used), SHELL_KEY_NONE);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "\x01" "a\x01" "e", 4);
	assert_int_equal(feed(&k, "z\x01h", out, &n, &used), SHELL_KEY_HELP);
	assert_int_equal(n, 1);
	assert_int_equal(used, 3);
	assert_int_equal(feed(&k, "\x01?", out, &n, &used), SHELL_KEY_HELP);
}

static void test_keys_across_reads(void **state)
{
	struct shell_keys k = { 0 };
	char out[64];
	size_t n, used;

	(void)state;
	/* The Ctrl-A ends one read, its command starts the next. */
	assert_int_equal(feed(&k, "q\x01", out, &n, &used), SHELL_KEY_NONE);
	assert_int_equal(n, 1);
	assert_true(k.armed);
	assert_int_equal(feed(&k, "x", out, &n, &used), SHELL_KEY_QUIT);
	assert_int_equal(n, 0);
	/* ... or a byte that is no command: both go out then. */
	assert_int_equal(feed(&k, "\x01", out, &n, &used), SHELL_KEY_NONE);
	assert_int_equal(n, 0);
	assert_int_equal(feed(&k, "w", out, &n, &used), SHELL_KEY_NONE);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "\x01w", 2);
}

/* ---- the console filter at KTSTR_SHELL_MARK */

struct two {
	char pre[512], post[512];
	size_t npre, npost;
};

static void to_pre(void *arg, const void *d, size_t n)
{
	struct two *t = arg;

	assert_true(t->npre + n < sizeof(t->pre));
	memcpy(t->pre + t->npre, d, n);
	t->npre += n;
}

static void to_post(void *arg, const void *d, size_t n)
{
	struct two *t = arg;

	assert_true(t->npost + n < sizeof(t->post));
	memcpy(t->post + t->npost, d, n);
	t->npost += n;
}

/* Feed @s in chunks cut at @cut1 and @cut2; check both sides. */
static void mark_case(const char *s, size_t cut1, size_t cut2, const char *pre, const char *post)
{
	struct run_shell sh = { 0 };
	struct two t = { 0 };
	size_t len = strlen(s);

	if (cut1 > len)
		cut1 = len;
	if (cut2 < cut1)
		cut2 = cut1;
	if (cut2 > len)
		cut2 = len;
	run_shell__mark(&sh, s, cut1, to_pre, to_post, &t);
	run_shell__mark(&sh, s + cut1, cut2 - cut1, to_pre, to_post, &t);
	run_shell__mark(&sh, s + cut2, len - cut2, to_pre, to_post, &t);
	if (t.npre != strlen(pre) || memcmp(t.pre, pre, t.npre) || t.npost != strlen(post) ||
	    memcmp(t.post, post, t.npost))
		fail_msg("cuts %zu,%zu of %s: pre '%.*s' post '%.*s'", cut1, cut2, s, (int)t.npre,
			 t.pre, (int)t.npost, t.post);
}

static void test_mark_every_cut(void **state)
{
	static const char *const cases[][3] = {
		/* input, before the mark, after it */
		{ "boot log\n" KTSTR_SHELL_MARK "$ ls\n", "boot log\n", "$ ls\n" },
		{ KTSTR_SHELL_MARK, "", "" },
		/* a false start is plain output, and the real mark may follow at once */
		{ "a\036ktstr-x\036\036ktstr-shell\036b", "a\036ktstr-x\036", "b" },
		{ "\036\036ktstr-shell\036" KTSTR_SHELL_MARK, "\036", KTSTR_SHELL_MARK },
		/* what may be the mark's start is held until the next chunk says */
		{ "no mark yet\036ktstr-shel", "no mark yet", "" },
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t len = strlen(cases[c][0]);

		for (size_t i = 0; i <= len; i++)
			for (size_t j = i; j <= len; j++)
				mark_case(cases[c][0], i, j, cases[c][1], cases[c][2]);
	}
}

/* ---- --include */

static const struct run_shell_file *find_guest(const struct run_shell *s, const char *guest)
{
	for (size_t i = 0; i < s->nfiles; i++)
		if (!strcmp(s->files[i].guest, guest))
			return &s->files[i];
	return NULL;
}

static void test_include_walk(void **state)
{
	char dir[] = "/tmp/ktstr-test-shell-XXXXXX", path[PATH_MAX], err[512];
	struct run_shell s = { 0 };
	const struct run_shell_file *f;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/tools", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/tools/sub", dir);
	assert_int_equal(mkdir(path, 0750), 0);
	snprintf(path, sizeof(path), "%s/tools/sub/run.sh", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("#!/bin/sh\necho hi\n", fp);
	fclose(fp);
	chmod(path, 0755);
	snprintf(path, sizeof(path), "%s/tools/", dir);	/* a trailing '/' is no name */
	assert_int_equal(run_shell__include(&s, path, err, sizeof(err)), 0);
	f = find_guest(&s, RUN_SHELL_INCLUDE_DIR "/tools");
	assert_non_null(f);
	assert_null(f->host);			/* a directory */
	f = find_guest(&s, RUN_SHELL_INCLUDE_DIR "/tools/sub");
	assert_non_null(f);
	assert_int_equal(f->mode, 0750);
	f = find_guest(&s, RUN_SHELL_INCLUDE_DIR "/tools/sub/run.sh");
	assert_non_null(f);
	assert_non_null(f->host);
	assert_false(f->elf);			/* a script is data */
	assert_int_equal(f->mode, 0755);
	assert_int_equal(s.include_bytes, strlen("#!/bin/sh\necho hi\n"));
	/* An executable ELF is packed with its libraries. */
	if (!access("/bin/true", X_OK)) {
		assert_int_equal(run_shell__include(&s, "/bin/true", err, sizeof(err)), 0);
		f = find_guest(&s, RUN_SHELL_INCLUDE_DIR "/true");
		assert_non_null(f);
		assert_true(f->elf);
	}
	/* The same name twice, a missing one, no name at all. */
	snprintf(path, sizeof(path), "%s/tools/sub/../../tools", dir);
	assert_int_equal(run_shell__include(&s, path, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "both would land at " RUN_SHELL_INCLUDE_DIR "/tools"));
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(run_shell__include(&s, path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "missing"));
	assert_int_equal(run_shell__include(&s, "/", err, sizeof(err)), -EINVAL);
	assert_int_equal(run_shell__include(&s, "..", err, sizeof(err)), -EINVAL);
	run_shell__free(&s);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* ---- --scheduler S:FLAGS */

static void test_sched_flags(void **state)
{
	static const char defs[] =
		"name: fx\n"
		"flags:\n"
		"  - {name: short-slice, args: [--short-slice]}\n"
		"  - {name: local-first, args: [--local-first], requires: [short-slice]}\n"
		"  - {name: other, args: [--other]}\n";
	struct scenario_set set;
	struct diag_list d = { 0 };
	flag_mask m;
	char err[512];

	(void)state;
	scenario_set__init(&set);
	assert_int_equal(sched_defs__load_buffer(&set, "fx.yaml", defs, sizeof(defs) - 1, &d), 0);
	assert_int_equal(set.nscheds, 1);
	assert_int_equal(shell_sched__flags(set.scheds[0], "short-slice+local-first", &m, err,
					    sizeof(err)), 0);
	assert_int_equal(m, 3);
	assert_int_equal(shell_sched__flags(set.scheds[0], "other,short-slice", &m, err,
					    sizeof(err)), 0);
	assert_int_equal(m, 5);
	assert_int_equal(shell_sched__flags(set.scheds[0], "local-first", &m, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "requires 'short-slice'"));
	assert_non_null(strstr(err, "fx:short-slice+local-first"));
	assert_int_equal(shell_sched__flags(set.scheds[0], "nope", &m, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "its flags: short-slice, local-first, other"));
	diag__free(&d);
	scenario_set__free(&set);
}

/* ---- the plan's shell records */

static const char shell_yaml[] = "name: ktstr-shell\ntopology: 1n1l2c1t\nsteps:\n  - hold: 1s\n";

/* Write the plan of shell_yaml with @req into a malloc'd string. */
static char *write_plan(const struct plan_shell_req *req, size_t *len)
{
	struct plan_opts po = PLAN_OPTS_DEFAULT;
	struct scenario_set set;
	struct diag_list d = { 0 };
	char *text = NULL, err[256];
	FILE *f = open_memstream(&text, len);

	assert_non_null(f);
	scenario_set__init(&set);
	assert_int_equal(scenario__load_buffer(&set, "s.yaml", shell_yaml, sizeof(shell_yaml) - 1,
					       &d), 0);
	assert_int_equal(scenario_set__validate(&set, &d), 0);
	po.shell = req;
	assert_int_equal(plan__write(set.items[0], &set.items[0]->topology, &po, f, err,
				     sizeof(err)), 0);
	fclose(f);
	diag__free(&d);
	scenario_set__free(&set);
	return text;
}

static void test_plan_round_trip(void **state)
{
	const char *env[] = { "PATH=/ktstr/include:/bin", "TERM=xterm 256 %color", "PS1=a\\w b" };
	struct plan_shell_req req = { .cmd = "echo 'a b' | tr a-z A-Z; exit 3", .env = env,
				      .nenv = 3 };
	struct plan p;
	char err[256], *text;
	size_t len;

	(void)state;
	text = write_plan(&req, &len);
	assert_int_equal(plan__parse(text, len, &p, err, sizeof(err)), 0);
	assert_int_equal(p.shell.mode, PLAN_SHELL_CMD);
	assert_string_equal(p.shell.cmd, req.cmd);
	assert_int_equal(p.shell.nenv, 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(p.shell.env[i], env[i]);
	assert_null(p.shell.env[3]);
	plan__free(&p);
	free(text);

	req = (struct plan_shell_req){ .rows = 30, .cols = 100 };
	text = write_plan(&req, &len);
	assert_int_equal(plan__parse(text, len, &p, err, sizeof(err)), 0);
	assert_int_equal(p.shell.mode, PLAN_SHELL_TTY);
	assert_null(p.shell.cmd);
	assert_int_equal(p.shell.rows, 30);
	assert_int_equal(p.shell.cols, 100);
	plan__free(&p);
	free(text);

	req = (struct plan_shell_req){ .script = true };
	text = write_plan(&req, &len);
	assert_int_equal(plan__parse(text, len, &p, err, sizeof(err)), 0);
	assert_int_equal(p.shell.mode, PLAN_SHELL_SCRIPT);
	plan__free(&p);
	free(text);

	/* No shell: a scenario's plan. */
	text = write_plan(NULL, &len);
	assert_null(strstr(text, "\nshell"));
	assert_int_equal(plan__parse(text, len, &p, err, sizeof(err)), 0);
	assert_int_equal(p.shell.mode, PLAN_SHELL_NONE);
	plan__free(&p);
	free(text);
}

/* A minimal plan with @records before its backdrop must fail with @why. */
static void plan_refused(const char *records, const char *why)
{
	char text[1024], err[256];
	struct plan p;
	int n = snprintf(text, sizeof(text), "ktstr-plan 2\nname =x\nduration 1000\nworkers 1\n"
			 "ncpus 1\ncpu 0 0 0\nscheduler -\n%sbackdrop\nend\n", records);

	if (plan__parse(text, (size_t)n, &p, err, sizeof(err)) != -EINVAL) {
		plan__free(&p);
		fail_msg("accepted: %s", records);
	}
	if (!strstr(err, why))
		fail_msg("'%s': '%s' does not say '%s'", records, err, why);
}

static void test_plan_refusals(void **state)
{
	(void)state;
	plan_refused("shell-cmd =ls\n", "before 'shell'");
	plan_refused("shell bash\n", "'tty', 'cmd' or 'script'");
	plan_refused("shell tty\nshell cmd\n", "a second 'shell'");
	plan_refused("shell tty\nshell-cmd =ls\n", "without 'shell cmd'");
	plan_refused("shell cmd\nshell-cmd =ls\nshell-cmd =ls\n", "a second 'shell-cmd'");
	plan_refused("shell tty\nshell-env =NOVALUE\n", "not NAME=VALUE");
	plan_refused("shell tty\nshell-env ==x\n", "not NAME=VALUE");
	plan_refused("shell tty\nshell-size 24\n", "");
	plan_refused("shell tty\nshell-sizes 24 80\n", "unknown record");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_plain_and_quit),
		cmocka_unit_test(test_keys_literal_and_help),
		cmocka_unit_test(test_keys_across_reads),
		cmocka_unit_test(test_mark_every_cut),
		cmocka_unit_test(test_include_walk),
		cmocka_unit_test(test_sched_flags),
		cmocka_unit_test(test_plan_round_trip),
		cmocka_unit_test(test_plan_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
