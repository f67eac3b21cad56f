#!/usr/bin/env bash
# ktstr run --host: scenarios on this machine's own kernel and scheduler,
# without a VM, under a cgroup v2 tree mounted for the test in $TMP/cg2 (a
# cgroup v1 host has none of its own). An EEVDF scenario passes; cpusets
# without a cpuset controller, a topology bigger than the host and a
# sched_ext scheduler that is not attached are skipped with the reason;
# SIGINT leaves no cgroup and no worker; after a kill -9 the next run
# removes what is left (and says so), but never a live run's cgroup.
# Skips (77) when not root or when cgroup2 cannot be mounted.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip "ktstr run --host needs root (this test runs as uid $(id -u))"
CG=$TMP/cg2
mkdir -p "$CG"
mount -t cgroup2 none "$CG" 2>"$TMP/merr" ||
	skip "cannot mount cgroup2 on $CG: $(cat "$TMP/merr")"
# The cgroup v2 hierarchy is one for the whole machine: whatever a failed
# check left is killed and removed before the unmount, always.
cleanup() {
	for d in "$CG"/ktstr-host-*; do
		[ -d "$d" ] || continue
		[ -e "$d/cgroup.kill" ] && echo 1 >"$d/cgroup.kill"
		sleep 0.2
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	umount "$CG"
	rm -rf "$TMP"
}
trap cleanup EXIT
export KTSTR_HOST_CGROUP=$CG
export TMPDIR=$TMP/runtmp	# the plan's temporary directory, to see it go
mkdir -p "$TMPDIR"

scenario() {	# scenario NAME TOPOLOGY DURATION [EXTRA YAML LINE] [CGROUP EXTRA]
	cat >"$TMP/$1.yaml" <<EOY
name: $1
topology: $2
duration: $3
${4:-}
cgroups:
  - {name: cg_0, ${5:-}works: [{type: cpu-spin, workers: 1}]}
  - {name: cg_1, works: [{type: cpu-spin, workers: 1}]}
EOY
}
scenario spin 1n1l2c1t 2s
scenario long 1n1l2c1t 30s
scenario mid 1n1l2c1t 6s
scenario with_cpuset 1n1l2c1t 1s '' 'cpuset: {cpus: "0"}, '
scenario big 1n2l4c1t 1s
scenario sched 1n1l2c1t 1s 'scheduler: {name: scx_simple, binary: /bin/true}'

ours() {	# ours PID: the agent and workers of the ktstr run PID (they share the agent's argv)
	pgrep -f -- "--cgroup $CG/ktstr-host-$1( |\$)"
}
started() { [ "$(ours "$1" | wc -l)" -ge 3 ]; }	# the agent and its 2 workers
gone() { [ -z "$(ours "$1")" ]; }

# --- not root, no cgroup v2: clear errors
chmod 711 "$TMP"		# the user may read the scenario
run setpriv --reuid=65534 --regid=65534 --clear-groups "$KTSTR" run --host "$TMP/spin.yaml"
expect_rc 2 "--host as a user is a setup error"
expect_err "needs root" "the error says root"
KTSTR_HOST_CGROUP=$TMP run "$KTSTR" run --host "$TMP/spin.yaml"
expect_rc 2 "a directory that is not cgroup2 is a setup error"
expect_err "$TMP is not a cgroup v2 directory; mount one with mount -t cgroup2" \
	"the error says how to get one"

# --- an EEVDF scenario without cpusets passes; --json names this kernel and the backend
run "$KTSTR" run --host --json "$TMP/r.json" "$TMP/spin.yaml"
expect_rc 0 "the EEVDF scenario passes on the host"
expect_out '^PASS \[ *[0-9.]+s\] spin \[topo=1n1l2c1t\]' "a PASS line"
checks=$((checks + 1))
grep -q 'backend: this host (' "$TMP/r.json" || fail "--json's report says 'backend: this host (...)'"
checks=$((checks + 1))
grep -q "\"kernel\": *\"$(uname -r)\"" "$TMP/r.json" || fail "--json's kernel is this host's release"
expect_eq "$(ls -d "$CG"/ktstr-host-* 2>/dev/null)" "" "no ktstr-host-* cgroup after it"

# --- what the host cannot do: SKIP with the reason
run "$KTSTR" run --host "$TMP/with_cpuset.yaml" "$TMP/big.yaml" "$TMP/sched.yaml"
expect_rc 0 "skips are not failures"
expect_out '^SKIP .* with_cpuset .*no cpuset controller' "cpusets without a cpuset controller"
expect_out '^SKIP .* big \[topo=1n2l4c1t\] \(topology 1n2l4c1t needs 8 CPUs' \
	"a topology bigger than the host"
expect_out "^SKIP .* sched .*host mode runs under this host's own scheduler" \
	"a scheduler that is not the host's"
expect_out '0 passed, 0 failed, 3 skipped' "all three skipped"

# --- SIGINT mid-run: exit 130, no cgroup, no worker
"$KTSTR" run --host "$TMP/long.yaml" >"$TMP/bg.out" 2>"$TMP/bg.err" &
pid=$!
checks=$((checks + 1))
wait_for 10 started $pid || fail "the agent and 2 workers start"
checks=$((checks + 1))
[ -d "$CG/ktstr-host-$pid" ] || fail "the run's cgroup ktstr-host-$pid exists while it runs"
kill -INT $pid
wait $pid
rc=$?
err=$(cat "$TMP/bg.err")
expect_rc 130 "SIGINT ends the run with 130"
expect_eq "$(ls -d "$CG"/ktstr-host-* 2>/dev/null)" "" "no ktstr-host-* cgroup after SIGINT"
expect_eq "$(ours $pid)" "" "no agent or worker after SIGINT"
expect_eq "$(ls "$TMPDIR")" "" "no temporary directory after SIGINT"

# --- kill -9 mid-run: PDEATHSIG takes the agent and the workers; the cgroup stays
"$KTSTR" run --host "$TMP/long.yaml" >"$TMP/bg.out" 2>"$TMP/bg.err" &
pid=$!
checks=$((checks + 1))
wait_for 10 started $pid || fail "the agent and 2 workers start"
kill -9 $pid
wait $pid 2>/dev/null
checks=$((checks + 1))
wait_for 5 gone $pid || fail "the agent and workers die with ktstr (PDEATHSIG)"
checks=$((checks + 1))
[ -d "$CG/ktstr-host-$pid" ] || fail "kill -9 leaves ktstr-host-$pid (nothing could remove it)"
# A leftover whose process lived on (a worker's child, say): the cleanup kills it too.
mkdir "$CG/ktstr-host-4000000000" "$CG/ktstr-host-4000000000/agent"
sleep 300 &
sleeper=$!
echo $sleeper >"$CG/ktstr-host-4000000000/agent/cgroup.procs"
run "$KTSTR" run --host "$TMP/spin.yaml"
expect_rc 0 "the next run passes"
expect_err 'removed 2 cgroups left by a killed run' "it says it removed the leftovers"
expect_eq "$(ls -d "$CG"/ktstr-host-* 2>/dev/null)" "" "no ktstr-host-* left"
checks=$((checks + 1))
wait $sleeper 2>/dev/null
[ $? -eq 137 ] || fail "the process in the leftover was killed (SIGKILL)"

# --- a live run's cgroup is never a leftover: its lock is held
"$KTSTR" run --host "$TMP/mid.yaml" >"$TMP/bg.out" 2>"$TMP/bg.err" &
pid=$!
checks=$((checks + 1))
wait_for 10 started $pid || fail "the first run starts"
run "$KTSTR" run --host "$TMP/spin.yaml"
expect_rc 0 "a concurrent run passes"
checks=$((checks + 1))
grep -q 'left by a killed run' <<<"$err" && fail "the concurrent run removed nothing"
checks=$((checks + 1))
[ -d "$CG/ktstr-host-$pid" ] || fail "the live run's cgroup is still there"
wait $pid
rc=$?
out=$(cat "$TMP/bg.out")
err=$(cat "$TMP/bg.err")
expect_rc 0 "the first run passes too"
expect_out '^PASS .* mid ' "its PASS line"
expect_eq "$(ls -d "$CG"/ktstr-host-* 2>/dev/null)" "" "no ktstr-host-* at the end"

finish
