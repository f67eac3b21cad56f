// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc numbers a worker snapshots at start and stop: its schedstat,
 * the system's numa_pages_migrated, and its pages per NUMA node.
 */
#include "work_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "run_ns wait_ns pcount"; zeros when unreadable. */
void work_report__parse_schedstat(FILE *f, uint64_t out[3])
{
	unsigned long long a = 0, b = 0, c = 0;

	if (!f || fscanf(f, "%llu %llu %llu", &a, &b, &c) != 3)
		a = b = c = 0;
	out[0] = a;
	out[1] = b;
	out[2] = c;
}

void work_report__schedstat(uint64_t out[3])
{
	FILE *f = fopen("/proc/self/schedstat", "re");

	work_report__parse_schedstat(f, out);
	if (f)
		fclose(f);
}

/* The value of @key in a "key value" per line file (/proc/vmstat); 0 when absent. */
uint64_t work_report__parse_vmstat(FILE *f, const char *key)
{
	size_t klen = strlen(key), cap = 0;
	unsigned long long v = 0;
	char *line = NULL;
	bool found = false;

	while (f && !found && getline(&line, &cap, f) > 0)
		found = !strncmp(line, key, klen) && line[klen] == ' ' &&
			sscanf(line + klen, "%llu", &v) == 1;
	free(line);
	return found ? v : 0;
}

uint64_t work_report__numa_migrated(void)
{
	FILE *f = fopen("/proc/vmstat", "re");
	uint64_t v = work_report__parse_vmstat(f, "numa_pages_migrated");

	if (f)
		fclose(f);
	return v;
}

/*
 * Sum the "N<node>=<pages>" fields of every mapping, in base pages: a
 * hugetlb mapping counts huge pages, so its counts are scaled by its
 * kernelpagesize_kB over @page_kb.
 */
void work_report__parse_numa_maps(FILE *f, unsigned long page_kb,
				  uint64_t pages[KTSTR_REPORT_MAX_NODES])
{
	char *line = NULL;
	size_t cap = 0;

	memset(pages, 0, KTSTR_REPORT_MAX_NODES * sizeof(pages[0]));
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		uint64_t node_pages[KTSTR_REPORT_MAX_NODES] = { 0 };
		unsigned long scale = 1;
		bool any = false;
		char *save = NULL;

		for (char *tok = strtok_r(line, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			char *end;
			unsigned long node, kb;

			if (!strncmp(tok, "kernelpagesize_kB=", 18)) {
				kb = strtoul(tok + 18, &end, 10);
				if (!*end && page_kb && kb > page_kb)
					scale = kb / page_kb;
				continue;
			}
			if (tok[0] != 'N' || tok[1] < '0' || tok[1] > '9')
				continue;
			node = strtoul(tok + 1, &end, 10);
			if (*end != '=' || node >= KTSTR_REPORT_MAX_NODES)
				continue;
			node_pages[node] += strtoull(end + 1, NULL, 10);
			any = true;
		}
		for (unsigned n = 0; any && n < KTSTR_REPORT_MAX_NODES; n++)
			pages[n] += node_pages[n] * scale;
	}
	free(line);
}

void work_report__numa_maps(uint64_t pages[KTSTR_REPORT_MAX_NODES])
{
	FILE *f = fopen("/proc/self/numa_maps", "re");
	long page = sysconf(_SC_PAGESIZE);

	work_report__parse_numa_maps(f, page > 0 ? (unsigned long)page / 1024 : 4, pages);
	if (f)
		fclose(f);
}
