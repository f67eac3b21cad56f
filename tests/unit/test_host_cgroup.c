// SPDX-License-Identifier: GPL-2.0
/*
 * ktstr run --host's cgroups (cmd/run/host_cgroup.h): the cgroup2 mount
 * found in /proc/mounts, which names are ours, and the leftover scan: an
 * unlocked ktstr-host-* goes (deepest first), a locked one and anything
 * else stay. Plain directories stand in for cgroups (flock and rmdir work
 * the same; there is no cgroup.procs or cgroup.kill to act on).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/fsutil.h"
#include "run/host_cgroup.h"

static void test_find_mount(void **state)
{
	const char *v1 =
		"tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0\n"
		"cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0\n";
	const char *v2 =
		"proc /proc proc rw 0 0\n"
		"cgroup /sys/fs/cgroup/cpuset cgroup rw,cpuset 0 0\n"
		"none /tmp/my\\040dir/cg2 cgroup2 rw,relatime 0 0\n"
		"cgroup2 /sys/fs/cgroup cgroup2 rw,nsdelegate 0 0\n";
	char buf[PATH_MAX], tiny[8];

	(void)state;
	assert_int_equal(host_cg__find_mount(v1, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(host_cg__find_mount("", buf, sizeof(buf)), -ENOENT);
	/* The first cgroup2 line, its \040 a space again; a type of "cgroup" is v1. */
	assert_int_equal(host_cg__find_mount(v2, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/tmp/my dir/cg2");
	assert_int_equal(host_cg__find_mount("cgroup2 /sys/fs/cgroup cgroup2 rw 0 0", buf,
					     sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/fs/cgroup");
	assert_int_equal(host_cg__find_mount(v2, tiny, sizeof(tiny)), -ENAMETOOLONG);
}

static void test_is_ours(void **state)
{
	(void)state;
	assert_true(host_cg__is_ours("ktstr-host-1"));
	assert_true(host_cg__is_ours("ktstr-host-4000000000"));
	assert_false(host_cg__is_ours("ktstr-host-"));
	assert_false(host_cg__is_ours("ktstr-host-12a"));
	assert_false(host_cg__is_ours("ktstr-host-1/.."));
	assert_false(host_cg__is_ours("ktstr-run-1"));
	assert_false(host_cg__is_ours("system.slice"));
	assert_false(host_cg__is_ours("xktstr-host-1"));
}

static void mk(const char *base, const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static bool there(const char *base, const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	return !stat(p, &st);
}

static void test_leftovers(void **state)
{
	char root[] = "/tmp/ktstr-host-cg-test-XXXXXX", p[PATH_MAX], err[256];
	struct host_cg live = { .lock_fd = -1 };
	int held, other;

	(void)state;
	assert_non_null(mkdtemp(root));
	/* A killed run's: nested, unlocked. */
	mk(root, "ktstr-host-11");
	mk(root, "ktstr-host-11/agent");
	mk(root, "ktstr-host-11/ktstr-12");
	mk(root, "ktstr-host-11/ktstr-12/cg_0");
	/* A live run's (another process, as far as flock goes: its own open file). */
	mk(root, "ktstr-host-21");
	mk(root, "ktstr-host-21/agent");
	snprintf(p, sizeof(p), "%s/ktstr-host-21", root);
	held = open(p, O_RDONLY | O_DIRECTORY);
	assert_true(held >= 0);
	assert_int_equal(flock(held, LOCK_EX | LOCK_NB), 0);
	/* Not ours: never touched. */
	mk(root, "ktstr-host-x");
	mk(root, "system.slice");

	assert_int_equal(host_cg__clean_leftovers(root), 1);
	assert_false(there(root, "ktstr-host-11"));
	assert_true(there(root, "ktstr-host-21/agent"));
	assert_true(there(root, "ktstr-host-x"));
	assert_true(there(root, "system.slice"));
	/* Its run ended: the next scan takes it. */
	close(held);
	assert_int_equal(host_cg__clean_leftovers(root), 1);
	assert_false(there(root, "ktstr-host-21"));
	assert_int_equal(host_cg__clean_leftovers(root), 0);

	/* Our own: ktstr-host-<pid>, locked until removed. */
	assert_int_equal(host_cg__create(&live, root, err, sizeof(err)), 0);
	snprintf(p, sizeof(p), "%s/ktstr-host-%d", root, (int)getpid());
	assert_string_equal(live.path, p);
	other = open(p, O_RDONLY | O_DIRECTORY);
	assert_true(other >= 0);
	assert_int_equal(flock(other, LOCK_EX | LOCK_NB), -1);
	close(other);
	assert_int_equal(host_cg__clean_leftovers(root), 0);
	assert_true(there(root, live.path + strlen(root) + 1));
	/* A second one for the same pid cannot be made: EEXIST, not a shared cgroup. */
	{
		struct host_cg dup = { .lock_fd = -1 };

		assert_int_equal(host_cg__create(&dup, root, err, sizeof(err)), -EEXIST);
		assert_non_null(strstr(err, "cannot create the cgroup"));
	}
	assert_int_equal(host_cg__remove(&live), 0);
	assert_false(there(root, p + strlen(root) + 1));
	assert_int_equal(live.lock_fd, -1);
	assert_int_equal(host_cg__remove(&live), 0);	/* idempotent */
	assert_true(there(root, "ktstr-host-x"));
	assert_true(there(root, "system.slice"));
	assert_int_equal(fsutil__rm_rf(root), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_mount),
		cmocka_unit_test(test_is_ours),
		cmocka_unit_test(test_leftovers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
