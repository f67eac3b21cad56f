// SPDX-License-Identifier: GPL-2.0
/* Kernel, agent, backend, accelerator and thresholds for commands that boot VMs. */
#include "run_setup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#include "cli.h"
#include "base/fsutil.h"
#include "kernel/kernel_cache.h"
#include "cmd.h"
#include "base/units.h"
#include "run/run_variant.h"
#include "run/vmm_select.h"
#include "run/work_override.h"

void run_setup__init(struct run_setup *s, struct run_opts *ro)
{
	memset(s, 0, sizeof(*s));
	s->vmm_auto = true;
	memset(ro, 0, sizeof(*ro));
	ro->accel = VM_ACCEL_AUTO;
	ro->tcg_threads = VM_TCG_AUTO;
	ro->work_type = -1;
	ro->kernel_static_keys = -ENOENT;	/* unknown until the kernel is found */
}

void run_setup__free(struct run_setup *s)
{
	free(s->kernels);
	s->kernels = NULL;
	s->nkernels = 0;
}

static int parse_accel(const char *s, enum vm_accel *a)
{
	if (!strcmp(s, "tcg"))
		*a = VM_ACCEL_TCG;
	else if (!strcmp(s, "kvm"))
		*a = VM_ACCEL_KVM;
	else if (!strcmp(s, "auto"))
		*a = VM_ACCEL_AUTO;
	else
		return -1;
	return 0;
}

int run_setup__option(struct run_setup *s, struct run_opts *ro, int c, const char *arg,
		      const char *cmd)
{
	char err[256];
	long n;

	switch (c) {
	case RUN_OPT_KERNEL: {
		const char **k = realloc(s->kernels, (s->nkernels + 1) * sizeof(*k));

		if (!k) {
			fprintf(stderr, "ktstr %s: out of memory\n", cmd);
			return -1;
		}
		s->kernels = k;
		s->kernels[s->nkernels++] = arg;
		return 1;
	}
	case RUN_OPT_VMM:
		if (!strcmp(arg, "kvm")) {
			ro->backend = VM_BACKEND_VMM;
			s->vmm_auto = false;
		} else if (!strcmp(arg, "qemu")) {
			ro->backend = VM_BACKEND_QEMU;
			s->vmm_auto = false;
		} else if (!strcmp(arg, "auto")) {
			s->vmm_auto = true;
		} else {
			fprintf(stderr, "ktstr %s: --vmm takes qemu, kvm or auto\n", cmd);
			return -1;
		}
		return 1;
	case RUN_OPT_ACCEL:
		if (parse_accel(arg, &ro->accel)) {
			fprintf(stderr, "ktstr %s: --accel takes tcg, kvm or auto\n", cmd);
			return -1;
		}
		return 1;
	case RUN_OPT_THRESHOLDS:
		if (threshold_profile__parse(arg, &ro->thresholds)) {
			fprintf(stderr, "ktstr %s: --thresholds takes default or tcg\n", cmd);
			return -1;
		}
		s->thresholds_given = true;
		return 1;
	case RUN_OPT_DURATION:
		if (units__parse_duration(arg, &ro->duration_ns, err, sizeof(err))) {
			fprintf(stderr, "ktstr %s: --duration: %s\n", cmd, err);
			return -1;
		}
		if (!ro->duration_ns) {
			fprintf(stderr, "ktstr %s: --duration: must be greater than 0\n", cmd);
			return -1;
		}
		return 1;
	case RUN_OPT_WORKERS:
		if (cli__parse_uint("--workers", arg, 1, 4096, &n))
			return -1;
		ro->workers = (uint32_t)n;
		return 1;
	case RUN_OPT_TIMEOUT:
		if (cli__parse_uint("--timeout", arg, 1, 86400, &n))
			return -1;
		ro->timeout_s = (uint32_t)n;
		return 1;
	case RUN_OPT_MODULES:
		ro->modules_dir = arg;
		return 1;
	case RUN_OPT_WORK_TYPE:
		return work_override__parse(arg, &ro->work_type, cmd) ? -1 : 1;
	case RUN_OPT_TCG_THREADS:
		if (tcg_threads__parse(arg, &ro->tcg_threads)) {
			fprintf(stderr, "ktstr %s: --tcg-threads takes single, multi or auto\n", cmd);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

int run_setup__kernel(const char *arg, struct kfind_result *kr, const char *cmd)
{
	struct kfind_opts ko = { .kernel = arg };
	char err[1024];

	if (kernel_find(&ko, kr, err, sizeof(err))) {
		fprintf(stderr, "ktstr %s: %s\n", cmd, err);
		return EXIT_USAGE;
	}
	if (kr->warning[0])
		fprintf(stderr, "ktstr %s: %s\n", cmd, kr->warning);
	return 0;
}

/*
 * A KVM whose guests run kernel code slower than hardware (nested KVM on TCG
 * runs the probe's loop at about 5 ns, bare metal under 1.3 ns) schedules like TCG:
 * judge with the tcg thresholds, and say so.
 */
static enum threshold_profile thresholds_for_kvm(const struct vmm_probe_result *probed)
{
	struct vmm_probe_result mine;
	const struct vmm_probe_result *r = probed;
	char err[256];

	if (!r) {
		if (vmm_probe__cpl0_speed(&mine, err, sizeof(err)))
			return THRESHOLDS_DEFAULT;	/* the run will say why KVM fails */
		r = &mine;
	}
	if (r->native)
		return THRESHOLDS_DEFAULT;
	fprintf(stderr, "ktstr: this KVM runs guest kernel code at %.1f ns per loop, slower than "
		"hardware (under %.1f ns; nested KVM?): checks use the tcg thresholds "
		"(--thresholds default to override)\n", r->ns_per_iter, VMM_PROBE_NATIVE_NS);
	return THRESHOLDS_TCG;
}

int run_setup__resolve(struct run_setup *s, struct run_opts *ro, const char *cmd)
{
	const struct vmm_probe_result *probed = NULL;
	struct vmm_select sel;
	char err[1024];

	if (run__find_agent(s->agent, sizeof(s->agent), err, sizeof(err))) {
		fprintf(stderr, "ktstr %s: %s\n", cmd, err);
		return EXIT_USAGE;
	}
	ro->agent = s->agent;
	if (!s->vmm_auto && ro->backend == VM_BACKEND_VMM) {
		/* The in-process VMM is KVM: --accel is qemu's and does not apply. */
		ro->accel = VM_ACCEL_KVM;
	} else if (ro->accel == VM_ACCEL_AUTO) {
		vmm_select__auto(&sel);
		if (!sel.probe_ret)
			probed = &sel.probe;
		ro->accel = sel.accel;
		ro->backend = s->vmm_auto ? sel.backend : VM_BACKEND_QEMU;
		if (sel.notice || ro->verbose)
			fprintf(stderr, "ktstr: %s\n", sel.reason);
	}
	if (!s->thresholds_given)
		ro->thresholds = ro->accel == VM_ACCEL_KVM ? thresholds_for_kvm(probed) :
			THRESHOLDS_TCG;
	return 0;
}

void run_setup__kernel_label(const char *arg, const struct kfind_result *kr, char *buf, size_t len)
{
	struct kcache_key k;
	char tmp[PATH_MAX], *b;

	if (kr->key[0] && !kernel_cache__key_parse(kr->key, &k)) {
		snprintf(buf, len, "%s", k.version);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s", arg ? arg : kr->image);
	while (strlen(tmp) > 1 && tmp[strlen(tmp) - 1] == '/')
		tmp[strlen(tmp) - 1] = '\0';
	b = strrchr(tmp, '/');
	fsutil__fmt(buf, len, "%s", b ? b + 1 : tmp);
}
