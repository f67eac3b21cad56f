#!/usr/bin/env bash
# ktstr gauntlet end to end under QEMU/TCG with the cached kernel: two
# scenarios x two presets run as --shard 1/2 and 2/2 with --jobs 2 must
# cover the --list output exactly once, with summaries that add up; a
# failing variant exits 1 with its FAIL line and report; a variant that
# needs a missing program is a SKIP; the progress line on a terminal; and
# SIGINT stops everything and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
E=$KTSTR_SRCDIR/tests/e2e

need_kernel
files=("$E/gauntlet_a.yaml" "$E/gauntlet_b.yaml")
# This host may have fewer CPUs than the tiny presets: lift the host filter.
common=(--overcommit --presets tiny-1llc,tiny-2llc)

# summary_ok: the "N passed, N failed, N skipped" line adds up to the
# PASS/FAIL/SKIP lines of $out, and to $1 variants.
summary_ok() {
	local line p f s lines
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' <<<"$out")
	checks=$((checks + 1))
	if [ -z "$line" ]; then
		fail "$2: no summary line"
		return
	fi
	read -r p _ f _ s _ <<<"${line//,/}"
	lines=$(grep -cE '^(PASS|FAIL|SKIP) \[ *[0-9.]+s\] ' <<<"$out")
	expect_eq "$((p + f + s))" "$lines" "$2: summary counts the variant lines"
	expect_eq "$((p + f + s))" "$1" "$2: summary counts every variant"
	expect_eq "$(grep -c '^PASS ' <<<"$out")" "$p" "$2: passed count"
	expect_eq "$(grep -c '^FAIL ' <<<"$out")" "$f" "$2: failed count"
}

# --- the full list, then its two shards run for real
run "$KTSTR" gauntlet --list "${common[@]}" "${files[@]}"
expect_rc 0 "--list"
full=$out
expect_eq "$(wc -l <<<"$full")" 4 "2 scenarios x 2 presets"

: >"$TMP/union"
start=$SECONDS
for k in 1 2; do
	run "$KTSTR" gauntlet --list "${common[@]}" --shard "$k/2" "${files[@]}"
	shard_list=$out
	run "$KTSTR" gauntlet "${QEMU_TCG[@]}" "${common[@]}" --shard "$k/2" --jobs 2 "${files[@]}"
	expect_rc 0 "shard $k/2 passes"
	summary_ok 2 "shard $k/2"
	expect_out "^2 passed, 0 failed, 0 skipped$" "shard $k/2: both variants passed"
	names=$(sed -nE 's/^(PASS|FAIL|SKIP) \[ *[0-9.]+s\] ([^ ]+).*$/\2/p' <<<"$out")
	expect_eq "$(sort <<<"$names")" "$(sort <<<"$shard_list")" "shard $k/2 ran what --list --shard names"
	printf '%s\n' "$names" >>"$TMP/union"
done
echo "two shards of 2 variants: $((SECONDS - start)) s"
expect_eq "$(sort "$TMP/union")" "$(sort <<<"$full")" "shards 1/2 and 2/2 cover the list exactly once"

# --- a failing variant: FAIL line, its report, exit 1
run "$KTSTR" gauntlet "${QEMU_TCG[@]}" --overcommit "$E/gauntlet_fail.yaml"
expect_rc 1 "a failing variant exits 1"
expect_out "^FAIL \[ *[0-9.]+s\] e2e_gauntlet_fail/tiny-1llc/default$" "FAIL line"
expect_out "^  unfair cgroup cg0: spread=" "the reason follows"
expect_out "^--- stats ---$" "the report follows"
summary_ok 1 "failing run"
expect_out "^0 passed, 1 failed, 0 skipped$" "summary counts the failure"

# --- a variant that needs a program this host lacks is skipped, not failed
run "$KTSTR" gauntlet "${QEMU_TCG[@]}" --overcommit "$E/gauntlet_skip.yaml"
expect_rc 0 "a skip is not a failure"
expect_out "^SKIP \[ *0\.00s\] e2e_gauntlet_skip/tiny-1llc/default \(.*ktstr-e2e-no-such-program.*\)$" \
	"SKIP line with the reason"
expect_out "^0 passed, 0 failed, 1 skipped$" "summary counts the skip"

# --- no file is written through a symbolic link planted where ktstr writes (#16)
mkdir -p "$TMP/links/res/e2e_gauntlet_skip.tiny-1llc.default" "$TMP/links/victim"
echo precious >"$TMP/links/victim/f"
ln -s "$TMP/links/victim/f" "$TMP/links/res/e2e_gauntlet_skip.tiny-1llc.default/report.txt"
run "$KTSTR" gauntlet "${QEMU_TCG[@]}" --overcommit --results-dir "$TMP/links/res" "$E/gauntlet_skip.yaml"
expect_rc 2 "a results file that is a link: the run is not green"
expect_err "report.txt: a symbolic link: ktstr writes no file through one" "the link is named"
expect_err "^ktstr gauntlet: 1 variant's --results-dir could not be written \(see above\)$" "and counted"
rm -r "$TMP/links/res/e2e_gauntlet_skip.tiny-1llc.default"
ln -s "$TMP/links/victim" "$TMP/links/res/e2e_gauntlet_skip.tiny-1llc.default"
run "$KTSTR" gauntlet "${QEMU_TCG[@]}" --overcommit --results-dir "$TMP/links/res" "$E/gauntlet_skip.yaml"
expect_rc 2 "a variant directory that is a link"
expect_err "e2e_gauntlet_skip.tiny-1llc.default: it exists and is not a directory \(or is a symbolic link to one\)$" "refused"
for o in --json --junit; do
	ln -sf "$TMP/links/victim/f" "$TMP/links/out"
	run "$KTSTR" gauntlet "${QEMU_TCG[@]}" --overcommit $o "$TMP/links/out" "$E/gauntlet_skip.yaml"
	expect_rc 2 "$o through a link"
	expect_err "^ktstr gauntlet: $o .*/links/out: a symbolic link: ktstr writes no file through one" "$o: refused"
done
run "$KTSTR" gauntlet "${QEMU_TCG[@]}" --overcommit --json "$TMP/links/ok.json" "$E/gauntlet_skip.yaml"
expect_rc 0 "the same with plain paths"
expect_eq "$(ls -A "$TMP/links" | grep -c 'ktstr-.*\.tmp$')" 0 "the JSON was renamed into place, no temporary left"
checks=$((checks + 1))
grep -q '"verdict":"skip"' "$TMP/links/ok.json" || fail "the JSON line is in the named file"
"$KTSTR" gauntlet "${QEMU_TCG[@]}" --overcommit "$E/gauntlet_skip.yaml" >/dev/full 2>"$TMP/full.err"
rc=$? out="" err=$(cat "$TMP/full.err")
expect_rc 2 "results that could not be printed (stdout on a full disk) are no green run"
expect_err "^ktstr gauntlet: writing to standard output failed: No space left on device$" "it says so"
expect_eq "$(cat "$TMP/links/victim/f")" "precious" "the file behind the links is untouched"
expect_eq "$(ls "$TMP/links/victim")" "f" "and nothing was created beside it"

# --- on a terminal: the progress line, with the FAIL line above it
checks=$((checks + 1))
if ! command -v script >/dev/null; then
	fail "script(1) is missing (Debian's bsdutils): the terminal case cannot be checked"
else
	script -qec "'$KTSTR' gauntlet --vmm qemu --accel tcg --overcommit '$E/gauntlet_fail.yaml'" /dev/null \
		>"$TMP/tty.out" 2>&1 </dev/null
	rc=$?
	# Each redraw starts with CR and ends erasing the line: one line each here.
	out=$(tr '\r' '\n' <"$TMP/tty.out" | sed 's/\x1b\[K//g') err=""
	expect_rc 1 "on a terminal: exit 1"
	expect_out "^\[0/1\] 0 failed, 0 skipped, 1 running, [0-9]+:[0-9]{2} elapsed, ~[0-9]+:[0-9]{2} left" \
		"progress line before the result"
	expect_out "^FAIL \[ *[0-9.]+s\] e2e_gauntlet_fail/tiny-1llc/default$" "FAIL line on a terminal"
	expect_out "^\[1/1\] 1 failed, 0 skipped, 0 running, " "progress counts the failure"
	expect_out "^0 passed, 1 failed, 0 skipped$" "summary on a terminal"
fi

# --- SIGINT: no new variant starts, running VMs die, nothing is left behind
"$KTSTR" gauntlet "${QEMU_TCG[@]}" --overcommit --presets tiny-1llc,tiny-2llc,odd-3llc --jobs 2 "$E/long.yaml" \
	>"$TMP/int.out" 2>"$TMP/int.err" &
pid=$!
# Both VMs start at once; 60 s covers a boot on a busy host many times over.
for _ in $(seq 1 300); do
	[ "$(pgrep -c -f "qemu-system-x86_64.*$TMPDIR")" -ge 2 ] && break
	sleep 0.2
done
expect_eq "$(pgrep -c -f "qemu-system-x86_64.*$TMPDIR")" 2 "--jobs 2 runs two VMs at once"
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
out=$(cat "$TMP/int.out") err=$(cat "$TMP/int.err")
expect_rc 130 "SIGINT exits 130"
expect_err "stopped by SIGINT: 0 of 3 variants finished" "says what finished"
expect_out "^0 passed, 0 failed, 0 skipped$" "summary of what finished"

sleep 0.5
expect_eq "$(pgrep -c -f "qemu-system-x86_64.*$TMPDIR" || true)" "0" "no qemu left running"
expect_eq "$(ls -A "$TMPDIR")" "" "no temporary files left"

finish
