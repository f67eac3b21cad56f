// SPDX-License-Identifier: GPL-2.0
/* File descriptor helpers for the worker lifecycle. */
#include "work_int.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

static void close_span(unsigned lo, unsigned hi)
{
	if (lo > hi)
		return;
	if (!syscall(SYS_close_range, lo, hi, 0))
		return;
	/* Pre-5.9 kernel: close one by one up to the fd limit. */
	long max = sysconf(_SC_OPEN_MAX);

	if (max < 0 || max > 65536)
		max = 65536;
	for (unsigned fd = lo; fd <= hi && fd < (unsigned)max; fd++)
		close((int)fd);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

void work_fd__close_except(const int *keep, int n)
{
	int sorted[16];
	int m = 0;
	unsigned lo = 3;

	for (int i = 0; i < n && m < 16; i++)
		if (keep[i] >= 3)
			sorted[m++] = keep[i];
	qsort(sorted, (size_t)m, sizeof(int), cmp_int);
	for (int i = 0; i < m; i++) {
		if ((unsigned)sorted[i] > lo)
			close_span(lo, (unsigned)sorted[i] - 1);
		lo = (unsigned)sorted[i] + 1;
	}
	close_span(lo, ~0u);
}

int work_fd__write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
