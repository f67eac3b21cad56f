#!/usr/bin/env bash
# ktstr gauntlet --list and ktstr list: expansion counts, the stable order,
# sharding that covers every variant exactly once, filters and JSON output.
. "$(dirname "$0")/lib.sh"
S=$KTSTR_SRCDIR/scenarios/examples

printf 'name: plain\ndescription: one eevdf scenario\ncgroups: [{name: cg0}]\n' >"$TMP/plain.yaml"
cat >"$TMP/flagged.yaml" <<'Y'
name: flagged
cgroups: [{name: cg0}]
scheduler:
  name: scx-six
  binary: scx_six
  flags: [llc, borrow, steal, rebal, reject-pin, no-ctrl]
Y

# --- counts: default constraints accept 15 presets; 6 built-in flags give 48 profiles
run "$KTSTR" gauntlet --list --overcommit "$TMP/plain.yaml"
expect_rc 0 "plain gauntlet"
expect_eq "$(wc -l <<<"$out")" 15 "15 presets under default constraints"
expect_eq "$(head -n1 <<<"$out")" "plain/tiny-1llc/default" "first variant in preset table order"
expect_err "^15 variants" "variant count on stderr"

run "$KTSTR" gauntlet --list --overcommit "$TMP/flagged.yaml"
expect_rc 0 "flagged gauntlet"
expect_eq "$(wc -l <<<"$out")" 720 "15 presets x 48 profiles"
expect_out "^flagged/tiny-1llc/llc\+steal$" "profile display name"

run "$KTSTR" gauntlet --list --overcommit --flags llc,steal "$TMP/flagged.yaml"
expect_rc 0 "--flags"
expect_eq "$(wc -l <<<"$out")" 15 "--flags keeps one profile"
checks=$((checks + 1))
grep -qv '/llc+steal$' <<<"$out" && fail "--flags: only llc+steal variants"

# --- stable order: independent of the order of files on the command line
run "$KTSTR" gauntlet --list --overcommit "$TMP/plain.yaml" "$TMP/flagged.yaml" "$S"/*.yaml
expect_rc 0 "gauntlet over several files"
full=$out
run "$KTSTR" gauntlet --list --overcommit "$S"/*.yaml "$TMP/flagged.yaml" "$TMP/plain.yaml"
expect_eq "$out" "$full" "order does not depend on argument order"
expect_eq "$(sort <<<"$full" | uniq -d)" "" "no duplicate variant names"

# --- shards: for every N, shards 1..N partition the full list
total=$(wc -l <<<"$full")
for n in 1 2 3 5; do
	: >"$TMP/union"
	for k in $(seq 1 "$n"); do
		run "$KTSTR" gauntlet --list --overcommit --shard "$k/$n" "$TMP/plain.yaml" "$TMP/flagged.yaml" "$S"/*.yaml
		expect_rc 0 "shard $k/$n"
		[ -n "$out" ] && printf '%s\n' "$out" >>"$TMP/union"
		size=$(grep -c . <<<"$out")
		checks=$((checks + 1))
		# shares differ by at most one variant
		[ $(( size * n - total )) -le "$n" ] && [ $(( total - size * n )) -le "$n" ] ||
			fail "shard $k/$n has $size of $total variants"
	done
	expect_eq "$(sort "$TMP/union")" "$(sort <<<"$full")" "shards 1..$n cover the list exactly once"
done

run "$KTSTR" gauntlet --list --shard 3/2 "$TMP/plain.yaml"
expect_rc 2 "shard K > N"
expect_err "--shard" "bad shard is named"
run "$KTSTR" gauntlet --list --shard x "$TMP/plain.yaml"
expect_rc 2 "shard garbage"

# --- filters
run "$KTSTR" gauntlet --list --overcommit --presets tiny-2llc,smt-2llc "$TMP/plain.yaml"
expect_rc 0 "--presets"
expect_eq "$out" "plain/tiny-2llc/default
plain/smt-2llc/default" "--presets keeps table order"

run "$KTSTR" gauntlet --list --presets tiny-2lc "$TMP/plain.yaml"
expect_rc 2 "unknown preset"
expect_err "tiny-2lc.*did you mean 'tiny-2llc'" "unknown preset did-you-mean"

run "$KTSTR" gauntlet --list --host-cpus 4 "$TMP/plain.yaml"
expect_rc 0 "--host-cpus"
expect_eq "$out" "plain/tiny-1llc/default
plain/tiny-2llc/default" "a 4-CPU host takes the 4-CPU presets"
expect_err "dropped" "the host filter explains itself"

# --- JSON lines agree with the text list
run "$KTSTR" gauntlet --list --json --overcommit "$TMP/plain.yaml" "$TMP/flagged.yaml"
expect_rc 0 "--json"
checks=$((checks + 1))
names=$(python3 -c '
import json, sys
for line in sys.stdin:
    v = json.loads(line)
    assert v["name"] == "/".join([v["scenario"], v["preset"], v["profile"]]), v
    assert isinstance(v["flags"], list) and isinstance(v["cpus"], int), v
    print(v["name"])' <<<"$out") || fail "--json lines parse"
run "$KTSTR" gauntlet --list --overcommit "$TMP/plain.yaml" "$TMP/flagged.yaml"
expect_eq "$names" "$out" "JSON names equal the text list"

# --- --kernel, repeated: every variant on every kernel, named @label; the
# shards split the crossed list (fake images: "HdrS" at 0x202, and configs)
mkimage() {	# mkimage PATH: a file kernel_find takes for a bzImage
	python3 -c 'import sys; b = bytearray(1024); b[0x202:0x206] = b"HdrS"; open(sys.argv[1], "wb").write(b)' "$1"
}
mkdir -p "$TMP/ka" "$TMP/kb"
mkimage "$TMP/ka/vmlinuz-a"
mkimage "$TMP/kb/vmlinuz-b"
run "$KTSTR" gauntlet --list --host-cpus 4 --kernel "$TMP/ka/vmlinuz-a" --kernel "$TMP/kb/vmlinuz-b" "$TMP/plain.yaml"
expect_rc 0 "two kernels"
expect_eq "$out" "plain/tiny-1llc/default@vmlinuz-a
plain/tiny-1llc/default@vmlinuz-b
plain/tiny-2llc/default@vmlinuz-a
plain/tiny-2llc/default@vmlinuz-b" "variants x kernels, kernel-minor"
crossed=$out
run "$KTSTR" gauntlet --list --json --host-cpus 4 --kernel "$TMP/ka/vmlinuz-a" --kernel "$TMP/kb/vmlinuz-b" "$TMP/plain.yaml"
expect_out '"name":"plain/tiny-1llc/default@vmlinuz-b".*"kernel":"vmlinuz-b"' "JSON names the kernel"
: >"$TMP/kunion"
for k in 1 2 3; do
	run "$KTSTR" gauntlet --list --host-cpus 4 --shard "$k/3" --kernel "$TMP/ka/vmlinuz-a" --kernel "$TMP/kb/vmlinuz-b" "$TMP/plain.yaml"
	[ -n "$out" ] && printf '%s\n' "$out" >>"$TMP/kunion"
done
expect_eq "$(sort "$TMP/kunion")" "$(sort <<<"$crossed")" "shards of the crossed list cover it once"
run "$KTSTR" gauntlet --list --host-cpus 4 --kernel "$TMP/ka/vmlinuz-a" "$TMP/plain.yaml"
expect_eq "$out" "plain/tiny-1llc/default
plain/tiny-2llc/default" "one kernel: no suffix"
run "$KTSTR" gauntlet --list --kernel "$TMP/ka/vmlinuz-a" --kernel "$TMP/ka/vmlinuz-a" "$TMP/plain.yaml"
expect_rc 2 "the same kernel twice"
expect_err "same kernel" "the same kernel twice is named"
run "$KTSTR" gauntlet --list --kernel "$TMP/ka/vmlinuz-a" --kernel "$TMP/nope" "$TMP/plain.yaml"
expect_rc 2 "a missing kernel"
expect_err "nope" "the missing kernel is named"

# --- --budget: deterministic, within the budget, everything when large
run "$KTSTR" gauntlet --list --overcommit --jobs 1 "$TMP/flagged.yaml"
all=$out
run "$KTSTR" gauntlet --list --overcommit --jobs 1 --budget 100 "$TMP/flagged.yaml"
expect_rc 0 "--budget 100"
sel=$out
expect_err "^ktstr budget: [0-9]+/720 variants, [0-9]+/100 s estimated, [0-9]+/[0-9]+ configurations covered$" "budget line"
n=$(grep -c . <<<"$sel")
used=$(sed -nE 's/^ktstr budget: [0-9]+\/720 variants, ([0-9]+)\/100 s.*/\1/p' <<<"$err")
checks=$((checks + 1))
[ "$n" -ge 1 ] && [ "$n" -lt 720 ] && [ "${used:-999}" -le 100 ] || fail "--budget 100 keeps a few variants within 100 s ($n, ${used:-?} s)"
expect_eq "$(grep -cvxF -f <(printf '%s\n' "$all") <<<"$sel")" 0 "the selection comes from the list"
expect_eq "$sel" "$(grep -xF -f <(printf '%s\n' "$sel") <<<"$all")" "the selection keeps list order"
run "$KTSTR" gauntlet --list --overcommit --jobs 1 --budget 100 "$TMP/flagged.yaml"
expect_eq "$out" "$sel" "the selection is deterministic"
# 10 s per variant is at least 2 s + 8 s TCG boot: 2 jobs double the capacity
run "$KTSTR" gauntlet --list --overcommit --jobs 2 --budget 100 "$TMP/flagged.yaml"
n2=$(grep -c . <<<"$out")
checks=$((checks + 1))
[ "$n2" -gt "$n" ] || fail "--jobs 2 fits more variants in the same budget ($n2 vs $n)"
run "$KTSTR" gauntlet --list --overcommit --jobs 1 --budget 600m "$TMP/flagged.yaml"
expect_eq "$out" "$all" "a large budget keeps everything"
expect_err "720/720 variants, .* ([0-9]+)/\1 configurations covered" "and covers every configuration"
run "$KTSTR" gauntlet --list --overcommit --budget 1 "$TMP/plain.yaml"
expect_rc 0 "a budget too small for any variant"
expect_eq "$out" "" "nothing fits 1 s"
run "$KTSTR" gauntlet --list --budget soon "$TMP/plain.yaml"
expect_rc 2 "--budget garbage"
expect_err "--budget soon" "bad budget named"

# --- running: usage errors before any VM; an empty gauntlet is an error, found before any kernel
run "$KTSTR" gauntlet --json "$TMP/plain.yaml" "$TMP/flagged.yaml"
expect_rc 2 "--json given a scenario file"
expect_err "looks like a scenario file" "--json FILE.yaml is refused"
run "$KTSTR" gauntlet --jobs x "$TMP/plain.yaml"
expect_rc 2 "--jobs garbage"
mkdir -p "$TMP/nocache"
run env KTSTR_CACHE_DIR="$TMP/nocache" KTSTR_KERNEL= "$KTSTR" gauntlet --host-cpus 1 --junit "$TMP/empty.xml" "$TMP/plain.yaml"
expect_rc 2 "a gauntlet that would run nothing is an error, not a green run"
expect_eq "$out" "" "no summary line that could pass for a result"
expect_err "dropped" "it says why it is empty"
expect_err "^ktstr gauntlet: nothing to run: every variant was dropped for this host; --overcommit runs them here$" \
	"and how to make it run"
checks=$((checks + 1))
[ ! -e "$TMP/empty.xml" ] || fail "a JUnit file that reports an empty gauntlet as a run"
run env KTSTR_CACHE_DIR="$TMP/nocache" KTSTR_KERNEL= "$KTSTR" gauntlet --presets nosuch "$TMP/plain.yaml"
expect_rc 2 "nothing left after --presets: an error too"
run env KTSTR_CACHE_DIR="$TMP/nocache" KTSTR_KERNEL= "$KTSTR" gauntlet --host-cpus 4 --kernel "$TMP/nope" "$TMP/plain.yaml"
expect_rc 2 "running without a kernel is a setup error"

# --- a kernel whose .config lacks sched_ext: variants of a sched_ext
# scheduler are skipped, with the reason, and no VM boots
mkdir -p "$TMP/noscx"
mkimage "$TMP/noscx/bzImage"
printf '# fake\nCONFIG_BPF=y\n# CONFIG_SCHED_CLASS_EXT is not set\n' >"$TMP/noscx/.config"
run "$KTSTR" gauntlet --host-cpus 4 --flags llc --kernel "$TMP/noscx/bzImage" --jobs 2 "$TMP/flagged.yaml"
expect_rc 0 "skips are not failures"
expect_out "^SKIP \[ +0\.00s\] flagged/tiny-1llc/llc \(kernel bzImage has no sched_ext \(CONFIG_SCHED_CLASS_EXT\) for scx-six\)$" "SKIP line and reason"
expect_out "^0 passed, 0 failed, 2 skipped$" "summary counts the skips"
expect_eq "$(grep -c '^SKIP ' <<<"$out")" 2 "one SKIP line per variant"
expect_err "every variant was skipped" "an all-skipped run says so"
run env KTSTR_QEMU="$TMP/no-qemu" "$KTSTR" gauntlet --host-cpus 4 --kernel "$TMP/noscx/bzImage" "$TMP/plain.yaml"
expect_rc 2 "no qemu is a setup error, not a skip"
expect_err "no-qemu not found" "the missing qemu is named"

# --- ktstr list
run "$KTSTR" list --overcommit "$TMP/plain.yaml" "$TMP/flagged.yaml"
expect_rc 0 "list"
expect_out "^flagged +1n1l2c1t +scx-six +720 variants" "list line for flagged"
expect_out "^plain +1n1l2c1t +eevdf +15 variants +one eevdf scenario" "list line for plain"

run "$KTSTR" list --json --overcommit "$TMP/flagged.yaml"
expect_rc 0 "list --json"
checks=$((checks + 1))
python3 -c '
import json, sys
v = json.loads(sys.stdin.read())
assert v["name"] == "flagged" and v["variants"] == 720 and len(v["profiles"]) == 48, v
assert v["profiles"][0] == "default", v' <<<"$out" || fail "list --json fields"

run "$KTSTR" list "$TMP/nope.yaml"
expect_rc 1 "list of a missing file"

# --- the expansion is counted before it is made, and capped (#16)
python3 -c "
fl = ', '.join('{name: f%d, args: [--f%d]}' % (i, i) for i in range(1, 17))
print('name: big\\ncgroups: [{name: cg0}]\\ngauntlet: {presets: all}\\nscheduler:')
print('  name: s16\\n  binary: s16\\n  flags: [%s]' % fl)" >"$TMP/big.yaml"
for c in list "gauntlet --list"; do
	run "$KTSTR" $c --overcommit "$TMP/big.yaml"
	expect_rc 2 "$c: 16 flags over all presets is refused"
	expect_err "the gauntlet expands to [0-9]{6,} variants, more than the limit of 100000 \('big' alone gives [0-9]+\); narrow it with --presets or --flags, or raise the limit with --max-variants N$" \
		"$c: the count, the limit and the way out"
done
run "$KTSTR" gauntlet --list --overcommit --max-variants 720 "$TMP/flagged.yaml"
expect_rc 0 "--max-variants at the exact count"
expect_eq "$(wc -l <<<"$out")" 720 "all 720 listed"
run "$KTSTR" gauntlet --list --overcommit --max-variants 719 "$TMP/flagged.yaml"
expect_rc 2 "one over the raised limit"
expect_err "expands to 720 variants, more than the limit of 719" "the raised limit is the one named"
run "$KTSTR" gauntlet --list --max-variants 0 "$TMP/flagged.yaml"
expect_rc 2 "--max-variants 0 is a usage error"

finish
