#!/usr/bin/env bash
# The catalog's smoke run (issue #18): every catalog scenario once, on one
# small preset under QEMU/TCG with the tcg thresholds and a short duration,
# under one scheduler ($1 or CATALOG_SCHEDULER, default eevdf, the kernel's
# own; scx-ktstr or scx_simple from scenarios/schedulers/ work too; $2 or
# CATALOG_SCHEDULER_FILE: a definitions file). Every result must be PASS, or
# SKIP for what the scenario requires; the table of results is printed.
#   CATALOG_PRESET (tiny-2llc), CATALOG_DURATION (2s), CATALOG_SHARD (K/N),
#   CATALOG_SKIP_CATEGORIES (e.g. "stall": left out, and said so),
#   CATALOG_SECOND_PASS (1: scenarios that skip for their size on the
#   preset run once on their own topology; 0: not).
. "$(dirname "$0")/lib.sh"
need_kernel
S=$KTSTR_SRCDIR/scenarios
sched=${1:-${CATALOG_SCHEDULER:-eevdf}}
preset=${CATALOG_PRESET:-tiny-2llc}
dur=${CATALOG_DURATION:-2s}
dirs=()
for d in "$S"/*/; do
	c=$(basename "$d")
	case " schedulers examples ${CATALOG_SKIP_CATEGORIES:-} " in
	*" $c "*) echo "left out: $c/"; continue ;;
	esac
	dirs+=("$d")
done
shard=()
[ -n "${CATALOG_SHARD:-}" ] && shard=(--shard "$CATALOG_SHARD")
sfile=()
sched_file=${2:-${CATALOG_SCHEDULER_FILE:-}}
[ -n "$sched_file" ] && sfile=(--schedulers "$sched_file")
# --flags required: each scenario once, with exactly the flags it requires.
opts=(--scheduler "$sched" "${sfile[@]}" --presets "$preset" --flags required --overcommit
	"${shard[@]}")

run "$KTSTR" gauntlet --list "${opts[@]}" "${dirs[@]}"
expect_rc 0 "--list"
n=$(grep -c . <<<"$out")
nfiles=0
for d in "${dirs[@]}"; do
	nfiles=$((nfiles + $(cat "$d"*.yaml | grep -c '^name:')))
done
[ -z "${CATALOG_SHARD:-}" ] && expect_eq "$n" "$nfiles" "one variant per catalog scenario"
echo "$n variants under $sched on $preset, $dur each"

t0=$SECONDS
run "$KTSTR" gauntlet "${QEMU_TCG[@]}" "${opts[@]}" --thresholds tcg --duration "$dur" \
	--json "$TMP/catalog.jsonl" "${dirs[@]}"
echo "all variants: $((SECONDS - t0)) s"
# The table: scenario, verdict, and the reason of every SKIP or FAIL.
/usr/bin/python3 - "$TMP/catalog.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    why = o.get("skip_reason") or "; ".join(o.get("reasons") or [])
    print("%-44s %-4s %s" % (o["scenario"], o["verdict"].upper(), why))
PY
expect_rc 0 "every catalog scenario passes or skips under $sched"
expect_out "^[0-9]+ passed, 0 failed, [0-9]+ skipped$" "the summary counts no failure"
checks=$((checks + 1))
# A skip is the scenario's own: what it requires, or a flag the scheduler
# lacks. A scheduler binary or program not found here is a broken setup.
bad=$(grep -v '"verdict":"pass"' "$TMP/catalog.jsonl" |
	grep -Ev '"verdict":"skip".*"skip_reason":"(needs |scheduler [^ ]+ has no flag )' | head -3)
[ -z "$bad" ] || fail "a result neither PASS nor SKIP for what the scenario requires: $bad"
expect_eq "$(grep -c . "$TMP/catalog.jsonl")" "$n" "one JSON line per variant"

# Second pass: what skipped for want of CPUs, LLCs or nodes on the small
# preset runs once on its own topology (the smallest that hosts it, as its
# file says), so that no catalog scenario goes unrun for its size alone.
big=()
while read -r name; do
	for d in "${dirs[@]}"; do
		[ -f "$d$name.yaml" ] && big+=("$d$name.yaml")
	done
done < <(grep '"skip_reason":"needs >= ' "$TMP/catalog.jsonl" | sed -E 's/.*"scenario":"([^"]+)".*/\1/')
if [ "${#big[@]}" -gt 0 ] && [ "${CATALOG_SECOND_PASS:-1}" = 1 ]; then
	t0=$SECONDS
	run "$KTSTR" run "${QEMU_TCG[@]}" --scheduler "$sched" "${sfile[@]}" --thresholds tcg \
		--duration "$dur" --json "$TMP/own.jsonl" "${big[@]}"
	echo "${#big[@]} on their own topology: $((SECONDS - t0)) s"
	/usr/bin/python3 - "$TMP/own.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    why = o.get("skip_reason") or "; ".join(o.get("reasons") or [])
    print("%-44s %-4s [%s] %s" % (o["scenario"], o["verdict"].upper(), o["topology"], why))
PY
	expect_rc 0 "the scenarios too big for $preset pass (or skip) on their own topology"
	checks=$((checks + 1))
	bad=$(grep -v '"verdict":"pass"' "$TMP/own.jsonl" |
		grep -Ev '"verdict":"skip".*"skip_reason":"(needs |scheduler [^ ]+ has no flag )' | head -3)
	[ -z "$bad" ] || fail "on its own topology, a result neither PASS nor SKIP for what it requires: $bad"
fi
finish
