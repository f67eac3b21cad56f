// SPDX-License-Identifier: GPL-2.0
/*
 * ktstr-agent: the guest's /init. As PID 1 it mounts the pseudo file
 * systems, finds its virtio-serial ports, reads /ktstr/plan, runs it and
 * powers the VM off; it never exits (PID 1 exiting panics the kernel).
 *
 * Test mode runs the same executor on the current system:
 *   ktstr-agent --plan FILE --results FILE [--test-root DIR | --no-cgroups]
 *               [--control FILE] [--sched-log FILE]
 *               [--sched-no-attach | --sched-sysfs DIR] [--sched-attach-ms N]
 * with cgroups under DIR/ktstr (DIR a writable cgroup2 directory), or none;
 * the plan's scheduler's output to --sched-log, its attach checked on
 * --sched-sysfs (a stand-in for /sys/kernel/sched_ext) or not at all.
 *
 * Host mode (host_mode.h, for ktstr run --host) is test mode with the frames
 * on an inherited fd and the cgroups below ktstr's own directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "bpf_progs.h"
#include "cgroup.h"
#include "cpu_env.h"
#include "exec.h"
#include "host_mode.h"
#include "log.h"
#include "plan_read.h"
#include "proto_out.h"
#include "sched_proc.h"
#include "shell.h"
#include "topo_report.h"
#include "util.h"
#include "work.h"

#define AGENT_VERSION "ktstr-agent 0.1.0 (protocol 1)"
#define PLAN_PATH "/ktstr/plan"
#define COM2_PATH "/dev/ttyS1"

static struct proto_out g_out;
static int g_com2 = -1;
static volatile sig_atomic_t g_stop;
static volatile sig_atomic_t g_sched_gone;
static int g_sched_port = -1;

/* COM2 lines: the fallback channel for start, exit and errors. */
__attribute__((format(printf, 1, 2)))
static void com2(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	if (g_com2 < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(g_com2, buf, (size_t)n) < 0)
		fprintf(stderr, "ktstr-agent: COM2: %s\n", strerror(errno));
}

static void on_stop(int sig)
{
	(void)sig;
	g_stop = 1;
}

/* ---- PID 1 only ---- */

struct mnt {
	const char *src, *dir, *type;
	bool required;
};

static void pid1__mounts(void)
{
	static const struct mnt m[] = {
		{ "proc", "/proc", "proc", true },
		{ "sysfs", "/sys", "sysfs", true },
		{ "devtmpfs", "/dev", "devtmpfs", true },
		{ "cgroup2", "/sys/fs/cgroup", "cgroup2", true },
		{ "tmpfs", "/tmp", "tmpfs", true },
		{ "debugfs", "/sys/kernel/debug", "debugfs", false },
		{ "tracefs", "/sys/kernel/tracing", "tracefs", false },
		{ "bpf", "/sys/fs/bpf", "bpf", false },
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		mkdir(m[i].dir, 0755);
		if (mount(m[i].src, m[i].dir, m[i].type, 0, NULL) && errno != EBUSY)
			fprintf(stderr, "ktstr-agent: %s mount of %s failed: %s%s\n", m[i].type,
				m[i].dir, strerror(errno), m[i].required ? "" : " (optional)");
	}
}

/* Give fds 0-2 to the console when the kernel could not. */
static void pid1__stdio(void)
{
	int fd;

	if (fcntl(2, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int i = 0; i < 3 && fd >= 0; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/*
 * A modular kernel: the host packed its virtio modules and the loader
 * (initramfs/kmods.h: KMODS_LOADER_GUEST, KMODS_LOAD_LIST); load them before
 * looking for the ports. The loader's messages go to the console.
 */
#define MODLOAD_PATH "/ktstr/modload"

static void pid1__load_modules(void)
{
	char *const argv[] = { MODLOAD_PATH, NULL };
	int status;
	pid_t pid;

	if (access(MODLOAD_PATH, X_OK))
		return;				/* monolithic kernel: nothing packed */
	pid = fork();
	if (pid == 0) {
		execv(MODLOAD_PATH, argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fprintf(stderr, "ktstr-agent: loading kernel modules failed; the virtio ports "
			"may be missing\n");
}

/* Open the port whose /sys/class/virtio-ports/X/name is @name as /dev/X. */
static int pid1__port(const char *name, int flags)
{
	DIR *d = opendir("/sys/class/virtio-ports");
	struct dirent *de;
	int fd = -1;

	if (!d)
		return -1;
	while (fd < 0 && (de = readdir(d))) {
		char path[300], buf[128];
		ssize_t n;
		int nf;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name", de->d_name);
		nf = open(path, O_RDONLY | O_CLOEXEC);
		if (nf < 0)
			continue;
		n = read(nf, buf, sizeof(buf) - 1);
		close(nf);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		if (strcmp(buf, name))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			fprintf(stderr, "ktstr-agent: cannot open %s (%s): %s\n", path, name,
				strerror(errno));
	}
	closedir(d);
	return fd;
}

/* The ports appear when virtio probes; give them a second. */
static int pid1__find_port(const char *name, int flags)
{
	uint64_t deadline = mono_ns() + NSEC_PER_SEC;
	int fd;

	while ((fd = pid1__port(name, flags)) < 0 && mono_ns() < deadline)
		usleep(20000);
	if (fd < 0)
		fprintf(stderr, "ktstr-agent: no virtio port named %s\n", name);
	return fd;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A non-blocking write to a virtio port returns once the buffer is queued; a
 * blocking one returns once the host has taken it (and every one before it).
 * The last frame goes out blocking, so nothing is lost to the reset, with an
 * alarm to break the wait when the host is gone.
 */
static void pid1__blocking_last_write(int fd)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	int fl = fcntl(fd, F_GETFL);

	sigaction(SIGALRM, &sa, NULL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	alarm((PROTO_OUT_TIMEOUT_NS / NSEC_PER_SEC) + 1);
}

static __attribute__((noreturn)) void pid1__power_off(void)
{
	sync();
	/*
	 * RB_AUTOBOOT resets the machine; with qemu -no-reboot (and the VMM's
	 * i8042 reset exit) a reset ends the VM on every machine type, while
	 * RB_POWER_OFF needs ACPI (microvm with acpi=off hangs). Power off is
	 * the fallback; PID 1 must never exit.
	 */
	reboot(RB_AUTOBOOT);
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

struct agent_opts {
	bool pid1;
	bool sched_no_attach;		/* test mode: no sched_ext here, check liveness only */
	const char *plan, *results, *control, *cgroup_base, *sched_log;
	const char *sched_sysfs;	/* test mode: a stand-in for /sys/kernel/sched_ext */
	const char *sched_attach_ms;	/* test mode: the attach deadline */
	struct host_mode host;		/* ktstr run --host (host_mode.h) */
};

/*
 * The scheduler (sched_proc.h): started before the scenario, attached or
 * reported; a death or a disable raises g_sched_gone, which ends the
 * scenario early. Returns -1 when it failed to start (reported).
 */
static int agent__start_scheduler(const struct plan *p, const struct agent_opts *o,
				  struct sched **s)
{
	struct sched_opts so = { .path = p->sched_path, .args = p->sched_args, .out = &g_out,
				 .port_fd = g_sched_port, .check_attach = !o->sched_no_attach,
				 .stop = &g_sched_gone, .sysfs = o->sched_sysfs,
				 /* The guest's root cgroup (sched_proc.c, place()). */
				 .cgroup_procs = o->pid1 ? "/sys/fs/cgroup/cgroup.procs" : NULL };

	if (o->sched_attach_ms)
		so.attach_timeout_ns = strtoull(o->sched_attach_ms, NULL, 10) * NSEC_PER_MSEC;

	*s = NULL;
	if (!p->sched_path)
		return 0;
	return sched__start(&so, s) ? -1 : 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: ktstr-agent --plan FILE --results FILE "
			"[--test-root DIR | --no-cgroups] [--control FILE]\n"
			"                   [--sched-log FILE] [--sched-no-attach | --sched-sysfs DIR]\n"
			"                   [--sched-attach-ms N]\n"
			"       ktstr-agent --host --plan FILE --cgroup DIR --results-fd N\n"
			"(as PID 1 it takes no arguments)\n");
	return 2;
}

static int parse_args(int argc, char **argv, struct agent_opts *o)
{
	bool no_cg = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;
		int h = host_mode__option(&o->host, argc, argv, &i);

		if (h < 0)
			return -1;
		if (h)
			continue;
		if (!strcmp(a, "--no-cgroups")) {
			no_cg = true;
			continue;
		}
		if (!strcmp(a, "--sched-no-attach")) {
			o->sched_no_attach = true;
			continue;
		}
		if (!strcmp(a, "--plan"))
			dst = &o->plan;
		else if (!strcmp(a, "--results"))
			dst = &o->results;
		else if (!strcmp(a, "--control"))
			dst = &o->control;
		else if (!strcmp(a, "--test-root"))
			dst = &o->cgroup_base;
		else if (!strcmp(a, "--sched-log"))
			dst = &o->sched_log;
		else if (!strcmp(a, "--sched-sysfs"))
			dst = &o->sched_sysfs;
		else if (!strcmp(a, "--sched-attach-ms"))
			dst = &o->sched_attach_ms;
		if (!dst || i + 1 >= argc) {
			fprintf(stderr, "ktstr-agent: %s '%s'\n",
				dst ? "missing value for" : "unknown option", a);
			return -1;
		}
		*dst = argv[++i];
	}
	if (host_mode__check(&o->host))
		return -1;
	if (o->host.on) {		/* frames on the fd, cgroups below --cgroup */
		o->results = "(fd)";
		o->cgroup_base = o->host.cgroup;
	}
	if (!o->plan || !o->results || (no_cg && o->cgroup_base)) {
		fprintf(stderr, "ktstr-agent: test mode needs --plan and --results, and at most "
				"one of --test-root and --no-cgroups\n");
		return -1;
	}
	if (no_cg)
		o->cgroup_base = NULL;
	return 0;
}

/* Everything between the ports being open and the EXIT frame; returns the exit code. */
static int agent__run(const struct agent_opts *o, int control_fd)
{
	struct exec_env env = { .control_fd = control_fd, .stop = &g_stop,
				.sched_gone = &g_sched_gone };
	struct sched *sched = NULL;
	struct cgroups cg;
	struct plan plan;
	char err[512];
	int ret, shell_code = -1;

	ret = plan__load(o->plan, &plan, err, sizeof(err));
	if (ret) {
		proto_out__text(&g_out, KTSTR_MSG_ERROR, "%s", err);
		agent__log("%s", err);
		com2(KTSTR_COM2_ERROR_FMT, err);
		return 1;
	}
	char root_name[32] = "ktstr";

	/* Test runs may share a cgroup2 directory: one root per agent. */
	if (!o->pid1)
		snprintf(root_name, sizeof(root_name), "ktstr-%d", (int)getpid());
	ret = cgroups__init(&cg, o->cgroup_base, root_name, err, sizeof(err));
	if (!ret && o->host.on)
		cgroups__park(&cg, o->host.park);
	if (ret) {
		proto_out__text(&g_out, KTSTR_MSG_ERROR, "%s", err);
		agent__log("%s", err);
		com2(KTSTR_COM2_ERROR_FMT, err);
		plan__free(&plan);
		return 1;
	}
	env.plan = &plan;
	env.cg = &cg;
	env.out = &g_out;
	env.tmpdir = o->pid1 ? "/tmp" : getenv("TMPDIR");
	/* ktstr verifier: the programs' run counts too (never a test-mode host's sysctl). */
	if (plan.bpf_progs && o->pid1) {
		int e = bpf_progs__stats_on();

		if (e)
			agent__log("kernel.bpf_stats_enabled: %s", strerror(-e));
	}
	if (agent__start_scheduler(&plan, o, &sched)) {
		com2(KTSTR_COM2_ERROR_FMT, "the scheduler did not start");
		cgroups__destroy(&cg);
		plan__free(&plan);
		return 1;
	}
	if (plan.bpf_progs && sched)	/* attached: every program is loaded */
		bpf_progs__send(&g_out);
	env.sched = sched;
	env.sched_pid = sched__pid(sched);
	sched__mark_start(sched);
	/* ktstr shell: busybox on the console instead of the steps; its status is the code. */
	if (plan.shell.mode)
		shell_code = shell__run(&plan.shell, &g_out, g_com2);
	else
		ret = exec__run(&env);
	if (ret)
		com2(KTSTR_COM2_ERROR_FMT, "the scenario did not run to its end");
	if (plan.bpf_progs && sched && !sched__gone(sched))	/* with the run counts */
		bpf_progs__send(&g_out);
	sched__stop(sched);
	cgroups__destroy(&cg);
	plan__free(&plan);
	return shell_code >= 0 ? shell_code : ret ? 1 : 0;
}

/*
 * Is "ktstr.selftest=@what" on the kernel command line? (ktstr's own tests;
 * never in a build without -Dguest_faults=true)
 */
static bool selftest(const char *what)
{
	char line[4096], want[64];
	ssize_t n;
	int fd;

	if (!work_fault__built)
		return false;
	fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n <= 0)
		return false;
	line[n] = '\0';
	snprintf(want, sizeof(want), "ktstr.selftest=%s", what);
	for (char *p = strstr(line, want); p; p = strstr(p + 1, want))
		if ((p == line || p[-1] == ' ') && (p[strlen(want)] == ' ' || p[strlen(want)] == '\n' ||
						     !p[strlen(want)]))
			return true;
	return false;
}

/*
 * The guest dies in the middle of a frame: a header announcing 300 payload
 * bytes, 12 of them, then the end. The host must report the truncation.
 */
static void selftest_truncate(int fd)
{
	struct ktstr_frame_hdr h = { .magic = KTSTR_PROTO_MAGIC, .version = KTSTR_PROTO_VERSION,
				     .type = KTSTR_MSG_LOG, .length = 300 };
	char part[12] = "truncated!!";

	pid1__blocking_last_write(fd);
	if (write(fd, &h, sizeof(h)) != (ssize_t)sizeof(h) ||
	    write(fd, part, sizeof(part)) != (ssize_t)sizeof(part))
		com2("KTSTR_ERROR=selftest write failed");
	fsync(fd);
	pid1__power_off();
}

/* The workers' faults (work_fault.c), each named by its ktstr.selftest word. */
static void selftest_work_fault(void)
{
	static const struct {
		const char *word;
		enum work_fault f;
	} faults[] = {
		{ "escape-cpuset", WORK_FAULT_ESCAPE_CPUSET },
		{ "wrong-node", WORK_FAULT_WRONG_NODE },
		{ "slow-spin", WORK_FAULT_SLOW_SPIN },
	};

	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		if (selftest(faults[i].word)) {
			work__fault(faults[i].f);
			agent__log("selftest fault: %s", faults[i].word);
		}
}

int main(int argc, char **argv)
{
	struct agent_opts o = { .pid1 = getpid() == 1, .host = HOST_MODE_INIT };
	struct ktstr_msg_exit ex;
	int results = -1, control = -1, code;

	signal(SIGPIPE, SIG_IGN);
	if (o.pid1) {
		pid1__mounts();
		pid1__stdio();
		g_com2 = open(COM2_PATH, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (g_com2 >= 0) {
			struct termios t;

			/* Raw: lines end in "\n", not the tty's "\r\n". */
			if (!tcgetattr(g_com2, &t)) {
				cfmakeraw(&t);
				tcsetattr(g_com2, TCSANOW, &t);
			}
		}
		com2("%s", KTSTR_COM2_STARTED);
		pid1__load_modules();
		results = pid1__find_port(KTSTR_PORT_RESULTS, O_WRONLY);
		control = pid1__port(KTSTR_PORT_CONTROL, O_RDONLY | O_NONBLOCK);
		g_sched_port = pid1__port(KTSTR_PORT_SCHED, O_WRONLY | O_NONBLOCK);
		o.plan = PLAN_PATH;
		o.results = "(virtio)";
		o.cgroup_base = "/sys/fs/cgroup";
	} else {
		struct sigaction sa = { .sa_handler = on_stop };

		if (parse_args(argc, argv, &o))
			return usage();
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		if (o.host.on && host_mode__enter(&o.host))
			return 1;
		results = o.host.on ? o.host.results_fd :
			open(o.results, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (results < 0) {
			fprintf(stderr, "ktstr-agent: cannot open %s: %s\n", o.results,
				strerror(errno));
			return 1;
		}
		if (o.sched_log) {
			g_sched_port = open(o.sched_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
					    0644);
			if (g_sched_port < 0)
				fprintf(stderr, "ktstr-agent: cannot open %s: %s\n", o.sched_log,
					strerror(errno));
		}
		if (o.control) {
			control = open(o.control, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
			if (control < 0)
				fprintf(stderr, "ktstr-agent: cannot open %s: %s\n", o.control,
					strerror(errno));
		}
	}
	if (o.pid1 && results >= 0 && selftest("no-virtio")) {
		/* As on a kernel without a virtio console: COM2 lines only. */
		close(results);
		results = -1;
	}
	proto_out__init(&g_out, results, 0);
	agent__log_to(&g_out);
	proto_out__text(&g_out, KTSTR_MSG_HELLO, "%s", AGENT_VERSION);
	if (o.pid1) {
		struct timespec up;

		/* Guest time at the agent's start, next to the kernel's timestamps:
		 * the boot breakdown (tests/bench/boot_breakdown.sh) reads it. */
		clock_gettime(CLOCK_BOOTTIME, &up);
		agent__log("started %ld.%03ld s after boot", (long)up.tv_sec,
			   up.tv_nsec / 1000000);
	}
	if (o.pid1 && cpu_env__detect() == CPU_ENV_TCG) {
		work__spin_mode(false);
		agent__log("on %s: spinning work spins without pause", cpu_env__name(CPU_ENV_TCG));
	}
	/* What the guest's kernel made of the topology (the host compares it). */
	if (!o.host.on)		/* the host's own CPUs are not the scenario's */
		topo_report__send(&g_out, "/sys");
	if (o.pid1 && results >= 0 && selftest("truncate"))
		selftest_truncate(results);
	if (o.pid1)
		selftest_work_fault();

	code = agent__run(&o, control);
	/* Every work group is gone: orphans reparented to init can be reaped now. */
	if (o.pid1)
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;

	ex.code = code;
	if (o.pid1 && results >= 0)
		pid1__blocking_last_write(results);
	proto_out__send(&g_out, KTSTR_MSG_EXIT, &ex, sizeof(ex));
	com2(KTSTR_COM2_EXIT_FMT, code);
	if (g_com2 >= 0)
		tcdrain(g_com2);
	agent__log_to(NULL);
	if (results >= 0)
		fsync(results);
	if (o.pid1)
		pid1__power_off();
	if (results >= 0)
		close(results);
	if (control >= 0)
		close(control);
	proto_out__destroy(&g_out);
	return code;
}
