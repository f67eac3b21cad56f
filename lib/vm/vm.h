/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Room lib/vm: the backend-independent VM API (this header; the life cycle
 * in vm_lifecycle.c, the kernel command line in vm_cmdline.c), the contract
 * with its backends (vm_backend.h) and the qemu backend (vm_qemu*.c). The
 * in-process VMM in vmm/ registers itself through the same backend table.
 * It may include lib/base, lib/topo, lib/wire and lib/monitor (guest_mem.h).
 */

/*
 * The VM backend interface: boot a kernel and an initramfs with a topology
 * and an amount of memory, hand back the bytes of the guest's ports and
 * serial lines, let the host write to the control port and the console, and
 * say how the VM ended. Two backends implement it: qemu (lib/vm/vm_qemu*.c,
 * qemu-system-x86_64 as a child process) and the in-process KVM VMM
 * (vmm/vm_vmm*.c, registered by vm_vmm__register() in programs that link
 * vmm/).
 *
 * Life cycle: vm__start() -> vm__wait() -> vm__free(). vm__wait() runs the
 * VM's event loop in the calling thread; every callback runs there too. Call
 * vm__start() and vm__wait() from the same thread, and keep that thread
 * alive until vm__wait() returns: the qemu child is tied to it with
 * PR_SET_PDEATHSIG, so it is killed if ktstr dies, even by SIGKILL.
 * vm__kill(), vm__write_control() and vm__write_console() may be called from
 * any thread.
 */
#ifndef KTSTR_VM_H
#define KTSTR_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "topo/topology.h"

enum vm_backend {
	VM_BACKEND_QEMU = 0,
	VM_BACKEND_VMM = 1,	/* the in-process KVM VMM (vmm/vm_vmm.h): -ENOSYS
				 * unless the program registered it */
};

enum vm_accel {
	VM_ACCEL_AUTO = 0,	/* kvm when /dev/kvm opens read-write, else tcg */
	VM_ACCEL_TCG = 1,	/* -accel tcg,thread=... -cpu max,la57=off */
	VM_ACCEL_KVM = 2,	/* -accel kvm -cpu host */
};

/*
 * TCG's vCPU threads. MULTI (a host thread per vCPU) races in QEMU 7.2 here
 * with kernels that flip static keys by patching their text
 * (CONFIG_JUMP_LABEL=y): 2 of 21 boots with 4 vCPUs and 1 of 20 with 2 vCPUs
 * died in "Oops: int3" where the kernel flips a static key (a vCPU ran a
 * stale translation of the int3 that text_poke_bp() had already removed),
 * and scheduler attach flips static keys too. SINGLE never did (0 of 16),
 * and booted as fast on this loaded 2-core host: 2 vCPUs 4.1 s against
 * 4.2 s, 4 vCPUs 4.7 s against 4.9 s (means to power-off). So AUTO here is
 * SINGLE. A kernel without jump labels patches no text there: with the lean
 * kernel (no CONFIG_JUMP_LABEL) 30 of 30 scx attach/detach runs with 4
 * vCPUs under MULTI were clean. So `ktstr run` and `ktstr gauntlet` pick
 * MULTI for a kernel whose vmlinux has no static keys
 * (kernel_find__static_keys() == 0), SINGLE otherwise (cmd/run/run_opts.h,
 * --tcg-threads).
 */
enum vm_tcg_threads {
	VM_TCG_AUTO = 0,	/* SINGLE, see above */
	VM_TCG_MULTI = 1,	/* -accel tcg,thread=multi */
	VM_TCG_SINGLE = 2,	/* -accel tcg,thread=single */
};

/* The byte streams a VM produces. */
enum vm_chan {
	VM_CHAN_CONSOLE = 0,	/* COM1, ttyS0: the kernel console */
	VM_CHAN_COM2 = 1,	/* COM2, ttyS1: the agent's line fallback */
	VM_CHAN_RESULTS = 2,	/* virtio port KTSTR_PORT_RESULTS: frames */
	VM_CHAN_SCHED = 3,	/* virtio port KTSTR_PORT_SCHED: scheduler output */
	VM_CHAN_STDERR = 4,	/* the backend's own diagnostics (qemu's stderr) */
	VM_CHAN__NR,
};

struct vm;

/* Called in vm__wait()'s thread for every chunk read from @chan. */
typedef void (*vm_data_fn)(void *arg, enum vm_chan chan, const void *data, size_t len);

#define VM_CONSOLE_RING_DEFAULT	(256u << 10)	/* last 256 KiB of COM1 kept */
#define VM_COM2_RING		(64u << 10)
#define VM_STDERR_RING		(16u << 10)
#define VM_CMDLINE_MAX		2048		/* x86 COMMAND_LINE_SIZE, NUL included */
/* The hard timeout a scenario VM gets: this plus the scenario's duration. */
#define VM_TIMEOUT_BASE_MS	60000u
/* The soft deadline comes this long before the hard one. */
#define VM_SOFT_TIMEOUT_MARGIN_MS 3000u

struct vm_opts {
	enum vm_backend backend;
	enum vm_accel accel;
	struct topology topo;		/* validated by vm__start() */
	uint32_t memory_mb;		/* split evenly over NUMA nodes, 2 MiB each */
	const char *kernel;		/* bzImage, or an ELF vmlinux with a PVH note
					 * (CONFIG_PVH): qemu enters that directly, no
					 * decompression, 1-2 s sooner under TCG here */
	const char *initramfs;		/* cpio (optionally compressed); NULL: none */
	const char *const *cmdline_extra; /* NULL-terminated words appended; may be NULL */
	bool verbose;			/* earlyprintk=serial loglevel=7, not loglevel=1 */
	uint32_t timeout_ms;		/* hard limit from start; 0: none. The caller
					 * picks it: 60 s + the scenario's duration */
	vm_data_fn on_data;		/* may be NULL */
	void *arg;			/* passed to on_data */
	const char *console_path;	/* tee the full console here; NULL: don't */
	size_t console_ring;		/* bytes of console kept; 0: default 256 KiB */
	const char *qemu;		/* qemu binary (path or name in PATH); NULL:
					 * $KTSTR_QEMU or qemu-system-x86_64 */
	/*
	 * The soft deadline: called once in vm__wait()'s thread at timeout_ms
	 * - 3 s when timeout_ms > 5 s, so the caller can ask the guest to
	 * wrap up (KTSTR_MSG_SHUTDOWN through vm__write_control()) and get its
	 * last reports before the hard kill. NULL: none.
	 */
	void (*on_soft_timeout)(void *arg, struct vm *vm);
	enum vm_tcg_threads tcg_threads;	/* TCG only */
	/*
	 * Back the guest's RAM with memory the host can read while the guest
	 * runs (the monitor, #19: vm__guest_mem()). qemu: a memfd per NUMA
	 * node given to qemu as memory-backend-file,share=on and mapped
	 * read-only here; it has no name, so nothing is left behind when the
	 * VM ends, however it ends. Also forced on by $KTSTR_MONITOR_DEBUG.
	 * The in-process VMM's RAM is always readable: it ignores this.
	 */
	bool share_ram;
};

enum vm_exit {
	VM_EXIT_NONE = 0,	/* still running (vm__wait() not returned) */
	VM_EXIT_POWEROFF,	/* the guest powered off */
	VM_EXIT_RESET,		/* the guest reset or rebooted (no panic on the console) */
	VM_EXIT_CRASH,		/* the guest kernel panicked ("Kernel panic" on COM1) */
	VM_EXIT_TIMEOUT,	/* killed at opts.timeout_ms */
	VM_EXIT_KILLED,		/* killed by vm__kill() */
	VM_EXIT_INTERRUPTED,	/* killed because ktstr caught SIGINT/SIGTERM/SIGHUP */
	VM_EXIT_BACKEND_ERROR,	/* qemu failed (nonzero exit), or the VMM's KVM
				 * failed: see VM_CHAN_STDERR */
	VM_EXIT_BACKEND_SIGNAL,	/* qemu died of a signal nobody here sent */
};

struct vm_result {
	enum vm_exit exit;
	int status;		/* BACKEND_ERROR: exit status; *_SIGNAL, INTERRUPTED: signal */
	uint64_t wall_ms;	/* from vm__start() to the end */
	char reason[32];	/* the backend's word for it, e.g. qemu's "guest-shutdown",
				 * the VMM's "powered off" */
};

struct gmem;

/*
 * The guest's RAM as the host sees it (lib/monitor/guest_mem.h): for qemu
 * when started with opts.share_ram, for the in-process VMM always (its RAM
 * is this process's), once vm__start() returned; valid until vm__free().
 * -EOPNOTSUPP with a message otherwise.
 */
int vm__guest_mem(struct vm *vm, struct gmem *m, char *err, size_t errlen);

/* "powered off", "reset", "crashed", "timed out", "killed", ... */
const char *vm_exit__str(enum vm_exit e);

/*
 * Check @opts, create the VM and start it. On error returns a negative errno
 * and a message in @err saying what failed and what to do (-ENOENT with
 * "install qemu-system-x86" when qemu is missing).
 */
int vm__start(const struct vm_opts *opts, struct vm **out, char *err, size_t errlen);
/*
 * Run the VM's event loop until it ends; fill @res. Returns 0 (however the
 * guest ended: see res->exit), or a negative errno when the loop itself
 * failed (the VM is killed then too).
 */
int vm__wait(struct vm *vm, struct vm_result *res);
/* Queue bytes for the control port; sent as the guest reads. -ENOBUFS past 1 MiB queued. */
int vm__write_control(struct vm *vm, const void *data, size_t len);
/*
 * Queue bytes for the console's receiver (COM1, the guest's ttyS0: what a
 * user types on the console), handed to the UART as the guest takes them
 * (ktstr shell). -ENOBUFS past 1 MiB queued; dropped when the VM ends.
 */
int vm__write_console(struct vm *vm, const void *data, size_t len);
/* Kill the VM now; vm__wait() returns VM_EXIT_KILLED. Safe from any thread. */
void vm__kill(struct vm *vm);
/* Kill the VM if it still runs, reap it, remove its temporary files, free it. */
void vm__free(struct vm *vm);

/*
 * The last @nlines lines kept of @chan (CONSOLE, COM2 or STDERR; '\r' dropped),
 * NUL-terminated in @buf. Returns the length.
 */
size_t vm__tail(const struct vm *vm, enum vm_chan chan, unsigned int nlines,
		char *buf, size_t cap);
/*
 * The firmware the qemu backend boots with (-bios): $KTSTR_QEMU_BIOS when set
 * ("": qemu's default, SeaBIOS), else qboot.rom when @qemu (a resolved path)
 * has it, else NULL: qemu's default. The path is in @buf or the environment.
 */
const char *vm__qemu_firmware(const char *qemu, char *buf, size_t cap);
#define VM_QEMU_QBOOT_NAME "qboot.rom"
/*
 * How many console lines a report should show: @nlines, or more (up to 120)
 * so that a kernel crash report (panic, oops, BUG) is shown from its first
 * line rather than cut to its registers.
 */
unsigned int vm__console_lines(const struct vm *vm, unsigned int nlines);
/*
 * A failure report: "VM <how it ended> after 12.34 s (<reason>)", then the
 * last vm__console_lines(@nlines) of the console, and for a backend failure
 * the last @nlines of its stderr.
 * NUL-terminated in @buf; returns the length (truncated to fit).
 */
size_t vm__report(const struct vm *vm, const struct vm_result *res, unsigned int nlines,
		  char *buf, size_t cap);
/* The backend's process id (qemu's), or -1 (the VMM runs in this process). */
pid_t vm__pid(const struct vm *vm);
/* The backend's temporary directory (qemu's sockets), or NULL (removed, or the VMM). */
const char *vm__tmpdir(const struct vm *vm);

/* Host CPU a VM's threads used and waited for, cumulative since they started. */
struct vm_host_cpu {
	uint64_t run_ns;	/* on a host CPU (sum over the threads) */
	uint64_t wait_ns;	/* runnable, waiting for a host CPU (the guest's steal) */
	unsigned threads;	/* threads summed */
};
/*
 * Sample @vm's threads from /proc/<tid>/schedstat: qemu's every thread
 * (/proc/<pid>/task/), the in-process VMM's vCPU threads. 0, or -errno
 * (-ENOENT: the backend is gone or has no threads yet; -ENOTSUP: schedstat
 * missing, CONFIG_SCHED_INFO off on the host).
 *
 * Call it where vm__wait() runs (its callbacks, or before or after it),
 * between vm__start() and vm__free(). A window's share is the difference of
 * two samples. A thread that exits takes its time with it (qemu's short-lived
 * worker threads do), so clamp a difference at 0; the vCPU threads, which
 * carry nearly all of it, live as long as the VM. At most 512 threads are
 * summed. Once the VM has ended (qemu reaped, the VMM's vCPU threads
 * joined) it is -ENOENT: sample before vm__wait() returns.
 */
int vm__host_cpu(const struct vm *vm, struct vm_host_cpu *out);

/*
 * Each vCPU's host CPU time, for the monitor's stall check (#19): @ns[i] =
 * the ns guest CPU i's host thread has run, cumulative (its schedstat).
 * Any thread (the monitor's sampler calls it), between vm__start() and
 * vm__free() (stop such a thread before vm__free()); the threads are
 * looked up until all are there, then their schedstat files stay open, so
 * a thread gone is never mistaken for another that got its id. Returns 0 when all @n (at most the VM's vCPUs)
 * are known; VM_VCPU_HOST_SHARED when one host thread runs every vCPU
 * (qemu's thread=single TCG): each @ns[i] is then that thread's time, no
 * vCPU's own; -ENOENT while the threads are not all there, or once gone;
 * -EOPNOTSUPP when the backend cannot name its vCPU threads; -ENOTSUP
 * without the host's schedstat; -EINVAL for @n 0 or above the vCPUs.
 */
#define VM_VCPU_HOST_SHARED	1
int vm__vcpu_host_ns(struct vm *vm, uint64_t *ns, uint32_t n);

/*
 * The kernel command line for @opts: the base words both backends use, then
 * @backend_words (may be NULL), then opts->cmdline_extra. Returns the length,
 * or -E2BIG (with a message) when it exceeds VM_CMDLINE_MAX - 1.
 */
int vm__cmdline(const struct vm_opts *opts, const char *backend_words,
		char *buf, size_t cap, char *err, size_t errlen);

/*
 * Catch SIGINT, SIGTERM and SIGHUP: every running vm__wait() then kills its
 * VM, removes its temporary files and returns VM_EXIT_INTERRUPTED with the
 * signal; the caller should clean up and exit (128 + signal). Returns 0 or
 * -errno. vm__signal_caught() is the first signal caught, or 0.
 */
int vm__signals_catch(void);
int vm__signal_caught(void);

#endif
