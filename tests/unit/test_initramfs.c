// SPDX-License-Identifier: GPL-2.0
/*
 * The initramfs builder: what lands where, same bytes every time, atomic
 * file output that leaves nothing behind on error, base + overlay.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "initramfs.h"
#include "newc_read.h"

#define BUSYBOX	"/bin/busybox"

static char tmpdir[256];
static char err[1024];
static const char plan[] = "plan v1\n";
static const struct initramfs_file plan_file[] = {
	{ INITRAMFS_PLAN_PATH, plan, sizeof(plan) - 1, 0 },
};
static const struct initramfs_bin ls_bin[] = { { "/bin/ls", "/usr/bin/ls" } };

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ktstr-test-ird-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static size_t dir_entries(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	size_t n = 0;

	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void assert_same_as_file(const struct newc_ent *e, const char *host)
{
	struct stat st;
	uint8_t *b;
	FILE *f;

	assert_non_null(e);
	assert_int_equal(stat(host, &st), 0);
	assert_int_equal(e->size, (size_t)st.st_size);
	b = malloc(e->size + 1);
	f = fopen(host, "rb");
	assert_int_equal(fread(b, 1, e->size, f), e->size);
	fclose(f);
	assert_memory_equal(b, e->data, e->size);
	free(b);
}

static void *build(const struct initramfs_opts *o, size_t *len)
{
	void *buf = NULL;

	if (initramfs__build(o, &buf, len, err, sizeof(err)))
		fail_msg("build: %s", err);
	return buf;
}

static void test_contents(void **state)
{
	struct initramfs_opts o = {
		.init = BUSYBOX, .busybox = true,
		.bins = ls_bin, .nbins = 1, .files = plan_file, .nfiles = 1,
	};
	static const char *const dirs[] = { "dev", "proc", "sys", "tmp", "run" };
	const struct newc_ent *e;
	struct newc a;
	size_t len, len2;
	void *gz, *gz2;

	if (access(BUSYBOX, R_OK))
		skip();
	gz = build(&o, &len);
	assert_int_equal(newc_read(gz, len, &a), 0);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(a.v[i].name, dirs[i]);
		assert_true(a.v[i].mode & 040000);
	}
	assert_int_equal(newc_find(&a, "tmp")->mode, 041777);
	e = newc_find(&a, "init");
	assert_int_equal(e->mode, 0100755);
	assert_same_as_file(e, BUSYBOX);
	assert_same_as_file(newc_find(&a, "bin/busybox"), BUSYBOX);
	e = newc_find(&a, "bin/sh");
	assert_int_equal(e->mode, 0120777);
	assert_memory_equal(e->data, "busybox", 7);
	assert_same_as_file(newc_find(&a, "usr/bin/ls"), "/bin/ls");
	/* The interpreter at its PT_INTERP path, libraries at the loader's paths. */
	assert_same_as_file(newc_find(&a, "lib64/ld-linux-x86-64.so.2"), "/lib64/ld-linux-x86-64.so.2");
	assert_same_as_file(newc_find(&a, "lib/x86_64-linux-gnu/libc.so.6"),
			    "/lib/x86_64-linux-gnu/libc.so.6");
	e = newc_find(&a, "ktstr/plan");
	assert_int_equal(e->mode, 0100644);
	assert_int_equal(e->size, sizeof(plan) - 1);
	assert_memory_equal(e->data, plan, e->size);
	assert_null(newc_find(&a, "etc/ld.so.cache"));	/* all found in system dirs */
	newc_free(&a);

	/* Same inputs, same bytes. */
	gz2 = build(&o, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(gz, gz2, len);
	free(gz2);
	free(gz);
}

static void test_file_and_overlay(void **state)
{
	static const char plan2[] = "plan v2, longer\n";
	const struct initramfs_file f2[] = {
		{ INITRAMFS_PLAN_PATH, plan2, sizeof(plan2) - 1, 0 },
	};
	char out[400], ov[400];
	struct initramfs_opts o = {
		.init = BUSYBOX, .files = plan_file, .nfiles = 1, .out_path = out,
		.level = 1,
	};
	size_t len = 0, olen = 0, blen;
	uint8_t *both;
	void *obuf;
	struct newc a;
	FILE *f;

	if (access(BUSYBOX, R_OK))
		skip();
	snprintf(out, sizeof(out), "%s/base.img", tmpdir);
	snprintf(ov, sizeof(ov), "%s/overlay.img", tmpdir);
	assert_int_equal(initramfs__build(&o, NULL, &len, err, sizeof(err)), 0);
	assert_int_equal(initramfs__write_overlay(f2, 1, ov, NULL, &olen, err, sizeof(err)), 0);
	assert_int_equal(dir_entries(), 2);	/* no temporary files left */
	assert_int_equal(olen, 512);

	/* The memory overlay is the same archive. */
	assert_int_equal(initramfs__write_overlay(f2, 1, NULL, &obuf, &blen, err, sizeof(err)), 0);
	assert_int_equal(blen, olen);

	/* base + overlay: the overlay's plan wins, as in the kernel. */
	both = malloc(len + olen);
	f = fopen(out, "rb");
	assert_int_equal(fread(both, 1, len, f), len);
	fclose(f);
	memcpy(both + len, obuf, olen);
	assert_int_equal(newc_read(both, len + olen, &a), 0);
	assert_int_equal(newc_find(&a, "ktstr/plan")->size, sizeof(plan2) - 1);
	assert_memory_equal(newc_find(&a, "ktstr/plan")->data, plan2, sizeof(plan2) - 1);
	assert_non_null(newc_find(&a, "init"));
	newc_free(&a);
	free(both);
	free(obuf);
}

static void test_errors(void **state)
{
	char out[400];
	struct initramfs_opts o = {
		.init = "/nonexistent/ktstr-agent", .out_path = out,
	};
	const struct initramfs_file bad[] = { { "/a/../b", "x", 1, 0 } };
	size_t before = dir_entries();
	void *buf;
	size_t len;

	snprintf(out, sizeof(out), "%s/err.img", tmpdir);
	assert_int_equal(initramfs__build(&o, NULL, NULL, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/ktstr-agent"));
	assert_int_equal(dir_entries(), before);

	o.init = "/bin/ls";
	o.files = bad;
	o.nfiles = 1;
	assert_int_equal(initramfs__build(&o, NULL, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "/a/../b"));
	assert_int_equal(dir_entries(), before);

	o.files = NULL;
	o.nfiles = 0;
	o.busybox = true;
	o.busybox_path = "/nonexistent/busybox";
	assert_int_equal(initramfs__build(&o, NULL, NULL, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/busybox"));
	assert_int_equal(dir_entries(), before);

	o.busybox = false;
	snprintf(out, sizeof(out), "%s/no/such/dir/x.img", tmpdir);
	assert_int_equal(initramfs__build(&o, NULL, NULL, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/no/such/dir/x.img"));

	o.out_path = NULL;
	assert_int_equal(initramfs__build(&o, NULL, NULL, err, sizeof(err)), -EINVAL);
	o.level = 12;
	assert_int_equal(initramfs__build(&o, &buf, &len, err, sizeof(err)), -EINVAL);
	o.level = 0;
	assert_int_equal(initramfs__build(NULL, &buf, &len, err, sizeof(err)), -EINVAL);
	assert_int_equal(initramfs__write_overlay(bad, 1, NULL, &buf, &len, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(initramfs__write_overlay(bad, 1, NULL, NULL, NULL, err, sizeof(err)),
			 -EINVAL);
}

/* A scheduler finding its library through $ORIGIN, packed as /scheduler. */
static void test_origin_moves(void **state)
{
	const char *run = getenv("ELF_FIXTURE_RUNPATH"), *rp = getenv("ELF_FIXTURE_RPATH");
	const struct initramfs_bin bins[] = { { run, "/scheduler" }, { rp, "/b/sched2" } };
	struct initramfs_opts o = {
		.init = BUSYBOX, .bins = bins, .nbins = 2,
	};
	const struct newc_ent *e;
	char lib[4200];
	struct newc a;
	size_t len;
	void *gz;

	if (!run || !rp || access(BUSYBOX, R_OK))
		skip();
	snprintf(lib, sizeof(lib), "%s", run);
	snprintf(strrchr(lib, '/'), sizeof(lib) - (size_t)(strrchr(lib, '/') - lib),
		 "/libktstr_elf_fixture.so");
	gz = build(&o, &len);
	assert_int_equal(newc_read(gz, len, &a), 0);
	assert_same_as_file(newc_find(&a, "scheduler"), run);
	assert_same_as_file(newc_find(&a, "libktstr_elf_fixture.so"), lib);
	assert_non_null(newc_find(&a, "lib64/ld-linux-x86-64.so.2"));
	/* The same host file at a second guest path is a symlink to the first. */
	assert_same_as_file(newc_find(&a, "b/sched2"), rp);
	e = newc_find(&a, "b/libktstr_elf_fixture.so");
	assert_non_null(e);
	assert_int_equal(e->mode, 0120777);
	assert_int_equal(e->size, strlen("/libktstr_elf_fixture.so"));
	assert_memory_equal(e->data, "/libktstr_elf_fixture.so", e->size);
	newc_free(&a);
	free(gz);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contents),
		cmocka_unit_test(test_file_and_overlay),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_origin_moves),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
