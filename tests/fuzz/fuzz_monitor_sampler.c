// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the run queue sampler (lib/monitor/sampler.h) with random guest
 * memory under a fixed kernel layout. Byte 0: bit 0 the kernel has
 * sched_ext, bit 1 the memory is split (its first half at guest address 0,
 * the rest from 4 GiB, as qemu and the VMM place RAM above the PCI hole),
 * bits 2-4 the vCPUs (1-8), bits 5-7 the series below. The rest is guest
 * memory, used in place: any
 * read past it is a sanitizer report. Layout (guest-physical):
 *   0x00 page_offset_base  0x08 nr_cpu_ids  0x10 __per_cpu_offset[8]
 *   runqueues = 0x100 (per-CPU); struct rq: nr_running 0x4, clock 0x10,
 *   curr 0x20, scx.nr_running 0x40, scx.local_dsq.nr 0x48 (rq 0x80 bytes);
 *   task_struct.pid at 0x8.
 * Whatever the bytes, the sample must come back with its bounds kept, and
 * flagged values zeroed.
 *
 * Then the monitor's checks (monitor_eval.h) judge a series of SERIES_N
 * copies of that sample, 100 ms apart: bit 5 gives each vCPU 50 ms of host
 * CPU time per period (else stalls are not judged), bits 6-7 (h) leave every
 * (h+4)th period without a sample (h = 0: none). The series never changes,
 * so each check's verdict follows from the one sample and the longest run of
 * periods with one; the target works that out on its own and compares.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor_eval.h"
#include "monitor/sampler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CPU_FLAGS (MON_CPU_NO_RQ | MON_CPU_TORN | MON_CPU_NO_CURR | MON_CPU_NO_SCX)

static struct mon_sample s;

#define SERIES_N	(MON_EVAL_TRIM + 12)
#define SERIES_CPUS	8

static struct mon_point pts[SERIES_N];
static uint64_t vcpu_ns[SERIES_N][SERIES_CPUS];
static struct mon_verdict v;
static struct mon_summary sum;

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

static int count_fails(const char *prefix)
{
	int n = 0;

	for (uint32_t i = 0; i < v.nr_fail; i++)
		n += !strncmp(v.fail[i], prefix, strlen(prefix));
	return n;
}

/*
 * What the checks must say of SERIES_N copies of s: @used of them after the
 * trim, the longest run of consecutive ones @run.
 */
static void expect(bool vcpu, uint32_t used, uint32_t run)
{
	bool ok[SERIES_CPUS] = { false }, all_ok = s.nr_cpus > 0, same = true;
	uint32_t hi = 0, lo = UINT32_MAX, nr_ok = 0, stalls = 0;
	bool deep = false, implausible = false;
	uint64_t clock0 = 0;

	if (s.flags & MON_SAMPLE_NO_KERNEL)
		all_ok = false;
	for (uint32_t c = 0; c < s.nr_cpus && !(s.flags & MON_SAMPLE_NO_KERNEL); c++) {
		const struct mon_cpu *x = &s.cpu[c];

		ok[c] = !(x->flags & (MON_CPU_NO_RQ | MON_CPU_TORN));
		if (!ok[c]) {
			all_ok = false;
			continue;
		}
		if (!nr_ok++)
			clock0 = x->clock;
		else if (x->clock != clock0)
			same = false;
		hi = x->nr_running > hi ? x->nr_running : hi;
		lo = x->nr_running < lo ? x->nr_running : lo;
		deep |= x->local_dsq_nr > 50;
		implausible |= x->local_dsq_nr > MON_EVAL_DSQ_IMPLAUSIBLE;
		/* Never advancing: a stall wherever the CPU is busy and ran. */
		stalls += vcpu && x->clock && x->nr_running && run >= 1 + MON_EVAL_SUSTAINED;
	}
	if (!nr_ok || implausible || (same && nr_ok * used > 1)) {
		/* The validity gate: passes with its note, judging nothing. */
		if (!v.passed || v.nr_fail || v.nr_note != 1 ||
		    !strstr(v.note[0], "monitor data not yet initialized"))
			abort();
		return;
	}
	if (count_fails("imbalance ratio ") !=
	    (all_ok && (double)hi / (lo ? lo : 1) > 4.0 && run >= MON_EVAL_SUSTAINED))
		abort();
	if (count_fails("local DSQ depth ") != (deep && run >= MON_EVAL_SUSTAINED))
		abort();
	if (count_fails("rq_clock stall on cpu") != (int)stalls)
		abort();
	if (v.passed != !v.nr_fail || v.nr_note != !vcpu)
		abort();
}

static void check_eval(uint8_t mode)
{
	uint32_t period = mode >> 6 ? (mode >> 6) + 4 : 0, used = 0, run = 0, cur = 0;
	bool vcpu = mode & 0x20;
	struct mon_limits l;

	for (size_t i = 0; i < SERIES_N; i++) {
		bool hole = period && i % period == period - 1;

		for (uint32_t c = 0; c < SERIES_CPUS; c++)
			vcpu_ns[i][c] = i * 50000000ull;
		pts[i] = (struct mon_point){
			.t_ns = i * 100000000ull, .s = hole ? NULL : &s,
			.vcpu_ns = vcpu ? vcpu_ns[i] : NULL, .nr_vcpu_ns = SERIES_CPUS,
		};
		if (i >= MON_EVAL_TRIM) {
			used += !hole;
			cur = hole ? 0 : cur + 1;
			run = cur > run ? cur : run;
		}
	}
	mon_eval__defaults(&l);
	mon_eval__series(pts, SERIES_N, &l, &v, &sum);
	for (uint32_t i = 0; i < v.nr_fail; i++)
		if (!memchr(v.fail[i], 0, MON_EVAL_MSG_LEN))
			abort();
	for (uint32_t i = 0; i < v.nr_note; i++)
		if (!memchr(v.note[i], 0, MON_EVAL_MSG_LEN))
			abort();
	if (v.nr_fail > MON_EVAL_MAX_MSGS || v.nr_note > MON_EVAL_MAX_NOTES ||
	    sum.samples != SERIES_N || sum.trimmed != MON_EVAL_TRIM ||
	    sum.used > SERIES_N - MON_EVAL_TRIM || sum.nr_cpus > s.nr_cpus)
		abort();
	for (uint32_t c = 0; c < sum.nr_cpus; c++)
		if (sum.cpu[c].samples + sum.cpu[c].flagged != sum.used)
			abort();
	expect(vcpu, used, run);
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
	check_eval(data[0]);
	return 0;
}
