#!/usr/bin/env bash
# ktstr doctor: the report's lines, --json, usage errors, and that its
# choice for --vmm auto agrees with its CPL0 timing.
. "$(dirname "$0")/lib.sh"

run "$KTSTR" doctor
expect_rc 0 "doctor exits 0"
for key in "kvm" "cpl0 loop" "vmm auto" "qemu" "kernel" "busybox" "iasl"; do
	expect_out "^$key: +[^ ]" "doctor reports $key"
done
expect_out "^vmm auto: +(the in-process VMM|qemu with (KVM|TCG)): " "vmm auto names backend and accelerator"
text=$out

# From the build tree, with no KTSTR_AGENT, ktstr finds its own agent and
# module loader (build/initramfs/), as `./build/cmd/ktstr run` needs them.
run env -u KTSTR_AGENT "$KTSTR" doctor
expect_out "^agent: +$KTSTR_BUILDDIR/initramfs/ktstr-agent$" "the build tree's agent is found"
[ -x "$KTSTR_BUILDDIR/initramfs/ktstr-modload" ] || fail "ktstr-modload is not next to the agent"

if grep -q "^cpl0 loop: .* ns per iteration" <<<"$text"; then
	expect_out "^kvm api: +12 " "KVM API version 12"
	expect_out "^cpl0 loop: +[0-9.]+ ns per iteration \([0-9]+ iterations, [0-9] runs, entry and exit [0-9.]+ us, probe [0-9.]+ ms\): (hardware speed|nested speed|emulated) " "cpl0 line"
	if grep -q "^cpl0 loop: .*: emulated " <<<"$text"; then
		expect_out "^vmm auto: +qemu with TCG: this KVM runs guest kernel code at [0-9]+ ns per loop \(emulated, nested or paravirtual\): using qemu with TCG$" "emulated KVM: TCG"
	else
		expect_out "^vmm auto: +the in-process VMM: .*: using the in-process VMM$" "hardware-speed KVM: the in-process VMM"
	fi
else
	expect_out "^cpl0 loop: +not measured: " "no KVM: says why the loop was not timed"
	expect_out "^vmm auto: +qemu with TCG: KVM is not usable" "no KVM: TCG"
fi

# --- --json: one object with the same facts, parsed by python3
run "$KTSTR" doctor --json
expect_rc 0 "doctor --json exits 0"
printf '%s\n' "$out" >"$TMP/doctor.json"
run python3 - "$TMP/doctor.json" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, f"{len(lines)} lines, want one JSON object"
d = json.loads(lines[0])
for k in ("kvm", "cpl0", "vmm_auto", "qemu", "kernel", "busybox", "iasl"):
    assert k in d, f"no {k}"
c, a = d["cpl0"], d["vmm_auto"]
assert a["backend"] in ("qemu", "vmm") and a["accel"] in ("kvm", "tcg"), a
assert a["reason"], "no reason"
if c["measured"]:
    assert d["kvm"]["usable"] and d["kvm"]["api_version"] == 12, d["kvm"]
    assert c["ns_per_iter"] > 0 and c["iterations"] > 0, c
    # The documented limits (man ktstr, doctor and --accel): hardware speed
    # under 2 ns per iteration, nested speed under 50 (KVM usable), else emulated.
    ns = c["ns_per_iter"]
    assert c["threshold_ns"] == 50, c
    want = "hardware speed" if ns < 2 else "nested speed" if ns < 50 else "emulated"
    assert c["verdict"] == want, (c, want)
    assert a["accel"] == ("kvm" if ns < 50 else "tcg"), (c, a)
    assert a["backend"] == ("vmm" if ns < 50 else "qemu"), (c, a)
    assert c["probe_ns"] < 2e9, "the probe took seconds"
else:
    assert c["error"] and a["accel"] == "tcg" and a["backend"] == "qemu", (c, a)
for t in ("qemu", "busybox", "iasl"):
    assert set(d[t]) == {"path", "version"}, d[t]
assert (d["kernel"]["path"] is None) == (d["kernel"]["error"] is not None), d["kernel"]
print("ok", c.get("ns_per_iter"), a["accel"])
PY
expect_rc 0 "doctor --json parses and agrees with itself"
expect_out "^ok " "json checks ran"

# --- what it says about qemu follows KTSTR_QEMU
run env KTSTR_QEMU=/nonexistent/qemu "$KTSTR" doctor
expect_rc 0 "doctor without qemu still exits 0"
expect_out "^qemu: +not found \(needed for the qemu backend\)$" "missing qemu reported"

# --- a kernel named with --kernel that does not exist is reported, not fatal
run "$KTSTR" doctor --kernel /nonexistent/bzImage
expect_rc 0 "doctor with a bad --kernel exits 0"
expect_out "^kernel: +none: " "bad kernel reported"

# --- usage errors
run "$KTSTR" doctor --bogus
expect_rc 2 "unknown option"
expect_err "ktstr doctor: unknown option '--bogus'" "unknown option named"
run "$KTSTR" doctor extra
expect_rc 2 "extra argument"
expect_err "takes no arguments" "extra argument refused"

run "$KTSTR" help doctor
expect_rc 0 "help doctor"
expect_out "^usage: ktstr doctor" "help doctor shows usage"

finish
