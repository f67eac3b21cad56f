#!/usr/bin/env bash
# The catalog (scenarios/) is sound without a VM: every file is valid under
# the kernel's scheduler and under each bundled sched_ext one; the 14
# curated entry points and the original's 81 catalog entries are all there,
# one per file, in their category folders, each with a description; `ktstr
# list scenarios/` shows it by category; man 7 ktstr-catalog, generated at
# build time, lists every scenario.
. "$(dirname "$0")/lib.sh"
S=$KTSTR_SRCDIR/scenarios

run "$KTSTR" check "$S"
expect_rc 0 "every file under scenarios/ is valid"
for sched in scx-ktstr scx_simple; do
	run "$KTSTR" check -q --scheduler "$sched" "$S"
	expect_rc 0 "every file is valid under --scheduler $sched"
done

# One file per scenario, named after it, in the folder of its category.
cat_files=()
for f in "$S"/*/*.yaml; do
	case $f in "$S"/schedulers/* | "$S"/examples/*) continue ;; esac
	cat_files+=("$f")
	name=$(sed -n 's/^name: *//p' "$f")
	expect_eq "$name" "$(basename "$f" .yaml)" "$f: the file is named after its scenario"
	checks=$((checks + 1))
	grep -q '^description: .\{30,\}' "$f" || fail "$f: no description (a line on the bug it exposes and the checks that catch it)"
done
expect_eq "$(ls "$S"/curated/*.yaml | wc -l)" 14 "the 14 curated entry points"
expect_eq "$((${#cat_files[@]} - 14))" 81 "the 81 catalog entries"
for name in steady steady_llc oversubscribed cpuset_apply cpuset_clear cpuset_resize \
	cgroup_add cgroup_remove affinity_change affinity_pinned host_contention \
	mixed_workloads nested_steady nested_task_move; do
	checks=$((checks + 1))
	[ -f "$S/curated/$name.yaml" ] || fail "curated entry point $name is missing"
done
for name in cgroup_steady cgroup_per_cpu stall_recovery cgroup_no_ctrl_task_migration \
	host_cgroup_contention cgroup_cpuset_numa_swap mutex_contention_heavy fan_out_compute; do
	checks=$((checks + 1))
	ls "$S"/*/"$name.yaml" >/dev/null 2>&1 || fail "catalog entry $name is missing"
done

# ktstr list: a heading per category, every scenario under one.
run "$KTSTR" list --overcommit "$S"
expect_rc 0 "list scenarios/"
for c in curated basic cpuset affinity sched_class dynamic nested stress stall advanced \
	interaction performance examples; do
	expect_out "^$c:$" "list shows the category $c"
done
run "$KTSTR" list --json --overcommit "$S"
expect_eq "$(grep -c '"category":"basic"' <<<"$out")" "$(ls "$S"/basic/*.yaml | wc -l)" \
	"list --json names each basic scenario's category"

# The generated page lists them all, and only what the files say.
page=${KTSTR_BUILDDIR:-}/man/ktstr-catalog.7
if [ -f "$page" ]; then
	n=$(grep -c '^\.TP' "$page")
	expect_eq "$n" "$(( ${#cat_files[@]} + $(ls "$S"/examples/*.yaml | wc -l) ))" \
		"man 7 ktstr-catalog has one entry per scenario"
	checks=$((checks + 1))
	grep -q 'needs >= 2 NUMA nodes' "$page" || fail "the page shows what a scenario needs"
else
	fail "man/ktstr-catalog.7 was not generated in the build directory"
fi

# A catalog scenario the topology cannot host is a SKIP with its reason,
# never a run: --list --json marks it; eevdf skips what needs sched_ext.
run "$KTSTR" gauntlet --list --json --overcommit --presets tiny-1llc "$S"/curated/steady_llc.yaml
expect_rc 0 "gauntlet --list of a 2-LLC scenario on tiny-1llc"
expect_out '"skip":"needs >= 2 LLCs \(1n1l4c1t has 1\)"' "the preset named lacks its LLCs: a skip"
run "$KTSTR" gauntlet --list --json --overcommit --presets tiny-2llc "$S"/stall/stall_recovery.yaml
expect_out '"skip":"needs a sched_ext scheduler' "stall_recovery skips under eevdf"
finish
