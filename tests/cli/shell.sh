#!/usr/bin/env bash
# ktstr shell end to end under QEMU/TCG (8 boots, about 45 s): a command's
# output and status, --include, the scheduler attached with its flags and its
# death reported, a closed stdout, one that never attaches, commands piped in
# as a script, and the interactive shell
# through a pty (tests/tools/shell_pty.py: line editing, Ctrl-C to the
# guest, Ctrl-A x, SIGTERM, the terminal restored). Nothing may be left
# behind: no qemu, no temporary directory. Skips (77) without a kernel; the
# scheduler part without the bundled scx-ktstr.
. "$(dirname "$0")/lib.sh"
B=${KTSTR_BUILDDIR:?run through meson test}/bpf
PTY=$KTSTR_SRCDIR/tests/tools/shell_pty.py

# --- usage errors, before any VM
run "$KTSTR" shell uname -r
expect_rc 2 "a command without --"
expect_err "a command goes after --" "the error says where the command goes"
run "$KTSTR" shell --topology 2n3l2c1t -- true
expect_rc 2 "a topology that cannot be"
expect_err "--topology 2n3l2c1t: .*multiple" "the error names the option and why"
run "$KTSTR" shell --scheduler scx-ktstr:local-first -- true
expect_rc 2 "a flag without the flag it requires"
expect_err "requires 'short-slice'.*scx-ktstr:short-slice\+local-first" "the error says what to give"
run "$KTSTR" shell --scheduler scx-ktstr:nope -- true
expect_rc 2 "an unknown flag"
expect_err "no flag 'nope' \(its flags: short-slice, local-first\)" "the error lists the flags"
mkdir -p "$TMP/a/x" "$TMP/b/x"
run "$KTSTR" shell --include "$TMP/a/x" --include "$TMP/b/x" -- true
expect_rc 2 "two includes of the same name"
expect_err "both would land at /ktstr/include/x" "the error says where they would land"
run "$KTSTR" shell --include "$TMP/nonexistent" -- true
expect_rc 2 "a missing include"
expect_err "nonexistent: No such file" "the error names it"

need_kernel

# nothing_left WHAT: no qemu of this test's runs, nothing in its TMPDIR.
nothing_left() {
	checks=$((checks + 1))
	if pgrep -f -- "$TMPDIR/" >/dev/null; then
		fail "$1: a qemu is left: $(pgrep -af -- "$TMPDIR/" | head -c 300)"
	elif [ -n "$(ls -A "$TMPDIR")" ]; then
		fail "$1: left in TMPDIR: $(ls -A "$TMPDIR")"
	fi
}

# --- a command: its output, exactly, and status 0
run "$KTSTR" shell "${QEMU_TCG[@]}" -- uname -r
expect_rc 0 "uname -r"
release=$(file -L "$kernel" 2>/dev/null | grep -o 'version [^ ]*' | cut -d' ' -f2)
[ -n "$release" ] || release=$(grep -Eo '^[0-9]+\.[0-9]+[^ ]*$' <<<"$out")
expect_eq "$out" "$release" "the output is the kernel's release alone (no console noise)"
nothing_left "a command"

# --- --include (a script, a directory with an executable) and a status passed on
mkdir -p "$TMP/tools/sub"
printf '#!/bin/sh\necho "greetings, $1"\n' >"$TMP/greet.sh"
chmod +x "$TMP/greet.sh"
echo "some data" >"$TMP/tools/sub/data.txt"
cp /bin/true "$TMP/tools/mytrue"	# a dynamic ELF: packed with its libraries
run "$KTSTR" shell "${QEMU_TCG[@]}" --include "$TMP/greet.sh" -i "$TMP/tools/" -- \
	sh -c 'greet.sh world; cat /ktstr/include/tools/sub/data.txt; mytrue && echo ran-mytrue; exit 3'
expect_rc 3 "sh -c 'exit 3' exits 3"
expect_out "^greetings, world$" "the included script ran from PATH"
expect_out "^some data$" "a file of an included directory is there"
expect_out "^ran-mytrue$" "an included directory is on PATH, its executable runs"
nothing_left "includes"

# --- the scheduler as run attaches it, with a flag; its death reported
if [ -x "$B/scx-ktstr" ]; then
	run "$KTSTR" shell "${QEMU_TCG[@]}" --scheduler scx-ktstr:short-slice -- \
		'cat /sys/kernel/sched_ext/root/ops; tr "\0" " " </proc/$(pidof scx-ktstr)/cmdline; echo;
		 echo "$KTSTR_SCHEDULER on $KTSTR_TOPOLOGY"; kill -9 $(pidof scx-ktstr); sleep 2; echo after'
	expect_rc 0 "a command under scx-ktstr"
	expect_out "^ktstr$" "sched_ext runs scx-ktstr's ops"
	expect_out "^/ktstr/sched/scx-ktstr --short-slice ?$" "the flag's argument is passed"
	expect_out "^scx-ktstr:short-slice on 1n1l2c1t$" "the environment names them"
	expect_out "^after$" "the shell goes on after the scheduler died"
	expect_err "ktstr shell: scheduler process died .*signal 9" "its death is reported"
	expect_err "^--- scheduler log ---" "and its log"
	nothing_left "a scheduler"
else
	echo "SKIP (part): $B/scx-ktstr not built"
fi

# --- nobody reads the output any more: the VM is stopped, status 141 as for SIGPIPE
"$KTSTR" shell "${QEMU_TCG[@]}" -- yes 2>"$TMP/err" | head -n 3 >"$TMP/out"
rc=${PIPESTATUS[0]}
out=$(cat "$TMP/out")
err=$(cat "$TMP/err")
expect_rc 141 "ktstr shell -- yes | head"
expect_eq "$out" "$(printf 'y\ny\ny')" "head got its lines"
nothing_left "a closed pipe"

# --- a scheduler that never attaches: no shell, the reason, status 255
run "$KTSTR" shell "${QEMU_TCG[@]}" --scheduler /bin/false -- echo never
expect_rc 255 "the VM failed before the shell started"
expect_eq "$out" "" "the command never ran"
expect_err "before the shell started" "the report says how far it got"
expect_err "^  scheduler process died before attaching: exited with code 1" "and why"
nothing_left "a failed scheduler"

# --- commands piped in: a script, without prompt or echo
printf 'echo piped-$((6*7))\nexit 4\n' >"$TMP/script"
run "$KTSTR" shell "${QEMU_TCG[@]}" <"$TMP/script"
expect_rc 4 "the script's exit status"
expect_eq "$out" "piped-42" "only the script's output"
nothing_left "a script"

# --- the interactive shell through a pty
run python3 "$PTY" keys "$KTSTR" shell "${QEMU_TCG[@]}"
echo "$out"
expect_rc 0 "the interactive session (keys)"
nothing_left "Ctrl-A x"
run python3 "$PTY" sigterm "$KTSTR" shell "${QEMU_TCG[@]}"
echo "$out"
expect_rc 0 "the interactive session (SIGTERM)"
nothing_left "SIGTERM"

finish
