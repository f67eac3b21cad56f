#!/usr/bin/env bash
# The outputs of real runs under QEMU/TCG with the cached kernel (issue #15,
# item 7), each VM run serving several checks:
#  - gauntlet --json/--junit/--results-dir over a passing, a check-failing, a
#    skipped and a scheduler variant that hits the soft timeout: per-variant
#    directories and files, JSON lines, JUnit that validates;
#  - the soft timeout's report: the sched_ext dump that SysRq-D produced;
#  - run --thresholds tcg|default and --accel on the same scenario: a
#    hardware_only limit waived under tcg, failed under default;
#  - compare over those real JSON lines: repeated variants averaged (the
#    figures recomputed here), each gate crossed on purpose and not;
#  - SIGINT with --junit (gauntlet and run): the file holds what finished,
#    validates, and nothing is left running or on disk.
# Skips (77) without a kernel or without the bundled scx-ktstr (meson -Dbpf).
. "$(dirname "$0")/lib.sh"
E=$KTSTR_SRCDIR/tests/e2e
XSD=$KTSTR_SRCDIR/tests/data/junit.xsd
SCHEDS=$KTSTR_SRCDIR/scenarios/schedulers/scx-ktstr.yaml
B=${KTSTR_BUILDDIR:?run through meson test}/bpf
# Every command here names its backend: QEMU with TCG.
Q=(--vmm qemu --accel tcg)

command -v xmllint >/dev/null || skip "xmllint not installed (apt-get install libxml2-utils)"
need_kernel
[ -x "$B/scx-ktstr" ] || skip "the bundled scheduler $B/scx-ktstr was not built (meson -Dbpf=enabled," \
	"after 'ktstr kernel build')"
unset KTSTR_SCHEDULER		# found by name, in the build's bpf/
t_all=$SECONDS

# vms_left: how many of this test's VMs run (their sockets are under $TMPDIR).
vms_left() {
	pgrep -c -f "qemu-system-x86_64.*$TMPDIR" || true
}

# re TEXT: TEXT as a literal in an extended regex.
re() {
	sed 's/[][\\.*^$+?(){}|]/\\&/g' <<<"$1"
}

# junit_cases FILE: the JUnit file as a CI reporter reads it, one line per fact.
junit_cases() {
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
print("root", root.tag, root.get("tests"), root.get("failures"), root.get("skipped"))
suites = root.findall("testsuite")
print("suites", len(suites))
for suite in suites:
    print("suite", suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped"))
    for tc in suite.findall("testcase"):
        f, s, o = tc.find("failure"), tc.find("skipped"), tc.find("system-out")
        state = "fail" if f is not None else "skip" if s is not None else "pass"
        print("case", tc.get("classname"), tc.get("name"), state)
        if f is not None:
            print("failure", tc.get("name"), f.get("type"), f.get("message"))
            for line in (f.text or "").splitlines():
                print("body", tc.get("name"), line)
        if s is not None:
            print("skipped", tc.get("name"), s.get("message"))
        for line in (o.text or "").splitlines() if o is not None else []:
            print("out", tc.get("name"), line)
PY
}

# ===== gauntlet: --json, --junit and --results-dir on real runs =============
# e2e_gauntlet_a passes, e2e_gauntlet_skip needs a program this host lacks,
# e2e_out_check_fail fails an impossible check, and
# e2e_out_soft_timeout runs scx-ktstr past the soft timeout (--timeout 20:
# ktstr asks for the dump at 17 s).
G=$TMP/g
t0=$SECONDS
run "$KTSTR" gauntlet "${Q[@]}" --overcommit --presets tiny-1llc --flags default \
	--schedulers "$SCHEDS" --jobs 2 --timeout 20 \
	--json "$TMP/g.jsonl" --junit "$TMP/g.xml" --results-dir "$G" \
	"$E/gauntlet_a.yaml" "$E/gauntlet_skip.yaml" "$E/out_check_fail.yaml" "$E/out_soft_timeout.yaml"
echo "gauntlet of 4 variants (3 VMs): $((SECONDS - t0)) s"
expect_rc 1 "gauntlet: a failed variant exits 1"
expect_out "^PASS \[ *[0-9.]+s\] e2e_gauntlet_a/tiny-1llc/default$" "gauntlet: PASS line"
expect_out "^FAIL \[ *[0-9.]+s\] e2e_out_check_fail/tiny-1llc/default$" "gauntlet: FAIL line"
expect_out "^SKIP \[ *0\.00s\] e2e_gauntlet_skip/tiny-1llc/default \(" "gauntlet: SKIP line"
expect_out "^FAIL \[ *(1[7-9])\.[0-9]+s\] e2e_out_soft_timeout/tiny-1llc/default$" \
	"soft timeout: the variant ended between the soft (17 s) and the hard (20 s) limit"
expect_out "^1 passed, 2 failed, 1 skipped$" "gauntlet: summary"
gout=$out

# The JSON lines: one per variant, with its name, verdict and files.
run python3 - "$TMP/g.jsonl" "$G" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("lines", len(rows))
for d in sorted(rows, key=lambda d: d["name"]):
    print("line", d["name"], d["scenario"], d["preset"], d["profile"], d["verdict"],
          d["harness_failure"], d["scheduler"], d["checks_profile"],
          (d["console_log"] or "-").replace(sys.argv[2], "G"),
          (d["sched_log"] or "-").replace(sys.argv[2], "G"))
    print("reason", d["name"], d["reasons"][0] if d["reasons"] else "-")
    if d["skip_reason"]:
        print("skip_reason", d["name"], d["skip_reason"])
PY
expect_rc 0 "gauntlet --json: every line parses (python3 json)"
expect_out "^lines 4$" "gauntlet --json: one line per variant"
expect_out "^line e2e_gauntlet_a/tiny-1llc/default e2e_gauntlet_a tiny-1llc default pass False eevdf tcg G/e2e_gauntlet_a\.tiny-1llc\.default/console\.log -$" \
	"gauntlet --json: the passing variant"
expect_out "^line e2e_out_check_fail/tiny-1llc/default e2e_out_check_fail tiny-1llc default fail False eevdf tcg G/e2e_out_check_fail\.tiny-1llc\.default/console\.log -$" \
	"gauntlet --json: the check failure (not a harness failure)"
expect_out "^reason e2e_out_check_fail/tiny-1llc/default worker [0-9]+ iteration rate [0-9.]+/s below floor 1000000000\\.0/s$" "gauntlet --json: its reason"
expect_out "^line e2e_gauntlet_skip/tiny-1llc/default e2e_gauntlet_skip tiny-1llc default skip False eevdf None - -$" \
	"gauntlet --json: the skip, without logs or a threshold profile (it never ran)"
expect_out "^skip_reason e2e_gauntlet_skip/tiny-1llc/default .*ktstr-e2e-no-such-program" "gauntlet --json: the skip's reason"
expect_out "^line e2e_out_soft_timeout/tiny-1llc/default e2e_out_soft_timeout tiny-1llc default fail True scx-ktstr tcg G/e2e_out_soft_timeout\.tiny-1llc\.default/console\.log G/e2e_out_soft_timeout\.tiny-1llc\.default/sched\.log$" \
	"gauntlet --json: the soft timeout is a harness failure with a scheduler log"
expect_out "^reason e2e_out_soft_timeout/tiny-1llc/default timed out: the scenario was still running 3 s before the hard limit; ktstr asked the guest for the sched_ext dump and to stop$" \
	"gauntlet --json: the soft timeout's reason"

# The results directory: one per variant (/ turned into .), its files.
run ls "$G"
expect_eq "$out" "$(printf '%s\n' e2e_gauntlet_a.tiny-1llc.default e2e_gauntlet_skip.tiny-1llc.default \
	e2e_out_check_fail.tiny-1llc.default e2e_out_soft_timeout.tiny-1llc.default)" \
	"--results-dir: one directory per variant"
run ls "$G/e2e_gauntlet_a.tiny-1llc.default"
expect_eq "$(tr '\n' ' ' <<<"$out")" "console.log report.txt result.json " "--results-dir: a passing EEVDF variant's files"
run ls "$G/e2e_out_soft_timeout.tiny-1llc.default"
expect_eq "$(tr '\n' ' ' <<<"$out")" "console.log monitor.csv report.txt result.json sched.log " \
	"--results-dir: a sched_ext variant's files (the host-side monitor's samples too)"
for v in e2e_gauntlet_a e2e_out_check_fail e2e_gauntlet_skip e2e_out_soft_timeout; do
	d=$G/$v.tiny-1llc.default
	# result.json is the variant's JSON line, byte for byte.
	expect_eq "$(cat "$d/result.json" 2>&1)" "$(grep -F "\"name\":\"$v/tiny-1llc/default\"" "$TMP/g.jsonl")" \
		"--results-dir: $v's result.json is its --json line"
done
run cat "$G/e2e_gauntlet_a.tiny-1llc.default/report.txt"
expect_out "^ktstr 'e2e_gauntlet_a' \[topo=1n1l4c1t\] passed:$" "report.txt of a pass: the report's header"
expect_out "^--- stats ---$" "report.txt of a pass: its stats"
expect_out "^checks: tcg thresholds$" "report.txt of a pass: its threshold profile"
run cat "$G/e2e_out_check_fail.tiny-1llc.default/report.txt"
expect_out "^ktstr 'e2e_out_check_fail' \[topo=1n1l4c1t\] failed:$" "report.txt of a failure: the header"
expect_out "^  worker [0-9]+ iteration rate [0-9.]+/s below floor 1000000000\\.0/s$" "report.txt of a failure: the reason"
expect_out "^--- timeline ---$" "report.txt of a failure: the timeline"
for v in e2e_gauntlet_a e2e_out_check_fail; do
	run cat "$G/$v.tiny-1llc.default/console.log"
	expect_out "^ktstr-agent: scenario ended after [0-9]+ ms" "$v's console.log holds the guest's console to the end"
done

# The JUnit file: validates; one testcase per variant, as the JSON says.
run xmllint --noout --schema "$XSD" "$TMP/g.xml"
expect_rc 0 "gauntlet --junit validates against tests/data/junit.xsd"
run junit_cases "$TMP/g.xml"
expect_rc 0 "gauntlet --junit: python reads it"
expect_out "^suite 4 2 0 1$" "gauntlet --junit: 4 tests, 2 failures, 0 errors, 1 skipped"
expect_out "^case e2e_gauntlet_a e2e_gauntlet_a/tiny-1llc/default pass$" "gauntlet --junit: the passing testcase"
expect_out "^case e2e_out_check_fail e2e_out_check_fail/tiny-1llc/default fail$" "gauntlet --junit: the failing testcase"
expect_out "^failure e2e_out_check_fail/tiny-1llc/default check worker [0-9]+ iteration rate [0-9.]+/s below floor 1000000000\\.0/s$" \
	"gauntlet --junit: a check failure, its first reason as the message"
expect_out "^body e2e_out_check_fail/tiny-1llc/default --- stats ---$" "gauntlet --junit: the report as the failure's text"
expect_out "^skipped e2e_gauntlet_skip/tiny-1llc/default .*ktstr-e2e-no-such-program" "gauntlet --junit: the skip and its reason"
expect_out "^failure e2e_out_soft_timeout/tiny-1llc/default harness timed out: the scenario was still running 3 s before the hard limit" \
	"gauntlet --junit: the soft timeout is a harness failure"
expect_out "^body e2e_out_soft_timeout/tiny-1llc/default Debug dump triggered by SysRq-D$" \
	"gauntlet --junit: the failure's text carries the sched_ext dump"
expect_out "^out e2e_gauntlet_a/tiny-1llc/default console log: $G/e2e_gauntlet_a\.tiny-1llc\.default/console\.log$" \
	"gauntlet --junit: system-out names the kept console"
expect_out "^out e2e_out_soft_timeout/tiny-1llc/default scheduler log: $G/e2e_out_soft_timeout\.tiny-1llc\.default/sched\.log$" \
	"gauntlet --junit: system-out names the scheduler log"
expect_out "^out e2e_out_soft_timeout/tiny-1llc/default scheduler: scx-ktstr$" "gauntlet --junit: system-out names the scheduler"

# ===== the soft timeout's report: the sched_ext dump ========================
# (tests/cli/selftest.sh sees the dump of a scheduler that sched_ext ejected;
# here the host asks a healthy one for it, 3 s before the hard limit.)
S=$G/e2e_out_soft_timeout.tiny-1llc.default
run cat "$S/report.txt"
expect_out "^ktstr 'e2e_out_soft_timeout' \[sched=scx-ktstr\] \[topo=1n1l4c1t\] failed:$" "soft timeout: report.txt's header"
expect_out "^  guest: stopped before the scenario's end \(the host asked\)$" "soft timeout: the guest stopped because the host asked"
checks=$((checks + 1))
grep -q "timed out after" <<<"$out" && fail "soft timeout: the guest stopped by itself, the hard limit never hit"
expect_out "^vm: reset after [0-9.]+s, guest-reset$" "soft timeout: the guest shut down; nothing killed it"
expect_out "^ktstr-agent: the host asked to shut down$" "soft timeout: the console tail shows the agent got the stop"
expect_out "^--- sched_ext kernel log ---$" "soft timeout: the kernel's sched_ext lines"
expect_out "^sysrq: Trigger sched_ext debug dump$" "soft timeout: SysRq-D in the kernel log"
# The dump itself: its header names SysRq-D, then the guest's CPUs that had
# tasks (tiny-1llc: CPUs 0-3; the kernel leaves idle ones out) with their
# runnable tasks, and the backtrace of the dump.
dump=$(sed -n '/^--- sched_ext dump ---$/,$p' <<<"$out")
out=$dump
expect_out "^--- sched_ext dump ---$" "soft timeout: the report's sched_ext dump section"
expect_out "^Debug dump triggered by SysRq-D$" "soft timeout: the dump says SysRq-D triggered it"
expect_out "^CPU states$" "soft timeout: the dump's CPU states"
expect_out "^CPU [0-3] +: nr_run=[1-9][0-9]* " "soft timeout: the dump shows a busy CPU of the guest"
expect_eq "$(grep -E '^CPU [0-9]+ +: ' <<<"$dump" | grep -cvE '^CPU [0-3] ')" 0 \
	"soft timeout: the dump shows only the guest's 4 CPUs"
expect_out "^ +sysrq_handle_sched_ext_dump\+0x" "soft timeout: the dump's backtrace goes through SysRq-D's handler"
expect_out "^ [ *]R [a-z0-9_/-]+\[[0-9]+\] [-+][0-9]+ms$" "soft timeout: the dump lists runnable tasks"
# It is the last section, after the scheduler's log.
run cat "$S/report.txt"
expect_eq "$(grep -E '^--- [a-z_ ]+ ---$' <<<"$out" | tail -3 | tr '\n' '|')" \
	"--- scheduler log ---|--- sched_ext kernel log ---|--- sched_ext dump ---|" \
	"soft timeout: the scheduler's sections, in order"
# The same report went to stdout.
out=$gout
expect_out "^Debug dump triggered by SysRq-D$" "soft timeout: the printed report carries the dump too"
run cat "$S/sched.log"
expect_out "^scx-ktstr: attached \(flags none; " "soft timeout: sched.log is the scheduler's output"
expect_out "^scx-ktstr: exit reason: unregistered from user space$" "soft timeout: the scheduler was stopped cleanly after the dump"
run cat "$S/console.log"
expect_out "sysrq: Trigger sched_ext debug dump" "soft timeout: console.log has the SysRq"

# ===== run --accel and --thresholds =========================================
run "$KTSTR" run --vmm qemu --accel bogus "$E/steady.yaml"
expect_rc 2 "--accel bogus: a usage error"
expect_err "^ktstr run: --accel takes tcg, kvm or auto$" "--accel bogus: says what it takes"
run "$KTSTR" gauntlet --vmm qemu --accel bogus --overcommit "$E/gauntlet_a.yaml"
expect_rc 2 "gauntlet --accel bogus: a usage error"
expect_err "^ktstr gauntlet: --accel takes tcg, kvm or auto$" "gauntlet --accel bogus: says what it takes"
run "$KTSTR" run --vmm qemu --accel tcg --thresholds fast "$E/steady.yaml"
expect_rc 2 "--thresholds fast: a usage error"
expect_err "^ktstr run: --thresholds takes default or tcg$" "--thresholds fast: says what it takes"
if ! [ -c /dev/kvm ] || ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
	run "$KTSTR" run --vmm qemu --accel kvm "$E/steady.yaml"
	expect_rc 2 "--accel kvm without a usable /dev/kvm: a setup error"
	expect_err "^ktstr run: e2e_steady: KVM was asked for but /dev/kvm cannot be opened: .+; load kvm, join the kvm group, or use TCG$" \
		"--accel kvm without a usable /dev/kvm: says why and what to do"
else
	echo "note: /dev/kvm is usable here: --accel kvm's error is not checked"
fi
expect_eq "$(vms_left)" 0 "no VM for a usage or setup error"

# The tcg profile, named: the 1 ns hardware_only limit is judged, missed and
# waived. The scenario twice in one run: two passing JSON lines of one
# variant, compare's baseline below.
t0=$SECONDS
run "$KTSTR" run -v --vmm qemu --accel tcg --thresholds tcg --json "$TMP/a.jsonl" \
	"$E/out_waived.yaml" "$E/out_waived.yaml"
echo "2 runs of out_waived: $((SECONDS - t0)) s"
expect_rc 0 "--thresholds tcg: the hardware_only miss is waived, both runs pass"
expect_eq "$(grep -cE '^PASS \[ *[0-9.]+s\] e2e_out_waived \[topo=1n1l2c1t\]$' <<<"$out")" 2 "--thresholds tcg: two PASS lines"
expect_eq "$(grep -cE '^  waived \(hardware_only, tcg thresholds\): cgroup cg0: p99 wake latency [0-9]+ns exceeds limit 1ns \([0-9]+ samples\)$' <<<"$out")" 2 \
	"--thresholds tcg: the miss is listed as waived under each PASS line"
expect_out "^checks: tcg thresholds$" "--thresholds tcg: the profile is printed"
expect_out "^backend: qemu with (multi|single)-threaded TCG " "--accel tcg: the report names TCG"
expect_out "^2 passed, 0 failed$" "--thresholds tcg: summary"
checks=$((checks + 1))
grep -q "KVM is not usable" <<<"$err" && fail "--accel tcg: no probe of KVM, no notice about it"
run python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(d["name"], d["verdict"], d["checks_profile"], len(d["waived"]), "p99 wake latency" in d["waived"][0], d["reasons"])
' "$TMP/a.jsonl"
expect_eq "$out" "$(printf 'e2e_out_waived pass tcg 1 True []\ne2e_out_waived pass tcg 1 True []')" \
	"--thresholds tcg: the JSON lines say tcg, pass, one waived limit"

# The default profile, same scenario, same backend: the same miss fails it.
run "$KTSTR" run -v --vmm qemu --accel tcg --thresholds default --json "$TMP/d.jsonl" "$E/out_waived.yaml"
expect_rc 1 "--thresholds default: the hardware_only limit fails the run"
expect_out "^FAIL \[ *[0-9.]+s\] e2e_out_waived \[topo=1n1l2c1t\]$" "--thresholds default: FAIL line"
expect_out "^  cgroup cg0: p99 wake latency [0-9]+ns exceeds limit 1ns \([0-9]+ samples\)$" \
	"--thresholds default: the wake latency is the reason"
expect_out "^checks: default thresholds$" "--thresholds default: the profile is printed"
checks=$((checks + 1))
grep -qE "^  waived |^not failed: hardware_only" <<<"$out" && fail "--thresholds default: nothing is waived"
run python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())
print(d["verdict"], d["checks_profile"], d["waived"], any("p99 wake latency" in r for r in d["reasons"]))
' "$TMP/d.jsonl"
expect_eq "$out" "fail default [] True" "--thresholds default: the JSON line says default, fail, the reason"

# ===== compare on real JSON lines ==========================================
# a.jsonl holds e2e_out_waived twice: compare averages it. b0.jsonl is one
# line whose metrics are those averages, computed here, so every delta must
# be exactly 0 (and the A column shows the averages).
run python3 - "$TMP/a.jsonl" "$TMP" <<'PY'
import json, math, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
assert len(runs) == 2 and runs[0]["name"] == runs[1]["name"]
keys = [k for k in runs[0]["metrics"] if all(k in r["metrics"] for r in runs)]
avg = {}
for k in keys:
    s = 0.0                     # as compare sums them
    for r in runs:
        s += r["metrics"][k]
    avg[k] = s / len(runs)

def fmt(v, unit, sign=False):   # cmd_compare.c's fmt_num
    if v == math.floor(v) and abs(v) < 1e15:
        return ("%+.0f" if sign else "%.0f") % v + unit
    return ("%+.4g" if sign else "%.4g") % v + unit

def write(name, **change):
    b = dict(runs[0])
    b["metrics"] = dict(avg, **change)
    with open(sys.argv[2] + "/" + name, "w") as f:
        f.write(json.dumps(b) + "\n")

write("b0.jsonl")
print("metrics", len(keys))
units = {"total_iterations": "", "total_migrations": "", "worst_gap_ms": "ms",
         "worst_p99_wake_latency_us": "us"}
for k, u in units.items():
    print("avg", k, fmt(avg[k], u), "runs", " ".join(fmt(r["metrics"][k], u) for r in runs))
it, gap = avg["total_iterations"], avg["worst_gap_ms"]
# total_iterations (higher is better; gates 100 and 10%): -5% is under the
# rel gate, -20% over both gates (it is over 100 when the average is).
write("b_it_in.jsonl", total_iterations=it * 0.95)
write("b_it_out.jsonl", total_iterations=it * 0.80)
print("it_out_abs", it * 0.20 >= 100)
# worst_gap_ms (lower is better; gates 500 ms and 50%): +400 ms is under the
# abs gate, +600 ms over it (and over 50% of any gap a tcg pass allows, 750 ms).
write("b_gap_in.jsonl", worst_gap_ms=gap + 400)
write("b_gap_out.jsonl", worst_gap_ms=gap + 600)
print("gap_out_rel", gap == 0 or 600 / gap >= 0.5)
# (each delta computed as compare does: B - A)
print("rows", fmt(it, ""), fmt(it * 0.95, ""), fmt(it * 0.95 - it, "", True),
      fmt(it * 0.80, ""), fmt(it * 0.80 - it, "", True),
      fmt(gap, "ms"), fmt(gap + 400, "ms"), fmt(gap + 600, "ms"),
      "new" if gap == 0 else "%+.1f%%" % ((gap + 400 - gap) / gap * 100),
      "new" if gap == 0 else "%+.1f%%" % ((gap + 600 - gap) / gap * 100))
PY
expect_rc 0 "compare: the B files are derived from the real lines (python3)"
echo "$out"
read -r _ nmetrics <<<"$(grep '^metrics ' <<<"$out")"
# (as regex literals: a figure may read 1.256e+04)
rows=$(grep '^rows ' <<<"$out")
read -r _ it it95 itd95 it80 itd80 gap gap400 gap600 gapr400 gapr600 <<<"$(re "$rows")"
expect_out "^it_out_abs True$" "compare: a 20% drop of these iterations is over the abs gate too"
expect_out "^gap_out_rel True$" "compare: +600 ms is over the rel gate too"
avgs=$out

run "$KTSTR" compare --all "$TMP/a.jsonl" "$TMP/b0.jsonl"
expect_rc 0 "compare: A's average against itself: no regression"
expect_out "^A: $TMP/a\.jsonl \(1 variants\)$" "compare: the repeated variant is one variant"
# Every registry metric both sides have: delta exactly 0, so the A column is
# the average of the two runs, not either run.
expect_eq "$(grep -cE '^e2e_out_waived +[a-z0-9_]+ +[^ ]+ +[^ ]+ +\+0[a-z%]* +0\.0% +-$' <<<"$out")" "$nmetrics" \
	"compare: every metric's A is the average of A's runs (delta 0 against the averages)"
for k in total_iterations total_migrations worst_gap_ms worst_p99_wake_latency_us; do
	a=$(re "$(sed -nE "s/^avg $k ([^ ]+) runs .*/\1/p" <<<"$avgs")")
	expect_out "^e2e_out_waived +$k +$a +$a +\+0[a-z]* +0\.0% +-$" \
		"compare: $k's A column is the average ($(grep "^avg $k " <<<"$avgs" | cut -d' ' -f3-))"
done
expect_out "^1 variants compared: 0 regressions, 0 improvements, $nmetrics metrics unchanged$" "compare: summary"

run "$KTSTR" compare --all "$TMP/a.jsonl" "$TMP/b_it_in.jsonl"
expect_rc 0 "compare: total_iterations -5% (rel gate 10%) is not significant"
expect_out "^e2e_out_waived +total_iterations +$it +$it95 +$itd95 +-5\.0% +-$" "compare: the -5% row, not significant"
run "$KTSTR" compare "$TMP/a.jsonl" "$TMP/b_it_out.jsonl"
expect_rc 1 "compare: total_iterations -20% (over 10% and 100) is a regression, exit 1"
expect_out "^e2e_out_waived +total_iterations +$it +$it80 +$itd80 +-20\.0% +REGRESSION$" "compare: the -20% row, a regression"
expect_out "^1 variants compared: 1 regressions, 0 improvements, " "compare: one regression counted"
run "$KTSTR" compare --all "$TMP/a.jsonl" "$TMP/b_gap_in.jsonl"
expect_rc 0 "compare: worst_gap_ms +400 ms (abs gate 500 ms) is not significant"
expect_out "^e2e_out_waived +worst_gap_ms +$gap +$gap400 +\+400ms +$gapr400 +-$" "compare: the +400 ms row, not significant"
run "$KTSTR" compare "$TMP/a.jsonl" "$TMP/b_gap_out.jsonl"
expect_rc 1 "compare: worst_gap_ms +600 ms (over 500 ms and 50%) is a regression, exit 1"
expect_out "^e2e_out_waived +worst_gap_ms +$gap +$gap600 +\+600ms +$gapr600 +REGRESSION$" "compare: the +600 ms row, a regression"

# A variant that failed in one of its runs counts as failed: A's two passes
# and the default profile's failure against the averages.
cat "$TMP/a.jsonl" "$TMP/d.jsonl" >"$TMP/ad.jsonl"
run "$KTSTR" compare "$TMP/ad.jsonl" "$TMP/b0.jsonl"
expect_rc 0 "compare: failed in A, passed in B is no regression"
expect_out "^  e2e_out_waived: A failed \(in some runs\), B passed  improvement$" "compare: one failed run of three fails the variant"
run "$KTSTR" compare "$TMP/b0.jsonl" "$TMP/ad.jsonl"
expect_rc 1 "compare: passed in A, failed in some runs of B is a regression"
expect_out "^  e2e_out_waived: A passed, B failed \(in some runs\)  REGRESSION$" "compare: named as a regression"

# ===== SIGINT with --junit ==================================================
# gauntlet, --jobs 1: e2e_gauntlet_a passes, e2e_gauntlet_skip is skipped,
# e2e_long is interrupted while it runs, e2e_steady never starts. The JUnit
# file holds what finished (ktstr(1), gauntlet): the pass and the skip.
started() {
	grep -q '^SKIP .* e2e_gauntlet_skip/' "$TMP/bg.out" && [ "$(vms_left)" -ge 1 ]
}
interrupt_when 120 started "gauntlet SIGINT: e2e_long's VM did not start after the first two variants" \
	"$KTSTR" gauntlet "${Q[@]}" --overcommit --presets tiny-1llc --jobs 1 \
	--junit "$TMP/int.xml" --json "$TMP/int.jsonl" \
	"$E/gauntlet_a.yaml" "$E/gauntlet_skip.yaml" "$E/long.yaml" "$E/steady.yaml"
expect_rc 130 "gauntlet SIGINT: exit 130"
expect_err "stopped by SIGINT: 2 of 4 variants finished" "gauntlet SIGINT: says what finished"
expect_out "^1 passed, 0 failed, 1 skipped$" "gauntlet SIGINT: the summary of what finished"
expect_eq "$(vms_left)" 0 "gauntlet SIGINT: no qemu left running"
expect_eq "$(ls -A "$TMPDIR")" "" "gauntlet SIGINT: no temporary files left"
run xmllint --noout --schema "$XSD" "$TMP/int.xml"
expect_rc 0 "gauntlet SIGINT: the JUnit file is complete and validates"
run junit_cases "$TMP/int.xml"
expect_out "^root testsuites 2 0 1$" "gauntlet SIGINT: the JUnit counts what finished"
expect_eq "$(grep '^case ' <<<"$out")" "$(printf '%s\n' \
	'case e2e_gauntlet_a e2e_gauntlet_a/tiny-1llc/default pass' \
	'case e2e_gauntlet_skip e2e_gauntlet_skip/tiny-1llc/default skip')" \
	"gauntlet SIGINT: the finished variants only; the interrupted and the unstarted are not testcases"
run python3 -c 'import json, sys; print(" ".join(json.loads(l)["name"] for l in open(sys.argv[1])))' "$TMP/int.jsonl"
expect_eq "$out" "e2e_gauntlet_a/tiny-1llc/default e2e_gauntlet_skip/tiny-1llc/default" \
	"gauntlet SIGINT: the JSON lines agree"

# run: e2e_steady passes, e2e_long is interrupted while it runs.
started() {
	grep -q '^PASS .* e2e_steady ' "$TMP/bg.out" && [ "$(vms_left)" -ge 1 ]
}
interrupt_when 120 started "run SIGINT: e2e_long's VM did not start after e2e_steady" \
	"$KTSTR" run "${Q[@]}" --junit "$TMP/rint.xml" "$E/steady.yaml" "$E/long.yaml"
expect_rc 130 "run SIGINT: exit 130"
expect_err "^ktstr run: interrupted$" "run SIGINT: says so"
expect_eq "$(vms_left)" 0 "run SIGINT: no qemu left running"
expect_eq "$(ls -A "$TMPDIR")" "" "run SIGINT: no temporary files left"
run xmllint --noout --schema "$XSD" "$TMP/rint.xml"
expect_rc 0 "run SIGINT: the JUnit file is complete and validates"
run junit_cases "$TMP/rint.xml"
expect_out "^root testsuites 1 0 0$" "run SIGINT: the JUnit counts what finished"
expect_eq "$(grep '^case ' <<<"$out")" "case e2e_steady e2e_steady pass" \
	"run SIGINT: the finished scenario only"

# ===== nothing left behind by any of the runs ===============================
expect_eq "$(vms_left)" 0 "no qemu left running"
expect_eq "$(ls -A "$TMPDIR")" "" "no temporary files left"
echo "wall time: $((SECONDS - t_all)) s"

finish
