#!/usr/bin/env bash
# Linux scenarios end to end under the in-process VMM (--vmm kvm), judged as
# tests/cli/e2e.sh and selftest.sh judge them under QEMU: EEVDF (steady, steps
# and ops, isolation, failing checks, a kernel panic), an odd topology, a
# kernel that hangs (the timeout's console tail), and sched_ext (scx-ktstr
# healthy, stalled, crashed). Where this host's KVM runs guest kernels at
# speed they run here; elsewhere all in one boot of the nested proving ground
# (tests/nested/run: L1 with kvm-amd under QEMU's TCG), where the guest's
# kernel runs at TCG speed. The cases run in tests/nested/e2e_cases.sh.
. "$(dirname "$0")/../cli/lib.sh"
need_kernel
hang=${KTSTR_GUEST_HANG:?run through meson test}

cases=(steady steps isolation checks_fail panic odd topo_1n1l3c1t topo_2n2l3c2t hang bite_starved
	shell_piped)
skipped=()
if [ -x "$KTSTR_BUILDDIR/bpf/scx-ktstr" ]; then
	cases+=(no_init scx_steady scx_stall scx_crash scx_pile_on bite_scattershot)
else
	skipped+=("$KTSTR_BUILDDIR/bpf/scx-ktstr is not built: no sched_ext cases (meson configure -Dbpf=enabled)")
fi

O=$TMP/nested
t0=$SECONDS
run_where_kvm "$O" --hung-ok -- "$KTSTR_SRCDIR/tests/nested/e2e_cases.sh" "$kernel" "$hang" "${cases[@]}"
printf '%s\n' "$out"
# The nested L1 itself stops dead now and then (single-threaded TCG emulating
# SVM; tests/nested/run --help): then the case it was in, and those after it,
# run once more in a fresh L1. A second hang is a failure.
left=()
l1_hung && for c in "${cases[@]}"; do [ -s "$O/$c.rc" ] || left+=("$c"); done
if l1_hung && [ ${#left[@]} -eq 0 ]; then
	echo "note: the nested L1 hung after every case had ended; their results stand"
	rc=0
elif [ ${#left[@]} -gt 0 ]; then
	echo "note: the nested L1 hung in case '${left[0]}' ($(grep '^nested-run: L1 hung' <<<"$err" | head -1))"
	printf '%s\n' "$err" | grep -A30 "CPU when it stopped" | head -32
	echo "note: running ${left[*]} again in a fresh L1"
	for c in "${left[@]}"; do rm -f "$O/$c".*; done
	# The hung attempt's half-written results (only odd's are judged below)
	[[ " ${left[*]} " == *" odd "* ]] && rm -rf "$O"/results/nested_odd_topology*
	run_where_kvm "$O" -- "$KTSTR_SRCDIR/tests/nested/e2e_cases.sh" "$kernel" "$hang" "${left[@]}"
	printf '%s\n' "$out"
fi
echo "all cases: $((SECONDS - t0)) s"
expect_rc 0 "the cases ran to their end"

# case NAME: load that case's results into $out, $err, $rc
case_() {
	out=$(cat "$O/$1.out" 2>/dev/null) err=$(cat "$O/$1.err" 2>/dev/null)
	rc=$(cat "$O/$1.rc" 2>/dev/null || echo 255)
	printf '=== %s (exit %s)\n%s\n' "$1" "$rc" "$(printf '%s\n' "$out" | head -c 4000)"
}

case_ shell_piped
expect_rc 5 "ktstr shell under the VMM: a piped script's exit status"
expect_out "^hi-42$" "shell_piped: the script's input reached the guest through the VMM's UART"

case_ steady
expect_rc 0 "steady passes"
expect_out "^PASS \[ *[0-9.]+s\] e2e_steady \[topo=1n2l2c1t\]$" "steady: PASS line"
checks=$((checks + 1))
grep -q '"name": *"e2e_steady"' "$O/steady.jsonl" 2>/dev/null ||
	fail "steady: no JSON line came back from the run"

case_ steps
expect_rc 0 "steps pass"
expect_out "^step 1 +\+[0-9]+ms cgroups=5 workers=6 ok  setup: step2  ops: add_cgroup moved, move_all_tasks extra moved, stop_cgroup cg0, clear_cpuset cg0$" "steps: a step's ops"
expect_out "^end +\+[0-9]+ms ran to the end$" "steps: the end"
expect_out "^  moved: workers=2 " "steps: workers moved report from 'moved'"

case_ isolation
expect_rc 0 "isolation passes"
expect_out "^  cg0: workers=2 cpus=[12] " "isolation: cg0 stayed on LLC 0"
expect_out "^  cg1: workers=3 cpus=[12] " "isolation: cg1 stayed on LLC 1"

case_ checks_fail
expect_rc 0 "impossible thresholds fail as expected"
expect_out "^ktstr 'e2e_checks_fail' \[topo=2n2l2c1t\] failed as expected:$" "checks_fail: header"
expect_out "^  cgroup cg1: p99 wake latency [0-9]+ns exceeds limit 1ns " "checks_fail: p99 wake latency"
expect_out "^  cgroup cg0: migration ratio [0-9.]+ exceeds threshold 0.0000 " "checks_fail: migration ratio"

case_ panic
expect_rc 1 "a guest panic fails"
expect_out "^  guest crashed: Kernel panic - not syncing: sysrq triggered crash$" "panic: the reason"
expect_out "^vm: crashed after" "panic: the VM's end"
expect_out "^console \(last [1-9][0-9]* lines\):" "panic: the console tail"

case_ odd
expect_rc 0 "the odd topology passes"
expect_out "^PASS \[ *[0-9.]+s\] nested_odd_topology \[topo=1n2l3c1t\]$" "odd: PASS line"
log=$(ls "$O"/results/nested_odd_topology*/console.log 2>/dev/null | head -1)
checks=$((checks + 1))
grep -q "smp: Brought up 1 node, 6 CPUs" "$log" 2>/dev/null ||
	fail "odd: the guest did not bring up its 6 CPUs ($(grep -m1 'smp: Brought up' "$log" 2>/dev/null))"

# The guest's sysfs shows the topology asked for (the agent's report, judged
# on the host), as under QEMU (tests/cli/topo_e2e.sh): 3 CPUs, and 12 over 2
# nodes with SMT. (Not 2n4l3c2t's 24 vCPUs here: on L1's one vCPU that guest
# did not reach the agent in 300 s.)
for c in "1n1l3c1t 3 CPUs, 1 package, 1 node" "2n2l3c2t 12 CPUs, 2 packages, 2 nodes"; do
	t=${c%% *}
	case_ "topo_$t"
	expect_rc 0 "$t passes"
	expect_out "^topology: the guest sees $t \(${c#* }\)$" "$t: the guest's sysfs matches"
	checks=$((checks + 1))
	grep -q '"topology_check": *"match"' "$O/topo_$t.jsonl" 2>/dev/null ||
		fail "$t: the JSON line does not say topology_check match"
done

case_ bite_starved
expect_rc 1 "a starved SCHED_FIFO peer fails the run"
expect_out "^  tid [0-9]+ starved \(0 work units\)$" "bite_starved: not_starved's reason"

case_ hang
expect_rc 1 "a kernel that hangs fails"
expect_out "^  timed out after [0-9.]+s \(the guest agent never started" "hang: the timeout reason"
expect_out "^console \(last [1-9][0-9]* lines\):" "hang: the console tail"
expect_out "^KTSTR_GUEST hang: spinning$" "hang: the guest's last words"
expect_out "^kernel: no milestone on the console; the boot was quiet" "hang: how far it got (quiet)"

if [[ " ${cases[*]} " == *" scx_steady "* ]]; then
	case_ no_init
	expect_rc 1 "a kernel that cannot start init fails"
	expect_out "^kernel: (its CPUs are up \(smp: Brought up 1 node, 2 CPUs\)|init is about to run \(Freeing unused kernel image.*\)); its log stops at [0-9]+\.[0-9]{3} s guest time$" \
		"no_init: how far the kernel got"
	expect_out "^console \(last [1-9][0-9]* lines\):" "no_init: the console tail"
	case_ scx_steady
	expect_rc 0 "scx-ktstr passes"
	expect_out "^PASS \[ *[0-9.]+s\] selftest_scx_ktstr_steady \[topo=1n1l2c1t\] \[sched=scx-ktstr\]$" \
		"scx_steady: PASS line"
	# the host-side monitor through the VMM's own RAM and vCPU threads
	expect_out "^2 CPUs sampled every 100 ms from the scenario's start: [0-9]+ samples" \
		"scx_steady: the monitor sampled the VMM's guest"
	expect_out "^verdict: passed$" "scx_steady: the monitor passed it"
	case_ scx_stall
	expect_rc 0 "a stalling scx-ktstr fails as expected"
	expect_out "^  scheduler process died.*runnable task stall" "scx_stall: the kernel's reason"
	case_ scx_crash
	expect_rc 0 "a crashing scx-ktstr fails as expected"
	expect_out "^  scheduler process died: sched_ext disabled it .*\(scx_bpf_error: ktstr: injected crash\)" \
		"scx_crash: the BPF error's text"
	case_ scx_pile_on
	expect_rc 0 "scx-ktstr piling every task on CPU 1 fails as expected"
	expect_out "^  monitor: local DSQ depth [0-9]+ on cpu1 exceeded threshold 50 " \
		"scx_pile_on: the monitor read the deep local DSQ from the VMM's RAM"
	case_ bite_scattershot
	expect_rc 1 "scx-ktstr --scattershot fails the migration limit"
	expect_out "^  cgroup wake: migration ratio [0-9.]+ exceeds threshold 0\.1000 \([0-9]+ migrations / [0-9]+ iterations\)$" \
		"bite_scattershot: max_migration_ratio's reason"
fi
# A part that could not run makes the test a skip that says why, never a pass.
[ ${#skipped[@]} -eq 0 ] || skip "${skipped[*]} ($checks checks ran)"
finish
