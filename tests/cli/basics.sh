#!/usr/bin/env bash
# The command-line surface: help, version, unknown commands and options.
. "$(dirname "$0")/lib.sh"

run "$KTSTR" --help
expect_rc 0 "--help"
for c in run check list gauntlet doctor topo verifier shell help; do
	expect_out "^  $c " "--help lists $c"
done

run "$KTSTR"
expect_rc 2 "no arguments"
expect_err "usage: ktstr" "no arguments prints usage"

version=$(sed -n "s/^  version: '\(.*\)',/\1/p" "$KTSTR_SRCDIR/meson.build")
run "$KTSTR" --version
expect_rc 0 "--version"
expect_eq "$out" "ktstr $version" "--version prints the project version"

for c in check list gauntlet doctor topo verifier shell; do
	run "$KTSTR" help "$c"
	expect_rc 0 "help $c"
	expect_out "^usage: ktstr $c" "help $c shows usage"
	help_text=$out
	run "$KTSTR" "$c" --help
	expect_rc 0 "$c --help"
	expect_eq "$out" "$help_text" "$c --help equals help $c"
done

run "$KTSTR" chek x.yaml
expect_rc 2 "unknown command"
expect_err "no command 'chek'; did you mean 'check'\?" "did-you-mean for commands"

run "$KTSTR" help nosuch
expect_rc 2 "help of an unknown command"

run "$KTSTR" check --bogus x.yaml
expect_rc 2 "unknown option"
expect_err "ktstr check: unknown option '--bogus'" "unknown option is named"

run "$KTSTR" check --schedulers
expect_rc 2 "option without its value"
expect_err "option '--schedulers' needs a value" "missing value is named"

run "$KTSTR" run --vmm bogus x.yaml
expect_rc 2 "run --vmm bogus"
expect_err "ktstr run: --vmm takes qemu, kvm or auto" "--vmm names its choices"

# --vmm kvm is accepted (the run then stops at the missing scenario file).
run "$KTSTR" run --vmm kvm "$TMP/nonexistent.yaml"
expect_rc 1 "run --vmm kvm gets past option parsing"
! grep -q -- "--vmm" <<<"$err" || fail "--vmm kvm is refused: $err"

# --tcg-threads (run and gauntlet): three words, anything else is a usage error.
for cmd in run gauntlet; do
	run "$KTSTR" $cmd --tcg-threads both x.yaml
	expect_rc 2 "$cmd --tcg-threads both"
	expect_err "^ktstr $cmd: --tcg-threads takes single, multi or auto$" \
		"$cmd --tcg-threads names its choices"
done
for t in single multi auto; do
	run "$KTSTR" run --tcg-threads $t "$TMP/nonexistent.yaml"
	expect_rc 1 "run --tcg-threads $t gets past option parsing"
	! grep -q -- "--tcg-threads" <<<"$err" || fail "--tcg-threads $t is refused: $err"
done

run "$KTSTR" check
expect_rc 2 "check without files"
expect_err "no scenario files given" "check without files says so"

run "$KTSTR" gauntlet "$KTSTR_SRCDIR/scenarios/examples/two_cgroups.yaml" --jobs 0
expect_rc 2 "gauntlet --jobs 0"
expect_err "--jobs" "gauntlet --jobs 0 names the option"

# --- the man pages render without warnings, carry the version, and document
# every option that --help shows
for page in ktstr.1 ktstr-scenario.5 ktstr-internals.7; do
	run env MANWIDTH=80 man --warnings -l "$KTSTR_SRCDIR/man/$page"
	expect_rc 0 "man -l $page"
	expect_eq "$err" "" "man $page renders without warnings"
	expect_out "ktstr $version" "man $page carries version $version"
done
run env MANWIDTH=200 man -l "$KTSTR_SRCDIR/man/ktstr.1"
manpage=$out
for c in run check list gauntlet doctor topo verifier shell; do
	for opt in $("$KTSTR" "$c" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
		checks=$((checks + 1))
		grep -qF -- "$opt" <<<"$manpage" || fail "ktstr.1 does not document $c $opt"
	done
done

# --- durations: bounded (a day), each parse error says what is wrong (#16)
printf 'name: x\ntopology: 1n1l2c1t\nduration: 4294908s\ncgroups:\n  - {name: a, work: cpu-spin}\n' >"$TMP/long_dur.yaml"
run "$KTSTR" check "$TMP/long_dur.yaml"
expect_rc 1 "a duration whose VM timeout once wrapped"
expect_err ":3:11: duration '4294908s' is too long: at most a day \(86400s\)$" "named with file, line and the limit"
run "$KTSTR" run --duration 1x "$TMP/long_dur.yaml"
expect_rc 2 "--duration garbage"
expect_err "^ktstr run: --duration: bad duration '1x': unknown unit 'x'" "the parse error, not 'must be > 0'"
run "$KTSTR" run --duration 0s "$TMP/long_dur.yaml"
expect_err "^ktstr run: --duration: must be greater than 0$" "zero is refused for what it is"
for b in inf 1e999 0x10 100000; do
	run "$KTSTR" gauntlet --list --budget "$b" "$TMP/long_dur.yaml"
	expect_rc 2 "--budget $b is refused"
	expect_err "^ktstr gauntlet: --budget $b: .*; give seconds \(600\) or a duration \(10m\)$" "--budget $b: why"
done

# --- a FIFO where a file is read: refused at once, never waited on (#16)
mkdir -p "$TMP/fifo/schedulers" "$TMP/fifo/cache/kernels/6.12.1-x-x86_64-kabc"
mkfifo "$TMP/fifo/f.yaml" "$TMP/fifo/schedulers/foo.yaml" \
	"$TMP/fifo/cache/kernels/6.12.1-x-x86_64-kabc/metadata.json"
printf 'name: s\ntopology: 1n1l2c1t\nduration: 1s\nscheduler: foo\ncgroups:\n  - {name: a}\n' \
	>"$TMP/fifo/s.yaml"
fifo_msg="not a regular file \(a FIFO, socket or device\)"
for c in check list "gauntlet --list"; do
	run timeout 20 "$KTSTR" $c "$TMP/fifo/f.yaml"
	expect_rc 1 "$c of a FIFO fails at once (124 would be a hang)"
	expect_err "f.yaml: cannot read scenario file: $fifo_msg$" "$c says why"
done
run timeout 20 "$KTSTR" check "$TMP/fifo/s.yaml"
expect_rc 1 "a FIFO as the scheduler file found beside a scenario"
expect_err "schedulers/foo.yaml: cannot read scheduler file: $fifo_msg$" "named"
run timeout 20 "$KTSTR" run --schedulers "$TMP/fifo/f.yaml" "$TMP/fifo/s.yaml"
expect_rc 1 "--schedulers FIFO"
run timeout 20 "$KTSTR" compare "$TMP/fifo/f.yaml" "$TMP/fifo/f.yaml"
expect_rc 2 "compare of a FIFO"
expect_err "^ktstr compare: .*f.yaml: $fifo_msg$" "compare says why"
run env KTSTR_CACHE_DIR="$TMP/fifo/cache" timeout 20 "$KTSTR" kernel list
expect_rc 0 "kernel list with a FIFO as an entry's metadata.json"
expect_out "corrupt: cannot read metadata.json: $fifo_msg" "the entry is shown as corrupt, with why"

# --- messages that say what is true (#16)
truncate -s 50M "$TMP/huge.yaml"
run "$KTSTR" check "$TMP/huge.yaml"
expect_rc 1 "a 50 MB scenario file"
expect_err "huge.yaml: file is too large \(52428800 bytes, at most 1048576\)$" "its real size, not the bytes read"
long=$TMP/$(printf 'x%.0s' $(seq 1 5000))
run env KTSTR_CACHE_DIR="$long" "$KTSTR" kernel list
expect_rc 2 "an over-long KTSTR_CACHE_DIR"
expect_err "^ktstr kernel list: the cache directory's path is longer than [0-9]+ characters: shorten KTSTR_CACHE_DIR$" \
	"says it is too long, not that it is unset"
mkdir -p "$TMP/kb/kernels/.locks"
: >"$TMP/kb/kernels/.locks/6.12.1-x-x86_64-kabc.lock"
flock -o "$TMP/kb/kernels/.locks/6.12.1-x-x86_64-kabc.lock" sleep 30 >/dev/null 2>&1 &
holder=$!
held() { ! flock -n "$TMP/kb/kernels/.locks/6.12.1-x-x86_64-kabc.lock" true; }
wait_for 10 held	# until flock(1) holds it
run env KTSTR_CACHE_DIR="$TMP/kb" "$KTSTR" kernel list
pkill -P "$holder" 2>/dev/null; kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
expect_rc 0 "kernel list while a build runs"
expect_err "^building now: 6.12.1-x-x86_64-kabc \(another ktstr holds its lock\)$" "names the running build"
expect_err "^no kernels cached in .*/kernels yet: the build above has not finished$" "not plain 'no kernels cached'"

# --- a run whose setup fails leaves --json and --junit as they were (#16)
mkdir -p "$TMP/keep"
echo before >"$TMP/keep/r.json"
echo before >"$TMP/keep/r.xml"
printf 'name: k\ncgroups: [{name: cg0}]\n' >"$TMP/keep/k.yaml"
run env KTSTR_KERNEL=/nonexistent "$KTSTR" run --json "$TMP/keep/r.json" --junit "$TMP/keep/r.xml" "$TMP/keep/k.yaml"
expect_rc 2 "no kernel: a setup error"
expect_eq "$(cat "$TMP/keep/r.json" "$TMP/keep/r.xml")" "$(printf 'before\nbefore')" \
	"the outputs of an earlier run are not truncated or replaced by an empty report"
expect_eq "$(ls -A "$TMP/keep" | sort | tr '\n' ' ')" "k.yaml r.json r.xml " "no temporary file is left"

finish
