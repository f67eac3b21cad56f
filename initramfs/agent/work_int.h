/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Worker internals shared by work*.c: the state of one worker process (the
 * child side), the per-type operations, and the helpers the types use.
 */
#ifndef KTSTR_AGENT_WORK_INT_H
#define KTSTR_AGENT_WORK_INT_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "work.h"

#define NSEC_PER_USEC 1000ull
#define NSEC_PER_MSEC 1000000ull
#define NSEC_PER_SEC 1000000000ull
#define WORK_WAIT_SLICE_NS (100 * NSEC_PER_MSEC)	/* futex/poll timeout to re-check stop */
#define WORK_SHARED_SLOT 256			/* bytes of shared memory per group */

/* Set by the SIGUSR1 handler in the worker (defined in work_helpers.c). */
extern volatile sig_atomic_t work__stop;

/* The pause of a spin loop (wk__spin, the ignore-stop test hook). */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

/* One worker process. Lives in the child only. */
struct wk {
	const struct work_spec *spec;
	const struct work_ctx *ctx;
	uint32_t index;			/* in the work group */
	uint32_t rank;			/* in its type group: 0 = messenger / first of a pair */
	uint32_t gsize;			/* type group size */
	void *shared;			/* this type group's WORK_SHARED_SLOT bytes, MAP_SHARED */
	int rfd, wfd;			/* pair types: read from / write to the partner */
	volatile uint64_t *progress;	/* shared iterations counter */

	uint64_t start_ns, last_ns;	/* worker start; last gap check or unblock */
	uint64_t tick;			/* the coarse clock at the last progress point */
	uint64_t work_units;
	int last_cpu;
	uint64_t rng;			/* xorshift64 state */
	void *priv;			/* the type's own state */

	struct ktstr_msg_worker_report r;
	uint64_t lat[KTSTR_REPORT_MAX_LATENCIES];
	struct ktstr_migration mig[KTSTR_REPORT_MAX_MIGRATIONS];
};

struct work_ops {
	int (*setup)(struct wk *w);		/* 0 or -errno; may be NULL */
	void (*iter)(struct wk *w);		/* one outer iteration */
	void (*teardown)(struct wk *w);		/* may be NULL */
	/* Owns the whole run instead of iter (exec); returns at stop. */
	void (*run)(struct wk *w);
};

/* One per type, defined in work_cpu.c, work_io.c, work_ipc.c, work_sched.c, work_exec.c. */
extern const struct work_ops work_ops_cpu_spin, work_ops_yield_heavy, work_ops_mixed,
	work_ops_io_sync, work_ops_bursty, work_ops_pipe_io, work_ops_futex_ping_pong,
	work_ops_cache_pressure, work_ops_cache_yield, work_ops_cache_pipe,
	work_ops_futex_fan_out, work_ops_fan_out_compute, work_ops_sequence,
	work_ops_fork_exit, work_ops_nice_sweep, work_ops_affinity_churn,
	work_ops_policy_churn, work_ops_page_fault_churn, work_ops_mutex_contention,
	work_ops_exec;

/* work_types.c: the operations of a type. */
const struct work_ops *work_ops__get(enum work_type t);
/* work_params.c: the type's param @i, or its default (lib/wire/workload.c) when 0. */
int64_t work__param(const struct work_spec *s, unsigned i);

/* work_helpers.c: helpers for the types. */
void wk__spin(struct wk *w, uint64_t n);
void wk__sample(struct wk *w, uint64_t ns);
void wk__unblocked(struct wk *w);		/* reset the gap timer after a wait */
void wk__sleep(uint64_t ns);			/* returns early on a signal */
uint64_t wk__rand(struct wk *w);
/* Wait while *addr == val, at most WORK_WAIT_SLICE_NS. 0 woken/changed, -1 timeout/intr. */
int wk__futex_wait(uint32_t *addr, uint32_t val);
void wk__futex_wake(uint32_t *addr, int n);

/*
 * work_progress.c: the clock, and progress points (gap, CPUs and migrations,
 * the watchdog).
 * wk__progress is cheap (a full check once per kernel tick): types call it
 * (wk__spin does) inside iterations that can run long.
 */
uint64_t wk__now(void);			/* CLOCK_MONOTONIC, ns */
void wk__progress_start(struct wk *w);
void wk__progress(struct wk *w);
void wk__progress_check(struct wk *w);		/* the full check, now */

/* work_worker.c: the child's entry point, never returns. */
void work_worker__main(struct wk *w, int start_fd, int report_fd) __attribute__((noreturn));

/* work_fault.c: count a fork (parent); apply the fault, if any (child, after placement). */
void work_fault__forked(void);
void work_fault__apply(void);

/* work_cpu.c: the cache types' private buffer, shared with cache-pipe. */
int work_cache__setup(struct wk *w);
void work_cache__rmw(struct wk *w, uint64_t n);	/* n strided RMWs, n units */
void work_cache__teardown(struct wk *w);

/* work_affinity.c */
/* Resolve @a for one worker; 0 with *out set, or -1 for "leave as is". */
int work_affinity__resolve(const struct work_affinity *a, uint64_t seed, struct work_cpumask *out);
int work_affinity__apply(pid_t pid, const struct work_cpumask *m);

/* work_report.c: /proc readers, best effort (zeros when absent). */
void work_report__schedstat(uint64_t out[3]);	/* run ns, run delay ns, pcount */
uint64_t work_report__numa_migrated(void);	/* /proc/vmstat numa_pages_migrated */
void work_report__numa_maps(uint64_t pages[KTSTR_REPORT_MAX_NODES]);	/* base pages per node */
/* The parsers behind them, on an open file (NULL reads as empty). */
void work_report__parse_schedstat(FILE *f, uint64_t out[3]);
uint64_t work_report__parse_vmstat(FILE *f, const char *key);
void work_report__parse_numa_maps(FILE *f, unsigned long page_kb,
				  uint64_t pages[KTSTR_REPORT_MAX_NODES]);

/* work_fd.c */
/* Close every fd >= 3 except @keep (n entries, -1 ignored). */
void work_fd__close_except(const int *keep, int n);
int work_fd__write_all(int fd, const void *buf, size_t len);

#endif
