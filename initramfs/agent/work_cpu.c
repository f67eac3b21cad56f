// SPDX-License-Identifier: GPL-2.0
/*
 * CPU-bound work types: cpu-spin, yield-heavy, mixed, bursty, the two
 * private-buffer cache types and page-fault-churn (ktstr-scenario(5),
 * WORK TYPES).
 */
#include "work_int.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static void cpu_spin_iter(struct wk *w)
{
	wk__spin(w, 1024);
}

const struct work_ops work_ops_cpu_spin = { .iter = cpu_spin_iter };

static void yield_heavy_iter(struct wk *w)
{
	w->work_units++;
	sched_yield();
}

const struct work_ops work_ops_yield_heavy = { .iter = yield_heavy_iter };

static void mixed_iter(struct wk *w)
{
	wk__spin(w, 1024);
	sched_yield();
}

const struct work_ops work_ops_mixed = { .iter = mixed_iter };

/*
 * Spin in 1024-unit bursts for `burst`, then sleep `sleep`. The sleep is not a
 * gap (its lateness is a wake latency sample), as for every blocking type.
 */
static void bursty_iter(struct wk *w)
{
	uint64_t burst = (uint64_t)work__param(w->spec, 0);
	uint64_t nap = (uint64_t)work__param(w->spec, 1);
	uint64_t t0 = wk__now();

	do
		wk__spin(w, 1024);
	while (!work__stop && wk__now() - t0 < burst);
	if (work__stop || !nap)
		return;
	t0 = wk__now();
	wk__sleep(nap);
	uint64_t slept = wk__now() - t0;

	if (!work__stop)
		wk__sample(w, slept > nap ? slept - nap : 0);
	wk__unblocked(w);
}

const struct work_ops work_ops_bursty = { .iter = bursty_iter };

/* ---- cache-pressure, cache-yield: strided RMW over a private buffer */

struct cache_buf {
	volatile uint8_t *buf;
	size_t size, stride, pos;
};

int work_cache__setup(struct wk *w)
{
	struct cache_buf *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->size = (size_t)work__param(w->spec, 0);
	/* cache-pipe's second param is burst_iters; its stride is fixed at 64. */
	c->stride = w->spec->type == WORK_CACHE_PIPE ? 64 : (size_t)work__param(w->spec, 1);
	c->buf = calloc(1, c->size);
	if (!c->buf) {
		free(c);
		return -ENOMEM;
	}
	w->priv = c;
	return 0;
}

void work_cache__teardown(struct wk *w)
{
	struct cache_buf *c = w->priv;

	free((void *)c->buf);
	free(c);
}

void work_cache__rmw(struct wk *w, uint64_t n)
{
	struct cache_buf *c = w->priv;

	for (uint64_t i = 0; i < n; i++) {
		c->buf[c->pos]++;
		c->pos += c->stride;
		if (c->pos >= c->size)
			c->pos -= c->size;
		w->work_units++;
	}
}

static void cache_pressure_iter(struct wk *w)
{
	work_cache__rmw(w, 1024);
}

const struct work_ops work_ops_cache_pressure = {
	.setup = work_cache__setup, .iter = cache_pressure_iter,
	.teardown = work_cache__teardown,
};

static void cache_yield_iter(struct wk *w)
{
	work_cache__rmw(w, 1024);
	uint64_t t0 = wk__now();

	sched_yield();
	wk__sample(w, wk__now() - t0);
}

const struct work_ops work_ops_cache_yield = {
	.setup = work_cache__setup, .iter = cache_yield_iter,
	.teardown = work_cache__teardown,
};

/* ---- page-fault-churn: fault random pages of a region in, drop them, spin */

struct pf_region {
	uint8_t *base;
	size_t len, pages, page;
};

static int pf_setup(struct wk *w)
{
	struct pf_region *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->page = (size_t)sysconf(_SC_PAGESIZE);
	p->len = (size_t)work__param(w->spec, 0);
	p->len = (p->len + p->page - 1) / p->page * p->page;
	p->pages = p->len / p->page;
	p->base = mmap(NULL, p->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p->base == MAP_FAILED) {
		free(p);
		return -ENOMEM;
	}
	madvise(p->base, p->len, MADV_NOHUGEPAGE);
	w->rng = (uint64_t)getpid() | 1;	/* seeded by pid, as upstream */
	w->priv = p;
	return 0;
}

static void pf_iter(struct wk *w)
{
	struct pf_region *p = w->priv;
	uint64_t touches = (uint64_t)work__param(w->spec, 1);

	for (uint64_t i = 0; i < touches; i++) {
		size_t pg = (size_t)(wk__rand(w) % p->pages);

		((volatile uint8_t *)p->base)[pg * p->page] = (uint8_t)i;
		w->work_units++;
	}
	madvise(p->base, p->len, MADV_DONTNEED);
	wk__spin(w, (uint64_t)work__param(w->spec, 2));
}

static void pf_teardown(struct wk *w)
{
	struct pf_region *p = w->priv;

	munmap(p->base, p->len);
	free(p);
}

const struct work_ops work_ops_page_fault_churn = {
	.setup = pf_setup, .iter = pf_iter, .teardown = pf_teardown,
};
