// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM's loaders and legacy devices without /dev/kvm: ELF and bzImage
 * loading into a plain buffer standing in for guest RAM, the errors for bad
 * kernel files, E820 around the 3-4 GiB gap, guest-address bounds, and the
 * 16550 UART, i8042 and bus dispatch register by register.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "boot/boot.h"
#include "hw/bus.h"
#include "hw/i8042.h"
#include "kvm/kvm.h"
#include "hw/serial.h"

static char tmpdir[] = "/tmp/ktstr-vmm-load-XXXXXX";

static void fake_kvm(struct kvm *kvm, uint64_t size)
{
	kvm__init(kvm);
	kvm->ram = calloc(1, size);
	assert_non_null(kvm->ram);
	kvm->ram_size = size;
	kvm->low_size = size < KVM_MMIO_GAP_START ? size : KVM_MMIO_GAP_START;
}

static void fake_kvm_free(struct kvm *kvm)
{
	free(kvm->ram);
	kvm->ram = NULL;
}

static const char *write_file(const char *name, const void *data, size_t len)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static int load(struct kvm *kvm, const char *path, const char *cmdline, const char *initrd,
		struct boot_info *info, char *err, size_t errlen)
{
	struct boot_opts o = { .kernel = path, .cmdline = cmdline, .initrd = initrd };

	err[0] = 0;
	return boot__load(kvm, &o, info, err, errlen);
}

static void expect_error(const void *data, size_t len, int want, const char *msg)
{
	struct kvm kvm;
	struct boot_info info;
	char err[256];
	const char *path = write_file("kernel", data, len);

	fake_kvm(&kvm, 16u << 20);
	assert_int_equal(load(&kvm, path, "", NULL, &info, err, sizeof(err)), want);
	if (!strstr(err, msg))
		fail_msg("error \"%s\" lacks \"%s\"", err, msg);
	assert_non_null(strstr(err, path));
	fake_kvm_free(&kvm);
}

/* A synthetic bzImage: 1 setup sector + boot sector, then @payload bytes. */
static uint8_t *make_bzimage(size_t payload, uint16_t version, uint16_t xloadflags,
			     size_t *len)
{
	size_t setup = 2 * 512;
	uint8_t *b = calloc(1, setup + payload);
	struct setup_header h;

	assert_non_null(b);
	memset(&h, 0, sizeof(h));
	h.setup_sects = 1;
	h.boot_flag = 0xAA55;
	h.jump = 0x66eb;		/* jmp to 0x268: the header is 0x66 bytes past 0x202 */
	memcpy(&h.header, "HdrS", 4);
	h.version = version;
	h.loadflags = 0x01;
	h.relocatable_kernel = 1;
	h.xloadflags = xloadflags;
	h.cmdline_size = 2047;
	h.initrd_addr_max = 0x7fffffff;
	h.init_size = 0x400000;
	h.pref_address = 0x1000000;
	memcpy(b + 0x1f1, &h, sizeof(h));
	for (size_t i = 0; i < payload; i++)
		b[setup + i] = (uint8_t)(i * 7 + 1);
	*len = setup + payload;
	return b;
}

static void test_missing_file(void **state)
{
	struct kvm kvm;
	struct boot_info info;
	char err[256];

	(void)state;
	fake_kvm(&kvm, 16u << 20);
	assert_int_equal(load(&kvm, "/nonexistent/bzImage", "", NULL, &info, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/bzImage"));
	assert_int_equal(load(&kvm, tmpdir, "", NULL, &info, err, sizeof(err)), -EISDIR);
	fake_kvm_free(&kvm);
}

static void test_not_a_kernel(void **state)
{
	static const char text[] = "#!/bin/sh\necho this is no kernel\n";
	uint8_t big[4096];

	(void)state;
	expect_error(text, sizeof(text), -ENOEXEC, "no HdrS signature at 0x202");
	memset(big, 'x', sizeof(big));
	expect_error(big, sizeof(big), -ENOEXEC, "no HdrS signature at 0x202");
	expect_error("", 0, -ENOEXEC, "empty file");
}

static void test_bzimage_errors(void **state)
{
	size_t len;
	uint8_t *b;

	(void)state;
	/* Cut inside the setup header, after the signature. */
	b = make_bzimage(4096, 0x020f, 1, &len);
	expect_error(b, 0x220, -ENOEXEC, "truncated setup header");
	free(b);

	b = make_bzimage(4096, 0x0204, 1, &len);
	expect_error(b, len, -ENOEXEC, "boot protocol 2.04 is older than 2.06");
	free(b);

	b = make_bzimage(4096, 0x020f, 0, &len);
	expect_error(b, len, -ENOEXEC, "no 64-bit entry point");
	free(b);

	b = make_bzimage(4096, 0x020f, 1, &len);
	b[0x1f1 + offsetof(struct setup_header, loadflags)] = 0;
	expect_error(b, len, -ENOEXEC, "zImage");
	free(b);

	/* Not relocatable: it must run at pref_address, which must make sense. */
	b = make_bzimage(4096, 0x0209, 1, &len);
	b[0x1f1 + offsetof(struct setup_header, relocatable_kernel)] = 0;
	expect_error(b, len, -ENOEXEC, "no pref_address");
	free(b);
	b = make_bzimage(4096, 0x020f, 1, &len);
	b[0x1f1 + offsetof(struct setup_header, relocatable_kernel)] = 0;
	memset(b + 0x1f1 + offsetof(struct setup_header, pref_address), 0, 8);
	expect_error(b, len, -ENOEXEC, "not a page-aligned address between 1 MiB and 1 GiB");
	free(b);

	b = make_bzimage(4096, 0x020f, 1, &len);
	b[0x1fe] = 0;
	expect_error(b, len, -ENOEXEC, "boot flag");
	free(b);

	/* 4 setup sectors claimed, but the file ends inside them. */
	b = make_bzimage(100, 0x020f, 1, &len);
	b[0x1f1] = 4;
	expect_error(b, len, -ENOEXEC, "setup sectors");
	free(b);
}

/* CONFIG_RELOCATABLE off (the lean kernel): loaded at pref_address, 16 MiB. */
static void test_bzimage_not_relocatable(void **state)
{
	struct boot_info info;
	struct kvm kvm;
	char err[256];
	size_t len;
	uint8_t *b;

	(void)state;
	b = make_bzimage(8192, 0x020f, 1, &len);
	b[0x1f1 + offsetof(struct setup_header, relocatable_kernel)] = 0;
	fake_kvm(&kvm, 256u << 20);
	assert_int_equal(load(&kvm, write_file("bz-fixed", b, len), "", NULL, &info, err,
			      sizeof(err)), 0);
	assert_int_equal(info.kernel_start, 0x1000000);
	assert_int_equal(info.entry, 0x1000200);
	assert_int_equal(info.kernel_end, 0x1000000 + 0x400000);
	assert_memory_equal(kvm.ram + 0x1000000, b + 1024, 8192);
	fake_kvm_free(&kvm);
	/* 16 MiB of RAM cannot hold it at 16 MiB. */
	fake_kvm(&kvm, 16u << 20);
	assert_int_equal(load(&kvm, write_file("bz-fixed", b, len), "", NULL, &info, err,
			      sizeof(err)), -ENOEXEC);
	assert_non_null(strstr(err, "from 16 MiB"));
	fake_kvm_free(&kvm);
	free(b);
}

static void test_bzimage_load(void **state)
{
	static const uint8_t initrd[] = "070701 fake cpio";
	struct boot_params *bp;
	struct boot_info info;
	struct kvm kvm;
	char err[256];
	const char *ird;
	size_t len;
	uint8_t *b;

	(void)state;
	ird = strdup(write_file("initrd", initrd, sizeof(initrd)));
	b = make_bzimage(8192, 0x020f, 1, &len);
	fake_kvm(&kvm, 256u << 20);
	assert_int_equal(load(&kvm, write_file("bz", b, len), "console=ttyS0 quiet", ird,
			      &info, err, sizeof(err)), 0);
	assert_true(info.bzimage);
	assert_int_equal(info.protocol, 0x020f);
	assert_int_equal(info.entry, 0x100200);
	assert_int_equal(info.kernel_end, 0x100000 + 0x400000);	/* init_size */
	assert_memory_equal(kvm.ram + 0x100000, b + 1024, 8192);

	bp = (struct boot_params *)(kvm.ram + BOOT_ZERO_PAGE);
	assert_int_equal(bp->hdr.version, 0x020f);		/* copied header */
	assert_int_equal(bp->hdr.type_of_loader, 0xff);
	assert_int_equal(bp->hdr.cmd_line_ptr, BOOT_CMDLINE);
	assert_string_equal((char *)kvm.ram + BOOT_CMDLINE, "console=ttyS0 quiet");
	assert_int_equal(bp->e820_entries, 2);
	assert_int_equal(bp->e820_table[1].addr, 0x100000);
	assert_int_equal(bp->e820_table[1].size, (256u << 20) - 0x100000);
	assert_int_equal(bp->hdr.ramdisk_image, BOOT_INITRD_ADDR);
	assert_int_equal(bp->hdr.ramdisk_size, sizeof(initrd));
	assert_memory_equal(kvm.ram + BOOT_INITRD_ADDR, initrd, sizeof(initrd));
	/* Identity map: PML4[0] -> PDPT, PD entry 1 maps 2 MiB as a large page. */
	assert_int_equal(*(uint64_t *)(kvm.ram + BOOT_PML4), BOOT_PDPT | 3);
	assert_int_equal(*(uint64_t *)(kvm.ram + BOOT_PD + 8), (2u << 20) | 0x83);
	fake_kvm_free(&kvm);

	/* 64 MiB: the initramfs goes to the top of RAM, page aligned. */
	fake_kvm(&kvm, 64u << 20);
	assert_int_equal(load(&kvm, write_file("bz", b, len), "", ird, &info, err,
			      sizeof(err)), 0);
	assert_int_equal(info.initrd_addr, ((64u << 20) - sizeof(initrd)) & ~0xfffu);
	fake_kvm_free(&kvm);

	/* The kernel's own command-line limit is enforced. */
	fake_kvm(&kvm, 64u << 20);
	b[0x1f1 + offsetof(struct setup_header, cmdline_size)] = 8;
	b[0x1f1 + offsetof(struct setup_header, cmdline_size) + 1] = 0;
	assert_int_equal(load(&kvm, write_file("bz", b, len), "0123456789", NULL, &info, err,
			      sizeof(err)), -E2BIG);
	fake_kvm_free(&kvm);
	free(b);
	free((void *)ird);
}

struct mini_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint8_t code[16];
};

static struct mini_elf make_elf(uint64_t paddr)
{
	struct mini_elf e;

	memset(&e, 0, sizeof(e));
	memcpy(e.eh.e_ident, ELFMAG, SELFMAG);
	e.eh.e_ident[EI_CLASS] = ELFCLASS64;
	e.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	e.eh.e_ident[EI_VERSION] = EV_CURRENT;
	e.eh.e_type = ET_EXEC;
	e.eh.e_machine = EM_X86_64;
	e.eh.e_version = EV_CURRENT;
	e.eh.e_entry = paddr;
	e.eh.e_phoff = offsetof(struct mini_elf, ph);
	e.eh.e_ehsize = sizeof(Elf64_Ehdr);
	e.eh.e_phentsize = sizeof(Elf64_Phdr);
	e.eh.e_phnum = 1;
	e.ph.p_type = PT_LOAD;
	e.ph.p_offset = offsetof(struct mini_elf, code);
	e.ph.p_paddr = paddr;
	e.ph.p_vaddr = paddr;
	e.ph.p_filesz = sizeof(e.code);
	e.ph.p_memsz = 4096;
	memset(e.code, 0xf4, sizeof(e.code));
	return e;
}

static void test_elf(void **state)
{
	struct mini_elf e = make_elf(0x200000);
	struct boot_info info;
	struct kvm kvm;
	char err[256];

	(void)state;
	fake_kvm(&kvm, 16u << 20);
	memset(kvm.ram + 0x200000, 0xaa, 4096);
	assert_int_equal(load(&kvm, write_file("elf", &e, sizeof(e)), "x", NULL, &info, err,
			      sizeof(err)), 0);
	assert_false(info.bzimage);
	assert_int_equal(info.entry, 0x200000);
	assert_int_equal(kvm.ram[0x200000], 0xf4);
	assert_int_equal(kvm.ram[0x200000 + 16], 0);	/* bss zeroed */
	fake_kvm_free(&kvm);

	expect_error(&e, 30, -ENOEXEC, "truncated ELF header");
	e = make_elf(0x50000);
	expect_error(&e, sizeof(e), -ENOEXEC, "not inside guest RAM above 1 MiB");
	e = make_elf(15u << 20);	/* 2 MiB at 15 MiB runs past the 16 MiB of RAM */
	e.ph.p_memsz = 2u << 20;
	expect_error(&e, sizeof(e), -ENOEXEC, "not inside guest RAM");
	e = make_elf(0x200000);
	e.ph.p_filesz = 1u << 20;
	expect_error(&e, sizeof(e), -ENOEXEC, "outside the file");
	e = make_elf(0x200000);
	e.eh.e_entry = 0xffffffff81000000ull;
	expect_error(&e, sizeof(e), -ENOEXEC, "entry point");
	e = make_elf(0x200000);
	e.eh.e_machine = EM_AARCH64;
	expect_error(&e, sizeof(e), -ENOEXEC, "not a 64-bit x86-64 ELF");
	e = make_elf(0x200000);
	e.eh.e_type = ET_DYN;
	expect_error(&e, sizeof(e), -ENOEXEC, "not PIE");
	e = make_elf(0x200000);
	e.eh.e_phnum = 1000;
	expect_error(&e, sizeof(e), -ENOEXEC, "program headers");
}

/* /dev/kvm missing or not KVM: the messages say what to do. */
static void test_kvm_dev_errors(void **state)
{
	struct kvm kvm;
	char err[256];

	(void)state;
	kvm__init(&kvm);
	assert_int_equal(kvm__open_dev(&kvm, "/nonexistent/kvm", err, sizeof(err)), -ENOENT);
	assert_string_equal(err,
			    "no /nonexistent/kvm: load kvm_intel or kvm_amd, or use --vmm qemu");
	kvm__close(&kvm);
	assert_int_equal(kvm__open_dev(&kvm, "/dev/null", err, sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "/dev/null is not a KVM device"));
	kvm__close(&kvm);
	assert_int_equal(kvm.sys_fd, -1);
}

static void test_e820_gpa(void **state)
{
	struct boot_e820_entry e[8];
	struct kvm kvm;

	(void)state;
	kvm__init(&kvm);
	kvm.ram = (uint8_t *)0x10000;	/* never dereferenced here */
	kvm.ram_size = 3584ull << 20;
	kvm.low_size = KVM_MMIO_GAP_START;
	kvm.shm_size = 16u << 20;
	assert_int_equal(kvm__e820(&kvm, e, 8), 3);
	assert_int_equal(e[0].addr, 0);
	assert_int_equal(e[0].size, 0x9fc00);
	assert_int_equal(e[1].addr, 0x100000);
	assert_int_equal(e[1].addr + e[1].size, KVM_MMIO_GAP_START);
	assert_int_equal(e[2].addr, KVM_MMIO_GAP_END);
	assert_int_equal(e[2].size, (512u - 16u) << 20);
	assert_int_equal(kvm__shm_gpa(&kvm), KVM_MMIO_GAP_END + (496ull << 20));
	assert_int_equal(kvm__e820(&kvm, e, 2), 2);	/* capped */

	/* Guest addresses: RAM on both sides of the gap, nothing in it, no wrap. */
	assert_ptr_equal(kvm__gpa(&kvm, 0x1000, 16), kvm.ram + 0x1000);
	assert_ptr_equal(kvm__gpa(&kvm, KVM_MMIO_GAP_END, 1), kvm.ram + KVM_MMIO_GAP_START);
	assert_null(kvm__gpa(&kvm, KVM_MMIO_GAP_START - 8, 16));
	assert_null(kvm__gpa(&kvm, KVM_MMIO_GAP_START, 1));
	assert_null(kvm__gpa(&kvm, KVM_MMIO_GAP_END + (512ull << 20) - 8, 16));
	assert_null(kvm__gpa(&kvm, UINT64_MAX - 4, 16));
	assert_null(kvm__gpa(&kvm, 0, UINT64_MAX));
}

struct sink {
	char out[64];
	unsigned int n, idx, resets;
};

static void sink_out(void *arg, unsigned int idx, uint8_t b)
{
	struct sink *s = arg;

	s->idx = idx;
	if (s->n < sizeof(s->out) - 1)
		s->out[s->n++] = (char)b;
}

static uint8_t rd(struct serial *s, unsigned int reg)
{
	uint8_t v = 0;

	serial__io(s, reg, &v, 1, false);
	return v;
}

static void wr(struct serial *s, unsigned int reg, uint8_t v)
{
	serial__io(s, reg, &v, 1, true);
}

static void test_serial(void **state)
{
	struct sink sink = { .n = 0 };
	struct serial s;

	(void)state;
	serial__init(&s, 1, 3, -1, sink_out, &sink);
	assert_int_equal(rd(&s, 5) & 0x60, 0x60);	/* LSR: THRE | TEMT */
	wr(&s, 0, 'h');
	wr(&s, 0, 'i');
	assert_string_equal(sink.out, "hi");
	assert_int_equal(sink.idx, 1);
	wr(&s, 7, 0x5a);				/* scratch */
	assert_int_equal(rd(&s, 7), 0x5a);
	wr(&s, 3, 0x80);				/* DLAB */
	wr(&s, 0, 1);
	wr(&s, 1, 0);
	assert_int_equal(rd(&s, 0), 1);
	assert_int_equal(rd(&s, 1), 0);
	wr(&s, 3, 0x03);				/* 8N1 */
	assert_int_equal(rd(&s, 2), 0x01);		/* IIR: none pending, no FIFO */
	wr(&s, 2, 0x07);				/* FIFO on */
	assert_int_equal(rd(&s, 2) & 0xc0, 0xc0);	/* 16550A */
	/* THRE interrupt: raised when enabled, acknowledged by reading IIR. */
	wr(&s, 1, 0x02);
	assert_int_equal(rd(&s, 2) & 0x0f, 0x02);
	assert_int_equal(rd(&s, 2) & 0x0f, 0x01);
	wr(&s, 0, '!');
	assert_int_equal(rd(&s, 2) & 0x0f, 0x02);
	/* Loopback (Linux's 8250 probe): MSR mirrors MCR, THR comes back on RX. */
	wr(&s, 4, 0x1a);
	assert_int_equal(rd(&s, 6) & 0xf0, 0x90);
	wr(&s, 0, 'L');
	assert_int_equal(rd(&s, 5) & 0x01, 0x01);
	assert_int_equal(rd(&s, 0), 'L');
	assert_int_equal(rd(&s, 5) & 0x01, 0);
	assert_string_equal(sink.out, "hi!");
	wr(&s, 4, 0x0b);
	assert_int_equal(serial__input(&s, (const uint8_t *)"ab", 2), 2);
	assert_int_equal(rd(&s, 0), 'a');
	assert_int_equal(rd(&s, 0), 'b');
	serial__exit(&s);
}

static void on_reset(void *arg)
{
	((struct sink *)arg)->resets++;
}

static void test_i8042_bus(void **state)
{
	struct sink sink = { .n = 0 };
	struct i8042 k;
	struct bus bus;
	uint8_t d[8];

	(void)state;
	bus__init(&bus, "pio");
	i8042__init(&k, on_reset, &sink);
	assert_int_equal(bus__register(&bus, 0x60, 5, i8042__io, &k), 0);
	assert_int_equal(bus__register(&bus, 0x64, 1, i8042__io, &k), -EEXIST);
	assert_int_equal(bus__register(&bus, 0x70, 0, i8042__io, &k), -EINVAL);
	/* Absent to a driver: a byte always waiting (OBF), IBF clear, data 0xff. */
	assert_true(bus__access(&bus, 0x64, d, 1, false));
	assert_int_equal(d[0], 0x01);
	assert_true(bus__access(&bus, 0x60, d, 1, false));
	assert_int_equal(d[0], 0xff);
	assert_true(bus__access(&bus, 0x61, d, 1, false));
	assert_int_equal(d[0], 0);
	d[0] = 0xd1;
	bus__access(&bus, 0x64, d, 1, true);
	assert_int_equal(sink.resets, 0);
	d[0] = 0xfe;
	bus__access(&bus, 0x60, d, 1, true);		/* data port: not a reset */
	assert_int_equal(sink.resets, 0);
	assert_true(bus__access(&bus, 0x64, d, 1, true));
	assert_int_equal(sink.resets, 1);
	/* Unclaimed: reads all ones; straddling a range's end is unclaimed. */
	assert_false(bus__access(&bus, 0x3f8, d, 4, false));
	assert_int_equal(d[3], 0xff);
	assert_false(bus__access(&bus, 0x63, d, 4, false));
	assert_false(bus__access(&bus, 0x60, d, 9, false));
	assert_false(bus__access(&bus, UINT64_MAX, d, 2, false));
	for (unsigned int i = 0; i < BUS_MAX_RANGES - 1; i++)
		assert_int_equal(bus__register(&bus, 0x1000 + i * 8, 8, i8042__io, &k), 0);
	assert_int_equal(bus__register(&bus, 0x2000, 8, i8042__io, &k), -ENOSPC);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *const names[] = { "kernel", "initrd", "bz", "elf" };
	char path[256];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_not_a_kernel),
		cmocka_unit_test(test_bzimage_errors),
		cmocka_unit_test(test_bzimage_not_relocatable),
		cmocka_unit_test(test_bzimage_load),
		cmocka_unit_test(test_elf),
		cmocka_unit_test(test_kvm_dev_errors),
		cmocka_unit_test(test_e820_gpa),
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_i8042_bus),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
