// SPDX-License-Identifier: GPL-2.0
/* ktstr doctor: what this host offers ktstr, and which backend --vmm auto picks. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "base/fsutil.h"
#include "host_tool.h"
#include "base/json_out.h"
#include "kernel/kernel_find.h"
#include "run/run_opts.h"
#include "run/run_shell.h"
#include "run/run_variant.h"
#include "run/sched_find.h"
#include "run/vmm_select.h"

const char cmd_doctor_usage[] =
	"usage: ktstr doctor [OPTIONS]\n"
	"\n"
	"Report what this host offers ktstr: /dev/kvm (permissions, API version,\n"
	"capabilities), how fast its KVM runs guest kernel code (a CPL0 loop timed in a\n"
	"throw-away VM: hardware speed, or emulated as on nested and paravirtual KVMs),\n"
	"which backend 'ktstr run --vmm auto' uses and why, qemu-system-x86_64, the\n"
	"kernel 'ktstr kernel path' finds and the TCG threads it gets ('ktstr run\n"
	"--tcg-threads auto'), the guest agent, the bundled scheduler\n"
	"scx-ktstr (as a scenario's 'scheduler: scx-ktstr' would find it), busybox and\n"
	"iasl. One 'name: value' line each.\n"
	"\n"
	"Options:\n"
	"  --json             one JSON object instead\n"
	"  --kernel K         look for this kernel (default: as 'ktstr run' does)\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 when it could look (the report says what is missing), 2 on usage\n"
	"errors.\n";

enum { OPT_JSON = CLI_OPT_OWN, OPT_KERNEL };

struct doctor_tool {
	const char *name;	/* what the report calls it */
	const char *what;	/* what ktstr needs it for */
	int ret;		/* 0 found */
	char path[PATH_MAX];
	char version[256];
};

struct doctor {
	struct vmm_probe_dev dev;
	struct vmm_select sel;
	struct doctor_tool qemu, agent, scx_ktstr, busybox, iasl;
	int kret;
	struct kfind_result kr;
	char kerr[1024];
	const char *firmware;		/* qemu's -bios, or NULL: its default */
	char firmware_buf[PATH_MAX];
};

static void doctor__tool(struct doctor_tool *t, const char *name, const char *bin,
			 const char *arg, const char *what)
{
	t->name = name;
	t->what = what;
	t->ret = fsutil__which(bin, t->path, sizeof(t->path));
	if (!t->ret && host_tool__version(t->path, arg, t->version, sizeof(t->version)))
		t->version[0] = '\0';
}

/* "build/cmd/../bpf/x" -> "build/bpf/x", for the report. */
static void doctor__canonical(struct doctor_tool *t)
{
	char rp[PATH_MAX];

	if (!t->ret && realpath(t->path, rp))
		snprintf(t->path, sizeof(t->path), "%s", rp);
}

static void doctor__inspect(struct doctor *d, const char *kernel)
{
	struct kfind_opts ko = { .kernel = kernel };
	const char *qemu = getenv("KTSTR_QEMU");
	char err[1024];

	vmm_probe__dev(NULL, &d->dev);
	vmm_select__auto(&d->sel);
	doctor__tool(&d->qemu, "qemu", qemu && *qemu ? qemu : "qemu-system-x86_64", "--version",
		     "the qemu backend");
	d->firmware = vm__qemu_firmware(d->qemu.ret ? NULL : d->qemu.path, d->firmware_buf,
					sizeof(d->firmware_buf));
	/* ktstr shell packs it as the guest's /bin/busybox, found as it finds it. */
	doctor__tool(&d->busybox, "busybox", run_shell__busybox(), "--help", "ktstr shell");
	doctor__tool(&d->iasl, "iasl", "iasl", "-v", "the ACPI table tests (acpica-tools)");
	/* Found the way run finds them; no version to ask for. */
	d->agent = (struct doctor_tool){ .name = "agent", .what = "every run (reinstall ktstr)" };
	d->agent.ret = run__find_agent(d->agent.path, sizeof(d->agent.path), err, sizeof(err));
	d->scx_ktstr = (struct doctor_tool){ .name = "scx-ktstr",
					     .what = "scenarios with scheduler: scx-ktstr" };
	d->scx_ktstr.ret = sched_find("scx-ktstr", d->scx_ktstr.path, sizeof(d->scx_ktstr.path),
				      err, sizeof(err));
	doctor__canonical(&d->agent);
	doctor__canonical(&d->scx_ktstr);
	d->kret = kernel_find(&ko, &d->kr, d->kerr, sizeof(d->kerr));
}

static const char *doctor__cap_short(const char *name)
{
	return strncmp(name, "KVM_CAP_", 8) ? name : name + 8;
}

static void doctor__mode(mode_t m, char s[10])
{
	static const char rwx[] = "rwxrwxrwx";

	for (int i = 0; i < 9; i++)
		s[i] = m & (1u << (8 - i)) ? rwx[i] : '-';
	s[9] = '\0';
}

static void doctor__print_kvm(const struct doctor *d)
{
	const struct vmm_probe_dev *v = &d->dev;
	char mode[10];

	if (!v->present) {
		printf("kvm:           /dev/kvm missing (%s): load kvm_intel or kvm_amd; ktstr uses qemu with TCG\n",
		       strerror(v->open_errno));
		return;
	}
	doctor__mode(v->mode, mode);
	printf("kvm:           /dev/kvm %s%s %s:%s, ", v->is_chardev ? "c" : "?", mode, v->owner,
	       v->group);
	if (!v->open_errno)
		printf("opens read-write\n");
	else if (v->open_errno == EACCES || v->open_errno == EPERM)
		printf("permission denied: add yourself to the %s group (sudo usermod -aG %s $USER, then log in again)\n",
		       v->group, v->group);
	else
		printf("cannot open it: %s\n", strerror(v->open_errno));
	if (v->api_version < 0)
		return;
	printf("kvm api:       %d (vcpu mmap %d bytes, max vcpus %d)\n", v->api_version,
	       v->vcpu_mmap_size, v->max_vcpus);
	printf("kvm caps:      ");
	for (unsigned int i = 0; i < v->ncaps; i++)
		if (v->caps[i].value)
			printf("%s%s", i ? " " : "", doctor__cap_short(v->caps[i].name));
	if (!v->missing) {
		printf(" (all the in-process VMM needs)\n");
		return;
	}
	printf("; missing for the in-process VMM:");
	for (unsigned int i = 0; i < v->ncaps; i++)
		if (v->caps[i].needed && !v->caps[i].value)
			printf(" %s", doctor__cap_short(v->caps[i].name));
	putchar('\n');
}

static void doctor__print_tool(const struct doctor_tool *t)
{
	int pad = 13 - (int)strlen(t->name);

	if (t->ret)
		printf("%s:%*s not found (needed for %s)\n", t->name, pad, "", t->what);
	else
		printf("%s:%*s %s%s%s%s\n", t->name, pad, "", t->path, t->version[0] ? " (" : "",
		       t->version, t->version[0] ? ")" : "");
}

/* kfind_result.static_keys, or -ENOENT when no kernel was found. */
static int doctor__static_keys(const struct doctor *d)
{
	return d->kret ? -ENOENT : d->kr.static_keys;
}

static void doctor__print(const struct doctor *d)
{
	const struct vmm_probe_result *r = &d->sel.probe;

	doctor__print_kvm(d);
	if (d->sel.probe_ret)
		printf("cpl0 loop:     not measured: %s\n", d->sel.probe_err);
	else
		printf("cpl0 loop:     %.1f ns per iteration (%llu iterations, %u runs, entry and exit %.1f us, probe %.1f ms): %s (hardware speed under %.1f ns, usable under %.0f ns)\n",
		       r->ns_per_iter, (unsigned long long)r->iters, r->runs, r->base_ns / 1e3,
		       r->total_ns / 1e6,
		       vmm_probe__verdict(r), VMM_PROBE_NATIVE_NS, VMM_PROBE_HW_NS);
	printf("vmm auto:      %s: %s\n", vmm_select__name(&d->sel), d->sel.reason);
	doctor__print_tool(&d->qemu);
	if (d->firmware)
		printf("firmware:      %s%s\n", d->firmware,
		       getenv("KTSTR_QEMU_BIOS") ? " (KTSTR_QEMU_BIOS)" : "");
	else
		printf("firmware:      qemu's default (SeaBIOS)%s\n",
		       getenv("KTSTR_QEMU_BIOS") ? " (KTSTR_QEMU_BIOS is empty)" :
		       ": no " VM_QEMU_QBOOT_NAME " found; with it (Debian: qemu-system-data) "
		       "each boot is about 0.1 s shorter");
	if (d->kret)
		printf("kernel:        none: %s\n", d->kerr);
	else
		printf("kernel:        %s (from %s%s%s)%s%s\n", d->kr.image,
		       kfind_how__name(d->kr.how), d->kr.key[0] ? ", key " : "", d->kr.key,
		       d->kr.warning[0] ? ": " : "", d->kr.warning);
	if (!d->kret && d->kr.vmlinux_pvh)
		printf("boot image:    %s (ELF with a PVH entry: what the qemu backend boots)\n",
		       d->kr.vmlinux);
	/* What --tcg-threads auto picks for this kernel (none found: unknown, single). */
	printf("tcg threads:   %s (%s)\n",
	       tcg_threads__name(tcg_threads__pick(VM_TCG_AUTO, doctor__static_keys(d))),
	       tcg_threads__why(VM_TCG_AUTO, doctor__static_keys(d)));
	doctor__print_tool(&d->agent);
	doctor__print_tool(&d->scx_ktstr);
	doctor__print_tool(&d->busybox);
	doctor__print_tool(&d->iasl);
}

static void json_str_or_null(struct json_out *j, const char *key, const char *s)
{
	json_out__key(j, key);
	if (s && *s)
		json_out__string(j, s);
	else
		json_out__null(j);
}

static void doctor__json_kvm(struct json_out *j, const struct vmm_probe_dev *v)
{
	char mode[8];

	json_out__key(j, "kvm");
	json_out__object_begin(j);
	json_str_or_null(j, "path", "/dev/kvm");
	json_out__key(j, "present");
	json_out__bool(j, v->present);
	snprintf(mode, sizeof(mode), "%04o", (unsigned int)v->mode);
	json_str_or_null(j, "mode", v->present ? mode : NULL);
	json_str_or_null(j, "owner", v->owner);
	json_str_or_null(j, "group", v->group);
	json_out__key(j, "in_group");
	json_out__bool(j, v->user_in_group);
	json_out__key(j, "usable");
	json_out__bool(j, v->present && !v->open_errno);
	json_str_or_null(j, "error", v->open_errno ? strerror(v->open_errno) : NULL);
	json_out__key(j, "api_version");
	json_out__i64(j, v->api_version);
	json_out__key(j, "vcpu_mmap_size");
	json_out__i64(j, v->vcpu_mmap_size);
	json_out__key(j, "max_vcpus");
	json_out__i64(j, v->max_vcpus);
	json_out__key(j, "caps");
	json_out__object_begin(j);
	for (unsigned int i = 0; i < v->ncaps; i++) {
		json_out__key(j, v->caps[i].name);
		json_out__i64(j, v->caps[i].value);
	}
	json_out__object_end(j);
	json_out__key(j, "missing_caps");
	json_out__array_begin(j);
	for (unsigned int i = 0; i < v->ncaps; i++)
		if (v->caps[i].needed && !v->caps[i].value)
			json_out__string(j, v->caps[i].name);
	json_out__array_end(j);
	json_out__object_end(j);
}

static void doctor__json_tool(struct json_out *j, const struct doctor_tool *t)
{
	json_out__key(j, t->name);
	json_out__object_begin(j);
	json_str_or_null(j, "path", t->ret ? NULL : t->path);
	json_str_or_null(j, "version", t->ret ? NULL : t->version);
	json_out__object_end(j);
}

static void doctor__json(const struct doctor *d)
{
	const struct vmm_probe_result *r = &d->sel.probe;
	struct json_out j;

	json_out__init(&j, stdout);
	json_out__object_begin(&j);
	doctor__json_kvm(&j, &d->dev);

	json_out__key(&j, "cpl0");
	json_out__object_begin(&j);
	json_out__key(&j, "measured");
	json_out__bool(&j, !d->sel.probe_ret);
	json_str_or_null(&j, "error", d->sel.probe_ret ? d->sel.probe_err : NULL);
	if (!d->sel.probe_ret) {
		json_out__key(&j, "ns_per_iter");
		json_out__double(&j, r->ns_per_iter);
		json_out__key(&j, "iterations");
		json_out__u64(&j, r->iters);
		json_out__key(&j, "runs");
		json_out__u64(&j, r->runs);
		json_out__key(&j, "baseline_ns");
		json_out__u64(&j, r->base_ns);
		json_out__key(&j, "probe_ns");
		json_out__u64(&j, r->total_ns);
		json_str_or_null(&j, "verdict", vmm_probe__verdict(r));
	}
	json_out__key(&j, "threshold_ns");
	json_out__double(&j, VMM_PROBE_HW_NS);
	json_out__key(&j, "native_ns");
	json_out__double(&j, VMM_PROBE_NATIVE_NS);
	json_out__object_end(&j);

	json_out__key(&j, "vmm_auto");
	json_out__object_begin(&j);
	json_str_or_null(&j, "backend", d->sel.backend == VM_BACKEND_VMM ? "vmm" : "qemu");
	json_str_or_null(&j, "accel", d->sel.accel == VM_ACCEL_KVM ? "kvm" : "tcg");
	json_str_or_null(&j, "reason", d->sel.reason);
	json_out__object_end(&j);

	doctor__json_tool(&j, &d->qemu);
	json_str_or_null(&j, "firmware", d->firmware);

	json_out__key(&j, "kernel");
	json_out__object_begin(&j);
	json_str_or_null(&j, "path", d->kret ? NULL : d->kr.image);
	json_str_or_null(&j, "pvh_elf", d->kret || !d->kr.vmlinux_pvh ? NULL : d->kr.vmlinux);
	json_str_or_null(&j, "from", d->kret ? NULL : kfind_how__name(d->kr.how));
	json_str_or_null(&j, "key", d->kret ? NULL : d->kr.key);
	json_str_or_null(&j, "warning", d->kret ? NULL : d->kr.warning);
	json_str_or_null(&j, "error", d->kret ? d->kerr : NULL);
	json_out__key(&j, "static_keys");
	if (doctor__static_keys(d) < 0)
		json_out__null(&j);
	else
		json_out__bool(&j, doctor__static_keys(d) > 0);
	json_out__object_end(&j);

	/* What --tcg-threads auto picks for that kernel, and why. */
	json_out__key(&j, "tcg_threads");
	json_out__object_begin(&j);
	json_str_or_null(&j, "threads",
			 tcg_threads__name(tcg_threads__pick(VM_TCG_AUTO, doctor__static_keys(d))));
	json_str_or_null(&j, "reason", tcg_threads__why(VM_TCG_AUTO, doctor__static_keys(d)));
	json_out__object_end(&j);

	doctor__json_tool(&j, &d->agent);
	doctor__json_tool(&j, &d->scx_ktstr);
	doctor__json_tool(&j, &d->busybox);
	doctor__json_tool(&j, &d->iasl);
	json_out__object_end(&j);
	json_out__newline(&j);
}

int cmd_doctor(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ NULL, 0, NULL, 0 },
	};
	const char *kernel = NULL;
	struct doctor *d;
	bool json = false;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			json = true;
			break;
		case OPT_KERNEL:
			kernel = optarg;
			break;
		default:
			return cli__bad_option("doctor", c, argv);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ktstr doctor: takes no arguments ('%s')\n%s", argv[optind],
			cmd_doctor_usage);
		return EXIT_USAGE;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		fprintf(stderr, "ktstr doctor: out of memory\n");
		return EXIT_USAGE;
	}
	doctor__inspect(d, kernel);
	if (json)
		doctor__json(d);
	else
		doctor__print(d);
	free(d);
	return EXIT_OK;
}
