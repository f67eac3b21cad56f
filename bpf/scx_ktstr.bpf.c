/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scx-ktstr: ktstr's fixture scheduler. A global FIFO: every task goes
 * through one shared DSQ (created in init) and every CPU takes the next task
 * from it. Knobs, set by the loader (scx_ktstr.c), inject the failures that
 * ktstr must catch:
 *
 *   stall       (.bss)    dispatch stops consuming: runnable tasks starve
 *                         and the kernel's watchdog ejects the scheduler
 *   crash       (.bss)    dispatch calls scx_bpf_error()
 *   degrade     (.rodata) tasks go to a random CPU's local DSQ and every
 *   degrade_rt  (.bss)    other dispatch is skipped: worse, but no stall
 *   slow        (.rodata) 3 of 4 dispatches are skipped: less throughput
 *   scattershot (.rodata) tasks go to a random CPU's local DSQ only
 *   pile_on     (.rodata) every task that may run on CPU pile_cpu goes to
 *   pile_on_rt  (.bss)    its local DSQ (wake-ups pick it too): one CPU
 *   pile_cpu    (.rodata) runs them all round-robin, the others idle; the
 *                         local DSQ grows long, yet nothing stalls
 *   fail_verify (.rodata) a NULL dereference the verifier rejects
 *
 * and two benign flags that the gauntlet expands into profiles:
 *   short_slice (.rodata) a quarter of the default slice
 *   local_first (.rodata) a waking task that finds an idle CPU goes
 *                         straight to that CPU's local DSQ
 *
 * The .bss layout is an interface: host tools may write 1 at offset 0
 * (stall) or 4 (crash) of the .bss map. Keep these two first.
 *
 * Written for Linux 6.12 (scx_bpf_dispatch/scx_bpf_consume, which 6.13
 * renamed scx_bpf_dsq_insert/scx_bpf_dsq_move_to_local).
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ 0

/* .bss: written at run time by the loader (or the host), in this order. */
volatile int stall;		/* offset 0 */
volatile int crash;		/* offset 4 */
volatile int degrade_rt;	/* offset 8 */
volatile int pile_on_rt;	/* offset 12 */
u64 nr_enqueued, nr_dispatched, nr_skipped, nr_scattered, nr_piled;
static u64 nr_dispatch_calls;

/* .rodata: set by the loader before load; the verifier prunes what is off. */
const volatile bool degrade;
const volatile bool slow;
const volatile bool scattershot;
const volatile bool fail_verify;
const volatile bool short_slice;
const volatile bool local_first;
const volatile bool pile_on;
const volatile s32 pile_cpu = -1;	/* checked against the online CPUs by the loader */

UEI_DEFINE(uei);

/* Only --fail-verify touches it, without the NULL check the verifier wants. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} ktstr_probe SEC(".maps");

static __always_inline u64 slice_ns(void)
{
	return short_slice ? SCX_SLICE_DFL / 4 : SCX_SLICE_DFL;
}

static __always_inline bool degraded(void)
{
	return degrade || degrade_rt;
}

/*
 * Whether @p goes to pile_cpu: the knob is on and @p may run there. A
 * migration-disabled task must stay on its CPU, so only one already there.
 */
static __always_inline bool piles(struct task_struct *p)
{
	if (pile_cpu < 0 || !(pile_on || pile_on_rt) || stall)
		return false;
	if (!bpf_cpumask_test_cpu(pile_cpu, p->cpus_ptr))
		return false;
	return !is_migration_disabled(p) || scx_bpf_task_cpu(p) == pile_cpu;
}

/* A random online CPU @p may run on, or -1 (then @p takes the shared DSQ). */
static s32 random_cpu(struct task_struct *p)
{
	const struct cpumask *online;
	s32 cpu;
	bool ok;

	if (p->nr_cpus_allowed <= 1 || is_migration_disabled(p))
		return -1;
	cpu = bpf_get_prandom_u32() % scx_bpf_nr_cpu_ids();
	if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
		return -1;
	online = scx_bpf_get_online_cpumask();
	ok = bpf_cpumask_test_cpu(cpu, online);
	scx_bpf_put_cpumask(online);
	return ok ? cpu : -1;
}

s32 BPF_STRUCT_OPS(ktstr_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu;

	/* so that the wake-up lands on pile_cpu's rq; enqueue then queues it */
	if (piles(p))
		return pile_cpu;
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (local_first && is_idle && !stall)
		scx_bpf_dispatch(p, SCX_DSQ_LOCAL, slice_ns(), 0);
	return cpu;
}

void BPF_STRUCT_OPS(ktstr_enqueue, struct task_struct *p, u64 enq_flags)
{
	__sync_fetch_and_add(&nr_enqueued, 1);
	if (piles(p)) {
		/* at the tail: when its slice ends it queues up again, round-robin */
		__sync_fetch_and_add(&nr_piled, 1);
		scx_bpf_dispatch(p, SCX_DSQ_LOCAL_ON | pile_cpu, slice_ns(), enq_flags);
		return;
	}
	if ((scattershot || degraded()) && !stall) {
		s32 cpu = random_cpu(p);

		if (cpu >= 0) {
			__sync_fetch_and_add(&nr_scattered, 1);
			scx_bpf_dispatch(p, SCX_DSQ_LOCAL_ON | cpu, slice_ns(), enq_flags);
			return;
		}
	}
	scx_bpf_dispatch(p, SHARED_DSQ, slice_ns(), enq_flags);
}

void BPF_STRUCT_OPS(ktstr_dispatch, s32 cpu, struct task_struct *prev)
{
	if (fail_verify) {
		u32 key = 0;
		u64 *v = bpf_map_lookup_elem(&ktstr_probe, &key);

		*v += 1;	/* no NULL check: "invalid mem access 'map_value_or_null'" */
	}
	if (crash)
		scx_bpf_error("ktstr: injected crash");
	if (stall)
		return;
	if (!scattershot && (slow || degraded())) {
		u64 n = __sync_fetch_and_add(&nr_dispatch_calls, 1);

		if ((slow && (n & 3)) || (!slow && (n & 1))) {
			__sync_fetch_and_add(&nr_skipped, 1);
			/* come back soon, or the queued tasks would wait for a wakeup */
			if (scx_bpf_dsq_nr_queued(SHARED_DSQ))
				scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
			return;
		}
	}
	if (scx_bpf_consume(SHARED_DSQ))
		__sync_fetch_and_add(&nr_dispatched, 1);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(ktstr_init)
{
	return scx_bpf_create_dsq(SHARED_DSQ, -1);
}

void BPF_STRUCT_OPS(ktstr_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(ktstr_ops,
	       .select_cpu	= (void *)ktstr_select_cpu,
	       .enqueue		= (void *)ktstr_enqueue,
	       .dispatch	= (void *)ktstr_dispatch,
	       .init		= (void *)ktstr_init,
	       .exit		= (void *)ktstr_exit,
	       .timeout_ms	= 20000,
	       .name		= "ktstr");
