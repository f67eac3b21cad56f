/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's BPF programs as the agent reports them (KTSTR_MSG_BPF_PROGS,
 * lib/wire/ktstr_proto.h; asked for with run_opts.bpf_progs): the frame's
 * payload checked and decoded, for `ktstr verifier`.
 */
#ifndef KTSTR_RUN_BPF_H
#define KTSTR_RUN_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/ktstr_proto.h"

/* One program, decoded: the name NUL-terminated and printable. */
struct run_bpf_prog {
	uint32_t id, type;
	char name[KTSTR_BPF_NAME_LEN + 1];
	bool verified_known;		/* the kernel reports verified_insns (5.16+) */
	uint32_t verified_insns;
	uint32_t xlated_len, jited_len, nr_map_ids;
	uint64_t run_time_ns, run_cnt, recursion_misses;
};

/* The last BPF_PROGS frame of a run (the agent sends one at attach, one at the end). */
struct run_bpf {
	bool seen;			/* a well-formed frame arrived */
	int32_t status;			/* the guest's walk: 0, or the errno that ended it */
	uint32_t total;			/* programs the guest saw (>= nprogs) */
	bool stats_enabled;		/* run_cnt and run_time_ns count */
	struct run_bpf_prog *progs;	/* malloc'd */
	size_t nprogs;
	char bad[160];			/* why a frame was rejected ("" none) */
};

/*
 * Decode a BPF_PROGS payload of @len bytes into @b, replacing what it held.
 * Everything is the guest's and untrusted: a payload shorter than the
 * header, with more than KTSTR_BPF_PROGS_MAX records, whose length is not
 * the header plus exactly nprogs records, or whose total is below nprogs is
 * rejected (-EINVAL, @b unchanged but for b->bad); names are cut at their
 * first NUL and unprintable bytes become '?'. 0, -EINVAL or -ENOMEM.
 */
int run_bpf__parse(struct run_bpf *b, const void *payload, size_t len);
void run_bpf__free(struct run_bpf *b);

/* "struct_ops", "tracing", ... for enum bpf_prog_type; "type 99" past the table (@buf). */
const char *run_bpf__type_name(uint32_t type, char *buf, size_t len);

#endif
