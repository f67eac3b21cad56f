#!/usr/bin/env bash
# Benchmark: what the host-side monitor (#19) costs, under QEMU/TCG. Runs one
# scx-ktstr scenario BENCH_PAIRS (4) times with the monitor and as often
# without it (its three checks off), alternating so that drift in the host's
# load hits both alike, and prints per run the workers' iterations, the
# scenario's worst gap, and the sampler's own host CPU (per sample, per
# second sampled); then the means and the difference. Topology BENCH_TOPO
# (1n1l4c1t), BENCH_SECONDS (5) long. Asserts only that the runs ran.
. "$(dirname "$0")/../cli/lib.sh"
need_kernel
pairs=${BENCH_PAIRS:-4}
topo=${BENCH_TOPO:-1n1l4c1t}
secs=${BENCH_SECONDS:-5}

scenario() {	# scenario FILE MONITOR(on|off)
	local off=
	[ "$2" = off ] && off=", max_imbalance_ratio: false, max_local_dsq_depth: false, fail_on_stall: false"
	cat >"$1" <<YAML
name: monitor_cost_$2
topology: $topo
duration: ${secs}s
memory: 512MiB
scheduler: scx-ktstr
cgroups:
  - {name: cg0, works: [{type: cpu-spin, workers: usable}]}
  - {name: cg1, works: [{type: futex-ping-pong, workers: 2}]}
checks: {max_gap: 30s, max_spread: 100%$off}
YAML
}
scenario "$TMP/on.yaml" on
scenario "$TMP/off.yaml" off

# one MODE: a run, its JSON line appended to $TMP/MODE.jsonl (--json rewrites its file)
one() {
	run "$KTSTR" run "${QEMU_TCG[@]}" --json "$TMP/last.jsonl" "$TMP/$1.yaml"
	expect_rc 0 "the $1 run passes"
	cat "$TMP/last.jsonl" >>"$TMP/$1.jsonl"
}
for ((i = 0; i < pairs; i++)); do
	one on
	one off
done

/usr/bin/python3 - "$TMP/on.jsonl" "$TMP/off.jsonl" <<'EOF'
import json, re, statistics, sys
rows = {}
for mode, path in (("on", sys.argv[1]), ("off", sys.argv[2])):
    rows[mode] = []
    for line in open(path):
        o = json.loads(line)
        m = re.search(r"host CPU ([0-9.]+) ms, ([0-9]+) us a sample, ([0-9.]+)% of one CPU",
                      o["report"])
        rows[mode].append((o["metrics"].get("total_iterations", 0),
                           o["metrics"].get("worst_gap_ms", 0),
                           o["durations_ms"]["scenario"], m.groups() if m else None,
                           o.get("monitor")))
print(f"{'run':<6} {'iterations':>12} {'worst_gap_ms':>12} {'scenario_ms':>11}  sampler")
for mode in ("on", "off"):
    for it, gap, ms, cost, mon in rows[mode]:
        c = f"{cost[0]} ms, {cost[1]} us/sample, {cost[2]}% of a CPU ({mon})" if cost else \
            f"({mon})"
        print(f"{mode:<6} {it:>12.0f} {gap:>12.0f} {ms:>11}  {c}")
on = [r[0] for r in rows["on"]]
off = [r[0] for r in rows["off"]]
if on and off:
    mo, mf = statistics.mean(on), statistics.mean(off)
    sd = statistics.pstdev(off)
    print(f"mean iterations: monitor on {mo:.0f}, off {mf:.0f}: "
          f"{(mo - mf) / mf * 100:+.1f}% (off runs' spread {sd / mf * 100:.1f}%)")
    us = [float(r[3][1]) for r in rows["on"] if r[3]]
    pct = [float(r[3][2]) for r in rows["on"] if r[3]]
    if us:
        print(f"sampler: {statistics.mean(us):.0f} us a sample, "
              f"{statistics.mean(pct):.2f}% of one host CPU")
EOF
finish
