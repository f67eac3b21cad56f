// SPDX-License-Identifier: GPL-2.0
/*
 * A run's report as text: header, reasons, --- stats ---, --- diagnostics ---
 * (with the guest's topology against the scenario's), --- timeline ---,
 * the steps as the agent reported them, and --- monitor --- (run_monitor.h).
 */
#include "run_report.h"

#include <stdint.h>
#include <string.h>

#include "run_monitor.h"
#include "sched_host.h"
#include "scenario/scenario_inst.h"
#include "out/term_text.h"

#define OPS_SHOWN 8

static void print_status(uint32_t status, FILE *out)
{
	if (!status)
		fputs("ok", out);
	else
		fprintf(out, "failed: %s (errno %u)", strerror((int)status), status);
}

static void print_cgroups(const struct cgroup_def *cgs, size_t n, FILE *out)
{
	if (!n)
		return;
	fputs("  setup:", out);
	for (size_t i = 0; i < n && i < OPS_SHOWN; i++)
		fprintf(out, " %s%s", cgs[i].name, i + 1 < n && i + 1 < OPS_SHOWN ? "," : "");
	if (n > OPS_SHOWN)
		fprintf(out, " (+%zu more)", n - OPS_SHOWN);
}

static void print_ops(const struct op *ops, size_t n, FILE *out)
{
	if (!n)
		return;
	fputs("  ops:", out);
	for (size_t i = 0; i < n && i < OPS_SHOWN; i++) {
		const struct op *op = &ops[i];

		fprintf(out, " %s", op_kind__name(op->kind));
		if (op->cgroup)
			fprintf(out, " %s", op->cgroup);
		if (op->cgroup2)
			fprintf(out, " %s", op->cgroup2);
		if (op->name)
			fprintf(out, " %s", op->name);
		if (i + 1 < n && i + 1 < OPS_SHOWN)
			fputc(',', out);
	}
	if (n > OPS_SHOWN)
		fprintf(out, " (+%zu more)", n - OPS_SHOWN);
}

/* "  scheduler down 312 ms" after a step's restart_scheduler (a loop's: each). */
static void print_restarts(const struct run_result *res, uint32_t step, FILE *out)
{
	size_t n = 0;

	for (size_t i = 0; i < res->nrestarts; i++) {
		if (res->restarts[i].step != step)
			continue;
		if (n++ < OPS_SHOWN)
			fprintf(out, "%s%u", n == 1 ? "  scheduler down " : ", ",
				res->restarts[i].down_ms);
	}
	if (n > OPS_SHOWN)
		fprintf(out, " (+%zu more)", n - OPS_SHOWN);
	if (n)
		fputs(" ms", out);
}

void run__print_timeline(const struct scenario *sc, const struct run_result *res, FILE *out)
{
	uint32_t reached = 0;	/* steps (not the backdrop) reported */

	if (!res->nsteps && !sc->nsteps && !res->scenario_ended)
		return;
	fprintf(out, "\n--- timeline ---\n");
	if (!res->nsteps && res->stage < STAGE_SCENARIO_STARTED)
		fprintf(out, "no step reported: %s\n", run_stage__str(res->stage));
	for (size_t i = 0; i < res->nsteps; i++) {
		const struct run_step *st = &res->steps[i];
		char label[32];

		if (st->index == UINT32_MAX)
			snprintf(label, sizeof(label), "backdrop");
		else
			snprintf(label, sizeof(label), "step %u", st->index);
		fprintf(out, "%-9s +%ums cgroups=%u workers=%u ", label, st->elapsed_ms, st->ncgroups,
			st->nworkers);
		print_status(st->status, out);
		if (st->index == UINT32_MAX) {
			print_cgroups(sc->cgroups, sc->ncgroups, out);
		} else if (st->index < sc->nsteps) {
			print_cgroups(sc->steps[st->index].cgroups, sc->steps[st->index].ncgroups, out);
			print_ops(sc->steps[st->index].ops, sc->steps[st->index].nops, out);
			print_restarts(res, st->index, out);
		} else {
			fprintf(out, "  (not a step of this scenario: %u ops)", st->nops);
		}
		fputc('\n', out);
		if (st->index != UINT32_MAX && st->index + 1 > reached)
			reached = st->index + 1;
	}
	for (size_t i = reached; i < sc->nsteps; i++) {
		char label[32];

		snprintf(label, sizeof(label), "step %zu", i);
		fprintf(out, "%-9s not reached\n", label);
	}
	if (res->scenario_ended) {
		fprintf(out, "%-9s +%ums ", "end", res->end_elapsed_ms);
		if (res->end_status)
			fprintf(out, "failed: %s (errno %d)\n", strerror(res->end_status),
				res->end_status);
		else
			fputs("ran to the end\n", out);
	} else {
		fprintf(out, "%-9s never reached (%s)\n", "end", run_stage__str(res->stage));
	}
}

/*
 * "host: the guest's 4 vCPUs got 38% of the host CPU they would have had
 * over the scenario's 4.0 s (6.1 s running, 2.0 s waiting for a host CPU;
 * 9 threads)". Under single-threaded TCG all vCPUs share one thread, so
 * 100%/vCPUs is the most they can get.
 */
static void print_host_cpu(const struct run_host_cpu *h, FILE *out)
{
	double whole = (double)h->window_ms * 1e6 * h->vcpus;

	if (!h->valid || !h->vcpus || !h->window_ms)
		return;
	fprintf(out, "host: the guest's %u vCPUs got %.0f%% of the host CPU they would have had "
		"over the scenario's %.1f s (%.1f s running, %.1f s waiting for a host CPU; "
		"%u threads)\n", h->vcpus, (double)h->run_ns / whole * 100.0,
		(double)h->window_ms / 1000.0, (double)h->run_ns / 1e9, (double)h->wait_ns / 1e9,
		h->threads);
}

void run__print_report(const struct scenario *sc, const struct topology *t,
		       const struct run_result *res, FILE *out)
{
	const struct verdict *v = &res->verdict;
	char topo[TOPOLOGY_NAME_MAX];
	struct scenario_inst inst;

	topology__format(t, topo);
	fprintf(out, "ktstr '%s'", sc->name);
	if (sc->sched && !sc->sched->eevdf)
		fprintf(out, " [sched=%s]", sc->sched->name);
	/* The original's header for a run that only the monitor failed. */
	fprintf(out, " [topo=%s] %s:\n", topo,
		v->passed ? (sc->expect_fail ? "failed as expected" : "passed") :
		res->monitor.scenario_passed && res->monitor.state == RUN_MON_RAN &&
		!res->monitor.verdict->passed ? "passed scenario but monitor failed" : "failed");
	/* Reasons quote the guest (a scheduler's message): never raw control bytes. */
	for (size_t i = 0; i < v->nreasons; i++) {
		fputs("  ", out);
		term_text__line(out, v->reasons[i]);
		fputc('\n', out);
	}
	if (v->dropped_reasons)
		fprintf(out, "  (%zu more)\n", v->dropped_reasons);
	if (v->nwaived)
		fprintf(out, "not failed: hardware_only limits, judged only at hardware speed "
			"(the %s thresholds waive them):\n", res->checks_profile);
	for (size_t i = 0; i < v->nwaived; i++) {
		fputs("  ", out);
		term_text__line(out, v->waived[i]);
		fputc('\n', out);
	}
	fprintf(out, "\n--- stats ---\n");
	verdict__print_stats(v, out);
	fprintf(out, "checks: %s thresholds\n", res->checks_profile);
	fprintf(out, "\n--- diagnostics ---\n");
	fprintf(out, "stage: %s\n", run_stage__str(res->stage));
	fprintf(out, "vm: %s after %.1fs%s%s\n", vm_exit__str(res->vm.exit), res->vm.wall_ms / 1000.0,
		res->vm.reason[0] ? ", " : "", res->vm.reason);
	if (res->backend[0])
		fprintf(out, "backend: %s\n", res->backend);
	print_host_cpu(&res->host_cpu, out);
	if (res->stage == STAGE_EXITED)
		fprintf(out, "exit_code=%d\n", res->agent_exit);
	if (res->stage == STAGE_NOT_BOOTED && res->kernel_progress[0])
		fprintf(out, "kernel: %s\n", res->kernel_progress);
	fputs(res->topo_diag, out);	/* "topology: ..." lines (run_topo.h) */
	if (res->harness_failure || res->stage != STAGE_EXITED) {
		size_t lines = 0;

		for (const char *p = res->console_tail; *p; p++)
			lines += *p == '\n';
		fprintf(out, "console (last %zu lines):\n", lines);
		term_text__write(out, res->console_tail, strlen(res->console_tail), true);
		if (res->console_tail[0] && res->console_tail[strlen(res->console_tail) - 1] != '\n')
			fputc('\n', out);
	}
	/* The cgroups as the agent made them: repeated entries expanded on @t. */
	if (!scenario_inst__init(&inst, sc, t))
		run__print_timeline(inst.sc, res, out);
	else
		run__print_timeline(sc, res, out);
	scenario_inst__free(&inst);
	run_monitor__print(&res->monitor, out);
	sched_host__print(res->sched_log, res->sched_log_len, res->sched_exit, out);
}
