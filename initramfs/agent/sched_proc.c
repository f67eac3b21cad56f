// SPDX-License-Identifier: GPL-2.0
/* The scheduler process: start, output pump, attach check, watcher, report; see sched_proc.h. */
#include "sched_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "sched_kernel.h"
#include "sysfs_read.h"
#include "util.h"

struct sched {
	struct sched_opts o;
	char sysfs[128];
	pid_t pid;
	int out_rd;			/* the pipe's read end */
	pthread_t pump, watch;
	bool pump_started, watch_started;
	volatile bool pump_done, quit;
	volatile bool pump_quit;	/* restart: stop draining a pipe a child still holds */
	pthread_mutex_t lock;		/* tail, status, gone */
	char tail[SCHED_TAIL_BYTES];	/* a ring of its last output bytes */
	size_t tail_pos;
	bool tail_wrapped;
	bool reaped;
	int status;			/* from waitpid, once reaped */
	bool gone;			/* the report went out */
	uint64_t start_ns;		/* the scenario's start; 0 = not yet */
	struct sched_kmsg kmsg;
	bool dump_on;
	volatile bool dump_requested;	/* the host asked (KTSTR_MSG_DUMP) */
	char detail[640];		/* what the agent saw, for the report */
	/* restart_scheduler (sched__halt, sched__resume) */
	bool halted;			/* stopped on purpose, not started again yet */
	uint64_t halt_ns;		/* when sched_ext was seen disabled */
	char restart[96];		/* "restart_scheduler at step 2" while it comes back */
};

/* ---- output: the pump thread */

static void tail_add(struct sched *s, const char *p, size_t n)
{
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < n; i++) {
		s->tail[s->tail_pos++] = p[i];
		if (s->tail_pos == sizeof(s->tail)) {
			s->tail_pos = 0;
			s->tail_wrapped = true;
		}
	}
	pthread_mutex_unlock(&s->lock);
}

/* The last @nlines lines of the output, NUL-terminated, into @buf. */
static void tail_lines(struct sched *s, unsigned nlines, char *buf, size_t cap)
{
	char *all = malloc(sizeof(s->tail) + 1);
	size_t n = 0, start;
	unsigned seen = 0;

	buf[0] = '\0';
	if (!all)
		return;
	pthread_mutex_lock(&s->lock);
	if (s->tail_wrapped) {
		memcpy(all, s->tail + s->tail_pos, sizeof(s->tail) - s->tail_pos);
		n = sizeof(s->tail) - s->tail_pos;
	}
	memcpy(all + n, s->tail, s->tail_pos);
	n += s->tail_pos;
	pthread_mutex_unlock(&s->lock);
	all[n] = '\0';
	while (n && all[n - 1] == '\n')
		all[--n] = '\0';
	start = n;
	while (start > 0) {
		if (all[start - 1] == '\n' && ++seen >= nlines)
			break;
		start--;
	}
	/* Keep the end when it does not fit. */
	if (n - start >= cap)
		start = n - (cap - 1);
	snprintf(buf, cap, "%s", all + start);
	free(all);
}

static void port_write(struct sched *s, const char *p, size_t n)
{
	uint64_t deadline = mono_ns() + NSEC_PER_SEC;

	while (n && s->o.port_fd >= 0) {
		ssize_t w = write(s->o.port_fd, p, n);

		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN && mono_ns() < deadline) {
			struct pollfd pf = { .fd = s->o.port_fd, .events = POLLOUT };

			poll(&pf, 1, 100);
			continue;
		}
		return;		/* the host is not reading: drop, the tail keeps it */
	}
}

static void *pump_main(void *arg)
{
	struct sched *s = arg;
	char buf[4096];

	for (;;) {
		struct pollfd pf = { .fd = s->out_rd, .events = POLLIN };
		ssize_t n;

		/* Polled, so that a restart can end it (pump_end()). */
		int r = poll(&pf, 1, 100);

		if (s->pump_quit || (r < 0 && errno != EINTR))
			break;
		if (r <= 0)
			continue;
		n = read(s->out_rd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		tail_add(s, buf, (size_t)n);
		port_write(s, buf, (size_t)n);
	}
	s->pump_done = true;
	return NULL;
}

/* ---- the process */

static bool reap(struct sched *s, bool block)
{
	int st;
	pid_t r;

	if (s->reaped)
		return true;
	do
		r = waitpid(s->pid, &st, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r != s->pid)
		return false;
	pthread_mutex_lock(&s->lock);
	s->status = st;
	s->reaped = true;
	pthread_mutex_unlock(&s->lock);
	return true;
}

/* Wait up to @ns for it to exit. */
static bool reap_within(struct sched *s, uint64_t ns)
{
	uint64_t deadline = mono_ns() + ns;

	while (!reap(s, false)) {
		if (mono_ns() >= deadline)
			return false;
		usleep(20000);
	}
	return true;
}

static void exit_str(const struct sched *s, char *buf, size_t len)
{
	if (!s->reaped)
		snprintf(buf, len, "still running");
	else if (WIFEXITED(s->status))
		snprintf(buf, len, "exited with code %d", WEXITSTATUS(s->status));
	else if (WIFSIGNALED(s->status))
		snprintf(buf, len, "killed by signal %d (%s)%s", WTERMSIG(s->status),
			 sigabbrev_np(WTERMSIG(s->status)) ? sigabbrev_np(WTERMSIG(s->status)) : "?",
			 WTERMSIG(s->status) == SIGUSR2 ?
				 ": a worker saw a scheduling gap over the max_gap threshold (the "
				   "work-conservation watchdog)" : "");
	else
		snprintf(buf, len, "status 0x%x", s->status);
}

static const char *sysfs_path(struct sched *s, const char *file, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", s->sysfs, file);
	return buf;
}

/* Is a BPF scheduler attached (root/ops names one)? @ops gets its name. */
static bool attached(struct sched *s, char *ops, size_t len)
{
	char path[256];

	return sysfs__read(sysfs_path(s, "root/ops", path, sizeof(path)), ops, len) > 0;
}

/* ---- the report */

static void send_report(struct sched *s, const char *event)
{
	struct ktstr_msg_sched_exit m = { .pid = s->pid };
	size_t cap = 96 * 1024, len;
	char *text = malloc(cap), state[320], path[256], ex[128];
	struct iovec iov[2];

	pthread_mutex_lock(&s->lock);
	if (s->gone) {
		pthread_mutex_unlock(&s->lock);
		free(text);
		return;
	}
	s->gone = true;
	pthread_mutex_unlock(&s->lock);
	if (!text)
		return;
	sched_kmsg__poll(&s->kmsg);
	if (sysfs__read(sysfs_path(s, "state", path, sizeof(path)), state, sizeof(state)) < 0)
		snprintf(state, sizeof(state), "(no %s)", path);
	exit_str(s, ex, sizeof(ex));
	if (!s->reaped) {
		m.exit_kind = KTSTR_WORKER_TIMED_OUT;
	} else if (WIFSIGNALED(s->status)) {
		m.exit_kind = KTSTR_WORKER_SIGNALED;
		m.exit_value = WTERMSIG(s->status);
	} else {
		m.exit_kind = KTSTR_WORKER_EXITED;
		m.exit_value = WIFEXITED(s->status) ? WEXITSTATUS(s->status) : -1;
	}
	if (s->start_ns)
		m.elapsed_ms = (uint32_t)((mono_ns() - s->start_ns) / NSEC_PER_MSEC);
	len = (size_t)snprintf(text, cap,
			       "event: %s\nreason: %s\nmessage: %s\nexit: %s\nstate: %s\n"
			       "detail: %s\n%s%s%s--- kernel log ---\n%s",
			       event, s->kmsg.reason, s->kmsg.message, ex, state, s->detail,
			       s->restart[0] ? "restart: " : "", s->restart,
			       s->restart[0] ? "\n" : "", s->kmsg.lines);
	if (len < cap) {
		len += (size_t)snprintf(text + len, cap - len, "--- sched_ext dump ---\n");
		if (s->dump_on && len < cap) {
			/* The kernel writes its dump from a work item: give it a moment. */
			usleep(200000);
			len = sched_k__dump_read(text, cap / 2);
		}
	}
	if (len < cap) {
		len += (size_t)snprintf(text + len, cap - len, "--- scheduler log ---\n");
		if (len < cap)
			tail_lines(s, SCHED_TAIL_LINES, text + len, cap - len);
		len = strlen(text);
	}
	iov[0] = (struct iovec){ &m, sizeof(m) };
	iov[1] = (struct iovec){ text, len };
	proto_out__sendv(s->o.out, KTSTR_MSG_SCHED_EXIT, iov, 2);
	agent__log("scheduler %s%s%s%s%s", event, s->detail[0] ? ": " : "", s->detail,
		   s->kmsg.reason[0] ? ": sched_ext: " : "", s->kmsg.reason);
	agent__log("scheduler exit: %s", ex);
	free(text);
	if (s->o.stop)
		*s->o.stop = 1;
}

/* ---- the watcher thread */

static void *watch_main(void *arg)
{
	struct sched *s = arg;
	char ops[64], state[64], path[256];

	while (!s->quit) {
		bool disabled = sched_kmsg__poll(&s->kmsg);

		if (reap(s, false)) {
			/* Its exit unregisters it: let the kernel's lines arrive. */
			usleep(100000);
			sched_kmsg__poll(&s->kmsg);
			/*
			 * Exited after the kernel ejected it (a UEI exit races the
			 * watcher): the kernel's reason is the event, not the exit.
			 */
			send_report(s, sched_kmsg__kernel_exit(&s->kmsg) ? "disabled" : "died");
			break;
		}
		if (s->o.check_attach && !disabled && !attached(s, ops, sizeof(ops))) {
			sysfs__read(sysfs_path(s, "state", path, sizeof(path)), state,
				    sizeof(state));
			disabled = strcmp(state, "enabled") != 0;
		}
		if (disabled) {
			/* Disabled by the kernel: its exit code follows (UEI report). */
			reap_within(s, SCHED_EXIT_GRACE_NS);
			send_report(s, "disabled");
			break;
		}
		sleep_until_ns(mono_ns() + SCHED_WATCH_NS);
	}
	return NULL;
}

/* ---- start and stop */

/*
 * Where the scheduler starts (in the child, before exec): every CPU allowed
 * and, in the guest, the root cgroup, whatever the agent's own affinity and
 * cgroup are then. A scheduler places itself (scx_central pins its loader to
 * its central CPU with sched_setaffinity): nothing of ktstr's may narrow
 * that, neither an affinity inherited from the agent nor a cpuset of a
 * scenario's cgroup (the scenario's cgroups are for its workers; the root
 * has no cpuset limit). Returns 0, or -1 with @err set.
 */
static int place(const struct sched_opts *o, char *err, size_t errlen)
{
	cpu_set_t all;
	int fd;

	CPU_ZERO(&all);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		CPU_SET(cpu, &all);	/* the kernel keeps the ones that exist */
	if (sched_setaffinity(0, sizeof(all), &all)) {
		snprintf(err, errlen, "sched_setaffinity(all CPUs): %s", strerror(errno));
		return -1;
	}
	if (!o->cgroup_procs)
		return 0;
	fd = open(o->cgroup_procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;	/* no cgroup file system: no cgroup to leave */
	if (fd < 0 || write(fd, "0", 1) != 1) {
		snprintf(err, errlen, "moving it to %s: %s", o->cgroup_procs, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static pid_t spawn(struct sched *s, int out_wr, char *err, size_t errlen)
{
	size_t n = 0;
	char **argv;
	pid_t pid;

	while (s->o.args && s->o.args[n])
		n++;
	argv = calloc(n + 2, sizeof(*argv));
	if (!argv) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	argv[0] = (char *)s->o.path;
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = s->o.args[i];
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		char why[320];
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (int sig = 1; sig < NSIG; sig++)
			if (sig != SIGKILL && sig != SIGSTOP)
				signal(sig, SIG_DFL);
		if (null >= 0)
			dup2(null, 0);
		dup2(out_wr, 1);
		dup2(out_wr, 2);
		if (place(&s->o, why, sizeof(why))) {
			dprintf(2, "ktstr-agent: cannot place the scheduler %s: %s\n", argv[0], why);
			_exit(127);
		}
		execv(argv[0], argv);
		dprintf(2, "ktstr-agent: cannot run the scheduler %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		snprintf(err, errlen, "fork: %s", strerror(errno));
	free(argv);
	return pid;
}

static void fail_start(struct sched *s, const char *event, const char *why)
{
	snprintf(s->detail, sizeof(s->detail), "%s", why);
	send_report(s, event);
}

static void sched__free(struct sched *s)
{
	if (s->pump_started) {
		uint64_t deadline = mono_ns() + NSEC_PER_SEC;

		/* Its output ends when every holder of the pipe is gone. */
		while (!s->pump_done && mono_ns() < deadline)
			usleep(10000);
		if (s->pump_done)
			pthread_join(s->pump, NULL);
		else
			pthread_detach(s->pump);	/* a child kept the pipe open */
	}
	if (!s->pump_started || s->pump_done) {
		close(s->out_rd);
		pthread_mutex_destroy(&s->lock);
		sched_kmsg__close(&s->kmsg);
		free(s);
	}
	/* else: the pump thread still uses @s; the agent is about to power off. */
}

static void kill_it(struct sched *s)
{
	if (s->reaped)
		return;
	kill(s->pid, SIGINT);
	if (!reap_within(s, SCHED_STOP_GRACE_NS)) {
		kill(s->pid, SIGKILL);
		reap(s, true);
	}
}

/*
 * Run the process and wait until it is attached, then watch it: the first
 * start and every restart. On a failure the report (SCHED_EXIT) is out and
 * the process is gone; its output may still drain (sched__free() waits).
 */
static int launch(struct sched *s)
{
	uint64_t limit = s->o.attach_timeout_ns ? s->o.attach_timeout_ns : SCHED_ATTACH_TIMEOUT_NS;
	uint64_t deadline, t0 = mono_ns();
	char err[640] = "", ops[64] = "", state[64] = "", path[256];
	int pfd[2];

	if (pipe2(pfd, O_CLOEXEC)) {
		int ret = -errno;

		snprintf(err, sizeof(err), "pipe: %s", strerror(errno));
		s->reaped = true;
		fail_start(s, "died-before-attach", err);
		return ret;
	}
	s->out_rd = pfd[0];
	s->pid = spawn(s, pfd[1], err, sizeof(err));
	close(pfd[1]);
	if (s->pid < 0) {
		s->pid = 0;
		s->reaped = true;
		fail_start(s, "died-before-attach", err);
		return -ECHILD;
	}
	s->pump_started = !pthread_create(&s->pump, NULL, pump_main, s);
	agent__log("scheduler %s started, pid %d", s->o.path, (int)s->pid);

	deadline = t0 + limit;
	for (;;) {
		if (reap(s, false)) {
			/* Let the pump take its last words (a verifier log) first. */
			for (int i = 0; i < 100 && !s->pump_done; i++)
				usleep(10000);
			sched_kmsg__poll(&s->kmsg);
			if (s->restart[0])
				snprintf(err, sizeof(err), "did not come back after %s: died before "
					 "attaching", s->restart);
			fail_start(s, "died-before-attach", err[0] ? err : "died before attaching");
			return -ESRCH;
		}
		if (!s->o.check_attach ? mono_ns() - t0 >= 200 * NSEC_PER_MSEC
				       : attached(s, ops, sizeof(ops)))
			break;
		if (mono_ns() >= deadline) {
			sysfs__read(sysfs_path(s, "state", path, sizeof(path)), state,
				    sizeof(state));
			if (s->restart[0])
				snprintf(err, sizeof(err), "did not re-attach within %g s after %s "
					 "(state %s)", limit / 1e9, s->restart, state);
			else
				snprintf(err, sizeof(err), "not attached after %.1f s (state %s)",
					 (mono_ns() - t0) / 1e9, state);
			fail_start(s, "not-attached", err);
			kill_it(s);
			return -ETIMEDOUT;
		}
		usleep(50000);
	}
	if (s->o.check_attach)
		agent__log("scheduler %s attached as '%s' after %llu ms", s->o.path, ops,
			   (unsigned long long)((mono_ns() - t0) / NSEC_PER_MSEC));
	s->watch_started = !pthread_create(&s->watch, NULL, watch_main, s);
	return 0;
}

int sched__start(const struct sched_opts *o, struct sched **out)
{
	struct sched *s = calloc(1, sizeof(*s));
	char err[640] = "", path[256];
	int ret;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->o = *o;
	s->out_rd = -1;
	snprintf(s->sysfs, sizeof(s->sysfs), "%s", o->sysfs ? o->sysfs : "/sys/kernel/sched_ext");
	pthread_mutex_init(&s->lock, NULL);
	sched_kmsg__open(&s->kmsg);
	if (o->check_attach && access(sysfs_path(s, "state", path, sizeof(path)), R_OK)) {
		snprintf(err, sizeof(err), "sched_ext sysfs absent (%s: %s): the kernel has no "
			 "CONFIG_SCHED_CLASS_EXT", path, strerror(errno));
		fail_start(s, "not-attached", err);
		sched_kmsg__close(&s->kmsg);
		free(s);
		return -ENOENT;
	}
	if (o->check_attach)
		s->dump_on = !sched_k__dump_tracepoint(true);
	ret = launch(s);
	if (ret) {
		sched__free(s);
		return ret;
	}
	*out = s;
	return 0;
}

/*
 * The end of the stopped process's output: the pump drains it to EOF; when
 * a child of it still holds the pipe after a second, the rest is dropped.
 */
static void pump_end(struct sched *s)
{
	uint64_t deadline = mono_ns() + NSEC_PER_SEC;

	if (s->pump_started) {
		while (!s->pump_done && mono_ns() < deadline)
			usleep(10000);
		s->pump_quit = true;
		pthread_join(s->pump, NULL);
	}
	if (s->out_rd >= 0)
		close(s->out_rd);
	s->out_rd = -1;
	s->pump_started = false;
	s->pump_done = false;
	s->pump_quit = false;
}

int sched__halt(struct sched *s, char *err, size_t errlen)
{
	char ops[64] = "", state[64] = "", path[256];
	uint64_t t0, deadline;

	s->quit = true;
	if (s->watch_started)
		pthread_join(s->watch, NULL);
	s->watch_started = false;
	s->quit = false;
	if (!sched__gone(s)) {
		/* A last look, as at the end: a death before the stop is a death. */
		sched_kmsg__poll(&s->kmsg);
		if (reap(s, false))
			send_report(s, sched_kmsg__kernel_exit(&s->kmsg) ? "disabled" : "died");
		else if (s->o.check_attach && (s->kmsg.reason[0] || !attached(s, ops, sizeof(ops))))
			send_report(s, "disabled");
	}
	if (sched__gone(s)) {
		snprintf(err, errlen, "the scheduler had already ended before the restart");
		return -ESRCH;
	}
	s->halted = true;
	t0 = mono_ns();
	kill_it(s);
	agent__log("scheduler stopped for a restart after %llu ms",
		   (unsigned long long)((mono_ns() - t0) / NSEC_PER_MSEC));
	/* sched_ext lets go once the process is gone (its struct_ops link closes). */
	deadline = mono_ns() + SCHED_DISABLE_TIMEOUT_NS;
	while (s->o.check_attach) {
		sysfs__read(sysfs_path(s, "state", path, sizeof(path)), state, sizeof(state));
		if (!strcmp(state, "disabled") && !attached(s, ops, sizeof(ops)))
			break;
		if (mono_ns() >= deadline) {
			snprintf(err, errlen, "sched_ext still says '%s' %.1f s after the scheduler was "
				 "stopped", state, (mono_ns() - t0) / 1e9);
			pump_end(s);
			return -ETIMEDOUT;
		}
		usleep(20000);
	}
	s->halt_ns = mono_ns();
	/*
	 * The kernel's "disabled (unregistered from user space)" line is this
	 * stop's, not a death of the next process: read it and forget it (one
	 * printed late is dropped after the next attach, sched__resume()).
	 */
	sched_kmsg__poll(&s->kmsg);
	sched_kmsg__forget(&s->kmsg);
	pump_end(s);
	return 0;
}

int sched__resume(struct sched *s, const char *what, uint64_t *down_ns, char *err,
		  size_t errlen)
{
	char ex[128];
	int ret;

	if (!s->halted) {
		snprintf(err, errlen, "the scheduler was not stopped for a restart");
		return -EINVAL;
	}
	snprintf(s->restart, sizeof(s->restart), "%s", what);
	pthread_mutex_lock(&s->lock);
	s->pid = 0;
	s->reaped = false;
	s->status = 0;
	pthread_mutex_unlock(&s->lock);
	s->detail[0] = '\0';
	s->dump_requested = false;
	ret = launch(s);
	s->halted = false;
	if (ret) {
		exit_str(s, ex, sizeof(ex));
		snprintf(err, errlen, "the scheduler %s; it %s", s->detail, ex);
		return ret;
	}
	/* A late line of the stop (the kernel's printk came after the wait). */
	sched_kmsg__poll(&s->kmsg);
	if (!sched_kmsg__kernel_exit(&s->kmsg) && s->kmsg.reason[0])
		sched_kmsg__forget(&s->kmsg);
	s->restart[0] = '\0';
	if (down_ns)
		*down_ns = mono_ns() - s->halt_ns;
	return 0;
}

pid_t sched__pid(const struct sched *s)
{
	return s ? s->pid : 0;
}

void sched__mark_start(struct sched *s)
{
	if (s)
		s->start_ns = mono_ns();
}

bool sched__gone(struct sched *s)
{
	bool g;

	if (!s)
		return false;
	pthread_mutex_lock(&s->lock);
	g = s->gone;
	pthread_mutex_unlock(&s->lock);
	return g;
}

void sched__dump(struct sched *s)
{
	if (sched__gone(s))
		return;
	if (s)
		s->dump_requested = true;
	sched_k__sysrq_dump();
}

void sched__stop(struct sched *s)
{
	char ex[128];

	if (!s)
		return;
	s->quit = true;
	if (s->watch_started)
		pthread_join(s->watch, NULL);
	if (!sched__gone(s) && !s->halted) {
		char ops[64];

		/* A last look: did it die or get disabled since the last tick? */
		sched_kmsg__poll(&s->kmsg);
		if (reap(s, false))
			send_report(s, sched_kmsg__kernel_exit(&s->kmsg) ? "disabled" : "died");
		else if (s->o.check_attach && (s->kmsg.reason[0] || !attached(s, ops, sizeof(ops))))
			send_report(s, "disabled");
		else if (s->dump_requested)
			send_report(s, "running");	/* alive: only the dump the host asked for */
	}
	kill_it(s);
	exit_str(s, ex, sizeof(ex));
	agent__log("scheduler stopped: %s", ex);
	if (s->dump_on)
		sched_k__dump_tracepoint(false);
	sched__free(s);
}
