/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every command that boots VMs decides before the first one: the
 * kernel(s), the guest agent, the backend and accelerator, the threshold
 * profile, and the per-VM overrides (--duration, --workers, --timeout,
 * --modules, --work-type). Shared by `ktstr run` and `ktstr gauntlet`.
 */
#ifndef KTSTR_RUN_SETUP_H
#define KTSTR_RUN_SETUP_H

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "kernel/kernel_find.h"
#include "run/run_opts.h"

/* getopt_long values: above cli.h's and below outputs.h's (512). */
enum { RUN_OPT_KERNEL = 384, RUN_OPT_VMM, RUN_OPT_ACCEL, RUN_OPT_THRESHOLDS, RUN_OPT_DURATION,
       RUN_OPT_WORKERS, RUN_OPT_TIMEOUT, RUN_OPT_MODULES, RUN_OPT_TCG_THREADS,
       RUN_OPT_WORK_TYPE };

#define RUN_SETUP_LONGOPTS \
	{ "kernel", required_argument, NULL, RUN_OPT_KERNEL }, \
	{ "vmm", required_argument, NULL, RUN_OPT_VMM }, \
	{ "accel", required_argument, NULL, RUN_OPT_ACCEL }, \
	{ "thresholds", required_argument, NULL, RUN_OPT_THRESHOLDS }, \
	{ "duration", required_argument, NULL, RUN_OPT_DURATION }, \
	{ "workers", required_argument, NULL, RUN_OPT_WORKERS }, \
	{ "timeout", required_argument, NULL, RUN_OPT_TIMEOUT }, \
	{ "modules", required_argument, NULL, RUN_OPT_MODULES }, \
	{ "tcg-threads", required_argument, NULL, RUN_OPT_TCG_THREADS }, \
	{ "work-type", required_argument, NULL, RUN_OPT_WORK_TYPE }

/* The --help lines of the options above except --kernel (commands word it). */
#define RUN_SETUP_USAGE \
	"  --vmm qemu|kvm|auto  VM backend: qemu, or kvm, the in-process VMM on /dev/kvm\n" \
	"                     (needs a KVM that runs guest kernels at hardware speed; see\n" \
	"                     ktstr doctor). Default auto: kvm when a tiny CPL0 loop\n" \
	"                     timed in a throw-away VM runs at hardware speed, else qemu\n" \
	"                     with TCG, with a notice saying why\n" \
	"  --accel tcg|kvm|auto qemu accelerator (default auto: kvm at hardware speed, else\n" \
	"                     tcg); given with --vmm auto, it means qemu\n" \
	"  --tcg-threads single|multi|auto\n" \
	"                     TCG's vCPU threads: a host thread per vCPU (multi) or one\n" \
	"                     for all (single). Default auto: multi when the kernel\n" \
	"                     patches no static keys (no CONFIG_JUMP_LABEL), else single\n" \
	"  --thresholds default|tcg  check threshold profile (default: tcg under TCG)\n" \
	"  --duration D       override every scenario's duration (e.g. 3s)\n" \
	"  --workers N        override the default workers per group\n" \
	"  --work-type TYPE   run work type TYPE (cpu-spin, futex-ping-pong, ... see\n" \
	"                     ktstr-scenario(5)) in every group marked 'swappable: true'\n" \
	"                     instead of its own work\n" \
	"  --timeout S        hard limit per VM in seconds (default 60 + the duration,\n" \
	"                     + 2 per vCPU under TCG)\n" \
	"  --modules DIR      a modular kernel's modules (default: $KTSTR_MODULES_DIR, or\n" \
	"                     PREFIX/lib/modules/REL for an image PREFIX/boot/vmlinuz-REL);\n" \
	"                     the guest's virtio modules are loaded from there\n"

struct run_setup {
	const char **kernels;		/* every --kernel, in order */
	size_t nkernels;
	bool vmm_auto;			/* --vmm auto (the default) */
	bool thresholds_given;
	char agent[PATH_MAX];
};

/*
 * Defaults into @s and @ro (accel auto, vmm auto, tcg threads auto, the
 * kernel's static keys unknown, no --work-type).
 */
void run_setup__init(struct run_setup *s, struct run_opts *ro);
void run_setup__free(struct run_setup *s);

/*
 * Take option @c when it is one of RUN_SETUP_LONGOPTS: returns 1, or -1
 * after printing "ktstr CMD: ..." for a bad value; 0 when @c is not one.
 */
int run_setup__option(struct run_setup *s, struct run_opts *ro, int c, const char *arg,
		      const char *cmd);

/*
 * Find the kernel named by @arg (NULL: $KTSTR_KERNEL, the cache, /boot) and
 * print its warning, if any. Returns 0, or EXIT_USAGE after printing why.
 */
int run_setup__kernel(const char *arg, struct kfind_result *kr, const char *cmd);

/*
 * The kernel's short label for names, reports and JSON: its version when it
 * is a cache entry ("6.12.117"), else the file or tree name @arg names.
 */
void run_setup__kernel_label(const char *arg, const struct kfind_result *kr, char *buf,
			     size_t len);

/*
 * Find the agent (ro->agent), pick the backend and accelerator (--vmm /
 * --accel auto: time the CPL0 probe, say so when it is not the obvious
 * choice), and the threshold profile. Returns 0, or EXIT_USAGE after
 * printing why.
 */
int run_setup__resolve(struct run_setup *s, struct run_opts *ro, const char *cmd);

#endif
