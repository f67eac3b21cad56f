#!/usr/bin/env bash
# .ci/tally.py, CI's last line: passes, failures, and skips counted only when
# their reason is on .ci/allowed-skips (any other skip fails CI).
. "$(dirname "$0")/lib.sh"
T=$KTSTR_SRCDIR/.ci/tally.py
A=$KTSTR_SRCDIR/.ci/allowed-skips

entry() {	# entry NAME RESULT STDOUT: one meson JSON log line
	python3 -c 'import json, sys; print(json.dumps({"name": sys.argv[1], "result": sys.argv[2], "stdout": sys.argv[3]}))' "$@"
}

{ entry a OK "3 checks, 0 failed"; entry b EXPECTEDFAIL ""; } >"$TMP/ok.json"
run python3 "$T" 0 "$A" "$TMP/ok.json"
expect_rc 0 "all passed: exit 0"
expect_out "^2 passed, 0 failed$" "the line without skips"

entry c SKIP $'log\nSKIP: no /proc/self/schedstat (CONFIG_SCHED_INFO off)' >"$TMP/allowed.json"
run python3 "$T" 0 "$A" "$TMP/ok.json" "$TMP/allowed.json"
expect_rc 0 "an allowed skip is not a failure"
expect_out "^skipped: c: no /proc/self/schedstat" "the skip is named with its reason"
expect_out "^2 passed, 0 failed, 1 skipped$" "and counted as skipped"

entry d SKIP "SKIP: xmllint not installed (apt-get install libxml2-utils)" >"$TMP/tool.json"
run python3 "$T" 0 "$A" "$TMP/ok.json" "$TMP/tool.json"
expect_rc 1 "a missing tool's skip fails CI"
expect_out "^FAIL \(a skip not allowed in CI, see .ci/allowed-skips\): d: xmllint not installed" "named with its reason"
expect_out "^2 passed, 1 failed$" "counted as failed"

{ entry e SKIP "1..0 # SKIP no L1 kernel (download failed)"; entry f SKIP ""; } >"$TMP/other.json"
run python3 "$T" 0 "$A" "$TMP/other.json"
expect_rc 1 "a TAP skip and a silent skip fail CI"
expect_out "^FAIL .*: e: no L1 kernel \(download failed\)$" "the TAP skip's reason"
expect_out "^FAIL .*: f: no reason given$" "a skip without a reason"
expect_out "^0 passed, 2 failed$" "both counted"

entry g FAIL "boom" >"$TMP/fail.json"
run python3 "$T" 1 "$A" "$TMP/fail.json" "$TMP/missing.json"
expect_rc 1 "failures fail"
expect_out "^0 passed, 3 failed$" "a failed test, a setup failure and a missing log"
finish
