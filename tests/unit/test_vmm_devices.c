// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM's firmware tables and devices as test guests see them on /dev/kvm:
 * tests/guest/acpi_walk.c finds the RSDP, checks every table's checksum and
 * reports MADT, SRAT, SLIT and the MP table, then powers off through ACPI;
 * the reports are compared with the topology the VM was given.
 * Exits 77 (skipped) when /dev/kvm is missing or unusable.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "virtio/guest_mem.h"
#include "wire/ktstr_proto.h"
#include "kvm/kvm.h"
#include "platform/topo_apic.h"
#include "vmm.h"

#define OUT_CAP		32768
#define MiB		(1ull << 20)
#define GUEST_RAM	(64 * MiB)

struct capture {
	char com1[OUT_CAP];
	size_t len;
};

static const char *acpi_guest, *virtio_guest, *smp_guest;

static void on_serial(void *arg, unsigned int com, uint8_t byte)
{
	struct capture *c = arg;

	if (com || byte == '\r' || c->len + 1 >= OUT_CAP)
		return;
	c->com1[c->len++] = (char)byte;
}

static void print_com1(const struct capture *c)
{
	for (const char *l = c->com1; *l;) {
		const char *nl = strchr(l, '\n');
		int n = nl ? (int)(nl - l) : (int)strlen(l);

		printf("#   %.*s\n", n, l);
		l += n + (nl != NULL);
	}
}

static void boot(const char *kernel, const struct topology *t, const char *cmdline,
		 struct capture *c, struct vmm_result *res)
{
	struct vmm_opts o = {
		.kernel = kernel,
		.cmdline = cmdline,
		.topo = *t,
		.ram_size = GUEST_RAM,
		.timeout_ms = 20000,
		.on_serial = on_serial,
		.arg = c,
	};
	char err[256] = "", what[256];
	struct vmm *vmm;

	memset(c, 0, sizeof(*c));
	if (vmm__create(&o, &vmm, err, sizeof(err)))
		fail_msg("vmm__create: %s", err);
	assert_int_equal(vmm__run(vmm, res), 0);
	vmm_result__format(res, what, sizeof(what));
	printf("# VM %s; COM1 %zu bytes:\n", what, c->len);
	print_com1(c);
	vmm__destroy(vmm);
}

static bool has_line(const struct capture *c, const char *line)
{
	const char *p = c->com1;
	size_t n = strlen(line);

	while ((p = strstr(p, line))) {
		if ((p == c->com1 || p[-1] == '\n') && p[n] == '\n')
			return true;
		p++;
	}
	return false;
}

static void expect_line(const struct capture *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void expect_line(const struct capture *c, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!has_line(c, line))
		fail_msg("COM1 lacks the line \"%s\"; it has:\n%s", line, c->com1);
}

/* Per-node sums of the "srat mem" lines; checks that nodes come in address order. */
static void check_srat_mem(const struct capture *c, const struct topology *t)
{
	uint64_t per[KTSTR_MAX_NUMA] = { 0 }, total = 0, last_end = 0;
	uint64_t e820 = (0x9fc00) + (GUEST_RAM - MiB);
	uint32_t last_node = 0;
	const char *p = c->com1;

	while ((p = strstr(p, "srat mem node="))) {
		unsigned int node;
		uint64_t base, size;

		assert_int_equal(sscanf(p, "srat mem node=%u base=%" SCNx64 " size=%" SCNx64,
					&node, &base, &size), 3);
		assert_true(node < t->numa_nodes);
		assert_true(node >= last_node);
		assert_true(base >= last_end);
		last_node = node;
		last_end = base + size;
		per[node] += size;
		total += size;
		p++;
	}
	assert_int_equal(total, e820);
	for (uint32_t n = 0; n < t->numa_nodes; n++) {
		uint64_t share = e820 / t->numa_nodes;

		printf("# node %u: %" PRIu64 " KiB of RAM\n", n, per[n] >> 10);
		assert_true(per[n] + 2 * MiB >= share && per[n] <= share + 2 * MiB);
	}
}

static void check_acpi(const struct topology *t)
{
	uint32_t cpus = topology__total_cpus(t);
	struct capture *c = calloc(1, sizeof(*c));
	struct vmm_result res;

	assert_non_null(c);
	boot(acpi_guest, t, NULL, c, &res);
	assert_int_equal(res.end, VMM_END_POWEROFF);
	assert_non_null(strstr(res.msg, "ACPI"));
	expect_line(c, "KTSTR_GUEST acpi start");
	assert_non_null(strstr(c->com1, "\nrsdp at=0xe0000 bp=0xe0000 rev=2 "));
	assert_non_null(strstr(c->com1, " sum=ok xsum=ok\n"));
	assert_null(strstr(c->com1, "BAD"));
	for (const char *sig = "APIC\0SRAT\0SLIT\0FACP\0DSDT\0XSDT\0RSDT\0"; *sig;
	     sig += strlen(sig) + 1) {
		char what[16];

		snprintf(what, sizeof(what), "table %s ", sig);
		if (!strstr(c->com1, what))
			fail_msg("no %s table reported:\n%s", sig, c->com1);
	}
	for (uint32_t cpu = 0; cpu < cpus; cpu++) {
		uint32_t apic = topo_apic__id(t, cpu);
		uint32_t node = topology__llc_node(t, topology__decompose(t, cpu).llc);

		expect_line(c, "madt cpu uid=%u apic=0x%x flags=0x1", cpu, apic);
		expect_line(c, "srat cpu apic=0x%x node=%u", apic, node);
	}
	check_srat_mem(c, t);
	expect_line(c, "slit nodes=%u", t->numa_nodes);
	for (uint32_t i = 0; i < t->numa_nodes; i++) {
		char line[512];
		int n = snprintf(line, sizeof(line), "slit %u:", i);

		for (uint32_t j = 0; j < t->numa_nodes; j++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, " %u", i == j ? 10 : 20);
		expect_line(c, "%s", line);
	}
	expect_line(c, "mptable cpus=%u sum=ok", cpus);
	expect_line(c, "fadt pm1a_evt=0x600 pm1a_cnt=0x604 s5=5");
	assert_non_null(strstr(c->com1, " bad=0\n"));
	expect_line(c, "KTSTR_GUEST acpi end");
	assert_null(strstr(c->com1, "power-off failed"));
	free(c);
}

static void test_acpi_1n2l2c2t(void **state)
{
	(void)state;
	check_acpi(&(struct topology){ 1, 2, 2, 2 });
}

static void test_acpi_2n4l2c1t(void **state)
{
	(void)state;
	check_acpi(&(struct topology){ 2, 4, 2, 1 });
}

static void test_acpi_4n8l1c1t(void **state)
{
	(void)state;
	check_acpi(&(struct topology){ 4, 8, 1, 1 });
}

/* ---- AP bring-up: every vCPU's CPUID APIC IDs ---- */

static void check_smp(const struct topology *t)
{
	uint32_t cpus = topology__total_cpus(t);
	uint32_t smt = topo_apic__smt_shift(t), core = topo_apic__core_shift(t);
	struct capture *c = calloc(1, sizeof(*c));
	struct vmm_result res;
	char cmdline[64];

	assert_non_null(c);
	snprintf(cmdline, sizeof(cmdline), "ktstr.aps=%u", cpus - 1);
	boot(smp_guest, t, cmdline, c, &res);
	assert_int_equal(res.end, VMM_END_POWEROFF);
	expect_line(c, "cpu bsp apic=0x0 x2apic=0x0 lapic=0x0 shift=%u/%u", smt, core);
	/* CPUID and the local APIC agree: KVM's vCPU id is the tables' APIC id. */
	for (uint32_t cpu = 1; cpu < cpus; cpu++) {
		uint32_t apic = topo_apic__id(t, cpu);

		expect_line(c, "cpu ap apic=0x%x x2apic=0x%x lapic=0x%x shift=%u/%u", apic, apic,
			    apic, smt, core);
	}
	expect_line(c, "smp aps=%u count=%u", cpus - 1, cpus - 1);
	expect_line(c, "KTSTR_GUEST smp end");
	free(c);
}

static void test_smp_1n2l2c2t(void **state)
{
	(void)state;
	check_smp(&(struct topology){ 1, 2, 2, 2 });
}

static void test_smp_2n4l2c1t(void **state)
{
	(void)state;
	check_smp(&(struct topology){ 2, 4, 2, 1 });
}

/* Three cores per LLC: the core field takes 2 bits, so the APIC IDs have holes. */
static void test_smp_1n2l3c1t(void **state)
{
	(void)state;
	check_smp(&(struct topology){ 1, 2, 3, 1 });
}

/* ---- the virtio console, both ways ---- */

struct vcon_capture {
	struct capture c;		/* first: on_serial's arg */
	struct vmm *vmm;
	uint8_t results[4096], console[256];
	size_t results_len, console_len;
	unsigned int calls, replies;
	long reply_ret;
};

static size_t frame(uint8_t *buf, size_t cap, uint16_t type, const char *text)
{
	struct ktstr_frame_hdr h = {
		.magic = KTSTR_PROTO_MAGIC, .version = KTSTR_PROTO_VERSION, .type = type,
		.length = (uint32_t)strlen(text),
		.crc32 = (uint32_t)crc32(0, (const Bytef *)text, (uInt)strlen(text)),
	};

	assert_true(sizeof(h) + h.length <= cap);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), text, h.length);
	return sizeof(h) + h.length;
}

/* Guest -> host bytes; a whole frame on the results port is answered on control. */
static void on_port(void *arg, const char *port, const uint8_t *data, size_t len)
{
	struct vcon_capture *v = arg;

	v->calls++;
	if (!strcmp(port, KTSTR_PORT_RESULTS) && len <= sizeof(v->results) - v->results_len) {
		struct ktstr_frame_hdr h = { 0 };

		memcpy(v->results + v->results_len, data, len);
		v->results_len += len;
		if (v->results_len >= sizeof(h))
			memcpy(&h, v->results, sizeof(h));
		if (v->results_len >= sizeof(h) && v->results_len >= sizeof(h) + h.length &&
		    !v->replies) {
			uint8_t buf[256];
			char text[128];

			snprintf(text, sizeof(text), "ack: %.*s", (int)h.length,
				 (const char *)v->results + sizeof(h));
			v->replies++;
			v->reply_ret = vmm__port_send(v->vmm, KTSTR_PORT_CONTROL, buf,
						      frame(buf, sizeof(buf), KTSTR_MSG_DUMP, text));
		}
	} else if (!strcmp(port, "console") && len <= sizeof(v->console) - v->console_len) {
		memcpy(v->console + v->console_len, data, len);
		v->console_len += len;
	}
}

static void test_virtio_console(void **state)
{
	struct vcon_capture *v = calloc(1, sizeof(*v));
	struct vmm_opts o = {
		.kernel = virtio_guest,
		.topo = { 1, 1, 2, 1 },
		.ram_size = GUEST_RAM,
		.timeout_ms = 20000,
		.on_serial = on_serial,
		.on_port = on_port,
	};
	const char *hello = "hello from the host";
	struct ktstr_frame_hdr h;
	char err[256] = "", what[256];
	uint8_t buf[256];
	struct vmm_result res;
	uint16_t irr = 0;

	(void)state;
	assert_non_null(v);
	o.arg = v;
	if (vmm__create(&o, &v->vmm, err, sizeof(err)))
		fail_msg("vmm__create: %s", err);
	assert_string_equal(vmm__port_name(v->vmm, 0), "console");
	assert_string_equal(vmm__port_name(v->vmm, 2), KTSTR_PORT_CONTROL);
	assert_null(vmm__port_name(v->vmm, 4));
	assert_int_equal(vmm__port_send(v->vmm, "org.ktstr.nonexistent", "x", 1), -ENOENT);
	/* Before the run: held by the device until the guest posts buffers. */
	assert_int_equal(vmm__port_send(v->vmm, KTSTR_PORT_CONTROL, buf,
					frame(buf, sizeof(buf), KTSTR_MSG_SHUTDOWN, hello)),
			 (long)(sizeof(h) + strlen(hello)));
	assert_int_equal(vmm__run(v->vmm, &res), 0);
	assert_int_equal(vmm__pic_irr(v->vmm, &irr), 0);
	vmm_result__format(&res, what, sizeof(what));
	printf("# VM %s; COM1 %zu bytes, %u port callbacks, IRR %#x:\n", what, v->c.len,
	       v->calls, irr);
	print_com1(&v->c);
	vmm__destroy(v->vmm);

	assert_int_equal(res.end, VMM_END_POWEROFF);
	expect_line(&v->c, "virtio magic=0x74726976 version=2 device=3 features=0x100000002");
	expect_line(&v->c, "virtio ports=4 status=0xf");
	expect_line(&v->c, "port 0 name=- console=1 open=1");
	expect_line(&v->c, "port 1 name=" KTSTR_PORT_RESULTS " console=0 open=1");
	expect_line(&v->c, "port 2 name=" KTSTR_PORT_CONTROL " console=0 open=1");
	expect_line(&v->c, "port 3 name=" KTSTR_PORT_SCHED " console=0 open=1");
	/* Host -> guest: the frame sent before the run, then the reply to the guest's. */
	expect_line(&v->c, "control frame type=%d len=%zu crc=ok payload=%s", KTSTR_MSG_SHUTDOWN,
		    strlen(hello), hello);
	expect_line(&v->c, "results sent type=5 len=27");
	expect_line(&v->c, "control frame type=%d len=%zu crc=ok payload=ack: %s",
		    KTSTR_MSG_DUMP, strlen("ack: ") + 27, "hello from the virtio guest");
	expect_line(&v->c, "KTSTR_GUEST virtio end");
	assert_null(strstr(v->c.com1, "FAIL"));
	/* Guest -> host: one well-formed frame on the results port. */
	assert_int_equal(v->results_len, sizeof(h) + 27);
	memcpy(&h, v->results, sizeof(h));
	assert_int_equal(h.magic, KTSTR_PROTO_MAGIC);
	assert_int_equal(h.version, KTSTR_PROTO_VERSION);
	assert_int_equal(h.type, KTSTR_MSG_LOG);
	assert_int_equal(h.length, 27);
	assert_int_equal(h.crc32, (uint32_t)crc32(0, v->results + sizeof(h), h.length));
	assert_memory_equal(v->results + sizeof(h), "hello from the virtio guest", 27);
	assert_int_equal(v->reply_ret, (long)(sizeof(h) + strlen("ack: ") + 27));
	assert_int_equal(v->console_len, 14);
	assert_memory_equal(v->console, "console bytes\n", 14);
	/* The device's interrupt reached the in-kernel PIC as IRQ 5. */
	assert_true(irr & (1u << 5));
	free(v);
}

/* The device models' view of RAM split around the MMIO gap: no range straddles. */
static void test_guest_mem_two_ranges(void **state)
{
	static uint8_t ram[3 * 4096];
	struct guest_mem m = {
		.host = ram, .size = 2 * 4096,
		.high_host = ram + 2 * 4096, .high_gpa = 1ull << 32, .high_size = 4096,
	};

	(void)state;
	assert_ptr_equal(guest_mem__ptr(&m, 0, 2 * 4096), ram);
	assert_null(guest_mem__ptr(&m, 4096, 2 * 4096));
	assert_null(guest_mem__ptr(&m, 2 * 4096, 1));		/* the gap */
	assert_ptr_equal(guest_mem__ptr(&m, 1ull << 32, 4096), ram + 2 * 4096);
	assert_ptr_equal(guest_mem__ptr(&m, (1ull << 32) + 4095, 1), ram + 3 * 4096 - 1);
	assert_null(guest_mem__ptr(&m, (1ull << 32) + 4095, 2));
	assert_null(guest_mem__ptr(&m, (1ull << 32) - 1, 2));
	assert_null(guest_mem__ptr(&m, UINT64_MAX, 2));
	m.high_host = NULL;
	assert_null(guest_mem__ptr(&m, 1ull << 32, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_mem_two_ranges),
		cmocka_unit_test(test_acpi_1n2l2c2t),
		cmocka_unit_test(test_acpi_2n4l2c1t),
		cmocka_unit_test(test_acpi_4n8l1c1t),
		cmocka_unit_test(test_virtio_console),
		cmocka_unit_test(test_smp_1n2l2c2t),
		cmocka_unit_test(test_smp_2n4l2c1t),
		cmocka_unit_test(test_smp_1n2l3c1t),
	};
	struct kvm kvm;
	char err[256];
	int ret;

	acpi_guest = getenv("KTSTR_GUEST_ACPI_WALK");
	virtio_guest = getenv("KTSTR_GUEST_VIRTIO_CON");
	smp_guest = getenv("KTSTR_GUEST_SMP_WALK");
	if (!acpi_guest || !virtio_guest || !smp_guest) {
		fprintf(stderr, "KTSTR_GUEST_* is not set: a misconfigured test (run it through meson test)\n");
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
