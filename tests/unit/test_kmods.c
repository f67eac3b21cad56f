// SPDX-License-Identifier: GPL-2.0
/*
 * Modules for modular kernels: the release from a bzImage header, finding
 * the modules directory, and collecting modules in dependency order with a
 * generated modules.dep. The modules are tiny ELF files made here with
 * libelf, holding only a .modinfo section, which is all libkmod reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "kmods.h"

static char g_root[512];

static void mkdirs(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	}
	mkdir(buf, 0755);
}

/* An ELF64 relocatable file whose .modinfo holds @modinfo (NUL-separated, @len bytes). */
static void write_module(const char *path, const char *modinfo, size_t len)
{
	static const char shstr[] = "\0.modinfo\0.shstrtab";
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	Elf *e;
	Elf64_Ehdr *eh;
	Elf_Scn *scn;
	Elf_Data *d;
	Elf64_Shdr *sh;

	assert_true(fd >= 0);
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	assert_non_null(e);
	eh = elf64_newehdr(e);
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_REL;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;

	scn = elf_newscn(e);
	d = elf_newdata(scn);
	d->d_buf = (void *)modinfo;
	d->d_size = len;
	d->d_align = 1;
	d->d_type = ELF_T_BYTE;
	sh = elf64_getshdr(scn);
	sh->sh_name = 1;
	sh->sh_type = SHT_PROGBITS;
	sh->sh_flags = SHF_ALLOC;

	scn = elf_newscn(e);
	d = elf_newdata(scn);
	d->d_buf = (void *)shstr;
	d->d_size = sizeof(shstr);
	d->d_align = 1;
	d->d_type = ELF_T_BYTE;
	sh = elf64_getshdr(scn);
	sh->sh_name = 10;
	sh->sh_type = SHT_STRTAB;
	eh->e_shstrndx = (Elf64_Half)elf_ndxscn(scn);

	assert_true(elf_update(e, ELF_C_WRITE) > 0);
	elf_end(e);
	close(fd);
}

#define MODINFO(s) s, sizeof(s)

static void make_tree(const char *release)
{
	char dir[PATH_MAX], p[PATH_MAX + 64];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/lib/modules/%s/kernel/drivers/virtio", g_root, release);
	mkdirs(dir);
	snprintf(p, sizeof(p), "%s/virtio.ko", dir);
	write_module(p, MODINFO("license=GPL\0depends=\0name=virtio"));
	snprintf(p, sizeof(p), "%s/virtio_ring.ko", dir);
	write_module(p, MODINFO("depends=virtio\0name=virtio_ring"));
	snprintf(p, sizeof(p), "%s/virtio_pci.ko", dir);
	write_module(p, MODINFO("depends=virtio_ring,virtio,virtio_pci_modern_dev\0name=virtio_pci"));
	snprintf(p, sizeof(p), "%s/virtio_pci_modern_dev.ko", dir);
	write_module(p, MODINFO("depends=\0name=virtio_pci_modern_dev"));
	snprintf(dir, sizeof(dir), "%s/lib/modules/%s/kernel/drivers/char", g_root, release);
	mkdirs(dir);
	snprintf(p, sizeof(p), "%s/virtio-console.ko", dir);	/* '-' names '_' */
	write_module(p, MODINFO("depends=virtio_ring,virtio\0name=virtio_console"));
	snprintf(p, sizeof(p), "%s/lib/modules/%s/modules.builtin", g_root, release);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("kernel/drivers/virtio/virtio_mmio.ko\n", f);
	fclose(f);
}

/* A file that looks like a bzImage to the setup-header reader. */
static void make_image(const char *path, const char *version)
{
	unsigned char buf[0x400] = { 0 };
	uint16_t off = 0x100;		/* string at 0x300 */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	memcpy(buf + 0x202, "HdrS", 4);
	memcpy(buf + 0x20e, &off, 2);
	memcpy(buf + 0x300, version, strlen(version));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, sizeof(buf)), sizeof(buf));
	close(fd);
}

static int setup(void **state)
{
	char boot[PATH_MAX + 8];

	snprintf(g_root, sizeof(g_root), "%s/ktstr-kmods-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(g_root));
	snprintf(boot, sizeof(boot), "%s/boot", g_root);
	mkdirs(boot);
	unsetenv("KTSTR_MODULES_DIR");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_root);
	return system(cmd) ? -1 : 0;
}

static void test_release_from_image(void **state)
{
	char img[PATH_MAX + 32], rel[64], err[256];

	snprintf(img, sizeof(img), "%s/boot/vmlinuz-6.1.0-9-test", g_root);
	make_image(img, "6.1.0-9-test (builder@host) #1 SMP");
	assert_int_equal(kmods__image_release(img, rel, sizeof(rel), err, sizeof(err)), 0);
	assert_string_equal(rel, "6.1.0-9-test");

	snprintf(img, sizeof(img), "%s/boot/notbz", g_root);
	make_image(img, "x");
	truncate(img, 0x100);
	assert_int_equal(kmods__image_release(img, rel, sizeof(rel), err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a bzImage"));
}

static void test_find_dir(void **state)
{
	char img[PATH_MAX + 32], dir[PATH_MAX], want[PATH_MAX + 32], rel[64], err[256];

	snprintf(img, sizeof(img), "%s/boot/vmlinuz-6.1.0-9-test", g_root);
	make_image(img, "6.1.0-9-test #1");
	/* No modules directory yet: monolithic as far as ktstr can tell. */
	assert_int_equal(kmods__find_dir(img, NULL, dir, sizeof(dir), rel, sizeof(rel), err,
					 sizeof(err)), 0);
	make_tree("6.1.0-9-test");
	assert_int_equal(kmods__find_dir(img, NULL, dir, sizeof(dir), rel, sizeof(rel), err,
					 sizeof(err)), 1);
	snprintf(want, sizeof(want), "%s/lib/modules/6.1.0-9-test", g_root);
	assert_string_equal(dir, want);

	/* An explicit directory for another release is refused, naming both. */
	make_tree("6.1.0-8-other");
	snprintf(want, sizeof(want), "%s/lib/modules/6.1.0-8-other", g_root);
	assert_int_equal(kmods__find_dir(img, want, dir, sizeof(dir), rel, sizeof(rel), err,
					 sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "another kernel"));
	/* ... and a missing one too. */
	setenv("KTSTR_MODULES_DIR", "/nonexistent/modules", 1);
	assert_int_equal(kmods__find_dir(img, NULL, dir, sizeof(dir), rel, sizeof(rel), err,
					 sizeof(err)), -ENOTDIR);
	assert_non_null(strstr(err, "KTSTR_MODULES_DIR"));
	unsetenv("KTSTR_MODULES_DIR");
}

static const struct initramfs_file *find_file(const struct kmods *k, const char *suffix)
{
	for (size_t i = 0; i < k->nfiles; i++) {
		size_t n = strlen(k->files[i].guest_path), m = strlen(suffix);

		if (n >= m && !strcmp(k->files[i].guest_path + n - m, suffix))
			return &k->files[i];
	}
	return NULL;
}

static void test_collect_order(void **state)
{
	char dir[PATH_MAX + 64], err[256];
	struct kmods k;
	const struct initramfs_file *f;
	char *dep;

	make_tree("6.1.0-9-test");
	snprintf(dir, sizeof(dir), "%s/lib/modules/6.1.0-9-test", g_root);
	assert_int_equal(kmods__collect(dir, "6.1.0-9-test", kmods__guest_needs,
					kmods__nguest_needs, &k, err, sizeof(err)), 0);
	/* virtio_mmio is built in; dependencies come before their users, each once. */
	assert_int_equal(k.nload, 5);
	assert_string_equal(k.load[0], "virtio");
	assert_string_equal(k.load[1], "virtio_ring");
	assert_string_equal(k.load[2], "virtio_pci_modern_dev");
	assert_string_equal(k.load[3], "virtio_pci");
	assert_string_equal(k.load[4], "virtio_console");
	f = find_file(&k, "/modules.dep");
	assert_non_null(f);
	assert_string_equal(f->guest_path, "/lib/modules/6.1.0-9-test/modules.dep");
	dep = strndup(f->data, f->len);
	/* The console's line lists exactly its own dependency chain. */
	assert_non_null(strstr(dep, "kernel/drivers/char/virtio-console.ko: "));
	assert_null(strstr(strstr(dep, "virtio-console.ko:"), "virtio_pci"));
	free(dep);
	f = find_file(&k, "modules.load");
	assert_non_null(f);
	assert_string_equal(f->guest_path, KMODS_LOAD_LIST);
	assert_non_null(find_file(&k, "/kernel/drivers/virtio/virtio_ring.ko"));
	kmods__free(&k);
}

static void test_collect_dependency_order_strict(void **state)
{
	char dir[PATH_MAX + 64], err[256], p[PATH_MAX + 128];
	const char *want[] = { "top" };
	struct kmods k;

	snprintf(dir, sizeof(dir), "%s/lib/modules/r1/kernel", g_root);
	mkdirs(dir);
	snprintf(p, sizeof(p), "%s/top.ko", dir);
	write_module(p, MODINFO("depends=mid\0name=top"));
	snprintf(p, sizeof(p), "%s/mid.ko", dir);
	write_module(p, MODINFO("depends=low\0name=mid"));
	snprintf(p, sizeof(p), "%s/low.ko", dir);
	write_module(p, MODINFO("depends=\0name=low"));
	snprintf(dir, sizeof(dir), "%s/lib/modules/r1", g_root);
	assert_int_equal(kmods__collect(dir, "r1", want, 1, &k, err, sizeof(err)), 0);
	assert_int_equal(k.nload, 3);
	assert_string_equal(k.load[0], "low");
	assert_string_equal(k.load[1], "mid");
	assert_string_equal(k.load[2], "top");
	kmods__free(&k);
}

static void test_collect_missing(void **state)
{
	char dir[PATH_MAX + 64], err[256], p[PATH_MAX + 128];
	const char *want[] = { "virtio_console", "nosuch" };
	const char *want2[] = { "needy" };
	struct kmods k;

	make_tree("6.1.0-9-test");
	snprintf(dir, sizeof(dir), "%s/lib/modules/6.1.0-9-test", g_root);
	assert_int_equal(kmods__collect(dir, "6.1.0-9-test", want, 2, &k, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "module nosuch is neither built into the kernel nor in"));
	assert_int_equal(k.nload, 0);

	snprintf(p, sizeof(p), "%s/kernel/needy.ko", dir);
	write_module(p, MODINFO("depends=ghost\0name=needy"));
	assert_int_equal(kmods__collect(dir, "6.1.0-9-test", want2, 1, &k, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "module ghost (needed by needy) is not in"));
}

static void test_all_builtin(void **state)
{
	char dir[PATH_MAX + 64], err[256], p[PATH_MAX + 128];
	const char *want[] = { "virtio_mmio" };
	struct kmods k;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/lib/modules/r2", g_root);
	mkdirs(dir);
	snprintf(p, sizeof(p), "%s/modules.builtin", dir);
	f = fopen(p, "w");
	fputs("kernel/drivers/virtio/virtio_mmio.ko\n", f);
	fclose(f);
	assert_int_equal(kmods__collect(dir, "r2", want, 1, &k, err, sizeof(err)), 0);
	assert_int_equal(k.nload, 0);
	assert_int_equal(k.nfiles, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_release_from_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collect_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collect_dependency_order_strict, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_collect_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_builtin, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
