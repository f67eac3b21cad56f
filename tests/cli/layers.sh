#!/usr/bin/env bash
# tests/tools/check_layers.py bites: on small made-up trees it finds an
# include that goes up a layer, an include cycle between units, a cycle
# between rooms, two objects that need each other, a file over 800 lines and
# an include of a file that does not exist; a clean tree passes. (The real
# tree is checked by the `layers` test.)
. "$(dirname "$0")/lib.sh"
check=$KTSTR_SRCDIR/tests/tools/check_layers.py
cc=${CC:-cc}

# mk FILE [LINE...]: a source file of the made-up tree under $T.
mk() {
	local f=$T/$1; shift
	mkdir -p "$(dirname "$f")"
	printf '%s\n' "$@" >"$f"
}

newtree() {
	T=$TMP/$1
	rm -rf "$T"
	mk lib/base/units.h '#pragma once' 'int units__x(void);'
	mk lib/base/units.c '#include "units.h"' 'int units__x(void) { return 1; }'
	mk lib/topo/topology.h '#pragma once' '#include "base/units.h"'
	mk lib/topo/topology.c '#include "topology.h"'
}

# --- a clean tree passes
newtree clean
run python3 "$check" "$T"
expect_rc 0 "a clean tree"
expect_out "0 problem" "a clean tree has no problems"

# --- lib/base may not include lib/topo (upward)
newtree up
mk lib/base/arena.c '#include "topo/topology.h"'
run python3 "$check" "$T"
expect_rc 1 "an upward include"
expect_out "lib/base/arena.c:1: lib/base may not include lib/topo/topology.h" \
	"the upward include is named with its line"

# --- the agent sees lib/wire only
newtree agent
mk lib/wire/ktstr_proto.h '#pragma once'
mk initramfs/agent/main.c '#include "ktstr_proto.h"' '#include "base/units.h"'
run python3 "$check" "$T"
expect_rc 1 "the agent includes lib/base"
expect_out "initramfs/agent/main.c:2: .*names no file" "the agent cannot reach lib/base"

# --- units that include each other
newtree unitcycle
mk lib/topo/cpuset.h '#pragma once' '#include "presets.h"'
mk lib/topo/presets.h '#pragma once' '#include "cpuset.h"'
run python3 "$check" "$T"
expect_rc 1 "an include cycle"
expect_out "include cycle between lib/topo/cpuset, lib/topo/presets" "the cycle is named"

# --- a private header is part of its unit: foo.c + foo_int.h is no cycle
newtree private
mk lib/topo/verdict_int.h '#pragma once' '#include "verdict.h"'
mk lib/topo/verdict.h '#pragma once'
mk lib/topo/verdict.c '#include "verdict_int.h"'
run python3 "$check" "$T"
expect_rc 0 "foo.c with foo_int.h"

# --- a file over 800 lines
newtree long
seq 1 801 | sed 's/^/int v/; s/$/;/' >"$T/lib/base/long.c"
run python3 "$check" "$T"
expect_rc 1 "a long file"
expect_out "lib/base/long.c: 801 lines, over 800" "the long file is named"

# --- two objects that need each other (symbols read with nm from a build)
newtree objs
B=$TMP/objs-build/lib/base/libktstr_base.a.p
mkdir -p "$B"
printf 'int b(void);\nint a(void) { return b(); }\n' >"$TMP/a.c"
printf 'int a(void);\nint b(void) { return a() + 1; }\n' >"$TMP/b.c"
printf 'int a(void);\nint c(void) { return a(); }\n' >"$TMP/c.c"
"$cc" -c -o "$B/a.c.o" "$TMP/a.c" && "$cc" -c -o "$B/b.c.o" "$TMP/b.c" &&
	"$cc" -c -o "$B/c.c.o" "$TMP/c.c" || fail "cc cannot compile the fixtures"
run python3 "$check" "$T" "$TMP/objs-build"
expect_rc 1 "objects that need each other"
expect_out "need each other .*lib/base/libktstr_base:a.c, lib/base/libktstr_base:b.c$" \
	"the loop names both objects and not the one that only uses them"
rm "$B/b.c.o"
run python3 "$check" "$T" "$TMP/objs-build"
expect_rc 0 "objects without a loop"

finish
