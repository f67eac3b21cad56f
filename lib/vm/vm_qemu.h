/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The qemu backend's command line, separate from running it so the tests can
 * check it exactly. Not for callers: they use lib/vm/vm.h.
 */
#ifndef KTSTR_VM_QEMU_H
#define KTSTR_VM_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/tmpdir.h"
#include "vm.h"
#include "vm_backend.h"

/* The host-side sockets in the VM's temporary directory, one per chardev. */
enum vm_qemu_sock {
	VM_QSOCK_COM1 = 0,
	VM_QSOCK_COM2,
	VM_QSOCK_RESULTS,
	VM_QSOCK_CONTROL,
	VM_QSOCK_SCHED,
	VM_QSOCK_QMP,
	VM_QSOCK__NR,
};

/* The chardev id and socket file name ("<id>.sock") of @s. */
const char *vm_qemu__sock_id(enum vm_qemu_sock s);

/*
 * opts.share_ram: NUMA node n's RAM is the memfd qemu finds at fd
 * VM_QEMU_RAM_FD0 + n (mem-path=/proc/self/fd/N; the child dups them there).
 */
#define VM_QEMU_RAM_FD0		3
#define VM_QEMU_MAX_NODES	64

struct vm_qemu_argv {
	char **argv;		/* NULL-terminated */
	size_t argc, cap;
};

/*
 * The memory of NUMA node @node of @nodes when the VM has @total_mb: an even
 * split in multiples of 2 MiB, the last node taking the rest of the even
 * total. vm_qemu__mem_total() is what -m gets: @total_mb, rounded down to
 * 2 MiB when there is more than one node.
 */
uint32_t vm_qemu__node_mem(uint32_t total_mb, uint32_t nodes, uint32_t node);
uint32_t vm_qemu__mem_total(uint32_t total_mb, uint32_t nodes);

/*
 * The largest APIC ID qemu gives @t's CPUs: thread, core and socket fields
 * each rounded up to a power of two (dies = 1). QEMU 7.2 needs x2APIC, which
 * its TCG does not have, once this reaches 255.
 */
uint32_t vm_qemu__max_apic_id(const struct topology *t);
#define VM_QEMU_TCG_APIC_ID_MAX 254

/* vm__qemu_firmware() (vm.h) looks for VM_QEMU_QBOOT_NAME in <prefix>/share/qemu, then these. */
extern const char *const vm_qemu__bios_dirs[];
/* qboot.rom next to @qemu or in one of @dirs (NULL-terminated) into @out. */
bool vm_qemu__find_qboot(const char *qemu, const char *const *dirs, char *out, size_t cap);

/*
 * Build qemu's argv: @qemu is argv[0] (the resolved binary), @bios the
 * firmware file (-bios) or NULL for qemu's default, @accel is
 * VM_ACCEL_TCG or VM_ACCEL_KVM (resolved; opts->accel is not read), and
 * opts->tcg_threads says thread=multi (MULTI) or thread=single (AUTO or
 * SINGLE), @cmdline the kernel command line,
 * @sockdir the directory the chardev sockets are in. Returns 0 or a negative
 * errno with a message.
 */
int vm_qemu__argv(const struct vm_opts *opts, enum vm_accel accel, const char *qemu,
		  const char *bios, const char *cmdline, const char *sockdir,
		  struct vm_qemu_argv *out, char *err, size_t errlen);
void vm_qemu__argv_free(struct vm_qemu_argv *a);

/* The qemu backend's state (struct vm's priv). */
struct vm_qemu {
	pid_t pid;			/* -1 before spawning */
	int pidfd;			/* -1 when pidfd_open is missing: polled */
	bool reaped;
	int status;			/* wait status once reaped */
	int stop_why;			/* enum vm_exit we killed it for, or VM_EXIT_NONE */
	struct tmpdir tdir;		/* the sockets' directory; path "" once removed */
	int lfd[VM_QSOCK__NR];		/* listening sockets, -1 once accepted */
	int cfd[VM_QSOCK__NR];		/* connections from qemu, -1 at EOF */
	int accepted;
	int err_fd;			/* qemu's stdout and stderr */
	char qmp_line[512];
	size_t qmp_len;
	char shutdown_reason[32];	/* from QMP's SHUTDOWN event */
	bool panicked;			/* QMP GUEST_PANICKED */
	/* opts.share_ram (vm_qemu_ram.c): one memfd and read-only map per node. */
	unsigned int ram_nr;
	int ram_fd[VM_QEMU_MAX_NODES];
	const void *ram_map[VM_QEMU_MAX_NODES];
	uint64_t ram_len[VM_QEMU_MAX_NODES];
	uint64_t ram_low;		/* bytes of RAM q35 puts below 4 GiB */
	struct vm_qemu_mon *mon;	/* $KTSTR_MONITOR_DEBUG's sampler thread */
};

/* vm_qemu_ram.c: the guest's RAM shared with the host (opts.share_ram). */

/* Does this VM share its RAM (opts.share_ram, or $KTSTR_MONITOR_DEBUG set)? */
bool vm_qemu__share_ram(const struct vm_opts *opts);
/* Create, size and map the memfds; -errno with a message. */
int vm_qemu__ram_create(struct vm_qemu *q, const struct vm_opts *opts, char *err, size_t errlen);
/* Unmap and close them (idempotent). */
void vm_qemu__ram_free(struct vm_qemu *q);
int vm_qemu__guest_mem(struct vm *vm, struct gmem *m, char *err, size_t errlen);

/*
 * vm_qemu_mon.c: with $KTSTR_MONITOR_DEBUG=VMLINUX (or =1: the vmlinux next
 * to the kernel image), lib/monitor's sampler thread at 100 ms, one sample
 * a second logged to stderr, and once qemu is gone (vm_qemu__wait() stops
 * it; vm_qemu__mon_stop() is idempotent) the series judged with the
 * default limits and printed. A debugging aid; `ktstr run` does not use it.
 */
void vm_qemu__mon_start(struct vm *vm);
void vm_qemu__mon_stop(struct vm_qemu *q);

/* vm_qemu_loop.c: the event loop, and what it shares with the teardown. */

/* Remove the sockets and the directory (idempotent). */
void vm_qemu__rmdir(struct vm_qemu *q);
/* SIGKILL qemu unless reaped, remembering @why; idempotent. */
void vm_qemu__kill(struct vm_qemu *q, enum vm_exit why);
int vm_qemu__wait(struct vm *vm, struct vm_result *res);

/* Words the qemu backend adds to the kernel command line (none today). */
#define VM_QEMU_CMDLINE_WORDS NULL

#endif
