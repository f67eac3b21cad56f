#!/usr/bin/env bash
# --junit's writer (cmd/out/out_junit.c) over synthetic outcomes with hostile
# text: the document validates against tests/data/junit.xsd (xmllint), an XML
# parser reads back exactly the text that went in, and junitparser, a JUnit
# reader the project did not write, reads the same results.
. "$(dirname "$0")/lib.sh"
: "${JUNIT_WRITE:?run through meson test}"
XSD=$KTSTR_SRCDIR/tests/data/junit.xsd

if ! command -v xmllint >/dev/null; then
	echo "SKIP: xmllint not installed (apt-get install libxml2-utils)"
	exit 77
fi

# A pass, a check failure with markup, quotes, control characters and
# non-ASCII, a harness failure, a skip.
cat >"$TMP/in.jsonl" <<'JSON'
{"name":"two_cgroups","scenario":"two_cgroups","verdict":"pass","reasons":[],"durations_ms":{"total":4210},"topology":"1n2l4c1t","kernel":"6.12"}
{"name":"mixed/tiny-2llc/llc+steal","scenario":"mixed","verdict":"fail","reasons":["unfair cgroup <cg0>: spread=80% & \"more\"","second"],"report":"ktstr 'mixed' failed:\n  a<b & c>d\u0001\u001b[31mred\u001b[0m\r\n  caf\u00e9 \u20ac ]]> end\n","durations_ms":{"total":12050},"console_log":"/tmp/r/mixed.tiny-2llc.llc+steal/console.log","sched_log":"/tmp/r/mixed.tiny-2llc.llc+steal/sched.log"}
{"name":"crash","scenario":"crash","verdict":"fail","harness_failure":true,"reasons":["guest crashed: Kernel panic - not syncing: sysrq triggered crash"],"durations_ms":{"total":7000}}
{"name":"huge/large-8llc/default","scenario":"huge","verdict":"skip","skip_reason":"needs 64 CPUs, host has 2 \u0007","durations_ms":{"total":0}}
JSON

run "$JUNIT_WRITE" <"$TMP/in.jsonl"
expect_rc 0 "junit_write"
printf '%s\n' "$out" >"$TMP/junit.xml"
run xmllint --noout --schema "$XSD" "$TMP/junit.xml"
expect_rc 0 "the document validates against junit.xsd"
expect_err "validates" "xmllint says it validates"

# What a CI reporter reads: counts, names, failure messages and bodies.
run python3 - "$TMP/junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find("testsuite")
print("suite", suite.get("tests"), suite.get("failures"), suite.get("skipped"))
for tc in suite.findall("testcase"):
    f, s = tc.find("failure"), tc.find("skipped")
    print("case", tc.get("classname"), tc.get("name"), tc.get("time"),
          "fail" if f is not None else "skip" if s is not None else "pass")
    if f is not None:
        print("message", repr(f.get("message")), "type", f.get("type"))
        print("body", repr(f.text))
    if s is not None:
        print("skipmsg", repr(s.get("message")))
    o = tc.find("system-out")
    if o is not None:
        print("out", repr(o.text))
PY
expect_rc 0 "python reads the XML"
expect_out "^suite 4 2 1$" "4 tests, 2 failures, 1 skipped"
expect_out "^case two_cgroups two_cgroups 4.210 pass$" "a passing testcase"
expect_out "^case mixed mixed/tiny-2llc/llc\+steal 12.050 fail$" "classname = scenario, name = variant"
expect_out "^message 'unfair cgroup <cg0>: spread=80% & \"more\"' type check$" "failure message is the first reason, unescaped back"
expect_out "^body \"ktstr 'mixed' failed:\\\\n  a<b & c>d\?\?\[31mred\?\[0m\\\\r\\\\n  café € \]\]> end\\\\n\"$" "report body: markup kept, control characters as '?'"
expect_out "^message 'guest crashed: Kernel panic - not syncing: sysrq triggered crash' type harness$" "harness failure type"
expect_out "^skipmsg 'needs 64 CPUs, host has 2 \?'$" "skip message"
expect_out "console log: /tmp/r/mixed.tiny-2llc.llc\+steal/console.log" "system-out names the console log"
expect_out "scheduler log: /tmp/r/mixed.tiny-2llc.llc\+steal/sched.log" "system-out names the scheduler log"

# A JUnit reader the project did not write: junitparser (Debian's
# python3-junitparser, a library CI reporters use), not our schema, reads
# the same counts, results and messages.
PY3=/usr/bin/python3
run "$PY3" - "$TMP/junit.xml" <<'PY'
import sys
from junitparser import JUnitXml, Failure, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
for suite in xml:
    print("jp-suite", suite.tests, suite.failures, suite.skipped, suite.errors)
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        msgs = [r.message for r in case.result]
        print("jp-case", case.classname, case.name, case.time, kinds, msgs)
PY
expect_rc 0 "junitparser reads the file (python3-junitparser: $(head -c 300 <<<"$err"))"
expect_out "^jp-suite 4 2 1 0$" "junitparser: 4 tests, 2 failures, 1 skipped, 0 errors"
expect_out "^jp-case two_cgroups two_cgroups 4.21 \[\] \[\]$" "junitparser: the pass"
expect_out "^jp-case mixed mixed/tiny-2llc/llc\+steal 12.05 \['Failure'\] \['unfair cgroup <cg0>: spread=80% & \"more\"'\]$" \
	"junitparser: the check failure and its message"
expect_out "^jp-case huge huge/large-8llc/default 0.0 \['Skipped'\] \['needs 64 CPUs, host has 2 \?'\]$" \
	"junitparser: the skip and its reason"

# The schema check can fail: a testcase without its time does not validate.
sed 's/ time="4.210"//' "$TMP/junit.xml" >"$TMP/bad.xml"
run xmllint --noout --schema "$XSD" "$TMP/bad.xml"
checks=$((checks + 1))
[ "$rc" -ne 0 ] || fail "a testcase without time must not validate"

# A bad line is an error naming the line.
printf '{"name":"a","verdict":"pass"}\n{"verdict":"pass"}\n' >"$TMP/bad.jsonl"
run "$JUNIT_WRITE" <"$TMP/bad.jsonl"
expect_rc 2 "bad input"
expect_err "line 2: missing required key \"name\"" "names the line and the key"

# --- ktstr run's output options: bad paths fail before any VM boots
S=$KTSTR_SRCDIR/tests/e2e/steady.yaml
run "$KTSTR" run --json "$TMP/no/such/dir/r.jsonl" "$S"
expect_rc 2 "--json into a missing directory"
expect_err "^ktstr run: --json $TMP/no/such/dir/r.jsonl: No such file or directory$" "names the path"
run "$KTSTR" run --junit - "$S"
expect_rc 2 "--junit -"
expect_err "--junit needs a file name" "says why"
: >"$TMP/plain"
run "$KTSTR" run --results-dir "$TMP/plain/sub" "$S"
expect_rc 2 "--results-dir under a file"
expect_err "^ktstr run: --results-dir: cannot create $TMP/plain/sub: Not a directory$" "names the path"
run "$KTSTR" run --json "" "$S"
expect_rc 2 "--json with an empty path"

finish
