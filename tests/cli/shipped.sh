#!/usr/bin/env bash
# Every shipped scenario (scenarios/examples/*.yaml) on every topology preset it
# accepts, on EEVDF under QEMU/TCG (issue #14): `ktstr gauntlet --overcommit`
# must pass every variant, with the tcg thresholds and the scenarios' own
# limits (gauntlet_steady's hardware_only wake latency is reported, not
# failed). SHIPPED_SHARD=K/N runs one shard of the list (default: all of
# it). Prints each variant's line and how long the whole took.
. "$(dirname "$0")/lib.sh"
need_kernel
files=("$KTSTR_SRCDIR"/scenarios/examples/*.yaml)
shard=()
[ -n "${SHIPPED_SHARD:-}" ] && shard=(--shard "$SHIPPED_SHARD")

run "$KTSTR" gauntlet --list --overcommit "${shard[@]}" "${files[@]}"
expect_rc 0 "--list"
n=$(grep -c . <<<"$out")
echo "$n variants${SHIPPED_SHARD:+ (shard $SHIPPED_SHARD)}"

t0=$SECONDS
run "$KTSTR" gauntlet "${QEMU_TCG[@]}" --overcommit "${shard[@]}" --json "$TMP/shipped.jsonl" "${files[@]}"
printf '%s\n' "$out" | grep -E '^(PASS|FAIL|SKIP|  waived|  [a-z])' | head -200
echo "all variants: $((SECONDS - t0)) s"
expect_rc 0 "every shipped scenario passes on every preset it accepts"
expect_out "^$n passed, 0 failed, 0 skipped$" "the summary counts every variant as passed"
checks=$((checks + 1))
[ "$(grep -c '"verdict": *"pass"' "$TMP/shipped.jsonl" 2>/dev/null)" = "$n" ] ||
	fail "the JSON lines say pass for every variant"
finish
