#!/usr/bin/env bash
# ktstr topo: the host's topology named as a scenario names it, and which
# presets fit it, read from fake /sys trees (--sysfs) and from this host.
. "$(dirname "$0")/lib.sh"

# mkhost DIR cores=C,C,... [threads=T] [nodes=N] [mem=MiB per node] [nonuma=1]
# A fake /sys: one LLC per entry of cores= (that many cores), T threads per
# core numbered as Linux does (core k's threads are k, k+K, ... for K cores),
# cores spread over the nodes in order (an LLC may span two), each node with
# its meminfo; nonuma=1 leaves out devices/system/node (a kernel without NUMA).
mkhost() {
	python3 - "$@" <<'PY'
import os, sys
root, args = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
llcs = [int(c) for c in args["cores"].split(",")]
threads, nodes = int(args.get("threads", 1)), int(args.get("nodes", 1))
mem = int(args.get("mem", 4096))
ncores = sum(llcs)
cpu = lambda core, t: core + t * ncores
def put(path, text):
    path = os.path.join(root, "devices/system", path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w").write(text + "\n")
def cpulist(cpus):
    return ",".join(str(c) for c in sorted(cpus))
put("cpu/online", f"0-{ncores * threads - 1}")
core = 0
for size in llcs:
    llc = [cpu(k, t) for k in range(core, core + size) for t in range(threads)]
    for k in range(core, core + size):
        sib = [cpu(k, t) for t in range(threads)]
        for c in sib:
            put(f"cpu/cpu{c}/topology/thread_siblings_list", cpulist(sib))
            put(f"cpu/cpu{c}/cache/index0/level", "1")
            put(f"cpu/cpu{c}/cache/index0/shared_cpu_list", cpulist(sib))
            put(f"cpu/cpu{c}/cache/index3/level", "3")
            put(f"cpu/cpu{c}/cache/index3/shared_cpu_list", cpulist(llc))
    core += size
if not args.get("nonuma"):
    put("node/online", f"0-{nodes - 1}")
    for n in range(nodes):
        cores = [k for k in range(ncores) if k * nodes // ncores == n]
        put(f"node/node{n}/cpulist", cpulist(cpu(k, t) for k in cores for t in range(threads)))
        put(f"node/node{n}/meminfo",
            f"Node {n} MemTotal:       {mem * 1024} kB\nNode {n} MemFree:        1000 kB")
PY
}

# preset JSONFILE NAME: prints the preset's "fits" and "why_not" from --json.
preset() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
p = [p for p in d["presets"] if p["name"] == sys.argv[2]][0]
print(p["fits"], p["why_not"])' "$1" "$2"
}

# --- a 2-node, 2-LLC SMT host: 2 x 4 cores x 2 threads, 8 GiB per node
mkhost "$TMP/numa" cores=4,4 threads=2 nodes=2 mem=8192
run "$KTSTR" topo --sysfs "$TMP/numa"
expect_rc 0 "topo of a 2-node SMT host"
expect_out "^host topology: +2n2l4c2t$" "named 2n2l4c2t, regular"
expect_out "^numa nodes: +2$" "2 nodes"
expect_out "^llcs: +2 of 8 CPUs$" "2 LLCs of 8 CPUs"
expect_out "^threads per core: +2$" "SMT 2"
expect_out "^online cpus: +16$" "16 CPUs"
expect_out "^memory: +16384 MiB$" "the nodes' memory summed"
expect_out "^presets: 3 of 24 fit this host without oversubscription" "3 fit, and the rule is named"
expect_out "^  smt-2llc +1n2l2c2t +8 +2048 MiB  yes$" "smt-2llc fits (8 CPUs, 2 LLCs of 4)"
expect_out "^  tiny-1llc +1n1l4c1t +4 +2048 MiB  yes$" "tiny-1llc fits"
expect_out "^  odd-3llc +1n3l3c1t +9 +2048 MiB  no: 3 LLCs > 2 host LLCs$" "odd-3llc: too many LLCs"
expect_out "^  numa2-4llc .* no: 4 LLCs > 2 host LLCs$" "numa2-4llc: 16 CPUs fit, 4 LLCs do not"
expect_out "^  medium-4llc .* no: 32 vCPUs > 16 host CPUs; 4 LLCs > 2 host LLCs$" "medium-4llc: two reasons"
if grep -q "None fits" <<<"$out"; then fail "the none-fits hint on a host where some fit"; fi

run "$KTSTR" topo --sysfs "$TMP/numa" --json
expect_rc 0 "topo --json"
printf '%s\n' "$out" >"$TMP/numa.json"
run python3 - "$TMP/numa.json" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, f"{len(lines)} lines, want one JSON object"
d = json.loads(lines[0])
h = d["host"]
want = dict(nodes=2, llcs=2, cores_per_llc=4, threads_per_core=2, cpus=16, memory_mb=16384,
            topology="2n2l4c2t", irregular=False, rounding=None)
for k, v in want.items():
    assert h[k] == v, (k, h[k], v)
assert d["oversubscribe"] is False, d["oversubscribe"]
assert d["capacity"] == {"cpus": 16, "llcs": 2, "max_cpus_per_llc": 8}, d["capacity"]
assert len(d["presets"]) == 24, len(d["presets"])
for p in d["presets"]:
    assert set(p) >= {"name", "cpus", "memory_mb", "fits", "why_not"}, p
    assert p["memory_mb"] == 2048, p
    assert p["fits"] == (p["why_not"] is None), p
PY
expect_rc 0 "the --json fields"
expect_eq "$(preset "$TMP/numa.json" smt-2llc)" "True None" "--json: smt-2llc fits"
expect_eq "$(preset "$TMP/numa.json" odd-3llc)" "False 3 LLCs > 2 host LLCs" "--json: odd-3llc does not"
expect_eq "$(python3 -c 'import json,sys; print(" ".join(p["name"] for p in json.load(open(sys.argv[1]))["presets"] if p["fits"]))' "$TMP/numa.json")" \
	"tiny-1llc tiny-2llc smt-2llc" "--json: exactly the presets within 16 CPUs, 2 LLCs of 8"

# --- a single-CPU host with 1 GiB: nothing fits, the memory says why too
mkhost "$TMP/one" cores=1 mem=1024
run "$KTSTR" topo --sysfs "$TMP/one"
expect_rc 0 "topo of a single-CPU host"
expect_out "^host topology: +1n1l1c1t$" "named 1n1l1c1t"
expect_out "^presets: 0 of 24 fit" "none fits"
expect_out "^  tiny-1llc .* no: 4 vCPUs > 1 host CPUs; 4 CPUs per LLC > 1 in the largest host LLC; 2048 MiB memory > 1024 MiB on the host$" \
	"CPUs, LLC size and memory each named"
expect_out "^None fits. A scenario with 'topology: 1n1l1c1t' runs here" "the hint names the host's own topology"
run "$KTSTR" topo --sysfs "$TMP/one" --json
expect_eq "$(python3 -c 'import json,sys; h = json.load(sys.stdin)["host"]; print(h["topology"], h["cpus"], h["memory_mb"])' <<<"$out")" \
	"1n1l1c1t 1 1024" "--json: the single CPU and its memory"

# --- an irregular host: LLCs of 6 and 4 cores, no NUMA in sysfs (memory unknown)
mkhost "$TMP/odd" cores=6,4 nonuma=1
run "$KTSTR" topo --sysfs "$TMP/odd"
expect_rc 0 "topo of an irregular host"
expect_out "^host topology: +1n2l5c1t \(nearest: irregular host\)$" "rounded to 1n2l5c1t, and says so"
expect_out "^  rounded: +LLCs of unequal size \(4 to 6 CPUs\): 5 cores per LLC \(the CPUs split evenly, rounded down\)$" \
	"says how it was rounded"
expect_out "^llcs: +2 of 4 to 6 CPUs$" "both LLC sizes"
expect_out "^memory: +unknown \(not checked\)$" "no node meminfo: memory unknown"
expect_out "^  smt-2llc .* yes$" "smt-2llc fits (4 CPUs per LLC <= 6)"
expect_out "^  tiny-1llc .* yes$" "tiny-1llc fits"
expect_out "^  odd-3llc .* no: 3 LLCs > 2 host LLCs$" "odd-3llc does not"
run "$KTSTR" topo --sysfs "$TMP/odd" --json
printf '%s\n' "$out" >"$TMP/odd.json"
run python3 - "$TMP/odd.json" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))["host"]
assert (h["topology"], h["llcs"], h["cores_per_llc"], h["cpus"]) == ("1n2l5c1t", 2, 5, 10), h
assert h["irregular"] is True and "4 to 6 CPUs" in h["rounding"], h
assert h["memory_mb"] is None, h
PY
expect_rc 0 "--json: the irregular host, rounded, memory null"

# An LLC spanning two nodes (sub-NUMA clustering): one LLC per node in the name.
mkhost "$TMP/snc" cores=8 nodes=2
run "$KTSTR" topo --sysfs "$TMP/snc"
expect_out "^host topology: +2n2l4c1t \(nearest: irregular host\)$" "SNC named 2n2l4c1t"
expect_out "^  rounded: +1 LLC over 2 nodes: counted as 2 \(an LLC spans nodes: split at each node\)$" \
	"says the LLC was split"

# --- errors
run "$KTSTR" topo --sysfs "$TMP/nonexistent"
expect_rc 2 "--sysfs of a missing tree"
expect_err "^ktstr topo: cannot read the host's topology: $TMP/nonexistent/devices/system/cpu/online: No such file or directory$" \
	"names the file it could not read"
run "$KTSTR" topo extra
expect_rc 2 "an argument"
expect_err "takes no arguments \('extra'\)" "names the argument"
run "$KTSTR" topo --bogus
expect_rc 2 "an unknown option"
run "$KTSTR" topo --sysfs
expect_rc 2 "--sysfs without its value"
run "$KTSTR" topo --help
expect_rc 0 "--help"
expect_out "^usage: ktstr topo" "--help shows the usage"
expect_out "--sysfs DIR" "--help lists --sysfs"

# --- this host: exits 0, counts its online CPUs, and the presets it says fit
# are those the gauntlet keeps here (a scenario accepting every preset).
run "$KTSTR" topo
expect_rc 0 "topo of this host"
expect_out "^online cpus: +$(getconf _NPROCESSORS_ONLN)$" "the online CPUs"
expect_out "^host topology: +[0-9]+n[0-9]+l[0-9]+c[0-9]+t" "a scenario topology name"
run "$KTSTR" topo --json
printf '%s\n' "$out" >"$TMP/host.json"
expect_rc 0 "topo --json of this host"
printf 'name: every\ncgroups: [{name: cg0}]\ngauntlet:\n  constraints: {max_numa: 4, max_llcs: 15, max_cpus: 252}\n' \
	>"$TMP/every.yaml"
kept=$("$KTSTR" gauntlet --list "$TMP/every.yaml" 2>/dev/null | sed -n 's|^every/\([^/]*\)/default$|\1|p' | tr '\n' ' ')
fits=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
# The memory check is the VM'"'"'s, not the gauntlet filter'"'"'s: compare the CPU rule only.
print("".join(p["name"] + " " for p in d["presets"]
	      if p["fits"] or (p["why_not"] or "").startswith("2048 MiB memory")))' "$TMP/host.json")
expect_eq "$fits" "$kept" "topo's fitting presets are the ones 'gauntlet --list' keeps here"

finish
