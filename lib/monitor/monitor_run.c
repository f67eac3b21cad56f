// SPDX-License-Identifier: GPL-2.0
/*
 * The periodic sampler thread (monitor_run.h). Each sample is kept as a
 * record of fixed stride in one growing buffer: its time, whether the vCPU
 * times are known, the sample cut to the CPUs the guest has (a struct
 * mon_sample is 16 KiB for MON_MAX_CPUS; 4 CPUs need 140 bytes), and the
 * vCPU times. The mon_point array that points into it is built once, at
 * stop, since the buffer may move while it grows.
 */
#include "monitor_run.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "kaddr.h"
#include "sampler.h"

struct rec_hdr {
	uint64_t t_ns;
	uint32_t vcpu_ok;
	uint32_t pad;
};

struct mon_run {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* CLOCK_MONOTONIC */
	atomic_bool stop;

	struct gmem m;
	struct klayout kl;
	struct kaddr k;
	uint32_t ncpus;
	uint64_t period_ns;
	mon_vcpu_ns_fn vcpu_ns;
	mon_sample_fn on_sample;
	void *arg;

	struct mon_sample *scratch;	/* the sample being taken */
	uint64_t *vcpu;			/* [ncpus], the vCPU times being read */

	size_t sample_len;		/* bytes of a sample cut to ncpus CPUs, 8-aligned */
	size_t stride;			/* bytes of a record */
	uint32_t cap;			/* records kept at most */
	uint8_t *buf;			/* records [0, n) */
	size_t n, alloc;
	uint64_t taken, dropped;
	uint32_t vcpu_known;
	uint64_t cpu_ns;
};

static uint64_t mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static size_t sample_len(uint32_t ncpus)
{
	size_t len = offsetof(struct mon_sample, cpu) + (size_t)ncpus * sizeof(struct mon_cpu);

	return (len + 7) & ~(size_t)7;
}

static size_t rec_stride(uint32_t ncpus)
{
	return sizeof(struct rec_hdr) + sample_len(ncpus) + (size_t)ncpus * sizeof(uint64_t);
}

static uint32_t clamp_cpus(uint32_t ncpus)
{
	return ncpus > MON_MAX_CPUS ? MON_MAX_CPUS : ncpus;
}

uint32_t mon_run__cap(uint32_t ncpus, uint32_t max_samples)
{
	size_t by_bytes = MON_RUN_MAX_BYTES / rec_stride(clamp_cpus(ncpus));
	uint32_t cap = max_samples ? max_samples : MON_RUN_MAX_SAMPLES;

	if (by_bytes < cap)
		cap = (uint32_t)by_bytes;
	return cap ? cap : 1;
}

/* Room for one more record; false when the cap is reached or memory is short. */
static bool grow(struct mon_run *r)
{
	size_t want;
	uint8_t *b;

	if (r->n < r->alloc)
		return true;
	if (r->n >= r->cap)
		return false;
	want = r->alloc ? r->alloc * 2 : 64;
	if (want > r->cap)
		want = r->cap;
	b = realloc(r->buf, want * r->stride);
	if (!b)
		return false;
	r->buf = b;
	r->alloc = want;
	return true;
}

static void take(struct mon_run *r)
{
	struct mon_point p = { .t_ns = mono_ns(), .s = r->scratch };
	struct rec_hdr *h;
	uint8_t *rec;

	/* The layout was checked at start: only a torn or absent guest is flagged. */
	(void)sampler__sample(&r->kl, &r->m, &r->k, r->ncpus, r->scratch);
	if (r->vcpu_ns && r->vcpu_ns(r->arg, r->vcpu, r->ncpus) == 0) {
		p.vcpu_ns = r->vcpu;
		p.nr_vcpu_ns = r->ncpus;
	}
	if (r->on_sample)
		r->on_sample(r->arg, &p, r->taken);
	r->taken++;
	if (!grow(r)) {
		r->dropped++;
		return;
	}
	rec = r->buf + r->n++ * r->stride;
	h = (struct rec_hdr *)rec;
	h->t_ns = p.t_ns;
	h->vcpu_ok = p.vcpu_ns != NULL;
	h->pad = 0;
	memcpy(rec + sizeof(*h), r->scratch, r->sample_len);
	if (p.vcpu_ns) {
		memcpy(rec + sizeof(*h) + r->sample_len, r->vcpu, r->ncpus * sizeof(uint64_t));
		r->vcpu_known++;
	}
}

static void *run_main(void *arg)
{
	struct mon_run *r = arg;
	uint64_t next = mono_ns() + r->period_ns;

	pthread_mutex_lock(&r->lock);
	while (!atomic_load(&r->stop)) {
		uint64_t now = mono_ns();
		struct timespec ts;

		if (now < next) {
			ts.tv_sec = (time_t)(next / 1000000000ull);
			ts.tv_nsec = (long)(next % 1000000000ull);
			pthread_cond_timedwait(&r->cond, &r->lock, &ts);
			continue;
		}
		/* Unlocked while sampling: mon_run__stop() only waits for this one. */
		pthread_mutex_unlock(&r->lock);
		take(r);
		pthread_mutex_lock(&r->lock);
		next += r->period_ns;
		now = mono_ns();
		if (next <= now)
			next = now + r->period_ns;	/* fell behind: skip, no burst */
	}
	pthread_mutex_unlock(&r->lock);
	{
		struct timespec t;

		if (!clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t))
			r->cpu_ns = (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
	}
	return NULL;
}

static void run_free(struct mon_run *r)
{
	free(r->scratch);
	free(r->vcpu);
	free(r->buf);
	free(r);
}

int mon_run__start(const struct mon_run_opts *o, struct mon_run **out, char *err, size_t errlen)
{
	pthread_condattr_t ca;
	struct mon_run *r;
	int ret;

	*out = NULL;
	if (!o || !o->m || !o->kl || !o->ncpus)
		return err__set(-EINVAL, err, errlen, "monitor: no guest memory, layout or CPUs");
	if (!o->kl->runqueues || !o->kl->per_cpu_offset || !o->kl->nr_cpu_ids)
		return err__set(-EINVAL, err, errlen,
				"monitor: %s: the layout lacks runqueues, __per_cpu_offset or "
				"nr_cpu_ids", o->kl->path[0] ? o->kl->path : "vmlinux");
	r = calloc(1, sizeof(*r));
	if (!r)
		return err__set(-ENOMEM, err, errlen, "monitor: out of memory");
	r->m = *o->m;
	r->kl = *o->kl;
	kaddr__init(&r->k);
	r->ncpus = clamp_cpus(o->ncpus);
	r->period_ns = (uint64_t)(o->period_ms ? o->period_ms : MON_RUN_PERIOD_MS) * 1000000ull;
	r->vcpu_ns = o->vcpu_ns;
	r->on_sample = o->on_sample;
	r->arg = o->arg;
	r->sample_len = sample_len(r->ncpus);
	r->stride = rec_stride(r->ncpus);
	r->cap = mon_run__cap(r->ncpus, o->max_samples);
	r->scratch = calloc(1, sizeof(*r->scratch));
	r->vcpu = calloc(r->ncpus, sizeof(*r->vcpu));
	if (!r->scratch || !r->vcpu) {
		run_free(r);
		return err__set(-ENOMEM, err, errlen, "monitor: out of memory");
	}
	atomic_init(&r->stop, false);
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->cond, &ca);
	pthread_condattr_destroy(&ca);
	ret = pthread_create(&r->thread, NULL, run_main, r);
	if (ret) {
		pthread_cond_destroy(&r->cond);
		pthread_mutex_destroy(&r->lock);
		run_free(r);
		return err__set(-ret, err, errlen, "monitor: cannot start its thread: %s",
				strerror(ret));
	}
	*out = r;
	return 0;
}

struct mon_series *mon_run__stop(struct mon_run *r)
{
	struct mon_series *s;

	if (!r)
		return NULL;
	pthread_mutex_lock(&r->lock);
	atomic_store(&r->stop, true);
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);

	s = calloc(1, sizeof(*s));
	if (s && r->n && !(s->pts = calloc(r->n, sizeof(*s->pts)))) {
		free(s);
		s = NULL;
	}
	if (!s) {
		run_free(r);
		return NULL;
	}
	for (size_t i = 0; i < r->n; i++) {
		const uint8_t *rec = r->buf + i * r->stride;
		const struct rec_hdr *h = (const struct rec_hdr *)rec;

		s->pts[i].t_ns = h->t_ns;
		s->pts[i].s = (const struct mon_sample *)(rec + sizeof(*h));
		if (h->vcpu_ok) {
			s->pts[i].vcpu_ns = (const uint64_t *)(rec + sizeof(*h) + r->sample_len);
			s->pts[i].nr_vcpu_ns = r->ncpus;
		}
	}
	s->n = r->n;
	s->taken = r->taken;
	s->dropped = r->dropped;
	s->cap = r->cap;
	s->period_ms = (uint32_t)(r->period_ns / 1000000ull);
	s->vcpu_known = r->vcpu_known;
	s->cpu_ns = r->cpu_ns;
	s->store = r->buf;
	r->buf = NULL;
	run_free(r);
	return s;
}

void mon_series__free(struct mon_series *s)
{
	if (!s)
		return;
	free(s->pts);
	free(s->store);
	free(s);
}
