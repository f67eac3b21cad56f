// SPDX-License-Identifier: GPL-2.0
/*
 * ktstr verifier's host side: the guest's BPF_PROGS frame decoded (and
 * malformed or oversized ones rejected, by the stream reader and by the
 * decoder), the verifier's log cut to the rejected instruction and its
 * context, and the plan's "bpf-progs" record from the writer to the agent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "run/run_bpf.h"
#include "run/verifier_log.h"
#include "scenario/plan_write.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"
#include "agent/plan_read.h"
#include "wire/proto_reader.h"

/* ---- the frame */

/* A payload of @n records named "prog0", "prog1", ... into @buf; its length. */
static size_t payload(uint8_t *buf, uint32_t n, uint32_t total)
{
	struct ktstr_msg_bpf_progs m = { .nprogs = n, .total = total, .stats_enabled = 1 };
	size_t off = sizeof(m);

	memcpy(buf, &m, sizeof(m));
	for (uint32_t i = 0; i < n; i++, off += sizeof(struct ktstr_bpf_prog)) {
		struct ktstr_bpf_prog r = { .id = 10 + i, .type = 27, .verified_insns = 100 * (i + 1),
					    .xlated_len = 800, .jited_len = 500, .nr_map_ids = 2,
					    .run_cnt = 7, .flags = KTSTR_BPF_F_VERIFIED };

		snprintf(r.name, sizeof(r.name), "prog%u", i);
		memcpy(buf + off, &r, sizeof(r));
	}
	return off;
}

static void test_bpf_parse_good(void **state)
{
	static uint8_t buf[sizeof(struct ktstr_msg_bpf_progs) + 3 * sizeof(struct ktstr_bpf_prog)];
	struct run_bpf b = { 0 };
	size_t len = payload(buf, 3, 3);
	char tb[32];

	(void)state;
	assert_int_equal(run_bpf__parse(&b, buf, len), 0);
	assert_true(b.seen);
	assert_true(b.stats_enabled);
	assert_int_equal(b.nprogs, 3);
	assert_int_equal(b.total, 3);
	assert_string_equal(b.progs[2].name, "prog2");
	assert_int_equal(b.progs[2].verified_insns, 300);
	assert_true(b.progs[2].verified_known);
	assert_int_equal(b.progs[1].id, 11);
	assert_int_equal(b.progs[0].run_cnt, 7);
	assert_string_equal(run_bpf__type_name(b.progs[0].type, tb, sizeof(tb)), "struct_ops");
	assert_string_equal(run_bpf__type_name(4000, tb, sizeof(tb)), "type 4000");
	/* A later frame replaces the first; an empty one is well-formed too. */
	len = payload(buf, 0, 0);
	assert_int_equal(run_bpf__parse(&b, buf, len), 0);
	assert_int_equal(b.nprogs, 0);
	run_bpf__free(&b);
}

static void test_bpf_parse_name_untrusted(void **state)
{
	static uint8_t buf[sizeof(struct ktstr_msg_bpf_progs) + sizeof(struct ktstr_bpf_prog)];
	struct ktstr_bpf_prog r;
	struct run_bpf b = { 0 };
	size_t len = payload(buf, 1, 1);

	(void)state;
	/* All 16 bytes used (no NUL) and an escape sequence: cut at 16, made printable. */
	memcpy(&r, buf + sizeof(struct ktstr_msg_bpf_progs), sizeof(r));
	memcpy(r.name, "\x1b[2Jabcdefghijkl", 16);
	r.flags = 0;			/* an old kernel: verified_insns unknown */
	r.verified_insns = 55;
	memcpy(buf + sizeof(struct ktstr_msg_bpf_progs), &r, sizeof(r));
	assert_int_equal(run_bpf__parse(&b, buf, len), 0);
	assert_int_equal(strlen(b.progs[0].name), 16);
	assert_string_equal(b.progs[0].name, "?[2Jabcdefghijkl");
	assert_false(b.progs[0].verified_known);
	assert_int_equal(b.progs[0].verified_insns, 0);
	run_bpf__free(&b);
}

static void test_bpf_parse_malformed(void **state)
{
	static uint8_t buf[sizeof(struct ktstr_msg_bpf_progs) + 4 * sizeof(struct ktstr_bpf_prog)];
	struct ktstr_msg_bpf_progs m;
	struct run_bpf b = { 0 };
	size_t len = payload(buf, 2, 2);

	(void)state;
	assert_int_equal(run_bpf__parse(&b, buf, len), 0);
	/* Shorter than the header. */
	assert_int_equal(run_bpf__parse(&b, buf, sizeof(m) - 1), -EINVAL);
	assert_non_null(strstr(b.bad, "shorter than its header"));
	/* A record short, a byte over. */
	assert_int_equal(run_bpf__parse(&b, buf, len - 1), -EINVAL);
	assert_int_equal(run_bpf__parse(&b, buf, len + 1), -EINVAL);
	assert_non_null(strstr(b.bad, "for 2 programs"));
	/* A count over the maximum. */
	memcpy(&m, buf, sizeof(m));
	m.nprogs = KTSTR_BPF_PROGS_MAX + 1;
	memcpy(buf, &m, sizeof(m));
	assert_int_equal(run_bpf__parse(&b, buf, len), -EINVAL);
	assert_non_null(strstr(b.bad, "at most 256"));
	m.nprogs = UINT32_MAX;
	memcpy(buf, &m, sizeof(m));
	assert_int_equal(run_bpf__parse(&b, buf, len), -EINVAL);
	/* Fewer in all than sent. */
	m.nprogs = 2;
	m.total = 1;
	memcpy(buf, &m, sizeof(m));
	assert_int_equal(run_bpf__parse(&b, buf, len), -EINVAL);
	assert_non_null(strstr(b.bad, "of 1 in all"));
	/* The last good frame is kept through the rejections. */
	assert_int_equal(b.nprogs, 2);
	assert_string_equal(b.progs[1].name, "prog1");
	run_bpf__free(&b);
}

struct seen {
	unsigned frames;
	uint32_t last_len;
};

static int on_frame(const struct proto_frame *f, void *arg)
{
	struct seen *s = arg;

	if (f->type == KTSTR_MSG_BPF_PROGS) {
		s->frames++;
		s->last_len = f->length;
	}
	return 0;
}

static void put_frame(uint8_t *out, size_t *n, const void *p, uint32_t len)
{
	struct ktstr_frame_hdr h = { .magic = KTSTR_PROTO_MAGIC, .version = KTSTR_PROTO_VERSION,
				     .type = KTSTR_MSG_BPF_PROGS, .length = len };

	h.crc32 = (uint32_t)crc32(0L, p, len);
	memcpy(out + *n, &h, sizeof(h));
	memcpy(out + *n + sizeof(h), p, len);
	*n += sizeof(h) + len;
}

/* The stream reader checks the type's size before anything decodes it. */
static void test_bpf_reader_sizes(void **state)
{
	static uint8_t p[sizeof(struct ktstr_msg_bpf_progs) + 2 * sizeof(struct ktstr_bpf_prog)];
	static uint8_t stream[4 * sizeof(p) + 64];
	struct ktstr_msg_bpf_progs m;
	struct proto_reader r;
	struct seen s = { 0 };
	size_t len = payload(p, 2, 2), n = 0;

	(void)state;
	put_frame(stream, &n, p, (uint32_t)len - 1);		/* a byte short */
	put_frame(stream, &n, p, 4);				/* shorter than the header */
	memcpy(&m, p, sizeof(m));
	m.nprogs = KTSTR_BPF_PROGS_MAX + 1;
	memcpy(p, &m, sizeof(m));
	put_frame(stream, &n, p, (uint32_t)len);		/* too many */
	m.nprogs = 2;
	memcpy(p, &m, sizeof(m));
	put_frame(stream, &n, p, (uint32_t)len);		/* the good one */
	proto_reader__init(&r);
	proto_reader__feed(&r, stream, n, on_frame, &s);
	assert_int_equal(proto_reader__finish(&r, on_frame, &s), 0);
	assert_int_equal(s.frames, 1);
	assert_int_equal(s.last_len, len);
	assert_int_equal(r.st.bad_payload, 3);
	assert_string_equal(proto__type_name(KTSTR_MSG_BPF_PROGS), "bpf_progs");
	proto_reader__free(&r);
}

/* ---- the verifier's log */

/* scx-ktstr --fail-verify under 6.12, as its scheduler port carried it. */
static const char fail_verify_log[] =
	"libbpf: prog 'ktstr_dispatch': BPF program load failed: Permission denied\n"
	"libbpf: prog 'ktstr_dispatch': -- BEGIN PROG LOAD LOG --\n"
	"Global function ktstr_dispatch() doesn't return scalar. Only those are supported.\n"
	"0: R1=ctx() R10=fp0\n"
	"; void BPF_STRUCT_OPS(ktstr_dispatch, s32 cpu, struct task_struct *prev) @ scx_ktstr.bpf.c:142\n"
	"0: (79) r6 = *(u64 *)(r1 +0)          ; R1=ctx() R6_w=scalar()\n"
	"; if (fail_verify) { @ scx_ktstr.bpf.c:144\n"
	"1: (18) r1 = 0xffffc9000004e007       ; R1_w=map_value(map=scx_ktst.rodata,ks=4,vs=16,off=7)\n"
	"3: (71) r1 = *(u8 *)(r1 +0)           ; R1_w=1\n"
	"4: (56) if w1 != 0x1 goto pc+10       ; R1_w=1\n"
	"5: (b4) w1 = 0                        ; R1_w=0\n"
	"; u32 key = 0; @ scx_ktstr.bpf.c:145\n"
	"6: (63) *(u32 *)(r10 -4) = r1         ; R1_w=0 R10=fp0 fp-8=0000????\n"
	"7: (bf) r2 = r10                      ; R2_w=fp0 R10=fp0\n"
	"8: (07) r2 += -4                      ; R2_w=fp-4\n"
	"; u64 *v = bpf_map_lookup_elem(&ktstr_probe, &key); @ scx_ktstr.bpf.c:146\n"
	"9: (18) r1 = 0xffff8880026fa200       ; R1_w=map_ptr(map=ktstr_probe,ks=4,vs=8)\n"
	"11: (85) call bpf_map_lookup_elem#1   ; R0=map_value_or_null(id=1,map=ktstr_probe,ks=4,vs=8)\n"
	"; *v += 1;\t/* no NULL check: \"invalid mem access 'map_value_or_null'\" */ @ scx_ktstr.bpf.c:148\n"
	"12: (79) r1 = *(u64 *)(r0 +0)\n"
	"R0 invalid mem access 'map_value_or_null'\n"
	"processed 11 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 1\n"
	"-- END PROG LOAD LOG --\n"
	"libbpf: prog 'ktstr_dispatch': failed to load: -13\n"
	"libbpf: failed to load object 'scx_ktstr'\n"
	"libbpf: failed to load BPF skeleton 'scx_ktstr': -13\n"
	"scx-ktstr: loading the scheduler failed: Permission denied (the verifier's log is above)\n";

static void test_cut_fail_verify(void **state)
{
	struct verifier_cut c;

	(void)state;
	assert_int_equal(verifier_log__cut(fail_verify_log, strlen(fail_verify_log), 6, &c), 1);
	assert_string_equal(c.prog, "ktstr_dispatch");
	assert_string_equal(c.message, "R0 invalid mem access 'map_value_or_null'");
	assert_string_equal(c.insn, "12: (79) r1 = *(u64 *)(r0 +0)");
	assert_true(c.has_stats);
	assert_true(c.ended);
	assert_int_equal(c.processed, 11);
	assert_int_equal(c.limit, 1000000);
	assert_int_equal(c.total_states, 1);
	assert_int_equal(c.peak_states, 1);
	assert_int_equal(c.mark_read, 1);
	assert_int_equal(c.lines, 20);
	/* 6 lines of context before the message, the message, the summary. */
	assert_int_equal(c.omitted, 12);
	assert_non_null(strstr(c.text, "12: (79) r1 = *(u64 *)(r0 +0)\n"
				       "R0 invalid mem access 'map_value_or_null'\n"
				       "processed 11 insns"));
	assert_non_null(strstr(c.text, "; *v += 1;"));		/* the source line */
	assert_non_null(strstr(c.text, "11: (85) call bpf_map_lookup_elem#1"));
	assert_true(!strncmp(c.text, "8: (07) r2 += -4", 16));
	assert_null(strstr(c.text, "0: (79) r6"));		/* the walk's start: cut */
	assert_null(strstr(c.text, "Global function"));
	assert_null(strstr(c.text, "END PROG LOAD LOG"));
	assert_null(strstr(c.text, "libbpf:"));		/* nothing after the log */
	verifier_log__free(&c);

	/* With the default context the whole walk fits but its first lines. */
	assert_int_equal(verifier_log__cut(fail_verify_log, strlen(fail_verify_log),
					   VERIFIER_LOG_CONTEXT, &c), 1);
	assert_int_equal(c.omitted, 18 - VERIFIER_LOG_CONTEXT);
	verifier_log__free(&c);
}

static void test_cut_none(void **state)
{
	static const char plain[] = "scx_simple: starting\nlibbpf: failed to open: -2\n";
	static const char empty[] = "libbpf: prog 'p': -- BEGIN PROG LOAD LOG --\n-- END PROG LOAD LOG --\n";
	struct verifier_cut c;

	(void)state;
	assert_int_equal(verifier_log__cut(plain, strlen(plain), 8, &c), 0);
	assert_null(c.text);
	assert_int_equal(verifier_log__cut(NULL, 0, 8, &c), 0);
	assert_int_equal(verifier_log__cut(empty, strlen(empty), 8, &c), 0);
	assert_null(c.text);
}

/* A log cut short (no summary, no END), with CRLF lines and no final newline. */
static void test_cut_short(void **state)
{
	static const char log[] =
		"libbpf: prog 'big_loop': -- BEGIN PROG LOAD LOG --\r\n"
		"0: (b7) r0 = 0\r\n"
		"1: (07) r0 += 1\r\n"
		"2: (05) goto pc-2\r\n"
		"infinite loop detected at insn 1";
	struct verifier_cut c;

	(void)state;
	assert_int_equal(verifier_log__cut(log, strlen(log), 2, &c), 1);
	assert_string_equal(c.prog, "big_loop");
	assert_false(c.ended);
	assert_false(c.has_stats);
	assert_string_equal(c.message, "infinite loop detected at insn 1");
	assert_string_equal(c.insn, "2: (05) goto pc-2");
	assert_string_equal(c.text, "1: (07) r0 += 1\n2: (05) goto pc-2\n"
				    "infinite loop detected at insn 1\n");
	assert_int_equal(c.omitted, 1);
	verifier_log__free(&c);
}

/* A walk of thousands of lines (a loop to the limit): only its end is kept. */
static void test_cut_long(void **state)
{
	size_t cap = 1 << 20, n = 0;
	char *log = malloc(cap);
	struct verifier_cut c;

	(void)state;
	assert_non_null(log);
	n += (size_t)snprintf(log + n, cap - n, "libbpf: prog 'loop': -- BEGIN PROG LOAD LOG --\n");
	for (int i = 0; i < 5000; i++)
		n += (size_t)snprintf(log + n, cap - n, "%d: (07) r1 += 1 ; R1_w=%d\n", i, i);
	/* the END mark right after the log's last line, which has no newline */
	n += (size_t)snprintf(log + n, cap - n, "BPF program is too large. Processed 1000001 insn\n"
			      "processed 1000001 insns (limit 1000000) max_states_per_insn 4 "
			      "total_states 9000 peak_states 900 mark_read 3\n"
			      "verification time 12345 usec\nstack depth 8-- END PROG LOAD LOG --\n");
	assert_int_equal(verifier_log__cut(log, n, 4, &c), 1);
	assert_string_equal(c.message, "BPF program is too large. Processed 1000001 insn");
	assert_string_equal(c.insn, "4999: (07) r1 += 1 ; R1_w=4999");
	assert_int_equal(c.processed, 1000001);
	assert_int_equal(c.total_states, 9000);
	assert_int_equal(c.lines, 5004);
	assert_int_equal(c.omitted, 4996);
	assert_true(!strncmp(c.text, "4996: ", 6));
	/* the figures after the summary stay; the END mark does not */
	assert_non_null(strstr(c.text, "verification time 12345 usec\nstack depth 8\n"));
	assert_null(strstr(c.text, "END PROG"));
	assert_null(strstr(c.text, "4995:"));
	verifier_log__free(&c);
	free(log);
}

/* ---- the plan's record */

static const char yaml[] =
	"name: v\n"
	"duration: 1s\n"
	"cgroups:\n"
	"  - name: cg0\n";

static void plan_for(bool bpf, const char *sched, char **text, size_t *len)
{
	struct scenario_set set;
	struct diag_list d = { 0 };
	struct plan_opts po = PLAN_OPTS_DEFAULT;
	char err[256];
	FILE *f;

	scenario_set__init(&set);
	assert_int_equal(scenario__load_buffer(&set, "v.yaml", yaml, strlen(yaml), &d), 0);
	assert_int_equal(scenario_set__validate(&set, &d), 0);
	po.bpf_progs = bpf;
	po.sched_path = sched;
	f = open_memstream(text, len);
	assert_non_null(f);
	assert_int_equal(plan__write(set.items[0], &set.items[0]->topology, &po, f, err,
				     sizeof(err)), 0);
	fclose(f);
	diag__free(&d);
	scenario_set__free(&set);
}

static void test_plan_record(void **state)
{
	struct plan p;
	char *text, err[256];
	size_t len;

	(void)state;
	plan_for(true, "/ktstr/sched/scx-ktstr", &text, &len);
	assert_non_null(strstr(text, "\nbpf-progs\n"));
	assert_int_equal(plan__parse(text, len, &p, err, sizeof(err)), 0);
	assert_true(p.bpf_progs);
	plan__free(&p);
	free(text);
	/* Not asked for, or no scheduler to ask about: no record. */
	plan_for(false, "/ktstr/sched/scx-ktstr", &text, &len);
	assert_null(strstr(text, "bpf-progs"));
	assert_int_equal(plan__parse(text, len, &p, err, sizeof(err)), 0);
	assert_false(p.bpf_progs);
	plan__free(&p);
	free(text);
	plan_for(true, NULL, &text, &len);
	assert_null(strstr(text, "bpf-progs"));
	free(text);
}

static void test_plan_record_args(void **state)
{
	static const char bad[] = "ktstr-plan 2\nname =v\nduration 1000000000\nworkers 1\n"
				  "ncpus 1\ncpu 0 0 0\nscheduler =/s\nbpf-progs 1\nbackdrop\nend\n";
	struct plan p;
	char err[256];

	(void)state;
	assert_int_equal(plan__parse(bad, strlen(bad), &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'bpf-progs' takes 0 arguments"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bpf_parse_good),
		cmocka_unit_test(test_bpf_parse_name_untrusted),
		cmocka_unit_test(test_bpf_parse_malformed),
		cmocka_unit_test(test_bpf_reader_sizes),
		cmocka_unit_test(test_cut_fail_verify),
		cmocka_unit_test(test_cut_none),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_cut_long),
		cmocka_unit_test(test_plan_record),
		cmocka_unit_test(test_plan_record_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
