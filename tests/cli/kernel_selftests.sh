#!/usr/bin/env bash
# The kernel's own sched_ext selftests (tools/testing/selftests/sched_ext of
# the kernel's source, built by meson as bpf/selftests/runner) in a ktstr VM
# under QEMU/TCG: tests/harness-selftest/kernel_selftests.yaml runs the
# runner, found by name on PATH; its per-test lines and summary are read from
# the guest's console log (--results-dir). Every test of the 6.12 suite passes
# on ktstr's lean kernel: 21 passed, none skipped, none failed. Skips (77)
# without a kernel or without the runner (meson -Dbpf; CI builds it).
. "$(dirname "$0")/lib.sh"
SCEN=$KTSTR_SRCDIR/tests/harness-selftest/kernel_selftests.yaml
RUNNER=${KTSTR_BUILDDIR:?run through meson test}/bpf/selftests/runner
MIN_PASSED=21		# the 6.12 suite; a newer kernel's has more

run "$KTSTR" check "$SCEN"
expect_rc 0 "the scenario is valid"

need_kernel
[ -x "$RUNNER" ] || skip "the kernel's sched_ext selftests ($RUNNER) were not built (meson" \
	"-Dbpf=enabled, after 'ktstr kernel build'; see 'BPF' in meson's summary)"

t0=$SECONDS
PATH=$(dirname "$RUNNER"):$PATH run "$KTSTR" run "${QEMU_TCG[@]}" -v --results-dir "$TMP/res" "$SCEN"
echo "ktstr run: rc=$rc in $((SECONDS - t0))s"
grep -E '^(PASS|FAIL)' <<<"$out"
expect_rc 0 "the scenario passes (the runner ran to its end)"
expect_out "^PASS \[ *[0-9.]+s\] selftest_kernel_sched_ext \[topo=1n1l4c1t\]$" "the PASS line"
expect_err "agent: program 'selftests' started, pid [0-9]+" "the agent started the runner"
expect_err "agent: program 'selftests' exited with status 0$" "the runner exited by itself, status 0"

console=$TMP/res/selftest_kernel_sched_ext/console.log
[ -f "$console" ] || { fail "no console log at $console"; finish; }
log=$TMP/console.txt
tr -d '\r' <"$console" >"$log"	# the serial console ends its lines with CR LF
echo "--- the runner's results (from $console)"
grep -E '^(not )?ok [0-9]+ ' "$log"
summary() { sed -n "s/^$1: *\([0-9][0-9]*\)\$/\1/p" "$log" | tail -n 1; }
passed=$(summary PASSED) skipped=$(summary SKIPPED) failed=$(summary FAILED)
echo "PASSED: ${passed:-?} SKIPPED: ${skipped:-?} FAILED: ${failed:-?}"

checks=$((checks + 1))
[ -n "$passed" ] && [ -n "$skipped" ] && [ -n "$failed" ] ||
	fail "the runner printed no summary (PASSED/SKIPPED/FAILED) on the console"
expect_eq "${failed:-?}" 0 "no test failed"
expect_eq "${skipped:-?}" 0 "no test skipped (hotplug needs CPU 1, which the topology has)"
checks=$((checks + 1))
[ "${passed:-0}" -ge "$MIN_PASSED" ] || fail "expected at least $MIN_PASSED tests passed, got ${passed:-none}"
# The summary agrees with the per-test lines: one "ok N NAME # " per pass,
# numbered 1..N, and no "not ok".
expect_eq "$(grep -cE '^ok [0-9]+ [a-z_]+ # $' "$log")" "${passed:-?}" "one ok line per passed test"
expect_eq "$(grep -cE '^not ok ' "$log")" 0 "no 'not ok' line"
# The ones that need the VM's shape or a kernel feature really ran.
for t in hotplug dsp_local_on prog_run reload_loop init_enable_count maybe_null; do
	checks=$((checks + 1))
	grep -qE "^ok [0-9]+ $t # \$" "$log" || fail "$t did not pass"
done
checks=$((checks + 1))
grep -q '^EXIT: unregistered from the main kernel (cpu 1 going offline, exiting scheduler)$' "$log" ||
	fail "hotplug: the kernel did not eject a scheduler for CPU 1 going offline"

finish
