/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktstr shell in the guest (lib/wire/plan_format.h, shell mode): once the
 * scheduler is attached, busybox on the console instead of the steps.
 *
 * "shell tty": an interactive busybox sh (-i) in its own session with the
 * console (SHELL_TTY, COM1) as its controlling terminal, in the console's
 * usual cooked mode with the host's window size, so that line editing, job
 * control and Ctrl-C (the tty's SIGINT to the foreground job) work as on a
 * terminal. "shell cmd": busybox sh -c CMD in its own session without a
 * terminal (stdin /dev/null), its stdout and stderr through one pipe that
 * the agent copies to the console in raw mode, so that the host gets the
 * bytes as written. "shell script": busybox sh -s, the same but reading its
 * script from the console (canonical input without echo: the host's piped
 * stdin, ended by a ^D). In every mode the applets are linked into /bin
 * first (busybox --install -s), the environment is the plan's, and the
 * console is silenced (kernel.printk's console level 0) once the shell is
 * done, so that the power-off's "reboot: Restarting system" does not end up
 * in its output.
 */
#ifndef KTSTR_AGENT_SHELL_H
#define KTSTR_AGENT_SHELL_H

#include "plan_read.h"
#include "proto_out.h"

#define SHELL_TTY	"/dev/ttyS0"	/* console=ttyS0 (lib/vm/vm_cmdline.c) */
#define SHELL_BUSYBOX	"/bin/busybox"	/* packed by ktstr shell (cmd/run/run_shell.h) */
#define SHELL_STATUS_FAILED 255		/* the shell could not start */

/*
 * Send SCENARIO_START (nsteps 0), write KTSTR_SHELL_MARK to the console, run
 * @sh's shell there and wait for it. @log_fd (COM2; -1: /dev/null) takes the
 * agent's own stdout and stderr from then on, so that its log lines stay
 * out of the user's terminal (they still go out as LOG frames). Returns the
 * shell's exit status (128 + N for signal N), or SHELL_STATUS_FAILED after
 * an ERROR frame saying why it could not start. PID 1 only.
 */
int shell__run(const struct plan_shell *sh, struct proto_out *out, int log_fd);

#endif
