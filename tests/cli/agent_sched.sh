#!/usr/bin/env bash
# The guest agent's scheduler lifecycle outside a VM (test mode,
# --sched-no-attach: liveness only, no sched_ext here): stand-in schedulers
# (shell scripts) that die, live, or cannot start; their output goes to
# --sched-log as it would to the scheduler port, and SCHED_EXIT frames are
# decoded with the host's reader (proto_dump prints a newline as \x0a).
. "$(dirname "$0")/lib.sh"
: "${KTSTR_AGENT:?}" "${PROTO_DUMP:?}" "${PLAN_WRITE:?}"

cat >"$TMP/s.yaml" <<'YAML'
name: s
topology: 1n1l2c1t
duration: 6s
workers: 1
cgroups:
  - name: cg0
    work: cpu-spin
YAML
run "$PLAN_WRITE" "$TMP/s.yaml"
expect_rc 0 "plan_write"
printf '%s\n' "$out" >"$TMP/base.plan"

plan_with() {	# plan_with PATH [ARG]: the plan with that scheduler
	local a=""
	[ $# -gt 1 ] && a="\nsched-arg =$2"
	sed "s|^scheduler -\$|scheduler =$1$a|" "$TMP/base.plan" >"$TMP/p.plan"
}

agent() {	# runs the agent on $TMP/p.plan; decoded frames in $out
	local t0
	t0=$(date +%s%N)
	"$KTSTR_AGENT" --plan "$TMP/p.plan" --results "$TMP/res" --no-cgroups \
		--sched-log "$TMP/slog" --sched-no-attach >"$TMP/aout" 2>&1
	arc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	checks=$((checks + 1))
	! grep -Eq 'Sanitizer|runtime error' "$TMP/aout" ||
		fail "sanitizer report from the agent: $(head -c 2000 "$TMP/aout")"
	run "$PROTO_DUMP" "$TMP/res"
}

# --- it dies 0.5 s in: reported at once, with its exit code and output; the scenario ends early
cat >"$TMP/dies.sh" <<'SH'
#!/bin/sh
echo "stand-in up: $*"
sleep 0.5
echo "stand-in: giving up" >&2
exit 3
SH
chmod +x "$TMP/dies.sh"
plan_with "$TMP/dies.sh" "--x%3D1%20y"	# percent-encoded: "--x=1 y"
agent
expect_rc 0 "dies: the stream decodes"
expect_eq "$arc" 1 "dies: the agent's exit code says the run did not finish"
expect_out '^sched_exit pid=[0-9]+ exit=1/3 elapsed_ms=[0-9]+ "event: died\\x0areason: \\x0amessage: \\x0aexit: exited with code 3\\x0a' \
	"dies: SCHED_EXIT with its exit code"
expect_out 'sched_exit .*--- scheduler log ---\\x0astand-in up: --x=1 y\\x0astand-in: giving up' \
	"dies: its output, stdout and stderr, and its arguments"
expect_out '^scenario_end elapsed_ms=([0-9]{1,3}|[1-4][0-9]{3}) status=125$' \
	"dies: the scenario ended early (under 5 s of 6)"
checks=$((checks + 1))
! grep -q 'stopped before the scenario' <<<"$out" || fail "dies: a second, generic error frame"
expect_eq "$(cat "$TMP/slog")" "$(printf 'stand-in up: --x=1 y\nstand-in: giving up')" \
	"dies: the scheduler port got its whole output"
echo "dies: ${ms} ms"

# --- it lives: no SCHED_EXIT; stopped with SIGINT at the end
cat >"$TMP/lives.sh" <<'SH'
#!/bin/sh
trap 'echo "stand-in: SIGINT"; exit 0' INT
echo "stand-in up"
while :; do sleep 0.05; done
SH
chmod +x "$TMP/lives.sh"
plan_with "$TMP/lives.sh"
agent
expect_rc 0 "lives: the stream decodes"
expect_eq "$arc" 0 "lives: the agent ran the plan to its end"
checks=$((checks + 1))
! grep -q '^sched_exit' <<<"$out" || fail "lives: a SCHED_EXIT for a healthy scheduler"
expect_out '^scenario_end elapsed_ms=(59[0-9]{2}|[6-9][0-9]{3}|1[0-5][0-9]{3}) status=0$' "lives: the whole 6 s"
expect_out '^log "scheduler stopped: exited with code 0"$' "lives: stopped by SIGINT, exit 0"
expect_eq "$(cat "$TMP/slog")" "$(printf 'stand-in up\nstand-in: SIGINT')" "lives: its output"
checks=$((checks + 1))
! pgrep -f "$TMP/lives.sh" >/dev/null || fail "lives: the stand-in is still running"

# --- where it runs: every CPU and the agent's cgroup (the guest: the root
# cgroup), even when the agent itself is pinned to one CPU (sched_proc.c, place())
cat >"$TMP/where.sh" <<'SH'
#!/bin/sh
trap 'exit 0' INT
echo "allowed: $(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)"
echo "cgroup: $(tr '\n' ' ' </proc/self/cgroup)"
while :; do sleep 0.05; done
SH
chmod +x "$TMP/where.sh"
# what a process here may run on when it asks for every CPU (the cpuset's CPUs)
all=$(python3 -c 'import os; os.sched_setaffinity(0, range(4096)); c = sorted(os.sched_getaffinity(0))
r = []
for x in c:
    if r and r[-1][1] == x - 1: r[-1][1] = x
    else: r.append([x, x])
print(",".join(str(a) if a == b else "%d-%d" % (a, b) for a, b in r))')
plan_with "$TMP/where.sh"
taskset -c "${all%%[,-]*}" "$KTSTR_AGENT" --plan "$TMP/p.plan" --results "$TMP/res" --no-cgroups \
	--sched-log "$TMP/slog" --sched-no-attach >"$TMP/aout" 2>&1
arc=$?
expect_eq "$arc" 0 "where: the agent ran the plan to its end"
expect_eq "$(sed -n 's/^allowed: //p' "$TMP/slog")" "$all" \
	"where: every CPU allowed, though the agent ran on CPU ${all%%[,-]*} only"
expect_eq "$(sed -n 's/^cgroup: //p' "$TMP/slog")" "$(tr '\n' ' ' </proc/self/cgroup)" \
	"where: the agent's cgroup"

# --- it cannot start: reported before the scenario, which never runs
plan_with "$TMP/missing"
agent
expect_rc 0 "missing: the stream decodes"
expect_eq "$arc" 1 "missing: the agent fails"
expect_out '^sched_exit pid=[0-9]+ exit=1/127 elapsed_ms=0 "event: died-before-attach\\x0a' \
	"missing: SCHED_EXIT before attaching, exit 127"
expect_out "cannot run the scheduler $TMP/missing: No such file or directory" \
	"missing: why, in its log"
checks=$((checks + 1))
! grep -q '^scenario_start' <<<"$out" || fail "missing: the scenario started anyway"

# --- with a stand-in for /sys/kernel/sched_ext: it attaches, then "the kernel" ejects it
agent_sysfs() {	# agent_sysfs [AGENT ARGS...]: like agent, checking attach on $TMP/sx
	"$KTSTR_AGENT" --plan "$TMP/p.plan" --results "$TMP/res" --no-cgroups \
		--sched-log "$TMP/slog" --sched-sysfs "$TMP/sx" "$@" >"$TMP/aout" 2>&1
	arc=$?
	checks=$((checks + 1))
	! grep -Eq 'Sanitizer|runtime error' "$TMP/aout" ||
		fail "sanitizer report from the agent: $(head -c 2000 "$TMP/aout")"
	run "$PROTO_DUMP" "$TMP/res"
}
cat >"$TMP/ejected.sh" <<'SH'
#!/bin/sh
sleep 0.3
mkdir -p "$1/root" && echo fake >"$1/root/ops" && echo enabled >"$1/state"
echo "stand-in attached"
sleep 1
rm -r "$1/root" && echo disabled >"$1/state"
echo "stand-in: ejected"
sleep 0.3
exit 2
SH
chmod +x "$TMP/ejected.sh"
mkdir -p "$TMP/sx"
echo disabled >"$TMP/sx/state"
plan_with "$TMP/ejected.sh" "$TMP/sx"
agent_sysfs
expect_rc 0 "ejected: the stream decodes"
expect_out '^log "scheduler [^ ]*/ejected.sh attached as .fake. after [0-9]+ ms"$' "ejected: attached"
expect_out '^sched_exit pid=[0-9]+ exit=1/2 elapsed_ms=[0-9]+ "event: disabled\\x0a.*exit: exited with code 2\\x0astate: disabled\\x0a' \
	"ejected: SCHED_EXIT says disabled, with its exit code and sched_ext's state"
expect_out '^scenario_end elapsed_ms=([0-9]{1,3}|[1-4][0-9]{3}) status=125$' \
	"ejected: the scenario ended early (under 5 s of 6)"

# --- it never attaches: reported at the deadline, stopped, and the scenario never runs
cat >"$TMP/never.sh" <<'SH'
#!/bin/sh
trap 'echo "stand-in: SIGINT"; exit 0' INT
echo "stand-in: loading forever"
while :; do sleep 0.05; done
SH
chmod +x "$TMP/never.sh"
rm -rf "$TMP/sx" && mkdir -p "$TMP/sx" && echo disabled >"$TMP/sx/state"
plan_with "$TMP/never.sh"
agent_sysfs --sched-attach-ms 500
expect_rc 0 "never: the stream decodes"
expect_eq "$arc" 1 "never: the agent fails"
expect_out '^sched_exit pid=[0-9]+ exit=3/0 elapsed_ms=0 "event: not-attached\\x0a.*exit: still running\\x0astate: disabled\\x0adetail: not attached after (0\.[5-9]|[1-9]\.[0-9]) s \(state disabled\)\\x0a' \
	"never: not attached, with the state and how long it waited"
expect_out 'stand-in: loading forever' "never: its log is in the report"
expect_out '^log "scheduler stopped|^log "scheduler exit: still running"$' "never: the agent says it stopped it"
checks=$((checks + 1))
! grep -q '^scenario_start' <<<"$out" || fail "never: the scenario started anyway"
checks=$((checks + 1))
! pgrep -f "$TMP/never.sh" >/dev/null || fail "never: the stand-in is still running"

# --- restart_scheduler (step 1: stop, 300 ms down, start again): stand-ins
# that attach on the stand-in sysfs $1 and count their starts in $1.n
cat >"$TMP/r.yaml" <<'YAML'
name: r
topology: 1n1l2c1t
duration: 3s
workers: 1
requires: {sched_ext: true}
cgroups: [{name: cg0, work: cpu-spin}]
steps:
  - ops: [{restart_scheduler: {down: 300ms}}]
    hold: 1/2
  - hold: 1/2
YAML
run "$PLAN_WRITE" "$TMP/r.yaml"
expect_rc 0 "restart: plan_write"
printf '%s\n' "$out" >"$TMP/base.plan"
checks=$((checks + 1))
grep -q '^op restart_scheduler 300000000$' "$TMP/base.plan" || fail "restart: the op in the plan"
standin() {	# standin NAME BODY-AFTER-ATTACH: a stand-in for the restart cases
	cat >"$TMP/$1.sh" <<SH
#!/bin/sh
n=\$(cat "\$1.n" 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >"\$1.n"
trap 'rm -rf "\$1/root"; echo disabled >"\$1/state"; echo "stand-in \$n: SIGINT"; exit 0' INT
$2
sleep 0.2
mkdir -p "\$1/root" && echo fake >"\$1/root/ops" && echo enabled >"\$1/state"
echo "stand-in \$n attached"
$3
while :; do sleep 0.05; done
SH
	chmod +x "$TMP/$1.sh"
	rm -rf "$TMP/sx" "$TMP/sx.n" && mkdir -p "$TMP/sx" && echo disabled >"$TMP/sx/state"
	plan_with "$TMP/$1.sh" "$TMP/sx"
}

# back after the stop: no report, two starts, the scenario runs to its end
standin restarts "" ""
agent_sysfs
expect_rc 0 "restart: the stream decodes"
expect_eq "$arc" 0 "restart: the agent ran the plan to its end"
checks=$((checks + 1))
! grep -q '^sched_exit' <<<"$out" || fail "restart: a SCHED_EXIT for a stop asked for"
expect_eq "$(grep -c '^log "scheduler [^ ]*/restarts.sh started, pid [0-9]*"$' <<<"$out")" 2 \
	"restart: started twice"
expect_out '^log "scheduler restarted: step 0 down_ms ([3-9][0-9]{2}|[0-9]{4}) pid [0-9]+"$' \
	"restart: back after at least the 300 ms down"
expect_out '^scenario_end elapsed_ms=(2[89][0-9]{2}|[3-9][0-9]{3}) status=0$' "restart: the whole 3 s"
expect_eq "$(cat "$TMP/slog")" "$(printf 'stand-in 1 attached\nstand-in 1: SIGINT\nstand-in 2 attached\nstand-in 2: SIGINT')" \
	"restart: stopped with SIGINT, started again, stopped at the end"

# the new process dies later: reported as a death of the new pid
standin dies2 "" '[ $n -ge 2 ] && { sleep 0.5; echo "stand-in $n: giving up"; exit 4; }'
agent_sysfs
expect_eq "$arc" 1 "restart, dies later: the agent fails"
expect_out '^sched_exit pid=[0-9]+ exit=1/4 elapsed_ms=[0-9]+ "event: died\\x0a' \
	"restart, dies later: SCHED_EXIT for the new process"
pid2=$(sed -n 's/^log "scheduler restarted: step 0 down_ms [0-9]* pid \([0-9]*\)"$/\1/p' <<<"$out")
expect_out "^sched_exit pid=$pid2 " "restart, dies later: the report names the new pid ($pid2)"
checks=$((checks + 1))
! grep -q 'restart: restart_scheduler' <<<"$out" || fail "restart, dies later: blamed on the restart"

# it cannot come back: exits before attaching on its second start
standin noback '[ $n -ge 2 ] && { echo "stand-in $n: no"; exit 5; }' ""
agent_sysfs
expect_eq "$arc" 1 "restart, not back: the agent fails"
expect_out '^sched_exit pid=[0-9]+ exit=1/5 elapsed_ms=[0-9]+ "event: died-before-attach\\x0a.*detail: did not come back after restart_scheduler at step 1: died before attaching\\x0arestart: restart_scheduler at step 1\\x0a' \
	"restart, not back: SCHED_EXIT names the op"
expect_out '^error "step 1 failed: op 1 \(restart_scheduler\): the scheduler did not come back after restart_scheduler at step 1: died before attaching; it exited with code 5"$' \
	"restart, not back: the step fails with the reason"
expect_out '^scenario_end elapsed_ms=([0-9]{1,3}|1[0-9]{3}) status=' "restart, not back: the scenario ended early"

# it starts again but never attaches: the attach deadline (1.5 s here)
standin noattach '[ $n -ge 2 ] && { echo "stand-in $n: loading forever"; while :; do sleep 0.05; done; }' ""
agent_sysfs --sched-attach-ms 1500
expect_eq "$arc" 1 "restart, not attached: the agent fails"
expect_out '"event: not-attached\\x0a.*detail: did not re-attach within 1.5 s after restart_scheduler at step 1 \(state disabled\)\\x0arestart: restart_scheduler at step 1\\x0a' \
	"restart, not attached: SCHED_EXIT names the op and the deadline"
checks=$((checks + 1))
! pgrep -f "$TMP/noattach.sh" >/dev/null || fail "restart, not attached: the stand-in is still running"

# --- no sched_ext at all (this host's kernel, as a stand-in: an empty directory)
rm -rf "$TMP/sx" && mkdir -p "$TMP/sx"
agent_sysfs
expect_eq "$arc" 1 "no sched_ext: the agent fails"
expect_out '"event: not-attached\\x0a.*detail: sched_ext sysfs absent \([^)]*/sx/state: No such file or directory\): the kernel has no CONFIG_SCHED_CLASS_EXT' \
	"no sched_ext: said so, before starting anything"

finish
