#!/usr/bin/env bash
# Fuzz one libFuzzer target for a bounded time from seed corpora.
# usage: run-fuzz.sh FUZZER DICT SEED_DIR...   (KTSTR_FUZZ_SECONDS, default 60)
set -euo pipefail
fuzzer=$1 dict=$2
shift 2
secs=${KTSTR_FUZZ_SECONDS:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
cd "$work"	# crash-* artefacts land here; printed below on failure
if ! "$fuzzer" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
	-print_final_stats=1 -dict="$dict" "$work/corpus" "$@" 2>"$work/log"; then
	tail -n 60 "$work/log"
	for c in "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$work"/oom-*; do
		[ -e "$c" ] && { echo "--- reproducer $c (base64) ---"; base64 "$c" | head -n 40; }
	done
	exit 1
fi
grep -E '^stat::number_of_executed_units|^Done' "$work/log" || tail -n 3 "$work/log"
