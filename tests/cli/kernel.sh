#!/usr/bin/env bash
# ktstr kernel build|list|clean|path against a tiny fake kernel tree
# (tests/data/fake-kernel: a Makefile whose targets write what kbuild would):
# the pipeline, the cache, locking, atomic install, failures, signals and
# discovery, in seconds and without building a real kernel.
. "$(dirname "$0")/lib.sh"

export KTSTR_CACHE_DIR=$TMP/cache
export KTSTR_FAKE_MARKER=$TMP/builds	# the fake Makefile appends "build" per bzImage
unset KTSTR_KERNEL XDG_CACHE_HOME KTSTR_FAKE_SLEEP KTSTR_FAKE_PIDFILE KTSTR_FAKE_FAIL \
	KTSTR_FAKE_DROP
kernels=$KTSTR_CACHE_DIR/kernels

builds() { local n; n=$(grep -c '^build$' "$KTSTR_FAKE_MARKER" 2>/dev/null); echo "${n:-0}"; }
# no_build: the last command stopped before it extracted or configured anything
no_build() {
	checks=$((checks + 1))
	! grep -Eq '^(extracting|configuring|make )' <<<"$err" || fail "it started a build"
}
entries() { find "$kernels" -mindepth 1 -maxdepth 1 -type d ! -name '.*' 2>/dev/null | wc -l; }
tmpdirs() { find "$kernels" -mindepth 1 -maxdepth 1 -name '.tmp-*' 2>/dev/null | wc -l; }
crc32() { python3 -c 'import sys, zlib; print("%08x" % zlib.crc32(open(sys.argv[1], "rb").read()))' "$1"; }

# A fake tree, and tarballs of it: each extra file makes another CRC, so another key.
mkdir -p "$TMP/src"
cp -r "$KTSTR_SRCDIR/tests/data/fake-kernel" "$TMP/src/linux-fake"
fake=$TMP/src/linux-fake
tar cJf "$TMP/fake.tar.xz" -C "$TMP/src" linux-fake
mktarball() {	# mktarball NAME: a tarball of the fake tree with one extra file
	rm -rf "$TMP/t-$1" && mkdir -p "$TMP/t-$1" && cp -r "$fake" "$TMP/t-$1/linux-fake" &&
		echo "$1" >"$TMP/t-$1/linux-fake/variant" &&
		tar czf "$TMP/$1.tar.gz" -C "$TMP/t-$1" linux-fake && rm -rf "$TMP/t-$1"
}
frag=$(crc32 "$KTSTR_SRCDIR/lib/kernel/ktstr.kconfig")
# The compiler flags of every build, as kernel_recipe.h defines them.
kcflags=$(sed -n 's/^#define KRECIPE_KCFLAGS[[:space:]]*"\(.*\)"$/\1/p' "$KTSTR_SRCDIR/lib/kernel/kernel_recipe.h")
[ -n "$kcflags" ] || fail "no KRECIPE_KCFLAGS in kernel_recipe.h"
# recipe_crc BASE [FRAGMENT...]: a key's "kc", the CRC32 of the recipe: the base's
# name, the compiler flags, ktstr's fragment and the user's, each followed by a
# NUL (kernel_recipe.h)
recipe_crc() {
	python3 - "$KTSTR_SRCDIR/lib/kernel/ktstr.kconfig" "$kcflags" "$@" <<'PY'
import sys, zlib
ktstr, kcflags, base, *frags = sys.argv[1:]
data = base.encode() + b"\0" + kcflags.encode() + b"\0" + open(ktstr, "rb").read() + b"\0"
for f in frags:
    data += open(f, "rb").read() + b"\0"
print("%08x" % zlib.crc32(data))
PY
}
lean=$(recipe_crc lean)
key=6.99.1-fake-tarball-$(crc32 "$TMP/fake.tar.xz")-x86_64-kc$lean

# --- usage
run "$KTSTR" kernel --help
expect_rc 0 "kernel --help"
expect_out "^usage: ktstr kernel build" "kernel --help shows usage"
help_text=$out
run "$KTSTR" kernel build --help
expect_eq "$out" "$help_text" "kernel build --help shows the kernel help"
run env MANWIDTH=200 man -l "$KTSTR_SRCDIR/man/ktstr.1"
manpage=$out
for opt in $(grep -oE -- '--[a-z][a-z-]+' <<<"$help_text" | sort -u); do
	checks=$((checks + 1))
	grep -qF -- "$opt" <<<"$manpage" || fail "ktstr.1 does not document kernel $opt"
done
run "$KTSTR" kernel
expect_rc 2 "kernel without a subcommand"
run "$KTSTR" kernel bild
expect_rc 2 "unknown subcommand"
expect_err "did you mean 'build'" "did-you-mean for kernel subcommands"
run "$KTSTR" kernel build --bogus
expect_rc 2 "unknown build option"
expect_err "ktstr kernel build: unknown option '--bogus'" "unknown build option named"
run "$KTSTR" kernel build --source "$fake" --tarball "$TMP/fake.tar.xz"
expect_rc 2 "--source with --tarball"
run "$KTSTR" kernel build --clean --tarball "$TMP/fake.tar.xz"
expect_rc 2 "--clean with a tarball"
expect_err "--source trees only" "--clean says where it applies"
run "$KTSTR" kernel build -j 0 --tarball "$TMP/fake.tar.xz"
expect_rc 2 "-j 0"
run "$KTSTR" kernel build --source "$TMP/nosuch"
expect_rc 2 "--source of a missing directory"
mkdir -p "$TMP/empty"
run "$KTSTR" kernel build --source "$TMP/empty"
expect_rc 2 "--source of a directory that is no kernel"
expect_err "not a kernel source tree" "not a kernel source tree"
run "$KTSTR" kernel build --tarball "$TMP/nosuch.tar.xz"
expect_rc 2 "a missing tarball"
expect_err "nosuch.tar.xz" "a missing tarball is named"
printf 'not a tarball' >"$TMP/junk.tar.xz"
run "$KTSTR" kernel build --tarball "$TMP/junk.tar.xz"
expect_rc 2 "a tarball that is not one"
expect_err "no kernel version" "a junk tarball has no kernel version"

# --- --config and --fragment are checked before anything is extracted or built
run "$KTSTR" kernel build --config bogus --tarball "$TMP/fake.tar.xz"
expect_rc 2 "--config bogus"
no_build
expect_err "^ktstr kernel build: --config bogus: no such base; it is lean \(the default" \
	"--config bogus is named"
expect_err "or full \(defconfig \+ kvm_guest.config" "--config bogus names both bases"
run "$KTSTR" kernel build --config
expect_rc 2 "--config without a value"
no_build
run "$KTSTR" kernel build --fragment "$TMP/nosuch.config" --tarball "$TMP/fake.tar.xz"
expect_rc 2 "--fragment of a missing file"
no_build
expect_err "^ktstr kernel build: --fragment $TMP/nosuch.config: cannot read it: No such file or directory$" \
	"a missing fragment is named"
run "$KTSTR" kernel build --fragment "$TMP" --tarball "$TMP/fake.tar.xz"
expect_rc 2 "--fragment of a directory"
no_build
expect_err "^ktstr kernel build: --fragment $TMP: cannot read it: Is a directory$" \
	"a directory as a fragment is named"
printf '# mine\nCONFIG_FAKE_MINE=y\n\nCONFIG_FAKE_OTHER = y\n' >"$TMP/bad.config"
run "$KTSTR" kernel build --config full --fragment "$TMP/bad.config" --tarball "$TMP/fake.tar.xz"
expect_rc 2 "--fragment with a bad line"
no_build
expect_err "^ktstr kernel build: --fragment $TMP/bad.config:4: no '=' right after the option's name: 'CONFIG_FAKE_OTHER = y'$" \
	"a bad fragment line is named by FILE:LINE and shown"
printf '  CONFIG_FAKE_MINE=y\n' >"$TMP/indented.config"
run "$KTSTR" kernel build --fragment "$TMP/indented.config" --tarball "$TMP/fake.tar.xz"
expect_rc 2 "--fragment with an indented option"
no_build
expect_err "indented.config:1: starts with a blank" "an indented option is refused"
printf '# nothing here\n' >"$TMP/empty.config"
run "$KTSTR" kernel build --fragment "$TMP/empty.config" --tarball "$TMP/fake.tar.xz"
expect_rc 2 "--fragment that sets nothing"
no_build
expect_err "empty.config: sets no option" "a fragment without options is refused"
printf '# mine\nCONFIG_FAKE_MINE=y\nCONFIG_NR_CPUS=512\n' >"$TMP/mine.config"
nine=()
for _ in $(seq 9); do nine+=(--fragment "$TMP/mine.config"); done
run "$KTSTR" kernel build "${nine[@]}" --tarball "$TMP/fake.tar.xz"
expect_rc 2 "nine --fragment files"
no_build
expect_err "at most 8 --fragment files" "more than 8 fragments are refused"
expect_eq "$(builds)" 0 "a bad --config or --fragment builds nothing"
expect_eq "$(entries)" 0 "failed setups leave no entry"
run "$KTSTR" kernel list
expect_rc 0 "list of an empty cache"
expect_err "no kernels cached" "an empty cache says so"

# --- build from a tarball, into the cache
bash -c 'exit 0' & wait $!
dead=$!
mkdir -p "$kernels/.tmp-left-behind-$dead"	# an unfinished build of a gone process
run "$KTSTR" kernel build --tarball "$TMP/fake.tar.xz"
expect_rc 0 "build --tarball"
expect_out "^kernel $key built in [0-9]+:[0-9]{2}: $kernels/$key/bzImage$" "build names key and image"
expect_err "^extracting $TMP/fake.tar.xz" "build says what it extracts"
expect_err "^configuring linux as lean: make allnoconfig \+ ktstr's fragment \+ make olddefconfig$" \
	"lean is the default"
expect_err "removed 1 unfinished build" "stale temporary directories are removed"
expect_eq "$(builds)" 1 "one make bzImage"
expect_eq "$(tmpdirs)" 0 "no temporary directory left"
for f in bzImage vmlinux .config System.map build.log metadata.json; do
	checks=$((checks + 1))
	[ -s "$kernels/$key/$f" ] || fail "entry has no $f"
done
expect_eq "$(head -c 4 "$kernels/$key/vmlinux" | od -An -c | tr -d ' ')" '177ELF' "vmlinux is ELF"
checks=$((checks + 1))
grep -qx 'CONFIG_SCHED_CLASS_EXT=y' "$kernels/$key/.config" || fail ".config has the fragment"
checks=$((checks + 1))
grep -qx 'CONFIG_FAKE_ALLNO=y' "$kernels/$key/.config" && ! grep -q FAKE_BASE "$kernels/$key/.config" ||
	fail "lean starts from allnoconfig, not defconfig"
checks=$((checks + 1))
grep -qx 'CONFIG_PCI=y' "$kernels/$key/.config" || fail "the fragment overrides allnoconfig's PCI"
checks=$((checks + 1))
grep -q '^==== ktstr: make allnoconfig$' "$kernels/$key/build.log" &&
	! grep -q '^==== ktstr: make defconfig$' "$kernels/$key/build.log" ||
	fail "build.log has make allnoconfig and no make defconfig"
checks=$((checks + 1))
grep -qF "KCFLAGS='$kcflags' bzImage" "$kernels/$key/build.log" &&
	grep -qx "  KCFLAGS $kcflags" "$kernels/$key/build.log" ||
	fail "build.log has the make command"
checks=$((checks + 1))
python3 - "$kernels/$key" "$TMP/fake.tar.xz" "$frag" <<'PY' || fail "metadata.json"
import json, os, sys, zlib
d, tarball, frag = sys.argv[1:]
m = json.load(open(os.path.join(d, "metadata.json")))
want = {"schema": 1, "version": "6.99.1-fake", "arch": "x86_64", "image": "bzImage",
        "fragment_crc": frag, "ktstr_version": m["ktstr_version"], "config": "lean",
        "fragments": []}
for k, v in want.items():
    assert m[k] == v, (k, m[k], v)
assert m["source"] == {"kind": "tarball", "path": tarball,
                       "crc32": "%08x" % zlib.crc32(open(tarball, "rb").read())}, m["source"]
cfg = open(os.path.join(d, ".config"), "rb").read()
assert m["config_crc"] == "%08x" % zlib.crc32(cfg), m["config_crc"]
assert m["sizes"]["image"] == os.path.getsize(os.path.join(d, "bzImage"))
assert m["sizes"]["vmlinux"] == os.path.getsize(os.path.join(d, "vmlinux"))
assert m["built_at"].endswith("Z") and "T" in m["built_at"]
PY

# --- the cache hit, --force, -j
start=$(date +%s%N)
run "$KTSTR" kernel build --tarball "$TMP/fake.tar.xz"
ms=$((($(date +%s%N) - start) / 1000000))
expect_rc 0 "a cache hit"
expect_out "^kernel $key is cached \(built [0-9T:-]+Z\); --force rebuilds$" "the cache hit says so"
expect_eq "$(builds)" 1 "a cache hit builds nothing"
echo "a cache hit took $ms ms (speed is bench's business, not an assertion here)"
run "$KTSTR" kernel build --tarball "$TMP/fake.tar.xz" --force -j 1
expect_rc 0 "--force"
expect_out "^kernel $key built" "--force builds again"
expect_eq "$(builds)" 2 "--force runs make again"
expect_eq "$(entries)" 1 "--force replaces the entry"
expect_eq "$(tmpdirs)" 0 "--force leaves no temporary directory"
checks=$((checks + 1))
grep -q 'make -j1 ' "$kernels/$key/build.log" || fail "-j 1 reaches make"

# --- kernel list
run "$KTSTR" kernel list
expect_rc 0 "kernel list"
expect_out "^$key +6\.99\.1-fake +lean +[0-9]+s +[0-9.]+ KiB$" \
	"list shows key, version, config, age, size"
run "$KTSTR" kernel list --json
expect_rc 0 "kernel list --json"
checks=$((checks + 1))
python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin.read().splitlines()]
assert len(rows) == 1, rows
r = rows[0]
assert r["key"] == sys.argv[1] and r["version"] == "6.99.1-fake", r
assert r["stale"] is False and r["corrupt"] is None and r["size"] > 0, r
assert r["source"]["kind"] == "tarball" and r["path"].endswith(sys.argv[1]), r
assert r["config"] == "lean" and r["fragments"] == [], r
' "$key" <<<"$out" || fail "list --json"

# --- discovery
run "$KTSTR" kernel path
expect_rc 0 "kernel path"
expect_eq "$out" "$kernels/$key/bzImage" "path: the cached kernel"
run "$KTSTR" kernel path --kernel "$key"
expect_eq "$out" "$kernels/$key/bzImage" "path --kernel KEY"
run "$KTSTR" kernel path --kernel 6.99
expect_eq "$out" "$kernels/$key/bzImage" "path --kernel VERSION-PREFIX"
run "$KTSTR" kernel path --kernel 6.9
expect_rc 2 "a version prefix that matches nothing"
expect_err "no cached kernel of version 6.9" "6.9 is not a prefix of 6.99"
run "$KTSTR" kernel path --kernel "$kernels/$key/bzImage"
expect_eq "$out" "$kernels/$key/bzImage" "path --kernel FILE"
run "$KTSTR" kernel path --kernel "$TMP/nosuch"
expect_rc 2 "--kernel of nothing"
expect_err "--kernel $TMP/nosuch: no such file" "--kernel of nothing says so"
run "$KTSTR" kernel path --kernel "$KTSTR_SRCDIR/README.md"
expect_rc 2 "--kernel of a file that is no kernel"
expect_err "not a kernel image" "--kernel of README.md"

# --- full, and full with a fragment of the user's: other recipes of one source, other keys
fullkey=6.99.1-fake-tarball-$(crc32 "$TMP/fake.tar.xz")-x86_64-kc$(recipe_crc full)
fullre="make defconfig \+ make kvm_guest.config \+ ktstr's fragment"
run "$KTSTR" kernel build --config full --tarball "$TMP/fake.tar.xz"
expect_rc 0 "build --config full"
expect_out "^kernel $fullkey built" "full is another entry than lean"
expect_err "^configuring linux as full: $fullre \+ make olddefconfig$" \
	"full says its recipe"
checks=$((checks + 1))
grep -qx 'CONFIG_FAKE_BASE=y' "$kernels/$fullkey/.config" &&
	grep -qx 'CONFIG_KVM_GUEST=y' "$kernels/$fullkey/.config" ||
	fail "full starts from defconfig + kvm_guest.config"
checks=$((checks + 1))
grep -qx '# CONFIG_MODULES is not set' "$kernels/$fullkey/.config" ||
	fail "the fragment overrides defconfig's CONFIG_MODULES=y"
mkey=6.99.1-fake-tarball-$(crc32 "$TMP/fake.tar.xz")-x86_64-kc$(recipe_crc full "$TMP/mine.config")
run "$KTSTR" kernel build --config full --fragment "$TMP/mine.config" --tarball "$TMP/fake.tar.xz"
expect_rc 0 "build --config full --fragment"
expect_out "^kernel $mkey built" "full with a fragment is a third entry"
expect_err "^configuring linux as full\+1 fragment: $fullre \+ $TMP/mine.config \+ make olddefconfig$" \
	"the user's fragment is in the recipe"
expect_err "^$TMP/mine.config:3: CONFIG_NR_CPUS=512 overrides ktstr.kconfig:[0-9]+ \(256\)$" \
	"an override of ktstr's fragment is said"
checks=$((checks + 1))
mcfg=$kernels/$mkey/.config
grep -qx 'CONFIG_FAKE_MINE=y' "$mcfg" && grep -qx 'CONFIG_NR_CPUS=512' "$mcfg" &&
	! grep -qx 'CONFIG_NR_CPUS=256' "$mcfg" || fail "the user's fragment is merged last"
expect_eq "$(entries)" 3 "lean, full and full+fragment are three entries"
checks=$((checks + 1))
# (The heredoc's body starts on the line after the one with <<'PY': the
# `|| fail` must be on that line, or it becomes Python's first line.)
python3 - "$kernels" "$key" "$fullkey" "$mkey" "$TMP/mine.config" "$frag" <<'PY' || fail "metadata.json of each recipe"
import json, os, sys, zlib
d, lean, full, mine, frag_path, frag = sys.argv[1:]
meta = lambda k: json.load(open(os.path.join(d, k, "metadata.json")))
assert meta(lean)["config"] == "lean" and meta(lean)["fragments"] == []
assert meta(full)["config"] == "full" and meta(full)["fragments"] == []
m = meta(mine)
assert m["config"] == "full", m
want = [{"path": os.path.realpath(frag_path),
         "crc32": "%08x" % zlib.crc32(open(frag_path, "rb").read())}]
assert m["fragments"] == want, (m["fragments"], want)
assert all(meta(k)["fragment_crc"] == frag for k in (lean, full, mine))
PY
run "$KTSTR" kernel build --config full --fragment "$TMP/mine.config" --tarball "$TMP/fake.tar.xz"
expect_out "^kernel $mkey is cached" "full with the same fragment is a hit"
run "$KTSTR" kernel list
expect_out "^$key +6\.99\.1-fake +lean +" "list: lean"
expect_out "^$fullkey +6\.99\.1-fake +full +" "list: full"
expect_out "^$mkey +6\.99\.1-fake +full\+1 fragment +[0-9]+s" "list: full+1 fragment"
run "$KTSTR" kernel list --json
checks=$((checks + 1))
python3 -c '
import json, sys
rows = {r["key"]: r for r in map(json.loads, sys.stdin.read().splitlines())}
assert rows[sys.argv[1]]["config"] == "lean" and rows[sys.argv[2]]["config"] == "full"
f = rows[sys.argv[3]]
assert f["config"] == "full" and len(f["fragments"]) == 1, f
assert f["fragments"][0]["path"].endswith("/mine.config") and len(f["fragments"][0]["crc32"]) == 8
' "$key" "$fullkey" "$mkey" <<<"$out" || fail "list --json shows config and fragments"
run "$KTSTR" kernel path
expect_eq "$out" "$kernels/$mkey/bzImage" "path: the newest usable entry, whatever its config"
run "$KTSTR" kernel path --kernel "$key"
expect_eq "$out" "$kernels/$key/bzImage" "path --kernel KEY picks the lean one"
# an option of the user's fragment that does not survive is named by FILE:LINE
run env KTSTR_FAKE_DROP=CONFIG_FAKE_MINE "$KTSTR" kernel build --force --config full \
	--fragment "$TMP/mine.config" --tarball "$TMP/fake.tar.xz"
expect_rc 1 "an option of the user's fragment dropped by olddefconfig"
expect_err "1 option of the fragments did not survive olddefconfig" "the loss is counted"
expect_err "^  CONFIG_FAKE_MINE: want y, got absent \($TMP/mine.config:2\)$" \
	"the lost option is named with its fragment and line"
expect_err "hint: it does not exist in this kernel, or its dependencies are not met" \
	"with the generic hint"
expect_eq "$(entries)" 3 "a failed --force keeps the old entry"

# --- --source: a tree that is not a git tree is built in place and not cached
run "$KTSTR" kernel build --source "$fake"
expect_rc 0 "build --source (no git)"
expect_err "not caching this build: $fake is not a git tree" "a non-git tree is not cached"
expect_out "^kernel built in place in [0-9:]+, not cached: $fake/arch/x86/boot/bzImage$" \
	"build --source says where the image is"
expect_eq "$(entries)" 3 "a non-git tree adds no entry"
checks=$((checks + 1))
[ -s "$fake/.ktstr-build.log" ] || fail "an in-place build keeps its log in the tree"
run env KTSTR_KERNEL="$fake" "$KTSTR" kernel path
expect_eq "$out" "$fake/arch/x86/boot/bzImage" "KTSTR_KERNEL=TREE"
run env KTSTR_KERNEL="$fake" "$KTSTR" kernel path --kernel "$key"
expect_eq "$out" "$kernels/$key/bzImage" "--kernel beats KTSTR_KERNEL"
run env KTSTR_KERNEL=7.7 "$KTSTR" kernel path
expect_rc 2 "a KTSTR_KERNEL that names nothing is an error"
expect_err "KTSTR_KERNEL 7.7" "the error names KTSTR_KERNEL"

# --- a tree's .config: kept when it has every option, unless ktstr made it for another recipe
expect_eq "$(cat "$fake/.ktstr-config")" "$lean lean" "ktstr notes the recipe it configured the tree with"
run "$KTSTR" kernel build --source "$fake"
expect_rc 0 "a tree built again"
expect_err "^keeping $fake/.config: ktstr configured it as lean$" "the same recipe keeps .config"
run "$KTSTR" kernel build --source "$fake" --config full
expect_rc 0 "a lean tree built as full"
saved="\(the old one is saved as $fake/.config.ktstr-old\)"
expect_err "^$fake/.config was configured by ktstr as lean: configuring it as full $saved$" \
	"another recipe configures the tree again"
checks=$((checks + 1))
grep -qx CONFIG_FAKE_BASE=y "$fake/.config" && grep -qx CONFIG_FAKE_ALLNO=y "$fake/.config.ktstr-old" ||
	fail "the tree is full now, the lean .config saved"
expect_eq "$(cat "$fake/.ktstr-config")" "$(recipe_crc full) full" "the tree's recipe is full now"
rm "$fake/.ktstr-config"
echo CONFIG_FAKE_OWN=y >>"$fake/.config"
run "$KTSTR" kernel build --source "$fake"
expect_rc 0 "a tree with a .config of the user's"
expect_err "^keeping $fake/.config: it has every option of ktstr's fragment; ktstr did not write it" \
	"a .config of the user's with every option is kept, whatever --config says"
checks=$((checks + 1))
grep -qx CONFIG_FAKE_OWN=y "$fake/.config" || fail "the user's .config is built as it is"
printf 'CONFIG_FAKE_OWN=y\n' >"$fake/.config"
run "$KTSTR" kernel build --source "$fake" --fragment "$TMP/mine.config"
expect_rc 0 "a tree whose .config lacks options"
expect_err "^$fake/.config lacks [0-9]+ options of the fragments: configuring it from scratch $saved$" \
	"a .config without the options is configured from scratch"
checks=$((checks + 1))
grep -qx CONFIG_FAKE_OWN=y "$fake/.config.ktstr-old" && grep -qx CONFIG_FAKE_MINE=y "$fake/.config" &&
	grep -qx CONFIG_FAKE_ALLNO=y "$fake/.config" || fail "the old .config saved, the new one lean+1 fragment"
run "$KTSTR" kernel build --source "$fake" --clean
expect_rc 0 "--clean"
checks=$((checks + 1))
grep -qx mrproper "$KTSTR_FAKE_MARKER" || fail "--clean runs make mrproper"

# --- a clean git tree is cached, keyed by HEAD; a dirty one is not
git_fake=$TMP/git/linux-fake
mkdir -p "$TMP/git" && cp -r "$KTSTR_SRCDIR/tests/data/fake-kernel" "$git_fake"
printf '.*\nvmlinux\nSystem.map\n/arch/\n!.gitignore\n' >"$git_fake/.gitignore"	# as Linux's
git -C "$git_fake" init -q && git -C "$git_fake" add -A &&
	git -C "$git_fake" -c user.name=t -c user.email=t@example.com commit -qm fake
sha=$(git -C "$git_fake" rev-parse HEAD)
tkey=6.99.1-fake-tree-${sha:0:8}-x86_64-kc$lean
run "$KTSTR" kernel build --source "$git_fake"
expect_rc 0 "build --source (clean git tree)"
expect_out "^kernel $tkey built" "a clean git tree is cached under its HEAD"
checks=$((checks + 1))
grep -q "\"sha\":\"$sha\"" "$kernels/$tkey/metadata.json" || fail "metadata keeps the commit"
run "$KTSTR" kernel build --source "$git_fake"
expect_out "^kernel $tkey is cached" "the clean git tree's second build is a hit"
echo '# edited' >>"$git_fake/Kconfig"
run "$KTSTR" kernel build --source "$git_fake"
expect_rc 0 "build --source (dirty git tree)"
expect_err "not caching this build: $git_fake has uncommitted changes" "a dirty tree is not cached"
expect_eq "$(entries)" 4 "the dirty tree added no entry"
run "$KTSTR" kernel path --kernel 6.99
expect_eq "$out" "$kernels/$tkey/bzImage" "a version prefix picks the newest"

# --- corrupt and stale entries are listed as such, and skipped by discovery
mk() { cp -r "$kernels/$key" "$kernels/$1"; }
mk 6.99.0-bad-truncated && head -c 40 "$kernels/$key/metadata.json" >"$kernels/6.99.0-bad-truncated/metadata.json"
mk 6.99.0-bad-malformed && echo '{"schema": 1}}' >"$kernels/6.99.0-bad-malformed/metadata.json"
mk 6.99.0-bad-missing && rm "$kernels/6.99.0-bad-missing/metadata.json"
mk 6.99.0-bad-schema && sed -i 's/"schema":1/"schema":2/' "$kernels/6.99.0-bad-schema/metadata.json"
mk 6.99.0-bad-image && rm "$kernels/6.99.0-bad-image/bzImage"
skey=6.99.1-fake-tarball-00000000-x86_64-kc00000000
mk "$skey" && sed -i 's/"fragment_crc":"[0-9a-f]*"/"fragment_crc":"00000000"/' "$kernels/$skey/metadata.json"
okey=6.99.1-fake-tarball-00000001-x86_64-kc00000001	# written by a ktstr before --config
mk "$okey" && sed -i 's/,"config":"lean","fragments":\[\]//' "$kernels/$okey/metadata.json"
run "$KTSTR" kernel list
expect_rc 0 "list with corrupt entries"
expect_out "^6\.99\.0-bad-truncated .*\(corrupt: metadata.json is cut short" "truncated listed"
expect_out "^6\.99\.0-bad-malformed .*\(corrupt: metadata.json:1:" "malformed listed"
expect_out "^6\.99\.0-bad-missing .*\(corrupt: no metadata.json\)" "missing listed"
expect_out "^6\.99\.0-bad-schema .*\(corrupt: schema 2; this ktstr reads schema 1\)" "schema listed"
expect_out "^6\.99\.0-bad-image .*\(corrupt: bzImage is missing or empty\)" "image missing listed"
expect_out "^$skey .*\(stale fragment\)$" "stale fragment listed"
expect_out "^$okey +6\.99\.1-fake +full +[0-9]+s +[0-9.]+ KiB$" \
	"an entry without \"config\" (an older ktstr's) is full and usable"
run "$KTSTR" kernel list --json
checks=$((checks + 1))
kinds=$(python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin.read().splitlines()]
print(" ".join(sorted(r["corrupt"]["kind"] for r in rows if r["corrupt"])))
assert [r["key"] for r in rows if r["stale"]] == [sys.argv[1]]
' "$skey" <<<"$out") || fail "list --json with corrupt entries"
expect_eq "$kinds" "image_missing malformed missing schema_mismatch truncated" "corruption kinds"
run "$KTSTR" kernel path
expect_eq "$out" "$kernels/$tkey/bzImage" "discovery skips corrupt and stale entries"
run "$KTSTR" kernel path --kernel 6.99.0-bad-image
expect_rc 2 "--kernel of a corrupt entry"
expect_err "corrupt cache entry \(image_missing" "--kernel of a corrupt entry says what is wrong"
run "$KTSTR" kernel build --tarball "$TMP/fake.tar.xz"
expect_out "^kernel $key is cached" "other corrupt entries do not spoil a hit"

# --- a failing make: the log's tail, no entry, no temporary directory
mktarball failing
fkey=6.99.1-fake-tarball-$(crc32 "$TMP/failing.tar.gz")-x86_64-kc$lean
before=$(entries)
run env KTSTR_FAKE_FAIL=1 "$KTSTR" kernel build --tarball "$TMP/failing.tar.gz"
expect_rc 1 "a failing make"
expect_err "make bzImage failed \(exit 2\)" "the failure is named"
expect_err "error: fake compiler error" "the log's tail is shown"
expect_err "the full log: $KTSTR_CACHE_DIR/logs/failed-$fkey.log" "the full log is kept"
expect_eq "$(entries)" "$before" "a failed build adds no entry"
expect_eq "$(tmpdirs)" 0 "a failed build leaves no temporary directory"

# --- an option that does not survive olddefconfig is named, with a hint
run env KTSTR_FAKE_DROP=CONFIG_SCHED_CLASS_EXT "$KTSTR" kernel build --tarball "$TMP/failing.tar.gz"
expect_rc 1 "a required option dropped by olddefconfig"
expect_err "CONFIG_SCHED_CLASS_EXT: want y, got absent" "the missing option is named"
expect_err "hint: needs BPF_SYSCALL" "with a hint"
expect_eq "$(entries)" "$before" "no entry when the config is wrong"
expect_eq "$(tmpdirs)" 0 "no temporary directory when the config is wrong"

# --- SIGINT and SIGTERM stop make and every process it started
set -m	# background jobs get default SIGINT handling
for sig in INT TERM; do
	rm -f "$TMP/make.pid"
	KTSTR_FAKE_PIDFILE=$TMP/make.pid KTSTR_FAKE_SLEEP=60 \
		"$KTSTR" kernel build --tarball "$TMP/failing.tar.gz" >"$TMP/sig.out" 2>"$TMP/sig.err" &
	bpid=$!
	for _ in $(seq 200); do [ -s "$TMP/make.pid" ] && break; sleep 0.05; done
	sleeper=$(cat "$TMP/make.pid" 2>/dev/null || echo 0)
	kill -"$sig" "$bpid"
	wait "$bpid"
	rc=$?
	err=$(cat "$TMP/sig.err")
	want=$([ $sig = INT ] && echo 130 || echo 143)
	expect_rc "$want" "SIG$sig during make"
	expect_err "stopped by SIG$sig" "SIG$sig is named"
	expect_eq "$(entries)" "$before" "SIG$sig leaves no entry"
	expect_eq "$(tmpdirs)" 0 "SIG$sig leaves no temporary directory"
	checks=$((checks + 1))
	if [ "$sleeper" -gt 0 ] && kill -0 "$sleeper" 2>/dev/null; then
		fail "SIG$sig left make's child $sleeper running"
		kill "$sleeper"
	fi
done
set +m

# --- two builds of one key at once: one builds, the other waits and reuses it
mktarball concurrent
n=$(builds)
KTSTR_FAKE_SLEEP=2 "$KTSTR" kernel build --tarball "$TMP/concurrent.tar.gz" >"$TMP/c1.out" 2>"$TMP/c1.err" &
p1=$!
KTSTR_FAKE_SLEEP=2 "$KTSTR" kernel build --tarball "$TMP/concurrent.tar.gz" >"$TMP/c2.out" 2>"$TMP/c2.err" &
p2=$!
wait "$p1"; rc1=$?
wait "$p2"; rc2=$?
rc=$rc1; expect_rc 0 "the first of two concurrent builds"
rc=$rc2; expect_rc 0 "the second of two concurrent builds"
expect_eq "$(builds)" $((n + 1)) "two concurrent builds of one key build once"
err=$(cat "$TMP/c1.err" "$TMP/c2.err")
expect_err "waiting for another ktstr building 6\.99\.1-fake-tarball-" "the waiter says so"
out=$(cat "$TMP/c1.out" "$TMP/c2.out")
expect_out "is cached \(built" "the waiter reuses the entry"
expect_eq "$(tmpdirs)" 0 "concurrent builds leave no temporary directory"

# --- kernel clean
total=$(entries)
run "$KTSTR" kernel clean --keep 1 </dev/null
expect_rc 2 "clean without --force on a non-terminal"
expect_err "pass --force" "clean says to pass --force"
expect_eq "$(entries)" "$total" "a refused clean removes nothing"
ckey=6.99.1-fake-tarball-$(crc32 "$TMP/concurrent.tar.gz")-x86_64-kc$lean
# old guest base archives go too; the last used one stays, and so do others' temp files
mkdir -p "$KTSTR_CACHE_DIR/initramfs"
for b in base-0000000a.cpio.gz base-0000000b.cpio.gz base-0000000c.cpio.gz base-0000000d.cpio.gz.tmp-Ab12Cd; do
	head -c 1000 /dev/zero >"$KTSTR_CACHE_DIR/initramfs/$b"
done
touch -d '2 days ago' "$KTSTR_CACHE_DIR/initramfs/base-0000000a.cpio.gz"
touch -d '1 day ago' "$KTSTR_CACHE_DIR/initramfs/base-0000000c.cpio.gz"
run "$KTSTR" kernel clean --keep 2 --force
expect_rc 0 "clean --keep 2 --force"
expect_out "^removed 2 old initramfs base archives \(" "old base archives are removed"
expect_eq "$(ls -A "$KTSTR_CACHE_DIR/initramfs" | tr '\n' ' ')" \
	"base-0000000b.cpio.gz base-0000000d.cpio.gz.tmp-Ab12Cd " "the last used base archive stays"
expect_out "^removed 6\.99\.0-bad-image " "corrupt entries are removed"
expect_out "^removed $skey " "stale entries are removed"
expect_out "^removed $key " "older kernels are removed"
expect_eq "$(entries)" 2 "clean --keep 2 keeps two"
run "$KTSTR" kernel list
expect_eq "$(awk '{print $1}' <<<"$out" | tr '\n' ' ')" "$ckey $tkey " \
	"clean --keep 2 keeps the two newest usable kernels"
checks=$((checks + 1))
[ ! -e "$KTSTR_CACHE_DIR/logs" ] || fail "clean removes the logs of failed builds"
run "$KTSTR" kernel clean --force
expect_rc 0 "clean --force"
expect_eq "$(entries)" 0 "clean --force removes every kernel"
run "$KTSTR" kernel clean --force
expect_out "^nothing to remove" "clean of an empty cache"

# --- nothing to find: the error names the commands that make a kernel
run "$KTSTR" kernel path
if [ -r "/boot/vmlinuz-$(uname -r)" ]; then
	expect_rc 0 "the distribution kernel is the last resort"
	expect_out "^/boot/vmlinuz-" "path prints /boot/vmlinuz-\$(uname -r)"
else
	expect_rc 2 "no kernel anywhere"
	expect_err "no kernel found" "no kernel found"
	expect_err "build one: ktstr kernel build" "the error names kernel build"
	expect_err "--kernel PATH" "the error names --kernel"
fi

finish
