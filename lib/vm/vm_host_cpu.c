// SPDX-License-Identifier: GPL-2.0
/*
 * vm__host_cpu() (vm.h): the host CPU a VM's threads ran and waited for,
 * summed over /proc/<tid>/schedstat of the threads its backend names
 * (struct vm_ops.threads in vm_backend.h). The parser, the sum and qemu's
 * thread list are in vm_host_cpu.h for the backends and the tests.
 */
#include "vm_host_cpu.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vm_backend.h"

/* A schedstat line longer than this is not one. */
#define SCHEDSTAT_MAX	256

static bool host_cpu_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A decimal number at *@pp (at least one digit, no sign); advances *@pp. */
static int host_cpu_u64(const char **pp, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*pp = p;
	*out = v;
	return 0;
}

int vm_host_cpu__parse(const char *text, uint64_t *run, uint64_t *wait)
{
	uint64_t f[2] = { 0, 0 };
	const char *p = text;
	unsigned int n = 0;

	if (!text)
		return -EINVAL;
	for (;;) {
		uint64_t v;
		int ret = host_cpu_u64(&p, &v);

		if (ret)
			return ret;
		if (n < 2)
			f[n] = v;
		n++;
		if (!host_cpu_blank(*p))
			break;
		while (host_cpu_blank(*p))
			p++;
	}
	if (*p == '\n')
		p++;
	if (*p || n < 3)
		return -EINVAL;
	*run = f[0];
	*wait = f[1];
	return 0;
}

/* /proc/<tid>/schedstat into @run and @wait; -ENOENT when @tid is gone. */
static int host_cpu_read(pid_t tid, uint64_t *run, uint64_t *wait)
{
	char path[48], buf[SCHEDSTAT_MAX];
	size_t len = 0;
	int fd, e;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT) {
			/* The thread is there but the file is not: CONFIG_SCHED_INFO off. */
			snprintf(path, sizeof(path), "/proc/%d", (int)tid);
			return access(path, F_OK) ? -ENOENT : -ENOTSUP;
		}
		return e == ESRCH ? -ENOENT : -e;
	}
	for (;;) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - 1 - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			close(fd);
			/* It exited between open() and read(). */
			return e == ESRCH ? -ENOENT : -e;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == sizeof(buf) - 1) {
			close(fd);
			return -EINVAL;
		}
	}
	close(fd);
	buf[len] = '\0';
	if (memchr(buf, '\0', len))
		return -EINVAL;
	return vm_host_cpu__parse(buf, run, wait);
}

static uint64_t host_cpu_add(uint64_t a, uint64_t b)
{
	uint64_t s;

	return __builtin_add_overflow(a, b, &s) ? UINT64_MAX : s;
}

int vm_host_cpu__sum(const pid_t *tids, size_t n, struct vm_host_cpu *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		uint64_t run, wait;
		int ret;

		if (tids[i] <= 0)
			continue;
		ret = host_cpu_read(tids[i], &run, &wait);
		if (ret == -ENOENT)
			continue;
		if (ret) {
			memset(out, 0, sizeof(*out));
			return ret;
		}
		out->run_ns = host_cpu_add(out->run_ns, run);
		out->wait_ns = host_cpu_add(out->wait_ns, wait);
		out->threads++;
	}
	return out->threads ? 0 : -ENOENT;
}

size_t vm_host_cpu__tasks(pid_t pid, pid_t *tids, size_t cap)
{
	struct dirent *de;
	char path[48];
	size_t n = 0;
	DIR *d;

	if (pid <= 0 || !cap)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return 0;
	while (n < cap && (de = readdir(d))) {
		const char *s = de->d_name;
		long long tid = 0;

		for (; *s >= '0' && *s <= '9' && tid <= INT32_MAX; s++)
			tid = tid * 10 + (*s - '0');
		if (*s || tid <= 0 || tid > INT32_MAX)
			continue;	/* ".", "..", or not a tid */
		tids[n++] = (pid_t)tid;
	}
	closedir(d);
	return n;
}

int vm__host_cpu(const struct vm *vm, struct vm_host_cpu *out)
{
	pid_t tids[VM_HOST_CPU_THREADS_MAX];
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!vm || !vm->ops || !vm->ops->threads)
		return -ENOENT;
	n = vm->ops->threads(vm, tids, VM_HOST_CPU_THREADS_MAX);
	if (n > VM_HOST_CPU_THREADS_MAX)
		n = VM_HOST_CPU_THREADS_MAX;
	return vm_host_cpu__sum(tids, n, out);
}
