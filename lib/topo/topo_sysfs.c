// SPDX-License-Identifier: GPL-2.0
/* Reading CPU lists, caches and small files out of sysfs or a copy of it. */
#include "topo_sysfs.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CPU_DIR "devices/system/cpu"

int topo_ids__push(struct topo_ids *l, unsigned id)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		unsigned *ids = realloc(l->ids, cap * sizeof(*ids));

		if (!ids)
			return -ENOMEM;
		l->ids = ids;
		l->cap = cap;
	}
	l->ids[l->n++] = id;
	return 0;
}

long topo_ids__find(const struct topo_ids *l, unsigned id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->ids[i] == id)
			return (long)i;
	return -1;
}

void topo_ids__free(struct topo_ids *l)
{
	free(l->ids);
	*l = (struct topo_ids){ 0 };
}

static int vpath(char *path, size_t len, const char *root, const char *fmt, va_list ap)
{
	int n = snprintf(path, len, "%s/", root ? root : "/sys");
	int m;

	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	m = vsnprintf(path + n, len - (size_t)n, fmt, ap);
	if (m < 0 || (size_t)m >= len - (size_t)n)
		return -ENAMETOOLONG;
	return 0;
}

static int path_of(char *path, size_t len, const char *root, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int path_of(char *path, size_t len, const char *root, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vpath(path, len, root, fmt, ap);
	va_end(ap);
	return ret;
}

int topo_sysfs__read(const char *root, char *buf, size_t len, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	size_t n;
	FILE *f;
	int ret;

	va_start(ap, fmt);
	ret = vpath(path, sizeof(path), root, fmt, ap);
	va_end(ap);
	if (ret)
		return ret;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n ? 0 : -ENODATA;
}

long topo_sysfs__cpulist(const char *s, struct topo_ids *out, unsigned *min)
{
	long count = 0;
	char *end;

	*min = ~0u;
	while (*s && *s != '\n') {
		unsigned long lo = strtoul(s, &end, 10), hi = lo;

		if (end == s)
			return -EINVAL;
		s = end;
		if (*s == '-') {
			hi = strtoul(++s, &end, 10);
			if (end == s || hi < lo || hi - lo > 1u << 20)
				return -EINVAL;
			s = end;
		}
		if (lo < *min)
			*min = (unsigned)lo;
		for (unsigned long cpu = lo; cpu <= hi; cpu++, count++)
			if (out && topo_ids__push(out, (unsigned)cpu))
				return -ENOMEM;
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -EINVAL;
	}
	return count;
}

int topo_sysfs__llc_cpus(const char *root, unsigned cpu, char *buf, size_t len)
{
	int best_level = -1, best_index = -1;
	char dirpath[PATH_MAX], lbuf[32];
	struct dirent *de;
	DIR *dir;

	if (path_of(dirpath, sizeof(dirpath), root, CPU_DIR "/cpu%u/cache", cpu))
		return -ENOENT;
	dir = opendir(dirpath);
	if (!dir)
		return -ENOENT;
	while ((de = readdir(dir))) {
		int index, level;

		if (sscanf(de->d_name, "index%d", &index) != 1)
			continue;
		if (topo_sysfs__read(root, lbuf, sizeof(lbuf), CPU_DIR "/cpu%u/cache/index%d/level",
				     cpu, index) ||
		    sscanf(lbuf, "%d", &level) != 1)
			continue;
		if (level > best_level || (level == best_level && index > best_index)) {
			best_level = level;
			best_index = index;
		}
	}
	closedir(dir);
	if (best_index < 0)
		return -ENOENT;
	return topo_sysfs__read(root, buf, len, CPU_DIR "/cpu%u/cache/index%d/shared_cpu_list",
				cpu, best_index) ? -ENOENT : 0;
}
