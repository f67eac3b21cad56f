/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the monitor needs to know about the guest's kernel, read from its
 * vmlinux (the ELF next to the cached bzImage, kernel_find.h's
 * kfind_result.vmlinux): the addresses of a few symbols from the ELF symbol
 * table (libelf), and the offsets of the run queue's fields from its BTF
 * (libbpf). No struct offset is hard-coded: a kernel whose layout differs
 * is read through its own BTF.
 */
#ifndef KTSTR_MONITOR_KERNEL_LAYOUT_H
#define KTSTR_MONITOR_KERNEL_LAYOUT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct btf;

/* A field of a struct: its byte offset and size (1, 2, 4 or 8). */
struct klayout_field {
	uint32_t off;
	uint32_t size;
	bool present;
};

struct klayout {
	char path[PATH_MAX];		/* the vmlinux */

	/*
	 * Symbols: kernel virtual addresses, 0 when absent. runqueues is a
	 * per-CPU symbol: on x86-64 an offset from the per-CPU area's start
	 * (zero-based .data..percpu), not an address.
	 */
	uint64_t runqueues;		/* required */
	uint64_t per_cpu_offset;	/* __per_cpu_offset[NR_CPUS], required */
	uint32_t nr_cpus_max;		/* NR_CPUS from its size; UINT32_MAX unknown */
	uint64_t nr_cpu_ids;		/* unsigned int, required */
	uint64_t page_offset_base;	/* optional: else the default direct map */
	uint64_t phys_base;		/* optional */
	uint64_t scx_root;		/* struct scx_sched * (6.16+), optional */
	uint64_t scx_watchdog_timeout;	/* unsigned long (before 7.1), optional */

	/* struct rq and struct task_struct, from BTF. */
	uint32_t rq_size;
	struct klayout_field rq_nr_running;	/* unsigned int nr_running */
	struct klayout_field rq_clock;		/* u64 clock */
	struct klayout_field rq_curr;		/* struct task_struct *curr */
	struct klayout_field rq_scx_nr_running;	/* scx.nr_running (CONFIG_SCHED_CLASS_EXT) */
	struct klayout_field rq_scx_local_dsq_nr; /* scx.local_dsq.nr */
	struct klayout_field task_pid;		/* pid_t pid */
	bool has_scx;			/* struct rq has scx */
};

/*
 * Read @vmlinux's symbols and BTF into @kl. Errors name the file:
 * "FILE: vmlinux has no BTF (...)", "FILE: symbol runqueues not found",
 * "FILE: struct rq has no member clock". -ENOENT, -EINVAL, -ENOMEM...
 * A kernel without sched_ext loads, with has_scx false.
 */
int klayout__load(struct klayout *kl, const char *vmlinux, char *err, size_t errlen);

/*
 * The field @path ("clock", "scx.local_dsq.nr": dots go into members) of
 * struct @sname in @btf; members of anonymous structs and unions are found
 * as the compiler finds them. Bit fields and fields of another size than
 * 1, 2, 4 or 8 bytes are refused (-EINVAL), absent ones -ENOENT.
 */
int klayout__btf_field(const struct btf *btf, const char *sname, const char *path,
		       struct klayout_field *f, char *err, size_t errlen);

#endif
