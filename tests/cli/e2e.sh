#!/usr/bin/env bash
# End to end under QEMU/TCG with the cached kernel: ktstr run boots each
# scenario of tests/e2e/ and must report what happened inside.
. "$(dirname "$0")/lib.sh"
E=$KTSTR_SRCDIR/tests/e2e

if ! kernel=$("$KTSTR" kernel path 2>"$TMP/kerr"); then
	echo "SKIP: no kernel to boot ($(head -n1 "$TMP/kerr")); 'ktstr kernel build' makes one"
	exit 77
fi
echo "kernel: $kernel"
export TMPDIR=$TMP/runtmp
mkdir -p "$TMPDIR"

# --- a steady scenario passes, with one line and the summary
run "$KTSTR" run "$E/steady.yaml"
expect_rc 0 "steady passes"
expect_out "^PASS \[ *[0-9.]+s\] e2e_steady \[topo=1n2l2c1t\]$" "PASS line"
expect_out "^1 passed, 0 failed$" "summary line"

# --- isolation holds: every worker's CPUs lie in its cpuset (one LLC each)
run "$KTSTR" run -v "$E/isolation.yaml"
expect_rc 0 "isolation passes"
expect_out "^  cg0: workers=2 cpus=[12] " "cg0's workers stayed on LLC 0's 2 CPUs"
expect_out "^  cg1: workers=3 cpus=[12] " "cg1's workers stayed on LLC 1's 2 CPUs"
expect_out "^checks: tcg thresholds" "the threshold profile is printed"

# --- steps and ops: per-step cgroups, moves, stops and a loop step
run "$KTSTR" run -v "$E/steps.yaml"
expect_rc 0 "steps pass"
expect_out "^  cg0: workers=2 " "cg0 stopped in step 2 reported its 2 workers"
expect_out "^  step2: workers=2 " "the step-local cgroup reported when its step ended"
expect_out "^  cg1: workers=2 " "cg1 reported its own workers"
expect_out "^  moved: workers=2 " "workers moved from extra report from 'moved'"

# --- unfairness: three workers pinned to one CPU fail the spread check
run "$KTSTR" run "$E/unfair.yaml"
expect_rc 1 "unfair fails"
expect_out "^FAIL \[ *[0-9.]+s\] e2e_unfair" "FAIL line"
expect_out "^  unfair cgroup cg0: spread=[0-9]+% \([0-9]+-[0-9]+%\) 4 workers on 2 cpus \(threshold 50%\)$" "spread reason"
expect_out "^--- stats ---$" "stats section"
expect_out "^0 passed, 1 failed$" "summary counts the failure"

# --- a guest kernel panic is a crash with the console tail, not a timeout
run "$KTSTR" run "$E/panic.yaml"
expect_rc 1 "panic fails"
expect_out "^  guest crashed: Kernel panic - not syncing: sysrq triggered crash$" "crash reason"
expect_out "^vm: crashed after" "VM end named"
expect_out "^console \(last [0-9]+ lines\):" "console tail shown"
checks=$((checks + 1))
grep -q "timed out" <<<"$out" && fail "a panic is not reported as a timeout"

# --- a guest that dies inside a frame: the truncated stream is reported
run env KTSTR_GUEST_SELFTEST=truncate "$KTSTR" run "$E/steady.yaml"
expect_rc 1 "truncated stream fails"
expect_out "^  results stream: stream ended inside a frame: 12 of 300 payload bytes$" "truncation reason"

# --- without the virtio results port, the COM2 fallback lines still tell
run env KTSTR_GUEST_SELFTEST=no-virtio "$KTSTR" run "$E/steady.yaml"
expect_rc 1 "no results port fails"
expect_out "^  no frames on the results port; COM2 says the agent exited$" "COM2 fallback seen"
expect_out "^  guest agent exited with code 0 \(from COM2\)$" "COM2 exit code"

# --- the hard timeout kills the VM and says so
run "$KTSTR" run --timeout 20 "$E/long.yaml"	# generous: boot is slower on a busy host
expect_rc 1 "timeout fails"
expect_out "^  timed out after [0-9.]+s \(the scenario started but never finished\)$" "timeout reason"

# --- SIGINT: ktstr stops, kills its VM, leaves nothing behind
"$KTSTR" run "$E/long.yaml" >"$TMP/int.out" 2>&1 &
pid=$!
for _ in $(seq 1 50); do
	pgrep -f "qemu-system-x86_64.*$TMPDIR" >/dev/null && break
	sleep 0.2
done
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
out=$(cat "$TMP/int.out") err=""
expect_rc 130 "SIGINT exits 130"

# --- nothing left behind by any of the runs
sleep 0.5
# (the VM's sockets live under $TMPDIR, so its qemu's command line names it)
expect_eq "$(pgrep -c -f "qemu-system-x86_64.*$TMPDIR" || true)" "0" "no qemu left running"
expect_eq "$(ls -A "$TMPDIR")" "" "no temporary files left"

finish
