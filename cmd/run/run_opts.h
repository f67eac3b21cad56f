/* SPDX-License-Identifier: GPL-2.0 */
/* What a caller of run__variant decides for one VM: kernel, backend, overrides. */
#ifndef KTSTR_RUN_OPTS_H
#define KTSTR_RUN_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario/scheduler.h"
#include "verdict/checks.h"
#include "vm/vm.h"

struct run_shell;

struct run_opts {
	const char *kernel;		/* bzImage to boot */
	/*
	 * The same kernel as an ELF vmlinux with a PVH entry (CONFIG_PVH), or
	 * NULL. The qemu backend boots it instead: no decompression, and with
	 * qboot no BIOS either; about 0.4 s of every boot under TCG here.
	 */
	const char *kernel_elf;
	/* The kernel's ELF vmlinux (symbols, BTF) for the host-side monitor, or NULL. */
	const char *vmlinux;
	const char *agent;		/* the static ktstr-agent binary */
	enum vm_accel accel;
	enum threshold_profile thresholds;
	uint64_t duration_ns;		/* 0: the scenario's */
	uint32_t workers;		/* 0: the scenario's */
	/*
	 * --work-type: the enum work_type that replaces the work of groups
	 * marked swappable (plan_opts.work_type_override); -1 = none. Set it
	 * to -1 wherever run_opts are made (run_setup__init does).
	 */
	int work_type;
	uint32_t timeout_s;		/* 0: 60 s + the duration */
	bool verbose;			/* kernel loglevel 7, agent log lines printed */
	const char *results_dir;	/* non-NULL: keep the whole console in res->console_log */
	enum vm_backend backend;	/* qemu (with @accel) or the in-process VMM */
	flag_mask profile;		/* the scheduler's active flags (gauntlet); 0 = none */
	const char *kernel_label;	/* for reports and JSON: version or cache key */
	const char *modules_dir;	/* a modular kernel's modules; NULL: find them */
	enum vm_tcg_threads tcg_threads;	/* --tcg-threads; AUTO: run_opts__tcg_threads() */
	/*
	 * kernel_find__static_keys() of @kernel's vmlinux: 1 it patches static
	 * keys (jump labels), 0 it does not, <0 unknown (no vmlinux). Set it
	 * with @kernel: 0 would let --tcg-threads auto pick multi.
	 */
	int kernel_static_keys;
	/* ktstr verifier: the agent reports the loaded BPF programs (run_result.bpf). */
	bool bpf_progs;
	/* ktstr shell (run_shell.h): busybox instead of the steps; NULL: a scenario run. */
	struct run_shell *shell;
};

/*
 * TCG's vCPU threads for --tcg-threads @asked and a kernel whose
 * kernel_find__static_keys() is @static_keys: @asked unless VM_TCG_AUTO;
 * under auto VM_TCG_MULTI when the kernel patches no static keys (0), else
 * VM_TCG_SINGLE (lib/vm/vm.h, enum vm_tcg_threads, says why). Never AUTO.
 */
enum vm_tcg_threads tcg_threads__pick(enum vm_tcg_threads asked, int static_keys);

/*
 * Why tcg_threads__pick() picks what it does: "--tcg-threads single", "the
 * kernel patches no static keys", "the kernel patches static keys:
 * CONFIG_JUMP_LABEL", "no vmlinux to tell whether the kernel patches static
 * keys", ...
 */
const char *tcg_threads__why(enum vm_tcg_threads asked, int static_keys);

/* "single", "multi", "auto" */
const char *tcg_threads__name(enum vm_tcg_threads t);

/* "single", "multi", "auto" into @t: 0, or -1 for anything else. */
int tcg_threads__parse(const char *s, enum vm_tcg_threads *t);

/*
 * A VM's hard timeout in seconds: --timeout, else 60 + the scenario's
 * duration, plus under TCG 2 s per vCPU of @t: TCG boots a 128-vCPU guest
 * on 2 idle host cores in 55-65 s (a 4-vCPU one in 1.5 s), and a 128-vCPU
 * variant took 184 s in all beside another VM.
 */
uint32_t run_opts__timeout_s(const struct run_opts *o, const struct topology *t,
			     uint64_t duration_ns);

/* tcg_threads__pick(o->tcg_threads, o->kernel_static_keys) */
enum vm_tcg_threads run_opts__tcg_threads(const struct run_opts *o);

/*
 * The backend @o boots with, for the report: "the in-process VMM", "qemu
 * with KVM", "qemu with multi-threaded TCG (the kernel patches no static
 * keys)", ...
 */
void run_opts__describe_vm(const struct run_opts *o, char *buf, size_t len);

#endif
