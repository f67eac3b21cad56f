// SPDX-License-Identifier: GPL-2.0
/*
 * The qemu backend booting for real: a sched_ext kernel with a tiny busybox
 * initramfs built here. Checks the bytes on every channel, how the VM ended
 * (power-off, timeout, panic, SIGTERM, ktstr SIGKILLed), the topology the
 * guest sees, and that nothing is left running or on disk.
 *
 * The kernel comes from $KTSTR_TEST_KERNEL, else the one `ktstr kernel path` finds;
 * with neither (or without qemu, busybox, cpio, gzip) it exits 77: skipped.
 * The vmlinux test takes $KTSTR_TEST_VMLINUX or the cached one, and skips alone.
 */
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
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wire/ktstr_proto.h"
#include "vm/vm.h"

#define BUSYBOX "/bin/busybox"

static const char *kernel;
static char cached_kernel[4096], cached_vmlinux[4096];
static char workdir[64];

/*
 * Without $KTSTR_TEST_KERNEL, the kernel `ktstr kernel path` finds (the
 * cache), and the vmlinux stored next to it.
 */
static void find_cached_kernel(void)
{
	const char *ktstr = getenv("KTSTR");
	char cmd[4200], *slash;
	FILE *p;

	if (!ktstr || !*ktstr)
		return;
	snprintf(cmd, sizeof(cmd), "'%s' kernel path 2>/dev/null", ktstr);
	p = popen(cmd, "r");
	if (!p)
		return;
	if (!fgets(cached_kernel, sizeof(cached_kernel), p))
		cached_kernel[0] = '\0';
	pclose(p);
	cached_kernel[strcspn(cached_kernel, "\n")] = '\0';
	snprintf(cached_vmlinux, sizeof(cached_vmlinux), "%s", cached_kernel);
	slash = strrchr(cached_vmlinux, '/');
	if (slash && (size_t)(slash - cached_vmlinux) + sizeof("/vmlinux") <= sizeof(cached_vmlinux))
		strcpy(slash, "/vmlinux");
	else
		cached_vmlinux[0] = '\0';
}

static const char init_prelude[] =
	"#!/bin/busybox sh\n"
	"/bin/busybox --install -s /bin\n"
	"mount -t proc proc /proc\n"
	"mount -t sysfs sys /sys\n"
	"mount -t devtmpfs dev /dev\n"
	"port() {\n"
	"	for f in /sys/class/virtio-ports/*/name; do\n"
	"		if [ \"$(cat $f)\" = \"$1\" ]; then d=${f%/name}; echo /dev/${d##*/}; fi\n"
	"	done\n"
	"}\n";

static const char init_hello[] =
	"R=$(port " KTSTR_PORT_RESULTS ")\n"
	"C=$(port " KTSTR_PORT_CONTROL ")\n"
	"S=$(port " KTSTR_PORT_SCHED ")\n"
	"read -t 30 line < $C\n"
	"echo \"RESULTS-OK ctl=$line\" > $R\n"
	"echo SCHED-OK > $S\n"
	"echo COM2-OK > /dev/ttyS1\n"
	"n=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)\n"
	"echo \"TOPO cpus=$(nproc) nodes=$n"
	" node0=$(cat /sys/devices/system/node/node0/cpulist)"
	" node1=$(cat /sys/devices/system/node/node1/cpulist 2>/dev/null)"
	" llc0=$(cat /sys/devices/system/cpu/cpu0/cache/index3/shared_cpu_list)"
	" llclast=$(cat /sys/devices/system/cpu/cpu$(($(nproc) - 1))/cache/index3/shared_cpu_list)"
	" smt0=$(cat /sys/devices/system/cpu/cpu0/topology/thread_siblings_list) END\" > $R\n"
	"echo \"UPTIME $(cut -d' ' -f1 /proc/uptime)\" > $R\n"
	"poweroff -f\n";

/* 8 MiB of zeros then a line, on both data ports at once. */
static const char init_bulk[] =
	"R=$(port " KTSTR_PORT_RESULTS ")\n"
	"S=$(port " KTSTR_PORT_SCHED ")\n"
	"(dd if=/dev/zero bs=65536 count=128 2>/dev/null; echo SCHED-END) > $S &\n"
	"dd if=/dev/zero bs=65536 count=128 2>/dev/null > $R\n"
	"echo RESULTS-END > $R\n"
	"wait\n"
	"poweroff -f\n";

static const char init_sleep[] = "echo SLEEPING > /dev/ttyS1\nwhile :; do sleep 1000; done\n";
static const char init_panic[] = "echo c > /proc/sysrq-trigger\nsleep 1000\n";

/* ---- the initramfs ---- */

static void write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void copy_file(const char *from, const char *to)
{
	static char buf[1 << 16];
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	ssize_t n;

	assert_true(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

/* Build <workdir>/<name>.cpio.gz whose /init is the prelude plus @body. */
static void make_initramfs(const char *name, const char *body, char *out, size_t cap)
{
	char root[128], path[256], cmd[512], *init;
	int status;

	snprintf(root, sizeof(root), "%s/%s", workdir, name);
	assert_int_equal(mkdir(root, 0755), 0);
	for (const char *const *d = (const char *const[]){ "bin", "proc", "sys", "dev", NULL };
	     *d; d++) {
		snprintf(path, sizeof(path), "%s/%s", root, *d);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	snprintf(path, sizeof(path), "%s/bin/busybox", root);
	copy_file(BUSYBOX, path);
	assert_true(asprintf(&init, "%s%s", init_prelude, body) > 0);
	snprintf(path, sizeof(path), "%s/init", root);
	write_file(path, init, strlen(init), 0755);
	free(init);
	snprintf(out, cap, "%s/%s.cpio.gz", workdir, name);
	/* Test scaffolding only: the backend never runs a shell. */
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && find . | cpio -o -H newc --quiet | gzip -1 > '%s'", root, out);
	status = system(cmd);
	assert_int_equal(status, 0);
}

/* ---- collecting the streams ---- */

struct streams {
	char buf[VM_CHAN__NR][65536];
	size_t len[VM_CHAN__NR];
	uint64_t total[VM_CHAN__NR];
	uint64_t nonzero[VM_CHAN__NR];	/* bytes other than '\0' */
};

static void on_data(void *arg, enum vm_chan chan, const void *data, size_t len)
{
	struct streams *s = arg;
	size_t room = sizeof(s->buf[chan]) - 1 - s->len[chan];

	s->total[chan] += len;
	for (size_t i = 0; i < len; i++)
		s->nonzero[chan] += ((const char *)data)[i] != 0;
	if (len > room)
		len = room;
	memcpy(s->buf[chan] + s->len[chan], data, len);
	s->len[chan] += len;
	s->buf[chan][s->len[chan]] = '\0';
}

static struct vm_opts boot_opts(struct topology t, const char *initramfs, struct streams *s)
{
	return (struct vm_opts){
		.accel = VM_ACCEL_TCG,
		.topo = t,
		.memory_mb = 512,
		.kernel = kernel,
		.initramfs = initramfs,
		.timeout_ms = 90000,
		.on_data = on_data,
		.arg = s,
	};
}

static void print_tail(struct vm *vm)
{
	char tail[8192];

	vm__tail(vm, VM_CHAN_CONSOLE, 40, tail, sizeof(tail));
	print_message("--- console tail ---\n%s\n", tail);
	vm__tail(vm, VM_CHAN_STDERR, 20, tail, sizeof(tail));
	print_message("--- qemu stderr ---\n%s\n", tail);
}

static bool pid_gone(pid_t pid)
{
	char path[64], stat[256];
	FILE *f;
	bool zombie = false;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	/* Reparented and not yet reaped by init counts as gone. */
	if (fgets(stat, sizeof(stat), f)) {
		char *p = strrchr(stat, ')');

		zombie = p && p[1] == ' ' && p[2] == 'Z';
	}
	fclose(f);
	return zombie;
}

static bool wait_gone(pid_t pid, int ms)
{
	for (int i = 0; i < ms / 50; i++) {
		if (pid_gone(pid))
			return true;
		usleep(50000);
	}
	return pid_gone(pid);
}

/* ---- tests ---- */

static void boot_hello_kernel(const char *image, struct topology t, const char *name,
			      const char *expect_topo)
{
	struct streams *s = calloc(1, sizeof(*s));
	char initrd[256], err[512] = "", tname[TOPOLOGY_NAME_MAX], console[256];
	char *tee = calloc(1, sizeof(s->buf[0]));
	struct vm_opts o;
	const char *up;
	FILE *f;
	struct vm_result res;
	struct vm *vm;
	pid_t pid;

	assert_non_null(s);
	make_initramfs(name, init_hello, initrd, sizeof(initrd));
	o = boot_opts(t, initrd, s);
	o.kernel = image;
	snprintf(console, sizeof(console), "%s/%s.console", workdir, name);
	o.console_path = console;
	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	pid = vm__pid(vm);
	assert_true(pid > 0);
	assert_int_equal(vm__write_control(vm, "PING 42\n", 8), 0);
	assert_int_equal(vm__wait(vm, &res), 0);
	topology__format(&t, tname);
	up = strstr(s->buf[VM_CHAN_RESULTS], "UPTIME ");
	print_message("[ %s: %s (%s) in %.2f s wall, guest %s", tname, vm_exit__str(res.exit),
		      res.reason, (double)res.wall_ms / 1000, up ? up : "UPTIME ?\n");
	if (res.exit != VM_EXIT_POWEROFF)
		print_tail(vm);
	assert_int_equal(res.exit, VM_EXIT_POWEROFF);
	assert_string_equal(res.reason, "guest-shutdown");
	assert_non_null(strstr(s->buf[VM_CHAN_RESULTS], "RESULTS-OK ctl=PING 42\n"));
	if (!strstr(s->buf[VM_CHAN_RESULTS], expect_topo))
		fail_msg("topology: want \"%s\" in \"%s\"", expect_topo, s->buf[VM_CHAN_RESULTS]);
	assert_string_equal(s->buf[VM_CHAN_SCHED], "SCHED-OK\n");
	assert_non_null(strstr(s->buf[VM_CHAN_COM2], "COM2-OK"));
	/* Nothing of COM2 or the ports on the console, and the reverse. */
	assert_null(strstr(s->buf[VM_CHAN_CONSOLE], "COM2-OK"));
	assert_null(strstr(s->buf[VM_CHAN_COM2], "RESULTS-OK"));
	/* qemu had nothing to complain about. */
	assert_string_equal(s->buf[VM_CHAN_STDERR], "");
	assert_null(vm__tmpdir(vm));
	assert_true(pid_gone(pid));
	/* The tee holds the whole console, as the callback saw it. */
	f = fopen(console, "r");
	assert_non_null(f);
	assert_int_equal(fread(tee, 1, sizeof(s->buf[0]) - 1, f), s->len[VM_CHAN_CONSOLE]);
	fclose(f);
	assert_true(s->len[VM_CHAN_CONSOLE] > 0);
	assert_memory_equal(tee, s->buf[VM_CHAN_CONSOLE], s->len[VM_CHAN_CONSOLE]);
	free(tee);
	vm__free(vm);
	free(s);
}

/* vm__kill() before vm__wait(): killed at once, nothing left. */
static void test_kill(void **state)
{
	struct streams *s = calloc(1, sizeof(*s));
	char initrd[256], err[512] = "", dir[128];
	struct vm_opts o;
	struct vm_result res;
	struct vm *vm;
	pid_t pid;

	(void)state;
	assert_non_null(s);
	make_initramfs("killme", init_sleep, initrd, sizeof(initrd));
	o = boot_opts((struct topology){ 1, 1, 1, 1 }, initrd, s);
	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	pid = vm__pid(vm);
	snprintf(dir, sizeof(dir), "%s", vm__tmpdir(vm));
	vm__kill(vm);
	assert_int_equal(vm__wait(vm, &res), 0);
	assert_int_equal(res.exit, VM_EXIT_KILLED);
	assert_true(res.wall_ms < 5000);
	assert_true(pid_gone(pid));
	assert_int_equal(access(dir, F_OK), -1);
	/* A second wait reports the same. */
	assert_int_equal(vm__wait(vm, &res), 0);
	assert_int_equal(res.exit, VM_EXIT_KILLED);
	vm__free(vm);
	free(s);
}

static void boot_hello(struct topology t, const char *name, const char *expect_topo)
{
	boot_hello_kernel(kernel, t, name, expect_topo);
}

static void test_boot_1n1l2c1t(void **state)
{
	(void)state;
	boot_hello((struct topology){ 1, 1, 2, 1 }, "hello2",
		   "TOPO cpus=2 nodes=1 node0=0-1 node1= llc0=0-1 llclast=0-1 smt0=0 END");
}

static void test_boot_2n2l1c2t(void **state)
{
	(void)state;
	boot_hello((struct topology){ 2, 2, 1, 2 }, "hello4",
		   "TOPO cpus=4 nodes=2 node0=0-1 node1=2-3 llc0=0-1 llclast=2-3 smt0=0-1 END");
}

/*
 * An uncompressed ELF vmlinux with a PVH note (CONFIG_PVH) boots too: qemu
 * enters it directly, with no decompression under TCG.
 */
static void test_boot_vmlinux(void **state)
{
	const char *vmlinux = getenv("KTSTR_TEST_VMLINUX");

	(void)state;
	if (!vmlinux || !*vmlinux)
		vmlinux = cached_vmlinux;
	if (!*vmlinux || access(vmlinux, R_OK))
		skip();
	boot_hello_kernel(vmlinux, (struct topology){ 1, 2, 1, 1 }, "vmlinux",
			  "TOPO cpus=2 nodes=1 node0=0-1 node1= llc0=0 llclast=1 smt0=0 END");
}

static uint64_t soft_at_ms;

static void on_soft(void *arg, struct vm *vm)
{
	struct timespec *t0 = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	soft_at_ms = (uint64_t)(now.tv_sec - t0->tv_sec) * 1000 +
		     (uint64_t)((now.tv_nsec - t0->tv_nsec) / 1000000);
	/* Writing to the control port from the callback is fine. */
	assert_int_equal(vm__write_control(vm, "STOP\n", 5), 0);
}

/* Volume: nothing lost or blocked when the guest streams megabytes. */
static void test_bulk(void **state)
{
	struct streams *s = calloc(1, sizeof(*s));
	char initrd[256], err[512] = "";
	struct vm_opts o;
	struct vm_result res;
	struct vm *vm;

	(void)state;
	assert_non_null(s);
	make_initramfs("bulk", init_bulk, initrd, sizeof(initrd));
	o = boot_opts((struct topology){ 1, 1, 2, 1 }, initrd, s);
	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	assert_int_equal(vm__wait(vm, &res), 0);
	print_message("[ bulk: %s after %.2f s ]\n", vm_exit__str(res.exit),
		      (double)res.wall_ms / 1000);
	if (res.exit != VM_EXIT_POWEROFF)
		print_tail(vm);
	assert_int_equal(res.exit, VM_EXIT_POWEROFF);
	assert_int_equal(s->total[VM_CHAN_RESULTS], (8u << 20) + 12);
	assert_int_equal(s->nonzero[VM_CHAN_RESULTS], 12);
	assert_int_equal(s->total[VM_CHAN_SCHED], (8u << 20) + 10);
	assert_int_equal(s->nonzero[VM_CHAN_SCHED], 10);
	vm__free(vm);
	free(s);
}

static void test_timeout(void **state)
{
	struct streams *s = calloc(1, sizeof(*s));
	char initrd[256], err[512] = "", dir[128], tail[4096], report[8192];
	struct timespec t0;
	struct vm_opts o;
	struct vm_result res;
	struct vm *vm;
	pid_t pid;

	(void)state;
	assert_non_null(s);
	make_initramfs("sleep", init_sleep, initrd, sizeof(initrd));
	o = boot_opts((struct topology){ 1, 1, 2, 1 }, initrd, s);
	o.timeout_ms = 10000;
	o.on_data = NULL;
	o.arg = &t0;
	o.on_soft_timeout = on_soft;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	pid = vm__pid(vm);
	snprintf(dir, sizeof(dir), "%s", vm__tmpdir(vm));
	assert_int_equal(vm__wait(vm, &res), 0);
	print_message("[ sleep: %s after %.2f s ]\n", vm_exit__str(res.exit),
		      (double)res.wall_ms / 1000);
	assert_int_equal(res.exit, VM_EXIT_TIMEOUT);
	assert_string_equal(vm_exit__str(res.exit), "timed out");
	vm__report(vm, &res, 20, report, sizeof(report));
	assert_true(!strncmp(report, "VM timed out after 10.0", 23));
	assert_non_null(strstr(report, "\n--- console (last 20 lines) ---\n"));
	assert_true(res.wall_ms >= 10000 && res.wall_ms < 15000);
	/* The soft deadline came 3 s before. */
	print_message("[ soft deadline at %.2f s ]\n", (double)soft_at_ms / 1000);
	assert_true(soft_at_ms >= 7000 && soft_at_ms < 9000);
	/* The guest got to userspace before it was killed. */
	vm__tail(vm, VM_CHAN_COM2, 5, tail, sizeof(tail));
	assert_string_equal(tail, "SLEEPING\n");
	assert_true(pid_gone(pid));
	assert_int_equal(access(dir, F_OK), -1);
	vm__free(vm);
	free(s);
}

static void test_panic(void **state)
{
	struct streams *s = calloc(1, sizeof(*s));
	char initrd[256], err[512] = "", tail[16384], report[16384];
	struct vm_opts o;
	struct vm_result res;
	struct vm *vm;

	(void)state;
	assert_non_null(s);
	make_initramfs("panic", init_panic, initrd, sizeof(initrd));
	o = boot_opts((struct topology){ 1, 1, 2, 1 }, initrd, s);
	o.timeout_ms = 60000;
	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	assert_int_equal(vm__wait(vm, &res), 0);
	print_message("[ panic: %s (%s) after %.2f s ]\n", vm_exit__str(res.exit), res.reason,
		      (double)res.wall_ms / 1000);
	if (res.exit != VM_EXIT_CRASH)
		print_tail(vm);
	assert_int_equal(res.exit, VM_EXIT_CRASH);
	/*
	 * The call trace and registers that follow the panic line can run
	 * past a short tail; the report starts one line before it anyway.
	 */
	vm__report(vm, &res, 10, report, sizeof(report));
	assert_true(!strncmp(report, "VM crashed after ", 17));
	assert_non_null(strstr(report, "(guest-reset)\n--- console (last "));
	assert_non_null(strstr(report, "sysrq: Trigger a crash\n"));
	assert_non_null(strstr(report, "Kernel panic - not syncing: sysrq triggered crash"));
	vm__tail(vm, VM_CHAN_CONSOLE, vm__console_lines(vm, 10), tail, sizeof(tail));
	assert_non_null(strstr(tail, "Kernel panic"));
	vm__free(vm);
	free(s);
}

/*
 * A ktstr stand-in in a child process starts a sleeping VM and reports qemu's
 * pid and the temp dir; then it gets @sig.
 */
static void killed_host(int sig)
{
	char initrd[256], msg[256] = "";
	int pfd[2], status;
	pid_t child, qpid = -1;
	char dir[128] = "";

	make_initramfs(sig == SIGTERM ? "term" : "kill", init_sleep, initrd, sizeof(initrd));
	/* An orphaned qemu comes to us, not to an init that may never reap it. */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	assert_int_equal(pipe(pfd), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct streams *s = calloc(1, sizeof(*s));
		struct vm_opts o = boot_opts((struct topology){ 1, 1, 2, 1 }, initrd, s);
		struct vm_result res;
		struct vm *vm;
		char err[512];

		close(pfd[0]);
		if (vm__signals_catch() || vm__start(&o, &vm, err, sizeof(err)))
			_exit(100);
		dprintf(pfd[1], "%d %s\n", (int)vm__pid(vm), vm__tmpdir(vm));
		close(pfd[1]);
		if (vm__wait(vm, &res))
			_exit(101);
		vm__free(vm);
		_exit(res.exit == VM_EXIT_INTERRUPTED && res.status == SIGTERM ? 0 : 102);
	}
	close(pfd[1]);
	assert_true(read(pfd[0], msg, sizeof(msg) - 1) > 0);
	close(pfd[0]);
	assert_int_equal(sscanf(msg, "%d %127s", &qpid, dir), 2);
	/* Let qemu connect and the guest boot a bit. */
	sleep(2);
	assert_false(pid_gone(qpid));
	assert_int_equal(kill(child, sig), 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	if (sig == SIGTERM) {
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	} else {
		assert_true(WIFSIGNALED(status));
	}
	/* PR_SET_PDEATHSIG takes qemu down with a SIGKILLed ktstr. */
	assert_true(wait_gone(qpid, 5000));
	if (sig == SIGKILL)
		assert_int_equal(waitpid(qpid, &status, 0), qpid);
	/* The directory went once qemu had connected. */
	assert_int_equal(access(dir, F_OK), -1);
}

static void test_sigterm(void **state)
{
	(void)state;
	killed_host(SIGTERM);
}

static void test_sigkill(void **state)
{
	(void)state;
	killed_host(SIGKILL);
}

static int workdir_setup(void **state)
{
	(void)state;
	snprintf(workdir, sizeof(workdir), "/tmp/ktstr-vmtest-XXXXXX");
	return mkdtemp(workdir) ? 0 : -1;
}

static int workdir_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", workdir);
	return system(cmd) == 0 ? 0 : -1;
}

static bool have(const char *prog)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_1n1l2c1t),
		cmocka_unit_test(test_boot_2n2l1c2t),
		cmocka_unit_test(test_boot_vmlinux),
		cmocka_unit_test(test_panic),
		cmocka_unit_test(test_bulk),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_sigterm),
		cmocka_unit_test(test_sigkill),
	};
	const char *qemu = getenv("KTSTR_QEMU");

	find_cached_kernel();
	kernel = getenv("KTSTR_TEST_KERNEL");
	if (!kernel || !*kernel)
		kernel = cached_kernel;
	if (!*kernel || access(kernel, R_OK)) {
		printf("SKIP: no kernel to boot: 'ktstr kernel build' caches one, or set "
		       "KTSTR_TEST_KERNEL to a sched_ext bzImage (tried \"%s\")\n", kernel);
		return 77;
	}
	if (!(qemu && *qemu) && !have("qemu-system-x86_64")) {
		printf("SKIP: qemu-system-x86_64 not found: install qemu-system-x86\n");
		return 77;
	}
	if (access(BUSYBOX, X_OK) || !have("cpio") || !have("gzip")) {
		printf("SKIP: the test initramfs needs " BUSYBOX
		       " (busybox-static), cpio and gzip\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, workdir_setup, workdir_teardown);
}
