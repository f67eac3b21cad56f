#!/usr/bin/env bash
# ktstr gauntlet --list and ktstr list: expansion counts, the stable order,
# sharding that covers every variant exactly once, filters and JSON output.
. "$(dirname "$0")/lib.sh"
S=$KTSTR_SRCDIR/scenarios

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
names=$(python3 -c '
import json, sys
for line in sys.stdin:
    v = json.loads(line)
    assert v["name"] == "/".join([v["scenario"], v["preset"], v["profile"]]), v
    assert isinstance(v["flags"], list) and isinstance(v["cpus"], int), v
    print(v["name"])' <<<"$out")
checks=$((checks + 1))
[ $? -eq 0 ] || fail "--json lines parse"
run "$KTSTR" gauntlet --list --overcommit "$TMP/plain.yaml" "$TMP/flagged.yaml"
expect_eq "$names" "$out" "JSON names equal the text list"

# --- ktstr list
run "$KTSTR" list --overcommit "$TMP/plain.yaml" "$TMP/flagged.yaml"
expect_rc 0 "list"
expect_out "^flagged +1n1l2c1t +scx-six +720 variants" "list line for flagged"
expect_out "^plain +1n1l2c1t +eevdf +15 variants +one eevdf scenario" "list line for plain"

run "$KTSTR" list --json --overcommit "$TMP/flagged.yaml"
expect_rc 0 "list --json"
python3 -c '
import json, sys
v = json.loads(sys.stdin.read())
assert v["name"] == "flagged" and v["variants"] == 720 and len(v["profiles"]) == 48, v
assert v["profiles"][0] == "default", v' <<<"$out"
checks=$((checks + 1))
[ $? -eq 0 ] || fail "list --json fields"

run "$KTSTR" list "$TMP/nope.yaml"
expect_rc 1 "list of a missing file"

finish
