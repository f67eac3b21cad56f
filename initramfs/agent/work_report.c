// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc numbers a worker snapshots at start and stop: its schedstat,
 * the system's numa_pages_migrated, and its pages per NUMA node.
 */
#include "work_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* /proc/self/schedstat: "run_ns wait_ns pcount". */
void work_report__schedstat(uint64_t out[3])
{
	FILE *f = fopen("/proc/self/schedstat", "re");
	unsigned long long a = 0, b = 0, c = 0;

	if (f) {
		if (fscanf(f, "%llu %llu %llu", &a, &b, &c) != 3)
			a = b = c = 0;
		fclose(f);
	}
	out[0] = a;
	out[1] = b;
	out[2] = c;
}

uint64_t work_report__numa_migrated(void)
{
	FILE *f = fopen("/proc/vmstat", "re");
	char key[64];
	unsigned long long v, found = 0;

	if (!f)
		return 0;
	while (fscanf(f, "%63s %llu", key, &v) == 2)
		if (!strcmp(key, "numa_pages_migrated")) {
			found = v;
			break;
		}
	fclose(f);
	return found;
}

/* Sum the "N<node>=<pages>" fields of every mapping. */
void work_report__numa_maps(uint64_t pages[KTSTR_REPORT_MAX_NODES])
{
	FILE *f = fopen("/proc/self/numa_maps", "re");
	char tok[256];

	memset(pages, 0, KTSTR_REPORT_MAX_NODES * sizeof(pages[0]));
	if (!f)
		return;
	while (fscanf(f, "%255s", tok) == 1) {
		char *end;
		unsigned long node, n;

		if (tok[0] != 'N' || tok[1] < '0' || tok[1] > '9')
			continue;
		node = strtoul(tok + 1, &end, 10);
		if (*end != '=' || node >= KTSTR_REPORT_MAX_NODES)
			continue;
		n = strtoul(end + 1, NULL, 10);
		pages[node] += n;
	}
	fclose(f);
}
