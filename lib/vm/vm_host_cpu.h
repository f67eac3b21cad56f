/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host CPU a VM's threads got (vm_host_cpu.c): /proc/<tid>/schedstat
 * read, checked and summed. vm.h has the API (vm__host_cpu()); the pieces
 * are here for the qemu backend (its thread list) and the tests.
 */
#ifndef KTSTR_VM_HOST_CPU_H
#define KTSTR_VM_HOST_CPU_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vm.h"

/* Threads vm__host_cpu() sums at most (qemu with 252 vCPUs has more than 252). */
#define VM_HOST_CPU_THREADS_MAX	512u

/*
 * One /proc/<tid>/schedstat: "<run ns> <wait ns> <timeslices>\n" (the
 * kernel's Documentation/scheduler/sched-stats.rst). Three or more decimal
 * fields separated by blanks, an optional '\n', nothing else; the fields
 * after the second are checked and ignored. 0 with *@run and *@wait set;
 * -EINVAL for anything else (empty, a missing field, a sign, garbage),
 * -ERANGE for a field past UINT64_MAX. Pure.
 */
int vm_host_cpu__parse(const char *text, uint64_t *run, uint64_t *wait);

/*
 * Sum /proc/<tid>/schedstat over @tids (entries <= 0 skipped) into @out
 * (saturating). A thread that is gone (it exited) is skipped. 0 when at
 * least one was read; -ENOENT when none was (all gone, or @n == 0);
 * -ENOTSUP when /proc/<tid> exists without schedstat (CONFIG_SCHED_INFO
 * off); -EINVAL or -ERANGE when a schedstat does not parse; another -errno
 * when one cannot be read.
 */
int vm_host_cpu__sum(const pid_t *tids, size_t n, struct vm_host_cpu *out);

/*
 * The threads of process @pid (/proc/<pid>/task/), at most @cap of them,
 * into @tids. Returns how many were written; 0 when @pid is gone or <= 0.
 */
size_t vm_host_cpu__tasks(pid_t pid, pid_t *tids, size_t cap);

/*
 * qemu's name for a vCPU thread (-name debug-threads=on), as /proc's comm
 * has it: "CPU <i>/TCG" or "CPU <i>/KVM" (1 with *@idx = i), "ALL CPUs/TCG"
 * (thread=single: 2), anything else 0. Pure.
 */
#define VM_VCPU_COMM_ONE	1
#define VM_VCPU_COMM_ALL	2
int vm_host_cpu__vcpu_comm(const char *comm, uint32_t *idx);

/*
 * The vCPU threads of qemu process @pid by their names: @tids[i] for guest
 * CPU i, 0 when not found; with one "ALL CPUs" thread it in every entry.
 * Returns how many entries are set.
 */
size_t vm_host_cpu__qemu_vcpus(pid_t pid, pid_t *tids, uint32_t n);

#endif
