#!/usr/bin/env bash
# The agent as PID 1 in a real VM (qemu, TCG): mounts, virtio ports by name,
# COM2 lines, cgroup v2 with cpusets (a nested, threaded child included), a
# program, and the reset that ends qemu -no-reboot. Skips (77) without a
# kernel ($KTSTR_TEST_KERNEL or the cached one), qemu, cpio or gzip,
# and with a non-static agent (sanitizer builds).
. "$(dirname "$0")/lib.sh"
: "${KTSTR_AGENT:?}" "${PROTO_DUMP:?}" "${PLAN_WRITE:?}"

kernel=${KTSTR_TEST_KERNEL:-$("$KTSTR" kernel path 2>/dev/null)}
for tool in qemu-system-x86_64 cpio gzip readelf; do
	command -v "$tool" >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done
[ -n "$kernel" ] && [ -r "$kernel" ] ||
	{ echo "SKIP: no kernel ('ktstr kernel build' caches one, or set KTSTR_TEST_KERNEL)"; exit 77; }
if readelf -l "$KTSTR_AGENT" | grep -q 'program interpreter'; then
	echo "SKIP: the agent is not static (sanitizer build)"
	exit 77
fi

root=$TMP/root
mkdir -p "$root"/{dev,proc,sys,tmp,ktstr}
cp "$KTSTR_AGENT" "$root/init"
cat >"$TMP/vm.yaml" <<'EOF'
name: agent_vm
topology: 1n1l2c1t
duration: 600ms
workers: 1
cgroups:
  - name: cg0
    cpuset: {cpus: "0"}
  - name: cg1
    cpuset: {cpus: "1"}
    work: {type: bursty, burst: 10ms, sleep: 10ms}
steps:
  - cgroups: [{name: cg0/sub, work: yield-heavy}]
    ops:
      - run: {name: p, argv: [/init, --version-probe], cgroup: cg1}
      - wait: p
    hold: 1/2
  - ops: [{swap_cpusets: [cg0, cg1]}]
    hold: 1/2
EOF
run "$PLAN_WRITE" "$TMP/vm.yaml"
expect_rc 0 "plan_write"
printf '%s\n' "$out" >"$root/ktstr/plan"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip >"$TMP/initrd.gz")

timeout 120 qemu-system-x86_64 -M pc -accel tcg,thread=multi \
	-cpu max,la57=off,vendor=GenuineIntel -m 512 -smp 2 \
	-kernel "$kernel" -initrd "$TMP/initrd.gz" -append "console=ttyS0 panic=-1 loglevel=4" \
	-display none -nodefaults -no-user-config -no-reboot \
	-chardev file,id=com1,path="$TMP/com1" -serial chardev:com1 \
	-chardev file,id=com2,path="$TMP/com2" -serial chardev:com2 \
	-device virtio-serial-pci,id=vser0 \
	-chardev file,id=results,path="$TMP/res" \
	-device virtserialport,bus=vser0.0,chardev=results,name=org.ktstr.results \
	-chardev null,id=control \
	-device virtserialport,bus=vser0.0,chardev=control,name=org.ktstr.control
rc=$?
out=$(cat "$TMP/com2")
err=$(tail -n 30 "$TMP/com1")
expect_rc 0 "qemu ended by the guest's reset"
expect_eq "$(head -n 1 "$TMP/com2")" KTSTR_AGENT_STARTED "COM2 start line"
expect_out '^KTSTR_EXIT=0$' "COM2 exit line"

run "$PROTO_DUMP" "$TMP/res"
expect_rc 0 "the results port decodes cleanly"
expect_out '^hello ' "hello"
expect_out '^scenario_start ncpus=2 nsteps=2$' "the guest sees 2 CPUs"
expect_out '^log "program .p. exited with status 2"$' "the program ran and was waited for"
expect_out '^worker_report cgroup=cg0/sub step=0 .* exit=0/0 ' "the nested cgroup's worker"
expect_out '^worker_report cgroup=cg0 step=backdrop .* exit=0/0 .* cpus_used=[12] ' "cg0's worker"
expect_out '^worker_report cgroup=cg1 step=backdrop .* exit=0/0 ' "cg1's worker"
expect_eq "$(grep -c '^worker_report ' <<<"$out")" 3 "three reports"
expect_out '^scenario_end elapsed_ms=[0-9]+ status=0$' "the scenario ran to its end"
expect_out '^exit code=0$' "exit frame"
expect_out 'skipped=0 bad_crc=0 truncated=no$' "a clean stream"

finish
