/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the host's CPU topology out of sysfs, for topo_host.c (what fits)
 * and topo_host_desc.c (what the host is). Internal to lib/topo.
 *
 * Every reader takes @root, the directory that plays /sys: NULL for the real
 * one, or a copy (`ktstr topo --sysfs DIR`, the tests' fake hosts).
 */
#ifndef KTSTR_TOPO_SYSFS_H
#define KTSTR_TOPO_SYSFS_H

#include <stdbool.h>
#include <stddef.h>

/* Hosts can have far more CPUs than a struct cpuset holds: use id arrays. */
struct topo_ids {
	unsigned *ids;
	size_t n, cap;
};

int topo_ids__push(struct topo_ids *l, unsigned id);
/* The index of @id in @l, or -1. */
long topo_ids__find(const struct topo_ids *l, unsigned id);
void topo_ids__free(struct topo_ids *l);

/*
 * Read the small file @root/<fmt...> ("devices/system/cpu/online") into @buf.
 * Returns 0, or -errno (-ENODATA for an empty file, -ENAMETOOLONG).
 */
int topo_sysfs__read(const char *root, char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Walk a kernel CPU list ("0-3,8,10-11\n"). Appends each CPU to @out when it
 * is not NULL and sets *@min to the lowest; returns the number of CPUs, or
 * -EINVAL on a malformed list, -ENOMEM.
 */
long topo_sysfs__cpulist(const char *s, struct topo_ids *out, unsigned *min);

/*
 * The shared_cpu_list of @cpu's last-level cache (the cache/indexN with the
 * highest "level") into @buf. Returns 0 or -ENOENT.
 */
int topo_sysfs__llc_cpus(const char *root, unsigned cpu, char *buf, size_t len);

#endif
