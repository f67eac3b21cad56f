#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The BPF toolchain for ktstr's bundled schedulers, built from the kernel
# source (Debian's linux-source tarball, or a kernel tree): libbpf.a (static)
# and bpftool from its tools/, the sched_ext headers, the kernel's own
# example schedulers' sources (scx_simple, scx_qmap, scx_central,
# scx_flatcg) and its sched_ext selftests
# (tools/testing/selftests/sched_ext). Nothing of it is kept in the repository.
#
#   toolchain.sh probe [--source PATH] [--vmlinux PATH]
#       What meson needs to decide: "KEY<tab>VALUE" lines (source, version,
#       key, dir, vmlinux, selftests: the names of the .c and .h files of
#       the source's tools/testing/selftests/sched_ext, empty without them),
#       and a "missing<tab>WHAT" line for each thing that is missing, then
#       exit 1.
#   toolchain.sh build [--source PATH]
#       Build the cache entry if it is not there yet; print its directory.
#   toolchain.sh stage --out DIR [--source PATH]
#       build, then copy libbpf.a, bpftool, the headers (DIR/include) and
#       the example schedulers' sources into DIR (meson's build directory).
#   toolchain.sh stage-selftests --out DIR [--source PATH]
#       build, then copy the sched_ext selftests' sources into DIR.
#   toolchain.sh vmlinux
#       Print the vmlinux of the newest cached kernel (as `ktstr` finds it).
#
# The cache entry is ${KTSTR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ktstr}
# /bpf/VERSION-CRC32-tFORMAT/ where CRC32 is the tarball's (the same identity
# as the kernel cache's keys), or "tree-CRC32" of the needed files of a tree,
# and FORMAT the layout of the entry (below). It is
# built in a temporary directory next to it and renamed into place: an
# interrupted or failed build leaves nothing behind, and a present entry is
# reused (a second build takes well under a second).
set -euo pipefail

die() { echo "bpf toolchain: $*" >&2; exit 1; }

# The layout of a cache entry: bump it whenever what build_entry puts there
# changes, so that entries made by an older toolchain.sh are not reused.
FORMAT=3

# The subtrees of the kernel source that libbpf, bpftool (its bootstrap
# build: btf dump, gen object/skeleton), the sched_ext schedulers and the
# sched_ext selftests need.
SELFTESTS=tools/testing/selftests/sched_ext
SUBTREES=(
	Makefile
	tools/lib/bpf tools/bpf/bpftool tools/include tools/build tools/scripts
	tools/arch/x86/include tools/sched_ext scripts/bpf_doc.py "$SELFTESTS"
)

cache_root() {
	if [ -n "${KTSTR_CACHE_DIR:-}" ]; then
		echo "$KTSTR_CACHE_DIR"
	elif [ -n "${XDG_CACHE_HOME:-}" ] && [ "${XDG_CACHE_HOME#/}" != "$XDG_CACHE_HOME" ]; then
		echo "$XDG_CACHE_HOME/ktstr"
	elif [ -n "${HOME:-}" ]; then
		echo "$HOME/.cache/ktstr"
	else
		die "HOME is not set: set KTSTR_CACHE_DIR to a writable directory"
	fi
}

crc32_file() {	# the zlib CRC32 of a file, as ktstr's kernel cache keys it
	python3 - "$1" <<-'PY'
	import sys, zlib
	c = 0
	with open(sys.argv[1], 'rb') as f:
	    for b in iter(lambda: f.read(1 << 20), b''):
	        c = zlib.crc32(b, c)
	print('%08x' % c)
	PY
}

crc32_tree() {	# the CRC32 of the needed files of a tree (names and contents)
	python3 - "$1" "${SUBTREES[@]}" <<-'PY'
	import os, sys, zlib
	root, c, paths = sys.argv[1], 0, []
	for sub in sys.argv[2:]:
	    top = os.path.join(root, sub)
	    if os.path.isfile(top):
	        paths.append(sub)
	    for d, dirs, files in os.walk(top):
	        paths += [os.path.relpath(os.path.join(d, f), root) for f in files]
	for rel in sorted(paths):
	    c = zlib.crc32(rel.encode() + b'\0', c)
	    with open(os.path.join(root, rel), 'rb') as f:
	        c = zlib.crc32(f.read(), c)
	print('%08x' % c)
	PY
}

# default_source: the newest /usr/src/linux-source-*.tar.xz (as `ktstr kernel
# build` picks it), or nothing.
default_source() {
	local t
	t=$(ls -1 /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1) || true
	echo "$t"
}

# resolve_source PATH: sets SRC (absolute), SRC_KIND (tarball|tree), TOP (the
# tarball's top directory).
resolve_source() {
	SRC=${1:-$(default_source)}
	[ -n "$SRC" ] || { MISSING+=("kernel source: no /usr/src/linux-source-*.tar.xz; install it with 'apt-get install linux-source-6.12' or pass -Dkernel_source=PATH (a tarball or a kernel tree)"); return 1; }
	[ -e "$SRC" ] || { MISSING+=("kernel source: $SRC does not exist; pass -Dkernel_source=PATH (a tarball or a kernel tree)"); return 1; }
	SRC=$(realpath "$SRC")
	if [ -d "$SRC" ]; then
		[ -f "$SRC/tools/lib/bpf/libbpf.c" ] && [ -d "$SRC/tools/sched_ext" ] ||
			{ MISSING+=("kernel source: $SRC is not a kernel tree with tools/lib/bpf and tools/sched_ext"); return 1; }
		SRC_KIND=tree
	else
		SRC_KIND=tarball
	fi
}

# read_version: sets VERSION (VERSION.PATCHLEVEL.SUBLEVEL of the source's
# top Makefile) and, for a tarball, TOP (its top directory).
read_version() {
	local mk
	if [ "$SRC_KIND" = tree ]; then
		mk=$(head -n 5 "$SRC/Makefile")
	else
		TOP=$(tar -tf "$SRC" 2>/dev/null | head -n 1) || true
		TOP=${TOP%%/*}
		[ -n "$TOP" ] || die "$SRC: not a readable tar archive"
		mk=$(tar -xOf "$SRC" --occurrence=1 "$TOP/Makefile" 2>/dev/null | head -n 5) || true
	fi
	VERSION=$(awk -F' *= *' '$1=="VERSION"{v=$2} $1=="PATCHLEVEL"{p=$2} $1=="SUBLEVEL"{s=$2}
		END{ if (v=="") exit 1; printf "%s.%s.%s\n", v, p, s }' <<<"$mk") ||
		die "$SRC: cannot read the kernel version from its top Makefile (not a kernel source?)"
}

# identify: sets VERSION, TOP and KEY. A tarball's version and top directory
# are remembered by its CRC, so that probing does not decompress it again.
identify() {
	if [ "$SRC_KIND" = tree ]; then
		read_version
		KEY="$VERSION-tree-$(crc32_tree "$SRC")-t$FORMAT"
		return
	fi
	local crc memo
	crc=$(crc32_file "$SRC")
	CRC=$crc
	memo="$(cache_root)/bpf/.source-$crc"
	if [ -f "$memo" ] && read -r VERSION TOP <"$memo" && [ -n "$TOP" ]; then
		:
	else
		read_version
		mkdir -p "$(dirname "$memo")" 2>/dev/null &&
			echo "$VERSION $TOP" >"$memo.$$" && mv "$memo.$$" "$memo" || rm -f "$memo.$$"
	fi
	KEY="$VERSION-$crc-t$FORMAT"
}

# newest_vmlinux: the vmlinux of the newest cache entry built with this
# checkout's kernel config fragment (its metadata.json's "fragment_crc"; else
# the newest at all), like `ktstr kernel path`. Prints nothing when there is
# none.
newest_vmlinux() {
	local root frag crc="" best="" best_t=0 best_any="" best_any_t=0 d t
	root="$(cache_root)/kernels"
	frag="$(dirname "$0")/../lib/kernel/ktstr.kconfig"
	[ -f "$frag" ] && crc=$(crc32_file "$frag")
	for d in "$root"/*/; do
		[ -f "$d/vmlinux" ] && [ -f "$d/metadata.json" ] || continue
		t=$(stat -c %Y "$d/metadata.json")
		if [ -n "$crc" ] && grep -q "\"fragment_crc\": *\"$crc\"" "$d/metadata.json" &&
			[ "$t" -ge "$best_t" ]; then
			best=${d%/}/vmlinux best_t=$t
		fi
		if [ "$t" -ge "$best_any_t" ]; then
			best_any=${d%/}/vmlinux best_any_t=$t
		fi
	done
	echo "${best:-$best_any}"
}

# selftest_files: the names of the .c and .h files of the source's sched_ext
# selftests, on one line: from the cache entry when it is there, else from
# the tree, else from the tarball's listing (remembered by its CRC, since
# listing the tarball decompresses all of it: about 10 s).
selftest_files() {
	local entry memo
	entry="$(cache_root)/bpf/$KEY/selftests"
	if [ -f "$entry/runner.c" ]; then
		(cd "$entry" && ls -1 -- *.[ch]) | sort | xargs
	elif [ "$SRC_KIND" = tree ]; then
		[ -f "$SRC/$SELFTESTS/runner.c" ] || return 0
		(cd "$SRC/$SELFTESTS" && ls -1 -- *.[ch]) | sort | xargs
	else
		memo="$(cache_root)/bpf/.selftests-$CRC"
		if [ ! -s "$memo" ]; then
			mkdir -p "$(dirname "$memo")" &&
				tar -tJf "$SRC" "$TOP/$SELFTESTS" 2>/dev/null |
				sed -n "s|^$TOP/$SELFTESTS/\([^/]*\.[ch]\)\$|\1|p" | sort | xargs >"$memo.$$" &&
				[ -s "$memo.$$" ] && mv "$memo.$$" "$memo" || { rm -f "$memo.$$"; return 0; }
		fi
		cat "$memo"
	fi
}

# extract DEST: the needed subtrees of the source into DEST; the selftests
# only when the source has them (the rest is needed).
extract() {
	local dest=$1
	if [ "$SRC_KIND" = tree ]; then
		local subs=() p
		for p in "${SUBTREES[@]}"; do
			[ "$p" = "$SELFTESTS" ] && [ ! -d "$SRC/$p" ] && continue
			subs+=("$p")
		done
		(cd "$SRC" && tar -cf - "${subs[@]}") | tar -xf - -C "$dest"
	else
		local paths=() p err=$dest/.extract.err
		for p in "${SUBTREES[@]}"; do paths+=("$TOP/$p"); done
		tar -xJf "$SRC" -C "$dest" --strip-components=1 "${paths[@]}" 2>"$err" && return
		# GNU tar extracts what it finds, then fails for each member it did not.
		if grep -v -e "^tar: $TOP/$SELFTESTS: Not found in archive\$" \
			-e '^tar: Exiting with failure status due to previous errors$' "$err"; then
			return 1
		fi
	fi
}

# build_entry DIR: build libbpf.a and bpftool into DIR (which must not exist).
build_entry() {
	local dir=$1 tmp jobs=${KTSTR_BPF_JOBS:-2}
	tmp=$(mktemp -d "$dir.tmp.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 130' INT TERM
	local log=$tmp/build.log
	echo "bpf toolchain: building libbpf and bpftool from $SRC into $dir (once; about half a minute)" >&2
	mkdir -p "$tmp/src" "$tmp/obj/libbpf" "$tmp/obj/bpftool" "$tmp/lib" "$tmp/bin" "$tmp/include"
	extract "$tmp/src" >>"$log" 2>&1 || { tail -n 20 "$log" >&2; die "extracting ${SUBTREES[*]} from $SRC failed"; }
	nice make -C "$tmp/src/tools/lib/bpf" -j"$jobs" OUTPUT="$tmp/obj/libbpf/" \
		EXTRA_CFLAGS='-g -O2 -fPIC' DESTDIR="$tmp" prefix= \
		"$tmp/obj/libbpf/libbpf.a" install_headers >>"$log" 2>&1 ||
		{ tail -n 30 "$log" >&2; die "building libbpf from $SRC failed (the end of its log is above)"; }
	nice make -C "$tmp/src/tools/bpf/bpftool" -j"$jobs" OUTPUT="$tmp/obj/bpftool/" \
		EXTRA_CFLAGS='-O2' bootstrap >>"$log" 2>&1 ||
		{ tail -n 30 "$log" >&2; die "building bpftool from $SRC failed (the end of its log is above)"; }
	cp "$tmp/obj/libbpf/libbpf.a" "$tmp/lib/"
	cp "$tmp/obj/bpftool/bootstrap/bpftool" "$tmp/bin/"
	"$tmp/bin/bpftool" version >>"$log" 2>&1 || die "the built bpftool does not run"
	# Headers: libbpf's (include/bpf, installed above), the uapi it was
	# built against, the sched_ext ones; the sources of the kernel's example
	# schedulers (scx_simple, scx_qmap, scx_central, scx_flatcg).
	mkdir -p "$tmp/include/uapi"
	cp -r "$tmp/src/tools/include/uapi/linux" "$tmp/include/uapi/linux"
	cp -r "$tmp/src/tools/sched_ext/include/scx" "$tmp/include/scx"
	cp -r "$tmp/src/tools/sched_ext/include/bpf-compat" "$tmp/include/bpf-compat"
	mkdir -p "$tmp/sched_ext"
	cp "$tmp/src/tools/sched_ext"/scx_{simple,qmap,central,flatcg}{.bpf.c,.c} \
		"$tmp/src/tools/sched_ext"/scx_flatcg.h "$tmp/sched_ext/"
	# The sched_ext selftests (runner.c, util.c and the tests' .c, .bpf.c,
	# .h), when the source has them.
	if [ -f "$tmp/src/$SELFTESTS/runner.c" ]; then
		mkdir -p "$tmp/selftests"
		cp "$tmp/src/$SELFTESTS"/*.[ch] "$tmp/selftests/"
	fi
	rm -rf "$tmp/src" "$tmp/obj"
	chmod 755 "$tmp"
	printf 'source=%s\nversion=%s\nkey=%s\nbuilt_at=%s\n' "$SRC" "$VERSION" "$KEY" \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$tmp/toolchain.info"
	if ! mv -T "$tmp" "$dir" 2>/dev/null; then
		[ -f "$dir/lib/libbpf.a" ] || die "cannot rename $tmp to $dir"
		rm -rf "$tmp"	# another build got there first
	fi
	trap - EXIT
}

# ensure: the cache entry for SRC, built if absent. Sets DIR.
ensure() {
	identify
	DIR="$(cache_root)/bpf/$KEY"
	if [ -f "$DIR/lib/libbpf.a" ] && [ -x "$DIR/bin/bpftool" ]; then
		return
	fi
	mkdir -p "$(dirname "$DIR")" || die "cannot create $(dirname "$DIR")"
	# One builder at a time; the others wait and then reuse its entry.
	exec 9>"$(dirname "$DIR")/.lock-$KEY"
	flock 9
	if ! { [ -f "$DIR/lib/libbpf.a" ] && [ -x "$DIR/bin/bpftool" ]; }; then
		rm -rf "$DIR"	# a stale entry without its files (not ours: renamed whole)
		(build_entry "$DIR")
	fi
	exec 9>&-
}

# copy_if_changed SRC DST: keep DST's mtime when its content is the same.
copy_if_changed() {
	cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2"
}

# write_if_changed LINE FILE: the same for a one-line file.
write_if_changed() {
	[ "$(cat "$2" 2>/dev/null)" = "$1" ] || echo "$1" >"$2"
}

cmd=${1:-}
[ -n "$cmd" ] && shift
source_arg="" vmlinux_arg="" out=""
while [ $# -gt 0 ]; do
	case $1 in
	--source) source_arg=${2:-}; shift 2 ;;
	--vmlinux) vmlinux_arg=${2:-}; shift 2 ;;
	--out) out=${2:-}; shift 2 ;;
	*) die "unknown argument '$1' (see the comment at the top of $0)" ;;
	esac
done
MISSING=()
SRC="" SRC_KIND="" TOP="" VERSION="" KEY="" CRC=""

case $cmd in
probe)
	command -v python3 >/dev/null || MISSING+=("python3 (apt-get install python3)")
	command -v make >/dev/null || MISSING+=("make (apt-get install build-essential)")
	if resolve_source "$source_arg"; then
		identify
		printf 'source\t%s\nversion\t%s\nkey\t%s\ndir\t%s\n' "$SRC" "$VERSION" "$KEY" \
			"$(cache_root)/bpf/$KEY"
		printf 'selftests\t%s\n' "$(selftest_files)"	# empty: the source has none
	fi
	vm=${vmlinux_arg:-$(newest_vmlinux)}
	if [ -z "$vm" ]; then
		MISSING+=("a kernel with BTF: no vmlinux in $(cache_root)/kernels; run 'ktstr kernel build' (or pass -Dvmlinux=PATH), then 'meson setup --reconfigure BUILDDIR'")
	elif [ ! -f "$vm" ]; then
		MISSING+=("vmlinux: $vm does not exist; pass -Dvmlinux=PATH to a kernel's vmlinux with .BTF")
	else
		printf 'vmlinux\t%s\n' "$(realpath "$vm")"
	fi
	for m in "${MISSING[@]}"; do printf 'missing\t%s\n' "$m"; done
	[ ${#MISSING[@]} -eq 0 ]
	;;
build)
	resolve_source "$source_arg" || die "${MISSING[0]}"
	ensure
	echo "$DIR"
	;;
stage)
	[ -n "$out" ] || die "stage needs --out DIR"
	resolve_source "$source_arg" || die "${MISSING[0]}"
	ensure
	mkdir -p "$out/include"
	copy_if_changed "$DIR/lib/libbpf.a" "$out/libbpf.a"
	copy_if_changed "$DIR/bin/bpftool" "$out/bpftool"
	chmod +x "$out/bpftool"
	for f in "$DIR"/sched_ext/*; do copy_if_changed "$f" "$out/$(basename "$f")"; done
	# Replaced only when it differs, so that a re-run (after an edit of
	# this script) does not rebuild everything that includes it.
	if ! diff -rq "$DIR/include" "$out/include" >/dev/null 2>&1; then
		rm -rf "$out/include.new" && cp -r "$DIR/include" "$out/include.new" &&
			rm -rf "$out/include" && mv "$out/include.new" "$out/include"
	fi
	write_if_changed "$KEY" "$out/toolchain.stamp"
	;;
stage-selftests)
	[ -n "$out" ] || die "stage-selftests needs --out DIR"
	resolve_source "$source_arg" || die "${MISSING[0]}"
	ensure
	[ -f "$DIR/selftests/runner.c" ] || die "$SRC has no $SELFTESTS"
	mkdir -p "$out"
	for f in "$DIR"/selftests/*; do copy_if_changed "$f" "$out/$(basename "$f")"; done
	write_if_changed "$KEY" "$out/selftests.stamp"
	;;
vmlinux)
	newest_vmlinux
	;;
*)
	die "usage: $0 probe|build|stage|stage-selftests|vmlinux [--source PATH] [--vmlinux PATH] [--out DIR]"
	;;
esac
