// SPDX-License-Identifier: GPL-2.0
/*
 * The YAML loader's errors: every error class is reported as
 * FILE:LINE:COLUMN with its message, all errors of a file are reported, and
 * hostile input is rejected quickly.
 */
#include "scenario_load_fx.h"

#include <time.h>

/* ---- error classes: exact FILE:LINE:COLUMN and message ---- */

static void test_err_unknown_keys(void **state)
{
	struct fx *f = *state;

	load_err(f, "name: a\nduraton: 5s\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:1: unknown key 'duraton' in scenario; did you mean 'duration'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, wokers: 2}]\n",
		 "t.yaml:2:23: unknown key 'wokers' in cgroup; did you mean 'workers'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: bursty, burts: 5ms}}]\n",
		 "t.yaml:2:44: unknown key 'burts' in work type 'bursty'; did you mean 'burst'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: cpu-spin, spin_iters: 5}}]\n",
		 "t.yaml:2:46: unknown key 'spin_iters' in work type 'cpu-spin' (expected type, workers, policy, nice, affinity, mem_policy, mpol_flags, swappable)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\nchecks: {max_gapp: 1s}\n",
		 "t.yaml:3:10: unknown key 'max_gapp' in checks; did you mean 'max_gap'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: cpu-spinn}]\n",
		 "t.yaml:2:29: unknown work type 'cpu-spinn'; did you mean 'cpu-spin'?\n");
	load_err(f, "name: a\nsteps: [{ops: [{stop_cgroupp: cg0}]}]\n",
		 "t.yaml:2:17: unknown key 'stop_cgroupp' in op; did you mean 'stop_cgroup'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\nbase: &b {x: 1}\n<<: *b\n",
		 "t.yaml:3:1: unknown key 'base' in scenario (expected name, description, topology, duration, workers, memory, cgroups, steps, checks, scheduler, flags, gauntlet, expect, watchdog_timeout, requires)\n"
		 "t.yaml:4:1: merge keys ('<<') are not supported; repeat the keys, or anchor the whole value\n");
}

static void test_err_types(void **state)
{
	struct fx *f = *state;

	load_err(f, "name: a\nworkers: two\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:10: 'workers': unknown variable 'two' in count expression 'two' (a count is an integer, or an expression over cpus, usable, llcs, nodes, cores, llc_cpus)\n");
	load_err(f, "name: a\nworkers: 0\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:10: 'workers' must be between 1 and 4096, got '0'\n");
	load_err(f, "name: a\nworkers:\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:9: 'workers' must be an integer, got nothing\n");
	load_err(f, "name: a\ncgroups: {name: cg0}\n",
		 "t.yaml:2:10: 'cgroups' must be a list, got a map\n");
	load_err(f, "name: [a]\ncgroups: [{name: cg0}]\n",
		 "t.yaml:1:7: 'scenario name' must be a string, got a list\n");
	load_err(f, "name: a\nduration: 5\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: bad duration '5': add a unit (ns, us, ms, s, m), e.g. 5s\n");
	load_err(f, "name: a\nduration: 0s\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: 'duration' must be greater than 0\n");
	load_err(f, "name: a\nmemory: 2GB\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:9: bad size '2GB': unknown unit 'GB'; did you mean 'GiB'? (sizes use B, KiB, MiB, GiB, TiB)\n");
	load_err(f, "name: a\nmemory: 64MiB\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:9: 'memory' must be a whole number of MiB from 128MiB to 1TiB, got '64MiB'\n");
	load_err(f, "name: a\nexpect: maybe\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:9: 'expect' must be pass, fail or {fail: REASON TEXT}, got 'maybe'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, swappable: yes}]\n",
		 "t.yaml:2:34: 'swappable' must be true or false, got 'yes'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: pipe-io, burst_iters: 5ms}}]\n",
		 "t.yaml:2:58: 'burst_iters' must be an integer, got '5ms'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: bursty, burst: 0s}}]\n",
		 "t.yaml:2:51: 'burst' must be between 1us and 1m, got 0ns\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: cache-pressure, size: 2GiB}}]\n",
		 "t.yaml:2:58: 'size' must be between 1KiB and 1GiB, got 2GiB\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: mutex-contention, contenders: 1}}]\n",
		 "t.yaml:2:66: 'contenders' must be between 2 and 64, got '1'\n");
}

static void test_err_duplicates_and_missing(void **state)
{
	struct fx *f = *state;

	load_err(f, "name: a\ncgroups: [{name: cg0}]\nname: b\n",
		 "t.yaml:3:1: duplicate key 'name' in scenario (first at line 1)\n");
	load_err(f, "description: no name\ncgroups: [{name: cg0}]\n",
		 "t.yaml:1:1: scenario has no 'name'\n");
	load_err(f, "name: a\n",
		 "t.yaml:1:1: scenario runs nothing: give it 'cgroups' or 'steps'\n");
	load_err(f, "name: a\ncgroups: []\nsteps: []\n",
		 "t.yaml:1:1: scenario runs nothing: give it 'cgroups' or 'steps'\n");
	load_err(f, "name: *x\ncgroups: [{name: cg0}]\n",
		 "t.yaml:1:7: YAML syntax error: found undefined alias\n");
	load_err(f, "name: &x a\ncgroups: [{name: &x cg0}]\n",
		 "t.yaml:2:18: YAML syntax error: second occurrence (found duplicate anchor; first occurrence at line 1, column 7)\n");
	load_err(f, "name: a/b\ncgroups: [{name: cg0}]\n",
		 "t.yaml:1:7: bad scenario name 'a/b': use letters, digits, '_', '.' and '-' only\n");
	load_err(f, "name: a\ncgroups: [{work: cpu-spin}]\n",
		 "t.yaml:2:11: cgroup has no 'name'\n");
	load_err(f, "name: a\ncgroups: [{name: ../x}]\n",
		 "t.yaml:2:18: bad cgroup name '../x': use letters, digits, '_', '.' and '-', nested with '/' (e.g. cg0/sub)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {workers: 2}}]\n",
		 "t.yaml:2:29: work has no 'type' (e.g. {type: bursty, burst: 50ms})\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: sequence}}]\n",
		 "t.yaml:2:29: work type 'sequence' needs 'phases', e.g. phases: [{spin: 10ms}, {sleep: 5ms}]\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: exec, argv: []}}]\n",
		 "t.yaml:2:48: 'argv' must not be empty\n");
	load_err(f, "name: a\n- b\n",
		 "t.yaml:2:1: YAML syntax error: did not find expected key (while parsing a block mapping at line 1, column 1)\n");
	load_err(f, "- name: a\n",
		 "t.yaml:1:1: a scenario must be a map with 'name', 'cgroups', ...; got a list\n");
}

static void test_err_work_groups(void **state)
{
	struct fx *f = *state;

	load_err(f,
		 "name: a\n"
		 "cgroups:\n"
		 "  - name: cg0\n"
		 "    work: cpu-spin\n"
		 "    works: [mixed]\n"
		 "    nice: 3\n",
		 "t.yaml:5:5: 'work' and 'works' cannot both be given; use 'works' for several groups\n"
		 "t.yaml:6:5: 'nice' on a cgroup applies to its single 'work'; with 'works', put it inside each work\n");
	load_err(f,
		 "name: a\n"
		 "cgroups:\n"
		 "  - name: cg0\n"
		 "    policy: fifo\n"
		 "    nice: -21\n"
		 "    affinity: randm-subset\n"
		 "    mem_policy: {bind: [0, 64]}\n"
		 "    mpol_flags: [static-nodes, relative-nodes, numa-balanced]\n",
		 "t.yaml:4:13: bad policy 'fifo': write fifo:N with a priority from 1 to 99, e.g. fifo:50\n"
		 "t.yaml:5:11: 'nice' must be between -20 and 19, got '-21'\n"
		 "t.yaml:6:15: unknown affinity 'randm-subset'; did you mean 'random-subset'?\n"
		 "t.yaml:7:28: 'bind' must be between 0 and 63, got '64'\n"
		 "t.yaml:8:48: unknown mpol flag 'numa-balanced'; did you mean 'numa-balancing'?\n"
		 "t.yaml:8:17: mpol_flags static-nodes and relative-nodes cannot be combined\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, work: {type: nope}, nice: 20}]\n",
		 "t.yaml:2:36: unknown work type 'nope' (expected cpu-spin, yield-heavy, mixed, io-sync, bursty, pipe-io, futex-ping-pong, cache-pressure, cache-yield, cache-pipe, futex-fan-out, fan-out-compute, sequence, fork-exit, nice-sweep, affinity-churn, policy-churn, page-fault-churn, mutex-contention, exec)\n"
		 "t.yaml:2:49: 'nice' must be between -20 and 19, got '20'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, policy: rr:100}]\n",
		 "t.yaml:2:31: bad policy 'rr:100': write rr:N with a priority from 1 to 99, e.g. rr:50\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, policy: batch:3}]\n",
		 "t.yaml:2:31: policy 'batch' takes no priority, got 'batch:3'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, mpol_flags: [numa-balancing], mem_policy: {interleave: [0]}}]\n",
		 "t.yaml:2:35: mpol flag numa-balancing works only with bind or preferred_many, not 'interleave'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, mpol_flags: [static-nodes]}]\n",
		 "t.yaml:2:35: mpol_flags need a mem_policy with nodes (bind, preferred, interleave, ...), not 'default'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, mem_policy: {bind: [0], local: x}}]\n",
		 "t.yaml:2:35: 'mem_policy' map must have exactly one key, e.g. {bind: [0, 1]}; got 2\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, affinity: 4-2}]\n",
		 "t.yaml:2:33: 'affinity': '4-2' is a reversed range\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, works: [{type: sequence, phases: [{spin: 1ms, io: 1ms}, {nap: 1ms}, {io: 0s}]}]}]\n",
		 "t.yaml:2:57: a phase is a map with one key, e.g. {spin: 10ms}; got 2 keys\n"
		 "t.yaml:2:80: unknown key 'nap' in sequence phase (expected spin, sleep, yield, io)\n"
		 "t.yaml:2:96: phase 'io' must last longer than 0\n");
}

static void test_err_cpusets(void **state)
{
	struct fx *f = *state;

	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {disjoint: 2/2}}]\n",
		 "t.yaml:2:42: 'disjoint': index 2 >= partition count 2 (indexes start at 0)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {disjoint: 0/0}}]\n",
		 "t.yaml:2:42: 'disjoint': partition count must be > 0, got '0/0'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {disjoint: 1}}]\n",
		 "t.yaml:2:42: bad 'disjoint' value '1': write INDEX/COUNT, e.g. 0/2 for the first of two parts\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {range: [0.5, 0.5]}}]\n",
		 "t.yaml:2:39: 'range' start 0.5 must be less than its end 0.5\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {range: [0.5, 1.5]}}]\n",
		 "t.yaml:2:45: fraction '1.5' must be between 0 and 1\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {range: 0.5}}]\n",
		 "t.yaml:2:39: 'range' must be a list of two fractions [start, end], e.g. [0.0, 0.5], got '0.5'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {llc: 0, numa: 1}}]\n",
		 "t.yaml:2:40: a cpuset is one of llc, numa, range, disjoint, overlap or cpus; got both 'llc' and 'numa'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {overlap: 1/3}}]\n",
		 "t.yaml:2:32: 'overlap' needs 'frac', e.g. {overlap: 1/3, frac: 0.5}\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {llc: 0, frac: 0.5}}]\n",
		 "t.yaml:2:40: 'frac' only goes with 'overlap'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {}}]\n",
		 "t.yaml:2:31: empty cpuset: write one of {llc: 0}, {numa: 0}, {range: [0.0, 0.5]}, {disjoint: 0/2}, {overlap: 0/2, frac: 0.5}, {cpus: \"0-3\"}\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {numa: 64}}]\n",
		 "t.yaml:2:38: 'numa' must be between 0 and 63, got '64'\n");
}

static void test_err_steps(void **state)
{
	struct fx *f = *state;

	load_err(f,
		 "name: a\n"
		 "steps:\n"
		 "  - ops: [{set_cpuset: {cgroup: cg0}}, {run: {name: b}}, {stop_cgroup: a, clear_cpuset: b}]\n"
		 "    hold: 2\n"
		 "  - ops: [stop_cgroup, {swap_cpusets: [a, a]}, {move_all_tasks: {from: a, to: a}}]\n"
		 "    hold: {loop: 0}\n"
		 "  - hold: 0\n"
		 "  - hold: {lop: 1s}\n"
		 "    opts: []\n",
		 "t.yaml:3:24: 'set_cpuset' needs 'cpuset'\n"
		 "t.yaml:3:46: 'run' needs 'argv'\n"
		 "t.yaml:3:58: an op is a map with one key, e.g. {stop_cgroup: cg0}; this one has 2\n"
		 "t.yaml:4:11: 'hold': fraction '2' must be between 0 and 1; for a time add a unit, e.g. 2s\n"
		 "t.yaml:5:11: an op is a map with one key, e.g. {stop_cgroup: cg0}, got 'stop_cgroup'\n"
		 "t.yaml:5:39: 'swap_cpusets' needs two different cgroups, got 'a' twice\n"
		 "t.yaml:5:79: 'move_all_tasks' needs two different cgroups, got 'a' twice\n"
		 "t.yaml:6:18: 'loop' interval must be greater than 0\n"
		 "t.yaml:7:11: 'hold' must be greater than 0\n"
		 "t.yaml:8:12: unknown key 'lop' in hold; did you mean 'loop'?\n"
		 "t.yaml:8:11: a hold map needs 'loop', e.g. {loop: 200ms}\n"
		 "t.yaml:9:5: unknown key 'opts' in step; did you mean 'ops'?\n");
	load_err(f, "name: a\nsteps: [{ops: [{spawn: {work: cpu-spin}}, {wait: {name: x, cgroup: y}}]}]\n",
		 "t.yaml:2:24: 'spawn' needs 'cgroup'\n"
		 "t.yaml:2:60: unknown key 'cgroup' in 'wait' (expected name)\n");
	load_err(f, "name: a\nsteps: [{ops: [{spawn: {cgroup: x, work: {type: pipe-io, workers: 2}, workers: 2}}]}]\n",
		 "t.yaml:2:71: 'workers' is given both here and in the work (line 2, column 58); keep one\n");
}

/* move_tasks and restart_scheduler: their arguments. */
static void test_err_ops_new(void **state)
{
	struct fx *f = *state;

	load_err(f,
		 "name: a\n"
		 "steps:\n"
		 "  - ops:\n"
		 "    - move_tasks: {from: a, to: a}\n"
		 "    - move_tasks: {from: a, to: b, count: 0}\n"
		 "    - move_tasks: {from: a, to: b, count: two}\n"
		 "    - move_tasks: {from: a, count: 2}\n"
		 "    - move_tasks: {from: a, to: b, cuont: 2}\n"
		 "    - move_tasks: [a, b]\n"
		 "    - restart_scheduler: {down: 5}\n"
		 "    - restart_scheduler: {down: -1s}\n"
		 "    - restart_scheduler: {dwon: 1s}\n"
		 "    - restart_scheduler: now\n"
		 "    - move_all_tasks: {from: a, to: b, count: 2}\n",
		 "t.yaml:4:33: 'move_tasks' needs two different cgroups, got 'a' twice\n"
		 "t.yaml:5:43: 'count' must be between 1 and 1000000, got '0'\n"
		 "t.yaml:6:43: 'count' must be an integer, got 'two'\n"
		 "t.yaml:7:19: 'move_tasks' needs 'to'\n"
		 "t.yaml:8:36: unknown key 'cuont' in 'move_tasks'; did you mean 'count'?\n"
		 "t.yaml:9:19: 'move_tasks' must be a map, got a list\n"
		 "t.yaml:10:33: bad duration '5': add a unit (ns, us, ms, s, m), e.g. 5s\n"
		 "t.yaml:11:33: bad duration '-1s': a duration cannot be negative\n"
		 "t.yaml:12:27: unknown key 'dwon' in 'restart_scheduler'; did you mean 'down'?\n"
		 "t.yaml:13:26: 'restart_scheduler' must be a map, got 'now'\n"
		 "t.yaml:14:40: unknown key 'count' in 'move_all_tasks' (expected from, to)\n");
}

static void test_err_checks(void **state)
{
	struct fx *f = *state;

	load_err(f,
		 "name: a\n"
		 "cgroups: [{name: cg0}]\n"
		 "checks:\n"
		 "  max_gap: 5\n"
		 "  max_spread: 15\n"
		 "  isolation: yes\n"
		 "  max_p99_wake_latency: true\n"
		 "  max_throughput_cv: -1\n"
		 "  min_page_locality: 120%\n"
		 "  max_local_dsq_depth: 1.5\n",
		 "t.yaml:4:12: bad duration '5': add a unit (ns, us, ms, s, m), e.g. 5s\n"
		 "t.yaml:5:15: bad percentage '15': add '%', e.g. 15%\n"
		 "t.yaml:6:14: 'isolation' must be true or false, got 'yes'\n"
		 "t.yaml:7:25: 'max_p99_wake_latency' takes a duration such as 2000ms, or false to turn it off; got 'true'\n"
		 "t.yaml:8:22: 'max_throughput_cv' must be a number >= 0, got '-1'\n"
		 "t.yaml:9:22: 'min_page_locality' must be at most 100%, got '120%'\n"
		 "t.yaml:10:24: 'max_local_dsq_depth' must be an integer, got '1.5'\n");
	load_err(f,
		 "name: a\n"
		 "cgroups: [{name: cg0}]\n"
		 "checks:\n"
		 "  hardware_only: [max_p99_wake_latency, max_gapp]\n",
		 "t.yaml:4:41: hardware_only: 'max_gapp' is not a check key (max_gap, "
		 "max_p99_wake_latency, min_work_rate, ...; ktstr-scenario(5), CHECKS)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\nchecks: {hardware_only: max_gap}\n",
		 "t.yaml:3:25: 'hardware_only' must be a list, got 'max_gap'\n");
}

static void test_err_topology_gauntlet(void **state)
{
	struct fx *f = *state;

	load_err(f, "name: a\ntopology: tiny2llc\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: unknown topology preset 'tiny2llc'; did you mean 'tiny-2llc'?\n");
	load_err(f, "name: a\ntopology: 1n2l4c\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: bad topology '1n2l4c': expected NnNlNcNt, e.g. 1n2l4c2t\n");
	load_err(f, "name: a\ntopology: 2n3l4c1t\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: bad topology '2n3l4c1t': llcs (3) must be a multiple of numa nodes (2)\n");
	load_err(f, "name: a\ntopology: {numa: 0, llc: 2}\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:18: 'numa' must be between 1 and 64, got '0'\n"
		 "t.yaml:2:21: unknown key 'llc' in topology; did you mean 'llcs'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\ngauntlet: {presets: [tiny-2llc, smt2llc]}\n",
		 "t.yaml:3:33: unknown topology preset 'smt2llc'; did you mean 'smt-2llc'?\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\ngauntlet: {presets: [tiny-2llc, tiny-1llc, tiny-2llc]}\n",
		 "t.yaml:3:21: preset 'tiny-2llc' is listed twice\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\ngauntlet: {presets: some}\n",
		 "t.yaml:3:21: 'presets' must be 'all' or a list of preset names, got 'some'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\ngauntlet: {constraints: {min_numa: 2}}\n",
		 "t.yaml:3:26: min_numa 2 is greater than max_numa 1 (the default); set it too, or 0 for no limit\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\ngauntlet: {constraints: {min_cpus: 8, max_cpus: 4, smt: true}}\n",
		 "t.yaml:3:52: unknown key 'smt' in constraints (expected min_numa, max_numa, min_llcs, max_llcs, min_cpus, max_cpus, requires_smt)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\ngauntlet: {constraints: {min_cpus: 8, max_cpus: 4}}\n",
		 "t.yaml:3:26: min_cpus 8 is greater than max_cpus 4\n");
	/* max 0 is "no limit" */
	struct scenario *sc = load_ok(f, "name: a\ncgroups: [{name: cg0}]\n"
				      "gauntlet: {constraints: {min_numa: 2, max_numa: 0}}\n");
	assert_int_equal(sc->gauntlet.constraints.min_numa_nodes, 2);
	assert_int_equal(sc->gauntlet.constraints.max_numa_nodes, 0);
}

static void test_err_scheduler(void **state)
{
	struct fx *f = *state;

	load_err(f,
		 "name: a\n"
		 "cgroups: [{name: cg0}]\n"
		 "scheduler:\n"
		 "  name: eevdf\n"
		 "  binary: foo\n"
		 "  flags: [llc]\n",
		 "t.yaml:5:3: 'eevdf' is the kernel's own scheduler and takes no 'binary'; give this definition another name\n"
		 "t.yaml:6:3: 'eevdf' is the kernel's own scheduler and takes no 'flags'; give this definition another name\n");
	load_err(f,
		 "name: a\n"
		 "cgroups: [{name: cg0}]\n"
		 "scheduler:\n"
		 "  name: x\n"
		 "  flags: [llcc, Steal, {name: mine, requires: [other]}, {args: []}, steal, llc, llc]\n"
		 "  kernel_args: [console=ttyS1, \"a b\"]\n"
		 "  sysctls: {a.b: 1, a.b: 2, c: \"x y\"}\n",
		 "t.yaml:5:11: unknown built-in flag 'llcc'; did you mean 'llc'? (to define your own, write {name: llcc, args: [...]})\n"
		 "t.yaml:5:17: bad flag name 'Steal': use kebab-case (lower-case letters, digits, single '-' between words), e.g. reject-pin\n"
		 "t.yaml:5:57: flag has no 'name' (e.g. {name: llc, args: [--llc]})\n"
		 "t.yaml:5:24: flag 'mine' requires 'other', which this scheduler does not declare\n"
		 "t.yaml:5:81: flag 'llc' is declared twice (first at line 5)\n"
		 "t.yaml:6:17: kernel argument 'console=ttyS1' would override ktstr's own 'console'\n"
		 "t.yaml:6:32: kernel argument 'a b' must be one word without spaces; write each as its own item\n"
		 "t.yaml:7:32: sysctl value 'x y' must not contain spaces: it goes on the kernel command line\n"
		 "t.yaml:7:21: duplicate sysctl 'a.b' (first at line 7)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\nscheduler: {binary: x}\n",
		 "t.yaml:3:12: scheduler has no 'name'\n");
	/* ktstr's own rdinit=/init starts the agent; its tests' faults are not a scenario's. */
	load_err(f, "name: a\ncgroups: [{name: cg0}]\n"
		 "scheduler: {name: x, kernel_args: [rdinit=/bin/sh, ktstr.selftest=escape-cpuset]}\n",
		 "t.yaml:3:36: kernel argument 'rdinit=/bin/sh' would override ktstr's own 'rdinit'\n"
		 "t.yaml:3:52: kernel argument 'ktstr.selftest=escape-cpuset' would override ktstr's "
		 "own 'ktstr.selftest'\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\nscheduler: {name: x, flags: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q]}\n",
		 "t.yaml:3:29: too many flags (17, at most 16)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0}]\nflags: {required: [LLC], exclude: [x]}\n",
		 "t.yaml:3:20: bad flag name 'LLC': use kebab-case (lower-case letters, digits, single '-' between words), e.g. reject-pin\n"
		 "t.yaml:3:26: unknown key 'exclude' in flags; did you mean 'excluded'?\n");

	/* A bare name of a non-built-in flag, and built-in steal's requirement. */
	struct scenario *sc = load_ok(f,
		"name: b\ncgroups: [{name: cg0}]\nscheduler: {name: s, flags: [llc, steal, reject-pin]}\n");
	assert_string_equal(sc->sched_inline->binary, "s");	/* discovered by name */
	assert_int_equal(sc->sched_inline->nflags, 3);
	assert_int_equal(sc->sched_inline->flags[1].nrequires, 1);
	assert_string_equal(sc->sched_inline->flags[1].requires[0], "llc");
	load_err(f, "name: c\ncgroups: [{name: cg0}]\nscheduler: {name: s, flags: [steal]}\n",
		 "t.yaml:3:30: flag 'steal' requires 'llc', which this scheduler does not declare\n");
	/* eevdf may be tuned, not replaced. */
	sc = load_ok(f, "name: d\ncgroups: [{name: cg0}]\n"
			"scheduler: {name: eevdf, sysctls: {kernel.x: 1}, checks: {max_gap: 1s}}\n");
	assert_true(sc->sched_inline->eevdf);
	assert_null(sc->sched_inline->binary);
}

static void test_multiple_errors(void **state)
{
	struct fx *f = *state;
	int n = load(f,
		"name: bad\n"
		"duraton: 5s\n"
		"workers: two\n"
		"cgroups:\n"
		"  - name: cg0\n"
		"    cpuset: {disjoint: 3/2}\n"
		"    work: {type: bursty, burst: 5}\n"
		"  - name: cg1\n"
		"    work: nope\n"
		"checks: {max_spread: 15}\n");

	assert_int_equal(n, 6);
	assert_int_equal(f->d.n, 6);
	assert_int_equal(f->set.n, 0);
	assert_string_equal(render(f),
		"t.yaml:2:1: unknown key 'duraton' in scenario; did you mean 'duration'?\n"
		"t.yaml:3:10: 'workers': unknown variable 'two' in count expression 'two' (a count is an integer, or an expression over cpus, usable, llcs, nodes, cores, llc_cpus)\n"
		"t.yaml:6:24: 'disjoint': index 3 >= partition count 2 (indexes start at 0)\n"
		"t.yaml:7:33: bad duration '5': add a unit (ns, us, ms, s, m), e.g. 5s\n"
		"t.yaml:9:11: unknown work type 'nope' (expected cpu-spin, yield-heavy, mixed, io-sync, bursty, pipe-io, futex-ping-pong, cache-pressure, cache-yield, cache-pipe, futex-fan-out, fan-out-compute, sequence, fork-exit, nice-sweep, affinity-churn, policy-churn, page-fault-churn, mutex-contention, exec)\n"
		"t.yaml:10:22: bad percentage '15': add '%', e.g. 15%\n");
	assert_int_equal(f->d.items[0].loc.line, 2);
	assert_int_equal(f->d.items[0].loc.col, 1);
	assert_string_equal(f->d.items[0].loc.file, "t.yaml");
}

/* ---- hostile input ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_alias_bomb(void **state)
{
	struct fx *f = *state;
	/* Nine levels of ten: 10^9 phases if expanded. */
	static const char bomb[] =
		"a: &a {spin: 1ms}\n"
		"name: bomb\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"cgroups:\n"
		"  - &g {name: x, works: [&w {type: sequence, phases: *b}, *w, *w, *w, *w, *w, *w, *w, *w, *w]}\n"
		"  - *g\n";
	double t0 = now();

	assert_true(load(f, bomb) > 0);
	assert_int_equal(f->set.n, 0);
	diag__free(&f->d);

	/* The real thing: one step aliased 4,000 times: 1,024,000 works. */
	char *big = malloc(65536);
	size_t o;

	assert_non_null(big);
	o = (size_t)snprintf(big, 65536,
		"name: bomb\n"
		"steps: [");
	for (int i = 0; i < 4000; i++)
		o += (size_t)snprintf(big + o, 65536 - o, "%s*l1", i ? ", " : "");
	snprintf(big + o, 65536 - o, "]\n");
	/* Anchors must come first: put them in a leading document key. */
	char *full = malloc(70000);

	assert_non_null(full);
	o = (size_t)snprintf(full, 70000, "l1: &l1 {cgroups: [{name: x, works: &w [mixed");
	for (int i = 1; i < 16; i++)
		o += (size_t)snprintf(full + o, 70000 - o, ", mixed");
	o += (size_t)snprintf(full + o, 70000 - o, "]}");
	for (int i = 1; i < 16; i++)
		o += (size_t)snprintf(full + o, 70000 - o, ", {name: x, works: *w}");
	snprintf(full + o, 70000 - o, "]}\n%s", big);
	free(big);
	assert_true(load(f, full) > 0);
	free(full);
	assert_int_equal(f->set.n, 0);
	assert_non_null(strstr(render(f), "document too complex"));
	diag__free(&f->d);

	/* A self-referencing alias (libyaml allows it) must not loop. */
	assert_true(load(f, "name: &n x\ncgroups: &c [{name: x, works: *c}]\n") > 0);
	diag__free(&f->d);
	assert_true(load(f, "&r {name: x, cgroups: [*r]}\n") > 0);
	diag__free(&f->d);
	assert_true(now() - t0 < 5.0);
}

static void test_deep_nesting(void **state)
{
	struct fx *f = *state;
	char buf[1024];
	size_t o;

	o = (size_t)snprintf(buf, sizeof(buf), "name: deep\ncgroups: ");
	for (int i = 0; i < 100; i++)
		buf[o++] = '[';
	buf[o] = '\0';
	assert_int_equal(load(f, buf), 1);
	assert_string_equal(render(f), "t.yaml:2:73: nesting deeper than 64 levels\n");
	assert_int_equal(f->set.n, 0);
	diag__free(&f->d);

	/* 64 levels is fine as YAML (and wrong as a scenario). */
	o = (size_t)snprintf(buf, sizeof(buf), "name: deep\ncgroups: ");
	for (int i = 0; i < 63; i++)
		buf[o++] = '[';
	for (int i = 0; i < 63; i++)
		buf[o++] = ']';
	buf[o] = '\0';
	assert_int_equal(load(f, buf), 1);
	assert_string_equal(render(f), "t.yaml:2:11: each cgroup must be a map with a 'name', got a list\n");
}

static void test_bad_bytes(void **state)
{
	struct fx *f = *state;
	static const char nul[] = "name: a\ncgroups: [{name: cg0}]\ndescription: \"x\\0y\"\n";
	static const char raw_nul[] = "name: a\0b\ncgroups: [{name: cg0}]\n";
	static const char latin1[] = "name: caf\xff\ncgroups: [{name: cg0}]\n";

	load_err(f, nul, "t.yaml:3:14: 'description' contains a NUL byte\n");
	assert_true(scenario__load_buffer(&f->set, "t.yaml", raw_nul, sizeof(raw_nul) - 1, &f->d) > 0);
	assert_string_equal(render(f),
		"t.yaml:1:8: not valid YAML text: control characters are not allowed (byte 0x00)\n");
	diag__free(&f->d);
	load_err(f, latin1, "t.yaml:1:10: not valid YAML text: invalid leading UTF-8 octet (byte 0xff)\n");
	/* UTF-8 is fine in strings, but not in names. */
	struct scenario *sc = load_ok(f, "name: a\ndescription: caf\xc3\xa9\ncgroups: [{name: cg0}]\n");

	assert_string_equal(sc->description, "caf\xc3\xa9");
	load_err(f, "name: caf\xc3\xa9\ncgroups: [{name: cg0}]\n",
		 "t.yaml:1:7: bad scenario name 'caf?" "?': use letters, digits, '_', '.' and '-' only\n");
}

static void test_huge_values(void **state)
{
	struct fx *f = *state;
	size_t len = 70000;
	char *buf = malloc(len + 64);
	int o;

	assert_non_null(buf);
	load_err(f, "name: a\nworkers: 99999999999999999999999999\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:10: 'workers' must be between 1 and 4096, got '99999999999999999999999999'\n");
	load_err(f, "name: a\nduration: 99999999999999999999m\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: duration '99999999999999999999m' is too long: at most a day (86400s)\n");
	/* Under 2^32 s, but the VM's timeout (60 s more) once wrapped: refused. */
	load_err(f, "name: a\nduration: 4294908s\ncgroups: [{name: cg0}]\n",
		 "t.yaml:2:11: duration '4294908s' is too long: at most a day (86400s)\n");
	load_err(f, "name: a\ncgroups: [{name: cg0, cpuset: {disjoint: 1/99999999}}]\n",
		 "t.yaml:2:42: bad 'disjoint' value '1/99999999': write INDEX/COUNT, e.g. 0/2 for the first of two parts\n");
	/* A long name is cut in the message, and a too-long value rejected. */
	o = snprintf(buf, len, "name: ");
	memset(buf + o, 'n', 100);
	strcpy(buf + o + 100, "\ncgroups: [{name: cg0}]\n");
	load_err(f, buf,
		 "t.yaml:1:7: scenario name 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...' is too long (100 characters, at most 64)\n");
	o = snprintf(buf, len, "name: a\ncgroups: [{name: cg0}]\ndescription: ");
	memset(buf + o, 'd', len - (size_t)o);
	strcpy(buf + len, "\n");
	load_err(f, buf, "t.yaml:3:14: 'description' is too long (69956 bytes, at most 65536)\n");
	free(buf);

	/* A buffer over the file limit is refused before parsing. */
	buf = calloc(1, (1u << 20) + 2);
	assert_non_null(buf);
	memset(buf, '#', (1u << 20) + 1);
	assert_int_equal(load(f, buf), 1);
	assert_string_equal(render(f), "t.yaml: file is too large (1048577 bytes, at most 1048576)\n");
	free(buf);
}

static void test_many_keys(void **state)
{
	struct fx *f = *state;
	/* Thousands of distinct sysctls: duplicates found without n^2 work. */
	size_t cap = 200000, o;
	char *buf = malloc(cap);
	double t0 = now();

	assert_non_null(buf);
	o = (size_t)snprintf(buf, cap, "name: s\nflags: []\nsysctls:\n");
	for (int i = 0; i < 4000; i++)
		o += (size_t)snprintf(buf + o, cap - o, "  k%d: %d\n", i, i);
	o += (size_t)snprintf(buf + o, cap - o, "  k17: dup\n");
	assert_int_equal(load_sched(f, buf), 1);
	assert_string_equal(render(f), "s.yaml:4004:3: duplicate sysctl 'k17' (first at line 21)\n");
	diag__free(&f->d);

	/* Thousands of unknown keys: reported, capped by the diag limit, fast. */
	o = (size_t)snprintf(buf, cap, "name: s\ncgroups: [{name: a}]\n");
	for (int i = 0; i < 5000; i++)
		o += (size_t)snprintf(buf + o, cap - o, "unknown_key_number_%d: 1\n", i);
	f->d.max = 100;
	assert_int_equal(load(f, buf), 5000);
	assert_int_equal(f->d.n, 100);
	assert_int_equal(f->d.dropped, 4900);
	free(buf);
	assert_true(now() - t0 < 5.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_err_unknown_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_duplicates_and_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_work_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_cpusets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_ops_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_topology_gauntlet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_scheduler, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiple_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_bomb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_huge_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_keys, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
