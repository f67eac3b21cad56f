// SPDX-License-Identifier: GPL-2.0
/* The newc writer: round trip through zlib, determinism, paths, cpio(1) agrees. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpio.h"
#include "newc_read.h"

#define BIG_LEN	(200 * 1024 + 3)	/* several read chunks, odd length */

static char tmpdir[256];
static char bigpath[300];
static uint8_t *big;

static int setup(void **state)
{
	FILE *f;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ktstr-test-cpio-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	big = malloc(BIG_LEN);
	if (!big)
		return -1;
	for (size_t i = 0; i < BIG_LEN; i++)
		big[i] = (uint8_t)(i * 2654435761u >> 13);
	snprintf(bigpath, sizeof(bigpath), "%s/big.bin", tmpdir);
	f = fopen(bigpath, "wb");
	if (!f || fwrite(big, 1, BIG_LEN, f) != BIG_LEN)
		return -1;
	fclose(f);
	chmod(bigpath, 0640);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	free(big);
	return system(cmd) == 0 ? 0 : -1;
}

/* The sample archive every test builds. */
static void add_sample(struct cpio *c)
{
	assert_int_equal(cpio__add_dir(c, "/dev", 0755), 0);
	assert_int_equal(cpio__add_dir(c, "tmp", 01777), 0);
	assert_int_equal(cpio__add_file(c, "/etc/hello", 0644, "hello\n", 6), 0);
	assert_int_equal(cpio__add_file(c, "/a/b/c/empty", 0600, NULL, 0), 0);
	assert_int_equal(cpio__add_file(c, "/a/b/odd", 0755, "12345", 5), 0);
	assert_int_equal(cpio__add_host_file(c, "/data/big.bin", 0, bigpath), 0);
	assert_int_equal(cpio__add_symlink(c, "/bin/sh", "busybox"), 0);
}

static void *build_mem(size_t *len, int level)
{
	struct cpio *c = cpio__new(-1, level);
	void *buf = NULL;

	assert_non_null(c);
	add_sample(c);
	assert_int_equal(cpio__finish(c, &buf, len), 0);
	assert_int_equal(cpio__entries(c), 13);
	assert_int_equal(cpio__out_bytes(c), *len);
	cpio__free(c);
	return buf;
}

static void test_round_trip(void **state)
{
	static const struct { const char *name; uint32_t mode; } want[] = {
		{ "dev", 040755 }, { "tmp", 041777 }, { "etc", 040755 }, { "etc/hello", 0100644 },
		{ "a", 040755 }, { "a/b", 040755 }, { "a/b/c", 040755 }, { "a/b/c/empty", 0100600 },
		{ "a/b/odd", 0100755 }, { "data", 040755 }, { "data/big.bin", 0100640 },
		{ "bin", 040755 }, { "bin/sh", 0120777 },
	};
	struct newc a;
	size_t len;
	void *gz = build_mem(&len, -1);

	assert_int_equal(len % 512, 0);
	assert_memory_equal(gz, "\x1f\x8b\x08", 3);	/* gzip, deflate */
	assert_int_equal(newc_read(gz, len, &a), 0);
	assert_int_equal(a.n, 13);
	for (size_t i = 0; i < a.n; i++) {
		assert_string_equal(a.v[i].name, want[i].name);
		assert_int_equal(a.v[i].mode, want[i].mode);
		assert_int_equal(a.v[i].ino, i + 1);
		assert_int_equal(a.v[i].uid, 0);
		assert_int_equal(a.v[i].gid, 0);
		assert_int_equal(a.v[i].mtime, 0);
		assert_int_equal(a.v[i].nlink, (want[i].mode & 040000) ? 2 : 1);
	}
	assert_int_equal(newc_find(&a, "etc/hello")->size, 6);
	assert_memory_equal(newc_find(&a, "etc/hello")->data, "hello\n", 6);
	assert_memory_equal(newc_find(&a, "a/b/odd")->data, "12345", 5);
	assert_int_equal(newc_find(&a, "a/b/c/empty")->size, 0);
	assert_int_equal(newc_find(&a, "data/big.bin")->size, BIG_LEN);
	assert_memory_equal(newc_find(&a, "data/big.bin")->data, big, BIG_LEN);
	assert_int_equal(newc_find(&a, "bin/sh")->size, 7);
	assert_memory_equal(newc_find(&a, "bin/sh")->data, "busybox", 7);
	newc_free(&a);
	free(gz);
}

static void test_deterministic(void **state)
{
	char path[400];
	size_t l1, l2, l0;
	void *a = build_mem(&l1, -1), *b = build_mem(&l2, 6), *s = build_mem(&l0, 0);
	struct cpio *c;
	struct stat st;
	uint8_t *fbuf;
	FILE *f;
	int fd;

	assert_int_equal(l1, l2);
	assert_memory_equal(a, b, l1);
	assert_true(l0 > l1);	/* level 0 stores */

	/* The fd writer gives the same bytes as the memory writer. */
	snprintf(path, sizeof(path), "%s/fd.img", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	c = cpio__new(fd, -1);
	add_sample(c);
	assert_int_equal(cpio__finish(c, NULL, &l2), 0);
	cpio__free(c);
	close(fd);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal((size_t)st.st_size, l1);
	assert_int_equal(l2, l1);
	fbuf = malloc(l1);
	f = fopen(path, "rb");
	assert_int_equal(fread(fbuf, 1, l1, f), l1);
	fclose(f);
	assert_memory_equal(fbuf, a, l1);
	free(fbuf);
	free(a);
	free(b);
	free(s);
}

static void bad_path(struct cpio *c, const char *path, int want, const char *msg)
{
	assert_int_equal(cpio__add_file(c, path, 0644, "x", 1), want);
	if (!strstr(cpio__errmsg(c), msg))
		fail_msg("path '%s': message '%s' lacks '%s'", path, cpio__errmsg(c), msg);
}

static void test_path_errors(void **state)
{
	struct cpio *c = cpio__new(-1, 1);
	char longp[CPIO_PATH_MAX + 10];
	char norm[64], err[256];
	void *buf;
	size_t len;
	struct newc a;

	bad_path(c, "", -EINVAL, "is empty");
	bad_path(c, "/", -EINVAL, "is empty");
	bad_path(c, "//etc/x", -EINVAL, "absolute after the leading '/'");
	bad_path(c, "a//b", -EINVAL, "empty component");
	bad_path(c, "a/b/", -EINVAL, "trailing '/'");
	bad_path(c, "../etc/passwd", -EINVAL, "'..' component");
	bad_path(c, "/a/../b", -EINVAL, "'..' component");
	bad_path(c, "a/..", -EINVAL, "'..' component");
	bad_path(c, "./a", -EINVAL, "'.' component");
	bad_path(c, "a/./b", -EINVAL, "'.' component");
	memset(longp, 'x', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	bad_path(c, longp, -ENAMETOOLONG, "too long");
	assert_int_equal(cpio__entries(c), 0);	/* nothing written for bad paths */

	/* Names that look odd but are fine. */
	assert_int_equal(cpio__check_path("/a/..b/.c/...", norm, sizeof(norm), err, sizeof(err)), 0);
	assert_string_equal(norm, "a/..b/.c/...");

	/* Duplicates, explicit or through an automatic parent; file as a parent. */
	assert_int_equal(cpio__add_file(c, "/etc/x", 0644, "1", 1), 0);
	bad_path(c, "etc/x", -EEXIST, "'/etc/x' is added twice");
	assert_int_equal(cpio__add_dir(c, "/etc", 0755), -EEXIST);
	assert_int_equal(cpio__add_symlink(c, "/etc", "x"), -EEXIST);
	bad_path(c, "/etc/x/y", -ENOTDIR, "'/etc/x' is not a directory");
	assert_true(cpio__exists(c, "/etc"));
	assert_true(cpio__exists(c, "etc/x"));
	assert_false(cpio__exists(c, "/etc/y"));
	assert_int_equal(cpio__add_symlink(c, "/l", ""), -EINVAL);

	/* A missing host file names itself; the archive stays usable. */
	assert_int_equal(cpio__add_host_file(c, "/m", 0, "/nonexistent/ktstr-x"), -ENOENT);
	assert_non_null(strstr(cpio__errmsg(c), "/nonexistent/ktstr-x"));
	assert_int_equal(cpio__add_host_file(c, "/m", 0, "/"), -EISDIR);
	assert_non_null(strstr(cpio__errmsg(c), "Is a directory"));
	assert_false(cpio__exists(c, "/m"));

	assert_int_equal(cpio__finish(c, &buf, &len), 0);
	assert_int_equal(cpio__add_dir(c, "/late", 0755), -EINVAL);
	assert_int_equal(cpio__finish(c, &buf, &len), -EINVAL);
	assert_int_equal(newc_read(buf, len, &a), 0);
	assert_int_equal(a.n, 2);	/* etc, etc/x */
	newc_free(&a);
	free(buf);
	cpio__free(c);
	assert_null(cpio__new(-1, 10));
}

/* Write-side failure (a closed fd): an error, then nothing more is accepted. */
static void test_write_error(void **state)
{
	int fds[2];
	struct cpio *c;

	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	c = cpio__new(fds[1], 0);
	assert_int_equal(cpio__add_host_file(c, "/big", 0, bigpath), -EPIPE);
	assert_non_null(strstr(cpio__errmsg(c), "writing the archive"));
	assert_int_equal(cpio__add_dir(c, "/x", 0755), -EIO);
	cpio__free(c);
	close(fds[1]);
}

/* GNU cpio lists and extracts the archive to the same names and bytes. */
static void test_cpio_tool(void **state)
{
	char raw[400], dir[400], cmd[1400], got[4600];
	struct newc a;
	size_t len;
	void *gz = build_mem(&len, -1);
	FILE *f;
	static const char *const listing =
		"dev\ntmp\netc\netc/hello\na\na/b\na/b/c\na/b/c/empty\na/b/odd\ndata\n"
		"data/big.bin\nbin\nbin/sh\n";
	char out[1024];
	size_t n;

	if (system("cpio --version >/dev/null 2>&1")) {
		free(gz);
		skip();
	}
	assert_int_equal(newc_read(gz, len, &a), 0);
	snprintf(raw, sizeof(raw), "%s/raw.cpio", tmpdir);
	snprintf(dir, sizeof(dir), "%s/x", tmpdir);
	f = fopen(raw, "wb");
	assert_int_equal(fwrite(a.raw, 1, a.len, f), a.len);
	fclose(f);

	snprintf(cmd, sizeof(cmd), "cpio -it --quiet < '%s'", raw);
	f = popen(cmd, "r");
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	assert_int_equal(pclose(f), 0);
	assert_string_equal(out, listing);

	snprintf(cmd, sizeof(cmd), "mkdir '%s' && cd '%s' && cpio -idm --quiet < '%s'", dir, dir, raw);
	assert_int_equal(system(cmd), 0);
	for (size_t i = 0; i < a.n; i++) {
		struct stat st;

		snprintf(got, sizeof(got), "%s/%s", dir, a.v[i].name);
		assert_int_equal(lstat(got, &st), 0);
		assert_int_equal(st.st_mode & 0170000, a.v[i].mode & 0170000);
		if (S_ISREG(st.st_mode)) {
			uint8_t *b = malloc(a.v[i].size + 1);

			assert_int_equal((size_t)st.st_size, a.v[i].size);
			f = fopen(got, "rb");
			assert_int_equal(fread(b, 1, a.v[i].size + 1, f), a.v[i].size);
			fclose(f);
			assert_memory_equal(b, a.v[i].data, a.v[i].size);
			free(b);
		}
	}
	snprintf(got, sizeof(got), "%s/bin/sh", dir);
	n = (size_t)readlink(got, out, sizeof(out));
	assert_int_equal(n, 7);
	assert_memory_equal(out, "busybox", 7);
	newc_free(&a);
	free(gz);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_path_errors),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_cpio_tool),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
