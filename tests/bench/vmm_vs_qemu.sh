#!/usr/bin/env bash
# Benchmark: the in-process VMM against QEMU on the same KVM (#12 item 8):
# start-up vs QEMU microvm, the VMM's peak RSS, boot to the agent vs
# qemu -accel kvm. Where this host's KVM runs guest kernels at speed it runs
# here; elsewhere in one boot of the nested proving ground (tests/nested/run),
# whose figures are TCG-speed kernels under nested KVM, not a real host's.
# Prints figures; asserts nothing but that the runs happened.
. "$(dirname "$0")/../cli/lib.sh"
need_kernel
: "${BENCH_VMM_START:?run through meson test --benchmark}"
export BENCH_RUNS=${BENCH_RUNS:-3}
run_where_kvm "$TMP/o" --env "BENCH_RUNS=$BENCH_RUNS" -- \
	"$KTSTR_SRCDIR/tests/bench/vmm_vs_qemu_cases.sh" "$kernel" "$BENCH_VMM_START" \
	"$GUEST_BENCH_EXIT" "$GUEST_BENCH_SERIAL"
printf '%s\n%s\n' "$out" "$err"
expect_rc 0 "the benchmark ran"
expect_out "^boot to agent: qemu / VMM = " "both backends booted to the agent"
finish
