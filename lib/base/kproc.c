// SPDX-License-Identifier: GPL-2.0
#include "kproc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t caught;
static struct sigaction saved[3];
static const int caught_sigs[3] = { SIGINT, SIGTERM, SIGHUP };
static bool installed;

static void on_signal(int sig)
{
	if (!caught)
		caught = sig;
}

int kproc__signals_catch(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: blocking calls return EINTR */
	sigemptyset(&sa.sa_mask);
	caught = 0;
	for (int i = 0; i < 3; i++)
		if (sigaction(caught_sigs[i], &sa, &saved[i]))
			return -errno;
	installed = true;
	return 0;
}

void kproc__signals_restore(void)
{
	if (!installed)
		return;
	for (int i = 0; i < 3; i++)
		sigaction(caught_sigs[i], &saved[i], NULL);
	installed = false;
}

int kproc__signal_pending(void)
{
	return caught;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int decode_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 255;
}

/*
 * Stop the group led by @pid: SIGTERM to all of it, up to 5 s for the leader
 * to exit (make removes its half-written targets), then SIGKILL to whatever
 * is left while the leader, still unreaped, keeps the group id reserved.
 */
static int kill_group(pid_t pid)
{
	int st = 0;

	kill(-pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		siginfo_t si;

		memset(&si, 0, sizeof(si));
		if (!waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) && si.si_pid == pid)
			break;
		usleep(50 * 1000);
	}
	kill(-pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return decode_status(st);
}

static void child(char *const argv[], const struct kproc_io *io, int out_w, int err_w,
		  pid_t parent)
{
	int devnull, e;

	setpgid(0, 0);
	/* Should ktstr itself be killed (SIGKILL), make still stops and cleans up. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
		_exit(127);
	for (int i = 0; i < 3; i++)
		signal(caught_sigs[i], SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (io->cwd && chdir(io->cwd))
		goto fail;
	devnull = open("/dev/null", O_RDWR);
	if (devnull < 0)
		goto fail;
	if (dup2(devnull, 0) < 0 || dup2(out_w, 1) < 0)
		goto fail;
	if (io->stdout_only) {
		if (dup2(io->out_fd >= 0 ? io->out_fd : devnull, 2) < 0)
			goto fail;
	} else if (dup2(out_w, 2) < 0) {
		goto fail;
	}
	execvp(argv[0], argv);
fail:
	e = errno;
	if (write(err_w, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

struct line_buf {
	char buf[4096];
	size_t n;
};

/* Feed @len bytes to the line reader; returns nonzero when it asked to stop. */
static int feed(struct line_buf *lb, const char *p, size_t len, const struct kproc_io *io)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != '\n' && lb->n < sizeof(lb->buf) - 1) {
			lb->buf[lb->n++] = p[i];
			continue;
		}
		lb->buf[lb->n] = '\0';
		if (io->on_line && io->on_line(io->arg, lb->buf, lb->n))
			return 1;
		lb->n = 0;
		if (p[i] != '\n')
			lb->buf[lb->n++] = p[i];
	}
	return 0;
}

static void copy_out(int fd, const char *p, size_t len)
{
	while (fd >= 0 && len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		len -= (size_t)w;
	}
}

int kproc__run(char *const argv[], const struct kproc_io *io, int *status)
{
	struct line_buf lb;
	int out[2], errp[2], e = 0, st = 0, ret = 0;
	bool eof = false;
	long next_tick;
	pid_t pid, parent;
	ssize_t r;

	*status = -1;
	if (kproc__signal_pending())
		return -EINTR;
	if (pipe2(out, O_CLOEXEC))
		return -errno;
	if (pipe2(errp, O_CLOEXEC)) {
		e = -errno;
		close(out[0]);
		close(out[1]);
		return e;
	}
	parent = getpid();
	pid = fork();
	if (pid < 0) {
		e = -errno;
		close(out[0]);
		close(out[1]);
		close(errp[0]);
		close(errp[1]);
		return e;
	}
	if (pid == 0)
		child(argv, io, out[1], errp[1], parent);
	setpgid(pid, pid);	/* also in the child: whichever runs first */
	close(out[1]);
	close(errp[1]);
	do {
		r = read(errp[0], &e, sizeof(e));
	} while (r < 0 && errno == EINTR);
	close(errp[0]);
	if (r == (ssize_t)sizeof(e)) {	/* exec failed */
		close(out[0]);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		return -e;
	}

	lb.n = 0;
	next_tick = now_ms() + 1000;
	for (;;) {
		struct pollfd pfd = { .fd = out[0], .events = POLLIN };
		long wait = next_tick - now_ms();
		char chunk[8192];

		if (kproc__signal_pending()) {
			kill_group(pid);
			ret = -EINTR;
			break;
		}
		if (wait < 0)
			wait = 0;
		if (eof) {
			siginfo_t si;

			memset(&si, 0, sizeof(si));
			if (!waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) &&
			    si.si_pid == pid) {
				/*
				 * The leader has exited but is not reaped yet, so its
				 * group id is still ours: take what it left behind along.
				 */
				kill(-pid, SIGKILL);
				while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
					;
				*status = decode_status(st);
				break;
			}
			usleep(20 * 1000);
		} else if (poll(&pfd, 1, (int)(wait > 1000 ? 1000 : wait)) > 0) {
			r = read(out[0], chunk, sizeof(chunk));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				eof = true;
				if (lb.n)
					feed(&lb, "\n", 1, io);
				continue;
			}
			copy_out(io->stdout_only ? -1 : io->out_fd, chunk, (size_t)r);
			if (feed(&lb, chunk, (size_t)r, io)) {
				*status = kill_group(pid);
				ret = 1;
				break;
			}
		}
		if (now_ms() >= next_tick) {
			next_tick += 1000;
			if (io->on_tick)
				io->on_tick(io->arg);
		}
	}
	close(out[0]);
	return ret;
}

struct capture {
	char *buf;
	size_t cap, n;
};

static int capture_line(void *arg, const char *line, size_t len)
{
	struct capture *c = arg;

	for (size_t i = 0; i <= len && c->n + 1 < c->cap; i++)
		c->buf[c->n++] = i < len ? line[i] : '\n';
	c->buf[c->n] = '\0';
	return 0;
}

int kproc__capture(char *const argv[], const char *cwd, char *buf, size_t cap, int *status)
{
	struct capture c = { buf, cap, 0 };
	struct kproc_io io = {
		.cwd = cwd,
		.out_fd = -1,
		.stdout_only = true,
		.on_line = capture_line,
		.arg = &c,
	};

	if (cap)
		buf[0] = '\0';
	return kproc__run(argv, &io, status);
}
