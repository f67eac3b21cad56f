// SPDX-License-Identifier: GPL-2.0
/*
 * Library closures agree with ldd; static binaries have none; ld.so.cache
 * parsing, handcrafted and corrupt caches; missing libraries and foreign
 * ELF classes are errors that name the file.
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

#include "elf_deps.h"
#include "ldcache.h"

#define INTERP	"/lib64/ld-linux-x86-64.so.2"

static char tmpdir[256];
static char self[4096];
static char err[1024];

static int setup(void **state)
{
	ssize_t n;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ktstr-test-elf-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const struct elf_dep *dep_named(const struct elf_deps *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].name, name))
			return &d->v[i];
	return NULL;
}

/*
 * `ldd BIN` lines "name => path (addr)" and "/path (addr)" must match the
 * closure one to one (linux-vdso is the kernel's, not a file).
 */
static void compare_with_ldd(const char *bin)
{
	struct elf_deps d;
	char cmd[4200], line[4096];
	size_t seen = 0;
	FILE *f;

	if (access(bin, X_OK))
		return;
	assert_int_equal(elf_deps__closure(bin, NULL, &d, err, sizeof(err)), 0);
	snprintf(cmd, sizeof(cmd), "ldd '%s' 2>/dev/null", bin);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char name[1024], path[2048];
		const struct elf_dep *e;

		if (strstr(line, "linux-vdso") || strstr(line, "not a dynamic"))
			continue;
		if (sscanf(line, " %1023s => %2047s", name, path) == 2) {
			e = dep_named(&d, name);
			if (!e)
				fail_msg("%s: ldd lists %s => %s, the closure lacks it", bin, name, path);
			assert_string_equal(e->path, path);
		} else if (sscanf(line, " %2047s", path) == 1 && path[0] == '/') {
			e = dep_named(&d, path);
			if (!e)
				fail_msg("%s: ldd lists %s, the closure lacks it", bin, path);
			assert_int_equal(e->via, ELF_DEP_INTERP);
		} else {
			continue;
		}
		seen++;
	}
	pclose(f);
	if (seen != d.n)
		fail_msg("%s: ldd lists %zu objects, the closure has %zu", bin, seen, d.n);
	elf_deps__free(&d);
}

static void test_ls(void **state)
{
	struct elf_deps d;
	const struct elf_dep *libc;

	assert_int_equal(elf_deps__closure("/bin/ls", NULL, &d, err, sizeof(err)), 0);
	assert_false(d.is_static);
	assert_true(d.n >= 2);
	assert_string_equal(d.v[0].name, INTERP);
	assert_string_equal(d.v[0].path, INTERP);
	assert_int_equal(d.v[0].via, ELF_DEP_INTERP);
	assert_int_equal(access(d.v[0].real, R_OK), 0);
	libc = dep_named(&d, "libc.so.6");
	assert_non_null(libc);
	assert_non_null(strstr(libc->path, "/libc.so.6"));
	for (size_t i = 0; i < d.n; i++)
		assert_non_null(realpath(d.v[i].real, (char[4096]){ 0 }));
	elf_deps__free(&d);
}

static void test_matches_ldd(void **state)
{
	if (system("ldd /bin/ls >/dev/null 2>&1"))
		skip();
	compare_with_ldd("/bin/ls");
	compare_with_ldd(self);	/* cmocka, libelf, zlib, ... */
	compare_with_ldd("/usr/bin/qemu-system-x86_64");	/* dozens of libraries */
	compare_with_ldd("/usr/bin/python3");
}

static void test_static(void **state)
{
	struct elf_deps d;

	if (access("/bin/busybox", R_OK))
		skip();
	assert_int_equal(elf_deps__closure("/bin/busybox", NULL, &d, err, sizeof(err)), 0);
	assert_true(d.is_static);
	assert_int_equal(d.n, 0);
	elf_deps__free(&d);
}

static void test_host_cache(void **state)
{
	struct ldcache c;
	const char *p;

	if (access(LDCACHE_PATH, R_OK))
		skip();
	assert_int_equal(ldcache__load(&c, LDCACHE_PATH, err, sizeof(err)), 0);
	assert_true(c.n > 0);
	p = ldcache__lookup(&c, "libc.so.6");
	assert_non_null(p);
	assert_true(strlen(p) > 10 && !strcmp(p + strlen(p) - 10, "/libc.so.6"));
	assert_null(ldcache__lookup(&c, "libktstr-nonexistent.so.9"));
	ldcache__free(&c);
}

/* ---- handcrafted caches ---- */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * Three entries: libfoo.so.1 (x86_64), libbar.so.2 (x86_64, libc path
 * @libc_path), libfoo.so.1 for i386 (filtered out). Returns the length.
 */
static size_t make_cache(uint8_t *buf, size_t cap, const char *bar_path)
{
	const char *strs[] = { "libfoo.so.1", "/opt/x/libfoo.so.1", "libbar.so.2", bar_path,
			       "/usr/lib32/libfoo.so.1" };
	uint32_t off[5];
	size_t pos = 48 + 3 * 24;
	uint32_t flags[3] = { 0x0303, 0x0303, 0x0003 };
	uint32_t key[3], val[3];

	memset(buf, 0, cap);
	memcpy(buf, "glibc-ld.so.cache1.1", 20);
	for (int i = 0; i < 5; i++) {
		off[i] = (uint32_t)pos;
		memcpy(buf + pos, strs[i], strlen(strs[i]) + 1);
		pos += strlen(strs[i]) + 1;
	}
	key[0] = off[0], val[0] = off[1];
	key[1] = off[2], val[1] = off[3];
	key[2] = off[0], val[2] = off[4];
	put32(buf + 20, 3);
	put32(buf + 24, (uint32_t)(pos - (48 + 3 * 24)));
	buf[28] = 2;	/* little endian */
	for (int i = 0; i < 3; i++) {
		put32(buf + 48 + 24 * i, flags[i]);
		put32(buf + 48 + 24 * i + 4, key[i]);
		put32(buf + 48 + 24 * i + 8, val[i]);
	}
	return pos;
}

static int parse(const uint8_t *b, size_t len)
{
	struct ldcache c;
	int ret = ldcache__parse(&c, b, len, err, sizeof(err));

	if (!ret)
		ldcache__free(&c);
	return ret;
}

static void test_handcrafted_cache(void **state)
{
	uint8_t b[512], m[512];
	size_t len = make_cache(b, sizeof(b), "/opt/y/libbar.so.2");
	struct ldcache c;

	assert_int_equal(ldcache__parse(&c, b, len, err, sizeof(err)), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(ldcache__lookup(&c, "libfoo.so.1"), "/opt/x/libfoo.so.1");
	assert_string_equal(ldcache__lookup(&c, "libbar.so.2"), "/opt/y/libbar.so.2");
	assert_null(ldcache__lookup(&c, "libc.so.6"));
	ldcache__free(&c);

	/* Every truncation is rejected, none crashes. */
	for (size_t l = 0; l < len; l++)
		assert_int_equal(parse(b, l), -EINVAL);

	memcpy(m, b, len);
	m[0] = 'G';
	assert_int_equal(parse(m, len), -EINVAL);
	assert_non_null(strstr(err, "bad magic"));

	memcpy(m, "ld.so-1.7.0", 11);
	assert_int_equal(parse(m, len), -EINVAL);
	assert_non_null(strstr(err, "old ld.so.cache format"));

	memcpy(m, b, len);
	m[28] = 3;	/* big endian */
	assert_int_equal(parse(m, len), -EINVAL);

	memcpy(m, b, len);
	put32(m + 20, 0xffffffffu);	/* nlibs past the end (no overflow) */
	assert_int_equal(parse(m, len), -EINVAL);
	assert_non_null(strstr(err, "truncated"));

	memcpy(m, b, len);
	put32(m + 24, 0xfffffff0u);	/* len_strings */
	assert_int_equal(parse(m, len), -EINVAL);

	memcpy(m, b, len);
	put32(m + 48 + 4, (uint32_t)len);	/* key at the end */
	assert_int_equal(parse(m, len), -EINVAL);
	assert_non_null(strstr(err, "entry 0 has a bad name offset"));

	memcpy(m, b, len);
	put32(m + 48 + 24 + 8, 0x7fffffffu);	/* value far away */
	assert_int_equal(parse(m, len), -EINVAL);
	assert_non_null(strstr(err, "entry 1 has a bad path offset"));

	memcpy(m, b, len);
	put32(m + 48 + 4, 4);	/* key inside the header */
	assert_int_equal(parse(m, len), -EINVAL);

	memcpy(m, b, len);
	m[len - 1] = 'x';	/* last string not terminated */
	assert_int_equal(parse(m, len), -EINVAL);

	memcpy(m, b, len);
	put32(m + 48 + 8, 48 + 3 * 24 + 0);	/* path = "libfoo.so.1": relative */
	assert_int_equal(parse(m, len), -EINVAL);
	assert_non_null(strstr(err, "relative path"));

	/* Loading a corrupt file names it. */
	{
		char path[400];
		FILE *f;

		snprintf(path, sizeof(path), "%s/bad.cache", tmpdir);
		f = fopen(path, "wb");
		fwrite(b, 1, len / 2, f);
		fclose(f);
		assert_int_equal(ldcache__load(&c, path, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, path));
		assert_int_equal(ldcache__load(&c, "/nonexistent/ld.so.cache", err, sizeof(err)),
				 -ENOENT);
		assert_non_null(strstr(err, "/nonexistent/ld.so.cache"));
	}
}

/* A cache written here steers the search; without a cache the default dirs are used. */
static void test_cache_steers(void **state)
{
	const struct elf_deps_opts none = { .ldcache_path = "" };
	struct elf_deps_opts o = { 0 };
	char path[400], libc[4096];
	const struct elf_dep *e;
	struct elf_deps d;
	uint8_t b[512];
	size_t len;
	FILE *f;

	assert_int_equal(elf_deps__closure("/bin/ls", &none, &d, err, sizeof(err)), 0);
	e = dep_named(&d, "libc.so.6");
	assert_non_null(e);
	assert_int_equal(e->via, ELF_DEP_DEFAULT);
	snprintf(libc, sizeof(libc), "%s", e->path);
	elf_deps__free(&d);

	/* The cache says libbar.so.2 is libc: ls does not need it, nothing changes... */
	len = make_cache(b, sizeof(b), libc);
	snprintf(path, sizeof(path), "%s/two.cache", tmpdir);
	f = fopen(path, "wb");
	fwrite(b, 1, len, f);
	fclose(f);
	o.ldcache_path = path;
	assert_int_equal(elf_deps__closure("/bin/ls", &o, &d, err, sizeof(err)), 0);
	assert_int_equal(dep_named(&d, "libc.so.6")->via, ELF_DEP_DEFAULT);
	elf_deps__free(&d);

	/* ...and LD_LIBRARY_PATH given in opts wins over the defaults. */
	o.ld_library_path = "/nonexistent:/usr/lib/x86_64-linux-gnu";
	assert_int_equal(elf_deps__closure("/bin/ls", &o, &d, err, sizeof(err)), 0);
	e = dep_named(&d, "libc.so.6");
	assert_int_equal(e->via, ELF_DEP_LDPATH);
	assert_string_equal(e->path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	elf_deps__free(&d);
}

/* Copy @src to tmpdir/@name, replacing every "@from\0" by "@to\0" (same length). */
static void patched_copy(const char *src, const char *name, const char *from, const char *to,
			 char *out, size_t cap)
{
	size_t n = strlen(from), len, hits = 0;
	uint8_t *buf;
	FILE *f = fopen(src, "rb");

	assert_non_null(f);
	assert_int_equal(strlen(to), n);
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len);
	assert_int_equal(fread(buf, 1, len, f), len);
	fclose(f);
	for (size_t i = 0; i + n + 1 <= len; i++)
		if (!memcmp(buf + i, from, n) && !buf[i + n]) {
			memcpy(buf + i, to, n);
			hits++;
		}
	assert_true(hits > 0);
	snprintf(out, cap, "%s/%s", tmpdir, name);
	f = fopen(out, "wb");
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	chmod(out, 0755);
	free(buf);
}

static void test_missing_lib(void **state)
{
	char bin[400];
	struct elf_deps d;

	patched_copy("/bin/ls", "ls-missing", "libc.so.6", "libq.so.6", bin, sizeof(bin));
	assert_int_equal(elf_deps__closure(bin, NULL, &d, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "libq.so.6 needed by "));
	assert_non_null(strstr(err, bin));
	assert_non_null(strstr(err, " not found in "));
	assert_non_null(strstr(err, "/usr/lib/x86_64-linux-gnu"));
	assert_null(d.v);

	/* A missing interpreter is named too. */
	patched_copy("/bin/ls", "ls-interp", INTERP, "/lib64/ld-linux-x86-64.so.9", bin, sizeof(bin));
	assert_int_equal(elf_deps__closure(bin, NULL, &d, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "interpreter /lib64/ld-linux-x86-64.so.9 of "));
}

static void write_file(const char *name, const void *data, size_t len, char *out, size_t cap)
{
	FILE *f;

	snprintf(out, cap, "%s/%s", tmpdir, name);
	f = fopen(out, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void test_foreign_elf(void **state)
{
	uint8_t h[64] = { 0x7f, 'E', 'L', 'F' };
	char path[400];
	struct elf_deps d;

	/* ELF32, little endian, ET_EXEC, EM_386 */
	h[4] = 1, h[5] = 1, h[6] = 1, h[16] = 2, h[18] = 3, h[20] = 1;
	write_file("elf32", h, 52, path, sizeof(path));
	assert_int_equal(elf_deps__closure(path, NULL, &d, err, sizeof(err)), -ENOEXEC);
	assert_non_null(strstr(err, "is a 32-bit ELF"));
	assert_non_null(strstr(err, path));

	/* ELF64, EM_AARCH64 */
	memset(h + 4, 0, sizeof(h) - 4);
	h[4] = 2, h[5] = 1, h[6] = 1, h[16] = 2, h[18] = 183, h[20] = 1;
	write_file("arm64", h, 64, path, sizeof(path));
	assert_int_equal(elf_deps__check(path, err, sizeof(err)), -ENOEXEC);
	assert_non_null(strstr(err, "not x86_64"));

	/* ELF64 x86_64 relocatable object */
	h[16] = 1, h[18] = 62;
	write_file("obj.o", h, 64, path, sizeof(path));
	assert_int_equal(elf_deps__check(path, err, sizeof(err)), -ENOEXEC);
	assert_non_null(strstr(err, "object file"));

	write_file("script", "#!/bin/sh\n", 10, path, sizeof(path));
	assert_int_equal(elf_deps__closure(path, NULL, &d, err, sizeof(err)), -ENOEXEC);
	assert_non_null(strstr(err, "is not an ELF file"));

	write_file("empty", "", 0, path, sizeof(path));
	assert_int_equal(elf_deps__check(path, err, sizeof(err)), -ENOEXEC);

	assert_int_equal(elf_deps__closure("/nonexistent/scx_x", NULL, &d, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/scx_x"));
}

/* $ORIGIN in DT_RUNPATH and DT_RPATH, search order against LD_LIBRARY_PATH, depth 2. */
static void test_origin(void **state)
{
	const char *run = getenv("ELF_FIXTURE_RUNPATH"), *rp = getenv("ELF_FIXTURE_RPATH");
	struct elf_deps_opts o = { 0 };
	char dir[4096], want[4200];
	const struct elf_dep *e;
	struct elf_deps d;

	if (!run || !rp)
		skip();
	snprintf(dir, sizeof(dir), "%s", run);
	*strrchr(dir, '/') = '\0';
	snprintf(want, sizeof(want), "%s/libktstr_elf_fixture.so", dir);

	assert_int_equal(elf_deps__closure(run, NULL, &d, err, sizeof(err)), 0);
	e = dep_named(&d, "libktstr_elf_fixture.so");
	assert_non_null(e);
	assert_int_equal(e->via, ELF_DEP_RUNPATH);
	assert_string_equal(e->path, want);
	assert_non_null(dep_named(&d, "libz.so.1"));	/* needed by the library */
	elf_deps__free(&d);
	compare_with_ldd(run);

	assert_int_equal(elf_deps__closure(rp, NULL, &d, err, sizeof(err)), 0);
	e = dep_named(&d, "libktstr_elf_fixture.so");
	assert_int_equal(e->via, ELF_DEP_RPATH);
	assert_string_equal(e->path, want);
	elf_deps__free(&d);
	compare_with_ldd(rp);

	/* LD_LIBRARY_PATH comes after DT_RPATH but before DT_RUNPATH. */
	o.ld_library_path = dir;
	assert_int_equal(elf_deps__closure(rp, &o, &d, err, sizeof(err)), 0);
	assert_int_equal(dep_named(&d, "libktstr_elf_fixture.so")->via, ELF_DEP_RPATH);
	elf_deps__free(&d);
	assert_int_equal(elf_deps__closure(run, &o, &d, err, sizeof(err)), 0);
	assert_int_equal(dep_named(&d, "libktstr_elf_fixture.so")->via, ELF_DEP_LDPATH);
	elf_deps__free(&d);

	/* Packed as /scheduler: the guest's $ORIGIN is /, the file still the host's. */
	o.ld_library_path = NULL;
	o.guest_path = "/scheduler";
	assert_int_equal(elf_deps__closure(run, &o, &d, err, sizeof(err)), 0);
	e = dep_named(&d, "libktstr_elf_fixture.so");
	assert_string_equal(e->path, "/libktstr_elf_fixture.so");
	assert_string_equal(e->real, want);
	e = dep_named(&d, "libz.so.1");	/* not found through $ORIGIN: not moved */
	assert_true(e->path[0] == '/' && strcmp(e->path, "/libz.so.1"));
	elf_deps__free(&d);

	/* Copied elsewhere, $ORIGIN moves with it and the library is missing. */
	{
		char cmd[8400], copy[400];

		snprintf(copy, sizeof(copy), "%s/fixture-alone", tmpdir);
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", run, copy);
		assert_int_equal(system(cmd), 0);
		assert_int_equal(elf_deps__closure(copy, NULL, &d, err, sizeof(err)), -ENOENT);
		assert_non_null(strstr(err, "libktstr_elf_fixture.so needed by"));
		assert_non_null(strstr(err, tmpdir));	/* $ORIGIN expanded to the copy's dir */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ls),
		cmocka_unit_test(test_matches_ldd),
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_host_cache),
		cmocka_unit_test(test_handcrafted_cache),
		cmocka_unit_test(test_cache_steers),
		cmocka_unit_test(test_missing_lib),
		cmocka_unit_test(test_foreign_elf),
		cmocka_unit_test(test_origin),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
