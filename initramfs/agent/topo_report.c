// SPDX-License-Identifier: GPL-2.0
/* The guest's topology from sysfs as a TOPOLOGY frame; see topo_report.h. */
#include "topo_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpumask.h"
#include "log.h"
#include "sysfs_read.h"

#define CACHE_INDEX_MAX 32		/* cache/index0.. : stop at the first missing */
#define PATH_LEN 512

/* Only characters of @allowed, 1 to @max of them. */
static bool token_ok(const char *s, int len, const char *allowed, int max)
{
	if (len <= 0 || len > max)
		return false;
	return (int)strspn(s, allowed) == len;
}

/* " VALUE" for a decimal number file, " -" for anything else. */
static void put_num(FILE *f, const char *path)
{
	char buf[32];
	int len = sysfs__read(path, buf, sizeof(buf));

	fprintf(f, " %s", token_ok(buf, len, "0123456789", 10) ? buf : "-");
}

/* " LIST" for a CPU list file ("0-2,6"), " -" for anything else. */
static void put_list(FILE *f, const char *path)
{
	char buf[KTSTR_TOPO_LIST_MAX + 2];
	int len = sysfs__read(path, buf, sizeof(buf));

	fprintf(f, " %s", token_ok(buf, len, "0123456789,-", KTSTR_TOPO_LIST_MAX) ? buf : "-");
}

/* The shared_cpu_list of @cpu's level-3 cache, or " -". */
static void put_l3(FILE *f, const char *sysfs, unsigned cpu)
{
	char path[PATH_LEN], level[16];

	for (int i = 0; i < CACHE_INDEX_MAX; i++) {
		snprintf(path, sizeof(path), "%s/devices/system/cpu/cpu%u/cache/index%d/level",
			 sysfs, cpu, i);
		if (sysfs__read(path, level, sizeof(level)) < 0)
			break;
		if (strcmp(level, "3"))
			continue;
		snprintf(path, sizeof(path),
			 "%s/devices/system/cpu/cpu%u/cache/index%d/shared_cpu_list", sysfs, cpu, i);
		put_list(f, path);
		return;
	}
	fputs(" -", f);
}

static void put_cpu(FILE *f, const char *sysfs, unsigned cpu)
{
	static const char *const nums[] = { "physical_package_id", "die_id", "core_id" };
	char path[PATH_LEN];

	fprintf(f, "cpu %u", cpu);
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		snprintf(path, sizeof(path), "%s/devices/system/cpu/cpu%u/topology/%s", sysfs, cpu,
			 nums[i]);
		put_num(f, path);
	}
	snprintf(path, sizeof(path), "%s/devices/system/cpu/cpu%u/topology/thread_siblings_list",
		 sysfs, cpu);
	put_list(f, path);
	put_l3(f, sysfs, cpu);
	fputc('\n', f);
}

/* "10 20 20" -> " 10,20,20"; " -" unless it is 1..64 numbers of up to 3 digits. */
static void put_distances(FILE *f, const char *path)
{
	char buf[KTSTR_TOPO_MAX_NODES * 4 + 8], out[sizeof(buf)], *save = NULL;
	int len = sysfs__read(path, buf, sizeof(buf)), n = 0;
	size_t o = 0;

	for (char *tok = len > 0 ? strtok_r(buf, " \t", &save) : NULL; tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (n == KTSTR_TOPO_MAX_NODES || !token_ok(tok, (int)strlen(tok), "0123456789", 3)) {
			n = 0;
			break;
		}
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", n++ ? "," : "", tok);
	}
	fprintf(f, " %s", n ? out : "-");
}

static void put_node(FILE *f, const char *sysfs, unsigned node)
{
	char path[PATH_LEN];

	fprintf(f, "node %u", node);
	snprintf(path, sizeof(path), "%s/devices/system/node/node%u/cpulist", sysfs, node);
	put_list(f, path);
	snprintf(path, sizeof(path), "%s/devices/system/node/node%u/distance", sysfs, node);
	put_distances(f, path);
	fputc('\n', f);
}

/* The set in @sysfs/@rel below @limit; empty (and logged) when it cannot be read. */
static void read_set(const char *sysfs, const char *rel, unsigned limit, bool required,
		     struct cpumask *m)
{
	char path[PATH_LEN], buf[KTSTR_TOPO_LIST_MAX + 2];
	int len;

	snprintf(path, sizeof(path), "%s/%s", sysfs, rel);
	len = sysfs__read(path, buf, sizeof(buf));
	if (len < 0 && !required) {
		memset(m, 0, sizeof(*m));	/* no NUMA in this kernel: no node lines */
		return;
	}
	if (len < 0 || cpumask__parse(buf, limit, m)) {
		agent__log("topology: cannot read %s ('%.64s'); reported as empty", path, buf);
		memset(m, 0, sizeof(*m));
	}
}

int topo_report__build(const char *sysfs, char **text, size_t *len)
{
	struct cpumask cpus, nodes;
	FILE *f;

	*text = NULL;
	*len = 0;
	f = open_memstream(text, len);
	if (!f)
		return -ENOMEM;
	read_set(sysfs, "devices/system/cpu/online", KTSTR_TOPO_MAX_CPUS, true, &cpus);
	read_set(sysfs, "devices/system/node/online", KTSTR_TOPO_MAX_NODES, false, &nodes);
	for (unsigned c = 0; c < KTSTR_TOPO_MAX_CPUS; c++)
		if (cpumask__test(&cpus, c))
			put_cpu(f, sysfs, c);
	for (unsigned n = 0; n < KTSTR_TOPO_MAX_NODES; n++)
		if (cpumask__test(&nodes, n))
			put_node(f, sysfs, n);
	if (fclose(f)) {
		free(*text);
		*text = NULL;
		*len = 0;
		return -ENOMEM;
	}
	return 0;
}

int topo_report__send(struct proto_out *out, const char *sysfs)
{
	char *text;
	size_t len;
	int ret = topo_report__build(sysfs, &text, &len);

	if (!ret)
		ret = proto_out__send(out, KTSTR_MSG_TOPOLOGY, text, len);
	if (ret)
		agent__log("topology: not sent: %s", strerror(-ret));
	free(text);
	return ret;
}
