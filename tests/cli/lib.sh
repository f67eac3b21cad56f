# Shared helpers for the CLI tests. Source it; call `finish` last.
# $KTSTR is the binary under test, $KTSTR_SRCDIR the source tree (set by meson).
set -u
: "${KTSTR:?run through meson test}" "${KTSTR_SRCDIR:?run through meson test}"
fails=0
checks=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The backend every end-to-end test under QEMU names explicitly: on a host
# with hardware KVM, `auto` would pick the in-process VMM or qemu's KVM
# accelerator, and the tcg profile these tests expect would not apply. The
# backend-neutral scenarios also run under the in-process VMM (tests/nested).
QEMU_TCG=(--vmm qemu --accel tcg)

# run CMD...: runs it, keeping stdout in $out, stderr in $err, status in $rc.
run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

fail() {
	fails=$((fails + 1))
	echo "FAIL: $*"
	echo "  command status: ${rc:-?}"
	echo "  stdout: $(printf '%s' "${out:-}" | head -c 2000)"
	echo "  stderr: $(printf '%s' "${err:-}" | head -c 2000)"
}

expect_rc() {	# expect_rc N what
	checks=$((checks + 1))
	[ "$rc" -eq "$1" ] || fail "$2: expected exit $1, got $rc"
}

expect_out() {	# expect_out REGEX what   (grep -E over stdout)
	checks=$((checks + 1))
	grep -Eq -- "$1" <<<"$out" || fail "$2: stdout does not match /$1/"
}

expect_err() {	# expect_err REGEX what   (grep -E over stderr)
	checks=$((checks + 1))
	grep -Eq -- "$1" <<<"$err" || fail "$2: stderr does not match /$1/"
}

expect_eq() {	# expect_eq ACTUAL EXPECTED what
	checks=$((checks + 1))
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds; 1 on timeout.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.2
	done
}

# interrupt_when SECONDS COND WHAT CMD...: start CMD in the background (its
# stdout and stderr in $TMP/bg.out and $TMP/bg.err), wait up to SECONDS for
# the command COND to succeed (a failure named WHAT if it never does), send
# CMD SIGINT and wait for it; $rc, $out and $err as run() leaves them.
interrupt_when() {
	local secs=$1 cond=$2 what=$3 pid
	shift 3
	"$@" >"$TMP/bg.out" 2>"$TMP/bg.err" &
	pid=$!
	wait_for "$secs" "$cond"
	checks=$((checks + 1))
	"$cond" || fail "$what"
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	out=$(cat "$TMP/bg.out")
	err=$(cat "$TMP/bg.err")
}

# skip MESSAGE: exit 77 with "SKIP: MESSAGE", unless a check already failed (then 1).
skip() {
	if [ "$fails" -ne 0 ]; then
		echo "($checks checks so far, $fails failed)"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

# need_kernel: $kernel = the kernel a run would boot (or skip saying how to
# make one), and TMPDIR under $TMP, so that leftovers of runs can be seen.
need_kernel() {
	kernel=$("$KTSTR" kernel path 2>"$TMP/kerr") ||
		skip "no kernel to boot ($(head -n1 "$TMP/kerr")); 'ktstr kernel build' makes one"
	echo "kernel: $kernel"
	export TMPDIR=$TMP/runtmp
	mkdir -p "$TMPDIR"
}

# run_where_kvm OUT [--env K=V]... -- CMD...: run() CMD where KVM runs guest
# kernels: here when `ktstr doctor` picks the in-process VMM, else in the
# nested proving ground (tests/nested/run, the --env settings passed on), with
# NESTED_OUT=OUT (created) either way. An L1 that could not run CMD is a
# failure, except that with --hung-ok an L1 that hung is left to the caller
# (l1_hung tells).
run_where_kvm() {
	local o=$1 envs=() hung_ok=0
	shift
	while [ "$1" = --env ] || [ "$1" = --hung-ok ]; do
		if [ "$1" = --hung-ok ]; then
			hung_ok=1
			shift
			continue
		fi
		envs+=(--env "$2")
		shift 2
	done
	[ "$1" = -- ] && shift
	mkdir -p "$o"
	if "$KTSTR" doctor | grep -q '^vmm auto: *the in-process VMM'; then
		echo "this host's KVM runs guest kernels: running here"
		run env NESTED_OUT="$o" "$@"
		return
	fi
	echo "this host's KVM cannot run a guest kernel at speed: running in the nested L1"
	run "$KTSTR_SRCDIR/tests/nested/run" --timeout 2400 --out "$o" --env "KTSTR=$KTSTR" \
		"${envs[@]}" -- "$@"
	[ "$hung_ok" = 1 ] && l1_hung && return 0
	[ "$rc" -eq 2 ] && grep -q "^nested-run: " <<<"$err" &&
		fail "the nested L1 could not run it: $(grep '^nested-run: ' <<<"$err" | head -3)"
	return 0
}

# l1_hung: the last run_where_kvm ended because the nested L1 stopped dead
# (tests/nested/run --hang-after), not because of what it ran.
l1_hung() {
	[ "$rc" -eq 2 ] && grep -q "^nested-run: L1 hung" <<<"$err"
}

finish() {
	echo "$checks checks, $fails failed"
	[ "$fails" -eq 0 ]
	exit $?
}
