#!/usr/bin/env bash
# --work-type TYPE of run and gauntlet: the name checked (exit 2 with the
# names it takes), the plan of a swappable group carrying TYPE while other
# groups keep their work, the note naming what it replaced nothing in, the
# gauntlet --list --json key, and one short VM run whose workers did TYPE's
# work (skipped without a kernel).
. "$(dirname "$0")/lib.sh"
: "${PLAN_WRITE:?}"

# ---- the name
run "$KTSTR" run --work-type nosuch "$TMP/none.yaml"
expect_rc 2 "run: an unknown work type is a usage error"
expect_err "^ktstr run: --work-type nosuch: unknown work type \(it takes: cpu-spin, .*futex-ping-pong, .*mutex-contention\)$" \
	"run: the error names the valid work types"
run "$KTSTR" gauntlet --work-type futex-pingpong "$TMP/none.yaml"
expect_rc 2 "gauntlet: an unknown work type is a usage error"
expect_err "did you mean 'futex-ping-pong'\?" "gauntlet: a typo gets a suggestion"
run "$KTSTR" run --work-type sequence "$TMP/none.yaml"
expect_rc 2 "sequence cannot replace a group"
expect_err "^ktstr run: --work-type sequence: a sequence needs its phases" "sequence: why"
checks=$((checks + 1))
! grep -Eq '(: |, )(sequence|exec)(,|\))' <<<"$err" || fail "the list offers sequence or exec"
run "$KTSTR" gauntlet --list --work-type exec "$TMP/none.yaml"
expect_rc 2 "exec cannot replace a group"
expect_err "exec needs a command line" "exec: why"
run "$KTSTR" run --help
expect_out "^  --work-type TYPE " "run --help lists --work-type"
run "$KTSTR" gauntlet --help
expect_out "^  --work-type TYPE " "gauntlet --help lists --work-type"

# ---- the plan: the swappable group takes the type, with its defaults
cat >"$TMP/mixed.yaml" <<'EOF'
name: wt_mixed
topology: 1n1l2c1t
duration: 1s
workers: 2
cgroups:
  - name: swap
    work: {type: cpu-spin, swappable: true}
  - name: keep
    work: yield-heavy
steps:
  - ops: [{spawn: {cgroup: keep, work: {type: mixed, swappable: true}}}]
    hold: 1/2
EOF
# The same scenario as TYPE would make it: the reference for the work lines.
sed 's/{type: cpu-spin, swappable: true}/futex-ping-pong/' "$TMP/mixed.yaml" >"$TMP/ref.yaml"
work_lines() {	# work_lines ARGS...: the plan's work lines, one per group
	run "$PLAN_WRITE" "$@"
	expect_rc 0 "plan_write $*"
	grep '^work ' <<<"$out"
}
plain=$(work_lines "$TMP/mixed.yaml")
swapped=$(work_lines "$TMP/mixed.yaml" 0 0 futex-ping-pong)
ref=$(work_lines "$TMP/ref.yaml")
expect_eq "$(wc -l <<<"$swapped")" 3 "three work lines (2 cgroups, 1 spawn)"
expect_eq "$(sed -n 1p <<<"$swapped")" "$(sed -n 1p <<<"$ref")" \
	"the swappable group runs futex-ping-pong with its defaults"
checks=$((checks + 1))
[ "$(sed -n 1p <<<"$swapped")" != "$(sed -n 1p <<<"$plain")" ] ||
	fail "the override changed nothing"
expect_eq "$(sed -n 2p <<<"$swapped")" "$(sed -n 2p <<<"$plain")" \
	"the group not marked swappable keeps its work"
expect_eq "$(sed -n 3p <<<"$swapped")" "$(sed -n 3p <<<"$plain")" \
	"a spawn op keeps its work, swappable or not"
# 3 workers do not pair up for futex-ping-pong: the group keeps cpu-spin.
expect_eq "$(work_lines "$TMP/mixed.yaml" 3 0 futex-ping-pong | sed -n 1p)" \
	"$(work_lines "$TMP/mixed.yaml" 3 | sed -n 1p)" "3 workers: the group keeps its work"

# ---- the note: one line per run, naming what the type replaces nothing in
cat >"$TMP/note.yaml" <<'EOF'
name: wt_swap
topology: 1n1l2c1t
duration: 1s
workers: 2
cgroups:
  - {name: cg0, work: {type: cpu-spin, swappable: true}}
---
name: wt_none
topology: 1n1l2c1t
duration: 1s
cgroups:
  - {name: cg0, work: cpu-spin}
---
name: wt_odd
topology: 1n1l2c1t
duration: 1s
cgroups:
  - {name: cg0, workers: 3, work: {type: cpu-spin, swappable: true}}
EOF
# A kernel that does not exist: the note comes before anything boots.
run "$KTSTR" run --work-type futex-ping-pong --kernel "$TMP/no-kernel" "$TMP/note.yaml"
expect_rc 2 "no such kernel"
expect_eq "$(grep -c 'work-type' <<<"$err")" 1 "run: one note"
expect_err "^ktstr run: --work-type futex-ping-pong replaces no work in: wt_none \(no group is swappable\), wt_odd \(its swappable groups' workers are not a multiple of 2\); these run their own work$" \
	"run: the note names both scenarios and why"
run "$KTSTR" run --work-type cpu-spin --kernel "$TMP/no-kernel" "$TMP/note.yaml"
expect_err "replaces no work in: wt_none \(no group is swappable\);" "cpu-spin fits 3 workers"
run "$KTSTR" run --kernel "$TMP/no-kernel" "$TMP/note.yaml"
checks=$((checks + 1))
! grep -q 'work-type' <<<"$err" || fail "a note without --work-type"

G=(gauntlet --list --overcommit --presets tiny-1llc,tiny-2llc)
run "$KTSTR" "${G[@]}" --json --work-type futex-ping-pong "$TMP/note.yaml"
expect_rc 0 "gauntlet --list --json --work-type"
expect_eq "$(grep -c 'work-type' <<<"$err")" 1 "gauntlet: one note"
expect_err "in: wt_none \(no group is swappable\), wt_odd/tiny-1llc \(.*\), wt_odd/tiny-2llc \(.*\);" \
	"gauntlet: wt_none once, wt_odd per preset"
expect_eq "$(python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    print(o["scenario"], o["preset"], o["work_type"])
' <<<"$out" | tr '\n' ';')" \
	"wt_none tiny-1llc None;wt_none tiny-2llc None;wt_odd tiny-1llc None;wt_odd tiny-2llc None;wt_swap tiny-1llc futex-ping-pong;wt_swap tiny-2llc futex-ping-pong;" \
	"gauntlet --list --json: work_type where it replaces a group, null elsewhere"
run "$KTSTR" "${G[@]}" --json "$TMP/note.yaml"
checks=$((checks + 1))
! grep -q work_type <<<"$out" || fail "gauntlet --list --json has work_type without --work-type"

# ---- one VM: two cpu-spin workers swapped for a futex-ping-pong pair
need_kernel
cat >"$TMP/vm.yaml" <<'EOF'
name: wt_vm
topology: 1n1l2c1t
duration: 1s
workers: 2
cgroups:
  - name: cg0
    work: {type: cpu-spin, swappable: true}
EOF
run "$KTSTR" run "${QEMU_TCG[@]}" --work-type futex-ping-pong --json "$TMP/vm.jsonl" "$TMP/vm.yaml"
expect_rc 0 "the swapped scenario passes"
expect_out "^PASS \[ *[0-9.]+s\] wt_vm " "PASS line"
# cpu-spin never blocks, so it records no wake latency (initramfs/agent/
# work_cpu.c: it never calls wk__sample); a ping-pong pair wakes each other
# every turn, and each wake is a latency sample: the wake metrics exist only
# when the workers did futex-ping-pong's work.
expect_eq "$(python3 -c '
import json, sys
o = json.loads(open(sys.argv[1]).readline())
m = o["metrics"]
print(o["work_type"], "worst_median_wake_latency_us" in m, "worst_p99_wake_latency_us" in m,
      m.get("total_iterations", 0) > 0)
' "$TMP/vm.jsonl")" "futex-ping-pong True True True" \
	"JSON: work_type recorded, and the workers woke each other (wake latency metrics)"

finish
