// SPDX-License-Identifier: GPL-2.0
/* ktstr verifier's output: tables, A/B, the cut log, JSON lines. */
#include "verifier.h"

#include <stdlib.h>
#include <string.h>

#include "base/json_out.h"
#include "out/term_text.h"
#include "run/sched_host.h"

void vrun__free(struct vrun *v)
{
	run_bpf__free(&v->bpf);
	verifier_log__free(&v->cut);
	free(v->sched_log);
	free(v->sched_exit);
	v->sched_log = v->sched_exit = NULL;
}

const char *vrun_state__name(enum vrun_state s)
{
	switch (s) {
	case VRUN_LOADED:
		return "loaded";
	case VRUN_REJECTED:
		return "rejected";
	case VRUN_FAILED:
		return "failed";
	}
	return "?";
}

/* The widest program name of @r, at least "PROGRAM". */
static int name_width(const struct vrun *r, int w)
{
	for (size_t i = 0; i < r->bpf.nprogs; i++) {
		int n = (int)strlen(r->bpf.progs[i].name);

		w = n > w ? n : w;
	}
	return w;
}

void verifier__print_notes(FILE *out, const struct vrun *r, bool label)
{
	char where[448] = "";

	if (label)
		snprintf(where, sizeof(where), " (%s, profile %s)", r->kernel, r->profile);
	if (r->bpf.status)
		fprintf(out, "note%s: the guest's walk of its programs stopped early: %s\n", where,
			strerror(r->bpf.status));
	for (size_t i = 0; i < r->bpf.nprogs; i++) {
		const struct run_bpf_prog *p = &r->bpf.progs[i];

		if ((uint64_t)p->verified_insns * 1000 >=
		    (uint64_t)VERIFIER_INSN_LIMIT * VERIFIER_NEAR_LIMIT_PERMILLE)
			fprintf(out, "note%s: %s: %u instructions verified, %.0f%% of the "
				"verifier's limit (%u)\n", where, p->name, p->verified_insns,
				p->verified_insns * 100.0 / VERIFIER_INSN_LIMIT, VERIFIER_INSN_LIMIT);
	}
	if (r->state == VRUN_LOADED && r->reason[0]) {
		fprintf(out, "note%s: after loading: ", where);
		term_text__line(out, r->reason);
		fputc('\n', out);
	}
}

static void print_table(FILE *out, const struct vrun *r)
{
	int w = name_width(r, 7);
	uint64_t tv = 0, tx = 0, tj = 0;
	char tb[32], runs[32];

	fprintf(out, "%-*s  %-14s  %9s  %8s  %8s  %4s  %10s\n", w, "PROGRAM", "TYPE", "VERIFIED",
		"XLATED", "JITED", "MAPS", "RUNS");
	for (size_t i = 0; i < r->bpf.nprogs; i++) {
		const struct run_bpf_prog *p = &r->bpf.progs[i];
		char v[24];

		if (p->verified_known)
			snprintf(v, sizeof(v), "%u", p->verified_insns);
		else
			snprintf(v, sizeof(v), "?");
		if (r->bpf.stats_enabled)
			snprintf(runs, sizeof(runs), "%llu", (unsigned long long)p->run_cnt);
		else
			snprintf(runs, sizeof(runs), "-");
		fprintf(out, "%-*s  %-14s  %9s  %8u  %8u  %4u  %10s\n", w, p->name,
			run_bpf__type_name(p->type, tb, sizeof(tb)), v, p->xlated_len, p->jited_len,
			p->nr_map_ids, runs);
		tv += p->verified_insns;
		tx += p->xlated_len;
		tj += p->jited_len;
	}
	fprintf(out, "%-*s  %-14s  %9llu  %8llu  %8llu\n", w, "total", "", (unsigned long long)tv,
		(unsigned long long)tx, (unsigned long long)tj);
}

void verifier__print_run(FILE *out, const char *sched, const struct vrun *r)
{
	fprintf(out, "%s on %s, profile %s: ", sched, r->kernel, r->profile);
	if (r->state != VRUN_LOADED) {
		fprintf(out, "%s\n", r->state == VRUN_REJECTED ? "rejected by the verifier" :
			"did not load");
		return;
	}
	fprintf(out, "%zu BPF program%s loaded", r->bpf.nprogs, r->bpf.nprogs == 1 ? "" : "s");
	if (r->bpf.total > r->bpf.nprogs)
		fprintf(out, " (the first %zu of %u)", r->bpf.nprogs, r->bpf.total);
	fputc('\n', out);
	if (r->bpf.nprogs)
		print_table(out, r);
	verifier__print_notes(out, r, false);
}

/* ---- A/B */

static const struct run_bpf_prog *find_prog(const struct vrun *r, const char *name, bool *used)
{
	for (size_t i = 0; i < r->bpf.nprogs; i++)
		if (!used[i] && !strcmp(r->bpf.progs[i].name, name)) {
			used[i] = true;
			return &r->bpf.progs[i];
		}
	return NULL;
}

/* "rejected" when @r is a rejection of program @name (the kernel's name: 15 chars at most). */
static const char *rejected_as(const struct vrun *r, const char *name)
{
	if (r->state == VRUN_REJECTED && r->cut.prog[0] &&
	    !strncmp(r->cut.prog, name, KTSTR_BPF_NAME_LEN - 1))
		return "rejected";
	return "-";
}

/*
 * One program's row; a side without the program shows @xa or @xb instead;
 * @both: both runs loaded (else a missing side is no news).
 */
static void ab_row(FILE *out, int w, const char *name, const char *type,
		   const struct run_bpf_prog *a, const struct run_bpf_prog *b, bool both,
		   const char *xa, const char *xb)
{
	char va[24], vb[24], d[24] = "-", rel[24] = "-";

	snprintf(va, sizeof(va), "%s", xa);
	snprintf(vb, sizeof(vb), "%s", xb);
	if (a)
		snprintf(va, sizeof(va), "%u", a->verified_insns);
	if (b)
		snprintf(vb, sizeof(vb), "%u", b->verified_insns);
	if (a && b) {
		long long delta = (long long)b->verified_insns - (long long)a->verified_insns;

		snprintf(d, sizeof(d), "%+lld", delta);
		if (a->verified_insns)
			snprintf(rel, sizeof(rel), "%+.1f%%", delta * 100.0 / a->verified_insns);
		else
			snprintf(rel, sizeof(rel), delta ? "new" : "0.0%%");
	} else if (both) {
		snprintf(rel, sizeof(rel), a ? "only A" : "only B");
	}
	fprintf(out, "%-*s  %-14s  %9s  %9s  %9s  %8s\n", w, name, type, va, vb, d, rel);
}

void verifier__print_ab(FILE *out, const struct vrun *a, const struct vrun *b)
{
	bool *used = calloc(b->bpf.nprogs + 1, sizeof(*used));
	int w = name_width(b, name_width(a, 7));
	bool both = a->state == VRUN_LOADED && b->state == VRUN_LOADED;
	uint64_t ta = 0, tb = 0;
	char t[32];

	if (!used) {
		fprintf(out, "out of memory\n");
		return;
	}
	fprintf(out, "A: %s, profile %s (%s)\nB: %s, profile %s (%s)\n", a->kernel, a->profile,
		vrun_state__name(a->state), b->kernel, b->profile, vrun_state__name(b->state));
	fprintf(out, "%-*s  %-14s  %9s  %9s  %9s  %8s\n", w, "PROGRAM", "TYPE", "A", "B", "DELTA",
		"DELTA%");
	for (size_t i = 0; i < a->bpf.nprogs; i++) {
		const struct run_bpf_prog *pa = &a->bpf.progs[i];
		const struct run_bpf_prog *pb = find_prog(b, pa->name, used);

		ab_row(out, w, pa->name, run_bpf__type_name(pa->type, t, sizeof(t)), pa, pb, both,
		       "-", rejected_as(b, pa->name));
		ta += pa->verified_insns;
	}
	for (size_t i = 0; i < b->bpf.nprogs; i++) {
		const struct run_bpf_prog *pb = &b->bpf.progs[i];

		tb += pb->verified_insns;
		if (!used[i])
			ab_row(out, w, pb->name, run_bpf__type_name(pb->type, t, sizeof(t)), NULL,
			       pb, both, rejected_as(a, pb->name), "-");
	}
	if (both) {
		struct run_bpf_prog sa = { .verified_insns = (uint32_t)ta },
				    sb = { .verified_insns = (uint32_t)tb };

		ab_row(out, w, "total", "", &sa, &sb, both, "-", "-");
	}
	free(used);
}

/* ---- a run that did not load */

void verifier__print_failure(FILE *out, const char *sched, const struct vrun *r)
{
	const struct verifier_cut *c = &r->cut;

	if (r->state == VRUN_REJECTED) {
		fprintf(out, "%s on %s, profile %s: the verifier rejected program %s\n", sched,
			r->kernel, r->profile, c->prog[0] ? c->prog : "(unnamed)");
		fputs("  message: ", out);
		term_text__line(out, c->message);
		if (c->insn[0]) {
			fputs("\n  insn:    ", out);
			term_text__line(out, c->insn);
		}
		fputc('\n', out);
		if (c->has_stats)
			fprintf(out, "  processed %llu insns (limit %llu), total_states %llu, "
				"peak_states %llu, max_states_per_insn %llu\n",
				(unsigned long long)c->processed, (unsigned long long)c->limit,
				(unsigned long long)c->total_states,
				(unsigned long long)c->peak_states,
				(unsigned long long)c->max_states_per_insn);
		fprintf(out, "--- verifier log (%s%zu of %zu lines%s) ---\n",
			c->omitted ? "the last " : "", c->lines - c->omitted, c->lines,
			c->ended ? "" : "; the log was cut short");
		term_text__write(out, c->text, strlen(c->text), true);
		fputs("--- end of verifier log ---\n", out);
		return;
	}
	fprintf(out, "%s on %s, profile %s: did not load\n  ", sched, r->kernel, r->profile);
	term_text__line(out, r->reason[0] ? r->reason : "no BPF programs reported by the guest");
	fputc('\n', out);
	sched_host__print(r->sched_log, r->sched_log_len, r->sched_exit, out);
}

/* ---- JSON */

static void json_prog(struct json_out *j, const struct run_bpf_prog *p, bool stats)
{
	char tb[32];

	json_out__object_begin(j);
	json_out__key(j, "name");
	json_out__string(j, p->name);
	json_out__key(j, "id");
	json_out__u64(j, p->id);
	json_out__key(j, "type");
	json_out__string(j, run_bpf__type_name(p->type, tb, sizeof(tb)));
	json_out__key(j, "verified_insns");
	if (p->verified_known)
		json_out__u64(j, p->verified_insns);
	else
		json_out__null(j);
	json_out__key(j, "xlated_len");
	json_out__u64(j, p->xlated_len);
	json_out__key(j, "jited_len");
	json_out__u64(j, p->jited_len);
	json_out__key(j, "nr_map_ids");
	json_out__u64(j, p->nr_map_ids);
	json_out__key(j, "run_cnt");
	if (stats)
		json_out__u64(j, p->run_cnt);
	else
		json_out__null(j);
	json_out__key(j, "run_time_ns");
	if (stats)
		json_out__u64(j, p->run_time_ns);
	else
		json_out__null(j);
	json_out__object_end(j);
}

static void json_cut(struct json_out *j, const struct verifier_cut *c)
{
	json_out__object_begin(j);
	json_out__key(j, "program");
	json_out__string(j, c->prog);
	json_out__key(j, "message");
	json_out__string(j, c->message);
	json_out__key(j, "insn");
	json_out__string(j, c->insn[0] ? c->insn : NULL);
	json_out__key(j, "processed");
	if (c->has_stats)
		json_out__u64(j, c->processed);
	else
		json_out__null(j);
	json_out__key(j, "limit");
	if (c->has_stats && c->limit)
		json_out__u64(j, c->limit);
	else
		json_out__null(j);
	json_out__key(j, "total_states");
	if (c->has_stats)
		json_out__u64(j, c->total_states);
	else
		json_out__null(j);
	json_out__key(j, "peak_states");
	if (c->has_stats)
		json_out__u64(j, c->peak_states);
	else
		json_out__null(j);
	json_out__key(j, "log");
	json_out__string(j, c->text);
	json_out__object_end(j);
}

void verifier__print_json(FILE *out, const char *sched, const struct vrun *r)
{
	struct json_out j;

	json_out__init(&j, out);
	json_out__object_begin(&j);
	json_out__key(&j, "scheduler");
	json_out__string(&j, sched);
	json_out__key(&j, "kernel");
	json_out__string(&j, r->kernel);
	json_out__key(&j, "profile");
	json_out__string(&j, r->profile);
	json_out__key(&j, "status");
	json_out__string(&j, vrun_state__name(r->state));
	json_out__key(&j, "seconds");
	json_out__double(&j, r->secs);
	json_out__key(&j, "programs");
	json_out__array_begin(&j);
	for (size_t i = 0; i < r->bpf.nprogs; i++)
		json_prog(&j, &r->bpf.progs[i], r->bpf.stats_enabled);
	json_out__array_end(&j);
	json_out__key(&j, "programs_total");
	json_out__u64(&j, r->bpf.total);
	json_out__key(&j, "rejected");
	if (r->state == VRUN_REJECTED)
		json_cut(&j, &r->cut);
	else
		json_out__null(&j);
	json_out__key(&j, "reason");
	json_out__string(&j, r->reason[0] ? r->reason : NULL);
	json_out__object_end(&j);
	json_out__newline(&j);
}
