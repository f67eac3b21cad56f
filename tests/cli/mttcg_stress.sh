#!/usr/bin/env bash
# Multi-threaded TCG made safe (issue #14): STRESS_RUNS boots (10 here;
# `STRESS_RUNS=50 meson test -C build e2e-mttcg-stress` for the full proof)
# of a 4-vCPU guest under --tcg-threads multi, each attaching scx-ktstr,
# running a second of load and detaching it, must all pass with nothing on
# the console that says the kernel broke (an oops, a BUG, a stray int3: what
# multi-threaded TCG did to kernels that patch static keys). Skips without a
# kernel or without the bundled scx-ktstr (meson -Dbpf=enabled).
. "$(dirname "$0")/lib.sh"
need_kernel
B=${KTSTR_BUILDDIR:?run through meson test}/bpf
[ -x "$B/scx-ktstr" ] || skip "the bundled scheduler $B/scx-ktstr was not built (meson -Dbpf=enabled)"
unset KTSTR_SCHEDULER		# found by name, in the build's bpf/
n=${STRESS_RUNS:-10}
sched=$KTSTR_SRCDIR/scenarios/schedulers/scx-ktstr.yaml

passed=0 broken=0 multi=0
for i in $(seq "$n"); do
	run "$KTSTR" run "${QEMU_TCG[@]}" -v --tcg-threads multi --schedulers "$sched" --results-dir "$TMP/r$i" \
		"$KTSTR_SRCDIR/tests/e2e/mttcg_attach.yaml"
	[ "$rc" -eq 0 ] && passed=$((passed + 1))
	grep -q '^backend: qemu with multi-threaded TCG' <<<"$out" && multi=$((multi + 1))
	if grep -qE 'Oops|BUG: |int3|general protection' "$TMP/r$i"/*/console.log 2>/dev/null; then
		broken=$((broken + 1))
		echo "boot $i: the kernel broke:"
		grep -m3 -E 'Oops|BUG: |int3|general protection' "$TMP/r$i"/*/console.log
	fi
	[ "$rc" -eq 0 ] || printf 'boot %s failed:\n%s\n' "$i" "$(grep -E '^(FAIL|  )' <<<"$out" | head -8)"
done
echo "$n boots under multi-threaded TCG, each attaching and detaching scx-ktstr: $passed passed, $broken with a broken kernel"
expect_eq "$multi" "$n" "every boot ran multi-threaded TCG (the report's backend: line)"
expect_eq "$passed" "$n" "every boot passed"
expect_eq "$broken" 0 "no oops, BUG or stray int3 on any console"
finish
