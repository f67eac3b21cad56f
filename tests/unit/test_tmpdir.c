// SPDX-License-Identifier: GPL-2.0
/*
 * ktstr's temporary directories (lib/base/tmpdir.h): a directory whose owner
 * died without removing it is a leftover the next ktstr removes; one whose
 * owner lives, or that is being created, is not.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/fsutil.h"
#include "base/tmpdir.h"

static void test_leftovers(void **state)
{
	char base[] = "/tmp/ktstr-tmpdir-test-XXXXXX", young[PATH_MAX], err[256];
	struct tmpdir live = { .lock_fd = -1 }, dead;
	struct stat st;
	int pipefd[2], status;
	pid_t pid;

	(void)state;
	assert_non_null(mkdtemp(base));
	setenv("TMPDIR", base, 1);
	assert_int_equal(tmpdir__create(&live, "t", 0, err, sizeof(err)), 0);
	assert_int_equal(strncmp(live.path, base, strlen(base)), 0);
	/* A child creates one and dies without removing it: as after kill -9. */
	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		dead.lock_fd = -1;
		if (tmpdir__create(&dead, "t", 0, err, sizeof(err)) ||
		    write(pipefd[1], dead.path, sizeof(dead.path)) != sizeof(dead.path))
			_exit(1);
		_exit(0);
	}
	assert_int_equal(read(pipefd[0], dead.path, sizeof(dead.path)), sizeof(dead.path));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	snprintf(young, sizeof(young), "%s/ktstr-t-young", base);
	assert_int_equal(mkdir(young, 0700), 0);	/* no lock file yet: being created */
	/* Right after the death: too young to tell from a creation. */
	assert_int_equal(tmpdir__clean_stale("t"), 0);
	sleep(3);
	assert_int_equal(tmpdir__clean_stale("t"), 1);
	assert_int_equal(stat(dead.path, &st), -1);	/* the dead one's */
	assert_int_equal(stat(live.path, &st), 0);	/* ours: still locked */
	assert_int_equal(stat(young, &st), 0);		/* no lock, but not an hour old */
	assert_int_equal(tmpdir__clean_stale("other"), 0);
	snprintf(young, sizeof(young), "%s", live.path);
	tmpdir__remove(&live);
	assert_int_equal(stat(young, &st), -1);		/* removed, lock file and all */
	assert_int_equal(live.lock_fd, -1);
	tmpdir__remove(&live);	/* idempotent */
	assert_int_equal(fsutil__rm_rf(base), 0);
	close(pipefd[0]);
	close(pipefd[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leftovers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
