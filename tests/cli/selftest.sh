#!/usr/bin/env bash
# The harness-selftest set (tests/harness-selftest/) end to end under
# QEMU/TCG: the bundled schedulers, found by name in the build's bpf/, run
# in the guest; the healthy ones pass, and each broken one fails for its own
# reason (its scenario says which with `expect: {fail: TEXT}`), with the
# report's scheduler sections. Skips (77) without a kernel or without the
# bundled schedulers (meson -Dbpf; CI builds them).
. "$(dirname "$0")/lib.sh"
S=$KTSTR_SRCDIR/tests/harness-selftest
B=${KTSTR_BUILDDIR:?run through meson test}/bpf

# --- the set validates without a kernel or a scheduler binary
run "$KTSTR" check "$S"/*.yaml
expect_rc 0 "the harness-selftest scenarios are valid"
expect_eq "$(grep -c '^ok ' <<<"$out")" "$(ls "$S"/*.yaml | wc -l)" "one ok line per scenario"
expect_eq "$(grep -c 'expect fail$' <<<"$out")" 8 "eight negative ones"

need_kernel
for s in scx-ktstr scx_simple scx_qmap scx_central scx_flatcg; do
	[ -x "$B/$s" ] || skip "the bundled scheduler $B/$s was not built (meson -Dbpf=enabled," \
		"after 'ktstr kernel build'; see 'bundled schedulers' in meson's summary)"
done
unset KTSTR_SCHEDULER		# found by name, in the build's bpf/

# --- a scheduler that is nowhere: a clear error before any VM
KTSTR_SCHEDULER=$TMP/nowhere run "$KTSTR" run "${QEMU_TCG[@]}" "$S/scx_ktstr_steady.yaml"
expect_rc 2 "a missing scheduler is a setup error"
expect_err "KTSTR_SCHEDULER=$TMP/nowhere is neither an executable file nor a directory" \
	"the error names KTSTR_SCHEDULER"

# selftest NAME: runs tests/harness-selftest/NAME.yaml with -v, prints how long it took
selftest() {
	local t0=$SECONDS
	run "$KTSTR" run "${QEMU_TCG[@]}" -v "$S/$1.yaml"
	echo "$1: rc=$rc in $((SECONDS - t0))s; $(grep -E '^  (scheduler|cgroup|agent: scheduler)' <<<"$out$err" | head -n 4 | tr '\n' '|')"
}

# --- healthy: the fixture on a steady load and under cpusets, the kernel's own four
# (scx_central on 4 CPUs, two cgroups on disjoint cpusets, with its nohz_full=1-3)
# scx_flatcg's own race (the kernel's tools/sched_ext, 6.12): its dispatch
# consumes from the CPU's current cgroup's DSQ for up to a 20 ms slice without
# checking that the cgroup still exists, and its cgroup_exit destroys that DSQ.
# When the agent removes the scenario's cgroups inside that slice, sched_ext
# ejects it ("invalid DSQ ID"), now and then. ktstr reporting that is right;
# flatcg_teardown_race tells that exact failure, after the scenario's end,
# from any other, and then the harness's part is checked instead of PASS.
flatcg_teardown_race() {
	grep -Eq '^  scheduler process died: sched_ext disabled it [0-9.]+s into the scenario \(runtime error: invalid DSQ ID 0x[0-9a-f]+\)' <<<"$out" &&
		awk '/agent: scenario ended after/ { ended = 1 }
		     /agent: scheduler disabled: sched_ext: runtime error/ { exit !ended }
		     END { if (!ended) exit 1 }' <<<"$err"
}
for t in scx_ktstr_steady scx_ktstr_cpuset scx_simple scx_qmap scx_central scx_flatcg; do
	selftest $t
	if [ $t = scx_flatcg ] && [ "$rc" -eq 1 ] && flatcg_teardown_race; then
		echo "NOTE: scx_flatcg hit its own teardown race (invalid DSQ ID after the" \
			"scenario's end); ktstr reported it, as it should"
		expect_out "^FAIL \[ *[0-9.]+s\] selftest_$t \[topo=1n[12]l2c1t\] \[sched=" "$t: FAIL line"
	else
		expect_rc 0 "$t passes"
		expect_out "^PASS \[ *[0-9.]+s\] selftest_$t \[topo=1n[12]l2c1t\] \[sched=" "$t: PASS line"
	fi
	expect_err "agent: scheduler /ktstr/sched/[a-z_-]+ attached as '[a-z]+' after [0-9]+ ms" \
		"$t: the agent saw it attach"
	expect_out "^--- scheduler log ---$" "$t: the report has the scheduler's log"
	# the host-side monitor sampled the run queues and found nothing
	expect_out "^[0-9]+ CPUs sampled every 100 ms from the scenario's start: [0-9]+ samples" \
		"$t: the monitor ran"
	expect_out "^verdict: passed$" "$t: the monitor passed it"
done

# --- stall: the kernel's watchdog (2 s, from watchdog_timeout) ejects it
selftest scx_ktstr_stall
expect_rc 0 "stall fails as expected"
expect_out "failed as expected:$" "stall: the header"
expect_out "^  scheduler process died.*runnable task stall" "stall: the kernel's reason"
expect_out "^  scheduler process died: sched_ext disabled it .*(failed to run|failed to check in) for ([2-9]|1[0-9])\.[0-9]+s\)" \
	"stall: caught after the scenario's 2 s watchdog_timeout, not the fixture's 20 s"
expect_out "^--- sched_ext dump ---$" "stall: the sched_ext dump"
expect_out "^sched_ext: BPF scheduler \"ktstr\" disabled \(runnable task stall\)$" \
	"stall: the kernel log's line"

# --- stall switched on mid-run (a run op creates /tmp/ktstr_stall), caught by the
# scenario's own watchdog_timeout (2 s; the definition has none)
selftest scx_ktstr_stall_file
expect_rc 0 "stall by file fails as expected"
expect_out "^  scheduler process died: sched_ext disabled it during step 2 of 2 .*\(runnable task stall: .* for ([2-9]|1[0-9])\.[0-9]+s\)" \
	"stall by file: in the step that made the file, after the scenario's 2 s watchdog"
expect_out "^step 1 +\+[0-9]+ms .*ops: run trigger$" "stall by file: the timeline shows the trigger"

# --- a kernel that cannot start init panics before the agent: the report says
# how far it got (with -v the boot is not quiet, so the milestones show)
run env KTSTR_GUEST_SELFTEST=no-init "$KTSTR" run "${QEMU_TCG[@]}" -v "$KTSTR_SRCDIR/tests/e2e/no_init.yaml"
expect_rc 1 "no init: fails"
# (a kernel with a block layer panics mounting the root device; the lean one,
# without, after freeing its init memory, finding no init)
expect_out "^  guest crashed: Kernel panic - not syncing: (VFS: Unable to mount root fs|No working init found)" \
	"no init: the panic"
expect_out "^kernel: (its CPUs are up \(smp: Brought up 1 node, 2 CPUs\)|init is about to run \(Freeing unused kernel image.*\)); its log stops at [0-9]+\.[0-9]{3} s guest time$" \
	"no init: how far the kernel got"
run env KTSTR_GUEST_SELFTEST=no-init "$KTSTR" run "${QEMU_TCG[@]}" "$KTSTR_SRCDIR/tests/e2e/no_init.yaml"
expect_out "^kernel: no milestone on the console; its log stops at [0-9.]+ s guest time; the boot was quiet \(loglevel=1\): run with -v" \
	"no init, quiet: says how to see more"

# --- crash: scx_bpf_error's text
selftest scx_ktstr_crash
expect_rc 0 "crash fails as expected"
expect_out "^  scheduler process died: sched_ext disabled it .*\(scx_bpf_error: ktstr: injected crash\); the scheduler exited with code [0-9]+$" \
	"crash: the BPF error's text and the exit code"
expect_out "^--- sched_ext dump ---$" "crash: the sched_ext dump"

# --- fail-verify: never attaches; the verifier's own line, not the source annotation
selftest scx_ktstr_fail_verify
expect_rc 0 "fail-verify fails as expected"
expect_out "^  scheduler process died before attaching: exited with code 1; its log: R0 invalid mem access 'map_value_or_null'$" \
	"fail-verify: the verifier's message"
expect_out "^-- END PROG LOAD LOG --$" "fail-verify: the log has the verifier's output"

# --- degrade: runs, but a placement check fails
selftest scx_ktstr_degrade
expect_rc 0 "degrade fails as expected"
expect_out "^  cgroup cg1: migration ratio 0\.[0-9]+ exceeds threshold 0\.4000 " \
	"degrade: the migration-ratio check"

# --- pile-on: every task queued on CPU 1, nothing stalls; only the host-side
# monitor, reading the guest's run queues, sees the queue (the imbalance too,
# which the tcg thresholds report without failing)
selftest scx_ktstr_pile_on
expect_rc 0 "pile-on fails as expected"
expect_out "\] failed as expected:$" "pile-on: the header"
expect_out "^  monitor: local DSQ depth [0-9]+ on cpu1 exceeded threshold 50 for [0-9]+ consecutive samples \(ending at sample [0-9]+, [0-9.]+s\)$" \
	"pile-on: the monitor's DSQ check, naming the CPU"
expect_out "^  monitor: imbalance ratio [0-9.]+ exceeded threshold 4\.0 for [0-9]+ consecutive samples .*on cpu1, 0 on cpu0\)$" \
	"pile-on: the imbalance, reported"
expect_out "^not failed: hardware_only limits" "pile-on: the imbalance is waived under tcg"
expect_out "^  cpu1 +[0-9]+ +0 +[0-9]+ +[0-9]+ +([5-9][0-9]|[1-9][0-9][0-9]) " \
	"pile-on: the summary shows cpu1's deep local DSQ"
# Without the expectation: the original's header, monitor.csv, the JSON line.
grep -v '^expect:' "$S/scx_ktstr_pile_on.yaml" >"$TMP/pile_on.yaml"
run "$KTSTR" run "${QEMU_TCG[@]}" --results-dir "$TMP/rd" --json "$TMP/pile.jsonl" "$TMP/pile_on.yaml"
expect_rc 1 "pile-on without expect: fails"
expect_out "\] passed scenario but monitor failed:$" "pile-on: only the monitor failed it"
csv=$TMP/rd/selftest_scx_ktstr_pile_on/monitor.csv
checks=$((checks + 1))
[ "$(head -n1 "$csv" 2>/dev/null)" = "t_ms,sample,cpu,nr_running,scx_nr_running,local_dsq,rq_clock_ns,curr_pid,vcpu_ns,flags" ] ||
	fail "monitor.csv's header: $(head -n1 "$csv" 2>&1)"
expect_eq "$(awk -F, '$3 == 1 && $6 > 50 && $10 == "ok"' "$csv" | wc -l | awk '{print ($1 >= 5)}')" 1 \
	"monitor.csv: cpu1's local DSQ above 50 in 5 samples or more"
expect_eq "$(/usr/bin/python3 -c 'import json,sys; o=json.loads(open(sys.argv[1]).readline()); m=o["metrics"]; print(o["monitor"], o["monitor_csv"] == sys.argv[2], m["monitor_max_local_dsq"] > 50, m["monitor_max_imbalance"] > 4, m["monitor_stall_cpus"])' "$TMP/pile.jsonl" "$csv")" \
	"failed True True True 0" "the JSON line: the monitor's verdict, file and metrics"

# --- scx_central's ops.init off its central CPU (-c 1; the kernel's enable kthread
# kept on CPU 0 by nohz_full=1): the kernel ejects it, with scx_bpf_error's text
# (before or after ktstr saw it attach: either way)
selftest scx_central_off_center
expect_rc 0 "off-center fails as expected"
expect_out "^  scheduler process died.*init from non-central CPU" \
	"off-center: scx_central's own check of ops.init's CPU"

# --- scx_central's central CPU not in the guest (-c 7 of 2): its loader says so
selftest scx_central_bad_cpu
expect_rc 0 "bad central CPU fails as expected"
expect_out "^  scheduler process died before attaching: exited with code 1; its log: Failed to affinitize to central CPU 7 \(max 1\)$" \
	"bad central CPU: the loader's message"

finish
