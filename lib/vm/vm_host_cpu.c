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
#include <stdlib.h>
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

int vm_host_cpu__vcpu_comm(const char *comm, uint32_t *idx)
{
	const char *p = comm;
	uint64_t v = 0;

	if (!strcmp(comm, "ALL CPUs/TCG") || !strcmp(comm, "ALL CPUs/TCG\n"))
		return VM_VCPU_COMM_ALL;
	if (strncmp(p, "CPU ", 4))
		return 0;
	p += 4;
	if (*p < '0' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9' && v <= UINT32_MAX; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	if (v > UINT32_MAX || (strcmp(p, "/TCG") && strcmp(p, "/KVM") &&
			       strcmp(p, "/TCG\n") && strcmp(p, "/KVM\n")))
		return 0;
	*idx = (uint32_t)v;
	return VM_VCPU_COMM_ONE;
}

size_t vm_host_cpu__qemu_vcpus(pid_t pid, pid_t *tids, uint32_t n)
{
	pid_t all[VM_HOST_CPU_THREADS_MAX];
	size_t nt = vm_host_cpu__tasks(pid, all, VM_HOST_CPU_THREADS_MAX), found = 0;

	memset(tids, 0, n * sizeof(*tids));
	for (size_t i = 0; i < nt; i++) {
		char path[64], comm[32];
		uint32_t idx;
		ssize_t r;
		int fd, kind;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid, (int)all[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		r = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (r <= 0)
			continue;
		comm[r] = '\0';
		kind = vm_host_cpu__vcpu_comm(comm, &idx);
		if (kind == VM_VCPU_COMM_ALL) {
			for (uint32_t c = 0; c < n; c++)
				tids[c] = all[i];
			return n;
		}
		if (kind == VM_VCPU_COMM_ONE && idx < n && !tids[idx]) {
			tids[idx] = all[i];
			found++;
		}
	}
	return found;
}

void vm__vcpu_init(struct vm *vm)
{
	pthread_mutex_init(&vm->vcpu_lock, NULL);
	vm->vcpu_fd = NULL;
	vm->vcpu_nr = 0;
	vm->vcpu_shared = false;
}

static void vcpu_close(struct vm *vm)
{
	for (uint32_t i = 0; vm->vcpu_fd && i < vm->vcpu_nr; i++)
		if (vm->vcpu_fd[i] >= 0)
			close(vm->vcpu_fd[i]);
	free(vm->vcpu_fd);
	vm->vcpu_fd = NULL;
	vm->vcpu_nr = 0;
	vm->vcpu_shared = false;
}

void vm__vcpu_fini(struct vm *vm)
{
	vcpu_close(vm);
	pthread_mutex_destroy(&vm->vcpu_lock);
}

/* Find every vCPU's thread and open its schedstat; -ENOENT until all are there. */
static int vcpu_resolve(struct vm *vm, uint32_t total)
{
	pid_t *tids = calloc(2 * (size_t)total, sizeof(*tids));
	bool shared;
	size_t found;
	int ret = 0;

	if (!tids)
		return -ENOMEM;
	found = vm->ops->vcpu_threads(vm, tids, total);
	if (found < total) {
		free(tids);
		return -ENOENT;
	}
	shared = total > 1;
	for (uint32_t i = 1; i < total; i++)
		shared = shared && tids[i] == tids[0];
	vm->vcpu_nr = shared ? 1 : total;
	vm->vcpu_fd = malloc(vm->vcpu_nr * sizeof(*vm->vcpu_fd));
	if (!vm->vcpu_fd) {
		free(tids);
		vm->vcpu_nr = 0;
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < vm->vcpu_nr; i++)
		vm->vcpu_fd[i] = -1;
	for (uint32_t i = 0; i < vm->vcpu_nr && !ret; i++) {
		char path[48];

		snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)tids[i]);
		vm->vcpu_fd[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (vm->vcpu_fd[i] >= 0)
			continue;
		ret = errno == ESRCH ? -ENOENT : -errno;
		/* The thread is there but the file is not: CONFIG_SCHED_INFO off. */
		snprintf(path, sizeof(path), "/proc/%d", (int)tids[i]);
		if (ret == -ENOENT && !access(path, F_OK))
			ret = -ENOTSUP;
	}
	/*
	 * The backend named its threads before they were opened: check that
	 * they are still its own now (a thread gone and its id reused in
	 * between would have been opened instead).
	 */
	if (!ret && (vm->ops->vcpu_threads(vm, tids + total, total) < total ||
		     memcmp(tids, tids + total, total * sizeof(*tids))))
		ret = -ENOENT;
	free(tids);
	if (ret) {
		vcpu_close(vm);
		return ret;
	}
	vm->vcpu_shared = shared;
	return 0;
}

/* One open schedstat's run time; -ENOENT once its thread is gone. */
static int vcpu_read(int fd, uint64_t *run)
{
	char buf[SCHEDSTAT_MAX];
	uint64_t wait;
	ssize_t r;

	do
		r = pread(fd, buf, sizeof(buf) - 1, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return errno == ESRCH ? -ENOENT : -errno;
	buf[r] = '\0';
	return vm_host_cpu__parse(buf, run, &wait);
}

int vm__vcpu_host_ns(struct vm *vm, uint64_t *ns, uint32_t n)
{
	uint32_t total;
	int ret = 0;

	if (!vm || !vm->ops)
		return -ENOENT;
	if (!vm->ops->vcpu_threads)
		return -EOPNOTSUPP;
	total = topology__total_cpus(&vm->opts.topo);
	if (!n || n > total)
		return -EINVAL;
	pthread_mutex_lock(&vm->vcpu_lock);
	if (!vm->vcpu_fd)
		ret = vcpu_resolve(vm, total);
	for (uint32_t i = 0; !ret && i < n; i++) {
		if (vm->vcpu_shared && i) {
			ns[i] = ns[0];
			continue;
		}
		ret = vcpu_read(vm->vcpu_fd[i], &ns[i]);
	}
	pthread_mutex_unlock(&vm->vcpu_lock);
	if (ret)
		return ret;
	return vm->vcpu_shared ? VM_VCPU_HOST_SHARED : 0;
}
