#!/usr/bin/env bash
# The guest agent outside a VM (test mode, no cgroups): plans in, frames out,
# decoded with the host's reader (tests/tools/proto_dump).
. "$(dirname "$0")/lib.sh"
: "${KTSTR_AGENT:?}" "${PROTO_DUMP:?}" "${PLAN_WRITE:?}"

agent() {	# agent PLAN: runs the agent, then decodes $TMP/res into $out
	"$KTSTR_AGENT" --plan "$1" --results "$TMP/res" --no-cgroups >"$TMP/aout" 2>&1
	arc=$?
	checks=$((checks + 1))
	! grep -Eq 'Sanitizer|runtime error' "$TMP/aout" ||
		fail "sanitizer report from the agent: $(head -c 2000 "$TMP/aout")"
	run "$PROTO_DUMP" "$TMP/res"
}

count() {	# count REGEX: lines of $out matching
	grep -Ec -- "$1" <<<"$out"
}

# ---- a tiny scenario, through the host's plan writer
cat >"$TMP/tiny.yaml" <<'EOF'
name: tiny
topology: 1n1l2c1t
duration: 300ms
workers: 2
cgroups:
  - name: cg0
    work: cpu-spin
EOF
run "$PLAN_WRITE" "$TMP/tiny.yaml"
expect_rc 0 "plan_write tiny"
printf '%s\n' "$out" >"$TMP/tiny.plan"
expect_out '^ktstr-plan 2$' "the plan has its version line"
expect_out '^cgroup =cg0 -$' "the plan has the cgroup"

start=$(date +%s%N)
agent "$TMP/tiny.plan"
elapsed=$((($(date +%s%N) - start) / 1000000))
expect_eq "$arc" 0 "the agent ran the tiny plan"
expect_rc 0 "the stream decodes cleanly"
expect_out '^hello "ktstr-agent ' "hello first"
# Right after HELLO, what this machine's sysfs says of CPU 0 (test mode reads the host's /sys).
expect_eq "$(sed -n 2p <<<"$out" | grep -Ec '^topology "cpu 0 ([0-9]+|-) ([0-9]+|-) ([0-9]+|-) [-0-9,]+ [-0-9,]+\\x0a')" 1 \
	"the topology frame follows hello"
expect_out '^scenario_start ncpus=[0-9]+ nsteps=0$' "scenario start"
expect_out '^step index=backdrop .* ncgroups=1 nworkers=2 status=0$' "backdrop step"
expect_eq "$(count '^worker_report cgroup=cg0 step=backdrop group=0 pid=[0-9]+ type=0 exit=0/0 ')" 2 \
	"two clean worker reports from cg0"
expect_eq "$(count '^worker_report .* work_units=0 ')" 0 "every worker did work"
expect_out '^scenario_end elapsed_ms=(29[0-9]|[3-9][0-9]{2}|[1-9][0-9]{3}) status=0$' \
	"the scenario lasted its 300 ms (and ended within 10 s)"
expect_out '^exit code=0$' "exit code 0"
expect_out '^end frames=[0-9]+ skipped=0 bad_crc=0 truncated=no$' "no garbage, no truncation"
checks=$((checks + 1))
[ "$elapsed" -lt 30000 ] || fail "the tiny plan took ${elapsed} ms (hung?)"

# ---- the stream cut short: the reader reports where
size=$(stat -c %s "$TMP/res")
head -c $((size - 2)) "$TMP/res" >"$TMP/cut"
run "$PROTO_DUMP" "$TMP/cut"
expect_rc 1 "a truncated stream is not clean"
expect_out '^error stream ended inside a frame: 2 of 4 payload bytes$' \
	"the truncation is reported"
expect_out '^scenario_end ' "frames before the cut still decode"

# ---- steps, ops, programs, a loop hold (written by hand: the format is the contract)
cat >"$TMP/steps.plan" <<'EOF'
ktstr-plan 1
name =steps
duration 900000000
workers 1
ncpus 2
cpu 0 0 0
cpu 1 0 0
scheduler -
backdrop
cgroup =a -
work 0 1 normal 0 - inherit - default 0x0 0 0 0 0 0
step hold 200000000
cgroup =a/b -
work 2 1 normal 0 - single-cpu - default 0x0 0 0 0 0 0
op add_cgroup =c -
op spawn =c
work 1 2 normal 0 - inherit - default 0x0 0 0 0 0 0
op run =sl =c
arg =sleep
arg =30
op spawn_host
work 12 1 normal 0 - inherit - default 0x0 0 0 0 0 0
phase spin 1000000
phase sleep 1000000
step hold 100000000
op kill =sl
op move_all_tasks =c =a
op stop_cgroup =a
step loop 100000000
op set_affinity =a cpus 1
end
EOF
start=$(date +%s%N)
agent "$TMP/steps.plan"
elapsed=$((($(date +%s%N) - start) / 1000000))
expect_eq "$arc" 0 "the steps plan ran"
expect_rc 0 "its stream decodes cleanly"
expect_out '^scenario_start ncpus=[0-9]+ nsteps=3$' "three steps"
expect_out '^step index=0 .* nops=4 ncgroups=3 nworkers=5 status=0$' "step 1: a, a/b, c; 5 workers"
expect_out '^log "program .sl. started, pid [0-9]+"$' "the program started"
expect_eq "$(count '^worker_report cgroup=a/b step=0 ')" 1 "a/b's worker reported at the end of step 1"
expect_out '^log "program .sl. \(pid [0-9]+\) killed"$' "kill op"
expect_eq "$(count '^worker_report cgroup=a step=0 group=0 .* type=1 exit=0/0')" 2 \
	"c's workers moved to a, stopped by stop_cgroup"
expect_eq "$(count '^worker_report cgroup=a step=backdrop ')" 1 "a's own worker stopped too"
expect_out '^step index=2 .* status=0$' "the loop step"
expect_eq "$(count '^worker_report cgroup=- step=0 group=0 .* type=12 exit=0/0')" 1 \
	"the spawn_host sequence worker reported at the end of the run"
expect_eq "$(count '^worker_report ')" 5 "five reports in all"
expect_out '^scenario_end elapsed_ms=(8[5-9][0-9]|9[0-9][0-9]|[1-9][0-9]{3}) status=0$' \
	"the loop ran to the scenario's end"
expect_out '^exit code=0$' "exit code 0"
checks=$((checks + 1))
[ "$elapsed" -lt 30000 ] || fail "the steps plan took ${elapsed} ms (hung?)"

# ---- move_tasks: one task at a time, the one longest in its cgroup first;
# a moved worker reports from (and is stopped with) its new cgroup
cat >"$TMP/moves.plan" <<'EOF'
ktstr-plan 2
name =moves
duration 600000000
workers 1
ncpus 2
cpu 0 0 0
cpu 1 0 0
scheduler -
backdrop
cgroup =a -
work 0 3 normal 0 - inherit - default 0x0 0 0 0 0 0
cgroup =b -
work 1 1 normal 0 - inherit - default 0x0 0 0 0 0 0
step hold 100000000
op move_tasks =a =b 2
step hold 100000000
op move_tasks =b =a 1
op stop_cgroup =b
step hold 100000000
op move_tasks =b =a 5
end
EOF
agent "$TMP/moves.plan"
expect_eq "$arc" 0 "the moves plan ran"
expect_out '^step index=0 .* nops=1 ncgroups=2 nworkers=4 status=0$' "step 1: 4 workers still"
expect_eq "$(count '^worker_report cgroup=b step=backdrop group=0 .* type=0 exit=0/0')" 2 \
	"2 of a's 3 workers moved to b, stopped with b"
expect_eq "$(count '^worker_report cgroup=a step=backdrop group=0 .* type=1 exit=0/0')" 1 \
	"b's own worker, the longest in b, moved to a"
expect_eq "$(count '^worker_report cgroup=a step=backdrop group=0 .* type=0 exit=0/0')" 1 \
	"the third of a's workers stayed"
expect_eq "$(count '^worker_report ')" 4 "four reports in all"
expect_out '^step index=2 .* status=0$' "moving from an empty cgroup is no error"
expect_out '^exit code=0$' "exit code 0"

# ---- op errors end the run with the reason
cat >"$TMP/bad_op.plan" <<'EOF'
ktstr-plan 1
name =bad
duration 500000000
workers 1
ncpus 1
cpu 0 0 0
scheduler -
backdrop
cgroup =a -
work 0 1 normal 0 - inherit - default 0x0 0 0 0 0 0
step hold 100000000
op run =p -
arg =/nonexistent/program
end
EOF
agent "$TMP/bad_op.plan"
expect_eq "$arc" 1 "a failing op fails the run"
expect_out '^error "step 1 failed: op 1 \(run\): cannot run .p. \(/nonexistent/program\): No such file or directory"$' \
	"the error frame names step, op and cause"
expect_out '^step index=0 .* status=2$' "the step frame carries the errno"
expect_eq "$(count '^worker_report cgroup=a ')" 1 "the backdrop worker still reported"
expect_out '^scenario_end elapsed_ms=[0-9]+ status=2$' "scenario end carries the errno"
expect_out '^exit code=1$' "exit code 1"

# ---- a bad plan is refused with its line
printf 'ktstr-plan 1\nduration 5\nncpus 1\nbackdrop\ncgroup =../x -\nend\n' >"$TMP/bad.plan"
agent "$TMP/bad.plan"
expect_eq "$arc" 1 "a bad plan fails"
expect_out "^error \"plan line 5: bad cgroup name '../x'\"$" "the error names the line"
expect_out '^exit code=1$' "exit frame after a bad plan"

# ---- SIGTERM ends the run early, with every report
sed 's/^duration .*/duration 30000000000/' "$TMP/tiny.plan" >"$TMP/long.plan"
"$KTSTR_AGENT" --plan "$TMP/long.plan" --results "$TMP/res" --no-cgroups >/dev/null 2>&1 &
apid=$!
sleep 0.5
kill -TERM "$apid"
wait "$apid"
arc=$?
run "$PROTO_DUMP" "$TMP/res"
expect_eq "$arc" 1 "a stopped run exits 1"
expect_out '^error "stopped before the scenario.s end \(signal\)"$' "the stop is explained"
expect_eq "$(count '^worker_report cgroup=cg0 .* exit=0/0 ')" 2 "both workers reported"
expect_out '^scenario_end elapsed_ms=[0-9]+ status=125$' "status ECANCELED"

# ---- a SHUTDOWN frame on the control channel ends the run early
printf 'KTSR\001\000\100\000\000\000\000\000\000\000\000\000' >"$TMP/shutdown"
start=$(date +%s%N)
"$KTSTR_AGENT" --plan "$TMP/long.plan" --results "$TMP/res" --no-cgroups \
	--control "$TMP/shutdown" >/dev/null 2>&1
arc=$?
elapsed=$((($(date +%s%N) - start) / 1000000))
run "$PROTO_DUMP" "$TMP/res"
expect_eq "$arc" 1 "a run the host shut down exits 1"
expect_out '^error "stopped before the scenario.s end \(the host asked\)"$' "the shutdown is explained"
expect_out '^log "the host asked to shut down"$' "the shutdown is logged"
expect_eq "$(count '^worker_report cgroup=cg0 .* exit=0/0 ')" 2 "both workers reported after shutdown"
checks=$((checks + 1))
[ "$elapsed" -lt 30000 ] || fail "the shutdown took ${elapsed} ms (hung?)"

# ---- usage and the cgroup root check
run "$KTSTR_AGENT" --plan x
expect_rc 2 "test mode without --results"
expect_err "usage: ktstr-agent" "usage is printed"
mkdir "$TMP/notcg"
run "$KTSTR_AGENT" --plan "$TMP/tiny.plan" --results "$TMP/res" --test-root "$TMP/notcg"
expect_rc 1 "a --test-root that is not cgroup2"
run "$PROTO_DUMP" "$TMP/res"
expect_out "is not a cgroup2 mount" "the cgroup2 check explains itself"

finish
