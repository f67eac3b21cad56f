// SPDX-License-Identifier: GPL-2.0
/*
 * The helpers the work types share, in the worker: the stop flag, sleeping,
 * spinning, random numbers, latency sampling and futex waits (work_int.h).
 */
#include "work_int.h"

#include <linux/futex.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

volatile sig_atomic_t work__stop;
static bool spin_pause = true;

void work__spin_mode(bool pause)
{
	spin_pause = pause;
}

void wk__spin(struct wk *w, uint64_t n)
{
	if (!spin_pause) {
		for (uint64_t i = 0; i < n; i++) {
			w->work_units++;
			__asm__ __volatile__("" ::: "memory");
		}
	} else {
		for (uint64_t i = 0; i < n; i++) {
			w->work_units++;
			cpu_relax();
		}
	}
	wk__progress(w);	/* a long spin phase is progress, not a gap */
}

uint64_t wk__rand(struct wk *w)
{
	uint64_t x = w->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return w->rng = x;
}

/* Reservoir sampling (algorithm R) into the report's latency array. */
void wk__sample(struct wk *w, uint64_t ns)
{
	uint64_t seen = ++w->r.wake_sample_total;

	if (w->r.nlatencies < KTSTR_REPORT_MAX_LATENCIES) {
		w->lat[w->r.nlatencies++] = ns;
		return;
	}
	uint64_t j = wk__rand(w) % seen;
	if (j < KTSTR_REPORT_MAX_LATENCIES)
		w->lat[j] = ns;
}

void wk__unblocked(struct wk *w)
{
	w->last_ns = wk__now();
}

void wk__sleep(uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC };

	nanosleep(&ts, NULL);
}

/* Shared (not private) futexes: the words live in a MAP_SHARED mapping. */
int wk__futex_wait(uint32_t *addr, uint32_t val)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = WORK_WAIT_SLICE_NS };

	return syscall(SYS_futex, addr, FUTEX_WAIT, val, &ts, NULL, 0) == 0 ? 0 : -1;
}

void wk__futex_wake(uint32_t *addr, int n)
{
	syscall(SYS_futex, addr, FUTEX_WAKE, n, NULL, NULL, 0);
}
