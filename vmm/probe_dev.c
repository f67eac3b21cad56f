// SPDX-License-Identifier: GPL-2.0
/* /dev/kvm as it is: the node, its permissions, the API version, capabilities. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "probe.h"

static const struct {
	long cap;
	const char *name;
	bool needed;	/* kvm.c's kvm_required_caps */
} probe_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY", true },
	{ KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP", true },
	{ KVM_CAP_PIT2, "KVM_CAP_PIT2", true },
	{ KVM_CAP_PIT_STATE2, "KVM_CAP_PIT_STATE2", true },
	{ KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR", true },
	{ KVM_CAP_SET_IDENTITY_MAP_ADDR, "KVM_CAP_SET_IDENTITY_MAP_ADDR", false },
	{ KVM_CAP_IOEVENTFD, "KVM_CAP_IOEVENTFD", true },
	{ KVM_CAP_IRQFD, "KVM_CAP_IRQFD", true },
	{ KVM_CAP_ADJUST_CLOCK, "KVM_CAP_ADJUST_CLOCK", true },
	{ KVM_CAP_DEBUGREGS, "KVM_CAP_DEBUGREGS", true },
	{ KVM_CAP_MP_STATE, "KVM_CAP_MP_STATE", true },
	{ KVM_CAP_VCPU_EVENTS, "KVM_CAP_VCPU_EVENTS", true },
	{ KVM_CAP_XCRS, "KVM_CAP_XCRS", true },
	{ KVM_CAP_XSAVE, "KVM_CAP_XSAVE", true },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID", true },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT", true },
	{ KVM_CAP_X2APIC_API, "KVM_CAP_X2APIC_API", false },
	{ KVM_CAP_NR_MEMSLOTS, "KVM_CAP_NR_MEMSLOTS", false },
};

_Static_assert(sizeof(probe_caps) / sizeof(probe_caps[0]) <= VMM_PROBE_NCAPS,
	       "raise VMM_PROBE_NCAPS");

static void probe_dev__names(struct vmm_probe_dev *d, const struct stat *st)
{
	struct passwd *pw = getpwuid(st->st_uid);
	struct group *gr = getgrgid(st->st_gid);
	gid_t groups[256];
	int n;

	if (pw)
		snprintf(d->owner, sizeof(d->owner), "%s", pw->pw_name);
	else
		snprintf(d->owner, sizeof(d->owner), "%u", (unsigned int)st->st_uid);
	if (gr)
		snprintf(d->group, sizeof(d->group), "%s", gr->gr_name);
	else
		snprintf(d->group, sizeof(d->group), "%u", (unsigned int)st->st_gid);
	d->user_in_group = getegid() == st->st_gid;
	n = getgroups(sizeof(groups) / sizeof(groups[0]), groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == st->st_gid)
			d->user_in_group = true;
}

void vmm_probe__dev(const char *path, struct vmm_probe_dev *d)
{
	struct stat st;
	int fd;

	memset(d, 0, sizeof(*d));
	d->api_version = -1;
	d->vcpu_mmap_size = -1;
	if (!path)
		path = "/dev/kvm";
	if (stat(path, &st) < 0) {
		d->open_errno = errno;
		return;
	}
	d->present = true;
	d->is_chardev = S_ISCHR(st.st_mode);
	d->mode = st.st_mode & 07777;
	probe_dev__names(d, &st);

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		d->open_errno = errno;
		return;
	}
	d->api_version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (d->api_version < 0) {
		d->open_errno = ENODEV;
		d->api_version = -1;
		close(fd);
		return;
	}
	d->vcpu_mmap_size = ioctl(fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	d->max_vcpus = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	if (d->max_vcpus < 0)
		d->max_vcpus = 0;
	for (size_t i = 0; i < sizeof(probe_caps) / sizeof(probe_caps[0]); i++) {
		struct vmm_probe_cap *c = &d->caps[d->ncaps++];
		int v = ioctl(fd, KVM_CHECK_EXTENSION, probe_caps[i].cap);

		c->name = probe_caps[i].name;
		c->value = v > 0 ? v : 0;
		c->needed = probe_caps[i].needed;
		if (c->needed && !c->value)
			d->missing++;
	}
	close(fd);
}
