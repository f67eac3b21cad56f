#!/usr/bin/env bash
# Benchmark: how fast each work type runs in a VM under QEMU (issue #14, item
# 1): iterations per worker-second for every work type, one group alone on a
# CPU and two groups sharing it, under single-threaded TCG (ktstr's default)
# and multi-threaded TCG (BENCH_MTTCG=0 skips it), or under KVM where the host
# has it at speed. Each run: topology 1n1l2c1t, the group(s) pinned to CPU 1,
# BENCH_SECONDS (3) long. Prints a table; asserts only that the runs ran.
. "$(dirname "$0")/../cli/lib.sh"
need_kernel
secs=${BENCH_SECONDS:-3}
# name and group size (lib/wire/workload.c)
types="cpu-spin:1 yield-heavy:1 mixed:1 io-sync:1 bursty:1 pipe-io:2 futex-ping-pong:2
cache-pressure:1 cache-yield:1 cache-pipe:2 futex-fan-out:5 fan-out-compute:5 sequence:1
fork-exit:1 nice-sweep:1 affinity-churn:1 policy-churn:1 page-fault-churn:1
mutex-contention:4"

mttcg=$TMP/qemu-mttcg
cat >"$mttcg" <<'SH'
#!/bin/sh
# qemu with multi-threaded TCG: ktstr's argv says thread=single.
for a; do
	shift
	case $a in tcg,thread=single) set -- "$@" tcg,thread=multi ;; *) set -- "$@" "$a" ;; esac
done
exec qemu-system-x86_64 "$@"
SH
chmod +x "$mttcg"
modes="default"
[ "${BENCH_MTTCG:-1}" = 1 ] && modes="$modes mttcg"

printf '%-18s %-8s %6s %14s %10s\n' type mode groups "iter/worker/s" "max gap"
for m in $modes; do
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
			if [ "$m" = mttcg ]; then
				KTSTR_QEMU=$mttcg "$KTSTR" run -v --kernel "$kernel" "$sc" >"$TMP/out" 2>&1
			else
				"$KTSTR" run -v --kernel "$kernel" "$sc" >"$TMP/out" 2>&1
			fi
			line=$(grep -m1 -E '^  cg: workers=' "$TMP/out")
			if [ -z "$line" ]; then
				printf '%-18s %-8s %6s %14s\n' "$name" "$m" "$groups" "(no run)"
				fail "$name ($m, $groups groups) did not run: $(grep -m1 -vE '^ *$' "$TMP/out")"
				continue
			fi
			iter=$(sed -n 's/.* iter=\([0-9]*\).*/\1/p' <<<"$line")
			gap=$(sed -n 's/.* gap=\([0-9]*ms\).*/\1/p' <<<"$line")
			printf '%-18s %-8s %6s %14s %10s\n' "$name" "$m" "$groups" \
				"$(awk -v i="$iter" -v w=$((size * groups)) -v s="$secs" \
					'BEGIN { printf "%.0f", i / w / s }')" "$gap"
			checks=$((checks + 1))
		done
	done
done
finish
