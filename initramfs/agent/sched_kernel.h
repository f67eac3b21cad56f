/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel says about the scheduler: sched_ext's sysfs files, the
 * sched_ext_dump tracepoint, SysRq-D and the kernel log's sched_ext lines
 * (/dev/kmsg). sched_proc.c's watcher reads them for its SCHED_EXIT report.
 */
#ifndef KTSTR_AGENT_SCHED_KERNEL_H
#define KTSTR_AGENT_SCHED_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

/* Enable (or disable) the sched_ext_dump tracepoint; 0 or -errno. */
int sched_k__dump_tracepoint(bool on);
/* Append the sched_ext_dump lines of the trace buffer to @buf (at most @cap bytes). */
size_t sched_k__dump_read(char *buf, size_t cap);
/* SysRq-D. */
void sched_k__sysrq_dump(void);

/* The kernel log: open at its end; sched_ext records are collected as they come. */
struct sched_kmsg {
	int fd;
	char lines[4096];		/* the kept records, one per line */
	size_t len;
	int follow;			/* records still kept after an error line */
	char reason[128];		/* from "BPF scheduler "X" disabled (REASON)" */
	char message[512];		/* from "sched_ext: X: MESSAGE" after it */
	char ops[64];			/* X */
};

void sched_kmsg__open(struct sched_kmsg *k);
/* Read every pending record; returns true when a "disabled (" line arrived. */
bool sched_kmsg__poll(struct sched_kmsg *k);
/*
 * Did the kernel end it (an error, a stall, SysRq-S, BPF or the kernel
 * unregistering it), rather than its process exiting ("unregistered from
 * user space")?
 */
bool sched_kmsg__kernel_exit(const struct sched_kmsg *k);
/* Forget what was collected (a stop asked for); go on reading from here. */
void sched_kmsg__forget(struct sched_kmsg *k);
/* Parse one record's text (exposed for tests). */
void sched_kmsg__line(struct sched_kmsg *k, const char *text, bool error_level);
void sched_kmsg__close(struct sched_kmsg *k);

#endif
