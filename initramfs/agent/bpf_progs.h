/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF programs loaded in the guest, for `ktstr verifier`: walked with
 * raw bpf(2) calls (the agent links no libbpf) and sent as one
 * KTSTR_MSG_BPF_PROGS frame (format: lib/wire/ktstr_proto.h). Only when the
 * plan has a "bpf-progs" record.
 */
#ifndef KTSTR_AGENT_BPF_PROGS_H
#define KTSTR_AGENT_BPF_PROGS_H

#include <stddef.h>
#include <stdint.h>

#include "proto_out.h"

/*
 * Walk the loaded programs (BPF_PROG_GET_NEXT_ID from 0, BPF_PROG_GET_FD_BY_ID,
 * BPF_OBJ_GET_INFO_BY_FD) into @out, at most @max records. *@total counts
 * every program seen. Returns 0, or the positive errno that ended the walk
 * early (EPERM without CAP_SYS_ADMIN, ENOSYS without CONFIG_BPF_SYSCALL); a
 * program unloaded between two calls is skipped.
 */
int bpf_progs__collect(struct ktstr_bpf_prog *out, size_t max, size_t *n, uint32_t *total);

/* kernel.bpf_stats_enabled = 1, so that run_cnt and run_time_ns count: 0 or -errno. */
int bpf_progs__stats_on(void);

/* Collect and send one KTSTR_MSG_BPF_PROGS frame on @o. Returns 0 or -errno. */
int bpf_progs__send(struct proto_out *o);

#endif
