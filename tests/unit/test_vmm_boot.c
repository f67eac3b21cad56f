// SPDX-License-Identifier: GPL-2.0
/*
 * The in-process VMM booting the ELF test guest (tests/guest/boot_info.c)
 * on /dev/kvm: what the guest reports on COM1 and COM2 about boot_params,
 * how the VM ended, and that teardown leaves no fd or thread behind.
 * Exits 77 (skipped) when /dev/kvm is missing or unusable.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvm/kvm.h"
#include "vmm.h"

#define OUT_CAP 8192
#define VIRTIO_WORD "virtio_mmio.device=4K@0xc0000000:5"

struct capture {
	char buf[2][OUT_CAP];
	size_t len[2];
};

static const char *guest_path, *guest_elf, *guest_bz;

static void on_serial(void *arg, unsigned int com, uint8_t byte)
{
	struct capture *c = arg;

	if (com > 1 || byte == '\r' || c->len[com] + 1 >= OUT_CAP)
		return;
	c->buf[com][c->len[com]++] = (char)byte;
}

static unsigned int count_dir(const char *path)
{
	unsigned int n = 0;
	struct dirent *d;
	DIR *dir = opendir(path);

	if (!dir)
		return 0;
	while ((d = readdir(dir)))
		n += d->d_name[0] != '.';
	closedir(dir);
	return n;
}

static struct topology boot_topo;

/* A device at the MMIO probe address of the guest (ktstr.guest=mmio). */
#define PROBE_GPA 0x3fe00000ull

struct probe_dev {
	uint64_t last_off, last_val;
	unsigned int reads, writes;
};

static void probe_io(void *dev, uint64_t off, uint8_t *data, uint32_t len, bool is_write)
{
	struct probe_dev *p = dev;
	uint64_t v = 0;

	if (is_write) {
		memcpy(&v, data, len);
		p->last_off = off;
		p->last_val = v;
		p->writes++;
	} else {
		v = 0xabcd0123;
		memcpy(data, &v, len);
		p->reads++;
	}
}

static struct probe_dev *boot_probe;	/* set: register it at PROBE_GPA */
static uint16_t boot_irr;		/* the PICs' IRR after the run */

static void boot(const char *cmdline, uint64_t ram, uint64_t shm, uint32_t timeout_ms,
		 struct capture *c, struct vmm_result *res)
{
	struct vmm_opts o = {
		.kernel = guest_path,
		.topo = boot_topo,
		.cmdline = cmdline,
		.ram_size = ram,
		.shm_size = shm,
		.timeout_ms = timeout_ms,
		.on_serial = on_serial,
		.arg = c,
	};
	char err[256] = "", what[256];
	struct vmm *vmm;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = vmm__create(&o, &vmm, err, sizeof(err));
	if (ret)
		fail_msg("vmm__create: %s", err);
	if (boot_probe)
		assert_int_equal(vmm__register_mmio(vmm, PROBE_GPA, 4096, probe_io, boot_probe), 0);
	assert_int_equal(vmm__run(vmm, res), 0);
	assert_int_equal(vmm__pic_irr(vmm, &boot_irr), 0);
	vmm_result__format(res, what, sizeof(what));
	printf("# VM %s; COM1 %zu bytes, COM2 %zu bytes\n", what, c->len[0], c->len[1]);
	vmm__destroy(vmm);
}

static void expect_line(const struct capture *c, unsigned int com, const char *line)
{
	const char *p = c->buf[com];
	size_t n = strlen(line);

	while ((p = strstr(p, line))) {
		if ((p == c->buf[com] || p[-1] == '\n') && (p[n] == '\n'))
			return;
		p++;
	}
	fail_msg("COM%u lacks the line \"%s\"; it has:\n%s", com + 1, line, c->buf[com]);
}

static void test_boot_elf(void **state)
{
	struct capture c;
	struct vmm_result res;

	(void)state;
	boot("console=ttyS0 ktstr.test=1 hello", 64ull << 20, 0, 20000, &c, &res);
	assert_int_equal(res.end, VMM_END_RESET);
	expect_line(&c, 0, "KTSTR_GUEST start");
	expect_line(&c, 0, "loader=0xff boot_flag=0xaa55 header=HdrS version=0x0");
	expect_line(&c, 0, "e820 count=2");
	expect_line(&c, 0, "e820 0 addr=0x0 size=0x9fc00 type=1");
	expect_line(&c, 0, "e820 1 addr=0x100000 size=0x3f00000 type=1");
	expect_line(&c, 0, "cmdline=console=ttyS0 ktstr.test=1 hello " VIRTIO_WORD);
	expect_line(&c, 0, "KTSTR_GUEST end");
	expect_line(&c, 1, "KTSTR_GUEST com2 hello");
	assert_true(res.wall_ns < 10ull * 1000000000ull);
}

/* The same guest as a bzImage: setup header copied, 64-bit entry at +0x200. */
static void test_boot_bzimage(void **state)
{
	struct capture c;
	struct vmm_result res;

	(void)state;
	if (!guest_bz)
		skip();
	guest_path = guest_bz;
	boot("console=ttyS0 bz", 64ull << 20, 0, 20000, &c, &res);
	guest_path = guest_elf;
	assert_int_equal(res.end, VMM_END_RESET);
	expect_line(&c, 0, "KTSTR_GUEST start");
	expect_line(&c, 0, "loader=0xff boot_flag=0xaa55 header=HdrS version=0x20f");
	expect_line(&c, 0, "e820 count=2");
	expect_line(&c, 0, "cmdline=console=ttyS0 bz " VIRTIO_WORD);
	expect_line(&c, 0, "KTSTR_GUEST end");
	expect_line(&c, 1, "KTSTR_GUEST com2 hello");
}

/* 3.5 GiB with 16 MiB of SHM: RAM split around the 3-4 GiB gap, SHM left out. */
static void test_boot_gap_shm(void **state)
{
	struct capture c;
	struct vmm_result res;

	(void)state;
	boot("", 3584ull << 20, 16ull << 20, 20000, &c, &res);
	assert_int_equal(res.end, VMM_END_RESET);
	expect_line(&c, 0, "e820 count=3");
	expect_line(&c, 0, "e820 1 addr=0x100000 size=0xbff00000 type=1");
	expect_line(&c, 0, "e820 2 addr=0x100000000 size=0x1f000000 type=1");
	expect_line(&c, 0, "cmdline=" VIRTIO_WORD);
}

/* A guest that spins at CPL3 forever: the watchdog ends it, kicking the vCPU. */
static void test_timeout(void **state)
{
	struct capture c;
	struct vmm_result res;

	(void)state;
	boot("ktstr.guest=hang", 32ull << 20, 0, 300, &c, &res);
	assert_int_equal(res.end, VMM_END_TIMEOUT);
	expect_line(&c, 0, "KTSTR_GUEST hanging");
	assert_true(res.wall_ns >= 300ull * 1000000ull);
	assert_true(res.wall_ns < 5ull * 1000000000ull);
}

/* ud2 at CPL3 with no usable IDT: a triple fault, reported with its RIP. */
static void test_triple_fault(void **state)
{
	struct capture c;
	struct vmm_result res;

	(void)state;
	boot("ktstr.guest=fault", 32ull << 20, 0, 20000, &c, &res);
	assert_int_equal(res.end, VMM_END_SHUTDOWN);
	expect_line(&c, 0, "KTSTR_GUEST faulting");
}

/*
 * Four vCPUs (2 LLCs x 2 cores): the APs wait for INIT/SIPI inside KVM_RUN
 * and must be kicked out of it when the boot CPU resets the VM.
 */
static void test_boot_smp(void **state)
{
	struct capture c;
	struct vmm_result res;

	(void)state;
	boot_topo = (struct topology){ 1, 2, 2, 1 };
	boot("smp", 64ull << 20, 0, 20000, &c, &res);
	boot_topo = (struct topology){ 0, 0, 0, 0 };
	assert_int_equal(res.end, VMM_END_RESET);
	assert_int_equal(res.vcpu, 0);
	expect_line(&c, 0, "cmdline=smp " VIRTIO_WORD);
	expect_line(&c, 1, "KTSTR_GUEST com2 hello");
}

/* CPL3 MMIO to a page with no RAM reaches the device on the MMIO bus. */
static void test_mmio(void **state)
{
	struct probe_dev probe = { .reads = 0 };
	struct capture c;
	struct vmm_result res;

	(void)state;
	boot_probe = &probe;
	boot("ktstr.guest=mmio", 32ull << 20, 0, 20000, &c, &res);
	boot_probe = NULL;
	assert_int_equal(res.end, VMM_END_RESET);
	expect_line(&c, 0, "mmio read=0xabcd0123");
	assert_int_equal(probe.writes, 1);
	assert_int_equal(probe.last_off, 4);
	assert_int_equal(probe.last_val, 0x12345678);
	assert_int_equal(probe.reads, 1);

	/* No device there: reads are all ones. */
	boot("ktstr.guest=mmio", 32ull << 20, 0, 20000, &c, &res);
	expect_line(&c, 0, "mmio read=0xffffffff");
}

/* Code fetched from MMIO cannot run: a KVM internal error with the RIP. */
static void test_kvm_error(void **state)
{
	struct capture c;
	struct vmm_result res;

	(void)state;
	boot("ktstr.guest=mmio-exec", 32ull << 20, 0, 20000, &c, &res);
	/*
	 * KVM stops with an internal error (emulation failure) at the MMIO
	 * RIP. Nested KVM on AMD (kvm-amd in a TCG guest) ends the same guest
	 * with a triple fault instead: either way the VM ends, never runs on.
	 */
	if (res.end == VMM_END_SHUTDOWN) {
		printf("# nested KVM: code fetched from MMIO ended in a triple fault\n");
		return;
	}
	assert_int_equal(res.end, VMM_END_KVM_ERROR);
	assert_int_equal(res.rip, PROBE_GPA);
	assert_non_null(strstr(res.msg, "internal error"));
}

/* The UARTs' THRE interrupts reach the in-kernel PIC as IRQ 4 and 3. */
static void test_uart_irq(void **state)
{
	struct capture c;
	struct vmm_result res;

	(void)state;
	boot("", 32ull << 20, 0, 20000, &c, &res);
	assert_int_equal(boot_irr & 0x18, 0);
	boot("ktstr.guest=irq", 32ull << 20, 0, 20000, &c, &res);
	assert_int_equal(res.end, VMM_END_RESET);
	expect_line(&c, 0, "uart irqs on");
	assert_int_equal(boot_irr & 0x18, 0x18);
}

/* ACPI PM1a_CNT: SLP_EN with S0 is ignored, S5 (even as a byte write) powers off. */
static void test_acpi_poweroff(void **state)
{
	struct capture c;
	struct vmm_result res;

	(void)state;
	boot("ktstr.guest=pm", 32ull << 20, 0, 20000, &c, &res);
	assert_int_equal(res.end, VMM_END_POWEROFF);
	assert_non_null(strstr(res.msg, "ACPI"));
	expect_line(&c, 0, "pm1a_sts=0x0 pm1a_cnt=0x0");
	expect_line(&c, 0, "pm s0 ignored");
	assert_null(strstr(c.buf[0], "pm still running"));
}

/* Create, run and destroy leave exactly the fds and threads there were. */
static void test_teardown(void **state)
{
	unsigned int fds, tasks;
	struct capture c;
	struct vmm_result res;

	(void)state;
	fds = count_dir("/proc/self/fd");
	tasks = count_dir("/proc/self/task");
	for (int i = 0; i < 3; i++)
		boot("ktstr.guest=hang", 16ull << 20, 0, 50, &c, &res);
	boot("", 16ull << 20, 0, 20000, &c, &res);
	assert_int_equal(count_dir("/proc/self/fd"), fds);
	assert_int_equal(count_dir("/proc/self/task"), tasks);
}

/* The guest file missing: a message naming it, and nothing left open. */
static void test_missing_kernel(void **state)
{
	struct vmm_opts o = { .kernel = "/nonexistent/vmlinux", .ram_size = 16ull << 20 };
	unsigned int fds = count_dir("/proc/self/fd");
	char err[256] = "";
	struct vmm *vmm = NULL;

	(void)state;
	assert_int_equal(vmm__create(&o, &vmm, err, sizeof(err)), -ENOENT);
	assert_null(vmm);
	assert_non_null(strstr(err, "/nonexistent/vmlinux"));
	assert_int_equal(count_dir("/proc/self/fd"), fds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_elf),
		cmocka_unit_test(test_boot_bzimage),
		cmocka_unit_test(test_boot_gap_shm),
		cmocka_unit_test(test_boot_smp),
		cmocka_unit_test(test_mmio),
		cmocka_unit_test(test_kvm_error),
		cmocka_unit_test(test_uart_irq),
		cmocka_unit_test(test_acpi_poweroff),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_triple_fault),
		cmocka_unit_test(test_teardown),
		cmocka_unit_test(test_missing_kernel),
	};
	struct kvm kvm;
	char err[256];
	int ret;

	guest_elf = guest_path = getenv("KTSTR_GUEST_BOOT_INFO");
	guest_bz = getenv("KTSTR_GUEST_BOOT_INFO_BZ");
	if (!guest_path) {
		fprintf(stderr, "KTSTR_GUEST_BOOT_INFO is not set: a misconfigured test (run it through meson test)\n");
		return 1;
	}
	kvm__init(&kvm);
	ret = kvm__open(&kvm, 2u << 20, 0, err, sizeof(err));
	kvm__close(&kvm);
	if (ret) {
		printf("SKIP: KVM not usable: %s\n", err);
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
