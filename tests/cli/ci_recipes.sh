#!/usr/bin/env bash
# .ci/recipes/: the GitHub Actions and GitLab CI recipes call only commands
# and options this ktstr has, run every shard 1/N..N/N once and upload the
# JUnit XML and the results directory also when the gauntlet fails
# (tests/tools/ci_recipes_check.py); each mistake the checker is for is
# caught in a mutated copy; and the recipes' N shards of a real variant list
# hold every variant exactly once.
. "$(dirname "$0")/lib.sh"
CHK=$KTSTR_SRCDIR/tests/tools/ci_recipes_check.py
GH=$KTSTR_SRCDIR/.ci/recipes/github-actions.yml
GL=$KTSTR_SRCDIR/.ci/recipes/gitlab-ci.yml

if ! python3 -c 'import yaml' 2>/dev/null; then
	rc=2 out= err=
	fail "python3 has no yaml module: apt-get install python3-yaml (.ci/install-deps lists it)"
	finish
fi

run python3 "$CHK" "$KTSTR" "$GH" "$GL" --shards
expect_rc 0 "the shipped recipes pass the checker"
# At least the gauntlet, kernel build/path, doctor and compare were found.
expect_out "github-actions\.yml: ([5-9]|[1-9][0-9]+) ktstr commands, [0-9]+ shards, 0 problems$" \
	"the GitHub recipe's ktstr commands were all found and checked"
expect_out "gitlab-ci\.yml: ([5-9]|[1-9][0-9]+) ktstr commands, [0-9]+ shards, 0 problems$" \
	"the GitLab recipe's ktstr commands were all found and checked"
shards=$out

# The recipes' shards split a real gauntlet: every variant once, none twice.
ex=$KTSTR_SRCDIR/scenarios/examples
"$KTSTR" gauntlet --list --host-cpus 4 "$ex" 2>/dev/null | sort >"$TMP/all"
checks=$((checks + 1))
[ "$(wc -l <"$TMP/all")" -ge 3 ] || fail "scenarios/examples lists fewer than 3 variants"
for f in github-actions.yml gitlab-ci.yml; do
	mapfile -t ks < <(awk -v f="$f" '$1 ~ f"$" && $2 ~ /^[0-9]+\/[0-9]+$/ { print $2 }' <<<"$shards")
	expect_eq "${#ks[@]}" 4 "$f: the shards the checker resolved"
	: >"$TMP/union"
	for k in "${ks[@]}"; do
		"$KTSTR" gauntlet --list --host-cpus 4 --shard "$k" "$ex" 2>/dev/null >>"$TMP/union"
	done
	expect_eq "$(sort "$TMP/union" | uniq -d | tr '\n' ' ')" "" "$f: no variant in two shards"
	expect_eq "$(sort "$TMP/union" | tr '\n' ' ')" "$(tr '\n' ' ' <"$TMP/all")" \
		"$f: the shards together are the whole list"
done

# mutate FILE 'WHAT' PYTHON-EXPR REGEX: a copy of FILE changed by the python
# expression (over the text s). The copies are written together (below), each
# must differ from its FILE, and the checker, run once over all of them, must
# fail each with a line of its own matching REGEX.
files=() copies=() whats=() exprs=() regexes=()
mutate() {
	files+=("$1") whats+=("$2") exprs+=("$3") regexes+=("$4")
	copies+=("$TMP/m${#copies[@]}-$(basename "$1")")
}

mutate "$GH" "an option gauntlet does not have" \
	"s.replace('--junit out/junit.xml', '--junit-xml out/junit.xml')" \
	"github-actions\.yml:[0-9]+: 'ktstr gauntlet': unknown option --junit-xml \(not in 'ktstr gauntlet --help'\)"
mutate "$GH" "a command ktstr does not have" \
	"s.replace('ktstr gauntlet \$VM_OPTS', 'ktstr gauntlett \$VM_OPTS')" \
	"'ktstr gauntlett': no such command"
mutate "$GH" "a bad option in a variable the command expands" \
	"s.replace('--thresholds tcg\"', '--threshold tcg\"')" \
	"'ktstr gauntlet': unknown option --threshold .*from \\\$VM_OPTS"
mutate "$GH" "an option of another kernel subcommand" \
	"s.replace('ktstr kernel build --tarball', 'ktstr kernel build --kernel')" \
	"'ktstr kernel build': unknown option --kernel \(not in 'ktstr kernel --help', section 'build'\)"
mutate "$GH" "a kernel subcommand that does not exist" \
	"s.replace('ktstr kernel list', 'ktstr kernel ls')" \
	"'ktstr kernel ls': no such kernel command"
mutate "$GH" "a shard run twice and one never" \
	"s.replace('shard: [1, 2, 3, 4]', 'shard: [1, 2, 2, 4]')" \
	"--shard K/4: the instances do not run 1\.\.4 once each \(missing \[3\], more than once \[2\]"
mutate "$GH" "a fail-fast matrix" "s.replace('fail-fast: false', 'fail-fast: true')" \
	"job gauntlet: fail-fast is on"
mutate "$GH" "no --host-cpus" "s.replace('--host-cpus \"\$HOST_CPUS\" ', '')" \
	"neither --host-cpus nor --overcommit"
mutate "$GH" "the upload not run on failure" \
	"s.replace('        if: always()\n        uses: actions/upload-artifact', '        uses: actions/upload-artifact')" \
	"job gauntlet: the results are not uploaded when the gauntlet fails"
mutate "$GH" "a results directory that is not uploaded" \
	"s.replace('--results-dir out/results', '--results-dir results')" \
	"--results-dir results is not among job gauntlet's uploads"
mutate "$GH" "one artifact name for every shard" \
	"s.replace('name: ktstr-shard-\${{ matrix.shard }}', 'name: ktstr-shard')" \
	"job gauntlet: the instances upload artifacts of the same name"
mutate "$GH" "a file that is not YAML" "s.replace('jobs:', 'jobs: [')" "github-actions\.yml: not YAML"

mutate "$GL" "an option of no command, at the top level" \
	"s.replace('ktstr --version', 'ktstr --versions')" \
	"gitlab-ci\.yml:[0-9]+: 'ktstr --versions': unknown option --versions"
mutate "$GL" "a bad option in a variable the command expands" \
	"s.replace('--vmm qemu', '--vm qemu')" "unknown option --vm .*from \\\$VM_OPTS"
mutate "$GL" "a shard total that is not parallel:" \
	"s.replace('\$CI_NODE_INDEX/\$CI_NODE_TOTAL', '\$CI_NODE_INDEX/8')" \
	"--shard K/8: the instances do not run 1\.\.8 once each \(missing \[5, 6, 7, 8\]"
mutate "$GL" "no parallel:" "s.replace('  parallel: 4\n', '')" \
	"job ktstr-gauntlet: runs a sharded gauntlet without 'parallel: N'"
mutate "$GL" "artifacts dropped when the gauntlet fails" \
	"s.replace('    when: always\n    expire_in: 2 weeks', '    when: on_success\n    expire_in: 2 weeks')" \
	"job ktstr-gauntlet: artifacts are not kept when the gauntlet fails"
mutate "$GL" "a JUnit file that is not the report" \
	"s.replace('junit: out/shard-*/junit.xml', 'junit: out/junit.xml')" \
	"--junit out/shard-1/junit.xml is not among job ktstr-gauntlet's artifacts"
mutate "$GL" "every shard's JSON lines in one path" \
	"s.replace('--json \"out/shard-\$CI_NODE_INDEX/gauntlet.jsonl\"', '--json out/gauntlet.jsonl')" \
	"job ktstr-gauntlet: every instance writes --json to the same path"

args=()
for i in "${!copies[@]}"; do
	args+=("${files[$i]}" "${copies[$i]}" "${exprs[$i]}")
done
python3 -c '
import sys
a = sys.argv[1:]
for src, dst, expr in zip(a[0::3], a[1::3], a[2::3]):
	s = open(src).read()
	open(dst, "w").write(eval(expr))
' "${args[@]}"
for i in "${!copies[@]}"; do
	checks=$((checks + 1))
	cmp -s "${files[$i]}" "${copies[$i]}" &&
		fail "${whats[$i]}: the mutation changed nothing (${exprs[$i]})"
done

run python3 "$CHK" "$KTSTR" "${copies[@]}"
expect_rc 1 "the checker fails on the mutated copies"
for i in "${!copies[@]}"; do
	c=${copies[$i]}
	checks=$((checks + 2))
	grep -Eq "^$c: [0-9]+ ktstr commands, [0-9]+ shards, 0 problems$" <<<"$out" &&
		fail "${whats[$i]}: the checker finds nothing wrong in $c"
	grep -F "$c" <<<"$out" | grep -Eq -- "${regexes[$i]}" ||
		fail "${whats[$i]}: the checker does not say /${regexes[$i]}/ for $c"
done

finish
