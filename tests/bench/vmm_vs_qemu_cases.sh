#!/usr/bin/env bash
# The in-process VMM against QEMU, side by side on one KVM (run by
# tests/bench/vmm_vs_qemu.sh, in the nested L1 or on this host): start-up on
# the tiny test guests vs QEMU microvm and the VMM's peak RSS
# (bench_vmm_start), then boot to the agent for the same kernel and scenario,
# --vmm kvm vs --vmm qemu --accel kvm (durations_ms.boot of ktstr's JSON
# line), as medians and ratios. Prints figures; asserts nothing.
# Usage: vmm_vs_qemu_cases.sh KERNEL BENCH_VMM_START EXIT_GUEST SERIAL_GUEST
set -u
kernel=$1 bench=$2 exit_guest=$3 serial_guest=$4
runs=${BENCH_RUNS:-3}
: "${KTSTR:?}" "${KTSTR_SRCDIR:?}"
out=${NESTED_OUT:-$(mktemp -d)}

echo "== start-up on the tiny test guests: in-process VMM vs QEMU microvm, and the VMM's RSS"
"$bench" --runs "${BENCH_START_RUNS:-10}" "$exit_guest" "$serial_guest" || echo "(bench_vmm_start failed: $?)"

echo "== boot to the agent, $runs runs each, same kernel and scenario (tests/bench/boot.yaml)"
for b in kvm qemu; do
	extra=()
	[ "$b" = qemu ] && extra=(--accel kvm)
	for i in $(seq 1 "$runs"); do
		"$KTSTR" run --vmm "$b" "${extra[@]}" --kernel "$kernel" --timeout 300 \
			--json "$out/boot-$b-$i.json" "$KTSTR_SRCDIR/tests/bench/boot.yaml" >/dev/null 2>"$out/boot-$b-$i.err" ||
			echo "(--vmm $b run $i failed: $(tail -n 3 "$out/boot-$b-$i.err" | tr '\n' ' '))"
		cat "$out/boot-$b-$i.json" >>"$out/boot-$b.jsonl" 2>/dev/null
	done
done
python3 - "$out/boot-kvm.jsonl" "$out/boot-qemu.jsonl" <<'PY'
import json, statistics, sys

def load(path):
    try:
        return [json.loads(l) for l in open(path) if l.strip()]
    except OSError:
        return []

med = {}
for name, path in (("in-process VMM", sys.argv[1]), ("qemu -accel kvm", sys.argv[2])):
    rows = [r for r in load(path) if r.get("verdict") == "pass"]
    if not rows:
        print(f"{name:16} no passing run")
        continue
    boot = [r["durations_ms"]["boot"] for r in rows]
    total = [r["durations_ms"]["total"] for r in rows]
    med[name] = statistics.median(boot)
    print(f"{name:16} boot to agent median {statistics.median(boot):7.0f} ms "
          f"(min {min(boot)}, max {max(boot)}, {len(rows)} runs); whole variant median "
          f"{statistics.median(total):7.0f} ms")
if len(med) == 2 and med["in-process VMM"] > 0:
    print(f"boot to agent: qemu / VMM = {med['qemu -accel kvm'] / med['in-process VMM']:.2f}")
PY
