#!/usr/bin/env bash
# The guest's topology, checked from inside on every run, under QEMU/TCG with
# the cached kernel: the agent reports what the guest's kernel sees in sysfs
# (a TOPOLOGY frame), ktstr compares it with the scenario's topology. A match
# is a diagnostics line; a guest that sees something else fails the variant.
. "$(dirname "$0")/lib.sh"
E=$KTSTR_SRCDIR/tests/e2e

need_kernel

# ms_since START_NS: milliseconds since then
ms_since() {
	echo $((($(date +%s%N) - $1) / 1000000))
}

# json_fields FILE: verdict, harness_failure and topology_check of its one line
json_fields() {
	python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())
print(d["verdict"], d["harness_failure"], d["topology_check"])
' "$1"
}

# --- the guest sees what the scenario asks for: 3 CPUs, 12 CPUs over 2
# nodes with SMT, and 24 vCPUs over 2 nodes
for case in "1n1l3c1t 3 CPUs, 1 package, 1 node" "2n2l3c2t 12 CPUs, 2 packages, 2 nodes" \
	"2n4l3c2t 24 CPUs, 4 packages, 2 nodes"; do
	t=${case%% *} counts=${case#* }
	start=$(date +%s%N)
	run "$KTSTR" run "${QEMU_TCG[@]}" -v --json "$TMP/$t.jsonl" "$E/topo_$t.yaml"
	echo "topo_$t: $(ms_since "$start") ms"
	expect_rc 0 "$t passes"
	expect_out "^PASS \[ *[0-9.]+s\] e2e_topo_$t \[topo=$t\]$" "$t: PASS line"
	expect_out "^topology: the guest sees $t \($counts\)$" "$t: diagnostics line"
	expect_err "^  guest topology:$" "$t: -v prints the guest's report"
	expect_err "^cpu 0 0 0 0 0(-1)? 0-[0-9]+$" "$t: the report's first CPU"
	expect_eq "$(json_fields "$TMP/$t.jsonl")" "pass False match" "$t: JSON fields"
done

# --- maxcpus=4: the guest's kernel brings up 4 of 6 CPUs; named, and a harness failure
start=$(date +%s%N)
run "$KTSTR" run "${QEMU_TCG[@]}" --json "$TMP/hidden.jsonl" "$E/topo_hidden_cpus.yaml"
echo "topo_hidden_cpus: $(ms_since "$start") ms"
expect_rc 1 "hidden CPUs fail"
expect_out "^FAIL \[ *[0-9.]+s\] e2e_topo_hidden_cpus \[topo=1n2l3c1t\]$" "FAIL line"
expect_out "^  topology: CPUs 4-5 are missing in the guest; 1n2l3c1t has 6 CPUs \(0-5\)$" \
	"reason: the missing CPUs"
expect_out "^  topology: CPU 3 shares its L3 with CPU 3 in the guest; 1n2l3c1t gives LLC 1 CPUs 3-5$" \
	"reason: the L3 of the lone CPU of LLC 1"
expect_out "^  topology: node 0 has CPUs 0-3 in the guest; 1n2l3c1t gives it 0-5$" \
	"reason: node 0's CPUs"
expect_out "^topology: CPUs 4-5 are missing in the guest; " "diagnostics: the mismatch lines"
expect_out "^console \(last [0-9]+ lines\):" "a harness failure shows the console"
expect_eq "$(json_fields "$TMP/hidden.jsonl")" "fail True mismatch" "hidden CPUs: JSON fields"

# --- numa=off under `expect: fail` with an impossible check: the expected
# failure happens, and the wrong topology still fails the scenario
start=$(date +%s%N)
run "$KTSTR" run "${QEMU_TCG[@]}" --json "$TMP/numa.jsonl" "$E/topo_numa_off.yaml"
echo "topo_numa_off: $(ms_since "$start") ms"
expect_rc 1 "numa=off fails despite expect: fail"
expect_out "^ktstr 'e2e_topo_numa_off' \[topo=2n2l3c2t\] failed:$" "not 'failed as expected'"
expect_out "^  worker [0-9]+ throughput [0-9]+ work/cpu_s below floor 1000000000000$" \
	"the expected check failure is there"
expect_out "^  topology: node 0 has CPUs 0-11 in the guest; 2n2l3c2t gives it 0-5$" \
	"reason: node 0 has every CPU"
expect_out "^  topology: node 0's distances are 10 in the guest; 2n2l3c2t expects 10,20 \(10 local, 20 remote\)$" \
	"reason: node 0's distances"
expect_out "^  topology: node 1 is missing in the guest; 2n2l3c2t has 2 nodes \(node 1: CPUs 6-11\)$" \
	"reason: node 1 is missing"
expect_eq "$(json_fields "$TMP/numa.jsonl")" "fail True mismatch" "numa=off: JSON fields"

sleep 0.5
expect_eq "$(pgrep -c -f "qemu-system-x86_64.*$TMPDIR" || true)" "0" "no qemu left running"
expect_eq "$(ls -A "$TMPDIR")" "" "no temporary files left"
finish
