#!/usr/bin/env bash
# ktstr verifier end to end under QEMU/TCG: scx-ktstr's programs with their
# verified instruction counts, an A/B of two flag profiles, and a program the
# verifier rejects (--fail-verify) with the log cut to the rejected
# instruction, in JSON beside a loaded run. Five VMs, about 25 s. The usage
# errors first, without a kernel. Skips (77) without a kernel or scx-ktstr.
. "$(dirname "$0")/lib.sh"
B=${KTSTR_BUILDDIR:?run through meson test}/bpf
# Definitions are found in the source tree (this ktstr runs from its build
# tree), not under the current directory.
cd "$TMP" || exit 1

# --- usage errors: before any kernel or VM
run "$KTSTR" verifier
expect_rc 2 "no scheduler named"
expect_err "name the scheduler to load" "no scheduler: says so"
run "$KTSTR" verifier eevdf
expect_rc 2 "eevdf has no BPF programs"
expect_err "eevdf is the kernel's own scheduler" "eevdf: says why"
run "$KTSTR" verifier ../x.yaml
expect_rc 2 "a path is not a name"
expect_err "is not a scheduler's name .*--schedulers" "a path: points to --schedulers"
run env KTSTR_SCHEDULER="$TMP/nowhere" "$KTSTR" verifier no_such_sched
expect_rc 2 "an unknown scheduler"
expect_err "no scheduler 'no_such_sched': no definition .* and no binary" "unknown: says where it looked"
run "$KTSTR" verifier scx-ktstr --flags short-slic
expect_rc 2 "an unknown flag"
expect_err "scheduler 'scx-ktstr' has no flag 'short-slic'; did you mean 'short-slice'\?" \
	"unknown flag: did you mean"
run "$KTSTR" verifier scx-ktstr --flags local-first
expect_rc 2 "a profile missing a requirement"
expect_err "flag 'local-first' of scheduler 'scx-ktstr' requires 'short-slice'; add it" \
	"requirement: named"
run "$KTSTR" verifier scx-ktstr --flags short-slice+local-first --bogus
expect_rc 2 "an unknown option"
# no definition: the binary of that name, with no flags (stopped at the kernel)
mkdir -p "$TMP/bin" && printf '#!/bin/sh\n' >"$TMP/bin/myfixture" && chmod +x "$TMP/bin/myfixture"
run env KTSTR_SCHEDULER="$TMP/bin" "$KTSTR" verifier myfixture --flags x
expect_rc 2 "a binary without a definition has no flags"
expect_err "scheduler 'myfixture' has no flag 'x' \(it has no flags\)" "no definition: no flags"
run env KTSTR_SCHEDULER="$TMP/bin" "$KTSTR" verifier myfixture --kernel "$TMP/nokernel"
expect_rc 2 "a kernel that is not there"
expect_err "^ktstr verifier: --kernel $TMP/nokernel: " "no definition: the binary is taken, the kernel is next"
run "$KTSTR" help verifier
expect_rc 0 "help verifier"
expect_out "^usage: ktstr verifier \[OPTIONS\] SCHEDULER" "help: the usage line"

need_kernel
[ -x "$B/scx-ktstr" ] || skip "the bundled scheduler $B/scx-ktstr was not built (meson -Dbpf=enabled)"
unset KTSTR_SCHEDULER		# found by name, in the build's bpf/

# --- one run: the table of scx-ktstr's struct_ops programs
run "$KTSTR" verifier "${QEMU_TCG[@]}" scx-ktstr
expect_rc 0 "scx-ktstr loads"
expect_out "^scx-ktstr on [^ ]+, profile default: [0-9]+ BPF programs loaded$" "the run's header"
expect_out "^PROGRAM +TYPE +VERIFIED +XLATED +JITED +MAPS +RUNS$" "the table's header"
for p in ktstr_enqueue ktstr_dispatch ktstr_init ktstr_exit; do
	expect_out "^$p +struct_ops +[1-9][0-9]* +[1-9][0-9]* +[0-9]+ +[0-9]+ +[0-9]+$" \
		"$p: verified_insns > 0 and its sizes"
done
# the scheduler ran while the programs were counted (kernel.bpf_stats_enabled)
expect_out "^ktstr_dispatch +struct_ops( +[0-9]+){4} +[1-9][0-9]*$" "ktstr_dispatch ran"
expect_err "^verifier \[1/1\] scx-ktstr on .*: loaded, [0-9]+ programs \[" "the progress line"

# --- A/B: the short-slice profile against the default one
run "$KTSTR" verifier "${QEMU_TCG[@]}" scx-ktstr --flags default --flags short-slice
expect_rc 0 "A/B loads both"
expect_out "^A: [^ ]+, profile default \(loaded\)$" "A/B: A"
expect_out "^B: [^ ]+, profile short-slice \(loaded\)$" "A/B: B"
expect_out "^PROGRAM +TYPE +A +B +DELTA +DELTA%$" "A/B: the columns"
expect_out "^ktstr_enqueue +struct_ops +[1-9][0-9]* +[1-9][0-9]* +[+-][0-9]+ +[+-][0-9]+\.[0-9]%$" \
	"A/B: ktstr_enqueue on both sides with its change"
expect_out "^total +[1-9][0-9]* +[1-9][0-9]* +[+-][0-9]+ +[+-][0-9]+\.[0-9]%$" "A/B: the totals"
expect_eq "$(grep -c '^verifier \[[12]/2\] ' <<<"$err")" 2 "A/B: two VMs"

# --- a program the verifier rejects: scx-ktstr --fail-verify as a flag, beside
# the default profile that loads; JSON lines on stdout, the cut log on stderr
cat >"$TMP/fv.yaml" <<'EOF'
name: scx-ktstr-fv
binary: scx-ktstr
flags:
  - {name: fail-verify, args: [--fail-verify]}
EOF
run "$KTSTR" verifier "${QEMU_TCG[@]}" --json --schedulers "$TMP/fv.yaml" scx-ktstr-fv \
	--flags default --flags fail-verify
expect_rc 1 "a rejected program: exit 1"
expect_eq "$(wc -l <<<"$out")" 2 "one JSON line per run"
printf '%s\n' "$out" >"$TMP/fv.jsonl"
check=$(python3 - "$TMP/fv.jsonl" <<'EOF'
import json, sys
a, b = [json.loads(l) for l in open(sys.argv[1])]
assert a["status"] == "loaded" and a["profile"] == "default", a
assert a["scheduler"] == "scx-ktstr-fv" and a["kernel"], a
progs = {p["name"]: p for p in a["programs"]}
assert progs["ktstr_enqueue"]["verified_insns"] > 0, progs
assert progs["ktstr_enqueue"]["type"] == "struct_ops", progs
assert progs["ktstr_dispatch"]["xlated_len"] > 0, progs
assert a["rejected"] is None, a
assert b["status"] == "rejected" and b["profile"] == "fail-verify", b
assert b["programs"] == [], b
r = b["rejected"]
assert r["program"] == "ktstr_dispatch", r
assert "invalid mem access" in r["message"], r
assert r["insn"].startswith("12: (79)"), r
assert r["processed"] > 0 and r["limit"] == 1000000, r
assert "invalid mem access" in r["log"] and "BEGIN PROG" not in r["log"], r
print("ok")
EOF
)
expect_eq "$check" ok "the JSON lines: one loaded with its programs, one rejected with the cut log"
expect_err "^scx-ktstr-fv on [^ ]+, profile fail-verify: the verifier rejected program ktstr_dispatch$" \
	"the rejection's header"
expect_err "^  message: R0 invalid mem access 'map_value_or_null'$" "the verifier's message"
expect_err "^  insn:    12: \(79\) r1 = \*\(u64 \*\)\(r0 \+0\)$" "the rejected instruction"
expect_err "^--- verifier log \(the last [0-9]+ of [0-9]+ lines\) ---$" "the log is cut"
expect_err "^R0 invalid mem access 'map_value_or_null'$" "the cut log holds the message"
expect_err "^; \*v \+= 1;" "the cut log holds the source line before it"
checks=$((checks + 1))
grep -q "0: (79) r6 = " <<<"$err" && fail "the walk's first instructions are cut away"
finish
