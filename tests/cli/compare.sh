#!/usr/bin/env bash
# ktstr compare on synthetic JSON lines: the significance rule (abs AND rel
# gate; ktstr(1), COMMANDS, compare), polarity, --threshold, failed and
# missing variants, bad input, exit statuses.
. "$(dirname "$0")/lib.sh"

# line NAME VERDICT METRICS-JSON [KERNEL]
line() {
	printf '{"name":"%s","scenario":"%s","verdict":"%s","kernel":"%s","reasons":[],"metrics":%s}\n' \
		"$1" "${1%%/*}" "$2" "${4:-6.12}" "$3"
}

A=$TMP/a.jsonl
{
	line steady pass '{"worst_gap_ms":100,"total_iterations":10000,"worst_spread":10}'
	line mixed/tiny-2llc/default pass '{"worst_gap_ms":100,"total_iterations":10000}'
	line gone pass '{"worst_gap_ms":100}'
	line broken fail '{"worst_gap_ms":9000}'
	line zero pass '{"worst_gap_ms":0}'
} >"$A"

# --- identical runs: exit 0, nothing significant
run "$KTSTR" compare "$A" "$A"
expect_rc 0 "identical runs"
expect_out "^no significant metric differences$" "nothing significant"
expect_out "^4 variants compared: 0 regressions, 0 improvements" "summary"

# --- a regression: worst_gap_ms 100 -> 1000 (|900| >= 500 and 900% >= 50%)
B=$TMP/b1.jsonl
{
	line steady pass '{"worst_gap_ms":1000,"total_iterations":10000,"worst_spread":10}'
	line mixed/tiny-2llc/default pass '{"worst_gap_ms":100,"total_iterations":10000}'
	line gone pass '{"worst_gap_ms":100}'
	line broken fail '{"worst_gap_ms":9000}'
	line zero pass '{"worst_gap_ms":0}'
} >"$B"
run "$KTSTR" compare "$A" "$B"
expect_rc 1 "a regression exits 1"
expect_out "^steady +worst_gap_ms +100ms +1000ms +\+900ms +\+900\.0% +REGRESSION$" "names the variant and the metric"
expect_out "1 regressions" "counted"

# --- insignificant: under the abs gate (300 < 500 ms), under the rel gate (5% < 10%)
B=$TMP/b2.jsonl
{
	line steady pass '{"worst_gap_ms":400,"total_iterations":9500,"worst_spread":10}'
	line mixed/tiny-2llc/default pass '{"worst_gap_ms":100,"total_iterations":10000}'
	line zero pass '{"worst_gap_ms":100}'
} >"$B"
run "$KTSTR" compare "$A" "$B"
expect_rc 0 "insignificant differences exit 0"
expect_out "^no significant metric differences$" "nothing significant"
run "$KTSTR" compare --all "$A" "$B"
expect_rc 0 "--all exits 0 too"
expect_out "^steady +worst_gap_ms +100ms +400ms +\+300ms +\+300\.0% +-$" "--all lists the insignificant row"
expect_out "^zero +worst_gap_ms +0ms +100ms +\+100ms +new +-$" "a zero baseline: the abs gate alone (100 < 500)"
# --threshold lowers every rel gate: 5% fewer iterations (500 >= abs 100) now counts
run "$KTSTR" compare --threshold 4% "$A" "$B"
expect_rc 1 "--threshold 4% makes the 5% drop a regression"
expect_out "^steady +total_iterations +10000 +9500 +-500 +-5\.0% +REGRESSION$" "higher-is-better metric dropping"

# --- improvements are reported and exit 0; a zero baseline past the abs gate counts
B=$TMP/b3.jsonl
{
	line steady pass '{"worst_gap_ms":100,"total_iterations":20000,"worst_spread":10}'
	line mixed/tiny-2llc/default pass '{"worst_gap_ms":100,"total_iterations":10000}'
	line gone pass '{"worst_gap_ms":100}'
	line broken fail '{"worst_gap_ms":9000}'
	line zero pass '{"worst_gap_ms":0}'
	line new pass '{"worst_gap_ms":1}'
} >"$B"
run "$KTSTR" compare "$A" "$B"
expect_rc 0 "an improvement exits 0"
expect_out "^steady +total_iterations +10000 +20000 +\+10000 +\+100\.0% +improvement$" "improvement row"
expect_out "1 improvements" "counted"
expect_out "^only in B \(.*b3.jsonl\):$" "a variant only in B is reported"
expect_out "^  new \(passed\)$" "and named"
{ line zero pass '{"worst_gap_ms":0}'; } >"$TMP/z.jsonl"
{ line zero pass '{"worst_gap_ms":600}'; } >"$TMP/z2.jsonl"
run "$KTSTR" compare "$TMP/z.jsonl" "$TMP/z2.jsonl"
expect_rc 1 "0 -> 600 ms passes the abs gate: a regression"

# --- failed on a side: listed, not compared; pass -> fail is a regression
B=$TMP/b4.jsonl
{
	line steady fail '{"worst_gap_ms":100,"total_iterations":10000,"worst_spread":10}'
	line mixed/tiny-2llc/default pass '{"worst_gap_ms":100,"total_iterations":10000}'
	line broken pass '{"worst_gap_ms":100}'
	line zero pass '{"worst_gap_ms":0}'
} >"$B"
run "$KTSTR" compare "$A" "$B"
expect_rc 1 "a newly failing variant exits 1"
expect_out "^not compared \(failed or skipped on a side\):$" "separate list"
expect_out "^  steady: A passed, B failed  REGRESSION$" "pass -> fail"
expect_out "^  broken: A failed, B passed  improvement$" "fail -> pass"
expect_out "^only in A \(.*a.jsonl\):$" "a variant missing from B is reported"
expect_out "^  gone \(passed\)$" "and named"

# --- several kernels on a side: pairs by name and kernel
B=$TMP/b5.jsonl
{
	line steady pass '{"worst_gap_ms":100}' 6.12
	line steady pass '{"worst_gap_ms":2000}' 6.13
} >"$B"
run "$KTSTR" compare "$A" "$B"
expect_out "^  steady @ 6.13 \(passed\)$" "the other kernel's run is unpaired"
expect_rc 0 "the 6.12 pair is unchanged"

# --- bad input: exit 2 naming the file and line
printf '%s\n' "$(line steady pass '{}')" '{"name":"x","verdict":"pass","metrics":{"worst_gap_ms":"fast"}}' >"$TMP/bad.jsonl"
run "$KTSTR" compare "$A" "$TMP/bad.jsonl"
expect_rc 2 "bad input exits 2"
expect_err "^ktstr compare: .*bad.jsonl:2: .*\"worst_gap_ms\" must be a number$" "names file, line and key"
printf 'not json\n' >"$TMP/bad2.jsonl"
run "$KTSTR" compare "$TMP/bad2.jsonl" "$A"
expect_rc 2 "not JSON exits 2"
expect_err "bad2.jsonl:1: not a JSON object" "names the line"
: >"$TMP/empty.jsonl"
run "$KTSTR" compare "$A" "$TMP/empty.jsonl"
expect_rc 2 "an empty file exits 2"
expect_err "empty.jsonl: no variants" "says so"
run "$KTSTR" compare "$A" "$TMP/missing.jsonl"
expect_rc 2 "a missing file exits 2"
expect_err "missing.jsonl: No such file" "says so"
run "$KTSTR" compare "$A"
expect_rc 2 "one file is a usage error"
run "$KTSTR" compare --threshold lots "$A" "$A"
expect_rc 2 "bad --threshold"
expect_err "--threshold takes a percentage" "says what it takes"

# --- hostile and degenerate inputs (#16)
line='{"name":"a","verdict":"pass","metrics":{"worst_gap_ms":100}}'
printf '%s\n' "$line" >"$TMP/one.jsonl"
printf '{"name":"zz","verdict":"pass","metrics":{"worst_gap_ms":100}}\n' >"$TMP/other.jsonl"
run "$KTSTR" compare "$TMP/one.jsonl" "$TMP/other.jsonl"
expect_rc 2 "no variant in common is an error, not a pass"
expect_err "have no variant in common" "it says so"
python3 -c 'import sys; sys.stdout.write("{" + "x" * (5 << 20) + "\n")' >"$TMP/long.jsonl"
run "$KTSTR" compare "$TMP/long.jsonl" "$TMP/one.jsonl"
expect_rc 2 "a 5 MiB line"
expect_err "long.jsonl:1: a line longer than 4 MiB: not a file written by --json$" "is refused with its line number"
printf '{"name":"a","name":"b","verdict":"pass"}\n' >"$TMP/dupkey.jsonl"
run "$KTSTR" compare "$TMP/dupkey.jsonl" "$TMP/one.jsonl"
expect_rc 2 "a key given twice"
expect_err "dupkey.jsonl:1: .*key \"name\" given twice" "is refused"
printf '{"name":"a","verdict":"pass","metrics":{"worst_gap_ms":1,"worst_gap_ms":900}}\n' >"$TMP/dupm.jsonl"
run "$KTSTR" compare "$TMP/dupm.jsonl" "$TMP/one.jsonl"
expect_rc 2 "a metric given twice (once averaged)"
expect_err 'metric "worst_gap_ms" given twice' "is refused"
printf '{"name":"a\\u0000b","verdict":"pass"}\n' >"$TMP/nul.jsonl"
run "$KTSTR" compare "$TMP/nul.jsonl" "$TMP/one.jsonl"
expect_rc 2 "a name with \\u0000 (once cut there)"
expect_err '"name" has a NUL character' "is refused"
printf '{"name":"a",\0"verdict":"pass"}\n' >"$TMP/rawnul.jsonl"
run "$KTSTR" compare "$TMP/rawnul.jsonl" "$TMP/one.jsonl"
expect_rc 2 "a raw NUL byte"
expect_err "rawnul.jsonl:1: a NUL byte: not a JSON line$" "is refused"
for v in 1e308 -1e300; do
	printf '{"name":"a","verdict":"pass","metrics":{"worst_gap_ms":%s}}\n' "$v" >"$TMP/huge.jsonl"
	run "$KTSTR" compare "$TMP/huge.jsonl" "$TMP/one.jsonl"
	expect_rc 2 "metric $v"
	expect_err "metric \"worst_gap_ms\": $v is out of range" "$v is refused, not turned into inf"
done
printf '{"name":"a","verdict":"pass","metrics":{"worst_gap_ms":inf}}\n' >"$TMP/inf.jsonl"
run "$KTSTR" compare "$TMP/inf.jsonl" "$TMP/one.jsonl"
expect_rc 2 "inf"
# Many variants: matched by sorting, not a scan per line (40k once took 17.5 s;
# the limit here is a hang guard, the speed is measured by hand in the note).
python3 -c '
import json, sys
for i in range(40000):
    print(json.dumps({"name": "v%d" % i, "verdict": "pass", "metrics": {"worst_gap_ms": 100}}))
' >"$TMP/many.jsonl"
run timeout 120 "$KTSTR" compare "$TMP/many.jsonl" "$TMP/many.jsonl"
expect_rc 0 "40k variants against themselves"
expect_out "^40000 variants compared: 0 regressions" "all of them paired"

finish
