// SPDX-License-Identifier: GPL-2.0
/*
 * Semantic validation: scheduler and flag resolution, topology filling,
 * holds and the gauntlet block; the walk over the steps is in
 * test_validate_walk.c. Every error is checked with its exact text and
 * FILE:LINE:COLUMN.
 */
#include "validate_fx.h"

#include <sys/stat.h>

#include "topo/topology.h"

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

	/* Not a built-in flag either: a typo, not a skip. */
	load(f, "e.yaml", "name: e\nflags: {required: [turbo]}\n" CG);
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
		T(test_hold_fractions),
		T(test_hold_fixed_too_long),
		T(test_hold_total_too_long),
		T(test_hold_loop),
		T(test_hold_ok),
		T(test_gauntlet_block),
		T(test_all_errors_reported),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
