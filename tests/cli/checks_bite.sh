#!/usr/bin/env bash
# The headline checks bite (issue #15): each tests/e2e/bite_*.yaml fails its
# check for the intended reason through a real fault (a SCHED_FIFO policy, a
# cpuset move, scx-ktstr --scattershot, or a guest-side switch:
# ktstr.selftest=X from KTSTR_GUEST_SELFTEST), with default or realistic
# thresholds (each YAML says which), under QEMU's TCG (`--vmm qemu`, the tcg
# threshold profile), and its healthy twin (the same scenario without the
# fault, same thresholds) passes: the fault fails the run, not the
# threshold. Proven elsewhere: max_gap (tcg_proof.sh, starved_fifo.yaml) and
# max_spread (e2e.sh, unfair.yaml). Under TCG only judged, not failed:
# max_p99_wake_latency (hardware_only in bite_scattershot.yaml; it bites
# under KVM). Not here: max_wake_latency_cv (TCG's own wake-up tail gives
# healthy runs a CV of 3-5, above what a placement fault gives), and the
# host-monitor keys max_imbalance_ratio, max_local_dsq_depth and
# fail_on_stall (not evaluated yet). Skips (77) without a kernel; the guest
# faults skip in a -Dguest_faults=false build (meson passes "no-guest-faults"),
# the scx-ktstr one without the bundled scheduler (meson -Dbpf).
. "$(dirname "$0")/lib.sh"
skipped=()
E=$KTSTR_SRCDIR/tests/e2e
B=${KTSTR_BUILDDIR:?run through meson test}/bpf

run "$KTSTR" check -q "$E"/bite_*.yaml
expect_rc 0 "the bite scenarios are valid"

need_kernel
unset KTSTR_GUEST_SELFTEST KTSTR_SCHEDULER

# bite WHAT YAML SELFTEST TWIN_SED REGEX...: the fault's run (ktstr.selftest=
# SELFTEST unless -) fails with a reason line matching each REGEX; the twin
# (YAML through `sed -E TWIN_SED` unless -, without the selftest) passes.
bite() {
	local what=$1 name=${2%.yaml} sc=$E/$2 st=$3 twin_sed=$4 re tw=$E/$2
	shift 4
	if [ "$st" = - ]; then
		run "$KTSTR" run "${QEMU_TCG[@]}" --json "$TMP/fault.json" "$sc"
	else
		run env KTSTR_GUEST_SELFTEST="$st" "$KTSTR" run "${QEMU_TCG[@]}" --json "$TMP/fault.json" "$sc"
	fi
	expect_rc 1 "$what: the fault fails the run"
	for re; do
		expect_out "$re" "$what: the reason"
		echo "$what: $(grep -m1 -E -- "$re" <<<"$out")"
	done
	if [ "$twin_sed" != - ]; then
		tw=$TMP/${name}_twin.yaml
		sed -E "$twin_sed" "$sc" >"$tw"
		checks=$((checks + 1))
		cmp -s "$sc" "$tw" && fail "$what: the twin differs from the fault's scenario"
	fi
	run "$KTSTR" run "${QEMU_TCG[@]}" --json "$TMP/twin.json" "$tw"
	expect_rc 0 "$what: the healthy twin passes with the same thresholds"
	echo "$what: healthy twin: $(grep -m1 -E '^(PASS|FAIL) ' <<<"$out")"
	python3 -c '
import json, sys
m = json.loads(open(sys.argv[1]).read())["metrics"]
print("  twin metrics:", ", ".join("%s=%.4g" % (k, m[k]) for k in sys.argv[2:] if k in m))
' "$TMP/twin.json" worst_gap_ms worst_spread worst_migration_ratio worst_p99_wake_latency_us \
		worst_page_locality worst_cross_node_migration_ratio 2>/dev/null
}

# --- not_starved: a SCHED_FIFO spinner starves its same-priority peer
bite not_starved bite_starved.yaml - 's/"fifo:50"/"rr:50"/' \
	'^  tid [0-9]+ starved \(0 work units\)$'

# --- max_cross_node_migration_ratio: NUMA balancing follows a moved cgroup
bite max_cross_node_migration_ratio bite_cross_node.yaml - 's/\{numa: 1\}\}.*# the fault$/{numa: 0}}/' \
	'^  cgroup mem: cross-node migration ratio [0-9.]+ exceeds threshold 0\.1000 \([0-9]+ pages migrated / [0-9]+ pages\)$'

# --- the guest's own faults (ktstr.selftest=X, -Dguest_faults builds)
if [ "${1:-guest-faults}" = guest-faults ]; then	# meson passes -Dguest_faults
	bite isolation bite_isolation.yaml escape-cpuset - \
		'^  tid [0-9]+ ran on unexpected CPUs [0-9,-]*[23][0-9,-]* \(cgroup cg0 allows 0-1\)$'
	bite min_page_locality bite_page_locality.yaml wrong-node - \
		'^  cgroup cg0: page locality 0\.[0-3][0-9]* below floor 0\.800 \([0-9]+ of [0-9]+ pages on node 0\)$'
	bite "min_work_rate, max_throughput_cv, min_iteration_rate" bite_slow_spin.yaml slow-spin - \
		'^  worker [0-9]+ throughput [0-9]+ work/cpu_s below floor 10000000$' \
		'^  cgroup cg0: throughput CV [0-9.]+ exceeds limit 0\.500 \(mean=[0-9]+ work/cpu_s\)$' \
		'^  worker [0-9]+ iteration rate [0-9.]+/s below floor 10000\.0/s$'
else
	skipped+=("built with -Dguest_faults=false: no ktstr.selftest faults in the guest")
fi

# --- scx-ktstr --scattershot: migrations; its p99 wake latency limit is
# hardware_only (TCG's own tail), judged and waived here, failed under KVM
if [ -x "$B/scx-ktstr" ]; then
	bite max_migration_ratio bite_scattershot.yaml - '/# the fault$/d' \
		'^  cgroup wake: migration ratio [0-9.]+ exceeds threshold 0\.1000 \([0-9]+ migrations / [0-9]+ iterations\)$'
	run python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())
print("reasons:", len(d["reasons"]), "p99 among them:", any("p99" in r for r in d["reasons"]))
for w in d["waived"]:
    print("waived:", w)
' "$TMP/fault.json"
	printf '%s\n' "$out"
	expect_out "^reasons: [1-9][0-9]* p99 among them: False$" \
		"max_p99_wake_latency (hardware_only) does not fail the run under tcg"
	expect_out "^waived: cgroup wake: p99 wake latency [0-9]+ns exceeds limit 5000000ns \([0-9]+ samples\)$" \
		"but it was judged, and its miss reported as waived"
else
	skipped+=("the bundled scheduler $B/scx-ktstr was not built (meson -Dbpf=enabled)")
fi
# A part that could not run makes the whole test a skip that says why (a
# failure if any check failed): never a pass that hides it.
[ ${#skipped[@]} -eq 0 ] || skip "$(IFS=';'; echo "${skipped[*]}") ($checks checks ran)"
finish
