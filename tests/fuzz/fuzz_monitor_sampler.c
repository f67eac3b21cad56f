// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the run queue sampler (lib/monitor/sampler.h) with random guest
 * memory under a fixed kernel layout. Byte 0: bit 0 the kernel has
 * sched_ext, bit 1 the memory is split (its first half at guest address 0,
 * the rest from 4 GiB, as qemu and the VMM place RAM above the PCI hole),
 * bits 2-4 the vCPUs (1-8). The rest is guest memory, used in place: any
 * read past it is a sanitizer report. Layout (guest-physical):
 *   0x00 page_offset_base  0x08 nr_cpu_ids  0x10 __per_cpu_offset[8]
 *   runqueues = 0x100 (per-CPU); struct rq: nr_running 0x4, clock 0x10,
 *   curr 0x20, scx.nr_running 0x40, scx.local_dsq.nr 0x48 (rq 0x80 bytes);
 *   task_struct.pid at 0x8.
 * Whatever the bytes, the sample must come back with its bounds kept, and
 * flagged values zeroed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/sampler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CPU_FLAGS (MON_CPU_NO_RQ | MON_CPU_TORN | MON_CPU_NO_CURR | MON_CPU_NO_SCX)

static struct mon_sample s;

static void layout(struct klayout *kl, int scx)
{
	memset(kl, 0, sizeof(*kl));
	kl->page_offset_base = KADDR_START_KERNEL_MAP + 0x00;
	kl->nr_cpu_ids = KADDR_START_KERNEL_MAP + 0x08;
	kl->per_cpu_offset = KADDR_START_KERNEL_MAP + 0x10;
	kl->nr_cpus_max = 8;
	kl->runqueues = 0x100;
	kl->rq_size = 0x80;
	kl->rq_nr_running = (struct klayout_field){ 0x4, 4, true };
	kl->rq_clock = (struct klayout_field){ 0x10, 8, true };
	kl->rq_curr = (struct klayout_field){ 0x20, 8, true };
	kl->task_pid = (struct klayout_field){ 0x8, 4, true };
	if (scx) {
		kl->has_scx = true;
		kl->rq_scx_nr_running = (struct klayout_field){ 0x40, 4, true };
		kl->rq_scx_local_dsq_nr = (struct klayout_field){ 0x48, 4, true };
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct klayout kl;
	struct kaddr k;
	struct gmem m;
	uint32_t vcpus;
	size_t n;

	if (size < 1)
		return 0;
	layout(&kl, data[0] & 1);
	vcpus = 1 + ((data[0] >> 2) & 7);
	n = size - 1;
	gmem__init(&m);
	if (n && (data[0] & 2) && n >= 2) {
		if (gmem__add_ram(&m, 0, data + 1, n, n / 2))
			abort();
	} else if (n && gmem__add(&m, 0, data + 1, n)) {
		abort();
	}
	kaddr__init(&k);
	if (sampler__sample(&kl, &m, &k, vcpus, &s))
		abort();
	if (s.flags & ~(uint32_t)(MON_SAMPLE_NO_KERNEL | MON_SAMPLE_CLAMPED))
		abort();
	if (s.flags & MON_SAMPLE_NO_KERNEL ? s.nr_cpus != 0 :
	    s.nr_cpus > vcpus || s.nr_cpus > s.nr_cpu_ids || !s.nr_cpus)
		abort();
	for (uint32_t c = 0; c < s.nr_cpus; c++) {
		const struct mon_cpu *x = &s.cpu[c];

		if (x->flags & ~(uint32_t)CPU_FLAGS)
			abort();
		if (x->curr_pid < -1 || x->curr_pid > (int32_t)MON_COUNT_MAX)
			abort();
		if ((x->flags & (MON_CPU_NO_CURR | MON_CPU_NO_RQ)) && x->curr_pid != -1)
			abort();
		if ((x->flags & MON_CPU_NO_RQ) &&
		    (x->nr_running || x->clock || x->scx_nr_running || x->local_dsq_nr))
			abort();
		if (!kl.has_scx && !(x->flags & MON_CPU_NO_RQ) &&
		    (!(x->flags & MON_CPU_NO_SCX) || x->scx_nr_running || x->local_dsq_nr))
			abort();
		if (!(x->flags & (MON_CPU_NO_RQ | MON_CPU_TORN)) &&
		    (x->scx_nr_running > x->nr_running || x->nr_running > MON_COUNT_MAX))
			abort();
	}
	(void)sampler__cpu_flag_str(s.cpu[0].flags);
	return 0;
}
