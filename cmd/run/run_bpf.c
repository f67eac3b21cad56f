// SPDX-License-Identifier: GPL-2.0
/* The guest's BPF programs, decoded from the agent's frame; see run_bpf.h. */
#include "run_bpf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 2, 3)))
static int bad(struct run_bpf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->bad, sizeof(b->bad), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void decode(struct run_bpf_prog *p, const struct ktstr_bpf_prog *r)
{
	size_t n;

	memset(p, 0, sizeof(*p));
	p->id = r->id;
	p->type = r->type;
	n = strnlen(r->name, sizeof(r->name));
	memcpy(p->name, r->name, n);
	for (size_t i = 0; i < n; i++)	/* the guest's bytes: keep tables printable */
		if ((unsigned char)p->name[i] < 0x21 || (unsigned char)p->name[i] > 0x7e)
			p->name[i] = '?';
	p->verified_known = r->flags & KTSTR_BPF_F_VERIFIED;
	p->verified_insns = p->verified_known ? r->verified_insns : 0;
	p->xlated_len = r->xlated_len;
	p->jited_len = r->jited_len;
	p->nr_map_ids = r->nr_map_ids;
	p->run_time_ns = r->run_time_ns;
	p->run_cnt = r->run_cnt;
	p->recursion_misses = r->recursion_misses;
}

int run_bpf__parse(struct run_bpf *b, const void *payload, size_t len)
{
	const unsigned char *p = payload;
	struct ktstr_msg_bpf_progs m;
	struct run_bpf_prog *progs = NULL;

	if (len < sizeof(m))
		return bad(b, "a bpf_progs frame of %zu bytes, shorter than its header", len);
	memcpy(&m, p, sizeof(m));
	if (m.nprogs > KTSTR_BPF_PROGS_MAX)
		return bad(b, "a bpf_progs frame with %u programs (at most %u)", m.nprogs,
			   KTSTR_BPF_PROGS_MAX);
	if (len != sizeof(m) + (size_t)m.nprogs * sizeof(struct ktstr_bpf_prog))
		return bad(b, "a bpf_progs frame of %zu bytes for %u programs", len, m.nprogs);
	if (m.total < m.nprogs)
		return bad(b, "a bpf_progs frame of %u programs of %u in all", m.nprogs, m.total);
	if (m.nprogs && !(progs = calloc(m.nprogs, sizeof(*progs))))
		return -ENOMEM;
	for (uint32_t i = 0; i < m.nprogs; i++) {
		struct ktstr_bpf_prog r;

		memcpy(&r, p + sizeof(m) + (size_t)i * sizeof(r), sizeof(r));	/* unaligned */
		decode(&progs[i], &r);
	}
	free(b->progs);
	b->progs = progs;
	b->nprogs = m.nprogs;
	b->seen = true;
	b->status = m.status;
	b->total = m.total;
	b->stats_enabled = m.stats_enabled != 0;
	return 0;
}

void run_bpf__free(struct run_bpf *b)
{
	free(b->progs);
	memset(b, 0, sizeof(*b));
}

const char *run_bpf__type_name(uint32_t type, char *buf, size_t len)
{
	/* enum bpf_prog_type, by number (the uapi's order is fixed). */
	static const char *const names[] = {
		"unspec", "socket_filter", "kprobe", "sched_cls", "sched_act", "tracepoint",
		"xdp", "perf_event", "cgroup_skb", "cgroup_sock", "lwt_in", "lwt_out",
		"lwt_xmit", "sock_ops", "sk_skb", "cgroup_device", "sk_msg", "raw_tracepoint",
		"cgroup_sock_addr", "lwt_seg6local", "lirc_mode2", "sk_reuseport",
		"flow_dissector", "cgroup_sysctl", "raw_tracepoint_writable", "cgroup_sockopt",
		"tracing", "struct_ops", "ext", "lsm", "sk_lookup", "syscall", "netfilter",
	};

	if (type < sizeof(names) / sizeof(names[0]))
		return names[type];
	snprintf(buf, len, "type %u", type);
	return buf;
}
