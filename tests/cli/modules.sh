#!/usr/bin/env bash
# A modular kernel end to end: Debian's cloud kernel has virtio_pci and
# virtio_console as modules. ktstr packs them with a generated modules.dep and
# the guest loads them with ktstr-modload (libkmod) before the agent looks for
# its ports; a PASS with worker statistics proves the results came over virtio
# (the COM2 fallback carries no reports).
. "$(dirname "$0")/lib.sh"
E=$KTSTR_SRCDIR/tests/e2e

root=${KTSTR_TEST_MODULAR_KERNEL:-${KTSTR_CACHE_DIR:-$HOME/.cache/ktstr}/test-kernels/debian-cloud}
img=$(ls "$root"/boot/vmlinuz-* 2>/dev/null | head -n1)
if [ -z "$img" ]; then
	skip "no modular kernel under $root; .ci/fetch-modular-kernel fetches Debian's cloud kernel there"
fi
rel=${img##*/vmlinuz-}
echo "kernel: $img"
export TMPDIR=$TMP/runtmp
mkdir -p "$TMPDIR"

# --- found beside the image (PREFIX/boot/vmlinuz-REL -> PREFIX/lib/modules/REL)
run "$KTSTR" run "${QEMU_TCG[@]}" -v --kernel "$img" "$E/steady.yaml"
expect_rc 0 "the steady scenario passes on a modular kernel"
expect_out "^PASS \[ *[0-9.]+s\] e2e_steady " "PASS line"
expect_out "^  cg0: workers=2 cpus=[0-9]+ " "worker reports arrived over virtio"
expect_err "modules from $root/lib/modules/$rel: .*virtio_pci.* virtio_console" \
	"the modules and their load order are listed"

# --- named explicitly, and wrongly
run "$KTSTR" run "${QEMU_TCG[@]}" --kernel "$img" --modules "$TMP/nonexistent" "$E/steady.yaml"
expect_rc 2 "a missing modules directory is a setup error"
expect_err "modules directory $TMP/nonexistent: not a directory" "the error names the path"

# --- a modules directory without virtio_console
mkdir -p "$TMP/mods/$rel"
cp "$root/lib/modules/$rel/modules.builtin" "$TMP/mods/$rel/"
run "$KTSTR" run "${QEMU_TCG[@]}" --kernel "$img" --modules "$TMP/mods/$rel" "$E/steady.yaml"
expect_rc 2 "missing modules are a setup error"
expect_err "module virtio_pci is neither built into the kernel nor in $TMP/mods/$rel" \
	"the error names the module and the directory"

[ -z "$(ls "$TMPDIR")" ] || fail "temporary files left in $TMPDIR: $(ls "$TMPDIR")"
finish
