// SPDX-License-Identifier: GPL-2.0
/*
 * The qemu backend's event loop: accept qemu's chardev connections, drain
 * every stream so qemu never blocks on a full socket or pipe, feed the
 * control port and COM1's input, enforce the hard timeout, notice kills and
 * signals, reap qemu and say how the VM ended. Killing qemu and removing its
 * socket directory are here too: the teardown in vm_qemu.c calls them.
 */
#include "vm_qemu.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define QEMU_TICK_MS	100	/* child polling when there is no pidfd */
#define QEMU_READ_BUF	16384
#define QEMU_READS_MAX	16	/* reads per stream per turn, so none starves */

static const char qmp_hello[] = "{\"execute\": \"qmp_capabilities\"}\r\n";

/* Which stream each socket carries; -1: handled here (control, QMP). */
static const int qemu_sock_chan[VM_QSOCK__NR] = {
	[VM_QSOCK_COM1] = VM_CHAN_CONSOLE,
	[VM_QSOCK_COM2] = VM_CHAN_COM2,
	[VM_QSOCK_RESULTS] = VM_CHAN_RESULTS,
	[VM_QSOCK_CONTROL] = -1,
	[VM_QSOCK_SCHED] = VM_CHAN_SCHED,
	[VM_QSOCK_QMP] = -1,
};

void vm_qemu__rmdir(struct vm_qemu *q)
{
	tmpdir__remove(&q->tdir);	/* the sockets, the lock file, the directory */
}

void vm_qemu__kill(struct vm_qemu *q, enum vm_exit why)
{
	if (q->pid <= 0 || q->reaped)
		return;
	if (q->stop_why == VM_EXIT_NONE)
		q->stop_why = why;
	kill(q->pid, SIGKILL);
}

/* The string value of "@key": in a QMP line, or -1. */
static int qmp_str(const char *line, const char *key, char *out, size_t cap)
{
	const char *p = strstr(line, key);
	size_t n = 0;

	if (!p)
		return -1;
	p += strlen(key);
	while (*p == ' ')
		p++;
	if (*p++ != ':')
		return -1;
	while (*p == ' ')
		p++;
	if (*p++ != '"')
		return -1;
	while (*p && *p != '"' && n + 1 < cap)
		out[n++] = *p++;
	out[n] = '\0';
	return 0;
}

static void qmp_line(struct vm_qemu *q, const char *line)
{
	char event[32];

	if (qmp_str(line, "\"event\"", event, sizeof(event)))
		return;
	if (!strcmp(event, "SHUTDOWN"))
		qmp_str(line, "\"reason\"", q->shutdown_reason, sizeof(q->shutdown_reason));
	else if (!strcmp(event, "GUEST_PANICKED"))
		q->panicked = true;
}

static void qmp_feed(struct vm_qemu *q, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n') {
			q->qmp_line[q->qmp_len] = '\0';
			qmp_line(q, q->qmp_line);
			q->qmp_len = 0;
		} else if (q->qmp_len + 1 < sizeof(q->qmp_line)) {
			q->qmp_line[q->qmp_len++] = data[i];
		}
	}
}

/* Read what @fd has (up to QEMU_READS_MAX chunks); returns false at EOF or error. */
static bool qemu_read(struct vm *vm, struct vm_qemu *q, int fd, int sock, bool all)
{
	char buf[QEMU_READ_BUF];

	for (int i = 0; all || i < QEMU_READS_MAX; i++) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n <= 0)
			return false;
		if (sock < 0)
			vm__deliver(vm, VM_CHAN_STDERR, buf, (size_t)n);
		else if (sock == VM_QSOCK_QMP)
			qmp_feed(q, buf, (size_t)n);
		else if (qemu_sock_chan[sock] >= 0)
			vm__deliver(vm, (enum vm_chan)qemu_sock_chan[sock], buf, (size_t)n);
		/* Bytes the guest writes to the control port are dropped. */
	}
	return true;
}

static void qemu_close_sock(struct vm_qemu *q, int i)
{
	close(q->cfd[i]);
	q->cfd[i] = -1;
}

static void qemu_accept(struct vm_qemu *q, int i)
{
	int fd = accept4(q->lfd[i], NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	close(q->lfd[i]);
	q->lfd[i] = -1;
	q->cfd[i] = fd;
	if (i == VM_QSOCK_QMP &&
	    send(fd, qmp_hello, sizeof(qmp_hello) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		qemu_close_sock(q, i);
	/* All connected: nothing needs the files any more, and nothing is
	 * left behind even if ktstr is SIGKILLed from here on. */
	if (++q->accepted == VM_QSOCK__NR)
		vm_qemu__rmdir(q);
}

/* A host -> guest queue of struct vm (vm_lifecycle.c): the control port's, or COM1's input. */
struct qemu_inq {
	char **buf;
	size_t *len, *off;
};

static struct qemu_inq qemu_inq(struct vm *vm, int sock)
{
	if (sock == VM_QSOCK_COM1)
		return (struct qemu_inq){ &vm->con_buf, &vm->con_len, &vm->con_off };
	return (struct qemu_inq){ &vm->ctl_buf, &vm->ctl_len, &vm->ctl_off };
}

/* Does @sock (the control port or COM1) have bytes queued for the guest? */
static bool input_pending(struct vm *vm, int sock)
{
	struct qemu_inq in = qemu_inq(vm, sock);
	bool pending;

	pthread_mutex_lock(&vm->ctl_lock);
	pending = *in.off < *in.len;
	pthread_mutex_unlock(&vm->ctl_lock);
	return pending;
}

static void input_flush(struct vm *vm, struct vm_qemu *q, int sock)
{
	struct qemu_inq in = qemu_inq(vm, sock);
	int fd = q->cfd[sock];

	pthread_mutex_lock(&vm->ctl_lock);
	while (*in.off < *in.len) {
		ssize_t n = send(fd, *in.buf + *in.off, *in.len - *in.off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			/* qemu is gone: nobody will read it. */
			*in.off = *in.len;
			break;
		}
		*in.off += (size_t)n;
	}
	pthread_mutex_unlock(&vm->ctl_lock);
}

static void qemu_reap(struct vm_qemu *q)
{
	pid_t r;

	do
		r = waitpid(q->pid, &q->status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == q->pid || (r < 0 && errno == ECHILD))
		q->reaped = true;
}

/* qemu is gone: take what is left in every stream. */
static void qemu_drain(struct vm *vm, struct vm_qemu *q)
{
	for (int i = 0; i < VM_QSOCK__NR; i++) {
		if (q->lfd[i] >= 0)
			qemu_accept(q, i);
		if (q->cfd[i] >= 0 && i != VM_QSOCK_CONTROL) {
			qemu_read(vm, q, q->cfd[i], i, true);
			qemu_close_sock(q, i);
		}
	}
	if (q->err_fd >= 0) {
		qemu_read(vm, q, q->err_fd, -1, true);
		close(q->err_fd);
		q->err_fd = -1;
	}
	vm_qemu__rmdir(q);
}

static void qemu_outcome(struct vm *vm, struct vm_qemu *q, struct vm_result *res)
{
	const char *why = q->shutdown_reason;
	int st = q->status;

	memset(res, 0, sizeof(*res));
	snprintf(res->reason, sizeof(res->reason), "%s", why);
	/* We killed it, unless it had ended on its own just before. */
	if (q->stop_why != VM_EXIT_NONE && !(WIFEXITED(st) && why[0])) {
		res->exit = q->stop_why;
		if (res->exit == VM_EXIT_INTERRUPTED)
			res->status = vm__signal_caught();
		return;
	}
	if (WIFSIGNALED(st)) {
		res->exit = VM_EXIT_BACKEND_SIGNAL;
		res->status = WTERMSIG(st);
		snprintf(res->reason, sizeof(res->reason), "signal %d", WTERMSIG(st));
		return;
	}
	if (WEXITSTATUS(st)) {
		res->exit = VM_EXIT_BACKEND_ERROR;
		res->status = WEXITSTATUS(st);
		snprintf(res->reason, sizeof(res->reason), "exit status %d", WEXITSTATUS(st));
		return;
	}
	if (q->panicked || !strcmp(why, "guest-panic"))
		res->exit = VM_EXIT_CRASH;
	else if (!strcmp(why, "guest-reset"))
		res->exit = VM_EXIT_RESET;
	else if (!strncmp(why, "host-", 5))
		/* Someone else stopped qemu (a signal to it, a QMP quit). */
		res->exit = VM_EXIT_BACKEND_SIGNAL;
	else
		/* "guest-shutdown", or no SHUTDOWN event seen: qemu exited 0. */
		res->exit = VM_EXIT_POWEROFF;
	/* panic=-1 turns a panic into a reset; the console says which it was. */
	if ((res->exit == VM_EXIT_RESET || (res->exit == VM_EXIT_POWEROFF && !why[0])) &&
	    ringbuf__contains(&vm->ring[VM_CHAN_CONSOLE], "Kernel panic"))
		res->exit = VM_EXIT_CRASH;
}

/* What each pollfd is. */
enum {
	SRC_SOCK = 0,				/* + enum vm_qemu_sock: a connection */
	SRC_LISTEN = VM_QSOCK__NR,		/* + enum vm_qemu_sock: not accepted yet */
	SRC_ERR = 2 * VM_QSOCK__NR,		/* qemu's stderr */
	SRC_WAKE,				/* vm__kill(), vm__write_control() */
	SRC_SIG,				/* a signal caught by vm__signals_catch() */
	SRC_PID,				/* qemu's pidfd */
	SRC__NR,
};

int vm_qemu__wait(struct vm *vm, struct vm_result *res)
{
	struct vm_qemu *q = vm->priv;
	uint32_t timeout = vm->opts.timeout_ms;
	uint32_t soft = timeout > 5000 && vm->opts.on_soft_timeout ?
			timeout - VM_SOFT_TIMEOUT_MARGIN_MS : 0;
	struct pollfd pfd[SRC__NR];
	int src[SRC__NR];
	int ret = 0;

	while (!q->reaped) {
		int n = 0, tmo = q->pidfd < 0 || q->stop_why ? QEMU_TICK_MS : -1;
		int sigfd = vm__signal_fd();

		for (int i = 0; i < VM_QSOCK__NR; i++) {
			if (q->lfd[i] >= 0) {
				pfd[n] = (struct pollfd){ .fd = q->lfd[i], .events = POLLIN };
				src[n++] = SRC_LISTEN + i;
			} else if (q->cfd[i] >= 0) {
				short ev = POLLIN;

				if ((i == VM_QSOCK_CONTROL || i == VM_QSOCK_COM1) &&
				    input_pending(vm, i))
					ev |= POLLOUT;
				pfd[n] = (struct pollfd){ .fd = q->cfd[i], .events = ev };
				src[n++] = SRC_SOCK + i;
			}
		}
		if (q->err_fd >= 0) {
			pfd[n] = (struct pollfd){ .fd = q->err_fd, .events = POLLIN };
			src[n++] = SRC_ERR;
		}
		pfd[n] = (struct pollfd){ .fd = vm->wake[0], .events = POLLIN };
		src[n++] = SRC_WAKE;
		/* Never drained: once qemu is being killed, stop listening. */
		if (sigfd >= 0 && !q->stop_why) {
			pfd[n] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
			src[n++] = SRC_SIG;
		}
		if (q->pidfd >= 0) {
			pfd[n] = (struct pollfd){ .fd = q->pidfd, .events = POLLIN };
			src[n++] = SRC_PID;
		}
		if (timeout && !q->stop_why) {
			uint64_t now = vm__elapsed_ms(vm);
			int left = now >= timeout ? 0 : (int)(timeout - now);

			if (tmo < 0 || left < tmo)
				tmo = left;
			left = now >= soft ? 0 : (int)(soft - now);
			if (soft && left < tmo)
				tmo = left;
		}

		if (poll(pfd, (nfds_t)n, tmo) < 0 && errno != EINTR) {
			ret = -errno;	/* before kill() and waitpid() touch errno */
			vm_qemu__kill(q, VM_EXIT_KILLED);
			while (waitpid(q->pid, &q->status, 0) < 0 && errno == EINTR)
				;
			q->reaped = true;
			break;
		}

		if (vm__signal_caught())
			vm_qemu__kill(q, VM_EXIT_INTERRUPTED);
		if (atomic_load(&vm->kill_requested))
			vm_qemu__kill(q, VM_EXIT_KILLED);
		if (timeout && vm__elapsed_ms(vm) >= timeout)
			vm_qemu__kill(q, VM_EXIT_TIMEOUT);
		if (soft && !q->stop_why && vm__elapsed_ms(vm) >= soft) {
			soft = 0;
			vm->opts.on_soft_timeout(vm->opts.arg, vm);
		}

		for (int k = 0; k < n; k++) {
			int s = src[k];

			if (!pfd[k].revents)
				continue;
			if (s == SRC_WAKE) {
				vm__wake_drain(vm);
			} else if (s == SRC_ERR) {
				if (!qemu_read(vm, q, q->err_fd, -1, false)) {
					close(q->err_fd);
					q->err_fd = -1;
				}
			} else if (s >= SRC_LISTEN && s < SRC_LISTEN + VM_QSOCK__NR) {
				qemu_accept(q, s - SRC_LISTEN);
			} else if (s >= SRC_SOCK && s < SRC_SOCK + VM_QSOCK__NR) {
				int i = s - SRC_SOCK;

				if (pfd[k].revents & POLLOUT)
					input_flush(vm, q, i);
				if ((pfd[k].revents & (POLLIN | POLLHUP | POLLERR)) &&
				    !qemu_read(vm, q, q->cfd[i], i, false))
					qemu_close_sock(q, i);
			}
		}
		/* A freshly accepted socket may have bytes queued already. */
		if (q->cfd[VM_QSOCK_CONTROL] >= 0 && input_pending(vm, VM_QSOCK_CONTROL))
			input_flush(vm, q, VM_QSOCK_CONTROL);
		if (q->cfd[VM_QSOCK_COM1] >= 0 && input_pending(vm, VM_QSOCK_COM1))
			input_flush(vm, q, VM_QSOCK_COM1);
		qemu_reap(q);
	}
	/* qemu is gone: its RAM holds a dead guest now, no more samples of it. */
	vm_qemu__mon_stop(q);
	qemu_drain(vm, q);
	qemu_outcome(vm, q, res);
	return ret;
}
