// SPDX-License-Identifier: GPL-2.0
/*
 * The qemu backend: find qemu-system-x86_64, make the temporary directory
 * with the chardev sockets, start qemu tied to this thread's life, and tear
 * it all down again. The event loop is in vm_qemu_loop.c, with killing qemu
 * and removing the socket directory, which the loop does too.
 */
#include "vm_qemu.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fsutil.h"
#include "vm_host_cpu.h"

#define QEMU_DEFAULT "qemu-system-x86_64"

/* @name with a '/' is a path; else it is looked up in $PATH. */
static int qemu_resolve(const char *name, char *out, size_t cap, char *err, size_t errlen)
{
	if (!fsutil__which(name, out, cap))
		return 0;
	if (strchr(name, '/'))
		return err__set(-ENOENT, err, errlen,
				"cannot run qemu at %s: %s; install qemu-system-x86 "
				"(apt-get install qemu-system-x86) or fix KTSTR_QEMU",
				name, strerror(access(name, X_OK) ? errno : EACCES));
	return err__set(-ENOENT, err, errlen,
			"%s not found in PATH: install qemu-system-x86 "
			"(apt-get install qemu-system-x86), or set KTSTR_QEMU to its path", name);
}

static int qemu_accel(enum vm_accel want, enum vm_accel *out, char *err, size_t errlen)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int e = errno;

	if (fd >= 0)
		close(fd);
	switch (want) {
	case VM_ACCEL_TCG:
		*out = VM_ACCEL_TCG;
		return 0;
	case VM_ACCEL_KVM:
		if (fd < 0)
			return err__set(-e, err, errlen,
					"KVM was asked for but /dev/kvm cannot be opened: %s; "
					"load kvm, join the kvm group, or use TCG", strerror(e));
		*out = VM_ACCEL_KVM;
		return 0;
	case VM_ACCEL_AUTO:
		*out = fd >= 0 ? VM_ACCEL_KVM : VM_ACCEL_TCG;
		return 0;
	}
	return err__set(-EINVAL, err, errlen, "unknown accelerator %d", (int)want);
}

static int qemu_mkdir(struct vm_qemu *q, char *err, size_t errlen)
{
	/* sun_path is 108 bytes: "<dir>/results.sock" must fit (TMPDIR of 64 at most). */
	return tmpdir__create(&q->tdir, "vm", 64, err, errlen);
}

static int qemu_listen(struct vm_qemu *q, char *err, size_t errlen)
{
	for (int i = 0; i < VM_QSOCK__NR; i++) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

		if (fd < 0)
			return err__set(-errno, err, errlen, "socket(AF_UNIX): %s",
					strerror(errno));
		q->lfd[i] = fd;
		if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s.sock", q->tdir.path,
			     vm_qemu__sock_id(i)) >= (int)sizeof(sa.sun_path))
			return err__set(-ENAMETOOLONG, err, errlen,
					"socket path in %s too long: set TMPDIR shorter", q->tdir.path);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0)
			return err__set(-errno, err, errlen, "listening on %s: %s",
					sa.sun_path, strerror(errno));
	}
	return 0;
}

/* In the child: become qemu, or die. Only async-signal-safe calls. */
__attribute__((noreturn))
static void qemu_child(const char *path, char *const argv[], int nullfd, int errfd, pid_t parent,
		       const struct vm_qemu *q)
{
	int hi[VM_QEMU_MAX_NODES];

	static const char msg[] = "ktstr: exec of qemu failed\n";
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD };
	sigset_t none;

	/* Its own process group: a terminal's Ctrl-C reaches ktstr, which kills qemu. */
	setpgid(0, 0);
	/* Dies with the thread that started it, even when ktstr is SIGKILLed. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(nullfd, 0) < 0 || dup2(errfd, 1) < 0 || dup2(errfd, 2) < 0)
		_exit(127);
	/*
	 * The RAM memfds at VM_QEMU_RAM_FD0 + n, where its argv says: first
	 * out of the way (one may sit where another goes), then in place.
	 */
	for (unsigned int i = 0; i < q->ram_nr; i++)
		if ((hi[i] = fcntl(q->ram_fd[i], F_DUPFD, 256)) < 0)
			_exit(127);
	for (unsigned int i = 0; i < q->ram_nr; i++)
		if (dup2(hi[i], VM_QEMU_RAM_FD0 + (int)i) < 0)
			_exit(127);
	/* Nothing else of ours (another VM's pipes, say) stays open in qemu. */
	syscall(SYS_close_range, VM_QEMU_RAM_FD0 + q->ram_nr, ~0u, 0u);
	execv(path, argv);
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(127);
	_exit(127);
}

static int qemu_spawn(struct vm_qemu *q, const char *path, char *const argv[],
		      char *err, size_t errlen)
{
	int errp[2], nullfd;
	pid_t parent = getpid();

	nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (nullfd < 0)
		return err__set(-errno, err, errlen, "open /dev/null: %s", strerror(errno));
	if (pipe2(errp, O_CLOEXEC) < 0) {
		int e = errno;

		close(nullfd);
		return err__set(-e, err, errlen, "pipe for qemu's stderr: %s", strerror(e));
	}
	q->pid = fork();
	if (q->pid == 0)
		qemu_child(path, argv, nullfd, errp[1], parent, q);
	close(nullfd);
	close(errp[1]);
	if (q->pid < 0) {
		int e = errno;

		close(errp[0]);
		return err__set(-e, err, errlen, "fork for qemu: %s", strerror(e));
	}
	fcntl(errp[0], F_SETFL, O_NONBLOCK);
	q->err_fd = errp[0];
#ifdef SYS_pidfd_open
	q->pidfd = (int)syscall(SYS_pidfd_open, q->pid, 0);
	if (q->pidfd >= 0)
		fcntl(q->pidfd, F_SETFD, FD_CLOEXEC);
#endif
	return 0;
}

static void qemu_stop(struct vm *vm)
{
	if (vm->priv)
		vm_qemu__kill(vm->priv, VM_EXIT_KILLED);
}

static void qemu_destroy(struct vm *vm)
{
	struct vm_qemu *q = vm->priv;

	if (!q)
		return;
	/* First: the sampler reads qemu's RAM and uses its pid and pidfd. */
	vm_qemu__mon_stop(q);
	if (q->pid > 0 && !q->reaped) {
		while (waitpid(q->pid, &q->status, 0) < 0 && errno == EINTR)
			;
		q->reaped = true;
	}
	for (int i = 0; i < VM_QSOCK__NR; i++) {
		if (q->lfd[i] >= 0)
			close(q->lfd[i]);
		if (q->cfd[i] >= 0)
			close(q->cfd[i]);
	}
	if (q->err_fd >= 0)
		close(q->err_fd);
	if (q->pidfd >= 0)
		close(q->pidfd);
	vm_qemu__ram_free(q);
	vm_qemu__rmdir(q);
	free(q);
	vm->priv = NULL;
}

static pid_t qemu_pid(const struct vm *vm)
{
	const struct vm_qemu *q = vm->priv;

	return q ? q->pid : -1;
}

static const char *qemu_tmpdir(const struct vm *vm)
{
	const struct vm_qemu *q = vm->priv;

	return q && q->tdir.path[0] ? q->tdir.path : NULL;
}

/* qemu's threads while it is ours: once reaped its pid may be another process's. */
static size_t qemu_threads(const struct vm *vm, pid_t *tids, size_t cap)
{
	const struct vm_qemu *q = vm->priv;

	if (!q || q->pid <= 0 || q->reaped)
		return 0;
	return vm_host_cpu__tasks(q->pid, tids, cap);
}

/*
 * Its vCPU threads by name (vm_host_cpu.h), from any thread (the monitor's
 * sampler): only while qemu is alive after the lookup, so that the ids are
 * its own and not those of a process that got its pid after it was reaped.
 */
static size_t qemu_vcpu_threads(const struct vm *vm, pid_t *tids, uint32_t n)
{
	const struct vm_qemu *q = vm->priv;
	size_t found;

	if (!q || q->pid <= 0)
		return 0;
	found = vm_host_cpu__qemu_vcpus(q->pid, tids, n);
#ifdef SYS_pidfd_send_signal
	if (q->pidfd >= 0)
		return syscall(SYS_pidfd_send_signal, q->pidfd, 0, NULL, 0) ? 0 : found;
#endif
	/* No pidfd (Linux before 5.3): kill(pid, 0) cannot tell a reused pid. */
	return 0;
}

static const struct vm_ops vm_qemu_ops = {
	.wait = vm_qemu__wait,
	.stop = qemu_stop,
	.destroy = qemu_destroy,
	.pid = qemu_pid,
	.tmpdir = qemu_tmpdir,
	.threads = qemu_threads,
	.guest_mem = vm_qemu__guest_mem,
	.vcpu_threads = qemu_vcpu_threads,
};

static int qemu_start(struct vm *vm, char *err, size_t errlen)
{
	const char *name = vm->opts.qemu;
	struct vm_qemu_argv argv;
	char path[4096], bios_buf[4096];
	const char *bios;
	enum vm_accel accel = VM_ACCEL_TCG;
	struct vm_qemu *q;
	int ret;

	if (!name || !*name)
		name = getenv("KTSTR_QEMU");
	if (!name || !*name)
		name = QEMU_DEFAULT;
	ret = qemu_resolve(name, path, sizeof(path), err, errlen) ?:
	      qemu_accel(vm->opts.accel, &accel, err, errlen);
	if (ret)
		return ret;
	ret = vm__cmdline(&vm->opts, VM_QEMU_CMDLINE_WORDS, vm->cmdline, sizeof(vm->cmdline),
			  err, errlen);
	if (ret < 0)
		return ret;

	q = calloc(1, sizeof(*q));
	if (!q)
		return err__set(-ENOMEM, err, errlen, "out of memory starting qemu");
	q->pid = -1;
	q->pidfd = -1;
	q->err_fd = -1;
	q->tdir.lock_fd = -1;
	for (int i = 0; i < VM_QSOCK__NR; i++)
		q->lfd[i] = q->cfd[i] = -1;
	vm->priv = q;
	vm->ops = &vm_qemu_ops;

	ret = qemu_mkdir(q, err, errlen) ?: qemu_listen(q, err, errlen);
	if (!ret && vm_qemu__share_ram(&vm->opts))
		ret = vm_qemu__ram_create(q, &vm->opts, err, errlen);
	if (ret)
		return ret;	/* vm__free() destroys q */
	bios = vm__qemu_firmware(path, bios_buf, sizeof(bios_buf));
	ret = vm_qemu__argv(&vm->opts, accel, path, bios, vm->cmdline, q->tdir.path, &argv, err,
			    errlen);
	if (ret)
		return ret;
	ret = qemu_spawn(q, path, argv.argv, err, errlen);
	vm_qemu__argv_free(&argv);
	if (!ret)
		vm_qemu__mon_start(vm);
	return ret;
}

const struct vm_backend_ops vm_qemu__backend = {
	.start = qemu_start,
};
