// SPDX-License-Identifier: GPL-2.0
/*
 * lib/vm/vm.h's VMM backend (vmm/vm_vmm*.c) booting the test guests on
 * /dev/kvm: tests/guest/virtio_con.c's frame on org.ktstr.results arrives
 * through on_data and decodes, its COM1 lines and console-port bytes arrive
 * on VM_CHAN_CONSOLE, a frame queued with vm__write_control() reaches it,
 * and it powers off; tests/guest/boot_info.c resets (a crash when the console
 * shows "Kernel panic"); tests/guest/hang.S times out, is killed, or is
 * killed from the soft-deadline callback, where vm__host_cpu() counts its
 * two vCPU threads. No fd or thread is left behind. Exits 77 (skipped) when
 * /dev/kvm is unusable.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <zlib.h>

#include "kvm/kvm.h"
#include "wire/ktstr_proto.h"
#include "wire/proto_reader.h"
#include "vm/vm.h"
#include "vm_vmm.h"

#define CAP		65536
#define GUEST_MB	64

static const char *virtio_guest, *boot_guest, *hang_guest;

struct capture {
	char chan[VM_CHAN__NR][CAP];
	size_t len[VM_CHAN__NR];
	unsigned int calls[VM_CHAN__NR];
	struct proto_reader rd;
	unsigned int frames, log_frames;
	char log[128];
};

static int on_frame(const struct proto_frame *f, void *arg)
{
	struct capture *c = arg;

	c->frames++;
	if (f->type == KTSTR_MSG_LOG) {
		c->log_frames++;
		snprintf(c->log, sizeof(c->log), "%.*s", (int)f->length,
			 (const char *)f->payload);
	}
	return 0;
}

static void on_data(void *arg, enum vm_chan chan, const void *data, size_t len)
{
	struct capture *c = arg;

	assert_true((unsigned int)chan < VM_CHAN__NR);
	c->calls[chan]++;
	/* Kept without '\r' (the guests end lines with "\r\n"), for strstr(). */
	for (size_t i = 0; i < len && c->len[chan] + 1 < CAP; i++)
		if (((const char *)data)[i] != '\r')
			c->chan[chan][c->len[chan]++] = ((const char *)data)[i];
	if (chan == VM_CHAN_RESULTS)
		assert_int_equal(proto_reader__feed(&c->rd, data, len, on_frame, c), 0);
}

static unsigned int count_dir(const char *path)
{
	DIR *d = opendir(path);
	unsigned int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static struct vm_opts opts(const char *kernel, struct capture *c, uint32_t timeout_ms)
{
	struct vm_opts o = {
		.backend = VM_BACKEND_VMM,
		.topo = { 1, 1, 2, 1 },
		.memory_mb = GUEST_MB,
		.kernel = kernel,
		.timeout_ms = timeout_ms,
		.on_data = on_data,
		.arg = c,
	};
	return o;
}

static void print_result(struct vm *vm, const struct vm_result *res)
{
	char rep[4096];

	vm__report(vm, res, 30, rep, sizeof(rep));
	for (const char *l = rep; *l;) {
		const char *nl = strchr(l, '\n');
		int n = nl ? (int)(nl - l) : (int)strlen(l);

		printf("#   %.*s\n", n, l);
		l += n + (nl != NULL);
	}
}

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

static void test_virtio_poweroff(void **state)
{
	struct capture *c = calloc(1, sizeof(*c));
	const char *hello = "hello through lib/vm/vm.h";
	struct vm_opts o = opts(virtio_guest, c, 20000);
	char err[256] = "", tail[1024], line[160];
	struct vm_result res;
	struct vm *vm;
	uint8_t buf[128];

	(void)state;
	assert_non_null(c);
	proto_reader__init(&c->rd);
	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	assert_int_equal(vm__pid(vm), -1);
	assert_null(vm__tmpdir(vm));
	assert_int_equal(vm__write_control(vm, buf, frame(buf, sizeof(buf),
							  KTSTR_MSG_SHUTDOWN, hello)), 0);
	assert_int_equal(vm__wait(vm, &res), 0);
	print_result(vm, &res);

	assert_int_equal(res.exit, VM_EXIT_POWEROFF);
	assert_string_equal(res.reason, "powered off");
	assert_true(res.wall_ms < 20000);
	/* Guest -> host: one valid frame on the results port. */
	assert_int_equal(proto_reader__finish(&c->rd, on_frame, c), 0);
	assert_int_equal(c->frames, 1);
	assert_int_equal(c->log_frames, 1);
	assert_string_equal(c->log, "hello from the virtio guest");
	assert_int_equal(c->rd.st.skipped_bytes, 0);
	/* COM1 and the console port, both on VM_CHAN_CONSOLE. */
	assert_non_null(strstr(c->chan[VM_CHAN_CONSOLE], "KTSTR_GUEST virtio start\n"));
	assert_non_null(strstr(c->chan[VM_CHAN_CONSOLE], "console bytes\n"));
	assert_null(strstr(c->chan[VM_CHAN_CONSOLE], "FAIL"));
	/* Host -> guest: the frame queued before vm__wait(). */
	snprintf(line, sizeof(line), "control frame type=%d len=%zu crc=ok payload=%s\n",
		 KTSTR_MSG_SHUTDOWN, strlen(hello), hello);
	assert_non_null(strstr(c->chan[VM_CHAN_CONSOLE], line));
	assert_int_equal(c->len[VM_CHAN_STDERR], 0);

	assert_int_equal(vm__tail(vm, VM_CHAN_CONSOLE, 1, tail, sizeof(tail)),
			 strlen("KTSTR_GUEST virtio end\n"));
	assert_string_equal(tail, "KTSTR_GUEST virtio end\n");
	vm__tail(vm, VM_CHAN_CONSOLE, 3, tail, sizeof(tail));
	assert_non_null(strstr(tail, "results sent type=5 len=27\n"));
	/* A second wait says the same. */
	assert_int_equal(vm__wait(vm, &res), 0);
	assert_int_equal(res.exit, VM_EXIT_POWEROFF);
	vm__free(vm);
	proto_reader__free(&c->rd);
	free(c);
}

static void run_boot_info(const char *const *extra, enum vm_exit want)
{
	struct capture *c = calloc(1, sizeof(*c));
	struct vm_opts o = opts(boot_guest, c, 20000);
	char err[256] = "", tail[256];
	struct vm_result res;
	struct vm *vm;

	assert_non_null(c);
	proto_reader__init(&c->rd);
	o.cmdline_extra = extra;
	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	assert_int_equal(vm__wait(vm, &res), 0);
	print_result(vm, &res);
	assert_int_equal(res.exit, want);
	assert_string_equal(res.reason, "reset");
	/* The command line: the shared words, then this backend's. */
	assert_non_null(strstr(c->chan[VM_CHAN_CONSOLE], "console=ttyS0 "));
	assert_non_null(strstr(c->chan[VM_CHAN_CONSOLE], " pci=off clocksource=kvm-clock"));
	assert_string_equal(c->chan[VM_CHAN_COM2], "KTSTR_GUEST com2 hello\n");
	vm__tail(vm, VM_CHAN_COM2, 5, tail, sizeof(tail));
	assert_string_equal(tail, "KTSTR_GUEST com2 hello\n");
	vm__free(vm);
	proto_reader__free(&c->rd);
	free(c);
}

static void test_reset(void **state)
{
	(void)state;
	run_boot_info(NULL, VM_EXIT_RESET);
}

/* The guest prints its command line: a panic message there makes the reset a crash. */
static void test_reset_after_panic_is_crash(void **state)
{
	static const char *const extra[] = { "Kernel panic - not syncing: test", NULL };

	(void)state;
	run_boot_info(extra, VM_EXIT_CRASH);
}

static void test_timeout(void **state)
{
	struct capture *c = calloc(1, sizeof(*c));
	struct vm_opts o = opts(hang_guest, c, 300);
	char err[256] = "", tail[256], rep[2048];
	struct vm_result res;
	struct vm *vm;

	(void)state;
	assert_non_null(c);
	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	assert_int_equal(vm__wait(vm, &res), 0);
	print_result(vm, &res);
	assert_int_equal(res.exit, VM_EXIT_TIMEOUT);
	assert_string_equal(res.reason, "timeout");
	assert_true(res.wall_ms >= 300 && res.wall_ms < 10000);
	/* What the guest printed before it hung is there to show (#12 item 4). */
	vm__tail(vm, VM_CHAN_CONSOLE, 5, tail, sizeof(tail));
	assert_string_equal(tail, "KTSTR_GUEST hang: spinning\n");
	vm__report(vm, &res, 5, rep, sizeof(rep));
	assert_non_null(strstr(rep, "KTSTR_GUEST hang: spinning"));
	vm__free(vm);
	free(c);
}

static void *killer(void *arg)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	vm__kill(arg);
	return NULL;
}

static void test_kill(void **state)
{
	struct capture *c = calloc(1, sizeof(*c));
	struct vm_opts o = opts(hang_guest, c, 20000);
	char err[256] = "";
	struct vm_result res;
	pthread_t t;
	struct vm *vm;

	(void)state;
	assert_non_null(c);
	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	assert_int_equal(pthread_create(&t, NULL, killer, vm), 0);
	assert_int_equal(vm__wait(vm, &res), 0);
	pthread_join(t, NULL);
	assert_int_equal(res.exit, VM_EXIT_KILLED);
	assert_string_equal(res.reason, "killed");
	assert_true(res.wall_ms < 10000);
	vm__free(vm);

	/* Killed before it ever ran; and freed without a wait. */
	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	vm__kill(vm);
	assert_int_equal(vm__wait(vm, &res), 0);
	assert_int_equal(res.exit, VM_EXIT_KILLED);
	vm__free(vm);
	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	vm__free(vm);
	free(c);
}

static unsigned int soft_calls;
static struct vm_host_cpu soft_cpu;
static int soft_cpu_ret;

static void on_soft(void *arg, struct vm *vm)
{
	(void)arg;
	soft_calls++;
	/* 2.3 s in: both vCPU threads run, the boot CPU spinning in the guest. */
	soft_cpu_ret = vm__host_cpu(vm, &soft_cpu);
	vm__kill(vm);
}

/* The soft deadline comes 3 s before the hard one, in vm__wait()'s thread. */
static void test_soft_timeout(void **state)
{
	struct capture *c = calloc(1, sizeof(*c));
	struct vm_opts o = opts(hang_guest, c, 5300);
	char err[256] = "";
	struct vm_result res;
	struct vm *vm;

	(void)state;
	assert_non_null(c);
	o.on_soft_timeout = on_soft;
	soft_calls = 0;
	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	assert_int_equal(vm__wait(vm, &res), 0);
	assert_int_equal(soft_calls, 1);
	assert_int_equal(res.exit, VM_EXIT_KILLED);
	assert_true(res.wall_ms >= 2300 && res.wall_ms < 5300);
	/* The host CPU its vCPU threads got (lib/vm's vm__host_cpu()). */
	printf("# host CPU at the soft deadline: %d, %u threads, run %llu ms, wait %llu ms\n",
	       soft_cpu_ret, soft_cpu.threads, (unsigned long long)(soft_cpu.run_ns / 1000000),
	       (unsigned long long)(soft_cpu.wait_ns / 1000000));
	if (soft_cpu_ret != -ENOTSUP) {
		assert_int_equal(soft_cpu_ret, 0);
		assert_int_equal(soft_cpu.threads, 2);	/* the vCPU count */
		assert_true(soft_cpu.run_ns >= 50ull * 1000000);
	}
	/* Every vCPU thread joined: nothing left to sample. */
	assert_int_equal(vm__host_cpu(vm, &soft_cpu), -ENOENT);
	vm__free(vm);
	free(c);
}

static void test_bad_kernel(void **state)
{
	struct vm_opts o = opts("/proc/self/status", NULL, 1000);
	char err[256] = "";
	struct vm *vm = (struct vm *)&o;

	(void)state;
	o.on_data = NULL;
	assert_true(vm__start(&o, &vm, err, sizeof(err)) < 0);
	assert_null(vm);
	printf("# %s\n", err);
	assert_true(err[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virtio_poweroff),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_reset_after_panic_is_crash),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_soft_timeout),
		cmocka_unit_test(test_bad_kernel),
	};
	unsigned int fds, tasks;
	struct kvm kvm;
	char err[256];
	int ret;

	virtio_guest = getenv("KTSTR_GUEST_VIRTIO_CON");
	boot_guest = getenv("KTSTR_GUEST_BOOT_INFO");
	hang_guest = getenv("KTSTR_GUEST_HANG");
	if (!virtio_guest || !boot_guest || !hang_guest) {
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
	vm_vmm__register();
	fds = count_dir("/proc/self/fd");
	tasks = count_dir("/proc/self/task");
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	if (count_dir("/proc/self/fd") != fds || count_dir("/proc/self/task") != tasks) {
		printf("# LEAK: fds %u -> %u, threads %u -> %u\n", fds,
		       count_dir("/proc/self/fd"), tasks, count_dir("/proc/self/task"));
		return 1;
	}
	printf("# no fd or thread left behind (%u fds, %u threads)\n", fds, tasks);
	return ret;
}
