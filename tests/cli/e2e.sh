#!/usr/bin/env bash
# End to end under QEMU/TCG with the cached kernel: ktstr run boots each
# scenario of tests/e2e/ and must report what happened inside.
. "$(dirname "$0")/lib.sh"
E=$KTSTR_SRCDIR/tests/e2e

need_kernel

# --- a steady scenario passes, with one line and the summary; with
# --json - the JSON line is all of stdout and the human lines go to stderr
run "$KTSTR" run "${QEMU_TCG[@]}" --json - "$E/steady.yaml"
expect_rc 0 "steady passes"
expect_err "^PASS \[ *[0-9.]+s\] e2e_steady \[topo=1n2l2c1t\]$" "PASS line"
expect_err "^1 passed, 0 failed$" "summary line"
expect_eq "$(printf '%s\n' "$out" | wc -l)" "1" "--json -: one line on stdout"
printf '%s\n' "$out" >"$TMP/steady.jsonl"
run python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(d["name"], d["verdict"], d["topology"], d["scheduler"], d["checks_profile"],
          d["durations_ms"]["total"] > 0, sorted(d["metrics"])[:1], d["ktstr_version"] != "")
    print("stats:", d["stats"].splitlines()[0])
' "$TMP/steady.jsonl"
expect_rc 0 "the JSON line parses (python3 json)"
expect_out "^e2e_steady pass 1n2l2c1t eevdf tcg True \[.*\] True$" "its fields"
expect_out "^stats: 4 workers, [0-9]+ cpus, " "the stats block is in it"

# --- isolation holds: every worker's CPUs lie in its cpuset (one LLC each)
run "$KTSTR" run "${QEMU_TCG[@]}" -v "$E/isolation.yaml"
expect_rc 0 "isolation passes"
expect_out "^  cg0: workers=2 cpus=[12] " "cg0's workers stayed on LLC 0's 2 CPUs"
expect_out "^  cg1: workers=3 cpus=[12] " "cg1's workers stayed on LLC 1's 2 CPUs"
expect_out "^checks: tcg thresholds" "the threshold profile is printed"
# How well the guest kept up: its workers against their peers, and the host
# CPU its VM got while the scenario ran.
expect_out "^  cg1: workers=3 cpus=[12] .* slowest=[0-9]+%$" "cg1's slowest worker against its peers"
expect_out "^host: the guest's 4 vCPUs got [0-9]+% of the host CPU they would have had over the scenario's [0-9.]+ s \([0-9.]+ s running, [0-9.]+ s waiting for a host CPU; [0-9]+ threads\)$" \
	"the host CPU the guest got"

# --- counts relative to the topology: repeat makes one cgroup per usable CPU
# (3 of 1n2l2c1t's 4), each pinned to its CPU; workers: "usable" makes 3; a
# step stops a repeated cgroup by its expanded name
run "$KTSTR" run "${QEMU_TCG[@]}" -v "$E/counts.yaml"
expect_rc 0 "counts pass"
expect_out "^  cg_0: workers=1 cpus=1 " "cg_0's worker stayed on its CPU"
expect_out "^  cg_2: workers=1 cpus=1 " "cg_2, the last usable CPU's"
expect_out "^  wide: workers=3 " "workers: usable is 3"
expect_out "^backdrop +\+[0-9]+ms cgroups=4 workers=6 ok  setup: cg_0, cg_1, cg_2, wide$" "timeline: the expanded backdrop"
expect_out "^step 1 +\+[0-9]+ms cgroups=4 workers=5 ok  ops: stop_cgroup cg_2$" "timeline: the op on an expanded name"

# --- steps and ops: per-step cgroups, moves, stops and a loop step; the
# report's timeline, and the CI outputs (--json FILE, --junit, --results-dir)
run "$KTSTR" run "${QEMU_TCG[@]}" -v --json "$TMP/steps.jsonl" --junit "$TMP/steps.xml" \
	--results-dir "$TMP/results" "$E/steps.yaml"
expect_rc 0 "steps pass"
expect_out "^--- timeline ---$" "timeline section"
expect_out "^backdrop +\+[0-9]+ms cgroups=2 workers=4 ok  setup: cg0, cg1$" "timeline: the backdrop"
expect_out "^step 1 +\+[0-9]+ms cgroups=5 workers=6 ok  setup: step2  ops: add_cgroup moved, move_all_tasks extra moved, stop_cgroup cg0, clear_cpuset cg0$" "timeline: a step's ops"
expect_out "^end +\+[0-9]+ms ran to the end$" "timeline: the end"
expect_out "^  cg0: workers=2 " "cg0 stopped in step 2 reported its 2 workers"
expect_out "^  step2: workers=2 " "the step-local cgroup reported when its step ended"
expect_out "^  cg1: workers=2 " "cg1 reported its own workers"
expect_out "^  moved: workers=2 " "workers moved from extra report from 'moved'"
# (the outputs of the same run)
run xmllint --noout --schema "$KTSTR_SRCDIR/tests/data/junit.xsd" "$TMP/steps.xml"
expect_rc 0 "--junit validates against tests/data/junit.xsd"
run python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())
print(d["name"], d["verdict"], d["console_log"])
' "$TMP/steps.jsonl"
expect_out "^e2e_steps pass $TMP/results/e2e_steps/console.log$" "the JSON line names the kept console"
checks=$((checks + 1))
grep -q "ktstr-agent: scenario ended" "$TMP/results/e2e_steps/console.log" ||
	fail "console.log holds the whole console"
checks=$((checks + 1))
grep -q "^--- timeline ---$" "$TMP/results/e2e_steps/report.txt" || fail "report.txt is the report"
checks=$((checks + 1))
cmp -s "$TMP/steps.jsonl" "$TMP/results/e2e_steps/result.json" || fail "result.json is the JSON line"

# --- unfairness: three workers pinned to one CPU fail the spread check
run "$KTSTR" run "${QEMU_TCG[@]}" "$E/unfair.yaml"
expect_rc 1 "unfair fails"
expect_out "^FAIL \[ *[0-9.]+s\] e2e_unfair" "FAIL line"
expect_out "^  unfair cgroup cg0: spread=[0-9]+% \([0-9]+-[0-9]+%\) 4 workers on 2 cpus \(threshold 50%\)$" "spread reason"
expect_out "^--- stats ---$" "stats section"
expect_out "^0 passed, 1 failed$" "summary counts the failure"

# --- every worker check of catalog 3.2 on real guest data: loose thresholds
# pass; impossible ones fail on each check, which an `expect: fail` scenario
# turns into a pass (the latencies, iterations, migrations and numa_maps path)
run "$KTSTR" run "${QEMU_TCG[@]}" "$E/checks_pass.yaml"
expect_rc 0 "loose thresholds for every check pass"
expect_out "^PASS \[ *[0-9.]+s\] e2e_checks_pass " "checks_pass PASS line"
run "$KTSTR" run "${QEMU_TCG[@]}" -v "$E/checks_fail.yaml"
expect_rc 0 "an expected failure on checks passes"
expect_out "^ktstr 'e2e_checks_fail' \[topo=2n2l2c1t\] failed as expected:$" "failed as expected"
expect_out "^  cgroup cg1: p99 wake latency [0-9]+ns exceeds limit 1ns \([0-9]+ samples\)$" "p99 wake latency"
expect_out "^  cgroup cg1: wake latency CV [0-9.]+ exceeds limit 0.000 \(mean=[0-9]+ns\)$" "wake latency CV"
expect_out "^  cgroup cg0: throughput CV [0-9.]+ exceeds limit 0.000 \(mean=[0-9]+ work/cpu_s\)$" "throughput CV"
expect_out "^  worker [0-9]+ throughput [0-9]+ work/cpu_s below floor 1000000000000$" "min work rate"
expect_out "^  worker [0-9]+ iteration rate [0-9.]+/s below floor 1000000000.0/s$" "min iteration rate"
expect_out "^  cgroup cg0: migration ratio [0-9.]+ exceeds threshold 0.0000 \([1-9][0-9]* migrations / [1-9][0-9]* iterations\)$" "migration ratio"
# The agent keeps the last CPU (node 1): workers fork from it, so cg0's pages
# on node 0 are a minority; numa_maps counted them.
expect_out "^  cgroup cg0: page locality [0-9.]+ below floor 1.000 \([0-9]+ of [1-9][0-9]* pages on node 0\)$" "page locality"

# --- a guest kernel panic is a crash with the console tail, not a timeout
run "$KTSTR" run "${QEMU_TCG[@]}" "$E/panic.yaml"
expect_rc 1 "panic fails"
expect_out "^  guest crashed: Kernel panic - not syncing: sysrq triggered crash$" "crash reason"
expect_out "^vm: crashed after" "VM end named"
expect_out "^console \(last [0-9]+ lines\):" "console tail shown"
checks=$((checks + 1))
grep -q "timed out" <<<"$out" && fail "a panic is not reported as a timeout"

# --- a guest that dies inside a frame: the truncated stream is reported
run env KTSTR_GUEST_SELFTEST=truncate "$KTSTR" run "${QEMU_TCG[@]}" "$E/steady.yaml"
expect_rc 1 "truncated stream fails"
expect_out "^  results stream: stream ended inside a frame: 12 of 300 payload bytes$" "truncation reason"

# --- without the virtio results port, the COM2 fallback lines still tell
run env KTSTR_GUEST_SELFTEST=no-virtio "$KTSTR" run "${QEMU_TCG[@]}" "$E/steady.yaml"
expect_rc 1 "no results port fails"
expect_out "^  no frames on the results port; COM2 says the agent exited$" "COM2 fallback seen"
expect_out "^  guest agent exited with code 0 \(from COM2\)$" "COM2 exit code"
expect_out "^topology: not reported by the guest$" "no TOPOLOGY frame: noted, not a reason"
checks=$((checks + 1))
grep -q "^  topology:" <<<"$out" && fail "a missing topology report is not a failure reason"

# --- the hard timeout kills the VM and says so
run "$KTSTR" run "${QEMU_TCG[@]}" --timeout 20 "$E/long.yaml"	# generous: boot is slower on a busy host
expect_rc 1 "timeout fails"
expect_out "^  timed out after [0-9.]+s \(the scenario started but never finished\)$" "timeout reason"

# --- SIGINT: ktstr stops, kills its VM, leaves nothing behind
"$KTSTR" run "${QEMU_TCG[@]}" "$E/long.yaml" >"$TMP/int.out" 2>&1 &
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

# --- kill -9: qemu dies with ktstr (PDEATHSIG); what it left in TMPDIR is
# removed by the next run, and only that (#16)
"$KTSTR" run "${QEMU_TCG[@]}" "$E/long.yaml" >/dev/null 2>&1 &
pid=$!
vm_up() { pgrep -f "qemu-system-x86_64.*$TMPDIR" >/dev/null; }
# qemu has connected its sockets (their directory goes then): a loaded host
# can be slow to get there, and a kill before it leaves that directory too
vm_connected() { vm_up && ! compgen -G "$TMPDIR/ktstr-vm-*" >/dev/null; }
wait_for 60 vm_connected
kill -KILL "$pid"
wait "$pid" 2>/dev/null
sleep 2.5	# the leftovers' age, so that they cannot be in the middle of their creation
expect_eq "$(pgrep -c -f "qemu-system-x86_64.*$TMPDIR" || true)" "0" "kill -9: qemu died with ktstr"
expect_eq "$(cd "$TMPDIR" && ls -d ktstr-run-* 2>/dev/null | wc -l)" 1 \
	"kill -9 left its run directory (the VM's sockets go once qemu connects)"
mkdir -p "$TMPDIR/ktstr-run-notours"	# no lock file and young: maybe being created
# --- more memory than this host has: refused before anything boots (#16)
printf 'name: e2e_mem\ntopology: 1n1l2c1t\nduration: 1s\nmemory: 1TiB\ncgroups: [{name: cg0}]\n' \
	>"$TMP/mem.yaml"
host_mb=$(( $(getconf _PHYS_PAGES) * $(getconf PAGESIZE) >> 20 ))
run "$KTSTR" run "${QEMU_TCG[@]}" "$TMP/mem.yaml"
if [ "$host_mb" -lt 1048576 ]; then
	expect_rc 2 "1 TiB of guest memory on a smaller host: a setup error, before anything boots"
	expect_err "^ktstr run: e2e_mem: VM memory: 1048576 MiB is more than this host's $host_mb MiB; lower the scenario's memory:$" \
		"says how much the host has"
fi
expect_err "^ktstr run: removed 1 temporary directory left by killed runs$" \
	"the next run removed the leftovers of the killed one"
expect_eq "$(ls -A "$TMPDIR")" "ktstr-run-notours" "and nothing else"
rmdir "$TMPDIR/ktstr-run-notours"

# --- nothing left behind by any of the runs
sleep 0.5
# (the VM's sockets live under $TMPDIR, so its qemu's command line names it)
expect_eq "$(pgrep -c -f "qemu-system-x86_64.*$TMPDIR" || true)" "0" "no qemu left running"
expect_eq "$(ls -A "$TMPDIR")" "" "no temporary files left"

finish
