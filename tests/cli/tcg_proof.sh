#!/usr/bin/env bash
# The tcg threshold profile, proven both ways under QEMU's TCG (issue #14):
# with a busy loop on the host, the steady scenarios pass PROOF_RUNS times
# out of PROOF_RUNS (CI: 2; `PROOF_RUNS=20 meson test -C build e2e-tcg-proof`
# for the full proof), and a SCHED_FIFO hog on the workers' CPU for 2 s fails
# them as stuck. Prints the largest gap seen in each steady scenario against
# the profile's 750 ms.
. "$(dirname "$0")/lib.sh"
E=$KTSTR_SRCDIR/tests/e2e
need_kernel
n=${PROOF_RUNS:-2}

# The host's busy loop: one core of this host taken for the whole proof.
bash -c 'while :; do :; done' &
hog=$!
trap 'kill $hog 2>/dev/null; wait $hog 2>/dev/null; rm -rf "$TMP"' EXIT

for sc in "$E/steady.yaml" "$E/tcg_held.yaml" "$KTSTR_SRCDIR/scenarios/examples/two_cgroups.yaml"; do
	passed=0 worst=0
	for i in $(seq "$n"); do
		run "$KTSTR" run "${QEMU_TCG[@]}" -v "$sc"
		if [ "$rc" -eq 0 ]; then
			passed=$((passed + 1))
		else
			echo "run $i of ${sc##*/} failed:"
			printf '%s\n' "$out" | grep -E '^(FAIL|  [a-z])' | head -10
		fi
		for g in $(grep -oE ' gap=[0-9]+ms' <<<"$out" | tr -dc '0-9\n'); do
			[ "$g" -gt "$worst" ] && worst=$g
		done
	done
	echo "${sc##*/}: $passed of $n passed with a busy host; largest gap ${worst} ms (threshold 750 ms)"
	expect_eq "$passed" "$n" "${sc##*/} passes every time under TCG with a busy host"
done

# The hog: the spinners see ~950 ms gaps (the fair server's 50 ms a second).
run "$KTSTR" run "${QEMU_TCG[@]}" "$E/starved_fifo.yaml"
expect_rc 1 "a SCHED_FIFO hog on the spinners' CPU fails the run"
expect_out "^  stuck [0-9]+ms on cpu1 at \+[0-9]+ms \(threshold 750ms\)$" "the spinners are reported stuck on CPU 1"
echo "$(grep -cE '^  stuck ' <<<"$out") stuck reasons: $(grep -m1 -E '^  stuck ' <<<"$out")"
finish
