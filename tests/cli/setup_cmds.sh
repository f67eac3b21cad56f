#!/usr/bin/env bash
# The README's two commands work as root without sudo and as a user with it
# (#16): they are plain `bash .ci/setup` and `bash .ci/test`, and
# .ci/install-deps calls sudo only when it is not root, saying what to do when
# there is no sudo. The package manager is stubbed: nothing is installed.
. "$(dirname "$0")/lib.sh"
R=$KTSTR_SRCDIR/README.md

cmds=$(awk '/^```sh$/ { getline; print }' "$R" | head -n 2)
expect_eq "$cmds" "$(printf 'bash .ci/setup\nbash .ci/test')" "the README's two commands need no sudo"
checks=$((checks + 1))
[ -f "$KTSTR_SRCDIR/.ci/setup" ] && [ -f "$KTSTR_SRCDIR/.ci/test" ] || fail "the scripts exist"

# Stubs: every package missing; apt-get and sudo record how they were called.
mkdir -p "$TMP/bin"
printf '#!/bin/sh\nexit 1\n' >"$TMP/bin/dpkg-query"
printf '#!/bin/sh\necho "apt-get $*" >>"%s/calls"\n' "$TMP" >"$TMP/bin/apt-get"
printf '#!/bin/sh\necho "sudo $1" >>"%s/calls"\n' "$TMP" >"$TMP/bin/sudo"
printf '#!/bin/sh\n[ "$1" = -u ] && echo "${FAKE_UID:-0}" || /usr/bin/id "$@"\n' >"$TMP/bin/id"
chmod +x "$TMP/bin"/*
deps() {	# deps: run .ci/install-deps with the stubs first on PATH
	rm -f "$TMP/calls"
	run env PATH="$TMP/bin:/usr/bin:/bin" "$@" bash "$KTSTR_SRCDIR/.ci/install-deps"
}

deps FAKE_UID=0
expect_rc 0 "as root"
expect_eq "$(grep -c '^sudo' "$TMP/calls")" 0 "root calls apt-get without sudo"
expect_eq "$(grep -c '^apt-get install' "$TMP/calls")" 1 "and installs"

deps FAKE_UID=1000
expect_rc 0 "as a user with sudo"
expect_eq "$(grep -c '^sudo apt-get' "$TMP/calls")" 2 "the user goes through sudo"

rm "$TMP/bin/sudo"
mkdir -p "$TMP/nosudo"
# A PATH without any sudo: the stubs and a directory with only what the script uses.
for t in bash env dpkg-query apt-get id; do
	p=$(PATH="$TMP/bin:/usr/bin:/bin" command -v "$t") && ln -sf "$p" "$TMP/nosudo/$t"
done
rm -f "$TMP/calls"
run env PATH="$TMP/nosudo" FAKE_UID=1000 bash "$KTSTR_SRCDIR/.ci/install-deps"
expect_rc 1 "a user without sudo"
expect_err "^install-deps: .* missing, and this user is not root and has no sudo: run 'bash .ci/setup' as root, or install sudo$" \
	"says what to do"
checks=$((checks + 1))
[ ! -e "$TMP/calls" ] || fail "nothing was run"
finish
