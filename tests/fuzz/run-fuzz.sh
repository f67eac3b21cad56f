#!/usr/bin/env bash
# Fuzz one libFuzzer target for a bounded time from its kept corpus and seeds.
# usage: run-fuzz.sh NAME FUZZER DICT SEED...   (DICT '' for none; a SEED is a
# file or a directory, read recursively; KTSTR_FUZZ_SECONDS, default 30)
#
# The corpus is kept between runs in ktstr's cache directory (the rule of
# lib/kernel/kernel_cache.c: $KTSTR_CACHE_DIR, else $XDG_CACHE_HOME/ktstr
# when absolute, else ~/.cache/ktstr), in fuzz/NAME/: libFuzzer reads it first
# and writes each new find into it, so every run starts where the last ended.
# A lock (flock) keeps two runs of one target from sharing it; a run that
# fails leaves it as it is. Past KTSTR_FUZZ_CORPUS_MAX files (4000) it is
# minimized (-merge=1) into a new directory that then replaces it.
set -euo pipefail
name=$1 fuzzer=$(realpath "$2") dict=${3:+$(realpath "$3")}
shift 3
seeds=()
for s in "$@"; do seeds+=("$(realpath "$s")"); done	# it runs in a temporary directory
secs=${KTSTR_FUZZ_SECONDS:-30}
corpus_max=${KTSTR_FUZZ_CORPUS_MAX:-4000}

cache_root() {
	local xdg=${XDG_CACHE_HOME:-}

	if [ -n "${KTSTR_CACHE_DIR:-}" ]; then
		printf '%s\n' "$KTSTR_CACHE_DIR"
	elif [ "${xdg#/}" != "$xdg" ]; then	# the XDG spec ignores relative paths
		printf '%s/ktstr\n' "$xdg"
	else
		local home=${HOME:-}
		[ -n "$home" ] || home=$(getent passwd "$(id -u)" | cut -d: -f6)
		[ -n "$home" ] && printf '%s/.cache/ktstr\n' "$home"
	fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus=$work/corpus
root=$(cache_root || true)
if [ -n "$root" ] && mkdir -p "$root/fuzz" 2>/dev/null &&
	{ exec 9>"$root/fuzz/$name.lock"; } 2>/dev/null; then
	# Another run of this target holds it: wait for it, at most its length.
	if flock -w $((secs + 120)) 9; then
		corpus=$root/fuzz/$name
		# A minimization cut short between its two renames.
		[ ! -d "$corpus" ] && [ -d "$corpus.old" ] && mv "$corpus.old" "$corpus"
	else
		echo "corpus $root/fuzz/$name busy: fuzzing from the seeds alone"
	fi
fi
mkdir -p "$corpus"

args=(-max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1)
[ -n "$dict" ] && args+=(-dict="$dict")
cd "$work"	# crash-* artefacts land here; printed below on failure
if ! "$fuzzer" "${args[@]}" "$corpus" "${seeds[@]}" 2>"$work/log"; then
	tail -n 60 "$work/log"
	for c in "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$work"/oom-*; do
		[ -e "$c" ] && { echo "--- reproducer $c (base64) ---"; base64 "$c" | head -n 40; }
	done
	exit 1
fi
grep -E '^stat::number_of_executed_units|^Done' "$work/log" || tail -n 3 "$work/log"

count() { find "$1" -maxdepth 1 -type f | wc -l; }
n=$(count "$corpus")
if [ "$corpus" != "$work/corpus" ] && [ "$n" -gt "$corpus_max" ]; then
	# Keep what covers the same: merge into a new directory, then swap.
	rm -rf "$corpus.new" && mkdir "$corpus.new"
	if "$fuzzer" -merge=1 -rss_limit_mb=2048 -timeout=10 "$corpus.new" "$corpus" \
		>"$work/merge.log" 2>&1 && [ "$(count "$corpus.new")" -gt 0 ]; then
		rm -rf "$corpus.old" && mv "$corpus" "$corpus.old" && mv "$corpus.new" "$corpus" &&
			rm -rf "$corpus.old"
		echo "corpus minimized: $n -> $(count "$corpus") files"
		n=$(count "$corpus")
	else
		rm -rf "$corpus.new"
	fi
fi
if [ "$corpus" = "$work/corpus" ]; then
	echo "corpus: $n files (not kept)"
else
	echo "corpus: $n files in $corpus"
fi
