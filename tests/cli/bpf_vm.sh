#!/usr/bin/env bash
# The bundled schedulers in a real sched_ext kernel (qemu, TCG, one boot, a
# busybox /init): scx-ktstr attaches as "ktstr" and leaves on SIGINT; its
# benign flags and its degrade/slow/scattershot/pile-on knobs keep scheduling
# (no ejection under load), --pile-on=1 running every hog on CPU 1; --stall-after gets it ejected by the kernel's
# watchdog ("runnable task stall"), --crash-after by scx_bpf_error(),
# --fail-verify fails to load with the verifier's log; the kernel's own
# scx_simple and scx_qmap attach and detach. Skips (77) without the
# schedulers (-Dbpf), a kernel, qemu, busybox-static or cpio, and for
# sanitizer builds.
. "$(dirname "$0")/lib.sh"

[ -z "${BPF_SKIP_REASON:-}" ] || { echo "SKIP: bpf schedulers not built: $BPF_SKIP_REASON"; exit 77; }
: "${SCX_KTSTR:?}" "${SCX_SIMPLE:?}" "${SCX_QMAP:?}"
kernel=${KTSTR_TEST_KERNEL:-$("$KTSTR" kernel path 2>/dev/null)}
for tool in qemu-system-x86_64 cpio gzip ldd; do
	command -v "$tool" >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done
busybox=$(command -v busybox || true)
[ -n "$busybox" ] && ! ldd "$busybox" >/dev/null 2>&1 ||
	{ echo "SKIP: no static busybox (apt-get install busybox-static)"; exit 77; }
[ -n "$kernel" ] && [ -r "$kernel" ] ||
	{ echo "SKIP: no kernel ('ktstr kernel build' caches one, or set KTSTR_TEST_KERNEL)"; exit 77; }
if ldd "$SCX_KTSTR" | grep -Eq 'lib(asan|ubsan)'; then
	echo "SKIP: sanitizer build (the schedulers would need its runtime in the guest)"
	exit 77
fi

root=$TMP/root
mkdir -p "$root"/{bin,dev,proc,sys,tmp,bpf}
cp "$busybox" "$root/bin/busybox"
cp "$SCX_KTSTR" "$SCX_SIMPLE" "$SCX_QMAP" "$root/bpf/"
# The loaders' shared libraries (libelf, zlib, libc) at their host paths.
for lib in $(for f in "$SCX_KTSTR" "$SCX_SIMPLE" "$SCX_QMAP"; do ldd "$f"; done |
		grep -o '/[^ ]*' | sort -u); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmp /tmp
mount -t devtmpfs dev /dev
exec >/dev/ttyS1 2>&1
up() { cut -d' ' -f1 /proc/uptime; }
hogs=""
hog() { for i in 1 2 3 4; do (while :; do :; done) & hogs="$hogs $!"; done; }
unhog() { kill $hogs; wait $hogs 2>/dev/null; hogs=""; }
# attached NAME CMD...: start it, wait until it is attached (loading takes
# seconds under TCG), give it a second under load, report the ops name and
# state (and for pileon the CPUs the hogs last ran on: /proc/PID/stat's
# 39th field), SIGINT it, report its status and output.
attached() {
	name=$1; shift
	"$@" >/tmp/out 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 100 ] && [ "$(cat /sys/kernel/sched_ext/state)" != enabled ] &&
		kill -0 $pid 2>/dev/null; do
		sleep 0.2
		i=$((i + 1))
	done
	hog
	sleep 1
	echo "$name ops=$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null) state=$(cat /sys/kernel/sched_ext/state)"
	[ "$name" != pileon ] ||
		echo "$name cpus=$(for h in $hogs; do cut -d' ' -f39 /proc/$h/stat; done | sort -u | tr '\n' ' ')"
	unhog
	kill -INT $pid
	wait $pid
	echo "$name rc=$?"
	sed "s/^/$name out: /" /tmp/out
}
# ejected NAME CMD...: run it under load until it ends, report the status,
# the seconds it ran and its output.
ejected() {
	name=$1; shift
	hog
	t0=$(up)
	"$@" >/tmp/out 2>&1
	rc=$?
	t1=$(up)
	unhog
	echo "$name rc=$rc secs=$(awk "BEGIN{print $t1 - $t0}")"
	sed "s/^/$name out: /" /tmp/out
	echo "$name state=$(cat /sys/kernel/sched_ext/state)"
}
echo "BOOTED state=$(cat /sys/kernel/sched_ext/state)"
attached plain /bpf/scx-ktstr
attached flags /bpf/scx-ktstr --short-slice --local-first
attached degrade /bpf/scx-ktstr --degrade
attached slow /bpf/scx-ktstr --slow
attached scatter /bpf/scx-ktstr --scattershot
attached pileon /bpf/scx-ktstr --pile-on=1
ejected stall /bpf/scx-ktstr --stall-after=1 --timeout-ms=3000
ejected crash /bpf/scx-ktstr --crash-after=1
ejected verify /bpf/scx-ktstr --fail-verify
attached simple /bpf/scx_simple
attached qmap /bpf/scx_qmap
echo DONE
sleep 0.5
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1 >"$TMP/initrd.gz")

start=$(date +%s)
timeout 240 qemu-system-x86_64 -M pc -accel "${BPF_VM_ACCEL:-tcg,thread=single}" \
	-cpu max,la57=off,vendor=GenuineIntel -m 512 -smp 2 \
	-kernel "$kernel" -initrd "$TMP/initrd.gz" \
	-append "console=ttyS0 panic=-1 loglevel=4 rdinit=/init" \
	-display none -nodefaults -no-user-config -no-reboot \
	-chardev file,id=com1,path="$TMP/com1" -serial chardev:com1 \
	-chardev file,id=com2,path="$TMP/com2" -serial chardev:com2
rc=$?
[ -z "${BPF_VM_CONSOLE:-}" ] || cp "$TMP/com1" "$BPF_VM_CONSOLE"
out=$(tr -d '\r' <"$TMP/com2")
err=$(tail -n 40 "$TMP/com1")
echo "guest ran $(($(date +%s) - start))s"
echo "--- guest output ---"
printf '%s\n' "$out"
echo "--- end of guest output ---"
expect_rc 0 "qemu ended by the guest's power-off"
expect_out '^BOOTED state=disabled' "the kernel has sched_ext"
expect_out '^DONE$' "the guest ran every step"

for t in plain flags degrade slow scatter pileon; do
	expect_out "^$t ops=ktstr state=enabled$" "$t: attached as ktstr"
	expect_out "^$t rc=0$" "$t: SIGINT ends it with status 0"
	expect_out "^$t out: scx-ktstr: attached \\(flags " "$t: the attached line"
	expect_out "^$t out: scx-ktstr: exit kind: 64 " "$t: it left by unregistering, not ejected"
done
expect_out '^flags out: scx-ktstr: attached \(flags short-slice local-first; timeout 20000 ms\)' \
	"the flags in the attached line"

# --pile-on=1: all four hogs (and the shell) queue on CPU 1 and take turns
expect_out '^pileon cpus=1 $' "pile-on: every hog ran on CPU 1"
expect_out '^pileon out: scx-ktstr: .* [1-9][0-9]* piled$' "pile-on: tasks went to CPU 1's queue"

expect_out '^stall rc=2 ' "stall: ejected (status 2)"
expect_out '^stall out: scx-ktstr: exit reason: runnable task stall$' "stall: the watchdog's reason"
# "TASK[PID] failed to run for N.NNNs", or when the watchdog's own worker
# starved first, "watchdog failed to check in for N.NNNs"
expect_out '^stall out: scx-ktstr: exit message: .*(failed to run|failed to check in) for [0-9.]+s$' \
	"stall: the watchdog's message"
expect_out '^stall state=disabled$' "stall: sched_ext is off afterwards"
secs=$(sed -n 's/^stall out: scx-ktstr: ran for \([0-9.]*\)s$/\1/p' <<<"$out")
checks=$((checks + 1))
# The watchdog runs every timeout/2 and ejects when a task (or its own run)
# is more than the timeout late: 1 s + 1.5..3 s, plus TCG's slowness.
awk "BEGIN{exit !($secs >= 2.5 && $secs < 15)}" 2>/dev/null ||
	fail "stall: ejected ${secs:-?}s after attaching, expected 1 s + 1.5..3 s (the 3 s timeout)"

expect_out '^crash rc=2 ' "crash: ejected (status 2)"
expect_out '^crash out: scx-ktstr: exit kind: 1025 ' "crash: a BPF error"
expect_out '^crash out: scx-ktstr: exit message: ktstr: injected crash$' "crash: the message"

expect_out '^verify rc=1 ' "fail-verify: status 1"
expect_out '^verify out: .*invalid mem access' "fail-verify: the verifier's log"
expect_out '^verify out: scx-ktstr: loading the scheduler failed' "fail-verify: says so"
expect_out '^verify state=disabled$' "fail-verify: nothing attached"

expect_out '^simple ops=simple state=enabled$' "scx_simple attached"
expect_out '^simple rc=0$' "scx_simple: SIGINT ends it with status 0"
expect_out '^qmap ops=qmap state=enabled$' "scx_qmap attached"
expect_out '^qmap rc=0$' "scx_qmap: SIGINT ends it with status 0"

finish
