#!/usr/bin/env bash
# Benchmark: where a variant's boot to the agent goes under QEMU (TCG here,
# KVM where the host's KVM is at speed), for a 4-vCPU scenario
# (tests/bench/boot4.yaml). Quiet runs (as users run them) give the boot to
# the agent; one -v run (loglevel=7, kernel timestamps) splits it: before the
# kernel's clock starts (firmware, boot protocol, decompression), the kernel's
# init up to the initramfs, unpacking it, the rest of the initcalls up to
# /init, and /init to the agent's start (the agent logs its time since boot),
# then the HELLO reaching ktstr. Prints figures; asserts only that it ran.
. "$(dirname "$0")/../cli/lib.sh"
need_kernel
runs=${BENCH_RUNS:-5}
S=$KTSTR_SRCDIR/tests/bench/boot4.yaml
for i in $(seq 1 "$runs"); do
	"$KTSTR" run --kernel "$kernel" --json "$TMP/q$i.json" "$S" >/dev/null 2>&1 ||
		echo "(quiet run $i failed)"
done
run "$KTSTR" run -v --kernel "$kernel" --json "$TMP/v.json" --results-dir "$TMP/res" "$S"
expect_rc 0 "the -v run passes"
python3 - "$TMP" "$runs" "$kernel" <<'PY'
import glob, json, os, re, statistics, sys
tmp, runs, kernel = sys.argv[1], int(sys.argv[2]), sys.argv[3]
boots = []
for i in range(1, runs + 1):
    try:
        d = json.load(open(f"{tmp}/q{i}.json"))
        if d["verdict"] == "pass":
            boots.append(d["durations_ms"]["boot"])
    except (OSError, ValueError, KeyError):
        pass
print(f"kernel: {kernel} ({os.path.getsize(kernel) / 1e6:.1f} MB)")
if boots:
    print(f"boot to agent, quiet (as users run it), {len(boots)} runs: median "
          f"{statistics.median(boots):.0f} ms (min {min(boots)}, max {max(boots)})")
v = json.load(open(f"{tmp}/v.json"))
log = open(glob.glob(f"{tmp}/res/*/console.log")[0], errors="replace").read()
def ts(pat):
    m = re.search(r"\[\s*(\d+\.\d+)\][^\n]*" + pat, log)
    return float(m.group(1)) if m else None
agent = re.search(r"ktstr-agent: started (\d+\.\d+) s after boot", log)
t_agent = float(agent.group(1)) if agent else None
marks = [("kernel init up to the initramfs", ts("Unpacking initramfs") or ts("Trying to unpack")),
         ("unpacking the initramfs", ts("Freeing initrd memory")),
         ("the rest of the initcalls, to /init", ts("Run /init as init process")),
         ("/init to the agent's start", t_agent)]
boot = v["durations_ms"]["boot"]
print(f"the -v run (loglevel=7: slower, every kernel line on the serial console): "
      f"boot to agent {boot} ms")
if t_agent is None:
    print("  (no 'ktstr-agent: started' line in the console: no breakdown)")
    sys.exit(0)
print(f"  {'before the kernel clock (firmware, boot protocol, decompression)':66} "
      f"{boot - t_agent * 1000:7.0f} ms (by difference, with the HELLO's transit)")
prev = 0.0
for name, t in marks:
    if t is None:
        print(f"  {name:66} (not in the log)")
        continue
    print(f"  {name:66} {(t - prev) * 1000:7.0f} ms")
    prev = t
PY
finish
