// SPDX-License-Identifier: GPL-2.0
/* ktstr shell in the guest: busybox on the console; see shell.h. */
#include "shell.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "ktstr_proto.h"
#include "log.h"
#include "util.h"

#define SHELL_DEFAULT_PATH "PATH=/bin:/sbin:/usr/bin:/usr/sbin"
#define SYSLOG_CONSOLE_OFF 6	/* syslog(2)'s SYSLOG_ACTION_CONSOLE_OFF */
#define SHELL_PUMP_MS 100	/* CMD's output pump: how often it looks for the end */

/* Report why the shell could not start (an ERROR frame and the log); SHELL_STATUS_FAILED. */
__attribute__((format(printf, 2, 3)))
static int shell__fail(struct proto_out *out, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	proto_out__text(out, KTSTR_MSG_ERROR, "ktstr shell: %s", msg);
	agent__log("ktstr shell: %s", msg);
	return SHELL_STATUS_FAILED;
}

/* The shell's status as a shell reports it: the exit code, or 128 + the signal. */
static int shell__status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return SHELL_STATUS_FAILED;
}

static int shell__wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return SHELL_STATUS_FAILED;
	return shell__status(st);
}

/* Every applet as a symlink in /bin, for the shell's PATH (failures only logged). */
static void shell__install_applets(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl(SHELL_BUSYBOX, "busybox", "--install", "-s", "/bin", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || shell__wait(pid))
		agent__log("ktstr shell: busybox --install -s /bin failed; applets need "
			   "'busybox NAME'");
	/* ptys for what wants one (script, a nested shell's job control); optional. */
	mkdir("/dev/pts", 0755);
	if (mount("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666") && errno != EBUSY)
		agent__log("ktstr shell: devpts mount failed: %s (optional)", strerror(errno));
}

/* The plan's environment, NULL-terminated, with a PATH when it has none. */
static char **shell__envp(const struct plan_shell *sh)
{
	char **envp = calloc(sh->nenv + 2, sizeof(*envp));
	bool has_path = false;
	size_t n = 0;

	if (!envp)
		return NULL;
	for (size_t i = 0; i < sh->nenv; i++) {
		has_path |= !strncmp(sh->env[i], "PATH=", 5);
		envp[n++] = sh->env[i];
	}
	if (!has_path)
		envp[n++] = (char *)SHELL_DEFAULT_PATH;
	return envp;
}

/*
 * The console as a terminal for "shell tty": cooked, echoing, signals from
 * ^C ^\ ^Z, "\n" out as "\r\n", and the host's window size. Raw for "shell
 * cmd": the command's bytes go out as they are. "shell script": raw but
 * canonical input without echo, so that the script is read by lines and a
 * ^D ends it.
 */
static void shell__tty_mode(int fd, const struct plan_shell *sh)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		return;
	if (sh->mode != PLAN_SHELL_TTY) {
		cfmakeraw(&t);
		if (sh->mode == PLAN_SHELL_SCRIPT) {
			t.c_lflag |= ICANON;
			t.c_cc[VEOF] = 4;	/* ^D */
		}
	} else {
		t.c_iflag |= ICRNL | IXON;
		t.c_iflag &= ~(INLCR | IGNCR);
		t.c_oflag |= OPOST | ONLCR;
		t.c_lflag |= ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | ISIG | IEXTEN;
		t.c_cc[VINTR] = 3;	/* ^C */
		t.c_cc[VQUIT] = 28;	/* ^\ */
		t.c_cc[VERASE] = 127;	/* what terminals send for Backspace */
		t.c_cc[VKILL] = 21;	/* ^U */
		t.c_cc[VEOF] = 4;	/* ^D */
		t.c_cc[VSUSP] = 26;	/* ^Z */
	}
	tcsetattr(fd, TCSANOW, &t);
	if (sh->mode == PLAN_SHELL_TTY && sh->rows && sh->cols) {
		struct winsize ws = { .ws_row = (unsigned short)sh->rows,
				      .ws_col = (unsigned short)sh->cols };

		ioctl(fd, TIOCSWINSZ, &ws);
	}
}

/*
 * Nothing more from the kernel on the console: the power-off's "reboot:
 * Restarting system" is KERN_EMERG, which syslog(2)'s CONSOLE_OFF (log level
 * 1) still prints; kernel.printk's console level 0 silences even that.
 */
static void shell__console_off(void)
{
	int fd = open("/proc/sys/kernel/printk", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "0", 1) != 1)
		klogctl(SYSLOG_CONSOLE_OFF, NULL, 0);
	if (fd >= 0)
		close(fd);
}

/* In the child, before exec: a new session, default signals, then the shell. */
static void __attribute__((noreturn)) shell__exec(const struct plan_shell *sh, char **envp,
						  int out_fd)
{
	char *const tty_argv[] = { "sh", "-i", NULL };
	char *const cmd_argv[] = { "sh", "-c", sh->cmd, NULL };
	char *const script_argv[] = { "sh", "-s", NULL };
	sigset_t none;
	int fd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);	/* the agent ignores it; exec keeps that */
	setsid();
	if (sh->mode == PLAN_SHELL_TTY) {
		/* The session leader's first tty open makes it the controlling one. */
		fd = open(SHELL_TTY, O_RDWR);
		if (fd < 0)
			_exit(SHELL_STATUS_FAILED);
		ioctl(fd, TIOCSCTTY, 0);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	} else {
		/* "cmd" reads nothing; "script" its script from the console. */
		fd = sh->mode == PLAN_SHELL_SCRIPT ? open(SHELL_TTY, O_RDONLY | O_NOCTTY) :
			open("/dev/null", O_RDONLY);
		if (fd >= 0)
			dup2(fd, 0);
		dup2(out_fd, 1);
		dup2(out_fd, 2);
	}
	if (fd > 2)
		close(fd);
	if (chdir("/")) {
		/* stays where the agent is */
	}
	execve(SHELL_BUSYBOX, sh->mode == PLAN_SHELL_TTY ? tty_argv :
	       sh->mode == PLAN_SHELL_CMD ? cmd_argv : script_argv, envp);
	_exit(127);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/*
 * "shell cmd" and "script": copy the command's output to the console until the pipe ends,
 * or, once the command has exited, until what it left there is read (a
 * background job it started may hold the pipe open for ever).
 */
static int shell__pump(pid_t pid, int rfd, int tty)
{
	char buf[4096];
	bool exited = false;
	int st = 0;

	for (;;) {
		struct pollfd p = { .fd = rfd, .events = POLLIN };
		ssize_t n;

		if (!exited && waitpid(pid, &st, WNOHANG) == pid) {
			exited = true;
			fcntl(rfd, F_SETFL, fcntl(rfd, F_GETFL) | O_NONBLOCK);
		}
		if (!exited && poll(&p, 1, SHELL_PUMP_MS) <= 0)
			continue;
		n = read(rfd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		write_all(tty, buf, (size_t)n);
	}
	return exited ? shell__status(st) : shell__wait(pid);
}

int shell__run(const struct plan_shell *sh, struct proto_out *out, int log_fd)
{
	struct ktstr_msg_scenario_start ss = { .monotonic_ns = mono_ns(),
		.ncpus = (uint32_t)sysconf(_SC_NPROCESSORS_ONLN) };
	int pipefd[2] = { -1, -1 }, tty, code;
	char **envp;
	pid_t pid;

	if (getpid() != 1)
		return shell__fail(out, "shell mode runs only as the guest's PID 1");
	if (sh->mode == PLAN_SHELL_CMD && !sh->cmd)
		return shell__fail(out, "the plan has 'shell cmd' without 'shell-cmd'");
	if (access(SHELL_BUSYBOX, X_OK))
		return shell__fail(out, "%s: %s (ktstr shell packs it)", SHELL_BUSYBOX,
				   strerror(errno));
	tty = open(SHELL_TTY, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (tty < 0)
		return shell__fail(out, "cannot open the console %s: %s", SHELL_TTY,
				   strerror(errno));
	envp = shell__envp(sh);
	if (!envp || (sh->mode != PLAN_SHELL_TTY && pipe2(pipefd, O_CLOEXEC))) {
		code = shell__fail(out, "setting up the shell: %s", strerror(envp ? errno : ENOMEM));
		goto out;
	}
	shell__install_applets();
	shell__tty_mode(tty, sh);
	proto_out__send(out, KTSTR_MSG_SCENARIO_START, &ss, sizeof(ss));
	/* From here the console is the shell's: the agent's own lines go to COM2. */
	write_all(tty, KTSTR_SHELL_MARK, sizeof(KTSTR_SHELL_MARK) - 1);
	if (log_fd < 0)
		log_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (log_fd >= 0) {
		dup2(log_fd, 1);
		dup2(log_fd, 2);
	}
	pid = fork();
	if (pid == 0)
		shell__exec(sh, envp, pipefd[1]);
	if (pid < 0) {
		code = shell__fail(out, "fork: %s", strerror(errno));
		goto out;
	}
	agent__log("ktstr shell: busybox sh started (pid %d)", (int)pid);
	if (sh->mode != PLAN_SHELL_TTY) {
		close(pipefd[1]);
		pipefd[1] = -1;
		code = shell__pump(pid, pipefd[0], tty);
	} else {
		code = shell__wait(pid);
	}
	agent__log("ktstr shell: the shell exited with status %d", code);
	tcdrain(tty);
	shell__console_off();
out:
	for (int i = 0; i < 2; i++)
		if (pipefd[i] >= 0)
			close(pipefd[i]);
	free(envp);
	close(tty);
	return code;
}
