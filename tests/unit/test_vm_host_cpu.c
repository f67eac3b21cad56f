// SPDX-License-Identifier: GPL-2.0
/*
 * vm__host_cpu() (lib/vm/vm_host_cpu.c): /proc/<tid>/schedstat parsed
 * (good lines, garbage, missing fields, overflow, empty), summed over this
 * process's own spinning threads, threads that are gone skipped or -ENOENT,
 * /proc/<pid>/task/ listed, the backend op wired (a stand-in backend, and
 * the qemu backend running a fake qemu that only sleeps). Per vCPU
 * (vm__vcpu_host_ns()): qemu's thread names parsed and found in this
 * process's own named threads, each vCPU's own time in vCPU order, one
 * thread for all said so, threads not there yet or gone -ENOENT, never
 * another thread's time. The VMM's vCPU threads are checked in
 * test_vm_vmm.c (suite kvm).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "vm/vm.h"
#include "vm/vm_backend.h"
#include "vm/vm_host_cpu.h"

#define MS	1000000ull

static void test_parse_good(void **state)
{
	uint64_t run = 1, wait = 1;

	(void)state;
	assert_int_equal(vm_host_cpu__parse("3219011 603271 1\n", &run, &wait), 0);
	assert_int_equal(run, 3219011);
	assert_int_equal(wait, 603271);
	/* No newline; zeros (schedstats off at run time prints "0 0 0"). */
	assert_int_equal(vm_host_cpu__parse("0 0 0", &run, &wait), 0);
	assert_int_equal(run, 0);
	assert_int_equal(wait, 0);
	/* Blanks of any width; fields after the third checked and ignored. */
	assert_int_equal(vm_host_cpu__parse("5\t6  7 8 9\n", &run, &wait), 0);
	assert_int_equal(run, 5);
	assert_int_equal(wait, 6);
	/* The largest values. */
	assert_int_equal(vm_host_cpu__parse("18446744073709551615 18446744073709551615 "
					    "18446744073709551615\n", &run, &wait), 0);
	assert_true(run == UINT64_MAX && wait == UINT64_MAX);
	assert_int_equal(vm_host_cpu__parse("00000000000000000000000000042 1 2", &run, &wait), 0);
	assert_int_equal(run, 42);
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", "\n", " 1 2 3\n", "1 2 3 \n", "1 2 3\n\n", "1 2 3\nx", "1 2 3x",
		"-1 2 3", "+1 2 3", "1 -2 3", "1,2,3", "0x10 2 3", "1.5 2 3", "a b c",
		"1 2 3 z", "1\n2 3", "1 2\t\n",
		/* missing fields */
		"1", "1\n", "1 2", "1 2\n",
	};
	uint64_t run = 7, wait = 8;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (vm_host_cpu__parse(bad[i], &run, &wait) != -EINVAL)
			fail_msg("\"%s\" not rejected", bad[i]);
	}
	assert_int_equal(vm_host_cpu__parse(NULL, &run, &wait), -EINVAL);
	/* Nothing written on failure. */
	assert_int_equal(run, 7);
	assert_int_equal(wait, 8);
}

static void test_parse_huge(void **state)
{
	char big[512];
	uint64_t run = 7, wait = 8;

	(void)state;
	/* UINT64_MAX + 1 in each field, and far past it. */
	assert_int_equal(vm_host_cpu__parse("18446744073709551616 1 1", &run, &wait), -ERANGE);
	assert_int_equal(vm_host_cpu__parse("1 18446744073709551616 1", &run, &wait), -ERANGE);
	assert_int_equal(vm_host_cpu__parse("1 1 18446744073709551616", &run, &wait), -ERANGE);
	assert_int_equal(vm_host_cpu__parse("1 1 99999999999999999999", &run, &wait), -ERANGE);
	memset(big, '9', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(vm_host_cpu__parse(big, &run, &wait), -ERANGE);
	assert_int_equal(run, 7);
	assert_int_equal(wait, 8);
}

/* ---- this process's threads ---- */

struct spinner {
	pthread_t t;
	_Atomic pid_t tid;
	pthread_barrier_t *go, *done, *quit;
	uint64_t spun_ns;
};

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Publish the tid, wait for go, burn 50 ms of CPU, wait until told to quit. */
static void *spin(void *arg)
{
	struct spinner *s = arg;
	uint64_t cpu0, wall0;

	atomic_store(&s->tid, (pid_t)syscall(SYS_gettid));
	pthread_barrier_wait(s->go);
	cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	wall0 = clock_ns(CLOCK_MONOTONIC);
	/* 50 ms on a CPU; 10 s of wall time at most on a starved host. */
	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0 < 50 * MS &&
	       clock_ns(CLOCK_MONOTONIC) - wall0 < 10000 * MS)
		;
	s->spun_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	pthread_barrier_wait(s->done);
	pthread_barrier_wait(s->quit);
	return NULL;
}

static void test_sum_own_threads(void **state)
{
	pthread_barrier_t go, done, quit;
	struct spinner s[2];
	pid_t tids[3], listed[VM_HOST_CPU_THREADS_MAX];
	struct vm_host_cpu a, b;
	size_t n;
	unsigned int found = 0;

	(void)state;
	assert_int_equal(pthread_barrier_init(&go, NULL, 3), 0);
	assert_int_equal(pthread_barrier_init(&done, NULL, 3), 0);
	assert_int_equal(pthread_barrier_init(&quit, NULL, 3), 0);
	for (int i = 0; i < 2; i++) {
		s[i] = (struct spinner){ .go = &go, .done = &done, .quit = &quit };
		assert_int_equal(pthread_create(&s[i].t, NULL, spin, &s[i]), 0);
	}
	/* Both tids are published before either passes go. */
	while (!atomic_load(&s[0].tid) || !atomic_load(&s[1].tid))
		sched_yield();
	tids[0] = atomic_load(&s[0].tid);
	tids[1] = atomic_load(&s[1].tid);
	tids[2] = 0;	/* skipped */

	assert_int_equal(vm_host_cpu__sum(tids, 3, &a), 0);
	assert_int_equal(a.threads, 2);
	pthread_barrier_wait(&go);
	pthread_barrier_wait(&done);
	/* Both are blocked now, their time accounted. */
	assert_int_equal(vm_host_cpu__sum(tids, 3, &b), 0);
	assert_int_equal(b.threads, 2);
	printf("# 2 threads: run %llu -> %llu ns, wait %llu -> %llu ns, spun %llu + %llu ns\n",
	       (unsigned long long)a.run_ns, (unsigned long long)b.run_ns,
	       (unsigned long long)a.wait_ns, (unsigned long long)b.wait_ns,
	       (unsigned long long)s[0].spun_ns, (unsigned long long)s[1].spun_ns);
	/*
	 * A thread still on its way into the barrier's sleep may not have its
	 * last tick's worth accounted yet: up to a tick each (10 ms at HZ=100).
	 */
	assert_true(b.run_ns + 25 * MS >= a.run_ns + s[0].spun_ns + s[1].spun_ns);
	assert_true(s[0].spun_ns >= 50 * MS && s[1].spun_ns >= 50 * MS);
	assert_true(b.wait_ns >= a.wait_ns);

	/* /proc/self/task lists them with this thread; a cap is kept. */
	n = vm_host_cpu__tasks(getpid(), listed, VM_HOST_CPU_THREADS_MAX);
	assert_true(n >= 3);
	for (size_t i = 0; i < n; i++)
		found += listed[i] == tids[0] || listed[i] == tids[1] ||
			 listed[i] == (pid_t)syscall(SYS_gettid);
	assert_int_equal(found, 3);
	assert_int_equal(vm_host_cpu__tasks(getpid(), listed, 1), 1);
	assert_int_equal(vm_host_cpu__tasks(getpid(), listed, 0), 0);
	assert_int_equal(vm_host_cpu__tasks(0, listed, 4), 0);
	assert_int_equal(vm_host_cpu__tasks(-1, listed, 4), 0);

	pthread_barrier_wait(&quit);
	for (int i = 0; i < 2; i++)
		pthread_join(s[i].t, NULL);
	pthread_barrier_destroy(&go);
	pthread_barrier_destroy(&done);
	pthread_barrier_destroy(&quit);
	/*
	 * Joined: gone (their tids are not reused this soon). pthread_join()
	 * returns when the thread clears its tid, a moment before the kernel
	 * releases it (seen under ASan): wait up to 5 s for /proc to catch up.
	 */
	int ret = 0;

	for (int i = 0; i < 500 && (ret = vm_host_cpu__sum(tids, 2, &b)) != -ENOENT; i++)
		usleep(10000);
	assert_int_equal(ret, -ENOENT);
	assert_int_equal(b.threads, 0);
}

/* A tid no thread can have: pid_max itself (tids are below it). */
static pid_t no_such_tid(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	long max = 4194304;

	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = 4194304;
		fclose(f);
	}
	return (pid_t)max;
}

static void test_sum_gone(void **state)
{
	pid_t tids[2] = { no_such_tid(), (pid_t)syscall(SYS_gettid) };
	struct vm_host_cpu c = { 1, 1, 1 };

	(void)state;
	assert_int_equal(vm_host_cpu__sum(tids, 1, &c), -ENOENT);
	assert_int_equal(c.threads, 0);
	assert_int_equal(c.run_ns, 0);
	assert_int_equal(vm_host_cpu__sum(tids, 0, &c), -ENOENT);
	/* One gone, one here: the one here is summed. */
	assert_int_equal(vm_host_cpu__sum(tids, 2, &c), 0);
	assert_int_equal(c.threads, 1);
	assert_true(c.run_ns > 0);
	assert_int_equal(vm_host_cpu__tasks(no_such_tid(), tids, 2), 0);
}

/* ---- the backend op ---- */

static pid_t fake_tids[4];
static size_t fake_n;

static size_t fake_threads(const struct vm *vm, pid_t *tids, size_t cap)
{
	(void)vm;
	assert_int_equal(cap, VM_HOST_CPU_THREADS_MAX);
	memcpy(tids, fake_tids, fake_n * sizeof(*tids));
	return fake_n;
}

static void test_vm_op(void **state)
{
	static const struct vm_ops with = { .threads = fake_threads };
	static const struct vm_ops without = { .threads = NULL };
	struct vm vm;
	struct vm_host_cpu c;

	(void)state;
	memset(&vm, 0, sizeof(vm));
	assert_int_equal(vm__host_cpu(&vm, &c), -ENOENT);	/* no backend */
	vm.ops = &without;
	assert_int_equal(vm__host_cpu(&vm, &c), -ENOENT);
	vm.ops = &with;
	fake_n = 0;
	assert_int_equal(vm__host_cpu(&vm, &c), -ENOENT);	/* no threads yet */
	fake_tids[0] = (pid_t)syscall(SYS_gettid);
	fake_tids[1] = no_such_tid();
	fake_n = 2;
	assert_int_equal(vm__host_cpu(&vm, &c), 0);
	assert_int_equal(c.threads, 1);
	assert_true(c.run_ns > 0);
}

/* The qemu backend lists its child's threads: a fake qemu that only sleeps. */
static void test_qemu_threads(void **state)
{
	char dir[] = "/tmp/ktstr-test-hostcpu-XXXXXX", qemu[64], kernel[64];
	struct vm_opts o = {
		.backend = VM_BACKEND_QEMU,
		.accel = VM_ACCEL_TCG,
		.topo = { 1, 1, 1, 1 },
		.memory_mb = 64,
		.timeout_ms = 20000,
	};
	struct vm_host_cpu c;
	struct vm_result res;
	uint64_t ns[1];
	char err[256] = "";
	struct vm *vm;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(qemu, sizeof(qemu), "%s/qemu", dir);
	snprintf(kernel, sizeof(kernel), "%s/kernel", dir);
	fd = open(qemu, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "#!/bin/sh\nexec sleep 30\n", 24), 24);
	close(fd);
	fd = open(kernel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	close(fd);
	o.qemu = qemu;
	o.kernel = kernel;

	if (vm__start(&o, &vm, err, sizeof(err)))
		fail_msg("vm__start: %s", err);
	assert_true(vm__pid(vm) > 0);
	assert_int_equal(vm__host_cpu(vm, &c), 0);
	assert_true(c.threads >= 1);
	/* A "qemu" without a thread named "CPU 0/TCG": its vCPU time is not known. */
	assert_int_equal(vm__vcpu_host_ns(vm, ns, 1), -ENOENT);
	vm__kill(vm);
	assert_int_equal(vm__wait(vm, &res), 0);
	assert_int_equal(res.exit, VM_EXIT_KILLED);
	/* Reaped: its pid is not ours to read any more. */
	assert_int_equal(vm__host_cpu(vm, &c), -ENOENT);
	assert_int_equal(c.threads, 0);
	vm__free(vm);
	unlink(qemu);
	unlink(kernel);
	rmdir(dir);
}


/* ---- per vCPU: qemu's thread names, vm__vcpu_host_ns() ---- */

static void test_vcpu_comm(void **state)
{
	uint32_t idx = 99;

	(void)state;
	assert_int_equal(vm_host_cpu__vcpu_comm("CPU 0/TCG\n", &idx), VM_VCPU_COMM_ONE);
	assert_int_equal(idx, 0);
	assert_int_equal(vm_host_cpu__vcpu_comm("CPU 251/KVM", &idx), VM_VCPU_COMM_ONE);
	assert_int_equal(idx, 251);
	assert_int_equal(vm_host_cpu__vcpu_comm("ALL CPUs/TCG\n", &idx), VM_VCPU_COMM_ALL);
	idx = 7;
	assert_int_equal(vm_host_cpu__vcpu_comm("qemu-system-x86", &idx), 0);
	assert_int_equal(vm_host_cpu__vcpu_comm("CPU /TCG", &idx), 0);
	assert_int_equal(vm_host_cpu__vcpu_comm("CPU 1/TC", &idx), 0);
	assert_int_equal(vm_host_cpu__vcpu_comm("CPU 1x/TCG", &idx), 0);
	assert_int_equal(vm_host_cpu__vcpu_comm("CPU -1/TCG", &idx), 0);
	assert_int_equal(vm_host_cpu__vcpu_comm("CPU 99999999999/KVM", &idx), 0);
	assert_int_equal(vm_host_cpu__vcpu_comm("", &idx), 0);
	assert_int_equal(idx, 7);
}

/* A thread named like qemu's vCPU @name: publishes its tid, burns @spin_ms of CPU, waits. */
struct vthread {
	pthread_t t;
	const char *name;
	unsigned int spin_ms;
	_Atomic pid_t tid;
	_Atomic bool spun;
	pthread_barrier_t *quit;
};

static void *vthread_main(void *arg)
{
	struct vthread *v = arg;
	uint64_t cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID), wall0 = clock_ns(CLOCK_MONOTONIC);

	pthread_setname_np(pthread_self(), v->name);
	atomic_store(&v->tid, (pid_t)syscall(SYS_gettid));
	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0 < v->spin_ms * MS &&
	       clock_ns(CLOCK_MONOTONIC) - wall0 < 10000 * MS)
		;
	atomic_store(&v->spun, true);
	pthread_barrier_wait(v->quit);
	return NULL;
}

static void vthreads_start(struct vthread *v, unsigned int n, pthread_barrier_t *quit)
{
	assert_int_equal(pthread_barrier_init(quit, NULL, n + 1), 0);
	for (unsigned int i = 0; i < n; i++) {
		v[i].quit = quit;
		assert_int_equal(pthread_create(&v[i].t, NULL, vthread_main, &v[i]), 0);
	}
	for (unsigned int i = 0; i < n; i++)
		while (!atomic_load(&v[i].spun))
			usleep(1000);
}

static void vthreads_stop(struct vthread *v, unsigned int n, pthread_barrier_t *quit)
{
	pthread_barrier_wait(quit);
	for (unsigned int i = 0; i < n; i++)
		pthread_join(v[i].t, NULL);
	pthread_barrier_destroy(quit);
}

/* This process stands in for qemu: its threads named "CPU 1/TCG", "CPU 0/KVM", then "ALL CPUs/TCG". */
static void test_qemu_vcpus_by_name(void **state)
{
	struct vthread v[2] = { { .name = "CPU 1/TCG" }, { .name = "CPU 0/KVM" } };
	struct vthread all[1] = { { .name = "ALL CPUs/TCG" } };
	pthread_barrier_t quit, quit_all;
	pid_t tids[3];

	(void)state;
	vthreads_start(v, 2, &quit);
	assert_int_equal(vm_host_cpu__qemu_vcpus(getpid(), tids, 3), 2);
	assert_int_equal(tids[0], atomic_load(&v[1].tid));
	assert_int_equal(tids[1], atomic_load(&v[0].tid));
	assert_int_equal(tids[2], 0);
	/* Only the first @n vCPUs are looked for. */
	assert_int_equal(vm_host_cpu__qemu_vcpus(getpid(), tids, 1), 1);
	assert_int_equal(tids[0], atomic_load(&v[1].tid));
	assert_int_equal(vm_host_cpu__qemu_vcpus(no_such_tid(), tids, 3), 0);
	assert_int_equal(tids[0], 0);

	vthreads_start(all, 1, &quit_all);
	assert_int_equal(vm_host_cpu__qemu_vcpus(getpid(), tids, 3), 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(tids[i], atomic_load(&all[0].tid));
	vthreads_stop(all, 1, &quit_all);
	vthreads_stop(v, 2, &quit);
}

static pid_t vcpu_fake[4];

static size_t fake_vcpu_threads(const struct vm *vm, pid_t *tids, uint32_t n)
{
	size_t found = 0;

	(void)vm;
	for (uint32_t i = 0; i < n; i++) {
		tids[i] = i < 4 ? vcpu_fake[i] : 0;
		found += tids[i] > 0;
	}
	return found;
}

static void test_vcpu_host_ns(void **state)
{
	static const struct vm_ops with = { .vcpu_threads = fake_vcpu_threads };
	static const struct vm_ops without = { .threads = fake_threads };
	struct vthread v[2] = { { .name = "v0", .spin_ms = 20 }, { .name = "v1", .spin_ms = 80 } };
	pthread_barrier_t quit;
	struct vm *vm = calloc(1, sizeof(*vm));
	uint64_t ns[3] = { 0 }, again[2];
	int ret = 0;

	(void)state;
	assert_non_null(vm);
	vm__vcpu_init(vm);
	vm->opts.topo = (struct topology){ 1, 1, 2, 1 };
	assert_int_equal(vm__vcpu_host_ns(vm, ns, 2), -ENOENT);	/* no backend */
	vm->ops = &without;
	assert_int_equal(vm__vcpu_host_ns(vm, ns, 2), -EOPNOTSUPP);
	vm->ops = &with;
	assert_int_equal(vm__vcpu_host_ns(vm, ns, 0), -EINVAL);
	assert_int_equal(vm__vcpu_host_ns(vm, ns, 3), -EINVAL);	/* 2 vCPUs */

	vthreads_start(v, 2, &quit);
	/* vCPU 1 not there yet. */
	vcpu_fake[0] = atomic_load(&v[0].tid);
	vcpu_fake[1] = 0;
	assert_int_equal(vm__vcpu_host_ns(vm, ns, 2), -ENOENT);
	/* One thread for both: its time in both, and said so. */
	vcpu_fake[1] = vcpu_fake[0];
	assert_int_equal(vm__vcpu_host_ns(vm, ns, 2), VM_VCPU_HOST_SHARED);
	assert_true(ns[0] == ns[1] && ns[0] >= 15 * MS);
	vm__vcpu_fini(vm);
	vm__vcpu_init(vm);

	/* Each its own: 20 and 80 ms spun (a tick's slack), in vCPU order. */
	vcpu_fake[1] = atomic_load(&v[1].tid);
	assert_int_equal(vm__vcpu_host_ns(vm, ns, 2), 0);
	printf("# vCPU threads: %llu and %llu ns\n", (unsigned long long)ns[0],
	       (unsigned long long)ns[1]);
	assert_true(ns[0] >= 15 * MS && ns[1] >= 75 * MS && ns[1] > ns[0]);
	/* The first of them only; and once open, what the backend says later is not asked. */
	vcpu_fake[0] = vcpu_fake[1] = (pid_t)syscall(SYS_gettid);
	assert_int_equal(vm__vcpu_host_ns(vm, again, 1), 0);
	assert_true(again[0] >= ns[0] && again[0] < ns[1]);

	/* Gone: -ENOENT from the open files, never another thread's time. */
	vthreads_stop(v, 2, &quit);
	for (int i = 0; i < 500 && (ret = vm__vcpu_host_ns(vm, again, 2)) != -ENOENT; i++)
		usleep(10000);
	assert_int_equal(ret, -ENOENT);
	vm__vcpu_fini(vm);
	free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_huge),
		cmocka_unit_test(test_sum_own_threads),
		cmocka_unit_test(test_sum_gone),
		cmocka_unit_test(test_vm_op),
		cmocka_unit_test(test_qemu_threads),
		cmocka_unit_test(test_vcpu_comm),
		cmocka_unit_test(test_qemu_vcpus_by_name),
		cmocka_unit_test(test_vcpu_host_ns),
	};

	if (access("/proc/self/schedstat", R_OK)) {
		printf("SKIP: no /proc/self/schedstat (CONFIG_SCHED_INFO off)\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
