// SPDX-License-Identifier: GPL-2.0
/*
 * The guest kernel command line, shared by both backends (ktstr-internals(7),
 * THE GUEST), minus what only the in-process VMM needs (pci=off, virtio_mmio.device=,
 * clocksource=kvm-clock, the SHM window): the qemu backend has PCI and may
 * run under TCG, which has no kvm-clock.
 */
#include "vm.h"

#include <errno.h>
#include <string.h>

#include "base/err.h"

static const char vm_cmdline_base[] =
	"console=ttyS0 mitigations=off no_timer_check random.trust_cpu=on "
	"swiotlb=noforce i8042.noaux i8042.nomux i8042.nopnp i8042.dumbkbd "
	/* A reboot or a panic resets the guest at once; the backend turns a
	 * reset into the end of the VM (qemu: -no-reboot). */
	"reboot=k panic=-1 "
	"iomem=relaxed nokaslr lockdown=none "
	"sysctl.kernel.unprivileged_bpf_disabled=0 sysctl.kernel.sched_schedstats=1";

/* Append " @word" (no space before the first word). */
static int cmdline_add(char *buf, size_t cap, size_t *len, const char *word)
{
	size_t wl = strlen(word), need = wl + (*len ? 1 : 0);

	if (*len + need + 1 > cap)
		return -E2BIG;
	if (*len)
		buf[(*len)++] = ' ';
	memcpy(buf + *len, word, wl);
	*len += wl;
	buf[*len] = '\0';
	return 0;
}

int vm__cmdline(const struct vm_opts *opts, const char *backend_words,
		char *buf, size_t cap, char *err, size_t errlen)
{
	size_t len = 0, limit = cap < VM_CMDLINE_MAX ? cap : VM_CMDLINE_MAX;
	const char *const *w;
	int ret = 0;

	if (!cap)
		return err__set(-E2BIG, err, errlen, "no room for the kernel command line");
	buf[0] = '\0';
	ret |= cmdline_add(buf, limit, &len, vm_cmdline_base);
	/*
	 * loglevel=1, not upstream's 0: a quiet boot either way (serial output
	 * is slow under TCG), but console_verbose() does nothing at 0, so a
	 * panic would leave no "Kernel panic" and no backtrace on the console.
	 */
	ret |= cmdline_add(buf, limit, &len,
			   opts->verbose ? "earlyprintk=serial loglevel=7" : "loglevel=1");
	ret |= cmdline_add(buf, limit, &len, "rdinit=/init");
	if (backend_words && *backend_words)
		ret |= cmdline_add(buf, limit, &len, backend_words);
	for (w = opts->cmdline_extra; !ret && w && *w; w++) {
		if (!**w || strpbrk(*w, "\n\r"))
			return err__set(-EINVAL, err, errlen,
					"kernel command-line word \"%s\" is empty or has a "
					"line break: pass one non-empty word per entry", *w);
		ret |= cmdline_add(buf, limit, &len, *w);
	}
	if (ret)
		return err__set(-E2BIG, err, errlen,
				"kernel command line longer than %d bytes: "
				"pass fewer or shorter words",
				VM_CMDLINE_MAX - 1);
	return (int)len;
}
