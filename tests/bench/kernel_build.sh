#!/usr/bin/env bash
# Benchmark: what the default (lean) kernel costs to build (issue #13), on
# this machine's cores. Two parts, BENCH_KBUILD picks (default "clean,flags"):
#   clean  a clean `ktstr kernel build` of Debian's linux-source into a scratch
#          cache: wall, user and system time, each phase (extract, configure,
#          make, store), the objects compiled, bzImage, vmlinux and the entry.
#   flags  the compiler's CPU seconds for 12 heavy objects (sched, BPF, mm,
#          net, trace) under each debug-information choice BTF could use:
#          DWARF 5 and 4, each with and without variable-location tracking,
#          the kernel's reduced debug info, and none (the floor); BENCH_ROUNDS
#          (3) rounds, alternating, then the means. Needs a built entry's
#          .config: the clean part's, else the newest cached lean kernel's.
# Prints figures; asserts only that the builds ran.
. "$(dirname "$0")/../cli/lib.sh"
parts=${BENCH_KBUILD:-clean,flags}
rounds=${BENCH_ROUNDS:-3}
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -1)
[ -n "$tarball" ] || skip "no /usr/src/linux-source-*.tar.xz (bash .ci/install-deps)"
# One job per online CPU, as ktstr kernel build uses.
cpus=$(nproc)
echo "machine: $cpus CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "source: $tarball"

config=
if [[ ,$parts, == *,clean,* ]]; then
	echo
	echo "== clean ktstr kernel build (a scratch cache)"
	# Timestamp each line ktstr prints: the phases are the gaps between them.
	start=$(date +%s.%N)
	/usr/bin/time -f '%e %U %S' -o "$TMP/time" \
		env KTSTR_CACHE_DIR="$TMP/cache" "$KTSTR" kernel build 2>&1 |
		while IFS= read -r line; do
			printf '%s %s\n' "$(date +%s.%N)" "$line"
		done >"$TMP/kbuild.log"
	rc=${PIPESTATUS[0]}
	expect_rc 0 "ktstr kernel build"
	entry=$(ls -d "$TMP"/cache/kernels/*/ 2>/dev/null | head -1)
	checks=$((checks + 1))
	[ -n "$entry" ] && [ -s "$entry/bzImage" ] || fail "no cache entry with a bzImage"
	read -r wall user sys <"$TMP/time"
	at() { awk -v re="$1" -v t0="$start" '$0 ~ re { printf "%.0f", $1 - t0; exit }' "$TMP/kbuild.log"; }
	t_cfg=$(at ' configuring ') t_make=$(at ' make -j') t_store=$(at ' storing ')
	awk -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN {
		printf "wall %.0f s (%d:%02d), user %.0f s, system %.0f s, %.0f%% CPU\n",
			w, w / 60, w % 60, u, s, 100 * (u + s) / w }'
	echo "phases: extract ${t_cfg:-?} s, configure $(( ${t_make:-0} - ${t_cfg:-0} )) s," \
		"make $(( ${t_store:-0} - ${t_make:-0} )) s, store $(( ${wall%.*} - ${t_store:-0} )) s"
	if [ -n "$entry" ]; then
		echo "objects compiled: $(grep -cE '^  (CC|AS) ' "$entry/build.log")"
		echo "bzImage $(stat -c %s "$entry/bzImage") B, vmlinux $(stat -c %s "$entry/vmlinux") B," \
			"entry $(du -sb "$entry" | cut -f1) B"
		config=$entry/.config
	fi
fi

if [[ ,$parts, == *,flags,* ]]; then
	echo
	echo "== compiler CPU seconds for 12 heavy objects, by debug information ($rounds rounds)"
	[ -n "$config" ] || config=$(dirname "$("$KTSTR" kernel path 2>/dev/null)")/.config
	[ -f "$config" ] || skip "no built kernel's .config (ktstr kernel build first)"
	mkdir -p "$TMP/src"
	tar xf "$tarball" -C "$TMP/src" || fail "cannot extract $tarball"
	tree=$(ls -d "$TMP"/src/linux*/ | head -1)
	cp "$config" "$tree/.config"
	make -C "$tree" -s olddefconfig >/dev/null 2>&1 &&
		make -C "$tree" -s -j"$cpus" KCFLAGS=-Wno-error prepare >/dev/null 2>&1 ||
		fail "cannot prepare $tree"
	objs="kernel/sched/core.o kernel/sched/fair.o kernel/sched/build_policy.o
	      kernel/bpf/verifier.o kernel/bpf/btf.o mm/page_alloc.o mm/memory.o
	      net/core/filter.o net/core/dev.o kernel/trace/trace.o kernel/fork.o
	      lib/vsprintf.o"
	# label|flags appended to the kernel's own (DWARF 5 from the fragment)
	variants=("dwarf5 (the kernel's flags)|"
		  "dwarf5 -fno-var-tracking (ktstr's)|-fno-var-tracking"
		  "dwarf4|-gdwarf-4"
		  "dwarf4 -fno-var-tracking|-gdwarf-4 -fno-var-tracking"
		  "reduced (no BTF)|-fno-var-tracking -femit-struct-debug-baseonly"
		  "none (-g0, no BTF)|-g0")
	for ((r = 1; r <= rounds; r++)); do
		for v in "${variants[@]}"; do
			label=${v%%|*} flags=${v#*|}
			(cd "$tree" && rm -f $objs)
			/usr/bin/time -f '%U %S' -o "$TMP/t" make -C "$tree" -s -j"$cpus" \
				KCFLAGS="-Wno-error $flags" $objs >/dev/null 2>&1
			rc=$?
			expect_rc 0 "compile with '$flags'"
			cpu=$(awk '{ printf "%.1f", $1 + $2 }' "$TMP/t")
			echo "round $r: $label: $cpu s"
			echo "$label|$cpu" >>"$TMP/flags"
		done
	done
	echo "means:"
	awk -F'|' '{ s[$1] += $2; n[$1]++; if (!($1 in o)) o[$1] = ++k }
		   END { for (l in s) printf "%d  %6.1f s  %s\n", o[l], s[l] / n[l], l }' "$TMP/flags" |
		sort -n | cut -d' ' -f2-
fi
finish
