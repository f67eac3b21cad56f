#!/usr/bin/env bash
# The CLI tests' helpers (lib.sh) tested: a deliberately failing assertion of
# each kind counts as a failure and makes `finish` exit 1, passing ones do not,
# skip after a failure is a failure; and no test script reads `$?` after an
# assignment (the pattern that once made gauntlet.sh's JSON checks unfailable).
. "$(dirname "$0")/lib.sh"

# probe BODY: run BODY in a fresh bash that sourced lib.sh; sets $rc, $out.
probe() {
	run bash -c ". '$KTSTR_SRCDIR/tests/cli/lib.sh'
$1"
}

for a in 'rc=3; expect_rc 0 "x"' \
	"out=abc; expect_out '^z' x" \
	"err=abc; expect_err '^z' x" \
	'expect_eq a b x' \
	'checks=$((checks + 1)); false || fail x'; do
	probe "$a
finish"
	expect_rc 1 "a failing assertion fails the test: $a"
	expect_out "^1 checks, 1 failed$" "it is counted: $a"
done

for a in 'rc=0; expect_rc 0 "x"' "out=abc; expect_out '^a' x" "err=abc; expect_err 'c\$' x" \
	'expect_eq a a x'; do
	probe "$a
finish"
	expect_rc 0 "a passing assertion passes: $a"
	expect_out "^1 checks, 0 failed$" "it is counted as a check: $a"
done

probe 'skip "no frobnicator"'
expect_rc 77 "skip alone is a skip"
expect_out "^SKIP: no frobnicator$" "the skip says why"
probe 'expect_eq a b x
skip "no frobnicator"'
expect_rc 1 "a skip after a failed check is a failure"

# interrupt_when: the command gets SIGINT once COND holds; a COND that never
# holds is a failure (and the command is interrupted all the same). Debian's
# python3 itself, not a wrapper script that would take the signal instead.
child='import signal, sys, time
signal.signal(signal.SIGINT, lambda *a: (print("got SIGINT"), sys.exit(7)))
print("up", flush=True)
time.sleep(60)'
probe "up() { grep -q up \"\$TMP/bg.out\"; }
interrupt_when 30 up 'never up' /usr/bin/python3 -c '$child'
echo \"rc=\$rc out=\$(tr '\\n' ' ' <<<\"\$out\")\"
finish"
expect_rc 0 "interrupt_when: COND held, no failure"
expect_out "^rc=7 out=up got SIGINT $" "the command was interrupted after COND held"
probe "never() { false; }
interrupt_when 1 never 'it never came up' /usr/bin/python3 -c '$child'
echo \"rc=\$rc\"
finish"
expect_rc 1 "interrupt_when: a COND that never holds fails the test"
expect_out "^FAIL: it never came up$" "named"
expect_out "^rc=7$" "and the command was still interrupted"

# The lint: a line that reads $? right after an assignment-only line reads the
# assignment's status (always 0), not the command's.
lint() {	# lint FILE...: print FILE:LINE: TEXT of each offending line
	local f
	for f in "$@"; do
		awk -v f="${f#"$KTSTR_SRCDIR"/}" '
			/\$\?/ && prev ~ /^[ \t]*[A-Za-z_][A-Za-z_0-9]*=\$\(\(.*\)\)[ \t]*$/ {
				print f ":" NR ": " $0 }
			NF { prev = $0 }' "$f"
	done
}
printf '%s\n' 'checks=$((checks + 1))' '' '[ $? -eq 0 ] || fail x' >"$TMP/bad.sh"
expect_eq "$(lint "$TMP/bad.sh")" "$TMP/bad.sh:3: [ \$? -eq 0 ] || fail x" "the lint catches the pattern"
expect_eq "$(lint "$KTSTR_SRCDIR"/tests/cli/*.sh "$KTSTR_SRCDIR"/tests/nested/*.sh \
	"$KTSTR_SRCDIR"/tests/bench/*.sh "$KTSTR_SRCDIR"/tests/fuzz/*.sh "$KTSTR_SRCDIR"/.ci/*)" "" \
	"no test script reads \$? after an arithmetic assignment"
finish
