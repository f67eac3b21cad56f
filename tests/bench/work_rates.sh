#!/usr/bin/env bash
# Benchmark: how fast each work type runs in a VM (issue #14, item 1):
# iterations per worker-second for every work type, one group alone on a CPU
# and two groups sharing it, under single-threaded TCG, multi-threaded TCG
# (ktstr's default for the lean kernel), and KVM: the in-process VMM where
# this host's KVM runs guest kernels at speed, else, with BENCH_NESTED=1, in
# the nested proving ground (tests/nested/run: the guest's kernel at TCG
# speed, its user code at native speed). Each run: topology 1n1l2c1t, the
# group(s) pinned to CPU 1, BENCH_SECONDS (3) long; BENCH_TYPES limits the
# types (e.g. "cpu-spin:1 fork-exit:1"). Prints a table; asserts only that the
# runs ran.
. "$(dirname "$0")/../cli/lib.sh"
secs=${BENCH_SECONDS:-3}
# name and group size (lib/wire/workload.c)
types=${BENCH_TYPES:-"cpu-spin:1 yield-heavy:1 mixed:1 io-sync:1 bursty:1 pipe-io:2
futex-ping-pong:2 cache-pressure:1 cache-yield:1 cache-pipe:2 futex-fan-out:5
fan-out-compute:5 sequence:1 fork-exit:1 nice-sweep:1 affinity-churn:1 policy-churn:1
page-fault-churn:1 mutex-contention:4"}

# rates MODE ARGS...: one table row per type and group count, ktstr run ARGS.
rates() {
	local m=$1 name size groups sc extra line iter gap
	shift
	for t in $types; do
		name=${t%%:*} size=${t##*:}
		for groups in 1 2; do
			sc=$TMP/$name-$groups.yaml
			extra=
			[ "$name" = sequence ] && extra=", phases: [{spin: 10ms}, {sleep: 5ms}]"
			cat >"$sc" <<YAML
name: rate_${name//-/_}_$groups
topology: 1n1l2c1t
duration: ${secs}s
cgroups:
  - name: cg
    cpuset: {cpus: "1"}
    workers: $((size * groups))
    work: {type: $name$extra}
checks:
  not_starved: false
  max_gap: false
  max_spread: false
YAML
			"$KTSTR" run -v "$@" "$sc" >"$TMP/out" 2>&1
			line=$(grep -m1 -E '^  cg: workers=' "$TMP/out")
			if [ -z "$line" ]; then
				printf '%-18s %-8s %6s %14s\n' "$name" "$m" "$groups" "(no run)"
				echo "  $(grep -m1 -vE '^ *$' "$TMP/out")"
				continue
			fi
			iter=$(sed -n 's/.* iter=\([0-9]*\).*/\1/p' <<<"$line")
			gap=$(sed -n 's/.* gap=\([0-9]*ms\).*/\1/p' <<<"$line")
			printf '%-18s %-8s %6s %14s %10s\n' "$name" "$m" "$groups" \
				"$(awk -v i="$iter" -v w=$((size * groups)) -v s="$secs" \
					'BEGIN { printf "%.0f", i / w / s }')" "$gap"
		done
	done
}

# In the nested L1 (or wherever run_where_kvm runs it): the KVM rows only.
if [ "${1:-}" = --kvm-rows ]; then
	rates kvm --vmm kvm --kernel "$2"
	exit 0
fi

need_kernel
header() { printf '%-18s %-8s %6s %14s %10s\n' type mode groups "iter/worker/s" "max gap"; }
header
table=$(rates single --kernel "$kernel" --tcg-threads single; rates multi --kernel "$kernel" --tcg-threads multi)
printf '%s\n' "$table"
rows=$(grep -cE ' (single|multi) +[12] +[0-9]+ ' <<<"$table")
expect_eq "$rows" "$(($(wc -w <<<"$types") * 4))" "every type ran under both TCG modes"

if "$KTSTR" doctor | grep -q '^vmm auto: *the in-process VMM' || [ "${BENCH_NESTED:-0}" = 1 ]; then
	run_where_kvm "$TMP/kvm" --env "BENCH_SECONDS=$secs" --env "BENCH_TYPES=$types" -- \
		bash "$KTSTR_SRCDIR/tests/bench/work_rates.sh" --kvm-rows "$kernel"
	printf '%s\n' "$out"
	expect_eq "$(grep -cE ' kvm +[12] +[0-9]+ ' <<<"$out")" "$(($(wc -w <<<"$types") * 2))" \
		"every type ran under KVM"
else
	echo "note: no KVM rows: this host's KVM does not run guest kernels at speed (BENCH_NESTED=1 runs them in the nested L1)"
fi
finish
