#!/usr/bin/env bash
# The bundled schedulers on the host (nothing is attached here): scx-ktstr's
# command line (--help, --list-flags as JSON the gauntlet can expand, option
# errors, --dry-run for every declared flag), the BPF objects (struct_ops
# named "ktstr", "simple", "qmap", "central", "flatcg"; the .bss offsets host tools write), and
# bpf/toolchain.sh (probe's messages, a failed build leaves no cache entry,
# stage reuses the cache). Skips (77) when meson did not build them.
. "$(dirname "$0")/lib.sh"

[ -z "${BPF_SKIP_REASON:-}" ] || { echo "SKIP: bpf schedulers not built: $BPF_SKIP_REASON"; exit 77; }
: "${SCX_KTSTR:?}" "${BPFTOOL:?}" "${BPF_OBJDIR:?}"
toolchain=$KTSTR_SRCDIR/bpf/toolchain.sh

run "$SCX_KTSTR" --help
expect_rc 0 "--help"
for o in stall-after crash-after degrade degrade-after slow scattershot fail-verify timeout-ms \
	short-slice local-first list-flags pile-on pile-on-after; do
	expect_out "--$o" "--help documents --$o"
done

# The man page renders and documents every option --help lists.
help=$out
run env MANWIDTH=200 man -l "$KTSTR_SRCDIR/man/scx-ktstr.8"
expect_rc 0 "man -l man/scx-ktstr.8"
for o in $(grep -oE -- '--[a-z-]+' <<<"$help" | sort -u); do
	checks=$((checks + 1))
	grep -qF -- "$o" <<<"$out" || fail "scx-ktstr.8 does not document $o"
done

# --list-flags: a JSON array of {name, args, requires}; every requirement is
# a declared flag, and the loader accepts every flag's args.
run "$SCX_KTSTR" --list-flags
expect_rc 0 "--list-flags"
printf '%s\n' "$out" >"$TMP/flags.json"
run python3 - "$TMP/flags.json" <<'PY'
import json, sys
flags = json.load(open(sys.argv[1]))
assert isinstance(flags, list) and flags, "a non-empty array"
names = [f["name"] for f in flags]
for f in flags:
    assert set(f) == {"name", "args", "requires"}, f
    assert isinstance(f["name"], str) and f["name"], f
    assert all(isinstance(a, str) for a in f["args"]), f
    assert all(r in names and r != f["name"] for r in f["requires"]), f
    print(f["name"], " ".join(f["args"]), "requires=" + ",".join(f["requires"]))
PY
expect_rc 0 "--list-flags is JSON with name/args/requires (python: $err)"
expect_out '^local-first --local-first requires=short-slice$' "local-first requires short-slice"
flaglines=$out
while read -r name args; do
	[ -n "$name" ] || continue
	reqs=${args##*requires=}
	args=${args% requires=*}
	all=($args)
	for r in ${reqs//,/ }; do
		all+=($(sed -n "s/^$r \(.*\) requires=.*/\1/p" <<<"$flaglines"))
	done
	run "$SCX_KTSTR" --dry-run "${all[@]}"
	expect_rc 0 "flag $name: its args (${all[*]}) are accepted"
	expect_out "^scx-ktstr: would attach \(flags .*$name" "flag $name: named in the attached line"
done <<<"$flaglines"

run "$SCX_KTSTR" --dry-run --stall-after 2 --crash-after=3 --degrade-after=4 --timeout-ms 3000
expect_rc 0 "knobs with separate and attached values"
expect_out 'stall-after=2 crash-after=3 degrade-after=4; timeout 3000 ms' "knobs in the attached line"

# Bad input: a clear message naming the option, status 1.
run "$SCX_KTSTR" --timeout-ms=30001
expect_rc 1 "--timeout-ms above the kernel's 30 s"
expect_err "--timeout-ms: '30001' is not a number from 1 to 30000" "--timeout-ms range"
run "$SCX_KTSTR" --stall-after=soon
expect_rc 1 "--stall-after=soon"
expect_err "--stall-after: 'soon' is not a number" "--stall-after: names the option"
run "$SCX_KTSTR" --local-first
expect_rc 1 "--local-first alone"
expect_err 'requires --short-slice' "--local-first says what it requires"

# --pile-on=CPU: a CPU online here (the check runs before --dry-run prints),
# optionally from N seconds on, and not with the knobs that place tasks
# elsewhere.
run "$SCX_KTSTR" --dry-run --pile-on=0
expect_rc 0 "--pile-on=0"
expect_out '^scx-ktstr: would attach \(flags pile-on=0; timeout 20000 ms\)$' "--pile-on in the attached line"
run "$SCX_KTSTR" --dry-run --short-slice --slow --pile-on 0 --pile-on-after=5
expect_rc 0 "--pile-on with --pile-on-after, --short-slice and --slow"
expect_out '\(flags short-slice slow pile-on=0 pile-on-after=5; ' "--pile-on-after in the attached line"
run "$SCX_KTSTR" --dry-run --pile-on-after=5
expect_rc 1 "--pile-on-after alone"
expect_err '^scx-ktstr: --pile-on-after requires --pile-on=CPU$' "--pile-on-after says what it requires"
for o in scattershot degrade degrade-after=2 "short-slice --local-first"; do
	run "$SCX_KTSTR" --dry-run --pile-on=0 --$o
	expect_rc 1 "--pile-on with --$o"
	n=${o##*--}
	expect_err "^scx-ktstr: --pile-on cannot be combined with --${n%=*}\$" \
		"--pile-on with --$o: names it"
done
ncpu=$(getconf _NPROCESSORS_ONLN)
run "$SCX_KTSTR" --dry-run --pile-on=$ncpu
expect_rc 1 "--pile-on=$ncpu: one past the last online CPU"
expect_err "^scx-ktstr: --pile-on: CPU $ncpu is not online \(online CPUs: [0-9,-]+\)$" \
	"--pile-on past the online CPUs: says which are"
run "$SCX_KTSTR" --dry-run --pile-on=-1
expect_rc 1 "--pile-on=-1"
expect_err "--pile-on: '-1' is not a number from 0 to" "--pile-on=-1: names the option"
run "$SCX_KTSTR" --dry-run --pile-on
expect_rc 1 "--pile-on without a CPU"

run "$SCX_KTSTR" --bogus
expect_rc 1 "unknown option"
expect_err "Try 'scx-ktstr --help'" "unknown option: points at --help"

# Without sched_ext (every Debian kernel) it says so; never attach on the host.
if [ ! -e /sys/kernel/sched_ext ]; then
	run "$SCX_KTSTR"
	expect_rc 1 "no sched_ext on this kernel"
	expect_err 'this kernel has no sched_ext.*CONFIG_SCHED_CLASS_EXT' "no sched_ext: says what to boot"
fi

# The BPF objects: a struct_ops map of each scheduler, named as sched_ext will
# show it in /sys/kernel/sched_ext/root/ops.
for s in scx_ktstr:ktstr:ktstr_ops scx_simple:simple:simple_ops scx_qmap:qmap:qmap_ops \
	scx_central:central:central_ops scx_flatcg:flatcg:flatcg_ops; do
	IFS=: read -r obj ops var <<<"$s"
	o=$BPF_OBJDIR/$obj.bpf.linked.o
	run "$BPFTOOL" btf dump file "$o"
	expect_rc 0 "$obj: bpftool reads its BTF"
	expect_out "STRUCT 'sched_ext_ops' size=" "$obj: has sched_ext_ops"
	expect_out "VAR '$var' type_id=[0-9]+, linkage=global" "$obj: the struct_ops variable $var"
	# the section's bytes (binutils does not know BPF, so by its offset and size)
	read -r off size < <(readelf -SW "$o" |
		awk '$2 == ".struct_ops.link" { print $5, $6 } $3 == ".struct_ops.link" { print $6, $7 }')
	checks=$((checks + 1))
	if [ -z "${off:-}" ]; then
		fail "$obj: no .struct_ops.link section"
	else
		tail -c +$((0x$off + 1)) "$o" | head -c $((0x$size)) >"$TMP/ops.bin"
		grep -aq "$ops" "$TMP/ops.bin" || fail "$obj: its .struct_ops.link names the ops '$ops'"
	fi
done
run "$BPFTOOL" btf dump file "$BPF_OBJDIR/scx_ktstr.bpf.linked.o"
expect_out "offset=0 size=4 \(VAR 'stall'\)" "scx_ktstr: .bss stall at offset 0"
expect_out "offset=4 size=4 \(VAR 'crash'\)" "scx_ktstr: .bss crash at offset 4"
expect_out "VAR 'pile_on_rt'" "scx_ktstr: .bss has the --pile-on-after switch"
expect_out "VAR 'uei' type_id" "scx_ktstr: records the exit info"

# toolchain.sh: what probe says when things are missing.
run env KTSTR_CACHE_DIR="$TMP/cache" bash "$toolchain" probe --source "$TMP/nothing"
expect_rc 1 "probe: a missing source"
expect_out "^missing	kernel source: $TMP/nothing does not exist" "probe: names the missing source"
expect_out "^missing	a kernel with BTF: no vmlinux in $TMP/cache/kernels; run 'ktstr kernel build'" \
	"probe: no kernel, says how to get one"

# A tree whose libbpf does not build: the build fails and leaves no entry.
tree=$TMP/tree
mkdir -p "$tree"/tools/{lib/bpf,bpf/bpftool,include,build,scripts,sched_ext,arch/x86/include} \
	"$tree/scripts"
touch "$tree/scripts/bpf_doc.py"
printf 'VERSION = 9\nPATCHLEVEL = 8\nSUBLEVEL = 7\n' >"$tree/Makefile"
echo 'this is not C' >"$tree/tools/lib/bpf/libbpf.c"
echo 'all:; false' >"$tree/tools/lib/bpf/Makefile"
run env KTSTR_CACHE_DIR="$TMP/cache" bash "$toolchain" build --source "$tree"
expect_rc 1 "build: a tree whose libbpf fails"
expect_err "building libbpf from $tree failed" "build: says what failed"
checks=$((checks + 1))
left=$(ls -A "$TMP/cache/bpf" 2>/dev/null | grep -v '^\.lock-' || true)
[ -z "$left" ] || fail "build: a failed build left $left in the cache"

# stage: from the cache meson used (present, so this takes well under a second).
run bash "$toolchain" stage --out "$TMP/stage" ${BPF_KERNEL_SOURCE:+--source "$BPF_KERNEL_SOURCE"}
expect_rc 0 "stage from the cache"
for f in libbpf.a bpftool include/bpf/libbpf.h include/scx/common.bpf.h \
	include/scx/user_exit_info.h scx_simple.bpf.c scx_qmap.c scx_central.bpf.c scx_central.c \
	scx_flatcg.bpf.c scx_flatcg.c scx_flatcg.h; do
	checks=$((checks + 1))
	[ -s "$TMP/stage/$f" ] || fail "stage: $f is missing"
done
run "$TMP/stage/bpftool" version
expect_out 'libbpf v1\.' "stage: the staged bpftool runs"

finish
