/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF verifier's log of a rejected program, cut to what says why. A
 * scheduler built on libbpf prints it on a failed load between
 *
 *   libbpf: prog 'NAME': -- BEGIN PROG LOAD LOG --
 *   ...one line per instruction walked, source annotations ("; ...")...
 *   12: (79) r1 = *(u64 *)(r0 +0)            the instruction rejected
 *   R0 invalid mem access 'map_value_or_null' the verifier's message
 *   processed 11 insns (limit 1000000) max_states_per_insn 0 total_states 1 ...
 *   -- END PROG LOAD LOG --
 *
 * and that log can run to thousands of lines (a loop walked to the limit).
 * The cut keeps the message, the CONTEXT lines before it (the rejected
 * instruction and its source line among them) and the summary after it.
 */
#ifndef KTSTR_VERIFIER_LOG_H
#define KTSTR_VERIFIER_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VERIFIER_LOG_CONTEXT 8		/* lines before the message, by default */
#define VERIFIER_INSN_LIMIT 1000000	/* BPF_COMPLEXITY_LIMIT_INSNS, for a log without one */

struct verifier_cut {
	char prog[128];			/* the program libbpf names, or "" */
	char message[512];		/* the verifier's last word */
	char insn[256];			/* the last instruction line before it, or "" */
	bool has_stats;			/* the "processed N insns" summary was there */
	uint64_t processed, limit;	/* its figures (limit 0: not given) */
	uint64_t max_states_per_insn, total_states, peak_states, mark_read;
	bool ended;			/* the END marker was there (else the log is cut short) */
	size_t lines;			/* lines in the whole log */
	size_t omitted;			/* of them, before the kept ones */
	char *text;			/* malloc'd: the kept lines, each '\n'-terminated */
};

/*
 * Find the first program load log in @log (@len bytes, the scheduler's
 * output; need not be NUL-terminated) and cut it into @c: the message is the
 * last non-empty line before the "processed" summary, or the log's last
 * non-empty line without one. Returns 1 with @c filled, 0 when @log holds
 * no load log or an empty one (@c zeroed but for c->prog), -ENOMEM.
 */
int verifier_log__cut(const char *log, size_t len, unsigned context, struct verifier_cut *c);
void verifier_log__free(struct verifier_cut *c);

#endif
