// SPDX-License-Identifier: GPL-2.0
/* The guest's loaded BPF programs for the host; see bpf_progs.h. */
#include "bpf_progs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"

#define STATS_SYSCTL "/proc/sys/kernel/bpf_stats_enabled"

_Static_assert(KTSTR_BPF_NAME_LEN == BPF_OBJ_NAME_LEN, "the wire's name is the kernel's");

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* The info of program @id into @rec: 0, 1 when it went away meanwhile, or -errno. */
static int prog_info(uint32_t id, struct ktstr_bpf_prog *rec)
{
	struct bpf_prog_info info;
	union bpf_attr a;
	int fd, ret = 0;

	memset(&a, 0, sizeof(a));
	a.prog_id = id;
	fd = (int)sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
	if (fd < 0)
		return errno == ENOENT ? 1 : -errno;
	/*
	 * Zeroed with no pointers set: the kernel fills only the scalars. An
	 * older kernel's shorter struct leaves the rest 0 and says so in
	 * info_len.
	 */
	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uint64_t)(uintptr_t)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a))
		ret = errno == ENOENT ? 1 : -errno;
	close(fd);
	if (ret)
		return ret;
	memset(rec, 0, sizeof(*rec));
	rec->id = info.id;
	rec->type = info.type;
	memcpy(rec->name, info.name, sizeof(rec->name));
	rec->xlated_len = info.xlated_prog_len;
	rec->jited_len = info.jited_prog_len;
	rec->nr_map_ids = info.nr_map_ids;
	rec->run_time_ns = info.run_time_ns;
	rec->run_cnt = info.run_cnt;
	rec->recursion_misses = info.recursion_misses;
	if (a.info.info_len >= offsetof(struct bpf_prog_info, verified_insns) +
			       sizeof(info.verified_insns)) {
		rec->verified_insns = info.verified_insns;
		rec->flags |= KTSTR_BPF_F_VERIFIED;
	}
	return 0;
}

int bpf_progs__collect(struct ktstr_bpf_prog *out, size_t max, size_t *n, uint32_t *total)
{
	uint32_t id = 0;
	union bpf_attr a;

	*n = 0;
	*total = 0;
	for (;;) {
		int ret;

		memset(&a, 0, sizeof(a));
		a.start_id = id;
		if (sys_bpf(BPF_PROG_GET_NEXT_ID, &a))
			return errno == ENOENT ? 0 : errno;	/* ENOENT: no next one */
		id = a.next_id;
		if (*n >= max) {
			(*total)++;
			continue;
		}
		ret = prog_info(id, &out[*n]);
		if (ret == 1)
			continue;
		if (ret < 0)
			return -ret;
		(*total)++;
		(*n)++;
	}
}

int bpf_progs__stats_on(void)
{
	int fd = open(STATS_SYSCTL, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, "1\n", 2) != 2)
		ret = -errno;
	close(fd);
	return ret;
}

static int stats_enabled(void)
{
	char c = '0';
	int fd = open(STATS_SYSCTL, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (read(fd, &c, 1) != 1)
		c = '0';
	close(fd);
	return c == '1';
}

int bpf_progs__send(struct proto_out *o)
{
	struct ktstr_msg_bpf_progs m = { 0 };
	struct ktstr_bpf_prog *recs = calloc(KTSTR_BPF_PROGS_MAX, sizeof(*recs));
	struct iovec iov[2];
	uint32_t total = 0;
	size_t n = 0;
	int ret;

	if (!recs)
		return -ENOMEM;
	m.status = bpf_progs__collect(recs, KTSTR_BPF_PROGS_MAX, &n, &total);
	m.nprogs = (uint32_t)n;
	m.total = total;
	m.stats_enabled = (uint32_t)stats_enabled();
	if (m.status)
		agent__log("BPF programs: the walk stopped after %zu: %s", n, strerror(m.status));
	iov[0] = (struct iovec){ .iov_base = &m, .iov_len = sizeof(m) };
	iov[1] = (struct iovec){ .iov_base = recs, .iov_len = n * sizeof(*recs) };
	ret = proto_out__sendv(o, KTSTR_MSG_BPF_PROGS, iov, 2);
	free(recs);
	return ret;
}
