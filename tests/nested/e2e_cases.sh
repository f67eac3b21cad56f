#!/usr/bin/env bash
# The cases of nested-e2e (tests/nested/e2e.sh), run where KVM works (in the
# nested L1, or on this host when its KVM runs at speed): each case's stdout,
# stderr and exit status go to $NESTED_OUT/CASE.{out,err,rc}, for e2e.sh to
# judge on the host. Usage: e2e_cases.sh KERNEL HANG_GUEST CASE...
set -u
kernel=$1 hang=$2
shift 2
: "${KTSTR:?}" "${KTSTR_SRCDIR:?}" "${NESTED_OUT:?}"
E=$KTSTR_SRCDIR/tests/e2e
S=$KTSTR_SRCDIR/tests/harness-selftest
R=("$KTSTR" run -v --vmm kvm --kernel "$kernel" --timeout 300)

one() {		# one CASE: run it
	case $1 in
	steady) "${R[@]}" --json "$NESTED_OUT/steady.jsonl" --results-dir "$NESTED_OUT/results" \
		"$E/steady.yaml" ;;
	steps) "${R[@]}" "$E/steps.yaml" ;;
	isolation) "${R[@]}" "$E/isolation.yaml" ;;
	checks_fail) "${R[@]}" "$E/checks_fail.yaml" ;;
	panic) "${R[@]}" "$E/panic.yaml" ;;
	no_init) KTSTR_GUEST_SELFTEST=no-init "${R[@]}" "$E/no_init.yaml" ;;
	topo_1n1l3c1t | topo_2n2l3c2t)
		"${R[@]}" --json "$NESTED_OUT/$1.jsonl" "$E/$1.yaml" ;;
	odd) "${R[@]}" --results-dir "$NESTED_OUT/results" \
		"$KTSTR_SRCDIR/tests/nested/e2e/odd_topology.yaml" ;;
	# A "kernel" that prints one line and spins: the timeout's report must
	# show how far it got (the console tail).
	hang) "$KTSTR" run --vmm kvm --kernel "$hang" --timeout 8 "$E/steady.yaml" ;;
	# Checks failing for their own reason, as tests/cli/checks_bite.sh has them under QEMU.
	bite_starved | bite_scattershot) "${R[@]}" "$E/$1.yaml" ;;
	# ktstr shell's console input through the VMM's UART: a piped script
	shell_piped) printf 'echo hi-$((6*7))\nexit 5\n' |
		"$KTSTR" shell --vmm kvm --kernel "$kernel" --timeout 300 ;;
	scx_steady | scx_stall | scx_crash | scx_pile_on)
		"${R[@]}" "$S/scx_ktstr_${1#scx_}.yaml" ;;
	*) echo "e2e_cases.sh: unknown case '$1'" >&2; return 2 ;;
	esac
}

for c in "$@"; do
	t0=$SECONDS
	one "$c" >"$NESTED_OUT/$c.out" 2>"$NESTED_OUT/$c.err"
	echo $? >"$NESTED_OUT/$c.rc"
	echo "$c: exit $(cat "$NESTED_OUT/$c.rc") in $((SECONDS - t0)) s"
done
