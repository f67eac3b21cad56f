// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware qemu boots the guest with. qboot (QEMU's minimal firmware,
 * shipped with it as qboot.rom) jumps to the kernel in a few milliseconds
 * where SeaBIOS spends a couple of hundred under TCG; with an ELF vmlinux it
 * enters the kernel's PVH entry directly. qemu's own firmware (SeaBIOS) stays
 * the fallback when qboot is not installed.
 */
#include "vm_qemu.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "vm.h"

const char *const vm_qemu__bios_dirs[] = {
	"/usr/share/qemu",
	"/usr/local/share/qemu",
	"/usr/share/qemu-kvm",
	NULL,
};

static bool try_dir(const char *dir, char *out, size_t cap)
{
	char path[PATH_MAX + 32], real[PATH_MAX];

	snprintf(path, sizeof(path), "%s/" VM_QEMU_QBOOT_NAME, dir);
	if (!fsutil__nonempty_file(path))
		return false;
	snprintf(out, cap, "%s", realpath(path, real) ? real : path);
	return strlen(out) + 1 < cap;
}

bool vm_qemu__find_qboot(const char *qemu, const char *const *dirs, char *out, size_t cap)
{
	char real[PATH_MAX], share[PATH_MAX + 16];

	/* Next to the binary first: <prefix>/bin/qemu -> <prefix>/share/qemu. */
	if (qemu && realpath(qemu, real)) {
		snprintf(share, sizeof(share), "%s/../share/qemu", dirname(real));
		if (try_dir(share, out, cap))
			return true;
	}
	for (const char *const *d = dirs; d && *d; d++)
		if (try_dir(*d, out, cap))
			return true;
	return false;
}

const char *vm__qemu_firmware(const char *qemu, char *buf, size_t cap)
{
	const char *env = getenv("KTSTR_QEMU_BIOS");

	if (env)
		/* "" asks for qemu's default firmware (SeaBIOS); a path, that file. */
		return *env ? env : NULL;
	return vm_qemu__find_qboot(qemu, vm_qemu__bios_dirs, buf, cap) ? buf : NULL;
}
