// SPDX-License-Identifier: GPL-2.0
/*
 * The run queue sampler (lib/monitor/sampler.h) against a guest memory image
 * built here: fake struct rq's placed at a layout's offsets (a made-up one,
 * and the cached vmlinux's own when there is one), per-CPU areas in low and
 * high memory, rq->curr in the direct map and in the kernel image. The
 * values come back; corrupt pointers, torn counts, a kernel not up yet and
 * addresses out of range come back flagged, never as values, never a crash.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/kernel_find.h"
#include "monitor/sampler.h"

#define LOW_SIZE	(8u << 20)	/* guest [0, 8 MiB) */
#define HIGH_SIZE	(1u << 20)	/* guest [4 GiB, 4 GiB + 1 MiB) */
#define PO		0xff11000000000000ull	/* page_offset_base the guest uses */
#define IMG(pa)		(KADDR_START_KERNEL_MAP + (pa))
#define PCO_PA		0x100000u	/* __per_cpu_offset[] */
#define NRIDS_PA	0x100800u
#define POB_PA		0x101000u
#define INIT_TASK_PA	0x180000u
#define AREA_PA(c)	(0x200000u + (c) * 0x100000u)	/* per-CPU areas; cpu 3 high */
#define TASK_PA(c)	(0x700000u + (c) * 0x4000u)
#define NCPU		4

struct img {
	uint8_t *ram;		/* LOW_SIZE + HIGH_SIZE bytes, ram offsets */
	struct gmem m;
	struct klayout kl;
	struct kaddr k;
	struct mon_sample s;
};

/* A made-up layout: not the kernel's, so nothing can depend on real offsets. */
static void fake_layout(struct klayout *kl)
{
	memset(kl, 0, sizeof(*kl));
	kl->rq_size = 1024;
	kl->rq_nr_running = (struct klayout_field){ 4, 4, true };
	kl->rq_clock = (struct klayout_field){ 200, 8, true };
	kl->rq_curr = (struct klayout_field){ 64, 8, true };
	kl->rq_scx_nr_running = (struct klayout_field){ 512, 4, true };
	kl->rq_scx_local_dsq_nr = (struct klayout_field){ 600, 4, true };
	kl->task_pid = (struct klayout_field){ 1400, 4, true };
	kl->has_scx = true;
}

static uint8_t *at(struct img *g, uint64_t pa)
{
	if (pa >= GMEM_4G)
		pa = pa - GMEM_4G + LOW_SIZE;
	assert_true(pa < LOW_SIZE + HIGH_SIZE);
	return g->ram + pa;
}

static void put(struct img *g, uint64_t pa, uint64_t v, uint32_t size)
{
	memcpy(at(g, pa), &v, size);	/* little-endian host and guest */
}

static uint64_t area_pa(unsigned int c)
{
	return c == 3 ? GMEM_4G + 0x10000 : AREA_PA(c);
}

/* Write a guest with NCPU CPUs: cpu c runs pid 100 + c (cpu 0 its idle task, pid 0). */
static void build(struct img *g, const struct klayout *layout)
{
	const struct klayout *kl = &g->kl;

	g->kl = *layout;
	g->kl.runqueues = 0x2d680;
	g->kl.per_cpu_offset = IMG(PCO_PA);
	g->kl.nr_cpu_ids = IMG(NRIDS_PA);
	g->kl.page_offset_base = IMG(POB_PA);
	g->kl.nr_cpus_max = 64;
	memset(g->ram, 0, LOW_SIZE + HIGH_SIZE);
	gmem__init(&g->m);
	assert_int_equal(gmem__add_ram(&g->m, 0, g->ram, LOW_SIZE + HIGH_SIZE, LOW_SIZE), 0);
	kaddr__init(&g->k);
	put(g, POB_PA, PO, 8);
	put(g, NRIDS_PA, NCPU, 4);
	for (unsigned int c = 0; c < NCPU; c++) {
		uint64_t rq = area_pa(c) + kl->runqueues;
		uint64_t task = c ? TASK_PA(c) : INIT_TASK_PA;

		put(g, PCO_PA + 8 * c, PO + area_pa(c), 8);
		put(g, rq + kl->rq_nr_running.off, c + 1, kl->rq_nr_running.size);
		put(g, rq + kl->rq_clock.off, 1000000ull * (c + 1), 8);
		if (kl->has_scx) {
			put(g, rq + kl->rq_scx_nr_running.off, c, 4);
			put(g, rq + kl->rq_scx_local_dsq_nr.off, 2 * c, 4);
		}
		put(g, rq + kl->rq_curr.off, c ? PO + task : IMG(task), 8);
		put(g, task + kl->task_pid.off, c ? 100 + c : 0, 4);
	}
}

static int setup(void **state)
{
	struct img *g = calloc(1, sizeof(*g));

	if (!g)
		return -1;
	g->ram = malloc(LOW_SIZE + HIGH_SIZE);
	if (!g->ram) {
		free(g);
		return -1;
	}
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct img *g = *state;

	free(g->ram);
	free(g);
	return 0;
}

static void check_healthy(struct img *g, uint32_t vcpus)
{
	assert_int_equal(sampler__sample(&g->kl, &g->m, &g->k, vcpus, &g->s), 0);
	assert_int_equal(g->s.flags, 0);
	assert_int_equal(g->s.nr_cpu_ids, NCPU);
	assert_int_equal(g->s.nr_cpus, vcpus < NCPU ? vcpus : NCPU);
	assert_true(g->k.page_offset == PO);	/* read from the guest */
	for (unsigned int c = 0; c < g->s.nr_cpus; c++) {
		const struct mon_cpu *x = &g->s.cpu[c];

		assert_int_equal(x->flags, g->kl.has_scx ? 0 : MON_CPU_NO_SCX);
		assert_int_equal(x->nr_running, c + 1);
		assert_int_equal(x->scx_nr_running, g->kl.has_scx ? c : 0);
		assert_int_equal(x->local_dsq_nr, g->kl.has_scx ? 2 * c : 0);
		assert_true(x->clock == 1000000ull * (c + 1));
		assert_int_equal(x->curr_pid, c ? (int)(100 + c) : 0);
	}
	assert_string_equal(sampler__cpu_flag_str(g->s.cpu[0].flags),
			    g->kl.has_scx ? "ok" : "no sched_ext");
}

/* Every way the guest can hand us garbage, one CPU at a time. */
static void check_corrupt(struct img *g)
{
	const struct klayout *kl = &g->kl;
	uint64_t rq1 = area_pa(1) + kl->runqueues, rq2 = area_pa(2) + kl->runqueues;

	/* cpu 1: rq->curr points nowhere; its counts still come back. */
	put(g, rq1 + kl->rq_curr.off, 0xdeadbeefull, 8);
	/* cpu 2: more scx tasks than tasks (a read mid-enqueue). */
	put(g, rq2 + kl->rq_scx_nr_running.off, 50, 4);
	/* cpu 3: its per-CPU offset points past the end of memory. */
	put(g, PCO_PA + 24, PO + GMEM_4G + HIGH_SIZE - 2, 8);
	assert_int_equal(sampler__sample(kl, &g->m, &g->k, NCPU, &g->s), 0);
	assert_int_equal(g->s.cpu[0].flags, 0);
	assert_int_equal(g->s.cpu[1].flags, MON_CPU_NO_CURR);
	assert_int_equal(g->s.cpu[1].curr_pid, -1);
	assert_int_equal(g->s.cpu[1].nr_running, 2);
	assert_string_equal(sampler__cpu_flag_str(g->s.cpu[1].flags), "current task unreadable");
	assert_int_equal(g->s.cpu[2].flags, MON_CPU_TORN);
	assert_string_equal(sampler__cpu_flag_str(g->s.cpu[2].flags), "torn");
	assert_int_equal(g->s.cpu[3].flags, MON_CPU_NO_RQ);
	assert_string_equal(sampler__cpu_flag_str(g->s.cpu[3].flags), "rq unreadable");
	assert_int_equal(g->s.cpu[3].curr_pid, -1);
	assert_int_equal(g->s.cpu[3].nr_running, 0);

	/* A rq whose clock straddles the end of memory; a per-CPU offset in user space. */
	put(g, PCO_PA + 24, PO + GMEM_4G + HIGH_SIZE - kl->runqueues - kl->rq_clock.off - 4, 8);
	put(g, PCO_PA + 16, 0x400000, 8);
	/* cpu 1: a task pointer into the hole below 4 GiB, cpu 0: a negative pid. */
	put(g, rq1 + kl->rq_curr.off, PO + LOW_SIZE + 64, 8);
	put(g, INIT_TASK_PA + kl->task_pid.off, 0xffffffffu, 4);
	assert_int_equal(sampler__sample(kl, &g->m, &g->k, NCPU, &g->s), 0);
	assert_int_equal(g->s.cpu[3].flags, MON_CPU_NO_RQ);
	assert_int_equal(g->s.cpu[2].flags, MON_CPU_NO_RQ);
	assert_int_equal(g->s.cpu[1].flags, MON_CPU_NO_CURR);
	assert_int_equal(g->s.cpu[0].flags, MON_CPU_NO_CURR);
	assert_int_equal(g->s.cpu[0].curr_pid, -1);
	/* A count beyond any number of tasks. */
	put(g, area_pa(0) + kl->runqueues + kl->rq_nr_running.off, 0x7fffffff, 4);
	assert_int_equal(sampler__sample(kl, &g->m, &g->k, NCPU, &g->s), 0);
	assert_true(g->s.cpu[0].flags & MON_CPU_TORN);
}

static void check_not_up(struct img *g)
{
	struct gmem empty;

	/* Before the kernel sets nr_cpu_ids (zero memory), or NR_CPUS exceeded. */
	put(g, NRIDS_PA, 0, 4);
	assert_int_equal(sampler__sample(&g->kl, &g->m, &g->k, NCPU, &g->s), 0);
	assert_int_equal(g->s.flags, MON_SAMPLE_NO_KERNEL);
	assert_int_equal(g->s.nr_cpus, 0);
	put(g, NRIDS_PA, 65, 4);
	assert_int_equal(sampler__sample(&g->kl, &g->m, &g->k, NCPU, &g->s), 0);
	assert_int_equal(g->s.flags, MON_SAMPLE_NO_KERNEL);
	/* No memory at all. */
	gmem__init(&empty);
	assert_int_equal(sampler__sample(&g->kl, &empty, &g->k, NCPU, &g->s), 0);
	assert_int_equal(g->s.flags, MON_SAMPLE_NO_KERNEL);
	/* More vCPUs than the sampler holds: clamped and said. */
	put(g, NRIDS_PA, 64, 4);
	g->kl.nr_cpus_max = 4096;
	put(g, NRIDS_PA, MON_MAX_CPUS + 5, 4);
	assert_int_equal(sampler__sample(&g->kl, &g->m, &g->k, 4096, &g->s), 0);
	assert_int_equal(g->s.flags, MON_SAMPLE_CLAMPED);
	assert_int_equal(g->s.nr_cpus, MON_MAX_CPUS);
	assert_int_equal(g->s.cpu[NCPU + 1].flags, MON_CPU_NO_RQ); /* zero offset: image address 0x2d680 */
	/* A layout without its symbols is refused. */
	g->kl.runqueues = 0;
	assert_int_equal(sampler__sample(&g->kl, &g->m, &g->k, NCPU, &g->s), -EINVAL);
}

static void test_sampler_fake(void **state)
{
	struct img *g = *state;
	struct klayout kl;

	fake_layout(&kl);
	build(g, &kl);
	check_healthy(g, NCPU);
	check_healthy(g, 2);		/* fewer vCPUs than nr_cpu_ids says */
	check_corrupt(g);
	build(g, &kl);
	check_not_up(g);
}

static void test_sampler_no_scx(void **state)
{
	struct img *g = *state;
	struct klayout kl;

	fake_layout(&kl);
	kl.has_scx = false;
	kl.rq_scx_nr_running.present = kl.rq_scx_local_dsq_nr.present = false;
	build(g, &kl);
	check_healthy(g, NCPU);
}

/* The same with the cached kernel's own struct rq and task_struct offsets. */
static void test_sampler_vmlinux(void **state)
{
	struct img *g = *state;
	struct kfind_opts o = { 0 };
	struct kfind_result *r = calloc(1, sizeof(*r));
	const char *env = getenv("KTSTR_TEST_VMLINUX");
	char err[1024], path[PATH_MAX] = "";
	struct klayout *kl = calloc(1, sizeof(*kl));

	assert_non_null(r);
	assert_non_null(kl);
	if (env && *env)
		snprintf(path, sizeof(path), "%s", env);
	else if (!kernel_find(&o, r, err, sizeof(err)) && r->vmlinux[0])
		snprintf(path, sizeof(path), "%s", r->vmlinux);
	free(r);
	if (!path[0]) {
		fprintf(stderr, "skip: no cached kernel with a vmlinux (ktstr kernel build, "
			"or KTSTR_TEST_VMLINUX)\n");
		free(kl);
		skip();
	}
	assert_int_equal(klayout__load(kl, path, err, sizeof(err)), 0);
	/* Our areas are 1 MiB apart, our tasks 16 KiB: the real structs must fit. */
	assert_true(kl->runqueues + kl->rq_size < 0x100000);
	assert_true(kl->task_pid.off + 4 < 0x4000);
	build(g, kl);
	check_healthy(g, NCPU);
	check_corrupt(g);
	free(kl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sampler_fake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sampler_no_scx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sampler_vmlinux, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
