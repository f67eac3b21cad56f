#!/usr/bin/env bash
# Linux scenarios end to end under the in-process VMM (--vmm kvm): an EEVDF
# scenario, an odd topology and a sched_ext case must PASS, as they do under
# QEMU. Where this host's KVM runs guest kernels at hardware speed they run
# here; elsewhere inside the nested proving ground (tests/nested/run: L1 with
# kvm-amd under QEMU's TCG), where the guest's kernel runs at TCG speed.
. "$(dirname "$0")/../cli/lib.sh"
need_kernel

scenarios=("$KTSTR_SRCDIR/tests/e2e/steady.yaml" "$KTSTR_SRCDIR/tests/nested/e2e/odd_topology.yaml")
names=(e2e_steady nested_odd_topology)
if [ -x "$KTSTR_BUILDDIR/bpf/scx-ktstr" ]; then
	scenarios+=("$KTSTR_SRCDIR/scenarios/harness-selftest/scx_ktstr_steady.yaml")
	names+=(selftest_scx_ktstr_steady)
else
	echo "note: $KTSTR_BUILDDIR/bpf/scx-ktstr is not built: no sched_ext case (meson configure -Dbpf=enabled)"
fi

mkdir -p "$TMP/nested"
cmd=(bash -c '"$KTSTR" run -v --vmm kvm --timeout 300 --kernel "$1" --json "$NESTED_OUT/run.jsonl" \
	--results-dir "$NESTED_OUT/results" "${@:2}"' run "$kernel" "${scenarios[@]}")
if "$KTSTR" doctor | grep -q '^vmm auto: *the in-process VMM'; then
	echo "this host's KVM runs at hardware speed: running here"
	run env NESTED_OUT="$TMP/nested" "${cmd[@]}"
else
	echo "this host's KVM cannot run a guest kernel at speed: running in the nested L1"
	run "$KTSTR_SRCDIR/tests/nested/run" --timeout 2400 --out "$TMP/nested" --env "KTSTR=$KTSTR" -- \
		"${cmd[@]}"
	[ "$rc" -eq 2 ] && grep -q "^nested-run: " <<<"$err" &&
		fail "the nested L1 could not run the command: $(grep '^nested-run: ' <<<"$err" | head -3)"
fi
printf '%s\n' "$out"
expect_rc 0 "every scenario passes under --vmm kvm"
for n in "${names[@]}"; do
	expect_out "^PASS \[ *[0-9.]+s\] $n " "$n passes"
	checks=$((checks + 1))
	grep -q "\"name\": *\"$n\"" "$TMP/nested/run.jsonl" 2>/dev/null ||
		fail "$n has no JSON line in run.jsonl (did the results come back from L1?)"
done
# The guest saw the topology it was given: every CPU of 1n2l3c1t came up.
log=$(ls "$TMP"/nested/results/nested_odd_topology*/console.log 2>/dev/null | head -1)
checks=$((checks + 1))
grep -q "smp: Brought up 1 node, 6 CPUs" "$log" 2>/dev/null ||
	fail "the odd topology's guest did not bring up its 6 CPUs ($(grep -m1 'smp: Brought up' "$log" 2>/dev/null))"
finish
