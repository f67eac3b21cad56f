// SPDX-License-Identifier: GPL-2.0
/*
 * Grouped work types that wake each other (ktstr-scenario(5), WORK TYPES):
 * pipe-io and cache-pipe pairs, futex-ping-pong pairs, futex-fan-out and
 * fan-out-compute sets (rank 0 is the messenger), mutex-contention. Their
 * pipes and the group's shared slot (w->shared, MAP_SHARED) were set up
 * before the fork.
 */
#include "work_int.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

struct fan_slot {
	uint32_t gen;			/* futex: bumped by the messenger */
	uint32_t done;			/* futex: fan-out-compute receivers finished */
	uint64_t stamp;			/* CLOCK_MONOTONIC at the wake */
};

/* Per worker process, so plain statics are per worker. */
static uint32_t seen_gen;

/* ---- pipe-io, cache-pipe: write a byte to the partner, wait for its byte */

static void pipe_exchange(struct wk *w)
{
	char c = 1;
	uint64_t t0;

	if (write(w->wfd, &c, 1) < 0 && errno == EPIPE) {
		wk__sleep(WORK_WAIT_SLICE_NS);	/* the partner is gone */
		return;
	}
	t0 = wk__now();
	while (!work__stop) {
		struct pollfd p = { .fd = w->rfd, .events = POLLIN };

		if (poll(&p, 1, (int)(WORK_WAIT_SLICE_NS / NSEC_PER_MSEC)) <= 0)
			continue;
		ssize_t n = read(w->rfd, &c, 1);

		if (n == 1) {
			wk__sample(w, wk__now() - t0);
			break;
		}
		if (n == 0) {
			wk__sleep(WORK_WAIT_SLICE_NS);
			break;
		}
	}
	wk__unblocked(w);
}

static void pipe_io_iter(struct wk *w)
{
	wk__spin(w, (uint64_t)work__param(w->spec, 0));
	pipe_exchange(w);
}

const struct work_ops work_ops_pipe_io = { .iter = pipe_io_iter };

static void cache_pipe_iter(struct wk *w)
{
	work_cache__rmw(w, (uint64_t)work__param(w->spec, 1));
	pipe_exchange(w);
}

const struct work_ops work_ops_cache_pipe = {
	.setup = work_cache__setup, .iter = cache_pipe_iter,
	.teardown = work_cache__teardown,
};

/* ---- futex-ping-pong: the shared word names whose turn it is */

static void ping_pong_iter(struct wk *w)
{
	uint32_t *turn = w->shared;
	uint32_t me = w->rank, other = 1 - w->rank;
	uint64_t t0;
	int waited = 0;

	wk__spin(w, (uint64_t)work__param(w->spec, 0));
	__atomic_store_n(turn, other, __ATOMIC_SEQ_CST);
	wk__futex_wake(turn, 1);
	t0 = wk__now();
	while (__atomic_load_n(turn, __ATOMIC_SEQ_CST) != me && !work__stop) {
		waited = 1;
		wk__futex_wait(turn, other);
	}
	if (waited && !work__stop)
		wk__sample(w, wk__now() - t0);
	wk__unblocked(w);
}

const struct work_ops work_ops_futex_ping_pong = { .iter = ping_pong_iter };

/* Receivers: wait for a new generation; sample wake-to-run against the stamp. */
static void fan_wait(struct wk *w)
{
	struct fan_slot *f = w->shared;
	int waited = 0;

	while (__atomic_load_n(&f->gen, __ATOMIC_ACQUIRE) == seen_gen && !work__stop) {
		waited = 1;
		wk__futex_wait(&f->gen, seen_gen);
	}
	uint32_t g = __atomic_load_n(&f->gen, __ATOMIC_ACQUIRE);

	if (waited && g != seen_gen) {
		/*
		 * The stamp first, then the clock: the messenger never blocks and
		 * may stamp the next round meanwhile, and a stamp read after the
		 * clock could be later than it (a sample of 2^64 - x ns, seen in
		 * test_work on a loaded host).
		 */
		uint64_t stamp = __atomic_load_n(&f->stamp, __ATOMIC_ACQUIRE);
		uint64_t now = wk__now();

		wk__sample(w, now > stamp ? now - stamp : 0);
	}
	seen_gen = g;
	wk__unblocked(w);
}

static void fan_wake(struct wk *w)
{
	struct fan_slot *f = w->shared;

	__atomic_store_n(&f->stamp, wk__now(), __ATOMIC_RELEASE);
	__atomic_add_fetch(&f->gen, 1, __ATOMIC_RELEASE);
	wk__futex_wake(&f->gen, INT_MAX);
}

static int fan_setup(struct wk *w)
{
	if (w->rank == 0)
		w->r.flags |= KTSTR_REPORT_F_MESSENGER;
	seen_gen = __atomic_load_n(&((struct fan_slot *)w->shared)->gen, __ATOMIC_ACQUIRE);
	return 0;
}

/* ---- futex-fan-out: the messenger never blocks; receivers chase it */

static void fan_out_iter(struct wk *w)
{
	wk__spin(w, (uint64_t)work__param(w->spec, 1));
	if (w->rank == 0) {
		fan_wake(w);
		wk__spin(w, 256);
	} else {
		fan_wait(w);
	}
}

const struct work_ops work_ops_futex_fan_out = {
	.setup = fan_setup, .iter = fan_out_iter,
};

/* ---- fan-out-compute: wake, receivers sleep then multiply, messenger waits for them */

struct matmul {
	size_t n;
	uint64_t *a, *b, *c;
};

static int compute_setup(struct wk *w)
{
	struct matmul *m;
	uint64_t bytes = (uint64_t)work__param(w->spec, 1);

	fan_setup(w);
	if (w->rank == 0)
		return 0;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	/* Three n x n u64 matrices fill the cache footprint. */
	m->n = 1;
	while ((m->n + 1) * (m->n + 1) * 3 * 8 <= bytes)
		m->n++;
	m->a = calloc(m->n * m->n, sizeof(uint64_t));
	m->b = calloc(m->n * m->n, sizeof(uint64_t));
	m->c = calloc(m->n * m->n, sizeof(uint64_t));
	if (!m->a || !m->b || !m->c) {
		free(m->a);
		free(m->b);
		free(m->c);
		free(m);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->n * m->n; i++) {
		m->a[i] = i;
		m->b[i] = i * 3 + 1;
	}
	w->priv = m;
	return 0;
}

static void matmul_once(struct matmul *m)
{
	size_t n = m->n;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			uint64_t s = 0;

			for (size_t k = 0; k < n; k++)
				s += m->a[i * n + k] * m->b[k * n + j];
			m->c[i * n + j] = s;
		}
	/* Keep the compiler from dropping the work. */
	__asm__ __volatile__("" : : "r"(m->c) : "memory");
}

static void compute_iter(struct wk *w)
{
	struct fan_slot *f = w->shared;
	uint32_t receivers = w->gsize - 1;

	if (w->rank == 0) {
		/* Wait for the round's receivers, but not past one wait slice. */
		__atomic_store_n(&f->done, 0, __ATOMIC_RELEASE);
		fan_wake(w);
		w->work_units++;
		for (;;) {
			uint32_t d = __atomic_load_n(&f->done, __ATOMIC_ACQUIRE);

			if (d >= receivers || work__stop || wk__futex_wait(&f->done, d))
				break;
		}
		wk__unblocked(w);
		return;
	}
	fan_wait(w);
	if (work__stop)
		return;
	uint64_t nap = (uint64_t)work__param(w->spec, 3);

	if (nap)
		wk__sleep(nap);
	for (int64_t i = 0; i < work__param(w->spec, 2) && !work__stop; i++) {
		matmul_once(w->priv);
		w->work_units++;
	}
	wk__unblocked(w);
	if (__atomic_add_fetch(&f->done, 1, __ATOMIC_ACQ_REL) >= receivers)
		wk__futex_wake(&f->done, 1);
}

static void compute_teardown(struct wk *w)
{
	struct matmul *m = w->priv;

	if (!m)
		return;
	free(m->a);
	free(m->b);
	free(m->c);
	free(m);
}

/* Rounds take milliseconds: check the gap after every one (units: 0). */
const struct work_ops work_ops_fan_out_compute = {
	.setup = compute_setup, .iter = compute_iter, .teardown = compute_teardown,
};

/* ---- mutex-contention: a futex lock word, CAS 0 -> 1 */

static void mutex_iter(struct wk *w)
{
	uint32_t *lock = w->shared;
	uint64_t t0 = 0;
	int contended = 0;

	wk__spin(w, (uint64_t)work__param(w->spec, 2));
	for (;;) {
		uint32_t zero = 0;

		if (__atomic_compare_exchange_n(lock, &zero, 1, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			break;
		if (work__stop)
			return;
		if (!contended) {
			contended = 1;
			t0 = wk__now();
		}
		wk__futex_wait(lock, 1);
	}
	if (contended) {
		wk__sample(w, wk__now() - t0);
		wk__unblocked(w);
	}
	wk__spin(w, (uint64_t)work__param(w->spec, 1));
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
	wk__futex_wake(lock, 1);
}

const struct work_ops work_ops_mutex_contention = { .iter = mutex_iter };
