#!/usr/bin/env bash
# ktstr check: the example scenarios are valid; every class of error is
# reported as FILE:LINE:COLUMN: message with exit status 1.
. "$(dirname "$0")/lib.sh"
S=$KTSTR_SRCDIR/scenarios/examples

# --- the shipped scenarios
run "$KTSTR" check "$S"/*.yaml
expect_rc 0 "shipped scenarios are valid"
ndocs=$(cat "$S"/*.yaml | grep -c '^name:')
expect_eq "$(grep -c '^ok ' <<<"$out")" "$ndocs" "one ok line per shipped scenario"
expect_out "^ok .*two_cgroups.yaml: two_cgroups \[topo=1n2l4c1t\]" "two_cgroups line"

run "$KTSTR" check -q "$S"/*.yaml
expect_rc 0 "check -q"
expect_eq "$out" "" "check -q prints nothing"

# check FILE CONTENT: write a scenario file and run ktstr check on it.
check() {
	printf '%s\n' "$2" >"$TMP/$1"
	run "$KTSTR" check "$TMP/$1"
}

# --- one error of each class, with its position
check unknown_key.yaml 'name: a
duraton: 5s'
expect_rc 1 "unknown key"
expect_err "^$TMP/unknown_key.yaml:2:1: .*'duraton'.*did you mean 'duration'" "unknown key: position and did-you-mean"

check bad_duration.yaml 'name: a
duration: 5'
expect_rc 1 "duration without unit"
expect_err "^$TMP/bad_duration.yaml:2:11: .*duration" "duration without unit: position"

check bad_type.yaml 'name: a
workers: two'
expect_rc 1 "wrong type"
expect_err "^$TMP/bad_type.yaml:2:10: .*workers.*integer" "wrong type: position"

check bad_topo.yaml 'name: a
topology: 1n2l4x'
expect_rc 1 "bad topology string"
expect_err "^$TMP/bad_topo.yaml:2:11: .*1n2l4x" "bad topology: position and text"

check topo_invalid.yaml 'name: a
topology: 2n3l2c1t'
expect_rc 1 "llcs not a multiple of nodes"
expect_err "^$TMP/topo_invalid.yaml:2:11: .*multiple" "invalid topology: position"

check cpuset_range.yaml 'name: a
topology: 1n2l2c1t
cgroups:
  - name: cg0
    cpuset: {llc: 2}'
expect_rc 1 "cpuset out of range"
expect_err "^$TMP/cpuset_range.yaml:5:[0-9]+: cgroup 'cg0': .*Llc\(2\) out of range: topology has 2 LLCs" "cpuset out of range"

check work_type.yaml 'name: a
cgroups:
  - name: cg0
    work: cpu-spn'
expect_rc 1 "unknown work type"
expect_err "^$TMP/work_type.yaml:4:11: .*'cpu-spn'.*did you mean 'cpu-spin'" "unknown work type"

check op.yaml 'name: a
cgroups: [{name: cg0}]
steps:
  - ops: [{set_cpusett: {cgroup: cg0, cpuset: {llc: 0}}}]'
expect_rc 1 "unknown op"
expect_err "^$TMP/op.yaml:4:12: .*'set_cpusett'.*did you mean 'set_cpuset'" "unknown op"

check dup.yaml 'name: a
cgroups:
  - name: cg0
  - name: cg0'
expect_rc 1 "duplicate cgroup"
expect_err "^$TMP/dup.yaml:4:[0-9]+: .*cgroup 'cg0' already exists" "duplicate cgroup"

check missing_cg.yaml 'name: a
cgroups: [{name: cg0}]
steps:
  - ops: [{stop_cgroup: cg9}]'
expect_rc 1 "op names a missing cgroup"
expect_err "^$TMP/missing_cg.yaml:4:[0-9]+: .*cg9.*does not exist at step 1" "op names a missing cgroup"

check flags.yaml 'name: a
scheduler:
  name: mysched
  binary: scx_mysched
  flags: [llc, steal, {name: turbo, args: [--turbo]}]
flags: {required: [lcc]}
cgroups: [{name: cg0}]'
expect_rc 1 "unknown flag"
expect_err "^$TMP/flags.yaml:6:[0-9]+: .*'lcc'.*did you mean 'llc'" "unknown flag"

check flags2.yaml 'name: a
scheduler:
  name: mysched
  binary: scx_mysched
  flags: [llc, steal]
flags: {required: [steal], excluded: [llc]}
cgroups: [{name: cg0}]'
expect_rc 1 "unmeetable flag requirement"
expect_err "^$TMP/flags2.yaml:6:[0-9]+: .*'steal' requires 'llc'" "unmeetable flag requirement"

check groups.yaml 'name: a
cgroups:
  - name: cg0
    work: pipe-io
    workers: 3'
expect_rc 1 "workers not a multiple of the group size"
expect_err "^$TMP/groups.yaml:[0-9]+:[0-9]+: .*groups of 2, got 3" "group size"

# counts: a bad expression at its character, a count that is 0 on the
# scenario's own topology at its key, and repeat expanded in the ok line
check count_expr.yaml 'name: a
cgroups:
  - {name: cg0, workers: "cpu/2"}'
expect_rc 1 "bad count expression"
expect_err "^$TMP/count_expr.yaml:3:27: 'workers': unknown variable 'cpu' in count expression 'cpu/2'; did you mean 'cpus'\?$" "bad count expression: position and did-you-mean"

check count_zero.yaml 'name: a
topology: 1n1l2c1t
cgroups:
  - {name: "cg_{i}", repeat: "usable-2"}'
expect_rc 1 "a count of 0 on the own topology"
expect_err "^$TMP/count_zero.yaml:4:30: 'repeat': count expression 'usable-2' is 0 on 1n1l2c1t; a count must be at least 1$" "count of 0: position, key and topology"

check count_ok.yaml 'name: a
topology: 1n2l2c1t
cgroups:
  - {name: "cg_{i}", repeat: "min(usable, 64)", cpuset: {cpus: "{i}"}, workers: 1}
  - {name: all, workers: "2*usable"}
steps:
  - ops: [{stop_cgroup: cg_2}]'
expect_rc 0 "repeat and expressions"
expect_out "^ok $TMP/count_ok.yaml: a \[topo=1n2l2c1t\] 4 cgroups, 1 step" "three repeated cgroups and one more"

check syntax.yaml 'name: a
cgroups: [ {name: cg0}'
expect_rc 1 "YAML syntax error"
expect_err "^$TMP/syntax.yaml:[0-9]+:[0-9]+: " "syntax error has a position"

check unknown_sched.yaml 'name: a
scheduler: scx-nope
cgroups: [{name: cg0}]'
expect_rc 1 "unknown scheduler"
expect_err "^$TMP/unknown_sched.yaml:2:12: .*unknown scheduler 'scx-nope'.*schedulers/scx-nope.yaml" "unknown scheduler says where to define it"

check nothing.yaml 'name: a
duration: 1s'
expect_rc 1 "nothing to run"
expect_err "^$TMP/nothing.yaml:1:1: .*runs nothing" "a scenario without cgroups or steps"

# --- several errors in one file are all reported
check many.yaml 'name: a
duraton: 5s
workers: two
cgroups:
  - name: cg0
    work: cpu-spn'
expect_rc 1 "several errors"
expect_eq "$(grep -c "^$TMP/many.yaml:" <<<"$err")" 3 "all three errors reported"
expect_err "3 errors" "error count summary"

# --- files that are not there, empty, or a directory
run "$KTSTR" check "$TMP/nope.yaml"
expect_rc 1 "missing file"
expect_err "$TMP/nope.yaml: .*(No such file|cannot)" "missing file is named"

: >"$TMP/empty.yaml"
run "$KTSTR" check "$TMP/empty.yaml"
expect_rc 1 "empty file"
expect_err "$TMP/empty.yaml: no scenario" "empty file says so"

# --- valid and invalid together: the valid one is not reported as broken
printf 'name: fine\ncgroups: [{name: cg0}]\n' >"$TMP/fine.yaml"
run "$KTSTR" check "$TMP/fine.yaml" "$TMP/unknown_key.yaml"
expect_rc 1 "mixed valid and invalid"
expect_err "unknown_key.yaml:2:1" "mixed: error named"
checks=$((checks + 1))
grep -q "fine.yaml" <<<"$err" && fail "mixed: the valid file is not blamed"

# --- scheduler definitions from --schedulers FILE and from schedulers/NAME.yaml
mkdir -p "$TMP/proj/schedulers"
printf 'name: scx-demo\nbinary: scx_demo\nflags: [llc, steal, borrow]\n' >"$TMP/proj/schedulers/scx-demo.yaml"
printf 'name: uses_demo\nscheduler: scx-demo\nflags: {required: [llc]}\ncgroups: [{name: cg0}]\n' >"$TMP/proj/s.yaml"
run "$KTSTR" check "$TMP/proj/s.yaml"
expect_rc 0 "scheduler found in schedulers/ next to the scenario"
expect_out "scheduler scx-demo" "resolved scheduler named"

cp "$TMP/proj/schedulers/scx-demo.yaml" "$TMP/defs.yaml"
mkdir -p "$TMP/other" && cp "$TMP/proj/s.yaml" "$TMP/other/s.yaml"
run "$KTSTR" check --schedulers "$TMP/defs.yaml" "$TMP/other/s.yaml"
expect_rc 0 "scheduler from --schedulers"


# --- --thresholds: the merged thresholds of each scenario, per profile
# (defaults, then the scheduler's checks, then the scenario's; false = off)
printf '%s\n' 'name: thr
scheduler:
  name: mysched
  binary: scx_mysched
  checks: {max_gap: 3s, max_spread: 25%, not_starved: false, max_p99_wake_latency: 1ms, fail_on_stall: false}
cgroups: [{name: cg0}]
checks:
  max_gap: 750ms
  max_p99_wake_latency: false
  min_page_locality: 90%
  max_migration_ratio: 0.5
  isolation: true' >"$TMP/thr.yaml"
run "$KTSTR" check --thresholds "$TMP/thr.yaml"
expect_rc 0 "check --thresholds"
expect_out "^ok $TMP/thr.yaml: thr " "the ok line is still there"
expect_eq "$(grep -c '^thr thresholds' <<<"$out")" 2 "both profiles without a choice"
expect_eq "$(sed -n '/^thr thresholds (default):$/,/^thr thresholds (tcg)/p' <<<"$out" | grep -c '^  [a-z_0-9]*: ')" 15 "one line per check key"
tcg=$(sed -n '/^thr thresholds (tcg):$/,$p' <<<"$out")
def=$(sed -n '/^thr thresholds (default):$/,/^thr thresholds (tcg)/p' <<<"$out")
for line in "  max_gap: 750ms" "  max_spread: 25%" "  not_starved: off" "  max_p99_wake_latency: off" \
	"  min_page_locality: 0.9" "  max_migration_ratio: 0.5" "  isolation: true" \
	"  fail_on_stall: off" "  max_wake_latency_cv: none"; do
	expect_eq "$(grep -cxF -- "$line" <<<"$def")$(grep -cxF -- "$line" <<<"$tcg")" 11 "both profiles: '$line'"
done
# The monitor's imbalance: judged at hardware speed, reported under TCG (its queues
# pile up where the host keeps a vCPU waiting); a sched_ext scheduler: no eevdf note.
expect_eq "$(grep -cxF -- "  max_imbalance_ratio: 4" <<<"$def")" 1 "imbalance in the default profile"
expect_eq "$(grep -cxF -- "  max_imbalance_ratio: 4 (hardware_only: waived)" <<<"$tcg")" 1 \
	"imbalance waived in the tcg profile"
expect_eq "$(grep -c "not evaluated" <<<"$out")" 0 "sched_ext: the monitor's keys are evaluated"
run "$KTSTR" check --thresholds=default "$KTSTR_SRCDIR/scenarios/examples/two_cgroups.yaml"
for k in max_imbalance_ratio max_local_dsq_depth fail_on_stall; do
	expect_out "^  $k: [0-9a-z]+ \(not evaluated: the monitor judges sched_ext schedulers, not eevdf\)$" \
		"eevdf: $k is said not to be evaluated"
done
expect_eq "$(grep -c "not evaluated" <<<"$out")" 3 "eevdf: only the monitor's keys"

# Without the scheduler's and scenario's layers the profiles differ.
printf 'name: plain\ncgroups: [{name: cg0}]\nchecks: {max_spread: false}\n' >"$TMP/plain.yaml"
run "$KTSTR" check -q --thresholds=tcg "$TMP/plain.yaml"
expect_rc 0 "check -q --thresholds=tcg"
expect_eq "$(head -n1 <<<"$out")" "plain thresholds (tcg):" "only the chosen profile, no ok line"
expect_out "^  max_gap: 750ms$" "tcg's max_gap"
expect_out "^  max_spread: off$" "the scenario disabled the default spread"
expect_out "^  not_starved: true$" "not_starved on by default"
expect_out "^  isolation: none$" "isolation off by default"
run "$KTSTR" check --thresholds=default "$TMP/plain.yaml"
expect_out "^  max_gap: 2s$" "default's max_gap"

# hardware_only: marked in both profiles, waived under tcg only.
printf 'name: hw\ncgroups: [{name: cg0}]\nchecks: {max_p99_wake_latency: 20ms, hardware_only: [max_p99_wake_latency]}\n' >"$TMP/hw.yaml"
run "$KTSTR" check -q --thresholds=tcg "$TMP/hw.yaml"
expect_out "^  max_p99_wake_latency: 20ms \(hardware_only: waived\)$" "tcg waives a hardware_only limit"
run "$KTSTR" check -q --thresholds=default "$TMP/hw.yaml"
expect_out "^  max_p99_wake_latency: 20ms \(hardware_only\)$" "default judges it"
expect_out "^  max_gap: 2s$" "an unmarked key has no mark"
run "$KTSTR" check --thresholds=fast "$TMP/plain.yaml"
expect_rc 2 "unknown threshold profile"
expect_err "--thresholds takes default or tcg, got 'fast'" "unknown profile named"

# --- names: never empty, '.' or '..' (they become directories), unique across files (#16)
for n in '""' '"."' '".."'; do
	printf 'name: %s\ncgroups: [{name: cg0}]\n' "$n" >"$TMP/badname.yaml"
	run "$KTSTR" check "$TMP/badname.yaml"
	expect_rc 1 "scenario name $n is refused"
	expect_err "badname.yaml:1:7: bad scenario name '.*': empty, '.' and '..' cannot name anything$" "name $n: why"
done
printf 'name: cgdot\ncgroups: [{name: ".."}]\n' >"$TMP/badcg.yaml"
run "$KTSTR" check "$TMP/badcg.yaml"
expect_rc 1 "cgroup name '..' is refused"
printf 'name: dup\ncgroups: [{name: cg0}]\n' >"$TMP/dup1.yaml"
printf '# again\nname: dup\ncgroups: [{name: cg0}]\n' >"$TMP/dup2.yaml"
run "$KTSTR" check "$TMP/dup1.yaml" "$TMP/dup2.yaml"
expect_rc 1 "two files with one scenario name fail check, as they would fail gauntlet"
expect_err "dup2.yaml:2:1: scenario name 'dup' is already used at .*dup1.yaml:1; names must be unique among the files given$" \
	"both places named"

# --- check, list and gauntlet --list run nothing on the host (#16)
mkdir -p "$TMP/fb"
cat >"$TMP/fb/sched" <<SH
#!/bin/sh
touch "$TMP/fb/ran"
echo '[{"name": "fast", "args": ["--fast"], "requires": []}]'
SH
chmod +x "$TMP/fb/sched"
printf 'name: fb\ncgroups: [{name: cg0}]\nscheduler: {name: fbs, binary: %s, flags: from-binary}\n' \
	"$TMP/fb/sched" >"$TMP/fb/fb.yaml"
for c in check list "gauntlet --list"; do
	run "$KTSTR" $c "$TMP/fb/fb.yaml"
	expect_rc 0 "$c with a from-binary scheduler"
	expect_err "scheduler 'fbs' has flags: from-binary, not asked for .*--learn-flags runs its --list-flags$" \
		"$c says what it left out"
	checks=$((checks + 1))
	[ ! -e "$TMP/fb/ran" ] || fail "$c ran the scheduler's binary"
done
run "$KTSTR" gauntlet --list --overcommit --presets tiny-1llc --learn-flags "$TMP/fb/fb.yaml"
expect_rc 0 "--learn-flags asks the binary"
expect_out "^fb/tiny-1llc/fast$" "and expands its flag"
checks=$((checks + 1))
[ -e "$TMP/fb/ran" ] || fail "--learn-flags did not run it"

# A binary that closes stdout and lingers, with a child: bounded, and its group killed.
cat >"$TMP/fb/sched" <<SH
#!/bin/sh
exec >&-
sleep 120 &
sleep 121
SH
t0=$SECONDS
run "$KTSTR" check --learn-flags "$TMP/fb/fb.yaml"
expect_rc 1 "a --list-flags that never exits"
expect_err "sched --list-flags did not exit within 5 s" "it is bounded"
checks=$((checks + 1))
[ $((SECONDS - t0)) -lt 60 ] || fail "check waited $((SECONDS - t0)) s (a hang guard, not a timing check)"
sleep 0.2
expect_eq "$(pgrep -f -c '^sleep 12[01]$' || true)" 0 "its process group, child included, was killed"

# --- descriptions cannot forge lines or drive the terminal (#16)
printf 'name: esc\ndescription: "a\\nPASS forged\\e[2J"\ncgroups: [{name: cg0}]\n' >"$TMP/esc.yaml"
run "$KTSTR" list --overcommit "$TMP/esc.yaml"
expect_rc 0 "list of a description with control characters"
expect_eq "$(grep -c . <<<"$out")" 1 "one line: the newline did not forge a second"
expect_out 'a\\x0aPASS forged\\x1b\[2J$' "controls shown as \\xNN"

# --- a directory stands for its scenario files, recursively, in byte order
mkdir -p "$TMP/tree/b/schedulers" "$TMP/tree/a" "$TMP/tree/.hidden" "$TMP/empty"
for n in z_top a/one b/two b/a_first; do
	printf 'name: %s\ncgroups: [{name: cg0}]\n' "${n##*/}" >"$TMP/tree/$n.yaml"
done
printf 'name: hidden\ncgroups: [{name: cg0}]\n' >"$TMP/tree/.hidden/h.yaml"
printf 'name: not-a-scenario\nbinary: x\n' >"$TMP/tree/b/schedulers/x.yaml"
echo 'not yaml' >"$TMP/tree/notes.txt"
run "$KTSTR" check "$TMP/tree"
expect_rc 0 "check DIR"
expect_eq "$(sed -E 's/^ok [^:]*: ([^ ]+) .*/\1/' <<<"$out" | tr '\n' ' ')" "one a_first two z_top " \
	"every scenario under it, by path; schedulers/, hidden entries and other files left out"
run "$KTSTR" list --overcommit "$TMP/tree"
expect_rc 0 "list DIR"
expect_eq "$(grep -v ':$' <<<"$out" | grep -c .)" 4 "list sees the same four"
expect_eq "$(grep ':$' <<<"$out" | tr '\n' ' ')" "a: b: tree: " "under a heading per folder"
run "$KTSTR" check "$TMP/empty"
expect_rc 1 "a directory with no scenario"
expect_err "empty: no scenario files \(\*\.yaml\) under this directory$" "says so"

finish
