#!/usr/bin/env bash
# meson install into a staging directory: the files land where they belong, and
# the installed ktstr finds its agent (../libexec/ktstr/) and, when it was
# built, the bundled scx-ktstr next to itself, not in the build tree.
. "$(dirname "$0")/lib.sh"
: "${KTSTR_BUILDDIR:?run through meson test}"

if ! command -v meson >/dev/null; then
	skip "meson is not on PATH"
fi
opt() {	# opt NAME: a meson option's value in this build
	meson introspect --buildoptions "$KTSTR_BUILDDIR" |
		python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == sys.argv[1]))' "$1"
}
prefix=$(opt prefix)
root=$TMP/inst$prefix
run meson install -C "$KTSTR_BUILDDIR" --destdir "$TMP/inst" --no-rebuild --quiet
expect_rc 0 "meson install --destdir"
for f in "$(opt bindir)/ktstr" "$(opt libexecdir)/ktstr/ktstr-agent" \
	"$(opt libexecdir)/ktstr/ktstr-modload" "$(opt mandir)/man1/ktstr.1" \
	"$(opt mandir)/man5/ktstr-scenario.5"; do
	checks=$((checks + 1))
	[ -f "$root/$f" ] || fail "not installed: $prefix/$f"
done

unset KTSTR_AGENT KTSTR_SCHEDULER
run "$root/$(opt bindir)/ktstr" doctor
expect_rc 0 "the installed ktstr runs"
expect_out "^agent: +$root/$(opt libexecdir)/ktstr/ktstr-agent$" \
	"the installed ktstr finds the installed agent"
if [ -x "$KTSTR_BUILDDIR/bpf/scx-ktstr" ]; then
	expect_out "^scx-ktstr: +$root/$(opt bindir)/scx-ktstr$" \
		"the installed ktstr finds the installed scx-ktstr next to itself"
	checks=$((checks + 1))
	[ -f "$root/$(opt mandir)/man8/scx-ktstr.8" ] || fail "scx-ktstr.8 not installed"
fi
finish
