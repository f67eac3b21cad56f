#!/usr/bin/env bash
# The ops move_tasks and restart_scheduler end to end under QEMU/TCG: workers
# really cycle between two cgroups, and scx-ktstr really is stopped and
# started again mid-run, with no failure for the stop (skips without a
# kernel; the restart part without the bundled scx-ktstr). The cases a
# scheduler does not come back from are in agent_sched.sh (stand-ins).
. "$(dirname "$0")/lib.sh"
E=$KTSTR_SRCDIR/tests/e2e
B=${KTSTR_BUILDDIR:?run through meson test}/bpf

need_kernel

# --- move_tasks: without the moves a would end with 3 workers on CPU 0 and b
# with none; moving the same task back and forth would leave a's last worker
# on CPU 0 only. Isolation holds: a moved worker may use both cgroups' CPUs.
run "$KTSTR" run "${QEMU_TCG[@]}" -v "$E/ops_move_tasks.yaml"
expect_rc 0 "move_tasks passes"
expect_out "^  a: workers=1 cpus=2 " "a ends with 1 worker, which ran on both CPUs: it had been in b"
expect_out "^  b: workers=2 cpus=2 " "b ends with the 2 workers moved from a"
expect_out "^step 0 +\+[0-9]+ms cgroups=2 workers=3 ok  ops: add_cgroup b, move_tasks a b$" \
	"timeline: the first step"
expect_out "^step 1 +\+[0-9]+ms cgroups=2 workers=3 ok  ops: move_tasks b a, move_tasks a b$" \
	"timeline: the loop step"

# --- restart_scheduler: two starts of scx-ktstr, each ended by a SIGINT of the
# agent's ("unregistered from user space"), the timeline says how long it was down
if [ ! -x "$B/scx-ktstr" ]; then
	echo "restart_scheduler: skipped, $B/scx-ktstr was not built (meson -Dbpf=enabled)"
	finish
fi
unset KTSTR_SCHEDULER		# found by name, in the build's bpf/
run "$KTSTR" run "${QEMU_TCG[@]}" -v --results-dir "$TMP/res" "$E/ops_restart_scheduler.yaml"
expect_rc 0 "restart_scheduler passes"
expect_out "^PASS \[ *[0-9.]+s\] e2e_restart_scheduler \[topo=1n1l2c1t\] \[sched=scx-ktstr\]$" "PASS line"
expect_eq "$(grep -c "agent: scheduler /ktstr/sched/scx-ktstr attached as 'ktstr'" <<<"$err")" 2 \
	"the agent saw it attach twice"
expect_err "agent: scheduler restarted: step 0 down_ms ([3-9][0-9]{2}|[0-9]{4,}) pid [0-9]+$" \
	"back after the 300 ms down"
expect_out "^step 0 +\+[0-9]+ms cgroups=1 workers=2 ok  ops: restart_scheduler  scheduler down ([3-9][0-9]{2}|[0-9]{4,}) ms$" \
	"timeline: the restart and how long it was down"
log=$TMP/res/e2e_restart_scheduler/sched.log
expect_eq "$(grep -c '^scx-ktstr: attached' "$log")" 2 "sched.log: it attached twice"
expect_eq "$(grep -c '^scx-ktstr: exit reason: unregistered from user space' "$log")" 2 \
	"sched.log: both ended by the agent's SIGINT, not by sched_ext"
checks=$((checks + 1))
! grep -q "scheduler process died\|scheduler not attached" <<<"$out" ||
	fail "restart_scheduler: the stop was reported as a failure"

finish
