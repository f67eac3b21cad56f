// SPDX-License-Identifier: GPL-2.0
/*
 * One sample of the guest's run queues (sampler.h). Per CPU:
 *   rq   = __per_cpu_offset[cpu] + &runqueues  (x86-64 per-CPU symbols are
 *          offsets into the per-CPU area; the area is in the direct map, or
 *          in the kernel image before setup_per_cpu_areas())
 *   then rq's fields at their BTF offsets, and rq->curr->pid.
 * Each field is copied on its own: the guest may change the rq between two
 * copies, which the plausibility checks catch where they can.
 */
#include "sampler.h"

#include <errno.h>
#include <string.h>

static int read_field(const struct kaddr *k, const struct gmem *m, uint64_t base,
		      const struct klayout_field *f, uint64_t *v)
{
	if (!f->present)
		return -ENOENT;
	if (base + f->off < base)
		return -EFAULT;
	return kaddr__read(k, m, base + f->off, f->size, v);
}

static void sample_curr(const struct klayout *kl, const struct gmem *m, const struct kaddr *k,
			uint64_t rq, struct mon_cpu *c)
{
	uint64_t task, pid;

	c->curr_pid = -1;
	if (read_field(k, m, rq, &kl->rq_curr, &task) || !task ||
	    read_field(k, m, task, &kl->task_pid, &pid)) {
		c->flags |= MON_CPU_NO_CURR;
		return;
	}
	/* pid_t: sign-extend what BTF says is 4 bytes. */
	if (kl->task_pid.size == 4)
		pid = (uint64_t)(int64_t)(int32_t)(uint32_t)pid;
	if ((int64_t)pid < 0 || pid > MON_COUNT_MAX) {
		c->flags |= MON_CPU_NO_CURR;
		return;
	}
	c->curr_pid = (int32_t)pid;
}

static void sample_cpu(const struct klayout *kl, const struct gmem *m, const struct kaddr *k,
		       uint32_t cpu, struct mon_cpu *c)
{
	uint64_t off, rq, nr, clock, scx_nr = 0, dsq_nr = 0;

	memset(c, 0, sizeof(*c));
	c->curr_pid = -1;
	if (kaddr__read(k, m, kl->per_cpu_offset + 8ull * cpu, 8, &off) ||
	    (rq = off + kl->runqueues) < off ||
	    read_field(k, m, rq, &kl->rq_nr_running, &nr) ||
	    read_field(k, m, rq, &kl->rq_clock, &clock)) {
		c->flags = MON_CPU_NO_RQ;
		return;
	}
	if (!kl->has_scx) {
		c->flags |= MON_CPU_NO_SCX;
	} else if (read_field(k, m, rq, &kl->rq_scx_nr_running, &scx_nr) ||
		   read_field(k, m, rq, &kl->rq_scx_local_dsq_nr, &dsq_nr)) {
		c->flags = MON_CPU_NO_RQ;
		return;
	}
	c->nr_running = nr > UINT32_MAX ? UINT32_MAX : (uint32_t)nr;
	c->scx_nr_running = scx_nr > UINT32_MAX ? UINT32_MAX : (uint32_t)scx_nr;
	c->local_dsq_nr = dsq_nr > UINT32_MAX ? UINT32_MAX : (uint32_t)dsq_nr;
	c->clock = clock;
	/*
	 * enqueue_task_scx() bumps scx.nr_running before add_nr_running(): a
	 * read between the two sees more scx tasks than tasks.
	 */
	if (nr > MON_COUNT_MAX || scx_nr > MON_COUNT_MAX || dsq_nr > MON_COUNT_MAX ||
	    scx_nr > nr)
		c->flags |= MON_CPU_TORN;
	sample_curr(kl, m, k, rq, c);
}

int sampler__sample(const struct klayout *kl, const struct gmem *m, struct kaddr *k,
		    uint32_t vcpus, struct mon_sample *s)
{
	uint64_t ids;

	s->flags = 0;
	s->nr_cpu_ids = 0;
	s->nr_cpus = 0;
	if (!kl->runqueues || !kl->per_cpu_offset || !kl->nr_cpu_ids)
		return -EINVAL;
	(void)kaddr__refresh(k, kl, m);	/* unreadable: keep the defaults */
	if (kaddr__read(k, m, kl->nr_cpu_ids, 4, &ids) || !ids || ids > kl->nr_cpus_max) {
		s->flags |= MON_SAMPLE_NO_KERNEL;
		return 0;
	}
	s->nr_cpu_ids = (uint32_t)ids;
	s->nr_cpus = s->nr_cpu_ids < vcpus ? s->nr_cpu_ids : vcpus;
	if (s->nr_cpus > MON_MAX_CPUS) {
		s->nr_cpus = MON_MAX_CPUS;
		s->flags |= MON_SAMPLE_CLAMPED;
	}
	for (uint32_t cpu = 0; cpu < s->nr_cpus; cpu++)
		sample_cpu(kl, m, k, cpu, &s->cpu[cpu]);
	return 0;
}

const char *sampler__cpu_flag_str(uint32_t flags)
{
	if (flags & MON_CPU_NO_RQ)
		return "rq unreadable";
	if (flags & MON_CPU_TORN)
		return "torn";
	if (flags & MON_CPU_NO_CURR)
		return "current task unreadable";
	if (flags & MON_CPU_NO_SCX)
		return "no sched_ext";
	return "ok";
}
