// SPDX-License-Identifier: GPL-2.0
/*
 * Semantic validation: scheduler and flag resolution, topology filling,
 * cpusets, memory policies, worker groups, cgroup and program lifetimes
 * through the steps, holds, and the fits-a-preset check of the gauntlet.
 * Every error is checked with its exact text and FILE:LINE:COLUMN.
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
#include <sys/stat.h>
#include <unistd.h>

#include "topo/cpuset_spec.h"
#include "scenario/scenario_load.h"
#include "scenario/scenario_validate.h"
#include "topo/topology.h"

struct fx {
	struct scenario_set set;
	struct diag_list d;
	int nerr;
	char dir[32];			/* a temporary directory, when a test made one */
	char *files[8];			/* files written in it, removed by teardown */
	size_t nfiles;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	scenario_set__init(&f->set);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char path[512];

	for (size_t i = 0; i < f->nfiles; i++) {
		unlink(f->files[i]);
		free(f->files[i]);
	}
	if (f->dir[0]) {
		snprintf(path, sizeof(path), "%s/schedulers", f->dir);
		rmdir(path);
		rmdir(f->dir);
	}
	diag__free(&f->d);
	scenario_set__free(&f->set);
	free(f);
	return 0;
}

static void load(struct fx *f, const char *name, const char *yaml)
{
	if (scenario__load_buffer(&f->set, name, yaml, strlen(yaml), &f->d)) {
		diag__print(&f->d, stderr);
		fail_msg("%s did not load", name);
	}
}

static void load_scheds(struct fx *f, const char *name, const char *yaml)
{
	if (sched_defs__load_buffer(&f->set, name, yaml, strlen(yaml), &f->d)) {
		diag__print(&f->d, stderr);
		fail_msg("%s did not load", name);
	}
}

static int validate(struct fx *f)
{
	f->nerr = scenario_set__validate(&f->set, &f->d);
	assert_int_equal((size_t)f->nerr, f->d.n);
	return f->nerr;
}

static void print_diags(const struct fx *f)
{
	fprintf(stderr, "diagnostics (%zu):\n", f->d.n);
	diag__print(&f->d, stderr);
}

/* Is "FILE:LINE:COL: message" among the diagnostics? */
static bool has_diag(const struct fx *f, const char *want)
{
	char buf[1024];

	for (size_t i = 0; i < f->d.n; i++) {
		const struct diag *e = &f->d.items[i];

		snprintf(buf, sizeof(buf), "%s:%u:%u: %s", e->loc.file ? e->loc.file : "<input>",
			 e->loc.line, e->loc.col, e->msg);
		if (!strcmp(buf, want))
			return true;
	}
	return false;
}

#define assert_diag(f, want)                                             \
	do {                                                             \
		if (!has_diag((f), (want))) {                            \
			print_diags(f);                                  \
			fail_msg("missing diagnostic: %s", (want));      \
		}                                                        \
	} while (0)

/* Exactly one error, this one. */
#define assert_only_diag(f, want)                                        \
	do {                                                             \
		if (validate(f) != 1 || !has_diag((f), (want))) {        \
			print_diags(f);                                  \
			fail_msg("expected only: %s", (want));           \
		}                                                        \
	} while (0)

#define assert_valid(f)                                                  \
	do {                                                             \
		if (validate(f)) {                                       \
			print_diags(f);                                  \
			fail_msg("expected no errors");                  \
		}                                                        \
	} while (0)

/* The loader wants every scenario to run something. */
#define CG "cgroups: [{name: cg0}]\n"

static const char scx_ktstr[] =
	"name: scx-ktstr\n"
	"binary: scx_ktstr\n"
	"topology: 1n2l4c1t\n"
	"flags: [llc, borrow, steal, rebal, reject-pin, no-ctrl]\n";

/* ---- valid scenarios ---- */

static void test_valid_two_cgroups(void **state)
{
	struct fx *f = *state;

	load(f, "two.yaml",
	     "name: two_cgroups\n"
	     "topology: 1n2l4c1t\n"
	     "duration: 5s\n"
	     "workers: 2\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    cpuset: {disjoint: 0/2}\n"
	     "  - name: cg1\n"
	     "    cpuset: {disjoint: 1/2}\n"
	     "    work: {type: bursty, burst: 50ms, sleep: 100ms}\n"
	     "    workers: 4\n"
	     "checks:\n"
	     "  isolation: true\n"
	     "  max_gap: 2000ms\n");
	assert_valid(f);
	assert_ptr_equal(f->set.items[0]->sched, sched_def__eevdf());
	assert_int_equal(f->set.items[0]->topology.llcs, 2);
	assert_int_equal(f->set.items[0]->topology.cores_per_llc, 4);
}

static void test_valid_steps(void **state)
{
	struct fx *f = *state;

	load(f, "steps.yaml",
	     "name: cpuset_resize\n"
	     "duration: 6s\n"
	     "topology: 1n2l4c1t\n"
	     "cgroups:\n"
	     "  - {name: cg0, work: cpu-spin}\n"
	     "steps:\n"
	     "  - ops: [{set_cpuset: {cgroup: cg0, cpuset: {llc: 0}}}]\n"
	     "    hold: 1/3\n"
	     "  - ops:\n"
	     "      - {add_cgroup: extra}\n"
	     "      - {spawn: {cgroup: extra, work: pipe-io, workers: 2}}\n"
	     "      - {run: {name: bench, argv: [schbench], cgroup: extra}}\n"
	     "    hold: 1/3\n"
	     "  - ops:\n"
	     "      - {wait: {name: bench}}\n"
	     "      - {move_all_tasks: {from: extra, to: cg0}}\n"
	     "      - {remove_cgroup: extra}\n"
	     "      - {swap_cpusets: [cg0, cg1]}\n"
	     "      - {clear_cpuset: cg0}\n"
	     "      - {add_cgroup: cg1/sub}\n"
	     "      - {remove_cgroup: cg1/sub}\n"
	     "      - {run: {name: bench, argv: [schbench]}}\n"
	     "    cgroups: [{name: cg1, work: yield-heavy}]\n"
	     "    hold: 1/3\n");
	assert_valid(f);
}

/* A cgroup an op adds lives on into the next steps. */
static void test_valid_op_cgroup_persists(void **state)
{
	struct fx *f = *state;

	load(f, "persist.yaml",
	     "name: persist\n"
	     "steps:\n"
	     "  - ops: [{add_cgroup: {name: extra, cpuset: {cpus: \"0\"}}}]\n"
	     "    hold: 1/2\n"
	     "  - ops: [{stop_cgroup: extra}, {set_affinity: {cgroup: extra, affinity: single-cpu}}]\n"
	     "    hold: 1/2\n");
	assert_valid(f);
}

/* ---- schedulers ---- */

static void test_sched_from_set(void **state)
{
	struct fx *f = *state;

	load_scheds(f, "scheds.yaml", scx_ktstr);
	load(f, "a.yaml", "name: a\nscheduler: scx-ktstr\n" CG);
	assert_valid(f);
	assert_string_equal(f->set.items[0]->sched->name, "scx-ktstr");
	assert_int_equal(f->set.items[0]->sched->nflags, 6);
}

static void test_sched_inline(void **state)
{
	struct fx *f = *state;

	load(f, "inl.yaml",
	     "name: inl\n"
	     "scheduler:\n"
	     "  name: mine\n"
	     "  binary: scx_mine\n"
	     "  flags:\n"
	     "    - {name: fast, args: [--fast]}\n"
	     CG);
	assert_valid(f);
	assert_string_equal(f->set.items[0]->sched->name, "mine");
	assert_ptr_equal(f->set.items[0]->sched, f->set.items[0]->sched_inline);
}

static void test_sched_unknown(void **state)
{
	struct fx *f = *state;

	load_scheds(f, "scheds.yaml", scx_ktstr);
	load(f, "dir/a.yaml", "name: a\nscheduler: scx-ktsrt\n" CG);
	assert_only_diag(f, "dir/a.yaml:2:12: unknown scheduler 'scx-ktsrt': define it in "
			    "dir/schedulers/scx-ktsrt.yaml or pass --schedulers FILE; did you "
			    "mean 'scx-ktstr'?");
	/* Never left unresolved. */
	assert_ptr_equal(f->set.items[0]->sched, sched_def__eevdf());
}

static void test_sched_unknown_no_hint(void **state)
{
	struct fx *f = *state;

	load(f, "b.yaml", "name: b\nscheduler: lavd\n" CG);
	assert_only_diag(f, "b.yaml:2:12: unknown scheduler 'lavd': define it in "
			    "schedulers/lavd.yaml or pass --schedulers FILE");
}

/* A temporary directory with a schedulers/ subdirectory, removed by teardown. */
static const char *make_dir(struct fx *f)
{
	char path[512];

	snprintf(f->dir, sizeof(f->dir), "/tmp/ktstr-validate-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/schedulers", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	return f->dir;
}

static void write_file(struct fx *f, const char *name, const char *text)
{
	char path[512];
	FILE *fp;

	assert_true(f->nfiles < sizeof(f->files) / sizeof(f->files[0]));
	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	f->files[f->nfiles] = strdup(path);
	assert_non_null(f->files[f->nfiles]);
	f->nfiles++;
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* "<dir of the file>/schedulers/NAME.yaml" is loaded on demand. */
static void test_sched_from_dir(void **state)
{
	struct fx *f = *state;
	const char *dir = make_dir(f);
	char path[256], want[512];

	write_file(f, "schedulers/scx-ktstr.yaml", scx_ktstr);
	write_file(f, "s.yaml",
		   "name: s1\nscheduler: scx-ktstr\nflags: {required: [steal]}\n" CG "---\n"
		   "name: s2\nscheduler: scx-ktstr\n" CG "---\n"
		   "name: s3\nscheduler: scx-other\n" CG);
	snprintf(path, sizeof(path), "%s/s.yaml", dir);
	assert_int_equal(scenario__load_file(&f->set, path, &f->d), 0);

	assert_int_equal(validate(f), 1);
	snprintf(want, sizeof(want), "%s/s.yaml:11:12: unknown scheduler 'scx-other': define it in "
		 "%s/schedulers/scx-other.yaml or pass --schedulers FILE; did you mean 'scx-ktstr'?",
		 dir, dir);
	assert_diag(f, want);
	assert_int_equal(f->set.nscheds, 1);	/* loaded once, used twice */
	assert_ptr_equal(f->set.items[0]->sched, f->set.scheds[0]);
	assert_ptr_equal(f->set.items[1]->sched, f->set.scheds[0]);
	/* Its topology is the scenarios' default. */
	assert_int_equal(f->set.items[0]->topology.llcs, 2);
}

/* A scheduler file with errors is reported once, and then named. */
static void test_sched_file_broken(void **state)
{
	struct fx *f = *state;
	const char *dir = make_dir(f);
	char path[256], want[512];

	write_file(f, "schedulers/bad.yaml", "name: bad\nbinary: bad\nflavour: strong\n");
	write_file(f, "schedulers/other.yaml", "name: not-other\nbinary: x\n");
	write_file(f, "s.yaml",
		   "name: s1\nscheduler: bad\n" CG "---\n"
		   "name: s2\nscheduler: bad\n" CG "---\n"
		   "name: s3\nscheduler: other\n" CG);
	snprintf(path, sizeof(path), "%s/s.yaml", dir);
	assert_int_equal(scenario__load_file(&f->set, path, &f->d), 0);

	assert_int_equal(validate(f), 3);
	/* The loader's own message about the file comes first. */
	assert_non_null(strstr(f->d.items[0].msg, "flavour"));
	snprintf(want, sizeof(want), "%s/s.yaml:6:12: scheduler 'bad': %s/schedulers/bad.yaml has "
		 "errors", dir, dir);
	assert_diag(f, want);
	snprintf(want, sizeof(want), "%s/s.yaml:10:12: unknown scheduler 'other': "
		 "%s/schedulers/other.yaml does not define it (its 'name' must be 'other')",
		 dir, dir);
	assert_diag(f, want);
}

static void test_sched_defined_twice(void **state)
{
	struct fx *f = *state;

	load_scheds(f, "s1.yaml", scx_ktstr);
	load_scheds(f, "s2.yaml", scx_ktstr);
	assert_only_diag(f, "s2.yaml:1:1: scheduler 'scx-ktstr' is defined twice (first at "
			    "s1.yaml:1:1)");
}

/* ---- flags ---- */

static void test_flag_unknown(void **state)
{
	struct fx *f = *state;

	load_scheds(f, "scheds.yaml", scx_ktstr);
	load(f, "f.yaml", "name: f\nscheduler: scx-ktstr\nflags: {required: [lcc]}\n" CG);
	assert_only_diag(f, "f.yaml:3:8: unknown flag 'lcc' for scheduler 'scx-ktstr'; did you "
			    "mean 'llc'?");
}

static void test_flag_unknown_no_hint(void **state)
{
	struct fx *f = *state;

	load_scheds(f, "scheds.yaml", scx_ktstr);
	load(f, "f.yaml", "name: f\nscheduler: scx-ktstr\nflags: {excluded: [turbo]}\n" CG);
	assert_only_diag(f, "f.yaml:3:8: unknown flag 'turbo' for scheduler 'scx-ktstr'");
}

static void test_flag_eevdf(void **state)
{
	struct fx *f = *state;

	load(f, "e.yaml", "name: e\nflags: {required: [llc]}\n" CG);
	assert_only_diag(f, "e.yaml:2:8: scheduler 'eevdf' has no flags");
}

static void test_flag_required_and_excluded(void **state)
{
	struct fx *f = *state;

	load_scheds(f, "scheds.yaml", scx_ktstr);
	load(f, "f.yaml",
	     "name: f\nscheduler: scx-ktstr\nflags: {required: [llc, borrow], excluded: [borrow]}\n"
	     CG);
	assert_only_diag(f, "f.yaml:3:8: flag 'borrow' is both required and excluded");
}

static void test_flag_requirement_excluded(void **state)
{
	struct fx *f = *state;

	load_scheds(f, "scheds.yaml", scx_ktstr);
	load(f, "f.yaml",
	     "name: f\nscheduler: scx-ktstr\nflags: {required: [steal], excluded: [llc]}\n" CG);
	assert_only_diag(f, "f.yaml:3:8: flag 'steal' requires 'llc', which is excluded");
}

static void test_flag_no_profile(void **state)
{
	struct fx *f = *state;

	load_scheds(f, "t.yaml",
		    "name: chain\n"
		    "binary: chain\n"
		    "flags:\n"
		    "  - {name: a, requires: [b]}\n"
		    "  - {name: b, requires: [c]}\n"
		    "  - {name: c}\n");
	load(f, "f.yaml", "name: f\nscheduler: chain\nflags: {required: [a], excluded: [c]}\n" CG);
	assert_only_diag(f, "f.yaml:3:8: the required and excluded flags leave no valid flag "
			    "profile of scheduler 'chain'");
}

/* The loader rejects these too; definitions built in code get the same checks. */
static void test_def_flag_checks(void **state)
{
	struct fx *f = *state;
	struct sched_def *def;

	load_scheds(f, "t.yaml",
		    "name: bad\n"
		    "binary: bad\n"
		    "flags:\n"
		    "  - {name: llc}\n"
		    "  - {name: steal, requires: [llc]}\n"
		    "  - {name: rebal, args: [--rebal]}\n");
	def = f->set.scheds[0];
	def->flags[1].requires[0] = "lcc";
	def->flags[2].name = "llc";
	assert_int_equal(validate(f), 2);
	assert_diag(f, "t.yaml:5:5: flag 'steal' of scheduler 'bad' requires 'lcc', which the "
		       "scheduler does not declare; did you mean 'llc'?");
	assert_diag(f, "t.yaml:6:5: flag 'llc' is declared twice in scheduler 'bad' (first at "
		       "t.yaml:4:5)");
}

/* ---- topology ---- */

static void test_topology_fill(void **state)
{
	struct fx *f = *state;

	load_scheds(f, "s.yaml",
		    "name: big\nbinary: big\ntopology: 2n4l4c2t\n---\n"
		    "name: pre\nbinary: pre\ntopology: tiny-2llc\n");
	load(f, "t.yaml",
	     "name: t0\n" CG "---\n"
	     "name: t1\nscheduler: big\ntopology: {llcs: 2}\n" CG "---\n"
	     "name: t2\nscheduler: pre\ntopology: {cores: 3}\n" CG "---\n"
	     "name: t3\nscheduler: big\ntopology: odd-3llc\n" CG "---\n"
	     "name: t4\ntopology: {threads: 2}\n" CG);
	assert_valid(f);

	const struct topology want[] = {
		{ 1, 1, 2, 1 }, { 2, 2, 4, 2 }, { 1, 2, 3, 1 }, { 1, 3, 3, 1 }, { 1, 1, 2, 2 },
	};

	for (size_t i = 0; i < 5; i++) {
		const struct topology *t = &f->set.items[i]->topology;

		assert_int_equal(t->numa_nodes, want[i].numa_nodes);
		assert_int_equal(t->llcs, want[i].llcs);
		assert_int_equal(t->cores_per_llc, want[i].cores_per_llc);
		assert_int_equal(t->threads_per_core, want[i].threads_per_core);
	}
}

/* Dimensions the file leaves out come from the defaults, which may not fit. */
static void test_topology_invalid(void **state)
{
	struct fx *f = *state;
	struct topology t = { 2, 1, 2, 1 };
	char err[256], want[512];

	assert_int_not_equal(topology__validate(&t, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "t.yaml:2:11: topology 2n1l2c1t: %s", err);
	load(f, "t.yaml", "name: t\ntopology: {numa: 2}\ncgroups: [{name: cg0, cpuset: {llc: 2}}]\n");
	/* The cpusets are not checked against a topology that does not exist. */
	assert_only_diag(f, want);
}

static void test_topology_invalid_from_scheduler(void **state)
{
	struct fx *f = *state;
	struct topology t = { 3, 4, 2, 1 };
	char err[256], want[512];

	assert_int_not_equal(topology__validate(&t, err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "t.yaml:2:12: topology 3n4l2c1t: %s", err);
	load_scheds(f, "s.yaml", "name: odd\nbinary: odd\ntopology: {numa: 3, llcs: 4}\n");
	load(f, "t.yaml", "name: t\nscheduler: odd\n" CG);
	assert_only_diag(f, want);
}

/* ---- cpusets, affinities, memory policies ---- */

static void resolver_msg(const char *yaml_spec, struct cpuset_spec spec, const struct topology *t,
			 char *buf, size_t len)
{
	struct cpuset out;

	(void)yaml_spec;
	buf[0] = '\0';
	assert_int_not_equal(cpuset_spec__resolve(&spec, t, &out, buf, len), 0);
}

static void test_cpuset_errors(void **state)
{
	struct fx *f = *state;
	struct topology t = { 1, 1, 4, 1 };
	char e1[256], e2[256], e3[256], e4[256], want[512];

	resolver_msg("{llc: 1}", (struct cpuset_spec){ .kind = CPUSET_LLC, .index = 1 }, &t, e1,
		     sizeof(e1));
	resolver_msg("{disjoint: 0/4}",
		     (struct cpuset_spec){ .kind = CPUSET_DISJOINT, .index = 0, .of = 4 }, &t, e2,
		     sizeof(e2));
	resolver_msg("{numa: 1}", (struct cpuset_spec){ .kind = CPUSET_NUMA, .index = 1 }, &t, e3,
		     sizeof(e3));
	resolver_msg("{llc: 3}", (struct cpuset_spec){ .kind = CPUSET_LLC, .index = 3 }, &t, e4,
		     sizeof(e4));
	load(f, "c.yaml",
	     "name: c\n"
	     "topology: 1n1l4c1t\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    cpuset: {llc: 1}\n"
	     "steps:\n"
	     "  - cgroups:\n"
	     "      - {name: cg1, cpuset: {disjoint: 0/4}}\n"
	     "    ops:\n"
	     "      - {add_cgroup: {name: cg2, cpuset: {numa: 1}}}\n"
	     "      - {set_cpuset: {cgroup: cg0, cpuset: {llc: 3}}}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 4);
	snprintf(want, sizeof(want), "c.yaml:5:13: cgroup 'cg0': %s", e1);
	assert_diag(f, want);
	snprintf(want, sizeof(want), "c.yaml:8:29: cgroup 'cg1': %s", e2);
	assert_diag(f, want);
	snprintf(want, sizeof(want), "c.yaml:10:10: cgroup 'cg2': %s", e3);
	assert_diag(f, want);
	snprintf(want, sizeof(want), "c.yaml:11:10: cgroup 'cg0': %s", e4);
	assert_diag(f, want);
}

static void test_affinity_outside(void **state)
{
	struct fx *f = *state;

	load(f, "a.yaml",
	     "name: a\n"
	     "topology: 1n1l4c1t\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    work: {type: cpu-spin, affinity: \"2-5\"}\n"
	     "steps:\n"
	     "  - ops: [{set_affinity: {cgroup: cg0, affinity: \"7\"}}]\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 2);
	assert_diag(f, "a.yaml:5:11: cgroup 'cg0': affinity CPUs 4-5 are outside the topology's "
		       "CPUs 0-3");
	assert_diag(f, "a.yaml:7:12: cgroup 'cg0': affinity CPUs 7 are outside the topology's "
		       "CPUs 0-3");
}

static void test_exact_cpuset_outside(void **state)
{
	struct fx *f = *state;
	struct topology t = { 1, 1, 4, 1 };
	struct cpuset_spec spec = { .kind = CPUSET_EXACT };
	struct cpuset out;
	char err[256], want[512];

	cpuset__set(&spec.cpus, 3);
	cpuset__set(&spec.cpus, 4);
	err[0] = '\0';
	if (cpuset_spec__resolve(&spec, &t, &out, err, sizeof(err)))
		snprintf(want, sizeof(want), "x.yaml:4:41: cgroup 'cg0': %s", err);
	else
		snprintf(want, sizeof(want), "x.yaml:4:41: cgroup 'cg0': cpuset CPUs 4 are outside "
			 "the topology's CPUs 0-3");
	load(f, "x.yaml",
	     "name: x\n"
	     "topology: 1n1l4c1t\n"
	     "cgroups:\n"
	     "  - {name: cg0, work: cpu-spin, cpuset: {cpus: \"3-4\"}}\n");
	assert_only_diag(f, want);
}

static void test_mem_policy_nodes(void **state)
{
	struct fx *f = *state;

	load(f, "m.yaml",
	     "name: m\n"
	     "topology: 1n2l2c1t\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    work: {type: cpu-spin, mem_policy: {bind: [0, 1]}}\n");
	assert_only_diag(f, "m.yaml:5:11: cgroup 'cg0': mem_policy bind uses NUMA node 1, but the "
			    "topology has 1 node");
}

static void test_mem_policy_cpuset_cover(void **state)
{
	struct fx *f = *state;

	load(f, "m.yaml",
	     "name: m\n"
	     "topology: 2n2l2c1t\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    cpuset: {numa: 0}\n"
	     "    work: {type: cpu-spin, mem_policy: {interleave: [0, 1]}}\n"
	     "  - name: cg1\n"
	     "    cpuset: {numa: 1}\n"
	     "    work: {type: cpu-spin, mem_policy: {bind: [1]}}\n"
	     "  - name: cg2\n"
	     "    work: {type: cpu-spin, mem_policy: {preferred: 1}}\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - {spawn: {cgroup: cg1, work: {type: cpu-spin, mem_policy: {bind: [1]}}}}\n"
	     "      - {swap_cpusets: [cg0, cg1]}\n"
	     "      - {spawn: {cgroup: cg1, work: {type: cpu-spin, mem_policy: {bind: [1]}}}}\n"
	     "      - {clear_cpuset: cg1}\n"
	     "      - {spawn: {cgroup: cg1, work: {type: cpu-spin, mem_policy: {bind: [1]}}}}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 2);
	assert_diag(f, "m.yaml:6:11: cgroup 'cg0': mem_policy interleave uses NUMA node 1, which "
		       "its cpuset (CPUs 0-1) does not cover");
	/* After the swap, cg1 has node 0's CPUs. */
	assert_diag(f, "m.yaml:16:37: cgroup 'cg1': mem_policy bind uses NUMA node 1, which its "
		       "cpuset (CPUs 0-1) does not cover");
}

/* ---- worker groups ---- */

static void test_worker_groups(void **state)
{
	struct fx *f = *state;

	load(f, "w.yaml",
	     "name: w\n"
	     "workers: 3\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    work: pipe-io\n"
	     "  - name: cg1\n"
	     "    works:\n"
	     "      - {type: futex-fan-out, fan_out: 3, workers: 6}\n"
	     "      - {type: futex-ping-pong, workers: 4}\n"
	     "      - {type: mutex-contention, workers: 6}\n"
	     "steps:\n"
	     "  - ops: [{spawn_host: {work: cache-pipe, workers: 1}}]\n"
	     "    hold: 1/2\n");
	if (validate(f) != 4)
		print_diags(f);
	assert_int_equal(f->nerr, 4);
	assert_diag(f, "w.yaml:5:11: work 'pipe-io' needs workers in groups of 2, got 3");
	assert_diag(f, "w.yaml:8:9: work 'futex-fan-out' needs workers in groups of 4, got 6");
	assert_diag(f, "w.yaml:10:9: work 'mutex-contention' needs workers in groups of 4, got 6");
	assert_diag(f, "w.yaml:12:31: work 'cache-pipe' needs workers in groups of 2, got 1");
}

/* ---- cgroup and program lifetimes ---- */

static void test_duplicate_cgroups(void **state)
{
	struct fx *f = *state;

	load(f, "d.yaml",
	     "name: d\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "  - name: cg0\n"
	     "steps:\n"
	     "  - cgroups: [{name: cg0}]\n"
	     "    ops: [{add_cgroup: cg0}]\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 3);
	assert_diag(f, "d.yaml:4:5: cgroup 'cg0' already exists (defined at d.yaml:3:5)");
	assert_diag(f, "d.yaml:6:15: cgroup 'cg0' already exists (defined at d.yaml:3:5)");
	assert_diag(f, "d.yaml:7:12: cgroup 'cg0' already exists (defined at d.yaml:3:5)");
}

static void test_nested_parent(void **state)
{
	struct fx *f = *state;

	load(f, "n.yaml",
	     "name: n\n"
	     "cgroups:\n"
	     "  - name: a/b\n"
	     "  - name: a\n"
	     "steps:\n"
	     "  - ops: [{add_cgroup: x/y}]\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 2);
	assert_diag(f, "n.yaml:3:5: cgroup 'a/b' needs its parent 'a', which is not defined "
		       "before it");
	assert_diag(f, "n.yaml:6:12: cgroup 'x/y' needs its parent 'x', which does not exist at "
		       "step 1; live cgroups: a/b, a");
}

static void test_op_unknown_cgroup(void **state)
{
	struct fx *f = *state;

	load(f, "o.yaml",
	     "name: o\n"
	     "cgroups: [{name: cg0}, {name: cg1}]\n"
	     "steps:\n"
	     "  - cgroups: [{name: tmp}]\n"
	     "    hold: 1/2\n"
	     "  - ops:\n"
	     "      - {set_cpuset: {cgroup: cg9, cpuset: {llc: 0}}}\n"
	     "      - {spawn: {cgroup: tmp, work: cpu-spin}}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 2);
	assert_diag(f, "o.yaml:7:10: op 'set_cpuset' names cgroup 'cg9', which does not exist at "
		       "step 2; live cgroups: cg0, cg1");
	/* A step's own cgroups end with it. */
	assert_diag(f, "o.yaml:8:10: op 'spawn' names cgroup 'tmp', which does not exist at step 2; "
		       "live cgroups: cg0, cg1");
}

/* The loader rejects these too; models built in code get the same checks. */
static void test_same_cgroup_twice(void **state)
{
	struct fx *f = *state;
	struct op *ops;

	load(f, "s.yaml",
	     "name: s\n"
	     "cgroups: [{name: cg0}, {name: cg1}]\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - {move_all_tasks: {from: cg0, to: cg1}}\n"
	     "      - {swap_cpusets: [cg1, cg0]}\n"
	     "    hold: 1/2\n");
	ops = f->set.items[0]->steps[0].ops;
	ops[0].cgroup2 = ops[0].cgroup;
	ops[1].cgroup2 = ops[1].cgroup;
	assert_int_equal(validate(f), 2);
	assert_diag(f, "s.yaml:5:10: op 'move_all_tasks' moves cgroup 'cg0' into itself");
	assert_diag(f, "s.yaml:6:10: op 'swap_cpusets' swaps cgroup 'cg1' with itself");
}

static void test_remove_cgroup(void **state)
{
	struct fx *f = *state;

	load(f, "r.yaml",
	     "name: r\n"
	     "cgroups: [{name: base}]\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - {add_cgroup: a}\n"
	     "      - {add_cgroup: a/b}\n"
	     "      - {remove_cgroup: a}\n"
	     "      - {remove_cgroup: base}\n"
	     "      - {remove_cgroup: a/b}\n"
	     "      - {remove_cgroup: a}\n"
	     "      - {clear_cpuset: a}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 3);
	assert_diag(f, "r.yaml:7:10: op 'remove_cgroup' removes cgroup 'a', which still has child "
		       "'a/b'; remove the child first");
	assert_diag(f, "r.yaml:8:10: op 'remove_cgroup' cannot remove backdrop cgroup 'base', which "
		       "lives for the whole run; create it with add_cgroup instead");
	assert_diag(f, "r.yaml:11:10: op 'clear_cpuset' names cgroup 'a', which does not exist at "
		       "step 1; live cgroups: base");
}

static void test_child_outlives_step_cgroup(void **state)
{
	struct fx *f = *state;

	load(f, "c.yaml",
	     "name: c\n"
	     "steps:\n"
	     "  - cgroups: [{name: s}]\n"
	     "    ops: [{add_cgroup: s/kid}]\n"
	     "    hold: 1/2\n"
	     "  - ops: [{stop_cgroup: s/kid}]\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 2);
	assert_diag(f, "c.yaml:4:12: cgroup 's/kid' outlives its parent 's', which ends with step "
		       "1; remove 's/kid' in that step or define 's' in the backdrop");
	assert_diag(f, "c.yaml:6:12: op 'stop_cgroup' names cgroup 's/kid', which does not exist "
		       "at step 2; live cgroups: none");
}

static void test_programs(void **state)
{
	struct fx *f = *state;

	load(f, "p.yaml",
	     "name: p\n"
	     "cgroups: [{name: cg0}]\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - {wait: {name: bench}}\n"
	     "      - {run: {name: bench, argv: [schbench]}}\n"
	     "      - {run: {name: bench, argv: [schbench]}}\n"
	     "      - {run: {name: other, argv: [stress], cgroup: tmp}}\n"
	     "    cgroups: [{name: tmp}]\n"
	     "    hold: 1/2\n"
	     "  - ops:\n"
	     "      - {kill: {name: other}}\n"
	     "      - {kill: {name: bench}}\n"
	     "      - {wait: {name: bench}}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 4);
	assert_diag(f, "p.yaml:5:10: op 'wait' names program 'bench', which is not running at step "
		       "1; running programs: none");
	assert_diag(f, "p.yaml:7:10: op 'run' starts program 'bench', which is already running "
		       "(started at p.yaml:6:10)");
	/* 'other' ended with its step-local cgroup. */
	assert_diag(f, "p.yaml:12:10: op 'kill' names program 'other', which is not running at "
		       "step 2; running programs: bench");
	assert_diag(f, "p.yaml:14:10: op 'wait' names program 'bench', which is not running at "
		       "step 2; running programs: none");
}

/* Programs end with their cgroup (stopped or removed) and follow move_all_tasks. */
static void test_program_lifetimes(void **state)
{
	struct fx *f = *state;

	load(f, "p.yaml",
	     "name: p\n"
	     "cgroups: [{name: cg0}]\n"
	     "steps:\n"
	     "  - ops:\n"
	     "      - {run: {name: p1, argv: [a], cgroup: cg0}}\n"
	     "      - {stop_cgroup: cg0}\n"
	     "      - {wait: {name: p1}}\n"
	     "      - {add_cgroup: a}\n"
	     "      - {add_cgroup: b}\n"
	     "      - {run: {name: p2, argv: [a], cgroup: a}}\n"
	     "      - {move_all_tasks: {from: a, to: b}}\n"
	     "      - {remove_cgroup: a}\n"
	     "    hold: 1/2\n"
	     "  - ops:\n"
	     "      - {wait: {name: p2}}\n"
	     "      - {run: {name: p3, argv: [a], cgroup: b}}\n"
	     "      - {remove_cgroup: b}\n"
	     "      - {kill: {name: p3}}\n"
	     "      - {run: {name: p3, argv: [a]}}\n"
	     "    hold: 1/2\n");
	assert_int_equal(validate(f), 2);
	assert_diag(f, "p.yaml:7:10: op 'wait' names program 'p1', which is not running at step 1; "
		       "running programs: none");
	assert_diag(f, "p.yaml:18:10: op 'kill' names program 'p3', which is not running at step "
		       "2; running programs: none");
}

/* Checks the loader makes too, kept for models built in code. */
static void test_model_only_checks(void **state)
{
	struct fx *f = *state;
	struct scenario *sc;

	load(f, "m.yaml",
	     "name: m\n"
	     "cgroups: [{name: cg0}, {name: cg1}]\n"
	     "steps:\n"
	     "  - hold: 1/4\n"
	     "  - hold: 100ms\n");
	load_scheds(f, "s.yaml", "name: many\nbinary: many\nflags: [llc]\n");
	sc = f->set.items[0];
	sc->cgroups[1].name = "a//b";
	sc->steps[0].hold.frac = 0;
	sc->steps[1].hold.ns = 0;
	f->set.scheds[0]->nflags = SCHED_MAX_FLAGS + 1;
	assert_int_equal(validate(f), 4);
	assert_diag(f, "m.yaml:2:24: cgroup name 'a//b' is not a relative path of non-empty "
		       "components ('a' or 'a/b')");
	assert_diag(f, "m.yaml:4:5: step 1: hold must be > 0");
	assert_diag(f, "m.yaml:5:5: step 2: hold must be > 0");
	assert_diag(f, "s.yaml:1:1: scheduler 'many' declares 17 flags; at most 16");
}

/* ---- holds ---- */

static void test_hold_fractions(void **state)
{
	struct fx *f = *state;

	load(f, "h.yaml",
	     "name: h\n"
	     "steps:\n"
	     "  - hold: 1/2\n"
	     "  - hold: 0.5\n"
	     "  - hold: 1/4\n");
	assert_only_diag(f, "h.yaml:5:5: steps hold 1.25 of the duration; at most 1");
}

static void test_hold_fixed_too_long(void **state)
{
	struct fx *f = *state;

	load(f, "h.yaml",
	     "name: h\n"
	     "duration: 2s\n"
	     "steps:\n"
	     "  - hold: 3s\n");
	assert_only_diag(f, "h.yaml:4:5: step 1 holds 3s, longer than the duration 2s");
}

static void test_hold_total_too_long(void **state)
{
	struct fx *f = *state;

	load(f, "h.yaml",
	     "name: h\n"
	     "duration: 2s\n"
	     "steps:\n"
	     "  - hold: 1500ms\n"
	     "  - hold: 1/2\n");
	assert_only_diag(f, "h.yaml:5:5: steps hold 2.5s in total, longer than the duration 2s");
}

static void test_hold_loop(void **state)
{
	struct fx *f = *state;

	load(f, "h.yaml",
	     "name: h\n"
	     "steps:\n"
	     "  - hold: {loop: 100ms}\n"
	     "  - hold: 1/2\n");
	f->set.items[0]->steps[0].hold.ns = 0;	/* the loader rejects 0; models in code may not */
	assert_int_equal(validate(f), 2);
	assert_diag(f, "h.yaml:3:5: step 1: loop interval must be > 0");
	assert_diag(f, "h.yaml:4:5: step 2 never runs: step 1 loops until the end of the run");
}

static void test_hold_ok(void **state)
{
	struct fx *f = *state;

	load(f, "h.yaml",
	     "name: h\n"
	     "duration: 3s\n"
	     "steps:\n"
	     "  - hold: 1/3\n"
	     "  - hold: 1/3\n"
	     "  - hold: 500ms\n"
	     "  - hold: {loop: 100ms}\n");
	assert_valid(f);
}

/* ---- the gauntlet block ---- */

/* The loader rejects these too; models built in code get the same checks. */
static void test_gauntlet_block(void **state)
{
	struct fx *f = *state;
	struct gauntlet_spec *g;

	load(f, "g.yaml",
	     "name: g\n"
	     CG
	     "gauntlet:\n"
	     "  presets: [tiny-1llc, tiny-2llc]\n"
	     "  constraints: {min_llcs: 2, max_llcs: 4}\n");
	g = &f->set.items[0]->gauntlet;
	g->presets[1] = "tiny-llc";
	g->constraints.max_llcs = 1;
	assert_int_equal(validate(f), 2);
	assert_diag(f, "g.yaml:4:3: unknown topology preset 'tiny-llc'; did you mean 'tiny-1llc'?");
	assert_diag(f, "g.yaml:4:3: gauntlet constraints: min_llcs 2 is larger than max_llcs 1");
}

/* ---- many errors at once ---- */

static void test_all_errors_reported(void **state)
{
	struct fx *f = *state;

	load(f, "a.yaml",
	     "name: a\nscheduler: nope\n" CG "---\n"
	     "name: b\nworkers: 3\ncgroups: [{name: c, work: pipe-io}]\n");
	load(f, "b.yaml", "name: c\nflags: {excluded: [x]}\n" CG);
	assert_int_equal(validate(f), 3);
}

/* ---- fits a preset ---- */

static void test_fits_topology(void **state)
{
	struct fx *f = *state;
	const struct topo_preset *tiny1 = topo_preset__find("tiny-1llc");
	const struct topo_preset *tiny2 = topo_preset__find("tiny-2llc");
	const struct topo_preset *numa2 = topo_preset__find("numa2-4llc");
	char why[512], e1[256];

	assert_non_null(tiny1);
	assert_non_null(tiny2);
	assert_non_null(numa2);
	load(f, "f.yaml",
	     "name: f\n"
	     "topology: 2n2l2c1t\n"
	     "cgroups:\n"
	     "  - name: cg0\n"
	     "    cpuset: {llc: 1}\n"
	     "  - name: cg1\n"
	     "    work: {type: cpu-spin, mem_policy: {bind: [1]}}\n");
	assert_valid(f);
	const struct scenario *sc = f->set.items[0];

	resolver_msg("{llc: 1}", (struct cpuset_spec){ .kind = CPUSET_LLC, .index = 1 },
		     &tiny1->topo, e1, sizeof(e1));
	snprintf(why, sizeof(why), "cgroup 'cg0': %s", e1);
	strcpy(e1, why);
	assert_int_equal(scenario__fits_topology(sc, &tiny1->topo, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, e1);	/* the first problem only */
	assert_int_equal(scenario__fits_topology(sc, &tiny2->topo, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "cgroup 'cg1': mem_policy bind uses NUMA node 1, but the "
				 "topology has 1 node");
	assert_int_equal(scenario__fits_topology(sc, &numa2->topo, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(scenario__fits_topology(sc, &tiny2->topo, NULL, 0), -EINVAL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_valid_two_cgroups),
		T(test_valid_steps),
		T(test_valid_op_cgroup_persists),
		T(test_sched_from_set),
		T(test_sched_inline),
		T(test_sched_unknown),
		T(test_sched_unknown_no_hint),
		T(test_sched_from_dir),
		T(test_sched_file_broken),
		T(test_sched_defined_twice),
		T(test_flag_unknown),
		T(test_flag_unknown_no_hint),
		T(test_flag_eevdf),
		T(test_flag_required_and_excluded),
		T(test_flag_requirement_excluded),
		T(test_flag_no_profile),
		T(test_def_flag_checks),
		T(test_topology_fill),
		T(test_topology_invalid),
		T(test_topology_invalid_from_scheduler),
		T(test_cpuset_errors),
		T(test_affinity_outside),
		T(test_exact_cpuset_outside),
		T(test_mem_policy_nodes),
		T(test_mem_policy_cpuset_cover),
		T(test_worker_groups),
		T(test_duplicate_cgroups),
		T(test_nested_parent),
		T(test_op_unknown_cgroup),
		T(test_same_cgroup_twice),
		T(test_remove_cgroup),
		T(test_child_outlives_step_cgroup),
		T(test_programs),
		T(test_program_lifetimes),
		T(test_model_only_checks),
		T(test_hold_fractions),
		T(test_hold_fixed_too_long),
		T(test_hold_total_too_long),
		T(test_hold_loop),
		T(test_hold_ok),
		T(test_gauntlet_block),
		T(test_all_errors_reported),
		T(test_fits_topology),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
